/*
 * sizes.h — the sizes every public sized struct has been published with.
 *
 * A caller sets `size` to sizeof the struct as its header declared it. The
 * library accepts exactly the sizes listed here for that struct — one per
 * published version, oldest first, the last being the current sizeof — and
 * refuses every other value with CXM_INVALID_ARGUMENT: a size that cuts a
 * field in half, one below the first version, one beyond the current
 * struct, or garbage. It then reads and writes min(size, current) bytes, so
 * no claimed size can make it touch memory past the current struct.
 *
 * Growing a struct (a new published version):
 *   1. append the new fields at the end, starting at the old sizeof (never
 *      inside the old struct's tail padding: add an explicit reserved field
 *      if alignment would put one there), so each version has its own size;
 *   2. in the struct's row below, write the old current size as
 *      offsetof(type, first_new_field) and append sizeof(type);
 *   3. say in the header which release added the fields.
 * tests/test_core.c checks every row: ascending, first >= 8, last == sizeof.
 * (Results with two sizes gained their has_ "no value" flags after release.)
 */
#ifndef CXM_SIZES_H
#define CXM_SIZES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm.h"

/* Published versions a struct may have (raise when a row needs more). */
#define CXM_SIZES_MAX 8

typedef struct cxm_sizes {
    const char *name;
    uint32_t current;             /* sizeof the struct in this release */
    uint32_t n;                   /* number of published versions */
    uint32_t size[CXM_SIZES_MAX]; /* their sizes, ascending; size[n - 1] == current */
} cxm_sizes;

/* One row per public struct that begins with `uint32_t size`. */
#define CXM_SIZED_STRUCTS(X)                                                                       \
    X(cxm_allocator, sizeof(cxm_allocator))                                                        \
    X(cxm_calendar_config, sizeof(cxm_calendar_config))                                            \
    X(cxm_comparison, offsetof(cxm_comparison, has_a), sizeof(cxm_comparison))                     \
    X(cxm_duration_median_comparison, offsetof(cxm_duration_median_comparison, has_a),             \
      sizeof(cxm_duration_median_comparison))                                                      \
    X(cxm_duration_share, sizeof(cxm_duration_share))                                              \
    X(cxm_series_options, sizeof(cxm_series_options))                                              \
    X(cxm_series_bucket_info, sizeof(cxm_series_bucket_info))                                      \
    X(cxm_backlog_result, sizeof(cxm_backlog_result))                                              \
    X(cxm_ces_options, sizeof(cxm_ces_options))                                                    \
    X(cxm_ces_result, offsetof(cxm_ces_result, has_sd), sizeof(cxm_ces_result))                    \
    X(cxm_churn_customer, sizeof(cxm_churn_customer))                                              \
    X(cxm_churn_counts, sizeof(cxm_churn_counts))                                                  \
    X(cxm_churn_customer_result, sizeof(cxm_churn_customer_result))                                \
    X(cxm_churn_revenue_result, sizeof(cxm_churn_revenue_result))                                  \
    X(cxm_churn_renewal_result, sizeof(cxm_churn_renewal_result))                                  \
    X(cxm_csat_options, sizeof(cxm_csat_options))                                                  \
    X(cxm_csat_result, offsetof(cxm_csat_result, has_sd), sizeof(cxm_csat_result))                 \
    X(cxm_duration_options, offsetof(cxm_duration_options, memory_budget),                         \
      sizeof(cxm_duration_options))                                                                \
    X(cxm_duration_result, offsetof(cxm_duration_result, has_sd), sizeof(cxm_duration_result))     \
    X(cxm_duration_view, sizeof(cxm_duration_view))                                                \
    X(cxm_survival_options, sizeof(cxm_survival_options))                                          \
    X(cxm_maturity_answers, sizeof(cxm_maturity_answers))                                          \
    X(cxm_maturity_result, sizeof(cxm_maturity_result))                                            \
    X(cxm_nps_result, sizeof(cxm_nps_result))                                                      \
    X(cxm_nps_comparison, sizeof(cxm_nps_comparison))                                              \
    X(cxm_nps_gap, offsetof(cxm_nps_gap, has_ours), sizeof(cxm_nps_gap))                           \
    X(cxm_rate_result, sizeof(cxm_rate_result))                                                    \
    /* The first ticket ended with on_hold; csat and ces came with CSAT/CES roll-ups, then */      \
    /* nps, transfers and handle_time. */                                                          \
    X(cxm_ticket, offsetof(cxm_ticket, csat), offsetof(cxm_ticket, nps), sizeof(cxm_ticket))       \
    /* The first roll-up options ended with reserved2; the CSAT, CES and SLA settings followed, */ \
    /* then the running-target capacity of live mode, then the memory budget, the open-ticket */   \
    /* index, the agent kind and the crosses, together. */                                         \
    X(cxm_rollup_options, offsetof(cxm_rollup_options, csat),                                      \
      offsetof(cxm_rollup_options, running), offsetof(cxm_rollup_options, memory_budget),          \
      sizeof(cxm_rollup_options))                                                                  \
    X(cxm_rollup_result, offsetof(cxm_rollup_result, has_fcr),                                     \
      offsetof(cxm_rollup_result, unresolved), sizeof(cxm_rollup_result))                          \
    X(cxm_rollup_time_result, offsetof(cxm_rollup_time_result, has_sd),                            \
      sizeof(cxm_rollup_time_result))                                                              \
    X(cxm_rollup_agent_result, sizeof(cxm_rollup_agent_result))                                    \
    X(cxm_sla_clock_status, sizeof(cxm_sla_clock_status))                                          \
    X(cxm_sla_outcome, sizeof(cxm_sla_outcome))                                                    \
    X(cxm_sla_result, offsetof(cxm_sla_result, has_compliance), sizeof(cxm_sla_result))            \
    X(cxm_survival_result, offsetof(cxm_survival_result, has_closed), sizeof(cxm_survival_result))

#define CXM_SIZES_DECLARE(type, ...) extern const cxm_sizes cxm_sizes_##type;
CXM_SIZED_STRUCTS(CXM_SIZES_DECLARE)
#undef CXM_SIZES_DECLARE

/* Every row, for the test that checks them. */
extern const cxm_sizes *const cxm_sizes_all[];
extern const size_t cxm_sizes_all_count;

/*
 * The row of the struct `p` points to, chosen by p's type at compile time:
 * a struct without a row does not compile, so no call can forget its table.
 */
#define CXM_SIZES_CASE(type, ...) type * : &cxm_sizes_##type, const type * : &cxm_sizes_##type,
#define CXM_SIZES(p)                                                                               \
    _Generic((p), CXM_SIZED_STRUCTS(CXM_SIZES_CASE) cxm_sizes * : (const cxm_sizes *)NULL)

/* Whether `size` is one of the row's published sizes. */
bool cxm_size_ok(const cxm_sizes *t, uint32_t size);

#endif /* CXM_SIZES_H */
