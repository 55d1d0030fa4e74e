/*
 * Prints the layout of the structs the Python package mirrors with ctypes
 * (bindings/python/cxm/_structs.py), as this compiler lays them out from
 * the public headers: "name size" for each struct, "name.field offset" for
 * the has_ flags appended after a struct's first version. test_flags.py
 * compares these lines with the ctypes declarations, so a field added to a
 * header and not to the package, or padded differently, fails a test.
 */
#include <stddef.h>
#include <stdio.h>

#include "cxm.h"

#define SIZE(t) printf("%s %zu\n", #t, sizeof(t))
#define AT(t, f) printf("%s.%s %zu\n", #t, #f, offsetof(t, f))

int main(void)
{
    SIZE(cxm_interval);
    SIZE(cxm_nps_result);
    SIZE(cxm_nps_comparison);
    SIZE(cxm_nps_gap);
    SIZE(cxm_csat_options);
    SIZE(cxm_csat_result);
    SIZE(cxm_ces_options);
    SIZE(cxm_ces_result);
    SIZE(cxm_duration_options);
    SIZE(cxm_duration_result);
    SIZE(cxm_duration_view);
    SIZE(cxm_survival_result);
    SIZE(cxm_rate_result);
    SIZE(cxm_calendar_config);
    SIZE(cxm_sla_clock_status);
    SIZE(cxm_sla_outcome);
    SIZE(cxm_sla_result);
    SIZE(cxm_churn_customer);
    SIZE(cxm_churn_counts);
    SIZE(cxm_churn_customer_result);
    SIZE(cxm_churn_revenue_result);
    SIZE(cxm_churn_renewal_result);
    SIZE(cxm_maturity_answers);
    SIZE(cxm_maturity_result);
    SIZE(cxm_ticket);
    SIZE(cxm_rollup_options);
    SIZE(cxm_rollup_cross);
    SIZE(cxm_rollup_result);
    SIZE(cxm_rollup_time_result);
    SIZE(cxm_rollup_agent_result);
    SIZE(cxm_comparison);
    SIZE(cxm_duration_share);
    SIZE(cxm_duration_median_comparison);
    SIZE(cxm_series_options);
    SIZE(cxm_series_bucket_info);
    SIZE(cxm_backlog_result);
    AT(cxm_backlog_result, open);
    AT(cxm_backlog_result, has_bucket);

    AT(cxm_nps_gap, has_ours);
    AT(cxm_nps_gap, has_theirs);
    AT(cxm_csat_result, has_sd);
    AT(cxm_ces_result, has_sd);
    AT(cxm_duration_result, has_sd);
    AT(cxm_survival_result, has_closed);
    AT(cxm_survival_result, has_oldest_open);
    AT(cxm_sla_clock_status, has_breach_at);
    AT(cxm_sla_outcome, has_breach_at);
    AT(cxm_sla_result, has_compliance);
    AT(cxm_sla_result, has_lateness);
    AT(cxm_rollup_result, has_fcr);
    AT(cxm_rollup_result, has_reopen);
    AT(cxm_rollup_result, has_deflection);
    AT(cxm_rollup_result, has_unresolved_share);
    AT(cxm_rollup_result, has_transfer_rate);
    AT(cxm_rollup_time_result, has_sd);
    AT(cxm_comparison, has_a);
    AT(cxm_comparison, has_b);
    AT(cxm_duration_median_comparison, has_a);
    AT(cxm_duration_median_comparison, has_b);
    return 0;
}
