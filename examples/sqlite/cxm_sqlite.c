/*
 * cxm_sqlite — cxm's NPS as SQLite aggregate functions, the way a database
 * runs it: one accumulator per group, partial states as blobs (cxm's
 * encoding) that merge across partitions.
 *
 *   .load ./cxm_sqlite
 *   SELECT channel, nps('transactional', score) FROM answers GROUP BY channel;
 *   -- partial states, merged later (per shard, per day, ...):
 *   SELECT nps_value(nps_merge(state)) FROM (
 *       SELECT nps_state('transactional', score) AS state FROM answers GROUP BY day);
 *
 * A group mixing kinds is an error, not a blended number.
 */
#include <sqlite3ext.h>
#include <string.h>

#include <cxm.h>

SQLITE_EXTENSION_INIT1

static int kind_of(const unsigned char *s)
{
    if (!s) return 0;
    if (strcmp((const char *)s, "relational") == 0) return CXM_NPS_RELATIONAL;
    if (strcmp((const char *)s, "transactional") == 0) return CXM_NPS_TRANSACTIONAL;
    if (strcmp((const char *)s, "competitive") == 0) return CXM_NPS_COMPETITIVE;
    return 0;
}

typedef struct agg {
    cxm_nps *nps;
    int failed;
} agg;

static void fail(sqlite3_context *ctx, agg *a, const char *what, cxm_status st)
{
    char msg[160];
    sqlite3_snprintf(sizeof msg, msg, "%s: %s", what, cxm_status_str(st));
    sqlite3_result_error(ctx, msg, -1);
    a->failed = 1;
}

/* Step of nps(kind, score) and nps_state(kind, score). */
static void nps_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    agg *a = sqlite3_aggregate_context(ctx, sizeof *a);
    if (!a || a->failed) return;
    int kind = kind_of(sqlite3_value_text(argv[0]));
    if (!kind) {
        fail(ctx, a, "nps kind must be relational, transactional or competitive",
             CXM_INVALID_ARGUMENT);
        return;
    }
    cxm_status st = CXM_OK;
    if (!a->nps) st = cxm_nps_new((uint32_t)kind, 0, NULL, &a->nps);
    uint32_t have, brand;
    if (st == CXM_OK && (st = cxm_nps_identity(a->nps, &have, &brand)) == CXM_OK &&
        have != (uint32_t)kind) {
        fail(ctx, a, "NPS kinds are never blended in one group", CXM_KIND_MISMATCH);
        return;
    }
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return; /* SQL aggregates skip NULLs */
    if (st == CXM_OK) st = cxm_nps_add(a->nps, sqlite3_value_int(argv[1]));
    if (st != CXM_OK) fail(ctx, a, "nps", st);
}

/* Step of nps_merge(state): partial states from any partition. */
static void merge_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    agg *a = sqlite3_aggregate_context(ctx, sizeof *a);
    if (!a || a->failed || sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
    cxm_nps *part = NULL;
    cxm_status st = cxm_nps_decode(sqlite3_value_blob(argv[0]),
                                   (size_t)sqlite3_value_bytes(argv[0]), NULL, &part);
    if (st == CXM_OK && !a->nps)
        st = cxm_nps_clone(part, NULL, &a->nps);
    else if (st == CXM_OK)
        st = cxm_nps_merge(a->nps, part);
    cxm_nps_free(part);
    if (st != CXM_OK) fail(ctx, a, "nps_merge", st);
}

static void result_value(sqlite3_context *ctx, const cxm_nps *n)
{
    cxm_nps_result r = {.size = sizeof r};
    cxm_status st = n ? cxm_nps_result_get(n, 0.95, CXM_NPS_ADJUSTED_WALD, &r) : CXM_EMPTY;
    if (st == CXM_EMPTY)
        sqlite3_result_null(ctx); /* no answers: no score, as SQL's AVG */
    else if (st != CXM_OK)
        sqlite3_result_error(ctx, cxm_status_str(st), -1);
    else
        sqlite3_result_double(ctx, r.nps);
}

static void result_blob(sqlite3_context *ctx, const cxm_nps *n)
{
    if (!n) {
        sqlite3_result_null(ctx);
        return;
    }
    size_t len = 0;
    if (cxm_nps_encode(n, NULL, 0, &len) != CXM_BUFFER_TOO_SMALL) { /* asks for the size */
        sqlite3_result_error(ctx, "nps_state: cannot size the state", -1);
        return;
    }
    uint8_t *buf = sqlite3_malloc64(len);
    if (!buf) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    cxm_status st = cxm_nps_encode(n, buf, len, &len);
    if (st != CXM_OK) {
        sqlite3_free(buf);
        sqlite3_result_error(ctx, cxm_status_str(st), -1);
        return;
    }
    sqlite3_result_blob(ctx, buf, (int)len, sqlite3_free);
}

static void finish(sqlite3_context *ctx, int as_blob)
{
    agg *a = sqlite3_aggregate_context(ctx, 0);
    if (a && a->failed) {
        cxm_nps_free(a->nps);
        return; /* the error is already set */
    }
    cxm_nps *n = a ? a->nps : NULL;
    if (as_blob)
        result_blob(ctx, n);
    else
        result_value(ctx, n);
    cxm_nps_free(n);
}

static void final_value(sqlite3_context *ctx)
{
    finish(ctx, 0);
}
static void final_blob(sqlite3_context *ctx)
{
    finish(ctx, 1);
}

/* nps_value(state): the score of an encoded state. */
static void value_of_blob(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    cxm_nps *n = NULL;
    cxm_status st =
        cxm_nps_decode(sqlite3_value_blob(argv[0]), (size_t)sqlite3_value_bytes(argv[0]), NULL, &n);
    if (st != CXM_OK) {
        sqlite3_result_error(ctx, cxm_status_str(st), -1);
        return;
    }
    result_value(ctx, n);
    cxm_nps_free(n);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
    int sqlite3_cxmsqlite_init(sqlite3 *db, char **err, const sqlite3_api_routines *api);

int sqlite3_cxmsqlite_init(sqlite3 *db, char **err, const sqlite3_api_routines *api)
{
    (void)err;
    SQLITE_EXTENSION_INIT2(api);
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    int rc = sqlite3_create_function(db, "nps", 2, flags, NULL, NULL, nps_step, final_value);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "nps_state", 2, flags, NULL, NULL, nps_step, final_blob);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "nps_merge", 1, flags, NULL, NULL, merge_step, final_blob);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "nps_value", 1, flags, NULL, value_of_blob, NULL, NULL);
    return rc;
}
