#!/usr/bin/env python3
"""An extension README's examples, run: every ```sql block goes, in order,
to one database through the given shell, and the plain block right after
it must be exactly what the shell printed (trailing spaces aside).

    check_readme.py README.md [--fresh FILE] [--prefix TEXT] COMMAND [ARGS...]

COMMAND ARGS reads SQL on standard input and prints the results in the form
the README shows (the caller points it at a throwaway database that lives
across the calls: psql with -q -X -P footer=off, or sqlite3 on a file);
TEXT goes before each block (sqlite3's .load); FILE (a database file) is
removed first, so every run starts from an empty database. "sql excerpt" blocks quote a
regression test and are not run here.
"""
import os
import re
import subprocess
import sys


def blocks(text):
    """(sql, expected output or None) for each ```sql block, in order."""
    found = re.findall(r"```([\w ]*)\n(.*?)```", text, re.S)
    out = []
    for i, (lang, body) in enumerate(found):
        if lang != "sql":
            continue
        nxt = found[i + 1] if i + 1 < len(found) else None
        out.append((body, nxt[1] if nxt and nxt[0] == "" else None))
    return out


def norm(s):
    return "\n".join(line.rstrip() for line in s.strip("\n").split("\n"))


def main():
    readme, cmd, prefix = sys.argv[1], sys.argv[2:], ""
    if cmd[:1] == ["--fresh"]:
        if os.path.exists(cmd[1]):
            os.remove(cmd[1])
        cmd = cmd[2:]
    if cmd[:1] == ["--prefix"]:
        prefix, cmd = cmd[1] + "\n", cmd[2:]
    failed = 0
    todo = blocks(open(readme, encoding="utf-8").read())
    for n, (sql, expected) in enumerate(todo, 1):
        run = subprocess.run(cmd, input=prefix + sql, capture_output=True, text=True)
        first = sql.strip().split("\n")[0][:70]
        if run.returncode != 0 or run.stderr:
            print(f"README block {n} ({first}): {cmd[0]} failed:\n{run.stderr}")
            failed += 1
            continue
        if expected is not None and norm(run.stdout) != norm(expected):
            print(f"README block {n} ({first}): the output differs\n--- README\n{expected}"
                  f"--- {cmd[0]}\n{run.stdout}")
            failed += 1
    print(f"README examples: {len(todo)} blocks run, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
