/*
 * test_churn.c — churn and retention over one period: ChartMogul's rule
 * applied to customer records, the customer, revenue and renewal formulas
 * against hand-computed cases, exact money, pre-aggregated shards, merge of
 * shards of one period only, inconsistent input refused without a trace,
 * placement in caller memory, and the exact bytes of the encoding.
 */
#include <math.h>
#include <stdio.h>

#include "testutil.h"

enum {
    S = CXM_CHURN_AT_START,
    E = CXM_CHURN_AT_END,
    X = CXM_CHURN_CANCELLED,
    R = CXM_CHURN_RETURNING,
    D = CXM_CHURN_DUE,
    W = CXM_CHURN_RENEWED,
};

static cxm_churn *mk(uint64_t period)
{
    cxm_churn *c = NULL;
    TU_OK(cxm_churn_new(period, &tu_allocator, &c));
    return c;
}

static cxm_churn_customer cust(uint32_t flags, int64_t m0, int64_t m1)
{
    cxm_churn_customer c = {sizeof c, 0, flags, 0, m0, m1};
    return c;
}

/*
 * Nine customers of period 202611 (MRR in cents):
 *  0  S..X..  100.00 -> gone            lost, churned MRR 10000
 *  1  SE....   50.00 -> 70.00           retained, expansion 2000
 *  2  SEX...   30.00 -> 30.00           churned and reactivated: NOT lost
 *  3  SE..DW   40.00 -> 10.00           retained, contraction 3000, renewed
 *  4  S.X.D.   20.00 -> gone            lost, churned MRR 2000, not renewed
 *  5  .E....    new 60.00               new, MRR 6000
 *  6  .E.R..    back 25.00              reactivated, MRR 2500
 *  7  ..X...    joined and left         joined and churned: NOT lost, not gained
 *  8  SE..DW    0 -> 0 (free plan)      retained, renewed
 */
static const cxm_churn_customer NINE[9] = {
    {sizeof(cxm_churn_customer), 0, S | X, 0, 10000, 0},
    {sizeof(cxm_churn_customer), 0, S | E, 0, 5000, 7000},
    {sizeof(cxm_churn_customer), 0, S | E | X, 0, 3000, 3000},
    {sizeof(cxm_churn_customer), 0, S | E | D | W, 0, 4000, 1000},
    {sizeof(cxm_churn_customer), 0, S | X | D, 0, 2000, 0},
    {sizeof(cxm_churn_customer), 0, E, 0, 0, 6000},
    {sizeof(cxm_churn_customer), 0, E | R, 0, 0, 2500},
    {sizeof(cxm_churn_customer), 0, X, 0, 0, 0},
    {sizeof(cxm_churn_customer), 0, S | E | D | W, 0, 0, 0},
};

static void hand_computed_period(void **state)
{
    (void)state;
    cxm_churn *c = mk(202611);
    size_t bad = 99;
    TU_OK(cxm_churn_add_many(c, NINE, 9, &bad));
    assert_int_equal(bad, 99); /* untouched on success */

    cxm_churn_customer_result r = {.size = sizeof r};
    TU_OK(cxm_churn_customer_result_get(c, 0.95, &r));
    assert_int_equal(r.period, 202611);
    /* C0 = customers 0, 1, 2, 3, 4, 8 = 6; lost = 0, 4 = 2. */
    assert_int_equal(r.customers_start, 6);
    assert_int_equal(r.lost, 2);
    assert_int_equal(r.churned_reactivated, 1);
    assert_int_equal(r.new_customers, 1);
    assert_int_equal(r.reactivated, 1);
    assert_int_equal(r.joined_churned, 1);
    assert_int_equal(r.gained, 2);
    /* 6 - 2 + 2 = 6. */
    assert_int_equal(r.customers_end, 6);
    /* churn = 2 / 6; retention = 4 / 6; net growth = (2 - 2) / 6 = 0. */
    TU_NEAR(r.churn_rate, 1.0 / 3.0, 1e-15);
    TU_NEAR(r.retention_rate, 2.0 / 3.0, 1e-15);
    assert_true(r.net_growth == 0.0);
    /*
     * Wilson 2 of 6 at z = 1.959964: z^2/n = 0.640243, centre =
     * (1/3 + 0.320122) / 1.640243 = 0.398389, half = z sqrt(2/9/6 +
     * z^2/144) / 1.640243 = 0.301618 -> [0.096771, 0.700007].
     */
    TU_NEAR(r.churn_ci.lower, 0.09677141110578041, 1e-9);
    TU_NEAR(r.churn_ci.upper, 0.700006684861608, 1e-9);
    TU_NEAR(r.retention_ci.lower, 1.0 - 0.700006684861608, 1e-9);
    TU_NEAR(r.retention_ci.upper, 1.0 - 0.09677141110578041, 1e-9);
    assert_true(r.churn_ci.level == 0.95);

    cxm_churn_revenue_result v = {.size = sizeof v};
    TU_OK(cxm_churn_revenue_result_get(c, &v));
    /* MRR0 = 10000 + 5000 + 3000 + 4000 + 2000 + 0 = 24000. */
    assert_int_equal(v.mrr_start, 24000);
    assert_int_equal(v.mrr_churned, 12000);
    assert_int_equal(v.mrr_expansion, 2000);
    assert_int_equal(v.mrr_contraction, 3000);
    assert_int_equal(v.mrr_new, 6000);
    assert_int_equal(v.mrr_reactivation, 2500);
    /* 24000 + 6000 + 2500 + 2000 - 3000 - 12000 = 19500 = 7000+3000+1000+6000+2500. */
    assert_int_equal(v.mrr_end, 19500);
    /* gross revenue churn = (12000 + 3000) / 24000 = 0.625. */
    assert_true(v.gross_revenue_churn == 0.625);
    /* NRR = (24000 + 2000 - 3000 - 12000) / 24000 = 11000 / 24000. */
    TU_NEAR(v.net_revenue_retention, 11000.0 / 24000.0, 1e-15);

    cxm_churn_renewal_result w = {.size = sizeof w};
    TU_OK(cxm_churn_renewal_result_get(c, 0.0, &w));
    /* Due: 3, 4, 8; renewed: 3, 8 -> 2/3; Wilson 2 of 3 = [0.207660, 0.938508]. */
    assert_int_equal(w.due, 3);
    assert_int_equal(w.renewed, 2);
    TU_NEAR(w.renewal_rate, 2.0 / 3.0, 1e-15);
    TU_NEAR(w.renewal_ci.lower, 0.2076596008020477, 1e-9);
    TU_NEAR(w.renewal_ci.upper, 0.9385080552796037, 1e-9);

    /* The same counts given pre-aggregated give the same state, byte for byte. */
    cxm_churn_counts k = {.size = sizeof k};
    TU_OK(cxm_churn_counts_get(c, &k));
    cxm_churn *agg = mk(202611);
    TU_OK(cxm_churn_add_counts(agg, &k));
    const cxm_family_ops *f = cxm_family_find("churn");
    tu_snap s = tu_snapshot(f, c);
    tu_assert_same(f, agg, s);
    tu_snap_free(s);
    cxm_churn_free(agg);
    cxm_churn_free(c);
}

/* ChartMogul's rule, one case at a time. */
static void chartmogul_rule(void **state)
{
    (void)state;
    struct {
        uint32_t flags;
        uint64_t start, lost, chreact, gained, joinch;
    } cases[] = {
        {S, 1, 1, 0, 0, 0},         /* at start, gone at end: churned */
        {S | X, 1, 1, 0, 0, 0},     /* the same, cancellation flagged */
        {S | E | X, 1, 0, 1, 0, 0}, /* churned and reactivated within: not churned */
        {S | E, 1, 0, 0, 0, 0},     /* retained */
        {E, 0, 0, 0, 1, 0},         /* new */
        {E | X, 0, 0, 0, 1, 0},     /* joined, cancelled, back by the end: gained */
        {X, 0, 0, 0, 0, 1},         /* joined and churned within: not churned */
        {X | R, 0, 0, 0, 0, 1},     /* came back and left again within: not churned */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cxm_churn *c = mk(1);
        cxm_churn_customer cu = cust(cases[i].flags, 0, 0);
        TU_OK(cxm_churn_add(c, &cu));
        cxm_churn_customer_result r = {.size = sizeof r};
        cxm_status st = cxm_churn_customer_result_get(c, 0.0, &r);
        assert_int_equal(st, cases[i].start ? CXM_OK : CXM_EMPTY);
        assert_int_equal(r.customers_start, cases[i].start);
        assert_int_equal(r.lost, cases[i].lost);
        assert_int_equal(r.churned_reactivated, cases[i].chreact);
        assert_int_equal(r.gained, cases[i].gained);
        assert_int_equal(r.joined_churned, cases[i].joinch);
        assert_false(isnan(r.churn_rate));
        cxm_churn_free(c);
    }
}

static void empty_has_no_value(void **state)
{
    (void)state;
    cxm_churn *c = mk(7);
    cxm_churn_customer_result r = {.size = sizeof r, .churn_rate = 42.0};
    TU_ST(cxm_churn_customer_result_get(c, 0.0, &r), CXM_EMPTY);
    assert_int_equal(r.customers_start, 0);
    assert_int_equal(r.period, 7);
    cxm_churn_revenue_result v = {.size = sizeof v};
    TU_ST(cxm_churn_revenue_result_get(c, &v), CXM_EMPTY);
    cxm_churn_renewal_result w = {.size = sizeof w};
    TU_ST(cxm_churn_renewal_result_get(c, 0.0, &w), CXM_EMPTY);
    /* Customers at start but no revenue (free plans): customer rates exist, revenue ones do not. */
    cxm_churn_customer cu = cust(S | E, 0, 0);
    TU_OK(cxm_churn_add(c, &cu));
    TU_OK(cxm_churn_customer_result_get(c, 0.0, &r));
    assert_true(r.churn_rate == 0.0 && r.retention_rate == 1.0);
    TU_ST(cxm_churn_revenue_result_get(c, &v), CXM_EMPTY);
    cxm_churn_free(c);
}

static void bad_input_changes_nothing(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("churn");
    cxm_churn *c = mk(202611);
    TU_OK(cxm_churn_add_many(c, NINE, 9, NULL));
    tu_snap s = tu_snapshot(f, c);

    const cxm_churn_customer bad[] = {
        cust(64, 0, 0),            /* unknown flag bit */
        cust(S | R, 100, 0),       /* returning, yet a customer at start */
        cust(S | E | W, 100, 100), /* renewed without being due */
        cust(0, 0, 0),             /* not a customer at all in the period */
        cust(D, 0, 0),             /* due, but never a customer in the period */
        cust(S | E, -1, 100),      /* negative money */
        cust(S | E, 100, -5),      /* negative money */
        cust(E, 100, 100),         /* MRR at start without being a customer then */
        cust(S, 100, 100),         /* MRR at end after leaving */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        TU_ST(cxm_churn_add(c, &bad[i]), CXM_OUT_OF_RANGE);
    cxm_churn_customer z = cust(S, 1, 0);
    z.reserved = 1;
    TU_ST(cxm_churn_add(c, &z), CXM_INVALID_ARGUMENT);
    z = cust(S, 1, 0);
    z.reserved2 = 1;
    TU_ST(cxm_churn_add(c, &z), CXM_INVALID_ARGUMENT);
    z = cust(S, 1, 0);
    z.size = 8;
    TU_ST(cxm_churn_add(c, &z), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_churn_add(c, NULL), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_churn_add(NULL, &NINE[0]), CXM_INVALID_ARGUMENT);

    /* A batch with one bad record is refused whole and names it. */
    cxm_churn_customer batch[20];
    for (int i = 0; i < 20; i++)
        batch[i] = NINE[i % 9];
    batch[13] = cust(S | E, 100, -1);
    size_t at = 0;
    TU_ST(cxm_churn_add_many(c, batch, 20, &at), CXM_OUT_OF_RANGE);
    assert_int_equal(at, 13);
    batch[13] = NINE[4];
    batch[17].size = 16; /* records of different sizes */
    TU_ST(cxm_churn_add_many(c, batch, 20, &at), CXM_INVALID_ARGUMENT);
    assert_int_equal(at, 17);
    TU_ST(cxm_churn_add_many(c, NULL, 2, &at), CXM_INVALID_ARGUMENT);

    /* Counts that lose more than existed, or more money than there was. */
    cxm_churn_counts k = {.size = sizeof k, .customers_start = 5, .lost = 6};
    TU_ST(cxm_churn_add_counts(c, &k), CXM_OUT_OF_RANGE);
    k = (cxm_churn_counts){
        .size = sizeof k, .customers_start = 5, .lost = 3, .churned_reactivated = 3};
    TU_ST(cxm_churn_add_counts(c, &k), CXM_OUT_OF_RANGE);
    k = (cxm_churn_counts){.size = sizeof k, .due = 2, .renewed = 3};
    TU_ST(cxm_churn_add_counts(c, &k), CXM_OUT_OF_RANGE);
    k = (cxm_churn_counts){
        .size = sizeof k, .mrr_start = 100, .mrr_churned = 60, .mrr_contraction = 41};
    TU_ST(cxm_churn_add_counts(c, &k), CXM_OUT_OF_RANGE);
    k = (cxm_churn_counts){.size = sizeof k, .mrr_new = -1};
    TU_ST(cxm_churn_add_counts(c, &k), CXM_OUT_OF_RANGE);
    k = (cxm_churn_counts){.size = 4};
    TU_ST(cxm_churn_add_counts(c, &k), CXM_INVALID_ARGUMENT);

    /* Shards of another period do not merge. */
    cxm_churn *other = mk(202612);
    TU_OK(cxm_churn_add(other, &NINE[1]));
    TU_ST(cxm_churn_merge(c, other), CXM_KIND_MISMATCH);

    /* Result calls with bad sizes or levels change nothing either. */
    cxm_churn_customer_result r = {.size = 8};
    TU_ST(cxm_churn_customer_result_get(c, 0.0, &r), CXM_INVALID_ARGUMENT);
    r.size = sizeof r;
    TU_ST(cxm_churn_customer_result_get(c, 1.0, &r), CXM_OUT_OF_RANGE);
    cxm_churn_renewal_result w = {.size = sizeof w};
    TU_ST(cxm_churn_renewal_result_get(c, -0.5, &w), CXM_OUT_OF_RANGE);
    tu_assert_same(f, c, s);
    tu_snap_free(s);
    cxm_churn_free(other);
    cxm_churn_free(c);
}

static void money_overflow_is_refused(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("churn");
    cxm_churn *c = mk(1);
    /* MRR at the end must stay representable: INT64_MAX - 10 + 11 is not. */
    cxm_churn_customer big = cust(S | E, INT64_MAX - 10, INT64_MAX - 10);
    TU_OK(cxm_churn_add(c, &big));
    tu_snap s = tu_snapshot(f, c);
    cxm_churn_customer more = cust(E, 0, 11);
    TU_ST(cxm_churn_add(c, &more), CXM_OVERFLOW);
    cxm_churn_customer grow = cust(S | E, 0, 11);
    TU_ST(cxm_churn_add(c, &grow), CXM_OVERFLOW);
    TU_ST(cxm_churn_merge(c, c), CXM_OVERFLOW);
    tu_assert_same(f, c, s);
    more.mrr_end = 10; /* exactly INT64_MAX at the end: fine */
    TU_OK(cxm_churn_add(c, &more));
    cxm_churn_revenue_result v = {.size = sizeof v};
    TU_OK(cxm_churn_revenue_result_get(c, &v));
    assert_true(v.mrr_end == INT64_MAX);
    assert_true(v.net_revenue_retention == 1.0);
    tu_snap_free(s);
    cxm_churn_free(c);
}

/*
 * Customers at the end (C0 - lost + new + reactivated) are a count: past
 * 2^64 - 1 an add or merge is CXM_OVERFLOW and a decode CXM_BAD_FORMAT,
 * never a saturated customers_end (found by fuzz_structure: 4 - 1 + 2^64 - 1
 * reported as 2^64 - 1).
 */
static void customer_count_overflow_is_refused(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("churn");
    cxm_churn *c = mk(1);
    cxm_churn_counts k = {.size = sizeof k, .customers_start = 4, .lost = 1};
    k.new_customers = UINT64_MAX;
    TU_ST(cxm_churn_add_counts(c, &k), CXM_OVERFLOW);
    k.new_customers = UINT64_MAX - 4; /* 3 kept + 2^64 - 5 new = 2^64 - 2: fits */
    TU_OK(cxm_churn_add_counts(c, &k));
    cxm_churn_customer_result r = {.size = sizeof r};
    TU_OK(cxm_churn_customer_result_get(c, 0.0, &r));
    assert_true(r.customers_end == UINT64_MAX - 1 && r.gained == UINT64_MAX - 4);
    tu_snap s = tu_snapshot(f, c);
    cxm_churn_counts two = {.size = sizeof two, .reactivated = 2};
    TU_ST(cxm_churn_add_counts(c, &two), CXM_OVERFLOW);
    cxm_churn_customer joined = cust(E, 0, 100);
    TU_OK(cxm_churn_add(c, &joined)); /* exactly 2^64 - 1 at the end: fine */
    TU_ST(cxm_churn_add(c, &joined), CXM_OVERFLOW);
    tu_snap_free(s);
    s = tu_snapshot(f, c);
    cxm_churn *d = mk(1);
    TU_OK(cxm_churn_add(d, &joined));
    TU_ST(cxm_churn_merge(c, d), CXM_OVERFLOW);
    tu_assert_same(f, c, s);
    tu_snap_free(s);

    /* Forged: C0 4, lost 1, new 2^64 - 1 (offsets: C0 20, lost 28, new 44). */
    uint8_t buf[256];
    size_t len = 0;
    TU_OK(cxm_churn_encode(d, buf, sizeof buf, &len));
    memset(buf + 20, 0, 8);
    buf[20] = 4;
    memset(buf + 28, 0, 8);
    buf[28] = 1;
    memset(buf + 44, 0xFF, 8);
    tu_fix_crc(buf, len);
    cxm_churn *x = NULL;
    TU_ST(cxm_churn_decode(buf, len, &tu_allocator, &x), CXM_BAD_FORMAT);
    assert_null(x);
    buf[44] = 0xFB; /* new 2^64 - 5: 3 + that fits */
    tu_fix_crc(buf, len);
    TU_OK(cxm_churn_decode(buf, len, &tu_allocator, &x));
    cxm_churn_free(x);
    cxm_churn_free(d);
    cxm_churn_free(c);
}

static void shards_merge_exactly(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("churn");
    cxm_churn *a = mk(9), *b = mk(9), *all = mk(9);
    TU_OK(cxm_churn_add_many(a, NINE, 4, NULL));
    TU_OK(cxm_churn_add_many(b, NINE + 4, 5, NULL));
    TU_OK(cxm_churn_add_many(all, NINE, 9, NULL));
    TU_OK(cxm_churn_merge(a, b));
    tu_snap s = tu_snapshot(f, all);
    tu_assert_same(f, a, s);
    tu_snap_free(s);
    /* Self-merge doubles every count and keeps the rates. */
    TU_OK(cxm_churn_merge(all, all));
    cxm_churn_customer_result r = {.size = sizeof r};
    TU_OK(cxm_churn_customer_result_get(all, 0.0, &r));
    assert_int_equal(r.customers_start, 12);
    TU_NEAR(r.churn_rate, 1.0 / 3.0, 1e-15);
    uint64_t period = 0;
    TU_OK(cxm_churn_period(all, &period));
    assert_int_equal(period, 9);
    cxm_churn_free(a);
    cxm_churn_free(b);
    cxm_churn_free(all);
}

static void placement_and_sizes(void **state)
{
    (void)state;
    _Alignas(16) unsigned char mem[512];
    assert_true(cxm_churn_footprint() <= sizeof mem);
    cxm_churn *c = NULL;
    TU_ST(cxm_churn_init_in(mem, cxm_churn_footprint() - 1, 3, &c), CXM_BUFFER_TOO_SMALL);
    TU_ST(cxm_churn_init_in(mem + 1, sizeof mem - 1, 3, &c), CXM_INVALID_ARGUMENT);
    TU_OK(cxm_churn_init_in(mem, sizeof mem, 3, &c));
    TU_OK(cxm_churn_add(c, &NINE[0]));
    cxm_churn *copy = NULL;
    TU_OK(cxm_churn_clone(c, &tu_allocator, &copy));
    TU_OK(cxm_churn_reset(c));
    cxm_churn_customer_result r = {.size = sizeof r};
    TU_ST(cxm_churn_customer_result_get(c, 0.0, &r), CXM_EMPTY);
    TU_OK(cxm_churn_customer_result_get(copy, 0.0, &r));
    assert_int_equal(r.lost, 1);
    cxm_churn_free(c); /* placed: frees nothing */
    cxm_churn_free(copy);
    cxm_churn_free(NULL);

    /*
     * A size beyond the current struct (a newer header, or garbage) is
     * refused, and nothing is written: the library never writes past the
     * struct it knows, whatever `size` claims.
     */
    struct {
        cxm_churn_revenue_result r;
        uint64_t later;
    } big;
    const uint32_t sizes[] = {sizeof big, sizeof big.r + 4, 0x7FFFFFFFu, UINT32_MAX};
    TU_OK(cxm_churn_new(5, &tu_allocator, &c));
    TU_OK(cxm_churn_add(c, &NINE[1]));
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        memset(&big, 0xAA, sizeof big);
        big.r.size = sizes[i];
        big.r.reserved = 0;
        TU_ST(cxm_churn_revenue_result_get(c, &big.r), CXM_INVALID_ARGUMENT);
        assert_int_equal(big.r.size, sizes[i]);
        assert_true(big.r.period == 0xAAAAAAAAAAAAAAAAu && big.later == 0xAAAAAAAAAAAAAAAAu);
    }
    big.r.size = sizeof big.r;
    TU_OK(cxm_churn_revenue_result_get(c, &big.r));
    assert_int_equal(big.r.period, 5);
    assert_int_equal(big.r.mrr_expansion, 2000);
    assert_true(big.later == 0xAAAAAAAAAAAAAAAAu);
    /* Smaller than the first published struct is refused. */
    cxm_churn_revenue_result tiny = {.size = sizeof tiny - 8};
    TU_ST(cxm_churn_revenue_result_get(c, &tiny), CXM_INVALID_ARGUMENT);
    cxm_churn_free(c);
}

/* The exact bytes of format version 1, from tests/vectors/churn_v1.hex. */
static void encoding_vector(void **state)
{
    (void)state;
    cxm_churn *c = mk(202611);
    TU_OK(cxm_churn_add_many(c, NINE, 9, NULL));
    uint8_t buf[256];
    size_t len = 0;
    TU_ST(cxm_churn_encode(c, buf, 10, &len), CXM_BUFFER_TOO_SMALL);
    /* 16 envelope + 8 period + 8 x 8 counts + 6 x 8 money = 136. */
    assert_int_equal(len, 136);
    TU_OK(cxm_churn_encode(c, buf, sizeof buf, &len));
    /* Period 202611 = 0x0003176B at offset 12, little-endian. */
    assert_int_equal(buf[12], 0x73);
    assert_int_equal(buf[13], 0x17);
    assert_int_equal(buf[14], 0x03);

    uint8_t want[256];
    size_t wlen = tu_read_vector("churn_v1.hex", want, sizeof want);
    assert_int_equal(wlen, len);
    assert_memory_equal(buf, want, len);
    cxm_churn *d = NULL;
    TU_OK(cxm_churn_decode(want, wlen, &tu_allocator, &d));
    cxm_churn_revenue_result a = {.size = sizeof a}, b = {.size = sizeof b};
    TU_OK(cxm_churn_revenue_result_get(c, &a));
    TU_OK(cxm_churn_revenue_result_get(d, &b));
    assert_true(a.mrr_end == b.mrr_end && b.mrr_end == 19500 && b.period == 202611);
    cxm_churn_free(d);
    cxm_churn_free(c);
}

static void decode_rejects_inconsistent_fields(void **state)
{
    (void)state;
    cxm_churn *c = mk(1);
    TU_OK(cxm_churn_add_many(c, NINE, 9, NULL));
    uint8_t buf[256];
    size_t len = 0;
    TU_OK(cxm_churn_encode(c, buf, sizeof buf, &len));
    /*
     * Offsets: period 12, customers_start 20, lost 28, renewed 76, mrr_start
     * 84, mrr_churned 124. Lost 7 of 6; MRR0 24000 -> 192 (below the 15000
     * churned + contraction); renewed 4 of 3 due; a negative churned MRR.
     */
    const size_t at[] = {28, 85, 76, 124};
    const uint8_t val[] = {7, 0, 4, 0xFF};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        uint8_t tmp[256];
        memcpy(tmp, buf, len);
        tmp[at[i]] = val[i];
        if (val[i] == 0xFF) tmp[at[i] + 7] = 0xFF; /* a negative amount */
        tu_fix_crc(tmp, len);
        cxm_churn *d = NULL;
        TU_ST(cxm_churn_decode(tmp, len, &tu_allocator, &d), CXM_BAD_FORMAT);
        assert_null(d);
    }
    cxm_churn_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hand_computed_period),
        cmocka_unit_test(chartmogul_rule),
        cmocka_unit_test(empty_has_no_value),
        cmocka_unit_test(bad_input_changes_nothing),
        cmocka_unit_test(money_overflow_is_refused),
        cmocka_unit_test(customer_count_overflow_is_refused),
        cmocka_unit_test(shards_merge_exactly),
        cmocka_unit_test(placement_and_sizes),
        cmocka_unit_test(encoding_vector),
        cmocka_unit_test(decode_rejects_inconsistent_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
