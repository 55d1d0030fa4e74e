/*
 * test_ces.c — CES as the specification states it: the CES 2.0 defaults
 * (1-7, higher is easier, easy = 5-7), the direction flag for effort scales
 * (CES 1.0, 1-5, easy = 1-2), mean, sd, median, the Student-t and Wilson
 * intervals, the NPS-style CES index on 1-7 scales (and its absence on
 * others), configurations that never merge, rejected input changing
 * nothing, placement, and the exact bytes of the encoding.
 */
#include <math.h>
#include <stdio.h>

#include "testutil.h"

static cxm_ces *mk(int32_t lo, int32_t hi, int32_t threshold, uint32_t direction)
{
    cxm_ces_options o = {sizeof o, 0, lo, hi, threshold, direction};
    cxm_ces *c = NULL;
    TU_OK(cxm_ces_new(&o, &tu_allocator, &c));
    return c;
}

static cxm_ces_result result(const cxm_ces *c, double level)
{
    cxm_ces_result r = {.size = sizeof r};
    TU_OK(cxm_ces_result_get(c, level, &r));
    return r;
}

/* Ten CES 2.0 answers: 1, 2, 3, 4, 5, 5, 6, 6, 7, 7 in arrival order. */
static const uint8_t TEN[10] = {7, 6, 5, 5, 4, 3, 7, 2, 6, 1};
/* CES 1.0 answers (1-5, higher = more effort): 1 x3, 2 x3, 3 x2, 4, 5. */
static const uint8_t EFFORT[10] = {1, 2, 2, 3, 5, 4, 1, 2, 3, 1};

static void hand_computed_ces2(void **state)
{
    (void)state;
    cxm_ces *c = NULL;
    TU_OK(cxm_ces_new(NULL, &tu_allocator, &c));
    TU_OK(cxm_ces_add_many(c, TEN, 10, NULL));
    cxm_ces_result r = result(c, 0.95);
    assert_true(r.scale_min == 1 && r.scale_max == 7 && r.threshold == 5);
    assert_int_equal(r.direction, CXM_CES_HIGHER_IS_EASIER);
    assert_int_equal(r.n, 10);
    /* mean = 46 / 10 = 4.6. */
    TU_NEAR(r.mean, 4.6, 1e-12);
    /*
     * Squared deviations from 4.6: 1 -> 12.96, 2 -> 6.76, 3 -> 2.56, 4 -> 0.36,
     * 5 -> 0.16 x2, 6 -> 1.96 x2, 7 -> 5.76 x2; sum = 38.4; sd = sqrt(38.4 / 9) = 2.0655911.
     */
    TU_NEAR(r.sd, 2.065591117977289, 1e-12);
    /* Sorted 1 2 3 4 5 | 5 6 6 7 7: median = (5 + 5) / 2 = 5. */
    TU_NEAR(r.median, 5.0, 0);
    /* half = 2.2621572 * 2.0655911 / sqrt(10) = 1.4776349: [3.1223651, 6.0776349]. */
    TU_NEAR(r.mean_ci.lower, 3.1223651288432799, 1e-9);
    TU_NEAR(r.mean_ci.upper, 6.0776348711567201, 1e-9);
    /*
     * Easy (5-7): 5, 5, 6, 6, 7, 7 = 6 of 10 = 60%. Wilson: centre = (0.6 + 0.1920729) /
     * 1.3841459 = 0.5722454; half = 1.959964 * sqrt(0.024 + 0.0096036) / 1.3841459 =
     * 0.2595717 -> [31.267377%, 83.181967%].
     */
    assert_int_equal(r.easy, 6);
    TU_NEAR(r.easy_pct, 60.0, 1e-12);
    TU_NEAR(r.easy_ci.lower, 31.267376973365827, 1e-9);
    TU_NEAR(r.easy_ci.upper, 83.181967029376388, 1e-9);
    /*
     * Index: 6-7 = 4 answers, 1-3 = 3: 100 (4 - 3) / 10 = 10.
     * SE = 100 sqrt((0.4 + 0.3 - 0.1^2) / 10) = 100 sqrt(0.069) = 26.267851.
     * Adjusted Wald: n' = 13, e' = 4.75 / 13, d' = 3.75 / 13, centre = 100 / 13 = 7.692308;
     * half = 1.959964 * 100 sqrt((8.5/13 - (1/13)^2) / 13) = 43.756253 -> [-36.063945, 51.448560].
     */
    assert_int_equal(r.index_defined, 1);
    assert_int_equal(r.index_easy, 4);
    assert_int_equal(r.index_hard, 3);
    TU_NEAR(r.index, 10.0, 1e-12);
    TU_NEAR(r.index_se, 26.267851073127394, 1e-9);
    TU_NEAR(r.index_ci.lower, -36.063945043316792, 1e-9);
    TU_NEAR(r.index_ci.upper, 51.448560427932177, 1e-9);
    assert_true(r.index_ci.level == 0.95 && r.easy_ci.level == 0.95 && r.mean_ci.level == 0.95);
    const uint64_t want[7] = {1, 1, 1, 1, 2, 2, 2};
    for (int32_t s = 1; s <= 7; s++) {
        uint64_t k = 99;
        TU_OK(cxm_ces_count(c, s, &k));
        assert_int_equal(k, want[s - 1]);
    }
    cxm_ces_free(c);
}

static void hand_computed_ces1_effort(void **state)
{
    (void)state;
    /* Direction alone selects the CES 1.0 defaults: 1-5, easy = score <= 2. */
    cxm_ces_options o = {sizeof o, 0, 0, 0, 0, CXM_CES_HIGHER_IS_EFFORT};
    cxm_ces *c = NULL;
    TU_OK(cxm_ces_new(&o, &tu_allocator, &c));
    TU_OK(cxm_ces_add_many(c, EFFORT, 10, NULL));
    cxm_ces_result r = result(c, 0.95);
    assert_true(r.scale_min == 1 && r.scale_max == 5 && r.threshold == 2);
    assert_int_equal(r.direction, CXM_CES_HIGHER_IS_EFFORT);
    /* Easy: three 1s and three 2s = 6 of 10; same Wilson bounds as 6/10 above. */
    assert_int_equal(r.easy, 6);
    TU_NEAR(r.easy_ci.lower, 31.267376973365827, 1e-9);
    TU_NEAR(r.easy_ci.upper, 83.181967029376388, 1e-9);
    /*
     * mean = (3 + 6 + 6 + 4 + 5) / 10 = 2.4; squared deviations: 1.96 x3, 0.16 x3,
     * 0.36 x2, 2.56, 6.76 = 16.4; sd = sqrt(16.4 / 9) = 1.3498971;
     * half = 2.2621572 * 1.3498971 / sqrt(10) = 0.9656582: [1.4343418, 3.3656582].
     */
    TU_NEAR(r.mean, 2.4, 1e-12);
    TU_NEAR(r.sd, 1.3498971154211058, 1e-12);
    TU_NEAR(r.mean_ci.lower, 1.4343417761336322, 1e-9);
    TU_NEAR(r.mean_ci.upper, 3.3656582238663678, 1e-9);
    /* Sorted 1 1 1 2 2 | 2 3 3 4 5: median 2. */
    TU_NEAR(r.median, 2.0, 0);
    /* A 1-5 scale has no CES index. */
    assert_int_equal(r.index_defined, 0);
    assert_true(r.index == 0.0 && r.index_se == 0.0 && r.index_easy == 0);
    /* Boundaries: 2 is easy, 3 is not. */
    cxm_ces *b = mk(1, 5, 2, CXM_CES_HIGHER_IS_EFFORT);
    TU_OK(cxm_ces_add(b, 2));
    TU_OK(cxm_ces_add(b, 3));
    assert_int_equal(result(b, 0.95).easy, 1);
    cxm_ces_free(b);
    cxm_ces_free(c);
}

static void mirrored_effort_scale(void **state)
{
    (void)state;
    /*
     * The ten CES 2.0 answers mirrored onto a 1-7 effort scale (8 - x): the easy share
     * (default threshold 3: easy = 1-3) and the index (%(1-2) - %(5-7)) are unchanged,
     * the mean becomes 8 - 4.6 = 3.4, the sd stays 2.0655911.
     */
    cxm_ces *c = mk(1, 7, 0, CXM_CES_HIGHER_IS_EFFORT);
    for (int i = 0; i < 10; i++)
        TU_OK(cxm_ces_add(c, 8 - TEN[i]));
    cxm_ces_result r = result(c, 0.95);
    assert_int_equal(r.threshold, 3);
    assert_int_equal(r.easy, 6);
    TU_NEAR(r.mean, 3.4, 1e-12);
    TU_NEAR(r.sd, 2.065591117977289, 1e-12);
    TU_NEAR(r.mean_ci.lower, 1.9223651288432799, 1e-9);
    TU_NEAR(r.mean_ci.upper, 4.8776348711567201, 1e-9);
    TU_NEAR(r.median, 3.0, 0);
    assert_int_equal(r.index_defined, 1);
    assert_int_equal(r.index_easy, 4);
    assert_int_equal(r.index_hard, 3);
    TU_NEAR(r.index, 10.0, 1e-12);
    TU_NEAR(r.index_ci.lower, -36.063945043316792, 1e-9);
    cxm_ces_free(c);
}

static void index_extremes_and_other_scales(void **state)
{
    (void)state;
    /* All 7s: index 100, SE 0; the adjusted-Wald interval stays below 100. */
    cxm_ces *c = mk(1, 7, 0, 0);
    for (int i = 0; i < 5; i++)
        TU_OK(cxm_ces_add(c, 7));
    cxm_ces_result r = result(c, 0.95);
    assert_true(r.index == 100.0 && r.index_se == 0.0);
    assert_true(r.index_ci.lower < 100.0 && r.index_ci.upper == 100.0);
    /* 4 is neutral: in n, in neither side of the index. */
    TU_OK(cxm_ces_reset(c));
    TU_OK(cxm_ces_add(c, 4));
    r = result(c, 0.95);
    assert_true(r.index == 0.0 && r.index_easy == 0 && r.index_hard == 0 && r.easy == 0);
    cxm_ces_free(c);
    /* 0-10 and 1-5 agreement scales: no index, everything else still reported. */
    c = mk(0, 10, 0, 0);
    TU_OK(cxm_ces_add(c, 6));
    r = result(c, 0.95);
    assert_int_equal(r.threshold, 6); /* (0 + 10) / 2 + 1 */
    assert_int_equal(r.easy, 1);
    assert_int_equal(r.index_defined, 0);
    cxm_ces_free(c);
    c = mk(1, 5, 0, 0);
    cxm_ces_options o = {.size = sizeof o};
    TU_OK(cxm_ces_config(c, &o));
    assert_int_equal(o.threshold, 4); /* (1 + 5) / 2 + 1 */
    cxm_ces_free(c);
}

static void empty_has_no_score(void **state)
{
    (void)state;
    cxm_ces *c = mk(0, 0, 0, 0);
    cxm_ces_result r = {.size = sizeof r, .index = 42.0};
    TU_ST(cxm_ces_result_get(c, 0.95, &r), CXM_EMPTY);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.threshold, 5);
    assert_true(r.index == 0.0 && r.mean == 0.0 && r.index_defined == 1);
    cxm_ces_free(c);
}

static void options_are_checked(void **state)
{
    (void)state;
    cxm_ces *c = NULL;
    const cxm_ces_options bad[] = {
        {sizeof bad[0], 0, 0, 0, 0, 2},   /* unknown direction */
        {sizeof bad[0], 0, 1, 7, 1, 0},   /* easier: threshold at min */
        {sizeof bad[0], 0, 1, 7, 8, 0},   /* beyond max */
        {sizeof bad[0], 0, 1, 5, 5, 1},   /* effort: threshold at max */
        {sizeof bad[0], 0, 7, 1, 0, 0},   /* min > max */
        {sizeof bad[0], 0, 0, 101, 0, 0}, /* too wide */
        {sizeof bad[0], 0, 3, 0, 0, 0},   /* min without max */
        {sizeof bad[0], 9, 0, 0, 0, 0},   /* reserved */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        TU_ST(cxm_ces_new(&bad[i], &tu_allocator, &c), CXM_INVALID_ARGUMENT);
        assert_null(c);
    }
    /* Effort scale with its threshold at the scale's minimum is allowed (easy = min only). */
    c = mk(1, 5, 1, CXM_CES_HIGHER_IS_EFFORT);
    cxm_ces_free(c);
}

static void bad_input_changes_nothing(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("ces");
    cxm_ces *c = mk(0, 0, 0, 0);
    TU_OK(cxm_ces_add_many(c, TEN, 10, NULL));
    tu_snap s = tu_snapshot(f, c);
    TU_ST(cxm_ces_add(c, 0), CXM_OUT_OF_RANGE);
    TU_ST(cxm_ces_add(c, 8), CXM_OUT_OF_RANGE);
    TU_ST(cxm_ces_add(c, -7), CXM_OUT_OF_RANGE);
    TU_ST(cxm_ces_add(NULL, 3), CXM_INVALID_ARGUMENT);
    uint8_t batch[64];
    for (int i = 0; i < 64; i++)
        batch[i] = (uint8_t)(1 + i % 7);
    batch[63] = 8;
    size_t bad = 0;
    TU_ST(cxm_ces_add_many(c, batch, 64, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 63);
    batch[0] = 0;
    TU_ST(cxm_ces_add_many(c, batch, 64, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 0);
    TU_ST(cxm_ces_add_many(c, NULL, 1, &bad), CXM_INVALID_ARGUMENT);
    /* Same scale, other direction or threshold: never merged. */
    cxm_ces *other[3] = {mk(1, 7, 0, 1), mk(1, 7, 6, 0), mk(1, 5, 0, 0)};
    for (int i = 0; i < 3; i++) {
        TU_OK(cxm_ces_add(other[i], 4));
        TU_ST(cxm_ces_merge(c, other[i]), CXM_KIND_MISMATCH);
        cxm_ces_free(other[i]);
    }
    cxm_ces_result r = {.size = 8};
    TU_ST(cxm_ces_result_get(c, 0.95, &r), CXM_INVALID_ARGUMENT);
    r.size = sizeof r;
    TU_ST(cxm_ces_result_get(c, 2.0, &r), CXM_OUT_OF_RANGE);
    TU_ST(cxm_ces_result_get(NULL, 0.95, &r), CXM_INVALID_ARGUMENT);
    uint64_t k;
    TU_ST(cxm_ces_count(c, 0, &k), CXM_OUT_OF_RANGE);
    tu_assert_same(f, c, s);
    tu_snap_free(s);
    cxm_ces_free(c);
}

static void placement_and_clone(void **state)
{
    (void)state;
    _Alignas(16) unsigned char mem[2048];
    cxm_ces *c = NULL;
    assert_true(cxm_ces_footprint() <= sizeof mem);
    TU_ST(cxm_ces_init_in(mem, cxm_ces_footprint() - 1, NULL, &c), CXM_BUFFER_TOO_SMALL);
    TU_ST(cxm_ces_init_in(mem + 8, 2000, NULL, &c), CXM_INVALID_ARGUMENT);
    TU_OK(cxm_ces_init_in(mem, sizeof mem, NULL, &c));
    TU_OK(cxm_ces_add_many(c, TEN, 10, NULL));
    cxm_ces *copy = NULL;
    TU_OK(cxm_ces_clone(c, &tu_allocator, &copy));
    TU_OK(cxm_ces_merge(copy, c));
    assert_int_equal(result(copy, 0.95).n, 20);
    TU_NEAR(result(copy, 0.95).index, 10.0, 1e-12);
    cxm_ces_free(copy);
    cxm_ces_free(c);
}

static void overflow_is_refused(void **state)
{
    (void)state;
    cxm_ces *big = mk(0, 0, 0, 0);
    TU_OK(cxm_ces_add(big, 7));
    for (int i = 0; i < 63; i++)
        TU_OK(cxm_ces_merge(big, big)); /* 2^63 */
    const cxm_family_ops *f = cxm_family_find("ces");
    tu_snap s = tu_snapshot(f, big);
    TU_ST(cxm_ces_merge(big, big), CXM_OVERFLOW);
    tu_assert_same(f, big, s);
    tu_snap_free(s);
    cxm_ces_result r = result(big, 0.95);
    assert_true(r.n == (uint64_t)1 << 63 && r.index == 100.0 && r.mean == 7.0);
    cxm_ces_free(big);
}

/* The exact bytes of format version 1, from tests/vectors/ces_v1.hex. */
static void encoding_vector(void **state)
{
    (void)state;
    cxm_ces *c = mk(1, 5, 2, CXM_CES_HIGHER_IS_EFFORT);
    TU_OK(cxm_ces_add_many(c, EFFORT, 10, NULL));
    uint8_t buf[256];
    size_t len = 0;
    TU_OK(cxm_ces_encode(c, buf, sizeof buf, &len));
    assert_int_equal(len, 72);
    uint8_t want[256];
    size_t wlen = tu_read_vector("ces_v1.hex", want, sizeof want);
    assert_int_equal(wlen, len);
    assert_memory_equal(buf, want, len);
    cxm_ces *d = NULL;
    TU_OK(cxm_ces_decode(want, wlen, &tu_allocator, &d));
    cxm_ces_result a = result(c, 0.95), b = result(d, 0.95);
    assert_true(a.mean == b.mean && a.easy == b.easy && b.direction == CXM_CES_HIGHER_IS_EFFORT);
    cxm_ces_free(d);
    d = NULL;
    /* Hostile but checksummed: an effort threshold at the maximum, a direction 2. */
    memcpy(buf, want, wlen);
    buf[20] = 5;
    tu_fix_crc(buf, wlen);
    TU_ST(cxm_ces_decode(buf, wlen, &tu_allocator, &d), CXM_BAD_FORMAT);
    memcpy(buf, want, wlen);
    buf[24] = 2;
    tu_fix_crc(buf, wlen);
    TU_ST(cxm_ces_decode(buf, wlen, &tu_allocator, &d), CXM_BAD_FORMAT);
    TU_ST(cxm_ces_decode(want, wlen, &tu_allocator, NULL), CXM_INVALID_ARGUMENT);
    /* CSAT refuses CES bytes by family. */
    cxm_csat *e = NULL;
    TU_ST(cxm_csat_decode(want, wlen, &tu_allocator, &e), CXM_WRONG_TYPE);
    assert_null(d);
    cxm_ces_free(c);
}

/* One answer has a mean but no spread: has_sd says so. */
static void spread_of_one_answer_is_flagged(void **state)
{
    (void)state;
    cxm_ces *c = NULL;
    TU_OK(cxm_ces_new(NULL, &tu_allocator, &c));
    cxm_ces_result r;
    memset(&r, 0xAB, sizeof r);
    r.size = sizeof r;
    TU_OK(cxm_ces_add(c, 6));
    TU_OK(cxm_ces_result_get(c, 0, &r));
    assert_int_equal(r.has_sd, 0);
    assert_int_equal(r.reserved3, 0);
    TU_OK(cxm_ces_add(c, 2));
    TU_OK(cxm_ces_result_get(c, 0, &r));
    assert_int_equal(r.has_sd, 1);

#define GET(p) cxm_ces_result_get(c, 0, p)
    TU_FIRST_VERSION_SIZE(cxm_ces_result, has_sd, GET);
#undef GET
    cxm_ces_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spread_of_one_answer_is_flagged),
        cmocka_unit_test(hand_computed_ces2),
        cmocka_unit_test(hand_computed_ces1_effort),
        cmocka_unit_test(mirrored_effort_scale),
        cmocka_unit_test(index_extremes_and_other_scales),
        cmocka_unit_test(empty_has_no_score),
        cmocka_unit_test(options_are_checked),
        cmocka_unit_test(bad_input_changes_nothing),
        cmocka_unit_test(placement_and_clone),
        cmocka_unit_test(overflow_is_refused),
        cmocka_unit_test(encoding_vector),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
