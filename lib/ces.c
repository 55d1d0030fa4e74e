/*
 * ces.c — the CES accumulator: a scale histogram (scale_core.h) whose good
 * side is "easy", above or below a threshold depending on the direction of
 * the scale, plus the NPS-style CES index on 1-7 scales. Everything but
 * option resolution, the index and result naming is shared with CSAT.
 */
#include <string.h>

#include "scale_core.h"

struct cxm_ces {
    scale_acc a;
};

cxm_status ces_cfg(const cxm_ces_options *opts, scale_cfg *cfg)
{
    cxm_ces_options o;
    cxm_status st = cxm_options_read(opts, CXM_SIZES(&o), &o, sizeof o);
    if (st != CXM_OK) return st;
    if (o.direction != CXM_CES_HIGHER_IS_EASIER && o.direction != CXM_CES_HIGHER_IS_EFFORT)
        return CXM_INVALID_ARGUMENT;
    bool effort = o.direction == CXM_CES_HIGHER_IS_EFFORT;
    if (o.scale_max == 0) {
        if (o.scale_min != 0) return CXM_INVALID_ARGUMENT;
        o.scale_min = 1;
        o.scale_max = effort ? 5 : 7; /* CES 1.0 : CES 2.0 */
    }
    if (!scale_range_ok(o.scale_min, o.scale_max)) return CXM_INVALID_ARGUMENT;
    cfg->lo = o.scale_min;
    cfg->hi = o.scale_max;
    cfg->direction = effort ? SCALE_GOOD_LOW : SCALE_GOOD_HIGH;
    /* Default: the easy side of the midpoint, the midpoint itself excluded. */
    if (o.threshold != 0)
        cfg->threshold = o.threshold;
    else
        cfg->threshold =
            effort ? (o.scale_min + o.scale_max + 1) / 2 - 1 : (o.scale_min + o.scale_max) / 2 + 1;
    return scale_cfg_ok(cfg) ? CXM_OK : CXM_INVALID_ARGUMENT;
}

SCALE_FAMILY_VERBS(ces, CXM_FAMILY_CES, ces_cfg, false)

cxm_status cxm_ces_config(const cxm_ces *ces, cxm_ces_options *out)
{
    if (!ces) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    const scale_cfg *cfg = &ces->a.h.cfg;
    uint32_t dir =
        cfg->direction == SCALE_GOOD_LOW ? CXM_CES_HIGHER_IS_EFFORT : CXM_CES_HIGHER_IS_EASIER;
    cxm_ces_options o = {sizeof o, 0, cfg->lo, cfg->hi, cfg->threshold, dir};
    cxm_result_copy(out, &o, sizeof o);
    return CXM_OK;
}

/*
 * The CES index on a 1-7 scale: two easiest points against the three
 * hardest, with the trinomial SE and the adjusted-Wald interval (as NPS).
 */
static void ces_index(const scale_hist *h, double z, cxm_ces_result *r)
{
    if (h->cfg.lo != 1 || h->cfg.hi != 7) return;
    bool effort = h->cfg.direction == SCALE_GOOD_LOW;
    r->index_defined = 1;
    r->index_easy = effort ? scale_hist_range(h, 1, 2) : scale_hist_range(h, 6, 7);
    r->index_hard = effort ? scale_hist_range(h, 5, 7) : scale_hist_range(h, 1, 3);
    uint64_t total = scale_hist_total(h);
    if (total == 0) return;
    double n = (double)total, e = (double)r->index_easy, d = (double)r->index_hard;
    r->index = cxm_clamp(100.0 * (e - d) / n, -100.0, 100.0);
    r->index_se = 100.0 * cxm_trinomial_se(e / n, d / n, n);
    double n1 = n + 3.0, e1 = (e + 0.75) / n1, d1 = (d + 0.75) / n1;
    double centre = 100.0 * (e1 - d1), half = z * 100.0 * cxm_trinomial_se(e1, d1, n1);
    r->index_ci.lower = centre - half;
    r->index_ci.upper = centre + half;
    cxm_interval_hold(&r->index_ci, r->index, -100.0, 100.0);
}

cxm_status ces_result_fill(const scale_hist *h, double level, cxm_ces_result *r)
{
    scale_stats s;
    cxm_status st = scale_hist_stats(h, level, &s);
    if (st != CXM_OK && st != CXM_EMPTY) return st;
    double lv, z;
    (void)cxm_level_z(level, &lv, &z); /* valid: checked by scale_hist_stats */
    const scale_cfg *cfg = &h->cfg;
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    r->scale_min = cfg->lo;
    r->scale_max = cfg->hi;
    r->threshold = cfg->threshold;
    r->direction =
        cfg->direction == SCALE_GOOD_LOW ? CXM_CES_HIGHER_IS_EFFORT : CXM_CES_HIGHER_IS_EASIER;
    r->n = s.n;
    r->easy = s.good;
    r->mean = s.mean;
    r->sd = s.sd;
    r->median = s.median;
    r->mean_ci = s.mean_ci;
    r->easy_pct = s.good_pct;
    r->easy_ci = s.good_ci;
    r->has_sd = s.n >= 2;
    r->index_ci.level = lv;
    ces_index(h, z, r);
    return st;
}
