/*
 * survival_core.h — the Kaplan-Meier walk of cxm/survival.h over any two
 * duration sketches (resolutions, censored ages), shared by the survival
 * accumulator and the roll-up's per-group survival read at an instant.
 */
#ifndef CXM_SURVIVAL_CORE_H
#define CXM_SURVIVAL_CORE_H

#include "duration_core.h"

/* Everything of cxm_survival_result (median, Greenwood interval, closed-only figures). */
void survival_km_result(const duration_core *events, const duration_core *censored, double lv,
                        double z, cxm_survival_result *out);
/*
 * S(t): the curve after every bucket of resolutions up to t's bucket (1
 * before the first resolution): resolutions are rounded to their bucket.
 */
double survival_km_at(const duration_core *events, const duration_core *censored, double t);

/* Whether an accumulator is of the compact form (its sketches in a page pool). */
bool survival_is_compact(const cxm_survival *s);

/*
 * Many merges into one accumulator, all or nothing (a series' buckets into
 * a span or a window): the accumulator's two sketches as duration_cores
 * (survival_sums_begin), each source (of the dense form, as a series'
 * buckets are) merged into them with its overflow checked
 * (survival_sums_add: CXM_OVERFLOW, the sums unchanged), then
 * stored back at once (survival_sums_store: CXM_CAPACITY when a compact
 * accumulator's pages cannot hold them, the accumulator unchanged). About
 * 40 KB: a caller keeps it on its stack, as the reads do their sketches.
 */
typedef struct survival_sums {
    duration_core c[2]; /* resolutions, censored ages */
    uint64_t total;
} survival_sums;
void survival_sums_begin(const cxm_survival *s, survival_sums *x);
cxm_status survival_sums_add(survival_sums *x, const cxm_survival *src);
cxm_status survival_sums_store(cxm_survival *s, const survival_sums *x);

#endif
