/*
 * csat.c — the CSAT accumulator: a scale histogram (scale_core.h) whose good
 * side is "satisfied", at or above a threshold that defaults to the top two
 * boxes. Everything but option resolution and result naming is shared with CES.
 */
#include <string.h>

#include "scale_core.h"

struct cxm_csat {
    scale_acc a;
};

cxm_status csat_cfg(const cxm_csat_options *opts, scale_cfg *cfg)
{
    cxm_csat_options o;
    cxm_status st = cxm_options_read(opts, CXM_SIZES(&o), &o, sizeof o);
    if (st != CXM_OK) return st;
    if (o.reserved2 != 0) return CXM_INVALID_ARGUMENT;
    if (o.scale_max == 0) {
        if (o.scale_min != 0) return CXM_INVALID_ARGUMENT;
        o.scale_min = 1;
        o.scale_max = 5;
    }
    if (!scale_range_ok(o.scale_min, o.scale_max)) return CXM_INVALID_ARGUMENT;
    cfg->lo = o.scale_min;
    cfg->hi = o.scale_max;
    cfg->direction = SCALE_GOOD_HIGH;
    /* Top two boxes; on a two-point scale that would be everything: top box. */
    cfg->threshold = o.threshold != 0
                         ? o.threshold
                         : (o.scale_max - 1 > o.scale_min ? o.scale_max - 1 : o.scale_max);
    return scale_cfg_ok(cfg) ? CXM_OK : CXM_INVALID_ARGUMENT;
}

SCALE_FAMILY_VERBS(csat, CXM_FAMILY_CSAT, csat_cfg, true)

cxm_status cxm_csat_config(const cxm_csat *csat, cxm_csat_options *out)
{
    if (!csat) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    const scale_cfg *cfg = &csat->a.h.cfg;
    cxm_csat_options o = {sizeof o, 0, cfg->lo, cfg->hi, cfg->threshold, 0};
    cxm_result_copy(out, &o, sizeof o);
    return CXM_OK;
}

cxm_status csat_result_fill(const scale_hist *h, double level, cxm_csat_result *r)
{
    scale_stats s;
    cxm_status st = scale_hist_stats(h, level, &s);
    if (st != CXM_OK && st != CXM_EMPTY) return st;
    const scale_cfg *cfg = &h->cfg;
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    r->scale_min = cfg->lo;
    r->scale_max = cfg->hi;
    r->threshold = cfg->threshold;
    r->n = s.n;
    r->satisfied = s.good;
    r->mean = s.mean;
    r->sd = s.sd;
    r->median = s.median;
    r->mean_ci = s.mean_ci;
    r->satisfied_pct = s.good_pct;
    r->satisfied_ci = s.good_ci;
    r->has_sd = s.n >= 2;
    return st;
}
