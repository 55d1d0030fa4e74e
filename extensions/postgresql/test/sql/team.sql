-- Agents as full groups and the cells of crosses (channel x priority, agent x channel)
-- from one aggregate pass, each figure against GROUP BY over plain SQL on the same rows.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cxm;
SET extra_float_digits = 0;
SET timezone = 'UTC';

-- 20,000 tickets, 20 agents, 4 channels, 4 priorities; 30 % still open, 10 % without a
-- reply; answers to CSAT and to the post-interaction NPS on two thirds of them.
CREATE TABLE team AS
  SELECT i, created,
         CASE WHEN h1 % 10 = 0 THEN NULL
              ELSE created + make_interval(secs => 60 + h2 % 36000) END AS first_reply,
         CASE WHEN h3 % 10 < 3 THEN NULL
              ELSE created + make_interval(secs => 3600 + h4 % 400000) END AS first_solved,
         h1 % 4 AS agent_replies, h2 % 4 AS channel, h7 % 4 AS priority, h5 % 20 AS agent,
         h3 % 10 >= 3 AND h5 % 17 = 0 AS self_service,
         CASE WHEN h6 % 3 = 0 THEN NULL ELSE 1 + h6 % 5 END AS csat,
         CASE WHEN h8 % 3 = 0 THEN NULL ELSE h8 % 11 END AS nps,
         CASE WHEN h9 % 7 = 0 AND NOT (h3 % 10 >= 3 AND h5 % 17 = 0) THEN 1 ELSE 0 END
           AS transfers,
         -- Self-service solves carry no handle time (NULL counts as 0 s when closed).
         CASE WHEN h3 % 10 >= 3 AND h5 % 17 = 0 THEN NULL ELSE 30.5 + h9 % 1800 END
           AS handle_time
  FROM (SELECT i, timestamptz '2024-01-01' + make_interval(hours => i % 500) AS created,
               hashint4(i) & 2147483647 AS h1, hashint4(i + 1) & 2147483647 AS h2,
               hashint4(i + 2) & 2147483647 AS h3, hashint4(i + 3) & 2147483647 AS h4,
               hashint4(i + 4) & 2147483647 AS h5, hashint4(i + 5) & 2147483647 AS h6,
               hashint4(i + 6) & 2147483647 AS h7, hashint4(i + 7) & 2147483647 AS h8,
               hashint4(i + 8) & 2147483647 AS h9
        FROM generate_series(1, 20000) i) g;

CREATE TABLE team_rows AS
  SELECT ROW(created, first_reply, first_solved, NULL, 0, agent_replies, 0, priority,
             self_service, csat, NULL, channel, NULL, agent, nps, transfers, handle_time,
             false)::cxm_ticket AS t, *
  FROM team;

-- The SLA: first reply within 1, 2, 4 or 8 hours by priority, on the calendar clock, read
-- at as_of = 2024-03-01 (after every creation); "open" indexes the open tickets for the
-- survival reader.
CREATE TABLE team_opts AS SELECT '{"channels": 4, "agents": 20, "open": 8000,
    "crosses": [["channel", "priority"], ["agent", "channel"]],
    "sla": {"first_reply": [3600, 7200, 14400, 28800]}, "as_of": 1709251200}'::jsonb AS o;
CREATE TABLE team_state AS
  SELECT ticket_rollup_state(t, 'zendesk', o) AS s FROM team_rows, team_opts;

-- The figures one group is checked on, in plain SQL over its rows: counts, Zendesk
-- one-touch FCR (solved by an agent in fewer than 2 agent replies, never transferred, over
-- solved by an agent), CSAT mean, transactional NPS, AHT over the closed tickets, MTTR,
-- the median first reply, and the first-reply SLA (the earlier of reply and solve against
-- the priority's target; no target for a self-service solve; without a reply or a solve
-- by as_of, the target is still running: active, neither achieved nor breached).
CREATE TYPE team_figures AS (tickets bigint, solved bigint, fcr float8, csat float8,
    nps float8, aht float8, mttr float8, fr_median float8, transfer_rate float8,
    sla_achieved bigint, sla_breached bigint, sla_active bigint);
CREATE FUNCTION team_plain(rows team[]) RETURNS team_figures
LANGUAGE sql AS $$
  SELECT count(*), count(first_solved),
         count(*) FILTER (WHERE first_solved IS NOT NULL AND NOT self_service
                            AND agent_replies < 2 AND transfers = 0)::float8
           / nullif(count(*) FILTER (WHERE first_solved IS NOT NULL AND NOT self_service), 0),
         avg(csat)::float8,
         100.0 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6))
           / nullif(count(nps), 0),
         avg(coalesce(handle_time, 0)) FILTER (WHERE first_solved IS NOT NULL),
         avg(extract(epoch FROM first_solved - created))::float8,
         percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_reply - created)),
         count(*) FILTER (WHERE transfers > 0)::float8 / count(*),
         count(*) FILTER (WHERE NOT self_service AND extract(epoch FROM
           least(first_reply, first_solved) - created) <= (ARRAY[3600, 7200, 14400, 28800])[priority + 1]),
         count(*) FILTER (WHERE NOT self_service AND extract(epoch FROM
           least(first_reply, first_solved) - created) > (ARRAY[3600, 7200, 14400, 28800])[priority + 1]),
         count(*) FILTER (WHERE least(first_reply, first_solved) IS NULL)
  FROM unnest(rows) $$;

-- Every agent is a full group: rollup_group(s, 'agent', a) against GROUP BY agent. Every
-- cell of channel x priority, named by its two dimensions and their ids, against GROUP BY
-- channel, priority.
WITH groups AS (
  SELECT 'agent' AS kind, rollup_group(s, 'agent', agent) AS c,
         rollup_sla(s, 'agent', agent, 'first_reply') AS sla, p
  FROM team_state, (SELECT agent, team_plain(array_agg(team)) AS p FROM team GROUP BY agent) g
  UNION ALL
  SELECT 'channel x priority', rollup_group(s, 'channel', channel, 'priority', priority),
         rollup_sla(s, 'channel', channel, 'priority', priority, 'first_reply'), p
  FROM team_state, (SELECT channel, priority, team_plain(array_agg(team)) AS p FROM team
                    GROUP BY channel, priority) g)
SELECT kind, count(*) AS groups,
       bool_and((c).tickets = (p).tickets AND (c).solved = (p).solved) AS counts,
       bool_and(abs((c).fcr - (p).fcr) < 1e-12) AS fcr,
       bool_and(abs((c).csat_mean - (p).csat) < 1e-9) AS csat,
       bool_and(abs((c).nps - (p).nps) < 1e-9) AS nps,
       bool_and(abs((c).aht - (p).aht) < 1e-6) AS aht,
       bool_and(abs((c).mttr - (p).mttr) < 1e-6) AS mttr,
       bool_and(abs((c).first_reply_median - (p).fr_median) <= (p).fr_median / 129)
         AS fr_median_within_1_129,
       bool_and(abs((c).transfer_rate - (p).transfer_rate) < 1e-12) AS transfer_rate,
       bool_and((sla).achieved = (p).sla_achieved AND (sla).breached = (p).sla_breached
                AND (sla).active = (p).sla_active) AS sla,
       bool_and((sla).achieved > 0 AND (sla).breached > 0) AS both_outcomes
FROM groups GROUP BY kind ORDER BY kind;

-- Named the other way round, a cell is the same one.
SELECT bool_and(rollup_group(s, 'channel', ch, 'priority', pr)
                  = rollup_group(s, 'priority', pr, 'channel', ch)) AS either_order
FROM team_state, generate_series(0, 3) ch, generate_series(0, 3) pr;

-- The second cross, agent x channel, through the other readers: tickets, FCR and transfer
-- rate (rollup_rate), CSAT (rollup_csat), NPS (rollup_nps), AHT (rollup_time), a quantile.
WITH plain AS (
  SELECT agent, channel, (team_plain(array_agg(team))).*, count(csat) AS csat_n,
         count(nps) AS nps_n,
         count(*) FILTER (WHERE first_solved IS NOT NULL) AS closed FROM team
  GROUP BY agent, channel)
SELECT count(*) AS cells,
       bool_and(abs((rollup_rate(s, 'agent', agent, 'channel', channel, 'fcr')).rate - p.fcr)
                < 1e-12) AS fcr,
       bool_and(abs((rollup_rate(s, 'agent', agent, 'channel', channel, 'transfer')).rate
                    - p.transfer_rate) < 1e-12) AS transfer_rate,
       bool_and((rollup_csat(s, 'agent', agent, 'channel', channel)).n = p.csat_n
                AND abs((rollup_csat(s, 'agent', agent, 'channel', channel)).mean - p.csat) < 1e-9)
         AS csat,
       bool_and((rollup_nps(s, 'agent', agent, 'channel', channel)).n = p.nps_n
                AND abs((rollup_nps(s, 'agent', agent, 'channel', channel)).nps - p.nps) < 1e-9)
         AS nps,
       bool_and((rollup_time(s, 'agent', agent, 'channel', channel, 'handle_time')).n = p.closed
                AND abs((rollup_time(s, 'agent', agent, 'channel', channel, 'handle_time')).mean
                        - p.aht) < 1e-6) AS aht,
       bool_and(abs(rollup_quantile(s, 'agent', agent, 'channel', channel, 'first_reply', 0.5)
                    - p.fr_median) <= p.fr_median / 129) AS fr_median_within_1_129
FROM plain p, team_state;

-- The readers with one id take 'agent' too: CSAT, the first-reply quantile, a rate, NPS.
SELECT bool_and((rollup_csat(s, 'agent', agent)).n = csat_n) AS csat,
       bool_and(abs(rollup_quantile(s, 'agent', agent, 'first_reply', 0.5) - fr_median)
                <= fr_median / 129) AS quantile,
       bool_and((rollup_rate(s, 'agent', agent, 'fcr')).trials = trials) AS rate,
       bool_and(rollup_nps(s, 'agent', agent) = n) AS nps_row
FROM team_state,
     (SELECT agent, count(csat) AS csat_n, nps(nps, 'transactional') AS n,
             count(*) FILTER (WHERE first_solved IS NOT NULL AND NOT self_service) AS trials,
             percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_reply - created))
               AS fr_median
      FROM team GROUP BY agent) p;

-- Kaplan-Meier per agent and per cell: the tickets, the open ones censored at as_of, and
-- the closed-only mean.
SELECT bool_and((k).n = n AND (k).open = open AND abs((k).closed_mean - closed_mean) < 1e-6)
         AS survival_per_agent
FROM (SELECT rollup_survival(s, 'agent', agent, '2024-03-01Z') AS k, p.*
      FROM team_state,
           (SELECT agent, count(*) AS n, count(*) - count(first_solved) AS open,
                   avg(extract(epoch FROM first_solved - created))::float8 AS closed_mean
            FROM team GROUP BY agent) p) z;
SELECT bool_and((k).n = n AND (k).open = open AND abs((k).closed_mean - closed_mean) < 1e-6)
         AS survival_per_cell
FROM (SELECT rollup_survival(s, 'channel', channel, 'priority', priority, '2024-03-01Z',
                             '{3600}', 0.9) AS k, p.*
      FROM team_state,
           (SELECT channel, priority, count(*) AS n, count(*) - count(first_solved) AS open,
                   avg(extract(epoch FROM first_solved - created))::float8 AS closed_mean
            FROM team GROUP BY channel, priority) p) z;

-- The cells of a cross add up to the overall group (every ticket has both ids).
SELECT sum((rollup_group(s, 'channel', ch, 'priority', pr)).tickets) AS cells_total,
       (SELECT (rollup_group(s, 'overall', 0)).tickets FROM team_state) AS overall
FROM team_state, generate_series(0, 3) ch, generate_series(0, 3) pr;

-- States of each day merged equal the single pass, cell by cell and agent by agent.
SELECT bool_and(rollup_group(m, 'channel', ch, 'priority', pr)
                  = rollup_group(s, 'channel', ch, 'priority', pr)
                AND rollup_group(m, 'agent', ch * 4 + pr) = rollup_group(s, 'agent', ch * 4 + pr))
         AS merged_equal
FROM (SELECT merge(d) AS m
      FROM (SELECT ticket_rollup_state(t, 'zendesk', o) AS d FROM team_rows, team_opts
            GROUP BY created::date) days) x,
     team_state, generate_series(0, 3) ch, generate_series(0, 3) pr;

-- With "agent_kind": "counts" an agent keeps tickets and solved only (rollup_agent).
SELECT (rollup_agent(s, 3)).tickets = (SELECT count(*) FROM team WHERE agent = 3) AS counts_kept
FROM (SELECT ticket_rollup_state(t, 'zendesk', '{"channels": 4, "agents": 20,
                                               "agent_kind": "counts"}') AS s
      FROM team_rows) z;

-- Refusals, each with a message saying what is wrong.
SELECT rollup_group(s, 'agent', 20) FROM team_state;
SELECT rollup_group(s, 'channel', 0, 'topic', 1) FROM team_state;
SELECT rollup_group(s, 'overall', 0, 'channel', 1) FROM team_state;
SELECT rollup_group(s, 'channel', 4, 'priority', 0) FROM team_state;
SELECT rollup_group(s, 'channel', 0, 'team', 0) FROM team_state;
SELECT rollup_group(ticket_rollup_state(t, 'zendesk',
                      '{"channels": 4, "agents": 20, "agent_kind": "counts"}'), 'agent', 0)
FROM team_rows;
SELECT ticket_rollup(t, 'zendesk', '{"channels": 4, "crosses": [["channel", "channel"]]}')
FROM team_rows;
SELECT ticket_rollup(t, 'zendesk', '{"channels": 4, "crosses": [["channel", "team"]]}')
FROM team_rows;
SELECT ticket_rollup(t, 'zendesk', '{"channels": 4, "crosses": ["channel", "priority"]}')
FROM team_rows;
SELECT ticket_rollup(t, 'zendesk', '{"channels": 4, "crosses": [["channel", "priority"],
  ["priority", "channel"], ["channel", "agent"], ["agent", "priority"], ["agent", "channel"]],
  "agents": 20}') FROM team_rows;
SELECT ticket_rollup(t, 'zendesk', '{"crosses": [["channel", "priority"]]}') FROM team_rows;
SELECT ticket_rollup(t, 'zendesk', '{"agents": 2, "agent_kind": "all"}') FROM team_rows;
