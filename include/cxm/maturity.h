/**
 * @file
 * cxm/maturity.h — the customer-service maturity scale of the study behind
 * cxm: seven yes/no attributes, a score of 0-7 and a level.
 *
 * The attributes (each 1 = yes, 0 = no):
 *   enough_agents      there are enough agents for the workload
 *   well_trained       agents are well trained
 *   tools_satisfied    agents are satisfied with their tools
 *   kpis_comprehensive the KPIs cover the service comprehensively
 *   kpis_realtime      the KPIs are updated in real time or near it
 *   feedback_acted_on  customer feedback is turned into product, service or
 *                      process changes
 *   feedback_quickly   and that is done quickly
 * Score = number of yes answers. Level: 0-3 beginner, 4-5 emerging,
 * 6-7 expert. In the study, expert teams resolved tickets 44% faster,
 * resolved 86% (vs 77%) at first contact and handled 48% more tickets per
 * agent: the scale is how a team places itself before comparing its KPIs.
 */
#ifndef CXM_MATURITY_H
#define CXM_MATURITY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Maturity levels. Values are pinned. */
typedef enum cxm_maturity_level {
    CXM_MATURITY_BEGINNER = 1, /**< score 0-3 */
    CXM_MATURITY_EMERGING = 2, /**< score 4-5 */
    CXM_MATURITY_EXPERT = 3,   /**< score 6-7 */
} cxm_maturity_level;

/** Number of attributes of the scale (the largest score). */
#define CXM_MATURITY_ATTRIBUTES 7u
/** Function twin of CXM_MATURITY_ATTRIBUTES. */
CXM_EXPORT uint32_t cxm_maturity_attributes(void);

/** The seven answers. Set `size` = sizeof(cxm_maturity_answers). Each is 0 or 1. */
typedef struct cxm_maturity_answers {
    uint32_t size;               /**< sizeof(cxm_maturity_answers) */
    uint32_t reserved;           /**< must be 0 */
    uint32_t enough_agents;      /**< 1 = yes: enough agents for the workload */
    uint32_t well_trained;       /**< 1 = yes: agents are well trained */
    uint32_t tools_satisfied;    /**< 1 = yes: agents are satisfied with their tools */
    uint32_t kpis_comprehensive; /**< 1 = yes: KPI coverage is comprehensive */
    uint32_t kpis_realtime;      /**< 1 = yes: KPIs are updated in real time or near it */
    uint32_t feedback_acted_on;  /**< 1 = yes: customer feedback is turned into changes */
    uint32_t feedback_quickly;   /**< 1 = yes: and that happens quickly */
    uint32_t reserved2;          /**< must be 0 */
} cxm_maturity_answers;

/** The score and its level. Set `size` = sizeof(cxm_maturity_result). */
typedef struct cxm_maturity_result {
    uint32_t size;     /**< in: sizeof(cxm_maturity_result) */
    uint32_t reserved; /**< out: 0 */
    uint32_t score;    /**< 0-7: the number of yes answers */
    uint32_t level;    /**< cxm_maturity_level */
} cxm_maturity_result;

/**
 * Scores the seven answers.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, a size below the struct's,
 *         reserved fields not 0); CXM_OUT_OF_RANGE (an answer other than 0
 *         or 1; `out` is then untouched).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_maturity_score(const cxm_maturity_answers *answers,
                                                       cxm_maturity_result *out);

/**
 * The level of a score: 0-3 beginner, 4-5 emerging, 6-7 expert.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL level); CXM_OUT_OF_RANGE (score > 7).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_maturity_level_of(uint32_t score, uint32_t *level);

/** A static English name of a level ("beginner", ...); "unknown" otherwise. */
CXM_EXPORT const char *cxm_maturity_level_str(uint32_t level);

#ifdef __cplusplus
}
#endif

#endif /* CXM_MATURITY_H */
