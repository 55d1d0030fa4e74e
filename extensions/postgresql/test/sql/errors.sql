-- Bad input is a clear SQL error with its SQLSTATE, never a crash.
SET extra_float_digits = 0;
\set SHOW_CONTEXT never
-- A score off the scale: 22023 invalid_parameter_value.
SELECT nps(s, 'relational') FROM (VALUES (9), (11)) v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT csat(s) FROM (VALUES (6)) v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT nps_state(-1, 'relational');
\echo :LAST_ERROR_SQLSTATE
-- An unknown kind.
SELECT nps(9, 'loyalty');
\echo :LAST_ERROR_SQLSTATE
-- Kinds are never blended in one group, in either form.
SELECT nps(s, k) FROM (VALUES (9, 'relational'), (9, 'transactional')) v(s, k);
\echo :LAST_ERROR_SQLSTATE
SELECT nps_state(s, k) FROM (VALUES (9, 'relational'), (9, 'transactional')) v(s, k);
\echo :LAST_ERROR_SQLSTATE
-- Merging stored states of two kinds.
SELECT merge(st) FROM (SELECT nps_state(9, 'relational') AS st
                       UNION ALL SELECT nps_state(9, 'transactional')) z;
\echo :LAST_ERROR_SQLSTATE
-- Two scales in one CSAT group.
SELECT csat(s, lo, hi) FROM (VALUES (4, 1, 5), (4, 1, 7)) v(s, lo, hi);
\echo :LAST_ERROR_SQLSTATE
-- Negative durations and q outside [0, 1].
SELECT duration(-1.0::float8);
\echo :LAST_ERROR_SQLSTATE
SELECT duration(v) FROM (VALUES (1.0::float8), (2.0), ('NaN')) x(v);
\echo :LAST_ERROR_SQLSTATE
SELECT duration_state(interval '-1 hour');
\echo :LAST_ERROR_SQLSTATE
SELECT quantile(duration_state(1.0::float8), 1.5);
\echo :LAST_ERROR_SQLSTATE
-- One quantile per group.
SELECT duration_quantile(s, q) FROM (VALUES (1.0::float8, 0.5::float8), (2, 0.9)) v(s, q);
\echo :LAST_ERROR_SQLSTATE
-- Corrupt state bytes: 22P03 invalid_binary_representation, on every path that reads them.
CREATE TABLE good AS SELECT nps_state(s, 'relational') AS st FROM generate_series(0, 10) s;
SELECT '\x0102'::nps_state;
\echo :LAST_ERROR_SQLSTATE
-- truncated
SELECT substr(st::bytea, 1, length(st::bytea) - 3)::nps_state FROM good;
\echo :LAST_ERROR_SQLSTATE
-- one byte flipped in the middle
SELECT overlay(st::bytea placing '\xff'::bytea from 20 for 1)::nps_state FROM good;
\echo :LAST_ERROR_SQLSTATE
-- the bytes of another family
SELECT (duration_state(1.0::float8)::bytea)::nps_state;
\echo :LAST_ERROR_SQLSTATE
-- A bad SLA policy and an unknown metric.
SELECT sla_compliance('[1, 2]', 0, 'first_reply', now(), now());
\echo :LAST_ERROR_SQLSTATE
SELECT sla_compliance('{"first_reply": [60]}', 0, 'speed', now(), now());
\echo :LAST_ERROR_SQLSTATE
-- A ticket that contradicts itself (solved before it was created).
SELECT ticket_rollup(ROW('2024-01-02', NULL, '2024-01-01', NULL, 0, 0, 0, 0, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::cxm_ticket,
                     'zendesk');
\echo :LAST_ERROR_SQLSTATE
-- The good state still reads.
SELECT (nps(st)).n FROM good;
-- Every single-byte corruption and every truncation of a state of each family
-- is refused with 22P03 (the encoding carries a checksum); nothing crashes.
CREATE TABLE samples (family text, bytes bytea);
INSERT INTO samples
  SELECT 'nps', nps_state(s % 11, 'relational')::bytea FROM generate_series(1, 500) s
  UNION ALL SELECT 'csat', csat_state(1 + s % 5)::bytea FROM generate_series(1, 500) s
  UNION ALL SELECT 'rate', rate_state(s % 3 = 0)::bytea FROM generate_series(1, 500) s
  UNION ALL SELECT 'duration', duration_state(s * 1.7)::bytea FROM generate_series(1, 500) s
  UNION ALL SELECT 'sla', sla_compliance_state('{"first_reply": [3600, 7200]}', s % 2, 'first_reply',
                          '2024-01-01', '2024-01-01'::timestamptz + s * interval '1 minute')::bytea
            FROM generate_series(1, 200) s
  UNION ALL SELECT 'nps_panel', nps_gaps_state(s % 3, s % 11)::bytea FROM generate_series(1, 300) s
  UNION ALL SELECT 'churn', customer_churn_state(true, s % 4 > 0, s % 4 = 0, false, s % 2 = 0,
                            s % 6 = 0, 100, CASE WHEN s % 4 > 0 THEN 120 ELSE 0 END)::bytea
            FROM generate_series(1, 300) s
  UNION ALL SELECT 'rollup', ticket_rollup_state(ROW('2024-01-01', '2024-01-01 01:00',
                            '2024-01-02', NULL, 0, 1, 0, s % 4, false, 1 + s % 5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::cxm_ticket,
                            'zendesk')::bytea FROM generate_series(1, 50) s;
CREATE FUNCTION refused(family text, b bytea) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('SELECT %s(%L::bytea::%s)', CASE family WHEN 'sla' THEN 'sla_compliance'
                 WHEN 'nps_panel' THEN 'nps_gaps' WHEN 'churn' THEN 'customer_churn'
                 WHEN 'rollup' THEN 'ticket_rollup' ELSE family END, b, family || '_state');
  RETURN false;
EXCEPTION WHEN invalid_binary_representation THEN
  RETURN true;
END $$;
SELECT family, length(bytes) > 0 AS has_bytes,
       bool_and(refused(family, set_byte(bytes, i, get_byte(bytes, i) # 255))) AS every_flip_refused,
       bool_and(refused(family, substr(bytes, 1, i))) AS every_truncation_refused
FROM samples, generate_series(0, length(bytes) - 1) i
GROUP BY family, bytes ORDER BY family;
-- A refusal names what was refused: a scale, a priority the policy has no level for, a ticket
-- without its creation time.
SELECT csat(s, 1, 5, 9) FROM (VALUES (4)) v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT ces(s, 'effort', 7, 1) FROM (VALUES (4)) v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT sla_compliance('{"first_reply": [3600, 7200]}', 2, 'first_reply', '2024-01-01',
                      '2024-01-01 00:30');
\echo :LAST_ERROR_SQLSTATE
SELECT ticket_rollup(ROW(NULL, NULL, NULL, NULL, 0, 0, 0, 0, false, NULL, NULL, NULL, NULL, NULL,
                         NULL, NULL, NULL, NULL)::cxm_ticket, 'zendesk');
\echo :LAST_ERROR_SQLSTATE
