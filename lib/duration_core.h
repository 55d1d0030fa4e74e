/*
 * duration_core.h — the duration sketch every family that measures time
 * embeds: exact count, sum, sum of squares, min and max, and a log-linear
 * histogram over the bits of the double from which any quantile is read
 * with a guaranteed relative error. Used by the duration and survival
 * accumulators, and embeddable in any other object (SLA breach lateness,
 * ticket roll-up resolution and first-reply times).
 *
 * The struct holds no pointers and has a fixed size (DUR_CORE_BYTES), so it
 * can live inside another object, be copied with memcpy, and be compared
 * byte for byte. An all-zero struct is a valid empty sketch: zeroing the
 * memory (as cxm_obj_new, cxm_obj_place and cxm_obj_zero_body do) is init.
 *
 * Layout (fixed by design, so any two sketches merge exactly):
 *  - values v in [2^-10, 2^29) seconds (0.977 ms to 17.0 years) go to
 *    bucket (bits(v) >> 46) - (1013 << 6): the biased exponent and the top 6
 *    mantissa bits. 39 octaves x 64 sub-buckets = 2496 buckets, each
 *    [a, b) with b / a = 1 + 1/(64 + k) <= 1 + 1/64.
 *  - values below 2^-10 s (zero included) go to an underflow slot, values at
 *    or above 2^29 s to an overflow slot; never dropped. The largest value
 *    in the underflow slot and the smallest in the overflow slot are kept
 *    exactly, as are the global min and max.
 *  - accepted values: 0 <= v <= DUR_MAX_VALUE (2^43 s, about 278,000 years,
 *    so that a value in microseconds fits a signed 64-bit integer); -0.0 is
 *    taken as 0. NaN, infinities, negatives and larger values are refused.
 *
 * Quantiles: the rank convention of docs/duration.md, the q-quantile is the element of
 * rank floor(q (n - 1)) (0-based) of the sorted data. Ranks 0 and n - 1
 * return min and max exactly. Another rank in bucket [a, b) returns
 * r = 2ab / (a + b) clamped to [min, max]. Proof of the bound: for the true
 * value v in [a, b), r - a = a (b - a) / (a + b) and b - r = b (b - a) /
 * (a + b); if v <= r then (r - v) / v <= (r - a) / a = (b - a) / (a + b);
 * if v > r then (v - r) / v < (b - r) / b = (b - a) / (a + b). With
 * b = a (1 + d), d <= 1/64: (b - a) / (a + b) = d / (2 + d) <= 1/129
 * < 0.776%. Clamping to [min, max], which contains v, only moves r towards
 * v. Rounding in computing r adds a few ulps. So |r - v| <= v / 129 for
 * every quantile in the tracked range, whatever the distribution, before
 * and after any merge (a merge adds bucket counts: the merged sketch is
 * the sketch of the union, exactly). In the underflow slot the estimate is
 * the midpoint of [min, underflow max]: absolute error < 2^-11 s (0.49 ms),
 * no relative bound. In the overflow slot it is 2ab/(a+b) over
 * [overflow min, max]: relative error <= (max - omin) / (max + omin) (0 when
 * all those values are equal).
 *
 * Sum and moments: each value is rounded to the nearest microsecond u
 * (0.5 us per value at most); sum u is held in 128 bits and sum u^2 in 192
 * bits, exact integers that cannot overflow (u < 2^63, n < 2^64), so the
 * mean and the standard deviation do not depend on the order of adds or
 * merges. The sample variance is (n sum u^2 - (sum u)^2) / (n (n - 1)),
 * with the numerator computed exactly in 256 bits before one division.
 */
#ifndef CXM_DURATION_CORE_H
#define CXM_DURATION_CORE_H

#include <math.h>
#include <string.h>

#include "internal.h"

#define DUR_SUB_BITS 6u
#define DUR_SUB (1u << DUR_SUB_BITS) /* sub-buckets per octave */
#define DUR_MIN_EXP (-10)            /* first tracked octave: [2^-10, 2^-9) */
#define DUR_OCTAVES 39u              /* up to 2^29 s */
#define DUR_BUCKETS (DUR_OCTAVES * DUR_SUB)
#define DUR_SLOTS (DUR_BUCKETS + 2u) /* slot 0: underflow; DUR_SLOTS - 1: overflow */
#define DUR_UNDER 0u
#define DUR_OVER (DUR_SLOTS - 1u)
#define DUR_TRACKED_MIN 0x1p-10 /* seconds */
#define DUR_TRACKED_MAX 0x1p29  /* seconds */
#define DUR_MAX_VALUE 0x1p43    /* largest accepted duration, seconds */

typedef struct duration_core {
    uint64_t n;        /* values, exact */
    uint64_t sum[2];   /* sum of values in microseconds, little-endian limbs */
    uint64_t sumsq[3]; /* sum of their squares, us^2 */
    double min, max;   /* exact; 0 when empty */
    double under_max;  /* largest value in the underflow slot; 0 if none */
    double over_min;   /* smallest value in the overflow slot; 0 if none */
    uint64_t slot[DUR_SLOTS];
} duration_core;

#define DUR_CORE_BYTES sizeof(duration_core)

/*
 * A condition the record path rarely meets: its code is laid out off the
 * straight path. DUR_OUT_OF_LINE keeps a function holding a caller's slow
 * path from being inlined, so that the caller's straight path (an add that
 * inlines dur_add) needs no stack frame of its own.
 */
#if defined(__GNUC__) || defined(__clang__)
#define DUR_RARE(x) __builtin_expect(!!(x), 0)
#define DUR_OUT_OF_LINE __attribute__((noinline))
#else
#define DUR_RARE(x) (x)
#define DUR_OUT_OF_LINE
#endif

/*
 * The exact sums use 128-bit integers and add-with-carry builtins where the
 * compiler has them (and, on x86-64, five add-with-carry instructions for
 * the single add), plain C11 elsewhere. Defining CXM_PORTABLE_ARITH
 * builds the plain C11 code on any compiler, so that a test can hold it to
 * the same results (tests/meson.build).
 */
#if defined(__SIZEOF_INT128__) && !defined(CXM_PORTABLE_ARITH)
#define DUR_HAVE_INT128 1
#endif
#if (defined(__GNUC__) || defined(__clang__)) && !defined(CXM_PORTABLE_ARITH)
#define DUR_HAVE_ADD_OVERFLOW 1
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(CXM_PORTABLE_ARITH)
#define DUR_HAVE_X86_64_ASM 1
#endif

/* A duration the sketch accepts (NaN, infinities, negatives refused). */
static inline bool dur_value_ok(double v)
{
    return v >= 0.0 && v <= DUR_MAX_VALUE;
}

/* Empties the sketch (same as zeroing its memory). */
void dur_init(duration_core *c);
/* Adds one value (inline below). CXM_OUT_OF_RANGE or CXM_OVERFLOW: unchanged. */
static inline cxm_status dur_add(duration_core *c, double seconds);
/*
 * Adds n values, all or nothing: a bad value rejects the batch with
 * CXM_OUT_OF_RANGE and *bad = its index; CXM_OVERFLOW if n would overflow.
 */
cxm_status dur_add_many(duration_core *c, const double *v, size_t n, size_t *bad);
/* Adds src into dst (may be the same sketch). CXM_OVERFLOW: dst unchanged. */
cxm_status dur_merge(duration_core *dst, const duration_core *src);
/*
 * Adds k sketches (none of them dst) into dst in one pass over the slots:
 * exactly k dur_merge calls' result, dst written once. CXM_OVERFLOW: dst
 * unchanged.
 */
cxm_status dur_merge_many(duration_core *dst, const duration_core *const *src, size_t k);

/*
 * Retraction of a value added before: counts, slot counts and the exact
 * moments step back exactly. The extremes cannot: when the retracted
 * value may have been the min (max), the min stays the old one, raised to
 * the lowest edge of the lowest non-empty slot (the max lowered to the top
 * of the highest), so min <= every value <= max always holds and each is
 * within its slot of the true extreme: a relative distance below
 * 1/64 for tracked values. With one or two values left, the moments fix
 * them to the microsecond and the extremes are those values. dur_sub_ok
 * says whether v can be taken out (a finite value in [min, max], in a
 * non-empty slot, the moments staying those of n - 1 values); dur_sub
 * requires it.
 */
bool dur_sub_ok(const duration_core *c, double v);
void dur_sub(duration_core *c, double v);

/*
 * The same rules on the exact fields alone, for any storage of the slot
 * counts (duration_core's array, the pages of sketch_pool.h): dur_head is
 * the layout of duration_core's first fields. dur_head_sub_ok takes the
 * count of v's slot; dur_head_sub runs after the caller took one from
 * that slot and reads the counts through `count` (sketch is its argument).
 */
/* a += b over n 64-bit limbs, little-endian (the caller knows the sum fits). */
static inline void dur_mp_add(uint64_t *a, const uint64_t *b, unsigned n)
{
    uint64_t carry = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t t = b[i] + carry;
        carry = t < carry;
        a[i] += t;
        carry += a[i] < t;
    }
}

typedef struct dur_head {
    uint64_t n;
    uint64_t sum[2];
    uint64_t sumsq[3];
    double min, max, under_max, over_min;
} dur_head;
typedef uint64_t (*dur_count_fn)(const void *sketch, uint32_t slot);
bool dur_head_sub_ok(const dur_head *h, uint64_t in_slot, double v);
void dur_head_sub(dur_head *h, double v, dur_count_fn count, const void *sketch);

/*
 * The duration end - start between two Unix timestamps, in seconds:
 * CXM_BAD_ORDER if end < start, CXM_OUT_OF_RANGE beyond DUR_MAX_VALUE.
 */
cxm_status dur_span(int64_t start, int64_t end, double *seconds);

/* Statistics; each is CXM_EMPTY (and leaves *out alone) when n == 0. */
static inline uint64_t dur_count(const duration_core *c)
{
    return c->n;
}
double dur_sum(const duration_core *c); /* seconds; 0 when empty */
cxm_status dur_mean(const duration_core *c, double *out);
/* Sample standard deviation (n - 1), seconds; 0 when n == 1. */
cxm_status dur_sd(const duration_core *c, double *out);
cxm_status dur_min(const duration_core *c, double *out);
cxm_status dur_max(const duration_core *c, double *out);
/* q in [0, 1] (CXM_OUT_OF_RANGE otherwise, checked before emptiness). */
cxm_status dur_quantile(const duration_core *c, double q, double *out);
/*
 * k quantiles at once (one pass when qs is ascending). A q outside [0, 1]
 * is CXM_OUT_OF_RANGE with *bad = its index and out untouched.
 */
cxm_status dur_quantiles(const duration_core *c, const double *qs, size_t k, double *out,
                         size_t *bad);

/* Slot of the non-negative double with bits b, unclamped: < 1 underflow, > DUR_BUCKETS overflow. */
static inline int64_t dur_slot_raw(uint64_t b)
{
    return (int64_t)(b >> (52u - DUR_SUB_BITS)) - (int64_t)((1023 + DUR_MIN_EXP) * 64) + 1;
}

/*
 * Tracked bucket of the non-negative double with bits b, 0-based, as an
 * unsigned number: DUR_BUCKETS or more (wrapped around below 0 for
 * underflow) outside the tracked range; its slot is one more.
 */
static inline uint64_t dur_bucket_raw(uint64_t b)
{
    return (b >> (52u - DUR_SUB_BITS)) - (uint64_t)((1023 + DUR_MIN_EXP) * 64);
}

/* Slot of a valid value (0 underflow, 1..DUR_BUCKETS, DUR_OVER overflow). */
static inline uint32_t dur_slot_of(double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    bits &= ~((uint64_t)1 << 63); /* -0.0 is 0 */
    int64_t s = dur_slot_raw(bits);
    s = s < 0 ? 0 : s;
    s = s > (int64_t)DUR_OVER ? (int64_t)DUR_OVER : s;
    return (uint32_t)s;
}
/*
 * The value reported for a rank that falls in `slot` of sketch c (which must
 * hold data there): see the bound above. Used by quantiles and by survival.
 */
double dur_slot_estimate(const duration_core *c, uint32_t slot);

/*
 * [lo, hi] surely holding every value counted in a non-empty `slot`: its
 * bucket (the kept extremes for underflow and overflow) narrowed to the
 * exact min and max.
 */
void dur_slot_range(const duration_core *c, uint32_t slot, double *lo, double *hi);
/* [lo, hi] surely holding the value of rank r < n (0-based); exact at ranks 0 and n - 1. */
void dur_rank_range(const duration_core *c, uint64_t r, double *lo, double *hi);
/*
 * Values <= t: *low surely, *high possibly (adding the buckets t cuts), and
 * *est with each cut bucket apportioned linearly over its range.
 */
void dur_count_within(const duration_core *c, double t, uint64_t *low, uint64_t *high, double *est);

/*
 * The public share-within call on a sketch (cxm_duration_share_within and
 * the roll-up's times): checks `out`, the threshold and the level.
 */
cxm_status dur_share_within(const duration_core *c, double threshold, double level,
                            cxm_duration_share *out);

/* ---- the record path, inline so callers pay for no second call ---------------- */

/* Microseconds, rounded to nearest; exact conversion for every accepted value (< 2^63). */
static inline uint64_t dur_us(double v)
{
    return (uint64_t)(int64_t)(v * 1e6 + 0.5);
}

/* Keeps the exact extremes of the underflow and overflow slots (rarely taken). */
static inline void dur_note_extreme(duration_core *c, double v, uint32_t s)
{
    if (s == DUR_UNDER && v > c->under_max) c->under_max = v;
    if (s == DUR_OVER && (c->over_min == 0.0 || v < c->over_min)) c->over_min = v;
}

/* u^2 in two little-endian limbs (u < 2^63: the square is below 2^126). */
static inline void dur_square(uint64_t u, uint64_t sq[2])
{
#if defined(DUR_HAVE_INT128)
    __extension__ typedef unsigned __int128 u128;
    u128 p = (u128)u * u;
    sq[0] = (uint64_t)p;
    sq[1] = (uint64_t)(p >> 64);
#else
    uint64_t a0 = u & 0xFFFFFFFFu, a1 = u >> 32;
    uint64_t p00 = a0 * a0, p01 = a0 * a1, p11 = a1 * a1;
    uint64_t mid = (p00 >> 32) + 2 * (p01 & 0xFFFFFFFFu);
    sq[0] = (mid << 32) | (p00 & 0xFFFFFFFFu);
    sq[1] = p11 + 2 * (p01 >> 32) + (mid >> 32);
#endif
}

/*
 * sum += u, sumsq += sq (sq = u^2 from dur_square): split from the square so
 * that a value going into several sketches is squared once.
 */
static inline void dur_moments_add_sq(uint64_t sum[2], uint64_t sumsq[3], uint64_t u,
                                      const uint64_t sq[2])
{
#if defined(DUR_HAVE_ADD_OVERFLOW)
    /*
     * Add with carry limb by limb, no branch: a carry out of a low limb is
     * added to the next (u^2 < 2^126: its top limb plus a carry cannot
     * overflow). gcc and clang make each carry an adc, clang into memory.
     */
    unsigned long long s0, q0, q1;
    bool c = __builtin_add_overflow((unsigned long long)sum[0], (unsigned long long)u, &s0);
    sum[0] = s0;
    sum[1] += c;
    bool c0 = __builtin_add_overflow((unsigned long long)sumsq[0], (unsigned long long)sq[0], &q0);
    bool c1 =
        __builtin_add_overflow((unsigned long long)sumsq[1], (unsigned long long)sq[1] + c0, &q1);
    sumsq[0] = q0;
    sumsq[1] = q1;
    sumsq[2] += c1;
#else
    sum[0] += u;
    sum[1] += sum[0] < u;
    uint64_t hi = sq[1];
    sumsq[0] += sq[0];
    hi += sumsq[0] < sq[0];
    sumsq[1] += hi;
    sumsq[2] += sumsq[1] < hi;
#endif
}

/* sum += u, sumsq += u^2 (u < 2^63, so u^2 < 2^126 and the top limb takes carries only). */
static inline void dur_moments_add(uint64_t sum[2], uint64_t sumsq[3], uint64_t u)
{
    uint64_t sq[2];
    dur_square(u, sq);
#if defined(DUR_HAVE_X86_64_ASM)
    /*
     * The five limbs as five adds into memory, each carry going into the
     * next limb: gcc turns the builtins into loads, register adds and
     * stores (ten instructions, where clang makes these five), and the
     * single add through the shared library is short enough for the five
     * more to show (bench/README.md, "The duration add and batch").
     */
    __asm__("addq %[u], %[s0]\n\t"
            "adcq $0, %[s1]\n\t"
            "addq %[lo], %[q0]\n\t"
            "adcq %[hi], %[q1]\n\t"
            "adcq $0, %[q2]"
            : [s0] "+m"(sum[0]), [s1] "+m"(sum[1]), [q0] "+m"(sumsq[0]), [q1] "+m"(sumsq[1]),
              [q2] "+m"(sumsq[2])
            : [u] "r"(u), [lo] "r"(sq[0]), [hi] "r"(sq[1])
            : "cc");
#else
    dur_moments_add_sq(sum, sumsq, u, sq);
#endif
}

/*
 * Bits of DUR_MAX_VALUE: a valid duration's bits are at most these (+0 and
 * positives) or exactly the sign bit (-0.0); negatives, NaN and infinities
 * are above.
 */
#define DUR_MAX_BITS 0x42A0000000000000u
#define DUR_SIGN_BIT 0x8000000000000000u

/*
 * min and max widened to a value whose bits are b (a valid duration, -0.0
 * made 0: non-negative doubles order as their bit patterns), compared as
 * integers with one branch for both, rarely taken in a stream.
 */
static inline void dur_extremes_take(double *min, double *max, uint64_t b)
{
    uint64_t mn, mx;
    memcpy(&mn, min, sizeof mn);
    memcpy(&mx, max, sizeof mx);
    if ((b < mn) | (b > mx)) {
        mn = b < mn ? b : mn;
        mx = b > mx ? b : mx;
        /* Through locals: gcc's object-size analysis misjudges a memcpy into the struct. */
        double dmn, dmx;
        memcpy(&dmn, &mn, sizeof dmn);
        memcpy(&dmx, &mx, sizeof dmx);
        *min = dmn;
        *max = dmx;
    }
}

/* *d = the double whose bits are b. */
static inline void dur_set_bits(double *d, uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    *d = x;
}

static inline cxm_status dur_add(duration_core *c, double v)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    uint64_t n = c->n + 1u;
    if (DUR_RARE(n == 0)) return dur_value_ok(v) ? CXM_OVERFLOW : CXM_OUT_OF_RANGE;
    /*
     * Non-negative doubles order as their bit patterns, so the extremes are
     * compared as integers, each in a branch rarely taken in a stream. A
     * value the sketch refuses (negative, NaN, infinite, above
     * DUR_MAX_VALUE) has bits above those of any max the sketch can hold,
     * so the check of the max is also where it is refused, before anything
     * is written; -0.0 (the sign bit alone) is taken there as 0. An empty
     * sketch has min = max = 0: its first value (but a 0, which leaves them
     * as they must be) raises the max and sets the min with it.
     */
    uint64_t mn, mx;
    memcpy(&mn, &c->min, sizeof mn);
    memcpy(&mx, &c->max, sizeof mx);
    if (DUR_RARE(b > mx)) {
        if (b > DUR_MAX_BITS) {
            if (b != DUR_SIGN_BIT) return CXM_OUT_OF_RANGE;
            b = 0; /* v stays -0.0: the same microseconds as 0, no larger underflow max */
        } else {
            c->max = v;
            if (n == 1) c->min = v;
        }
    }
    if (DUR_RARE(b < mn)) dur_set_bits(&c->min, b);
    c->n = n;
    /* The tracked bucket, 0-based; underflow and overflow take the rare branch. */
    uint64_t k = dur_bucket_raw(b);
    if (DUR_RARE(k >= DUR_BUCKETS)) {
        uint32_t s = (int64_t)k < 0 ? DUR_UNDER : DUR_OVER;
        dur_note_extreme(c, v, s);
        k = (uint64_t)s - 1u; /* the slot below is k + 1 */
    }
    c->slot[k + 1u]++;
    dur_moments_add(c->sum, c->sumsq, dur_us(v));
    return CXM_OK;
}

/*
 * The duration accumulator (here so that a series adds to its buckets
 * without a call). This is the dense form; the compact form (duration.c)
 * shares the first three fields and has `compact` = 1 and no `c`: look at
 * `compact` before touching `c`.
 */
struct cxm_duration {
    cxm_obj obj;
    uint32_t metric;
    uint32_t compact;
    duration_core c;
};

/* Encoding (after the caller's own fields): fixed fields, then the
 * non-zero slots as runs of LEB128 counts. */
void dur_write(cxm_wr *w, const duration_core *c);
/*
 * The fewest bytes a sketch encodes to (an empty one: n, four doubles, five
 * moment limbs and a run count of 0): what decoders count per sketch before
 * they allocate.
 */
#define DUR_MIN_BYTES 81u
/*
 * Reads and validates everything (runs inside the layout, counts adding up
 * to n, min <= max in the slots they claim, moments consistent with them);
 * marks the reader bad otherwise. On failure *c holds garbage: read into a
 * fresh object and discard it.
 */
void dur_read(cxm_rd *r, duration_core *c);
/*
 * As dur_read; with `bounds`, the extremes may be bounds left by a
 * retraction (dur_sub): with three values or more they are not required
 * to be two of the values the moments describe.
 */
void dur_read_bounds(cxm_rd *r, duration_core *c, bool bounds);

/*
 * Whether `count` sketches, part(ctx, i, out) writing the i-th into `out`
 * (whatever stores them), are parts of `whole`: with `exact`, their union
 * is exactly `whole` (counts per slot, moments and kept extremes);
 * otherwise each slot holds at most whole's count. Each sketch must
 * already be valid on its own (dur_read). With `bounds` (extremes left by
 * retractions), the extremes are not compared.
 */
typedef void (*dur_part_fn)(const void *ctx, uint32_t i, duration_core *out);
bool dur_parts_ok(const duration_core *whole, dur_part_fn part, const void *ctx, uint32_t count,
                  bool exact, bool bounds);

/*
 * Whether the sketch's exact sum (microseconds) is what `seconds` (a
 * 128-bit count of whole seconds, little-endian limbs) gives once each of
 * its n values went through the microsecond rounding (within 1024 us per
 * value; exact below 2^39 s): how a sketch of whole-second values is tied
 * to the integer totals kept beside it.
 */
bool dur_sum_near_seconds(const duration_core *c, const uint64_t seconds[2]);

/*
 * Fills a whole cxm_duration_result (size included) from a sketch at a
 * resolved level: the accumulator's result and the roll-up's times are the
 * same numbers. Statistics stay 0 when the sketch is empty.
 */
void dur_result_fill(const duration_core *c, uint32_t metric, double lv, cxm_duration_result *r);
/* The same without the mean's interval (mean_ci all zero): for a reader that does not report it
 * (the roll-up's time_get), which would otherwise pay for a t quantile per call. */
void dur_result_stats(const duration_core *c, uint32_t metric, cxm_duration_result *r);

#endif
