/*
 * bench.h — what every benchmark shares: a monotonic clock, medians of
 * repeated runs, the JSON line each figure is printed as (with its in-run
 * reference, its target and whether the target was met), the program's own
 * resident memory, and a reference memory-read kernel.
 *
 * Output: one JSON object per line. Always `name`, `unit`, `value`, `n`;
 * with a reference also `ref` (same unit, measured in the same run) and
 * `ratio` (value / ref, or the median of ratios of paired runs); with a target also `limit_on` (the
 * field the limit applies to), `limit_op`, `limit`, `met` and `missed_by_pct` (0 when met:
 * otherwise how far past the limit the figure is, in percent of the limit).
 */
#ifndef CXM_BENCH_H
#define CXM_BENCH_H

#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct bench_opts {
    int quick;              /* --quick: a few seconds in total, for CI */
    const char *export_dir; /* --export DIR: write the data for numpy_compare.py */
} bench_opts;

static inline bench_opts bench_parse(int argc, char **argv)
{
    bench_opts o = {0, NULL};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            o.quick = 1;
        else if (strcmp(argv[i], "--export") == 0 && i + 1 < argc)
            o.export_dir = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--quick] [--export DIR]\n", argv[0]);
            exit(2);
        }
    }
    return o;
}

/*
 * The thread's CPU time, ns: what the benchmarks time with, so that time the
 * shared machine gives to other jobs is not counted (a median of wall-clock
 * runs still moves with the load). Reading it is a system call (a fraction
 * of a microsecond), so the windows timed with it are 100 us or longer.
 */
static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Wall-clock time, ns (a vDSO read, ~20 ns): for windows of a few microseconds. */
static inline double bench_wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v). */
static inline double bench_median(double *v, size_t n)
{
    qsort(v, n, sizeof v[0], bench_cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* A step that could not run (not a missed target): say so and stop. */
static inline _Noreturn void bench_fail(const char *what)
{
    fprintf(stderr, "benchmark failed: %s\n", what);
    exit(1);
}

/* Keeps the optimiser from deleting a computation whose result is unused. */
static volatile uint64_t bench_sink;

typedef struct bench_line {
    const char *name;
    const char *unit;
    double value;
    double n;
    int has_ref;
    double ref;
    /* 0: value / ref; else the ratio as measured (e.g. median of paired ratios) */
    double ratio;
    /* A target: limit_on is "value" or "ratio"; limit_op "<=" or ">=". */
    const char *limit_on;
    const char *limit_op;
    double limit;
    const char *note; /* optional free text (e.g. which kernel path ran) */
} bench_line;

/* BENCH_EMIT(.name = ..., .unit = ..., ...): prints one line, returns 1 if its target was met. */
#define BENCH_EMIT(...) bench_emit(&(const bench_line){__VA_ARGS__})

static inline int bench_emit(const bench_line *l)
{
    printf("{\"name\":\"%s\",\"unit\":\"%s\",\"value\":%.6g,\"n\":%.0f", l->name, l->unit, l->value,
           l->n);
    double ratio = 0.0;
    if (l->has_ref) {
        ratio = l->ratio != 0.0 ? l->ratio : l->ref != 0.0 ? l->value / l->ref : 0.0;
        printf(",\"ref\":%.6g,\"ratio\":%.4f", l->ref, ratio);
    }
    int met = 1;
    if (l->limit_on) {
        double x = strcmp(l->limit_on, "ratio") == 0 ? ratio : l->value;
        int le = strcmp(l->limit_op, "<=") == 0;
        met = le ? x <= l->limit : x >= l->limit;
        double miss = met ? 0.0 : 100.0 * (le ? x / l->limit - 1.0 : 1.0 - x / l->limit);
        printf(",\"limit_on\":\"%s\",\"limit_op\":\"%s\",\"limit\":%.6g,\"met\":%s,"
               "\"missed_by_pct\":%.1f",
               l->limit_on, l->limit_op, l->limit, met ? "true" : "false", miss);
    }
    if (l->note) printf(",\"note\":\"%s\"", l->note);
    printf("}\n");
    fflush(stdout);
    return met;
}

/* A KiB field of /proc/self/status (VmRSS, VmHWM, RssAnon), or -1. */
static inline long bench_status_kib(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long v = -1;
    size_t len = strlen(field);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, len) == 0 && line[len] == ':') {
            v = strtol(line + len + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return v;
}

/*
 * Times m calls of `call` (an expression using the loop index i), ns per
 * call, into the double t_ in scope; the statuses are folded together and
 * a failure stops the run. The calls are plain, direct ones: what an
 * application writes.
 */
#define BENCH_TIMED_LOOP(m, call)                                                                  \
    do {                                                                                           \
        uint32_t st_ = 0;                                                                          \
        double t0_ = bench_now();                                                                  \
        for (size_t i = 0; i < (m); i++)                                                           \
            st_ |= (uint32_t)(call);                                                               \
        t_ = (bench_now() - t0_) / (double)(m);                                                    \
        if (st_ != 0) bench_fail(#call);                                                           \
    } while (0)

/* splitmix64: deterministic data, the same in every run. */
static inline uint64_t bench_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static inline double bench_unit(uint64_t *s)
{
    return (double)(bench_rand(s) >> 11) * 0x1p-53;
}

/* Standard normal (Box-Muller). */
static inline double bench_normal(uint64_t *s)
{
    double u = bench_unit(s), v = bench_unit(s);
    return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

/* Resolution-time-like durations: log-normal, median one hour, sigma 1.5, seconds. */
static inline double bench_lognormal(uint64_t *s)
{
    return exp(log(3600.0) + 1.5 * bench_normal(s));
}

#endif
