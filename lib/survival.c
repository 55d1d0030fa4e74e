/*
 * survival.c — time to resolution with open tickets as right-censored
 * observations: two duration sketches (resolutions, open ages) on the same
 * buckets, the Kaplan-Meier curve walked over them, its quantiles, and a
 * Greenwood interval for the median (see cxm/survival.h). Two forms: dense
 * (two duration_cores) and compact (two paged sketches sharing one pool,
 * see sketch_pool.h); reads and the encoding go through the duration_cores
 * the values would have built, so both forms answer alike, bit for bit.
 */
#include <math.h>
#include <string.h>

#include "sketch_pool.h"
#include "survival_core.h"

#define SURVIVAL_FORMAT_VERSION 1

/* S <= target within this relative tolerance counts as reached (rounding of the product). */
#define KM_TOL 1e-9

/* The dense form. */
struct cxm_survival {
    cxm_obj obj;
    uint32_t compact; /* 0 here; 1: the object is a surv_compact */
    uint32_t reserved;
    duration_core events;   /* resolved tickets: created -> solved */
    duration_core censored; /* open tickets: age at report time */
};

/* The compact form: the same first fields, two paged sketches, then their pool. */
typedef struct surv_compact {
    cxm_obj obj;
    uint32_t compact; /* 1 */
    uint32_t reserved;
    uint64_t bytes; /* of the whole object: what clone copies */
    skp_sketch events, censored;
} surv_compact;

/* The pool starts on a cache line of the object. */
#define POOL_AT ((sizeof(surv_compact) + 63u) & ~(size_t)63u)
#define SURVIVAL_MAX_PAGES (2u * SKP_SKETCH_PAGES)

_Static_assert(offsetof(surv_compact, compact) == offsetof(cxm_survival, compact),
               "both forms start alike");
_Static_assert(CXM_SURVIVAL_PAGE_BYTES == SKP_PAGE_COST, "a page of budget is a pool page");
_Static_assert(CXM_SURVIVAL_MAX_MEMORY == SURVIVAL_MAX_PAGES * SKP_PAGE_COST,
               "the largest budget is the most two sketches can use");

static surv_compact *compact_of(cxm_survival *s)
{
    return (surv_compact *)(void *)s;
}
static const surv_compact *ccompact_of(const cxm_survival *s)
{
    return (const surv_compact *)(const void *)s;
}
static skp_pool *pool_of(surv_compact *k)
{
    return skp_pool_in(k, POOL_AT);
}
static const skp_pool *cpool_of(const surv_compact *k)
{
    return skp_cpool_in(k, POOL_AT);
}

bool survival_is_compact(const cxm_survival *s)
{
    return s->compact != 0;
}

/* The two sketches a read goes through: the dense ones, or the compact ones built into tmp. */
static void read_cores(const cxm_survival *s, duration_core tmp[2], const duration_core **events,
                       const duration_core **censored)
{
    if (!s->compact) {
        *events = &s->events;
        *censored = &s->censored;
        return;
    }
    const surv_compact *k = ccompact_of(s);
    skp_to_core(cpool_of(k), &k->events, &tmp[0]);
    skp_to_core(cpool_of(k), &k->censored, &tmp[1]);
    *events = &tmp[0];
    *censored = &tmp[1];
}

static uint64_t total(const cxm_survival *s)
{
    if (!s->compact) return s->events.n + s->censored.n;
    const surv_compact *k = ccompact_of(s);
    return k->events.n + k->censored.n;
}

uint32_t cxm_survival_page_bytes(void)
{
    return CXM_SURVIVAL_PAGE_BYTES;
}

uint64_t cxm_survival_max_memory(void)
{
    return CXM_SURVIVAL_MAX_MEMORY;
}

size_t cxm_survival_footprint(void)
{
    return sizeof(cxm_survival);
}

/* The pages of the compact form the options name (0: the dense form). */
static cxm_status read_options(const cxm_survival_options *opts, uint32_t *pages)
{
    cxm_survival_options o;
    cxm_status st = cxm_options_read(opts, CXM_SIZES(&o), &o, sizeof o);
    if (st != CXM_OK) return st;
    *pages = 0;
    if (o.memory_budget != 0 &&
        (*pages = skp_budget_pages(o.memory_budget, SURVIVAL_MAX_PAGES)) == 0)
        return CXM_INVALID_ARGUMENT;
    return CXM_OK;
}

static size_t shape_bytes(uint32_t pages)
{
    return pages ? POOL_AT + skp_bytes(pages) : sizeof(cxm_survival);
}

size_t cxm_survival_footprint_with(const cxm_survival_options *opts)
{
    uint32_t pages;
    return read_options(opts, &pages) == CXM_OK ? shape_bytes(pages) : 0;
}

static cxm_status make(bool place, void *mem, size_t size, uint32_t pages,
                       const cxm_allocator *alloc, cxm_survival **out)
{
    cxm_survival *s;
    size_t bytes = shape_bytes(pages);
    cxm_status st = cxm_obj_make(place, mem, size, alloc, bytes, CXM_FAMILY_SURVIVAL, (void **)&s);
    if (st != CXM_OK) return st;
    if (pages) {
        surv_compact *k = compact_of(s);
        k->compact = 1;
        k->bytes = bytes;
        skp_init(pool_of(k), pages);
    }
    *out = s;
    return CXM_OK;
}

static cxm_status create(bool place, void *mem, size_t size, const cxm_survival_options *opts,
                         const cxm_allocator *alloc, cxm_survival **out)
{
    uint32_t pages;
    if (!out) return CXM_INVALID_ARGUMENT;
    cxm_status st = read_options(opts, &pages);
    return st != CXM_OK ? st : make(place, mem, size, pages, alloc, out);
}

cxm_status cxm_survival_new(const cxm_allocator *alloc, cxm_survival **out)
{
    return create(false, NULL, 0, NULL, alloc, out);
}

cxm_status cxm_survival_init_in(void *mem, size_t size, cxm_survival **out)
{
    return create(true, mem, size, NULL, NULL, out);
}

cxm_status cxm_survival_new_with(const cxm_survival_options *opts, const cxm_allocator *alloc,
                                 cxm_survival **out)
{
    return create(false, NULL, 0, opts, alloc, out);
}

cxm_status cxm_survival_init_in_with(void *mem, size_t size, const cxm_survival_options *opts,
                                     cxm_survival **out)
{
    return create(true, mem, size, opts, NULL, out);
}

static bool state_ok(uint32_t state)
{
    return state == CXM_SURVIVAL_RESOLVED || state == CXM_SURVIVAL_OPEN;
}

static duration_core *core_of(cxm_survival *s, uint32_t state)
{
    return state == CXM_SURVIVAL_RESOLVED ? &s->events : &s->censored;
}

static skp_sketch *sketch_of(surv_compact *k, uint32_t state)
{
    return state == CXM_SURVIVAL_RESOLVED ? &k->events : &k->censored;
}

cxm_status cxm_survival_add(cxm_survival *s, double seconds, uint32_t state)
{
    if (!s) return CXM_INVALID_ARGUMENT;
    if (!state_ok(state) || !dur_value_ok(seconds)) return CXM_OUT_OF_RANGE;
    if (total(s) == UINT64_MAX) return CXM_OVERFLOW;
    if (!s->compact) return dur_add(core_of(s, state), seconds);
    surv_compact *k = compact_of(s);
    return skp_add(pool_of(k), sketch_of(k, state), seconds);
}

cxm_status cxm_survival_add_between(cxm_survival *s, int64_t created, int64_t end, uint32_t state)
{
    if (!s) return CXM_INVALID_ARGUMENT;
    double span;
    cxm_status st = dur_span(created, end, &span);
    return st != CXM_OK ? st : cxm_survival_add(s, span, state);
}

/* The sketch of ticket i of a batch (skp_batch_fits). */
typedef struct batch_pick {
    surv_compact *k;
    const uint8_t *states;
} batch_pick;

static skp_sketch *pick_sketch(void *ctx, size_t i)
{
    const batch_pick *b = ctx;
    return sketch_of(b->k, b->states[i]);
}

cxm_status cxm_survival_add_many(cxm_survival *s, const double *seconds, const uint8_t *states,
                                 size_t n, size_t *bad_index)
{
    if (!s || ((!seconds || !states) && n > 0)) return CXM_INVALID_ARGUMENT;
    for (size_t i = 0; i < n; i++)
        if (!state_ok(states[i]) || !dur_value_ok(seconds[i])) {
            if (bad_index) *bad_index = i;
            return CXM_OUT_OF_RANGE;
        }
    if (cxm_add_overflows(total(s), (uint64_t)n)) return CXM_OVERFLOW;
    /* Validated and room for all: no add below can fail. */
    if (!s->compact) {
        for (size_t i = 0; i < n; i++)
            (void)dur_add(core_of(s, states[i]), seconds[i]);
        return CXM_OK;
    }
    surv_compact *k = compact_of(s);
    batch_pick pick = {k, states};
    if (!skp_batch_fits(pool_of(k), seconds, n, pick_sketch, &pick)) return CXM_CAPACITY;
    for (size_t i = 0; i < n; i++)
        (void)skp_add(pool_of(k), sketch_of(k, states[i]), seconds[i]);
    return CXM_OK;
}

/*
 * Into a compact dst from a dense src or from itself: the dense sketches of
 * the union, loaded back if the pool holds them both.
 */
void survival_sums_begin(const cxm_survival *s, survival_sums *x)
{
    x->total = total(s);
    if (!s->compact) {
        x->c[0] = s->events;
        x->c[1] = s->censored;
        return;
    }
    const surv_compact *k = ccompact_of(s);
    skp_to_core(cpool_of(k), &k->events, &x->c[0]);
    skp_to_core(cpool_of(k), &k->censored, &x->c[1]);
}

cxm_status survival_sums_add(survival_sums *x, const cxm_survival *src)
{
    if (cxm_add_overflows(x->total, total(src))) return CXM_OVERFLOW;
    /* Each sketch's count is at most the total: neither merge can fail. */
    (void)dur_merge(&x->c[0], &src->events);
    (void)dur_merge(&x->c[1], &src->censored);
    x->total += total(src);
    return CXM_OK;
}

cxm_status survival_sums_store(cxm_survival *s, const survival_sums *x)
{
    if (!s->compact) {
        s->events = x->c[0];
        s->censored = x->c[1];
        return CXM_OK;
    }
    surv_compact *k = compact_of(s);
    skp_sketch *const both[2] = {&k->events, &k->censored};
    return skp_reload(pool_of(k), both, x->c, 2);
}

/* Compact into compact: counted over both sketches before either changes. */
static cxm_status merge_compacts(surv_compact *a, const surv_compact *b)
{
    skp_pool *pool = pool_of(a);
    const skp_pool *from = cpool_of(b);
    uint64_t need = (uint64_t)skp_merge_needs(pool, &a->events, from, &b->events) +
                    skp_merge_needs(pool, &a->censored, from, &b->censored);
    if (need > skp_free(pool)) return CXM_CAPACITY;
    (void)skp_merge(pool, &a->events, from, &b->events);
    (void)skp_merge(pool, &a->censored, from, &b->censored);
    return CXM_OK;
}

cxm_status cxm_survival_merge(cxm_survival *dst, const cxm_survival *src)
{
    if (!dst || !src) return CXM_INVALID_ARGUMENT;
    if (cxm_add_overflows(total(dst), total(src))) return CXM_OVERFLOW;
    /* Each sketch's count is at most the total: no merge below overflows. */
    if (dst->compact) {
        if (!src->compact || dst == src) { /* through the sums: one reload, all or nothing */
            survival_sums x;
            survival_sums_begin(dst, &x);
            if (dst == src) { /* into itself: the sums doubled (dur_merge allows aliasing) */
                (void)dur_merge(&x.c[0], &x.c[0]);
                (void)dur_merge(&x.c[1], &x.c[1]);
            } else {
                (void)survival_sums_add(&x, src); /* the total fits: checked above */
            }
            return survival_sums_store(dst, &x);
        }
        return merge_compacts(compact_of(dst), ccompact_of(src));
    }
    duration_core tmp[2];
    const duration_core *events, *censored;
    read_cores(src, tmp, &events, &censored);
    (void)dur_merge(&dst->events, events);
    (void)dur_merge(&dst->censored, censored);
    return CXM_OK;
}

cxm_status cxm_survival_reset(cxm_survival *s)
{
    if (!s) return CXM_INVALID_ARGUMENT;
    if (!s->compact) {
        dur_init(&s->events);
        dur_init(&s->censored);
        return CXM_OK;
    }
    surv_compact *k = compact_of(s);
    skp_reset(pool_of(k));
    skp_clear(&k->events);
    skp_clear(&k->censored);
    return CXM_OK;
}

/* Bytes of the object, in either form. */
static size_t object_bytes(const cxm_survival *s)
{
    return s->compact ? (size_t)ccompact_of(s)->bytes : sizeof *s;
}

cxm_status cxm_survival_clone(const cxm_survival *s, const cxm_allocator *alloc, cxm_survival **out)
{
    if (!s || !out) return CXM_INVALID_ARGUMENT;
    /* Pages are named by index: a copy of the bytes is a copy of the sketches. */
    return cxm_obj_clone(s, object_bytes(s), alloc, (void **)out);
}

cxm_status cxm_survival_memory(const cxm_survival *s, size_t *used, size_t *available)
{
    if (!s) return CXM_INVALID_ARGUMENT;
    skp_memory(s->compact ? cpool_of(ccompact_of(s)) : NULL, object_bytes(s), used, available);
    return CXM_OK;
}

/* ---- the Kaplan-Meier walk ----------------------------------------------------- */

/* One step of the curve: after bucket `slot`, S and Greenwood's standard error. */
typedef struct km_walk {
    const duration_core *events, *censored;
    uint32_t slot;    /* next bucket to visit */
    uint64_t at_risk; /* tickets neither resolved nor censored before `slot` */
    double surv;      /* S after the last bucket visited */
    double green;     /* Greenwood's sum d / (n (n - d)) */
    bool degenerate;  /* S reached 0: the variance is 0 from then on */
} km_walk;

static void km_start(km_walk *w, const duration_core *events, const duration_core *censored)
{
    w->events = events;
    w->censored = censored;
    w->slot = 0;
    w->at_risk = events->n + censored->n;
    w->surv = 1.0;
    w->green = 0.0;
    w->degenerate = false;
}

/* Advances to the next bucket holding resolutions; false when none is left. */
static bool km_next(km_walk *w, uint32_t *slot)
{
    while (w->slot < DUR_SLOTS) {
        uint32_t j = w->slot++;
        uint64_t d = w->events->slot[j], n = w->at_risk;
        w->at_risk -= d + w->censored->slot[j];
        if (d == 0) continue;
        w->surv *= (double)(n - d) / (double)n;
        if (n == d)
            w->degenerate = true;
        else
            w->green += (double)d / ((double)n * (double)(n - d));
        *slot = j;
        return true;
    }
    return false;
}

static double km_se(const km_walk *w)
{
    return w->degenerate ? 0.0 : w->surv * sqrt(w->green);
}

static bool reached(double surv, double target)
{
    return surv <= target + KM_TOL;
}

/* The q-quantile's bucket estimate, or CXM_EMPTY if the curve never gets there. */
static cxm_status km_quantile(const duration_core *events, const duration_core *censored, double q,
                              double *out)
{
    km_walk w;
    uint32_t j;
    km_start(&w, events, censored);
    while (km_next(&w, &j))
        if (reached(w.surv, 1.0 - q)) {
            *out = dur_slot_estimate(events, j);
            return CXM_OK;
        }
    return CXM_EMPTY;
}

cxm_status cxm_survival_quantile(const cxm_survival *s, double q, double *out)
{
    if (!s || !out) return CXM_INVALID_ARGUMENT;
    if (!(q > 0.0 && q <= 1.0)) return CXM_OUT_OF_RANGE;
    duration_core tmp[2];
    const duration_core *events, *censored;
    read_cores(s, tmp, &events, &censored);
    return km_quantile(events, censored, q, out);
}

double survival_km_at(const duration_core *events, const duration_core *censored, double t)
{
    km_walk w;
    uint32_t j;
    double surv = 1.0;
    /* By bucket, not by estimate: the same answer whatever min and max clamp the estimates to. */
    const uint32_t last = dur_slot_of(t);
    km_start(&w, events, censored);
    while (km_next(&w, &j) && j <= last)
        surv = w.surv;
    return surv;
}

void survival_km_result(const duration_core *events, const duration_core *censored, double lv,
                        double z, cxm_survival_result *out)
{
    cxm_survival_result r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.n = events->n + censored->n;
    r.resolved = events->n;
    r.open = censored->n;
    r.median_ci.level = lv;
    r.survival_end = 1.0;
    if (r.n > 0) {
        km_walk w;
        uint32_t j;
        km_start(&w, events, censored);
        while (km_next(&w, &j)) {
            double se = km_se(&w), at = dur_slot_estimate(events, j);
            if (!r.median_reached && reached(w.surv, 0.5)) {
                r.median_reached = 1;
                r.median = at;
            }
            if (!r.ci_lower_reached && reached(w.surv - z * se, 0.5)) {
                r.ci_lower_reached = 1;
                r.median_ci.lower = at;
            }
            if (!r.ci_upper_reached && reached(w.surv + z * se, 0.5)) {
                r.ci_upper_reached = 1;
                r.median_ci.upper = at;
            }
        }
        r.survival_end = w.surv;
        r.open_share = cxm_share((double)r.open, (double)r.n);
        r.has_closed = dur_mean(events, &r.closed_mean) == CXM_OK &&
                       dur_quantile(events, 0.5, &r.closed_median) == CXM_OK;
        r.has_oldest_open = dur_max(censored, &r.oldest_open) == CXM_OK;
    }
    *out = r;
}

cxm_status cxm_survival_result_get(const cxm_survival *s, double level, cxm_survival_result *out)
{
    if (!s) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    double lv, z;
    if ((st = cxm_level_z(level, &lv, &z)) != CXM_OK) return st;
    cxm_survival_result r;
    duration_core tmp[2];
    const duration_core *events, *censored;
    read_cores(s, tmp, &events, &censored);
    survival_km_result(events, censored, lv, z, &r);
    cxm_result_copy(out, &r, sizeof r);
    return r.n > 0 ? CXM_OK : CXM_EMPTY;
}

/* ---- encoding ------------------------------------------------------------------- */

cxm_status cxm_survival_encode(const cxm_survival *s, uint8_t *buf, size_t cap, size_t *len)
{
    if (!s || !len) return CXM_INVALID_ARGUMENT;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_SURVIVAL, SURVIVAL_FORMAT_VERSION);
    duration_core tmp[2];
    const duration_core *events, *censored;
    read_cores(s, tmp, &events, &censored);
    dur_write(&w, events);
    dur_write(&w, censored);
    return cxm_wr_end(&w, len);
}

cxm_status cxm_survival_decode_with(const uint8_t *buf, size_t len,
                                    const cxm_survival_options *opts, const cxm_allocator *alloc,
                                    cxm_survival **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    uint32_t pages;
    cxm_status st = read_options(opts, &pages);
    if (st != CXM_OK) return st;
    cxm_rd r;
    if ((st = cxm_rd_begin(&r, buf, len, CXM_FAMILY_SURVIVAL, SURVIVAL_FORMAT_VERSION)) != CXM_OK)
        return st;
    if (r.left < 2u * DUR_MIN_BYTES) return CXM_BAD_FORMAT;
    /* Everything is read and checked before anything is allocated. */
    duration_core c[2];
    dur_read(&r, &c[0]);
    dur_read(&r, &c[1]);
    if ((st = cxm_rd_end(&r)) != CXM_OK) return st;
    if (cxm_add_overflows(c[0].n, c[1].n)) return CXM_BAD_FORMAT;
    if (pages && (uint64_t)skp_core_needs(&c[0]) + skp_core_needs(&c[1]) > pages)
        return CXM_CAPACITY;
    cxm_survival *s;
    if ((st = make(false, NULL, 0, pages, alloc, &s)) != CXM_OK) return st;
    if (s->compact) {
        surv_compact *k = compact_of(s);
        /* Counted above: neither can fail. */
        (void)skp_from_core(pool_of(k), &k->events, &c[0]);
        (void)skp_from_core(pool_of(k), &k->censored, &c[1]);
    } else {
        s->events = c[0];
        s->censored = c[1];
    }
    *out = s;
    return CXM_OK;
}

cxm_status cxm_survival_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                               cxm_survival **out)
{
    return cxm_survival_decode_with(buf, len, NULL, alloc, out);
}

void cxm_survival_free(cxm_survival *s)
{
    cxm_obj_free(s);
}
