/**
 * @file
 * cxm/ces.h — Customer Effort Score on a configurable integer scale, in
 * either direction.
 *
 * CES 2.0 (the default) asks for agreement with "The company made it easy
 * for me to handle my issue" on 1 (strongly disagree) .. 7 (strongly agree):
 * higher is easier. CES 1.0 asked "How much effort did you personally have
 * to put forth to handle your request?" on 1 (very low) .. 5 (very high):
 * higher is more effort. The direction is fixed at creation:
 *
 *  - CXM_CES_HIGHER_IS_EASIER: an answer is "easy" when score >= threshold
 *    (min < threshold <= max). Default scale 1-7, default threshold the
 *    first point above the midpoint, (min + max) / 2 + 1 rounded down:
 *    5 on 1-7, so easy = 5-7 ("agree").
 *  - CXM_CES_HIGHER_IS_EFFORT: an answer is "easy" when score <= threshold
 *    (min <= threshold < max). Default scale 1-5, default threshold the last
 *    point below the midpoint, (min + max + 1) / 2 - 1 rounded down: 2 on
 *    1-5 (easy = very low or low effort), 3 on 1-7.
 *
 * A threshold of 0 in the options selects the default, so on a scale that
 * starts at 0 with CXM_CES_HIGHER_IS_EFFORT "easy = 0 only" cannot be asked
 * for (use a scale starting at 1, or threshold 1 for easy = 0-1).
 *
 * Scales are any min..max with 0 <= min < max <= CXM_SCALE_MAX_SCORE (at
 * most 101 points). Mean, sd, median, the Student-t interval of the mean
 * (n - 1 degrees of freedom, clipped to the scale) and the Wilson interval
 * of easy_pct are exactly as for CSAT (see cxm/csat.h); the mean is on the
 * scale as asked (a higher mean means easier with CES 2.0, harder with 1.0).
 *
 * CES index, NPS-style: on a 1-7 scale only, index = %(two easiest points)
 * - %(three hardest points), in [-100, 100]: %(6-7) - %(1-3) when higher is
 * easier, %(1-2) - %(5-7) when higher is effort (the same question read on
 * the mirrored scale). Its standard error is the trinomial one,
 * 100 * sqrt((pE + pH - (pE - pH)^2) / n), and its interval the
 * adjusted-Wald interval used for NPS (n' = n + 3, 3/4 added to each side).
 * On any other scale the index has no accepted definition: index_defined
 * is 0 and the index fields are 0 (the call still succeeds).
 *
 * Accumulators of different scales, thresholds or directions never merge
 * (CXM_KIND_MISMATCH).
 */
#ifndef CXM_CES_H
#define CXM_CES_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A CES accumulator. Opaque. */
typedef struct cxm_ces cxm_ces;

/** Which end of the scale is easy. Values are pinned. */
typedef enum cxm_ces_direction {
    CXM_CES_HIGHER_IS_EASIER = 0, /**< CES 2.0 agreement scale; the default */
    CXM_CES_HIGHER_IS_EFFORT = 1, /**< CES 1.0 effort scale */
} cxm_ces_direction;

/**
 * Options of a CES accumulator. NULL, or zero fields, mean the defaults of
 * the direction (see above). Set `size` = sizeof(cxm_ces_options).
 */
typedef struct cxm_ces_options {
    uint32_t size;      /**< sizeof(cxm_ces_options) */
    uint32_t reserved;  /**< must be 0 */
    int32_t scale_min;  /**< lowest score; must be 0 when scale_max is 0 */
    int32_t scale_max;  /**< highest score, 0 for the default (1-7 easier, 1-5 effort) */
    int32_t threshold;  /**< easy boundary (see above), 0 for the default */
    uint32_t direction; /**< a cxm_ces_direction */
} cxm_ces_options;

/** Result of a CES accumulator. Set `size` = sizeof(cxm_ces_result). */
typedef struct cxm_ces_result {
    uint32_t size;          /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;      /**< out: 0 */
    int32_t scale_min;      /**< the scale, as configured */
    int32_t scale_max;      /**< the scale's largest score */
    int32_t threshold;      /**< the easy boundary */
    uint32_t direction;     /**< a cxm_ces_direction */
    uint64_t n;             /**< answers (exact) */
    uint64_t easy;          /**< answers on the easy side of the threshold (exact) */
    double mean;            /**< mean score, scale units */
    double sd;              /**< sample standard deviation, scale units (0 if n < 2) */
    double median;          /**< median score, scale units */
    cxm_interval mean_ci;   /**< Student t interval of the mean, clipped to the scale */
    double easy_pct;        /**< 100 * easy / n, percent */
    cxm_interval easy_ci;   /**< Wilson interval of easy_pct, percent */
    uint32_t index_defined; /**< 1 on a 1-7 scale, else 0 (and the index fields are 0) */
    uint32_t reserved2;     /**< out: 0 */
    uint64_t index_easy;    /**< answers on the two easiest points (exact) */
    uint64_t index_hard;    /**< answers on the three hardest points (exact) */
    double index;           /**< CES index, in [-100, 100] */
    double index_se;        /**< its standard error, index points */
    cxm_interval index_ci;  /**< adjusted-Wald interval, clipped to [-100, 100] */
    uint32_t has_sd;        /**< (appended) 1 if sd and mean_ci have a value (n >= 2); 0: one
                                 answer or none, sd is 0 and mean_ci the whole scale ("no
                                 data" for the spread) */
    uint32_t reserved3;     /**< (appended) out: 0 */
} cxm_ces_result;

/** Bytes needed to place a CES accumulator in caller memory (any scale). */
CXM_EXPORT size_t cxm_ces_footprint(void);

/**
 * Creates an empty CES accumulator.
 * @param opts   options, NULL for the defaults (1-7, higher is easier, easy = 5-7)
 * @param alloc  allocator, NULL for malloc/free
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL out, bad allocator, bad options
 *         struct, unknown direction, a scale outside 0..CXM_SCALE_MAX_SCORE
 *         or with min >= max, a threshold that leaves one side empty);
 *         CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_ces_new(const cxm_ces_options *opts,
                                                const cxm_allocator *alloc, cxm_ces **out);

/**
 * Creates a CES accumulator in caller memory (`size` >= cxm_ces_footprint(),
 * aligned to CXM_ALIGNMENT). cxm_ces_free() on it releases nothing.
 * @return as cxm_ces_new, and CXM_BUFFER_TOO_SMALL if size is too small,
 *         CXM_INVALID_ARGUMENT if mem is NULL or misaligned.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_ces_init_in(void *mem, size_t size,
                                                    const cxm_ces_options *opts, cxm_ces **out);

/**
 * Adds one answer.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (score not
 *         on the scale); CXM_OVERFLOW (2^64 - 1 answers already).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_ces_add(cxm_ces *ces, int32_t score);

/**
 * Adds `n` answers held as bytes (each byte is a score). All or nothing: if
 * any byte is off the scale nothing is added and `*bad_index` (if not NULL)
 * is set to the index of the first bad byte.
 * A batch of 32 KiB or more on a scale of more than 17 points is counted
 * in a table of 27 KiB on the stack (x86-64 with AVX2).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL ces, or NULL scores with
 *         n > 0); CXM_OUT_OF_RANGE; CXM_OVERFLOW.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_ces_add_many(cxm_ces *ces, const uint8_t *scores, size_t n,
                                                     size_t *bad_index);

/**
 * Adds everything in `src` to `dst` (which may be the same object).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_KIND_MISMATCH (another scale,
 *         threshold or direction); CXM_OVERFLOW. dst is unchanged on error.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_ces_merge(cxm_ces *dst, const cxm_ces *src);

/** Empties the accumulator; its configuration stays. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_ces_reset(cxm_ces *ces);

/**
 * Copies an accumulator into new memory from `alloc` (NULL: the source's).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_ces_clone(const cxm_ces *ces, const cxm_allocator *alloc,
                                                  cxm_ces **out);

/**
 * The configuration in force, defaults resolved. `out->size` must be set by
 * the caller.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_ces_config(const cxm_ces *ces, cxm_ces_options *out);

/**
 * Number of answers with this score (exact).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (score not on
 *         the scale).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_ces_count(const cxm_ces *ces, int32_t score, uint64_t *out);

/**
 * Computes n, mean, sd, median, the mean's interval, the easy share with its
 * Wilson interval and, on a 1-7 scale, the CES index.
 * @param level  confidence level in (0, 1), 0 for 0.95
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published);
 *         CXM_OUT_OF_RANGE (level); CXM_EMPTY when there is no answer
 *         (configuration, counts and levels are filled in; no statistic).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_ces_result_get(const cxm_ces *ces, double level,
                                                       cxm_ces_result *out);

/**
 * Encodes the accumulator (see README, "Encoding"). `*len` always receives
 * the number of bytes needed.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BUFFER_TOO_SMALL (buf may be
 *         NULL to ask for the size; its contents are unspecified).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_ces_encode(const cxm_ces *ces, uint8_t *buf, size_t cap,
                                                   size_t *len);

/**
 * Decodes bytes from cxm_ces_encode into a new accumulator; every field is
 * checked.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BAD_FORMAT; CXM_WRONG_TYPE;
 *         CXM_UNSUPPORTED_VERSION; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_ces_decode(const uint8_t *buf, size_t len,
                                                   const cxm_allocator *alloc, cxm_ces **out);

/** Frees the accumulator; NULL is a no-op. */
CXM_EXPORT void cxm_ces_free(cxm_ces *ces);

#ifdef __cplusplus
}
#endif

#endif /* CXM_CES_H */
