/*
 * rollup_group.c — the groups of a roll-up: which group a kind and id name,
 * which slot holds a kept time, the running-target index of live mode
 * (sorted by due instant: search, insert, remove), whether a record can be
 * taken out, and the one routine that applies what a record contributes to
 * each of its groups, its agent and the index: added, taken out, or
 * replaced by the same ticket's next record (only what changed moves).
 */
#include "rollup_impl.h"
#include "rollup_index.h"

int rollup_time_slot(const cxm_rollup *r, uint32_t time)
{
    if (time >= CXM_ROLLUP_TIMES || !(r->cfg.times & (1u << time))) return -1;
    return (int)rollup_popcount(r->cfg.times & ((1u << time) - 1u));
}

/* Index of a group, or CXM_CAPACITY / CXM_INVALID_ARGUMENT. */
cxm_status rollup_group_index(const cxm_rollup *r, uint32_t kind, uint32_t id, uint32_t *g)
{
    const rollup_cfg *c = &r->cfg;
    if (kind == CXM_ROLLUP_OVERALL) {
        *g = 0;
        return CXM_OK;
    }
    if (kind == CXM_ROLLUP_CELL) { /* the cells are the last groups */
        if (c->crosses == 0) return CXM_INVALID_ARGUMENT;
        *g = r->cell_first[0] + id;
        return id < r->ngroups - r->cell_first[0] ? CXM_OK : CXM_CAPACITY;
    }
    if (kind > CXM_ROLLUP_AGENT || r->dim_first[kind] == UINT32_MAX) return CXM_INVALID_ARGUMENT;
    *g = r->dim_first[kind] + id;
    return id < rollup_dim_capacity(c, kind) ? CXM_OK : CXM_CAPACITY;
}

uint32_t rollup_cell_priority(const cxm_rollup *r, uint32_t id)
{
    const rollup_cfg *c = &r->cfg;
    uint32_t gi = r->cell_first[0] + id, j = 0;
    while (j + 1 < c->crosses && gi >= r->cell_first[j + 1])
        j++;
    uint32_t nb = rollup_dim_capacity(c, c->cross[j][1]), at = gi - r->cell_first[j];
    if (c->cross[j][0] == CXM_ROLLUP_PRIORITY) return at / nb;
    if (c->cross[j][1] == CXM_ROLLUP_PRIORITY) return at % nb;
    return CXM_SLA_ALL_PRIORITIES;
}

cxm_status cxm_rollup_cell_id(const cxm_rollup *rollup, uint32_t cross, uint32_t first,
                              uint32_t second, uint32_t *id)
{
    if (!rollup || !id || cross >= rollup->cfg.crosses) return CXM_INVALID_ARGUMENT;
    const rollup_cfg *c = &rollup->cfg;
    uint32_t na = rollup_dim_capacity(c, c->cross[cross][0]);
    uint32_t nb = rollup_dim_capacity(c, c->cross[cross][1]);
    if (first >= na || second >= nb) return CXM_CAPACITY;
    *id = rollup->cell_first[cross] - rollup->cell_first[0] + first * nb + second;
    return CXM_OK;
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
        if (!sla_cell_empty(&sla[m]) && !sla_cell_merge_fits(&g->sla[m], &sla[m])) return false;
    return true;
}

int rollup_run_cmp(const rollup_run *a, const rollup_run *b)
{
    if (a->due != b->due) return a->due < b->due ? -1 : 1;
    const uint32_t ka[5] = {a->priority, a->metric, a->channel, a->topic, a->agent};
    const uint32_t kb[5] = {b->priority, b->metric, b->channel, b->topic, b->agent};
    for (int i = 0; i < 5; i++)
        if (ka[i] != kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
}

uint32_t rollup_run_groups(const cxm_rollup *r, const rollup_run *e, uint32_t g[ROLLUP_MAX_MEMBER])
{
    const rollup_cfg *c = &r->cfg;
    uint32_t n = 0;
    g[n++] = 0;
    for (uint32_t kind = CXM_ROLLUP_CHANNEL; kind <= CXM_ROLLUP_AGENT; kind++) {
        uint32_t id = rollup_run_id(e, kind);
        if (id != CXM_ROLLUP_NONE && r->dim_first[kind] != UINT32_MAX)
            g[n++] = r->dim_first[kind] + id;
    }
    for (uint32_t j = 0; j < c->crosses; j++) {
        uint32_t a = rollup_run_id(e, c->cross[j][0]), b = rollup_run_id(e, c->cross[j][1]);
        if (a != CXM_ROLLUP_NONE && b != CXM_ROLLUP_NONE)
            g[n++] = r->cell_first[j] + a * rollup_dim_capacity(c, c->cross[j][1]) + b;
    }
    return n;
}

void rollup_member_of(const cxm_rollup *r, uint32_t gi, rollup_member *m)
{
    const rollup_cfg *c = &r->cfg;
    *m = (rollup_member){0};
    for (uint32_t kind = CXM_ROLLUP_CHANNEL; kind <= CXM_ROLLUP_AGENT; kind++) {
        uint32_t first = r->dim_first[kind];
        if (first != UINT32_MAX && gi >= first && gi - first < rollup_dim_capacity(c, kind)) {
            *m = (rollup_member){1, {kind, 0}, {gi - first, 0}};
            return;
        }
    }
    for (uint32_t j = 0; j < c->crosses; j++) {
        uint32_t width = rollup_dim_capacity(c, c->cross[j][1]);
        uint64_t cells = (uint64_t)rollup_dim_capacity(c, c->cross[j][0]) * width;
        if (gi >= r->cell_first[j] && gi - r->cell_first[j] < cells) {
            uint32_t at = gi - r->cell_first[j];
            *m = (rollup_member){2, {c->cross[j][0], c->cross[j][1]}, {at / width, at % width}};
            return;
        }
    }
}

static bool run_present(const cxm_rollup *r, const rollup_run *e)
{
    return r->cfg.running && rix_contains(index_of(r), e);
}

static bool open_present(const cxm_rollup *r, const rollup_run *e)
{
    return r->cfg.open && rix_contains(open_of(r), e);
}

bool rollup_counts_ok(const uint64_t k[K_N])
{
    return k[K_SOLVED] <= k[K_TICKETS] && k[K_EVER_SOLVED] <= k[K_TICKETS] &&
           k[K_SOLVED] <= k[K_EVER_SOLVED] && k[K_REOPENED] <= k[K_EVER_SOLVED] &&
           k[K_REOPENED] <= k[K_REOPENS] && k[K_SELF] <= k[K_SOLVED] &&
           k[K_FCR] <= k[K_SOLVED] - k[K_SELF] && k[K_REPLIED] <= k[K_TICKETS] &&
           k[K_UNRESOLVED] <= k[K_TICKETS] - k[K_SOLVED] && k[K_TRANSFERRED] <= k[K_TICKETS] &&
           k[K_TRANSFERRED] <= k[K_TRANSFERS];
}

bool rollup_can_take(const cxm_rollup *r, const ticket_inc *inc)
{
    for (uint32_t i = 0; i < inc->ngroups; i++) {
        const rollup_group *g = group_at(r, inc->groups[i]);
        uint64_t left[K_N];
        for (int k = 0; k < K_N; k++) {
            if (g->k[k] < inc->k[k]) return false;
            left[k] = g->k[k] - inc->k[k];
        }
        /* A record never added may leave counts that no records give (more solved than
         * tickets): refused too. */
        if (!rollup_counts_ok(left)) return false;
        for (uint32_t m = 0; m < ROLLUP_SLA; m++)
            if (!sla_cell_sub_ok(&g->sla[m], &inc->sla[m])) return false;
        if ((inc->has_csat && !scale_hist_sub_ok(&g->csat, inc->csat)) ||
            (inc->has_ces && !scale_hist_sub_ok(&g->ces, inc->ces)) ||
            (inc->has_nps && g->nps.n[nps_category(inc->nps)] == 0))
            return false;
        uint32_t slot = 0;
        for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++) {
            if (!(r->cfg.times & (1u << t))) continue;
            if (inc->has[t] && !skp_remove_ok(pool_of(r), group_time(g, slot), inc->t[t]))
                return false;
            slot++;
        }
    }
    if (inc->agent != CXM_ROLLUP_NONE) {
        const rollup_agent *a = agent_at(r, inc->agent);
        if (a->tickets == 0 || a->solved < inc->k[K_SOLVED] ||
            a->tickets - 1 < a->solved - inc->k[K_SOLVED])
            return false;
    }
    /* Two running targets of one ticket have different metrics: never the same entry. */
    for (uint32_t j = 0; j < inc->nrun; j++)
        if (!run_present(r, &inc->run[j])) return false;
    if (inc->is_open && !open_present(r, &inc->open)) return false;
    return true;
}

/* One unweighted NPS answer in or out (the roll-up never weighs answers). */
static void nps_step(nps_counts *c, int32_t score, int sign)
{
    if (sign > 0)
        c->n[nps_category(score)]++;
    else
        c->n[nps_category(score)]--;
}

static bool same_groups(const ticket_inc *a, const ticket_inc *b)
{
    return a->ngroups == b->ngroups && a->agent == b->agent &&
           memcmp(a->groups, b->groups, a->ngroups * sizeof a->groups[0]) == 0;
}

/*
 * A removal frees what the same sketch's next add may need again (same
 * bucket: exactly; same octave: at most the pages it freed; another
 * octave: nothing it frees), so counting the adds of `in` against the
 * sketches before `out` leaves is conservative, never short.
 */
uint32_t rollup_pages_needed(const cxm_rollup *r, const ticket_inc *out, const ticket_inc *in)
{
    const skp_pool *pool = pool_of(r);
    uint32_t adds = 0;
    for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++)
        adds += in->has[t];
    /* The common case: more pages free than the adds could take, one each at most. */
    if ((uint64_t)adds * in->ngroups <= skp_free(pool)) return 0;
    bool swap = out && same_groups(out, in);
    uint32_t need = 0;
    for (uint32_t i = 0; i < in->ngroups; i++) {
        const rollup_group *g = group_at(r, in->groups[i]);
        uint32_t slot = 0;
        for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++) {
            if (!(r->cfg.times & (1u << t))) continue;
            /* In a swap an unchanged value does not move (group_swap). */
            bool same = swap && out->has[t] == in->has[t] && (!in->has[t] || out->t[t] == in->t[t]);
            if (in->has[t] && !same) need += skp_add_needs(pool, group_time(g, slot), in->t[t]);
            slot++;
        }
    }
    return need;
}

/* One record's part in one group, +1 or -1. */
static void group_apply(const cxm_rollup *r, rollup_group *g, const ticket_inc *inc, int sign)
{
    /* Two's complement: adding (uint64_t)-x takes x away. */
    const uint64_t mul = sign > 0 ? 1u : UINT64_MAX;
    for (int k = 0; k < K_N; k++)
        g->k[k] += mul * inc->k[k];
    for (uint32_t m = 0; m < ROLLUP_SLA; m++) {
        if (sign > 0)
            sla_cell_merge(&g->sla[m], &inc->sla[m]);
        else
            sla_cell_sub(&g->sla[m], &inc->sla[m]);
    }
    /* None of these can fail: values checked, counts bounded by tickets or checked. */
    if (inc->has_csat) {
        if (sign > 0)
            (void)scale_hist_add(&g->csat, inc->csat);
        else
            scale_hist_sub(&g->csat, inc->csat);
    }
    if (inc->has_ces) {
        if (sign > 0)
            (void)scale_hist_add(&g->ces, inc->ces);
        else
            scale_hist_sub(&g->ces, inc->ces);
    }
    if (inc->has_nps) nps_step(&g->nps, inc->nps, sign);
    uint32_t slot = 0;
    for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++) {
        if (!(r->cfg.times & (1u << t))) continue;
        if (inc->has[t]) {
            /* Checked: the pages (rollup_pages_needed), the values, n bounded by tickets. */
            if (sign > 0)
                (void)skp_add(pool_of(r), group_time(g, slot), inc->t[t]);
            else
                (void)skp_remove(pool_of(r), group_time(g, slot), inc->t[t]);
        }
        slot++;
    }
}

static bool same_cell(const sla_cell *a, const sla_cell *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

/*
 * A record replaced by the next record of the same ticket in the same
 * groups: only what changed moves (a reply changes one time and one SLA
 * cell), so a replace costs little more than an add. Taking out and
 * putting in a part that did not change is a no-op, except that it keeps
 * an extreme or the largest lateness exact instead of leaving a bound.
 */
static void group_swap(const cxm_rollup *r, rollup_group *g, const ticket_inc *out,
                       const ticket_inc *in)
{
    for (int k = 0; k < K_N; k++)
        g->k[k] += in->k[k] - out->k[k];
    for (uint32_t m = 0; m < ROLLUP_SLA; m++)
        if (!same_cell(&out->sla[m], &in->sla[m])) {
            sla_cell_sub(&g->sla[m], &out->sla[m]);
            sla_cell_merge(&g->sla[m], &in->sla[m]);
        }
    if (out->has_csat != in->has_csat || out->csat != in->csat) {
        if (out->has_csat) scale_hist_sub(&g->csat, out->csat);
        if (in->has_csat) (void)scale_hist_add(&g->csat, in->csat);
    }
    if (out->has_ces != in->has_ces || out->ces != in->ces) {
        if (out->has_ces) scale_hist_sub(&g->ces, out->ces);
        if (in->has_ces) (void)scale_hist_add(&g->ces, in->ces);
    }
    if (out->has_nps != in->has_nps || out->nps != in->nps) {
        if (out->has_nps) nps_step(&g->nps, out->nps, -1);
        if (in->has_nps) nps_step(&g->nps, in->nps, +1);
    }
    uint32_t slot = 0;
    for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++) {
        if (!(r->cfg.times & (1u << t))) continue;
        if (out->has[t] != in->has[t] || (out->has[t] && out->t[t] != in->t[t])) {
            if (out->has[t]) (void)skp_remove(pool_of(r), group_time(g, slot), out->t[t]);
            if (in->has[t]) (void)skp_add(pool_of(r), group_time(g, slot), in->t[t]);
        }
        slot++;
    }
}

static bool has_run(const ticket_inc *inc, const rollup_run *e)
{
    for (uint32_t j = 0; j < inc->nrun; j++)
        if (rollup_run_cmp(&inc->run[j], e) == 0) return true;
    return false;
}

/*
 * THE ADD PATH. An add writes, in each of its groups, the counters, an
 * answer's bin and, for each time, a sketch's head and one counter of a
 * page: some eighty to a hundred and twenty lines spread over the state.
 * Each time's bucket and moments are computed once for all the groups
 * (prepare). Then two passes: locate reads every sketch's directory entry
 * for its value's octave and asks for the counter's line, all of them
 * before any is written, so that those misses overlap instead of each
 * waiting on its own directory read; add_located writes. Measured with
 * bench_scale's team roll-up: about a quarter off the add. add_many
 * locates the next ticket while it writes one and asks for the heads of
 * those after.
 */
typedef struct prepared {
    skp_value v[CXM_ROLLUP_TIMES];
    uint32_t slot[CXM_ROLLUP_TIMES]; /* the sketch of v[i] in each group */
    uint32_t n;
} prepared;

/* Where a ticket's values go, time by time, group by group (located by locate). */
typedef struct located {
    skp_sketch *sketch[CXM_ROLLUP_TIMES * ROLLUP_MAX_MEMBER];
    /* the value's low-byte counter; NULL: its octave has no page yet (the general add) */
    uint8_t *low[CXM_ROLLUP_TIMES * ROLLUP_MAX_MEMBER];
} located;

static void prepare(const cxm_rollup *r, const ticket_inc *in, prepared *p)
{
    uint32_t slot = 0;
    p->n = 0;
    for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++) {
        if (!(r->cfg.times & (1u << t))) continue;
        if (in->has[t]) {
            skp_prepare(&p->v[p->n], in->t[t]);
            p->slot[p->n++] = slot;
        }
        slot++;
    }
}

static void prefetch_heads(const cxm_rollup *r, const ticket_inc *in, const prepared *p)
{
    for (uint32_t i = 0; i < in->ngroups; i++) {
        const rollup_group *g = group_at(r, in->groups[i]);
        SKP_PREFETCH(&g->k[0]);
        SKP_PREFETCH(&g->k[K_N - 1]);
        if (in->has_csat) SKP_PREFETCH(&g->csat.c[(uint32_t)(in->csat - r->cfg.csat.lo)]);
        if (in->has_ces) SKP_PREFETCH(&g->ces.c[(uint32_t)(in->ces - r->cfg.ces.lo)]);
        if (in->has_nps) SKP_PREFETCH(&g->nps);
        for (uint32_t j = 0; j < p->n; j++)
            skp_prefetch_head(group_time(g, p->slot[j]), &p->v[j]);
    }
    if (in->agent != CXM_ROLLUP_NONE) SKP_PREFETCH(agent_at(r, in->agent));
}

/*
 * Each value's sketch and counter in each group, the counters' lines asked
 * for. Adds only take pages and lengthen carry chains, never move a low
 * byte, so a ticket located before another is written stays located: at
 * worst an octave that got its page meanwhile is found by the general add.
 */
static void locate(const cxm_rollup *r, const ticket_inc *in, const prepared *p, located *l)
{
    uint8_t *pages = skp_page(pool_of(r), 0);
    uint32_t c = 0;
    for (uint32_t j = 0; j < p->n; j++)
        for (uint32_t i = 0; i < in->ngroups; i++, c++) {
            skp_sketch *s = group_time(group_at(r, in->groups[i]), p->slot[j]);
            uint8_t *low = skp_counter(pages, s, &p->v[j]);
            if (low) SKP_PREFETCH(low);
            l->sketch[c] = s;
            l->low[c] = low;
        }
}

/* group_apply(+1) without the times (add_located adds them): the same result. */
static void group_add_counts(rollup_group *g, const ticket_inc *in)
{
    for (int k = 0; k < K_N; k++)
        g->k[k] += in->k[k];
    /* A ticket without an outcome (no policy, self-service) leaves the cells' lines alone. */
    for (uint32_t m = 0; m < ROLLUP_SLA; m++)
        if (!sla_cell_empty(&in->sla[m])) sla_cell_merge(&g->sla[m], &in->sla[m]);
    /* None of these can fail: values checked, counts bounded by tickets. */
    if (in->has_csat) (void)scale_hist_add(&g->csat, in->csat);
    if (in->has_ces) (void)scale_hist_add(&g->ces, in->ces);
    if (in->has_nps) nps_step(&g->nps, in->nps, +1);
}

/* What every change does after its groups: the agent, the indexes, the latest instant. */
static void apply_rest(cxm_rollup *r, const ticket_inc *out, const ticket_inc *in)
{
    const ticket_inc *any = in ? in : out;
    if (any->agent != CXM_ROLLUP_NONE) {
        rollup_agent *a = agent_at(r, any->agent);
        a->tickets += (uint64_t)(in ? 1u : 0u) - (uint64_t)(out ? 1u : 0u);
        a->solved += (in ? in->k[K_SOLVED] : 0u) - (out ? out->k[K_SOLVED] : 0u);
    }
    /* The index: entries of both records stay where they are (O(log n + RIX_B) each change). */
    for (uint32_t j = 0; out && j < out->nrun; j++)
        if (!in || !has_run(in, &out->run[j])) rix_remove(index_of(r), &out->run[j]);
    for (uint32_t j = 0; in && j < in->nrun; j++)
        if (!out || !has_run(out, &in->run[j])) rix_insert(index_of(r), &in->run[j]);
    /* The open-ticket index: the same ticket open before and after keeps its entry. */
    const bool keep =
        out && in && out->is_open && in->is_open && rollup_run_cmp(&out->open, &in->open) == 0;
    if (out && out->is_open && !keep) rix_remove(open_of(r), &out->open);
    if (in && in->is_open && !keep) rix_insert(open_of(r), &in->open);
    if (in && r->cfg.running && in->latest > r->latest) r->latest = in->latest;
    if (out) r->bounds = 1;
}

static void add_located(cxm_rollup *r, const ticket_inc *in, const prepared *p, const located *l)
{
    skp_pool *pool = pool_of(r);
    for (uint32_t i = 0; i < in->ngroups; i++)
        group_add_counts(group_at(r, in->groups[i]), in);
    /* Time by time, each into every group: a value's fields are read once, not per sketch
     * (the counters are bytes, whose stores may alias anything in memory but locals). */
    uint32_t c = 0;
    for (uint32_t j = 0; j < p->n; j++) {
        const skp_value x = p->v[j];
        for (uint32_t i = 0; i < in->ngroups; i++, c++)
            skp_add_located(pool, l->sketch[c], l->low[c], &x);
    }
    apply_rest(r, NULL, in);
}

void rollup_apply(cxm_rollup *r, const ticket_inc *out, const ticket_inc *in)
{
    if (out && in && !same_groups(out, in)) {
        rollup_apply(r, out, NULL);
        rollup_apply(r, NULL, in);
        return;
    }
    if (!out) {
        prepared p;
        located l;
        prepare(r, in, &p);
        locate(r, in, &p, &l);
        add_located(r, in, &p, &l);
        return;
    }
    for (uint32_t i = 0; i < out->ngroups; i++) {
        rollup_group *g = group_at(r, out->groups[i]);
        if (in)
            group_swap(r, g, out, in);
        else
            group_apply(r, g, out, -1);
    }
    apply_rest(r, out, in);
}

/* Steps the bucket counts of inc's values in its groups, at most `limit` of them: how many. */
static uint32_t count_steps(cxm_rollup *r, const ticket_inc *inc, bool up, uint32_t limit)
{
    uint32_t done = 0;
    for (uint32_t i = 0; i < inc->ngroups; i++) {
        rollup_group *g = group_at(r, inc->groups[i]);
        uint32_t slot = 0;
        for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++) {
            if (!(r->cfg.times & (1u << t))) continue;
            if (inc->has[t]) {
                if (done == limit ||
                    !skp_count_step(pool_of(r), group_time(g, slot), inc->t[t], up))
                    return done;
                done++;
            }
            slot++;
        }
    }
    return done;
}

bool rollup_count_step(cxm_rollup *r, const ticket_inc *inc, bool up)
{
    uint32_t want = 0;
    for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++)
        want += (r->cfg.times & (1u << t)) && inc->has[t];
    uint32_t done = count_steps(r, inc, up, UINT32_MAX);
    if (done == want * inc->ngroups) return true;
    (void)count_steps(r, inc, false, done); /* the pool ran out: the steps up taken back */
    return false;
}

/* How far ahead add_many asks for heads (and prepares); the next ticket is located. */
#define HEADS_AHEAD 4u

void rollup_add_derived(cxm_rollup *r, const ticket_inc *inc, size_t n)
{
    /* Ticket i is written while ticket i + 1 is located and the heads of i + HEADS_AHEAD
     * are asked for; p[] holds the prepared times of the tickets in between. */
    prepared p[HEADS_AHEAD + 1];
    located l[2];
    for (size_t i = 0; i < n && i < HEADS_AHEAD; i++) {
        prepare(r, &inc[i], &p[i]);
        prefetch_heads(r, &inc[i], &p[i]);
    }
    if (n > 0) locate(r, &inc[0], &p[0], &l[0]);
    for (size_t i = 0; i < n; i++) {
        size_t h = i + HEADS_AHEAD;
        if (h < n) {
            prepare(r, &inc[h], &p[h % (HEADS_AHEAD + 1)]);
            prefetch_heads(r, &inc[h], &p[h % (HEADS_AHEAD + 1)]);
        }
        if (i + 1 < n) locate(r, &inc[i + 1], &p[(i + 1) % (HEADS_AHEAD + 1)], &l[(i + 1) % 2]);
        add_located(r, &inc[i], &p[i % (HEADS_AHEAD + 1)], &l[i % 2]);
    }
}
