/*
 * series_zone.c — local time and bucket numbers for the series and the
 * backlog: a fixed offset or a calendar's offset changes, the four widths,
 * the first instant of a bucket across an offset change, and the creation
 * options both objects share.
 */
#include <string.h>

#include "series_core.h"

/* 12 * year + month - 1 of a day number (the inverse of cxm_days_from_civil, months only). */
static int64_t month_of_day(int64_t z)
{
    z += 719468;
    int64_t era = cxm_floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    return 12 * y + m - 1;
}

bool series_width_ok(uint32_t w)
{
    return w >= CXM_SERIES_HOUR && w <= CXM_SERIES_MONTH;
}

/* Offset in force at t: the latest change at or before t, else the base offset. */
int32_t zone_offset_at(const series_zone *z, int64_t t)
{
    uint32_t lo = 0, hi = z->n_changes;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (z->changes[mid].at <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? z->base_offset : z->changes[lo - 1].offset;
}

static int64_t number_of_local(uint32_t width, int64_t local)
{
    switch (width) {
    case CXM_SERIES_HOUR: return cxm_floor_div(local, SERIES_HOUR);
    case CXM_SERIES_DAY: return cxm_floor_div(local, SERIES_DAY);
    case CXM_SERIES_WEEK:
        return cxm_floor_div(cxm_floor_div(local, SERIES_DAY) + 3, 7); /* Mondays */
    default: return month_of_day(cxm_floor_div(local, SERIES_DAY));
    }
}

static int64_t local_start(uint32_t width, int64_t number)
{
    switch (width) {
    case CXM_SERIES_HOUR: return number * SERIES_HOUR;
    case CXM_SERIES_DAY: return number * SERIES_DAY;
    case CXM_SERIES_WEEK: return (number * 7 - 3) * SERIES_DAY;
    default: {
        int64_t y = cxm_floor_div(number, 12);
        return cxm_days_from_civil(y, number - 12 * y + 1, 1) * SERIES_DAY;
    }
    }
}

int64_t zone_number_at(const series_zone *z, int64_t t)
{
    return number_of_local(z->width, t + zone_offset_at(z, t));
}

/*
 * The first instant whose local time reaches local second L: over each
 * stretch of constant offset near L, the first instant t with t + offset
 * >= L, and the earliest of those. Exact across offset changes (a skipped
 * local start begins at the change).
 */
static int64_t first_instant(const series_zone *z, int64_t L)
{
    int64_t lo = L - CXM_MAX_UTC_OFFSET, hi = L + CXM_MAX_UTC_OFFSET + 1;
    int64_t best = INT64_MAX, seg_start = lo;
    int32_t off = zone_offset_at(z, lo);
    for (uint32_t k = 0; k <= z->n_changes; k++) {
        int64_t seg_end = hi;
        if (k < z->n_changes) {
            if (z->changes[k].at <= lo) continue;
            if (z->changes[k].at < hi) seg_end = z->changes[k].at;
        }
        int64_t t = L - off > seg_start ? L - off : seg_start;
        if (t < seg_end && t < best) best = t;
        if (seg_end >= hi) break;
        seg_start = seg_end;
        off = z->changes[k].offset;
    }
    return best;
}

void zone_bucket_info(const series_zone *z, int64_t number, cxm_series_bucket_info *r)
{
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    r->number = number;
    r->local_start = local_start(z->width, number);
    r->start = first_instant(z, r->local_start);
    r->end = first_instant(z, local_start(z->width, number + 1));
}

bool zone_bucket_real(const series_zone *z, int64_t b)
{
    if (b < zone_number_at(z, CXM_CALENDAR_MIN_TIME) ||
        b > zone_number_at(z, CXM_CALENDAR_MAX_TIME))
        return false;
    int64_t t = first_instant(z, local_start(z->width, b));
    if (t < CXM_CALENDAR_MIN_TIME) t = CXM_CALENDAR_MIN_TIME;
    return t <= CXM_CALENDAR_MAX_TIME && zone_number_at(z, t) == b;
}

void zone_fast_range(const series_zone *z, int64_t number, int64_t *lo, int64_t *hi)
{
    cxm_series_bucket_info b;
    zone_bucket_info(z, number, &b);
    *lo = *hi = 0;
    for (uint32_t k = 0; k < z->n_changes; k++)
        if (z->changes[k].at > b.start - CXM_MAX_UTC_OFFSET &&
            z->changes[k].at < b.end + CXM_MAX_UTC_OFFSET)
            return;
    /* Only instants the calendar range holds: the bucket of an extreme may run past it. */
    *lo = b.start > CXM_CALENDAR_MIN_TIME ? b.start : CXM_CALENDAR_MIN_TIME;
    *hi = b.end < CXM_CALENDAR_MAX_TIME + 1 ? b.end : CXM_CALENDAR_MAX_TIME + 1;
}

bool zone_same(const series_zone *a, const series_zone *b)
{
    if (a->width != b->width || a->base_offset != b->base_offset || a->n_changes != b->n_changes)
        return false;
    for (uint32_t k = 0; k < a->n_changes; k++)
        if (a->changes[k].at != b->changes[k].at || a->changes[k].offset != b->changes[k].offset)
            return false;
    return true;
}

/* ---- options ------------------------------------------------------------------------ */

static uint32_t resolve_ahead(uint32_t max_ahead, uint32_t buckets)
{
    return max_ahead ? max_ahead : (buckets / 2 ? buckets / 2 : 1);
}

bool clock_shape_ok(const clock_shape *sh)
{
    return series_width_ok(sh->width) && sh->buckets >= 1 &&
           sh->buckets <= CXM_SERIES_MAX_BUCKETS && sh->max_ahead >= 1 &&
           sh->base_offset >= -CXM_MAX_UTC_OFFSET && sh->base_offset <= CXM_MAX_UTC_OFFSET;
}

cxm_status clock_shape_read(const cxm_series_options *opts, clock_shape *sh)
{
    cxm_series_options o;
    cxm_status st = cxm_options_read(opts, CXM_SIZES(&o), &o, sizeof o);
    if (st != CXM_OK) return st;
    if (!opts || o.reserved || o.reserved2 || o.flags || (o.calendar && o.utc_offset != 0))
        return CXM_INVALID_ARGUMENT;
    memset(sh, 0, sizeof *sh);
    sh->width = o.width;
    sh->buckets = o.buckets;
    sh->max_ahead = resolve_ahead(o.max_ahead, o.buckets);
    sh->base_offset = o.utc_offset;
    if (!clock_shape_ok(sh)) return CXM_INVALID_ARGUMENT;
    if (!cxm_time_ok(o.start)) return CXM_OUT_OF_RANGE;
    if (o.calendar) cal_zone(o.calendar, &sh->base_offset, &sh->n_changes);
    sh->calendar = o.calendar;
    sh->start = o.start;
    return CXM_OK;
}

void zone_fill(series_zone *z, const clock_shape *sh)
{
    z->width = sh->width;
    z->base_offset = sh->base_offset;
    z->n_changes = sh->n_changes;
    for (uint32_t k = 0; sh->calendar && k < z->n_changes; k++)
        cal_zone_change(sh->calendar, k, &z->changes[k].at, &z->changes[k].offset);
}

void zone_config(const series_zone *z, uint32_t buckets, uint32_t max_ahead, int64_t head,
                 cxm_series_options *out)
{
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    out->width = z->width;
    out->buckets = buckets;
    out->utc_offset = z->n_changes ? 0 : z->base_offset;
    out->max_ahead = max_ahead;
    cxm_series_bucket_info b;
    zone_bucket_info(z, head, &b);
    out->start = b.start > CXM_CALENDAR_MIN_TIME ? b.start : CXM_CALENDAR_MIN_TIME;
}

/* ---- encoding ----------------------------------------------------------------------- */

void zone_write(cxm_wr *w, const series_zone *z)
{
    cxm_wr_u32(w, (uint32_t)z->base_offset);
    cxm_wr_u32(w, z->n_changes);
    for (uint32_t k = 0; k < z->n_changes; k++) {
        cxm_wr_u64(w, (uint64_t)z->changes[k].at);
        cxm_wr_u32(w, (uint32_t)z->changes[k].offset);
    }
}

const uint8_t *zone_read(cxm_rd *r, clock_shape *sh)
{
    sh->base_offset = (int32_t)cxm_rd_u32(r);
    sh->n_changes = cxm_rd_u32(r);
    /* Each change takes 12 bytes: refuse a count the bytes cannot hold before allocating. */
    if (r->bad || sh->n_changes > CXM_CALENDAR_MAX_CAPACITY || sh->n_changes > r->left / 12) {
        r->bad = true;
        return NULL;
    }
    return cxm_rd_take(r, (size_t)sh->n_changes * 12);
}

bool zone_read_changes(const uint8_t *changes, series_zone *z, const clock_shape *sh)
{
    z->width = sh->width;
    z->base_offset = sh->base_offset;
    z->n_changes = sh->n_changes;
    for (uint32_t k = 0; k < sh->n_changes; k++) {
        uint64_t at = 0;
        uint32_t off = 0;
        for (int i = 0; i < 8; i++)
            at |= (uint64_t)changes[12 * k + (uint32_t)i] << (8 * i);
        for (int i = 0; i < 4; i++)
            off |= (uint32_t)changes[12 * k + 8 + (uint32_t)i] << (8 * i);
        z->changes[k].at = (int64_t)at;
        z->changes[k].offset = (int32_t)off;
        if (!cxm_time_ok(z->changes[k].at) || (k > 0 && z->changes[k].at <= z->changes[k - 1].at) ||
            z->changes[k].offset < -CXM_MAX_UTC_OFFSET || z->changes[k].offset > CXM_MAX_UTC_OFFSET)
            return false;
    }
    return true;
}

bool clock_decoded_ok(const series_zone *z, const clock_shape *sh, int64_t origin, int64_t head)
{
    return clock_shape_ok(sh) && zone_bucket_real(z, head) && zone_bucket_real(z, origin) &&
           origin <= head;
}
