#!/usr/bin/env python3
"""Benchmark: cxm-report throughput on a generated ticket export, next to a
plain read of the same file. One JSON object per line (see bench/README.md).

    bench_report.py CXM_REPORT GEN_SAMPLE.py [--quick]

Times are CPU seconds of the child process (user + system), the median of
repeated runs, so other jobs on a shared machine are not counted.
  report.tickets   rows/s of `cxm-report --json` (every figure of the report)
  ref: read        rows/s of `wc -l` on the same file: the bytes read and
                   scanned once, no CSV parsing, no metric
Target: at least 500,000 ticket rows per second on one core.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile


def cpu(cmd):
    with open(os.devnull, "w") as null:
        p = subprocess.Popen(cmd, stdout=null, stderr=null)
        _, status, usage = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[0]} failed")
    return usage.ru_utime + usage.ru_stime


def main(argv):
    exe, gen = argv[1], argv[2]
    quick = "--quick" in argv
    rows, reps = (100_000, 1) if quick else (1_000_000, 5)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tickets.csv")
        subprocess.run([sys.executable, gen, "--rows", str(rows), path], check=True)
        size = os.path.getsize(path)
        report = statistics.median(cpu([exe, path, "--json", "--list", "5",
                                        "--as-of", "2024-06-01T00:00Z"]) for _ in range(reps))
        read = statistics.median(cpu(["wc", "-l", path]) for _ in range(reps))
    value, ref = rows / report, rows / max(read, 1e-3)
    limit = 500_000
    print(json.dumps({
        "name": "report.tickets", "unit": "rows/s", "value": round(value), "n": rows,
        "ref": round(ref), "ratio": round(ref / value, 2),
        "limit_on": "value", "limit_op": ">=", "limit": limit, "met": value >= limit,
        "missed_by_pct": round(max(0.0, 100 * (limit - value) / limit), 1),
        "note": f"ref: wc -l on the same {size / 1e6:.0f} MB file; CPU time, median of {reps}"}))
    print(json.dumps({"name": "report.bytes", "unit": "MB/s", "value": round(size / 1e6 / report, 1),
                      "n": size, "note": "input bytes per CPU second of cxm-report"}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
