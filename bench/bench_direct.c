/*
 * bench_direct.c — single adds called directly from application code (no
 * adapter, no function pointer: the call goes through the PLT of the shared
 * library, as a program linked against libcxm makes it), on inputs an
 * application sends: uniformly random scores and brands, rate outcomes at
 * p = 0.5, log-normal durations. These figures carry the targets of the
 * single add; bench_calls keeps the adapter figures of every family as
 * secondary rows.
 *
 *  - direct.noop: the exported empty call cxm_noop(), in a loop of the same
 *    shape (it reads the same input array and folds the input into the
 *    status it accumulates, as the add loops do), timed right before each
 *    add in every repetition; a ratio is the median of the paired ratios.
 *  - direct.<family>: ns per add and its ratio to direct.noop.
 *  - direct.nps_panel.4 and .4096: a panel holding 4 or 4096 competitors,
 *    brands drawn uniformly; the 4096 figure is also stated against the 4.
 *  - panel.fill.<order>.<n>: filling an empty panel with n brands (one add
 *    each) in ascending, descending and random order; the cost per brand at
 *    4096 against the cost per brand at 512 says whether the fill grows like
 *    n log n (ratio about 1.3) or like n^2 (ratio about 8).
 *
 *   bench_direct [--quick]
 */
#include "bench.h"

#include <cxm.h>

#define INPUTS ((size_t)1 << 16) /* random inputs, read in a ring: no pattern to learn */
#define MASK (INPUTS - 1)
#define MAX_REPS 64

typedef struct inputs {
    uint8_t nps[INPUTS];   /* 0..10 */
    uint8_t csat[INPUTS];  /* 1..5, the default CSAT scale */
    uint8_t ces[INPUTS];   /* 1..7, the default CES scale */
    uint8_t rate[INPUTS];  /* 0 or 1, p = 0.5 */
    uint16_t few[INPUTS];  /* brands 0..4: ours and 4 competitors */
    uint16_t many[INPUTS]; /* brands 0..4096: ours and 4096 competitors */
    double dur[INPUTS];    /* log-normal seconds, median one hour */
} inputs;

static uint32_t uniform(uint64_t *s, uint32_t k)
{
    return (uint32_t)(((bench_rand(s) >> 32) * k) >> 32);
}

static void fill_inputs(inputs *in)
{
    uint64_t s = 10;
    for (size_t i = 0; i < INPUTS; i++) {
        in->nps[i] = (uint8_t)uniform(&s, 11);
        in->csat[i] = (uint8_t)(1 + uniform(&s, 5));
        in->ces[i] = (uint8_t)(1 + uniform(&s, 7));
        in->rate[i] = (uint8_t)uniform(&s, 2);
        in->few[i] = (uint16_t)uniform(&s, 5);
        in->many[i] = (uint16_t)uniform(&s, 4097);
        in->dur[i] = bench_lognormal(&s);
    }
}

/* One timed loop per family (BENCH_TIMED_LOOP), written out so each is a plain direct call. */

typedef struct accs {
    cxm_nps *nps;
    cxm_csat *csat;
    cxm_ces *ces;
    cxm_rate *rate;
    cxm_duration *dur;
    cxm_nps_panel *few, *many;
} accs;

enum { F_NPS, F_CSAT, F_CES, F_RATE, F_DUR, F_FEW, F_MANY, F_COUNT };
static const char *const fam_names[F_COUNT] = {"nps",      "csat",        "ces",           "rate",
                                               "duration", "nps_panel.4", "nps_panel.4096"};

/* The empty call in a loop of the add loops' shape: it reads the input too. */
static double time_noop(const inputs *in, size_t m)
{
    double t_;
    BENCH_TIMED_LOOP(m, cxm_noop() | (in->nps[i & MASK] > 10));
    return t_;
}

static double time_family(int f, const accs *a, const inputs *in, size_t m)
{
    double t_ = 0;
    switch (f) {
    case F_NPS: BENCH_TIMED_LOOP(m, cxm_nps_add(a->nps, in->nps[i & MASK])); break;
    case F_CSAT: BENCH_TIMED_LOOP(m, cxm_csat_add(a->csat, in->csat[i & MASK])); break;
    case F_CES: BENCH_TIMED_LOOP(m, cxm_ces_add(a->ces, in->ces[i & MASK])); break;
    case F_RATE: BENCH_TIMED_LOOP(m, cxm_rate_add(a->rate, in->rate[i & MASK])); break;
    case F_DUR: BENCH_TIMED_LOOP(m, cxm_duration_add(a->dur, in->dur[i & MASK])); break;
    case F_FEW:
        BENCH_TIMED_LOOP(m, cxm_nps_panel_add(a->few, in->few[i & MASK], in->nps[(i + 7) & MASK]));
        break;
    case F_MANY:
        BENCH_TIMED_LOOP(m,
                         cxm_nps_panel_add(a->many, in->many[i & MASK], in->nps[(i + 7) & MASK]));
        break;
    }
    return t_;
}

/* Targets as a ratio to the empty call (0: measured, no target). */
static const double fam_limits[F_COUNT] = {1.25, 1.25, 1.25, 1.25, 1.6, 0, 0};

static int bench_direct(const bench_opts *o, const inputs *in)
{
    int met = 1;
    size_t m = o->quick ? 100000 : 400000;
    int reps = o->quick ? 9 : 41;
    accs a = {0};
    if (cxm_nps_new(CXM_NPS_TRANSACTIONAL, 0, NULL, &a.nps) != CXM_OK ||
        cxm_csat_new(NULL, NULL, &a.csat) != CXM_OK || cxm_ces_new(NULL, NULL, &a.ces) != CXM_OK ||
        cxm_rate_new(CXM_RATE_FCR, 0, NULL, &a.rate) != CXM_OK ||
        cxm_duration_new(NULL, NULL, &a.dur) != CXM_OK ||
        cxm_nps_panel_new(4, NULL, &a.few) != CXM_OK ||
        cxm_nps_panel_new(4096, NULL, &a.many) != CXM_OK)
        bench_fail("setup");
    static double t[F_COUNT][MAX_REPS], q[F_COUNT][MAX_REPS], tn[MAX_REPS], big[MAX_REPS];
    for (int r = -1; r < reps; r++) { /* r = -1: warm-up, and every panel brand seen */
        for (int f = 0; f < F_COUNT; f++) {
            double ref = time_noop(in, m);
            double v = time_family(f, &a, in, m);
            if (r < 0) continue;
            if (f == 0) tn[r] = ref;
            t[f][r] = v;
            q[f][r] = v / ref;
        }
        if (r >= 0) big[r] = t[F_MANY][r] / t[F_FEW][r];
    }
    double noop = bench_median(tn, (size_t)reps);
    BENCH_EMIT(.name = "direct.noop", .unit = "ns", .value = noop, .n = (double)m,
               .note = "cxm_noop() called directly through the PLT, in a loop that reads "
                       "the input array like the add loops");
    char name[64];
    for (int f = 0; f < F_COUNT; f++) {
        double v = bench_median(t[f], (size_t)reps), r = bench_median(q[f], (size_t)reps);
        snprintf(name, sizeof name, "direct.%s", fam_names[f]);
        met &= BENCH_EMIT(.name = name, .unit = "ns", .value = v, .n = (double)m, .has_ref = 1,
                          .ref = noop, .ratio = r, .limit_on = fam_limits[f] > 0 ? "ratio" : NULL,
                          .limit_op = "<=", .limit = fam_limits[f],
                          .note = "uniformly random inputs; ref: direct.noop; ratio: median "
                                  "of paired runs");
    }
    met &= BENCH_EMIT(.name = "direct.nps_panel.4096_vs_4", .unit = "ns",
                      .value = bench_median(t[F_MANY], (size_t)reps), .n = (double)m, .has_ref = 1,
                      .ref = bench_median(t[F_FEW], (size_t)reps),
                      .ratio = bench_median(big, (size_t)reps), .limit_on = "ratio",
                      .limit_op = "<=", .limit = 2.0,
                      .note = "panel add with 4096 competitors against 4; ratio: median of "
                              "paired runs");
    cxm_nps_result res = {.size = sizeof res};
    if (cxm_nps_result_get(a.nps, 0.0, 0, &res) != CXM_OK || res.n == 0) bench_fail("result");
    cxm_nps_free(a.nps);
    cxm_csat_free(a.csat);
    cxm_ces_free(a.ces);
    cxm_rate_free(a.rate);
    cxm_duration_free(a.dur);
    cxm_nps_panel_free(a.few);
    cxm_nps_panel_free(a.many);
    return met;
}

/* ns to fill an empty panel of capacity n with brands 1..n in the given order. */
static double time_fill(cxm_nps_panel *p, const uint32_t *brands, size_t n)
{
    if (cxm_nps_panel_reset(p) != CXM_OK) bench_fail("reset");
    uint32_t st = 0;
    double t0 = bench_now();
    for (size_t i = 0; i < n; i++)
        st |= (uint32_t)cxm_nps_panel_add(p, brands[i], (int32_t)(i % 11));
    double t = bench_now() - t0;
    if (st != 0) bench_fail("panel fill");
    return t;
}

static int bench_fill(const bench_opts *o)
{
    int met = 1;
    enum { NMAX = 4096 };
    static const char *const orders[3] = {"ascending", "descending", "random"};
    static uint32_t brands[NMAX];
    int reps = o->quick ? 7 : 31;
    char name[64];
    for (int k = 0; k < 3; k++) {
        double per[2] = {0, 0};
        const size_t sizes[2] = {512, NMAX};
        for (int s = 0; s < 2; s++) {
            size_t n = sizes[s];
            uint64_t rng = 77;
            for (size_t i = 0; i < n; i++)
                brands[i] = k == 1 ? (uint32_t)(n - i) : (uint32_t)(i + 1);
            if (k == 2)
                for (size_t i = n - 1; i > 0; i--) { /* Fisher-Yates */
                    size_t j = (size_t)uniform(&rng, (uint32_t)(i + 1));
                    uint32_t x = brands[i];
                    brands[i] = brands[j];
                    brands[j] = x;
                }
            cxm_nps_panel *p = NULL;
            if (cxm_nps_panel_new((uint32_t)n, NULL, &p) != CXM_OK) bench_fail("panel");
            double tv[MAX_REPS];
            time_fill(p, brands, n);
            for (int r = 0; r < reps; r++)
                tv[r] = time_fill(p, brands, n);
            double v = bench_median(tv, (size_t)reps);
            per[s] = v / (double)n;
            snprintf(name, sizeof name, "panel.fill.%s.%zu", orders[k], n);
            if (s == 0)
                BENCH_EMIT(.name = name, .unit = "ns", .value = v, .n = (double)n,
                           .note = "one add per new brand into an empty panel of that capacity");
            else
                met &= BENCH_EMIT(.name = name, .unit = "ns", .value = v, .n = (double)n,
                                  .has_ref = 1, .ref = per[0] * (double)n, .ratio = per[1] / per[0],
                                  .limit_on = "ratio", .limit_op = "<=", .limit = 2.0,
                                  .note = "ref: 4096 x the cost per brand of the 512 fill; ratio "
                                          "<= 2 holds for n log n growth (about 1.3), not n^2 (8)");
            cxm_nps_panel_free(p);
        }
    }
    return met;
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv);
    inputs *in = malloc(sizeof *in);
    if (!in) bench_fail("out of memory");
    fill_inputs(in);
    /* A missed target is reported in its line, not by the exit status. */
    int met = bench_direct(&o, in);
    met &= bench_fill(&o);
    free(in);
    if (!met) fprintf(stderr, "note: a target was missed (see the lines with \"met\":false)\n");
    return 0;
}
