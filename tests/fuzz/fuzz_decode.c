/*
 * fuzz_decode.c — hostile bytes into every family's decode.
 * Input: byte 0 picks the family, byte 1 bit 0 asks the harness to make the
 * envelope consistent (length field and CRC), so mutations reach the field
 * checks behind the checksum; the rest are the bytes to decode, copied to a
 * buffer of exactly their size so any over-read is caught.
 * Refused: nothing comes out. Accepted: the object re-encodes, decodes
 * again to the same bytes and results, reports no NaN, and merging it with
 * a copy of itself either adds up or is refused leaving it unchanged.
 */
#include "fuzz.h"

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
        size_t len;
        uint8_t *before = fz_encoding(f, x, &len);
        uint64_t e = f->events(x);
        st = f->merge(x, c);
        if (st == CXM_OK)
            FZ_CHECK(f->events(x) == 2 * e, f, "merge did not add up");
        else
            FZ_CHECK(fz_same(f, x, before, len), f, "refused merge changed dst");
        fz_summary(f, x, NULL);
        free(before);
        f->destroy(c);
    }
    f->destroy(x);
    free(buf);
    return 0;
}
