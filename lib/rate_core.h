/*
 * rate_core.h — what other families need of the proportion accumulator to
 * report a rate exactly as cxm_rate does (the ticket roll-up reports FCR,
 * reopen and deflection rates as cxm_rate_result).
 */
#ifndef CXM_RATE_CORE_H
#define CXM_RATE_CORE_H

#include "internal.h"

/*
 * Fills a whole cxm_rate_result (size included) for `successes` of
 * `trials` (successes <= trials) at a resolved level and its z; rate and
 * interval stay 0 when trials == 0 (the caller reports CXM_EMPTY).
 */
void rate_result_fill(uint32_t use, uint32_t definition, uint64_t successes, uint64_t trials,
                      double level, double z, cxm_rate_result *r);

#endif
