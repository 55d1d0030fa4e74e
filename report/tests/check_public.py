#!/usr/bin/env python3
"""The public customer_support_tickets.csv export, when it is next to the
source tree (SRCROOT/../shared/data/): row counts per reason, per-channel
volumes and CSAT per channel, computed here with Python's csv module and
compared with `cxm-report --json`. Exit 77 (skipped) when the file is absent.

    check_public.py CXM_REPORT SRCROOT
"""
import csv
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import datetime


def main(exe, root):
    path = os.path.join(root, "..", "shared", "data", "customer_support_tickets.csv")
    if not os.path.exists(path):
        print(f"{path} not found: skipped")
        return 77
    rows = contradictory = 0
    volume, answers = Counter(), defaultdict(list)
    with open(path, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            rows += 1
            reply = datetime.strptime(r["First_Response_Time"], "%Y-%m-%d %H:%M")
            solved = datetime.strptime(r["Time_to_Resolution"], "%Y-%m-%d %H:%M")
            # no creation time: the first response stands in, so a resolution
            # before it contradicts the row
            contradictory += solved < reply
            volume[r["Ticket_Channel"]] += 1
            if r["Customer_Satisfaction_Rating"]:
                answers[r["Ticket_Channel"]].append(int(r["Customer_Satisfaction_Rating"]))
    failures = []

    def check(what, got, want, tol=0.0):
        if (abs(got - want) > tol) if isinstance(want, float) else got != want:
            failures.append(f"{what}: cxm-report says {got!r}, expected {want!r}")

    for policy in ("keep", "leave-out"):
        out = subprocess.run([exe, path, "--json", "--as-of", "2024-01-01T00:00Z",
                              "--contradictions", policy], capture_output=True, text=True,
                             check=True)
        rep = json.loads(out.stdout)
        f = rep["input"]["files"][0]
        check(f"{policy}: preset", rep["layout"]["preset"], "kaggle")
        check(f"{policy}: rows", f["rows"], rows)
        by = rep["input"]["bad_rows"]["by_reason"]
        key = "partly_used" if policy == "keep" else "refused"
        check(f"{policy}: contradictory rows", by["contradictory_times"][key], contradictory)
        check(f"{policy}: other reasons", sorted(by), ["contradictory_times"])
        check(f"{policy}: refused", f["refused"], 0 if policy == "keep" else contradictory)
        if policy != "keep":
            continue
        check("partly used", f["partly_used"], contradictory)
        for g in rep["tickets"]["channels"]:
            c = g["name"]
            check(f"{c} volume", g["tickets"], volume[c])
            a = answers[c]
            check(f"{c} CSAT answers", g["csat"]["n"], len(a))
            check(f"{c} CSAT mean", g["csat"]["mean"], sum(a) / len(a), 1e-6)
            check(f"{c} CSAT satisfied %", g["csat"]["satisfied_pct"],
                  100 * sum(1 for x in a if x >= 4) / len(a), 1e-6)
        check("channels", sorted(g["name"] for g in rep["tickets"]["channels"]), sorted(volume))
        check("FCR not claimed", rep["layout"]["fcr_profile"], None)
    if failures:
        print("\n".join(failures))
        return 1
    print(f"public export: {rows} rows, {contradictory} contradictory, figures match")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
