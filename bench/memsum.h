/*
 * memsum.h — the in-run reference for batch ingestion: a vectorised sum of
 * the bytes of an array. On an array much larger than the caches its speed
 * is the memory read bandwidth one core gets, measured in the same run as
 * the kernel it is compared with.
 */
#ifndef CXM_BENCH_MEMSUM_H
#define CXM_BENCH_MEMSUM_H

#include <stddef.h>
#include <stdint.h>

/* Sum of p[0..n) as unsigned bytes, with the widest vectors this CPU has. */
uint64_t bench_memsum(const uint8_t *p, size_t n);
/*
 * The same with a software prefetch 4 KiB ahead, as the batch kernel does;
 * the hardware prefetcher alone leaves part of the bandwidth unused on some
 * machines. The targets are stated against bench_memsum (no prefetch); this
 * one is reported beside it.
 */
uint64_t bench_memsum_prefetch(const uint8_t *p, size_t n);
/* Which path bench_memsum takes on this CPU: "avx512bw", "avx2" or "scalar". */
const char *bench_memsum_path(void);

#endif
