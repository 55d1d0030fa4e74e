/*
 * test_extremes.c — overflow and the edges of every range.
 *
 * For every family in the table: counts driven to 2^64 - 1 by merging
 * doubled copies (a merge that would pass 2^64 - 1 is refused with
 * CXM_OVERFLOW and changes nothing, and so is one more add); empty
 * accumulators (new, reset, decoded) in every result call, never NaN;
 * batches of all-0x00 and all-0xFF bytes (the ends of whatever the table's
 * `feed` maps bytes to). Then the edges the table cannot know: NPS weights
 * at both ends of their range, the largest competitive panel, durations at
 * the top of the range, CSAT and CES scales at their limits.
 *
 * After each step: results have no NaN and the state survives
 * decode(encode(x)) with the same bytes.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>

#include "testutil.h"

static void *make(const cxm_family_ops *f, uint32_t variant)
{
    void *acc = NULL;
    TU_OK(f->make(&tu_allocator, variant, &acc));
    return acc;
}

/* No NaN in any result; the state round-trips through its encoding. */
static void assert_sane(const cxm_family_ops *f, const void *acc)
{
    static double out[CXM_SUMMARY_MAX];
    size_t n = 0;
    cxm_status st = f->summary(acc, out, CXM_SUMMARY_MAX, &n);
    if (st != CXM_OK) fail_msg("%s: a result call failed: %s", f->name, cxm_status_str(st));
    for (size_t i = 0; i < n && i < CXM_SUMMARY_MAX; i++)
        if (isnan(out[i]))
            fail_msg("%s: summary value %zu is NaN (%llu events)", f->name, i,
                     (unsigned long long)f->events(acc));
    tu_snap s = tu_snapshot(f, acc);
    void *b = NULL;
    cxm_status dst = f->decode(s.bytes, s.len, &tu_allocator, &b);
    if (dst != CXM_OK)
        fail_msg("%s: own encoding refused: %s (%llu events)", f->name, cxm_status_str(dst),
                 (unsigned long long)f->events(acc));
    tu_assert_same(f, b, s);
    assert_int_equal(f->events(b), f->events(acc));
    f->destroy(b);
    tu_snap_free(s);
}

/* merge(dst, src): adds up, or is refused with CXM_OVERFLOW leaving dst as it was. */
static int merge_or_overflow(const cxm_family_ops *f, void *dst, const void *src)
{
    uint64_t ed = f->events(dst), es = f->events(src);
    tu_snap s = tu_snapshot(f, dst);
    cxm_status st = f->merge(dst, src);
    if (st == CXM_OK) {
        assert_int_equal(f->events(dst), ed + es);
    } else {
        if (st != CXM_OVERFLOW)
            fail_msg("%s: merge at %llu + %llu events: %s", f->name, (unsigned long long)ed,
                     (unsigned long long)es, cxm_status_str(st));
        tu_assert_same(f, dst, s);
    }
    tu_snap_free(s);
    return st == CXM_OK;
}

/*
 * Doubles a copy of `seed` 63 times (2^k events each step) and merges each
 * power into `acc`: 1 + 2 + ... + 2^63 = 2^64 - 1 events if every merge is
 * accepted. Returns acc; *refused tells whether some merge was refused.
 */
static void *drive_to_max(const cxm_family_ops *f, const void *seed, int *refused)
{
    void *acc = NULL, *pow = NULL;
    TU_OK(f->clone(seed, &tu_allocator, &acc));
    TU_OK(f->clone(seed, &tu_allocator, &pow));
    *refused = 0;
    for (int k = 1; k < 64 && !*refused; k++) {
        void *copy = NULL;
        TU_OK(f->clone(pow, &tu_allocator, &copy));
        *refused = !merge_or_overflow(f, pow, copy);
        f->destroy(copy);
        if (!*refused) *refused = !merge_or_overflow(f, acc, pow);
        if (k % 8 == 0 || *refused) assert_sane(f, acc);
    }
    f->destroy(pow);
    return acc;
}

static void counts_to_2_64(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        void *one = make(f, 0);
        TU_OK(f->add_one(one, 0));
        uint64_t e1 = f->events(one);
        assert_true(e1 >= 1);
        int refused = 0;
        void *acc = drive_to_max(f, one, &refused);
        assert_sane(f, acc);
        if (e1 == 1 && !refused) {
            assert_int_equal(f->events(acc), UINT64_MAX);
            /* Full: one more event, by add or by merge, is refused and changes nothing. */
            tu_snap s = tu_snapshot(f, acc);
            TU_ST(f->add_one(acc, 0), CXM_OVERFLOW);
            tu_assert_same(f, acc, s);
            TU_ST(f->merge(acc, one), CXM_OVERFLOW);
            tu_assert_same(f, acc, s);
            uint8_t zero[8] = {0};
            size_t bad;
            assert_int_not_equal(f->feed(acc, zero, sizeof zero, &bad), CXM_OK);
            tu_assert_same(f, acc, s);
            tu_snap_free(s);
            /* And the other way round: the full one into a small one. */
            tu_snap s1 = tu_snapshot(f, one);
            TU_ST(f->merge(one, acc), CXM_OVERFLOW);
            tu_assert_same(f, one, s1);
            tu_snap_free(s1);
        } else {
            print_message("%s: counts stop at %llu events (a sum overflows first)\n", f->name,
                          (unsigned long long)f->events(acc));
            assert_true(refused);
        }
        f->destroy(acc);
        f->destroy(one);
    }
}

static void empty_in_every_result_call(void **state)
{
    (void)state;
    uint64_t rng = 9;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (uint32_t v = 0; v < f->variants; v++) {
            void *a = make(f, v);
            assert_int_equal(f->events(a), 0);
            assert_sane(f, a);
            /* Reset after data: empty again, same bytes as new. */
            tu_snap fresh = tu_snapshot(f, a);
            for (int i = 0; i < 5; i++)
                TU_OK(f->add_one(a, tu_rand(&rng) % 100));
            TU_OK(f->reset(a));
            tu_assert_same(f, a, fresh);
            assert_sane(f, a);
            /* Empty merged into empty stays empty. */
            void *b = make(f, v);
            TU_OK(f->merge(a, b));
            tu_assert_same(f, a, fresh);
            tu_snap_free(fresh);
            f->destroy(a);
            f->destroy(b);
        }
    }
}

/* Runs of 0x00 and of 0xFF: accepted and sane, or refused leaving nothing. */
static void byte_extremes(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (uint32_t v = 0; v < f->variants; v++) {
            for (int fill = 0; fill < 2; fill++) {
                uint8_t bytes[256];
                memset(bytes, fill ? 0xFF : 0x00, sizeof bytes);
                for (size_t n = 1; n <= sizeof bytes; n *= 2) {
                    void *a = make(f, v);
                    TU_OK(f->add_one(a, 1));
                    tu_snap s = tu_snapshot(f, a);
                    size_t bad;
                    if (f->feed(a, bytes, n, &bad) != CXM_OK) tu_assert_same(f, a, s);
                    assert_sane(f, a);
                    tu_snap_free(s);
                    f->destroy(a);
                }
            }
        }
    }
}

/* ---- edges the table cannot know ------------------------------------------------ */

static void nps_weight_range(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("nps");
    cxm_nps *n = NULL;
    TU_OK(cxm_nps_new(CXM_NPS_RELATIONAL, 0, &tu_allocator, &n));
    /* Both ends of [1e-100, 1e100] are accepted; one step outside is not. */
    TU_OK(cxm_nps_add_weighted(n, 10, 1e100));
    TU_OK(cxm_nps_add_weighted(n, 0, 1e-100));
    TU_OK(cxm_nps_add_weighted(n, 7, 1e-100));
    TU_OK(cxm_nps_add(n, 9));
    tu_snap s = tu_snapshot(f, n);
    TU_ST(cxm_nps_add_weighted(n, 10, nextafter(1e100, INFINITY)), CXM_OUT_OF_RANGE);
    TU_ST(cxm_nps_add_weighted(n, 10, nextafter(1e-100, 0.0)), CXM_OUT_OF_RANGE);
    TU_ST(cxm_nps_add_weighted(n, 10, DBL_MAX), CXM_OUT_OF_RANGE);
    TU_ST(cxm_nps_add_weighted(n, 10, DBL_TRUE_MIN), CXM_OUT_OF_RANGE);
    tu_assert_same(f, n, s);
    tu_snap_free(s);
    assert_sane(f, n);
    cxm_nps_result r = {.size = sizeof r};
    TU_OK(cxm_nps_result_get(n, 0.0, CXM_NPS_WALD, &r));
    /* The 1e100 promoter outweighs everything: 100% promoters, n_eff about 1. */
    TU_NEAR(r.nps, 100.0, 1e-9);
    TU_NEAR(r.n_effective, 1.0, 1e-9);
    assert_true(isfinite(r.se) && isfinite(r.ci.lower) && isfinite(r.ci.upper));
    /* Only tiny weights: finite sums of squares, n_eff = n. */
    cxm_nps *t = NULL;
    TU_OK(cxm_nps_new(CXM_NPS_RELATIONAL, 0, &tu_allocator, &t));
    for (int i = 0; i < 4; i++)
        TU_OK(cxm_nps_add_weighted(t, 3 * i, 1e-100));
    TU_OK(cxm_nps_result_get(t, 0.0, CXM_NPS_WALD, &r));
    TU_NEAR(r.n_effective, 4.0, 1e-9);
    assert_true(isfinite(r.se));
    /* Doubled to 2^64 - 1 answers of extreme weights: still finite, still decodes. */
    int refused = 0;
    void *big = drive_to_max(f, n, &refused);
    /* 4 answers a copy: the doubling stops with CXM_OVERFLOW past 2^62 copies. */
    assert_true(refused && f->events(big) > (UINT64_MAX >> 1));
    TU_OK(cxm_nps_result_get(big, 0.0, CXM_NPS_ADJUSTED_WALD, &r));
    assert_true(isfinite(r.weight_total) && isfinite(r.n_effective) && isfinite(r.se));
    f->destroy(big);
    cxm_nps_free(t);
    cxm_nps_free(n);
}

static void nps_panel_at_capacity(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("nps_panel");
    cxm_nps_panel *p = NULL;
    TU_ST(cxm_nps_panel_new(CXM_NPS_PANEL_MAX_CAPACITY + 1, &tu_allocator, &p),
          CXM_INVALID_ARGUMENT);
    TU_ST(cxm_nps_panel_new(0, &tu_allocator, &p), CXM_INVALID_ARGUMENT);
    assert_null(p);
    TU_OK(cxm_nps_panel_new(CXM_NPS_PANEL_MAX_CAPACITY, &tu_allocator, &p));
    /* Competitors with the extreme ids, then fill every slot. */
    TU_OK(cxm_nps_panel_add(p, UINT32_MAX, 10));
    TU_OK(cxm_nps_panel_add(p, 0, 0));
    for (uint32_t b = 1; b < CXM_NPS_PANEL_MAX_CAPACITY; b++)
        TU_OK(cxm_nps_panel_add(p, b, (int32_t)(b % 11)));
    uint32_t count = 0, cap = 0;
    TU_OK(cxm_nps_panel_brands(p, &count, &cap));
    assert_int_equal(count, CXM_NPS_PANEL_MAX_CAPACITY);
    tu_snap s = tu_snapshot(f, p);
    TU_ST(cxm_nps_panel_add(p, CXM_NPS_PANEL_MAX_CAPACITY, 5), CXM_CAPACITY);
    tu_assert_same(f, p, s);
    tu_snap_free(s);
    assert_sane(f, p);
    cxm_nps_panel_free(p);
}

static void durations_at_the_top(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("duration");
    if (!f) skip();
    cxm_duration *d = NULL;
    TU_OK(cxm_duration_new(NULL, &tu_allocator, &d));
    const double edges[] = {0.0,
                            CXM_DURATION_TRACKED_MIN,
                            nextafter(CXM_DURATION_TRACKED_MIN, 0.0),
                            CXM_DURATION_TRACKED_MAX,
                            nextafter(CXM_DURATION_TRACKED_MAX, 0.0),
                            CXM_DURATION_MAX,
                            DBL_TRUE_MIN};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        TU_OK(cxm_duration_add(d, edges[i]));
    tu_snap s = tu_snapshot(f, d);
    TU_ST(cxm_duration_add(d, nextafter(CXM_DURATION_MAX, INFINITY)), CXM_OUT_OF_RANGE);
    TU_ST(cxm_duration_add(d, -DBL_TRUE_MIN), CXM_OUT_OF_RANGE);
    TU_ST(cxm_duration_add(d, INFINITY), CXM_OUT_OF_RANGE);
    TU_ST(cxm_duration_add(d, NAN), CXM_OUT_OF_RANGE);
    tu_assert_same(f, d, s);
    tu_snap_free(s);
    assert_sane(f, d);
    cxm_duration_result r = {.size = sizeof r};
    TU_OK(cxm_duration_result_get(d, 0.0, &r));
    assert_true(r.max == CXM_DURATION_MAX && r.min == 0.0);
    assert_true(isfinite(r.sum) && isfinite(r.mean) && isfinite(r.sd));
    /* Only top-of-range durations, doubled towards 2^64 of them. */
    cxm_duration *top = NULL;
    TU_OK(cxm_duration_new(NULL, &tu_allocator, &top));
    TU_OK(cxm_duration_add(top, CXM_DURATION_MAX));
    int refused = 0;
    void *big = drive_to_max(f, top, &refused);
    TU_OK(cxm_duration_result_get(big, 0.0, &r));
    assert_true(isfinite(r.sum) && isfinite(r.mean) && isfinite(r.sd) && r.max == CXM_DURATION_MAX);
    TU_NEAR(r.mean, CXM_DURATION_MAX, CXM_DURATION_MAX * 1e-12);
    f->destroy(big);
    cxm_duration_free(top);
    cxm_duration_free(d);
}

/* CSAT and CES on the widest scale (0..CXM_SCALE_MAX_SCORE) and the narrowest. */
static void scales_at_their_limits(void **state)
{
    (void)state;
    const cxm_family_ops *fc = cxm_family_find("csat"), *fe = cxm_family_find("ces");
    if (!fc || !fe) skip();
    const int32_t scales[3][3] = {
        {0, CXM_SCALE_MAX_SCORE, CXM_SCALE_MAX_SCORE},
        {0, CXM_SCALE_MAX_SCORE, 1},
        {CXM_SCALE_MAX_SCORE - 1, CXM_SCALE_MAX_SCORE, CXM_SCALE_MAX_SCORE}};
    for (int i = 0; i < 3; i++) {
        cxm_csat_options co = {sizeof co, 0, scales[i][0], scales[i][1], scales[i][2], 0};
        cxm_csat *c = NULL;
        TU_OK(cxm_csat_new(&co, &tu_allocator, &c));
        TU_OK(cxm_csat_add(c, scales[i][0]));
        TU_OK(cxm_csat_add(c, scales[i][1]));
        tu_snap s = tu_snapshot(fc, c);
        TU_ST(cxm_csat_add(c, scales[i][0] - 1), CXM_OUT_OF_RANGE);
        TU_ST(cxm_csat_add(c, scales[i][1] + 1), CXM_OUT_OF_RANGE);
        TU_ST(cxm_csat_add(c, INT32_MAX), CXM_OUT_OF_RANGE);
        TU_ST(cxm_csat_add(c, INT32_MIN), CXM_OUT_OF_RANGE);
        tu_assert_same(fc, c, s);
        tu_snap_free(s);
        assert_sane(fc, c);
        int refused = 0;
        void *big = drive_to_max(fc, c, &refused);
        assert_sane(fc, big);
        fc->destroy(big);
        cxm_csat_free(c);

        cxm_ces_options eo = {sizeof eo, 0, scales[i][0], scales[i][1], scales[i][2], 0};
        cxm_ces *e = NULL;
        TU_OK(cxm_ces_new(&eo, &tu_allocator, &e));
        TU_OK(cxm_ces_add(e, scales[i][1]));
        TU_OK(cxm_ces_add(e, scales[i][0]));
        s = tu_snapshot(fe, e);
        TU_ST(cxm_ces_add(e, scales[i][1] + 1), CXM_OUT_OF_RANGE);
        TU_ST(cxm_ces_add(e, scales[i][0] - 1), CXM_OUT_OF_RANGE);
        tu_assert_same(fe, e, s);
        tu_snap_free(s);
        assert_sane(fe, e);
        cxm_ces_free(e);
    }
    /* One past the widest scale is refused at creation. */
    cxm_csat_options wide = {sizeof wide, 0, 0, CXM_SCALE_MAX_SCORE + 1, 0, 0};
    cxm_csat *c = NULL;
    TU_ST(cxm_csat_new(&wide, &tu_allocator, &c), CXM_INVALID_ARGUMENT);
    assert_null(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_to_2_64),         cmocka_unit_test(empty_in_every_result_call),
        cmocka_unit_test(byte_extremes),          cmocka_unit_test(nps_weight_range),
        cmocka_unit_test(nps_panel_at_capacity),  cmocka_unit_test(durations_at_the_top),
        cmocka_unit_test(scales_at_their_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
