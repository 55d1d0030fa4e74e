#!/usr/bin/env python3
"""The shipped sample, figure by figure, against an independent computation.

    check_sample.py CXM_REPORT TICKETS.csv SURVEY.csv

Reads the two CSVs with Python's csv module, applies the definitions below
(written out here, not taken from cxm), runs `cxm-report --json` on the same
files and compares. Counts must match exactly; means and shares to 1e-6;
quantiles to the sketch's relative error (1/129) around the exact order
statistic at rank floor(q (n - 1)).
"""
import csv
import json
import math
import subprocess
import sys
from collections import defaultdict
from datetime import datetime, timedelta, timezone

AS_OF = datetime(2024, 3, 25, tzinfo=timezone.utc)
Z95 = 1.959963984540054
LEVELS = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
# targets in hours (first reply, resolution), calendar time: the presets' defaults
TARGETS = {0: (1, 8), 1: (4, 24), 2: (8, 72), 3: (24, 168)}
failures = []


def check(what, got, want, tol=0.0, rel=0.0):
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        ok = abs(got - want) <= tol + rel * abs(want)
    else:
        ok = got == want
    if not ok:
        failures.append(f"{what}: cxm-report says {got!r}, expected {want!r}")


def wilson(k, n):
    """Wilson score interval, percent."""
    p = k / n
    d = 1 + Z95 ** 2 / n
    c = (p + Z95 ** 2 / (2 * n)) / d
    h = Z95 * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n)) / d
    return 100 * (c - h), 100 * (c + h)


def when(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def read_tickets(path):
    """Returns (counts, kept tickets). A ticket: dict of the fields used."""
    counts = dict(rows=0, used=0, partly=0, refused=0)
    kept = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = csv.DictReader(f)
        for r in rows:
            counts["rows"] += 1
            partly = False
            try:
                created = when(r["Created at"])
            except ValueError:
                counts["refused"] += 1
                continue
            prio = LEVELS.get(r["Priority"].lower())
            if prio is None:
                counts["refused"] += 1
                continue

            def minutes(col):
                v = r[col]
                return None if v == "" else created + timedelta(minutes=int(v))

            def count(col):
                nonlocal partly
                v = r[col]
                if v == "":
                    return 0
                if not v.isdigit():
                    partly = True
                    return 0
                return int(v)

            fr, fs, ls = (minutes(c) for c in ("First reply time in minutes",
                                               "First resolution time in minutes",
                                               "Full resolution time in minutes"))
            reopens, replies = count("Reopens"), count("Replies")
            solved = r["Status"].lower() in ("solved", "closed", "resolved")
            if fs is None:
                fs = ls
            if ls is None or reopens == 0:
                ls = fs
            if not solved:
                ls = None
                if reopens == 0:
                    fs = None
            csat = None
            v = r["Satisfaction Score"]
            if v.isdigit():
                if 1 <= int(v) <= 5:
                    csat = int(v)
                else:
                    partly = True
            ces = int(r["Customer effort score"]) if r["Customer effort score"] else None
            contradicted = (fr is not None and fr < created) or (fs is not None and fs < created) \
                or (ls is not None and fs is not None and ls < fs)
            if contradicted:  # kept without its times (the default)
                partly = True
                fr = fs = ls = None
                reopens = 0
            counts["partly" if partly else "used"] += 1
            kept.append(dict(created=created, prio=prio, channel=r["Via"], topic=r["Ticket type"],
                             agent=r["Assignee"], fr=fr, fs=fs, ls=ls, reopens=reopens,
                             replies=replies, csat=csat, ces=ces, complete=not contradicted))
    return counts, kept


def order_stat(values, q):
    v = sorted(values)
    return v[int(math.floor(q * (len(v) - 1)))]


def check_times(where, got, values):
    check(f"{where} n", got["n"], len(values))
    check(f"{where} mean", got["mean_s"], sum(values) / len(values), rel=1e-9)
    for q, key in ((0.5, "median_s"), (0.9, "p90_s")):
        check(f"{where} {key}", got[key], order_stat(values, q), tol=1.0, rel=1 / 129)


def sla(tickets, metric):
    met = missed = running = 0
    for t in tickets:
        if not t["complete"]:
            continue
        target = timedelta(hours=TARGETS[t["prio"]][metric])
        if metric == 0:
            ends = [x for x in (t["fr"], t["fs"]) if x is not None]
            end = min(ends) if ends else None
        else:
            end = t["ls"]
        if end is None:
            running += 1
        elif end - t["created"] <= target:
            met += 1
        else:
            missed += 1
    return met, missed, running


def check_group(where, got, tickets):
    full = [t for t in tickets if t["complete"]]
    check(f"{where} tickets", got["tickets"], len(tickets))
    check(f"{where} with all times", got["with_all_times"], len(full))
    solved = [t for t in full if t["ls"] is not None]
    check(f"{where} solved", got["solved"], len(solved))
    fcr = sum(1 for t in solved if t["replies"] < 2 and t["reopens"] == 0)
    if solved:
        check(f"{where} FCR successes", got["fcr"]["successes"], fcr)
        check(f"{where} FCR %", got["fcr"]["pct"], 100 * fcr / len(solved), rel=1e-9)
        lo, hi = wilson(fcr, len(solved))
        check(f"{where} FCR interval low", got["fcr"]["ci95"][0], lo, tol=1e-6)
        check(f"{where} FCR interval high", got["fcr"]["ci95"][1], hi, tol=1e-6)
    ever = [t for t in full if t["fs"] is not None]
    if ever:
        reopened = sum(1 for t in ever if t["reopens"] > 0)
        check(f"{where} reopened", got["reopened"]["successes"], reopened)
        check(f"{where} ever solved", got["reopened"]["trials"], len(ever))
    answers = [t["csat"] for t in tickets if t["csat"] is not None]
    if answers:
        sat = sum(1 for a in answers if a >= 4)
        check(f"{where} CSAT n", got["csat"]["n"], len(answers))
        check(f"{where} CSAT mean", got["csat"]["mean"], sum(answers) / len(answers), rel=1e-9)
        check(f"{where} CSAT satisfied %", got["csat"]["satisfied_pct"],
              100 * sat / len(answers), rel=1e-9)
        lo, hi = wilson(sat, len(answers))
        check(f"{where} CSAT interval low", got["csat"]["satisfied_ci95"][0], lo, tol=1e-6)
        check(f"{where} CSAT interval high", got["csat"]["satisfied_ci95"][1], hi, tol=1e-6)
    ces = [t["ces"] for t in tickets if t["ces"] is not None]
    if ces:
        check(f"{where} CES n", got["ces"]["n"], len(ces))
        check(f"{where} CES easy %", got["ces"]["easy_pct"],
              100 * sum(1 for c in ces if c >= 5) / len(ces), rel=1e-9)
    fr = [(t["fr"] - t["created"]).total_seconds() for t in full if t["fr"] is not None]
    if fr:
        check_times(f"{where} first reply", got["first_reply_time"], fr)
    res = [(t["ls"] - t["created"]).total_seconds() for t in solved]
    if res:
        check_times(f"{where} resolution", got["resolution_time"], res)


def nps_of(scores):
    n = len(scores)
    p = sum(1 for s in scores if s >= 9)
    d = sum(1 for s in scores if s <= 6)
    nps = 100 * (p - d) / n
    # adjusted Wald (Rocks 2016): 3/4 added to promoters and detractors, n + 3
    n2 = n + 3
    p2, d2 = (p + 0.75) / n2, (d + 0.75) / n2
    se = 100 * math.sqrt((p2 + d2 - (p2 - d2) ** 2) / n2)
    centre = 100 * (p2 - d2)
    return dict(n=n, p=p, d=d, nps=nps, se=se,
                ci=(max(-100, centre - Z95 * se), min(100, centre + Z95 * se)))


def main(exe, tickets_path, survey_path):
    out = subprocess.run([exe, tickets_path, "--survey", survey_path, "--json",
                          "--as-of", "2024-03-25T00:00Z"], capture_output=True, text=True,
                         check=True)
    rep = json.loads(out.stdout)
    counts, kept = read_tickets(tickets_path)
    files = rep["input"]["files"]
    check("ticket rows read", files[0]["rows"], counts["rows"])
    check("ticket rows used", files[0]["used"], counts["used"])
    check("ticket rows partly used", files[0]["partly_used"], counts["partly"])
    check("ticket rows refused", files[0]["refused"], counts["refused"])

    tk = rep["tickets"]
    check_group("overall", tk["overall"], kept)
    for g in tk["channels"]:
        check_group(f"channel {g['name']}", g, [t for t in kept if t["channel"] == g["name"]])
    for g in tk["topics"]:
        check_group(f"topic {g['name']}", g, [t for t in kept if t["topic"] == g["name"]])
    check("channels", sorted(g["name"] for g in tk["channels"]),
          sorted({t["channel"] for t in kept}))
    names = ["urgent", "high", "normal", "low"]
    for i, g in enumerate(tk["priorities"]):
        group = [t for t in kept if t["prio"] == i]
        check_group(f"priority {names[i]}", g, group)
        for metric, key in ((0, "first_reply"), (1, "resolution")):
            met, missed, running = sla(group, metric)
            s = g["sla"][key]
            check(f"{names[i]} {key} SLA met", s["met"], met)
            check(f"{names[i]} {key} SLA missed", s["missed"], missed)
            check(f"{names[i]} {key} SLA running", s["running"], running)
            check(f"{names[i]} {key} SLA %", s["compliance_pct"], 100 * met / (met + missed),
                  rel=1e-9)
            lo, hi = wilson(met, met + missed)
            check(f"{names[i]} {key} SLA interval high", s["ci95"][1], hi, tol=1e-6)
    for a in tk["agents"]:
        mine = [t for t in kept if t["agent"] == a["name"]]
        check(f"agent {a['name']} tickets", a["tickets"], len(mine))
        solved = [t for t in mine if t["complete"] and t["ls"] is not None]
        check(f"agent {a['name']} FCR", a["fcr"]["successes"],
              sum(1 for t in solved if t["replies"] < 2 and t["reopens"] == 0))

    # weekly: Monday 00:00 UTC weeks (no --tz)
    weeks = defaultdict(list)
    for t in kept:
        day = t["created"].astimezone(timezone.utc).date()
        weeks[(day - timedelta(days=day.weekday())).isoformat()].append(t)
    for w in rep["weekly"]:
        group = weeks.get(w["week_start"], [])
        if w["tickets"] is not None:
            check(f"week {w['week_start']} tickets", w["tickets"]["n"], len(group))
        fr = [(t["fr"] - t["created"]).total_seconds() for t in group
              if t["complete"] and t["fr"] is not None]
        if fr:
            check(f"week {w['week_start']} median first reply",
                  w["first_reply_median_hours"]["value"] * 3600, order_stat(fr, 0.5), tol=1.0,
                  rel=1 / 129)
        answers = [t["csat"] for t in group if t["csat"] is not None]
        if answers:
            check(f"week {w['week_start']} CSAT satisfied %", w["csat_satisfied_pct"]["value"],
                  100 * sum(1 for a in answers if a >= 4) / len(answers), rel=1e-9)

    # last week against the week before, CSAT satisfied: the pooled
    # two-proportion z test, p = erfc(|z| / sqrt 2)
    wk = sorted(weeks)
    sat = []
    for key in wk[-2:]:
        a = [t["csat"] for t in weeks[key] if t["csat"] is not None]
        sat.append((sum(1 for x in a if x >= 4), len(a)))
    (k1, n1), (k0, n0) = sat[1], sat[0]
    pool = (k1 + k0) / (n1 + n0)
    z = (k1 / n1 - k0 / n0) / math.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n0))
    got = rep["last_week_change"]["csat_satisfied_pct"]
    check("last-week CSAT change", got["change"], 100 * (k1 / n1 - k0 / n0), rel=1e-9)
    check("last-week CSAT p", got["p"], math.erfc(abs(z) / math.sqrt(2)), tol=1e-9)
    check("last-week CSAT significance", got["significant"], math.erfc(abs(z) / math.sqrt(2)) < 0.05)

    # survey
    kinds = defaultdict(list)
    with open(survey_path, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            key = r["kind"] if r["kind"] != "competitive" else ("competitive", r["brand"])
            kinds[key].append(int(r["score"]))
            if r["kind"] != "competitive":
                kinds[(r["kind"], r["channel"])].append(int(r["score"]))
    for c in rep["nps"]["by_channel"]:
        for kind in ("relational", "transactional"):
            scores = kinds.get((kind, c["channel"]), [])
            got = c[kind]
            check(f"{kind} NPS answers via {c['channel']}", got["n"] if got else 0, len(scores))
            if scores:
                check(f"{kind} NPS via {c['channel']}", got["nps"], nps_of(scores)["nps"],
                      rel=1e-9)
    for kind in ("relational", "transactional"):
        want, got = nps_of(kinds[kind]), rep["nps"][kind]
        check(f"{kind} NPS n", got["n"], want["n"])
        check(f"{kind} promoters", got["promoters"], want["p"])
        check(f"{kind} detractors", got["detractors"], want["d"])
        check(f"{kind} NPS", got["nps"], want["nps"], rel=1e-9)
        check(f"{kind} NPS interval low", got["ci95"][0], want["ci"][0], tol=1e-6)
        check(f"{kind} NPS interval high", got["ci95"][1], want["ci"][1], tol=1e-6)
    ours = nps_of(kinds[("competitive", "Acme")])
    check("our brand", rep["nps"]["our_brand"], "Acme")
    for b in rep["nps"]["competitive"]:
        theirs = nps_of(kinds[("competitive", b["brand"])])
        check(f"{b['brand']} NPS", b["nps"]["nps"], theirs["nps"], rel=1e-9)
        if b["ours"]:
            continue
        gap = ours["nps"] - theirs["nps"]
        se = math.sqrt(ours["se"] ** 2 + theirs["se"] ** 2)
        p = math.erfc(abs(gap / se) / math.sqrt(2))
        check(f"gap to {b['brand']}", b["gap"]["ours_minus_theirs"], gap, rel=1e-9)
        check(f"p of gap to {b['brand']}", b["gap"]["p"], p, tol=1e-9)
        check(f"significance of gap to {b['brand']}", b["gap"]["significant"], p < 0.05)

    if failures:
        print("\n".join(failures))
        print(f"{len(failures)} figures differ")
        return 1
    print("every figure of the sample matches the independent computation")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
