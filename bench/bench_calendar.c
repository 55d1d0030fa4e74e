/*
 * bench_calendar.c — business-hours calendars at the largest size the
 * format allows (CXM_CALENDAR_MAX_CAPACITY intervals, holidays and offset
 * changes, 2.1 MB encoded), against a small calendar in the same run:
 *
 *  - calendar.decode.max: decode of the largest calendar, ms; reference:
 *    the same generator at 1/16 of the size, scaled to the same number of
 *    entries. The ratio is the cost per entry, large over small: 1 for a
 *    linear decode in a flat memory, 16 for a quadratic one (decode was
 *    quadratic before). Limit 4: the per-entry cost
 *    may grow with cache misses and the log I of the interval lookups.
 *  - calendar.business_seconds.max and calendar.due.max: ns per query over
 *    random spans (1 minute to 1 year, anywhere in years 1 .. 9999);
 *    reference: the same queries on the 1/16 calendar. O(log n) queries
 *    grow by a small factor (log2 65536 / log2 4096 = 1.33 in comparisons,
 *    more in cache misses); a query linear in the calendar would be 16x.
 *    Limit 4.
 *  - calendar.business_seconds.office and calendar.due.office: the same
 *    queries on an office calendar (Monday to Friday 9-17, a dozen
 *    holidays, two offset changes a year for 30 years), for scale.
 *
 *   bench_calendar [--quick]
 */
#include "bench.h"

#include <cxm.h>

#include "forge.h"

#define DAY 86400
#define FIRST_DAY (-719162LL) /* 0001-01-01 */
#define LAST_DAY 2932896LL    /* 9999-12-31 */

typedef struct writer {
    uint8_t *b;
    size_t len;
} writer;

static void put(writer *w, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        w->b[w->len++] = (uint8_t)(v >> (8 * i));
}

/*
 * The encoding of a calendar with n intervals, n holidays and n offset
 * changes (and capacity n for each), written directly: building it through
 * the add functions would time the adds, not the decode. Intervals of 5 s
 * every 9 s on each weekday; holidays every 55th day of years 1 .. 9999;
 * changes spread over the whole range, alternating UTC+1 and UTC+2.
 */
static uint8_t *calendar_bytes(uint32_t n, size_t *len)
{
    size_t cap = 16 + 28 + (size_t)n * (12 + 8 + 12);
    writer w = {malloc(cap), 0};
    if (!w.b) bench_fail("out of memory");
    put(&w, 0x004D5843u, 4); /* "CXM\0" */
    put(&w, 1, 2);           /* format version */
    put(&w, CXM_FAMILY_CALENDAR, 2);
    put(&w, cap - 16, 4);
    const uint64_t hdr[7] = {n, n, n, 3600, n, n, n};
    for (int i = 0; i < 7; i++)
        put(&w, hdr[i], 4);
    uint32_t per_day = n / 7;
    for (uint32_t wd = 0; wd < 7; wd++) {
        uint32_t count = per_day + (wd == 0 ? n - 7 * per_day : 0);
        for (uint32_t k = 0; k < count; k++) {
            put(&w, wd, 4);
            put(&w, k * 9u, 4);
            put(&w, k * 9u + 5u, 4);
        }
    }
    int64_t step = (LAST_DAY - FIRST_DAY) / (int64_t)n;
    for (uint32_t k = 0; k < n; k++)
        put(&w, (uint64_t)(FIRST_DAY + step * (int64_t)k), 8);
    int64_t lo = cxm_calendar_min_time(), span = (cxm_calendar_max_time() - lo) / (int64_t)n;
    for (uint32_t k = 0; k < n; k++) {
        put(&w, (uint64_t)(lo + span * (int64_t)k), 8);
        put(&w, k % 2 ? 7200u : 3600u, 4);
    }
    tu_fix_crc(w.b, w.len + 4);
    if (w.len + 4 != cap) bench_fail("calendar encoding size");
    *len = cap;
    return w.b;
}

static cxm_calendar *decode_or_fail(const uint8_t *b, size_t len)
{
    cxm_calendar *c = NULL;
    if (cxm_calendar_decode(b, len, NULL, &c) != CXM_OK) bench_fail("decode");
    return c;
}

/* Median decode time of the bytes, ns. */
static double time_decode(const uint8_t *b, size_t len, int reps)
{
    double t[64];
    for (int r = 0; r < reps; r++) {
        double t0 = bench_now();
        cxm_calendar *c = decode_or_fail(b, len);
        t[r] = bench_now() - t0;
        cxm_calendar_free(c);
    }
    return bench_median(t, (size_t)reps);
}

/* Monday to Friday 9-17 at UTC+1, 12 holidays, a DST change twice a year from 2000 to 2029. */
static cxm_calendar *office(void)
{
    cxm_calendar_config cfg = {sizeof cfg, 0, 5, 12, 60, 3600};
    cxm_calendar *c = NULL;
    if (cxm_calendar_new(&cfg, NULL, &c) != CXM_OK) bench_fail("office");
    for (uint32_t d = CXM_MONDAY; d <= CXM_FRIDAY; d++)
        if (cxm_calendar_add_interval(c, d, 9 * 3600, 17 * 3600) != CXM_OK) bench_fail("office");
    for (int m = 1; m <= 12; m++)
        if (cxm_calendar_add_holiday(c, 2026, m, 1) != CXM_OK) bench_fail("office");
    for (int64_t y = 0; y < 30; y++) {
        int64_t t = 946684800 + y * 31556952; /* 2000-01-01 + y mean years */
        if (cxm_calendar_add_offset_change(c, t + 86 * DAY, 7200) != CXM_OK ||
            cxm_calendar_add_offset_change(c, t + 300 * DAY, 3600) != CXM_OK)
            bench_fail("office");
    }
    return c;
}

typedef struct query {
    int64_t t0, t1;
} query;

/* Starts anywhere in the range, spans log-uniform from a minute to a year. */
static void make_queries(query *q, size_t n)
{
    uint64_t s = 99;
    int64_t lo = cxm_calendar_min_time(), hi = cxm_calendar_max_time() - 366 * DAY;
    for (size_t i = 0; i < n; i++) {
        q[i].t0 = lo + (int64_t)(bench_unit(&s) * (double)(hi - lo));
        q[i].t1 = q[i].t0 + (int64_t)exp(log(60.0) + bench_unit(&s) * log(366.0 * DAY / 60.0));
    }
}

/* ns per business_seconds query (which = 0) or per due query (1) over the list. */
static double time_queries(const cxm_calendar *c, const query *q, size_t n, int which)
{
    uint64_t acc = 0;
    double t0 = bench_now();
    for (size_t i = 0; i < n; i++) {
        int64_t v = 0;
        cxm_status st = which == 0 ? cxm_calendar_business_seconds(c, q[i].t0, q[i].t1, &v)
                                   : cxm_calendar_due(c, q[i].t0, (q[i].t1 - q[i].t0) / 8, &v);
        acc += (uint64_t)v + (uint64_t)st;
    }
    double t = bench_now() - t0;
    bench_sink = acc;
    return t / (double)n;
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv);
    int reps = o.quick ? 3 : 11;
    uint32_t big = cxm_calendar_max_capacity(), small = big / 16;
    size_t big_len, small_len;
    uint8_t *big_b = calendar_bytes(big, &big_len), *small_b = calendar_bytes(small, &small_len);

    double tb = time_decode(big_b, big_len, reps), ts = time_decode(small_b, small_len, reps);
    double scaled = ts * (double)big / (double)small;
    BENCH_EMIT(.name = "calendar.decode.max", .unit = "ms", .value = tb / 1e6,
               .n = 3.0 * (double)big, .has_ref = 1, .ref = scaled / 1e6, .limit_on = "ratio",
               .limit_op = "<=", .limit = 4.0,
               .note = "ref: 1/16 of the entries, scaled up; 1 = linear, 16 = quadratic");
    BENCH_EMIT(.name = "calendar.encoded_bytes.max", .unit = "bytes", .value = (double)big_len,
               .n = 3.0 * (double)big);

    cxm_calendar *large = decode_or_fail(big_b, big_len);
    cxm_calendar *ref = decode_or_fail(small_b, small_len), *desk = office();
    size_t nq = o.quick ? 20000 : 200000;
    query *q = malloc(nq * sizeof *q);
    if (!q) bench_fail("out of memory");
    make_queries(q, nq);
    static const char *const names[2][2] = {
        {"calendar.business_seconds.max", "calendar.due.max"},
        {"calendar.business_seconds.office", "calendar.due.office"}};
    for (int which = 0; which < 2; which++) {
        double v[64], r[64], ratio[64], w[64];
        for (int k = 0; k < reps; k++) { /* paired: the reference right before */
            r[k] = time_queries(ref, q, nq, which);
            v[k] = time_queries(large, q, nq, which);
            w[k] = time_queries(desk, q, nq, which);
            ratio[k] = v[k] / r[k];
        }
        double rm = bench_median(r, (size_t)reps), vm = bench_median(v, (size_t)reps);
        BENCH_EMIT(.name = names[0][which], .unit = "ns", .value = vm, .n = (double)nq,
                   .has_ref = 1, .ref = rm, .ratio = bench_median(ratio, (size_t)reps),
                   .limit_on = "ratio", .limit_op = "<=", .limit = 4.0,
                   .note = "ref: the 1/16 calendar; O(log n) ~1.3, O(n) 16");
        BENCH_EMIT(.name = names[1][which], .unit = "ns", .value = bench_median(w, (size_t)reps),
                   .n = (double)nq,
                   .note = "an office calendar: 5 intervals, 12 holidays, 60 changes");
    }
    free(q);
    cxm_calendar_free(large);
    cxm_calendar_free(ref);
    cxm_calendar_free(desk);
    free(big_b);
    free(small_b);
    return 0;
}
