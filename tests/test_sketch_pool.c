/*
 * test_sketch_pool.c — paged duration sketches, white-box. The reference is
 * duration_core itself: a paged sketch fed some values must materialise to
 * exactly the duration_core the same values build, after any sequence of
 * adds, removals and merges; pages must follow the data (taken when an
 * octave or a carry byte is first needed, given back when it empties); and
 * a refused operation must change nothing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

#include "sketch_pool.h"

/* A deterministic generator: xorshift64* and a log-normal from it. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Du;
}
static double unit(void)
{
    return ((double)(rnd() >> 11) + 0.5) * 0x1p-53;
}
/* Log-normal seconds: median `median`, log-sd `sigma` (Box-Muller). */
static double lognormal(double median, double sigma)
{
    double z = sqrt(-2.0 * log(unit())) * cos(6.283185307179586 * unit());
    return median * exp(sigma * z);
}

static skp_pool *pool_new(uint32_t pages)
{
    skp_pool *p = malloc(skp_bytes(pages));
    assert_non_null(p);
    skp_init(p, pages);
    return p;
}

/* The paged sketch materialises to exactly `want`, byte for byte. */
static void assert_same(const skp_pool *p, const skp_sketch *s, const duration_core *want)
{
    duration_core *got = malloc(sizeof *got);
    assert_non_null(got);
    skp_to_core(p, s, got);
    assert_memory_equal(got, want, sizeof *got);
    free(got);
}

static duration_core *core_new(void)
{
    duration_core *c = calloc(1, sizeof *c);
    assert_non_null(c);
    return c;
}

/* Random log-normal support times, edge values included: same as duration_core. */
static void adds_equal_the_core(void **state)
{
    (void)state;
    skp_pool *p = pool_new(4096);
    skp_sketch s;
    skp_clear(&s);
    duration_core *c = core_new();
    const double edges[] = {0.0, -0.0, 0x1p-11, 0x1p-10, 0x1p29, 3e9, 0x1p43};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        assert_int_equal(skp_add(p, &s, edges[i]), CXM_OK);
        assert_int_equal(dur_add(c, edges[i]), CXM_OK);
    }
    for (int i = 0; i < 20000; i++) {
        double v = lognormal(3600.0, 1.5);
        assert_int_equal(skp_add(p, &s, v), CXM_OK);
        assert_int_equal(dur_add(c, v), CXM_OK);
    }
    assert_same(p, &s, c);
    assert_int_equal(skp_used(p), skp_pages_of(p, &s));
    /* Not durations: refused, nothing changes. */
    assert_int_equal(skp_add(p, &s, -1.0), CXM_OUT_OF_RANGE);
    assert_int_equal(skp_add(p, &s, NAN), CXM_OUT_OF_RANGE);
    assert_int_equal(skp_add(p, &s, 0x1p44), CXM_OUT_OF_RANGE);
    assert_same(p, &s, c);
    free(c);
    free(p);
}

/*
 * One bucket counted 70,000 times: the count needs three bytes, so the
 * octave holds a chain of three pages (255 -> 256 takes the second,
 * 65,535 -> 65,536 the third); removing them all gives every page back.
 */
static void carries_grow_and_shrink(void **state)
{
    (void)state;
    skp_pool *p = pool_new(8);
    skp_sketch s;
    skp_clear(&s);
    for (int i = 0; i < 255; i++)
        assert_int_equal(skp_add(p, &s, 60.0), CXM_OK);
    assert_int_equal(skp_used(p), 1);
    assert_int_equal(skp_add(p, &s, 60.0), CXM_OK);
    assert_int_equal(skp_used(p), 2);
    for (int i = 256; i < 70000; i++)
        assert_int_equal(skp_add(p, &s, 60.0), CXM_OK);
    assert_int_equal(skp_used(p), 3);
    assert_int_equal(skp_slot(p, &s, dur_slot_of(60.0)), 70000);
    for (int i = 70000; i > 65536; i--)
        assert_int_equal(skp_remove(p, &s, 60.0), CXM_OK);
    assert_int_equal(skp_used(p), 3); /* 65,536 = 0x010000 still needs three bytes */
    assert_int_equal(skp_remove(p, &s, 60.0), CXM_OK);
    assert_int_equal(skp_used(p), 2); /* 65,535 = 0xFFFF */
    for (int i = 65535; i > 0; i--)
        assert_int_equal(skp_remove(p, &s, 60.0), CXM_OK);
    assert_int_equal(skp_used(p), 0);
    assert_int_equal(s.n, 0);
    free(p);
}

/*
 * Removal is exact: add A and B, remove B, and every count and exact sum is
 * A's. The extremes, where the removed value held them, are bucket edges on
 * the safe side, within one bucket (ratio 1 + 1/64) of A's.
 */
static void removal_is_exact(void **state)
{
    (void)state;
    skp_pool *p = pool_new(4096);
    skp_sketch s;
    skp_clear(&s);
    duration_core *a = core_new();
    enum { NA = 3000, NB = 3000 };
    static double b[NB];
    for (int i = 0; i < NA; i++) {
        double v = lognormal(900.0, 1.2);
        assert_int_equal(skp_add(p, &s, v), CXM_OK);
        assert_int_equal(dur_add(a, v), CXM_OK);
    }
    /* B holds the extremes: its removal must move them. */
    for (int i = 0; i < NB; i++) {
        b[i] = i == 0 ? 0.25 * a->min : i == 1 ? 4.0 * a->max : lognormal(20000.0, 2.0);
        assert_int_equal(skp_add(p, &s, b[i]), CXM_OK);
    }
    for (int i = NB; i-- > 0;)
        assert_int_equal(skp_remove(p, &s, b[i]), CXM_OK);
    duration_core *got = malloc(sizeof *got);
    skp_to_core(p, &s, got);
    assert_int_equal(got->n, a->n);
    assert_memory_equal(got->sum, a->sum, sizeof a->sum);
    assert_memory_equal(got->sumsq, a->sumsq, sizeof a->sumsq);
    assert_memory_equal(got->slot, a->slot, sizeof a->slot);
    assert_true(got->min <= a->min && got->min * (1.0 + 1.0 / 64) >= a->min);
    assert_true(got->max >= a->max && got->max <= a->max * (1.0 + 1.0 / 64));
    /* Memory follows the data: exactly the pages A alone would take. */
    skp_pool *q = pool_new(4096);
    skp_sketch t;
    skp_clear(&t);
    assert_int_equal(skp_from_core(q, &t, a), CXM_OK);
    assert_int_equal(skp_used(p), skp_used(q));
    /* One value left: its extremes are its exact sum. */
    skp_release(p, &s);
    assert_int_equal(skp_used(p), 0);
    assert_int_equal(skp_add(p, &s, 5.0), CXM_OK);
    assert_int_equal(skp_add(p, &s, 7.25), CXM_OK);
    assert_int_equal(skp_remove(p, &s, 7.25), CXM_OK);
    assert_true(s.min == 5.0 && s.max == 5.0);
    free(got);
    free(q);
    free(a);
    free(p);
}

/* A value never added is refused (empty bucket, outside the extremes) and nothing changes. */
static void removal_of_a_stranger_is_refused(void **state)
{
    (void)state;
    skp_pool *p = pool_new(64);
    skp_sketch s, before;
    skp_clear(&s);
    assert_int_equal(skp_remove(p, &s, 10.0), CXM_BAD_STATE); /* empty */
    assert_int_equal(skp_add(p, &s, 10.0), CXM_OK);
    assert_int_equal(skp_add(p, &s, 20.0), CXM_OK);
    before = s;
    uint32_t used = skp_used(p);
    assert_int_equal(skp_remove(p, &s, 15.0), CXM_BAD_STATE); /* its bucket is empty */
    assert_int_equal(skp_remove(p, &s, 40.0), CXM_BAD_STATE); /* above the maximum */
    assert_int_equal(skp_remove(p, &s, -1.0), CXM_OUT_OF_RANGE);
    assert_memory_equal(&s, &before, sizeof s);
    assert_int_equal(skp_used(p), used);
    free(p);
}

/* An add that needs a page the pool does not have: CXM_CAPACITY, nothing changed. */
static void a_full_pool_refuses(void **state)
{
    (void)state;
    skp_pool *p = pool_new(2);
    skp_sketch s;
    skp_clear(&s);
    assert_int_equal(skp_add(p, &s, 1.0), CXM_OK);   /* octave [1, 2) */
    assert_int_equal(skp_add(p, &s, 100.0), CXM_OK); /* octave [64, 128) */
    assert_int_equal(skp_add(p, &s, 1.5), CXM_OK);   /* same octave: no page */
    duration_core *c = core_new();
    skp_to_core(p, &s, c);
    skp_sketch before = s;
    assert_int_equal(skp_add_needs(p, &s, 5000.0), 1);
    assert_int_equal(skp_add(p, &s, 5000.0), CXM_CAPACITY);
    assert_memory_equal(&s, &before, sizeof s);
    assert_same(p, &s, c);
    /* Under- and overflow counts live in the sketch: they need no page. */
    assert_int_equal(skp_add(p, &s, 0.0), CXM_OK);
    assert_int_equal(skp_add(p, &s, 0x1p30), CXM_OK);
    free(c);
    free(p);
}

/*
 * The roll-up's hot path: a value prepared once, its counter found, then
 * added with skp_add_located gives the sketch skp_add gives, bit for bit
 * (edge slots, -0.0, carries past 255 and new octaves go through
 * skp_add). Every other value is located one add early, as add_many
 * locates the next ticket before it writes one: a counter found before
 * an add that took a page or carried is still the right one.
 */
static void prepared_adds_equal_plain_adds(void **state)
{
    (void)state;
    enum { N = 30000 };
    skp_pool *p = pool_new(4096), *q = pool_new(4096);
    skp_sketch a, b;
    skp_clear(&a);
    skp_clear(&b);
    const double edges[] = {0.0, -0.0, 0x1p-11, 0x1p-10, 0x1p29, 3e9, 0x1p43};
    double *v = malloc(N * sizeof *v);
    assert_non_null(v);
    for (int i = 0; i < N; i++)
        v[i] = i < 7 ? edges[i] : i < 700 ? 60.0 : lognormal(3600.0, 1.5);
    skp_value x[2];
    uint8_t *low[2];
    skp_prepare(&x[0], v[0]);
    low[0] = skp_counter(skp_page(q, 0), &b, &x[0]);
    for (int i = 0; i < N; i++) {
        if (i + 1 < N) { /* the next value located before this one is written */
            skp_prepare(&x[(i + 1) % 2], v[i + 1]);
            low[(i + 1) % 2] = skp_counter(skp_page(q, 0), &b, &x[(i + 1) % 2]);
        }
        assert_int_equal(skp_add(p, &a, v[i]), CXM_OK);
        skp_add_located(q, &b, low[i % 2], &x[i % 2]);
        /* The head byte for byte: count, exact sums, extremes, edge counts, directory. */
        assert_memory_equal(&a, &b, sizeof a);
    }
    duration_core *c = core_new();
    skp_to_core(p, &a, c);
    assert_same(q, &b, c);
    free(c);
    free(v);
    free(p);
    free(q);
}

/* Scratch: the top of the pages never handed out, and only with `reserve` pages left below. */
static void scratch_stays_above_the_pages_taken(void **state)
{
    (void)state;
    skp_pool *p = pool_new(16);
    skp_sketch s;
    skp_clear(&s);
    assert_int_equal(skp_add(p, &s, 1.0), CXM_OK); /* one page taken: 15 never handed out */
    assert_null(skp_scratch(p, 16 * SKP_PAGE, 0));
    assert_null(skp_scratch(p, 4 * SKP_PAGE, 12));
    uint8_t *m = skp_scratch(p, 4 * SKP_PAGE - 1, 11);
    assert_non_null(m);
    assert_ptr_equal(m, skp_page(p, 12));
    memset(m, 0xAB, 4 * SKP_PAGE - 1);
    /* Eleven new octaves take the eleven pages below: none reaches the scratch. */
    for (int o = 1; o <= 11; o++)
        assert_int_equal(skp_add(p, &s, ldexp(1.0, o)), CXM_OK);
    assert_int_equal(skp_free(p), 4);
    for (size_t i = 0; i < 4 * SKP_PAGE - 1; i++)
        assert_int_equal(m[i], 0xAB);
    /* The scratch pages are still free: handed out zeroed, counted right. */
    duration_core *c = core_new();
    for (int o = 0; o <= 11; o++)
        assert_int_equal(dur_add(c, ldexp(1.0, o)), CXM_OK);
    for (int o = 12; o <= 15; o++) {
        assert_int_equal(skp_add(p, &s, ldexp(1.0, o)), CXM_OK);
        assert_int_equal(dur_add(c, ldexp(1.0, o)), CXM_OK);
    }
    assert_int_equal(skp_free(p), 0);
    assert_same(p, &s, c);
    free(c);
    free(p);
}

/* Merge: the union, whatever pools the parts came from; needs counted exactly. */
static void merge_is_the_union(void **state)
{
    (void)state;
    skp_pool *p = pool_new(4096), *q = pool_new(4096);
    skp_sketch a, b;
    skp_clear(&a);
    skp_clear(&b);
    duration_core *ca = core_new(), *cb = core_new();
    for (int i = 0; i < 5000; i++) {
        double v = lognormal(600.0, 1.0), w = lognormal(86400.0, 1.8);
        assert_int_equal(skp_add(p, &a, v), CXM_OK);
        assert_int_equal(dur_add(ca, v), CXM_OK);
        assert_int_equal(skp_add(q, &b, w), CXM_OK);
        assert_int_equal(dur_add(cb, w), CXM_OK);
    }
    /* 300 values in one bucket of b: merging carries a's count past 255. */
    for (int i = 0; i < 300; i++) {
        assert_int_equal(skp_add(q, &b, 601.0), CXM_OK);
        assert_int_equal(dur_add(cb, 601.0), CXM_OK);
    }
    uint32_t need = skp_merge_needs(p, &a, q, &b), before = skp_used(p);
    assert_true(need > 0);
    /* A pool one page short refuses, and a is as it was. */
    skp_pool *small = pool_new(skp_used(p) + need - 1u);
    skp_sketch a2;
    skp_clear(&a2);
    duration_core *tmp = core_new();
    skp_to_core(p, &a, tmp);
    assert_int_equal(skp_from_core(small, &a2, tmp), CXM_OK);
    skp_sketch a2_before = a2;
    assert_int_equal(skp_merge(small, &a2, q, &b), CXM_CAPACITY);
    assert_memory_equal(&a2, &a2_before, sizeof a2);
    assert_same(small, &a2, ca);
    /* Enough pages: exactly `need` more, and the union of the two. */
    assert_int_equal(skp_merge(p, &a, q, &b), CXM_OK);
    assert_int_equal(skp_used(p), before + need);
    assert_int_equal(dur_merge(ca, cb), CXM_OK);
    assert_same(p, &a, ca);
    free(tmp);
    free(small);
    free(ca);
    free(cb);
    free(q);
    free(p);
}

/*
 * A merge adds whole pages at a time (eight counters to a word), so every
 * counter of a page must carry on its own: a gets 200 in each of the 64
 * buckets of one octave, b gets (37 j) mod 112 in bucket j, so the sums run
 * from 200 (no carry) through 255 (j = 59: none, the largest) to 311, the
 * buckets that carry falling on odd and even places alike. In another
 * octave a's count of 65,535 in one bucket and b's 1 carry through two
 * levels into a third page.
 */
static void merge_carries_every_counter(void **state)
{
    (void)state;
    skp_pool *p = pool_new(64), *q = pool_new(64);
    skp_sketch a, b;
    skp_clear(&a);
    skp_clear(&b);
    duration_core *ca = core_new(), *cb = core_new();
    uint32_t first = dur_slot_of(1024.0 * (1.0 + 0.5 / 64.0));
    unsigned carries[2] = {0, 0};
    for (uint32_t j = 0; j < 64; j++) {
        double v = 1024.0 * (1.0 + (j + 0.5) / 64.0);
        assert_int_equal(dur_slot_of(v), first + j); /* one octave, a bucket each */
        uint32_t bj = (37u * j) % 112u;
        carries[j % 2] += 200u + bj > 255u;
        for (int i = 0; i < 200; i++) {
            assert_int_equal(skp_add(p, &a, v), CXM_OK);
            assert_int_equal(dur_add(ca, v), CXM_OK);
        }
        for (uint32_t i = 0; i < bj; i++) {
            assert_int_equal(skp_add(q, &b, v), CXM_OK);
            assert_int_equal(dur_add(cb, v), CXM_OK);
        }
    }
    assert_true(carries[0] > 0 && carries[1] > 0);
    assert_int_equal(skp_used(p), 1); /* 200 fits a byte */
    for (int i = 0; i < 65535; i++) {
        assert_int_equal(skp_add(p, &a, 5.5), CXM_OK);
        assert_int_equal(dur_add(ca, 5.5), CXM_OK);
    }
    assert_int_equal(skp_add(q, &b, 5.5), CXM_OK);
    assert_int_equal(dur_add(cb, 5.5), CXM_OK);
    assert_int_equal(skp_used(p), 3); /* 0xFFFF: two levels */
    /* New pages: the first octave's second level, the other's third. */
    assert_int_equal(skp_merge_needs(p, &a, q, &b), 2);
    assert_int_equal(skp_merge(p, &a, q, &b), CXM_OK);
    assert_int_equal(skp_used(p), 5);
    assert_int_equal(dur_merge(ca, cb), CXM_OK);
    assert_same(p, &a, ca);
    assert_int_equal(skp_slot(p, &a, dur_slot_of(5.5)), 65536);
    assert_int_equal(skp_slot(p, &a, first + 59u), 255);
    free(ca);
    free(cb);
    free(q);
    free(p);
}

/* Pages returned by one sketch are taken by another; a reset pool starts afresh. */
static void pages_are_reused(void **state)
{
    (void)state;
    skp_pool *p = pool_new(3);
    skp_sketch a, b;
    skp_clear(&a);
    skp_clear(&b);
    assert_int_equal(skp_add(p, &a, 1.0), CXM_OK);
    assert_int_equal(skp_add(p, &a, 100.0), CXM_OK);
    assert_int_equal(skp_add(p, &a, 10000.0), CXM_OK);
    assert_int_equal(skp_add(p, &b, 1.0), CXM_CAPACITY);
    assert_int_equal(skp_remove(p, &a, 100.0), CXM_OK);
    assert_int_equal(skp_used(p), 2);
    assert_int_equal(skp_add(p, &b, 1.0), CXM_OK);
    assert_int_equal(skp_used(p), 3);
    assert_int_equal(skp_slot(p, &a, dur_slot_of(1.0)), 1);
    assert_int_equal(skp_slot(p, &b, dur_slot_of(1.0)), 1);
    skp_reset(p);
    skp_clear(&a);
    skp_clear(&b);
    assert_int_equal(skp_free(p), 3);
    free(p);
}

/* Random adds and removals against a duration_core rebuilt from the values kept. */
static void random_sequences_match_recomputation(void **state)
{
    (void)state;
    enum { N = 4000 };
    static double live[N];
    size_t n = 0;
    skp_pool *p = pool_new(4096);
    skp_sketch s;
    skp_clear(&s);
    duration_core *c = core_new();
    for (int step = 0; step < 60000; step++) {
        if (n > 0 && (n == N || rnd() % 3 == 0)) {
            size_t i = rnd() % n;
            assert_int_equal(skp_remove(p, &s, live[i]), CXM_OK);
            live[i] = live[--n];
        } else {
            double v = rnd() % 8 == 0 ? (double)(rnd() % 4) : lognormal(1800.0, 2.5);
            assert_int_equal(skp_add(p, &s, v), CXM_OK);
            live[n++] = v;
        }
        if (step % 5000 == 4999) {
            memset(c, 0, sizeof *c);
            for (size_t i = 0; i < n; i++)
                assert_int_equal(dur_add(c, live[i]), CXM_OK);
            duration_core *got = malloc(sizeof *got);
            skp_to_core(p, &s, got);
            assert_int_equal(got->n, c->n);
            assert_memory_equal(got->slot, c->slot, sizeof c->slot);
            assert_memory_equal(got->sum, c->sum, sizeof c->sum);
            assert_memory_equal(got->sumsq, c->sumsq, sizeof c->sumsq);
            if (n) {
                assert_true(got->min <= c->min && got->max >= c->max);
                assert_true(dur_slot_of(got->min) == dur_slot_of(c->min) ||
                            got->min * (1.0 + 1.0 / 64) >= c->min);
            }
            assert_int_equal(skp_used(p), skp_pages_of(p, &s));
            free(got);
        }
    }
    free(c);
    free(p);
}

/* skp_batch_fits, its bound or its count, against adding the batch for real to a copy. */
static skp_sketch *pick_by_parity(void *ctx, size_t i)
{
    skp_sketch *two = ctx;
    return &two[i % 2];
}

static void batch_fits_iff_every_add_fits(void **state)
{
    (void)state;
    double v[600];
    for (int round = 0; round < 400; round++) {
        uint32_t pages = 1 + (uint32_t)(rnd() % 24);
        skp_pool *p = pool_new(pages), *q = pool_new(pages);
        skp_sketch two[2], copy[2];
        memset(two, 0, sizeof two);
        /* A state: some values in a few octaves, some counts past a byte. */
        double scale = ldexp(1.0, (int)(rnd() % 20));
        size_t pre = rnd() % 700;
        for (size_t i = 0; i < pre; i++)
            (void)skp_add(p, &two[i % 2], scale * (1.0 + (double)(rnd() % 3)));
        size_t n = rnd() % 600;
        for (size_t i = 0; i < n; i++)
            v[i] = rnd() % 7 == 0 ? 0.0 : lognormal(scale, rnd() % 2 ? 0.1 : 3.0);
        memcpy(q, p, skp_bytes(pages));
        memcpy(copy, two, sizeof two);
        bool fits = skp_batch_fits(p, v, n, pick_by_parity, two);
        /* Nothing changed. */
        assert_memory_equal(two, copy, sizeof two);
        assert_int_equal(skp_free(p), skp_free(q));
        bool all = true;
        for (size_t i = 0; i < n && all; i++)
            all = skp_add(q, &copy[i % 2], v[i]) == CXM_OK;
        assert_int_equal(fits, all);
        free(p);
        free(q);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(adds_equal_the_core),
        cmocka_unit_test(carries_grow_and_shrink),
        cmocka_unit_test(removal_is_exact),
        cmocka_unit_test(removal_of_a_stranger_is_refused),
        cmocka_unit_test(a_full_pool_refuses),
        cmocka_unit_test(merge_is_the_union),
        cmocka_unit_test(merge_carries_every_counter),
        cmocka_unit_test(pages_are_reused),
        cmocka_unit_test(random_sequences_match_recomputation),
        cmocka_unit_test(prepared_adds_equal_plain_adds),
        cmocka_unit_test(scratch_stays_above_the_pages_taken),
        cmocka_unit_test(batch_fits_iff_every_add_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
