#!/usr/bin/env python3
"""Writes a realistic, deterministic helpdesk export for cxm-report.

    gen_sample.py OUTDIR                 tickets.csv + survey.csv (the shipped sample)
    gen_sample.py --rows N FILE          N ticket rows, for the memory test and the benchmark

Tickets follow the Zendesk-style layout (times in minutes from creation):
twelve weeks of 2024, five channels, six topics, four priorities, twelve
agents of uneven skill, replies, reopens, CSAT (1-5) and CES (1-7) answers,
quoted subjects with commas, quotes and line breaks, and a handful of the
bad rows real exports carry. In the last week a billing incident lowers
satisfaction, so the weekly trend has something to show. The survey file
has relational, transactional and competitive NPS answers (four brands).
Same seed, same bytes: the committed files can be regenerated exactly.
"""
import math
import os
import random
import sys
from datetime import datetime, timedelta, timezone

CHANNELS = [("Email", 0.38), ("Chat", 0.30), ("Phone", 0.15), ("Web form", 0.12), ("Social", 0.05)]
TOPICS = [("Billing", 0.24), ("Technical issue", 0.30), ("Account access", 0.16),
          ("Shipping", 0.14), ("Refund", 0.10), ("Feature request", 0.06)]
PRIORITIES = [("Urgent", 0.05), ("High", 0.20), ("Normal", 0.55), ("Low", 0.20)]
AGENTS = ["Amira Haddad", "Ben Okafor", "Chloé Martin", "Dmitri Volkov", "Elena García",
          "Farid Rahimi", "Grace Liu", "Hugo Schmidt", "Ines Costa", "Jonas Berg",
          "Kenji Sato", "Lena Novak"]
SKILL = [0.9, 0.6, 0.8, 0.4, 0.7, 0.5, 0.95, 0.55, 0.65, 0.75, 0.85, 0.45]
SUBJECTS = ["Invoice shows the wrong amount", "Can't log in, \"password reset\" link expired",
            "Where is my order?", "Refund for order #{n}, please", "App crashes on start",
            "Change billing address, VAT number", "Export to CSV, Excel breaks the columns",
            "Two-factor code never arrives", "Package damaged\non arrival", "Feature idea: dark mode"]
HEADER = ["Id", "Subject", "Created at", "Status", "Priority", "Via", "Ticket type", "Assignee",
          "Reopens", "Replies", "First reply time in minutes", "First resolution time in minutes",
          "Full resolution time in minutes", "Satisfaction Score", "Customer effort score"]
START = datetime(2024, 1, 1, tzinfo=timezone.utc)  # a Monday
WEEKS = 12


def pick(rng, table):
    x = rng.random()
    for name, w in table:
        x -= w
        if x < 0:
            return name
    return table[-1][0]


def q(v):
    """RFC 4180 quoting, only where needed."""
    v = str(v)
    if any(c in v for c in ',"\n\r'):
        return '"' + v.replace('"', '""') + '"'
    return v


def ticket(rng, n, day0=START, weeks=WEEKS):
    created = day0 + timedelta(seconds=rng.randrange(weeks * 7 * 86400))
    # office hours are busier
    if rng.random() < 0.7:
        created = created.replace(hour=8 + rng.randrange(10))
    week = (created - day0).days // 7
    channel, topic, prio = pick(rng, CHANNELS), pick(rng, TOPICS), pick(rng, PRIORITIES)
    a = rng.randrange(len(AGENTS))
    skill = SKILL[a]
    incident = week == weeks - 1 and topic == "Billing"
    fr_scale = {"Chat": 4, "Phone": 2, "Email": 180, "Web form": 240, "Social": 90}[channel]
    fr_scale *= {"Urgent": 0.3, "High": 0.6, "Normal": 1.0, "Low": 1.6}[prio] * (1.6 - skill)
    first_reply = rng.lognormvariate(math.log(fr_scale), 0.8)
    replies = 1 + int(rng.expovariate(0.9 if skill > 0.6 else 0.6))
    res_hours = {"Urgent": 3, "High": 12, "Normal": 30, "Low": 60}[prio] * (1.5 - skill)
    if incident:
        res_hours *= 2.5
    first_res = max(first_reply + 1, rng.lognormvariate(math.log(res_hours * 60), 0.9))
    reopens = 0
    r = rng.random()
    if r < 0.01 + (0.08 if incident else 0):
        reopens = 2
    elif r < 0.08 + (0.1 * (1 - skill)):
        reopens = 1
    full_res = first_res + (rng.lognormvariate(math.log(1440), 0.7) if reopens else 0)
    # the export was taken at the end of the last week: nothing after it
    left = (day0 + timedelta(weeks=weeks) - created).total_seconds() / 60
    if first_reply >= left:
        first_reply = left / 2
    if full_res >= left:
        first_res = min(first_res, left / 2) if reopens else first_res
        if first_res >= left:
            reopens = 0
        full_res = first_res if reopens == 0 else full_res
    finished = full_res < left
    status = "Closed" if rng.random() < 0.5 else "Solved"
    open_ticket = rng.random() < 0.06 or (week == weeks - 1 and rng.random() < 0.25) or not finished
    fr_txt, first_txt, full_txt = f"{first_reply:.0f}", f"{first_res:.0f}", f"{full_res:.0f}"
    if reopens == 0:
        full_txt = first_txt
    if open_ticket:
        status = rng.choice(["Open", "Pending", "New"])
        if status == "New":
            fr_txt, replies = "", 0
        if reopens == 0:
            first_txt = ""
        full_txt = ""
    csat = ""
    if not open_ticket and rng.random() < 0.38:
        base = 2.2 + 2.6 * skill - (1.2 if incident else 0) - (0.6 if reopens else 0)
        csat = str(min(5, max(1, round(rng.gauss(base, 0.9)))))
    elif not open_ticket and rng.random() < 0.2:
        csat = "Offered"
    ces = ""
    if not open_ticket and rng.random() < 0.22:
        ces = str(min(7, max(1, round(rng.gauss(4.0 + 2.5 * skill - (1.5 if incident else 0), 1.1)))))
    # offsets vary, as exports from teams in several places do
    off = rng.choice([0, 0, 1, 1, -5])
    tz = timezone(timedelta(hours=off))
    stamp = created.astimezone(tz).strftime("%Y-%m-%dT%H:%M:%S") + (
        "Z" if off == 0 else f"{off:+03d}:00")
    subject = rng.choice(SUBJECTS).replace("{n}", str(10000 + n))
    return [n, subject, stamp, status, prio, channel, topic, AGENTS[a], reopens, replies,
            fr_txt, first_txt, full_txt, csat, ces]


def bad_rows(rng, n):
    """The kinds of bad rows a real export carries, one of each kind."""
    rows = []
    good = ticket(rng, n)
    r = list(good); r[12] = "-30"; r[11] = "-30"; r[8] = 0; r[3] = "Solved"; rows.append(r)  # contradiction
    r = list(ticket(rng, n + 1)); r[2] = "yesterday"; rows.append(r)                        # timestamp
    r = list(ticket(rng, n + 2)); r[4] = "P0"; rows.append(r)                               # priority
    r = list(ticket(rng, n + 3)); r[3] = "Solved"; r[13] = "7"; r[11] = r[11] or "60"; rows.append(r)  # CSAT off scale
    r = list(ticket(rng, n + 4)); r[9] = "two"; rows.append(r)                              # number
    return rows


def write_tickets(path, count, seed=2024):
    rng = random.Random(seed)
    rows = [ticket(rng, i + 1) for i in range(count)]
    rows.sort(key=lambda r: r[0])
    bad = bad_rows(rng, count + 1)
    # scatter the bad rows through the file
    for k, r in enumerate(bad):
        rows.insert((k + 1) * len(rows) // (len(bad) + 1), r)
    with open(path, "w", newline="") as f:
        f.write(",".join(HEADER) + "\r\n")
        for r in rows:
            f.write(",".join(q(v) for v in r) + "\r\n")


BRANDS = [("Acme", 0.0), ("Globex", -0.4), ("Initech", 0.5), ("Umbrella", -1.2)]
COMMENTS = ["", "", "", "Great support, thanks!", "Slow, but they got there",
            "The app, frankly, needs work", "Agent was \"very\" helpful", "Billing\nis confusing"]


def nps_score(rng, mood):
    return min(10, max(0, round(rng.gauss(7.4 + mood, 2.2))))


def write_survey(path, seed=7):
    rng = random.Random(seed)
    out = []
    for i in range(700):  # transactional: after a ticket, every week
        day = START + timedelta(seconds=rng.randrange(WEEKS * 7 * 86400))
        week = (day - START).days // 7
        mood = 0.3 - (1.0 if week == WEEKS - 1 else 0)
        out.append((day, "transactional", "Acme", pick(rng, CHANNELS), nps_score(rng, mood)))
    for i in range(420):  # relational: a quarterly wave, weeks 2-4
        day = START + timedelta(days=7 + rng.randrange(21), hours=rng.randrange(24))
        out.append((day, "relational", "Acme", "Email", nps_score(rng, -0.2)))
    for brand, mood in BRANDS:  # competitive: a market panel, weeks 5-6
        for i in range(260 if brand == "Acme" else 220):
            day = START + timedelta(days=28 + rng.randrange(14), hours=rng.randrange(24))
            out.append((day, "competitive", brand, "Web form", nps_score(rng, mood)))
    out.sort(key=lambda r: r[0])
    with open(path, "w", newline="") as f:
        f.write("\ufeffdate,kind,brand,channel,score,comment\r\n")  # a BOM, as Excel writes
        for day, kind, brand, channel, score in out:
            f.write(",".join(q(v) for v in (day.strftime("%Y-%m-%d %H:%M"), kind, brand, channel,
                                              score, rng.choice(COMMENTS))) + "\r\n")


def write_big(path, rows, seed=99):
    """Many rows fast: a pool of generated rows, ids renumbered."""
    rng = random.Random(seed)
    pool = [ticket(rng, i + 1) for i in range(5000)]
    lines = [",".join(q(v) for v in r[1:]) for r in pool]
    with open(path, "w", newline="") as f:
        f.write(",".join(HEADER) + "\r\n")
        for i in range(rows):
            f.write(f"{i + 1},{lines[i % 5000]}\r\n")


def main(argv):
    if len(argv) == 4 and argv[1] == "--rows":
        write_big(argv[3], int(argv[2]))
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    os.makedirs(argv[1], exist_ok=True)
    write_tickets(os.path.join(argv[1], "tickets.csv"), 2400)
    write_survey(os.path.join(argv[1], "survey.csv"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
