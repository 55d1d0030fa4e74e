/**
 * @file
 * cxm/compare.h — is the change real? Two-sample tests between two
 * accumulators of the same family: two weeks, two windows, two channels.
 *
 * Every comparison is A against B: diff = figure(A) - figure(B), in the
 * unit of the figure (scale points for a mean, percentage points for a
 * share reported in percent, a share in [0, 1] for a rate). The two
 * samples are taken to be independent (different tickets or answers); a
 * comparison of one accumulator with itself is allowed but meaningless.
 *
 * Two accumulators are compared only where they answer the same question,
 * which is the rule their merge applies: the same scale and threshold for
 * CSAT and CES, the same use and definition for a rate, the same priority
 * levels for SLA (CXM_KIND_MISMATCH otherwise). NPS has its own comparison,
 * cxm_nps_compare (kinds are never compared across).
 *
 * THE TESTS
 *  - Means (CSAT, CES): Welch's t. se = sqrt(sA^2/nA + sB^2/nB),
 *    t = diff / se, degrees of freedom by Welch-Satterthwaite
 *    df = se^4 / ((sA^2/nA)^2/(nA-1) + (sB^2/nB)^2/(nB-1)) (not rounded);
 *    p = 2 P(T_df > |t|); interval diff +- t(1 - (1 - level)/2, df) se.
 *    Each side needs 2 answers (one answer has no spread): CXM_EMPTY
 *    otherwise.
 *  - Shares (CSAT satisfied, CES easy, rates, SLA compliance, churn and
 *    renewal rates): the two-proportion z test with the pooled share
 *    pbar = (kA + kB) / (nA + nB): se = sqrt(pbar (1 - pbar)
 *    (1/nA + 1/nB)), z = diff / se, p = erfc(|z| / sqrt 2). The interval is
 *    Newcombe's hybrid score interval (his method 10), built from the two
 *    Wilson intervals (lA, uA) and (lB, uB):
 *    [diff - sqrt((pA - lA)^2 + (uB - pB)^2), diff + sqrt((uA - pA)^2 +
 *    (pB - lB)^2)]. It keeps good coverage for small samples and shares
 *    near 0 or 1, where diff +- z se does not. The test and the interval
 *    are the standard pair but not exact duals: near the boundary the
 *    interval may just include 0 while p < 1 - level, or the reverse;
 *    `significant` follows p. Each side needs one trial: CXM_EMPTY
 *    otherwise.
 *  - Edge values, never NaN: when se = 0 (both samples constant) the
 *    statistic is 0 if diff = 0 (p = 1) and +-infinity otherwise (p = 0);
 *    Welch's df is then nA + nB - 2.
 *  - The median of durations: see cxm_duration_compare_median. The
 *    distribution of a duration is not normal and the sketch keeps no
 *    sample, so no p-value is given for it; instead an interval that holds
 *    without any assumption on the distribution.
 *
 * Revenue churn and net revenue retention are not compared: they are sums
 * of money over the whole customer base, not samples, and have no sampling
 * error to test against.
 */
#ifndef CXM_COMPARE_H
#define CXM_COMPARE_H

#include "common.h"
#include "ces.h"
#include "churn.h"
#include "csat.h"
#include "duration.h"
#include "rate.h"
#include "rollup.h"
#include "sla.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The test behind a cxm_comparison. Values are pinned. */
typedef enum cxm_test {
    CXM_TEST_WELCH = 1,       /**< difference of two means: Welch's t */
    CXM_TEST_PROPORTIONS = 2, /**< difference of two shares: pooled z test, Newcombe interval */
} cxm_test;

/**
 * A two-sample comparison, A against B. Set `size` = sizeof(cxm_comparison).
 * In a CXM_EMPTY result the sizes and the figure of a side that has data
 * are still filled in; has_a and has_b say which side has one. The size of
 * the struct's first version (without them) is accepted.
 */
typedef struct cxm_comparison {
    uint32_t size;        /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;    /**< out: 0 */
    uint32_t test;        /**< cxm_test used */
    uint32_t significant; /**< 1 if p < 1 - level, else 0 */
    uint64_t n_a;         /**< sample size of A: answers or trials */
    uint64_t n_b;         /**< sample size of B */
    double value_a;       /**< the figure of A, in the unit the function names */
    double value_b;       /**< the figure of B */
    double diff;          /**< value_a - value_b */
    double se;            /**< standard error of diff used by the test (pooled for shares) */
    double statistic;     /**< t or z = diff / se (0 or +-infinity when se = 0) */
    double df;            /**< Welch's degrees of freedom; 0 for a z test */
    double p;             /**< two-sided p-value, in [0, 1] */
    cxm_interval ci;      /**< interval of diff at `level`; always contains diff */
    uint32_t has_a;       /**< (appended) 1 if value_a has a value (A has data); 0: "no data" */
    uint32_t has_b;       /**< (appended) 1 if value_b has a value; 0: "no data". The
                               difference and its test have a value only when the call
                               returns CXM_OK */
} cxm_comparison;

/**
 * Mean CSAT of A against B (Welch's t; scale points).
 * @param level confidence level in (0, 1), 0 for 0.95
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size too small);
 *         CXM_KIND_MISMATCH (another scale or threshold); CXM_OUT_OF_RANGE
 *         (level); CXM_EMPTY (fewer than 2 answers on a side).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_csat_compare_mean(const cxm_csat *a, const cxm_csat *b,
                                                          double level, cxm_comparison *out);

/**
 * Satisfied share of A against B (two proportions; percentage points).
 * @return as cxm_csat_compare_mean, CXM_EMPTY when a side has no answer.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_csat_compare_satisfied(const cxm_csat *a, const cxm_csat *b,
                                                               double level, cxm_comparison *out);

/**
 * Mean CES of A against B (Welch's t; scale points).
 * @return as cxm_csat_compare_mean (another scale, threshold or direction
 *         is CXM_KIND_MISMATCH).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_ces_compare_mean(const cxm_ces *a, const cxm_ces *b,
                                                         double level, cxm_comparison *out);

/**
 * "Easy" share of A against B (two proportions; percentage points).
 * @return as cxm_csat_compare_satisfied.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_ces_compare_easy(const cxm_ces *a, const cxm_ces *b,
                                                         double level, cxm_comparison *out);

/**
 * Rate of A against B (two proportions; a share in [0, 1], so diff is in
 * [-1, 1]).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_KIND_MISMATCH (another use or
 *         definition); CXM_OUT_OF_RANGE (level); CXM_EMPTY (no trial on a side).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rate_compare(const cxm_rate *a, const cxm_rate *b,
                                                     double level, cxm_comparison *out);

/**
 * SLA compliance of one priority (or CXM_SLA_ALL_PRIORITIES) and metric, A
 * against B (two proportions over the targets that ended; percentage
 * points). Targets still running are not trials, as in cxm_sla_result_get.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_KIND_MISMATCH (different
 *         numbers of levels); CXM_CAPACITY (priority); CXM_OUT_OF_RANGE
 *         (metric, level); CXM_EMPTY (no target ended on a side).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_compare(const cxm_sla *a, const cxm_sla *b,
                                                    uint32_t priority, uint32_t metric,
                                                    double level, cxm_comparison *out);

/**
 * Customer churn rate of period A against period B (two proportions: lost
 * out of the customers at the start; a share in [0, 1]). Periods differ by
 * design: that is what is compared.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_RANGE (level);
 *         CXM_EMPTY (no customer at the start of a period).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_compare_churn(const cxm_churn *a, const cxm_churn *b,
                                                            double level, cxm_comparison *out);

/**
 * Renewal rate of period A against period B (two proportions: renewed out
 * of due; a share in [0, 1]).
 * @return as cxm_churn_compare_churn; CXM_EMPTY when nothing fell due on a side.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_churn_compare_renewal(const cxm_churn *a,
                                                              const cxm_churn *b, double level,
                                                              cxm_comparison *out);

/**
 * The share of durations at or below a threshold ("answered within 1
 * hour"), from the sketch. Set `size` = sizeof(cxm_duration_share).
 *
 * ACCURACY. Every bucket of the sketch wholly at or below the threshold is
 * counted exactly, so is every bucket wholly above it; only the one bucket
 * that holds the threshold, [a, b) with b <= a (1 + 1/64), is uncertain.
 * `within_low` counts what is surely within, `within_high` adds that
 * bucket: the exact count lies in [within_low, within_high], and the
 * uncertain bucket spans at most 1/64 (1.6%) of the threshold asked (so
 * within_high is at most the exact count at 1.016 times the threshold).
 * The bucket is narrowed to the exact
 * minimum and maximum (and, in the underflow and overflow buckets, to
 * their kept extremes), and the estimate `within` apportions it linearly
 * over that range, as if its values were spread evenly. The interval
 * covers both errors: from the Wilson lower bound of within_low / n to the
 * Wilson upper bound of within_high / n.
 */
typedef struct cxm_duration_share {
    uint32_t size;        /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;    /**< out: 0 */
    uint64_t n;           /**< durations (exact) */
    uint64_t within_low;  /**< durations surely <= threshold (exact lower bound) */
    uint64_t within_high; /**< durations possibly <= threshold (exact upper bound) */
    double threshold;     /**< seconds, as asked */
    double within;        /**< estimated count <= threshold, in [within_low, within_high] */
    double share;         /**< within / n, a share in [0, 1] */
    cxm_interval ci;      /**< sampling and sketch error together, a share in [0, 1] */
} cxm_duration_share;

/**
 * Share of durations at or below `threshold` seconds (see cxm_duration_share).
 * @param level confidence level in (0, 1), 0 for 0.95
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size too small);
 *         CXM_OUT_OF_RANGE (threshold negative or NaN, level); CXM_EMPTY
 *         (no duration: n = 0 is filled in).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_share_within(const cxm_duration *d,
                                                              double threshold, double level,
                                                              cxm_duration_share *out);

/**
 * The same share for one time of one roll-up group ("first replies within
 * 1 hour on the email channel"); group, id and time as in
 * cxm_rollup_quantile.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size too small, unknown time
 *         or one the roll-up does not keep); CXM_CAPACITY (id);
 *         CXM_OUT_OF_RANGE (threshold, level); CXM_EMPTY (no duration).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_share_within(const cxm_rollup *rollup,
                                                            uint32_t group, uint32_t id,
                                                            uint32_t time, double threshold,
                                                            double level, cxm_duration_share *out);

/**
 * A distribution-free interval of the median duration (seconds): the
 * order statistics of ranks j - 1 and n - j (0-based), with j the largest
 * rank such that P(B < j) <= (1 - level) / 2 for B ~ Binomial(n, 1/2), so
 * that the interval covers the true median with probability >= level
 * whatever the distribution (ties only make it more conservative). Each
 * end is then widened to the whole bucket of the sketch that holds that
 * rank (narrowed to the exact min and max), so the sketch's error is
 * covered too. With too few durations for any such pair of ranks (n < 6
 * at 0.95) the interval is [0, CXM_DURATION_MAX]: the data cannot bound
 * the median at that level. Binomial tails come from the incomplete beta
 * function up to 10^7 durations (relative error below 1e-8, far finer than
 * a rank) and from the normal approximation with continuity correction
 * beyond.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_RANGE (level);
 *         CXM_EMPTY (no duration).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_duration_median_interval(const cxm_duration *d,
                                                                 double level, cxm_interval *out);

/**
 * Change of the median duration, A against B. Set `size` =
 * sizeof(cxm_duration_median_comparison).
 */
typedef struct cxm_duration_median_comparison {
    uint32_t size;        /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;    /**< out: 0 */
    uint32_t significant; /**< 1 if the interval of diff excludes 0 */
    uint32_t reserved2;   /**< out: 0 */
    uint64_t n_a;         /**< durations in A */
    uint64_t n_b;         /**< durations in B */
    double median_a;      /**< seconds, as cxm_duration_quantile(a, 0.5) */
    double median_b;      /**< seconds */
    double diff;          /**< median_a - median_b, seconds */
    cxm_interval ci_a;    /**< distribution-free interval of A's median at sqrt(level) */
    cxm_interval ci_b;    /**< of B's median at sqrt(level) */
    cxm_interval ci;      /**< [ci_a.lower - ci_b.upper, ci_a.upper - ci_b.lower], level `level` */
    uint32_t has_a;       /**< (appended) 1 if median_a and ci_a have a value; 0: "no data" */
    uint32_t has_b;       /**< (appended) 1 if median_b and ci_b have a value; 0: "no data" */
} cxm_duration_median_comparison;

/**
 * Change of the median duration with a distribution-free interval: each
 * median's interval (cxm_duration_median_interval) is taken at
 * sqrt(level), so that both hold together with probability >= level
 * (independent samples), and the difference then lies in
 * [lowA - highB, highA - lowB]. Conservative by construction; no p-value
 * is given (see the top of this header). `ci.level` is `level`.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_KIND_MISMATCH (different
 *         metrics); CXM_OUT_OF_RANGE (level); CXM_EMPTY (a side has no
 *         duration: the other side's median and interval are filled in,
 *         has_a and has_b say which). The size of the struct's first
 *         version (without has_a and has_b) is accepted.
 */
CXM_EXPORT CXM_NODISCARD cxm_status
cxm_duration_compare_median(const cxm_duration *a, const cxm_duration *b, double level,
                            cxm_duration_median_comparison *out);

#ifdef __cplusplus
}
#endif

#endif /* CXM_COMPARE_H */
