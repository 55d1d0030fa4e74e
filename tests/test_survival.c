/*
 * test_survival.c — Kaplan-Meier time to resolution with open tickets as
 * right-censored: a hand-computed example with censoring (curve, median,
 * quantiles, Greenwood interval), the median not reached, the closed-only
 * figures next to it, agreement with an exact Kaplan-Meier computation on a
 * large sample, merge, every rejected input leaving the state unchanged,
 * placement, and the encoding with its committed vector and hostile bytes.
 */
#include <math.h>
#include <stdio.h>

#include "testutil.h"

#define H 3600.0

static cxm_survival *mk(void)
{
    cxm_survival *s = NULL;
    TU_OK(cxm_survival_new(&tu_allocator, &s));
    return s;
}

static cxm_survival_result result(const cxm_survival *s)
{
    cxm_survival_result r = {.size = sizeof r};
    TU_OK(cxm_survival_result_get(s, 0.95, &r));
    return r;
}

/* The value the sketch reports for a duration v: 2ab/(a+b) over its bucket [a, b). */
static double bucket_value(double v)
{
    int e;
    double m = frexp(v, &e); /* v = m 2^e, m in [0.5, 1) */
    double k = floor((2.0 * m - 1.0) * 64.0);
    double a = ldexp(1.0 + k / 64.0, e - 1), b = ldexp(1.0 + (k + 1.0) / 64.0, e - 1);
    return 2.0 * a * b / (a + b);
}

/*
 * Six tickets: resolved after 1, 2, 4 and 6 hours; still open at 3 and 5 hours.
 *   1 h: 6 at risk, 1 resolved: S = 5/6;           Greenwood sum 1/(6*5) = 1/30
 *   2 h: 5 at risk, 1 resolved: S = 5/6 * 4/5 = 2/3; sum += 1/(5*4) -> 1/12
 *   3 h: one censored (6 - 2 - 1 = 3 left at risk)
 *   4 h: 3 at risk, 1 resolved: S = 2/3 * 2/3 = 4/9 <= 0.5: the median is 4 h;
 *        sum += 1/(3*2) -> 1/4, se = 4/9 * sqrt(1/4) = 2/9
 *   5 h: one censored; 6 h: 1 at risk, 1 resolved: S = 0.
 * Closed tickets only (what a helpdesk shows): 1, 2, 4, 6 h: median rank
 * floor(1.5) = 1 -> 2 h, mean 13/4 h. The open tickets double the median.
 */
static const double SIX[6] = {1 * H, 2 * H, 3 * H, 4 * H, 5 * H, 6 * H};
static const uint8_t SIX_STATE[6] = {CXM_SURVIVAL_RESOLVED, CXM_SURVIVAL_RESOLVED,
                                     CXM_SURVIVAL_OPEN,     CXM_SURVIVAL_RESOLVED,
                                     CXM_SURVIVAL_OPEN,     CXM_SURVIVAL_RESOLVED};

static void hand_computed_with_censoring(void **state)
{
    (void)state;
    cxm_survival *s = mk();
    TU_OK(cxm_survival_add_many(s, SIX, SIX_STATE, 6, NULL));
    cxm_survival_result r = result(s);
    assert_int_equal(r.n, 6);
    assert_int_equal(r.resolved, 4);
    assert_int_equal(r.open, 2);
    assert_int_equal(r.median_reached, 1);
    /* 4 h = 14400 s lies in bucket [14336, 14464): 2 * 14336 * 14464 / 28800. */
    TU_NEAR(r.median, 14399.715555555556, 1e-6);
    TU_NEAR(bucket_value(4 * H), 14399.715555555556, 1e-6);
    assert_true(fabs(r.median - 4 * H) <= 4 * H / 129.0);
    TU_NEAR(r.survival_end, 0.0, 0.0);
    TU_NEAR(r.open_share, 2.0 / 6.0, 1e-15);
    assert_true(r.oldest_open == 5 * H);
    assert_true(r.closed_mean == 13.0 / 4.0 * H);
    TU_NEAR(r.closed_median, bucket_value(2 * H), 1e-6);
    /*
     * Greenwood band, z = 1.959964:
     *   1 h: S - z se = 5/6 - z 5/6 sqrt(1/30) = 0.535134 > 0.5
     *   2 h: S - z se = 2/3 - z 2/3 sqrt(1/12) = 0.289471 <= 0.5: lower limit 2 h
     *   4 h: S + z se = 4/9 + z 2/9 = 0.879992 > 0.5
     *   6 h: S = 0, se = 0: upper limit 6 h
     */
    assert_int_equal(r.ci_lower_reached, 1);
    assert_int_equal(r.ci_upper_reached, 1);
    TU_NEAR(r.median_ci.lower, bucket_value(2 * H), 1e-6);
    assert_true(r.median_ci.upper == 6 * H); /* clamped to the largest resolution */
    TU_NEAR(r.median_ci.level, 0.95, 0.0);
    /* Quantiles: 1 - S reaches 0.25 at 2 h (1/3), 0.5 at 4 h (5/9), 0.9 and 1 at 6 h. */
    double q = 0.0;
    TU_OK(cxm_survival_quantile(s, 0.25, &q));
    TU_NEAR(q, bucket_value(2 * H), 1e-6);
    TU_OK(cxm_survival_quantile(s, 1.0 / 6.0, &q)); /* reached exactly at 1 h */
    assert_true(q == 1 * H); /* the bucket value clamped to the smallest resolution */
    TU_OK(cxm_survival_quantile(s, 0.5, &q));
    assert_true(q == r.median);
    TU_OK(cxm_survival_quantile(s, 0.9, &q));
    assert_true(q == 6 * H); /* clamped to the largest resolution */
    TU_OK(cxm_survival_quantile(s, 1.0, &q));
    assert_true(q == 6 * H);
    /* A 90% level narrows nothing here but is echoed. */
    cxm_survival_result r90 = {.size = sizeof r90};
    TU_OK(cxm_survival_result_get(s, 0.9, &r90));
    TU_NEAR(r90.median_ci.level, 0.9, 0.0);
    cxm_survival_free(s);
}

static void median_not_reached(void **state)
{
    (void)state;
    /* One ticket resolved in 1 h, three still open at 2, 3, 4 h: S = 3/4 throughout. */
    cxm_survival *s = mk();
    TU_OK(cxm_survival_add(s, 1 * H, CXM_SURVIVAL_RESOLVED));
    TU_OK(cxm_survival_add(s, 2 * H, CXM_SURVIVAL_OPEN));
    TU_OK(cxm_survival_add(s, 3 * H, CXM_SURVIVAL_OPEN));
    TU_OK(cxm_survival_add(s, 4 * H, CXM_SURVIVAL_OPEN));
    cxm_survival_result r = result(s);
    assert_int_equal(r.median_reached, 0);
    assert_true(r.median == 0.0); /* no invented number */
    TU_NEAR(r.survival_end, 0.75, 1e-15);
    /* The closed-only median says 1 h, as if resolution were quick. */
    assert_true(r.closed_median == 1 * H);
    double q = -1.0;
    TU_ST(cxm_survival_quantile(s, 0.5, &q), CXM_EMPTY);
    assert_true(q == -1.0);
    /* 1 - S = 1/4 is reached: the 0.25-quantile exists, the 0.26-quantile does not. */
    TU_OK(cxm_survival_quantile(s, 0.25, &q));
    assert_true(q == 1 * H);
    TU_ST(cxm_survival_quantile(s, 0.26, &q), CXM_EMPTY);
    /* Only open tickets: nothing is resolved, no quantile at all. */
    cxm_survival *o = mk();
    TU_OK(cxm_survival_add(o, 60.0, CXM_SURVIVAL_OPEN));
    r = result(o);
    assert_int_equal(r.median_reached, 0);
    assert_int_equal(r.ci_lower_reached, 0);
    assert_int_equal(r.ci_upper_reached, 0);
    assert_true(r.closed_mean == 0.0 && r.closed_median == 0.0 && r.survival_end == 1.0);
    TU_ST(cxm_survival_quantile(o, 0.1, &q), CXM_EMPTY);
    cxm_survival_free(s);
    cxm_survival_free(o);
}

static void no_censoring_is_the_plain_quantile(void **state)
{
    (void)state;
    /* All resolved: S drops 1/n per ticket; the median is the ceil(n/2)-th smallest. */
    cxm_survival *s = mk();
    cxm_duration *d = NULL;
    TU_OK(cxm_duration_new(NULL, &tu_allocator, &d));
    for (int i = 1; i <= 9; i++) {
        TU_OK(cxm_survival_add(s, i * 600.0, CXM_SURVIVAL_RESOLVED));
        TU_OK(cxm_duration_add(d, i * 600.0));
    }
    /* 9 tickets: S after the 5th = 4/9 <= 0.5; rank floor(0.5 * 8) = 4 is the 5th too. */
    cxm_survival_result r = result(s);
    double med;
    TU_OK(cxm_duration_quantile(d, 0.5, &med));
    assert_true(r.median == med);
    TU_NEAR(r.median, bucket_value(3000.0), 1e-9);
    cxm_survival_free(s);
    cxm_duration_free(d);
}

static void empty_has_no_value(void **state)
{
    (void)state;
    cxm_survival *s = mk();
    cxm_survival_result r = {.size = sizeof r, .median = 5.0};
    TU_ST(cxm_survival_result_get(s, 0.95, &r), CXM_EMPTY);
    assert_int_equal(r.n, 0);
    assert_true(r.median == 0.0 && r.median_reached == 0);
    double q = 3.0;
    TU_ST(cxm_survival_quantile(s, 0.5, &q), CXM_EMPTY);
    assert_true(q == 3.0);
    TU_OK(cxm_survival_add_many(s, NULL, NULL, 0, NULL));
    cxm_survival_free(s);
}

static void bad_input_changes_nothing(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("survival");
    cxm_survival *s = mk();
    TU_OK(cxm_survival_add_many(s, SIX, SIX_STATE, 6, NULL));
    tu_snap snap = tu_snapshot(f, s);
    TU_ST(cxm_survival_add(s, -1.0, CXM_SURVIVAL_RESOLVED), CXM_OUT_OF_RANGE);
    TU_ST(cxm_survival_add(s, NAN, CXM_SURVIVAL_OPEN), CXM_OUT_OF_RANGE);
    TU_ST(cxm_survival_add(s, INFINITY, CXM_SURVIVAL_OPEN), CXM_OUT_OF_RANGE);
    TU_ST(cxm_survival_add(s, 5.0, 0), CXM_OUT_OF_RANGE);
    TU_ST(cxm_survival_add(s, 5.0, 3), CXM_OUT_OF_RANGE);
    TU_ST(cxm_survival_add(NULL, 5.0, 1), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_survival_add_between(s, 100, 99, CXM_SURVIVAL_RESOLVED), CXM_BAD_ORDER);
    TU_ST(cxm_survival_add_between(s, INT64_MIN, INT64_MAX, CXM_SURVIVAL_OPEN), CXM_OUT_OF_RANGE);
    TU_ST(cxm_survival_add_between(s, 0, 10, 7), CXM_OUT_OF_RANGE);
    double v[6];
    uint8_t st[6];
    memcpy(v, SIX, sizeof v);
    memcpy(st, SIX_STATE, sizeof st);
    size_t bad = 99;
    st[4] = 9;
    TU_ST(cxm_survival_add_many(s, v, st, 6, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 4);
    st[4] = CXM_SURVIVAL_OPEN;
    v[5] = -NAN;
    v[3] = -5.0;
    TU_ST(cxm_survival_add_many(s, v, st, 6, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 3);
    TU_ST(cxm_survival_add_many(s, NULL, st, 6, &bad), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_survival_add_many(s, v, NULL, 6, &bad), CXM_INVALID_ARGUMENT);
    tu_assert_same(f, s, snap);
    double q = 0.0;
    TU_ST(cxm_survival_quantile(s, 0.0, &q), CXM_OUT_OF_RANGE);
    TU_ST(cxm_survival_quantile(s, 1.5, &q), CXM_OUT_OF_RANGE);
    TU_ST(cxm_survival_quantile(s, NAN, &q), CXM_OUT_OF_RANGE);
    TU_ST(cxm_survival_quantile(s, 0.5, NULL), CXM_INVALID_ARGUMENT);
    cxm_survival_result r = {.size = 8};
    TU_ST(cxm_survival_result_get(s, 0.95, &r), CXM_INVALID_ARGUMENT);
    r.size = sizeof r;
    TU_ST(cxm_survival_result_get(s, -0.5, &r), CXM_OUT_OF_RANGE);
    TU_ST(cxm_survival_merge(s, NULL), CXM_INVALID_ARGUMENT);
    tu_assert_same(f, s, snap);
    tu_snap_free(snap);
    cxm_survival_free(s);
}

static void timestamps(void **state)
{
    (void)state;
    cxm_survival *s = mk();
    /* Created at t0; one solved 2 h later, one still open at the report 5 h later. */
    const int64_t t0 = 1700000000;
    TU_OK(cxm_survival_add_between(s, t0, t0 + 7200, CXM_SURVIVAL_RESOLVED));
    TU_OK(cxm_survival_add_between(s, t0, t0 + 18000, CXM_SURVIVAL_OPEN));
    cxm_survival_result r = result(s);
    assert_int_equal(r.resolved, 1);
    assert_int_equal(r.open, 1);
    assert_true(r.oldest_open == 18000.0 && r.closed_mean == 7200.0);
    /* S = 1/2 after 2 h: the median is reached there. */
    assert_int_equal(r.median_reached, 1);
    assert_true(r.median == 7200.0);
    cxm_survival_free(s);
}

/*
 * Agreement with an exact Kaplan-Meier estimate computed independently: whole
 * hours 1..64 (each in its own bucket, so ties are handled the same way:
 * resolutions before censorings at equal times), 100,000 tickets, about 40%
 * still open, open tickets younger on average.
 */
static void against_exact_kaplan_meier(void **state)
{
    (void)state;
    enum { N = 100000, T = 64 };
    static uint64_t ev[T + 1], ce[T + 1];
    memset(ev, 0, sizeof ev);
    memset(ce, 0, sizeof ce);
    uint64_t rng = 11;
    cxm_survival *parts[3] = {mk(), mk(), mk()};
    cxm_survival *all = mk();
    for (int i = 0; i < N; i++) {
        int open = tu_rand(&rng) % 5 < 2;
        int hours = open ? 1 + (int)(tu_rand(&rng) % 40) : 1 + (int)(tu_rand(&rng) % T);
        uint32_t st = open ? CXM_SURVIVAL_OPEN : CXM_SURVIVAL_RESOLVED;
        (open ? ce : ev)[hours]++;
        TU_OK(cxm_survival_add(parts[i % 3], hours * H, st));
        TU_OK(cxm_survival_add(all, hours * H, st));
    }
    cxm_survival *m = mk();
    for (int k = 2; k >= 0; k--)
        TU_OK(cxm_survival_merge(m, parts[k]));
    const cxm_family_ops *f = cxm_family_find("survival");
    tu_snap sa = tu_snapshot(f, all);
    tu_assert_same(f, m, sa); /* exact merge */
    tu_snap_free(sa);
    for (int qi = 1; qi <= 19; qi++) {
        double q = qi / 20.0, surv = 1.0, want = -1.0;
        uint64_t at_risk = N;
        for (int t = 1; t <= T && want < 0; t++) {
            if (ev[t] > 0) surv *= 1.0 - (double)ev[t] / (double)at_risk;
            if (ev[t] > 0 && surv <= 1.0 - q + 1e-9) want = t * H;
            at_risk -= ev[t] + ce[t];
        }
        double got = -1.0;
        cxm_status st = cxm_survival_quantile(m, q, &got);
        if (want < 0) {
            assert_int_equal(st, CXM_EMPTY);
        } else {
            TU_OK(st);
            assert_true(fabs(got - want) <= want / 129.0);
        }
    }
    for (int k = 0; k < 3; k++)
        cxm_survival_free(parts[k]);
    cxm_survival_free(m);
    cxm_survival_free(all);
}

static cxm_survival *mk_compact(uint32_t pages);

/* 2^63 resolved tickets and one open: doubling passes 2^64 - 1 and is refused. */
static void merge_to_overflow(cxm_survival *big, cxm_survival *one)
{
    const cxm_family_ops *f = cxm_family_find("survival");
    TU_OK(cxm_survival_add(big, 60.0, CXM_SURVIVAL_RESOLVED));
    TU_OK(cxm_survival_add(one, 60.0, CXM_SURVIVAL_OPEN));
    for (int i = 0; i < 63; i++)
        TU_OK(cxm_survival_merge(big, big)); /* 2^63 resolved */
    TU_OK(cxm_survival_merge(big, one));
    cxm_survival *copy = NULL;
    TU_OK(cxm_survival_clone(big, &tu_allocator, &copy));
    tu_snap s = tu_snapshot(f, big);
    /* 2^63 + 1 resolved and open together; doubling exceeds 2^64 - 1 in total. */
    TU_ST(cxm_survival_merge(big, copy), CXM_OVERFLOW);
    tu_assert_same(f, big, s);
    tu_snap_free(s);
    cxm_survival_result r = result(big);
    assert_true(r.resolved == (uint64_t)1 << 63 && r.open == 1);
    TU_OK(cxm_survival_reset(copy));
    r.size = sizeof r;
    TU_ST(cxm_survival_result_get(copy, 0.0, &r), CXM_EMPTY);
    cxm_survival_free(big);
    cxm_survival_free(one);
    cxm_survival_free(copy);
}

/* In both forms: the compact one with nine pages, eight for the count 2^63, one for the open. */
static void merge_and_overflow(void **state)
{
    (void)state;
    for (int compact = 0; compact < 2; compact++) {
        cxm_survival *big = compact ? mk_compact(9) : mk(), *one = mk();
        merge_to_overflow(big, one);
    }
}

static void placement(void **state)
{
    (void)state;
    size_t need = cxm_survival_footprint();
    assert_true(need <= 41 * 1024);
    unsigned char *mem = test_malloc(need + 16);
    unsigned char *aligned = mem + (16 - (uintptr_t)mem % 16) % 16;
    cxm_survival *s = NULL;
    TU_ST(cxm_survival_init_in(aligned, need - 1, &s), CXM_BUFFER_TOO_SMALL);
    TU_ST(cxm_survival_init_in(aligned + 8, need, &s), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_survival_init_in(aligned, need, NULL), CXM_INVALID_ARGUMENT);
    TU_OK(cxm_survival_init_in(aligned, need, &s));
    TU_OK(cxm_survival_add_many(s, SIX, SIX_STATE, 6, NULL));
    cxm_survival_result r = result(s);
    assert_int_equal(r.median_reached, 1);
    cxm_survival_free(s); /* releases nothing */
    test_free(mem);
    TU_ST(cxm_survival_new(NULL, NULL), CXM_INVALID_ARGUMENT);
    cxm_survival_free(NULL);
}

/* The exact bytes of format version 1, from tests/vectors/survival_v1.hex. */
static void encoding_vector(void **state)
{
    (void)state;
    cxm_survival *s = mk();
    TU_OK(cxm_survival_add(s, 60.0, CXM_SURVIVAL_RESOLVED));
    TU_OK(cxm_survival_add(s, 3600.0, CXM_SURVIVAL_OPEN));
    uint8_t buf[512];
    size_t len = 0;
    TU_ST(cxm_survival_encode(s, buf, 8, &len), CXM_BUFFER_TOO_SMALL);
    /*
     * 12 envelope + two sketches of 80 fixed bytes + runs (1 run count, then
     * skip 1017 = f9 07, length 1, count 1 for 60 s; skip 1393 = f1 0a,
     * length 1, count 1 for 3600 s) + 4 CRC = 12 + 85 + 85 + 4 = 186.
     */
    assert_int_equal(len, 186);
    TU_OK(cxm_survival_encode(s, buf, sizeof buf, &len));
    const uint8_t run60[5] = {1, 0xf9, 0x07, 1, 1}, run3600[5] = {1, 0xf1, 0x0a, 1, 1};
    assert_memory_equal(buf + 12 + 80, run60, 5);
    assert_memory_equal(buf + 12 + 85 + 80, run3600, 5);
    uint8_t want[512];
    size_t wlen = tu_read_vector("survival_v1.hex", want, sizeof want);
    assert_int_equal(wlen, len);
    assert_memory_equal(buf, want, len);
    cxm_survival *back = NULL;
    TU_OK(cxm_survival_decode(want, wlen, &tu_allocator, &back));
    cxm_survival_result a = result(s), b = result(back);
    assert_true(a.n == b.n && a.median == b.median && b.median == 60.0 && b.open == 1);
    /* The committed vector into the compact form (a page per sketch): the same bytes back. */
    cxm_survival *packed = NULL;
    cxm_survival_options o = {sizeof o, 0, 2 * CXM_SURVIVAL_PAGE_BYTES};
    TU_OK(cxm_survival_decode_with(want, wlen, &o, &tu_allocator, &packed));
    TU_OK(cxm_survival_encode(packed, buf, sizeof buf, &len));
    assert_int_equal(len, wlen);
    assert_memory_equal(buf, want, wlen);
    cxm_survival_free(packed);
    cxm_survival_free(back);
    cxm_survival_free(s);
}

static void decode_rejects_hostile_bytes(void **state)
{
    (void)state;
    cxm_survival *s = mk();
    TU_OK(cxm_survival_add(s, 60.0, CXM_SURVIVAL_RESOLVED));
    TU_OK(cxm_survival_add(s, 3600.0, CXM_SURVIVAL_OPEN));
    uint8_t good[512], buf[512];
    size_t len;
    TU_OK(cxm_survival_encode(s, good, sizeof good, &len));
    cxm_survival *d = NULL;
    /* Counts of the open sketch that do not add up to its n. */
    memcpy(buf, good, len);
    buf[12 + 85] = 2;
    tu_fix_crc(buf, len);
    TU_ST(cxm_survival_decode(buf, len, NULL, &d), CXM_BAD_FORMAT);
    /* A bucket index beyond the layout in the resolved sketch (skip 0x3fff). */
    memcpy(buf, good, len);
    buf[12 + 81] = 0xff;
    buf[12 + 82] = 0x7f;
    tu_fix_crc(buf, len);
    TU_ST(cxm_survival_decode(buf, len, NULL, &d), CXM_BAD_FORMAT);
    /* A duration sketch is not a survival accumulator. */
    memcpy(buf, good, len);
    buf[6] = CXM_FAMILY_DURATION;
    tu_fix_crc(buf, len);
    TU_ST(cxm_survival_decode(buf, len, NULL, &d), CXM_WRONG_TYPE);
    TU_ST(cxm_survival_decode(good, len - 1, NULL, &d), CXM_BAD_FORMAT);
    assert_null(d);
    cxm_survival_free(s);
}

/* The closed-only figures and the oldest open age say when they have no data. */
static void parts_without_data_are_flagged(void **state)
{
    (void)state;
    cxm_survival *s = NULL;
    TU_OK(cxm_survival_new(&tu_allocator, &s));
    cxm_survival_result r;
    memset(&r, 0xAB, sizeof r);
    r.size = sizeof r;
    assert_int_equal(cxm_survival_result_get(s, 0, &r), CXM_EMPTY);
    assert_int_equal(r.has_closed, 0);
    assert_int_equal(r.has_oldest_open, 0);

    TU_OK(cxm_survival_add(s, 7200.0, CXM_SURVIVAL_OPEN));
    TU_OK(cxm_survival_result_get(s, 0, &r));
    assert_int_equal(r.has_closed, 0); /* nothing resolved: no closed mean */
    assert_true(r.closed_mean == 0.0);
    assert_int_equal(r.has_oldest_open, 1);
    assert_true(fabs(r.oldest_open - 7200.0) <= 7200.0 / 64);

    cxm_survival_free(s);
    TU_OK(cxm_survival_new(&tu_allocator, &s));
    TU_OK(cxm_survival_add(s, 600.0, CXM_SURVIVAL_RESOLVED));
    TU_OK(cxm_survival_result_get(s, 0, &r));
    assert_int_equal(r.has_closed, 1);
    assert_true(r.closed_mean == 600.0);
    assert_int_equal(r.has_oldest_open, 0); /* nothing open */

#define GET(p) cxm_survival_result_get(s, 0, p)
    TU_FIRST_VERSION_SIZE(cxm_survival_result, has_closed, GET);
#undef GET
    cxm_survival_free(s);
}

/* ---- the compact form ---------------------------------------------------------------- */

static cxm_survival *mk_compact(uint32_t pages)
{
    cxm_survival *s = NULL;
    cxm_survival_options o = {sizeof o, 0, (uint64_t)pages * CXM_SURVIVAL_PAGE_BYTES};
    TU_OK(cxm_survival_new_with(&o, &tu_allocator, &s));
    return s;
}

static size_t free_bytes(const cxm_survival *s)
{
    size_t used = 0, available = 0;
    TU_OK(cxm_survival_memory(s, &used, &available));
    return available;
}

/* Every figure and the encoding of a equal b's. */
static void assert_same_figures(const cxm_survival *a, const cxm_survival *b)
{
    cxm_survival_result ra = {.size = sizeof ra}, rb = {.size = sizeof rb};
    assert_int_equal(cxm_survival_result_get(a, 0.9, &ra), cxm_survival_result_get(b, 0.9, &rb));
    assert_memory_equal(&ra, &rb, sizeof ra);
    for (int i = 1; i <= 100; i++) {
        double x = -1.0, y = -1.0;
        assert_int_equal(cxm_survival_quantile(a, i / 100.0, &x),
                         cxm_survival_quantile(b, i / 100.0, &y));
        assert_true(x == y);
    }
    const cxm_family_ops *f = cxm_family_find("survival");
    tu_snap sb = tu_snapshot(f, b);
    tu_assert_same(f, a, sb);
    tu_snap_free(sb);
}

/*
 * The six tickets of hand_computed_with_censoring, compact: the resolutions
 * at 1, 2, 4 and 6 h fall in four octaves ([2048, 4096) s .. [16384, 32768) s),
 * the open ages 3 and 5 h in two: six pages, each sketch its own. With six
 * pages the pool is full: a resolution at 8 h (an octave the resolutions
 * hold) still goes in, an open age of 1 h (an octave the open ages do not
 * hold) is refused with CXM_CAPACITY and changes nothing, and so is a batch
 * holding it. The figures are the dense form's.
 */
static void compact_hand_computed(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("survival");
    cxm_survival *s = mk_compact(6), *dense = mk();
    assert_int_equal(free_bytes(s), 6 * 64);
    TU_OK(cxm_survival_add_many(s, SIX, SIX_STATE, 6, NULL));
    TU_OK(cxm_survival_add_many(dense, SIX, SIX_STATE, 6, NULL));
    assert_int_equal(free_bytes(s), 0);
    assert_same_figures(s, dense);
    TU_NEAR(result(s).median, 14399.715555555556, 1e-6);
    TU_OK(cxm_survival_add(s, 8 * H, CXM_SURVIVAL_RESOLVED));
    TU_OK(cxm_survival_add(dense, 8 * H, CXM_SURVIVAL_RESOLVED));
    tu_snap before = tu_snapshot(f, s);
    TU_ST(cxm_survival_add(s, 1 * H, CXM_SURVIVAL_OPEN), CXM_CAPACITY);
    tu_assert_same(f, s, before);
    const double two[2] = {5 * H, 1 * H};
    const uint8_t states[2] = {CXM_SURVIVAL_RESOLVED, CXM_SURVIVAL_OPEN};
    TU_ST(cxm_survival_add_many(s, two, states, 2, NULL), CXM_CAPACITY);
    tu_assert_same(f, s, before);
    TU_ST(cxm_survival_add_between(s, 0, 3600, CXM_SURVIVAL_OPEN), CXM_CAPACITY);
    tu_assert_same(f, s, before);
    tu_snap_free(before);
    assert_same_figures(s, dense);
    /* Reset gives every page back. */
    TU_OK(cxm_survival_reset(s));
    assert_int_equal(free_bytes(s), 6 * 64);
    TU_OK(cxm_survival_add(s, 1 * H, CXM_SURVIVAL_OPEN));
    cxm_survival_free(s);
    cxm_survival_free(dense);
}

/*
 * Random tickets (log-normal times, a third open) into both forms through
 * add, add_many and add_between: identical figures and encodings; decode
 * gives the dense form, decode_with the compact one; clone keeps the form;
 * merges across forms (each way, into itself) equal one accumulator fed
 * everything; a compact dst short of pages refuses and stays as it was.
 */
static void compact_equals_dense(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("survival");
    uint64_t rng = 79;
    enum { N = 6000 };
    double *v = test_malloc(N * sizeof *v);
    uint8_t *st = test_malloc(N);
    cxm_survival *all = mk();
    cxm_survival *part[2] = {mk(), mk_compact(624)};
    for (int round = 0; round < 2; round++) {
        cxm_survival *dense = mk(), *packed = mk_compact(624);
        for (size_t i = 0; i < N; i++) {
            double z = sqrt(-2.0 * log((double)(tu_rand(&rng) % 1000000 + 1) / 1e6)) *
                       cos(6.283185307179586 * (double)(tu_rand(&rng) % 1000000) / 1e6);
            v[i] = 3600.0 * exp(1.5 * z);
            st[i] = tu_rand(&rng) % 3 == 0 ? CXM_SURVIVAL_OPEN : CXM_SURVIVAL_RESOLVED;
        }
        for (size_t i = 0; i < N / 2; i++) {
            TU_OK(cxm_survival_add(dense, v[i], st[i]));
            TU_OK(cxm_survival_add(packed, v[i], st[i]));
        }
        TU_OK(cxm_survival_add_many(dense, v + N / 2, st + N / 2, N - N / 2, NULL));
        TU_OK(cxm_survival_add_many(packed, v + N / 2, st + N / 2, N - N / 2, NULL));
        TU_OK(cxm_survival_add_between(dense, 1700000000, 1700090000, CXM_SURVIVAL_OPEN));
        TU_OK(cxm_survival_add_between(packed, 1700000000, 1700090000, CXM_SURVIVAL_OPEN));
        assert_same_figures(packed, dense);
        size_t used = 0, available = 0;
        TU_OK(cxm_survival_memory(packed, &used, &available));
        cxm_survival_options o = {sizeof o, 0, 624 * CXM_SURVIVAL_PAGE_BYTES};
        assert_int_equal(used + available, cxm_survival_footprint_with(&o));
        assert_true(used < cxm_survival_footprint() / 4);

        tu_snap s = tu_snapshot(f, packed);
        cxm_survival *back = NULL, *back_packed = NULL, *copy = NULL;
        TU_OK(cxm_survival_decode(s.bytes, s.len, &tu_allocator, &back));
        TU_OK(cxm_survival_memory(back, &used, &available));
        assert_int_equal(used, cxm_survival_footprint());
        assert_same_figures(back, dense);
        TU_OK(cxm_survival_decode_with(s.bytes, s.len, &o, &tu_allocator, &back_packed));
        assert_int_equal(free_bytes(back_packed), free_bytes(packed));
        assert_same_figures(back_packed, dense);
        o.memory_budget = 68;
        cxm_survival *none = NULL;
        TU_ST(cxm_survival_decode_with(s.bytes, s.len, &o, &tu_allocator, &none), CXM_CAPACITY);
        assert_null(none);
        TU_OK(cxm_survival_clone(packed, &tu_allocator, &copy));
        assert_int_equal(free_bytes(copy), free_bytes(packed));
        assert_same_figures(copy, dense);
        tu_snap_free(s);
        /* Parts of both forms, merged into both forms. */
        TU_OK(cxm_survival_merge(all, dense));
        TU_OK(cxm_survival_merge(part[round], packed));
        cxm_survival *objs[] = {dense, packed, back, back_packed, copy};
        for (size_t k = 0; k < sizeof objs / sizeof objs[0]; k++)
            cxm_survival_free(objs[k]);
    }
    cxm_survival *a = mk_compact(624), *b = mk();
    TU_OK(cxm_survival_merge(a, part[0]));
    TU_OK(cxm_survival_merge(a, part[1]));
    TU_OK(cxm_survival_merge(b, part[1]));
    TU_OK(cxm_survival_merge(b, part[0]));
    assert_same_figures(a, all);
    assert_same_figures(b, all);
    TU_OK(cxm_survival_merge(a, a));
    TU_OK(cxm_survival_merge(all, all));
    assert_same_figures(a, all);
    /* Too few pages: refused whatever the source's form, dst unchanged. */
    cxm_survival *small = mk_compact(3);
    TU_OK(cxm_survival_add(small, 60.0, CXM_SURVIVAL_OPEN));
    tu_snap s = tu_snapshot(f, small);
    TU_ST(cxm_survival_merge(small, part[0]), CXM_CAPACITY);
    tu_assert_same(f, small, s);
    TU_ST(cxm_survival_merge(small, part[1]), CXM_CAPACITY);
    tu_assert_same(f, small, s);
    assert_int_equal(free_bytes(small), 2 * 64);
    tu_snap_free(s);
    cxm_survival *objs[] = {all, part[0], part[1], a, b, small};
    for (size_t k = 0; k < sizeof objs / sizeof objs[0]; k++)
        cxm_survival_free(objs[k]);
    test_free(v);
    test_free(st);
}

/* Budgets from one page to 624 (both sketches' worst case); the footprint formula; placement. */
static void compact_creation_rules(void **state)
{
    (void)state;
    cxm_survival *s = NULL;
    cxm_survival_options o = {sizeof o, 0, CXM_SURVIVAL_PAGE_BYTES - 1};
    TU_ST(cxm_survival_new_with(&o, &tu_allocator, &s), CXM_INVALID_ARGUMENT);
    assert_int_equal(cxm_survival_footprint_with(&o), 0);
    o.memory_budget = CXM_SURVIVAL_MAX_MEMORY + 1;
    TU_ST(cxm_survival_new_with(&o, &tu_allocator, &s), CXM_INVALID_ARGUMENT);
    o.reserved = 1;
    o.memory_budget = 0;
    TU_ST(cxm_survival_new_with(&o, &tu_allocator, &s), CXM_INVALID_ARGUMENT);
    o.reserved = 0;
    assert_int_equal(cxm_survival_max_memory(), 624u * 68u);
    assert_int_equal(cxm_survival_page_bytes(), 68u);
    assert_int_equal(cxm_survival_footprint_with(NULL), cxm_survival_footprint());
    assert_int_equal(cxm_survival_footprint_with(&o), cxm_survival_footprint());
    if (sizeof(void *) == 8) {
        for (uint32_t p = 1; p <= 624; p += 7) {
            o.memory_budget = (uint64_t)p * 68u + 67u * (p < 624);
            size_t want = 576 + 64 * ((16 + 4 * (size_t)p + 63) / 64) + 64 * (size_t)p;
            assert_int_equal(cxm_survival_footprint_with(&o), want);
        }
        o.memory_budget = 56 * 68;
        assert_int_equal(cxm_survival_footprint_with(&o), 4416);
    }
    o.memory_budget = 4 * 68;
    size_t need = cxm_survival_footprint_with(&o);
    unsigned char *mem = test_malloc(need + 16);
    unsigned char *aligned = mem + (16 - (uintptr_t)mem % 16) % 16;
    TU_ST(cxm_survival_init_in_with(aligned, need - 1, &o, &s), CXM_BUFFER_TOO_SMALL);
    TU_ST(cxm_survival_init_in_with(aligned + 8, need, &o, &s), CXM_INVALID_ARGUMENT);
    TU_OK(cxm_survival_init_in_with(aligned, need, &o, &s));
    size_t used = 0, available = 0;
    TU_OK(cxm_survival_memory(s, &used, &available));
    assert_int_equal(available, 4 * 64);
    assert_int_equal(used, need - 4 * 64);
    TU_OK(cxm_survival_add_many(s, SIX, SIX_STATE, 4, NULL));
    cxm_survival_free(s); /* releases nothing */
    test_free(mem);
    TU_ST(cxm_survival_memory(NULL, &used, &available), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_survival_new_with(&o, &tu_allocator, NULL), CXM_INVALID_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parts_without_data_are_flagged),
        cmocka_unit_test(hand_computed_with_censoring),
        cmocka_unit_test(median_not_reached),
        cmocka_unit_test(no_censoring_is_the_plain_quantile),
        cmocka_unit_test(empty_has_no_value),
        cmocka_unit_test(bad_input_changes_nothing),
        cmocka_unit_test(timestamps),
        cmocka_unit_test(against_exact_kaplan_meier),
        cmocka_unit_test(merge_and_overflow),
        cmocka_unit_test(placement),
        cmocka_unit_test(encoding_vector),
        cmocka_unit_test(decode_rejects_hostile_bytes),
        cmocka_unit_test(compact_hand_computed),
        cmocka_unit_test(compact_equals_dense),
        cmocka_unit_test(compact_creation_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
