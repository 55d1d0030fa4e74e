#!/usr/bin/env python3
"""The README's examples, run: every ```sql block of extensions/postgresql/README.md
goes, in order, to one database through psql, and the plain block right
after it must be exactly what psql printed (trailing spaces aside).

    check_readme.py README.md PSQL [ARGS...]

PSQL ARGS is the psql command to use (the caller points it at a throwaway
cluster and a fresh database); this script adds -q, -X, ON_ERROR_STOP and
footer=off so the output has the form the README shows.
"""
import re
import subprocess
import sys


def blocks(text):
    """(sql, expected output or None) for each ```sql block, in order."""
    found = re.findall(r"```([\w ]*)\n(.*?)```", text, re.S)
    out = []
    for i, (lang, body) in enumerate(found):
        if lang != "sql":  # "sql excerpt" blocks quote a regression test: not run here
            continue
        nxt = found[i + 1] if i + 1 < len(found) else None
        out.append((body, nxt[1] if nxt and nxt[0] == "" else None))
    return out


def norm(s):
    return "\n".join(line.rstrip() for line in s.strip("\n").split("\n"))


def main():
    readme, psql = sys.argv[1], sys.argv[2:]
    psql = psql + ["-q", "-X", "-v", "ON_ERROR_STOP=1", "-P", "footer=off", "-f", "-"]
    failed = 0
    todo = blocks(open(readme, encoding="utf-8").read())
    for n, (sql, expected) in enumerate(todo, 1):
        run = subprocess.run(psql, input=sql, capture_output=True, text=True)
        first = sql.strip().split("\n")[0][:70]
        if run.returncode != 0:
            print(f"README block {n} ({first}): psql failed:\n{run.stderr}")
            failed += 1
            continue
        if expected is not None and norm(run.stdout) != norm(expected):
            print(f"README block {n} ({first}): the output differs\n--- README\n{expected}"
                  f"--- psql\n{run.stdout}")
            failed += 1
    print(f"README examples: {len(todo)} blocks run, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
