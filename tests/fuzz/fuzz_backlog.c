/*
 * fuzz_backlog.c — the live backlog against its recomputation. The input
 * is a ticket history in time order: the clock moves, tickets are created,
 * solved, reopened, solved again (each change a replace of the ticket's
 * record), retracted, or arrive late with old instants; at any point the
 * harness may check that the live backlog equals a fresh one on the same
 * clock fed the current records in one batch (the same bytes, the same
 * figures), that two halves merged equal it too, and that it survives an
 * encode and decode. Byte 0 picks the width and the ring; then each op is
 * a byte and its operands. Every op must be accepted: the history is
 * valid by construction.
 */
#include <stdbool.h>

#include "fuzz.h"

#define T0 1793577600LL /* 2026-11-02 00:00 UTC, a Monday */
#define MAX_TICKETS 64
#define MAX_OPS 512

static const cxm_family_ops *row;

#define CHECK(cond, what) FZ_CHECK(cond, row, what)

typedef struct live {
    cxm_series_options o;
    int64_t unit; /* seconds of about one bucket */
    int64_t now;
    cxm_backlog *b;
    cxm_ticket t[MAX_TICKETS];
    size_t n;
} live;

static bool is_solved(const cxm_ticket *t)
{
    return t->first_solved != 0 && (t->reopens == 0 || t->last_solved != 0);
}

static cxm_backlog *fresh(const live *s)
{
    cxm_backlog *f = NULL;
    if (cxm_backlog_new(&s->o, NULL, &f) != CXM_OK) abort(); /* malloc failed: not a finding */
    CHECK(cxm_backlog_advance(f, s->now) == CXM_OK, "advance of a fresh backlog");
    return f;
}

static cxm_backlog_result *rows_of(const cxm_backlog *b, size_t *m)
{
    *m = 0;
    CHECK(cxm_backlog_list(b, NULL, 0, m) == CXM_BUFFER_TOO_SMALL, "list size");
    cxm_backlog_result *r = calloc(*m + 1, sizeof *r);
    if (!r) abort();
    r[0].size = r[1].size = sizeof *r;
    CHECK(cxm_backlog_before(b, &r[0]) == CXM_OK, "before");
    CHECK(cxm_backlog_list(b, r + 1, *m, m) == CXM_OK, "list");
    return r;
}

static void assert_equal(const cxm_backlog *a, const cxm_backlog *b, const char *what)
{
    size_t la, lb, ma, mb;
    uint8_t *ea = cxm_family_encoding(row, a, &la), *eb = cxm_family_encoding(row, b, &lb);
    if (!ea || !eb) abort();
    CHECK(la == lb && memcmp(ea, eb, la) == 0, what);
    cxm_backlog_result *ra = rows_of(a, &ma), *rb = rows_of(b, &mb);
    CHECK(ma == mb && memcmp(ra, rb, (ma + 1) * sizeof *ra) == 0, what);
    free(ea);
    free(eb);
    free(ra);
    free(rb);
}

/* The live backlog equals its recomputation, two merged halves and its own decoded bytes. */
static void check(const live *s, uint8_t split)
{
    cxm_backlog *f = fresh(s), *a = fresh(s), *b = fresh(s);
    CHECK(cxm_backlog_add_many(f, s->t, s->n, NULL, NULL) == CXM_OK, "recomputation refused");
    assert_equal(s->b, f, "live differs from the recomputation");
    for (size_t i = 0; i < s->n; i++)
        CHECK(cxm_backlog_add((split >> (i % 8)) & 1 ? a : b, &s->t[i], NULL) == CXM_OK,
              "a half refused a record");
    CHECK(cxm_backlog_merge(a, b) == CXM_OK, "merge refused");
    assert_equal(a, f, "two halves merged differ from the recomputation");
    size_t len;
    uint8_t *enc = cxm_family_encoding(row, s->b, &len);
    cxm_backlog *d = NULL;
    if (!enc) abort();
    CHECK(cxm_backlog_decode(enc, len, NULL, &d) == CXM_OK, "own encoding refused");
    assert_equal(d, s->b, "decode(encode(x)) differs");
    cxm_backlog_free(d);
    free(enc);
    cxm_backlog_free(f);
    cxm_backlog_free(a);
    cxm_backlog_free(b);
}

/* Replaces ticket i's record by `now`; every replace of a held record is accepted. */
static void replace(live *s, size_t i, const cxm_ticket *now)
{
    uint32_t bad = 0;
    CHECK(cxm_backlog_replace(s->b, &s->t[i], now, &bad) == CXM_OK, "replace refused");
    s->t[i] = *now;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    row = cxm_family_by_id(CXM_FAMILY_BACKLOG);
    if (!row || size < 1) return 0;
    fz_in in = {data, size};
    static const uint32_t widths[3] = {CXM_SERIES_HOUR, CXM_SERIES_DAY, CXM_SERIES_WEEK};
    static const int64_t units[3] = {3600, 86400, 7 * 86400};
    uint8_t shape = fz_byte(&in);
    live s;
    memset(&s, 0, sizeof s);
    s.o = (cxm_series_options){.size = sizeof s.o,
                               .width = widths[shape % 3],
                               .buckets = 1 + (uint32_t)(shape >> 2) % 12,
                               .utc_offset = (shape & 0x80) ? 3600 : 0,
                               .start = T0};
    s.unit = units[shape % 3];
    s.now = T0;
    if (cxm_backlog_new(&s.o, NULL, &s.b) != CXM_OK) abort();
    for (int ops = 0; ops < MAX_OPS && in.left > 0; ops++) {
        uint8_t op = fz_byte(&in), arg = fz_byte(&in);
        size_t i = s.n ? arg % s.n : 0;
        switch (op % 8) {
        case 0: /* time passes: up to about four buckets */
            s.now += 1 + (int64_t)arg * s.unit / 64;
            CHECK(cxm_backlog_advance(s.b, s.now) == CXM_OK, "advance refused");
            break;
        case 1:
        case 2: { /* a ticket is created now, or arrives late with an old creation */
            if (s.n == MAX_TICKETS) break;
            cxm_ticket t = {.size = sizeof t, .created = s.now};
            if (op % 8 == 2) t.created -= (int64_t)arg * s.unit / 16;
            CHECK(cxm_backlog_add(s.b, &t, NULL) == CXM_OK, "add refused");
            s.t[s.n++] = t;
            break;
        }
        case 3: { /* solved now (first solve or again after a reopen) */
            if (!s.n || is_solved(&s.t[i])) break;
            cxm_ticket t = s.t[i];
            if (t.first_solved == 0)
                t.first_solved = s.now;
            else
                t.last_solved = s.now;
            replace(&s, i, &t);
            break;
        }
        case 4: { /* reopened */
            if (!s.n || !is_solved(&s.t[i])) break;
            cxm_ticket t = s.t[i];
            t.reopens++;
            t.last_solved = 0;
            replace(&s, i, &t);
            break;
        }
        case 5: /* deleted: the record is retracted */
            if (!s.n) break;
            CHECK(cxm_backlog_retract(s.b, &s.t[i], NULL) == CXM_OK, "retract refused");
            s.t[i] = s.t[--s.n];
            break;
        case 6: { /* a record the backlog does not hold: refused, or accepted and given back */
            cxm_ticket ghost = {.size = sizeof ghost, .created = s.now - (int64_t)arg * 60};
            size_t l0;
            uint8_t *before = cxm_family_encoding(row, s.b, &l0);
            if (!before) abort();
            cxm_status st = cxm_backlog_retract(s.b, &ghost, NULL);
            if (st == CXM_OK) {
                CHECK(cxm_backlog_add(s.b, &ghost, NULL) == CXM_OK, "ghost not given back");
            } else {
                CHECK(st == CXM_BAD_STATE, "ghost retract: unexpected status");
            }
            size_t l1;
            uint8_t *after = cxm_family_encoding(row, s.b, &l1);
            if (!after) abort();
            CHECK(l0 == l1 && memcmp(before, after, l0) == 0, "retract then add changed");
            free(before);
            free(after);
            break;
        }
        default: check(&s, arg); break;
        }
    }
    check(&s, 0x5a);
    cxm_backlog_free(s.b);
    return 0;
}
