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

/* Pages start after the links, rounded up to a cache line from the pool's start. */
static inline size_t skp_pages_offset(uint32_t pages)
{
    size_t off = sizeof(skp_pool) + (size_t)pages * sizeof(uint32_t);
    return (off + 63u) & ~(size_t)63u;
}

/* Page i of the pool (an index from a directory or a link, minus one). */
static inline uint8_t *skp_page(const skp_pool *pool, uint32_t i)
{
    return (uint8_t *)(uintptr_t)pool + skp_pages_offset(pool->pages) + (size_t)i * SKP_PAGE;
}

/* Bytes of a pool of `pages` pages (header, links, pages); 0 beyond SKP_MAX_PAGES. */
size_t skp_bytes(uint32_t pages);
/* Makes an empty pool of `pages` pages in `mem` (skp_bytes(pages) bytes, zeroed or not). */
void skp_init(skp_pool *pool, uint32_t pages);
/* Returns every page (the sketches must be emptied with it: skp_clear each). */
void skp_reset(skp_pool *pool);
/*
 * Scratch memory for a caller that holds the pool alone for a while (the
 * roll-up's add_many keeps a batch's derived records there): the last
 * `bytes` of the pages never handed out, when at least `reserve` more such
 * pages stay below them for the pages the caller may take meanwhile (pages
 * are handed out from the bottom, so none of those reaches the scratch);
 * NULL otherwise. Nothing changes: the pages stay free, are zeroed when
 * handed out, and no count is ever read from them.
 */
void *skp_scratch(skp_pool *pool, size_t bytes, uint64_t reserve);
/* What a byte of budget buys: a page and its link. */
#define SKP_PAGE_COST (SKP_PAGE + (uint32_t)sizeof(uint32_t))
/* The most pages one sketch can hold: every octave with counts of eight bytes. */
#define SKP_SKETCH_PAGES (SKP_OCTAVES * SKP_MAX_LEVELS)

/*
 * Pages a standalone accumulator's memory budget buys (one per
 * SKP_PAGE_COST bytes); 0 when it buys none or more than `most` pages'
 * worth (the caller refuses it).
 */
static inline uint32_t skp_budget_pages(uint64_t budget, uint32_t most)
{
    if (budget < SKP_PAGE_COST || budget > (uint64_t)most * SKP_PAGE_COST) return 0;
    return (uint32_t)(budget / SKP_PAGE_COST);
}

/*
 * The pool of a standalone accumulator of the compact form, kept `at`
 * bytes into its object, and the object's memory as its cxm_*_memory call
 * reports it (`pool` NULL: the dense form, no free pages).
 */
static inline skp_pool *skp_pool_in(void *obj, size_t at)
{
    return (skp_pool *)(void *)((char *)obj + at);
}
static inline const skp_pool *skp_cpool_in(const void *obj, size_t at)
{
    return (const skp_pool *)(const void *)((const char *)obj + at);
}
static inline void skp_memory(const skp_pool *pool, size_t bytes, size_t *used, size_t *available)
{
    size_t free_bytes = pool ? (size_t)(pool->pages - pool->used) * SKP_PAGE : 0;
    if (used) *used = bytes - free_bytes;
    if (available) *available = free_bytes;
}

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
 * THE HOT PATH of an object adding one value to several sketches (the
 * roll-up: each time of a ticket goes into each of its groups). The
 * value's bucket, microseconds and their square are computed once
 * (skp_prepare); skp_prefetch_head asks for the head's lines and
 * skp_counter finds the bucket's counter (reading the directory), so that a
 * caller can find every counter first and ask for their lines before it
 * writes any (the misses of many sketches overlap instead of following one
 * another); skp_add_located is skp_add (the same result, bit for bit) for
 * a caller that checked the value, the count (n < 2^64 - 1) and the pages
 * (skp_add_needs) before.
 */
typedef struct skp_value {
    double v;             /* a valid duration, -0.0 made 0 */
    uint64_t bits;        /* v's bits: non-negative doubles order as these */
    uint64_t us;          /* dur_us(v) */
    uint64_t sq[2];       /* us^2 */
    uint32_t octave, sub; /* octave SKP_OCTAVES: the underflow or overflow slot */
} skp_value;

static inline void skp_prepare(skp_value *x, double v)
{
    x->v = v == 0.0 ? 0.0 : v;
    memcpy(&x->bits, &x->v, sizeof x->bits);
    x->us = dur_us(x->v);
    dur_square(x->us, x->sq);
    uint32_t slot = dur_slot_of(x->v);
    bool edge = slot == DUR_UNDER || slot == DUR_OVER;
    x->octave = edge ? SKP_OCTAVES : (slot - 1u) / SKP_PAGE;
    x->sub = edge ? 0u : (slot - 1u) % SKP_PAGE;
}

/* A hint only (no effect on results): a no-op where the compiler has no prefetch. */
#if defined(__GNUC__) || defined(__clang__)
#define SKP_PREFETCH(p) __builtin_prefetch((p), 1, 3)
#else
#define SKP_PREFETCH(p) ((void)(p))
#endif

/* The lines of the head an add writes (count, sums, extremes) and its directory entry. */
static inline void skp_prefetch_head(const skp_sketch *s, const skp_value *x)
{
    SKP_PREFETCH(&s->n);
    SKP_PREFETCH(&s->max);
    if (x->octave < SKP_OCTAVES) SKP_PREFETCH(&s->dir[x->octave]);
}

/*
 * The low byte of x's bucket counter in s, NULL when its octave has no page
 * yet (or x is in an edge slot). `pages` is skp_page(pool, 0), computed
 * once by a caller adding to many sketches: a counter is a byte, and a
 * byte store may alias anything, so the compiler would otherwise read the
 * pool's header again on every add. Adds never move a low byte (they take
 * pages and lengthen carry chains), so it stays valid until a removal.
 */
static inline uint8_t *skp_counter(uint8_t *pages, const skp_sketch *s, const skp_value *x)
{
    uint32_t h = x->octave < SKP_OCTAVES ? s->dir[x->octave] : 0u;
    return h ? pages + (size_t)(h - 1u) * SKP_PAGE + x->sub : NULL;
}

/* Adds x to s, `low` being skp_counter(pages, s, x) found since the last removal from s. */
static inline void skp_add_located(skp_pool *pool, skp_sketch *s, uint8_t *low, const skp_value *x)
{
    /* No page yet (or one taken since low was found), a carry or an edge slot: the general
     * add (rare in a stream). */
    if (!low || *low == UINT8_MAX) {
        (void)skp_add(pool, s, x->v);
        return;
    }
    ++*low;
    if (s->n == 0) s->min = s->max = x->v;
    dur_extremes_take(&s->min, &s->max, x->bits);
    s->n++;
    dur_moments_add_sq(s->sum, s->sumsq, x->us, x->sq);
}

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
 * Steps the count of v's bucket by one and nothing else, up (taking the
 * pages it needs; false, nothing changed, when the pool has too few) or
 * down (giving back pages no count uses any more): a dry run of the pages
 * a sequence of adds takes, undone by the same steps down.
 */
bool skp_count_step(skp_pool *pool, skp_sketch *s, double v, bool up);

/*
 * Whether adding v[0..n) (valid durations), value i into the sketch
 * pick(ctx, i), fits the pool: each add takes at most one page, so a batch
 * no longer than the free pages fits at once; then a bound from the
 * batch's values per octave and the octaves' chain lengths (one pass, no
 * count read); otherwise the bucket counts are stepped up in turn
 * (skp_count_step) and back. Nothing changes.
 */
typedef skp_sketch *(*skp_pick_fn)(void *ctx, size_t i);
bool skp_batch_fits(skp_pool *pool, const double *v, size_t n, skp_pick_fn pick, void *ctx);

/*
 * Replaces k sketches of one pool by the duration_cores `cores` (valid
 * sketches, for example a sketch materialised and merged with another by
 * dur_merge), all or nothing: CXM_CAPACITY when the pool, their own pages
 * given back, cannot hold them all; nothing changed.
 */
cxm_status skp_reload(skp_pool *pool, skp_sketch *const *dst, const duration_core *cores,
                      uint32_t k);

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
