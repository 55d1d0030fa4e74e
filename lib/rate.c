/*
 * rate.c — the proportion accumulator: exact success and trial counts for
 * one named use and definition, the rate, its Wilson interval, the encoding.
 */
#include <string.h>

#include "bytecount.h"
#include "rate_core.h"

#define RATE_FORMAT_VERSION 1

struct cxm_rate {
    cxm_obj obj;
    uint32_t use;
    uint32_t definition;
    uint64_t successes;
    uint64_t trials;
};

static bool use_ok(uint32_t use)
{
    return use >= CXM_RATE_GENERIC && use < CXM_RATE_USE_COUNT;
}

uint32_t cxm_rate_use_count(void)
{
    return CXM_RATE_USE_COUNT;
}

const char *cxm_rate_use_str(uint32_t use)
{
    static const char *const names[CXM_RATE_USE_COUNT] = {
        "unknown", "generic",    "fcr",        "one-touch",
        "reopen",  "unresolved", "deflection", "sla-achievement"};
    return use_ok(use) ? names[use] : names[0];
}

size_t cxm_rate_footprint(void)
{
    return sizeof(cxm_rate);
}

static cxm_status create(bool place, void *mem, size_t size, uint32_t use, uint32_t definition,
                         const cxm_allocator *alloc, cxm_rate **out)
{
    if (!out || !use_ok(use)) return CXM_INVALID_ARGUMENT;
    cxm_rate *r;
    cxm_status st = cxm_obj_make(place, mem, size, alloc, sizeof *r, CXM_FAMILY_RATE, (void **)&r);
    if (st != CXM_OK) return st;
    r->use = use;
    r->definition = definition;
    *out = r;
    return CXM_OK;
}

cxm_status cxm_rate_new(uint32_t use, uint32_t definition, const cxm_allocator *alloc,
                        cxm_rate **out)
{
    return create(false, NULL, 0, use, definition, alloc, out);
}

cxm_status cxm_rate_init_in(void *mem, size_t size, uint32_t use, uint32_t definition,
                            cxm_rate **out)
{
    return create(true, mem, size, use, definition, NULL, out);
}

/*
 * The checks and sums of every add, inline in each caller: the single add
 * calls it directly, not through the exported cxm_rate_add_counts, whose
 * call from inside the library would go through the PLT.
 */
static inline cxm_status rate_add_counts(cxm_rate *rate, uint64_t successes, uint64_t trials)
{
    if (!rate) return CXM_INVALID_ARGUMENT;
    if (successes > trials) return CXM_OUT_OF_RANGE;
    if (cxm_add_overflows(rate->trials, trials)) return CXM_OVERFLOW;
    rate->successes += successes;
    rate->trials += trials;
    return CXM_OK;
}

cxm_status cxm_rate_add_counts(cxm_rate *rate, uint64_t successes, uint64_t trials)
{
    return rate_add_counts(rate, successes, trials);
}

cxm_status cxm_rate_add(cxm_rate *rate, uint32_t success)
{
    /* successes <= trials holds once success <= 1. */
    if (!rate) return CXM_INVALID_ARGUMENT;
    if (success > 1) return CXM_OUT_OF_RANGE;
    return rate_add_counts(rate, success, 1);
}

cxm_status cxm_rate_add_many(cxm_rate *rate, const uint8_t *outcomes, size_t n, size_t *bad_index)
{
    if (!rate || (!outcomes && n > 0)) return CXM_INVALID_ARGUMENT;
    static const uint8_t cut = 0;
    uint64_t zeros = 0;
    size_t at = 0;
    if (n > 0 && !cxm_bytecount(outcomes, n, 0, 1, &cut, 1, &zeros, &at)) {
        if (bad_index) *bad_index = at;
        return CXM_OUT_OF_RANGE;
    }
    return rate_add_counts(rate, (uint64_t)n - zeros, (uint64_t)n);
}

cxm_status cxm_rate_merge(cxm_rate *dst, const cxm_rate *src)
{
    if (!dst || !src) return CXM_INVALID_ARGUMENT;
    if (dst->use != src->use || dst->definition != src->definition) return CXM_KIND_MISMATCH;
    /* Read src before writing dst: they may be the same object. */
    uint64_t k = src->successes, n = src->trials;
    return rate_add_counts(dst, k, n);
}

cxm_status cxm_rate_reset(cxm_rate *rate)
{
    if (!rate) return CXM_INVALID_ARGUMENT;
    rate->successes = 0;
    rate->trials = 0;
    return CXM_OK;
}

cxm_status cxm_rate_clone(const cxm_rate *rate, const cxm_allocator *alloc, cxm_rate **out)
{
    if (!rate || !out) return CXM_INVALID_ARGUMENT;
    return cxm_obj_clone(rate, sizeof *rate, alloc, (void **)out);
}

cxm_status cxm_rate_identity(const cxm_rate *rate, uint32_t *use, uint32_t *definition)
{
    if (!rate || !use || !definition) return CXM_INVALID_ARGUMENT;
    *use = rate->use;
    *definition = rate->definition;
    return CXM_OK;
}

void rate_result_fill(uint32_t use, uint32_t definition, uint64_t successes, uint64_t trials,
                      double level, double z, cxm_rate_result *r)
{
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    r->use = use;
    r->definition = definition;
    r->successes = successes;
    r->trials = trials;
    r->failures = trials - successes;
    r->ci.level = level;
    if (trials > 0) {
        r->rate = cxm_share((double)successes, (double)trials);
        cxm_wilson(r->rate, (double)trials, z, &r->ci.lower, &r->ci.upper);
    }
}

cxm_status cxm_rate_result_get(const cxm_rate *rate, double level, cxm_rate_result *out)
{
    if (!rate) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    double lv, z;
    if ((st = cxm_level_z(level, &lv, &z)) != CXM_OK) return st;
    cxm_rate_result r;
    rate_result_fill(rate->use, rate->definition, rate->successes, rate->trials, lv, z, &r);
    cxm_result_copy(out, &r, sizeof r);
    return rate->trials > 0 ? CXM_OK : CXM_EMPTY;
}

cxm_status cxm_rate_encode(const cxm_rate *rate, uint8_t *buf, size_t cap, size_t *len)
{
    if (!rate || !len) return CXM_INVALID_ARGUMENT;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_RATE, RATE_FORMAT_VERSION);
    cxm_wr_u32(&w, rate->use);
    cxm_wr_u32(&w, rate->definition);
    cxm_wr_u64(&w, rate->successes);
    cxm_wr_u64(&w, rate->trials);
    return cxm_wr_end(&w, len);
}

cxm_status cxm_rate_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                           cxm_rate **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_rd r;
    cxm_status st = cxm_rd_begin(&r, buf, len, CXM_FAMILY_RATE, RATE_FORMAT_VERSION);
    if (st != CXM_OK) return st;
    uint32_t use = cxm_rd_u32(&r);
    uint32_t definition = cxm_rd_u32(&r);
    uint64_t k = cxm_rd_u64(&r);
    uint64_t n = cxm_rd_u64(&r);
    if ((st = cxm_rd_end(&r)) != CXM_OK) return st;
    if (!use_ok(use) || k > n) return CXM_BAD_FORMAT;
    cxm_rate *rate;
    if ((st = cxm_rate_new(use, definition, alloc, &rate)) != CXM_OK) return st;
    rate->successes = k;
    rate->trials = n;
    *out = rate;
    return CXM_OK;
}

void cxm_rate_free(cxm_rate *rate)
{
    cxm_obj_free(rate);
}
