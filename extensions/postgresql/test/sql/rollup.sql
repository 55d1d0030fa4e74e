-- The rollup pattern: daily states stored in a table, merged into weeks and
-- months, equal to the aggregate of the raw rows.
SET extra_float_digits = 0;
CREATE TABLE events AS
  SELECT date '2024-01-01' + (i % 60) AS day, (hashint4(i) & 2147483647) % 11 AS score,
         1 + (hashint4(i + 1) & 2147483647) % 5 AS csat_score,
         (-ln(((hashint4(i + 2) & 2147483647) + 1) / 2147483649.0) * 7200)::float8 AS secs,
         (hashint4(i + 3) & 1) = 0 AS first_contact
  FROM generate_series(1, 30000) i;

CREATE TABLE daily AS
  SELECT day, nps_state(score, 'transactional') AS nps, csat_state(csat_score) AS csat,
         duration_state(secs) AS resolution, rate_state(first_contact) AS fcr
  FROM events GROUP BY day;

-- A weekly trend over the stored daily states.
SELECT date_trunc('week', day)::date AS week, (nps(merge(nps))).nps AS nps,
       (nps(merge(nps))).n AS answers, round((csat(merge(csat))).mean::numeric, 3) AS csat,
       round((rate(merge(fcr))).rate::numeric, 4) AS fcr
FROM daily WHERE day < '2024-02-05' GROUP BY 1 ORDER BY 1;

-- Months from days equal months from rows: figures and state bytes.
WITH from_days AS (
  SELECT date_trunc('month', day) AS month, merge(nps) AS nps, merge(csat) AS csat,
         merge(resolution) AS resolution, merge(fcr) AS fcr
  FROM daily GROUP BY 1),
from_rows AS (
  SELECT date_trunc('month', day) AS month, nps_state(score, 'transactional') AS nps,
         csat_state(csat_score) AS csat, duration_state(secs) AS resolution,
         rate_state(first_contact) AS fcr
  FROM events GROUP BY 1)
SELECT d.month::date, nps(d.nps) = nps(r.nps) AS nps_equal, csat(d.csat) = csat(r.csat) AS csat_equal,
       duration(d.resolution) = duration(r.resolution) AS duration_equal,
       d.resolution::bytea = r.resolution::bytea AS same_bytes, rate(d.fcr) = rate(r.fcr) AS fcr_equal
FROM from_days d JOIN from_rows r USING (month) ORDER BY 1;

-- Bytes per stored state (the library's encoding plus a 4-byte header).
SELECT min(state_bytes(nps)) AS nps, min(state_bytes(csat)) AS csat,
       min(state_bytes(fcr)) AS rate, max(state_bytes(resolution)) <= 2048 AS duration_under_2k
FROM daily;
