/*
 * stats.c — the statistics every family reports with: critical values for a
 * confidence level (normal and Student t), Wilson intervals for shares, mean
 * intervals, two-sided p-values, the Student t tail and the incomplete
 * beta under it. Pure functions of their arguments: only libm's
 * thread-safe functions are used (no lgamma, which writes signgam).
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

/* ---- the Student t tail and the incomplete beta -------------------------------- */

/*
 * ln Gamma(x) for x > 0: Lanczos (g = 7, 9 coefficients), relative error
 * about 1e-15. Written out because libm's lgamma writes the global signgam
 * (not thread-safe) and lgamma_r is not standard C.
 */
static double log_gamma(double x)
{
    static const double c[9] = {0.99999999999980993,  676.5203681218851,     -1259.1392167224028,
                                771.32342877765313,   -176.61502916214059,   12.507343278686905,
                                -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
    if (x < 0.5) /* reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x) */
        return log(PI / sin(PI * x)) - log_gamma(1.0 - x);
    x -= 1.0;
    double s = c[0], t = x + 7.5;
    for (int i = 1; i < 9; i++)
        s += c[i] / (x + (double)i);
    return 0.91893853320467274178 + (x + 0.5) * log(t) - t + log(s);
}

/* Continued fraction of the incomplete beta (modified Lentz), for x < (a + 1) / (a + b + 2). */
static double beta_cf(double x, double a, double b)
{
    const double tiny = 1e-300;
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    d = fabs(d) < tiny ? tiny : d;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m < 100000; m++) {
        double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + num * d;
        d = fabs(d) < tiny ? tiny : d;
        c = 1.0 + num / c;
        c = fabs(c) < tiny ? tiny : c;
        d = 1.0 / d;
        h *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + num * d;
        d = fabs(d) < tiny ? tiny : d;
        c = 1.0 + num / c;
        c = fabs(c) < tiny ? tiny : c;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < 1e-15) break;
    }
    return h;
}

double cxm_inc_beta(double x, double a, double b)
{
    if (x <= 0.0) return 0.0;
    if (x >= 1.0) return 1.0;
    double lf = log_gamma(a + b) - log_gamma(a) - log_gamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1.0) / (a + b + 2.0)) return exp(lf) * beta_cf(x, a, b) / a;
    return 1.0 - exp(lf) * beta_cf(1.0 - x, b, a) / b;
}

/* Beyond this many degrees of freedom the t tail is the normal one (error O(1/df)). */
#define T_NORMAL_DF 1e7

/*
 * Far out, the tail from I_{df/(df+t^2)}(df/2, 1/2), which keeps its
 * relative precision; near 0, where df / (df + t^2) would round to 1, from
 * the central part I_{t^2/(df+t^2)}(1/2, df/2) instead.
 */
double cxm_t_tail(double t, double df)
{
    if (isinf(t)) return 0.0;
    if (df > T_NORMAL_DF) return 0.5 * erfc(t / SQRT2);
    double t2 = t * t;
    if (t2 < df) return 0.5 - 0.5 * cxm_inc_beta(t2 / (df + t2), 0.5, df / 2.0);
    return 0.5 * cxm_inc_beta(df / (df + t2), df / 2.0, 0.5);
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

/* Cornish-Fisher expansion of the t quantile around the normal z: error O(df^-5). */
static double t_cornish_fisher(double z, double v)
{
    double z2 = z * z;
    return z + (z2 + 1.0) * z / (4.0 * v) + ((5.0 * z2 + 16.0) * z2 + 3.0) * z / (96.0 * v * v) +
           (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / (384.0 * v * v * v) +
           ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z /
               (92160.0 * v * v * v * v);
}

/* Below this tail the series of P(|T| <= t) no longer resolves 1 - 2q well (its rounding is
 * some df x 2^-53): the incomplete beta, which keeps relative precision, takes over. */
#define T_SERIES_MIN_TAIL 1e-6

/*
 * t > 0 with P(T_df > t) = q, for q in (0, 0.5] and real df > 0. Taking
 * the tail itself (not 1 - q) keeps levels next to 1 exact: 0.5 + level / 2
 * rounds to 1 for the largest level below 1, whose tail 2^-54 is
 * representable.
 *
 * Above 2,000 degrees of freedom the Cornish-Fisher value is exact to
 * rounding. Below, Newton's method from the Cornish-Fisher value, on the
 * exact series for whole df and tails down to T_SERIES_MIN_TAIL, on the
 * incomplete beta for the rest; the density gives each step. The tail is
 * convex and decreasing for t > 0, so from below the root the steps rise
 * monotonically and never pass it, and a step from above lands below it or
 * on it; a step leaving the bracket of the values seen on either side
 * halves the bracket instead. Three to six evaluations where bisection
 * took some fifty: every mean interval of a sample under 2,001 values and
 * every Welch comparison reads this (a roll-up leaderboard reads it once
 * per agent and time).
 */
double cxm_t_tail_quantile(double q, double df)
{
    if (q >= 0.5) return 0.0; /* the median */
    double z = upper_tail_z(q);
    if (df > 2000.0) return t_cornish_fisher(z, df);
    const bool series = df == floor(df) && q >= T_SERIES_MIN_TAIL;
    /* ln of the density's constant: Gamma((df + 1) / 2) / (Gamma(df / 2) sqrt(df pi)) */
    double lk = log_gamma(0.5 * (df + 1.0)) - log_gamma(0.5 * df) - 0.5 * log(df * PI);
    double t = t_cornish_fisher(z, df), lo = 0.0, hi = HUGE_VAL;
    if (!(t > 0.0 && t < HUGE_VAL)) t = z > 0.0 ? z : 1.0;
    for (int i = 0; i < 400; i++) {
        double tail = series ? 0.5 * (1.0 - t_central(t, (unsigned)df)) : cxm_t_tail(t, df);
        double h = tail - q;
        if (h == 0.0) return t;
        if (h > 0.0)
            lo = t;
        else
            hi = t;
        double density = exp(lk - 0.5 * (df + 1.0) * log1p(t * t / df));
        double next = t + h / density;
        if (!(next > lo && next < hi)) next = hi == HUGE_VAL ? 2.0 * t : 0.5 * (lo + hi);
        if (fabs(next - t) <= 1e-15 * next) return next;
        t = next;
    }
    return t;
}

double cxm_t_quantile(double p, double df)
{
    double sign = p >= 0.5 ? 1.0 : -1.0;
    return sign * cxm_t_tail_quantile(p > 0.5 ? 1.0 - p : p, df);
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
    double t = cxm_t_tail_quantile((1.0 - level) / 2.0, floor(n - 1.0));
    double half = t * sd / sqrt(n);
    out->lower = cxm_clamp(mean - half, lo_clip, hi_clip);
    out->upper = cxm_clamp(mean + half, lo_clip, hi_clip);
}
