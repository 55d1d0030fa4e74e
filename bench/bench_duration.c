/*
 * bench_duration.c — the duration sketch through the shared library: state
 * and encoded size, ns per record, merge and quantile-query cost, and the
 * observed relative error of p50/p90/p99/p99.9 against an exact sort of the
 * same values (10 million in full mode, 500,000 in --quick), for
 * log-normal, heavy-tailed (Pareto) and bimodal data, a spike on a bucket
 * edge, the two ends of the range the bound is stated for (just above 1 ms,
 * 5 to 10 years) and adversarial data (every value on a bucket's lower
 * edge; values straddling bucket edges), before and after merging shards.
 * The stated bound is each error's limit, not a figure of its own.
 *
 *   bench_duration [--quick]
 */
#include "bench.h"

#include <cxm.h>

#define SHARDS 16
#define MAX_REPS 64

typedef enum {
    LOGNORMAL,
    PARETO,
    BIMODAL,
    SPIKE,
    EDGE_LOW,
    EDGE_HIGH,
    LOWER_EDGES,
    STRADDLE,
    NDIST
} dist;
static const char *const dist_names[NDIST] = {"lognormal", "pareto",    "bimodal",     "spike",
                                              "edge_low",  "edge_high", "lower_edges", "straddle"};

/* Ten years in seconds: the top of the range the error bound must cover. */
#define TEN_YEARS (10.0 * 365.25 * 86400.0)

/* 2^e (1 + k / 64): the lower edge of a bucket of the sketch (64 per octave). */
static double bucket_edge(int e, int k)
{
    return ldexp(1.0 + k / 64.0, e);
}

/* A random bucket edge with 1 ms < edge < 10 years (octaves 2^-9 .. 2^27). */
static double random_edge(uint64_t *rng)
{
    uint64_t r = bench_rand(rng);
    return bucket_edge(-9 + (int)(r % 37), (int)((r >> 8) % 64));
}

/*
 * Resolution-time-like data, in seconds:
 *  - log-normal: median one hour, sigma 1.5 (minutes to weeks);
 *  - Pareto: x_m = 60 s, alpha = 1.1 (a heavy tail), capped at ten years;
 *  - bimodal: 60% around 5 minutes (sd 1 min), 40% around a day (sd 3 h);
 *  - spike: 98% exactly 1792 s (29 min 52 s, the lower edge of its bucket,
 *    where the sketch's estimate is furthest from the value), 1% at a minute
 *    and 1% at a day, so that the quantiles are not min or max (which the
 *    sketch returns exactly);
 *  - edge_low: just above 1 ms, 1 to 3 ms, log-uniform (the bottom of the
 *    range the bound is stated for);
 *  - edge_high: 5 to 10 years, log-uniform (the top of that range);
 *  - lower_edges: every value on the lower edge of a bucket, across the
 *    range (adversarial: the worst place for the estimate);
 *  - straddle: bucket edges and the largest double just below them, in
 *    equal numbers (two values 1 ulp apart in neighbouring buckets).
 */
static void generate(dist d, double *x, size_t n, uint64_t seed)
{
    uint64_t rng = seed;
    for (size_t i = 0; i < n; i++) {
        double v = 0.0, u;
        switch (d) {
        case LOGNORMAL: v = bench_lognormal(&rng); break;
        case PARETO:
            u = 1.0 - bench_unit(&rng); /* (0, 1] */
            v = 60.0 * pow(u, -1.0 / 1.1);
            v = v < TEN_YEARS ? v : TEN_YEARS;
            break;
        case BIMODAL:
            v = bench_unit(&rng) < 0.6 ? 300.0 + 60.0 * bench_normal(&rng)
                                       : 86400.0 + 10800.0 * bench_normal(&rng);
            v = fabs(v);
            break;
        case SPIKE:
            u = bench_unit(&rng);
            v = u < 0.01 ? 60.0 : u < 0.02 ? 86400.0 : bucket_edge(10, 48);
            break;
        case EDGE_LOW: v = 0.001 * pow(3.0, bench_unit(&rng)) * (1.0 + 1e-12); break;
        case EDGE_HIGH: v = TEN_YEARS * pow(0.5, bench_unit(&rng)); break;
        case LOWER_EDGES: v = random_edge(&rng); break;
        case STRADDLE:
            v = random_edge(&rng);
            if (i % 2) v = nextafter(v, 0.0);
            break;
        case NDIST: break;
        }
        x[i] = v;
    }
}

static cxm_duration *make(void)
{
    cxm_duration *d = NULL;
    if (cxm_duration_new(NULL, NULL, &d) != CXM_OK) bench_fail("cxm_duration_new");
    return d;
}

static void add_all(cxm_duration *d, const double *x, size_t n)
{
    size_t bad;
    if (cxm_duration_add_many(d, x, n, &bad) != CXM_OK) bench_fail("cxm_duration_add_many");
}

static size_t encoded_len(const cxm_duration *d, uint8_t *buf, size_t cap)
{
    size_t len = 0;
    if (cxm_duration_encode(d, buf, cap, &len) != CXM_OK) bench_fail("cxm_duration_encode");
    return len;
}

static const double qs[4] = {0.5, 0.9, 0.99, 0.999};
static const char *const q_names[4] = {"p50", "p90", "p99", "p99.9"};

/* Observed relative error of each quantile of d against the sorted data. */
static double worst_error; /* the largest error observed in the whole run */

static int report_errors(const char *dname, const char *when, const cxm_duration *d,
                         const double *sorted, size_t n)
{
    int met = 1;
    char name[128];
    /* The library's stated bound, 1/129: the limit each measured error is held to. */
    double bound = cxm_duration_relative_error();
    for (int k = 0; k < 4; k++) {
        double est = 0.0;
        if (cxm_duration_quantile(d, qs[k], &est) != CXM_OK) bench_fail("cxm_duration_quantile");
        /* The rank convention of docs/duration.md: element floor(q (n - 1)) of the sorted data. */
        double exact = sorted[(size_t)(qs[k] * (double)(n - 1))];
        double err = exact > 0.0 ? fabs(est - exact) / exact : fabs(est - exact);
        snprintf(name, sizeof name, "duration.error.%s.%s.%s", dname, when, q_names[k]);
        worst_error = err > worst_error ? err : worst_error;
        met &= BENCH_EMIT(.name = name, .unit = "relative", .value = err, .n = (double)n,
                          .limit_on = "value", .limit_op = "<=", .limit = bound,
                          .note = "|sketch - exact sort| / exact; limit: the stated bound "
                                  "cxm_duration_relative_error()");
    }
    return met;
}

static int bench_accuracy(const bench_opts *o)
{
    int met = 1;
    size_t n = o->quick ? 500000 : 10000000;
    double *x = malloc(n * sizeof *x), *sorted = malloc(n * sizeof *sorted);
    uint8_t *buf = malloc(1 << 20), *buf2 = malloc(1 << 20);
    if (!x || !sorted || !buf || !buf2) bench_fail("out of memory");
    char name[128];
    for (int dd = 0; dd < NDIST; dd++) {
        generate((dist)dd, x, n, 1000 + (uint64_t)dd);
        memcpy(sorted, x, n * sizeof *x);
        qsort(sorted, n, sizeof *sorted, bench_cmp_double);

        cxm_duration *one = make();
        add_all(one, x, n);
        met &= report_errors(dist_names[dd], "single", one, sorted, n);

        /* The same values over shards (contiguous slices), merged. */
        cxm_duration *merged = make();
        for (int s = 0; s < SHARDS; s++) {
            size_t lo = n * (size_t)s / SHARDS, hi = n * (size_t)(s + 1) / SHARDS;
            cxm_duration *shard = make();
            add_all(shard, x + lo, hi - lo);
            if (cxm_duration_merge(merged, shard) != CXM_OK) bench_fail("cxm_duration_merge");
            cxm_duration_free(shard);
        }
        met &= report_errors(dist_names[dd], "merged", merged, sorted, n);

        size_t len = encoded_len(one, buf, 1 << 20), len2 = encoded_len(merged, buf2, 1 << 20);
        snprintf(name, sizeof name, "duration.merge_exact.%s", dist_names[dd]);
        met &= BENCH_EMIT(.name = name, .unit = "bool",
                          .value = len == len2 && memcmp(buf, buf2, len) == 0, .n = (double)n,
                          .limit_on = "value", .limit_op = ">=", .limit = 1,
                          .note = "16 merged shards encode to the bytes of one sketch fed all");
        snprintf(name, sizeof name, "duration.encoded_size.%s", dist_names[dd]);
        met &= BENCH_EMIT(.name = name, .unit = "bytes", .value = (double)len, .n = (double)n,
                          .limit_on = "value", .limit_op = "<=", .limit = 8192,
                          .note = "typical encoding <= 8 KiB");
        cxm_duration_free(one);
        cxm_duration_free(merged);
    }
    met &= BENCH_EMIT(.name = "duration.error.worst", .unit = "relative", .value = worst_error,
                      .n = (double)n * NDIST, .limit_on = "value",
                      .limit_op = "<=", .limit = cxm_duration_relative_error(),
                      .note = "the largest of every error above; limit: the stated bound");
    free(x);
    free(sorted);
    free(buf);
    free(buf2);
    return met;
}

/* ns per record, merge and query costs, on log-normal data. */
static int bench_costs(const bench_opts *o)
{
    int met = 1;
    int reps = o->quick ? 5 : 15;
    size_t n = o->quick ? 1000000 : 4000000;
    double *x = malloc(n * sizeof *x);
    if (!x) bench_fail("out of memory");
    generate(LOGNORMAL, x, n, 7);

    /* One call per value, directly as an application would, next to the empty call. */
    cxm_duration *d = make();
    double tr[MAX_REPS], tn[MAX_REPS], ratio[MAX_REPS];
    size_t m = n / 4;
    for (int r = -1; r < reps; r++) {
        uint32_t acc = 0;
        double t0 = bench_now();
        for (size_t i = 0; i < m; i++)
            acc |= cxm_noop();
        double noop = (bench_now() - t0) / (double)m;
        const double *v = x + (size_t)(r < 0 ? 0 : r % 4) * m;
        int st = 0;
        if (cxm_duration_reset(d) != CXM_OK) bench_fail("reset");
        t0 = bench_now();
        for (size_t i = 0; i < m; i++)
            st |= (int)cxm_duration_add(d, v[i]);
        double rec = (bench_now() - t0) / (double)m;
        if (st != 0) bench_fail("cxm_duration_add");
        bench_sink += acc;
        if (r < 0) continue;
        tr[r] = rec;
        tn[r] = noop;
        ratio[r] = rec / noop;
    }
    BENCH_EMIT(.name = "duration.record", .unit = "ns", .value = bench_median(tr, (size_t)reps),
               .n = (double)m, .has_ref = 1, .ref = bench_median(tn, (size_t)reps),
               .ratio = bench_median(ratio, (size_t)reps),
               .note = "cxm_duration_add of log-normal values, called directly; ref: a "
                       "direct loop of cxm_noop() (direct.duration in bench_direct, "
                       "paired run by run, carries the target)");

    size_t footprint = cxm_duration_footprint();
    met &= BENCH_EMIT(.name = "duration.state_bytes", .unit = "bytes", .value = (double)footprint,
                      .n = 1, .limit_on = "value", .limit_op = "<=", .limit = 24576,
                      .note = "cxm_duration_footprint(); fixed whatever the data");
    /* Merge: two sketches of a million log-normal values each. */
    cxm_duration *a = make(), *b = make();
    add_all(a, x, n / 2);
    add_all(b, x + n / 2, n / 2);
    size_t rounds = o->quick ? 2000 : 20000;
    double tm[MAX_REPS];
    for (int r = 0; r < reps; r++) {
        cxm_duration *dst = NULL;
        if (cxm_duration_clone(a, NULL, &dst) != CXM_OK) bench_fail("clone");
        double t0 = bench_now();
        for (size_t i = 0; i < rounds; i++)
            if (cxm_duration_merge(dst, b) != CXM_OK) bench_fail("cxm_duration_merge");
        tm[r] = (bench_now() - t0) / (double)rounds;
        cxm_duration_free(dst);
    }
    met &=
        BENCH_EMIT(.name = "duration.merge", .unit = "ns", .value = bench_median(tm, (size_t)reps),
                   .n = (double)rounds, .limit_on = "value", .limit_op = "<=", .limit = 2000,
                   .note = "cxm_duration_merge of two populated sketches");

    /* Quantile queries, cycling through p50, p90, p99, p99.9. */
    double tq[MAX_REPS];
    for (int r = 0; r < reps; r++) {
        double sum = 0.0;
        double t0 = bench_now();
        for (size_t i = 0; i < rounds; i++) {
            double q = 0.0;
            if (cxm_duration_quantile(a, qs[i % 4], &q) != CXM_OK) bench_fail("quantile");
            sum += q;
        }
        tq[r] = (bench_now() - t0) / (double)rounds;
        bench_sink += (uint64_t)sum;
    }
    BENCH_EMIT(.name = "duration.quantile_query", .unit = "ns",
               .value = bench_median(tq, (size_t)reps), .n = (double)rounds,
               .note = "cxm_duration_quantile, one q per call");

    cxm_duration_free(a);
    cxm_duration_free(b);
    cxm_duration_free(d);
    free(x);
    return met;
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv);
    /* A missed target is reported in its line, not by the exit status. */
    int met = bench_costs(&o);
    met &= bench_accuracy(&o);
    if (!met) fprintf(stderr, "note: a target was missed (see the lines with \"met\":false)\n");
    return 0;
}
