/*
 * bytecount.h — the batch kernel behind every add_many of byte scores:
 * validate and count in one pass, so a batch with a bad byte is rejected
 * whole without a second read of the data.
 */
#ifndef CXM_BYTECOUNT_H
#define CXM_BYTECOUNT_H

#include <stddef.h>
#include <stdint.h>

#define CXM_BYTECOUNT_MAX_CUTS 16u

/*
 * For bytes p[0..n): if any lies outside [lo, hi], returns 0 and sets *bad to
 * the index of the first one (le is then unspecified). Otherwise returns 1
 * and sets le[k] to the number of bytes <= cuts[k] for each of the ncuts
 * (<= 16) cuts. Uses the fastest path this CPU runs (see bytecount.c).
 */
int cxm_bytecount(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, const uint8_t *cuts,
                  unsigned ncuts, uint64_t *le, size_t *bad);

/*
 * For wide ranges, where counting at every cut would take one compare per
 * cut and byte: if a byte of p[0..n) lies outside [lo, hi] (lo <= hi),
 * returns 0 and sets *bad to the first such index (counts is then
 * unspecified); otherwise returns 1 and sets counts[v - lo] to the number of
 * bytes equal to v, for v in lo..hi. One pass. Dispatched like
 * cxm_bytecount: the portable path fills four interleaved histograms; the
 * AVX2 path (also taken on AVX-512BW, which has no histogram of its own)
 * counts ranges of up to 101 values two bytes per table increment, from
 * 32 KiB up (bytecount.c).
 */
int cxm_bytehist(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, uint64_t *counts, size_t *bad);

/* The portable histogram, always compiled; tests hold every other path to it. */
int cxm_bytehist_scalar(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, uint64_t *counts,
                        size_t *bad);

typedef int (*cxm_bytehist_fn)(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, uint64_t *counts,
                               size_t *bad);

/*
 * The histogram paths compiled into this build that this CPU runs, the
 * scalar one first (as cxm_bytecount_paths). For tests and benchmarks.
 */
size_t cxm_bytehist_paths(const char **names, cxm_bytehist_fn *fns, size_t cap);

/*
 * For tests: the AVX2 histogram whatever the batch size (from one check
 * block of 4 KiB up), its 32-bit cells folded into the 64-bit counts every
 * `fold` bytes (rounded to whole check blocks) instead of every 2 GiB, so
 * that a test reaches many folds with little data. The portable path where
 * the CPU or the range does not allow the AVX2 one.
 */
int cxm_bytehist_folded(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, uint64_t *counts,
                        size_t *bad, size_t fold);

/* Paths of the kernel; AUTO means "the fastest this CPU runs". */
typedef enum cxm_bytecount_path {
    CXM_BYTECOUNT_AUTO = 0,
    CXM_BYTECOUNT_PORTABLE = 1,
    CXM_BYTECOUNT_AVX2 = 2,
    CXM_BYTECOUNT_AVX512BW = 3,
} cxm_bytecount_path;

/*
 * The path cxm_bytecount takes now for a batch of n bytes: below the
 * vector threshold the portable one; otherwise the one the environment
 * variable CXM_SIMD forces (portable, avx2, avx512bw) if this CPU runs it,
 * else the fastest. Read on every call (bytecount.c says why); for tests.
 */
cxm_bytecount_path cxm_bytecount_choose(size_t n);

/* The portable path, always compiled; tests hold every other path to it. */
int cxm_bytecount_scalar(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, const uint8_t *cuts,
                         unsigned ncuts, uint64_t *le, size_t *bad);

typedef int (*cxm_bytecount_fn)(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi,
                                const uint8_t *cuts, unsigned ncuts, uint64_t *le, size_t *bad);

/*
 * The paths compiled into this build that this CPU can run, the scalar one
 * first: stores up to `cap` names and functions, returns how many there are.
 * For tests (every path against the scalar one) and benchmarks.
 */
size_t cxm_bytecount_paths(const char **names, cxm_bytecount_fn *fns, size_t cap);

#endif
