/*
 * testutil.h — what every cmocka test file shares: the includes cmocka 1.1
 * needs, an allocator routed through cmocka's leak-checking test_malloc, and
 * helpers to snapshot an accumulator (its encoding) so a test can assert
 * that a rejected call changed nothing.
 */
#ifndef CXM_TESTUTIL_H
#define CXM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cxm.h>

#include "families.h"
#include "forge.h"

static inline void *tu_alloc(void *opaque, size_t n)
{
    (void)opaque;
    return test_malloc(n);
}

static inline void tu_free(void *opaque, void *p)
{
    (void)opaque;
    test_free(p);
}

static const cxm_allocator tu_allocator = {sizeof(cxm_allocator), 0, tu_alloc, tu_free, NULL};

#define TU_OK(expr) assert_int_equal((expr), CXM_OK)
#define TU_ST(expr, st) assert_int_equal((expr), (st))
#define TU_NEAR(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

/* A snapshot is the accumulator's encoding: equal bytes, equal state. */
typedef struct tu_snap {
    uint8_t *bytes;
    size_t len;
} tu_snap;

static inline tu_snap tu_snapshot(const cxm_family_ops *f, const void *acc)
{
    tu_snap s = {NULL, 0};
    assert_int_equal(f->encode(acc, NULL, 0, &s.len), CXM_BUFFER_TOO_SMALL);
    s.bytes = test_malloc(s.len);
    size_t len2 = 0;
    TU_OK(f->encode(acc, s.bytes, s.len, &len2));
    assert_int_equal(len2, s.len);
    return s;
}

static inline void tu_assert_same(const cxm_family_ops *f, const void *acc, tu_snap before)
{
    tu_snap now = tu_snapshot(f, acc);
    assert_int_equal(now.len, before.len);
    assert_memory_equal(now.bytes, before.bytes, now.len);
    test_free(now.bytes);
}

static inline void tu_snap_free(tu_snap s)
{
    test_free(s.bytes);
}

/*
 * Reads the committed test vector tests/vectors/<name> (hex bytes, any
 * white space) into buf; returns its length. The directory comes from
 * CXM_VECTORS, which tests/meson.build sets.
 */
static inline size_t tu_read_vector(const char *name, uint8_t *buf, size_t cap)
{
    const char *dir = getenv("CXM_VECTORS");
    assert_non_null(dir);
    char file[1024];
    snprintf(file, sizeof file, "%s/%s", dir, name);
    size_t len = cxm_vector_read(file, buf, cap);
    assert_true(len != SIZE_MAX);
    return len;
}

/*
 * A caller built against the first version of a result struct that later
 * grew: it passes the offset of the first appended field as its size. The
 * call (GET(pointer), a macro of the test) must accept that size and write
 * nothing beyond it, and refuse one byte less.
 */
#define TU_FIRST_VERSION_SIZE(type, first_appended, GET)                                           \
    do {                                                                                           \
        type tu_r_;                                                                                \
        const size_t tu_v1_ = offsetof(type, first_appended);                                      \
        memset(&tu_r_, 0xAB, sizeof tu_r_);                                                        \
        tu_r_.size = (uint32_t)tu_v1_;                                                             \
        TU_OK(GET(&tu_r_));                                                                        \
        const unsigned char *tu_p_ = (const unsigned char *)&tu_r_;                                \
        for (size_t tu_i_ = tu_v1_; tu_i_ < sizeof tu_r_; tu_i_++)                                 \
            assert_int_equal(tu_p_[tu_i_], 0xAB);                                                  \
        tu_r_.size = (uint32_t)tu_v1_ - 1;                                                         \
        assert_int_equal(GET(&tu_r_), CXM_INVALID_ARGUMENT);                                       \
    } while (0)

#endif
