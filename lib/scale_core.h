/*
 * scale_core.h — the exact histogram of answers on a configurable integer
 * scale, shared by CSAT and CES so both compute every statistic the same
 * way: one 64-bit count per point of the scale, the "good" side of a
 * threshold (satisfied, easy) in either direction, and mean, standard
 * deviation, median and intervals computed from the counts alone. Because
 * the state is the histogram, merge order cannot change any result.
 */
#ifndef CXM_SCALE_CORE_H
#define CXM_SCALE_CORE_H

#include "internal.h"

#define SCALE_POINTS (CXM_SCALE_MAX_SCORE + 1)

/* "Good" answers lie at or above the threshold (0) or at or below it (1). */
enum { SCALE_GOOD_HIGH = 0, SCALE_GOOD_LOW = 1 };

typedef struct scale_cfg {
    int32_t lo, hi;    /* 0 <= lo < hi <= CXM_SCALE_MAX_SCORE */
    int32_t threshold; /* strictly inside the good side: both sides non-empty */
    uint32_t direction;
} scale_cfg;

/*
 * While every count is at most SCALE_FAST_MAX (2^57), the total is below
 * 101 x 2^57 < 2^64 - 1, so a single add cannot overflow it: the add then
 * increments one count and touches nothing else (no running total, whose
 * load-increment-store on every call would chain the calls together, and no
 * sum of the counts). A count past 2^57 (reached through merges, batches or
 * decoding, never in practice through single adds) sets `big`, and the adds
 * take the exact path.
 */
#define SCALE_FAST_MAX ((uint64_t)1 << 57)

typedef struct scale_hist {
    scale_cfg cfg;
    uint64_t big;             /* 0 while every count is <= SCALE_FAST_MAX, else SCALE_FAST_MAX */
    uint64_t c[SCALE_POINTS]; /* c[k]: answers with score lo + k; their sum fits 64 bits */
} scale_hist;

/* What both families report, in the units of their result structs. */
typedef struct scale_stats {
    uint64_t n;
    uint64_t good;
    double mean, sd, median;
    cxm_interval mean_ci; /* Student t, n - 1 df, clipped to the scale */
    double good_pct;
    cxm_interval good_ci; /* Wilson, percent */
} scale_stats;

/* 0 <= lo < hi <= CXM_SCALE_MAX_SCORE (checked before any arithmetic on them). */
static inline bool scale_range_ok(int32_t lo, int32_t hi)
{
    return lo >= 0 && hi <= CXM_SCALE_MAX_SCORE && lo < hi;
}
/* Scale within 0..CXM_SCALE_MAX_SCORE, lo < hi, known direction, threshold
 * leaving answers on both sides. */
bool scale_cfg_ok(const scale_cfg *cfg);
static inline bool scale_cfg_same(const scale_cfg *a, const scale_cfg *b)
{
    return a->lo == b->lo && a->hi == b->hi && a->threshold == b->threshold &&
           a->direction == b->direction;
}
static inline bool scale_score_ok(const scale_cfg *cfg, int32_t score)
{
    return score >= cfg->lo && score <= cfg->hi;
}

/* An empty histogram of a valid configuration. */
void scale_hist_init(scale_hist *h, const scale_cfg *cfg);
/* Empties the counts; the configuration stays. */
void scale_hist_clear(scale_hist *h);
/* Answers counted, exact (the sum of the counts). */
uint64_t scale_hist_total(const scale_hist *h);
/* The exact add, once a count may be past SCALE_FAST_MAX: CXM_OVERFLOW at a full total. */
cxm_status scale_hist_add_exact(scale_hist *h, int32_t score);
/* Inline: the single add of CSAT and CES is this and nothing else. */
static inline cxm_status scale_hist_add(scale_hist *h, int32_t score)
{
    /* One unsigned compare for both ends of the scale (lo <= hi, both within 0..100). */
    uint32_t k = (uint32_t)score - (uint32_t)h->cfg.lo;
    if (k > (uint32_t)(h->cfg.hi - h->cfg.lo)) return CXM_OUT_OF_RANGE;
    if ((h->big | h->c[k]) >= SCALE_FAST_MAX) return scale_hist_add_exact(h, score);
    h->c[k]++;
    return CXM_OK;
}
/* Validates a byte batch and counts it, all or nothing (cxm_bytecount). */
cxm_status scale_hist_add_bytes(scale_hist *h, const uint8_t *scores, size_t n, size_t *bad);
/* Whether one answer of `score` is counted, and taking it out (retraction, exact). */
bool scale_hist_sub_ok(const scale_hist *h, int32_t score);
void scale_hist_sub(scale_hist *h, int32_t score);
/* CXM_KIND_MISMATCH for another configuration, CXM_OVERFLOW; dst unchanged on error. */
cxm_status scale_hist_merge(scale_hist *dst, const scale_hist *src);
/* Answers with scores in [a, b] (clipped to the scale). */
uint64_t scale_hist_range(const scale_hist *h, int32_t a, int32_t b);
cxm_status scale_hist_count(const scale_hist *h, int32_t score, uint64_t *out);
/* Fills *s (n and good always); CXM_EMPTY without answers, CXM_OUT_OF_RANGE for a bad level. */
cxm_status scale_hist_stats(const scale_hist *h, double level, scale_stats *s);

void scale_hist_write(cxm_wr *w, const scale_hist *h);
/* The fewest bytes a histogram encodes to: its scale (4 x u32) and two points. */
#define SCALE_HIST_MIN_BYTES 32u
/* Reads and validates the configuration and counts; marks the reader bad if inconsistent. */
void scale_hist_read(cxm_rd *r, scale_hist *h);

/* ---- the accumulator both families are ------------------------------------ */

/* The whole state of a CSAT or CES accumulator: the families differ only in
 * how options resolve and how results are named. */
typedef struct scale_acc {
    cxm_obj obj;
    scale_hist h;
} scale_acc;

/* new (through alloc) or init_in (placed in mem, size bytes), as cxm_obj_make. */
cxm_status scale_acc_make(bool place, void *mem, size_t size, const cxm_allocator *alloc,
                          uint32_t family, const scale_cfg *cfg, scale_acc **out);
/* The public add_many: argument checks, then scale_hist_add_bytes. */
cxm_status scale_acc_add_many(scale_acc *a, const uint8_t *scores, size_t n, size_t *bad_index);
cxm_status scale_acc_encode(const scale_acc *a, uint8_t *buf, size_t cap, size_t *len);
/* `high_only`: the family has no direction (CSAT), so SCALE_GOOD_LOW is bad format. */
cxm_status scale_acc_decode(const uint8_t *buf, size_t len, uint32_t family, bool high_only,
                            const cxm_allocator *alloc, scale_acc **out);

/*
 * Defines the verbs CSAT and CES share word for word, over a family struct
 * `struct cxm_<fam> { scale_acc a; }`: footprint, new, init_in, add,
 * add_many, merge, reset, clone, count, result_get (through
 * <fam>_result_fill), encode, decode, free. `resolve` turns the family's
 * options into a valid scale_cfg (or a status);
 * `high_only` refuses encoded effort directions (CSAT has none).
 */
#define SCALE_FAMILY_VERBS(fam, FAMILY, resolve, high_only)                                        \
    size_t cxm_##fam##_footprint(void)                                                             \
    {                                                                                              \
        return sizeof(cxm_##fam);                                                                  \
    }                                                                                              \
    cxm_status cxm_##fam##_new(const cxm_##fam##_options *opts, const cxm_allocator *alloc,        \
                               cxm_##fam **out)                                                    \
    {                                                                                              \
        scale_cfg cfg;                                                                             \
        scale_acc *a;                                                                              \
        cxm_status st = out ? resolve(opts, &cfg) : CXM_INVALID_ARGUMENT;                          \
        if (st == CXM_OK &&                                                                        \
            (st = scale_acc_make(false, NULL, 0, alloc, FAMILY, &cfg, &a)) == CXM_OK)              \
            *out = (cxm_##fam *)a;                                                                 \
        return st;                                                                                 \
    }                                                                                              \
    cxm_status cxm_##fam##_init_in(void *mem, size_t size, const cxm_##fam##_options *opts,        \
                                   cxm_##fam **out)                                                \
    {                                                                                              \
        scale_cfg cfg;                                                                             \
        scale_acc *a;                                                                              \
        cxm_status st = out ? resolve(opts, &cfg) : CXM_INVALID_ARGUMENT;                          \
        if (st == CXM_OK &&                                                                        \
            (st = scale_acc_make(true, mem, size, NULL, FAMILY, &cfg, &a)) == CXM_OK)              \
            *out = (cxm_##fam *)a;                                                                 \
        return st;                                                                                 \
    }                                                                                              \
    cxm_status cxm_##fam##_add(cxm_##fam *acc, int32_t score)                                      \
    {                                                                                              \
        return acc ? scale_hist_add(&acc->a.h, score) : CXM_INVALID_ARGUMENT;                      \
    }                                                                                              \
    cxm_status cxm_##fam##_add_many(cxm_##fam *acc, const uint8_t *scores, size_t n,               \
                                    size_t *bad_index)                                             \
    {                                                                                              \
        return scale_acc_add_many(acc ? &acc->a : NULL, scores, n, bad_index);                     \
    }                                                                                              \
    cxm_status cxm_##fam##_merge(cxm_##fam *dst, const cxm_##fam *src)                             \
    {                                                                                              \
        return dst && src ? scale_hist_merge(&dst->a.h, &src->a.h) : CXM_INVALID_ARGUMENT;         \
    }                                                                                              \
    cxm_status cxm_##fam##_reset(cxm_##fam *acc)                                                   \
    {                                                                                              \
        if (!acc) return CXM_INVALID_ARGUMENT;                                                     \
        scale_hist_clear(&acc->a.h);                                                               \
        return CXM_OK;                                                                             \
    }                                                                                              \
    cxm_status cxm_##fam##_clone(const cxm_##fam *acc, const cxm_allocator *alloc,                 \
                                 cxm_##fam **out)                                                  \
    {                                                                                              \
        void *copy;                                                                                \
        cxm_status st =                                                                            \
            acc && out ? cxm_obj_clone(acc, sizeof *acc, alloc, &copy) : CXM_INVALID_ARGUMENT;     \
        if (st == CXM_OK) *out = copy;                                                             \
        return st;                                                                                 \
    }                                                                                              \
    cxm_status cxm_##fam##_count(const cxm_##fam *acc, int32_t score, uint64_t *out)               \
    {                                                                                              \
        return acc && out ? scale_hist_count(&acc->a.h, score, out) : CXM_INVALID_ARGUMENT;        \
    }                                                                                              \
    cxm_status cxm_##fam##_encode(const cxm_##fam *acc, uint8_t *buf, size_t cap, size_t *len)     \
    {                                                                                              \
        return scale_acc_encode(acc ? &acc->a : NULL, buf, cap, len);                              \
    }                                                                                              \
    cxm_status cxm_##fam##_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,      \
                                  cxm_##fam **out)                                                 \
    {                                                                                              \
        scale_acc *a;                                                                              \
        cxm_status st =                                                                            \
            out ? scale_acc_decode(buf, len, FAMILY, high_only, alloc, &a) : CXM_INVALID_ARGUMENT; \
        if (st == CXM_OK) *out = (cxm_##fam *)a;                                                   \
        return st;                                                                                 \
    }                                                                                              \
    cxm_status cxm_##fam##_result_get(const cxm_##fam *acc, double level, cxm_##fam##_result *out) \
    {                                                                                              \
        if (!acc) return CXM_INVALID_ARGUMENT;                                                     \
        cxm_status st = cxm_result_check(out, CXM_SIZES(out));                                     \
        if (st != CXM_OK) return st;                                                               \
        cxm_##fam##_result r;                                                                      \
        st = fam##_result_fill(&acc->a.h, level, &r);                                              \
        if (st != CXM_OK && st != CXM_EMPTY) return st;                                            \
        cxm_result_copy(out, &r, sizeof r);                                                        \
        return st;                                                                                 \
    }                                                                                              \
    void cxm_##fam##_free(cxm_##fam *acc)                                                          \
    {                                                                                              \
        cxm_obj_free(acc);                                                                         \
    }

/* ---- what other families embed (the ticket roll-up) ------------------------ */

/* Option resolution of CSAT and CES (defaults, checks), as their accumulators apply it. */
cxm_status csat_cfg(const cxm_csat_options *opts, scale_cfg *cfg);
cxm_status ces_cfg(const cxm_ces_options *opts, scale_cfg *cfg);
/*
 * Fill a whole result (size included) from a histogram: CXM_OK, CXM_EMPTY
 * (no answer: counts and scale filled in) or CXM_OUT_OF_RANGE (level).
 */
cxm_status csat_result_fill(const scale_hist *h, double level, cxm_csat_result *r);
cxm_status ces_result_fill(const scale_hist *h, double level, cxm_ces_result *r);

#endif
