/*
 * duration_core.c — the duration sketch (see duration_core.h for the layout
 * and the proof of its error bound): record, batch record, merge, exact
 * moments in multi-word integers, quantiles, and the run-length encoding.
 */
#include <math.h>
#include <string.h>

#include "duration_core.h"

/* ---- multi-word unsigned integers (little-endian 64-bit limbs) ---------------- */

static void mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
#if defined(DUR_HAVE_INT128)
    __extension__ typedef unsigned __int128 u128;
    u128 p = (u128)a * b;
    *hi = (uint64_t)(p >> 64);
    *lo = (uint64_t)p;
#else
    uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32, b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);
    *lo = (mid << 32) | (p00 & 0xFFFFFFFFu);
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
#endif
}

/* r[0..4) = a[0..na) * b[0..nb); the product must fit 4 limbs. */
static void mp_mul(const uint64_t *a, unsigned na, const uint64_t *b, unsigned nb, uint64_t r[4])
{
    memset(r, 0, 4 * sizeof r[0]);
    for (unsigned i = 0; i < na; i++) {
        uint64_t carry = 0;
        for (unsigned j = 0; j < nb && i + j < 4; j++) {
            uint64_t hi, lo;
            mul64(a[i], b[j], &hi, &lo);
            lo += carry;
            hi += lo < carry;
            r[i + j] += lo;
            hi += r[i + j] < lo;
            carry = hi;
        }
        if (i + nb < 4) r[i + nb] += carry;
    }
}

/* -1, 0, 1 as a < b, a == b, a > b (4 limbs). */
static int mp_cmp(const uint64_t a[4], const uint64_t b[4])
{
    for (int i = 3; i >= 0; i--)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* a -= b (a >= b), 4 limbs. */
static void mp_sub(uint64_t a[4], const uint64_t b[4])
{
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t bi = b[i] + borrow;
        uint64_t nb = (bi < borrow) | (a[i] < bi);
        a[i] -= bi;
        borrow = nb;
    }
}

static double mp_to_double(const uint64_t *a, unsigned n)
{
    double v = 0.0;
    for (unsigned i = n; i-- > 0;)
        v = v * 0x1p64 + (double)a[i];
    return v;
}

/* ---- recording ------------------------------------------------------------------ */

void dur_init(duration_core *c)
{
    memset(c, 0, sizeof *c);
}

/* Index of the first value the sketch refuses (n if none). */
static size_t first_bad(const double *v, size_t n)
{
    size_t i = 0;
    while (i < n && dur_value_ok(v[i]))
        i++;
    return i;
}

/*
 * The moments of a batch, summed in registers and added to the sketch once.
 * With 128-bit integers, sum u and the low 128 bits of sum u^2 are each one
 * add with carry per value, the carries out of the latter counted apart.
 */
#if defined(DUR_HAVE_INT128)
__extension__ typedef unsigned __int128 dur_u128;
typedef struct dur_acc {
    dur_u128 sum, sumsq;
    uint64_t sumsq_top;
} dur_acc;

static inline void dur_acc_add(dur_acc *a, uint64_t u)
{
    dur_u128 sq = (dur_u128)u * u, r;
    a->sum += u;
    a->sumsq_top += __builtin_add_overflow(a->sumsq, sq, &r);
    a->sumsq = r;
}

static void dur_acc_fold(const dur_acc *a, duration_core *c)
{
    const uint64_t s[2] = {(uint64_t)a->sum, (uint64_t)(a->sum >> 64)};
    const uint64_t q[3] = {(uint64_t)a->sumsq, (uint64_t)(a->sumsq >> 64), a->sumsq_top};
    dur_mp_add(c->sum, s, 2);
    dur_mp_add(c->sumsq, q, 3);
}
#else
typedef struct dur_acc {
    uint64_t sum[2], sumsq[3];
} dur_acc;

static inline void dur_acc_add(dur_acc *a, uint64_t u)
{
    dur_moments_add(a->sum, a->sumsq, u);
}

static void dur_acc_fold(const dur_acc *a, duration_core *c)
{
    dur_mp_add(c->sum, a->sum, 2);
    dur_mp_add(c->sumsq, a->sumsq, 3);
}
#endif

/* Bits of the first tracked value (2^-10 s) and of the first overflow value (2^29 s). */
#define DUR_TRACKED_MIN_BITS ((uint64_t)(1023 + DUR_MIN_EXP) << 52)
#define DUR_TRACKED_END_BITS ((uint64_t)(1023 + DUR_MIN_EXP + (int)DUR_OCTAVES) << 52)

/*
 * The values a batch takes on its straight path: bits in [*lo, *lo + *span)
 * are valid durations inside the tracked buckets and inside [mn, mx] (bits),
 * so they move no extreme and need no check. *span = 0 when there are none
 * (an empty sketch, or extremes outside the tracked range).
 */
static void fast_range(uint64_t mn, uint64_t mx, uint64_t *lo, uint64_t *span)
{
    uint64_t a = mn > DUR_TRACKED_MIN_BITS ? mn : DUR_TRACKED_MIN_BITS;
    uint64_t z = mx < DUR_TRACKED_END_BITS - 1u ? mx : DUR_TRACKED_END_BITS - 1u;
    *lo = a;
    *span = a <= z ? z - a + 1u : 0;
}

/*
 * One pass, validation fused in, with one test per value on the straight
 * path: non-negative doubles order like their bits, so a value whose bits
 * lie in the range fast_range keeps is valid, tracked and between the
 * extremes. Everything else (a new extreme, underflow, overflow, -0.0, a
 * bad value) takes the rare branch, which also moves the range; in a
 * stream the extremes settle fast and the branch is rarely taken. The
 * moments are summed in registers and added to the sketch once. A bad value
 * is rare: on one, the slot counts added so far are taken back and the
 * sketch is exactly as before.
 */
cxm_status dur_add_many(duration_core *c, const double *v, size_t n, size_t *bad)
{
    if (n == 0) return CXM_OK;
    if (cxm_add_overflows(c->n, (uint64_t)n)) {
        size_t i = first_bad(v, n);
        if (i == n) return CXM_OVERFLOW;
        *bad = i;
        return CXM_OUT_OF_RANGE;
    }
    uint64_t mn = UINT64_MAX, mx = 0; /* as bits */
    if (c->n) {
        memcpy(&mn, &c->min, sizeof mn);
        memcpy(&mx, &c->max, sizeof mx);
    }
    uint64_t lo, span;
    fast_range(mn, mx, &lo, &span);
    double under_max = c->under_max, over_min = c->over_min;
    dur_acc acc;
    memset(&acc, 0, sizeof acc);
    for (size_t i = 0; i < n; i++) {
        uint64_t b;
        memcpy(&b, &v[i], sizeof b);
        double x = v[i]; /* -0.0 makes the same microseconds as 0.0, and no underflow maximum */
        uint64_t k = dur_bucket_raw(b);
        if (DUR_RARE(b - lo >= span)) {
            if (b > DUR_MAX_BITS) {
                if (b != DUR_SIGN_BIT) {
                    for (size_t j = 0; j < i; j++)
                        c->slot[dur_slot_of(v[j])]--;
                    c->under_max = under_max;
                    c->over_min = over_min;
                    *bad = i;
                    return CXM_OUT_OF_RANGE;
                }
                b = 0; /* -0.0 is 0 */
                k = dur_bucket_raw(b);
            }
            mn = b < mn ? b : mn;
            mx = b > mx ? b : mx;
            fast_range(mn, mx, &lo, &span);
            if (k >= DUR_BUCKETS) {
                uint32_t s = (int64_t)k < 0 ? DUR_UNDER : DUR_OVER;
                dur_note_extreme(c, x, s);
                k = (uint64_t)s - 1u; /* the slot below is k + 1 */
            }
        }
        c->slot[k + 1u]++;
        dur_acc_add(&acc, dur_us(x));
    }
    memcpy(&c->min, &mn, sizeof mn);
    memcpy(&c->max, &mx, sizeof mx);
    c->n += (uint64_t)n;
    dur_acc_fold(&acc, c);
    return CXM_OK;
}

#define DUR_BLOCK 8u       /* slots a merge adds at a time */
#define DUR_MANY_BLOCK 16u /* slots summed in registers over the sources of dur_merge_many */

/* Everything of src but its slot counts into dst (src != dst or src == dst alike). */
static void dur_merge_scalars(duration_core *dst, const duration_core *src)
{
    /* Read every scalar of src before writing dst: they may be the same sketch. */
    uint64_t n = src->n, s[2] = {src->sum[0], src->sum[1]};
    uint64_t q[3] = {src->sumsq[0], src->sumsq[1], src->sumsq[2]};
    double mn = src->min, mx = src->max, um = src->under_max, om = src->over_min;
    if (dst->n == 0) {
        dst->min = mn;
        dst->max = mx;
    }
    dst->min = mn < dst->min ? mn : dst->min;
    dst->max = mx > dst->max ? mx : dst->max;
    dst->under_max = um > dst->under_max ? um : dst->under_max;
    if (om != 0.0 && (dst->over_min == 0.0 || om < dst->over_min)) dst->over_min = om;
    dst->n += n;
    dur_mp_add(dst->sum, s, 2);
    dur_mp_add(dst->sumsq, q, 3);
}

/*
 * Every count of a sketch lies in the run of slots between those of its
 * extremes (decode refuses a sketch whose first and last non-empty slots
 * are not those of min and max), so a merge reads only that run: a day of
 * log-normal durations fills about a third of the range.
 */
cxm_status dur_merge(duration_core *dst, const duration_core *src)
{
    if (cxm_add_overflows(dst->n, src->n)) return CXM_OVERFLOW;
    if (src->n == 0) return CXM_OK;
    uint32_t first = dur_slot_of(src->min), last = dur_slot_of(src->max);
    dur_merge_scalars(dst, src);
    if (dst == src) {
        for (uint32_t i = first; i <= last; i++)
            dst->slot[i] *= 2;
        return CXM_OK;
    }
    uint64_t *restrict d = dst->slot;
    const uint64_t *restrict p = src->slot;
    uint32_t i = first;
    /* Blocks of a constant length: gcc vectorizes them at -O2, an open-ended loop it does not. */
    for (; i + DUR_BLOCK <= last + 1; i += DUR_BLOCK)
        for (uint32_t t = 0; t < DUR_BLOCK; t++)
            d[i + t] += p[i + t];
    for (; i <= last; i++)
        d[i] += p[i];
    return CXM_OK;
}

cxm_status dur_merge_many(duration_core *dst, const duration_core *const *src, size_t k)
{
    uint64_t n = dst->n;
    uint32_t first = DUR_SLOTS, last = 0;
    for (size_t j = 0; j < k; j++) {
        if (cxm_add_overflows(n, src[j]->n)) return CXM_OVERFLOW;
        n += src[j]->n;
        if (src[j]->n == 0) continue;
        uint32_t a = dur_slot_of(src[j]->min), b = dur_slot_of(src[j]->max);
        first = a < first ? a : first;
        last = b > last ? b : last;
    }
    if (first > last) return CXM_OK; /* every source empty */
    /*
     * Block by block over the union of the sources' runs (their slots
     * outside their own run are zero): the block of dst is loaded once,
     * every source added to it in registers, and stored once.
     */
    uint64_t *restrict d = dst->slot;
    uint32_t i = first - first % DUR_MANY_BLOCK;
    for (; i + DUR_MANY_BLOCK <= DUR_SLOTS && i <= last; i += DUR_MANY_BLOCK) {
        uint64_t acc[DUR_MANY_BLOCK];
        memcpy(acc, d + i, sizeof acc);
        for (size_t j = 0; j < k; j++) {
            const uint64_t *restrict p = src[j]->slot + i;
            for (uint32_t t = 0; t < DUR_MANY_BLOCK; t++)
                acc[t] += p[t];
        }
        memcpy(d + i, acc, sizeof acc);
    }
    for (; i <= last; i++)
        for (size_t j = 0; j < k; j++)
            d[i] += src[j]->slot[i];
    for (size_t j = 0; j < k; j++)
        if (src[j]->n) dur_merge_scalars(dst, src[j]);
    return CXM_OK;
}

cxm_status dur_span(int64_t start, int64_t end, double *seconds)
{
    if (end < start) return CXM_BAD_ORDER;
    /* Unsigned difference: exact even when end - start overflows int64. */
    uint64_t span = (uint64_t)end - (uint64_t)start;
    if (span > (uint64_t)DUR_MAX_VALUE) return CXM_OUT_OF_RANGE;
    *seconds = (double)span;
    return CXM_OK;
}

/* ---- retraction ------------------------------------------------------------------ */

/* The moments without u: 4-limb copies (sum in s, sum of squares in q); false if below u. */
static bool moments_without(const dur_head *c, uint64_t u, uint64_t s[4], uint64_t q[4])
{
    uint64_t us[2] = {0, 0}, uq[3] = {0, 0, 0};
    dur_moments_add(us, uq, u);
    const uint64_t s4[4] = {us[0], us[1], 0, 0}, q4[4] = {uq[0], uq[1], uq[2], 0};
    memcpy(s, (const uint64_t[4]){c->sum[0], c->sum[1], 0, 0}, 4 * sizeof s[0]);
    memcpy(q, (const uint64_t[4]){c->sumsq[0], c->sumsq[1], c->sumsq[2], 0}, 4 * sizeof q[0]);
    if (mp_cmp(s, s4) < 0 || mp_cmp(q, q4) < 0) return false;
    mp_sub(s, s4);
    mp_sub(q, q4);
    return true;
}

/* floor(sqrt(d)) for d < 2^126 (the square of a difference of two microsecond values). */
static uint64_t mp_isqrt(const uint64_t d[4])
{
    double est = sqrt(mp_to_double(d, 4));
    uint64_t r = est >= 0x1p63 ? (uint64_t)1 << 63 : (uint64_t)est, sq[4], one = 1;
    mp_mul(&r, 1, &r, 1, sq);
    while (r > 0 && mp_cmp(sq, d) > 0) { /* the estimate is a few ulps off at most */
        r--;
        mp_mul(&r, 1, &r, 1, sq);
    }
    for (;;) {
        uint64_t n = r + one;
        mp_mul(&n, 1, &n, 1, sq);
        if (mp_cmp(sq, d) > 0) return r;
        r = n;
    }
}

/*
 * With two values left, the moments fix them to the microsecond: u1 + u2 =
 * S and (u2 - u1)^2 = 2Q - S^2. False when S and Q are not those of two
 * values (a value retracted that was never added).
 */
static bool two_values(const uint64_t s[4], const uint64_t q[4], uint64_t *lo, uint64_t *hi)
{
    uint64_t two = 2, q2[4], s2[4];
    if (s[1] != 0 || s[2] != 0 || s[3] != 0) return false; /* two values < 2^63 us each */
    mp_mul(&two, 1, q, 3, q2);
    mp_mul(s, 1, s, 1, s2);
    if (mp_cmp(q2, s2) < 0) return false;
    mp_sub(q2, s2);
    uint64_t d = mp_isqrt(q2), dd[4];
    mp_mul(&d, 1, &d, 1, dd);
    if (mp_cmp(dd, q2) != 0 || d > s[0] || ((s[0] - d) & 1u)) return false;
    *lo = (s[0] - d) / 2;
    *hi = *lo + d;
    return true;
}

/* [a, b) of a tracked slot (1 .. DUR_BUCKETS): its bucket's edges. */
static void bucket_edges(uint32_t slot, double *a, double *b)
{
    uint64_t lo = ((uint64_t)(slot - 1) + (uint64_t)(1023 + DUR_MIN_EXP) * DUR_SUB)
                  << (52u - DUR_SUB_BITS);
    uint64_t hi = lo + ((uint64_t)1 << (52u - DUR_SUB_BITS));
    memcpy(a, &lo, sizeof *a);
    memcpy(b, &hi, sizeof *b);
}

/* The lowest and the highest value `slot` can hold (its bucket edges, the top one excluded). */
static void slot_edges(uint32_t slot, double *lo, double *hi)
{
    if (slot == DUR_UNDER) {
        *lo = 0.0;
        *hi = nextafter(DUR_TRACKED_MIN, 0.0);
    } else if (slot == DUR_OVER) {
        *lo = DUR_TRACKED_MAX;
        *hi = DUR_MAX_VALUE;
    } else {
        double b;
        bucket_edges(slot, lo, &b);
        *hi = nextafter(b, 0.0);
    }
}

/*
 * The value of microsecond count u known to lie in `slot`: u / 10^6 moved
 * into the slot when the rounding to the microsecond crossed its edge (the
 * true value lies in both, so the edge still rounds to u).
 */
static double value_in_slot(uint64_t u, uint32_t slot)
{
    double lo, hi;
    slot_edges(slot, &lo, &hi);
    return cxm_clamp((double)u / 1e6, lo, hi);
}

/* u^2 as three limbs (u < 2^63). */
static void square3(uint64_t u, uint64_t sq[3])
{
    mul64(u, u, &sq[1], &sq[0]);
    sq[2] = 0;
}

/* Whether the sums hold u and u^2 at least: a value never added cannot take them below 0. */
static bool moments_cover(const dur_head *c, uint64_t u)
{
    uint64_t sq[3];
    square3(u, sq);
    if (c->sum[1] == 0 && c->sum[0] < u) return false;
    for (int i = 2; i >= 0; i--)
        if (c->sumsq[i] != sq[i]) return c->sumsq[i] > sq[i];
    return true;
}

/*
 * The exact fields of a sketch (the head of duration_core, and of the paged
 * sketch of sketch_pool.h) read and written as one struct: the retraction
 * rules below are written once for both storages.
 */
_Static_assert(offsetof(duration_core, n) == offsetof(dur_head, n) &&
                   offsetof(duration_core, sum) == offsetof(dur_head, sum) &&
                   offsetof(duration_core, sumsq) == offsetof(dur_head, sumsq) &&
                   offsetof(duration_core, min) == offsetof(dur_head, min) &&
                   offsetof(duration_core, max) == offsetof(dur_head, max) &&
                   offsetof(duration_core, under_max) == offsetof(dur_head, under_max) &&
                   offsetof(duration_core, over_min) == offsetof(dur_head, over_min) &&
                   offsetof(duration_core, slot) == sizeof(dur_head),
               "duration_core starts with dur_head");

bool dur_head_sub_ok(const dur_head *h, uint64_t in_slot, double v)
{
    if (!dur_value_ok(v) || h->n == 0) return false;
    v = v == 0.0 ? 0.0 : v; /* -0.0 is 0 */
    /* In microseconds: extremes fixed by the sums are exact to the microsecond only. */
    uint64_t u = dur_us(v), s[4], q[4], lo, hi;
    if (in_slot == 0 || u < dur_us(h->min) || u > dur_us(h->max) || !moments_cover(h, u))
        return false;
    /* Three values or more left: their sums pin nothing more (the path a replace takes). */
    if (h->n > 3) return true;
    (void)moments_without(h, u, s, q);
    static const uint64_t zero[4];
    if (h->n == 1) return mp_cmp(s, zero) == 0 && mp_cmp(q, zero) == 0;
    if (h->n == 2) { /* the one value left: Q = S^2 */
        uint64_t s2[4];
        mp_mul(s, 1, s, 1, s2);
        return s[1] == 0 && mp_cmp(q, s2) == 0;
    }
    return two_values(s, q, &lo, &hi);
}

bool dur_sub_ok(const duration_core *c, double v)
{
    if (!dur_value_ok(v)) return false;
    return dur_head_sub_ok((const dur_head *)(const void *)c,
                           c->slot[dur_slot_of(v == 0.0 ? 0.0 : v)], v);
}

void dur_head_sub(dur_head *h, double v, dur_count_fn count, const void *sketch)
{
    v = v == 0.0 ? 0.0 : v;
    uint64_t u = dur_us(v), sq[3];
    square3(u, sq);
    uint64_t borrow = h->sum[0] < u;
    h->sum[0] -= u;
    h->sum[1] -= borrow;
    borrow = 0;
    for (int i = 0; i < 3; i++) {
        uint64_t b = sq[i] + borrow;
        uint64_t next = (b < borrow) | (h->sumsq[i] < b);
        h->sumsq[i] -= b;
        borrow = next;
    }
    const uint64_t s[4] = {h->sum[0], h->sum[1], 0, 0},
                   q[4] = {h->sumsq[0], h->sumsq[1], h->sumsq[2], 0};
    h->n--;
    if (h->n == 0) {
        memset(h, 0, sizeof *h);
        return;
    }
    /*
     * The lowest and highest non-empty slots: those of min and max, unless
     * the retraction emptied one (then the next non-empty one beyond it).
     * Only then is anything scanned, so a replace stays near the cost of an add.
     */
    uint32_t first = dur_slot_of(h->min), last = dur_slot_of(h->max);
    if (h->n <= 2) {
        first = 0;
        last = DUR_OVER;
    }
    while (count(sketch, first) == 0)
        first++;
    while (count(sketch, last) == 0)
        last--;
    if (h->n <= 2) {
        /* One or two values: exact to the microsecond, from the moments. */
        uint64_t ulo = s[0], uhi = s[0];
        if (h->n == 2) (void)two_values(s, q, &ulo, &uhi);
        h->min = value_in_slot(ulo, first);
        h->max = value_in_slot(uhi, last);
    } else {
        /* The old extremes still bound the data; the edges of the end slots bound it closer. */
        double lo, hi, ignore;
        slot_edges(first, &lo, &ignore);
        slot_edges(last, &ignore, &hi);
        /* The kept extremes of the underflow and overflow slots bound their values closer. */
        if (last == DUR_UNDER) hi = h->under_max;
        if (first == DUR_OVER) lo = h->over_min;
        h->min = h->min > lo ? h->min : lo;
        h->max = h->max < hi ? h->max : hi;
    }
    uint64_t nu = count(sketch, DUR_UNDER), no = count(sketch, DUR_OVER);
    if (nu == 0)
        h->under_max = 0.0;
    else if (last == DUR_UNDER)
        h->under_max = h->max;
    else if (nu == 1)
        h->under_max = h->min;
    if (no == 0)
        h->over_min = 0.0;
    else if (first == DUR_OVER)
        h->over_min = h->min;
    else if (no == 1)
        h->over_min = h->max;
}

static uint64_t core_count(const void *sketch, uint32_t slot)
{
    return ((const duration_core *)sketch)->slot[slot];
}

void dur_sub(duration_core *c, double v)
{
    c->slot[dur_slot_of(v == 0.0 ? 0.0 : v)]--;
    dur_head_sub((dur_head *)(void *)c, v, core_count, c);
    if (c->n == 0) dur_init(c);
}

/* ---- statistics ----------------------------------------------------------------- */

double dur_sum(const duration_core *c)
{
    return mp_to_double(c->sum, 2) / 1e6;
}

cxm_status dur_mean(const duration_core *c, double *out)
{
    if (c->n == 0) return CXM_EMPTY;
    /* Microsecond rounding and the division can step past an extreme; the mean lies between. */
    *out = cxm_clamp(mp_to_double(c->sum, 2) / (double)c->n / 1e6, c->min, c->max);
    return CXM_OK;
}

/* n sum u^2 - (sum u)^2, exactly (>= 0 by Cauchy-Schwarz for a valid sketch). */
static void dur_spread(const duration_core *c, uint64_t d[4])
{
    uint64_t sq[4];
    mp_mul(&c->n, 1, c->sumsq, 3, d);
    mp_mul(c->sum, 2, c->sum, 2, sq);
    mp_sub(d, sq);
}

cxm_status dur_sd(const duration_core *c, double *out)
{
    if (c->n == 0) return CXM_EMPTY;
    if (c->n == 1) {
        *out = 0.0;
        return CXM_OK;
    }
    uint64_t d[4];
    dur_spread(c, d);
    double nn = (double)c->n;
    *out = sqrt(mp_to_double(d, 4) / nn / (nn - 1.0)) / 1e6;
    return CXM_OK;
}

cxm_status dur_min(const duration_core *c, double *out)
{
    if (c->n == 0) return CXM_EMPTY;
    *out = c->min;
    return CXM_OK;
}

cxm_status dur_max(const duration_core *c, double *out)
{
    if (c->n == 0) return CXM_EMPTY;
    *out = c->max;
    return CXM_OK;
}

/* 2ab / (a + b): the representative with the smallest worst relative error. */
static double harmonic(double a, double b)
{
    return a == b ? a : 2.0 * a * b / (a + b);
}

/*
 * [a, b] of the values `slot` can hold, before narrowing to min and max:
 * the bucket's edges, or the kept extremes of the underflow and overflow
 * slots.
 */
static void slot_bounds(const duration_core *c, uint32_t slot, double *a, double *b)
{
    if (slot == DUR_UNDER) {
        *a = c->min;
        *b = c->under_max;
    } else if (slot == DUR_OVER) {
        *a = c->over_min;
        *b = c->max;
    } else {
        bucket_edges(slot, a, b);
    }
}

double dur_slot_estimate(const duration_core *c, uint32_t slot)
{
    double a, b;
    slot_bounds(c, slot, &a, &b);
    /* The underflow slot has no relative bound: its midpoint bounds the absolute error. */
    double r = slot == DUR_UNDER ? 0.5 * (a + b) : harmonic(a, b);
    return cxm_clamp(r, c->min, c->max);
}

void dur_slot_range(const duration_core *c, uint32_t slot, double *lo, double *hi)
{
    slot_bounds(c, slot, lo, hi);
    *lo = cxm_clamp(*lo, c->min, c->max);
    *hi = cxm_clamp(*hi, c->min, c->max);
}

/*
 * The slot holding rank r, scanning on from slot *at with *below values in
 * the slots before it (so ascending ranks take one pass).
 */
static uint32_t slot_of_rank(const duration_core *c, uint64_t r, uint32_t *at, uint64_t *below)
{
    if (r < *below) {
        *at = 0;
        *below = 0;
    }
    while (*below + c->slot[*at] <= r) {
        *below += c->slot[*at];
        (*at)++;
    }
    return *at;
}

void dur_rank_range(const duration_core *c, uint64_t r, double *lo, double *hi)
{
    if (r == 0 || r == c->n - 1) {
        *lo = *hi = r == 0 ? c->min : c->max;
        return;
    }
    uint64_t below = 0;
    uint32_t at = 0;
    dur_slot_range(c, slot_of_rank(c, r, &at, &below), lo, hi);
}

void dur_count_within(const duration_core *c, double t, uint64_t *low, uint64_t *high, double *est)
{
    uint64_t sure = 0, maybe = 0;
    double apportioned = 0.0;
    for (uint32_t s = 0; s < DUR_SLOTS; s++) {
        if (c->slot[s] == 0) continue;
        double lo, hi;
        dur_slot_range(c, s, &lo, &hi);
        if (hi <= t) {
            sure += c->slot[s];
        } else if (lo <= t) {
            /* The one bucket the threshold cuts: spread its values evenly over [lo, hi]. */
            maybe += c->slot[s];
            apportioned += (double)c->slot[s] * (t - lo) / (hi - lo);
        }
    }
    *low = sure;
    *high = sure + maybe;
    *est = cxm_clamp((double)sure + apportioned, (double)sure, (double)(sure + maybe));
}

cxm_status dur_share_within(const duration_core *c, double threshold, double level,
                            cxm_duration_share *out)
{
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    double lv, z;
    if (!(threshold >= 0.0) || cxm_level_z(level, &lv, &z) != CXM_OK) return CXM_OUT_OF_RANGE;
    cxm_duration_share r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.threshold = threshold;
    r.ci.level = lv;
    r.n = c->n;
    if (r.n > 0) {
        dur_count_within(c, threshold, &r.within_low, &r.within_high, &r.within);
        double n = (double)r.n, ignore;
        r.share = cxm_share(r.within, n);
        /* Sampling and sketch error together: Wilson below the surest count, above the widest. */
        cxm_wilson((double)r.within_low / n, n, z, &r.ci.lower, &ignore);
        cxm_wilson((double)r.within_high / n, n, z, &ignore, &r.ci.upper);
    }
    cxm_result_copy(out, &r, sizeof r);
    return r.n > 0 ? CXM_OK : CXM_EMPTY;
}

static uint64_t dur_rank(const duration_core *c, double q)
{
    double t = floor(q * (double)(c->n - 1));
    uint64_t r = t >= 0x1p64 ? UINT64_MAX : (uint64_t)t;
    return r > c->n - 1 ? c->n - 1 : r;
}

/*
 * The value at rank r (the extremes exactly), scanning on as slot_of_rank does.
 */
static double dur_at_rank(const duration_core *c, uint64_t r, uint32_t *at, uint64_t *below)
{
    if (r == 0) return c->min;
    if (r == c->n - 1) return c->max;
    return dur_slot_estimate(c, slot_of_rank(c, r, at, below));
}

static bool q_ok(double q)
{
    return q >= 0.0 && q <= 1.0;
}

cxm_status dur_quantile(const duration_core *c, double q, double *out)
{
    if (!q_ok(q)) return CXM_OUT_OF_RANGE;
    if (c->n == 0) return CXM_EMPTY;
    uint32_t at = 0;
    uint64_t below = 0;
    *out = dur_at_rank(c, dur_rank(c, q), &at, &below);
    return CXM_OK;
}

cxm_status dur_quantiles(const duration_core *c, const double *qs, size_t k, double *out,
                         size_t *bad)
{
    for (size_t i = 0; i < k; i++)
        if (!q_ok(qs[i])) {
            *bad = i;
            return CXM_OUT_OF_RANGE;
        }
    if (c->n == 0) return CXM_EMPTY;
    uint32_t at = 0;
    uint64_t below = 0;
    for (size_t i = 0; i < k; i++)
        out[i] = dur_at_rank(c, dur_rank(c, qs[i]), &at, &below);
    return CXM_OK;
}

/* ---- encoding ------------------------------------------------------------------- */

void dur_write(cxm_wr *w, const duration_core *c)
{
    cxm_wr_u64(w, c->n);
    cxm_wr_f64(w, c->min);
    cxm_wr_f64(w, c->max);
    cxm_wr_f64(w, c->under_max);
    cxm_wr_f64(w, c->over_min);
    for (int i = 0; i < 2; i++)
        cxm_wr_u64(w, c->sum[i]);
    for (int i = 0; i < 3; i++)
        cxm_wr_u64(w, c->sumsq[i]);
    /* Runs of non-zero slots: count of runs, then (zeros skipped, length, counts). */
    uint32_t runs = 0;
    for (uint32_t i = 0; i < DUR_SLOTS; i++)
        runs += c->slot[i] != 0 && (i == 0 || c->slot[i - 1] == 0);
    cxm_wr_uvar(w, runs);
    uint32_t i = 0;
    while (runs--) {
        uint32_t start = i;
        while (c->slot[i] == 0)
            i++;
        uint32_t end = i;
        while (end < DUR_SLOTS && c->slot[end] != 0)
            end++;
        cxm_wr_uvar(w, i - start);
        cxm_wr_uvar(w, end - i);
        for (; i < end; i++)
            cxm_wr_uvar(w, c->slot[i]);
    }
}

static bool dur_moments_ok(const duration_core *c)
{
    uint64_t umin = dur_us(c->min), umax = dur_us(c->max), lo[4], hi[4], s[4], d[4];
    uint64_t sum4[4] = {c->sum[0], c->sum[1], 0, 0},
             sq4[4] = {c->sumsq[0], c->sumsq[1], c->sumsq[2], 0};
    /* n umin <= sum u <= n umax */
    mp_mul(&c->n, 1, &umin, 1, lo);
    mp_mul(&c->n, 1, &umax, 1, hi);
    if (mp_cmp(sum4, lo) < 0 || mp_cmp(sum4, hi) > 0) return false;
    /* umin sum u <= sum u^2 <= umax sum u */
    mp_mul(&umin, 1, c->sum, 2, lo);
    mp_mul(&umax, 1, c->sum, 2, hi);
    if (mp_cmp(sq4, lo) < 0 || mp_cmp(sq4, hi) > 0) return false;
    /* n sum u^2 >= (sum u)^2 */
    mp_mul(&c->n, 1, c->sumsq, 3, d);
    mp_mul(c->sum, 2, c->sum, 2, s);
    return mp_cmp(d, s) >= 0;
}

/*
 * With n >= 2 one value is the min and another the max; the k = n - 2
 * others lie between them. In microseconds (a = u(min) <= u <= c = u(max),
 * dur_us being monotone), their sum S and sum of squares Q obey
 * k a <= S <= k c, k Q >= S^2 (Cauchy-Schwarz), and Q <= (a + c) S - k a c
 * (each (u - a)(c - u) >= 0); with k = 0, S = Q = 0, and with k = 1,
 * Q = S^2. So two values fix the moments exactly, as do three, and values
 * all equal pin them: tighter than the bounds over all n values.
 */
static bool dur_rest_ok(const duration_core *c)
{
    uint64_t a = dur_us(c->min), z = dur_us(c->max), k = c->n - 2;
    uint64_t es[2] = {0, 0}, eq[3] = {0, 0, 0};
    dur_moments_add(es, eq, a);
    dur_moments_add(es, eq, z);
    uint64_t S[4] = {c->sum[0], c->sum[1], 0, 0}, Q[4] = {c->sumsq[0], c->sumsq[1], c->sumsq[2], 0};
    const uint64_t E[4] = {es[0], es[1], 0, 0}, F[4] = {eq[0], eq[1], eq[2], 0};
    if (mp_cmp(S, E) < 0 || mp_cmp(Q, F) < 0) return false;
    mp_sub(S, E);
    mp_sub(Q, F);
    static const uint64_t zero[4];
    if (k == 0) return mp_cmp(S, zero) == 0 && mp_cmp(Q, zero) == 0;
    uint64_t lo[4], hi[4], s2[4];
    mp_mul(&k, 1, &a, 1, lo);
    mp_mul(&k, 1, &z, 1, hi);
    if (mp_cmp(S, lo) < 0 || mp_cmp(S, hi) > 0) return false;
    mp_mul(S, 2, S, 2, s2); /* S < 2^128 */
    if (k == 1) return mp_cmp(Q, s2) == 0;
    mp_mul(&k, 1, Q, 3, lo); /* Q < 2^192 */
    if (mp_cmp(lo, s2) < 0) return false;
    uint64_t az[2], sum_az = a + z; /* a, z < 2^63 */
    mul64(a, z, &az[1], &az[0]);
    mp_mul(&k, 1, az, 2, lo); /* k a z < 2^190 */
    dur_mp_add(lo, Q, 4);
    mp_mul(&sum_az, 1, S, 2, hi); /* (a + z) S < 2^192 */
    return mp_cmp(lo, hi) <= 0;
}

/*
 * What few values fix exactly. One value: it is both extremes. Two or
 * more: the values between the extremes obey dur_rest_ok. Every value in
 * the underflow (overflow) slot: that slot's kept extreme is the global
 * one.
 */
static bool dur_few_values_ok(const duration_core *c, uint32_t first, uint32_t last, bool bounds)
{
    if (c->n == 1 && c->min != c->max) return false;
    if (last == DUR_UNDER && c->under_max != c->max) return false;
    if (first == DUR_OVER && c->over_min != c->min) return false;
    /* Extremes that are bounds (after a retraction) pin nothing but with two values. */
    return c->n < 2 || (bounds && c->n > 2) || dur_rest_ok(c);
}

bool dur_parts_ok(const duration_core *whole, dur_part_fn part, const void *ctx, uint32_t count,
                  bool exact, bool bounds)
{
    duration_core u, p; /* the union of the parts; one part at a time */
    memset(&u, 0, sizeof u);
    for (uint32_t i = 0; i < count; i++) {
        part(ctx, i, &p);
        if (p.n == 0) continue;
        if (cxm_add_overflows(u.n, p.n)) return false;
        /* Valid parts whose counts add up have moments that fit their limbs. */
        u.min = u.n == 0 || p.min < u.min ? p.min : u.min;
        u.max = p.max > u.max ? p.max : u.max;
        u.under_max = p.under_max > u.under_max ? p.under_max : u.under_max;
        if (p.over_min != 0.0 && (u.over_min == 0.0 || p.over_min < u.over_min))
            u.over_min = p.over_min;
        u.n += p.n;
        dur_mp_add(u.sum, p.sum, 2);
        dur_mp_add(u.sumsq, p.sumsq, 3);
        for (uint32_t s = 0; s < DUR_SLOTS; s++)
            u.slot[s] += p.slot[s]; /* at most u.n: no overflow */
    }
    /* Bounds: each group's extremes are its own; the counts and the moments still add up. */
    size_t cmp = bounds ? offsetof(duration_core, min) : offsetof(duration_core, slot);
    if (exact && memcmp(&u, whole, cmp) != 0) return false;
    if (u.n > whole->n) return false;
    for (uint32_t s = 0; s < DUR_SLOTS; s++)
        if (exact ? u.slot[s] != whole->slot[s] : u.slot[s] > whole->slot[s]) return false;
    return true;
}

/*
 * Each value is rounded to the nearest microsecond through a double:
 * v 10^6 < 2^63 is off by at most half an ulp (512) before the rounding,
 * so a whole number of seconds lands within 1024 us of v 10^6.
 */
#define DUR_US_SLACK 1024u

bool dur_sum_near_seconds(const duration_core *c, const uint64_t seconds[2])
{
    static const uint64_t million = 1000000u, slack_per_value = DUR_US_SLACK;
    uint64_t us[4], slack[4], lo[4], hi[4], sum4[4] = {c->sum[0], c->sum[1], 0, 0};
    mp_mul(seconds, 2, &million, 1, us);
    mp_mul(&c->n, 1, &slack_per_value, 1, slack);
    memcpy(lo, sum4, sizeof lo);
    dur_mp_add(lo, slack, 4); /* sum + slack >= us */
    memcpy(hi, us, sizeof hi);
    dur_mp_add(hi, slack, 4); /* sum <= us + slack */
    return mp_cmp(lo, us) >= 0 && mp_cmp(sum4, hi) <= 0;
}

static bool dur_fields_ok(const duration_core *c, uint64_t total, bool bounds)
{
    if (total != c->n) return false;
    if (c->n == 0) {
        static const duration_core zero;
        return memcmp(c, &zero, sizeof zero) == 0;
    }
    /* Canonical doubles only: no -0.0 anywhere (the record path never stores one). */
    if (!dur_value_ok(c->min) || !dur_value_ok(c->max) || c->min > c->max || signbit(c->min) ||
        signbit(c->max) || signbit(c->under_max) || signbit(c->over_min))
        return false;
    uint32_t first = 0, last = DUR_OVER;
    while (c->slot[first] == 0)
        first++;
    while (c->slot[last] == 0)
        last--;
    if (dur_slot_of(c->min) != first || dur_slot_of(c->max) != last) return false;
    if (!dur_few_values_ok(c, first, last, bounds)) return false;
    uint64_t nu = c->slot[DUR_UNDER], no = c->slot[DUR_OVER];
    if (nu == 0 ? c->under_max != 0.0
                : !(c->under_max >= c->min && c->under_max < DUR_TRACKED_MIN &&
                    (nu > 1 || c->under_max == c->min)))
        return false;
    if (no == 0 ? c->over_min != 0.0
                : !(c->over_min >= DUR_TRACKED_MAX && c->over_min <= c->max &&
                    (no > 1 || c->over_min == c->max)))
        return false;
    return dur_moments_ok(c);
}

void dur_read(cxm_rd *r, duration_core *c)
{
    dur_read_bounds(r, c, false);
}

void dur_read_bounds(cxm_rd *r, duration_core *c, bool bounds)
{
    memset(c, 0, sizeof *c);
    c->n = cxm_rd_u64(r);
    c->min = cxm_rd_f64(r);
    c->max = cxm_rd_f64(r);
    c->under_max = cxm_rd_f64(r);
    c->over_min = cxm_rd_f64(r);
    for (int i = 0; i < 2; i++)
        c->sum[i] = cxm_rd_u64(r);
    for (int i = 0; i < 3; i++)
        c->sumsq[i] = cxm_rd_u64(r);
    uint64_t runs = cxm_rd_uvar(r), pos = 0, total = 0;
    for (uint64_t k = 0; k < runs && !r->bad; k++) {
        uint64_t skip = cxm_rd_uvar(r), len = cxm_rd_uvar(r);
        /* Runs are maximal: separated by at least one empty slot, never empty. */
        if ((k > 0 && skip == 0) || len == 0 || skip > DUR_SLOTS - pos ||
            len > DUR_SLOTS - pos - skip) {
            r->bad = true;
            return;
        }
        pos += skip;
        for (uint64_t j = 0; j < len && !r->bad; j++, pos++) {
            uint64_t v = cxm_rd_uvar(r);
            if (v == 0 || cxm_add_overflows(total, v)) {
                r->bad = true;
                return;
            }
            c->slot[pos] = v;
            total += v;
        }
    }
    if (!r->bad && !dur_fields_ok(c, total, bounds)) r->bad = true;
}
