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

/*
 * The same comparison for one group of x, (kind, id), against one group of
 * y, (ky, iy): an agent's group or a cell against the overall group of a
 * roll-up fed only that agent's or that cell's tickets, for example.
 */
const char *cxm_group_same_figures(const cxm_rollup *x, uint32_t kind, uint32_t id,
                                   const cxm_rollup *y, uint32_t ky, uint32_t iy, int64_t as_of);

/* Group kinds of a roll-up (cxm_rollup_group values 0..5). */
#define CXM_ROLLUP_KINDS 6u
/* How many groups of each kind the options make (agents: 0 when counted apart). */
void cxm_rollup_group_counts(const cxm_rollup_options *o, uint32_t count[CXM_ROLLUP_KINDS]);

#endif
