/*
 * test_series.c — the time-bucketed series: bucket boundaries by hand (UTC
 * offsets, ISO weeks, months, a daylight-saving day of 23 hours), the ring
 * (expiry, the far-future guard, advance), refused events changing nothing
 * (not even the clock), spans and windows equal to one accumulator fed the
 * same events for every family, merge equal to one series, and the codec.
 */
#include <math.h>

#include "testutil.h"

/* 2026-11-02 (a Monday) 00:00:00 UTC. */
#define MON 1793577600LL
#define H 3600LL
#define D 86400LL

static cxm_nps *nps_proto(void)
{
    cxm_nps *p = NULL;
    TU_OK(cxm_nps_new(CXM_NPS_TRANSACTIONAL, 0, &tu_allocator, &p));
    return p;
}

static cxm_series *series_of(const void *proto, uint32_t width, uint32_t buckets, int32_t off,
                             int64_t start)
{
    cxm_series_options o = {
        .size = sizeof o, .width = width, .buckets = buckets, .utc_offset = off, .start = start};
    cxm_series *s = NULL;
    TU_OK(cxm_series_new(&o, proto, &tu_allocator, &s));
    return s;
}

static cxm_nps_result nps_of(const void *acc)
{
    cxm_nps_result r = {.size = sizeof r};
    cxm_status st = cxm_nps_result_get(acc, 0, CXM_NPS_WALD, &r);
    assert_true(st == CXM_OK || st == CXM_EMPTY);
    return r;
}

/*
 * A daily series in UTC+2 (a team in Helsinki in winter is UTC+2): the
 * local day of 2026-11-02 runs from 2026-11-01 22:00 UTC to 2026-11-02
 * 22:00 UTC. An answer at 21:59 UTC belongs to the 2nd, one at 22:00 UTC
 * to the 3rd.
 */
static void daily_buckets_in_a_fixed_offset(void **state)
{
    (void)state;
    cxm_nps *p = nps_proto();
    cxm_series *s = series_of(p, CXM_SERIES_DAY, 30, 2 * 3600, MON);
    TU_OK(cxm_series_nps_add(s, MON + 21 * H + 59 * 60, 10)); /* the 2nd, local 23:59 */
    TU_OK(cxm_series_nps_add(s, MON - 2 * H, 9));             /* the 2nd, local 00:00 */
    TU_OK(cxm_series_nps_add(s, MON + 22 * H, 0));            /* the 3rd: a new bucket */
    const void *acc;
    cxm_series_bucket_info info = {.size = sizeof info};
    TU_OK(cxm_series_bucket(s, 0, &acc, &info));
    assert_int_equal(info.start, MON + 22 * H);
    assert_int_equal(info.end, MON + 46 * H);
    assert_int_equal(info.local_start, MON + D);
    assert_int_equal(info.number, (MON + D) / D);
    cxm_nps_result r = nps_of(acc);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.detractors, 1);
    TU_OK(cxm_series_bucket(s, 1, &acc, &info));
    assert_int_equal(info.start, MON - 2 * H);
    r = nps_of(acc);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.promoters, 2);
    /* The bucket of an instant, and of one before the ring. */
    TU_OK(cxm_series_bucket_at(s, MON + 12 * H, &acc, &info));
    assert_int_equal(info.local_start, MON);
    TU_ST(cxm_series_bucket_at(s, MON - 40 * D, &acc, &info), CXM_EXPIRED);
    TU_ST(cxm_series_bucket_at(s, MON + 5 * D, &acc, &info), CXM_OUT_OF_RANGE);
    TU_ST(cxm_series_bucket(s, 30, &acc, &info), CXM_CAPACITY);
    cxm_series_free(s);
    cxm_nps_free(p);
}

/* ISO weeks start on Monday; months on the 1st, whatever their length. */
static void weeks_and_months(void **state)
{
    (void)state;
    cxm_nps *p = nps_proto();
    cxm_series *w = series_of(p, CXM_SERIES_WEEK, 8, 0, MON);
    cxm_series_bucket_info info = {.size = sizeof info};
    TU_OK(cxm_series_bucket(w, 0, NULL, &info));
    assert_int_equal(info.start, MON);
    assert_int_equal(info.end, MON + 7 * D);
    /* Sunday 23:59:59 is the same week; Monday 00:00 the next. */
    TU_OK(cxm_series_nps_add(w, MON + 7 * D - 1, 10));
    TU_OK(cxm_series_bucket(w, 0, NULL, &info));
    assert_int_equal(info.start, MON);
    TU_OK(cxm_series_nps_add(w, MON + 7 * D, 10));
    TU_OK(cxm_series_bucket(w, 0, NULL, &info));
    assert_int_equal(info.start, MON + 7 * D);
    cxm_series_free(w);

    /* 2024 is a leap year: February has 29 days (2024-02-01 = 1706745600). */
    cxm_series *m = series_of(p, CXM_SERIES_MONTH, 12, 0, 1706745600LL);
    TU_OK(cxm_series_bucket(m, 0, NULL, &info));
    assert_int_equal(info.start, 1706745600LL);
    assert_int_equal(info.end - info.start, 29 * D);
    assert_int_equal(info.number, 2024 * 12 + 1);
    TU_OK(cxm_series_bucket(m, 1, NULL, &info)); /* January */
    assert_int_equal(info.end - info.start, 31 * D);
    assert_int_equal(info.end, 1706745600LL);
    cxm_series_free(m);
    cxm_nps_free(p);
}

/*
 * A calendar's zone: UTC+1, then UTC+2 from 2026-03-29 01:00 UTC (Central
 * European summer time). Local 2026-03-29 starts at 2026-03-28 23:00 UTC
 * and ends at 2026-03-29 22:00 UTC: 23 hours.
 */
static void daylight_saving_day_is_23_hours(void **state)
{
    (void)state;
    const int64_t change = 1774746000LL; /* 2026-03-29 01:00:00 UTC */
    const int64_t day = 1774742400LL;    /* 2026-03-29 00:00:00 UTC */
    cxm_calendar_config cc = {
        .size = sizeof cc, .max_intervals = 1, .max_changes = 4, .utc_offset = 3600};
    cxm_calendar *cal = NULL;
    TU_OK(cxm_calendar_new(&cc, &tu_allocator, &cal));
    TU_OK(cxm_calendar_add_offset_change(cal, change, 7200));
    cxm_nps *p = nps_proto();
    cxm_series_options o = {.size = sizeof o,
                            .width = CXM_SERIES_DAY,
                            .buckets = 10,
                            .start = day + 12 * H,
                            .calendar = cal};
    cxm_series *s = NULL;
    TU_OK(cxm_series_new(&o, p, &tu_allocator, &s));
    cxm_calendar_free(cal); /* the series copied the zone */
    cxm_series_bucket_info info = {.size = sizeof info};
    TU_OK(cxm_series_bucket(s, 0, NULL, &info));
    assert_int_equal(info.start, day - H);
    assert_int_equal(info.end, day + 22 * H);
    TU_OK(cxm_series_bucket(s, 1, NULL, &info)); /* the 28th: 24 hours in UTC+1 */
    assert_int_equal(info.end - info.start, 24 * H);
    /* An hourly series skips the local hour 02:00 that day: 01:00 UTC is local 03:00. */
    o.width = CXM_SERIES_HOUR;
    o.start = change;
    o.calendar = NULL;
    TU_OK(cxm_calendar_new(&cc, &tu_allocator, &cal));
    TU_OK(cxm_calendar_add_offset_change(cal, change, 7200));
    o.calendar = cal;
    cxm_series *h = NULL;
    TU_OK(cxm_series_new(&o, p, &tu_allocator, &h));
    TU_OK(cxm_series_bucket(h, 0, NULL, &info));
    assert_int_equal(info.local_start, day + 3 * H);
    TU_OK(cxm_series_bucket(h, 1, NULL, &info)); /* local 02:00 never happened */
    assert_int_equal(info.start, change);
    assert_int_equal(info.end, change);
    TU_OK(cxm_series_bucket(h, 2, NULL, &info)); /* local 01:00, in UTC+1 */
    assert_int_equal(info.start, day);
    cxm_series_free(h);
    cxm_series_free(s);
    cxm_calendar_free(cal);
    cxm_nps_free(p);
}

/* Refused events change nothing — not the bucket, not the clock. */
static void refusals_change_nothing(void **state)
{
    (void)state;
    cxm_nps *p = nps_proto();
    cxm_series *s = series_of(p, CXM_SERIES_DAY, 7, 0, MON);
    TU_OK(cxm_series_nps_add(s, MON, 7));
    uint8_t before[4096], after[4096];
    size_t n1 = 0, n2 = 0;
    TU_OK(cxm_series_encode(s, before, sizeof before, &n1));
    TU_ST(cxm_series_nps_add(s, MON + D, 11), CXM_OUT_OF_RANGE); /* bad score, new bucket */
    TU_ST(cxm_series_nps_add(s, MON, -1), CXM_OUT_OF_RANGE);
    TU_ST(cxm_series_nps_add(s, MON - 7 * D, 5), CXM_EXPIRED);
    TU_ST(cxm_series_nps_add(s, MON + 4 * D, 5), CXM_OUT_OF_RANGE); /* max_ahead 3 */
    TU_ST(cxm_series_nps_add(s, INT64_MAX, 5), CXM_OUT_OF_RANGE);
    TU_ST(cxm_series_csat_add(s, MON, 5), CXM_KIND_MISMATCH);
    TU_OK(cxm_series_encode(s, after, sizeof after, &n2));
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    /* Within max_ahead (half the ring, 3 days) the clock moves. */
    TU_OK(cxm_series_nps_add(s, MON + 3 * D, 5));
    cxm_series_bucket_info info = {.size = sizeof info};
    TU_OK(cxm_series_bucket(s, 0, NULL, &info));
    assert_int_equal(info.start, MON + 3 * D);
    /* advance moves it any distance on purpose and empties what falls out. */
    TU_OK(cxm_series_advance(s, MON + 9 * D));
    const void *acc;
    TU_OK(cxm_series_bucket(s, 6, &acc, &info));
    assert_int_equal(info.start, MON + 3 * D);
    assert_int_equal(nps_of(acc).n, 1);
    TU_OK(cxm_series_advance(s, MON + 10 * D));
    TU_OK(cxm_series_bucket(s, 6, &acc, &info));
    assert_int_equal(nps_of(acc).n, 0);
    TU_OK(cxm_series_advance(s, MON)); /* the past: nothing to do */
    cxm_series_free(s);
    cxm_nps_free(p);

    cxm_series_options o = {.size = sizeof o, .width = 9, .buckets = 7};
    p = nps_proto();
    TU_ST(cxm_series_new(&o, p, &tu_allocator, &s), CXM_INVALID_ARGUMENT);
    o.width = CXM_SERIES_DAY;
    o.buckets = CXM_SERIES_MAX_BUCKETS + 1;
    TU_ST(cxm_series_new(&o, p, &tu_allocator, &s), CXM_INVALID_ARGUMENT);
    o.buckets = 7;
    o.utc_offset = CXM_MAX_UTC_OFFSET + 1;
    TU_ST(cxm_series_new(&o, p, &tu_allocator, &s), CXM_INVALID_ARGUMENT);
    o.utc_offset = 0;
    o.start = CXM_CALENDAR_MAX_TIME + 1;
    TU_ST(cxm_series_new(&o, p, &tu_allocator, &s), CXM_OUT_OF_RANGE);
    o.start = 0;
    TU_ST(cxm_series_new(&o, NULL, &tu_allocator, &s), CXM_INVALID_ARGUMENT);
    /* 10,002 SLA accumulators of about 140 KiB pass CXM_SERIES_MAX_BYTES. */
    cxm_sla *sla = NULL;
    TU_OK(cxm_sla_new(4, &tu_allocator, &sla));
    o.buckets = CXM_SERIES_MAX_BUCKETS;
    TU_ST(cxm_series_new(&o, sla, &tu_allocator, &s), CXM_CAPACITY);
    assert_int_equal(cxm_series_footprint(&o, sla), 0);
    cxm_sla_free(sla);
    assert_int_equal(cxm_series_footprint(&o, NULL), 0);
    cxm_nps_free(p);
}

/* ---- every family: span == one accumulator, merge == one series --------------- */

static uint64_t rng = 0x2545F4914F6CDD1Du;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* One family's random event, added to a series and (if not NULL) to an accumulator. */
typedef struct fam {
    const char *name;
    void *(*make)(void);
    cxm_status (*add)(cxm_series *s, void *bare, int64_t t, uint64_t r);
    cxm_status (*encode)(const void *acc, uint8_t *buf, size_t cap, size_t *len);
    void (*destroy)(void *acc);
} fam;

static void *mk_nps(void)
{
    return nps_proto();
}
static cxm_status ad_nps(cxm_series *s, void *bare, int64_t t, uint64_t r)
{
    int32_t score = (int32_t)(r % 11);
    cxm_status st = !s ? CXM_OK : cxm_series_nps_add(s, t, score);
    if (st == CXM_OK && bare) TU_OK(cxm_nps_add(bare, score));
    return st;
}
static cxm_status en_nps(const void *a, uint8_t *b, size_t c, size_t *l)
{
    return cxm_nps_encode(a, b, c, l);
}
static void fr_nps(void *a)
{
    cxm_nps_free(a);
}

static void *mk_csat(void)
{
    cxm_csat *c = NULL;
    TU_OK(cxm_csat_new(NULL, &tu_allocator, &c));
    return c;
}
static cxm_status ad_csat(cxm_series *s, void *bare, int64_t t, uint64_t r)
{
    int32_t score = 1 + (int32_t)(r % 5);
    cxm_status st = !s ? CXM_OK : cxm_series_csat_add(s, t, score);
    if (st == CXM_OK && bare) TU_OK(cxm_csat_add(bare, score));
    return st;
}
static cxm_status en_csat(const void *a, uint8_t *b, size_t c, size_t *l)
{
    return cxm_csat_encode(a, b, c, l);
}
static void fr_csat(void *a)
{
    cxm_csat_free(a);
}

static void *mk_ces(void)
{
    cxm_ces *c = NULL;
    TU_OK(cxm_ces_new(NULL, &tu_allocator, &c));
    return c;
}
static cxm_status ad_ces(cxm_series *s, void *bare, int64_t t, uint64_t r)
{
    int32_t score = 1 + (int32_t)(r % 7);
    cxm_status st = !s ? CXM_OK : cxm_series_ces_add(s, t, score);
    if (st == CXM_OK && bare) TU_OK(cxm_ces_add(bare, score));
    return st;
}
static cxm_status en_ces(const void *a, uint8_t *b, size_t c, size_t *l)
{
    return cxm_ces_encode(a, b, c, l);
}
static void fr_ces(void *a)
{
    cxm_ces_free(a);
}

static void *mk_dur(void)
{
    cxm_duration *d = NULL;
    TU_OK(cxm_duration_new(NULL, &tu_allocator, &d));
    return d;
}
static cxm_status ad_dur(cxm_series *s, void *bare, int64_t t, uint64_t r)
{
    double v = exp((double)(r % 1000) / 60.0);
    cxm_status st = !s ? CXM_OK : cxm_series_duration_add(s, t, v);
    if (st == CXM_OK && bare) TU_OK(cxm_duration_add(bare, v));
    return st;
}
static cxm_status en_dur(const void *a, uint8_t *b, size_t c, size_t *l)
{
    return cxm_duration_encode(a, b, c, l);
}
static void fr_dur(void *a)
{
    cxm_duration_free(a);
}

static void *mk_surv(void)
{
    cxm_survival *d = NULL;
    TU_OK(cxm_survival_new(&tu_allocator, &d));
    return d;
}
static cxm_status ad_surv(cxm_series *s, void *bare, int64_t t, uint64_t r)
{
    double v = (double)(r % 100000);
    uint32_t state = 1 + (uint32_t)((r >> 20) % 2);
    cxm_status st = !s ? CXM_OK : cxm_series_survival_add(s, t, v, state);
    if (st == CXM_OK && bare) TU_OK(cxm_survival_add(bare, v, state));
    return st;
}
static cxm_status en_surv(const void *a, uint8_t *b, size_t c, size_t *l)
{
    return cxm_survival_encode(a, b, c, l);
}
static void fr_surv(void *a)
{
    cxm_survival_free(a);
}

static void *mk_rate(void)
{
    cxm_rate *x = NULL;
    TU_OK(cxm_rate_new(CXM_RATE_FCR, 0, &tu_allocator, &x));
    return x;
}
static cxm_status ad_rate(cxm_series *s, void *bare, int64_t t, uint64_t r)
{
    uint32_t ok = (uint32_t)(r % 2);
    cxm_status st = !s ? CXM_OK : cxm_series_rate_add(s, t, ok);
    if (st == CXM_OK && bare) TU_OK(cxm_rate_add(bare, ok));
    return st;
}
static cxm_status en_rate(const void *a, uint8_t *b, size_t c, size_t *l)
{
    return cxm_rate_encode(a, b, c, l);
}
static void fr_rate(void *a)
{
    cxm_rate_free(a);
}

static void *mk_panel(void)
{
    cxm_nps_panel *x = NULL;
    TU_OK(cxm_nps_panel_new(8, &tu_allocator, &x));
    return x;
}
static cxm_status ad_panel(cxm_series *s, void *bare, int64_t t, uint64_t r)
{
    uint32_t brand = (uint32_t)(r % 5);
    int32_t score = (int32_t)((r >> 8) % 11);
    cxm_status st = !s ? CXM_OK : cxm_series_panel_add(s, t, brand, score);
    if (st == CXM_OK && bare) TU_OK(cxm_nps_panel_add(bare, brand, score));
    return st;
}
static cxm_status en_panel(const void *a, uint8_t *b, size_t c, size_t *l)
{
    return cxm_nps_panel_encode(a, b, c, l);
}
static void fr_panel(void *a)
{
    cxm_nps_panel_free(a);
}

static void *mk_sla(void)
{
    cxm_sla *x = NULL;
    TU_OK(cxm_sla_new(4, &tu_allocator, &x));
    return x;
}
static cxm_status ad_sla(cxm_series *s, void *bare, int64_t t, uint64_t r)
{
    uint32_t pr = (uint32_t)(r % 4), out = 1 + (uint32_t)((r >> 4) % 2);
    int64_t late = out == CXM_SLA_BREACHED ? 1 + (int64_t)((r >> 8) % 5000) : 0;
    cxm_status st = !s ? CXM_OK : cxm_series_sla_add(s, t, pr, CXM_SLA_FIRST_REPLY, out, late);
    if (st == CXM_OK && bare) TU_OK(cxm_sla_add(bare, pr, CXM_SLA_FIRST_REPLY, out, late));
    return st;
}
static cxm_status en_sla(const void *a, uint8_t *b, size_t c, size_t *l)
{
    return cxm_sla_encode(a, b, c, l);
}
static void fr_sla(void *a)
{
    cxm_sla_free(a);
}

static void *mk_churn(void)
{
    cxm_churn *x = NULL;
    TU_OK(cxm_churn_new(1, &tu_allocator, &x));
    return x;
}
static cxm_status ad_churn(cxm_series *s, void *bare, int64_t t, uint64_t r)
{
    cxm_churn_customer c = {.size = sizeof c, .flags = CXM_CHURN_AT_START};
    c.mrr_start = (int64_t)(r % 10000);
    if (r & 1) {
        c.flags |= CXM_CHURN_AT_END;
        c.mrr_end = c.mrr_start;
    }
    cxm_status st = !s ? CXM_OK : cxm_series_churn_add(s, t, &c);
    if (st == CXM_OK && bare) TU_OK(cxm_churn_add(bare, &c));
    return st;
}
static cxm_status en_churn(const void *a, uint8_t *b, size_t c, size_t *l)
{
    return cxm_churn_encode(a, b, c, l);
}
static void fr_churn(void *a)
{
    cxm_churn_free(a);
}

static void *mk_rollup(void)
{
    cxm_rollup_options o = {.size = sizeof o, .channels = 3, .topics = 2};
    cxm_rollup *x = NULL;
    TU_OK(cxm_rollup_new(CXM_FCR_ZENDESK, &o, &tu_allocator, &x));
    return x;
}
static cxm_status ad_rollup(cxm_series *s, void *bare, int64_t t, uint64_t r)
{
    cxm_ticket k = {.size = sizeof k,
                    .created = t,
                    .priority = (uint32_t)(r % 4),
                    .channel = (uint32_t)((r >> 3) % 3),
                    .topic = (uint32_t)((r >> 5) % 2),
                    .agent = CXM_ROLLUP_NONE,
                    .agent_replies = (uint32_t)((r >> 7) % 3)};
    if (r & (1u << 12)) k.first_reply = t + 1 + (int64_t)((r >> 13) % 9000);
    if (k.first_reply && (r & (1u << 30))) k.first_solved = k.first_reply + (int64_t)(r % 777);
    cxm_status st = !s ? CXM_OK : cxm_series_rollup_add(s, t, &k, NULL);
    if (st == CXM_OK && bare) TU_OK(cxm_rollup_add(bare, &k, NULL));
    return st;
}
static cxm_status en_rollup(const void *a, uint8_t *b, size_t c, size_t *l)
{
    return cxm_rollup_encode(a, b, c, l);
}
static void fr_rollup(void *a)
{
    cxm_rollup_free(a);
}

static const fam FAMS[] = {
    {"nps", mk_nps, ad_nps, en_nps, fr_nps},
    {"csat", mk_csat, ad_csat, en_csat, fr_csat},
    {"ces", mk_ces, ad_ces, en_ces, fr_ces},
    {"duration", mk_dur, ad_dur, en_dur, fr_dur},
    {"survival", mk_surv, ad_surv, en_surv, fr_surv},
    {"rate", mk_rate, ad_rate, en_rate, fr_rate},
    {"panel", mk_panel, ad_panel, en_panel, fr_panel},
    {"sla", mk_sla, ad_sla, en_sla, fr_sla},
    {"churn", mk_churn, ad_churn, en_churn, fr_churn},
    {"rollup", mk_rollup, ad_rollup, en_rollup, fr_rollup},
};

static void assert_same_encoding(const fam *f, const void *a, const void *b)
{
    size_t la = 0, lb = 0;
    TU_ST(f->encode(a, NULL, 0, &la), CXM_BUFFER_TOO_SMALL);
    TU_ST(f->encode(b, NULL, 0, &lb), CXM_BUFFER_TOO_SMALL);
    assert_int_equal(la, lb);
    uint8_t *x = test_malloc(la), *y = test_malloc(lb);
    TU_OK(f->encode(a, x, la, &la));
    TU_OK(f->encode(b, y, lb, &lb));
    assert_memory_equal(x, y, la);
    test_free(x);
    test_free(y);
}

static cxm_series *new_series(const void *proto, int64_t start)
{
    return series_of(proto, CXM_SERIES_DAY, 14, 3600, start);
}

/*
 * For every family: 2000 events over 10 days, in time order with jitter.
 * The span of the whole series equals one accumulator fed every event, and
 * a window of the last 3 days one fed those, byte for byte.
 */
static void every_family_span_window_merge(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < sizeof FAMS / sizeof FAMS[0]; fi++) {
        const fam *f = &FAMS[fi];
        void *proto = f->make(), *all = f->make(), *last3 = f->make();
        cxm_series *s = new_series(proto, MON);
        for (int i = 0; i < 2000; i++) {
            int64_t t = MON + (int64_t)i * (10 * D) / 2000 + (int64_t)(next() % 600);
            uint64_t r = next();
            /* The window: local days 8, 9 and 10 after MON's (local time is UTC+1). */
            int64_t local_day = (t + 3600 - MON) / D;
            TU_OK(f->add(s, all, t, r));
            if (local_day >= 8 && local_day <= 10) TU_OK(f->add(NULL, last3, t, r));
        }
        void *span = NULL, *win = NULL;
        TU_OK(cxm_series_new_accumulator(s, NULL, &span));
        TU_OK(cxm_series_span(s, MON - D, MON + 20 * D, span));
        assert_same_encoding(f, span, all);
        TU_OK(cxm_series_new_accumulator(s, NULL, &win));
        TU_OK(cxm_series_window(s, MON + 10 * D, 3, win));
        assert_same_encoding(f, win, last3);
        f->destroy(span);
        f->destroy(win);
        cxm_series_free(s);
        f->destroy(proto);
        f->destroy(all);
        f->destroy(last3);
    }
}

/* Merge: events dealt at random to two series with the same clock give the series of all. */
static void every_family_merge_is_one_series(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < sizeof FAMS / sizeof FAMS[0]; fi++) {
        const fam *f = &FAMS[fi];
        void *proto = f->make();
        cxm_series *s = new_series(proto, MON), *a = new_series(proto, MON),
                   *b = new_series(proto, MON);
        for (int i = 0; i < 1500; i++) {
            int64_t t = MON + (int64_t)(next() % (uint64_t)(6 * D));
            uint64_t r = next();
            TU_OK(f->add(s, NULL, t, r));
            TU_OK(f->add(r & 1 ? a : b, NULL, t, r));
        }
        TU_OK(cxm_series_advance(a, MON + 6 * D));
        TU_OK(cxm_series_advance(b, MON + 6 * D));
        TU_OK(cxm_series_advance(s, MON + 6 * D));
        TU_OK(cxm_series_merge(a, b));
        size_t la = 0, ls = 0;
        TU_ST(cxm_series_encode(a, NULL, 0, &la), CXM_BUFFER_TOO_SMALL);
        TU_ST(cxm_series_encode(s, NULL, 0, &ls), CXM_BUFFER_TOO_SMALL);
        assert_int_equal(la, ls);
        uint8_t *x = test_malloc(la), *y = test_malloc(ls);
        TU_OK(cxm_series_encode(a, x, la, &la));
        TU_OK(cxm_series_encode(s, y, ls, &ls));
        assert_memory_equal(x, y, la);
        /* decode -> encode is the identity */
        cxm_series *d = NULL;
        TU_OK(cxm_series_decode(x, la, &tu_allocator, &d));
        size_t ld = 0;
        TU_OK(cxm_series_encode(d, y, ls, &ld));
        assert_int_equal(ld, la);
        assert_memory_equal(x, y, la);
        cxm_series_free(d);
        test_free(x);
        test_free(y);
        cxm_series_free(s);
        cxm_series_free(a);
        cxm_series_free(b);
        f->destroy(proto);
    }
}

/* A newer src moves dst's clock; src's buckets older than dst's ring are retired. */
static void merge_moves_the_clock(void **state)
{
    (void)state;
    cxm_nps *p = nps_proto();
    cxm_series *a = series_of(p, CXM_SERIES_DAY, 3, 0, MON);
    cxm_series *b = series_of(p, CXM_SERIES_DAY, 3, 0, MON + 2 * D);
    TU_OK(cxm_series_nps_add(a, MON, 10));
    TU_OK(cxm_series_nps_add(b, MON + 2 * D, 0));
    TU_OK(cxm_series_merge(a, b));
    const void *acc;
    cxm_series_bucket_info info = {.size = sizeof info};
    TU_OK(cxm_series_bucket(a, 0, &acc, &info));
    assert_int_equal(info.start, MON + 2 * D);
    assert_int_equal(nps_of(acc).detractors, 1);
    TU_OK(cxm_series_bucket(a, 2, &acc, &info));
    assert_int_equal(info.start, MON);
    assert_int_equal(nps_of(acc).promoters, 1);
    /* What came from b travels with a's encoding. */
    uint8_t buf[2048];
    size_t len = 0;
    TU_OK(cxm_series_encode(a, buf, sizeof buf, &len));
    cxm_series *d = NULL;
    TU_OK(cxm_series_decode(buf, len, &tu_allocator, &d));
    TU_OK(cxm_series_bucket(d, 0, &acc, &info));
    assert_int_equal(nps_of(acc).detractors, 1);
    cxm_series_free(d);
    cxm_series *c = series_of(p, CXM_SERIES_DAY, 4, 0, MON);
    TU_ST(cxm_series_merge(a, c), CXM_KIND_MISMATCH);
    cxm_series_free(c);
    cxm_nps *other = NULL;
    TU_OK(cxm_nps_new(CXM_NPS_RELATIONAL, 0, &tu_allocator, &other));
    c = series_of(other, CXM_SERIES_DAY, 3, 0, MON);
    TU_ST(cxm_series_merge(a, c), CXM_KIND_MISMATCH); /* kinds never blend */
    void *into = NULL;
    TU_OK(cxm_series_new_accumulator(c, NULL, &into));
    TU_ST(cxm_series_span(a, MON, MON + D, into), CXM_KIND_MISMATCH);
    TU_ST(cxm_series_span(a, MON + D, MON, into), CXM_BAD_ORDER);
    cxm_nps_free(into);
    cxm_series_free(c);
    cxm_nps_free(other);
    cxm_series_free(a);
    cxm_series_free(b);
    cxm_nps_free(p);
}

/* Placement, footprint, clone, reset, config. */
static void placement_and_verbs(void **state)
{
    (void)state;
    cxm_duration *p = mk_dur();
    cxm_series_options o = {.size = sizeof o, .width = CXM_SERIES_DAY, .buckets = 90};
    size_t fp = cxm_series_footprint(&o, p);
    /* 90-day daily series of durations: 92 sketches of 20,112 bytes and a little more. */
    assert_true(fp >= 92 * cxm_duration_footprint() && fp < 92 * cxm_duration_footprint() + 4096);
    void *mem = test_malloc(fp + CXM_ALIGNMENT);
    void *aligned =
        (void *)(((uintptr_t)mem + CXM_ALIGNMENT - 1) & ~(uintptr_t)(CXM_ALIGNMENT - 1));
    cxm_series *s = NULL;
    TU_ST(cxm_series_init_in(aligned, fp - 1, &o, p, &s), CXM_BUFFER_TOO_SMALL);
    TU_OK(cxm_series_init_in(aligned, fp, &o, p, &s));
    TU_OK(cxm_series_duration_add(s, 100, 5.0));
    cxm_series *c = NULL;
    TU_OK(cxm_series_clone(s, &tu_allocator, &c));
    const void *acc;
    TU_OK(cxm_series_bucket(c, 0, &acc, NULL));
    cxm_duration_result r = {.size = sizeof r};
    TU_OK(cxm_duration_result_get(acc, 0, &r));
    assert_int_equal(r.n, 1);
    TU_OK(cxm_series_reset(c));
    TU_OK(cxm_series_bucket(c, 0, &acc, NULL));
    TU_ST(cxm_duration_result_get(acc, 0, &r), CXM_EMPTY);
    uint32_t family = 0;
    TU_OK(cxm_series_family(s, &family));
    assert_int_equal(family, CXM_FAMILY_DURATION);
    cxm_series_options got = {.size = sizeof got};
    TU_OK(cxm_series_config(s, &got));
    assert_int_equal(got.buckets, 90);
    assert_int_equal(got.max_ahead, 45);
    assert_int_equal(got.start, 0);
    cxm_series_free(c);
    cxm_series_free(s); /* placed: releases nothing */
    test_free(mem);
    cxm_duration_free(p);
}

/* Forged encodings: a bucket of another configuration, an empty bucket, ages out of order. */
static void decode_refuses_forgeries(void **state)
{
    (void)state;
    cxm_nps *p = nps_proto();
    cxm_series *s = series_of(p, CXM_SERIES_DAY, 5, 0, MON);
    TU_OK(cxm_series_nps_add(s, MON, 10));
    TU_OK(cxm_series_nps_add(s, MON - D, 3));
    uint8_t buf[2048];
    size_t len = 0;
    TU_OK(cxm_series_encode(s, buf, sizeof buf, &len));
    cxm_series *d = NULL;
    TU_OK(cxm_series_decode(buf, len, &tu_allocator, &d));
    cxm_series_free(d);
    /* Every truncation and every single-bit flip is refused (the CRC or the checks). */
    for (size_t cut = 0; cut < len; cut++)
        assert_int_not_equal(cxm_series_decode(buf, cut, &tu_allocator, &d), CXM_OK);
    for (size_t i = 0; i < len * 8; i += 7) {
        buf[i / 8] ^= (uint8_t)(1u << (i % 8));
        cxm_status st = !s ? CXM_OK : cxm_series_decode(buf, len, &tu_allocator, &d);
        if (st == CXM_OK) cxm_series_free(d);
        assert_int_not_equal(st, CXM_OK);
        buf[i / 8] ^= (uint8_t)(1u << (i % 8));
    }
    cxm_series_free(s);
    cxm_nps_free(p);
}

/* A batch equals the same events one by one, and a bad event anywhere refuses all of it. */
static void batches_all_or_nothing(void **state)
{
    (void)state;
    cxm_nps *p = nps_proto();
    cxm_series *one = series_of(p, CXM_SERIES_DAY, 10, 0, MON),
               *many = series_of(p, CXM_SERIES_DAY, 10, 0, MON);
    enum { N = 500 };
    int64_t t[N];
    uint8_t sc[N];
    for (int i = 0; i < N; i++) {
        t[i] = MON + (int64_t)i * 8 * D / N + (int64_t)(next() % 7200) - 3600;
        sc[i] = (uint8_t)(next() % 11);
        TU_OK(cxm_series_nps_add(one, t[i], sc[i]));
    }
    uint8_t before[8192], after[8192];
    size_t n1 = 0, n2 = 0;
    TU_OK(cxm_series_encode(many, before, sizeof before, &n1));
    size_t bad = 0;
    sc[300] = 11;
    TU_ST(cxm_series_nps_add_many(many, t, sc, N, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 300);
    sc[300] = 10;
    int64_t keep = t[400];
    t[400] = MON - 30 * D;
    TU_ST(cxm_series_nps_add_many(many, t, sc, N, &bad), CXM_EXPIRED);
    assert_int_equal(bad, 400);
    t[400] = MON + 100 * D;
    TU_ST(cxm_series_nps_add_many(many, t, sc, N, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 400);
    t[400] = keep;
    TU_OK(cxm_series_encode(many, after, sizeof after, &n2));
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    /* `one` took the original 301st answer; give it the corrected one instead. */
    cxm_series_free(one);
    one = series_of(p, CXM_SERIES_DAY, 10, 0, MON);
    for (int i = 0; i < N; i++)
        TU_OK(cxm_series_nps_add(one, t[i], sc[i]));
    TU_OK(cxm_series_nps_add_many(many, t, sc, N, &bad));
    TU_OK(cxm_series_encode(many, before, sizeof before, &n1));
    TU_OK(cxm_series_encode(one, after, sizeof after, &n2));
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    TU_ST(cxm_series_csat_add_many(many, t, sc, N, &bad), CXM_KIND_MISMATCH);
    TU_ST(cxm_series_nps_add_many(many, NULL, sc, 1, &bad), CXM_INVALID_ARGUMENT);
    TU_OK(cxm_series_nps_add_many(many, NULL, NULL, 0, &bad));
    cxm_series_free(one);
    cxm_series_free(many);
    cxm_nps_free(p);

    /* The other batches, against their single adds. */
    cxm_duration *dp = mk_dur();
    cxm_series *d1 = series_of(dp, CXM_SERIES_HOUR, 48, 0, MON),
               *d2 = series_of(dp, CXM_SERIES_HOUR, 48, 0, MON);
    double v[N];
    for (int i = 0; i < N; i++) {
        t[i] = MON + (int64_t)i * 40 * H / N;
        v[i] = (double)(next() % 100000) / 7.0;
        TU_OK(cxm_series_duration_add(d1, t[i], v[i]));
    }
    v[7] = -1.0;
    TU_ST(cxm_series_duration_add_many(d2, t, v, N, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 7);
    v[7] = NAN;
    TU_ST(cxm_series_duration_add_many(d2, t, v, N, &bad), CXM_OUT_OF_RANGE);
    v[7] = -0.0; /* counts as 0 */
    TU_ST(cxm_series_duration_add(d1, 0, 1.0), CXM_EXPIRED);
    cxm_series_free(d1);
    d1 = series_of(dp, CXM_SERIES_HOUR, 48, 0, MON);
    for (int i = 0; i < N; i++)
        TU_OK(cxm_series_duration_add(d1, t[i], v[i]));
    TU_OK(cxm_series_duration_add_many(d2, t, v, N, &bad));
    TU_ST(cxm_series_encode(d1, NULL, 0, &n1), CXM_BUFFER_TOO_SMALL);
    uint8_t *x = test_malloc(n1), *y = test_malloc(n1);
    TU_OK(cxm_series_encode(d1, x, n1, &n1));
    TU_OK(cxm_series_encode(d2, y, n1, &n2));
    assert_memory_equal(x, y, n1);
    test_free(x);
    test_free(y);
    cxm_series_free(d1);
    cxm_series_free(d2);
    cxm_duration_free(dp);

    cxm_csat *cp = mk_csat();
    cxm_series *c1 = series_of(cp, CXM_SERIES_DAY, 5, 0, MON);
    uint8_t cs[3] = {5, 0, 4}; /* 0 is off the 1-5 scale */
    int64_t ct[3] = {MON, MON, MON};
    TU_ST(cxm_series_csat_add_many(c1, ct, cs, 3, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 1);
    cs[1] = 1;
    TU_OK(cxm_series_csat_add_many(c1, ct, cs, 3, &bad));
    cxm_series_free(c1);
    cxm_csat_free(cp);
}

/*
 * The edges of the calendar range: the head bucket's fast path never takes
 * an instant past it, the reported start stays inside it, and a decoded
 * series holds data only in buckets an event could reach.
 */
static void calendar_range_edges(void **state)
{
    (void)state;
    cxm_nps *p = nps_proto();
    cxm_series *m = series_of(p, CXM_SERIES_MONTH, 3, 0, CXM_CALENDAR_MAX_TIME);
    TU_OK(cxm_series_nps_add(m, CXM_CALENDAR_MAX_TIME, 10));
    TU_ST(cxm_series_nps_add(m, CXM_CALENDAR_MAX_TIME + 1, 10), CXM_OUT_OF_RANGE);
    TU_ST(cxm_series_nps_add(m, CXM_CALENDAR_MAX_TIME + 86400, 10), CXM_OUT_OF_RANGE);
    cxm_series_free(m);
    cxm_series *d = series_of(p, CXM_SERIES_DAY, 3, 3600, CXM_CALENDAR_MIN_TIME);
    TU_ST(cxm_series_nps_add(d, CXM_CALENDAR_MIN_TIME - 1, 10), CXM_OUT_OF_RANGE);
    cxm_series_options got = {.size = sizeof got};
    TU_OK(cxm_series_config(d, &got));
    assert_true(got.start >= CXM_CALENDAR_MIN_TIME);
    cxm_series_free(d);

    /* 30 days from the first day of the range, one answer on day 1 (age 19 at day 20). */
    d = series_of(p, CXM_SERIES_DAY, 30, 0, CXM_CALENDAR_MIN_TIME + 20 * D);
    TU_OK(cxm_series_nps_add(d, CXM_CALENDAR_MIN_TIME + D, 9));
    uint8_t buf[1024];
    size_t len = 0;
    TU_OK(cxm_series_encode(d, buf, sizeof buf, &len));
    /* Origin and head are the u64 fields after six u32 (no offset change): move both back 15
       days, so that the answer's bucket would lie before the first day of the range. */
    const size_t at = 12 + 6 * 4;
    for (size_t k = 0; k < 2; k++) {
        int64_t v;
        memcpy(&v, buf + at + 8 * k, 8); /* little-endian on the machines the tests run on */
        v -= 15;
        memcpy(buf + at + 8 * k, &v, 8);
    }
    tu_fix_crc(buf, len);
    cxm_series *back = NULL;
    TU_ST(cxm_series_decode(buf, len, &tu_allocator, &back), CXM_BAD_FORMAT);
    /* Moved back one day only, the answer's bucket is the range's first day: it decodes. */
    for (size_t k = 0; k < 2; k++) {
        int64_t v;
        memcpy(&v, buf + at + 8 * k, 8);
        v += 14;
        memcpy(buf + at + 8 * k, &v, 8);
    }
    tu_fix_crc(buf, len);
    TU_OK(cxm_series_decode(buf, len, &tu_allocator, &back));
    cxm_series_free(back);
    TU_ST(cxm_series_merge(d, d), CXM_INVALID_ARGUMENT);
    cxm_series_free(d);
    cxm_nps_free(p);
}

/* An options struct of the first published size, with no room for a calendar pointer. */
static void short_options_struct(void **state)
{
    (void)state;
    cxm_nps *p = nps_proto();
    const size_t first = offsetof(cxm_series_options, calendar);
    cxm_series_options *o = test_malloc(first);
    memset(o, 0, first);
    o->size = (uint32_t)first;
    o->width = CXM_SERIES_DAY;
    o->buckets = 7;
    cxm_series *s = NULL;
    cxm_status st = cxm_series_new(o, p, &tu_allocator, &s);
    assert_true(st == CXM_OK || st == CXM_INVALID_ARGUMENT); /* never reads past the struct */
    cxm_series_free(s);
    test_free(o);
    cxm_nps_free(p);
}

/*
 * A duration window sums its buckets in groups of 32 in one pass over the
 * slots: 70 days (three groups, some days empty, different ranges per day)
 * give byte for byte the accumulator fed the same values, and the same as
 * merging the buckets one by one; a target of another metric is refused.
 */
static void duration_window_in_groups(void **state)
{
    (void)state;
    cxm_duration *proto = NULL, *into = NULL, *one = NULL, *each = NULL;
    TU_OK(cxm_duration_new(NULL, &tu_allocator, &proto));
    TU_OK(cxm_duration_new(NULL, &tu_allocator, &one));
    cxm_series *s = series_of(proto, CXM_SERIES_DAY, 80, 0, MON);
    for (int64_t d = 0; d < 75; d++) {
        TU_OK(cxm_series_advance(s, MON + d * D));
        if (d % 9 == 4) continue; /* an empty day */
        double scale = exp((double)(d % 13) - 4.0);
        for (int i = 0; i < 50; i++) {
            double v = scale * (double)(next() % 100000) / 7.0;
            if (i == 7) v = 0.0;               /* the underflow slot */
            if (i == 9 && d % 5 == 0) v = 1e9; /* the overflow slot */
            TU_OK(cxm_series_duration_add(s, MON + d * D + i * 60, v));
            if (d >= 5) TU_OK(cxm_duration_add(one, v));
        }
    }
    TU_OK(cxm_series_new_accumulator(s, &tu_allocator, (void **)&into));
    TU_OK(cxm_series_window(s, MON + 74 * D, 70, into));
    TU_OK(cxm_series_new_accumulator(s, &tu_allocator, (void **)&each));
    for (uint32_t age = 0; age < 70; age++) {
        const void *b = NULL;
        TU_OK(cxm_series_bucket(s, age, &b, NULL));
        TU_OK(cxm_duration_merge(each, b));
    }
    uint8_t x[1 << 15], y[1 << 15], z[1 << 15];
    size_t lx = 0, ly = 0, lz = 0;
    TU_OK(cxm_duration_encode(into, x, sizeof x, &lx));
    TU_OK(cxm_duration_encode(one, y, sizeof y, &ly));
    TU_OK(cxm_duration_encode(each, z, sizeof z, &lz));
    assert_int_equal(lx, ly);
    assert_memory_equal(x, y, lx);
    assert_int_equal(lx, lz);
    assert_memory_equal(x, z, lx);
    /* Another metric: refused, the target unchanged. */
    cxm_duration *other = NULL;
    cxm_duration_options o = {.size = sizeof o, .metric = CXM_DURATION_FIRST_REPLY};
    TU_OK(cxm_duration_new(&o, &tu_allocator, &other));
    TU_ST(cxm_series_window(s, MON + 74 * D, 70, other), CXM_KIND_MISMATCH);
    cxm_duration_free(other);
    /* Into a compact accumulator: the same bytes; one short of pages refuses and stays empty. */
    cxm_duration *packed = NULL, *small = NULL;
    o = (cxm_duration_options){.size = sizeof o, .memory_budget = CXM_DURATION_MAX_MEMORY};
    TU_OK(cxm_duration_new(&o, &tu_allocator, &packed));
    TU_OK(cxm_series_window(s, MON + 74 * D, 70, packed));
    size_t lp = 0;
    TU_OK(cxm_duration_encode(packed, z, sizeof z, &lp));
    assert_int_equal(lp, lx);
    assert_memory_equal(x, z, lx);
    o.memory_budget = 2 * CXM_DURATION_PAGE_BYTES;
    TU_OK(cxm_duration_new(&o, &tu_allocator, &small));
    TU_ST(cxm_series_window(s, MON + 74 * D, 70, small), CXM_CAPACITY);
    cxm_duration_result r = {.size = sizeof r};
    TU_ST(cxm_duration_result_get(small, 0.0, &r), CXM_EMPTY);
    /* A compact prototype is refused: the series lays its buckets out dense. */
    cxm_series_options so = {.size = sizeof so, .width = CXM_SERIES_DAY, .buckets = 7};
    cxm_series *bad = NULL;
    TU_ST(cxm_series_new(&so, packed, &tu_allocator, &bad), CXM_INVALID_ARGUMENT);
    assert_int_equal(cxm_series_footprint(&so, packed), 0);
    cxm_survival *sv = NULL;
    cxm_survival_options svo = {sizeof svo, 0, CXM_SURVIVAL_PAGE_BYTES};
    TU_OK(cxm_survival_new_with(&svo, &tu_allocator, &sv));
    TU_ST(cxm_series_new(&so, sv, &tu_allocator, &bad), CXM_INVALID_ARGUMENT);
    cxm_survival_free(sv);
    cxm_duration_free(packed);
    cxm_duration_free(small);
    cxm_duration_free(proto);
    cxm_duration_free(into);
    cxm_duration_free(one);
    cxm_duration_free(each);
    cxm_series_free(s);
}

/*
 * A window of survival buckets into a compact survival accumulator: the
 * bytes of the dense window; one without the pages for the window is
 * refused with nothing merged (its one ticket and its memory as before),
 * although the first day alone would fit.
 */
static void survival_window_into_compact(void **state)
{
    (void)state;
    cxm_survival *proto = NULL, *dense = NULL, *packed = NULL, *small = NULL;
    TU_OK(cxm_survival_new(&tu_allocator, &proto));
    cxm_series *s = series_of(proto, CXM_SERIES_DAY, 10, 0, MON);
    /* Day 0: three resolutions in one octave [2^11, 2^12) s; day 1: twenty, over twenty
     * octaves, half open. */
    for (int i = 0; i < 3; i++)
        TU_OK(cxm_series_survival_add(s, MON + i * 60, 2048.0 + i, CXM_SURVIVAL_RESOLVED));
    TU_OK(cxm_series_advance(s, MON + D));
    for (int i = 0; i < 20; i++)
        TU_OK(cxm_series_survival_add(s, MON + D + i * 60, ldexp(1.5, i - 5),
                                      i % 2 ? CXM_SURVIVAL_OPEN : CXM_SURVIVAL_RESOLVED));
    TU_OK(cxm_series_new_accumulator(s, &tu_allocator, (void **)&dense));
    TU_OK(cxm_series_window(s, MON + D, 2, dense));
    cxm_survival_options o = {.size = sizeof o, .memory_budget = CXM_SURVIVAL_MAX_MEMORY};
    TU_OK(cxm_survival_new_with(&o, &tu_allocator, &packed));
    TU_OK(cxm_series_window(s, MON + D, 2, packed));
    uint8_t x[1 << 16], y[1 << 16];
    size_t lx = 0, ly = 0;
    TU_OK(cxm_survival_encode(dense, x, sizeof x, &lx));
    TU_OK(cxm_survival_encode(packed, y, sizeof y, &ly));
    assert_int_equal(lx, ly);
    assert_memory_equal(x, y, lx);
    /* Six pages: room for a ticket of its own and day 0 (one octave), not for day 1's twenty
     * octaves. */
    o.memory_budget = 6 * CXM_SURVIVAL_PAGE_BYTES;
    TU_OK(cxm_survival_new_with(&o, &tu_allocator, &small));
    TU_OK(cxm_survival_add(small, 2049.5, CXM_SURVIVAL_RESOLVED));
    size_t used = 0, avail = 0, used2 = 0, avail2 = 0;
    TU_OK(cxm_survival_memory(small, &used, &avail));
    TU_OK(cxm_survival_encode(small, x, sizeof x, &lx));
    TU_ST(cxm_series_window(s, MON + D, 2, small), CXM_CAPACITY);
    TU_OK(cxm_survival_encode(small, y, sizeof y, &ly));
    TU_OK(cxm_survival_memory(small, &used2, &avail2));
    assert_int_equal(lx, ly);
    assert_memory_equal(x, y, lx);
    assert_int_equal(used, used2);
    assert_int_equal(avail, avail2);
    /* Day 0 alone fits: merged. */
    TU_OK(cxm_series_window(s, MON, 1, small));
    cxm_survival_result r = {.size = sizeof r};
    TU_OK(cxm_survival_result_get(small, 0.95, &r));
    assert_int_equal(r.n, 4);
    cxm_survival_free(proto);
    cxm_survival_free(dense);
    cxm_survival_free(packed);
    cxm_survival_free(small);
    cxm_series_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(daily_buckets_in_a_fixed_offset),
        cmocka_unit_test(weeks_and_months),
        cmocka_unit_test(daylight_saving_day_is_23_hours),
        cmocka_unit_test(refusals_change_nothing),
        cmocka_unit_test(every_family_span_window_merge),
        cmocka_unit_test(every_family_merge_is_one_series),
        cmocka_unit_test(merge_moves_the_clock),
        cmocka_unit_test(placement_and_verbs),
        cmocka_unit_test(decode_refuses_forgeries),
        cmocka_unit_test(batches_all_or_nothing),
        cmocka_unit_test(calendar_range_edges),
        cmocka_unit_test(short_options_struct),
        cmocka_unit_test(duration_window_in_groups),
        cmocka_unit_test(survival_window_into_compact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
