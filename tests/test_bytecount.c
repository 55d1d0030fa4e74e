/*
 * test_bytecount.c — the validate-and-count kernel, white-box: every path
 * this build and CPU can run (scalar, AVX2, AVX-512BW) gives the counts of a
 * naive loop written here, on random inputs of many lengths, alignments,
 * ranges and cuts, and rejects a batch with a bad byte at every position
 * class (first byte, vector and block edges, tails, last byte), naming the
 * first bad index. CXM_SIMD forces the dispatcher's path (bytecount.c): a
 * test here holds each forced path to the naive loop through the
 * dispatching entry point, which is what every add_many calls.
 */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <stdio.h>

#include "testutil.h"

#include "bytecount.h"

#define MAX_PATHS 8
/* Longer than several vector blocks (255 x 64 bytes), plus room to misalign. */
#define BUF_LEN (3 * 255 * 64 + 1000)
#define ALIGN_SLACK 64

static const char *names[MAX_PATHS];
static cxm_bytecount_fn fns[MAX_PATHS];
static size_t npaths;

#define MAX_HIST_PATHS 8
static const char *hist_names[MAX_HIST_PATHS];
static cxm_bytehist_fn hist_fns[MAX_HIST_PATHS];
static size_t hist_npaths;

static uint8_t *buffer(void)
{
    static uint8_t buf[BUF_LEN + ALIGN_SLACK];
    return buf;
}

/* The reference: one byte at a time, no tables, no vectors. */
static int naive(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, const uint8_t *cuts,
                 unsigned ncuts, uint64_t *le, size_t *bad)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] < lo || p[i] > hi) {
            *bad = i;
            return 0;
        }
    }
    for (unsigned k = 0; k < ncuts; k++) {
        le[k] = 0;
        for (size_t i = 0; i < n; i++)
            le[k] += p[i] <= cuts[k];
    }
    return 1;
}

/* Every path (and the dispatching entry point) agrees with the naive loop. */
static void check_all(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, const uint8_t *cuts,
                      unsigned ncuts)
{
    uint64_t want[CXM_BYTECOUNT_MAX_CUTS];
    size_t want_bad = 0;
    int want_ok = naive(p, n, lo, hi, cuts, ncuts, want, &want_bad);
    for (size_t f = 0; f <= npaths; f++) {
        cxm_bytecount_fn fn = f < npaths ? fns[f] : cxm_bytecount;
        uint64_t le[CXM_BYTECOUNT_MAX_CUTS];
        size_t bad = (size_t)-1;
        int ok = fn(p, n, lo, hi, cuts, ncuts, le, &bad);
        if (ok != want_ok || (!ok && bad != want_bad) ||
            (ok && memcmp(le, want, ncuts * sizeof le[0]) != 0)) {
            print_error("path %s: n=%zu lo=%u hi=%u ncuts=%u ok=%d/%d bad=%zu/%zu\n",
                        f < npaths ? names[f] : "dispatch", n, lo, hi, ncuts, ok, want_ok, bad,
                        want_bad);
            fail();
        }
    }
}

static int setup(void **state)
{
    (void)state;
    npaths = cxm_bytecount_paths(names, fns, MAX_PATHS);
    if (npaths > MAX_PATHS) npaths = MAX_PATHS;
    hist_npaths = cxm_bytehist_paths(hist_names, hist_fns, MAX_HIST_PATHS);
    if (hist_npaths > MAX_HIST_PATHS) hist_npaths = MAX_HIST_PATHS;
    return 0;
}

static void scalar_path_comes_first(void **state)
{
    (void)state;
    assert_true(npaths >= 1);
    assert_string_equal(names[0], "scalar");
    assert_true(fns[0] == cxm_bytecount_scalar);
    for (size_t i = 0; i < npaths; i++)
        print_message("bytecount path tested: %s\n", names[i]);
    /* The same for the per-value histogram of wide scales. */
    assert_true(hist_npaths >= 1);
    assert_string_equal(hist_names[0], "scalar");
    assert_true(hist_fns[0] == cxm_bytehist_scalar);
    for (size_t i = 0; i < hist_npaths; i++)
        print_message("bytehist path tested: %s\n", hist_names[i]);
}

/* Hand-counted: 0..10 once each, cuts {6, 8}: 7 bytes <= 6, 9 bytes <= 8. */
static void nps_cuts_by_hand(void **state)
{
    (void)state;
    const uint8_t cuts[2] = {6, 8};
    uint8_t *p = buffer();
    /* 200 copies of 0..10 so every path takes its vector loop: 1400 and 1800. */
    for (size_t i = 0; i < 2200; i++)
        p[i] = (uint8_t)(i % 11);
    for (size_t f = 0; f < npaths; f++) {
        uint64_t le[2];
        size_t bad = 0;
        assert_int_equal(fns[f](p, 11, 0, 10, cuts, 2, le, &bad), 1);
        assert_int_equal(le[0], 7);
        assert_int_equal(le[1], 9);
        assert_int_equal(fns[f](p, 2200, 0, 10, cuts, 2, le, &bad), 1);
        assert_int_equal(le[0], 1400);
        assert_int_equal(le[1], 1800);
    }
}

typedef struct range_case {
    uint8_t lo, hi;
} range_case;

static const range_case ranges[] = {
    {0, 10}, {1, 5}, {1, 7}, {0, 255}, {3, 3}, {0, 127}, {128, 255}, {100, 200},
};

/* Random cuts, including 0, 255 and values outside [lo, hi]. */
static unsigned random_cuts(uint64_t *rng, uint8_t *cuts)
{
    unsigned ncuts = (unsigned)(tu_rand(rng) % (CXM_BYTECOUNT_MAX_CUTS + 1));
    for (unsigned k = 0; k < ncuts; k++) {
        uint64_t r = tu_rand(rng);
        cuts[k] = r % 8 == 0 ? 0 : r % 8 == 1 ? 255 : (uint8_t)(r >> 8);
    }
    return ncuts;
}

/* Valid bytes in [lo, hi], with the ends over-represented. */
static void fill_valid(uint64_t *rng, uint8_t *p, size_t n, uint8_t lo, uint8_t hi)
{
    unsigned span = (unsigned)hi - lo + 1u;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = tu_rand(rng);
        uint8_t mid = (uint8_t)(lo + (r >> 8) % span);
        p[i] = r % 16 == 0 ? lo : r % 16 == 1 ? hi : mid;
    }
}

static size_t random_length(uint64_t *rng)
{
    uint64_t r = tu_rand(rng);
    switch (r % 4) {
    case 0: return (size_t)(r >> 8) % 200; /* short: the small-batch loop */
    case 1: return (size_t)(r >> 8) % 2048;
    default: return (size_t)(r >> 8) % BUF_LEN; /* several blocks */
    }
}

static void random_valid_inputs(void **state)
{
    (void)state;
    uint64_t rng = 42;
    uint8_t cuts[CXM_BYTECOUNT_MAX_CUTS];
    for (int round = 0; round < 600; round++) {
        const range_case *rc = &ranges[(size_t)round % (sizeof ranges / sizeof ranges[0])];
        size_t off = (size_t)(tu_rand(&rng) % ALIGN_SLACK);
        size_t n = random_length(&rng);
        uint8_t *p = buffer() + off;
        fill_valid(&rng, p, n, rc->lo, rc->hi);
        unsigned ncuts = random_cuts(&rng, cuts);
        check_all(p, n, rc->lo, rc->hi, cuts, ncuts);
        /* The NPS configuration on the same lengths. */
        static const uint8_t nps_cuts[2] = {6, 8};
        fill_valid(&rng, p, n, 0, 10);
        check_all(p, n, 0, 10, nps_cuts, 2);
    }
}

/* Every length from 0 to 300 at every alignment of a vector. */
static void every_short_length(void **state)
{
    (void)state;
    uint64_t rng = 7;
    static const uint8_t cuts[3] = {6, 8, 0};
    for (size_t off = 0; off < ALIGN_SLACK; off++) {
        uint8_t *p = buffer() + off;
        fill_valid(&rng, p, 300, 0, 10);
        for (size_t n = 0; n <= 300; n++)
            check_all(p, n, 0, 10, cuts, 3);
    }
}

/* Positions where a vector path changes regime: vector, block and tail edges. */
static size_t position_classes(size_t n, size_t *out)
{
    size_t count = 0;
    const size_t edges[] = {0,
                            1,
                            31,
                            32,
                            33,
                            63,
                            64,
                            65,
                            127,
                            128,
                            129,
                            255 * 32 - 1,
                            255 * 32,
                            255 * 32 + 1,
                            255 * 64 - 1,
                            255 * 64,
                            255 * 64 + 1,
                            2 * 255 * 64};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        if (edges[i] < n) out[count++] = edges[i];
    /* The tails of both vector widths and the last byte. */
    const size_t back[] = {1, 2, 31, 32, 33, 63, 64, 65};
    for (size_t i = 0; i < sizeof back / sizeof back[0]; i++)
        if (back[i] <= n) out[count++] = n - back[i];
    return count;
}

static void bad_byte_at_every_position_class(void **state)
{
    (void)state;
    uint64_t rng = 99;
    static const uint8_t nps_cuts[2] = {6, 8};
    const size_t lengths[] = {
        1,      5, 64, 127, 128, 129, 200, 1000, 255 * 32 + 7, 255 * 64 + 100, 2 * 255 * 64 + 77,
        BUF_LEN};
    for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
        size_t n = lengths[li];
        for (size_t ri = 0; ri < sizeof ranges / sizeof ranges[0]; ri++) {
            const range_case *rc = &ranges[ri];
            if (rc->lo == 0 && rc->hi == 255) continue; /* no byte is bad */
            size_t off = (size_t)(tu_rand(&rng) % ALIGN_SLACK);
            uint8_t *p = buffer() + off;
            fill_valid(&rng, p, n, rc->lo, rc->hi);
            size_t pos[64];
            size_t npos = position_classes(n, pos);
            for (size_t i = 0; i < npos; i++) {
                /* Bad values just outside the range, and far outside it. */
                uint8_t bads[4];
                unsigned nb = 0;
                if (rc->lo > 0) {
                    bads[nb++] = (uint8_t)(rc->lo - 1);
                    bads[nb++] = 0;
                }
                if (rc->hi < 255) {
                    bads[nb++] = (uint8_t)(rc->hi + 1);
                    bads[nb++] = 255;
                }
                for (unsigned b = 0; b < nb; b++) {
                    uint8_t keep = p[pos[i]];
                    p[pos[i]] = bads[b];
                    check_all(p, n, rc->lo, rc->hi, nps_cuts, 2);
                    /* A second bad byte later on: the first one is still named. */
                    if (pos[i] + 1 < n) {
                        size_t later = pos[i] + 1 + (size_t)(tu_rand(&rng) % (n - pos[i] - 1));
                        uint8_t keep2 = p[later];
                        p[later] = bads[(b + 1) % nb];
                        check_all(p, n, rc->lo, rc->hi, nps_cuts, 2);
                        p[later] = keep2;
                    }
                    p[pos[i]] = keep;
                }
            }
        }
    }
}

/* Counts past any lane's 255: one value everywhere, above and below every cut. */
static void long_uniform_runs(void **state)
{
    (void)state;
    static const uint8_t cuts[5] = {0, 6, 8, 9, 10};
    size_t n = BUF_LEN;
    uint8_t *p = buffer() + 3;
    for (unsigned v = 0; v <= 10; v++) {
        memset(p, (int)v, n);
        check_all(p, n, 0, 10, cuts, 5);
        for (size_t f = 0; f < npaths; f++) {
            uint64_t le[5];
            size_t bad;
            assert_int_equal(fns[f](p, n, 0, 10, cuts, 5, le, &bad), 1);
            for (unsigned k = 0; k < 5; k++)
                assert_int_equal(le[k], v <= cuts[k] ? n : 0);
        }
    }
}

/* The per-value histogram of a naive loop: counts, or 0 and the first bad index. */
static int naive_hist(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, uint64_t *want,
                      size_t *bad)
{
    memset(want, 0, 256 * sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        if (p[i] < lo || p[i] > hi) {
            *bad = i;
            return 0;
        }
        want[p[i] - lo]++;
    }
    return 1;
}

/* Folds of the AVX2 histogram's 32-bit cells tried besides its own: every
 * check block, every other one, and one that is not a multiple of it. */
static const size_t folds[] = {4096, 8192, 5000};
#define NFOLDS (sizeof folds / sizeof folds[0])

/*
 * Every histogram path, the dispatching entry point and the AVX2 path with
 * the first `nfolds` of the small folds agree with the naive loop: the same
 * counts, or the same refusal at the same first bad index (the counts are
 * then unspecified).
 */
static void check_hist_folds(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi, size_t nfolds)
{
    uint64_t want[256], got[256];
    size_t want_bad = (size_t)-1;
    int want_ok = naive_hist(p, n, lo, hi, want, &want_bad);
    const size_t cells = ((size_t)hi - lo + 1) * sizeof got[0];
    for (size_t f = 0; f < hist_npaths + 1 + nfolds; f++) {
        size_t bad = (size_t)-1;
        int ok;
        const char *name;
        if (f < hist_npaths) {
            name = hist_names[f];
            ok = hist_fns[f](p, n, lo, hi, got, &bad);
        } else if (f == hist_npaths) {
            name = "dispatch";
            ok = cxm_bytehist(p, n, lo, hi, got, &bad);
        } else {
            name = "folded";
            ok = cxm_bytehist_folded(p, n, lo, hi, got, &bad, folds[f - hist_npaths - 1]);
        }
        if (ok != want_ok || (!ok && bad != want_bad) || (ok && memcmp(got, want, cells) != 0)) {
            print_error("bytehist %s: n=%zu lo=%u hi=%u ok=%d/%d bad=%zu/%zu\n", name, n, lo, hi,
                        ok, want_ok, bad, want_bad);
            fail();
        }
    }
}

static void check_hist(const uint8_t *p, size_t n, uint8_t lo, uint8_t hi)
{
    check_hist_folds(p, n, lo, hi, NFOLDS);
}

static void histogram_of_wide_scales(void **state)
{
    (void)state;
    uint64_t rng = 5;
    static const range_case wide[] = {{0, 100}, {1, 100}, {0, 17}, {0, 255}, {7, 7}, {50, 200}};
    for (int round = 0; round < 300; round++) {
        const range_case *rc = &wide[(size_t)round % (sizeof wide / sizeof wide[0])];
        size_t off = (size_t)(tu_rand(&rng) % ALIGN_SLACK);
        size_t n = random_length(&rng);
        uint8_t *p = buffer() + off;
        fill_valid(&rng, p, n, rc->lo, rc->hi);
        check_hist(p, n, rc->lo, rc->hi);
        if (n == 0 || (rc->lo == 0 && rc->hi == 255)) continue;
        /* One bad byte, then a second one later: the first is named. */
        size_t pos[64], npos = position_classes(n, pos);
        for (size_t i = 0; i < npos; i++) {
            uint8_t keep = p[pos[i]];
            p[pos[i]] = rc->hi < 255 ? (uint8_t)(rc->hi + 1) : (uint8_t)(rc->lo - 1);
            check_hist_folds(p, n, rc->lo, rc->hi, 1); /* one fold: many calls here */
            if (pos[i] + 1 < n) {
                size_t later = n - 1;
                uint8_t keep2 = p[later];
                p[later] = rc->lo > 0 ? 0 : 255;
                check_hist_folds(p, n, rc->lo, rc->hi, 1);
                p[later] = keep2;
            }
            p[pos[i]] = keep;
        }
    }
}

/* Wide ranges: the pair table's spans (up to 101 values) and one beyond it. */
static const range_case pair_ranges[] = {{0, 100}, {1, 100}, {0, 17},  {3, 103},
                                         {9, 9},   {0, 1},   {0, 101}, {155, 255}};
#define NPAIR_RANGES (sizeof pair_ranges / sizeof pair_ranges[0])

/* Room for the longest batch below, plus misalignment. */
#define BIG_LEN (65535 * 32 + 3 * 4096)

/*
 * Bytes in [lo, hi] laid out as `kind` says: 0 uniform, 1 runs of one value
 * up to 5000 long, 2 two values taking 90% between them (a pair of scores
 * that dominates), 3 one value only, 4 the two ends alternating.
 */
static void fill_kind(uint64_t *rng, uint8_t *p, size_t n, uint8_t lo, uint8_t hi, int kind)
{
    unsigned span = (unsigned)hi - lo + 1u;
    uint8_t a = (uint8_t)(lo + tu_rand(rng) % span), b = (uint8_t)(lo + tu_rand(rng) % span);
    for (size_t i = 0; i < n;) {
        uint64_t r = tu_rand(rng);
        uint8_t any = (uint8_t)(lo + (r >> 8) % span);
        if (kind == 1) {
            size_t run = 1 + (size_t)(r >> 32) % 5000;
            for (; run > 0 && i < n; run--)
                p[i++] = any;
            continue;
        }
        p[i] = kind == 0   ? any
               : kind == 2 ? (r % 10 < 5   ? a
                              : r % 10 < 9 ? b
                                           : any)
               : kind == 3 ? a
                           : ((i & 1) ? lo : hi);
        i++;
    }
}

/*
 * Long batches through every histogram path: lengths at the AVX2 path's
 * edges (its 32 KiB threshold, its blocks of 256 and check blocks of 4096
 * bytes, the 255 x 32 and 65535 x 32 bytes where byte and 16-bit counters
 * would wrap), every kind of layout, ranges from 1 to 102 values; with
 * small folds, a fold happens inside each of these batches.
 */
static void wide_histogram_long_batches(void **state)
{
    (void)state;
    uint64_t rng = 2027;
    uint8_t *big = test_malloc(BIG_LEN + ALIGN_SLACK);
    const size_t lengths[] = {4095,
                              4096,
                              4097,
                              65535,
                              32767,
                              32768,
                              32769,
                              65536,
                              65537,
                              65536 + 255,
                              65536 + 4096,
                              255 * 32,
                              255 * 32 + 4096,
                              3 * 255 * 32 * 8,
                              65535 * 32 - 1,
                              65535 * 32,
                              65535 * 32 + 1};
    for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
        for (int kind = 0; kind < 5; kind++) {
            const range_case *rc = &pair_ranges[(li * 5 + (size_t)kind) % NPAIR_RANGES];
            /* The longest batches in one kind each, every other length in every kind. */
            if (lengths[li] > 300000 && kind != (int)(li % 5)) continue;
            uint8_t *p = big + (size_t)(tu_rand(&rng) % ALIGN_SLACK);
            fill_kind(&rng, p, lengths[li], rc->lo, rc->hi, kind);
            check_hist(p, lengths[li], rc->lo, rc->hi);
        }
    }
    /* Random lengths up to several times the threshold, every range and kind. */
    for (int round = 0; round < 24; round++) {
        const range_case *rc = &pair_ranges[(size_t)round % NPAIR_RANGES];
        size_t n = (size_t)(tu_rand(&rng) % 200000);
        uint8_t *p = big + (size_t)(tu_rand(&rng) % ALIGN_SLACK);
        fill_kind(&rng, p, n, rc->lo, rc->hi, round % 5);
        check_hist(p, n, rc->lo, rc->hi);
    }
    /* One value alone over a long batch, in steps over 0..100: the diagonal's copies. */
    for (unsigned v = 0; v <= 100; v += 5) {
        memset(big, (int)v, 70000);
        check_hist(big, 70000, 0, 100);
    }
    test_free(big);
}

/* Positions where the AVX2 histogram changes regime, in a batch of n bytes. */
static size_t hist_positions(size_t n, size_t *out)
{
    size_t count = 0;
    const size_t edges[] = {0,    1,    31,   32,   33,   255,   256,   257,   511,   512,
                            4095, 4096, 4097, 6000, 8191, 32767, 32768, 65536, 100000};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        if (edges[i] < n) out[count++] = edges[i];
    /* The last whole check block, the tail after it, the last byte. */
    size_t body = n - n % 4096;
    const size_t back[] = {1, 2, 256, 4096};
    for (size_t i = 0; i < sizeof back / sizeof back[0]; i++)
        if (back[i] <= body) out[count++] = body - back[i];
    if (body < n) out[count++] = body;
    out[count++] = n - 1;
    return count;
}

/*
 * A bad byte at every position class of a long batch, just outside the
 * range and far from it, alone or followed by a second one: every path
 * refuses the batch and names the first, as the naive loop does.
 */
static void wide_histogram_bad_bytes(void **state)
{
    (void)state;
    uint64_t rng = 77;
    uint8_t *big = test_malloc(BIG_LEN + ALIGN_SLACK);
    const size_t lengths[] = {4096 + 100, 32768 + 77, 3 * 65536 + 4096 + 5};
    const range_case wide[] = {{0, 100}, {1, 100}, {20, 40}};
    for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
        size_t n = lengths[li];
        for (size_t ri = 0; ri < sizeof wide / sizeof wide[0]; ri++) {
            const range_case *rc = &wide[ri];
            uint8_t *p = big + (size_t)(tu_rand(&rng) % ALIGN_SLACK);
            fill_kind(&rng, p, n, rc->lo, rc->hi, (int)(li + ri) % 5);
            size_t pos[64], npos = hist_positions(n, pos);
            uint8_t bads[4];
            unsigned nb = 0;
            bads[nb++] = (uint8_t)(rc->hi + 1);
            bads[nb++] = 255;
            if (rc->lo > 0) {
                bads[nb++] = (uint8_t)(rc->lo - 1);
                bads[nb++] = 0;
            }
            /* The bad values take turns over the positions (each position
             * class sees several across the lengths and ranges). */
            for (size_t i = 0; i < npos; i++) {
                unsigned b = (unsigned)((i + li + ri) % nb);
                uint8_t keep = p[pos[i]];
                p[pos[i]] = bads[b];
                check_hist(p, n, rc->lo, rc->hi);
                if (pos[i] + 1 < n) {
                    size_t later = pos[i] + 1 + (size_t)(tu_rand(&rng) % (n - pos[i] - 1));
                    uint8_t keep2 = p[later];
                    p[later] = bads[(b + 1) % nb];
                    check_hist(p, n, rc->lo, rc->hi);
                    p[later] = keep2;
                }
                p[pos[i]] = keep;
            }
        }
    }
    test_free(big);
}

/*
 * CXM_SIMD, read on every call, steers the dispatcher: each forced path the
 * CPU runs is taken and matches the naive loop (a bug planted in any one
 * path fails here under its own name); one it lacks, an unknown name or
 * "auto" fall back to the fastest path; short batches stay portable.
 */
static void forced_paths(void **state)
{
    (void)state;
    const char *saved = getenv("CXM_SIMD");
    char *keep = saved ? strdup(saved) : NULL;
    unsetenv("CXM_SIMD");
    const size_t big = 4096;
    const cxm_bytecount_path best = cxm_bytecount_choose(big);
    assert_int_equal(cxm_bytecount_choose(10), CXM_BYTECOUNT_PORTABLE);
    static const struct {
        const char *env;
        const char *path; /* its name in cxm_bytecount_paths */
        cxm_bytecount_path want;
    } forced[] = {
        {"portable", "scalar", CXM_BYTECOUNT_PORTABLE},
        {"scalar", "scalar", CXM_BYTECOUNT_PORTABLE},
        {"avx2", "avx2", CXM_BYTECOUNT_AVX2},
        {"avx512bw", "avx512bw", CXM_BYTECOUNT_AVX512BW},
    };
    uint64_t rng = 99;
    uint8_t cuts[CXM_BYTECOUNT_MAX_CUTS];
    for (size_t i = 0; i < sizeof forced / sizeof forced[0]; i++) {
        int runs = 0;
        for (size_t f = 0; f < npaths; f++)
            runs |= strcmp(names[f], forced[i].path) == 0;
        assert_int_equal(setenv("CXM_SIMD", forced[i].env, 1), 0);
        assert_int_equal(cxm_bytecount_choose(big), runs ? forced[i].want : best);
        assert_int_equal(cxm_bytecount_choose(10), CXM_BYTECOUNT_PORTABLE);
        if (runs) print_message("dispatcher forced to %s\n", forced[i].env);
        for (int round = 0; round < 60; round++) {
            const range_case *rc = &ranges[(size_t)round % (sizeof ranges / sizeof ranges[0])];
            size_t n = 128 + (size_t)(tu_rand(&rng) % (BUF_LEN - 128));
            uint8_t *p = buffer() + (size_t)(tu_rand(&rng) % ALIGN_SLACK);
            fill_valid(&rng, p, n, rc->lo, rc->hi);
            check_all(p, n, rc->lo, rc->hi, cuts, random_cuts(&rng, cuts));
        }
    }
    static const char *const fallback[] = {"", "auto", "AVX2", "neon", "portable "};
    for (size_t i = 0; i < sizeof fallback / sizeof fallback[0]; i++) {
        assert_int_equal(setenv("CXM_SIMD", fallback[i], 1), 0);
        assert_int_equal(cxm_bytecount_choose(big), best);
    }
    if (keep)
        assert_int_equal(setenv("CXM_SIMD", keep, 1), 0);
    else
        unsetenv("CXM_SIMD");
    free(keep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scalar_path_comes_first),
        cmocka_unit_test(nps_cuts_by_hand),
        cmocka_unit_test(forced_paths),
        cmocka_unit_test(random_valid_inputs),
        cmocka_unit_test(every_short_length),
        cmocka_unit_test(bad_byte_at_every_position_class),
        cmocka_unit_test(long_uniform_runs),
        cmocka_unit_test(histogram_of_wide_scales),
        cmocka_unit_test(wide_histogram_long_batches),
        cmocka_unit_test(wide_histogram_bad_bytes),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
