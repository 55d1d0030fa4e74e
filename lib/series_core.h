/*
 * series_core.h — the calendar arithmetic of everything bucketed in time
 * (the series of accumulators and the backlog): a zone (width, fixed
 * offset or a calendar's offset changes) turns an instant into a bucket
 * number and back, and the creation options are read and checked once.
 * Both objects keep their zone as their last member, its offset changes
 * trailing it, so a flat copy of the object is a complete copy.
 */
#ifndef CXM_SERIES_CORE_H
#define CXM_SERIES_CORE_H

#include "internal.h"

#define SERIES_HOUR 3600
#define SERIES_DAY CXM_DAY_SECONDS

typedef struct zone_change {
    int64_t at;
    int32_t offset;
    int32_t pad;
} zone_change;

/* Last member of its object: n_changes changes follow (at least one slot is reserved). */
typedef struct series_zone {
    uint32_t width; /* cxm_series_width */
    int32_t base_offset;
    uint32_t n_changes;
    uint32_t pad;
    zone_change changes[1];
} series_zone;

/* Bytes of an object whose zone (holding n_changes changes) begins at zone_off. */
static inline size_t zone_end(size_t zone_off, uint32_t n_changes)
{
    return zone_off + offsetof(series_zone, changes) +
           (n_changes ? n_changes : 1) * sizeof(zone_change);
}

/* The options every bucketed object is created from, checked; widths, ring and zone resolved. */
typedef struct clock_shape {
    uint32_t width, buckets, max_ahead;
    int32_t base_offset;
    uint32_t n_changes;
    int64_t start;
    const cxm_calendar *calendar; /* read through cxm_options_read: an older struct has none */
} clock_shape;

bool series_width_ok(uint32_t width);

/* Where bucket `number` lives in a ring of `buckets` positions. */
static inline uint32_t series_ring_pos(int64_t number, uint32_t buckets)
{
    return (uint32_t)(number - cxm_floor_div(number, (int64_t)buckets) * (int64_t)buckets);
}
/*
 * Reads and checks cxm_series_options: CXM_INVALID_ARGUMENT (NULL, bad
 * struct, width, ring, offset), CXM_OUT_OF_RANGE (start outside the
 * calendar range).
 */
cxm_status clock_shape_read(const cxm_series_options *opts, clock_shape *sh);
/* The shape's fields a decoder read, checked as the options would be. */
bool clock_shape_ok(const clock_shape *sh);
/* Fills the zone from the shape (the changes from its calendar, if any). */
void zone_fill(series_zone *z, const clock_shape *sh);
/* The options in force of an object with this zone, ring and newest bucket. */
void zone_config(const series_zone *z, uint32_t buckets, uint32_t max_ahead, int64_t head,
                 cxm_series_options *out);

int32_t zone_offset_at(const series_zone *z, int64_t t);
/* The bucket number of instant t (a calendar-range instant). */
int64_t zone_number_at(const series_zone *z, int64_t t);
/* Where bucket `number` lies. */
void zone_bucket_info(const series_zone *z, int64_t number, cxm_series_bucket_info *r);
/*
 * A bucket some instant of the calendar range falls in: inside the range's
 * buckets, and not one that a forward offset change skips. Only such
 * buckets can have taken an event.
 */
bool zone_bucket_real(const series_zone *z, int64_t number);
/* [lo, hi): the instants known to lie in bucket `number` with no offset change near; empty
 * (lo == hi == 0) when a change cuts it. */
void zone_fast_range(const series_zone *z, int64_t number, int64_t *lo, int64_t *hi);
bool zone_same(const series_zone *a, const series_zone *b);

/* Writes the zone (width is written by the caller with the rest of its header). */
void zone_write(cxm_wr *w, const series_zone *z);
/*
 * Reads the offset changes the header announced (sh->n_changes) into a
 * zone of an object already allocated: strictly increasing instants in
 * the calendar range, offsets within bounds. false when bad.
 */
bool zone_read_changes(const uint8_t *changes, series_zone *z, const clock_shape *sh);
/*
 * A decoded clock: the shape checked as the options would be, its origin
 * and head real buckets of the zone, and the head not before the origin
 * (the clock only moves forward).
 */
bool clock_decoded_ok(const series_zone *z, const clock_shape *sh, int64_t origin, int64_t head);
/* Reads the zone header (base offset, number of changes) and takes the changes' bytes. */
const uint8_t *zone_read(cxm_rd *r, clock_shape *sh);

#endif /* CXM_SERIES_CORE_H */
