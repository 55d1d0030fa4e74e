-- cxm: customer-experience metrics as PostgreSQL aggregates.
-- Every figure comes from the cxm library: this file only declares types,
-- aggregates and result functions around it.
\echo Use "CREATE EXTENSION cxm" to load this file. \quit

-- The states: one varlena type per family, holding cxm's encoding of the
-- accumulator (validated on every read). Stored in tables, sent between
-- servers, merged later.

CREATE TYPE nps_state;
CREATE FUNCTION nps_state_in(cstring) RETURNS nps_state
    AS 'MODULE_PATHNAME', 'pgcxm_nps_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_state_out(nps_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'pgcxm_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_state_recv(internal) RETURNS nps_state
    AS 'MODULE_PATHNAME', 'pgcxm_nps_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_state_send(nps_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE nps_state (INPUT = nps_state_in, OUTPUT = nps_state_out, RECEIVE = nps_state_recv, SEND = nps_state_send,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION nps_state(bytea) RETURNS nps_state
    AS 'MODULE_PATHNAME', 'pgcxm_nps_from_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bytea(nps_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bytea AS nps_state) WITH FUNCTION nps_state(bytea);
CREATE CAST (nps_state AS bytea) WITH FUNCTION bytea(nps_state);
CREATE FUNCTION state_bytes(nps_state) RETURNS integer
    AS 'MODULE_PATHNAME', 'pgcxm_state_bytes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Support of both aggregate forms: merge (combine), serialise, deserialise.
CREATE FUNCTION nps_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_nps_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION nps_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_nps_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_state_combine(nps_state, nps_state) RETURNS nps_state
    AS 'MODULE_PATHNAME', 'pgcxm_nps_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- merge(state): stored states of any grouping merged into one (days into weeks, shards into all).
CREATE AGGREGATE merge(nps_state) (SFUNC = nps_state_combine, STYPE = nps_state,
    COMBINEFUNC = nps_state_combine, PARALLEL = SAFE);

CREATE TYPE nps_panel_state;
CREATE FUNCTION nps_panel_state_in(cstring) RETURNS nps_panel_state
    AS 'MODULE_PATHNAME', 'pgcxm_nps_panel_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_panel_state_out(nps_panel_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'pgcxm_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_panel_state_recv(internal) RETURNS nps_panel_state
    AS 'MODULE_PATHNAME', 'pgcxm_nps_panel_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_panel_state_send(nps_panel_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE nps_panel_state (INPUT = nps_panel_state_in, OUTPUT = nps_panel_state_out, RECEIVE = nps_panel_state_recv, SEND = nps_panel_state_send,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION nps_panel_state(bytea) RETURNS nps_panel_state
    AS 'MODULE_PATHNAME', 'pgcxm_nps_panel_from_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bytea(nps_panel_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bytea AS nps_panel_state) WITH FUNCTION nps_panel_state(bytea);
CREATE CAST (nps_panel_state AS bytea) WITH FUNCTION bytea(nps_panel_state);
CREATE FUNCTION state_bytes(nps_panel_state) RETURNS integer
    AS 'MODULE_PATHNAME', 'pgcxm_state_bytes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Support of both aggregate forms: merge (combine), serialise, deserialise.
CREATE FUNCTION nps_panel_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_nps_panel_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION nps_panel_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_panel_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_nps_panel_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_panel_state_combine(nps_panel_state, nps_panel_state) RETURNS nps_panel_state
    AS 'MODULE_PATHNAME', 'pgcxm_nps_panel_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- merge(state): stored states of any grouping merged into one (days into weeks, shards into all).
CREATE AGGREGATE merge(nps_panel_state) (SFUNC = nps_panel_state_combine, STYPE = nps_panel_state,
    COMBINEFUNC = nps_panel_state_combine, PARALLEL = SAFE);

CREATE TYPE csat_state;
CREATE FUNCTION csat_state_in(cstring) RETURNS csat_state
    AS 'MODULE_PATHNAME', 'pgcxm_csat_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION csat_state_out(csat_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'pgcxm_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION csat_state_recv(internal) RETURNS csat_state
    AS 'MODULE_PATHNAME', 'pgcxm_csat_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION csat_state_send(csat_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE csat_state (INPUT = csat_state_in, OUTPUT = csat_state_out, RECEIVE = csat_state_recv, SEND = csat_state_send,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION csat_state(bytea) RETURNS csat_state
    AS 'MODULE_PATHNAME', 'pgcxm_csat_from_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bytea(csat_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bytea AS csat_state) WITH FUNCTION csat_state(bytea);
CREATE CAST (csat_state AS bytea) WITH FUNCTION bytea(csat_state);
CREATE FUNCTION state_bytes(csat_state) RETURNS integer
    AS 'MODULE_PATHNAME', 'pgcxm_state_bytes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Support of both aggregate forms: merge (combine), serialise, deserialise.
CREATE FUNCTION csat_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_csat_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION csat_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION csat_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_csat_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION csat_state_combine(csat_state, csat_state) RETURNS csat_state
    AS 'MODULE_PATHNAME', 'pgcxm_csat_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- merge(state): stored states of any grouping merged into one (days into weeks, shards into all).
CREATE AGGREGATE merge(csat_state) (SFUNC = csat_state_combine, STYPE = csat_state,
    COMBINEFUNC = csat_state_combine, PARALLEL = SAFE);

CREATE TYPE ces_state;
CREATE FUNCTION ces_state_in(cstring) RETURNS ces_state
    AS 'MODULE_PATHNAME', 'pgcxm_ces_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ces_state_out(ces_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'pgcxm_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ces_state_recv(internal) RETURNS ces_state
    AS 'MODULE_PATHNAME', 'pgcxm_ces_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ces_state_send(ces_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE ces_state (INPUT = ces_state_in, OUTPUT = ces_state_out, RECEIVE = ces_state_recv, SEND = ces_state_send,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION ces_state(bytea) RETURNS ces_state
    AS 'MODULE_PATHNAME', 'pgcxm_ces_from_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bytea(ces_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bytea AS ces_state) WITH FUNCTION ces_state(bytea);
CREATE CAST (ces_state AS bytea) WITH FUNCTION bytea(ces_state);
CREATE FUNCTION state_bytes(ces_state) RETURNS integer
    AS 'MODULE_PATHNAME', 'pgcxm_state_bytes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Support of both aggregate forms: merge (combine), serialise, deserialise.
CREATE FUNCTION ces_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_ces_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ces_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ces_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_ces_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ces_state_combine(ces_state, ces_state) RETURNS ces_state
    AS 'MODULE_PATHNAME', 'pgcxm_ces_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- merge(state): stored states of any grouping merged into one (days into weeks, shards into all).
CREATE AGGREGATE merge(ces_state) (SFUNC = ces_state_combine, STYPE = ces_state,
    COMBINEFUNC = ces_state_combine, PARALLEL = SAFE);

CREATE TYPE rate_state;
CREATE FUNCTION rate_state_in(cstring) RETURNS rate_state
    AS 'MODULE_PATHNAME', 'pgcxm_rate_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rate_state_out(rate_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'pgcxm_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rate_state_recv(internal) RETURNS rate_state
    AS 'MODULE_PATHNAME', 'pgcxm_rate_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rate_state_send(rate_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE rate_state (INPUT = rate_state_in, OUTPUT = rate_state_out, RECEIVE = rate_state_recv, SEND = rate_state_send,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION rate_state(bytea) RETURNS rate_state
    AS 'MODULE_PATHNAME', 'pgcxm_rate_from_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bytea(rate_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bytea AS rate_state) WITH FUNCTION rate_state(bytea);
CREATE CAST (rate_state AS bytea) WITH FUNCTION bytea(rate_state);
CREATE FUNCTION state_bytes(rate_state) RETURNS integer
    AS 'MODULE_PATHNAME', 'pgcxm_state_bytes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Support of both aggregate forms: merge (combine), serialise, deserialise.
CREATE FUNCTION rate_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_rate_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rate_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rate_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_rate_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rate_state_combine(rate_state, rate_state) RETURNS rate_state
    AS 'MODULE_PATHNAME', 'pgcxm_rate_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- merge(state): stored states of any grouping merged into one (days into weeks, shards into all).
CREATE AGGREGATE merge(rate_state) (SFUNC = rate_state_combine, STYPE = rate_state,
    COMBINEFUNC = rate_state_combine, PARALLEL = SAFE);

CREATE TYPE duration_state;
CREATE FUNCTION duration_state_in(cstring) RETURNS duration_state
    AS 'MODULE_PATHNAME', 'pgcxm_duration_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION duration_state_out(duration_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'pgcxm_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION duration_state_recv(internal) RETURNS duration_state
    AS 'MODULE_PATHNAME', 'pgcxm_duration_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION duration_state_send(duration_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE duration_state (INPUT = duration_state_in, OUTPUT = duration_state_out, RECEIVE = duration_state_recv, SEND = duration_state_send,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION duration_state(bytea) RETURNS duration_state
    AS 'MODULE_PATHNAME', 'pgcxm_duration_from_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bytea(duration_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bytea AS duration_state) WITH FUNCTION duration_state(bytea);
CREATE CAST (duration_state AS bytea) WITH FUNCTION bytea(duration_state);
CREATE FUNCTION state_bytes(duration_state) RETURNS integer
    AS 'MODULE_PATHNAME', 'pgcxm_state_bytes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Support of both aggregate forms: merge (combine), serialise, deserialise.
CREATE FUNCTION duration_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_duration_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION duration_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION duration_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_duration_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION duration_state_combine(duration_state, duration_state) RETURNS duration_state
    AS 'MODULE_PATHNAME', 'pgcxm_duration_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- merge(state): stored states of any grouping merged into one (days into weeks, shards into all).
CREATE AGGREGATE merge(duration_state) (SFUNC = duration_state_combine, STYPE = duration_state,
    COMBINEFUNC = duration_state_combine, PARALLEL = SAFE);

CREATE TYPE sla_state;
CREATE FUNCTION sla_state_in(cstring) RETURNS sla_state
    AS 'MODULE_PATHNAME', 'pgcxm_sla_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sla_state_out(sla_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'pgcxm_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sla_state_recv(internal) RETURNS sla_state
    AS 'MODULE_PATHNAME', 'pgcxm_sla_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sla_state_send(sla_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE sla_state (INPUT = sla_state_in, OUTPUT = sla_state_out, RECEIVE = sla_state_recv, SEND = sla_state_send,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION sla_state(bytea) RETURNS sla_state
    AS 'MODULE_PATHNAME', 'pgcxm_sla_from_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bytea(sla_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bytea AS sla_state) WITH FUNCTION sla_state(bytea);
CREATE CAST (sla_state AS bytea) WITH FUNCTION bytea(sla_state);
CREATE FUNCTION state_bytes(sla_state) RETURNS integer
    AS 'MODULE_PATHNAME', 'pgcxm_state_bytes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Support of both aggregate forms: merge (combine), serialise, deserialise.
CREATE FUNCTION sla_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_sla_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sla_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sla_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_sla_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sla_state_combine(sla_state, sla_state) RETURNS sla_state
    AS 'MODULE_PATHNAME', 'pgcxm_sla_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- merge(state): stored states of any grouping merged into one (days into weeks, shards into all).
CREATE AGGREGATE merge(sla_state) (SFUNC = sla_state_combine, STYPE = sla_state,
    COMBINEFUNC = sla_state_combine, PARALLEL = SAFE);

CREATE TYPE rollup_state;
CREATE FUNCTION rollup_state_in(cstring) RETURNS rollup_state
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_state_out(rollup_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'pgcxm_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_state_recv(internal) RETURNS rollup_state
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_state_send(rollup_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE rollup_state (INPUT = rollup_state_in, OUTPUT = rollup_state_out, RECEIVE = rollup_state_recv, SEND = rollup_state_send,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION rollup_state(bytea) RETURNS rollup_state
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_from_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bytea(rollup_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bytea AS rollup_state) WITH FUNCTION rollup_state(bytea);
CREATE CAST (rollup_state AS bytea) WITH FUNCTION bytea(rollup_state);
CREATE FUNCTION state_bytes(rollup_state) RETURNS integer
    AS 'MODULE_PATHNAME', 'pgcxm_state_bytes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Support of both aggregate forms: merge (combine), serialise, deserialise.
CREATE FUNCTION rollup_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rollup_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_state_combine(rollup_state, rollup_state) RETURNS rollup_state
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- merge(state): stored states of any grouping merged into one (days into weeks, shards into all).
CREATE AGGREGATE merge(rollup_state) (SFUNC = rollup_state_combine, STYPE = rollup_state,
    COMBINEFUNC = rollup_state_combine, PARALLEL = SAFE);

CREATE TYPE churn_state;
CREATE FUNCTION churn_state_in(cstring) RETURNS churn_state
    AS 'MODULE_PATHNAME', 'pgcxm_churn_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_state_out(churn_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'pgcxm_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_state_recv(internal) RETURNS churn_state
    AS 'MODULE_PATHNAME', 'pgcxm_churn_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_state_send(churn_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE churn_state (INPUT = churn_state_in, OUTPUT = churn_state_out, RECEIVE = churn_state_recv, SEND = churn_state_send,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION churn_state(bytea) RETURNS churn_state
    AS 'MODULE_PATHNAME', 'pgcxm_churn_from_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bytea(churn_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bytea AS churn_state) WITH FUNCTION churn_state(bytea);
CREATE CAST (churn_state AS bytea) WITH FUNCTION bytea(churn_state);
CREATE FUNCTION state_bytes(churn_state) RETURNS integer
    AS 'MODULE_PATHNAME', 'pgcxm_state_bytes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Support of both aggregate forms: merge (combine), serialise, deserialise.
CREATE FUNCTION churn_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_churn_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION churn_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_churn_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_state_combine(churn_state, churn_state) RETURNS churn_state
    AS 'MODULE_PATHNAME', 'pgcxm_churn_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- merge(state): stored states of any grouping merged into one (days into weeks, shards into all).
CREATE AGGREGATE merge(churn_state) (SFUNC = churn_state_combine, STYPE = churn_state,
    COMBINEFUNC = churn_state_combine, PARALLEL = SAFE);

-- ---- results ------------------------------------------------------------------
-- Percent figures are in percent (NPS points for NPS); intervals at `level`.
CREATE TYPE nps_result AS (nps float8, n bigint, promoters bigint, passives bigint,
    detractors bigint, ci_low float8, ci_high float8, level float8, kind text);
CREATE TYPE nps_comparison AS (diff float8, se float8, z float8, p float8,
    ci_low float8, ci_high float8, significant boolean, level float8);
CREATE TYPE nps_gap AS (brand integer, n_ours bigint, n_theirs bigint, nps_ours float8,
    nps_theirs float8, gap float8, p float8, ci_low float8, ci_high float8, significant boolean);
CREATE TYPE csat_result AS (mean float8, n bigint, satisfied bigint, satisfied_pct float8,
    ci_low float8, ci_high float8, mean_ci_low float8, mean_ci_high float8, sd float8,
    median float8, level float8, scale text);
CREATE TYPE ces_result AS (mean float8, n bigint, easy bigint, easy_pct float8,
    ci_low float8, ci_high float8, mean_ci_low float8, mean_ci_high float8, sd float8,
    median float8, ces_index float8, level float8, scale text);
CREATE TYPE rate_result AS (rate float8, successes bigint, trials bigint, ci_low float8,
    ci_high float8, level float8);
-- Seconds.
CREATE TYPE duration_result AS (n bigint, mean float8, median float8, p90 float8, p99 float8,
    min float8, max float8, sd float8, sum float8);

-- ---- NPS: nps(score, kind), kinds never blended -------------------------------

CREATE FUNCTION nps_final(internal) RETURNS nps_result
    AS 'MODULE_PATHNAME', 'pgcxm_nps_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION nps(nps_state, level float8 DEFAULT 0.95) RETURNS nps_result
    AS 'MODULE_PATHNAME', 'pgcxm_nps_result' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION nps_step(internal, score integer, kind text) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_nps_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE nps(score integer, kind text) (SFUNC = nps_step, STYPE = internal, FINALFUNC = nps_final,
    COMBINEFUNC = nps_combine, SERIALFUNC = nps_serialize, DESERIALFUNC = nps_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION nps_state_step(nps_state, score integer, kind text) RETURNS nps_state
    AS 'MODULE_PATHNAME', 'pgcxm_nps_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE nps_state(score integer, kind text) (SFUNC = nps_state_step, STYPE = nps_state,
    COMBINEFUNC = nps_state_combine, PARALLEL = SAFE);

CREATE FUNCTION nps_compare(a nps_state, b nps_state, level float8 DEFAULT 0.95)
    RETURNS nps_comparison
    AS 'MODULE_PATHNAME', 'pgcxm_nps_compare' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- ---- competitive NPS: nps_gaps(brand, score), brand 0 is ours -----------------
CREATE FUNCTION panel_final(internal) RETURNS nps_gap[]
    AS 'MODULE_PATHNAME', 'pgcxm_nps_panel_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION nps_gaps(nps_panel_state, level float8 DEFAULT 0.95) RETURNS nps_gap[]
    AS 'MODULE_PATHNAME', 'pgcxm_nps_panel_result' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION panel_step(internal, brand integer, score integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_panel_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE nps_gaps(brand integer, score integer) (SFUNC = panel_step, STYPE = internal, FINALFUNC = panel_final,
    COMBINEFUNC = nps_panel_combine, SERIALFUNC = nps_panel_serialize, DESERIALFUNC = nps_panel_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION panel_state_step(nps_panel_state, brand integer, score integer) RETURNS nps_panel_state
    AS 'MODULE_PATHNAME', 'pgcxm_panel_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE nps_gaps_state(brand integer, score integer) (SFUNC = panel_state_step, STYPE = nps_panel_state,
    COMBINEFUNC = nps_panel_state_combine, PARALLEL = SAFE);


-- ---- CSAT: csat(score [, scale_min, scale_max [, threshold]]) -------------------
CREATE FUNCTION csat_final(internal) RETURNS csat_result
    AS 'MODULE_PATHNAME', 'pgcxm_csat_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION csat(csat_state, level float8 DEFAULT 0.95) RETURNS csat_result
    AS 'MODULE_PATHNAME', 'pgcxm_csat_result' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION csat_step(internal, score integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_csat_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE csat(score integer) (SFUNC = csat_step, STYPE = internal, FINALFUNC = csat_final,
    COMBINEFUNC = csat_combine, SERIALFUNC = csat_serialize, DESERIALFUNC = csat_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION csat_state_step(csat_state, score integer) RETURNS csat_state
    AS 'MODULE_PATHNAME', 'pgcxm_csat_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE csat_state(score integer) (SFUNC = csat_state_step, STYPE = csat_state,
    COMBINEFUNC = csat_state_combine, PARALLEL = SAFE);

CREATE FUNCTION csat_step(internal, score integer, scale_min integer, scale_max integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_csat_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE csat(score integer, scale_min integer, scale_max integer) (SFUNC = csat_step, STYPE = internal, FINALFUNC = csat_final,
    COMBINEFUNC = csat_combine, SERIALFUNC = csat_serialize, DESERIALFUNC = csat_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION csat_state_step(csat_state, score integer, scale_min integer, scale_max integer) RETURNS csat_state
    AS 'MODULE_PATHNAME', 'pgcxm_csat_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE csat_state(score integer, scale_min integer, scale_max integer) (SFUNC = csat_state_step, STYPE = csat_state,
    COMBINEFUNC = csat_state_combine, PARALLEL = SAFE);


CREATE FUNCTION csat_step(internal, score integer, scale_min integer, scale_max integer, threshold integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_csat_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE csat(score integer, scale_min integer, scale_max integer, threshold integer) (SFUNC = csat_step, STYPE = internal, FINALFUNC = csat_final,
    COMBINEFUNC = csat_combine, SERIALFUNC = csat_serialize, DESERIALFUNC = csat_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION csat_state_step(csat_state, score integer, scale_min integer, scale_max integer, threshold integer) RETURNS csat_state
    AS 'MODULE_PATHNAME', 'pgcxm_csat_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE csat_state(score integer, scale_min integer, scale_max integer, threshold integer) (SFUNC = csat_state_step, STYPE = csat_state,
    COMBINEFUNC = csat_state_combine, PARALLEL = SAFE);


-- ---- CES: ces(score [, direction [, scale_min, scale_max [, threshold]]]) --------
-- direction 'easier' (CES 2.0, default 1-7) or 'effort' (CES 1.0, default 1-5).
CREATE FUNCTION ces_final(internal) RETURNS ces_result
    AS 'MODULE_PATHNAME', 'pgcxm_ces_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ces(ces_state, level float8 DEFAULT 0.95) RETURNS ces_result
    AS 'MODULE_PATHNAME', 'pgcxm_ces_result' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ces_step(internal, score integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_ces_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ces(score integer) (SFUNC = ces_step, STYPE = internal, FINALFUNC = ces_final,
    COMBINEFUNC = ces_combine, SERIALFUNC = ces_serialize, DESERIALFUNC = ces_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION ces_state_step(ces_state, score integer) RETURNS ces_state
    AS 'MODULE_PATHNAME', 'pgcxm_ces_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ces_state(score integer) (SFUNC = ces_state_step, STYPE = ces_state,
    COMBINEFUNC = ces_state_combine, PARALLEL = SAFE);

CREATE FUNCTION ces_step(internal, score integer, direction text) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_ces_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ces(score integer, direction text) (SFUNC = ces_step, STYPE = internal, FINALFUNC = ces_final,
    COMBINEFUNC = ces_combine, SERIALFUNC = ces_serialize, DESERIALFUNC = ces_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION ces_state_step(ces_state, score integer, direction text) RETURNS ces_state
    AS 'MODULE_PATHNAME', 'pgcxm_ces_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ces_state(score integer, direction text) (SFUNC = ces_state_step, STYPE = ces_state,
    COMBINEFUNC = ces_state_combine, PARALLEL = SAFE);

CREATE FUNCTION ces_step(internal, score integer, direction text, scale_min integer, scale_max integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_ces_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ces(score integer, direction text, scale_min integer, scale_max integer) (SFUNC = ces_step, STYPE = internal, FINALFUNC = ces_final,
    COMBINEFUNC = ces_combine, SERIALFUNC = ces_serialize, DESERIALFUNC = ces_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION ces_state_step(ces_state, score integer, direction text, scale_min integer, scale_max integer) RETURNS ces_state
    AS 'MODULE_PATHNAME', 'pgcxm_ces_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ces_state(score integer, direction text, scale_min integer, scale_max integer) (SFUNC = ces_state_step, STYPE = ces_state,
    COMBINEFUNC = ces_state_combine, PARALLEL = SAFE);

CREATE FUNCTION ces_step(internal, score integer, direction text, scale_min integer, scale_max integer, threshold integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_ces_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ces(score integer, direction text, scale_min integer, scale_max integer, threshold integer) (SFUNC = ces_step, STYPE = internal, FINALFUNC = ces_final,
    COMBINEFUNC = ces_combine, SERIALFUNC = ces_serialize, DESERIALFUNC = ces_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION ces_state_step(ces_state, score integer, direction text, scale_min integer, scale_max integer, threshold integer) RETURNS ces_state
    AS 'MODULE_PATHNAME', 'pgcxm_ces_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ces_state(score integer, direction text, scale_min integer, scale_max integer, threshold integer) (SFUNC = ces_state_step, STYPE = ces_state,
    COMBINEFUNC = ces_state_combine, PARALLEL = SAFE);


-- ---- rates over booleans: rate(success) -> rate and Wilson interval ------------
CREATE FUNCTION rate_final(internal) RETURNS rate_result
    AS 'MODULE_PATHNAME', 'pgcxm_rate_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rate(rate_state, level float8 DEFAULT 0.95) RETURNS rate_result
    AS 'MODULE_PATHNAME', 'pgcxm_rate_result' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rate_step(internal, success boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_rate_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE rate(success boolean) (SFUNC = rate_step, STYPE = internal, FINALFUNC = rate_final,
    COMBINEFUNC = rate_combine, SERIALFUNC = rate_serialize, DESERIALFUNC = rate_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION rate_state_step(rate_state, success boolean) RETURNS rate_state
    AS 'MODULE_PATHNAME', 'pgcxm_rate_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE rate_state(success boolean) (SFUNC = rate_state_step, STYPE = rate_state,
    COMBINEFUNC = rate_state_combine, PARALLEL = SAFE);


-- ---- durations: duration(interval | seconds) -----------------------------------
CREATE FUNCTION duration_final(internal) RETURNS duration_result
    AS 'MODULE_PATHNAME', 'pgcxm_duration_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION duration(duration_state, level float8 DEFAULT 0.95) RETURNS duration_result
    AS 'MODULE_PATHNAME', 'pgcxm_duration_result' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION duration_step(internal, seconds float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_duration_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE duration(seconds float8) (SFUNC = duration_step, STYPE = internal, FINALFUNC = duration_final,
    COMBINEFUNC = duration_combine, SERIALFUNC = duration_serialize, DESERIALFUNC = duration_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION duration_state_step(duration_state, seconds float8) RETURNS duration_state
    AS 'MODULE_PATHNAME', 'pgcxm_duration_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE duration_state(seconds float8) (SFUNC = duration_state_step, STYPE = duration_state,
    COMBINEFUNC = duration_state_combine, PARALLEL = SAFE);

CREATE FUNCTION duration_step_interval(internal, elapsed interval) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_duration_step_interval' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE duration(elapsed interval) (SFUNC = duration_step_interval, STYPE = internal, FINALFUNC = duration_final,
    COMBINEFUNC = duration_combine, SERIALFUNC = duration_serialize, DESERIALFUNC = duration_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION duration_state_step_interval(duration_state, elapsed interval) RETURNS duration_state
    AS 'MODULE_PATHNAME', 'pgcxm_duration_state_step_interval' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE duration_state(elapsed interval) (SFUNC = duration_state_step_interval, STYPE = duration_state,
    COMBINEFUNC = duration_state_combine, PARALLEL = SAFE);

CREATE FUNCTION quantile(duration_state, q float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'pgcxm_duration_state_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;


-- ---- SLA compliance per priority under a policy given as JSON -----------------
-- policy: {"first_reply": [3600, 14400, 28800, 86400], "total_resolution": [...]},
-- targets in seconds per priority level (0 = most urgent; null = none), calendar time
-- unless "clock": "business" (all targets) or {"business": seconds} (one target).
-- A NULL `fulfilled` is a target still running at the transaction's start.
CREATE TYPE sla_result AS (priority integer, metric text, achieved bigint, breached bigint,
    active bigint, compliance_pct float8, ci_low float8, ci_high float8,
    lateness_mean float8, lateness_max float8);
CREATE FUNCTION sla_final(internal) RETURNS sla_result[]
    AS 'MODULE_PATHNAME', 'pgcxm_sla_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sla_compliance(sla_state, level float8 DEFAULT 0.95) RETURNS sla_result[]
    AS 'MODULE_PATHNAME', 'pgcxm_sla_result' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sla_step(internal, policy jsonb, priority integer, metric text, started timestamptz, fulfilled timestamptz) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_sla_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE sla_compliance(policy jsonb, priority integer, metric text, started timestamptz, fulfilled timestamptz) (SFUNC = sla_step, STYPE = internal, FINALFUNC = sla_final,
    COMBINEFUNC = sla_combine, SERIALFUNC = sla_serialize, DESERIALFUNC = sla_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION sla_state_step(sla_state, policy jsonb, priority integer, metric text, started timestamptz, fulfilled timestamptz) RETURNS sla_state
    AS 'MODULE_PATHNAME', 'pgcxm_sla_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE sla_compliance_state(policy jsonb, priority integer, metric text, started timestamptz, fulfilled timestamptz) (SFUNC = sla_state_step, STYPE = sla_state,
    COMBINEFUNC = sla_state_combine, PARALLEL = SAFE);
-- With a business-hours calendar (JSON: utc_offset, week, holidays, offset_changes), for
-- targets the policy counts in business hours ("clock": "business" or {"business": seconds}).
CREATE FUNCTION sla_step(internal, policy jsonb, calendar jsonb, priority integer, metric text, started timestamptz, fulfilled timestamptz) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_sla_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE sla_compliance(policy jsonb, calendar jsonb, priority integer, metric text, started timestamptz, fulfilled timestamptz) (SFUNC = sla_step, STYPE = internal, FINALFUNC = sla_final,
    COMBINEFUNC = sla_combine, SERIALFUNC = sla_serialize, DESERIALFUNC = sla_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION sla_state_step(sla_state, policy jsonb, calendar jsonb, priority integer, metric text, started timestamptz, fulfilled timestamptz) RETURNS sla_state
    AS 'MODULE_PATHNAME', 'pgcxm_sla_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE sla_compliance_state(policy jsonb, calendar jsonb, priority integer, metric text, started timestamptz, fulfilled timestamptz) (SFUNC = sla_state_step, STYPE = sla_state,
    COMBINEFUNC = sla_state_combine, PARALLEL = SAFE);


-- ---- the ticket roll-up over a row of ticket columns ---------------------------
-- fcr_profile: 'zendesk' (one-touch) or 'freshdesk'. Times in seconds. priority, channel,
-- topic and agent are ids from 0 (NULL: none); channels, topics and agents are counted
-- when the options give their capacity: '{"channels": 8, "topics": 32, "agents": 100}'.
-- The ticket's whole story (appended): nps, the transactional NPS answer 0-10 (NULL: none);
-- transfers between agents; handle_time, seconds of agent handling (AHT); unresolved,
-- closed without a resolution (not solved: no FCR trial, no resolution time).
CREATE TYPE cxm_ticket AS (created timestamptz, first_reply timestamptz,
    first_solved timestamptz, last_solved timestamptz, reopens integer,
    agent_replies integer, customer_replies integer, priority integer,
    self_service boolean, csat integer, ces integer, channel integer, topic integer,
    agent integer, nps integer, transfers integer, handle_time float8, unresolved boolean);
CREATE TYPE rollup_result AS (tickets bigint, solved bigint, open bigint, reopened bigint,
    fcr float8, fcr_ci_low float8, fcr_ci_high float8, reopen_rate float8, deflection float8,
    csat_mean float8, csat_satisfied_pct float8, ces_mean float8,
    first_reply_mean float8, first_reply_median float8, first_reply_p90 float8,
    mttr float8, resolution_median float8, resolution_p90 float8, fcr_profile text,
    unresolved bigint, unresolved_share float8, transferred bigint, transfer_rate float8,
    nps float8, aht float8, handle_time_median float8, handle_time_p90 float8);
CREATE FUNCTION rollup_final(internal) RETURNS rollup_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ticket_rollup(rollup_state, level float8 DEFAULT 0.95) RETURNS rollup_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_result' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_step(internal, ticket cxm_ticket, fcr_profile text) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ticket_rollup(ticket cxm_ticket, fcr_profile text) (SFUNC = rollup_step, STYPE = internal, FINALFUNC = rollup_final,
    COMBINEFUNC = rollup_combine, SERIALFUNC = rollup_serialize, DESERIALFUNC = rollup_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION rollup_state_step(rollup_state, ticket cxm_ticket, fcr_profile text) RETURNS rollup_state
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ticket_rollup_state(ticket cxm_ticket, fcr_profile text) (SFUNC = rollup_state_step, STYPE = rollup_state,
    COMBINEFUNC = rollup_state_combine, PARALLEL = SAFE);
-- With options: capacities per group kind (every agent a full group; "agent_kind":
-- "counts" keeps tickets and solved only), crosses of two dimensions whose cells are
-- groups, and for SLA figures per group a policy, the report instant and (business hours)
-- a calendar:
-- '{"channels": 4, "topics": 16, "priorities": 4, "agents": 50,
--   "crosses": [["channel", "priority"], ["agent", "channel"]],
--   "sla": {"first_reply": [3600, 14400, 28800, 86400]}, "as_of": 1704067200}'.
CREATE FUNCTION rollup_step(internal, ticket cxm_ticket, fcr_profile text, options jsonb) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ticket_rollup(ticket cxm_ticket, fcr_profile text, options jsonb) (SFUNC = rollup_step, STYPE = internal, FINALFUNC = rollup_final,
    COMBINEFUNC = rollup_combine, SERIALFUNC = rollup_serialize, DESERIALFUNC = rollup_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION rollup_state_step(rollup_state, ticket cxm_ticket, fcr_profile text, options jsonb) RETURNS rollup_state
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ticket_rollup_state(ticket cxm_ticket, fcr_profile text, options jsonb) (SFUNC = rollup_state_step, STYPE = rollup_state,
    COMBINEFUNC = rollup_state_combine, PARALLEL = SAFE);

-- Per group of one roll-up state: group 'overall', 'channel', 'topic', 'priority' or 'agent'
-- and its id; time 'first_reply', 'first_resolution', 'full_resolution' or 'handle_time'. One aggregate pass, then
-- a table per channel: SELECT c, (rollup_group(s, 'channel', c)).* FROM ..., generate_series(...) c.
CREATE FUNCTION rollup_group(rollup_state, grp text, id integer, level float8 DEFAULT 0.95)
    RETURNS rollup_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_group' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_time(rollup_state, grp text, id integer, time_name text)
    RETURNS duration_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_quantile(rollup_state, grp text, id integer, time_name text, q float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_csat(rollup_state, grp text, id integer, level float8 DEFAULT 0.95)
    RETURNS csat_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_csat' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_ces(rollup_state, grp text, id integer, level float8 DEFAULT 0.95)
    RETURNS ces_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_ces' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_sla(rollup_state, grp text, id integer, metric text,
    level float8 DEFAULT 0.95) RETURNS sla_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_sla' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_nps(rollup_state, grp text, id integer, level float8 DEFAULT 0.95)
    RETURNS nps_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_nps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- rate: 'fcr', 'reopen', 'deflection', 'unresolved' (unresolved / closed) or 'transfer'
-- (transferred at least once / tickets), with its Wilson interval.
CREATE FUNCTION rollup_rate(rollup_state, grp text, id integer, rate text,
    level float8 DEFAULT 0.95) RETURNS rate_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Resolution time with the open tickets censored at as_of (Kaplan-Meier; needs "open" in the
-- options): median (NULL while not reached) with its interval, next to the closed-only
-- mean and median; survival[i] = share not resolved times[i] seconds after creation.
CREATE TYPE rollup_survival_result AS (n bigint, resolved bigint, open bigint, median float8,
    median_ci_low float8, median_ci_high float8, survival_end float8, closed_mean float8,
    closed_median float8, open_share float8, oldest_open float8, survival float8[],
    level float8);
CREATE FUNCTION rollup_survival(rollup_state, grp text, id integer, as_of timestamptz,
    times float8[] DEFAULT '{}', level float8 DEFAULT 0.95) RETURNS rollup_survival_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_survival' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- A cell of a cross ("crosses" in the options): the same readers with two dimensions and
-- their ids in place of (grp, id), in either order, e.g. rollup_group(s, 'channel', 2,
-- 'priority', 0) for the options' cross ["channel", "priority"].
CREATE FUNCTION rollup_group(rollup_state, grp text, id integer, grp2 text, id2 integer,
    level float8 DEFAULT 0.95) RETURNS rollup_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_group_cell' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_time(rollup_state, grp text, id integer, grp2 text, id2 integer,
    time_name text) RETURNS duration_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_time_cell' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_quantile(rollup_state, grp text, id integer, grp2 text, id2 integer,
    time_name text, q float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_quantile_cell' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_csat(rollup_state, grp text, id integer, grp2 text, id2 integer,
    level float8 DEFAULT 0.95) RETURNS csat_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_csat_cell' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_ces(rollup_state, grp text, id integer, grp2 text, id2 integer,
    level float8 DEFAULT 0.95) RETURNS ces_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_ces_cell' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_sla(rollup_state, grp text, id integer, grp2 text, id2 integer,
    metric text, level float8 DEFAULT 0.95) RETURNS sla_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_sla_cell' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_nps(rollup_state, grp text, id integer, grp2 text, id2 integer,
    level float8 DEFAULT 0.95) RETURNS nps_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_nps_cell' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_rate(rollup_state, grp text, id integer, grp2 text, id2 integer,
    rate text, level float8 DEFAULT 0.95) RETURNS rate_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_rate_cell' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rollup_survival(rollup_state, grp text, id integer, grp2 text, id2 integer,
    as_of timestamptz, times float8[] DEFAULT '{}', level float8 DEFAULT 0.95)
    RETURNS rollup_survival_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_survival_cell' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Tickets and solved of one agent: the whole reader of a roll-up with "agent_kind": "counts".
CREATE TYPE rollup_agent_result AS (agent integer, tickets bigint, solved bigint);
CREATE FUNCTION rollup_agent(rollup_state, agent integer) RETURNS rollup_agent_result
    AS 'MODULE_PATHNAME', 'pgcxm_rollup_agent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;


-- ---- customer churn: one row per customer and period ---------------------------
-- MRR in minor units (cents); NULL flags are false, NULL MRR is 0.
CREATE TYPE churn_result AS (churn_rate float8, customers_start bigint, lost bigint,
    gained bigint, customers_end bigint, ci_low float8, ci_high float8, retention_rate float8,
    renewal_rate float8, gross_revenue_churn float8, net_revenue_retention float8);
CREATE FUNCTION churn_final(internal) RETURNS churn_result
    AS 'MODULE_PATHNAME', 'pgcxm_churn_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION customer_churn(churn_state, level float8 DEFAULT 0.95) RETURNS churn_result
    AS 'MODULE_PATHNAME', 'pgcxm_churn_result' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_step(internal, at_start boolean, at_end boolean, cancelled boolean, returning_customer boolean, due boolean, renewed boolean, mrr_start bigint, mrr_end bigint) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_churn_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE customer_churn(at_start boolean, at_end boolean, cancelled boolean, returning_customer boolean, due boolean, renewed boolean, mrr_start bigint, mrr_end bigint) (SFUNC = churn_step, STYPE = internal, FINALFUNC = churn_final,
    COMBINEFUNC = churn_combine, SERIALFUNC = churn_serialize, DESERIALFUNC = churn_deserialize,
    PARALLEL = SAFE);
CREATE FUNCTION churn_state_step(churn_state, at_start boolean, at_end boolean, cancelled boolean, returning_customer boolean, due boolean, renewed boolean, mrr_start bigint, mrr_end bigint) RETURNS churn_state
    AS 'MODULE_PATHNAME', 'pgcxm_churn_state_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE customer_churn_state(at_start boolean, at_end boolean, cancelled boolean, returning_customer boolean, due boolean, renewed boolean, mrr_start bigint, mrr_end bigint) (SFUNC = churn_state_step, STYPE = churn_state,
    COMBINEFUNC = churn_state_combine, PARALLEL = SAFE);


-- ---- period-over-period comparisons: A against B, diff = A - B -----------------
-- Means: Welch's t (scale points). Shares: pooled two-proportion z test with
-- Newcombe's interval (percentage points for CSAT/CES/SLA %, a share for rates).
CREATE TYPE comparison AS (figure text, test text, value_a float8, value_b float8, diff float8,
    ci_low float8, ci_high float8, p float8, significant boolean, se float8, statistic float8,
    df float8, n_a bigint, n_b bigint, level float8);
CREATE FUNCTION csat_compare(a csat_state, b csat_state, level float8 DEFAULT 0.95)
    RETURNS comparison
    AS 'MODULE_PATHNAME', 'pgcxm_csat_compare' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION csat_compare_satisfied(a csat_state, b csat_state, level float8 DEFAULT 0.95)
    RETURNS comparison
    AS 'MODULE_PATHNAME', 'pgcxm_csat_compare_satisfied' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ces_compare(a ces_state, b ces_state, level float8 DEFAULT 0.95)
    RETURNS comparison
    AS 'MODULE_PATHNAME', 'pgcxm_ces_compare' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ces_compare_easy(a ces_state, b ces_state, level float8 DEFAULT 0.95)
    RETURNS comparison
    AS 'MODULE_PATHNAME', 'pgcxm_ces_compare_easy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rate_compare(a rate_state, b rate_state, level float8 DEFAULT 0.95)
    RETURNS comparison
    AS 'MODULE_PATHNAME', 'pgcxm_rate_compare' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_compare(a churn_state, b churn_state, level float8 DEFAULT 0.95)
    RETURNS comparison
    AS 'MODULE_PATHNAME', 'pgcxm_churn_compare' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION renewal_compare(a churn_state, b churn_state, level float8 DEFAULT 0.95)
    RETURNS comparison
    AS 'MODULE_PATHNAME', 'pgcxm_renewal_compare' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sla_compare(a sla_state, b sla_state, metric text, priority integer DEFAULT NULL,
    level float8 DEFAULT 0.95) RETURNS comparison
    AS 'MODULE_PATHNAME', 'pgcxm_sla_compare' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- Share of durations at or below a threshold, from the sketch (error bounded, see README).
CREATE TYPE duration_share AS (share float8, n bigint, within float8, ci_low float8,
    ci_high float8, threshold float8);
CREATE FUNCTION share_within(duration_state, threshold float8, level float8 DEFAULT 0.95)
    RETURNS duration_share
    AS 'MODULE_PATHNAME', 'pgcxm_share_within' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION share_within(duration_state, threshold interval, level float8 DEFAULT 0.95)
    RETURNS duration_share
    AS 'SELECT share_within($1, extract(epoch FROM $2)::float8, $3)'
    LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE;
-- Change of the median duration with a distribution-free interval (no p-value: see README).
CREATE TYPE duration_comparison AS (median_a float8, median_b float8, diff float8,
    ci_low float8, ci_high float8, significant boolean, n_a bigint, n_b bigint, level float8);
CREATE FUNCTION duration_compare(a duration_state, b duration_state, level float8 DEFAULT 0.95)
    RETURNS duration_comparison
    AS 'MODULE_PATHNAME', 'pgcxm_duration_compare' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- ---- fast forms with a parameter: any quantile, share within a threshold ------
-- The parameter is the same on every row of a group (an error otherwise).
CREATE FUNCTION duration_param_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pgcxm_param_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION duration_param_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_param_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION duration_quantile_final(internal) RETURNS float8
    AS 'MODULE_PATHNAME', 'pgcxm_quantile_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION duration_share_final(internal) RETURNS duration_share
    AS 'MODULE_PATHNAME', 'pgcxm_share_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION quantile_step(internal, seconds float8, q float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_quantile_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE duration_quantile(seconds float8, q float8) (SFUNC = quantile_step, STYPE = internal, FINALFUNC = duration_quantile_final,
    COMBINEFUNC = duration_combine, SERIALFUNC = duration_param_serialize,
    DESERIALFUNC = duration_param_deserialize, PARALLEL = SAFE);
CREATE FUNCTION quantile_step_interval(internal, elapsed interval, q float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_quantile_step_interval' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE duration_quantile(elapsed interval, q float8) (SFUNC = quantile_step_interval, STYPE = internal, FINALFUNC = duration_quantile_final,
    COMBINEFUNC = duration_combine, SERIALFUNC = duration_param_serialize,
    DESERIALFUNC = duration_param_deserialize, PARALLEL = SAFE);
CREATE FUNCTION share_step(internal, seconds float8, threshold float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_share_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE duration_share_within(seconds float8, threshold float8) (SFUNC = share_step, STYPE = internal, FINALFUNC = duration_share_final,
    COMBINEFUNC = duration_combine, SERIALFUNC = duration_param_serialize,
    DESERIALFUNC = duration_param_deserialize, PARALLEL = SAFE);
CREATE FUNCTION share_step_interval(internal, elapsed interval, threshold interval) RETURNS internal
    AS 'MODULE_PATHNAME', 'pgcxm_share_step_interval' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE duration_share_within(elapsed interval, threshold interval) (SFUNC = share_step_interval, STYPE = internal, FINALFUNC = duration_share_final,
    COMBINEFUNC = duration_combine, SERIALFUNC = duration_param_serialize,
    DESERIALFUNC = duration_param_deserialize, PARALLEL = SAFE);