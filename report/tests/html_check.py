#!/usr/bin/env python3
"""The --html page, rendered by headless Chromium (Debian's `chromium`).

    html_check.py CXM_REPORT TICKETS.csv SURVEY.csv [--keep PNG]

In a temporary directory: writes the page, checks it is self-contained (no
script, nothing fetched from a network address), renders it to a PNG with
Chromium, and checks that the console logged nothing and that the picture is
not blank (enough non-white pixels, enough colours: the charts drew).
Without chromium the test is skipped (exit 77) unless CXM_REQUIRE_CHROMIUM=1,
as in CI, where a missing browser is a failure.
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib


def png_pixels(path):
    """Decodes an 8-bit RGB/RGBA PNG: (width, height, channels, rows of bytes)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and color in (2, 6), f"unexpected PNG format {depth}/{color}"
    ch = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * ch
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - ch] if i >= ch else 0
            b = prev[i]
            c = prev[i - ch] if i >= ch else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, ch, rows


def main(argv):
    exe, tickets, survey = argv[1:4]
    keep = argv[5] if len(argv) > 5 and argv[4] == "--keep" else None
    browser = shutil.which("chromium")
    if not browser:
        if os.environ.get("CXM_REQUIRE_CHROMIUM") == "1":
            print("chromium is missing: apt-get install chromium (bash .ci/deps.sh --ci)")
            return 1
        print("chromium not installed: skipped")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "report.html")
        subprocess.run([exe, tickets, "--survey", survey, "--as-of", "2024-03-25T00:00Z",
                        "--html", page], check=True, stdout=subprocess.DEVNULL)
        html = open(page, encoding="utf-8").read()
        problems = []
        if re.search(r"<script", html, re.I):
            problems.append("the page has a script")
        if re.search(r"(src|href)\s*=\s*\"(https?:)?//", html, re.I) or "@import" in html:
            problems.append("the page fetches something from the network")
        for chart in ("Net Promoter Score by kind", "Weekly trend", "SLA compliance by priority",
                      "Resolution time by channel", "Agent leaderboard"):
            if chart not in html:
                problems.append(f"no chart: {chart}")
        shot = os.path.join(tmp, "shot.png")
        cmd = [browser, "--headless", "--disable-gpu", "--hide-scrollbars",
               "--enable-logging=stderr", "--v=0", f"--user-data-dir={tmp}/profile",
               "--window-size=1024,2600", f"--screenshot={shot}", "file://" + page]
        if os.geteuid() == 0:
            cmd.insert(1, "--no-sandbox")  # Chromium refuses its sandbox as root
        env = dict(os.environ, HOME=tmp)
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp, env=env)
        console = [l for l in p.stderr.splitlines() if ":CONSOLE" in l]
        if console:
            problems.append("console messages:\n  " + "\n  ".join(console))
        if not os.path.exists(shot):
            problems.append(f"no screenshot (exit {p.returncode}):\n{p.stderr[-2000:]}")
        else:
            w, h, ch, rows = png_pixels(shot)
            inked = colours = 0
            seen = set()
            for y in range(0, h, 4):
                row = rows[y]
                for x in range(0, w * ch, ch * 4):
                    px = row[x:x + 3]
                    if px != b"\xff\xff\xff":
                        inked += 1
                    seen.add(px)
            share = inked / ((h // 4 + 1) * (w // 4 + 1))
            colours = len(seen)
            print(f"screenshot {w}x{h}: {100 * share:.1f}% of pixels inked, {colours} colours")
            if share < 0.05 or colours < 8:
                problems.append("the screenshot is blank or nearly so")
            if keep:
                shutil.copy(shot, keep)
        if problems:
            print("\n".join(problems))
            return 1
    print("the page renders, self-contained, with no console message")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
