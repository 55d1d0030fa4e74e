-- Hand-computed cases for every family, both forms, and the state types.
CREATE EXTENSION cxm;
SET extra_float_digits = 0;

CREATE TABLE answers (day date, channel text, kind text, score int);
INSERT INTO answers VALUES
  ('2024-03-04', 'email', 'transactional', 10), ('2024-03-04', 'email', 'transactional', 9),
  ('2024-03-04', 'chat',  'transactional', 9),  ('2024-03-05', 'chat',  'transactional', 8),
  ('2024-03-05', 'email', 'transactional', 7),  ('2024-03-05', 'chat',  'transactional', 6),
  ('2024-03-06', 'email', 'transactional', 5),  ('2024-03-06', 'chat',  'transactional', 3),
  ('2024-03-06', 'email', 'transactional', 10), ('2024-03-06', 'chat',  'transactional', 9),
  ('2024-03-06', 'chat',  'transactional', NULL);

-- Ten answers (the NULL is skipped): 5 promoters, 2 passives, 3 detractors -> NPS 20.
SELECT (r).nps, (r).n, (r).promoters, (r).passives, (r).detractors, (r).kind,
       round((r).ci_low::numeric, 2) AS ci_low, round((r).ci_high::numeric, 2) AS ci_high, (r).level
FROM (SELECT nps(score, kind) AS r FROM answers) s;
-- email: 10 9 7 5 10 -> 3 P, 1 D of 5 = 40; chat: 9 8 6 3 9 -> 2 P, 2 D of 5 = 0.
SELECT channel, (nps(score, kind)).nps FROM answers GROUP BY channel ORDER BY channel;
-- The distributable form: the same figures from the state.
SELECT (nps(nps_state(score, kind))).nps FROM answers;
SELECT (nps(nps_state(score, kind), 0.9)).level FROM answers;
-- An empty group has no state; a group of NULL answers has n = 0 and no score.
SELECT nps(score, kind) IS NULL AS no_rows FROM answers WHERE false;
SELECT (nps(score, kind)).* FROM answers WHERE score IS NULL;

-- Two periods compared: A (all 10s, n = 4) against B (all 0s, n = 4).
SELECT (c).diff, (c).significant
FROM (SELECT nps_compare(a, b) AS c FROM
  (SELECT nps_state(10, 'relational') AS a FROM generate_series(1, 4)) x,
  (SELECT nps_state(0, 'relational') AS b FROM generate_series(1, 4)) y) z;

-- Competitive NPS: brand 0 is ours. Ours 10 9 3 -> 33.33; brand 1: 5 9 -> 0; brand 2: 10 -> 100.
SELECT (g).brand, (g).n_ours, (g).n_theirs, round((g).nps_ours::numeric, 2) AS ours, (g).nps_theirs,
       round((g).gap::numeric, 2) AS gap
FROM (SELECT unnest(nps_gaps(b, s)) AS g
      FROM (VALUES (0, 10), (0, 9), (0, 3), (1, 5), (1, 9), (2, 10)) v(b, s)) z;

-- CSAT on 1-5: 5 4 3 5 -> mean 4.25, satisfied (>= 4) 3 of 4 = 75 %, median 4.5.
SELECT (r).mean, (r).n, (r).satisfied, (r).satisfied_pct, (r).median, (r).scale
FROM (SELECT csat(s) AS r FROM (VALUES (5), (4), (3), (5)) v(s)) z;
-- CSAT on 0-10 with satisfied >= 7: 10 7 6 0 -> mean 5.75, 2 of 4 satisfied.
SELECT (r).mean, (r).satisfied_pct, (r).scale
FROM (SELECT csat(s, 0, 10, 7) AS r FROM (VALUES (10), (7), (6), (0)) v(s)) z;
-- CES 2.0 (1-7, easy >= 5): 7 6 5 2 1 -> mean 4.2, easy 3 of 5, index %(6-7) - %(1-3) = 40 - 40 = 0.
SELECT (r).mean, (r).easy, (r).easy_pct, (r).ces_index, (r).scale
FROM (SELECT ces(s) AS r FROM (VALUES (7), (6), (5), (2), (1)) v(s)) z;
-- CES 1.0 (1-5, higher is effort, easy <= 2): 1 2 5 -> easy 2 of 3.
SELECT (r).mean, (r).easy, (r).scale FROM (SELECT ces(s, 'effort') AS r FROM (VALUES (1), (2), (5)) v(s)) z;

-- A rate over booleans: 2 of 3, Wilson interval at 95 %.
SELECT (r).rate = 2.0 / 3 AS two_thirds, (r).successes, (r).trials,
       round((r).ci_low::numeric, 4) AS ci_low, round((r).ci_high::numeric, 4) AS ci_high
FROM (SELECT rate(b) AS r FROM (VALUES (true), (false), (true), (NULL)) v(b)) z;

-- Durations, seconds or intervals: 60 120 180 240 300 s. Median is rank floor(0.5 * 4) = 2
-- (180 s), within 1/129 of it; mean, min, max and sum are exact.
SELECT (r).n, (r).mean, (r).min, (r).max, (r).sum, abs((r).median - 180) <= 180 / 129.0 AS median_ok
FROM (SELECT duration(s) AS r FROM (VALUES (60.0::float8), (120), (180), (240), (300)) v(s)) z;
SELECT (r).n, (r).mean, abs((r).median - 180) <= 180 / 129.0 AS median_ok
FROM (SELECT duration(i) AS r
      FROM (VALUES (interval '1 minute'), ('2 minutes'), ('3 minutes'), ('4 minutes'),
                   ('5 minutes')) v(i)) z;
SELECT abs(quantile(duration_state(s), 0.75) - 240) <= 240 / 129.0 AS p75_ok,
       quantile(duration_state(s), 0) AS q0, quantile(duration_state(s), 1) AS q1
FROM (VALUES (60.0::float8), (120), (180), (240), (300)) v(s);

-- The same, in one aggregate: any quantile, and the share within a threshold (3 of 5 <= 200 s,
-- 4 of 5 <= 270 s).
SELECT abs(duration_quantile(s, 0.75) - 240) <= 240 / 129.0 AS p75_ok,
       (duration_share_within(s, 200)).share AS within_200s,
       (duration_share_within(i, interval '4 minutes 30 seconds')).share AS within_4min30
FROM (VALUES (60.0::float8, interval '1 minute'), (120, '2 minutes'), (180, '3 minutes'),
             (240, '4 minutes'), (300, '5 minutes')) v(s, i);

-- SLA: first reply 1 h for priority 0, 2 h for priority 1; total resolution 1 d / 2 d.
SELECT (unnest(sla_compliance('{"first_reply": [3600, 7200], "total_resolution": [86400, 172800]}',
                              p, m, s, f))).*
FROM (VALUES
  (0, 'first_reply', '2024-01-01 10:00+00'::timestamptz, '2024-01-01 10:30+00'::timestamptz),
  (0, 'first_reply', '2024-01-01 10:00+00', '2024-01-01 12:00+00'),
  (1, 'first_reply', '2024-01-01 10:00+00', '2024-01-01 11:00+00'),
  (1, 'total_resolution', '2024-01-01 10:00+00', '2024-01-05 10:00+00')) v(p, m, s, f);

-- The ticket roll-up over a row of ticket columns (Zendesk one-touch FCR).
-- Ticket 1: reply after 30 min, solved after 2 h with 1 agent reply (one-touch), CSAT 5.
-- Ticket 2: reply after 1 h, solved after 1 d with 3 agent replies, CSAT 2. Ticket 3: open.
SELECT (r).tickets, (r).solved, (r).open, (r).fcr, (r).csat_mean, (r).first_reply_mean, (r).mttr, (r).fcr_profile
FROM (SELECT ticket_rollup(ROW(c, fr, fs, NULL, 0, ar, cr, pr, false, cs, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::cxm_ticket,
                           'zendesk') AS r
      FROM (VALUES
        ('2024-01-01 10:00+00'::timestamptz, '2024-01-01 10:30+00'::timestamptz,
         '2024-01-01 12:00+00'::timestamptz, 1, 0, 0, 5),
        ('2024-01-01 10:00+00', '2024-01-01 11:00+00', '2024-01-02 10:00+00', 3, 1, 1, 2),
        ('2024-01-01 10:00+00', NULL, NULL, 0, 0, 2, NULL)) v(c, fr, fs, ar, cr, pr, cs)) z;

-- States have a text form (hex of the library's encoding) and a binary one; both read back.
CREATE TABLE states AS SELECT nps_state(score, kind) AS st FROM answers;
SELECT (nps(st::text::nps_state)).nps AS via_text, (nps(st::bytea::nps_state)).nps AS via_bytea
FROM states;
SELECT state_bytes(st) AS nps_state_bytes FROM states;

-- As window functions: a running NPS, a moving count, running merges of stored states.
SELECT s, (nps(s, 'relational') OVER (ORDER BY s)).nps AS running_nps,
       (nps(nps_state(s, 'relational') OVER (ORDER BY s ROWS BETWEEN 2 PRECEDING AND CURRENT ROW))).n
         AS last_three
FROM generate_series(0, 10) s;
SELECT d, (duration(merge(st) OVER (ORDER BY d))).n AS running_n
FROM (SELECT d, duration_state(x::float8) AS st
      FROM generate_series(1, 100) x, generate_series(1, 3) d GROUP BY d) z;
