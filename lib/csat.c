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

static cxm_status csat_cfg(const cxm_csat_options *opts, scale_cfg *cfg)
{
    cxm_csat_options o;
    cxm_status st = cxm_options_read(opts, &o, sizeof o);
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

size_t cxm_csat_footprint(void)
{
    return sizeof(cxm_csat);
}

cxm_status cxm_csat_new(const cxm_csat_options *opts, const cxm_allocator *alloc, cxm_csat **out)
{
    scale_cfg cfg;
    scale_acc *a;
    cxm_status st = out ? csat_cfg(opts, &cfg) : CXM_INVALID_ARGUMENT;
    if (st == CXM_OK && (st = scale_acc_new(alloc, CXM_FAMILY_CSAT, &cfg, &a)) == CXM_OK)
        *out = (cxm_csat *)a;
    return st;
}

cxm_status cxm_csat_init_in(void *mem, size_t size, const cxm_csat_options *opts, cxm_csat **out)
{
    scale_cfg cfg;
    scale_acc *a;
    cxm_status st = out ? csat_cfg(opts, &cfg) : CXM_INVALID_ARGUMENT;
    if (st == CXM_OK && (st = scale_acc_place(mem, size, CXM_FAMILY_CSAT, &cfg, &a)) == CXM_OK)
        *out = (cxm_csat *)a;
    return st;
}

cxm_status cxm_csat_add(cxm_csat *csat, int32_t score)
{
    return csat ? scale_hist_add(&csat->a.h, score) : CXM_INVALID_ARGUMENT;
}

cxm_status cxm_csat_add_many(cxm_csat *csat, const uint8_t *scores, size_t n, size_t *bad_index)
{
    return scale_acc_add_many(csat ? &csat->a : NULL, scores, n, bad_index);
}

cxm_status cxm_csat_merge(cxm_csat *dst, const cxm_csat *src)
{
    return dst && src ? scale_hist_merge(&dst->a.h, &src->a.h) : CXM_INVALID_ARGUMENT;
}

cxm_status cxm_csat_reset(cxm_csat *csat)
{
    if (!csat) return CXM_INVALID_ARGUMENT;
    scale_hist_clear(&csat->a.h);
    return CXM_OK;
}

cxm_status cxm_csat_clone(const cxm_csat *csat, const cxm_allocator *alloc, cxm_csat **out)
{
    if (!csat || !out) return CXM_INVALID_ARGUMENT;
    void *copy;
    cxm_status st = cxm_obj_clone(csat, sizeof *csat, alloc, &copy);
    if (st == CXM_OK) *out = copy;
    return st;
}

cxm_status cxm_csat_config(const cxm_csat *csat, cxm_csat_options *out)
{
    if (!csat) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, sizeof *out);
    if (st != CXM_OK) return st;
    const scale_cfg *cfg = &csat->a.h.cfg;
    cxm_csat_options o = {sizeof o, 0, cfg->lo, cfg->hi, cfg->threshold, 0};
    cxm_result_copy(out, &o, sizeof o);
    return CXM_OK;
}

cxm_status cxm_csat_count(const cxm_csat *csat, int32_t score, uint64_t *out)
{
    return csat && out ? scale_hist_count(&csat->a.h, score, out) : CXM_INVALID_ARGUMENT;
}

cxm_status cxm_csat_result_get(const cxm_csat *csat, double level, cxm_csat_result *out)
{
    if (!csat) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, sizeof *out);
    if (st != CXM_OK) return st;
    scale_stats s;
    if ((st = scale_hist_stats(&csat->a.h, level, &s)) != CXM_OK && st != CXM_EMPTY) return st;
    const scale_cfg *cfg = &csat->a.h.cfg;
    cxm_csat_result r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.scale_min = cfg->lo;
    r.scale_max = cfg->hi;
    r.threshold = cfg->threshold;
    r.n = s.n;
    r.satisfied = s.good;
    r.mean = s.mean;
    r.sd = s.sd;
    r.median = s.median;
    r.mean_ci = s.mean_ci;
    r.satisfied_pct = s.good_pct;
    r.satisfied_ci = s.good_ci;
    cxm_result_copy(out, &r, sizeof r);
    return st;
}

cxm_status cxm_csat_encode(const cxm_csat *csat, uint8_t *buf, size_t cap, size_t *len)
{
    return scale_acc_encode(csat ? &csat->a : NULL, buf, cap, len);
}

cxm_status cxm_csat_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                           cxm_csat **out)
{
    scale_acc *a;
    if (!out) return CXM_INVALID_ARGUMENT;
    cxm_status st = scale_acc_decode(buf, len, CXM_FAMILY_CSAT, true, alloc, &a);
    if (st == CXM_OK) *out = (cxm_csat *)a;
    return st;
}

void cxm_csat_free(cxm_csat *csat)
{
    cxm_obj_free(csat);
}
