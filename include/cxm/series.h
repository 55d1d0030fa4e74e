/**
 * @file
 * cxm/series.h — figures over time: one accumulator of any family per
 * calendar bucket (hour, day, ISO week, calendar month), kept in a ring of
 * a fixed number of buckets that retires the oldest as time advances.
 *
 * WHAT IT ANSWERS. "First reply time per day for the last 30 days", "NPS
 * this month against last month", "FCR over the last 7 days as of now",
 * "CSAT week by week": every bucket is a whole accumulator of the family,
 * so every result call of the family works on a bucket, and any span of
 * buckets merges into one accumulator whose figures are exactly those of
 * one accumulator fed the same events (merge is exact in every family).
 *
 * BUCKETS. An instant t (Unix seconds, UTC) has the local time
 * L = t + offset(t): offset(t) is the fixed `utc_offset` of the options,
 * or, when a calendar is given, the calendar's offset at t (its base
 * offset and its explicit offset changes, copied at creation), so a day is
 * a local day across a daylight-saving change (23 or 25 hours long). The
 * bucket number of t is, on the local timeline:
 *  - CXM_SERIES_HOUR:  floor(L / 3600)
 *  - CXM_SERIES_DAY:   floor(L / 86400), the local date
 *  - CXM_SERIES_WEEK:  the ISO week, Monday to Sunday, counted from the
 *                      week of Monday 1969-12-29
 *  - CXM_SERIES_MONTH: 12 * year + (month - 1) of the local date
 * Instants must lie in [CXM_CALENDAR_MIN_TIME, CXM_CALENDAR_MAX_TIME].
 *
 * THE RING. The series holds `buckets` consecutive bucket numbers ending
 * at the newest, fixed at creation from `start`. An event newer than the
 * newest bucket moves the clock forward (the buckets that fall out of the
 * ring are retired) — but by at most `max_ahead` buckets, so one event
 * with a wrong, far-future timestamp cannot wipe the ring: beyond that it
 * is refused with CXM_OUT_OF_RANGE. cxm_series_advance moves the clock any
 * distance on purpose (for example to "now" before a quiet day is read).
 * An event older than the oldest bucket is refused with CXM_EXPIRED —
 * never dropped in silence. (A caller who wants a running total beyond the
 * horizon keeps one plain accumulator beside the series.)
 * Every add is all or nothing: a refused event changes nothing, not even
 * the clock (the new bucket is filled in a spare accumulator and swapped
 * in only when the add succeeded).
 *
 * MEMORY. Fixed at creation: the header, the copied offset changes and
 * buckets + 2 accumulators (the ring, a spare that takes an event opening
 * a new bucket, and a scratch copy that lets merge check before it
 * writes), each the size of the prototype (cxm_series_footprint). On
 * LP64 targets a 90-day daily series of NPS takes 12,416 bytes and one of
 * durations 1,850,944 bytes (92 sketches of 20,112 bytes; both figures
 * from bench/bench_series). Nothing is allocated after creation.
 *
 * The prototype given at creation fixes the family and its configuration
 * (NPS kind and brand, CSAT scale, rate use, roll-up options, ...); its
 * contents are not copied. A roll-up prototype's borrowed calendar is
 * borrowed by every bucket (keep it alive; after cxm_series_decode attach
 * it again with cxm_series_attach_calendar).
 */
#ifndef CXM_SERIES_H
#define CXM_SERIES_H

#include "calendar.h"
#include "ces.h"
#include "churn.h"
#include "common.h"
#include "csat.h"
#include "duration.h"
#include "nps.h"
#include "rate.h"
#include "rollup.h"
#include "sla.h"
#include "survival.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A time-bucketed series of accumulators. Opaque. */
typedef struct cxm_series cxm_series;

/** Bucket widths. Values are pinned. */
typedef enum cxm_series_width {
    CXM_SERIES_HOUR = 1,  /**< local clock hours */
    CXM_SERIES_DAY = 2,   /**< local dates */
    CXM_SERIES_WEEK = 3,  /**< ISO weeks, Monday to Sunday */
    CXM_SERIES_MONTH = 4, /**< calendar months */
} cxm_series_width;

/** Largest number of buckets of a series (27 years of days, 416 days of hours). */
#define CXM_SERIES_MAX_BUCKETS 10000u
/** Function twin of CXM_SERIES_MAX_BUCKETS. */
CXM_EXPORT uint32_t cxm_series_max_buckets(void);

/**
 * Largest footprint of a series, bytes (256 MiB). It bounds what decoding
 * any bytes can allocate: empty buckets take no bytes in the encoding, so
 * a short encoding may describe a large series.
 */
#define CXM_SERIES_MAX_BYTES ((size_t)256 << 20)
/** Function twin of CXM_SERIES_MAX_BYTES. */
CXM_EXPORT size_t cxm_series_max_bytes(void);

/** Creation options. Set `size` = sizeof(cxm_series_options). */
typedef struct cxm_series_options {
    uint32_t size;                /**< sizeof(cxm_series_options) */
    uint32_t reserved;            /**< must be 0 */
    uint32_t width;               /**< a cxm_series_width */
    uint32_t buckets;             /**< ring length, 1 .. CXM_SERIES_MAX_BUCKETS */
    int32_t utc_offset;           /**< seconds east of UTC, |offset| <= CXM_MAX_UTC_OFFSET;
                                       must be 0 when a calendar is given */
    uint32_t flags;               /**< must be 0 (reserved for flags) */
    uint32_t max_ahead;           /**< buckets an event may move the clock at once;
                                       0: half the ring (at least 1) */
    uint32_t reserved2;           /**< must be 0 */
    int64_t start;                /**< an instant of the newest bucket at creation (Unix s) */
    const cxm_calendar *calendar; /**< NULL, or a calendar whose zone (base offset and
                                       offset changes) sets the local time; copied */
} cxm_series_options;

/** Where a bucket lies. Set `size` = sizeof(cxm_series_bucket_info). */
typedef struct cxm_series_bucket_info {
    uint32_t size;       /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;   /**< out: 0 */
    int64_t number;      /**< the bucket number (see the top of this header) */
    int64_t local_start; /**< local seconds since 1970-01-01 of its first moment: the label */
    int64_t start;       /**< its first instant (Unix s, UTC) */
    int64_t end;         /**< the first instant of the next bucket */
} cxm_series_bucket_info;

/**
 * Bytes of a series of this shape around this prototype (any accumulator:
 * NPS, panel, CSAT, CES, duration, survival, rate, SLA, churn, roll-up);
 * 0 if the options or the prototype are invalid.
 */
CXM_EXPORT size_t cxm_series_footprint(const cxm_series_options *opts, const void *prototype);

/**
 * Creates an empty series whose buckets are accumulators configured like
 * `prototype` (its data is not copied).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, bad options struct, unknown
 *         width, buckets out of range, offset out of range or given with a
 *         calendar, a prototype that is not an accumulator); CXM_CAPACITY
 *         (the footprint would pass CXM_SERIES_MAX_BYTES); CXM_OUT_OF_RANGE
 *         (start outside the calendar range); CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_new(const cxm_series_options *opts,
                                                   const void *prototype,
                                                   const cxm_allocator *alloc, cxm_series **out);

/**
 * As cxm_series_new in caller memory (`size` >= cxm_series_footprint(),
 * aligned to CXM_ALIGNMENT). cxm_series_free() on it releases nothing.
 * @return as cxm_series_new; CXM_BUFFER_TOO_SMALL.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_init_in(void *mem, size_t size,
                                                       const cxm_series_options *opts,
                                                       const void *prototype, cxm_series **out);

/**
 * The family (a cxm_family) of the accumulators in the series.
 * @return CXM_OK; CXM_INVALID_ARGUMENT.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_family(const cxm_series *series, uint32_t *family);

/**
 * The options in force (`start` is an instant of the newest bucket; the
 * calendar pointer is NULL: the series keeps only its zone).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size too small).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_config(const cxm_series *series,
                                                      cxm_series_options *out);

/*
 * Adds. Each adds one event at instant t to the bucket holding t, through
 * the family's own add, all or nothing. Besides that add's statuses:
 * CXM_KIND_MISMATCH (the series holds another family); CXM_EXPIRED (t is
 * older than the oldest bucket);
 * CXM_OUT_OF_RANGE (t beyond max_ahead buckets after the newest, or
 * outside the calendar range).
 */

/** Adds an NPS answer (as cxm_nps_add) at t. @return see above. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_nps_add(cxm_series *series, int64_t t,
                                                       int32_t score);
/** Adds a competitive panel answer (as cxm_nps_panel_add) at t. @return see above. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_panel_add(cxm_series *series, int64_t t,
                                                         uint32_t brand, int32_t score);
/** Adds a CSAT answer (as cxm_csat_add) at t. @return see above. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_csat_add(cxm_series *series, int64_t t,
                                                        int32_t score);
/** Adds a CES answer (as cxm_ces_add) at t. @return see above. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_ces_add(cxm_series *series, int64_t t,
                                                       int32_t score);
/** Adds a duration in seconds (as cxm_duration_add) at t. @return see above. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_duration_add(cxm_series *series, int64_t t,
                                                            double seconds);
/** Adds a survival observation (as cxm_survival_add) at t. @return see above. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_survival_add(cxm_series *series, int64_t t,
                                                            double seconds, uint32_t state);
/** Adds a trial (as cxm_rate_add) at t. @return see above. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_rate_add(cxm_series *series, int64_t t,
                                                        uint32_t success);
/** Adds an SLA outcome (as cxm_sla_add) at t. @return see above. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_sla_add(cxm_series *series, int64_t t,
                                                       uint32_t priority, uint32_t metric,
                                                       uint32_t outcome, int64_t lateness);
/** Adds a customer's period (as cxm_churn_add) at t. @return see above. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_churn_add(cxm_series *series, int64_t t,
                                                         const cxm_churn_customer *customer);
/**
 * Adds a ticket (as cxm_rollup_add) at t — usually its creation instant,
 * so that a bucket holds the tickets created in it. @return see above.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_rollup_add(cxm_series *series, int64_t t,
                                                          const cxm_ticket *ticket,
                                                          uint32_t *bad_field);

/*
 * Batches: n events at instants times[i], all or nothing. Every event is
 * checked first (its instant as for one add, replaying the clock over the
 * batch; its value; room in its bucket: the count check is conservative,
 * refusing a bucket that could not take the whole batch); *bad_index (if
 * not NULL) names the first event refused. Instants need not be sorted,
 * but each is judged against the clock as the events before it leave it.
 * Statuses: as the single adds; CXM_INVALID_ARGUMENT (NULL arrays with
 * n > 0); CXM_OVERFLOW.
 */

/** NPS answers (scores 0..10 as bytes). @return see above. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_nps_add_many(cxm_series *series,
                                                            const int64_t *times,
                                                            const uint8_t *scores, size_t n,
                                                            size_t *bad_index);
/** CSAT answers (scores on the prototype's scale, as bytes). @return see above. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_csat_add_many(cxm_series *series,
                                                             const int64_t *times,
                                                             const uint8_t *scores, size_t n,
                                                             size_t *bad_index);
/** CES answers (scores on the prototype's scale, as bytes). @return see above. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_ces_add_many(cxm_series *series,
                                                            const int64_t *times,
                                                            const uint8_t *scores, size_t n,
                                                            size_t *bad_index);
/** Trials (outcomes 0 or 1 as bytes). @return see above. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_rate_add_many(cxm_series *series,
                                                             const int64_t *times,
                                                             const uint8_t *outcomes, size_t n,
                                                             size_t *bad_index);
/** Durations in seconds. @return see above. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_duration_add_many(cxm_series *series,
                                                                 const int64_t *times,
                                                                 const double *seconds, size_t n,
                                                                 size_t *bad_index);

/**
 * Moves the clock so that the bucket holding `now` is the newest,
 * emptying the buckets that fall out of the ring. An instant in or before
 * the newest bucket changes nothing.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_RANGE (outside the
 *         calendar range).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_advance(cxm_series *series, int64_t now);

/**
 * The bucket of age `age` (0 = the newest, buckets - 1 = the oldest): its
 * accumulator, to be read with the family's result calls (cast to the
 * family's type; never free it), and where it lies. Either output may be NULL.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL series, info size too small);
 *         CXM_CAPACITY (age >= buckets).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_bucket(const cxm_series *series, uint32_t age,
                                                      const void **acc,
                                                      cxm_series_bucket_info *info);

/**
 * The bucket holding instant t, as cxm_series_bucket.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_RANGE (t outside the
 *         calendar range, or newer than the newest bucket); CXM_EXPIRED (t
 *         older than the oldest bucket).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_bucket_at(const cxm_series *series, int64_t t,
                                                         const void **acc,
                                                         cxm_series_bucket_info *info);

/**
 * Merges every bucket that holds an instant of [from, to] (to >= from)
 * into `into`, an accumulator of the same family and configuration (for
 * example from cxm_series_new_accumulator); buckets outside the ring
 * contribute nothing. Month to date: from = the month's first instant,
 * to = now. Month against previous month: two spans, then the family's
 * comparison.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_BAD_ORDER (to < from);
 *         CXM_OUT_OF_RANGE (an instant outside the calendar range);
 *         CXM_KIND_MISMATCH (into is another family or configuration);
 *         CXM_OVERFLOW (a count of into would pass 2^64 - 1) or CXM_CAPACITY
 *         (a competitive panel: the brands of the span do not fit into's
 *         capacity): into then holds the buckets merged before that one;
 *         discard it.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_span(const cxm_series *series, int64_t from,
                                                    int64_t to, void *into);

/**
 * A rolling window: merges the `n` buckets ending with the one holding
 * `as_of` (n = 7 on a daily series: the last 7 days as of that day) into
 * `into`; buckets before the ring contribute nothing.
 * @return as cxm_series_span; CXM_INVALID_ARGUMENT also for n = 0.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_window(const cxm_series *series, int64_t as_of,
                                                      uint32_t n, void *into);

/**
 * A new empty accumulator configured like the series' buckets, from
 * `alloc` (NULL: the series'): the target of span and window queries.
 * Free it with the family's free.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_new_accumulator(const cxm_series *series,
                                                               const cxm_allocator *alloc,
                                                               void **out);

/**
 * Lends a business-hours calendar to every roll-up bucket (after decode,
 * as cxm_rollup_attach_calendar).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_KIND_MISMATCH (not a roll-up series).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_attach_calendar(cxm_series *series,
                                                               const cxm_calendar *calendar);

/**
 * Adds `src` into `dst`: same family and configuration, width, ring
 * length and zone. The clock of dst moves to the later of the two newest
 * buckets (as cxm_series_advance), then every bucket of src inside dst's
 * ring merges into the bucket of the same number; src's buckets older
 * than that ring are retired, as they would have been in dst. So merging
 * two series with the same newest bucket gives exactly the series of all
 * their events. Every bucket merge is checked before any is written.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, or dst == src: a series is
 *         not merged into itself); CXM_KIND_MISMATCH; CXM_OVERFLOW or
 *         CXM_CAPACITY (a panel bucket's brands would not fit; dst unchanged).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_merge(cxm_series *dst, const cxm_series *src);

/**
 * Empties every bucket and turns the clock back to where it stood at
 * creation: the series is as new. @return CXM_OK; CXM_INVALID_ARGUMENT.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_reset(cxm_series *series);

/**
 * Copies a series into new memory from `alloc` (NULL: the source's).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_clone(const cxm_series *series,
                                                     const cxm_allocator *alloc, cxm_series **out);

/**
 * Encodes the series (family CXM_FAMILY_SERIES): its shape and zone, the
 * bucket numbers of the clock at creation and now, the empty prototype and
 * each non-empty bucket as the family's own encoding.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BUFFER_TOO_SMALL (buf may be
 *         NULL to ask for the size).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_encode(const cxm_series *series, uint8_t *buf,
                                                      size_t cap, size_t *len);

/**
 * Decodes bytes from cxm_series_encode; every bucket is decoded by its
 * family's decoder and must have the prototype's configuration.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BAD_FORMAT; CXM_WRONG_TYPE;
 *         CXM_UNSUPPORTED_VERSION; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_series_decode(const uint8_t *buf, size_t len,
                                                      const cxm_allocator *alloc, cxm_series **out);

/** Frees the series and its buckets; NULL is a no-op. */
CXM_EXPORT void cxm_series_free(cxm_series *series);

#ifdef __cplusplus
}
#endif

#endif /* CXM_SERIES_H */
