-- Run by the test suite through the sqlite3 shell; expected output in test_sqlite.expected.
-- Hand-computed figures for every family, states merged, comparisons.
CREATE TABLE answers(day INTEGER, channel TEXT, kind TEXT, score INTEGER);
INSERT INTO answers VALUES
  (1, 'email', 'transactional', 10), (1, 'email', 'transactional', 9),
  (1, 'chat',  'transactional', 9),  (2, 'chat',  'transactional', 8),
  (2, 'email', 'transactional', 7),  (2, 'chat',  'transactional', 6),
  (3, 'email', 'transactional', 5),  (3, 'chat',  'transactional', 3),
  (3, 'email', 'transactional', 10), (3, 'chat',  'transactional', 9),
  (3, 'chat',  'transactional', NULL);
-- Ten answers: 5 promoters, 2 passives, 3 detractors -> NPS 20.
SELECT 'all', nps(score, kind) ->> 'nps', nps(score, kind) ->> 'n',
       round(nps(score, kind) ->> 'ci_low', 2), round(nps(score, kind) ->> 'ci_high', 2) FROM answers;
-- email: 10 9 7 5 10 -> 3 P, 1 D of 5 = 40; chat: 9 8 6 3 9 -> 2 P, 2 D = 0.
SELECT channel, nps(score, kind) ->> 'nps' FROM answers GROUP BY channel ORDER BY channel;
-- A group without answers has no score: NULL, shown as "no data", never 0.
.nullvalue 'no data'
SELECT 'phone', nps(score, kind) FROM answers WHERE channel = 'phone';
.nullvalue ''
-- Partial states per day merge to the same 20.
CREATE TABLE daily AS SELECT day, nps_state(score, kind) AS st FROM answers GROUP BY day;
SELECT 'merged', result(merge(st)) ->> 'nps', result(merge(st)) ->> 'kind' FROM daily;
-- Day 1 (all promoters) against day 3.
SELECT 'compare', round(nps_compare(a.st, b.st) ->> 'diff', 2)
FROM daily a, daily b WHERE a.day = 1 AND b.day = 3;
-- Competitive: ours 10 9 3 -> 33.33; brand 1: 5 9 -> 0; brand 2: 10 -> 100.
SELECT 'gaps', g.value ->> 'brand', round(g.value ->> 'gap', 2)
FROM (SELECT nps_gaps(b, s) AS j FROM (SELECT 0 AS b, 10 AS s UNION ALL SELECT 0, 9
      UNION ALL SELECT 0, 3 UNION ALL SELECT 1, 5 UNION ALL SELECT 1, 9 UNION ALL SELECT 2, 10)),
     json_each(j) AS g;
-- CSAT 1-5: 5 4 3 5 -> mean 4.25, 75 % satisfied, median 4.5; on 0-10, >= 7: 10 7 6 0.
SELECT 'csat', csat(s) ->> 'mean', csat(s) ->> 'satisfied_pct', csat(s) ->> 'median', csat(s) ->> 'scale'
FROM (SELECT 5 AS s UNION ALL SELECT 4 UNION ALL SELECT 3 UNION ALL SELECT 5);
SELECT 'csat 0-10', csat(s, 0, 10, 7) ->> 'mean', csat(s, 0, 10, 7) ->> 'satisfied_pct'
FROM (SELECT 10 AS s UNION ALL SELECT 7 UNION ALL SELECT 6 UNION ALL SELECT 0);
-- CES 2.0: 7 6 5 2 1 -> mean 4.2, easy 60 %, index 0; CES 1.0 (effort): 1 2 5 -> easy 2.
SELECT 'ces', ces(s) ->> 'mean', ces(s) ->> 'easy_pct', ces(s) ->> 'ces_index'
FROM (SELECT 7 AS s UNION ALL SELECT 6 UNION ALL SELECT 5 UNION ALL SELECT 2 UNION ALL SELECT 1);
SELECT 'ces effort', ces(s, 'effort') ->> 'easy', ces(s, 'effort') ->> 'scale'
FROM (SELECT 1 AS s UNION ALL SELECT 2 UNION ALL SELECT 5);
-- A rate: 2 of 3 (the NULL is skipped), Wilson interval.
SELECT 'rate', rate(b) ->> 'successes', rate(b) ->> 'trials', round(rate(b) ->> 'ci_low', 4)
FROM (SELECT 1 AS b UNION ALL SELECT 0 UNION ALL SELECT 1 UNION ALL SELECT NULL);
-- Durations 60 .. 300 s: exact mean, min, max; median within 1/129 of 180.
SELECT 'duration', duration(s) ->> 'n', duration(s) ->> 'mean', duration(s) ->> 'max',
       abs((duration(s) ->> 'median') - 180) <= 180 / 129.0,
       abs(quantile(duration_state(s), 0.75) - 240) <= 240 / 129.0,
       share_within(duration_state(s), 200) ->> 'share'
FROM (SELECT 60.0 AS s UNION ALL SELECT 120 UNION ALL SELECT 180 UNION ALL SELECT 240
      UNION ALL SELECT 300);
-- The same in one aggregate: p75 within 1/129 of 240, 4 of 5 within 270 s.
SELECT 'duration one pass', abs(duration_quantile(s, 0.75) - 240) <= 240 / 129.0,
       duration_share_within(s, 270) ->> 'share'
FROM (SELECT 60.0 AS s UNION ALL SELECT 120 UNION ALL SELECT 180 UNION ALL SELECT 240
      UNION ALL SELECT 300);
-- SLA: first reply 1 h (priority 0) / 2 h (priority 1): 30 min and 2 h at priority 0, 1 h at 1.
SELECT 'sla', r.value ->> 'priority', r.value ->> 'metric', r.value ->> 'achieved',
       r.value ->> 'breached', round(r.value ->> 'compliance_pct', 2)
FROM (SELECT sla_compliance('{"first_reply": [3600, 7200]}', p, 'first_reply', s, f) AS j
      FROM (SELECT 0 AS p, 1704103200 AS s, 1704105000 AS f
            UNION ALL SELECT 0, 1704103200, 1704110400 UNION ALL SELECT 1, 1704103200, 1704106800)),
     json_each(j) AS r;
-- The ticket roll-up (Zendesk one-touch FCR): 3 tickets, 2 solved, 1 one-touch.
SELECT 'rollup', t ->> 'tickets', t ->> 'solved', t ->> 'fcr', t ->> 'csat_mean',
       t ->> 'first_reply_mean', t ->> 'mttr'
FROM (SELECT ticket_rollup(c, fr, fs, NULL, 0, ar, cr, pr, 0, cs, NULL, 'zendesk') AS t
      FROM (SELECT 1704103200 AS c, 1704105000 AS fr, 1704110400 AS fs, 1 AS ar, 0 AS cr, 0 AS pr,
                   5 AS cs
            UNION ALL SELECT 1704103200, 1704106800, 1704189600, 3, 1, 1, 2
            UNION ALL SELECT 1704103200, NULL, NULL, 0, 0, 2, NULL));
-- Churn: 10 customers at start, 2 lost, 1 new; 4 renewals due, 3 renewed.
CREATE TABLE customers AS
  SELECT value AS i, 1 AS at_start, value > 2 AS at_end, value <= 2 AS cancelled, 0 AS came_back,
         value <= 4 AS due, value BETWEEN 2 AND 4 AS renewed, 1000 AS mrr_start,
         CASE WHEN value > 2 THEN 1000 ELSE 0 END AS mrr_end
  FROM generate_series(1, 10)
  UNION ALL SELECT 11, 0, 1, 0, 0, 0, 0, 0, 500;
SELECT 'churn', c ->> 'churn_rate', c ->> 'customers_end', c ->> 'renewal_rate'
FROM (SELECT customer_churn(at_start, at_end, cancelled, came_back, due, renewed, mrr_start,
                            mrr_end) AS c FROM customers);
-- Comparisons: CSAT week A 5 5 4 4 against B 3 3 2 2 (Welch, diff 2, df 6).
CREATE TABLE weeks AS
  SELECT w, csat_state(s) AS csat, ces_state(s + 2) AS ces, rate_state(s >= 4) AS fcr,
         duration_state(s * 600.0) AS reply
  FROM (SELECT 'A' AS w, 5 AS s UNION ALL SELECT 'A', 5 UNION ALL SELECT 'A', 4
        UNION ALL SELECT 'A', 4 UNION ALL SELECT 'B', 3 UNION ALL SELECT 'B', 3
        UNION ALL SELECT 'B', 2 UNION ALL SELECT 'B', 2)
  GROUP BY w;
SELECT 'compare', csat_compare(a.csat, b.csat) ->> 'diff', csat_compare(a.csat, b.csat) ->> 'df',
       csat_compare_satisfied(a.csat, b.csat) ->> 'diff', ces_compare(a.ces, b.ces) ->> 'diff',
       ces_compare_easy(a.ces, b.ces) ->> 'diff', rate_compare(a.fcr, b.fcr) ->> 'diff',
       duration_compare(a.reply, b.reply) ->> 'significant'
FROM weeks a, weeks b WHERE a.w = 'A' AND b.w = 'B';
-- State sizes in bytes (cxm's encoding).
SELECT 'bytes', length(st) FROM daily WHERE day = 1;
-- Business hours: local time UTC+1 until 2024-01-08 00:00Z (Unix 1704672000), UTC+2 after;
-- open Mon-Thu 09:00-17:00, Fri 09:00-12:00 and 13:00-17:00; Wed 2024-01-03 a holiday.
-- First reply within 4 business hours (14400 s):
--   t1 Mon 15:00 local -> Tue 10:30: 2 h + 1.5 h = 3.5 h, met
--   t2 Tue 16:00 -> Thu 11:30, Wednesday closed: 1 h + 2.5 h = 3.5 h, met
--   t3 Fri 16:00 (+01) -> Mon 12:00Z = 14:00 (+02): 1 h + 5 h = 6 h, late by 7200 s
--   t4 Fri 11:00 -> Fri 15:30, lunch closed: 1 h + 2.5 h = 3.5 h, met
-- On the wall clock the same 4 h are missed by all four (t3 by 69 h - 4 h = 234000 s).
CREATE TABLE replies AS
  SELECT CAST(strftime('%s', c) AS INTEGER) AS created, CAST(strftime('%s', r) AS INTEGER) AS replied
  FROM (SELECT '2024-01-01 14:00' AS c, '2024-01-02 09:30' AS r
        UNION ALL SELECT '2024-01-02 15:00', '2024-01-04 10:30'
        UNION ALL SELECT '2024-01-05 15:00', '2024-01-08 12:00'
        UNION ALL SELECT '2024-01-05 10:00', '2024-01-05 14:30');
CREATE TABLE cal AS SELECT '{"utc_offset": "+01:00",
  "week": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"],
           "thu": ["09:00-17:00"], "fri": ["09:00-12:00", "13:00-17:00"]},
  "holidays": ["2024-01-03"], "offset_changes": [{"at": 1704672000, "utc_offset": "+02:00"}]}' AS c;
SELECT 'sla business', r.value ->> 'achieved', r.value ->> 'breached',
       r.value ->> 'compliance_pct', r.value ->> 'lateness_max'
FROM (SELECT sla_compliance('{"first_reply": [14400], "clock": "business"}', c, 0,
                            'first_reply', created, replied) AS j FROM replies, cal),
     json_each(j) AS r WHERE r.value ->> 'priority' = 0;
SELECT 'sla wall clock', r.value ->> 'achieved', r.value ->> 'breached', r.value ->> 'lateness_max'
FROM (SELECT sla_compliance('{"first_reply": [14400]}', 0, 'first_reply', created, replied) AS j
      FROM replies),
     json_each(j) AS r WHERE r.value ->> 'priority' = 0;
-- One target in business hours, the other on the wall clock (24 h: t1 and t4 met).
SELECT 'sla mixed', r.value ->> 'priority', r.value ->> 'achieved', r.value ->> 'breached'
FROM (SELECT sla_compliance('{"first_reply": [{"business": 14400}, 86400]}', c, p, 'first_reply',
                            created, replied) AS j
      FROM replies, cal, (SELECT 0 AS p UNION ALL SELECT 1)),
     json_each(j) AS r WHERE r.value ->> 'priority' IS NOT NULL;
-- The roll-up per channel, topic, priority and agent from one pass, against GROUP BY.
CREATE TABLE tickets AS
  SELECT value AS id, 1704103200 + (value % 200) * 3600 AS created,
         CASE WHEN value % 10 = 0 THEN NULL ELSE 60 + (value * 7919) % 36000 END AS reply_after,
         CASE WHEN value % 10 IN (3, 6, 9) THEN NULL ELSE 3600 + (value * 104729) % 400000 END
           AS solve_after,
         (value * 31) % 4 AS agent_replies, (value * 13) % 4 AS channel, (value * 17) % 8 AS topic,
         (value * 19) % 4 AS priority, (value * 23) % 20 AS agent,
         CASE WHEN (value * 37) % 3 = 0 THEN NULL ELSE 1 + (value * 41) % 5 END AS csat
  FROM generate_series(1, 5000);
CREATE TABLE state AS
  SELECT ticket_rollup_state(created, created + reply_after, created + solve_after, NULL, 0,
                             agent_replies, 0, priority, 0, csat, NULL, channel, topic, agent,
                             'zendesk', '{"channels": 4, "topics": 8, "agents": 20}') AS s
  FROM tickets;
SELECT 'per channel', c.channel,
       rollup_group(s, 'channel', c.channel) ->> 'tickets' = c.n,
       rollup_group(s, 'channel', c.channel) ->> 'solved' = c.solved,
       abs((rollup_group(s, 'channel', c.channel) ->> 'fcr') - c.fcr) < 1e-12,
       abs((rollup_group(s, 'channel', c.channel) ->> 'csat_mean') - c.csat) < 1e-9,
       abs((rollup_group(s, 'channel', c.channel) ->> 'first_reply_mean') - c.reply) < 1e-6,
       rollup_time(s, 'channel', c.channel, 'first_reply') ->> 'n' = c.replied,
       abs((rollup_csat(s, 'channel', c.channel) ->> 'mean') - c.csat) < 1e-9
FROM state,
     (SELECT channel, count(*) AS n, count(solve_after) AS solved,
             1.0 * sum(solve_after IS NOT NULL AND agent_replies < 2) / count(solve_after) AS fcr,
             avg(csat) AS csat, avg(reply_after) AS reply, count(reply_after) AS replied
      FROM tickets GROUP BY channel) c
ORDER BY c.channel;
SELECT 'per topic, priority, agent',
       min(rollup_group(s, 'topic', t.topic) ->> 'tickets' = t.n),
       (SELECT min(rollup_group(s, 'priority', priority) ->> 'tickets' = n)
        FROM (SELECT priority, count(*) AS n FROM tickets GROUP BY priority)),
       (SELECT min(rollup_agent(s, agent) ->> 'solved' = n)
        FROM (SELECT agent, count(solve_after) AS n FROM tickets GROUP BY agent))
FROM state, (SELECT topic, count(*) AS n FROM tickets GROUP BY topic) t;
-- Channel 0's SLA under the roll-up's own policy (first reply within 4 h on the wall clock)
-- equals sla_compliance over the same channel's replies.
SELECT 'rollup sla', rollup_sla(r, 'channel', 0, 'first_reply') ->> 'achieved' = d ->> '$[0].achieved',
       rollup_sla(r, 'channel', 0, 'first_reply') ->> 'breached' = d ->> '$[0].breached'
FROM (SELECT ticket_rollup_state(created, created + reply_after, created + solve_after, NULL, 0,
                                 agent_replies, 0, 0, 0, csat, NULL, channel, NULL, NULL,
                                 'zendesk',
                                 '{"channels": 4, "priorities": 1, "as_of": 1800000000,
                                   "sla": {"first_reply": [14400]}}') AS r
      FROM tickets WHERE reply_after IS NOT NULL AND reply_after < coalesce(solve_after, 1e9)),
     (SELECT sla_compliance('{"first_reply": [14400]}', 0, 'first_reply', created,
                            created + reply_after) AS d
      FROM tickets WHERE channel = 0 AND reply_after IS NOT NULL
                     AND reply_after < coalesce(solve_after, 1e9));
-- Comparisons of SLA, churn and renewal states: A meets 1 of 2 first replies (50 %), B 2 of 2
-- (100 %): diff -50 points; churn A loses 2 of 10 (0.2), B 1 of 10 (0.1): diff 0.1; renewals
-- A 3 of 4 (0.75), B 4 of 4 (1.0): diff -0.25.
CREATE TABLE periods AS
  SELECT 'A' AS w, sla_compliance_state('{"first_reply": [3600]}', 0, 'first_reply', 0, f) AS sla
  FROM (SELECT 1800 AS f UNION ALL SELECT 7200) GROUP BY 1
  UNION ALL SELECT 'B', sla_compliance_state('{"first_reply": [3600]}', 0, 'first_reply', 0, f)
  FROM (SELECT 1800 AS f UNION ALL SELECT 600);
CREATE TABLE churns AS
  SELECT w, customer_churn_state(1, value > l, value <= l, 0, value BETWEEN 3 AND 6,
                                 value BETWEEN 3 AND 2 + r, 0, 0) AS c
  FROM (SELECT 'A' AS w, 2 AS l, 3 AS r UNION ALL SELECT 'B', 1, 4), generate_series(1, 10)
  GROUP BY w;
SELECT 'compare sla churn', sla_compare(a.sla, b.sla, 'first_reply') ->> 'diff',
       round(churn_compare(x.c, y.c) ->> 'diff', 4), round(renewal_compare(x.c, y.c) ->> 'diff', 4),
       sla_compare(a.sla, b.sla, 'first_reply', 0) ->> 'n_a'
FROM periods a, periods b, churns x, churns y
WHERE a.w = 'A' AND b.w = 'B' AND x.w = 'A' AND y.w = 'B';
-- The ticket's whole story per channel (transactional NPS, transfers, handle time, closed
-- without a resolution) and Kaplan-Meier with open tickets censored, against plain SQL.
-- 5,000 tickets read at as_of = 1709251200: about 60 % solved, 10 % unresolved, 30 % open.
-- Resolution times and open ages are whole hours from 1 to 60: no two share a sketch bucket
-- (buckets are under 1/64 wide), so the curve over buckets is the exact one.
CREATE TABLE story AS
  SELECT i, h % 4 AS channel, outcome, hours, agent_replies, self_service, nps,
         CASE WHEN outcome = 'open' THEN 1709251200 - hours * 3600
              ELSE 1704067200 + (h / 7) % 1000 * 3600 END AS created,
         CASE WHEN NOT self_service AND (h / 11) % 5 = 0 THEN 1 + (h / 55) % 2 ELSE 0 END
           AS transfers,
         -- Self-service solves carry no handle time (NULL counts as 0 s when closed).
         CASE WHEN self_service THEN NULL ELSE 30.25 + (h / 13) % 1800 END AS handle_time
  FROM (SELECT i, h, 1 + (h / 17) % 60 AS hours, (h / 19) % 3 AS agent_replies,
               CASE WHEN (h / 23) % 10 < 6 THEN 'solved' WHEN (h / 23) % 10 = 6 THEN 'unresolved'
                    ELSE 'open' END AS outcome,
               (h / 23) % 10 < 6 AND (h / 29) % 10 = 0 AS self_service,
               CASE WHEN (h / 31) % 3 = 0 THEN NULL ELSE (h / 37) % 11 END AS nps
        FROM (SELECT value AS i, (value * 2654435761) % 4294967296 AS h
              FROM generate_series(1, 5000)));
CREATE TABLE story_state AS
  SELECT ticket_rollup_state(created, created + 600,
                             CASE WHEN outcome = 'solved' THEN created + hours * 3600 END, NULL, 0,
                             agent_replies, 0, i % 4, self_service, NULL, NULL, channel, NULL,
                             NULL, nps, transfers, handle_time, outcome = 'unresolved',
                             'zendesk', '{"channels": 4, "open": 2000}') AS s
  FROM story;
SELECT 'story per channel', c.channel,
       g ->> 'tickets' = c.n AND g ->> 'solved' = c.solved AND g ->> 'open' = c.open
         AND g ->> 'unresolved' = c.unresolved AND g ->> 'transferred' = c.transferred,
       abs((g ->> 'unresolved_share') - 1.0 * c.unresolved / (c.n - c.open)) < 1e-12,
       abs((g ->> 'transfer_rate') - 1.0 * c.transferred / c.n) < 1e-12,
       abs((g ->> 'fcr') - c.fcr) < 1e-12, abs((g ->> 'nps') - c.nps) < 1e-9,
       abs((g ->> 'aht') - c.aht) < 1e-6, abs((g ->> 'mttr') - c.mttr) < 1e-6
FROM (SELECT c AS ch, rollup_group(s, 'channel', c) AS g
      FROM story_state, (SELECT value AS c FROM generate_series(0, 3))),
     (SELECT channel, count(*) AS n, sum(outcome = 'solved') AS solved,
             sum(outcome = 'open') AS open, sum(outcome = 'unresolved') AS unresolved,
             sum(transfers > 0) AS transferred,
             1.0 * sum(outcome = 'solved' AND NOT self_service AND agent_replies < 2
                       AND transfers = 0) / sum(outcome = 'solved' AND NOT self_service) AS fcr,
             100.0 * (sum(nps >= 9) - sum(nps <= 6)) / count(nps) AS nps,
             avg(coalesce(handle_time, 0)) FILTER (WHERE outcome <> 'open') AS aht,
             avg(hours * 3600.0) FILTER (WHERE outcome = 'solved') AS mttr
      FROM story GROUP BY channel) c
WHERE c.channel = ch ORDER BY c.channel;
-- NPS per channel: the NPS aggregate's own result over the channel's answers, transactional.
SELECT 'story nps', min(rollup_nps(s, 'channel', channel) = n),
       min(rollup_nps(s, 'channel', channel) ->> 'kind' = 'transactional')
FROM story_state, (SELECT channel, nps(nps, 'transactional') AS n FROM story GROUP BY channel);
-- Wilson's interval of the unresolved share and the transfer rate, written out in SQL.
SELECT 'story wilson', which,
       min(r ->> 'successes' = k AND r ->> 'trials' = n
           AND abs((r ->> 'ci_low') - (centre - half)) < 1e-9
           AND abs((r ->> 'ci_high') - (centre + half)) < 1e-9)
FROM (SELECT which, k, n, rollup_rate(s, 'channel', channel, which) AS r,
             (1.0 * k / n + z * z / (2 * n)) / (1 + z * z / n) AS centre,
             z * sqrt(1.0 * k / n * (1 - 1.0 * k / n) / n + z * z / (4.0 * n * n)) / (1 + z * z / n)
               AS half
      FROM story_state, (SELECT 1.959963984540054 AS z),
           (SELECT channel, 'unresolved' AS which, sum(outcome = 'unresolved') AS k,
                   sum(outcome <> 'open') AS n FROM story GROUP BY channel
            UNION ALL
            SELECT channel, 'transfer', sum(transfers > 0), count(*) FROM story GROUP BY channel))
GROUP BY which ORDER BY which;
-- Kaplan-Meier at as_of: S(t) = product over resolution times u <= t of (1 - resolved at u /
-- at risk at u), at risk = resolved at or after u plus open for u or longer.
CREATE TABLE km AS
  WITH obs AS (SELECT channel, hours, outcome = 'solved' AS resolved FROM story
               WHERE outcome <> 'unresolved'),
  steps AS (SELECT channel, hours, sum(resolved) AS d,
                   (SELECT count(*) FROM obs o2 WHERE o2.channel = o.channel AND o2.hours >= o.hours)
                     AS at_risk
            FROM obs o GROUP BY channel, hours)
  SELECT channel, hours,
         exp(sum(ln(1 - 1.0 * d / at_risk)) OVER (PARTITION BY channel ORDER BY hours)) AS s
  FROM steps;
SELECT 'story km', ch,
       k ->> 'n' = (SELECT count(*) FROM story WHERE channel = ch AND outcome <> 'unresolved'),
       k ->> 'open' = (SELECT count(*) FROM story WHERE channel = ch AND outcome = 'open'),
       abs((k ->> '$.survival[0]') - (SELECT s FROM km WHERE channel = ch AND hours <= 4
                                      ORDER BY hours DESC LIMIT 1)) < 1e-12,
       abs((k ->> '$.survival[1]') - (SELECT s FROM km WHERE channel = ch AND hours <= 24
                                      ORDER BY hours DESC LIMIT 1)) < 1e-12,
       abs((k ->> 'median') - m) <= m / 129,
       abs((k ->> 'closed_mean') - (SELECT avg(hours * 3600.0) FROM story
                                   WHERE channel = ch AND outcome = 'solved')) < 1e-6
FROM (SELECT value AS ch, rollup_survival(s, 'channel', value, 1709251200, '[16200, 88200]') AS k,
             (SELECT min(hours) * 3600.0 FROM km WHERE channel = value AND s <= 0.5) AS m
      FROM story_state, generate_series(0, 3))
ORDER BY ch;
-- States merged from three parts read as the one pass does.
SELECT 'story merged', min(rollup_group(m, 'channel', value) = rollup_group(s, 'channel', value)
                           AND rollup_survival(m, 'channel', value, 1709251200, '[16200]')
                             = rollup_survival(s, 'channel', value, 1709251200, '[16200]'))
FROM (SELECT merge(p) AS m FROM
        (SELECT ticket_rollup_state(created, created + 600,
                                    CASE WHEN outcome = 'solved' THEN created + hours * 3600 END,
                                    NULL, 0, agent_replies, 0, i % 4, self_service, NULL, NULL,
                                    channel, NULL, NULL, nps, transfers, handle_time,
                                    outcome = 'unresolved', 'zendesk',
                                    '{"channels": 4, "open": 2000}') AS p
         FROM story GROUP BY i % 3)),
     story_state, generate_series(0, 3);
-- Agents as full groups and the cells of crosses (channel x priority, agent x channel) from
-- one pass, against GROUP BY agent and GROUP BY channel, priority: counts, one-touch FCR
-- (fewer than 2 agent replies, never transferred), CSAT, transactional NPS, AHT over the
-- closed tickets, MTTR, and the first-reply SLA (1, 2, 4, 8 h by priority; the earlier of
-- reply and solve; with neither by as_of the target is still running: active).
-- The tickets above, with channel and priority drawn anew so that every cell has tickets.
CREATE TABLE team AS
  SELECT id, created, reply_after, solve_after, agent_replies, agent, csat,
         (id / 20 + id * 13) % 4 AS channel, (id / 3 + id * 19) % 4 AS priority,
         CASE WHEN id % 3 = 0 THEN NULL ELSE (id * 43) % 11 END AS nps,
         CASE WHEN id % 7 = 0 THEN 1 ELSE 0 END AS transfers,
         30.5 + (id * 47) % 1800 AS handle_time,
         min(coalesce(reply_after, 1e18), coalesce(solve_after, 1e18)) AS touch,
         CASE (id / 3 + id * 19) % 4 WHEN 0 THEN 3600 WHEN 1 THEN 7200 WHEN 2 THEN 14400 ELSE 28800 END AS target
  FROM tickets;
CREATE TABLE team_state AS
  SELECT ticket_rollup_state(created, created + reply_after, created + solve_after, NULL, 0,
                             agent_replies, 0, priority, 0, csat, NULL, channel, NULL, agent,
                             nps, transfers, handle_time, 0, 'zendesk',
                             '{"channels": 4, "agents": 20, "open": 2000,
                               "crosses": [["channel", "priority"], ["agent", "channel"]],
                               "sla": {"first_reply": [3600, 7200, 14400, 28800]},
                               "as_of": 1709251200}') AS s
  FROM team;
-- The sums each checked group is compared with, in plain SQL: per agent, per channel and
-- priority, per agent and channel.
CREATE VIEW team_sums AS
  SELECT kind, k, k2, count(*) AS n, count(solve_after) AS solved,
         sum(solve_after IS NOT NULL AND agent_replies < 2 AND transfers = 0) AS fcr_k,
         sum(csat) AS csat_sum, count(csat) AS csat_n,
         sum(nps >= 9) - sum(nps <= 6) AS nps_net, count(nps) AS nps_n,
         sum(handle_time) FILTER (WHERE solve_after IS NOT NULL) AS ht_sum,
         sum(solve_after) AS solve_sum, sum(touch <= target) AS sla_met,
         sum(touch > target AND touch < 1e18) AS sla_late, sum(touch = 1e18) AS sla_running
  FROM (SELECT 'agents' AS kind, agent AS k, NULL AS k2, * FROM team
        UNION ALL SELECT 'channel x priority', channel, priority, * FROM team
        UNION ALL SELECT 'agent x channel', agent, channel, * FROM team)
  GROUP BY kind, k, k2;
-- Every agent against GROUP BY agent; every cell of channel x priority, named by its two
-- dimensions and their ids (in either order: the same cell), against GROUP BY channel,
-- priority.
SELECT 'team ' || kind, count(*),
       min(g ->> 'tickets' = n AND g ->> 'solved' = solved),
       min(abs((g ->> 'fcr') - 1.0 * fcr_k / solved) < 1e-12),
       min(abs((g ->> 'csat_mean') - 1.0 * csat_sum / csat_n) < 1e-9),
       min(abs((g ->> 'nps') - 100.0 * nps_net / nps_n) < 1e-9),
       min(abs((g ->> 'aht') - ht_sum / solved) < 1e-6),
       min(abs((g ->> 'mttr') - 1.0 * solve_sum / solved) < 1e-6),
       min(sla ->> 'achieved' = sla_met AND sla ->> 'breached' = sla_late
           AND sla ->> 'active' = sla_running),
       min(sla_met > 0 AND sla_late > 0), min(g = swapped)
FROM (SELECT CASE WHEN kind = 'agents' THEN rollup_group(s, 'agent', k)
                  ELSE rollup_group(s, 'channel', k, 'priority', k2) END AS g,
             CASE WHEN kind = 'agents' THEN rollup_group(s, 'agent', k)
                  ELSE rollup_group(s, 'priority', k2, 'channel', k) END AS swapped,
             CASE WHEN kind = 'agents' THEN rollup_sla(s, 'agent', k, 'first_reply')
                  ELSE rollup_sla(s, 'channel', k, 'priority', k2, 'first_reply') END AS sla, p.*
      FROM team_state, team_sums p WHERE kind <> 'agent x channel')
GROUP BY kind ORDER BY kind;
-- The other cross (agent x channel) through the other readers: CSAT, NPS, a rate, AHT.
SELECT 'team agent x channel', count(*),
       min(rollup_csat(s, 'agent', k, 'channel', k2) ->> 'n' = csat_n),
       min(rollup_nps(s, 'agent', k, 'channel', k2, 0.9) ->> 'n' = nps_n),
       min(rollup_rate(s, 'agent', k, 'channel', k2, 'fcr') ->> 'successes' = fcr_k),
       min(abs((rollup_time(s, 'agent', k, 'channel', k2, 'handle_time') ->> 'mean')
               - ht_sum / solved) < 1e-6),
       min(rollup_quantile(s, 'agent', k, 'channel', k2, 'full_resolution', 1.0) > 0),
       min(rollup_survival(s, 'agent', k, 'channel', k2, 1709251200) ->> 'open' = n - solved)
FROM team_state, team_sums WHERE kind = 'agent x channel';
