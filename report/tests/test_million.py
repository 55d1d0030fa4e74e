#!/usr/bin/env python3
"""A generated 10^6-row ticket export, read in constant memory.

    test_million.py CXM_REPORT GEN_SAMPLE.py

Runs cxm-report on 10^5 and on 10^6 rows of the same layout and checks
that every row was read and that the peak resident memory did not grow
with the rows (within 4 MiB: allocator noise), nor pass 64 MiB. The time is
printed for information; the throughput figure comes from the benchmark.
"""
import json
import os
import subprocess
import sys
import tempfile
import time


def run(exe, path):
    t0 = time.monotonic()
    with open(os.devnull, "w") as null:
        with tempfile.TemporaryFile() as out:
            p = subprocess.Popen([exe, path, "--json", "--list", "5",
                                  "--as-of", "2024-06-01T00:00Z"], stdout=out, stderr=null)
            _, status, usage = os.wait4(p.pid, 0)
            out.seek(0)
            rep = json.loads(out.read())
    assert os.waitstatus_to_exitcode(status) == 0, "cxm-report failed"
    return rep, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, time.monotonic() - t0


def progress_line(exe, path):
    """A progress line on stderr when it is a terminal, nothing in a pipe."""
    import pty
    master, slave = pty.openpty()
    with open(os.devnull, "w") as null:
        p = subprocess.Popen([exe, path, "--json", "--as-of", "2024-06-01T00:00Z"],
                             stdout=null, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    p.wait()
    os.close(master)
    if b"MB" not in seen or b"rows" not in seen:
        return f"no progress line on a terminal: {seen[:200]!r}"
    piped = subprocess.run([exe, path, "--json", "--as-of", "2024-06-01T00:00Z"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if piped.stderr:
        return f"progress written to a pipe: {piped.stderr[:200]!r}"
    return None


def main(exe, gen):
    with tempfile.TemporaryDirectory() as tmp:
        peaks = {}
        for rows in (100_000, 1_000_000):
            path = os.path.join(tmp, f"t{rows}.csv")
            subprocess.run([sys.executable, gen, "--rows", str(rows), path], check=True)
            rep, peak, cpu, wall = run(exe, path)
            f = rep["input"]["files"][0]
            if f["rows"] != rows or f["used"] + f["partly_used"] + f["refused"] != rows:
                print(f"{rows} rows written, {f['rows']} read")
                return 1
            peaks[rows] = peak
            print(f"{rows} rows: peak {peak / 1024:.1f} MiB, {cpu:.2f} s CPU "
                  f"({rows / cpu:,.0f} rows/s), {wall:.2f} s wall")
            if rows == 1_000_000:
                problem = progress_line(exe, path)
                if problem:
                    print(problem)
                    return 1
            os.unlink(path)
        growth = (peaks[1_000_000] - peaks[100_000]) / 1024
        if growth > 4 or peaks[1_000_000] > 64 * 1024:
            print(f"memory grew with the rows: +{growth:.1f} MiB")
            return 1
    print("constant memory: ten times the rows, the same peak")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
