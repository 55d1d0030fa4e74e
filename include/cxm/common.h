/**
 * @file
 * cxm/common.h — what every cxm family shares: the export macro, the status
 * codes, the allocator, version queries and the conventions for sized structs.
 *
 * Include <cxm.h> rather than this file directly.
 *
 * Conventions that hold for the whole API (so they are written once, here):
 *
 *  - Every fallible function returns a cxm_status; results travel through
 *    out-parameters. CXM_OK is 0; every other value is pinned forever.
 *  - A rejected call leaves every object it was given exactly as it was.
 *    A batch with one bad element is rejected whole; the index of the first
 *    bad element is reported through the `bad_index` out-parameter.
 *  - Objects are opaque. `cxm_<family>_free(NULL)` is a no-op.
 *  - An object is used by one thread at a time. Distinct objects share no
 *    state whatsoever (the library has no global mutable state), so threads
 *    that each own their accumulators need no locking; merge them at the end.
 *  - Structs that cross the boundary begin with `uint32_t size` (the caller
 *    sets it to sizeof the struct it was compiled with) and a `uint32_t
 *    reserved` that must be zero. Such a struct only ever grows by fields
 *    appended at its end, and each release that grows it publishes a new
 *    size. The library accepts exactly the published sizes of each struct,
 *    from its first version's up to the current sizeof; any other `size`
 *    (one that cuts a field, below the first version, beyond the current
 *    struct, garbage) is CXM_INVALID_ARGUMENT ("size not published") and
 *    nothing is read or written. An older caller's result struct receives
 *    the fields it knows, and fields an older options or input struct lacks
 *    read as zero, so a program built against an older header keeps
 *    working; a program built against a newer header than the library it
 *    runs with is refused rather than half-served. The library never writes
 *    past min(size, current sizeof) of a result struct.
 *  - No allocation happens after an object is created: add, merge, reset,
 *    result and encode never allocate. Creation and decode allocate exactly
 *    once through the object's allocator, or not at all with `*_init_in`.
 *  - Real-valued results are double and never NaN. A statistic that has no
 *    value (an empty accumulator) is reported with CXM_EMPTY, not a number.
 *  - A result that holds several statistics can be OK as a whole while one
 *    of its parts has no data (a roll-up group whose tickets are all open
 *    has tickets but no FCR rate). Such a part comes with a `has_<part>`
 *    flag: 1 when the part has a value, 0 when it has none, and then the
 *    part's numbers are 0 and must not be shown as a figure (show "no
 *    data"). A flag of 0 is also what an empty result carries, so reading
 *    the flag is enough; the counts next to a part are not a substitute.
 *  - Structs grow only by appending fields at their end. Fields appended
 *    after a struct's first version are marked "(appended)"; a caller
 *    compiled against the shorter struct passes its own, smaller size and
 *    keeps working without seeing them.
 */
#ifndef CXM_COMMON_H
#define CXM_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Marks a declaration as part of the exported ABI. */
#if defined(_WIN32) && defined(CXM_BUILDING)
#define CXM_EXPORT __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define CXM_EXPORT __attribute__((visibility("default")))
#else
#define CXM_EXPORT
#endif

/** Ignoring the status of such a call is a bug: the compiler says so. */
#if defined(__GNUC__) || defined(__clang__)
#define CXM_NODISCARD __attribute__((warn_unused_result))
#else
#define CXM_NODISCARD
#endif

/** Release version of the headers, major part (the soname is kept separately). */
#define CXM_VERSION_MAJOR 0
/** Release version of the headers, minor part. */
#define CXM_VERSION_MINOR 1
/** Release version of the headers, patch part. */
#define CXM_VERSION_PATCH 0
/** major * 10000 + minor * 100 + patch, as returned by cxm_version_number(). */
#define CXM_VERSION_NUMBER (CXM_VERSION_MAJOR * 10000 + CXM_VERSION_MINOR * 100 + CXM_VERSION_PATCH)

/**
 * Status codes. The numeric values are part of the ABI and never change
 * meaning; new codes are only ever appended.
 */
typedef enum cxm_status {
    CXM_OK = 0,                  /**< success */
    CXM_INVALID_ARGUMENT = 1,    /**< NULL pointer, bad option, bad struct size or reserved != 0 */
    CXM_OUT_OF_RANGE = 2,        /**< a value outside its scale or domain (score 11, NaN, w <= 0) */
    CXM_OUT_OF_MEMORY = 3,       /**< the allocator returned NULL */
    CXM_KIND_MISMATCH = 4,       /**< objects of different NPS kinds, scales or configurations */
    CXM_EMPTY = 5,               /**< no data: the statistic has no value */
    CXM_OVERFLOW = 6,            /**< a 64-bit count or sum would overflow */
    CXM_BUFFER_TOO_SMALL = 7,    /**< the output buffer cannot hold the result */
    CXM_BAD_FORMAT = 8,          /**< encoded bytes are truncated, corrupt or inconsistent */
    CXM_UNSUPPORTED_VERSION = 9, /**< encoded bytes come from an unknown format version */
    CXM_BRAND_MISMATCH = 10,     /**< competitive NPS accumulators of different brands */
    CXM_CAPACITY = 11,           /**< beyond what creation fixed: an id past a capacity, or no
                                      room left (index entries, a memory budget's pages) */
    CXM_BAD_ORDER = 12,          /**< timestamps contradict each other (end before start) */
    CXM_BAD_STATE = 13,          /**< an event that is not valid in the object's current state */
    CXM_WRONG_TYPE = 14,         /**< encoded bytes hold a different accumulator family */
    CXM_EXPIRED = 15,            /**< an event older than a series' horizon (its bucket retired) */
} cxm_status;

/** Number of status codes defined by this version (one past the largest). */
#define CXM_STATUS_COUNT 16

/**
 * A stable English message for a status ("ok", "invalid argument", ...).
 * Never NULL: unknown values give "unknown status". The string is static.
 */
CXM_EXPORT const char *cxm_status_str(cxm_status status);

/** Function twin of CXM_STATUS_COUNT, for bindings that cannot read macros. */
CXM_EXPORT uint32_t cxm_status_count(void);

/** The release version as "major.minor.patch". The string is static. */
CXM_EXPORT const char *cxm_version_string(void);

/** The release version as major * 10000 + minor * 100 + patch. */
CXM_EXPORT uint32_t cxm_version_number(void);

/**
 * Does nothing and returns 0. Exported so that benchmarks can measure the
 * cost of a call through the shared library in the same run as real calls.
 */
CXM_EXPORT uint32_t cxm_noop(void);

/**
 * A caller-supplied allocator. Passing NULL wherever a `const cxm_allocator *`
 * is taken means the C library's malloc/free. The allocator is copied into
 * the object at creation and used again only to free it.
 *
 * `alloc` must return memory aligned for any object type (as malloc does) or
 * NULL. `free` is never called with NULL.
 */
typedef struct cxm_allocator {
    uint32_t size;     /**< sizeof(cxm_allocator) */
    uint32_t reserved; /**< must be 0 */
    /** Returns `bytes` bytes aligned for any object type, or NULL on failure. */
    void *(*alloc)(void *opaque, size_t bytes);
    /** Releases memory returned by `alloc`; never called with NULL. */
    void (*free)(void *opaque, void *ptr);
    void *opaque; /**< passed back unchanged to alloc and free */
} cxm_allocator;

/**
 * Alignment required of caller memory passed to any `*_init_in` function.
 * Objects placed in caller memory are released with their `*_free` function
 * like any other; it then frees nothing.
 */
#define CXM_ALIGNMENT 16
/** Function twin of CXM_ALIGNMENT. */
CXM_EXPORT size_t cxm_alignment(void);

/**
 * Largest score of a configurable integer scale (CSAT, CES): such scales lie
 * within 0..CXM_SCALE_MAX_SCORE, so they have at most 101 points.
 */
#define CXM_SCALE_MAX_SCORE 100
/** Function twin of CXM_SCALE_MAX_SCORE. */
CXM_EXPORT int32_t cxm_scale_max_score(void);

/** Default confidence level used when a level of 0 is passed. */
#define CXM_DEFAULT_LEVEL 0.95
/** Function twin of CXM_DEFAULT_LEVEL. */
CXM_EXPORT double cxm_default_level(void);

/**
 * A two-sided confidence interval. `level` echoes the level used (0.95 by
 * default). Intervals of shares are in the unit of their point estimate.
 * Every interval the library reports lies within the domain of its
 * estimate (a share in [0, 1], a percentage in [0, 100], a net score in
 * [-100, 100]) and contains the point estimate it goes with, even when
 * counts past 2^53 make the arithmetic round.
 */
typedef struct cxm_interval {
    double lower; /**< lower limit, in the unit of the estimate */
    double upper; /**< upper limit, in the unit of the estimate */
    double level; /**< the confidence level used, in (0, 1) */
} cxm_interval;

/**
 * Wilson score interval for k successes out of n trials, as a share in
 * [0, 1]: lower <= k / n <= upper, lower == 0 when k == 0 and upper == 1
 * when k == n. `level` in (0, 1) or 0 for the default 0.95.
 * @return CXM_OK; CXM_INVALID_ARGUMENT if out is NULL; CXM_OUT_OF_RANGE if
 *         k > n or the level is not in (0, 1); CXM_EMPTY if n == 0.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_wilson_interval(uint64_t k, uint64_t n, double level,
                                                        cxm_interval *out);

/**
 * The two-sided standard-normal critical value for a confidence level:
 * z such that P(|Z| <= z) = level (1.959964 for 0.95).
 * @return CXM_OK; CXM_INVALID_ARGUMENT if out is NULL; CXM_OUT_OF_RANGE if
 *         level is not in (0, 1) (0 selects the default 0.95).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_z_for_level(double level, double *out);

/**
 * Accumulator families, as recorded in the type field of the encoding.
 * Pinned numbers: a value is never reused for another family.
 */
typedef enum cxm_family {
    CXM_FAMILY_NPS = 1,         /**< cxm_nps */
    CXM_FAMILY_NPS_PANEL = 2,   /**< cxm_nps_panel */
    CXM_FAMILY_CSAT = 3,        /**< cxm_csat */
    CXM_FAMILY_CES = 4,         /**< cxm_ces */
    CXM_FAMILY_DURATION = 5,    /**< cxm_duration */
    CXM_FAMILY_RATE = 6,        /**< cxm_rate */
    CXM_FAMILY_SLA = 7,         /**< cxm_sla */
    CXM_FAMILY_CHURN = 8,       /**< cxm_churn */
    CXM_FAMILY_ROLLUP = 9,      /**< cxm_rollup */
    CXM_FAMILY_SURVIVAL = 10,   /**< cxm_survival */
    CXM_FAMILY_CALENDAR = 11,   /**< a business-hours calendar (configuration) */
    CXM_FAMILY_SLA_POLICY = 12, /**< an SLA policy (configuration) */
    CXM_FAMILY_SERIES = 13,     /**< a time-bucketed series of accumulators */
    CXM_FAMILY_BACKLOG = 14,    /**< a backlog over time (created, solved, open per bucket) */
} cxm_family;

/**
 * Reads the envelope of encoded bytes (any family) without decoding them:
 * which family and which format version they hold. The checksum is
 * verified, so CXM_OK means the bytes are intact.
 * @param family  out: a cxm_family value
 * @param version out: the format version of the payload
 * @return CXM_OK; CXM_INVALID_ARGUMENT for NULL pointers; CXM_BAD_FORMAT if
 *         the bytes are truncated or corrupt.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_encoded_info(const uint8_t *buf, size_t len,
                                                     uint32_t *family, uint32_t *version);

#ifdef __cplusplus
}
#endif

#endif /* CXM_COMMON_H */
