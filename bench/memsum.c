/*
 * memsum.c — vectorised byte sum, the memory-bandwidth reference (see
 * memsum.h). Four independent accumulators keep several loads in flight.
 */
#include <string.h>
#include <stdint.h>

#include "memsum.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

__attribute__((target("avx512bw"))) static uint64_t sum_avx512(const uint8_t *p, size_t n,
                                                               int prefetch)
{
    const __m512i z = _mm512_setzero_si512();
    __m512i a0 = z, a1 = z, a2 = z, a3 = z;
    size_t i = 0;
    for (; i + 256 <= n; i += 256) {
        if (prefetch)
            for (unsigned k = 0; k < 256; k += 64)
                _mm_prefetch((const char *)(uintptr_t)((uintptr_t)(p + i) + 4096u + k),
                             _MM_HINT_T0);
        a0 = _mm512_add_epi64(a0, _mm512_sad_epu8(_mm512_loadu_si512(p + i), z));
        a1 = _mm512_add_epi64(a1, _mm512_sad_epu8(_mm512_loadu_si512(p + i + 64), z));
        a2 = _mm512_add_epi64(a2, _mm512_sad_epu8(_mm512_loadu_si512(p + i + 128), z));
        a3 = _mm512_add_epi64(a3, _mm512_sad_epu8(_mm512_loadu_si512(p + i + 192), z));
    }
    uint64_t s = (uint64_t)_mm512_reduce_add_epi64(
        _mm512_add_epi64(_mm512_add_epi64(a0, a1), _mm512_add_epi64(a2, a3)));
    for (; i < n; i++)
        s += p[i];
    return s;
}

/* Software prefetch distance of the prefetching variant: the kernel's (4 KiB). */
#define AHEAD 4096u

__attribute__((target("avx2"))) static uint64_t sum_avx2(const uint8_t *p, size_t n, int prefetch)
{
    const __m256i z = _mm256_setzero_si256();
    __m256i a0 = z, a1 = z, a2 = z, a3 = z;
    size_t i = 0;
    for (; i + 128 <= n; i += 128) {
        const __m256i *v = (const __m256i *)(const void *)(p + i);
        if (prefetch) {
            /* Formed as an integer: a prefetch past the end never faults. */
            const char *ahead = (const char *)(uintptr_t)((uintptr_t)(p + i) + AHEAD);
            _mm_prefetch(ahead, _MM_HINT_T0);
            _mm_prefetch(ahead + 64, _MM_HINT_T0);
        }
        a0 = _mm256_add_epi64(a0, _mm256_sad_epu8(_mm256_loadu_si256(v), z));
        a1 = _mm256_add_epi64(a1, _mm256_sad_epu8(_mm256_loadu_si256(v + 1), z));
        a2 = _mm256_add_epi64(a2, _mm256_sad_epu8(_mm256_loadu_si256(v + 2), z));
        a3 = _mm256_add_epi64(a3, _mm256_sad_epu8(_mm256_loadu_si256(v + 3), z));
    }
    __m256i a = _mm256_add_epi64(_mm256_add_epi64(a0, a1), _mm256_add_epi64(a2, a3));
    uint64_t lanes[4];
    memcpy(lanes, &a, sizeof lanes);
    uint64_t s = lanes[0] + lanes[1] + lanes[2] + lanes[3];
    for (; i < n; i++)
        s += p[i];
    return s;
}
#define HAVE_X86 1
#else
#define HAVE_X86 0
#endif

/* Eight bytes at a time, summed pairwise within the word (SWAR). */
static uint64_t sum_scalar(const uint8_t *p, size_t n)
{
    uint64_t s = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        w = (w & 0x00FF00FF00FF00FFu) + ((w >> 8) & 0x00FF00FF00FF00FFu);
        w = (w & 0x0000FFFF0000FFFFu) + ((w >> 16) & 0x0000FFFF0000FFFFu);
        s += (w & 0xFFFFFFFFu) + (w >> 32);
    }
    for (; i < n; i++)
        s += p[i];
    return s;
}

static uint64_t memsum(const uint8_t *p, size_t n, int prefetch)
{
#if HAVE_X86
    if (__builtin_cpu_supports("avx512bw")) return sum_avx512(p, n, prefetch);
    if (__builtin_cpu_supports("avx2")) return sum_avx2(p, n, prefetch);
#endif
    (void)prefetch;
    return sum_scalar(p, n);
}

uint64_t bench_memsum(const uint8_t *p, size_t n)
{
    return memsum(p, n, 0);
}

uint64_t bench_memsum_prefetch(const uint8_t *p, size_t n)
{
    return memsum(p, n, 1);
}

const char *bench_memsum_path(void)
{
#if HAVE_X86
    if (__builtin_cpu_supports("avx512bw")) return "avx512bw";
    if (__builtin_cpu_supports("avx2")) return "avx2";
#endif
    return "scalar";
}
