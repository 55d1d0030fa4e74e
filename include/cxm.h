/**
 * @file
 * cxm.h — the whole public API of cxm, the customer-experience metrics
 * library. Include this header; the files under cxm/ are its parts.
 *
 * See README.md for the formulas, the error model and the encoding.
 */
#ifndef CXM_H
#define CXM_H

#include "cxm/common.h"
#include "cxm/duration.h"
#include "cxm/survival.h"
#include "cxm/calendar.h"
#include "cxm/nps.h"
#include "cxm/rate.h"
#include "cxm/sla.h"
#include "cxm/churn.h"
#include "cxm/maturity.h"
#include "cxm/csat.h"
#include "cxm/ces.h"
#include "cxm/rollup.h"
#include "cxm/series.h"
#include "cxm/compare.h"

#endif /* CXM_H */
