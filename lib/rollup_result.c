/*
 * rollup_result.c — the result calls of a roll-up: volume and rates, times,
 * quantiles and shares within a threshold, CSAT, CES, SLA outcomes (in
 * live mode with the running targets read at an instant) and tickets per
 * agent, each read from one group.
 */
#include "rollup_impl.h"
#include "rollup_index.h"

static cxm_status group_level(const cxm_rollup *rollup, uint32_t group, uint32_t id, double level,
                              const void *out, const cxm_sizes *sizes, uint32_t *gi, double *lv,
                              double *z)
{
    if (!rollup) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, sizes);
    if (st == CXM_OK) st = rollup_group_index(rollup, group, id, gi);
    if (st == CXM_OK) st = cxm_level_z(level, lv, z);
    return st;
}

cxm_status cxm_rollup_result_get(const cxm_rollup *rollup, uint32_t group, uint32_t id,
                                 double level, cxm_rollup_result *out)
{
    uint32_t gi;
    double lv, z;
    cxm_status st = group_level(rollup, group, id, level, out, CXM_SIZES(out), &gi, &lv, &z);
    if (st != CXM_OK) return st;
    const uint64_t *k = group_at(rollup, gi)->k;
    cxm_rollup_result r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.group = group;
    r.id = group == CXM_ROLLUP_OVERALL ? 0 : id;
    r.fcr_profile = rollup->cfg.profile;
    r.tickets = k[K_TICKETS];
    r.solved = k[K_SOLVED];
    r.open = k[K_TICKETS] - k[K_SOLVED] - k[K_UNRESOLVED];
    r.ever_solved = k[K_EVER_SOLVED];
    r.reopened = k[K_REOPENED];
    r.reopens = k[K_REOPENS];
    r.self_service = k[K_SELF];
    r.assisted = k[K_SOLVED] - k[K_SELF];
    r.replied = k[K_REPLIED];
    r.agent_replies = k[K_AGENT_REPLIES];
    r.customer_replies = k[K_CUSTOMER_REPLIES];
    rate_result_fill(CXM_RATE_FCR, rollup->cfg.profile, k[K_FCR], r.assisted, lv, z, &r.fcr);
    rate_result_fill(CXM_RATE_REOPEN, 0, k[K_REOPENED], k[K_EVER_SOLVED], lv, z, &r.reopen);
    rate_result_fill(CXM_RATE_DEFLECTION, 0, k[K_SELF], k[K_SOLVED], lv, z, &r.deflection);
    r.has_fcr = r.fcr.trials > 0;
    r.has_reopen = r.reopen.trials > 0;
    r.has_deflection = r.deflection.trials > 0;
    r.unresolved = k[K_UNRESOLVED];
    r.transferred = k[K_TRANSFERRED];
    r.transfers = k[K_TRANSFERS];
    r.closed = k[K_SOLVED] + k[K_UNRESOLVED];
    rate_result_fill(CXM_RATE_UNRESOLVED, 0, k[K_UNRESOLVED], r.closed, lv, z, &r.unresolved_share);
    rate_result_fill(CXM_RATE_GENERIC, 0, k[K_TRANSFERRED], k[K_TICKETS], lv, z, &r.transfer_rate);
    r.has_unresolved_share = r.closed > 0;
    r.has_transfer_rate = k[K_TICKETS] > 0;
    cxm_result_copy(out, &r, sizeof r);
    return r.tickets > 0 ? CXM_OK : CXM_EMPTY;
}

/*
 * Reads materialise the paged sketch as the duration_core its values would
 * have built (about 20 KB on the caller's stack, no allocation): every
 * statistic is duration_core's.
 */
static cxm_status time_core(const cxm_rollup *rollup, uint32_t group, uint32_t id, uint32_t time,
                            duration_core *core)
{
    uint32_t gi;
    cxm_status st = rollup_group_index(rollup, group, id, &gi);
    if (st != CXM_OK) return st;
    int slot = rollup_time_slot(rollup, time);
    if (slot < 0) return CXM_INVALID_ARGUMENT;
    skp_to_core(pool_of(rollup), group_time(group_at(rollup, gi), (uint32_t)slot), core);
    return CXM_OK;
}

cxm_status cxm_rollup_duration_get(const cxm_rollup *rollup, uint32_t group, uint32_t id,
                                   uint32_t time, double level, cxm_duration_result *out)
{
    /* The duration metric each time is, where cxm/duration.h names one. */
    static const uint32_t metric[CXM_ROLLUP_TIMES] = {
        CXM_DURATION_FIRST_REPLY, CXM_DURATION_FIRST_RESOLUTION,
        CXM_DURATION_RESOLUTION,  CXM_DURATION_REQUESTER_WAIT,
        CXM_DURATION_ANY,         CXM_DURATION_ANY};
    if (!rollup) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    duration_core core, *c = &core;
    if (st == CXM_OK) st = time_core(rollup, group, id, time, c);
    double lv, z;
    if (st == CXM_OK) st = cxm_level_z(level, &lv, &z);
    if (st != CXM_OK) return st;
    cxm_duration_result r;
    dur_result_fill(c, metric[time], lv, &r);
    cxm_result_copy(out, &r, sizeof r);
    return r.n > 0 ? CXM_OK : CXM_EMPTY;
}

cxm_status cxm_rollup_time_get(const cxm_rollup *rollup, uint32_t group, uint32_t id, uint32_t time,
                               cxm_rollup_time_result *out)
{
    if (!rollup) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    duration_core core, *c = &core;
    if (st == CXM_OK) st = time_core(rollup, group, id, time, c);
    if (st != CXM_OK) return st;
    cxm_duration_result d;
    dur_result_stats(c, CXM_DURATION_ANY, &d);
    cxm_rollup_time_result r = {.size = sizeof r,
                                .group = group,
                                .id = group == CXM_ROLLUP_OVERALL ? 0 : id,
                                .time = time,
                                .n = d.n,
                                .mean = d.mean,
                                .sd = d.sd,
                                .min = d.min,
                                .max = d.max,
                                .median = d.median,
                                .p90 = d.p90,
                                .has_sd = d.has_sd};
    cxm_result_copy(out, &r, sizeof r);
    return r.n > 0 ? CXM_OK : CXM_EMPTY;
}

cxm_status cxm_rollup_csat_get(const cxm_rollup *rollup, uint32_t group, uint32_t id, double level,
                               cxm_csat_result *out)
{
    uint32_t gi;
    double lv, z;
    cxm_status st = group_level(rollup, group, id, level, out, CXM_SIZES(out), &gi, &lv, &z);
    if (st != CXM_OK) return st;
    cxm_csat_result r;
    st = csat_result_fill(&group_at(rollup, gi)->csat, lv, &r);
    cxm_result_copy(out, &r, sizeof r);
    return st;
}

cxm_status cxm_rollup_ces_get(const cxm_rollup *rollup, uint32_t group, uint32_t id, double level,
                              cxm_ces_result *out)
{
    uint32_t gi;
    double lv, z;
    cxm_status st = group_level(rollup, group, id, level, out, CXM_SIZES(out), &gi, &lv, &z);
    if (st != CXM_OK) return st;
    cxm_ces_result r;
    st = ces_result_fill(&group_at(rollup, gi)->ces, lv, &r);
    cxm_result_copy(out, &r, sizeof r);
    return st;
}

cxm_status cxm_rollup_nps_get(const cxm_rollup *rollup, uint32_t group, uint32_t id, double level,
                              uint32_t method, cxm_nps_result *out)
{
    uint32_t gi;
    double lv, z;
    cxm_status st = group_level(rollup, group, id, level, out, CXM_SIZES(out), &gi, &lv, &z);
    if (st != CXM_OK) return st;
    cxm_nps_result r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.kind = CXM_NPS_TRANSACTIONAL;
    st = nps_counts_result(&group_at(rollup, gi)->nps, level, method, &r);
    if (st == CXM_OK || st == CXM_EMPTY) cxm_result_copy(out, &r, sizeof r);
    return st;
}

cxm_status cxm_rollup_nps_merge_into(const cxm_rollup *rollup, uint32_t group, uint32_t id,
                                     cxm_nps *dst)
{
    uint32_t gi;
    if (!rollup || !dst) return CXM_INVALID_ARGUMENT;
    cxm_status st = rollup_group_index(rollup, group, id, &gi);
    if (st != CXM_OK) return st;
    if (dst->kind != CXM_NPS_TRANSACTIONAL) return CXM_KIND_MISMATCH;
    return nps_counts_merge(&dst->c, &group_at(rollup, gi)->nps);
}

/*
 * Live mode: the group's cell with its running targets read at `as_of`.
 * Those due before as_of (a prefix of the sorted index) are breaches late
 * by as_of - due: their count, lateness sum and largest lateness (that of
 * the earliest due) join the fulfilled ones, exactly; the others stay
 * active.
 */
static cxm_status cell_at(const cxm_rollup *r, uint32_t gi, uint32_t m, int64_t as_of,
                          sla_cell *out)
{
    *out = group_at(r, gi)->sla[m];
    if (!rollup_running(r)) return CXM_OK;
    rollup_member who;
    rollup_member_of(r, gi, &who);
    const rix *x = index_of(r);
    for (uint32_t b = 0; b < x->nb; b++) {
        uint32_t n;
        const rollup_run *e = rix_block_at(x, b, &n);
        for (uint32_t i = 0; i < n; i++) {
            if (e[i].due >= as_of) return CXM_OK;
            if (e[i].metric != m || !rollup_member_has(&who, &e[i])) continue;
            uint64_t late = (uint64_t)as_of - (uint64_t)e[i].due;
            if (cxm_add_overflows(out->late_sum, late)) return CXM_OVERFLOW;
            out->late_sum += late;
            out->late_max = late > out->late_max ? late : out->late_max;
            out->breached++;
            out->active--;
        }
    }
    return CXM_OK;
}

static cxm_status sla_read(const cxm_rollup *rollup, uint32_t group, uint32_t id, uint32_t metric,
                           bool at, int64_t as_of, double level, cxm_sla_result *out)
{
    uint32_t gi;
    double lv, z;
    cxm_status st = group_level(rollup, group, id, level, out, CXM_SIZES(out), &gi, &lv, &z);
    if (st != CXM_OK) return st;
    if (!rollup->cfg.has_sla) return CXM_INVALID_ARGUMENT;
    uint32_t m = 0;
    while (m < ROLLUP_SLA && sla_metric[m] != metric)
        m++;
    if (m == ROLLUP_SLA) return CXM_OUT_OF_RANGE;
    const bool live = rollup->cfg.running > 0;
    if (at && !live && as_of != rollup->cfg.as_of) return CXM_INVALID_ARGUMENT;
    if (at && !cxm_time_ok(as_of)) return CXM_OUT_OF_RANGE;
    if (at && as_of < rollup->latest) return CXM_BAD_ORDER;
    if (!at) as_of = rollup->latest;
    sla_cell cell = group_at(rollup, gi)->sla[m];
    if (live && (st = cell_at(rollup, gi, m, as_of, &cell)) != CXM_OK) return st;
    /* A priority group's or a cell's of a cross with the priority: the level its tickets share. */
    uint32_t priority = group == CXM_ROLLUP_PRIORITY ? id
                        : group == CXM_ROLLUP_CELL   ? rollup_cell_priority(rollup, id)
                                                     : CXM_SLA_ALL_PRIORITIES;
    cxm_sla_result r;
    st = sla_cells_result(&cell, 1, 1, priority, metric, lv, z, &r);
    if (st == CXM_OK || st == CXM_EMPTY) cxm_result_copy(out, &r, sizeof r);
    return st;
}

cxm_status cxm_rollup_sla_get(const cxm_rollup *rollup, uint32_t group, uint32_t id,
                              uint32_t metric, double level, cxm_sla_result *out)
{
    return sla_read(rollup, group, id, metric, false, 0, level, out);
}

cxm_status cxm_rollup_sla_get_at(const cxm_rollup *rollup, uint32_t group, uint32_t id,
                                 uint32_t metric, int64_t as_of, double level, cxm_sla_result *out)
{
    return sla_read(rollup, group, id, metric, true, as_of, level, out);
}

cxm_status cxm_rollup_quantile(const cxm_rollup *rollup, uint32_t group, uint32_t id, uint32_t time,
                               double q, double *out)
{
    if (!rollup || !out) return CXM_INVALID_ARGUMENT;
    duration_core core, *c = &core;
    cxm_status st = time_core(rollup, group, id, time, c);
    if (st != CXM_OK) return st;
    return dur_quantile(c, q, out);
}

cxm_status cxm_rollup_share_within(const cxm_rollup *rollup, uint32_t group, uint32_t id,
                                   uint32_t time, double threshold, double level,
                                   cxm_duration_share *out)
{
    if (!rollup) return CXM_INVALID_ARGUMENT;
    duration_core core, *c = &core;
    cxm_status st = time_core(rollup, group, id, time, c);
    if (st != CXM_OK) return st;
    return dur_share_within(c, threshold, level, out);
}

cxm_status cxm_rollup_agent_get(const cxm_rollup *rollup, uint32_t agent,
                                cxm_rollup_agent_result *out)
{
    if (!rollup) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    if (agent >= rollup->cfg.agents) return CXM_CAPACITY;
    cxm_rollup_agent_result r = {sizeof r, 0, agent, 0, 0, 0};
    if (rollup_counted_agents(&rollup->cfg)) {
        r.tickets = agent_at(rollup, agent)->tickets;
        r.solved = agent_at(rollup, agent)->solved;
    } else { /* the agent's group */
        uint32_t gi = 0;
        (void)rollup_group_index(rollup, CXM_ROLLUP_AGENT, agent, &gi); /* within capacity */
        r.tickets = group_at(rollup, gi)->k[K_TICKETS];
        r.solved = group_at(rollup, gi)->k[K_SOLVED];
    }
    cxm_result_copy(out, &r, sizeof r);
    return r.tickets > 0 ? CXM_OK : CXM_EMPTY;
}
