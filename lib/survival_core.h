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

#endif
