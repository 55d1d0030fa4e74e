-- Both forms run in parallel workers: Partial Aggregate in each worker, Finalize
-- Aggregate in the leader, and the same results as a serial run.
SET extra_float_digits = 0;
CREATE TABLE survey AS
  SELECT i, (hashint4(i) & 2147483647) % 11 AS score,
         (-ln(((hashint4(i + 7) & 2147483647) + 1) / 2147483649.0) * 3600)::float8 AS secs,
         (hashint4(i + 13) & 3) = 0 AS reopened
  FROM generate_series(1, 200000) i;
ANALYZE survey;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;

EXPLAIN (COSTS OFF) SELECT nps(score, 'relational') FROM survey;
EXPLAIN (COSTS OFF) SELECT duration(secs) FROM survey;
EXPLAIN (COSTS OFF) SELECT nps_state(score, 'relational') FROM survey;
EXPLAIN (COSTS OFF) SELECT duration_quantile(secs, 0.75) FROM survey;

CREATE TABLE par AS SELECT nps(score, 'relational') AS n, duration(secs) AS d,
  rate(reopened) AS r, csat(score, 0, 10) AS c, nps_state(score, 'relational') AS ns,
  duration_state(secs) AS ds, duration_quantile(secs, 0.75) AS q75,
  duration_share_within(secs, 3600) AS within_hour FROM survey;

SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT nps(score, 'relational') FROM survey;
CREATE TABLE ser AS SELECT nps(score, 'relational') AS n, duration(secs) AS d,
  rate(reopened) AS r, csat(score, 0, 10) AS c, nps_state(score, 'relational') AS ns,
  duration_state(secs) AS ds, duration_quantile(secs, 0.75) AS q75,
  duration_share_within(secs, 3600) AS within_hour FROM survey;

-- Merging is exact: every figure, and even the state's bytes, are the same.
SELECT par.n = ser.n AS nps_equal, par.d = ser.d AS duration_equal, par.r = ser.r AS rate_equal,
       par.c = ser.c AS csat_equal, par.ns::bytea = ser.ns::bytea AS nps_state_equal,
       par.ds::bytea = ser.ds::bytea AS duration_state_equal, par.q75 = ser.q75 AS q75_equal,
       par.within_hour = ser.within_hour AS share_equal,
       par.q75 = quantile(par.ds, 0.75) AS q75_as_from_state
FROM par, ser;
SELECT (par.n).n AS answers FROM par;
