/*
 * scale.c — the integer-scale histogram of scale_core.h behind CSAT and CES:
 * exact counts per point, batch counting through the shared byte kernel,
 * merge, the statistics (mean and standard deviation in two passes over the
 * counts, the exact median, Student-t and Wilson intervals) and the counts'
 * encoding.
 */
#include <math.h>
#include <string.h>

#include "bytecount.h"
#include "scale_core.h"

int32_t cxm_scale_max_score(void)
{
    return CXM_SCALE_MAX_SCORE;
}

static uint32_t points(const scale_cfg *cfg)
{
    return (uint32_t)(cfg->hi - cfg->lo) + 1u;
}

bool scale_cfg_ok(const scale_cfg *cfg)
{
    if (!scale_range_ok(cfg->lo, cfg->hi)) return false;
    if (cfg->direction == SCALE_GOOD_HIGH)
        return cfg->threshold > cfg->lo && cfg->threshold <= cfg->hi;
    if (cfg->direction == SCALE_GOOD_LOW)
        return cfg->threshold >= cfg->lo && cfg->threshold < cfg->hi;
    return false;
}

void scale_hist_init(scale_hist *h, const scale_cfg *cfg)
{
    memset(h, 0, sizeof *h);
    h->cfg = *cfg;
}

void scale_hist_clear(scale_hist *h)
{
    h->big = 0;
    memset(h->c, 0, sizeof h->c);
}

uint64_t scale_hist_total(const scale_hist *h)
{
    uint64_t n = 0;
    for (uint32_t k = 0; k < points(&h->cfg); k++)
        n += h->c[k];
    return n;
}

/* Sets `big` from the counts: after anything that adds more than one answer. */
static void note_big(scale_hist *h)
{
    h->big = 0;
    for (uint32_t k = 0; k < points(&h->cfg); k++)
        if (h->c[k] > SCALE_FAST_MAX) h->big = SCALE_FAST_MAX;
}

cxm_status scale_hist_add_exact(scale_hist *h, int32_t score)
{
    if (scale_hist_total(h) == UINT64_MAX) return CXM_OVERFLOW;
    h->c[score - h->cfg.lo]++;
    note_big(h);
    return CXM_OK;
}

/*
 * Counts a batch into add[]. Up to 17 points: the kernel returns, for each
 * cut v of lo .. hi-1, the number of bytes <= v, and the differences are the
 * counts per point (one read of the data, vector compares). Wider scales
 * (up to 101 points) would need a compare per cut and byte: there one pass
 * of interleaved histograms counts every point at once.
 */
static bool count_batch(const scale_cfg *cfg, const uint8_t *p, size_t n, uint64_t *add,
                        size_t *bad)
{
    uint32_t np = points(cfg);
    if (np - 1 > CXM_BYTECOUNT_MAX_CUTS)
        return cxm_bytehist(p, n, (uint8_t)cfg->lo, (uint8_t)cfg->hi, add, bad) != 0;
    uint64_t cum[SCALE_POINTS];
    uint8_t cuts[CXM_BYTECOUNT_MAX_CUTS] = {0};
    for (uint32_t j = 0; j + 1 < np; j++)
        cuts[j] = (uint8_t)((uint32_t)cfg->lo + j);
    if (!cxm_bytecount(p, n, (uint8_t)cfg->lo, (uint8_t)cfg->hi, cuts, np - 1, cum, bad))
        return false;
    cum[np - 1] = (uint64_t)n;
    add[0] = cum[0];
    for (uint32_t k = 1; k < np; k++)
        add[k] = cum[k] - cum[k - 1];
    return true;
}

cxm_status scale_hist_add_bytes(scale_hist *h, const uint8_t *scores, size_t n, size_t *bad)
{
    uint64_t add[SCALE_POINTS];
    if (!count_batch(&h->cfg, scores, n, add, bad)) return CXM_OUT_OF_RANGE;
    if (cxm_add_overflows(scale_hist_total(h), (uint64_t)n)) return CXM_OVERFLOW;
    for (uint32_t k = 0; k < points(&h->cfg); k++)
        h->c[k] += add[k];
    note_big(h);
    return CXM_OK;
}

bool scale_hist_sub_ok(const scale_hist *h, int32_t score)
{
    return scale_score_ok(&h->cfg, score) && h->c[(uint32_t)score - (uint32_t)h->cfg.lo] > 0;
}

void scale_hist_sub(scale_hist *h, int32_t score)
{
    h->c[(uint32_t)score - (uint32_t)h->cfg.lo]--;
    if (h->big) note_big(h);
}

cxm_status scale_hist_merge(scale_hist *dst, const scale_hist *src)
{
    if (!scale_cfg_same(&dst->cfg, &src->cfg)) return CXM_KIND_MISMATCH;
    if (cxm_add_overflows(scale_hist_total(dst), scale_hist_total(src))) return CXM_OVERFLOW;
    /* src may be dst itself: every count doubles, each read before written. */
    for (uint32_t k = 0; k < points(&dst->cfg); k++)
        dst->c[k] += src->c[k];
    note_big(dst);
    return CXM_OK;
}

uint64_t scale_hist_range(const scale_hist *h, int32_t a, int32_t b)
{
    if (a < h->cfg.lo) a = h->cfg.lo;
    if (b > h->cfg.hi) b = h->cfg.hi;
    uint64_t s = 0;
    for (int32_t v = a; v <= b; v++)
        s += h->c[v - h->cfg.lo];
    return s;
}

cxm_status scale_hist_count(const scale_hist *h, int32_t score, uint64_t *out)
{
    if (!scale_score_ok(&h->cfg, score)) return CXM_OUT_OF_RANGE;
    *out = h->c[score - h->cfg.lo];
    return CXM_OK;
}

/* The score at 0-based rank r of the sorted answers (r < n). */
static int32_t score_at_rank(const scale_hist *h, uint64_t r)
{
    uint64_t below = 0;
    uint32_t k = 0;
    while (below + h->c[k] <= r) {
        below += h->c[k];
        k++;
    }
    return h->cfg.lo + (int32_t)k;
}

cxm_status scale_hist_stats(const scale_hist *h, double level, scale_stats *s)
{
    const scale_cfg *cfg = &h->cfg;
    double lv, z;
    cxm_status st = cxm_level_z(level, &lv, &z);
    if (st != CXM_OK) return st;
    memset(s, 0, sizeof *s);
    uint64_t total = scale_hist_total(h);
    s->n = total;
    s->good = cfg->direction == SCALE_GOOD_HIGH ? scale_hist_range(h, cfg->threshold, cfg->hi)
                                                : scale_hist_range(h, cfg->lo, cfg->threshold);
    s->mean_ci.level = lv;
    s->good_ci.level = lv;
    if (total == 0) return CXM_EMPTY;
    double n = (double)total;
    /* Two passes over the counts: the mean, then squared deviations from it. */
    double sum = 0.0;
    for (uint32_t k = 0; k < points(cfg); k++)
        sum += (double)h->c[k] * (double)k;
    double mean = (double)cfg->lo + sum / n;
    double ss = 0.0;
    for (uint32_t k = 0; k < points(cfg); k++) {
        double d = (double)cfg->lo + (double)k - mean;
        ss += (double)h->c[k] * d * d;
    }
    s->mean = cxm_clamp(mean, (double)cfg->lo, (double)cfg->hi);
    s->sd = total > 1 ? sqrt(ss / (n - 1.0)) : 0.0;
    /* Median: the middle answer, or the midpoint of the two middle ones. */
    int32_t m1 = score_at_rank(h, (total - 1) / 2), m2 = score_at_rank(h, total / 2);
    s->median = ((double)m1 + (double)m2) / 2.0;
    cxm_mean_interval(n, s->mean, s->sd, lv, (double)cfg->lo, (double)cfg->hi, &s->mean_ci);
    double p = cxm_share((double)s->good, n);
    s->good_pct = 100.0 * p;
    cxm_wilson(p, n, z, &s->good_ci.lower, &s->good_ci.upper);
    s->good_ci.lower *= 100.0;
    s->good_ci.upper *= 100.0;
    return CXM_OK;
}

void scale_hist_write(cxm_wr *w, const scale_hist *h)
{
    cxm_wr_u32(w, (uint32_t)h->cfg.lo);
    cxm_wr_u32(w, (uint32_t)h->cfg.hi);
    cxm_wr_u32(w, (uint32_t)h->cfg.threshold);
    cxm_wr_u32(w, h->cfg.direction);
    for (uint32_t k = 0; k < points(&h->cfg); k++)
        cxm_wr_u64(w, h->c[k]);
}

void scale_hist_read(cxm_rd *r, scale_hist *h)
{
    memset(h, 0, sizeof *h);
    uint32_t lo = cxm_rd_u32(r), hi = cxm_rd_u32(r), th = cxm_rd_u32(r);
    h->cfg.direction = cxm_rd_u32(r);
    /* Range-check before converting: the bytes choose how many counts follow. */
    if (lo > CXM_SCALE_MAX_SCORE || hi > CXM_SCALE_MAX_SCORE || th > CXM_SCALE_MAX_SCORE) {
        r->bad = true;
        return;
    }
    h->cfg.lo = (int32_t)lo;
    h->cfg.hi = (int32_t)hi;
    h->cfg.threshold = (int32_t)th;
    if (!scale_cfg_ok(&h->cfg)) {
        r->bad = true;
        return;
    }
    uint64_t n = 0;
    for (uint32_t k = 0; k < points(&h->cfg); k++) {
        h->c[k] = cxm_rd_u64(r);
        if (cxm_add_overflows(n, h->c[k])) {
            r->bad = true;
            return;
        }
        n += h->c[k];
    }
    note_big(h);
}

/* ---- the accumulator -------------------------------------------------------- */

#define SCALE_FORMAT_VERSION 1

cxm_status scale_acc_make(bool place, void *mem, size_t size, const cxm_allocator *alloc,
                          uint32_t family, const scale_cfg *cfg, scale_acc **out)
{
    scale_acc *a;
    cxm_status st = cxm_obj_make(place, mem, size, alloc, sizeof *a, family, (void **)&a);
    if (st != CXM_OK) return st;
    scale_hist_init(&a->h, cfg);
    *out = a;
    return CXM_OK;
}

cxm_status scale_acc_add_many(scale_acc *a, const uint8_t *scores, size_t n, size_t *bad_index)
{
    if (!a || (!scores && n > 0)) return CXM_INVALID_ARGUMENT;
    size_t bad = 0;
    cxm_status st = scale_hist_add_bytes(&a->h, scores, n, &bad);
    if (st == CXM_OUT_OF_RANGE && bad_index) *bad_index = bad;
    return st;
}

cxm_status scale_acc_encode(const scale_acc *a, uint8_t *buf, size_t cap, size_t *len)
{
    if (!a || !len) return CXM_INVALID_ARGUMENT;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, a->obj.family, SCALE_FORMAT_VERSION);
    scale_hist_write(&w, &a->h);
    return cxm_wr_end(&w, len);
}

cxm_status scale_acc_decode(const uint8_t *buf, size_t len, uint32_t family, bool high_only,
                            const cxm_allocator *alloc, scale_acc **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_rd r;
    cxm_status st = cxm_rd_begin(&r, buf, len, family, SCALE_FORMAT_VERSION);
    if (st != CXM_OK) return st;
    scale_hist h;
    scale_hist_read(&r, &h);
    if ((st = cxm_rd_end(&r)) != CXM_OK) return st;
    if (high_only && h.cfg.direction != SCALE_GOOD_HIGH) return CXM_BAD_FORMAT;
    scale_acc *a;
    if ((st = scale_acc_make(false, NULL, 0, alloc, family, &h.cfg, &a)) != CXM_OK) return st;
    a->h = h;
    *out = a;
    return CXM_OK;
}
