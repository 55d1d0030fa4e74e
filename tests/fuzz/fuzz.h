/*
 * fuzz.h — what the libFuzzer harnesses share. Every harness picks its
 * family from the first input byte through the family table
 * (tests/harness/families.c), so a family joins the fuzzers by having its
 * row there. Configuration rows (calendar, SLA policy) have no merge,
 * reset or add_one: a harness skips what a row lacks. A broken invariant
 * aborts with a message; libFuzzer keeps the input that did it.
 */
#ifndef CXM_FUZZ_H
#define CXM_FUZZ_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "families.h"
#include "forge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(cond, f, what)                                                                    \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: %s: %s (%s)\n", __FILE__, __LINE__, (f)->name, (what), #cond); \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Reads the input front to back; past the end every read gives 0. */
typedef struct fz_in {
    const uint8_t *p;
    size_t left;
} fz_in;

static inline uint8_t fz_byte(fz_in *in)
{
    if (in->left == 0) return 0;
    in->left--;
    return *in->p++;
}

/* Accumulators first, then the configuration objects (calendar, SLA policy). */
static inline const cxm_family_ops *fz_family(uint8_t b)
{
    return cxm_fuzz_row(b % cxm_fuzz_row_count());
}

/* Encoding of acc; aborts if the family cannot encode a live object. */
static inline uint8_t *fz_encoding(const cxm_family_ops *f, const void *acc, size_t *len)
{
    uint8_t *b = cxm_family_encoding(f, acc, len);
    FZ_CHECK(b != NULL, f, "encode failed");
    return b;
}

/* acc's encoding equals the snapshot (len, bytes). */
static inline int fz_same(const cxm_family_ops *f, const void *acc, const uint8_t *snap, size_t len)
{
    size_t n;
    uint8_t *now = fz_encoding(f, acc, &n);
    int same = n == len && memcmp(now, snap, n) == 0;
    free(now);
    return same;
}

/* Two objects have equal encodings. */
static inline int fz_equal(const cxm_family_ops *f, const void *a, const void *b)
{
    size_t n;
    uint8_t *ea = fz_encoding(f, a, &n);
    int same = fz_same(f, b, ea, n);
    free(ea);
    return same;
}

/*
 * Every result call answers with OK or EMPTY (summary folds EMPTY into OK),
 * or CXM_OVERFLOW where a result pools exact counts that may together pass
 * 2^64 (SLA over all priorities), and no NaN; returns the number of values
 * written to out (may be NULL).
 */
static inline size_t fz_summary(const cxm_family_ops *f, const void *acc, double *out)
{
    static double scratch[CXM_SUMMARY_MAX];
    double *v = out ? out : scratch;
    size_t n = 0;
    cxm_status st = f->summary(acc, v, CXM_SUMMARY_MAX, &n);
    FZ_CHECK(st == CXM_OK || st == CXM_OVERFLOW, f, cxm_status_str(st));
    for (size_t i = 0; i < n && i < CXM_SUMMARY_MAX; i++)
        FZ_CHECK(!isnan(v[i]), f, "NaN in a result");
    return n < CXM_SUMMARY_MAX ? n : CXM_SUMMARY_MAX;
}

/* decode(encode(x)) == x: same bytes, same results, same event count. */
static inline void fz_roundtrip(const cxm_family_ops *f, const void *x)
{
    size_t len;
    uint8_t *enc = fz_encoding(f, x, &len);
    uint32_t fam = 0, ver = 0;
    FZ_CHECK(cxm_encoded_info(enc, len, &fam, &ver) == CXM_OK && fam == f->family, f,
             "envelope of own encoding");
    void *y = NULL;
    cxm_status st = f->decode(enc, len, NULL, &y);
    FZ_CHECK(st == CXM_OK, f, "own encoding refused");
    FZ_CHECK(fz_same(f, y, enc, len), f, "decode(encode(x)) != x");
    FZ_CHECK(f->events(y) == f->events(x), f, "events lost in the round trip");
    static double sx[CXM_SUMMARY_MAX], sy[CXM_SUMMARY_MAX];
    size_t nx = fz_summary(f, x, sx), ny = fz_summary(f, y, sy);
    FZ_CHECK(nx == ny && memcmp(sx, sy, nx * sizeof(double)) == 0, f,
             "results differ after the round trip");
    f->destroy(y);
    free(enc);
}

#endif
