/*
 * test_live.c — live tickets in the roll-up: retract and replace, the
 * running-target index read at an instant, and the property that makes
 * them trustworthy: at any instant, every figure of a roll-up fed a
 * ticket event stream as add-then-replace equals the figure of a fresh
 * roll-up fed, in one pass, the final records of the same tickets as of
 * that instant (exactly; min, max and the largest lateness within the
 * bounds cxm/rollup.h documents). Hand-computed cases come first, with
 * their arithmetic.
 */
#include <math.h>
#include <stdbool.h>

#include "forge.h"
#include "live_check.h"
#include "testutil.h"

#define T0 1700000000LL /* Tue 14 Nov 2023 22:13:20 UTC */

static cxm_ticket ticket(int64_t created)
{
    cxm_ticket t;
    memset(&t, 0, sizeof t);
    t.size = sizeof t;
    t.created = created;
    t.channel = CXM_ROLLUP_NONE;
    t.topic = CXM_ROLLUP_NONE;
    t.agent = CXM_ROLLUP_NONE;
    return t;
}

static cxm_rollup *make(uint32_t running, const cxm_sla_policy *p, const cxm_calendar *cal)
{
    cxm_rollup_options o = {.size = sizeof o};
    o.channels = 4; /* CH, TP, PR and AG below */
    o.topics = 6;
    o.priorities = 4;
    o.agents = 20;
    o.sla_policy = p;
    o.calendar = cal;
    o.running = running;
    o.open = 1u << 16; /* the open-ticket index, for the survival figures */
    /* Cells follow their tickets as every group does: channel x priority (16 cells; agents'
     * cells are groups like these, and every group is compared at every check). */
    o.crosses = 1;
    o.cross[0] = (cxm_rollup_cross){CXM_ROLLUP_CHANNEL, CXM_ROLLUP_PRIORITY};
    o.sla_as_of = p && !running ? T0 + 90 * 86400 : 0;
    cxm_rollup *r = NULL;
    TU_OK(cxm_rollup_new(CXM_FCR_ZENDESK, &o, &tu_allocator, &r));
    return r;
}

static uint8_t *enc(const cxm_rollup *r, size_t *len)
{
    TU_ST(cxm_rollup_encode(r, NULL, 0, len), CXM_BUFFER_TOO_SMALL);
    uint8_t *b = malloc(*len);
    assert_non_null(b);
    TU_OK(cxm_rollup_encode(r, b, *len, len));
    return b;
}

static bool same_bytes(const cxm_rollup *a, const cxm_rollup *b)
{
    size_t la, lb;
    uint8_t *x = enc(a, &la), *y = enc(b, &lb);
    bool same = la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

/* decode(encode(r)) re-encodes to the same bytes. */
static void assert_round_trip(const cxm_rollup *r)
{
    size_t len;
    uint8_t *b = enc(r, &len);
    cxm_rollup *d = NULL;
    TU_OK(cxm_rollup_decode(b, len, &tu_allocator, &d));
    assert_true(same_bytes(r, d));
    cxm_rollup_free(d);
    free(b);
}

static cxm_rollup_time_result time_of(const cxm_rollup *r, uint32_t time)
{
    cxm_rollup_time_result t = {.size = sizeof t};
    cxm_status st = cxm_rollup_time_get(r, CXM_ROLLUP_OVERALL, 0, time, &t);
    assert_true(st == CXM_OK || st == CXM_EMPTY);
    return t;
}

/*
 * Replace and retract, by hand. A: created T0, replied at +600, solved at
 * +3600. B: created T0+1000, replied at +300 (T0+1300), open; then solved
 * at T0+8200 (full resolution 7200 s). First reply times {600, 300}: mean
 * 450, min 300, max 600 (two values: exact from the sums). Full resolution
 * {3600, 7200}: mean 5400. Retracting A leaves one value each: 300 and 7200.
 */
static void replace_by_hand(void **state)
{
    (void)state;
    cxm_rollup *r = make(0, NULL, NULL);
    cxm_ticket a = ticket(T0), b = ticket(T0 + 1000);
    a.first_reply = T0 + 600;
    a.first_solved = T0 + 3600;
    a.agent_replies = 1;
    b.first_reply = T0 + 1300;
    b.agent_replies = 1;
    TU_OK(cxm_rollup_add(r, &a, NULL));
    TU_OK(cxm_rollup_add(r, &b, NULL));
    cxm_ticket b2 = b;
    b2.first_solved = T0 + 8200;
    TU_OK(cxm_rollup_replace(r, &b, &b2, NULL));
    cxm_rollup_result res = {.size = sizeof res};
    TU_OK(cxm_rollup_result_get(r, CXM_ROLLUP_OVERALL, 0, 0, &res));
    assert_int_equal(res.tickets, 2);
    assert_int_equal(res.solved, 2);
    assert_int_equal(res.open, 0);
    cxm_rollup_time_result fr = time_of(r, CXM_ROLLUP_FIRST_REPLY);
    assert_int_equal(fr.n, 2);
    TU_NEAR(fr.mean, 450, 1e-9);
    assert_true(fr.min == 300 && fr.max == 600);
    cxm_rollup_time_result full = time_of(r, CXM_ROLLUP_FULL_RESOLUTION);
    assert_int_equal(full.n, 2);
    TU_NEAR(full.mean, 5400, 1e-9);
    assert_round_trip(r);
    TU_OK(cxm_rollup_retract(r, &a, NULL));
    fr = time_of(r, CXM_ROLLUP_FIRST_REPLY);
    assert_true(fr.n == 1 && fr.min == 300 && fr.max == 300 && fr.mean == 300);
    full = time_of(r, CXM_ROLLUP_FULL_RESOLUTION);
    assert_true(full.n == 1 && full.min == 7200 && full.max == 7200);
    assert_round_trip(r);
    /* A (already out) and B's old record (replaced) were never in: refused, nothing changed. */
    cxm_rollup *before = NULL;
    TU_OK(cxm_rollup_clone(r, &tu_allocator, &before));
    TU_ST(cxm_rollup_retract(r, &a, NULL), CXM_BAD_STATE);
    cxm_ticket never = ticket(T0 + 5);
    never.first_reply = T0 + 5 + 86400; /* a first reply time no ticket had: its bucket is empty */
    TU_ST(cxm_rollup_retract(r, &never, NULL), CXM_BAD_STATE);
    /* An open ticket out of a group whose only ticket is solved: 0 tickets, 1 solved. */
    cxm_ticket open = ticket(T0 + 5);
    TU_ST(cxm_rollup_retract(r, &open, NULL), CXM_BAD_STATE);
    TU_ST(cxm_rollup_replace(r, &a, &b, NULL), CXM_BAD_STATE);
    assert_true(same_bytes(r, before));
    /* A refused new record changes nothing either (all or nothing), and names its field. */
    cxm_ticket bad = b2;
    bad.first_reply = T0; /* before creation */
    uint32_t field = 0;
    TU_ST(cxm_rollup_replace(r, &b2, &bad, &field), CXM_BAD_ORDER);
    assert_int_equal(field, CXM_TICKET_FIELD_FIRST_REPLY);
    assert_true(same_bytes(r, before));
    TU_OK(cxm_rollup_retract(r, &b2, NULL));
    TU_ST(cxm_rollup_result_get(r, CXM_ROLLUP_OVERALL, 0, 0, &res), CXM_EMPTY);
    assert_int_equal(res.tickets, 0);
    cxm_rollup_free(before);
    cxm_rollup_free(r);
}

/*
 * Extremes after a retraction, by hand. First reply times 100, 205, 300,
 * 1000 s. 205 = 128 x 1.6015625: its top six mantissa bits are 38
 * (0.6015625 x 64 = 38.5), so its bucket is [128 (1 + 38/64), 128 (1 +
 * 39/64)) = [204, 206). 300 = 256 x 1.171875, bits 11: bucket [300, 304).
 * Retracting 100 leaves 205 the smallest, but the roll-up only knows that
 * the lowest non-empty bucket starts at 204: min = max(100, 204) = 204
 * (relative error 1/205 < 1/64). Retracting 1000: max = min(1000, the top
 * of [300, 304)) = the largest double below 304. With two values left
 * (205, 300) the exact sums fix both: min 205, max 300.
 */
static void extremes_by_hand(void **state)
{
    (void)state;
    cxm_rollup *r = make(0, NULL, NULL);
    const int64_t fr[4] = {100, 205, 300, 1000};
    cxm_ticket t[4];
    for (int i = 0; i < 4; i++) {
        t[i] = ticket(T0 + i);
        t[i].first_reply = t[i].created + fr[i];
        TU_OK(cxm_rollup_add(r, &t[i], NULL));
    }
    TU_OK(cxm_rollup_retract(r, &t[0], NULL));
    cxm_rollup_time_result x = time_of(r, CXM_ROLLUP_FIRST_REPLY);
    assert_true(x.n == 3 && x.min == 204 && x.max == 1000);
    TU_NEAR(x.mean, (205 + 300 + 1000) / 3.0, 1e-9);
    assert_round_trip(r);
    TU_OK(cxm_rollup_retract(r, &t[3], NULL));
    x = time_of(r, CXM_ROLLUP_FIRST_REPLY);
    assert_true(x.n == 2 && x.min == 205 && x.max == 300);
    TU_OK(cxm_rollup_add(r, &t[3], NULL));
    TU_OK(cxm_rollup_add(r, &t[0], NULL));
    cxm_ticket extra = ticket(T0 + 9);
    extra.first_reply = extra.created + 500;
    TU_OK(cxm_rollup_add(r, &extra, NULL));
    TU_OK(cxm_rollup_retract(r, &t[3], NULL)); /* 1000 out: 100 205 300 500 left */
    x = time_of(r, CXM_ROLLUP_FIRST_REPLY);
    /* 500 = 256 x 1.953125, bits 61: bucket [500, 504); the top is the double below 504. */
    assert_true(x.n == 4 && x.min == 100 && x.max == nextafter(504.0, 0.0));
    assert_round_trip(r);
    cxm_rollup_free(r);
}

static cxm_sla_result sla_at(const cxm_rollup *r, uint32_t metric, int64_t at, cxm_status want)
{
    cxm_sla_result s;
    memset(&s, 0, sizeof s);
    s.size = sizeof s;
    TU_ST(cxm_rollup_sla_get_at(r, CXM_ROLLUP_OVERALL, 0, metric, at, 0, &s), want);
    return s;
}

/*
 * Live SLA, by hand: first reply within 3600 s for priority 0. Ticket P
 * created T0, no reply: due T0 + 3600. Read at T0 + 1000: one active
 * target, nothing ended (CXM_EMPTY). Ticket Q created T0 + 100, replied at
 * T0 + 200 (achieved). Read at T0 + 4600: P is breached, 4600 - 3600 =
 * 1000 s late; compliance 1 / 2 = 50 %. P replied at T0 + 5000: breached
 * from its record, 5000 - 3600 = 1400 s late, whenever read.
 */
static void live_sla_by_hand(void **state)
{
    (void)state;
    cxm_sla_policy *p = NULL;
    TU_OK(cxm_sla_policy_new(4, &tu_allocator, &p));
    TU_OK(cxm_sla_policy_set_target(p, 0, CXM_SLA_FIRST_REPLY, 3600, CXM_SLA_CALENDAR_TIME));
    cxm_rollup *r = make(2, p, NULL), *x0 = NULL;
    assert_round_trip(r); /* empty: the index count alone */
    int64_t none = 1;
    TU_ST(cxm_rollup_latest(r, &none), CXM_EMPTY);
    assert_int_equal(none, 0);
    sla_at(r, CXM_SLA_FIRST_REPLY, -86400, CXM_EMPTY); /* nothing yet: any instant, 1969 too */
    cxm_ticket P = ticket(T0), Q = ticket(T0 + 100);
    TU_OK(cxm_rollup_add(r, &P, NULL));
    cxm_sla_result s = sla_at(r, CXM_SLA_FIRST_REPLY, T0 + 1000, CXM_EMPTY);
    assert_true(s.active == 1 && s.breached == 0 && s.achieved == 0);
    Q.first_reply = T0 + 200;
    TU_OK(cxm_rollup_add(r, &Q, NULL));
    int64_t latest = 0;
    TU_OK(cxm_rollup_latest(r, &latest));
    assert_int_equal(latest, T0 + 200);
    /* Before the latest record: refused (Q's reply is counted already). */
    sla_at(r, CXM_SLA_FIRST_REPLY, T0 + 150, CXM_BAD_ORDER);
    s = sla_at(r, CXM_SLA_FIRST_REPLY, T0 + 4600, CXM_OK);
    assert_true(s.achieved == 1 && s.breached == 1 && s.active == 0);
    assert_true(s.lateness_mean == 1000 && s.lateness_max == 1000);
    TU_NEAR(s.compliance_pct, 50, 1e-12);
    /* The running-target index holds 2: a third running target does not fit; nothing changes. */
    cxm_ticket R = ticket(T0 + 300), S = ticket(T0 + 301);
    TU_OK(cxm_rollup_add(r, &R, NULL));
    cxm_rollup *before = NULL;
    TU_OK(cxm_rollup_clone(r, &tu_allocator, &before));
    TU_ST(cxm_rollup_add(r, &S, NULL), CXM_CAPACITY);
    assert_true(same_bytes(r, before));
    assert_round_trip(r);
    cxm_ticket P2 = P;
    P2.first_reply = T0 + 5000;
    TU_OK(cxm_rollup_replace(r, &P, &P2, NULL));
    s = sla_at(r, CXM_SLA_FIRST_REPLY, T0 + 5000, CXM_OK);
    assert_true(s.achieved == 1 && s.breached == 2 && s.active == 0);
    /* P late by 1400 s, R (due T0 + 3900) by 1100 s when read at T0 + 5000. */
    assert_true(s.lateness_max == 1400);
    TU_NEAR(s.lateness_mean, 1250, 1e-9);
    /* sla_get reads at the latest instant (T0 + 5000). */
    cxm_sla_result g = {.size = sizeof g};
    TU_OK(cxm_rollup_sla_get(r, CXM_ROLLUP_OVERALL, 0, CXM_SLA_FIRST_REPLY, 0, &g));
    assert_memory_equal(&g, &s, sizeof g);
    /* A ticket created in week 1 and answered in week 2: accepted. */
    cxm_ticket W = ticket(T0 + 1000), W2 = W;
    W2.first_reply = T0 + 9 * 86400;
    TU_OK(cxm_rollup_add(r, &W, NULL));
    TU_OK(cxm_rollup_replace(r, &W, &W2, NULL));
    assert_round_trip(r);
    /* Live roll-ups merge whenever read; the indexes too: R's entry twice fills the 2 places. */
    TU_OK(cxm_rollup_merge(r, r));
    s = sla_at(r, CXM_SLA_FIRST_REPLY, T0 + 9 * 86400, CXM_OK);
    /* Q twice achieved; P2 and W2 twice breached; R's two entries breached when read. */
    assert_true(s.achieved == 2 && s.breached == 6 && s.active == 0);
    TU_OK(cxm_rollup_clone(r, &tu_allocator, &x0));
    TU_ST(cxm_rollup_merge(r, x0), CXM_CAPACITY); /* 2 + 2 entries do not fit 2 */
    assert_true(same_bytes(r, x0));
    cxm_rollup_free(x0);
    assert_round_trip(r);
    cxm_rollup_free(before);
    cxm_rollup_free(r);
    /* Options: live mode refuses a report instant, frozen mode keeps the old encoding. */
    cxm_rollup_options o = {.size = sizeof o, .running = 4, .sla_policy = p, .sla_as_of = T0};
    cxm_rollup *x = NULL;
    TU_ST(cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &x), CXM_INVALID_ARGUMENT);
    o.running = CXM_ROLLUP_MAX_RUNNING + 1;
    o.sla_as_of = 0;
    TU_ST(cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &x), CXM_INVALID_ARGUMENT);
    cxm_rollup *f = make(0, p, NULL);
    size_t len;
    uint8_t *b = enc(f, &len);
    assert_int_equal(b[4], 4); /* envelope version 4 (the sketches' pool) for every roll-up */
    free(b);
    cxm_rollup_free(f);
    cxm_sla_policy_free(p);
}

/*
 * The decoder checks the running-target index before trusting it. Two
 * running first-reply targets (due T0 + 3600 and T0 + 3900) encode last,
 * 24 bytes each (due, channel, topic, priority, metric), before the CRC.
 */
static void decode_checks_the_index(void **state)
{
    (void)state;
    cxm_sla_policy *p = NULL;
    TU_OK(cxm_sla_policy_new(4, &tu_allocator, &p));
    TU_OK(cxm_sla_policy_set_target(p, 0, CXM_SLA_FIRST_REPLY, 3600, CXM_SLA_CALENDAR_TIME));
    cxm_rollup *r = make(4, p, NULL);
    cxm_ticket a = ticket(T0), b = ticket(T0 + 300);
    TU_OK(cxm_rollup_add(r, &a, NULL));
    TU_OK(cxm_rollup_add(r, &b, NULL));
    size_t len;
    uint8_t *good = enc(r, &len), *x = malloc(len);
    assert_non_null(x);
    const size_t e0 = len - 4 - 48, e1 = len - 4 - 24;
    cxm_rollup *d = NULL;
    /* Unsorted: the two entries swapped. */
    memcpy(x, good, len);
    memcpy(x + e0, good + e1, 24);
    memcpy(x + e1, good + e0, 24);
    tu_fix_envelope(x, len);
    TU_ST(cxm_rollup_decode(x, len, &tu_allocator, &d), CXM_BAD_FORMAT);
    /* A metric without a target (total resolution). */
    memcpy(x, good, len);
    x[e1 + 20] = 1;
    tu_fix_envelope(x, len);
    TU_ST(cxm_rollup_decode(x, len, &tu_allocator, &d), CXM_BAD_FORMAT);
    /* A priority beyond the capacity. */
    memcpy(x, good, len);
    x[e1 + 16] = 9;
    tu_fix_envelope(x, len);
    TU_ST(cxm_rollup_decode(x, len, &tu_allocator, &d), CXM_BAD_FORMAT);
    /* One entry fewer than the groups count active. */
    memcpy(x, good, len);
    x[e0 - 4] = 1;
    memcpy(x + e1, good + len - 4, 4);
    tu_fix_envelope(x, len - 24);
    TU_ST(cxm_rollup_decode(x, len - 24, &tu_allocator, &d), CXM_BAD_FORMAT);
    /* The untouched bytes decode. */
    TU_OK(cxm_rollup_decode(good, len, &tu_allocator, &d));
    cxm_rollup_free(d);
    free(x);
    free(good);
    cxm_rollup_free(r);
    cxm_sla_policy_free(p);
}

/* ---- the property --------------------------------------------------------------- */

static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static uint64_t rnd_below(uint64_t n)
{
    return rnd() % n;
}
/* Roughly exponential delay with the given mean, whole seconds >= 1. */
static int64_t delay(double mean)
{
    double u = ((double)(rnd() >> 11) + 0.5) * 0x1p-53;
    return 1 + (int64_t)(-log(u) * mean);
}

enum { EV_CREATE, EV_REPLY, EV_CUSTOMER, EV_SOLVE, EV_REOPEN, EV_CSAT };

typedef struct event {
    int64_t at;
    uint32_t ticket;
    uint32_t kind;
} event;

static uint64_t mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15u;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
    return x ^ (x >> 31);
}

static int i64_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int event_cmp(const void *a, const void *b)
{
    const event *x = a, *y = b;
    if (x->at != y->at) return x->at < y->at ? -1 : 1;
    if (x->ticket != y->ticket) return x->ticket < y->ticket ? -1 : 1;
    return x->kind < y->kind ? -1 : x->kind > y->kind;
}

typedef struct model {
    cxm_ticket rec; /* the record as of the events applied so far */
    bool made;
} model;

/* Applies one event to a ticket's record (what a helpdesk export would say next). */
static void apply_event(cxm_ticket *t, const event *e, uint64_t salt)
{
    switch (e->kind) {
    case EV_REPLY:
        if (t->first_reply == 0) t->first_reply = e->at;
        t->agent_replies++;
        if (salt % 7 == 0) t->transfers++; /* passed on to another agent with the reply */
        break;
    case EV_CUSTOMER: t->customer_replies++; break;
    case EV_SOLVE:
        if (t->first_solved == 0)
            t->first_solved = e->at;
        else
            t->last_solved = e->at;
        if (t->reopens == 0) t->last_solved = 0; /* first solve is the last: may be left 0 */
        /* Status times: whole and quarter seconds, and a value with a fraction of a microsecond. */
        t->agent_work = (double)(e->at - t->created) * 0.5;
        t->requester_wait = (double)(e->at - t->created) * 0.75 + 0.25;
        t->on_hold = (salt & 1) ? (double)(salt % 5000) + 0.0000004 : 0.0;
        t->handle_time = (double)(e->at - t->created) * 0.125 + 0.5;
        t->flags &= ~(uint32_t)CXM_TICKET_UNRESOLVED;
        if (salt % 11 == 0 && t->agent_replies == 0 && t->transfers == 0)
            t->flags |= CXM_TICKET_SELF_SERVICE;
        break;
    case EV_REOPEN:
        t->reopens++;
        t->last_solved = 0;
        t->flags &= ~(uint32_t)CXM_TICKET_SELF_SERVICE;
        /* Some reopened tickets are closed without a resolution (a later solve resolves them). */
        if (salt % 4 == 0) {
            t->flags |= CXM_TICKET_UNRESOLVED;
            t->handle_time += 30.25;
        }
        break;
    case EV_CSAT:
        t->flags |= CXM_TICKET_HAS_CSAT | ((salt & 2) ? CXM_TICKET_HAS_CES : 0u);
        t->csat = (int32_t)(1 + salt % 5);
        t->ces = (int32_t)(1 + (salt >> 8) % 7);
        if (salt & 4) {
            t->flags |= CXM_TICKET_HAS_NPS;
            t->nps = (int32_t)((salt >> 16) % 11);
        }
        break;
    default: break;
    }
}

#define CH 4
#define TP 6
#define PR 4
#define AG 20

/* Every figure of `live` against `fresh` at instant `at` (live_check.h). */
static void compare_all(const cxm_rollup *live, const cxm_rollup *fresh, int64_t at, bool sla)
{
    const char *why = cxm_live_same_figures(live, fresh, sla ? at : 0);
    if (why) print_error("at %lld: %s\n", (long long)at, why);
    assert_null(why);
}

/* A fresh roll-up fed, in one pass, the records as of now. */
static cxm_rollup *fresh_of(const model *m, size_t n, uint32_t running, const cxm_sla_policy *p,
                            const cxm_calendar *cal, uint32_t parity)
{
    cxm_rollup *f = make(running, p, cal);
    for (size_t i = 0; i < n; i++)
        if (m[i].made && (parity > 1 || (i & 1) == parity))
            TU_OK(cxm_rollup_add(f, &m[i].rec, NULL));
    return f;
}

/*
 * One stream: `n` tickets over 30 days, each created, replied to (agent and
 * customer), solved, sometimes reopened and solved again, sometimes
 * answering CSAT/CES, on random channels, topics, priorities and agents.
 * Fed as add-then-replace to a live roll-up (and to two halves by ticket
 * parity); at `checks` random instants every figure is compared with a
 * fresh roll-up of the records as of that instant.
 */
static void run_stream(uint64_t seed, size_t n, int checks, const cxm_sla_policy *p,
                       const cxm_calendar *cal)
{
    rng_state = seed;
    const uint32_t running = (uint32_t)(2 * n);
    event *ev = malloc(8 * n * sizeof *ev);
    model *m = calloc(n, sizeof *m);
    assert_true(ev && m);
    size_t ne = 0;
    const int64_t span = 30 * 86400;
    for (uint32_t i = 0; i < n; i++) {
        int64_t t = T0 + (int64_t)rnd_below((uint64_t)span);
        ev[ne++] = (event){t, i, EV_CREATE};
        uint64_t r = rnd();
        if (r % 10 < 8) ev[ne++] = (event){t += delay(3 * 3600), i, EV_REPLY};
        if ((r >> 4) % 3 == 0) ev[ne++] = (event){t += delay(3600), i, EV_CUSTOMER};
        if ((r >> 8) % 10 < 7) {
            ev[ne++] = (event){t += delay(20 * 3600), i, EV_SOLVE};
            if ((r >> 12) % 5 == 0) {
                ev[ne++] = (event){t += delay(86400), i, EV_REOPEN};
                if ((r >> 16) % 3 != 0) ev[ne++] = (event){t += delay(20 * 3600), i, EV_SOLVE};
            }
            if ((r >> 20) % 3 == 0) ev[ne++] = (event){t += delay(3600), i, EV_CSAT};
        }
    }
    qsort(ev, ne, sizeof *ev, event_cmp);
    int64_t *inst = malloc((size_t)checks * sizeof *inst);
    assert_non_null(inst);
    for (int c = 0; c < checks; c++)
        inst[c] = ev[0].at + (int64_t)rnd_below((uint64_t)(ev[ne - 1].at - ev[0].at + 1));
    qsort(inst, (size_t)checks, sizeof *inst, i64_cmp);
    cxm_rollup *live = make(running, p, cal),
               *half[2] = {make(running, p, cal), make(running, p, cal)};
    size_t e = 0;
    for (int c = 0; c <= checks; c++) {
        int64_t until = c < checks ? inst[c] : INT64_MAX;
        for (; e < ne && ev[e].at <= until; e++) {
            const uint32_t id = ev[e].ticket;
            model *t = &m[id];
            cxm_rollup *h = half[id & 1];
            uint64_t salt = mix(seed ^ ((uint64_t)id << 20) ^ ev[e].kind);
            if (ev[e].kind == EV_CREATE) {
                t->rec = ticket(ev[e].at);
                t->rec.channel =
                    salt % (CH + 1) == CH ? CXM_ROLLUP_NONE : (uint32_t)(salt % (CH + 1));
                t->rec.topic = (salt >> 8) % (TP + 1) == TP ? CXM_ROLLUP_NONE
                                                            : (uint32_t)((salt >> 8) % (TP + 1));
                t->rec.priority = (uint32_t)((salt >> 16) % PR);
                t->rec.agent = (salt >> 24) % (AG + 1) == AG ? CXM_ROLLUP_NONE
                                                             : (uint32_t)((salt >> 24) % (AG + 1));
                t->made = true;
                TU_OK(cxm_rollup_add(live, &t->rec, NULL));
                TU_OK(cxm_rollup_add(h, &t->rec, NULL));
            } else {
                cxm_ticket old = t->rec;
                apply_event(&t->rec, &ev[e], salt);
                uint32_t field = 99;
                cxm_status st = cxm_rollup_replace(live, &old, &t->rec, &field);
                if (st != CXM_OK) print_error("replace: %d field %u\n", (int)st, field);
                TU_OK(st);
                TU_OK(cxm_rollup_replace(h, &old, &t->rec, NULL));
            }
        }
        if (c == checks) break;
        cxm_rollup *f = fresh_of(m, n, running, p, cal, 2);
        compare_all(live, f, inst[c], p != NULL);
        cxm_rollup_free(f);
    }
    /* The end: merge of the two halves, decode(encode), and the whole stream taken out. */
    int64_t at = 0;
    TU_OK(cxm_rollup_latest(live, &at));
    cxm_rollup *f = fresh_of(m, n, running, p, cal, 2);
    compare_all(live, f, at, p != NULL);
    cxm_rollup *merged = NULL;
    TU_OK(cxm_rollup_clone(half[0], &tu_allocator, &merged));
    TU_OK(cxm_rollup_merge(merged, half[1]));
    compare_all(merged, f, at, p != NULL);
    size_t len;
    uint8_t *b = enc(live, &len);
    cxm_rollup *d = NULL;
    TU_OK(cxm_rollup_decode(b, len, &tu_allocator, &d));
    if (cal) TU_OK(cxm_rollup_attach_calendar(d, cal));
    assert_true(same_bytes(live, d));
    compare_all(d, f, at, p != NULL);
    free(b);
    for (size_t i = 0; i < n; i++)
        TU_OK(cxm_rollup_retract(live, &m[i].rec, NULL));
    cxm_rollup_result res = {.size = sizeof res};
    TU_ST(cxm_rollup_result_get(live, CXM_ROLLUP_OVERALL, 0, 0, &res), CXM_EMPTY);
    assert_int_equal(res.tickets, 0);
    cxm_rollup *empty = make(running, p, cal);
    compare_all(live, empty, at, p != NULL);
    assert_round_trip(live);
    cxm_rollup_free(empty);
    cxm_rollup_free(d);
    cxm_rollup_free(merged);
    cxm_rollup_free(f);
    cxm_rollup_free(live);
    cxm_rollup_free(half[0]);
    cxm_rollup_free(half[1]);
    free(inst);
    free(ev);
    free(m);
}

/* An SLA policy of four levels, the lowest priority in business hours (Mon-Fri 9-17 UTC). */
static cxm_sla_policy *stream_policy(cxm_calendar **cal)
{
    cxm_calendar_config cc = {sizeof cc, 0, 7, 0, 0, 0};
    TU_OK(cxm_calendar_new(&cc, &tu_allocator, cal));
    for (uint32_t d = 1; d <= 5; d++)
        TU_OK(cxm_calendar_add_interval(*cal, d, 9 * 3600, 17 * 3600));
    cxm_sla_policy *p = NULL;
    TU_OK(cxm_sla_policy_new(PR, &tu_allocator, &p));
    const int64_t fr[PR] = {3600, 4 * 3600, 8 * 3600, 8 * 3600};
    const int64_t res[PR] = {8 * 3600, 24 * 3600, 48 * 3600, 24 * 3600};
    for (uint32_t q = 0; q < PR; q++) {
        uint32_t mode = q == PR - 1 ? CXM_SLA_BUSINESS_HOURS : CXM_SLA_CALENDAR_TIME;
        TU_OK(cxm_sla_policy_set_target(p, q, CXM_SLA_FIRST_REPLY, fr[q], mode));
        TU_OK(cxm_sla_policy_set_target(p, q, CXM_SLA_TOTAL_RESOLUTION, res[q], mode));
    }
    return p;
}

/* Tens of thousands of tickets, a policy with business-hours targets, live mode. */
static void property_live(void **state)
{
    (void)state;
    cxm_calendar *cal = NULL;
    cxm_sla_policy *p = stream_policy(&cal);
    const char *env = getenv("CXM_LIVE_TICKETS");
    size_t n = env ? (size_t)strtoul(env, NULL, 10) : 20000;
    run_stream(0x9E3779B97F4A7C15u, n, 8, p, cal);
    for (uint64_t seed = 2; seed < 12; seed++)
        run_stream(seed * 0x2545F4914F6CDD1Du, 300, 6, p, cal);
    cxm_sla_policy_free(p);
    cxm_calendar_free(cal);
}

/* The same property without a policy (retract and replace in a frozen roll-up). */
static void property_frozen(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed < 6; seed++)
        run_stream(seed * 0xD1B54A32D192ED03u, 2000, 4, NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(replace_by_hand),  cmocka_unit_test(extremes_by_hand),
        cmocka_unit_test(live_sla_by_hand), cmocka_unit_test(decode_checks_the_index),
        cmocka_unit_test(property_live),    cmocka_unit_test(property_frozen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
