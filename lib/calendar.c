/*
 * calendar.c — business hours: the weekly schedule, offset changes and
 * holidays, business seconds between two instants and due instants.
 *
 * Everything is a difference of one running total. On the local timeline
 * L = t + offset, the weekly schedule's total W(L) has a closed form (whole
 * weeks times the weekly total, the days before L in its week, and the
 * intervals before L in its day, found by binary search over their running
 * sums). Holidays take their day's open time away: G(L) = W(L) minus the
 * open time of the holidays before L, read from a running sum over the
 * sorted holidays. Offset changes cut the instants into segments, each
 * following G at its own offset; the total at the start of every segment is
 * kept, so the business total B(t) of any instant is a binary search
 * (segment) plus two G's. business_seconds(t0, t1) = B(t1) - B(t0); `due`
 * inverts B with binary searches over the kept totals, the holidays and
 * the intervals. No query walks the span.
 *
 * The running sums are index data: recomputed once by decode, updated by
 * the add functions (each of which already moves its list in memory).
 */
#include <string.h>

#include "internal.h"

#define DAY CXM_DAY_SECONDS
/* Day number (since 1970-01-01) modulo 7 of a Monday, shifted: 1970-01-01 was a Thursday. */
#define MONDAY_SHIFT 3

typedef struct cal_interval {
    int32_t open;
    int32_t close;
    uint32_t weekday;
    int32_t before; /* open seconds of the earlier intervals of its weekday */
} cal_interval;

typedef struct cal_change {
    int64_t at;
    int32_t offset;
    int32_t pad;
    int64_t total; /* B(at): the business total at the instant of the change */
} cal_change;

struct cxm_calendar {
    cxm_obj obj;
    uint32_t max_intervals, max_holidays, max_changes;
    int32_t base_offset;
    uint32_t n_intervals, n_holidays, n_changes;
    uint32_t day_first[8]; /* intervals of weekday d: [day_first[d], day_first[d + 1]) */
    int64_t day_open[7];   /* open seconds per weekday */
    int64_t day_cum[8];    /* open seconds of the weekdays before d */
    int64_t week_open;     /* open seconds in a week */
    /* Then, at the offsets below: intervals sorted by (weekday, open),
       holidays as local day numbers sorted, the running open time of the
       holidays (max_holidays + 1 entries: before holiday k), changes
       sorted by instant. */
};

static size_t off_intervals(void)
{
    return cxm_align_up(sizeof(cxm_calendar), 8);
}
static size_t off_holidays(uint32_t mi)
{
    return cxm_align_up(off_intervals() + mi * sizeof(cal_interval), 8);
}
static size_t off_holiday_open(uint32_t mi, uint32_t mh)
{
    return cxm_align_up(off_holidays(mi) + mh * sizeof(int64_t), 8);
}
static size_t off_changes(uint32_t mi, uint32_t mh)
{
    return cxm_align_up(off_holiday_open(mi, mh) + ((size_t)mh + 1) * sizeof(int64_t), 8);
}
static size_t cal_bytes(uint32_t mi, uint32_t mh, uint32_t mc)
{
    return off_changes(mi, mh) + mc * sizeof(cal_change);
}

static cal_interval *intervals(const cxm_calendar *c)
{
    return (cal_interval *)(uintptr_t)((const char *)c + off_intervals());
}
static int64_t *holidays(const cxm_calendar *c)
{
    return (int64_t *)(uintptr_t)((const char *)c + off_holidays(c->max_intervals));
}
/* holiday_open(c)[k]: open time the weekly schedule loses to holidays 0 .. k - 1. */
static int64_t *holiday_open(const cxm_calendar *c)
{
    return (int64_t *)(uintptr_t)((const char *)c +
                                  off_holiday_open(c->max_intervals, c->max_holidays));
}
static cal_change *changes(const cxm_calendar *c)
{
    return (cal_change *)(uintptr_t)((const char *)c +
                                     off_changes(c->max_intervals, c->max_holidays));
}

static bool offset_ok(int32_t o)
{
    return o >= -CXM_MAX_UTC_OFFSET && o <= CXM_MAX_UTC_OFFSET;
}

int32_t cxm_day_seconds(void)
{
    return CXM_DAY_SECONDS;
}
int32_t cxm_max_utc_offset(void)
{
    return CXM_MAX_UTC_OFFSET;
}
int64_t cxm_calendar_min_time(void)
{
    return CXM_CALENDAR_MIN_TIME;
}
int64_t cxm_calendar_max_time(void)
{
    return CXM_CALENDAR_MAX_TIME;
}
uint32_t cxm_calendar_max_capacity(void)
{
    return CXM_CALENDAR_MAX_CAPACITY;
}

/* ---- creation --------------------------------------------------------------- */

static cxm_status config_read(const cxm_calendar_config *config, cxm_calendar_config *c)
{
    if (!config) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_options_read(config, CXM_SIZES(c), c, sizeof *c);
    if (st != CXM_OK) return st;
    if (c->max_intervals < 1 || c->max_intervals > CXM_CALENDAR_MAX_CAPACITY ||
        c->max_holidays > CXM_CALENDAR_MAX_CAPACITY || c->max_changes > CXM_CALENDAR_MAX_CAPACITY)
        return CXM_INVALID_ARGUMENT;
    if (!offset_ok(c->utc_offset)) return CXM_OUT_OF_RANGE;
    return CXM_OK;
}

size_t cxm_calendar_footprint(const cxm_calendar_config *config)
{
    cxm_calendar_config c;
    if (config_read(config, &c) != CXM_OK) return 0;
    return cal_bytes(c.max_intervals, c.max_holidays, c.max_changes);
}

static void cal_setup(cxm_calendar *cal, const cxm_calendar_config *c)
{
    cal->max_intervals = c->max_intervals;
    cal->max_holidays = c->max_holidays;
    cal->max_changes = c->max_changes;
    cal->base_offset = c->utc_offset;
}

static cxm_status create(bool place, void *mem, size_t size, const cxm_calendar_config *config,
                         const cxm_allocator *alloc, cxm_calendar **out)
{
    cxm_calendar_config c;
    if (!out) return CXM_INVALID_ARGUMENT;
    cxm_status st = config_read(config, &c);
    if (st != CXM_OK) return st;
    cxm_calendar *cal;
    st = cxm_obj_make(place, mem, size, alloc,
                      cal_bytes(c.max_intervals, c.max_holidays, c.max_changes), 0, (void **)&cal);
    if (st != CXM_OK) return st;
    cal_setup(cal, &c);
    *out = cal;
    return CXM_OK;
}

cxm_status cxm_calendar_new(const cxm_calendar_config *config, const cxm_allocator *alloc,
                            cxm_calendar **out)
{
    return create(false, NULL, 0, config, alloc, out);
}

cxm_status cxm_calendar_init_in(void *mem, size_t size, const cxm_calendar_config *config,
                                cxm_calendar **out)
{
    return create(true, mem, size, config, NULL, out);
}

cxm_status cxm_calendar_clone(const cxm_calendar *cal, const cxm_allocator *alloc,
                              cxm_calendar **out)
{
    if (!cal || !out) return CXM_INVALID_ARGUMENT;
    return cxm_obj_clone(cal, cal_bytes(cal->max_intervals, cal->max_holidays, cal->max_changes),
                         alloc, (void **)out);
}

void cxm_calendar_free(cxm_calendar *cal)
{
    cxm_obj_free(cal);
}

/* ---- the running totals --------------------------------------------------------- */

/* Index of the first element of the sorted array a[0..n) that is >= key. */
static uint32_t lower_bound(const int64_t *a, uint32_t n, int64_t key)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (a[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Weekday (0 = Monday) of a day number. */
static uint32_t weekday_of(int64_t day)
{
    int64_t d = day + MONDAY_SHIFT;
    return (uint32_t)(d - 7 * cxm_floor_div(d, 7));
}

/* W at the start of local day `day`: whole weeks, then the weekdays before it. */
static int64_t weekly_at_day(const cxm_calendar *cal, int64_t day)
{
    int64_t d = day + MONDAY_SHIFT, w = cxm_floor_div(d, 7);
    return w * cal->week_open + cal->day_cum[d - 7 * w];
}

/* Open seconds of weekday wd before local second-of-day s (binary search). */
static int64_t open_before(const cxm_calendar *cal, uint32_t wd, int64_t s)
{
    const cal_interval *iv = intervals(cal);
    uint32_t lo = cal->day_first[wd], hi = cal->day_first[wd + 1];
    while (lo < hi) { /* the first interval opening at or after s */
        uint32_t mid = lo + (hi - lo) / 2;
        if (iv[mid].open < s)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == cal->day_first[wd]) return 0;
    const cal_interval *k = &iv[lo - 1];
    return k->before + (s < k->close ? s : k->close) - k->open;
}

/* W(L): open seconds of the weekly schedule in [origin, L), ignoring holidays. */
static int64_t weekly_total(const cxm_calendar *cal, int64_t L)
{
    int64_t day = cxm_floor_div(L, DAY);
    return weekly_at_day(cal, day) + open_before(cal, weekday_of(day), L - day * DAY);
}

/* The smallest L with W(L) >= v; needs week_open > 0. */
static int64_t weekly_inverse(const cxm_calendar *cal, int64_t v)
{
    int64_t w = cxm_floor_div(v - 1, cal->week_open);
    int64_t r = v - w * cal->week_open; /* in (0, week_open] */
    uint32_t wd = 0;
    while (cal->day_cum[wd + 1] < r)
        wd++;
    r -= cal->day_cum[wd]; /* in (0, day_open[wd]]: the day has an interval */
    const cal_interval *iv = intervals(cal);
    uint32_t lo = cal->day_first[wd], hi = cal->day_first[wd + 1];
    while (lo < hi) { /* past the last interval with fewer open seconds before it than r */
        uint32_t mid = lo + (hi - lo) / 2;
        if (iv[mid].before < r)
            lo = mid + 1;
        else
            hi = mid;
    }
    const cal_interval *k = &iv[lo - 1];
    return (w * 7 + wd - MONDAY_SHIFT) * DAY + k->open + (r - k->before);
}

/*
 * The first holiday on or after `day`. With a hint (the previous answer of
 * a sweep), it gallops from there: a sweep over nearly increasing days,
 * as the index build makes, costs O(1) a call amortised, not O(log H).
 */
static uint32_t holiday_at(const cxm_calendar *cal, int64_t day, uint32_t *hint)
{
    const int64_t *h = holidays(cal);
    uint32_t n = cal->n_holidays;
    if (!hint) return lower_bound(h, n, day);
    uint32_t at = *hint < n ? *hint : n, lo, len, bound = 1;
    if (at < n && h[at] < day) { /* the answer is above at: h[lo - 1] < day */
        lo = at + 1;
        while (bound <= n - lo && h[lo + bound - 1] < day) {
            lo += bound;
            bound *= 2;
        }
        len = bound < n - lo ? bound : n - lo;
    } else { /* at or below: at == n or h[hi] >= day */
        uint32_t hi = at;
        while (bound <= hi && h[hi - bound] >= day) {
            hi -= bound;
            bound *= 2;
        }
        lo = hi > bound ? hi - bound : 0;
        len = hi - lo;
    }
    *hint = lo + lower_bound(h + lo, len, day);
    return *hint;
}

/*
 * G(L) = W(L) minus what holidays take: all of the open time of each
 * holiday before L's day, and, when L's day is a holiday, its part before L.
 * `hint`: see holiday_at (NULL for a single query).
 */
static int64_t local_total(const cxm_calendar *cal, int64_t L, uint32_t *hint)
{
    int64_t day = cxm_floor_div(L, DAY);
    const int64_t *h = holidays(cal);
    uint32_t k = holiday_at(cal, day, hint);
    int64_t w = k < cal->n_holidays && h[k] == day ? weekly_at_day(cal, day) : weekly_total(cal, L);
    return w - holiday_open(cal)[k];
}

/*
 * The smallest L with G(L) >= v; needs week_open > 0. G is flat over a
 * holiday and W minus a constant between two: find the first holiday whose
 * start already reaches v, then invert W before it.
 */
static int64_t local_inverse(const cxm_calendar *cal, int64_t v)
{
    const int64_t *h = holidays(cal), *lost = holiday_open(cal);
    uint32_t lo = 0, hi = cal->n_holidays;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (weekly_at_day(cal, h[mid]) - lost[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return weekly_inverse(cal, v + lost[lo]);
}

/* Index of the last change at or before t, or -1 (the base offset). */
static int64_t segment_of(const cxm_calendar *cal, int64_t t)
{
    const cal_change *c = changes(cal);
    uint32_t lo = 0, hi = cal->n_changes;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c[mid].at <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (int64_t)lo - 1;
}

static int32_t segment_offset(const cxm_calendar *cal, int64_t seg)
{
    return seg < 0 ? cal->base_offset : changes(cal)[seg].offset;
}

/*
 * B(t) for an instant t of segment seg (or at its end): G at the segment's
 * offset, anchored to the total kept at the segment's start. B steps by 0
 * or 1 a second and is continuous across changes.
 */
static int64_t total_in(const cxm_calendar *cal, int64_t seg, int64_t t, uint32_t *hint)
{
    if (seg < 0) return local_total(cal, t + cal->base_offset, hint);
    const cal_change *c = &changes(cal)[seg];
    return c->total + local_total(cal, t + c->offset, hint) -
           local_total(cal, c->at + c->offset, hint);
}

static int64_t total_at(const cxm_calendar *cal, int64_t t)
{
    return total_in(cal, segment_of(cal, t), t, NULL);
}

/*
 * Recomputes the kept totals after the index data changed: the total of
 * change 0 (anchored to the origin) and of changes [from, to), whose
 * previous segment the change touched. A later total moves by the same
 * amount as the one before it, so it is shifted, not recomputed.
 */
static void changes_reindex(cxm_calendar *cal, uint32_t from, uint32_t to)
{
    cal_change *c = changes(cal);
    int64_t shift = 0;
    uint32_t hint = 0; /* the instants come in order: their holidays are found by a sweep */
    for (uint32_t j = 0; j < cal->n_changes; j++) {
        if (j == 0 || (j >= from && j < to)) {
            int64_t t = total_in(cal, (int64_t)j - 1, c[j].at, &hint);
            shift = t - c[j].total;
            c[j].total = t;
        } else if (shift != 0) {
            c[j].total += shift;
        } else if (j < from) {
            j = from - 1; /* nothing moved up to there */
        } else {
            break;
        }
    }
}

/* Recomputes the running open time of the holidays from holiday k on. */
static void holidays_reindex(cxm_calendar *cal, uint32_t k)
{
    const int64_t *h = holidays(cal);
    int64_t *lost = holiday_open(cal);
    for (; k < cal->n_holidays; k++)
        lost[k + 1] = lost[k] + cal->day_open[weekday_of(h[k])];
}

/* Recomputes every index from the sorted lists: O(intervals + holidays + changes log). */
static void index_rebuild(cxm_calendar *cal)
{
    cal_interval *iv = intervals(cal);
    uint32_t k = 0;
    cal->week_open = 0;
    for (uint32_t d = 0; d < 7; d++) {
        cal->day_first[d] = k;
        cal->day_open[d] = 0;
        for (; k < cal->n_intervals && iv[k].weekday == d; k++) {
            iv[k].before = (int32_t)cal->day_open[d];
            cal->day_open[d] += iv[k].close - iv[k].open;
        }
        cal->day_cum[d] = cal->week_open;
        cal->week_open += cal->day_open[d];
    }
    cal->day_first[7] = k;
    cal->day_cum[7] = cal->week_open;
    holiday_open(cal)[0] = 0;
    holidays_reindex(cal, 0);
    changes_reindex(cal, 0, cal->n_changes);
}

/* ---- configuration ---------------------------------------------------------- */

static bool interval_ok(uint32_t weekday, int32_t open, int32_t close)
{
    return weekday <= CXM_SUNDAY && open >= 0 && close <= DAY && open < close;
}

cxm_status cxm_calendar_add_interval(cxm_calendar *cal, uint32_t weekday, int32_t open,
                                     int32_t close)
{
    if (!cal) return CXM_INVALID_ARGUMENT;
    if (!interval_ok(weekday, open, close)) return CXM_OUT_OF_RANGE;
    cal_interval *iv = intervals(cal);
    uint32_t at = cal->n_intervals;
    for (uint32_t k = 0; k < cal->n_intervals; k++) {
        if (iv[k].weekday == weekday && open < iv[k].close && iv[k].open < close)
            return CXM_OUT_OF_RANGE;
        if (at == cal->n_intervals &&
            (iv[k].weekday > weekday || (iv[k].weekday == weekday && iv[k].open > open)))
            at = k;
    }
    if (cal->n_intervals == cal->max_intervals) return CXM_CAPACITY;
    memmove(iv + at + 1, iv + at, (cal->n_intervals - at) * sizeof *iv);
    iv[at] = (cal_interval){open, close, weekday, 0};
    cal->n_intervals++;
    /* The schedule moves every running total. */
    index_rebuild(cal);
    return CXM_OK;
}

static bool date_ok(int32_t y, int32_t m, int32_t d)
{
    static const int8_t mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

cxm_status cxm_calendar_add_holiday(cxm_calendar *cal, int32_t year, int32_t month, int32_t day)
{
    if (!cal) return CXM_INVALID_ARGUMENT;
    if (!date_ok(year, month, day)) return CXM_OUT_OF_RANGE;
    int64_t dn = cxm_days_from_civil(year, month, day);
    int64_t *h = holidays(cal);
    uint32_t at = lower_bound(h, cal->n_holidays, dn);
    if (at < cal->n_holidays && h[at] == dn) return CXM_OK;
    if (cal->n_holidays == cal->max_holidays) return CXM_CAPACITY;
    memmove(h + at + 1, h + at, (cal->n_holidays - at) * sizeof *h);
    h[at] = dn;
    cal->n_holidays++;
    holidays_reindex(cal, at);
    /* Only segments whose local span meets the day change length; later totals shift. */
    uint32_t from = (uint32_t)(segment_of(cal, dn * DAY - CXM_MAX_UTC_OFFSET - 1) + 1);
    uint32_t to = (uint32_t)(segment_of(cal, (dn + 1) * DAY + CXM_MAX_UTC_OFFSET + 1) + 2);
    changes_reindex(cal, from, to);
    return CXM_OK;
}

cxm_status cxm_calendar_add_offset_change(cxm_calendar *cal, int64_t at, int32_t utc_offset)
{
    if (!cal) return CXM_INVALID_ARGUMENT;
    if (!cxm_time_ok(at) || !offset_ok(utc_offset)) return CXM_OUT_OF_RANGE;
    cal_change *c = changes(cal);
    int64_t seg = segment_of(cal, at);
    if (seg >= 0 && c[seg].at == at) return CXM_OUT_OF_RANGE;
    if (cal->n_changes == cal->max_changes) return CXM_CAPACITY;
    uint32_t pos = (uint32_t)(seg + 1);
    memmove(c + pos + 1, c + pos, (cal->n_changes - pos) * sizeof *c);
    c[pos] = (cal_change){at, utc_offset, 0, 0};
    cal->n_changes++;
    /* The new change's total, and the next one's, whose previous segment is now shorter. */
    changes_reindex(cal, pos, pos + 2);
    return CXM_OK;
}

cxm_status cxm_calendar_offset_at(const cxm_calendar *cal, int64_t t, int32_t *utc_offset)
{
    if (!cal || !utc_offset) return CXM_INVALID_ARGUMENT;
    if (!cxm_time_ok(t)) return CXM_OUT_OF_RANGE;
    *utc_offset = segment_offset(cal, segment_of(cal, t));
    return CXM_OK;
}

/* ---- the two questions -------------------------------------------------------- */

cxm_status cxm_calendar_business_seconds(const cxm_calendar *cal, int64_t t0, int64_t t1,
                                         int64_t *out)
{
    if (!cal || !out) return CXM_INVALID_ARGUMENT;
    if (!cxm_time_ok(t0) || !cxm_time_ok(t1)) return CXM_OUT_OF_RANGE;
    if (t1 < t0) return CXM_BAD_ORDER;
    *out = total_at(cal, t1) - total_at(cal, t0);
    return CXM_OK;
}

cxm_status cxm_calendar_due(const cxm_calendar *cal, int64_t t0, int64_t seconds, int64_t *due)
{
    if (!cal || !due) return CXM_INVALID_ARGUMENT;
    if (!cxm_time_ok(t0) || seconds < 0) return CXM_OUT_OF_RANGE;
    if (seconds == 0) {
        *due = t0;
        return CXM_OK;
    }
    if (cal->week_open == 0) return CXM_EMPTY;
    int64_t b0 = total_at(cal, t0);
    if (seconds > total_at(cal, CXM_CALENDAR_MAX_TIME) - b0) return CXM_OUT_OF_RANGE;
    /* B steps by at most 1 a second: the due instant is the smallest t with B(t) >= v. */
    int64_t v = b0 + seconds;
    const cal_change *c = changes(cal);
    uint32_t lo = 0, hi = cal->n_changes;
    while (lo < hi) { /* the last segment starting below v */
        uint32_t mid = lo + (hi - lo) / 2;
        if (c[mid].total < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    int64_t seg = (int64_t)lo - 1;
    int32_t off = segment_offset(cal, seg);
    int64_t anchor = seg < 0 ? 0 : c[seg].total - local_total(cal, c[seg].at + off, NULL);
    *due = local_inverse(cal, v - anchor) - off;
    return CXM_OK;
}

/* ---- encoding ----------------------------------------------------------------- */

#define CALENDAR_FORMAT_VERSION 1
/* Days of 0001-01-01 and 9999-12-31: the holidays a calendar can hold. */
#define FIRST_DAY (-719162LL)
#define LAST_DAY 2932896LL

cxm_status cxm_calendar_encode(const cxm_calendar *cal, uint8_t *buf, size_t cap, size_t *len)
{
    if (!cal || !len) return CXM_INVALID_ARGUMENT;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_CALENDAR, CALENDAR_FORMAT_VERSION);
    cxm_wr_u32(&w, cal->max_intervals);
    cxm_wr_u32(&w, cal->max_holidays);
    cxm_wr_u32(&w, cal->max_changes);
    cxm_wr_u32(&w, (uint32_t)cal->base_offset);
    cxm_wr_u32(&w, cal->n_intervals);
    cxm_wr_u32(&w, cal->n_holidays);
    cxm_wr_u32(&w, cal->n_changes);
    const cal_interval *iv = intervals(cal);
    for (uint32_t k = 0; k < cal->n_intervals; k++) {
        cxm_wr_u32(&w, iv[k].weekday);
        cxm_wr_u32(&w, (uint32_t)iv[k].open);
        cxm_wr_u32(&w, (uint32_t)iv[k].close);
    }
    const int64_t *h = holidays(cal);
    for (uint32_t k = 0; k < cal->n_holidays; k++)
        cxm_wr_u64(&w, (uint64_t)h[k]);
    const cal_change *c = changes(cal);
    for (uint32_t k = 0; k < cal->n_changes; k++) {
        cxm_wr_u64(&w, (uint64_t)c[k].at);
        cxm_wr_u32(&w, (uint32_t)c[k].offset);
    }
    return cxm_wr_end(&w, len);
}

/*
 * Reads the lists into a calendar created for them; false on any invalid or
 * unsorted entry. Each entry is checked against the one before it only:
 * sorted, intervals of a day not overlapping, so the lists are what the add
 * functions build. The index is built once, at the end: linear, where
 * adding one entry at a time would rebuild it for each.
 */
static bool read_lists(cxm_rd *r, cxm_calendar *cal, uint32_t ni, uint32_t nh, uint32_t nc)
{
    cal_interval *iv = intervals(cal);
    for (uint32_t k = 0; k < ni; k++) {
        uint32_t wd = cxm_rd_u32(r);
        int32_t open = (int32_t)cxm_rd_u32(r), close = (int32_t)cxm_rd_u32(r);
        /* Canonical order: by weekday, then opening; a day's intervals may touch. */
        if (!interval_ok(wd, open, close) ||
            (k && (wd < iv[k - 1].weekday || (wd == iv[k - 1].weekday && open < iv[k - 1].close))))
            return false;
        iv[k] = (cal_interval){open, close, wd, 0};
    }
    int64_t *h = holidays(cal);
    for (uint32_t k = 0; k < nh; k++) {
        int64_t day = (int64_t)cxm_rd_u64(r);
        if (day < FIRST_DAY || day > LAST_DAY || (k && day <= h[k - 1])) return false;
        h[k] = day;
    }
    cal_change *c = changes(cal);
    for (uint32_t k = 0; k < nc; k++) {
        int64_t at = (int64_t)cxm_rd_u64(r);
        int32_t off = (int32_t)cxm_rd_u32(r);
        if (!cxm_time_ok(at) || !offset_ok(off) || (k && at <= c[k - 1].at)) return false;
        c[k] = (cal_change){at, off, 0, 0};
    }
    if (r->bad) return false;
    cal->n_intervals = ni;
    cal->n_holidays = nh;
    cal->n_changes = nc;
    index_rebuild(cal);
    return true;
}

cxm_status cxm_calendar_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                               cxm_calendar **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_rd r;
    cxm_status st = cxm_rd_begin(&r, buf, len, CXM_FAMILY_CALENDAR, CALENDAR_FORMAT_VERSION);
    if (st != CXM_OK) return st;
    cxm_calendar_config cfg = {sizeof cfg, 0, 0, 0, 0, 0};
    cfg.max_intervals = cxm_rd_u32(&r);
    cfg.max_holidays = cxm_rd_u32(&r);
    cfg.max_changes = cxm_rd_u32(&r);
    cfg.utc_offset = (int32_t)cxm_rd_u32(&r);
    uint32_t ni = cxm_rd_u32(&r), nh = cxm_rd_u32(&r), nc = cxm_rd_u32(&r);
    /* Everything the bytes size is checked before the allocation. */
    cxm_calendar_config c;
    if (r.bad || config_read(&cfg, &c) != CXM_OK || ni > c.max_intervals || nh > c.max_holidays ||
        nc > c.max_changes || r.left != (size_t)ni * 12 + (size_t)nh * 8 + (size_t)nc * 12)
        return CXM_BAD_FORMAT;
    cxm_calendar *cal;
    if ((st = cxm_calendar_new(&cfg, alloc, &cal)) != CXM_OK) return st;
    if (!read_lists(&r, cal, ni, nh, nc) || cxm_rd_end(&r) != CXM_OK) {
        cxm_calendar_free(cal);
        return CXM_BAD_FORMAT;
    }
    *out = cal;
    return CXM_OK;
}

/* ---- the zone, for other families ------------------------------------------------ */

void cal_zone(const cxm_calendar *cal, int32_t *base_offset, uint32_t *n_changes)
{
    *base_offset = cal->base_offset;
    *n_changes = cal->n_changes;
}

void cal_zone_change(const cxm_calendar *cal, uint32_t k, int64_t *at, int32_t *utc_offset)
{
    *at = changes(cal)[k].at;
    *utc_offset = changes(cal)[k].offset;
}
