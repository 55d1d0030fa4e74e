/*
 * test_rollup_index.c — the running-target index, white-box, against the
 * obvious model: a sorted array. After every change the index must read
 * back, in order, exactly the model's entries; two neighbouring blocks must
 * hold more than RIX_B entries together; and the blocks in use must stay
 * within the bound that lets every change the capacity allows succeed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

#include "rollup_index.h"

static uint64_t seed = 0x243F6A8885A308D3u;
static uint64_t rnd(void)
{
    seed ^= seed >> 12;
    seed ^= seed << 25;
    seed ^= seed >> 27;
    return seed * 0x2545F4914F6CDD1Du;
}

/* Few distinct dues and keys, so equal entries (a multiset) are common. */
static rollup_run random_run(void)
{
    rollup_run e;
    memset(&e, 0, sizeof e);
    e.due = 1700000000 + (int64_t)(rnd() % 5000) * 60;
    e.channel = (uint16_t)(rnd() % 3);
    e.topic = rnd() % 4 == 0 ? (uint16_t)ROLLUP_RUN_NONE : (uint16_t)(rnd() % 2);
    e.priority = (uint8_t)(rnd() % 4);
    e.metric = (uint8_t)(rnd() % 2);
    return e;
}

static int cmp(const void *a, const void *b)
{
    return rollup_run_cmp(a, b);
}

static rix *index_new(uint32_t cap)
{
    rix *ix = malloc(rix_bytes(cap));
    assert_non_null(ix);
    rix_init(ix, cap);
    return ix;
}

/* The index reads back the model, in order, and keeps its block invariants. */
static void assert_matches(const rix *ix, rollup_run *model, uint32_t n)
{
    qsort(model, n, sizeof *model, cmp);
    assert_int_equal(rix_count(ix), n);
    rix_cursor c = rix_start();
    for (uint32_t i = 0; i < n; i++) {
        const rollup_run *e = rix_next(ix, &c);
        assert_non_null(e);
        assert_int_equal(rollup_run_cmp(e, &model[i]), 0);
    }
    assert_null(rix_next(ix, &c));
    const uint32_t *dir = (const uint32_t *)(ix + 1), *cnt = dir + ix->blocks;
    for (uint32_t p = 0; p + 1u < ix->nb; p++)
        assert_true(cnt[dir[p]] + cnt[dir[p + 1u]] > RIX_B);
    assert_true(ix->nb <= 2u * n / (RIX_B + 1u) + 1u);
    assert_int_equal(ix->nb + ix->nfree, ix->blocks);
}

/* Random inserts and removals, the index filled to its capacity and emptied again. */
static void random_changes_match_a_sorted_array(void **state)
{
    (void)state;
    enum { CAP = 1200 };
    static rollup_run model[CAP];
    uint32_t n = 0;
    rix *ix = index_new(CAP);
    for (int step = 0; step < 24000; step++) {
        /* Phases: mostly inserts, then mostly removals, so both ends are reached. */
        bool grow = (step / 4000) % 2 == 0;
        bool insert = n == 0 || (n < CAP && rnd() % 10 < (grow ? 8u : 2u));
        if (insert) {
            rollup_run e = random_run();
            rix_insert(ix, &e);
            model[n++] = e;
        } else {
            uint32_t i = (uint32_t)(rnd() % n);
            assert_true(rix_contains(ix, &model[i]));
            rix_remove(ix, &model[i]);
            model[i] = model[--n];
        }
        if (step % 499 == 0 || n == CAP) assert_matches(ix, model, n);
    }
    /* An entry never inserted is not contained. */
    rollup_run stranger = random_run();
    stranger.due = 42;
    assert_false(rix_contains(ix, &stranger));
    free(ix);
}

/* Appending in order (decoding) and doubling (merging into itself). */
static void append_and_double(void **state)
{
    (void)state;
    enum { CAP = 1000 };
    static rollup_run model[CAP];
    for (uint32_t n = 0; n <= CAP / 2; n += 37) {
        rix *ix = index_new(CAP);
        for (uint32_t i = 0; i < n; i++)
            model[i] = random_run();
        qsort(model, n, sizeof *model, cmp);
        for (uint32_t i = 0; i < n; i++)
            rix_append(ix, &model[i]);
        assert_matches(ix, model, n);
        /* Remove a few so blocks are uneven, then double. */
        for (uint32_t k = 0; k < n / 3; k++) {
            uint32_t i = (uint32_t)(rnd() % (n - k));
            rix_remove(ix, &model[i]);
            model[i] = model[n - k - 1u];
        }
        uint32_t m = n - n / 3;
        rix_double(ix);
        for (uint32_t i = 0; i < m; i++)
            model[m + i] = model[i];
        assert_matches(ix, model, 2u * m);
        /* It keeps working afterwards. */
        rollup_run e = random_run();
        rix_insert(ix, &e);
        model[2u * m] = e;
        assert_matches(ix, model, 2u * m + 1u);
        rix_clear(ix);
        assert_matches(ix, model, 0);
        free(ix);
    }
}

/* Equal entries pile up past a block and come out one by one. */
static void equal_entries_span_blocks(void **state)
{
    (void)state;
    enum { CAP = 5 * RIX_B };
    static rollup_run model[CAP];
    rix *ix = index_new(CAP);
    rollup_run e = random_run();
    for (uint32_t i = 0; i < CAP; i++) {
        rix_insert(ix, &e);
        model[i] = e;
    }
    assert_matches(ix, model, CAP);
    for (uint32_t i = CAP; i-- > 0;) {
        assert_true(rix_contains(ix, &e));
        rix_remove(ix, &e);
        if (i % 50 == 0) assert_matches(ix, model, i);
    }
    assert_false(rix_contains(ix, &e));
    assert_int_equal(ix->nb, 0);
    free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_changes_match_a_sorted_array),
        cmocka_unit_test(append_and_double),
        cmocka_unit_test(equal_entries_span_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
