/*
 * live_check.h — the incremental == recomputation property of live
 * roll-ups as one comparison, shared by tests/test_live.c and the
 * sequence fuzzer: every figure of a roll-up that took adds, replaces and
 * retractions against the same figure of a fresh roll-up fed the final
 * records in one pass.
 */
#ifndef CXM_LIVE_CHECK_H
#define CXM_LIVE_CHECK_H

#include <cxm.h>

/*
 * NULL when every group's volume and rates, times (count, sum and sd
 * exactly; min and max within their end buckets and on the outer side of
 * the data, to the microsecond; mean, quantiles and the mean interval
 * within a bucket of the fresh figure), quantiles, CSAT, CES, SLA outcomes
 * read at `as_of` (counts, compliance and lateness mean exactly; the
 * largest lateness at least the fresh one and at most the lateness sum)
 * and every agent agree, with the same statuses; else a description of the
 * first difference. With `as_of` 0, SLA outcomes are read with
 * cxm_rollup_sla_get.
 */
const char *cxm_live_same_figures(const cxm_rollup *live, const cxm_rollup *fresh, int64_t as_of);

#endif
