/*
 * fuzz_bytehist.c — the per-value histogram of wide scales
 * (lib/bytecount.c, cxm_bytehist) against a naive loop, on batches long
 * enough for its vector path, which the family harnesses (at most 4 KiB of
 * input) never reach. Input: byte 0 is lo, byte 1 the span of the range
 * (1 to 128 values: the pair table's 101 and beyond), bytes 2-3 the length
 * beyond 16 KiB (16 to 80 KiB, across the vector path's 32 KiB), byte 4
 * how many bad bytes to plant (0 to 3), then 4 bytes per plant (a position
 * and a value), then a pattern repeated over the batch and mapped into the
 * range. Every path, the dispatcher and the vector path folding every 4 KiB
 * must give the naive counts, or refuse at the same first bad index.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytecount.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE ((size_t)16 << 10)
#define MAX_N (BASE + 65536)
#define MAX_PATHS 8

static uint8_t batch[MAX_N];

static void check(int ok, size_t bad, const uint64_t *counts, int want_ok, size_t want_bad,
                  const uint64_t *want, unsigned span, const char *path, size_t n)
{
    if (ok != want_ok || (!ok && bad != want_bad) ||
        (ok && memcmp(counts, want, span * sizeof want[0]) != 0)) {
        fprintf(stderr, "bytehist %s: n=%zu span=%u ok=%d/%d bad=%zu/%zu\n", path, n, span, ok,
                want_ok, bad, want_bad);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5) return 0;
    const uint8_t lo = data[0];
    const unsigned span = 1u + data[1] % 128u;
    if ((unsigned)lo + span - 1u > 255u) return 0;
    const uint8_t hi = (uint8_t)(lo + span - 1u);
    const size_t n = BASE + (size_t)(data[2] | data[3] << 8);
    const unsigned plants = data[4] % 4u;
    size_t at = 5;
    if (size < at + 4 * (size_t)plants) return 0;
    const uint8_t *plant = data + at;
    at += 4 * (size_t)plants;
    const uint8_t *pattern = data + at;
    const size_t plen = size - at;
    for (size_t i = 0; i < n; i++)
        batch[i] = (uint8_t)(lo + (plen ? pattern[i % plen] : 0) % span);
    for (unsigned k = 0; k < plants; k++) {
        size_t pos = (size_t)(plant[4 * k] | plant[4 * k + 1] << 8 | plant[4 * k + 2] << 16) % n;
        batch[pos] = plant[4 * k + 3];
    }

    uint64_t want[256] = {0}, counts[256];
    size_t want_bad = 0, bad;
    int want_ok = 1;
    for (size_t i = 0; i < n && want_ok; i++) {
        if (batch[i] < lo || batch[i] > hi) {
            want_ok = 0;
            want_bad = i;
        } else {
            want[batch[i] - lo]++;
        }
    }
    const char *names[MAX_PATHS];
    cxm_bytehist_fn fns[MAX_PATHS];
    size_t np = cxm_bytehist_paths(names, fns, MAX_PATHS);
    np = np < MAX_PATHS ? np : MAX_PATHS;
    for (size_t f = 0; f < np; f++) {
        bad = (size_t)-1;
        int ok = fns[f](batch, n, lo, hi, counts, &bad);
        check(ok, bad, counts, want_ok, want_bad, want, span, names[f], n);
    }
    bad = (size_t)-1;
    check(cxm_bytehist(batch, n, lo, hi, counts, &bad), bad, counts, want_ok, want_bad, want, span,
          "dispatch", n);
    bad = (size_t)-1;
    check(cxm_bytehist_folded(batch, n, lo, hi, counts, &bad, 4096), bad, counts, want_ok, want_bad,
          want, span, "folded", n);
    return 0;
}
