/*
 * fuzz_decode.c — hostile bytes into every family's decode.
 * Input: byte 0 picks the family, byte 1 bit 0 asks the harness to make the
 * envelope consistent (length field and CRC), so mutations reach the field
 * checks behind the checksum; the rest are the bytes to decode, copied to a
 * buffer of exactly their size so any over-read is caught.
 * Refused: nothing comes out. Accepted: the object re-encodes, decodes
 * again to the same bytes and results, reports no NaN, and merging it with
 * a copy of itself either adds up or is refused leaving it unchanged.
 * Durations and survival also decode into their compact form, with a
 * budget of 1 to 128 pages from byte 1's other bits: refused as the dense
 * decode is (or CXM_CAPACITY, nothing out, when the pages are too few),
 * else the same bytes, and its doubling adds up or changes nothing.
 */
#include "fuzz.h"

/* Merges src (a copy of x, or x itself) into x: the events double, or x is refused unchanged. */
static void check_doubling(const cxm_family_ops *f, void *x, const void *src)
{
    size_t len;
    uint8_t *before = fz_encoding(f, x, &len);
    uint64_t e = f->events(x);
    if (f->merge(x, src) == CXM_OK)
        FZ_CHECK(f->events(x) == 2 * e, f, "merge did not add up");
    else
        FZ_CHECK(fz_same(f, x, before, len), f, "refused merge changed dst");
    fz_summary(f, x, NULL);
    free(before);
}

/* decode_with into a compact form of `pages` pages, for the families that have one. */
static cxm_status decode_compact(const cxm_family_ops *f, const uint8_t *buf, size_t n,
                                 uint32_t pages, void **out)
{
    if (f->family == CXM_FAMILY_DURATION) {
        cxm_duration_options o = {.size = sizeof o,
                                  .memory_budget = (uint64_t)pages * CXM_DURATION_PAGE_BYTES};
        return cxm_duration_decode_with(buf, n, &o, NULL, (cxm_duration **)out);
    }
    cxm_survival_options o = {.size = sizeof o,
                              .memory_budget = (uint64_t)pages * CXM_SURVIVAL_PAGE_BYTES};
    return cxm_survival_decode_with(buf, n, &o, NULL, (cxm_survival **)out);
}

/* The compact decode agrees with the dense one (`st`, and `x` when accepted). */
static void check_compact(const cxm_family_ops *f, const uint8_t *buf, size_t n, uint32_t pages,
                          cxm_status st, const void *x)
{
    void *k = NULL;
    cxm_status sk = decode_compact(f, buf, n, pages, &k);
    if (sk != CXM_OK) FZ_CHECK(k == NULL, f, "refused compact decode wrote an object");
    if (st != CXM_OK) {
        FZ_CHECK(sk == st, f, "compact decode refused otherwise than the dense one");
        return;
    }
    if (sk == CXM_CAPACITY) return;
    FZ_CHECK(sk == CXM_OK, f, "compact decode refused a valid state");
    size_t len;
    uint8_t *want = fz_encoding(f, x, &len);
    FZ_CHECK(fz_same(f, k, want, len), f, "compact decode differs from the dense one");
    free(want);
    check_doubling(f, k, k);
    f->destroy(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    const cxm_family_ops *f = fz_family(data[0]);
    size_t n = size - 2;
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf) return 0;
    memcpy(buf, data + 2, n);
    if ((data[1] & 1) && n >= 16) tu_fix_envelope(buf, n);

    void *x = NULL;
    cxm_status st = f->decode(buf, n, NULL, &x);
    if (f->family == CXM_FAMILY_DURATION || f->family == CXM_FAMILY_SURVIVAL)
        check_compact(f, buf, n, 1u + (data[1] >> 1), st, x);
    if (st != CXM_OK) {
        FZ_CHECK(x == NULL, f, "refused decode wrote an object");
        FZ_CHECK(st == CXM_BAD_FORMAT || st == CXM_WRONG_TYPE || st == CXM_UNSUPPORTED_VERSION ||
                     st == CXM_OUT_OF_MEMORY || st == CXM_INVALID_ARGUMENT,
                 f, cxm_status_str(st));
        free(buf);
        return 0;
    }
    fz_summary(f, x, NULL);
    fz_roundtrip(f, x);

    /* A decoded state is a state like any other: doubling it adds up or is refused. */
    void *c = NULL;
    if (f->merge && f->clone(x, NULL, &c) == CXM_OK) {
        check_doubling(f, x, c);
        f->destroy(c);
    }
    f->destroy(x);
    free(buf);
    return 0;
}
