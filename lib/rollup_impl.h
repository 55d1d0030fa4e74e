/*
 * rollup_impl.h — private to the roll-up's files: the object's layout (a
 * header, the groups, the agents, the copy of the SLA policy, all in one
 * allocation), what one ticket contributes, and the calls the files make
 * into each other. Nothing here is public.
 */
#ifndef CXM_ROLLUP_IMPL_H
#define CXM_ROLLUP_IMPL_H

#include <math.h>
#include <string.h>

#include "duration_core.h"
#include "nps_core.h"
#include "rate_core.h"
#include "scale_core.h"
#include "sketch_pool.h"
#include "sla_core.h"

/*
 * 1: counts and times; 2: CSAT, CES and SLA added; 3: live state (running
 * capacity, latest instant, extremes-as-bounds flag, running-target index),
 * written only by live roll-ups and those a retraction changed, so other
 * roll-ups still encoded as version 2; 4: every roll-up, with the live
 * state, the grown ticket record (unresolved and transfer counters, the
 * transactional NPS counts, the handle time), the sketches' page pool, the
 * open-ticket index, agents as groups and the crosses' cells (the sketches
 * themselves are written as before, whatever their pages' placement).
 * Versions 1 to 3 still decode, with their agents counted apart.
 */
#define ROLLUP_FORMAT_VERSION 4
/* The SLA metrics a ticket record can tell: first reply and total resolution. */
#define ROLLUP_SLA 2u
static const uint32_t sla_metric[ROLLUP_SLA] = {CXM_SLA_FIRST_REPLY, CXM_SLA_TOTAL_RESOLUTION};

/* Counters of one group; the overall group bounds every other's. */
enum {
    K_TICKETS,
    K_SOLVED,
    K_EVER_SOLVED,
    K_REOPENED,
    K_REOPENS,
    K_SELF,
    K_FCR,
    K_REPLIED,
    K_AGENT_REPLIES,
    K_CUSTOMER_REPLIES,
    K_V3, /* the counters of versions 1 to 3 end here */
    K_UNRESOLVED = K_V3,
    K_TRANSFERRED,
    K_TRANSFERS,
    K_N
};

typedef struct rollup_group {
    uint64_t k[K_N];
    sla_cell sla[ROLLUP_SLA]; /* zero without a policy */
    scale_hist csat, ces;
    nps_counts nps; /* transactional, unweighted */
    /* followed by `ntimes` skp_sketch (pages in the roll-up's pool), in increasing
     * cxm_rollup_time order */
} rollup_group;

typedef struct rollup_agent {
    uint64_t tickets;
    uint64_t solved;
} rollup_agent;

typedef struct rollup_cfg {
    uint32_t profile;
    uint32_t channels, topics, priorities, agents;
    uint32_t times; /* mask, resolved */
    uint32_t has_sla;
    int64_t as_of;    /* frozen: report instant of running SLA targets (with a policy) */
    uint32_t running; /* > 0: live mode, the running-target index capacity */
    uint32_t open;    /* > 0: the open-ticket index capacity */
    uint32_t pages; /* the sketch pool's capacity (from the memory budget); not compared by merge */
    uint32_t reserved4;
    uint32_t agent_kind;                       /* cxm_rollup_agent_kind */
    uint32_t crosses;                          /* pairs in cross */
    uint32_t cross[CXM_ROLLUP_MAX_CROSSES][2]; /* dimension kinds, zero past `crosses` */
    scale_cfg csat, ces;
} rollup_cfg;

/* The dimensions a ticket is filed under, as cxm_rollup_group kinds. */
#define ROLLUP_DIMS 4u /* channel, topic, priority, agent: kinds 1..4 */
/* Most groups one ticket is in: overall, one per dimension, one cell per cross. */
#define ROLLUP_MAX_MEMBER (1u + ROLLUP_DIMS + CXM_ROLLUP_MAX_CROSSES)

/*
 * One running target in the live index, sorted by (due, key): the groups
 * it counts in (its ids) and its metric. Channels and topics fit 16 bits
 * (NONE is 0xFFFF), agents keep 32 (NONE is CXM_ROLLUP_NONE); ROLLUP_NEVER is a target that falls
 * due beyond the calendar's range (or under a schedule with no open hour): always active.
 */
typedef struct rollup_run {
    int64_t due;
    uint16_t channel, topic;
    uint8_t priority, metric;
    uint16_t reserved;
    uint32_t agent; /* CXM_ROLLUP_NONE for none */
    uint32_t reserved2;
} rollup_run;
#define ROLLUP_RUN_NONE 0xFFFFu
/* The metric of an open-ticket index entry, whose `due` is the ticket's creation instant. */
#define ROLLUP_OPEN_METRIC 255u
#define ROLLUP_NEVER INT64_MAX
/* No record yet (any instant of the calendar's range, 0 and before 1970 included, is one). */
#define ROLLUP_NO_LATEST INT64_MIN

struct cxm_rollup {
    cxm_obj obj;
    rollup_cfg cfg;
    uint32_t ngroups;
    uint32_t ntimes;
    uint32_t needs_calendar; /* some target counts business hours */
    uint32_t reserved;
    const cxm_calendar *calendar; /* borrowed */
    size_t group_bytes;
    size_t groups_off; /* from the start of the object */
    size_t agents_off;
    size_t index_off;  /* the running-target index (live mode) */
    size_t policy_off; /* the placed copy of the policy, when has_sla */
    size_t pool_off;   /* the sketches' page pool (sketch_pool.h), 64-byte aligned */
    size_t total;
    int64_t latest; /* live: latest instant of any record added; ROLLUP_NO_LATEST none */
    uint32_t reserved3;
    uint32_t bounds; /* a retraction happened: extremes may be bounds (cxm/rollup.h) */
    size_t open_off; /* the open-ticket index (options.open), sorted as the running one */
    /* First group index of each dimension (by kind; UINT32_MAX: agents are counts only) and
     * of each cross's cells. */
    uint32_t dim_first[1u + ROLLUP_DIMS];
    uint32_t cell_first[CXM_ROLLUP_MAX_CROSSES];
};

/* The header rounded up so groups start aligned for uint64_t and double. */
#define ROLLUP_HEADER ((sizeof(struct cxm_rollup) + 15u) & ~(size_t)15u)
#define ALL_TIMES ((1u << CXM_ROLLUP_TIMES) - 1u)
#define TICKET_FLAGS                                                                               \
    (CXM_TICKET_SELF_SERVICE | CXM_TICKET_HAS_CSAT | CXM_TICKET_HAS_CES | CXM_TICKET_HAS_NPS |     \
     CXM_TICKET_UNRESOLVED)

/*
 * What a valid ticket contributes, computed once and applied to each of its
 * groups. Not cleared whole (rollup_record.c): t[i] means something only
 * where has[i], run[] below nrun, open with is_open, created to due with a
 * policy; read no other, and never compare two whole.
 */
typedef struct ticket_inc {
    uint64_t k[K_N];
    bool has[CXM_ROLLUP_TIMES];
    double t[CXM_ROLLUP_TIMES];
    uint32_t groups[ROLLUP_MAX_MEMBER];
    uint32_t ngroups;
    uint32_t agent; /* CXM_ROLLUP_NONE for none (counted apart with CXM_ROLLUP_AGENT_COUNTS) */
    uint32_t has_csat, has_ces, has_nps;
    int32_t csat, ces, nps;
    sla_cell sla[ROLLUP_SLA]; /* the ticket's outcomes, as cells of one */
    int64_t latest;           /* its latest instant */
    int64_t created;          /* what its SLA outcomes depend on: creation, priority, ... */
    uint32_t priority;
    uint32_t reserved2;
    int64_t sla_at[ROLLUP_SLA]; /* ... and the instant each target was evaluated at (0: none) */
    int64_t due[ROLLUP_SLA];    /* live: the due instant of a running target */
    uint32_t nrun;              /* live: its running targets, in run[0..nrun) */
    uint32_t is_open; /* with an open-ticket index: the ticket is open, `open` its entry */
    rollup_run run[ROLLUP_SLA];
    rollup_run open;
} ticket_inc;

static inline uint32_t rollup_popcount(uint32_t m)
{
    uint32_t c = 0;
    for (; m; m &= m - 1)
        c++;
    return c;
}

static inline rollup_group *group_at(const cxm_rollup *r, uint32_t g)
{
    return (rollup_group *)((char *)(uintptr_t)r + r->groups_off + (size_t)g * r->group_bytes);
}

static inline skp_sketch *group_time(const rollup_group *g, uint32_t slot)
{
    return (skp_sketch *)((char *)(uintptr_t)g + sizeof(rollup_group) +
                          (size_t)slot * sizeof(skp_sketch));
}

static inline skp_pool *pool_of(const cxm_rollup *r)
{
    return (skp_pool *)(void *)((char *)(uintptr_t)r + r->pool_off);
}

/* Agents counted apart (tickets and solved): all of them with CXM_ROLLUP_AGENT_COUNTS, else none.
 */
static inline uint32_t rollup_counted_agents(const rollup_cfg *c)
{
    return c->agent_kind == CXM_ROLLUP_AGENT_COUNTS ? c->agents : 0u;
}

static inline rollup_agent *agent_at(const cxm_rollup *r, uint32_t a)
{
    return (rollup_agent *)((char *)(uintptr_t)r + r->agents_off) + a;
}

/* The running-target index (rollup_index.h); present in live mode only (cfg.running > 0). */
struct rix;
static inline struct rix *index_of(const cxm_rollup *r)
{
    return (struct rix *)(void *)((char *)(uintptr_t)r + r->index_off);
}

/* The open-ticket index (an index like the running one); present when cfg.open > 0. */
static inline struct rix *open_of(const cxm_rollup *r)
{
    return (struct rix *)(void *)((char *)(uintptr_t)r + r->open_off);
}

static inline cxm_sla_policy *policy_of(const cxm_rollup *r)
{
    return (cxm_sla_policy *)((char *)(uintptr_t)r + r->policy_off);
}

/* rollup.c: configuration and creation. */
bool rollup_cfg_ok(const rollup_cfg *c);
uint32_t rollup_cfg_groups(const rollup_cfg *c);
/*
 * Allocates (or places) and lays out a roll-up; with SLA, places the policy
 * copy and takes the targets of the metrics it evaluates from `src` (a
 * caller's policy) or leaves them to the decoder (src NULL).
 */
cxm_status rollup_create(const rollup_cfg *c, const cxm_sla_policy *src,
                         const cxm_calendar *calendar, const cxm_allocator *alloc, void *mem,
                         size_t size, cxm_rollup **out);

/* rollup_record.c: a ticket checked once, and what it contributes. */
/*
 * `prev` (may be NULL): the same ticket's previous record, derived: an SLA
 * target whose inputs did not change takes its outcome from there instead
 * of being evaluated again (a replace derives two records).
 */
cxm_status rollup_ticket_inc(const cxm_rollup *r, const cxm_ticket *rec, ticket_inc *inc,
                             uint32_t *bad_field, const ticket_inc *prev);

/* Pool pages of a memory budget in bytes (0: the default for the configuration). */
uint32_t rollup_budget_pages(const rollup_cfg *c, uint64_t budget);
/* Bytes the budget buys: the pool of c->pages (links and pages). */
size_t rollup_pool_bytes(const rollup_cfg *c);

/* rollup_group.c: the groups. */
/*
 * Pages the sketches of `in`'s groups would take (after `out` is taken out,
 * counted conservatively before: see rollup_group.c); every add of a value
 * takes at most one page.
 */
uint32_t rollup_pages_needed(const cxm_rollup *r, const ticket_inc *out, const ticket_inc *in);
/* Position of a kept time among the kept ones, or -1. */
int rollup_time_slot(const cxm_rollup *r, uint32_t time);
/* Index of a group, or CXM_CAPACITY / CXM_INVALID_ARGUMENT. */
cxm_status rollup_group_index(const cxm_rollup *r, uint32_t kind, uint32_t id, uint32_t *g);
bool rollup_overall_fits(const cxm_rollup *r, const uint64_t k[K_N],
                         const sla_cell sla[ROLLUP_SLA]);
/*
 * The one routine that changes groups: takes what record `out` contributes
 * out of each of its groups, its agent and the running-target index, and
 * puts what `in` contributes in (either may be NULL: an add is (NULL, in),
 * a retraction (out, NULL), a replace both). The caller checked that `in`
 * fits (rollup_overall_fits, the index capacity) and that `out` can be
 * taken (rollup_can_take). Every group kind goes through it.
 */
void rollup_apply(cxm_rollup *r, const ticket_inc *out, const ticket_inc *in);
/*
 * Adds n derived records in order, asking for the next records' lines
 * while it applies one. The caller checked everything, the pool's pages
 * included.
 */
void rollup_add_derived(cxm_rollup *r, const ticket_inc *inc, size_t n);
/*
 * Steps the bucket count of each of inc's values in each of its groups by
 * one and nothing else: up, taking pages (false, nothing changed, when the
 * pool runs out), or down, giving them back. add_many's dry run of the
 * pages a batch takes (skp_count_step).
 */
bool rollup_count_step(cxm_rollup *r, const ticket_inc *inc, bool up);
/* The relations every group's counters keep (solved <= tickets, ...). */
bool rollup_counts_ok(const uint64_t k[K_N]);
/* Whether `inc` can be taken out: nothing would go below zero, the counters keep their
 * relations. */
bool rollup_can_take(const cxm_rollup *r, const ticket_inc *inc);
/* Orders index entries by due instant, then by key: one canonical order. */
int rollup_run_cmp(const rollup_run *a, const rollup_run *b);
/*
 * The groups an entry counts in, its ids' (overall, channel, topic,
 * priority, agent, one cell per cross where it has both ids): their count,
 * in increasing group order. A ticket's groups are those of its entry.
 */
uint32_t rollup_run_groups(const cxm_rollup *r, const rollup_run *e, uint32_t g[ROLLUP_MAX_MEMBER]);
/* The id an entry has in a dimension (kind 1..4), CXM_ROLLUP_NONE for none. */
/* The priority of every ticket of cell `id` (a valid cell), or CXM_SLA_ALL_PRIORITIES. */
uint32_t rollup_cell_priority(const cxm_rollup *r, uint32_t id);
/* The capacity of a dimension (kind 1..4). */
uint32_t rollup_dim_capacity(const rollup_cfg *c, uint32_t kind);
/* The id of an entry's ticket in dimension `kind` (1..4); CXM_ROLLUP_NONE for none. */
static inline uint32_t rollup_run_id(const rollup_run *e, uint32_t kind)
{
    switch (kind) {
    case CXM_ROLLUP_CHANNEL: return e->channel == ROLLUP_RUN_NONE ? CXM_ROLLUP_NONE : e->channel;
    case CXM_ROLLUP_TOPIC: return e->topic == ROLLUP_RUN_NONE ? CXM_ROLLUP_NONE : e->topic;
    case CXM_ROLLUP_PRIORITY: return e->priority;
    default: return e->agent;
    }
}

/*
 * A group as a test on index entries: the dimension ids its tickets have
 * (none for the overall group, one for a dimension's group, two for a
 * cell). A read of one group scans a whole index (the running targets,
 * the open tickets), so it compares an entry's fields with these instead
 * of working out every group of every entry (several times the cost per
 * entry: rollup.scale.read.survival in bench_scale times the scan).
 */
typedef struct rollup_member {
    uint32_t n;
    uint32_t kind[2], id[2];
} rollup_member;
/* The test of group gi (index of a group). */
void rollup_member_of(const cxm_rollup *r, uint32_t gi, rollup_member *m);
/* Whether the entry counts in the group: rollup_run_groups lists it. */
static inline bool rollup_member_has(const rollup_member *m, const rollup_run *e)
{
    for (uint32_t i = 0; i < m->n; i++)
        if (rollup_run_id(e, m->kind[i]) != m->id[i]) return false;
    return true;
}

#endif
