#!/usr/bin/env python3
"""Adds up the meson test logs of every CI build into one closing line.

    python3 .ci/summary.py [--since EPOCH_SECONDS] [ROOT]

Every `meson test` run writes meson-logs/<logbase>.json in its build
directory (testlog.json, testlog-valgrind.json for --setup valgrind, and
whatever --logbase names). Each CI run that shares a build directory must
use its own --logbase, or the later run overwrites the earlier one's log and
its tests drop out of the sum. This script reads all of them; with --since
only tests that started at or after that instant count, so build directories
left over from earlier work do not inflate the figure.

Prints one line per log, then the closing line, alone: "N passed, N failed".
Skipped tests are named in the per-log lines; they are neither. Exits 1 when
anything failed or nothing passed.
"""
import argparse
import glob
import json
import os
import sys

PASS = ("OK", "EXPECTEDFAIL")
SKIP = ("SKIP",)


def count(path, since):
    """(passed, failed, skipped, failed names) of one log, tests since `since`."""
    passed = failed = skipped = 0
    bad = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{lineno}: not a meson test log line ({e})")
            if since is not None and entry.get("starttime", 0) < since:
                continue
            result = entry.get("result", "")
            if result in PASS:
                passed += 1
            elif result in SKIP:
                skipped += 1
            else:
                failed += 1
                bad.append(f"{entry.get('name', '?')} ({result})")
    return passed, failed, skipped, bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--since", type=float, default=None,
                    help="count only tests started at or after this Unix time")
    ap.add_argument("root", nargs="?", default=".", help="directory holding the build-*/ dirs")
    args = ap.parse_args()

    logs = sorted(glob.glob(os.path.join(args.root, "build-*", "meson-logs", "testlog*.json")))
    passed = failed = skipped = 0
    for log in logs:
        p, f, s, bad = count(log, args.since)
        if p + f + s == 0:
            continue
        print(f"  {os.path.relpath(log, args.root)}: {p} passed, {f} failed, {s} skipped")
        for name in bad:
            print(f"    FAILED: {name}")
        passed, failed, skipped = passed + p, failed + f, skipped + s
    if passed + failed + skipped == 0:
        print("no meson test log found under build-*/meson-logs/ (did any test run?)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
