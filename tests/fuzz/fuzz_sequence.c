/*
 * fuzz_sequence.c — random sequences of add / add_many / merge / encode +
 * decode / reset / clone / remake over three objects of one family, with a
 * model of how many events each must hold.
 * Input: byte 0 picks the family, byte 1 the initial variants; then each op
 * is a byte (the verb) and its operands. After every op: counts add up to
 * the model, a refused call changed nothing, decode(encode(x)) == x when
 * asked, and no result is NaN. At most MAX_OPS ops run per input.
 *
 * Roll-up rows also drive a fourth, live object through its tickets' lives
 * (add, replace by the next state of a ticket, retract) and, when asked,
 * check incremental == recomputation: every figure of that object equals
 * the figure of a fresh roll-up fed the current records in one pass, read
 * at an instant (live_check.h), and a refused call changed nothing.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "live_check.h"

#define OBJS 3
#define MAX_OPS 256

typedef struct seq {
    const cxm_family_ops *f;
    void *obj[OBJS];
    uint32_t variant[OBJS];
    uint64_t model[OBJS]; /* events each object must hold */
} seq;

static void remake(seq *s, int i, uint32_t variant)
{
    s->f->destroy(s->obj[i]);
    s->obj[i] = NULL;
    s->variant[i] = variant % s->f->variants;
    s->model[i] = 0;
    if (s->f->make(NULL, s->variant[i], &s->obj[i]) != CXM_OK)
        abort(); /* malloc failed: not a finding */
}

/* Feeds a batch to object i; accepted or refused, the model follows. */
static void op_feed(seq *s, int i, fz_in *in, int one_by_one)
{
    const cxm_family_ops *f = s->f;
    uint8_t batch[64];
    size_t n = fz_byte(in) % sizeof batch;
    for (size_t k = 0; k < n; k++)
        batch[k] = fz_byte(in);
    size_t len, bad;
    uint8_t *before = fz_encoding(f, s->obj[i], &len);
    uint64_t e0 = f->events(s->obj[i]);
    cxm_status st =
        one_by_one ? f->feed_each(s->obj[i], batch, n) : f->feed(s->obj[i], batch, n, &bad);
    FZ_CHECK(st != CXM_OUT_OF_MEMORY, f, "an add allocated");
    if (st == CXM_OK || one_by_one) {
        /* Single adds stop at the first error, keeping what came before. */
        FZ_CHECK(f->events(s->obj[i]) >= e0, f, "events went down");
        s->model[i] = f->events(s->obj[i]);
    } else {
        FZ_CHECK(fz_same(f, s->obj[i], before, len), f, "rejected batch changed the object");
    }
    free(before);
}

static void op_add_one(seq *s, int i, uint64_t v)
{
    const cxm_family_ops *f = s->f;
    if (!f->add_one) return; /* a configuration row */
    size_t len;
    uint8_t *before = fz_encoding(f, s->obj[i], &len);
    cxm_status st = f->add_one(s->obj[i], v);
    if (st == CXM_OK) {
        FZ_CHECK(f->events(s->obj[i]) == s->model[i] + 1, f, "add_one did not count one event");
        s->model[i]++;
    } else {
        FZ_CHECK(st != CXM_OUT_OF_MEMORY && st != CXM_INVALID_ARGUMENT, f, cxm_status_str(st));
        FZ_CHECK(fz_same(f, s->obj[i], before, len), f, "refused add changed the object");
    }
    free(before);
}

/* merge(dst, src) with dst != src: adds up, or refuses and changes neither. */
static void op_merge(seq *s, void *dst, uint64_t *mdst, const void *src, uint64_t msrc)
{
    const cxm_family_ops *f = s->f;
    if (!f->merge) return; /* a configuration row */
    size_t ld, ls;
    uint8_t *bd = fz_encoding(f, dst, &ld), *bs = fz_encoding(f, src, &ls);
    cxm_status st = f->merge(dst, src);
    if (st == CXM_OK) {
        *mdst += msrc;
    } else {
        FZ_CHECK(st != CXM_OUT_OF_MEMORY && st != CXM_INVALID_ARGUMENT, f, cxm_status_str(st));
        FZ_CHECK(fz_same(f, dst, bd, ld), f, "refused merge changed dst");
    }
    FZ_CHECK(fz_same(f, src, bs, ls), f, "merge changed src");
    free(bd);
    free(bs);
}

/* ---- live tickets (roll-up rows) ------------------------------------------------ */

#define LIVE_MAX 24

typedef struct live {
    void *obj;
    uint32_t variant;
    int n;
    cxm_ticket rec[LIVE_MAX]; /* the current record of every ticket in obj */
} live;

/* A new ticket; ids within the family table's roll-up capacities (3 channels, 2 topics, 4
 * priorities, 4 agents), NONE now and then. */
static cxm_ticket live_ticket(fz_in *in)
{
    cxm_ticket t;
    memset(&t, 0, sizeof t);
    t.size = sizeof t;
    uint8_t a = fz_byte(in), b = fz_byte(in);
    t.created = 1700000000 + 3607 * (int64_t)a + b;
    t.channel = b % 4 == 3 ? CXM_ROLLUP_NONE : b % 4u;
    t.topic = (b >> 2) % 3 == 2 ? CXM_ROLLUP_NONE : (b >> 2) % 3u;
    t.priority = (b >> 4) % 4u;
    t.agent = a % 5 == 4 ? CXM_ROLLUP_NONE : a % 5u;
    return t;
}

/* The ticket's next state: a reply (maybe with a transfer), a customer reply, a solve, a
 * reopen (maybe closed unresolved) or a CSAT answer (maybe with an NPS answer). */
static cxm_ticket live_next(const cxm_ticket *t, fz_in *in)
{
    cxm_ticket x = *t;
    uint8_t k = fz_byte(in), d = fz_byte(in);
    int64_t at = x.created;
    const int64_t when[3] = {x.first_reply, x.first_solved, x.last_solved};
    for (int i = 0; i < 3; i++)
        at = when[i] > at ? when[i] : at;
    at += 1 + 613 * (int64_t)d;
    bool solved = x.first_solved != 0 && (x.reopens == 0 || x.last_solved != 0);
    switch (k % 5) {
    case 0:
        if (x.first_reply == 0) x.first_reply = at;
        x.agent_replies++;
        if (d & 16u) x.transfers++;
        break;
    case 1: x.customer_replies++; break;
    case 2:
        if (solved) break;
        if (x.first_solved == 0)
            x.first_solved = at;
        else
            x.last_solved = at;
        x.requester_wait = (double)(at - x.created) * 0.5;
        x.on_hold = (double)(d % 7) * 0.125;
        x.handle_time = (double)(d % 11) * 30.5;
        x.flags &= ~(uint32_t)CXM_TICKET_UNRESOLVED;
        if (k & 8u && x.agent_replies == 0 && x.transfers == 0) x.flags |= CXM_TICKET_SELF_SERVICE;
        break;
    case 3:
        if (!solved) break;
        x.reopens++;
        x.last_solved = 0;
        x.flags &= ~(uint32_t)CXM_TICKET_SELF_SERVICE;
        if (k & 16u) x.flags |= CXM_TICKET_UNRESOLVED; /* closed without a resolution */
        break;
    default:
        x.flags |= CXM_TICKET_HAS_CSAT;
        x.csat = 1 + d % 5;
        if (k & 32u) {
            x.flags |= CXM_TICKET_HAS_NPS;
            x.nps = d % 11;
        }
        break;
    }
    return x;
}

/* One live op; a refused add or replace must change nothing. */
static void live_op(const cxm_family_ops *f, live *l, uint8_t op, fz_in *in)
{
    size_t len;
    uint8_t *before = fz_encoding(f, l->obj, &len);
    int i = l->n ? fz_byte(in) % l->n : 0;
    cxm_status st = CXM_OK;
    if (op == 11 && l->n < LIVE_MAX) {
        cxm_ticket t = live_ticket(in);
        st = cxm_rollup_add(l->obj, &t, NULL);
        if (st == CXM_OK) l->rec[l->n++] = t;
    } else if (op == 12 && l->n > 0) {
        cxm_ticket t = live_next(&l->rec[i], in);
        st = cxm_rollup_replace(l->obj, &l->rec[i], &t, NULL);
        if (st == CXM_OK) l->rec[i] = t;
    } else if (op == 13 && l->n > 0) {
        FZ_CHECK(cxm_rollup_retract(l->obj, &l->rec[i], NULL) == CXM_OK, f,
                 "retracting a record added refused");
        l->rec[i] = l->rec[--l->n];
    } else if (op == 14) {
        /* Incremental == recomputation, read at an instant at or after the latest record. */
        void *fresh = NULL;
        if (f->make(NULL, l->variant, &fresh) != CXM_OK) abort();
        for (int k = 0; k < l->n; k++)
            FZ_CHECK(cxm_rollup_add(fresh, &l->rec[k], NULL) == CXM_OK, f,
                     "a record the live roll-up holds refused by a fresh one");
        int64_t latest = 0;
        (void)cxm_rollup_latest(l->obj, &latest);
        int64_t at = latest ? latest + 977 * (int64_t)fz_byte(in) : 0;
        const char *why = cxm_live_same_figures(l->obj, fresh, at);
        if (why) fprintf(stderr, "live: %s\n", why);
        FZ_CHECK(why == NULL, f, "incremental != recomputation");
        fz_roundtrip(f, l->obj);
        f->destroy(fresh);
    }
    FZ_CHECK(st == CXM_OK || (st != CXM_OUT_OF_MEMORY && st != CXM_INVALID_ARGUMENT), f,
             cxm_status_str(st));
    if (st != CXM_OK) FZ_CHECK(fz_same(f, l->obj, before, len), f, "refused live op changed it");
    free(before);
}

static void check_all(seq *s)
{
    for (int i = 0; i < OBJS; i++)
        FZ_CHECK(s->f->events(s->obj[i]) == s->model[i], s->f, "event count off the model");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    fz_in in = {data, size};
    seq s;
    memset(&s, 0, sizeof s);
    s.f = fz_family(fz_byte(&in));
    const cxm_family_ops *f = s.f;
    uint8_t vbits = fz_byte(&in);
    for (int i = 0; i < OBJS; i++)
        remake(&s, i, (vbits >> (2 * i)) & 3u);
    live l;
    memset(&l, 0, sizeof l);
    if (f->family == CXM_FAMILY_ROLLUP) {
        l.variant = (uint32_t)(vbits >> 6) % f->variants;
        if (f->make(NULL, l.variant, &l.obj) != CXM_OK) abort();
    }

    for (int ops = 0; ops < MAX_OPS && in.left > 0; ops++) {
        uint8_t op = fz_byte(&in);
        int a = (op >> 4) % OBJS, b = (op >> 6) % OBJS;
        switch (op & 15u) {
        case 0:
        case 1: op_feed(&s, a, &in, 0); break;
        case 2: op_feed(&s, a, &in, 1); break;
        case 3: op_add_one(&s, a, fz_byte(&in)); break;
        case 4:
        case 5:
            if (a != b) op_merge(&s, s.obj[a], &s.model[a], s.obj[b], s.model[b]);
            break;
        case 6: { /* doubles a: reaches 2^64 events within 64 steps */
            void *c = NULL;
            if (!f->merge || f->clone(s.obj[a], NULL, &c) != CXM_OK) break;
            op_merge(&s, s.obj[a], &s.model[a], c, s.model[a]);
            f->destroy(c);
            break;
        }
        case 7: { /* replace by decode(encode(x)) */
            fz_roundtrip(f, s.obj[a]);
            size_t len;
            uint8_t *enc = fz_encoding(f, s.obj[a], &len);
            /* One byte short is refused and still tells the size (contents unspecified). */
            uint8_t *shortbuf = malloc(len - 1);
            size_t need = 0;
            FZ_CHECK(shortbuf &&
                         f->encode(s.obj[a], shortbuf, len - 1, &need) == CXM_BUFFER_TOO_SMALL &&
                         need == len,
                     f, "short buffer accepted");
            free(shortbuf);
            void *y = NULL;
            FZ_CHECK(f->decode(enc, len, NULL, &y) == CXM_OK, f, "own encoding refused");
            f->destroy(s.obj[a]);
            s.obj[a] = y;
            free(enc);
            break;
        }
        case 8: {
            if (!f->reset) break;
            FZ_CHECK(f->reset(s.obj[a]) == CXM_OK, f, "reset");
            s.model[a] = 0;
            void *fresh = NULL;
            if (f->make(NULL, s.variant[a], &fresh) == CXM_OK) {
                FZ_CHECK(fz_equal(f, s.obj[a], fresh), f, "reset is not a fresh object");
                f->destroy(fresh);
            }
            break;
        }
        case 9: { /* b becomes a clone of a */
            if (a == b) break;
            void *c = NULL;
            if (f->clone(s.obj[a], NULL, &c) != CXM_OK) break;
            FZ_CHECK(fz_equal(f, s.obj[a], c), f, "clone differs");
            f->destroy(s.obj[b]);
            s.obj[b] = c;
            s.variant[b] = s.variant[a];
            s.model[b] = s.model[a];
            break;
        }
        case 10: remake(&s, a, fz_byte(&in)); break;
        case 11:
        case 12:
        case 13:
        case 14:
            if (l.obj) {
                live_op(f, &l, op & 15u, &in);
                break;
            }
            fz_summary(f, s.obj[a], NULL);
            break;
        default: fz_summary(f, s.obj[a], NULL); break;
        }
        check_all(&s);
    }
    for (int i = 0; i < OBJS; i++) {
        fz_summary(f, s.obj[i], NULL);
        f->destroy(s.obj[i]);
    }
    if (l.obj) f->destroy(l.obj);
    return 0;
}
