-- The ticket's whole story per group: transactional NPS, transfers, handle time (AHT),
-- closed without a resolution, and resolution time with open tickets censored
-- (Kaplan-Meier), each checked against plain SQL over the same rows.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cxm;
SET extra_float_digits = 0;

-- 20,000 tickets read at as_of = 2024-03-01: 60 % solved, 10 % closed without a resolution,
-- 30 % open. Resolution times and open ages are whole hours from 1 to 60, so that no two
-- of them share a sketch bucket (buckets are under 1/64 wide): the Kaplan-Meier curve
-- over the buckets is then the exact one, and plain SQL can compute it.
CREATE TABLE story AS
  SELECT i, h1 % 4 AS channel, outcome, hours,
         created, created + interval '10 minutes' AS first_reply,
         CASE WHEN outcome = 'solved' THEN created + hours * interval '1 hour' END AS first_solved,
         h5 % 3 AS agent_replies, self_service,
         CASE WHEN NOT self_service AND h7 % 5 = 0 THEN 1 + (h7 / 5) % 2 ELSE 0 END AS transfers,
         CASE WHEN h8 % 3 = 0 THEN NULL ELSE h8 % 11 END AS nps,
         -- Self-service solves carry no handle time (NULL counts as 0 s when closed).
         CASE WHEN self_service THEN NULL ELSE 30.25 + h9 % 1800 END AS handle_time,
         outcome = 'unresolved' AS unresolved
  FROM (SELECT i, h1, h5, h7, h8, h9, outcome, hours, outcome = 'solved' AND h6 % 10 = 0 AS self_service,
               CASE WHEN outcome = 'open' THEN timestamptz '2024-03-01 00:00Z' - hours * interval '1 hour'
                    ELSE timestamptz '2024-01-01 00:00Z' + (h4 % 1000) * interval '1 hour' END AS created
        FROM (SELECT i, h1, h4, h5, h6, h7, h8, h9, 1 + h3 % 60 AS hours,
                     CASE WHEN h2 % 10 < 6 THEN 'solved' WHEN h2 % 10 = 6 THEN 'unresolved'
                          ELSE 'open' END AS outcome
              FROM (SELECT i, hashint4(i) & 2147483647 AS h1, hashint4(i + 1) & 2147483647 AS h2,
                           hashint4(i + 2) & 2147483647 AS h3, hashint4(i + 3) & 2147483647 AS h4,
                           hashint4(i + 4) & 2147483647 AS h5, hashint4(i + 5) & 2147483647 AS h6,
                           hashint4(i + 6) & 2147483647 AS h7, hashint4(i + 7) & 2147483647 AS h8,
                           hashint4(i + 8) & 2147483647 AS h9
                    FROM generate_series(1, 20000) i) h) o) c;

-- "open": 8000 is room for every ticket open at once (6,000 here), for rollup_survival.
CREATE TABLE story_state AS
  SELECT ticket_rollup_state(ROW(created, first_reply, first_solved, NULL, 0, agent_replies, 0,
                                 i % 4, self_service, NULL, NULL, channel, NULL, NULL,
                                 nps, transfers, handle_time, unresolved)::cxm_ticket,
                             'zendesk', '{"channels": 4, "open": 8000}') AS s
  FROM story;

-- Counts, shares, FCR (a transferred ticket is never first-contact), NPS and AHT per
-- channel against GROUP BY.
WITH cxm AS (
  SELECT c AS channel, (rollup_group(s, 'channel', c)).*
  FROM story_state, generate_series(0, 3) c),
plain AS (
  SELECT channel, count(*) AS tickets, count(first_solved) AS solved,
         count(*) FILTER (WHERE outcome = 'open') AS open,
         count(*) FILTER (WHERE unresolved) AS unresolved,
         count(*) FILTER (WHERE unresolved)::float8 / count(*) FILTER (WHERE outcome <> 'open')
           AS unresolved_share,
         count(*) FILTER (WHERE transfers > 0) AS transferred,
         count(*) FILTER (WHERE transfers > 0)::float8 / count(*) AS transfer_rate,
         count(*) FILTER (WHERE outcome = 'solved' AND NOT self_service AND agent_replies < 2
                            AND transfers = 0)::float8
           / count(*) FILTER (WHERE outcome = 'solved' AND NOT self_service) AS fcr,
         100.0 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6))
           / count(nps) AS nps,
         avg(coalesce(handle_time, 0)) FILTER (WHERE outcome <> 'open') AS aht,
         percentile_disc(0.5) WITHIN GROUP (ORDER BY coalesce(handle_time, 0))
           FILTER (WHERE outcome <> 'open') AS handle_time_median,
         avg(extract(epoch FROM first_solved - created))::float8 AS mttr
  FROM story GROUP BY channel)
SELECT channel, c.tickets = p.tickets AND c.solved = p.solved AND c.open = p.open
         AND c.unresolved = p.unresolved AND c.transferred = p.transferred AS counts,
       abs(c.unresolved_share - p.unresolved_share) < 1e-12 AS unresolved_share,
       abs(c.transfer_rate - p.transfer_rate) < 1e-12 AS transfer_rate,
       abs(c.fcr - p.fcr) < 1e-12 AS fcr,
       abs(c.nps - p.nps) < 1e-9 AS nps,
       abs(c.aht - p.aht) < 1e-6 AS aht,
       abs(c.handle_time_median - p.handle_time_median) <= p.handle_time_median / 129
         AS handle_median_within_1_129,
       abs(c.mttr - p.mttr) < 1e-6 AS mttr_of_solved_only
FROM cxm c JOIN plain p USING (channel)
ORDER BY channel;

-- The intervals. NPS: the same row as the NPS aggregate over the channel's answers, kind
-- transactional. Unresolved share and transfer rate: Wilson's interval written out in SQL.
SELECT bool_and(rollup_nps(s, 'channel', channel) = n) AS nps_row,
       bool_and((rollup_nps(s, 'channel', channel)).kind = 'transactional') AS transactional
FROM story_state,
     (SELECT channel, nps(nps, 'transactional') AS n FROM story GROUP BY channel) p;
WITH counts AS (
  SELECT channel, 'unresolved' AS which, count(*) FILTER (WHERE unresolved) AS k,
         count(*) FILTER (WHERE outcome <> 'open') AS n FROM story GROUP BY channel
  UNION ALL
  SELECT channel, 'transfer', count(*) FILTER (WHERE transfers > 0), count(*)
  FROM story GROUP BY channel),
wilson AS (
  SELECT channel, which, k, n, z,
         (k::float8 / n + z * z / (2 * n)) / (1 + z * z / n) AS centre,
         z * sqrt(k::float8 / n * (1 - k::float8 / n) / n + z * z / (4.0 * n * n)) / (1 + z * z / n)
           AS half
  FROM counts, (SELECT 1.959963984540054::float8 AS z) q)
SELECT which AS rate, bool_and((r).successes = k AND (r).trials = n
                      AND abs((r).ci_low - (centre - half)) < 1e-9
                      AND abs((r).ci_high - (centre + half)) < 1e-9) AS wilson
FROM wilson, story_state, LATERAL rollup_rate(s, 'channel', channel, which) r
GROUP BY which ORDER BY which;

-- AHT through the time reader: 'handle_time' counts the closed tickets only.
SELECT bool_and((rollup_time(s, 'channel', channel, 'handle_time')).n = n
                AND abs((rollup_time(s, 'channel', channel, 'handle_time')).mean - m) < 1e-6)
         AS handle_time_reader
FROM story_state,
     (SELECT channel, count(*) AS n, avg(coalesce(handle_time, 0)) AS m
      FROM story WHERE outcome <> 'open' GROUP BY channel) p;

-- Kaplan-Meier at as_of with the open tickets censored, against the curve in plain SQL:
-- S(t) = product over resolution times u <= t of (1 - resolved at u / at risk at u), where
-- at risk are the tickets resolved at or after u and those open for u or longer. Unresolved
-- closes are in neither set.
CREATE TABLE km AS
  WITH obs AS (SELECT channel, hours, outcome = 'solved' AS resolved FROM story
               WHERE outcome <> 'unresolved'),
  steps AS (
    SELECT channel, hours, count(*) FILTER (WHERE resolved) AS d,
           (SELECT count(*) FROM obs o2 WHERE o2.channel = o.channel AND o2.hours >= o.hours)
             AS at_risk
    FROM obs o GROUP BY channel, hours)
  SELECT channel, hours,
         exp(sum(ln(1 - d::float8 / at_risk)) OVER (PARTITION BY channel ORDER BY hours)) AS s
  FROM steps;
SELECT c AS channel,
       (k).n = (SELECT count(*) FROM story WHERE channel = c AND outcome <> 'unresolved') AS n,
       (k).open = (SELECT count(*) FROM story WHERE channel = c AND outcome = 'open') AS open,
       abs((k).survival[1] - (SELECT s FROM km WHERE channel = c AND hours <= 4 ORDER BY hours DESC LIMIT 1)) < 1e-12
         AS s_4h30,
       abs((k).survival[2] - (SELECT s FROM km WHERE channel = c AND hours <= 24 ORDER BY hours DESC LIMIT 1)) < 1e-12
         AS s_24h30,
       abs((k).median - m.median) <= m.median / 129 AS km_median_within_1_129,
       (k).median_ci_low <= (k).median AND (k).median <= (k).median_ci_high AS interval_holds_it,
       abs((k).closed_mean - (SELECT avg(hours * 3600.0) FROM story WHERE channel = c
                              AND outcome = 'solved')) < 1e-6 AS closed_mean,
       (k).median > (k).closed_median AS km_above_closed_only
FROM story_state, generate_series(0, 3) c,
     LATERAL rollup_survival(s, 'channel', c, '2024-03-01 00:00Z', '{16200, 88200}') k,
     LATERAL (SELECT min(hours) * 3600.0 AS median FROM km WHERE channel = c AND s <= 0.5) m
ORDER BY c;

-- Merged states give the same figures as one pass (the open-ticket indexes merge).
SELECT bool_and(rollup_group(m, 'channel', c) = rollup_group(s, 'channel', c)
                AND rollup_survival(m, 'channel', c, '2024-03-01 00:00Z', '{16200}')
                  = rollup_survival(s, 'channel', c, '2024-03-01 00:00Z', '{16200}'))
         AS merged_equals_one_pass
FROM (SELECT merge(p) AS m FROM
        (SELECT ticket_rollup_state(ROW(created, first_reply, first_solved, NULL, 0, agent_replies,
                                        0, i % 4, self_service, NULL, NULL, channel, NULL, NULL,
                                        nps, transfers, handle_time, unresolved)::cxm_ticket,
                                    'zendesk', '{"channels": 4, "open": 8000}') AS p
         FROM story GROUP BY i % 3) parts) z, story_state, generate_series(0, 3) c;

-- Refusals: an open-ticket index too small, no index at all, an instant before the newest
-- open ticket, an NPS answer off the scale, a ticket solved and unresolved at once, a
-- transferred self-service ticket.
SELECT ticket_rollup(ROW(created, first_reply, first_solved, NULL, 0, agent_replies, 0, i % 4,
                         self_service, NULL, NULL, channel, NULL, NULL, nps, transfers,
                         handle_time, unresolved)::cxm_ticket, 'zendesk', '{"channels": 4, "open": 10}')
FROM story;
\echo :LAST_ERROR_SQLSTATE
SELECT rollup_survival(ticket_rollup_state(ROW('2024-01-01', NULL, '2024-01-02', NULL, 0, 1, 0,
                       0, false, NULL, NULL, NULL, NULL, NULL, 9, 0, 60, false)::cxm_ticket,
                       'zendesk'), 'overall', 0, '2024-03-01');
\echo :LAST_ERROR_SQLSTATE
SELECT rollup_survival(s, 'overall', 0, '2024-02-29 12:00Z') FROM story_state;
\echo :LAST_ERROR_SQLSTATE
SELECT ticket_rollup(ROW('2024-01-01', NULL, NULL, NULL, 0, 0, 0, 0, false, NULL, NULL,
                         NULL, NULL, NULL, 11, 0, NULL, false)::cxm_ticket, 'zendesk');
\echo :LAST_ERROR_SQLSTATE
SELECT ticket_rollup(ROW('2024-01-01', NULL, '2024-01-02', NULL, 0, 0, 0, 0, false, NULL,
                         NULL, NULL, NULL, NULL, NULL, 0, NULL, true)::cxm_ticket, 'zendesk');
\echo :LAST_ERROR_SQLSTATE
SELECT ticket_rollup(ROW('2024-01-01', NULL, '2024-01-02', NULL, 0, 0, 0, 0, true, NULL,
                         NULL, NULL, NULL, NULL, NULL, 1, NULL, false)::cxm_ticket, 'zendesk');
\echo :LAST_ERROR_SQLSTATE
SELECT rollup_rate(s, 'overall', 0, 'speed') FROM story_state;
\echo :LAST_ERROR_SQLSTATE
