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
    /* Block by block: the same entries in the same order. */
    uint32_t at = 0;
    for (uint32_t b = 0; b < ix->nb; b++) {
        uint32_t k;
        const rollup_run *e = rix_block_at(ix, b, &k);
        for (uint32_t i = 0; i < k; i++, at++) {
            assert_true(at < n);
            assert_int_equal(rollup_run_cmp(&e[i], &model[at]), 0);
        }
    }
    assert_int_equal(at, n);
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

/*
 * A read of one group tests each index entry against the group's ids
 * (rollup_member_has) instead of listing the entry's groups: the two must
 * agree for every group of a roll-up with two crosses (one of them with
 * agents) and entries with and without a topic, channel or agent.
 */
static void member_tests_equal_the_group_lists(void **state)
{
    (void)state;
    cxm_rollup_options o = {
        .size = sizeof o, .channels = 3, .topics = 4, .priorities = 2, .agents = 5, .crosses = 2};
    o.cross[0] = (cxm_rollup_cross){CXM_ROLLUP_CHANNEL, CXM_ROLLUP_PRIORITY};
    o.cross[1] = (cxm_rollup_cross){CXM_ROLLUP_AGENT, CXM_ROLLUP_TOPIC};
    cxm_rollup *r = NULL;
    TU_ST(cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &r), CXM_OK);
    /* 1 + 3 + 4 + 2 + 5 groups and 3 x 2 + 5 x 4 cells */
    const uint32_t groups = 15u + 6u + 20u;
    assert_int_equal(r->ngroups, groups);
    uint32_t seen[64] = {0};
    for (int k = 0; k < 2000; k++) {
        rollup_run e;
        memset(&e, 0, sizeof e);
        e.channel = rnd() % 5 == 0 ? (uint16_t)ROLLUP_RUN_NONE : (uint16_t)(rnd() % 3);
        e.topic = rnd() % 5 == 0 ? (uint16_t)ROLLUP_RUN_NONE : (uint16_t)(rnd() % 4);
        e.priority = (uint8_t)(rnd() % 2);
        e.agent = rnd() % 5 == 0 ? CXM_ROLLUP_NONE : (uint32_t)(rnd() % 5);
        uint32_t g[ROLLUP_MAX_MEMBER], n = rollup_run_groups(r, &e, g);
        for (uint32_t gi = 0; gi < groups; gi++) {
            bool listed = false;
            for (uint32_t i = 0; i < n; i++)
                listed |= g[i] == gi;
            rollup_member m;
            rollup_member_of(r, gi, &m);
            assert_int_equal(rollup_member_has(&m, &e), listed);
            seen[gi] += listed;
        }
    }
    for (uint32_t gi = 0; gi < groups; gi++)
        assert_true(seen[gi] > 0); /* every group, every cell met some entry */
    cxm_rollup_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_changes_match_a_sorted_array),
        cmocka_unit_test(append_and_double),
        cmocka_unit_test(equal_entries_span_blocks),
        cmocka_unit_test(member_tests_equal_the_group_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
