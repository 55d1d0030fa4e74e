/*
 * cxm_sqlite — cxm's accumulators as SQLite functions, with the names and
 * arguments of the PostgreSQL extension (extensions/postgresql).
 *
 *   .load ./cxm_sqlite
 *   SELECT channel, nps(score, 'transactional') ->> 'nps' FROM answers GROUP BY channel;
 *   -- states per day as blobs (cxm's encoding), merged later into weeks:
 *   SELECT result(merge(state)) FROM daily GROUP BY week;
 *
 * Every figure comes from the library: aggregates return the library's
 * result as a JSON object (read one figure with ->> '$.name'), the *_state
 * aggregates return the encoded accumulator as a BLOB, merge() merges blobs
 * of any family and result() reads one back. Bad input (a score off the
 * scale, an unknown kind, two NPS kinds in one group, corrupt blobs) is an
 * SQL error naming what was refused.
 */
#include <sqlite3ext.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cxm.h>

#include "cxm_family.h"
#include "cxm_json.h"

SQLITE_EXTENSION_INIT1

/* ---- allocation: sqlite3_malloc, aligned as cxm wants (16 bytes) ------------------- */

static void *sq_alloc(void *opaque, size_t bytes)
{
    (void)opaque;
    char *raw = sqlite3_malloc64(bytes + CXM_ALIGNMENT);
    if (!raw) return NULL;
    uintptr_t p =
        ((uintptr_t)raw + sizeof(void *) + CXM_ALIGNMENT - 1) & ~(uintptr_t)(CXM_ALIGNMENT - 1);
    ((void **)p)[-1] = raw;
    return (void *)p;
}

static void sq_free(void *opaque, void *ptr)
{
    (void)opaque;
    sqlite3_free(((void **)ptr)[-1]);
}

static const cxm_allocator sq_allocator = {sizeof(cxm_allocator), 0, sq_alloc, sq_free, NULL};

/* ---- families ------------------------------------------------------------------------- */

#define SQ_FAMILY(fam, ID) FAMILY(fam, ID);
EXT_FAMILIES(SQ_FAMILY)

#define SQ_FAMILY_REF(fam, ID) &fam_##fam,
static const family *const families[] = {EXT_FAMILIES(SQ_FAMILY_REF)};

static const family *family_of(uint32_t id)
{
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
        if (families[i]->id == id) return families[i];
    return NULL;
}

/* ---- errors ----------------------------------------------------------------------------- */

/* Sets the error and returns 1 when st is not CXM_OK. */
static int failed(sqlite3_context *ctx, cxm_status st, const char *what)
{
    if (st == CXM_OK) return 0;
    char *msg = sqlite3_mprintf("%s: %s", what, cxm_status_str(st));
    sqlite3_result_error(ctx, msg ? msg : what, -1);
    sqlite3_free(msg);
    return 1;
}

static void error_fmt(sqlite3_context *ctx, const char *fmt, const char *arg)
{
    char *msg = sqlite3_mprintf(fmt, arg);
    sqlite3_result_error(ctx, msg ? msg : fmt, -1);
    sqlite3_free(msg);
}

/* ---- aggregate states ------------------------------------------------------------------ */

/* One accumulator per group, what its creation asked for, and the helper a family needs. */
typedef struct box {
    const family *f;
    void *obj;
    int failed;
    int32_t cfg[4];
    cxm_sla_policy *policy;
    char *policy_text;
    cxm_calendar *cal; /* the SLA's (or the roll-up's) business-hours calendar */
    char *cal_text;    /* the calendar's text, or the roll-up's options: later rows must match */
} box;

static box *box_get(sqlite3_context *ctx, const family *f)
{
    box *b = sqlite3_aggregate_context(ctx, sizeof(box));
    if (!b) {
        sqlite3_result_error_nomem(ctx);
        return NULL;
    }
    if (!b->f) b->f = f;
    return b->failed ? NULL : b;
}

static void box_fail(sqlite3_context *ctx, box *b, cxm_status st, const char *what)
{
    if (failed(ctx, st, what)) b->failed = 1;
}

static void box_release(box *b)
{
    if (!b) return;
    if (b->obj) b->f->destroy(b->obj);
    cxm_sla_policy_free(b->policy);
    sqlite3_free(b->policy_text);
    cxm_calendar_free(b->cal);
    sqlite3_free(b->cal_text);
    b->obj = NULL;
    b->policy = NULL;
    b->policy_text = NULL;
    b->cal = NULL;
    b->cal_text = NULL;
}

static void result_blob(sqlite3_context *ctx, const family *f, const void *obj)
{
    size_t len = 0;
    cxm_status st = f->encode(obj, NULL, 0, &len);
    if (st != CXM_BUFFER_TOO_SMALL && failed(ctx, st, "encoding a state")) return;
    uint8_t *buf = sqlite3_malloc64(len ? len : 1);
    if (!buf) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    st = f->encode(obj, buf, len, &len);
    if (failed(ctx, st, "encoding a state")) {
        sqlite3_free(buf);
        return;
    }
    sqlite3_result_blob64(ctx, buf, len, sqlite3_free);
}

/* Decodes a blob argument of family f (any family if f is NULL); sets the error on failure. */
static void *blob_arg(sqlite3_context *ctx, sqlite3_value *v, const family **f)
{
    const uint8_t *buf = sqlite3_value_blob(v);
    size_t len = (size_t)sqlite3_value_bytes(v);
    uint32_t fam = 0, version = 0;
    cxm_status st = cxm_encoded_info(buf, len, &fam, &version);
    if (failed(ctx, st, "reading a state")) return NULL;
    const family *have = family_of(fam);
    if (!have || (*f && have != *f)) {
        sqlite3_result_error(ctx, "reading a state: these bytes hold another family", -1);
        return NULL;
    }
    *f = have;
    void *obj = NULL;
    if (failed(ctx, have->decode(buf, len, &sq_allocator, &obj), "reading a state")) return NULL;
    return obj;
}

/* ---- JSON results -------------------------------------------------------------------- */

typedef struct json {
    sqlite3_str *s;
    int first;
} json;

static void j_open(json *j, sqlite3_context *ctx, char c)
{
    j->s = sqlite3_str_new(sqlite3_context_db_handle(ctx));
    j->first = 1;
    sqlite3_str_appendchar(j->s, 1, c);
}

static void j_key(json *j, const char *k)
{
    if (!j->first) sqlite3_str_appendchar(j->s, 1, ',');
    j->first = 0;
    if (k) sqlite3_str_appendf(j->s, "\"%s\":", k);
}

static void j_num(json *j, const char *k, double v, int has)
{
    j_key(j, k);
    if (has && isfinite(v))
        sqlite3_str_appendf(j->s, "%!.15g", v);
    else
        sqlite3_str_appendall(j->s, "null");
}

static void j_int(json *j, const char *k, uint64_t v)
{
    j_key(j, k);
    sqlite3_str_appendf(j->s, "%llu", (unsigned long long)v);
}

static void j_text(json *j, const char *k, const char *v)
{
    j_key(j, k);
    sqlite3_str_appendf(j->s, "\"%w\"", v);
}

static void j_bool(json *j, const char *k, int v)
{
    j_key(j, k);
    sqlite3_str_appendall(j->s, v ? "true" : "false");
}

/* The text built so far becomes the function's result. */
static void j_result(json *j, sqlite3_context *ctx)
{
    int n = sqlite3_str_length(j->s);
    char *text = sqlite3_str_finish(j->s);
    if (!text) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    sqlite3_result_text(ctx, text, n, sqlite3_free);
}

static void j_close(json *j, sqlite3_context *ctx, char c)
{
    sqlite3_str_appendchar(j->s, 1, c);
    j_result(j, ctx);
}

/* CXM_EMPTY is "no value" (null figures); any other failure is raised. */
static int value_of(sqlite3_context *ctx, cxm_status st, const char *what, int *has)
{
    *has = st == CXM_OK;
    return st == CXM_OK || st == CXM_EMPTY ? 0 : failed(ctx, st, what);
}

static double level_or_default(double level)
{
    return level > 0 ? level : CXM_DEFAULT_LEVEL;
}

static void nps_result_json(sqlite3_context *ctx, const cxm_nps_result *res, int v, double level)
{
    const cxm_nps_result r = *res;
    json j;
    j_open(&j, ctx, '{');
    j_num(&j, "nps", r.nps, v);
    j_int(&j, "n", r.n);
    j_int(&j, "promoters", r.promoters);
    j_int(&j, "passives", r.passives);
    j_int(&j, "detractors", r.detractors);
    j_num(&j, "ci_low", r.ci.lower, v);
    j_num(&j, "ci_high", r.ci.upper, v);
    j_num(&j, "level", level_or_default(level), 1);
    j_text(&j, "kind", ext_nps_kind_name(r.kind));
    j_close(&j, ctx, '}');
}

static void nps_json(sqlite3_context *ctx, const cxm_nps *n, double level)
{
    cxm_nps_result r = {.size = sizeof r};
    int v;
    if (!value_of(ctx, cxm_nps_result_get(n, level, CXM_NPS_ADJUSTED_WALD, &r), "nps", &v))
        nps_result_json(ctx, &r, v, level);
}

static void panel_json(sqlite3_context *ctx, const cxm_nps_panel *p, double level)
{
    uint32_t count, capacity;
    if (failed(ctx, cxm_nps_panel_brands(p, &count, &capacity), "nps_gaps")) return;
    json j;
    j_open(&j, ctx, '[');
    for (uint32_t i = 0; i < count; i++) {
        cxm_nps_gap g = {.size = sizeof g};
        int v;
        if (value_of(ctx, cxm_nps_panel_gap(p, i, level, CXM_NPS_ADJUSTED_WALD, &g), "nps_gaps",
                     &v)) {
            sqlite3_free(sqlite3_str_finish(j.s));
            return;
        }
        j_key(&j, NULL);
        sqlite3_str_appendchar(j.s, 1, '{');
        json row = {j.s, 1};
        j_int(&row, "brand", g.brand);
        j_int(&row, "n_ours", g.n_ours);
        j_int(&row, "n_theirs", g.n_theirs);
        j_num(&row, "nps_ours", g.nps_ours, g.n_ours > 0);
        j_num(&row, "nps_theirs", g.nps_theirs, g.n_theirs > 0);
        j_num(&row, "gap", g.gap, v);
        j_num(&row, "p", g.p, v);
        j_num(&row, "ci_low", g.ci.lower, v);
        j_num(&row, "ci_high", g.ci.upper, v);
        j_bool(&row, "significant", v && g.significant);
        sqlite3_str_appendchar(j.s, 1, '}');
    }
    j_close(&j, ctx, ']');
}

static void scale_json(json *j, const char *share_name, uint64_t k, double mean, double sd,
                       double median, double share, cxm_interval share_ci, cxm_interval mean_ci,
                       uint64_t n, int v, double level)
{
    j_num(j, "mean", mean, v);
    j_int(j, "n", n);
    j_int(j, share_name, k);
    char key[32];
    sqlite3_snprintf(sizeof key, key, "%s_pct", share_name);
    j_num(j, key, share, v);
    j_num(j, "ci_low", share_ci.lower, v);
    j_num(j, "ci_high", share_ci.upper, v);
    j_num(j, "mean_ci_low", mean_ci.lower, v);
    j_num(j, "mean_ci_high", mean_ci.upper, v);
    j_num(j, "sd", sd, v);
    j_num(j, "median", median, v);
    j_num(j, "level", level_or_default(level), 1);
}

static void csat_result_json(sqlite3_context *ctx, const cxm_csat_result *r, int v, double level)
{
    json j;
    j_open(&j, ctx, '{');
    scale_json(&j, "satisfied", r->satisfied, r->mean, r->sd, r->median, r->satisfied_pct,
               r->satisfied_ci, r->mean_ci, r->n, v, level);
    char scale[64];
    sqlite3_snprintf(sizeof scale, scale, "%d-%d, satisfied >= %d", r->scale_min, r->scale_max,
                     r->threshold);
    j_text(&j, "scale", scale);
    j_close(&j, ctx, '}');
}

static void csat_json(sqlite3_context *ctx, const cxm_csat *c, double level)
{
    cxm_csat_result r = {.size = sizeof r};
    int v;
    if (!value_of(ctx, cxm_csat_result_get(c, level, &r), "csat", &v))
        csat_result_json(ctx, &r, v, level);
}

static void ces_result_json(sqlite3_context *ctx, const cxm_ces_result *r, int v, double level)
{
    json j;
    j_open(&j, ctx, '{');
    scale_json(&j, "easy", r->easy, r->mean, r->sd, r->median, r->easy_pct, r->easy_ci, r->mean_ci,
               r->n, v, level);
    j_num(&j, "ces_index", r->index, v && r->index_defined);
    int effort = r->direction == CXM_CES_HIGHER_IS_EFFORT;
    char scale[80];
    sqlite3_snprintf(sizeof scale, scale, "%d-%d, higher is %s, easy %s %d", r->scale_min,
                     r->scale_max, effort ? "effort" : "easier",
                     effort ? "<=" : ">=", r->threshold);
    j_text(&j, "scale", scale);
    j_close(&j, ctx, '}');
}

static void ces_json(sqlite3_context *ctx, const cxm_ces *c, double level)
{
    cxm_ces_result r = {.size = sizeof r};
    int v;
    if (!value_of(ctx, cxm_ces_result_get(c, level, &r), "ces", &v))
        ces_result_json(ctx, &r, v, level);
}

static void rate_result_json(sqlite3_context *ctx, const cxm_rate_result *res, int v, double level)
{
    const cxm_rate_result r = *res;
    json j;
    j_open(&j, ctx, '{');
    j_num(&j, "rate", r.rate, v);
    j_int(&j, "successes", r.successes);
    j_int(&j, "trials", r.trials);
    j_num(&j, "ci_low", r.ci.lower, v);
    j_num(&j, "ci_high", r.ci.upper, v);
    j_num(&j, "level", level_or_default(level), 1);
    j_close(&j, ctx, '}');
}

static void rate_json(sqlite3_context *ctx, const cxm_rate *rt, double level)
{
    cxm_rate_result r = {.size = sizeof r};
    int v;
    if (!value_of(ctx, cxm_rate_result_get(rt, level, &r), "rate", &v))
        rate_result_json(ctx, &r, v, level);
}

static void duration_result_json(sqlite3_context *ctx, const cxm_duration_result *r, int v)
{
    json j;
    j_open(&j, ctx, '{');
    j_int(&j, "n", r->n);
    j_num(&j, "mean", r->mean, v);
    j_num(&j, "median", r->median, v);
    j_num(&j, "p90", r->p90, v);
    j_num(&j, "p99", r->p99, v);
    j_num(&j, "min", r->min, v);
    j_num(&j, "max", r->max, v);
    j_num(&j, "sd", r->sd, v);
    j_num(&j, "sum", r->sum, v);
    j_close(&j, ctx, '}');
}

static void duration_json(sqlite3_context *ctx, const cxm_duration *d, double level)
{
    cxm_duration_result r = {.size = sizeof r};
    int v;
    if (!value_of(ctx, cxm_duration_result_get(d, level, &r), "duration", &v))
        duration_result_json(ctx, &r, v);
}

/* One object of sla_result, appended to `j`. */
static void sla_row_json(json *j, uint32_t p, uint32_t m, const cxm_sla_result *r, int v)
{
    sqlite3_str_appendchar(j->s, 1, '{');
    json row = {j->s, 1};
    if (p == CXM_SLA_ALL_PRIORITIES)
        j_num(&row, "priority", 0, 0);
    else
        j_int(&row, "priority", p);
    j_text(&row, "metric", ext_sla_metric_names[m]);
    j_int(&row, "achieved", r->achieved);
    j_int(&row, "breached", r->breached);
    j_int(&row, "active", r->active);
    j_num(&row, "compliance_pct", r->compliance_pct, v);
    j_num(&row, "ci_low", r->ci.lower, v);
    j_num(&row, "ci_high", r->ci.upper, v);
    j_num(&row, "lateness_mean", r->lateness_mean, r->breached > 0);
    j_num(&row, "lateness_max", r->lateness_max, r->breached > 0);
    sqlite3_str_appendchar(j->s, 1, '}');
}

static void sla_json(sqlite3_context *ctx, const cxm_sla *s, double level)
{
    uint32_t levels;
    if (failed(ctx, cxm_sla_levels(s, &levels), "sla_compliance")) return;
    json j;
    j_open(&j, ctx, '[');
    for (uint32_t m = 0; m < CXM_SLA_METRIC_COUNT; m++) {
        for (uint32_t i = 0; i <= levels; i++) {
            uint32_t p = i < levels ? i : CXM_SLA_ALL_PRIORITIES;
            cxm_sla_result r = {.size = sizeof r};
            int v;
            if (value_of(ctx, cxm_sla_result_get(s, p, m, level, &r), "sla_compliance", &v)) {
                sqlite3_free(sqlite3_str_finish(j.s));
                return;
            }
            if (r.achieved + r.breached + r.active == 0) continue;
            j_key(&j, NULL);
            sla_row_json(&j, p, m, &r, v);
        }
    }
    j_close(&j, ctx, ']');
}

static int time_json(sqlite3_context *ctx, json *j, const cxm_rollup *ru, uint32_t group,
                     uint32_t id, uint32_t time, const char *mean, const char *median,
                     const char *p90)
{
    cxm_rollup_time_result t = {.size = sizeof t};
    int v = 0;
    /* A state stored before handle time was kept has none: null, not an error. */
    if (ext_rollup_keeps(ru, time) &&
        value_of(ctx, cxm_rollup_time_get(ru, group, id, time, &t), "ticket_rollup", &v))
        return 1;
    j_num(j, mean, t.mean, v);
    j_num(j, median, t.median, v);
    j_num(j, p90, t.p90, v);
    return 0;
}

/* The figures of one group of the roll-up (the overall group: every ticket). */
static void rollup_group_json(sqlite3_context *ctx, const cxm_rollup *ru, uint32_t group,
                              uint32_t id, double level)
{
    cxm_rollup_result r = {.size = sizeof r};
    cxm_csat_result cs = {.size = sizeof cs};
    cxm_ces_result ce = {.size = sizeof ce};
    cxm_nps_result np = {.size = sizeof np};
    int v, csv, cev, npv;
    if (value_of(ctx, cxm_rollup_result_get(ru, group, id, level, &r), "ticket_rollup", &v) ||
        value_of(ctx, cxm_rollup_csat_get(ru, group, id, level, &cs), "ticket_rollup", &csv) ||
        value_of(ctx, cxm_rollup_ces_get(ru, group, id, level, &ce), "ticket_rollup", &cev) ||
        value_of(ctx, cxm_rollup_nps_get(ru, group, id, level, CXM_NPS_ADJUSTED_WALD, &np),
                 "ticket_rollup", &npv))
        return;
    json j;
    j_open(&j, ctx, '{');
    j_int(&j, "tickets", r.tickets);
    j_int(&j, "solved", r.solved);
    j_int(&j, "open", r.open);
    j_int(&j, "reopened", r.reopened);
    j_num(&j, "fcr", r.fcr.rate, r.has_fcr != 0);
    j_num(&j, "fcr_ci_low", r.fcr.ci.lower, r.has_fcr != 0);
    j_num(&j, "fcr_ci_high", r.fcr.ci.upper, r.has_fcr != 0);
    j_num(&j, "reopen_rate", r.reopen.rate, r.has_reopen != 0);
    j_num(&j, "deflection", r.deflection.rate, r.has_deflection != 0);
    j_num(&j, "csat_mean", cs.mean, csv);
    j_num(&j, "csat_satisfied_pct", cs.satisfied_pct, csv);
    j_num(&j, "ces_mean", ce.mean, cev);
    if (time_json(ctx, &j, ru, group, id, CXM_ROLLUP_FIRST_REPLY, "first_reply_mean",
                  "first_reply_median", "first_reply_p90") ||
        time_json(ctx, &j, ru, group, id, CXM_ROLLUP_FULL_RESOLUTION, "mttr", "resolution_median",
                  "resolution_p90")) {
        sqlite3_free(sqlite3_str_finish(j.s));
        return;
    }
    j_text(&j, "fcr_profile", cxm_fcr_profile_str(r.fcr_profile));
    j_int(&j, "unresolved", r.unresolved);
    j_num(&j, "unresolved_share", r.unresolved_share.rate, r.has_unresolved_share != 0);
    j_int(&j, "transferred", r.transferred);
    j_num(&j, "transfer_rate", r.transfer_rate.rate, r.has_transfer_rate != 0);
    j_num(&j, "nps", np.nps, npv);
    if (time_json(ctx, &j, ru, group, id, CXM_ROLLUP_HANDLE_TIME, "aht", "handle_time_median",
                  "handle_time_p90")) {
        sqlite3_free(sqlite3_str_finish(j.s));
        return;
    }
    j_close(&j, ctx, '}');
}

static void rollup_json(sqlite3_context *ctx, const cxm_rollup *ru, double level)
{
    rollup_group_json(ctx, ru, CXM_ROLLUP_OVERALL, 0, level);
}

static void churn_json(sqlite3_context *ctx, const cxm_churn *c, double level)
{
    cxm_churn_customer_result r = {.size = sizeof r};
    cxm_churn_renewal_result rn = {.size = sizeof rn};
    cxm_churn_revenue_result m = {.size = sizeof m};
    int v, rv, mv;
    if (value_of(ctx, cxm_churn_customer_result_get(c, level, &r), "customer_churn", &v) ||
        value_of(ctx, cxm_churn_renewal_result_get(c, level, &rn), "customer_churn", &rv) ||
        value_of(ctx, cxm_churn_revenue_result_get(c, &m), "customer_churn", &mv))
        return;
    json j;
    j_open(&j, ctx, '{');
    j_num(&j, "churn_rate", r.churn_rate, v);
    j_int(&j, "customers_start", r.customers_start);
    j_int(&j, "lost", r.lost);
    j_int(&j, "gained", r.gained);
    j_int(&j, "customers_end", r.customers_end);
    j_num(&j, "ci_low", r.churn_ci.lower, v);
    j_num(&j, "ci_high", r.churn_ci.upper, v);
    j_num(&j, "retention_rate", r.retention_rate, v);
    j_num(&j, "renewal_rate", rn.renewal_rate, rv);
    j_num(&j, "gross_revenue_churn", m.gross_revenue_churn, mv);
    j_num(&j, "net_revenue_retention", m.net_revenue_retention, mv);
    j_close(&j, ctx, '}');
}

/* The JSON result of any family's accumulator. */
static void any_json(sqlite3_context *ctx, const family *f, const void *obj, double level)
{
    switch (f->id) {
    case CXM_FAMILY_NPS: nps_json(ctx, obj, level); break;
    case CXM_FAMILY_NPS_PANEL: panel_json(ctx, obj, level); break;
    case CXM_FAMILY_CSAT: csat_json(ctx, obj, level); break;
    case CXM_FAMILY_CES: ces_json(ctx, obj, level); break;
    case CXM_FAMILY_RATE: rate_json(ctx, obj, level); break;
    case CXM_FAMILY_DURATION: duration_json(ctx, obj, level); break;
    case CXM_FAMILY_SLA: sla_json(ctx, obj, level); break;
    case CXM_FAMILY_ROLLUP: rollup_json(ctx, obj, level); break;
    case CXM_FAMILY_CHURN: churn_json(ctx, obj, level); break;
    default: sqlite3_result_error(ctx, "result: unknown family", -1);
    }
}

/* ---- the final step, shared by every aggregate ------------------------------------ */

/* The step functions' user data says which family; the final function whether JSON or a blob. */
static void final_common(sqlite3_context *ctx, int as_blob)
{
    box *b = sqlite3_aggregate_context(ctx, 0);
    if (b && b->failed) {
        box_release(b);
        return; /* the error is already set */
    }
    if (!b || !b->obj)
        sqlite3_result_null(ctx); /* no rows: no state, no figures, as SQL's AVG */
    else if (as_blob)
        result_blob(ctx, b->f, b->obj);
    else
        any_json(ctx, b->f, b->obj, 0.0);
    box_release(b);
}

static void final_json(sqlite3_context *ctx)
{
    final_common(ctx, 0);
}
static void final_blob(sqlite3_context *ctx)
{
    final_common(ctx, 1);
}

/* ---- steps ------------------------------------------------------------------------------- */

static int is_null(sqlite3_value *v)
{
    return sqlite3_value_type(v) == SQLITE_NULL;
}

static uint32_t nps_kind_of(const unsigned char *s)
{
    uint32_t k = s ? ext_name_index(ext_nps_kind_names, CXM_NPS_RELATIONAL, (const char *)s,
                                    strlen((const char *)s))
                   : 0;
    return k == 0xFFFFFFFFu ? 0 : k;
}

/*
 * A number argument: an integer, a real, or text that reads as one (a CSV
 * imported without column types). Other text - '2024-03-04 09:00', 'n/a' -
 * or a blob is an error naming the argument, never the number
 * sqlite3_value_int64 makes of its leading digits (2024) or of nothing (0).
 * `whole`: a real with a fraction (9.5) is refused too, not truncated.
 */
static int number_ok(sqlite3_context *ctx, box *b, sqlite3_value *v, const char *what, int whole)
{
    int t = sqlite3_value_numeric_type(v);
    if (t == SQLITE_NULL || t == SQLITE_INTEGER) return 1;
    if (t == SQLITE_FLOAT) {
        double d = sqlite3_value_double(v);
        if (!whole || (d > -9.2e18 && d < 9.2e18 && (double)(sqlite3_int64)d == d)) return 1;
    }
    char *msg = sqlite3_mprintf("%s: '%s' is not a %s%s", what, sqlite3_value_text(v),
                                whole ? "whole number" : "number",
                                strstr(what, " time") ? " (times are Unix seconds, e.g. "
                                                        "unixepoch(t) or strftime('%s', t))"
                                                      : "");
    sqlite3_result_error(ctx, msg ? msg : what, -1);
    sqlite3_free(msg);
    b->failed = 1;
    return 0;
}

/* A score as the library takes it: one past int's range stays off the scale, never wraps. */
static int score_of(sqlite3_value *v)
{
    sqlite3_int64 x = sqlite3_value_int64(v);
    return x < INT32_MIN || x > INT32_MAX ? INT32_MAX : (int)x;
}

/* A score the library refused names the score, as it was given. */
static void score_fail(sqlite3_context *ctx, box *b, cxm_status st, const char *what,
                       sqlite3_value *score)
{
    if (st == CXM_OUT_OF_RANGE) {
        char msg[96];
        sqlite3_snprintf(sizeof msg, msg, "%s: score %s is off the scale", what,
                         (const char *)sqlite3_value_text(score));
        sqlite3_result_error(ctx, msg, -1);
        b->failed = 1;
        return;
    }
    box_fail(ctx, b, st, what);
}

/* nps(score, kind): kinds are never blended in one group. */
static void nps_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    box *b = box_get(ctx, &fam_nps);
    if (!b) return;
    uint32_t kind = nps_kind_of(sqlite3_value_text(argv[1]));
    if (!kind) {
        error_fmt(ctx, "unknown NPS kind \"%s\" (relational, transactional or competitive)",
                  (const char *)sqlite3_value_text(argv[1]));
        b->failed = 1;
        return;
    }
    if (!b->obj) {
        box_fail(ctx, b, cxm_nps_new(kind, 0, &sq_allocator, (cxm_nps **)&b->obj), "nps");
        b->cfg[0] = (int32_t)kind;
    }
    if (b->failed) return;
    if ((uint32_t)b->cfg[0] != kind) {
        char msg[128];
        sqlite3_snprintf(sizeof msg, msg,
                         "nps: %s and %s answers in one group (kinds are never blended)",
                         ext_nps_kind_name((uint32_t)b->cfg[0]), ext_nps_kind_name(kind));
        sqlite3_result_error(ctx, msg, -1);
        b->failed = 1;
        return;
    }
    if (is_null(argv[0])) return; /* SQL aggregates skip NULLs */
    if (!number_ok(ctx, b, argv[0], "nps: the score", 1)) return;
    score_fail(ctx, b, cxm_nps_add(b->obj, score_of(argv[0])), "nps", argv[0]);
}

static void panel_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    box *b = box_get(ctx, &fam_nps_panel);
    if (!b) return;
    if (!b->obj)
        box_fail(ctx, b,
                 cxm_nps_panel_new(EXT_PANEL_CAPACITY, &sq_allocator, (cxm_nps_panel **)&b->obj),
                 "nps_gaps");
    if (b->failed || is_null(argv[0]) || is_null(argv[1])) return;
    if (!number_ok(ctx, b, argv[0], "nps_gaps: the brand", 1) ||
        !number_ok(ctx, b, argv[1], "nps_gaps: the score", 1))
        return;
    sqlite3_int64 brand = sqlite3_value_int64(argv[0]);
    if (brand < 0 || brand > UINT32_MAX) {
        sqlite3_result_error(ctx, "nps_gaps: a brand is an id from 0 (ours) up", -1);
        b->failed = 1;
        return;
    }
    score_fail(ctx, b, cxm_nps_panel_add(b->obj, (uint32_t)brand, score_of(argv[1])), "nps_gaps",
               argv[1]);
}

/* Scale arguments from `first` on: (min, max, threshold), 0 = the family's default. */
static void scale_args(int argc, sqlite3_value **argv, int first, int32_t want[4])
{
    for (int i = 0; i < 3 && first + i < argc; i++)
        want[i] = sqlite3_value_int(argv[first + i]);
}

/* A scale the library refused names the scale and what a scale may be. */
static void scale_fail(sqlite3_context *ctx, box *b, cxm_status st, const char *what,
                       const int32_t want[4])
{
    if (st != CXM_INVALID_ARGUMENT) {
        box_fail(ctx, b, st, what);
        return;
    }
    char *msg = sqlite3_mprintf("%s: no scale from %d to %d with threshold %d (a scale is min to "
                                "max with 0 <= min < max <= %d, its threshold within it; 0 is "
                                "the default)",
                                what, want[0], want[1], want[2], cxm_scale_max_score());
    sqlite3_result_error(ctx, msg ? msg : what, -1);
    sqlite3_free(msg);
    b->failed = 1;
}

static int same_scale(sqlite3_context *ctx, box *b, const int32_t want[4], const char *what)
{
    if (memcmp(b->cfg, want, sizeof b->cfg) == 0) return 1;
    char msg[96];
    sqlite3_snprintf(sizeof msg, msg, "%s: answers on two different scales in one group", what);
    sqlite3_result_error(ctx, msg, -1);
    b->failed = 1;
    return 0;
}

/* csat(score [, scale_min, scale_max [, threshold]]) */
static void csat_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    box *b = box_get(ctx, &fam_csat);
    if (!b) return;
    int32_t want[4] = {0, 0, 0, 0};
    scale_args(argc, argv, 1, want);
    if (!b->obj) {
        cxm_csat_options o = {sizeof o, 0, want[0], want[1], want[2], 0};
        scale_fail(ctx, b, cxm_csat_new(&o, &sq_allocator, (cxm_csat **)&b->obj), "csat", want);
        memcpy(b->cfg, want, sizeof b->cfg);
    }
    if (b->failed || !same_scale(ctx, b, want, "csat") || is_null(argv[0])) return;
    if (!number_ok(ctx, b, argv[0], "csat: the score", 1)) return;
    score_fail(ctx, b, cxm_csat_add(b->obj, score_of(argv[0])), "csat", argv[0]);
}

/* ces(score [, direction [, scale_min, scale_max [, threshold]]]) */
static void ces_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    box *b = box_get(ctx, &fam_ces);
    if (!b) return;
    int32_t want[4] = {0, 0, 0, CXM_CES_HIGHER_IS_EASIER};
    if (argc > 1) {
        const char *d = (const char *)sqlite3_value_text(argv[1]);
        if (d && strcmp(d, "effort") == 0)
            want[3] = CXM_CES_HIGHER_IS_EFFORT;
        else if (!d || strcmp(d, "easier") != 0) {
            error_fmt(ctx, "unknown CES direction \"%s\" ('easier' or 'effort')", d ? d : "NULL");
            b->failed = 1;
            return;
        }
    }
    scale_args(argc, argv, 2, want);
    if (!b->obj) {
        cxm_ces_options o = {sizeof o, 0, want[0], want[1], want[2], (uint32_t)want[3]};
        scale_fail(ctx, b, cxm_ces_new(&o, &sq_allocator, (cxm_ces **)&b->obj), "ces", want);
        memcpy(b->cfg, want, sizeof b->cfg);
    }
    if (b->failed || !same_scale(ctx, b, want, "ces") || is_null(argv[0])) return;
    if (!number_ok(ctx, b, argv[0], "ces: the score", 1)) return;
    score_fail(ctx, b, cxm_ces_add(b->obj, score_of(argv[0])), "ces", argv[0]);
}

/* rate(success): a boolean (0 or 1). */
static void rate_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    box *b = box_get(ctx, &fam_rate);
    if (!b) return;
    if (!b->obj)
        box_fail(ctx, b, cxm_rate_new(CXM_RATE_GENERIC, 0, &sq_allocator, (cxm_rate **)&b->obj),
                 "rate");
    if (b->failed || is_null(argv[0]) || !number_ok(ctx, b, argv[0], "rate", 1)) return;
    sqlite3_int64 v = sqlite3_value_int64(argv[0]);
    box_fail(ctx, b, v == 0 || v == 1 ? cxm_rate_add(b->obj, (uint32_t)v) : CXM_OUT_OF_RANGE,
             "rate (a success is 0 or 1)");
}

/* duration(seconds) */
static void duration_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    box *b = box_get(ctx, &fam_duration);
    if (!b) return;
    if (!b->obj)
        box_fail(ctx, b, cxm_duration_new(NULL, &sq_allocator, (cxm_duration **)&b->obj),
                 "duration");
    if (b->failed || is_null(argv[0]) || !number_ok(ctx, b, argv[0], "duration", 0)) return;
    box_fail(ctx, b, cxm_duration_add(b->obj, sqlite3_value_double(argv[0])), "duration");
}

/* duration_quantile(seconds, q) and duration_share_within(seconds, threshold): one parameter
 * per group, kept beside the accumulator. */
static void param_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    box *b = box_get(ctx, &fam_duration);
    if (!b) return;
    double p = sqlite3_value_double(argv[1]);
    if (!b->obj) {
        box_fail(ctx, b, cxm_duration_new(NULL, &sq_allocator, (cxm_duration **)&b->obj),
                 "duration");
        memcpy(b->cfg, &p, sizeof p);
    }
    double have;
    memcpy(&have, b->cfg, sizeof have);
    if (!b->failed && have != p) {
        sqlite3_result_error(ctx, "duration: the parameter changes within a group", -1);
        b->failed = 1;
    }
    if (b->failed || is_null(argv[0]) || !number_ok(ctx, b, argv[0], "duration", 0)) return;
    box_fail(ctx, b, cxm_duration_add(b->obj, sqlite3_value_double(argv[0])), "duration");
}

static void share_json(sqlite3_context *ctx, const cxm_duration *d, double threshold, double level);

static void param_final(sqlite3_context *ctx, int share)
{
    box *b = sqlite3_aggregate_context(ctx, 0);
    if (b && !b->failed && b->obj) {
        double p, v = 0.0;
        memcpy(&p, b->cfg, sizeof p);
        if (share) {
            share_json(ctx, b->obj, p, 0.0);
        } else {
            cxm_status st = cxm_duration_quantile(b->obj, p, &v);
            if (st == CXM_OK)
                sqlite3_result_double(ctx, v);
            else if (st != CXM_EMPTY)
                failed(ctx, st, "duration_quantile");
        }
    } else if (!b || !b->failed) {
        sqlite3_result_null(ctx);
    }
    box_release(b);
}

static void quantile_final(sqlite3_context *ctx)
{
    param_final(ctx, 0);
}
static void share_final(sqlite3_context *ctx)
{
    param_final(ctx, 1);
}

static uint32_t sla_metric_of(const char *s)
{
    return s ? ext_sla_metric_of(s, strlen(s)) : CXM_SLA_METRIC_COUNT;
}

/* Sets "<what>: <err>" as the error. */
static void config_fail(sqlite3_context *ctx, box *b, const char *what, const char *err)
{
    char *msg = sqlite3_mprintf("%s: %s", what, err);
    sqlite3_result_error(ctx, msg ? msg : what, -1);
    sqlite3_free(msg);
    b->failed = 1;
}

/*
 * sla_compliance(policy [, calendar], priority, metric, started, fulfilled):
 * Unix seconds; a NULL `fulfilled` is a target still running now. The
 * policy and calendar are JSON (extensions/cxm_json.h), read once per group.
 */
static void sla_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    box *b = box_get(ctx, &fam_sla);
    if (!b) return;
    int at = argc == 6 ? 2 : 1; /* the first argument after the configuration */
    const char *policy = (const char *)sqlite3_value_text(argv[0]);
    const char *cal = at == 2 ? (const char *)sqlite3_value_text(argv[1]) : NULL;
    if (!policy) {
        sqlite3_result_error(ctx, "sla_compliance: the policy is NULL", -1);
        b->failed = 1;
        return;
    }
    char err[192];
    if (!b->policy) {
        int business = 0;
        b->policy_text = sqlite3_mprintf("%s", policy);
        b->cal_text = cal ? sqlite3_mprintf("%s", cal) : NULL;
        if (!b->policy_text || (cal && !b->cal_text)) {
            sqlite3_result_error_nomem(ctx);
            b->failed = 1;
            return;
        }
        if (ext_policy_from_json(policy, strlen(policy), &sq_allocator, &b->policy, &business, err,
                                 sizeof err) != CXM_OK) {
            config_fail(ctx, b, "SLA policy", err);
            return;
        }
        if (cal && ext_calendar_from_json(cal, strlen(cal), &sq_allocator, &b->cal, err,
                                          sizeof err) != CXM_OK) {
            config_fail(ctx, b, "business-hours calendar", err);
            return;
        }
        if (business && !cal) {
            config_fail(ctx, b, "SLA policy", "a business-hours target needs a calendar");
            return;
        }
        uint32_t levels;
        box_fail(ctx, b, cxm_sla_policy_levels(b->policy, &levels), "sla_compliance");
        if (!b->failed)
            box_fail(ctx, b, cxm_sla_new(levels, &sq_allocator, (cxm_sla **)&b->obj),
                     "sla_compliance");
        if (b->failed) return;
    } else if (strcmp(policy, b->policy_text) != 0) {
        sqlite3_result_error(ctx, "sla_compliance: two different policies in one group", -1);
        b->failed = 1;
        return;
    } else if (cal ? !b->cal_text || strcmp(cal, b->cal_text) != 0 : b->cal_text != NULL) {
        sqlite3_result_error(ctx, "sla_compliance: two different calendars in one group", -1);
        b->failed = 1;
        return;
    }
    if (is_null(argv[at]) || is_null(argv[at + 1]) || is_null(argv[at + 2])) return;
    uint32_t metric = sla_metric_of((const char *)sqlite3_value_text(argv[at + 1]));
    if (metric == CXM_SLA_METRIC_COUNT) {
        error_fmt(ctx, "unknown SLA metric \"%s\"", (const char *)sqlite3_value_text(argv[at + 1]));
        b->failed = 1;
        return;
    }
    if (!number_ok(ctx, b, argv[at], "sla_compliance: the priority", 1) ||
        !number_ok(ctx, b, argv[at + 2], "sla_compliance: the start time", 1) ||
        !number_ok(ctx, b, argv[at + 3], "sla_compliance: the end time", 1))
        return;
    sqlite3_int64 priority = sqlite3_value_int64(argv[at]);
    int running = is_null(argv[at + 3]);
    int64_t start = sqlite3_value_int64(argv[at + 2]);
    int64_t end = running ? (int64_t)time(NULL) : sqlite3_value_int64(argv[at + 3]);
    cxm_sla_outcome o = {.size = sizeof o};
    cxm_status st = priority < 0 || priority > UINT32_MAX
                        ? CXM_CAPACITY
                        : cxm_sla_evaluate(b->policy, b->cal, (uint32_t)priority, metric, start,
                                           end, running ? 1u : 0u, NULL, 0, &o);
    if (st == CXM_EMPTY) return; /* no target for that priority and metric */
    if (st == CXM_OK) st = cxm_sla_add_outcome(b->obj, &o);
    box_fail(ctx, b, st, "sla_compliance");
}

static uint32_t fcr_profile_of(const char *s)
{
    uint32_t p = s ? ext_name_index(ext_fcr_profile_names, CXM_FCR_ZENDESK, s, strlen(s)) : 0;
    return p == 0xFFFFFFFFu ? 0 : p;
}

static uint32_t count_arg(sqlite3_value *v)
{
    sqlite3_int64 x = sqlite3_value_int64(v);
    return x < 0 ? UINT32_MAX : x > UINT32_MAX ? UINT32_MAX : (uint32_t)x;
}

/* A group id: NULL is "no group" (the ticket counts in the others only). */
static uint32_t id_arg(sqlite3_value *v)
{
    return is_null(v) ? CXM_ROLLUP_NONE : count_arg(v);
}

/* Builds the roll-up of a group from its first row's profile and options. */
static void rollup_create(sqlite3_context *ctx, box *b, uint32_t profile, const char *opt)
{
    cxm_rollup_options o = {.size = sizeof o, .times = EXT_ROLLUP_TIMES};
    cxm_sla_policy *policy = NULL;
    char err[192];
    if (opt && ext_rollup_options_from_json(opt, strlen(opt), &sq_allocator, &o, &policy, &b->cal,
                                            err, sizeof err) != CXM_OK) {
        config_fail(ctx, b, "ticket_rollup options", err);
        return;
    }
    b->cal_text = opt ? sqlite3_mprintf("%s", opt) : NULL;
    box_fail(ctx, b, cxm_rollup_new(profile, &o, &sq_allocator, (cxm_rollup **)&b->obj),
             "ticket_rollup");
    cxm_sla_policy_free(policy);
    b->cfg[0] = (int32_t)profile;
}

/*
 * ticket_rollup(created, first_reply, first_solved, last_solved, reopens,
 * agent_replies, customer_replies, priority, self_service, csat, ces
 * [, channel, topic, agent [, nps, transfers, handle_time, unresolved]],
 * fcr_profile [, options]): the ticket's columns (Unix seconds; NULL = not
 * yet; ids from 0, NULL = none; the NPS answer 0-10 or NULL, transfers
 * between agents, handle time in seconds, closed without a resolution),
 * then the FCR profile, 'zendesk' or 'freshdesk', then the roll-up options
 * as JSON (capacities per group kind, the roll-up's SLA: extensions/cxm_json.h).
 */
static void rollup_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    box *b = box_get(ctx, &fam_rollup);
    if (!b) return;
    /* The profile's argument: after 11, 14 or 18 ticket columns; the options follow it. */
    int at = argc == 12 ? 11 : argc <= 16 ? 14 : 18;
    uint32_t profile = fcr_profile_of((const char *)sqlite3_value_text(argv[at]));
    const char *opt = argc == at + 2 ? (const char *)sqlite3_value_text(argv[at + 1]) : NULL;
    if (!profile) {
        sqlite3_result_error(ctx, "unknown FCR profile ('zendesk' or 'freshdesk')", -1);
        b->failed = 1;
        return;
    }
    if (!b->obj) {
        rollup_create(ctx, b, profile, opt);
    } else if (opt ? !b->cal_text || strcmp(opt, b->cal_text) != 0 : b->cal_text != NULL) {
        sqlite3_result_error(ctx, "ticket_rollup: two different option sets in one group", -1);
        b->failed = 1;
    }
    if (b->failed) return;
    if ((uint32_t)b->cfg[0] != profile) {
        sqlite3_result_error(ctx, "ticket_rollup: two FCR profiles in one group", -1);
        b->failed = 1;
        return;
    }
    /* The ticket's numbers, by position (all before the profile are; 8 is self_service). */
    static const char *const column[18] = {"created time",
                                           "first_reply time",
                                           "first_solved time",
                                           "last_solved time",
                                           "reopens",
                                           "agent_replies",
                                           "customer_replies",
                                           "priority",
                                           "self_service",
                                           "csat",
                                           "ces",
                                           "channel",
                                           "topic",
                                           "agent",
                                           "nps",
                                           "transfers",
                                           "handle_time",
                                           "unresolved"};
    for (int i = 0; i < at; i++) {
        char what[48];
        sqlite3_snprintf(sizeof what, what, "ticket_rollup: the %s", column[i]);
        if (!number_ok(ctx, b, argv[i], what, i != 16)) return;
    }
    cxm_ticket t = {.size = sizeof t};
    t.created = sqlite3_value_int64(argv[0]);
    t.first_reply = sqlite3_value_int64(argv[1]);
    t.first_solved = sqlite3_value_int64(argv[2]);
    t.last_solved = sqlite3_value_int64(argv[3]);
    t.reopens = count_arg(argv[4]);
    t.agent_replies = count_arg(argv[5]);
    t.customer_replies = count_arg(argv[6]);
    t.priority = id_arg(argv[7]);
    t.channel = argc > 12 ? id_arg(argv[11]) : CXM_ROLLUP_NONE;
    t.topic = argc > 12 ? id_arg(argv[12]) : CXM_ROLLUP_NONE;
    t.agent = argc > 12 ? id_arg(argv[13]) : CXM_ROLLUP_NONE;
    if (sqlite3_value_int(argv[8])) t.flags |= CXM_TICKET_SELF_SERVICE;
    if (!is_null(argv[9])) {
        t.flags |= CXM_TICKET_HAS_CSAT;
        t.csat = sqlite3_value_int(argv[9]);
    }
    if (!is_null(argv[10])) {
        t.flags |= CXM_TICKET_HAS_CES;
        t.ces = sqlite3_value_int(argv[10]);
    }
    if (at == 18)
        ext_ticket_story(&t, !is_null(argv[14]), sqlite3_value_int(argv[14]), count_arg(argv[15]),
                         sqlite3_value_double(argv[16]), sqlite3_value_int(argv[17]));
    uint32_t field = CXM_TICKET_FIELD_NONE;
    cxm_status st = cxm_rollup_add(b->obj, &t, &field);
    if (st == CXM_CAPACITY && field == CXM_TICKET_FIELD_NONE) {
        sqlite3_result_error(ctx, EXT_ROLLUP_FULL, -1);
        b->failed = 1;
    } else if (st != CXM_OK) {
        char msg[160];
        sqlite3_snprintf(sizeof msg, msg, "ticket_rollup: ticket refused: %s (field %s)",
                         cxm_status_str(st), cxm_ticket_field_str(field));
        sqlite3_result_error(ctx, msg, -1);
        b->failed = 1;
    }
}

/* customer_churn(at_start, at_end, cancelled, returning, due, renewed, mrr_start, mrr_end) */
static void churn_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    box *b = box_get(ctx, &fam_churn);
    if (!b) return;
    if (!b->obj)
        box_fail(ctx, b, cxm_churn_new(0, &sq_allocator, (cxm_churn **)&b->obj), "customer_churn");
    if (b->failed) return;
    static const uint32_t flag[6] = {CXM_CHURN_AT_START,  CXM_CHURN_AT_END, CXM_CHURN_CANCELLED,
                                     CXM_CHURN_RETURNING, CXM_CHURN_DUE,    CXM_CHURN_RENEWED};
    cxm_churn_customer c = {.size = sizeof c};
    for (int i = 0; i < 6; i++)
        if (sqlite3_value_int(argv[i])) c.flags |= flag[i];
    c.mrr_start = sqlite3_value_int64(argv[6]);
    c.mrr_end = sqlite3_value_int64(argv[7]);
    box_fail(ctx, b, cxm_churn_add(b->obj, &c), "customer_churn");
}

/* merge(state): states of one family (any) merged into one. */
static void merge_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    box *b = box_get(ctx, NULL);
    if (!b || is_null(argv[0])) return;
    const family *f = b->obj ? b->f : NULL;
    void *part = blob_arg(ctx, argv[0], &f);
    if (!part) {
        b->failed = 1;
        return;
    }
    if (!b->obj) {
        b->f = f;
        b->obj = part;
        return;
    }
    box_fail(ctx, b, f->merge(b->obj, part), "merging states");
    f->destroy(part);
}

/* ---- scalar functions over states --------------------------------------------------- */

static double level_arg(int argc, sqlite3_value **argv, int i)
{
    return argc > i && !is_null(argv[i]) ? sqlite3_value_double(argv[i]) : 0.0;
}

/* result(state [, level]): the figures of any state, as JSON. */
static void result_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    if (is_null(argv[0])) return;
    const family *f = NULL;
    void *obj = blob_arg(ctx, argv[0], &f);
    if (!obj) return;
    any_json(ctx, f, obj, level_arg(argc, argv, 1));
    f->destroy(obj);
}

/* quantile(duration_state, q) */
static void quantile_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const family *f = &fam_duration;
    void *d = is_null(argv[0]) ? NULL : blob_arg(ctx, argv[0], &f);
    if (!d) return;
    double v = 0.0;
    cxm_status st = cxm_duration_quantile(d, sqlite3_value_double(argv[1]), &v);
    if (st == CXM_OK)
        sqlite3_result_double(ctx, v);
    else if (st != CXM_EMPTY)
        failed(ctx, st, "quantile");
    f->destroy(d);
}

static void share_json(sqlite3_context *ctx, const cxm_duration *d, double threshold, double level)
{
    cxm_duration_share s = {.size = sizeof s};
    int v;
    if (value_of(ctx, cxm_duration_share_within(d, threshold, level, &s), "share_within", &v))
        return;
    json j;
    j_open(&j, ctx, '{');
    j_num(&j, "share", s.share, v);
    j_int(&j, "n", s.n);
    j_num(&j, "within", s.within, v);
    j_num(&j, "ci_low", s.ci.lower, v);
    j_num(&j, "ci_high", s.ci.upper, v);
    j_num(&j, "threshold", threshold, 1);
    j_close(&j, ctx, '}');
}

/* share_within(duration_state, threshold seconds [, level]) */
static void share_within_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const family *f = &fam_duration;
    void *d = is_null(argv[0]) ? NULL : blob_arg(ctx, argv[0], &f);
    if (!d) return;
    share_json(ctx, d, sqlite3_value_double(argv[1]), level_arg(argc, argv, 2));
    f->destroy(d);
}

/* Two states of one family, A and B; both freed by the caller through f->destroy. */
static int two_states(sqlite3_context *ctx, sqlite3_value **argv, const family *f, void **a,
                      void **b)
{
    *a = *b = NULL;
    if (is_null(argv[0]) || is_null(argv[1])) return 0;
    const family *fa = f, *fb = f;
    *a = blob_arg(ctx, argv[0], &fa);
    if (*a) *b = blob_arg(ctx, argv[1], &fb);
    if (*a && *b) return 1;
    if (*a) f->destroy(*a);
    *a = NULL;
    return 0;
}

static void comparison_json(sqlite3_context *ctx, const cxm_comparison *c, const char *figure)
{
    json j;
    j_open(&j, ctx, '{');
    j_text(&j, "figure", figure);
    j_text(&j, "test", c->test == CXM_TEST_WELCH ? "welch" : "proportions");
    j_num(&j, "value_a", c->value_a, 1);
    j_num(&j, "value_b", c->value_b, 1);
    j_num(&j, "diff", c->diff, 1);
    j_num(&j, "ci_low", c->ci.lower, 1);
    j_num(&j, "ci_high", c->ci.upper, 1);
    j_num(&j, "p", c->p, 1);
    j_bool(&j, "significant", c->significant != 0);
    j_num(&j, "se", c->se, 1);
    j_num(&j, "statistic", c->statistic, 1);
    j_num(&j, "df", c->df, c->test == CXM_TEST_WELCH);
    j_int(&j, "n_a", c->n_a);
    j_int(&j, "n_b", c->n_b);
    j_num(&j, "level", c->ci.level, 1);
    j_close(&j, ctx, '}');
}

/* name(a, b [, level]) over one library comparison. */
#define COMPARE_FN(name, fam, call, figure)                                                        \
    static void name##_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)                    \
    {                                                                                              \
        void *a, *b;                                                                               \
        if (!two_states(ctx, argv, &fam_##fam, &a, &b)) return;                                    \
        cxm_comparison c = {.size = sizeof c};                                                     \
        if (!failed(ctx, call(a, b, level_arg(argc, argv, 2), &c), #name))                         \
            comparison_json(ctx, &c, figure);                                                      \
        fam_##fam.destroy(a);                                                                      \
        fam_##fam.destroy(b);                                                                      \
    }

COMPARE_FN(csat_compare, csat, cxm_csat_compare_mean, "csat mean")
COMPARE_FN(csat_compare_satisfied, csat, cxm_csat_compare_satisfied, "csat satisfied %")
COMPARE_FN(ces_compare, ces, cxm_ces_compare_mean, "ces mean")
COMPARE_FN(ces_compare_easy, ces, cxm_ces_compare_easy, "ces easy %")
COMPARE_FN(rate_compare, rate, cxm_rate_compare, "rate")
COMPARE_FN(churn_compare, churn, cxm_churn_compare_churn, "churn rate")
COMPARE_FN(renewal_compare, churn, cxm_churn_compare_renewal, "renewal rate")

/* sla_compare(a, b, metric [, priority [, level]]) */
static void sla_compare_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    void *a, *b;
    if (!two_states(ctx, argv, &fam_sla, &a, &b)) return;
    uint32_t metric = sla_metric_of((const char *)sqlite3_value_text(argv[2]));
    uint32_t priority = argc > 3 && !is_null(argv[3]) ? count_arg(argv[3]) : CXM_SLA_ALL_PRIORITIES;
    cxm_comparison c = {.size = sizeof c};
    if (!failed(ctx, cxm_sla_compare(a, b, priority, metric, level_arg(argc, argv, 4), &c),
                "sla_compare"))
        comparison_json(ctx, &c, "sla compliance %");
    fam_sla.destroy(a);
    fam_sla.destroy(b);
}

/* nps_compare(a, b [, level]) */
static void nps_compare_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    void *a, *b;
    if (!two_states(ctx, argv, &fam_nps, &a, &b)) return;
    cxm_nps_comparison c = {.size = sizeof c};
    if (!failed(ctx, cxm_nps_compare(a, b, level_arg(argc, argv, 2), CXM_NPS_ADJUSTED_WALD, &c),
                "nps_compare")) {
        json j;
        j_open(&j, ctx, '{');
        j_num(&j, "diff", c.diff, 1);
        j_num(&j, "se", c.se, 1);
        j_num(&j, "z", c.z, 1);
        j_num(&j, "p", c.p, 1);
        j_num(&j, "ci_low", c.ci.lower, 1);
        j_num(&j, "ci_high", c.ci.upper, 1);
        j_bool(&j, "significant", c.significant != 0);
        j_num(&j, "level", c.ci.level, 1);
        j_close(&j, ctx, '}');
    }
    fam_nps.destroy(a);
    fam_nps.destroy(b);
}

/* duration_compare(a, b [, level]): change of the median, distribution-free interval. */
static void duration_compare_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    void *a, *b;
    if (!two_states(ctx, argv, &fam_duration, &a, &b)) return;
    cxm_duration_median_comparison c = {.size = sizeof c};
    if (!failed(ctx, cxm_duration_compare_median(a, b, level_arg(argc, argv, 2), &c),
                "duration_compare")) {
        json j;
        j_open(&j, ctx, '{');
        j_num(&j, "median_a", c.median_a, 1);
        j_num(&j, "median_b", c.median_b, 1);
        j_num(&j, "diff", c.diff, 1);
        j_num(&j, "ci_low", c.ci.lower, 1);
        j_num(&j, "ci_high", c.ci.upper, 1);
        j_bool(&j, "significant", c.significant != 0);
        j_int(&j, "n_a", c.n_a);
        j_int(&j, "n_b", c.n_b);
        j_num(&j, "level", c.ci.level, 1);
        j_close(&j, ctx, '}');
    }
    fam_duration.destroy(a);
    fam_duration.destroy(b);
}

/* ---- the roll-up per group ------------------------------------------------------------ */

/* A group named at argv[i]: its cxm_rollup_group, or 0xFFFFFFFF with the error set. */
static uint32_t group_of(sqlite3_context *ctx, sqlite3_value **argv, int i)
{
    const char *g = (const char *)sqlite3_value_text(argv[i]);
    uint32_t group = g ? ext_name_index(ext_rollup_group_names, 0, g, strlen(g)) : 0xFFFFFFFFu;
    if (group == 0xFFFFFFFFu)
        error_fmt(ctx, "unknown roll-up group \"%s\" (overall, channel, topic, priority, agent)",
                  g ? g : "NULL");
    return group;
}

static int group_id_of(sqlite3_context *ctx, sqlite3_value *v, uint32_t *id)
{
    if (is_null(v) || sqlite3_value_int64(v) < 0 || sqlite3_value_int64(v) > UINT32_MAX) {
        sqlite3_result_error(ctx, "a roll-up group id is a number from 0", -1);
        return 0;
    }
    *id = (uint32_t)sqlite3_value_int64(v);
    return 1;
}

/*
 * A per-group reader's arguments: a roll-up state and (group, id), or for a
 * cell of a cross (dimension, id, dimension, id), told apart by a dimension's
 * name after the first id; *k is then 2, the shift of the reader's own
 * arguments, whose count (argc - *k) must be lo..hi. 1 when all are good,
 * else the error is set.
 */
static int group_args(sqlite3_context *ctx, int argc, sqlite3_value **argv, int lo, int hi,
                      cxm_rollup **ru, uint32_t *group, uint32_t *id, int *k)
{
    *ru = NULL;
    const char *d = argc >= 5 && sqlite3_value_type(argv[3]) == SQLITE_TEXT
                        ? (const char *)sqlite3_value_text(argv[3])
                        : NULL;
    uint32_t dim = d ? ext_name_index(ext_rollup_group_names, 0, d, strlen(d)) : 0xFFFFFFFFu;
    *k = EXT_ROLLUP_IS_DIMENSION(dim) ? 2 : 0;
    uint32_t second_id = 0;
    if (argc - *k < lo || argc - *k > hi) {
        sqlite3_result_error(ctx,
                             "wrong number of arguments: a roll-up reader takes (state, group, id, "
                             "...) or, for a cell of a cross, (state, dimension, id, dimension, "
                             "id, ...)",
                             -1);
        return 0;
    }
    if ((*group = group_of(ctx, argv, 1)) == 0xFFFFFFFFu || !group_id_of(ctx, argv[2], id) ||
        (*k && !group_id_of(ctx, argv[4], &second_id)))
        return 0;
    const family *f = &fam_rollup;
    *ru = is_null(argv[0]) ? NULL : blob_arg(ctx, argv[0], &f);
    if (!*ru) return 0;
    char why[192];
    cxm_status st = ext_rollup_target(*ru, group, id, *k != 0, dim, second_id, why, sizeof why);
    if (st == CXM_OK) return 1;
    if (st == CXM_INVALID_ARGUMENT)
        sqlite3_result_error(ctx, why, -1);
    else
        failed(ctx, st, "roll-up group");
    cxm_rollup_free(*ru);
    *ru = NULL;
    return 0;
}

static uint32_t time_of(sqlite3_context *ctx, sqlite3_value *v)
{
    const char *t = (const char *)sqlite3_value_text(v);
    uint32_t i = t ? ext_rollup_time(t, strlen(t)) : 0xFFFFFFFFu;
    if (i == 0xFFFFFFFFu)
        error_fmt(ctx,
                  "unknown roll-up time \"%s\" (first_reply, first_resolution, full_resolution, "
                  "handle_time)",
                  t ? t : "NULL");
    return i;
}

/* rollup_group(state, group, id [, level]): the figures of one group. */
static void rollup_group_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    cxm_rollup *ru;
    uint32_t group, id;
    int k;
    if (!group_args(ctx, argc, argv, 3, 4, &ru, &group, &id, &k)) return;
    rollup_group_json(ctx, ru, group, id, level_arg(argc, argv, 3 + k));
    cxm_rollup_free(ru);
}

/* rollup_time(state, group, id, time): one time of one group, as duration() shows it. */
static void rollup_time_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    cxm_rollup *ru;
    uint32_t group, id, time;
    int k;
    if (!group_args(ctx, argc, argv, 4, 4, &ru, &group, &id, &k)) return;
    if ((time = time_of(ctx, argv[3 + k])) != 0xFFFFFFFFu) {
        cxm_duration_result r = {.size = sizeof r};
        int v;
        if (!value_of(ctx, cxm_rollup_duration_get(ru, group, id, time, 0.0, &r), "rollup_time",
                      &v))
            duration_result_json(ctx, &r, v);
    }
    cxm_rollup_free(ru);
}

/* rollup_quantile(state, group, id, time, q) */
static void rollup_quantile_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    cxm_rollup *ru;
    uint32_t group, id, time;
    int k;
    if (!group_args(ctx, argc, argv, 5, 5, &ru, &group, &id, &k)) return;
    if ((time = time_of(ctx, argv[3 + k])) != 0xFFFFFFFFu) {
        double q = 0.0;
        cxm_status st =
            cxm_rollup_quantile(ru, group, id, time, sqlite3_value_double(argv[4 + k]), &q);
        if (st == CXM_OK)
            sqlite3_result_double(ctx, q);
        else if (st != CXM_EMPTY)
            failed(ctx, st, "rollup_quantile");
    }
    cxm_rollup_free(ru);
}

/* rollup_csat(state, group, id [, level]) and rollup_ces: the answers of one group. */
#define ROLLUP_SCALE_FN(fam)                                                                       \
    static void rollup_##fam##_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)            \
    {                                                                                              \
        cxm_rollup *ru;                                                                            \
        uint32_t group, id;                                                                        \
        int k;                                                                                     \
        if (!group_args(ctx, argc, argv, 3, 4, &ru, &group, &id, &k)) return;                      \
        double level = level_arg(argc, argv, 3 + k);                                               \
        cxm_##fam##_result r = {.size = sizeof r};                                                 \
        int v;                                                                                     \
        if (!value_of(ctx, cxm_rollup_##fam##_get(ru, group, id, level, &r), "rollup_" #fam, &v))  \
            fam##_result_json(ctx, &r, v, level);                                                  \
        cxm_rollup_free(ru);                                                                       \
    }

ROLLUP_SCALE_FN(csat)
ROLLUP_SCALE_FN(ces)

/* rollup_sla(state, group, id, metric [, level]): under the policy of the roll-up's options. */
static void rollup_sla_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    cxm_rollup *ru;
    uint32_t group, id;
    int k;
    if (!group_args(ctx, argc, argv, 4, 5, &ru, &group, &id, &k)) return;
    uint32_t metric = sla_metric_of((const char *)sqlite3_value_text(argv[3 + k]));
    cxm_sla_result r = {.size = sizeof r};
    cxm_status st =
        metric == CXM_SLA_METRIC_COUNT
            ? CXM_OUT_OF_RANGE
            : cxm_rollup_sla_get(ru, group, id, metric, level_arg(argc, argv, 4 + k), &r);
    int v;
    if (st == CXM_INVALID_ARGUMENT)
        sqlite3_result_error(ctx, "rollup_sla: this roll-up has no SLA policy (options \"sla\")",
                             -1);
    else if (st == CXM_OUT_OF_RANGE && metric != CXM_SLA_FIRST_REPLY &&
             metric != CXM_SLA_TOTAL_RESOLUTION)
        sqlite3_result_error(ctx, "rollup_sla: a roll-up keeps first_reply and total_resolution",
                             -1);
    else if (!value_of(ctx, st, "rollup_sla", &v)) {
        json j = {sqlite3_str_new(sqlite3_context_db_handle(ctx)), 1};
        sla_row_json(&j, r.priority, metric, &r, v);
        j_result(&j, ctx);
    }
    cxm_rollup_free(ru);
}

/* rollup_nps(state, group, id [, level]): the transactional NPS of one group, with its interval. */
static void rollup_nps_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    cxm_rollup *ru;
    uint32_t group, id;
    int k;
    if (!group_args(ctx, argc, argv, 3, 4, &ru, &group, &id, &k)) return;
    double level = level_arg(argc, argv, 3 + k);
    cxm_nps_result r = {.size = sizeof r};
    int v;
    if (!value_of(ctx, cxm_rollup_nps_get(ru, group, id, level, CXM_NPS_ADJUSTED_WALD, &r),
                  "rollup_nps", &v))
        nps_result_json(ctx, &r, v, level);
    cxm_rollup_free(ru);
}

/*
 * rollup_rate(state, group, id, rate [, level]): fcr, reopen, deflection,
 * unresolved (unresolved / closed) or transfer (transferred / tickets) of
 * one group, as rate() shows it (with the Wilson interval).
 */
static void rollup_rate_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    cxm_rollup *ru;
    uint32_t group, id;
    int k;
    if (!group_args(ctx, argc, argv, 4, 5, &ru, &group, &id, &k)) return;
    const char *name = (const char *)sqlite3_value_text(argv[3 + k]);
    uint32_t which =
        name ? ext_name_index(ext_rollup_rate_names, 0, name, strlen(name)) : 0xFFFFFFFFu;
    double level = level_arg(argc, argv, 4 + k);
    cxm_rollup_result r = {.size = sizeof r};
    int v;
    if (which == 0xFFFFFFFFu)
        error_fmt(ctx,
                  "unknown roll-up rate \"%s\" (fcr, reopen, deflection, unresolved, transfer)",
                  name ? name : "NULL");
    else if (!value_of(ctx, cxm_rollup_result_get(ru, group, id, level, &r), "rollup_rate", &v))
        rate_result_json(ctx, ext_rollup_rate(&r, which, &v), v, level);
    cxm_rollup_free(ru);
}

/* Instants one survival read evaluates at most. */
#define SURVIVAL_TIMES 64

/*
 * rollup_survival(state, group, id, as_of [, times [, level]]): resolution
 * time with the open tickets censored at as_of (Unix seconds), Kaplan-Meier,
 * next to the closed-only mean and median; times is a JSON array of seconds
 * after creation, and "survival" the share not resolved at each. Needs the
 * open-ticket index ("open" in the options).
 */
static void rollup_survival_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    cxm_rollup *ru;
    uint32_t group, id;
    int k;
    if (!group_args(ctx, argc, argv, 4, 6, &ru, &group, &id, &k)) return;
    if (is_null(argv[3 + k])) { /* as_of NULL: NULL */
        cxm_rollup_free(ru);
        return;
    }
    double times[SURVIVAL_TIMES], surv[SURVIVAL_TIMES];
    size_t n = 0;
    char err[160];
    const char *t = argc > 4 + k ? (const char *)sqlite3_value_text(argv[4 + k]) : NULL;
    if (t && ext_numbers_from_json(t, strlen(t), times, SURVIVAL_TIMES, &n, err, sizeof err)) {
        error_fmt(ctx, "rollup_survival: times: %s", err);
        cxm_rollup_free(ru);
        return;
    }
    double level = level_arg(argc, argv, 5 + k);
    cxm_survival_result r = {.size = sizeof r};
    cxm_status st = cxm_rollup_survival_get_at(ru, group, id, sqlite3_value_int64(argv[3 + k]),
                                               level, times, surv, n, &r);
    int v;
    if (st == CXM_INVALID_ARGUMENT)
        sqlite3_result_error(ctx,
                             "rollup_survival: this roll-up keeps no open-ticket index "
                             "(options \"open\": tickets open at once)",
                             -1);
    else if (st == CXM_BAD_ORDER)
        sqlite3_result_error(ctx, "rollup_survival: as_of is before the creation of an open ticket",
                             -1);
    else if (!value_of(ctx, st, "rollup_survival", &v)) {
        json j;
        j_open(&j, ctx, '{');
        j_int(&j, "n", r.n);
        j_int(&j, "resolved", r.resolved);
        j_int(&j, "open", r.open);
        j_num(&j, "median", r.median, v && r.median_reached);
        j_num(&j, "median_ci_low", r.median_ci.lower, v && r.ci_lower_reached);
        j_num(&j, "median_ci_high", r.median_ci.upper, v && r.ci_upper_reached);
        j_num(&j, "survival_end", r.survival_end, v);
        j_num(&j, "closed_mean", r.closed_mean, v && r.has_closed);
        j_num(&j, "closed_median", r.closed_median, v && r.has_closed);
        j_num(&j, "open_share", r.open_share, v);
        j_num(&j, "oldest_open", r.oldest_open, v && r.has_oldest_open);
        j_key(&j, "survival");
        if (v) {
            json a = {j.s, 1};
            sqlite3_str_appendchar(j.s, 1, '[');
            for (size_t i = 0; i < n; i++)
                j_num(&a, NULL, surv[i], 1);
            sqlite3_str_appendchar(j.s, 1, ']');
        } else {
            sqlite3_str_appendall(j.s, "null");
        }
        j_num(&j, "level", level_or_default(level), 1);
        j_close(&j, ctx, '}');
    }
    cxm_rollup_free(ru);
}

/* rollup_agent(state, agent): tickets assigned to one agent, and of those solved now. */
static void rollup_agent_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const family *f = &fam_rollup;
    if (is_null(argv[0]) || is_null(argv[1])) return;
    sqlite3_int64 agent = sqlite3_value_int64(argv[1]);
    if (agent < 0 || agent > UINT32_MAX) {
        sqlite3_result_error(ctx, "an agent id is a number from 0", -1);
        return;
    }
    cxm_rollup *ru = blob_arg(ctx, argv[0], &f);
    if (!ru) return;
    cxm_rollup_agent_result r = {.size = sizeof r};
    int v;
    if (!value_of(ctx, cxm_rollup_agent_get(ru, (uint32_t)agent, &r), "rollup_agent", &v)) {
        json j;
        j_open(&j, ctx, '{');
        j_int(&j, "agent", (uint64_t)agent);
        j_int(&j, "tickets", r.tickets);
        j_int(&j, "solved", r.solved);
        j_close(&j, ctx, '}');
    }
    cxm_rollup_free(ru);
}

/* ---- registration --------------------------------------------------------------------- */

typedef void (*step_fn)(sqlite3_context *, int, sqlite3_value **);

/* name(args) -> JSON and name_state(args) -> BLOB, for every arity in [lo, hi]. */
static int aggregate(sqlite3 *db, const char *name, int lo, int hi, step_fn step)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    char state[64];
    sqlite3_snprintf(sizeof state, state, "%s_state", name);
    int rc = SQLITE_OK;
    for (int n = lo; rc == SQLITE_OK && n <= hi; n++) {
        rc = sqlite3_create_function(db, name, n, flags, NULL, NULL, step, final_json);
        if (rc == SQLITE_OK)
            rc = sqlite3_create_function(db, state, n, flags, NULL, NULL, step, final_blob);
    }
    return rc;
}

static int scalar(sqlite3 *db, const char *name, int lo, int hi, step_fn fn)
{
    int rc = SQLITE_OK;
    for (int n = lo; rc == SQLITE_OK && n <= hi; n++)
        rc = sqlite3_create_function(db, name, n, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn,
                                     NULL, NULL);
    return rc;
}

#ifdef _WIN32
__declspec(dllexport)
#endif
    int sqlite3_cxmsqlite_init(sqlite3 *db, char **err, const sqlite3_api_routines *api);

int sqlite3_cxmsqlite_init(sqlite3 *db, char **err, const sqlite3_api_routines *api)
{
    (void)err;
    SQLITE_EXTENSION_INIT2(api);
    int rc = aggregate(db, "nps", 2, 2, nps_step);
    if (rc == SQLITE_OK) rc = aggregate(db, "nps_gaps", 2, 2, panel_step);
    if (rc == SQLITE_OK) rc = aggregate(db, "csat", 1, 4, csat_step);
    if (rc == SQLITE_OK) rc = aggregate(db, "ces", 1, 5, ces_step);
    if (rc == SQLITE_OK) rc = aggregate(db, "rate", 1, 1, rate_step);
    if (rc == SQLITE_OK) rc = aggregate(db, "duration", 1, 1, duration_step);
    if (rc == SQLITE_OK) rc = aggregate(db, "sla_compliance", 5, 6, sla_step);
    if (rc == SQLITE_OK) rc = aggregate(db, "ticket_rollup", 12, 12, rollup_step);
    if (rc == SQLITE_OK) rc = aggregate(db, "ticket_rollup", 15, 16, rollup_step);
    if (rc == SQLITE_OK) rc = aggregate(db, "ticket_rollup", 19, 20, rollup_step);
    if (rc == SQLITE_OK) rc = aggregate(db, "customer_churn", 8, 8, churn_step);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "duration_quantile", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                     NULL, NULL, param_step, quantile_final);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "duration_share_within", 2,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, NULL, param_step,
                                     share_final);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "merge", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, NULL,
                                     merge_step, final_blob);
    if (rc == SQLITE_OK) rc = scalar(db, "result", 1, 2, result_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "quantile", 2, 2, quantile_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "share_within", 2, 3, share_within_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "nps_compare", 2, 3, nps_compare_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "csat_compare", 2, 3, csat_compare_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "csat_compare_satisfied", 2, 3, csat_compare_satisfied_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "ces_compare", 2, 3, ces_compare_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "ces_compare_easy", 2, 3, ces_compare_easy_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "rate_compare", 2, 3, rate_compare_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "sla_compare", 3, 5, sla_compare_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "churn_compare", 2, 3, churn_compare_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "renewal_compare", 2, 3, renewal_compare_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "duration_compare", 2, 3, duration_compare_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "rollup_group", 3, 6, rollup_group_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "rollup_time", 4, 6, rollup_time_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "rollup_quantile", 5, 7, rollup_quantile_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "rollup_csat", 3, 6, rollup_csat_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "rollup_ces", 3, 6, rollup_ces_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "rollup_sla", 4, 7, rollup_sla_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "rollup_agent", 2, 2, rollup_agent_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "rollup_nps", 3, 6, rollup_nps_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "rollup_rate", 4, 7, rollup_rate_fn);
    if (rc == SQLITE_OK) rc = scalar(db, "rollup_survival", 4, 8, rollup_survival_fn);
    return rc;
}
