/**
 * @file
 * cxm/csat.h — Customer Satisfaction Score on a configurable integer scale.
 *
 * "How satisfied were you with ...?" The scale is 1-5 unless the options say
 * otherwise: any integer scale min..max with 0 <= min < max <=
 * CXM_SCALE_MAX_SCORE (at most 101 points, e.g. 1-7, 1-10, 0-10, 0-100).
 * An answer is "satisfied" when score >= threshold; the default threshold is
 * the top two boxes, max - 1 (4-5 on 1-5, 6-7 on 1-7, 9-10 on 1-10), or max
 * on a two-point scale.
 *
 * The state is the exact count of answers per score, so every result below
 * is a function of the counts alone and no merge order can change it:
 *  - n = number of answers; mean = sum(score) / n;
 *  - sd = sqrt(sum((score - mean)^2) / (n - 1)), the sample standard
 *    deviation (computed in two passes over the counts; 0 when n < 2);
 *  - median: the middle answer, or the midpoint of the two middle answers
 *    when n is even (so it may end in .5);
 *  - mean_ci = mean +- t(1 - (1 - level) / 2, n - 1) * sd / sqrt(n): the
 *    Student t interval with n - 1 degrees of freedom at every n (not the
 *    normal approximation), clipped to [min, max]; with n = 1 it is the
 *    whole scale, since one answer says nothing about the spread;
 *  - satisfied_pct = 100 * satisfied / n, with a Wilson score interval
 *    (in percent).
 *
 * Accumulators of different scales or thresholds never merge
 * (CXM_KIND_MISMATCH): their shares answer different questions.
 */
#ifndef CXM_CSAT_H
#define CXM_CSAT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A CSAT accumulator. Opaque. */
typedef struct cxm_csat cxm_csat;

/**
 * Options of a CSAT accumulator. NULL, or zero fields, mean the defaults.
 * Set `size` = sizeof(cxm_csat_options).
 */
typedef struct cxm_csat_options {
    uint32_t size;      /**< sizeof(cxm_csat_options) */
    uint32_t reserved;  /**< must be 0 */
    int32_t scale_min;  /**< lowest score; must be 0 when scale_max is 0 */
    int32_t scale_max;  /**< highest score, 0 for the default scale 1-5 */
    int32_t threshold;  /**< satisfied means score >= threshold (min < threshold <= max);
                             0 for the top two boxes, max - 1 */
    uint32_t reserved2; /**< must be 0 */
} cxm_csat_options;

/** Result of a CSAT accumulator. Set `size` = sizeof(cxm_csat_result). */
typedef struct cxm_csat_result {
    uint32_t size;             /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;         /**< out: 0 */
    int32_t scale_min;         /**< the scale, as configured */
    int32_t scale_max;         /**< the scale's largest score */
    int32_t threshold;         /**< satisfied means score >= threshold */
    uint32_t reserved2;        /**< out: 0 */
    uint64_t n;                /**< answers (exact) */
    uint64_t satisfied;        /**< answers >= threshold (exact) */
    double mean;               /**< mean score, scale units */
    double sd;                 /**< sample standard deviation, scale units (0 if n < 2) */
    double median;             /**< median score, scale units */
    cxm_interval mean_ci;      /**< Student t interval of the mean, clipped to the scale */
    double satisfied_pct;      /**< 100 * satisfied / n, percent */
    cxm_interval satisfied_ci; /**< Wilson interval of satisfied_pct, percent */
    uint32_t has_sd;           /**< (appended) 1 if sd and mean_ci have a value (n >= 2); 0:
                                    one answer or none, sd is 0 and mean_ci the whole scale
                                    ("no data" for the spread) */
    uint32_t reserved3;        /**< (appended) out: 0 */
} cxm_csat_result;

/** Bytes needed to place a CSAT accumulator in caller memory (any scale). */
CXM_EXPORT size_t cxm_csat_footprint(void);

/**
 * Creates an empty CSAT accumulator.
 * @param opts   options, NULL for the defaults (1-5, satisfied = 4-5)
 * @param alloc  allocator, NULL for malloc/free
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL out, bad allocator, bad options
 *         struct, a scale outside 0..CXM_SCALE_MAX_SCORE or with min >= max,
 *         a threshold not in min+1..max); CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_csat_new(const cxm_csat_options *opts,
                                                 const cxm_allocator *alloc, cxm_csat **out);

/**
 * Creates a CSAT accumulator in caller memory (`size` >= cxm_csat_footprint(),
 * aligned to CXM_ALIGNMENT). cxm_csat_free() on it releases nothing.
 * @return as cxm_csat_new, and CXM_BUFFER_TOO_SMALL if size is too small,
 *         CXM_INVALID_ARGUMENT if mem is NULL or misaligned.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_csat_init_in(void *mem, size_t size,
                                                     const cxm_csat_options *opts, cxm_csat **out);

/**
 * Adds one answer.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (score not
 *         on the scale); CXM_OVERFLOW (2^64 - 1 answers already).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_csat_add(cxm_csat *csat, int32_t score);

/**
 * Adds `n` answers held as bytes (each byte is a score). All or nothing: if
 * any byte is off the scale nothing is added and `*bad_index` (if not NULL)
 * is set to the index of the first bad byte.
 * A batch of 32 KiB or more on a scale of more than 17 points is counted
 * in a table of 27 KiB on the stack (x86-64 with AVX2).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL csat, or NULL scores with
 *         n > 0); CXM_OUT_OF_RANGE; CXM_OVERFLOW.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_csat_add_many(cxm_csat *csat, const uint8_t *scores,
                                                      size_t n, size_t *bad_index);

/**
 * Adds everything in `src` to `dst` (which may be the same object).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_KIND_MISMATCH (another scale or
 *         threshold); CXM_OVERFLOW. dst is unchanged on error.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_csat_merge(cxm_csat *dst, const cxm_csat *src);

/** Empties the accumulator; the scale and threshold stay. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_csat_reset(cxm_csat *csat);

/**
 * Copies an accumulator into new memory from `alloc` (NULL: the source's).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_csat_clone(const cxm_csat *csat, const cxm_allocator *alloc,
                                                   cxm_csat **out);

/**
 * The configuration in force, defaults resolved (scale_min, scale_max,
 * threshold all set). `out->size` must be set by the caller.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_csat_config(const cxm_csat *csat, cxm_csat_options *out);

/**
 * Number of answers with this score (exact).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (score not on
 *         the scale).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_csat_count(const cxm_csat *csat, int32_t score,
                                                   uint64_t *out);

/**
 * Computes n, mean, sd, median, the mean's interval and the satisfied share
 * with its Wilson interval.
 * @param level  confidence level in (0, 1), 0 for 0.95
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published);
 *         CXM_OUT_OF_RANGE (level); CXM_EMPTY when there is no answer (scale,
 *         counts and levels are filled in; no statistic is given).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_csat_result_get(const cxm_csat *csat, double level,
                                                        cxm_csat_result *out);

/**
 * Encodes the accumulator (see README, "Encoding"). `*len` always receives
 * the number of bytes needed.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BUFFER_TOO_SMALL (buf may be
 *         NULL to ask for the size; its contents are unspecified).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_csat_encode(const cxm_csat *csat, uint8_t *buf, size_t cap,
                                                    size_t *len);

/**
 * Decodes bytes from cxm_csat_encode into a new accumulator. Never trusts
 * the bytes: the scale, threshold and every count are checked.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BAD_FORMAT; CXM_WRONG_TYPE;
 *         CXM_UNSUPPORTED_VERSION; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_csat_decode(const uint8_t *buf, size_t len,
                                                    const cxm_allocator *alloc, cxm_csat **out);

/** Frees the accumulator; NULL is a no-op. */
CXM_EXPORT void cxm_csat_free(cxm_csat *csat);

#ifdef __cplusplus
}
#endif

#endif /* CXM_CSAT_H */
