/*
 * sketch_pool.h — duration sketches whose bucket counts live in pages drawn
 * from one pool, so that an object holding many sketches (the roll-up's
 * groups: per channel, topic, priority, agent, cross cell) pays for the
 * buckets its data fills, not for every bucket of every sketch.
 *
 * SAME SKETCH, OTHER STORAGE. A paged sketch has the layout of
 * duration_core.h (2,496 log-linear buckets, underflow and overflow slots,
 * the same exact count, moments and extremes), so materialising it
 * (skp_to_core) gives the duration_core that the same values would have
 * built, and every statistic, bound and encoding of duration_core applies
 * unchanged. Only the counts are stored differently:
 *  - the buckets of one octave (64 sub-buckets) share a page of 64 one-byte
 *    counters, allocated when the octave receives its first value;
 *  - a counter that reaches 256 carries into a page of next-higher bytes
 *    linked to it (allocated when the first carry happens), and so on up to
 *    eight bytes: a count is exact up to 2^64 - 1 like duration_core's;
 *  - the underflow and overflow counts sit in the sketch itself.
 * Log-normal support times, 1,000 values spanning four decades, fill about
 * 12 octaves: ~0.8 KB of pages against the 20 KB of a duration_core.
 *
 * THE POOL. Fixed at creation (no allocation afterwards): `pages` pages of
 * SKP_PAGE bytes plus a 4-byte link per page. An add that needs a page when
 * none is free is CXM_CAPACITY and changes nothing — never a silent loss of
 * accuracy. A page whose counters all return to zero (removals) goes back
 * to the pool, so memory follows the data both ways.
 *
 * Pages are named by index, never by pointer: a pool and its sketches can
 * be copied with memcpy (clone) and compared byte for byte only up to page
 * placement — compare materialised sketches, or encodings, instead.
 */
#ifndef CXM_SKETCH_POOL_H
#define CXM_SKETCH_POOL_H

#include "duration_core.h"

#define SKP_PAGE 64u                    /* counters (bytes) per page: one octave */
#define SKP_OCTAVES DUR_OCTAVES         /* directory entries per sketch */
#define SKP_MAX_PAGES (UINT32_MAX / 2u) /* page indexes fit 31 bits */
#define SKP_MAX_LEVELS 8u               /* bytes of a count */

/* The pool: this header, then `pages` links, then the pages. */
typedef struct skp_pool {
    uint32_t pages;     /* capacity */
    uint32_t used;      /* pages handed out */
    uint32_t fresh;     /* pages [fresh, pages) were never handed out */
    uint32_t free_head; /* 1 + a returned page (they chain through their links); 0 none */
} skp_pool;

/* One sketch: duration_core's exact fields, the two edge counts, the directory. */
typedef struct skp_sketch {
    uint64_t n;
    uint64_t sum[2];
    uint64_t sumsq[3];
    double min, max, under_max, over_min;
    uint64_t under, over;      /* counts of the underflow and overflow slots */
    uint32_t dir[SKP_OCTAVES]; /* 1 + the octave's low-byte page; 0 = empty octave */
    uint32_t reserved;
} skp_sketch;

/* Bytes of a pool of `pages` pages (header, links, pages); 0 beyond SKP_MAX_PAGES. */
size_t skp_bytes(uint32_t pages);
/* Makes an empty pool of `pages` pages in `mem` (skp_bytes(pages) bytes, zeroed or not). */
void skp_init(skp_pool *pool, uint32_t pages);
/* Returns every page (the sketches must be emptied with it: skp_clear each). */
void skp_reset(skp_pool *pool);
/* Pages in use and free. */
static inline uint32_t skp_used(const skp_pool *pool)
{
    return pool->used;
}
static inline uint32_t skp_free(const skp_pool *pool)
{
    return pool->pages - pool->used;
}

/* An empty sketch (same as zeroing it); its pages must already be back in the pool. */
void skp_clear(skp_sketch *s);
/* Returns the sketch's pages to the pool and empties it. */
void skp_release(skp_pool *pool, skp_sketch *s);

/*
 * Adds one value. CXM_OUT_OF_RANGE (not a duration), CXM_OVERFLOW (n full),
 * CXM_CAPACITY (a page is needed and the pool has none): unchanged.
 */
cxm_status skp_add(skp_pool *pool, skp_sketch *s, double v);
/*
 * Pages an add of `v` would take (0, 1 or more when a carry chain grows):
 * lets a caller updating several sketches at once check before it writes.
 */
uint32_t skp_add_needs(const skp_pool *pool, const skp_sketch *s, double v);

/*
 * Removes one value previously added: counts, bucket count and the exact
 * moments go back exactly; pages emptied go back to the pool. The extremes
 * follow duration_core's retraction rules (dur_head_sub: the same code):
 * bounds within the bucket of the true extreme, exact to the microsecond
 * with one or two values left. skp_remove_ok says whether v can be taken
 * out (dur_head_sub_ok). CXM_OUT_OF_RANGE (not a duration), CXM_BAD_STATE
 * (v cannot have been added): unchanged.
 */
bool skp_remove_ok(const skp_pool *pool, const skp_sketch *s, double v);
cxm_status skp_remove(skp_pool *pool, skp_sketch *s, double v);

/*
 * Pages merging `src` (of `src_pool`) into `dst` would take from dst's pool:
 * new octaves and longer carry chains, counted exactly.
 */
uint32_t skp_merge_needs(const skp_pool *dst_pool, const skp_sketch *dst, const skp_pool *src_pool,
                         const skp_sketch *src);
/*
 * Adds src into dst (different sketches; the pools may be the same).
 * CXM_OVERFLOW (a count would pass 2^64 - 1), CXM_CAPACITY (not enough free
 * pages; see skp_merge_needs): dst unchanged.
 */
cxm_status skp_merge(skp_pool *dst_pool, skp_sketch *dst, const skp_pool *src_pool,
                     const skp_sketch *src);

/* The count of one slot (0 underflow, 1..DUR_BUCKETS, DUR_OVER overflow). */
uint64_t skp_slot(const skp_pool *pool, const skp_sketch *s, uint32_t slot);
/* The duration_core the same values would have built (every statistic reads from it). */
void skp_to_core(const skp_pool *pool, const skp_sketch *s, duration_core *out);
/*
 * Loads a valid duration_core (for example one dur_read decoded) into an
 * empty sketch. CXM_CAPACITY (the pool has too few pages): the sketch stays
 * empty and the pool as it was.
 */
cxm_status skp_from_core(skp_pool *pool, skp_sketch *s, const duration_core *c);
/* Pages skp_from_core takes for `c` (whatever the pool): a decoder counts them before it
 * allocates. */
uint32_t skp_core_needs(const duration_core *c);
/* Pages a sketch holds (directory and carry chains). */
uint32_t skp_pages_of(const skp_pool *pool, const skp_sketch *s);

#endif
