/*
 * live_check.c — see live_check.h.
 */
#include "live_check.h"

#include <math.h>
#include <string.h>

/*
 * Distance allowed between a figure that min and max clamp and the fresh
 * one: a bucket's width (relative 1/64), or the underflow slot's (2^-10 s).
 */
static int near(double live, double fresh)
{
    return live == fresh || fabs(live - fresh) <= fabs(fresh) / 64.0 + 0x1p-10;
}

#define DIFF(cond, what)                                                                           \
    do {                                                                                           \
        if (!(cond)) return (what);                                                                \
    } while (0)

/* One result call (group, id, level 0) on both roll-ups: the same status and the same bytes. */
#define SAME_RESULT(type, call, what)                                                              \
    do {                                                                                           \
        type ra_, rb_;                                                                             \
        memset(&ra_, 0, sizeof ra_);                                                               \
        memset(&rb_, 0, sizeof rb_);                                                               \
        ra_.size = rb_.size = sizeof ra_;                                                          \
        DIFF(call(x, kind, id, 0, &ra_) == call(y, ky, iy, 0, &rb_) &&                             \
                 memcmp(&ra_, &rb_, sizeof ra_) == 0,                                              \
             what);                                                                                \
    } while (0)

static const char *same_duration(const cxm_duration_result *a, const cxm_duration_result *b)
{
    DIFF(a->n == b->n && a->underflow == b->underflow && a->overflow == b->overflow, "time count");
    DIFF(a->sum == b->sum && a->sd == b->sd && a->has_sd == b->has_sd, "time sum or sd");
    DIFF(near(a->mean, b->mean), "time mean");
    if (a->n == 0) return NULL;
    DIFF(a->min <= b->min + 0.5e-6 && a->max >= b->max - 0.5e-6, "min or max inside the data");
    DIFF(near(a->min, b->min) && near(a->max, b->max), "min or max beyond its bucket");
    DIFF(near(a->median, b->median) && near(a->p90, b->p90) && near(a->p99, b->p99), "quantile");
    DIFF(near(a->mean_ci.lower, b->mean_ci.lower) && near(a->mean_ci.upper, b->mean_ci.upper),
         "mean interval");
    return NULL;
}

static const char *same_sla(const cxm_sla_result *a, const cxm_sla_result *b)
{
    DIFF(a->achieved == b->achieved && a->breached == b->breached && a->active == b->active &&
             a->active_past_due == b->active_past_due,
         "SLA counts");
    DIFF(a->compliance_pct == b->compliance_pct && a->ci.lower == b->ci.lower &&
             a->ci.upper == b->ci.upper && a->has_compliance == b->has_compliance &&
             a->has_lateness == b->has_lateness,
         "SLA compliance");
    DIFF(a->lateness_mean == b->lateness_mean, "SLA lateness mean");
    DIFF(a->lateness_max >= b->lateness_max &&
             a->lateness_max <= a->lateness_mean * (double)a->breached + 0.5,
         "SLA largest lateness beyond its bound");
    return NULL;
}

/* Group (kind, id) of x against group (ky, iy) of y. */
static const char *same_group(const cxm_rollup *x, uint32_t kind, uint32_t id, const cxm_rollup *y,
                              uint32_t ky, uint32_t iy, uint32_t times, int sla, int64_t as_of)
{
    cxm_rollup_result ga, gb;
    memset(&ga, 0, sizeof ga);
    memset(&gb, 0, sizeof gb);
    ga.size = gb.size = sizeof ga;
    cxm_status st = cxm_rollup_result_get(x, kind, id, 0, &ga);
    DIFF(st == cxm_rollup_result_get(y, ky, iy, 0, &gb), "volume status");
    gb.group = ga.group, gb.id = ga.id; /* which group it is may differ, nothing else */
    DIFF(memcmp(&ga, &gb, sizeof ga) == 0, "volume or rates");
    for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++) {
        if (!(times & (1u << t))) continue;
        cxm_duration_result da, db;
        memset(&da, 0, sizeof da);
        memset(&db, 0, sizeof db);
        da.size = db.size = sizeof da;
        DIFF(cxm_rollup_duration_get(x, kind, id, t, 0, &da) ==
                 cxm_rollup_duration_get(y, ky, iy, t, 0, &db),
             "time status");
        const char *why = same_duration(&da, &db);
        if (why) return why;
        cxm_rollup_time_result ta = {.size = sizeof ta}, tb = {.size = sizeof tb};
        DIFF(cxm_rollup_time_get(x, kind, id, t, &ta) == cxm_rollup_time_get(y, ky, iy, t, &tb),
             "short time status");
        DIFF(ta.n == tb.n && ta.sd == tb.sd && near(ta.mean, tb.mean), "short time");
        static const double qs[5] = {0.0, 0.25, 0.5, 0.75, 1.0};
        for (int q = 0; q < 5 && ta.n > 0; q++) {
            double qa = 0, qb = 0;
            DIFF(cxm_rollup_quantile(x, kind, id, t, qs[q], &qa) == CXM_OK &&
                     cxm_rollup_quantile(y, ky, iy, t, qs[q], &qb) == CXM_OK && near(qa, qb),
                 "quantile call");
        }
    }
    SAME_RESULT(cxm_csat_result, cxm_rollup_csat_get, "CSAT");
    SAME_RESULT(cxm_ces_result, cxm_rollup_ces_get, "CES");
    /* Resolution time with open tickets censored at the instant (same status, same bytes). */
    int64_t at = as_of;
    if (at == 0 && cxm_rollup_latest(x, &at) != CXM_OK) at = 0;
    cxm_survival_result ua, ub;
    memset(&ua, 0, sizeof ua);
    memset(&ub, 0, sizeof ub);
    ua.size = ub.size = sizeof ua;
    static const double ts[3] = {3600.0, 86400.0, 7 * 86400.0};
    double va[3] = {0}, vb[3] = {0};
    DIFF(cxm_rollup_survival_get_at(x, kind, id, at, 0, ts, va, 3, &ua) ==
                 cxm_rollup_survival_get_at(y, ky, iy, at, 0, ts, vb, 3, &ub) &&
             memcmp(va, vb, sizeof va) == 0,
         "survival status or S(t)");
    /* Counts and the curve are exact; the figures a bucket estimate gives are clamped to the
     * resolution times' min and max, which retractions leave as bounds. */
    DIFF(ua.n == ub.n && ua.resolved == ub.resolved && ua.open == ub.open &&
             ua.median_reached == ub.median_reached && ua.ci_lower_reached == ub.ci_lower_reached &&
             ua.ci_upper_reached == ub.ci_upper_reached && ua.survival_end == ub.survival_end &&
             ua.open_share == ub.open_share && ua.oldest_open == ub.oldest_open &&
             ua.has_closed == ub.has_closed && ua.has_oldest_open == ub.has_oldest_open,
         "survival counts or curve");
    DIFF(near(ua.median, ub.median) && near(ua.median_ci.lower, ub.median_ci.lower) &&
             near(ua.median_ci.upper, ub.median_ci.upper) && near(ua.closed_mean, ub.closed_mean) &&
             near(ua.closed_median, ub.closed_median),
         "survival median or closed figures");
    cxm_nps_result na, nb;
    memset(&na, 0, sizeof na);
    memset(&nb, 0, sizeof nb);
    na.size = nb.size = sizeof na;
    DIFF(cxm_rollup_nps_get(x, kind, id, 0, CXM_NPS_WALD, &na) ==
                 cxm_rollup_nps_get(y, ky, iy, 0, CXM_NPS_WALD, &nb) &&
             memcmp(&na, &nb, sizeof na) == 0,
         "NPS");
    for (uint32_t m = 0; sla && m < 2; m++) {
        uint32_t metric = m ? CXM_SLA_TOTAL_RESOLUTION : CXM_SLA_FIRST_REPLY;
        cxm_sla_result la, lb;
        memset(&la, 0, sizeof la);
        memset(&lb, 0, sizeof lb);
        la.size = lb.size = sizeof la;
        cxm_status sa, sb;
        if (as_of) {
            sa = cxm_rollup_sla_get_at(x, kind, id, metric, as_of, 0, &la);
            sb = cxm_rollup_sla_get_at(y, ky, iy, metric, as_of, 0, &lb);
        } else {
            sa = cxm_rollup_sla_get(x, kind, id, metric, 0, &la);
            sb = cxm_rollup_sla_get(y, ky, iy, metric, 0, &lb);
        }
        DIFF(sa == sb, "SLA status");
        const char *why = same_sla(&la, &lb);
        if (why) return why;
    }
    return NULL;
}

/* The options of r, and whether it has a policy (an SLA call does not refuse for want of one). */
static int config_of(const cxm_rollup *r, cxm_rollup_options *o, int *sla)
{
    uint32_t profile;
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    cxm_sla_result probe = {.size = sizeof probe};
    *sla = cxm_rollup_sla_get(r, CXM_ROLLUP_OVERALL, 0, CXM_SLA_FIRST_REPLY, 0, &probe) !=
           CXM_INVALID_ARGUMENT;
    return cxm_rollup_config(r, &profile, o) == CXM_OK;
}

const char *cxm_live_same_figures(const cxm_rollup *live, const cxm_rollup *fresh, int64_t as_of)
{
    cxm_rollup_options o;
    int sla;
    DIFF(config_of(live, &o, &sla), "config");
    uint32_t ids[CXM_ROLLUP_KINDS];
    cxm_rollup_group_counts(&o, ids);
    for (uint32_t k = 0; k < CXM_ROLLUP_KINDS; k++)
        for (uint32_t id = 0; id < ids[k]; id++) {
            const char *why = same_group(live, k, id, fresh, k, id, o.times, sla, as_of);
            if (why) return why;
        }
    for (uint32_t a = 0; a < o.agents; a++) {
        cxm_rollup_agent_result x = {.size = sizeof x}, y = {.size = sizeof y};
        DIFF(cxm_rollup_agent_get(live, a, &x) == cxm_rollup_agent_get(fresh, a, &y) &&
                 memcmp(&x, &y, sizeof x) == 0,
             "agent");
    }
    return NULL;
}

const char *cxm_group_same_figures(const cxm_rollup *x, uint32_t kind, uint32_t id,
                                   const cxm_rollup *y, uint32_t ky, uint32_t iy, int64_t as_of)
{
    cxm_rollup_options o;
    int sla;
    DIFF(config_of(x, &o, &sla), "config");
    return same_group(x, kind, id, y, ky, iy, o.times, sla, as_of);
}

void cxm_rollup_group_counts(const cxm_rollup_options *o, uint32_t count[CXM_ROLLUP_KINDS])
{
    const uint32_t dim[5] = {1, o->channels, o->topics, o->priorities, o->agents};
    for (uint32_t k = 0; k < 4; k++)
        count[k] = dim[k];
    count[CXM_ROLLUP_AGENT] = o->agent_kind == CXM_ROLLUP_AGENT_COUNTS ? 0 : o->agents;
    count[CXM_ROLLUP_CELL] = 0;
    for (uint32_t j = 0; j < o->crosses && j < CXM_ROLLUP_MAX_CROSSES; j++)
        count[CXM_ROLLUP_CELL] += dim[o->cross[j].first] * dim[o->cross[j].second];
}
