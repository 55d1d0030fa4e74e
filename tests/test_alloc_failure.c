/*
 * test_alloc_failure.c — allocation failure, for every family in the table:
 * an allocator that fails the k-th allocation (and, in a second pass, every
 * allocation from the k-th on) is handed to every operation that may
 * allocate (make, clone with an explicit allocator and with the source's,
 * decode), for k = 0, 1, ... until the operation succeeds. Each failure must
 * return CXM_OUT_OF_MEMORY, give back everything it took, leave the output
 * pointer alone and leave every existing object as it was. Then the
 * promise "no allocation after creation" is checked: the other verbs never
 * call the allocator. The calendar and the SLA policy and clock, which have
 * no row in the table, get the same treatment for new and clone.
 */
#include <math.h>

#include "testutil.h"

/* Operations that allocate more often than this are a finding in themselves. */
#define MAX_ALLOCS 64

typedef struct fail_alloc {
    long calls;    /* allocation requests so far */
    long fail_at;  /* the request that fails (0-based); -1: none */
    int fail_rest; /* also fail every request after fail_at */
    long live;     /* blocks handed out and not yet freed */
} fail_alloc;

static void *fa_alloc(void *opaque, size_t n)
{
    fail_alloc *fa = opaque;
    long k = fa->calls++;
    if (fa->fail_at >= 0 && (k == fa->fail_at || (fa->fail_rest && k > fa->fail_at))) return NULL;
    void *p = test_malloc(n);
    if (p) fa->live++;
    return p;
}

static void fa_free(void *opaque, void *p)
{
    fail_alloc *fa = opaque;
    fa->live--;
    test_free(p);
}

static cxm_allocator fa_allocator(fail_alloc *fa)
{
    return (cxm_allocator){sizeof(cxm_allocator), 0, fa_alloc, fa_free, fa};
}

/* Arms the allocator so that the k-th request from now fails. */
static void fa_arm(fail_alloc *fa, long k, int rest)
{
    fa->fail_at = fa->calls + k;
    fa->fail_rest = rest;
}

static void fa_disarm(fail_alloc *fa)
{
    fa->fail_at = -1;
}

/* A fed accumulator from the leak-checked allocator: the "existing object". */
static void *fed(const cxm_family_ops *f, uint32_t variant, const cxm_allocator *al, uint64_t seed)
{
    void *acc = NULL;
    TU_OK(f->make(al, variant, &acc));
    uint8_t buf[64];
    for (int tries = 0; tries < 200; tries++) {
        size_t n = 1 + (size_t)(tu_rand(&seed) % sizeof buf), bad;
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)tu_rand(&seed);
        if (f->feed(acc, buf, n, &bad) == CXM_OK && f->events(acc) > 0) break;
    }
    return acc;
}

/* The operation under test, k-th allocation failing. */
typedef cxm_status (*alloc_op)(const cxm_family_ops *f, uint32_t variant, const void *src,
                               const tu_snap *enc, const cxm_allocator *al, void **out);

static cxm_status op_make(const cxm_family_ops *f, uint32_t variant, const void *src,
                          const tu_snap *enc, const cxm_allocator *al, void **out)
{
    (void)src;
    (void)enc;
    return f->make(al, variant, out);
}

static cxm_status op_clone(const cxm_family_ops *f, uint32_t variant, const void *src,
                           const tu_snap *enc, const cxm_allocator *al, void **out)
{
    (void)variant;
    (void)enc;
    return f->clone(src, al, out);
}

static cxm_status op_decode(const cxm_family_ops *f, uint32_t variant, const void *src,
                            const tu_snap *enc, const cxm_allocator *al, void **out)
{
    (void)variant;
    (void)src;
    return f->decode(enc->bytes, enc->len, al, out);
}

/*
 * Calls `call` with the k-th allocation from `fa` failing (with `rest`,
 * every later one too) for k = 0, 1, ... until it succeeds. Each failure
 * must be CXM_OUT_OF_MEMORY with no object out and every block given back;
 * the success must have allocated from `fa`. `check` (may be NULL) then
 * asserts that nothing else moved.
 */
typedef cxm_status (*call_fn)(void *ctx, const cxm_allocator *al, void **out);

static void until_success(fail_alloc *fa, int rest, const char *name, call_fn call,
                          void (*destroy)(void *), void (*check)(void *ctx), void *ctx)
{
    cxm_allocator al = fa_allocator(fa);
    int done = 0;
    for (long k = 0; k < MAX_ALLOCS && !done; k++) {
        long live = fa->live;
        void *out = NULL;
        fa_arm(fa, k, rest);
        cxm_status st = call(ctx, &al, &out);
        fa_disarm(fa);
        if (st == CXM_OK) {
            assert_non_null(out);
            assert_true(fa->live > live);
            destroy(out);
            done = 1;
        } else {
            if (st != CXM_OUT_OF_MEMORY)
                fail_msg("%s: failing allocation %ld gave %s, not out of memory", name, k,
                         cxm_status_str(st));
            assert_null(out);
        }
        assert_int_equal(fa->live, live);
        if (check) check(ctx);
    }
    if (!done) fail_msg("%s: still failing after %d allocations", name, MAX_ALLOCS);
}

/* An operation of a table family, with what must not move while it fails. */
typedef struct family_case {
    const cxm_family_ops *f;
    uint32_t variant;
    alloc_op op;
    const void *src;   /* clone's source or decode's origin, may be NULL */
    tu_snap src_snap;  /* its state before */
    tu_snap enc;       /* bytes decode reads */
    uint8_t *enc_copy; /* and a copy: decode must not write to them */
    void *bystander;   /* an object living in the failing allocator */
    tu_snap bys;
} family_case;

static cxm_status family_call(void *ctx, const cxm_allocator *al, void **out)
{
    family_case *c = ctx;
    return c->op(c->f, c->variant, c->src, &c->enc, al, out);
}

static void family_check(void *ctx)
{
    family_case *c = ctx;
    tu_assert_same(c->f, c->bystander, c->bys);
    if (c->src) tu_assert_same(c->f, c->src, c->src_snap);
    assert_memory_equal(c->enc.bytes, c->enc_copy, c->enc.len);
}

/*
 * Runs `op` until it succeeds (see until_success). `src` (when not NULL)
 * and a bystander object living in the same failing allocator must stay
 * byte-for-byte the same throughout.
 */
static void each_k(const cxm_family_ops *f, uint32_t variant, alloc_op op, const void *src,
                   int rest)
{
    fail_alloc fa = {0, -1, 0, 0};
    cxm_allocator al = fa_allocator(&fa);
    family_case c = {f, variant, op, src, {NULL, 0}, {NULL, 0}, NULL, NULL, {NULL, 0}};
    c.bystander = fed(f, variant, &al, 99);
    c.bys = tu_snapshot(f, c.bystander);
    if (src) c.src_snap = tu_snapshot(f, src);
    c.enc = tu_snapshot(f, src ? src : c.bystander);
    c.enc_copy = test_malloc(c.enc.len);
    memcpy(c.enc_copy, c.enc.bytes, c.enc.len);
    until_success(&fa, rest, f->name, family_call, f->destroy, family_check, &c);
    test_free(c.enc_copy);
    tu_snap_free(c.enc);
    if (src) tu_snap_free(c.src_snap);
    tu_snap_free(c.bys);
    f->destroy(c.bystander);
    assert_int_equal(fa.live, 0);
}

static void make_fails_cleanly(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (uint32_t v = 0; v < f->variants; v++) {
            each_k(f, v, op_make, NULL, 0);
            each_k(f, v, op_make, NULL, 1);
        }
    }
}

static void clone_fails_cleanly(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (uint32_t v = 0; v < f->variants; v++) {
            void *src = fed(f, v, &tu_allocator, 7 + v);
            each_k(f, v, op_clone, src, 0);
            each_k(f, v, op_clone, src, 1);
            f->destroy(src);
        }
    }
}

/* clone(src, NULL) allocates from the source's own allocator: fail that one. */
typedef struct source_case {
    const cxm_family_ops *f;
    const void *src;
    tu_snap snap;
} source_case;

static cxm_status source_call(void *ctx, const cxm_allocator *al, void **out)
{
    (void)al;
    source_case *c = ctx;
    return c->f->clone(c->src, NULL, out);
}

static void source_check(void *ctx)
{
    source_case *c = ctx;
    tu_assert_same(c->f, c->src, c->snap);
}

static void clone_with_source_allocator_fails_cleanly(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        fail_alloc fa = {0, -1, 0, 0};
        cxm_allocator al = fa_allocator(&fa);
        void *src = fed(f, 0, &al, 11);
        source_case c = {f, src, tu_snapshot(f, src)};
        until_success(&fa, 1, f->name, source_call, f->destroy, source_check, &c);
        tu_snap_free(c.snap);
        f->destroy(src);
        assert_int_equal(fa.live, 0);
    }
}

static void decode_fails_cleanly(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (uint32_t v = 0; v < f->variants; v++) {
            void *src = fed(f, v, &tu_allocator, 13 + v);
            each_k(f, v, op_decode, src, 0);
            each_k(f, v, op_decode, src, 1);
            f->destroy(src);
            /* An empty accumulator decodes under the same rules. */
            void *empty = NULL;
            TU_OK(f->make(&tu_allocator, v, &empty));
            each_k(f, v, op_decode, empty, 1);
            f->destroy(empty);
        }
    }
}

/*
 * After creation nothing allocates: every request from now on fails, and
 * feeding, merging, resetting, encoding and reading results must not notice.
 */
static void no_allocation_after_creation(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (uint32_t v = 0; v < f->variants; v++) {
            fail_alloc fa = {0, -1, 0, 0};
            cxm_allocator al = fa_allocator(&fa);
            void *a = fed(f, v, &al, 21 + v), *b = fed(f, v, &al, 23 + v);
            long calls = fa.calls;
            fa_arm(&fa, 0, 1);
            uint64_t ea = f->events(a), eb = f->events(b);
            uint8_t bytes[32];
            uint64_t rng = 5;
            for (int i = 0; i < 8; i++) {
                for (size_t j = 0; j < sizeof bytes; j++)
                    bytes[j] = (uint8_t)tu_rand(&rng);
                size_t bad;
                cxm_status st = f->feed(a, bytes, 1 + (size_t)i * 3, &bad);
                assert_int_not_equal(st, CXM_OUT_OF_MEMORY);
                st = f->feed_each(b, bytes, 1 + (size_t)i);
                assert_int_not_equal(st, CXM_OUT_OF_MEMORY);
                assert_int_not_equal(f->add_one(a, (uint64_t)i), CXM_OUT_OF_MEMORY);
            }
            assert_true(f->events(a) >= ea && f->events(b) >= eb);
            TU_OK(f->merge(a, b));
            static double out[CXM_SUMMARY_MAX];
            size_t n = 0;
            TU_OK(f->summary(a, out, CXM_SUMMARY_MAX, &n));
            size_t len = 0;
            assert_int_equal(f->encode(a, NULL, 0, &len), CXM_BUFFER_TOO_SMALL);
            uint8_t *buf = test_malloc(len);
            TU_OK(f->encode(a, buf, len, &len));
            test_free(buf);
            TU_OK(f->reset(a));
            TU_OK(f->summary(a, out, CXM_SUMMARY_MAX, &n));
            assert_int_equal(fa.calls, calls);
            fa_disarm(&fa);
            f->destroy(a);
            f->destroy(b);
            assert_int_equal(fa.live, 0);
        }
    }
}

/*
 * Objects outside the family table (they have no encoding of their own):
 * the calendar, the SLA policy and the SLA clock. Same rules for new and
 * clone; the source of a clone is compared through its own queries.
 */
typedef struct aux_ops {
    const char *name;
    cxm_status (*make)(const cxm_allocator *al, void **out);
    cxm_status (*clone)(const void *src, const cxm_allocator *al, void **out);
    void (*destroy)(void *obj);
} aux_ops;

static cxm_status cal_make(const cxm_allocator *al, void **out)
{
    cxm_calendar_config cfg = {sizeof cfg, 0, 16, 8, 4, 3600};
    cxm_status st = cxm_calendar_new(&cfg, al, (cxm_calendar **)out);
    if (st == CXM_OK) st = cxm_calendar_add_interval(*out, 1, 9 * 3600, 17 * 3600);
    return st;
}
static cxm_status cal_clone(const void *s, const cxm_allocator *al, void **o)
{
    return cxm_calendar_clone(s, al, (cxm_calendar **)o);
}
static void cal_free(void *o)
{
    cxm_calendar_free(o);
}

static cxm_status pol_make(const cxm_allocator *al, void **out)
{
    return cxm_sla_policy_new(3, al, (cxm_sla_policy **)out);
}
static cxm_status pol_clone(const void *s, const cxm_allocator *al, void **o)
{
    return cxm_sla_policy_clone(s, al, (cxm_sla_policy **)o);
}
static void pol_free(void *o)
{
    cxm_sla_policy_free(o);
}

static cxm_status clk_make(const cxm_allocator *al, void **out)
{
    return cxm_sla_clock_new(3600, CXM_SLA_CALENDAR_TIME, NULL, al, (cxm_sla_clock **)out);
}
static cxm_status clk_clone(const void *s, const cxm_allocator *al, void **o)
{
    return cxm_sla_clock_clone(s, al, (cxm_sla_clock **)o);
}
static void clk_free(void *o)
{
    cxm_sla_clock_free(o);
}

static const aux_ops aux[] = {
    {"calendar", cal_make, cal_clone, cal_free},
    {"sla_policy", pol_make, pol_clone, pol_free},
    {"sla_clock", clk_make, clk_clone, clk_free},
};

typedef struct aux_case {
    const aux_ops *ops;
    int clone;
    const void *src;
} aux_case;

static cxm_status aux_call(void *ctx, const cxm_allocator *al, void **out)
{
    aux_case *c = ctx;
    return c->clone ? c->ops->clone(c->src, al, out) : c->ops->make(al, out);
}

static void other_objects_fail_cleanly(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof aux / sizeof aux[0]; i++)
        for (int op = 0; op < 2; op++)
            for (int rest = 0; rest < 2; rest++) {
                fail_alloc fa = {0, -1, 0, 0};
                cxm_allocator al = fa_allocator(&fa);
                void *src = NULL;
                TU_OK(aux[i].make(&al, &src));
                aux_case c = {&aux[i], op, src};
                until_success(&fa, rest, aux[i].name, aux_call, aux[i].destroy, NULL, &c);
                aux[i].destroy(src);
                assert_int_equal(fa.live, 0);
            }
}

/* A bad allocator struct is refused before anything is allocated. */
static void bad_allocator_is_refused(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        fail_alloc fa = {0, -1, 0, 0};
        cxm_allocator al = fa_allocator(&fa);
        cxm_allocator bad[3] = {al, al, al};
        bad[0].size = 8;
        bad[1].reserved = 1;
        bad[2].alloc = NULL;
        for (int i = 0; i < 3; i++) {
            void *out = NULL;
            TU_ST(f->make(&bad[i], 0, &out), CXM_INVALID_ARGUMENT);
            assert_null(out);
        }
        assert_int_equal(fa.calls, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(make_fails_cleanly),
        cmocka_unit_test(clone_fails_cleanly),
        cmocka_unit_test(clone_with_source_allocator_fails_cleanly),
        cmocka_unit_test(decode_fails_cleanly),
        cmocka_unit_test(no_allocation_after_creation),
        cmocka_unit_test(other_objects_fail_cleanly),
        cmocka_unit_test(bad_allocator_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
