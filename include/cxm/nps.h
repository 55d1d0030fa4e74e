/**
 * @file
 * cxm/nps.h — Net Promoter Score, one accumulator per kind, and the
 * competitive panel.
 *
 * NPS KINDS ARE NEVER BLENDED. Relational NPS (asked periodically about the
 * whole relationship), transactional NPS (asked right after an interaction)
 * and competitive NPS (asked of customers and non-customers about us and our
 * competitors) answer different questions. Summing them into one "company
 * NPS" is the classic, misleading mistake. So every accumulator carries its
 * kind (and, for competitive NPS, a brand) from creation on; merge refuses
 * other kinds (CXM_KIND_MISMATCH) and other brands (CXM_BRAND_MISMATCH); the
 * comparison refuses other kinds; and no function computes one NPS over
 * several kinds. The improvement plan may be one; the numbers are three.
 *
 * Answers are on the 0-10 scale: promoters 9-10, passives 7-8, detractors
 * 0-6; passives count in n. NPS = 100 * (P - D) / n, in [-100, 100].
 *
 * Statistics: SE(NPS) = 100 * sqrt((pP + pD - (pP - pD)^2) / n) (trinomial
 * variance). The default interval is the adjusted-Wald interval of Rocks
 * (2016): n' = n + 3, p' = (P + 3/4) / n', d' = (D + 3/4) / n',
 * CI = 100 * [(p' - d') +- z * sqrt((p' + d' - (p' - d')^2) / n')], clipped
 * to [-100, 100]. The plain Wald interval NPS +- z * SE is on request.
 *
 * Weighted answers: shares become weighted shares (sum of weights per
 * category over the sum of all weights) and every n in the formulas above
 * becomes Kish's effective sample size n_eff = (sum w)^2 / sum w^2. Answers
 * added without a weight weigh 1. Counts stay exact 64-bit integers.
 */
#ifndef CXM_NPS_H
#define CXM_NPS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An NPS accumulator of one kind (and one brand). Opaque. */
typedef struct cxm_nps cxm_nps;

/** NPS kinds. Values are pinned; 0 is deliberately not a kind. */
typedef enum cxm_nps_kind {
    CXM_NPS_RELATIONAL = 1,    /**< asked periodically about the whole relationship */
    CXM_NPS_TRANSACTIONAL = 2, /**< asked right after a purchase or a support interaction */
    CXM_NPS_COMPETITIVE = 3,   /**< asked of customers and non-customers about us and competitors */
} cxm_nps_kind;

/** Interval methods. */
typedef enum cxm_nps_method {
    CXM_NPS_ADJUSTED_WALD = 0, /**< Rocks 2016; the default */
    CXM_NPS_WALD = 1,          /**< plain NPS +- z * SE */
} cxm_nps_method;

/** The brand id of our own brand in competitive NPS. */
#define CXM_NPS_OUR_BRAND 0u
/** Largest score on the NPS scale (the smallest is 0). */
#define CXM_NPS_SCALE_MAX 10
/** Function twin of CXM_NPS_SCALE_MAX. */
CXM_EXPORT int32_t cxm_nps_scale_max(void);

/** Result of an NPS accumulator. Set `size` = sizeof(cxm_nps_result). */
typedef struct cxm_nps_result {
    uint32_t size;        /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;    /**< out: 0 */
    uint32_t kind;        /**< cxm_nps_kind */
    uint32_t brand;       /**< brand id (0 = ours; always 0 unless competitive) */
    uint32_t method;      /**< cxm_nps_method used for `ci` */
    uint32_t reserved2;   /**< out: 0 */
    uint64_t n;           /**< answers (exact) */
    uint64_t promoters;   /**< answers 9-10 (exact) */
    uint64_t passives;    /**< answers 7-8 (exact) */
    uint64_t detractors;  /**< answers 0-6 (exact) */
    double weight_total;  /**< sum of weights (= n when nothing was weighted) */
    double n_effective;   /**< Kish effective sample size (= n when unweighted) */
    double promoter_pct;  /**< weighted share of promoters, percent */
    double passive_pct;   /**< weighted share of passives, percent */
    double detractor_pct; /**< weighted share of detractors, percent */
    double nps;           /**< promoter_pct - detractor_pct, in [-100, 100] */
    double se;            /**< standard error of nps, in NPS points */
    cxm_interval ci;      /**< confidence interval of nps, NPS points */
} cxm_nps_result;

/** Bytes needed to place an NPS accumulator in caller memory (a constant). */
CXM_EXPORT size_t cxm_nps_footprint(void);

/**
 * Creates an empty NPS accumulator of a kind.
 * @param kind   a cxm_nps_kind
 * @param brand  brand id for CXM_NPS_COMPETITIVE (0 = our brand); must be 0
 *               for the other kinds
 * @param alloc  allocator, NULL for malloc/free
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL out, bad allocator, unknown
 *         kind, brand on a non-competitive kind); CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_new(uint32_t kind, uint32_t brand,
                                                const cxm_allocator *alloc, cxm_nps **out);

/**
 * Creates an NPS accumulator in caller memory (`size` >= cxm_nps_footprint(),
 * aligned to CXM_ALIGNMENT). cxm_nps_free() on it releases nothing.
 * @return as cxm_nps_new, and CXM_BUFFER_TOO_SMALL if size is too small,
 *         CXM_INVALID_ARGUMENT if mem is NULL or misaligned.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_init_in(void *mem, size_t size, uint32_t kind,
                                                    uint32_t brand, cxm_nps **out);

/**
 * Adds one answer, 0..10.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (score not
 *         in 0..10); CXM_OVERFLOW (2^64 - 1 answers already).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_add(cxm_nps *nps, int32_t score);

/**
 * Adds one answer with a survey weight in [1e-100, 1e100] (the range keeps
 * every weighted sum over 2^64 answers finite).
 * @return as cxm_nps_add; CXM_OUT_OF_RANGE also for a bad weight.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_add_weighted(cxm_nps *nps, int32_t score,
                                                         double weight);

/**
 * Adds `n` answers held as bytes (0..10). All or nothing: if any byte is out
 * of range nothing is added and `*bad_index` (if not NULL) is set to the
 * index of the first bad byte. Uses SIMD where the CPU has it; every code
 * path gives the same exact counts.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL nps, or NULL scores with n > 0);
 *         CXM_OUT_OF_RANGE; CXM_OVERFLOW.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_add_many(cxm_nps *nps, const uint8_t *scores, size_t n,
                                                     size_t *bad_index);

/**
 * Adds `n` weighted answers, `scores[i]` (0..10) with `weights[i]` (in
 * [1e-100, 1e100]). All or nothing as cxm_nps_add_many: on any error
 * nothing is added and `*bad_index` (if not NULL) names the first element
 * that is bad or would overflow.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL nps, or NULL scores or weights
 *         with n > 0); CXM_OUT_OF_RANGE (a score or weight out of range);
 *         CXM_OVERFLOW (the batch would pass 2^64 - 1 answers).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_add_many_weighted(cxm_nps *nps, const uint8_t *scores,
                                                              const double *weights, size_t n,
                                                              size_t *bad_index);

/**
 * Adds everything in `src` to `dst`. Both must be of the same kind and brand.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_KIND_MISMATCH; CXM_BRAND_MISMATCH;
 *         CXM_OVERFLOW (dst unchanged).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_merge(cxm_nps *dst, const cxm_nps *src);

/** Empties the accumulator; kind and brand stay. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_reset(cxm_nps *nps);

/**
 * Copies an accumulator into new memory from `alloc` (NULL: the source's).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_clone(const cxm_nps *nps, const cxm_allocator *alloc,
                                                  cxm_nps **out);

/** Kind and brand of an accumulator. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_identity(const cxm_nps *nps, uint32_t *kind,
                                                     uint32_t *brand);

/**
 * Computes the score, shares, standard error and interval.
 * @param level  confidence level in (0, 1), 0 for 0.95
 * @param method a cxm_nps_method
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published, bad method);
 *         CXM_OUT_OF_RANGE (level); CXM_EMPTY when there is no answer (the
 *         counts are still filled in; no score is given).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_result_get(const cxm_nps *nps, double level,
                                                       uint32_t method, cxm_nps_result *out);

/** Two-sample comparison of two NPS of the same kind. */
typedef struct cxm_nps_comparison {
    uint32_t size;        /**< in: sizeof(cxm_nps_comparison) */
    uint32_t reserved;    /**< out: 0 */
    uint32_t significant; /**< 1 if p < 1 - level, else 0 */
    uint32_t method;      /**< cxm_nps_method used for the standard errors */
    double diff;          /**< NPS(a) - NPS(b), NPS points */
    double se;            /**< sqrt(SE_a^2 + SE_b^2), NPS points */
    double z;             /**< diff / se (+-infinity if se = 0 and diff != 0) */
    double p;             /**< two-sided p-value, erfc(|z| / sqrt 2) */
    cxm_interval ci;      /**< diff +- z_level * se, clipped to [-200, 200] */
} cxm_nps_comparison;

/**
 * Compares two independent NPS: diff = A - B, SE = sqrt(SE_A^2 + SE_B^2),
 * z = diff / SE, two-sided p = erfc(|z| / sqrt 2). With CXM_NPS_WALD the SEs
 * are the plain trinomial ones; with CXM_NPS_ADJUSTED_WALD each SE is
 * computed from the adjusted shares p', d' over n' = n_eff + 3, which keeps
 * it above 0 for unanimous samples. Competitive accumulators of different
 * brands may be compared (that is their purpose); other kinds may not.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_RANGE (level);
 *         CXM_KIND_MISMATCH (different kinds); CXM_EMPTY (either is empty).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_compare(const cxm_nps *a, const cxm_nps *b,
                                                    double level, uint32_t method,
                                                    cxm_nps_comparison *out);

/**
 * Encodes the accumulator (see README, "Encoding"). `*len` always receives
 * the number of bytes needed.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BUFFER_TOO_SMALL (buf may be
 *         NULL to ask for the size; its contents are unspecified).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_encode(const cxm_nps *nps, uint8_t *buf, size_t cap,
                                                   size_t *len);

/**
 * Decodes bytes from cxm_nps_encode into a new accumulator. Never trusts the
 * bytes: every field is checked.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BAD_FORMAT; CXM_WRONG_TYPE;
 *         CXM_UNSUPPORTED_VERSION; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_decode(const uint8_t *buf, size_t len,
                                                   const cxm_allocator *alloc, cxm_nps **out);

/** Frees the accumulator; NULL is a no-op. */
CXM_EXPORT void cxm_nps_free(cxm_nps *nps);

/* ---- competitive panel ------------------------------------------------------ */

/**
 * A competitive NPS panel: our brand (id 0) and up to `capacity` competitor
 * brands (any other ids), each a competitive NPS accumulator, reported side
 * by side as gaps to our NPS. Opaque. Brands are kept sorted by id, so the
 * state (and its encoding) does not depend on the order answers arrived in.
 */
typedef struct cxm_nps_panel cxm_nps_panel;

/** Largest competitor capacity of a panel. */
#define CXM_NPS_PANEL_MAX_CAPACITY 4096u
/** Function twin of CXM_NPS_PANEL_MAX_CAPACITY. */
CXM_EXPORT uint32_t cxm_nps_panel_max_capacity(void);

/** The gap between our NPS and one competitor's. */
typedef struct cxm_nps_gap {
    uint32_t size;        /**< in: sizeof(cxm_nps_gap) */
    uint32_t reserved;    /**< out: 0 */
    uint32_t brand;       /**< the competitor's brand id */
    uint32_t significant; /**< 1 if the gap is significant at the level */
    uint64_t n_ours;      /**< our answers (exact) */
    uint64_t n_theirs;    /**< their answers (exact) */
    double nps_ours;      /**< our NPS, NPS points in [-100, 100] */
    double nps_theirs;    /**< their NPS, NPS points in [-100, 100] */
    double gap;           /**< nps_ours - nps_theirs, NPS points */
    double se;            /**< standard error of the gap, NPS points */
    double z;             /**< gap / se */
    double p;             /**< two-sided p-value of the gap, as cxm_nps_comparison */
    cxm_interval ci;      /**< gap +- z_level * se, NPS points, clipped to [-200, 200] */
    uint32_t has_ours;    /**< (appended) 1 if nps_ours has a value; 0: we have no answer
                               ("no data") */
    uint32_t has_theirs;  /**< (appended) 1 if nps_theirs has a value; 0: they have no
                               answer ("no data"). The gap and its statistics have a
                               value only when both flags are 1 (the call is then OK) */
} cxm_nps_gap;

/** Bytes needed to place a panel of `capacity` competitors; 0 if capacity is invalid. */
CXM_EXPORT size_t cxm_nps_panel_footprint(uint32_t capacity);

/**
 * Creates an empty panel for up to `capacity` competitors (1..4096).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_panel_new(uint32_t capacity, const cxm_allocator *alloc,
                                                      cxm_nps_panel **out);

/**
 * As cxm_nps_panel_new, in caller memory (`size` >= cxm_nps_panel_footprint(
 * capacity), aligned to CXM_ALIGNMENT). cxm_nps_panel_free() on it releases
 * nothing.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL out or mem, misaligned mem,
 *         capacity not in 1..4096); CXM_BUFFER_TOO_SMALL.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_panel_init_in(void *mem, size_t size, uint32_t capacity,
                                                          cxm_nps_panel **out);

/**
 * Adds one answer about `brand` (0 = ours). A new competitor takes a free
 * slot.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_RANGE; CXM_CAPACITY (a new
 *         competitor and no free slot); CXM_OVERFLOW.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_panel_add(cxm_nps_panel *panel, uint32_t brand,
                                                      int32_t score);

/**
 * As cxm_nps_panel_add with a weight in [1e-100, 1e100].
 * @return as cxm_nps_panel_add; CXM_OUT_OF_RANGE also for a bad weight.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_panel_add_weighted(cxm_nps_panel *panel, uint32_t brand,
                                                               int32_t score, double weight);

/**
 * Adds `n` answers, `brands[i]` and `scores[i]`. All or nothing: a bad score,
 * or more new competitors than free slots, rejects the whole batch and
 * names the first offending index in `*bad_index` (if not NULL).
 * The overflow check is conservative: the batch is refused when any brand
 * it touches has fewer than `n` answers left before 2^64 - 1 (no index is
 * named then).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL panel, or NULL brands or scores
 *         with n > 0); CXM_OUT_OF_RANGE (a score not in 0..10); CXM_CAPACITY
 *         (a new competitor and no free slot); CXM_OVERFLOW.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_panel_add_many(cxm_nps_panel *panel,
                                                           const uint32_t *brands,
                                                           const uint8_t *scores, size_t n,
                                                           size_t *bad_index);

/**
 * Adds every brand of `src` into `dst` (brands matched by id).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, or dst and src the same
 *         panel); CXM_CAPACITY (the union of brands does not fit dst);
 *         CXM_OVERFLOW. dst is unchanged on error.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_panel_merge(cxm_nps_panel *dst,
                                                        const cxm_nps_panel *src);

/** Empties the panel, brands included. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_panel_reset(cxm_nps_panel *panel);

/**
 * Copies a panel, capacity included, into new memory from `alloc` (NULL:
 * the source's).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_panel_clone(const cxm_nps_panel *panel,
                                                        const cxm_allocator *alloc,
                                                        cxm_nps_panel **out);

/**
 * Number of competitor brands seen so far (0..capacity) and the capacity.
 * @return CXM_OK; CXM_INVALID_ARGUMENT.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_panel_brands(const cxm_nps_panel *panel,
                                                         uint32_t *count, uint32_t *capacity);

/**
 * The NPS result of one brand of the panel (0 = ours).
 * @return as cxm_nps_result_get; CXM_EMPTY also for a brand never seen.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_panel_result(const cxm_nps_panel *panel, uint32_t brand,
                                                         double level, uint32_t method,
                                                         cxm_nps_result *out);

/**
 * The gap between our NPS and the `index`-th competitor (0-based, in
 * increasing brand id), with its significance as cxm_nps_compare.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_RANGE (level);
 *         CXM_CAPACITY (index >= count); CXM_EMPTY (no answer for us or them:
 *         brand, counts and the side that has answers, with its has_ flag,
 *         are still filled in). The size of the struct's first version
 *         (without has_ours and has_theirs) is accepted.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_panel_gap(const cxm_nps_panel *panel, uint32_t index,
                                                      double level, uint32_t method,
                                                      cxm_nps_gap *out);

/**
 * Encodes a panel (see README, "Encoding"). `*len` always receives the
 * number of bytes needed.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BUFFER_TOO_SMALL (buf may be
 *         NULL to ask for the size; its contents are unspecified).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_panel_encode(const cxm_nps_panel *panel, uint8_t *buf,
                                                         size_t cap, size_t *len);

/**
 * Decodes bytes from cxm_nps_panel_encode into a new panel. Never trusts the
 * bytes: capacity, brand order and every count are checked; the allocation
 * is at most cxm_nps_panel_footprint(CXM_NPS_PANEL_MAX_CAPACITY).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BAD_FORMAT; CXM_WRONG_TYPE;
 *         CXM_UNSUPPORTED_VERSION; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_nps_panel_decode(const uint8_t *buf, size_t len,
                                                         const cxm_allocator *alloc,
                                                         cxm_nps_panel **out);

/** Frees a panel; NULL is a no-op. */
CXM_EXPORT void cxm_nps_panel_free(cxm_nps_panel *panel);

#ifdef __cplusplus
}
#endif

#endif /* CXM_NPS_H */
