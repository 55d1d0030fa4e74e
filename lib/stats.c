/*
 * stats.c — the statistics every family reports with: critical values for a
 * confidence level (normal and Student t), Wilson intervals for shares, mean
 * intervals, two-sided p-values. Pure functions of their arguments: only
 * libm's thread-safe functions are used (no lgamma, which writes signgam).
 */
#include <math.h>

#include "internal.h"

static const double SQRT2 = 1.41421356237309504880;
static const double INV_SQRT_2PI = 0.39894228040143267794;
static const double PI = 3.14159265358979323846;

double cxm_two_sided_p(double z)
{
    return erfc(fabs(z) / SQRT2);
}

double cxm_trinomial_se(double pa, double pd, double n)
{
    double d = pa - pd;
    double var = (pa + pd - d * d) / n;
    return var > 0.0 ? sqrt(var) : 0.0;
}

/*
 * z with P(Z > z) = q for q in (0, 0.5]. Newton's method on the convex,
 * decreasing upper tail converges monotonically from 0, so no bracket is
 * needed; erfc keeps full precision far into the tail.
 */
static double upper_tail_z(double q)
{
    double z = 0.0;
    for (int i = 0; i < 300; i++) {
        double f = 0.5 * erfc(z / SQRT2) - q;
        double step = f / (INV_SQRT_2PI * exp(-0.5 * z * z));
        z += step;
        if (fabs(step) <= 1e-15 * (1.0 + z)) break;
    }
    return z;
}

cxm_status cxm_level_z(double level, double *level_out, double *z)
{
    if (level == 0.0) level = CXM_DEFAULT_LEVEL;
    if (!(level > 0.0 && level < 1.0)) return CXM_OUT_OF_RANGE;
    *level_out = level;
    *z = upper_tail_z((1.0 - level) / 2.0);
    return CXM_OK;
}

cxm_status cxm_z_for_level(double level, double *out)
{
    if (!out) return CXM_INVALID_ARGUMENT;
    double lv;
    return cxm_level_z(level, &lv, out);
}

/*
 * In exact arithmetic the bounds are 0 at p = 0, 1 at p = 1 and enclose p;
 * in doubles they can miss by one rounding step (k = n = 35 gave an upper
 * bound of 1 - 2^-53), so the result is held around p explicitly.
 */
void cxm_wilson(double p, double n, double z, double *lo, double *hi)
{
    p = cxm_clamp(p, 0.0, 1.0);
    double z2n = z * z / n;
    double denom = 1.0 + z2n;
    double centre = (p + z2n / 2.0) / denom;
    double half = z * sqrt(p * (1.0 - p) / n + z2n / (4.0 * n)) / denom;
    cxm_interval ci = {centre - half, centre + half, 0.0};
    cxm_interval_hold(&ci, p, 0.0, 1.0);
    *lo = ci.lower;
    *hi = ci.upper;
}

cxm_status cxm_wilson_interval(uint64_t k, uint64_t n, double level, cxm_interval *out)
{
    if (!out) return CXM_INVALID_ARGUMENT;
    double lv, z;
    cxm_status st = cxm_level_z(level, &lv, &z);
    if (st != CXM_OK) return st;
    if (k > n) return CXM_OUT_OF_RANGE;
    if (n == 0) return CXM_EMPTY;
    cxm_wilson(cxm_share((double)k, (double)n), (double)n, z, &out->lower, &out->upper);
    out->level = lv;
    return CXM_OK;
}

/*
 * P(|T| <= t) for Student t with integer df, by the finite series of
 * Abramowitz & Stegun 26.7.3-4 (exact up to rounding).
 */
static double t_central(double t, unsigned df)
{
    double theta = atan(t / sqrt((double)df));
    double c = cos(theta), s = sin(theta), c2 = c * c;
    if (df % 2 == 1) {
        double sum = 0.0, term = c;
        if (df > 1) {
            sum = c;
            for (unsigned k = 3; k + 1 < df; k += 2) {
                term *= c2 * (double)(k - 1) / (double)k;
                sum += term;
            }
        }
        return cxm_clamp(2.0 / PI * (theta + s * sum), 0.0, 1.0);
    }
    double sum = 1.0, term = 1.0;
    for (unsigned k = 2; k < df; k += 2) {
        term *= c2 * (double)(k - 1) / (double)k;
        sum += term;
    }
    return cxm_clamp(s * sum, 0.0, 1.0);
}

/*
 * t > 0 with P(T_df > t) = q, for q in (0, 0.5]. Taking the tail itself
 * (not 1 - q) keeps levels next to 1 exact: 0.5 + level / 2 rounds to 1
 * for the largest level below 1, whose tail 2^-54 is representable.
 */
static double t_upper(double q, double df)
{
    double z = upper_tail_z(q);
    if (df > 2000.0) {
        /* Cornish-Fisher expansion: error O(df^-5), far below rounding here. */
        double z2 = z * z, v = df;
        double t = z + (z2 + 1.0) * z / (4.0 * v) +
                   ((5.0 * z2 + 16.0) * z2 + 3.0) * z / (96.0 * v * v) +
                   (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / (384.0 * v * v * v) +
                   ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z /
                       (92160.0 * v * v * v * v);
        return t;
    }
    unsigned n = (unsigned)df;
    double central = 1.0 - 2.0 * q;
    double lo = 0.0, hi = z > 1.0 ? z : 1.0;
    while (t_central(hi, n) < central && hi < 1e300)
        hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
        double mid = 0.5 * (lo + hi);
        if (t_central(mid, n) < central)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

double cxm_t_tail_quantile(double q, double df)
{
    return t_upper(q, df);
}

double cxm_t_quantile(double p, double df)
{
    double sign = p >= 0.5 ? 1.0 : -1.0;
    return sign * t_upper(p > 0.5 ? 1.0 - p : p, df);
}

void cxm_mean_interval(double n, double mean, double sd, double level, double lo_clip,
                       double hi_clip, cxm_interval *out)
{
    out->level = level;
    if (n < 2.0) {
        out->lower = lo_clip;
        out->upper = hi_clip;
        return;
    }
    double t = t_upper((1.0 - level) / 2.0, floor(n - 1.0));
    double half = t * sd / sqrt(n);
    out->lower = cxm_clamp(mean - half, lo_clip, hi_clip);
    out->upper = cxm_clamp(mean + half, lo_clip, hi_clip);
}
