/*
 * test_rate.c — the proportion accumulator: exact counts, the rate, the
 * Wilson interval against published values, named uses and definitions
 * that never merge, pre-aggregated counts, rejected input changing nothing,
 * overflow, placement and the exact bytes of the encoding.
 */
#include <math.h>
#include <stdio.h>

#include "testutil.h"

static cxm_rate *mk(uint32_t use, uint32_t definition)
{
    cxm_rate *r = NULL;
    TU_OK(cxm_rate_new(use, definition, &tu_allocator, &r));
    return r;
}

static cxm_rate_result result(const cxm_rate *r)
{
    cxm_rate_result out = {.size = sizeof out};
    TU_OK(cxm_rate_result_get(r, 0.95, &out));
    return out;
}

/* Seven first-contact resolutions out of ten resolved tickets. */
static const uint8_t TEN[10] = {1, 1, 0, 1, 1, 0, 1, 1, 0, 1};

static void hand_computed_seven_of_ten(void **state)
{
    (void)state;
    cxm_rate *r = mk(CXM_RATE_FCR, 0);
    TU_OK(cxm_rate_add_many(r, TEN, 10, NULL));
    cxm_rate_result o = result(r);
    assert_int_equal(o.successes, 7);
    assert_int_equal(o.trials, 10);
    assert_int_equal(o.failures, 3);
    assert_int_equal(o.use, CXM_RATE_FCR);
    TU_NEAR(o.rate, 0.7, 1e-15);
    /*
     * Wilson, z = 1.959964, z^2 = 3.841459: centre = (0.7 + 0.192073) / 1.384146
     * = 0.644493; half = 1.959964 sqrt(0.021 + 0.009604) / 1.384146 = 0.247715
     * -> [0.3968, 0.8922], the textbook value for 7 of 10.
     */
    TU_NEAR(o.ci.lower, 0.39677814746114537, 1e-9);
    TU_NEAR(o.ci.upper, 0.8922087325936989, 1e-9);
    assert_true(o.ci.level == 0.95);
    /* The same through single adds and through pre-aggregated counts. */
    cxm_rate *a = mk(CXM_RATE_FCR, 0), *b = mk(CXM_RATE_FCR, 0);
    for (int i = 0; i < 10; i++)
        TU_OK(cxm_rate_add(a, TEN[i]));
    TU_OK(cxm_rate_add_counts(b, 4, 6));
    TU_OK(cxm_rate_add_counts(b, 3, 4));
    cxm_rate_result oa = result(a), ob = result(b);
    assert_true(oa.rate == o.rate && ob.rate == o.rate && ob.ci.lower == o.ci.lower);
    /* Level 0 is the default 0.95; a 90% interval is narrower. */
    cxm_rate_result d = {.size = sizeof d};
    TU_OK(cxm_rate_result_get(r, 0.0, &d));
    assert_true(d.ci.lower == o.ci.lower && d.ci.level == 0.95);
    TU_OK(cxm_rate_result_get(r, 0.90, &d));
    assert_true(d.ci.lower > o.ci.lower && d.ci.upper < o.ci.upper && d.ci.level == 0.90);
    cxm_rate_free(r);
    cxm_rate_free(a);
    cxm_rate_free(b);
}

static void boundaries(void **state)
{
    (void)state;
    /* 0 of 5: rate 0, Wilson [0, z^2/(n + z^2)] = [0, 3.841459 / 8.841459] = [0, 0.434482]. */
    cxm_rate *r = mk(CXM_RATE_REOPEN, 0);
    TU_OK(cxm_rate_add_counts(r, 0, 5));
    cxm_rate_result o = result(r);
    assert_true(o.rate == 0.0 && o.ci.lower == 0.0);
    TU_NEAR(o.ci.upper, 0.43448246478317476, 1e-9);
    /* 5 of 5: the mirror image, [1 - 0.434482, 1]. */
    TU_OK(cxm_rate_reset(r));
    TU_OK(cxm_rate_add_counts(r, 5, 5));
    o = result(r);
    assert_true(o.rate == 1.0 && o.ci.upper == 1.0);
    TU_NEAR(o.ci.lower, 1.0 - 0.43448246478317476, 1e-9);
    /* Zero trials added with add_counts(0, 0) is allowed and changes nothing. */
    TU_OK(cxm_rate_add_counts(r, 0, 0));
    TU_OK(cxm_rate_add_many(r, NULL, 0, NULL));
    assert_int_equal(result(r).trials, 5);
    cxm_rate_free(r);
}

static void empty_has_no_rate(void **state)
{
    (void)state;
    cxm_rate *r = mk(CXM_RATE_DEFLECTION, 9);
    cxm_rate_result o = {.size = sizeof o, .rate = 42.0};
    TU_ST(cxm_rate_result_get(r, 0.95, &o), CXM_EMPTY);
    assert_int_equal(o.trials, 0);
    assert_int_equal(o.use, CXM_RATE_DEFLECTION);
    assert_int_equal(o.definition, 9);
    assert_true(o.rate == 0.0 && !isnan(o.ci.lower));
    cxm_rate_free(r);
}

static void deflection_is_self_service_over_all(void **state)
{
    (void)state;
    /* 30 issues resolved in the help centre, 90 by agents: 30 / (30 + 90) = 0.25. */
    cxm_rate *r = mk(CXM_RATE_DEFLECTION, 0);
    TU_OK(cxm_rate_add_counts(r, 30, 30 + 90));
    cxm_rate_result o = result(r);
    TU_NEAR(o.rate, 0.25, 1e-15);
    assert_string_equal(cxm_rate_use_str(o.use), "deflection");
    cxm_rate_free(r);
}

static void names_of_uses(void **state)
{
    (void)state;
    assert_string_equal(cxm_rate_use_str(CXM_RATE_GENERIC), "generic");
    assert_string_equal(cxm_rate_use_str(CXM_RATE_FCR), "fcr");
    assert_string_equal(cxm_rate_use_str(CXM_RATE_ONE_TOUCH), "one-touch");
    assert_string_equal(cxm_rate_use_str(CXM_RATE_REOPEN), "reopen");
    assert_string_equal(cxm_rate_use_str(CXM_RATE_UNRESOLVED), "unresolved");
    assert_string_equal(cxm_rate_use_str(CXM_RATE_SLA_ACHIEVEMENT), "sla-achievement");
    assert_string_equal(cxm_rate_use_str(0), "unknown");
    assert_string_equal(cxm_rate_use_str(CXM_RATE_USE_COUNT), "unknown");
    assert_int_equal(cxm_rate_use_count(), 8);
}

static void bad_input_changes_nothing(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("rate");
    cxm_rate *r = mk(CXM_RATE_FCR, 1);
    TU_OK(cxm_rate_add_many(r, TEN, 10, NULL));
    tu_snap s = tu_snapshot(f, r);

    TU_ST(cxm_rate_add(r, 2), CXM_OUT_OF_RANGE);
    TU_ST(cxm_rate_add(r, UINT32_MAX), CXM_OUT_OF_RANGE);
    TU_ST(cxm_rate_add(NULL, 1), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_rate_add_counts(r, 4, 3), CXM_OUT_OF_RANGE);
    TU_ST(cxm_rate_add_counts(r, 1, 0), CXM_OUT_OF_RANGE);
    TU_ST(cxm_rate_add_counts(NULL, 0, 1), CXM_INVALID_ARGUMENT);
    uint8_t batch[100];
    for (int i = 0; i < 100; i++)
        batch[i] = (uint8_t)(i % 2);
    batch[64] = 2;
    size_t bad = 0;
    TU_ST(cxm_rate_add_many(r, batch, 100, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 64);
    batch[64] = 0;
    batch[99] = 255;
    TU_ST(cxm_rate_add_many(r, batch, 100, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, 99);
    TU_ST(cxm_rate_add_many(r, NULL, 3, &bad), CXM_INVALID_ARGUMENT);
    tu_assert_same(f, r, s);

    /* Another use or another definition never merges. */
    cxm_rate *other_use = mk(CXM_RATE_ONE_TOUCH, 1), *other_def = mk(CXM_RATE_FCR, 2);
    TU_OK(cxm_rate_add(other_use, 1));
    TU_OK(cxm_rate_add(other_def, 1));
    TU_ST(cxm_rate_merge(r, other_use), CXM_KIND_MISMATCH);
    TU_ST(cxm_rate_merge(r, other_def), CXM_KIND_MISMATCH);
    TU_ST(cxm_rate_merge(r, NULL), CXM_INVALID_ARGUMENT);
    tu_assert_same(f, r, s);
    /* Result calls with a bad size or level change nothing. */
    cxm_rate_result o = {.size = 8};
    TU_ST(cxm_rate_result_get(r, 0.95, &o), CXM_INVALID_ARGUMENT);
    o.size = sizeof o;
    TU_ST(cxm_rate_result_get(r, 1.0, &o), CXM_OUT_OF_RANGE);
    TU_ST(cxm_rate_result_get(r, -0.5, &o), CXM_OUT_OF_RANGE);
    TU_ST(cxm_rate_result_get(r, NAN, &o), CXM_OUT_OF_RANGE);
    TU_ST(cxm_rate_result_get(r, 0.95, NULL), CXM_INVALID_ARGUMENT);
    tu_assert_same(f, r, s);
    tu_snap_free(s);
    cxm_rate_free(r);
    cxm_rate_free(other_use);
    cxm_rate_free(other_def);
}

static void creation_rules(void **state)
{
    (void)state;
    cxm_rate *r = NULL;
    TU_ST(cxm_rate_new(0, 0, NULL, &r), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_rate_new(CXM_RATE_USE_COUNT, 0, NULL, &r), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_rate_new(CXM_RATE_FCR, 0, NULL, NULL), CXM_INVALID_ARGUMENT);
    cxm_allocator broken = {sizeof broken, 0, NULL, NULL, NULL};
    TU_ST(cxm_rate_new(CXM_RATE_FCR, 0, &broken, &r), CXM_INVALID_ARGUMENT);
    assert_null(r);
    TU_OK(cxm_rate_new(CXM_RATE_SLA_ACHIEVEMENT, 77, &tu_allocator, &r));
    uint32_t use, def;
    TU_OK(cxm_rate_identity(r, &use, &def));
    assert_int_equal(use, CXM_RATE_SLA_ACHIEVEMENT);
    assert_int_equal(def, 77);
    TU_ST(cxm_rate_identity(r, NULL, &def), CXM_INVALID_ARGUMENT);
    cxm_rate_free(r);
    cxm_rate_free(NULL);
}

static void overflow_is_refused(void **state)
{
    (void)state;
    const cxm_family_ops *f = cxm_family_find("rate");
    cxm_rate *r = mk(CXM_RATE_GENERIC, 0);
    TU_OK(cxm_rate_add_counts(r, UINT64_MAX - 1, UINT64_MAX - 1));
    TU_OK(cxm_rate_add(r, 0)); /* exactly 2^64 - 1 trials */
    tu_snap s = tu_snapshot(f, r);
    TU_ST(cxm_rate_add(r, 1), CXM_OVERFLOW);
    TU_ST(cxm_rate_add_many(r, TEN, 1, NULL), CXM_OVERFLOW);
    TU_ST(cxm_rate_add_counts(r, 0, 1), CXM_OVERFLOW);
    TU_ST(cxm_rate_merge(r, r), CXM_OVERFLOW);
    tu_assert_same(f, r, s);
    cxm_rate_result o = result(r);
    assert_true(o.trials == UINT64_MAX && o.successes == UINT64_MAX - 1 && o.failures == 1);
    assert_true(o.rate <= 1.0 && o.ci.upper <= 1.0);
    tu_snap_free(s);
    /* Merging into itself doubles the counts. */
    cxm_rate *d = mk(CXM_RATE_GENERIC, 0);
    TU_OK(cxm_rate_add_counts(d, 3, 5));
    TU_OK(cxm_rate_merge(d, d));
    o = result(d);
    assert_true(o.successes == 6 && o.trials == 10);
    cxm_rate_free(d);
    cxm_rate_free(r);
}

static void placement(void **state)
{
    (void)state;
    _Alignas(16) unsigned char mem[256];
    cxm_rate *r = NULL;
    assert_true(cxm_rate_footprint() <= sizeof mem);
    TU_ST(cxm_rate_init_in(mem, 8, CXM_RATE_FCR, 0, &r), CXM_BUFFER_TOO_SMALL);
    TU_ST(cxm_rate_init_in(mem + 1, 200, CXM_RATE_FCR, 0, &r), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_rate_init_in(mem, sizeof mem, 0, 0, &r), CXM_INVALID_ARGUMENT);
    TU_OK(cxm_rate_init_in(mem, sizeof mem, CXM_RATE_FCR, 0, &r));
    TU_OK(cxm_rate_add_many(r, TEN, 10, NULL));
    TU_NEAR(result(r).rate, 0.7, 1e-15);
    cxm_rate *copy = NULL;
    TU_OK(cxm_rate_clone(r, &tu_allocator, &copy)); /* the copy is heap-owned */
    TU_NEAR(result(copy).rate, 0.7, 1e-15);
    cxm_rate_free(copy);
    cxm_rate_free(r); /* releases nothing */
}

/* The exact bytes of format version 1, from tests/vectors/rate_v1.hex. */
static void encoding_vector(void **state)
{
    (void)state;
    /* FCR (2) under definition 3, 7 of 10: envelope 12 + u32 u32 u64 u64 (24) + CRC 4. */
    cxm_rate *r = mk(CXM_RATE_FCR, 3);
    TU_OK(cxm_rate_add_many(r, TEN, 10, NULL));
    uint8_t buf[128];
    size_t len = 0;
    TU_ST(cxm_rate_encode(r, NULL, 0, &len), CXM_BUFFER_TOO_SMALL);
    assert_int_equal(len, 40);
    TU_OK(cxm_rate_encode(r, buf, sizeof buf, &len));

    uint8_t want[128];
    size_t wlen = tu_read_vector("rate_v1.hex", want, sizeof want);
    assert_int_equal(wlen, len);
    assert_memory_equal(buf, want, len);
    /* The fields sit where the layout says. */
    assert_int_equal(want[6], CXM_FAMILY_RATE);
    assert_int_equal(want[12], CXM_RATE_FCR);
    assert_int_equal(want[16], 3);
    assert_int_equal(want[20], 7);
    assert_int_equal(want[28], 10);
    cxm_rate *d = NULL;
    TU_OK(cxm_rate_decode(want, wlen, &tu_allocator, &d));
    cxm_rate_result a = result(r), b = result(d);
    assert_true(a.rate == b.rate && b.definition == 3 && b.use == CXM_RATE_FCR);
    cxm_rate_free(d);
    cxm_rate_free(r);
}

static void decode_rejects_inconsistent_fields(void **state)
{
    (void)state;
    cxm_rate *r = mk(CXM_RATE_FCR, 3);
    TU_OK(cxm_rate_add_many(r, TEN, 10, NULL));
    uint8_t buf[128];
    size_t len;
    cxm_rate *d = NULL;
    /* More successes than trials, behind a valid checksum. */
    TU_OK(cxm_rate_encode(r, buf, sizeof buf, &len));
    buf[20] = 11;
    tu_fix_crc(buf, len);
    TU_ST(cxm_rate_decode(buf, len, NULL, &d), CXM_BAD_FORMAT);
    /* An unknown use. */
    TU_OK(cxm_rate_encode(r, buf, sizeof buf, &len));
    buf[12] = CXM_RATE_USE_COUNT;
    tu_fix_crc(buf, len);
    TU_ST(cxm_rate_decode(buf, len, NULL, &d), CXM_BAD_FORMAT);
    buf[12] = 0;
    tu_fix_crc(buf, len);
    TU_ST(cxm_rate_decode(buf, len, NULL, &d), CXM_BAD_FORMAT);
    /* A later format version is not guessed at. */
    TU_OK(cxm_rate_encode(r, buf, sizeof buf, &len));
    buf[4] = 2;
    tu_fix_crc(buf, len);
    TU_ST(cxm_rate_decode(buf, len, NULL, &d), CXM_UNSUPPORTED_VERSION);
    TU_ST(cxm_rate_decode(NULL, len, NULL, &d), CXM_INVALID_ARGUMENT);
    assert_null(d);
    cxm_rate_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hand_computed_seven_of_ten),
        cmocka_unit_test(boundaries),
        cmocka_unit_test(empty_has_no_rate),
        cmocka_unit_test(deflection_is_self_service_over_all),
        cmocka_unit_test(names_of_uses),
        cmocka_unit_test(bad_input_changes_nothing),
        cmocka_unit_test(creation_rules),
        cmocka_unit_test(overflow_is_refused),
        cmocka_unit_test(placement),
        cmocka_unit_test(encoding_vector),
        cmocka_unit_test(decode_rejects_inconsistent_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
