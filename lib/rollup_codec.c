/*
 * rollup_codec.c — the roll-up's encoding and its decoder, which validates
 * the configuration before allocating and then every group, sketch and
 * relation between the groups, and in live mode the running-target index,
 * before trusting the bytes.
 */
#include "rollup_impl.h"
#include "rollup_index.h"

/* ---- encoding ------------------------------------------------------------------ */

/*
 * Payload, version 4: profile, channels, topics, priorities, agents, times,
 * has_sla (u32); as_of (u64); running, bounds (u32); latest (u64,
 * INT64_MIN for none); pool pages, open-ticket index capacity, agent kind,
 * crosses (u32) and the four crosses' dimension pairs (2 x u32 each, zero
 * past `crosses`); with SLA, per priority and evaluated metric the target
 * seconds (u64, 0 = none) and mode (u32); then per group, in group order
 * (overall, channels, topics, priorities, agents unless counted apart, the
 * cells of each cross row by row), its K_N counters (u64), with SLA its two
 * cells, its CSAT and CES histograms, its NPS detractors, passives and
 * promoters (u64), and its kept sketches (dur_write of the materialised
 * sketch: the bytes do not depend on where its pages sit); then, agents
 * counted apart, per agent tickets and solved (u64); then the
 * running-target index: its entry count (u32), then per entry due (u64),
 * channel, topic, priority, metric and agent (u32); then the open-ticket
 * index: its entry count (u32), then per entry the creation instant (u64),
 * channel, topic, priority and agent (u32). Version 3 had K_V3 counters,
 * no NPS counts or handle time, no pool, open-ticket index, agent groups
 * or crosses (agents counted apart), and index entries without an agent
 * (live and retracted roll-ups); version 2 no live fields and no index;
 * version 1 no has_sla, as_of, targets, cells or histograms either.
 */
/* An index: its entry count, then per entry the instant, the ids and (running targets) the
 * metric. */
static void write_index(cxm_wr *w, const rix *x, uint32_t n, bool metric)
{
    cxm_wr_u32(w, n);
    rix_cursor cur = rix_start();
    for (const rollup_run *e; n && (e = rix_next(x, &cur)) != NULL;) {
        cxm_wr_u64(w, (uint64_t)e->due);
        cxm_wr_u32(w, e->channel);
        cxm_wr_u32(w, e->topic);
        cxm_wr_u32(w, e->priority);
        if (metric) cxm_wr_u32(w, e->metric);
        cxm_wr_u32(w, e->agent);
    }
}

cxm_status cxm_rollup_encode(const cxm_rollup *rollup, uint8_t *buf, size_t cap, size_t *len)
{
    if (!rollup || !len) return CXM_INVALID_ARGUMENT;
    const rollup_cfg *c = &rollup->cfg;
    duration_core core; /* each sketch materialised in turn (about 20 KB of stack) */
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_ROLLUP, ROLLUP_FORMAT_VERSION);
    const uint32_t hdr[7] = {c->profile, c->channels, c->topics, c->priorities,
                             c->agents,  c->times,    c->has_sla};
    for (int i = 0; i < 7; i++)
        cxm_wr_u32(&w, hdr[i]);
    cxm_wr_u64(&w, (uint64_t)c->as_of);
    cxm_wr_u32(&w, c->running);
    cxm_wr_u32(&w, rollup->bounds);
    cxm_wr_u64(&w, (uint64_t)rollup->latest);
    cxm_wr_u32(&w, c->pages);
    cxm_wr_u32(&w, c->open);
    cxm_wr_u32(&w, c->agent_kind);
    cxm_wr_u32(&w, c->crosses);
    for (uint32_t j = 0; j < CXM_ROLLUP_MAX_CROSSES; j++) {
        cxm_wr_u32(&w, c->cross[j][0]);
        cxm_wr_u32(&w, c->cross[j][1]);
    }
    for (uint32_t p = 0; c->has_sla && p < c->priorities; p++)
        for (uint32_t m = 0; m < ROLLUP_SLA; m++) {
            int64_t seconds = 0;
            uint32_t mode = 0;
            if (cxm_sla_policy_target(policy_of(rollup), p, sla_metric[m], &seconds, &mode) !=
                CXM_OK)
                seconds = 0, mode = 0;
            cxm_wr_u64(&w, (uint64_t)seconds);
            cxm_wr_u32(&w, mode);
        }
    for (uint32_t gi = 0; gi < rollup->ngroups; gi++) {
        const rollup_group *g = group_at(rollup, gi);
        for (int k = 0; k < K_N; k++)
            cxm_wr_u64(&w, g->k[k]);
        for (uint32_t m = 0; c->has_sla && m < ROLLUP_SLA; m++)
            sla_cell_write(&w, &g->sla[m]);
        scale_hist_write(&w, &g->csat);
        scale_hist_write(&w, &g->ces);
        for (int k = 0; k < 3; k++)
            cxm_wr_u64(&w, g->nps.n[k]);
        for (uint32_t t = 0; t < rollup->ntimes; t++) {
            skp_to_core(pool_of(rollup), group_time(g, t), &core);
            dur_write(&w, &core);
        }
    }
    for (uint32_t a = 0; a < rollup_counted_agents(c); a++) {
        cxm_wr_u64(&w, agent_at(rollup, a)->tickets);
        cxm_wr_u64(&w, agent_at(rollup, a)->solved);
    }
    write_index(&w, index_of(rollup), rollup_running(rollup), true);
    write_index(&w, open_of(rollup), rollup_open(rollup), false);
    return cxm_wr_end(&w, len);
}

/*
 * Each count of `c` at most the same count of `all`; with `exact`, equal
 * (the largest lateness too, unless retractions made the largest latenesses
 * bounds, each group's its own: then at most).
 */
static bool cell_le(const sla_cell *c, const sla_cell *all, bool exact, bool bounds)
{
    const uint64_t a[6] = {c->achieved, c->breached, c->active,
                           c->past_due, c->late_sum, c->late_max};
    const uint64_t b[6] = {all->achieved, all->breached, all->active,
                           all->past_due, all->late_sum, all->late_max};
    for (int i = 0; i < 6; i++)
        if ((exact && !(bounds && i == 5)) ? a[i] != b[i] : a[i] > b[i]) return false;
    return true;
}

/* Self-service solves have no SLA outcome: a cell counts at most the group's other tickets. */
static bool cell_within(const sla_cell *c, const sla_cell *all, const uint64_t k[K_N])
{
    return sla_cell_ok(c) && sla_cell_total(c) <= k[K_TICKETS] - k[K_SELF] &&
           cell_le(c, all, false, false);
}

/* The relations every group's counters keep. */
static bool group_ok(const cxm_rollup *r, const rollup_group *g, const rollup_group *all)
{
    const uint64_t *k = g->k;
    bool ok = rollup_counts_ok(k);
    for (int i = 0; i < K_N; i++)
        ok = ok && k[i] <= all->k[i];
    for (uint32_t m = 0; m < ROLLUP_SLA; m++)
        ok = ok && cell_within(&g->sla[m], &all->sla[m], k);
    ok = ok && scale_cfg_same(&g->csat.cfg, &r->cfg.csat) &&
         scale_cfg_same(&g->ces.cfg, &r->cfg.ces) && scale_hist_total(&g->csat) <= k[K_TICKETS] &&
         scale_hist_total(&g->ces) <= k[K_TICKETS] &&
         scale_hist_total(&g->csat) <= scale_hist_total(&all->csat) &&
         scale_hist_total(&g->ces) <= scale_hist_total(&all->ces) &&
         nps_total(&g->nps) <= k[K_TICKETS] && nps_total(&g->nps) <= nps_total(&all->nps);
    /* Which tickets each time counts (see ticket_inc_of). */
    const uint64_t want[CXM_ROLLUP_TIMES] = {k[K_REPLIED],
                                             k[K_EVER_SOLVED],
                                             k[K_SOLVED],
                                             k[K_SOLVED],
                                             k[K_SOLVED],
                                             k[K_SOLVED],
                                             k[K_SOLVED] + k[K_UNRESOLVED]};
    uint32_t slot = 0;
    for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++)
        if (r->cfg.times & (1u << t)) ok = ok && group_time(g, slot++)->n == want[t];
    return ok;
}

/* Time t of the groups from `first`, materialised one at a time for dur_parts_ok. */
typedef struct part_of {
    const cxm_rollup *r;
    uint32_t first, t;
} part_of;

static void part_core(const void *ctx, uint32_t i, duration_core *out)
{
    const part_of *p = ctx;
    skp_to_core(pool_of(p->r), group_time(group_at(p->r, p->first + i), p->t), out);
}

/*
 * The groups [first, first + count) as parts of the overall group: every
 * counter, SLA cell, histogram count and sketch of theirs adds up to the
 * overall one exactly (`exact`: priorities, which every ticket has) or to
 * at most it (channels and topics, which a ticket may lack). Each group
 * was checked on its own before (group_ok).
 */
static bool parts_ok(const cxm_rollup *r, uint32_t first, uint32_t count, bool exact)
{
    const rollup_group *all = group_at(r, 0);
    uint64_t k[K_N] = {0};
    sla_cell sla[ROLLUP_SLA];
    memset(sla, 0, sizeof sla);
    scale_hist csat, ces;
    nps_counts nps;
    memset(&nps, 0, sizeof nps);
    scale_hist_init(&csat, &all->csat.cfg);
    scale_hist_init(&ces, &all->ces.cfg);
    for (uint32_t gi = first; gi < first + count; gi++) {
        const rollup_group *g = group_at(r, gi);
        for (int i = 0; i < K_N; i++) {
            if (cxm_add_overflows(k[i], g->k[i])) return false;
            k[i] += g->k[i];
        }
        for (uint32_t m = 0; m < ROLLUP_SLA; m++) {
            /* past_due <= active, so the total's check covers it. */
            if (!sla_cell_merge_fits(&sla[m], &g->sla[m])) return false;
            sla_cell_merge(&sla[m], &g->sla[m]);
        }
        if (scale_hist_merge(&csat, &g->csat) != CXM_OK ||
            scale_hist_merge(&ces, &g->ces) != CXM_OK || nps_counts_merge(&nps, &g->nps) != CXM_OK)
            return false;
    }
    for (int i = 0; i < 3; i++)
        if (exact ? nps.n[i] != all->nps.n[i] : nps.n[i] > all->nps.n[i]) return false;
    for (int i = 0; i < K_N; i++)
        if (exact ? k[i] != all->k[i] : k[i] > all->k[i]) return false;
    for (uint32_t m = 0; m < ROLLUP_SLA; m++)
        if (!cell_le(&sla[m], &all->sla[m], exact, r->bounds)) return false;
    const scale_hist *whole[2] = {&all->csat, &all->ces}, *sum[2] = {&csat, &ces};
    for (int h = 0; h < 2; h++)
        for (uint32_t p = 0; p < SCALE_POINTS; p++)
            if (exact ? sum[h]->c[p] != whole[h]->c[p] : sum[h]->c[p] > whole[h]->c[p])
                return false;
    for (uint32_t t = 0; count > 0 && t < r->ntimes; t++) {
        duration_core overall;
        skp_to_core(pool_of(r), group_time(all, t), &overall);
        const part_of parts = {r, first, t};
        if (!dur_parts_ok(&overall, part_core, &parts, count, exact, r->bounds)) return false;
    }
    return true;
}

/*
 * Under a policy, a priority's cell of a metric without a target holds
 * nothing; with a target, one outcome for each ticket but self-service ones.
 */
static bool priority_cells_ok(const cxm_rollup *r, uint32_t first)
{
    for (uint32_t p = 0; r->cfg.has_sla && p < r->cfg.priorities; p++) {
        const rollup_group *g = group_at(r, first + p);
        for (uint32_t m = 0; m < ROLLUP_SLA; m++) {
            int64_t seconds;
            uint32_t mode;
            bool target =
                cxm_sla_policy_target(policy_of(r), p, sla_metric[m], &seconds, &mode) == CXM_OK;
            /* Closed-unresolved tickets have no resolution outcome. */
            uint64_t want =
                target ? g->k[K_TICKETS] - g->k[K_SELF] - (m == 1 ? g->k[K_UNRESOLVED] : 0u) : 0;
            if (sla_cell_total(&g->sla[m]) != want) return false;
        }
    }
    return true;
}

/* Each dimension splits (part of) the overall group; priorities split all of it. */
static bool dimensions_ok(const cxm_rollup *r)
{
    const rollup_cfg *c = &r->cfg;
    const rollup_group *all = group_at(r, 0);
    for (uint32_t kind = CXM_ROLLUP_CHANNEL; kind <= CXM_ROLLUP_AGENT; kind++)
        if (r->dim_first[kind] != UINT32_MAX &&
            !parts_ok(r, r->dim_first[kind], rollup_dim_capacity(c, kind),
                      kind == CXM_ROLLUP_PRIORITY))
            return false;
    /* The cells of a cross split the tickets that have both its ids: part of the overall. */
    for (uint32_t j = 0; j < c->crosses; j++)
        if (!parts_ok(r, r->cell_first[j],
                      rollup_dim_capacity(c, c->cross[j][0]) *
                          rollup_dim_capacity(c, c->cross[j][1]),
                      false))
            return false;
    if (!priority_cells_ok(r, r->dim_first[CXM_ROLLUP_PRIORITY])) return false;
    /* Agents counted apart: solved within their tickets, and both within the overall counts. */
    uint64_t tickets = 0, solved = 0;
    for (uint32_t a = 0; a < rollup_counted_agents(c); a++) {
        const rollup_agent *ag = agent_at(r, a);
        if (ag->solved > ag->tickets || cxm_add_overflows(tickets, ag->tickets)) return false;
        tickets += ag->tickets;
        solved += ag->solved; /* <= tickets: no overflow */
    }
    return tickets <= all->k[K_TICKETS] && solved <= all->k[K_SOLVED];
}

/* Reads the targets into the placed policy copy; false on a target no policy could hold. */
static bool read_targets(cxm_rd *rd, cxm_rollup *r)
{
    for (uint32_t p = 0; r->cfg.has_sla && p < r->cfg.priorities; p++)
        for (uint32_t m = 0; m < ROLLUP_SLA; m++) {
            uint64_t seconds = cxm_rd_u64(rd);
            uint32_t mode = cxm_rd_u32(rd);
            if (seconds == 0 && mode == 0) continue;
            if (seconds > (uint64_t)SLA_MAX_SECONDS ||
                cxm_sla_policy_set_target(policy_of(r), p, sla_metric[m], (int64_t)seconds, mode) !=
                    CXM_OK)
                return false;
            r->needs_calendar |= mode == CXM_SLA_BUSINESS_HOURS;
        }
    return true;
}

/*
 * The fewest payload bytes after the configuration that a roll-up of this
 * configuration encodes to: the targets, then per group its counters, its
 * SLA cells, its histograms on the narrowest scale and its kept sketches
 * empty, then the agents. Checked before allocating, it bounds what the
 * allocation can be per input byte (SECURITY.md, amplification).
 */
static uint64_t encoded_min(const rollup_cfg *c, bool v1, bool v3, bool v4)
{
    /* Version 3 adds an index count at the end (its live fields come before, already read);
     * the index itself buys nothing: its capacity is allocated whole (SECURITY.md). */
    uint64_t live = v3 ? 4u : 0u, open = v4 ? 4u : 0u;
    /* Version 4 on: the new counters and the NPS counts (3 x u64). */
    uint64_t group =
        (v4 ? K_N + 3u : K_V3) * 8u + (uint64_t)rollup_popcount(c->times) * DUR_MIN_BYTES;
    if (!v1) group += 2u * SCALE_HIST_MIN_BYTES + (c->has_sla ? ROLLUP_SLA * SLA_CELL_BYTES : 0u);
    uint64_t targets = c->has_sla ? (uint64_t)c->priorities * ROLLUP_SLA * 12u : 0u;
    return live + open + targets + (uint64_t)rollup_cfg_groups(c) * group +
           (uint64_t)rollup_counted_agents(c) * 16u;
}

/*
 * Reads one index entry: due (or creation) instant, channel, topic,
 * priority and, for the running-target index, the metric (an open-ticket
 * entry has none). False if an id names no group or metric, or the entry
 * sorts before `prev`; the instant is the caller's to check.
 */
static bool read_entry(cxm_rd *rd, const cxm_rollup *r, const rollup_run *prev, bool metric,
                       rollup_run *e)
{
    const rollup_cfg *c = &r->cfg;
    memset(e, 0, sizeof *e);
    e->due = (int64_t)cxm_rd_u64(rd);
    uint32_t ch = cxm_rd_u32(rd), tp = cxm_rd_u32(rd), pr = cxm_rd_u32(rd);
    uint32_t m = metric ? cxm_rd_u32(rd) : ROLLUP_OPEN_METRIC;
    /* Version 4 on: the agent (version 3's entries had none). */
    uint32_t ag = rd->version >= 4 ? cxm_rd_u32(rd) : CXM_ROLLUP_NONE;
    if (rd->bad || (ch != ROLLUP_RUN_NONE && ch >= c->channels) ||
        (tp != ROLLUP_RUN_NONE && tp >= c->topics) || pr >= c->priorities ||
        (metric && m >= ROLLUP_SLA) || (ag != CXM_ROLLUP_NONE && ag >= c->agents))
        return false;
    e->agent = ag;
    e->channel = (uint16_t)ch;
    e->topic = (uint16_t)tp;
    e->priority = (uint8_t)pr;
    e->metric = (uint8_t)m;
    return !prev || rollup_run_cmp(prev, e) <= 0;
}

/*
 * The counter an index entry of `metric` stands for in each of its groups:
 * the active count of its metric (a running target), or the group's open
 * tickets, tickets - solved - unresolved (ROLLUP_OPEN_METRIC, an
 * open-ticket entry); `floor` is where that counter stands with no entry.
 */
static uint64_t *entry_counter(rollup_group *g, uint32_t metric, uint64_t *floor)
{
    if (metric == ROLLUP_OPEN_METRIC) {
        *floor = g->k[K_SOLVED] + g->k[K_UNRESOLVED];
        return &g->k[K_TICKETS];
    }
    *floor = 0;
    return &g->sla[metric].active;
}

/* Steps the counters of entry e in the first `ng` of its groups g by one, down or up. */
static void entry_step(cxm_rollup *r, const rollup_run *e, const uint32_t *g, uint32_t ng,
                       bool down)
{
    uint64_t floor;
    for (uint32_t k = 0; k < ng; k++) {
        uint64_t *n = entry_counter(group_at(r, g[k]), e->metric, &floor);
        *n = down ? *n - 1u : *n + 1u;
    }
}

/*
 * Whether each group counts exactly as many of the index's entries as its
 * counters say (`open`: the open-ticket index, else the running targets of
 * each metric), without memory: every entry steps its groups' counters
 * down (one already at its floor refuses), every counter must then sit at
 * its floor, and everything stepped is stepped back.
 */
static bool entries_match(cxm_rollup *r, const rix *x, bool open)
{
    bool ok = true;
    uint32_t done = 0, g[ROLLUP_MAX_MEMBER], ng;
    uint64_t floor;
    const rollup_run *e;
    rix_cursor cur = rix_start();
    for (; ok && (e = rix_next(x, &cur)) != NULL; done++) {
        ng = rollup_run_groups(r, e, g);
        for (uint32_t k = 0; ok && k < ng; k++) {
            if (*entry_counter(group_at(r, g[k]), e->metric, &floor) <= floor) {
                entry_step(r, e, g, k, false); /* what this entry took so far */
                ok = false;
            } else {
                entry_step(r, e, g + k, 1, true);
            }
        }
    }
    if (!ok) done--;
    for (uint32_t gi = 0; ok && gi < r->ngroups; gi++)
        for (uint32_t m = 0; m < (open ? 1u : ROLLUP_SLA); m++)
            ok = ok &&
                 *entry_counter(group_at(r, gi), open ? ROLLUP_OPEN_METRIC : m, &floor) == floor;
    cur = rix_start();
    for (uint32_t i = 0; i < done; i++) {
        e = rix_next(x, &cur);
        ng = rollup_run_groups(r, e, g);
        entry_step(r, e, g, ng, false);
    }
    return ok;
}

/*
 * Reads the running-target index and checks it before it is trusted:
 * within capacity, sorted, every entry naming groups that exist and a
 * metric with a target, and per group and metric exactly as many entries
 * as the group counts active (the active counts are used as counters,
 * stepped down per entry, checked at zero, then stepped back: no memory).
 */
static bool read_index(cxm_rd *rd, cxm_rollup *r)
{
    const rollup_cfg *c = &r->cfg;
    uint32_t n = cxm_rd_u32(rd);
    /* Each entry encodes in 24 bytes: a count the bytes cannot hold is refused before reading. */
    if (rd->bad || n > c->running || (uint64_t)n * (rd->version >= 4 ? 28u : 24u) > rd->left ||
        (n > 0 && !c->has_sla))
        return false;
    rix *x = index_of(r);
    rollup_run prev, e;
    for (uint32_t i = 0; i < n; i++) {
        int64_t seconds;
        uint32_t mode;
        if (!read_entry(rd, r, i > 0 ? &prev : NULL, true, &e) ||
            (e.due != ROLLUP_NEVER && !cxm_time_ok(e.due)) ||
            cxm_sla_policy_target(policy_of(r), e.priority, sla_metric[e.metric], &seconds,
                                  &mode) != CXM_OK)
            return false;
        rix_append(x, &e);
        prev = e;
    }
    /* Running targets are active until read: none is counted past due in a live roll-up. */
    for (uint32_t gi = 0; gi < r->ngroups; gi++)
        for (uint32_t m = 0; m < ROLLUP_SLA; m++)
            if (c->running && group_at(r, gi)->sla[m].past_due != 0) return false;
    return c->running == 0 || entries_match(r, x, false);
}

/*
 * Reads the open-ticket index and checks it: within capacity, sorted, every
 * entry naming groups that exist, and per group exactly as many entries as
 * the group has open tickets (tickets - solved - unresolved; the tickets
 * counters are stepped down per entry, checked, then stepped back).
 */
static bool read_open(cxm_rd *rd, cxm_rollup *r)
{
    const rollup_cfg *c = &r->cfg;
    uint32_t n = cxm_rd_u32(rd);
    if (rd->bad || n > c->open || (uint64_t)n * 24u > rd->left) return false;
    rix *x = open_of(r);
    rollup_run prev, e;
    for (uint32_t i = 0; i < n; i++) {
        if (!read_entry(rd, r, i > 0 ? &prev : NULL, false, &e) || !cxm_time_ok(e.due))
            return false;
        rix_append(x, &e);
        prev = e;
    }
    return c->open == 0 || entries_match(r, x, true);
}

/*
 * Reads every target and group once without keeping anything, to count the
 * pages its sketches take (skp_core_needs): checked against the pool the
 * bytes claim (version 4) before anything is allocated.
 */
static bool scan_pages(cxm_rd rd, const rollup_cfg *c, bool v1, bool v4, bool bounds,
                       uint64_t *pages)
{
    duration_core core;
    sla_cell cell;
    scale_hist hist;
    *pages = 0;
    for (uint64_t i = 0; c->has_sla && i < (uint64_t)c->priorities * ROLLUP_SLA; i++) {
        (void)cxm_rd_u64(&rd);
        (void)cxm_rd_u32(&rd);
    }
    const uint32_t ngroups = rollup_cfg_groups(c), ntimes = rollup_popcount(c->times);
    for (uint32_t gi = 0; !rd.bad && gi < ngroups; gi++) {
        for (int k = 0; k < (v4 ? K_N : K_V3); k++)
            (void)cxm_rd_u64(&rd);
        for (uint32_t m = 0; c->has_sla && m < ROLLUP_SLA; m++)
            sla_cell_read(&rd, &cell);
        if (!v1) {
            scale_hist_read(&rd, &hist);
            scale_hist_read(&rd, &hist);
        }
        for (int k = 0; v4 && k < 3; k++)
            (void)cxm_rd_u64(&rd);
        for (uint32_t t = 0; !rd.bad && t < ntimes; t++) {
            dur_read_bounds(&rd, &core, bounds);
            if (!rd.bad) *pages += skp_core_needs(&core);
        }
    }
    return !rd.bad;
}

cxm_status cxm_rollup_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                             cxm_rollup **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_rd rd;
    cxm_status st = cxm_rd_begin(&rd, buf, len, CXM_FAMILY_ROLLUP, ROLLUP_FORMAT_VERSION);
    if (st != CXM_OK) return st;
    /* v3: the live fields and the index; v4: the grown record, the pool, agents and crosses. */
    const bool v1 = rd.version == 1, v4 = rd.version >= 4, v3 = rd.version >= 3;
    uint32_t bounds = 0;
    int64_t latest = ROLLUP_NO_LATEST;
    rollup_cfg c;
    memset(&c, 0, sizeof c);
    c.profile = cxm_rd_u32(&rd);
    c.channels = cxm_rd_u32(&rd);
    c.topics = cxm_rd_u32(&rd);
    c.priorities = cxm_rd_u32(&rd);
    c.agents = cxm_rd_u32(&rd);
    c.times = cxm_rd_u32(&rd);
    if (!v1) {
        c.has_sla = cxm_rd_u32(&rd);
        c.as_of = (int64_t)cxm_rd_u64(&rd);
    }
    if (v3) {
        c.running = cxm_rd_u32(&rd);
        bounds = cxm_rd_u32(&rd);
        latest = (int64_t)cxm_rd_u64(&rd);
    }
    if (v4) {
        c.pages = cxm_rd_u32(&rd);
        c.open = cxm_rd_u32(&rd);
        c.agent_kind = cxm_rd_u32(&rd);
        c.crosses = cxm_rd_u32(&rd);
        for (uint32_t j = 0; j < CXM_ROLLUP_MAX_CROSSES; j++) {
            c.cross[j][0] = cxm_rd_u32(&rd);
            c.cross[j][1] = cxm_rd_u32(&rd);
        }
    } else {
        c.agent_kind = CXM_ROLLUP_AGENT_COUNTS; /* agents were counted apart before version 4 */
    }
    /* Version 3 was written for live roll-ups and retracted ones only; frozen ones keep no
     * latest. */
    if (v3 && (bounds > 1 || (!v4 && c.running == 0 && bounds == 0) ||
               (c.running == 0 ? latest != ROLLUP_NO_LATEST
                               : latest != ROLLUP_NO_LATEST && !cxm_time_ok(latest))))
        return CXM_BAD_FORMAT;
    /* The scales are checked against every group's histogram below; version 1 had the defaults. */
    if (csat_cfg(NULL, &c.csat) != CXM_OK || ces_cfg(NULL, &c.ces) != CXM_OK) return CXM_BAD_FORMAT;
    if (rd.bad || !rollup_cfg_ok(&c)) return CXM_BAD_FORMAT;
    /* The bytes must hold the smallest encoding of every target, group and agent before we
     * allocate. */
    /* Older versions knew neither the handle time nor the new counters (left 0). */
    if (!v4 && (c.times & (1u << CXM_ROLLUP_HANDLE_TIME))) return CXM_BAD_FORMAT;
    if (encoded_min(&c, v1, v3, v4) > rd.left) return CXM_BAD_FORMAT;
    /* The sketches' pages must fit the pool claimed; older versions get the default pool, or
     * the pages their sketches take when that is more. */
    uint64_t pages;
    if (!scan_pages(rd, &c, v1, v4, bounds, &pages)) return CXM_BAD_FORMAT;
    if (!v4) {
        uint32_t def = rollup_budget_pages(&c, 0);
        c.pages = pages > def ? (uint32_t)(pages < UINT32_MAX ? pages : UINT32_MAX) : def;
        if (!rollup_cfg_ok(&c)) return CXM_BAD_FORMAT;
    }
    if (pages > c.pages) return CXM_BAD_FORMAT;
    cxm_rollup *r;
    if ((st = rollup_create(&c, NULL, NULL, alloc, NULL, 0, &r)) != CXM_OK) return st;
    r->bounds = bounds;
    r->latest = latest;
    duration_core core;
    bool ok = read_targets(&rd, r);
    for (uint32_t gi = 0; ok && gi < r->ngroups; gi++) {
        rollup_group *g = group_at(r, gi);
        for (int k = 0; k < (v4 ? K_N : K_V3); k++)
            g->k[k] = cxm_rd_u64(&rd);
        for (uint32_t m = 0; c.has_sla && m < ROLLUP_SLA; m++)
            sla_cell_read(&rd, &g->sla[m]);
        if (!v1) {
            scale_hist_read(&rd, &g->csat);
            scale_hist_read(&rd, &g->ces);
        }
        for (int k = 0; v4 && k < 3; k++)
            g->nps.n[k] = cxm_rd_u64(&rd);
        for (uint32_t t = 0; !rd.bad && t < r->ntimes; t++) {
            dur_read_bounds(&rd, &core, bounds);
            /* Counted above: the pages fit. */
            if (!rd.bad && skp_from_core(pool_of(r), group_time(g, t), &core) != CXM_OK)
                rd.bad = true;
        }
        ok = !rd.bad;
    }
    /* The scales are those of the first group, if they make a valid configuration. */
    if (ok && !v1) {
        r->cfg.csat = group_at(r, 0)->csat.cfg;
        r->cfg.ces = group_at(r, 0)->ces.cfg;
        ok = rollup_cfg_ok(&r->cfg);
    }
    for (uint32_t a = 0; ok && a < rollup_counted_agents(&c); a++) {
        agent_at(r, a)->tickets = cxm_rd_u64(&rd);
        agent_at(r, a)->solved = cxm_rd_u64(&rd);
    }
    ok = ok && (!v3 || read_index(&rd, r));
    ok = ok && (!v4 || read_open(&rd, r));
    ok = ok && cxm_rd_end(&rd) == CXM_OK;
    const rollup_group *all = group_at(r, 0);
    for (uint32_t gi = 0; ok && gi < r->ngroups; gi++)
        ok = group_ok(r, group_at(r, gi), all);
    if (!ok || !dimensions_ok(r)) {
        cxm_obj_free(r);
        return CXM_BAD_FORMAT;
    }
    *out = r;
    return CXM_OK;
}

void cxm_rollup_free(cxm_rollup *rollup)
{
    cxm_obj_free(rollup);
}
