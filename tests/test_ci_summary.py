#!/usr/bin/env python3
"""The CI closing line adds up every meson test log of every build directory:
logs of several runs in one directory (--logbase, --setup) all count, tests
started before --since do not, and a failure fails the script.

    python3 tests/test_ci_summary.py SOURCE_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile


def write_log(root, build, base, entries):
    d = os.path.join(root, build, "meson-logs")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, base + ".json"), "w", encoding="utf-8") as f:
        for name, result, start in entries:
            f.write(json.dumps({"name": name, "result": result, "starttime": start}) + "\n")


def run(script, root, *extra):
    p = subprocess.run([sys.executable, script, *extra, root], capture_output=True, text=True,
                       check=False)
    last = p.stdout.rstrip("\n").split("\n")[-1]
    return p.returncode, last, p.stdout


def check(cond, what, out):
    if not cond:
        print(f"FAIL: {what}\n--- output ---\n{out}")
        sys.exit(1)


def main():
    script = os.path.join(sys.argv[1], ".ci", "summary.py")
    with tempfile.TemporaryDirectory() as root:
        # One build directory, three runs: tests, benchmarks, valgrind.
        write_log(root, "build-test", "testlog", [(f"t{i}", "OK", 100.0) for i in range(25)])
        write_log(root, "build-test", "testlog-benchmark", [(f"b{i}", "OK", 200.0) for i in range(5)])
        write_log(root, "build-test", "testlog-valgrind",
                  [(f"t{i}", "OK", 300.0) for i in range(20)] + [("s", "SKIP", 300.0)])
        # A build directory left over from before the run.
        write_log(root, "build-old", "testlog", [("old", "FAIL", 50.0)])

        rc, last, out = run(script, root, "--since", "100")
        check(last == "50 passed, 0 failed", "every run counts, the stale one does not", out)
        check(rc == 0, "exit 0 when all passed", out)

        rc, last, out = run(script, root)
        check(last == "50 passed, 1 failed", "without --since every log counts", out)
        check(rc == 1, "exit 1 on a failure", out)
        check("FAILED: old (FAIL)" in out, "the failed test is named", out)

        rc, last, out = run(script, root, "--since", "1000")
        check(last == "0 passed, 0 failed" and rc == 1, "nothing ran is a failure", out)
    print("ci summary ok")


if __name__ == "__main__":
    main()
