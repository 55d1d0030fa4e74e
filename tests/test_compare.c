/*
 * test_compare.c — period-over-period comparisons: Welch's t for two means,
 * the pooled two-proportion z test with Newcombe's interval, SLA and churn
 * through the same test, and the duration sketch's share within a
 * threshold and distribution-free median intervals. Reference values are
 * worked by hand below and were checked against scipy.stats
 * (ttest_ind(equal_var=False), t.ppf, norm.sf, binom.cdf).
 */
#include <math.h>

#include "testutil.h"

static cxm_csat *csat_of(const uint8_t *s, size_t n)
{
    cxm_csat *c = NULL;
    TU_OK(cxm_csat_new(NULL, &tu_allocator, &c));
    TU_OK(cxm_csat_add_many(c, s, n, NULL));
    return c;
}

static cxm_comparison fresh(void)
{
    cxm_comparison r;
    memset(&r, 0xA5, sizeof r); /* every field must be written */
    r.size = sizeof r;
    return r;
}

/*
 * A = {5, 5, 4, 4, 3}: mean 4.2, squared deviations .64 .64 .04 .04 1.44 = 2.8,
 * variance 2.8 / 4 = 0.7. B = {3, 3, 2, 4}: mean 3, squared deviations
 * 0 0 1 1 = 2, variance 2/3. vA = 0.7 / 5 = 0.14, vB = (2/3) / 4 = 1/6,
 * se = sqrt(0.306667) = 0.553775, t = 1.2 / 0.553775 = 2.166945,
 * df = 0.306667^2 / (0.14^2 / 4 + (1/6)^2 / 3) = 6.641904,
 * p = 2 P(T_6.64 > 2.1669) = 0.069000 (scipy: 0.0690003928843064),
 * interval 1.2 +- t(0.975, 6.6419) 0.553775 = [-0.123918, 2.523918].
 */
static void welch_hand_computed(void **state)
{
    (void)state;
    static const uint8_t A[] = {5, 5, 4, 4, 3}, B[] = {3, 3, 2, 4};
    cxm_csat *a = csat_of(A, 5), *b = csat_of(B, 4);
    cxm_comparison r = fresh();
    TU_OK(cxm_csat_compare_mean(a, b, 0.95, &r));
    assert_int_equal(r.test, CXM_TEST_WELCH);
    assert_int_equal(r.reserved, 0);
    assert_int_equal(r.n_a, 5);
    assert_int_equal(r.n_b, 4);
    TU_NEAR(r.value_a, 4.2, 1e-12);
    TU_NEAR(r.value_b, 3.0, 1e-12);
    TU_NEAR(r.diff, 1.2, 1e-12);
    TU_NEAR(r.se, 0.553774924194538, 1e-12);
    TU_NEAR(r.statistic, 2.16694535554385, 1e-10);
    TU_NEAR(r.df, 6.64190426366728, 1e-10);
    TU_NEAR(r.p, 0.0690003928843064, 1e-9);
    TU_NEAR(r.ci.lower, -0.1239182702093975, 1e-8);
    TU_NEAR(r.ci.upper, 2.523918270209397, 1e-8);
    assert_int_equal(r.significant, 0); /* p = 0.069 > 0.05 */
    TU_NEAR(r.ci.level, 0.95, 0);
    /* At 90% the same change is significant (p < 0.10). */
    TU_OK(cxm_csat_compare_mean(a, b, 0.90, &r));
    assert_int_equal(r.significant, 1);
    assert_true(r.ci.lower > 0.0);
    /* B against A: the mirror image. */
    TU_OK(cxm_csat_compare_mean(b, a, 0.95, &r));
    TU_NEAR(r.diff, -1.2, 1e-12);
    TU_NEAR(r.p, 0.0690003928843064, 1e-9);
    TU_NEAR(r.ci.upper, 0.1239182702093975, 1e-8);
    cxm_csat_free(a);
    cxm_csat_free(b);
}

/*
 * CSAT satisfied share (1-5, satisfied = 4-5): A has 3 of 5 (60%), B 1 of 4
 * (25%); the comparison is in percentage points: diff = 35.
 */
static void csat_satisfied_in_points(void **state)
{
    (void)state;
    static const uint8_t A[] = {5, 5, 4, 2, 3}, B[] = {3, 3, 2, 4};
    cxm_csat *a = csat_of(A, 5), *b = csat_of(B, 4);
    cxm_comparison r = fresh();
    TU_OK(cxm_csat_compare_satisfied(a, b, 0, &r));
    assert_int_equal(r.test, CXM_TEST_PROPORTIONS);
    TU_NEAR(r.value_a, 60.0, 1e-12);
    TU_NEAR(r.value_b, 25.0, 1e-12);
    TU_NEAR(r.diff, 35.0, 1e-12);
    /* pbar = 4/9: se = sqrt(4/9 * 5/9 * (1/5 + 1/4)) = 0.333333 -> 33.3333 points */
    TU_NEAR(r.se, 100.0 / 3.0, 1e-9);
    TU_NEAR(r.statistic, 0.35 / (1.0 / 3.0), 1e-12);
    assert_true(r.ci.lower <= r.diff && r.diff <= r.ci.upper);
    assert_true(r.ci.lower >= -100.0 && r.ci.upper <= 100.0);
    cxm_csat_free(a);
    cxm_csat_free(b);
}

static cxm_rate *rate_of(uint64_t k, uint64_t n)
{
    cxm_rate *r = NULL;
    TU_OK(cxm_rate_new(CXM_RATE_FCR, 0, &tu_allocator, &r));
    TU_OK(cxm_rate_add_counts(r, k, n));
    return r;
}

/*
 * FCR 45/60 (0.75) against 30/60 (0.5): pbar = 75/120 = 0.625,
 * se = sqrt(0.625 * 0.375 * (2/60)) = 0.0883883, z = 0.25 / 0.0883883 =
 * 2.828427 (= 2 sqrt 2), p = erfc(2 / 1) = 0.004677735. Newcombe: Wilson
 * 45/60 = [0.627646, 0.842175] and 30/60 = [0.376380, 0.623620], so
 * lower = 0.25 - sqrt(0.122354^2 + 0.123620^2) = 0.0767796 and
 * upper = 0.25 + sqrt(0.092175^2 + 0.123620^2) = 0.4034608.
 */
static void proportions_hand_computed(void **state)
{
    (void)state;
    cxm_rate *a = rate_of(45, 60), *b = rate_of(30, 60);
    cxm_comparison r = fresh();
    TU_OK(cxm_rate_compare(a, b, 0.95, &r));
    assert_int_equal(r.test, CXM_TEST_PROPORTIONS);
    TU_NEAR(r.value_a, 0.75, 1e-15);
    TU_NEAR(r.value_b, 0.5, 1e-15);
    TU_NEAR(r.diff, 0.25, 1e-15);
    TU_NEAR(r.se, 0.0883883476483184, 1e-14);
    TU_NEAR(r.statistic, 2.82842712474619, 1e-12);
    TU_NEAR(r.df, 0.0, 0);
    TU_NEAR(r.p, 0.00467773498104727, 1e-12);
    TU_NEAR(r.ci.lower, 0.0767795714342465, 1e-9);
    TU_NEAR(r.ci.upper, 0.403460798575329, 1e-9);
    assert_int_equal(r.significant, 1);
    cxm_rate_free(a);
    cxm_rate_free(b);

    /* All against none, 10 trials each: the interval reaches 1 exactly. */
    a = rate_of(10, 10);
    b = rate_of(0, 10);
    TU_OK(cxm_rate_compare(a, b, 0.95, &r));
    TU_NEAR(r.diff, 1.0, 0);
    TU_NEAR(r.p, 7.74421643104407e-06, 1e-15);
    TU_NEAR(r.ci.lower, 0.607509350430524, 1e-9);
    TU_NEAR(r.ci.upper, 1.0, 0);
    cxm_rate_free(a);
    cxm_rate_free(b);

    /* Both unanimous and equal: se = 0, no change, p = 1, never NaN. */
    a = rate_of(0, 5);
    b = rate_of(0, 7);
    TU_OK(cxm_rate_compare(a, b, 0.95, &r));
    TU_NEAR(r.se, 0.0, 0);
    TU_NEAR(r.statistic, 0.0, 0);
    TU_NEAR(r.p, 1.0, 0);
    assert_int_equal(r.significant, 0);
    TU_NEAR(r.ci.lower, -0.354330435066687, 1e-9);
    TU_NEAR(r.ci.upper, 0.434482464783175, 1e-9);
    cxm_rate_free(a);
    cxm_rate_free(b);
}

/* Constant samples: se = 0; equal means give t = 0, p = 1; different ones t = +inf, p = 0. */
static void welch_constant_samples(void **state)
{
    (void)state;
    static const uint8_t FOURS[] = {4, 4, 4}, FIVES[] = {5, 5}, ONE[] = {5};
    cxm_csat *a = csat_of(FOURS, 3), *b = csat_of(FOURS, 2), *c = csat_of(FIVES, 2),
             *d = csat_of(ONE, 1);
    cxm_comparison r = fresh();
    TU_OK(cxm_csat_compare_mean(a, b, 0, &r));
    TU_NEAR(r.statistic, 0.0, 0);
    TU_NEAR(r.p, 1.0, 0);
    TU_NEAR(r.df, 3.0, 0);
    TU_OK(cxm_csat_compare_mean(c, a, 0, &r));
    assert_true(isinf(r.statistic) && r.statistic > 0);
    TU_NEAR(r.p, 0.0, 0);
    assert_int_equal(r.significant, 1);
    TU_NEAR(r.ci.lower, 1.0, 0);
    TU_NEAR(r.ci.upper, 1.0, 0);
    /* One answer has no spread: no test, but the sizes are filled in. */
    r = fresh();
    TU_ST(cxm_csat_compare_mean(d, a, 0, &r), CXM_EMPTY);
    assert_int_equal(r.n_a, 1);
    assert_int_equal(r.n_b, 3);
    cxm_csat_free(a);
    cxm_csat_free(b);
    cxm_csat_free(c);
    cxm_csat_free(d);
}

/* CES: mean and easy share, and a different direction is another question. */
static void ces_mean_and_easy(void **state)
{
    (void)state;
    static const uint8_t A[] = {7, 6, 6, 5, 7, 2}, B[] = {3, 4, 5, 6, 2, 1};
    cxm_ces *a = NULL, *b = NULL, *low = NULL;
    TU_OK(cxm_ces_new(NULL, &tu_allocator, &a));
    TU_OK(cxm_ces_new(NULL, &tu_allocator, &b));
    TU_OK(cxm_ces_add_many(a, A, 6, NULL));
    TU_OK(cxm_ces_add_many(b, B, 6, NULL));
    cxm_comparison r = fresh();
    /* A: mean 33/6 = 5.5; B: mean 21/6 = 3.5. */
    TU_OK(cxm_ces_compare_mean(a, b, 0, &r));
    TU_NEAR(r.diff, 2.0, 1e-12);
    /* Easy (>= 5 on 1-7): A 5 of 6, B 2 of 6 -> 50 points. */
    TU_OK(cxm_ces_compare_easy(a, b, 0, &r));
    TU_NEAR(r.diff, 50.0, 1e-9);
    cxm_ces_options o = {.size = sizeof o, .direction = CXM_CES_HIGHER_IS_EFFORT};
    TU_OK(cxm_ces_new(&o, &tu_allocator, &low));
    TU_OK(cxm_ces_add(low, 2));
    TU_OK(cxm_ces_add(low, 3));
    TU_ST(cxm_ces_compare_mean(a, low, 0, &r), CXM_KIND_MISMATCH);
    TU_ST(cxm_ces_compare_easy(a, low, 0, &r), CXM_KIND_MISMATCH);
    cxm_ces_free(a);
    cxm_ces_free(b);
    cxm_ces_free(low);
}

static void refusals(void **state)
{
    (void)state;
    static const uint8_t A[] = {5, 4, 3};
    cxm_csat *a = csat_of(A, 3), *ten = NULL;
    cxm_csat_options o = {.size = sizeof o, .scale_min = 1, .scale_max = 10};
    TU_OK(cxm_csat_new(&o, &tu_allocator, &ten));
    TU_OK(cxm_csat_add(ten, 5));
    TU_OK(cxm_csat_add(ten, 6));
    cxm_comparison r = fresh();
    TU_ST(cxm_csat_compare_mean(a, ten, 0, &r), CXM_KIND_MISMATCH);
    TU_ST(cxm_csat_compare_mean(NULL, a, 0, &r), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_csat_compare_mean(a, a, 0, NULL), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_csat_compare_mean(a, a, 1.5, &r), CXM_OUT_OF_RANGE);
    r.size = 8;
    TU_ST(cxm_csat_compare_mean(a, a, 0, &r), CXM_INVALID_ARGUMENT);
    cxm_rate *fcr = rate_of(1, 2), *reopen = NULL;
    TU_OK(cxm_rate_new(CXM_RATE_REOPEN, 0, &tu_allocator, &reopen));
    TU_OK(cxm_rate_add_counts(reopen, 1, 2));
    r = fresh();
    TU_ST(cxm_rate_compare(fcr, reopen, 0, &r), CXM_KIND_MISMATCH);
    cxm_rate *none = rate_of(0, 0);
    TU_ST(cxm_rate_compare(fcr, none, 0, &r), CXM_EMPTY);
    assert_int_equal(r.n_a, 2);
    assert_int_equal(r.n_b, 0);
    cxm_csat_free(a);
    cxm_csat_free(ten);
    cxm_rate_free(fcr);
    cxm_rate_free(reopen);
    cxm_rate_free(none);
}

/* SLA: first reply compliance of priority 1, 18 of 20 against 12 of 20 (in points). */
static void sla_compliance(void **state)
{
    (void)state;
    cxm_sla *a = NULL, *b = NULL, *other = NULL;
    TU_OK(cxm_sla_new(4, &tu_allocator, &a));
    TU_OK(cxm_sla_new(4, &tu_allocator, &b));
    TU_OK(cxm_sla_new(3, &tu_allocator, &other));
    for (int i = 0; i < 20; i++) {
        TU_OK(cxm_sla_add(a, 1, CXM_SLA_FIRST_REPLY, i < 18 ? CXM_SLA_ACHIEVED : CXM_SLA_BREACHED,
                          i < 18 ? 0 : 60));
        TU_OK(cxm_sla_add(b, 1, CXM_SLA_FIRST_REPLY, i < 12 ? CXM_SLA_ACHIEVED : CXM_SLA_BREACHED,
                          i < 12 ? 0 : 60));
    }
    /* A running target is not a trial. */
    TU_OK(cxm_sla_add(a, 1, CXM_SLA_FIRST_REPLY, CXM_SLA_RUNNING, 0));
    cxm_comparison r = fresh();
    TU_OK(cxm_sla_compare(a, b, 1, CXM_SLA_FIRST_REPLY, 0, &r));
    assert_int_equal(r.n_a, 20);
    TU_NEAR(r.value_a, 90.0, 1e-12);
    TU_NEAR(r.value_b, 60.0, 1e-12);
    TU_NEAR(r.diff, 30.0, 1e-12);
    /* pbar = 0.75: se = sqrt(0.75 * 0.25 * 0.1) = 0.136931 -> z = 0.3 / 0.136931 = 2.19089 */
    TU_NEAR(r.statistic, 2.1908902300206643, 1e-12);
    assert_int_equal(r.significant, 1);
    TU_ST(cxm_sla_compare(a, other, 1, CXM_SLA_FIRST_REPLY, 0, &r), CXM_KIND_MISMATCH);
    TU_ST(cxm_sla_compare(a, b, 9, CXM_SLA_FIRST_REPLY, 0, &r), CXM_CAPACITY);
    TU_ST(cxm_sla_compare(a, b, 2, CXM_SLA_FIRST_REPLY, 0, &r), CXM_EMPTY);
    cxm_sla_free(a);
    cxm_sla_free(b);
    cxm_sla_free(other);
}

/* Churn: 50 lost of 1000 against 80 of 1000; renewals 90 of 100 against 70 of 100. */
static void churn_rates(void **state)
{
    (void)state;
    cxm_churn *a = NULL, *b = NULL;
    TU_OK(cxm_churn_new(202610, &tu_allocator, &a));
    TU_OK(cxm_churn_new(202611, &tu_allocator, &b));
    cxm_churn_counts ca = {
        .size = sizeof ca, .customers_start = 1000, .lost = 50, .due = 100, .renewed = 90};
    cxm_churn_counts cb = {
        .size = sizeof cb, .customers_start = 1000, .lost = 80, .due = 100, .renewed = 70};
    TU_OK(cxm_churn_add_counts(a, &ca));
    TU_OK(cxm_churn_add_counts(b, &cb));
    cxm_comparison r = fresh();
    TU_OK(cxm_churn_compare_churn(a, b, 0, &r));
    TU_NEAR(r.diff, -0.03, 1e-15);
    /* pbar = 0.065: se = sqrt(0.065 * 0.935 * 0.002) = 0.0110250 -> z = -2.72109 */
    TU_NEAR(r.statistic, -0.03 / sqrt(0.065 * 0.935 * 0.002), 1e-9);
    assert_int_equal(r.significant, 1);
    TU_OK(cxm_churn_compare_renewal(a, b, 0, &r));
    TU_NEAR(r.diff, 0.2, 1e-15);
    assert_int_equal(r.n_a, 100);
    cxm_churn_free(a);
    cxm_churn_free(b);
}

static cxm_duration *dur_of(const double *v, size_t n)
{
    cxm_duration *d = NULL;
    TU_OK(cxm_duration_new(NULL, &tu_allocator, &d));
    TU_OK(cxm_duration_add_many(d, v, n, NULL));
    return d;
}

/*
 * 10, 20, 30, 40 s. In the octave [16, 32) buckets are 16/64 = 0.25 s wide,
 * so 20 lies in [20, 20.25). Threshold 25 cuts no bucket holding data: 2
 * of 4 exactly. Threshold 20.1 cuts [20, 20.25): 1 surely, 2 possibly,
 * estimate 1 + (20.1 - 20) / 0.25 = 1.4.
 */
static void share_within_hand_computed(void **state)
{
    (void)state;
    static const double V[] = {10, 20, 30, 40};
    cxm_duration *d = dur_of(V, 4);
    cxm_duration_share s = {.size = sizeof s};
    TU_OK(cxm_duration_share_within(d, 25.0, 0, &s));
    assert_int_equal(s.n, 4);
    assert_int_equal(s.within_low, 2);
    assert_int_equal(s.within_high, 2);
    TU_NEAR(s.within, 2.0, 0);
    TU_NEAR(s.share, 0.5, 0);
    /* With no sketch error the interval is the Wilson interval of 2/4. */
    cxm_interval w;
    TU_OK(cxm_wilson_interval(2, 4, 0, &w));
    TU_NEAR(s.ci.lower, w.lower, 1e-15);
    TU_NEAR(s.ci.upper, w.upper, 1e-15);
    TU_OK(cxm_duration_share_within(d, 20.1, 0, &s));
    assert_int_equal(s.within_low, 1);
    assert_int_equal(s.within_high, 2);
    TU_NEAR(s.within, 1.4, 1e-12);
    TU_NEAR(s.share, 0.35, 1e-12);
    cxm_interval w1, w2;
    TU_OK(cxm_wilson_interval(1, 4, 0, &w1));
    TU_OK(cxm_wilson_interval(2, 4, 0, &w2));
    TU_NEAR(s.ci.lower, w1.lower, 1e-15);
    TU_NEAR(s.ci.upper, w2.upper, 1e-15);
    /* At and beyond the extremes the count is exact. */
    TU_OK(cxm_duration_share_within(d, 40.0, 0, &s));
    assert_int_equal(s.within_low, 4);
    TU_OK(cxm_duration_share_within(d, 9.999, 0, &s));
    assert_int_equal(s.within_high, 0);
    TU_ST(cxm_duration_share_within(d, -1.0, 0, &s), CXM_OUT_OF_RANGE);
    TU_ST(cxm_duration_share_within(d, NAN, 0, &s), CXM_OUT_OF_RANGE);
    cxm_duration *e = dur_of(V, 0);
    TU_ST(cxm_duration_share_within(e, 1.0, 0, &s), CXM_EMPTY);
    assert_int_equal(s.n, 0);
    cxm_duration_free(d);
    cxm_duration_free(e);
}

/* A small deterministic generator, so every run sees the same data. */
static uint64_t rng = 0x9E3779B97F4A7C15u;
static double uniform(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
}

/* Against the exact count of random log-normal durations: low <= exact <= high. */
static void share_within_bounds_exact_count(void **state)
{
    (void)state;
    enum { N = 20000 };
    static double v[N];
    for (size_t i = 0; i < N; i++)
        v[i] = exp(8.0 + 1.5 * sqrt(-2.0 * log(uniform())) * cos(6.283185307179586 * uniform()));
    cxm_duration *d = dur_of(v, N);
    for (int k = 0; k < 200; k++) {
        double t = exp(4.0 + 9.0 * uniform());
        uint64_t exact = 0;
        for (size_t i = 0; i < N; i++)
            exact += v[i] <= t;
        cxm_duration_share s = {.size = sizeof s};
        TU_OK(cxm_duration_share_within(d, t, 0, &s));
        assert_true(s.within_low <= exact && exact <= s.within_high);
        assert_true(s.within >= (double)s.within_low && s.within <= (double)s.within_high);
        /* Only one bucket is uncertain: at most a few percent of the data near t. */
        assert_true(s.within_high - s.within_low < N / 50);
        assert_true(s.ci.lower <= s.share && s.share <= s.ci.upper);
    }
    cxm_duration_free(d);
}

/*
 * The roll-up's times give the same share as a duration accumulator fed
 * the same durations: 300 tickets on two channels, first replies random.
 */
static void rollup_share_within_equals_duration(void **state)
{
    (void)state;
    cxm_rollup_options o = {.size = sizeof o, .channels = 2};
    cxm_rollup *r = NULL;
    TU_OK(cxm_rollup_new(CXM_FCR_ZENDESK, &o, &tu_allocator, &r));
    cxm_duration *email = NULL;
    TU_OK(cxm_duration_new(NULL, &tu_allocator, &email));
    for (int i = 0; i < 300; i++) {
        int64_t reply = 1 + (int64_t)(7200.0 * uniform());
        cxm_ticket t = {.size = sizeof t,
                        .created = 1700000000 + i,
                        .priority = 2,
                        .channel = (uint32_t)(i % 2),
                        .topic = CXM_ROLLUP_NONE,
                        .agent = CXM_ROLLUP_NONE};
        t.first_reply = t.created + reply;
        TU_OK(cxm_rollup_add(r, &t, NULL));
        if (i % 2 == 0) TU_OK(cxm_duration_add(email, (double)reply));
    }
    cxm_duration_share a = {.size = sizeof a}, b = {.size = sizeof b};
    TU_OK(cxm_rollup_share_within(r, CXM_ROLLUP_CHANNEL, 0, CXM_ROLLUP_FIRST_REPLY, 3600.0, 0, &a));
    TU_OK(cxm_duration_share_within(email, 3600.0, 0, &b));
    assert_int_equal(a.n, 150);
    assert_memory_equal(&a, &b, sizeof a);
    TU_ST(cxm_rollup_share_within(r, CXM_ROLLUP_CHANNEL, 2, CXM_ROLLUP_FIRST_REPLY, 3600.0, 0, &a),
          CXM_CAPACITY);
    TU_ST(cxm_rollup_share_within(r, CXM_ROLLUP_CHANNEL, 0, CXM_ROLLUP_FIRST_REPLY, -1.0, 0, &a),
          CXM_OUT_OF_RANGE);
    cxm_rollup_free(r);
    cxm_duration_free(email);
}

/*
 * 1, 2, ..., 100 s: at 0.95, j = 40 (P(B <= 39) = 0.0176 <= 0.025 <
 * P(B <= 40) = 0.0284), so the interval runs from the 40th to the 61st
 * value: 40 s (its bucket [40, 40.5) starts there) to the top of 61's
 * bucket [61, 61.5).
 */
static void median_interval_hand_computed(void **state)
{
    (void)state;
    double v[100];
    for (int i = 0; i < 100; i++)
        v[i] = i + 1;
    cxm_duration *d = dur_of(v, 100);
    cxm_interval ci;
    TU_OK(cxm_duration_median_interval(d, 0.95, &ci));
    TU_NEAR(ci.lower, 40.0, 0);
    TU_NEAR(ci.upper, 61.5, 0);
    TU_NEAR(ci.level, 0.95, 0);
    cxm_duration_free(d);
    /* Five values cannot bound a median at 95% (P(B = 0) = 1/32 > 0.025); six can. */
    d = dur_of(v, 5);
    TU_OK(cxm_duration_median_interval(d, 0.95, &ci));
    TU_NEAR(ci.lower, 0.0, 0);
    TU_NEAR(ci.upper, CXM_DURATION_MAX, 0);
    cxm_duration_free(d);
    d = dur_of(v, 6);
    TU_OK(cxm_duration_median_interval(d, 0.95, &ci));
    TU_NEAR(ci.lower, 1.0, 0); /* rank 0: the exact min */
    TU_NEAR(ci.upper, 6.0, 0); /* rank 5: the exact max */
    cxm_duration_free(d);
    d = dur_of(v, 0);
    TU_ST(cxm_duration_median_interval(d, 0.95, &ci), CXM_EMPTY);
    cxm_duration_free(d);
}

/*
 * Coverage: 1000 samples of 40 exponential durations (median 3600 ln 2 s);
 * the 95% interval must cover the true median at least ~95% of the time
 * (the binomial construction gives >= 95.6% at n = 40). Seeded: the same
 * data every run.
 */
static void median_interval_covers(void **state)
{
    (void)state;
    const double median = 3600.0 * log(2.0);
    int covered = 0;
    for (int k = 0; k < 1000; k++) {
        double v[40];
        for (int i = 0; i < 40; i++)
            v[i] = -3600.0 * log(uniform());
        cxm_duration *d = dur_of(v, 40);
        cxm_interval ci;
        TU_OK(cxm_duration_median_interval(d, 0.95, &ci));
        covered += ci.lower <= median && median <= ci.upper;
        cxm_duration_free(d);
    }
    assert_true(covered >= 940);
}

static void median_comparison(void **state)
{
    (void)state;
    double va[100], vb[100];
    for (int i = 0; i < 100; i++) {
        va[i] = i + 1;
        vb[i] = i + 201;
    }
    cxm_duration *a = dur_of(va, 100), *b = dur_of(vb, 100), *c = dur_of(va, 100);
    cxm_duration_median_comparison r = {.size = sizeof r};
    TU_OK(cxm_duration_compare_median(a, b, 0.95, &r));
    assert_int_equal(r.n_a, 100);
    TU_NEAR(r.median_a, 50.0, 50.0 / 129);
    TU_NEAR(r.median_b, 250.0, 250.0 / 129);
    TU_NEAR(r.diff, r.median_a - r.median_b, 0);
    assert_true(r.ci.lower <= r.diff && r.diff <= r.ci.upper);
    assert_true(r.ci.upper < 0.0);
    assert_int_equal(r.significant, 1);
    TU_NEAR(r.ci_a.level, sqrt(0.95), 1e-15);
    TU_NEAR(r.ci.lower, r.ci_a.lower - r.ci_b.upper, 0);
    /* The same data: no change detected. */
    TU_OK(cxm_duration_compare_median(a, c, 0.95, &r));
    assert_int_equal(r.significant, 0);
    TU_NEAR(r.diff, 0.0, 0);
    /* Different metrics answer different questions. */
    cxm_duration *fr = NULL;
    cxm_duration_options o = {.size = sizeof o, .metric = CXM_DURATION_FIRST_REPLY};
    TU_OK(cxm_duration_new(&o, &tu_allocator, &fr));
    TU_OK(cxm_duration_add(fr, 5.0));
    TU_ST(cxm_duration_compare_median(a, fr, 0.95, &r), CXM_KIND_MISMATCH);
    cxm_duration *e = dur_of(va, 0);
    TU_ST(cxm_duration_compare_median(a, e, 0.95, &r), CXM_EMPTY);
    cxm_duration_free(a);
    cxm_duration_free(b);
    cxm_duration_free(c);
    cxm_duration_free(fr);
    cxm_duration_free(e);
}

/*
 * Welch at large samples: 5000 random CSAT answers per side, identical
 * distributions. Over 200 such pairs the 95% test must reject about 5% of
 * the time (binomial 10 +- 3; bound 25), and the p-values must be uniform
 * enough that about half are above 0.5.
 */
static void welch_calibrated_under_no_change(void **state)
{
    (void)state;
    int rejected = 0, above_half = 0;
    uint8_t s[5000];
    for (int k = 0; k < 200; k++) {
        cxm_csat *a = NULL, *b = NULL;
        for (int i = 0; i < 5000; i++)
            s[i] = (uint8_t)(1 + (int)(5.0 * uniform()));
        a = csat_of(s, 5000);
        for (int i = 0; i < 5000; i++)
            s[i] = (uint8_t)(1 + (int)(5.0 * uniform()));
        b = csat_of(s, 5000);
        cxm_comparison r = fresh();
        TU_OK(cxm_csat_compare_mean(a, b, 0.95, &r));
        rejected += r.significant;
        above_half += r.p > 0.5;
        assert_true(r.ci.lower <= r.diff && r.diff <= r.ci.upper);
        assert_true(r.df > 9000.0 && r.df <= 9998.0);
        cxm_csat_free(a);
        cxm_csat_free(b);
    }
    assert_true(rejected <= 25);
    assert_true(above_half >= 70 && above_half <= 130);
}

/* A side without data is flagged and the other side's figure still shown. */
static void sides_without_data_are_flagged(void **state)
{
    (void)state;
    cxm_rate *a = rate_of(3, 4), *b = rate_of(0, 0);
    cxm_comparison r = fresh();
    assert_int_equal(cxm_rate_compare(a, b, 0.95, &r), CXM_EMPTY);
    assert_int_equal(r.has_a, 1);
    assert_int_equal(r.has_b, 0);
    TU_NEAR(r.value_a, 0.75, 1e-15);
    assert_true(r.value_b == 0.0);
    assert_int_equal(cxm_rate_compare(b, a, 0.95, &r), CXM_EMPTY);
    assert_int_equal(r.has_a, 0);
    assert_int_equal(r.has_b, 1);
    TU_OK(cxm_rate_compare(a, a, 0.95, &r));
    assert_int_equal(r.has_a, 1);
    assert_int_equal(r.has_b, 1);
#define GET(p) cxm_rate_compare(a, a, 0.95, p)
    TU_FIRST_VERSION_SIZE(cxm_comparison, has_a, GET);
#undef GET
    cxm_rate_free(a);
    cxm_rate_free(b);

    /* One answer has a mean but no spread: the mean is shown, the test is not. */
    cxm_csat *c1 = NULL, *c0 = NULL;
    TU_OK(cxm_csat_new(NULL, &tu_allocator, &c1));
    TU_OK(cxm_csat_new(NULL, &tu_allocator, &c0));
    TU_OK(cxm_csat_add(c1, 4));
    assert_int_equal(cxm_csat_compare_mean(c1, c0, 0.95, &r), CXM_EMPTY);
    assert_int_equal(r.has_a, 1);
    assert_int_equal(r.has_b, 0);
    TU_NEAR(r.value_a, 4.0, 0);
    cxm_csat_free(c1);
    cxm_csat_free(c0);
}

/* The median comparison shows the side that has durations and flags the other. */
static void median_side_without_data_is_flagged(void **state)
{
    (void)state;
    cxm_duration *a = NULL, *b = NULL;
    TU_OK(cxm_duration_new(NULL, &tu_allocator, &a));
    TU_OK(cxm_duration_new(NULL, &tu_allocator, &b));
    for (int i = 1; i <= 9; i++)
        TU_OK(cxm_duration_add(a, 60.0 * i));
    cxm_duration_median_comparison m;
    memset(&m, 0xA5, sizeof m);
    m.size = sizeof m;
    assert_int_equal(cxm_duration_compare_median(a, b, 0.95, &m), CXM_EMPTY);
    assert_int_equal(m.has_a, 1);
    assert_int_equal(m.has_b, 0);
    assert_true(fabs(m.median_a - 300.0) <= 300.0 / 64);
    assert_true(m.median_b == 0.0 && m.diff == 0.0);
    TU_OK(cxm_duration_add(b, 120.0));
    TU_OK(cxm_duration_compare_median(a, b, 0.95, &m));
    assert_int_equal(m.has_a, 1);
    assert_int_equal(m.has_b, 1);
#define GET(p) cxm_duration_compare_median(a, b, 0.95, p)
    TU_FIRST_VERSION_SIZE(cxm_duration_median_comparison, has_a, GET);
#undef GET
    cxm_duration_free(a);
    cxm_duration_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(median_side_without_data_is_flagged),
        cmocka_unit_test(sides_without_data_are_flagged),
        cmocka_unit_test(welch_hand_computed),
        cmocka_unit_test(csat_satisfied_in_points),
        cmocka_unit_test(proportions_hand_computed),
        cmocka_unit_test(welch_constant_samples),
        cmocka_unit_test(ces_mean_and_easy),
        cmocka_unit_test(refusals),
        cmocka_unit_test(sla_compliance),
        cmocka_unit_test(churn_rates),
        cmocka_unit_test(share_within_hand_computed),
        cmocka_unit_test(share_within_bounds_exact_count),
        cmocka_unit_test(rollup_share_within_equals_duration),
        cmocka_unit_test(median_interval_hand_computed),
        cmocka_unit_test(median_interval_covers),
        cmocka_unit_test(median_comparison),
        cmocka_unit_test(welch_calibrated_under_no_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
