/*
 * rollup.c — the ticket roll-up: validates a ticket once, then feeds the
 * overall group and its channel, topic and priority groups (counts, FCR
 * under a named profile, reopen and deflection rates, duration sketches)
 * and its agent. One allocation holds everything: a header, the groups and
 * the agents, with no pointers inside, so clone is a copy and equality is
 * byte equality of the encoding.
 */
#include <math.h>
#include <string.h>

#include "duration_core.h"
#include "rate_core.h"

#define ROLLUP_FORMAT_VERSION 1

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
} rollup_cfg;

struct cxm_rollup {
    cxm_obj obj;
    rollup_cfg cfg;
    uint32_t ngroups;
    uint32_t ntimes;
    size_t group_bytes;
    size_t groups_off; /* from the start of the object */
    size_t agents_off;
    size_t total;
};

/* The header rounded up so groups start aligned for uint64_t and double. */
#define ROLLUP_HEADER ((sizeof(struct cxm_rollup) + 15u) & ~(size_t)15u)
#define ALL_TIMES ((1u << CXM_ROLLUP_TIMES) - 1u)

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
    case CXM_FCR_ZENDESK:
        return "zendesk";
    case CXM_FCR_FRESHDESK:
        return "freshdesk";
    default:
        return "unknown";
    }
}

const char *cxm_ticket_field_str(uint32_t field)
{
    static const char *const names[] = {
        "none",    "created",        "first_reply", "first_solved", "last_solved",
        "reopens", "requester_wait", "agent_work",  "on_hold",      "priority",
        "channel", "topic",          "agent",       "flags",        "size",
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
           c->agents <= CXM_ROLLUP_MAX_AGENTS && c->times >= 1 && (c->times & ~ALL_TIMES) == 0;
}

static cxm_status cfg_from_options(uint32_t profile, const cxm_rollup_options *opts, rollup_cfg *c)
{
    cxm_rollup_options o;
    cxm_status st = cxm_options_read(opts, &o, sizeof o);
    if (st != CXM_OK) return st;
    if (o.reserved2 != 0) return CXM_INVALID_ARGUMENT;
    c->profile = profile;
    c->channels = o.channels;
    c->topics = o.topics;
    c->priorities = o.priorities ? o.priorities : 4u;
    c->agents = o.agents;
    c->times = o.times ? o.times : ALL_TIMES;
    return cfg_ok(c) ? CXM_OK : CXM_INVALID_ARGUMENT;
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
    return t + (size_t)c->agents * sizeof(rollup_agent);
}

static void layout(cxm_rollup *r, const rollup_cfg *c)
{
    r->cfg = *c;
    r->ngroups = cfg_groups(c);
    r->ntimes = popcount(c->times);
    r->group_bytes = cfg_group_bytes(c);
    r->groups_off = ROLLUP_HEADER;
    r->agents_off = ROLLUP_HEADER + r->group_bytes * r->ngroups;
    r->total = cfg_total(c);
}

static rollup_group *group_at(const cxm_rollup *r, uint32_t g)
{
    return (rollup_group *)((char *)(uintptr_t)r + r->groups_off + (size_t)g * r->group_bytes);
}

static duration_core *group_time(const cxm_rollup *r, const rollup_group *g, uint32_t slot)
{
    (void)r;
    return (duration_core *)((char *)(uintptr_t)g + sizeof(rollup_group) +
                             (size_t)slot * sizeof(duration_core));
}

static rollup_agent *agent_at(const cxm_rollup *r, uint32_t a)
{
    return (rollup_agent *)((char *)(uintptr_t)r + r->agents_off) + a;
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
    case CXM_ROLLUP_OVERALL:
        *g = 0;
        return CXM_OK;
    case CXM_ROLLUP_CHANNEL:
        *g = 1 + id;
        return id < c->channels ? CXM_OK : CXM_CAPACITY;
    case CXM_ROLLUP_TOPIC:
        *g = 1 + c->channels + id;
        return id < c->topics ? CXM_OK : CXM_CAPACITY;
    case CXM_ROLLUP_PRIORITY:
        *g = 1 + c->channels + c->topics + id;
        return id < c->priorities ? CXM_OK : CXM_CAPACITY;
    default:
        return CXM_INVALID_ARGUMENT;
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

static cxm_status ticket_inc_of(const cxm_rollup *r, const cxm_ticket *rec, ticket_inc *inc,
                                uint32_t *bad_field)
{
    cxm_ticket t;
    *bad_field = CXM_TICKET_FIELD_NONE;
    if (cxm_record_read(rec, sizeof t, &t, sizeof t) != CXM_OK)
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
    if (t.flags & ~(uint32_t)CXM_TICKET_SELF_SERVICE)
        return refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_FLAGS, bad_field);
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
    inc->groups[inc->ngroups++] = 0;
    if (t.channel != CXM_ROLLUP_NONE) inc->groups[inc->ngroups++] = 1 + t.channel;
    if (t.topic != CXM_ROLLUP_NONE) inc->groups[inc->ngroups++] = 1 + c->channels + t.topic;
    inc->groups[inc->ngroups++] = 1 + c->channels + c->topics + t.priority;
    inc->agent = t.agent;
    return CXM_OK;
}

/*
 * Every group's counters are bounded by the overall group's, and every
 * sketch's count by its group's tickets: if the overall counters can take
 * `add`, every group and sketch can.
 */
static bool overall_fits(const cxm_rollup *r, const uint64_t add[K_N])
{
    const rollup_group *g = group_at(r, 0);
    for (int k = 0; k < K_N; k++)
        if (cxm_add_overflows(g->k[k], add[k])) return false;
    return true;
}

static void apply(cxm_rollup *r, const ticket_inc *inc)
{
    for (uint32_t i = 0; i < inc->ngroups; i++) {
        rollup_group *g = group_at(r, inc->groups[i]);
        for (int k = 0; k < K_N; k++)
            g->k[k] += inc->k[k];
        uint32_t slot = 0;
        for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++) {
            if (!(r->cfg.times & (1u << t))) continue;
            /* Cannot fail: the value was checked and n <= tickets fits. */
            if (inc->has[t] && dur_add(group_time(r, g, slot), inc->t[t]) != CXM_OK) return;
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
    if (cfg_from_options(CXM_FCR_ZENDESK, opts, &c) != CXM_OK) return 0;
    return cfg_total(&c);
}

static cxm_status rollup_create(const rollup_cfg *c, const cxm_allocator *alloc, void *mem,
                                size_t size, cxm_rollup **out)
{
    size_t total = cfg_total(c);
    if (total == 0) return CXM_INVALID_ARGUMENT;
    cxm_rollup *r;
    cxm_status st = mem ? cxm_obj_place(mem, size, total, CXM_FAMILY_ROLLUP, (void **)&r)
                        : cxm_obj_new(alloc, total, CXM_FAMILY_ROLLUP, (void **)&r);
    if (st != CXM_OK) return st;
    layout(r, c); /* the memory is zeroed: every sketch is empty */
    *out = r;
    return CXM_OK;
}

cxm_status cxm_rollup_new(uint32_t fcr_profile, const cxm_rollup_options *opts,
                          const cxm_allocator *alloc, cxm_rollup **out)
{
    if (!out) return CXM_INVALID_ARGUMENT;
    rollup_cfg c;
    cxm_status st = cfg_from_options(fcr_profile, opts, &c);
    if (st != CXM_OK) return st;
    return rollup_create(&c, alloc, NULL, 0, out);
}

cxm_status cxm_rollup_init_in(void *mem, size_t size, uint32_t fcr_profile,
                              const cxm_rollup_options *opts, cxm_rollup **out)
{
    if (!out || !mem) return CXM_INVALID_ARGUMENT;
    rollup_cfg c;
    cxm_status st = cfg_from_options(fcr_profile, opts, &c);
    if (st != CXM_OK) return st;
    return rollup_create(&c, NULL, mem, size, out);
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
    if (!overall_fits(rollup, inc.k)) return CXM_OVERFLOW;
    apply(rollup, &inc);
    return CXM_OK;
}

cxm_status cxm_rollup_add_many(cxm_rollup *rollup, const cxm_ticket *tickets, size_t n,
                               size_t *bad_index, uint32_t *bad_field)
{
    if (bad_field) *bad_field = CXM_TICKET_FIELD_NONE;
    if (!rollup || (!tickets && n > 0)) return CXM_INVALID_ARGUMENT;
    size_t stride = 0, bad = 0;
    uint32_t field = CXM_TICKET_FIELD_NONE;
    cxm_status st = cxm_record_stride(tickets, n, sizeof *tickets, &stride, &bad);
    if (st != CXM_OK) field = CXM_TICKET_FIELD_SIZE;
    /* Pass 1: validate every ticket and total what the overall group would take. */
    uint64_t sum[K_N] = {0};
    for (size_t i = 0; st == CXM_OK && i < n; i++) {
        ticket_inc inc;
        bad = i;
        st = ticket_inc_of(rollup, (const cxm_ticket *)((const char *)tickets + i * stride), &inc,
                           &field);
        for (int k = 0; st == CXM_OK && k < K_N; k++) {
            if (cxm_add_overflows(sum[k], inc.k[k]))
                st = CXM_OVERFLOW;
            else
                sum[k] += inc.k[k];
        }
    }
    if (st == CXM_OK && !overall_fits(rollup, sum)) st = CXM_OVERFLOW;
    if (st != CXM_OK) {
        if (bad_index) *bad_index = bad;
        if (bad_field) *bad_field = field;
        return st;
    }
    /* Pass 2: every ticket is valid and fits. */
    for (size_t i = 0; i < n; i++) {
        ticket_inc inc;
        if (ticket_inc_of(rollup, (const cxm_ticket *)((const char *)tickets + i * stride), &inc,
                          &field) == CXM_OK)
            apply(rollup, &inc);
    }
    return CXM_OK;
}

static bool same_config(const cxm_rollup *a, const cxm_rollup *b)
{
    return memcmp(&a->cfg, &b->cfg, sizeof a->cfg) == 0;
}

cxm_status cxm_rollup_merge(cxm_rollup *dst, const cxm_rollup *src)
{
    if (!dst || !src) return CXM_INVALID_ARGUMENT;
    if (!same_config(dst, src)) return CXM_KIND_MISMATCH;
    if (!overall_fits(dst, group_at(src, 0)->k)) return CXM_OVERFLOW;
    /* Groups from last to first: with dst == src, group 0 (the bound) changes last. */
    for (uint32_t gi = dst->ngroups; gi-- > 0;) {
        rollup_group *d = group_at(dst, gi);
        const rollup_group *s = group_at(src, gi);
        for (uint32_t t = 0; t < dst->ntimes; t++)
            if (dur_merge(group_time(dst, d, t), group_time(src, s, t)) != CXM_OK)
                return CXM_OVERFLOW; /* unreachable: counts bounded by tickets */
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
    memset((char *)rollup + rollup->groups_off, 0, rollup->total - rollup->groups_off);
    return CXM_OK;
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
    cxm_status st = cxm_result_check(opts, sizeof *opts);
    if (st != CXM_OK) return st;
    const rollup_cfg *c = &rollup->cfg;
    cxm_rollup_options o = {sizeof o,      0,         c->channels, c->topics,
                            c->priorities, c->agents, c->times,    0};
    *fcr_profile = c->profile;
    cxm_result_copy(opts, &o, sizeof o);
    return CXM_OK;
}

cxm_status cxm_rollup_result_get(const cxm_rollup *rollup, uint32_t group, uint32_t id,
                                 double level, cxm_rollup_result *out)
{
    if (!rollup) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, sizeof *out);
    if (st != CXM_OK) return st;
    uint32_t gi;
    if ((st = group_index(rollup, group, id, &gi)) != CXM_OK) return st;
    double lv, z;
    if ((st = cxm_level_z(level, &lv, &z)) != CXM_OK) return st;
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
    *core = group_time(rollup, group_at(rollup, gi), (uint32_t)slot);
    return CXM_OK;
}

cxm_status cxm_rollup_time_get(const cxm_rollup *rollup, uint32_t group, uint32_t id, uint32_t time,
                               cxm_rollup_time_result *out)
{
    if (!rollup) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, sizeof *out);
    const duration_core *c = NULL;
    if (st == CXM_OK) st = time_core(rollup, group, id, time, &c);
    if (st != CXM_OK) return st;
    cxm_rollup_time_result r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.group = group;
    r.id = group == CXM_ROLLUP_OVERALL ? 0 : id;
    r.time = time;
    r.n = dur_count(c);
    if (r.n > 0) {
        static const double qs[2] = {0.5, 0.9};
        double q[2] = {0, 0};
        size_t bad;
        /* Non-empty, valid quantiles: none of these can fail. */
        if (dur_mean(c, &r.mean) != CXM_OK || dur_sd(c, &r.sd) != CXM_OK ||
            dur_min(c, &r.min) != CXM_OK || dur_max(c, &r.max) != CXM_OK ||
            dur_quantiles(c, qs, 2, q, &bad) != CXM_OK)
            return CXM_EMPTY;
        r.median = q[0];
        r.p90 = q[1];
    }
    cxm_result_copy(out, &r, sizeof r);
    return r.n > 0 ? CXM_OK : CXM_EMPTY;
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

cxm_status cxm_rollup_agent_get(const cxm_rollup *rollup, uint32_t agent,
                                cxm_rollup_agent_result *out)
{
    if (!rollup) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, sizeof *out);
    if (st != CXM_OK) return st;
    if (agent >= rollup->cfg.agents) return CXM_CAPACITY;
    const rollup_agent *a = agent_at(rollup, agent);
    cxm_rollup_agent_result r = {sizeof r, 0, agent, 0, a->tickets, a->solved};
    cxm_result_copy(out, &r, sizeof r);
    return r.tickets > 0 ? CXM_OK : CXM_EMPTY;
}

/* ---- encoding ------------------------------------------------------------------ */

/*
 * Payload: profile, channels, topics, priorities, agents, times (u32 each);
 * then per group its K_N counters (u64) and its kept sketches (dur_write);
 * then per agent tickets and solved (u64).
 */
cxm_status cxm_rollup_encode(const cxm_rollup *rollup, uint8_t *buf, size_t cap, size_t *len)
{
    if (!rollup || !len) return CXM_INVALID_ARGUMENT;
    const rollup_cfg *c = &rollup->cfg;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_ROLLUP, ROLLUP_FORMAT_VERSION);
    const uint32_t hdr[6] = {c->profile,    c->channels, c->topics,
                             c->priorities, c->agents,   c->times};
    for (int i = 0; i < 6; i++)
        cxm_wr_u32(&w, hdr[i]);
    for (uint32_t gi = 0; gi < rollup->ngroups; gi++) {
        const rollup_group *g = group_at(rollup, gi);
        for (int k = 0; k < K_N; k++)
            cxm_wr_u64(&w, g->k[k]);
        for (uint32_t t = 0; t < rollup->ntimes; t++)
            dur_write(&w, group_time(rollup, g, t));
    }
    for (uint32_t a = 0; a < c->agents; a++) {
        cxm_wr_u64(&w, agent_at(rollup, a)->tickets);
        cxm_wr_u64(&w, agent_at(rollup, a)->solved);
    }
    return cxm_wr_end(&w, len);
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
    /* Which tickets each time counts (see ticket_inc_of). */
    const uint64_t want[CXM_ROLLUP_TIMES] = {k[K_REPLIED], k[K_EVER_SOLVED], k[K_SOLVED],
                                             k[K_SOLVED],  k[K_SOLVED],      k[K_SOLVED]};
    uint32_t slot = 0;
    for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++)
        if (r->cfg.times & (1u << t)) ok = ok && dur_count(group_time(r, g, slot++)) == want[t];
    return ok;
}

cxm_status cxm_rollup_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                             cxm_rollup **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_rd rd;
    cxm_status st = cxm_rd_begin(&rd, buf, len, CXM_FAMILY_ROLLUP, ROLLUP_FORMAT_VERSION);
    if (st != CXM_OK) return st;
    rollup_cfg c;
    c.profile = cxm_rd_u32(&rd);
    c.channels = cxm_rd_u32(&rd);
    c.topics = cxm_rd_u32(&rd);
    c.priorities = cxm_rd_u32(&rd);
    c.agents = cxm_rd_u32(&rd);
    c.times = cxm_rd_u32(&rd);
    if (rd.bad || !cfg_ok(&c)) return CXM_BAD_FORMAT;
    /* The bytes must hold every group's counters and every agent before we allocate. */
    uint64_t need = (uint64_t)cfg_groups(&c) * (K_N * 8u) + (uint64_t)c.agents * 16u;
    if (need > rd.left) return CXM_BAD_FORMAT;
    cxm_rollup *r;
    if ((st = rollup_create(&c, alloc, NULL, 0, &r)) != CXM_OK) return st;
    for (uint32_t gi = 0; gi < r->ngroups; gi++) {
        rollup_group *g = group_at(r, gi);
        for (int k = 0; k < K_N; k++)
            g->k[k] = cxm_rd_u64(&rd);
        for (uint32_t t = 0; t < r->ntimes; t++)
            dur_read(&rd, group_time(r, g, t));
    }
    for (uint32_t a = 0; a < c.agents; a++) {
        agent_at(r, a)->tickets = cxm_rd_u64(&rd);
        agent_at(r, a)->solved = cxm_rd_u64(&rd);
    }
    st = cxm_rd_end(&rd);
    const rollup_group *all = group_at(r, 0);
    for (uint32_t gi = 0; st == CXM_OK && gi < r->ngroups; gi++)
        if (!group_ok(r, group_at(r, gi), all)) st = CXM_BAD_FORMAT;
    /* Each dimension splits (part of) the overall tickets; priorities split all of them. */
    uint64_t dim[3] = {0, 0, 0};
    const uint32_t first[4] = {1, 1 + c.channels, 1 + c.channels + c.topics,
                               1 + c.channels + c.topics + c.priorities};
    for (int d = 0; st == CXM_OK && d < 3; d++) {
        for (uint32_t gi = first[d]; gi < first[d + 1]; gi++) {
            uint64_t n = group_at(r, gi)->k[K_TICKETS];
            if (cxm_add_overflows(dim[d], n)) {
                st = CXM_BAD_FORMAT;
                break;
            }
            dim[d] += n;
        }
        if (dim[d] > all->k[K_TICKETS] || (d == 2 && dim[d] != all->k[K_TICKETS]))
            st = CXM_BAD_FORMAT;
    }
    uint64_t agent_total = 0;
    for (uint32_t a = 0; st == CXM_OK && a < c.agents; a++) {
        const rollup_agent *ag = agent_at(r, a);
        if (ag->solved > ag->tickets || cxm_add_overflows(agent_total, ag->tickets))
            st = CXM_BAD_FORMAT;
        else
            agent_total += ag->tickets;
    }
    if (st == CXM_OK && agent_total > all->k[K_TICKETS]) st = CXM_BAD_FORMAT;
    if (st != CXM_OK) {
        cxm_obj_free(r);
        return st;
    }
    *out = r;
    return CXM_OK;
}

void cxm_rollup_free(cxm_rollup *rollup)
{
    cxm_obj_free(rollup);
}
