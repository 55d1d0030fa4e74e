/*
 * test_maturity.c — the seven-attribute maturity scale: every score, the
 * level boundaries 3/4 and 5/6, answers other than 0/1 refused, sized structs.
 */
#include "testutil.h"

static cxm_maturity_answers answers_with(uint32_t yes_mask)
{
    cxm_maturity_answers a = {sizeof a, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    uint32_t *v[7] = {&a.enough_agents,      &a.well_trained,  &a.tools_satisfied,
                      &a.kpis_comprehensive, &a.kpis_realtime, &a.feedback_acted_on,
                      &a.feedback_quickly};
    for (int i = 0; i < 7; i++)
        *v[i] = (yes_mask >> i) & 1u;
    return a;
}

static void every_combination(void **state)
{
    (void)state;
    /* All 128 answer sets: score = popcount, level by 0-3 / 4-5 / 6-7. */
    for (uint32_t mask = 0; mask < 128; mask++) {
        cxm_maturity_answers a = answers_with(mask);
        cxm_maturity_result r = {.size = sizeof r};
        TU_OK(cxm_maturity_score(&a, &r));
        uint32_t pop = 0;
        for (uint32_t m = mask; m; m >>= 1)
            pop += m & 1u;
        assert_int_equal(r.score, pop);
        uint32_t want = pop <= 3 ? CXM_MATURITY_BEGINNER
                                 : (pop <= 5 ? CXM_MATURITY_EMERGING : CXM_MATURITY_EXPERT);
        assert_int_equal(r.level, want);
    }
}

static void boundaries(void **state)
{
    (void)state;
    /* The study's cut-offs: 3 beginner, 4 emerging, 5 emerging, 6 expert. */
    const uint32_t score[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    const uint32_t level[8] = {1, 1, 1, 1, 2, 2, 3, 3};
    for (int i = 0; i < 8; i++) {
        uint32_t l = 0;
        TU_OK(cxm_maturity_level_of(score[i], &l));
        assert_int_equal(l, level[i]);
    }
    uint32_t l = 99;
    TU_ST(cxm_maturity_level_of(8, &l), CXM_OUT_OF_RANGE);
    assert_int_equal(l, 99);
    TU_ST(cxm_maturity_level_of(3, NULL), CXM_INVALID_ARGUMENT);
    assert_string_equal(cxm_maturity_level_str(CXM_MATURITY_BEGINNER), "beginner");
    assert_string_equal(cxm_maturity_level_str(CXM_MATURITY_EMERGING), "emerging");
    assert_string_equal(cxm_maturity_level_str(CXM_MATURITY_EXPERT), "expert");
    assert_string_equal(cxm_maturity_level_str(0), "unknown");
    assert_int_equal(cxm_maturity_attributes(), 7);
}

static void bad_answers(void **state)
{
    (void)state;
    cxm_maturity_result r = {.size = sizeof r, .score = 42, .level = 42};
    cxm_maturity_answers a = answers_with(0x7F);
    a.kpis_realtime = 2; /* "yes" must be 1 */
    TU_ST(cxm_maturity_score(&a, &r), CXM_OUT_OF_RANGE);
    a = answers_with(0);
    a.feedback_quickly = UINT32_MAX;
    TU_ST(cxm_maturity_score(&a, &r), CXM_OUT_OF_RANGE);
    assert_int_equal(r.score, 42); /* untouched */
    a = answers_with(1);
    a.reserved = 1;
    TU_ST(cxm_maturity_score(&a, &r), CXM_INVALID_ARGUMENT);
    a = answers_with(1);
    a.reserved2 = 1;
    TU_ST(cxm_maturity_score(&a, &r), CXM_INVALID_ARGUMENT);
    a = answers_with(1);
    a.size = 12;
    TU_ST(cxm_maturity_score(&a, &r), CXM_INVALID_ARGUMENT);
    a = answers_with(1);
    TU_ST(cxm_maturity_score(NULL, &r), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_maturity_score(&a, NULL), CXM_INVALID_ARGUMENT);
    r.size = 8;
    TU_ST(cxm_maturity_score(&a, &r), CXM_INVALID_ARGUMENT);
    assert_int_equal(r.score, 42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_combination),
        cmocka_unit_test(boundaries),
        cmocka_unit_test(bad_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
