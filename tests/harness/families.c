/*
 * families.c — one entry per accumulator family (see families.h). Adding a
 * family: write its adapters below with the CXM_ADAPT macro for the common
 * verbs, then add its row to cxm_families[].
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "families.h"
#include "live_check.h"

/* void*-typed twins of the verbs every row has with the same shape (calendars and policies too). */
#define CXM_ADAPT_OBJECT(fam)                                                                      \
    static cxm_status fam##_clone_(const void *a, const cxm_allocator *al, void **o)               \
    {                                                                                              \
        return cxm_##fam##_clone(a, al, (cxm_##fam **)o);                                          \
    }                                                                                              \
    static cxm_status fam##_encode_(const void *a, uint8_t *b, size_t c, size_t *l)                \
    {                                                                                              \
        return cxm_##fam##_encode(a, b, c, l);                                                     \
    }                                                                                              \
    static cxm_status fam##_decode_(const uint8_t *b, size_t l, const cxm_allocator *al, void **o) \
    {                                                                                              \
        return cxm_##fam##_decode(b, l, al, (cxm_##fam **)o);                                      \
    }                                                                                              \
    static void fam##_destroy_(void *a)                                                            \
    {                                                                                              \
        cxm_##fam##_free(a);                                                                       \
    }

/* ... and of the accumulators' merge and reset. */
#define CXM_ADAPT(fam)                                                                             \
    CXM_ADAPT_OBJECT(fam)                                                                          \
    static cxm_status fam##_merge_(void *d, const void *s)                                         \
    {                                                                                              \
        return cxm_##fam##_merge(d, s);                                                            \
    }                                                                                              \
    static cxm_status fam##_reset_(void *a)                                                        \
    {                                                                                              \
        return cxm_##fam##_reset(a);                                                               \
    }

#define CXM_VERBS(fam) fam##_merge_, fam##_reset_, fam##_clone_, fam##_encode_, fam##_decode_

/* Appends to a summary without overrunning it. */
static void put(double *out, size_t cap, size_t *n, double v)
{
    if (*n < cap) out[*n] = v;
    (*n)++;
}

static cxm_status keep_first(cxm_status sofar, cxm_status st)
{
    if (sofar != CXM_OK) return sofar;
    return (st == CXM_OK || st == CXM_EMPTY) ? CXM_OK : st;
}

/* ---- NPS --------------------------------------------------------------------- */

CXM_ADAPT(nps)

static const uint32_t nps_kinds[4][2] = {
    {CXM_NPS_TRANSACTIONAL, 0},
    {CXM_NPS_RELATIONAL, 0},
    {CXM_NPS_COMPETITIVE, 0},
    {CXM_NPS_COMPETITIVE, 7},
};

static cxm_status nps_make(const cxm_allocator *al, uint32_t v, void **out)
{
    return cxm_nps_new(nps_kinds[v % 4][0], nps_kinds[v % 4][1], al, (cxm_nps **)out);
}

/* Bytes are scores taken modulo 12, so 11 (out of range) turns up now and then. */
static cxm_status nps_feed(void *a, const uint8_t *d, size_t n, size_t *bad)
{
    uint8_t s[CXM_FEED_MAX];
    n = n < CXM_FEED_MAX ? n : CXM_FEED_MAX;
    for (size_t i = 0; i < n; i++)
        s[i] = (uint8_t)(d[i] % 12);
    return cxm_nps_add_many(a, s, n, bad);
}

static cxm_status nps_feed_each(void *a, const uint8_t *d, size_t n)
{
    n = n < CXM_FEED_MAX ? n : CXM_FEED_MAX;
    for (size_t i = 0; i < n; i++) {
        cxm_status st = cxm_nps_add(a, d[i] % 12);
        if (st != CXM_OK) return st;
    }
    return CXM_OK;
}

/* Scores 3..10 without a division, so benchmarks time the add, not the adapter. */
static cxm_status nps_add_one(void *a, uint64_t i)
{
    return cxm_nps_add(a, 3 + (int32_t)(i & 7u));
}

static void nps_result_put(const cxm_nps_result *r, double *out, size_t cap, size_t *n)
{
    const double v[] = {(double)r->kind,
                        (double)r->brand,
                        (double)r->n,
                        (double)r->promoters,
                        (double)r->passives,
                        (double)r->detractors,
                        r->weight_total,
                        r->n_effective,
                        r->promoter_pct,
                        r->passive_pct,
                        r->detractor_pct,
                        r->nps,
                        r->se,
                        r->ci.lower,
                        r->ci.upper};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        put(out, cap, n, v[i]);
}

static cxm_status nps_summary(const void *a, double *out, size_t cap, size_t *n)
{
    cxm_status st = CXM_OK;
    *n = 0;
    for (uint32_t m = 0; m < 2; m++) {
        cxm_nps_result r = {.size = sizeof r};
        st = keep_first(st, cxm_nps_result_get(a, 0.0, m, &r));
        nps_result_put(&r, out, cap, n);
    }
    return st;
}

static uint64_t nps_events(const void *a)
{
    cxm_nps_result r = {.size = sizeof r};
    if (cxm_nps_result_get(a, 0.0, 0, &r) != CXM_OK) return 0;
    return r.n;
}

/* ---- NPS competitive panel ---------------------------------------------------- */

CXM_ADAPT(nps_panel)

static cxm_status panel_make(const cxm_allocator *al, uint32_t v, void **out)
{
    (void)v;
    return cxm_nps_panel_new(4, al, (cxm_nps_panel **)out);
}

/* Byte pairs: brand (mod 5: four competitors fill the capacity of 4; unit tests cover a full
 * panel), score (mod 12). */
static cxm_status panel_feed(void *a, const uint8_t *d, size_t n, size_t *bad)
{
    uint32_t brands[CXM_FEED_MAX / 2];
    uint8_t scores[CXM_FEED_MAX / 2];
    size_t m = n / 2 < CXM_FEED_MAX / 2 ? n / 2 : CXM_FEED_MAX / 2;
    for (size_t i = 0; i < m; i++) {
        brands[i] = d[2 * i] % 5u;
        scores[i] = (uint8_t)(d[2 * i + 1] % 12);
    }
    return cxm_nps_panel_add_many(a, brands, scores, m, bad);
}

static cxm_status panel_feed_each(void *a, const uint8_t *d, size_t n)
{
    size_t m = n / 2 < CXM_FEED_MAX / 2 ? n / 2 : CXM_FEED_MAX / 2;
    for (size_t i = 0; i < m; i++) {
        cxm_status st = cxm_nps_panel_add(a, d[2 * i] % 5u, d[2 * i + 1] % 12);
        if (st != CXM_OK) return st;
    }
    return CXM_OK;
}

static cxm_status panel_add_one(void *a, uint64_t i)
{
    return cxm_nps_panel_add(a, (uint32_t)(i % 3), (int32_t)(i % 11));
}

static cxm_status panel_summary(const void *a, double *out, size_t cap, size_t *n)
{
    uint32_t count, capacity;
    cxm_status st = cxm_nps_panel_brands(a, &count, &capacity);
    *n = 0;
    if (st != CXM_OK) return st;
    put(out, cap, n, count);
    cxm_nps_result r = {.size = sizeof r};
    st = keep_first(st, cxm_nps_panel_result(a, 0, 0.0, 0, &r));
    nps_result_put(&r, out, cap, n);
    for (uint32_t i = 0; i < count; i++) {
        cxm_nps_gap g = {.size = sizeof g};
        st = keep_first(st, cxm_nps_panel_gap(a, i, 0.0, 0, &g));
        const double v[] = {g.brand, (double)g.n_theirs, g.nps_theirs, g.gap, g.se, g.z, g.p};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            put(out, cap, n, v[k]);
        st = keep_first(st, cxm_nps_panel_result(a, g.brand, 0.0, 1, &r));
        nps_result_put(&r, out, cap, n);
    }
    return st;
}

static uint64_t panel_events(const void *a)
{
    uint32_t count, capacity;
    uint64_t total = 0;
    cxm_nps_result r = {.size = sizeof r};
    if (cxm_nps_panel_brands(a, &count, &capacity) != CXM_OK) return 0;
    if (cxm_nps_panel_result(a, 0, 0.0, 0, &r) == CXM_OK) total += r.n;
    for (uint32_t i = 0; i < count; i++) {
        cxm_nps_gap g = {.size = sizeof g};
        if (cxm_nps_panel_gap(a, i, 0.0, 0, &g) != CXM_OK && g.brand == 0) continue;
        if (cxm_nps_panel_result(a, g.brand, 0.0, 0, &r) == CXM_OK) total += r.n;
    }
    return total;
}

/* ---- rate -------------------------------------------------------------------- */

CXM_ADAPT(rate)

/* Every use with definition 0, and FCR under a second definition. */
static const uint32_t rate_ids[8][2] = {
    {CXM_RATE_FCR, 0},
    {CXM_RATE_GENERIC, 0},
    {CXM_RATE_ONE_TOUCH, 0},
    {CXM_RATE_REOPEN, 0},
    {CXM_RATE_UNRESOLVED, 0},
    {CXM_RATE_DEFLECTION, 0},
    {CXM_RATE_SLA_ACHIEVEMENT, 0},
    {CXM_RATE_FCR, 1},
};

static cxm_status rate_make(const cxm_allocator *al, uint32_t v, void **out)
{
    return cxm_rate_new(rate_ids[v % 8][0], rate_ids[v % 8][1], al, (cxm_rate **)out);
}

/* Bytes are outcomes; one in 40 becomes 2 (neither outcome), so rejections turn up. */
static uint8_t rate_outcome(uint8_t b)
{
    return (uint8_t)(b % 40 == 39 ? 2 : b % 2);
}

static cxm_status rate_feed(void *a, const uint8_t *d, size_t n, size_t *bad)
{
    uint8_t s[CXM_FEED_MAX];
    n = n < CXM_FEED_MAX ? n : CXM_FEED_MAX;
    for (size_t i = 0; i < n; i++)
        s[i] = rate_outcome(d[i]);
    return cxm_rate_add_many(a, s, n, bad);
}

static cxm_status rate_feed_each(void *a, const uint8_t *d, size_t n)
{
    n = n < CXM_FEED_MAX ? n : CXM_FEED_MAX;
    for (size_t i = 0; i < n; i++) {
        cxm_status st = cxm_rate_add(a, rate_outcome(d[i]));
        if (st != CXM_OK) return st;
    }
    return CXM_OK;
}

static cxm_status rate_add_one(void *a, uint64_t i)
{
    return cxm_rate_add(a, (uint32_t)(i & 1u));
}

static cxm_status rate_summary(const void *a, double *out, size_t cap, size_t *n)
{
    cxm_rate_result r = {.size = sizeof r};
    cxm_status st = keep_first(CXM_OK, cxm_rate_result_get(a, 0.0, &r));
    *n = 0;
    const double v[] = {(double)r.use,    (double)r.definition, (double)r.successes,
                        (double)r.trials, (double)r.failures,   r.rate,
                        r.ci.lower,       r.ci.upper,           r.ci.level};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        put(out, cap, n, v[i]);
    return st;
}

static uint64_t rate_events(const void *a)
{
    cxm_rate_result r = {.size = sizeof r};
    cxm_status st = cxm_rate_result_get(a, 0.0, &r);
    return st == CXM_OK || st == CXM_EMPTY ? r.trials : 0;
}

/* ---- churn ------------------------------------------------------------------- */

CXM_ADAPT(churn)

static cxm_status churn_make(const cxm_allocator *al, uint32_t v, void **out)
{
    return cxm_churn_new(202600u + v, al, (cxm_churn **)out);
}

/*
 * Byte triples: a customer pattern (mod 8 picks one of the valid cases of the
 * rule; 255 sets an unknown flag bit, refused), MRR at start and at end.
 */
static cxm_churn_customer churn_customer(const uint8_t *d)
{
    static const uint32_t pattern[8] = {
        CXM_CHURN_AT_START,
        CXM_CHURN_AT_START | CXM_CHURN_AT_END,
        CXM_CHURN_AT_START | CXM_CHURN_AT_END | CXM_CHURN_CANCELLED | CXM_CHURN_DUE,
        CXM_CHURN_AT_END,
        CXM_CHURN_AT_END | CXM_CHURN_RETURNING,
        CXM_CHURN_CANCELLED,
        CXM_CHURN_AT_START | CXM_CHURN_AT_END | CXM_CHURN_DUE | CXM_CHURN_RENEWED,
        CXM_CHURN_AT_START | CXM_CHURN_CANCELLED | CXM_CHURN_DUE,
    };
    uint32_t f = d[0] == 255 ? 64u : pattern[d[0] % 8];
    cxm_churn_customer c = {sizeof c, 0, f, 0, 0, 0};
    if (f & CXM_CHURN_AT_START) c.mrr_start = (int64_t)d[1] * 100;
    if (f & CXM_CHURN_AT_END) c.mrr_end = (int64_t)d[2] * 100;
    return c;
}

static cxm_status churn_feed(void *a, const uint8_t *d, size_t n, size_t *bad)
{
    cxm_churn_customer c[CXM_FEED_MAX / 3];
    size_t m = n / 3 < CXM_FEED_MAX / 3 ? n / 3 : CXM_FEED_MAX / 3;
    for (size_t i = 0; i < m; i++)
        c[i] = churn_customer(d + 3 * i);
    return cxm_churn_add_many(a, c, m, bad);
}

static cxm_status churn_feed_each(void *a, const uint8_t *d, size_t n)
{
    size_t m = n / 3 < CXM_FEED_MAX / 3 ? n / 3 : CXM_FEED_MAX / 3;
    for (size_t i = 0; i < m; i++) {
        cxm_churn_customer c = churn_customer(d + 3 * i);
        cxm_status st = cxm_churn_add(a, &c);
        if (st != CXM_OK) return st;
    }
    return CXM_OK;
}

static cxm_status churn_add_one(void *a, uint64_t i)
{
    const uint8_t d[3] = {(uint8_t)(i % 8), (uint8_t)(i % 200), (uint8_t)(i % 190)};
    cxm_churn_customer c = churn_customer(d);
    return cxm_churn_add(a, &c);
}

static cxm_status churn_summary(const void *a, double *out, size_t cap, size_t *n)
{
    cxm_status st = CXM_OK;
    *n = 0;
    cxm_churn_customer_result c = {.size = sizeof c};
    st = keep_first(st, cxm_churn_customer_result_get(a, 0.0, &c));
    const double vc[] = {(double)c.period,
                         (double)c.customers_start,
                         (double)c.lost,
                         (double)c.churned_reactivated,
                         (double)c.new_customers,
                         (double)c.reactivated,
                         (double)c.joined_churned,
                         (double)c.customers_end,
                         c.churn_rate,
                         c.churn_ci.lower,
                         c.churn_ci.upper,
                         c.retention_rate,
                         c.net_growth};
    for (size_t i = 0; i < sizeof vc / sizeof vc[0]; i++)
        put(out, cap, n, vc[i]);
    cxm_churn_revenue_result r = {.size = sizeof r};
    st = keep_first(st, cxm_churn_revenue_result_get(a, &r));
    const double vr[] = {
        (double)r.mrr_start,     (double)r.mrr_new,         (double)r.mrr_reactivation,
        (double)r.mrr_expansion, (double)r.mrr_contraction, (double)r.mrr_churned,
        (double)r.mrr_end,       r.gross_revenue_churn,     r.net_revenue_retention};
    for (size_t i = 0; i < sizeof vr / sizeof vr[0]; i++)
        put(out, cap, n, vr[i]);
    cxm_churn_renewal_result w = {.size = sizeof w};
    st = keep_first(st, cxm_churn_renewal_result_get(a, 0.0, &w));
    const double vw[] = {(double)w.due, (double)w.renewed, w.renewal_rate, w.renewal_ci.lower,
                         w.renewal_ci.upper};
    for (size_t i = 0; i < sizeof vw / sizeof vw[0]; i++)
        put(out, cap, n, vw[i]);
    return st;
}

/* Every customer record lands in exactly one of these. */
static uint64_t churn_events(const void *a)
{
    cxm_churn_counts k = {.size = sizeof k};
    if (cxm_churn_counts_get(a, &k) != CXM_OK) return 0;
    return k.customers_start + k.new_customers + k.reactivated + k.joined_churned;
}

/* ---- CSAT and CES (integer scales) ---------------------------------------------- */

/* What the shared adapters need of an integer-scale family, void*-typed. */
typedef struct scale_ops {
    cxm_status (*add)(void *acc, int32_t score);
    cxm_status (*add_many)(void *acc, const uint8_t *scores, size_t n, size_t *bad);
    cxm_status (*count)(const void *acc, int32_t score, uint64_t *out);
    /* The scale of acc (0..1 if it cannot be read). */
    void (*scale)(const void *acc, int32_t *lo, int32_t *hi);
} scale_ops;

/*
 * Bytes become scores on the accumulator's scale; 255 becomes max + 1, which
 * is off the scale, so about one batch byte in 256 makes a batch invalid.
 */
static uint8_t scale_byte(uint8_t d, int32_t lo, int32_t hi)
{
    if (d == 255) return (uint8_t)(hi + 1);
    return (uint8_t)(lo + d % (hi - lo + 1));
}

static cxm_status scale_feed(const scale_ops *ops, void *a, const uint8_t *d, size_t n, size_t *bad)
{
    uint8_t s[CXM_FEED_MAX];
    int32_t lo, hi;
    ops->scale(a, &lo, &hi);
    n = n < CXM_FEED_MAX ? n : CXM_FEED_MAX;
    for (size_t i = 0; i < n; i++)
        s[i] = scale_byte(d[i], lo, hi);
    return ops->add_many(a, s, n, bad);
}

static cxm_status scale_feed_each(const scale_ops *ops, void *a, const uint8_t *d, size_t n)
{
    int32_t lo, hi;
    ops->scale(a, &lo, &hi);
    n = n < CXM_FEED_MAX ? n : CXM_FEED_MAX;
    for (size_t i = 0; i < n; i++) {
        cxm_status st = ops->add(a, scale_byte(d[i], lo, hi));
        if (st != CXM_OK) return st;
    }
    return CXM_OK;
}

/*
 * 1..4 lies on every variant's scale; no configuration query or division,
 * so a benchmark times the library's add, not this adapter.
 */
static cxm_status scale_add_one(const scale_ops *ops, void *a, uint64_t i)
{
    return ops->add(a, 1 + (int32_t)(i & 3u));
}

/* Puts the count of every score after the family's result fields. */
static cxm_status scale_summary(const scale_ops *ops, const void *a, cxm_status st, const double *v,
                                size_t nv, double *out, size_t cap, size_t *n)
{
    int32_t lo, hi;
    ops->scale(a, &lo, &hi);
    *n = 0;
    for (size_t i = 0; i < nv; i++)
        put(out, cap, n, v[i]);
    for (int32_t s = lo; s <= hi; s++) {
        uint64_t c = 0;
        st = keep_first(st, ops->count(a, s, &c));
        put(out, cap, n, (double)c);
    }
    return st;
}

/*
 * The scale families' (CSAT, CES) adapters: the same verbs over their own
 * types, routed through scale_ops to the shared feed/add_one helpers.
 */
#define CXM_SCALE_ADAPT(fam)                                                                       \
    static cxm_status fam##_add_(void *a, int32_t s)                                               \
    {                                                                                              \
        return cxm_##fam##_add(a, s);                                                              \
    }                                                                                              \
    static cxm_status fam##_add_many_(void *a, const uint8_t *s, size_t n, size_t *bad)            \
    {                                                                                              \
        return cxm_##fam##_add_many(a, s, n, bad);                                                 \
    }                                                                                              \
    static cxm_status fam##_count_(const void *a, int32_t s, uint64_t *out)                        \
    {                                                                                              \
        return cxm_##fam##_count(a, s, out);                                                       \
    }                                                                                              \
    static void fam##_scale(const void *a, int32_t *lo, int32_t *hi)                               \
    {                                                                                              \
        cxm_##fam##_options o = {.size = sizeof o};                                                \
        bool ok = cxm_##fam##_config(a, &o) == CXM_OK;                                             \
        *lo = ok ? o.scale_min : 0;                                                                \
        *hi = ok ? o.scale_max : 1;                                                                \
    }                                                                                              \
    static const scale_ops fam##_ops = {fam##_add_, fam##_add_many_, fam##_count_, fam##_scale};   \
    static cxm_status fam##_feed(void *a, const uint8_t *d, size_t n, size_t *bad)                 \
    {                                                                                              \
        return scale_feed(&fam##_ops, a, d, n, bad);                                               \
    }                                                                                              \
    static cxm_status fam##_feed_each(void *a, const uint8_t *d, size_t n)                         \
    {                                                                                              \
        return scale_feed_each(&fam##_ops, a, d, n);                                               \
    }                                                                                              \
    static cxm_status fam##_add_one(void *a, uint64_t i)                                           \
    {                                                                                              \
        return scale_add_one(&fam##_ops, a, i);                                                    \
    }

/* Scale, threshold and direction per variant: any two differ, so they refuse to merge. */
static const cxm_csat_options csat_variants[5] = {
    {sizeof(cxm_csat_options), 0, 0, 0, 0, 0}, /* default: 1-5, satisfied 4-5 */
    {sizeof(cxm_csat_options), 0, 1, 5, 5, 0}, /* top box only */
    {sizeof(cxm_csat_options), 0, 1, 10, 0, 0},
    {sizeof(cxm_csat_options), 0, 0, 100, 0, 0}, /* 101 points: several kernel passes */
    {sizeof(cxm_csat_options), 0, 1, 7, 0, 0},
};

CXM_ADAPT(csat)

static cxm_status csat_make(const cxm_allocator *al, uint32_t v, void **out)
{
    return cxm_csat_new(&csat_variants[v % 5], al, (cxm_csat **)out);
}

CXM_SCALE_ADAPT(csat)

static cxm_status csat_summary(const void *a, double *out, size_t cap, size_t *n)
{
    cxm_csat_result r = {.size = sizeof r};
    cxm_status st = keep_first(CXM_OK, cxm_csat_result_get(a, 0.0, &r));
    const double v[] = {r.scale_min,
                        r.scale_max,
                        r.threshold,
                        (double)r.n,
                        (double)r.satisfied,
                        r.mean,
                        r.sd,
                        r.median,
                        r.mean_ci.lower,
                        r.mean_ci.upper,
                        r.satisfied_pct,
                        r.satisfied_ci.lower,
                        r.satisfied_ci.upper};
    return scale_summary(&csat_ops, a, st, v, sizeof v / sizeof v[0], out, cap, n);
}

static uint64_t csat_events(const void *a)
{
    cxm_csat_result r = {.size = sizeof r};
    cxm_status st = cxm_csat_result_get(a, 0.0, &r);
    return st == CXM_OK || st == CXM_EMPTY ? r.n : 0;
}

static const cxm_ces_options ces_variants[5] = {
    {sizeof(cxm_ces_options), 0, 0, 0, 0, CXM_CES_HIGHER_IS_EASIER}, /* 1-7, easy 5-7 */
    {sizeof(cxm_ces_options), 0, 0, 0, 0, CXM_CES_HIGHER_IS_EFFORT}, /* 1-5, easy 1-2 */
    {sizeof(cxm_ces_options), 0, 1, 7, 0, CXM_CES_HIGHER_IS_EFFORT}, /* 1-7, easy 1-3 */
    {sizeof(cxm_ces_options), 0, 1, 7, 6, CXM_CES_HIGHER_IS_EASIER},
    {sizeof(cxm_ces_options), 0, 0, 100, 0, CXM_CES_HIGHER_IS_EASIER},
};

CXM_ADAPT(ces)

static cxm_status ces_make(const cxm_allocator *al, uint32_t v, void **out)
{
    return cxm_ces_new(&ces_variants[v % 5], al, (cxm_ces **)out);
}

CXM_SCALE_ADAPT(ces)

static cxm_status ces_summary(const void *a, double *out, size_t cap, size_t *n)
{
    cxm_ces_result r = {.size = sizeof r};
    cxm_status st = keep_first(CXM_OK, cxm_ces_result_get(a, 0.0, &r));
    const double v[] = {r.scale_min,
                        r.scale_max,
                        r.threshold,
                        r.direction,
                        (double)r.n,
                        (double)r.easy,
                        r.mean,
                        r.sd,
                        r.median,
                        r.mean_ci.lower,
                        r.mean_ci.upper,
                        r.easy_pct,
                        r.easy_ci.lower,
                        r.easy_ci.upper,
                        r.index_defined,
                        (double)r.index_easy,
                        (double)r.index_hard,
                        r.index,
                        r.index_se,
                        r.index_ci.lower,
                        r.index_ci.upper};
    return scale_summary(&ces_ops, a, st, v, sizeof v / sizeof v[0], out, cap, n);
}

static uint64_t ces_events(const void *a)
{
    cxm_ces_result r = {.size = sizeof r};
    cxm_status st = cxm_ces_result_get(a, 0.0, &r);
    return st == CXM_OK || st == CXM_EMPTY ? r.n : 0;
}

/* ---- durations ---------------------------------------------------------------- */

CXM_ADAPT(duration)

/*
 * Variant 2 is variant 0 in the compact form, with a pool of DURATION_PAGES
 * pages: enough for the gates' feeds and merges (a page per octave, 39 at
 * most, and a few carries); long sequences and repeated doublings (the
 * sequence fuzzer) run it out (CXM_CAPACITY, nothing changed). It merges
 * with variant 0 exactly (cxm_family_twin).
 */
#define DURATION_COMPACT 2u
#define DURATION_PAGES 64u
static cxm_status duration_make(const cxm_allocator *al, uint32_t v, void **out)
{
    static const uint32_t metrics[2] = {CXM_DURATION_ANY, CXM_DURATION_RESOLUTION};
    cxm_duration_options o = {sizeof o, 0, metrics[v % 2], 0, 0};
    if (v == DURATION_COMPACT) o.memory_budget = DURATION_PAGES * CXM_DURATION_PAGE_BYTES;
    return cxm_duration_new(&o, al, (cxm_duration **)out);
}

/*
 * Two bytes per duration: (1 + b1/256) 2^(b0 % 48 - 14) seconds spans the
 * underflow bucket, every octave and the overflow bucket; b0 % 48 == 0 is 0 s
 * and b0 == 255 a negative duration (refused) now and then.
 */
static double duration_of(uint8_t b0, uint8_t b1)
{
    if (b0 == 255) return -1.0;
    if (b0 % 48 == 0) return 0.0;
    return ldexp(1.0 + b1 / 256.0, b0 % 48 - 14);
}

static cxm_status duration_feed(void *a, const uint8_t *d, size_t n, size_t *bad)
{
    double v[CXM_FEED_MAX / 2];
    size_t m = n / 2 < CXM_FEED_MAX / 2 ? n / 2 : CXM_FEED_MAX / 2;
    for (size_t i = 0; i < m; i++)
        v[i] = duration_of(d[2 * i], d[2 * i + 1]);
    return cxm_duration_add_many(a, v, m, bad);
}

static cxm_status duration_feed_each(void *a, const uint8_t *d, size_t n)
{
    size_t m = n / 2 < CXM_FEED_MAX / 2 ? n / 2 : CXM_FEED_MAX / 2;
    for (size_t i = 0; i < m; i++) {
        cxm_status st = cxm_duration_add(a, duration_of(d[2 * i], d[2 * i + 1]));
        if (st != CXM_OK) return st;
    }
    return CXM_OK;
}

static cxm_status duration_add_one(void *a, uint64_t i)
{
    return cxm_duration_add(a, (double)(i & 0xFFFFu) + 0.25); /* no division: cheap */
}

static cxm_status duration_summary(const void *a, double *out, size_t cap, size_t *n)
{
    cxm_duration_result r = {.size = sizeof r};
    cxm_status st = keep_first(CXM_OK, cxm_duration_result_get(a, 0.0, &r));
    *n = 0;
    const double v[] = {(double)r.metric,
                        (double)r.n,
                        (double)r.underflow,
                        (double)r.overflow,
                        r.sum,
                        r.mean,
                        r.sd,
                        r.min,
                        r.max,
                        r.median,
                        r.p90,
                        r.p99,
                        r.mean_ci.lower,
                        r.mean_ci.upper};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        put(out, cap, n, v[i]);
    /* Every percentile, through the many-at-once call. */
    double qs[101], q[101] = {0};
    for (int i = 0; i <= 100; i++)
        qs[i] = i / 100.0;
    st = keep_first(st, cxm_duration_quantiles(a, qs, 101, q, NULL));
    for (int i = 0; i <= 100; i++)
        put(out, cap, n, q[i]);
    cxm_duration_view w = {.size = sizeof w};
    cxm_status vs = cxm_duration_mttr(a, &w);
    if (vs != CXM_KIND_MISMATCH) st = keep_first(st, vs);
    put(out, cap, n, w.mean);
    put(out, cap, n, w.median);
    put(out, cap, n, w.p90);
    return st;
}

static uint64_t duration_events(const void *a)
{
    cxm_duration_result r = {.size = sizeof r};
    if (cxm_duration_result_get(a, 0.0, &r) != CXM_OK) return 0;
    return r.n;
}

/* ---- survival ------------------------------------------------------------------ */

CXM_ADAPT(survival)

/* Variant 1 is variant 0 in the compact form (SURVIVAL_PAGES pages, as for durations). */
#define SURVIVAL_COMPACT 1u
#define SURVIVAL_PAGES 96u
static cxm_status survival_make(const cxm_allocator *al, uint32_t v, void **out)
{
    if (v != SURVIVAL_COMPACT) return cxm_survival_new(al, (cxm_survival **)out);
    cxm_survival_options o = {sizeof o, 0, SURVIVAL_PAGES * CXM_SURVIVAL_PAGE_BYTES};
    return cxm_survival_new_with(&o, al, (cxm_survival **)out);
}

/* Three bytes per ticket: a duration as for durations, then the state (255: unknown). */
static uint8_t survival_state(uint8_t b)
{
    return b == 255 ? 0 : (uint8_t)(1 + (b & 1));
}

static cxm_status survival_feed(void *a, const uint8_t *d, size_t n, size_t *bad)
{
    double v[CXM_FEED_MAX / 3];
    uint8_t st[CXM_FEED_MAX / 3];
    size_t m = n / 3 < CXM_FEED_MAX / 3 ? n / 3 : CXM_FEED_MAX / 3;
    for (size_t i = 0; i < m; i++) {
        v[i] = duration_of(d[3 * i], d[3 * i + 1]);
        st[i] = survival_state(d[3 * i + 2]);
    }
    return cxm_survival_add_many(a, v, st, m, bad);
}

static cxm_status survival_feed_each(void *a, const uint8_t *d, size_t n)
{
    size_t m = n / 3 < CXM_FEED_MAX / 3 ? n / 3 : CXM_FEED_MAX / 3;
    for (size_t i = 0; i < m; i++) {
        cxm_status st =
            cxm_survival_add(a, duration_of(d[3 * i], d[3 * i + 1]), survival_state(d[3 * i + 2]));
        if (st != CXM_OK) return st;
    }
    return CXM_OK;
}

static cxm_status survival_add_one(void *a, uint64_t i)
{
    return cxm_survival_add(a, (double)(i % 86400) + 0.5, 1 + (uint32_t)(i % 3 == 0));
}

static cxm_status survival_summary(const void *a, double *out, size_t cap, size_t *n)
{
    cxm_survival_result r = {.size = sizeof r};
    cxm_status st = keep_first(CXM_OK, cxm_survival_result_get(a, 0.0, &r));
    *n = 0;
    const double v[] = {(double)r.n,        (double)r.resolved, (double)r.open, r.median_reached,
                        r.ci_lower_reached, r.ci_upper_reached, r.median,       r.median_ci.lower,
                        r.median_ci.upper,  r.survival_end,     r.closed_mean,  r.closed_median,
                        r.open_share,       r.oldest_open};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        put(out, cap, n, v[i]);
    for (int i = 1; i <= 20; i++) {
        double q = 0.0;
        st = keep_first(st, cxm_survival_quantile(a, i / 20.0, &q));
        put(out, cap, n, q);
    }
    return st;
}

static uint64_t survival_events(const void *a)
{
    cxm_survival_result r = {.size = sizeof r};
    if (cxm_survival_result_get(a, 0.0, &r) != CXM_OK) return 0;
    return r.n;
}

/* ---- ticket roll-up ------------------------------------------------------------ */

CXM_ADAPT(rollup)

/*
 * Variants differ in profile, in the times kept or in the SLA policy: none
 * of them merge. Variant 2 evaluates first reply (1 h) and resolution (8 h)
 * in calendar time; the roll-up copies the policy, so it lives on the stack.
 * Variant 3 is live mode with the same policy: running targets go into an
 * index of ROLLUP_RUNNING entries (a feed of more is refused), read when
 * figures are read, and an open-ticket index of as many (survival figures).
 * Variant 4 is variant 0 keeping the full resolution time only, with a
 * pool of ROLLUP_PAGES pages.
 */
#define ROLLUP_RUNNING 256u
#define ROLLUP_PAGES 160u
static cxm_status rollup_make(const cxm_allocator *al, uint32_t v, void **out)
{
    static const uint32_t profile[4] = {CXM_FCR_ZENDESK, CXM_FCR_FRESHDESK, CXM_FCR_ZENDESK,
                                        CXM_FCR_ZENDESK};
    const bool sla = v % 4 >= 2;
    cxm_rollup_options o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.channels = 3;
    o.topics = 2;
    o.priorities = 4;
    o.agents = 4;
    o.times = sla ? 0 : (1u << CXM_ROLLUP_FIRST_REPLY) | (1u << CXM_ROLLUP_FULL_RESOLUTION);
    _Alignas(16) unsigned char mem[1024];
    cxm_sla_policy *policy = NULL;
    if (sla) {
        if (cxm_sla_policy_footprint(4) > sizeof mem ||
            cxm_sla_policy_init_in(mem, sizeof mem, 4, &policy) != CXM_OK)
            return CXM_OUT_OF_MEMORY;
        for (uint32_t p = 0; p < 4; p++)
            if (cxm_sla_policy_set_target(policy, p, CXM_SLA_FIRST_REPLY, 3600,
                                          CXM_SLA_CALENDAR_TIME) != CXM_OK ||
                cxm_sla_policy_set_target(policy, p, CXM_SLA_TOTAL_RESOLUTION, 8 * 3600,
                                          CXM_SLA_CALENDAR_TIME) != CXM_OK)
                return CXM_INVALID_ARGUMENT;
        o.sla_policy = policy;
        o.sla_as_of = v % 4 == 3 ? 0 : 1700000000 + 2000000;
        o.running = v % 4 == 3 ? ROLLUP_RUNNING : 0;
        o.open = v % 4 == 3 ? ROLLUP_RUNNING : 0; /* open tickets' creations, for survival */
    }
    /*
     * Crosses: channel x priority everywhere but variant 3, with agent x
     * topic in variant 1; variant 2 counts its agents apart and crosses
     * topic x priority; variant 3 (live) crosses agent x channel.
     */
    static const uint32_t cross[4][2][2] = {
        {{CXM_ROLLUP_CHANNEL, CXM_ROLLUP_PRIORITY}, {0, 0}},
        {{CXM_ROLLUP_CHANNEL, CXM_ROLLUP_PRIORITY}, {CXM_ROLLUP_AGENT, CXM_ROLLUP_TOPIC}},
        {{CXM_ROLLUP_TOPIC, CXM_ROLLUP_PRIORITY}, {0, 0}},
        {{CXM_ROLLUP_AGENT, CXM_ROLLUP_CHANNEL}, {0, 0}}};
    for (uint32_t j = 0; j < 2; j++) {
        o.cross[j].first = cross[v % 4][j][0];
        o.cross[j].second = cross[v % 4][j][1];
        o.crosses += o.cross[j].first != 0;
    }
    if (v % 4 == 2) o.agent_kind = CXM_ROLLUP_AGENT_COUNTS;
    /* Variant 4: variant 0 with a pool of ROLLUP_PAGES pages, enough for the gates' feeds;
     * long sequences (the sequence fuzzer) run it out (CXM_CAPACITY, nothing changed). */
    if (v == 4) {
        o.memory_budget = ROLLUP_PAGES * CXM_ROLLUP_PAGE_BYTES;
        o.times = 1u << CXM_ROLLUP_FULL_RESOLUTION; /* another configuration: no merge with 0 */
    }
    cxm_status st = cxm_rollup_new(profile[v % 4], &o, al, (cxm_rollup **)out);
    cxm_sla_policy_free(policy);
    return st;
}

#define ROLLUP_BYTES 8
/*
 * Eight bytes a ticket: channel (mod 4, 3 = none), topic (mod 3, 2 = none),
 * priority (mod 4), agent (mod 5, 4 = none), a life (mod 6: open, replied,
 * solved, reopened and solved again, reopened and open, self-service),
 * agent replies (whose bits 2 and 3 also add a CSAT and a CES answer),
 * customer replies, and a time scale (the bytes also give an NPS answer,
 * transfers, handle time and closed-unresolved open tickets); a channel byte of 255
 * is beyond the capacity and a time byte of 255 puts the reply before the
 * creation, so refusals turn up now and then.
 */
static cxm_ticket rollup_ticket(const uint8_t *d)
{
    cxm_ticket t;
    memset(&t, 0, sizeof t);
    t.size = sizeof t;
    t.channel = d[0] == 255 ? 7u : (d[0] % 4 == 3 ? CXM_ROLLUP_NONE : d[0] % 4u);
    t.topic = d[1] % 3 == 2 ? CXM_ROLLUP_NONE : d[1] % 3u;
    t.priority = d[2] % 4u;
    t.agent = d[3] % 5 == 4 ? CXM_ROLLUP_NONE : d[3] % 5u;
    t.agent_replies = d[5] % 4u;
    t.customer_replies = d[6] % 3u;
    int64_t scale = 1 + d[7];
    t.created = 1700000000 + 977 * (int64_t)d[7];
    int life = d[4] % 6;
    if (life >= 1 && life <= 4)
        t.first_reply = d[7] == 255 ? t.created - 5 : t.created + 31 * scale;
    if (life >= 2) {
        t.first_solved = t.created + 3607 * scale;
        t.requester_wait = 11.5 * (double)scale;
        t.on_hold = (double)(d[6] % 3) * 60.0;
    }
    if (life == 3 || life == 4) t.reopens = 1u + d[5] % 2u;
    if (life == 3) t.last_solved = t.first_solved + 86400;
    if (life == 5) t.flags = CXM_TICKET_SELF_SERVICE;
    if (d[5] & 4u) {
        t.flags |= CXM_TICKET_HAS_CSAT;
        t.csat = 1 + d[6] % 5;
    }
    if (d[5] & 8u) {
        t.flags |= CXM_TICKET_HAS_CES;
        t.ces = 1 + d[1] % 7;
    }
    /* The grown record: an NPS answer, transfers, handle time, and open tickets closed unresolved.
     */
    if (d[6] & 4u) {
        t.flags |= CXM_TICKET_HAS_NPS;
        t.nps = d[7] % 11;
    }
    if (life != 5) t.transfers = (d[3] >> 3) % 3u;
    t.handle_time = 45.0 * (double)(1 + d[0] % 7) + (double)(d[7] % 13);
    if ((life == 0 || life == 1 || life == 4) && (d[2] & 8u)) t.flags |= CXM_TICKET_UNRESOLVED;
    return t;
}

static cxm_status rollup_feed(void *a, const uint8_t *d, size_t n, size_t *bad)
{
    size_t m = n / ROLLUP_BYTES < CXM_FEED_MAX / ROLLUP_BYTES ? n / ROLLUP_BYTES
                                                              : CXM_FEED_MAX / ROLLUP_BYTES;
    cxm_ticket local[CXM_FEED_MAX / ROLLUP_BYTES];
    for (size_t i = 0; i < m; i++)
        local[i] = rollup_ticket(d + ROLLUP_BYTES * i);
    return cxm_rollup_add_many(a, local, m, bad, NULL);
}

static cxm_status rollup_feed_each(void *a, const uint8_t *d, size_t n)
{
    size_t m = n / ROLLUP_BYTES < CXM_FEED_MAX / ROLLUP_BYTES ? n / ROLLUP_BYTES
                                                              : CXM_FEED_MAX / ROLLUP_BYTES;
    for (size_t i = 0; i < m; i++) {
        cxm_ticket t = rollup_ticket(d + ROLLUP_BYTES * i);
        cxm_status st = cxm_rollup_add(a, &t, NULL);
        if (st != CXM_OK) return st;
    }
    return CXM_OK;
}

/* A solved ticket whose ids and times vary without a division: benchmarks time the library. */
static cxm_status rollup_add_one(void *a, uint64_t i)
{
    const uint8_t d[ROLLUP_BYTES] = {
        (uint8_t)(i & 1u), (uint8_t)(i & 1u), (uint8_t)(i & 3u),   (uint8_t)(i & 3u), 2,
        (uint8_t)(i & 3u), (uint8_t)(i & 1u), (uint8_t)(i & 0x7Fu)};
    cxm_ticket t = rollup_ticket(d);
    return cxm_rollup_add(a, &t, NULL);
}

static void rate_put(const cxm_rate_result *r, double *out, size_t cap, size_t *n)
{
    const double v[] = {
        (double)r->use, (double)r->definition, (double)r->successes, (double)r->trials,
        r->rate,        r->ci.lower,           r->ci.upper};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        put(out, cap, n, v[i]);
}

/* The group kinds of a roll-up, in cxm_rollup_group order (their counts: live_check.h). */
#define ROLLUP_KINDS CXM_ROLLUP_KINDS
static const uint32_t rollup_kinds[ROLLUP_KINDS] = {CXM_ROLLUP_OVERALL, CXM_ROLLUP_CHANNEL,
                                                    CXM_ROLLUP_TOPIC,   CXM_ROLLUP_PRIORITY,
                                                    CXM_ROLLUP_AGENT,   CXM_ROLLUP_CELL};

static cxm_status rollup_summary(const void *a, double *out, size_t cap, size_t *n)
{
    cxm_status st = CXM_OK;
    *n = 0;
    uint32_t profile;
    cxm_rollup_options o = {.size = sizeof o};
    st = keep_first(st, cxm_rollup_config(a, &profile, &o));
    const uint32_t *kinds = rollup_kinds;
    uint32_t count[ROLLUP_KINDS];
    cxm_rollup_group_counts(&o, count);
    /*
     * SLA outcomes with a policy only: a live roll-up may have none (a
     * running-target index that never gets a target). For valid arguments
     * CXM_INVALID_ARGUMENT is sla_get's way of saying so, and its only one.
     */
    cxm_sla_result probe = {.size = sizeof probe};
    const bool has_sla = cxm_rollup_sla_get(a, CXM_ROLLUP_OVERALL, 0, CXM_SLA_FIRST_REPLY, 0.0,
                                            &probe) != CXM_INVALID_ARGUMENT;
    for (uint32_t g = 0; g < ROLLUP_KINDS; g++) {
        for (uint32_t id = 0; id < count[g]; id++) {
            cxm_rollup_result r = {.size = sizeof r};
            st = keep_first(st, cxm_rollup_result_get(a, kinds[g], id, 0.0, &r));
            const double v[] = {
                (double)r.tickets,       (double)r.solved,           (double)r.open,
                (double)r.ever_solved,   (double)r.reopened,         (double)r.reopens,
                (double)r.self_service,  (double)r.assisted,         (double)r.replied,
                (double)r.agent_replies, (double)r.customer_replies, (double)r.fcr_profile};
            for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
                put(out, cap, n, v[i]);
            rate_put(&r.fcr, out, cap, n);
            rate_put(&r.reopen, out, cap, n);
            rate_put(&r.deflection, out, cap, n);
            put(out, cap, n, (double)r.unresolved);
            put(out, cap, n, (double)r.transferred);
            put(out, cap, n, (double)r.transfers);
            rate_put(&r.unresolved_share, out, cap, n);
            rate_put(&r.transfer_rate, out, cap, n);
            for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++) {
                if (!(o.times & (1u << t))) continue;
                cxm_duration_result tr = {.size = sizeof tr};
                st = keep_first(st, cxm_rollup_duration_get(a, kinds[g], id, t, 0.0, &tr));
                const double w[] = {(double)tr.n, tr.mean, tr.sd,  tr.min, tr.max,
                                    tr.median,    tr.p90,  tr.p99, tr.sum};
                for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
                    put(out, cap, n, w[i]);
            }
        }
    }
    for (uint32_t g = 0; g < ROLLUP_KINDS; g++) {
        for (uint32_t id = 0; id < count[g]; id++) {
            cxm_csat_result cs = {.size = sizeof cs};
            st = keep_first(st, cxm_rollup_csat_get(a, kinds[g], id, 0.0, &cs));
            cxm_ces_result ce = {.size = sizeof ce};
            st = keep_first(st, cxm_rollup_ces_get(a, kinds[g], id, 0.0, &ce));
            const double v[] = {(double)cs.n, cs.mean, cs.satisfied_pct, cs.satisfied_ci.lower,
                                (double)ce.n, ce.mean, ce.easy_pct,      ce.index};
            for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
                put(out, cap, n, v[i]);
            if (o.open) {
                int64_t at = 0;
                if (cxm_rollup_latest(a, &at) != CXM_OK) at = 1700000000;
                cxm_survival_result sv = {.size = sizeof sv};
                const double ts[2] = {3600.0, 86400.0};
                double s2[2] = {0, 0};
                st = keep_first(
                    st, cxm_rollup_survival_get_at(a, kinds[g], id, at, 0.0, ts, s2, 2, &sv));
                const double w[] = {(double)sv.n,    (double)sv.open, sv.median, sv.median_ci.lower,
                                    sv.survival_end, s2[0],           s2[1]};
                for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
                    put(out, cap, n, w[i]);
            }
            cxm_nps_result np = {.size = sizeof np};
            st = keep_first(st, cxm_rollup_nps_get(a, kinds[g], id, 0.0, CXM_NPS_WALD, &np));
            const double u[] = {(double)np.kind,       (double)np.n, (double)np.promoters,
                                (double)np.detractors, np.nps,       np.ci.lower};
            for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
                put(out, cap, n, u[i]);
            for (uint32_t m = 0; has_sla && m < 2; m++) {
                cxm_sla_result sr = {.size = sizeof sr};
                const uint32_t metric = m ? CXM_SLA_TOTAL_RESOLUTION : CXM_SLA_FIRST_REPLY;
                st = keep_first(st, cxm_rollup_sla_get(a, kinds[g], id, metric, 0.0, &sr));
                const double w[] = {(double)sr.achieved, (double)sr.breached,
                                    (double)sr.active,   (double)sr.active_past_due,
                                    sr.compliance_pct,   sr.ci.lower,
                                    sr.lateness_mean,    sr.lateness_max};
                for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
                    put(out, cap, n, w[i]);
            }
        }
    }
    for (uint32_t ag = 0; ag < o.agents; ag++) {
        cxm_rollup_agent_result r = {.size = sizeof r};
        st = keep_first(st, cxm_rollup_agent_get(a, ag, &r));
        put(out, cap, n, (double)r.tickets);
        put(out, cap, n, (double)r.solved);
    }
    return st;
}

static uint64_t rollup_events(const void *a)
{
    cxm_rollup_result r = {.size = sizeof r};
    cxm_status st = cxm_rollup_result_get(a, CXM_ROLLUP_OVERALL, 0, 0.0, &r);
    return st == CXM_OK || st == CXM_EMPTY ? r.tickets : 0;
}

/* ---- SLA ----------------------------------------------------------------------- */

CXM_ADAPT(sla)

/* Variants differ in their number of priority levels. */
static const uint32_t sla_levels_of[3] = {4, 1, 5};

static cxm_status sla_make(const cxm_allocator *al, uint32_t v, void **out)
{
    return cxm_sla_new(sla_levels_of[v % 3], al, (cxm_sla **)out);
}

/*
 * Four bytes per outcome: priority (255 is beyond every capacity), metric and
 * outcome, and two bytes of lateness (breached: 1 .. 65536 s; running: 0 or
 * more; achieved: 0).
 */
static void sla_decode_record(const uint8_t *d, uint32_t levels, uint32_t *p, uint32_t *m,
                              uint8_t *o, int64_t *late)
{
    *p = d[0] == 255 ? 255u : d[0] % levels;
    *m = (uint32_t)(d[1] / 3) % 7u;
    *o = (uint8_t)(1 + d[1] % 3);
    int64_t l = (int64_t)d[2] << 8 | d[3];
    *late = *o == CXM_SLA_ACHIEVED ? 0 : (*o == CXM_SLA_BREACHED ? l + 1 : (l & 1 ? l : 0));
}

static cxm_status sla_feed(void *a, const uint8_t *d, size_t n, size_t *bad)
{
    enum { MAX = CXM_FEED_MAX / 4 };
    uint32_t levels = 0, ps[MAX], ms[MAX];
    uint8_t os[MAX];
    int64_t ls[MAX];
    cxm_status st = cxm_sla_levels(a, &levels);
    if (st != CXM_OK) return st;
    size_t k = n / 4 < MAX ? n / 4 : MAX;
    for (size_t i = 0; i < k; i++)
        sla_decode_record(d + 4 * i, levels, &ps[i], &ms[i], &os[i], &ls[i]);
    return cxm_sla_add_many(a, ps, ms, os, ls, k, bad);
}

static cxm_status sla_feed_each(void *a, const uint8_t *d, size_t n)
{
    uint32_t levels = 0, p, m;
    uint8_t o;
    int64_t l;
    cxm_status st = cxm_sla_levels(a, &levels);
    size_t k = n / 4 < CXM_FEED_MAX / 4 ? n / 4 : CXM_FEED_MAX / 4;
    for (size_t i = 0; i < k && st == CXM_OK; i++) {
        sla_decode_record(d + 4 * i, levels, &p, &m, &o, &l);
        st = cxm_sla_add(a, p, m, o, l);
    }
    return st;
}

/* Breaches of metrics 0..3 late by 1..1024 s, without a division. */
static cxm_status sla_add_one(void *a, uint64_t i)
{
    return cxm_sla_add(a, 0, (uint32_t)(i & 3u), CXM_SLA_BREACHED, (int64_t)(i & 1023u) + 1);
}

static cxm_status sla_summary(const void *a, double *out, size_t cap, size_t *n)
{
    uint32_t levels = 0;
    cxm_status st = cxm_sla_levels(a, &levels);
    *n = 0;
    if (st != CXM_OK) return st;
    put(out, cap, n, levels);
    static const double qs[5] = {0.0, 0.5, 0.9, 0.99, 1.0};
    for (uint32_t m = 0; m < 7; m++) {
        for (uint32_t p = 0; p <= levels; p++) {
            cxm_sla_result r = {.size = sizeof r};
            st = keep_first(
                st, cxm_sla_result_get(a, p == levels ? CXM_SLA_ALL_PRIORITIES : p, m, 0.0, &r));
            const double v[] = {
                (double)r.achieved, (double)r.breached, (double)r.active, (double)r.active_past_due,
                r.compliance_pct,   r.ci.lower,         r.ci.upper,       r.lateness_mean,
                r.lateness_max};
            for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
                put(out, cap, n, v[i]);
        }
        double q[5] = {0, 0, 0, 0, 0};
        st = keep_first(st, cxm_sla_lateness_quantiles(a, m, qs, 5, q, NULL));
        for (size_t i = 0; i < 5; i++)
            put(out, cap, n, q[i]);
    }
    return st;
}

static uint64_t sla_events(const void *a)
{
    uint64_t total = 0;
    for (uint32_t m = 0; m < 7; m++) {
        cxm_sla_result r = {.size = sizeof r};
        cxm_status st = cxm_sla_result_get(a, CXM_SLA_ALL_PRIORITIES, m, 0.0, &r);
        if (st == CXM_OK || st == CXM_EMPTY) total += r.achieved + r.breached + r.active;
    }
    return total;
}

/* ---- series ------------------------------------------------------------------ */

CXM_ADAPT(series)

/*
 * Variants: a daily series of transactional NPS in UTC+1 (14 days), an
 * hourly series of durations (48 hours), a weekly series of CSAT (8 weeks).
 * Every event lies within max_ahead buckets of the first, so no event is
 * refused for its instant and merged feeds equal one feed.
 */
#define SERIES_T0 1793577600LL /* 2026-11-02, a Monday */

typedef struct series_variant {
    uint32_t width, buckets;
    int32_t offset;
    int64_t span;   /* seconds of the instants events take: max_ahead buckets */
    uint32_t bytes; /* per event: one for the instant, the rest the value */
} series_variant;

static const series_variant series_variants[3] = {
    {CXM_SERIES_DAY, 14, 3600, 7 * 86400, 2},
    {CXM_SERIES_HOUR, 48, 0, 24 * 3600, 3},
    {CXM_SERIES_WEEK, 8, 0, 4 * 7 * 86400, 2},
};

static const series_variant *series_variant_of(const void *a)
{
    uint32_t family = 0;
    if (cxm_series_family(a, &family) != CXM_OK) return &series_variants[0];
    return &series_variants[family == CXM_FAMILY_NPS ? 0 : family == CXM_FAMILY_DURATION ? 1 : 2];
}

static cxm_status series_make(const cxm_allocator *al, uint32_t v, void **out)
{
    const series_variant *sv = &series_variants[v % 3];
    void *proto = NULL;
    cxm_status st = v % 3 == 0   ? cxm_nps_new(CXM_NPS_TRANSACTIONAL, 0, al, (cxm_nps **)&proto)
                    : v % 3 == 1 ? cxm_duration_new(NULL, al, (cxm_duration **)&proto)
                                 : cxm_csat_new(NULL, al, (cxm_csat **)&proto);
    if (st != CXM_OK) return st;
    cxm_series_options o = {.size = sizeof o,
                            .width = sv->width,
                            .buckets = sv->buckets,
                            .utc_offset = sv->offset,
                            .start = SERIES_T0};
    st = cxm_series_new(&o, proto, al, (cxm_series **)out);
    if (v % 3 == 0) cxm_nps_free(proto);
    if (v % 3 == 1) cxm_duration_free(proto);
    if (v % 3 == 2) cxm_csat_free(proto);
    return st;
}

static int64_t series_instant(const series_variant *sv, uint8_t b)
{
    return SERIES_T0 + (int64_t)(((uint64_t)b * (uint64_t)sv->span) >> 8);
}

static cxm_status series_feed(void *a, const uint8_t *d, size_t n, size_t *bad)
{
    const series_variant *sv = series_variant_of(a);
    /* At least two bytes an event. */
    int64_t t[CXM_FEED_MAX / 2];
    uint8_t sc[CXM_FEED_MAX / 2];
    double v[CXM_FEED_MAX / 2];
    n = n < CXM_FEED_MAX ? n : CXM_FEED_MAX;
    size_t m = n / sv->bytes;
    for (size_t i = 0; i < m; i++) {
        const uint8_t *e = d + i * sv->bytes;
        t[i] = series_instant(sv, e[0]);
        sc[i] = sv->width == CXM_SERIES_DAY ? (uint8_t)(e[1] % 12) : scale_byte(e[1], 1, 5);
        if (sv->bytes == 3) v[i] = duration_of(e[1], e[2]);
    }
    if (sv->width == CXM_SERIES_DAY) return cxm_series_nps_add_many(a, t, sc, m, bad);
    if (sv->width == CXM_SERIES_HOUR) return cxm_series_duration_add_many(a, t, v, m, bad);
    return cxm_series_csat_add_many(a, t, sc, m, bad);
}

static cxm_status series_feed_each(void *a, const uint8_t *d, size_t n)
{
    const series_variant *sv = series_variant_of(a);
    n = n < CXM_FEED_MAX ? n : CXM_FEED_MAX;
    for (size_t i = 0; i + sv->bytes <= n; i += sv->bytes) {
        int64_t t = series_instant(sv, d[i]);
        cxm_status st = sv->width == CXM_SERIES_DAY ? cxm_series_nps_add(a, t, d[i + 1] % 12)
                        : sv->width == CXM_SERIES_HOUR
                            ? cxm_series_duration_add(a, t, duration_of(d[i + 1], d[i + 2]))
                            : cxm_series_csat_add(a, t, scale_byte(d[i + 1], 1, 5));
        if (st != CXM_OK) return st;
    }
    return CXM_OK;
}

static cxm_status series_add_one(void *a, uint64_t i)
{
    const series_variant *sv = series_variant_of(a);
    int64_t t = series_instant(sv, (uint8_t)(i >> 3));
    if (sv->width == CXM_SERIES_DAY) return cxm_series_nps_add(a, t, 3 + (int32_t)(i & 7u));
    if (sv->width == CXM_SERIES_HOUR) return cxm_series_duration_add(a, t, (double)(i & 1023u));
    return cxm_series_csat_add(a, t, 1 + (int32_t)(i % 5u));
}

/* The family of the buckets, as its own table row. */
static const cxm_family_ops *series_inner(const void *a)
{
    uint32_t family = 0;
    return cxm_series_family(a, &family) == CXM_OK ? cxm_family_by_id(family) : NULL;
}

/* Per bucket, newest first: its number, start and end, then the inner family's summary. */
static cxm_status series_summary(const void *a, double *out, size_t cap, size_t *n)
{
    const cxm_family_ops *inner = series_inner(a);
    cxm_series_options o = {.size = sizeof o};
    cxm_status st = keep_first(CXM_OK, cxm_series_config(a, &o));
    *n = 0;
    for (uint32_t age = 0; inner && st == CXM_OK && age < o.buckets; age++) {
        const void *acc = NULL;
        cxm_series_bucket_info info = {.size = sizeof info};
        st = keep_first(st, cxm_series_bucket(a, age, &acc, &info));
        if (st != CXM_OK) break;
        put(out, cap, n, (double)info.number);
        put(out, cap, n, (double)info.start);
        put(out, cap, n, (double)info.end);
        size_t m = 0;
        st = keep_first(
            st, inner->summary(acc, *n < cap ? out + *n : NULL, *n < cap ? cap - *n : 0, &m));
        *n += m;
    }
    return st;
}

static uint64_t series_events(const void *a)
{
    const cxm_family_ops *inner = series_inner(a);
    uint64_t total = 0;
    for (uint32_t age = 0; inner; age++) {
        const void *acc = NULL;
        if (cxm_series_bucket(a, age, &acc, NULL) != CXM_OK) break;
        total += inner->events(acc);
    }
    return total;
}

/* ---- backlog ------------------------------------------------------------------ */

CXM_ADAPT(backlog)

/*
 * Variants: a daily backlog in UTC (14 days), an hourly one in UTC+1 (48
 * hours), a weekly one (8 weeks), all with the clock at SERIES_T0. Records
 * are created from `span` before the ring up to max_ahead buckets after
 * the clock, so some count in the balance before the horizon and none is
 * refused for its instant: merged feeds equal one feed.
 */
typedef struct backlog_variant {
    uint32_t width, buckets;
    int32_t offset;
    int64_t before, ahead; /* instants lie in [T0 - before, T0 + ahead) */
} backlog_variant;

static const backlog_variant backlog_variants[3] = {
    {CXM_SERIES_DAY, 14, 0, 20 * 86400, 7 * 86400},
    {CXM_SERIES_HOUR, 48, 3600, 60 * 3600, 24 * 3600},
    {CXM_SERIES_WEEK, 8, 0, 10 * 7 * 86400, 4 * 7 * 86400},
};

static const backlog_variant *backlog_variant_of(const void *a)
{
    cxm_series_options o = {.size = sizeof o};
    if (cxm_backlog_config(a, &o) != CXM_OK) return &backlog_variants[0];
    return &backlog_variants[o.width == CXM_SERIES_DAY ? 0 : o.width == CXM_SERIES_HOUR ? 1 : 2];
}

static cxm_status backlog_make(const cxm_allocator *al, uint32_t v, void **out)
{
    const backlog_variant *bv = &backlog_variants[v % 3];
    cxm_series_options o = {.size = sizeof o,
                            .width = bv->width,
                            .buckets = bv->buckets,
                            .utc_offset = bv->offset,
                            .start = SERIES_T0};
    return cxm_backlog_new(&o, al, (cxm_backlog **)out);
}

/*
 * Four bytes a record: its creation, first solve and last solve as
 * positions in the variant's range of instants (a solve before the
 * creation now and then: a refused record), and its kind (open, solved,
 * reopened and open, reopened and solved again).
 */
#define BACKLOG_BYTES 4u
static cxm_ticket backlog_ticket(const backlog_variant *bv, const uint8_t *e)
{
    const int64_t lo = SERIES_T0 - bv->before, span = bv->before + bv->ahead;
    const uint8_t c = e[0], s1 = e[3] & 64u ? e[1] : (e[1] > c ? e[1] : c),
                  s2 = e[2] > s1 ? e[2] : s1;
    cxm_ticket t = {.size = sizeof t,
                    .created = lo + (int64_t)(((uint64_t)c * (uint64_t)span) >> 8)};
    const int64_t first = lo + (int64_t)(((uint64_t)s1 * (uint64_t)span) >> 8) + 1;
    switch (e[3] & 3u) {
    case 1: t.first_solved = first; break;
    case 2:
        t.first_solved = first;
        t.reopens = 1 + (e[3] >> 2 & 3u);
        break;
    case 3:
        t.first_solved = first;
        t.reopens = 1 + (e[3] >> 2 & 3u);
        t.last_solved = lo + (int64_t)(((uint64_t)s2 * (uint64_t)span) >> 8) + 1;
        break;
    default: break;
    }
    return t;
}

static cxm_status backlog_feed(void *a, const uint8_t *d, size_t n, size_t *bad)
{
    const backlog_variant *bv = backlog_variant_of(a);
    cxm_ticket t[CXM_FEED_MAX / BACKLOG_BYTES];
    n = n < CXM_FEED_MAX ? n : CXM_FEED_MAX;
    size_t m = n / BACKLOG_BYTES;
    for (size_t i = 0; i < m; i++)
        t[i] = backlog_ticket(bv, d + i * BACKLOG_BYTES);
    return cxm_backlog_add_many(a, t, m, bad, NULL);
}

/*
 * The same records one by one, each the way a live ticket arrives: added
 * open at its creation, then replaced by its record (a refused record is
 * retracted again, so the backlog keeps what came before).
 */
static cxm_status backlog_feed_each(void *a, const uint8_t *d, size_t n)
{
    const backlog_variant *bv = backlog_variant_of(a);
    n = n < CXM_FEED_MAX ? n : CXM_FEED_MAX;
    for (size_t i = 0; i + BACKLOG_BYTES <= n; i += BACKLOG_BYTES) {
        cxm_ticket t = backlog_ticket(bv, d + i), open = t;
        open.first_solved = open.last_solved = 0;
        open.reopens = 0;
        cxm_status st = cxm_backlog_add(a, &open, NULL);
        if (st != CXM_OK) return st;
        if ((st = cxm_backlog_replace(a, &open, &t, NULL)) != CXM_OK) {
            if (cxm_backlog_retract(a, &open, NULL) != CXM_OK) return CXM_BAD_STATE;
            return st;
        }
    }
    return CXM_OK;
}

static cxm_status backlog_add_one(void *a, uint64_t i)
{
    const uint8_t e[4] = {(uint8_t)(i >> 2), (uint8_t)(i >> 5), (uint8_t)(i >> 9),
                          (uint8_t)(i & 3u)};
    cxm_ticket t = backlog_ticket(backlog_variant_of(a), e);
    return cxm_backlog_add(a, &t, NULL);
}

/*
 * The balance before the horizon (rows[0], has_bucket 0) and every bucket,
 * oldest first (rows[1 .. m]), in a malloc'd array; NULL if refused.
 */
static cxm_backlog_result *backlog_rows(const void *a, size_t *m)
{
    *m = 0;
    if (cxm_backlog_list(a, NULL, 0, m) != CXM_BUFFER_TOO_SMALL) return NULL;
    cxm_backlog_result *r = malloc((*m + 1) * sizeof *r);
    if (!r) return NULL;
    r[0].size = r[1].size = sizeof *r;
    if (cxm_backlog_before(a, &r[0]) != CXM_OK || cxm_backlog_list(a, r + 1, *m, m) != CXM_OK) {
        free(r);
        return NULL;
    }
    return r;
}

/* The balance before the horizon, then per bucket, oldest first: where it lies and its counts. */
static cxm_status backlog_summary(const void *a, double *out, size_t cap, size_t *n)
{
    *n = 0;
    size_t m = 0;
    cxm_backlog_result *r = backlog_rows(a, &m);
    if (!r) return CXM_INVALID_ARGUMENT;
    put(out, cap, n, (double)r[0].created);
    put(out, cap, n, (double)r[0].solved);
    put(out, cap, n, (double)r[0].open);
    for (size_t k = 1; k <= m; k++) {
        const double v[] = {(double)r[k].number,  (double)r[k].start,  (double)r[k].end,
                            (double)r[k].created, (double)r[k].solved, (double)r[k].open};
        for (size_t j = 0; j < sizeof v / sizeof v[0]; j++)
            put(out, cap, n, v[j]);
    }
    free(r);
    return CXM_OK;
}

/* Records held: every creation, in the ring or before it. */
static uint64_t backlog_events(const void *a)
{
    size_t m = 0;
    cxm_backlog_result *r = backlog_rows(a, &m);
    uint64_t total = 0;
    for (size_t k = 0; r && k <= m; k++)
        total += r[k].created;
    free(r);
    return total;
}

/* ---- bounds: every share, score and interval in its domain -------------------- */

/* The first violation found, or NULL; `what` names the field. */
static const char *in_domain(const char *what, double v, double lo, double hi)
{
    return v >= lo && v <= hi ? NULL : what;
}

/* An interval within [lo, hi] that contains its point estimate (itself checked). */
static const char *holds(const char *what, const cxm_interval *ci, double point, double lo,
                         double hi)
{
    if (!(point >= lo && point <= hi)) return what;
    if (!(ci->lower >= lo && ci->upper <= hi && ci->lower <= point && point <= ci->upper))
        return what;
    return NULL;
}

#define BOUND(expr)                                                                                \
    do {                                                                                           \
        const char *bad_ = (expr);                                                                 \
        if (bad_) return bad_;                                                                     \
    } while (0)

static const char *nps_result_bounds(const cxm_nps_result *r)
{
    BOUND(in_domain("nps promoter_pct", r->promoter_pct, 0.0, 100.0));
    BOUND(in_domain("nps passive_pct", r->passive_pct, 0.0, 100.0));
    BOUND(in_domain("nps detractor_pct", r->detractor_pct, 0.0, 100.0));
    BOUND(holds("nps ci around nps", &r->ci, r->nps, -100.0, 100.0));
    return NULL;
}

static const char *nps_bounds(const void *a)
{
    for (uint32_t m = 0; m < 2; m++) {
        cxm_nps_result r = {.size = sizeof r};
        if (cxm_nps_result_get(a, 0.0, m, &r) == CXM_OK) BOUND(nps_result_bounds(&r));
    }
    return NULL;
}

static const char *panel_bounds(const void *a)
{
    uint32_t count, capacity;
    if (cxm_nps_panel_brands(a, &count, &capacity) != CXM_OK) return "panel brands";
    cxm_nps_result r = {.size = sizeof r};
    if (cxm_nps_panel_result(a, 0, 0.0, 0, &r) == CXM_OK) BOUND(nps_result_bounds(&r));
    for (uint32_t i = 0; i < count; i++) {
        cxm_nps_gap g = {.size = sizeof g};
        if (cxm_nps_panel_gap(a, i, 0.0, 0, &g) != CXM_OK) continue;
        BOUND(holds("panel gap ci around gap", &g.ci, g.gap, -200.0, 200.0));
        BOUND(in_domain("panel gap p", g.p, 0.0, 1.0));
        if (cxm_nps_panel_result(a, g.brand, 0.0, 1, &r) == CXM_OK) BOUND(nps_result_bounds(&r));
    }
    return NULL;
}

static const char *rate_result_bounds(const cxm_rate_result *r)
{
    return r->trials ? holds("rate ci around rate", &r->ci, r->rate, 0.0, 1.0) : NULL;
}

static const char *rate_bounds(const void *a)
{
    cxm_rate_result r = {.size = sizeof r};
    return cxm_rate_result_get(a, 0.0, &r) == CXM_OK ? rate_result_bounds(&r) : NULL;
}

static const char *churn_bounds(const void *a)
{
    cxm_churn_customer_result c = {.size = sizeof c};
    if (cxm_churn_customer_result_get(a, 0.0, &c) == CXM_OK) {
        BOUND(holds("churn ci around churn_rate", &c.churn_ci, c.churn_rate, 0.0, 1.0));
        BOUND(holds("retention ci around retention_rate", &c.retention_ci, c.retention_rate, 0.0,
                    1.0));
    }
    cxm_churn_revenue_result r = {.size = sizeof r};
    if (cxm_churn_revenue_result_get(a, &r) == CXM_OK)
        BOUND(in_domain("gross_revenue_churn", r.gross_revenue_churn, 0.0, 1.0));
    cxm_churn_renewal_result w = {.size = sizeof w};
    if (cxm_churn_renewal_result_get(a, 0.0, &w) == CXM_OK)
        BOUND(holds("renewal ci around renewal_rate", &w.renewal_ci, w.renewal_rate, 0.0, 1.0));
    return NULL;
}

static const char *csat_result_bounds(const cxm_csat_result *r)
{
    if (r->n == 0) return NULL;
    BOUND(holds("csat mean ci around mean", &r->mean_ci, r->mean, r->scale_min, r->scale_max));
    BOUND(in_domain("csat median", r->median, r->scale_min, r->scale_max));
    BOUND(holds("csat satisfied ci around satisfied_pct", &r->satisfied_ci, r->satisfied_pct, 0.0,
                100.0));
    return NULL;
}

static const char *ces_result_bounds(const cxm_ces_result *r)
{
    if (r->n == 0) return NULL;
    BOUND(holds("ces mean ci around mean", &r->mean_ci, r->mean, r->scale_min, r->scale_max));
    BOUND(in_domain("ces median", r->median, r->scale_min, r->scale_max));
    BOUND(holds("ces easy ci around easy_pct", &r->easy_ci, r->easy_pct, 0.0, 100.0));
    if (r->index_defined)
        BOUND(holds("ces index ci around index", &r->index_ci, r->index, -100.0, 100.0));
    return NULL;
}

static const char *csat_bounds(const void *a)
{
    cxm_csat_result r = {.size = sizeof r};
    return cxm_csat_result_get(a, 0.0, &r) == CXM_OK ? csat_result_bounds(&r) : NULL;
}

static const char *ces_bounds(const void *a)
{
    cxm_ces_result r = {.size = sizeof r};
    return cxm_ces_result_get(a, 0.0, &r) == CXM_OK ? ces_result_bounds(&r) : NULL;
}

static const char *duration_result_bounds(const cxm_duration_result *r)
{
    if (r->n == 0) return NULL;
    BOUND(in_domain("duration mean", r->mean, r->min, r->max));
    BOUND(in_domain("duration median", r->median, r->min, r->max));
    BOUND(in_domain("duration p90", r->p90, r->median, r->max));
    BOUND(in_domain("duration p99", r->p99, r->p90, r->max));
    BOUND(holds("duration mean ci around mean", &r->mean_ci, r->mean, 0.0, 0x1p43));
    return NULL;
}

static const char *duration_bounds(const void *a)
{
    cxm_duration_result r = {.size = sizeof r};
    return cxm_duration_result_get(a, 0.0, &r) == CXM_OK ? duration_result_bounds(&r) : NULL;
}

static const char *survival_bounds(const void *a)
{
    cxm_survival_result r = {.size = sizeof r};
    if (cxm_survival_result_get(a, 0.0, &r) != CXM_OK) return NULL;
    BOUND(in_domain("survival_end", r.survival_end, 0.0, 1.0));
    BOUND(in_domain("open_share", r.open_share, 0.0, 1.0));
    if (r.median_reached && r.ci_lower_reached)
        BOUND(in_domain("survival median ci lower", r.median_ci.lower, 0.0, r.median));
    if (r.median_reached && r.ci_upper_reached)
        BOUND(in_domain("survival median ci upper", r.median_ci.upper, r.median, 0x1p43));
    return NULL;
}

static const char *sla_result_bounds(const cxm_sla_result *r)
{
    if (r->achieved + r->breached == 0) return NULL;
    BOUND(holds("sla ci around compliance_pct", &r->ci, r->compliance_pct, 0.0, 100.0));
    if (r->breached) BOUND(in_domain("sla lateness_mean", r->lateness_mean, 1.0, r->lateness_max));
    return NULL;
}

static const char *sla_bounds(const void *a)
{
    uint32_t levels = 0;
    if (cxm_sla_levels(a, &levels) != CXM_OK) return "sla levels";
    for (uint32_t m = 0; m < 7; m++)
        for (uint32_t p = 0; p <= levels; p++) {
            cxm_sla_result r = {.size = sizeof r};
            if (cxm_sla_result_get(a, p == levels ? CXM_SLA_ALL_PRIORITIES : p, m, 0.0, &r) ==
                CXM_OK)
                BOUND(sla_result_bounds(&r));
        }
    return NULL;
}

/* One group of a roll-up: its rates, scales, SLA cells and times. */
static const char *rollup_group_bounds(const void *a, uint32_t kind, uint32_t id)
{
    cxm_rollup_result r = {.size = sizeof r};
    if (cxm_rollup_result_get(a, kind, id, 0.0, &r) != CXM_OK) return NULL;
    BOUND(rate_result_bounds(&r.fcr));
    BOUND(rate_result_bounds(&r.reopen));
    BOUND(rate_result_bounds(&r.deflection));
    cxm_csat_result cs = {.size = sizeof cs};
    if (cxm_rollup_csat_get(a, kind, id, 0.0, &cs) == CXM_OK) BOUND(csat_result_bounds(&cs));
    cxm_ces_result ce = {.size = sizeof ce};
    if (cxm_rollup_ces_get(a, kind, id, 0.0, &ce) == CXM_OK) BOUND(ces_result_bounds(&ce));
    static const uint32_t sla_metrics[2] = {CXM_SLA_FIRST_REPLY, CXM_SLA_TOTAL_RESOLUTION};
    for (uint32_t m = 0; m < 2; m++) {
        cxm_sla_result sr = {.size = sizeof sr};
        if (cxm_rollup_sla_get(a, kind, id, sla_metrics[m], 0.0, &sr) == CXM_OK)
            BOUND(sla_result_bounds(&sr));
    }
    for (uint32_t t = 0; t < CXM_ROLLUP_TIMES; t++) {
        cxm_duration_result d = {.size = sizeof d};
        if (cxm_rollup_duration_get(a, kind, id, t, 0.0, &d) == CXM_OK)
            BOUND(duration_result_bounds(&d));
    }
    return NULL;
}

static const char *rollup_bounds(const void *a)
{
    uint32_t profile;
    cxm_rollup_options o = {.size = sizeof o};
    if (cxm_rollup_config(a, &profile, &o) != CXM_OK) return "rollup config";
    uint32_t count[ROLLUP_KINDS];
    cxm_rollup_group_counts(&o, count);
    for (uint32_t k = 0; k < ROLLUP_KINDS; k++)
        for (uint32_t id = 0; id < count[k]; id++)
            BOUND(rollup_group_bounds(a, rollup_kinds[k], id));
    return NULL;
}

/* Every bucket, through the bounds of the family its buckets are. */
static const char *series_bounds(const void *a)
{
    const cxm_family_ops *inner = series_inner(a);
    for (uint32_t age = 0; inner && inner->bounds; age++) {
        const void *acc = NULL;
        if (cxm_series_bucket(a, age, &acc, NULL) != CXM_OK) break;
        BOUND(inner->bounds(acc));
    }
    return NULL;
}

/* Open carries over: the balance's open, then open(b) = open(b - 1) + created(b) - solved(b). */
static const char *backlog_check_rows(const cxm_backlog_result *r, size_t m)
{
    if (r[0].open != r[0].created - r[0].solved || r[0].solved > r[0].created || r[0].has_bucket)
        return "backlog: the balance before the horizon";
    for (size_t k = 1; k <= m; k++) {
        uint64_t open = r[k - 1].open;
        if (r[k].solved > open + r[k].created || r[k].open != open + r[k].created - r[k].solved)
            return "backlog: open does not carry over";
        if (!r[k].has_bucket || r[k].end < r[k].start ||
            (k > 1 && r[k].number != r[k - 1].number + 1))
            return "backlog: buckets";
    }
    return NULL;
}

static const char *backlog_bounds(const void *a)
{
    size_t m = 0;
    cxm_backlog_result *r = backlog_rows(a, &m);
    const char *why = r ? backlog_check_rows(r, m) : "backlog: list refused";
    free(r);
    return why;
}

/* ---- configuration objects: calendar and SLA policy ----------------------------- */

/*
 * Calendars and SLA policies are encoded, decoded and cloned like the
 * accumulators, but they do not merge or reset and have no single add:
 * their rows (cxm_config_families) leave merge, reset and add_one NULL.
 * `feed` turns bytes into entries (intervals, holidays and offset changes;
 * targets) and applies them all or none: on a clone first, then, if every
 * entry was accepted, on the object itself.
 */

typedef cxm_status (*config_put_fn)(void *obj, const uint8_t *rec);

static cxm_status config_feed(void *a, const uint8_t *d, size_t n, size_t rec, config_put_fn put_fn,
                              cxm_status (*clone)(const void *, const cxm_allocator *, void **),
                              void (*destroy)(void *), size_t *bad)
{
    n = n < CXM_FEED_MAX ? n : CXM_FEED_MAX;
    void *trial = NULL;
    cxm_status st = clone(a, NULL, &trial);
    if (st != CXM_OK) return st;
    for (size_t i = 0; i + rec <= n; i += rec) {
        st = put_fn(trial, d + i);
        if (st != CXM_OK) {
            *bad = i / rec;
            destroy(trial);
            return st;
        }
    }
    destroy(trial);
    for (size_t i = 0; i + rec <= n; i += rec)
        if ((st = put_fn(a, d + i)) != CXM_OK) return st; /* accepted on the clone: cannot fail */
    return CXM_OK;
}

static cxm_status config_feed_each(void *a, const uint8_t *d, size_t n, size_t rec,
                                   config_put_fn put_fn)
{
    n = n < CXM_FEED_MAX ? n : CXM_FEED_MAX;
    for (size_t i = 0; i + rec <= n; i += rec) {
        cxm_status st = put_fn(a, d + i);
        if (st != CXM_OK) return st;
    }
    return CXM_OK;
}

/* name_feed and name_feed_each of a row whose entries name_put adds, `rec` bytes each. */
#define CONFIG_FEEDS(name, fam, rec)                                                               \
    static cxm_status name##_feed(void *a, const uint8_t *d, size_t n, size_t *bad)                \
    {                                                                                              \
        return config_feed(a, d, n, rec, name##_put, fam##_clone_, fam##_destroy_, bad);           \
    }                                                                                              \
    static cxm_status name##_feed_each(void *a, const uint8_t *d, size_t n)                        \
    {                                                                                              \
        return config_feed_each(a, d, n, rec, name##_put);                                         \
    }

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- calendar ----------------------------------------------------------------------- */

CXM_ADAPT_OBJECT(calendar)

/* Capacities and base offsets: small lists (capacity reached), roomy ones, no holidays. */
static const cxm_calendar_config calendar_cfgs[3] = {
    {sizeof(cxm_calendar_config), 0, 4, 2, 1, 0},
    {sizeof(cxm_calendar_config), 0, 64, 32, 8, 3600},
    {sizeof(cxm_calendar_config), 0, 16, 0, 4, -5 * 3600},
};

static cxm_status calendar_make(const cxm_allocator *al, uint32_t v, void **out)
{
    return cxm_calendar_new(&calendar_cfgs[v % 3], al, (cxm_calendar **)out);
}

/*
 * Six bytes per entry. Byte 0 picks the kind (interval, holiday, offset
 * change); the rest its fields, a few of them out of range now and then
 * (weekday 7, close <= open, 30 February, an offset past 18 h).
 */
#define CALENDAR_REC 6u
static const int64_t CAL_T0 = 1704067200; /* 2024-01-01T00:00:00Z, a Monday */

static cxm_status calendar_put(void *a, const uint8_t *d)
{
    const uint32_t u = (uint32_t)d[2] << 8 | d[3], w = (uint32_t)d[4] << 8 | d[5];
    switch (d[0] % 3) {
    case 0: { /* opening hours: quarter hours, so edges line up now and then */
        int32_t open = (int32_t)(u % 97) * 900, close = open + (int32_t)(w % 49) * 900;
        return cxm_calendar_add_interval(a, d[1] % 8u, open, close);
    }
    case 1:
        return cxm_calendar_add_holiday(a, 2024 + d[1] % 3, 1 + (int32_t)(u % 13),
                                        (int32_t)(w % 32));
    default: {
        int64_t at = CAL_T0 + (int64_t)(d[1] % 4) * 86400 * 91 + (int64_t)u * 3600;
        int32_t off = ((int32_t)(w % 75) - 37) * 1800; /* +-18.5 h: a step past the edge */
        return cxm_calendar_add_offset_change(a, at, off);
    }
    }
}

CONFIG_FEEDS(calendar, calendar, CALENDAR_REC)

/*
 * Business seconds over windows from an hour to a year around the entries
 * (and across the range's far end), the due instant of targets from 0 to a
 * month, and the offset in force at a few instants.
 */
static cxm_status calendar_summary(const void *a, double *out, size_t cap, size_t *n)
{
    static const int64_t starts[4] = {CAL_T0 - 86400 * 3 + 1234, CAL_T0 + 86400 * 40 + 9 * 3600,
                                      CAL_T0 + 86400 * 400, CXM_CALENDAR_MAX_TIME - 86400 * 20};
    static const int64_t spans[4] = {3600, 86400 * 7 + 17, 86400 * 31, 86400 * 366};
    static const int64_t targets[4] = {0, 1, 3600 * 8 + 5, 86400 * 30};
    cxm_status st = CXM_OK;
    *n = 0;
    for (int i = 0; i < 4; i++) {
        int32_t off = 0;
        st = keep_first(st, cxm_calendar_offset_at(a, starts[i], &off));
        put(out, cap, n, off);
        for (int k = 0; k < 4; k++) {
            int64_t t1 = starts[i] + spans[k], b = -1, due = -1;
            if (t1 <= CXM_CALENDAR_MAX_TIME)
                st = keep_first(st, cxm_calendar_business_seconds(a, starts[i], t1, &b));
            put(out, cap, n, (double)b);
            /* Beyond the range and with no open hour at all are answers, not failures. */
            cxm_status d = cxm_calendar_due(a, starts[i], targets[k], &due);
            if (d != CXM_OUT_OF_RANGE && d != CXM_EMPTY) st = keep_first(st, d);
            put(out, cap, n, (double)due);
        }
    }
    return st;
}

/* Intervals + holidays + offset changes, read from the encoding's counts. */
static uint64_t calendar_events(const void *a)
{
    size_t len;
    uint8_t *b = cxm_family_encoding(&cxm_config_families[0], a, &len);
    uint64_t e = 0;
    if (b && len >= 12 + 28) e = (uint64_t)le32(b + 28) + le32(b + 32) + le32(b + 36);
    free(b);
    return e;
}

/* ---- SLA policy ----------------------------------------------------------------------- */

CXM_ADAPT_OBJECT(sla_policy)

static cxm_status policy_make(const cxm_allocator *al, uint32_t v, void **out)
{
    return cxm_sla_policy_new(sla_levels_of[v % 3], al, (cxm_sla_policy **)out);
}

/*
 * Four bytes per target: priority (255 is beyond every capacity), metric (7
 * is none) and mode (3 is none), and seconds from 0 (refused) to a month.
 */
#define POLICY_REC 4u
static cxm_status policy_put(void *a, const uint8_t *d)
{
    uint32_t levels = 0;
    cxm_status st = cxm_sla_policy_levels(a, &levels);
    if (st != CXM_OK) return st;
    uint32_t p = d[0] == 255 ? 255u : d[0] % levels;
    uint32_t m = d[1] % 8u, mode = (uint32_t)(d[1] >> 3) % 4u;
    int64_t seconds = ((int64_t)d[2] << 8 | d[3]) * 41;
    return cxm_sla_policy_set_target(a, p, m, seconds, mode);
}

CONFIG_FEEDS(policy, sla_policy, POLICY_REC)

/*
 * Every target, and a one-shot evaluation of each against a week-day
 * 9-to-5 calendar: on time, late, and still running at the report instant.
 */
static cxm_status policy_summary(const void *a, double *out, size_t cap, size_t *n)
{
    uint32_t levels = 0;
    cxm_status st = cxm_sla_policy_levels(a, &levels);
    *n = 0;
    if (st != CXM_OK) return st;
    put(out, cap, n, levels);
    cxm_calendar *cal = NULL;
    const cxm_calendar_config cc = {sizeof cc, 0, 5, 0, 0, 0};
    st = cxm_calendar_new(&cc, NULL, &cal);
    for (uint32_t d = 0; d < 5 && st == CXM_OK; d++)
        st = cxm_calendar_add_interval(cal, d, 9 * 3600, 17 * 3600);
    for (uint32_t p = 0; p < levels && st == CXM_OK; p++) {
        for (uint32_t m = 0; m < CXM_SLA_METRIC_COUNT; m++) {
            int64_t seconds = 0;
            uint32_t mode = 0;
            cxm_status t = cxm_sla_policy_target(a, p, m, &seconds, &mode);
            if (t != CXM_EMPTY) st = keep_first(st, t);
            put(out, cap, n, (double)seconds);
            put(out, cap, n, mode);
            if (t != CXM_OK) continue;
            static const int64_t ends[3] = {600, 86400 * 3 + 7, 86400 * 45};
            const int64_t pauses[2] = {CAL_T0 + 300, CAL_T0 + 500};
            for (uint32_t e = 0; e < 3; e++) {
                cxm_sla_outcome o = {.size = sizeof o};
                st = keep_first(st, cxm_sla_evaluate(a, cal, p, m, CAL_T0 + 100, CAL_T0 + ends[e],
                                                     e == 2, pauses, 1, &o));
                const double v[] = {(double)o.outcome, (double)o.elapsed, (double)o.breach_at,
                                    (double)o.lateness, (double)o.paused_counted};
                for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
                    put(out, cap, n, v[i]);
            }
        }
    }
    cxm_calendar_free(cal);
    return st;
}

static uint64_t policy_events(const void *a)
{
    uint32_t levels = 0;
    uint64_t e = 0;
    if (cxm_sla_policy_levels(a, &levels) != CXM_OK) return 0;
    for (uint32_t p = 0; p < levels; p++) {
        for (uint32_t m = 0; m < CXM_SLA_METRIC_COUNT; m++) {
            int64_t s;
            uint32_t mode;
            e += cxm_sla_policy_target(a, p, m, &s, &mode) == CXM_OK;
        }
    }
    return e;
}

const cxm_family_ops cxm_config_families[] = {
    {"calendar", CXM_FAMILY_CALENDAR, 3, calendar_make, calendar_feed, calendar_feed_each, NULL,
     NULL, NULL, calendar_clone_, calendar_encode_, calendar_decode_, calendar_summary,
     calendar_events, calendar_destroy_, NULL},
    {"sla_policy", CXM_FAMILY_SLA_POLICY, 3, policy_make, policy_feed, policy_feed_each, NULL, NULL,
     NULL, sla_policy_clone_, sla_policy_encode_, sla_policy_decode_, policy_summary, policy_events,
     sla_policy_destroy_, NULL},
};

const size_t cxm_config_family_count = sizeof cxm_config_families / sizeof cxm_config_families[0];

/* ---- the table --------------------------------------------------------------- */

const cxm_family_ops cxm_families[] = {
    {"nps", CXM_FAMILY_NPS, 4, nps_make, nps_feed, nps_feed_each, nps_add_one, CXM_VERBS(nps),
     nps_summary, nps_events, nps_destroy_, nps_bounds},
    {"nps_panel", CXM_FAMILY_NPS_PANEL, 1, panel_make, panel_feed, panel_feed_each, panel_add_one,
     CXM_VERBS(nps_panel), panel_summary, panel_events, nps_panel_destroy_, panel_bounds},
    {"rate", CXM_FAMILY_RATE, 8, rate_make, rate_feed, rate_feed_each, rate_add_one,
     CXM_VERBS(rate), rate_summary, rate_events, rate_destroy_, rate_bounds},
    {"churn", CXM_FAMILY_CHURN, 3, churn_make, churn_feed, churn_feed_each, churn_add_one,
     CXM_VERBS(churn), churn_summary, churn_events, churn_destroy_, churn_bounds},
    {"csat", CXM_FAMILY_CSAT, 5, csat_make, csat_feed, csat_feed_each, csat_add_one,
     CXM_VERBS(csat), csat_summary, csat_events, csat_destroy_, csat_bounds},
    {"ces", CXM_FAMILY_CES, 5, ces_make, ces_feed, ces_feed_each, ces_add_one, CXM_VERBS(ces),
     ces_summary, ces_events, ces_destroy_, ces_bounds},
    {"duration", CXM_FAMILY_DURATION, 3, duration_make, duration_feed, duration_feed_each,
     duration_add_one, CXM_VERBS(duration), duration_summary, duration_events, duration_destroy_,
     duration_bounds},
    {"survival", CXM_FAMILY_SURVIVAL, 2, survival_make, survival_feed, survival_feed_each,
     survival_add_one, CXM_VERBS(survival), survival_summary, survival_events, survival_destroy_,
     survival_bounds},
    {"rollup", CXM_FAMILY_ROLLUP, 5, rollup_make, rollup_feed, rollup_feed_each, rollup_add_one,
     CXM_VERBS(rollup), rollup_summary, rollup_events, rollup_destroy_, rollup_bounds},
    {"sla", CXM_FAMILY_SLA, 3, sla_make, sla_feed, sla_feed_each, sla_add_one, CXM_VERBS(sla),
     sla_summary, sla_events, sla_destroy_, sla_bounds},
    {"series", CXM_FAMILY_SERIES, 3, series_make, series_feed, series_feed_each, series_add_one,
     CXM_VERBS(series), series_summary, series_events, series_destroy_, series_bounds},
    {"backlog", CXM_FAMILY_BACKLOG, 3, backlog_make, backlog_feed, backlog_feed_each,
     backlog_add_one, CXM_VERBS(backlog), backlog_summary, backlog_events, backlog_destroy_,
     backlog_bounds},
};

const size_t cxm_family_count = sizeof cxm_families / sizeof cxm_families[0];

bool cxm_family_twin(const cxm_family_ops *f, uint32_t variant)
{
    return (f->family == CXM_FAMILY_DURATION && variant == DURATION_COMPACT) ||
           (f->family == CXM_FAMILY_SURVIVAL && variant == SURVIVAL_COMPACT);
}

const cxm_family_ops *cxm_family_find(const char *name)
{
    for (size_t i = 0; i < cxm_family_count; i++)
        if (strcmp(cxm_families[i].name, name) == 0) return &cxm_families[i];
    return NULL;
}
