/*
 * families.h — the one table every harness iterates (property tests,
 * fuzzers, allocation-failure and thread tests, benchmarks). A new
 * accumulator family joins every gate by adding one entry to families.c.
 *
 * Entries call only the public API, so the table links against the shared
 * or the static library alike.
 */
#ifndef CXM_FAMILIES_H
#define CXM_FAMILIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cxm.h>

typedef struct cxm_family_ops {
    const char *name;
    uint32_t family; /* cxm_family */
    /*
     * Number of configurations `make` knows (kinds, scales, ...): objects of
     * different variants must refuse to merge, except a twin of variant 0
     * (cxm_family_twin); variant 0 is the default.
     */
    uint32_t variants;
    cxm_status (*make)(const cxm_allocator *alloc, uint32_t variant, void **out);
    /*
     * Turns arbitrary bytes into a batch of events and adds them with the
     * family's add_many: all or nothing. Also the fuzzers' entry point.
     */
    cxm_status (*feed)(void *acc, const uint8_t *data, size_t n, size_t *bad);
    /* The same events through the single-event add, one call each; stops at the first error. */
    cxm_status (*feed_each)(void *acc, const uint8_t *data, size_t n);
    /* One cheap valid event derived from i: what benchmarks time. */
    cxm_status (*add_one)(void *acc, uint64_t i);
    cxm_status (*merge)(void *dst, const void *src);
    cxm_status (*reset)(void *acc);
    cxm_status (*clone)(const void *acc, const cxm_allocator *alloc, void **out);
    cxm_status (*encode)(const void *acc, uint8_t *buf, size_t cap, size_t *len);
    cxm_status (*decode)(const uint8_t *buf, size_t len, const cxm_allocator *alloc, void **out);
    /*
     * Calls every result function of the family and flattens what they
     * return into at most `cap` doubles (*n receives the count): two states
     * with equal summaries report the same numbers. Returns the first
     * status that is neither CXM_OK nor CXM_EMPTY.
     */
    cxm_status (*summary)(const void *acc, double *out, size_t cap, size_t *n);
    /* Number of events the accumulator has counted (for invariants). */
    uint64_t (*events)(const void *acc);
    void (*destroy)(void *acc);
    /*
     * Calls every result function of the family and checks what holds for
     * any state: each share, percentage and score lies in its domain, and
     * each interval lies in it too and contains its point estimate. NULL
     * when everything holds, else a description of the first violation.
     */
    const char *(*bounds)(const void *acc);
} cxm_family_ops;

extern const cxm_family_ops cxm_families[];
extern const size_t cxm_family_count;

/*
 * Configuration objects (calendar, SLA policy): rows of the same shape whose
 * merge, reset and add_one are NULL (they neither merge nor reset). `feed`
 * adds entries (all or none), `summary` queries them (business seconds, due
 * instants, one-shot SLA evaluations). The fuzzers iterate these rows after
 * cxm_families (see cxm_fuzz_row); the accumulator gates do not.
 */
extern const cxm_family_ops cxm_config_families[];
extern const size_t cxm_config_family_count;

/* Row i of the accumulators followed by the configuration objects (i < both counts). */
static inline const cxm_family_ops *cxm_fuzz_row(size_t i)
{
    return i < cxm_family_count ? &cxm_families[i] : &cxm_config_families[i - cxm_family_count];
}
static inline size_t cxm_fuzz_row_count(void)
{
    return cxm_family_count + cxm_config_family_count;
}

/*
 * Whether `variant` is variant 0's configuration in another storage form
 * (the compact duration and survival accumulators): the two merge exactly
 * into each other, encode alike and report alike, where any other variant
 * refuses to merge with variant 0.
 */
bool cxm_family_twin(const cxm_family_ops *f, uint32_t variant);

/* The entry with this name, or NULL. */
const cxm_family_ops *cxm_family_find(const char *name);

/*
 * The accumulator's encoding in a new malloc'd buffer (release it with
 * free()), its size in *len; NULL if encoding failed or memory ran out.
 * For harnesses that run outside cmocka (fuzzers, generators, threads).
 */
uint8_t *cxm_family_encoding(const cxm_family_ops *f, const void *acc, size_t *len);

/* The entry whose encodings carry this cxm_family id, or NULL. */
const cxm_family_ops *cxm_family_by_id(uint32_t family);

/* The newest format version the family's encoder writes today, over its variants (0 if none
 * encodes). */
uint32_t cxm_family_version(const cxm_family_ops *f);

/*
 * Committed encoding vectors (tests/vectors/<name>_v<N>.hex: pairs of hex
 * digits, any whitespace) and their expected summaries (<name>_v<N>.summary:
 * the family's summary of the decoded vector, one value a line).
 * cxm_vector_read returns the number of bytes read (at most cap) or
 * SIZE_MAX if the file cannot be read; the writers return 0 on success.
 */
size_t cxm_vector_read(const char *path, uint8_t *buf, size_t cap);
int cxm_vector_write(const char *path, const uint8_t *buf, size_t len);
int cxm_summary_write(const char *path, const cxm_family_ops *f, const void *acc);
/* Reads a summary file: status, up to cap values, *n their count; 0 on success. */
int cxm_summary_read(const char *path, int *status, double *values, size_t cap, size_t *n);

#define CXM_SUMMARY_MAX 4096
/* feed and feed_each read at most this many bytes (longer inputs are cut). */
#define CXM_FEED_MAX 4096

#endif
