/*
 * test_forged.c — states no sequence of adds can reach, forged with a valid
 * checksum, are refused by decode. Each case builds a real state through
 * the public API, encodes it, checks that the untouched bytes decode, edits
 * fields (found at their documented offsets or by their unique values),
 * recomputes the CRC-32C and expects CXM_BAD_FORMAT.
 *
 * The forged blobs are also committed, as tests/vectors/refused/<case>.hex,
 * and every file there must stay refused by the decoder its envelope names
 * (committed_forgeries_stay_refused). To rewrite them after adding a case:
 *
 *     CXM_FORGED_OUT=tests/vectors/refused build/tests/test_forged
 */
#include <dirent.h>
#include <math.h>

#include "decode_any.h"
#include "testutil.h"

#define H 3600
#define C0 1700000000LL /* 2023-11-14 22:13:20 UTC */
#define HDR 12u         /* envelope header: the payload starts here */
#define FORGED_MAX (1u << 20)

/* Decodes with the decoder of the family the envelope names; frees what it made. */
static cxm_status decode_any(const uint8_t *buf, size_t len)
{
    int made = 0;
    cxm_status st = cxm_decode_any(buf, len, &tu_allocator, &made);
    if (st == CXM_WRONG_TYPE) fail_msg("the family of the encoding has no decoder here");
    assert_false(made);
    return st;
}

/* ---- forging ------------------------------------------------------------------ */

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static uint64_t f64_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

static void put_f64(uint8_t *p, double d)
{
    put_u64(p, f64_bits(d));
}

/* Offset of the nth (0-based) occurrence of the 8 little-endian bytes of v after `from`. */
static size_t find_u64(const uint8_t *buf, size_t len, size_t from, uint64_t v, int nth)
{
    uint8_t pat[8];
    put_u64(pat, v);
    for (size_t i = from; i + 8 <= len; i++)
        if (memcmp(buf + i, pat, 8) == 0 && nth-- == 0) return i;
    fail_msg("value %llu not found in the encoding", (unsigned long long)v);
    return 0;
}

/* An encoding in a test_malloc'd buffer. */
typedef struct blob {
    uint8_t *b;
    size_t len;
} blob;

static blob encode_with(const cxm_family_ops *f, const void *acc)
{
    tu_snap s = tu_snapshot(f, acc);
    return (blob){s.bytes, s.len};
}

/* The untouched bytes must decode: a forged case starts from a reachable state. */
static void assert_decodes(blob x)
{
    TU_OK(decode_any(x.b, x.len));
}

/* The encoding of acc, an object of the table's `family`, which is then freed; checked to decode.
 */
static blob take_blob(const char *family, void *acc)
{
    const cxm_family_ops *f = cxm_family_find(family);
    assert_non_null(f);
    blob x = encode_with(f, acc);
    f->destroy(acc);
    assert_decodes(x);
    return x;
}

static void write_hex(const char *dir, const char *name, blob x)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.hex", dir, name);
    if (cxm_vector_write(path, x.b, x.len) != 0) fail_msg("cannot write %s", path);
}

/* Fixes the CRC of the edited blob, expects refusal, saves it when asked, frees it. */
static void assert_refused(const char *name, blob x)
{
    tu_fix_crc(x.b, x.len);
    cxm_status st = decode_any(x.b, x.len);
    if (st != CXM_BAD_FORMAT)
        fail_msg("%s: forged state decoded with status %s", name, cxm_status_str(st));
    const char *dir = getenv("CXM_FORGED_OUT");
    if (dir) write_hex(dir, name, x);
    test_free(x.b);
}

/* ---- SLA lateness ------------------------------------------------------------- */

/* Offset of cell (priority, metric) of an SLA encoding, and of metric m's sketch. */
static size_t sla_cell_at(uint32_t priority, uint32_t metric)
{
    return HDR + 4 + ((size_t)priority * CXM_SLA_METRIC_COUNT + metric) * 48;
}
static size_t sla_sketch_at(uint32_t levels, uint32_t metric)
{
    /* Sketches are variable-length: only the first one's offset is fixed. */
    assert_int_equal(metric, 0);
    return HDR + 4 + (size_t)levels * CXM_SLA_METRIC_COUNT * 48;
}
#define CELL_LATE_SUM 32

/* The encoding of an SLA accumulator with these first-reply breaches (checked to decode). */
static blob sla_blob(uint32_t levels, const uint32_t *prio, const int64_t *late, size_t n)
{
    cxm_sla *s = NULL;
    TU_OK(cxm_sla_new(levels, &tu_allocator, &s));
    for (size_t i = 0; i < n; i++)
        TU_OK(cxm_sla_add(s, prio[i], CXM_SLA_FIRST_REPLY, CXM_SLA_BREACHED, late[i]));
    return take_blob("sla", s);
}

/* One breach 60 s late; the cell claims 10^6 s of lateness (mean 10^6 > max 60). */
static void sla_late_sum_above_breached_times_max(void **state)
{
    (void)state;
    const uint32_t p[1] = {0};
    const int64_t l[1] = {60};
    blob x = sla_blob(1, p, l, 1);
    size_t cell = sla_cell_at(0, CXM_SLA_FIRST_REPLY);
    assert_int_equal(get_u64(x.b + cell + CELL_LATE_SUM), 60);
    put_u64(x.b + cell + CELL_LATE_SUM, 1000000);
    assert_refused("sla_late_sum_above_max", x);
}

/* Breaches 60 and 100 s: a cell sum of 150 fits the cell, not the sketch's exact 160. */
static void sla_cell_sum_disagrees_with_sketch(void **state)
{
    (void)state;
    const uint32_t p[2] = {0, 0};
    const int64_t l[2] = {60, 100};
    blob x = sla_blob(1, p, l, 2);
    size_t cell = sla_cell_at(0, CXM_SLA_FIRST_REPLY);
    assert_int_equal(get_u64(x.b + cell + CELL_LATE_SUM), 160);
    put_u64(x.b + cell + CELL_LATE_SUM, 150);
    assert_refused("sla_cell_sum_not_sketch_sum", x);
}

/*
 * Priority 0: breaches 60 and 100 s (sum 160); priority 1: 70 and 200 s
 * (270). Moving 50 s from the first cell to the second keeps every cell
 * within its own bounds and the total, but the first cell's mean (55 s)
 * is below the smallest lateness the sketch holds (60 s).
 */
static void sla_cell_mean_below_sketch_min(void **state)
{
    (void)state;
    const uint32_t p[4] = {0, 0, 1, 1};
    const int64_t l[4] = {60, 100, 70, 200};
    blob x = sla_blob(2, p, l, 4);
    size_t c0 = sla_cell_at(0, CXM_SLA_FIRST_REPLY), c1 = sla_cell_at(1, CXM_SLA_FIRST_REPLY);
    put_u64(x.b + c0 + CELL_LATE_SUM, 110);
    put_u64(x.b + c1 + CELL_LATE_SUM, 320);
    assert_refused("sla_cell_mean_below_sketch_min", x);
}

/* ---- the roll-up ------------------------------------------------------------------ */

static cxm_ticket ticket(uint32_t priority, int64_t reply, int64_t solved)
{
    cxm_ticket t;
    memset(&t, 0, sizeof t);
    t.size = sizeof t;
    t.created = C0;
    t.first_reply = reply ? C0 + reply : 0;
    t.first_solved = solved ? C0 + solved : 0;
    t.priority = priority;
    t.channel = t.topic = t.agent = CXM_ROLLUP_NONE;
    return t;
}

static cxm_rollup *rollup_of(const cxm_rollup_options *o, const cxm_ticket *t, size_t n)
{
    cxm_rollup *r = NULL;
    TU_OK(cxm_rollup_new(CXM_FCR_ZENDESK, o, &tu_allocator, &r));
    size_t bad = 0;
    uint32_t field = 0;
    TU_OK(cxm_rollup_add_many(r, t, n, &bad, &field));
    return r;
}

/* The encoding of a roll-up of these tickets (checked to decode). */
static blob rollup_blob(const cxm_rollup_options *o, const cxm_ticket *t, size_t n)
{
    return take_blob("rollup", rollup_of(o, t, n));
}

/* A roll-up with `priorities` levels, first reply due in 60 s for priority 0 only. */
static blob rollup_sla_blob(uint32_t priorities, const cxm_ticket *t, size_t n)
{
    cxm_sla_policy *p = NULL;
    TU_OK(cxm_sla_policy_new(priorities, &tu_allocator, &p));
    TU_OK(cxm_sla_policy_set_target(p, 0, CXM_SLA_FIRST_REPLY, 60, CXM_SLA_CALENDAR_TIME));
    cxm_rollup_options o = {.size = sizeof o};
    o.priorities = priorities;
    o.sla_policy = p;
    o.sla_as_of = C0 + 86400;
    blob x = rollup_blob(&o, t, n); /* the roll-up keeps its own copy of the policy */
    cxm_sla_policy_free(p);
    return x;
}

/* The roll-up's cells go through the same check: one breach 940 s late claims 10^6 s. */
static void rollup_sla_late_sum_above_breached_times_max(void **state)
{
    (void)state;
    const cxm_ticket t[1] = {ticket(0, 1000, 0)};
    blob x = rollup_sla_blob(1, t, 1);
    /* The overall group's first-reply cell comes first: late_sum, then late_max. */
    size_t at = find_u64(x.b, x.len, HDR, 940, 0);
    assert_int_equal(get_u64(x.b + at + 8), 940);
    put_u64(x.b + at, 1000000);
    assert_refused("rollup_sla_late_sum_above_max", x);
}

/* A report instant beyond the calendar's range, which creation refuses, is refused on decode. */
static void rollup_report_instant_out_of_range(void **state)
{
    (void)state;
    const cxm_ticket t[1] = {ticket(0, 1000, 0)};
    blob x = rollup_sla_blob(1, t, 1);
    /* After profile, channels, topics, priorities, agents, times and has_sla (u32 each). */
    assert_int_equal(get_u64(x.b + HDR + 28), C0 + 86400);
    put_u64(x.b + HDR + 28, (uint64_t)INT64_MAX);
    assert_refused("rollup_report_instant_out_of_range", x);
}

/* ---- the roll-up's dimensions -------------------------------------------------------- */

/* Group counters in encoding order (cxm_rollup_encode), from tickets. */
enum { K_TICKETS, K_SOLVED, K_EVER_SOLVED, K_AGENT_REPLIES = 8, K_N = 10 };

/*
 * Priorities partition every ticket: two priorities that say "solved 1"
 * each while the overall group says 1 is a state no tickets make (each
 * priority alone is within the overall counts). Only the first reply time
 * is kept, so no sketch count is tied to solves.
 */
static void rollup_priorities_sum_to_overall(void **state)
{
    (void)state;
    cxm_ticket t[2] = {ticket(0, 60, 600), ticket(1, 0, 0)};
    t[0].agent_replies = 1;
    t[1].agent_replies = 777; /* finds priority 1's counters (overall: 778) */
    cxm_rollup_options o = {.size = sizeof o};
    o.priorities = 2;
    o.times = 1u << CXM_ROLLUP_FIRST_REPLY;
    blob x = rollup_blob(&o, t, 2);
    size_t k0 = find_u64(x.b, x.len, HDR, 777, 0) - 8 * K_AGENT_REPLIES;
    assert_int_equal(get_u64(x.b + k0 + 8 * K_TICKETS), 1);
    put_u64(x.b + k0 + 8 * K_SOLVED, 1);
    put_u64(x.b + k0 + 8 * K_EVER_SOLVED, 1);
    assert_refused("rollup_priority_solved_sum", x);
}

/* Channels may not cover every ticket, but their sums never pass the overall one. */
static void rollup_channels_sum_within_overall(void **state)
{
    (void)state;
    cxm_ticket t[3] = {ticket(0, 60, 600), ticket(0, 0, 0), ticket(0, 0, 0)};
    t[0].channel = 0;
    t[0].agent_replies = 777;
    t[1].agent_replies = 5; /* no channel */
    t[2].channel = 1;
    t[2].agent_replies = 333;
    cxm_rollup_options o = {.size = sizeof o};
    o.channels = 2;
    o.priorities = 1;
    o.times = 1u << CXM_ROLLUP_FIRST_REPLY;
    blob x = rollup_blob(&o, t, 3);
    /* Channel 1 claims 10 more replies: within the overall 1115 alone, not with channel 0. */
    size_t at = find_u64(x.b, x.len, HDR, 333, 0);
    put_u64(x.b + at, 343);
    assert_refused("rollup_channel_sum_above_overall", x);
}

/* Agents: each one's solved within its tickets, and all of them within the overall solved. */
static void rollup_agents_solved_within_overall(void **state)
{
    (void)state;
    cxm_ticket t[2] = {ticket(0, 60, 600), ticket(0, 0, 0)};
    t[0].agent = 0;
    t[1].agent = 1;
    cxm_rollup_options o = {.size = sizeof o};
    o.priorities = 1;
    o.agents = 2;
    o.times = 1u << CXM_ROLLUP_FIRST_REPLY;
    blob x = rollup_blob(&o, t, 2);
    /* The agents close the payload: (tickets, solved) each, then the CRC. */
    size_t solved1 = x.len - 4 - 8;
    assert_int_equal(get_u64(x.b + solved1), 0);
    put_u64(x.b + solved1, 1);
    assert_refused("rollup_agents_solved_above_overall", x);
}

/*
 * Priority 1 has no first-reply target: its cell holds no outcome. The
 * forged outcome is added to the overall cell too, so every sum still
 * adds up and only the missing target can refuse it.
 */
static void rollup_priority_without_target_has_no_outcome(void **state)
{
    (void)state;
    cxm_ticket t[2] = {ticket(0, 1000, 0), ticket(1, 0, 0)};
    t[0].agent_replies = 1;
    t[1].agent_replies = 777; /* overall: 778 */
    blob x = rollup_sla_blob(2, t, 2);
    /* The overall first-reply cell: achieved, breached, active, past_due, late_sum 940. */
    size_t all = find_u64(x.b, x.len, HDR, 940, 0) - 32;
    assert_int_equal(get_u64(x.b + all + 8), 1);
    put_u64(x.b + all, 1);
    /* Priority 1's cells follow its counters (K_N of them). */
    size_t cell = find_u64(x.b, x.len, HDR, 777, 0) - 8 * K_AGENT_REPLIES + 8 * K_N;
    assert_int_equal(get_u64(x.b + cell), 0);
    put_u64(x.b + cell, 1);
    assert_refused("rollup_priority_without_target_outcome", x);
}

/*
 * The priorities' sketches add up to the overall one. Priority 1's single
 * first reply (120 s) is rewritten as 120.25 s (same bucket) with matching moments: a
 * valid sketch alone, but the overall maximum 120 s is then nobody's.
 */
static void rollup_priority_sketches_sum_to_overall(void **state)
{
    (void)state;
    const cxm_ticket t[2] = {ticket(0, 60, 0), ticket(1, 120, 0)};
    cxm_rollup_options o = {.size = sizeof o};
    o.priorities = 2;
    o.times = 1u << CXM_ROLLUP_FIRST_REPLY;
    blob x = rollup_blob(&o, t, 2);
    /* 120.0: the overall max, then priority 1's min and max. */
    size_t at = find_u64(x.b, x.len, HDR, f64_bits(120.0), 1);
    assert_int_equal(get_u64(x.b + at + 8), f64_bits(120.0));
    assert_int_equal(get_u64(x.b + at - 8), 1); /* n */
    put_f64(x.b + at, 120.25);
    put_f64(x.b + at + 8, 120.25);
    /* min, max, under_max, over_min, then sum[2] and sumsq[3] in microseconds. */
    put_u64(x.b + at + 32, 120250000u);
    put_u64(x.b + at + 48, 120250000ull * 120250000ull);
    assert_refused("rollup_priority_sketch_sum", x);
}

/* ---- duration sketches: what one or two values fix ---------------------------------- */

/* The encoding of a duration accumulator of these values (checked to decode). */
static blob duration_blob(const double *v, size_t n)
{
    cxm_duration *d = NULL;
    const cxm_duration_options o = {sizeof o, 0, CXM_DURATION_ANY, 0, 0};
    TU_OK(cxm_duration_new(&o, &tu_allocator, &d));
    size_t bad = 0;
    TU_OK(cxm_duration_add_many(d, v, n, &bad));
    return take_blob("duration", d);
}

/* One value 1002 s: min 1001.9985 lies in its bucket and passes every moment bound. */
static void duration_single_value_min_differs_from_max(void **state)
{
    (void)state;
    const double v[1] = {1002.0};
    blob x = duration_blob(v, 1);
    size_t at = find_u64(x.b, x.len, HDR, f64_bits(1002.0), 0); /* min, then max */
    assert_int_equal(get_u64(x.b + at + 8), f64_bits(1002.0));
    put_f64(x.b + at, 1001.9985);
    assert_refused("duration_one_value_min_not_max", x);
}

/* Two values 1000 and 1002 s: a forged min of 1001 keeps the bounds, not the exact moments. */
static void duration_two_values_fix_the_moments(void **state)
{
    (void)state;
    const double v[2] = {1000.0, 1002.0};
    blob x = duration_blob(v, 2);
    size_t at = find_u64(x.b, x.len, HDR, f64_bits(1000.0), 0);
    put_f64(x.b + at, 1001.0);
    assert_refused("duration_two_values_moments", x);
}

/* Three values 1000, 1001, 1002 s: the middle one is fixed, so is the sum of squares. */
static void duration_three_values_fix_the_moments(void **state)
{
    (void)state;
    const double v[3] = {1000.0, 1001.0, 1002.0};
    blob x = duration_blob(v, 3);
    /* min, max, under_max, over_min, sum[2], then sumsq[3] in microseconds squared. */
    size_t sq = find_u64(x.b, x.len, HDR, f64_bits(1000.0), 0) + 48;
    assert_int_equal(get_u64(x.b + sq), 3006005000000000000ull);
    put_u64(x.b + sq, 3006005000000000001ull);
    assert_refused("duration_three_values_moments", x);
}

/*
 * 1000, 1001, 1001, 1001, 1002 s: the three between the extremes have
 * (u - a)(c - u) >= 0 each, so their squares sum to at most
 * (a + c) S - 3 a c = 3,006,006 s^2; 4 s^2 more keeps every bound over all
 * five values (n sum u^2 >= (sum u)^2, sum u^2 <= max sum u) but not that one.
 */
static void duration_values_between_the_extremes(void **state)
{
    (void)state;
    const double v[5] = {1000.0, 1001.0, 1001.0, 1001.0, 1002.0};
    blob x = duration_blob(v, 5);
    size_t sq = find_u64(x.b, x.len, HDR, f64_bits(1000.0), 0) + 48;
    assert_int_equal(get_u64(x.b + sq), 5010007000000000000ull);
    put_u64(x.b + sq, 5010011000000000000ull);
    assert_refused("duration_between_extremes_moments", x);
}

/* Every value in the underflow slot: its kept largest value is the maximum. */
static void duration_all_underflow_keeps_the_max(void **state)
{
    (void)state;
    const double v[2] = {0.0001, 0.0002};
    blob x = duration_blob(v, 2);
    size_t at = find_u64(x.b, x.len, HDR, f64_bits(0.0002), 1); /* max, then under_max */
    put_f64(x.b + at, 0.00015);
    assert_refused("duration_underflow_max_not_max", x);
}

/* Every value in the overflow slot: its kept smallest value is the minimum. */
static void duration_all_overflow_keeps_the_min(void **state)
{
    (void)state;
    const double v[2] = {0x1p30, 0x1p31};
    blob x = duration_blob(v, 2);
    size_t at = find_u64(x.b, x.len, HDR, f64_bits(0x1p30), 1); /* min, then over_min */
    put_f64(x.b + at, 0x1p30 + 1.0);
    assert_refused("duration_overflow_min_not_min", x);
}

/* The SLA lateness sketch is the same core: one breach, min below max in one bucket. */
static void sla_sketch_single_value_min_differs_from_max(void **state)
{
    (void)state;
    const uint32_t p[1] = {0};
    const int64_t l[1] = {1002};
    blob x = sla_blob(1, p, l, 1);
    size_t at = sla_sketch_at(1, 0) + 8;
    assert_int_equal(get_u64(x.b + at), f64_bits(1002.0));
    put_f64(x.b + at, 1001.0);
    assert_refused("sla_sketch_one_value_min_not_max", x);
}

/* ---- the committed copies ------------------------------------------------------- */

static void committed_forgeries_stay_refused(void **state)
{
    (void)state;
    const char *vectors = getenv("CXM_VECTORS");
    assert_non_null(vectors);
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/refused", vectors);
    DIR *d = opendir(dir);
    if (!d) fail_msg("%s: missing", dir);
    uint8_t *buf = test_malloc(FORGED_MAX);
    struct dirent *e;
    int count = 0;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".hex") != 0) continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = cxm_vector_read(path, buf, FORGED_MAX);
        assert_true(len != SIZE_MAX && len < FORGED_MAX);
        cxm_status st = decode_any(buf, len);
        if (st != CXM_BAD_FORMAT)
            fail_msg("%s: decodes with status %s, must be refused", e->d_name, cxm_status_str(st));
        count++;
    }
    closedir(d);
    test_free(buf);
    assert_true(count > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sla_late_sum_above_breached_times_max),
        cmocka_unit_test(sla_cell_sum_disagrees_with_sketch),
        cmocka_unit_test(sla_cell_mean_below_sketch_min),
        cmocka_unit_test(rollup_sla_late_sum_above_breached_times_max),
        cmocka_unit_test(rollup_report_instant_out_of_range),
        cmocka_unit_test(rollup_priorities_sum_to_overall),
        cmocka_unit_test(rollup_channels_sum_within_overall),
        cmocka_unit_test(rollup_agents_solved_within_overall),
        cmocka_unit_test(rollup_priority_without_target_has_no_outcome),
        cmocka_unit_test(rollup_priority_sketches_sum_to_overall),
        cmocka_unit_test(duration_single_value_min_differs_from_max),
        cmocka_unit_test(duration_two_values_fix_the_moments),
        cmocka_unit_test(duration_three_values_fix_the_moments),
        cmocka_unit_test(duration_values_between_the_extremes),
        cmocka_unit_test(duration_all_underflow_keeps_the_max),
        cmocka_unit_test(duration_all_overflow_keeps_the_min),
        cmocka_unit_test(sla_sketch_single_value_min_differs_from_max),
        cmocka_unit_test(committed_forgeries_stay_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
