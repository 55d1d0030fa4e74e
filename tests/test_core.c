/*
 * test_core.c — the shared machinery, white-box: status codes and their
 * messages, function twins of the constants, version, CRC-32C, the codec
 * envelope, sized structs, and the statistics helpers against published
 * values.
 */
#include <math.h>
#include <stdio.h>

#include "testutil.h"

#include "internal.h"

static void status_codes_are_pinned(void **state)
{
    (void)state;
    /* Values are ABI: a renumbering must fail here. */
    assert_int_equal(CXM_OK, 0);
    assert_int_equal(CXM_INVALID_ARGUMENT, 1);
    assert_int_equal(CXM_OUT_OF_RANGE, 2);
    assert_int_equal(CXM_OUT_OF_MEMORY, 3);
    assert_int_equal(CXM_KIND_MISMATCH, 4);
    assert_int_equal(CXM_EMPTY, 5);
    assert_int_equal(CXM_OVERFLOW, 6);
    assert_int_equal(CXM_BUFFER_TOO_SMALL, 7);
    assert_int_equal(CXM_BAD_FORMAT, 8);
    assert_int_equal(CXM_UNSUPPORTED_VERSION, 9);
    assert_int_equal(CXM_BRAND_MISMATCH, 10);
    assert_int_equal(CXM_CAPACITY, 11);
    assert_int_equal(CXM_BAD_ORDER, 12);
    assert_int_equal(CXM_BAD_STATE, 13);
    assert_int_equal(CXM_WRONG_TYPE, 14);
    assert_int_equal(cxm_status_count(), CXM_STATUS_COUNT);
    /* Every status has its own message; unknown ones say so. */
    for (uint32_t i = 0; i < CXM_STATUS_COUNT; i++) {
        const char *s = cxm_status_str((cxm_status)i);
        assert_non_null(s);
        assert_string_not_equal(s, "unknown status");
        for (uint32_t j = 0; j < i; j++)
            assert_string_not_equal(s, cxm_status_str((cxm_status)j));
    }
    assert_string_equal(cxm_status_str((cxm_status)CXM_STATUS_COUNT), "unknown status");
    assert_string_equal(cxm_status_str(CXM_OK), "ok");
}

static void constants_have_twins(void **state)
{
    (void)state;
    assert_int_equal(cxm_alignment(), CXM_ALIGNMENT);
    assert_true(cxm_default_level() == CXM_DEFAULT_LEVEL);
    assert_int_equal(cxm_nps_scale_max(), CXM_NPS_SCALE_MAX);
    assert_int_equal(cxm_scale_max_score(), CXM_SCALE_MAX_SCORE);
    assert_int_equal(cxm_maturity_attributes(), CXM_MATURITY_ATTRIBUTES);
    assert_int_equal(cxm_nps_panel_max_capacity(), CXM_NPS_PANEL_MAX_CAPACITY);
    assert_int_equal(cxm_rate_use_count(), CXM_RATE_USE_COUNT);
    assert_int_equal(cxm_day_seconds(), CXM_DAY_SECONDS);
    assert_int_equal(cxm_max_utc_offset(), CXM_MAX_UTC_OFFSET);
    assert_true(cxm_calendar_min_time() == CXM_CALENDAR_MIN_TIME);
    assert_true(cxm_calendar_max_time() == CXM_CALENDAR_MAX_TIME);
    assert_int_equal(cxm_calendar_max_capacity(), CXM_CALENDAR_MAX_CAPACITY);
    assert_int_equal(cxm_sla_metric_count(), CXM_SLA_METRIC_COUNT);
    assert_int_equal(cxm_sla_standard_levels(), CXM_SLA_STANDARD_LEVELS);
    assert_int_equal(cxm_sla_max_levels(), CXM_SLA_MAX_LEVELS);
    assert_true(cxm_sla_all_priorities() == CXM_SLA_ALL_PRIORITIES);
    assert_int_equal(cxm_version_number(), CXM_VERSION_NUMBER);
    assert_int_equal(cxm_noop(), 0);
    char buf[32];
    snprintf(buf, sizeof buf, "%d.%d.%d", CXM_VERSION_MAJOR, CXM_VERSION_MINOR, CXM_VERSION_PATCH);
    assert_string_equal(cxm_version_string(), buf);
}

static void crc32c_check_value(void **state)
{
    (void)state;
    /* The CRC-32C check value of "123456789" (RFC 3720 / iSCSI). */
    const uint8_t msg[] = "123456789";
    assert_int_equal(cxm_crc32c(0, msg, 9), 0xE3069283u);
    /* Slicing and the byte loop agree at every split. */
    for (size_t k = 0; k <= 9; k++)
        assert_int_equal(cxm_crc32c(cxm_crc32c(0, msg, k), msg + k, 9 - k), 0xE3069283u);
    /* 32 zero bytes (RFC 3720 B.4). */
    uint8_t zeros[32] = {0};
    assert_int_equal(cxm_crc32c(0, zeros, 32), 0x8A9136AAu);
}

static void envelope(void **state)
{
    (void)state;
    uint8_t buf[64];
    cxm_wr w;
    size_t len;
    cxm_wr_begin(&w, buf, sizeof buf, 77, 3);
    cxm_wr_u8(&w, 0xAB);
    cxm_wr_u16(&w, 0x1234);
    cxm_wr_u32(&w, 0xDEADBEEFu);
    cxm_wr_u64(&w, 0x0102030405060708u);
    cxm_wr_f64(&w, 1.5);
    TU_OK(cxm_wr_end(&w, &len));
    assert_int_equal(len, CXM_ENVELOPE_SIZE + 1 + 2 + 4 + 8 + 8);
    /* Little-endian on every platform. */
    const uint8_t head[] = {'C',  'X',  'M',  0,    3,    0, 77, 0, 23, 0, 0, 0, 0xAB, 0x34,
                            0x12, 0xEF, 0xBE, 0xAD, 0xDE, 8, 7,  6, 5,  4, 3, 2, 1};
    assert_memory_equal(buf, head, sizeof head);

    cxm_rd r;
    TU_OK(cxm_rd_begin(&r, buf, len, 77, 3));
    assert_int_equal(cxm_rd_u8(&r), 0xAB);
    assert_int_equal(cxm_rd_u16(&r), 0x1234);
    assert_int_equal(cxm_rd_u32(&r), 0xDEADBEEFu);
    assert_true(cxm_rd_u64(&r) == 0x0102030405060708u);
    assert_true(cxm_rd_f64(&r) == 1.5);
    TU_OK(cxm_rd_end(&r));
    /* Reading past the end is sticky. */
    assert_int_equal(cxm_rd_u8(&r), 0);
    TU_ST(cxm_rd_end(&r), CXM_BAD_FORMAT);

    TU_ST(cxm_rd_begin(&r, buf, len, 78, 3), CXM_WRONG_TYPE);
    TU_ST(cxm_rd_begin(&r, buf, len, 77, 2), CXM_UNSUPPORTED_VERSION);
    TU_ST(cxm_rd_begin(&r, buf, len - 1, 77, 3), CXM_BAD_FORMAT);
    uint32_t fam, ver;
    TU_OK(cxm_encoded_info(buf, len, &fam, &ver));
    assert_int_equal(fam, 77);
    assert_int_equal(ver, 3);
    buf[5] = 1; /* change the version: the CRC no longer matches */
    TU_ST(cxm_encoded_info(buf, len, &fam, &ver), CXM_BAD_FORMAT);
    TU_ST(cxm_encoded_info(NULL, len, &fam, &ver), CXM_INVALID_ARGUMENT);

    /* Too small a buffer: the size needed is still reported. */
    cxm_wr_begin(&w, buf, 10, 77, 1);
    cxm_wr_u64(&w, 1);
    TU_ST(cxm_wr_end(&w, &len), CXM_BUFFER_TOO_SMALL);
    assert_int_equal(len, CXM_ENVELOPE_SIZE + 8);

    /* NaN and infinity never enter through the codec. */
    cxm_wr_begin(&w, buf, sizeof buf, 77, 1);
    cxm_wr_f64(&w, NAN);
    TU_OK(cxm_wr_end(&w, &len));
    TU_OK(cxm_rd_begin(&r, buf, len, 77, 1));
    (void)cxm_rd_f64(&r);
    TU_ST(cxm_rd_end(&r), CXM_BAD_FORMAT);
}

typedef struct v1 {
    uint32_t size, reserved;
    double a;
} v1;
typedef struct v2 {
    uint32_t size, reserved;
    double a, b;
} v2;

/* A struct published twice: v1, then v2 with `b` appended. */
static const cxm_sizes v_sizes = {"v", sizeof(v2), 2, {sizeof(v1), sizeof(v2)}};

static void sized_structs(void **state)
{
    (void)state;
    /* An older caller (v1) gets only what it knows. */
    v2 lib = {sizeof(v2), 0, 1.0, 2.0};
    struct {
        v1 old;
        double after; /* the caller's next object: never written */
    } o1 = {{sizeof(v1), 0, 0.0}, 9.0};
    TU_OK(cxm_result_check(&o1.old, &v_sizes));
    cxm_result_copy(&o1.old, &lib, sizeof lib);
    assert_true(o1.old.a == 1.0 && o1.after == 9.0);
    assert_int_equal(o1.old.size, sizeof(v1));
    /* Sizes that are no published version: below v1, between, beyond v2, garbage. */
    const uint32_t refused[] = {0,
                                4,
                                8,
                                12,
                                sizeof(v1) - 1,
                                sizeof(v1) + 4,
                                sizeof(v2) - 4,
                                sizeof(v2) + 1,
                                sizeof(v2) + 8,
                                UINT32_MAX};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        v2 x = {refused[i], 0, 5.0, 5.0};
        TU_ST(cxm_result_check(&x, &v_sizes), CXM_INVALID_ARGUMENT);
        v1 local;
        TU_ST(cxm_options_read(&x, &v_sizes, &local, sizeof local), CXM_INVALID_ARGUMENT);
        TU_ST(cxm_record_read(&x, &v_sizes, &local, sizeof local), CXM_INVALID_ARGUMENT);
    }
    TU_ST(cxm_result_check(NULL, &v_sizes), CXM_INVALID_ARGUMENT);
    /* Even a size the check would refuse never makes the copy write past the current struct. */
    struct {
        v1 cur;
        double after;
    } big = {{UINT32_MAX, 0, 0.0}, 9.0};
    v1 lib1 = {sizeof(v1), 0, 3.0};
    cxm_result_copy(&big.cur, &lib1, sizeof lib1);
    assert_true(big.cur.a == 3.0 && big.after == 9.0);

    /* Options: an older caller's struct reads as zero beyond it; reserved must be zero. */
    v2 local;
    v1 opt = {sizeof(v1), 0, 7.0};
    TU_OK(cxm_options_read(&opt, &v_sizes, &local, sizeof local));
    assert_true(local.a == 7.0 && local.b == 0.0 && local.size == sizeof local);
    v1 bad = {sizeof(v1), 1, 0.0};
    TU_ST(cxm_options_read(&bad, &v_sizes, &local, sizeof local), CXM_INVALID_ARGUMENT);
    TU_OK(cxm_options_read(NULL, &v_sizes, &local, sizeof local));
    assert_true(local.a == 0.0);

    /* Arrays of records: one published size, the same for every element. */
    v2 recs[3] = {{sizeof(v2), 0, 1, 1}, {sizeof(v2), 0, 2, 2}, {sizeof(v2), 0, 3, 3}};
    size_t stride = 0, badi = 0;
    TU_OK(cxm_record_stride(recs, 3, &v_sizes, &stride, &badi));
    assert_int_equal(stride, sizeof(v2));
    recs[0].size = 12;
    TU_ST(cxm_record_stride(recs, 3, &v_sizes, &stride, &badi), CXM_INVALID_ARGUMENT);
    assert_int_equal(badi, 0);
    recs[0].size = sizeof(v2);
    recs[2].size = sizeof(v1);
    TU_ST(cxm_record_stride(recs, 3, &v_sizes, &stride, &badi), CXM_INVALID_ARGUMENT);
    assert_int_equal(badi, 2);
}

/* Every row of published sizes is well formed: what growing a struct must keep true. */
static void size_rows(void **state)
{
    (void)state;
    assert_true(cxm_sizes_all_count > 0);
    for (size_t i = 0; i < cxm_sizes_all_count; i++) {
        const cxm_sizes *t = cxm_sizes_all[i];
        assert_true(t->n >= 1 && t->n <= CXM_SIZES_MAX);
        assert_true(t->size[0] >= 8);
        for (uint32_t k = 0; k < t->n; k++) {
            assert_true(t->size[k] % 4 == 0);
            if (k > 0) assert_true(t->size[k] > t->size[k - 1]);
        }
        if (t->size[t->n - 1] != t->current)
            fail_msg("%s: last published size is not sizeof", t->name);
        assert_true(cxm_size_ok(t, t->current));
        assert_false(cxm_size_ok(t, t->current + 8));
    }
    /* The row is picked by the pointer's type. */
    const cxm_ticket *tk = NULL;
    assert_ptr_equal(CXM_SIZES(tk), &cxm_sizes_cxm_ticket);
    assert_int_equal(cxm_sizes_cxm_ticket.n, 3);
}

static void allocator_rules(void **state)
{
    (void)state;
    cxm_allocator a = tu_allocator;
    cxm_nps *n = NULL;
    a.reserved = 1;
    TU_ST(cxm_nps_new(CXM_NPS_RELATIONAL, 0, &a, &n), CXM_INVALID_ARGUMENT);
    a = tu_allocator;
    a.alloc = NULL;
    TU_ST(cxm_nps_new(CXM_NPS_RELATIONAL, 0, &a, &n), CXM_INVALID_ARGUMENT);
    a = tu_allocator;
    a.size = 8;
    TU_ST(cxm_nps_new(CXM_NPS_RELATIONAL, 0, &a, &n), CXM_INVALID_ARGUMENT);
    assert_null(n);
}

static void normal_quantiles(void **state)
{
    (void)state;
    double z;
    TU_OK(cxm_z_for_level(0.95, &z));
    TU_NEAR(z, 1.959963984540054, 1e-12);
    TU_OK(cxm_z_for_level(0.0, &z)); /* default */
    TU_NEAR(z, 1.959963984540054, 1e-12);
    TU_OK(cxm_z_for_level(0.90, &z));
    TU_NEAR(z, 1.644853626951472, 1e-12);
    TU_OK(cxm_z_for_level(0.99, &z));
    TU_NEAR(z, 2.575829303548901, 1e-12);
    TU_OK(cxm_z_for_level(0.999999, &z));
    TU_NEAR(z, 4.891638475692932, 1e-9);
    TU_ST(cxm_z_for_level(1.0, &z), CXM_OUT_OF_RANGE);
    TU_ST(cxm_z_for_level(-0.5, &z), CXM_OUT_OF_RANGE);
    TU_ST(cxm_z_for_level(NAN, &z), CXM_OUT_OF_RANGE);
    TU_ST(cxm_z_for_level(0.95, NULL), CXM_INVALID_ARGUMENT);
    TU_NEAR(cxm_two_sided_p(1.959963984540054), 0.05, 1e-12);
    TU_NEAR(cxm_two_sided_p(0.0), 1.0, 1e-15);
}

static void t_quantiles(void **state)
{
    (void)state;
    /* Published two-sided 95% critical values of Student's t. */
    TU_NEAR(cxm_t_quantile(0.975, 1), 12.706204736174698, 1e-9);
    TU_NEAR(cxm_t_quantile(0.975, 2), 4.302652729749462, 1e-10);
    TU_NEAR(cxm_t_quantile(0.975, 3), 3.182446305283708, 1e-10);
    TU_NEAR(cxm_t_quantile(0.975, 10), 2.228138851986274, 1e-10);
    TU_NEAR(cxm_t_quantile(0.975, 30), 2.042272456301238, 1e-10);
    TU_NEAR(cxm_t_quantile(0.995, 7), 3.499483297350493, 1e-10);
    TU_NEAR(cxm_t_quantile(0.975, 1999), 1.961151420170562, 1e-9);
    TU_NEAR(cxm_t_quantile(0.975, 5000), 1.960438551706508, 1e-9);
    TU_NEAR(cxm_t_quantile(0.025, 10), -2.228138851986274, 1e-10);
}

/*
 * The tails where the series of P(|T| <= t) cannot resolve 1 - 2q: the
 * closed forms of one and two degrees of freedom, t = 1 / tan(pi q) and
 * t = (1 - 2q) / sqrt(2 q (1 - q)), down to the tail 2^-54 of the largest
 * level below 1; far out at many degrees of freedom the quantile falls
 * smoothly as df grows (it once jumped between 8 and 20 from one df to the
 * next); real df between two whole ones lies between their quantiles; and
 * a tail of one half is t = 0.
 */
static void t_quantiles_far_out(void **state)
{
    (void)state;
    const double pi = 3.14159265358979323846;
    const double qs[] = {1e-7, 1e-10, 1e-13, 0x1p-54};
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
        double q = qs[i];
        double t1 = 1.0 / tan(pi * q), t2 = (1.0 - 2.0 * q) / sqrt(2.0 * q * (1.0 - q));
        TU_NEAR(cxm_t_tail_quantile(q, 1.0) / t1, 1.0, 1e-12);
        TU_NEAR(cxm_t_tail_quantile(q, 2.0) / t2, 1.0, 1e-12);
    }
    double prev = cxm_t_tail_quantile(1e-15, 1900.0);
    for (double df = 1901.0; df <= 2000.0; df++) {
        double t = cxm_t_tail_quantile(1e-15, df);
        assert_true(t < prev);
        assert_true(t > 8.0 && t < 8.3); /* the normal's 7.94 and a bit */
        prev = t;
    }
    const double levels[] = {0.9, 0.975, 1.0 - 1e-9};
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++) {
        double q = 1.0 - levels[i];
        for (double df = 1.0; df < 40.0; df += 1.0) {
            double a = cxm_t_tail_quantile(q, df), b = cxm_t_tail_quantile(q, df + 1.0);
            double mid = cxm_t_tail_quantile(q, df + 0.5);
            assert_true(mid < a && mid > b);
        }
    }
    assert_true(cxm_t_tail_quantile(0.5, 7.0) == 0.0);
    assert_true(cxm_t_tail_quantile(0.5, 7.5) == 0.0);
}

static void wilson(void **state)
{
    (void)state;
    cxm_interval ci;
    /* 8 of 10 at 95%: centre (0.8 + 1.9208/10)/(1.38415) ... = [0.4902, 0.9433]. */
    TU_OK(cxm_wilson_interval(8, 10, 0.95, &ci));
    TU_NEAR(ci.lower, 0.4901625, 1e-6);
    TU_NEAR(ci.upper, 0.9433178, 1e-6);
    assert_true(ci.level == 0.95);
    /* 0 of 10: the lower bound is exactly 0, the upper is z^2 / (n + z^2). */
    TU_OK(cxm_wilson_interval(0, 10, 0.0, &ci));
    assert_true(ci.lower == 0.0);
    TU_NEAR(ci.upper, 3.8414588 / 13.8414588, 1e-6);
    TU_ST(cxm_wilson_interval(0, 0, 0.95, &ci), CXM_EMPTY);
    TU_ST(cxm_wilson_interval(11, 10, 0.95, &ci), CXM_OUT_OF_RANGE);
    TU_ST(cxm_wilson_interval(1, 10, 2.0, &ci), CXM_OUT_OF_RANGE);
    TU_ST(cxm_wilson_interval(1, 10, 0.95, NULL), CXM_INVALID_ARGUMENT);
}

static void mean_interval(void **state)
{
    (void)state;
    cxm_interval ci;
    /* n = 10, mean 3, sd 1: 3 +- t(0.975, 9) / sqrt(10) = 2.262157 / 3.162278 = +- 0.715357. */
    cxm_mean_interval(10, 3.0, 1.0, 0.95, 1.0, 5.0, &ci);
    TU_NEAR(ci.lower, 3.0 - 0.7153569, 1e-6);
    TU_NEAR(ci.upper, 3.0 + 0.7153569, 1e-6);
    /* One answer says nothing about spread: the whole scale. */
    cxm_mean_interval(1, 3.0, 0.0, 0.95, 1.0, 5.0, &ci);
    assert_true(ci.lower == 1.0 && ci.upper == 5.0);
    /* Clipped to the scale. */
    cxm_mean_interval(3, 4.9, 2.0, 0.95, 1.0, 5.0, &ci);
    assert_true(ci.upper == 5.0);
    /*
     * The largest level below 1, 1 - 2^-53: its upper tail q = 2^-54 is exact,
     * but 0.5 + level / 2 rounds to 1 and loses it. With 3000 degrees of
     * freedom t(1 - 2^-54) = 8.3408079323 (the t density integrated
     * numerically, Simpson's rule, and solved by bisection), so the
     * half-width for n = 3001, sd = 1 is 8.3408079323 / sqrt(3001).
     */
    cxm_mean_interval(3001, 0.0, 1.0, nextafter(1.0, 0.0), -1e9, 1e9, &ci);
    TU_NEAR(ci.upper, 8.340807932330474 / sqrt(3001.0), 1e-7);
    TU_NEAR(ci.lower, -8.340807932330474 / sqrt(3001.0), 1e-7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_codes_are_pinned),
        cmocka_unit_test(constants_have_twins),
        cmocka_unit_test(crc32c_check_value),
        cmocka_unit_test(envelope),
        cmocka_unit_test(sized_structs),
        cmocka_unit_test(size_rows),
        cmocka_unit_test(allocator_rules),
        cmocka_unit_test(normal_quantiles),
        cmocka_unit_test(t_quantiles),
        cmocka_unit_test(t_quantiles_far_out),
        cmocka_unit_test(wilson),
        cmocka_unit_test(mean_interval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
