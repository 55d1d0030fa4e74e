/*
 * bench_kernel.c — the validate-and-count kernel path by path (white-box,
 * linked to the static library): every path this CPU runs (scalar, AVX2,
 * AVX-512BW), with the NPS cuts {6, 8} over 0..10, on a batch in L1 and on
 * an array far larger than the caches next to the memory read bandwidth
 * measured in the same run. Then the per-value histogram of a 0-100 scale
 * (cxm_bytehist) path by path, on uniform scores and on a skewed mix, the
 * paths interleaved run by run on the same array.
 *
 *   bench_kernel [--quick]
 */
#include "bench.h"
#include "memsum.h"

#include "bytecount.h"

#define MIB ((size_t)1 << 20)
#define MAX_PATHS 8

static double time_path(cxm_bytecount_fn fn, const uint8_t *p, size_t n, size_t rounds)
{
    static const uint8_t cuts[2] = {6, 8};
    uint64_t le[2];
    size_t bad;
    double t0 = bench_now();
    for (size_t i = 0; i < rounds; i++) {
        if (!fn(p, n, 0, 10, cuts, 2, le, &bad)) exit(1);
        bench_sink += le[0];
    }
    return (bench_now() - t0) / (double)rounds;
}

static double time_hist(cxm_bytehist_fn fn, const uint8_t *p, size_t n, size_t rounds)
{
    uint64_t counts[101];
    size_t bad;
    double t0 = bench_now();
    for (size_t i = 0; i < rounds; i++) {
        if (!fn(p, n, 0, 100, counts, &bad)) exit(1);
        bench_sink += counts[100];
    }
    return (bench_now() - t0) / (double)rounds;
}

/*
 * Scores 0..100: uniform, or skewed as answers often are (40% give 100, 20%
 * 90..99, 10% 50, the rest uniform), so that a few pairs of scores dominate.
 */
static void fill_101(uint8_t *p, size_t n, int skewed, uint64_t seed)
{
    uint64_t rng = seed;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = bench_rand(&rng), u = ((r >> 16) & 0xFFFF) * 101 >> 16, c = r % 100;
        p[i] = (uint8_t)(!skewed  ? u
                         : c < 40 ? 100
                         : c < 60 ? 90 + (r >> 40) % 10
                         : c < 70 ? 50
                                  : u);
    }
}

static void bench_hist(const bench_opts *o, uint8_t *p, size_t n, int reps)
{
    const char *names[MAX_PATHS];
    cxm_bytehist_fn fns[MAX_PATHS];
    size_t np = cxm_bytehist_paths(names, fns, MAX_PATHS);
    np = np < MAX_PATHS ? np : MAX_PATHS;
    char name[128];
    for (int skewed = 0; skewed < 2; skewed++) {
        fill_101(p, n, skewed, 77);
        double t[MAX_PATHS][64], tm[64];
        for (int r = 0; r < reps; r++) {
            double t0 = bench_now();
            bench_sink += bench_memsum(p, n);
            tm[r] = bench_now() - t0;
            for (size_t f = 0; f < np; f++)
                t[f][r] = time_hist(fns[f], p, n, 1);
        }
        double m = bench_median(tm, (size_t)reps);
        for (size_t f = 0; f < np; f++) {
            double k = bench_median(t[f], (size_t)reps);
            snprintf(name, sizeof name, "kernel.hist101.%s.%s", names[f],
                     skewed ? "skewed" : "uniform");
            BENCH_EMIT(.name = name, .unit = "GB/s", .value = (double)n / k, .n = (double)n,
                       .has_ref = 1, .ref = (double)n / m,
                       .note = "0-100 scale from memory; ref: memory read bandwidth");
        }
    }
    /* In L2: 256 KiB batches, the fixed cost of a call (clearing, folding) showing. */
    fill_101(p, n, 0, 78);
    size_t chunk = 256 * 1024, rounds = o->quick ? 50 : 400;
    for (size_t f = 0; f < np; f++) {
        double tc[64];
        for (int r = 0; r < reps; r++)
            tc[r] = time_hist(fns[f], p, chunk, rounds);
        snprintf(name, sizeof name, "kernel.hist101.%s.in_cache", names[f]);
        BENCH_EMIT(.name = name, .unit = "GB/s",
                   .value = (double)chunk / bench_median(tc, (size_t)reps), .n = (double)chunk,
                   .note = "256 KiB batch of a 0-100 scale");
    }
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv);
    size_t n = (o.quick ? 64 : 256) * MIB;
    int reps = o.quick ? 3 : 11;
    uint8_t *p = malloc(n);
    if (!p) return 1;
    uint64_t rng = 11;
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(bench_rand(&rng) % 11);

    const char *names[MAX_PATHS];
    cxm_bytecount_fn fns[MAX_PATHS];
    size_t np = cxm_bytecount_paths(names, fns, MAX_PATHS);
    np = np < MAX_PATHS ? np : MAX_PATHS;

    char name[128];
    for (size_t f = 0; f < np; f++) {
        /* In L1: 16 KiB batches, many times. */
        size_t chunk = 16 * 1024, rounds = o.quick ? 500 : 5000;
        double tc[64], tk[64], tm[64];
        for (int r = 0; r < reps; r++)
            tc[r] = time_path(fns[f], p, chunk, rounds);
        double c = bench_median(tc, (size_t)reps);
        snprintf(name, sizeof name, "kernel.%s.in_cache", names[f]);
        BENCH_EMIT(.name = name, .unit = "GB/s", .value = (double)chunk / c, .n = (double)chunk,
                   .note = "16 KiB batch, cuts {6,8}");
        /* From memory, against the byte sum of the same array. */
        for (int r = 0; r < reps; r++) {
            double t0 = bench_now();
            bench_sink += bench_memsum(p, n);
            tm[r] = bench_now() - t0;
            tk[r] = time_path(fns[f], p, n, 1);
        }
        double k = bench_median(tk, (size_t)reps), m = bench_median(tm, (size_t)reps);
        snprintf(name, sizeof name, "kernel.%s.from_memory", names[f]);
        BENCH_EMIT(.name = name, .unit = "GB/s", .value = (double)n / k, .n = (double)n,
                   .has_ref = 1, .ref = (double)n / m,
                   .note = "ref: memory read bandwidth (vectorised byte sum)");
    }
    bench_hist(&o, p, n, reps);
    free(p);
    return 0;
}
