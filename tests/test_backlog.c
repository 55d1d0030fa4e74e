/*
 * test_backlog.c — the backlog over time: a hand-computed week (created,
 * solved and open per day, with the arithmetic), replaced and retracted
 * records, the balance carried when days retire, refusals that change
 * nothing, and the two properties that make live figures trustworthy for
 * random ticket histories (create, solve, reopen, solve again): at any
 * instant the incremental backlog equals a fresh one fed the current
 * records, and merging parts equals one backlog of them all.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "forge.h"
#include "testutil.h"

/* 2026-11-02 (a Monday) 00:00:00 UTC. */
#define MON 1793577600LL
#define H 3600LL
#define D 86400LL

static cxm_backlog *daily(uint32_t buckets, int64_t start)
{
    cxm_series_options o = {
        .size = sizeof o, .width = CXM_SERIES_DAY, .buckets = buckets, .start = start};
    cxm_backlog *b = NULL;
    TU_OK(cxm_backlog_new(&o, &tu_allocator, &b));
    return b;
}

static cxm_ticket tk(int64_t created, int64_t first_solved, int64_t last_solved, uint32_t reopens)
{
    cxm_ticket t = {.size = sizeof t,
                    .created = created,
                    .first_solved = first_solved,
                    .last_solved = last_solved,
                    .reopens = reopens};
    return t;
}

static cxm_backlog_result at(const cxm_backlog *b, int64_t t)
{
    cxm_backlog_result r = {.size = sizeof r};
    TU_OK(cxm_backlog_get_at(b, t, &r));
    return r;
}

#define DAY_IS(b, t, c, s, o)                                                                      \
    do {                                                                                           \
        cxm_backlog_result r_ = at((b), (t));                                                      \
        assert_int_equal(r_.created, (c));                                                         \
        assert_int_equal(r_.solved, (s));                                                          \
        assert_int_equal(r_.open, (o));                                                            \
        assert_int_equal(r_.has_bucket, 1);                                                        \
    } while (0)

static void before_is(const cxm_backlog *b, uint64_t c, uint64_t s, uint64_t o)
{
    cxm_backlog_result r = {.size = sizeof r};
    TU_OK(cxm_backlog_before(b, &r));
    assert_int_equal(r.created, c);
    assert_int_equal(r.solved, s);
    assert_int_equal(r.open, o);
    assert_int_equal(r.has_bucket, 0);
    assert_int_equal(r.start, 0);
}

/*
 * Five days, Monday (M) to Friday (F), UTC:
 *   A created M 10:00, solved T 09:00
 *   B created M 12:00, open
 *   C created T 08:00, solved T 17:00
 *   E created W 10:00, solved W 11:00, reopened, solved again Th 15:00
 * per day  created  solved  open at the end = previous + created - solved
 *   M        2        0      0 + 2 - 0 = 2   (A, B)
 *   T        1        2      2 + 1 - 2 = 1   (B)
 *   W        1        0      1 + 1 - 0 = 2   (B, E: its solve that day was undone)
 *   Th       0        1      2 + 0 - 1 = 1   (B)
 *   F        0        0      1
 */
static void hand_computed_week(void **state)
{
    (void)state;
    cxm_backlog *b = daily(5, MON + 4 * D);
    cxm_ticket A = tk(MON + 10 * H, MON + D + 9 * H, 0, 0);
    cxm_ticket B = tk(MON + 12 * H, 0, 0, 0);
    cxm_ticket C = tk(MON + D + 8 * H, MON + D + 17 * H, MON + D + 17 * H, 0);
    cxm_ticket E = tk(MON + 2 * D + 10 * H, MON + 2 * D + 11 * H, MON + 3 * D + 15 * H, 1);
    uint32_t bad = 99;
    TU_OK(cxm_backlog_add(b, &A, &bad));
    assert_int_equal(bad, CXM_TICKET_FIELD_NONE);
    TU_OK(cxm_backlog_add(b, &B, NULL));
    TU_OK(cxm_backlog_add(b, &C, NULL));
    TU_OK(cxm_backlog_add(b, &E, NULL));
    DAY_IS(b, MON, 2, 0, 2);
    DAY_IS(b, MON + D, 1, 2, 1);
    DAY_IS(b, MON + 2 * D, 1, 0, 2);
    DAY_IS(b, MON + 3 * D, 0, 1, 1);
    DAY_IS(b, MON + 4 * D + 23 * H, 0, 0, 1);
    before_is(b, 0, 0, 0);

    /* E reopens Friday and stays open: Thursday loses its solve, E is open from Wednesday on. */
    cxm_ticket E2 = tk(E.created, E.first_solved, 0, 2);
    TU_OK(cxm_backlog_replace(b, &E, &E2, NULL));
    DAY_IS(b, MON + 3 * D, 0, 0, 2); /* 2 + 0 - 0 */
    DAY_IS(b, MON + 4 * D, 0, 0, 2);
    /* B is solved Friday 16:00: Friday 2 + 0 - 1 = 1. */
    cxm_ticket B2 = tk(B.created, MON + 4 * D + 16 * H, 0, 0);
    TU_OK(cxm_backlog_replace(b, &B, &B2, NULL));
    DAY_IS(b, MON + 4 * D, 0, 1, 1);

    /* Sunday: Monday and Tuesday retire into the balance; created 3 (A, B, C), solved 2 (A, C). */
    TU_OK(cxm_backlog_advance(b, MON + 6 * D + 5));
    before_is(b, 3, 2, 1);           /* B open at the end of Tuesday */
    DAY_IS(b, MON + 2 * D, 1, 0, 2); /* 1 + 1 - 0: B and E */
    DAY_IS(b, MON + 4 * D, 0, 1, 1); /* B solved: E */
    DAY_IS(b, MON + 6 * D, 0, 0, 1); /* E still open */
    TU_ST(cxm_backlog_get_at(b, MON + D, &(cxm_backlog_result){.size = sizeof(cxm_backlog_result)}),
          CXM_EXPIRED);

    /* Retracting B, created in a retired day: the balance gives it back. */
    TU_OK(cxm_backlog_retract(b, &B2, NULL));
    before_is(b, 2, 2, 0);
    DAY_IS(b, MON + 2 * D, 1, 0, 1);
    DAY_IS(b, MON + 4 * D, 0, 0, 1);
    /* A late record created Monday, open: counted before the horizon, open every day. */
    TU_OK(cxm_backlog_add(b, &B, NULL));
    before_is(b, 3, 2, 1);
    DAY_IS(b, MON + 6 * D, 0, 0, 2);

    /* Nothing was created Sunday: a record of that day cannot be retracted. */
    cxm_ticket ghost = tk(MON + 6 * D + 1, 0, 0, 0);
    TU_ST(cxm_backlog_retract(b, &ghost, NULL), CXM_BAD_STATE);
    /* Open on Wednesday..Sunday needs one open ticket each day: there are two (B, E). */
    cxm_backlog *c = NULL;
    TU_OK(cxm_backlog_clone(b, &tu_allocator, &c));
    TU_OK(cxm_backlog_retract(c, &E2, NULL));
    TU_OK(cxm_backlog_retract(c, &B, NULL));
    /* Now nothing is open: a second retraction of B is refused. */
    TU_ST(cxm_backlog_retract(c, &B, NULL), CXM_BAD_STATE);
    before_is(c, 2, 2, 0);
    cxm_backlog_free(c);
    cxm_backlog_free(b);
}

/* The chart list: oldest first, open carried through the days. */
static void list_for_charts(void **state)
{
    (void)state;
    cxm_backlog *b = daily(3, MON + 2 * D);
    cxm_ticket t1 = tk(MON - D, 0, 0, 0); /* before the horizon, open */
    cxm_ticket t2 = tk(MON + H, MON + D + H, 0, 0);
    TU_OK(cxm_backlog_add(b, &t1, NULL));
    TU_OK(cxm_backlog_add(b, &t2, NULL));
    size_t n = 0;
    TU_ST(cxm_backlog_list(b, NULL, 0, &n), CXM_BUFFER_TOO_SMALL);
    assert_int_equal(n, 3);
    cxm_backlog_result r[3];
    r[0].size = sizeof r[0];
    TU_OK(cxm_backlog_list(b, r, 3, &n));
    /* Monday 1 + 1 - 0 = 2; Tuesday 2 + 0 - 1 = 1; Wednesday 1. */
    assert_int_equal(r[0].start, MON);
    assert_int_equal(r[0].local_start, MON);
    assert_int_equal(r[0].end, MON + D);
    assert_int_equal(r[0].open, 2);
    assert_int_equal(r[1].solved, 1);
    assert_int_equal(r[1].open, 1);
    assert_int_equal(r[2].open, 1);
    assert_int_equal(r[2].size, sizeof r[2]);
    r[0].size = 12; /* not a published size */
    TU_ST(cxm_backlog_list(b, r, 3, &n), CXM_INVALID_ARGUMENT);
    cxm_backlog_free(b);
}

static size_t enc(const cxm_backlog *b, uint8_t *buf, size_t cap)
{
    size_t len = 0;
    TU_OK(cxm_backlog_encode(b, buf, cap, &len));
    return len;
}

static void assert_same(const cxm_backlog *a, const cxm_backlog *b)
{
    static uint8_t x[1 << 16], y[1 << 16];
    size_t lx = enc(a, x, sizeof x), ly = enc(b, y, sizeof y);
    assert_int_equal(lx, ly);
    assert_memory_equal(x, y, lx);
}

/* A refused call changes nothing, not even the clock. */
static void refusals_change_nothing(void **state)
{
    (void)state;
    cxm_backlog *b = daily(7, MON + 6 * D);
    cxm_ticket ok = tk(MON + H, MON + 2 * H, 0, 0);
    TU_OK(cxm_backlog_add(b, &ok, NULL));
    cxm_backlog *copy = NULL;
    TU_OK(cxm_backlog_clone(b, NULL, &copy));
    uint32_t bad = 0;
    cxm_ticket t = tk(0, 0, 0, 0);
    TU_ST(cxm_backlog_add(b, &t, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, CXM_TICKET_FIELD_CREATED);
    t = tk(MON + H, MON, 0, 0);
    TU_ST(cxm_backlog_add(b, &t, &bad), CXM_BAD_ORDER);
    assert_int_equal(bad, CXM_TICKET_FIELD_FIRST_SOLVED);
    t = tk(MON + H, 0, MON + 2 * H, 1);
    TU_ST(cxm_backlog_add(b, &t, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, CXM_TICKET_FIELD_LAST_SOLVED);
    t = tk(MON + H, MON + 2 * H, MON + 3 * H, 0);
    TU_ST(cxm_backlog_add(b, &t, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, CXM_TICKET_FIELD_REOPENS);
    /* max_ahead is half the ring (3 days): a solve 4 days after the newest day is refused. */
    t = tk(MON + H, MON + 10 * D, 0, 0);
    TU_ST(cxm_backlog_add(b, &t, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bad, CXM_TICKET_FIELD_FIRST_SOLVED);
    t.size = 12;
    TU_ST(cxm_backlog_add(b, &t, &bad), CXM_INVALID_ARGUMENT);
    assert_int_equal(bad, CXM_TICKET_FIELD_SIZE);
    /* A replace whose new record is refused keeps the old one. */
    cxm_ticket far = tk(MON + 20 * D, 0, 0, 0);
    TU_ST(cxm_backlog_replace(b, &ok, &far, &bad), CXM_OUT_OF_RANGE);
    cxm_ticket never = tk(MON + 3 * D, 0, 0, 0);
    TU_ST(cxm_backlog_replace(b, &never, &ok, &bad), CXM_BAD_STATE);
    /* A batch with one bad record adds none. */
    cxm_ticket batch[3] = {tk(MON + 5 * D, 0, 0, 0), tk(MON + 6 * D, 0, 0, 0), tk(0, 0, 0, 0)};
    size_t bi = 0;
    TU_ST(cxm_backlog_add_many(b, batch, 3, &bi, &bad), CXM_OUT_OF_RANGE);
    assert_int_equal(bi, 2);
    batch[1].size = 16;
    TU_ST(cxm_backlog_add_many(b, batch, 3, &bi, &bad), CXM_INVALID_ARGUMENT);
    assert_int_equal(bi, 1);
    assert_same(b, copy);
    TU_ST(cxm_backlog_add(NULL, &ok, NULL), CXM_INVALID_ARGUMENT);
    TU_ST(cxm_backlog_merge(b, b), CXM_INVALID_ARGUMENT);
    cxm_backlog *other = daily(8, MON);
    TU_ST(cxm_backlog_merge(b, other), CXM_KIND_MISMATCH);
    cxm_backlog_free(other);
    cxm_backlog_free(copy);
    cxm_backlog_free(b);
}

/* ---- random ticket histories ------------------------------------------------------- */

typedef struct live_ticket {
    cxm_ticket rec;
    int64_t next; /* instant of its next event, INT64_MAX: none */
} live_ticket;

#define TICKETS 3000

/* A fresh backlog with the same clock, fed the current records in one batch. */
static cxm_backlog *recompute(const live_ticket *t, size_t n, int64_t now, uint32_t buckets)
{
    cxm_backlog *f = daily(buckets, MON);
    TU_OK(cxm_backlog_advance(f, now));
    cxm_ticket *recs = malloc(n * sizeof *recs + 1);
    assert_non_null(recs);
    for (size_t i = 0; i < n; i++)
        recs[i] = t[i].rec;
    TU_OK(cxm_backlog_add_many(f, recs, n, NULL, NULL));
    free(recs);
    return f;
}

/*
 * Events in time order over 60 days on a 14-day ring: tickets are created,
 * solved, reopened and solved again, each change a replace of the ticket's
 * record. At random instants the live backlog must equal the recomputation
 * (byte for byte, so every bucket, the balance and the clock), and two
 * halves merged must equal the whole.
 */
static void incremental_equals_recomputation(void **state)
{
    (void)state;
    uint64_t rng = 0x6261636b6c6f67ULL;
    const uint32_t buckets = 14;
    live_ticket *t = calloc(TICKETS, sizeof *t);
    assert_non_null(t);
    cxm_backlog *live = daily(buckets, MON);
    size_t made = 0;
    int64_t now = MON;
    unsigned checks = 0;
    while (now < MON + 60 * D) {
        now += 1 + (int64_t)(tu_rand(&rng) % 1800);
        TU_OK(cxm_backlog_advance(live, now));
        /* A new ticket now and then. */
        if (made < TICKETS && tu_rand(&rng) % 2 == 0) {
            t[made].rec = tk(now, 0, 0, 0);
            t[made].next = now + 60 + (int64_t)(tu_rand(&rng) % (4 * D));
            TU_OK(cxm_backlog_add(live, &t[made].rec, NULL));
            made++;
        }
        /* Every ticket whose next event is due: solve an open one, reopen a solved one. */
        for (size_t i = 0; i < made; i++) {
            if (t[i].next > now) continue;
            cxm_ticket old = t[i].rec, *r = &t[i].rec;
            bool solved = r->first_solved != 0 && (r->reopens == 0 || r->last_solved != 0);
            if (!solved) {
                if (r->first_solved == 0)
                    r->first_solved = now;
                else
                    r->last_solved = now;
                if (r->reopens > 0) r->last_solved = now;
                t[i].next =
                    tu_rand(&rng) % 3 == 0 ? now + (int64_t)(tu_rand(&rng) % (3 * D)) : INT64_MAX;
            } else {
                if (r->reopens == 0) r->last_solved = 0;
                r->reopens++;
                r->last_solved = 0;
                t[i].next = now + 60 + (int64_t)(tu_rand(&rng) % (2 * D));
            }
            uint32_t bad = 0;
            TU_OK(cxm_backlog_replace(live, &old, r, &bad));
        }
        if (tu_rand(&rng) % 40 == 0) {
            cxm_backlog *fresh = recompute(t, made, now, buckets);
            assert_same(live, fresh);
            /* Merge == one big: the records split at random, each half on the same clock. */
            cxm_backlog *a = daily(buckets, MON), *b = daily(buckets, MON);
            TU_OK(cxm_backlog_advance(a, now - (int64_t)(tu_rand(&rng) % (3 * D))));
            TU_OK(cxm_backlog_advance(b, now));
            for (size_t i = 0; i < made; i++) {
                cxm_backlog *half = tu_rand(&rng) % 2 ? a : b;
                cxm_status st = cxm_backlog_add(half, &t[i].rec, NULL);
                /* a's clock is behind: a record past its max_ahead goes to b. */
                if (st == CXM_OUT_OF_RANGE) st = cxm_backlog_add(b, &t[i].rec, NULL);
                TU_OK(st);
            }
            TU_OK(cxm_backlog_merge(a, b));
            assert_same(a, fresh);
            /* And the encoding round trip keeps every figure. */
            uint8_t buf[4096];
            size_t len = enc(live, buf, sizeof buf);
            cxm_backlog *back = NULL;
            TU_OK(cxm_backlog_decode(buf, len, &tu_allocator, &back));
            assert_same(back, live);
            cxm_backlog_free(back);
            cxm_backlog_free(a);
            cxm_backlog_free(b);
            cxm_backlog_free(fresh);
            checks++;
        }
    }
    assert_true(checks > 50);
    assert_true(made > 1000);
    /* The figures are sums of what was counted: the last day's open equals the open records. */
    uint64_t open = 0;
    for (size_t i = 0; i < made; i++) {
        const cxm_ticket *r = &t[i].rec;
        open += !(r->first_solved != 0 && (r->reopens == 0 || r->last_solved != 0));
    }
    cxm_backlog_result last = {.size = sizeof last};
    TU_OK(cxm_backlog_get(live, 0, &last));
    assert_int_equal(last.open, open);
    cxm_backlog_free(live);
    free(t);
}

/* Placement, reset, footprint and forged bytes. */
static void placement_codec_and_forgeries(void **state)
{
    (void)state;
    cxm_series_options o = {.size = sizeof o, .width = CXM_SERIES_DAY, .buckets = 90, .start = MON};
    size_t need = cxm_backlog_footprint(&o);
    assert_true(need > 90 * 16 && need < 2048);
    static _Alignas(16) uint8_t mem[4096];
    cxm_backlog *b = NULL;
    TU_ST(cxm_backlog_init_in(mem, need - 1, &o, &b), CXM_BUFFER_TOO_SMALL);
    TU_OK(cxm_backlog_init_in(mem, need, &o, &b));
    cxm_ticket t = tk(MON + H, MON + D, 0, 0);
    TU_OK(cxm_backlog_add(b, &t, NULL));
    cxm_series_options back = {.size = sizeof back};
    TU_OK(cxm_backlog_config(b, &back));
    assert_int_equal(back.start, MON + D);
    assert_int_equal(back.buckets, 90);
    uint8_t buf[256];
    size_t len = enc(b, buf, sizeof buf);
    cxm_backlog *d = NULL;
    TU_OK(cxm_backlog_decode(buf, len, NULL, &d));
    assert_same(d, b);
    cxm_backlog_free(d);
    /* Forged: a solve with no creation before it (open below zero) is refused. */
    cxm_backlog *e = daily(3, MON);
    cxm_ticket x = tk(MON + H, 0, 0, 0);
    TU_OK(cxm_backlog_add(e, &x, NULL));
    uint8_t eb[256];
    size_t el = enc(e, eb, sizeof eb);
    /* The last three varints are age 0, created 1, solved 0: make it created 0, solved 1. */
    uint8_t forged[256];
    memcpy(forged, eb, el);
    forged[el - 4 - 2] = 0;
    forged[el - 4 - 1] = 1;
    tu_fix_envelope(forged, el);
    TU_ST(cxm_backlog_decode(forged, el, NULL, &d), CXM_BAD_FORMAT);
    forged[el - 4 - 2] = 1; /* back to a consistent state: decodes */
    forged[el - 4 - 1] = 1;
    tu_fix_envelope(forged, el);
    TU_OK(cxm_backlog_decode(forged, el, NULL, &d));
    cxm_backlog_free(d);
    cxm_backlog_free(e);
    TU_OK(cxm_backlog_reset(b));
    TU_OK(cxm_backlog_config(b, &back));
    assert_int_equal(back.start, MON);
    before_is(b, 0, 0, 0);
    cxm_backlog_free(b); /* placed: releases nothing */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hand_computed_week),
        cmocka_unit_test(list_for_charts),
        cmocka_unit_test(refusals_change_nothing),
        cmocka_unit_test(incremental_equals_recomputation),
        cmocka_unit_test(placement_codec_and_forgeries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
