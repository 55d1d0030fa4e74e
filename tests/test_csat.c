/*
 * test_csat.c — CSAT as the specification states it: counts per score,
 * mean, sample standard deviation, exact median, the Student-t interval of
 * the mean clipped to the scale, the satisfied share with its Wilson
 * interval, configurable scales and thresholds (top-two-box defaults),
 * rejected input changing nothing, overflow, placement in caller memory, and
 * the exact bytes of the encoding.
 */
#include <math.h>
#include <stdio.h>

#include "testutil.h"

static cxm_csat *mk(int32_t lo, int32_t hi, int32_t threshold)
{
    cxm_csat_options o = {sizeof o, 0, lo, hi, threshold, 0};
    cxm_csat *c = NULL;
    TU_OK(cxm_csat_new(&o, &tu_allocator, &c));
    return c;
}

static cxm_csat_result result(const cxm_csat *c, double level)
{
    cxm_csat_result r = {.size = sizeof r};
    TU_OK(cxm_csat_result_get(c, level, &r));
    return r;
}

/* Ten answers on 1-5: one 1, one 2, one 3, four 4s, three 5s. */
static const uint8_t TEN[10] = {5, 4, 4, 3, 5, 2, 4, 5, 1, 4};

static void hand_computed_ten_answers(void **state)
{
    (void)state;
    cxm_csat *c = NULL;
    TU_OK(cxm_csat_new(NULL, &tu_allocator, &c)); /* defaults: 1-5, satisfied >= 4 */
    TU_OK(cxm_csat_add_many(c, TEN, 10, NULL));
    cxm_csat_result r = result(c, 0.95);
    assert_int_equal(r.scale_min, 1);
    assert_int_equal(r.scale_max, 5);
    assert_int_equal(r.threshold, 4);
    assert_int_equal(r.n, 10);
    /* Satisfied: four 4s + three 5s = 7. */
    assert_int_equal(r.satisfied, 7);
    /* Counts per score: 1, 1, 1, 4, 3. */
    const uint64_t want[5] = {1, 1, 1, 4, 3};
    for (int32_t s = 1; s <= 5; s++) {
        uint64_t k = 99;
        TU_OK(cxm_csat_count(c, s, &k));
        assert_int_equal(k, want[s - 1]);
    }
    /* mean = (1 + 2 + 3 + 4*4 + 3*5) / 10 = 37 / 10 = 3.7. */
    TU_NEAR(r.mean, 3.7, 1e-12);
    /*
     * Squared deviations from 3.7: 1 -> 7.29, 2 -> 2.89, 3 -> 0.49, 4 -> 0.09 (x4 = 0.36),
     * 5 -> 1.69 (x3 = 5.07); sum = 16.1; var = 16.1 / 9 = 1.788889; sd = 1.3374935.
     */
    TU_NEAR(r.sd, 1.3374935098492586, 1e-12);
    /* Sorted: 1 2 3 4 4 | 4 4 5 5 5: the 5th and 6th answers are 4 and 4. */
    TU_NEAR(r.median, 4.0, 0);
    /*
     * t(0.975, 9 df) = 2.2621572; half-width = 2.2621572 * 1.3374935 / sqrt(10) = 0.9567852;
     * mean CI = [2.7432148, 4.6567852].
     */
    TU_NEAR(r.mean_ci.lower, 2.7432147810383893, 1e-9);
    TU_NEAR(r.mean_ci.upper, 4.6567852189616107, 1e-9);
    assert_true(r.mean_ci.level == 0.95);
    /*
     * 7 / 10 = 70%. Wilson, z = 1.959964, z^2/n = 0.3841459: centre = (0.7 + 0.1920729) /
     * 1.3841459 = 0.6444928; half = 1.959964 * sqrt(0.021 + 0.0096036) / 1.3841459 = 0.2477153;
     * [39.677815%, 89.220873%].
     */
    TU_NEAR(r.satisfied_pct, 70.0, 1e-12);
    TU_NEAR(r.satisfied_ci.lower, 39.677814746114532, 1e-9);
    TU_NEAR(r.satisfied_ci.upper, 89.220873259369898, 1e-9);
    assert_true(r.satisfied_ci.level == 0.95);
    /*
     * At 90%: t(0.95, 9) = 1.8331129, half = 0.7753199 -> [2.9246801, 4.4753199];
     * Wilson with z = 1.6448536 -> [44.169980%, 87.312342%].
     */
    r = result(c, 0.90);
    TU_NEAR(r.mean_ci.lower, 2.9246801471196838, 1e-9);
    TU_NEAR(r.mean_ci.upper, 4.4753198528803162, 1e-9);
    TU_NEAR(r.satisfied_ci.lower, 44.169979586983501, 1e-9);
    TU_NEAR(r.satisfied_ci.upper, 87.312341609680216, 1e-9);
    assert_true(r.mean_ci.level == 0.90 && r.satisfied_ci.level == 0.90);
    /* Level 0 is the default 95%. */
    cxm_csat_result d = {.size = sizeof d};
    TU_OK(cxm_csat_result_get(c, 0.0, &d));
    assert_true(d.mean_ci.level == 0.95 &&
                d.satisfied_ci.lower == result(c, 0.95).satisfied_ci.lower);
    cxm_csat_free(c);
}

static void ten_point_scale(void **state)
{
    (void)state;
    /* 1-10: the default threshold is the top two boxes, 9-10. */
    cxm_csat *c = mk(1, 10, 0);
    cxm_csat_options o = {.size = sizeof o};
    TU_OK(cxm_csat_config(c, &o));
    assert_int_equal(o.threshold, 9);
    const int32_t xs[8] = {10, 9, 8, 7, 10, 3, 9, 6};
    for (int i = 0; i < 8; i++)
        TU_OK(cxm_csat_add(c, xs[i]));
    cxm_csat_result r = result(c, 0.95);
    /* Satisfied: 10, 9, 10, 9 = 4 of 8 = 50%. */
    assert_int_equal(r.satisfied, 4);
    TU_NEAR(r.satisfied_pct, 50.0, 1e-12);
    /* mean = 62 / 8 = 7.75; squared deviations sum to 39.5; sd = sqrt(39.5 / 7) = 2.3754699. */
    TU_NEAR(r.mean, 7.75, 1e-12);
    TU_NEAR(r.sd, 2.3754698783308415, 1e-12);
    /* Sorted 3 6 7 8 | 9 9 10 10: median = (8 + 9) / 2 = 8.5. */
    TU_NEAR(r.median, 8.5, 0);
    /* t(0.975, 7) = 2.3646243; half = 2.3646243 * 2.3754699 / sqrt(8) = 1.9859425. */
    TU_NEAR(r.mean_ci.lower, 5.7640574830142308, 1e-9);
    TU_NEAR(r.mean_ci.upper, 9.7359425169857692, 1e-9);
    /* Wilson of 4/8: symmetric about 0.5 -> [21.521606%, 78.478394%]. */
    TU_NEAR(r.satisfied_ci.lower, 21.521606221387754, 1e-9);
    TU_NEAR(r.satisfied_ci.upper, 78.478393778612246, 1e-9);
    cxm_csat_free(c);

    /* 1-7: top two boxes are 6-7; a two-point scale 0-1: the top box. */
    c = mk(1, 7, 0);
    TU_OK(cxm_csat_config(c, &o));
    assert_int_equal(o.threshold, 6);
    cxm_csat_free(c);
    c = mk(0, 1, 0);
    TU_OK(cxm_csat_config(c, &o));
    assert_int_equal(o.threshold, 1);
    cxm_csat_free(c);
}

static void boundaries_and_clipping(void **state)
{
    (void)state;
    /* Threshold 4: 3 is not satisfied, 4 is; the scale ends 1 and 5 are accepted. */
    const int32_t score[5] = {1, 3, 4, 5, 2};
    const uint64_t sat[5] = {0, 0, 1, 1, 0};
    for (int i = 0; i < 5; i++) {
        cxm_csat *c = mk(1, 5, 4);
        TU_OK(cxm_csat_add(c, score[i]));
        cxm_csat_result r = result(c, 0.95);
        assert_int_equal(r.satisfied, sat[i]);
        /* One answer: sd 0, the mean's interval is the whole scale. */
        assert_true(r.sd == 0.0 && r.mean == score[i] && r.median == score[i]);
        assert_true(r.mean_ci.lower == 1.0 && r.mean_ci.upper == 5.0);
        cxm_csat_free(c);
    }
    /*
     * 5, 5, 5, 4: mean 4.75, sd = sqrt(0.75 / 3) = 0.5, t(0.975, 3) = 3.1824463,
     * half = 3.1824463 * 0.5 / 2 = 0.7956116: [3.9543884, 5.7456116] clipped to 5.
     * All satisfied: Wilson [51.010916%, 100%].
     */
    cxm_csat *c = mk(1, 5, 0);
    const uint8_t top[4] = {5, 5, 5, 4};
    TU_OK(cxm_csat_add_many(c, top, 4, NULL));
    cxm_csat_result r = result(c, 0.95);
    TU_NEAR(r.sd, 0.5, 1e-12);
    TU_NEAR(r.mean_ci.lower, 3.9543884236790726, 1e-9);
    assert_true(r.mean_ci.upper == 5.0);
    TU_NEAR(r.satisfied_pct, 100.0, 0);
    TU_NEAR(r.satisfied_ci.lower, 51.010916354540264, 1e-9);
    assert_true(r.satisfied_ci.upper == 100.0);
    /* Identical answers: sd 0, the interval collapses onto the mean. */
    TU_OK(cxm_csat_reset(c));
    TU_OK(cxm_csat_add_many(c, top, 3, NULL));
    r = result(c, 0.95);
    assert_true(r.sd == 0.0 && r.mean_ci.lower == 5.0 && r.mean_ci.upper == 5.0);
    cxm_csat_free(c);
}

static void empty_has_no_score(void **state)
{
    (void)state;
    cxm_csat *c = mk(1, 10, 0);
    cxm_csat_result r = {.size = sizeof r, .mean = 42.0};
    TU_ST(cxm_csat_result_get(c, 0.95, &r), CXM_EMPTY);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.scale_max, 10);
    assert_int_equal(r.threshold, 9);
    assert_true(r.mean == 0.0 && !isnan(r.sd) && r.satisfied_ci.level == 0.95);
    uint64_t k = 7;
    TU_OK(cxm_csat_count(c, 10, &k));
    assert_int_equal(k, 0);
    cxm_csat_free(c);
}

static void options_are_checked(void **state)
{
    (void)state;
    cxm_csat *c = NULL;
    const cxm_csat_options bad[] = {
        {sizeof bad[0], 0, 5, 1, 0, 0},   /* min > max */
        {sizeof bad[0], 0, 3, 3, 0, 0},   /* one point */
        {sizeof bad[0], 0, -1, 5, 0, 0},  /* below 0 */
        {sizeof bad[0], 0, 0, 101, 0, 0}, /* 102 points */
        {sizeof bad[0], 0, 1, 5, 6, 0},   /* threshold beyond max */
        {sizeof bad[0], 0, 1, 5, 1, 0},   /* threshold at min: nobody unsatisfied */
        {sizeof bad[0], 0, 2, 0, 0, 0},   /* min without max */
        {sizeof bad[0], 1, 1, 5, 0, 0},   /* reserved */
        {sizeof bad[0], 0, 1, 5, 0, 1},   /* reserved2 */
        {4, 0, 1, 5, 0, 0},               /* size */
        {sizeof bad[0], 0, INT32_MIN, INT32_MAX, 0, 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        TU_ST(cxm_csat_new(&bad[i], &tu_allocator, &c), CXM_INVALID_ARGUMENT);
        assert_null(c);
    }
    TU_ST(cxm_csat_new(NULL, NULL, NULL), CXM_INVALID_ARGUMENT);
    /*
     * Sizes no published cxm_csat_options ever had are refused, even where
     * they end on a field (16: after scale_max) or cut one in half (14: half
     * of scale_max, which would read 0x00010005 as 5).
     */
    const uint32_t cut[] = {12, 14, 16, 20, sizeof(cxm_csat_options) + 4, UINT32_MAX};
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        cxm_csat_options h = {cut[i], 0, 1, 0x00010005, 0, 0};
        TU_ST(cxm_csat_new(&h, &tu_allocator, &c), CXM_INVALID_ARGUMENT);
        assert_null(c);
    }
    /* The widest scale, 0-100. */
    cxm_csat_options wide = {sizeof wide, 0, 0, 100, 0, 0};
    TU_OK(cxm_csat_new(&wide, &tu_allocator, &c));
    cxm_csat_options o = {.size = sizeof o};
    TU_OK(cxm_csat_config(c, &o));
    assert_true(o.scale_min == 0 && o.scale_max == 100 && o.threshold == 99);
    cxm_csat_free(c);
}

static void bad_input_changes_nothing(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("csat");
    cxm_csat *c = mk(1, 5, 0);
    TU_OK(cxm_csat_add_many(c, TEN, 10, NULL));
    tu_snap s = tu_snapshot(f, c);

    TU_ST(cxm_csat_add(c, 0), CXM_OUT_OF_RANGE);
    TU_ST(cxm_csat_add(c, 6), CXM_OUT_OF_RANGE);
    TU_ST(cxm_csat_add(c, INT32_MIN), CXM_OUT_OF_RANGE);
    TU_ST(cxm_csat_add(c, INT32_MAX), CXM_OUT_OF_RANGE);
    TU_ST(cxm_csat_add(NULL, 3), CXM_INVALID_ARGUMENT);

    /* A batch with one bad byte is rejected whole and names it. */
    uint8_t batch[100];
    for (int i = 0; i < 100; i++)
        batch[i] = (uint8_t)(1 + i % 5);
    batch[41] = 0;
    size_t bad = 0;
    TU_ST(cxm_csat_add_many(c, batch, 100, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 41);
    batch[41] = 1;
    batch[99] = 6;
    TU_ST(cxm_csat_add_many(c, batch, 100, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 99);
    TU_ST(cxm_csat_add_many(c, batch, 100, NULL), CXM_OUT_OF_RANGE);
    TU_ST(cxm_csat_add_many(c, NULL, 3, &bad), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_csat_add_many(NULL, batch, 3, &bad), CXM_INVALID_ARGUMENT);
    TU_OK(cxm_csat_add_many(c, NULL, 0, &bad)); /* nothing to add */
    uint64_t k;
    TU_ST(cxm_csat_count(c, 6, &k), CXM_OUT_OF_RANGE);
    TU_ST(cxm_csat_count(c, 3, NULL), CXM_INVALID_ARGUMENT);
    tu_assert_same(f, c, s);

    /* Other scales or thresholds never merge. */
    cxm_csat *other[3] = {mk(1, 5, 5), mk(1, 7, 0), mk(0, 5, 4)};
    for (int i = 0; i < 3; i++) {
        TU_OK(cxm_csat_add(other[i], 5));
        TU_ST(cxm_csat_merge(c, other[i]), CXM_KIND_MISMATCH);
        cxm_csat_free(other[i]);
    }
    TU_ST(cxm_csat_merge(c, NULL), CXM_INVALID_ARGUMENT);
    tu_assert_same(f, c, s);

    /* Result calls with a bad struct size or level leave everything alone. */
    cxm_csat_result r = {.size = 8};
    TU_ST(cxm_csat_result_get(c, 0.95, &r), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_csat_result_get(c, 0.95, NULL), CXM_INVALID_ARGUMENT);
    r.size = sizeof r;
    TU_ST(cxm_csat_result_get(c, 1.0, &r), CXM_OUT_OF_RANGE);
    TU_ST(cxm_csat_result_get(c, -0.5, &r), CXM_OUT_OF_RANGE);
    TU_ST(cxm_csat_result_get(c, NAN, &r), CXM_OUT_OF_RANGE);
    assert_int_equal(r.n, 0); /* untouched */
    cxm_csat_options o = {.size = 4};
    TU_ST(cxm_csat_config(c, &o), CXM_INVALID_ARGUMENT);
    tu_assert_same(f, c, s);
    tu_snap_free(s);
    cxm_csat_free(c);
}

static void wide_scale_batches(void **state)
{
    (void)state;
    /*
     * 0-100 needs 100 cuts, more than one kernel call holds: counted in groups and
     * chunks. 20000 answers, score i % 101: scores 0..1 appear 199 times (i < 20000
     * = 198 * 101 + 2: 198 full rounds, then 0 and 1 once more), the others 198.
     */
    cxm_csat *c = mk(0, 100, 0);
    uint8_t *batch = test_malloc(20000);
    for (int i = 0; i < 20000; i++)
        batch[i] = (uint8_t)(i % 101);
    TU_OK(cxm_csat_add_many(c, batch, 20000, NULL));
    uint64_t k;
    TU_OK(cxm_csat_count(c, 0, &k));
    assert_int_equal(k, 199);
    TU_OK(cxm_csat_count(c, 1, &k));
    assert_int_equal(k, 199);
    TU_OK(cxm_csat_count(c, 2, &k));
    assert_int_equal(k, 198);
    TU_OK(cxm_csat_count(c, 100, &k));
    assert_int_equal(k, 198);
    /* Satisfied = 99 and 100: 2 * 198 = 396. */
    cxm_csat_result r = result(c, 0.95);
    assert_int_equal(r.satisfied, 396);
    /* A bad byte in the second chunk is found at its index; nothing is added. */
    const cxm_family_ops *f = cxm_family_find("csat");
    tu_snap s = tu_snapshot(f, c);
    batch[12345] = 101;
    size_t bad = 0;
    TU_ST(cxm_csat_add_many(c, batch, 20000, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 12345);
    batch[12345] = (uint8_t)(12345 % 101);
    batch[19999] = 255;
    TU_ST(cxm_csat_add_many(c, batch, 20000, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 19999);
    tu_assert_same(f, c, s);
    tu_snap_free(s);
    /* The same batch through single adds gives the same state. */
    cxm_csat *d = mk(0, 100, 0);
    batch[19999] = (uint8_t)(19999 % 101);
    for (int i = 0; i < 20000; i++)
        TU_OK(cxm_csat_add(d, batch[i]));
    s = tu_snapshot(f, c);
    tu_assert_same(f, d, s);
    tu_snap_free(s);
    test_free(batch);
    cxm_csat_free(c);
    cxm_csat_free(d);
}

/*
 * Batches long enough for the vector histogram of wide scales (32 KiB and
 * more): exact counts on a pattern counted by hand, the same state as single
 * adds on a mixed one, and a bad byte anywhere (first byte, inside a 4 KiB
 * check block, at the start of a later one, in the tail after the last,
 * last byte) refused with its index and nothing added. Whatever path
 * CXM_SIMD forces gives the same (.ci/simd.sh runs this under each).
 */
static void wide_scale_long_batches(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("csat");
    /* 101 * 2100 answers, score i % 101: each score 2100 times. */
    const size_t n = 101 * 2100;
    uint8_t *batch = test_malloc(n);
    for (size_t i = 0; i < n; i++)
        batch[i] = (uint8_t)(i % 101);
    cxm_csat *c = mk(0, 100, 0);
    TU_OK(cxm_csat_add_many(c, batch, n, NULL));
    for (int32_t v = 0; v <= 100; v++) {
        uint64_t k = 0;
        TU_OK(cxm_csat_count(c, v, &k));
        assert_int_equal(k, 2100);
    }
    /* A 1-100 scale, runs of 100 among scattered scores, against single adds. */
    cxm_csat *w = mk(1, 100, 90), *each = mk(1, 100, 90);
    uint64_t rng = 11;
    for (size_t i = 0; i < n; i++)
        batch[i] = (i / 5000) % 3 == 0 ? 100 : (uint8_t)(1 + tu_rand(&rng) % 100);
    TU_OK(cxm_csat_add_many(w, batch, n, NULL));
    for (size_t i = 0; i < n; i++)
        TU_OK(cxm_csat_add(each, batch[i]));
    tu_snap s = tu_snapshot(f, each);
    tu_assert_same(f, w, s);
    tu_snap_free(s);
    /* Bad bytes: the index of the first, the state untouched. */
    s = tu_snapshot(f, w);
    const size_t at[] = {0, 4096 + 5, 65536, 65536 + 4095, n - n % 4096, n - 1};
    const uint8_t bad_values[] = {0, 101, 255};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        for (size_t b = 0; b < sizeof bad_values; b++) {
            uint8_t keep = batch[at[i]];
            batch[at[i]] = bad_values[b];
            size_t bad = 0;
            TU_ST(cxm_csat_add_many(w, batch, n, &bad), CXM_OUT_OF_RANGE);
            assert_int_equal(bad, at[i]);
            tu_assert_same(f, w, s);
            batch[at[i]] = keep;
        }
    }
    tu_snap_free(s);
    test_free(batch);
    cxm_csat_free(c);
    cxm_csat_free(w);
    cxm_csat_free(each);
}

static void kernel_group_boundaries(void **state)
{
    (void)state;
    /*
     * One kernel call holds 16 cuts: a 17-point scale (0-16) is counted in one
     * call, an 18-point scale (0-17) needs a second group. Score i % points for
     * i < 1000: with 17 points, 1000 = 58 * 17 + 14, so scores 0..13 appear 59
     * times and 14..16 58 times; with 18 points, 1000 = 55 * 18 + 10: scores
     * 0..9 appear 56 times, 10..17 55 times.
     */
    const int32_t his[2] = {16, 17};
    const uint64_t full[2] = {59, 56}, rest[2] = {58, 55};
    const int32_t split[2] = {14, 10};
    uint8_t batch[1000];
    for (int k = 0; k < 2; k++) {
        int32_t np = his[k] + 1;
        for (int i = 0; i < 1000; i++)
            batch[i] = (uint8_t)(i % np);
        cxm_csat *c = mk(0, his[k], 0);
        TU_OK(cxm_csat_add_many(c, batch, 1000, NULL));
        for (int32_t s = 0; s < np; s++) {
            uint64_t got = 0;
            TU_OK(cxm_csat_count(c, s, &got));
            assert_int_equal(got, s < split[k] ? full[k] : rest[k]);
        }
        /* The value just past the scale is caught in either layout. */
        batch[777] = (uint8_t)np;
        size_t bad = 0;
        TU_ST(cxm_csat_add_many(c, batch, 1000, &bad), CXM_OUT_OF_RANGE);
        assert_int_equal(bad, 777);
        assert_int_equal(result(c, 0.95).n, 1000);
        cxm_csat_free(c);
    }
}

static void merge_order_cannot_change_results(void **state)
{
    (void)state;
    /* The state is the histogram: parts merged in any order give identical doubles. */
    cxm_csat *a = mk(1, 5, 0), *b = mk(1, 5, 0), *ab = NULL, *ba = NULL, *all = mk(1, 5, 0);
    TU_OK(cxm_csat_add_many(a, TEN, 6, NULL));
    TU_OK(cxm_csat_add_many(b, TEN + 6, 4, NULL));
    TU_OK(cxm_csat_add_many(all, TEN, 10, NULL));
    TU_OK(cxm_csat_clone(a, NULL, &ab));
    TU_OK(cxm_csat_merge(ab, b));
    TU_OK(cxm_csat_clone(b, &tu_allocator, &ba));
    TU_OK(cxm_csat_merge(ba, a));
    cxm_csat_result r1 = result(ab, 0.95), r2 = result(ba, 0.95), r3 = result(all, 0.95);
    assert_true(r1.mean == r2.mean && r1.mean == r3.mean);
    assert_true(r1.sd == r2.sd && r1.sd == r3.sd);
    assert_true(r1.mean_ci.lower == r3.mean_ci.lower && r2.mean_ci.upper == r3.mean_ci.upper);
    /* Merging into itself doubles every count. */
    TU_OK(cxm_csat_merge(a, a));
    assert_int_equal(result(a, 0.95).n, 12);
    cxm_csat *objs[] = {a, b, ab, ba, all};
    for (int i = 0; i < 5; i++)
        cxm_csat_free(objs[i]);
}

static void overflow_is_refused(void **state)
{
    (void)state;
    /* 2^64 - 1 answers of 5 are reached by merging doublings 2^62 .. 2^0. */
    cxm_csat *big = mk(1, 5, 0), *one = mk(1, 5, 0);
    TU_OK(cxm_csat_add(one, 5));
    for (int i = 63; i >= 0; i--) {
        cxm_csat *part = mk(1, 5, 0);
        TU_OK(cxm_csat_add(part, 5));
        for (int k = 0; k < i; k++)
            TU_OK(cxm_csat_merge(part, part));
        if (i == 63) {
            /* 2^63 + 2^63 does not fit: refused, nothing changes. */
            cxm_csat *copy = NULL;
            TU_OK(cxm_csat_clone(part, NULL, &copy));
            TU_ST(cxm_csat_merge(part, copy), CXM_OVERFLOW);
            assert_true(result(part, 0.95).n == (uint64_t)1 << 63);
            cxm_csat_free(copy);
        }
        TU_OK(cxm_csat_merge(big, part));
        cxm_csat_free(part);
    }
    const cxm_family_ops *f = cxm_family_find("csat");
    tu_snap s = tu_snapshot(f, big);
    cxm_csat_result r = result(big, 0.95);
    assert_true(r.n == UINT64_MAX && r.satisfied == UINT64_MAX && r.mean == 5.0);
    assert_true(r.sd == 0.0 && r.median == 5.0);
    TU_ST(cxm_csat_add(big, 5), CXM_OVERFLOW);
    TU_ST(cxm_csat_add_many(big, TEN, 1, NULL), CXM_OVERFLOW);
    TU_ST(cxm_csat_merge(big, one), CXM_OVERFLOW);
    TU_OK(cxm_csat_add_many(big, TEN, 0, NULL)); /* an empty batch still fits */
    tu_assert_same(f, big, s);
    tu_snap_free(s);
    cxm_csat_free(big);
    cxm_csat_free(one);
}

/* n answers of `score`, by merging doublings (n >= 1). */
static cxm_csat *many_of(int32_t score, uint64_t n)
{
    cxm_csat *acc = mk(1, 5, 0);
    for (int bit = 63; bit >= 0; bit--) {
        if (!(n >> bit & 1)) continue;
        cxm_csat *part = mk(1, 5, 0);
        TU_OK(cxm_csat_add(part, score));
        for (int k = 0; k < bit; k++)
            TU_OK(cxm_csat_merge(part, part));
        TU_OK(cxm_csat_merge(acc, part));
        cxm_csat_free(part);
    }
    return acc;
}

/*
 * Single adds count one score only while every count is small; past 2^57
 * in any count they take the exact path: the total is what overflows, even
 * when the score added has a small count of its own.
 */
static void overflow_of_the_total_through_another_score(void **state)
{
    (void)state;
    cxm_csat *a = many_of(5, UINT64_MAX - 2), *b = many_of(4, 1);
    TU_OK(cxm_csat_merge(a, b));             /* total UINT64_MAX - 1 */
    TU_OK(cxm_csat_add(a, 1));               /* count of 1 was 0: total reaches UINT64_MAX */
    TU_ST(cxm_csat_add(a, 2), CXM_OVERFLOW); /* nothing more fits, whichever score */
    TU_ST(cxm_csat_add(a, 1), CXM_OVERFLOW);
    uint64_t c = 0;
    TU_OK(cxm_csat_count(a, 1, &c));
    assert_true(c == 1);
    TU_OK(cxm_csat_count(a, 2, &c));
    assert_true(c == 0);
    assert_true(result(a, 0.95).n == UINT64_MAX);
    /* Just past 2^57 in one count, far from full: adds still count exactly. */
    cxm_csat *m = many_of(3, ((uint64_t)1 << 57) + 1);
    for (int i = 0; i < 1000; i++)
        TU_OK(cxm_csat_add(m, 1 + i % 5));
    TU_OK(cxm_csat_count(m, 3, &c));
    assert_true(c == ((uint64_t)1 << 57) + 1 + 200);
    assert_true(result(m, 0.95).n == ((uint64_t)1 << 57) + 1 + 1000);
    cxm_csat_free(a);
    cxm_csat_free(b);
    cxm_csat_free(m);
}

static void placement(void **state)
{
    (void)state;
    _Alignas(16) unsigned char mem[2048];
    cxm_csat *c = NULL;
    assert_true(cxm_csat_footprint() <= sizeof mem);
    TU_ST(cxm_csat_init_in(mem, 8, NULL, &c), CXM_BUFFER_TOO_SMALL);
    TU_ST(cxm_csat_init_in(mem + 1, 2000, NULL, &c), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_csat_init_in(NULL, 2000, NULL, &c), CXM_INVALID_ARGUMENT);
    cxm_csat_options bad = {sizeof bad, 0, 1, 5, 9, 0};
    TU_ST(cxm_csat_init_in(mem, sizeof mem, &bad, &c), CXM_INVALID_ARGUMENT);
    TU_OK(cxm_csat_init_in(mem, cxm_csat_footprint(), NULL, &c));
    TU_OK(cxm_csat_add_many(c, TEN, 10, NULL));
    TU_NEAR(result(c, 0.95).mean, 3.7, 1e-12);
    cxm_csat *copy = NULL;
    TU_OK(cxm_csat_clone(c, &tu_allocator, &copy)); /* the copy is heap-owned */
    TU_OK(cxm_csat_reset(c));
    assert_int_equal(result(copy, 0.95).n, 10);
    cxm_csat_free(copy);
    cxm_csat_free(c); /* releases nothing */
    cxm_csat_free(NULL);
}

/* The exact bytes of format version 1, from tests/vectors/csat_v1.hex. */
static void encoding_vector(void **state)
{
    (void)state;
    cxm_csat *c = mk(1, 5, 0);
    TU_OK(cxm_csat_add_many(c, TEN, 10, NULL));
    uint8_t buf[256];
    size_t len = 0;
    TU_ST(cxm_csat_encode(c, NULL, 0, &len), CXM_BUFFER_TOO_SMALL);
    /* 16 envelope + 16 (min, max, threshold, direction) + 5 counts * 8 = 72. */
    assert_int_equal(len, 72);
    TU_ST(cxm_csat_encode(c, buf, 71, &len), CXM_BUFFER_TOO_SMALL);
    TU_OK(cxm_csat_encode(c, buf, sizeof buf, &len));

    uint8_t want[256];
    size_t wlen = tu_read_vector("csat_v1.hex", want, sizeof want);
    assert_int_equal(wlen, len);
    assert_memory_equal(buf, want, len);
    cxm_csat *d = NULL;
    TU_OK(cxm_csat_decode(want, wlen, &tu_allocator, &d));
    cxm_csat_result a = result(c, 0.95), b = result(d, 0.95);
    assert_true(a.mean == b.mean && a.sd == b.sd && a.satisfied == b.satisfied);
    cxm_csat_free(d);
    cxm_csat_free(c);
}

/* Rewrites a 32-bit field of the payload and re-forges the checksum. */
static void poke32(uint8_t *buf, size_t len, size_t at, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        buf[at + (size_t)i] = (uint8_t)(v >> (8 * i));
    tu_fix_crc(buf, len);
}

static void decode_rejects_inconsistent_fields(void **state)
{
    (void)state;
    cxm_csat *c = mk(1, 5, 0);
    TU_OK(cxm_csat_add_many(c, TEN, 10, NULL));
    uint8_t good[256], buf[256];
    size_t len;
    TU_OK(cxm_csat_encode(c, good, sizeof good, &len));
    cxm_csat *d = NULL;
    /* Valid checksums over hostile fields: min, max, threshold, direction. */
    const struct {
        size_t at;
        uint32_t v;
    } edits[] = {
        {12, 5},                   /* min = max */
        {12, 0x80000000},          /* negative min */
        {16, 101},                 /* beyond the largest scale */
        {16, 0xFFFFFFFF}, {20, 1}, /* threshold at min */
        {20, 6},                   /* threshold beyond max */
        {24, 1},                   /* CSAT has no effort direction */
        {24, 2},
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        memcpy(buf, good, len);
        poke32(buf, len, edits[i].at, edits[i].v);
        TU_ST(cxm_csat_decode(buf, len, &tu_allocator, &d), CXM_BAD_FORMAT);
        assert_null(d);
    }
    /* A max that promises more counts than the bytes hold. */
    memcpy(buf, good, len);
    poke32(buf, len, 16, 7);
    TU_ST(cxm_csat_decode(buf, len, &tu_allocator, &d), CXM_BAD_FORMAT);
    /* Counts whose sum overflows 64 bits. */
    memcpy(buf, good, len);
    memset(buf + 28, 0xFF, 16);
    tu_fix_crc(buf, len);
    TU_ST(cxm_csat_decode(buf, len, &tu_allocator, &d), CXM_BAD_FORMAT);
    /* Other families' bytes, NULLs. */
    cxm_ces *e = NULL;
    TU_ST(cxm_ces_decode(good, len, &tu_allocator, &e), CXM_WRONG_TYPE);
    TU_ST(cxm_csat_decode(NULL, len, NULL, &d), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_csat_decode(good, len, NULL, NULL), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_csat_encode(c, buf, sizeof buf, NULL), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_csat_encode(NULL, buf, sizeof buf, &len), CXM_INVALID_ARGUMENT);
    assert_null(d);
    cxm_csat_free(c);
}

/* One answer has a mean but no spread: has_sd says so. */
static void spread_of_one_answer_is_flagged(void **state)
{
    (void)state;
    cxm_csat *c = NULL;
    TU_OK(cxm_csat_new(NULL, &tu_allocator, &c));
    cxm_csat_result r;
    memset(&r, 0xAB, sizeof r);
    r.size = sizeof r;
    TU_OK(cxm_csat_add(c, 4));
    TU_OK(cxm_csat_result_get(c, 0, &r));
    assert_int_equal(r.has_sd, 0);
    assert_int_equal(r.reserved3, 0);
    TU_OK(cxm_csat_add(c, 2));
    TU_OK(cxm_csat_result_get(c, 0, &r));
    assert_int_equal(r.has_sd, 1);
    assert_true(r.sd > 1.0);

#define GET(p) cxm_csat_result_get(c, 0, p)
    TU_FIRST_VERSION_SIZE(cxm_csat_result, has_sd, GET);
#undef GET
    cxm_csat_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spread_of_one_answer_is_flagged),
        cmocka_unit_test(hand_computed_ten_answers),
        cmocka_unit_test(ten_point_scale),
        cmocka_unit_test(boundaries_and_clipping),
        cmocka_unit_test(empty_has_no_score),
        cmocka_unit_test(options_are_checked),
        cmocka_unit_test(bad_input_changes_nothing),
        cmocka_unit_test(wide_scale_batches),
        cmocka_unit_test(wide_scale_long_batches),
        cmocka_unit_test(kernel_group_boundaries),
        cmocka_unit_test(merge_order_cannot_change_results),
        cmocka_unit_test(overflow_is_refused),
        cmocka_unit_test(overflow_of_the_total_through_another_score),
        cmocka_unit_test(placement),
        cmocka_unit_test(encoding_vector),
        cmocka_unit_test(decode_rejects_inconsistent_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
