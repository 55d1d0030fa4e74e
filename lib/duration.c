/*
 * duration.c — the duration accumulator: one duration sketch (see
 * duration_core.h) tagged with the metric it measures, the named views
 * (MTTR, mean first reply time, AHT) and the encoding. Two forms of the
 * same sketch: dense (a duration_core, 20 KB whatever the data) and compact
 * (its counts in pages of a private pool, see sketch_pool.h). Every read
 * and the encoding go through the duration_core the values would have
 * built, so the forms answer alike, bit for bit.
 */
#include <math.h>
#include <string.h>

#include "sketch_pool.h"

#define DURATION_FORMAT_VERSION 1

/* The compact form: cxm_duration's first fields, the paged sketch, then its pool. */
typedef struct dur_compact {
    cxm_obj obj;
    uint32_t metric;
    uint32_t compact; /* 1 */
    uint64_t bytes;   /* of the whole object: what clone copies */
    skp_sketch s;
} dur_compact;

/* The pool starts on a cache line of the object. */
#define POOL_AT ((sizeof(dur_compact) + 63u) & ~(size_t)63u)

_Static_assert(offsetof(dur_compact, metric) == offsetof(cxm_duration, metric) &&
                   offsetof(dur_compact, compact) == offsetof(cxm_duration, compact),
               "both forms start alike");
_Static_assert(CXM_DURATION_PAGE_BYTES == SKP_PAGE_COST, "a page of budget is a pool page");
_Static_assert(CXM_DURATION_MAX_MEMORY == SKP_SKETCH_PAGES * SKP_PAGE_COST,
               "the largest budget is the most a sketch can use");

static dur_compact *compact_of(cxm_duration *d)
{
    return (dur_compact *)(void *)d;
}
static const dur_compact *ccompact_of(const cxm_duration *d)
{
    return (const dur_compact *)(const void *)d;
}
static skp_pool *pool_of(dur_compact *k)
{
    return skp_pool_in(k, POOL_AT);
}
static const skp_pool *cpool_of(const dur_compact *k)
{
    return skp_cpool_in(k, POOL_AT);
}

/* The sketch a read goes through: the dense one itself, or the compact one built into *tmp. */
static const duration_core *read_core(const cxm_duration *d, duration_core *tmp)
{
    if (!d->compact) return &d->c;
    const dur_compact *k = ccompact_of(d);
    skp_to_core(cpool_of(k), &k->s, tmp);
    return tmp;
}

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
uint32_t cxm_duration_page_bytes(void)
{
    return CXM_DURATION_PAGE_BYTES;
}
uint64_t cxm_duration_max_memory(void)
{
    return CXM_DURATION_MAX_MEMORY;
}
size_t cxm_duration_footprint(void)
{
    return sizeof(cxm_duration);
}

static bool metric_ok(uint32_t m)
{
    return m <= CXM_DURATION_HANDLE;
}

/* What the options make: a metric, and 0 pages (dense) or the compact form's pages. */
typedef struct dur_shape {
    uint32_t metric;
    uint32_t pages;
} dur_shape;

static cxm_status read_options(const cxm_duration_options *opts, dur_shape *sh)
{
    cxm_duration_options o;
    cxm_status st = cxm_options_read(opts, CXM_SIZES(&o), &o, sizeof o);
    if (st != CXM_OK) return st;
    if (!metric_ok(o.metric) || o.reserved2 != 0) return CXM_INVALID_ARGUMENT;
    sh->metric = o.metric;
    sh->pages = 0;
    if (o.memory_budget != 0 &&
        (sh->pages = skp_budget_pages(o.memory_budget, SKP_SKETCH_PAGES)) == 0)
        return CXM_INVALID_ARGUMENT;
    return CXM_OK;
}

static size_t shape_bytes(const dur_shape *sh)
{
    return sh->pages ? POOL_AT + skp_bytes(sh->pages) : sizeof(cxm_duration);
}

size_t cxm_duration_footprint_with(const cxm_duration_options *opts)
{
    dur_shape sh;
    return read_options(opts, &sh) == CXM_OK ? shape_bytes(&sh) : 0;
}

/* new (place = false) and init_in (place = true) alike, from checked options. */
static cxm_status make(bool place, void *mem, size_t size, const dur_shape *sh,
                       const cxm_allocator *alloc, cxm_duration **out)
{
    cxm_duration *d;
    size_t bytes = shape_bytes(sh);
    cxm_status st = cxm_obj_make(place, mem, size, alloc, bytes, CXM_FAMILY_DURATION, (void **)&d);
    if (st != CXM_OK) return st;
    d->metric = sh->metric;
    if (sh->pages) {
        dur_compact *k = compact_of(d);
        k->compact = 1;
        k->bytes = bytes;
        skp_init(pool_of(k), sh->pages);
    }
    *out = d;
    return CXM_OK;
}

static cxm_status create(bool place, void *mem, size_t size, const cxm_duration_options *opts,
                         const cxm_allocator *alloc, cxm_duration **out)
{
    dur_shape sh;
    if (!out) return CXM_INVALID_ARGUMENT;
    cxm_status st = read_options(opts, &sh);
    return st != CXM_OK ? st : make(place, mem, size, &sh, alloc, out);
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

static cxm_status add_one(cxm_duration *d, double seconds)
{
    /* The dense add is the straight path; the compact one's tail call costs more than a jump. */
    if (DUR_RARE(d->compact)) {
        dur_compact *k = compact_of(d);
        return skp_add(pool_of(k), &k->s, seconds);
    }
    return dur_add(&d->c, seconds);
}

cxm_status cxm_duration_add(cxm_duration *d, double seconds)
{
    if (!d) return CXM_INVALID_ARGUMENT;
    return add_one(d, seconds);
}

cxm_status cxm_duration_add_between(cxm_duration *d, int64_t start, int64_t end)
{
    if (!d) return CXM_INVALID_ARGUMENT;
    double span;
    cxm_status st = dur_span(start, end, &span);
    return st != CXM_OK ? st : add_one(d, span);
}

static skp_sketch *the_sketch(void *sketch, size_t i)
{
    (void)i;
    return sketch;
}

/* dur_add_many's statuses in its order (a bad value, then the count), then the pages. */
static cxm_status compact_add_many(dur_compact *k, const double *v, size_t n, size_t *bad)
{
    for (size_t i = 0; i < n; i++)
        if (!dur_value_ok(v[i])) {
            *bad = i;
            return CXM_OUT_OF_RANGE;
        }
    if (cxm_add_overflows(k->s.n, (uint64_t)n)) return CXM_OVERFLOW;
    skp_pool *pool = pool_of(k);
    if (!skp_batch_fits(pool, v, n, the_sketch, &k->s)) return CXM_CAPACITY;
    for (size_t i = 0; i < n; i++)
        (void)skp_add(pool, &k->s, v[i]); /* checked above: cannot fail */
    return CXM_OK;
}

cxm_status cxm_duration_add_many(cxm_duration *d, const double *seconds, size_t n,
                                 size_t *bad_index)
{
    if (!d || (!seconds && n > 0)) return CXM_INVALID_ARGUMENT;
    size_t bad = 0;
    cxm_status st = d->compact ? compact_add_many(compact_of(d), seconds, n, &bad)
                               : dur_add_many(&d->c, seconds, n, &bad);
    if (st == CXM_OUT_OF_RANGE && bad_index) *bad_index = bad;
    return st;
}

/*
 * Into a compact dst from a dense src or from itself: the dense sketch of
 * the union (dur_merge's checks), loaded back if the pool holds it.
 */
static cxm_status merge_into_compact(dur_compact *k, const cxm_duration *src)
{
    duration_core sum;
    skp_to_core(pool_of(k), &k->s, &sum);
    const bool self = (const void *)src == (const void *)k;
    cxm_status st = dur_merge(&sum, self ? &sum : &src->c);
    if (st != CXM_OK) return st;
    skp_sketch *one = &k->s;
    return skp_reload(pool_of(k), &one, &sum, 1);
}

static cxm_status merge_into_dense(cxm_duration *dst, const cxm_duration *src)
{
    duration_core tmp;
    return dur_merge(&dst->c, read_core(src, &tmp));
}

cxm_status cxm_duration_merge(cxm_duration *dst, const cxm_duration *src)
{
    if (!dst || !src) return CXM_INVALID_ARGUMENT;
    if (dst->metric != src->metric) return CXM_KIND_MISMATCH;
    if (!dst->compact) return merge_into_dense(dst, src);
    dur_compact *k = compact_of(dst);
    if (!src->compact || dst == src) return merge_into_compact(k, src);
    const dur_compact *b = ccompact_of(src);
    return skp_merge(pool_of(k), &k->s, cpool_of(b), &b->s);
}

cxm_status cxm_duration_reset(cxm_duration *d)
{
    if (!d) return CXM_INVALID_ARGUMENT;
    if (!d->compact) {
        dur_init(&d->c);
        return CXM_OK;
    }
    dur_compact *k = compact_of(d);
    skp_reset(pool_of(k));
    skp_clear(&k->s);
    return CXM_OK;
}

/* Bytes of the object, in either form. */
static size_t object_bytes(const cxm_duration *d)
{
    return d->compact ? (size_t)ccompact_of(d)->bytes : sizeof *d;
}

cxm_status cxm_duration_clone(const cxm_duration *d, const cxm_allocator *alloc, cxm_duration **out)
{
    if (!d || !out) return CXM_INVALID_ARGUMENT;
    /* Pages are named by index: a copy of the bytes is a copy of the sketch. */
    return cxm_obj_clone(d, object_bytes(d), alloc, (void **)out);
}

cxm_status cxm_duration_memory(const cxm_duration *d, size_t *used, size_t *available)
{
    if (!d) return CXM_INVALID_ARGUMENT;
    skp_memory(d->compact ? cpool_of(ccompact_of(d)) : NULL, object_bytes(d), used, available);
    return CXM_OK;
}

cxm_status cxm_duration_metric_get(const cxm_duration *d, uint32_t *metric)
{
    if (!d || !metric) return CXM_INVALID_ARGUMENT;
    *metric = d->metric;
    return CXM_OK;
}

void dur_result_stats(const duration_core *c, uint32_t metric, cxm_duration_result *r)
{
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    r->metric = metric;
    r->n = dur_count(c);
    r->underflow = c->slot[DUR_UNDER];
    r->overflow = c->slot[DUR_OVER];
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
    }
    r->has_sd = r->n >= 2;
}

void dur_result_fill(const duration_core *c, uint32_t metric, double lv, cxm_duration_result *r)
{
    dur_result_stats(c, metric, r);
    r->mean_ci.level = lv;
    if (r->n > 0)
        cxm_mean_interval((double)r->n, r->mean, r->sd, lv, 0.0, DUR_MAX_VALUE, &r->mean_ci);
}

cxm_status cxm_duration_result_get(const cxm_duration *d, double level, cxm_duration_result *out)
{
    if (!d) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    double lv, z;
    if ((st = cxm_level_z(level, &lv, &z)) != CXM_OK) return st;
    cxm_duration_result r;
    duration_core tmp;
    dur_result_fill(read_core(d, &tmp), d->metric, lv, &r);
    cxm_result_copy(out, &r, sizeof r);
    return r.n > 0 ? CXM_OK : CXM_EMPTY;
}

cxm_status cxm_duration_quantile(const cxm_duration *d, double q, double *out)
{
    if (!d || !out) return CXM_INVALID_ARGUMENT;
    duration_core tmp;
    return dur_quantile(read_core(d, &tmp), q, out);
}

cxm_status cxm_duration_quantiles(const cxm_duration *d, const double *qs, size_t k, double *out,
                                  size_t *bad_index)
{
    if (!d || ((!qs || !out) && k > 0)) return CXM_INVALID_ARGUMENT;
    size_t bad = 0;
    duration_core tmp;
    cxm_status st = dur_quantiles(read_core(d, &tmp), qs, k, out, &bad);
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
    duration_core tmp;
    const duration_core *c = read_core(d, &tmp);
    v.n = dur_count(c);
    if (v.n > 0) {
        static const double qs[2] = {0.5, 0.9};
        double q[2];
        size_t bad;
        (void)dur_mean(c, &v.mean);
        (void)dur_quantiles(c, qs, 2, q, &bad);
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
    duration_core tmp;
    dur_write(&w, read_core(d, &tmp));
    return cxm_wr_end(&w, len);
}

cxm_status cxm_duration_decode_with(const uint8_t *buf, size_t len,
                                    const cxm_duration_options *opts, const cxm_allocator *alloc,
                                    cxm_duration **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    dur_shape sh;
    cxm_status st = read_options(opts, &sh);
    if (st != CXM_OK) return st;
    cxm_rd r;
    if ((st = cxm_rd_begin(&r, buf, len, CXM_FAMILY_DURATION, DURATION_FORMAT_VERSION)) != CXM_OK)
        return st;
    uint32_t metric = cxm_rd_u32(&r);
    if (r.bad || !metric_ok(metric) || r.left < DUR_MIN_BYTES) return CXM_BAD_FORMAT;
    /* Everything is read and checked before anything is allocated. */
    duration_core c;
    dur_read(&r, &c);
    if ((st = cxm_rd_end(&r)) != CXM_OK) return st;
    if (sh.metric != CXM_DURATION_ANY && sh.metric != metric) return CXM_KIND_MISMATCH;
    if (sh.pages && skp_core_needs(&c) > sh.pages) return CXM_CAPACITY;
    sh.metric = metric;
    cxm_duration *d;
    if ((st = make(false, NULL, 0, &sh, alloc, &d)) != CXM_OK) return st;
    if (d->compact) {
        dur_compact *k = compact_of(d);
        (void)skp_from_core(pool_of(k), &k->s, &c); /* counted above: cannot fail */
    } else {
        d->c = c;
    }
    *out = d;
    return CXM_OK;
}

cxm_status cxm_duration_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                               cxm_duration **out)
{
    return cxm_duration_decode_with(buf, len, NULL, alloc, out);
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
    duration_core tmp;
    return dur_share_within(read_core(d, &tmp), threshold, level, out);
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
    duration_core tmp;
    const duration_core *c = read_core(d, &tmp);
    if (dur_count(c) == 0) return CXM_EMPTY;
    median_interval(c, lv, out);
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
    duration_core tmp_a, tmp_b;
    const duration_core *ca = read_core(a, &tmp_a), *cb = read_core(b, &tmp_b);
    cxm_duration_median_comparison r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.n_a = dur_count(ca);
    r.n_b = dur_count(cb);
    r.ci.level = lv;
    /* Both intervals at sqrt(level) hold together with probability >= level.
       Each side is filled in when it has data, even if the other has none. */
    double each = sqrt(lv);
    r.has_a = r.n_a > 0;
    r.has_b = r.n_b > 0;
    if (r.has_a) {
        (void)dur_quantile(ca, 0.5, &r.median_a);
        median_interval(ca, each, &r.ci_a);
    }
    if (r.has_b) {
        (void)dur_quantile(cb, 0.5, &r.median_b);
        median_interval(cb, each, &r.ci_b);
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
