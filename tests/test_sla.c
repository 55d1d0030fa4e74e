/*
 * test_sla.c — SLA policies, the target clock, the one-shot evaluation and
 * the accumulator, by hand: breach instants with pauses in and out of
 * business hours, lateness, targets met exactly at a close, compliance with
 * its Wilson interval, breach-lateness quantiles, every bad event or input
 * leaving the state unchanged, and the exact bytes of the encoding.
 */
#include <math.h>

#include "testutil.h"

#define H 3600
#define D 86400
/* 2000-01-03T00:00:00Z, a Monday. */
#define M0 946857600LL

/* UTC, Monday to Friday 09:00-17:00. */
static cxm_calendar *office(void)
{
    cxm_calendar_config cfg = {sizeof cfg, 0, 5, 0, 0, 0};
    cxm_calendar *c = NULL;
    TU_OK(cxm_calendar_new(&cfg, &tu_allocator, &c));
    for (uint32_t d = CXM_MONDAY; d <= CXM_FRIDAY; d++)
        TU_OK(cxm_calendar_add_interval(c, d, 9 * H, 17 * H));
    return c;
}

static cxm_sla_clock *clock_of(int64_t target, uint32_t mode, const cxm_calendar *cal)
{
    cxm_sla_clock *k = NULL;
    TU_OK(cxm_sla_clock_new(target, mode, cal, &tu_allocator, &k));
    return k;
}

static cxm_sla_clock_status status(const cxm_sla_clock *k, int64_t now)
{
    cxm_sla_clock_status s = {.size = sizeof s};
    TU_OK(cxm_sla_clock_status_get(k, now, &s));
    return s;
}

/* ---- policy ------------------------------------------------------------------- */

static void policy_targets(void **state)
{
    (void)state;
    cxm_sla_policy *p = NULL;
    TU_OK(cxm_sla_policy_new(CXM_SLA_STANDARD_LEVELS, &tu_allocator, &p));
    TU_OK(cxm_sla_policy_set_target(p, CXM_SLA_URGENT, CXM_SLA_FIRST_REPLY, H,
                                    CXM_SLA_CALENDAR_TIME));
    TU_OK(cxm_sla_policy_set_target(p, CXM_SLA_LOW, CXM_SLA_TOTAL_RESOLUTION, 40 * H,
                                    CXM_SLA_BUSINESS_HOURS));
    int64_t s = 0;
    uint32_t m = 0, levels = 0;
    TU_OK(cxm_sla_policy_target(p, CXM_SLA_LOW, CXM_SLA_TOTAL_RESOLUTION, &s, &m));
    assert_true(s == 40 * H && m == CXM_SLA_BUSINESS_HOURS);
    TU_ST(cxm_sla_policy_target(p, CXM_SLA_HIGH, CXM_SLA_FIRST_REPLY, &s, &m), CXM_EMPTY);
    assert_true(s == 40 * H); /* untouched */
    TU_OK(cxm_sla_policy_levels(p, &levels));
    assert_int_equal(levels, 4);
    /* A replaced target. */
    TU_OK(cxm_sla_policy_set_target(p, CXM_SLA_URGENT, CXM_SLA_FIRST_REPLY, 2 * H,
                                    CXM_SLA_BUSINESS_HOURS));
    TU_OK(cxm_sla_policy_target(p, CXM_SLA_URGENT, CXM_SLA_FIRST_REPLY, &s, &m));
    assert_true(s == 2 * H && m == CXM_SLA_BUSINESS_HOURS);
    cxm_sla_policy *copy = NULL;
    TU_OK(cxm_sla_policy_clone(p, &tu_allocator, &copy));
    TU_OK(cxm_sla_policy_target(copy, CXM_SLA_LOW, CXM_SLA_TOTAL_RESOLUTION, &s, &m));
    assert_true(s == 40 * H);
    cxm_sla_policy_free(copy);
    cxm_sla_policy_free(p);
    /* Creation limits. */
    TU_ST(cxm_sla_policy_new(0, NULL, &p), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_sla_policy_new(CXM_SLA_MAX_LEVELS + 1, NULL, &p), CXM_INVALID_ARGUMENT);
    assert_int_equal(cxm_sla_policy_footprint(0), 0);
    cxm_sla_policy_free(NULL);
}

static void policy_bad_input_changes_nothing(void **state)
{
    (void)state;
    _Alignas(16) unsigned char mem[1024];
    size_t need = cxm_sla_policy_footprint(3);
    assert_true(need > 0 && need <= sizeof mem);
    cxm_sla_policy *p = NULL;
    TU_ST(cxm_sla_policy_init_in(mem, need - 1, 3, &p), CXM_BUFFER_TOO_SMALL);
    TU_OK(cxm_sla_policy_init_in(mem, need, 3, &p));
    TU_OK(cxm_sla_policy_set_target(p, 2, CXM_SLA_NEXT_REPLY, 600, CXM_SLA_CALENDAR_TIME));
    unsigned char before[1024];
    memcpy(before, mem, need);
    TU_ST(cxm_sla_policy_set_target(p, 3, CXM_SLA_NEXT_REPLY, 600, CXM_SLA_CALENDAR_TIME),
          CXM_CAPACITY);
    TU_ST(cxm_sla_policy_set_target(p, 0, CXM_SLA_METRIC_COUNT, 600, CXM_SLA_CALENDAR_TIME),
          CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_policy_set_target(p, 0, CXM_SLA_NEXT_REPLY, 0, CXM_SLA_CALENDAR_TIME),
          CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_policy_set_target(p, 0, CXM_SLA_NEXT_REPLY, -5, CXM_SLA_CALENDAR_TIME),
          CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_policy_set_target(p, 0, CXM_SLA_NEXT_REPLY, 600, 0), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_sla_policy_set_target(p, 0, CXM_SLA_NEXT_REPLY, 600, 3), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_sla_policy_set_target(NULL, 0, 0, 600, CXM_SLA_CALENDAR_TIME), CXM_INVALID_ARGUMENT);
    assert_memory_equal(mem, before, need);
    cxm_sla_policy_free(p); /* placed: releases nothing */
}

/* ---- clock -------------------------------------------------------------------- */

static void clock_calendar_time(void **state)
{
    (void)state;
    const int64_t t0 = 1000000;
    cxm_sla_clock *k = clock_of(H, CXM_SLA_CALENDAR_TIME, NULL);
    cxm_sla_clock_status s = status(k, t0);
    assert_int_equal(s.state, CXM_SLA_INACTIVE);
    assert_int_equal(s.has_breach_at, 0);
    TU_OK(cxm_sla_clock_activate(k, t0));
    s = status(k, t0);
    assert_true(s.state == CXM_SLA_ACTIVE && s.has_breach_at && s.breach_at == t0 + H);
    /* Paused from +600 to +1800: 1200 s of pause. */
    TU_OK(cxm_sla_clock_pause(k, t0 + 600));
    s = status(k, t0 + 1000);
    assert_int_equal(s.state, CXM_SLA_PAUSED);
    assert_int_equal(s.elapsed, 600);
    assert_int_equal(s.has_breach_at, 0); /* depends on when it resumes */
    assert_int_equal(s.paused, 400);
    TU_OK(cxm_sla_clock_resume(k, t0 + 1800));
    /* At +2000: elapsed 600 + 200 = 800, left 2800, 22.2 %; breach = t0 + 3600 + 1200. */
    s = status(k, t0 + 2000);
    assert_int_equal(s.elapsed, 800);
    assert_int_equal(s.time_left, 2800);
    TU_NEAR(s.pct_elapsed, 100.0 * 800 / 3600, 1e-12);
    assert_int_equal(s.breach_at, t0 + 4800);
    assert_int_equal(s.paused, 1200);
    assert_int_equal(s.paused_counted, 1200);
    assert_int_equal(s.breached, 0);
    assert_int_equal(s.lateness, 0);
    /* Asking about +5000 (still running): overdue by 200 s. */
    s = status(k, t0 + 5000);
    assert_true(s.breached == 1 && s.lateness == 200 && s.time_left == -200);
    TU_NEAR(s.pct_elapsed, 100.0 * 3800 / 3600, 1e-12);
    /* A clone fulfilled exactly at the breach instant is achieved... */
    cxm_sla_clock *on_time = NULL;
    TU_OK(cxm_sla_clock_clone(k, &tu_allocator, &on_time));
    TU_OK(cxm_sla_clock_fulfil(on_time, t0 + 4800));
    s = status(on_time, 0); /* `now` is ignored once closed */
    assert_true(s.state == CXM_SLA_CLOSED && s.breached == 0 && s.lateness == 0);
    assert_true(s.elapsed == H && s.time_left == 0 && s.end == t0 + 4800);
    /* ...one second later it is breached by 1 s. */
    TU_OK(cxm_sla_clock_fulfil(k, t0 + 4801));
    s = status(k, t0 + 99999);
    assert_true(s.breached == 1 && s.breach_at == t0 + 4800 && s.lateness == 1);
    /* Reset: inactive again, same target. */
    TU_OK(cxm_sla_clock_reset(k));
    s = status(k, t0);
    assert_true(s.state == CXM_SLA_INACTIVE && s.target == H && s.elapsed == 0);
    cxm_sla_clock_free(k);
    cxm_sla_clock_free(on_time);
}

static void clock_business_hours_and_pauses(void **state)
{
    (void)state;
    cxm_calendar *cal = office();
    /* 4 business hours from Monday 15:00: 2 h on Monday, 2 h on Tuesday -> Tue 11:00. */
    cxm_sla_clock *k = clock_of(4 * H, CXM_SLA_BUSINESS_HOURS, cal);
    TU_OK(cxm_sla_clock_activate(k, M0 + 15 * H));
    cxm_sla_clock_status s = status(k, M0 + 15 * H);
    assert_int_equal(s.breach_at, M0 + D + 11 * H);
    /*
     * Paused Monday 16:00-20:00: 4 h on the wall clock, of which 16:00-17:00 is open.
     * The breach moves by the 1 h of open time only: Tuesday 12:00.
     */
    TU_OK(cxm_sla_clock_pause(k, M0 + 16 * H));
    TU_OK(cxm_sla_clock_resume(k, M0 + 20 * H));
    s = status(k, M0 + 20 * H);
    assert_int_equal(s.elapsed, H);
    assert_int_equal(s.paused, 4 * H);
    assert_int_equal(s.paused_counted, H);
    assert_int_equal(s.breach_at, M0 + D + 12 * H);
    /* Tuesday 10:00: 1 h Monday + 1 h Tuesday elapsed, 50 %. */
    s = status(k, M0 + D + 10 * H);
    assert_int_equal(s.elapsed, 2 * H);
    TU_NEAR(s.pct_elapsed, 50.0, 1e-12);
    /* Fulfilled Tuesday 12:30: breached by 30 min. */
    TU_OK(cxm_sla_clock_fulfil(k, M0 + D + 12 * H + 1800));
    s = status(k, 0);
    assert_true(s.breached && s.breach_at == M0 + D + 12 * H && s.lateness == 1800);
    assert_int_equal(s.elapsed, 4 * H + 1800);
    cxm_sla_clock_free(k);

    /* A pause entirely outside business hours changes nothing: 2 h from Monday 16:00 is
       due Tuesday 10:00 with or without a pause from Monday 18:00 to Tuesday 08:00. */
    k = clock_of(2 * H, CXM_SLA_BUSINESS_HOURS, cal);
    TU_OK(cxm_sla_clock_activate(k, M0 + 16 * H));
    TU_OK(cxm_sla_clock_pause(k, M0 + 18 * H));
    TU_OK(cxm_sla_clock_resume(k, M0 + D + 8 * H));
    s = status(k, M0 + D + 8 * H);
    assert_true(s.breach_at == M0 + D + 10 * H && s.paused == 14 * H && s.paused_counted == 0);
    cxm_sla_clock_free(k);

    /*
     * 1 h from Monday 16:00 is due at the close, 17:00. Fulfilled at 17:00: achieved.
     * Fulfilled at 18:00, with no open time since: breached all the same, 1 h late on the
     * wall clock (business time elapsed equals the target, but the due instant passed).
     */
    k = clock_of(H, CXM_SLA_BUSINESS_HOURS, cal);
    TU_OK(cxm_sla_clock_activate(k, M0 + 16 * H));
    cxm_sla_clock *late = NULL;
    TU_OK(cxm_sla_clock_clone(k, NULL, &late));
    TU_OK(cxm_sla_clock_fulfil(k, M0 + 17 * H));
    s = status(k, 0);
    assert_true(s.breached == 0 && s.elapsed == H);
    TU_OK(cxm_sla_clock_fulfil(late, M0 + 18 * H));
    s = status(late, 0);
    assert_true(s.breached == 1 && s.elapsed == H && s.lateness == H);
    /* Fulfilled while paused: the pause ends with the clock. */
    cxm_sla_clock *paused = clock_of(H, CXM_SLA_BUSINESS_HOURS, cal);
    TU_OK(cxm_sla_clock_activate(paused, M0 + 9 * H));
    TU_OK(cxm_sla_clock_pause(paused, M0 + 9 * H + 600));
    TU_OK(cxm_sla_clock_fulfil(paused, M0 + 12 * H));
    s = status(paused, 0);
    assert_true(s.state == CXM_SLA_CLOSED && s.elapsed == 600 && s.paused == 3 * H - 600);
    assert_true(s.breached == 0);
    cxm_sla_clock_free(paused);
    cxm_sla_clock_free(late);
    cxm_sla_clock_free(k);
    cxm_calendar_free(cal);
}

static void clock_bad_events_change_nothing(void **state)
{
    (void)state;
    _Alignas(16) unsigned char mem[512];
    assert_true(cxm_sla_clock_footprint() <= sizeof mem);
    cxm_sla_clock *k = NULL;
    TU_ST(cxm_sla_clock_init_in(mem, 8, H, CXM_SLA_CALENDAR_TIME, NULL, &k), CXM_BUFFER_TOO_SMALL);
    TU_ST(cxm_sla_clock_init_in(mem, sizeof mem, 0, CXM_SLA_CALENDAR_TIME, NULL, &k),
          CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_clock_init_in(mem, sizeof mem, H, CXM_SLA_BUSINESS_HOURS, NULL, &k),
          CXM_INVALID_ARGUMENT);
    TU_ST(cxm_sla_clock_init_in(mem, sizeof mem, H, 9, NULL, &k), CXM_INVALID_ARGUMENT);
    TU_OK(cxm_sla_clock_init_in(mem, sizeof mem, H, CXM_SLA_CALENDAR_TIME, NULL, &k));
    size_t n = cxm_sla_clock_footprint();
    unsigned char before[512];

    /* Inactive: only activate is valid. */
    memcpy(before, mem, n);
    TU_ST(cxm_sla_clock_pause(k, 10), CXM_BAD_STATE);
    TU_ST(cxm_sla_clock_resume(k, 10), CXM_BAD_STATE);
    TU_ST(cxm_sla_clock_fulfil(k, 10), CXM_BAD_STATE);
    TU_ST(cxm_sla_clock_activate(k, CXM_CALENDAR_MAX_TIME + 1), CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_clock_activate(NULL, 10), CXM_INVALID_ARGUMENT);
    assert_memory_equal(mem, before, n);
    /* Active: no activate, no resume, nothing earlier than the last event. */
    TU_OK(cxm_sla_clock_activate(k, 1000));
    memcpy(before, mem, n);
    TU_ST(cxm_sla_clock_activate(k, 1000), CXM_BAD_STATE);
    TU_ST(cxm_sla_clock_resume(k, 1100), CXM_BAD_STATE);
    TU_ST(cxm_sla_clock_pause(k, 999), CXM_BAD_ORDER);
    TU_ST(cxm_sla_clock_fulfil(k, 999), CXM_BAD_ORDER);
    cxm_sla_clock_status s = {.size = sizeof s};
    TU_ST(cxm_sla_clock_status_get(k, 999, &s), CXM_BAD_ORDER);
    s.size = 8;
    TU_ST(cxm_sla_clock_status_get(k, 1000, &s), CXM_INVALID_ARGUMENT);
    assert_memory_equal(mem, before, n);
    /* Paused: no second pause, nothing earlier. */
    TU_OK(cxm_sla_clock_pause(k, 1500));
    memcpy(before, mem, n);
    TU_ST(cxm_sla_clock_pause(k, 1600), CXM_BAD_STATE);
    TU_ST(cxm_sla_clock_activate(k, 1600), CXM_BAD_STATE);
    TU_ST(cxm_sla_clock_resume(k, 1499), CXM_BAD_ORDER);
    assert_memory_equal(mem, before, n);
    /* Closed: nothing at all. */
    TU_OK(cxm_sla_clock_fulfil(k, 1500));
    memcpy(before, mem, n);
    TU_ST(cxm_sla_clock_activate(k, 2000), CXM_BAD_STATE);
    TU_ST(cxm_sla_clock_pause(k, 2000), CXM_BAD_STATE);
    TU_ST(cxm_sla_clock_resume(k, 2000), CXM_BAD_STATE);
    TU_ST(cxm_sla_clock_fulfil(k, 2000), CXM_BAD_STATE);
    assert_memory_equal(mem, before, n);
    s.size = sizeof s;
    TU_OK(cxm_sla_clock_status_get(k, 0, &s));
    assert_true(s.elapsed == 500 && s.end == 1500 && s.breached == 0);
    cxm_sla_clock_free(k);
}

/* ---- evaluation ---------------------------------------------------------------- */

static cxm_sla_policy *standard_policy(void)
{
    cxm_sla_policy *p = NULL;
    TU_OK(cxm_sla_policy_new(CXM_SLA_STANDARD_LEVELS, &tu_allocator, &p));
    TU_OK(cxm_sla_policy_set_target(p, CXM_SLA_URGENT, CXM_SLA_FIRST_REPLY, H,
                                    CXM_SLA_CALENDAR_TIME));
    TU_OK(cxm_sla_policy_set_target(p, CXM_SLA_NORMAL, CXM_SLA_TOTAL_RESOLUTION, 16 * H,
                                    CXM_SLA_BUSINESS_HOURS));
    return p;
}

static cxm_sla_outcome evaluate(const cxm_sla_policy *p, const cxm_calendar *cal, uint32_t pr,
                                uint32_t m, int64_t start, int64_t end, uint32_t running,
                                const int64_t *pauses, size_t np)
{
    cxm_sla_outcome o = {.size = sizeof o};
    TU_OK(cxm_sla_evaluate(p, cal, pr, m, start, end, running, pauses, np, &o));
    return o;
}

static void one_shot_evaluation(void **state)
{
    (void)state;
    cxm_sla_policy *p = standard_policy();
    cxm_calendar *cal = office();
    const int64_t t = M0 + 10 * H;
    /* Urgent first reply, 1 h of calendar time: replied after 50 min, then after 66 min 40 s. */
    cxm_sla_outcome o =
        evaluate(p, NULL, CXM_SLA_URGENT, CXM_SLA_FIRST_REPLY, t, t + 3000, 0, NULL, 0);
    assert_true(o.outcome == CXM_SLA_ACHIEVED && o.lateness == 0 && o.past_due == 0);
    assert_true(o.elapsed == 3000 && o.target == H && o.breach_at == t + H);
    o = evaluate(p, NULL, CXM_SLA_URGENT, CXM_SLA_FIRST_REPLY, t, t + 4000, 0, NULL, 0);
    assert_true(o.outcome == CXM_SLA_BREACHED && o.lateness == 400 && o.past_due == 1);
    /* Not replied yet: at report time +50 min, active and not past due; at +83 min 20 s,
       active and 1400 s past due. */
    o = evaluate(p, NULL, CXM_SLA_URGENT, CXM_SLA_FIRST_REPLY, t, t + 3000, 1, NULL, 0);
    assert_true(o.outcome == CXM_SLA_RUNNING && o.past_due == 0 && o.breach_at == t + H);
    o = evaluate(p, NULL, CXM_SLA_URGENT, CXM_SLA_FIRST_REPLY, t, t + 5000, 1, NULL, 0);
    assert_true(o.outcome == CXM_SLA_RUNNING && o.past_due == 1 && o.lateness == 1400);
    /*
     * Normal resolution, 16 business hours, created Friday 16:00: Friday 1 h, Monday 8 h,
     * Tuesday 7 h -> due Tuesday 16:00. Waiting on the customer Monday 10:00-11:00 (1 open
     * hour) moves it to Tuesday 17:00, exactly the close.
     */
    const int64_t fri16 = M0 + 4 * D + 16 * H, mon = M0 + 7 * D, tue = M0 + 8 * D;
    const int64_t pause[2] = {mon + 10 * H, mon + 11 * H};
    o = evaluate(p, cal, CXM_SLA_NORMAL, CXM_SLA_TOTAL_RESOLUTION, fri16, tue + 16 * H, 1, NULL, 0);
    assert_true(o.breach_at == tue + 16 * H && o.past_due == 0);
    o = evaluate(p, cal, CXM_SLA_NORMAL, CXM_SLA_TOTAL_RESOLUTION, fri16, tue + 17 * H, 0, pause,
                 1);
    assert_true(o.outcome == CXM_SLA_ACHIEVED && o.breach_at == tue + 17 * H);
    assert_true(o.elapsed == 16 * H && o.paused == H && o.paused_counted == H);
    assert_int_equal(o.mode, CXM_SLA_BUSINESS_HOURS);
    /* Solved Wednesday 09:00:01 instead: 16 h and 1 s after the due instant. */
    o = evaluate(p, cal, CXM_SLA_NORMAL, CXM_SLA_TOTAL_RESOLUTION, fri16, tue + D + 9 * H + 1, 0,
                 pause, 1);
    assert_true(o.outcome == CXM_SLA_BREACHED && o.lateness == 16 * H + 1);
    assert_int_equal(o.elapsed, 16 * H + 1);
    cxm_sla_policy_free(p);
    cxm_calendar_free(cal);
}

static void evaluation_refuses_bad_input(void **state)
{
    (void)state;
    cxm_sla_policy *p = standard_policy();
    cxm_calendar *cal = office();
    cxm_sla_outcome o = {.size = sizeof o, .lateness = 77};
    const int64_t t = M0;
    const int64_t unordered[4] = {t + 50, t + 60, t + 40, t + 45};
    const int64_t inverted[2] = {t + 60, t + 50};
    const int64_t early[2] = {t - 1, t + 10};
    const int64_t outside[2] = {t + 10, t + 2000};
    const uint32_t fr = CXM_SLA_FIRST_REPLY, urgent = CXM_SLA_URGENT;
    TU_ST(cxm_sla_evaluate(p, NULL, urgent, fr, t, t - 1, 0, NULL, 0, &o), CXM_BAD_ORDER);
    TU_ST(cxm_sla_evaluate(p, NULL, urgent, fr, t, t + 1000, 0, unordered, 2, &o), CXM_BAD_ORDER);
    TU_ST(cxm_sla_evaluate(p, NULL, urgent, fr, t, t + 1000, 0, inverted, 1, &o), CXM_BAD_ORDER);
    TU_ST(cxm_sla_evaluate(p, NULL, urgent, fr, t, t + 1000, 0, early, 1, &o), CXM_BAD_ORDER);
    TU_ST(cxm_sla_evaluate(p, NULL, urgent, fr, t, t + 1000, 0, outside, 1, &o), CXM_BAD_ORDER);
    TU_ST(cxm_sla_evaluate(p, NULL, urgent, fr, t, t + 1000, 0, NULL, 1, &o), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_sla_evaluate(p, NULL, urgent, fr, t, t + 1000, 2, NULL, 0, &o), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_sla_evaluate(p, NULL, CXM_SLA_HIGH, fr, t, t + 1000, 0, NULL, 0, &o), CXM_EMPTY);
    TU_ST(cxm_sla_evaluate(p, NULL, 4, fr, t, t + 1000, 0, NULL, 0, &o), CXM_CAPACITY);
    TU_ST(cxm_sla_evaluate(p, NULL, urgent, 7, t, t + 1000, 0, NULL, 0, &o), CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_evaluate(p, NULL, urgent, fr, CXM_CALENDAR_MIN_TIME - 1, t, 0, NULL, 0, &o),
          CXM_OUT_OF_RANGE);
    /* A business-hours target needs the calendar. */
    TU_ST(cxm_sla_evaluate(p, NULL, CXM_SLA_NORMAL, CXM_SLA_TOTAL_RESOLUTION, t, t + 1000, 0, NULL,
                           0, &o),
          CXM_INVALID_ARGUMENT);
    o.size = 8;
    TU_ST(cxm_sla_evaluate(p, cal, urgent, fr, t, t + 1000, 0, NULL, 0, &o), CXM_INVALID_ARGUMENT);
    assert_int_equal(o.lateness, 77); /* nothing written */
    cxm_sla_policy_free(p);
    cxm_calendar_free(cal);
}

static void policy_encoding(void **state)
{
    (void)state;
    cxm_sla_policy *p = standard_policy(), *d = NULL;
    static uint8_t buf[1024], want[1024];
    size_t len = 0;
    TU_OK(cxm_sla_policy_encode(p, buf, sizeof buf, &len));
    TU_OK(cxm_sla_policy_decode(buf, len, &tu_allocator, &d));
    int64_t s = 0;
    uint32_t m = 0;
    TU_OK(cxm_sla_policy_target(d, CXM_SLA_NORMAL, CXM_SLA_TOTAL_RESOLUTION, &s, &m));
    assert_true(s == 16 * H && m == CXM_SLA_BUSINESS_HOURS);
    TU_ST(cxm_sla_policy_target(d, CXM_SLA_LOW, CXM_SLA_TOTAL_RESOLUTION, &s, &m), CXM_EMPTY);
    cxm_sla_policy_free(d);
    cxm_sla_policy_free(p);
    /*
     * tests/vectors/config/sla_policy_v1.hex: one level; first reply 3600 s calendar time (mode 1),
     * total resolution 57600 s business hours (mode 2). Payload: levels (offset 12), then
     * 7 targets of u64 seconds + u32 mode from offset 16. 12 + 4 + 84 + 4 = 104 bytes.
     */
    TU_OK(cxm_sla_policy_new(1, &tu_allocator, &p));
    TU_OK(cxm_sla_policy_set_target(p, 0, CXM_SLA_FIRST_REPLY, H, CXM_SLA_CALENDAR_TIME));
    TU_OK(
        cxm_sla_policy_set_target(p, 0, CXM_SLA_TOTAL_RESOLUTION, 16 * H, CXM_SLA_BUSINESS_HOURS));
    TU_ST(cxm_sla_policy_encode(p, NULL, 0, &len), CXM_BUFFER_TOO_SMALL);
    assert_int_equal(len, 104);
    TU_OK(cxm_sla_policy_encode(p, buf, sizeof buf, &len));
    size_t wlen = tu_read_vector("config/sla_policy_v1.hex", want, sizeof want);
    assert_int_equal(wlen, len);
    assert_memory_equal(buf, want, len);
    cxm_sla_policy_free(p);
    /* Hostile: no levels; an unknown mode; seconds without a mode; a mode without seconds. */
    const size_t at[4] = {12, 24, 28, 48};
    const uint8_t val[4] = {0, 3, 5, 1};
    for (int i = 0; i < 4; i++) {
        memcpy(buf, want, len);
        buf[at[i]] = val[i];
        tu_fix_crc(buf, len);
        d = NULL;
        TU_ST(cxm_sla_policy_decode(buf, len, &tu_allocator, &d), CXM_BAD_FORMAT);
        assert_null(d);
    }
    TU_ST(cxm_sla_policy_decode(want, len - 4, NULL, &d), CXM_BAD_FORMAT);
    TU_ST(cxm_sla_policy_decode(NULL, len, NULL, &d), CXM_INVALID_ARGUMENT);
}

/* ---- accumulator ---------------------------------------------------------------- */

static cxm_sla *mk(uint32_t levels)
{
    cxm_sla *s = NULL;
    TU_OK(cxm_sla_new(levels, &tu_allocator, &s));
    return s;
}

static cxm_sla_result result(const cxm_sla *s, uint32_t priority, uint32_t metric)
{
    cxm_sla_result r = {.size = sizeof r};
    TU_OK(cxm_sla_result_get(s, priority, metric, 0.95, &r));
    return r;
}

/* Urgent first reply: 3 achieved, 1 breached by 400 s, 2 running (one 1400 s past due);
   normal resolution: 1 achieved, 2 breached by 57601 s and 100 s. */
static void fill(cxm_sla *s)
{
    const uint32_t fr = CXM_SLA_FIRST_REPLY, tr = CXM_SLA_TOTAL_RESOLUTION;
    for (int i = 0; i < 3; i++)
        TU_OK(cxm_sla_add(s, CXM_SLA_URGENT, fr, CXM_SLA_ACHIEVED, 0));
    TU_OK(cxm_sla_add(s, CXM_SLA_URGENT, fr, CXM_SLA_BREACHED, 400));
    TU_OK(cxm_sla_add(s, CXM_SLA_URGENT, fr, CXM_SLA_RUNNING, 1400));
    TU_OK(cxm_sla_add(s, CXM_SLA_URGENT, fr, CXM_SLA_RUNNING, 0));
    const uint32_t ps[3] = {CXM_SLA_NORMAL, CXM_SLA_NORMAL, CXM_SLA_NORMAL};
    const uint32_t ms[3] = {tr, tr, tr};
    const uint8_t os[3] = {CXM_SLA_ACHIEVED, CXM_SLA_BREACHED, CXM_SLA_BREACHED};
    const int64_t ls[3] = {0, 57601, 100};
    TU_OK(cxm_sla_add_many(s, ps, ms, os, ls, 3, NULL));
}

static void compliance_and_lateness(void **state)
{
    (void)state;
    cxm_sla *s = mk(CXM_SLA_STANDARD_LEVELS);
    fill(s);
    cxm_sla_result r = result(s, CXM_SLA_URGENT, CXM_SLA_FIRST_REPLY);
    assert_true(r.achieved == 3 && r.breached == 1 && r.active == 2 && r.active_past_due == 1);
    /* 3 / (3 + 1) = 75 %; the running ones are not counted. Wilson 3 of 4: [30.06, 95.44]. */
    TU_NEAR(r.compliance_pct, 75.0, 1e-12);
    TU_NEAR(r.ci.lower, 30.064184258240186, 1e-8);
    TU_NEAR(r.ci.upper, 95.44127391902994, 1e-8);
    assert_true(r.lateness_mean == 400.0 && r.lateness_max == 400.0);
    /* Normal resolution: 1 / 3 = 33.3 %, Wilson [6.15, 79.23]; lateness mean
       (57601 + 100) / 2 = 28850.5, max 57601. */
    r = result(s, CXM_SLA_NORMAL, CXM_SLA_TOTAL_RESOLUTION);
    TU_NEAR(r.compliance_pct, 100.0 / 3.0, 1e-12);
    TU_NEAR(r.ci.lower, 6.149194472039621, 1e-8);
    TU_NEAR(r.ci.upper, 79.23403991979522, 1e-8);
    assert_true(r.lateness_mean == 28850.5 && r.lateness_max == 57601.0);
    /* Pooled over all priorities: the same, as no other priority has data. */
    r = result(s, CXM_SLA_ALL_PRIORITIES, CXM_SLA_TOTAL_RESOLUTION);
    assert_true(r.achieved == 1 && r.breached == 2 && r.priority == CXM_SLA_ALL_PRIORITIES);
    /* Lateness quantiles: min and max are exact; with two values the median is rank
       floor(0.5 * 1) = 0, the smaller one. */
    const double qs[3] = {0.0, 0.5, 1.0};
    double q[3];
    TU_OK(cxm_sla_lateness_quantiles(s, CXM_SLA_TOTAL_RESOLUTION, qs, 3, q, NULL));
    assert_true(q[0] == 100.0 && q[1] == 100.0 && q[2] == 57601.0);
    TU_OK(cxm_sla_lateness_quantiles(s, CXM_SLA_FIRST_REPLY, qs, 3, q, NULL));
    assert_true(q[0] == 400.0 && q[1] == 400.0 && q[2] == 400.0);
    /* A metric with no breach has no lateness; a priority with nothing has no compliance. */
    TU_ST(cxm_sla_lateness_quantiles(s, CXM_SLA_NEXT_REPLY, qs, 3, q, NULL), CXM_EMPTY);
    cxm_sla_result e = {.size = sizeof e, .compliance_pct = 5.0};
    TU_ST(cxm_sla_result_get(s, CXM_SLA_LOW, CXM_SLA_FIRST_REPLY, 0.95, &e), CXM_EMPTY);
    assert_true(e.achieved == 0 && e.compliance_pct == 0.0);
    /* Only running outcomes: counted, but no compliance. */
    cxm_sla *only = mk(1);
    TU_OK(cxm_sla_add(only, 0, CXM_SLA_AGENT_WORK, CXM_SLA_RUNNING, 0));
    TU_ST(cxm_sla_result_get(only, 0, CXM_SLA_AGENT_WORK, 0.95, &e), CXM_EMPTY);
    assert_true(e.active == 1);
    cxm_sla_free(only);
    cxm_sla_free(s);
}

static void lateness_quantiles_are_close(void **state)
{
    (void)state;
    /* 1000 breaches late by 1, 2, ..., 1000 s: the q-quantile is the value at rank
       floor(q * 999), i.e. 1 + floor(q * 999), within 1/129. */
    cxm_sla *s = mk(2);
    for (int64_t i = 1; i <= 1000; i++)
        TU_OK(cxm_sla_add(s, (uint32_t)(i % 2), CXM_SLA_NEXT_REPLY, CXM_SLA_BREACHED, i));
    const double qs[4] = {0.1, 0.5, 0.9, 0.99};
    double q[4];
    TU_OK(cxm_sla_lateness_quantiles(s, CXM_SLA_NEXT_REPLY, qs, 4, q, NULL));
    for (int i = 0; i < 4; i++) {
        double want = 1.0 + floor(qs[i] * 999.0);
        assert_true(fabs(q[i] - want) <= want / 129.0 + 1e-9);
    }
    /* Mean over both priorities: 500.5; each priority's mean is exact. */
    cxm_sla_result r = result(s, CXM_SLA_ALL_PRIORITIES, CXM_SLA_NEXT_REPLY);
    assert_true(r.breached == 1000 && r.lateness_mean == 500.5 && r.lateness_max == 1000.0);
    r = result(s, 0, CXM_SLA_NEXT_REPLY); /* 2, 4, ..., 1000: mean 501 */
    assert_true(r.breached == 500 && r.lateness_mean == 501.0);
    size_t bad = 0;
    const double badq[2] = {0.5, 1.5};
    TU_ST(cxm_sla_lateness_quantiles(s, CXM_SLA_NEXT_REPLY, badq, 2, q, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 1);
    cxm_sla_free(s);
}

static void evaluate_then_accumulate(void **state)
{
    (void)state;
    cxm_sla_policy *p = standard_policy();
    cxm_sla *s = mk(CXM_SLA_STANDARD_LEVELS);
    const int64_t t = M0;
    cxm_sla_outcome o =
        evaluate(p, NULL, CXM_SLA_URGENT, CXM_SLA_FIRST_REPLY, t, t + 4000, 0, NULL, 0);
    TU_OK(cxm_sla_add_outcome(s, &o));
    o = evaluate(p, NULL, CXM_SLA_URGENT, CXM_SLA_FIRST_REPLY, t, t + 5000, 1, NULL, 0);
    TU_OK(cxm_sla_add_outcome(s, &o));
    cxm_sla_result r = {.size = sizeof r};
    TU_ST(cxm_sla_result_get(s, CXM_SLA_URGENT, CXM_SLA_FIRST_REPLY, 0.95, &r), CXM_OK);
    assert_true(r.breached == 1 && r.active == 1 && r.active_past_due == 1);
    assert_true(r.compliance_pct == 0.0 && r.lateness_max == 400.0);
    o.size = 8;
    TU_ST(cxm_sla_add_outcome(s, &o), CXM_INVALID_ARGUMENT);
    cxm_sla_free(s);
    cxm_sla_policy_free(p);
}

static void accumulator_bad_input_changes_nothing(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("sla");
    cxm_sla *s = mk(CXM_SLA_STANDARD_LEVELS);
    fill(s);
    tu_snap snap = tu_snapshot(f, s);
    const uint32_t fr = CXM_SLA_FIRST_REPLY;
    TU_ST(cxm_sla_add(s, 4, fr, CXM_SLA_ACHIEVED, 0), CXM_CAPACITY);
    TU_ST(cxm_sla_add(s, 0, 7, CXM_SLA_ACHIEVED, 0), CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_add(s, 0, fr, 0, 0), CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_add(s, 0, fr, 4, 0), CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_add(s, 0, fr, CXM_SLA_ACHIEVED, 5), CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_add(s, 0, fr, CXM_SLA_BREACHED, 0), CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_add(s, 0, fr, CXM_SLA_BREACHED, -1), CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_add(s, 0, fr, CXM_SLA_RUNNING, -1), CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_add(s, 0, fr, CXM_SLA_BREACHED, INT64_MAX), CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_add(NULL, 0, fr, CXM_SLA_ACHIEVED, 0), CXM_INVALID_ARGUMENT);
    /* A batch with one bad record is refused whole and names it. */
    uint32_t ps[50], ms[50];
    uint8_t os[50];
    int64_t ls[50];
    for (int i = 0; i < 50; i++) {
        ps[i] = (uint32_t)i % 4;
        ms[i] = (uint32_t)i % 7;
        os[i] = CXM_SLA_BREACHED;
        ls[i] = 10 + i;
    }
    ls[31] = 0;
    size_t bad = 0;
    TU_ST(cxm_sla_add_many(s, ps, ms, os, ls, 50, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 31);
    ls[31] = 5;
    ps[49] = 4;
    TU_ST(cxm_sla_add_many(s, ps, ms, os, ls, 50, &bad), CXM_CAPACITY);
    assert_int_equal(bad, 49);
    TU_ST(cxm_sla_add_many(s, NULL, ms, os, ls, 50, &bad), CXM_INVALID_ARGUMENT);
    /* Other levels never merge. */
    cxm_sla *other = mk(3);
    TU_OK(cxm_sla_add(other, 0, fr, CXM_SLA_ACHIEVED, 0));
    TU_ST(cxm_sla_merge(s, other), CXM_KIND_MISMATCH);
    /* Results with bad arguments. */
    cxm_sla_result r = {.size = sizeof r};
    TU_ST(cxm_sla_result_get(s, 4, fr, 0.95, &r), CXM_CAPACITY);
    TU_ST(cxm_sla_result_get(s, 0, 7, 0.95, &r), CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_result_get(s, CXM_SLA_ALL_PRIORITIES, 7, 0.95, &r), CXM_OUT_OF_RANGE);
    TU_ST(cxm_sla_result_get(s, 0, fr, 1.0, &r), CXM_OUT_OF_RANGE);
    r.size = 8;
    TU_ST(cxm_sla_result_get(s, 0, fr, 0.95, &r), CXM_INVALID_ARGUMENT);
    tu_assert_same(f, s, snap);
    tu_snap_free(snap);
    cxm_sla_free(other);
    cxm_sla_free(s);
}

static void overflow_is_refused(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("sla");
    /* Doubling by self-merge: 2^63 achieved first replies at priority 0. */
    cxm_sla *big = mk(2);
    TU_OK(cxm_sla_add(big, 0, CXM_SLA_FIRST_REPLY, CXM_SLA_ACHIEVED, 0));
    for (int i = 0; i < 63; i++)
        TU_OK(cxm_sla_merge(big, big));
    cxm_sla_result r = result(big, 0, CXM_SLA_FIRST_REPLY);
    assert_true(r.achieved == (uint64_t)1 << 63 && r.compliance_pct == 100.0);
    tu_snap snap = tu_snapshot(f, big);
    TU_ST(cxm_sla_merge(big, big), CXM_OVERFLOW);
    /*
     * 2^63 breaches by 1 s at priority 1 fit their own cell but would take the metric over all
     * priorities past 2^64 - 1, where the pooled result could not be exact: refused.
     */
    cxm_sla *other = mk(2);
    TU_OK(cxm_sla_add(other, 1, CXM_SLA_FIRST_REPLY, CXM_SLA_BREACHED, 1));
    for (int i = 0; i < 63; i++)
        TU_OK(cxm_sla_merge(other, other));
    TU_ST(cxm_sla_merge(big, other), CXM_OVERFLOW);
    tu_assert_same(f, big, snap);
    /* Other metrics have room: the batch bound is the busiest metric plus the batch. */
    const uint32_t p1 = 1, m1 = CXM_SLA_NEXT_REPLY;
    const uint8_t o1 = CXM_SLA_ACHIEVED;
    const int64_t l0 = 0;
    TU_OK(cxm_sla_add_many(big, &p1, &m1, &o1, &l0, 1, NULL));
    r = result(big, CXM_SLA_ALL_PRIORITIES, CXM_SLA_NEXT_REPLY);
    assert_true(r.achieved == 1);
    tu_snap_free(snap);
    cxm_sla_free(big);
    cxm_sla_free(other);
}

static void placement_and_creation(void **state)
{
    (void)state;
    assert_int_equal(cxm_sla_footprint(0), 0);
    assert_int_equal(cxm_sla_footprint(CXM_SLA_MAX_LEVELS + 1), 0);
    cxm_sla *s = NULL;
    TU_ST(cxm_sla_new(0, NULL, &s), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_sla_new(4, NULL, NULL), CXM_INVALID_ARGUMENT);
    size_t need = cxm_sla_footprint(2);
    unsigned char *raw = test_malloc(need + 16);
    unsigned char *mem = raw + (16 - (uintptr_t)raw % 16) % 16;
    TU_ST(cxm_sla_init_in(mem, need - 1, 2, &s), CXM_BUFFER_TOO_SMALL);
    TU_OK(cxm_sla_init_in(mem, need, 2, &s));
    TU_OK(cxm_sla_add(s, 1, CXM_SLA_PERIODIC_UPDATE, CXM_SLA_BREACHED, 30));
    uint32_t levels = 0;
    TU_OK(cxm_sla_levels(s, &levels));
    assert_int_equal(levels, 2);
    cxm_sla *copy = NULL;
    TU_OK(cxm_sla_clone(s, &tu_allocator, &copy));
    assert_true(result(copy, 1, CXM_SLA_PERIODIC_UPDATE).lateness_max == 30.0);
    cxm_sla_free(copy);
    cxm_sla_free(s); /* releases nothing */
    test_free(raw);
}

/* The exact bytes of format version 1, from tests/vectors/sla_v1.hex. */
static void encoding_vector(void **state)
{
    (void)state;
    /*
     * One level; first reply: 1 achieved, 1 breached by 60 s, 1 running 30 s past due.
     * Payload: levels u32; 7 cells of 6 u64 (achieved, breached, active, past due, lateness
     * sum, lateness max); 7 sketches (n, min, max, under max, over min, sum us 2 x u64,
     * sum us^2 3 x u64, then LEB128 runs). 60 s = 1.875 * 2^5 is slot
     * ((1028 << 6 | 56) - (1013 << 6)) + 1 = 1017: one run, skip 1017 (f9 07), length 1,
     * count 1. Empty sketches: 80 zero bytes and a run count of 0.
     */
    cxm_sla *s = mk(1);
    TU_OK(cxm_sla_add(s, 0, CXM_SLA_FIRST_REPLY, CXM_SLA_ACHIEVED, 0));
    TU_OK(cxm_sla_add(s, 0, CXM_SLA_FIRST_REPLY, CXM_SLA_BREACHED, 60));
    TU_OK(cxm_sla_add(s, 0, CXM_SLA_FIRST_REPLY, CXM_SLA_RUNNING, 30));
    static uint8_t buf[2048], want[2048];
    size_t len = 0;
    TU_ST(cxm_sla_encode(s, NULL, 0, &len), CXM_BUFFER_TOO_SMALL);
    assert_int_equal(len, 12 + 4 + 7 * 48 + (80 + 5) + 6 * 81 + 4);
    TU_OK(cxm_sla_encode(s, buf, sizeof buf, &len));
    size_t wlen = tu_read_vector("sla_v1.hex", want, sizeof want);
    assert_int_equal(wlen, len);
    assert_memory_equal(buf, want, len);
    cxm_sla *d = NULL;
    TU_OK(cxm_sla_decode(want, wlen, &tu_allocator, &d));
    cxm_sla_result a = result(s, 0, CXM_SLA_FIRST_REPLY), b = result(d, 0, CXM_SLA_FIRST_REPLY);
    assert_true(a.compliance_pct == 50.0 && b.compliance_pct == 50.0);
    assert_true(b.active_past_due == 1 && b.lateness_max == 60.0);
    cxm_sla_free(d);
    cxm_sla_free(s);
}

static void decode_rejects_inconsistent_fields(void **state)
{
    (void)state;
    cxm_sla *s = mk(1);
    TU_OK(cxm_sla_add(s, 0, CXM_SLA_FIRST_REPLY, CXM_SLA_BREACHED, 60));
    TU_OK(cxm_sla_add(s, 0, CXM_SLA_FIRST_REPLY, CXM_SLA_RUNNING, 0));
    static uint8_t buf[2048];
    size_t len;
    cxm_sla *d = NULL;
    /* Field offsets: levels at 12, the first cell at 16 (achieved), 24 (breached),
       32 (active), 40 (past due), 48 (lateness sum), 56 (lateness max). */
    const size_t at[5] = {12, 24, 40, 48, 56};
    const uint8_t val[5] = {0, 2, 2, 0, 61};
    for (int i = 0; i < 5; i++) {
        TU_OK(cxm_sla_encode(s, buf, sizeof buf, &len));
        buf[at[i]] = val[i];
        tu_fix_crc(buf, len);
        TU_ST(cxm_sla_decode(buf, len, &tu_allocator, &d), CXM_BAD_FORMAT);
        assert_null(d);
    }
    /*
     * Two priorities of 2^63 + 1 first replies each: every cell is valid, the metric's
     * total over all priorities is not.
     */
    cxm_sla *two = mk(2);
    TU_OK(cxm_sla_add(two, 0, CXM_SLA_FIRST_REPLY, CXM_SLA_ACHIEVED, 0));
    TU_OK(cxm_sla_add(two, 1, CXM_SLA_FIRST_REPLY, CXM_SLA_ACHIEVED, 0));
    TU_OK(cxm_sla_encode(two, buf, sizeof buf, &len));
    buf[16 + 7] = 0x80;          /* cell (0, first reply): achieved += 2^63 */
    buf[16 + 7 * 48 + 7] = 0x80; /* cell (1, first reply) */
    tu_fix_crc(buf, len);
    TU_ST(cxm_sla_decode(buf, len, &tu_allocator, &d), CXM_BAD_FORMAT);
    buf[16 + 7 * 48 + 7] = 0;
    tu_fix_crc(buf, len);
    TU_OK(cxm_sla_decode(buf, len, &tu_allocator, &d));
    cxm_sla_free(d);
    d = NULL;
    cxm_sla_free(two);
    /* 257 levels: refused before anything is allocated. */
    TU_OK(cxm_sla_encode(s, buf, sizeof buf, &len));
    buf[12] = 1;
    buf[13] = 1;
    tu_fix_crc(buf, len);
    TU_ST(cxm_sla_decode(buf, len, &tu_allocator, &d), CXM_BAD_FORMAT);
    TU_ST(cxm_sla_decode(NULL, len, NULL, &d), CXM_INVALID_ARGUMENT);
    cxm_sla_free(s);
}

/* Compliance and lateness carry has_ flags: no breach is "no lateness", not 0 s. */
static void parts_without_data_are_flagged(void **state)
{
    (void)state;
    cxm_sla *s = NULL;
    TU_OK(cxm_sla_new(2, &tu_allocator, &s));
    cxm_sla_result r;
    memset(&r, 0xAB, sizeof r);
    r.size = sizeof r;
    TU_OK(cxm_sla_add(s, 0, CXM_SLA_FIRST_REPLY, CXM_SLA_RUNNING, 0));
    assert_int_equal(cxm_sla_result_get(s, 0, CXM_SLA_FIRST_REPLY, 0, &r), CXM_EMPTY);
    assert_int_equal(r.active, 1);
    assert_int_equal(r.has_compliance, 0);
    assert_int_equal(r.has_lateness, 0);

    TU_OK(cxm_sla_add(s, 0, CXM_SLA_FIRST_REPLY, CXM_SLA_ACHIEVED, 0));
    TU_OK(cxm_sla_result_get(s, 0, CXM_SLA_FIRST_REPLY, 0, &r));
    assert_int_equal(r.has_compliance, 1);
    assert_true(r.compliance_pct == 100.0);
    assert_int_equal(r.has_lateness, 0); /* nothing breached: no lateness */
    assert_true(r.lateness_mean == 0.0);

    TU_OK(cxm_sla_add(s, 1, CXM_SLA_FIRST_REPLY, CXM_SLA_BREACHED, 90));
    TU_OK(cxm_sla_result_get(s, CXM_SLA_ALL_PRIORITIES, CXM_SLA_FIRST_REPLY, 0, &r));
    assert_int_equal(r.has_compliance, 1);
    assert_int_equal(r.has_lateness, 1);
    assert_true(r.lateness_mean == 90.0);
    assert_true(r.compliance_pct == 50.0);

#define GET(p) cxm_sla_result_get(s, CXM_SLA_ALL_PRIORITIES, CXM_SLA_FIRST_REPLY, 0, p)
    TU_FIRST_VERSION_SIZE(cxm_sla_result, has_compliance, GET);
#undef GET
    cxm_sla_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parts_without_data_are_flagged),
        cmocka_unit_test(policy_targets),
        cmocka_unit_test(policy_bad_input_changes_nothing),
        cmocka_unit_test(policy_encoding),
        cmocka_unit_test(clock_calendar_time),
        cmocka_unit_test(clock_business_hours_and_pauses),
        cmocka_unit_test(clock_bad_events_change_nothing),
        cmocka_unit_test(one_shot_evaluation),
        cmocka_unit_test(evaluation_refuses_bad_input),
        cmocka_unit_test(compliance_and_lateness),
        cmocka_unit_test(lateness_quantiles_are_close),
        cmocka_unit_test(evaluate_then_accumulate),
        cmocka_unit_test(accumulator_bad_input_changes_nothing),
        cmocka_unit_test(overflow_is_refused),
        cmocka_unit_test(placement_and_creation),
        cmocka_unit_test(encoding_vector),
        cmocka_unit_test(decode_rejects_inconsistent_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
