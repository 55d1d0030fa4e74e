/*
 * bench_batch.c — batch ingestion through the shared library: add_many of
 * 0-10 scores held as bytes over an array far larger than the caches, next
 * to the memory read bandwidth measured on the same array in the same run
 * (a vectorised byte sum), interleaved run by run so both see the same
 * machine; and, when the duration family is built, the batch duration record.
 *
 *   bench_batch [--quick] [--export DIR]
 *
 * --export writes the arrays it timed (DIR/scores.u8, DIR/durations.f64)
 * for bench/numpy_compare.py, which times numpy on the same bytes.
 */
#include "bench.h"
#include "memsum.h"

#include <cxm.h>

#define MIB ((size_t)1 << 20)

static void fill_scores(uint8_t *p, size_t n)
{
    uint64_t rng = 2026;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t r = bench_rand(&rng);
        /* byte * 11 / 256: each score 0..10 about equally often */
        for (int j = 0; j < 8; j++)
            p[i + (size_t)j] = (uint8_t)((((r >> (8 * j)) & 0xFF) * 11) >> 8);
    }
    for (; i < n; i++)
        p[i] = (uint8_t)(bench_rand(&rng) % 11);
}

static int export_file(const char *dir, const char *name, const void *data, size_t bytes)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, bytes, f) != bytes) {
        fprintf(stderr, "cannot write %s\n", path);
        if (f) fclose(f);
        return 0;
    }
    return fclose(f) == 0;
}

/* Times cxm_nps_add_many over the whole array; returns ns. */
static double time_nps(cxm_nps *nps, const uint8_t *p, size_t n)
{
    size_t bad = 0;
    if (cxm_nps_reset(nps) != CXM_OK) bench_fail("reset");
    double t0 = bench_now();
    cxm_status st = cxm_nps_add_many(nps, p, n, &bad);
    double t = bench_now() - t0;
    if (st != CXM_OK) {
        fprintf(stderr, "add_many: %s at %zu\n", cxm_status_str(st), bad);
        exit(1);
    }
    return t;
}

static double time_memsum(const uint8_t *p, size_t n)
{
    double t0 = bench_now();
    bench_sink += bench_memsum(p, n);
    return bench_now() - t0;
}

static double time_memsum_prefetch(const uint8_t *p, size_t n)
{
    double t0 = bench_now();
    bench_sink += bench_memsum_prefetch(p, n);
    return bench_now() - t0;
}

static int bench_scores(const bench_opts *o)
{
    int met = 1;
    size_t n = (o->quick ? 64 : 256) * MIB; /* L3 is tens of MiB: far past it */
    int reps = o->quick ? 5 : 15;
    uint8_t *p = malloc(n);
    cxm_nps *nps = NULL;
    if (!p || cxm_nps_new(CXM_NPS_TRANSACTIONAL, 0, NULL, &nps) != CXM_OK) bench_fail("setup");
    fill_scores(p, n);
    /* Warm up: page in the array, settle the clocks. */
    time_memsum(p, n);
    time_nps(nps, p, n);

    double tk[64], tm[64], tp[64], q[64], qp[64];
    for (int r = 0; r < reps; r++) {
        tm[r] = time_memsum(p, n);
        tk[r] = time_nps(nps, p, n);
        tp[r] = time_memsum_prefetch(p, n);
        q[r] = tm[r] / tk[r];
        qp[r] = tp[r] / tk[r];
    }
    double k = bench_median(tk, (size_t)reps), m = bench_median(tm, (size_t)reps);
    double mp = bench_median(tp, (size_t)reps);
    double bw = (double)n / m; /* bytes per ns = GB/s */
    double gbs = (double)n / k;

    /* Check the answer once: the counts add up to the array. */
    cxm_nps_result res = {.size = sizeof res};
    if (cxm_nps_result_get(nps, 0.0, 0, &res) != CXM_OK || res.n != n) bench_fail("NPS result");
    BENCH_EMIT(.name = "batch.nps.nps", .unit = "points", .value = res.nps, .n = (double)n,
               .note = "the answer, for numpy_compare.py to check");

    BENCH_EMIT(.name = "memory.read_bandwidth", .unit = "GB/s", .value = bw, .n = (double)n,
               .note = "byte sum without software prefetch (the reference of every target)");
    BENCH_EMIT(.name = "memory.read_bandwidth.prefetch", .unit = "GB/s", .value = (double)n / mp,
               .n = (double)n, .note = "the same byte sum prefetching 4 KiB ahead, as the kernel");
    met &= BENCH_EMIT(.name = "batch.nps.add_many", .unit = "GB/s", .value = gbs, .n = (double)n,
                      .has_ref = 1, .ref = bw, .ratio = bench_median(q, (size_t)reps),
                      .limit_on = "ratio", .limit_op = ">=", .limit = 0.5,
                      .note = "ref: memory.read_bandwidth (no prefetch); ratio: median of paired "
                              "runs");
    BENCH_EMIT(.name = "batch.nps.add_many.vs_prefetch", .unit = "GB/s", .value = gbs,
               .n = (double)n, .has_ref = 1, .ref = (double)n / mp,
               .ratio = bench_median(qp, (size_t)reps),
               .note = "the same against memory.read_bandwidth.prefetch");
    BENCH_EMIT(.name = "batch.nps.add_many.scores_per_s", .unit = "scores/s",
               .value = 1e9 * (double)n / k, .n = (double)n);
    BENCH_EMIT(.name = "batch.nps.add_many.time", .unit = "ns", .value = k, .n = (double)n,
               .has_ref = 1, .ref = m, .note = "ref: vectorised byte sum of the same array");

    /* Batches that fit in L1, as a helpdesk would send them: the kernel's own speed. */
    size_t chunk = 16 * 1024, rounds = o->quick ? 2000 : 20000;
    double tc[64];
    for (int r = 0; r < reps; r++) {
        size_t bad;
        if (cxm_nps_reset(nps) != CXM_OK) bench_fail("reset");
        double t0 = bench_now();
        for (size_t i = 0; i < rounds; i++)
            if (cxm_nps_add_many(nps, p + (i % 4) * chunk, chunk, &bad) != CXM_OK)
                bench_fail("add_many");
        tc[r] = bench_now() - t0;
    }
    double c = bench_median(tc, (size_t)reps);
    BENCH_EMIT(.name = "batch.nps.add_many.in_cache", .unit = "GB/s",
               .value = (double)(chunk * rounds) / c, .n = (double)(chunk * rounds),
               .note = "16 KiB batches");

    if (o->export_dir && !export_file(o->export_dir, "scores.u8", p, n)) bench_fail("export");
    cxm_nps_free(nps);
    free(p);
    return met;
}

/*
 * Batch duration record: cxm_duration_add_many over log-normal durations
 * (an array past the caches), ns per value; and the two quantile queries a
 * report makes afterwards (median and p90), for numpy_compare.py.
 */
static int bench_durations(const bench_opts *o)
{
    size_t n = (o->quick ? 4 : 16) * MIB; /* doubles: 32 or 128 MiB */
    int reps = o->quick ? 5 : 11;
    double *x = malloc(n * sizeof *x);
    cxm_duration *d = NULL;
    if (!x || cxm_duration_new(NULL, NULL, &d) != CXM_OK) bench_fail("setup");
    uint64_t rng = 2027;
    for (size_t i = 0; i < n; i++)
        x[i] = bench_lognormal(&rng);
    double ta[64], tq[64];
    const double qs[2] = {0.5, 0.9};
    double out[2] = {0, 0};
    for (int r = -1; r < reps; r++) {
        size_t bad;
        if (cxm_duration_reset(d) != CXM_OK) bench_fail("reset");
        double t0 = bench_now();
        if (cxm_duration_add_many(d, x, n, &bad) != CXM_OK) bench_fail("cxm_duration_add_many");
        double t1 = bench_now();
        /* A few microseconds: the wall clock, which costs less to read. */
        double w0 = bench_wall();
        if (cxm_duration_quantiles(d, qs, 2, out, &bad) != CXM_OK) bench_fail("quantiles");
        double t2 = t1 + (bench_wall() - w0);
        if (r < 0) continue;
        ta[r] = t1 - t0;
        tq[r] = t2 - t1;
    }
    double a = bench_median(ta, (size_t)reps), q = bench_median(tq, (size_t)reps);
    int met =
        BENCH_EMIT(.name = "batch.duration.add_many", .unit = "ns/value", .value = a / (double)n,
                   .n = (double)n, .limit_on = "value", .limit_op = "<=", .limit = 2.5,
                   .note = "cxm_duration_add_many of log-normal durations");
    BENCH_EMIT(.name = "batch.duration.add_many.time", .unit = "ns", .value = a, .n = (double)n);
    BENCH_EMIT(.name = "batch.duration.query.time", .unit = "ns", .value = q, .n = 2,
               .note = "cxm_duration_quantiles for the median and p90");
    BENCH_EMIT(.name = "batch.duration.median", .unit = "s", .value = out[0], .n = (double)n,
               .note = "the answer, for numpy_compare.py to check");
    BENCH_EMIT(.name = "batch.duration.p90", .unit = "s", .value = out[1], .n = (double)n);
    if (o->export_dir && !export_file(o->export_dir, "durations.f64", x, n * sizeof *x))
        bench_fail("export");
    cxm_duration_free(d);
    free(x);
    return met;
}

/* Uniform scores lo..hi (hi - lo + 1 <= 256) as bytes. */
static void fill_scale(uint8_t *p, size_t n, int lo, int hi, uint64_t seed)
{
    uint64_t rng = seed, k = (uint64_t)(hi - lo + 1);
    for (size_t i = 0; i < n; i += 4) {
        uint64_t r = bench_rand(&rng);
        for (size_t j = 0; j < 4 && i + j < n; j++)
            p[i + j] = (uint8_t)(lo + (int)((((r >> (16 * j)) & 0xFFFF) * k) >> 16));
    }
}

typedef struct scale_case {
    const char *family; /* "csat" or "ces" */
    int lo, hi, threshold;
} scale_case;

static cxm_status scale_add_many(const scale_case *c, void *acc, const uint8_t *p, size_t n,
                                 size_t *bad)
{
    if (c->family[1] == 's') return cxm_csat_add_many(acc, p, n, bad);
    return cxm_ces_add_many(acc, p, n, bad);
}

static cxm_status scale_reset(const scale_case *c, void *acc)
{
    return c->family[1] == 's' ? cxm_csat_reset(acc) : cxm_ces_reset(acc);
}

/* Times one add_many over the whole array (after a reset); returns ns. */
static double time_scale(const scale_case *c, void *acc, const uint8_t *p, size_t n)
{
    size_t bad = 0;
    if (scale_reset(c, acc) != CXM_OK) bench_fail("reset");
    double t0 = bench_now();
    cxm_status st = scale_add_many(c, acc, p, n, &bad);
    double t = bench_now() - t0;
    if (st != CXM_OK) {
        fprintf(stderr, "%s add_many: %s at %zu\n", c->family, cxm_status_str(st), bad);
        exit(1);
    }
    return t;
}

/*
 * CSAT and CES batch ingest per width of the scale: add_many over an array
 * of uniformly random scores far past the caches, against the byte sum of
 * the same array, interleaved run by run. Targets: at least half the read
 * bandwidth up to 11 points; at least 4 GB/s for 101 points.
 */
static int bench_scale_widths(const bench_opts *o)
{
    static const scale_case cases[] = {
        {"csat", 0, 1, 1},  {"csat", 1, 5, 4},    {"ces", 1, 7, 5},
        {"csat", 0, 10, 9}, {"csat", 0, 100, 90},
    };
    int met = 1;
    size_t n = (o->quick ? 64 : 256) * MIB;
    int reps = o->quick ? 5 : 11;
    uint8_t *p = malloc(n);
    if (!p) bench_fail("out of memory");
    char name[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const scale_case *c = &cases[i];
        int points = c->hi - c->lo + 1;
        void *acc = NULL;
        cxm_status st;
        if (c->family[1] == 's') {
            cxm_csat_options co = {sizeof co, 0, c->lo, c->hi, c->threshold, 0};
            st = cxm_csat_new(&co, NULL, (cxm_csat **)&acc);
        } else {
            cxm_ces_options eo = {sizeof eo, 0, c->lo, c->hi, c->threshold, 0};
            st = cxm_ces_new(&eo, NULL, (cxm_ces **)&acc);
        }
        if (st != CXM_OK) bench_fail("scale setup");
        fill_scale(p, n, c->lo, c->hi, 3000 + i);
        time_memsum(p, n); /* warm-up: page in, settle the clocks */
        time_scale(c, acc, p, n);
        double tk[64], tm[64], q[64];
        for (int r = 0; r < reps; r++) {
            tm[r] = time_memsum(p, n);
            tk[r] = time_scale(c, acc, p, n);
            q[r] = tm[r] / tk[r];
        }
        double k = bench_median(tk, (size_t)reps), m = bench_median(tm, (size_t)reps);
        double ratio = bench_median(q, (size_t)reps);
        snprintf(name, sizeof name, "batch.%s.add_many.%dpt", c->family, points);
        if (points <= 11)
            met &= BENCH_EMIT(.name = name, .unit = "GB/s", .value = (double)n / k, .n = (double)n,
                              .has_ref = 1, .ref = (double)n / m, .ratio = ratio,
                              .limit_on = "ratio", .limit_op = ">=", .limit = 0.5,
                              .note = "ref: byte sum of the same array (memory read bandwidth, "
                                      "no software prefetch); ratio: median of paired runs");
        else
            met &= BENCH_EMIT(.name = name, .unit = "GB/s", .value = (double)n / k, .n = (double)n,
                              .has_ref = 1, .ref = (double)n / m, .ratio = ratio,
                              .limit_on = "value", .limit_op = ">=", .limit = 4.0,
                              .note = "ref: byte sum of the same array (memory read bandwidth, "
                                      "no software prefetch); ratio: median of paired runs");
        snprintf(name, sizeof name, "batch.%s.add_many.%dpt.ns_per_answer", c->family, points);
        BENCH_EMIT(.name = name, .unit = "ns", .value = k / (double)n, .n = (double)n);
        if (c->family[1] == 's')
            cxm_csat_free(acc);
        else
            cxm_ces_free(acc);
    }
    free(p);
    return met;
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv);
    /* A missed target is reported in its line, not by the exit status. */
    int met = bench_scores(&o);
    met &= bench_scale_widths(&o);
    met &= bench_durations(&o);
    if (!met) fprintf(stderr, "note: a target was missed (see the lines with \"met\":false)\n");
    return 0;
}
