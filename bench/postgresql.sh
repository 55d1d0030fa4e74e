#!/usr/bin/env bash
# The PostgreSQL extension against plain SQL on the same rows, same server,
# same run: one JSON line per (query, configuration) with the median of
# several runs of the cxm aggregate and of its plain-SQL reference.
#   sudo bash bench/postgresql.sh [rows] [runs]      (default 10^7 rows, 3 runs)
# Rows are realistic survey and ticket data: NPS answers skewed the way real
# answers are, resolution times log-normal (median about 5 h, long tail).
# Configurations: serial (max_parallel_workers_per_gather = 0) and 2 workers.
# Each line also times a bare count(column) over the same rows (scan_ms), so
# the time each side spends above the scan both pay can be compared too.
# Ordered-set aggregates (percentile_cont, percentile_disc) have no partial
# form, so PostgreSQL runs them serially in both; the cxm aggregates split.
# The executor's floor: per configuration, one "executor_floor" line with
# count(*) and sum(secs) over the same rows, timed with percentile_cont in
# the same loop. No aggregate can run faster than count(*) (it only counts
# the rows the scan hands it), so percentile_cont_ms / count_star_ms bounds
# the speedup any aggregate can show over percentile_cont on this machine.
# Not part of CI (it takes minutes); figures in extensions/postgresql/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000000}
runs=${2:-3}
bin=/usr/lib/postgresql/${PG_MAJOR:-15}/bin
ext=$(pwd)/extensions/postgresql
[ "$(id -u)" -eq 0 ] || exec sudo -E bash "$0" "$@"
[ -x "$bin/pg_config" ] || { echo "needs PostgreSQL: sudo bash .ci/postgresql.sh installs it" >&2; exit 1; }
# shellcheck source=../extensions/postgresql/throwaway.sh
. "$ext/throwaway.sh"
build_install "$ext" >&2
port=55441
start bench $port -c shared_buffers=512MB -c max_worker_processes=8
psql_at $port -d postgres -c "CREATE EXTENSION cxm"
echo "loading $rows rows" >&2
psql_at $port -d postgres -c "
CREATE TABLE answers AS
  SELECT i AS id,
         (ARRAY[0,1,2,3,4,5,5,6,6,7,7,7,8,8,8,8,9,9,9,9,10,10,10,10])[1 + (hashint4(i) & 2147483647) % 24]
           AS score,
         -- log-normal resolution time: exp(N(ln 18000, 1.2)) seconds (Box-Muller)
         (18000 * exp(1.2 * sqrt(-2 * ln(((hashint4(i + 1) & 2147483647) + 1) / 2147483649.0))
                      * cos(2 * pi() * (hashint4(i + 2) & 2147483647) / 2147483648.0)))::float8
           AS secs
  FROM generate_series(1, $rows) i"
psql_at $port -d postgres -c "VACUUM ANALYZE answers"

# ms CONFIG SQL: wall time of one run, milliseconds, from psql's \timing.
ms() {
    psql_at $port -d postgres -c "$1" -c '\timing on' -c "$2" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

serial="SET max_parallel_workers_per_gather = 0"
parallel="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0;
  SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0"
nps_cxm="SELECT nps(score, 'relational') FROM answers"
nps_state="SELECT nps(nps_state(score, 'relational')) FROM answers"
nps_sql="SELECT 100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))
  / count(score), count(*) FILTER (WHERE score >= 9), count(*) FILTER (WHERE score BETWEEN 7 AND 8),
  count(*) FILTER (WHERE score <= 6), count(score) FROM answers"
nps_scan="SELECT count(score) FROM answers"
dur_scan="SELECT count(secs) FROM answers"
dur_cxm="SELECT duration(secs) FROM answers"
dur_state="SELECT duration(duration_state(secs)) FROM answers"
dur_cont="SELECT count(secs), avg(secs),
  percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY secs) FROM answers"
dur_disc="SELECT count(secs), avg(secs),
  percentile_disc(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY secs) FROM answers"

# medians3 CONFIG SQL1 SQL2 SQL3: the three run alternately, $runs times each, so
# that the machine's load drifts over all three alike; their medians in ma mb mc.
medians3() {
    local cfg_sql=$serial a=() b=() c=()
    [ "$1" = serial ] || cfg_sql=$parallel
    for _ in $(seq "$runs"); do
        a+=("$(ms "$cfg_sql" "$2")")
        b+=("$(ms "$cfg_sql" "$3")")
        c+=("$(ms "$cfg_sql" "$4")")
    done
    ma=$(printf '%s\n' "${a[@]}" | median)
    mb=$(printf '%s\n' "${b[@]}" | median)
    mc=$(printf '%s\n' "${c[@]}" | median)
}

# line NAME CONFIG CXM_SQL REF_NAME REF_SQL SCAN_SQL: the cxm query, its reference and a
# bare count over the same column; besides the whole-query ratio, the ratio of the time
# each spends above the bare scan.
line() {
    medians3 "$2" "$3" "$5" "$6"
    printf '{"bench":"%s","config":"%s","rows":%s,"cxm_ms":%s,"reference":"%s","reference_ms":%s,"speedup":%s,"scan_ms":%s,"speedup_above_scan":%s}\n' \
        "$1" "$2" "$rows" "$ma" "$4" "$mb" "$(awk -v a="$ma" -v b="$mb" 'BEGIN{printf "%.1f", b / a}')" \
        "$mc" "$(awk -v a="$ma" -v b="$mb" -v c="$mc" 'BEGIN{if (a > c) printf "%.1f", (b - c) / (a - c); else print "null"}')"
}
count_star="SELECT count(*) FROM answers"
sum_secs="SELECT sum(secs) FROM answers"
# floor CONFIG: count(*), sum(secs) and percentile_cont in one loop.
floor() {
    medians3 "$1" "$count_star" "$sum_secs" "$dur_cont"
    printf '{"bench":"executor_floor","config":"%s","rows":%s,"count_star_ms":%s,"sum_ms":%s,"percentile_cont_ms":%s,"speedup_bound":%s,"target":20,"target_reachable":%s}\n' \
        "$1" "$rows" "$ma" "$mb" "$mc" "$(awk -v a="$ma" -v c="$mc" 'BEGIN{printf "%.1f", c / a}')" \
        "$(awk -v a="$ma" -v c="$mc" 'BEGIN{print (c / a >= 20) ? "true" : "false"}')"
}
dur_q="SELECT duration_quantile(secs, 0.5) FROM answers"
dur_cont1="SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) FROM answers"
for cfg in serial 2_workers; do
    floor "$cfg"
    line duration_quantile "$cfg" "$dur_q" "percentile_cont" "$dur_cont1" "$dur_scan"
    line nps "$cfg" "$nps_cxm" "count(*) FILTER" "$nps_sql" "$nps_scan"
    line nps_state "$cfg" "$nps_state" "count(*) FILTER" "$nps_sql" "$nps_scan"
    line duration "$cfg" "$dur_cxm" "percentile_cont" "$dur_cont" "$dur_scan"
    line duration "$cfg" "$dur_cxm" "percentile_disc" "$dur_disc" "$dur_scan"
    line duration_state "$cfg" "$dur_state" "percentile_cont" "$dur_cont" "$dur_scan"
done
# State bytes per group: what a stored daily state costs (the encoding plus a 4-byte header).
psql_at $port -d postgres -A -t -c "
  SELECT json_build_object('bench', 'state_bytes', 'group_rows', count(*),
    'nps_state', state_bytes(nps_state(score, 'relational')),
    'duration_state', state_bytes(duration_state(secs)),
    'csat_state', state_bytes(csat_state(1 + score % 5)),
    'rate_state', state_bytes(rate_state(score >= 9)))
  FROM answers WHERE id <= 10000"
