#!/usr/bin/env python3
"""Adds up the meson test logs of every CI build into one closing line."""
import glob
import json
import sys

passed = failed = skipped = 0
for log in sorted(glob.glob("build-*/meson-logs/testlog*.json")):
    with open(log) as f:
        for line in f:
            result = json.loads(line).get("result", "")
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or not passed else 0)
