/*
 * compare.c — two-sample tests (is the change real?) for every family that
 * reports a mean or a share: Welch's t for two means, the pooled z test
 * with Newcombe's hybrid score interval for two shares, and the binomial
 * tail of the sign test (the Student t and incomplete beta are stats.c's).
 * The family wrappers read each side through the family's own public
 * result call, so a comparison always uses exactly the figures a caller
 * would see. The median of durations is compared in duration.c, which owns
 * the sketch.
 */
#include <math.h>
#include <string.h>

#include "internal.h"

#include "cxm/compare.h"

/* ---- tails ---------------------------------------------------------------- */

/* Largest n for which binomial tails are summed exactly (the continued fraction stays short). */
#define BINOM_EXACT_N 1e7

double cxm_binomial_half_cdf(uint64_t k, uint64_t n)
{
    if (k >= n) return 1.0;
    double nd = (double)n, kd = (double)k;
    if (nd > BINOM_EXACT_N) /* normal approximation with continuity correction */
        return 0.5 * erfc(-(kd + 0.5 - nd / 2.0) / (sqrt(nd) / 2.0) / 1.41421356237309504880);
    /* P(B <= k) = I_{1/2}(n - k, k + 1) */
    return cxm_inc_beta(0.5, nd - kd, kd + 1.0);
}

/* ---- the two tests -------------------------------------------------------- */

/* The fields every test fills the same way; `se` = 0 gives the documented edge values. */
static void finish(double diff, double se, double level, cxm_comparison *r)
{
    r->diff = diff;
    r->se = se;
    r->ci.level = level;
    if (se > 0.0)
        r->statistic = diff / se;
    else
        r->statistic = diff == 0.0 ? 0.0 : (diff > 0.0 ? HUGE_VAL : -HUGE_VAL);
}

/*
 * What both tests fill first: the level and its z, the sizes and which
 * side has data (each side's figure stands on its own, in an EMPTY result
 * too).
 */
static cxm_status begin(cxm_comparison *r, uint32_t test, uint64_t na, uint64_t nb, double level,
                        double *lv, double *z)
{
    cxm_status st = cxm_level_z(level, lv, z);
    if (st != CXM_OK) return st;
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    r->test = test;
    r->n_a = na;
    r->n_b = nb;
    r->has_a = na > 0;
    r->has_b = nb > 0;
    return CXM_OK;
}

cxm_status cxm_compare_means(uint64_t na, double ma, double sa, uint64_t nb, double mb, double sb,
                             double level, cxm_comparison *r)
{
    double lv, z;
    cxm_status st = begin(r, CXM_TEST_WELCH, na, nb, level, &lv, &z);
    if (st != CXM_OK) return st;
    r->value_a = r->has_a ? ma : 0.0;
    r->value_b = r->has_b ? mb : 0.0;
    if (na < 2 || nb < 2) return CXM_EMPTY;
    double va = sa * sa / (double)na, vb = sb * sb / (double)nb;
    double se = sqrt(va + vb), diff = ma - mb;
    finish(diff, se, lv, r);
    if (se > 0.0) {
        r->df =
            (va + vb) * (va + vb) / (va * va / ((double)na - 1.0) + vb * vb / ((double)nb - 1.0));
        r->p = cxm_clamp(2.0 * cxm_t_tail(fabs(r->statistic), r->df), 0.0, 1.0);
        double half = cxm_t_tail_quantile((1.0 - lv) / 2.0, r->df) * se;
        r->ci.lower = fmin(diff - half, diff);
        r->ci.upper = fmax(diff + half, diff);
    } else {
        r->df = (double)na + (double)nb - 2.0;
        r->p = diff == 0.0 ? 1.0 : 0.0;
        r->ci.lower = r->ci.upper = diff;
    }
    r->significant = r->p < 1.0 - lv;
    return CXM_OK;
}

cxm_status cxm_compare_shares(uint64_t ka, uint64_t na, uint64_t kb, uint64_t nb, double unit,
                              double level, cxm_comparison *r)
{
    double lv, z;
    cxm_status st = begin(r, CXM_TEST_PROPORTIONS, na, nb, level, &lv, &z);
    if (st != CXM_OK) return st;
    double pa = na > 0 ? (double)ka / (double)na : 0.0, pb = nb > 0 ? (double)kb / (double)nb : 0.0;
    r->value_a = unit * pa;
    r->value_b = unit * pb;
    if (na == 0 || nb == 0) return CXM_EMPTY;
    double pbar = ((double)ka + (double)kb) / ((double)na + (double)nb);
    double var = pbar * (1.0 - pbar) * (1.0 / (double)na + 1.0 / (double)nb);
    double diff = pa - pb;
    finish(diff, var > 0.0 ? sqrt(var) : 0.0, lv, r);
    r->p = r->se > 0.0 ? cxm_clamp(cxm_two_sided_p(r->statistic), 0.0, 1.0)
                       : (diff == 0.0 ? 1.0 : 0.0);
    double la, ua, lb, ub;
    cxm_wilson(pa, (double)na, z, &la, &ua);
    cxm_wilson(pb, (double)nb, z, &lb, &ub);
    /* Wilson bounds contain their share; fmax keeps rounding from making a root negative. */
    double lo = diff - sqrt(fmax(pa - la, 0.0) * fmax(pa - la, 0.0) +
                            fmax(ub - pb, 0.0) * fmax(ub - pb, 0.0));
    double hi = diff + sqrt(fmax(ua - pa, 0.0) * fmax(ua - pa, 0.0) +
                            fmax(pb - lb, 0.0) * fmax(pb - lb, 0.0));
    r->ci.lower = unit * cxm_clamp(fmin(lo, diff), -1.0, 1.0);
    r->ci.upper = unit * cxm_clamp(fmax(hi, diff), -1.0, 1.0);
    r->diff = unit * diff;
    r->se = unit * r->se;
    r->significant = r->p < 1.0 - lv;
    return CXM_OK;
}

/* ---- the families ---------------------------------------------------------- */

/* Fills the caller's struct from a finished local one (CXM_EMPTY keeps the sizes filled). */
static cxm_status deliver(cxm_status st, const cxm_comparison *r, cxm_comparison *out)
{
    if (st == CXM_OK || st == CXM_EMPTY) cxm_result_copy(out, r, sizeof *r);
    return st;
}

/*
 * The family wrappers: resolve both sides through the public result call
 * (`get(x, level, &res)`), refuse differing configurations, then test.
 * CXM_EMPTY from a result call only means that side has no data.
 */
#define SIDE_OK(st) ((st) == CXM_OK || (st) == CXM_EMPTY)

static bool csat_same(const cxm_csat_result *a, const cxm_csat_result *b)
{
    return a->scale_min == b->scale_min && a->scale_max == b->scale_max &&
           a->threshold == b->threshold;
}

static bool ces_same(const cxm_ces_result *a, const cxm_ces_result *b)
{
    return a->scale_min == b->scale_min && a->scale_max == b->scale_max &&
           a->threshold == b->threshold && a->direction == b->direction;
}

/* CSAT and CES share their result shapes for what a comparison reads. */
#define SCALE_COMPARE(fam, good, same)                                                             \
    static cxm_status fam##_sides(const cxm_##fam *a, const cxm_##fam *b, double level,            \
                                  cxm_comparison *out, cxm_##fam##_result *ra,                     \
                                  cxm_##fam##_result *rb)                                          \
    {                                                                                              \
        if (!a || !b) return CXM_INVALID_ARGUMENT;                                                 \
        cxm_status st = cxm_result_check(out, CXM_SIZES(out));                                     \
        if (st != CXM_OK) return st;                                                               \
        ra->size = rb->size = sizeof *ra;                                                          \
        cxm_status sa = cxm_##fam##_result_get(a, level, ra);                                      \
        if (!SIDE_OK(sa)) return sa;                                                               \
        cxm_status sb = cxm_##fam##_result_get(b, level, rb);                                      \
        if (!SIDE_OK(sb)) return sb;                                                               \
        return same(ra, rb) ? CXM_OK : CXM_KIND_MISMATCH;                                          \
    }                                                                                              \
    cxm_status cxm_##fam##_compare_mean(const cxm_##fam *a, const cxm_##fam *b, double level,      \
                                        cxm_comparison *out)                                       \
    {                                                                                              \
        cxm_##fam##_result ra, rb;                                                                 \
        cxm_comparison r;                                                                          \
        cxm_status st = fam##_sides(a, b, level, out, &ra, &rb);                                   \
        if (st != CXM_OK) return st;                                                               \
        st = cxm_compare_means(ra.n, ra.mean, ra.sd, rb.n, rb.mean, rb.sd, level, &r);             \
        return deliver(st, &r, out);                                                               \
    }                                                                                              \
    cxm_status cxm_##fam##_compare_##good(const cxm_##fam *a, const cxm_##fam *b, double level,    \
                                          cxm_comparison *out)                                     \
    {                                                                                              \
        cxm_##fam##_result ra, rb;                                                                 \
        cxm_comparison r;                                                                          \
        cxm_status st = fam##_sides(a, b, level, out, &ra, &rb);                                   \
        if (st != CXM_OK) return st;                                                               \
        st = cxm_compare_shares(ra.good, ra.n, rb.good, rb.n, 100.0, level, &r);                   \
        return deliver(st, &r, out);                                                               \
    }

SCALE_COMPARE(csat, satisfied, csat_same)
SCALE_COMPARE(ces, easy, ces_same)

cxm_status cxm_rate_compare(const cxm_rate *a, const cxm_rate *b, double level, cxm_comparison *out)
{
    if (!a || !b) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    cxm_rate_result ra = {.size = sizeof ra}, rb = {.size = sizeof rb};
    cxm_status sa = cxm_rate_result_get(a, level, &ra);
    if (!SIDE_OK(sa)) return sa;
    cxm_status sb = cxm_rate_result_get(b, level, &rb);
    if (!SIDE_OK(sb)) return sb;
    if (ra.use != rb.use || ra.definition != rb.definition) return CXM_KIND_MISMATCH;
    cxm_comparison r;
    st = cxm_compare_shares(ra.successes, ra.trials, rb.successes, rb.trials, 1.0, level, &r);
    return deliver(st, &r, out);
}

cxm_status cxm_sla_compare(const cxm_sla *a, const cxm_sla *b, uint32_t priority, uint32_t metric,
                           double level, cxm_comparison *out)
{
    if (!a || !b) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    uint32_t la, lb;
    if ((st = cxm_sla_levels(a, &la)) != CXM_OK || (st = cxm_sla_levels(b, &lb)) != CXM_OK)
        return st;
    if (la != lb) return CXM_KIND_MISMATCH;
    cxm_sla_result ra = {.size = sizeof ra}, rb = {.size = sizeof rb};
    cxm_status sa = cxm_sla_result_get(a, priority, metric, level, &ra);
    if (!SIDE_OK(sa)) return sa;
    cxm_status sb = cxm_sla_result_get(b, priority, metric, level, &rb);
    if (!SIDE_OK(sb)) return sb;
    cxm_comparison r;
    st = cxm_compare_shares(ra.achieved, ra.achieved + ra.breached, rb.achieved,
                            rb.achieved + rb.breached, 100.0, level, &r);
    return deliver(st, &r, out);
}

/* Both churn comparisons: `renewal` picks renewed / due, otherwise lost / C0. */
static cxm_status churn_compare(const cxm_churn *a, const cxm_churn *b, bool renewal, double level,
                                cxm_comparison *out)
{
    if (!a || !b) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    cxm_churn_counts ca = {.size = sizeof ca}, cb = {.size = sizeof cb};
    if ((st = cxm_churn_counts_get(a, &ca)) != CXM_OK ||
        (st = cxm_churn_counts_get(b, &cb)) != CXM_OK)
        return st;
    cxm_comparison r;
    if (renewal)
        st = cxm_compare_shares(ca.renewed, ca.due, cb.renewed, cb.due, 1.0, level, &r);
    else
        st = cxm_compare_shares(ca.lost, ca.customers_start, cb.lost, cb.customers_start, 1.0,
                                level, &r);
    return deliver(st, &r, out);
}

cxm_status cxm_churn_compare_churn(const cxm_churn *a, const cxm_churn *b, double level,
                                   cxm_comparison *out)
{
    return churn_compare(a, b, false, level, out);
}

cxm_status cxm_churn_compare_renewal(const cxm_churn *a, const cxm_churn *b, double level,
                                     cxm_comparison *out)
{
    return churn_compare(a, b, true, level, out);
}
