/*
 * test_nps.c — NPS and the competitive panel, as the specification states
 * them: categories and their boundaries, the score, the trinomial standard
 * error, the adjusted-Wald and Wald intervals, weighted answers with Kish's
 * effective sample size, the two-sample comparison, kinds never blended,
 * rejected input changing nothing, placement in caller memory, and the exact
 * bytes of the encoding.
 */
#include <math.h>
#include <stdio.h>

#include "testutil.h"

static cxm_nps *mk(uint32_t kind, uint32_t brand)
{
    cxm_nps *n = NULL;
    TU_OK(cxm_nps_new(kind, brand, &tu_allocator, &n));
    return n;
}

static cxm_nps_result result(const cxm_nps *n, uint32_t method)
{
    cxm_nps_result r = {.size = sizeof r};
    TU_OK(cxm_nps_result_get(n, 0.95, method, &r));
    return r;
}

/* 10 answers: 5 promoters (10, 9, 9, 10, 9), 2 passives (8, 7), 3 detractors (6, 5, 3). */
static const uint8_t TEN[10] = {10, 9, 9, 8, 7, 6, 5, 3, 10, 9};

static void hand_computed_ten_answers(void **state)
{
    (void)state;
    cxm_nps *n = mk(CXM_NPS_TRANSACTIONAL, 0);
    TU_OK(cxm_nps_add_many(n, TEN, 10, NULL));
    cxm_nps_result r = result(n, CXM_NPS_WALD);
    assert_int_equal(r.n, 10);
    assert_int_equal(r.promoters, 5);
    assert_int_equal(r.passives, 2);
    assert_int_equal(r.detractors, 3);
    assert_int_equal(r.kind, CXM_NPS_TRANSACTIONAL);
    /* NPS = 100 (5 - 3) / 10 = 20. */
    TU_NEAR(r.nps, 20.0, 1e-12);
    TU_NEAR(r.promoter_pct, 50.0, 1e-12);
    TU_NEAR(r.passive_pct, 20.0, 1e-12);
    TU_NEAR(r.detractor_pct, 30.0, 1e-12);
    /* Var = (0.5 + 0.3 - 0.2^2) / 10 = 0.076; SE = 100 sqrt(0.076) = 27.568098. */
    TU_NEAR(r.se, 27.568097504180443, 1e-9);
    /* Wald: 20 +- 1.959964 * 27.568098 = [-34.032478, 74.032478]. */
    TU_NEAR(r.ci.lower, -34.03247823048222, 1e-6);
    TU_NEAR(r.ci.upper, 74.03247823048221, 1e-6);
    assert_int_equal(r.method, CXM_NPS_WALD);
    assert_true(r.weight_total == 10.0 && r.n_effective == 10.0);
    /*
     * Adjusted Wald: n' = 13, p' = 5.75 / 13, d' = 3.75 / 13, centre = 2 / 13;
     * half = 1.959964 sqrt((p' + d' - (p' - d')^2) / 13) -> [-30.325994, 61.095225].
     */
    r = result(n, CXM_NPS_ADJUSTED_WALD);
    TU_NEAR(r.nps, 20.0, 1e-12);
    TU_NEAR(r.ci.lower, -30.32599443550416, 1e-6);
    TU_NEAR(r.ci.upper, 61.09522520473494, 1e-6);
    assert_int_equal(r.method, CXM_NPS_ADJUSTED_WALD);
    /* The default level is 95%. */
    cxm_nps_result d = {.size = sizeof d};
    TU_OK(cxm_nps_result_get(n, 0.0, CXM_NPS_ADJUSTED_WALD, &d));
    assert_true(d.ci.lower == r.ci.lower && d.ci.level == 0.95);
    cxm_nps_free(n);
}

static void boundaries(void **state)
{
    (void)state;
    /* 0 and 6 detract, 7 and 8 are passive, 9 and 10 promote. */
    const int32_t score[6] = {0, 6, 7, 8, 9, 10};
    const int cat[6] = {0, 0, 1, 1, 2, 2};
    for (int i = 0; i < 6; i++) {
        cxm_nps *n = mk(CXM_NPS_RELATIONAL, 0);
        TU_OK(cxm_nps_add(n, score[i]));
        cxm_nps_result r = result(n, CXM_NPS_WALD);
        assert_int_equal(r.detractors, cat[i] == 0);
        assert_int_equal(r.passives, cat[i] == 1);
        assert_int_equal(r.promoters, cat[i] == 2);
        TU_NEAR(r.nps, cat[i] == 0 ? -100.0 : (cat[i] == 1 ? 0.0 : 100.0), 0);
        cxm_nps_free(n);
    }
    /* All promoters: 100, the Wald interval collapses, adjusted Wald does not. */
    cxm_nps *n = mk(CXM_NPS_RELATIONAL, 0);
    for (int i = 0; i < 20; i++)
        TU_OK(cxm_nps_add(n, 10));
    cxm_nps_result r = result(n, CXM_NPS_WALD);
    assert_true(r.nps == 100.0 && r.se == 0.0 && r.ci.lower == 100.0);
    r = result(n, CXM_NPS_ADJUSTED_WALD);
    assert_true(r.ci.lower < 100.0 && r.ci.upper <= 100.0);
    cxm_nps_free(n);
}

static void empty_has_no_score(void **state)
{
    (void)state;
    cxm_nps *n = mk(CXM_NPS_RELATIONAL, 0);
    cxm_nps_result r = {.size = sizeof r, .nps = 42.0};
    TU_ST(cxm_nps_result_get(n, 0.95, CXM_NPS_ADJUSTED_WALD, &r), CXM_EMPTY);
    assert_int_equal(r.n, 0);
    assert_false(isnan(r.nps));
    cxm_nps_free(n);
}

static void bad_input_changes_nothing(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("nps");
    cxm_nps *n = mk(CXM_NPS_RELATIONAL, 0);
    TU_OK(cxm_nps_add_many(n, TEN, 10, NULL));
    tu_snap s = tu_snapshot(f, n);

    TU_ST(cxm_nps_add(n, 11), CXM_OUT_OF_RANGE);
    TU_ST(cxm_nps_add(n, -1), CXM_OUT_OF_RANGE);
    TU_ST(cxm_nps_add(n, INT32_MIN), CXM_OUT_OF_RANGE);
    TU_ST(cxm_nps_add(NULL, 5), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_nps_add_weighted(n, 5, 0.0), CXM_OUT_OF_RANGE);
    TU_ST(cxm_nps_add_weighted(n, 5, -1.0), CXM_OUT_OF_RANGE);
    TU_ST(cxm_nps_add_weighted(n, 5, NAN), CXM_OUT_OF_RANGE);
    TU_ST(cxm_nps_add_weighted(n, 5, INFINITY), CXM_OUT_OF_RANGE);
    TU_ST(cxm_nps_add_weighted(n, 12, 1.0), CXM_OUT_OF_RANGE);

    /* A batch with one bad byte is rejected whole and names it. */
    uint8_t batch[100];
    for (int i = 0; i < 100; i++)
        batch[i] = (uint8_t)(i % 11);
    batch[73] = 11;
    size_t bad = 0;
    TU_ST(cxm_nps_add_many(n, batch, 100, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 73);
    batch[73] = 0;
    batch[99] = 255;
    TU_ST(cxm_nps_add_many(n, batch, 100, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 99);
    TU_ST(cxm_nps_add_many(n, NULL, 3, &bad), CXM_INVALID_ARGUMENT);
    double w[100];
    for (int i = 0; i < 100; i++)
        w[i] = 1.0;
    batch[99] = 10;
    w[50] = -2.0;
    TU_ST(cxm_nps_add_many_weighted(n, batch, w, 100, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 50);
    tu_assert_same(f, n, s);

    /* Merging other kinds or brands is refused. */
    cxm_nps *rel = mk(CXM_NPS_TRANSACTIONAL, 0);
    TU_OK(cxm_nps_add(rel, 3));
    TU_ST(cxm_nps_merge(n, rel), CXM_KIND_MISMATCH);
    cxm_nps *c1 = mk(CXM_NPS_COMPETITIVE, 1), *c2 = mk(CXM_NPS_COMPETITIVE, 2);
    TU_OK(cxm_nps_add(c2, 3));
    TU_ST(cxm_nps_merge(c1, c2), CXM_BRAND_MISMATCH);
    TU_ST(cxm_nps_merge(n, c2), CXM_KIND_MISMATCH);
    tu_assert_same(f, n, s);
    /* Result calls with a bad struct size or level leave everything alone. */
    cxm_nps_result r = {.size = 8};
    TU_ST(cxm_nps_result_get(n, 0.95, 0, &r), CXM_INVALID_ARGUMENT);
    r.size = sizeof r;
    TU_ST(cxm_nps_result_get(n, 1.5, 0, &r), CXM_OUT_OF_RANGE);
    TU_ST(cxm_nps_result_get(n, 0.95, 7, &r), CXM_INVALID_ARGUMENT);
    tu_snap_free(s);
    cxm_nps_free(n);
    cxm_nps_free(rel);
    cxm_nps_free(c1);
    cxm_nps_free(c2);
}

static void creation_rules(void **state)
{
    (void)state;
    cxm_nps *n = NULL;
    TU_ST(cxm_nps_new(0, 0, NULL, &n), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_nps_new(4, 0, NULL, &n), CXM_INVALID_ARGUMENT);
    /* Only competitive NPS has brands. */
    TU_ST(cxm_nps_new(CXM_NPS_RELATIONAL, 3, NULL, &n), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_nps_new(CXM_NPS_RELATIONAL, 0, NULL, NULL), CXM_INVALID_ARGUMENT);
    assert_null(n);
    TU_OK(cxm_nps_new(CXM_NPS_COMPETITIVE, 3, NULL, &n));
    uint32_t kind, brand;
    TU_OK(cxm_nps_identity(n, &kind, &brand));
    assert_int_equal(kind, CXM_NPS_COMPETITIVE);
    assert_int_equal(brand, 3);
    cxm_nps_free(n);
    cxm_nps_free(NULL);
}

static void overflow_is_refused(void **state)
{
    (void)state;
    /* Counts near 2^64 are reached by merging an accumulator into itself. */
    cxm_nps *big = mk(CXM_NPS_RELATIONAL, 0);
    cxm_nps *one = mk(CXM_NPS_RELATIONAL, 0);
    TU_OK(cxm_nps_add(one, 9));
    /* Double up to 2^63, then add 2^63 - 2 more by merging halves. */
    TU_OK(cxm_nps_add(big, 9));
    for (int i = 0; i < 63; i++)
        TU_OK(cxm_nps_merge(big, big)); /* big = 2^63 */
    cxm_nps *rest = NULL;
    TU_OK(cxm_nps_clone(big, NULL, &rest));
    TU_ST(cxm_nps_merge(big, rest), CXM_OVERFLOW); /* 2^64 does not fit */
    cxm_nps_result r = result(big, CXM_NPS_WALD);
    assert_true(r.n == (uint64_t)1 << 63);
    /* Fill up to 2^64 - 1, then one more answer overflows and changes nothing. */
    for (int i = 62; i >= 0; i--) {
        cxm_nps *part = mk(CXM_NPS_RELATIONAL, 0);
        TU_OK(cxm_nps_add(part, 9));
        for (int k = 0; k < i; k++)
            TU_OK(cxm_nps_merge(part, part));
        TU_OK(cxm_nps_merge(big, part));
        cxm_nps_free(part);
    }
    r = result(big, CXM_NPS_WALD);
    assert_true(r.n == UINT64_MAX);
    TU_ST(cxm_nps_add(big, 9), CXM_OVERFLOW);
    TU_ST(cxm_nps_add_many(big, TEN, 1, NULL), CXM_OVERFLOW);
    TU_ST(cxm_nps_merge(big, one), CXM_OVERFLOW);
    r = result(big, CXM_NPS_WALD);
    assert_true(r.n == UINT64_MAX && r.nps == 100.0);
    cxm_nps_free(big);
    cxm_nps_free(one);
    cxm_nps_free(rest);
}

static void weighted_answers(void **state)
{
    (void)state;
    /* 10 (w 2), 9 (w 1), 5 (w 1), 8 (w 0.5): sum w = 4.5, sum w^2 = 6.25. */
    cxm_nps *n = mk(CXM_NPS_RELATIONAL, 0);
    TU_OK(cxm_nps_add_weighted(n, 10, 2.0));
    TU_OK(cxm_nps_add_weighted(n, 9, 1.0));
    TU_OK(cxm_nps_add_weighted(n, 5, 1.0));
    TU_OK(cxm_nps_add_weighted(n, 8, 0.5));
    cxm_nps_result r = result(n, CXM_NPS_WALD);
    assert_int_equal(r.n, 4); /* counts stay exact integers */
    assert_int_equal(r.promoters, 2);
    TU_NEAR(r.weight_total, 4.5, 1e-12);
    /* NPS = 100 (3 - 1) / 4.5; n_eff = 4.5^2 / 6.25 = 3.24. */
    TU_NEAR(r.nps, 44.44444444444444, 1e-9);
    TU_NEAR(r.n_effective, 3.24, 1e-12);
    /* SE = 100 sqrt((2/3 + 2/9 - (4/9)^2) / 3.24) = 46.193301. */
    TU_NEAR(r.se, 46.19330107128323, 1e-8);
    /* Weight 1 everywhere equals the unweighted accumulator. */
    cxm_nps *a = mk(CXM_NPS_RELATIONAL, 0), *b = mk(CXM_NPS_RELATIONAL, 0);
    double ones[10] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    TU_OK(cxm_nps_add_many_weighted(a, TEN, ones, 10, NULL));
    TU_OK(cxm_nps_add_many(b, TEN, 10, NULL));
    cxm_nps_result ra = result(a, CXM_NPS_ADJUSTED_WALD), rb = result(b, CXM_NPS_ADJUSTED_WALD);
    TU_NEAR(ra.nps, rb.nps, 1e-12);
    TU_NEAR(ra.ci.lower, rb.ci.lower, 1e-12);
    TU_NEAR(ra.n_effective, 10.0, 1e-12);
    cxm_nps_free(n);
    cxm_nps_free(a);
    cxm_nps_free(b);
}

/* xorshift64*: a fixed sequence, so a failure reproduces. */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717u;
}

static void tu_assert_same_nps(const cxm_nps *a, const cxm_nps *b)
{
    const cxm_family_ops *f = cxm_family_find("nps");
    tu_snap s = tu_snapshot(f, a);
    tu_assert_same(f, b, s);
    tu_snap_free(s);
}

/*
 * The family table feeds unweighted answers only, so the laws are checked
 * here for weighted ones, mixed with unweighted: a weighted batch equals the
 * same answers added one by one (same bytes), decode(encode(x)) is x (same
 * bytes), merge is commutative (same bytes), and merging shards equals
 * adding everything into one up to the rounding of the sums of weights.
 */
static void weighted_laws(void **state)
{
    (void)state;
    uint64_t seed = 0x9E3779B97F4A7C15u;
    for (int round = 0; round < 50; round++) {
        enum { N = 60 };
        uint8_t sc[N];
        double w[N];
        for (int i = 0; i < N; i++) {
            sc[i] = (uint8_t)(rng_next(&seed) % 11);
            /* Weights from 1e-3 to 1e3, some exactly 1. */
            double u = (double)(rng_next(&seed) >> 11) / 9007199254740992.0;
            w[i] = i % 7 == 0 ? 1.0 : pow(10.0, 6.0 * u - 3.0);
        }
        cxm_nps *batch = mk(CXM_NPS_RELATIONAL, 0), *each = mk(CXM_NPS_RELATIONAL, 0);
        cxm_nps *a = mk(CXM_NPS_RELATIONAL, 0), *b = mk(CXM_NPS_RELATIONAL, 0);
        TU_OK(cxm_nps_add_many_weighted(batch, sc, w, N, NULL));
        for (int i = 0; i < N; i++)
            TU_OK(cxm_nps_add_weighted(each, sc[i], w[i]));
        tu_assert_same_nps(batch, each);
        /* Shards: a takes the first third weighted plus unweighted answers, b the rest. */
        TU_OK(cxm_nps_add_many_weighted(a, sc, w, N / 3, NULL));
        TU_OK(cxm_nps_add_many(a, sc, 5, NULL));
        TU_OK(cxm_nps_add_many_weighted(b, sc + N / 3, w + N / 3, N - N / 3, NULL));
        TU_OK(cxm_nps_add_many(each, sc, 5, NULL));

        cxm_nps *ab = NULL, *ba = NULL;
        TU_OK(cxm_nps_clone(a, NULL, &ab));
        TU_OK(cxm_nps_clone(b, NULL, &ba));
        TU_OK(cxm_nps_merge(ab, b));
        TU_OK(cxm_nps_merge(ba, a));
        tu_assert_same_nps(ab, ba);

        cxm_nps_result rm = result(ab, CXM_NPS_ADJUSTED_WALD);
        cxm_nps_result ro = result(each, CXM_NPS_ADJUSTED_WALD);
        assert_true(rm.n == ro.n && rm.promoters == ro.promoters && rm.detractors == ro.detractors);
        TU_NEAR(rm.weight_total, ro.weight_total, 1e-9 * ro.weight_total);
        TU_NEAR(rm.n_effective, ro.n_effective, 1e-9 * ro.n_effective);
        TU_NEAR(rm.nps, ro.nps, 1e-9);
        TU_NEAR(rm.se, ro.se, 1e-9);
        TU_NEAR(rm.ci.lower, ro.ci.lower, 1e-9);
        TU_NEAR(rm.ci.upper, ro.ci.upper, 1e-9);

        /* decode(encode(x)) == x, byte for byte and result for result. */
        uint8_t buf[256];
        size_t len = 0;
        TU_OK(cxm_nps_encode(ab, buf, sizeof buf, &len));
        cxm_nps *d = NULL;
        TU_OK(cxm_nps_decode(buf, len, &tu_allocator, &d));
        tu_assert_same_nps(ab, d);
        cxm_nps_result rd = result(d, CXM_NPS_ADJUSTED_WALD);
        assert_true(rd.nps == rm.nps && rd.se == rm.se && rd.ci.lower == rm.ci.lower &&
                    rd.ci.upper == rm.ci.upper && rd.n_effective == rm.n_effective);
        cxm_nps *objs[] = {batch, each, a, b, ab, ba, d};
        for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
            cxm_nps_free(objs[i]);
    }
}

static void comparison(void **state)
{
    (void)state;
    /* A: NPS 20 (SE 27.568098); B: 2 promoters, 8 detractors of 10: NPS -60. */
    cxm_nps *a = mk(CXM_NPS_TRANSACTIONAL, 0), *b = mk(CXM_NPS_TRANSACTIONAL, 0);
    TU_OK(cxm_nps_add_many(a, TEN, 10, NULL));
    const uint8_t bs[10] = {9, 10, 0, 1, 2, 3, 4, 5, 6, 6};
    TU_OK(cxm_nps_add_many(b, bs, 10, NULL));
    cxm_nps_comparison c = {.size = sizeof c};
    TU_OK(cxm_nps_compare(a, b, 0.95, CXM_NPS_WALD, &c));
    /* SE_B = 100 sqrt((0.2 + 0.8 - 0.36) / 10) = 25.298221; SE = sqrt(27.568^2 + 25.298^2). */
    double se = sqrt(0.076 * 1e4 + 0.064 * 1e4);
    TU_NEAR(c.diff, 80.0, 1e-9);
    TU_NEAR(c.se, se, 1e-9);
    TU_NEAR(c.z, 80.0 / se, 1e-9);
    TU_NEAR(c.p, erfc(80.0 / se / sqrt(2.0)), 1e-12);
    assert_int_equal(c.significant, 1); /* z = 2.138, p = 0.0325 */
    /* Kinds are never compared. */
    cxm_nps *r = mk(CXM_NPS_RELATIONAL, 0);
    TU_OK(cxm_nps_add(r, 9));
    TU_ST(cxm_nps_compare(a, r, 0.95, 0, &c), CXM_KIND_MISMATCH);
    cxm_nps *e = mk(CXM_NPS_TRANSACTIONAL, 0);
    TU_ST(cxm_nps_compare(a, e, 0.95, 0, &c), CXM_EMPTY);
    /*
     * Unanimous samples: Wald SE is 0 (z infinite, p 0); adjusted Wald stays finite:
     * n' = 4, p' = 1.75 / 4, d' = 0.75 / 4, SE = 100 sqrt((0.625 - 0.0625) / 4) = 37.5 each.
     */
    cxm_nps *p1 = mk(CXM_NPS_TRANSACTIONAL, 0), *d1 = mk(CXM_NPS_TRANSACTIONAL, 0);
    TU_OK(cxm_nps_add(p1, 10));
    TU_OK(cxm_nps_add(d1, 0));
    TU_OK(cxm_nps_compare(p1, d1, 0.95, CXM_NPS_WALD, &c));
    assert_true(isinf(c.z) && c.p == 0.0);
    TU_OK(cxm_nps_compare(p1, d1, 0.95, CXM_NPS_ADJUSTED_WALD, &c));
    TU_NEAR(c.se, 37.5 * sqrt(2.0), 1e-9);
    TU_NEAR(c.z, 200.0 / (37.5 * sqrt(2.0)), 1e-9);
    cxm_nps *objs[] = {a, b, r, e, p1, d1};
    for (int i = 0; i < 6; i++)
        cxm_nps_free(objs[i]);
}

static void placement(void **state)
{
    (void)state;
    _Alignas(16) unsigned char mem[512];
    cxm_nps *n = NULL;
    assert_true(cxm_nps_footprint() <= sizeof mem);
    TU_ST(cxm_nps_init_in(mem, 8, CXM_NPS_RELATIONAL, 0, &n), CXM_BUFFER_TOO_SMALL);
    TU_ST(cxm_nps_init_in(mem + 1, 500, CXM_NPS_RELATIONAL, 0, &n), CXM_INVALID_ARGUMENT);
    TU_OK(cxm_nps_init_in(mem, sizeof mem, CXM_NPS_RELATIONAL, 0, &n));
    TU_OK(cxm_nps_add_many(n, TEN, 10, NULL));
    cxm_nps_result r = result(n, CXM_NPS_WALD);
    TU_NEAR(r.nps, 20.0, 1e-12);
    cxm_nps *copy = NULL;
    TU_OK(cxm_nps_clone(n, &tu_allocator, &copy)); /* the copy is heap-owned */
    cxm_nps_free(copy);
    cxm_nps_free(n); /* releases nothing */
}

/* The exact bytes of format version 1, from tests/vectors/nps_v1.hex. */
static void encoding_vector(void **state)
{
    (void)state;
    cxm_nps *n = mk(CXM_NPS_COMPETITIVE, 5);
    TU_OK(cxm_nps_add_many(n, TEN, 10, NULL));
    TU_OK(cxm_nps_add_weighted(n, 10, 0.5));
    uint8_t buf[256];
    size_t len = 0;
    TU_ST(cxm_nps_encode(n, buf, 10, &len), CXM_BUFFER_TOO_SMALL);
    assert_int_equal(len, 104);
    TU_OK(cxm_nps_encode(n, buf, sizeof buf, &len));

    uint8_t want[256];
    size_t wlen = tu_read_vector("nps_v1.hex", want, sizeof want);
    assert_int_equal(wlen, len);
    assert_memory_equal(buf, want, len);
    /* And the committed bytes decode to the same numbers. */
    cxm_nps *d = NULL;
    TU_OK(cxm_nps_decode(want, wlen, &tu_allocator, &d));
    cxm_nps_result a = result(n, 0), b = result(d, 0);
    assert_true(a.nps == b.nps && a.se == b.se && a.brand == 5 && b.brand == 5);
    cxm_nps_free(d);
    cxm_nps_free(n);
}

static void decode_rejects_inconsistent_fields(void **state)
{
    (void)state;
    /* Valid checksum, invalid content: a relational NPS with a brand. */
    cxm_nps *n = mk(CXM_NPS_COMPETITIVE, 5);
    uint8_t buf[256];
    size_t len;
    TU_OK(cxm_nps_encode(n, buf, sizeof buf, &len));
    buf[12] = CXM_NPS_RELATIONAL;
    uint32_t fam, ver;
    TU_ST(cxm_encoded_info(buf, len, &fam, &ver), CXM_BAD_FORMAT);
    /* Forge the checksum, as a hostile writer would: the field checks still refuse. */
    tu_fix_crc(buf, len);
    TU_OK(cxm_encoded_info(buf, len, &fam, &ver));
    cxm_nps *d = NULL;
    TU_ST(cxm_nps_decode(buf, len, NULL, &d), CXM_BAD_FORMAT);
    TU_ST(cxm_nps_decode(NULL, len, NULL, &d), CXM_INVALID_ARGUMENT);
    assert_null(d);
    /* Promoters weighted but no weight recorded: inconsistent. */
    TU_OK(cxm_nps_encode(n, buf, sizeof buf, &len));
    buf[12 + 8 + 24 + 16] = 1; /* nw[promoter] = 1 while w[promoter] = 0 */
    tu_fix_crc(buf, len);
    TU_ST(cxm_nps_decode(buf, len, NULL, &d), CXM_BAD_FORMAT);
    cxm_nps_free(n);
}

/* ---- panel ------------------------------------------------------------------- */

static void panel_gaps(void **state)
{
    (void)state;
    cxm_nps_panel *p = NULL;
    TU_OK(cxm_nps_panel_new(2, &tu_allocator, &p));
    /* Ours: the ten answers (NPS 20); brand 40: all 0 (NPS -100); brand 7: as ours. */
    for (int i = 0; i < 10; i++) {
        TU_OK(cxm_nps_panel_add(p, 0, TEN[i]));
        TU_OK(cxm_nps_panel_add(p, 40, 0));
        TU_OK(cxm_nps_panel_add(p, 7, TEN[i]));
    }
    uint32_t count, cap;
    TU_OK(cxm_nps_panel_brands(p, &count, &cap));
    assert_int_equal(count, 2);
    assert_int_equal(cap, 2);
    /* A third competitor does not fit, and nothing changes. */
    const cxm_family_ops *f = cxm_family_find("nps_panel");
    tu_snap s = tu_snapshot(f, p);
    TU_ST(cxm_nps_panel_add(p, 99, 5), CXM_CAPACITY);
    const uint32_t brands[3] = {7, 99, 0};
    const uint8_t scores[3] = {5, 5, 5};
    size_t bad = 0;
    TU_ST(cxm_nps_panel_add_many(p, brands, scores, 3, &bad), CXM_CAPACITY);
    assert_int_equal(bad, 1);
    /* The first offending element is named, whatever its fault: brand 99 at
     * index 1 does not fit before the bad score at index 2 is reached. */
    const uint8_t badscores[3] = {5, 5, 11};
    TU_ST(cxm_nps_panel_add_many(p, brands, badscores, 3, &bad), CXM_CAPACITY);
    assert_int_equal(bad, 1);
    const uint8_t badfirst[3] = {5, 12, 11};
    TU_ST(cxm_nps_panel_add_many(p, brands, badfirst, 3, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 1);
    const uint32_t known[3] = {7, 0, 40};
    TU_ST(cxm_nps_panel_add_many(p, known, badscores, 3, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 2);
    TU_ST(cxm_nps_panel_add(p, 7, 11), CXM_OUT_OF_RANGE);
    tu_assert_same(f, p, s);
    tu_snap_free(s);

    /* Competitors in increasing brand id: 7 then 40. */
    cxm_nps_gap g = {.size = sizeof g};
    TU_OK(cxm_nps_panel_gap(p, 0, 0.95, CXM_NPS_WALD, &g));
    assert_int_equal(g.brand, 7);
    TU_NEAR(g.gap, 0.0, 1e-12);
    assert_int_equal(g.significant, 0);
    TU_NEAR(g.p, 1.0, 1e-12);
    TU_OK(cxm_nps_panel_gap(p, 1, 0.95, CXM_NPS_WALD, &g));
    assert_int_equal(g.brand, 40);
    TU_NEAR(g.nps_ours, 20.0, 1e-12);
    TU_NEAR(g.nps_theirs, -100.0, 1e-12);
    TU_NEAR(g.gap, 120.0, 1e-12);
    TU_NEAR(g.se, 27.568097504180443, 1e-9); /* their SE is 0 under Wald */
    assert_int_equal(g.significant, 1);
    TU_ST(cxm_nps_panel_gap(p, 2, 0.95, 0, &g), CXM_CAPACITY);

    cxm_nps_result r = {.size = sizeof r};
    TU_OK(cxm_nps_panel_result(p, 40, 0.95, 0, &r));
    assert_int_equal(r.n, 10);
    assert_int_equal(r.kind, CXM_NPS_COMPETITIVE);
    TU_ST(cxm_nps_panel_result(p, 12345, 0.95, 0, &r), CXM_EMPTY);
    cxm_nps_panel_free(p);
}

static void panel_merge_by_brand(void **state)
{
    (void)state;
    cxm_nps_panel *a = NULL, *b = NULL, *small = NULL;
    TU_OK(cxm_nps_panel_new(3, &tu_allocator, &a));
    TU_OK(cxm_nps_panel_new(3, &tu_allocator, &b));
    TU_OK(cxm_nps_panel_new(1, &tu_allocator, &small));
    TU_OK(cxm_nps_panel_add(a, 5, 10));
    TU_OK(cxm_nps_panel_add(a, 9, 0));
    TU_OK(cxm_nps_panel_add(b, 9, 10));
    TU_OK(cxm_nps_panel_add(b, 2, 10));
    TU_OK(cxm_nps_panel_add(small, 1, 10));
    const cxm_family_ops *f = cxm_family_find("nps_panel");
    tu_snap s = tu_snapshot(f, small);
    TU_ST(cxm_nps_panel_merge(small, a), CXM_CAPACITY);
    tu_assert_same(f, small, s);
    tu_snap_free(s);
    TU_OK(cxm_nps_panel_merge(a, b));
    uint32_t count, cap;
    TU_OK(cxm_nps_panel_brands(a, &count, &cap));
    assert_int_equal(count, 3);
    cxm_nps_result r = {.size = sizeof r};
    TU_OK(cxm_nps_panel_result(a, 9, 0.95, 0, &r));
    assert_int_equal(r.n, 2);
    TU_NEAR(r.nps, 0.0, 1e-12);
    cxm_nps_gap g = {.size = sizeof g};
    TU_ST(cxm_nps_panel_gap(a, 0, 0.95, 0, &g), CXM_EMPTY); /* no answer about us */
    assert_int_equal(g.brand, 2);
    TU_ST(cxm_nps_panel_merge(a, a), CXM_INVALID_ARGUMENT);
    cxm_nps_panel_free(a);
    cxm_nps_panel_free(b);
    cxm_nps_panel_free(small);
}

static void panel_placement_and_limits(void **state)
{
    (void)state;
    assert_int_equal(cxm_nps_panel_footprint(0), 0);
    assert_int_equal(cxm_nps_panel_footprint(CXM_NPS_PANEL_MAX_CAPACITY + 1), 0);
    cxm_nps_panel *p = NULL;
    TU_ST(cxm_nps_panel_new(0, NULL, &p), CXM_INVALID_ARGUMENT);
    size_t need = cxm_nps_panel_footprint(4);
    unsigned char *mem = test_malloc(need + 16);
    unsigned char *aligned = mem + (16 - (uintptr_t)mem % 16) % 16;
    TU_ST(cxm_nps_panel_init_in(aligned, need - 1, 4, &p), CXM_BUFFER_TOO_SMALL);
    TU_OK(cxm_nps_panel_init_in(aligned, need, 4, &p));
    TU_OK(cxm_nps_panel_add(p, 3, 9));
    cxm_nps_panel_free(p);
    test_free(mem);
}

/* A panel gap where one side has no answer: that side is flagged, the other shown. */
static void gap_sides_without_answers_are_flagged(void **state)
{
    (void)state;
    cxm_nps_panel *p = NULL;
    TU_OK(cxm_nps_panel_new(4, &tu_allocator, &p));
    TU_OK(cxm_nps_panel_add(p, 7, 10)); /* a competitor's promoter; we have nothing */
    cxm_nps_gap g;
    memset(&g, 0xAB, sizeof g);
    g.size = sizeof g;
    assert_int_equal(cxm_nps_panel_gap(p, 0, 0, CXM_NPS_WALD, &g), CXM_EMPTY);
    assert_int_equal(g.brand, 7);
    assert_int_equal(g.has_ours, 0);
    assert_int_equal(g.has_theirs, 1);
    assert_true(g.nps_theirs == 100.0);
    assert_true(g.nps_ours == 0.0);

    TU_OK(cxm_nps_panel_add(p, CXM_NPS_OUR_BRAND, 0));
    TU_OK(cxm_nps_panel_gap(p, 0, 0, CXM_NPS_WALD, &g));
    assert_int_equal(g.has_ours, 1);
    assert_int_equal(g.has_theirs, 1);
    assert_true(g.gap == -200.0);

#define GET(ptr) cxm_nps_panel_gap(p, 0, 0, CXM_NPS_WALD, ptr)
    TU_FIRST_VERSION_SIZE(cxm_nps_gap, has_ours, GET);
#undef GET
    cxm_nps_panel_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gap_sides_without_answers_are_flagged),
        cmocka_unit_test(hand_computed_ten_answers),
        cmocka_unit_test(boundaries),
        cmocka_unit_test(empty_has_no_score),
        cmocka_unit_test(bad_input_changes_nothing),
        cmocka_unit_test(creation_rules),
        cmocka_unit_test(overflow_is_refused),
        cmocka_unit_test(weighted_answers),
        cmocka_unit_test(weighted_laws),
        cmocka_unit_test(comparison),
        cmocka_unit_test(placement),
        cmocka_unit_test(encoding_vector),
        cmocka_unit_test(decode_rejects_inconsistent_fields),
        cmocka_unit_test(panel_gaps),
        cmocka_unit_test(panel_merge_by_brand),
        cmocka_unit_test(panel_placement_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
