-- The roll-up per channel, topic, priority and agent from one aggregate pass,
-- against GROUP BY over plain SQL on the same tickets.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cxm;
SET extra_float_digits = 0;
SET timezone = 'UTC';

CREATE TABLE tickets AS
  SELECT i AS id,
         created,
         CASE WHEN h1 % 10 = 0 THEN NULL
              ELSE created + make_interval(secs => 60 + h2 % 36000) END AS first_reply,
         CASE WHEN h3 % 10 < 3 THEN NULL
              ELSE created + make_interval(secs => 3600 + h4 % 400000) END AS first_solved,
         h1 % 4 AS agent_replies, h2 % 4 AS channel, h3 % 8 AS topic, h4 % 4 AS priority,
         h5 % 20 AS agent, h5 % 17 = 0 AS self_service,
         CASE WHEN h6 % 3 = 0 THEN NULL ELSE 1 + h6 % 5 END AS csat
  FROM (SELECT i, timestamptz '2024-01-01' + make_interval(hours => i % 200) AS created,
               hashint4(i) & 2147483647 AS h1, hashint4(i + 1) & 2147483647 AS h2,
               hashint4(i + 2) & 2147483647 AS h3, hashint4(i + 3) & 2147483647 AS h4,
               hashint4(i + 4) & 2147483647 AS h5, hashint4(i + 5) & 2147483647 AS h6
        FROM generate_series(1, 20000) i) g;
-- Self-service needs a solve; a reply after the solve is fine for the library.
UPDATE tickets SET self_service = false WHERE first_solved IS NULL;

CREATE TABLE t_rows AS
  SELECT ROW(created, first_reply, first_solved, NULL, 0, agent_replies, 0, priority,
             self_service, csat, NULL, channel, topic, agent, NULL, NULL, NULL, NULL)::cxm_ticket AS t, *
  FROM tickets;

-- One pass over all tickets.
CREATE TABLE state AS
  SELECT ticket_rollup_state(t, 'zendesk', '{"channels": 4, "topics": 8, "agents": 20}') AS s
  FROM t_rows;

-- Per channel from the state equals GROUP BY channel over plain SQL (Zendesk one-touch FCR:
-- solved by an agent with fewer than 2 agent replies, over solved by an agent).
WITH cxm AS (
  SELECT c AS channel, (rollup_group(s, 'channel', c)).*,
         rollup_time(s, 'channel', c, 'first_reply') AS fr
  FROM state, generate_series(0, 3) c),
plain AS (
  SELECT channel, count(*) AS tickets, count(first_solved) AS solved,
         count(*) FILTER (WHERE first_solved IS NOT NULL AND NOT self_service
                            AND agent_replies < 2)::float8
           / count(*) FILTER (WHERE first_solved IS NOT NULL AND NOT self_service) AS fcr,
         count(*) FILTER (WHERE self_service)::float8 / count(first_solved) AS deflection,
         avg(csat)::float8 AS csat_mean,
         avg(extract(epoch FROM first_reply - created))::float8 AS first_reply_mean,
         percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_reply - created))
           AS first_reply_median,
         avg(extract(epoch FROM first_solved - created))::float8 AS mttr
  FROM tickets GROUP BY channel)
SELECT channel, c.tickets = p.tickets AS tickets, c.solved = p.solved AS solved,
       abs(c.fcr - p.fcr) < 1e-12 AS fcr, abs(c.deflection - p.deflection) < 1e-12 AS deflection,
       abs(c.csat_mean - p.csat_mean) < 1e-9 AS csat,
       abs(c.first_reply_mean - p.first_reply_mean) < 1e-6 AS first_reply_mean,
       (c.fr).n = count_fr AS first_reply_n,
       abs(c.first_reply_median - p.first_reply_median) <= p.first_reply_median / 129
         AS median_within_1_129,
       abs(c.mttr - p.mttr) < 1e-6 AS mttr
FROM cxm c JOIN plain p USING (channel)
  JOIN (SELECT channel, count(first_reply) AS count_fr FROM tickets GROUP BY channel) n
  USING (channel)
ORDER BY channel;

-- Topics, priorities and agents add up the same way.
SELECT bool_and((rollup_group(s, 'topic', k)).tickets = n) AS topics
FROM state, (SELECT topic AS k, count(*) AS n FROM tickets GROUP BY topic) g;
SELECT bool_and((rollup_group(s, 'priority', k)).solved = n) AS priorities
FROM state, (SELECT priority AS k, count(first_solved) AS n FROM tickets GROUP BY priority) g;
SELECT bool_and((rollup_agent(s, k)).tickets = n AND (rollup_agent(s, k)).solved = m) AS agents
FROM state, (SELECT agent AS k, count(*) AS n, count(first_solved) AS m
             FROM tickets GROUP BY agent) g;
SELECT bool_and(abs((rollup_csat(s, 'topic', k)).mean - m) < 1e-9) AS topic_csat
FROM state, (SELECT topic AS k, avg(csat)::float8 AS m FROM tickets GROUP BY topic) g;
SELECT (rollup_group(s, 'overall', 0)).tickets AS overall,
       (rollup_group(s, 'overall', 0)) = ticket_rollup(s) AS overall_is_ticket_rollup
FROM state;

-- Daily states merged into one equal the single pass, group by group.
SELECT bool_and(rollup_group(m, 'channel', c) = rollup_group(s, 'channel', c)
                AND rollup_quantile(m, 'channel', c, 'full_resolution', 0.9)
                    = rollup_quantile(s, 'channel', c, 'full_resolution', 0.9)) AS merged_equal
FROM (SELECT merge(d) AS m
      FROM (SELECT ticket_rollup_state(t, 'zendesk', '{"channels": 4, "topics": 8, "agents": 20}') AS d
            FROM t_rows GROUP BY created::date) days) x, state, generate_series(0, 3) c;

-- SLA per channel from the roll-up's policy (first reply within 4 business hours on a
-- 09:00-17:00 weekday calendar), against sla_compliance grouped by channel. The roll-up
-- counts a first reply as the earlier of reply and solve and gives self-service solves no
-- SLA; tickets without a reply or a solve are left out (they would be running targets).
WITH opts AS (SELECT '{"channels": 4, "topics": 8, "agents": 20, "as_of": 1735689600,
     "sla": {"first_reply": [14400, 14400, 14400, 14400], "clock": "business"},
     "calendar": {"week": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"],
       "wed": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}}}'::jsonb AS o),
r AS (SELECT ticket_rollup_state(t, 'zendesk', o) AS s FROM t_rows, opts
      WHERE first_reply IS NOT NULL OR first_solved IS NOT NULL),
direct AS (
  SELECT channel, sla_compliance(o -> 'sla', o -> 'calendar', priority, 'first_reply', created,
                                 least(first_reply, first_solved)) AS a
  FROM tickets, opts
  WHERE (first_reply IS NOT NULL OR first_solved IS NOT NULL) AND NOT self_service
  GROUP BY channel)
SELECT channel, (x).achieved = (d).achieved AND (x).breached = (d).breached
                AND (x).lateness_max = (d).lateness_max AS same_outcomes,
       (x).achieved > 0 AND (x).breached > 0 AS both_kinds
FROM (SELECT c AS channel, rollup_sla(s, 'channel', c, 'first_reply') AS x FROM r,
             generate_series(0, 3) c) z
  JOIN (SELECT channel, u AS d FROM direct, unnest(a) u WHERE u.priority IS NULL) y USING (channel)
ORDER BY channel;

-- Bad group arguments are clear errors.
SELECT rollup_group(s, 'team', 0) FROM state;
SELECT rollup_group(s, 'channel', 4) FROM state;
SELECT rollup_time(s, 'channel', 0, 'wait') FROM state;
SELECT rollup_sla(s, 'channel', 0, 'first_reply') FROM state;
SELECT ticket_rollup(t, 'zendesk', '{"channels": 2}') FROM t_rows;
SELECT ticket_rollup(t, 'zendesk', '{"colours": 2}') FROM t_rows;
SELECT ticket_rollup(t, 'zendesk', o)
FROM t_rows, (VALUES ('{"channels": 4, "topics": 8, "agents": 20}'::jsonb),
                     ('{"channels": 5, "topics": 8, "agents": 20}')) v(o);

-- In parallel workers (forced) the roll-up per group equals the serial one, byte for byte.
CREATE TABLE serial_state AS
  SELECT ticket_rollup_state(t, 'zendesk', '{"channels": 4, "topics": 8, "agents": 20}') AS s,
         ticket_rollup(t, 'zendesk', '{"channels": 4, "topics": 8, "agents": 20}') AS r
  FROM t_rows;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT ticket_rollup_state(t, 'zendesk', '{"channels": 4, "topics": 8, "agents": 20}') FROM t_rows;
CREATE TABLE parallel_state AS
  SELECT ticket_rollup_state(t, 'zendesk', '{"channels": 4, "topics": 8, "agents": 20}') AS s,
         ticket_rollup(t, 'zendesk', '{"channels": 4, "topics": 8, "agents": 20}') AS r
  FROM t_rows;
RESET max_parallel_workers_per_gather;
SELECT p.s::bytea = q.s::bytea AS same_bytes, p.r = q.r AS fast_form_equal,
       (SELECT bool_and(rollup_group(p.s, 'channel', c) = rollup_group(q.s, 'channel', c))
        FROM generate_series(0, 3) c) AS channels_equal
FROM parallel_state p, serial_state q;
