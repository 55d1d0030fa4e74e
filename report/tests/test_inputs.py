#!/usr/bin/env python3
"""cxm-report on awkward inputs: RFC 4180 quoting, line breaks inside
fields, a BOM, CRLF, every kind of bad row, --strict, --contradictions,
--tz, a JSON config with business hours, a field too long to hold.

    test_inputs.py CXM_REPORT DATA_DIR
"""
import json
import os
import subprocess
import sys
import tempfile
from datetime import date, timedelta

failures = []


def check(what, got, want):
    if got != want:
        failures.append(f"{what}: got {got!r}, expected {want!r}")


def run(exe, *args, code=0):
    p = subprocess.run([exe, *args], capture_output=True, text=True)
    if p.returncode != code:
        failures.append(f"{' '.join(args)}: exit {p.returncode}, expected {code}\n{p.stderr}")
    return p


def report(exe, *args):
    p = run(exe, *args, "--json")
    return json.loads(p.stdout) if p.returncode == 0 else None


def listed(rep):
    return [(b["line"], b["column"], b["reason"], b["row"]) for b in rep["input"]["bad_rows"]["listed"]]


def main(exe, data):
    tickets = os.path.join(data, "rfc4180.csv")
    rep = report(exe, tickets, "--as-of", "2024-04-01T00:00Z")
    f = rep["input"]["files"][0]
    check("rfc4180 rows", (f["rows"], f["used"], f["partly_used"], f["refused"]), (5, 4, 0, 1))
    # the bad row comes after two records spanning 3 and 2 lines and a blank line
    check("rfc4180 bad row", listed(rep), [(10, "Priority", "unknown_priority", "refused")])
    agents = {a["name"]: a["tickets"] for a in rep["tickets"]["agents"]}
    check("quoted comma in a name", agents, {"Doe, Jane": 2, "Ann Lee": 2})
    check("topics", sorted(t["name"] for t in rep["tickets"]["topics"]),
          ["Billing", "Refund", "Technical issue"])
    # offsets honoured: ticket 1 at 09:00+01:00, first reply 30 min later
    check("first reply of urgent (row 3)", rep["tickets"]["priorities"][0]["first_reply_time"]["n"], 1)

    with tempfile.TemporaryDirectory() as tmp:
        # the same records with LF and without the BOM give the same figures
        raw = open(tickets, "rb").read()
        lf = os.path.join(tmp, "lf.csv")
        open(lf, "wb").write(raw[3:].replace(b"\r\n", b"\n"))
        rep2 = report(exe, lf, "--as-of", "2024-04-01T00:00Z")
        check("LF, no BOM: same tickets", rep2["tickets"], rep["tickets"])

        # a field longer than the reader holds: reported, reading stops
        big = os.path.join(tmp, "big.csv")
        with open(big, "w") as out:
            out.write(open(tickets, encoding="utf-8-sig").read().splitlines()[0] + "\n")
            out.write('1,"' + "x" * (2 << 20) + '",2024-03-04T09:00:00Z\n')
        rep3 = report(exe, big)
        check("field too long", [b[2] for b in listed(rep3)], ["field_too_long"])

        # more weeks than the trend keeps, more channels than are named
        many = os.path.join(tmp, "many.csv")
        with open(many, "w") as out:
            out.write("Id,Created at,Priority,Via\n")
            for i in range(110):
                day = date(2020, 1, 6) + timedelta(weeks=i)
                out.write(f"{i},{day.isoformat()}T10:00Z,Normal,ch{i % 20}\n")
        rep4 = report(exe, many, "--preset", "zendesk", "--as-of", "2030-01-01T00:00Z")
        check("110 rows read", rep4["input"]["used"], 110)
        check("weeks kept", len(rep4["weekly"]), 104)
        check("weeks not shown, counted", rep4["weekly_not_shown"] > 0, True)
        names = [c["name"] for c in rep4["tickets"]["channels"]]
        check("channels: 15 named and (other)", (len(names), names[-1]), (16, "(other)"))
        check("every ticket in a channel", sum(c["tickets"] for c in rep4["tickets"]["channels"]),
              110)

        # a value left out, then the row refused: every problem of it counts as refused
        mix = os.path.join(tmp, "mix.csv")
        with open(mix, "w") as out:
            out.write("Id,Created at,Priority,Replies\n1,2030-03-04T09:00Z,Normal,many\n"
                      "2,2024-03-04T09:00Z,Normal,many\n")
        rep5 = report(exe, mix, "--preset", "zendesk", "--as-of", "2024-04-01T00:00Z")
        check("mixed row: listed", listed(rep5), [(2, "Replies", "bad_number", "refused"),
                                                  (2, "Created at", "after_report_instant",
                                                   "refused"),
                                                  (3, "Replies", "bad_number", "partly_used")])
        check("mixed row: by reason", rep5["input"]["bad_rows"]["by_reason"]["bad_number"],
              {"text": "number not understood", "refused": 1, "partly_used": 1})

        # contradictory times and an answer off its scale in one row: kept without its times
        # and without that answer, both problems listed (it used to be refused unlisted)
        both = os.path.join(tmp, "both.csv")
        with open(both, "w") as out:
            out.write("Id,Created at,Priority,Via,First reply time in minutes,"
                      "Satisfaction Score,Customer effort score\n"
                      "1,2024-03-04T09:00Z,Normal,Chat,-5,4,9\n")
        rep6 = report(exe, both, "--preset", "zendesk", "--as-of", "2024-04-01T00:00Z")
        f6 = rep6["input"]["files"][0]
        check("contradiction and bad CES: partly used",
              (f6["used"], f6["partly_used"], f6["refused"]), (0, 1, 0))
        check("contradiction and bad CES: listed", listed(rep6), [
            (2, "First reply time in minutes", "contradictory_times", "partly_used"),
            (2, "Customer effort score", "bad_ces", "partly_used")])
        check("contradiction and bad CES: the ticket and its CSAT count",
              (rep6["tickets"]["overall"]["tickets"],
               (rep6["tickets"]["overall"]["csat"] or {}).get("n")),
              (1, 1))

        # a header and no rows: every figure says "-", and the agent column is there, unused
        bare = os.path.join(tmp, "bare.csv")
        with open(bare, "w") as out:
            out.write("Id,Created at,Priority,Assignee\n")
        text = run(exe, bare, "--preset", "zendesk", "--as-of", "2024-04-01T00:00Z").stdout
        p = run(exe, bare, "--as-of", "2024-04-01T00:00Z", code=1)
        check("a partial header names --preset and --config",
              ("--preset" in p.stderr, "--config" in p.stderr, p.stdout), (True, True, ""))
        check("no rows: the agent column is not said to be missing",
              ("No ticket names an agent." in text, "No agent column" in text), (True, False))

        # the public layout (kaggle): no creation time, replies or reopens counted, so no first
        # reply time or target, no FCR and no reopen share anywhere, never 0 s, 100% or 0.0%
        kag = os.path.join(tmp, "kaggle.csv")
        with open(kag, "w") as out:
            out.write("Ticket_ID,Ticket_Type,Ticket_Priority,Ticket_Channel,First_Response_Time,"
                      "Time_to_Resolution,Customer_Satisfaction_Rating\n"
                      "1,Refund request,Low,Email,2023-06-01 11:14,2023-06-01 18:05,3\n"
                      "2,Refund request,High,Chat,2023-06-01 12:00,2023-06-01 12:30,\n")
        rk = report(exe, kag, "--preset", "kaggle", "--as-of", "2024-01-01T00:00Z")
        for g in [rk["tickets"]["overall"]] + rk["tickets"]["channels"]:
            check(f"kaggle {g['name']}: none of first reply, FCR, reopen",
                  (g["first_reply_time"], g["fcr"], g["reopened"], g["sla"]["first_reply"]),
                  (None, None, None, None))
        check("kaggle: resolution SLA still there", rk["tickets"]["overall"]["sla"]["resolution"]["met"], 2)
        text = run(exe, kag, "--preset", "kaggle", "--as-of", "2024-01-01T00:00Z").stdout
        check("kaggle: no made-up figure in the text", ("100.0%" in text.split("Per channel")[1]
                                                        .split("Agent")[0], " 0 s " in text), (False, False))

        # --tz: a naive timestamp 23:00 is after 20:00Z in UTC, before it at +05:00
        naive = os.path.join(tmp, "naive.csv")
        with open(naive, "w") as out:
            out.write("Id,Created at,Priority\n1,2024-03-31 23:00,Normal\n")
        r_utc = report(exe, naive, "--preset", "zendesk", "--as-of", "2024-03-31T20:00Z")
        r_tz = report(exe, naive, "--preset", "zendesk", "--as-of", "2024-03-31T20:00Z",
                      "--tz", "+05:00")
        check("naive time in UTC is after the report instant",
              [b[2] for b in listed(r_utc)], ["after_report_instant"])
        check("naive time at +05:00 is before it", r_tz["input"]["used"], 1)

    bad = os.path.join(data, "bad_tickets.csv")
    rep = report(exe, bad, "--as-of", "2024-04-01T00:00Z")
    want = [
        (3, None, "field_count", "refused"),
        (4, "Created at", "missing_value", "refused"),
        (5, "Created at", "bad_timestamp", "refused"),
        (6, "Replies", "bad_number", "partly_used"),
        (7, "Priority", "unknown_priority", "refused"),
        (8, "Satisfaction Score", "bad_csat", "partly_used"),
        (9, "Customer effort score", "bad_ces", "partly_used"),
        (10, "First resolution time in minutes", "contradictory_times", "partly_used"),
        (11, "Created at", "after_report_instant", "refused"),
        (12, "Reopens", "refused_by_library", "refused"),
        (13, "First reply time in minutes", "bad_number", "partly_used"),
        (14, "Satisfaction Score", "bad_csat", "partly_used"),
        (15, None, "unterminated_quote", "refused"),
    ]
    check("every kind of bad ticket row", listed(rep), want)
    f = rep["input"]["files"][0]
    check("bad ticket rows", (f["rows"], f["used"], f["partly_used"], f["refused"]), (14, 1, 6, 7))
    by = rep["input"]["bad_rows"]["by_reason"]
    check("counted by reason", by["bad_csat"]["partly_used"], 2)
    # kept without its times: in the volume and the CSAT, not in the times
    check("contradictory row counts in volume", rep["tickets"]["overall"]["tickets"], 7)
    check("... not in the times", rep["tickets"]["overall"]["with_all_times"], 6)
    chat = [c for c in rep["tickets"]["channels"] if c["name"] == "Chat"][0]
    check("... its CSAT answer counts", chat["csat"]["n"], 1)
    check("the choice is named", rep["layout"]["contradictions"], "keep")
    # leave-out: the whole ticket goes
    rep = report(exe, bad, "--as-of", "2024-04-01T00:00Z", "--contradictions", "leave-out")
    check("leave-out: refused", rep["input"]["files"][0]["refused"], 8)
    check("leave-out: not in volume", rep["tickets"]["overall"]["tickets"], 6)
    check("leave-out: named", rep["layout"]["contradictions"], "leave-out")
    text = run(exe, bad, "--as-of", "2024-04-01T00:00Z", "--contradictions", "leave-out").stdout
    check("leave-out named in the text", "whole (--contradictions leave-out)" in text, True)
    # --list limits the listing, never the counts
    rep = report(exe, bad, "--as-of", "2024-04-01T00:00Z", "--list", "2")
    check("--list 2", len(rep["input"]["bad_rows"]["listed"]), 2)
    check("--list 2 counts all", sum(v["refused"] + v["partly_used"]
                                     for v in rep["input"]["bad_rows"]["by_reason"].values()), 13)

    survey = os.path.join(data, "bad_survey.csv")
    rep = report(exe, "--survey", survey)
    check("every kind of bad survey row", listed(rep), [
        (3, "score", "bad_nps_score", "refused"),
        (4, "score", "bad_nps_score", "refused"),
        (5, "kind", "unknown_nps_kind", "refused"),
        (6, "brand", "bad_brand", "refused"),
        (7, "date", "bad_timestamp", "partly_used"),
        (9, "score", "missing_value", "refused"),
    ])
    check("survey answers counted", (rep["nps"]["relational"]["n"], rep["nps"]["transactional"]["n"]),
          (1, 1))

    # --strict: any bad row is an error, nothing printed as if valid
    for args in ([bad], ["--survey", survey], [tickets]):
        p = run(exe, *args, "--strict", "--as-of", "2024-04-01T00:00Z", code=3)
        check(f"--strict {args}: stdout empty", p.stdout, "")
        check(f"--strict {args}: says why", "--strict" in p.stderr and "line" in p.stderr, True)
    good = os.path.join(os.path.dirname(data), "..", "sample", "survey.csv")
    p = run(exe, "--survey", good, "--strict")
    check("--strict on clean input prints the report", "Net Promoter Score" in p.stdout, True)

    # a Freshdesk-style export, recognised from its header
    rep = report(exe, os.path.join(data, "freshdesk.csv"), "--as-of", "2024-04-01T00:00Z")
    check("freshdesk preset recognised", rep["layout"]["preset"], "freshdesk")
    check("freshdesk FCR profile", rep["layout"]["fcr_profile"], "freshdesk")
    o = rep["tickets"]["overall"]
    check("freshdesk solved / open", (o["solved"], o["open"]), (3, 1))
    # solved now: 101, 102, 104; without a customer reply after the first contact: 101, 102
    check("freshdesk FCR", (o["fcr"]["successes"], o["fcr"]["trials"]), (2, 3))
    check("freshdesk priorities", [p["tickets"] for p in rep["tickets"]["priorities"]],
          [1, 1, 1, 1])
    check("freshdesk first reply median (20 min)", o["first_reply_time"]["median_s"] // 60, 20)

    # a JSON config: other columns, business hours with a holiday, other scales
    rep = report(exe, "--config", os.path.join(data, "custom.json"),
                 os.path.join(data, "custom.csv"), "--as-of", "2024-04-05T00:00Z")
    s1 = rep["tickets"]["priorities"][0]
    check("config: business-hours resolution SLA", (s1["sla"]["resolution"]["met"],
                                                    s1["sla"]["resolution"]["missed"]), (1, 1))
    check("config: clock named", s1["sla"]["resolution"]["clock"], "business")
    check("config: CSAT scale", rep["tickets"]["overall"]["csat"]["scale"], [1, 10])
    check("config: CES direction", rep["tickets"]["overall"]["ces"]["higher_is"], "effort")
    check("config: FCR profile", rep["layout"]["fcr_profile"], "freshdesk")
    check("config: freshdesk FCR", rep["tickets"]["overall"]["fcr"]["successes"], 2)
    # a semicolon-separated export (a European spreadsheet), naive times at +01:00
    rep = report(exe, "--config", os.path.join(data, "semicolon.json"),
                 os.path.join(data, "semicolon.csv"), "--as-of", "2024-03-04T10:30Z")
    check("semicolons: rows used", rep["input"]["used"], 2)
    check("semicolons: channels", sorted(c["name"] for c in rep["tickets"]["channels"]),
          ["E-Mail", "Telefon"])
    check("semicolons: weeks", [w["week_start"] for w in rep["weekly"]], ["2024-03-04"])
    p = run(exe, "--config", os.path.join(data, "rfc4180.csv"), tickets, code=1)
    check("a broken config is an error", p.stdout, "")
    check("... named with its line and column",
          p.stderr.startswith(f"cxm-report: {os.path.join(data, 'rfc4180.csv')}:1:"), True)

    # files that do not open: the program, the file and the reason, nothing on stdout
    with tempfile.TemporaryDirectory() as tmp:
        gone = os.path.join(tmp, "gone.csv")
        for args, words in (([gone], f"cxm-report: {gone}: No such file or directory"),
                            (["--survey", gone], f"cxm-report: {gone}: No such file or directory"),
                            (["--config", gone, tickets], f"cxm-report: unable to open {gone}: "),
                            ([tickets, "--html", os.path.join(gone, "r.html")],
                             f"cxm-report: cannot write {os.path.join(gone, 'r.html')}: ")):
            p = run(exe, *args, code=1)
            check(f"{args}: says so", (p.stdout, p.stderr.startswith(words)), ("", True))

    if failures:
        print("\n".join(failures))
        return 1
    print("all input checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
