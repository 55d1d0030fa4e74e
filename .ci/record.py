#!/usr/bin/env python3
"""Records tests that do not run under `meson test` in a meson-style log, so
that .ci/summary.py counts them in CI's closing line like every other test.

    python3 .ci/record.py unittest LOG -- ARGS...   runs `python -m unittest ARGS`
                                                    (this interpreter), one log
                                                    line per test; exits as unittest does
    python3 .ci/record.py pg_regress LOG OUTPUT     one log line per test of a
                                                    pg_regress run's output

LOG is a meson-logs/testlog-<name>.json path under a build-* directory; lines
are appended with the fields summary.py reads (name, result, starttime).
"""
import json
import os
import re
import sys
import time
import unittest


def append(log, suite, results):
    os.makedirs(os.path.dirname(log), exist_ok=True)
    now = time.time()
    with open(log, "a", encoding="utf-8") as f:
        for name, result in results:
            f.write(json.dumps({"name": f"{suite} / {name}", "result": result,
                                "starttime": now}) + "\n")


class Recorder(unittest.TextTestResult):
    """A text result that also remembers each test's outcome."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.outcomes = []

    def addSuccess(self, test):
        super().addSuccess(test)
        self.outcomes.append((test.id(), "OK"))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.outcomes.append((test.id(), "FAIL"))

    def addError(self, test, err):
        super().addError(test, err)
        self.outcomes.append((test.id(), "ERROR"))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.outcomes.append((test.id(), "SKIP"))

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.outcomes.append((test.id(), "EXPECTEDFAIL"))

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.outcomes.append((test.id(), "UNEXPECTEDPASS"))


def run_unittest(log, argv):
    prog = unittest.main(module=None, argv=["python -m unittest"] + argv, exit=False,
                         testRunner=unittest.TextTestRunner(resultclass=Recorder, verbosity=2))
    result = prog.result
    append(log, "python", result.outcomes)
    if not result.testsRun:
        print("record.py: unittest ran no test", file=sys.stderr)
        return 1
    return 0 if result.wasSuccessful() else 1


# pg_regress (PostgreSQL 15) prints "test name ... ok  12 ms" (or "ok" after
# a parallel group's name) and "FAILED"/"failed" for a failure.
PG_LINE = re.compile(r"^\s*(?:test\s+)?(\S+)\s+\.\.\.\s+(ok|FAILED|failed)\b")


def run_pg_regress(log, output):
    results = []
    with open(output, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = PG_LINE.match(line)
            if m:
                results.append((m.group(1), "OK" if m.group(2) == "ok" else "FAIL"))
    append(log, "pg_regress", results)
    if not results:
        print(f"record.py: no pg_regress test line in {output}", file=sys.stderr)
        return 1
    return 0


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "unittest" and sys.argv[3] == "--":
        return run_unittest(sys.argv[2], sys.argv[4:])
    if len(sys.argv) == 4 and sys.argv[1] == "pg_regress":
        return run_pg_regress(sys.argv[2], sys.argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
