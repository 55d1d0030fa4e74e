#!/usr/bin/env python3
"""Checks examples/event_replay against figures recomputed here, from the
event log alone, with plain Python arithmetic (no cxm):

    python3 examples/check_event_replay.py EVENT_REPLAY

It generates a log (and checks that the same seed gives the same bytes),
replays it, and recomputes every number of the day table and of the 7-day
figures: counts exactly, shares to the printed 0.1 point, Wilson intervals
from their formula, medians within the sketch's 1/129 relative error. A
small hand-written log checks the refusals and "no data". The zone and the
SLA targets are read from the program's own output, so the check follows
them if they change.
"""
import math
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_plain_output import expect, run_plain  # noqa: E402

PRIORITIES = ["urgent", "high", "normal", "low"]
Z95 = 1.959963984540054


def wilson(k, n):
    p = k / n
    d = 1 + Z95 * Z95 / n
    c = (p + Z95 * Z95 / (2 * n)) / d
    h = Z95 * math.sqrt(p * (1 - p) / n + Z95 * Z95 / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def near(printed, exact, tol, what, out):
    expect(abs(float(printed) - exact) <= tol + 1e-9,
           f"{what}: printed {printed}, recomputed {exact:.4f}", out)


def share_ok(printed, k, n, what, out):
    """A share printed as 'x.y%' or 'no data', recomputed as k of n."""
    if n == 0:
        expect(printed == "no data", f"{what}: 'no data', not {printed}", out)
    else:
        expect(printed.endswith("%"), f"{what}: a share, not {printed}", out)
        near(printed[:-1], 100 * k / n, 0.05, what, out)


def seconds(text):
    value, unit = text.split()
    return float(value) * (60 if unit == "min" else 3600)


def median_ok(printed, values, what, out):
    """A median from the sketch: rank floor(0.5 (n - 1)), within 1/129 plus the rounding shown."""
    if not values:
        expect(printed == "no data", f"{what}: 'no data', not {printed}", out)
        return
    exact = sorted(values)[(len(values) - 1) // 2]
    half_unit = 30 if printed.endswith("min") else 180
    near(seconds(printed), exact, exact / 129 + half_unit, what, out)


class Ticket:
    def __init__(self, created, priority):
        self.created, self.priority = created, priority
        self.first_reply = self.first_solved = self.last_solved = 0
        self.reopens = self.agent_replies = 0
        self.solved = False


def replay(path, offset):
    """The log replayed by its own rules: per-day facts and the final tickets."""
    day = lambda t: (t + offset) // 86400  # noqa: E731
    tickets, facts, last = {}, {}, None

    def fact(d):
        return facts.setdefault(d, {"created": 0, "solves": 0, "first": 0, "replies": [],
                                    "on_time": 0, "ended": 0})

    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            t, tid, event, channel, priority, score = line.rstrip("\n").split(",")
            t = int(t)
            last, d = t, fact(day(t))
            if event == "created":
                tickets[tid] = Ticket(t, PRIORITIES.index(priority))
                d["created"] += 1
                continue
            k = tickets[tid]
            first_target_ends = k.first_reply == 0 and k.first_solved == 0 and \
                event in ("reply", "solved")
            if first_target_ends:
                d["ended"] += 1
                d["on_time"] += t - k.created <= TARGETS["first reply"][k.priority]
            if event == "reply":
                if k.first_reply == 0:
                    k.first_reply = t
                    d["replies"].append(t - k.created)
                k.agent_replies += 1
            elif event == "solved":
                d["solves"] += 1
                d["first"] += k.first_solved == 0 and k.agent_replies < 2
                k.first_solved = k.first_solved or t
                k.last_solved, k.solved = t, True
            elif event == "reopened":
                k.reopens += 1
                k.solved = False
    # The backlog, from the final records: a ticket counts as solved at its
    # last solve (if solved now) and open from its creation until then.
    solved_on, open_at_end = {}, {}
    for k in tickets.values():
        if k.solved:
            solved_on[day(k.last_solved)] = solved_on.get(day(k.last_solved), 0) + 1
        for d in range(day(k.created), day(k.last_solved) if k.solved else day(last) + 1):
            open_at_end[d] = open_at_end.get(d, 0) + 1
    return tickets, facts, solved_on, open_at_end, last


TARGETS = {}


def check_days(out, facts, solved_on, open_at_end, last_day):
    rows = [l.split() for l in out.splitlines() if re.match(r"  \d{4}-\d\d-\d\d  ", l)]
    expect(len(rows) == 14, "14 days in the table", out)
    # A row: day, created, solved, open, then the median ("54 min", "1.6 h" or
    # "no data"), the first contact share and the on-time share ("66.2%" or "no data").
    for i, row in enumerate(rows):
        d = last_day - 13 + i
        f = facts.get(d, {"created": 0, "solves": 0, "first": 0, "replies": [], "on_time": 0,
                          "ended": 0})
        name, created, solved, open_end = row[0], int(row[1]), int(row[2]), int(row[3])
        median, rest = " ".join(row[4:6]), row[6:]
        n = 2 if rest[0] == "no" else 1
        fcr, on_time = " ".join(rest[:n]), " ".join(rest[n:])
        what = f"day {name}"
        expect(created == f["created"], f"{what}: {f['created']} created, not {created}", out)
        expect(solved == solved_on.get(d, 0),
               f"{what}: {solved_on.get(d, 0)} tickets solved, not {solved}", out)
        expect(open_end == open_at_end.get(d, 0),
               f"{what}: {open_at_end.get(d, 0)} open at the end, not {open_end}", out)
        median_ok(median, f["replies"], f"{what}: median first reply", out)
        share_ok(fcr, f["first"], f["solves"], f"{what}: first contact", out)
        share_ok(on_time, f["on_time"], f["ended"], f"{what}: first reply on time", out)


def check_window(out, tickets, last, offset):
    last_day = (last + offset) // 86400
    window = [k for k in tickets.values() if (k.created + offset) // 86400 > last_day - 7]
    m = re.search(r"the (\d+) tickets created since", out)
    expect(m and int(m.group(1)) == len(window), f"{len(window)} tickets in the 7 days", out)

    solved = [k for k in window if k.solved]
    first = sum(k.agent_replies < 2 and k.reopens == 0 for k in solved)
    m = re.search(r"first contact resolution\s+([\d.]+)% of (\d+) tickets solved by an agent "
                  r"\(95% interval ([\d.]+)% to ([\d.]+)%\)", out)
    expect(m, "the 7-day first contact resolution with its interval", out)
    expect(int(m.group(2)) == len(solved), f"{len(solved)} tickets solved in the 7 days", out)
    lo, hi = wilson(first, len(solved))
    near(m.group(1), 100 * first / len(solved), 0.05, "7-day first contact resolution", out)
    near(m.group(3), 100 * lo, 0.05, "its interval's lower end", out)
    near(m.group(4), 100 * hi, 0.05, "its interval's upper end", out)

    replies = [k.first_reply - k.created for k in window if k.first_reply]
    m = re.search(r"median first reply\s+(\S+ \S+), (\d+) tickets replied to, (\d+) still open",
                  out)
    expect(m, "the 7-day median first reply", out)
    median_ok(m.group(1), replies, "7-day median first reply", out)
    expect(int(m.group(2)) == len(replies), f"{len(replies)} tickets replied to", out)
    expect(int(m.group(3)) == len(window) - len(solved), "tickets still open", out)

    for metric, label in (("first reply", "first reply within target"),
                          ("resolution", "resolution within target")):
        # Read live at the last event, a target past due is missed already.
        met = ended = running = 0
        for k in window:
            due = k.created + TARGETS[metric][k.priority]
            if metric == "first reply":
                ends = [x for x in (k.first_reply, k.first_solved) if x]
                end = min(ends) if ends else 0
            else:
                end = k.last_solved if k.solved else 0
            if end or due < last:
                ended += 1
                met += 0 < end <= due
            else:
                running += 1
        m = re.search(label + r"\s+([\d.]+)% of (\d+) targets met or missed \(95% interval "
                      r"([\d.]+)% to ([\d.]+)%\)\n\s+(\d+) more still running, not yet due", out)
        expect(m, f"the 7-day {label} line", out)
        expect(int(m.group(2)) == ended, f"{label}: {ended} targets met or missed", out)
        near(m.group(1), 100 * met / ended, 0.05, label, out)
        lo, hi = wilson(met, ended)
        near(m.group(3), 100 * lo, 0.05, f"{label}: lower end", out)
        near(m.group(4), 100 * hi, 0.05, f"{label}: upper end", out)
        expect(int(m.group(5)) == running, f"{label}: {running} still running", out)


def read_setup(out):
    m = re.search(r"\(days in UTC([+-])(\d\d):(\d\d)\)", out)
    expect(m, "the zone of the days", out)
    offset = (1 if m.group(1) == "+" else -1) * (int(m.group(2)) * 3600 + int(m.group(3)) * 60)
    for metric in ("first reply", "resolution"):
        m = re.search(metric + r" urgent (\d+) h, high (\d+) h, normal (\d+) h, low (\d+) h", out)
        expect(m, f"the {metric} targets", out)
        TARGETS[metric] = [int(h) * 3600 for h in m.groups()]
    return offset


def generated(exe, d):
    path = os.path.join(d, "events.csv")
    with open(path, "w", encoding="utf-8") as f:
        subprocess.run([exe, "--generate", "7"], stdout=f, check=True)
    again = subprocess.run([exe, "--generate", "7"], capture_output=True, check=True).stdout
    other = subprocess.run([exe, "--generate", "8"], capture_output=True, check=True).stdout
    with open(path, "rb") as f:
        first = f.read()
    expect(first == again, "the same seed gives the same log", "")
    expect(first != other, "another seed gives another log", "")
    lines = first.decode().splitlines()
    expect(len(lines) > 20000, f"a realistic volume ({len(lines)} lines for 60 days)", "")
    kinds = {l.split(",")[2] for l in lines[1:]}
    expect(kinds == {"created", "reply", "customer", "solved", "reopened", "csat"},
           f"every kind of event, not {sorted(kinds)}", "")
    return path, len(lines) - 1


def small(exe, d):
    """Refusals named by line, counted, and days without events said 'no data'."""
    path = os.path.join(d, "small.csv")
    t0 = 1790000000
    with open(path, "w", encoding="utf-8") as f:
        f.write("time,ticket,event,channel,priority,score\n"
                f"{t0},1,created,email,high,\n"
                f"{t0 + 60},2,reply,,,\n"               # line 3: an unknown ticket
                f"{t0 + 600},1,reply,,,\n"
                f"{t0 + 300},1,solved,,,\n"              # line 5: out of time order
                f"{t0 + 900},1,solved,,,\n"
                f"{t0 + 960},1,solved,,,\n"              # line 7: solved twice
                f"{t0 + 1000},1,csat,,,9\n"              # line 8: a score off the scale
                "not,an,event\n"                         # line 9
                f"{t0 + 1200},1,csat,,,5\n")
    out, err = run_plain(exe, path)
    expect("9 events read, 4 replayed, 5 refused; 1 tickets" in out, "the counts of a small log",
           out)
    for n in (3, 5, 7, 8, 9):
        expect(f"{path} line {n} refused" in err, f"line {n} is named as refused", err)
    expect(len(re.findall(r"no data\s+no data\s+no data$", out, re.M)) == 13,
           "13 days with nothing to measure say 'no data'", out)
    expect("kept live" in out, "the live figures equal a recount", out)
    return out


def main(exe):
    with tempfile.TemporaryDirectory() as d:
        path, events = generated(exe, d)
        out, err = run_plain(exe, path)
        expect(err == "", "no event of the generated log is refused", err)
        expect(f"{events} events read, {events} replayed, 0 refused" in out, "the counts", out)
        offset = read_setup(out)
        tickets, facts, solved_on, open_at_end, last = replay(path, offset)
        expect(f"0 refused; {len(tickets)} tickets" in out, f"{len(tickets)} tickets", out)
        check_days(out, facts, solved_on, open_at_end, (last + offset) // 86400)
        check_window(out, tickets, last, offset)
        expect("a new roll-up fed the final records gives the same figures" in out,
               "the live figures equal a recount", out)
        small(exe, d)
        # A log that does not open: its name and the reason, not the usage line.
        gone = os.path.join(d, "gone.csv")
        p = subprocess.run([exe, gone], capture_output=True, text=True, check=False)
        expect(p.returncode != 0 and f"event_replay: {gone}: No such file or directory" in p.stderr,
               "a missing log is named with the reason", p.stderr)
    print("event replay figures recomputed: ok")


if __name__ == "__main__":
    main(sys.argv[1])
