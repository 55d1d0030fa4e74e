-- 10^6 generated rows: the aggregates against plain SQL. Counts are exact;
-- quantiles are within the sketch's stated relative error, 1/129.
SET extra_float_digits = 0;
CREATE TABLE big AS
  SELECT (hashint4(i) & 2147483647) % 11 AS score,
         1 + (hashint4(i + 5) & 2147483647) % 5 AS csat_score,
         (-ln(((hashint4(i + 9) & 2147483647) + 1) / 2147483649.0) * 3600)::float8 AS secs,
         (hashint4(i + 11) & 7) = 0 AS reopened
  FROM generate_series(1, 1000000) i;
ANALYZE big;

WITH c AS (SELECT nps(score, 'relational') AS r,
                  count(*) FILTER (WHERE score >= 9) AS p,
                  count(*) FILTER (WHERE score BETWEEN 7 AND 8) AS m,
                  count(*) FILTER (WHERE score <= 6) AS d, count(score) AS n FROM big)
SELECT (r).n = n AS n_equal, (r).promoters = p AS promoters_equal,
       (r).passives = m AS passives_equal, (r).detractors = d AS detractors_equal,
       abs((r).nps - 100.0 * (p - d) / n) < 1e-9 AS nps_equal
FROM c;

WITH c AS (SELECT rate(reopened) AS r, count(*) FILTER (WHERE reopened) AS k, count(*) AS n,
                  csat(csat_score) AS s, avg(csat_score) AS mean,
                  count(*) FILTER (WHERE csat_score >= 4) AS sat FROM big)
SELECT (r).successes = k AS successes_equal, (r).trials = n AS trials_equal,
       abs((s).mean - mean) < 1e-12 AS csat_mean_equal, (s).satisfied = sat AS satisfied_equal
FROM c;

WITH st AS (SELECT duration_state(secs) AS s FROM big),
ref AS (SELECT percentile_disc(ARRAY[0.5, 0.9, 0.99, 0.25, 0.75]) WITHIN GROUP (ORDER BY secs) AS q,
               avg(secs) AS mean, min(secs) AS lo, max(secs) AS hi FROM big)
SELECT u.q, abs(quantile(s, u.q) - u.exact) <= u.exact / 129 AS within_1_129
FROM st, ref, unnest(ARRAY[0.5, 0.9, 0.99, 0.25, 0.75], ref.q) AS u(q, exact)
ORDER BY u.q;

WITH st AS (SELECT duration(secs) AS r FROM big),
ref AS (SELECT avg(secs) AS mean, min(secs) AS lo, max(secs) AS hi, count(*) AS n FROM big)
SELECT (r).n = n AS n_equal, abs((r).mean - mean) < 1e-6 AS mean_to_the_microsecond,
       (r).min = lo AS min_exact, (r).max = hi AS max_exact
FROM st, ref;
