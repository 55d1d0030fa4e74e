/*
 * rollup.c — the ticket roll-up: validates a ticket once, then feeds the
 * overall group and its channel, topic and priority groups (counts, FCR
 * under a named profile, reopen and deflection rates, duration sketches)
 * and its agent. One allocation holds everything: a header, the groups and
 * the agents and a copy of the SLA policy, with no pointer inside but the
 * borrowed calendar, so clone is a copy and equality is byte equality of
 * the encoding. Every accumulator is another family's core: duration
 * sketches (duration_core.h), rate results (rate_core.h), CSAT and CES
 * histograms (scale_core.h), SLA cells (sla_core.h) and cxm_sla_evaluate.
 */
#include <math.h>
#include <string.h>

#include "duration_core.h"
#include "rate_core.h"
#include "scale_core.h"
#include "sla_core.h"

/* 1: counts and times; 2: CSAT, CES and SLA added (version 1 still decodes). */
#define ROLLUP_FORMAT_VERSION 2
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
    K_N
};

typedef struct rollup_group {
    uint64_t k[K_N];
    sla_cell sla[ROLLUP_SLA]; /* zero without a policy */
    scale_hist csat, ces;
    /* followed by `ntimes` duration_core, in increasing cxm_rollup_time order */
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
    int64_t as_of; /* report instant of running SLA targets (with a policy) */
    scale_cfg csat, ces;
} rollup_cfg;

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
    size_t policy_off; /* the placed copy of the policy, when has_sla */
    size_t total;
};

/* The header rounded up so groups start aligned for uint64_t and double. */
#define ROLLUP_HEADER ((sizeof(struct cxm_rollup) + 15u) & ~(size_t)15u)
#define ALL_TIMES ((1u << CXM_ROLLUP_TIMES) - 1u)
#define TICKET_FLAGS (CXM_TICKET_SELF_SERVICE | CXM_TICKET_HAS_CSAT | CXM_TICKET_HAS_CES)

uint32_t cxm_rollup_none(void)
{
    return CXM_ROLLUP_NONE;
}
uint32_t cxm_rollup_max_channels(void)
{
    return CXM_ROLLUP_MAX_CHANNELS;
}
uint32_t cxm_rollup_max_topics(void)
{
    return CXM_ROLLUP_MAX_TOPICS;
}
uint32_t cxm_rollup_max_priorities(void)
{
    return CXM_ROLLUP_MAX_PRIORITIES;
}
uint32_t cxm_rollup_max_agents(void)
{
    return CXM_ROLLUP_MAX_AGENTS;
}
uint32_t cxm_rollup_times(void)
{
    return CXM_ROLLUP_TIMES;
}

const char *cxm_fcr_profile_str(uint32_t profile)
{
    switch (profile) {
    case CXM_FCR_ZENDESK: return "zendesk";
    case CXM_FCR_FRESHDESK: return "freshdesk";
    default: return "unknown";
    }
}

const char *cxm_ticket_field_str(uint32_t field)
{
    static const char *const names[] = {
        "none",           "created",    "first_reply", "first_solved", "last_solved", "reopens",
        "requester_wait", "agent_work", "on_hold",     "priority",     "channel",     "topic",
        "agent",          "flags",      "size",        "csat",         "ces",
    };
    return field < sizeof names / sizeof names[0] ? names[field] : "unknown";
}

/* ---- configuration and layout ------------------------------------------------ */

static uint32_t popcount(uint32_t m)
{
    uint32_t c = 0;
    for (; m; m &= m - 1)
        c++;
    return c;
}

static bool cfg_ok(const rollup_cfg *c)
{
    return (c->profile == CXM_FCR_ZENDESK || c->profile == CXM_FCR_FRESHDESK) &&
           c->channels <= CXM_ROLLUP_MAX_CHANNELS && c->topics <= CXM_ROLLUP_MAX_TOPICS &&
           c->priorities >= 1 && c->priorities <= CXM_ROLLUP_MAX_PRIORITIES &&
           c->agents <= CXM_ROLLUP_MAX_AGENTS && c->times >= 1 && (c->times & ~ALL_TIMES) == 0 &&
           c->has_sla <= 1 &&
           (c->has_sla ? c->as_of != 0 && cxm_time_ok(c->as_of) : c->as_of == 0) &&
           scale_cfg_ok(&c->csat) && scale_cfg_ok(&c->ces) && c->csat.direction == SCALE_GOOD_HIGH;
}

static bool cfg_same(const rollup_cfg *a, const rollup_cfg *b)
{
    return a->profile == b->profile && a->channels == b->channels && a->topics == b->topics &&
           a->priorities == b->priorities && a->agents == b->agents && a->times == b->times &&
           a->has_sla == b->has_sla && a->as_of == b->as_of && scale_cfg_same(&a->csat, &b->csat) &&
           scale_cfg_same(&a->ces, &b->ces);
}

/* Resolves the options; *policy receives the caller's policy (or NULL). */
static cxm_status cfg_from_options(uint32_t profile, const cxm_rollup_options *opts, rollup_cfg *c,
                                   const cxm_sla_policy **policy, const cxm_calendar **calendar)
{
    cxm_rollup_options o;
    cxm_status st = cxm_options_read(opts, CXM_SIZES(&o), &o, sizeof o);
    if (st != CXM_OK) return st;
    if (o.reserved2 != 0) return CXM_INVALID_ARGUMENT;
    memset(c, 0, sizeof *c);
    if (csat_cfg(o.csat, &c->csat) != CXM_OK || ces_cfg(o.ces, &c->ces) != CXM_OK)
        return CXM_INVALID_ARGUMENT;
    c->profile = profile;
    c->channels = o.channels;
    c->topics = o.topics;
    c->priorities = o.priorities ? o.priorities : 4u;
    c->agents = o.agents;
    c->times = o.times ? o.times : ALL_TIMES;
    c->has_sla = o.sla_policy != NULL;
    c->as_of = o.sla_policy ? o.sla_as_of : 0;
    if (!cfg_ok(c)) return CXM_INVALID_ARGUMENT;
    if (o.sla_policy) {
        uint32_t levels = 0;
        if (cxm_sla_policy_levels(o.sla_policy, &levels) != CXM_OK || levels != c->priorities)
            return CXM_INVALID_ARGUMENT;
    }
    if (policy) *policy = o.sla_policy;
    if (calendar) *calendar = o.calendar;
    return CXM_OK;
}

static uint32_t cfg_groups(const rollup_cfg *c)
{
    return 1u + c->channels + c->topics + c->priorities;
}

static size_t cfg_group_bytes(const rollup_cfg *c)
{
    return sizeof(rollup_group) + popcount(c->times) * sizeof(duration_core);
}

/* Limits keep every product far below SIZE_MAX on 64-bit targets; checked anyway. */
static size_t cfg_total(const rollup_cfg *c)
{
    size_t gb = cfg_group_bytes(c), ng = cfg_groups(c);
    if (gb > (SIZE_MAX - ROLLUP_HEADER) / ng) return 0;
    size_t t = ROLLUP_HEADER + gb * ng;
    if ((size_t)c->agents > (SIZE_MAX - t) / sizeof(rollup_agent)) return 0;
    t += (size_t)c->agents * sizeof(rollup_agent);
    return c->has_sla ? cxm_align_up(t, 16) + cxm_sla_policy_footprint(c->priorities) : t;
}

static void layout(cxm_rollup *r, const rollup_cfg *c)
{
    r->cfg = *c;
    r->ngroups = cfg_groups(c);
    r->ntimes = popcount(c->times);
    r->group_bytes = cfg_group_bytes(c);
    r->groups_off = ROLLUP_HEADER;
    r->agents_off = ROLLUP_HEADER + r->group_bytes * r->ngroups;
    r->policy_off = cxm_align_up(r->agents_off + (size_t)c->agents * sizeof(rollup_agent), 16);
    r->total = cfg_total(c);
}

static rollup_group *group_at(const cxm_rollup *r, uint32_t g)
{
    return (rollup_group *)((char *)(uintptr_t)r + r->groups_off + (size_t)g * r->group_bytes);
}

static duration_core *group_time(const rollup_group *g, uint32_t slot)
{
    return (duration_core *)((char *)(uintptr_t)g + sizeof(rollup_group) +
                             (size_t)slot * sizeof(duration_core));
}

static rollup_agent *agent_at(const cxm_rollup *r, uint32_t a)
{
    return (rollup_agent *)((char *)(uintptr_t)r + r->agents_off) + a;
}

static cxm_sla_policy *policy_of(const cxm_rollup *r)
{
    return (cxm_sla_policy *)((char *)(uintptr_t)r + r->policy_off);
}

/* Every group and agent empty, the histograms on the configured scales. */
static void groups_init(cxm_rollup *r)
{
    size_t end = r->agents_off + (size_t)r->cfg.agents * sizeof(rollup_agent);
    memset((char *)r + r->groups_off, 0, end - r->groups_off);
    for (uint32_t gi = 0; gi < r->ngroups; gi++) {
        rollup_group *g = group_at(r, gi);
        scale_hist_init(&g->csat, &r->cfg.csat);
        scale_hist_init(&g->ces, &r->cfg.ces);
    }
}

/* Position of a kept time among the kept ones, or -1. */
static int time_slot(const cxm_rollup *r, uint32_t time)
{
    if (time >= CXM_ROLLUP_TIMES || !(r->cfg.times & (1u << time))) return -1;
    return (int)popcount(r->cfg.times & ((1u << time) - 1u));
}

/* Index of a group, or CXM_CAPACITY / CXM_INVALID_ARGUMENT. */
static cxm_status group_index(const cxm_rollup *r, uint32_t kind, uint32_t id, uint32_t *g)
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

/* ---- one ticket ---------------------------------------------------------------- */

/* What a valid ticket contributes, computed once and applied to each of its groups. */
typedef struct ticket_inc {
    uint64_t k[K_N];
    bool has[CXM_ROLLUP_TIMES];
    double t[CXM_ROLLUP_TIMES];
    uint32_t groups[4];
    uint32_t ngroups;
    uint32_t agent; /* CXM_ROLLUP_NONE for none */
    uint32_t has_csat, has_ces;
    int32_t csat, ces;
    sla_cell sla[ROLLUP_SLA]; /* the ticket's outcomes, as cells of one */
} ticket_inc;

static cxm_status refuse(cxm_status st, uint32_t field, uint32_t *bad_field)
{
    *bad_field = field;
    return st;
}

static bool first_contact(uint32_t profile, const cxm_ticket *t)
{
    if (t->reopens > 0) return false;
    if (profile == CXM_FCR_ZENDESK) return t->agent_replies < 2;
    return t->customer_replies == 0;
}

/*
 * The ticket's SLA outcomes under the roll-up's copy of the policy, at the
 * report instant for targets still running. First reply is fulfilled by
 * the first reply or the first solve, whichever comes first; total
 * resolution by the last solve of a ticket solved now.
 */
static cxm_status ticket_sla(const cxm_rollup *r, const cxm_ticket *t, ticket_inc *inc,
                             uint32_t *bad_field)
{
    const int64_t as_of = r->cfg.as_of;
    const int64_t when[4] = {t->created, t->first_reply, t->first_solved, t->last_solved};
    static const uint32_t field[4] = {CXM_TICKET_FIELD_CREATED, CXM_TICKET_FIELD_FIRST_REPLY,
                                      CXM_TICKET_FIELD_FIRST_SOLVED, CXM_TICKET_FIELD_LAST_SOLVED};
    /* 0 is "not set", never an instant: only set times meet the clock. */
    for (int i = 0; i < 4; i++) {
        if (when[i] == 0) continue;
        if (!cxm_time_ok(when[i])) return refuse(CXM_OUT_OF_RANGE, field[i], bad_field);
        if (when[i] > as_of) return refuse(CXM_BAD_ORDER, field[i], bad_field);
    }
    int64_t fr = t->first_reply;
    if (t->first_solved != 0 && (fr == 0 || t->first_solved < fr)) fr = t->first_solved;
    const int64_t end[ROLLUP_SLA] = {fr, t->last_solved};
    for (uint32_t m = 0; m < ROLLUP_SLA; m++) {
        int64_t seconds;
        uint32_t mode;
        if (cxm_sla_policy_target(policy_of(r), t->priority, sla_metric[m], &seconds, &mode) !=
            CXM_OK)
            continue; /* no target for this priority and metric */
        if (mode == CXM_SLA_BUSINESS_HOURS && !r->calendar) return CXM_BAD_STATE;
        uint32_t running = end[m] == 0;
        cxm_sla_outcome o = {.size = sizeof o};
        cxm_status st =
            cxm_sla_evaluate(policy_of(r), r->calendar, t->priority, sla_metric[m], t->created,
                             running ? as_of : end[m], running, NULL, 0, &o);
        if (st != CXM_OK) return refuse(st, CXM_TICKET_FIELD_CREATED, bad_field);
        sla_cell_put(&inc->sla[m], o.outcome, o.lateness);
    }
    return CXM_OK;
}

static cxm_status ticket_inc_of(const cxm_rollup *r, const cxm_ticket *rec, ticket_inc *inc,
                                uint32_t *bad_field)
{
    cxm_ticket t;
    *bad_field = CXM_TICKET_FIELD_NONE;
    if (cxm_record_read(rec, CXM_SIZES(&t), &t, sizeof t) != CXM_OK)
        return refuse(CXM_INVALID_ARGUMENT, CXM_TICKET_FIELD_SIZE, bad_field);
    const rollup_cfg *c = &r->cfg;
    if (t.created == 0) return refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_CREATED, bad_field);
    if (t.first_reply != 0 && t.first_reply < t.created)
        return refuse(CXM_BAD_ORDER, CXM_TICKET_FIELD_FIRST_REPLY, bad_field);
    if (t.first_solved != 0 && t.first_solved < t.created)
        return refuse(CXM_BAD_ORDER, CXM_TICKET_FIELD_FIRST_SOLVED, bad_field);
    if (t.last_solved != 0 && t.first_solved == 0)
        return refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_LAST_SOLVED, bad_field);
    if (t.last_solved != 0 && t.last_solved < t.first_solved)
        return refuse(CXM_BAD_ORDER, CXM_TICKET_FIELD_LAST_SOLVED, bad_field);
    if (t.reopens > 0 && t.first_solved == 0)
        return refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_REOPENS, bad_field);
    if (t.reopens == 0 && t.last_solved == 0)
        t.last_solved = t.first_solved; /* never reopened: the first solve is the last */
    if (t.reopens == 0 && t.last_solved != t.first_solved)
        return refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_REOPENS, bad_field);
    const double bucket[3] = {t.requester_wait, t.agent_work, t.on_hold};
    for (uint32_t i = 0; i < 3; i++)
        if (!dur_value_ok(bucket[i]))
            return refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_REQUESTER_WAIT + i, bad_field);
    if (t.flags & ~(uint32_t)TICKET_FLAGS)
        return refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_FLAGS, bad_field);
    if ((t.flags & CXM_TICKET_HAS_CSAT) && !scale_score_ok(&c->csat, t.csat))
        return refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_CSAT, bad_field);
    if ((t.flags & CXM_TICKET_HAS_CES) && !scale_score_ok(&c->ces, t.ces))
        return refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_CES, bad_field);
    bool solved = t.last_solved != 0, self = t.flags & CXM_TICKET_SELF_SERVICE;
    if (self && !solved) return refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_FLAGS, bad_field);
    if (t.priority >= c->priorities)
        return refuse(CXM_CAPACITY, CXM_TICKET_FIELD_PRIORITY, bad_field);
    if (t.channel != CXM_ROLLUP_NONE && t.channel >= c->channels)
        return refuse(CXM_CAPACITY, CXM_TICKET_FIELD_CHANNEL, bad_field);
    if (t.topic != CXM_ROLLUP_NONE && t.topic >= c->topics)
        return refuse(CXM_CAPACITY, CXM_TICKET_FIELD_TOPIC, bad_field);
    if (t.agent != CXM_ROLLUP_NONE && t.agent >= c->agents)
        return refuse(CXM_CAPACITY, CXM_TICKET_FIELD_AGENT, bad_field);

    memset(inc, 0, sizeof *inc);
    inc->k[K_TICKETS] = 1;
    inc->k[K_SOLVED] = solved;
    inc->k[K_EVER_SOLVED] = t.first_solved != 0;
    inc->k[K_REOPENED] = t.reopens > 0;
    inc->k[K_REOPENS] = t.reopens;
    inc->k[K_SELF] = self;
    inc->k[K_FCR] = solved && !self && first_contact(c->profile, &t);
    inc->k[K_REPLIED] = t.first_reply != 0;
    inc->k[K_AGENT_REPLIES] = t.agent_replies;
    inc->k[K_CUSTOMER_REPLIES] = t.customer_replies;
    /* Differences of int64 timestamps in order: exact in uint64, then seconds. */
    if (t.first_reply != 0) {
        inc->has[CXM_ROLLUP_FIRST_REPLY] = true;
        inc->t[CXM_ROLLUP_FIRST_REPLY] = (double)((uint64_t)t.first_reply - (uint64_t)t.created);
    }
    if (t.first_solved != 0) {
        inc->has[CXM_ROLLUP_FIRST_RESOLUTION] = true;
        inc->t[CXM_ROLLUP_FIRST_RESOLUTION] =
            (double)((uint64_t)t.first_solved - (uint64_t)t.created);
    }
    if (solved) {
        inc->has[CXM_ROLLUP_FULL_RESOLUTION] = true;
        inc->t[CXM_ROLLUP_FULL_RESOLUTION] =
            (double)((uint64_t)t.last_solved - (uint64_t)t.created);
        for (uint32_t i = 0; i < 3; i++) {
            inc->has[CXM_ROLLUP_REQUESTER_WAIT + i] = true;
            inc->t[CXM_ROLLUP_REQUESTER_WAIT + i] = bucket[i];
        }
    }
    /* A time beyond what a sketch takes (2^43 s) is a contradiction of the record. */
    static const uint32_t time_field[CXM_ROLLUP_TIMES] = {
        CXM_TICKET_FIELD_FIRST_REPLY, CXM_TICKET_FIELD_FIRST_SOLVED,
        CXM_TICKET_FIELD_LAST_SOLVED, CXM_TICKET_FIELD_REQUESTER_WAIT,
        CXM_TICKET_FIELD_AGENT_WORK,  CXM_TICKET_FIELD_ON_HOLD,
    };
    for (uint32_t i = 0; i < CXM_ROLLUP_TIMES; i++)
        if (inc->has[i] && !dur_value_ok(inc->t[i]))
            return refuse(CXM_OUT_OF_RANGE, time_field[i], bad_field);
    inc->has_csat = (t.flags & CXM_TICKET_HAS_CSAT) != 0;
    inc->has_ces = (t.flags & CXM_TICKET_HAS_CES) != 0;
    inc->csat = t.csat;
    inc->ces = t.ces;
    if (c->has_sla && !self) {
        cxm_status st = ticket_sla(r, &t, inc, bad_field);
        if (st != CXM_OK) return st;
    }
    inc->groups[inc->ngroups++] = 0;
    if (t.channel != CXM_ROLLUP_NONE) inc->groups[inc->ngroups++] = 1 + t.channel;
    if (t.topic != CXM_ROLLUP_NONE) inc->groups[inc->ngroups++] = 1 + c->channels + t.topic;
    inc->groups[inc->ngroups++] = 1 + c->channels + c->topics + t.priority;
    inc->agent = t.agent;
    return CXM_OK;
}

/*
 * Every group's counters are bounded by the overall group's, and every
 * sketch's and histogram's count by its group's tickets: if the overall
 * group can take `k` and `sla`, every group, sketch and histogram can.
 */
static bool overall_fits(const cxm_rollup *r, const uint64_t k[K_N], const sla_cell sla[ROLLUP_SLA])
{
    const rollup_group *g = group_at(r, 0);
    for (int i = 0; i < K_N; i++)
        if (cxm_add_overflows(g->k[i], k[i])) return false;
    for (uint32_t m = 0; m < ROLLUP_SLA; m++)
        if (!sla_cell_merge_fits(&g->sla[m], &sla[m])) return false;
    return true;
}

static void apply(cxm_rollup *r, const ticket_inc *inc)
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

/* ---- the accumulator ------------------------------------------------------------- */

size_t cxm_rollup_footprint(const cxm_rollup_options *opts)
{
    rollup_cfg c;
    if (cfg_from_options(CXM_FCR_ZENDESK, opts, &c, NULL, NULL) != CXM_OK) return 0;
    return cfg_total(&c);
}

/*
 * Allocates (or places) and lays out a roll-up; with SLA, places the policy
 * copy and takes the targets of the metrics it evaluates from `src` (a
 * caller's policy) or leaves them to the decoder (src NULL).
 */
static cxm_status rollup_create(const rollup_cfg *c, const cxm_sla_policy *src,
                                const cxm_calendar *calendar, const cxm_allocator *alloc, void *mem,
                                size_t size, cxm_rollup **out)
{
    size_t total = cfg_total(c);
    if (total == 0) return CXM_INVALID_ARGUMENT;
    cxm_rollup *r;
    cxm_status st =
        cxm_obj_make(mem != NULL, mem, size, alloc, total, CXM_FAMILY_ROLLUP, (void **)&r);
    if (st != CXM_OK) return st;
    layout(r, c);
    groups_init(r);
    r->calendar = calendar;
    if (c->has_sla) {
        cxm_sla_policy *copy = NULL;
        st = cxm_sla_policy_init_in(policy_of(r), total - r->policy_off, c->priorities, &copy);
        for (uint32_t p = 0; st == CXM_OK && src && p < c->priorities; p++)
            for (uint32_t m = 0; st == CXM_OK && m < ROLLUP_SLA; m++) {
                int64_t seconds;
                uint32_t mode;
                if (cxm_sla_policy_target(src, p, sla_metric[m], &seconds, &mode) != CXM_OK)
                    continue;
                st = cxm_sla_policy_set_target(copy, p, sla_metric[m], seconds, mode);
                r->needs_calendar |= mode == CXM_SLA_BUSINESS_HOURS;
            }
        if (st == CXM_OK && src && r->needs_calendar && !calendar) st = CXM_INVALID_ARGUMENT;
        if (st != CXM_OK) {
            cxm_obj_free(r);
            return st;
        }
    }
    *out = r;
    return CXM_OK;
}

cxm_status cxm_rollup_new(uint32_t fcr_profile, const cxm_rollup_options *opts,
                          const cxm_allocator *alloc, cxm_rollup **out)
{
    if (!out) return CXM_INVALID_ARGUMENT;
    rollup_cfg c;
    const cxm_sla_policy *policy;
    const cxm_calendar *calendar;
    cxm_status st = cfg_from_options(fcr_profile, opts, &c, &policy, &calendar);
    if (st != CXM_OK) return st;
    return rollup_create(&c, policy, calendar, alloc, NULL, 0, out);
}

cxm_status cxm_rollup_init_in(void *mem, size_t size, uint32_t fcr_profile,
                              const cxm_rollup_options *opts, cxm_rollup **out)
{
    if (!out || !mem) return CXM_INVALID_ARGUMENT;
    rollup_cfg c;
    const cxm_sla_policy *policy;
    const cxm_calendar *calendar;
    cxm_status st = cfg_from_options(fcr_profile, opts, &c, &policy, &calendar);
    if (st != CXM_OK) return st;
    return rollup_create(&c, policy, calendar, NULL, mem, size, out);
}

cxm_status cxm_rollup_attach_calendar(cxm_rollup *rollup, const cxm_calendar *calendar)
{
    if (!rollup) return CXM_INVALID_ARGUMENT;
    rollup->calendar = calendar;
    return CXM_OK;
}

cxm_status cxm_rollup_add(cxm_rollup *rollup, const cxm_ticket *ticket, uint32_t *bad_field)
{
    uint32_t field = CXM_TICKET_FIELD_NONE;
    if (bad_field) *bad_field = field;
    if (!rollup) return CXM_INVALID_ARGUMENT;
    ticket_inc inc;
    cxm_status st = ticket_inc_of(rollup, ticket, &inc, &field);
    if (st != CXM_OK) {
        if (bad_field) *bad_field = field;
        return st;
    }
    if (!overall_fits(rollup, inc.k, inc.sla)) return CXM_OVERFLOW;
    apply(rollup, &inc);
    return CXM_OK;
}

static const cxm_ticket *ticket_at(const cxm_ticket *tickets, size_t stride, size_t i)
{
    return (const cxm_ticket *)(const void *)((const char *)tickets + i * stride);
}

cxm_status cxm_rollup_add_many(cxm_rollup *rollup, const cxm_ticket *tickets, size_t n,
                               size_t *bad_index, uint32_t *bad_field)
{
    if (bad_field) *bad_field = CXM_TICKET_FIELD_NONE;
    if (!rollup || (!tickets && n > 0)) return CXM_INVALID_ARGUMENT;
    size_t stride = 0, bad = 0;
    uint32_t field = CXM_TICKET_FIELD_NONE;
    cxm_status st = cxm_record_stride(tickets, n, CXM_SIZES(tickets), &stride, &bad);
    if (st != CXM_OK) field = CXM_TICKET_FIELD_SIZE;
    /* Pass 1: validate every ticket and total what the overall group would take. */
    uint64_t sum[K_N] = {0};
    sla_cell sla[ROLLUP_SLA];
    memset(sla, 0, sizeof sla);
    for (size_t i = 0; st == CXM_OK && i < n; i++) {
        ticket_inc inc;
        bad = i;
        st = ticket_inc_of(rollup, ticket_at(tickets, stride, i), &inc, &field);
        for (int k = 0; st == CXM_OK && k < K_N; k++) {
            if (cxm_add_overflows(sum[k], inc.k[k]))
                st = CXM_OVERFLOW;
            else
                sum[k] += inc.k[k];
        }
        for (uint32_t m = 0; st == CXM_OK && m < ROLLUP_SLA; m++) {
            if (!sla_cell_merge_fits(&sla[m], &inc.sla[m]))
                st = CXM_OVERFLOW;
            else
                sla_cell_merge(&sla[m], &inc.sla[m]);
        }
    }
    if (st == CXM_OK && !overall_fits(rollup, sum, sla)) st = CXM_OVERFLOW;
    if (st != CXM_OK) {
        if (bad_index) *bad_index = bad;
        if (bad_field) *bad_field = field;
        return st;
    }
    /* Pass 2: every ticket is valid and fits. */
    for (size_t i = 0; i < n; i++) {
        ticket_inc inc;
        if (ticket_inc_of(rollup, ticket_at(tickets, stride, i), &inc, &field) == CXM_OK)
            apply(rollup, &inc);
    }
    return CXM_OK;
}

/* Same configuration and the same targets for the metrics the roll-up evaluates. */
static bool same_config(const cxm_rollup *a, const cxm_rollup *b)
{
    if (!cfg_same(&a->cfg, &b->cfg)) return false;
    for (uint32_t p = 0; a->cfg.has_sla && p < a->cfg.priorities; p++)
        for (uint32_t m = 0; m < ROLLUP_SLA; m++) {
            int64_t sa = 0, sb = 0;
            uint32_t ma = 0, mb = 0;
            cxm_status x = cxm_sla_policy_target(policy_of(a), p, sla_metric[m], &sa, &ma);
            cxm_status y = cxm_sla_policy_target(policy_of(b), p, sla_metric[m], &sb, &mb);
            if (x != y || sa != sb || ma != mb) return false;
        }
    return true;
}

cxm_status cxm_rollup_merge(cxm_rollup *dst, const cxm_rollup *src)
{
    if (!dst || !src) return CXM_INVALID_ARGUMENT;
    if (!same_config(dst, src)) return CXM_KIND_MISMATCH;
    const rollup_group *s0 = group_at(src, 0);
    if (!overall_fits(dst, s0->k, s0->sla)) return CXM_OVERFLOW;
    /* Groups from last to first: with dst == src, group 0 (the bound) changes last. */
    for (uint32_t gi = dst->ngroups; gi-- > 0;) {
        rollup_group *d = group_at(dst, gi);
        const rollup_group *s = group_at(src, gi);
        /* None of these can fail: same scales, counts bounded by the overall tickets. */
        for (uint32_t t = 0; t < dst->ntimes; t++)
            (void)dur_merge(group_time(d, t), group_time(s, t));
        (void)scale_hist_merge(&d->csat, &s->csat);
        (void)scale_hist_merge(&d->ces, &s->ces);
        for (uint32_t m = 0; m < ROLLUP_SLA; m++)
            sla_cell_merge(&d->sla[m], &s->sla[m]);
        for (int k = 0; k < K_N; k++)
            d->k[k] += s->k[k];
    }
    for (uint32_t a = 0; a < dst->cfg.agents; a++) {
        rollup_agent *d = agent_at(dst, a);
        const rollup_agent *s = agent_at(src, a);
        d->tickets += s->tickets;
        d->solved += s->solved;
    }
    return CXM_OK;
}

cxm_status cxm_rollup_reset(cxm_rollup *rollup)
{
    if (!rollup) return CXM_INVALID_ARGUMENT;
    groups_init(rollup);
    return CXM_OK;
}

size_t rollup_bytes(const cxm_rollup *rollup)
{
    return rollup->total;
}

cxm_status cxm_rollup_clone(const cxm_rollup *rollup, const cxm_allocator *alloc, cxm_rollup **out)
{
    if (!rollup || !out) return CXM_INVALID_ARGUMENT;
    return cxm_obj_clone(rollup, rollup->total, alloc, (void **)out);
}

cxm_status cxm_rollup_config(const cxm_rollup *rollup, uint32_t *fcr_profile,
                             cxm_rollup_options *opts)
{
    if (!rollup || !fcr_profile) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(opts, CXM_SIZES(opts));
    if (st != CXM_OK) return st;
    const rollup_cfg *c = &rollup->cfg;
    cxm_rollup_options o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.channels = c->channels;
    o.topics = c->topics;
    o.priorities = c->priorities;
    o.agents = c->agents;
    o.times = c->times;
    o.sla_as_of = c->as_of;
    *fcr_profile = c->profile;
    cxm_result_copy(opts, &o, sizeof o);
    return CXM_OK;
}

/* The group's index and a resolved level, the checks every result call makes. */
static cxm_status group_level(const cxm_rollup *rollup, uint32_t group, uint32_t id, double level,
                              const void *out, const cxm_sizes *sizes, uint32_t *gi, double *lv,
                              double *z)
{
    if (!rollup) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, sizes);
    if (st == CXM_OK) st = group_index(rollup, group, id, gi);
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
    r.open = k[K_TICKETS] - k[K_SOLVED];
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
    cxm_result_copy(out, &r, sizeof r);
    return r.tickets > 0 ? CXM_OK : CXM_EMPTY;
}

static cxm_status time_core(const cxm_rollup *rollup, uint32_t group, uint32_t id, uint32_t time,
                            const duration_core **core)
{
    uint32_t gi;
    cxm_status st = group_index(rollup, group, id, &gi);
    if (st != CXM_OK) return st;
    int slot = time_slot(rollup, time);
    if (slot < 0) return CXM_INVALID_ARGUMENT;
    *core = group_time(group_at(rollup, gi), (uint32_t)slot);
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
    const duration_core *c = NULL;
    if (st == CXM_OK) st = time_core(rollup, group, id, time, &c);
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
    const duration_core *c = NULL;
    if (st == CXM_OK) st = time_core(rollup, group, id, time, &c);
    if (st != CXM_OK) return st;
    cxm_duration_result d;
    dur_result_fill(c, CXM_DURATION_ANY, CXM_DEFAULT_LEVEL, &d);
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

cxm_status cxm_rollup_sla_get(const cxm_rollup *rollup, uint32_t group, uint32_t id,
                              uint32_t metric, double level, cxm_sla_result *out)
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
    uint32_t priority = group == CXM_ROLLUP_PRIORITY ? id : CXM_SLA_ALL_PRIORITIES;
    cxm_sla_result r;
    st = sla_cells_result(&group_at(rollup, gi)->sla[m], 1, 1, priority, metric, lv, z, &r);
    if (st == CXM_OK || st == CXM_EMPTY) cxm_result_copy(out, &r, sizeof r);
    return st;
}

cxm_status cxm_rollup_quantile(const cxm_rollup *rollup, uint32_t group, uint32_t id, uint32_t time,
                               double q, double *out)
{
    if (!rollup || !out) return CXM_INVALID_ARGUMENT;
    const duration_core *c = NULL;
    cxm_status st = time_core(rollup, group, id, time, &c);
    if (st != CXM_OK) return st;
    return dur_quantile(c, q, out);
}

cxm_status cxm_rollup_share_within(const cxm_rollup *rollup, uint32_t group, uint32_t id,
                                   uint32_t time, double threshold, double level,
                                   cxm_duration_share *out)
{
    if (!rollup) return CXM_INVALID_ARGUMENT;
    const duration_core *c = NULL;
    cxm_status st = time_core(rollup, group, id, time, &c);
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
    const rollup_agent *a = agent_at(rollup, agent);
    cxm_rollup_agent_result r = {sizeof r, 0, agent, 0, a->tickets, a->solved};
    cxm_result_copy(out, &r, sizeof r);
    return r.tickets > 0 ? CXM_OK : CXM_EMPTY;
}

/* ---- encoding ------------------------------------------------------------------ */

/*
 * Payload, version 2: profile, channels, topics, priorities, agents, times,
 * has_sla (u32); as_of (u64); with SLA, per priority and evaluated metric
 * the target seconds (u64, 0 = none) and mode (u32); then per group its
 * K_N counters (u64), with SLA its two cells, its CSAT and CES histograms,
 * and its kept sketches (dur_write); then per agent tickets and solved
 * (u64). Version 1 had no has_sla, as_of, targets, cells or histograms.
 */
cxm_status cxm_rollup_encode(const cxm_rollup *rollup, uint8_t *buf, size_t cap, size_t *len)
{
    if (!rollup || !len) return CXM_INVALID_ARGUMENT;
    const rollup_cfg *c = &rollup->cfg;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_ROLLUP, ROLLUP_FORMAT_VERSION);
    const uint32_t hdr[7] = {c->profile, c->channels, c->topics, c->priorities,
                             c->agents,  c->times,    c->has_sla};
    for (int i = 0; i < 7; i++)
        cxm_wr_u32(&w, hdr[i]);
    cxm_wr_u64(&w, (uint64_t)c->as_of);
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
        for (uint32_t t = 0; t < rollup->ntimes; t++)
            dur_write(&w, group_time(g, t));
    }
    for (uint32_t a = 0; a < c->agents; a++) {
        cxm_wr_u64(&w, agent_at(rollup, a)->tickets);
        cxm_wr_u64(&w, agent_at(rollup, a)->solved);
    }
    return cxm_wr_end(&w, len);
}

/* Each count of `c` at most the same count of `all`; with `exact`, equal (the largest lateness
 * too). */
static bool cell_le(const sla_cell *c, const sla_cell *all, bool exact)
{
    const uint64_t a[6] = {c->achieved, c->breached, c->active,
                           c->past_due, c->late_sum, c->late_max};
    const uint64_t b[6] = {all->achieved, all->breached, all->active,
                           all->past_due, all->late_sum, all->late_max};
    for (int i = 0; i < 6; i++)
        if (exact ? a[i] != b[i] : a[i] > b[i]) return false;
    return true;
}

/* Self-service solves have no SLA outcome: a cell counts at most the group's other tickets. */
static bool cell_within(const sla_cell *c, const sla_cell *all, const uint64_t k[K_N])
{
    return sla_cell_ok(c) && sla_cell_total(c) <= k[K_TICKETS] - k[K_SELF] &&
           cell_le(c, all, false);
}

/* The relations every group's counters keep. */
static bool group_ok(const cxm_rollup *r, const rollup_group *g, const rollup_group *all)
{
    const uint64_t *k = g->k;
    bool ok = k[K_SOLVED] <= k[K_TICKETS] && k[K_EVER_SOLVED] <= k[K_TICKETS] &&
              k[K_SOLVED] <= k[K_EVER_SOLVED] && k[K_REOPENED] <= k[K_EVER_SOLVED] &&
              k[K_REOPENED] <= k[K_REOPENS] && k[K_SELF] <= k[K_SOLVED] &&
              k[K_FCR] <= k[K_SOLVED] - k[K_SELF] && k[K_REPLIED] <= k[K_TICKETS];
    for (int i = 0; i < K_N; i++)
        ok = ok && k[i] <= all->k[i];
    for (uint32_t m = 0; m < ROLLUP_SLA; m++)
        ok = ok && cell_within(&g->sla[m], &all->sla[m], k);
    ok = ok && scale_cfg_same(&g->csat.cfg, &r->cfg.csat) &&
         scale_cfg_same(&g->ces.cfg, &r->cfg.ces) && scale_hist_total(&g->csat) <= k[K_TICKETS] &&
         scale_hist_total(&g->ces) <= k[K_TICKETS] &&
         scale_hist_total(&g->csat) <= scale_hist_total(&all->csat) &&
         scale_hist_total(&g->ces) <= scale_hist_total(&all->ces);
    /* Which tickets each time counts (see ticket_inc_of). */
    const uint64_t want[CXM_ROLLUP_TIMES] = {k[K_REPLIED], k[K_EVER_SOLVED], k[K_SOLVED],
                                             k[K_SOLVED],  k[K_SOLVED],      k[K_SOLVED]};
    uint32_t slot = 0;
    for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++)
        if (r->cfg.times & (1u << t)) ok = ok && dur_count(group_time(g, slot++)) == want[t];
    return ok;
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
            scale_hist_merge(&ces, &g->ces) != CXM_OK)
            return false;
    }
    for (int i = 0; i < K_N; i++)
        if (exact ? k[i] != all->k[i] : k[i] > all->k[i]) return false;
    for (uint32_t m = 0; m < ROLLUP_SLA; m++)
        if (!cell_le(&sla[m], &all->sla[m], exact)) return false;
    const scale_hist *whole[2] = {&all->csat, &all->ces}, *sum[2] = {&csat, &ces};
    for (int h = 0; h < 2; h++)
        for (uint32_t p = 0; p < SCALE_POINTS; p++)
            if (exact ? sum[h]->c[p] != whole[h]->c[p] : sum[h]->c[p] > whole[h]->c[p])
                return false;
    for (uint32_t t = 0; count > 0 && t < r->ntimes; t++)
        if (!dur_parts_ok(group_time(all, t), group_time(group_at(r, first), t), r->group_bytes,
                          count, exact))
            return false;
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
            uint64_t want = target ? g->k[K_TICKETS] - g->k[K_SELF] : 0;
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
    const uint32_t first[4] = {1, 1 + c->channels, 1 + c->channels + c->topics,
                               1 + c->channels + c->topics + c->priorities};
    for (int d = 0; d < 3; d++)
        if (!parts_ok(r, first[d], first[d + 1] - first[d], d == 2)) return false;
    if (!priority_cells_ok(r, first[2])) return false;
    /* Agents: solved within their tickets, and both within the overall counts. */
    uint64_t tickets = 0, solved = 0;
    for (uint32_t a = 0; a < c->agents; a++) {
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
static uint64_t encoded_min(const rollup_cfg *c, bool v1)
{
    uint64_t group = K_N * 8u + (uint64_t)popcount(c->times) * DUR_MIN_BYTES;
    if (!v1) group += 2u * SCALE_HIST_MIN_BYTES + (c->has_sla ? ROLLUP_SLA * SLA_CELL_BYTES : 0u);
    uint64_t targets = c->has_sla ? (uint64_t)c->priorities * ROLLUP_SLA * 12u : 0u;
    return targets + (uint64_t)cfg_groups(c) * group + (uint64_t)c->agents * 16u;
}

cxm_status cxm_rollup_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                             cxm_rollup **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_rd rd;
    cxm_status st = cxm_rd_begin(&rd, buf, len, CXM_FAMILY_ROLLUP, ROLLUP_FORMAT_VERSION);
    if (st != CXM_OK) return st;
    bool v1 = rd.version == 1;
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
    /* The scales are checked against every group's histogram below; version 1 had the defaults. */
    if (csat_cfg(NULL, &c.csat) != CXM_OK || ces_cfg(NULL, &c.ces) != CXM_OK) return CXM_BAD_FORMAT;
    if (rd.bad || !cfg_ok(&c)) return CXM_BAD_FORMAT;
    /* The bytes must hold the smallest encoding of every target, group and agent before we
     * allocate. */
    if (encoded_min(&c, v1) > rd.left) return CXM_BAD_FORMAT;
    cxm_rollup *r;
    if ((st = rollup_create(&c, NULL, NULL, alloc, NULL, 0, &r)) != CXM_OK) return st;
    bool ok = read_targets(&rd, r);
    for (uint32_t gi = 0; ok && gi < r->ngroups; gi++) {
        rollup_group *g = group_at(r, gi);
        for (int k = 0; k < K_N; k++)
            g->k[k] = cxm_rd_u64(&rd);
        for (uint32_t m = 0; c.has_sla && m < ROLLUP_SLA; m++)
            sla_cell_read(&rd, &g->sla[m]);
        if (!v1) {
            scale_hist_read(&rd, &g->csat);
            scale_hist_read(&rd, &g->ces);
        }
        for (uint32_t t = 0; t < r->ntimes; t++)
            dur_read(&rd, group_time(g, t));
        ok = !rd.bad;
    }
    /* The scales are those of the first group, if they make a valid configuration. */
    if (ok && !v1) {
        r->cfg.csat = group_at(r, 0)->csat.cfg;
        r->cfg.ces = group_at(r, 0)->ces.cfg;
        ok = cfg_ok(&r->cfg);
    }
    for (uint32_t a = 0; ok && a < c.agents; a++) {
        agent_at(r, a)->tickets = cxm_rd_u64(&rd);
        agent_at(r, a)->solved = cxm_rd_u64(&rd);
    }
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
