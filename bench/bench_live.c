/*
 * bench_live.c — what keeping a roll-up live costs (cxm/rollup.h, "LIVE
 * TICKETS"): replacing a ticket's previous record by its new one, against
 * adding a record, measured in the same run on the same roll-up state.
 *
 *  - rollup.replace.live: cxm_rollup_replace of a ticket's record by its
 *    next state (replied, solved, reopened, solved again, CSAT answered:
 *    one of each, at random) in a live roll-up (running-target index,
 *    SLA policy of four priorities, 8 channels, 20 topics, 50 agents, every
 *    time kept) already holding 2^16 tickets, against cxm_rollup_add of
 *    the previous records into the same state (paired runs; target: at
 *    most 2.5x).
 *  - rollup.replace.frozen: the same in frozen mode (no index: what the
 *    retraction of counts, histograms and sketches costs by itself).
 *  - rollup.add.live: an add into the live roll-up, whose index holds tens
 *    of thousands of running targets, against the same add into the frozen
 *    one (target: at most 2x; the index costs O(log n + 64) an update, where a flat sorted array
 * cost 20x).
 *
 *   bench_live [--quick]
 */
#include "bench.h"

#include <stdbool.h>

#include <cxm.h>

#define T0 1793577600LL /* 2026-11-02 00:00 UTC */
#define DAY 86400LL
#define BASE ((size_t)1 << 16)
#define MAX_REPS 15

static cxm_ticket fresh_ticket(uint64_t *s)
{
    cxm_ticket t;
    memset(&t, 0, sizeof t);
    t.size = sizeof t;
    t.created = T0 + (int64_t)(bench_rand(s) % (30 * DAY));
    t.channel = (uint32_t)(bench_rand(s) % 8);
    t.topic = (uint32_t)(bench_rand(s) % 20);
    t.priority = (uint32_t)(bench_rand(s) % 4);
    t.agent = (uint32_t)(bench_rand(s) % 50);
    return t;
}

static int64_t later(const cxm_ticket *t, uint64_t *s)
{
    int64_t at = t->created;
    const int64_t when[3] = {t->first_reply, t->first_solved, t->last_solved};
    for (int i = 0; i < 3; i++)
        at = when[i] > at ? when[i] : at;
    return at + 1 + (int64_t)bench_lognormal(s);
}

/* The ticket's next state in its life: replied, solved, reopened, solved again, CSAT answer. */
static cxm_ticket next_state(const cxm_ticket *t, uint64_t *s)
{
    cxm_ticket x = *t;
    int64_t at = later(t, s);
    bool solved = x.first_solved != 0 && (x.reopens == 0 || x.last_solved != 0);
    if (x.first_reply == 0) {
        x.first_reply = at;
        x.agent_replies++;
    } else if (!solved) {
        if (x.first_solved == 0)
            x.first_solved = at;
        else
            x.last_solved = at;
        x.requester_wait = (double)(at - x.created) * 0.6;
        x.agent_work = (double)(at - x.created) * 0.3;
        x.on_hold = (double)(at - x.created) * 0.1;
    } else if (bench_rand(s) % 3 == 0) {
        x.reopens++;
        x.last_solved = 0;
        x.customer_replies++;
    } else {
        x.flags |= CXM_TICKET_HAS_CSAT;
        x.csat = 1 + (int32_t)(bench_rand(s) % 5);
    }
    return x;
}

/* A ticket some way into its life: 0 to 4 steps. */
static cxm_ticket some_ticket(uint64_t *s)
{
    cxm_ticket t = fresh_ticket(s);
    for (uint64_t k = bench_rand(s) % 5; k > 0; k--)
        t = next_state(&t, s);
    return t;
}

static cxm_rollup *make(uint32_t running, const cxm_sla_policy *p)
{
    cxm_rollup_options o = {.size = sizeof o};
    o.channels = 8;
    o.topics = 20;
    o.priorities = 4;
    o.agents = 50;
    o.sla_policy = p;
    o.running = running;
    o.sla_as_of = running ? 0 : CXM_CALENDAR_MAX_TIME;
    cxm_rollup *r = NULL;
    if (cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &r) != CXM_OK) bench_fail("rollup_new");
    return r;
}

static int run(const char *name, uint32_t running, const cxm_sla_policy *p, size_t m, int reps,
               double *add_ns)
{
    uint64_t s = 7;
    cxm_rollup *base = make(running, p);
    for (size_t i = 0; i < BASE; i++) {
        cxm_ticket t = some_ticket(&s);
        if (cxm_rollup_add(base, &t, NULL) != CXM_OK) bench_fail("base add");
    }
    cxm_ticket *old = malloc(m * sizeof *old), *now = malloc(m * sizeof *now);
    if (!old || !now) bench_fail("malloc");
    for (size_t i = 0; i < m; i++) {
        old[i] = some_ticket(&s);
        now[i] = next_state(&old[i], &s);
    }
    double add[MAX_REPS], rep[MAX_REPS], ratio[MAX_REPS];
    for (int r = 0; r < reps; r++) {
        cxm_rollup *a = NULL, *b = NULL;
        if (cxm_rollup_clone(base, NULL, &a) != CXM_OK ||
            cxm_rollup_clone(base, NULL, &b) != CXM_OK)
            bench_fail("clone");
        for (size_t i = 0; i < m; i++)
            if (cxm_rollup_add(b, &old[i], NULL) != CXM_OK) bench_fail("add old");
        double t_;
        BENCH_TIMED_LOOP(m, cxm_rollup_add(a, &old[i], NULL));
        add[r] = t_;
        BENCH_TIMED_LOOP(m, cxm_rollup_replace(b, &old[i], &now[i], NULL));
        rep[r] = t_;
        ratio[r] = rep[r] / add[r];
        cxm_rollup_free(a);
        cxm_rollup_free(b);
    }
    double ra = bench_median(ratio, (size_t)reps);
    *add_ns = bench_median(add, (size_t)reps);
    int met = BENCH_EMIT(.name = name, .unit = "ns", .value = bench_median(rep, (size_t)reps),
                         .n = (double)m, .has_ref = 1, .ref = bench_median(add, (size_t)reps),
                         .ratio = ra, .limit_on = "ratio", .limit_op = "<=", .limit = 2.5,
                         .note = "ref: cxm_rollup_add of the previous records, same state");
    free(old);
    free(now);
    cxm_rollup_free(base);
    return met;
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv);
    size_t m = o.quick ? 4096 : 32768;
    int reps = o.quick ? 3 : MAX_REPS;
    cxm_sla_policy *p = NULL;
    if (cxm_sla_policy_new(4, NULL, &p) != CXM_OK) bench_fail("policy");
    const int64_t fr[4] = {3600, 4 * 3600, 8 * 3600, 24 * 3600};
    for (uint32_t q = 0; q < 4; q++)
        if (cxm_sla_policy_set_target(p, q, CXM_SLA_FIRST_REPLY, fr[q], CXM_SLA_CALENDAR_TIME) !=
                CXM_OK ||
            cxm_sla_policy_set_target(p, q, CXM_SLA_TOTAL_RESOLUTION, 4 * fr[q],
                                      CXM_SLA_CALENDAR_TIME) != CXM_OK)
            bench_fail("targets");
    double live_add, frozen_add;
    int met = run("rollup.replace.live", (uint32_t)(2 * (BASE + 2 * m)), p, m, reps, &live_add);
    met &= run("rollup.replace.frozen", 0, p, m, reps, &frozen_add);
    /* What the running-target index costs an add: tens of thousands of targets are running. */
    met &= BENCH_EMIT(.name = "rollup.add.live", .unit = "ns", .value = live_add, .n = (double)m,
                      .has_ref = 1, .ref = frozen_add, .ratio = live_add / frozen_add,
                      .limit_on = "ratio", .limit_op = "<=", .limit = 2.0,
                      .note = "ref: the same adds into a frozen roll-up (no index)");
    cxm_sla_policy_free(p);
    (void)met; /* a missed target is reported in its line, not as a failed run */
    return 0;
}
