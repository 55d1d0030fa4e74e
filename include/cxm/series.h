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
 * LP64 targets a 90-day daily series of NPS takes 12,432 bytes and one of
 * durations 1,850,960 bytes (92 sketches of 20,112 bytes; both figures
 * from bench/bench_series). Nothing is allocated after creation.
 *
 * The prototype given at creation fixes the family and its configuration
 * (NPS kind and brand, CSAT scale, rate use, roll-up options, ...); its
 * contents are not copied. A roll-up prototype's borrowed calendar is
 * borrowed by every bucket (keep it alive; after cxm_series_decode attach
 * it again with cxm_series_attach_calendar).
 *
 * BACKLOG. cxm_backlog (at the end of this header) keeps, on the same
 * buckets, the tickets created, solved and open at the end of each
 * bucket, with records that can be retracted and replaced.
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
 *         CXM_CAPACITY (a compact duration or survival accumulator without
 *         the pages the span needs: nothing merged, into unchanged);
 *         CXM_OVERFLOW (a count of into would pass 2^64 - 1) or CXM_CAPACITY
 *         (a competitive panel: the brands of the span do not fit into's
 *         capacity): into then holds the buckets merged before that one;
 *         discard it (a compact duration or survival into stays unchanged).
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

/* ---- the backlog over time ------------------------------------------------------ */

/*
 * BACKLOG OVER TIME. Tickets created, solved and open at the end of each
 * bucket of a series, kept live: a ticket's record can be added,
 * retracted or replaced by its newer record at any time, and the figures
 * are always those a fresh backlog fed the current records would give
 * (incremental equals recomputation, for the same clock).
 *
 * A COMPANION OBJECT, NOT A SERIES KIND. A ticket touches two buckets (the
 * one it was created in and the one it was last solved in) and the open
 * figure of a bucket depends on every bucket before it, so a ticket cannot
 * be routed to one accumulator by one instant. A cxm_backlog keeps the
 * same buckets as a series (it is created from the same
 * cxm_series_options: width, ring length, zone, max_ahead, start; the
 * same bucket numbers and the same clock rules) and three counts per
 * bucket.
 *
 * DEFINITIONS, from the fields `created`, `first_solved`, `last_solved`
 * and `reopens` of each record (validated as cxm_rollup_add does; every
 * other field is ignored). The solve instant of a record is `last_solved`,
 * or `first_solved` when the ticket was never reopened and `last_solved`
 * is 0; a record with reopens > 0 and last_solved == 0 is open now.
 *  - created in bucket b: records whose `created` lies in b;
 *  - solved in bucket b: records solved now whose solve instant lies in b;
 *  - open at the end of b: records created at or before the end of b and
 *    not solved (by their current record) at or before the end of b. So
 *    open(b) = open(b - 1) + created(b) - solved(b).
 * The record carries no instants of its reopenings, so a ticket solved,
 * reopened and solved again counts as open from its creation to its last
 * solve, and a ticket reopened and open now counts as open from its
 * creation on: replacing a record rewrites past buckets too, exactly as a
 * recomputation from the current records would.
 *
 * THE HORIZON. Tickets created or solved before the oldest bucket are not
 * dropped: they are carried in a "before the horizon" balance (created,
 * solved, and so open at the start of the oldest bucket), read with
 * cxm_backlog_before. When the clock moves and buckets retire, their
 * counts fold into that balance, so the open figure of every bucket keeps
 * counting tickets whose creation bucket retired. A retract or replace of
 * a record whose buckets retired adjusts the balance. Memory is fixed at
 * creation: three 64-bit counts per bucket (created, solved, and the open
 * figure, kept so that a record touches only the buckets where it is
 * open), the header and the copied offset changes (a 90-day daily backlog
 * takes 2,296 bytes on LP64 targets, from bench/bench_series;
 * cxm_backlog_footprint gives the exact figure). An add, retract or
 * replace costs the buckets where the record is open: a few for a ticket
 * solved soon after its creation, up to the ring for an old open one.
 *
 * WHAT IS CHECKED. The backlog keeps counts, not records: the caller keeps
 * each ticket's current record (as for cxm_rollup_retract). A retract is
 * refused with CXM_BAD_STATE when the counts cannot hold the record (no
 * ticket created in its bucket, none solved in its solve bucket, or no
 * ticket open at the end of a bucket where the record is open): then no
 * figure can go negative. A retract of a record never added that passes
 * these checks changes the figures as retracting another ticket with the
 * same buckets would.
 *
 * THE CLOCK. Two backlogs equal each other only on the same clock: a
 * record older than the ring goes to the balance, so where a record is
 * counted depends on the newest bucket. To compare a live backlog with a
 * recomputation, advance both to the same instant (cxm_backlog_advance).
 */

/** A backlog over time. Opaque. */
typedef struct cxm_backlog cxm_backlog;

/** The backlog of one bucket. Set `size` = sizeof(cxm_backlog_result). */
typedef struct cxm_backlog_result {
    uint32_t size;       /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;   /**< out: 0 */
    int64_t number;      /**< the bucket number (as cxm_series_bucket_info) */
    int64_t local_start; /**< local seconds since 1970-01-01 of its first moment: the label */
    int64_t start;       /**< its first instant (Unix s, UTC) */
    int64_t end;         /**< the first instant of the next bucket */
    uint64_t created;    /**< tickets created in the bucket */
    uint64_t solved;     /**< tickets solved now whose solve instant lies in the bucket */
    uint64_t open;       /**< tickets open at the end of the bucket */
    uint32_t has_bucket; /**< 1: a bucket of the ring; 0: the balance before the horizon
                              (cxm_backlog_before), whose number, local_start, start and end
                              are 0 and have no value */
    uint32_t reserved2;  /**< out: 0 */
} cxm_backlog_result;

/**
 * Bytes of a backlog of this shape (the options as for cxm_series_new);
 * 0 if the options are invalid.
 */
CXM_EXPORT size_t cxm_backlog_footprint(const cxm_series_options *opts);

/**
 * Creates an empty backlog with the buckets and clock of a series of
 * these options.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (as cxm_series_new); CXM_OUT_OF_RANGE
 *         (start outside the calendar range); CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_new(const cxm_series_options *opts,
                                                    const cxm_allocator *alloc, cxm_backlog **out);

/**
 * As cxm_backlog_new in caller memory (`size` >= cxm_backlog_footprint(),
 * aligned to CXM_ALIGNMENT). cxm_backlog_free() on it releases nothing.
 * @return as cxm_backlog_new; CXM_BUFFER_TOO_SMALL.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_init_in(void *mem, size_t size,
                                                        const cxm_series_options *opts,
                                                        cxm_backlog **out);

/**
 * The options in force (as cxm_series_config).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size too small).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_config(const cxm_backlog *backlog,
                                                       cxm_series_options *out);

/**
 * Adds one ticket's current record. Its creation bucket and (if solved)
 * its solve bucket may move the clock forward by up to max_ahead buckets
 * (retired buckets fold into the balance before the horizon); a bucket
 * older than the ring counts in that balance. All or nothing.
 * @param bad_field out (may be NULL): the cxm_ticket_field at fault
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, record size or reserved);
 *         CXM_OUT_OF_RANGE (created 0, an instant outside the calendar
 *         range or beyond max_ahead buckets after the newest, or
 *         inconsistent solve fields as in cxm_rollup_add); CXM_BAD_ORDER (a
 *         solve before creation or last_solved before first_solved);
 *         CXM_OVERFLOW (2^64 - 1 tickets held).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_add(cxm_backlog *backlog, const cxm_ticket *ticket,
                                                    uint32_t *bad_field);

/**
 * Adds `n` records (each of the same `size`, the array's stride), all or
 * nothing; the clock is replayed over the batch before anything is
 * written. `*bad_index` and `*bad_field` (each may be NULL) name the first
 * refused record and its field.
 * @return as cxm_backlog_add (CXM_INVALID_ARGUMENT also for a NULL array
 *         with n > 0 or records of different sizes).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_add_many(cxm_backlog *backlog,
                                                         const cxm_ticket *tickets, size_t n,
                                                         size_t *bad_index, uint32_t *bad_field);

/**
 * Removes a record added before (the record as it was added), exactly:
 * the counts of its buckets, or of the balance before the horizon when
 * they retired, go down by one. The clock does not move.
 * @return CXM_OK; the statuses of cxm_backlog_add for a record that is not
 *         valid; CXM_BAD_STATE (the counts cannot hold the record, see
 *         "What is checked" above, or a bucket newer than the newest).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_retract(cxm_backlog *backlog,
                                                        const cxm_ticket *ticket,
                                                        uint32_t *bad_field);

/**
 * Replaces a ticket's previous record `old` with its new record `now`
 * (solved, reopened, solved again), all or nothing: as cxm_backlog_retract
 * of old then cxm_backlog_add of now. `*bad_field` names the field of the
 * record at fault (of old when the retraction is refused).
 * @return as cxm_backlog_retract and cxm_backlog_add.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_replace(cxm_backlog *backlog, const cxm_ticket *old,
                                                        const cxm_ticket *now, uint32_t *bad_field);

/**
 * Moves the clock so that the bucket holding `now` is the newest (as
 * cxm_series_advance); retired buckets fold into the balance before the
 * horizon, and the buckets that open are empty.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_RANGE.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_advance(cxm_backlog *backlog, int64_t now);

/**
 * The bucket of age `age` (0 = the newest, buckets - 1 = the oldest).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published);
 *         CXM_CAPACITY (age >= buckets).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_get(const cxm_backlog *backlog, uint32_t age,
                                                    cxm_backlog_result *out);

/**
 * The bucket holding instant t.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_RANGE (t outside the
 *         calendar range or newer than the newest bucket); CXM_EXPIRED (t
 *         older than the oldest bucket: read cxm_backlog_before).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_get_at(const cxm_backlog *backlog, int64_t t,
                                                       cxm_backlog_result *out);

/**
 * The balance before the horizon: tickets created before the oldest
 * bucket, those of them solved before it, and so the tickets open at the
 * start of the oldest bucket (has_bucket = 0).
 * @return CXM_OK; CXM_INVALID_ARGUMENT.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_before(const cxm_backlog *backlog,
                                                       cxm_backlog_result *out);

/**
 * Every bucket of the ring, oldest first, for a chart. `out[0].size` sets
 * the struct's version and the stride of the array; every element is
 * written with that size. `*n` receives the number of buckets; `out` may
 * be NULL with cap 0 to ask for it.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL backlog or n, size not
 *         published); CXM_BUFFER_TOO_SMALL (cap < buckets: nothing written
 *         but *n).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_list(const cxm_backlog *backlog,
                                                     cxm_backlog_result *out, size_t cap,
                                                     size_t *n);

/**
 * Adds `src` into `dst` (same width, ring length and zone): the clock of
 * dst moves to the later of the two, then every count of src goes to the
 * bucket of the same number, or to dst's balance before the horizon when
 * that bucket is older than dst's ring. Merging two backlogs with the same
 * clock gives exactly the backlog of all their records.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, dst == src);
 *         CXM_KIND_MISMATCH (another shape or zone); CXM_OVERFLOW (dst
 *         unchanged).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_merge(cxm_backlog *dst, const cxm_backlog *src);

/**
 * Empties every bucket and the balance and turns the clock back to where
 * it stood at creation. @return CXM_OK; CXM_INVALID_ARGUMENT.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_reset(cxm_backlog *backlog);

/**
 * Copies a backlog into new memory from `alloc` (NULL: the source's).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_clone(const cxm_backlog *backlog,
                                                      const cxm_allocator *alloc,
                                                      cxm_backlog **out);

/**
 * Encodes the backlog (family CXM_FAMILY_BACKLOG): shape and zone, the
 * clock at creation and now, the balance and the non-empty buckets.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BUFFER_TOO_SMALL (buf may be
 *         NULL to ask for the size).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_encode(const cxm_backlog *backlog, uint8_t *buf,
                                                       size_t cap, size_t *len);

/**
 * Decodes bytes from cxm_backlog_encode; the counts must describe records
 * some sequence of adds could hold (no bucket open below zero).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BAD_FORMAT; CXM_WRONG_TYPE;
 *         CXM_UNSUPPORTED_VERSION; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_backlog_decode(const uint8_t *buf, size_t len,
                                                       const cxm_allocator *alloc,
                                                       cxm_backlog **out);

/** Frees the backlog; NULL is a no-op. */
CXM_EXPORT void cxm_backlog_free(cxm_backlog *backlog);

#ifdef __cplusplus
}
#endif

#endif /* CXM_SERIES_H */
