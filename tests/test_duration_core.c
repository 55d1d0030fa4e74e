/*
 * test_duration_core.c — the record paths of the duration sketch, white-box,
 * against a model written here without the library's tricks: the slot from
 * frexp, the extremes as doubles, the microsecond sums in 32-bit limbs
 * added and multiplied by schoolbook. A sketch fed one value at a time
 * (dur_add), in one batch or in batches of random lengths (dur_add_many),
 * starting empty or not, must hold exactly the model's fields, byte for
 * byte, and encode to the bytes of the model's sketch. The values are
 * chosen to run every carry of the sums over the 2^64 and 2^128 limb
 * edges, to reach every rare case of the add and the batch (new extremes,
 * -0.0, 0, underflow, overflow, a sketch whose extremes lie outside the
 * tracked range); a refused value anywhere in a batch, or into a full
 * sketch, must leave the sketch as it was.
 * Built twice: against the library's arithmetic, and as
 * test_duration_core_portable over its plain C11 fallbacks.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

#include "duration_core.h"

/* ---- the model ------------------------------------------------------------------ */

#define LIMBS 6 /* 32-bit limbs: 192 bits */

typedef struct model {
    uint64_t n;
    double min, max, under_max, over_min;
    uint32_t sum[LIMBS], sumsq[LIMBS];
    uint64_t slot[DUR_SLOTS];
} model;

/* a += b, both LIMBS 32-bit limbs; the model's sums never pass 192 bits. */
static void big_add(uint32_t *a, const uint32_t *b)
{
    uint64_t carry = 0;
    for (int i = 0; i < LIMBS; i++) {
        uint64_t t = (uint64_t)a[i] + b[i] + carry;
        a[i] = (uint32_t)t;
        carry = t >> 32;
    }
    assert_true(carry == 0);
}

/* u as limbs, and u^2 by schoolbook over 32-bit halves. */
static void big_of(uint64_t u, uint32_t *r)
{
    memset(r, 0, LIMBS * sizeof r[0]);
    r[0] = (uint32_t)u;
    r[1] = (uint32_t)(u >> 32);
}

static void big_square(uint64_t u, uint32_t *r)
{
    uint32_t a[2] = {(uint32_t)u, (uint32_t)(u >> 32)};
    memset(r, 0, LIMBS * sizeof r[0]);
    for (int i = 0; i < 2; i++) {
        uint32_t part[LIMBS] = {0};
        uint64_t carry = 0;
        for (int j = 0; j < 2; j++) {
            uint64_t t = (uint64_t)a[i] * a[j] + carry;
            part[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        part[i + 2] = (uint32_t)carry;
        big_add(r, part);
    }
}

/* The slot of a valid value, from frexp: v = m 2^e, m in [0.5, 1). */
static uint32_t model_slot(double v)
{
    if (v < 0x1p-10) return DUR_UNDER;
    if (v >= 0x1p29) return DUR_OVER;
    int e;
    double m = frexp(v, &e);
    int octave = e - 1 + 10;
    int sub = (int)floor((2.0 * m - 1.0) * 64.0);
    return 1u + (uint32_t)(octave * 64 + sub);
}

static bool model_ok(double v)
{
    return !isnan(v) && v >= 0.0 && v <= 0x1p43;
}

static void model_add(model *m, double v)
{
    assert_true(model_ok(v));
    v = v == 0.0 ? 0.0 : v; /* -0.0 is 0 */
    if (m->n == 0 || v < m->min) m->min = v;
    if (m->n == 0 || v > m->max) m->max = v;
    m->n++;
    uint32_t s = model_slot(v);
    m->slot[s]++;
    if (s == DUR_UNDER && v > m->under_max) m->under_max = v;
    if (s == DUR_OVER && (m->over_min == 0.0 || v < m->over_min)) m->over_min = v;
    uint64_t u = (uint64_t)(int64_t)(v * 1e6 + 0.5);
    uint32_t b[LIMBS];
    big_of(u, b);
    big_add(m->sum, b);
    big_square(u, b);
    big_add(m->sumsq, b);
}

static uint64_t limb64(const uint32_t *a, int i)
{
    return (uint64_t)a[2 * i] | (uint64_t)a[2 * i + 1] << 32;
}

/* The sketch the model describes, field by field. */
static void model_core(const model *m, duration_core *c)
{
    memset(c, 0, sizeof *c);
    c->n = m->n;
    c->min = m->min;
    c->max = m->max;
    c->under_max = m->under_max;
    c->over_min = m->over_min;
    for (int i = 0; i < 2; i++)
        c->sum[i] = limb64(m->sum, i);
    assert_true(m->sum[4] == 0 && m->sum[5] == 0);
    for (int i = 0; i < 3; i++)
        c->sumsq[i] = limb64(m->sumsq, i);
    memcpy(c->slot, m->slot, sizeof c->slot);
}

static void assert_is_model(const duration_core *c, const model *m)
{
    duration_core want;
    model_core(m, &want);
    if (memcmp(c, &want, sizeof want) != 0) {
        print_error("n %llu/%llu min %a/%a max %a/%a sum %llx:%llx/%llx:%llx sumsq "
                    "%llx:%llx:%llx/%llx:%llx:%llx\n",
                    (unsigned long long)c->n, (unsigned long long)want.n, c->min, want.min, c->max,
                    want.max, (unsigned long long)c->sum[1], (unsigned long long)c->sum[0],
                    (unsigned long long)want.sum[1], (unsigned long long)want.sum[0],
                    (unsigned long long)c->sumsq[2], (unsigned long long)c->sumsq[1],
                    (unsigned long long)c->sumsq[0], (unsigned long long)want.sumsq[2],
                    (unsigned long long)want.sumsq[1], (unsigned long long)want.sumsq[0]);
        fail();
    }
}

/* The encoding of a sketch (its bytes after the envelope's header are dur_write's). */
static size_t encode(const duration_core *c, uint8_t *buf, size_t cap)
{
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, 1, 1);
    dur_write(&w, c);
    size_t len = 0;
    TU_OK(cxm_wr_end(&w, &len));
    return len;
}

/* The sketch is the model's, and so are its encoded bytes. */
static void assert_encodes_as_model(const duration_core *c, const model *m)
{
    static duration_core want;
    static uint8_t a[65536], b[65536];
    model_core(m, &want);
    size_t la = encode(c, a, sizeof a), lb = encode(&want, b, sizeof b);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
}

/* ---- the sketch three ways ------------------------------------------------------ */

static uint64_t rng = 0x2545F4914F6CDD1Du;
static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1Du;
}

/*
 * From a sketch holding `pre` (n_pre values, through the model too), add v
 * one by one, as one batch and as batches of random lengths: all three
 * must be the model.
 */
static void check_three_ways(const double *pre, size_t n_pre, const double *v, size_t n)
{
    static duration_core one, many, parts;
    static model m;
    memset(&m, 0, sizeof m);
    dur_init(&one);
    for (size_t i = 0; i < n_pre; i++) {
        TU_OK(dur_add(&one, pre[i]));
        model_add(&m, pre[i]);
    }
    memcpy(&many, &one, sizeof one);
    memcpy(&parts, &one, sizeof one);
    for (size_t i = 0; i < n; i++) {
        TU_OK(dur_add(&one, v[i]));
        model_add(&m, v[i]);
    }
    assert_is_model(&one, &m);
    size_t bad = 99;
    TU_OK(dur_add_many(&many, v, n, &bad));
    assert_int_equal(bad, 99);
    assert_is_model(&many, &m);
    for (size_t at = 0; at < n;) {
        size_t k = 1 + (size_t)(rnd() % 17);
        k = k > n - at ? n - at : k;
        TU_OK(dur_add_many(&parts, v + at, k, &bad));
        at += k;
    }
    assert_is_model(&parts, &m);
    assert_encodes_as_model(&one, &m);
}

/* ---- cases ---------------------------------------------------------------------- */

/* Seconds whose microseconds are u (exact: u / 1e6 rounds back to u). */
static double us(uint64_t u)
{
    double v = (double)u / 1e6;
    assert_true((uint64_t)(int64_t)(v * 1e6 + 0.5) == u);
    return v;
}

static void carries_at_limb_edges(void **state)
{
    (void)state;
    /*
     * 2^32 us squares to 2^64 (low limb 0, a carry of exactly one), 2^32 - 1
     * to 2^64 - 2^33 + 1 (a low limb that carries on the next such square),
     * values near 2^43 s give u near 2^63 (sum u carries into its top limb
     * every other value, u^2 near 2^126 carries sum u^2 into its third
     * limb every few values); the largest accepted value, 2^43 s, is there.
     */
    double v[64];
    size_t n = 0;
    for (int i = 0; i < 6; i++) {
        v[n++] = us((uint64_t)1 << 32);
        v[n++] = us(((uint64_t)1 << 32) - 1);
        v[n++] = us(((uint64_t)1 << 32) + 1);
    }
    for (int i = 0; i < 12; i++)
        v[n++] = 0x1p43 - (double)(i * 1000);
    v[n++] = 0x1p43;
    v[n++] = 1.0;
    for (int i = 0; i < 8; i++)
        v[n++] = 0x1p42 + (double)i;
    check_three_ways(NULL, 0, v, n);
    /* The same after values already in, and in reverse order. */
    double r[64];
    for (size_t i = 0; i < n; i++)
        r[i] = v[n - 1 - i];
    check_three_ways(v, n, r, n);
}

static void many_large_values_fill_every_limb(void **state)
{
    (void)state;
    /* 4096 values near 2^43 s: sum u above 2^75, sum u^2 above 2^137. */
    enum { N = 4096 };
    static double v[N];
    for (size_t i = 0; i < N; i++)
        v[i] = 0x1p43 - (double)(rnd() % 1000000000u);
    check_three_ways(NULL, 0, v, N);
}

static void rare_cases_of_the_batch(void **state)
{
    (void)state;
    static const double pre[] = {3600.0, 60.0};
    /* New extremes mid-batch, -0.0, 0, underflow and overflow values, edges of the range. */
    static const double v[] = {100.0,
                               -0.0,
                               0.0,
                               1e-4,
                               0x1p-10,
                               0x1p29,
                               1e9,
                               5e8,
                               0x1.fffffffffffffp-11,
                               -0.0,
                               4e-4,
                               3600.0,
                               0x1.fffffffffffffp28,
                               1e-9,
                               0x1p43,
                               2e9,
                               0x1p-1074,
                               7.5,
                               DBL_MIN,
                               0x1.fffffffffffffp-11};
    size_t n = sizeof v / sizeof v[0];
    check_three_ways(NULL, 0, v, n);
    check_three_ways(pre, 2, v, n);
    /* Every value first, with everything else after it. */
    for (size_t i = 0; i < n; i++) {
        double w[32];
        w[0] = v[i];
        for (size_t j = 0, k = 1; j < n; j++)
            if (j != i) w[k++] = v[j];
        check_three_ways(NULL, 0, w, n);
    }
}

static void extremes_outside_the_tracked_range(void **state)
{
    (void)state;
    /*
     * A sketch holding only underflow values (or only overflow values):
     * no value is between its extremes and tracked, the batch's straight
     * path takes nothing until a tracked value comes.
     */
    static const double zeros[] = {0.0, 0.0, 1e-5};
    static const double big[] = {1e9, 2e9};
    static const double v[] = {0.0, 1e-6, 5.0, 6.0, 5.5, 1e-7, 3e9, 6.0, 0.0};
    size_t n = sizeof v / sizeof v[0];
    check_three_ways(zeros, 3, v, n);
    check_three_ways(big, 2, v, n);
    check_three_ways(zeros, 3, zeros, 3);
    check_three_ways(big, 2, big, 2);
}

static void lognormal_streams(void **state)
{
    (void)state;
    enum { N = 20000 };
    static double v[N], pre[300];
    for (int round = 0; round < 4; round++) {
        for (size_t i = 0; i < N; i++) {
            double u1 = ((double)(rnd() >> 11) + 0.5) * 0x1p-53,
                   u2 = (double)(rnd() >> 11) * 0x1p-53;
            double z = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
            /* The widest rounds under- and overflow, up to the largest accepted value. */
            v[i] = fmin(3600.0 * exp((round + 1) * 1.5 * z), 0x1p43);
        }
        for (size_t i = 0; i < 300; i++)
            pre[i] = fmin(v[(i * 7919) % N] * 1.5, 0x1p43);
        check_three_ways(NULL, 0, v, N);
        check_three_ways(pre, 300, v, N);
    }
}

static void first_value_of_an_empty_sketch(void **state)
{
    (void)state;
    /* The single add sets both extremes from its first value, 0 and -0.0 included. */
    static const double firsts[] = {0.0, -0.0, 1e-9, 0x1p-10, 1.0, 0x1p29, 0x1p43};
    for (size_t i = 0; i < sizeof firsts / sizeof firsts[0]; i++) {
        check_three_ways(NULL, 0, firsts + i, 1);
        const double two[2] = {firsts[i], 2.0};
        check_three_ways(NULL, 0, two, 2);
        const double back[2] = {2.0, firsts[i]};
        check_three_ways(NULL, 0, back, 2);
    }
}

static void a_refused_value_changes_nothing(void **state)
{
    (void)state;
    static const double bad_values[] = {
        -1.0, -1e-300, NAN, -NAN, INFINITY, -INFINITY, 0x1.0000000000001p43, 1e300};
    static const double pre[] = {2.0, 1e-5, 1e10};
    double v[40];
    for (size_t i = 0; i < 40; i++)
        v[i] = i % 5 == 0 ? 1e-5 * (double)i : i % 7 == 0 ? 1e9 + (double)i : 1.0 + (double)i;
    v[3] = -0.0;
    for (size_t b = 0; b < sizeof bad_values / sizeof bad_values[0]; b++)
        for (size_t at = 0; at < 40; at += 3)
            for (size_t p = 0; p <= 3; p += 3) {
                static duration_core c, before;
                dur_init(&c);
                for (size_t i = 0; i < p; i++)
                    TU_OK(dur_add(&c, pre[i]));
                memcpy(&before, &c, sizeof c);
                double w[40];
                memcpy(w, v, sizeof w);
                w[at] = bad_values[b];
                size_t bad = 99;
                TU_ST(dur_add_many(&c, w, 40, &bad), CXM_OUT_OF_RANGE);
                assert_int_equal(bad, at);
                assert_memory_equal(&c, &before, sizeof c);
                TU_ST(dur_add(&c, bad_values[b]), CXM_OUT_OF_RANGE);
                assert_memory_equal(&c, &before, sizeof c);
            }
}

static void a_full_count_refuses_in_order(void **state)
{
    (void)state;
    /*
     * A sketch holding 2^64 - 1 values (its fields set here; only the count
     * matters): a refused value is CXM_OUT_OF_RANGE before the full count
     * is CXM_OVERFLOW, for one value and for a batch, and nothing changes.
     */
    static duration_core c, before;
    dur_init(&c);
    TU_OK(dur_add(&c, 5.0));
    c.n = UINT64_MAX;
    c.slot[dur_slot_of(5.0)] = UINT64_MAX;
    memcpy(&before, &c, sizeof c);
    static const double bad_values[] = {-1.0, NAN, INFINITY, 0x1p44};
    for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++) {
        TU_ST(dur_add(&c, bad_values[i]), CXM_OUT_OF_RANGE);
        size_t bad = 99;
        const double two[2] = {1.0, bad_values[i]};
        TU_ST(dur_add_many(&c, two, 2, &bad), CXM_OUT_OF_RANGE);
        assert_int_equal(bad, 1);
    }
    TU_ST(dur_add(&c, 1.0), CXM_OVERFLOW);
    TU_ST(dur_add(&c, -0.0), CXM_OVERFLOW);
    TU_ST(dur_add_many(&c, (const double[1]){1.0}, 1, NULL), CXM_OVERFLOW);
    assert_memory_equal(&c, &before, sizeof c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(carries_at_limb_edges),
        cmocka_unit_test(many_large_values_fill_every_limb),
        cmocka_unit_test(rare_cases_of_the_batch),
        cmocka_unit_test(extremes_outside_the_tracked_range),
        cmocka_unit_test(lognormal_streams),
        cmocka_unit_test(first_value_of_an_empty_sketch),
        cmocka_unit_test(a_refused_value_changes_nothing),
        cmocka_unit_test(a_full_count_refuses_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
