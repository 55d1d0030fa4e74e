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
SELECT quantile(duration_state(1.0::float8), 1.5);
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
SELECT ticket_rollup(ROW('2024-01-02', NULL, '2024-01-01', NULL, 0, 0, 0, 0, false, NULL, NULL)::cxm_ticket,
                     'zendesk');
\echo :LAST_ERROR_SQLSTATE
-- The good state still reads.
SELECT (nps(st)).n FROM good;
