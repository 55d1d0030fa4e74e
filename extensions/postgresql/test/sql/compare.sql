-- Period-over-period comparisons between two states, churn, and the share of
-- durations within a threshold.
SET extra_float_digits = 0;

-- CSAT: week A 5 5 4 4 against week B 3 3 2 2: means 4.5 and 2.5, diff 2 scale points.
CREATE TABLE weeks AS
  SELECT w, csat_state(s) AS csat, ces_state(s + 2) AS ces, rate_state(s >= 4) AS fcr,
         duration_state(s * 600.0) AS reply
  FROM (VALUES ('A', 5), ('A', 5), ('A', 4), ('A', 4), ('B', 3), ('B', 3), ('B', 2), ('B', 2)) v(w, s)
  GROUP BY w;
SELECT (c).figure, (c).test, (c).value_a, (c).value_b, (c).diff, (c).significant, (c).df
FROM (SELECT csat_compare(a.csat, b.csat) AS c FROM weeks a, weeks b
      WHERE a.w = 'A' AND b.w = 'B') z;
-- Satisfied (>= 4): 100 % against 0 %.
SELECT (c).figure, (c).test, (c).value_a, (c).value_b, (c).diff, (c).significant
FROM (SELECT csat_compare_satisfied(a.csat, b.csat) AS c FROM weeks a, weeks b
      WHERE a.w = 'A' AND b.w = 'B') z;
SELECT (c).figure, (c).value_a, (c).value_b FROM (SELECT ces_compare(a.ces, b.ces) AS c
  FROM weeks a, weeks b WHERE a.w = 'A' AND b.w = 'B') z;
SELECT (c).figure, (c).value_a, (c).value_b FROM (SELECT ces_compare_easy(a.ces, b.ces) AS c
  FROM weeks a, weeks b WHERE a.w = 'A' AND b.w = 'B') z;
SELECT (c).figure, (c).value_a, (c).value_b, (c).diff FROM (SELECT rate_compare(a.fcr, b.fcr) AS c
  FROM weeks a, weeks b WHERE a.w = 'A' AND b.w = 'B') z;
-- Medians of reply times: A 2400..3000 s against B 1200..1800 s (4 answers: no bound at 95 %).
SELECT round((c).median_a) AS median_a, round((c).median_b) AS median_b, (c).significant
FROM (SELECT duration_compare(a.reply, b.reply) AS c FROM weeks a, weeks b
      WHERE a.w = 'A' AND b.w = 'B') z;
-- Replies within 45 minutes: 2 of 4 in A (2400 s; 3000 s is over), all of B.
SELECT w, (share_within(reply, interval '45 minutes')).share,
       (share_within(reply, 2700.0)).n FROM weeks ORDER BY w;

-- SLA compliance, this week against last: 1 of 2 first replies on time against 2 of 2.
CREATE TABLE sla_weeks AS
  SELECT w, sla_compliance_state('{"first_reply": [3600]}', 0, 'first_reply', s, f) AS st
  FROM (VALUES
    ('this', '2024-01-08 10:00+00'::timestamptz, '2024-01-08 10:30+00'::timestamptz),
    ('this', '2024-01-08 10:00+00', '2024-01-08 12:00+00'),
    ('last', '2024-01-01 10:00+00', '2024-01-01 10:10+00'),
    ('last', '2024-01-01 10:00+00', '2024-01-01 10:50+00')) v(w, s, f)
  GROUP BY w;
SELECT (c).figure, (c).value_a, (c).value_b, (c).diff
FROM (SELECT sla_compare(a.st, b.st, 'first_reply') AS c FROM sla_weeks a, sla_weeks b
      WHERE a.w = 'this' AND b.w = 'last') z;
SELECT (unnest(sla_compliance(merge(st)))).* FROM sla_weeks;

-- Customer churn: 10 customers at start, 2 lost, 1 new; 4 renewals due, 3 renewed.
CREATE TABLE customers AS
  SELECT i, true AS at_start, i > 2 AS at_end, i <= 2 AS cancelled, false AS came_back,
         i <= 4 AS due, i BETWEEN 2 AND 4 AS renewed, 1000::bigint AS mrr_start,
         CASE WHEN i > 2 THEN 1000 ELSE 0 END::bigint AS mrr_end
  FROM generate_series(1, 10) i
  UNION ALL SELECT 11, false, true, false, false, false, false, 0, 500;
SELECT (r).churn_rate, (r).customers_start, (r).lost, (r).gained, (r).customers_end,
       (r).renewal_rate, (r).gross_revenue_churn
FROM (SELECT customer_churn(at_start, at_end, cancelled, came_back, due, renewed, mrr_start, mrr_end)
      AS r FROM customers) z;
SELECT (c).figure, (c).value_a, (c).value_b
FROM (SELECT churn_compare(a, b) AS c FROM
  (SELECT customer_churn_state(at_start, at_end, cancelled, came_back, due, renewed, mrr_start,
                               mrr_end) AS a FROM customers) x,
  (SELECT customer_churn_state(true, true, false, false, false, false, 0, 0) AS b
   FROM generate_series(1, 10)) y) z;

-- Kinds are not compared across: a CSAT on 1-5 against one on 1-7.
SELECT csat_compare(csat_state(4), csat_state(4, 1, 7));
