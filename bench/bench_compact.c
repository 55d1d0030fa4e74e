/*
 * bench_compact.c — the compact form of the standalone duration and
 * survival accumulators (cxm/duration.h and cxm/survival.h, "THE COMPACT
 * FORM") against the dense form, on realistic data: log-normal durations,
 * median one hour, sigma 1.5 (a third of the survival tickets open).
 *
 *  - compact.<duration, survival>.bytes.1eN: after N values, the bytes of a
 *    compact accumulator budgeted to exactly the pages those values took
 *    (cxm_*_footprint_with of that budget), next to the dense footprint
 *    (ref); compact.<...>.pages.1eN, the pages taken;
 *  - compact.duration.add and compact.survival.add: ns per single add into
 *    a compact accumulator (the largest budget: it never refuses) next to
 *    the same values into a dense one, interleaved run by run (the order
 *    alternating), ratio the median of paired ratios;
 *  - compact.duration.add_many: the same through add_many in batches of
 *    1,024 values;
 *  - compact.duration.quantile and compact.duration.merge: a quantile query
 *    and a merge of two halves of 10^6 values (10^5 in quick mode), compact
 *    against dense, interleaved.
 *
 *   bench_compact [--quick]
 */
#include "bench.h"

#include <cxm.h>

#define MAX_REPS 64
#define BATCH 1024

static cxm_duration *duration_of(uint64_t budget)
{
    cxm_duration_options o = {sizeof o, 0, CXM_DURATION_RESOLUTION, 0, budget};
    cxm_duration *d = NULL;
    if (cxm_duration_new(&o, NULL, &d) != CXM_OK) bench_fail("cxm_duration_new");
    return d;
}

static cxm_survival *survival_of(uint64_t budget)
{
    cxm_survival_options o = {sizeof o, 0, budget};
    cxm_survival *s = NULL;
    if (cxm_survival_new_with(&o, NULL, &s) != CXM_OK) bench_fail("cxm_survival_new_with");
    return s;
}

/* Pages an accumulator of the largest budget took: its free bytes tell. */
static uint64_t pages_taken(uint64_t max_pages, size_t available)
{
    return max_pages - available / 64u;
}

/* The two lines of one form after n values: its bytes against the dense form's, its pages. */
static void emit_bytes(const char *family, size_t n, size_t bytes, size_t dense, uint64_t pages,
                       const char *note)
{
    char name[96];
    int e = (int)lround(log10((double)n));
    snprintf(name, sizeof name, "compact.%s.bytes.1e%d", family, e);
    BENCH_EMIT(.name = name, .unit = "bytes", .value = (double)bytes, .n = (double)n, .has_ref = 1,
               .ref = (double)dense, .note = note);
    snprintf(name, sizeof name, "compact.%s.pages.1e%d", family, e);
    BENCH_EMIT(.name = name, .unit = "pages", .value = (double)pages, .n = (double)n,
               .note = "64-byte pages of counts (68 bytes of budget each)");
}

static void bytes_after(const double *x, const uint8_t *states, size_t n)
{
    /* Durations. */
    cxm_duration *d = duration_of(CXM_DURATION_MAX_MEMORY);
    for (size_t i = 0; i < n; i++)
        if (cxm_duration_add(d, x[i]) != CXM_OK) bench_fail("cxm_duration_add");
    size_t used = 0, available = 0;
    if (cxm_duration_memory(d, &used, &available) != CXM_OK) bench_fail("cxm_duration_memory");
    uint64_t pages = pages_taken(CXM_DURATION_MAX_MEMORY / CXM_DURATION_PAGE_BYTES, available);
    cxm_duration_options fit = {sizeof fit, 0, CXM_DURATION_RESOLUTION, 0,
                                pages * CXM_DURATION_PAGE_BYTES};
    emit_bytes("duration", n, cxm_duration_footprint_with(&fit), cxm_duration_footprint(), pages,
               "compact accumulator budgeted to the pages the values took; ref: the dense form "
               "(cxm_duration_footprint)");
    cxm_duration_free(d);
    /* Survival: the same times, a third of them open ages; both sketches' pages, one pool. */
    cxm_survival *s = survival_of(CXM_SURVIVAL_MAX_MEMORY);
    if (cxm_survival_add_many(s, x, states, n, NULL) != CXM_OK) bench_fail("survival add_many");
    if (cxm_survival_memory(s, &used, &available) != CXM_OK) bench_fail("cxm_survival_memory");
    pages = pages_taken(CXM_SURVIVAL_MAX_MEMORY / CXM_SURVIVAL_PAGE_BYTES, available);
    cxm_survival_options sfit = {sizeof sfit, 0, pages * CXM_SURVIVAL_PAGE_BYTES};
    emit_bytes("survival", n, cxm_survival_footprint_with(&sfit), cxm_survival_footprint(), pages,
               "compact accumulator budgeted to the pages the tickets took; ref: the dense form "
               "(cxm_survival_footprint)");
    cxm_survival_free(s);
}

/* ns per value of one timed pass; `which` 0: single adds, 1: add_many in batches. */
static double time_durations(cxm_duration *d, const double *x, size_t m, int which)
{
    if (cxm_duration_reset(d) != CXM_OK) bench_fail("reset");
    int st = 0;
    double t0 = bench_now();
    if (which == 0) {
        for (size_t i = 0; i < m; i++)
            st |= (int)cxm_duration_add(d, x[i]);
    } else {
        for (size_t i = 0; i < m; i += BATCH)
            st |= (int)cxm_duration_add_many(d, x + i, m - i < BATCH ? m - i : BATCH, NULL);
    }
    double t = (bench_now() - t0) / (double)m;
    if (st != 0) bench_fail("duration add");
    return t;
}

static double time_survival(cxm_survival *s, const double *x, const uint8_t *states, size_t m)
{
    if (cxm_survival_reset(s) != CXM_OK) bench_fail("reset");
    int st = 0;
    double t0 = bench_now();
    for (size_t i = 0; i < m; i++)
        st |= (int)cxm_survival_add(s, x[i], states[i]);
    double t = (bench_now() - t0) / (double)m;
    if (st != 0) bench_fail("survival add");
    return t;
}

static void add_costs(const bench_opts *o, const double *x, const uint8_t *states, size_t n)
{
    int reps = o->quick ? 5 : 21;
    size_t m = n / 4;
    cxm_duration *dense = duration_of(0), *packed = duration_of(CXM_DURATION_MAX_MEMORY);
    cxm_survival *sdense = survival_of(0), *spacked = survival_of(CXM_SURVIVAL_MAX_MEMORY);
    static const char *const names[3] = {"compact.duration.add", "compact.duration.add_many",
                                         "compact.survival.add"};
    for (int kind = 0; kind < 3; kind++) {
        double tc[MAX_REPS], td[MAX_REPS], ratio[MAX_REPS];
        for (int r = -1; r < reps; r++) {
            const size_t at = (size_t)(r < 0 ? 0 : r % 4) * m;
            double c = 0.0, d = 0.0;
            /* The order alternates: neither side always runs on a warmed cache. */
            for (int side = 0; side < 2; side++) {
                int compact = (side + r + 2) % 2 == 0;
                double t = kind == 2
                               ? time_survival(compact ? spacked : sdense, x + at, states + at, m)
                               : time_durations(compact ? packed : dense, x + at, m, kind);
                if (compact)
                    c = t;
                else
                    d = t;
            }
            if (r < 0) continue;
            tc[r] = c;
            td[r] = d;
            ratio[r] = c / d;
        }
        BENCH_EMIT(.name = names[kind], .unit = "ns", .value = bench_median(tc, (size_t)reps),
                   .n = (double)m, .has_ref = 1, .ref = bench_median(td, (size_t)reps),
                   .ratio = bench_median(ratio, (size_t)reps),
                   .note = "the compact form (largest budget), log-normal values; ref: the "
                           "dense form on the same values, interleaved; ratio: median of "
                           "paired ratios");
    }
    cxm_duration_free(dense);
    cxm_duration_free(packed);
    cxm_survival_free(sdense);
    cxm_survival_free(spacked);
}

/*
 * Reads and merges: the compact form materialises its sketch (20 KB) for
 * every read and merges page by page; the quantile query and the merge of
 * two halves of the values, each form against the other, interleaved.
 */
static void read_and_merge_costs(const bench_opts *o, const double *x, size_t n)
{
    static const double qs[4] = {0.5, 0.9, 0.99, 0.999};
    int reps = o->quick ? 5 : 15;
    size_t rounds = o->quick ? 500 : 4000;
    cxm_duration *dense[2] = {duration_of(0), duration_of(0)};
    cxm_duration *packed[2] = {duration_of(CXM_DURATION_MAX_MEMORY),
                               duration_of(CXM_DURATION_MAX_MEMORY)};
    for (int h = 0; h < 2; h++)
        for (size_t i = (size_t)h * (n / 2); i < (size_t)(h + 1) * (n / 2); i++)
            if (cxm_duration_add(dense[h], x[i]) != CXM_OK ||
                cxm_duration_add(packed[h], x[i]) != CXM_OK)
                bench_fail("add");
    double tq[2][MAX_REPS], tm[2][MAX_REPS], rq[MAX_REPS], rm[MAX_REPS];
    for (int r = 0; r < reps; r++) {
        for (int side = 0; side < 2; side++) {
            int compact = (side + r) % 2 == 0;
            cxm_duration **d = compact ? packed : dense;
            double sum = 0.0, t0 = bench_now();
            for (size_t i = 0; i < rounds; i++) {
                double q = 0.0;
                if (cxm_duration_quantile(d[0], qs[i % 4], &q) != CXM_OK) bench_fail("quantile");
                sum += q;
            }
            tq[compact][r] = (bench_now() - t0) / (double)rounds;
            bench_sink += (uint64_t)sum;
            cxm_duration *dst = NULL;
            if (cxm_duration_clone(d[0], NULL, &dst) != CXM_OK) bench_fail("clone");
            t0 = bench_now();
            for (size_t i = 0; i < rounds; i++)
                if (cxm_duration_merge(dst, d[1]) != CXM_OK) bench_fail("merge");
            tm[compact][r] = (bench_now() - t0) / (double)rounds;
            cxm_duration_free(dst);
        }
        rq[r] = tq[1][r] / tq[0][r];
        rm[r] = tm[1][r] / tm[0][r];
    }
    BENCH_EMIT(.name = "compact.duration.quantile", .unit = "ns",
               .value = bench_median(tq[1], (size_t)reps), .n = (double)rounds, .has_ref = 1,
               .ref = bench_median(tq[0], (size_t)reps), .ratio = bench_median(rq, (size_t)reps),
               .note = "cxm_duration_quantile (p50, p90, p99, p99.9 in turn) of 1e6 log-normal "
                       "values, compact; ref: dense, interleaved");
    BENCH_EMIT(.name = "compact.duration.merge", .unit = "ns",
               .value = bench_median(tm[1], (size_t)reps), .n = (double)rounds, .has_ref = 1,
               .ref = bench_median(tm[0], (size_t)reps), .ratio = bench_median(rm, (size_t)reps),
               .note = "cxm_duration_merge of two halves of the values, compact into compact; "
                       "ref: dense into dense, interleaved");
    for (int h = 0; h < 2; h++) {
        cxm_duration_free(dense[h]);
        cxm_duration_free(packed[h]);
    }
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv);
    size_t n = o.quick ? 400000 : 4000000;
    double *x = malloc(n * sizeof *x);
    uint8_t *states = malloc(n);
    if (!x || !states) bench_fail("out of memory");
    uint64_t rng = 2026;
    for (size_t i = 0; i < n; i++) {
        x[i] = bench_lognormal(&rng);
        states[i] = bench_rand(&rng) % 3 == 0 ? CXM_SURVIVAL_OPEN : CXM_SURVIVAL_RESOLVED;
    }
    size_t top = o.quick ? 100000 : 1000000;
    for (size_t k = 100; k <= top; k *= 10)
        bytes_after(x, states, k);
    add_costs(&o, x, states, n);
    read_and_merge_costs(&o, x, o.quick ? 100000 : 1000000);
    free(x);
    free(states);
    return 0;
}
