/**
 * @file
 * cxm/calendar.h — business hours: a weekly schedule, a UTC offset with its
 * changes, and holidays; business seconds between two instants and the
 * instant a target of N business seconds falls due.
 *
 * Model. Instants are Unix timestamps (int64_t seconds, UTC). The local time
 * of an instant t is t + offset(t), where offset(t) is the offset of the
 * latest offset change at or before t, or the base offset before the first
 * change. Offset changes (daylight saving, a move to another zone) are given
 * by the caller as (instant, new offset): the library never reads the
 * process time zone or TZ. An instant is open when its local time of day
 * lies in one of the open intervals [open, close) of its local weekday and
 * its local date is not a holiday. Business seconds between t0 and t1 = the
 * number of open instants in [t0, t1). So in a spring-forward change the
 * skipped local hour has no business time, and in a fall-back change a
 * repeated open hour counts twice, as it is really worked twice.
 *
 * Complexity: both questions cost O(log C + holidays and offset changes
 * inside the span + intervals per day); whole weeks are jumped over with
 * arithmetic, never walked.
 *
 * A calendar is a configuration object with capacities fixed at creation;
 * it is not an accumulator (no merge), but it encodes (family
 * CXM_FAMILY_CALENDAR) so that it can travel with an SLA policy. It may be
 * read by several threads at once as long as none modifies it.
 */
#ifndef CXM_CALENDAR_H
#define CXM_CALENDAR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A business-hours calendar. Opaque. */
typedef struct cxm_calendar cxm_calendar;

/** Weekdays, Monday first (ISO 8601 order, from 0). */
typedef enum cxm_weekday {
    CXM_MONDAY = 0,    /**< Monday */
    CXM_TUESDAY = 1,   /**< Tuesday */
    CXM_WEDNESDAY = 2, /**< Wednesday */
    CXM_THURSDAY = 3,  /**< Thursday */
    CXM_FRIDAY = 4,    /**< Friday */
    CXM_SATURDAY = 5,  /**< Saturday */
    CXM_SUNDAY = 6,    /**< Sunday */
} cxm_weekday;

/** Seconds in a day: interval bounds are local seconds from midnight, 0 .. this. */
#define CXM_DAY_SECONDS 86400
/** Function twin of CXM_DAY_SECONDS. */
CXM_EXPORT int32_t cxm_day_seconds(void);

/** Largest absolute UTC offset, seconds (18 hours). */
#define CXM_MAX_UTC_OFFSET 64800
/** Function twin of CXM_MAX_UTC_OFFSET. */
CXM_EXPORT int32_t cxm_max_utc_offset(void);

/** Earliest instant a calendar accepts: 0001-01-02T00:00:00Z. */
#define CXM_CALENDAR_MIN_TIME (-62135510400LL)
/** Function twin of CXM_CALENDAR_MIN_TIME. */
CXM_EXPORT int64_t cxm_calendar_min_time(void);
/** Latest instant a calendar accepts: 9999-12-30T00:00:00Z. */
#define CXM_CALENDAR_MAX_TIME (253402128000LL)
/** Function twin of CXM_CALENDAR_MAX_TIME. */
CXM_EXPORT int64_t cxm_calendar_max_time(void);

/** Largest capacity of any of the three lists of a calendar. */
#define CXM_CALENDAR_MAX_CAPACITY 65536u
/** Function twin of CXM_CALENDAR_MAX_CAPACITY. */
CXM_EXPORT uint32_t cxm_calendar_max_capacity(void);

/** Capacities and base offset of a calendar. */
typedef struct cxm_calendar_config {
    uint32_t size;          /**< sizeof(cxm_calendar_config) */
    uint32_t reserved;      /**< must be 0 */
    uint32_t max_intervals; /**< open intervals over the whole week, 1 .. 65536 */
    uint32_t max_holidays;  /**< holidays, 0 .. 65536 */
    uint32_t max_changes;   /**< offset changes, 0 .. 65536 */
    int32_t utc_offset;     /**< base offset, seconds east of UTC, |offset| <= 64800 */
} cxm_calendar_config;

/**
 * Bytes needed to place a calendar of this configuration in caller memory;
 * 0 if the configuration is invalid.
 */
CXM_EXPORT size_t cxm_calendar_footprint(const cxm_calendar_config *config);

/**
 * Creates a calendar with no open hours, no holiday and no offset change.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, bad size or reserved, a
 *         capacity out of range, bad allocator); CXM_OUT_OF_RANGE (offset);
 *         CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_calendar_new(const cxm_calendar_config *config,
                                                     const cxm_allocator *alloc,
                                                     cxm_calendar **out);

/**
 * As cxm_calendar_new, in caller memory (`size` >= cxm_calendar_footprint(),
 * aligned to CXM_ALIGNMENT); cxm_calendar_free() on it releases nothing.
 * @return as cxm_calendar_new; CXM_BUFFER_TOO_SMALL.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_calendar_init_in(void *mem, size_t size,
                                                         const cxm_calendar_config *config,
                                                         cxm_calendar **out);

/**
 * Opens [open, close) on a weekday, in local seconds from midnight
 * (0 <= open < close <= 86400). Intervals of one day may touch but not
 * overlap; a shift past midnight is two intervals on two days.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (weekday,
 *         bounds, or an overlap with an interval already there);
 *         CXM_CAPACITY (max_intervals reached).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_calendar_add_interval(cxm_calendar *cal, uint32_t weekday,
                                                              int32_t open, int32_t close);

/**
 * Closes a whole local date (proleptic Gregorian, years 1 .. 9999). Adding
 * a date that is already a holiday changes nothing and is CXM_OK.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (no such
 *         date); CXM_CAPACITY (max_holidays reached).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_calendar_add_holiday(cxm_calendar *cal, int32_t year,
                                                             int32_t month, int32_t day);

/**
 * From instant `at` on (inclusive), the UTC offset is `utc_offset` seconds.
 * Changes may be added in any order; two changes at the same instant are
 * refused.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (offset,
 *         instant outside the calendar's range, an instant already used);
 *         CXM_CAPACITY (max_changes reached).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_calendar_add_offset_change(cxm_calendar *cal, int64_t at,
                                                                   int32_t utc_offset);

/**
 * Business seconds in [t0, t1): the number of open instants.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (an instant
 *         outside [CXM_CALENDAR_MIN_TIME, CXM_CALENDAR_MAX_TIME]);
 *         CXM_BAD_ORDER (t1 < t0).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_calendar_business_seconds(const cxm_calendar *cal,
                                                                  int64_t t0, int64_t t1,
                                                                  int64_t *out);

/**
 * The instant a target of `seconds` business seconds started at t0 falls
 * due: the earliest t >= t0 with business_seconds(t0, t) == seconds. A
 * target that is met exactly at the close of an interval is due at that
 * close, not at the next opening; a target of 0 is due at t0.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (t0 out of
 *         range, seconds < 0, or the due instant would lie beyond
 *         CXM_CALENDAR_MAX_TIME); CXM_EMPTY (seconds > 0 and the schedule
 *         has no open interval at all).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_calendar_due(const cxm_calendar *cal, int64_t t0,
                                                     int64_t seconds, int64_t *due);

/**
 * The local UTC offset in force at instant t (seconds east of UTC).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (t).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_calendar_offset_at(const cxm_calendar *cal, int64_t t,
                                                           int32_t *utc_offset);

/**
 * Copies a calendar into new memory from `alloc` (NULL: the source's).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_calendar_clone(const cxm_calendar *cal,
                                                       const cxm_allocator *alloc,
                                                       cxm_calendar **out);

/**
 * Encodes the calendar: capacities, base offset, intervals, holidays and
 * offset changes (see README, "Encoding"). `*len` always receives the size.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BUFFER_TOO_SMALL (buf may be NULL).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_calendar_encode(const cxm_calendar *cal, uint8_t *buf,
                                                        size_t cap, size_t *len);

/**
 * Decodes a calendar; every entry is checked as the add functions check it,
 * and lists must be in the canonical (sorted) order the encoder writes.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BAD_FORMAT; CXM_WRONG_TYPE;
 *         CXM_UNSUPPORTED_VERSION; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_calendar_decode(const uint8_t *buf, size_t len,
                                                        const cxm_allocator *alloc,
                                                        cxm_calendar **out);

/** Frees the calendar; NULL is a no-op. */
CXM_EXPORT void cxm_calendar_free(cxm_calendar *cal);

#ifdef __cplusplus
}
#endif

#endif /* CXM_CALENDAR_H */
