/*
 * fuzz_structure.c — structure-aware decode fuzzing: what a hostile or buggy
 * producer does. The input is a whole encoding (seeded from tests/vectors/
 * and the family table); the custom mutator changes only its payload —
 * libFuzzer's own mutations, boundary values written into aligned integer
 * fields, doubles nudged by one ulp, records copied over each other — and
 * then recomputes the length field and the CRC-32C, so every mutation gets
 * past the envelope and reaches the field checks.
 *
 * Whatever decodes must be a state some sequence of adds could reach. For
 * the family the envelope names, the harness checks:
 *  - decode -> encode is byte-identical (current format version), the
 *    round trip keeps every result, and no result is NaN;
 *  - counts add up (parts sum to their whole, a subset never exceeds its
 *    set, per-priority roll-up counters sum to the overall ones);
 *  - shares and percentages lie in their domain, and every interval is
 *    ordered, within the domain and contains its point estimate;
 *  - quantiles are monotone in q and lie within [min, max], and a sketch of
 *    one value has min == max;
 *  - SLA lateness: mean <= max, and the pooled counts equal the sum over
 *    priorities;
 *  - calendars: business seconds never exceed wall seconds and add up over
 *    a split window, and due(t0, s) inverts business_seconds (the earliest
 *    instant with s open seconds since t0).
 * A broken invariant aborts with "<family>: <what>" so findings sort by
 * family. Built with -DFZ_SKIP_CONTAINMENT it skips the "interval contains
 * its estimate" checks, to look past findings of that kind while one is
 * being fixed.
 */
#include "fuzz.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

#define HDR 12u /* magic 4, version 2, family 2, payload length 4 */
#define TRL 4u  /* CRC-32C */

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- the mutator ---------------------------------------------------------------- */

static uint64_t mix(uint64_t *s)
{
    return tu_rand(s);
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    if (size < HDR + TRL || max_size < HDR + TRL + 8) return LLVMFuzzerMutate(data, size, max_size);
    uint64_t s = seed;
    uint8_t *pay = data + HDR;
    size_t n = size - HDR - TRL, cap = max_size - HDR - TRL;
    const uint64_t how = mix(&s) % 16;
    /* Fields sit at any offset (after a 4-byte count, inside varints): align only half the time. */
    const size_t align = mix(&s) & 1 ? ~(size_t)3 : ~(size_t)0;
    if (how < 6 || n < 8) {
        n = LLVMFuzzerMutate(pay, n, cap);
    } else if (how == 6) {
        /* One byte up or down by one: a count, a varint digit, a bucket index. */
        size_t at = (size_t)(mix(&s) % n);
        pay[at] = (uint8_t)(pay[at] + (mix(&s) & 1 ? 1 : 0xFF));
    } else if (how < 11) {
        /* A boundary value into an aligned 4- or 8-byte field. */
        static const uint64_t vals[] = {0,           1,
                                        2,           3,
                                        0x7F,        0x80,
                                        0xFF,        0xFFFF,
                                        0x7FFFFFFF,  0x80000000u,
                                        0xFFFFFFFFu, 0x100000000u,
                                        INT64_MAX,   (uint64_t)INT64_MIN,
                                        UINT64_MAX};
        const int w = mix(&s) & 1 ? 8 : 4;
        size_t at = (size_t)(mix(&s) % (n - (size_t)w + 1)) & align;
        uint64_t v = vals[mix(&s) % (sizeof vals / sizeof vals[0])];
        if (mix(&s) % 3 == 0) { /* or the field's own value moved by one */
            uint64_t old = w == 8 ? (uint64_t)rd32(pay + at) | (uint64_t)rd32(pay + at + 4) << 32
                                  : rd32(pay + at);
            v = mix(&s) & 1 ? old + 1 : old - 1;
        }
        wr_le(pay + at, v, w);
    } else if (how < 13) {
        /* A double (8-aligned) one ulp away, doubled, halved or negated. */
        size_t at = (size_t)(mix(&s) % (n - 7)) & (align | 4);
        double d;
        memcpy(&d, pay + at, 8);
        switch (mix(&s) % 5) {
        case 0: d = nextafter(d, HUGE_VAL); break;
        case 1: d = nextafter(d, -HUGE_VAL); break;
        case 2: d *= 2; break;
        case 3: d /= 2; break;
        default: d = -d; break;
        }
        memcpy(pay + at, &d, 8);
    } else {
        /* A record copied over another: duplicates, misorders. */
        static const size_t lens[] = {4, 8, 12, 16, 24, 32};
        size_t len = lens[mix(&s) % 6];
        if (len < n) {
            size_t from = (size_t)(mix(&s) % (n - len + 1)) & ~(size_t)3;
            size_t to = (size_t)(mix(&s) % (n - len + 1)) & ~(size_t)3;
            memmove(pay + to, pay + from, len);
        }
    }
    if (mix(&s) % 64 == 0) wr_le(data + 4, mix(&s) % 4, 2); /* another format version */
    wr_le(data + 8, n, 4);
    wr_le(data + HDR + n, tu_crc32c(data, HDR + n), 4);
    return HDR + n + TRL;
}

/* ---- invariants ------------------------------------------------------------------- */

static const cxm_family_ops *cur; /* the family being checked, for messages */
#define INV(cond, what) FZ_CHECK(cond, cur, what)

static int ok_or_empty(cxm_status st)
{
    INV(st == CXM_OK || st == CXM_EMPTY || st == CXM_OVERFLOW, cxm_status_str(st));
    return st == CXM_OK;
}

/* An interval ordered, inside [lo, hi], containing its estimate. */
static void interval(const cxm_interval *ci, double est, double lo, double hi, const char *what)
{
    if (!(est >= lo && est <= hi && ci->lower <= est && est <= ci->upper && ci->lower >= lo &&
          ci->upper <= hi))
        fprintf(stderr, "%s: estimate %.17g, interval [%.17g, %.17g], domain [%g, %g]\n", what, est,
                ci->lower, ci->upper, lo, hi);
    INV(est >= lo && est <= hi, what);
    INV(ci->lower <= ci->upper && ci->lower >= lo && ci->upper <= hi, what);
#ifdef FZ_SKIP_CONTAINMENT
    return; /* built to look past a containment finding being fixed */
#endif
    INV(ci->lower <= est && est <= ci->upper, what);
}

static void nps_check(const cxm_nps_result *r)
{
    INV(r->promoters + r->passives + r->detractors == r->n, "nps: groups do not add up to n");
    interval(&(cxm_interval){r->promoter_pct, r->promoter_pct, 0}, r->promoter_pct, 0, 100,
             "nps: promoter share");
    INV(r->passive_pct >= 0 && r->passive_pct <= 100 && r->detractor_pct >= 0 &&
            r->detractor_pct <= 100,
        "nps: a share outside [0, 100]");
    INV(fabs(r->promoter_pct + r->passive_pct + r->detractor_pct - 100) < 1e-9,
        "nps: shares do not add up to 100");
    INV(r->se >= 0, "nps: negative standard error");
    interval(&r->ci, r->nps, -100, 100, "nps: interval");
}

static void check_nps(const void *a)
{
    cxm_nps_result r = {.size = sizeof r};
    for (uint32_t m = 0; m < 2; m++)
        if (ok_or_empty(cxm_nps_result_get(a, 0.0, m, &r))) nps_check(&r);
}

static void check_panel(const void *a)
{
    uint32_t count = 0, capacity = 0;
    INV(cxm_nps_panel_brands(a, &count, &capacity) == CXM_OK && count <= capacity, "panel: brands");
    for (uint32_t b = 0; b < count && b < 64; b++) {
        cxm_nps_result r = {.size = sizeof r};
        if (ok_or_empty(cxm_nps_panel_result(a, b, 0.0, 0, &r))) nps_check(&r);
    }
}

static void check_rate_result(const cxm_rate_result *r, const char *what)
{
    INV(r->successes <= r->trials && r->failures == r->trials - r->successes, what);
    if (r->trials > 0) interval(&r->ci, r->rate, 0, 1, what);
}

static void check_rate(const void *a)
{
    cxm_rate_result r = {.size = sizeof r};
    if (ok_or_empty(cxm_rate_result_get(a, 0.0, &r))) check_rate_result(&r, "rate");
}

/* What CSAT and CES results share: a scale, a mean, a median, a good share. */
typedef struct scale_view {
    const char *name;
    double lo, hi, mean, sd, median, pct;
    uint64_t n, good;
    const cxm_interval *mean_ci, *pct_ci;
} scale_view;

static void scale_check(const scale_view *v)
{
    INV(v->good <= v->n, v->name);
    INV(v->median >= v->lo && v->median <= v->hi && v->sd >= 0, v->name);
    interval(v->mean_ci, v->mean, v->lo, v->hi, v->name);
    interval(v->pct_ci, v->pct, 0, 100, v->name);
}

static void check_csat(const void *a)
{
    cxm_csat_result r = {.size = sizeof r};
    if (!ok_or_empty(cxm_csat_result_get(a, 0.0, &r))) return;
    scale_check(&(scale_view){"csat: satisfied share or mean", r.scale_min, r.scale_max, r.mean,
                              r.sd, r.median, r.satisfied_pct, r.n, r.satisfied, &r.mean_ci,
                              &r.satisfied_ci});
}

static void check_ces(const void *a)
{
    cxm_ces_result r = {.size = sizeof r};
    if (!ok_or_empty(cxm_ces_result_get(a, 0.0, &r))) return;
    scale_check(&(scale_view){"ces: easy share or mean", r.scale_min, r.scale_max, r.mean, r.sd,
                              r.median, r.easy_pct, r.n, r.easy, &r.mean_ci, &r.easy_ci});
    if (r.index_defined) {
        INV(r.index_easy + r.index_hard <= r.n, "ces: index counts");
        interval(&r.index_ci, r.index, -100, 100, "ces: index interval");
    }
}

/* Quantiles over a grid of q: monotone, inside [min, max]. */
static void quantiles_monotone(const double *q, size_t k, double min, double max, const char *what)
{
    for (size_t i = 0; i < k; i++) {
        INV(q[i] >= min && q[i] <= max, what);
        if (i > 0) INV(q[i] >= q[i - 1], what);
    }
}

static const double grid[] = {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1.0};
#define GRID (sizeof grid / sizeof grid[0])

static void check_duration(const void *a)
{
    cxm_duration_result r = {.size = sizeof r};
    if (!ok_or_empty(cxm_duration_result_get(a, 0.0, &r))) return;
    INV(r.underflow + r.overflow <= r.n, "duration: under- and overflow exceed n");
    INV(r.min <= r.max && r.min >= 0, "duration: min > max");
    if (r.n == 1) INV(r.min == r.max, "duration: one value, min != max");
    INV(r.mean >= r.min * (1 - 1e-12) && r.mean <= r.max * (1 + 1e-12), "duration: mean");
    INV(r.sd >= 0 && (r.n > 1 || r.sd == 0), "duration: sd");
    INV(r.min <= r.median && r.median <= r.p90 && r.p90 <= r.p99 && r.p99 <= r.max,
        "duration: quantiles not monotone or outside [min, max]");
    double q[GRID];
    size_t bad = 0;
    INV(cxm_duration_quantiles(a, grid, GRID, q, &bad) == CXM_OK, "duration: quantiles");
    quantiles_monotone(q, GRID, r.min, r.max, "duration: quantiles not monotone");
    INV(q[GRID - 1] == r.max && q[0] == r.min, "duration: quantile(0) != min or (1) != max");
    interval(&r.mean_ci, r.mean, 0, CXM_DURATION_MAX, "duration: mean interval");
}

static void check_survival(const void *a)
{
    cxm_survival_result r = {.size = sizeof r};
    if (!ok_or_empty(cxm_survival_result_get(a, 0.0, &r))) return;
    INV(r.resolved + r.open == r.n, "survival: resolved + open != n");
    INV(r.open_share >= 0 && r.open_share <= 1 && r.survival_end >= 0 && r.survival_end <= 1,
        "survival: a share outside [0, 1]");
    if (r.median_reached && r.ci_lower_reached) INV(r.median_ci.lower <= r.median, "survival");
    if (r.median_reached && r.ci_upper_reached) INV(r.median <= r.median_ci.upper, "survival");
    double prev = 0;
    for (size_t i = 1; i < GRID; i++) {
        double t = 0;
        cxm_status st = cxm_survival_quantile(a, grid[i], &t);
        if (st == CXM_EMPTY) break; /* never reached: nor are the larger q */
        INV(st == CXM_OK && t >= prev, "survival: quantiles not monotone");
        prev = t;
    }
}

static void check_churn(const void *a)
{
    cxm_churn_customer_result c = {.size = sizeof c};
    if (ok_or_empty(cxm_churn_customer_result_get(a, 0.0, &c))) {
        INV(c.lost <= c.customers_start && c.gained == c.new_customers + c.reactivated &&
                c.customers_end == c.customers_start - c.lost + c.gained,
            "churn: customer counts do not add up");
        interval(&c.churn_ci, c.churn_rate, 0, 1, "churn: churn interval");
        interval(&c.retention_ci, c.retention_rate, 0, 1, "churn: retention interval");
    }
    cxm_churn_renewal_result w = {.size = sizeof w};
    if (ok_or_empty(cxm_churn_renewal_result_get(a, 0.0, &w))) {
        INV(w.renewed <= w.due, "churn: renewed > due");
        interval(&w.renewal_ci, w.renewal_rate, 0, 1, "churn: renewal interval");
    }
}

static void sla_cell(const cxm_sla_result *r, const char *what)
{
    if (r->achieved + r->breached > 0) interval(&r->ci, r->compliance_pct, 0, 100, what);
    INV(r->active_past_due <= r->active, what);
    if (r->breached > 0)
        INV(r->lateness_mean > 0 && r->lateness_mean <= r->lateness_max,
            "sla: lateness mean above max (lateness cell)");
    else
        INV(r->lateness_mean == 0 && r->lateness_max == 0, "sla: lateness without a breach");
}

static void check_sla(const void *a)
{
    uint32_t levels = 0;
    INV(cxm_sla_levels(a, &levels) == CXM_OK, "sla: levels");
    for (uint32_t m = 0; m < CXM_SLA_METRIC_COUNT; m++) {
        uint64_t sum[4] = {0, 0, 0, 0};
        double maxlate = 0;
        for (uint32_t p = 0; p < levels; p++) {
            cxm_sla_result r = {.size = sizeof r};
            /* A cell with only running tickets is EMPTY (no compliance) but has counts. */
            if (ok_or_empty(cxm_sla_result_get(a, p, m, 0.0, &r))) sla_cell(&r, "sla: cell");
            sum[0] += r.achieved;
            sum[1] += r.breached;
            sum[2] += r.active;
            sum[3] += r.active_past_due;
            maxlate = r.lateness_max > maxlate ? r.lateness_max : maxlate;
        }
        cxm_sla_result all = {.size = sizeof all};
        cxm_status st = cxm_sla_result_get(a, CXM_SLA_ALL_PRIORITIES, m, 0.0, &all);
        if (st == CXM_OVERFLOW) continue; /* the pooled counts pass 2^64 */
        if (ok_or_empty(st)) sla_cell(&all, "sla: all priorities");
        INV(all.achieved == sum[0] && all.breached == sum[1] && all.active == sum[2] &&
                all.active_past_due == sum[3],
            "sla: priorities do not add up to all");
        INV(all.lateness_max == maxlate, "sla: pooled max lateness");
        double q[GRID];
        st = cxm_sla_lateness_quantiles(a, m, grid, GRID, q, NULL);
        if (all.breached == 0) {
            INV(st == CXM_EMPTY, "sla: lateness quantiles without a breach (lateness cell)");
            continue;
        }
        INV(st == CXM_OK, "sla: lateness quantiles");
        quantiles_monotone(q, GRID, 0, all.lateness_max, "sla: lateness quantiles (lateness cell)");
        INV(q[GRID - 1] == all.lateness_max,
            "sla: lateness sketch max != cell max (lateness cell)");
    }
}

static void rollup_group(const cxm_rollup_result *r)
{
    /* Closed = solved + unresolved (closed without a resolution); the rest is open. */
    INV(r->solved <= r->tickets && r->unresolved <= r->tickets - r->solved &&
            r->open == r->tickets - r->solved - r->unresolved,
        "rollup: solved, unresolved and open");
    INV(r->self_service + r->assisted == r->solved, "rollup: self-service + assisted != solved");
    INV(r->reopened <= r->ever_solved && r->ever_solved <= r->tickets && r->replied <= r->tickets,
        "rollup: a subset exceeds its set");
    INV(r->reopened <= r->reopens, "rollup: reopened tickets exceed reopens");
    check_rate_result(&r->fcr, "rollup: fcr");
    check_rate_result(&r->reopen, "rollup: reopen");
    check_rate_result(&r->deflection, "rollup: deflection");
}

/*
 * Live state: running targets read later only move from active to
 * breached; the priorities add up to the overall outcomes at any instant;
 * an instant before the latest record is refused.
 */
static void check_rollup_live(const void *a, uint32_t priorities)
{
    int64_t latest = 0;
    cxm_status st = cxm_rollup_latest(a, &latest);
    INV(st == CXM_OK || (st == CXM_EMPTY && latest == 0), "rollup: latest");
    const int64_t now = latest ? latest : 1700000000, later = now + 40 * 86400;
    for (uint32_t m = 0; m < 2; m++) {
        const uint32_t metric = m ? CXM_SLA_TOTAL_RESOLUTION : CXM_SLA_FIRST_REPLY;
        cxm_sla_result x = {.size = sizeof x}, y = {.size = sizeof y};
        st = cxm_rollup_sla_get_at(a, CXM_ROLLUP_OVERALL, 0, metric, now, 0.0, &x);
        if (st == CXM_INVALID_ARGUMENT) return; /* no policy */
        if (!ok_or_empty(st) ||
            !ok_or_empty(cxm_rollup_sla_get_at(a, CXM_ROLLUP_OVERALL, 0, metric, later, 0.0, &y)))
            continue;
        INV(x.achieved == y.achieved && x.breached + x.active == y.breached + y.active &&
                y.breached >= x.breached && x.active_past_due == 0,
            "rollup: running targets read later");
        uint64_t ach = 0, br = 0, act = 0;
        for (uint32_t p = 0; p < priorities; p++) {
            cxm_sla_result r = {.size = sizeof r};
            /* A priority without outcomes is CXM_EMPTY, its zeros filled in. */
            cxm_status sp =
                cxm_rollup_sla_get_at(a, CXM_ROLLUP_PRIORITY, p, metric, later, 0.0, &r);
            INV(sp == CXM_OK || sp == CXM_EMPTY, "rollup: priority outcomes");
            ach += r.achieved;
            br += r.breached;
            act += r.active;
        }
        INV(ach == y.achieved && br == y.breached && act == y.active,
            "rollup: priorities do not add up to overall outcomes");
        if (latest)
            INV(cxm_rollup_sla_get_at(a, CXM_ROLLUP_OVERALL, 0, metric, latest - 1, 0.0, &x) ==
                    CXM_BAD_ORDER,
                "rollup: read before the latest record");
    }
}

/* A dimension's capacity in the options (kind 1..4). */
static uint32_t dim_of(const cxm_rollup_options *o, uint32_t kind)
{
    const uint32_t n[5] = {1, o->channels, o->topics, o->priorities, o->agents};
    return kind < 5 ? n[kind] : 0;
}

/*
 * A row of a cross's cells (one id of the first dimension, every id of the
 * second) holds at most that id's group: exactly its tickets and solves
 * when the second dimension is the priority, which every ticket has.
 */
static void check_rollup_cross(const void *a, const cxm_rollup_options *o, uint32_t j)
{
    uint32_t first = o->cross[j].first, second = o->cross[j].second;
    for (uint32_t x = 0; x < dim_of(o, first); x++) {
        cxm_rollup_result row = {.size = sizeof row};
        if (first == CXM_ROLLUP_AGENT && o->agent_kind == CXM_ROLLUP_AGENT_COUNTS) {
            cxm_rollup_agent_result ag = {.size = sizeof ag};
            ok_or_empty(cxm_rollup_agent_get(a, x, &ag));
            row.tickets = ag.tickets, row.solved = ag.solved;
        } else if (!ok_or_empty(cxm_rollup_result_get(a, first, x, 0.0, &row))) {
            INV(row.tickets == 0, "rollup: empty group with tickets");
        }
        uint64_t t = 0, s = 0;
        for (uint32_t y = 0; y < dim_of(o, second); y++) {
            uint32_t id = 0;
            INV(cxm_rollup_cell_id(a, j, x, y, &id) == CXM_OK, "rollup: cell id refused");
            cxm_rollup_result r = {.size = sizeof r};
            if (!ok_or_empty(cxm_rollup_result_get(a, CXM_ROLLUP_CELL, id, 0.0, &r))) continue;
            rollup_group(&r);
            t += r.tickets;
            s += r.solved;
        }
        if (second == CXM_ROLLUP_PRIORITY)
            INV(t == row.tickets && s == row.solved,
                "rollup: a row of cells differs from its group");
        else
            INV(t <= row.tickets && s <= row.solved, "rollup: a row of cells exceeds its group");
    }
}

static void check_rollup(const void *a)
{
    uint32_t profile = 0;
    cxm_rollup_options o = {.size = sizeof o};
    INV(cxm_rollup_config(a, &profile, &o) == CXM_OK, "rollup: config");
    cxm_rollup_result all = {.size = sizeof all};
    if (!ok_or_empty(cxm_rollup_result_get(a, CXM_ROLLUP_OVERALL, 0, 0.0, &all))) {
        INV(all.tickets == 0, "rollup: empty with tickets");
        return;
    }
    rollup_group(&all);
    const uint32_t kinds[4] = {CXM_ROLLUP_PRIORITY, CXM_ROLLUP_CHANNEL, CXM_ROLLUP_TOPIC,
                               CXM_ROLLUP_AGENT};
    const uint32_t count[4] = {o.priorities, o.channels, o.topics,
                               o.agent_kind == CXM_ROLLUP_AGENT_COUNTS ? 0 : o.agents};
    for (int g = 0; g < 4; g++) {
        uint64_t t = 0, s = 0, rep = 0, ev = 0, reo = 0, self = 0;
        for (uint32_t id = 0; id < count[g]; id++) {
            cxm_rollup_result r = {.size = sizeof r};
            if (!ok_or_empty(cxm_rollup_result_get(a, kinds[g], id, 0.0, &r))) continue;
            rollup_group(&r);
            t += r.tickets;
            s += r.solved;
            rep += r.replied;
            ev += r.ever_solved;
            reo += r.reopened;
            self += r.self_service;
        }
        if (g == 0)
            INV(t == all.tickets && s == all.solved && rep == all.replied &&
                    ev == all.ever_solved && reo == all.reopened && self == all.self_service,
                "rollup: priorities do not add up to overall (cross-dimension sums)");
        else
            INV(t <= all.tickets && s <= all.solved && rep <= all.replied,
                "rollup: a dimension exceeds overall (cross-dimension sums)");
    }
    for (uint32_t ag = 0; ag < o.agents; ag++) {
        cxm_rollup_agent_result r = {.size = sizeof r};
        ok_or_empty(cxm_rollup_agent_get(a, ag, &r)); /* EMPTY: no ticket, zeros filled in */
        INV(r.solved <= r.tickets && r.tickets <= all.tickets, "rollup: agent counts");
    }
    for (uint32_t j = 0; j < o.crosses; j++)
        check_rollup_cross(a, &o, j);
    if (o.running > 0) check_rollup_live(a, o.priorities);
}

/*
 * The backlog: open carries over from the balance through every bucket
 * (the row's bounds), each bucket read alone agrees with the list, and a
 * record can be added, retracted and added again with the same figures.
 */
static void check_backlog(const void *a)
{
    const char *why = cur->bounds(a);
    INV(why == NULL, why ? why : "");
    size_t m = 0;
    INV(cxm_backlog_list(a, NULL, 0, &m) == CXM_BUFFER_TOO_SMALL && m > 0, "backlog: no buckets");
    cxm_backlog_result *all = malloc(m * sizeof *all);
    if (!all) return;
    all[0].size = sizeof all[0];
    INV(cxm_backlog_list(a, all, m, &m) == CXM_OK, "backlog: list refused");
    for (size_t k = 0; k < m; k += 1 + m / 16) {
        cxm_backlog_result r = {.size = sizeof r};
        INV(cxm_backlog_get(a, (uint32_t)(m - 1 - k), &r) == CXM_OK &&
                memcmp(&r, &all[k], sizeof r) == 0,
            "backlog: a bucket read alone differs from the list");
    }
    cxm_backlog *c = NULL;
    cxm_ticket t = {.size = sizeof t, .created = all[0].start};
    free(all);
    if (cxm_backlog_clone(a, NULL, &c) != CXM_OK) return;
    if (cxm_backlog_add(c, &t, NULL) == CXM_OK) {
        INV(cxm_backlog_retract(c, &t, NULL) == CXM_OK, "backlog: an added record not retracted");
        INV(fz_equal(cur, c, a), "backlog: add then retract is not the identity");
    }
    cxm_backlog_free(c);
}

static void check_calendar(const void *a)
{
    static const int64_t t0s[] = {1704067200 + 1234, 1704067200 + 86400 * 45 + 7 * 3600,
                                  1704067200 - 86400 * 365 * 3, 0};
    static const int64_t spans[] = {1, 3600, 86400 * 8 + 5, 86400 * 40};
    for (size_t i = 0; i < sizeof t0s / sizeof t0s[0]; i++) {
        for (size_t k = 0; k < sizeof spans / sizeof spans[0]; k++) {
            const int64_t t0 = t0s[i], t1 = t0 + spans[k], mid = t0 + spans[k] / 3;
            int64_t all = -1, x = -1, y = -1;
            INV(cxm_calendar_business_seconds(a, t0, t1, &all) == CXM_OK &&
                    cxm_calendar_business_seconds(a, t0, mid, &x) == CXM_OK &&
                    cxm_calendar_business_seconds(a, mid, t1, &y) == CXM_OK,
                "calendar: business_seconds refused");
            INV(all >= 0 && all <= t1 - t0, "calendar: business seconds exceed wall seconds");
            INV(x + y == all, "calendar: business seconds not additive");
            /* due inverts business_seconds: exactly `all` open seconds, and not earlier. */
            int64_t due = 0;
            cxm_status st = cxm_calendar_due(a, t0, all, &due);
            INV(st == CXM_OK, "calendar: due refused a target business_seconds reached");
            int64_t back = -1;
            INV(due >= t0 && due <= t1 &&
                    cxm_calendar_business_seconds(a, t0, due, &back) == CXM_OK && back == all,
                "calendar: due does not invert business_seconds");
            if (all > 0) {
                INV(cxm_calendar_business_seconds(a, t0, due - 1, &back) == CXM_OK && back < all,
                    "calendar: due is not the earliest instant");
            }
        }
    }
}

static void check_family(const cxm_family_ops *f, const void *x)
{
    switch (f->family) {
    case CXM_FAMILY_NPS: check_nps(x); break;
    case CXM_FAMILY_NPS_PANEL: check_panel(x); break;
    case CXM_FAMILY_CSAT: check_csat(x); break;
    case CXM_FAMILY_CES: check_ces(x); break;
    case CXM_FAMILY_DURATION: check_duration(x); break;
    case CXM_FAMILY_RATE: check_rate(x); break;
    case CXM_FAMILY_SLA: check_sla(x); break;
    case CXM_FAMILY_CHURN: check_churn(x); break;
    case CXM_FAMILY_ROLLUP: check_rollup(x); break;
    case CXM_FAMILY_SURVIVAL: check_survival(x); break;
    case CXM_FAMILY_CALENDAR: check_calendar(x); break;
    case CXM_FAMILY_BACKLOG: check_backlog(x); break;
    default: break; /* the SLA policy: decode checks each target; the round trip the rest */
    }
}

static const cxm_family_ops *row_of(uint32_t family)
{
    for (size_t i = 0; i < cxm_fuzz_row_count(); i++)
        if (cxm_fuzz_row(i)->family == family) return cxm_fuzz_row(i);
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HDR + TRL) return 0;
    const uint32_t family = (uint32_t)data[6] | (uint32_t)data[7] << 8;
    const cxm_family_ops *f = row_of(family);
    if (!f) f = fz_family(data[6]); /* a family nobody has: the wrong-type path */
    cur = f;
    uint8_t *buf = malloc(size);
    if (!buf) return 0;
    memcpy(buf, data, size);
    void *x = NULL;
    cxm_status st = f->decode(buf, size, NULL, &x);
    if (st != CXM_OK) {
        INV(x == NULL, "refused decode wrote an object");
        free(buf);
        return 0;
    }
    INV(f->family == family, "decoded bytes of another family");
    /* Canonical: today's format re-encodes to the very same bytes. */
    const uint32_t version = (uint32_t)data[4] | (uint32_t)data[5] << 8;
    if (version == cxm_family_version(f))
        INV(fz_same(f, x, data, size), "decode -> encode differs");
    fz_summary(f, x, NULL);
    fz_roundtrip(f, x);
    check_family(f, x);
    f->destroy(x);
    free(buf);
    return 0;
}
