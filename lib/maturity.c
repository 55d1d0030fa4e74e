/*
 * maturity.c — the seven-attribute customer-service maturity scale: a count
 * of yes answers and the level it falls in.
 */
#include "internal.h"

uint32_t cxm_maturity_attributes(void)
{
    return CXM_MATURITY_ATTRIBUTES;
}

static uint32_t level_for(uint32_t score)
{
    return score <= 3 ? CXM_MATURITY_BEGINNER
                      : (score <= 5 ? CXM_MATURITY_EMERGING : CXM_MATURITY_EXPERT);
}

cxm_status cxm_maturity_level_of(uint32_t score, uint32_t *level)
{
    if (!level) return CXM_INVALID_ARGUMENT;
    if (score > CXM_MATURITY_ATTRIBUTES) return CXM_OUT_OF_RANGE;
    *level = level_for(score);
    return CXM_OK;
}

const char *cxm_maturity_level_str(uint32_t level)
{
    switch (level) {
    case CXM_MATURITY_BEGINNER: return "beginner";
    case CXM_MATURITY_EMERGING: return "emerging";
    case CXM_MATURITY_EXPERT: return "expert";
    default: return "unknown";
    }
}

cxm_status cxm_maturity_score(const cxm_maturity_answers *answers, cxm_maturity_result *out)
{
    cxm_maturity_answers a;
    cxm_status st = cxm_record_read(answers, CXM_SIZES(&a), &a, sizeof a);
    if (st == CXM_OK && a.reserved2 != 0) st = CXM_INVALID_ARGUMENT;
    if (st == CXM_OK) st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    const uint32_t v[CXM_MATURITY_ATTRIBUTES] = {
        a.enough_agents, a.well_trained,      a.tools_satisfied, a.kpis_comprehensive,
        a.kpis_realtime, a.feedback_acted_on, a.feedback_quickly};
    cxm_maturity_result r = {sizeof r, 0, 0, 0};
    for (uint32_t i = 0; i < CXM_MATURITY_ATTRIBUTES; i++) {
        if (v[i] > 1) return CXM_OUT_OF_RANGE;
        r.score += v[i];
    }
    r.level = level_for(r.score);
    cxm_result_copy(out, &r, sizeof r);
    return CXM_OK;
}
