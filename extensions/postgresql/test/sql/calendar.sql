-- Business-hours SLA targets from SQL: a policy whose targets count business
-- seconds of a calendar given as JSON (what cxm/calendar.h takes). Every
-- figure below is worked out by hand in the comments.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cxm;
SET timezone = 'UTC';

-- Local time is UTC+1 until Monday 2024-01-08 00:00Z (Unix 1704672000), UTC+2 after.
-- Open Monday to Thursday 09:00-17:00, Friday 09:00-12:00 and 13:00-17:00 (local);
-- Wednesday 2024-01-03 is a holiday.
CREATE TABLE cal AS SELECT '{"utc_offset": "+01:00",
  "week": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"],
           "thu": ["09:00-17:00"], "fri": ["09:00-12:00", "13:00-17:00"], "sat": [], "sun": []},
  "holidays": ["2024-01-03"],
  "offset_changes": [{"at": 1704672000, "utc_offset": "+02:00"}]}'::jsonb AS c;

-- First reply within 4 business hours (14400 s) at priority 0.
--   t1: Mon 01-01 15:00 local -> Tue 10:30: Mon 15-17 (2 h) + Tue 09-10:30 (1.5 h) = 3.5 h, met
--   t2: Tue 16:00 -> Thu 11:30, Wednesday closed: 1 h + 2.5 h = 3.5 h, met
--   t3: Fri 01-05 16:00 (+01) -> Mon 01-08 12:00Z = 14:00 local (+02): 1 h + 5 h = 6 h,
--       breached by 2 h (7200 s)
--   t4: Fri 11:00 -> Fri 15:30 with lunch closed: 1 h + 2.5 h = 3.5 h, met
-- So 3 achieved, 1 breached, 75 %, lateness 7200 s.
CREATE TABLE replies AS SELECT * FROM (VALUES
  ('t1', '2024-01-01 14:00Z'::timestamptz, '2024-01-02 09:30Z'::timestamptz),
  ('t2', '2024-01-02 15:00Z', '2024-01-04 10:30Z'),
  ('t3', '2024-01-05 15:00Z', '2024-01-08 12:00Z'),
  ('t4', '2024-01-05 10:00Z', '2024-01-05 14:30Z')) v(id, created, replied);

SELECT (s).priority, (s).achieved, (s).breached, (s).compliance_pct, (s).lateness_mean,
       (s).lateness_max
FROM (SELECT unnest(sla_compliance('{"first_reply": [14400], "clock": "business"}', c, 0,
                                   'first_reply', created, replied)) AS s
      FROM replies, cal) z;

-- One target in business hours, written on the target itself: the same figures.
SELECT (s).achieved, (s).breached, (s).lateness_max
FROM (SELECT unnest(sla_compliance('{"first_reply": [{"business": 14400}]}', c, 0,
                                   'first_reply', created, replied)) AS s
      FROM replies, cal) z WHERE (s).priority = 0;

-- The same 4 hours on the wall clock: t1 19.5 h, t2 43.5 h, t3 69 h and t4 4.5 h are all late.
SELECT (s).achieved, (s).breached, (s).lateness_max
FROM (SELECT unnest(sla_compliance('{"first_reply": [14400]}', 0, 'first_reply', created,
                                   replied)) AS s
      FROM replies) z WHERE (s).priority = 0;

-- Mixed clocks per priority: priority 1 counts wall-clock hours, ignoring the calendar
-- (t1 .. t4 at priority 1 under 24 h: t1 19.5 h and t4 4.5 h met; t2 and t3 late).
SELECT (s).priority, (s).achieved, (s).breached
FROM (SELECT unnest(sla_compliance('{"first_reply": [{"business": 14400}, 86400]}', c, p,
                                   'first_reply', created, replied)) AS s
      FROM replies, cal, (VALUES (0), (1)) v(p)) z ORDER BY 1;

-- The distributable form: daily states with the calendar, merged, equal to the direct one.
SELECT sla_compliance(merge(st)) = (SELECT sla_compliance('{"first_reply": [14400], "clock": "business"}',
                                                        c, 0, 'first_reply', created, replied)
                                    FROM replies, cal) AS merged_equals_direct
FROM (SELECT sla_compliance_state('{"first_reply": [14400], "clock": "business"}', c, 0,
                                  'first_reply', created, replied) AS st
      FROM replies, cal GROUP BY created::date) d;

-- Bad configurations are clear errors.
SELECT sla_compliance('{"first_reply": [14400], "clock": "business"}', 0, 'first_reply',
                      created, replied) FROM replies;
SELECT sla_compliance('{"first_reply": [14400], "clock": "business"}',
                      '{"week": {"mon": ["9-17"]}}', 0, 'first_reply', created, replied)
FROM replies;
SELECT sla_compliance('{"first_reply": [14400], "clock": "business"}',
                      '{"week": {"mon": ["09:00-13:00", "12:00-17:00"]}}', 0, 'first_reply',
                      created, replied) FROM replies;
SELECT sla_compliance('{"first_reply": [14400], "clock": "business"}',
                      '{"week": {"monday": ["09:00-17:00"]}}', 0, 'first_reply', created, replied)
FROM replies;
SELECT sla_compliance('{"first_reply": [14400], "clock": "business"}',
                      '{"week": {"mon": ["09:00-17:00"]}, "utc_offset": "+25:00"}', 0,
                      'first_reply', created, replied) FROM replies;
SELECT sla_compliance('{"first_reply": [14400], "clock": "overtime"}', c, 0, 'first_reply',
                      created, replied) FROM replies, cal;
SELECT sla_compliance('{"first_reply": [14400], "clock": "business"}', w, 0, 'first_reply',
                      created, replied)
FROM replies, (VALUES ('{"week": {"mon": ["09:00-17:00"]}}'::jsonb),
                      ('{"week": {"tue": ["09:00-17:00"]}}')) v(w);
