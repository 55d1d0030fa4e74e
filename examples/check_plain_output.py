#!/usr/bin/env python3
"""The examples speak plain words: they name their input and the rows read
and refused, explain intervals and significance in words, name competitors,
say "no data" where there is nothing to measure, and print no bare jargon
("p=", "sd", "CI [", "index %(6-7) - %(1-3)", "brand 2").

    python3 examples/check_plain_output.py survey  SURVEY_DEMO  survey_sample.csv
    python3 examples/check_plain_output.py tickets TICKET_REPORT tickets_sample.csv
"""
import os
import re
import subprocess
import sys
import tempfile

JARGON = [r"\bp=", r"\bsd\b", r"\bCI \[", r"%\(6-7\) - %\(1-3\)", r"\bn=\d", r"\bp90\b"]


def run(exe, path):
    p = subprocess.run([exe, path], capture_output=True, text=True, check=False)
    return p.returncode, p.stdout, p.stderr


def expect(cond, what, out):
    if not cond:
        print(f"FAIL: {what}\n--- output ---\n{out}")
        sys.exit(1)


def run_plain(exe, path):
    """Runs the example on path; it must succeed, name the file first, call
    intervals '95% interval' and print no bare jargon. Returns (stdout, stderr)."""
    rc, out, err = run(exe, path)
    expect(rc == 0, f"{os.path.basename(exe)} {path} exits 0, not {rc}: {err}", out)
    expect(path in out.splitlines()[0], "the first line names the input file", out)
    for pattern in JARGON:
        expect(not re.search(pattern, out), f"no bare jargon matching {pattern!r}", out)
    expect("95% interval" in out, "intervals are called '95% interval'", out)
    return out, err


def survey(exe, sample):
    out, _ = run_plain(exe, sample)
    with open(sample, encoding="utf-8") as f:
        rows = [l for l in f if l.strip() and not l.startswith("#")]
    expect(f"{len(rows)} answers read, {len(rows)} counted, 0 refused" in out,
           f"the counts of the {len(rows)} answer rows", out)
    expect("Northwind Support" in out and "Contoso Care" in out, "competitors by name", out)
    expect(not re.search(r"\bbrand \d", out), "no competitor called by its number", out)
    expect(re.search(r"points (ahead|behind)", out), "the sign of each gap in words", out)
    expect("clear difference" in out and "chance" in out, "significance in words", out)

    # A refused row, an unnamed competitor and an empty survey.
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "small.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("# brand 5: Fabrikam Help\nnps_competitive_ours,10\nnps_competitive_brand_5,0\n"
                    "csat,9\nnps_competitive_brand_6,8\n")
        out, err = run_plain(exe, path)
        expect("4 answers read, 3 counted, 1 refused" in out, "a refused row is counted", out)
        expect(f"{path} line 4 refused" in err, "the refused row is named with its line", err)
        expect("We are 100.0 points ahead" in out, "a positive gap is 'ahead'", out)
        expect("brand 6 (no name in the input)" in out, "an unnamed competitor says so", out)
        expect("Customer satisfaction (CSAT): no data" in out, "an empty survey is 'no data'", out)


def tickets(exe, sample):
    out, _ = run_plain(exe, sample)
    with open(sample, encoding="utf-8") as f:
        lines = f.read().splitlines()
    rows = len(lines) - 1
    expect(re.search(rf"\b{rows} rows read, \d+ tickets counted, \d+ refused", out),
           f"the counts of the {rows} rows", out)
    expect("refused because" in out, "why rows were refused, in words", out)
    # The channel x priority table: every counted (resolved) ticket in one cell, once.
    expect("Resolved in time by channel and priority" in out, "the channel x priority table", out)
    counted = int(re.search(r"(\d+) tickets counted", out).group(1))
    cells = [int(n) for n in re.findall(r"% of (\d+)", out)]
    expect(len(cells) <= 16 and sum(cells) == counted,
           f"the cells add up to the {counted} tickets counted", out)
    expect("by agent\n  no data" in out, "no agent column says 'no data'", out)
    expect(re.search(r"Memory the two roll-ups use: [\d.]+ KiB", out), "the memory used", out)

    # One ticket: every other group has "no data", never 0%.
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "one.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(lines[0] + "\n" + lines[1] + "\n")
        out, _ = run_plain(exe, path)
        expect("1 rows read, 1 tickets counted, 0 refused" in out, "one ticket counted", out)
        empty = [l for l in out.splitlines() if re.match(r"  \S.*\s0  no data$", l)]
        expect(len(empty) >= 3, "groups without tickets say 'no data'", out)


if __name__ == "__main__":
    {"survey": survey, "tickets": tickets}[sys.argv[1]](sys.argv[2], sys.argv[3])
    print("plain words ok")
