#!/bin/sh
# Loads the extension into the sqlite3 shell, runs the SQL, compares the output,
# then checks that bad input is an error (never a number, never a crash).
set -eu
ext=$1 dir=$2 shell=$3
run() { "$shell" -batch :memory: ".load $ext sqlite3_cxmsqlite_init" "$@"; }
out=$(run ".read $dir/test_sqlite.sql")
printf '%s\n' "$out" | diff -u "$dir/test_sqlite.expected" -
# must_fail WHAT SQL EXPECTED-MESSAGE-PART
must_fail() {
    if msg=$(run "$2" 2>&1); then
        echo "$1 must fail, gave: $msg"
        exit 1
    fi
    case $msg in
    *"$3"*) ;;
    *) echo "$1: unexpected error: $msg"; exit 1 ;;
    esac
}
must_fail "blending two NPS kinds" \
    "SELECT nps(s, k) FROM (SELECT 9 AS s, 'relational' AS k UNION ALL SELECT 9, 'transactional');" \
    "never blended"
must_fail "a score of 11" "SELECT nps(11, 'relational');" "score 11 is off the scale"
must_fail "an unknown kind" "SELECT nps(9, 'loyalty');" 'unknown NPS kind "loyalty"'
must_fail "a CSAT of 6 on 1-5" "SELECT csat(6);" "score 6 is off the scale"
# Text that is not a number, a fraction where a whole number goes, a score past int: errors
# naming the argument, never the number SQLite makes of the leading digits ('2024-01-01' -> 2024).
must_fail "a date as text for a ticket's time" \
    "SELECT ticket_rollup('2024-03-04 09:00', NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, 'zendesk');" \
    "the created time: '2024-03-04 09:00' is not a whole number (times are Unix seconds"
must_fail "dates as text for an SLA target" \
    "SELECT sla_compliance('{\"first_reply\": [3600]}', 0, 'first_reply', '2024-01-01', '2024-01-01 00:30');" \
    "the start time: '2024-01-01' is not a whole number"
must_fail "a word as a score" "SELECT nps('n/a', 'relational');" "the score: 'n/a' is not a whole number"
must_fail "a fraction as a score" "SELECT csat(4.5);" "the score: '4.5' is not a whole number"
must_fail "a score past int" "SELECT nps(4294967305, 'relational');" "score 4294967305 is off the scale"
must_fail "a threshold off the scale" "SELECT csat(4, 1, 5, 9);" "csat: no scale from 1 to 5 with threshold 9"
must_fail "a word as a duration" "SELECT duration('abc');" "duration: 'abc' is not a number"
must_fail "a word as a handle time" \
    "SELECT ticket_rollup(1709542800, NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'n/a', NULL, 'zendesk');" \
    "the handle_time: 'n/a' is not a number"
# Numbers as text (a CSV imported without types) still count.
[ "$(run "SELECT nps('9', 'relational') ->> 'n', duration('12.5') ->> 'mean', csat(4.0) ->> 'n';")" = "1|12.5|1" ] ||
    { echo "numbers given as text or as whole reals must count"; exit 1; }
must_fail "two scales in one group" \
    "SELECT csat(4, lo, 5) FROM (SELECT 1 AS lo UNION ALL SELECT 0);" "two different scales"
must_fail "truncated state bytes" \
    "SELECT result(substr(nps_state(9, 'relational'), 1, 20));" "reading a state"
must_fail "corrupted state bytes" \
    "SELECT result(substr(s, 1, 30) || x'ff' || substr(s, 32)) FROM (SELECT nps_state(9, 'relational') AS s);" \
    "reading a state"
must_fail "merging two families" \
    "SELECT merge(s) FROM (SELECT nps_state(9, 'relational') AS s UNION ALL SELECT rate_state(1));" \
    "another family"
must_fail "merging two NPS kinds" \
    "SELECT merge(s) FROM (SELECT nps_state(9, 'relational') AS s UNION ALL SELECT nps_state(9, 'transactional'));" \
    "mismatch"
must_fail "a bad SLA policy" "SELECT sla_compliance('[1]', 0, 'first_reply', 0, 60);" "SLA policy"
must_fail "a business-hours target without a calendar" \
    "SELECT sla_compliance('{\"first_reply\": [{\"business\": 60}]}', 0, 'first_reply', 0, 60);" \
    "needs a calendar"
must_fail "open hours written loosely" \
    "SELECT sla_compliance('{\"first_reply\": [60]}', '{\"week\": {\"mon\": [\"9-17\"]}}', 0, 'first_reply', 0, 60);" \
    'open hours are "HH:MM-HH:MM"'
must_fail "two calendars in one group" \
    "SELECT sla_compliance('{\"first_reply\": [60]}', w, 0, 'first_reply', 0, 60) FROM (SELECT '{\"week\": {\"mon\": [\"09:00-17:00\"]}}' AS w UNION ALL SELECT '{\"week\": {\"tue\": [\"09:00-17:00\"]}}');" \
    "two different calendars"
must_fail "a ticket solved before it was created" \
    "SELECT ticket_rollup(100, NULL, 50, NULL, 0, 0, 0, 0, 0, NULL, NULL, 'zendesk');" "first_solved"
ticket="1704103200, 1704105000, 1704110400, NULL, 0, 1, 0, 0, 0, 5, NULL"
must_fail "an unknown roll-up group" \
    "SELECT rollup_group(ticket_rollup_state($ticket, 'zendesk'), 'team', 0);" 'unknown roll-up group "team"'
must_fail "a channel beyond the capacity" \
    "SELECT ticket_rollup($ticket, 4, NULL, NULL, 'zendesk', '{\"channels\": 4}');" "field channel"
must_fail "SLA figures of a roll-up without a policy" \
    "SELECT rollup_sla(ticket_rollup_state($ticket, 'zendesk'), 'overall', 0, 'first_reply');" "no SLA policy"
must_fail "unknown roll-up options" \
    "SELECT ticket_rollup($ticket, 0, NULL, NULL, 'zendesk', '{\"colours\": 4}');" "not colours"
story="1704103200, NULL, 1704110400, NULL, 0, 1, 0, 0, 0, NULL, NULL, NULL, NULL, NULL"
must_fail "an NPS answer of 11" \
    "SELECT ticket_rollup($story, 11, 0, 60, 0, 'zendesk');" "field nps"
must_fail "a solved ticket closed without a resolution" \
    "SELECT ticket_rollup($story, NULL, 0, 60, 1, 'zendesk');" "field flags"
must_fail "a transferred self-service ticket" \
    "SELECT ticket_rollup(1704103200, NULL, 1704110400, NULL, 0, 0, 0, 0, 1, NULL, NULL, NULL, NULL, NULL, NULL, 1, 0, 0, 'zendesk');" \
    "field transfers"
must_fail "more open tickets than the open-ticket index holds" \
    "SELECT ticket_rollup(1704103200 + value, NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 'zendesk', '{\"open\": 2}') FROM generate_series(1, 3);" \
    "the roll-up is full"
must_fail "a survival read without the open-ticket index" \
    "SELECT rollup_survival(ticket_rollup_state($story, 9, 0, 60, 0, 'zendesk'), 'overall', 0, 1709251200);" \
    "keeps no open-ticket index"
must_fail "a survival read before an open ticket was created" \
    "SELECT rollup_survival(ticket_rollup_state(1704103200, NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 'zendesk', '{\"open\": 2}'), 'overall', 0, 1704100000);" \
    "before the creation of an open ticket"
must_fail "survival instants that are not a JSON array" \
    "SELECT rollup_survival(ticket_rollup_state($story, 9, 0, 60, 0, 'zendesk', '{\"open\": 2}'), 'overall', 0, 1709251200, '3600');" \
    "not a JSON array"
must_fail "an unknown roll-up rate" \
    "SELECT rollup_rate(ticket_rollup_state($story, 9, 0, 60, 0, 'zendesk'), 'overall', 0, 'speed');" \
    'unknown roll-up rate "speed"'
team="1704103200, NULL, 1704110400, NULL, 0, 1, 0, 1, 0, NULL, NULL, 2, NULL, 3"
cross="'{\"channels\": 4, \"agents\": 5, \"crosses\": [[\"channel\", \"priority\"]]}'"
must_fail "a cell of a cross the options do not name" \
    "SELECT rollup_group(ticket_rollup_state($team, 'zendesk', $cross), 'agent', 3, 'channel', 2);" \
    "no cross of agent and channel"
must_fail "a cell named with the overall group" \
    "SELECT rollup_group(ticket_rollup_state($team, 'zendesk', $cross), 'overall', 0, 'channel', 2);" \
    "a cell is named by two of channel, topic, priority and agent"
must_fail "a cell beyond a dimension's capacity" \
    "SELECT rollup_nps(ticket_rollup_state($team, 'zendesk', $cross), 'channel', 4, 'priority', 0);" \
    "beyond the capacity"
must_fail "a cell reader short of its own arguments" \
    "SELECT rollup_time(ticket_rollup_state($team, 'zendesk', $cross), 'channel', 2, 'priority', 1);" \
    "wrong number of arguments"
must_fail "an agent's figures kept as counts only" \
    "SELECT rollup_group(ticket_rollup_state($team, 'zendesk', '{\"channels\": 4, \"agents\": 5, \"agent_kind\": \"counts\"}'), 'agent', 3);" \
    "rollup_agent reads them"
must_fail "a cross of one dimension with itself" \
    "SELECT ticket_rollup($team, 'zendesk', '{\"channels\": 4, \"crosses\": [[\"channel\", \"channel\"]]}');" \
    "two different dimensions"
must_fail "a cross of a dimension without a capacity" \
    "SELECT ticket_rollup($team, 'zendesk', '{\"channels\": 4, \"crosses\": [[\"channel\", \"topic\"]]}');" \
    "capacity of each of its dimensions: topics"
must_fail "two quantiles in one group" \
    "SELECT duration_quantile(s, q) FROM (SELECT 1.0 AS s, 0.5 AS q UNION ALL SELECT 2, 0.9);" \
    "parameter changes"
echo "sqlite extension ok"
