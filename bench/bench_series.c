/*
 * bench_series.c — what a time axis costs (cxm/series.h), next to the same
 * work without one, measured in the same run:
 *
 *  - series.add.<family>: one event into a daily series of 90 buckets,
 *    against the same add into a bare accumulator (paired runs; target: at
 *    most 1.3x). The events are what a live stream sends: in time order
 *    with up to a minute of jitter, uniformly random scores and log-normal
 *    durations; each repetition is a new day, so the clock moves and a
 *    bucket is retired once per repetition.
 *  - series.window30: a 30-day rolling window of durations (2,000
 *    log-normal durations a day) merged into one accumulator, against one
 *    merge of a single bucket of the same window, a different one each
 *    repetition (target: at most 30x the merge: a window costs its merges
 *    and nothing more).
 *  - series.footprint.<family>.90d: bytes of a 90-day daily series (no
 *    target; the header states them), and of a 90-day daily backlog.
 *  - backlog.replace: a live ticket's record replaced (open -> solved) in
 *    a 90-day daily backlog, against adding the open record (paired runs;
 *    no target: a retraction reads the ring once to check that the counts
 *    can hold the record, so it grows with the ring, and the figure says
 *    by how much on a 90-day ring). 2,000 tickets a day over 30 days,
 *    solved after a log-normal time.
 *
 *   bench_series [--quick]
 */
#include "bench.h"

#include <stdlib.h>

#include <cxm.h>

#define T0 1793577600LL /* 2026-11-02 00:00 UTC */
#define DAY 86400LL
#define INPUTS ((size_t)1 << 16)
#define MASK (INPUTS - 1)
#define MAX_REPS 64

typedef struct inputs {
    uint8_t nps[INPUTS];
    double dur[INPUTS];
    int64_t jitter[INPUTS]; /* seconds, -60 .. 60 */
} inputs;

static void fill_inputs(inputs *in)
{
    uint64_t s = 11;
    for (size_t i = 0; i < INPUTS; i++) {
        in->nps[i] = (uint8_t)((bench_rand(&s) >> 32) * 11 >> 32);
        in->dur[i] = bench_lognormal(&s);
        in->jitter[i] = (int64_t)(bench_rand(&s) % 121) - 60;
    }
}

/* Instant of event i of day d: spread over the day, a minute of jitter, kept inside the day. */
static inline int64_t instant(const inputs *in, int64_t d, size_t i, size_t m)
{
    int64_t t = T0 + d * DAY + 60 + (int64_t)((double)i * (double)(DAY - 120) / (double)m);
    return t + in->jitter[i & MASK];
}

static cxm_series *daily(const void *proto, uint32_t buckets)
{
    cxm_series_options o = {
        .size = sizeof o, .width = CXM_SERIES_DAY, .buckets = buckets, .start = T0};
    cxm_series *s = NULL;
    if (cxm_series_new(&o, proto, NULL, &s) != CXM_OK) bench_fail("series_new");
    return s;
}

static int bench_adds(const bench_opts *o, const inputs *in)
{
    int met = 1;
    size_t m = o->quick ? 100000 : 400000;
    int reps = o->quick ? 9 : 41;
    cxm_nps *nps = NULL, *bare_nps = NULL;
    cxm_duration *dur = NULL, *bare_dur = NULL;
    if (cxm_nps_new(CXM_NPS_TRANSACTIONAL, 0, NULL, &nps) != CXM_OK ||
        cxm_nps_new(CXM_NPS_TRANSACTIONAL, 0, NULL, &bare_nps) != CXM_OK ||
        cxm_duration_new(NULL, NULL, &dur) != CXM_OK ||
        cxm_duration_new(NULL, NULL, &bare_dur) != CXM_OK)
        bench_fail("setup");
    cxm_series *sn = daily(nps, 90), *sd = daily(dur, 90);
    static double tn[MAX_REPS], qn[MAX_REPS], td[MAX_REPS], qd[MAX_REPS], rn[MAX_REPS],
        rd[MAX_REPS];
    for (int r = -1; r < reps; r++) {
        int64_t d = r + 1; /* each repetition a new day: the clock moves once */
        double t_, ref;
        BENCH_TIMED_LOOP(m, cxm_nps_add(bare_nps, in->nps[i & MASK]));
        ref = t_;
        BENCH_TIMED_LOOP(m, cxm_series_nps_add(sn, instant(in, d, i, m), in->nps[i & MASK]));
        if (r >= 0) {
            tn[r] = t_;
            rn[r] = ref;
            qn[r] = t_ / ref;
        }
        BENCH_TIMED_LOOP(m, cxm_duration_add(bare_dur, in->dur[i & MASK]));
        ref = t_;
        BENCH_TIMED_LOOP(m, cxm_series_duration_add(sd, instant(in, d, i, m), in->dur[i & MASK]));
        if (r >= 0) {
            td[r] = t_;
            rd[r] = ref;
            qd[r] = t_ / ref;
        }
    }
    /* The reference loop computes no instant: the ratio includes computing one, as a caller does.
     */
    met &=
        BENCH_EMIT(.name = "series.add.nps", .unit = "ns", .value = bench_median(tn, (size_t)reps),
                   .n = (double)m, .has_ref = 1, .ref = bench_median(rn, (size_t)reps),
                   .ratio = bench_median(qn, (size_t)reps), .limit_on = "ratio",
                   .limit_op = "<=", .limit = 1.3,
                   .note = "daily series of 90 buckets, events in time order with a minute "
                           "of jitter; ref: cxm_nps_add on the same scores; paired runs");
    met &=
        BENCH_EMIT(.name = "series.add.duration", .unit = "ns",
                   .value = bench_median(td, (size_t)reps), .n = (double)m, .has_ref = 1,
                   .ref = bench_median(rd, (size_t)reps), .ratio = bench_median(qd, (size_t)reps),
                   .limit_on = "ratio", .limit_op = "<=", .limit = 1.3,
                   .note = "log-normal durations; ref: cxm_duration_add on the same values");
    cxm_series_free(sn);
    cxm_series_free(sd);
    cxm_nps_free(nps);
    cxm_nps_free(bare_nps);
    cxm_duration_free(dur);
    cxm_duration_free(bare_dur);
    return met;
}

static int bench_window(const bench_opts *o, const inputs *in)
{
    int reps = o->quick ? 15 : 101;
    cxm_duration *proto = NULL;
    if (cxm_duration_new(NULL, NULL, &proto) != CXM_OK) bench_fail("setup");
    cxm_series *s = daily(proto, 90);
    for (int64_t d = 0; d < 30; d++)
        for (size_t i = 0; i < 2000; i++)
            if (cxm_series_duration_add(s, instant(in, d, i, 2000),
                                        in->dur[((size_t)d * 2000 + i) & MASK]) != CXM_OK)
                bench_fail("fill");
    void *into = NULL;
    if (cxm_series_new_accumulator(s, NULL, &into) != CXM_OK) bench_fail("accumulator");
    static double tw[256], tm[256], q[256];
    const int64_t as_of = T0 + 29 * DAY + 3600;
    for (int r = -1; r < reps; r++) {
        /*
         * The reference merges a different bucket of the window each time:
         * one bucket always the same would stay in L1 between repetitions
         * while the window reads its 30 from further away.
         */
        const void *bucket = NULL;
        if (cxm_series_bucket(s, (uint32_t)(r + 1) % 30, &bucket, NULL) != CXM_OK ||
            cxm_duration_reset(into) != CXM_OK)
            bench_fail("bucket");
        double t0 = bench_wall();
        cxm_status st = cxm_duration_merge(into, bucket);
        double merge = bench_wall() - t0;
        if (st != CXM_OK || cxm_duration_reset(into) != CXM_OK) bench_fail("merge");
        t0 = bench_wall();
        st = cxm_series_window(s, as_of, 30, into);
        double window = bench_wall() - t0;
        if (st != CXM_OK) bench_fail("window");
        if (r < 0) continue;
        tw[r] = window;
        tm[r] = merge;
        q[r] = window / merge;
    }
    cxm_duration_result res = {.size = sizeof res};
    if (cxm_duration_result_get(into, 0, &res) != CXM_OK || res.n != 30 * 2000)
        bench_fail("window result");
    int met =
        BENCH_EMIT(.name = "series.window30", .unit = "ns", .value = bench_median(tw, (size_t)reps),
                   .n = 30, .has_ref = 1, .ref = bench_median(tm, (size_t)reps),
                   .ratio = bench_median(q, (size_t)reps), .limit_on = "ratio",
                   .limit_op = "<=", .limit = 30.0,
                   .note = "30 daily duration buckets (2000 log-normal durations each) merged "
                           "into one accumulator; ref: one cxm_duration_merge of one bucket of "
                           "the window, a different one each run; wall clock, paired runs");
    cxm_duration_free(into);
    cxm_series_free(s);
    cxm_duration_free(proto);
    return met;
}

static int bench_backlog(const bench_opts *o, const inputs *in)
{
    const size_t m = o->quick ? 20000 : 60000; /* 2,000 a day: 10 or 30 days */
    int reps = o->quick ? 9 : 31;
    cxm_series_options so = {
        .size = sizeof so, .width = CXM_SERIES_DAY, .buckets = 90, .start = T0};
    cxm_backlog *b = NULL;
    cxm_ticket *open = malloc(m * sizeof *open), *solved = malloc(m * sizeof *solved);
    if (!open || !solved || cxm_backlog_new(&so, NULL, &b) != CXM_OK) bench_fail("setup");
    for (size_t i = 0; i < m; i++) {
        int64_t created = instant(in, (int64_t)(i / 2000), i % 2000, 2000);
        open[i] = (cxm_ticket){.size = sizeof(cxm_ticket), .created = created};
        solved[i] = open[i];
        solved[i].first_solved = created + 1 + (int64_t)in->dur[i & MASK];
    }
    static double ta[MAX_REPS], tr[MAX_REPS], q[MAX_REPS];
    for (int r = -1; r < reps; r++) {
        double t_;
        if (cxm_backlog_reset(b) != CXM_OK) bench_fail("reset");
        BENCH_TIMED_LOOP(m, cxm_backlog_add(b, &open[i], NULL));
        double add = t_;
        BENCH_TIMED_LOOP(m, cxm_backlog_replace(b, &open[i], &solved[i], NULL));
        if (r < 0) continue;
        ta[r] = add;
        tr[r] = t_;
        q[r] = t_ / add;
    }
    cxm_backlog_result last = {.size = sizeof last};
    if (cxm_backlog_before(b, &last) != CXM_OK || last.created != 0) bench_fail("backlog result");
    BENCH_EMIT(.name = "backlog.replace", .unit = "ns", .value = bench_median(tr, (size_t)reps),
               .n = (double)m, .has_ref = 1, .ref = bench_median(ta, (size_t)reps),
               .ratio = bench_median(q, (size_t)reps),
               .note = "open -> solved record of each ticket in a 90-day daily backlog, 2000 "
                       "tickets a day, log-normal times to solve; ref: cxm_backlog_add of the "
                       "open records; paired runs; no target");
    size_t fp = cxm_backlog_footprint(&so);
    char note[96];
    snprintf(note, sizeof note, "cxm_backlog_footprint of a 90-day daily backlog: %zu bytes", fp);
    BENCH_EMIT(.name = "series.footprint.backlog.90d", .unit = "bytes", .value = (double)fp,
               .n = 90, .note = note);
    cxm_backlog_free(b);
    free(open);
    free(solved);
    return 1;
}

static void bench_footprints(void)
{
    cxm_nps *nps = NULL;
    cxm_duration *dur = NULL;
    if (cxm_nps_new(CXM_NPS_TRANSACTIONAL, 0, NULL, &nps) != CXM_OK ||
        cxm_duration_new(NULL, NULL, &dur) != CXM_OK)
        bench_fail("setup");
    cxm_series_options o = {.size = sizeof o, .width = CXM_SERIES_DAY, .buckets = 90};
    /* The exact byte counts go in the notes: values print with 6 significant digits. */
    char note[2][96];
    size_t fp[2] = {cxm_series_footprint(&o, nps), cxm_series_footprint(&o, dur)};
    for (int k = 0; k < 2; k++)
        snprintf(note[k], sizeof note[k],
                 "cxm_series_footprint of a 90-day daily %s series: %zu bytes",
                 k ? "duration" : "NPS", fp[k]);
    BENCH_EMIT(.name = "series.footprint.nps.90d", .unit = "bytes", .value = (double)fp[0], .n = 90,
               .note = note[0]);
    BENCH_EMIT(.name = "series.footprint.duration.90d", .unit = "bytes", .value = (double)fp[1],
               .n = 90, .note = note[1]);
    cxm_nps_free(nps);
    cxm_duration_free(dur);
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv);
    static inputs in;
    fill_inputs(&in);
    int met = bench_adds(&o, &in);
    met &= bench_window(&o, &in);
    bench_footprints();
    met &= bench_backlog(&o, &in);
    (void)met; /* a missed target is reported in its line, not as a failed run */
    return 0;
}
