/*
 * bytecount.c — validate-and-count kernel for batches of byte scores: one
 * read of the data both proves that every byte lies in [lo, hi] and counts
 * the bytes at or below each cut.
 *
 * Three paths give the same exact 64-bit counts: the portable one (always
 * compiled: 64-bit words as eight byte lanes for ranges within 0..127,
 * four interleaved histograms otherwise), AVX2 and AVX-512BW (x86-64 with
 * gcc or clang; other targets compile the portable path only). The
 * per-value histogram of wide ranges (cxm_bytehist, up to 101 values: a
 * 0-100 scale) has a portable and an AVX2 path, the latter also taken where
 * the CPU has AVX-512BW; the same variable forces it. The vector path
 * is chosen on every call from what the CPU reports through
 * __builtin_cpu_supports: a load and a bit test of the CPU description that
 * the compiler runtime fills once at load time, before any constructor of
 * ours runs. Nothing is cached here, so the library keeps no mutable state
 * of its own (no function pointer patched on first use, no race between
 * threads calling for the first time), and the check costs about a
 * nanosecond against the microseconds of any batch large enough to use it.
 *
 * Forcing a path (tests, fuzzers, CI): the environment variable CXM_SIMD,
 * read on every call that is large enough to dispatch (never cached, so a
 * test may change it between calls), picks the path:
 *     CXM_SIMD=portable   the portable path (also: scalar)
 *     CXM_SIMD=avx2       AVX2, if this CPU has it
 *     CXM_SIMD=avx512bw   AVX-512BW, if this CPU has it
 * Unset, empty, "auto", an unknown name or a path this CPU lacks: the
 * fastest path the CPU runs, as without the variable. Every path gives the
 * same exact counts, so the variable changes speed, never a result, and no
 * API call can change which path runs. Reading it costs one getenv per
 * batch of SMALL_BATCH bytes or more.
 */
#include <stdlib.h>
#include <string.h>

#include "bytecount.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CXM_BYTECOUNT_X86 1
#include <immintrin.h>
#else
#define CXM_BYTECOUNT_X86 0
#endif

/* Below this many bytes a plain loop beats setting up tables or vectors. */
#define SMALL_BATCH 128u
/*
 * The scalar path counts into 32-bit histograms; a chunk of this many bytes
 * puts at most 2^28 into any of its four tables, far from overflowing.
 */
#define SCALAR_CHUNK ((size_t)1 << 30)
/* A vector lane of byte counters takes at most 255 increments before a fold. */
#define LANE_MAX 255u
/* Cuts counted per pass over a block (the rest of the cuts re-read it from L1). */
#define GROUP 8u
/*
 * Bytes ahead to prefetch: the hardware prefetcher alone leaves a quarter of
 * the memory bandwidth unused on a large batch. A prefetch never faults, so
 * running past the end of the batch is harmless; the address is formed as an
 * integer because pointer arithmetic past the end of an array is undefined.
 */
#define PREFETCH 4096u

static size_t first_bad(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < lo || p[i] > hi) return i;
    return n;
}

/* The plain loop: short batches and the tails of the vector paths. */
static int count_small(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, const uint8_t *cuts,
                       unsigned ncuts, uint64_t *le, size_t *bad)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t b = p[i];
        if (b < lo || b > hi) {
            *bad = i;
            return 0;
        }
        for (unsigned k = 0; k < ncuts; k++)
            le[k] += b <= cuts[k];
    }
    return 1;
}

/*
 * Four histograms filled round-robin: consecutive equal bytes increment
 * different counters, so the loop is not serialised on one memory location.
 * Bytes are read eight at a time.
 */
static void histogram4(const uint8_t *p, size_t n, uint32_t h[4][256])
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        h[0][w & 0xFF]++;
        h[1][(w >> 8) & 0xFF]++;
        h[2][(w >> 16) & 0xFF]++;
        h[3][(w >> 24) & 0xFF]++;
        h[0][(w >> 32) & 0xFF]++;
        h[1][(w >> 40) & 0xFF]++;
        h[2][(w >> 48) & 0xFF]++;
        h[3][w >> 56]++;
    }
    for (; i < n; i++)
        h[0][p[i]]++;
}

/*
 * The four histograms of p[0..n) added into count[0..256), validated from
 * their counts: a count outside [lo, hi] is a bad byte (0 and *bad set).
 */
static int histogram_checked(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, uint64_t *count,
                             size_t *bad)
{
    uint32_t h[4][256];
    for (size_t at = 0; at < n; at += SCALAR_CHUNK) {
        size_t m = n - at < SCALAR_CHUNK ? n - at : SCALAR_CHUNK;
        memset(h, 0, sizeof h);
        histogram4(p + at, m, h);
        int ok = 1;
        for (unsigned v = 0; v < 256; v++) {
            uint64_t c = (uint64_t)h[0][v] + h[1][v] + h[2][v] + h[3][v];
            ok &= c == 0 || (v >= lo && v <= hi);
            count[v] += c;
        }
        if (!ok) {
            *bad = at + first_bad(p + at, m, lo, hi);
            return 0;
        }
    }
    return 1;
}

/* Any range, any cuts: the histograms, validated from their counts. */
static int count_histogram(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, const uint8_t *cuts,
                           unsigned ncuts, uint64_t *le, size_t *bad)
{
    uint64_t count[256] = {0}, cum[256], run = 0;
    if (!histogram_checked(p, n, lo, hi, count, bad)) return 0;
    for (unsigned v = 0; v < 256; v++)
        cum[v] = run += count[v];
    for (unsigned k = 0; k < ncuts; k++)
        le[k] += cum[cuts[k]];
    return 1;
}

int cxm_bytehist_scalar(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, uint64_t *counts,
                        size_t *bad)
{
    uint64_t count[256] = {0};
    if (n < SMALL_BATCH) {
        size_t i = first_bad(p, n, lo, hi);
        if (i < n) {
            *bad = i;
            return 0;
        }
        for (i = 0; i < n; i++)
            count[p[i]]++;
    } else if (!histogram_checked(p, n, lo, hi, count, bad)) {
        return 0;
    }
    for (unsigned v = lo; v <= hi; v++)
        counts[v - lo] = count[v];
    return 1;
}

/*
 * Ranges within 0..127 (every scale the library has): eight bytes per
 * 64-bit word, no tables. Once every byte is known to be <= 127, adding
 * 127 - c to each byte sets its top bit exactly when the byte is above c,
 * with no carry into the next byte; the top bits are summed in byte lanes
 * (255 words at most per block) and folded into the count.
 */
#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u
#define SWAR_BLOCK 255u /* words per block: a byte lane counts at most 255 */

/* Sum of the eight byte lanes of w. */
static uint64_t swar_fold(uint64_t w)
{
    w = (w & 0x00FF00FF00FF00FFu) + ((w >> 8) & 0x00FF00FF00FF00FFu);
    return (w * 0x0001000100010001u) >> 48;
}

/* 0 if a byte of the words lies outside [lo, hi] (hi <= 127): the classic
 * "has a byte less than / more than" word tests, accumulated over the block. */
static int swar_valid(const uint8_t *p, size_t nw, uint8_t lo, uint8_t hi)
{
    uint64_t more = 0, less = 0;
    const uint64_t up = ONES * (127u - hi), down = ONES * lo;
    for (size_t i = 0; i < nw; i++) {
        uint64_t w;
        memcpy(&w, p + 8 * i, sizeof w);
        more |= (w + up) | w;
        less |= (w - down) & ~w;
    }
    return ((more | (lo ? less : 0)) & HIGHS) == 0;
}

/* Bytes above c (c <= 127) in words known to hold bytes <= 127 only. */
static uint64_t swar_above(const uint8_t *p, size_t nw, uint8_t c)
{
    uint64_t lanes = 0;
    const uint64_t up = ONES * (127u - c);
    for (size_t i = 0; i < nw; i++) {
        uint64_t w;
        memcpy(&w, p + 8 * i, sizeof w);
        lanes += ((w + up) & HIGHS) >> 7;
    }
    return swar_fold(lanes);
}

static int count_swar(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, const uint8_t *cuts,
                      unsigned ncuts, uint64_t *le, size_t *bad)
{
    size_t body = n - n % 8;
    for (size_t at = 0; at < body; at += 8 * SWAR_BLOCK) {
        size_t nw = (body - at) / 8 < SWAR_BLOCK ? (body - at) / 8 : SWAR_BLOCK;
        if (!swar_valid(p + at, nw, lo, hi)) {
            *bad = at + first_bad(p + at, n - at, lo, hi);
            return 0;
        }
        for (unsigned k = 0; k < ncuts; k++) {
            /* A cut at or above 127 counts every (valid) byte. */
            uint8_t c = cuts[k] < 127 ? cuts[k] : 127;
            le[k] += 8 * nw - swar_above(p + at, nw, c);
        }
    }
    size_t tail_bad;
    if (!count_small(p + body, n - body, lo, hi, cuts, ncuts, le, &tail_bad)) {
        *bad = body + tail_bad;
        return 0;
    }
    return 1;
}

int cxm_bytecount_scalar(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, const uint8_t *cuts,
                         unsigned ncuts, uint64_t *le, size_t *bad)
{
    for (unsigned k = 0; k < ncuts; k++)
        le[k] = 0;
    if (n < SMALL_BATCH) return count_small(p, n, lo, hi, cuts, ncuts, le, bad);
    if (hi <= 127 && lo <= hi) return count_swar(p, n, lo, hi, cuts, ncuts, le, bad);
    return count_histogram(p, n, lo, hi, cuts, ncuts, le, bad);
}

#if CXM_BYTECOUNT_X86

/*
 * Both vector paths work in blocks of at most 255 vectors: per cut, a
 * vector of byte counters gains one for each byte above the cut, and is
 * folded into 64-bit sums (sum of absolute differences against zero) at the
 * end of the block. The running minimum and maximum of the block validate
 * it; a block with a bad byte sends the caller back to find the first one.
 * Cuts beyond the first four are counted by further passes over the block,
 * which is then in L1: memory is still read once.
 */

static inline const char *ahead(const uint8_t *p)
{
    return (const char *)(uintptr_t)((uintptr_t)p + PREFETCH);
}

#define AVX2_FN __attribute__((target("avx2")))
#define AVX2_INLINE static inline __attribute__((always_inline, target("avx2")))

/* Unsigned comparison through signed instructions: flip the top bit. */
AVX2_INLINE __m256i avx2_biased(__m256i x)
{
    return _mm256_xor_si256(x, _mm256_set1_epi8(-128));
}

AVX2_INLINE uint64_t avx2_hsum64(__m256i v)
{
    __m128i s = _mm_add_epi64(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    return (uint64_t)_mm_cvtsi128_si64(s) + (uint64_t)_mm_extract_epi64(s, 1);
}

/* Returns 0 if a byte of the block lies outside [lo, hi]; else adds to gt[k]. */
AVX2_INLINE int avx2_block(const uint8_t *p, size_t nv, __m256i lob, __m256i hib,
                           const uint8_t *cuts, unsigned nc, uint64_t *gt, int check)
{
    __m256i cb[GROUP], acc[GROUP];
    for (unsigned k = 0; k < nc; k++) {
        cb[k] = avx2_biased(_mm256_set1_epi8((char)cuts[k]));
        acc[k] = _mm256_setzero_si256();
    }
    __m256i mn = _mm256_set1_epi8(127), mx = _mm256_set1_epi8(-128);
    for (size_t v = 0; v < nv; v++) {
        _mm_prefetch(ahead(p + 32 * v), _MM_HINT_T0);
        __m256i x = avx2_biased(_mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * v)));
        if (check) {
            mn = _mm256_min_epi8(mn, x);
            mx = _mm256_max_epi8(mx, x);
        }
        /* Unrolled, so the counters stay in registers (gcc 12 otherwise keeps
         * three or four of them on the stack: a quarter of the speed). */
#pragma GCC unroll 8
        for (unsigned k = 0; k < nc; k++)
            acc[k] = _mm256_sub_epi8(acc[k], _mm256_cmpgt_epi8(x, cb[k]));
    }
    __m256i out = _mm256_or_si256(_mm256_cmpgt_epi8(lob, mn), _mm256_cmpgt_epi8(mx, hib));
    if (_mm256_movemask_epi8(out) != 0) return 0;
    for (unsigned k = 0; k < nc; k++)
        gt[k] += avx2_hsum64(_mm256_sad_epu8(acc[k], _mm256_setzero_si256()));
    return 1;
}

/* Both widths instantiate their block for each group size as a constant. */
#define BY_GROUP_SIZE(nc, call)                                                                    \
    ((nc) == 0   ? call(0)                                                                         \
     : (nc) == 1 ? call(1)                                                                         \
     : (nc) == 2 ? call(2)                                                                         \
     : (nc) == 3 ? call(3)                                                                         \
     : (nc) == 4 ? call(4)                                                                         \
     : (nc) == 5 ? call(5)                                                                         \
     : (nc) == 6 ? call(6)                                                                         \
     : (nc) == 7 ? call(7)                                                                         \
                 : call(8))

AVX2_FN static int avx2_group(const uint8_t *p, size_t nv, uint8_t lo, uint8_t hi,
                              const uint8_t *cuts, unsigned nc, uint64_t *gt)
{
    __m256i lob = avx2_biased(_mm256_set1_epi8((char)lo));
    __m256i hib = avx2_biased(_mm256_set1_epi8((char)hi));
    /* [0, 255] holds every byte: the later passes over a block skip the check. */
    int check = lo != 0 || hi != 255;
#define AVX2_BLOCK(c)                                                                              \
    (check ? avx2_block(p, nv, lob, hib, cuts, c, gt, 1)                                           \
           : avx2_block(p, nv, lob, hib, cuts, c, gt, 0))
    return BY_GROUP_SIZE(nc, AVX2_BLOCK);
#undef AVX2_BLOCK
}

/*
 * Wide scales (up to PAIR_SPAN points, a 0-100 scale) in AVX2: the bytes are
 * counted two at a time. A compare per point and vector would take 101
 * compares per 32 bytes, and one table increment per byte (the portable
 * path) runs at under a byte per cycle, bound by the loads and stores of
 * the increments. Here each 16-bit lane of a vector turns its two bytes
 * (a, b), taken from lo, into the index of the unordered pair {a, b}, so
 * that one 32-bit increment counts two bytes, in a table that stays in L1
 * (5,253 cells and 1,632 for the copies of the diagonal: 27 KiB):
 *   a != b:  max(a, b) * (max(a, b) + 1) / 2 + min(a, b)   (a triangle)
 *   a == b:  PAIR_TRI + a * 16 + lane    (16 copies of the diagonal)
 * The diagonal goes to a copy per lane because a run of one score (a scale
 * where most answer 100) would otherwise increment one cell back to back,
 * each increment waiting for the store of the previous one; the same
 * happens, to a lesser degree, for a pair of scores that dominates.
 * A block of PAIR_BLOCK bytes is turned into indices, then counted; its
 * bytes are first clamped to at most `w` (a byte outside the range lands in
 * the extra row w, never outside the table), and the running minimum and
 * maximum validate every PAIR_CHECK bytes: nothing reaches the caller's
 * counts before the whole batch is valid, so a bad byte changes nothing and
 * is found by the scalar scan from the start of its check block, which
 * gives the first bad index as the portable path does. The 32-bit cells are
 * folded into 64-bit counts every `fold` bytes (2^30 pairs at most, so no
 * cell can wrap) and at the end. The table is on the stack; clearing and
 * folding it is a fixed cost per call, which the portable path matched at
 * 16 KiB batches when measured: batches below PAIR_MIN_BATCH take that.
 */
#define PAIR_SPAN 101u                                 /* 0..100 */
#define PAIR_ROWS (PAIR_SPAN + 1u)                     /* + the row of clamped bad bytes */
#define PAIR_TRI (PAIR_ROWS * (PAIR_ROWS + 1u) / 2u)   /* cells of the triangle */
#define PAIR_LANES 16u                                 /* 16-bit lanes of a vector */
#define PAIR_CELLS (PAIR_TRI + PAIR_ROWS * PAIR_LANES) /* + the diagonal's copies */
#define PAIR_BLOCK 256u                                /* bytes indexed, then counted */
#define PAIR_CHECK 4096u                               /* bytes per validation */
#define PAIR_FOLD ((size_t)1 << 31)                    /* bytes per fold: 2^30 pairs */
#define PAIR_MIN_BATCH ((size_t)32 << 10)

/*
 * Adds the cells of the table into count[0..w) (values from lo) and clears
 * it: a cell {lo, hi} counts once for each of its two values, so each row
 * of the triangle is added into the counts of its lower values (four at a
 * time, widened to 64 bits) and its sum into the count of its own. A pair
 * on the diagonal is two bytes of one value.
 */
AVX2_INLINE void pair_fold(uint32_t *tab, unsigned w, uint64_t *count)
{
    for (unsigned hi = 0, t = 0; hi < w; t += hi + 1, hi++) {
        __m256i row = _mm256_setzero_si256();
        unsigned lo = 0;
        for (; lo + 4 <= hi + 1; lo += 4) {
            __m256i c = _mm256_cvtepu32_epi64(
                _mm_loadu_si128((const __m128i *)(const void *)(tab + t + lo)));
            __m256i *dst = (__m256i *)(void *)(count + lo);
            row = _mm256_add_epi64(row, c);
            _mm256_storeu_si256(dst, _mm256_add_epi64(_mm256_loadu_si256(dst), c));
        }
        uint64_t sum = avx2_hsum64(row);
        for (; lo <= hi; lo++) {
            sum += tab[t + lo];
            count[lo] += tab[t + lo];
        }
        count[hi] += sum;
    }
    for (unsigned a = 0; a < w; a++) {
        const uint32_t *copies = tab + PAIR_TRI + a * PAIR_LANES;
        uint64_t same = 0;
        for (unsigned l = 0; l < PAIR_LANES; l++)
            same += copies[l];
        count[a] += 2 * same;
    }
    memset(tab, 0, PAIR_CELLS * sizeof tab[0]);
}

/* The pair indices of one 32-byte vector (see above); y = bytes - lo, clamped. */
AVX2_INLINE __m256i avx2_pair_index(__m256i y)
{
    const __m256i low = _mm256_set1_epi16(0xFF), one = _mm256_set1_epi16(1);
    const __m256i diag = _mm256_setr_epi16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m256i a = _mm256_and_si256(y, low), b = _mm256_srli_epi16(y, 8);
    __m256i mn = _mm256_min_epi16(a, b), mx = _mm256_max_epi16(a, b);
    __m256i tri = _mm256_srli_epi16(_mm256_mullo_epi16(mx, _mm256_add_epi16(mx, one)), 1);
    __m256i off = _mm256_add_epi16(tri, mn);
    __m256i on = _mm256_add_epi16(_mm256_add_epi16(diag, _mm256_set1_epi16((short)PAIR_TRI)),
                                  _mm256_slli_epi16(a, 4));
    return _mm256_blendv_epi8(off, on, _mm256_cmpeq_epi16(a, b));
}

AVX2_FN static int avx2_hist_pairs(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi,
                                   uint64_t *counts, size_t *bad, size_t fold)
{
    const unsigned w = (unsigned)hi - lo + 1u;
    uint32_t tab[PAIR_CELLS];
    uint16_t idx[PAIR_BLOCK / 2];
    uint64_t count[PAIR_SPAN] = {0};
    const __m256i lov = _mm256_set1_epi8((char)lo), hiv = _mm256_set1_epi8((char)hi);
    const __m256i wv = _mm256_set1_epi8((char)w);
    memset(tab, 0, sizeof tab);
    const size_t body = n - n % PAIR_CHECK;
    size_t since_fold = 0;
    for (size_t at = 0; at < body; at += PAIR_CHECK) {
        __m256i mn = _mm256_set1_epi8(-1), mx = _mm256_setzero_si256();
        for (size_t b = at; b < at + PAIR_CHECK; b += PAIR_BLOCK) {
            for (size_t v = 0; v < PAIR_BLOCK; v += 32) {
                _mm_prefetch(ahead(p + b + v), _MM_HINT_T0);
                __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(p + b + v));
                mn = _mm256_min_epu8(mn, x);
                mx = _mm256_max_epu8(mx, x);
                __m256i y = _mm256_min_epu8(_mm256_sub_epi8(x, lov), wv);
                _mm256_storeu_si256((__m256i *)(void *)(idx + v / 2), avx2_pair_index(y));
            }
            /* Four indices per load, split in registers: a few percent faster than
             * one load per index (each increment is a load and a store already). */
            for (size_t j = 0; j < PAIR_BLOCK / 2; j += 4) {
                uint64_t q;
                memcpy(&q, idx + j, sizeof q);
                tab[q & 0xFFFF]++;
                tab[(q >> 16) & 0xFFFF]++;
                tab[(q >> 32) & 0xFFFF]++;
                tab[q >> 48]++;
            }
        }
        __m256i in = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_max_epu8(mn, lov), mn),
                                      _mm256_cmpeq_epi8(_mm256_min_epu8(mx, hiv), mx));
        if ((unsigned)_mm256_movemask_epi8(in) != 0xFFFFFFFFu) {
            *bad = at + first_bad(p + at, n - at, lo, hi);
            return 0;
        }
        if ((since_fold += PAIR_CHECK) >= fold) {
            pair_fold(tab, w, count);
            since_fold = 0;
        }
    }
    size_t i = first_bad(p + body, n - body, lo, hi);
    if (i < n - body) {
        *bad = body + i;
        return 0;
    }
    pair_fold(tab, w, count);
    for (i = body; i < n; i++)
        count[p[i] - lo]++;
    memcpy(counts, count, w * sizeof count[0]);
    return 1;
}

/* The AVX2 histogram for the ranges and sizes it is built for, else the portable one. */
static int cxm_bytehist_avx2(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, uint64_t *counts,
                             size_t *bad)
{
    if (n < PAIR_MIN_BATCH || lo > hi || (unsigned)hi - lo >= PAIR_SPAN)
        return cxm_bytehist_scalar(p, n, lo, hi, counts, bad);
    return avx2_hist_pairs(p, n, lo, hi, counts, bad, PAIR_FOLD);
}

#define AVX512_FN __attribute__((target("avx512bw")))
#define AVX512_INLINE static inline __attribute__((always_inline, target("avx512bw")))

AVX512_INLINE int avx512_block(const uint8_t *p, size_t nv, __m512i lov, __m512i hiv,
                               const uint8_t *cuts, unsigned nc, uint64_t *gt, int check)
{
    const __m512i one = _mm512_set1_epi8(1);
    __m512i cb[GROUP], acc[GROUP];
    for (unsigned k = 0; k < nc; k++) {
        cb[k] = _mm512_set1_epi8((char)cuts[k]);
        acc[k] = _mm512_setzero_si512();
    }
    __m512i mn = _mm512_set1_epi8(-1), mx = _mm512_setzero_si512();
    for (size_t v = 0; v < nv; v++) {
        _mm_prefetch(ahead(p + 64 * v), _MM_HINT_T0);
        __m512i x = _mm512_loadu_si512((const void *)(p + 64 * v));
        if (check) {
            mn = _mm512_min_epu8(mn, x);
            mx = _mm512_max_epu8(mx, x);
        }
#pragma GCC unroll 8
        for (unsigned k = 0; k < nc; k++)
            acc[k] = _mm512_mask_add_epi8(acc[k], _mm512_cmpgt_epu8_mask(x, cb[k]), acc[k], one);
    }
    if ((_mm512_cmplt_epu8_mask(mn, lov) | _mm512_cmpgt_epu8_mask(mx, hiv)) != 0) return 0;
    for (unsigned k = 0; k < nc; k++)
        gt[k] += (uint64_t)_mm512_reduce_add_epi64(_mm512_sad_epu8(acc[k], _mm512_setzero_si512()));
    return 1;
}

AVX512_FN static int avx512_group(const uint8_t *p, size_t nv, uint8_t lo, uint8_t hi,
                                  const uint8_t *cuts, unsigned nc, uint64_t *gt)
{
    __m512i lov = _mm512_set1_epi8((char)lo), hiv = _mm512_set1_epi8((char)hi);
    int check = lo != 0 || hi != 255;
#define AVX512_BLOCK(c)                                                                            \
    (check ? avx512_block(p, nv, lov, hiv, cuts, c, gt, 1)                                         \
           : avx512_block(p, nv, lov, hiv, cuts, c, gt, 0))
    return BY_GROUP_SIZE(nc, AVX512_BLOCK);
#undef AVX512_BLOCK
}

/*
 * One block of at most 255 vectors of `width` bytes and at most GROUP cuts:
 * 0 if a byte lies outside [lo, hi], else gt[k] += bytes above cuts[k].
 */
typedef int (*block_fn)(const uint8_t *p, size_t nv, uint8_t lo, uint8_t hi, const uint8_t *cuts,
                        unsigned nc, uint64_t *gt);

/* The driver both vector paths share: blocks, groups of cuts, the tail. */
static int vector_count(block_fn block, size_t width, const uint8_t *p, size_t n, uint8_t lo,
                        uint8_t hi, const uint8_t *cuts, unsigned ncuts, uint64_t *le, size_t *bad)
{
    uint64_t gt[CXM_BYTECOUNT_MAX_CUTS] = {0};
    size_t body = n - n % width;
    for (size_t at = 0; at < body; at += width * LANE_MAX) {
        size_t nv = (body - at) / width < LANE_MAX ? (body - at) / width : LANE_MAX;
        unsigned k = 0, passes = (ncuts + GROUP - 1) / GROUP;
        do {
            /* Cuts shared evenly between the passes (10 cuts: 5 + 5, not 8 + 2). */
            unsigned left = passes > 0 ? passes-- : 1;
            unsigned nc = (ncuts - k + left - 1) / left;
            /* The first pass over the block validates it; the others only count. */
            uint8_t plo = k == 0 ? lo : 0, phi = k == 0 ? hi : 255;
            if (!block(p + at, nv, plo, phi, cuts + k, nc, gt + k)) {
                *bad = at + first_bad(p + at, n - at, lo, hi);
                return 0;
            }
            k += nc;
        } while (k < ncuts);
    }
    for (unsigned k = 0; k < ncuts; k++)
        le[k] = body - gt[k];
    size_t tail_bad;
    if (!count_small(p + body, n - body, lo, hi, cuts, ncuts, le, &tail_bad)) {
        *bad = body + tail_bad;
        return 0;
    }
    return 1;
}

static int cxm_bytecount_avx2(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi,
                              const uint8_t *cuts, unsigned ncuts, uint64_t *le, size_t *bad)
{
    return vector_count(avx2_group, 32, p, n, lo, hi, cuts, ncuts, le, bad);
}

static int cxm_bytecount_avx512(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi,
                                const uint8_t *cuts, unsigned ncuts, uint64_t *le, size_t *bad)
{
    return vector_count(avx512_group, 64, p, n, lo, hi, cuts, ncuts, le, bad);
}

static int have_avx2(void)
{
    return __builtin_cpu_supports("avx2");
}
/* The compiler runtime reports AVX-512 only when the OS saves its registers. */
static int have_avx512(void)
{
    return __builtin_cpu_supports("avx512bw");
}

#endif /* CXM_BYTECOUNT_X86 */

#if CXM_BYTECOUNT_X86
/* The path CXM_SIMD asks for (see the top of the file); only x86 has a choice. */
static cxm_bytecount_path forced_path(void)
{
    const char *v = getenv("CXM_SIMD");
    if (!v) return CXM_BYTECOUNT_AUTO;
    if (strcmp(v, "portable") == 0 || strcmp(v, "scalar") == 0) return CXM_BYTECOUNT_PORTABLE;
    if (strcmp(v, "avx2") == 0) return CXM_BYTECOUNT_AVX2;
    if (strcmp(v, "avx512bw") == 0) return CXM_BYTECOUNT_AVX512BW;
    return CXM_BYTECOUNT_AUTO;
}
#endif

cxm_bytecount_path cxm_bytecount_choose(size_t n)
{
    if (n < SMALL_BATCH) return CXM_BYTECOUNT_PORTABLE;
#if CXM_BYTECOUNT_X86
    cxm_bytecount_path want = forced_path();
    if (want == CXM_BYTECOUNT_PORTABLE) return CXM_BYTECOUNT_PORTABLE;
    const int avx512 = have_avx512(), avx2 = have_avx2();
    if (want == CXM_BYTECOUNT_AVX2 && avx2) return CXM_BYTECOUNT_AVX2;
    if (want == CXM_BYTECOUNT_AVX512BW && avx512) return CXM_BYTECOUNT_AVX512BW;
    if (avx512) return CXM_BYTECOUNT_AVX512BW;
    if (avx2) return CXM_BYTECOUNT_AVX2;
#endif
    return CXM_BYTECOUNT_PORTABLE;
}

int cxm_bytecount(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, const uint8_t *cuts,
                  unsigned ncuts, uint64_t *le, size_t *bad)
{
    switch (cxm_bytecount_choose(n)) {
#if CXM_BYTECOUNT_X86
    case CXM_BYTECOUNT_AVX512BW: return cxm_bytecount_avx512(p, n, lo, hi, cuts, ncuts, le, bad);
    case CXM_BYTECOUNT_AVX2: return cxm_bytecount_avx2(p, n, lo, hi, cuts, ncuts, le, bad);
#endif
    default: return cxm_bytecount_scalar(p, n, lo, hi, cuts, ncuts, le, bad);
    }
}

size_t cxm_bytecount_paths(const char **names, cxm_bytecount_fn *fns, size_t cap)
{
    size_t count = 0;
#define CXM_PATH(name_, fn_)                                                                       \
    do {                                                                                           \
        if (count < cap) {                                                                         \
            names[count] = name_;                                                                  \
            fns[count] = fn_;                                                                      \
        }                                                                                          \
        count++;                                                                                   \
    } while (0)
    CXM_PATH("scalar", cxm_bytecount_scalar);
#if CXM_BYTECOUNT_X86
    if (have_avx2()) CXM_PATH("avx2", cxm_bytecount_avx2);
    if (have_avx512()) CXM_PATH("avx512bw", cxm_bytecount_avx512);
#endif
#undef CXM_PATH
    return count;
}

int cxm_bytehist(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, uint64_t *counts, size_t *bad)
{
    switch (cxm_bytecount_choose(n)) {
#if CXM_BYTECOUNT_X86
    /* No AVX-512 histogram: a CPU with AVX-512BW runs the AVX2 one. */
    case CXM_BYTECOUNT_AVX512BW:
    case CXM_BYTECOUNT_AVX2:
        if (have_avx2()) return cxm_bytehist_avx2(p, n, lo, hi, counts, bad);
        break;
#endif
    default: break;
    }
    return cxm_bytehist_scalar(p, n, lo, hi, counts, bad);
}

int cxm_bytehist_folded(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, uint64_t *counts,
                        size_t *bad, size_t fold)
{
#if CXM_BYTECOUNT_X86
    if (have_avx2() && n >= PAIR_CHECK && lo <= hi && (unsigned)hi - lo < PAIR_SPAN) {
        /* A fold every whole number of check blocks, at most every PAIR_FOLD bytes. */
        fold = fold < PAIR_CHECK ? PAIR_CHECK : fold > PAIR_FOLD ? PAIR_FOLD : fold;
        return avx2_hist_pairs(p, n, lo, hi, counts, bad, fold);
    }
#else
    (void)fold;
#endif
    return cxm_bytehist_scalar(p, n, lo, hi, counts, bad);
}

size_t cxm_bytehist_paths(const char **names, cxm_bytehist_fn *fns, size_t cap)
{
    size_t count = 0;
    if (cap > 0) {
        names[0] = "scalar";
        fns[0] = cxm_bytehist_scalar;
    }
    count++;
#if CXM_BYTECOUNT_X86
    if (have_avx2()) {
        if (count < cap) {
            names[count] = "avx2";
            fns[count] = cxm_bytehist_avx2;
        }
        count++;
    }
#endif
    return count;
}
