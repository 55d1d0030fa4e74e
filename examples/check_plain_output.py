#!/usr/bin/env python3
"""The examples speak plain words: they name their input and the rows read
and refused, explain intervals and significance in words, name competitors,
say "no data" where there is nothing to measure, and print no bare jargon
("p=", "sd", "CI [", "index %(6-7) - %(1-3)", "brand 2"). The ticket
report's figures (rows counted, every agent's row, the channel x priority
table) are recounted here from the CSV alone.

    python3 examples/check_plain_output.py survey  SURVEY_DEMO  survey_sample.csv
    python3 examples/check_plain_output.py tickets TICKET_REPORT tickets_sample.csv
"""
import csv
import datetime
import math
import os
import re
import subprocess
import sys
import tempfile

JARGON = [r"\bp=", r"\bsd\b", r"\bCI \[", r"%\(6-7\) - %\(1-3\)", r"\bn=\d", r"\bp90\b"]


def run(exe, path):
    p = subprocess.run([exe, path], capture_output=True, text=True, check=False)
    return p.returncode, p.stdout, p.stderr


def expect(cond, what, out):
    if not cond:
        print(f"FAIL: {what}\n--- output ---\n{out}")
        sys.exit(1)


def run_plain(exe, path):
    """Runs the example on path; it must succeed, name the file first, call
    intervals '95% interval' and print no bare jargon. Returns (stdout, stderr)."""
    rc, out, err = run(exe, path)
    expect(rc == 0, f"{os.path.basename(exe)} {path} exits 0, not {rc}: {err}", out)
    expect(path in out.splitlines()[0], "the first line names the input file", out)
    for pattern in JARGON:
        expect(not re.search(pattern, out), f"no bare jargon matching {pattern!r}", out)
    expect("95% interval" in out, "intervals are called '95% interval'", out)
    return out, err


def survey(exe, sample):
    out, _ = run_plain(exe, sample)
    with open(sample, encoding="utf-8") as f:
        rows = [l for l in f if l.strip() and not l.startswith("#")]
    expect(f"{len(rows)} answers read, {len(rows)} counted, 0 refused" in out,
           f"the counts of the {len(rows)} answer rows", out)
    expect("Northwind Support" in out and "Contoso Care" in out, "competitors by name", out)
    expect(not re.search(r"\bbrand \d", out), "no competitor called by its number", out)
    expect(re.search(r"points (ahead|behind)", out), "the sign of each gap in words", out)
    expect("clear difference" in out and "chance" in out, "significance in words", out)

    # A refused row, an unnamed competitor and an empty survey.
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "small.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("# brand 5: Fabrikam Help\nnps_competitive_ours,10\nnps_competitive_brand_5,0\n"
                    "csat,9\nnps_competitive_brand_6,8\n")
        out, err = run_plain(exe, path)
        expect("4 answers read, 3 counted, 1 refused" in out, "a refused row is counted", out)
        expect(f"{path} line 4 refused" in err, "the refused row is named with its line", err)
        expect("We are 100.0 points ahead" in out, "a positive gap is 'ahead'", out)
        expect("brand 6 (no name in the input)" in out, "an unnamed competitor says so", out)
        expect("Customer satisfaction (CSAT): no data" in out, "an empty survey is 'no data'", out)

        # A score that is not a whole number is refused by line, never read as 0 or truncated.
        path = os.path.join(d, "words.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("nps_relational,abc\nnps_relational,9.5\ncsat,\nnps_relational,10\n")
        out, err = run_plain(exe, path)
        expect("4 answers read, 1 counted, 3 refused" in out, "scores that are not numbers", out)
        for n, score in ((1, "abc"), (2, "9.5"), (3, "")):
            expect(f'line {n} refused (survey "{"csat" if n == 3 else "nps_relational"}"): '
                   f'the score "{score}" is not a whole number' in err,
                   f"line {n}: the score {score!r} is named", err)


# The report's own resolution targets per priority, hours (calendar time).
TARGET_HOURS = {"Critical": 4, "High": 8, "Medium": 24, "Low": 48}
CHANNELS = ["Chat", "Email", "Phone", "Social media"]
PRIORITIES = ["Critical", "High", "Medium", "Low"]
Z95 = 1.959963984540054


def minutes(stamp):
    """'YYYY-MM-DD H:MM' (UTC) -> minutes since the epoch."""
    day, clock = stamp.split(" ")
    d = datetime.date.fromisoformat(day).toordinal() - datetime.date(1970, 1, 1).toordinal()
    h, m = clock.split(":")
    return d * 1440 + int(h) * 60 + int(m)


def wilson(k, n):
    """The 95% Wilson score interval of k successes in n trials, in %."""
    p = k / n
    den = 1 + Z95 * Z95 / n
    mid = (p + Z95 * Z95 / (2 * n)) / den
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 * Z95 / (4 * n * n)) / den
    return 100 * max(0.0, mid - half), 100 * min(1.0, mid + half)


def recount(path):
    """The tickets of the CSV the report counts (resolved at or after the first response),
    each as a dict, recomputed here from the file alone; and the number of rows."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    kept = []
    for row in rows:
        start, end = minutes(row["First_Response_Time"]), minutes(row["Time_to_Resolution"])
        if end < start:
            continue
        csat = row["Customer_Satisfaction_Rating"]
        kept.append({"agent": row.get("Assigned_Agent") or None, "channel": row["Ticket_Channel"],
                     "priority": row["Ticket_Priority"], "minutes": end - start,
                     "csat": int(csat) if csat else None,
                     "in_time": end - start <= TARGET_HOURS[row["Ticket_Priority"]] * 60})
    return kept, rows


def expect_row(line, name, group, out):
    """One row of the report's table against the recount of its tickets."""
    tokens = line.split()
    tail = tokens[len(name.split()):]
    expect(int(tail[0]) == len(group), f"{name}: {len(group)} tickets", out)
    mean = sum(t["minutes"] for t in group) / len(group) / 60
    expect(abs(float(tail[1]) - mean) <= 0.0051, f"{name}: average hours {mean:.2f}", out)
    answers = [t["csat"] for t in group if t["csat"] is not None]
    if answers:
        share = 100 * sum(a >= 4 for a in answers) / len(answers)
        expect(abs(float(tail[4].rstrip("%")) - share) <= 0.051, f"{name}: satisfied {share:.1f}%",
               out)
        expect(abs(float(tail[5]) - sum(answers) / len(answers)) <= 0.0051,
               f"{name}: average rating", out)
    k = sum(t["in_time"] for t in group)
    sla = [float(x.strip("(%)")) for x in tail[-4:] if x != "to"]
    lo, hi = wilson(k, len(group))
    expect(abs(sla[0] - 100 * k / len(group)) <= 0.051 and abs(sla[1] - lo) <= 0.051 and
           abs(sla[2] - hi) <= 0.051,
           f"{name}: resolved in time {100 * k / len(group):.1f}% ({lo:.1f}% to {hi:.1f}%)", out)


def tickets(exe, sample):
    out, _ = run_plain(exe, sample)
    kept, rows = recount(sample)
    expect(f"{len(rows)} rows read, {len(kept)} tickets counted, {len(rows) - len(kept)} refused"
           in out, f"the counts of the {len(rows)} rows, recounted", out)
    expect("refused because" in out, "why rows were refused, in words", out)
    lines = out.splitlines()

    # The agent table: one row per agent the file names, each against a recount.
    agents = list(dict.fromkeys(r["Assigned_Agent"] for r in rows if r.get("Assigned_Agent")))
    expect(agents, "the sample names its agents", out)
    at = lines.index("by agent")
    for i, name in enumerate(agents):
        line = lines[at + 1 + i]
        expect(line.startswith(f"  {name} "), f"a row for agent {name}", out)
        expect_row(line, name, [t for t in kept if t["agent"] == name], out)
    expect_row(next(l for l in lines if l.startswith("  all tickets ")), "all tickets", kept, out)
    # Tickets of no agent are counted apart from the agents' rows.
    unassigned = sum(1 for t in kept if t["agent"] is None)
    expect(unassigned and f"  {unassigned} counted tickets name no agent" in lines,
           f"the {unassigned} tickets without an agent are named", out)

    # The channel x priority table: each cell's share resolved in time and its tickets.
    head = next(i for i, l in enumerate(lines)
                if l.startswith("Resolved in time by channel and priority"))
    for c, channel in enumerate(CHANNELS):
        line = lines[head + 2 + c]
        expect(line.startswith(f"  {channel} "), f"the row of channel {channel}", out)
        cells = re.findall(r"([\d.]+)% of (\d+)|no data", line)
        expect(len(cells) == len(PRIORITIES), f"{channel}: a cell per priority", out)
        for (share, n), priority in zip(cells, PRIORITIES):
            group = [t for t in kept if t["channel"] == channel and t["priority"] == priority]
            if not group:
                expect(not n, f"{channel} x {priority}: no data", out)
                continue
            k = sum(t["in_time"] for t in group)
            expect(n and int(n) == len(group) and
                   abs(float(share) - 100 * k / len(group)) <= 0.051,
                   f"{channel} x {priority}: {100 * k / len(group):.1f}% of {len(group)}", out)
    expect(re.search(r"Memory the roll-up uses: [\d.]+ KiB", out), "the memory used", out)

    with tempfile.TemporaryDirectory() as d:
        # The public layout (no agent column): the agent table says so.
        path = os.path.join(d, "public.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(",".join(l.split(",")[:14]) + "\n" for l in
                         open(sample, encoding="utf-8").read().splitlines())
        out, _ = run_plain(exe, path)
        expect("by agent\n  no data: the file names no agent" in out,
               "no agent column says 'no data'", out)

        # One ticket: every other group has "no data", never 0%.
        path = os.path.join(d, "one.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(lines_of(sample)[0] + "\n" + lines_of(sample)[1] + "\n")
        out, _ = run_plain(exe, path)
        expect("1 rows read, 1 tickets counted, 0 refused" in out, "one ticket counted", out)
        empty = [l for l in out.splitlines() if re.match(r"  \S.*\s0  no data$", l)]
        expect(len(empty) >= 3, "groups without tickets say 'no data'", out)

        # Input that gives no report: the reason on stderr, a failing exit, nothing on stdout.
        header = os.path.join(d, "header.csv")
        with open(header, "w", encoding="utf-8") as f:
            f.write(lines_of(sample)[0] + "\n")
        empty_file = os.path.join(d, "empty.csv")
        open(empty_file, "w", encoding="utf-8").close()
        missing = os.path.join(d, "missing.csv")
        for path, words in ((missing, "No such file or directory"),
                            (empty_file, "empty file (no header line)"),
                            (header, "no ticket rows after the header")):
            rc, out, err = run(exe, path)
            expect(rc != 0 and not out and f"{path}: {words}" in err,
                   f"{os.path.basename(path)}: exit non-zero saying '{words}', not {rc} {err!r}",
                   out)

        # More rows than the example keeps: refused whole, never cut short silently.
        many = os.path.join(d, "many.csv")
        with open(many, "w", encoding="utf-8") as f:
            f.write(lines_of(sample)[0] + "\n" + (lines_of(sample)[1] + "\n") * 100001)
        rc, out, err = run(exe, many)
        expect(rc != 0 and not out and "more than 100000 ticket rows" in err,
               f"100001 rows: exit non-zero, not {rc} {err!r}", out)

        # A rating that is not 1-5 refuses its ticket with the reason, never counts as unanswered.
        rating = os.path.join(d, "rating.csv")
        first = lines_of(sample)[1].split(",")
        with open(rating, "w", encoding="utf-8") as f:
            f.write(lines_of(sample)[0] + "\n" + lines_of(sample)[1] + "\n")
            for bad in ("9", "x"):
                f.write(",".join(first[:13] + [bad] + first[14:]) + "\n")
        out, _ = run_plain(exe, rating)
        expect("3 rows read, 1 tickets counted, 2 refused" in out and
               "refused because the satisfaction rating is not 1 to 5: 2" in out,
               "ratings off the scale are refused and named", out)

        # A day its month does not have is a malformed time, never rolled into the next month.
        dates = os.path.join(d, "dates.csv")
        with open(dates, "w", encoding="utf-8") as f:
            f.write(lines_of(sample)[0] + "\n" + lines_of(sample)[1] + "\n")
            for bad in ("2024-02-31 10:00", "2023-02-29 10:00", "2024-04-31 10:00"):
                f.write(",".join(first[:11] + [bad] + first[12:]) + "\n")
            f.write(",".join(first[:11] + ["2024-02-29 08:00"] + first[12:]) + "\n")
        rc, out, err = run(exe, dates)
        expect(rc == 1 and "5 rows read, 2 tickets counted, 0 refused, 3 unreadable" in out,
               "days a month does not have are unreadable (exit 1); 2024-02-29 is a day", out)


def lines_of(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


if __name__ == "__main__":
    {"survey": survey, "tickets": tickets}[sys.argv[1]](sys.argv[2], sys.argv[3])
    print("plain words ok")
