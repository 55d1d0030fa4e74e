#!/usr/bin/python3
"""Turns the JSON lines of the benchmarks into the Markdown table of
bench/README.md:

    meson test -C build-bench --benchmark --suite full --verbose 2>&1 | \\
        /usr/bin/python3 bench/table.py

Lines that are not benchmark JSON objects (meson's own output) are skipped.
With --targets, only the figures that carry a target, one line each with
the limit, the figure the limit applies to and met / missed_by_pct.
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


def records(lines):
    seen = set()
    for line in lines:
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
        yield r


def targets(lines):
    print("| figure | target | measured | met |")
    print("|---|---|---:|---|")
    for r in records(lines):
        if "limit" not in r:
            continue
        on = r["limit_on"]
        x = r["ratio"] if on == "ratio" else r["value"]
        what = f"{on} {r['limit_op']} {fmt(r['limit'])}" + ("" if on == "ratio" else
                                                             f" {r['unit']}")
        met = "met" if r["met"] else f"**missed by {r['missed_by_pct']}%**"
        shown = f"{x:.3f}" if on == "ratio" else fmt(x)
        print(f"| {r['name']} | {what} | {shown} | {met} |")


def main():
    if "--targets" in sys.argv[1:]:
        targets(sys.stdin)
        return
    print("| figure | value | unit | n | in-run reference | ratio | target | met |")
    print("|---|---:|---|---:|---:|---:|---|---|")
    for r in records(sys.stdin):
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
