/*
 * duration.c — the duration accumulator: one duration sketch (see
 * duration_core.h) tagged with the metric it measures, the named views
 * (MTTR, mean first reply time, AHT) and the encoding.
 */
#include <math.h>
#include <string.h>

#include "duration_core.h"

#define DURATION_FORMAT_VERSION 1

double cxm_duration_relative_error(void)
{
    return CXM_DURATION_RELATIVE_ERROR;
}
double cxm_duration_tracked_min(void)
{
    return CXM_DURATION_TRACKED_MIN;
}
double cxm_duration_tracked_max(void)
{
    return CXM_DURATION_TRACKED_MAX;
}
double cxm_duration_max(void)
{
    return CXM_DURATION_MAX;
}
size_t cxm_duration_footprint(void)
{
    return sizeof(cxm_duration);
}

static bool metric_ok(uint32_t m)
{
    return m <= CXM_DURATION_HANDLE;
}

static cxm_status read_options(const cxm_duration_options *opts, uint32_t *metric)
{
    cxm_duration_options o;
    cxm_status st = cxm_options_read(opts, CXM_SIZES(&o), &o, sizeof o);
    if (st != CXM_OK) return st;
    if (!metric_ok(o.metric) || o.reserved2 != 0) return CXM_INVALID_ARGUMENT;
    *metric = o.metric;
    return CXM_OK;
}

/* new (place = false) and init_in (place = true) alike: options first, then memory. */
static cxm_status create(bool place, void *mem, size_t size, const cxm_duration_options *opts,
                         const cxm_allocator *alloc, cxm_duration **out)
{
    uint32_t metric = 0;
    cxm_status st;
    if (!out) return CXM_INVALID_ARGUMENT;
    if ((st = read_options(opts, &metric)) != CXM_OK) return st;
    cxm_duration *d;
    st = cxm_obj_make(place, mem, size, alloc, sizeof *d, CXM_FAMILY_DURATION, (void **)&d);
    if (st != CXM_OK) return st;
    d->metric = metric;
    *out = d;
    return CXM_OK;
}

cxm_status cxm_duration_new(const cxm_duration_options *opts, const cxm_allocator *alloc,
                            cxm_duration **out)
{
    return create(false, NULL, 0, opts, alloc, out);
}

cxm_status cxm_duration_init_in(void *mem, size_t size, const cxm_duration_options *opts,
                                cxm_duration **out)
{
    return create(true, mem, size, opts, NULL, out);
}

cxm_status cxm_duration_add(cxm_duration *d, double seconds)
{
    if (!d) return CXM_INVALID_ARGUMENT;
    return dur_add(&d->c, seconds);
}

cxm_status cxm_duration_add_between(cxm_duration *d, int64_t start, int64_t end)
{
    if (!d) return CXM_INVALID_ARGUMENT;
    double span;
    cxm_status st = dur_span(start, end, &span);
    return st != CXM_OK ? st : dur_add(&d->c, span);
}

cxm_status cxm_duration_add_many(cxm_duration *d, const double *seconds, size_t n,
                                 size_t *bad_index)
{
    if (!d || (!seconds && n > 0)) return CXM_INVALID_ARGUMENT;
    size_t bad = 0;
    cxm_status st = dur_add_many(&d->c, seconds, n, &bad);
    if (st == CXM_OUT_OF_RANGE && bad_index) *bad_index = bad;
    return st;
}

cxm_status cxm_duration_merge(cxm_duration *dst, const cxm_duration *src)
{
    if (!dst || !src) return CXM_INVALID_ARGUMENT;
    if (dst->metric != src->metric) return CXM_KIND_MISMATCH;
    return dur_merge(&dst->c, &src->c);
}

cxm_status cxm_duration_reset(cxm_duration *d)
{
    if (!d) return CXM_INVALID_ARGUMENT;
    dur_init(&d->c);
    return CXM_OK;
}

cxm_status cxm_duration_clone(const cxm_duration *d, const cxm_allocator *alloc, cxm_duration **out)
{
    if (!d || !out) return CXM_INVALID_ARGUMENT;
    return cxm_obj_clone(d, sizeof *d, alloc, (void **)out);
}

cxm_status cxm_duration_metric_get(const cxm_duration *d, uint32_t *metric)
{
    if (!d || !metric) return CXM_INVALID_ARGUMENT;
    *metric = d->metric;
    return CXM_OK;
}

void dur_result_fill(const duration_core *c, uint32_t metric, double lv, cxm_duration_result *r)
{
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    r->metric = metric;
    r->n = dur_count(c);
    r->underflow = c->slot[DUR_UNDER];
    r->overflow = c->slot[DUR_OVER];
    r->mean_ci.level = lv;
    if (r->n > 0) {
        static const double qs[3] = {0.5, 0.9, 0.99};
        double q[3];
        size_t bad;
        r->sum = dur_sum(c);
        (void)dur_mean(c, &r->mean);
        (void)dur_sd(c, &r->sd);
        (void)dur_min(c, &r->min);
        (void)dur_max(c, &r->max);
        (void)dur_quantiles(c, qs, 3, q, &bad);
        r->median = q[0];
        r->p90 = q[1];
        r->p99 = q[2];
        cxm_mean_interval((double)r->n, r->mean, r->sd, lv, 0.0, DUR_MAX_VALUE, &r->mean_ci);
    }
    r->has_sd = r->n >= 2;
}

cxm_status cxm_duration_result_get(const cxm_duration *d, double level, cxm_duration_result *out)
{
    if (!d) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    double lv, z;
    if ((st = cxm_level_z(level, &lv, &z)) != CXM_OK) return st;
    cxm_duration_result r;
    dur_result_fill(&d->c, d->metric, lv, &r);
    cxm_result_copy(out, &r, sizeof r);
    return r.n > 0 ? CXM_OK : CXM_EMPTY;
}

cxm_status cxm_duration_quantile(const cxm_duration *d, double q, double *out)
{
    if (!d || !out) return CXM_INVALID_ARGUMENT;
    return dur_quantile(&d->c, q, out);
}

cxm_status cxm_duration_quantiles(const cxm_duration *d, const double *qs, size_t k, double *out,
                                  size_t *bad_index)
{
    if (!d || ((!qs || !out) && k > 0)) return CXM_INVALID_ARGUMENT;
    size_t bad = 0;
    cxm_status st = dur_quantiles(&d->c, qs, k, out, &bad);
    if (st == CXM_OUT_OF_RANGE && bad_index) *bad_index = bad;
    return st;
}

static cxm_status view(const cxm_duration *d, uint32_t metric, cxm_duration_view *out)
{
    if (!d) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    if (d->metric != metric) return CXM_KIND_MISMATCH;
    cxm_duration_view v;
    memset(&v, 0, sizeof v);
    v.size = sizeof v;
    v.metric = metric;
    v.n = dur_count(&d->c);
    if (v.n > 0) {
        static const double qs[2] = {0.5, 0.9};
        double q[2];
        size_t bad;
        (void)dur_mean(&d->c, &v.mean);
        (void)dur_quantiles(&d->c, qs, 2, q, &bad);
        v.median = q[0];
        v.p90 = q[1];
    }
    cxm_result_copy(out, &v, sizeof v);
    return v.n > 0 ? CXM_OK : CXM_EMPTY;
}

cxm_status cxm_duration_mttr(const cxm_duration *d, cxm_duration_view *out)
{
    return view(d, CXM_DURATION_RESOLUTION, out);
}

cxm_status cxm_duration_first_reply(const cxm_duration *d, cxm_duration_view *out)
{
    return view(d, CXM_DURATION_FIRST_REPLY, out);
}

cxm_status cxm_duration_aht(const cxm_duration *d, cxm_duration_view *out)
{
    return view(d, CXM_DURATION_HANDLE, out);
}

cxm_status cxm_duration_encode(const cxm_duration *d, uint8_t *buf, size_t cap, size_t *len)
{
    if (!d || !len) return CXM_INVALID_ARGUMENT;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_DURATION, DURATION_FORMAT_VERSION);
    cxm_wr_u32(&w, d->metric);
    dur_write(&w, &d->c);
    return cxm_wr_end(&w, len);
}

cxm_status cxm_duration_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                               cxm_duration **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_rd r;
    cxm_status st = cxm_rd_begin(&r, buf, len, CXM_FAMILY_DURATION, DURATION_FORMAT_VERSION);
    if (st != CXM_OK) return st;
    uint32_t metric = cxm_rd_u32(&r);
    if (r.bad || !metric_ok(metric) || r.left < DUR_MIN_BYTES) return CXM_BAD_FORMAT;
    /* The size is fixed, not chosen by the bytes: read straight into the object. */
    cxm_duration *d;
    cxm_duration_options o = {sizeof o, 0, metric, 0};
    if ((st = cxm_duration_new(&o, alloc, &d)) != CXM_OK) return st;
    dur_read(&r, &d->c);
    if ((st = cxm_rd_end(&r)) != CXM_OK) {
        cxm_duration_free(d);
        return st;
    }
    *out = d;
    return CXM_OK;
}

void cxm_duration_free(cxm_duration *d)
{
    cxm_obj_free(d);
}

/* ---- shares and medians (see cxm/compare.h) ---------------------------------- */

cxm_status cxm_duration_share_within(const cxm_duration *d, double threshold, double level,
                                     cxm_duration_share *out)
{
    if (!d) return CXM_INVALID_ARGUMENT;
    return dur_share_within(&d->c, threshold, level, out);
}

/* The median interval of a non-empty sketch at a resolved level. */
static void median_interval(const duration_core *c, double lv, cxm_interval *out)
{
    uint64_t n = c->n;
    double tail = (1.0 - lv) / 2.0;
    out->level = lv;
    out->lower = 0.0;
    out->upper = CXM_DURATION_MAX;
    /* j: the largest in 1 .. ceil(n/2) with P(B <= j - 1) <= tail (the CDF rises with j). */
    if (cxm_binomial_half_cdf(0, n) > tail) return;
    uint64_t lo = 1, hi = n / 2 + (n & 1); /* ceil(n / 2) without wrapping at 2^64 - 1 */
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo + 1) / 2;
        if (cxm_binomial_half_cdf(mid - 1, n) <= tail)
            lo = mid;
        else
            hi = mid - 1;
    }
    double a, b;
    dur_rank_range(c, lo - 1, &out->lower, &a);
    dur_rank_range(c, n - lo, &b, &out->upper);
}

cxm_status cxm_duration_median_interval(const cxm_duration *d, double level, cxm_interval *out)
{
    if (!d || !out) return CXM_INVALID_ARGUMENT;
    double lv, z;
    cxm_status st = cxm_level_z(level, &lv, &z);
    if (st != CXM_OK) return st;
    if (dur_count(&d->c) == 0) return CXM_EMPTY;
    median_interval(&d->c, lv, out);
    return CXM_OK;
}

cxm_status cxm_duration_compare_median(const cxm_duration *a, const cxm_duration *b, double level,
                                       cxm_duration_median_comparison *out)
{
    if (!a || !b) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    double lv, z;
    if ((st = cxm_level_z(level, &lv, &z)) != CXM_OK) return st;
    if (a->metric != b->metric) return CXM_KIND_MISMATCH;
    cxm_duration_median_comparison r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.n_a = dur_count(&a->c);
    r.n_b = dur_count(&b->c);
    r.ci.level = lv;
    /* Both intervals at sqrt(level) hold together with probability >= level.
       Each side is filled in when it has data, even if the other has none. */
    double each = sqrt(lv);
    r.has_a = r.n_a > 0;
    r.has_b = r.n_b > 0;
    if (r.has_a) {
        (void)dur_quantile(&a->c, 0.5, &r.median_a);
        median_interval(&a->c, each, &r.ci_a);
    }
    if (r.has_b) {
        (void)dur_quantile(&b->c, 0.5, &r.median_b);
        median_interval(&b->c, each, &r.ci_b);
    }
    if (r.has_a && r.has_b) {
        r.diff = r.median_a - r.median_b;
        r.ci.lower = fmin(r.ci_a.lower - r.ci_b.upper, r.diff);
        r.ci.upper = fmax(r.ci_a.upper - r.ci_b.lower, r.diff);
        r.significant = r.ci.lower > 0.0 || r.ci.upper < 0.0;
    }
    cxm_result_copy(out, &r, sizeof r);
    return r.n_a > 0 && r.n_b > 0 ? CXM_OK : CXM_EMPTY;
}
