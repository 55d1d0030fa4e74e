/*
 * forge.h — what tests, fuzzers and generators use to make inputs: a
 * deterministic generator, and a bitwise CRC-32C independent of the
 * library's table-driven one, so hostile content can carry a valid checksum
 * (and the library's CRC is cross-checked). No cmocka here: the fuzzers and
 * generators include it too.
 */
#ifndef CXM_FORGE_H
#define CXM_FORGE_H

#include <stddef.h>
#include <stdint.h>

/* Deterministic generator for tests, seeds and vectors (splitmix64). */
static inline uint64_t tu_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/*
 * Bitwise CRC-32C, independent of the library's table-driven one: lets tests
 * forge a valid checksum over hostile content (and cross-checks the library).
 */
static inline uint32_t tu_crc32c(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1u)));
    }
    return ~c;
}

/* Rewrites the trailing CRC of an encoding after a test edited its bytes. */
static inline void tu_fix_crc(uint8_t *buf, size_t len)
{
    uint32_t c = tu_crc32c(buf, len - 4);
    for (int i = 0; i < 4; i++)
        buf[len - 4 + (size_t)i] = (uint8_t)(c >> (8 * i));
}

/*
 * Makes the envelope of edited bytes consistent again: the payload length
 * field (bytes 8..11) says len - 16 and the trailing CRC matches. Needs
 * len >= 16.
 */
static inline void tu_fix_envelope(uint8_t *buf, size_t len)
{
    uint32_t payload = (uint32_t)(len - 16);
    for (int i = 0; i < 4; i++)
        buf[8 + i] = (uint8_t)(payload >> (8 * i));
    tu_fix_crc(buf, len);
}

#endif
