"""The README's notebook example: NPS by kind, weekly CSAT, MTTR per agent.

    python3 bindings/python/examples/notebook.py   (from the repository root)
"""
import csv
import datetime as dt
import os
from collections import defaultdict

import cxm

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
survey = os.path.join(root, "examples", "data", "survey_sample.csv")
tickets = os.path.join(root, "bindings", "python", "examples", "tickets.csv")

# NPS by kind, never blended: one accumulator per kind, competitors in a panel.
nps = {"relational": cxm.Nps("relational"), "transactional": cxm.Nps("transactional")}
panel = cxm.NpsPanel()
for name, score in csv.reader(line for line in open(survey) if not line.startswith("#")):
    kind = name.removeprefix("nps_")
    if kind in nps:
        nps[kind].add(int(score))
    elif kind.startswith("competitive"):
        panel.add(0 if kind.endswith("ours") else int(kind.rsplit("_", 1)[1]), int(score))
for kind, acc in nps.items():
    r = acc.result()
    print(f"{kind:13} NPS {r.nps:+6.1f}  95% CI [{r.ci.lower:+.1f}, {r.ci.upper:+.1f}]  n={r.n}")
for g in panel.gaps():
    print(f"gap to brand {g.brand}: {g.gap:+.1f} [{g.ci.lower:+.1f}, {g.ci.upper:+.1f}] p={g.p:.3f}")

# Weekly CSAT (satisfied share with its Wilson interval) and MTTR per agent.
weekly = defaultdict(cxm.Csat)
mttr = defaultdict(lambda: cxm.Duration("resolution"))
for t in csv.DictReader(open(tickets)):
    created = dt.datetime.fromisoformat(t["created"])
    if t["csat"]:
        weekly[created.strftime("%G-W%V")].add(int(t["csat"]))
    if t["solved"]:
        mttr[t["agent"]].add_between(created, dt.datetime.fromisoformat(t["solved"]))
for week, c in sorted(weekly.items()):
    r = c.result()
    print(f"{week} CSAT {r.satisfied_pct:4.1f}% [{r.satisfied_ci.lower:.1f}, "
          f"{r.satisfied_ci.upper:.1f}] n={r.n}")
for agent, d in sorted(mttr.items()):
    v = d.mttr()
    print(f"{agent:6} MTTR {v.mean / 3600:5.1f} h  median {v.median / 3600:5.1f} h  n={v.n}")
