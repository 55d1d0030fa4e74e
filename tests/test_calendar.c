/*
 * test_calendar.c — business hours, by hand: a week across a weekend, a
 * holiday and a daylight-saving change; a lunch-break schedule; due
 * instants landing exactly on interval boundaries; the repeated and the
 * skipped hour of DST; 400 years in one call; every bad input leaving the
 * calendar byte for byte unchanged.
 */
#include "testutil.h"

#define H 3600
#define D 86400
/* 2026-03-23T00:00:00Z, a Monday (20535 days after 1970-01-01, a Thursday: 20535 % 7 == 4). */
#define MON23 1774224000LL
/* 2026-03-30T00:00:00Z, the Monday after. */
#define MON30 (MON23 + 7 * D)
/* 2026-03-29T01:00:00Z: central Europe moves from UTC+1 to UTC+2. */
#define SPRING (MON23 + 6 * D + 1 * H)
/* 2026-10-25T01:00:00Z: and back to UTC+1. */
#define AUTUMN 1792890000LL
/* 2000-01-03T00:00:00Z, a Monday. */
#define M0 946857600LL

static cxm_calendar *mk(uint32_t max_intervals, uint32_t max_holidays, uint32_t max_changes,
                        int32_t offset)
{
    cxm_calendar_config cfg = {sizeof cfg, 0, max_intervals, max_holidays, max_changes, offset};
    cxm_calendar *c = NULL;
    TU_OK(cxm_calendar_new(&cfg, &tu_allocator, &c));
    return c;
}

static void weekdays_9_to_17(cxm_calendar *c)
{
    for (uint32_t d = CXM_MONDAY; d <= CXM_FRIDAY; d++)
        TU_OK(cxm_calendar_add_interval(c, d, 9 * H, 17 * H));
}

/* Paris-like: Mon-Fri 09-17 local, UTC+1, UTC+2 from SPRING to AUTUMN, Good Friday closed. */
static cxm_calendar *europe(void)
{
    cxm_calendar *c = mk(8, 4, 4, 1 * H);
    weekdays_9_to_17(c);
    TU_OK(cxm_calendar_add_offset_change(c, AUTUMN, 1 * H)); /* any order */
    TU_OK(cxm_calendar_add_offset_change(c, SPRING, 2 * H));
    TU_OK(cxm_calendar_add_holiday(c, 2026, 4, 3));
    return c;
}

static int64_t biz(const cxm_calendar *c, int64_t t0, int64_t t1)
{
    int64_t s = -1;
    TU_OK(cxm_calendar_business_seconds(c, t0, t1, &s));
    return s;
}

static int64_t due(const cxm_calendar *c, int64_t t0, int64_t seconds)
{
    int64_t t = -1;
    TU_OK(cxm_calendar_due(c, t0, seconds, &t));
    return t;
}

static void week_across_weekend_holiday_and_dst(void **state)
{
    (void)state;
    cxm_calendar *c = europe();
    /* Fri 2026-03-20 15:00Z (16:00 local) -> Mon 03-23 09:00Z (10:00 local): 1 h + 1 h. */
    assert_int_equal(biz(c, MON23 - 3 * D + 15 * H, MON23 + 9 * H), 2 * H);
    /*
     * Mon 03-23 09:00 local (08:00Z, UTC+1) -> Mon 03-30 09:00 local (07:00Z, UTC+2):
     * five whole days of 8 h = 144000 s, over a wall-clock span of 7 d - 1 h.
     */
    assert_int_equal(biz(c, MON23 + 8 * H, MON30 + 7 * H), 5 * 8 * H);
    /* After the change 09:00 local is 07:00Z: [07:00Z, 08:00Z) is the first open hour. */
    assert_int_equal(biz(c, MON30 + 7 * H, MON30 + 8 * H), H);
    assert_int_equal(biz(c, MON30 + 6 * H, MON30 + 7 * H), 0);
    int32_t off = 0;
    TU_OK(cxm_calendar_offset_at(c, SPRING - 1, &off));
    assert_int_equal(off, 1 * H);
    TU_OK(cxm_calendar_offset_at(c, SPRING, &off));
    assert_int_equal(off, 2 * H);
    TU_OK(cxm_calendar_offset_at(c, AUTUMN, &off));
    assert_int_equal(off, 1 * H);
    /* Holiday week, local Mon 03-30 00:00 (03-29 22:00Z) -> Mon 04-06 00:00: 4 days of 8 h. */
    assert_int_equal(biz(c, MON30 - 2 * H, MON30 + 7 * D - 2 * H), 4 * 8 * H);
    /* The holiday itself, Fri 04-03 09:00-17:00 local = 07:00Z-15:00Z: nothing. */
    assert_int_equal(biz(c, MON30 + 4 * D + 7 * H, MON30 + 4 * D + 15 * H), 0);
    /* An empty span and a span inside closed hours. */
    assert_int_equal(biz(c, MON30 + 7 * H, MON30 + 7 * H), 0);
    assert_int_equal(biz(c, MON30 + 5 * D, MON30 + 7 * D - 2 * H), 0);
    cxm_calendar_free(c);
}

static void due_instants_on_boundaries(void **state)
{
    (void)state;
    cxm_calendar *c = europe();
    int64_t thu16 = MON30 + 3 * D + 14 * H; /* Thu 04-02 16:00 local = 14:00Z */
    /* 1 h: met exactly at Thursday's close, 17:00 local = 15:00Z, not at Monday's opening. */
    assert_int_equal(due(c, thu16, H), MON30 + 3 * D + 15 * H);
    /* 1 h + 1 s: Friday is a holiday, so Monday 04-06 09:00:01 local = 07:00:01Z. */
    assert_int_equal(due(c, thu16, H + 1), MON30 + 7 * D + 7 * H + 1);
    /* 8 h: 1 h on Thursday + 7 h on Monday -> Monday 16:00 local = 14:00Z. */
    assert_int_equal(due(c, thu16, 8 * H), MON30 + 7 * D + 14 * H);
    /* 0 s is due at once, even in closed hours. */
    assert_int_equal(due(c, MON30 + 5 * D, 0), MON30 + 5 * D);
    /* From Saturday, 1 s: Monday 04-06 09:00:01 local. */
    assert_int_equal(due(c, MON30 + 5 * D, 1), MON30 + 7 * D + 7 * H + 1);
    /* Across the DST change: Fri 03-27 16:00 local (15:00Z, UTC+1) + 2 h -> Mon 03-30
       10:00 local (08:00Z, UTC+2). */
    assert_int_equal(due(c, MON23 + 4 * D + 15 * H, 2 * H), MON30 + 8 * H);
    /* Starting exactly at an opening: 09:00 local Monday + 8 h = 17:00 local the same day. */
    assert_int_equal(due(c, MON30 + 7 * H, 8 * H), MON30 + 15 * H);
    /* due and business_seconds agree. */
    assert_int_equal(biz(c, thu16, due(c, thu16, 8 * H)), 8 * H);
    cxm_calendar_free(c);
}

static void lunch_break(void **state)
{
    (void)state;
    /* UTC, Monday 09:00-12:00 and 13:00-17:00 (added out of order): 7 open hours a week. */
    cxm_calendar *c = mk(2, 0, 0, 0);
    TU_OK(cxm_calendar_add_interval(c, CXM_MONDAY, 13 * H, 17 * H));
    TU_OK(cxm_calendar_add_interval(c, CXM_MONDAY, 9 * H, 12 * H));
    /* 11:30-13:30: 30 min before lunch + 30 min after. */
    assert_int_equal(biz(c, M0 + 11 * H + 1800, M0 + 13 * H + 1800), H);
    assert_int_equal(biz(c, M0 + 12 * H, M0 + 13 * H), 0);
    assert_int_equal(biz(c, M0, M0 + 7 * D), 7 * H);
    /* From 11:00, 1 h ends exactly at 12:00 (lunch begins); 1 h + 1 s is 13:00:01. */
    assert_int_equal(due(c, M0 + 11 * H, H), M0 + 12 * H);
    assert_int_equal(due(c, M0 + 11 * H, H + 1), M0 + 13 * H + 1);
    /* From lunch, 3 h: 13:00-16:00. */
    assert_int_equal(due(c, M0 + 12 * H + 1800, 3 * H), M0 + 16 * H);
    /* All 7 h of the week: 17:00 Monday; one second more: next Monday 09:00:01. */
    assert_int_equal(due(c, M0 + 9 * H, 7 * H), M0 + 17 * H);
    assert_int_equal(due(c, M0 + 9 * H, 7 * H + 1), M0 + 7 * D + 9 * H + 1);
    /* Three weeks and a bit, jumping whole weeks: 21 h + 2 h from Monday 00:00. */
    assert_int_equal(due(c, M0, 23 * H), M0 + 21 * D + 11 * H);
    /* Before 1970 too: Monday 1969-12-29 is day -3; 10000 weeks earlier, 7 h -> 17:00. */
    int64_t old_monday = -3 * D - 10000LL * 7 * D;
    assert_int_equal(due(c, old_monday, 7 * H), old_monday + 17 * H);
    assert_int_equal(biz(c, old_monday - 7 * D, old_monday + 11 * H), 7 * H + 2 * H);
    cxm_calendar_free(c);
}

static void dst_repeated_and_skipped_hours(void **state)
{
    (void)state;
    /* A Sunday night shift 02:00-03:00 local. */
    cxm_calendar *fall = mk(1, 0, 1, 2 * H);
    TU_OK(cxm_calendar_add_interval(fall, CXM_SUNDAY, 2 * H, 3 * H));
    TU_OK(cxm_calendar_add_offset_change(fall, AUTUMN, 1 * H));
    /*
     * Sat 10-24 23:00Z -> Sun 10-25 03:00Z. At UTC+2 until 01:00Z: local 01:00-03:00, of
     * which 02:00-03:00 is open (1 h). At UTC+1 from 01:00Z: local 02:00-04:00, of which
     * 02:00-03:00 is open again (1 h). The repeated hour is worked twice: 2 h.
     */
    assert_int_equal(biz(fall, AUTUMN - 2 * H, AUTUMN + 2 * H), 2 * H);
    /* 1.5 h from Sat 23:00Z: 1 h before the change, then 30 min -> 01:30Z. */
    assert_int_equal(due(fall, AUTUMN - 2 * H, 5400), AUTUMN + 1800);
    /* Exactly 1 h: met at the change instant itself. */
    assert_int_equal(due(fall, AUTUMN - 2 * H, H), AUTUMN);

    cxm_calendar *spring = mk(1, 0, 1, 1 * H);
    TU_OK(cxm_calendar_add_interval(spring, CXM_SUNDAY, 2 * H, 3 * H));
    TU_OK(cxm_calendar_add_offset_change(spring, SPRING, 2 * H));
    /* Sat 03-28 23:00Z -> Sun 03-29 03:00Z: local 00:00-02:00 then 03:00-05:00; 02:00-03:00
       never happens. */
    assert_int_equal(biz(spring, SPRING - 2 * H, SPRING + 2 * H), 0);
    /* So 1 s is due the next Sunday, 04-05 02:00:01 local (UTC+2) = 00:00:01Z. */
    assert_int_equal(due(spring, SPRING - 2 * H, 1), MON30 + 6 * D + 1);
    cxm_calendar_free(fall);
    cxm_calendar_free(spring);
}

static void four_hundred_years(void **state)
{
    (void)state;
    /* 400 Gregorian years = 146097 days = 20871 weeks exactly, each with 40 open hours. */
    cxm_calendar *c = mk(5, 0, 0, 0);
    weekdays_9_to_17(c);
    int64_t end = M0 + 146097LL * D; /* a Monday 00:00 in 2400 */
    assert_int_equal(biz(c, M0, end), 20871LL * 40 * H);
    /* The last open second of the span ends on the Friday before, 17:00: 55 h before. */
    assert_int_equal(due(c, M0, 20871LL * 40 * H), end - 55 * H);
    /* The whole range in one call. */
    int64_t all = biz(c, CXM_CALENDAR_MIN_TIME, CXM_CALENDAR_MAX_TIME);
    assert_true(all > 0);
    /* A due instant beyond the range is refused; so is a negative target. */
    int64_t t = 7;
    TU_ST(cxm_calendar_due(c, CXM_CALENDAR_MAX_TIME - 10 * D, 100 * H, &t), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_due(c, M0, -1, &t), CXM_OUT_OF_RANGE);
    assert_int_equal(t, 7);
    cxm_calendar_free(c);
}

static void empty_schedule(void **state)
{
    (void)state;
    cxm_calendar *c = mk(1, 0, 0, 0);
    int64_t t = 5;
    assert_int_equal(biz(c, M0, M0 + 30 * D), 0);
    TU_ST(cxm_calendar_due(c, M0, 1, &t), CXM_EMPTY);
    assert_int_equal(t, 5);
    assert_int_equal(due(c, M0, 0), M0);
    cxm_calendar_free(c);
}

static void bad_input_changes_nothing(void **state)
{
    (void)state;
    cxm_calendar_config cfg = {sizeof cfg, 0, 6, 2, 1, 1 * H};
    size_t need = cxm_calendar_footprint(&cfg);
    assert_true(need > 0);
    unsigned char *raw = test_malloc(need + 16);
    unsigned char *mem = raw + (16 - (uintptr_t)raw % 16) % 16;
    cxm_calendar *c = NULL;
    TU_ST(cxm_calendar_init_in(mem, need - 1, &cfg, &c), CXM_BUFFER_TOO_SMALL);
    TU_OK(cxm_calendar_init_in(mem, need, &cfg, &c));
    weekdays_9_to_17(c);
    TU_OK(cxm_calendar_add_holiday(c, 2024, 2, 29)); /* a leap day */
    TU_OK(cxm_calendar_add_offset_change(c, SPRING, 2 * H));
    unsigned char *before = test_malloc(need);
    memcpy(before, mem, need);

    /* Intervals: weekday, bounds, overlaps. */
    TU_ST(cxm_calendar_add_interval(c, 7, 0, H), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_interval(c, CXM_SATURDAY, -1, H), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_interval(c, CXM_SATURDAY, 0, D + 1), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_interval(c, CXM_SATURDAY, H, H), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_interval(c, CXM_SATURDAY, 2 * H, H), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_interval(c, CXM_MONDAY, 10 * H, 11 * H), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_interval(c, CXM_MONDAY, 8 * H, 9 * H + 1), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_interval(c, CXM_MONDAY, 0, D), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_interval(NULL, CXM_MONDAY, 0, H), CXM_INVALID_ARGUMENT);
    /* Holidays: no such dates; a date already there changes nothing. */
    TU_ST(cxm_calendar_add_holiday(c, 2026, 2, 29), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_holiday(c, 1900, 2, 29), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_holiday(c, 2026, 13, 1), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_holiday(c, 2026, 4, 31), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_holiday(c, 2026, 1, 0), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_holiday(c, 0, 1, 1), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_holiday(c, 10000, 1, 1), CXM_OUT_OF_RANGE);
    TU_OK(cxm_calendar_add_holiday(c, 2024, 2, 29));
    /* Offset changes: same instant twice, offsets and instants out of range. */
    TU_ST(cxm_calendar_add_offset_change(c, SPRING, 3 * H), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_offset_change(c, AUTUMN, CXM_MAX_UTC_OFFSET + 1), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_offset_change(c, AUTUMN, -CXM_MAX_UTC_OFFSET - 1), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_offset_change(c, CXM_CALENDAR_MAX_TIME + 1, 0), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_add_offset_change(c, CXM_CALENDAR_MIN_TIME - 1, 0), CXM_OUT_OF_RANGE);
    /* Capacities: one interval, one holiday left; no change left. */
    TU_ST(cxm_calendar_add_offset_change(c, AUTUMN, H), CXM_CAPACITY);
    assert_memory_equal(mem, before, need);
    /* Queries refuse bad instants and orders. */
    int64_t s = 9;
    int32_t off = 9;
    TU_ST(cxm_calendar_business_seconds(c, M0 + 1, M0, &s), CXM_BAD_ORDER);
    TU_ST(cxm_calendar_business_seconds(c, CXM_CALENDAR_MIN_TIME - 1, M0, &s), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_business_seconds(c, M0, CXM_CALENDAR_MAX_TIME + 1, &s), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_business_seconds(c, M0, M0, NULL), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_calendar_due(c, CXM_CALENDAR_MAX_TIME + 1, 0, &s), CXM_OUT_OF_RANGE);
    TU_ST(cxm_calendar_due(NULL, M0, 0, &s), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_calendar_offset_at(c, INT64_MIN, &off), CXM_OUT_OF_RANGE);
    assert_int_equal(s, 9);
    assert_int_equal(off, 9);
    assert_memory_equal(mem, before, need);
    /* Then the capacities fill up exactly. */
    TU_OK(cxm_calendar_add_interval(c, CXM_SATURDAY, 10 * H, 12 * H));
    TU_ST(cxm_calendar_add_interval(c, CXM_SUNDAY, 10 * H, 12 * H), CXM_CAPACITY);
    TU_OK(cxm_calendar_add_holiday(c, 2026, 12, 25));
    TU_ST(cxm_calendar_add_holiday(c, 2026, 12, 26), CXM_CAPACITY);
    /* Touching intervals are allowed (capacity permitting). */
    cxm_calendar *t = mk(2, 0, 0, 0);
    TU_OK(cxm_calendar_add_interval(t, CXM_MONDAY, 9 * H, 12 * H));
    TU_OK(cxm_calendar_add_interval(t, CXM_MONDAY, 12 * H, 13 * H));
    assert_int_equal(biz(t, M0, M0 + D), 4 * H);
    cxm_calendar_free(t);
    cxm_calendar_free(c); /* placed: releases nothing */
    test_free(before);
    test_free(raw);
}

static void creation_rules(void **state)
{
    (void)state;
    cxm_calendar *c = NULL;
    cxm_calendar_config cfg = {sizeof cfg, 0, 4, 0, 0, 0};
    TU_ST(cxm_calendar_new(NULL, NULL, &c), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_calendar_new(&cfg, NULL, NULL), CXM_INVALID_ARGUMENT);
    cfg.reserved = 1;
    TU_ST(cxm_calendar_new(&cfg, NULL, &c), CXM_INVALID_ARGUMENT);
    cfg.reserved = 0;
    cfg.size = 4;
    TU_ST(cxm_calendar_new(&cfg, NULL, &c), CXM_INVALID_ARGUMENT);
    cfg.size = sizeof cfg;
    cfg.max_intervals = 0;
    TU_ST(cxm_calendar_new(&cfg, NULL, &c), CXM_INVALID_ARGUMENT);
    assert_int_equal(cxm_calendar_footprint(&cfg), 0);
    cfg.max_intervals = CXM_CALENDAR_MAX_CAPACITY + 1;
    TU_ST(cxm_calendar_new(&cfg, NULL, &c), CXM_INVALID_ARGUMENT);
    cfg.max_intervals = 4;
    cfg.max_holidays = CXM_CALENDAR_MAX_CAPACITY + 1;
    TU_ST(cxm_calendar_new(&cfg, NULL, &c), CXM_INVALID_ARGUMENT);
    cfg.max_holidays = 0;
    cfg.utc_offset = CXM_MAX_UTC_OFFSET + 1;
    TU_ST(cxm_calendar_new(&cfg, NULL, &c), CXM_OUT_OF_RANGE);
    assert_null(c);
    /* A clone answers as the original, in its own memory. */
    cxm_calendar *e = europe(), *copy = NULL;
    TU_OK(cxm_calendar_clone(e, &tu_allocator, &copy));
    cxm_calendar_free(e);
    assert_int_equal(biz(copy, MON30 - 2 * H, MON30 + 7 * D - 2 * H), 4 * 8 * H);
    cxm_calendar_free(copy);
    cxm_calendar_free(NULL);
}

/* ---- against a second-by-second reference ------------------------------------- */

typedef struct ref_cal {
    int n_iv;
    int32_t wd[16], open[16], close[16];
    int n_hol;
    int64_t hol[12]; /* local day numbers */
    int n_chg;
    int64_t at[10];
    int32_t off[10];
    int32_t base;
} ref_cal;

static int64_t floor_div_ref(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Is instant t open? Straight from the definition, one second at a time. */
static int ref_open(const ref_cal *r, int64_t t)
{
    int32_t off = r->base;
    int64_t best = INT64_MIN;
    for (int i = 0; i < r->n_chg; i++)
        if (r->at[i] <= t && r->at[i] > best) {
            best = r->at[i];
            off = r->off[i];
        }
    int64_t local = t + off, day = floor_div_ref(local, D);
    for (int i = 0; i < r->n_hol; i++)
        if (r->hol[i] == day) return 0;
    int64_t wd = ((day % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday (3) */
    int64_t sec = local - day * D;
    for (int i = 0; i < r->n_iv; i++)
        if (r->wd[i] == wd && sec >= r->open[i] && sec < r->close[i]) return 1;
    return 0;
}

/* Civil date of a day number, for cxm_calendar_add_holiday (the inverse of the era formula). */
static void civil(int64_t z, int32_t *y, int32_t *m, int32_t *d)
{
    z += 719468;
    int64_t era = floor_div_ref(z, 146097), doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    *d = (int32_t)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int32_t)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int32_t)(yoe + era * 400 + (*m <= 2));
}

/*
 * Business seconds of [t0, t1) and additivity at a cut point, then the due
 * instant of a random target (the first instant at which the open seconds
 * reach it), for each of the calendars, against the reference.
 */
static void check_span(cxm_calendar *const *cals, int ncals, const ref_cal *r, int64_t t0,
                       int64_t t1, uint64_t *rng)
{
    int64_t want = 0;
    for (int64_t t = t0; t < t1; t++)
        want += ref_open(r, t);
    int64_t cut = t0 + (t1 - t0) / 3, target = 0, at = t0;
    if (want > 0) {
        target = 1 + (int64_t)(tu_rand(rng) % (uint64_t)want);
        for (int64_t got = 0; got < target;)
            got += ref_open(r, at++);
    }
    for (int i = 0; i < ncals; i++) {
        assert_int_equal(biz(cals[i], t0, t1), want);
        assert_int_equal(biz(cals[i], t0, cut) + biz(cals[i], cut, t1), want);
        if (want > 0) assert_int_equal(due(cals[i], t0, target), at);
    }
}

static void random_against_reference(void **state)
{
    (void)state;
    uint64_t rng = 42;
    const int64_t base_t = MON23 - 3 * D;
    for (int round = 0; round < 40; round++) {
        ref_cal r;
        memset(&r, 0, sizeof r);
        r.base = (int32_t)(tu_rand(&rng) % 25) * 1800 - 6 * H;
        cxm_calendar *c = mk(6, 4, 3, r.base);
        for (int i = 0; i < 6; i++) {
            int32_t wd = (int32_t)(tu_rand(&rng) % 7);
            int32_t a = (int32_t)(tu_rand(&rng) % 96) * 900,
                    b = (int32_t)(tu_rand(&rng) % 96) * 900;
            int32_t lo = a < b ? a : b, hi = (a < b ? b : a) + 900;
            if (cxm_calendar_add_interval(c, (uint32_t)wd, lo, hi) == CXM_OK) {
                r.wd[r.n_iv] = wd;
                r.open[r.n_iv] = lo;
                r.close[r.n_iv++] = hi;
            }
        }
        for (int i = 0; i < 4; i++) {
            int64_t day = floor_div_ref(base_t, D) + (int64_t)(tu_rand(&rng) % 12);
            int32_t y, m, d;
            civil(day, &y, &m, &d);
            TU_OK(cxm_calendar_add_holiday(c, y, m, d));
            r.hol[r.n_hol++] = day;
        }
        for (int i = 0; i < 3; i++) {
            int64_t at = base_t + (int64_t)(tu_rand(&rng) % (10 * D));
            int32_t off = (int32_t)(tu_rand(&rng) % 9) * 1800 - 2 * H;
            if (cxm_calendar_add_offset_change(c, at, off) == CXM_OK) {
                r.at[r.n_chg] = at;
                r.off[r.n_chg++] = off;
            }
        }
        int64_t t0 = base_t + (int64_t)(tu_rand(&rng) % (4 * D));
        int64_t t1 = t0 + (int64_t)(tu_rand(&rng) % (6 * D));
        check_span(&c, 1, &r, t0, t1, &rng);
        cxm_calendar_free(c);
    }
}

/*
 * The running totals are index data kept by every add and rebuilt once by
 * decode: whatever the order the lists were built in (intervals after
 * offset changes, holidays between them), the answers are the reference's,
 * and a decoded copy answers the same.
 */
static void any_build_order_and_decode_agree(void **state)
{
    (void)state;
    uint64_t rng = 4242;
    const int64_t base_t = MON23 - 3 * D;
    static uint8_t buf[4096];
    for (int round = 0; round < 60; round++) {
        ref_cal r;
        memset(&r, 0, sizeof r);
        r.base = (int32_t)(tu_rand(&rng) % 25) * 1800 - 6 * H;
        cxm_calendar *c = mk(16, 12, 10, r.base);
        for (int op = 0; op < 38; op++) {
            uint64_t kind = tu_rand(&rng) % 3;
            if (kind == 0 && r.n_iv < 16) {
                int32_t wd = (int32_t)(tu_rand(&rng) % 7);
                int32_t a = (int32_t)(tu_rand(&rng) % 96) * 900;
                int32_t b = a + (int32_t)(1 + tu_rand(&rng) % 16) * 900;
                b = b > D ? D : b;
                if (cxm_calendar_add_interval(c, (uint32_t)wd, a, b) == CXM_OK) {
                    r.wd[r.n_iv] = wd;
                    r.open[r.n_iv] = a;
                    r.close[r.n_iv++] = b;
                }
            } else if (kind == 1 && r.n_hol < 12) {
                int64_t day = floor_div_ref(base_t, D) - 2 + (int64_t)(tu_rand(&rng) % 14);
                int32_t y, m, d;
                civil(day, &y, &m, &d);
                int dup = 0;
                for (int i = 0; i < r.n_hol; i++)
                    dup |= r.hol[i] == day;
                TU_OK(cxm_calendar_add_holiday(c, y, m, d));
                if (!dup) r.hol[r.n_hol++] = day;
            } else if (kind == 2 && r.n_chg < 10) {
                int64_t at = base_t - D + (int64_t)(tu_rand(&rng) % (12 * D));
                int32_t off = (int32_t)(tu_rand(&rng) % 25) * 1800 - 6 * H;
                if (cxm_calendar_add_offset_change(c, at, off) == CXM_OK) {
                    r.at[r.n_chg] = at;
                    r.off[r.n_chg++] = off;
                }
            }
        }
        size_t len = 0;
        TU_OK(cxm_calendar_encode(c, buf, sizeof buf, &len));
        cxm_calendar *d = NULL;
        TU_OK(cxm_calendar_decode(buf, len, &tu_allocator, &d));
        int64_t t0 = base_t + (int64_t)(tu_rand(&rng) % (3 * D));
        int64_t t1 = t0 + (int64_t)(tu_rand(&rng) % (5 * D));
        cxm_calendar *const both[2] = {c, d};
        check_span(both, 2, &r, t0, t1, &rng);
        /* Far from the lists: whole weeks, both calendars, due inverting business seconds. */
        for (int q = 0; q < 20; q++) {
            int64_t a = M0 + (int64_t)(tu_rand(&rng) % (uint64_t)(60LL * 365 * D));
            int64_t b = a + (int64_t)(tu_rand(&rng) % (uint64_t)(3LL * 365 * D));
            int64_t s = biz(c, a, b);
            assert_int_equal(biz(d, a, b), s);
            if (s > 0) {
                int64_t t = due(c, a, s);
                assert_int_equal(due(d, a, s), t);
                assert_true(t <= b && biz(c, a, t) == s && biz(c, a, t - 1) == s - 1);
            }
        }
        cxm_calendar_free(d);
        cxm_calendar_free(c);
    }
}

static void encoding(void **state)
{
    (void)state;
    /* A calendar travels: decode(encode(c)) answers as c, byte for byte. */
    cxm_calendar *c = europe(), *d = NULL;
    static uint8_t buf[512], again[512];
    size_t len = 0, len2 = 0;
    TU_ST(cxm_calendar_encode(c, NULL, 0, &len), CXM_BUFFER_TOO_SMALL);
    TU_OK(cxm_calendar_encode(c, buf, sizeof buf, &len));
    TU_OK(cxm_calendar_decode(buf, len, &tu_allocator, &d));
    TU_OK(cxm_calendar_encode(d, again, sizeof again, &len2));
    assert_int_equal(len, len2);
    assert_memory_equal(buf, again, len);
    assert_int_equal(biz(d, MON30 - 2 * H, MON30 + 7 * D - 2 * H), 4 * 8 * H);
    assert_int_equal(due(d, MON23 + 4 * D + 15 * H, 2 * H), MON30 + 8 * H);
    cxm_calendar_free(d);
    cxm_calendar_free(c);

    /*
     * The exact bytes of tests/vectors/config/calendar_v1.hex. Payload: capacities 2, 1, 1
     * (offsets 12, 16, 20), base offset 3600 (24), counts 1, 1, 1 (28, 32, 36); the
     * interval Monday 32400-61200 (40, 44, 48); the holiday 2026-04-03 = day 20546 (52);
     * the change at 1774746000 to 7200 (60, 68). 12 + 60 + 4 = 76 bytes.
     */
    c = mk(2, 1, 1, H);
    TU_OK(cxm_calendar_add_interval(c, CXM_MONDAY, 9 * H, 17 * H));
    TU_OK(cxm_calendar_add_holiday(c, 2026, 4, 3));
    TU_OK(cxm_calendar_add_offset_change(c, SPRING, 2 * H));
    TU_OK(cxm_calendar_encode(c, buf, sizeof buf, &len));
    assert_int_equal(len, 76);
    size_t wlen = tu_read_vector("config/calendar_v1.hex", again, sizeof again);
    assert_int_equal(wlen, len);
    assert_memory_equal(buf, again, len);
    cxm_calendar_free(c);

    /* Hostile content behind a valid checksum: each edit is refused. */
    const size_t at[6] = {12, 28, 50, 59, 71, 40};
    const uint8_t val[6] = {0, 3, 0x10, 0x7f, 0x7f, 7};
    for (int i = 0; i < 6; i++) {
        memcpy(buf, again, len);
        buf[at[i]] = val[i];
        tu_fix_crc(buf, len);
        d = NULL;
        TU_ST(cxm_calendar_decode(buf, len, &tu_allocator, &d), CXM_BAD_FORMAT);
        assert_null(d);
    }
    /* Truncated, another family, NULL. */
    TU_ST(cxm_calendar_decode(again, len - 1, NULL, &d), CXM_BAD_FORMAT);
    memcpy(buf, again, len);
    buf[6] = CXM_FAMILY_SLA_POLICY;
    tu_fix_crc(buf, len);
    TU_ST(cxm_calendar_decode(buf, len, NULL, &d), CXM_WRONG_TYPE);
    TU_ST(cxm_calendar_decode(NULL, len, NULL, &d), CXM_INVALID_ARGUMENT);
    TU_OK(cxm_calendar_decode(again, len, &tu_allocator, &d));
    assert_int_equal(biz(d, MON30 + 7 * H, MON30 + 8 * H), H);
    cxm_calendar_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(week_across_weekend_holiday_and_dst),
        cmocka_unit_test(due_instants_on_boundaries),
        cmocka_unit_test(lunch_break),
        cmocka_unit_test(dst_repeated_and_skipped_hours),
        cmocka_unit_test(four_hundred_years),
        cmocka_unit_test(empty_schedule),
        cmocka_unit_test(bad_input_changes_nothing),
        cmocka_unit_test(creation_rules),
        cmocka_unit_test(random_against_reference),
        cmocka_unit_test(any_build_order_and_decode_agree),
        cmocka_unit_test(encoding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
