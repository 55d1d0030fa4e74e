/*
 * nps.c — the NPS accumulator: counts per category for one kind and brand,
 * the adjusted-Wald and Wald intervals, the two-sample comparison, weighted
 * answers with Kish's effective sample size, and the encoding.
 */
#include <math.h>
#include <string.h>

#include "bytecount.h"
#include "nps_core.h"

#define NPS_FORMAT_VERSION 1

/* ---- counts ----------------------------------------------------------------- */

cxm_status nps_counts_add_bytes(nps_counts *c, const uint8_t *scores, size_t n, size_t *bad)
{
    static const uint8_t cuts[2] = {6, 8};
    uint64_t le[2];
    size_t at;
    if (!cxm_bytecount(scores, n, 0, 10, cuts, 2, le, &at)) {
        *bad = at;
        return CXM_OUT_OF_RANGE;
    }
    if (cxm_add_overflows(nps_total(c), (uint64_t)n)) return CXM_OVERFLOW;
    c->n[NPS_DET] += le[0];
    c->n[NPS_PAS] += le[1] - le[0];
    c->n[NPS_PRO] += (uint64_t)n - le[1];
    return CXM_OK;
}

cxm_status nps_counts_add_weighted_bytes(nps_counts *c, const uint8_t *scores,
                                         const double *weights, size_t n, size_t *bad)
{
    nps_counts next = *c;
    for (size_t i = 0; i < n; i++) {
        cxm_status st = nps_counts_add(&next, scores[i], weights[i], true);
        if (st != CXM_OK) {
            *bad = i;
            return st;
        }
    }
    *c = next;
    return CXM_OK;
}

cxm_status nps_counts_merge(nps_counts *dst, const nps_counts *src)
{
    if (cxm_add_overflows(nps_total(dst), nps_total(src))) return CXM_OVERFLOW;
    for (int k = 0; k < 3; k++) {
        dst->n[k] += src->n[k];
        dst->nw[k] += src->nw[k];
        dst->w[k] += src->w[k];
    }
    dst->w2 += src->w2;
    return CXM_OK;
}

/* Weighted totals: unweighted answers weigh 1 and contribute 1 to sum w^2. */
static void nps_weights(const nps_counts *c, double w[3], double *sw, double *sw2)
{
    uint64_t unweighted = 0;
    *sw = 0.0;
    for (int k = 0; k < 3; k++) {
        w[k] = (double)(c->n[k] - c->nw[k]) + c->w[k];
        unweighted += c->n[k] - c->nw[k];
        *sw += w[k];
    }
    *sw2 = (double)unweighted + c->w2;
}

/* NPS as a fraction in [-1, 1] and its interval/SE inputs for either method. */
static void nps_shares(const nps_counts *c, uint32_t method, double *pp, double *pd, double *n_eff)
{
    double w[3], sw, sw2;
    nps_weights(c, w, &sw, &sw2);
    double neff = sw * sw / sw2;
    *pp = w[NPS_PRO] / sw;
    *pd = w[NPS_DET] / sw;
    *n_eff = neff;
    if (method == CXM_NPS_ADJUSTED_WALD) {
        double n1 = neff + 3.0;
        *pp = (*pp * neff + 0.75) / n1;
        *pd = (*pd * neff + 0.75) / n1;
        *n_eff = n1;
    }
}

cxm_status nps_counts_score_se(const nps_counts *c, uint32_t method, double *nps, double *se)
{
    if (nps_total(c) == 0) return CXM_EMPTY;
    double pp, pd, n, pp0, pd0, n0;
    nps_shares(c, CXM_NPS_WALD, &pp0, &pd0, &n0);
    nps_shares(c, method, &pp, &pd, &n);
    *nps = 100.0 * (pp0 - pd0);
    *se = 100.0 * cxm_trinomial_se(pp, pd, n);
    return CXM_OK;
}

cxm_status nps_counts_result(const nps_counts *c, double level, uint32_t method, cxm_nps_result *r)
{
    double lv, z;
    if (method != CXM_NPS_ADJUSTED_WALD && method != CXM_NPS_WALD) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_level_z(level, &lv, &z);
    if (st != CXM_OK) return st;
    r->method = method;
    r->n = nps_total(c);
    r->promoters = c->n[NPS_PRO];
    r->passives = c->n[NPS_PAS];
    r->detractors = c->n[NPS_DET];
    r->ci.level = lv;
    if (r->n == 0) return CXM_EMPTY;
    double w[3], sw, sw2;
    nps_weights(c, w, &sw, &sw2);
    r->weight_total = sw;
    r->n_effective = sw * sw / sw2;
    r->promoter_pct = 100.0 * cxm_share(w[NPS_PRO], sw);
    r->passive_pct = 100.0 * cxm_share(w[NPS_PAS], sw);
    r->detractor_pct = 100.0 * cxm_share(w[NPS_DET], sw);
    double pp, pd, n;
    nps_shares(c, CXM_NPS_WALD, &pp, &pd, &n);
    r->nps = cxm_clamp(100.0 * (pp - pd), -100.0, 100.0);
    r->se = 100.0 * cxm_trinomial_se(pp, pd, n);
    nps_shares(c, method, &pp, &pd, &n);
    double centre = 100.0 * (pp - pd);
    double half = z * 100.0 * cxm_trinomial_se(pp, pd, n);
    r->ci.lower = centre - half;
    r->ci.upper = centre + half;
    /* The adjusted-Wald centre is not the score itself: hold the interval around it. */
    cxm_interval_hold(&r->ci, r->nps, -100.0, 100.0);
    return CXM_OK;
}

void nps_compare_fill(double nps_a, double se_a, double nps_b, double se_b, double level,
                      double z_level, double *diff, double *se, double *z, double *p,
                      uint32_t *significant, cxm_interval *ci)
{
    *diff = nps_a - nps_b;
    *se = sqrt(se_a * se_a + se_b * se_b);
    if (*se > 0.0)
        *z = *diff / *se;
    else
        *z = *diff == 0.0 ? 0.0 : copysign(HUGE_VAL, *diff);
    *p = cxm_two_sided_p(*z);
    *significant = *p < 1.0 - level;
    ci->level = level;
    ci->lower = *diff - z_level * *se;
    ci->upper = *diff + z_level * *se;
    cxm_interval_hold(ci, cxm_clamp(*diff, -200.0, 200.0), -200.0, 200.0);
}

void nps_counts_write(cxm_wr *w, const nps_counts *c)
{
    for (int k = 0; k < 3; k++)
        cxm_wr_u64(w, c->n[k]);
    for (int k = 0; k < 3; k++)
        cxm_wr_u64(w, c->nw[k]);
    for (int k = 0; k < 3; k++)
        cxm_wr_f64(w, c->w[k]);
    cxm_wr_f64(w, c->w2);
}

/*
 * Weighted sums that in-range weights could have produced: each category's
 * sum between nw * min and nw * max weight, the sum of squares likewise,
 * and Cauchy-Schwarz (1 <= n_eff <= n). Slack of 2x and 1e-9 absorbs
 * rounding. Hostile sums that pass the checksum could otherwise make the
 * results inf / inf.
 */
static bool nps_weights_plausible(const nps_counts *c, uint64_t nw)
{
    const double lo = 0.5 * NPS_WEIGHT_MIN, hi = 2.0 * NPS_WEIGHT_MAX;
    for (int k = 0; k < 3; k++)
        if (c->nw[k] > 0 && !(c->w[k] >= (double)c->nw[k] * lo && c->w[k] <= (double)c->nw[k] * hi))
            return false;
    if (!(c->w2 >= (double)nw * lo * lo && c->w2 <= (double)nw * hi * hi)) return false;
    double w[3], sw, sw2;
    nps_weights(c, w, &sw, &sw2);
    return sw2 <= sw * sw * (1.0 + 1e-9) && sw * sw <= (double)nps_total(c) * sw2 * (1.0 + 1e-9);
}

void nps_counts_read(cxm_rd *r, nps_counts *c)
{
    for (int k = 0; k < 3; k++)
        c->n[k] = cxm_rd_u64(r);
    for (int k = 0; k < 3; k++)
        c->nw[k] = cxm_rd_u64(r);
    for (int k = 0; k < 3; k++)
        c->w[k] = cxm_rd_f64(r);
    c->w2 = cxm_rd_f64(r);
    bool ok = !cxm_add_overflows(c->n[0], c->n[1]) &&
              !cxm_add_overflows(c->n[0] + c->n[1], c->n[2]) && c->w2 >= 0.0;
    uint64_t nw = 0;
    for (int k = 0; k < 3; k++) {
        ok = ok && c->nw[k] <= c->n[k] && c->w[k] >= 0.0 && (c->nw[k] > 0) == (c->w[k] > 0.0);
        nw += c->nw[k];
    }
    ok = ok && (nw > 0) == (c->w2 > 0.0);
    if (ok && nw > 0) ok = nps_weights_plausible(c, nw);
    if (!ok) r->bad = true;
}

/* ---- the accumulator --------------------------------------------------------- */

static bool identity_ok(uint32_t kind, uint32_t brand)
{
    if (kind < CXM_NPS_RELATIONAL || kind > CXM_NPS_COMPETITIVE) return false;
    return kind == CXM_NPS_COMPETITIVE || brand == CXM_NPS_OUR_BRAND;
}

int32_t cxm_nps_scale_max(void)
{
    return CXM_NPS_SCALE_MAX;
}
size_t cxm_nps_footprint(void)
{
    return sizeof(cxm_nps);
}

/* The one creation path of new and init_in (cxm_obj_make). */
static cxm_status nps_make(bool place, void *mem, size_t size, const cxm_allocator *alloc,
                           uint32_t kind, uint32_t brand, cxm_nps **out)
{
    if (!out || !identity_ok(kind, brand)) return CXM_INVALID_ARGUMENT;
    cxm_nps *nps;
    cxm_status st =
        cxm_obj_make(place, mem, size, alloc, sizeof *nps, CXM_FAMILY_NPS, (void **)&nps);
    if (st != CXM_OK) return st;
    nps->kind = kind;
    nps->brand = brand;
    *out = nps;
    return CXM_OK;
}

cxm_status cxm_nps_new(uint32_t kind, uint32_t brand, const cxm_allocator *alloc, cxm_nps **out)
{
    return nps_make(false, NULL, 0, alloc, kind, brand, out);
}

cxm_status cxm_nps_init_in(void *mem, size_t size, uint32_t kind, uint32_t brand, cxm_nps **out)
{
    return nps_make(true, mem, size, NULL, kind, brand, out);
}

cxm_status cxm_nps_add(cxm_nps *nps, int32_t score)
{
    if (!nps) return CXM_INVALID_ARGUMENT;
    return nps_counts_add(&nps->c, score, 1.0, false);
}

cxm_status cxm_nps_add_weighted(cxm_nps *nps, int32_t score, double weight)
{
    if (!nps) return CXM_INVALID_ARGUMENT;
    return nps_counts_add(&nps->c, score, weight, true);
}

cxm_status cxm_nps_add_many(cxm_nps *nps, const uint8_t *scores, size_t n, size_t *bad_index)
{
    if (!nps || (!scores && n > 0)) return CXM_INVALID_ARGUMENT;
    size_t bad = 0;
    cxm_status st = nps_counts_add_bytes(&nps->c, scores, n, &bad);
    if (st == CXM_OUT_OF_RANGE && bad_index) *bad_index = bad;
    return st;
}

cxm_status cxm_nps_add_many_weighted(cxm_nps *nps, const uint8_t *scores, const double *weights,
                                     size_t n, size_t *bad_index)
{
    if (!nps || ((!scores || !weights) && n > 0)) return CXM_INVALID_ARGUMENT;
    size_t bad = 0;
    cxm_status st = nps_counts_add_weighted_bytes(&nps->c, scores, weights, n, &bad);
    if (st != CXM_OK && bad_index) *bad_index = bad;
    return st;
}

cxm_status cxm_nps_merge(cxm_nps *dst, const cxm_nps *src)
{
    if (!dst || !src) return CXM_INVALID_ARGUMENT;
    if (dst->kind != src->kind) return CXM_KIND_MISMATCH;
    if (dst->brand != src->brand) return CXM_BRAND_MISMATCH;
    /* src may be dst: each field is read before it is written, so counts double. */
    return nps_counts_merge(&dst->c, &src->c);
}

cxm_status cxm_nps_reset(cxm_nps *nps)
{
    if (!nps) return CXM_INVALID_ARGUMENT;
    memset(&nps->c, 0, sizeof nps->c);
    return CXM_OK;
}

cxm_status cxm_nps_clone(const cxm_nps *nps, const cxm_allocator *alloc, cxm_nps **out)
{
    if (!nps || !out) return CXM_INVALID_ARGUMENT;
    return cxm_obj_clone(nps, sizeof *nps, alloc, (void **)out);
}

cxm_status cxm_nps_identity(const cxm_nps *nps, uint32_t *kind, uint32_t *brand)
{
    if (!nps || !kind || !brand) return CXM_INVALID_ARGUMENT;
    *kind = nps->kind;
    *brand = nps->brand;
    return CXM_OK;
}

cxm_status cxm_nps_result_get(const cxm_nps *nps, double level, uint32_t method,
                              cxm_nps_result *out)
{
    if (!nps) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    cxm_nps_result r = {sizeof r, 0, nps->kind, nps->brand, 0, 0, 0, 0, 0,
                        0,        0, 0,         0,          0, 0, 0, 0, {0, 0, 0}};
    st = nps_counts_result(&nps->c, level, method, &r);
    if (st == CXM_OK || st == CXM_EMPTY) cxm_result_copy(out, &r, sizeof r);
    return st;
}

cxm_status cxm_nps_compare(const cxm_nps *a, const cxm_nps *b, double level, uint32_t method,
                           cxm_nps_comparison *out)
{
    if (!a || !b || (method != CXM_NPS_ADJUSTED_WALD && method != CXM_NPS_WALD))
        return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    double lv, z;
    if ((st = cxm_level_z(level, &lv, &z)) != CXM_OK) return st;
    if (a->kind != b->kind) return CXM_KIND_MISMATCH;
    double na, sa, nb, sb;
    if ((st = nps_counts_score_se(&a->c, method, &na, &sa)) != CXM_OK ||
        (st = nps_counts_score_se(&b->c, method, &nb, &sb)) != CXM_OK)
        return st;
    cxm_nps_comparison r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.method = method;
    nps_compare_fill(na, sa, nb, sb, lv, z, &r.diff, &r.se, &r.z, &r.p, &r.significant, &r.ci);
    cxm_result_copy(out, &r, sizeof r);
    return CXM_OK;
}

cxm_status cxm_nps_encode(const cxm_nps *nps, uint8_t *buf, size_t cap, size_t *len)
{
    if (!nps || !len) return CXM_INVALID_ARGUMENT;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_NPS, NPS_FORMAT_VERSION);
    cxm_wr_u32(&w, nps->kind);
    cxm_wr_u32(&w, nps->brand);
    nps_counts_write(&w, &nps->c);
    return cxm_wr_end(&w, len);
}

cxm_status cxm_nps_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc, cxm_nps **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_rd r;
    cxm_status st = cxm_rd_begin(&r, buf, len, CXM_FAMILY_NPS, NPS_FORMAT_VERSION);
    if (st != CXM_OK) return st;
    uint32_t kind = cxm_rd_u32(&r);
    uint32_t brand = cxm_rd_u32(&r);
    nps_counts c;
    nps_counts_read(&r, &c);
    if ((st = cxm_rd_end(&r)) != CXM_OK) return st;
    if (!identity_ok(kind, brand)) return CXM_BAD_FORMAT;
    cxm_nps *nps;
    if ((st = cxm_nps_new(kind, brand, alloc, &nps)) != CXM_OK) return st;
    nps->c = c;
    *out = nps;
    return CXM_OK;
}

void cxm_nps_free(cxm_nps *nps)
{
    cxm_obj_free(nps);
}
