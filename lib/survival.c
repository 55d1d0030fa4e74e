/*
 * survival.c — time to resolution with open tickets as right-censored
 * observations: two duration sketches (resolutions, open ages) on the same
 * buckets, the Kaplan-Meier curve walked over them, its quantiles, and a
 * Greenwood interval for the median (see cxm/survival.h).
 */
#include <math.h>
#include <string.h>

#include "survival_core.h"

#define SURVIVAL_FORMAT_VERSION 1

/* S <= target within this relative tolerance counts as reached (rounding of the product). */
#define KM_TOL 1e-9

struct cxm_survival {
    cxm_obj obj;
    duration_core events;   /* resolved tickets: created -> solved */
    duration_core censored; /* open tickets: age at report time */
};

static uint64_t total(const cxm_survival *s)
{
    return s->events.n + s->censored.n;
}

size_t cxm_survival_footprint(void)
{
    return sizeof(cxm_survival);
}

cxm_status cxm_survival_new(const cxm_allocator *alloc, cxm_survival **out)
{
    if (!out) return CXM_INVALID_ARGUMENT;
    return cxm_obj_new(alloc, sizeof(cxm_survival), CXM_FAMILY_SURVIVAL, (void **)out);
}

cxm_status cxm_survival_init_in(void *mem, size_t size, cxm_survival **out)
{
    if (!out) return CXM_INVALID_ARGUMENT;
    return cxm_obj_place(mem, size, sizeof(cxm_survival), CXM_FAMILY_SURVIVAL, (void **)out);
}

static bool state_ok(uint32_t state)
{
    return state == CXM_SURVIVAL_RESOLVED || state == CXM_SURVIVAL_OPEN;
}

static duration_core *core_of(cxm_survival *s, uint32_t state)
{
    return state == CXM_SURVIVAL_RESOLVED ? &s->events : &s->censored;
}

cxm_status cxm_survival_add(cxm_survival *s, double seconds, uint32_t state)
{
    if (!s) return CXM_INVALID_ARGUMENT;
    if (!state_ok(state) || !dur_value_ok(seconds)) return CXM_OUT_OF_RANGE;
    if (total(s) == UINT64_MAX) return CXM_OVERFLOW;
    return dur_add(core_of(s, state), seconds);
}

cxm_status cxm_survival_add_between(cxm_survival *s, int64_t created, int64_t end, uint32_t state)
{
    if (!s) return CXM_INVALID_ARGUMENT;
    double span;
    cxm_status st = dur_span(created, end, &span);
    return st != CXM_OK ? st : cxm_survival_add(s, span, state);
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
    for (size_t i = 0; i < n; i++)
        (void)dur_add(core_of(s, states[i]), seconds[i]);
    return CXM_OK;
}

cxm_status cxm_survival_merge(cxm_survival *dst, const cxm_survival *src)
{
    if (!dst || !src) return CXM_INVALID_ARGUMENT;
    if (cxm_add_overflows(total(dst), total(src))) return CXM_OVERFLOW;
    /* Each sketch's count is at most the total: neither merge can fail now. */
    (void)dur_merge(&dst->events, &src->events);
    (void)dur_merge(&dst->censored, &src->censored);
    return CXM_OK;
}

cxm_status cxm_survival_reset(cxm_survival *s)
{
    if (!s) return CXM_INVALID_ARGUMENT;
    dur_init(&s->events);
    dur_init(&s->censored);
    return CXM_OK;
}

cxm_status cxm_survival_clone(const cxm_survival *s, const cxm_allocator *alloc, cxm_survival **out)
{
    if (!s || !out) return CXM_INVALID_ARGUMENT;
    return cxm_obj_clone(s, sizeof *s, alloc, (void **)out);
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
static cxm_status km_quantile(const cxm_survival *s, double q, double *out)
{
    km_walk w;
    uint32_t j;
    km_start(&w, &s->events, &s->censored);
    while (km_next(&w, &j))
        if (reached(w.surv, 1.0 - q)) {
            *out = dur_slot_estimate(&s->events, j);
            return CXM_OK;
        }
    return CXM_EMPTY;
}

cxm_status cxm_survival_quantile(const cxm_survival *s, double q, double *out)
{
    if (!s || !out) return CXM_INVALID_ARGUMENT;
    if (!(q > 0.0 && q <= 1.0)) return CXM_OUT_OF_RANGE;
    return km_quantile(s, q, out);
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
    survival_km_result(&s->events, &s->censored, lv, z, &r);
    cxm_result_copy(out, &r, sizeof r);
    return r.n > 0 ? CXM_OK : CXM_EMPTY;
}

/* ---- encoding ------------------------------------------------------------------- */

cxm_status cxm_survival_encode(const cxm_survival *s, uint8_t *buf, size_t cap, size_t *len)
{
    if (!s || !len) return CXM_INVALID_ARGUMENT;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_SURVIVAL, SURVIVAL_FORMAT_VERSION);
    dur_write(&w, &s->events);
    dur_write(&w, &s->censored);
    return cxm_wr_end(&w, len);
}

cxm_status cxm_survival_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                               cxm_survival **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_rd r;
    cxm_status st = cxm_rd_begin(&r, buf, len, CXM_FAMILY_SURVIVAL, SURVIVAL_FORMAT_VERSION);
    if (st != CXM_OK) return st;
    /* The size is fixed, not chosen by the bytes: read straight into the object,
       once the bytes can hold its two sketches. */
    if (r.left < 2u * DUR_MIN_BYTES) return CXM_BAD_FORMAT;
    cxm_survival *s;
    if ((st = cxm_survival_new(alloc, &s)) != CXM_OK) return st;
    dur_read(&r, &s->events);
    dur_read(&r, &s->censored);
    if ((st = cxm_rd_end(&r)) == CXM_OK && cxm_add_overflows(s->events.n, s->censored.n))
        st = CXM_BAD_FORMAT;
    if (st != CXM_OK) {
        cxm_survival_free(s);
        return st;
    }
    *out = s;
    return CXM_OK;
}

void cxm_survival_free(cxm_survival *s)
{
    cxm_obj_free(s);
}
