/*
 * fuzz_clock.c — the SLA target clock as a sequence: activate, pause,
 * resume, fulfil, reopen (reset, then activate again), reset, clone and
 * status queries at arbitrary instants, in calendar time or in the business
 * hours of one of four calendars (round the clock, office hours with a
 * holiday and an offset change, split shifts, no open hour at all).
 * Input: byte 0 mode and calendar, bytes 1..2 the target; then each op is a
 * byte (the verb and how the instant moves) and two bytes of distance.
 *
 * A model follows the clock's state. Every call must answer exactly what
 * the model expects (CXM_BAD_STATE, CXM_OUT_OF_RANGE, CXM_BAD_ORDER, or OK)
 * and a refused call changes nothing. Every status must hold together:
 * elapsed + time left = target; elapsed counts the wall (calendar) or open
 * (business) seconds since the start less the paused ones; a breach lies
 * between start and end with lateness end - breach_at and elapsed past the
 * target; a predicted breach lies ahead and, in business hours, is exactly
 * `time left` open seconds away; elapsed never goes down; a query changes
 * nothing; and cxm_sla_evaluate, given the same start, pauses and end,
 * reports the same elapsed, breach and lateness.
 */
#include "fuzz.h"

#define MAX_OPS 128
#define MAX_PAUSES 32

static const int64_t T0 = 1704067200; /* 2024-01-01T00:00:00Z, a Monday */

typedef struct model {
    uint32_t state;
    int64_t start, last, end;
    int64_t pauses[2 * MAX_PAUSES]; /* closed pauses, then the open one */
    size_t n_pauses;                /* closed pairs */
    int64_t paused_since;
    int open_pause;                 /* paused_since starts a pause not yet resumed */
    int overflow;                   /* more pauses than kept: no evaluate cross-check */
    int64_t prev_now, prev_elapsed; /* the latest query since the last reset */
    int have_prev;
} model;

static cxm_calendar *make_calendar(uint32_t kind)
{
    const cxm_calendar_config cc = {sizeof cc, 0, 16, 2, 2, kind == 1 ? 3600 : 0};
    cxm_calendar *cal = NULL;
    if (cxm_calendar_new(&cc, NULL, &cal) != CXM_OK) abort();
    cxm_status st = CXM_OK;
    for (uint32_t d = 0; d < 7 && st == CXM_OK; d++) {
        switch (kind) {
        case 0: st = cxm_calendar_add_interval(cal, d, 0, 86400); break;
        case 1:
            if (d < 5) st = cxm_calendar_add_interval(cal, d, 9 * 3600, 17 * 3600);
            break;
        case 2:
            st = cxm_calendar_add_interval(cal, d, 6 * 3600, 10 * 3600);
            if (st == CXM_OK) st = cxm_calendar_add_interval(cal, d, 20 * 3600, 86400);
            break;
        default: break; /* never open */
        }
    }
    if (kind == 1) {
        if (st == CXM_OK) st = cxm_calendar_add_holiday(cal, 2024, 1, 3);
        if (st == CXM_OK) st = cxm_calendar_add_offset_change(cal, T0 + 86400 * 10, -7200);
    }
    if (st != CXM_OK) abort();
    return cal;
}

/* The instant an op acts at: steps forward, back, a long way, or to the range's edges. */
static int64_t next_instant(uint8_t how, uint16_t d, int64_t last)
{
    switch (how) {
    case 0: return last + d;
    case 1: return last + (int64_t)d * 61;
    case 2: return last + (int64_t)d * 3607;
    case 3: return last - 1 - d % 100; /* before the previous event */
    case 4: return last;
    case 5: return d & 1 ? CXM_CALENDAR_MAX_TIME - d : CXM_CALENDAR_MIN_TIME + d;
    case 6: return d & 1 ? CXM_CALENDAR_MAX_TIME + 1 + d : CXM_CALENDAR_MIN_TIME - 1 - d;
    default: return last + (int64_t)d * 86401;
    }
}

typedef struct ctx {
    cxm_sla_clock *clock;
    const cxm_calendar *cal;
    cxm_sla_policy *policy;
    int64_t target;
    uint32_t mode;
    model m;
} ctx;

static const cxm_family_ops clock_row = {.name = "sla_clock"};
#define CK(cond, what) FZ_CHECK(cond, &clock_row, what)

static cxm_sla_clock_status status_at(const cxm_sla_clock *k, int64_t now, cxm_status *st)
{
    cxm_sla_clock_status s;
    memset(&s, 0x5A, sizeof s);
    s.size = sizeof s;
    *st = cxm_sla_clock_status_get(k, now, &s);
    return s;
}

/* What a query at `now` must answer, by the model. */
static cxm_status query_expect(const model *m, int64_t now)
{
    if (m->state != CXM_SLA_ACTIVE && m->state != CXM_SLA_PAUSED) return CXM_OK;
    if (now < CXM_CALENDAR_MIN_TIME || now > CXM_CALENDAR_MAX_TIME) return CXM_OUT_OF_RANGE;
    return now < m->last ? CXM_BAD_ORDER : CXM_OK;
}

static void check_evaluate(ctx *c, const cxm_sla_clock_status *s, int64_t now)
{
    model *m = &c->m;
    if (m->overflow || m->state == CXM_SLA_INACTIVE) return;
    int64_t pauses[2 * MAX_PAUSES + 2];
    size_t n = m->n_pauses;
    memcpy(pauses, m->pauses, 2 * n * sizeof pauses[0]);
    const int64_t end = m->state == CXM_SLA_CLOSED ? m->end : now;
    if (m->open_pause) {
        pauses[2 * n] = m->paused_since; /* a pause still open ends at the report instant */
        pauses[2 * n + 1] = end;
        n++;
    }
    cxm_sla_outcome o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    cxm_status st = cxm_sla_evaluate(c->policy, c->cal, 0, 0, m->start, end,
                                     m->state != CXM_SLA_CLOSED, pauses, n, &o);
    CK(st == CXM_OK, "evaluate refused what the clock accepted");
    CK(o.elapsed == s->elapsed && o.paused == s->paused && o.paused_counted == s->paused_counted,
       "evaluate and the clock count different time");
    /*
     * A paused clock predicts no breach; evaluate resumes it at the report
     * instant and may: compare predictions only when both make one.
     */
    if (m->state != CXM_SLA_PAUSED || s->breached)
        CK(o.has_breach_at == s->has_breach_at, "evaluate and the clock disagree on a breach");
    if (o.has_breach_at && s->has_breach_at)
        CK(o.breach_at == s->breach_at, "evaluate and the clock see different breach instants");
    CK(o.lateness == s->lateness, "evaluate and the clock see different lateness");
    if (m->state == CXM_SLA_CLOSED)
        CK(o.outcome == (s->breached ? CXM_SLA_BREACHED : CXM_SLA_ACHIEVED), "outcome");
    else
        CK(o.outcome == CXM_SLA_RUNNING && o.past_due == (s->lateness > 0), "running outcome");
}

static void query(ctx *c, int64_t now)
{
    model *m = &c->m;
    cxm_status st;
    cxm_sla_clock_status s = status_at(c->clock, now, &st);
    CK(st == query_expect(m, now), cxm_status_str(st));
    if (st != CXM_OK) return;
    cxm_status st2;
    cxm_sla_clock_status again = status_at(c->clock, now, &st2);
    CK(st2 == CXM_OK && memcmp(&s, &again, sizeof s) == 0, "a query changed the clock");
    CK(s.size == sizeof s && s.reserved == 0, "size and reserved");
    CK(s.state == m->state && s.target == c->target && s.mode == c->mode, "state, target, mode");
    if (m->state == CXM_SLA_INACTIVE) {
        CK(s.elapsed == 0 && s.breached == 0 && s.paused == 0 && s.end == 0, "inactive clock");
        return;
    }
    const int64_t end = m->state == CXM_SLA_CLOSED ? m->end : now;
    CK(s.start == m->start && s.end == end, "start and end");
    CK(s.elapsed + s.time_left == c->target, "elapsed + time left != target");
    CK(s.elapsed >= 0 && s.paused >= 0 && s.paused_counted >= 0 && s.paused_counted <= s.paused,
       "negative or inconsistent counts");
    if (c->mode == CXM_SLA_CALENDAR_TIME) {
        CK(s.paused_counted == s.paused, "calendar time: paused counted != paused");
        CK(s.elapsed == end - s.start - s.paused, "calendar time: elapsed != wall - paused");
        CK(s.breached == (s.elapsed > c->target), "calendar time: breached iff past the target");
    } else {
        int64_t open = -1;
        CK(cxm_calendar_business_seconds(c->cal, s.start, end, &open) == CXM_OK, "business");
        CK(s.elapsed + s.paused_counted == open, "business: elapsed + paused != open seconds");
        CK(s.elapsed <= c->target || s.breached, "business: past the target, not breached");
    }
    if (s.breached) {
        CK(s.has_breach_at && s.breach_at >= s.start && s.breach_at < end, "breach instant");
        CK(s.lateness == end - s.breach_at && s.lateness > 0, "lateness");
        CK(s.elapsed >= c->target, "breached before the target was used up");
    } else {
        CK(s.lateness == 0 && s.elapsed <= c->target, "on time");
        if (s.has_breach_at) {
            CK(s.breach_at >= end, "a predicted breach in the past");
            if (c->mode == CXM_SLA_BUSINESS_HOURS) {
                int64_t left = -1;
                CK(cxm_calendar_business_seconds(c->cal, end, s.breach_at, &left) == CXM_OK &&
                       left == s.time_left,
                   "business: due does not invert business seconds");
            } else {
                CK(s.breach_at == end + s.time_left, "calendar time: predicted breach");
            }
        }
    }
    if (!m->overflow) {
        /* The pauses, by the model: wall seconds, and open seconds in business hours. */
        int64_t wall = 0, counted = 0;
        for (size_t i = 0; i <= m->n_pauses; i++) {
            int64_t a, b;
            if (i < m->n_pauses) {
                a = m->pauses[2 * i];
                b = m->pauses[2 * i + 1];
            } else if (m->open_pause) {
                a = m->paused_since;
                b = end;
            } else {
                break;
            }
            int64_t open = b - a;
            if (c->mode == CXM_SLA_BUSINESS_HOURS)
                CK(cxm_calendar_business_seconds(c->cal, a, b, &open) == CXM_OK, "business");
            wall += b - a;
            counted += open;
        }
        CK(s.paused == wall && s.paused_counted == counted, "paused time off the model");
    }
    if (m->have_prev && now >= m->prev_now) CK(s.elapsed >= m->prev_elapsed, "elapsed went down");
    if (!m->have_prev || now >= m->prev_now) {
        m->prev_now = now;
        m->prev_elapsed = s.elapsed;
        m->have_prev = 1;
    }
    check_evaluate(c, &s, now);
}

enum { OP_ACTIVATE, OP_PAUSE, OP_RESUME, OP_FULFIL, OP_REOPEN, OP_QUERY, OP_CLONE, OP_RESET };

/* What an event must answer, by the model. */
static cxm_status event_expect(const model *m, int op, int64_t t)
{
    static const uint32_t from[4][2] = {
        {CXM_SLA_INACTIVE, CXM_SLA_INACTIVE},
        {CXM_SLA_ACTIVE, CXM_SLA_ACTIVE},
        {CXM_SLA_PAUSED, CXM_SLA_PAUSED},
        {CXM_SLA_ACTIVE, CXM_SLA_PAUSED},
    };
    if (m->state != from[op][0] && m->state != from[op][1]) return CXM_BAD_STATE;
    if (t < CXM_CALENDAR_MIN_TIME || t > CXM_CALENDAR_MAX_TIME) return CXM_OUT_OF_RANGE;
    if (m->state != CXM_SLA_INACTIVE && t < m->last) return CXM_BAD_ORDER;
    return CXM_OK;
}

static void model_reset(model *m)
{
    memset(m, 0, sizeof *m);
    m->state = CXM_SLA_INACTIVE;
}

static void event(ctx *c, int op, int64_t t)
{
    model *m = &c->m;
    /* A readable instant before and after a refused event: nothing may change. */
    const int64_t probe = m->state == CXM_SLA_ACTIVE || m->state == CXM_SLA_PAUSED ? m->last : 0;
    cxm_status sb;
    cxm_sla_clock_status before = status_at(c->clock, probe, &sb);
    cxm_status want = event_expect(m, op, t), st;
    switch (op) {
    case OP_ACTIVATE: st = cxm_sla_clock_activate(c->clock, t); break;
    case OP_PAUSE: st = cxm_sla_clock_pause(c->clock, t); break;
    case OP_RESUME: st = cxm_sla_clock_resume(c->clock, t); break;
    default: st = cxm_sla_clock_fulfil(c->clock, t); break;
    }
    CK(st == want, cxm_status_str(st));
    if (st != CXM_OK) {
        cxm_status sa;
        cxm_sla_clock_status after = status_at(c->clock, probe, &sa);
        CK(sa == sb && memcmp(&before, &after, sizeof before) == 0, "a refused event changed it");
        return;
    }
    switch (op) {
    case OP_ACTIVATE:
        m->state = CXM_SLA_ACTIVE;
        m->start = t;
        break;
    case OP_PAUSE:
        m->state = CXM_SLA_PAUSED;
        m->paused_since = t;
        m->open_pause = 1;
        break;
    case OP_RESUME:
        if (m->n_pauses < MAX_PAUSES) {
            m->pauses[2 * m->n_pauses] = m->paused_since;
            m->pauses[2 * m->n_pauses + 1] = t;
            m->n_pauses++;
        } else {
            m->overflow = 1;
        }
        m->open_pause = 0;
        m->state = CXM_SLA_ACTIVE;
        break;
    default:
        m->state = CXM_SLA_CLOSED;
        m->end = t;
        break;
    }
    m->last = t;
    /* An event before the latest query rewrites the time after it: start the watch again. */
    if (m->have_prev && t < m->prev_now) m->have_prev = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3) return 0;
    fz_in in = {data, size};
    ctx c;
    memset(&c, 0, sizeof c);
    const uint8_t head = fz_byte(&in);
    c.mode = head & 1 ? CXM_SLA_BUSINESS_HOURS : CXM_SLA_CALENDAR_TIME;
    cxm_calendar *cal = make_calendar((head >> 1) & 3u);
    c.cal = cal;
    const uint16_t tv = (uint16_t)(fz_byte(&in) << 8 | fz_byte(&in));
    static const int64_t unit[4] = {1, 60, 3600, 86400};
    c.target = 1 + (int64_t)(tv & 0x3FFF) * unit[tv >> 14];
    if (cxm_sla_clock_new(c.target, c.mode, cal, NULL, &c.clock) != CXM_OK) abort();
    if (cxm_sla_policy_new(1, NULL, &c.policy) != CXM_OK ||
        cxm_sla_policy_set_target(c.policy, 0, 0, c.target, c.mode) != CXM_OK)
        abort();
    model_reset(&c.m);
    int64_t cursor = T0 + (int64_t)((head >> 3) & 7u) * 86400 * 3 + 3 * 3600;

    for (int ops = 0; ops < MAX_OPS && in.left > 0; ops++) {
        const uint8_t op = fz_byte(&in);
        const uint16_t d = (uint16_t)(fz_byte(&in) << 8 | fz_byte(&in));
        const int64_t t = next_instant((op >> 3) & 7u, d, cursor);
        switch (op & 7u) {
        case OP_REOPEN:
            /* Reopened: the clock starts over with the same target. */
            CK(cxm_sla_clock_reset(c.clock) == CXM_OK, "reset");
            model_reset(&c.m);
            event(&c, OP_ACTIVATE, t);
            break;
        case OP_RESET:
            CK(cxm_sla_clock_reset(c.clock) == CXM_OK, "reset");
            model_reset(&c.m);
            query(&c, t);
            break;
        case OP_QUERY: query(&c, t); break;
        case OP_CLONE: {
            cxm_sla_clock *k = NULL;
            if (cxm_sla_clock_clone(c.clock, NULL, &k) != CXM_OK) abort();
            cxm_status s1, s2;
            const int64_t at = c.m.state == CXM_SLA_INACTIVE ? 0 : c.m.last;
            cxm_sla_clock_status a = status_at(c.clock, at, &s1), b = status_at(k, at, &s2);
            CK(s1 == s2 && memcmp(&a, &b, sizeof a) == 0, "clone differs");
            cxm_sla_clock_free(c.clock);
            c.clock = k;
            break;
        }
        default: event(&c, op & 7u, t); break;
        }
        if (t >= CXM_CALENDAR_MIN_TIME && t <= CXM_CALENDAR_MAX_TIME) cursor = t;
    }
    query(&c, c.m.state == CXM_SLA_INACTIVE ? 0 : c.m.last);
    cxm_sla_clock_free(c.clock);
    cxm_sla_policy_free(c.policy);
    cxm_calendar_free(cal);
    return 0;
}
