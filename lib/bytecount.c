/*
 * bytecount.c — validate-and-count kernel for batches of byte scores.
 */
#include <string.h>

#include "bytecount.h"

static size_t first_bad(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < lo || p[i] > hi)
            return i;
    return n;
}

int cxm_bytecount_scalar(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi,
                         const uint8_t *cuts, unsigned ncuts, uint64_t *le, size_t *bad)
{
    /* A histogram then a prefix over the cuts: one pass, no branch per cut. */
    uint64_t hist[256];
    memset(hist, 0, sizeof hist);
    for (size_t i = 0; i < n; i++)
        hist[p[i]]++;
    for (unsigned v = 0; v < 256; v++) {
        if (hist[v] && (v < lo || v > hi)) {
            *bad = first_bad(p, n, lo, hi);
            return 0;
        }
    }
    for (unsigned k = 0; k < ncuts; k++) {
        uint64_t c = 0;
        for (unsigned v = 0; v <= cuts[k]; v++)
            c += hist[v];
        le[k] = c;
    }
    return 1;
}

int cxm_bytecount(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, const uint8_t *cuts,
                  unsigned ncuts, uint64_t *le, size_t *bad)
{
    return cxm_bytecount_scalar(p, n, lo, hi, cuts, ncuts, le, bad);
}
