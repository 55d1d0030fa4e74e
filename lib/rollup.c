/*
 * rollup.c — the ticket roll-up's life cycle: options and configuration,
 * layout and creation (new, init_in), add and add_many, merge, reset,
 * clone and config. What a ticket contributes is derived in
 * rollup_record.c and applied to its groups in rollup_group.c; results are
 * in rollup_result.c and the encoding in rollup_codec.c. One allocation
 * holds everything: a header, the groups and the agents and a copy of the
 * SLA policy, with no pointer inside but the borrowed calendar, so clone
 * is a copy and equality is byte equality of the encoding. Every
 * accumulator is another family's core: duration sketches
 * (duration_core.h), rate results (rate_core.h), CSAT and CES histograms
 * (scale_core.h), SLA cells (sla_core.h) and cxm_sla_evaluate.
 */
#include "rollup_impl.h"
#include "rollup_index.h"

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
uint32_t cxm_rollup_max_crosses(void)
{
    return CXM_ROLLUP_MAX_CROSSES;
}
uint32_t cxm_rollup_max_cells(void)
{
    return CXM_ROLLUP_MAX_CELLS;
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
        "none",           "created",     "first_reply", "first_solved", "last_solved", "reopens",
        "requester_wait", "agent_work",  "on_hold",     "priority",     "channel",     "topic",
        "agent",          "flags",       "size",        "csat",         "ces",         "nps",
        "transfers",      "handle_time",
    };
    return field < sizeof names / sizeof names[0] ? names[field] : "unknown";
}

uint32_t cxm_rollup_max_running(void)
{
    return CXM_ROLLUP_MAX_RUNNING;
}
uint32_t cxm_rollup_max_open(void)
{
    return CXM_ROLLUP_MAX_OPEN;
}
uint32_t cxm_rollup_running_entry_bytes(void)
{
    return CXM_ROLLUP_RUNNING_ENTRY_BYTES;
}
uint64_t cxm_rollup_max_memory(void)
{
    return CXM_ROLLUP_MAX_MEMORY;
}
uint32_t cxm_rollup_page_bytes(void)
{
    return CXM_ROLLUP_PAGE_BYTES;
}

/* ---- configuration and layout ------------------------------------------------ */

_Static_assert(sizeof(rollup_run) == CXM_ROLLUP_RUNNING_ENTRY_BYTES, "index entry size");

uint32_t rollup_dim_capacity(const rollup_cfg *c, uint32_t kind)
{
    switch (kind) {
    case CXM_ROLLUP_CHANNEL: return c->channels;
    case CXM_ROLLUP_TOPIC: return c->topics;
    case CXM_ROLLUP_PRIORITY: return c->priorities;
    case CXM_ROLLUP_AGENT: return c->agents;
    default: return 0;
    }
}

/* Cells of all crosses; each pair of two different dimensions, none empty, unused ones zero. */
static bool crosses_ok(const rollup_cfg *c, uint64_t *cells)
{
    *cells = 0;
    if (c->crosses > CXM_ROLLUP_MAX_CROSSES) return false;
    for (uint32_t j = 0; j < CXM_ROLLUP_MAX_CROSSES; j++) {
        uint32_t a = c->cross[j][0], b = c->cross[j][1];
        if (j >= c->crosses) {
            if (a != 0 || b != 0) return false;
            continue;
        }
        if (a < CXM_ROLLUP_CHANNEL || a > CXM_ROLLUP_AGENT || b < CXM_ROLLUP_CHANNEL ||
            b > CXM_ROLLUP_AGENT || a == b)
            return false;
        uint64_t n = (uint64_t)rollup_dim_capacity(c, a) * rollup_dim_capacity(c, b);
        if (n == 0) return false; /* a cross of a dimension with no capacity holds nothing */
        *cells += n;
    }
    return *cells <= CXM_ROLLUP_MAX_CELLS;
}

bool rollup_cfg_ok(const rollup_cfg *c)
{
    uint64_t cells;
    return crosses_ok(c, &cells) && c->agent_kind <= CXM_ROLLUP_AGENT_COUNTS &&
           (c->profile == CXM_FCR_ZENDESK || c->profile == CXM_FCR_FRESHDESK) &&
           c->channels <= CXM_ROLLUP_MAX_CHANNELS && c->topics <= CXM_ROLLUP_MAX_TOPICS &&
           c->priorities >= 1 && c->priorities <= CXM_ROLLUP_MAX_PRIORITIES &&
           c->agents <= CXM_ROLLUP_MAX_AGENTS && c->times >= 1 && (c->times & ~ALL_TIMES) == 0 &&
           c->has_sla <= 1 && c->running <= CXM_ROLLUP_MAX_RUNNING &&
           c->open <= CXM_ROLLUP_MAX_OPEN &&
           c->pages <= CXM_ROLLUP_MAX_MEMORY / CXM_ROLLUP_PAGE_BYTES && c->reserved4 == 0 &&
           (c->has_sla && !c->running ? c->as_of != 0 && cxm_time_ok(c->as_of) : c->as_of == 0) &&
           scale_cfg_ok(&c->csat) && scale_cfg_ok(&c->ces) && c->csat.direction == SCALE_GOOD_HIGH;
}

static bool cfg_same(const rollup_cfg *a, const rollup_cfg *b)
{
    return a->profile == b->profile && a->channels == b->channels && a->topics == b->topics &&
           a->priorities == b->priorities && a->agents == b->agents && a->times == b->times &&
           a->has_sla == b->has_sla && a->as_of == b->as_of && a->running == b->running &&
           a->open == b->open && a->agent_kind == b->agent_kind &&
           memcmp(a->cross, b->cross, sizeof a->cross) == 0 && scale_cfg_same(&a->csat, &b->csat) &&
           scale_cfg_same(&a->ces, &b->ces);
}

/* Resolves the options; *policy receives the caller's policy (or NULL). */
static cxm_status cfg_from_options(uint32_t profile, const cxm_rollup_options *opts, rollup_cfg *c,
                                   const cxm_sla_policy **policy, const cxm_calendar **calendar)
{
    cxm_rollup_options o;
    cxm_status st = cxm_options_read(opts, CXM_SIZES(&o), &o, sizeof o);
    if (st != CXM_OK) return st;
    if (o.reserved2 != 0 || o.reserved3 != 0 || o.reserved4 != 0) return CXM_INVALID_ARGUMENT;
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
    c->running = o.running;
    c->open = o.open;
    c->agent_kind = o.agent_kind;
    c->crosses = o.crosses;
    for (uint32_t j = 0; j < CXM_ROLLUP_MAX_CROSSES; j++)
        c->cross[j][0] = o.cross[j].first, c->cross[j][1] = o.cross[j].second;
    if (o.memory_budget > CXM_ROLLUP_MAX_MEMORY) return CXM_INVALID_ARGUMENT;
    c->pages = rollup_budget_pages(c, o.memory_budget);
    /* Live mode has no report instant: one given is a mistake, not ignored. */
    if (!rollup_cfg_ok(c) || (o.running && o.sla_as_of)) return CXM_INVALID_ARGUMENT;
    if (o.sla_policy) {
        uint32_t levels = 0;
        if (cxm_sla_policy_levels(o.sla_policy, &levels) != CXM_OK || levels != c->priorities)
            return CXM_INVALID_ARGUMENT;
    }
    if (policy) *policy = o.sla_policy;
    if (calendar) *calendar = o.calendar;
    return CXM_OK;
}

uint32_t rollup_cfg_groups(const rollup_cfg *c)
{
    uint64_t cells = 0;
    (void)crosses_ok(c, &cells); /* checked with the configuration: at most MAX_CELLS */
    return 1u + c->channels + c->topics + c->priorities + (c->agents - rollup_counted_agents(c)) +
           (uint32_t)cells;
}

static size_t cfg_group_bytes(const rollup_cfg *c)
{
    return sizeof(rollup_group) + rollup_popcount(c->times) * sizeof(skp_sketch);
}

/* Bytes of one page with its link: what a byte of budget buys. */
#define PAGE_COST (SKP_PAGE + sizeof(uint32_t))
_Static_assert(PAGE_COST == CXM_ROLLUP_PAGE_BYTES, "page cost");
/* The default: 32 pages per sketch (16 octaves of counts below 65,536, or fewer, fuller ones). */
#define DEFAULT_PAGES_PER_SKETCH 32u

uint32_t rollup_budget_pages(const rollup_cfg *c, uint64_t budget)
{
    if (budget == 0) {
        uint64_t d = (uint64_t)rollup_cfg_groups(c) * rollup_popcount(c->times) *
                     DEFAULT_PAGES_PER_SKETCH * PAGE_COST;
        budget = d < CXM_ROLLUP_MAX_MEMORY ? d : CXM_ROLLUP_MAX_MEMORY;
    }
    return (uint32_t)(budget / PAGE_COST);
}

size_t rollup_pool_bytes(const rollup_cfg *c)
{
    return skp_bytes(c->pages);
}

/* Limits keep every product far below SIZE_MAX on 64-bit targets; checked anyway. */
static size_t cfg_total(const rollup_cfg *c)
{
    size_t gb = cfg_group_bytes(c), ng = rollup_cfg_groups(c);
    if (gb > (SIZE_MAX - ROLLUP_HEADER) / ng) return 0;
    size_t t = ROLLUP_HEADER + gb * ng;
    t += (size_t)rollup_counted_agents(c) * sizeof(rollup_agent); /* at most 1 MiB */
    t = cxm_align_up(t, 16) + (c->running ? rix_bytes(c->running) : 0);
    t = cxm_align_up(t, 16) + (c->open ? rix_bytes(c->open) : 0);
    if (c->has_sla) t = cxm_align_up(t, 16) + cxm_sla_policy_footprint(c->priorities);
    return cxm_align_up(t, 64) + rollup_pool_bytes(c);
}

static void layout(cxm_rollup *r, const rollup_cfg *c)
{
    r->cfg = *c;
    r->ngroups = rollup_cfg_groups(c);
    r->ntimes = rollup_popcount(c->times);
    r->group_bytes = cfg_group_bytes(c);
    r->groups_off = ROLLUP_HEADER;
    r->agents_off = ROLLUP_HEADER + r->group_bytes * r->ngroups;
    r->index_off =
        cxm_align_up(r->agents_off + (size_t)rollup_counted_agents(c) * sizeof(rollup_agent), 16);
    /* Groups in kind order: overall, channels, topics, priorities, agents, then each cross. */
    uint32_t next = 1;
    for (uint32_t kind = CXM_ROLLUP_CHANNEL; kind <= CXM_ROLLUP_AGENT; kind++) {
        bool groups = kind != CXM_ROLLUP_AGENT || rollup_counted_agents(c) == 0;
        r->dim_first[kind] = groups ? next : UINT32_MAX;
        next += groups ? rollup_dim_capacity(c, kind) : 0u;
    }
    r->dim_first[0] = 0;
    for (uint32_t j = 0; j < CXM_ROLLUP_MAX_CROSSES; j++) {
        r->cell_first[j] = next;
        if (j < c->crosses)
            next += rollup_dim_capacity(c, c->cross[j][0]) * rollup_dim_capacity(c, c->cross[j][1]);
    }
    r->open_off = cxm_align_up(r->index_off + (c->running ? rix_bytes(c->running) : 0), 16);
    r->policy_off = cxm_align_up(r->open_off + (c->open ? rix_bytes(c->open) : 0), 16);
    r->total = cfg_total(c);
    r->pool_off = r->total - rollup_pool_bytes(c);
}

/* Every group and agent empty, the histograms on the configured scales. */
static void groups_init(cxm_rollup *r)
{
    size_t end = r->agents_off + (size_t)rollup_counted_agents(&r->cfg) * sizeof(rollup_agent);
    memset((char *)r + r->groups_off, 0, end - r->groups_off);
    for (uint32_t gi = 0; gi < r->ngroups; gi++) {
        rollup_group *g = group_at(r, gi);
        scale_hist_init(&g->csat, &r->cfg.csat);
        scale_hist_init(&g->ces, &r->cfg.ces);
    }
    if (r->cfg.running) rix_init(index_of(r), r->cfg.running);
    if (r->cfg.open) rix_init(open_of(r), r->cfg.open);
    skp_init(pool_of(r), r->cfg.pages); /* pages are zeroed when handed out */
    r->latest = ROLLUP_NO_LATEST;
    r->bounds = 0;
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
cxm_status rollup_create(const rollup_cfg *c, const cxm_sla_policy *src,
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
    cxm_status st = rollup_ticket_inc(rollup, ticket, &inc, &field, NULL);
    if (st != CXM_OK) {
        if (bad_field) *bad_field = field;
        return st;
    }
    if (!rollup_overall_fits(rollup, inc.k, inc.sla)) return CXM_OVERFLOW;
    if (inc.nrun > rollup->cfg.running - rollup_running(rollup)) return CXM_CAPACITY;
    if (inc.is_open > rollup->cfg.open - rollup_open(rollup)) return CXM_CAPACITY;
    if (rollup_pages_needed(rollup, NULL, &inc) > skp_free(pool_of(rollup))) return CXM_CAPACITY;
    rollup_apply(rollup, NULL, &inc);
    return CXM_OK;
}

/* The derivation of a record, with its refusal passed on through bad_field. */
static cxm_status derive(const cxm_rollup *r, const cxm_ticket *t, ticket_inc *inc,
                         uint32_t *bad_field, const ticket_inc *prev)
{
    uint32_t field = CXM_TICKET_FIELD_NONE;
    cxm_status st = rollup_ticket_inc(r, t, inc, &field, prev);
    if (bad_field) *bad_field = field;
    return st;
}

cxm_status cxm_rollup_retract(cxm_rollup *rollup, const cxm_ticket *ticket, uint32_t *bad_field)
{
    if (bad_field) *bad_field = CXM_TICKET_FIELD_NONE;
    if (!rollup) return CXM_INVALID_ARGUMENT;
    ticket_inc inc;
    cxm_status st = derive(rollup, ticket, &inc, bad_field, NULL);
    if (st != CXM_OK) return st;
    if (!rollup_can_take(rollup, &inc)) return CXM_BAD_STATE;
    rollup_apply(rollup, &inc, NULL);
    return CXM_OK;
}

cxm_status cxm_rollup_replace(cxm_rollup *rollup, const cxm_ticket *old, const cxm_ticket *now,
                              uint32_t *bad_field)
{
    if (bad_field) *bad_field = CXM_TICKET_FIELD_NONE;
    if (!rollup) return CXM_INVALID_ARGUMENT;
    ticket_inc was, is;
    cxm_status st = derive(rollup, old, &was, bad_field, NULL);
    if (st == CXM_OK) st = derive(rollup, now, &is, bad_field, &was);
    if (st != CXM_OK) return st;
    if (!rollup_can_take(rollup, &was)) return CXM_BAD_STATE;
    /* Checked before anything changes, against the counts with `old` still in (conservative). */
    if (!rollup_overall_fits(rollup, is.k, is.sla)) return CXM_OVERFLOW;
    if (is.nrun > rollup->cfg.running - (rollup_running(rollup) - was.nrun)) return CXM_CAPACITY;
    if (is.is_open > rollup->cfg.open - (rollup_open(rollup) - was.is_open)) return CXM_CAPACITY;
    if (rollup_pages_needed(rollup, &was, &is) > skp_free(pool_of(rollup))) return CXM_CAPACITY;
    rollup_apply(rollup, &was, &is);
    return CXM_OK;
}

cxm_status cxm_rollup_latest(const cxm_rollup *rollup, int64_t *latest)
{
    if (!rollup || !latest) return CXM_INVALID_ARGUMENT;
    bool none = rollup->latest == ROLLUP_NO_LATEST;
    *latest = none ? 0 : rollup->latest;
    return none ? CXM_EMPTY : CXM_OK;
}

static const cxm_ticket *ticket_at(const cxm_ticket *tickets, size_t stride, size_t i)
{
    return (const cxm_ticket *)(const void *)((const char *)tickets + i * stride);
}

/*
 * add_many derives each ticket once: when the pool has room for every page
 * the batch could take, the records of its first tickets, ADD_MANY_KEEP
 * at most (under 2 MB), are kept in free pool pages (skp_scratch: above
 * every page their adds could take; fewer when the pool has room for
 * fewer), so that a huge batch neither touches much of
 * the budget's untouched memory nor reads its records back from far away.
 * The rest of a longer batch, or every ticket when the pool has no such
 * room, is checked in the first pass and derived again to apply,
 * ADD_MANY_CHUNK at a time on the stack (some 8 KB): a batch of at most
 * that many is derived once there.
 */
#define ADD_MANY_CHUNK 16u
#define ADD_MANY_KEEP 4096u

/*
 * Near a full pool (the batch's adds could take more pages than are
 * free), the pages the batch takes are counted exactly before anything is
 * added: each ticket's bucket counts stepped up in turn while the pages
 * last, then every step taken back. Returns the index of the first ticket
 * the pool cannot take, or n; the roll-up is as it was either way.
 */
static size_t pages_run_out(cxm_rollup *r, const cxm_ticket *tickets, size_t stride, size_t n)
{
    ticket_inc inc;
    uint32_t field;
    size_t i = 0;
    /* Each ticket derived again (pass 1 found them valid): only a batch near a full pool pays. */
    for (; i < n; i++) {
        (void)rollup_ticket_inc(r, ticket_at(tickets, stride, i), &inc, &field, NULL);
        if (!rollup_count_step(r, &inc, true)) break;
    }
    for (size_t j = 0; j < i; j++) {
        (void)rollup_ticket_inc(r, ticket_at(tickets, stride, j), &inc, &field, NULL);
        (void)rollup_count_step(r, &inc, false);
    }
    return i;
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
    ticket_inc buf[ADD_MANY_CHUNK];
    ticket_inc *kept = NULL;
    size_t keep = 0;
    /* Each add of a time takes at most one page: with room for all, no page is counted. */
    const uint64_t most =
        (uint64_t)(sizeof buf[0].groups / sizeof buf[0].groups[0]) * rollup->ntimes;
    const bool roomy = n <= skp_free(pool_of(rollup)) / most;
    /* Only then are records kept in free pages (above every page the batch could take). */
    if (st == CXM_OK && n > ADD_MANY_CHUNK && roomy) {
        size_t k = n < ADD_MANY_KEEP ? n : ADD_MANY_KEEP;
        while (k > ADD_MANY_CHUNK &&
               !(kept = skp_scratch(pool_of(rollup), k * sizeof *kept, (uint64_t)k * most)))
            k /= 2;
        if (kept) keep = k;
    }
    /* Pass 1: validate every ticket and total what the overall group would take. */
    uint64_t sum[K_N] = {0}, runs = 0, opens = 0;
    sla_cell sla[ROLLUP_SLA];
    memset(sla, 0, sizeof sla);
    for (size_t i = 0; st == CXM_OK && i < n; i++) {
        ticket_inc *inc = i < keep ? &kept[i] : &buf[i % ADD_MANY_CHUNK];
        bad = i;
        st = rollup_ticket_inc(rollup, ticket_at(tickets, stride, i), inc, &field, NULL);
        for (int k = 0; st == CXM_OK && k < K_N; k++) {
            if (cxm_add_overflows(sum[k], inc->k[k]))
                st = CXM_OVERFLOW;
            else
                sum[k] += inc->k[k];
        }
        for (uint32_t m = 0; st == CXM_OK && m < ROLLUP_SLA; m++) {
            if (sla_cell_empty(&inc->sla[m])) continue; /* no policy, self-service: nothing */
            if (!sla_cell_merge_fits(&sla[m], &inc->sla[m]))
                st = CXM_OVERFLOW;
            else
                sla_cell_merge(&sla[m], &inc->sla[m]);
        }
        if (st != CXM_OK) break;
        runs += inc->nrun;
        if (runs > rollup->cfg.running - rollup_running(rollup)) st = CXM_CAPACITY;
        opens += inc->is_open;
        if (st == CXM_OK && opens > rollup->cfg.open - rollup_open(rollup)) st = CXM_CAPACITY;
    }
    if (st == CXM_OK && !rollup_overall_fits(rollup, sum, sla)) st = CXM_OVERFLOW;
    if (st != CXM_OK) {
        if (bad_index) *bad_index = bad;
        if (bad_field) *bad_field = field;
        return st;
    }
    if (!roomy) {
        size_t fit = pages_run_out(rollup, tickets, stride, n);
        if (fit < n) {
            if (bad_index) *bad_index = fit;
            return CXM_CAPACITY;
        }
    }
    /* Pass 2: every ticket is valid and fits. The kept records first (no page taken meanwhile
     * reaches them), then the others. */
    rollup_add_derived(rollup, kept, keep);
    for (size_t done = keep; done < n;) {
        size_t m = n - done < ADD_MANY_CHUNK ? n - done : ADD_MANY_CHUNK;
        for (size_t j = 0; n > ADD_MANY_CHUNK && j < m; j++)
            (void)rollup_ticket_inc(rollup, ticket_at(tickets, stride, done + j), &buf[j], &field,
                                    NULL);
        rollup_add_derived(rollup, buf, m);
        done += m;
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
    if (!rollup_overall_fits(dst, s0->k, s0->sla)) return CXM_OVERFLOW;
    if (rollup_running(src) > dst->cfg.running - rollup_running(dst)) return CXM_CAPACITY;
    if (rollup_open(src) > dst->cfg.open - rollup_open(dst)) return CXM_CAPACITY;
    /* Pages: each sketch's needs counted exactly against dst's pool, summed. */
    uint64_t need = 0;
    for (uint32_t gi = 0; gi < dst->ngroups; gi++)
        for (uint32_t t = 0; t < dst->ntimes; t++)
            need += skp_merge_needs(pool_of(dst), group_time(group_at(dst, gi), t), pool_of(src),
                                    group_time(group_at(src, gi), t));
    if (need > skp_free(pool_of(dst))) return CXM_CAPACITY;
    if (dst->cfg.running) rix_merge(index_of(dst), index_of(src));
    if (dst->cfg.open) rix_merge(open_of(dst), open_of(src));
    dst->latest = src->latest > dst->latest ? src->latest : dst->latest;
    dst->bounds |= src->bounds;
    /* Groups from last to first: with dst == src, group 0 (the bound) changes last. */
    for (uint32_t gi = dst->ngroups; gi-- > 0;) {
        rollup_group *d = group_at(dst, gi);
        const rollup_group *s = group_at(src, gi);
        /* None of these can fail: same scales, counts bounded by the overall tickets. */
        for (uint32_t t = 0; t < dst->ntimes; t++)
            (void)skp_merge(pool_of(dst), group_time(d, t), pool_of(src), group_time(s, t));
        (void)scale_hist_merge(&d->csat, &s->csat);
        (void)scale_hist_merge(&d->ces, &s->ces);
        (void)nps_counts_merge(&d->nps, &s->nps);
        for (uint32_t m = 0; m < ROLLUP_SLA; m++)
            sla_cell_merge(&d->sla[m], &s->sla[m]);
        for (int k = 0; k < K_N; k++)
            d->k[k] += s->k[k];
    }
    for (uint32_t a = 0; a < rollup_counted_agents(&dst->cfg); a++) {
        rollup_agent *d = agent_at(dst, a);
        const rollup_agent *s = agent_at(src, a);
        d->tickets += s->tickets;
        d->solved += s->solved;
    }
    return CXM_OK;
}

cxm_status cxm_rollup_memory(const cxm_rollup *rollup, size_t *used, size_t *available)
{
    if (!rollup) return CXM_INVALID_ARGUMENT;
    size_t free_bytes = (size_t)skp_free(pool_of(rollup)) * SKP_PAGE;
    if (used) *used = rollup->total - free_bytes;
    if (available) *available = free_bytes;
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
    o.running = c->running;
    o.open = c->open;
    o.agent_kind = c->agent_kind;
    o.crosses = c->crosses;
    for (uint32_t j = 0; j < CXM_ROLLUP_MAX_CROSSES; j++)
        o.cross[j].first = c->cross[j][0], o.cross[j].second = c->cross[j][1];
    o.memory_budget = (uint64_t)c->pages * PAGE_COST;
    *fcr_profile = c->profile;
    cxm_result_copy(opts, &o, sizeof o);
    return CXM_OK;
}
