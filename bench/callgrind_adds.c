/*
 * callgrind_adds.c — the single adds of bench_direct, each in its own
 * function, for instruction and branch counts under callgrind (which a
 * loaded machine cannot disturb):
 *
 *   valgrind --tool=callgrind --branch-sim=yes \
 *       --callgrind-out-file=cg.out ./build-bench/bench/callgrind_adds
 *   callgrind_annotate --inclusive=yes --show=Ir,Bcm cg.out | grep run_
 *
 * Each run_* makes CALLS direct calls on random inputs of the kind
 * bench_direct uses; divide its inclusive counts by CALLS (run_fill_desc:
 * one fill of a 4096-brand panel in descending order). Run the same binary
 * with LD_LIBRARY_PATH pointing at another build of the library to compare.
 */
#include "bench.h"

#include <cxm.h>

#define CALLS 200000

static uint8_t s11[CALLS], s5[CALLS], s7[CALLS], s2[CALLS];
static uint16_t few[CALLS], many[CALLS];
static double dur[CALLS];

static uint32_t uniform(uint64_t *s, uint32_t k)
{
    return (uint32_t)(((bench_rand(s) >> 32) * k) >> 32);
}

/* Each loop folds the statuses and stops the program on an error. */
#define RUN(name, type, call)                                                                      \
    __attribute__((noinline)) static void name(type x)                                             \
    {                                                                                              \
        uint32_t st = 0;                                                                           \
        for (size_t i = 0; i < CALLS; i++)                                                         \
            st |= (uint32_t)(call);                                                                \
        if (st != 0) bench_fail(#name);                                                            \
    }

RUN(run_noop, void *, cxm_noop() | (s11[i] > 10) | (x != NULL))
RUN(run_nps, cxm_nps *, cxm_nps_add(x, s11[i]))
RUN(run_csat, cxm_csat *, cxm_csat_add(x, s5[i]))
RUN(run_ces, cxm_ces *, cxm_ces_add(x, s7[i]))
RUN(run_rate, cxm_rate *, cxm_rate_add(x, s2[i]))
RUN(run_dur, cxm_duration *, cxm_duration_add(x, dur[i]))
RUN(run_p4, cxm_nps_panel *, cxm_nps_panel_add(x, few[i], s11[i]))
RUN(run_p4096, cxm_nps_panel *, cxm_nps_panel_add(x, many[i], s11[i]))
RUN(warm_p4096, cxm_nps_panel *, cxm_nps_panel_add(x, 1 + (uint32_t)(i % 4096), s11[i]))

__attribute__((noinline)) static void run_fill_desc(cxm_nps_panel *p)
{
    uint32_t st = 0;
    for (uint32_t b = 4096; b >= 1; b--)
        st |= (uint32_t)cxm_nps_panel_add(p, b, 5);
    if (st != 0) bench_fail("run_fill_desc");
}

int main(void)
{
    uint64_t s = 10;
    for (size_t i = 0; i < CALLS; i++) {
        s11[i] = (uint8_t)uniform(&s, 11);
        s5[i] = (uint8_t)(1 + uniform(&s, 5));
        s7[i] = (uint8_t)(1 + uniform(&s, 7));
        s2[i] = (uint8_t)uniform(&s, 2);
        few[i] = (uint16_t)uniform(&s, 5);
        many[i] = (uint16_t)uniform(&s, 4097);
        dur[i] = bench_lognormal(&s);
    }
    cxm_nps *n = NULL;
    cxm_csat *c = NULL;
    cxm_ces *e = NULL;
    cxm_rate *r = NULL;
    cxm_duration *d = NULL;
    cxm_nps_panel *p4 = NULL, *p4096 = NULL, *pf = NULL;
    if (cxm_nps_new(CXM_NPS_TRANSACTIONAL, 0, NULL, &n) || cxm_csat_new(NULL, NULL, &c) ||
        cxm_ces_new(NULL, NULL, &e) || cxm_rate_new(CXM_RATE_FCR, 0, NULL, &r) ||
        cxm_duration_new(NULL, NULL, &d) || cxm_nps_panel_new(4, NULL, &p4) ||
        cxm_nps_panel_new(4096, NULL, &p4096) || cxm_nps_panel_new(4096, NULL, &pf))
        bench_fail("setup");
    warm_p4096(p4096); /* every brand present before the timed adds */
    run_noop(NULL);
    run_nps(n);
    run_csat(c);
    run_ces(e);
    run_rate(r);
    run_dur(d);
    run_p4(p4);
    run_p4096(p4096);
    run_fill_desc(pf);
    cxm_nps_free(n);
    cxm_csat_free(c);
    cxm_ces_free(e);
    cxm_rate_free(r);
    cxm_duration_free(d);
    cxm_nps_panel_free(p4);
    cxm_nps_panel_free(p4096);
    cxm_nps_panel_free(pf);
    return 0;
}
