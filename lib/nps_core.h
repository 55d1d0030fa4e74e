/*
 * nps_core.h — the counts behind one NPS (shared by the single accumulator
 * and the competitive panel, so both compute every formula the same way).
 */
#ifndef CXM_NPS_CORE_H
#define CXM_NPS_CORE_H

#include "internal.h"

enum { NPS_DET = 0, NPS_PAS = 1, NPS_PRO = 2 };

typedef struct nps_counts {
    uint64_t n[3];  /* all answers per category, exact */
    uint64_t nw[3]; /* of which added with a weight */
    double w[3];    /* sum of the weights of the weighted answers */
    double w2;      /* sum of their squares */
} nps_counts;

/*
 * Detractor 0-6, passive 7-8, promoter 9-10, as a sum of two comparisons:
 * no branch, so random scores cost no mispredictions.
 */
static inline int nps_category(int32_t score)
{
    return (score >= 7) + (score >= 9);
}
static inline bool nps_score_ok(int32_t score)
{
    return score >= 0 && score <= 10;
}
/*
 * Weights live in [1e-100, 1e100]: then the sums of weights and of their
 * squares over up to 2^64 answers stay finite and normal, so no result can
 * become inf / inf or 0 / 0 (a weight of 1e300 squared is infinite, one of
 * 1e-200 squared is zero).
 */
#define NPS_WEIGHT_MIN 1e-100
#define NPS_WEIGHT_MAX 1e100
static inline bool nps_weight_ok(double w)
{
    return w >= NPS_WEIGHT_MIN && w <= NPS_WEIGHT_MAX;
}

static inline uint64_t nps_total(const nps_counts *c)
{
    return c->n[0] + c->n[1] + c->n[2];
}

/* One answer, inline in every caller (the single add, the panel, a series' buckets). */
static inline cxm_status nps_counts_add(nps_counts *c, int32_t score, double weight, bool weighted)
{
    if (!nps_score_ok(score) || (weighted && !nps_weight_ok(weight))) return CXM_OUT_OF_RANGE;
    if (nps_total(c) == UINT64_MAX) return CXM_OVERFLOW;
    int k = nps_category(score);
    c->n[k]++;
    if (weighted) {
        c->nw[k]++;
        c->w[k] += weight;
        c->w2 += weight * weight;
    }
    return CXM_OK;
}

/* The NPS accumulator (here so that a series adds to its buckets without a call). */
struct cxm_nps {
    cxm_obj obj;
    uint32_t kind;
    uint32_t brand;
    nps_counts c;
};
/* Validates a byte batch and adds it, all or nothing. */
cxm_status nps_counts_add_bytes(nps_counts *c, const uint8_t *scores, size_t n, size_t *bad);
cxm_status nps_counts_add_weighted_bytes(nps_counts *c, const uint8_t *scores,
                                         const double *weights, size_t n, size_t *bad);
cxm_status nps_counts_merge(nps_counts *dst, const nps_counts *src);
/* Fills everything of `r` after size/reserved except kind and brand. */
cxm_status nps_counts_result(const nps_counts *c, double level, uint32_t method, cxm_nps_result *r);
/* Score and standard error as cxm_nps_compare uses them; CXM_EMPTY if empty. */
cxm_status nps_counts_score_se(const nps_counts *c, uint32_t method, double *nps, double *se);
/* diff, se, z, p, significance and ci of two samples. */
void nps_compare_fill(double nps_a, double se_a, double nps_b, double se_b, double level,
                      double z_level, double *diff, double *se, double *z, double *p,
                      uint32_t *significant, cxm_interval *ci);
void nps_counts_write(cxm_wr *w, const nps_counts *c);
/* Reads and validates; marks the reader bad on inconsistent counts. */
void nps_counts_read(cxm_rd *r, nps_counts *c);

#endif
