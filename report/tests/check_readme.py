#!/usr/bin/env python3
"""report/README.md shows the complete output of cxm-report on the shipped
sample: the block after "The output (complete):" must be what the program
prints now (trailing blanks aside), and the usage block what --help prints,
so the page cannot drift from the program.

    check_readme.py CXM_REPORT README.md TICKETS.csv SURVEY.csv
"""
import os
import re
import subprocess
import sys


def main(exe, readme, tickets, survey):
    text = open(readme, encoding="utf-8").read()
    at = text.index("The output (complete):")
    shown = re.search(r"```text\n(.*?)```", text[at:], re.S).group(1)
    # The README's command, run from the repository root; paths as it prints them.
    args = [os.path.abspath(exe), "report/sample/tickets.csv", "--survey", "report/sample/survey.csv",
            "--as-of", "2024-03-25T00:00Z"]
    root = tickets[: -len("report/sample/tickets.csv")] or "."
    got = subprocess.run(args, capture_output=True, text=True, cwd=root, check=True).stdout
    want_lines = [l.rstrip() for l in shown.splitlines()]
    got_lines = [l.rstrip() for l in got.splitlines()]
    if want_lines != got_lines:
        for n, (w, g) in enumerate(zip(want_lines + [""] * len(got_lines),
                                       got_lines + [""] * len(want_lines)), 1):
            if w != g:
                print(f"report/README.md differs from the program at output line {n}:\n"
                      f"  README:  {w!r}\n  program: {g!r}")
                break
        sys.exit(1)
    # The usage block is what --help prints.
    at = text.index("## Usage")
    usage = re.search(r"```text\n(.*?)```", text[at:], re.S).group(1)
    helped = subprocess.run([os.path.abspath(exe), "--help"], capture_output=True, text=True,
                            check=True)
    if usage != helped.stdout + helped.stderr:
        print("report/README.md's usage block is not what cxm-report --help prints:\n"
              + helped.stdout + helped.stderr)
        sys.exit(1)
    print(f"report/README.md: the complete output matches ({len(got_lines)} lines), "
          "and the usage is --help's")


if __name__ == "__main__":
    main(*sys.argv[1:])
