/*
 * bench_scale.c — the roll-up at team scale (cxm/rollup.h, "MEMORY"): the
 * memory its state holds once fed, and what an add costs as the data grows.
 * Tickets are realistic: log-normal times (median one hour, sigma 1.5),
 * replies and solves in order, a CSAT answer on a third, an NPS answer on a
 * fifth, handle times, uniform channels, topics, priorities and agents.
 *
 *  - rollup.scale.team.state: MiB in use (cxm_rollup_memory: the fixed part
 *    and the pages in use) of a roll-up of 10 channels, 50 topics, 4
 *    priorities, 1,000 agents (each a full group) and the channel x
 *    priority cells, keeping every time, budget 12 MiB, fed 10^6 tickets
 *    (quick: 10^5); limit 16 MiB; .footprint: its whole allocation.
 *    Reference: the same configuration's groups with the whole-sketch
 *    layout of before (7 sketches of 20,064 bytes each), computed, not
 *    allocated.
 *  - rollup.scale.wide.state: the same for 256 channels x 1,024 topics,
 *    budget 24 MiB, fed 10^5 tickets (quick: 10^4); limit 32 MiB.
 *  - rollup.scale.add.<n>: ns per cxm_rollup_add in the team configuration
 *    while it grows from n/10 to n tickets, for n = 10^3 .. 10^6 (full:
 *    10^7); limit 120 ns. Reference: the same over the first 10^3 tickets
 *    (flat means a ratio near 1).
 *  - rollup.scale.add.flat: the largest of those ratios from 10^4 on; limit
 *    1.25, the flat-cost limit of every family's scale line.
 *  - rollup.scale.add.floor: what the memory allows: ns per ticket to
 *    read-modify-write one byte in each of as many random cache lines as
 *    an add of that ticket writes (counted from the layout: see lines_of),
 *    spread over as many bytes as the roll-up has in use after the largest
 *    n. Reference: rollup.scale.add.<largest n> of the same run. No limit:
 *    it shows how far the 120 ns target is from the misses an add pays.
 *    The real adds hit a few hot lines (the overall group's) more often
 *    than uniform random ones, so this is a guide, not a strict bound.
 *  - rollup.scale.add.floor_exact: the least work any layout keeping what
 *    the roll-up promises must do per ticket, done alone (exact_floor_ns):
 *    the adds cannot cost less than this on the machine, whatever the
 *    code. Above 120 ns, the target is out of reach here.
 *  - rollup.scale.read.row: ns to read one agent's leaderboard row from the
 *    team roll-up after the largest n: its counts and rates
 *    (cxm_rollup_result_get), CSAT, NPS, resolution time with its interval
 *    (cxm_rollup_duration_get) and the six other times (cxm_rollup_time_get),
 *    every agent in turn. Reference: the same figures read from standalone
 *    accumulators (the CSAT, NPS and seven dense durations an application
 *    would otherwise keep per agent, holding as many answers and values as
 *    an agent has), cxm_*_result_get each. No limit: what a leaderboard of
 *    1,000 agents costs to read.
 *  - rollup.scale.read.survival: ns per agent of cxm_rollup_survival_get_at
 *    (the Kaplan-Meier resolution time with the open tickets censored at
 *    the read) of a team roll-up with an open-ticket index fed 10^6
 *    tickets (quick: 10^5), a fifth of them open. Reference: the same
 *    figures of a standalone survival accumulator holding an agent's share
 *    (cxm_survival_result_get). No limit: each read scans the open index.
 *  - rollup.scale.add_many: ns per ticket of cxm_rollup_add_many (batches
 *    of 256) against cxm_rollup_add of the same tickets into the same
 *    state, batch by batch in alternating order (median ratio of the
 *    runs); limit 0.9.
 *
 *   bench_scale [--quick]
 */
#define _DEFAULT_SOURCE /* madvise */
#include "bench.h"

#include <stdbool.h>
#include <sys/mman.h>

#include <cxm.h>

#define T0 1793577600LL /* 2026-11-02 00:00 UTC */
#define DAY 86400LL
#define CHUNK 4096u
#define MIB (1024.0 * 1024.0)

typedef struct shape {
    uint32_t channels, topics, agents;
    uint32_t cells; /* 1: the channel x priority cross */
} shape;

static cxm_ticket make_ticket(const shape *sh, uint64_t *s)
{
    cxm_ticket t;
    memset(&t, 0, sizeof t);
    t.size = sizeof t;
    t.created = T0 + (int64_t)(bench_rand(s) % (90 * DAY));
    t.channel = (uint32_t)(bench_rand(s) % sh->channels);
    t.topic = (uint32_t)(bench_rand(s) % sh->topics);
    t.priority = (uint32_t)(bench_rand(s) % 4);
    t.agent = sh->agents ? (uint32_t)(bench_rand(s) % sh->agents) : CXM_ROLLUP_NONE;
    t.first_reply = t.created + 1 + (int64_t)(bench_lognormal(s) / 8.0);
    t.agent_replies = 1 + (uint32_t)(bench_rand(s) % 3);
    if (bench_rand(s) % 10 < 8) { /* eight in ten solved */
        t.first_solved = t.first_reply + 1 + (int64_t)bench_lognormal(s);
        t.requester_wait = (double)(t.first_solved - t.created) * 0.6;
        t.agent_work = (double)(t.first_solved - t.created) * 0.3;
        t.on_hold = (double)(t.first_solved - t.created) * 0.1;
        t.handle_time = 60.0 + bench_lognormal(s) / 6.0;
    }
    if (bench_rand(s) % 3 == 0) {
        t.flags |= CXM_TICKET_HAS_CSAT;
        t.csat = 1 + (int32_t)(bench_rand(s) % 5);
    }
    if (bench_rand(s) % 5 == 0) {
        t.flags |= CXM_TICKET_HAS_NPS;
        t.nps = (int32_t)(bench_rand(s) % 11);
    }
    return t;
}

static cxm_rollup *make(const shape *sh, uint64_t budget)
{
    cxm_rollup_options o = {.size = sizeof o,
                            .channels = sh->channels,
                            .topics = sh->topics,
                            .priorities = 4,
                            .agents = sh->agents,
                            .memory_budget = budget};
    if (sh->cells) {
        o.crosses = 1;
        o.cross[0] = (cxm_rollup_cross){CXM_ROLLUP_CHANNEL, CXM_ROLLUP_PRIORITY};
    }
    cxm_rollup *r = NULL;
    if (cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &r) != CXM_OK) bench_fail("rollup_new");
    return r;
}

/* Feeds n tickets; ns per add over the tickets from `from` on (generation not timed). */
static double feed(cxm_rollup *r, const shape *sh, uint64_t *s, size_t from, size_t n,
                   cxm_ticket *buf)
{
    double spent = 0.0;
    for (size_t done = from; done < n;) {
        size_t m = n - done < CHUNK ? n - done : CHUNK;
        for (size_t i = 0; i < m; i++)
            buf[i] = make_ticket(sh, s);
        double t_;
        BENCH_TIMED_LOOP(m, cxm_rollup_add(r, &buf[i], NULL));
        spent += t_ * (double)m;
        done += m;
    }
    return n > from ? spent / (double)(n - from) : 0.0;
}

/*
 * Cache lines an add of `t` writes, from the layout (cxm/rollup.h,
 * "MEMORY"): in each of its groups (overall, priority; channel, topic,
 * agent and channel x priority cell when set) the counters (104 bytes:
 * two lines), one line per answer bin (CSAT, NPS) and, per time the ticket
 * has, three: the sketch head's exact fields, the directory entry of the
 * value's octave and the page counter. An undercount: a head's exact
 * fields (64 bytes) straddle two lines unless aligned.
 */
static uint32_t groups_times(const shape *sh, const cxm_ticket *t, uint32_t *times)
{
    const uint32_t none = CXM_ROLLUP_NONE;
    /* First reply; a solved ticket: both resolutions, the three buckets and handle time. */
    *times = (uint32_t)(t->first_reply != 0) + (t->first_solved != 0 ? 6u : 0u);
    return 2u + (uint32_t)(t->channel != none) + (t->topic != none) + (t->agent != none) +
           (sh->cells && t->channel != none);
}

static uint32_t lines_of(const shape *sh, const cxm_ticket *t)
{
    uint32_t times, groups = groups_times(sh, t, &times);
    uint32_t answers =
        (uint32_t)((t->flags & CXM_TICKET_HAS_CSAT) != 0) + ((t->flags & CXM_TICKET_HAS_NPS) != 0);
    return groups * (2u + answers + 3u * times);
}

/*
 * ns per ticket to read-modify-write one byte in lines_of(ticket) random
 * lines of a `bytes` working set, the tickets of buf[0..m) (median of
 * reps); *mean_lines: lines per ticket on average.
 */
static double floor_ns(const shape *sh, const cxm_ticket *buf, size_t m, size_t bytes, int reps,
                       double *mean_lines)
{
    size_t nlines = bytes / 64u;
    uint8_t *mem = calloc(nlines, 64u);
    if (!mem) bench_fail("malloc");
    uint64_t total = 0;
    for (size_t i = 0; i < m; i++)
        total += lines_of(sh, &buf[i]);
    *mean_lines = (double)total / (double)m;
    double ns[15];
    uint64_t c = 0;
    for (int k = 0; k < reps; k++) {
        double t0 = bench_now();
        for (size_t i = 0; i < m; i++)
            for (uint32_t j = lines_of(sh, &buf[i]); j > 0; j--) {
                /* A hash of a counter: no table to read (only the working set is touched) and no
                 * chain from one line to the next (the accesses overlap as an add's may). */
                uint64_t x = ++c * 0x9E3779B97F4A7C15u;
                x ^= x >> 32;
                mem[(size_t)(((x & 0xFFFFFFFFu) * nlines) >> 32) * 64u]++;
            }
        ns[k] = (bench_now() - t0) / (double)m;
    }
    uint64_t sum = 0;
    for (size_t i = 0; i < nlines; i++)
        sum += mem[i * 64u];
    bench_sink = sum;
    free(mem);
    return bench_median(ns, (size_t)reps);
}

/*
 * THE EXACT FLOOR. What the roll-up promises for each time of each group
 * a ticket is in: an exact count, sum and sum of squares (microseconds),
 * exact extremes, and a count per log-linear bucket (64 per octave: the
 * 1/129 bound of its quantiles). Whatever the layout, an add must update
 * those. exact_floor_ns does that and nothing else, with every advantage
 * a layout could hope for:
 *  - only the groups no sum of other groups gives: the ticket's priority,
 *    topic, agent and channel x priority cell (the overall group is the
 *    sum of the priorities', a channel's the sum of its cells', so a
 *    layout could build those when read);
 *  - buckets, microseconds and value bits computed before the clock runs;
 *    no record check, no counters, no answers, no SLA, no index;
 *  - one-byte bucket counters without carries in a dense array per
 *    (group, time): no directory, no page to find, and 2 MiB pages where
 *    the kernel grants them (few TLB misses);
 *  - the exact fields of a (group, time) packed in one 64-byte line.
 * Fed 10^6 tickets first (quick: 10^5) so that its state is as full as
 * the roll-up's, then timed on fresh tickets, CHUNK at a time (median).
 */
#define EX_TIMES 7u
#define EX_OCTAVES 39u /* 2^-10 .. 2^29 s, as the sketches */
#define EX_BUCKETS (EX_OCTAVES * 64u)

typedef struct ex_line {
    uint64_t n, sum[2], sq[3], min, max; /* 64 bytes */
} ex_line;

typedef struct ex_ticket {
    uint32_t group[4];
    uint16_t bucket[EX_TIMES];
    uint16_t times; /* bit t: time t is set */
    double v[EX_TIMES];
} ex_ticket;

/* The log-linear bucket of v seconds: octave from the exponent, 64 sub-buckets from the
 * mantissa's top bits, clamped to the tracked range. */
static uint16_t ex_bucket(double v)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    int64_t e = (int64_t)(b >> 52) - 1023 + 10;
    if (e < 0) return 0;
    if (e >= (int64_t)EX_OCTAVES) return EX_BUCKETS - 1u;
    return (uint16_t)((uint64_t)e * 64u + ((b >> 46) & 63u));
}

static void ex_derive(const shape *sh, const cxm_ticket *t, ex_ticket *x)
{
    memset(x, 0, sizeof *x);
    x->group[0] = t->priority;
    x->group[1] = 4u + t->topic;
    x->group[2] = 4u + sh->topics + t->agent;
    x->group[3] = 4u + sh->topics + sh->agents + t->channel * 4u + t->priority;
    double v[EX_TIMES] = {0};
    if (t->first_reply) {
        x->times |= 1u;
        v[0] = (double)(t->first_reply - t->created);
    }
    if (t->first_solved) { /* as the roll-up: both resolutions, the three buckets, handle */
        x->times |= 0x7Eu;
        v[1] = v[2] = (double)(t->first_solved - t->created);
        v[3] = t->requester_wait;
        v[4] = t->agent_work;
        v[5] = t->on_hold;
        v[6] = t->handle_time;
    }
    for (uint32_t i = 0; i < EX_TIMES; i++) {
        x->v[i] = v[i];
        x->bucket[i] = ex_bucket(v[i]);
    }
}

/* The exact fields of one (group, time): count, sums, extremes. */
static void ex_line_add(ex_line *l, double v)
{
    uint64_t us = (uint64_t)(v * 1e6), bits;
    memcpy(&bits, &v, sizeof bits);
    __extension__ typedef unsigned __int128 u128; /* the one product a sum of squares needs */
    uint64_t lo = us * us, hi = (uint64_t)(((u128)us * us) >> 64);
    l->sum[0] += us;
    l->sum[1] += l->sum[0] < us;
    uint64_t s0 = l->sq[0] + lo;
    uint64_t c = s0 < lo;
    uint64_t s1 = l->sq[1] + hi + c;
    l->sq[2] += s1 < hi || (c && s1 == hi);
    l->sq[0] = s0;
    l->sq[1] = s1;
    if (l->n++ == 0) l->min = l->max = bits;
    if ((bits < l->min) | (bits > l->max)) {
        l->min = bits < l->min ? bits : l->min;
        l->max = bits > l->max ? bits : l->max;
    }
}

/*
 * The counters deferred (rollup.scale.add.floor_deferred): an add appends
 * each counter's place to the buffer of its partition (16 KiB of counters,
 * a region the first-level cache holds) instead of writing it, and when a
 * buffer is full every partition's increments are applied in turn, each
 * in a region that stays in the cache. 2.3 MiB of buffers for the team
 * configuration. What a layout deferring its bucket counts would save over
 * random writes, with the exact lines still written at once (they are what
 * a read needs first, and 0.5 MiB of them stay in the second-level cache).
 */
#define EX_PART_BITS 14u
#define EX_PART_CAP 1024u
typedef struct ex_defer {
    uint16_t *at; /* parts x EX_PART_CAP places within the partition */
    uint32_t *n;  /* buffered per partition */
    size_t parts;
} ex_defer;

static void ex_flush(uint8_t *counts, ex_defer *d)
{
    for (size_t p = 0; p < d->parts; p++) {
        uint8_t *base = counts + (p << EX_PART_BITS);
        const uint16_t *at = d->at + p * EX_PART_CAP;
        for (uint32_t i = 0; i < d->n[p]; i++)
            base[at[i]]++;
        d->n[p] = 0;
    }
}

/* One ticket: its counters written (d NULL) or buffered (d), its exact lines written. */
static void ex_add(uint8_t *counts, ex_line *lines, const ex_ticket *x, ex_defer *d)
{
    bool full = false;
    for (uint32_t g = 0; g < 4; g++) {
        size_t base = (size_t)x->group[g] * EX_TIMES;
        for (uint32_t i = 0; i < EX_TIMES; i++) {
            if (!(x->times & (1u << i))) continue;
            size_t at = (base + i) * EX_BUCKETS + x->bucket[i];
            if (d) {
                size_t p = at >> EX_PART_BITS;
                d->at[p * EX_PART_CAP + d->n[p]] = (uint16_t)(at & ((1u << EX_PART_BITS) - 1u));
                full |= ++d->n[p] == EX_PART_CAP;
            } else {
                counts[at]++;
            }
            ex_line_add(&lines[base + i], x->v[i]);
        }
    }
    if (full) ex_flush(counts, d);
}

/*
 * ns per ticket of the exact floor; `deferred`: with the counters deferred, the mean over the
 * timed chunks (flushes come every few chunks, and a median would leave them out).
 */
static double exact_floor_ns(const shape *sh, size_t warm, int reps, cxm_ticket *buf, bool deferred)
{
    const size_t groups = 4u + sh->topics + sh->agents + sh->channels * 4u;
    const size_t cbytes = groups * EX_TIMES * EX_BUCKETS, huge = (size_t)2 << 20;
    const size_t cround = (cbytes + huge - 1u) / huge * huge;
    uint8_t *counts = aligned_alloc(huge, cround);
    ex_line *lines = aligned_alloc(64u, groups * EX_TIMES * sizeof(ex_line));
    ex_ticket *x = malloc(CHUNK * sizeof *x);
    ex_defer d = {NULL, NULL, (cbytes >> EX_PART_BITS) + 1u};
    if (deferred) {
        d.at = malloc(d.parts * EX_PART_CAP * sizeof *d.at);
        d.n = calloc(d.parts, sizeof *d.n);
        if (!d.at || !d.n) bench_fail("malloc");
    }
    if (!counts || !lines || !x) bench_fail("malloc");
#ifdef MADV_HUGEPAGE
    (void)madvise(counts, cround, MADV_HUGEPAGE); /* a hint: refused, nothing changes */
#endif
    memset(counts, 0, cround); /* every page mapped before the clock runs */
    memset(lines, 0, groups * EX_TIMES * sizeof(ex_line));
    uint64_t s = 11;
    double ns[40];
    size_t rounds = warm / CHUNK + (size_t)reps;
    for (size_t k = 0; k < rounds; k++) {
        for (size_t i = 0; i < CHUNK; i++) {
            buf[i] = make_ticket(sh, &s);
            ex_derive(sh, &buf[i], &x[i]);
        }
        double t0 = bench_now();
        for (size_t i = 0; i < CHUNK; i++)
            ex_add(counts, lines, &x[i], deferred ? &d : NULL);
        if (k >= rounds - (size_t)reps)
            ns[k - (rounds - (size_t)reps)] = (bench_now() - t0) / CHUNK;
    }
    if (deferred) ex_flush(counts, &d);
    double mean = 0.0;
    for (int k = 0; k < reps; k++)
        mean += ns[k] / reps;
    uint64_t sum = 0;
    for (size_t i = 0; i < groups * EX_TIMES; i++)
        sum += lines[i].n + lines[i].sq[2];
    bench_sink = sum + counts[cbytes / 2];
    free(counts);
    free(lines);
    free(x);
    free(d.at);
    free(d.n);
    return deferred ? mean : bench_median(ns, (size_t)reps);
}

/* The whole-sketch layout of before: every group paid 7 sketches of 20,064 bytes. */
static double dense_mib(const shape *sh)
{
    uint32_t groups =
        1u + sh->channels + sh->topics + 4u + sh->agents + sh->cells * sh->channels * 4u;
    return (double)groups * (1944.0 + 7.0 * 20064.0) / MIB;
}

/*
 * `name`.state: MiB in use after n tickets; `name`.footprint: the whole
 * allocation (fixed part + the budget's pool), what the process holds.
 */
static int state(const char *name, const shape *sh, size_t n, uint64_t budget, double limit,
                 cxm_ticket *buf)
{
    cxm_rollup *r = make(sh, budget);
    uint64_t s = 42;
    (void)feed(r, sh, &s, 0, n, buf);
    size_t used = 0, avail = 0;
    if (cxm_rollup_memory(r, &used, &avail) != CXM_OK) bench_fail("memory");
    char line[96];
    snprintf(line, sizeof line, "%s.state", name);
    int met = BENCH_EMIT(.name = line, .unit = "MiB", .value = (double)used / MIB, .n = (double)n,
                         .has_ref = 1, .ref = dense_mib(sh), .limit_on = "value",
                         .limit_op = "<=", .limit = limit,
                         .note = "ref: the groups' sketches of the whole-sketch layout, computed");
    snprintf(line, sizeof line, "%s.footprint", name);
    met &= BENCH_EMIT(.name = line, .unit = "MiB", .value = (double)(used + avail) / MIB,
                      .n = (double)n, .has_ref = 1, .ref = dense_mib(sh), .limit_on = "value",
                      .limit_op = "<=", .limit = limit,
                      .note = "the allocation: fixed part and the budget's whole pool");
    cxm_rollup_free(r);
    return met;
}

/* One agent's leaderboard row from the roll-up (see rollup.scale.read.row). */
static cxm_status read_row(const cxm_rollup *r, uint32_t a)
{
    cxm_rollup_result g = {.size = sizeof g};
    cxm_csat_result cs = {.size = sizeof cs};
    cxm_nps_result np = {.size = sizeof np};
    cxm_status st = cxm_rollup_result_get(r, CXM_ROLLUP_AGENT, a, 0.95, &g);
    if (st == CXM_OK) st = cxm_rollup_csat_get(r, CXM_ROLLUP_AGENT, a, 0.95, &cs);
    if (st == CXM_OK)
        st = cxm_rollup_nps_get(r, CXM_ROLLUP_AGENT, a, 0.95, CXM_NPS_ADJUSTED_WALD, &np);
    for (uint32_t t = 0; st == CXM_OK && t < cxm_rollup_times(); t++) {
        if (t == CXM_ROLLUP_FULL_RESOLUTION) {
            cxm_duration_result d = {.size = sizeof d};
            st = cxm_rollup_duration_get(r, CXM_ROLLUP_AGENT, a, t, 0.95, &d);
        } else {
            cxm_rollup_time_result tr = {.size = sizeof tr};
            st = cxm_rollup_time_get(r, CXM_ROLLUP_AGENT, a, t, &tr);
        }
    }
    return st;
}

/* The same figures from standalone accumulators: a CSAT, an NPS and seven durations. */
typedef struct standalone_row {
    cxm_csat *csat;
    cxm_nps *nps;
    cxm_duration *times[CXM_ROLLUP_TIMES];
} standalone_row;

static cxm_status read_standalone(const standalone_row *w)
{
    cxm_csat_result cs = {.size = sizeof cs};
    cxm_nps_result np = {.size = sizeof np};
    cxm_status st = cxm_csat_result_get(w->csat, 0.95, &cs);
    if (st == CXM_OK) st = cxm_nps_result_get(w->nps, 0.95, CXM_NPS_ADJUSTED_WALD, &np);
    for (uint32_t t = 0; st == CXM_OK && t < CXM_ROLLUP_TIMES; t++) {
        cxm_duration_result d = {.size = sizeof d};
        st = cxm_duration_result_get(w->times[t], 0.95, &d);
    }
    return st;
}

/*
 * ns per leaderboard row of `agents` agents (median of `reps` passes over all of them), and in
 * *ref the same for standalone accumulators holding an agent's share of n tickets.
 */
static double row_read_ns(const cxm_rollup *r, uint32_t agents, size_t n, int reps, double *ref)
{
    standalone_row w;
    uint64_t s = 5;
    if (cxm_csat_new(NULL, NULL, &w.csat) != CXM_OK ||
        cxm_nps_new(CXM_NPS_TRANSACTIONAL, 0, NULL, &w.nps) != CXM_OK)
        bench_fail("standalone");
    for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++)
        if (cxm_duration_new(NULL, NULL, &w.times[t]) != CXM_OK) bench_fail("standalone");
    /* An agent's share: n / agents tickets, a third with CSAT, a fifth with NPS. */
    size_t per = n / agents;
    for (size_t i = 0; i < per; i++) {
        if ((i % 3 == 0 && cxm_csat_add(w.csat, 1 + (int32_t)(bench_rand(&s) % 5)) != CXM_OK) ||
            (i % 5 == 0 && cxm_nps_add(w.nps, (int32_t)(bench_rand(&s) % 11)) != CXM_OK))
            bench_fail("standalone add");
        for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++)
            if (cxm_duration_add(w.times[t], bench_lognormal(&s)) != CXM_OK)
                bench_fail("standalone add");
    }
    double rows[15], refs[15], t_;
    for (int k = 0; k < reps; k++) {
        BENCH_TIMED_LOOP(agents, read_row(r, (uint32_t)i));
        rows[k] = t_;
        BENCH_TIMED_LOOP(agents, read_standalone(&w));
        refs[k] = t_;
    }
    cxm_csat_free(w.csat);
    cxm_nps_free(w.nps);
    for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++)
        cxm_duration_free(w.times[t]);
    *ref = bench_median(refs, (size_t)reps);
    return bench_median(rows, (size_t)reps);
}

/*
 * ns per agent of cxm_rollup_survival_get_at (Kaplan-Meier with the open tickets censored) of
 * the team roll-up with an open-ticket index, fed n tickets, every agent in turn; in *ref the
 * same read of a standalone survival accumulator holding an agent's share; *open: the tickets
 * open in the index.
 */
static double survival_read_ns(const shape *sh, size_t n, int reps, cxm_ticket *buf, double *ref,
                               uint32_t *open)
{
    cxm_rollup_options o = {.size = sizeof o,
                            .channels = sh->channels,
                            .topics = sh->topics,
                            .priorities = 4,
                            .agents = sh->agents,
                            .memory_budget = 16u << 20,
                            .open = cxm_rollup_max_open(),
                            .crosses = 1};
    o.cross[0] = (cxm_rollup_cross){CXM_ROLLUP_CHANNEL, CXM_ROLLUP_PRIORITY};
    cxm_rollup *r = NULL;
    cxm_survival *w = NULL;
    if (cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &r) != CXM_OK ||
        cxm_survival_new(NULL, &w) != CXM_OK)
        bench_fail("survival setup");
    uint64_t s = 3;
    (void)feed(r, sh, &s, 0, n, buf);
    cxm_rollup_result g = {.size = sizeof g};
    if (cxm_rollup_result_get(r, CXM_ROLLUP_OVERALL, 0, 0.95, &g) != CXM_OK) bench_fail("result");
    *open = (uint32_t)g.open;
    /* An agent's share: as many resolved and open tickets, log-normal times. */
    for (size_t i = 0; i < n / sh->agents; i++) {
        uint32_t state = i % 10 < 8 ? CXM_SURVIVAL_RESOLVED : CXM_SURVIVAL_OPEN;
        if (cxm_survival_add(w, bench_lognormal(&s), state) != CXM_OK) bench_fail("survival add");
    }
    const int64_t as_of = T0 + 200 * DAY; /* after every creation */
    double ns[15], refs[15], t_;
    for (int k = 0; k < reps; k++) {
        cxm_survival_result km = {.size = sizeof km};
        BENCH_TIMED_LOOP(sh->agents, cxm_rollup_survival_get_at(r, CXM_ROLLUP_AGENT, (uint32_t)i,
                                                                as_of, 0.95, NULL, NULL, 0, &km));
        ns[k] = t_;
        BENCH_TIMED_LOOP(sh->agents, cxm_survival_result_get(w, 0.95, &km));
        refs[k] = t_;
    }
    cxm_rollup_free(r);
    cxm_survival_free(w);
    *ref = bench_median(refs, (size_t)reps);
    return bench_median(ns, (size_t)reps);
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv);
    cxm_ticket *buf = malloc(CHUNK * sizeof *buf);
    if (!buf) bench_fail("malloc");
    const shape team = {10, 50, 1000, 1}, wide = {256, 1024, 0, 0};
    int met = state("rollup.scale.team", &team, o.quick ? 100000 : 1000000, 12u << 20, 16.0, buf);
    met &= state("rollup.scale.wide", &wide, o.quick ? 10000 : 100000, 24u << 20, 32.0, buf);

    /* Per-add cost while the same roll-up grows, decade by decade. */
    const uint64_t budget = 64u << 20;
    cxm_rollup *r = make(&team, budget);
    uint64_t s = 7;
    /* A budget large enough for 10^7 tickets; its pages are handed out as the data grows. */
    double first = feed(r, &team, &s, 0, 1000, buf);
    size_t top = o.quick ? 1000000 : 10000000;
    double last = first, steepest = 0.0;
    for (size_t n = 1000; n <= top; n *= 10) {
        double ns = n == 1000 ? first : feed(r, &team, &s, n / 10, n, buf);
        last = ns;
        if (n > 1000 && ns / first > steepest) steepest = ns / first;
        char name[64];
        snprintf(name, sizeof name, "rollup.scale.add.%zu", n);
        met &= BENCH_EMIT(.name = name, .unit = "ns", .value = ns, .n = (double)n, .has_ref = 1,
                          .ref = first, .limit_on = "value", .limit_op = "<=", .limit = 120.0,
                          .note = "ref: the first 1,000 adds of the same roll-up");
    }
    char flat_note[160];
    snprintf(flat_note, sizeof flat_note,
             "the largest ratio of rollup.scale.add.<n> to the first 1,000 adds, n = 10^4 .. %s",
             o.quick ? "10^6" : "10^7");
    met &= BENCH_EMIT(.name = "rollup.scale.add.flat", .unit = "ratio", .value = steepest,
                      .n = (double)top, .has_ref = 1, .ref = first, .ratio = steepest,
                      .limit_on = "ratio", .limit_op = "<=", .limit = 1.25, .note = flat_note);
    /*
     * The floor: as many random lines as those adds write, in as many bytes as the state uses
     * less the pool's page links (CXM_ROLLUP_PAGE_BYTES - 64 bytes a page, every page of the
     * budget), which an add reads only when it takes a page.
     */
    double row_ref = 0.0, row = row_read_ns(r, team.agents, top, o.quick ? 3 : 7, &row_ref);
    BENCH_EMIT(.name = "rollup.scale.read.row", .unit = "ns", .value = row, .n = (double)top,
               .has_ref = 1, .ref = row_ref,
               .note = "one agent's leaderboard row (counts and rates, CSAT, NPS, resolution "
                       "time with its interval, six more times) of 1,000 agents; ref: the same "
                       "figures of standalone dense accumulators");
    uint32_t open = 0;
    double km_ref = 0.0, km = survival_read_ns(&team, o.quick ? 100000 : 1000000, o.quick ? 3 : 7,
                                               buf, &km_ref, &open);
    char km_note[300];
    snprintf(km_note, sizeof km_note,
             "cxm_rollup_survival_get_at of one agent of 1,000 (%u tickets open in the index); "
             "ref: cxm_survival_result_get of a standalone accumulator with an agent's share",
             open);
    BENCH_EMIT(.name = "rollup.scale.read.survival", .unit = "ns", .value = km,
               .n = o.quick ? 1e5 : 1e6, .has_ref = 1, .ref = km_ref, .note = km_note);
    size_t used = 0, avail = 0;
    if (cxm_rollup_memory(r, &used, &avail) != CXM_OK) bench_fail("memory");
    cxm_rollup_free(r);
    used -= (size_t)(budget / CXM_ROLLUP_PAGE_BYTES) * (CXM_ROLLUP_PAGE_BYTES - 64u);
    double mean_lines = 0.0;
    double fl = floor_ns(&team, buf, CHUNK, used, o.quick ? 5 : 15, &mean_lines);
    char note[400];
    snprintf(note, sizeof note,
             "read-modify-write of %.1f random lines per ticket in %.2f MiB (the state in use, "
             "page links aside); ref: rollup.scale.add.%zu",
             mean_lines, (double)used / MIB, top);
    BENCH_EMIT(.name = "rollup.scale.add.floor", .unit = "ns", .value = fl, .n = (double)top,
               .has_ref = 1, .ref = last, .note = note);
    double ex = exact_floor_ns(&team, o.quick ? 100000 : 1000000, o.quick ? 5 : 15, buf, false);
    snprintf(note, sizeof note,
             "the least work any layout keeping exact count, sums, extremes and 1/129 buckets per "
             "time of the priority, topic, agent and cell groups must do, alone; %s; ref: "
             "rollup.scale.add.%zu",
             ex > 120.0 ? "above 120 ns: the add target is out of reach on this machine"
                        : "at or under 120 ns: the add target is not ruled out here",
             top);
    BENCH_EMIT(.name = "rollup.scale.add.floor_exact", .unit = "ns", .value = ex, .n = (double)top,
               .has_ref = 1, .ref = last, .note = note);
    /* 40 chunks: a few flushes of the buffers in the timed window. */
    double exd = exact_floor_ns(&team, o.quick ? 100000 : 1000000, 40, buf, true);
    snprintf(note, sizeof note,
             "the exact floor with its bucket counters deferred (buffered per 16 KiB partition, "
             "applied a partition at a time when a buffer fills; mean with the flushes); %s; "
             "ref: rollup.scale.add.floor_exact",
             exd > 120.0 ? "above 120 ns: deferring the counters does not bring the target "
                           "within reach here"
                         : "at or under 120 ns: a deferred layout could reach the target here");
    BENCH_EMIT(.name = "rollup.scale.add.floor_deferred", .unit = "ns", .value = exd,
               .n = (double)top, .has_ref = 1, .ref = ex, .note = note);

    /*
     * add_many against add: the same tickets into the same state, paired batch by batch (256
     * tickets into a by add, the same into b by one add_many, alternating which runs first), so
     * that neither roll-up starts warmer in the caches and a change of load hits both.
     */
    int reps = o.quick ? 5 : 15;
    double ratios[15], add_ns[15], many_ns[15];
    for (int k = 0; k < reps; k++) {
        cxm_rollup *a = make(&team, 64u << 20), *b = make(&team, 64u << 20);
        uint64_t sa = 99, sb = 99;
        (void)feed(a, &team, &sa, 0, 100000, buf);
        (void)feed(b, &team, &sb, 0, 100000, buf);
        for (size_t i = 0; i < CHUNK; i++)
            buf[i] = make_ticket(&team, &sa);
        double t_, t_add = 0.0, t_many = 0.0;
        for (size_t c = 0; c < CHUNK / 256; c++) {
            const cxm_ticket *batch = buf + 256 * c;
            for (int turn = 0; turn < 2; turn++) {
                if ((turn + (int)c) % 2 == 0) {
                    BENCH_TIMED_LOOP(256, cxm_rollup_add(a, &batch[i], NULL));
                    t_add += t_ * 256.0;
                } else {
                    BENCH_TIMED_LOOP(1, cxm_rollup_add_many(b, batch, 256, NULL, NULL));
                    t_many += t_;
                }
            }
        }
        add_ns[k] = t_add / CHUNK;
        many_ns[k] = t_many / CHUNK;
        ratios[k] = many_ns[k] / add_ns[k];
        cxm_rollup_free(a);
        cxm_rollup_free(b);
    }
    double ratio = bench_median(ratios, (size_t)reps);
    met &=
        BENCH_EMIT(.name = "rollup.scale.add_many", .unit = "ns",
                   .value = bench_median(many_ns, (size_t)reps), .n = CHUNK, .has_ref = 1,
                   .ref = bench_median(add_ns, (size_t)reps), .ratio = ratio, .limit_on = "ratio",
                   .limit_op = "<=", .limit = 0.9,
                   .note = "ref: cxm_rollup_add of the same tickets, same state; batches of 256, "
                           "interleaved");
    free(buf);
    (void)met; /* a missed target is reported in its line, not as a failed run */
    return 0;
}
