/*
 * rollup_group.c — the groups of a roll-up: which group a kind and id name,
 * which slot holds a kept time, and the one routine that applies what a
 * ticket contributes to each of its groups and its agent.
 */
#include "rollup_impl.h"

int rollup_time_slot(const cxm_rollup *r, uint32_t time)
{
    if (time >= CXM_ROLLUP_TIMES || !(r->cfg.times & (1u << time))) return -1;
    return (int)rollup_popcount(r->cfg.times & ((1u << time) - 1u));
}

/* Index of a group, or CXM_CAPACITY / CXM_INVALID_ARGUMENT. */
cxm_status rollup_group_index(const cxm_rollup *r, uint32_t kind, uint32_t id, uint32_t *g)
{
    const rollup_cfg *c = &r->cfg;
    switch (kind) {
    case CXM_ROLLUP_OVERALL: *g = 0; return CXM_OK;
    case CXM_ROLLUP_CHANNEL: *g = 1 + id; return id < c->channels ? CXM_OK : CXM_CAPACITY;
    case CXM_ROLLUP_TOPIC: *g = 1 + c->channels + id; return id < c->topics ? CXM_OK : CXM_CAPACITY;
    case CXM_ROLLUP_PRIORITY:
        *g = 1 + c->channels + c->topics + id;
        return id < c->priorities ? CXM_OK : CXM_CAPACITY;
    default: return CXM_INVALID_ARGUMENT;
    }
}

/*
 * Every group's counters are bounded by the overall group's, and every
 * sketch's and histogram's count by its group's tickets: if the overall
 * group can take `k` and `sla`, every group, sketch and histogram can.
 */
bool rollup_overall_fits(const cxm_rollup *r, const uint64_t k[K_N], const sla_cell sla[ROLLUP_SLA])
{
    const rollup_group *g = group_at(r, 0);
    for (int i = 0; i < K_N; i++)
        if (cxm_add_overflows(g->k[i], k[i])) return false;
    for (uint32_t m = 0; m < ROLLUP_SLA; m++)
        if (!sla_cell_merge_fits(&g->sla[m], &sla[m])) return false;
    return true;
}

void rollup_apply(cxm_rollup *r, const ticket_inc *inc)
{
    for (uint32_t i = 0; i < inc->ngroups; i++) {
        rollup_group *g = group_at(r, inc->groups[i]);
        for (int k = 0; k < K_N; k++)
            g->k[k] += inc->k[k];
        for (uint32_t m = 0; m < ROLLUP_SLA; m++)
            sla_cell_merge(&g->sla[m], &inc->sla[m]);
        /* None of these can fail: values checked, counts bounded by tickets. */
        if (inc->has_csat) (void)scale_hist_add(&g->csat, inc->csat);
        if (inc->has_ces) (void)scale_hist_add(&g->ces, inc->ces);
        uint32_t slot = 0;
        for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++) {
            if (!(r->cfg.times & (1u << t))) continue;
            if (inc->has[t]) (void)dur_add(group_time(g, slot), inc->t[t]);
            slot++;
        }
    }
    if (inc->agent != CXM_ROLLUP_NONE) {
        rollup_agent *a = agent_at(r, inc->agent);
        a->tickets++;
        a->solved += inc->k[K_SOLVED];
    }
}
