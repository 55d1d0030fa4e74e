#!/usr/bin/env bash
# The PostgreSQL extension (extensions/postgresql): build with PGXS, install,
# then against throwaway clusters (temp dir, Unix socket only, run as the
# postgres user, always stopped and removed):
#   1. pg_regress: hand-computed cases, bad input, parallel plans, the
#      rollup pattern, 10^6 rows against plain SQL;
#   2. the multi-node pattern: two clusters aggregate their shard into
#      states, the states travel as bytes (COPY ... BINARY) to a third that
#      merges them, and the result equals one cluster aggregating all rows
#      (the ticket roll-up channel by channel too, its NPS, unresolved closes
#      and the Kaplan-Meier read over the merged open-ticket indexes; agent
#      by agent and cell by cell of its channel x priority and agent x
#      channel crosses).
# Needs root (make install, runuser) and PostgreSQL 15 with its server headers;
# installs postgresql-15 and postgresql-server-dev-15 if they are missing.
#   bash .ci/postgresql.sh            PG_MAJOR=16 bash .ci/postgresql.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
root=$(pwd)
major=${PG_MAJOR:-15}
bin=/usr/lib/postgresql/$major/bin
ext=$root/extensions/postgresql

die() { echo "postgresql.sh: $*" >&2; exit 1; }
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null ||
        die "run as root: it installs the extension and starts servers as the postgres user"
    exec sudo -E bash "$0" "$@"
fi
if [ ! -x "$bin/pg_config" ] || [ ! -x "$bin/initdb" ]; then
    echo "installing postgresql-$major and postgresql-server-dev-$major"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=900 \
        "postgresql-$major" "postgresql-server-dev-$major" >/dev/null ||
        die "could not install postgresql-$major and postgresql-server-dev-$major (apt-get install them)"
fi
[ -x "$bin/pg_config" ] || die "$bin/pg_config missing: apt-get install postgresql-server-dev-$major"
id postgres >/dev/null 2>&1 || die "no postgres user: apt-get install postgresql-$major creates it"

echo "--- build and install (PGXS, PostgreSQL $major)"
# shellcheck source=../extensions/postgresql/throwaway.sh
. "$ext/throwaway.sh"
build_install "$ext"

echo "--- pg_regress"
rm -f "$root/build-postgresql/meson-logs/testlog-pg_regress.json"
start regress 55431 -c max_worker_processes=8
regress=$(dirname "$("$bin/pg_config" --pgxs)")/../test/regress/pg_regress
mkdir -p "$tmp/out" && chown postgres "$tmp/out"
tests=$(sed -n 's/^REGRESS = //p' "$ext/Makefile")
# shellcheck disable=SC2086
if ! as_pg "$regress" --bindir="$bin" --host="$tmp" --port=55431 --inputdir="$ext/test" \
    --outputdir="$tmp/out" --dbname=cxm_regress $tests | tee "$tmp/regress.log"; then
    cat "$tmp/out/regression.diffs" 2>/dev/null || true
    python3 "$root/.ci/record.py" pg_regress "$root/build-postgresql/meson-logs/testlog-pg_regress.json" \
        "$tmp/regress.log" || true
    die "pg_regress failed (diffs above)"
fi
# Each pg_regress test joins CI's closing count (.ci/summary.py).
python3 "$root/.ci/record.py" pg_regress "$root/build-postgresql/meson-logs/testlog-pg_regress.json" \
    "$tmp/regress.log"

echo "--- README examples: every sql block run in order, its output compared"
psql_at 55431 -d postgres -c "CREATE DATABASE cxm_readme"
readme=OK
python3 "$root/extensions/check_readme.py" "$ext/README.md" runuser -u postgres -- "$bin/psql" \
    -h "$tmp" -p 55431 -d cxm_readme -q -X -v ON_ERROR_STOP=1 -P footer=off -f - || readme=FAIL
python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import record
record.append(sys.argv[2], "pg_regress", [("readme-examples", sys.argv[3])])' \
    "$root/.ci" "$root/build-postgresql/meson-logs/testlog-pg_regress.json" "$readme"
[ "$readme" = OK ] || die "the README's examples do not print what the README shows (above)"

echo "--- multi-node: two shards -> states as bytes -> a third cluster merges"
start shard1 55432
start shard2 55433
start coord 55434
rows="SELECT i, (hashint4(i) & 2147483647) % 11 AS score,
        ((-ln(((hashint4(i + 7) & 2147483647) + 1) / 2147483649.0)) * 3600)::float8 AS secs,
        1 + (hashint4(i + 3) & 2147483647) % 5 AS csat, (hashint4(i + 5) & 3) = 0 AS reopened
      FROM generate_series(1, 100000) i"
for port in 55432 55433 55434; do psql_at "$port" -d postgres -c "CREATE EXTENSION cxm"; done
# shard 1 holds odd ids, shard 2 even ones; the coordinator holds everything (the reference).
psql_at 55432 -d postgres -c "CREATE TABLE t AS SELECT * FROM ($rows) r WHERE i % 2 = 1"
psql_at 55433 -d postgres -c "CREATE TABLE t AS SELECT * FROM ($rows) r WHERE i % 2 = 0"
psql_at 55434 -d postgres -c "CREATE TABLE t AS $rows"
partial="SELECT nps_state(score, 'relational') AS nps, duration_state(secs) AS dur,
           csat_state(csat) AS csat, rate_state(reopened) AS reopen,
           ticket_rollup_state(ROW(timestamptz '2024-01-01' + i * interval '1 minute',
             timestamptz '2024-01-01' + i * interval '1 minute' + secs * interval '1 second',
             CASE WHEN i % 5 < 3 THEN timestamptz '2024-01-01' + i * interval '1 minute'
                                      + 2 * secs * interval '1 second' END,
             NULL, 0, 1 + score % 3, 0, i % 4, false, csat, NULL, i % 3, NULL, i % 7,
             score, i % 3, secs / 10, i % 5 = 3)::cxm_ticket,
             'zendesk', '{\"channels\": 3, \"agents\": 7, \"open\": 20000,
                          \"crosses\": [[\"channel\", \"priority\"], [\"agent\", \"channel\"]]}')
           AS roll FROM t"
for port in 55432 55433; do
    psql_at "$port" -d postgres -c "COPY ($partial) TO '$tmp/part-$port.bin' WITH (FORMAT binary)"
done
psql_at 55434 -d postgres -c \
    "CREATE TABLE parts (nps nps_state, dur duration_state, csat csat_state, reopen rate_state,
     roll rollup_state)"
for port in 55432 55433; do
    psql_at 55434 -d postgres -c "COPY parts FROM '$tmp/part-$port.bin' WITH (FORMAT binary)"
done
result=$(psql_at 55434 -d postgres -A -t -c "
  WITH merged AS (SELECT merge(nps) AS nps, merge(dur) AS dur, merge(csat) AS csat,
                         merge(reopen) AS reopen, merge(roll) AS roll FROM parts),
  direct AS ($partial)
  SELECT nps(m.nps) = nps(d.nps) AND duration(m.dur) = duration(d.dur)
     AND m.dur::bytea = d.dur::bytea AND csat(m.csat) = csat(d.csat)
     AND rate(m.reopen) = rate(d.reopen) AND (nps(m.nps)).n = 100000
     AND (SELECT bool_and(rollup_group(m.roll, 'channel', c) = rollup_group(d.roll, 'channel', c)
                          AND rollup_nps(m.roll, 'channel', c) = rollup_nps(d.roll, 'channel', c)
                          AND rollup_survival(m.roll, 'channel', c, '2024-04-01Z', '{3600, 86400}')
                            = rollup_survival(d.roll, 'channel', c, '2024-04-01Z', '{3600, 86400}'))
          FROM generate_series(0, 2) c)
     AND (SELECT bool_and(rollup_group(m.roll, 'agent', a) = rollup_group(d.roll, 'agent', a)
                          AND rollup_group(m.roll, 'channel', c, 'priority', a % 4)
                            = rollup_group(d.roll, 'channel', c, 'priority', a % 4)
                          AND rollup_nps(m.roll, 'agent', a, 'channel', c)
                            = rollup_nps(d.roll, 'agent', a, 'channel', c)
                          AND rollup_survival(m.roll, 'agent', a, 'channel', c, '2024-04-01Z')
                            = rollup_survival(d.roll, 'agent', a, 'channel', c, '2024-04-01Z'))
          FROM generate_series(0, 6) a, generate_series(0, 2) c)
     AND (rollup_group(m.roll, 'overall', 0)).unresolved = 20000
     AND (rollup_survival(m.roll, 'overall', 0, '2024-04-01Z')).open = 20000
     AND (rollup_group(m.roll, 'channel', 0)).tickets = 33333
     AND (rollup_group(m.roll, 'agent', 0)).tickets = 14285
     AND (rollup_group(m.roll, 'channel', 0, 'priority', 0)).tickets = 8333
  FROM merged m, direct d")
[ "$result" = "t" ] || die "states merged from two clusters differ from one cluster's aggregate ($result)"
psql_at 55434 -d postgres -A -t -c \
    "SELECT 'merged NPS ' || (nps(merge(nps))).nps || ' over ' || (nps(merge(nps))).n || ' answers' FROM parts"
# Corrupt bytes travelling the same way are refused on arrival.
printf 'PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0\0\1\0\0\0\4ABCD\377\377' >"$tmp/bad.bin"
chown postgres "$tmp/bad.bin"
if out=$(psql_at 55434 -d postgres -c \
    "CREATE TABLE bad (nps nps_state); COPY bad FROM '$tmp/bad.bin' WITH (FORMAT binary)" 2>&1); then
    die "corrupt state bytes were accepted by COPY"
fi
printf '%s\n' "$out" | grep -q 'nps_state\|reading a state' || die "unexpected error for corrupt bytes: $out"
echo "--- SQLite and PostgreSQL read each other's states"
command -v sqlite3 >/dev/null && [ -f /usr/include/sqlite3ext.h ] ||
    die "the SQLite <-> PostgreSQL check needs sqlite3 and libsqlite3-dev (bash .ci/deps.sh)"
{
    cc -std=c11 -O1 -shared -fPIC -I"$root/include" -I"$root/extensions" -DCXM_VERSION_STRING='"0"' \
        -o "$tmp/cxm_sqlite.so" "$root/extensions/sqlite/cxm_sqlite.c" "$root"/lib/*.c -lm
    hex=$(sqlite3 -batch :memory: ".load $tmp/cxm_sqlite sqlite3_cxmsqlite_init" \
        "SELECT hex(nps_state(s, 'relational')) FROM (SELECT 10 AS s UNION ALL SELECT 9 UNION ALL SELECT 3);")
    both=$(psql_at 55434 -d postgres -A -t -c "SELECT (nps(merge(s))).nps || '/' || (nps(merge(s))).n
        FROM (SELECT decode('$hex', 'hex')::nps_state AS s UNION ALL SELECT nps_state(9, 'relational')) z")
    [ "$both" = "50/4" ] || die "a state from SQLite merged in PostgreSQL gave $both, not 50/4"
    back=$(psql_at 55434 -d postgres -A -t -c "SELECT encode(nps_state(s, 'relational')::bytea, 'hex')
        FROM (VALUES (10), (9), (3)) v(s)")
    [ "$(printf '%s' "$hex" | tr 'A-F' 'a-f')" = "$back" ] ||
        die "SQLite and PostgreSQL encode the same answers differently"
    # A roll-up with agents and a cross of agent x channel: the SQLite state, read in
    # PostgreSQL cell by cell and agent by agent, equals PostgreSQL's own over the same tickets.
    team_opts='{"channels": 2, "agents": 2, "crosses": [["agent", "channel"]]}'
    rhex=$(sqlite3 -batch :memory: ".load $tmp/cxm_sqlite sqlite3_cxmsqlite_init" \
        "SELECT hex(ticket_rollup_state(1704103200 + value * 3600, 1704103800 + value * 3600,
           1704110400 + value * 3600, NULL, 0, 1 + value % 3, 0, value % 4, 0, 1 + value % 5,
           NULL, (value / 2) % 2, NULL, value % 2, value % 11, value % 3 / 2, 100.0 * value, 0,
           'zendesk', '$team_opts')) FROM generate_series(0, 9);")
    same=$(psql_at 55434 -d postgres -A -t -c "
      WITH pg AS (SELECT ticket_rollup_state(ROW(to_timestamp(1704103200 + v * 3600),
               to_timestamp(1704103800 + v * 3600), to_timestamp(1704110400 + v * 3600), NULL, 0,
               1 + v % 3, 0, v % 4, false, 1 + v % 5, NULL, (v / 2) % 2, NULL, v % 2, v % 11,
               v % 3 / 2, 100.0 * v, false)::cxm_ticket, 'zendesk', '$team_opts') AS p
             FROM generate_series(0, 9) v),
      lite AS (SELECT decode('$rhex', 'hex')::rollup_state AS l)
      SELECT bool_and(rollup_group(l, 'agent', a, 'channel', c) = rollup_group(p, 'agent', a, 'channel', c)
                      AND rollup_group(l, 'agent', a) = rollup_group(p, 'agent', a))
             AND sum((rollup_group(l, 'agent', a, 'channel', c)).tickets) = 10
      FROM pg, lite, generate_series(0, 1) a, generate_series(0, 1) c")
    [ "$same" = "t" ] ||
        die "a roll-up state with agents and a cross made in SQLite reads differently in PostgreSQL ($same)"
}
echo "postgresql extension ok: pg_regress ($tests), multi-node merge, SQLite <-> PostgreSQL states (NPS, roll-up cells)"
