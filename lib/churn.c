/*
 * churn.c — the period accumulator of customers and revenue: classifies
 * each customer record by ChartMogul's rule, keeps exact counts and exact
 * money (int64 minor units), and reports churn, retention, net growth,
 * renewals, gross revenue churn and net revenue retention.
 */
#include <string.h>

#include "internal.h"

#define CHURN_FORMAT_VERSION 1

enum { C_START, C_LOST, C_CHREACT, C_NEW, C_REACT, C_JOINCH, C_DUE, C_RENEWED, C_N };
enum { M_START, M_NEW, M_REACT, M_EXP, M_CONTR, M_CHURNED, M_N };

typedef struct churn_state {
    uint64_t c[C_N];
    int64_t m[M_N]; /* minor units, each >= 0 */
} churn_state;

struct cxm_churn {
    cxm_obj obj;
    uint64_t period;
    churn_state s;
};

#define CHURN_FLAGS 63u

/* The invariants every state keeps, but for its size (end_fits below). */
static bool state_consistent(const churn_state *s)
{
    for (int k = 0; k < M_N; k++)
        if (s->m[k] < 0) return false;
    /* Sums of non-negative int64 fit in uint64. */
    uint64_t gone = (uint64_t)s->m[M_CHURNED] + (uint64_t)s->m[M_CONTR];
    uint64_t up = (uint64_t)s->m[M_START] + (uint64_t)s->m[M_NEW];
    bool up_ok = up <= INT64_MAX && (uint64_t)s->m[M_REACT] <= INT64_MAX - up &&
                 (uint64_t)s->m[M_EXP] <= INT64_MAX - up - (uint64_t)s->m[M_REACT];
    if (cxm_add_overflows(s->c[C_LOST], s->c[C_CHREACT]) ||
        s->c[C_LOST] + s->c[C_CHREACT] > s->c[C_START] || s->c[C_RENEWED] > s->c[C_DUE] ||
        gone > (uint64_t)s->m[M_START] || !up_ok)
        return false;
    return true;
}

static bool end_fits(const churn_state *s)
{
    /*
     * Customers at the end (kept, new, reactivated) are distinct customers,
     * each counted once: their number is a count like any other and must
     * fit in 64 bits, so customers_end is exact, never saturated.
     */
    const uint64_t kept = s->c[C_START] - s->c[C_LOST];
    return !cxm_add_overflows(s->c[C_NEW], s->c[C_REACT]) &&
           !cxm_add_overflows(kept, s->c[C_NEW] + s->c[C_REACT]);
}

/* The invariants every state keeps; a state that breaks one is never stored. */
static bool state_ok(const churn_state *s)
{
    return state_consistent(s) && end_fits(s);
}

/*
 * dst += inc, all or nothing. Both states satisfy the invariants; the sum
 * does too unless a count or sum overflows, which is CXM_OVERFLOW.
 */
static cxm_status state_add(churn_state *dst, const churn_state *inc)
{
    churn_state next;
    for (int k = 0; k < C_N; k++) {
        if (cxm_add_overflows(dst->c[k], inc->c[k])) return CXM_OVERFLOW;
        next.c[k] = dst->c[k] + inc->c[k];
    }
    for (int k = 0; k < M_N; k++) {
        if (dst->m[k] > INT64_MAX - inc->m[k]) return CXM_OVERFLOW;
        next.m[k] = dst->m[k] + inc->m[k];
    }
    /* Only the end of the period (MRR, customers) can fail here: it would not fit. */
    if (!state_ok(&next)) return CXM_OVERFLOW;
    *dst = next;
    return CXM_OK;
}

/* One customer's record as an increment, by the table in churn.h. */
static cxm_status customer_state(const cxm_churn_customer *cu, churn_state *inc)
{
    memset(inc, 0, sizeof *inc);
    uint32_t f = cu->flags;
    bool s = f & CXM_CHURN_AT_START, e = f & CXM_CHURN_AT_END, x = f & CXM_CHURN_CANCELLED;
    if ((f & ~CHURN_FLAGS) || cu->mrr_start < 0 || cu->mrr_end < 0 ||
        ((f & CXM_CHURN_RETURNING) && s) || ((f & CXM_CHURN_RENEWED) && !(f & CXM_CHURN_DUE)) ||
        (!s && !e && !x) || (!s && cu->mrr_start != 0) || (!e && cu->mrr_end != 0))
        return CXM_OUT_OF_RANGE;
    inc->c[C_DUE] = (f & CXM_CHURN_DUE) != 0;
    inc->c[C_RENEWED] = (f & CXM_CHURN_RENEWED) != 0;
    if (s) {
        inc->c[C_START] = 1;
        inc->m[M_START] = cu->mrr_start;
        if (!e) {
            inc->c[C_LOST] = 1;
            inc->m[M_CHURNED] = cu->mrr_start;
        } else {
            inc->c[C_CHREACT] = x;
            if (cu->mrr_end >= cu->mrr_start)
                inc->m[M_EXP] = cu->mrr_end - cu->mrr_start;
            else
                inc->m[M_CONTR] = cu->mrr_start - cu->mrr_end;
        }
    } else if (e) {
        bool back = f & CXM_CHURN_RETURNING;
        inc->c[back ? C_REACT : C_NEW] = 1;
        inc->m[back ? M_REACT : M_NEW] = cu->mrr_end;
    } else {
        inc->c[C_JOINCH] = 1;
    }
    return CXM_OK;
}

static void counts_to_state(const cxm_churn_counts *k, churn_state *s)
{
    s->c[C_START] = k->customers_start;
    s->c[C_LOST] = k->lost;
    s->c[C_CHREACT] = k->churned_reactivated;
    s->c[C_NEW] = k->new_customers;
    s->c[C_REACT] = k->reactivated;
    s->c[C_JOINCH] = k->joined_churned;
    s->c[C_DUE] = k->due;
    s->c[C_RENEWED] = k->renewed;
    s->m[M_START] = k->mrr_start;
    s->m[M_NEW] = k->mrr_new;
    s->m[M_REACT] = k->mrr_reactivation;
    s->m[M_EXP] = k->mrr_expansion;
    s->m[M_CONTR] = k->mrr_contraction;
    s->m[M_CHURNED] = k->mrr_churned;
}

static int64_t mrr_end(const churn_state *s)
{
    /* The invariants make every step fit. */
    return s->m[M_START] + s->m[M_NEW] + s->m[M_REACT] + s->m[M_EXP] - s->m[M_CONTR] -
           s->m[M_CHURNED];
}

/* ---- the accumulator ---------------------------------------------------------- */

size_t cxm_churn_footprint(void)
{
    return sizeof(cxm_churn);
}

static cxm_status create(bool place, void *mem, size_t size, uint64_t period,
                         const cxm_allocator *alloc, cxm_churn **out)
{
    if (!out) return CXM_INVALID_ARGUMENT;
    cxm_churn *ch;
    cxm_status st =
        cxm_obj_make(place, mem, size, alloc, sizeof *ch, CXM_FAMILY_CHURN, (void **)&ch);
    if (st != CXM_OK) return st;
    ch->period = period;
    *out = ch;
    return CXM_OK;
}

cxm_status cxm_churn_new(uint64_t period, const cxm_allocator *alloc, cxm_churn **out)
{
    return create(false, NULL, 0, period, alloc, out);
}

cxm_status cxm_churn_init_in(void *mem, size_t size, uint64_t period, cxm_churn **out)
{
    return create(true, mem, size, period, NULL, out);
}

static cxm_status read_customer(const cxm_churn_customer *rec, cxm_churn_customer *cu)
{
    cxm_status st = cxm_record_read(rec, CXM_SIZES(cu), cu, sizeof *cu);
    if (st == CXM_OK && cu->reserved2 != 0) st = CXM_INVALID_ARGUMENT;
    return st;
}

cxm_status cxm_churn_add(cxm_churn *churn, const cxm_churn_customer *customer)
{
    if (!churn) return CXM_INVALID_ARGUMENT;
    cxm_churn_customer cu;
    churn_state inc;
    cxm_status st = read_customer(customer, &cu);
    if (st == CXM_OK) st = customer_state(&cu, &inc);
    if (st == CXM_OK) st = state_add(&churn->s, &inc);
    return st;
}

cxm_status cxm_churn_add_many(cxm_churn *churn, const cxm_churn_customer *customers, size_t n,
                              size_t *bad_index)
{
    if (!churn || (!customers && n > 0)) return CXM_INVALID_ARGUMENT;
    size_t stride = 0, bad = 0;
    cxm_status st = cxm_record_stride(customers, n, CXM_SIZES(customers), &stride, &bad);
    churn_state next = churn->s;
    for (size_t i = 0; st == CXM_OK && i < n; i++) {
        cxm_churn_customer cu;
        churn_state inc;
        bad = i;
        st = read_customer((const void *)((const char *)customers + i * stride), &cu);
        if (st == CXM_OK) st = customer_state(&cu, &inc);
        if (st == CXM_OK) st = state_add(&next, &inc);
    }
    if (st != CXM_OK) {
        if (bad_index) *bad_index = bad;
        return st;
    }
    churn->s = next;
    return CXM_OK;
}

cxm_status cxm_churn_add_counts(cxm_churn *churn, const cxm_churn_counts *counts)
{
    if (!churn) return CXM_INVALID_ARGUMENT;
    cxm_churn_counts k;
    cxm_status st = cxm_record_read(counts, CXM_SIZES(&k), &k, sizeof k);
    if (st != CXM_OK) return st;
    churn_state inc;
    counts_to_state(&k, &inc);
    if (!state_consistent(&inc)) return CXM_OUT_OF_RANGE;
    return state_add(&churn->s, &inc);
}

cxm_status cxm_churn_merge(cxm_churn *dst, const cxm_churn *src)
{
    if (!dst || !src) return CXM_INVALID_ARGUMENT;
    if (dst->period != src->period) return CXM_KIND_MISMATCH;
    churn_state copy = src->s;
    return state_add(&dst->s, &copy);
}

cxm_status cxm_churn_reset(cxm_churn *churn)
{
    if (!churn) return CXM_INVALID_ARGUMENT;
    memset(&churn->s, 0, sizeof churn->s);
    return CXM_OK;
}

cxm_status cxm_churn_clone(const cxm_churn *churn, const cxm_allocator *alloc, cxm_churn **out)
{
    if (!churn || !out) return CXM_INVALID_ARGUMENT;
    return cxm_obj_clone(churn, sizeof *churn, alloc, (void **)out);
}

cxm_status cxm_churn_period(const cxm_churn *churn, uint64_t *period)
{
    if (!churn || !period) return CXM_INVALID_ARGUMENT;
    *period = churn->period;
    return CXM_OK;
}

cxm_status cxm_churn_counts_get(const cxm_churn *churn, cxm_churn_counts *out)
{
    if (!churn) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    const churn_state *s = &churn->s;
    cxm_churn_counts k = {sizeof k,        0,
                          s->c[C_START],   s->c[C_LOST],
                          s->c[C_CHREACT], s->c[C_NEW],
                          s->c[C_REACT],   s->c[C_JOINCH],
                          s->c[C_DUE],     s->c[C_RENEWED],
                          s->m[M_START],   s->m[M_NEW],
                          s->m[M_REACT],   s->m[M_EXP],
                          s->m[M_CONTR],   s->m[M_CHURNED]};
    cxm_result_copy(out, &k, sizeof k);
    return CXM_OK;
}

cxm_status cxm_churn_customer_result_get(const cxm_churn *churn, double level,
                                         cxm_churn_customer_result *out)
{
    if (!churn) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    double lv, z;
    if ((st = cxm_level_z(level, &lv, &z)) != CXM_OK) return st;
    const churn_state *s = &churn->s;
    cxm_churn_customer_result r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.period = churn->period;
    r.customers_start = s->c[C_START];
    r.lost = s->c[C_LOST];
    r.churned_reactivated = s->c[C_CHREACT];
    r.new_customers = s->c[C_NEW];
    r.reactivated = s->c[C_REACT];
    r.joined_churned = s->c[C_JOINCH];
    /* Exact: every stored state keeps kept + gained within 64 bits (state_ok). */
    r.gained = r.new_customers + r.reactivated;
    uint64_t kept = r.customers_start - r.lost;
    r.customers_end = kept + r.gained;
    r.churn_ci.level = r.retention_ci.level = lv;
    if (r.customers_start == 0) {
        cxm_result_copy(out, &r, sizeof r);
        return CXM_EMPTY;
    }
    double c0 = (double)r.customers_start;
    r.churn_rate = cxm_share((double)r.lost, c0);
    r.retention_rate = cxm_share((double)kept, c0);
    cxm_wilson(r.churn_rate, c0, z, &r.churn_ci.lower, &r.churn_ci.upper);
    r.retention_ci.lower = 1.0 - r.churn_ci.upper;
    r.retention_ci.upper = 1.0 - r.churn_ci.lower;
    /* kept / c0 and 1 - lost / c0 round apart once counts pass 2^53. */
    cxm_interval_hold(&r.retention_ci, r.retention_rate, 0.0, 1.0);
    r.net_growth = ((double)r.gained - (double)r.lost) / c0;
    cxm_result_copy(out, &r, sizeof r);
    return CXM_OK;
}

cxm_status cxm_churn_revenue_result_get(const cxm_churn *churn, cxm_churn_revenue_result *out)
{
    if (!churn) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    const churn_state *s = &churn->s;
    cxm_churn_revenue_result r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.period = churn->period;
    r.mrr_start = s->m[M_START];
    r.mrr_new = s->m[M_NEW];
    r.mrr_reactivation = s->m[M_REACT];
    r.mrr_expansion = s->m[M_EXP];
    r.mrr_contraction = s->m[M_CONTR];
    r.mrr_churned = s->m[M_CHURNED];
    r.mrr_end = mrr_end(s);
    if (r.mrr_start == 0) {
        cxm_result_copy(out, &r, sizeof r);
        return CXM_EMPTY;
    }
    double m0 = (double)r.mrr_start;
    int64_t gone = r.mrr_churned + r.mrr_contraction; /* <= MRR0 */
    r.gross_revenue_churn = cxm_share((double)gone, m0);
    /* MRR0 - gone >= 0 and expansion fit in uint64 together. */
    r.net_revenue_retention =
        (double)((uint64_t)(r.mrr_start - gone) + (uint64_t)r.mrr_expansion) / m0;
    cxm_result_copy(out, &r, sizeof r);
    return CXM_OK;
}

cxm_status cxm_churn_renewal_result_get(const cxm_churn *churn, double level,
                                        cxm_churn_renewal_result *out)
{
    if (!churn) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    double lv, z;
    if ((st = cxm_level_z(level, &lv, &z)) != CXM_OK) return st;
    cxm_churn_renewal_result r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.period = churn->period;
    r.due = churn->s.c[C_DUE];
    r.renewed = churn->s.c[C_RENEWED];
    r.renewal_ci.level = lv;
    if (r.due == 0) {
        cxm_result_copy(out, &r, sizeof r);
        return CXM_EMPTY;
    }
    r.renewal_rate = cxm_share((double)r.renewed, (double)r.due);
    cxm_wilson(r.renewal_rate, (double)r.due, z, &r.renewal_ci.lower, &r.renewal_ci.upper);
    cxm_result_copy(out, &r, sizeof r);
    return CXM_OK;
}

cxm_status cxm_churn_encode(const cxm_churn *churn, uint8_t *buf, size_t cap, size_t *len)
{
    if (!churn || !len) return CXM_INVALID_ARGUMENT;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_CHURN, CHURN_FORMAT_VERSION);
    cxm_wr_u64(&w, churn->period);
    for (int k = 0; k < C_N; k++)
        cxm_wr_u64(&w, churn->s.c[k]);
    for (int k = 0; k < M_N; k++)
        cxm_wr_u64(&w, (uint64_t)churn->s.m[k]);
    return cxm_wr_end(&w, len);
}

cxm_status cxm_churn_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                            cxm_churn **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_rd r;
    cxm_status st = cxm_rd_begin(&r, buf, len, CXM_FAMILY_CHURN, CHURN_FORMAT_VERSION);
    if (st != CXM_OK) return st;
    uint64_t period = cxm_rd_u64(&r);
    churn_state s;
    for (int k = 0; k < C_N; k++)
        s.c[k] = cxm_rd_u64(&r);
    for (int k = 0; k < M_N; k++) {
        uint64_t v = cxm_rd_u64(&r);
        s.m[k] = v > INT64_MAX ? -1 : (int64_t)v;
    }
    if ((st = cxm_rd_end(&r)) != CXM_OK) return st;
    if (!state_ok(&s)) return CXM_BAD_FORMAT;
    cxm_churn *ch;
    if ((st = cxm_churn_new(period, alloc, &ch)) != CXM_OK) return st;
    ch->s = s;
    *out = ch;
    return CXM_OK;
}

void cxm_churn_free(cxm_churn *churn)
{
    cxm_obj_free(churn);
}
