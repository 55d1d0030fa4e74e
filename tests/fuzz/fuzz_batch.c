/*
 * fuzz_batch.c — arbitrary batches into every family's add_many (through
 * the table's `feed`), on top of an arbitrary earlier batch.
 * Input: byte 0 picks the family, byte 1 the variant, byte 2 how many of
 * the following bytes form the first batch; the rest is the second batch.
 * Rejected: the accumulator is byte-for-byte unchanged. Accepted: the same
 * events added one at a time give the same state, the event count grew by
 * exactly that much, results have no NaN and the state round-trips.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3) return 0;
    const cxm_family_ops *f = fz_family(data[0]);
    uint32_t variant = data[1] % f->variants;
    size_t first = data[2] < size - 3 ? data[2] : size - 3;
    const uint8_t *b1 = data + 3, *b2 = data + 3 + first;
    size_t n2 = size - 3 - first, bad = 0;

    void *a = NULL, *empty = NULL;
    if (f->make(NULL, variant, &a) != CXM_OK) return 0;
    if (f->make(NULL, variant, &empty) != CXM_OK) {
        f->destroy(a);
        return 0;
    }
    cxm_status st = f->feed(a, b1, first, &bad);
    if (st != CXM_OK)
        FZ_CHECK(fz_equal(f, a, empty), f, "rejected first batch changed the accumulator");

    /* The second batch, against a copy that takes the events one by one. */
    void *each = NULL;
    if (f->clone(a, NULL, &each) == CXM_OK) {
        size_t len;
        uint8_t *before = fz_encoding(f, a, &len);
        uint64_t e0 = f->events(a);
        st = f->feed(a, b2, n2, &bad);
        FZ_CHECK(st != CXM_OUT_OF_MEMORY, f, "a batch allocated");
        cxm_status st_each = f->feed_each(each, b2, n2);
        if (st != CXM_OK) {
            FZ_CHECK(fz_same(f, a, before, len), f, "rejected batch changed the accumulator");
            FZ_CHECK(st_each != CXM_OK, f, "batch refused, its single adds accepted");
        } else {
            FZ_CHECK(st_each == CXM_OK, f, "batch accepted, its single adds refused");
            FZ_CHECK(fz_equal(f, a, each), f, "add_many != repeated add");
            FZ_CHECK(f->events(a) == f->events(each) && f->events(a) >= e0, f,
                     "event count did not grow by the batch");
        }
        free(before);
        f->destroy(each);
    }
    fz_summary(f, a, NULL);
    fz_roundtrip(f, a);
    f->destroy(a);
    f->destroy(empty);
    return 0;
}
