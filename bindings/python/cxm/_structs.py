"""The C structs that cross the boundary, as ctypes declares them.

Each mirrors its declaration in include/cxm/*.h field for field, fields
marked "(appended)" there included: the `has_<part>` flags that say whether a
part of a result has a value. `size` is set to the struct's size before a
call, so a library built with a larger (newer) struct still answers this one
correctly.
"""
import ctypes as C

u32, i32, u64, i64, dbl = C.c_uint32, C.c_int32, C.c_uint64, C.c_int64, C.c_double


class Struct(C.Structure):
    """A sized struct: `size` is filled in at construction."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.size = C.sizeof(self)


def _s(name, fields):
    return type(name, (Struct,), {"_fields_": fields})


Interval = type("cxm_interval", (C.Structure,),
                {"_fields_": [("lower", dbl), ("upper", dbl), ("level", dbl)]})
HEAD = [("size", u32), ("reserved", u32)]

NpsResult = _s("cxm_nps_result", HEAD + [
    ("kind", u32), ("brand", u32), ("method", u32), ("reserved2", u32),
    ("n", u64), ("promoters", u64), ("passives", u64), ("detractors", u64),
    ("weight_total", dbl), ("n_effective", dbl), ("promoter_pct", dbl), ("passive_pct", dbl),
    ("detractor_pct", dbl), ("nps", dbl), ("se", dbl), ("ci", Interval)])

NpsComparison = _s("cxm_nps_comparison", HEAD + [
    ("significant", u32), ("method", u32), ("diff", dbl), ("se", dbl), ("z", dbl), ("p", dbl),
    ("ci", Interval)])

NpsGap = _s("cxm_nps_gap", HEAD + [
    ("brand", u32), ("significant", u32), ("n_ours", u64), ("n_theirs", u64),
    ("nps_ours", dbl), ("nps_theirs", dbl), ("gap", dbl), ("se", dbl), ("z", dbl), ("p", dbl),
    ("ci", Interval), ("has_ours", u32), ("has_theirs", u32)])

CsatOptions = _s("cxm_csat_options", HEAD + [
    ("scale_min", i32), ("scale_max", i32), ("threshold", i32), ("reserved2", u32)])

CsatResult = _s("cxm_csat_result", HEAD + [
    ("scale_min", i32), ("scale_max", i32), ("threshold", i32), ("reserved2", u32),
    ("n", u64), ("satisfied", u64), ("mean", dbl), ("sd", dbl), ("median", dbl),
    ("mean_ci", Interval), ("satisfied_pct", dbl), ("satisfied_ci", Interval),
    ("has_sd", u32), ("reserved3", u32)])

CesOptions = _s("cxm_ces_options", HEAD + [
    ("scale_min", i32), ("scale_max", i32), ("threshold", i32), ("direction", u32)])

CesResult = _s("cxm_ces_result", HEAD + [
    ("scale_min", i32), ("scale_max", i32), ("threshold", i32), ("direction", u32),
    ("n", u64), ("easy", u64), ("mean", dbl), ("sd", dbl), ("median", dbl),
    ("mean_ci", Interval), ("easy_pct", dbl), ("easy_ci", Interval),
    ("index_defined", u32), ("reserved2", u32), ("index_easy", u64), ("index_hard", u64),
    ("index", dbl), ("index_se", dbl), ("index_ci", Interval), ("has_sd", u32),
    ("reserved3", u32)])

DurationOptions = _s("cxm_duration_options", HEAD + [("metric", u32), ("reserved2", u32),
                                                     ("memory_budget", u64)])

DurationResult = _s("cxm_duration_result", HEAD + [
    ("metric", u32), ("reserved2", u32), ("n", u64), ("underflow", u64), ("overflow", u64),
    ("sum", dbl), ("mean", dbl), ("sd", dbl), ("min", dbl), ("max", dbl), ("median", dbl),
    ("p90", dbl), ("p99", dbl), ("mean_ci", Interval), ("has_sd", u32), ("reserved3", u32)])

DurationView = _s("cxm_duration_view", HEAD + [
    ("metric", u32), ("reserved2", u32), ("n", u64), ("mean", dbl), ("median", dbl),
    ("p90", dbl)])

SurvivalResult = _s("cxm_survival_result", HEAD + [
    ("n", u64), ("resolved", u64), ("open", u64), ("median_reached", u32),
    ("ci_lower_reached", u32), ("ci_upper_reached", u32), ("reserved2", u32),
    ("median", dbl), ("median_ci", Interval), ("survival_end", dbl), ("closed_mean", dbl),
    ("closed_median", dbl), ("open_share", dbl), ("oldest_open", dbl), ("has_closed", u32),
    ("has_oldest_open", u32)])

RateResult = _s("cxm_rate_result", HEAD + [
    ("use", u32), ("definition", u32), ("successes", u64), ("trials", u64), ("failures", u64),
    ("rate", dbl), ("ci", Interval)])

CalendarConfig = _s("cxm_calendar_config", HEAD + [
    ("max_intervals", u32), ("max_holidays", u32), ("max_changes", u32), ("utc_offset", i32)])

SlaClockStatus = _s("cxm_sla_clock_status", HEAD + [
    ("state", u32), ("breached", u32), ("mode", u32), ("has_breach_at", u32),
    ("target", i64), ("elapsed", i64), ("time_left", i64), ("pct_elapsed", dbl),
    ("start", i64), ("breach_at", i64), ("lateness", i64), ("paused", i64),
    ("paused_counted", i64), ("end", i64)])

SlaOutcome = _s("cxm_sla_outcome", HEAD + [
    ("priority", u32), ("metric", u32), ("outcome", u32), ("past_due", u32), ("mode", u32),
    ("has_breach_at", u32), ("target", i64), ("elapsed", i64), ("breach_at", i64),
    ("lateness", i64), ("paused", i64), ("paused_counted", i64)])

SlaResult = _s("cxm_sla_result", HEAD + [
    ("priority", u32), ("metric", u32), ("achieved", u64), ("breached", u64), ("active", u64),
    ("active_past_due", u64), ("compliance_pct", dbl), ("ci", Interval),
    ("lateness_mean", dbl), ("lateness_max", dbl), ("has_compliance", u32),
    ("has_lateness", u32)])

ChurnCustomer = _s("cxm_churn_customer", HEAD + [
    ("flags", u32), ("reserved2", u32), ("mrr_start", i64), ("mrr_end", i64)])

ChurnCounts = _s("cxm_churn_counts", HEAD + [
    ("customers_start", u64), ("lost", u64), ("churned_reactivated", u64),
    ("new_customers", u64), ("reactivated", u64), ("joined_churned", u64), ("due", u64),
    ("renewed", u64), ("mrr_start", i64), ("mrr_new", i64), ("mrr_reactivation", i64),
    ("mrr_expansion", i64), ("mrr_contraction", i64), ("mrr_churned", i64)])

ChurnCustomerResult = _s("cxm_churn_customer_result", HEAD + [
    ("period", u64), ("customers_start", u64), ("lost", u64), ("churned_reactivated", u64),
    ("new_customers", u64), ("reactivated", u64), ("joined_churned", u64), ("gained", u64),
    ("customers_end", u64), ("churn_rate", dbl), ("churn_ci", Interval),
    ("retention_rate", dbl), ("retention_ci", Interval), ("net_growth", dbl)])

ChurnRevenueResult = _s("cxm_churn_revenue_result", HEAD + [
    ("period", u64), ("mrr_start", i64), ("mrr_new", i64), ("mrr_reactivation", i64),
    ("mrr_expansion", i64), ("mrr_contraction", i64), ("mrr_churned", i64), ("mrr_end", i64),
    ("gross_revenue_churn", dbl), ("net_revenue_retention", dbl)])

ChurnRenewalResult = _s("cxm_churn_renewal_result", HEAD + [
    ("period", u64), ("due", u64), ("renewed", u64), ("renewal_rate", dbl),
    ("renewal_ci", Interval)])

MaturityAnswers = _s("cxm_maturity_answers", HEAD + [
    ("enough_agents", u32), ("well_trained", u32), ("tools_satisfied", u32),
    ("kpis_comprehensive", u32), ("kpis_realtime", u32), ("feedback_acted_on", u32),
    ("feedback_quickly", u32), ("reserved2", u32)])

MaturityResult = _s("cxm_maturity_result", HEAD + [("score", u32), ("level", u32)])

Ticket = _s("cxm_ticket", HEAD + [
    ("created", i64), ("first_reply", i64), ("first_solved", i64), ("last_solved", i64),
    ("reopens", u32), ("agent_replies", u32), ("customer_replies", u32), ("priority", u32),
    ("channel", u32), ("topic", u32), ("agent", u32), ("flags", u32),
    ("requester_wait", dbl), ("agent_work", dbl), ("on_hold", dbl), ("csat", i32),
    ("ces", i32), ("nps", i32), ("transfers", u32), ("handle_time", dbl)])

RollupCross = _s("cxm_rollup_cross", [("first", u32), ("second", u32)])

RollupOptions = _s("cxm_rollup_options", HEAD + [
    ("channels", u32), ("topics", u32), ("priorities", u32), ("agents", u32), ("times", u32),
    ("reserved2", u32), ("csat", C.POINTER(CsatOptions)), ("ces", C.POINTER(CesOptions)),
    ("sla_policy", C.c_void_p), ("calendar", C.c_void_p), ("sla_as_of", i64),
    ("running", u32), ("reserved3", u32), ("memory_budget", u64), ("open", u32),
    ("reserved4", u32), ("agent_kind", u32), ("crosses", u32), ("cross", RollupCross * 4)])

RollupResult = _s("cxm_rollup_result", HEAD + [
    ("group", u32), ("id", u32), ("fcr_profile", u32), ("reserved2", u32),
    ("tickets", u64), ("solved", u64), ("open", u64), ("ever_solved", u64), ("reopened", u64),
    ("reopens", u64), ("self_service", u64), ("assisted", u64), ("replied", u64),
    ("agent_replies", u64), ("customer_replies", u64), ("fcr", RateResult),
    ("reopen", RateResult), ("deflection", RateResult), ("has_fcr", u32), ("has_reopen", u32),
    ("has_deflection", u32), ("reserved3", u32), ("unresolved", u64), ("transferred", u64),
    ("transfers", u64), ("closed", u64), ("unresolved_share", RateResult),
    ("transfer_rate", RateResult), ("has_unresolved_share", u32),
    ("has_transfer_rate", u32)])

RollupTimeResult = _s("cxm_rollup_time_result", HEAD + [
    ("group", u32), ("id", u32), ("time", u32), ("reserved2", u32), ("n", u64), ("mean", dbl),
    ("sd", dbl), ("min", dbl), ("max", dbl), ("median", dbl), ("p90", dbl), ("has_sd", u32),
    ("reserved3", u32)])

RollupAgentResult = _s("cxm_rollup_agent_result", HEAD + [
    ("agent", u32), ("reserved2", u32), ("tickets", u64), ("solved", u64)])

Comparison = _s("cxm_comparison", HEAD + [
    ("test", u32), ("significant", u32), ("n_a", u64), ("n_b", u64), ("value_a", dbl),
    ("value_b", dbl), ("diff", dbl), ("se", dbl), ("statistic", dbl), ("df", dbl), ("p", dbl),
    ("ci", Interval), ("has_a", u32), ("has_b", u32)])

DurationShare = _s("cxm_duration_share", HEAD + [
    ("n", u64), ("within_low", u64), ("within_high", u64), ("threshold", dbl), ("within", dbl),
    ("share", dbl), ("ci", Interval)])

DurationMedianComparison = _s("cxm_duration_median_comparison", HEAD + [
    ("significant", u32), ("reserved2", u32), ("n_a", u64), ("n_b", u64), ("median_a", dbl),
    ("median_b", dbl), ("diff", dbl), ("ci_a", Interval), ("ci_b", Interval), ("ci", Interval),
    ("has_a", u32), ("has_b", u32)])


SeriesOptions = _s("cxm_series_options", HEAD + [
    ("width", u32), ("buckets", u32), ("utc_offset", i32), ("flags", u32), ("max_ahead", u32),
    ("reserved2", u32), ("start", i64), ("calendar", C.c_void_p)])

SeriesBucketInfo = _s("cxm_series_bucket_info", HEAD + [
    ("number", i64), ("local_start", i64), ("start", i64), ("end", i64)])

BacklogResult = _s("cxm_backlog_result", HEAD + [
    ("number", i64), ("local_start", i64), ("start", i64), ("end", i64), ("created", u64),
    ("solved", u64), ("open", u64), ("has_bucket", u32), ("reserved2", u32)])
