/*
 * rollup_survival.c — resolution time per group with open tickets censored
 * at the instant the figures are read: the Kaplan-Meier curve of
 * cxm/survival.h over the group's full resolution times (the events) and
 * the ages at `as_of` of its open tickets, taken from the open-ticket index
 * (creation instants, capacity fixed at creation), next to the closed-only
 * mean and median.
 */
#include "rollup_impl.h"
#include "rollup_index.h"
#include "survival_core.h"

cxm_status cxm_rollup_survival_get_at(const cxm_rollup *rollup, uint32_t group, uint32_t id,
                                      int64_t as_of, double level, const double *times,
                                      double *survival, size_t ntimes, cxm_survival_result *out)
{
    if (!rollup || (ntimes > 0 && (!times || !survival))) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    uint32_t gi = 0;
    if (st == CXM_OK) st = rollup_group_index(rollup, group, id, &gi);
    double lv, z;
    if (st == CXM_OK) st = cxm_level_z(level, &lv, &z);
    if (st != CXM_OK) return st;
    int slot = rollup_time_slot(rollup, CXM_ROLLUP_FULL_RESOLUTION);
    if (rollup->cfg.open == 0 || slot < 0) return CXM_INVALID_ARGUMENT;
    if (!cxm_time_ok(as_of)) return CXM_OUT_OF_RANGE;
    for (size_t i = 0; i < ntimes; i++)
        if (!(times[i] >= 0.0 && isfinite(times[i]))) return CXM_OUT_OF_RANGE;
    /* Sorted by creation: the last entry is the newest open ticket. */
    const rix *x = open_of(rollup);
    const rollup_run *newest = rix_last(x);
    if ((newest && as_of < newest->due) ||
        (rollup->latest != ROLLUP_NO_LATEST && as_of < rollup->latest))
        return CXM_BAD_ORDER;
    /* The ages at as_of of the group's open tickets, in a sketch on the same buckets. */
    duration_core censored;
    dur_init(&censored);
    rollup_member who;
    rollup_member_of(rollup, gi, &who);
    for (uint32_t b = 0; b < x->nb; b++) {
        uint32_t n;
        const rollup_run *e = rix_block_at(x, b, &n);
        for (uint32_t i = 0; i < n; i++) {
            if (!rollup_member_has(&who, &e[i])) continue;
            double age = (double)((uint64_t)as_of - (uint64_t)e[i].due);
            /* An age beyond what a sketch takes (2^43 s) cannot come from the calendar's range. */
            if (dur_add(&censored, age) != CXM_OK) return CXM_OUT_OF_RANGE;
        }
    }
    /* The resolutions, materialised from their pages (the same buckets and exact fields). */
    duration_core events;
    skp_to_core(pool_of(rollup), group_time(group_at(rollup, gi), (uint32_t)slot), &events);
    cxm_survival_result r;
    survival_km_result(&events, &censored, lv, z, &r);
    for (size_t i = 0; i < ntimes; i++)
        survival[i] = survival_km_at(&events, &censored, times[i]);
    cxm_result_copy(out, &r, sizeof r);
    return r.n > 0 ? CXM_OK : CXM_EMPTY;
}
