/**
 * @file
 * cxm/survival.h — time to resolution that does not ignore open tickets:
 * the Kaplan-Meier estimate with the tickets still open at report time as
 * right-censored observations.
 *
 * WHY. A mean or median resolution time computed over closed tickets only
 * (what helpdesks report as MTTR) hides the slow tickets that are still
 * open: the longer a ticket takes, the likelier it is missing from the
 * figure, so the figure is biased low, and the more so the bigger the
 * backlog. The honest answer to "how long does resolution take?" treats an
 * open ticket of age a as "resolution takes longer than a" — a right-
 * censored observation — which is exactly what the Kaplan-Meier estimator
 * of the survival curve S(t) = P(not resolved after t) is for. No helpdesk
 * offers this figure; cxm reports it next to the closed-ticket figures.
 *
 * INPUT. Each ticket gives one duration in seconds (>= 0, <= 2^43 s, as in
 * cxm/duration.h) and a state: CXM_SURVIVAL_RESOLVED (created -> solved, an
 * event) or CXM_SURVIVAL_OPEN (created -> report time, censored).
 *
 * ESTIMATE. Events and censorings are kept in two duration sketches with
 * the log-linear buckets of cxm/duration.h (64 per power of two over
 * [2^-10 s, 2^29 s), plus underflow and overflow buckets). Walking the
 * buckets in order, with n_j tickets at risk at bucket j (not resolved nor
 * censored in an earlier bucket) and d_j resolutions in it,
 *   S_j = prod_{i <= j} (1 - d_i / n_i).
 * Open tickets whose age falls in bucket j count as at risk for the
 * resolutions of bucket j (the Kaplan-Meier convention for tied times,
 * applied within a bucket). The q-quantile of time to resolution is the
 * first bucket where 1 - S_j >= q (S_j <= 1 - q, with a tolerance of 1e-9
 * for rounding), reported as that bucket's value as in
 * cxm/duration.h: within 1/129 (0.78%) of the Kaplan-Meier quantile of the
 * data whenever no open ticket shares a bucket with an earlier resolution
 * (always so for durations on a grid coarser than the buckets, such as
 * whole hours up to 64 h); otherwise it is the Kaplan-Meier quantile of the
 * times rounded to their buckets (1/64 of an octave).
 *
 * NOT REACHED. When S never drops to 1 - q (for the median: S stays above
 * 0.5 because too many tickets are still open), that quantile does not
 * exist yet: the call says so (CXM_EMPTY, or median_reached = 0 in the
 * result) and no number is invented.
 *
 * INTERVAL. A confidence interval for the median from Greenwood's variance
 * Var(S_j) = S_j^2 sum_{i <= j} d_i / (n_i (n_i - d_i)): the lower limit is
 * the first bucket where S - z se <= 0.5, the upper limit the first where
 * S + z se <= 0.5 (the medians of the pointwise band). Either may not be
 * reached; flags say which were.
 *
 * MEMORY: by default (the dense form) fixed, cxm_survival_footprint()
 * bytes (two duration sketches, about 40 KiB). Merge is exact, like the
 * duration sketch's.
 *
 * THE COMPACT FORM (cxm_survival_new_with, options.memory_budget > 0): the
 * two sketches keep their bucket counts in 64-byte pages of ONE private
 * pool, as the compact duration accumulator does (cxm/duration.h, "THE
 * COMPACT FORM"): a page per octave (power of two) a sketch holds values
 * in, one more per byte of its largest count past the first. The pool
 * holds p = floor(memory_budget / CXM_SURVIVAL_PAGE_BYTES) pages, at least
 * one and at most 624 (both sketches' worst case); on LP64 targets the
 * object is 576 + 64 ceil((16 + 4 p) / 64) + 64 p bytes
 * (cxm_survival_footprint_with): 4,416 bytes for 56 pages. Same results,
 * bit for bit, and the same encoding as the dense form; an add, add_many or
 * merge needing a page when none is free is CXM_CAPACITY and changes
 * nothing; cxm_survival_memory() tells the bytes used and free. The forms
 * merge exactly into each other. cxm_survival_decode gives the dense form,
 * cxm_survival_decode_with the form its options name. A series
 * (cxm/series.h) takes a dense prototype only.
 */
#ifndef CXM_SURVIVAL_H
#define CXM_SURVIVAL_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A time-to-resolution (Kaplan-Meier) accumulator. Opaque. */
typedef struct cxm_survival cxm_survival;

/** State of a ticket when it is added. Values are pinned. */
typedef enum cxm_survival_state {
    CXM_SURVIVAL_RESOLVED = 1, /**< resolved: the duration is created -> solved (an event) */
    CXM_SURVIVAL_OPEN = 2,     /**< still open: the duration is its age at report time */
} cxm_survival_state;

/** The estimate. Set `size` = sizeof(cxm_survival_result). */
typedef struct cxm_survival_result {
    uint32_t size;             /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;         /**< out: 0 */
    uint64_t n;                /**< tickets (exact) */
    uint64_t resolved;         /**< of which resolved (events) */
    uint64_t open;             /**< of which still open (censored) */
    uint32_t median_reached;   /**< 1 if S drops to 0.5: `median` is valid; 0: not reached */
    uint32_t ci_lower_reached; /**< 1 if median_ci.lower is valid, else it is 0 */
    uint32_t ci_upper_reached; /**< 1 if median_ci.upper is valid, else it is 0 */
    uint32_t reserved2;        /**< out: 0 */
    double median;             /**< Kaplan-Meier median time to resolution, seconds (0 if not
                                    reached) */
    cxm_interval median_ci;    /**< Greenwood interval of the median, seconds (see flags) */
    double survival_end;       /**< S after the last bucket: share estimated never resolved
                                    within the longest observed time */
    double closed_mean;        /**< mean over resolved tickets only, seconds (0 if none) —
                                    the biased figure helpdesks show */
    double closed_median;      /**< median over resolved tickets only, seconds (0 if none) */
    double open_share;         /**< open / n */
    double oldest_open;        /**< age of the oldest open ticket, seconds (0 if none) */
    uint32_t has_closed;       /**< (appended) 1 if closed_mean and closed_median have a value;
                                    0: nothing resolved, they are 0 ("no data") */
    uint32_t has_oldest_open;  /**< (appended) 1 if oldest_open has a value; 0: nothing
                                    open, it is 0 ("no data") */
} cxm_survival_result;

/** Bytes of budget one page of the compact form costs: 64 bytes of counts and a 4-byte link. */
#define CXM_SURVIVAL_PAGE_BYTES 68u
/** Function twin of CXM_SURVIVAL_PAGE_BYTES. */
CXM_EXPORT uint32_t cxm_survival_page_bytes(void);
/** Largest memory budget of the compact form, bytes: 624 pages, the most two sketches can use. */
#define CXM_SURVIVAL_MAX_MEMORY (624u * CXM_SURVIVAL_PAGE_BYTES)
/** Function twin of CXM_SURVIVAL_MAX_MEMORY. */
CXM_EXPORT uint64_t cxm_survival_max_memory(void);

/** Creation options. NULL or all-zero fields mean the defaults. */
typedef struct cxm_survival_options {
    uint32_t size;          /**< sizeof(cxm_survival_options) */
    uint32_t reserved;      /**< must be 0 */
    uint64_t memory_budget; /**< bytes for the bucket counts: 0 (default) the dense form;
                                 otherwise the compact form (see "THE COMPACT FORM"),
                                 CXM_SURVIVAL_PAGE_BYTES .. CXM_SURVIVAL_MAX_MEMORY */
} cxm_survival_options;

/** Bytes needed to place a survival accumulator of the dense form in caller memory. */
CXM_EXPORT size_t cxm_survival_footprint(void);

/**
 * Bytes needed to place a survival accumulator created with `opts` in
 * caller memory (NULL: the defaults, cxm_survival_footprint()); 0 when the
 * options are invalid (see cxm_survival_new_with).
 */
CXM_EXPORT size_t cxm_survival_footprint_with(const cxm_survival_options *opts);

/**
 * Creates an empty accumulator.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL out, bad allocator);
 *         CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_new(const cxm_allocator *alloc,
                                                     cxm_survival **out);

/**
 * Creates an accumulator in caller memory (`size` >= cxm_survival_footprint(),
 * aligned to CXM_ALIGNMENT).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL or misaligned); CXM_BUFFER_TOO_SMALL.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_init_in(void *mem, size_t size,
                                                         cxm_survival **out);

/**
 * Creates an empty accumulator of the form `opts` names (NULL: the dense
 * form, as cxm_survival_new).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL out, bad allocator, bad options
 *         struct, a memory_budget below CXM_SURVIVAL_PAGE_BYTES but not 0,
 *         or above CXM_SURVIVAL_MAX_MEMORY); CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_new_with(const cxm_survival_options *opts,
                                                          const cxm_allocator *alloc,
                                                          cxm_survival **out);

/**
 * As cxm_survival_new_with in caller memory (`size` >=
 * cxm_survival_footprint_with(opts), aligned to CXM_ALIGNMENT).
 * @return as cxm_survival_new_with; CXM_BUFFER_TOO_SMALL; CXM_INVALID_ARGUMENT
 *         also for NULL or misaligned memory.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_init_in_with(void *mem, size_t size,
                                                              const cxm_survival_options *opts,
                                                              cxm_survival **out);

/**
 * Adds one ticket: a duration in seconds and its cxm_survival_state.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (duration
 *         negative, NaN, infinite or above 2^43 s, or an unknown state);
 *         CXM_OVERFLOW (2^64 - 1 tickets already); CXM_CAPACITY (compact
 *         form: a page is needed and none is free; nothing changed).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_add(cxm_survival *s, double seconds,
                                                     uint32_t state);

/**
 * Adds one ticket from Unix timestamps: created -> solved for a resolved
 * ticket, created -> report time for an open one.
 * @return as cxm_survival_add; CXM_BAD_ORDER if end < created.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_add_between(cxm_survival *s, int64_t created,
                                                             int64_t end, uint32_t state);

/**
 * Adds `n` tickets, seconds[i] with states[i] (a cxm_survival_state as a
 * byte). All or nothing: the first bad duration or state is named in
 * `*bad_index` (if not NULL) and nothing is added.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL s, or NULL arrays with n > 0);
 *         CXM_OUT_OF_RANGE; CXM_OVERFLOW; CXM_CAPACITY (compact form: the
 *         batch needs more pages than are free; nothing added).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_add_many(cxm_survival *s, const double *seconds,
                                                          const uint8_t *states, size_t n,
                                                          size_t *bad_index);

/**
 * Adds everything in `src` to `dst`, exactly; either may be of either form
 * (dst keeps its own).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OVERFLOW (dst unchanged);
 *         CXM_CAPACITY (compact dst without the free pages the merged
 *         counts need; dst unchanged).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_merge(cxm_survival *dst, const cxm_survival *src);

/**
 * Empties the accumulator; the form stays (a compact one gets all its pages
 * back). @return CXM_OK; CXM_INVALID_ARGUMENT.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_reset(cxm_survival *s);

/**
 * Copies an accumulator, in its form, into new memory from `alloc` (NULL:
 * the source's).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_clone(const cxm_survival *s,
                                                       const cxm_allocator *alloc,
                                                       cxm_survival **out);

/**
 * The accumulator's memory: `used` = its bytes that are not free pages
 * (the whole object for the dense form); `available` = the free pages'
 * bytes (64 each; 0 for the dense form). used + available =
 * cxm_survival_footprint_with of its options.
 * @param used      out, bytes (may be NULL)
 * @param available out, bytes (may be NULL)
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL s).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_memory(const cxm_survival *s, size_t *used,
                                                        size_t *available);

/**
 * The Kaplan-Meier median with its Greenwood interval, and the closed-only
 * figures next to it.
 * @param level confidence level of median_ci in (0, 1), 0 for 0.95
 * @return CXM_OK (also when the median is not reached: see median_reached);
 *         CXM_INVALID_ARGUMENT (NULL, size not published); CXM_OUT_OF_RANGE
 *         (level); CXM_EMPTY (no ticket; counts filled in). The closed-only
 *         figures and the oldest open age carry has_closed and
 *         has_oldest_open (0: no data, in an OK result too). The size of
 *         the struct's first version (without them) is accepted.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_result_get(const cxm_survival *s, double level,
                                                            cxm_survival_result *out);

/**
 * The q-quantile of time to resolution, seconds: the first time where the
 * estimated share resolved, 1 - S(t), reaches q.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (q not in
 *         (0, 1]); CXM_EMPTY (no ticket, or the curve never reaches q
 *         because too many tickets are still open: *out untouched).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_quantile(const cxm_survival *s, double q,
                                                          double *out);

/** Encodes the accumulator (see cxm_duration_encode); both forms write the same bytes. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_encode(const cxm_survival *s, uint8_t *buf,
                                                        size_t cap, size_t *len);

/**
 * Decodes bytes from cxm_survival_encode (of either form) into an
 * accumulator of the dense form; both sketches are validated as in
 * cxm_duration_decode, before anything is allocated.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BAD_FORMAT; CXM_WRONG_TYPE;
 *         CXM_UNSUPPORTED_VERSION; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_decode(const uint8_t *buf, size_t len,
                                                        const cxm_allocator *alloc,
                                                        cxm_survival **out);

/**
 * As cxm_survival_decode, into the form `opts` names (NULL: the dense form).
 * @return as cxm_survival_decode; CXM_INVALID_ARGUMENT also for bad
 *         options; CXM_CAPACITY (the budget's pages cannot hold the decoded
 *         counts; nothing allocated).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_survival_decode_with(const uint8_t *buf, size_t len,
                                                             const cxm_survival_options *opts,
                                                             const cxm_allocator *alloc,
                                                             cxm_survival **out);

/** Frees the accumulator; NULL is a no-op. */
CXM_EXPORT void cxm_survival_free(cxm_survival *s);

#ifdef __cplusplus
}
#endif

#endif /* CXM_SURVIVAL_H */
