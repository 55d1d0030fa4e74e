/**
 * @file
 * cxm/rate.h — proportions: successes out of trials, with exact counts, the
 * rate and a Wilson interval.
 *
 * DEFINITIONS ARE NAMED, NOT GUESSED. Every rate accumulator carries a named
 * use (what a success and a trial are) and a caller-chosen definition id
 * (for example the helpdesk profile that decided what counts as a success),
 * both fixed at creation. Merging a different use or definition is refused
 * with CXM_KIND_MISMATCH, and the result repeats both, so a number always
 * says what it measures.
 *
 * rate = successes / trials, a share in [0, 1]. Interval: Wilson score
 * interval at the chosen level, centre = (p + z^2/2n) / (1 + z^2/n),
 * half-width = z sqrt(p(1 - p)/n + z^2/4n^2) / (1 + z^2/n).
 */
#ifndef CXM_RATE_H
#define CXM_RATE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A proportion accumulator. Opaque. */
typedef struct cxm_rate cxm_rate;

/**
 * Named uses: what one trial and one success are. Values are pinned; 0 is
 * deliberately not a use.
 */
typedef enum cxm_rate_use {
    /** Anything else: success and trial as the caller defines them. */
    CXM_RATE_GENERIC = 1,
    /** First contact resolution: trial = a resolved ticket; success = it was
        resolved at first contact (never a reopened ticket). */
    CXM_RATE_FCR = 2,
    /** One-touch: trial = a solved ticket; success = solved with fewer than
        2 agent replies (Zendesk's definition). */
    CXM_RATE_ONE_TOUCH = 3,
    /** Reopen rate: trial = a solved ticket; success = reopened at least once. */
    CXM_RATE_REOPEN = 4,
    /** Unresolved share: trial = a closed ticket; success = closed unresolved. */
    CXM_RATE_UNRESOLVED = 5,
    /** Self-service deflection: trial = an issue resolved either in
        self-service or by an agent (assisted); success = resolved in
        self-service. rate = self-service / (self-service + assisted). */
    CXM_RATE_DEFLECTION = 6,
    /** SLA achievement: trial = a target that ended (achieved or breached);
        success = achieved. Targets still running are not trials. */
    CXM_RATE_SLA_ACHIEVEMENT = 7,
} cxm_rate_use;

/** Number of named uses plus one (uses are 1 .. CXM_RATE_USE_COUNT - 1). */
#define CXM_RATE_USE_COUNT 8u
/** Function twin of CXM_RATE_USE_COUNT. */
CXM_EXPORT uint32_t cxm_rate_use_count(void);

/**
 * A stable short English name of a use ("fcr", "one-touch", "reopen",
 * "unresolved", "deflection", "sla-achievement", "generic"). Never NULL:
 * unknown values give "unknown". The string is static.
 */
CXM_EXPORT const char *cxm_rate_use_str(uint32_t use);

/** Result of a rate accumulator. Set `size` = sizeof(cxm_rate_result). */
typedef struct cxm_rate_result {
    uint32_t size;       /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;   /**< out: 0 */
    uint32_t use;        /**< cxm_rate_use: what the rate measures */
    uint32_t definition; /**< the definition id given at creation */
    uint64_t successes;  /**< exact */
    uint64_t trials;     /**< exact */
    uint64_t failures;   /**< trials - successes, exact */
    double rate;         /**< successes / trials, a share in [0, 1] */
    cxm_interval ci;     /**< Wilson interval of rate, a share in [0, 1] */
} cxm_rate_result;

/** Bytes needed to place a rate accumulator in caller memory. */
CXM_EXPORT size_t cxm_rate_footprint(void);

/**
 * Creates an empty rate accumulator.
 * @param use        a cxm_rate_use
 * @param definition any caller id for the definition applied (0 if there is
 *                   only one); accumulators of different definitions never merge
 * @param alloc      allocator, NULL for malloc/free
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL out, bad allocator, unknown
 *         use); CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rate_new(uint32_t use, uint32_t definition,
                                                 const cxm_allocator *alloc, cxm_rate **out);

/**
 * Creates a rate accumulator in caller memory (`size` >= cxm_rate_footprint(),
 * aligned to CXM_ALIGNMENT). cxm_rate_free() on it releases nothing.
 * @return as cxm_rate_new, and CXM_BUFFER_TOO_SMALL if size is too small,
 *         CXM_INVALID_ARGUMENT if mem is NULL or misaligned.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rate_init_in(void *mem, size_t size, uint32_t use,
                                                     uint32_t definition, cxm_rate **out);

/**
 * Adds one trial: `success` is 1 (a success) or 0 (a failure).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (success
 *         not 0 or 1); CXM_OVERFLOW (2^64 - 1 trials already).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rate_add(cxm_rate *rate, uint32_t success);

/**
 * Adds pre-aggregated input: `successes` successes out of `trials` trials.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (successes >
 *         trials); CXM_OVERFLOW (the trial count would pass 2^64 - 1).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rate_add_counts(cxm_rate *rate, uint64_t successes,
                                                        uint64_t trials);

/**
 * Adds `n` trials held as bytes, each 0 (failure) or 1 (success). All or
 * nothing: if any byte is neither, nothing is added and `*bad_index` (if not
 * NULL) names the first such byte.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL rate, or NULL outcomes with
 *         n > 0); CXM_OUT_OF_RANGE; CXM_OVERFLOW.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rate_add_many(cxm_rate *rate, const uint8_t *outcomes,
                                                      size_t n, size_t *bad_index);

/**
 * Adds everything in `src` to `dst`. Both must have the same use and
 * definition.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_KIND_MISMATCH (another use or
 *         definition); CXM_OVERFLOW (dst unchanged).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rate_merge(cxm_rate *dst, const cxm_rate *src);

/** Empties the accumulator; use and definition stay. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rate_reset(cxm_rate *rate);

/**
 * Copies an accumulator into new memory from `alloc` (NULL: the source's).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rate_clone(const cxm_rate *rate, const cxm_allocator *alloc,
                                                   cxm_rate **out);

/** Use and definition of an accumulator. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rate_identity(const cxm_rate *rate, uint32_t *use,
                                                      uint32_t *definition);

/**
 * Computes the rate and its Wilson interval.
 * @param level confidence level in (0, 1), 0 for 0.95
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published);
 *         CXM_OUT_OF_RANGE (level); CXM_EMPTY when there is no trial (use,
 *         definition and counts are still filled in; no rate is given).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rate_result_get(const cxm_rate *rate, double level,
                                                        cxm_rate_result *out);

/**
 * Encodes the accumulator (see README, "Encoding"). `*len` always receives
 * the number of bytes needed.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BUFFER_TOO_SMALL (buf may be
 *         NULL to ask for the size).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rate_encode(const cxm_rate *rate, uint8_t *buf, size_t cap,
                                                    size_t *len);

/**
 * Decodes bytes from cxm_rate_encode into a new accumulator; every field is
 * checked.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BAD_FORMAT; CXM_WRONG_TYPE;
 *         CXM_UNSUPPORTED_VERSION; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rate_decode(const uint8_t *buf, size_t len,
                                                    const cxm_allocator *alloc, cxm_rate **out);

/** Frees the accumulator; NULL is a no-op. */
CXM_EXPORT void cxm_rate_free(cxm_rate *rate);

#ifdef __cplusplus
}
#endif

#endif /* CXM_RATE_H */
