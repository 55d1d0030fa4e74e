/*
 * test_properties.c — the properties every accumulator family must have,
 * checked for each entry of the family table on many random inputs:
 * decode(encode(x)) == x, merge is commutative and associative and equals
 * one accumulator fed everything, add_many equals repeated add, rejected
 * input changes nothing, clone and reset behave, merge across variants is
 * refused, every allocation goes back to the allocator, and every share,
 * score and interval stays in its domain around its point estimate, also
 * once merged counts pass 2^53 and their conversions to double round.
 */
#include <math.h>

#include "testutil.h"

#define ROUNDS 40

static void *make(const cxm_family_ops *f, uint32_t variant)
{
    void *acc = NULL;
    TU_OK(f->make(&tu_allocator, variant, &acc));
    return acc;
}

/* Random bytes; feeds the accumulator until a batch is accepted. */
static size_t random_batch(uint64_t *rng, uint8_t *buf, size_t cap)
{
    size_t n = (size_t)(tu_rand(rng) % cap);
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)tu_rand(rng);
    return n;
}

static void feed_valid(const cxm_family_ops *f, void *acc, uint64_t *rng)
{
    uint8_t buf[512];
    for (int tries = 0; tries < 64; tries++) {
        size_t n = random_batch(rng, buf, sizeof buf);
        size_t bad = 0;
        tu_snap before = tu_snapshot(f, acc);
        cxm_status st = f->feed(acc, buf, n, &bad);
        if (st != CXM_OK) tu_assert_same(f, acc, before); /* rejected: nothing changed */
        tu_snap_free(before);
        if (st == CXM_OK) return;
    }
}

static void assert_equal_state(const cxm_family_ops *f, const void *a, const void *b)
{
    tu_snap sa = tu_snapshot(f, a);
    tu_assert_same(f, b, sa);
    tu_snap_free(sa);
    static double ra[CXM_SUMMARY_MAX], rb[CXM_SUMMARY_MAX];
    size_t na = 0, nb = 0;
    cxm_status s1 = f->summary(a, ra, CXM_SUMMARY_MAX, &na);
    cxm_status s2 = f->summary(b, rb, CXM_SUMMARY_MAX, &nb);
    assert_int_equal(s1, s2);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na && i < CXM_SUMMARY_MAX; i++) {
        assert_false(isnan(ra[i]));
        assert_true(ra[i] == rb[i]);
    }
}

static void roundtrip(void **state)
{
    (void)state;
    uint64_t rng = 1;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (int r = 0; r < ROUNDS; r++) {
            void *a = make(f, (uint32_t)r % f->variants);
            feed_valid(f, a, &rng);
            tu_snap s = tu_snapshot(f, a);
            void *b = NULL;
            TU_OK(f->decode(s.bytes, s.len, &tu_allocator, &b));
            assert_equal_state(f, a, b);
            /* Every truncation is refused. */
            for (size_t cut = 0; cut < s.len; cut += 1 + s.len / 64) {
                void *c = NULL;
                assert_int_not_equal(f->decode(s.bytes, cut, &tu_allocator, &c), CXM_OK);
                assert_null(c);
            }
            /* Any flipped bit is caught by the checksum or the field checks. */
            size_t at = (size_t)(tu_rand(&rng) % s.len);
            s.bytes[at] ^= (uint8_t)(1u << (tu_rand(&rng) % 8));
            void *c = NULL;
            assert_int_not_equal(f->decode(s.bytes, s.len, &tu_allocator, &c), CXM_OK);
            tu_snap_free(s);
            f->destroy(a);
            f->destroy(b);
        }
    }
}

static void merge_laws(void **state)
{
    (void)state;
    uint64_t rng = 2;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (int r = 0; r < ROUNDS; r++) {
            uint32_t v = (uint32_t)r % f->variants;
            void *a = make(f, v), *b = make(f, v), *c = make(f, v);
            uint8_t bufs[3][512];
            size_t lens[3];
            void *parts[3] = {a, b, c};
            void *all = make(f, v);
            for (int k = 0; k < 3; k++) {
                size_t bad;
                do {
                    lens[k] = random_batch(&rng, bufs[k], sizeof bufs[k]);
                } while (f->feed(parts[k], bufs[k], lens[k], &bad) != CXM_OK);
            }
            /* One accumulator fed everything equals the merge of the parts. */
            for (int k = 0; k < 3; k++) {
                size_t bad;
                TU_OK(f->feed(all, bufs[k], lens[k], &bad));
            }
            void *ab, *ba, *ab_c, *bc, *a_bc;
            TU_OK(f->clone(a, NULL, &ab));
            TU_OK(f->merge(ab, b));
            TU_OK(f->clone(b, NULL, &ba));
            TU_OK(f->merge(ba, a));
            assert_equal_state(f, ab, ba); /* commutative */
            TU_OK(f->clone(ab, NULL, &ab_c));
            TU_OK(f->merge(ab_c, c));
            TU_OK(f->clone(b, NULL, &bc));
            TU_OK(f->merge(bc, c));
            TU_OK(f->clone(a, NULL, &a_bc));
            TU_OK(f->merge(a_bc, bc));
            assert_equal_state(f, ab_c, a_bc); /* associative */
            assert_equal_state(f, ab_c, all);  /* equals one big accumulator */
            assert_int_equal(f->events(ab_c), f->events(a) + f->events(b) + f->events(c));
            void *objs[] = {a, b, c, all, ab, ba, ab_c, bc, a_bc};
            for (size_t k = 0; k < sizeof objs / sizeof objs[0]; k++)
                f->destroy(objs[k]);
        }
    }
}

static void add_many_equals_add(void **state)
{
    (void)state;
    uint64_t rng = 3;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (int r = 0; r < ROUNDS; r++) {
            uint32_t v = (uint32_t)r % f->variants;
            void *a = make(f, v), *b = make(f, v);
            uint8_t buf[512];
            size_t n = random_batch(&rng, buf, sizeof buf), bad = 0;
            cxm_status st = f->feed(a, buf, n, &bad);
            if (st == CXM_OK) {
                TU_OK(f->feed_each(b, buf, n));
                assert_equal_state(f, a, b);
            } else {
                /* The batch was refused whole; single adds stop at the same event. */
                assert_int_not_equal(f->feed_each(b, buf, n), CXM_OK);
                void *empty = make(f, v);
                assert_equal_state(f, a, empty);
                f->destroy(empty);
            }
            f->destroy(a);
            f->destroy(b);
        }
    }
}

static void variants_refuse_merge(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (uint32_t v = 1; v < f->variants; v++) {
            if (cxm_family_twin(f, v)) continue; /* merges: see twins_merge_exactly */
            void *a = make(f, 0), *b = make(f, v);
            TU_OK(f->add_one(b, 1));
            tu_snap s = tu_snapshot(f, a);
            cxm_status st = f->merge(a, b);
            assert_true(st == CXM_KIND_MISMATCH || st == CXM_BRAND_MISMATCH);
            tu_assert_same(f, a, s);
            tu_snap_free(s);
            f->destroy(a);
            f->destroy(b);
        }
    }
}

/*
 * A twin of variant 0 (the same configuration in another storage form):
 * merged either way with variant 0, or decoded from its encoding, it is one
 * accumulator fed everything, figure for figure and byte for byte, and the
 * merge keeps dst's form (a clone of dst encodes as dst does).
 */
static void twins_merge_exactly(void **state)
{
    (void)state;
    uint64_t rng = 5;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (uint32_t v = 1; v < f->variants; v++) {
            if (!cxm_family_twin(f, v)) continue;
            for (int r = 0; r < ROUNDS; r++) {
                void *dense = make(f, 0), *twin = make(f, v), *all = make(f, 0);
                void *all_twin = make(f, v);
                uint8_t bufs[2][512];
                size_t lens[2], bad;
                void *parts[2] = {dense, twin};
                for (int k = 0; k < 2; k++) {
                    do {
                        lens[k] = random_batch(&rng, bufs[k], sizeof bufs[k]);
                    } while (f->feed(parts[k], bufs[k], lens[k], &bad) != CXM_OK);
                    TU_OK(f->feed(all, bufs[k], lens[k], &bad));
                    TU_OK(f->feed(all_twin, bufs[k], lens[k], &bad));
                }
                assert_equal_state(f, all, all_twin); /* the forms answer alike */
                void *d = NULL, *t = NULL, *self = NULL;
                TU_OK(f->clone(dense, NULL, &d));
                TU_OK(f->merge(d, twin));
                assert_equal_state(f, d, all);
                TU_OK(f->clone(twin, NULL, &t));
                TU_OK(f->merge(t, dense));
                assert_equal_state(f, t, all);
                /* Into itself, in the twin's form: doubles like the dense form. */
                TU_OK(f->clone(t, NULL, &self));
                TU_OK(f->merge(self, self));
                TU_OK(f->merge(d, d));
                assert_equal_state(f, self, d);
                void *objs[] = {dense, twin, all, all_twin, d, t, self};
                for (size_t k = 0; k < sizeof objs / sizeof objs[0]; k++)
                    f->destroy(objs[k]);
            }
        }
    }
}

static void reset_and_clone(void **state)
{
    (void)state;
    uint64_t rng = 4;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (uint32_t v = 0; v < f->variants; v++) {
            void *a = make(f, v), *fresh = make(f, v), *c = NULL;
            feed_valid(f, a, &rng);
            TU_OK(f->clone(a, &tu_allocator, &c));
            assert_equal_state(f, a, c);
            TU_OK(f->reset(a));
            assert_equal_state(f, a, fresh);
            assert_int_equal(f->events(a), 0);
            /* The reset object takes the same data again (a compact one has its pages back). */
            TU_OK(f->merge ? f->merge(a, c) : CXM_OK);
            if (f->merge) assert_equal_state(f, a, c);
            f->destroy(a);
            f->destroy(c);
            f->destroy(fresh);
        }
        f->destroy(NULL); /* no-op */
    }
}

static void empty_has_no_value(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        void *a = make(f, 0);
        static double out[CXM_SUMMARY_MAX];
        size_t n = 0;
        TU_OK(f->summary(a, out, CXM_SUMMARY_MAX, &n));
        for (size_t i = 0; i < n && i < CXM_SUMMARY_MAX; i++)
            assert_false(isnan(out[i]));
        f->destroy(a);
    }
}

static void wrong_family_is_refused(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        void *a = make(f, 0);
        tu_snap s = tu_snapshot(f, a);
        uint32_t fam = 0, ver = 0;
        TU_OK(cxm_encoded_info(s.bytes, s.len, &fam, &ver));
        assert_int_equal(fam, f->family);
        for (size_t gi = 0; gi < cxm_family_count; gi++) {
            if (cxm_families[gi].family == f->family) continue;
            void *b = NULL;
            TU_ST(cxm_families[gi].decode(s.bytes, s.len, &tu_allocator, &b), CXM_WRONG_TYPE);
        }
        tu_snap_free(s);
        f->destroy(a);
    }
}

static void assert_bounds(const cxm_family_ops *f, const void *a, const char *when)
{
    const char *bad = f->bounds(a);
    if (bad) fail_msg("%s, %s: %s out of its domain", f->name, when, bad);
}

/*
 * Doubling a state scales every count by 2 and converts exactly; merging in
 * a second, different state each time makes counts like c 2^k + d, whose
 * conversion rounds once they pass 2^53. Every step is checked.
 */
static void shares_and_intervals_stay_in_domain(void **state)
{
    (void)state;
    uint64_t rng = 7;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        if (!f->summary) continue;
        if (!f->bounds) fail_msg("%s: no bounds check in the family table", f->name);
        for (uint32_t v = 0; v < f->variants; v++)
            for (int round = 0; round < 6; round++) {
                void *a = make(f, v), *b = make(f, v);
                assert_bounds(f, a, "empty");
                feed_valid(f, a, &rng);
                feed_valid(f, b, &rng);
                assert_bounds(f, a, "fed");
                for (int k = 0; k < 70; k++) {
                    if (f->merge(a, a) != CXM_OK) break;
                    assert_bounds(f, a, "doubled");
                    if (f->merge(a, b) != CXM_OK) break;
                    assert_bounds(f, a, "doubled and merged");
                }
                f->destroy(a);
                f->destroy(b);
            }
    }
}

/* The Wilson interval at its edges: exact 0 and 1, and its share inside, at any n. */
static void wilson_holds_its_share(void **state)
{
    (void)state;
    cxm_interval ci;
    TU_OK(cxm_wilson_interval(35, 35, 0.0, &ci));
    assert_true(ci.upper == 1.0 && ci.lower < 1.0);
    TU_OK(cxm_wilson_interval(0, 35, 0.0, &ci));
    assert_true(ci.lower == 0.0 && ci.upper > 0.0);
    uint64_t rng = 11;
    for (int i = 0; i < 20000; i++) {
        uint64_t n = tu_rand(&rng) >> (tu_rand(&rng) % 64);
        n = n ? n : 1;
        uint64_t r = tu_rand(&rng) % 4;
        uint64_t k = r == 0 ? 0 : (r == 1 ? n : (r == 2 ? n - 1 : tu_rand(&rng) % (n + 1)));
        double level = (i % 3 == 0) ? 0.0 : (double)(tu_rand(&rng) % 999 + 1) / 1000.0;
        TU_OK(cxm_wilson_interval(k, n, level, &ci));
        double p = (double)k / (double)n;
        p = p > 1.0 ? 1.0 : p;
        assert_true(ci.lower >= 0.0 && ci.upper <= 1.0);
        assert_true(ci.lower <= p && p <= ci.upper);
        if (k == 0) assert_true(ci.lower == 0.0);
        if (k == n) assert_true(ci.upper == 1.0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roundtrip),
        cmocka_unit_test(merge_laws),
        cmocka_unit_test(add_many_equals_add),
        cmocka_unit_test(variants_refuse_merge),
        cmocka_unit_test(twins_merge_exactly),
        cmocka_unit_test(reset_and_clone),
        cmocka_unit_test(empty_has_no_value),
        cmocka_unit_test(wrong_family_is_refused),
        cmocka_unit_test(shares_and_intervals_stay_in_domain),
        cmocka_unit_test(wilson_holds_its_share),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
