/*
 * test_rollup.c — the ticket roll-up: seven hand-made tickets rolled up
 * overall, per channel, topic and priority and per agent; the two FCR
 * profiles disagreeing on the same tickets; contradictory tickets refused
 * with the field named and counted nowhere; capacities; merge of shards;
 * placement and the footprint formula; the exact bytes of the encoding.
 */
#include <math.h>
#include <stdio.h>

#include "live_check.h"
#include "testutil.h"
#include "../examples/ticket_csv.h"

#define C0 1700000000 /* 2023-11-14 22:13:20 UTC */
#define NONE CXM_ROLLUP_NONE

static cxm_ticket tk(uint32_t channel, uint32_t topic, uint32_t priority, uint32_t agent,
                     int64_t reply, int64_t solved, uint32_t agent_replies,
                     uint32_t customer_replies)
{
    cxm_ticket t;
    memset(&t, 0, sizeof t);
    t.size = sizeof t;
    t.created = C0;
    t.first_reply = reply ? C0 + reply : 0;
    t.first_solved = solved ? C0 + solved : 0;
    t.channel = channel;
    t.topic = topic;
    t.priority = priority;
    t.agent = agent;
    t.agent_replies = agent_replies;
    t.customer_replies = customer_replies;
    return t;
}

/*
 * Seven tickets, all created at C0 (times in seconds after it):
 *   #  ch topic prio agent  reply  solved          agent/cust replies
 *   1  0  0     2    0      600    3600            1 / 0   one-touch, FD-FCR
 *   2  0  1     1    1      1200   7200            3 / 0   FD-FCR only
 *   3  1  0     2    0      300    1800            1 / 1   one-touch only
 *   4  1  0     0    1      60     600, again 10800 1 / 0  reopened once: neither
 *   5  1  -     3    -      -      120 self-service 0 / 0  not a contact
 *   6  0  1     2    0      900    open            1 / 0
 *   7  0  0     2    0      1800   5400            2 / 0   FD-FCR only
 * Ticket 1 waited 1000 s on the team (500 s agent work), ticket 2 2000 s.
 */
static void seven(cxm_ticket t[7])
{
    t[0] = tk(0, 0, 2, 0, 600, 3600, 1, 0);
    t[0].requester_wait = 1000;
    t[0].agent_work = 500;
    t[1] = tk(0, 1, 1, 1, 1200, 7200, 3, 0);
    t[1].requester_wait = 2000;
    t[2] = tk(1, 0, 2, 0, 300, 1800, 1, 1);
    t[3] = tk(1, 0, 0, 1, 60, 600, 1, 0);
    t[3].reopens = 1;
    t[3].last_solved = C0 + 10800;
    t[4] = tk(1, NONE, 3, NONE, 0, 120, 0, 0);
    t[4].flags = CXM_TICKET_SELF_SERVICE;
    t[5] = tk(0, 1, 2, 0, 900, 0, 1, 0);
    t[6] = tk(0, 0, 2, 0, 1800, 5400, 2, 0);
}

static const cxm_rollup_options OPTS = {
    .size = sizeof(cxm_rollup_options), .channels = 2, .topics = 2, .priorities = 4, .agents = 2};

static cxm_rollup *mk(uint32_t profile, const cxm_rollup_options *o)
{
    cxm_rollup *r = NULL;
    TU_OK(cxm_rollup_new(profile, o, &tu_allocator, &r));
    return r;
}

static cxm_sla_policy *policy_of_levels(uint32_t levels)
{
    cxm_sla_policy *p = NULL;
    TU_OK(cxm_sla_policy_new(levels, &tu_allocator, &p));
    return p;
}

static void set_target(cxm_sla_policy *p, uint32_t prio, uint32_t metric, int64_t s)
{
    TU_OK(cxm_sla_policy_set_target(p, prio, metric, s, CXM_SLA_CALENDAR_TIME));
}

static cxm_rollup_result group(const cxm_rollup *r, uint32_t g, uint32_t id)
{
    cxm_rollup_result x = {.size = sizeof x};
    TU_OK(cxm_rollup_result_get(r, g, id, 0.95, &x));
    return x;
}

static void hand_computed_rollup(void **state)
{
    (void)state;
    cxm_ticket t[7];
    seven(t);
    cxm_rollup *r = mk(CXM_FCR_ZENDESK, &OPTS);
    size_t bad = 99;
    uint32_t field = 99;
    TU_OK(cxm_rollup_add_many(r, t, 7, &bad, &field));
    assert_int_equal(bad, 99);
    assert_int_equal(field, CXM_TICKET_FIELD_NONE);

    cxm_rollup_result o = group(r, CXM_ROLLUP_OVERALL, 0);
    assert_int_equal(o.fcr_profile, CXM_FCR_ZENDESK);
    assert_int_equal(o.tickets, 7);
    assert_int_equal(o.solved, 6); /* all but #6 */
    assert_int_equal(o.open, 1);
    assert_int_equal(o.ever_solved, 6);
    assert_int_equal(o.reopened, 1);
    assert_int_equal(o.reopens, 1);
    assert_int_equal(o.self_service, 1);
    assert_int_equal(o.assisted, 5);
    assert_int_equal(o.replied, 6);       /* all but #5 */
    assert_int_equal(o.agent_replies, 9); /* 1+3+1+1+0+1+2 */
    assert_int_equal(o.customer_replies, 1);
    /* One-touch: #1 and #3 of the assisted solves #1, #2, #3, #4, #7 -> 2/5. */
    assert_int_equal(o.fcr.use, CXM_RATE_FCR);
    assert_int_equal(o.fcr.definition, CXM_FCR_ZENDESK);
    assert_int_equal(o.fcr.successes, 2);
    assert_int_equal(o.fcr.trials, 5);
    TU_NEAR(o.fcr.rate, 0.4, 1e-15);
    /* Reopen rate 1/6 (of the ever solved); deflection 1/6 (of the solved). */
    assert_int_equal(o.reopen.use, CXM_RATE_REOPEN);
    assert_true(o.reopen.successes == 1 && o.reopen.trials == 6);
    assert_int_equal(o.deflection.use, CXM_RATE_DEFLECTION);
    assert_true(o.deflection.successes == 1 && o.deflection.trials == 6);
    /* Wilson 2 of 5 at 95%: [0.117621, 0.769276] (as cxm_wilson_interval). */
    cxm_interval w;
    TU_OK(cxm_wilson_interval(2, 5, 0.95, &w));
    assert_true(o.fcr.ci.lower == w.lower && o.fcr.ci.upper == w.upper);
    TU_NEAR(w.lower, 0.11762077423264793, 1e-9);

    /* Channel 0 = #1, #2, #6, #7; one-touch #1 of #1, #2, #7. */
    cxm_rollup_result c = group(r, CXM_ROLLUP_CHANNEL, 0);
    assert_true(c.group == CXM_ROLLUP_CHANNEL && c.id == 0);
    assert_true(c.tickets == 4 && c.solved == 3 && c.open == 1);
    assert_true(c.fcr.successes == 1 && c.fcr.trials == 3);
    /* Channel 1 = #3, #4, #5: one self-service, one-touch #3 of #3, #4. */
    c = group(r, CXM_ROLLUP_CHANNEL, 1);
    assert_true(c.tickets == 3 && c.solved == 3 && c.self_service == 1 && c.assisted == 2);
    assert_true(c.fcr.successes == 1 && c.fcr.trials == 2);
    assert_true(c.deflection.successes == 1 && c.deflection.trials == 3);
    /* Topics: 0 = #1, #3, #4, #7; 1 = #2, #6; #5 has none. */
    assert_int_equal(group(r, CXM_ROLLUP_TOPIC, 0).tickets, 4);
    assert_int_equal(group(r, CXM_ROLLUP_TOPIC, 1).tickets, 2);
    /* Priorities: 0 = #4, 1 = #2, 2 = #1, #3, #6, #7, 3 = #5. */
    assert_int_equal(group(r, CXM_ROLLUP_PRIORITY, 0).tickets, 1);
    assert_int_equal(group(r, CXM_ROLLUP_PRIORITY, 1).tickets, 1);
    assert_int_equal(group(r, CXM_ROLLUP_PRIORITY, 2).tickets, 4);
    assert_int_equal(group(r, CXM_ROLLUP_PRIORITY, 3).tickets, 1);
    /* Agents: 0 = #1, #3, #6, #7 (3 solved); 1 = #2, #4 (2 solved). */
    cxm_rollup_agent_result a = {.size = sizeof a};
    TU_OK(cxm_rollup_agent_get(r, 0, &a));
    assert_true(a.agent == 0 && a.tickets == 4 && a.solved == 3);
    TU_OK(cxm_rollup_agent_get(r, 1, &a));
    assert_true(a.agent == 1 && a.tickets == 2 && a.solved == 2);

    /*
     * First reply time: 600, 1200, 300, 60, 900, 1800 (n 6, sum 4860, mean
     * 810); sorted 60 300 600 900 1200 1800: median rank floor(0.5 * 5) = 2
     * -> 600, p90 rank floor(0.9 * 5) = 4 -> 1200, each within 1/129.
     */
    cxm_duration_result tr = {.size = sizeof tr};
    TU_OK(cxm_rollup_duration_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, 0.0, &tr));
    assert_int_equal(tr.n, 6);
    TU_NEAR(tr.mean, 810.0, 1e-9);
    assert_true(tr.min == 60.0 && tr.max == 1800.0);
    TU_NEAR(tr.median, 600.0, 600.0 / 129.0);
    TU_NEAR(tr.p90, 1200.0, 1200.0 / 129.0);
    /* The short form gives the same numbers. */
    cxm_rollup_time_result ts = {.size = sizeof ts};
    TU_OK(cxm_rollup_time_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, &ts));
    assert_true(ts.n == 6 && ts.mean == tr.mean && ts.median == tr.median && ts.p90 == tr.p90);
    assert_true(ts.time == CXM_ROLLUP_FIRST_REPLY && ts.group == CXM_ROLLUP_OVERALL);
    /* Full resolution (MTTR): 3600 7200 1800 10800 120 5400 -> mean 28920/6 = 4820. */
    TU_OK(cxm_rollup_duration_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FULL_RESOLUTION, 0.0, &tr));
    assert_int_equal(tr.n, 6);
    TU_NEAR(tr.mean, 4820.0, 1e-9);
    TU_NEAR(tr.median, 3600.0, 3600.0 / 129.0);
    TU_NEAR(tr.p90, 7200.0, 7200.0 / 129.0);
    /* First resolution: #4 counts 600, not 10800 -> sum 18720, mean 3120. */
    TU_OK(cxm_rollup_duration_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_RESOLUTION, 0.0, &tr));
    TU_NEAR(tr.mean, 3120.0, 1e-9);
    /* Requester wait over the 6 solved tickets: (1000 + 2000) / 6 = 500. */
    TU_OK(cxm_rollup_duration_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_REQUESTER_WAIT, 0.0, &tr));
    assert_int_equal(tr.n, 6);
    TU_NEAR(tr.mean, 500.0, 1e-9);
    /* Channel 1 resolution: 1800, 10800, 120 -> min 120, max 10800, mean 4240. */
    TU_OK(cxm_rollup_duration_get(r, CXM_ROLLUP_CHANNEL, 1, CXM_ROLLUP_FULL_RESOLUTION, 0.0, &tr));
    assert_true(tr.n == 3 && tr.min == 120.0 && tr.max == 10800.0);
    TU_NEAR(tr.mean, 4240.0, 1e-9);
    double q = 0;
    TU_OK(cxm_rollup_quantile(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, 1.0, &q));
    assert_true(q == 1800.0);
    TU_ST(cxm_rollup_quantile(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, 1.5, &q),
          CXM_OUT_OF_RANGE);
    cxm_rollup_free(r);
}

/* The same seven tickets under the two profiles: the vectors that disagree. */
static void profiles_disagree(void **state)
{
    (void)state;
    cxm_ticket t[7];
    seven(t);
    cxm_rollup *zd = mk(CXM_FCR_ZENDESK, &OPTS), *fd = mk(CXM_FCR_FRESHDESK, &OPTS);
    TU_OK(cxm_rollup_add_many(zd, t, 7, NULL, NULL));
    TU_OK(cxm_rollup_add_many(fd, t, 7, NULL, NULL));
    cxm_rollup_result a = group(zd, CXM_ROLLUP_OVERALL, 0);
    cxm_rollup_result b = group(fd, CXM_ROLLUP_OVERALL, 0);
    /* Zendesk one-touch: #1, #3 -> 2/5. Freshdesk: #1, #2, #7 -> 3/5. */
    assert_true(a.fcr.successes == 2 && a.fcr.trials == 5);
    assert_true(b.fcr.successes == 3 && b.fcr.trials == 5);
    assert_int_equal(b.fcr_profile, CXM_FCR_FRESHDESK);
    assert_int_equal(b.fcr.definition, CXM_FCR_FRESHDESK);
    /* Ticket by ticket: */
    const int zendesk[7] = {1, 0, 1, 0, -1, -1, 0}; /* -1: not a trial */
    const int freshdesk[7] = {1, 1, 0, 0, -1, -1, 1};
    for (int i = 0; i < 7; i++) {
        cxm_rollup *x = mk(CXM_FCR_ZENDESK, &OPTS), *y = mk(CXM_FCR_FRESHDESK, &OPTS);
        TU_OK(cxm_rollup_add(x, &t[i], NULL));
        TU_OK(cxm_rollup_add(y, &t[i], NULL));
        cxm_rollup_result rx = group(x, CXM_ROLLUP_OVERALL, 0);
        cxm_rollup_result ry = group(y, CXM_ROLLUP_OVERALL, 0);
        assert_int_equal(rx.fcr.trials, zendesk[i] >= 0);
        assert_int_equal(rx.fcr.successes, zendesk[i] == 1);
        assert_int_equal(ry.fcr.trials, freshdesk[i] >= 0);
        assert_int_equal(ry.fcr.successes, freshdesk[i] == 1);
        cxm_rollup_free(x);
        cxm_rollup_free(y);
    }
    /* Everything but FCR is the same; the two never merge. */
    assert_true(a.tickets == b.tickets && a.reopen.successes == b.reopen.successes);
    TU_ST(cxm_rollup_merge(zd, fd), CXM_KIND_MISMATCH);
    assert_string_equal(cxm_fcr_profile_str(CXM_FCR_ZENDESK), "zendesk");
    assert_string_equal(cxm_fcr_profile_str(CXM_FCR_FRESHDESK), "freshdesk");
    assert_string_equal(cxm_fcr_profile_str(0), "unknown");
    cxm_rollup_free(zd);
    cxm_rollup_free(fd);
}

static void contradictions_are_refused(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("rollup");
    cxm_ticket t[7];
    seven(t);
    cxm_rollup *r = mk(CXM_FCR_ZENDESK, &OPTS);
    TU_OK(cxm_rollup_add_many(r, t, 7, NULL, NULL));
    tu_snap s = tu_snapshot(f, r);

    struct {
        cxm_ticket t;
        cxm_status st;
        uint32_t field;
    } bad[32];
    size_t nb = 0;
#define BAD(expr, status, fld)                                                                     \
    do {                                                                                           \
        cxm_ticket x = tk(0, 0, 2, 0, 600, 3600, 1, 0);                                            \
        expr;                                                                                      \
        bad[nb].t = x;                                                                             \
        bad[nb].st = status;                                                                       \
        bad[nb].field = fld;                                                                       \
        nb++;                                                                                      \
    } while (0)
    BAD(x.first_solved = C0 - 1, CXM_BAD_ORDER, CXM_TICKET_FIELD_FIRST_SOLVED);
    BAD(x.first_reply = C0 - 60, CXM_BAD_ORDER, CXM_TICKET_FIELD_FIRST_REPLY);
    BAD((x.reopens = 1, x.last_solved = C0 + 100), CXM_BAD_ORDER, CXM_TICKET_FIELD_LAST_SOLVED);
    BAD(x.created = 0, CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_CREATED);
    BAD((x.first_solved = 0, x.last_solved = C0 + 5), CXM_OUT_OF_RANGE,
        CXM_TICKET_FIELD_LAST_SOLVED);
    BAD((x.first_solved = 0, x.reopens = 2), CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_REOPENS);
    BAD(x.last_solved = C0 + 7200, CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_REOPENS);
    BAD(x.requester_wait = NAN, CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_REQUESTER_WAIT);
    BAD(x.agent_work = -1.0, CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_AGENT_WORK);
    BAD(x.on_hold = INFINITY, CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_ON_HOLD);
    BAD(x.flags = 32, CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_FLAGS);
    BAD((x.flags = CXM_TICKET_HAS_NPS, x.nps = 11), CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_NPS);
    BAD((x.flags = CXM_TICKET_HAS_NPS, x.nps = -1), CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_NPS);
    BAD(x.handle_time = -2.0, CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_HANDLE_TIME);
    BAD(x.flags = CXM_TICKET_UNRESOLVED, CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_FLAGS);
    BAD((x.flags = CXM_TICKET_SELF_SERVICE, x.transfers = 1), CXM_OUT_OF_RANGE,
        CXM_TICKET_FIELD_TRANSFERS);
    BAD((x.flags = CXM_TICKET_HAS_CSAT, x.csat = 6), CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_CSAT);
    BAD((x.flags = CXM_TICKET_HAS_CSAT, x.csat = 0), CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_CSAT);
    BAD((x.flags = CXM_TICKET_HAS_CES, x.ces = 8), CXM_OUT_OF_RANGE, CXM_TICKET_FIELD_CES);
    BAD((x.flags = CXM_TICKET_SELF_SERVICE, x.first_solved = 0), CXM_OUT_OF_RANGE,
        CXM_TICKET_FIELD_FLAGS);
    BAD(x.priority = 4, CXM_CAPACITY, CXM_TICKET_FIELD_PRIORITY);
    BAD(x.channel = 2, CXM_CAPACITY, CXM_TICKET_FIELD_CHANNEL);
    BAD(x.topic = 7, CXM_CAPACITY, CXM_TICKET_FIELD_TOPIC);
    BAD(x.agent = 2, CXM_CAPACITY, CXM_TICKET_FIELD_AGENT);
    BAD(x.reserved = 1, CXM_INVALID_ARGUMENT, CXM_TICKET_FIELD_SIZE);
    BAD(x.size = 12, CXM_INVALID_ARGUMENT, CXM_TICKET_FIELD_SIZE);
    BAD(x.size = 95, CXM_INVALID_ARGUMENT, CXM_TICKET_FIELD_SIZE);
    /* Created in the far past: the resolution time exceeds what any sketch takes. */
    BAD((x.created = INT64_MIN / 2, x.first_reply = 0), CXM_OUT_OF_RANGE,
        CXM_TICKET_FIELD_FIRST_SOLVED);
#undef BAD
    for (size_t i = 0; i < nb; i++) {
        uint32_t field = 99;
        TU_ST(cxm_rollup_add(r, &bad[i].t, &field), bad[i].st);
        assert_int_equal(field, bad[i].field);
        assert_string_not_equal(cxm_ticket_field_str(field), "unknown");
    }
    TU_ST(cxm_rollup_add(r, NULL, NULL), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_rollup_add(NULL, &t[0], NULL), CXM_INVALID_ARGUMENT);
    tu_assert_same(f, r, s);

    /* A batch is all or nothing and names the ticket and the field. */
    cxm_ticket batch[30];
    for (int i = 0; i < 30; i++)
        batch[i] = t[i % 7];
    batch[21].first_solved = C0 - 3600; /* solved an hour before it was created */
    size_t at = 0;
    uint32_t field = 0;
    TU_ST(cxm_rollup_add_many(r, batch, 30, &at, &field), CXM_BAD_ORDER);
    assert_int_equal(at, 21);
    assert_int_equal(field, CXM_TICKET_FIELD_FIRST_SOLVED);
    batch[21] = t[0];
    batch[29].channel = 9;
    TU_ST(cxm_rollup_add_many(r, batch, 30, &at, &field), CXM_CAPACITY);
    assert_int_equal(at, 29);
    assert_int_equal(field, CXM_TICKET_FIELD_CHANNEL);
    batch[29] = t[1];
    batch[3].size = 16;
    TU_ST(cxm_rollup_add_many(r, batch, 30, &at, &field), CXM_INVALID_ARGUMENT);
    assert_int_equal(at, 3);
    TU_ST(cxm_rollup_add_many(r, NULL, 1, &at, &field), CXM_INVALID_ARGUMENT);

    /* Result calls outside the capacities or with bad arguments change nothing. */
    cxm_rollup_result res = {.size = sizeof res};
    TU_ST(cxm_rollup_result_get(r, CXM_ROLLUP_CHANNEL, 2, 0.0, &res), CXM_CAPACITY);
    TU_ST(cxm_rollup_result_get(r, CXM_ROLLUP_PRIORITY, 4, 0.0, &res), CXM_CAPACITY);
    TU_ST(cxm_rollup_result_get(r, 9, 0, 0.0, &res), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_rollup_result_get(r, CXM_ROLLUP_OVERALL, 0, 2.0, &res), CXM_OUT_OF_RANGE);
    res.size = 8;
    TU_ST(cxm_rollup_result_get(r, CXM_ROLLUP_OVERALL, 0, 0.0, &res), CXM_INVALID_ARGUMENT);
    cxm_duration_result tr = {.size = sizeof tr};
    TU_ST(cxm_rollup_duration_get(r, CXM_ROLLUP_OVERALL, 0, 7, 0.0, &tr), CXM_INVALID_ARGUMENT);
    cxm_rollup_agent_result ar = {.size = sizeof ar};
    TU_ST(cxm_rollup_agent_get(r, 2, &ar), CXM_CAPACITY);
    tu_assert_same(f, r, s);
    tu_snap_free(s);
    cxm_rollup_free(r);
}

static void boundaries_and_empty(void **state)
{
    (void)state;
    cxm_rollup *r = mk(CXM_FCR_FRESHDESK, NULL); /* overall and 4 priorities only */
    cxm_rollup_result o = {.size = sizeof o};
    TU_ST(cxm_rollup_result_get(r, CXM_ROLLUP_OVERALL, 0, 0.0, &o), CXM_EMPTY);
    assert_true(o.tickets == 0 && o.fcr.rate == 0.0 && !isnan(o.fcr.rate));
    cxm_duration_result tr = {.size = sizeof tr};
    TU_ST(cxm_rollup_duration_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_ON_HOLD, 0.0, &tr),
          CXM_EMPTY);
    /* No channel capacity: only CXM_ROLLUP_NONE is a valid channel. */
    cxm_ticket t = tk(NONE, NONE, 3, NONE, 0, 0, 0, 0);
    TU_OK(cxm_rollup_add(r, &t, NULL));
    t.channel = 0;
    uint32_t field = 0;
    TU_ST(cxm_rollup_add(r, &t, &field), CXM_CAPACITY);
    assert_int_equal(field, CXM_TICKET_FIELD_CHANNEL);
    /* Equal timestamps are in order: replied and solved the second it came in. */
    t = tk(NONE, NONE, 0, NONE, 0, 0, 1, 0);
    t.first_reply = t.first_solved = t.created;
    TU_OK(cxm_rollup_add(r, &t, &field));
    TU_OK(cxm_rollup_duration_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FULL_RESOLUTION, 0.0, &tr));
    assert_true(tr.n == 1 && tr.mean == 0.0 && tr.max == 0.0);
    /* Reopened and open again: ever solved, reopened, not solved now, no FCR trial. */
    t = tk(NONE, NONE, 0, NONE, 60, 120, 1, 0);
    t.reopens = 1;
    TU_OK(cxm_rollup_add(r, &t, &field));
    TU_OK(cxm_rollup_result_get(r, CXM_ROLLUP_OVERALL, 0, 0.0, &o));
    assert_true(o.tickets == 3 && o.solved == 1 && o.ever_solved == 2 && o.reopened == 1);
    assert_true(o.fcr.trials == 1 && o.fcr.successes == 1);
    /* Priority groups split every ticket. */
    uint64_t sum = 0;
    for (uint32_t p = 0; p < 4; p++) {
        cxm_rollup_result g = {.size = sizeof g};
        cxm_status st = cxm_rollup_result_get(r, CXM_ROLLUP_PRIORITY, p, 0.0, &g);
        assert_true(st == CXM_OK || st == CXM_EMPTY);
        sum += g.tickets;
    }
    assert_int_equal(sum, 3);
    cxm_rollup_free(r);
}

/*
 * The sketches' pool: 4 pages, one time kept, three groups (overall,
 * channel 0, priority 0). A first reply in a new octave takes a page in
 * each group's sketch; whatever would need more pages than are free is
 * CXM_CAPACITY and changes nothing; retractions give the pages back.
 */
/*
 * add_many derives each ticket once: the records of a batch's first
 * tickets kept in free pool pages when the pool has room for them above
 * every page their adds could take, the others (or all, without that room)
 * derived again a chunk at a time on the stack. Either way the result is
 * that of the same adds one by one, and a refused batch changes nothing.
 */
static void add_many_is_the_adds(void **state)
{
    (void)state;
    enum { N = 4200 };
    cxm_ticket *t = test_malloc(N * sizeof *t);
    uint64_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        uint32_t h = (uint32_t)(x >> 33);
        int64_t reply = 1 + (int64_t)(h % 86400u), solve = reply + 1 + (int64_t)(h % 977u) * 37;
        t[i] = tk(h % 2, h % 3 == 2 ? NONE : h % 2, h % 4, h % 3 == 0 ? NONE : h % 2, reply,
                  h % 5 == 0 ? 0 : solve, 1 + h % 3, h % 2);
        t[i].requester_wait = (double)(h % 5000u);
        t[i].handle_time = 30.0 + (double)(h % 700u);
        if (h % 3 == 0) {
            t[i].flags |= CXM_TICKET_HAS_CSAT;
            t[i].csat = 1 + (int32_t)(h % 5u);
        }
    }
    const cxm_family_ops *f = cxm_family_find("rollup");
    /* Budgets: room to keep the records of the batch's first tickets (not all 4,200: the rest
     * are derived again); room for none (60 tickets could take 60 x 9 x 7 pages, more than
     * 1,500), yet enough for the data. */
    const uint64_t budget[2] = {16u << 20, 1500 * CXM_ROLLUP_PAGE_BYTES};
    const size_t n[2] = {N, 60};
    for (int k = 0; k < 2; k++) {
        cxm_rollup_options o = OPTS;
        o.memory_budget = budget[k];
        cxm_rollup *a = mk(CXM_FCR_ZENDESK, &o), *b = mk(CXM_FCR_ZENDESK, &o);
        TU_OK(cxm_rollup_add(a, &t[0], NULL));
        TU_OK(cxm_rollup_add(b, &t[0], NULL));
        /* The last ticket refused: nothing changes, the ticket and field are named. */
        tu_snap s = tu_snapshot(f, a);
        cxm_ticket last = t[n[k] - 1];
        t[n[k] - 1].first_reply = C0 - 1;
        size_t at = 0;
        uint32_t field = 0;
        TU_ST(cxm_rollup_add_many(a, t, n[k], &at, &field), CXM_BAD_ORDER);
        assert_int_equal(at, n[k] - 1);
        assert_int_equal(field, CXM_TICKET_FIELD_FIRST_REPLY);
        tu_assert_same(f, a, s);
        tu_snap_free(s);
        t[n[k] - 1] = last;
        TU_OK(cxm_rollup_add_many(a, t, n[k], &at, &field));
        for (size_t i = 0; i < n[k]; i++)
            TU_OK(cxm_rollup_add(b, &t[i], NULL));
        tu_snap sb = tu_snapshot(f, b);
        tu_assert_same(f, a, sb);
        tu_snap_free(sb);
        cxm_rollup_free(a);
        cxm_rollup_free(b);
    }
    test_free(t);
}

static void memory_budget_refusals(void **state)
{
    (void)state;
    cxm_rollup_options o = {.size = sizeof o,
                            .channels = 1,
                            .priorities = 1,
                            .times = 1u << CXM_ROLLUP_FIRST_REPLY,
                            .memory_budget = 4 * CXM_ROLLUP_PAGE_BYTES};
    cxm_rollup *r = mk(CXM_FCR_ZENDESK, &o);
    size_t used = 0, avail = 0;
    TU_OK(cxm_rollup_memory(r, &used, &avail));
    assert_int_equal(avail, 4 * 64);
    assert_int_equal(used + avail, cxm_rollup_footprint(&o));
    TU_ST(cxm_rollup_memory(NULL, &used, &avail), CXM_INVALID_ARGUMENT);
    const cxm_ticket a = tk(0, NONE, 0, NONE, 60, 0, 1, 0), b = a;
    const cxm_ticket c = tk(0, NONE, 0, NONE, 7200, 0, 1, 0);
    TU_OK(cxm_rollup_add(r, &a, NULL));
    TU_OK(cxm_rollup_add(r, &b, NULL)); /* same bucket: no page */
    TU_OK(cxm_rollup_memory(r, &used, &avail));
    assert_int_equal(avail, 64);
    const cxm_family_ops *f = cxm_family_find("rollup");
    tu_snap s = tu_snapshot(f, r);
    TU_ST(cxm_rollup_add(r, &c, NULL), CXM_CAPACITY);
    tu_assert_same(f, r, s);
    TU_ST(cxm_rollup_replace(r, &b, &c, NULL), CXM_CAPACITY); /* a keeps b's pages */
    tu_assert_same(f, r, s);
    /* A batch whose second ticket runs the pool out: nothing changes, not even the extremes
     * the first one (50 s, a new min in a page already there) would have moved. */
    const cxm_ticket e = tk(0, NONE, 0, NONE, 50, 0, 1, 0);
    const cxm_ticket many[2] = {e, c};
    size_t bad = 0;
    TU_ST(cxm_rollup_add_many(r, many, 2, &bad, NULL), CXM_CAPACITY);
    assert_int_equal(bad, 1);
    tu_assert_same(f, r, s);
    assert_int_equal(group(r, CXM_ROLLUP_OVERALL, 0).tickets, 2);
    cxm_rollup_time_result t = {.size = sizeof t};
    TU_OK(cxm_rollup_time_get(r, CXM_ROLLUP_CHANNEL, 0, CXM_ROLLUP_FIRST_REPLY, &t));
    assert_true(t.n == 2 && t.min == 60.0 && t.max == 60.0);
    tu_snap_free(s);
    /* A merge needing more pages than dst has free: refused, dst unchanged. */
    cxm_rollup *src = mk(CXM_FCR_ZENDESK, &o);
    TU_OK(cxm_rollup_add(src, &c, NULL));
    s = tu_snapshot(f, r);
    TU_ST(cxm_rollup_merge(r, src), CXM_CAPACITY);
    tu_assert_same(f, r, s);
    tu_snap_free(s);
    /* Both records out: every page back; now the merge fits. */
    TU_OK(cxm_rollup_retract(r, &a, NULL));
    TU_OK(cxm_rollup_retract(r, &b, NULL));
    TU_OK(cxm_rollup_memory(r, &used, &avail));
    assert_int_equal(avail, 4 * 64);
    TU_OK(cxm_rollup_merge(r, src));
    TU_OK(cxm_rollup_time_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, &t));
    assert_true(t.n == 1 && t.min == 7200.0);
    /* The budget travels with the encoding; a decoded roll-up refuses the same adds. */
    uint8_t buf[4096];
    size_t len = 0;
    TU_OK(cxm_rollup_encode(r, buf, sizeof buf, &len));
    cxm_rollup *d = NULL;
    TU_OK(cxm_rollup_decode(buf, len, &tu_allocator, &d));
    TU_ST(cxm_rollup_add(d, &a, NULL), CXM_CAPACITY);
    /* The pool claimed (u32 at offset 64) must hold the sketches' pages and stay within
     * CXM_ROLLUP_MAX_MEMORY; checked before allocating. */
    assert_int_equal(buf[64], 4);
    buf[64] = 2;
    cxm_rollup *bad_d = NULL;
    TU_ST(cxm_rollup_decode(buf, len, &tu_allocator, &bad_d), CXM_BAD_FORMAT);
    buf[64] = 0xFF;
    buf[67] = 0x7F;
    TU_ST(cxm_rollup_decode(buf, len, &tu_allocator, &bad_d), CXM_BAD_FORMAT);
    assert_null(bad_d);
    cxm_rollup_options back = {.size = sizeof back};
    uint32_t profile = 0;
    TU_OK(cxm_rollup_config(d, &profile, &back));
    assert_int_equal(back.memory_budget, 4 * CXM_ROLLUP_PAGE_BYTES);
    cxm_rollup_free(d);
    cxm_rollup_free(src);
    cxm_rollup_free(r);
}

static void creation_and_footprint(void **state)
{
    (void)state;
    cxm_rollup *r = NULL;
    TU_ST(cxm_rollup_new(0, NULL, NULL, &r), CXM_INVALID_ARGUMENT); /* no profile guessed */
    TU_ST(cxm_rollup_new(3, NULL, NULL, &r), CXM_INVALID_ARGUMENT);
    cxm_rollup_options o = OPTS;
    o.channels = CXM_ROLLUP_MAX_CHANNELS + 1;
    TU_ST(cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &r), CXM_INVALID_ARGUMENT);
    assert_int_equal(cxm_rollup_footprint(&o), 0);
    o = OPTS;
    o.times = 1u << CXM_ROLLUP_TIMES;
    TU_ST(cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &r), CXM_INVALID_ARGUMENT);
    o = OPTS;
    o.priorities = CXM_ROLLUP_MAX_PRIORITIES + 1;
    TU_ST(cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &r), CXM_INVALID_ARGUMENT);
    assert_null(r);

    /*
     * The footprint formula: a fixed part, header + (1 + channels + topics +
     * priorities) x (1,944 + k x 256) + agents x 16 rounded up to 64 bytes
     * (LP64), then the pool: 64 + memory_budget / 68 pages x 68 bytes,
     * rounded up to 64. With a fixed budget, the fixed part alone moves.
     */
    o = OPTS;
    o.memory_budget = 68 * 1000;
    size_t base = cxm_rollup_footprint(&o);
    const int lp64 = sizeof(void *) == 8;
    o.agents += 8; /* 8 agent groups: as many bytes as 8 channels */
    if (lp64) assert_int_equal(cxm_rollup_footprint(&o) - base, 8 * (1944 + 7 * 256));
    o.agents -= 8;
    o.agent_kind = CXM_ROLLUP_AGENT_COUNTS; /* counted apart: 16 bytes an agent */
    size_t counted = cxm_rollup_footprint(&o);
    o.agents += 40; /* 640 bytes: a multiple of 64, no rounding moves */
    assert_int_equal(cxm_rollup_footprint(&o) - counted, 40 * 16);
    o.agents -= 40;
    o.agent_kind = 0;
    o.channels += 8; /* 8 x (1,944 + 7 x 256) = 29,888 bytes, a multiple of 64 */
    if (lp64) assert_int_equal(cxm_rollup_footprint(&o) - base, 8 * (1944 + 7 * 256));
    o.channels -= 8;
    o.memory_budget += 68 * 16; /* 16 pages more: 1,088 bytes, a multiple of 64 */
    assert_int_equal(cxm_rollup_footprint(&o) - base, 16 * 68);
    o.memory_budget = CXM_ROLLUP_MAX_MEMORY + 1;
    assert_int_equal(cxm_rollup_footprint(&o), 0);
    TU_ST(cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &r), CXM_INVALID_ARGUMENT);
    /* The default budget: 32 pages per kept sketch. */
    o = OPTS;
    size_t def = cxm_rollup_footprint(&o);
    o.memory_budget = (uint64_t)(1 + 2 + 2 + 4 + 2) * 7 * 32 * 68; /* 2 agent groups too */
    assert_int_equal(cxm_rollup_footprint(&o), def);

    /* Placement in caller memory. */
    o = OPTS;
    o.times = 1u << CXM_ROLLUP_FULL_RESOLUTION;
    size_t need = cxm_rollup_footprint(&o);
    void *mem = test_malloc(need + 16);
    void *aligned = (void *)(((uintptr_t)mem + 15) & ~(uintptr_t)15);
    TU_ST(cxm_rollup_init_in(aligned, need - 1, CXM_FCR_ZENDESK, &o, &r), CXM_BUFFER_TOO_SMALL);
    TU_OK(cxm_rollup_init_in(aligned, need, CXM_FCR_ZENDESK, &o, &r));
    cxm_ticket t[7];
    seven(t);
    TU_OK(cxm_rollup_add_many(r, t, 7, NULL, NULL));
    cxm_rollup *copy = NULL;
    TU_OK(cxm_rollup_clone(r, &tu_allocator, &copy));
    TU_OK(cxm_rollup_reset(r));
    cxm_rollup_result res = {.size = sizeof res};
    TU_ST(cxm_rollup_result_get(r, CXM_ROLLUP_OVERALL, 0, 0.0, &res), CXM_EMPTY);
    TU_OK(cxm_rollup_result_get(copy, CXM_ROLLUP_OVERALL, 0, 0.0, &res));
    assert_int_equal(res.tickets, 7);
    cxm_duration_result tr = {.size = sizeof tr};
    TU_ST(cxm_rollup_duration_get(copy, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, 0.0, &tr),
          CXM_INVALID_ARGUMENT); /* not kept */
    uint32_t profile = 0;
    cxm_rollup_options got = {.size = sizeof got};
    TU_OK(cxm_rollup_config(copy, &profile, &got));
    assert_int_equal(profile, CXM_FCR_ZENDESK);
    assert_true(got.channels == 2 && got.topics == 2 && got.priorities == 4 && got.agents == 2);
    assert_int_equal(got.times, 1u << CXM_ROLLUP_FULL_RESOLUTION);
    cxm_rollup_free(r); /* placed: frees nothing */
    cxm_rollup_free(copy);
    cxm_rollup_free(NULL);
    test_free(mem);
    assert_int_equal(cxm_rollup_none(), CXM_ROLLUP_NONE);
    assert_int_equal(cxm_rollup_times(), CXM_ROLLUP_TIMES);
    assert_int_equal(cxm_rollup_max_channels(), CXM_ROLLUP_MAX_CHANNELS);
    assert_int_equal(cxm_rollup_max_topics(), CXM_ROLLUP_MAX_TOPICS);
    assert_int_equal(cxm_rollup_max_priorities(), CXM_ROLLUP_MAX_PRIORITIES);
    assert_int_equal(cxm_rollup_max_agents(), CXM_ROLLUP_MAX_AGENTS);
}

/*
 * Callers built against the first cxm_ticket and cxm_rollup_options (before
 * the CSAT, CES and SLA fields) keep working: their sizes are accepted and
 * the fields they do not know read as zero.
 */
static void first_struct_versions(void **state)
{
    (void)state;
    const size_t ticket_v1 = offsetof(cxm_ticket, csat),
                 options_v1 = offsetof(cxm_rollup_options, csat);
    assert_int_equal(ticket_v1, 96);
    assert_int_equal(options_v1, 32);
    unsigned char obuf[sizeof(cxm_rollup_options)];
    memcpy(obuf, &OPTS, options_v1);
    uint32_t osize = (uint32_t)options_v1;
    memcpy(obuf, &osize, sizeof osize);
    cxm_rollup *r = NULL;
    TU_OK(cxm_rollup_new(CXM_FCR_ZENDESK, (const cxm_rollup_options *)(const void *)obuf,
                         &tu_allocator, &r));
    cxm_ticket t[7];
    seven(t);
    /* An array of old-size records: the stride is their size, 96 bytes. */
    unsigned char tbuf[7 * 96];
    for (int i = 0; i < 7; i++) {
        t[i].size = (uint32_t)ticket_v1;
        memcpy(tbuf + 96 * i, &t[i], ticket_v1);
    }
    TU_OK(cxm_rollup_add_many(r, (const cxm_ticket *)(const void *)tbuf, 7, NULL, NULL));
    cxm_rollup *now = mk(CXM_FCR_ZENDESK, &OPTS);
    seven(t);
    TU_OK(cxm_rollup_add_many(now, t, 7, NULL, NULL));
    const cxm_family_ops *f = cxm_family_find("rollup");
    tu_snap s = tu_snapshot(f, now);
    tu_assert_same(f, r, s);
    tu_snap_free(s);
    /* Smaller than the first version is refused. */
    t[0].size = (uint32_t)ticket_v1 - 8;
    uint32_t field = 0;
    TU_ST(cxm_rollup_add(r, &t[0], &field), CXM_INVALID_ARGUMENT);
    assert_int_equal(field, CXM_TICKET_FIELD_SIZE);
    cxm_rollup_free(r);
    cxm_rollup_free(now);
}

/*
 * Business hours: open 09:00-17:00 UTC every day; first reply within one
 * business hour. Created Tue 2023-11-14 22:13:20 (closed): the clock starts
 * Wed 09:00. A reply at Wed 10:13:20 (C0 + 12 h) used 4400 business s:
 * breached, the breach instant Wed 10:00:00, 800 s late. A reply at Wed
 * 09:13:20 (C0 + 11 h) used 800 s: achieved. A decoded roll-up has no
 * calendar until one is attached.
 */
static void sla_business_hours(void **state)
{
    (void)state;
    cxm_calendar_config cc = {sizeof cc, 0, 7, 0, 0, 0};
    cxm_calendar *cal = NULL;
    TU_OK(cxm_calendar_new(&cc, &tu_allocator, &cal));
    for (uint32_t d = 0; d < 7; d++)
        TU_OK(cxm_calendar_add_interval(cal, d, 9 * 3600, 17 * 3600));
    cxm_sla_policy *p = policy_of_levels(4);
    TU_OK(cxm_sla_policy_set_target(p, 2, CXM_SLA_FIRST_REPLY, 3600, CXM_SLA_BUSINESS_HOURS));
    cxm_rollup_options o = OPTS;
    o.sla_policy = p;
    o.calendar = cal;
    o.sla_as_of = C0 + 86400;
    cxm_rollup *r = mk(CXM_FCR_ZENDESK, &o);
    cxm_sla_policy_free(p);
    cxm_ticket late = tk(0, 0, 2, 0, 12 * 3600, 0, 1, 0);
    cxm_ticket ok = tk(0, 0, 2, 0, 11 * 3600, 0, 1, 0);
    TU_OK(cxm_rollup_add(r, &late, NULL));
    TU_OK(cxm_rollup_add(r, &ok, NULL));
    cxm_sla_result s = {.size = sizeof s};
    TU_OK(cxm_rollup_sla_get(r, CXM_ROLLUP_OVERALL, 0, CXM_SLA_FIRST_REPLY, 0.0, &s));
    assert_true(s.achieved == 1 && s.breached == 1 && s.lateness_max == 800.0);

    const cxm_family_ops *f = cxm_family_find("rollup");
    tu_snap snap = tu_snapshot(f, r);
    cxm_rollup *d = NULL;
    TU_OK(cxm_rollup_decode(snap.bytes, snap.len, &tu_allocator, &d));
    uint32_t field = 99;
    TU_ST(cxm_rollup_add(d, &ok, &field), CXM_BAD_STATE);
    tu_assert_same(f, d, snap);
    TU_OK(cxm_rollup_attach_calendar(d, cal));
    TU_OK(cxm_rollup_add(d, &ok, &field));
    TU_OK(cxm_rollup_sla_get(d, CXM_ROLLUP_OVERALL, 0, CXM_SLA_FIRST_REPLY, 0.0, &s));
    assert_true(s.achieved == 2 && s.breached == 1);
    TU_ST(cxm_rollup_attach_calendar(NULL, cal), CXM_INVALID_ARGUMENT);
    tu_snap_free(snap);
    cxm_rollup_free(d);
    cxm_rollup_free(r);
    cxm_calendar_free(cal);
}

static void shards_merge_exactly(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("rollup");
    cxm_ticket t[7];
    seven(t);
    cxm_rollup *a = mk(CXM_FCR_FRESHDESK, &OPTS), *b = mk(CXM_FCR_FRESHDESK, &OPTS);
    cxm_rollup *all = mk(CXM_FCR_FRESHDESK, &OPTS);
    TU_OK(cxm_rollup_add_many(a, t + 3, 4, NULL, NULL));
    TU_OK(cxm_rollup_add_many(b, t, 3, NULL, NULL));
    TU_OK(cxm_rollup_add_many(all, t, 7, NULL, NULL));
    TU_OK(cxm_rollup_merge(a, b));
    tu_snap s = tu_snapshot(f, all);
    tu_assert_same(f, a, s);
    tu_snap_free(s);
    TU_OK(cxm_rollup_merge(all, all)); /* self-merge doubles */
    cxm_rollup_result o = group(all, CXM_ROLLUP_OVERALL, 0);
    assert_true(o.tickets == 14 && o.fcr.successes == 6 && o.fcr.trials == 10);
    /* Other capacities do not merge. */
    cxm_rollup_options o2 = OPTS;
    o2.topics = 3;
    cxm_rollup *other = mk(CXM_FCR_FRESHDESK, &o2);
    TU_ST(cxm_rollup_merge(a, other), CXM_KIND_MISMATCH);
    cxm_rollup_free(other);
    cxm_rollup_free(a);
    cxm_rollup_free(b);
    cxm_rollup_free(all);
}

static const cxm_rollup_options VEC_OPTS = {.size = sizeof(cxm_rollup_options),
                                            .channels = 2,
                                            .priorities = 1,
                                            .agents = 1,
                                            .times = 1u << CXM_ROLLUP_FIRST_REPLY,
                                            .agent_kind = CXM_ROLLUP_AGENT_COUNTS};

/*
 * Format version 1 (tests/vectors/rollup_v1.hex, written before CSAT, CES
 * and SLA joined the roll-up) still decodes: three tickets on two channels,
 * default scales, no SLA. Re-encoding writes the current version.
 */
static void encoding_vector_v1(void **state)
{
    (void)state;
    uint8_t want[2048];
    size_t wlen = tu_read_vector("rollup_v1.hex", want, sizeof want);
    assert_int_equal(wlen, 724);
    assert_true(want[4] == 1 && want[5] == 0); /* version 1 */
    cxm_rollup *d = NULL;
    TU_OK(cxm_rollup_decode(want, wlen, &tu_allocator, &d));
    cxm_rollup_result o = group(d, CXM_ROLLUP_CHANNEL, 1);
    assert_true(o.tickets == 2 && o.solved == 1 && o.fcr.successes == 0);
    o = group(d, CXM_ROLLUP_OVERALL, 0);
    assert_true(o.tickets == 3 && o.solved == 2 && o.fcr.successes == 1 && o.replied == 2);
    cxm_csat_result c = {.size = sizeof c};
    TU_ST(cxm_rollup_csat_get(d, CXM_ROLLUP_OVERALL, 0, 0.0, &c), CXM_EMPTY);
    assert_true(c.scale_min == 1 && c.scale_max == 5 && c.threshold == 4);
    cxm_sla_result sr = {.size = sizeof sr};
    TU_ST(cxm_rollup_sla_get(d, CXM_ROLLUP_OVERALL, 0, CXM_SLA_FIRST_REPLY, 0.0, &sr),
          CXM_INVALID_ARGUMENT); /* no policy */
    /* The same tickets added today give the same state. */
    cxm_rollup *r = mk(CXM_FCR_ZENDESK, &VEC_OPTS);
    cxm_ticket t[3] = {tk(0, NONE, 0, 0, 600, 3600, 1, 0), tk(1, NONE, 0, NONE, 0, 0, 0, 0),
                       tk(1, NONE, 0, 0, 60, 120, 2, 1)};
    TU_OK(cxm_rollup_add_many(r, t, 3, NULL, NULL));
    const cxm_family_ops *f = cxm_family_find("rollup");
    tu_snap s = tu_snapshot(f, r);
    tu_assert_same(f, d, s);
    assert_true(s.bytes[4] == 4 && s.bytes[5] == 0); /* written as version 4 */
    tu_snap_free(s);
    cxm_rollup_free(d);
    cxm_rollup_free(r);
}

/*
 * 0 means "not set": a report instant before 1970 must not be compared with
 * an unset reply or solve. A report instant outside the calendar's range
 * is refused at creation (and on decode), not blamed on every ticket.
 */
static void sla_edges_unset_times_and_report_instant(void **state)
{
    (void)state;
    cxm_sla_policy *p = policy_of_levels(1);
    set_target(p, 0, CXM_SLA_FIRST_REPLY, 1800);
    set_target(p, 0, CXM_SLA_TOTAL_RESOLUTION, 3600);
    cxm_rollup_options o = {.size = sizeof o};
    o.priorities = 1;
    o.sla_policy = p;
    const int64_t bad_as_of[4] = {INT64_MAX, INT64_MIN, CXM_CALENDAR_MAX_TIME + 1,
                                  CXM_CALENDAR_MIN_TIME - 1};
    for (int i = 0; i < 4; i++) {
        o.sla_as_of = bad_as_of[i];
        cxm_rollup *r = NULL;
        TU_ST(cxm_rollup_new(CXM_FCR_ZENDESK, &o, &tu_allocator, &r), CXM_INVALID_ARGUMENT);
        assert_null(r);
        assert_int_equal(cxm_rollup_footprint(&o), 0);
    }

    /* 1969: created ten days before the report instant, no reply, no solve. */
    o.sla_as_of = -86400;
    cxm_rollup *r = mk(CXM_FCR_ZENDESK, &o);
    cxm_ticket t = tk(NONE, NONE, 0, NONE, 0, 0, 0, 0);
    t.created = -11 * 86400;
    uint32_t field = 99;
    TU_OK(cxm_rollup_add(r, &t, &field));
    assert_int_equal(field, CXM_TICKET_FIELD_NONE);
    cxm_sla_result sr = {.size = sizeof sr};
    TU_ST(cxm_rollup_sla_get(r, CXM_ROLLUP_OVERALL, 0, CXM_SLA_FIRST_REPLY, 0.0, &sr), CXM_EMPTY);
    assert_int_equal(sr.active, 1);
    assert_int_equal(sr.active_past_due, 1);
    /* A reply after the report instant is still refused, and named. */
    t.first_reply = -3600;
    TU_ST(cxm_rollup_add(r, &t, &field), CXM_BAD_ORDER);
    assert_int_equal(field, CXM_TICKET_FIELD_FIRST_REPLY);
    /* A set time beyond the calendar's range is named, not blamed on `created`. */
    cxm_rollup_free(r);
    o.sla_as_of = CXM_CALENDAR_MAX_TIME;
    r = mk(CXM_FCR_ZENDESK, &o);
    t = tk(NONE, NONE, 0, NONE, 0, 0, 0, 0);
    t.created = CXM_CALENDAR_MIN_TIME - 10;
    TU_ST(cxm_rollup_add(r, &t, &field), CXM_OUT_OF_RANGE);
    assert_int_equal(field, CXM_TICKET_FIELD_CREATED);
    cxm_rollup_free(r);
    cxm_sla_policy_free(p);
}

/* Tickets with CSAT answers under an SLA policy, as encoded in version 2. */
/*
 * Three tickets of the vectors; `grown`: the agent as a group and the
 * cross channel x agent (two cells), as version 4 writes them; else the
 * agent counted apart, as versions 1 to 3 had it.
 */
static cxm_rollup *vector_v2(int grown)
{
    cxm_sla_policy *p = policy_of_levels(1);
    set_target(p, 0, CXM_SLA_FIRST_REPLY, 1800);
    set_target(p, 0, CXM_SLA_TOTAL_RESOLUTION, 3600);
    cxm_rollup_options o = VEC_OPTS;
    o.sla_policy = p;
    o.sla_as_of = C0 + 7200;
    if (grown) {
        o.agent_kind = CXM_ROLLUP_AGENT_GROUPS;
        o.crosses = 1;
        o.cross[0] = (cxm_rollup_cross){CXM_ROLLUP_CHANNEL, CXM_ROLLUP_AGENT};
    }
    cxm_rollup *r = mk(CXM_FCR_ZENDESK, &o);
    cxm_sla_policy_free(p);
    cxm_ticket t[3] = {tk(0, NONE, 0, 0, 600, 3600, 1, 0), tk(1, NONE, 0, NONE, 0, 0, 0, 0),
                       tk(1, NONE, 0, 0, 60, 5400, 2, 1)};
    t[0].flags = CXM_TICKET_HAS_CSAT;
    t[0].csat = 5;
    t[2].flags = CXM_TICKET_HAS_CSAT;
    t[2].csat = 2;
    TU_OK(cxm_rollup_add_many(r, t, 3, NULL, NULL));
    return r;
}

/* The exact bytes of format version 4, from tests/vectors/rollup_v4.hex (version 2 still
 * decodes). */
static void encoding_vector(void **state)
{
    (void)state;
    cxm_rollup *r = vector_v2(1);
    uint8_t buf[8192];
    size_t len = 0;
    TU_ST(cxm_rollup_encode(r, buf, 10, &len), CXM_BUFFER_TOO_SMALL);
    TU_OK(cxm_rollup_encode(r, buf, sizeof buf, &len));
    /*
     * Configuration first: profile 1, channels 2, topics 0, priorities 1,
     * agents 1, times 1, SLA 1; the report instant C0 + 7200 = 0x65540D20;
     * the targets of priority 0: first reply 1800 s (0x708) and total
     * resolution 3600 s (0xE10), both in calendar time (mode 1).
     */
    const uint8_t cfg[28] = {1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0,
                             0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
    assert_memory_equal(buf + 12, cfg, 28);
    const uint8_t as_of[8] = {0x20, 0x0D, 0x54, 0x65, 0, 0, 0, 0};
    assert_memory_equal(buf + 40, as_of, 8);
    /*
     * Version 4: running 0, bounds 0, no latest (INT64_MIN), then the pool
     * of the default budget: (1 + 2 + 0 + 1 + 1 agent + 2 cells) groups x 1
     * time x 32 pages = 224, no open-ticket index (capacity 0), agents as
     * groups (agent kind 0) and one cross, channel (1) x agent (4), then
     * three empty pairs (24 zero bytes).
     */
    assert_int_equal(buf[4], 4);
    const uint8_t live[40] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 224, 0, 0, 0,
                              0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0,    4,   0, 0, 0};
    assert_memory_equal(buf + 48, live, 40);
    for (int i = 88; i < 88 + 24; i++)
        assert_int_equal(buf[i], 0);
    const uint8_t targets[24] = {0x08, 0x07, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
                                 0x10, 0x0E, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
    assert_memory_equal(buf + 112, targets, 24);
    /* Then the overall group's counters: 3 tickets, 2 solved, 2 ever solved, 0, 0, 0, 1 FCR. */
    const uint64_t k[7] = {3, 2, 2, 0, 0, 0, 1};
    for (int i = 0; i < 7; i++)
        assert_int_equal(buf[136 + 8 * i], k[i]);

    uint8_t want[8192];
    size_t wlen = tu_read_vector("rollup_v4.hex", want, sizeof want);
    assert_int_equal(wlen, len);
    assert_memory_equal(buf, want, len);
    /* The same tickets written as version 2 decode to the state of the agent counted apart. */
    uint8_t v2[2048];
    size_t v2len = tu_read_vector("rollup_v2.hex", v2, sizeof v2);
    cxm_rollup *d = NULL, *counted = vector_v2(0);
    TU_OK(cxm_rollup_decode(v2, v2len, &tu_allocator, &d));
    const cxm_family_ops *f = cxm_family_find("rollup");
    tu_snap snap = tu_snapshot(f, counted);
    tu_assert_same(f, d, snap);
    tu_snap_free(snap);
    cxm_rollup_free(d);
    cxm_rollup_free(counted);
    TU_OK(cxm_rollup_decode(want, wlen, &tu_allocator, &d));
    /*
     * First reply: 600 and 60 s of 1800 achieved; the second ticket has no
     * reply at C0 + 7200: running, past due. Resolution: 3600 s of 3600
     * met; 5400 s breached by 1800 s; the open ticket running past due.
     */
    cxm_sla_result sr = {.size = sizeof sr};
    TU_OK(cxm_rollup_sla_get(d, CXM_ROLLUP_OVERALL, 0, CXM_SLA_FIRST_REPLY, 0.0, &sr));
    assert_true(sr.achieved == 2 && sr.breached == 0 && sr.active == 1 && sr.active_past_due == 1);
    TU_OK(cxm_rollup_sla_get(d, CXM_ROLLUP_OVERALL, 0, CXM_SLA_TOTAL_RESOLUTION, 0.0, &sr));
    assert_true(sr.achieved == 1 && sr.breached == 1 && sr.active == 1);
    assert_true(sr.lateness_max == 1800.0 && sr.compliance_pct == 50.0);
    cxm_csat_result c = {.size = sizeof c};
    TU_OK(cxm_rollup_csat_get(d, CXM_ROLLUP_CHANNEL, 1, 0.0, &c));
    assert_true(c.n == 1 && c.satisfied == 0 && c.mean == 2.0);
    /* The agent's group and its cells: tickets 1 and 3, on channels 0 and 1. */
    cxm_rollup_result g = group(d, CXM_ROLLUP_AGENT, 0);
    assert_true(g.tickets == 2 && g.solved == 2);
    uint32_t id = 0;
    TU_OK(cxm_rollup_cell_id(d, 0, 1, 0, &id));
    TU_OK(cxm_rollup_csat_get(d, CXM_ROLLUP_CELL, id, 0.0, &c));
    assert_true(c.n == 1 && c.mean == 2.0);
    /* A decoded roll-up takes new tickets under the same targets: 1900 s is 100 s late. */
    cxm_ticket more = tk(0, NONE, 0, 0, 1900, 0, 1, 0);
    TU_OK(cxm_rollup_add(d, &more, NULL));
    TU_OK(cxm_rollup_sla_get(d, CXM_ROLLUP_OVERALL, 0, CXM_SLA_FIRST_REPLY, 0.0, &sr));
    assert_true(sr.breached == 1 && sr.lateness_max == 100.0);
    cxm_rollup_free(d);
    cxm_rollup_free(r);
}

/*
 * The grown record by hand, five tickets at C0 on channel 0, priority 0:
 *   a  solved at 1 h, one reply, NPS 10, handle 300 s            FCR (both profiles)
 *   b  solved at 2 h, one reply, 1 transfer, NPS 3, handle 900 s not FCR: transferred
 *   c  reopened, closed unresolved, handle 600 s, NPS 8          not solved, not open
 *   d  open, 2 transfers, handle 50 s (not counted: still open)
 *   e  never solved, closed unresolved, handle 120 s
 * Closed: a, b (solved), c, e (unresolved): unresolved share 2 / 4; open: d.
 * Transferred: b, d (3 transfers), rate 2 / 5. AHT over the closed: 300,
 * 900, 600, 120 -> mean 480. NPS: one promoter, one passive, one
 * detractor: 0. With a resolution target of 3 h, a and b are achieved;
 * c and e have no resolution outcome; d runs.
 */
static void grown_record(void **state)
{
    (void)state;
    cxm_sla_policy *p = policy_of_levels(1);
    set_target(p, 0, CXM_SLA_TOTAL_RESOLUTION, 3 * 3600);
    cxm_rollup_options o = {.size = sizeof o, .channels = 1, .priorities = 1, .agents = 1};
    o.sla_policy = p;
    o.sla_as_of = C0 + 86400;
    for (uint32_t profile = CXM_FCR_ZENDESK; profile <= CXM_FCR_FRESHDESK; profile++) {
        cxm_rollup *r = mk(profile, &o);
        cxm_ticket t[5] = {tk(0, NONE, 0, 0, 60, 3600, 1, 0), tk(0, NONE, 0, 0, 60, 7200, 1, 0),
                           tk(0, NONE, 0, 0, 60, 3600, 1, 0), tk(0, NONE, 0, 0, 60, 0, 1, 0),
                           tk(0, NONE, 0, 0, 0, 0, 0, 0)};
        const double handle[5] = {300, 900, 600, 50, 120};
        const int32_t nps[5] = {10, 3, 8, 0, 0};
        for (int i = 0; i < 5; i++) {
            t[i].handle_time = handle[i];
            if (i < 3) t[i].flags |= CXM_TICKET_HAS_NPS, t[i].nps = nps[i];
        }
        t[1].transfers = 1;
        t[2].reopens = 1;
        t[2].flags |= CXM_TICKET_UNRESOLVED;
        t[3].transfers = 2;
        t[4].flags |= CXM_TICKET_UNRESOLVED;
        TU_OK(cxm_rollup_add_many(r, t, 5, NULL, NULL));
        cxm_rollup_result g = group(r, CXM_ROLLUP_CHANNEL, 0);
        assert_int_equal(g.tickets, 5);
        assert_int_equal(g.solved, 2);
        assert_int_equal(g.unresolved, 2);
        assert_int_equal(g.closed, 4);
        assert_int_equal(g.open, 1);
        assert_int_equal(g.transferred, 2);
        assert_int_equal(g.transfers, 3);
        assert_true(g.has_unresolved_share && g.unresolved_share.rate == 0.5);
        assert_int_equal(g.unresolved_share.use, CXM_RATE_UNRESOLVED);
        assert_true(g.unresolved_share.ci.lower < 0.5 && g.unresolved_share.ci.upper > 0.5);
        assert_true(g.has_transfer_rate && fabs(g.transfer_rate.rate - 0.4) < 1e-15);
        /* The transferred ticket is never first-contact, under either profile. */
        assert_int_equal(g.fcr.trials, 2);
        assert_int_equal(g.fcr.successes, 1);
        cxm_rollup_time_result aht = {.size = sizeof aht};
        TU_OK(cxm_rollup_time_get(r, CXM_ROLLUP_CHANNEL, 0, CXM_ROLLUP_HANDLE_TIME, &aht));
        assert_int_equal(aht.n, 4);
        assert_true(aht.mean == 480.0 && aht.min == 120.0 && aht.max == 900.0);
        assert_true(fabs(aht.median - 300.0) <= 300.0 / 129);
        cxm_rollup_time_result mttr = {.size = sizeof mttr};
        TU_OK(cxm_rollup_time_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FULL_RESOLUTION, &mttr));
        assert_int_equal(mttr.n, 2); /* the unresolved closes are no resolution */
        cxm_sla_result sr = {.size = sizeof sr};
        TU_OK(cxm_rollup_sla_get(r, CXM_ROLLUP_OVERALL, 0, CXM_SLA_TOTAL_RESOLUTION, 0.0, &sr));
        assert_true(sr.achieved == 2 && sr.breached == 0 && sr.active == 1);
        /* NPS: transactional always, and never blended with another kind. */
        cxm_nps_result n = {.size = sizeof n};
        TU_OK(cxm_rollup_nps_get(r, CXM_ROLLUP_OVERALL, 0, 0.0, CXM_NPS_WALD, &n));
        assert_int_equal(n.kind, CXM_NPS_TRANSACTIONAL);
        assert_true(n.n == 3 && n.promoters == 1 && n.passives == 1 && n.detractors == 1);
        assert_true(n.nps == 0.0 && n.ci.lower < 0.0 && n.ci.upper > 0.0);
        cxm_nps *rel = NULL, *tr = NULL;
        TU_OK(cxm_nps_new(CXM_NPS_RELATIONAL, 0, &tu_allocator, &rel));
        TU_OK(cxm_nps_new(CXM_NPS_TRANSACTIONAL, 0, &tu_allocator, &tr));
        TU_OK(cxm_nps_add(rel, 9));
        TU_ST(cxm_rollup_nps_merge_into(r, CXM_ROLLUP_OVERALL, 0, rel), CXM_KIND_MISMATCH);
        cxm_nps_result rr = {.size = sizeof rr};
        TU_OK(cxm_nps_result_get(rel, 0.0, CXM_NPS_WALD, &rr));
        assert_int_equal(rr.n, 1); /* unchanged */
        TU_OK(cxm_rollup_nps_merge_into(r, CXM_ROLLUP_CHANNEL, 0, tr));
        TU_OK(cxm_nps_result_get(tr, 0.0, CXM_NPS_WALD, &rr));
        assert_int_equal(rr.n, 3);
        TU_ST(cxm_nps_merge(tr, rel), CXM_KIND_MISMATCH);
        cxm_nps_comparison cmp = {.size = sizeof cmp};
        TU_ST(cxm_nps_compare(tr, rel, 0.0, CXM_NPS_WALD, &cmp), CXM_KIND_MISMATCH);
        TU_ST(cxm_rollup_nps_merge_into(r, CXM_ROLLUP_CHANNEL, 1, tr), CXM_CAPACITY);
        cxm_nps_free(rel);
        cxm_nps_free(tr);
        /* Retracting every record leaves the empty roll-up, and its encoding round-trips. */
        cxm_rollup *d = NULL;
        uint8_t buf[1 << 17];
        size_t len = 0;
        TU_OK(cxm_rollup_encode(r, buf, sizeof buf, &len));
        assert_int_equal(buf[4], 4);
        TU_OK(cxm_rollup_decode(buf, len, &tu_allocator, &d));
        assert_true(group(d, CXM_ROLLUP_CHANNEL, 0).unresolved == 2);
        for (int i = 0; i < 5; i++)
            TU_OK(cxm_rollup_retract(d, &t[i], NULL));
        TU_ST(cxm_rollup_result_get(d, CXM_ROLLUP_OVERALL, 0, 0.0, &g), CXM_EMPTY);
        assert_true(g.unresolved == 0 && g.transfers == 0);
        TU_ST(cxm_rollup_nps_get(d, CXM_ROLLUP_OVERALL, 0, 0.0, CXM_NPS_WALD, &n), CXM_EMPTY);
        cxm_rollup_free(d);
        /* A record of the previous size (without nps, transfers, handle time) is still taken. */
        cxm_ticket old = tk(0, NONE, 0, 0, 60, 3600, 1, 0);
        old.size = (uint32_t)offsetof(cxm_ticket, nps);
        old.transfers = 7; /* beyond the caller's size: never read */
        TU_OK(cxm_rollup_add(r, &old, NULL));
        assert_int_equal(group(r, CXM_ROLLUP_OVERALL, 0).transfers, 3);
        cxm_rollup_free(r);
    }
    cxm_sla_policy_free(p);
}

/*
 * Resolution time with open tickets censored at the read instant, channel 0:
 * three tickets solved 1, 2 and 3 h after creation, two open (created at
 * C0 and C0 + 5 h), read at C0 + 10 h: ages 10 h and 5 h. At risk 5: S =
 * 4/5 after 1 h, 3/5 after 2 h, 2/5 after 3 h; the KM median is the 3 h
 * bucket while the closed-only median says 2 h. The standalone survival
 * accumulator fed the same durations gives the same result.
 */
/*
 * Agents and cells are groups like the others. On the seven tickets with
 * the crosses channel x priority and agent x channel:
 *   cell (channel 0, priority 2) holds #1, #6, #7: 3 tickets, 2 solved;
 *     Zendesk FCR 1 of 2 (#1 one-touch, #7 two replies), first reply
 *     600, 900 and 1800 s;
 *   cell (1, 2) holds #3 (one-touch), (1, 0) #4 (reopened: not FCR),
 *   (1, 3) #5 (self-service: not a contact), (0, 1) #2; the other three
 *   cells of channel 0 and (1, 1) are empty;
 *   agent 0: #1, #3, #6, #7: 4 tickets, 3 solved, FCR 2 of 3; agent 1: #2
 *   and #4, both solved, FCR 0 of 2; #5 has no agent, so it is in no
 *   cell of agent x channel: those hold 6 tickets, the overall 7.
 */
/* Tickets in all the cells of cross j (na x nb of them); an empty cell says CXM_EMPTY. */
static uint64_t cross_tickets(const cxm_rollup *r, uint32_t j, uint32_t na, uint32_t nb)
{
    uint64_t sum = 0;
    for (uint32_t a = 0; a < na; a++)
        for (uint32_t b = 0; b < nb; b++) {
            uint32_t id = 0;
            TU_OK(cxm_rollup_cell_id(r, j, a, b, &id));
            cxm_rollup_result x = {.size = sizeof x};
            cxm_status st = cxm_rollup_result_get(r, CXM_ROLLUP_CELL, id, 0.0, &x);
            assert_true(st == (x.tickets ? CXM_OK : CXM_EMPTY));
            sum += x.tickets;
        }
    return sum;
}

static void agents_and_cells_by_hand(void **state)
{
    (void)state;
    cxm_ticket t[7];
    seven(t);
    cxm_rollup_options o = OPTS;
    o.crosses = 2;
    o.cross[0] = (cxm_rollup_cross){CXM_ROLLUP_CHANNEL, CXM_ROLLUP_PRIORITY};
    o.cross[1] = (cxm_rollup_cross){CXM_ROLLUP_AGENT, CXM_ROLLUP_CHANNEL};
    cxm_rollup *r = mk(CXM_FCR_ZENDESK, &o);
    TU_OK(cxm_rollup_add_many(r, t, 7, NULL, NULL));
    uint32_t id = 99;
    TU_OK(cxm_rollup_cell_id(r, 0, 0, 2, &id));
    assert_int_equal(id, 0 * 4 + 2); /* row-major: channel 0, priority 2 */
    cxm_rollup_result g = group(r, CXM_ROLLUP_CELL, id);
    assert_true(g.group == CXM_ROLLUP_CELL && g.id == id);
    assert_true(g.tickets == 3 && g.solved == 2 && g.fcr.successes == 1 && g.fcr.trials == 2);
    cxm_rollup_time_result fr = {.size = sizeof fr};
    TU_OK(cxm_rollup_time_get(r, CXM_ROLLUP_CELL, id, CXM_ROLLUP_FIRST_REPLY, &fr));
    assert_true(fr.n == 3 && fabs(fr.mean - 1100.0) < 1e-9); /* (600 + 900 + 1800) / 3 */
    const uint32_t cell[4][2] = {{1, 2}, {1, 0}, {1, 3}, {0, 1}};
    const uint64_t fcr[4] = {1, 0, 0, 0}, trials[4] = {1, 1, 0, 1};
    for (int i = 0; i < 4; i++) {
        TU_OK(cxm_rollup_cell_id(r, 0, cell[i][0], cell[i][1], &id));
        g = group(r, CXM_ROLLUP_CELL, id);
        assert_true(g.tickets == 1 && g.fcr.successes == fcr[i] && g.fcr.trials == trials[i]);
    }
    assert_int_equal(cross_tickets(r, 0, 2, 4), 7);
    g = group(r, CXM_ROLLUP_AGENT, 0);
    assert_true(g.tickets == 4 && g.solved == 3 && g.fcr.successes == 2 && g.fcr.trials == 3);
    g = group(r, CXM_ROLLUP_AGENT, 1);
    assert_true(g.tickets == 2 && g.solved == 2 && g.fcr.successes == 0 && g.fcr.trials == 2);
    cxm_rollup_agent_result a = {.size = sizeof a};
    TU_OK(cxm_rollup_agent_get(r, 1, &a)); /* the same counts through the older call */
    assert_true(a.tickets == 2 && a.solved == 2);
    assert_int_equal(cross_tickets(r, 1, 2, 2), 6);
    /* Ids: a third cross, an id beyond its dimension, a cell id beyond every cell. */
    TU_ST(cxm_rollup_cell_id(r, 2, 0, 0, &id), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_rollup_cell_id(r, 0, 2, 0, &id), CXM_CAPACITY);
    TU_ST(cxm_rollup_cell_id(r, 1, 0, 2, &id), CXM_CAPACITY);
    TU_ST(cxm_rollup_cell_id(NULL, 0, 0, 0, &id), CXM_INVALID_ARGUMENT);
    cxm_rollup_result x = {.size = sizeof x};
    TU_ST(cxm_rollup_result_get(r, CXM_ROLLUP_CELL, 8 + 4, 0.0, &x), CXM_CAPACITY);
    TU_ST(cxm_rollup_result_get(r, CXM_ROLLUP_AGENT, 2, 0.0, &x), CXM_CAPACITY);
    TU_ST(cxm_rollup_result_get(r, 6, 0, 0.0, &x), CXM_INVALID_ARGUMENT);
    cxm_rollup_free(r);

    /* Counted apart, agents are no group; without crosses there is no cell. */
    o = OPTS;
    o.agent_kind = CXM_ROLLUP_AGENT_COUNTS;
    r = mk(CXM_FCR_ZENDESK, &o);
    TU_OK(cxm_rollup_add_many(r, t, 7, NULL, NULL));
    TU_ST(cxm_rollup_result_get(r, CXM_ROLLUP_AGENT, 0, 0.0, &x), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_rollup_result_get(r, CXM_ROLLUP_CELL, 0, 0.0, &x), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_rollup_cell_id(r, 0, 0, 0, &id), CXM_INVALID_ARGUMENT);
    TU_OK(cxm_rollup_agent_get(r, 0, &a));
    assert_true(a.tickets == 4 && a.solved == 3);
    cxm_rollup_free(r);

    /* Crosses the options cannot make. */
    const cxm_rollup_cross bad[4] = {
        {CXM_ROLLUP_CHANNEL, CXM_ROLLUP_CHANNEL}, /* the same dimension twice */
        {CXM_ROLLUP_OVERALL, CXM_ROLLUP_CHANNEL}, /* not a dimension */
        {CXM_ROLLUP_CELL, CXM_ROLLUP_CHANNEL},
        {CXM_ROLLUP_AGENT, CXM_ROLLUP_TOPIC}, /* topics 0 below: no cell at all */
    };
    for (int i = 0; i < 4; i++) {
        o = OPTS;
        o.topics = 0;
        o.crosses = 1;
        o.cross[0] = bad[i];
        TU_ST(cxm_rollup_new(CXM_FCR_ZENDESK, &o, &tu_allocator, &r), CXM_INVALID_ARGUMENT);
        assert_int_equal(cxm_rollup_footprint(&o), 0);
    }
    o = OPTS;
    o.cross[1] = (cxm_rollup_cross){CXM_ROLLUP_CHANNEL, CXM_ROLLUP_TOPIC}; /* past `crosses` */
    TU_ST(cxm_rollup_new(CXM_FCR_ZENDESK, &o, &tu_allocator, &r), CXM_INVALID_ARGUMENT);
    o = OPTS;
    o.crosses = CXM_ROLLUP_MAX_CROSSES + 1;
    TU_ST(cxm_rollup_new(CXM_FCR_ZENDESK, &o, &tu_allocator, &r), CXM_INVALID_ARGUMENT);
    o = OPTS; /* 65,536 agents x 256 channels: more cells than CXM_ROLLUP_MAX_CELLS */
    o.agents = CXM_ROLLUP_MAX_AGENTS;
    o.channels = CXM_ROLLUP_MAX_CHANNELS;
    o.crosses = 1;
    o.cross[0] = (cxm_rollup_cross){CXM_ROLLUP_AGENT, CXM_ROLLUP_CHANNEL};
    assert_int_equal(cxm_rollup_footprint(&o), 0);
    o.channels = CXM_ROLLUP_MAX_CELLS / CXM_ROLLUP_MAX_AGENTS; /* 16: exactly the most */
    assert_true(cxm_rollup_footprint(&o) > 0);
    assert_true(cxm_rollup_max_crosses() == CXM_ROLLUP_MAX_CROSSES &&
                cxm_rollup_max_cells() == CXM_ROLLUP_MAX_CELLS);
}

static uint64_t xs_state;
static uint32_t xs_below(uint32_t n)
{
    xs_state ^= xs_state << 13;
    xs_state ^= xs_state >> 7;
    xs_state ^= xs_state << 17;
    return (uint32_t)(xs_state % n);
}

/*
 * Every figure of an agent's group, and of a cell, equals the overall
 * figure of a roll-up fed only that agent's (that cell's) tickets: on 3,000
 * random tickets with every kind of record (open, solved, reopened,
 * self-service, closed unresolved, transferred, CSAT, CES and NPS answers,
 * SLA outcomes at the report instant, open tickets censored in the
 * survival figures), then again after an encode and decode.
 */
static void agents_and_cells_equal_filtered_recounts(void **state)
{
    (void)state;
    enum { N = 3000, CH = 3, TP = 2, PR = 4, AG = 6 };
    cxm_sla_policy *p = policy_of_levels(PR);
    for (uint32_t q = 0; q < PR; q++) {
        set_target(p, q, CXM_SLA_FIRST_REPLY, 1800 << q);
        set_target(p, q, CXM_SLA_TOTAL_RESOLUTION, 86400);
    }
    cxm_rollup_options o = {.size = sizeof o,
                            .channels = CH,
                            .topics = TP,
                            .priorities = PR,
                            .agents = AG,
                            .sla_policy = p,
                            .sla_as_of = C0 + 30 * 86400,
                            .open = N,
                            .crosses = 2};
    o.cross[0] = (cxm_rollup_cross){CXM_ROLLUP_CHANNEL, CXM_ROLLUP_PRIORITY};
    o.cross[1] = (cxm_rollup_cross){CXM_ROLLUP_AGENT, CXM_ROLLUP_TOPIC};
    cxm_ticket *t = test_malloc(N * sizeof *t);
    xs_state = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < N; i++) {
        cxm_ticket *k = &t[i];
        *k = tk(xs_below(CH + 1), xs_below(TP + 1), xs_below(PR), xs_below(AG + 1), 0, 0, 0, 0);
        if (k->channel == CH) k->channel = NONE;
        if (k->topic == TP) k->topic = NONE;
        if (k->agent == AG) k->agent = NONE;
        k->created = C0 + xs_below(20 * 86400);
        uint32_t life = xs_below(6);
        if (life != 0 && life != 5) k->first_reply = k->created + 60 + xs_below(7200);
        if (life >= 2 && life != 5) k->first_solved = k->first_reply + xs_below(3 * 86400);
        if (life == 3) {
            k->reopens = 1;
            k->last_solved = k->first_solved + xs_below(86400);
        }
        if (life == 5) {
            k->first_solved = k->created + 30;
            k->flags = CXM_TICKET_SELF_SERVICE;
        } else {
            k->transfers = xs_below(4) == 0;
            if (life == 1 && xs_below(3) == 0) k->flags |= CXM_TICKET_UNRESOLVED;
        }
        k->agent_replies = life == 5 ? 0 : 1 + xs_below(3);
        k->handle_time = 60.0 + xs_below(1200);
        if (xs_below(3) == 0) k->flags |= CXM_TICKET_HAS_CSAT, k->csat = 1 + (int32_t)xs_below(5);
        if (xs_below(4) == 0) k->flags |= CXM_TICKET_HAS_CES, k->ces = 1 + (int32_t)xs_below(7);
        if (xs_below(3) == 0) k->flags |= CXM_TICKET_HAS_NPS, k->nps = (int32_t)xs_below(11);
    }
    cxm_rollup *all = mk(CXM_FCR_ZENDESK, &o);
    TU_OK(cxm_rollup_add_many(all, t, N, NULL, NULL));
    uint8_t *buf = test_malloc(1 << 22);
    size_t len = 0;
    TU_OK(cxm_rollup_encode(all, buf, 1 << 22, &len));
    cxm_rollup *dec = NULL;
    TU_OK(cxm_rollup_decode(buf, len, &tu_allocator, &dec));
    const int64_t at = C0 + 30 * 86400;
    /* Each agent, each (channel, priority) cell, each (agent, topic) cell. */
    for (uint32_t which = 0; which < AG + CH * PR + AG * TP; which++) {
        uint32_t kind = CXM_ROLLUP_AGENT, id = which, a = 0, b = 0, cross = 0;
        if (which >= AG) {
            kind = CXM_ROLLUP_CELL;
            cross = which >= AG + CH * PR;
            uint32_t i = which - AG - (cross ? CH * PR : 0), nb = cross ? TP : PR;
            a = i / nb, b = i % nb;
            TU_OK(cxm_rollup_cell_id(all, cross, a, b, &id));
        }
        /* A cell of channel x priority reports its priority, one of agent x topic every level. */
        cxm_sla_result sr = {.size = sizeof sr};
        cxm_status st = cxm_rollup_sla_get(all, kind, id, CXM_SLA_FIRST_REPLY, 0.0, &sr);
        assert_true(st == CXM_OK || st == CXM_EMPTY);
        assert_int_equal(sr.priority, kind == CXM_ROLLUP_AGENT ? CXM_SLA_ALL_PRIORITIES
                                      : cross == 0             ? b
                                                               : CXM_SLA_ALL_PRIORITIES);
        cxm_rollup *one = mk(CXM_FCR_ZENDESK, &o);
        for (int i = 0; i < N; i++) {
            int in = kind == CXM_ROLLUP_AGENT ? t[i].agent == which
                     : cross == 0             ? t[i].channel == a && t[i].priority == b
                                              : t[i].agent == a && t[i].topic == b;
            if (in) TU_OK(cxm_rollup_add(one, &t[i], NULL));
        }
        for (int d = 0; d < 2; d++) {
            const char *why =
                cxm_group_same_figures(d ? dec : all, kind, id, one, CXM_ROLLUP_OVERALL, 0, at);
            if (why) print_error("group %u of kind %u: %s\n", id, kind, why);
            assert_null(why);
        }
        cxm_rollup_free(one);
    }
    cxm_rollup_free(dec);
    cxm_rollup_free(all);
    test_free(buf);
    test_free(t);
    cxm_sla_policy_free(p);
}

static void survival_at_read_instant(void **state)
{
    (void)state;
    cxm_rollup_options o = {.size = sizeof o, .channels = 1, .priorities = 1, .open = 3};
    cxm_rollup *r = mk(CXM_FCR_ZENDESK, &o);
    cxm_ticket t[5] = {tk(0, NONE, 0, NONE, 60, 3600, 1, 0), tk(0, NONE, 0, NONE, 60, 7200, 1, 0),
                       tk(0, NONE, 0, NONE, 60, 10800, 1, 0), tk(0, NONE, 0, NONE, 60, 0, 1, 0),
                       tk(0, NONE, 0, NONE, 0, 0, 0, 0)};
    t[4].created = C0 + 5 * 3600;
    TU_OK(cxm_rollup_add_many(r, t, 5, NULL, NULL));
    const int64_t at = C0 + 10 * 3600;
    const double ts[4] = {0.0, 1.5 * 3600, 2.5 * 3600, 4 * 3600};
    double sv[4];
    cxm_survival_result km = {.size = sizeof km};
    TU_OK(cxm_rollup_survival_get_at(r, CXM_ROLLUP_CHANNEL, 0, at, 0.0, ts, sv, 4, &km));
    assert_true(km.n == 5 && km.resolved == 3 && km.open == 2);
    assert_true(sv[0] == 1.0 && fabs(sv[1] - 0.8) < 1e-12 && fabs(sv[2] - 0.6) < 1e-12 &&
                fabs(sv[3] - 0.4) < 1e-12);
    assert_true(km.median_reached && fabs(km.median - 10800.0) <= 10800.0 / 129);
    assert_true(km.has_closed && km.closed_mean == 7200.0);
    assert_true(fabs(km.closed_median - 7200.0) <= 7200.0 / 129);
    assert_true(km.has_oldest_open && km.oldest_open == 36000.0);
    cxm_survival *s = NULL;
    TU_OK(cxm_survival_new(&tu_allocator, &s));
    const double d[5] = {3600, 7200, 10800, 36000, 18000};
    for (int i = 0; i < 5; i++)
        TU_OK(cxm_survival_add(s, d[i], i < 3 ? CXM_SURVIVAL_RESOLVED : CXM_SURVIVAL_OPEN));
    cxm_survival_result want = {.size = sizeof want};
    TU_OK(cxm_survival_result_get(s, 0.0, &want));
    assert_memory_equal(&km, &want, sizeof km);
    cxm_survival_free(s);
    /* Before the newest open ticket's creation: refused. No index or no resolution time: too. */
    TU_ST(cxm_rollup_survival_get_at(r, CXM_ROLLUP_OVERALL, 0, C0 + 3600, 0.0, NULL, NULL, 0, &km),
          CXM_BAD_ORDER);
    TU_ST(cxm_rollup_survival_get_at(r, CXM_ROLLUP_OVERALL, 0, at, 0.0, NULL, sv, 1, &km),
          CXM_INVALID_ARGUMENT);
    const double neg = -1.0;
    TU_ST(cxm_rollup_survival_get_at(r, CXM_ROLLUP_OVERALL, 0, at, 0.0, &neg, sv, 1, &km),
          CXM_OUT_OF_RANGE);
    TU_ST(cxm_rollup_survival_get_at(r, CXM_ROLLUP_CHANNEL, 1, at, 0.0, NULL, NULL, 0, &km),
          CXM_CAPACITY);
    cxm_rollup *plain = mk(CXM_FCR_ZENDESK, &OPTS);
    TU_ST(cxm_rollup_survival_get_at(plain, CXM_ROLLUP_OVERALL, 0, at, 0.0, NULL, NULL, 0, &km),
          CXM_INVALID_ARGUMENT);
    cxm_rollup_free(plain);
    /* The index holds 3: two open now; a third fits, a fourth is refused and changes nothing. */
    cxm_ticket more = tk(0, NONE, 0, NONE, 0, 0, 0, 0);
    TU_OK(cxm_rollup_add(r, &more, NULL));
    TU_ST(cxm_rollup_add(r, &more, NULL), CXM_CAPACITY);
    /* Solving an open ticket moves it from the index to the resolutions; decode keeps it all. */
    cxm_ticket solved = more;
    solved.first_solved = C0 + 4 * 3600;
    TU_OK(cxm_rollup_replace(r, &more, &solved, NULL));
    TU_OK(cxm_rollup_add(r, &more, NULL)); /* room again */
    TU_OK(cxm_rollup_retract(r, &more, NULL));
    /* An open record whose creation no index entry has was never added: refused. */
    more.created = C0 + 7 * 3600;
    TU_ST(cxm_rollup_retract(r, &more, NULL), CXM_BAD_STATE);
    uint8_t buf[1 << 17];
    size_t len = 0;
    TU_OK(cxm_rollup_encode(r, buf, sizeof buf, &len));
    cxm_rollup *dec = NULL;
    TU_OK(cxm_rollup_decode(buf, len, &tu_allocator, &dec));
    cxm_survival_result a = {.size = sizeof a}, b = {.size = sizeof b};
    TU_OK(cxm_rollup_survival_get_at(r, CXM_ROLLUP_OVERALL, 0, at, 0.0, NULL, NULL, 0, &a));
    TU_OK(cxm_rollup_survival_get_at(dec, CXM_ROLLUP_OVERALL, 0, at, 0.0, NULL, NULL, 0, &b));
    assert_memory_equal(&a, &b, sizeof a);
    assert_true(a.resolved == 4 && a.open == 2);
    cxm_rollup_free(dec);
    cxm_rollup_free(r);
}

static void decode_rejects_inconsistent_fields(void **state)
{
    (void)state;
    cxm_rollup *r = mk(CXM_FCR_ZENDESK, &VEC_OPTS);
    cxm_ticket t = tk(0, NONE, 0, 0, 600, 3600, 1, 0);
    TU_OK(cxm_rollup_add(r, &t, NULL));
    uint8_t buf[2048];
    size_t len = 0;
    TU_OK(cxm_rollup_encode(r, buf, sizeof buf, &len));
    /*
     * profile 3 (offset 12); channels 258 > 256 (17); SLA flag 2 (36); a
     * report instant without a policy (40); an agent kind 2 (72); a cross
     * count of 1 with an empty pair (76); overall solved 2 > 1 ticket
     * (120); overall FCR 0 while channel 0 keeps 1 (160); the overall CSAT
     * scale 1-6 (its scale_max at 220, after the 13 counters from 112: the
     * other groups keep 1-5).
     */
    const size_t at[] = {12, 17, 36, 40, 72, 76, 120, 160, 220};
    const uint8_t val[] = {3, 1, 2, 9, 2, 1, 2, 0, 6};
    assert_int_equal(buf[220], 5);
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        uint8_t tmp[2048];
        memcpy(tmp, buf, len);
        tmp[at[i]] = val[i];
        tu_fix_crc(tmp, len);
        cxm_rollup *d = NULL;
        TU_ST(cxm_rollup_decode(tmp, len, &tu_allocator, &d), CXM_BAD_FORMAT);
        assert_null(d);
    }
    /* A configuration claiming thousands of agents the bytes do not hold. */
    uint8_t tmp[2048];
    memcpy(tmp, buf, len);
    tmp[28] = 0xFF; /* agents = 65535: 1 MiB of counters in a few hundred bytes */
    tmp[29] = 0xFF;
    tu_fix_crc(tmp, len);
    cxm_rollup *d = NULL;
    TU_ST(cxm_rollup_decode(tmp, len, &tu_allocator, &d), CXM_BAD_FORMAT);
    cxm_rollup_free(r);
}

/*
 * SLA under a policy, on the seven tickets (report instant C0 + 20000):
 *   priority 2: first reply 1000 s, resolution 4000 s
 *     #1 reply 600 ok, solved 3600 ok;  #3 300 ok, 1800 ok;
 *     #6 900 ok, open: running, 16000 s past due;  #7 1800 late by 800, 5400 late by 1400
 *   priority 1: 1800 s, 7000 s       #2 1200 ok, 7200 late by 200
 *   priority 0: 300 s, 14400 s       #4 first reply 60 ok; solved again at 10800 ok
 *   priority 3: no target            #5 (self-service: no SLA anyway)
 * First reply overall: 5 achieved, 1 breached (800) -> 83.3%.
 * Resolution overall: 3 achieved, 2 breached (1400, 200), 1 active past due -> 60%.
 */
static void sla_outcomes(void **state)
{
    (void)state;
    cxm_sla_policy *p = policy_of_levels(4);
    set_target(p, 2, CXM_SLA_FIRST_REPLY, 1000);
    set_target(p, 2, CXM_SLA_TOTAL_RESOLUTION, 4000);
    set_target(p, 1, CXM_SLA_FIRST_REPLY, 1800);
    set_target(p, 1, CXM_SLA_TOTAL_RESOLUTION, 7000);
    set_target(p, 0, CXM_SLA_FIRST_REPLY, 300);
    set_target(p, 0, CXM_SLA_TOTAL_RESOLUTION, 14400);
    cxm_rollup_options o = OPTS;
    o.sla_policy = p;
    o.sla_as_of = C0 + 20000;
    cxm_rollup *r = mk(CXM_FCR_ZENDESK, &o);
    set_target(p, 3, CXM_SLA_FIRST_REPLY, 1); /* the roll-up took a copy: no effect */
    cxm_ticket t[7];
    seven(t);
    t[0].flags = CXM_TICKET_HAS_CSAT;
    t[0].csat = 5;
    t[1].flags = CXM_TICKET_HAS_CSAT;
    t[1].csat = 4;
    t[2].flags = CXM_TICKET_HAS_CSAT | CXM_TICKET_HAS_CES;
    t[2].csat = 2;
    t[2].ces = 6;
    TU_OK(cxm_rollup_add_many(r, t, 7, NULL, NULL));

    cxm_sla_result s = {.size = sizeof s};
    TU_OK(cxm_rollup_sla_get(r, CXM_ROLLUP_OVERALL, 0, CXM_SLA_FIRST_REPLY, 0.95, &s));
    assert_int_equal(s.priority, CXM_SLA_ALL_PRIORITIES);
    assert_true(s.achieved == 5 && s.breached == 1 && s.active == 0);
    TU_NEAR(s.compliance_pct, 500.0 / 6.0, 1e-9);
    assert_true(s.lateness_mean == 800.0 && s.lateness_max == 800.0);
    cxm_interval w;
    TU_OK(cxm_wilson_interval(5, 6, 0.95, &w));
    TU_NEAR(s.ci.lower, 100.0 * w.lower, 1e-9);
    TU_OK(cxm_rollup_sla_get(r, CXM_ROLLUP_OVERALL, 0, CXM_SLA_TOTAL_RESOLUTION, 0.95, &s));
    assert_true(s.achieved == 3 && s.breached == 2 && s.active == 1 && s.active_past_due == 1);
    TU_NEAR(s.compliance_pct, 60.0, 1e-12);
    assert_true(s.lateness_mean == 800.0 && s.lateness_max == 1400.0);
    /* Priority 2: #1, #3 achieved, #7 breached, #6 running -> 2/3. */
    TU_OK(cxm_rollup_sla_get(r, CXM_ROLLUP_PRIORITY, 2, CXM_SLA_TOTAL_RESOLUTION, 0.95, &s));
    assert_int_equal(s.priority, 2);
    assert_true(s.achieved == 2 && s.breached == 1 && s.active == 1);
    /* Channel 0 (#1, #2, #6, #7): #1 achieved, #2 and #7 breached, #6 running. */
    TU_OK(cxm_rollup_sla_get(r, CXM_ROLLUP_CHANNEL, 0, CXM_SLA_TOTAL_RESOLUTION, 0.95, &s));
    assert_true(s.achieved == 1 && s.breached == 2 && s.active == 1);
    /* Priority 3 has no target: nothing counted, so no compliance. */
    TU_ST(cxm_rollup_sla_get(r, CXM_ROLLUP_PRIORITY, 3, CXM_SLA_FIRST_REPLY, 0.95, &s), CXM_EMPTY);
    assert_true(s.achieved == 0 && s.active == 0);
    TU_ST(cxm_rollup_sla_get(r, CXM_ROLLUP_OVERALL, 0, CXM_SLA_NEXT_REPLY, 0.95, &s),
          CXM_OUT_OF_RANGE);

    /* CSAT 5, 4, 2: 2 of 3 satisfied, mean 11/3; channel 0 (#1, #2) 2 of 2. CES 6: easy. */
    cxm_csat_result c = {.size = sizeof c};
    TU_OK(cxm_rollup_csat_get(r, CXM_ROLLUP_OVERALL, 0, 0.95, &c));
    assert_true(c.n == 3 && c.satisfied == 2);
    TU_NEAR(c.mean, 11.0 / 3.0, 1e-12);
    TU_OK(cxm_rollup_csat_get(r, CXM_ROLLUP_CHANNEL, 0, 0.95, &c));
    assert_true(c.n == 2 && c.satisfied == 2);
    TU_ST(cxm_rollup_csat_get(r, CXM_ROLLUP_PRIORITY, 3, 0.95, &c), CXM_EMPTY);
    cxm_ces_result e = {.size = sizeof e};
    TU_OK(cxm_rollup_ces_get(r, CXM_ROLLUP_OVERALL, 0, 0.95, &e));
    assert_true(e.n == 1 && e.easy == 1 && e.scale_max == 7);

    /* Events after the report instant are refused, with the field. */
    const cxm_family_ops *f = cxm_family_find("rollup");
    tu_snap snap = tu_snapshot(f, r);
    uint32_t field = 0;
    cxm_ticket late = tk(0, 0, 2, 0, 20001, 0, 1, 0);
    TU_ST(cxm_rollup_add(r, &late, &field), CXM_BAD_ORDER);
    assert_int_equal(field, CXM_TICKET_FIELD_FIRST_REPLY);
    late = tk(0, 0, 2, 0, 0, 0, 0, 0);
    late.created = C0 + 20001;
    TU_ST(cxm_rollup_add(r, &late, &field), CXM_BAD_ORDER);
    assert_int_equal(field, CXM_TICKET_FIELD_CREATED);
    tu_assert_same(f, r, snap);
    tu_snap_free(snap);

    /* Shards under other targets or another report instant do not merge. */
    cxm_rollup *other = mk(CXM_FCR_ZENDESK, &o); /* p now has a priority-3 target */
    TU_ST(cxm_rollup_merge(r, other), CXM_KIND_MISMATCH);
    cxm_rollup_free(other);
    cxm_sla_policy_free(p);
    p = policy_of_levels(4);
    set_target(p, 2, CXM_SLA_FIRST_REPLY, 1000);
    o.sla_policy = p;
    o.sla_as_of = C0 + 20001;
    other = mk(CXM_FCR_ZENDESK, &o);
    TU_ST(cxm_rollup_merge(r, other), CXM_KIND_MISMATCH);
    cxm_rollup_free(other);

    /* Creation rules: levels must match the priorities; a report instant is required. */
    cxm_rollup *bad = NULL;
    o.sla_as_of = 0;
    TU_ST(cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &bad), CXM_INVALID_ARGUMENT);
    o.sla_as_of = C0;
    o.priorities = 3;
    TU_ST(cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &bad), CXM_INVALID_ARGUMENT);
    cxm_sla_policy_free(p);
    /* A business-hours target needs a calendar. */
    p = policy_of_levels(4);
    TU_OK(cxm_sla_policy_set_target(p, 0, CXM_SLA_FIRST_REPLY, 3600, CXM_SLA_BUSINESS_HOURS));
    o = OPTS;
    o.sla_policy = p;
    o.sla_as_of = C0;
    TU_ST(cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &bad), CXM_INVALID_ARGUMENT);
    assert_null(bad);
    cxm_sla_policy_free(p);
    cxm_rollup_free(r);
}

/*
 * The public customer-support tickets CSV (../shared/data, found through
 * CXM_SHARED_DATA; skipped when absent). It has no creation time, so the
 * first response stands in for it; about half its rows are resolved before
 * their first response, a contradiction the roll-up must refuse. The test
 * counts those rows itself, from its own parse, and checks the roll-up
 * refuses exactly them (CXM_BAD_ORDER, field first_solved) and rolls up the
 * rest by channel, priority and type.
 */
static void shared_tickets_csv(void **state)
{
    (void)state;
    const char *dir = getenv("CXM_SHARED_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/customer_support_tickets.csv", dir ? dir : "");
    FILE *fp = dir ? fopen(path, "r") : NULL;
    if (!fp) {
        skip();
        return;
    }
    cxm_rollup_options o = {.size = sizeof o,
                            .channels = TCSV_CHANNELS,
                            .topics = TCSV_TOPICS,
                            .priorities = TCSV_PRIORITIES};
    cxm_rollup *r = mk(CXM_FCR_ZENDESK, &o);
    static char line[4096];
    uint64_t rows = 0, want_ok = 0, want_bad = 0, got_ok = 0, got_bad = 0;
    uint64_t by_channel[TCSV_CHANNELS] = {0}, by_priority[TCSV_PRIORITIES] = {0};
    uint64_t by_topic[TCSV_TOPICS] = {0}, answered = 0, satisfied = 0;
    size_t cap = 4096, n = 0, first_bad = SIZE_MAX;
    cxm_ticket *all = test_malloc(cap * sizeof *all);
    assert_non_null(fgets(line, sizeof line, fp)); /* header */
    while (fgets(line, sizeof line, fp)) {
        tcsv_row row;
        assert_true(tcsv_parse(line, &row));
        rows++;
        int contradictory = row.resolution < row.first_response;
        if (contradictory) {
            want_bad++;
        } else {
            want_ok++;
            by_channel[row.channel]++;
            by_priority[row.priority]++;
            by_topic[row.topic]++;
            answered += row.csat != 0;
            satisfied += row.csat >= 4;
        }
        cxm_ticket t;
        memset(&t, 0, sizeof t);
        t.size = sizeof t;
        t.created = row.first_response;
        t.first_reply = row.first_response;
        t.first_solved = row.resolution;
        t.agent_replies = 1;
        t.channel = row.channel;
        t.priority = row.priority;
        t.topic = row.topic;
        t.agent = NONE;
        if (row.csat) {
            t.flags = CXM_TICKET_HAS_CSAT;
            t.csat = row.csat;
        }
        uint32_t field = 99;
        cxm_status st = cxm_rollup_add(r, &t, &field);
        if (st == CXM_OK) {
            got_ok++;
            assert_int_equal(field, CXM_TICKET_FIELD_NONE);
        } else {
            got_bad++;
            assert_int_equal(st, CXM_BAD_ORDER);
            assert_int_equal(field, CXM_TICKET_FIELD_FIRST_SOLVED);
        }
        assert_int_equal(st == CXM_OK, !contradictory);
        if (contradictory && first_bad == SIZE_MAX) first_bad = n;
        if (n < cap) all[n++] = t;
    }
    fclose(fp);
    /* The file as published: 2769 rows, 1365 resolved before their first response. */
    assert_int_equal(rows, 2769);
    assert_int_equal(want_bad, 1365);
    assert_int_equal(want_ok, 1404);
    assert_int_equal(got_ok, want_ok);
    assert_int_equal(got_bad, want_bad);
    cxm_rollup_result res = group(r, CXM_ROLLUP_OVERALL, 0);
    assert_int_equal(res.tickets, want_ok);
    assert_int_equal(res.solved, want_ok);
    for (uint32_t c = 0; c < TCSV_CHANNELS; c++)
        assert_int_equal(group(r, CXM_ROLLUP_CHANNEL, c).tickets, by_channel[c]);
    /* CSAT of the accepted rows: answers 4-5 of all answers. */
    cxm_csat_result cs = {.size = sizeof cs};
    TU_OK(cxm_rollup_csat_get(r, CXM_ROLLUP_OVERALL, 0, 0.0, &cs));
    assert_int_equal(cs.n, answered);
    assert_int_equal(cs.satisfied, satisfied);
    for (uint32_t p = 0; p < TCSV_PRIORITIES; p++)
        assert_int_equal(group(r, CXM_ROLLUP_PRIORITY, p).tickets, by_priority[p]);
    for (uint32_t k = 0; k < TCSV_TOPICS; k++)
        assert_int_equal(group(r, CXM_ROLLUP_TOPIC, k).tickets, by_topic[k]);
    /* The whole file as one batch is refused at its first contradictory row. */
    assert_int_equal(n, rows);
    cxm_rollup *b = mk(CXM_FCR_ZENDESK, &o);
    size_t at = 0;
    uint32_t field = 0;
    TU_ST(cxm_rollup_add_many(b, all, n, &at, &field), CXM_BAD_ORDER);
    assert_int_equal(at, first_bad);
    assert_int_equal(field, CXM_TICKET_FIELD_FIRST_SOLVED);
    TU_ST(cxm_rollup_result_get(b, CXM_ROLLUP_OVERALL, 0, 0.0, &res), CXM_EMPTY);
    test_free(all);
    cxm_rollup_free(b);
    cxm_rollup_free(r);
}

/*
 * A rate without trials has no value, and the result says so with a flag,
 * also inside an OK result: a group of open tickets has tickets but no FCR,
 * reopen or deflection rate (a dashboard must show "no data", not 0%).
 */
static void rates_without_trials_are_flagged(void **state)
{
    (void)state;
    cxm_ticket t[7];
    seven(t);
    cxm_rollup *r = mk(CXM_FCR_ZENDESK, &OPTS);
    TU_OK(cxm_rollup_add(r, &t[5], NULL)); /* open */
    cxm_rollup_result x = group(r, CXM_ROLLUP_OVERALL, 0);
    assert_int_equal(x.tickets, 1);
    assert_int_equal(x.has_fcr, 0);
    assert_int_equal(x.has_reopen, 0);
    assert_int_equal(x.has_deflection, 0);
    assert_int_equal(x.fcr.trials, 0);
    assert_true(x.fcr.rate == 0.0);

    /* An empty group: CXM_EMPTY, and every flag written as 0. */
    cxm_rollup_result e;
    memset(&e, 0xAB, sizeof e);
    e.size = sizeof e;
    assert_int_equal(cxm_rollup_result_get(r, CXM_ROLLUP_PRIORITY, 3, 0, &e), CXM_EMPTY);
    assert_int_equal(e.has_fcr, 0);
    assert_int_equal(e.has_reopen, 0);
    assert_int_equal(e.has_deflection, 0);
    assert_int_equal(e.reserved3, 0);

    /* A self-service solve: deflection and reopen have values; FCR counts
       agent solves only, so it still has none. */
    TU_OK(cxm_rollup_add(r, &t[4], NULL));
    x = group(r, CXM_ROLLUP_PRIORITY, 3);
    assert_int_equal(x.has_fcr, 0);
    assert_int_equal(x.has_reopen, 1);
    assert_int_equal(x.has_deflection, 1);
    assert_true(x.deflection.rate == 1.0);
    assert_true(x.reopen.rate == 0.0); /* a real 0%: one solve, never reopened */

    /* An agent's one-touch solve gives FCR a value. */
    TU_OK(cxm_rollup_add(r, &t[0], NULL));
    x = group(r, CXM_ROLLUP_OVERALL, 0);
    assert_int_equal(x.has_fcr, 1);
    assert_true(x.fcr.rate == 1.0);

    /* A caller built before the flags passes the first version's size. */
#define GET(p) cxm_rollup_result_get(r, CXM_ROLLUP_OVERALL, 0, 0, p)
    TU_FIRST_VERSION_SIZE(cxm_rollup_result, has_fcr, GET);
#undef GET
    cxm_rollup_free(r);
}

/* The roll-up's times and answers carry has_sd too: one value has no spread. */
static void spread_of_one_ticket_is_flagged(void **state)
{
    (void)state;
    cxm_ticket t[7];
    seven(t);
    t[0].flags |= CXM_TICKET_HAS_CSAT;
    t[0].csat = 5;
    cxm_rollup *r = mk(CXM_FCR_ZENDESK, &OPTS);
    TU_OK(cxm_rollup_add(r, &t[0], NULL));
    cxm_rollup_time_result ts;
    memset(&ts, 0xAB, sizeof ts);
    ts.size = sizeof ts;
    TU_OK(cxm_rollup_time_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, &ts));
    assert_int_equal(ts.n, 1);
    assert_int_equal(ts.has_sd, 0);
    assert_int_equal(ts.reserved3, 0);
    cxm_duration_result dr = {.size = sizeof dr};
    TU_OK(cxm_rollup_duration_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, 0, &dr));
    assert_int_equal(dr.has_sd, 0);
    cxm_csat_result cr = {.size = sizeof cr};
    TU_OK(cxm_rollup_csat_get(r, CXM_ROLLUP_OVERALL, 0, 0, &cr));
    assert_int_equal(cr.has_sd, 0);

    TU_OK(cxm_rollup_add(r, &t[1], NULL));
    TU_OK(cxm_rollup_time_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, &ts));
    assert_int_equal(ts.has_sd, 1);
    TU_OK(cxm_rollup_duration_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, 0, &dr));
    assert_int_equal(dr.has_sd, 1);

    /* The first versions' sizes are accepted. */
#define GET_TIME(p) cxm_rollup_time_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, p)
#define GET_DURATION(p)                                                                            \
    cxm_rollup_duration_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, 0, p)
#define GET_CSAT(p) cxm_rollup_csat_get(r, CXM_ROLLUP_OVERALL, 0, 0, p)
    TU_FIRST_VERSION_SIZE(cxm_rollup_time_result, has_sd, GET_TIME);
    TU_FIRST_VERSION_SIZE(cxm_duration_result, has_sd, GET_DURATION);
    TU_FIRST_VERSION_SIZE(cxm_csat_result, has_sd, GET_CSAT);
#undef GET_TIME
#undef GET_DURATION
#undef GET_CSAT
    cxm_ces_result er = {.size = (uint32_t)offsetof(cxm_ces_result, has_sd)};
    assert_int_equal(cxm_rollup_ces_get(r, CXM_ROLLUP_OVERALL, 0, 0, &er), CXM_EMPTY);
    cxm_rollup_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spread_of_one_ticket_is_flagged),
        cmocka_unit_test(rates_without_trials_are_flagged),
        cmocka_unit_test(hand_computed_rollup),
        cmocka_unit_test(profiles_disagree),
        cmocka_unit_test(contradictions_are_refused),
        cmocka_unit_test(boundaries_and_empty),
        cmocka_unit_test(creation_and_footprint),
        cmocka_unit_test(first_struct_versions),
        cmocka_unit_test(sla_business_hours),
        cmocka_unit_test(shards_merge_exactly),
        cmocka_unit_test(sla_outcomes),
        cmocka_unit_test(memory_budget_refusals),
        cmocka_unit_test(encoding_vector_v1),
        cmocka_unit_test(encoding_vector),
        cmocka_unit_test(sla_edges_unset_times_and_report_instant),
        cmocka_unit_test(decode_rejects_inconsistent_fields),
        cmocka_unit_test(shared_tickets_csv),
        cmocka_unit_test(grown_record),
        cmocka_unit_test(survival_at_read_instant),
        cmocka_unit_test(add_many_is_the_adds),
        cmocka_unit_test(agents_and_cells_by_hand),
        cmocka_unit_test(agents_and_cells_equal_filtered_recounts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
