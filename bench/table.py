#!/usr/bin/python3
"""Turns the JSON lines of the benchmarks into the Markdown table of
bench/README.md:

    meson test -C build-bench --benchmark --suite full --verbose 2>&1 | \\
        /usr/bin/python3 bench/table.py

Lines that are not benchmark JSON objects (meson's own output) are skipped.
"""
import json
import sys


def fmt(v):
    if isinstance(v, bool) or v is None:
        return ""
    a = abs(v)
    if a >= 1e9 or (a < 1e-3 and a != 0):
        return f"{v:.3g}"
    if a >= 100:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def main():
    print("| figure | value | unit | n | in-run reference | ratio | target | met |")
    print("|---|---:|---|---:|---:|---:|---|---|")
    seen = set()
    for line in sys.stdin:
        start = line.find("{\"name\"")
        if start < 0:
            continue
        try:
            r = json.loads(line[start:])
        except ValueError:
            continue
        if r["name"] in seen:
            continue
        seen.add(r["name"])
        target = ""
        met = ""
        if "limit" in r:
            target = f"{r['limit_on']} {r['limit_op']} {fmt(r['limit'])}"
            met = "yes" if r["met"] else f"**no** (missed by {r['missed_by_pct']}%)"
        ref = fmt(r["ref"]) if "ref" in r else ""
        ratio = f"{r['ratio']:.3f}" if "ratio" in r else ""
        n = f"{r['n']:,.0f}" if r.get("n") else ""
        print(f"| {r['name']} | {fmt(r['value'])} | {r['unit']} | {n} | {ref} | {ratio} "
              f"| {target} | {met} |")


if __name__ == "__main__":
    main()
