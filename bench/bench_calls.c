/*
 * bench_calls.c — single calls through the shared library, for every family
 * in the harness table (tests/harness/families.c), so a family added later
 * is measured without touching this file:
 *
 *  - add.<family>: ns per add (the table's add_one hook), next to the
 *    exported empty call cxm_noop() reached the same way (an indirect call
 *    to an adapter that calls through the PLT), measured in the same
 *    repetitions. Secondary rows: the adapters feed predictable inputs
 *    (a counter's low bits); the targets of the single add are carried by
 *    bench_direct, which calls directly with random inputs.
 *  - codec.<family>: encoded size, encode and decode throughput (MB/s).
 *  - scale.<family>: ns per add once the accumulator holds 10^3, 10^6 and
 *    10^8 events (10^3, 10^5, 10^6 in --quick), as a ratio to the first,
 *    and the resident memory the process reports for itself.
 *
 *   bench_calls [--quick]
 */
#include "bench.h"

#include <cxm.h>

#include "families.h"

typedef cxm_status (*add_fn)(void *acc, uint64_t i);

/* The reference: the same shape as a table adapter, around the empty call. */
static cxm_status noop_add_one(void *acc, uint64_t i)
{
    (void)acc;
    (void)i;
    return (cxm_status)cxm_noop();
}

/*
 * The function is read through a volatile pointer so the compiler cannot
 * specialise the loop for one adapter and inline it.
 */
static add_fn volatile fn_slot;

static double time_adds(void *acc, uint64_t start, size_t m)
{
    add_fn fn = fn_slot;
    double (*clock)(void) = m >= 20000 ? bench_now : bench_wall; /* see bench.h */
    int st = 0;
    double t0 = clock();
    for (size_t i = 0; i < m; i++)
        st |= (int)fn(acc, start + i);
    double t = clock() - t0;
    if (st != 0) {
        fprintf(stderr, "add_one failed\n");
        exit(1);
    }
    return t / (double)m;
}

#define MAX_REPS 64

/*
 * Every repetition times the empty call, then each family right after it;
 * a family's ratio is the median of its per-repetition ratios, so a slower
 * moment of the shared machine moves both sides of a ratio together.
 */
static int bench_adds(const bench_opts *o)
{
    int met = 1;
    size_t m = o->quick ? 100000 : 500000;
    int reps = o->quick ? 9 : 41;
    size_t nf = cxm_family_count;
    void **accs = calloc(nf, sizeof *accs);
    double *t = calloc(nf * MAX_REPS, sizeof *t), *ratio = calloc(nf * MAX_REPS, sizeof *ratio);
    double tn[MAX_REPS];
    if (!accs || !t || !ratio) bench_fail("out of memory");
    for (size_t f = 0; f < nf; f++)
        if (cxm_families[f].make(NULL, 0, &accs[f]) != CXM_OK) bench_fail(cxm_families[f].name);
    for (int r = -1; r < reps; r++) { /* r = -1: warm-up */
        for (size_t f = 0; f < nf; f++) {
            fn_slot = noop_add_one;
            double ref = time_adds(NULL, 0, m);
            fn_slot = cxm_families[f].add_one;
            double v = time_adds(accs[f], (uint64_t)(r + 1) * m, m);
            if (r < 0) continue;
            if (f == 0) tn[r] = ref;
            t[f * MAX_REPS + (size_t)r] = v;
            ratio[f * MAX_REPS + (size_t)r] = v / ref;
        }
    }
    double noop = bench_median(tn, (size_t)reps);
    BENCH_EMIT(.name = "add.noop", .unit = "ns", .value = noop, .n = (double)m,
               .note = "cxm_noop() through an adapter and the PLT: the cost of the call");
    char name[128];
    for (size_t f = 0; f < nf; f++) {
        double v = bench_median(&t[f * MAX_REPS], (size_t)reps);
        double q = bench_median(&ratio[f * MAX_REPS], (size_t)reps);
        snprintf(name, sizeof name, "add.%s", cxm_families[f].name);
        BENCH_EMIT(.name = name, .unit = "ns", .value = v, .n = (double)m, .has_ref = 1,
                   .ref = noop, .ratio = q,
                   .note = "secondary: predictable inputs through the table adapter; the "
                           "targets are on direct.* (bench_direct); ref: add.noop; ratio: "
                           "median of paired runs");
        cxm_families[f].destroy(accs[f]);
    }
    free(accs);
    free(t);
    free(ratio);
    return met;
}

static int bench_codec(const bench_opts *o)
{
    size_t rounds = o->quick ? 2000 : 50000;
    int reps = o->quick ? 3 : 11;
    char name[128];
    for (size_t f = 0; f < cxm_family_count; f++) {
        const cxm_family_ops *fam = &cxm_families[f];
        void *acc = NULL;
        if (fam->make(NULL, 0, &acc) != CXM_OK) bench_fail(fam->name);
        /* A populated accumulator: 10^5 events through add_one. */
        for (uint64_t i = 0; i < 100000; i++)
            if (fam->add_one(acc, i) != CXM_OK) bench_fail(fam->name);
        size_t len = 0;
        if (fam->encode(acc, NULL, 0, &len) != CXM_BUFFER_TOO_SMALL) bench_fail(fam->name);
        uint8_t *buf = malloc(len);
        if (!buf || fam->encode(acc, buf, len, &len) != CXM_OK) bench_fail(fam->name);
        double te[MAX_REPS], td[MAX_REPS];
        for (int r = 0; r < reps; r++) {
            double t0 = bench_now();
            for (size_t i = 0; i < rounds; i++) {
                size_t l2;
                if (fam->encode(acc, buf, len, &l2) != CXM_OK) bench_fail(fam->name);
                bench_sink += buf[len - 1];
            }
            te[r] = (bench_now() - t0) / (double)rounds;
            t0 = bench_now();
            for (size_t i = 0; i < rounds; i++) {
                void *back = NULL;
                if (fam->decode(buf, len, NULL, &back) != CXM_OK) bench_fail(fam->name);
                fam->destroy(back);
            }
            td[r] = (bench_now() - t0) / (double)rounds;
        }
        double e = bench_median(te, (size_t)reps), d = bench_median(td, (size_t)reps);
        snprintf(name, sizeof name, "codec.%s.encoded_size", fam->name);
        BENCH_EMIT(.name = name, .unit = "bytes", .value = (double)len, .n = 100000,
                   .note = "after 1e5 add_one events");
        snprintf(name, sizeof name, "codec.%s.encode", fam->name);
        BENCH_EMIT(.name = name, .unit = "MB/s", .value = 1e3 * (double)len / e,
                   .n = (double)rounds);
        snprintf(name, sizeof name, "codec.%s.decode", fam->name);
        BENCH_EMIT(.name = name, .unit = "MB/s", .value = 1e3 * (double)len / d,
                   .n = (double)rounds,
                   .note = "includes the allocation and free of the decoded object");
        free(buf);
        fam->destroy(acc);
    }
    return 1;
}

/*
 * Update cost once the accumulator holds N events (the state is fixed at
 * creation, so the cost must not grow with N, and neither may memory).
 * Windows of 1000 adds on the wall clock (a few microseconds, rarely
 * interrupted). The reference is a second accumulator of the same family,
 * reset before each of its windows (the adds from empty to 10^3 events);
 * the large one is filled to just below N and its windows, the last adds up
 * to N, alternate with the reference's, so that both see the same core at
 * the same clock speed (a virtual CPU moves between host cores of
 * different speeds). Medians of SCALE_WINDOWS windows and of their ratios.
 */
#define SCALE_WINDOW 1000u
#define SCALE_WINDOWS 61

typedef struct level_time {
    double ns, ref, ratio;
} level_time;

static double time_small(const cxm_family_ops *fam, void *small, uint64_t r)
{
    if (fam->reset(small) != CXM_OK) bench_fail(fam->name);
    return time_adds(small, r * SCALE_WINDOW, SCALE_WINDOW);
}

static level_time time_level(const cxm_family_ops *fam, void *big, void *small, uint64_t *held,
                             uint64_t level)
{
    double t[SCALE_WINDOWS], tr[SCALE_WINDOWS], q[SCALE_WINDOWS];
    for (; *held + SCALE_WINDOWS * SCALE_WINDOW < level; (*held)++)
        if (fam->add_one(big, *held) != CXM_OK) bench_fail(fam->name);
    for (int r = 0; r < SCALE_WINDOWS; r++) {
        tr[r] = time_small(fam, small, (uint64_t)r);
        t[r] = time_adds(big, *held, SCALE_WINDOW);
        *held += SCALE_WINDOW;
        q[r] = t[r] / tr[r];
    }
    level_time lt = {bench_median(t, SCALE_WINDOWS), bench_median(tr, SCALE_WINDOWS),
                     bench_median(q, SCALE_WINDOWS)};
    return lt;
}

static int bench_scale(const bench_opts *o)
{
    int met = 1;
    const double full[2] = {1e6, 1e8}, quick[2] = {1e5, 1e6};
    const double *levels = o->quick ? quick : full;
    char name[128], label[32];
    for (size_t f = 0; f < cxm_family_count; f++) {
        const cxm_family_ops *fam = &cxm_families[f];
        void *big = NULL, *small = NULL;
        if (fam->make(NULL, 0, &big) != CXM_OK || fam->make(NULL, 0, &small) != CXM_OK)
            bench_fail(fam->name);
        fn_slot = fam->add_one;
        /* 10^3: the small accumulator alone. */
        double t0[SCALE_WINDOWS];
        for (int r = 0; r < SCALE_WINDOWS; r++)
            t0[r] = time_small(fam, small, (uint64_t)r);
        long rss_first = bench_status_kib("RssAnon");
        snprintf(name, sizeof name, "scale.%s.1e3", fam->name);
        BENCH_EMIT(.name = name, .unit = "ns", .value = bench_median(t0, SCALE_WINDOWS),
                   .n = SCALE_WINDOW, .note = "ns per add, from empty to 1e3 events");
        snprintf(name, sizeof name, "scale.%s.1e3.rss", fam->name);
        BENCH_EMIT(.name = name, .unit = "KiB", .value = (double)rss_first, .n = SCALE_WINDOW,
                   .note = "RssAnon of this process (/proc/self/status)");
        uint64_t held = 0;
        for (int s = 0; s < 2; s++) {
            uint64_t level = (uint64_t)levels[s];
            level_time lt = time_level(fam, big, small, &held, level);
            long rss = bench_status_kib("RssAnon");
            snprintf(label, sizeof label, "1e%d", (int)(log10(levels[s]) + 0.5));
            snprintf(name, sizeof name, "scale.%s.%s", fam->name, label);
            met &= BENCH_EMIT(.name = name, .unit = "ns", .value = lt.ns, .n = (double)level,
                              .has_ref = 1, .ref = lt.ref, .ratio = lt.ratio, .limit_on = "ratio",
                              .limit_op = "<=", .limit = 1.25,
                              .note = "ns per add, the last windows of 1e3 adds up to this "
                                      "many events; ref: the same family from empty to 1e3, "
                                      "alternated; ratio: median of paired windows");
            snprintf(name, sizeof name, "scale.%s.%s.rss", fam->name, label);
            BENCH_EMIT(.name = name, .unit = "KiB", .value = (double)rss, .n = (double)held,
                       .note = "RssAnon of this process (/proc/self/status)");
            if (s == 1) {
                snprintf(name, sizeof name, "scale.%s.rss_growth", fam->name);
                met &= BENCH_EMIT(.name = name, .unit = "KiB", .value = (double)(rss - rss_first),
                                  .n = (double)held, .limit_on = "value",
                                  .limit_op = "<=", .limit = 64,
                                  .note = "RssAnon growth from 1e3 events on");
            }
        }
        fam->destroy(big);
        fam->destroy(small);
    }
    BENCH_EMIT(.name = "process.peak_rss", .unit = "KiB",
               .value = (double)bench_status_kib("VmHWM"),
               .note = "VmHWM of this process (/proc/self/status); getrusage's ru_maxrss "
                       "also counts the process image before exec");
    return met;
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv);
    /* A missed target is reported in its line, not by the exit status. */
    int met = bench_adds(&o);
    met &= bench_codec(&o);
    met &= bench_scale(&o);
    if (!met) fprintf(stderr, "note: a target was missed (see the lines with \"met\":false)\n");
    return 0;
}
