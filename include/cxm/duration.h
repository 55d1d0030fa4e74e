/**
 * @file
 * cxm/duration.h — durations of ticket events (resolution time, first reply
 * time, next reply time, requester wait time, handle time): exact count,
 * sum, mean, standard deviation, min and max, and quantiles (median, p90,
 * any q) from a mergeable sketch with a guaranteed relative error.
 *
 * Durations are double seconds, >= 0 and <= CXM_DURATION_MAX (2^43 s, about
 * 278,000 years). NaN, infinities and negatives are refused with
 * CXM_OUT_OF_RANGE and change nothing; -0.0 counts as 0.
 *
 * MEMORY. By default (the dense form) fixed, cxm_duration_footprint() bytes
 * (20,112 on LP64 targets, under 20 KiB) whatever the data. The sketch's
 * layout is fixed too, so any two accumulators merge exactly.
 *
 * THE COMPACT FORM (options.memory_budget > 0) is the same sketch — the
 * same buckets, exact count, sums and extremes, the same 1/129 bound and
 * bit-identical results for the same values — with its bucket counts kept
 * in 64-byte pages drawn from a private pool fixed at creation: one page
 * per octave (power of two) that received a value, one more per octave for
 * each byte its largest count needs past the first (counts above 255,
 * above 65,535, ...). Durations spanning a few decades of seconds fill a
 * dozen octaves or so: a few KB instead of 20 KB. The pool holds
 * p = floor(memory_budget / CXM_DURATION_PAGE_BYTES) pages, at least one
 * and at most 312 (every octave with 8-byte counts: the worst case);
 * cxm_duration_footprint_with() gives the bytes of the object (on LP64
 * targets 320 + 64 ceil((16 + 4 p) / 64) + 64 p: 3,072 bytes for 40
 * pages). An add (or add_many, merge) needing a page when none is free is
 * refused with CXM_CAPACITY and changes nothing — never a silent loss of
 * accuracy; cxm_duration_memory() tells the bytes used and free. The two
 * forms merge exactly into each other, encode to the same bytes (same
 * format version: every reader decodes either), and answer every call
 * identically. cxm_duration_decode gives the dense form;
 * cxm_duration_decode_with the form its options name. A series
 * (cxm/series.h) takes a dense prototype only.
 *
 * QUANTILES. The q-quantile is the element of rank floor(q (n - 1))
 * (0-based) of the sorted durations. The sketch is
 * HdrHistogram's log-linear layout applied to the bits of the double: the
 * exponent and the top 6 mantissa bits pick one of 64 buckets per power of
 * two, over [2^-10 s, 2^29 s) = [0.977 ms, 17.0 years), a superset of
 * 1 ms .. 10 years. A rank inside a bucket [a, b) (b/a <= 1 + 1/64) is
 * answered with 2ab/(a+b) clamped to [min, max], which is within
 * CXM_DURATION_RELATIVE_ERROR = 1/129 (0.78%) of the true value v:
 * |v^ - v| <= v / 129, for every q, every distribution, before and after
 * any number of merges (merging adds bucket counts, so the merged sketch is
 * exactly the sketch of the union). Ranks 0 and n - 1 give min and max
 * exactly. Durations below 2^-10 s (zero included) and at or above 2^29 s
 * are counted in an underflow and an overflow bucket, never dropped; a
 * quantile that falls there is the midpoint of [min, largest underflow
 * value] (absolute error under 0.49 ms, no relative bound), or 2ab/(a+b)
 * over [smallest overflow value, max] (relative error at most
 * (max - a)/(max + a), 0 if those values are equal).
 *
 * EXACT MOMENTS. Each duration is rounded to the nearest microsecond (the
 * resolution of sum, mean and sd; min, max and quantiles use the exact
 * double). The sum of microseconds is kept in 128 bits and the sum of their
 * squares in 192 bits: they cannot overflow and do not depend on the order
 * of adds and merges, so merged means and standard deviations are
 * identical however the shards were combined. sd is the sample standard
 * deviation sqrt((n S2 - S1^2) / (n (n - 1))), the numerator computed
 * exactly in integers (no cancellation); 0 for a single duration.
 *
 * NAMED VIEWS. An accumulator is created for one metric (options.metric);
 * merge refuses accumulators of different metrics (CXM_KIND_MISMATCH):
 *  - MTTR (cxm_duration_mttr): mean full resolution time, created -> last
 *    solved, over the tickets solved in the period (CXM_DURATION_RESOLUTION).
 *    Tickets still open are not in it: see cxm/survival.h for the honest
 *    estimate that includes them.
 *  - mean first reply time (cxm_duration_first_reply): created -> first
 *    public agent reply (CXM_DURATION_FIRST_REPLY).
 *  - AHT, average handle time (cxm_duration_aht): agent time on a contact,
 *    talk + hold + after-contact work (CXM_DURATION_HANDLE).
 * Each view reports the mean AND the median and p90, as helpdesks show.
 */
#ifndef CXM_DURATION_H
#define CXM_DURATION_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A duration accumulator. Opaque. */
typedef struct cxm_duration cxm_duration;

/** Which duration an accumulator measures. Values are pinned. */
typedef enum cxm_duration_metric {
    CXM_DURATION_ANY = 0,              /**< unspecified; no named view applies */
    CXM_DURATION_RESOLUTION = 1,       /**< full resolution: created -> last solved (MTTR) */
    CXM_DURATION_FIRST_RESOLUTION = 2, /**< created -> first solved */
    CXM_DURATION_FIRST_REPLY = 3,      /**< created -> first public agent reply */
    CXM_DURATION_NEXT_REPLY = 4,       /**< customer follow-up -> next agent reply */
    CXM_DURATION_REQUESTER_WAIT = 5,   /**< time waiting on the support team */
    CXM_DURATION_HANDLE = 6,           /**< agent time: talk + hold + after-contact work (AHT) */
} cxm_duration_metric;

/** Guaranteed relative error of every quantile in the tracked range (1/129). */
#define CXM_DURATION_RELATIVE_ERROR (1.0 / 129.0)
/** Smallest duration with a relative-error guarantee, seconds (2^-10). */
#define CXM_DURATION_TRACKED_MIN 0.0009765625
/** Durations at or above this go to the overflow bucket, seconds (2^29). */
#define CXM_DURATION_TRACKED_MAX 536870912.0
/** Largest accepted duration, seconds (2^43). */
#define CXM_DURATION_MAX 8796093022208.0

/** Function twin of CXM_DURATION_RELATIVE_ERROR. */
CXM_EXPORT double cxm_duration_relative_error(void);
/** Function twin of CXM_DURATION_TRACKED_MIN. */
CXM_EXPORT double cxm_duration_tracked_min(void);
/** Function twin of CXM_DURATION_TRACKED_MAX. */
CXM_EXPORT double cxm_duration_tracked_max(void);
/** Function twin of CXM_DURATION_MAX. */
CXM_EXPORT double cxm_duration_max(void);

/** Bytes of budget one page of the compact form costs: 64 bytes of counts and a 4-byte link. */
#define CXM_DURATION_PAGE_BYTES 68u
/** Function twin of CXM_DURATION_PAGE_BYTES. */
CXM_EXPORT uint32_t cxm_duration_page_bytes(void);
/** Largest memory budget of the compact form, bytes: 312 pages, the most a sketch can use. */
#define CXM_DURATION_MAX_MEMORY (312u * CXM_DURATION_PAGE_BYTES)
/** Function twin of CXM_DURATION_MAX_MEMORY. */
CXM_EXPORT uint64_t cxm_duration_max_memory(void);

/** Creation options. NULL or all-zero fields mean the defaults. */
typedef struct cxm_duration_options {
    uint32_t size;          /**< sizeof(cxm_duration_options) */
    uint32_t reserved;      /**< must be 0 */
    uint32_t metric;        /**< a cxm_duration_metric; default CXM_DURATION_ANY */
    uint32_t reserved2;     /**< must be 0 */
    uint64_t memory_budget; /**< (appended) bytes for the bucket counts: 0 (default) the dense
                                 form; otherwise the compact form (see "THE COMPACT FORM"),
                                 CXM_DURATION_PAGE_BYTES .. CXM_DURATION_MAX_MEMORY */
} cxm_duration_options;

/** Everything the accumulator knows. Set `size` = sizeof(cxm_duration_result). */
typedef struct cxm_duration_result {
    uint32_t size;        /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;    /**< out: 0 */
    uint32_t metric;      /**< the cxm_duration_metric of the accumulator */
    uint32_t reserved2;   /**< out: 0 */
    uint64_t n;           /**< durations (exact) */
    uint64_t underflow;   /**< of which below CXM_DURATION_TRACKED_MIN (zero included) */
    uint64_t overflow;    /**< of which at or above CXM_DURATION_TRACKED_MAX */
    double sum;           /**< seconds (exact in microseconds, rounded once to double) */
    double mean;          /**< seconds */
    double sd;            /**< sample standard deviation, seconds (0 when n == 1) */
    double min;           /**< seconds, exact */
    double max;           /**< seconds, exact */
    double median;        /**< seconds, rank floor(0.5 (n - 1)), within the sketch's bound */
    double p90;           /**< seconds, rank floor(0.9 (n - 1)) */
    double p99;           /**< seconds, rank floor(0.99 (n - 1)) */
    cxm_interval mean_ci; /**< Student-t interval of the mean, seconds, clipped to
                               [0, CXM_DURATION_MAX] (that whole range when n < 2) */
    uint32_t has_sd;      /**< (appended) 1 if sd and mean_ci have a value (n >= 2); 0:
                               one duration or none, sd is 0 and mean_ci the whole range
                               ("no data" for the spread) */
    uint32_t reserved3;   /**< (appended) out: 0 */
} cxm_duration_result;

/** A named view: what a helpdesk report shows for one metric. */
typedef struct cxm_duration_view {
    uint32_t size;      /**< in: sizeof(cxm_duration_view) */
    uint32_t reserved;  /**< out: 0 */
    uint32_t metric;    /**< the metric the view reads */
    uint32_t reserved2; /**< out: 0 */
    uint64_t n;         /**< durations (tickets or contacts) */
    double mean;        /**< seconds: MTTR, mean first reply time or AHT */
    double median;      /**< seconds */
    double p90;         /**< seconds */
} cxm_duration_view;

/** Bytes needed to place a duration accumulator of the dense form in caller memory. */
CXM_EXPORT size_t cxm_duration_footprint(void);

/**
 * Bytes needed to place a duration accumulator created with `opts` in
 * caller memory (NULL: the defaults, cxm_duration_footprint()); 0 when the
 * options are invalid (see cxm_duration_new).
 */
CXM_EXPORT size_t cxm_duration_footprint_with(const cxm_duration_options *opts);

/**
 * Creates an empty duration accumulator.
 * @param opts   options (NULL: defaults)
 * @param alloc  allocator, NULL for malloc/free
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL out, bad allocator, bad options
 *         struct, unknown metric, a memory_budget below CXM_DURATION_PAGE_BYTES
 *         but not 0, or above CXM_DURATION_MAX_MEMORY); CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_new(const cxm_duration_options *opts,
                                                     const cxm_allocator *alloc,
                                                     cxm_duration **out);

/**
 * Creates a duration accumulator in caller memory (`size` >=
 * cxm_duration_footprint_with(opts), aligned to CXM_ALIGNMENT).
 * @return as cxm_duration_new; CXM_BUFFER_TOO_SMALL; CXM_INVALID_ARGUMENT
 *         also for NULL or misaligned memory.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_init_in(void *mem, size_t size,
                                                         const cxm_duration_options *opts,
                                                         cxm_duration **out);

/**
 * Adds one duration, in seconds.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (negative,
 *         NaN, infinite or above CXM_DURATION_MAX); CXM_OVERFLOW (2^64 - 1
 *         durations already); CXM_CAPACITY (compact form: the duration needs
 *         a page and none is free; nothing changed).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_add(cxm_duration *d, double seconds);

/**
 * Adds the duration end - start between two Unix timestamps (seconds).
 * @return as cxm_duration_add; CXM_BAD_ORDER if end < start (never a
 *         negative duration); CXM_OUT_OF_RANGE if end - start exceeds
 *         CXM_DURATION_MAX.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_add_between(cxm_duration *d, int64_t start,
                                                             int64_t end);

/**
 * Adds `n` durations in seconds. All or nothing: if any is refused nothing
 * is added and `*bad_index` (if not NULL) names the first bad one.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL d, or NULL seconds with n > 0);
 *         CXM_OUT_OF_RANGE; CXM_OVERFLOW; CXM_CAPACITY (compact form: the
 *         batch needs more pages than are free; nothing added).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_add_many(cxm_duration *d, const double *seconds,
                                                          size_t n, size_t *bad_index);

/**
 * Adds everything in `src` to `dst`; exact: the result equals one
 * accumulator fed both inputs. Both must measure the same metric; either
 * may be of either form (dst keeps its own).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_KIND_MISMATCH; CXM_OVERFLOW
 *         (dst unchanged); CXM_CAPACITY (compact dst without the free pages
 *         the merged counts need; dst unchanged).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_merge(cxm_duration *dst, const cxm_duration *src);

/**
 * Empties the accumulator; the metric and the form stay (a compact one gets
 * all its pages back). @return CXM_OK; CXM_INVALID_ARGUMENT.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_reset(cxm_duration *d);

/**
 * Copies an accumulator, in its form, into new memory from `alloc` (NULL:
 * the source's).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_clone(const cxm_duration *d,
                                                       const cxm_allocator *alloc,
                                                       cxm_duration **out);

/**
 * The accumulator's memory: `used` = its bytes that are not free pages
 * (the whole object for the dense form); `available` = the free pages'
 * bytes (64 each; 0 for the dense form). used + available =
 * cxm_duration_footprint_with of its options.
 * @param used      out, bytes (may be NULL)
 * @param available out, bytes (may be NULL)
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL d).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_memory(const cxm_duration *d, size_t *used,
                                                        size_t *available);

/** The metric of an accumulator. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_metric_get(const cxm_duration *d,
                                                            uint32_t *metric);

/**
 * Count, sum, mean, sd, min, max, median, p90, p99 and the mean's interval.
 * @param level confidence level of mean_ci in (0, 1), 0 for 0.95
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published);
 *         CXM_OUT_OF_RANGE (level); CXM_EMPTY when there is no duration (n
 *         and the metric are filled in, nothing else).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_result_get(const cxm_duration *d, double level,
                                                            cxm_duration_result *out);

/**
 * The q-quantile (rank floor(q (n - 1))), seconds, within the bound above.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (q not in
 *         [0, 1], NaN included); CXM_EMPTY (no duration; *out untouched).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_quantile(const cxm_duration *d, double q,
                                                          double *out);

/**
 * `k` quantiles at once: out[i] is the qs[i]-quantile. One pass over the
 * sketch when qs is ascending; any order is answered correctly.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL d, or NULL qs/out with k > 0);
 *         CXM_OUT_OF_RANGE (a q outside [0, 1]: `*bad_index` names it, out
 *         untouched); CXM_EMPTY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_quantiles(const cxm_duration *d, const double *qs,
                                                           size_t k, double *out,
                                                           size_t *bad_index);

/**
 * MTTR: mean (and median, p90) full resolution time over solved tickets.
 * The accumulator must have been created with CXM_DURATION_RESOLUTION.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published);
 *         CXM_KIND_MISMATCH (another metric); CXM_EMPTY (n filled in).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_mttr(const cxm_duration *d,
                                                      cxm_duration_view *out);

/** Mean first reply time (CXM_DURATION_FIRST_REPLY); returns as cxm_duration_mttr. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_first_reply(const cxm_duration *d,
                                                             cxm_duration_view *out);

/** AHT, average handle time (CXM_DURATION_HANDLE); returns as cxm_duration_mttr. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_aht(const cxm_duration *d, cxm_duration_view *out);

/**
 * Encodes the accumulator (see README, "Encoding"): non-empty buckets only,
 * as runs of variable-length counts; both forms write the same bytes for
 * the same values. `*len` always receives the size needed.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BUFFER_TOO_SMALL (buf may be
 *         NULL to ask for the size).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_encode(const cxm_duration *d, uint8_t *buf,
                                                        size_t cap, size_t *len);

/**
 * Decodes bytes from cxm_duration_encode (of either form) into an
 * accumulator of the dense form. Every field is checked, before anything
 * is allocated: bucket runs inside the layout, counts adding up to n,
 * min <= max in the buckets they claim, sums consistent with min and max.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BAD_FORMAT; CXM_WRONG_TYPE;
 *         CXM_UNSUPPORTED_VERSION; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_decode(const uint8_t *buf, size_t len,
                                                        const cxm_allocator *alloc,
                                                        cxm_duration **out);

/**
 * As cxm_duration_decode, into the form `opts` names (its memory_budget;
 * NULL: the dense form). The metric is the encoded one: opts->metric must
 * be CXM_DURATION_ANY or that metric.
 * @return as cxm_duration_decode; CXM_INVALID_ARGUMENT also for bad
 *         options; CXM_KIND_MISMATCH (opts names another metric);
 *         CXM_CAPACITY (the budget's pages cannot hold the decoded counts;
 *         nothing allocated).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_decode_with(const uint8_t *buf, size_t len,
                                                             const cxm_duration_options *opts,
                                                             const cxm_allocator *alloc,
                                                             cxm_duration **out);

/** Frees the accumulator; NULL is a no-op. */
CXM_EXPORT void cxm_duration_free(cxm_duration *d);

#ifdef __cplusplus
}
#endif

#endif /* CXM_DURATION_H */
