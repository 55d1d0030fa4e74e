/*
 * test_duration.c — the duration accumulator: exact count, sum, mean, sd,
 * min and max on hand-computed cases; quantiles with the rank convention
 * floor(q (n - 1)) and the bucket representative 2ab/(a+b); the promised
 * relative error against an exact sort on large samples of several
 * distributions, before and after merging shards; underflow and overflow
 * buckets; timestamps; named views; every rejected input leaving the state
 * unchanged; overflow of the count; placement; and the encoding, its
 * committed vector and hostile bytes.
 */
#include <math.h>
#include <stdio.h>

#include "testutil.h"

static cxm_duration *mk(uint32_t metric)
{
    cxm_duration *d = NULL;
    cxm_duration_options o = {sizeof o, 0, metric, 0, 0};
    TU_OK(cxm_duration_new(&o, &tu_allocator, &d));
    return d;
}

static cxm_duration *mk_compact(uint32_t metric, uint32_t pages);

static cxm_duration_result result(const cxm_duration *d)
{
    cxm_duration_result r = {.size = sizeof r};
    TU_OK(cxm_duration_result_get(d, 0.95, &r));
    return r;
}

static double quantile(const cxm_duration *d, double q)
{
    double v = -1.0;
    TU_OK(cxm_duration_quantile(d, q, &v));
    return v;
}

static const double FIVE[5] = {240, 60, 3600, 180, 120};

static void hand_computed_five(void **state)
{
    (void)state;
    cxm_duration *d = mk(CXM_DURATION_RESOLUTION);
    TU_OK(cxm_duration_add_many(d, FIVE, 5, NULL));
    cxm_duration_result r = result(d);
    assert_int_equal(r.n, 5);
    assert_int_equal(r.metric, CXM_DURATION_RESOLUTION);
    assert_int_equal(r.underflow, 0);
    assert_int_equal(r.overflow, 0);
    /* sum = 60 + 120 + 180 + 240 + 3600 = 4200; mean = 840. */
    assert_true(r.sum == 4200.0);
    assert_true(r.mean == 840.0);
    assert_true(r.min == 60.0 && r.max == 3600.0);
    /*
     * Deviations -780, -720, -660, -600, 2760; squares sum to 9,540,000;
     * sample variance 9,540,000 / 4 = 2,385,000; sd = 1544.34452114805.
     */
    TU_NEAR(r.sd, 1544.34452114805, 1e-9);
    /*
     * Median: rank floor(0.5 * 4) = 2, the value 180 = 2^7 (1 + 26/64), the
     * start of bucket [180, 182): 2 * 180 * 182 / 362 = 180.99447513812154.
     */
    TU_NEAR(r.median, 180.99447513812154, 1e-9);
    /* p90 and p99: rank floor(3.6) = floor(3.96) = 3, 240 in [240, 242): 240.99585062240664. */
    TU_NEAR(r.p90, 240.99585062240664, 1e-9);
    TU_NEAR(r.p99, 240.99585062240664, 1e-9);
    /* q = 0.3: rank floor(1.2) = 1, 120 in [120, 121): 2 * 120 * 121 / 241. */
    TU_NEAR(quantile(d, 0.3), 120.49792531120332, 1e-9);
    /* Ranks 0 and n - 1 are the exact min and max. */
    assert_true(quantile(d, 0.0) == 60.0);
    assert_true(quantile(d, 0.2) == 60.0); /* rank floor(0.8) = 0 */
    assert_true(quantile(d, 1.0) == 3600.0);
    /*
     * Mean interval: t(0.975, 4) = 2.7764451051977987; half = t 1544.3445 / sqrt 5
     * = 1917.557; [840 - 1917.557, 840 + 1917.557] clipped at 0 = [0, 2757.556993].
     */
    TU_NEAR(r.mean_ci.lower, 0.0, 0.0);
    TU_NEAR(r.mean_ci.upper, 2757.5569927327692, 1e-6);
    TU_NEAR(r.mean_ci.level, 0.95, 0.0);
    /* Many quantiles at once, in any order, agree with one at a time. */
    const double qs[5] = {0.9, 0.0, 0.5, 1.0, 0.3};
    double out[5];
    size_t bad = 99;
    TU_OK(cxm_duration_quantiles(d, qs, 5, out, &bad));
    for (int i = 0; i < 5; i++)
        assert_true(out[i] == quantile(d, qs[i]));
    cxm_duration_free(d);
}

static void single_value_and_sd(void **state)
{
    (void)state;
    cxm_duration *d = mk(CXM_DURATION_ANY);
    TU_OK(cxm_duration_add(d, 42.5));
    cxm_duration_result r = result(d);
    /* One duration: every quantile is it, exactly; sd is 0; the interval says nothing. */
    assert_true(r.median == 42.5 && r.p90 == 42.5 && r.p99 == 42.5 && r.mean == 42.5);
    assert_true(r.sd == 0.0);
    assert_true(r.mean_ci.lower == 0.0 && r.mean_ci.upper == CXM_DURATION_MAX);
    /* Constant data: sd exactly 0 (the integer moments cancel exactly). */
    for (int i = 0; i < 999; i++)
        TU_OK(cxm_duration_add(d, 42.5));
    r = result(d);
    assert_true(r.sd == 0.0 && r.mean == 42.5);
    /* Microsecond resolution: 0.0000004 s rounds to 0 us, 0.0000006 s to 1 us. */
    cxm_duration *e = mk(CXM_DURATION_ANY);
    TU_OK(cxm_duration_add(e, 0.0000004));
    TU_OK(cxm_duration_add(e, 0.0000006));
    r = result(e);
    TU_NEAR(r.sum, 0.000001, 1e-18);
    assert_true(r.min == 0.0000004 && r.max == 0.0000006);
    cxm_duration_free(d);
    cxm_duration_free(e);
}

static void underflow_and_overflow(void **state)
{
    (void)state;
    cxm_duration *d = mk(CXM_DURATION_ANY);
    /* 0 and 0.5 ms below 2^-10 s; 1e9 and 2e9 s at or above 2^29 s; 5 s tracked. */
    const double v[6] = {1e9, 0.0, 5.0, 0.0005, 2e9, -0.0};
    TU_OK(cxm_duration_add_many(d, v, 6, NULL));
    cxm_duration_result r = result(d);
    assert_int_equal(r.n, 6);
    assert_int_equal(r.underflow, 3); /* 0, -0 (counted as 0), 0.5 ms: never dropped */
    assert_int_equal(r.overflow, 2);
    assert_true(r.min == 0.0 && !signbit(r.min));
    assert_true(r.max == 2e9);
    /* sorted: 0, 0, 0.0005, 5, 1e9, 2e9; rank floor(q * 5). */
    assert_true(quantile(d, 0.0) == 0.0);
    /* rank 1 and 2 in the underflow bucket: midpoint of [min, largest underflow] = 0.00025. */
    assert_true(quantile(d, 0.2) == 0.00025);
    assert_true(quantile(d, 0.4) == 0.00025);
    /* rank 3: 5 s = 2^2 (1 + 16/64), bucket [5, 5.0625): 2 * 5 * 5.0625 / 10.0625. */
    TU_NEAR(quantile(d, 0.6), 2.0 * 5.0 * 5.0625 / 10.0625, 1e-12);
    /* rank 4 in the overflow bucket: 2ab/(a+b) over [1e9, 2e9] = 1.3333e9. */
    TU_NEAR(quantile(d, 0.8), 4e9 / 3.0, 1e-3);
    assert_true(quantile(d, 1.0) == 2e9);
    /* The largest accepted duration is taken; the next double is not. */
    TU_OK(cxm_duration_add(d, CXM_DURATION_MAX));
    TU_ST(cxm_duration_add(d, nextafter(CXM_DURATION_MAX, INFINITY)), CXM_OUT_OF_RANGE);
    r = result(d);
    assert_int_equal(r.overflow, 3);
    assert_true(r.max == CXM_DURATION_MAX);
    cxm_duration_free(d);
}

static void timestamps(void **state)
{
    (void)state;
    cxm_duration *d = mk(CXM_DURATION_FIRST_REPLY);
    const cxm_family_ops *f = cxm_family_find("duration");
    TU_OK(cxm_duration_add_between(d, 1700000000, 1700003600)); /* one hour */
    TU_OK(cxm_duration_add_between(d, -50, 10));                /* before 1970: 60 s */
    TU_OK(cxm_duration_add_between(d, 7, 7));                   /* 0 s */
    tu_snap s = tu_snapshot(f, d);
    /* End before start is an error, not a negative duration. */
    TU_ST(cxm_duration_add_between(d, 1700003600, 1700000000), CXM_BAD_ORDER);
    TU_ST(cxm_duration_add_between(d, 0, -1), CXM_BAD_ORDER);
    /* A span beyond 2^43 s (and one that overflows int64) is refused. */
    TU_ST(cxm_duration_add_between(d, INT64_MIN, INT64_MAX), CXM_OUT_OF_RANGE);
    TU_ST(cxm_duration_add_between(d, 0, (int64_t)1 << 44), CXM_OUT_OF_RANGE);
    TU_ST(cxm_duration_add_between(NULL, 0, 1), CXM_INVALID_ARGUMENT);
    tu_assert_same(f, d, s);
    tu_snap_free(s);
    cxm_duration_result r = result(d);
    assert_int_equal(r.n, 3);
    assert_true(r.sum == 3660.0 && r.min == 0.0 && r.max == 3600.0);
    TU_OK(cxm_duration_add_between(d, 0, (int64_t)1 << 43));
    cxm_duration_free(d);
}

static void named_views(void **state)
{
    (void)state;
    cxm_duration *res = mk(CXM_DURATION_RESOLUTION), *frt = mk(CXM_DURATION_FIRST_REPLY),
                 *aht = mk(CXM_DURATION_HANDLE), *any = mk(CXM_DURATION_ANY);
    cxm_duration_view v = {.size = sizeof v};
    /* Empty: no number, but n is given. */
    TU_ST(cxm_duration_mttr(res, &v), CXM_EMPTY);
    assert_int_equal(v.n, 0);
    assert_true(v.mean == 0.0 && !isnan(v.median));
    TU_OK(cxm_duration_add_many(res, FIVE, 5, NULL));
    TU_OK(cxm_duration_mttr(res, &v));
    /* MTTR = 4200 / 5 = 840; median and p90 as in hand_computed_five. */
    assert_int_equal(v.metric, CXM_DURATION_RESOLUTION);
    assert_int_equal(v.n, 5);
    assert_true(v.mean == 840.0);
    TU_NEAR(v.median, 180.99447513812154, 1e-9);
    TU_NEAR(v.p90, 240.99585062240664, 1e-9);
    /* A view of another metric is refused. */
    TU_ST(cxm_duration_first_reply(res, &v), CXM_KIND_MISMATCH);
    TU_ST(cxm_duration_aht(res, &v), CXM_KIND_MISMATCH);
    TU_ST(cxm_duration_mttr(any, &v), CXM_KIND_MISMATCH);
    TU_ST(cxm_duration_mttr(frt, &v), CXM_KIND_MISMATCH);
    /* Mean first reply time: 30 s and 90 s -> 60 s. */
    TU_OK(cxm_duration_add(frt, 30.0));
    TU_OK(cxm_duration_add(frt, 90.0));
    TU_OK(cxm_duration_first_reply(frt, &v));
    assert_true(v.mean == 60.0 && v.median == 30.0 && v.p90 == 30.0);
    /* AHT: 300, 420, 600 s of talk + hold + wrap-up -> 440 s; median rank 1 (420). */
    TU_OK(cxm_duration_add(aht, 300.0));
    TU_OK(cxm_duration_add(aht, 420.0));
    TU_OK(cxm_duration_add(aht, 600.0));
    TU_OK(cxm_duration_aht(aht, &v));
    assert_true(v.mean == 440.0);
    assert_true(fabs(v.median - 420.0) <= 420.0 / 129.0);
    /* Metrics never blend. */
    TU_ST(cxm_duration_merge(res, frt), CXM_KIND_MISMATCH);
    uint32_t m = 99;
    TU_OK(cxm_duration_metric_get(aht, &m));
    assert_int_equal(m, CXM_DURATION_HANDLE);
    v.size = 8;
    TU_ST(cxm_duration_aht(aht, &v), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_duration_aht(NULL, &v), CXM_INVALID_ARGUMENT);
    cxm_duration_free(res);
    cxm_duration_free(frt);
    cxm_duration_free(aht);
    cxm_duration_free(any);
}

static void empty_has_no_value(void **state)
{
    (void)state;
    cxm_duration *d = mk(CXM_DURATION_ANY);
    cxm_duration_result r = {.size = sizeof r, .mean = 42.0};
    TU_ST(cxm_duration_result_get(d, 0.95, &r), CXM_EMPTY);
    assert_int_equal(r.n, 0);
    assert_true(r.mean == 0.0 && r.median == 0.0);
    double q = 7.0, out[2] = {7.0, 7.0};
    const double qs[2] = {0.5, 0.9};
    TU_ST(cxm_duration_quantile(d, 0.5, &q), CXM_EMPTY);
    assert_true(q == 7.0);
    TU_ST(cxm_duration_quantiles(d, qs, 2, out, NULL), CXM_EMPTY);
    /* Zero quantiles of anything, and an empty batch, are fine. */
    TU_ST(cxm_duration_quantiles(d, NULL, 0, NULL, NULL), CXM_EMPTY);
    TU_OK(cxm_duration_add_many(d, NULL, 0, NULL));
    cxm_duration_free(d);
}

static void bad_input_changes_nothing(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("duration");
    cxm_duration *d = mk(CXM_DURATION_ANY);
    TU_OK(cxm_duration_add_many(d, FIVE, 5, NULL));
    tu_snap s = tu_snapshot(f, d);
    const double bad_values[] = {-1.0,     -1e-300,   NAN,   -NAN,
                                 INFINITY, -INFINITY, 1e300, 2.0 * CXM_DURATION_MAX};
    for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++)
        TU_ST(cxm_duration_add(d, bad_values[i]), CXM_OUT_OF_RANGE);
    TU_ST(cxm_duration_add(NULL, 1.0), CXM_INVALID_ARGUMENT);
    /* A batch with one bad value is rejected whole and names it. */
    double batch[100];
    for (int i = 0; i < 100; i++)
        batch[i] = i * 7.5;
    size_t bad = 0;
    for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++) {
        size_t at = (i * 37) % 100;
        double keep = batch[at];
        batch[at] = bad_values[i];
        TU_ST(cxm_duration_add_many(d, batch, 100, &bad), CXM_OUT_OF_RANGE);
        assert_int_equal(bad, at);
        batch[at] = keep;
    }
    /* A rejected batch takes back what it had counted, underflow and overflow extremes too. */
    const double late_bad[5] = {1e10, 0.0001, 5e9, 0.0007, -3.0};
    TU_ST(cxm_duration_add_many(d, late_bad, 5, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 4);
    batch[99] = NAN;
    batch[98] = -2.0;
    TU_ST(cxm_duration_add_many(d, batch, 100, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 98); /* the first bad one */
    TU_ST(cxm_duration_add_many(d, NULL, 3, &bad), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_duration_add_many(NULL, batch, 3, &bad), CXM_INVALID_ARGUMENT);
    tu_assert_same(f, d, s);

    /* Queries with bad arguments answer nothing and change nothing. */
    double out[3] = {-7, -7, -7};
    const double qs[3] = {0.5, 0.9, 1.5};
    TU_ST(cxm_duration_quantiles(d, qs, 3, out, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 2);
    assert_true(out[0] == -7 && out[1] == -7 && out[2] == -7);
    const double qn[2] = {NAN, 0.5};
    TU_ST(cxm_duration_quantiles(d, qn, 2, out, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 0);
    TU_ST(cxm_duration_quantiles(d, NULL, 2, out, &bad), CXM_INVALID_ARGUMENT);
    double q = -7;
    TU_ST(cxm_duration_quantile(d, -0.1, &q), CXM_OUT_OF_RANGE);
    TU_ST(cxm_duration_quantile(d, 1.0000001, &q), CXM_OUT_OF_RANGE);
    TU_ST(cxm_duration_quantile(d, NAN, &q), CXM_OUT_OF_RANGE);
    TU_ST(cxm_duration_quantile(d, 0.5, NULL), CXM_INVALID_ARGUMENT);
    assert_true(q == -7);
    cxm_duration_result r = {.size = 8};
    TU_ST(cxm_duration_result_get(d, 0.95, &r), CXM_INVALID_ARGUMENT);
    r.size = sizeof r;
    TU_ST(cxm_duration_result_get(d, 1.5, &r), CXM_OUT_OF_RANGE);
    TU_ST(cxm_duration_result_get(NULL, 0.95, &r), CXM_INVALID_ARGUMENT);

    /* Merging another metric is refused. */
    cxm_duration *other = mk(CXM_DURATION_HANDLE);
    TU_OK(cxm_duration_add(other, 5.0));
    TU_ST(cxm_duration_merge(d, other), CXM_KIND_MISMATCH);
    TU_ST(cxm_duration_merge(d, NULL), CXM_INVALID_ARGUMENT);
    tu_assert_same(f, d, s);
    tu_snap_free(s);
    cxm_duration_free(d);
    cxm_duration_free(other);
}

static void creation_rules(void **state)
{
    (void)state;
    cxm_duration *d = NULL;
    cxm_duration_options o = {sizeof o, 0, 7, 0, 0};
    TU_ST(cxm_duration_new(&o, NULL, &d), CXM_INVALID_ARGUMENT); /* unknown metric */
    o.metric = 0;
    o.reserved = 1;
    TU_ST(cxm_duration_new(&o, NULL, &d), CXM_INVALID_ARGUMENT);
    o.reserved = 0;
    o.reserved2 = 1;
    TU_ST(cxm_duration_new(&o, NULL, &d), CXM_INVALID_ARGUMENT);
    o.reserved2 = 0;
    o.size = 4;
    TU_ST(cxm_duration_new(&o, NULL, &d), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_duration_new(NULL, NULL, NULL), CXM_INVALID_ARGUMENT);
    assert_null(d);
    /* NULL options: the generic metric. */
    TU_OK(cxm_duration_new(NULL, &tu_allocator, &d));
    uint32_t m = 99;
    TU_OK(cxm_duration_metric_get(d, &m));
    assert_int_equal(m, CXM_DURATION_ANY);
    cxm_duration_free(d);
    cxm_duration_free(NULL);
    /* Constants and their function twins agree; memory is under 24 KiB. */
    assert_true(cxm_duration_relative_error() == CXM_DURATION_RELATIVE_ERROR);
    assert_true(cxm_duration_tracked_min() == CXM_DURATION_TRACKED_MIN);
    assert_true(cxm_duration_tracked_max() == CXM_DURATION_TRACKED_MAX);
    assert_true(cxm_duration_max() == CXM_DURATION_MAX);
    assert_true(CXM_DURATION_TRACKED_MIN == ldexp(1.0, -10));
    assert_true(CXM_DURATION_TRACKED_MAX == ldexp(1.0, 29));
    assert_true(CXM_DURATION_MAX == ldexp(1.0, 43));
    assert_true(CXM_DURATION_RELATIVE_ERROR < 0.01);
    assert_true(cxm_duration_footprint() <= 24 * 1024);
    /* The tracked range covers 1 ms .. 10 years (365.25-day years). */
    assert_true(CXM_DURATION_TRACKED_MIN <= 0.001);
    assert_true(CXM_DURATION_TRACKED_MAX > 10 * 365.25 * 86400);
}

/* ---- accuracy against an exact sort ------------------------------------------------ */

static double unif(uint64_t *rng)
{
    return ((double)(tu_rand(rng) >> 11) + 0.5) * 0x1p-53;
}

static double normal(uint64_t *rng)
{
    return sqrt(-2.0 * log(unif(rng))) * cos(6.283185307179586 * unif(rng));
}

enum { LOGNORMAL, BIMODAL, CONSTANT, PARETO, UNIFORM_WIDE, NDIST };

static double draw(int dist, uint64_t *rng)
{
    switch (dist) {
    case LOGNORMAL: /* median 4 h, sigma 1.5 */ return 14400.0 * exp(1.5 * normal(rng));
    case BIMODAL: /* quick replies around 5 min, slow ones around 3 days */
        return (tu_rand(rng) & 1) ? 300.0 * exp(0.3 * normal(rng))
                                  : 259200.0 * exp(0.4 * normal(rng));
    case CONSTANT: return 3600.0;
    case PARETO: /* x_m = 1 s, alpha = 1.1: a heavy tail over many octaves */
        return pow(unif(rng), -1.0 / 1.1);
    default: /* log-uniform over the whole tracked range, 1 ms .. 17 years */
        return ldexp(1.0 + unif(rng), (int)(tu_rand(rng) % 39) - 10);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Every percentile and a few tail ones within the bound of the exact sorted value. */
static void check_quantiles(const cxm_duration *d, const double *sorted, size_t n)
{
    double qs[1006], out[1006];
    size_t k = 0;
    for (int i = 0; i <= 1000; i++)
        qs[k++] = i / 1000.0;
    qs[k++] = 0.999;
    qs[k++] = 0.9999;
    qs[k++] = 0.5;
    qs[k++] = 0.12345;
    qs[k++] = 0.99999;
    TU_OK(cxm_duration_quantiles(d, qs, k, out, NULL));
    for (size_t i = 0; i < k; i++) {
        double v = sorted[(size_t)floor(qs[i] * (double)(n - 1))];
        double err = fabs(out[i] - v);
        if (!(err <= v * CXM_DURATION_RELATIVE_ERROR * (1.0 + 1e-12))) {
            print_error("q=%.6f est=%.17g true=%.17g rel=%.6g\n", qs[i], out[i], v, err / v);
            fail();
        }
    }
}

static void accuracy_on_large_samples(void **state)
{
    (void)state;
    const size_t n = 200000, shards = 4;
    double *v = test_malloc(n * sizeof *v);
    uint64_t rng = 42;
    for (int dist = 0; dist < NDIST; dist++) {
        for (size_t i = 0; i < n; i++)
            v[i] = draw(dist, &rng);
        /* One accumulator fed everything, one value at a time. */
        cxm_duration *all = mk(CXM_DURATION_ANY);
        for (size_t i = 0; i < n; i++)
            TU_OK(cxm_duration_add(all, v[i]));
        /* Shards fed in batches, merged in two different orders. */
        cxm_duration *part[4];
        for (size_t s = 0; s < shards; s++) {
            part[s] = mk(CXM_DURATION_ANY);
            TU_OK(cxm_duration_add_many(part[s], v + s * (n / shards), n / shards, NULL));
        }
        cxm_duration *fwd = mk(CXM_DURATION_ANY), *rev = mk(CXM_DURATION_ANY);
        for (size_t s = 0; s < shards; s++) {
            TU_OK(cxm_duration_merge(fwd, part[s]));
            TU_OK(cxm_duration_merge(rev, part[shards - 1 - s]));
        }
        /* Exact merge: byte-identical states, whatever the order. */
        const cxm_family_ops *f = cxm_family_find("duration");
        tu_snap sa = tu_snapshot(f, all);
        tu_assert_same(f, fwd, sa);
        tu_assert_same(f, rev, sa);
        tu_snap_free(sa);

        /* Mean and sd against a straightforward two-pass computation. */
        double mean = 0.0, ss = 0.0;
        for (size_t i = 0; i < n; i++)
            mean += v[i];
        mean /= (double)n;
        for (size_t i = 0; i < n; i++)
            ss += (v[i] - mean) * (v[i] - mean);
        cxm_duration_result r = result(fwd);
        assert_int_equal(r.n, n);
        /* Each value is rounded to 1 us: the mean moves by at most 0.5 us. */
        TU_NEAR(r.mean, mean, 5e-7 + 1e-12 * mean);
        TU_NEAR(r.sd, sqrt(ss / (double)(n - 1)), 1e-6 + 1e-9 * sqrt(ss / (double)(n - 1)));

        qsort(v, n, sizeof *v, cmp_double);
        assert_true(r.min == v[0] && r.max == v[n - 1]);
        check_quantiles(all, v, n);
        check_quantiles(fwd, v, n);
        cxm_duration_free(all);
        cxm_duration_free(fwd);
        cxm_duration_free(rev);
        for (size_t s = 0; s < shards; s++)
            cxm_duration_free(part[s]);
    }
    test_free(v);
}

static void merge_properties(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("duration");
    cxm_duration *a = mk(CXM_DURATION_ANY), *b = mk(CXM_DURATION_ANY), *e = mk(CXM_DURATION_ANY);
    TU_OK(cxm_duration_add_many(a, FIVE, 5, NULL));
    TU_OK(cxm_duration_add(b, 1e10));
    TU_OK(cxm_duration_add(b, 0.0));
    /* Merging an empty accumulator changes nothing; merging into one copies. */
    tu_snap sa = tu_snapshot(f, a);
    TU_OK(cxm_duration_merge(a, e));
    tu_assert_same(f, a, sa);
    TU_OK(cxm_duration_merge(e, a));
    tu_assert_same(f, e, sa);
    tu_snap_free(sa);
    /* Merging with itself doubles every count and sum; quantiles stay. */
    double before = quantile(a, 0.5);
    TU_OK(cxm_duration_merge(a, a));
    cxm_duration_result r = result(a);
    assert_int_equal(r.n, 10);
    assert_true(r.sum == 8400.0 && r.mean == 840.0);
    assert_true(quantile(a, 0.5) == before);
    /* Overflow and underflow extremes combine exactly. */
    TU_OK(cxm_duration_merge(a, b));
    r = result(a);
    assert_int_equal(r.underflow, 1);
    assert_int_equal(r.overflow, 1);
    assert_true(r.min == 0.0 && r.max == 1e10);
    cxm_duration_free(a);
    cxm_duration_free(b);
    cxm_duration_free(e);
}

static void overflow_is_refused(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("duration");
    cxm_duration *big = mk(CXM_DURATION_ANY), *one = mk(CXM_DURATION_ANY);
    TU_OK(cxm_duration_add(big, 1.0));
    TU_OK(cxm_duration_add(one, 1.0));
    for (int i = 0; i < 63; i++)
        TU_OK(cxm_duration_merge(big, big)); /* 2^63 durations of 1 s */
    cxm_duration *copy = NULL;
    TU_OK(cxm_duration_clone(big, NULL, &copy));
    tu_snap s = tu_snapshot(f, big);
    TU_ST(cxm_duration_merge(big, copy), CXM_OVERFLOW); /* 2^64 does not fit */
    tu_assert_same(f, big, s);
    tu_snap_free(s);
    for (int i = 62; i >= 0; i--) {
        cxm_duration *part = mk(CXM_DURATION_ANY);
        TU_OK(cxm_duration_add(part, 1.0));
        for (int k = 0; k < i; k++)
            TU_OK(cxm_duration_merge(part, part));
        TU_OK(cxm_duration_merge(big, part));
        cxm_duration_free(part);
    }
    cxm_duration_result r = result(big);
    assert_true(r.n == UINT64_MAX);
    /* (2^64 - 1) 1e6 us in 128 bits: the mean is still exactly 1 s, the sd exactly 0. */
    assert_true(r.mean == 1.0 && r.sd == 0.0 && r.median == 1.0);
    s = tu_snapshot(f, big);
    TU_ST(cxm_duration_add(big, 1.0), CXM_OVERFLOW);
    TU_ST(cxm_duration_add_many(big, FIVE, 1, NULL), CXM_OVERFLOW);
    TU_ST(cxm_duration_merge(big, one), CXM_OVERFLOW);
    tu_assert_same(f, big, s);
    tu_snap_free(s);
    cxm_duration_free(big);
    cxm_duration_free(one);
    cxm_duration_free(copy);
}

static void placement_and_clone(void **state)
{
    (void)state;
    size_t need = cxm_duration_footprint();
    unsigned char *mem = test_malloc(need + 16);
    unsigned char *aligned = mem + (16 - (uintptr_t)mem % 16) % 16;
    cxm_duration *d = NULL;
    cxm_duration_options o = {sizeof o, 0, CXM_DURATION_HANDLE, 0, 0};
    TU_ST(cxm_duration_init_in(aligned, need - 1, &o, &d), CXM_BUFFER_TOO_SMALL);
    TU_ST(cxm_duration_init_in(aligned + 1, need, &o, &d), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_duration_init_in(NULL, need, &o, &d), CXM_INVALID_ARGUMENT);
    o.metric = 77;
    TU_ST(cxm_duration_init_in(aligned, need, &o, &d), CXM_INVALID_ARGUMENT);
    o.metric = CXM_DURATION_HANDLE;
    TU_OK(cxm_duration_init_in(aligned, need, &o, &d));
    TU_OK(cxm_duration_add_many(d, FIVE, 5, NULL));
    cxm_duration *copy = NULL;
    TU_OK(cxm_duration_clone(d, &tu_allocator, &copy));
    cxm_duration_view v = {.size = sizeof v};
    TU_OK(cxm_duration_aht(copy, &v));
    assert_true(v.mean == 840.0);
    /* Reset empties but keeps the metric. */
    TU_OK(cxm_duration_reset(d));
    TU_ST(cxm_duration_aht(d, &v), CXM_EMPTY);
    cxm_duration_free(copy);
    cxm_duration_free(d); /* releases nothing */
    test_free(mem);
}

/* ---- encoding ---------------------------------------------------------------------- */

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* The exact bytes of format version 1, from tests/vectors/duration_v1.hex. */
static void encoding_vector(void **state)
{
    (void)state;
    cxm_duration *d = mk(CXM_DURATION_RESOLUTION);
    /* 60 s and 3600 s: two runs of one bucket each. */
    TU_OK(cxm_duration_add(d, 60.0));
    TU_OK(cxm_duration_add(d, 3600.0));
    uint8_t buf[256];
    size_t len = 0;
    TU_ST(cxm_duration_encode(d, buf, 10, &len), CXM_BUFFER_TOO_SMALL);
    /*
     * 12 envelope + 4 metric + 8 n + 4 x 8 min/max/underflow max/overflow min
     * + 16 sum + 24 sum of squares + 1 run count + 2 runs x (2-byte skip,
     * 1-byte length, 1-byte count) + 4 CRC = 109. 60 s = 2^5 (1 + 56/64) is
     * bucket 15 * 64 + 56 = 1016, slot 1017 (skip 1017 = f9 07); 3600 s =
     * 2^11 (1 + 48.5/64) is slot 21 * 64 + 48 + 1 = 1393 (skip 1393 - 1018 = 375
     * = f7 02).
     */
    assert_int_equal(len, 109);
    TU_OK(cxm_duration_encode(d, buf, sizeof buf, &len));
    assert_int_equal(buf[12], CXM_DURATION_RESOLUTION);
    assert_true(le64(buf + 16) == 2);           /* n */
    assert_true(le64(buf + 56) == 3660000000u); /* sum, us */
    assert_true(le64(buf + 72) == 12963600000000000000u &&
                le64(buf + 80) == 0); /* (6e7)^2 + (3.6e9)^2 us^2 */
    const uint8_t runs[9] = {2, 0xf9, 0x07, 1, 1, 0xf7, 0x02, 1, 1};
    assert_memory_equal(buf + 96, runs, 9);

    uint8_t want[256];
    size_t wlen = tu_read_vector("duration_v1.hex", want, sizeof want);
    assert_int_equal(wlen, len);
    assert_memory_equal(buf, want, len);
    cxm_duration *back = NULL;
    TU_OK(cxm_duration_decode(want, wlen, &tu_allocator, &back));
    cxm_duration_result a = result(d), b = result(back);
    assert_true(a.mean == b.mean && a.median == b.median && a.sd == b.sd && b.mean == 1830.0);
    /* The committed vector into the compact form (two octaves, two pages): the same bytes back,
     * and the same values added to a compact accumulator encode to them too. */
    cxm_duration *packed = NULL, *fed = mk_compact(CXM_DURATION_RESOLUTION, 2);
    cxm_duration_options o = {sizeof o, 0, 0, 0, 2 * CXM_DURATION_PAGE_BYTES};
    TU_OK(cxm_duration_decode_with(want, wlen, &o, &tu_allocator, &packed));
    TU_OK(cxm_duration_add(fed, 60.0));
    TU_OK(cxm_duration_add(fed, 3600.0));
    cxm_duration *forms[2] = {packed, fed};
    for (int k = 0; k < 2; k++) {
        TU_OK(cxm_duration_encode(forms[k], buf, sizeof buf, &len));
        assert_int_equal(len, wlen);
        assert_memory_equal(buf, want, wlen);
        cxm_duration_free(forms[k]);
    }
    cxm_duration_free(back);
    cxm_duration_free(d);
}

/* Forges the checksum and expects the field checks to refuse the bytes. */
static void expect_refused(uint8_t *buf, size_t len)
{
    tu_fix_crc(buf, len);
    cxm_duration *d = NULL;
    TU_ST(cxm_duration_decode(buf, len, &tu_allocator, &d), CXM_BAD_FORMAT);
    assert_null(d);
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void putf(uint8_t *p, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    put64(p, bits);
}

static void decode_rejects_hostile_bytes(void **state)
{
    (void)state;
    cxm_duration *d = mk(CXM_DURATION_RESOLUTION);
    TU_OK(cxm_duration_add(d, 60.0));
    TU_OK(cxm_duration_add(d, 3600.0));
    uint8_t good[256], buf[256];
    size_t len;
    TU_OK(cxm_duration_encode(d, good, sizeof good, &len));
#define FRESH() memcpy(buf, good, len)
    FRESH(); /* an unknown metric */
    buf[12] = 9;
    expect_refused(buf, len);
    FRESH(); /* counts do not add up to n */
    put64(buf + 16, 3);
    expect_refused(buf, len);
    FRESH(); /* min > max */
    putf(buf + 24, 3600.0);
    putf(buf + 32, 60.0);
    expect_refused(buf, len);
    FRESH(); /* min outside the first non-empty bucket */
    putf(buf + 24, 59.0);
    expect_refused(buf, len);
    FRESH(); /* max beyond the accepted range */
    putf(buf + 32, 1e300);
    expect_refused(buf, len);
    FRESH(); /* an underflow maximum with no underflow count */
    putf(buf + 40, 0.0001);
    expect_refused(buf, len);
    FRESH(); /* -0.0 where 0 belongs: not what the record path writes */
    putf(buf + 40, -0.0);
    expect_refused(buf, len);
    FRESH(); /* an overflow minimum with no overflow count */
    putf(buf + 48, 1e9);
    expect_refused(buf, len);
    FRESH(); /* a sum below n min */
    put64(buf + 56, 1);
    expect_refused(buf, len);
    FRESH(); /* a sum of squares that contradicts the sum */
    put64(buf + 72, 5);
    expect_refused(buf, len);
    FRESH(); /* a zero count inside a run */
    buf[100] = 0;
    expect_refused(buf, len);
    FRESH(); /* a run that starts beyond the layout: skip 0x3fff */
    buf[97] = 0xff;
    buf[98] = 0x7f;
    expect_refused(buf, len);
    FRESH(); /* an overlong varint (0x80 0x00 for zero) as the second skip */
    buf[101] = 0x80;
    buf[102] = 0x00;
    expect_refused(buf, len);
    FRESH(); /* more runs announced than present */
    buf[96] = 3;
    expect_refused(buf, len);
    FRESH(); /* an empty sketch with leftovers */
    uint8_t e[256];
    size_t elen;
    cxm_duration *empty = mk(CXM_DURATION_ANY);
    TU_OK(cxm_duration_encode(empty, e, sizeof e, &elen));
    putf(e + 24, 1.0);
    expect_refused(e, elen);
    /* Trailing bytes, truncation and a wrong family are refused too. */
    cxm_duration *x = NULL;
    TU_ST(cxm_duration_decode(good, len - 1, NULL, &x), CXM_BAD_FORMAT);
    TU_ST(cxm_duration_decode(NULL, len, NULL, &x), CXM_INVALID_ARGUMENT);
    FRESH();
    buf[6] = CXM_FAMILY_NPS;
    tu_fix_crc(buf, len);
    TU_ST(cxm_duration_decode(buf, len, NULL, &x), CXM_WRONG_TYPE);
    assert_null(x);
#undef FRESH
    cxm_duration_free(d);
    cxm_duration_free(empty);
}

static void typical_encoding_is_small(void **state)
{
    (void)state;
    /* A million log-normal resolution times (median 4 h, sigma 1.5) encode under 8 KiB. */
    cxm_duration *d = mk(CXM_DURATION_RESOLUTION);
    uint64_t rng = 7;
    double v[1000];
    for (int b = 0; b < 1000; b++) {
        for (int i = 0; i < 1000; i++)
            v[i] = draw(LOGNORMAL, &rng);
        TU_OK(cxm_duration_add_many(d, v, 1000, NULL));
    }
    size_t len = 0;
    TU_ST(cxm_duration_encode(d, NULL, 0, &len), CXM_BUFFER_TOO_SMALL);
    assert_true(len <= 8192);
    /* Even every bucket full with large counts stays bounded: 2498 x 10 bytes at most. */
    cxm_duration_free(d);
}

/* One duration has a mean but no spread: has_sd says so, sd 0 is not "no variation". */
static void spread_of_one_value_is_flagged(void **state)
{
    (void)state;
    cxm_duration *d = NULL;
    TU_OK(cxm_duration_new(NULL, &tu_allocator, &d));
    cxm_duration_result r;
    memset(&r, 0xAB, sizeof r);
    r.size = sizeof r;
    assert_int_equal(cxm_duration_result_get(d, 0, &r), CXM_EMPTY);
    assert_int_equal(r.has_sd, 0);
    assert_int_equal(r.reserved3, 0);
    TU_OK(cxm_duration_add(d, 600.0));
    TU_OK(cxm_duration_result_get(d, 0, &r));
    assert_int_equal(r.has_sd, 0);
    assert_true(r.sd == 0.0);
    TU_OK(cxm_duration_add(d, 600.0));
    TU_OK(cxm_duration_result_get(d, 0, &r));
    assert_int_equal(r.has_sd, 1); /* two equal values: a real spread of 0 */
    assert_true(r.sd == 0.0);

#define GET(p) cxm_duration_result_get(d, 0, p)
    TU_FIRST_VERSION_SIZE(cxm_duration_result, has_sd, GET);
#undef GET
    cxm_duration_free(d);
}

/* ---- the compact form ---------------------------------------------------------------- */

static cxm_duration *mk_compact(uint32_t metric, uint32_t pages)
{
    cxm_duration *d = NULL;
    cxm_duration_options o = {sizeof o, 0, metric, 0, (uint64_t)pages * CXM_DURATION_PAGE_BYTES};
    TU_OK(cxm_duration_new(&o, &tu_allocator, &d));
    return d;
}

static size_t free_bytes(const cxm_duration *d)
{
    size_t used = 0, available = 0;
    TU_OK(cxm_duration_memory(d, &used, &available));
    return available;
}

/* The two accumulators encode to the same bytes. */
static void assert_same_bytes(const cxm_duration *a, const cxm_duration *b)
{
    const cxm_family_ops *f = cxm_family_find("duration");
    tu_snap sa = tu_snapshot(f, a);
    tu_assert_same(f, b, sa);
    tu_snap_free(sa);
}

/*
 * A page per octave: 1 s fills the octave [1, 2), 3 s the octave [2, 4);
 * with two pages the pool is then full: 1.5 s (an octave with its page),
 * 0 s (the underflow slot) and 2^30 s (the overflow slot) still go in, 5 s
 * (the octave [4, 8)) is refused with CXM_CAPACITY and changes nothing, and
 * a batch is refused whole even when its first value would fit.
 */
static void compact_takes_a_page_per_octave(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("duration");
    cxm_duration *d = mk_compact(CXM_DURATION_ANY, 2);
    assert_int_equal(free_bytes(d), 2 * 64);
    TU_OK(cxm_duration_add(d, 1.0));
    assert_int_equal(free_bytes(d), 64);
    TU_OK(cxm_duration_add(d, 3.0));
    assert_int_equal(free_bytes(d), 0);
    TU_OK(cxm_duration_add(d, 1.5));
    TU_OK(cxm_duration_add(d, 0.0));
    TU_OK(cxm_duration_add(d, 0x1p30));
    tu_snap s = tu_snapshot(f, d);
    TU_ST(cxm_duration_add(d, 5.0), CXM_CAPACITY);
    tu_assert_same(f, d, s);
    const double batch[3] = {1.25, 3.5, 6.0};
    TU_ST(cxm_duration_add_many(d, batch, 3, NULL), CXM_CAPACITY);
    tu_assert_same(f, d, s);
    TU_ST(cxm_duration_add_between(d, 100, 105), CXM_CAPACITY);
    tu_assert_same(f, d, s);
    tu_snap_free(s);
    TU_OK(cxm_duration_add_many(d, batch, 2, NULL));
    cxm_duration_result r = result(d);
    assert_int_equal(r.n, 7);
    assert_int_equal(r.underflow, 1);
    assert_int_equal(r.overflow, 1);
    assert_true(r.min == 0.0 && r.max == 0x1p30);
    /* Reset gives every page back. */
    TU_OK(cxm_duration_reset(d));
    assert_int_equal(free_bytes(d), 2 * 64);
    TU_OK(cxm_duration_add(d, 5.0));
    cxm_duration_free(d);
}

/*
 * Counts are bytes: the 256th value of a bucket carries into a second page.
 * With two pages, 255 values of 1 s take one, the 256th the other, and then
 * 3 s (a new octave) finds none.
 */
static void compact_carries_into_a_page(void **state)
{
    (void)state;
    cxm_duration *d = mk_compact(CXM_DURATION_ANY, 2);
    for (int i = 0; i < 255; i++)
        TU_OK(cxm_duration_add(d, 1.0));
    assert_int_equal(free_bytes(d), 64);
    TU_OK(cxm_duration_add(d, 1.0));
    assert_int_equal(free_bytes(d), 0);
    TU_ST(cxm_duration_add(d, 3.0), CXM_CAPACITY);
    assert_int_equal(result(d).n, 256);
    assert_true(quantile(d, 0.5) == 1.0);
    /* Doubling itself: 2^k values of 1 s need ceil((k + 1) / 8) pages; 2^63 needs all 8. */
    cxm_duration *e = mk_compact(CXM_DURATION_ANY, 8);
    TU_OK(cxm_duration_add(e, 1.0));
    for (int k = 1; k <= 63; k++)
        TU_OK(cxm_duration_merge(e, e));
    assert_int_equal(free_bytes(e), 0);
    assert_int_equal(result(e).n, (uint64_t)1 << 63);
    TU_ST(cxm_duration_merge(e, e), CXM_OVERFLOW);
    /* Seven pages: the doubling to 2^56 needs an eighth byte and is refused. */
    cxm_duration *g = mk_compact(CXM_DURATION_ANY, 7);
    TU_OK(cxm_duration_add(g, 1.0));
    for (int k = 1; k <= 55; k++)
        TU_OK(cxm_duration_merge(g, g));
    TU_ST(cxm_duration_merge(g, g), CXM_CAPACITY);
    assert_int_equal(result(g).n, (uint64_t)1 << 55);
    cxm_duration_free(d);
    cxm_duration_free(e);
    cxm_duration_free(g);
}

/* Every figure of the compact form equals the dense form's on the same values. */
static void assert_same_figures(const cxm_duration *a, const cxm_duration *b)
{
    cxm_duration_result ra = {.size = sizeof ra}, rb = {.size = sizeof rb};
    assert_int_equal(cxm_duration_result_get(a, 0.9, &ra), cxm_duration_result_get(b, 0.9, &rb));
    assert_memory_equal(&ra, &rb, sizeof ra);
    double qs[1001], qa[1001] = {0}, qb[1001] = {0};
    for (int i = 0; i <= 1000; i++)
        qs[i] = i / 1000.0;
    assert_int_equal(cxm_duration_quantiles(a, qs, 1001, qa, NULL),
                     cxm_duration_quantiles(b, qs, 1001, qb, NULL));
    assert_memory_equal(qa, qb, sizeof qa);
    for (int i = 0; i <= 1000; i += 7) {
        double x = -1.0, y = -1.0;
        assert_int_equal(cxm_duration_quantile(a, qs[i], &x), cxm_duration_quantile(b, qs[i], &y));
        assert_true(x == y);
    }
    cxm_duration_view va = {.size = sizeof va}, vb = {.size = sizeof vb};
    assert_int_equal(cxm_duration_mttr(a, &va), cxm_duration_mttr(b, &vb));
    assert_memory_equal(&va, &vb, sizeof va);
    cxm_duration_share sa = {.size = sizeof sa}, sb = {.size = sizeof sb};
    assert_int_equal(cxm_duration_share_within(a, 3600.0, 0.0, &sa),
                     cxm_duration_share_within(b, 3600.0, 0.0, &sb));
    assert_memory_equal(&sa, &sb, sizeof sa);
    cxm_interval ia = {0}, ib = {0};
    assert_int_equal(cxm_duration_median_interval(a, 0.0, &ia),
                     cxm_duration_median_interval(b, 0.0, &ib));
    assert_memory_equal(&ia, &ib, sizeof ia);
    cxm_duration_median_comparison ca = {.size = sizeof ca}, cb = {.size = sizeof cb};
    assert_int_equal(cxm_duration_compare_median(a, b, 0.0, &ca),
                     cxm_duration_compare_median(b, b, 0.0, &cb));
    assert_memory_equal(&ca, &cb, sizeof ca);
    assert_same_bytes(a, b);
}

/*
 * The same random values (log-normal, median 1 h, sigma 1.5, with zeros and
 * values past the tracked range) through add, add_many and add_between into
 * both forms: every figure and the encoding identical; decode gives the
 * dense form, decode_with the compact one, both identical again; clone
 * keeps the form.
 */
static void compact_equals_dense(void **state)
{
    (void)state;
    uint64_t rng = 77;
    enum { N = 20000 };
    double *v = test_malloc(N * sizeof *v);
    for (int round = 0; round < 4; round++) {
        cxm_duration *dense = mk(CXM_DURATION_RESOLUTION);
        cxm_duration *packed = mk_compact(CXM_DURATION_RESOLUTION, 312);
        assert_same_figures(packed, dense); /* empty */
        size_t n = (size_t)(tu_rand(&rng) % N) + 1;
        for (size_t i = 0; i < n; i++) {
            v[i] = 3600.0 * exp(1.5 * normal(&rng));
            if (i % 97 == 5) v[i] = 0.0;
            if (i % 211 == 7) v[i] = 1e9 + (double)i;
            if (i % 307 == 9) v[i] = 1e-5 * (double)i;
        }
        size_t half = n / 2;
        for (size_t i = 0; i < half; i++) {
            TU_OK(cxm_duration_add(dense, v[i]));
            TU_OK(cxm_duration_add(packed, v[i]));
        }
        TU_OK(cxm_duration_add_many(dense, v + half, n - half, NULL));
        TU_OK(cxm_duration_add_many(packed, v + half, n - half, NULL));
        TU_OK(cxm_duration_add_between(dense, 1700000000, 1700003000 + round));
        TU_OK(cxm_duration_add_between(packed, 1700000000, 1700003000 + round));
        assert_same_figures(packed, dense);
        size_t used = 0, available = 0;
        TU_OK(cxm_duration_memory(packed, &used, &available));
        cxm_duration_options o = {sizeof o, 0, 0, 0, 312 * CXM_DURATION_PAGE_BYTES};
        assert_int_equal(used + available, cxm_duration_footprint_with(&o));
        assert_true(used < cxm_duration_footprint());

        const cxm_family_ops *f = cxm_family_find("duration");
        tu_snap s = tu_snapshot(f, packed);
        cxm_duration *back = NULL, *back_packed = NULL, *copy = NULL;
        TU_OK(cxm_duration_decode(s.bytes, s.len, &tu_allocator, &back));
        TU_OK(cxm_duration_memory(back, &used, &available));
        assert_int_equal(used, cxm_duration_footprint()); /* the dense form */
        assert_int_equal(available, 0);
        assert_same_figures(back, dense);
        o.metric = CXM_DURATION_RESOLUTION;
        TU_OK(cxm_duration_decode_with(s.bytes, s.len, &o, &tu_allocator, &back_packed));
        assert_int_equal(free_bytes(back_packed), free_bytes(packed));
        assert_same_figures(back_packed, dense);
        TU_OK(cxm_duration_clone(packed, &tu_allocator, &copy));
        assert_int_equal(free_bytes(copy), free_bytes(packed));
        assert_same_figures(copy, dense);
        /* The copy is its own: adding to it leaves the original as it was. */
        TU_OK(cxm_duration_add(copy, 12345.0));
        tu_assert_same(f, packed, s);
        tu_snap_free(s);
        cxm_duration *objs[] = {dense, packed, back, back_packed, copy};
        for (size_t k = 0; k < sizeof objs / sizeof objs[0]; k++)
            cxm_duration_free(objs[k]);
    }
    test_free(v);
}

/*
 * Merges across forms equal one accumulator fed everything: dense into
 * compact, compact into dense, compact into compact, each into itself. A
 * compact dst short of pages refuses with CXM_CAPACITY and stays as it was.
 */
static void compact_merges_across_forms(void **state)
{
    (void)state;
    uint64_t rng = 78;
    cxm_duration *all = mk(CXM_DURATION_ANY);
    cxm_duration *part[3] = {mk(CXM_DURATION_ANY), mk_compact(CXM_DURATION_ANY, 100),
                             mk_compact(CXM_DURATION_ANY, 100)};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 3000; i++) {
            double v = 3600.0 * exp(1.5 * normal(&rng));
            TU_OK(cxm_duration_add(part[k], v));
            TU_OK(cxm_duration_add(all, v));
        }
    cxm_duration *a = mk_compact(CXM_DURATION_ANY, 312), *b = mk(CXM_DURATION_ANY);
    for (int k = 0; k < 3; k++) {
        TU_OK(cxm_duration_merge(a, part[k]));
        TU_OK(cxm_duration_merge(b, part[2 - k]));
    }
    assert_same_figures(a, all);
    assert_same_figures(b, all);
    TU_OK(cxm_duration_merge(a, a));
    TU_OK(cxm_duration_merge(b, b));
    TU_OK(cxm_duration_merge(all, all));
    assert_same_figures(a, all);
    assert_same_figures(b, all);
    /* Too few pages: refused whatever the source's form, dst unchanged. */
    const cxm_family_ops *f = cxm_family_find("duration");
    cxm_duration *small = mk_compact(CXM_DURATION_ANY, 3);
    TU_OK(cxm_duration_add(small, 1.0));
    tu_snap s = tu_snapshot(f, small);
    TU_ST(cxm_duration_merge(small, part[0]), CXM_CAPACITY);
    tu_assert_same(f, small, s);
    TU_ST(cxm_duration_merge(small, part[1]), CXM_CAPACITY);
    tu_assert_same(f, small, s);
    assert_int_equal(free_bytes(small), 2 * 64);
    /* Another metric: refused before anything else. */
    cxm_duration *other = mk_compact(CXM_DURATION_HANDLE, 4);
    TU_ST(cxm_duration_merge(small, other), CXM_KIND_MISMATCH);
    TU_ST(cxm_duration_merge(other, part[0]), CXM_KIND_MISMATCH);
    tu_snap_free(s);
    cxm_duration *objs[] = {all, part[0], part[1], part[2], a, b, small, other};
    for (size_t k = 0; k < sizeof objs / sizeof objs[0]; k++)
        cxm_duration_free(objs[k]);
}

/*
 * Budgets: one page (68 bytes) to 312 pages (every octave with 8-byte
 * counts); outside, refused. The footprint follows the formula of the
 * header; an older, smaller options struct means the dense form.
 */
static void compact_creation_rules(void **state)
{
    (void)state;
    cxm_duration *d = NULL;
    cxm_duration_options o = {sizeof o, 0, CXM_DURATION_ANY, 0, CXM_DURATION_PAGE_BYTES - 1};
    TU_ST(cxm_duration_new(&o, &tu_allocator, &d), CXM_INVALID_ARGUMENT);
    assert_int_equal(cxm_duration_footprint_with(&o), 0);
    o.memory_budget = CXM_DURATION_MAX_MEMORY + 1;
    TU_ST(cxm_duration_new(&o, &tu_allocator, &d), CXM_INVALID_ARGUMENT);
    assert_int_equal(cxm_duration_footprint_with(&o), 0);
    assert_int_equal(cxm_duration_max_memory(), 312u * 68u);
    assert_int_equal(cxm_duration_page_bytes(), 68u);
    assert_int_equal(cxm_duration_footprint_with(NULL), cxm_duration_footprint());
    if (sizeof(void *) == 8) {
        for (uint32_t p = 1; p <= 312; p++) {
            /* a part page buys nothing */
            o.memory_budget = (uint64_t)p * 68u + (p < 312 ? p % 68u : 0);
            size_t want = 320 + 64 * ((16 + 4 * (size_t)p + 63) / 64) + 64 * (size_t)p;
            assert_int_equal(cxm_duration_footprint_with(&o), want);
        }
        o.memory_budget = 40 * 68;
        assert_int_equal(cxm_duration_footprint_with(&o), 3072);
    }
    /* The first version of the struct (no budget) is the dense form. */
    cxm_duration_options old = {offsetof(cxm_duration_options, memory_budget), 0, 0, 0, 68};
    assert_int_equal(cxm_duration_footprint_with(&old), cxm_duration_footprint());
    /* In caller memory, with exactly the footprint. */
    o.memory_budget = 5 * 68;
    size_t need = cxm_duration_footprint_with(&o);
    unsigned char *mem = test_malloc(need + 16);
    unsigned char *aligned = mem + (16 - (uintptr_t)mem % 16) % 16;
    TU_ST(cxm_duration_init_in(aligned, need - 1, &o, &d), CXM_BUFFER_TOO_SMALL);
    TU_OK(cxm_duration_init_in(aligned, need, &o, &d));
    size_t used = 0, available = 0;
    TU_OK(cxm_duration_memory(d, &used, &available));
    assert_int_equal(available, 5 * 64);
    assert_int_equal(used, need - 5 * 64);
    TU_OK(cxm_duration_add_many(d, FIVE, 5, NULL));
    cxm_duration *copy = NULL;
    TU_OK(cxm_duration_clone(d, &tu_allocator, &copy));
    assert_same_bytes(copy, d);
    cxm_duration_free(copy);
    cxm_duration_free(d); /* releases nothing */
    test_free(mem);
    TU_ST(cxm_duration_memory(NULL, &used, &available), CXM_INVALID_ARGUMENT);
    TU_OK(cxm_duration_new(NULL, &tu_allocator, &d));
    TU_OK(cxm_duration_memory(d, NULL, NULL));
    cxm_duration_free(d);
}

/* decode_with: the budget must hold the counts, the metric must agree; nothing allocated else. */
static void compact_decode_with(void **state)
{
    (void)state;
    cxm_duration *d = mk(CXM_DURATION_RESOLUTION);
    for (int i = 0; i < 6; i++)
        TU_OK(cxm_duration_add(d, ldexp(1.0, i))); /* six octaves */
    const cxm_family_ops *f = cxm_family_find("duration");
    tu_snap s = tu_snapshot(f, d);
    cxm_duration *out = NULL;
    cxm_duration_options o = {sizeof o, 0, 0, 0, 5 * 68};
    TU_ST(cxm_duration_decode_with(s.bytes, s.len, &o, &tu_allocator, &out), CXM_CAPACITY);
    assert_null(out);
    o.memory_budget = 6 * 68;
    o.metric = CXM_DURATION_HANDLE;
    TU_ST(cxm_duration_decode_with(s.bytes, s.len, &o, &tu_allocator, &out), CXM_KIND_MISMATCH);
    o.metric = CXM_DURATION_ANY;
    TU_OK(cxm_duration_decode_with(s.bytes, s.len, &o, &tu_allocator, &out));
    assert_int_equal(free_bytes(out), 0);
    assert_same_bytes(out, d);
    TU_ST(cxm_duration_add(out, 100.0), CXM_CAPACITY);
    uint32_t metric = 0;
    TU_OK(cxm_duration_metric_get(out, &metric));
    assert_int_equal(metric, CXM_DURATION_RESOLUTION);
    o.memory_budget = 1;
    TU_ST(cxm_duration_decode_with(s.bytes, s.len, &o, &tu_allocator, &out), CXM_INVALID_ARGUMENT);
    tu_snap_free(s);
    cxm_duration_free(out);
    cxm_duration_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spread_of_one_value_is_flagged),
        cmocka_unit_test(hand_computed_five),
        cmocka_unit_test(single_value_and_sd),
        cmocka_unit_test(underflow_and_overflow),
        cmocka_unit_test(timestamps),
        cmocka_unit_test(named_views),
        cmocka_unit_test(empty_has_no_value),
        cmocka_unit_test(bad_input_changes_nothing),
        cmocka_unit_test(creation_rules),
        cmocka_unit_test(accuracy_on_large_samples),
        cmocka_unit_test(merge_properties),
        cmocka_unit_test(overflow_is_refused),
        cmocka_unit_test(placement_and_clone),
        cmocka_unit_test(encoding_vector),
        cmocka_unit_test(decode_rejects_hostile_bytes),
        cmocka_unit_test(typical_encoding_is_small),
        cmocka_unit_test(compact_takes_a_page_per_octave),
        cmocka_unit_test(compact_carries_into_a_page),
        cmocka_unit_test(compact_equals_dense),
        cmocka_unit_test(compact_merges_across_forms),
        cmocka_unit_test(compact_creation_rules),
        cmocka_unit_test(compact_decode_with),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
