/*
 * rollup_record.c — one ticket record: its fields checked against each
 * other and the roll-up's capacities, then derived into what it
 * contributes (counters, times, CSAT and CES answers, SLA outcomes and its
 * groups), once, before anything changes.
 */
#include "rollup_impl.h"

/* The solve checks, inlined into the derivation; others call cxm_ticket_solves. */
static inline cxm_status ticket_solves(const cxm_ticket *t, int64_t *last_solved,
                                       uint32_t *bad_field)
{
    if (t->first_solved != 0 && t->first_solved < t->created)
        return cxm_ticket_refuse(CXM_BAD_ORDER, CXM_TICKET_FIELD_FIRST_SOLVED, bad_field);
    if (t->last_solved != 0 && t->first_solved == 0)
        return cxm_ticket_refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_LAST_SOLVED, bad_field);
    if (t->last_solved != 0 && t->last_solved < t->first_solved)
        return cxm_ticket_refuse(CXM_BAD_ORDER, CXM_TICKET_FIELD_LAST_SOLVED, bad_field);
    if (t->reopens > 0 && t->first_solved == 0)
        return cxm_ticket_refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_REOPENS, bad_field);
    int64_t last = t->last_solved;
    if (t->reopens == 0 && last == 0) last = t->first_solved; /* never reopened */
    if (t->reopens == 0 && last != t->first_solved)
        return cxm_ticket_refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_REOPENS, bad_field);
    *last_solved = last;
    return CXM_OK;
}

cxm_status cxm_ticket_solves(const cxm_ticket *t, int64_t *last_solved, uint32_t *bad_field)
{
    return ticket_solves(t, last_solved, bad_field);
}

/* A reopened or transferred ticket is never first-contact, under either profile. */
static bool first_contact(uint32_t profile, const cxm_ticket *t)
{
    if (t->reopens > 0 || t->transfers > 0) return false;
    if (profile == CXM_FCR_ZENDESK) return t->agent_replies < 2;
    return t->customer_replies == 0;
}

/*
 * Fills the index entry of a running target of metric m in place: built in
 * a local and copied, its narrow fields' stores stall the wide loads of the
 * copy.
 */
static void run_fill(rollup_run *e, const cxm_ticket *t, uint32_t m, int64_t due)
{
    memset(e, 0, sizeof *e);
    e->due = due;
    e->channel = (uint16_t)(t->channel == CXM_ROLLUP_NONE ? ROLLUP_RUN_NONE : t->channel);
    e->topic = (uint16_t)(t->topic == CXM_ROLLUP_NONE ? ROLLUP_RUN_NONE : t->topic);
    e->priority = (uint8_t)t->priority;
    e->metric = (uint8_t)m;
    e->agent = t->agent;
}

/*
 * The ticket's SLA outcomes under the roll-up's copy of the policy. First
 * reply is fulfilled by the first reply or the first solve, whichever
 * comes first; total resolution by the last solve of a ticket solved now.
 * A target still running is evaluated at the report instant (frozen mode)
 * or becomes an entry of the running-target index with its due instant
 * (live mode), counted active in its groups until read.
 */
static cxm_status ticket_sla(const cxm_rollup *r, const cxm_ticket *t, int64_t last,
                             ticket_inc *inc, uint32_t *bad_field, const ticket_inc *prev)
{
    const bool live = r->cfg.running > 0;
    const int64_t as_of = r->cfg.as_of;
    const int64_t when[4] = {t->created, t->first_reply, t->first_solved, last};
    static const uint32_t field[4] = {CXM_TICKET_FIELD_CREATED, CXM_TICKET_FIELD_FIRST_REPLY,
                                      CXM_TICKET_FIELD_FIRST_SOLVED, CXM_TICKET_FIELD_LAST_SOLVED};
    /* 0 is "not set", never an instant: only set times meet the clock. */
    for (int i = 0; i < 4; i++) {
        if (when[i] == 0) continue;
        if (!cxm_time_ok(when[i])) return cxm_ticket_refuse(CXM_OUT_OF_RANGE, field[i], bad_field);
        if (!live && when[i] > as_of) return cxm_ticket_refuse(CXM_BAD_ORDER, field[i], bad_field);
    }
    int64_t fr = t->first_reply;
    if (t->first_solved != 0 && (fr == 0 || t->first_solved < fr)) fr = t->first_solved;
    const int64_t end[ROLLUP_SLA] = {fr, last};
    for (uint32_t m = 0; m < ROLLUP_SLA; m++) {
        int64_t seconds;
        uint32_t mode;
        if (cxm_sla_policy_target(policy_of(r), t->priority, sla_metric[m], &seconds, &mode) !=
            CXM_OK)
            continue; /* no target for this priority and metric */
        /* Closed without a resolution: no resolution to time, so no outcome (as self-service). */
        if (m == 1 && (t->flags & CXM_TICKET_UNRESOLVED)) continue;
        if (mode == CXM_SLA_BUSINESS_HOURS && !r->calendar) return CXM_BAD_STATE;
        uint32_t running = end[m] == 0;
        /* Live: a running target evaluated at its start gives its due instant. */
        int64_t at = running ? (live ? t->created : as_of) : end[m];
        inc->sla_at[m] = at;
        if (prev && prev->created == t->created && prev->priority == t->priority &&
            prev->sla_at[m] == at && (prev->sla[m].active != 0) == (running != 0)) {
            /* The same inputs: the same outcome (or due instant). */
            inc->sla[m] = prev->sla[m];
            inc->due[m] = prev->due[m];
            if (running && live) run_fill(&inc->run[inc->nrun++], t, m, inc->due[m]);
            continue;
        }
        cxm_sla_outcome o = {.size = sizeof o};
        cxm_status st = cxm_sla_evaluate(policy_of(r), r->calendar, t->priority, sla_metric[m],
                                         t->created, at, running, NULL, 0, &o);
        if (st != CXM_OK) return cxm_ticket_refuse(st, CXM_TICKET_FIELD_CREATED, bad_field);
        if (running && live) {
            inc->due[m] = o.has_breach_at ? o.breach_at : ROLLUP_NEVER;
            run_fill(&inc->run[inc->nrun++], t, m, inc->due[m]);
            sla_cell_put(&inc->sla[m], CXM_SLA_RUNNING, 0);
        } else {
            sla_cell_put(&inc->sla[m], o.outcome, o.lateness);
        }
    }
    return CXM_OK;
}

cxm_status rollup_ticket_inc(const cxm_rollup *r, const cxm_ticket *rec, ticket_inc *inc,
                             uint32_t *bad_field, const ticket_inc *prev)
{
    *bad_field = CXM_TICKET_FIELD_NONE;
    uint32_t head[2] = {0, 0}; /* size and reserved */
    if (rec) memcpy(head, rec, sizeof head);
    /*
     * A record of this build's size is read where it is: what
     * cxm_record_read would copy is all of it, and a copy costs more than
     * the reads (its wide stores stall the narrower loads that straddle
     * them). Older sizes are read, zero-extended, into a local.
     */
    cxm_ticket local;
    const cxm_ticket *t = rec;
    if (head[0] != sizeof local || head[1] != 0) {
        if (cxm_record_read(rec, CXM_SIZES(&local), &local, sizeof local) != CXM_OK)
            return cxm_ticket_refuse(CXM_INVALID_ARGUMENT, CXM_TICKET_FIELD_SIZE, bad_field);
        t = &local;
    }
    const rollup_cfg *c = &r->cfg;
    if (t->created == 0)
        return cxm_ticket_refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_CREATED, bad_field);
    if (t->first_reply != 0 && t->first_reply < t->created)
        return cxm_ticket_refuse(CXM_BAD_ORDER, CXM_TICKET_FIELD_FIRST_REPLY, bad_field);
    int64_t last; /* the last solve; never reopened, the first solve is the last */
    cxm_status st = ticket_solves(t, &last, bad_field);
    if (st != CXM_OK) return st;
    const double bucket[3] = {t->requester_wait, t->agent_work, t->on_hold};
    for (uint32_t i = 0; i < 3; i++)
        if (!dur_value_ok(bucket[i]))
            return cxm_ticket_refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_REQUESTER_WAIT + i,
                                     bad_field);
    if (!dur_value_ok(t->handle_time))
        return cxm_ticket_refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_HANDLE_TIME, bad_field);
    if (t->flags & ~(uint32_t)TICKET_FLAGS)
        return cxm_ticket_refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_FLAGS, bad_field);
    if ((t->flags & CXM_TICKET_HAS_CSAT) && !scale_score_ok(&c->csat, t->csat))
        return cxm_ticket_refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_CSAT, bad_field);
    if ((t->flags & CXM_TICKET_HAS_CES) && !scale_score_ok(&c->ces, t->ces))
        return cxm_ticket_refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_CES, bad_field);
    if ((t->flags & CXM_TICKET_HAS_NPS) && !nps_score_ok(t->nps))
        return cxm_ticket_refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_NPS, bad_field);
    bool solved = last != 0, self = t->flags & CXM_TICKET_SELF_SERVICE;
    bool unresolved = (t->flags & CXM_TICKET_UNRESOLVED) != 0;
    if (self && !solved)
        return cxm_ticket_refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_FLAGS, bad_field);
    /* Closed without a resolution: not solved now (a solve would be its resolution). */
    if (unresolved && solved)
        return cxm_ticket_refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_FLAGS, bad_field);
    /* Self-service has no agent to pass the ticket between. */
    if (self && t->transfers > 0)
        return cxm_ticket_refuse(CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_TRANSFERS, bad_field);
    if (t->priority >= c->priorities)
        return cxm_ticket_refuse(CXM_CAPACITY, CXM_TICKET_FIELD_PRIORITY, bad_field);
    if (t->channel != CXM_ROLLUP_NONE && t->channel >= c->channels)
        return cxm_ticket_refuse(CXM_CAPACITY, CXM_TICKET_FIELD_CHANNEL, bad_field);
    if (t->topic != CXM_ROLLUP_NONE && t->topic >= c->topics)
        return cxm_ticket_refuse(CXM_CAPACITY, CXM_TICKET_FIELD_TOPIC, bad_field);
    if (t->agent != CXM_ROLLUP_NONE && t->agent >= c->agents)
        return cxm_ticket_refuse(CXM_CAPACITY, CXM_TICKET_FIELD_AGENT, bad_field);

    /*
     * Only what is read of the record is written (no clearing of the whole
     * struct first): every counter, has[] and t[] (t[i] read only where
     * has[i]), run[] below nrun, open when is_open, the SLA inputs with a
     * policy.
     */
    inc->k[K_TICKETS] = 1;
    inc->k[K_SOLVED] = solved;
    inc->k[K_EVER_SOLVED] = t->first_solved != 0;
    inc->k[K_REOPENED] = t->reopens > 0;
    inc->k[K_REOPENS] = t->reopens;
    inc->k[K_SELF] = self;
    inc->k[K_FCR] = solved && !self && first_contact(c->profile, t);
    inc->k[K_REPLIED] = t->first_reply != 0;
    inc->k[K_AGENT_REPLIES] = t->agent_replies;
    inc->k[K_CUSTOMER_REPLIES] = t->customer_replies;
    inc->k[K_UNRESOLVED] = unresolved;
    inc->k[K_TRANSFERRED] = t->transfers > 0;
    inc->k[K_TRANSFERS] = t->transfers;
    /*
     * Differences of int64 timestamps in order: exact in uint64, then
     * seconds. A time the ticket does not have is written too (never read):
     * no branch on whether it has it.
     */
    const int64_t ends[3] = {t->first_reply, t->first_solved, last};
    for (uint32_t i = 0; i < 3; i++) {
        inc->has[CXM_ROLLUP_FIRST_REPLY + i] = ends[i] != 0;
        inc->t[CXM_ROLLUP_FIRST_REPLY + i] = (double)((uint64_t)ends[i] - (uint64_t)t->created);
    }
    for (uint32_t i = 0; i < 3; i++) {
        inc->has[CXM_ROLLUP_REQUESTER_WAIT + i] = solved;
        inc->t[CXM_ROLLUP_REQUESTER_WAIT + i] = bucket[i];
    }
    /* Handle time is that of closed tickets, resolved or not: both were handled to the end. */
    inc->has[CXM_ROLLUP_HANDLE_TIME] = solved | unresolved;
    inc->t[CXM_ROLLUP_HANDLE_TIME] = t->handle_time;
    /* A time beyond what a sketch takes (2^43 s) is a contradiction of the record (the
     * record's own durations, the others, were checked above). */
    static const uint32_t time_field[3] = {
        CXM_TICKET_FIELD_FIRST_REPLY, CXM_TICKET_FIELD_FIRST_SOLVED, CXM_TICKET_FIELD_LAST_SOLVED};
    for (uint32_t i = 0; i < 3; i++)
        if (inc->has[i] && !dur_value_ok(inc->t[i]))
            return cxm_ticket_refuse(CXM_OUT_OF_RANGE, time_field[i], bad_field);
    inc->has_csat = (t->flags & CXM_TICKET_HAS_CSAT) != 0;
    inc->has_ces = (t->flags & CXM_TICKET_HAS_CES) != 0;
    inc->csat = t->csat;
    inc->ces = t->ces;
    inc->has_nps = (t->flags & CXM_TICKET_HAS_NPS) != 0;
    inc->nps = t->nps;
    /* Cleared cell by cell: a memset of them compiles to a slow string store. */
    for (uint32_t m = 0; m < ROLLUP_SLA; m++)
        inc->sla[m] = (sla_cell){0};
    inc->nrun = 0;
    inc->is_open = 0;
    if (c->has_sla) {
        /* What a later record's outcomes are compared with: none for self-service. */
        inc->created = self ? 0 : t->created;
        inc->priority = self ? 0u : t->priority;
        for (uint32_t m = 0; m < ROLLUP_SLA; m++)
            inc->sla_at[m] = inc->due[m] = 0;
    }
    if (c->has_sla && !self) {
        st = ticket_sla(r, t, last, inc, bad_field, prev);
        if (st != CXM_OK) return st;
    }
    /* The latest instant the record tells (set times only: 0 is "not yet"). */
    int64_t latest = t->created;
    for (uint32_t i = 0; i < 3; i++)
        latest = ends[i] != 0 && ends[i] > latest ? ends[i] : latest;
    inc->latest = latest;
    /* Its groups are those of an index entry with its ids. */
    rollup_run who;
    run_fill(&who, t, 0, t->created);
    inc->ngroups = rollup_run_groups(r, &who, inc->groups);
    inc->agent = rollup_counted_agents(c) ? t->agent : CXM_ROLLUP_NONE;
    /* Open: neither solved now nor closed unresolved; its creation goes into the open index. */
    if (c->open && !solved && !unresolved) {
        inc->is_open = 1;
        run_fill(&inc->open, t, ROLLUP_OPEN_METRIC, t->created);
    }
    return CXM_OK;
}
