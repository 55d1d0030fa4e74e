/**
 * @file
 * cxm/churn.h — customers and revenue over one period: churn, retention,
 * net growth, renewals, gross revenue churn and net revenue retention.
 *
 * An accumulator covers ONE period (a month, a quarter), named by a caller
 * id fixed at creation (e.g. 202611 or the period's first Unix second).
 * Shards of the same period merge; different periods are CXM_KIND_MISMATCH.
 *
 * Input is one record per customer who was a customer at some point of the
 * period (cxm_churn_customer), or pre-aggregated counts of a shard
 * (cxm_churn_counts). The library applies ChartMogul's rule itself:
 *
 *   at start | at end | cancelled in period | counted as
 *   ---------+--------+---------------------+-----------------------------------
 *   yes      | no     | (any)               | lost (churned)
 *   yes      | yes    | no                  | retained
 *   yes      | yes    | yes                 | retained: churned and reactivated
 *            |        |                     | within the period, NOT churned
 *   no       | yes    | (any)               | gained: new, or reactivated if the
 *            |        |                     | customer is RETURNING
 *   no       | no     | yes                 | joined and churned within the
 *            |        |                     | period: NOT churned, not gained
 *   no       | no     | no                  | refused (not a customer)
 *
 * Formulas (C0 = customers at start, MRR0 = MRR at start):
 *   customer churn rate   = lost / C0, with a Wilson interval
 *   retention             = 1 - churn (its interval is 1 - the churn interval)
 *   net growth            = (gained - lost) / C0, gained = new + reactivated
 *   renewal rate          = renewed / due for renewal, with a Wilson interval
 *   gross revenue churn   = (churned MRR + contraction MRR) / MRR0
 *   net revenue retention = (MRR0 + expansion - contraction - churned) / MRR0
 *
 * MONEY is int64_t in minor units of one currency (cents), never double:
 * sums are exact, so merged shards give the same figures in any order.
 * Negative amounts are refused. The accumulator keeps MRR at the end of the
 * period representable: an add or merge that would take any sum, or
 * MRR0 + new + reactivation + expansion, past INT64_MAX is CXM_OVERFLOW; so
 * is one that would take the customers at the end, C0 - lost + gained,
 * past 2^64 - 1 (customers_end is always exact).
 *
 * Consistency kept at all times (an add or merge that would break it is
 * refused and changes nothing): lost + churned-and-reactivated <= C0,
 * renewed <= due, churned + contraction <= MRR0.
 */
#ifndef CXM_CHURN_H
#define CXM_CHURN_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A churn accumulator for one period. Opaque. */
typedef struct cxm_churn cxm_churn;

/** Flags of a cxm_churn_customer. Any other bit is CXM_OUT_OF_RANGE. */
enum cxm_churn_flag {
    CXM_CHURN_AT_START = 1u,  /**< a (paying) customer when the period began */
    CXM_CHURN_AT_END = 2u,    /**< a customer when the period ended */
    CXM_CHURN_CANCELLED = 4u, /**< cancelled at least once during the period */
    CXM_CHURN_RETURNING = 8u, /**< not a customer at start, but was one before the
                                   period (gaining it is a reactivation); only
                                   without CXM_CHURN_AT_START */
    CXM_CHURN_DUE = 16u,      /**< a renewal fell due during the period */
    CXM_CHURN_RENEWED = 32u,  /**< that renewal was made; requires CXM_CHURN_DUE */
};

/**
 * One customer's period. Set `size` = sizeof(cxm_churn_customer).
 * MRR is in minor units (cents) and >= 0; mrr_start must be 0 without
 * CXM_CHURN_AT_START, mrr_end 0 without CXM_CHURN_AT_END. For a retained
 * customer mrr_end - mrr_start is expansion (> 0) or contraction (< 0).
 */
typedef struct cxm_churn_customer {
    uint32_t size;      /**< sizeof(cxm_churn_customer) */
    uint32_t reserved;  /**< must be 0 */
    uint32_t flags;     /**< cxm_churn_flag bits */
    uint32_t reserved2; /**< must be 0 */
    int64_t mrr_start;  /**< MRR at the period start, minor units */
    int64_t mrr_end;    /**< MRR at the period end, minor units */
} cxm_churn_customer;

/**
 * Pre-aggregated counts of a shard (or the state of an accumulator). Set
 * `size` = sizeof(cxm_churn_counts). The rule above is the caller's to have
 * applied: `lost` excludes customers who churned and reactivated within the
 * period (`churned_reactivated`) and `new_customers` excludes those who
 * joined and churned within it (`joined_churned`).
 */
typedef struct cxm_churn_counts {
    uint32_t size;                /**< sizeof(cxm_churn_counts) */
    uint32_t reserved;            /**< must be 0 */
    uint64_t customers_start;     /**< C0 */
    uint64_t lost;                /**< of C0, not customers at the end */
    uint64_t churned_reactivated; /**< of C0, cancelled and back within the period */
    uint64_t new_customers;       /**< first-time customers at the end */
    uint64_t reactivated;         /**< returning customers at the end */
    uint64_t joined_churned;      /**< joined and churned within the period */
    uint64_t due;                 /**< renewals due in the period */
    uint64_t renewed;             /**< of those, renewed */
    int64_t mrr_start;            /**< MRR0, minor units */
    int64_t mrr_new;              /**< MRR of new customers at the end */
    int64_t mrr_reactivation;     /**< MRR of reactivated customers at the end */
    int64_t mrr_expansion;        /**< MRR gained by retained customers */
    int64_t mrr_contraction;      /**< MRR lost by retained customers */
    int64_t mrr_churned;          /**< MRR0 of the lost customers */
} cxm_churn_counts;

/** Customer figures. CXM_EMPTY when C0 = 0 (counts still filled in). */
typedef struct cxm_churn_customer_result {
    uint32_t size;                /**< in: sizeof(cxm_churn_customer_result) */
    uint32_t reserved;            /**< out: 0 */
    uint64_t period;              /**< the period id */
    uint64_t customers_start;     /**< C0, customers at the start of the period */
    uint64_t lost;                /**< customers at the start, not at the end (churned) */
    uint64_t churned_reactivated; /**< cancelled and back within the period: retained */
    uint64_t new_customers;       /**< first-time customers at the end */
    uint64_t reactivated;         /**< returning customers at the end */
    uint64_t joined_churned;      /**< joined and churned within the period */
    uint64_t gained;              /**< new_customers + reactivated */
    uint64_t customers_end;       /**< C0 - lost + gained */
    double churn_rate;            /**< lost / C0, share in [0, 1] */
    cxm_interval churn_ci;        /**< Wilson interval of churn_rate */
    double retention_rate;        /**< 1 - churn_rate */
    cxm_interval retention_ci;    /**< [1 - churn upper, 1 - churn lower] */
    double net_growth;            /**< (gained - lost) / C0, may exceed 1 or be < 0 */
} cxm_churn_customer_result;

/** Revenue figures. CXM_EMPTY when MRR0 = 0 (amounts still filled in). */
typedef struct cxm_churn_revenue_result {
    uint32_t size;            /**< in: sizeof(cxm_churn_revenue_result) */
    uint32_t reserved;        /**< out: 0 */
    uint64_t period;          /**< the period id */
    int64_t mrr_start;        /**< MRR0, minor units */
    int64_t mrr_new;          /**< MRR of new customers at the end */
    int64_t mrr_reactivation; /**< MRR of reactivated customers at the end */
    int64_t mrr_expansion;    /**< MRR gained by retained customers */
    int64_t mrr_contraction;  /**< MRR lost by retained customers */
    int64_t mrr_churned;      /**< MRR0 of the lost customers */
    int64_t mrr_end;          /**< MRR0 + new + reactivation + expansion - contraction - churned */
    double gross_revenue_churn;   /**< (churned + contraction) / MRR0, in [0, 1] */
    double net_revenue_retention; /**< (MRR0 + expansion - contraction - churned) / MRR0 */
} cxm_churn_revenue_result;

/** Renewal figures. CXM_EMPTY when nothing was due (counts still filled in). */
typedef struct cxm_churn_renewal_result {
    uint32_t size;           /**< in: sizeof(cxm_churn_renewal_result) */
    uint32_t reserved;       /**< out: 0 */
    uint64_t period;         /**< the period id */
    uint64_t due;            /**< renewals due in the period */
    uint64_t renewed;        /**< of those, renewed */
    double renewal_rate;     /**< renewed / due */
    cxm_interval renewal_ci; /**< Wilson interval of renewal_rate */
} cxm_churn_renewal_result;

/** Bytes needed to place a churn accumulator in caller memory. */
CXM_EXPORT size_t cxm_churn_footprint(void);

/**
 * Creates an empty accumulator for the period `period` (any caller id).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL out, bad allocator);
 *         CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_new(uint64_t period, const cxm_allocator *alloc,
                                                  cxm_churn **out);

/**
 * As cxm_churn_new in caller memory (`size` >= cxm_churn_footprint(),
 * aligned to CXM_ALIGNMENT).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL or misaligned mem, NULL out);
 *         CXM_BUFFER_TOO_SMALL.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_init_in(void *mem, size_t size, uint64_t period,
                                                      cxm_churn **out);

/**
 * Adds one customer's period (see the table at the top of this header).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published,
 *         reserved fields not 0); CXM_OUT_OF_RANGE (unknown flag bit,
 *         RETURNING with AT_START, RENEWED without DUE, neither at start nor
 *         at end nor cancelled, negative MRR, MRR where the customer was not
 *         one); CXM_OVERFLOW.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_add(cxm_churn *churn,
                                                  const cxm_churn_customer *customer);

/**
 * Adds `n` customer records (each of the same `size`, the array's stride).
 * All or nothing; `*bad_index` (if not NULL) names the first bad record.
 * @return as cxm_churn_add (CXM_INVALID_ARGUMENT also for a NULL array with
 *         n > 0 or records of different sizes).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_add_many(cxm_churn *churn,
                                                       const cxm_churn_customer *customers,
                                                       size_t n, size_t *bad_index);

/**
 * Adds pre-aggregated counts of a shard of the same period.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, bad size or reserved);
 *         CXM_OUT_OF_RANGE (lost + churned_reactivated > customers_start,
 *         renewed > due, negative money, churned + contraction > mrr_start);
 *         CXM_OVERFLOW.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_add_counts(cxm_churn *churn,
                                                         const cxm_churn_counts *counts);

/**
 * Adds everything of `src` (same period) to `dst`.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_KIND_MISMATCH (another period);
 *         CXM_OVERFLOW (dst unchanged).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_merge(cxm_churn *dst, const cxm_churn *src);

/** Empties the accumulator; the period stays. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_reset(cxm_churn *churn);

/** Copies an accumulator (NULL alloc: the source's). @return CXM_OK; CXM_INVALID_ARGUMENT;
 * CXM_OUT_OF_MEMORY. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_clone(const cxm_churn *churn,
                                                    const cxm_allocator *alloc, cxm_churn **out);

/** The period id. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_period(const cxm_churn *churn, uint64_t *period);

/**
 * The accumulated counts (the same struct cxm_churn_add_counts takes).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_counts_get(const cxm_churn *churn,
                                                         cxm_churn_counts *out);

/**
 * Customer churn, retention and net growth.
 * @param level confidence level in (0, 1), 0 for 0.95
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_RANGE (level);
 *         CXM_EMPTY (no customer at start).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_customer_result_get(const cxm_churn *churn,
                                                                  double level,
                                                                  cxm_churn_customer_result *out);

/**
 * Gross revenue churn and net revenue retention.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_EMPTY (MRR0 = 0).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_revenue_result_get(const cxm_churn *churn,
                                                                 cxm_churn_revenue_result *out);

/**
 * Renewal rate.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_RANGE (level);
 *         CXM_EMPTY (nothing due).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_renewal_result_get(const cxm_churn *churn,
                                                                 double level,
                                                                 cxm_churn_renewal_result *out);

/** Encodes (see cxm_nps_encode). */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_encode(const cxm_churn *churn, uint8_t *buf,
                                                     size_t cap, size_t *len);

/**
 * Decodes; every count is checked against the consistency rules.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BAD_FORMAT; CXM_WRONG_TYPE;
 *         CXM_UNSUPPORTED_VERSION; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_decode(const uint8_t *buf, size_t len,
                                                     const cxm_allocator *alloc, cxm_churn **out);

/** Frees; NULL is a no-op. */
CXM_EXPORT void cxm_churn_free(cxm_churn *churn);

#ifdef __cplusplus
}
#endif

#endif /* CXM_CHURN_H */
