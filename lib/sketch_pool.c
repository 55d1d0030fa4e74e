/*
 * sketch_pool.c — paged duration sketches and the page pool they draw from
 * (see sketch_pool.h): page allocation, the byte-wise carry chains of the
 * counts, add and remove, merge, and the conversions to and from
 * duration_core through which every statistic and the encoding are read.
 */
#include <stddef.h>

#include "sketch_pool.h"

/* ---- the pool ------------------------------------------------------------------- */

static uint32_t *links(skp_pool *p)
{
    return (uint32_t *)(p + 1);
}

static const uint32_t *clinks(const skp_pool *p)
{
    return (const uint32_t *)(p + 1);
}

static uint8_t *page(skp_pool *p, uint32_t i)
{
    return skp_page(p, i);
}

static const uint8_t *cpage(const skp_pool *p, uint32_t i)
{
    return skp_page(p, i);
}

size_t skp_bytes(uint32_t pages)
{
    if (pages > SKP_MAX_PAGES) return 0;
    return skp_pages_offset(pages) + (size_t)pages * SKP_PAGE;
}

void skp_init(skp_pool *pool, uint32_t pages)
{
    pool->pages = pages;
    skp_reset(pool);
}

void skp_reset(skp_pool *pool)
{
    pool->used = 0;
    pool->fresh = 0;
    pool->free_head = 0;
}

void *skp_scratch(skp_pool *pool, size_t bytes, uint64_t reserve)
{
    uint64_t k = bytes / SKP_PAGE + (bytes % SKP_PAGE != 0);
    uint64_t never = (uint64_t)pool->pages - pool->fresh;
    if (k > never || reserve > never - k) return NULL;
    return page(pool, pool->pages - (uint32_t)k);
}

/* A zeroed page with no link; the caller checked that one is free. */
static uint32_t page_take(skp_pool *p)
{
    uint32_t i;
    if (p->free_head) {
        i = p->free_head - 1u;
        p->free_head = links(p)[i];
    } else {
        i = p->fresh++;
    }
    links(p)[i] = 0;
    memset(page(p, i), 0, SKP_PAGE);
    p->used++;
    return i;
}

static void page_give(skp_pool *p, uint32_t i)
{
    links(p)[i] = p->free_head;
    p->free_head = i + 1u;
    p->used--;
}

/* ---- counts: a chain of byte pages per octave ----------------------------------- */

static uint32_t chain_length(const skp_pool *p, uint32_t head)
{
    uint32_t k = 0;
    for (; head; k++)
        head = clinks(p)[head - 1u];
    return k;
}

/* The count of sub-bucket `sub` of an octave's chain. */
static uint64_t chain_count(const skp_pool *p, uint32_t head, uint32_t sub)
{
    uint64_t v = 0;
    for (uint32_t k = 0; head; k++, head = clinks(p)[head - 1u])
        v |= (uint64_t)cpage(p, head - 1u)[sub] << (8u * k);
    return v;
}

/* Bytes a count needs (0 for 0). */
static uint32_t count_levels(uint64_t v)
{
    uint32_t k = 0;
    for (; v; v >>= 8)
        k++;
    return k;
}

/*
 * Writes `v` into sub-bucket `sub` of the chain, growing it (the caller
 * checked the pages) and, when every counter of its top pages is zero
 * afterwards, giving those pages back. *head may become 0 (empty octave).
 */
static void chain_store(skp_pool *p, uint32_t *head, uint32_t sub, uint64_t v)
{
    uint32_t need = count_levels(v), have = chain_length(p, *head);
    uint32_t *at = head;
    for (uint32_t k = 0; k < need || k < have; k++) {
        if (!*at) *at = page_take(p) + 1u;
        page(p, *at - 1u)[sub] = (uint8_t)(v >> (8u * k));
        at = &links(p)[*at - 1u];
    }
    if (need >= have) return;
    /* The count shrank: drop top pages that no counter uses any more. */
    uint32_t keep = 0;
    for (uint32_t k = 0, i = *head; i; k++, i = clinks(p)[i - 1u]) {
        const uint8_t *pg = cpage(p, i - 1u);
        for (uint32_t j = 0; j < SKP_PAGE; j++)
            if (pg[j]) {
                keep = k + 1u;
                break;
            }
    }
    at = head;
    for (uint32_t k = 0; k < keep; k++)
        at = &links(p)[*at - 1u];
    uint32_t i = *at;
    *at = 0;
    while (i) {
        uint32_t next = links(p)[i - 1u];
        page_give(p, i - 1u);
        i = next;
    }
}

/*
 * One byte level of the long addition of two chains: d + s + carry per
 * counter (d or s NULL: a level the chain does not have), the low bytes
 * into out (NULL: only counted), the carries kept (one byte, 0 or 1, per
 * counter). Whether any carries on.
 *
 * Eight counters at a time in a 64-bit word, split into its even and odd
 * bytes so that each byte's sum (at most 255 + 255 + 1) has the 16 bits of
 * its lane to itself: the low byte is the counter, bit 8 its carry. A
 * counter never leaves its lane, so the byte order of the load does not
 * matter. Merging compact sketches is this loop: 8 words a level instead
 * of 64 bytes.
 */
#define LANES UINT64_C(0x00FF00FF00FF00FF)
#define LANE_BIT UINT64_C(0x0001000100010001)
static bool level_add(const uint8_t *d, const uint8_t *s, uint8_t carry[SKP_PAGE], uint8_t *out)
{
    uint64_t any = 0;
    for (uint32_t j = 0; j < SKP_PAGE; j += 8u) {
        uint64_t a = 0, b = 0, c;
        if (d) memcpy(&a, d + j, 8);
        if (s) memcpy(&b, s + j, 8);
        memcpy(&c, carry + j, 8);
        uint64_t even = (a & LANES) + (b & LANES) + (c & LANES);
        uint64_t odd = ((a >> 8) & LANES) + ((b >> 8) & LANES) + ((c >> 8) & LANES);
        if (out) {
            uint64_t low = (even & LANES) | ((odd & LANES) << 8);
            memcpy(out + j, &low, 8);
        }
        c = ((even >> 8) & LANE_BIT) | (((odd >> 8) & LANE_BIT) << 8);
        memcpy(carry + j, &c, 8);
        any |= c;
    }
    return any != 0;
}
#undef LANES
#undef LANE_BIT

/*
 * Adds every count of the chain `src` (of `sp`) into the chain *dst (of dp;
 * a different chain, the pools may be the same) as a long addition, byte
 * level by byte level with a carry per counter: each page is read and
 * written once. The caller checked the pages (skp_merge_needs); *dst grows
 * by a page where a level receives a byte or a carry it did not have.
 */
static void chain_add(skp_pool *dp, uint32_t *dst, const skp_pool *sp, uint32_t src)
{
    uint8_t carry[SKP_PAGE] = {0};
    bool carries = false;
    for (uint32_t *at = dst; src || carries; at = &links(dp)[*at - 1u]) {
        if (!*at) *at = page_take(dp) + 1u;
        uint8_t *d = page(dp, *at - 1u);
        carries = level_add(d, src ? cpage(sp, src - 1u) : NULL, carry, d);
        src = src ? clinks(sp)[src - 1u] : 0u;
    }
}

/*
 * Levels chain_add(dp, &dst, sp, src) writes (at most SKP_MAX_LEVELS: counts
 * fit 64 bits when the caller checked the totals), the same long addition
 * without the writes.
 */
static uint32_t chain_add_levels(const skp_pool *dp, uint32_t dst, const skp_pool *sp, uint32_t src)
{
    uint8_t carry[SKP_PAGE] = {0};
    bool carries = false;
    uint32_t k = 0;
    for (; (src || carries) && k < SKP_MAX_LEVELS; k++) {
        carries = level_add(dst ? cpage(dp, dst - 1u) : NULL, src ? cpage(sp, src - 1u) : NULL,
                            carry, NULL);
        dst = dst ? clinks(dp)[dst - 1u] : 0u;
        src = src ? clinks(sp)[src - 1u] : 0u;
    }
    return k;
}

/* Pages storing `v` in sub-bucket `sub` would add to the chain. */
static uint32_t chain_needs(const skp_pool *p, uint32_t head, uint64_t v)
{
    uint32_t need = count_levels(v), have = chain_length(p, head);
    return need > have ? need - have : 0;
}

uint64_t skp_slot(const skp_pool *pool, const skp_sketch *s, uint32_t slot)
{
    if (slot == DUR_UNDER) return s->under;
    if (slot == DUR_OVER) return s->over;
    return chain_count(pool, s->dir[(slot - 1u) / SKP_PAGE], (slot - 1u) % SKP_PAGE);
}

/* ---- exact fields ----------------------------------------------------------------- */

void skp_clear(skp_sketch *s)
{
    memset(s, 0, sizeof *s);
}

void skp_release(skp_pool *pool, skp_sketch *s)
{
    for (uint32_t o = 0; o < SKP_OCTAVES; o++) {
        uint32_t i = s->dir[o];
        while (i) {
            uint32_t next = links(pool)[i - 1u];
            page_give(pool, i - 1u);
            i = next;
        }
    }
    skp_clear(s);
}

uint32_t skp_pages_of(const skp_pool *pool, const skp_sketch *s)
{
    uint32_t k = 0;
    for (uint32_t o = 0; o < SKP_OCTAVES; o++)
        k += chain_length(pool, s->dir[o]);
    return k;
}

/* ---- add and remove --------------------------------------------------------------- */

uint32_t skp_add_needs(const skp_pool *pool, const skp_sketch *s, double v)
{
    if (!dur_value_ok(v)) return 0;
    uint32_t slot = dur_slot_of(v);
    if (slot == DUR_UNDER || slot == DUR_OVER) return 0;
    uint32_t head = s->dir[(slot - 1u) / SKP_PAGE], sub = (slot - 1u) % SKP_PAGE;
    return chain_needs(pool, head, chain_count(pool, head, sub) + 1u);
}

/* Keeps the exact extremes of the underflow and overflow slots. */
static void note_edge_extreme(skp_sketch *s, double v, uint32_t slot)
{
    if (slot == DUR_UNDER && v > s->under_max) s->under_max = v;
    if (slot == DUR_OVER && (s->over_min == 0.0 || v < s->over_min)) s->over_min = v;
}

/* The count cell of a tracked slot, read and written through the chain. */
static void slot_store(skp_pool *pool, skp_sketch *s, uint32_t slot, uint64_t v)
{
    if (slot == DUR_UNDER)
        s->under = v;
    else if (slot == DUR_OVER)
        s->over = v;
    else
        chain_store(pool, &s->dir[(slot - 1u) / SKP_PAGE], (slot - 1u) % SKP_PAGE, v);
}

cxm_status skp_add(skp_pool *pool, skp_sketch *s, double v)
{
    if (!dur_value_ok(v)) return CXM_OUT_OF_RANGE;
    if (v == 0.0) v = 0.0; /* -0.0 is 0 */
    if (s->n == UINT64_MAX) return CXM_OVERFLOW;
    uint32_t slot = dur_slot_of(v);
    /*
     * The common case first: the octave has its page and the low byte does
     * not carry — one byte incremented, no chain walked, nothing to check.
     */
    uint8_t *low = NULL;
    if (slot != DUR_UNDER && slot != DUR_OVER) {
        uint32_t h = s->dir[(slot - 1u) / SKP_PAGE];
        if (h) low = page(pool, h - 1u) + (slot - 1u) % SKP_PAGE;
    }
    if (low && *low != UINT8_MAX) {
        ++*low;
    } else {
        if (skp_add_needs(pool, s, v) > skp_free(pool)) return CXM_CAPACITY;
        note_edge_extreme(s, v, slot);
        slot_store(pool, s, slot, skp_slot(pool, s, slot) + 1u);
    }
    if (s->n == 0) s->min = s->max = v;
    s->min = v < s->min ? v : s->min;
    s->max = v > s->max ? v : s->max;
    s->n++;
    dur_moments_add(s->sum, s->sumsq, dur_us(v));
    return CXM_OK;
}

/* The exact fields are duration_core's head: its retraction rules apply unchanged. */
_Static_assert(offsetof(skp_sketch, n) == offsetof(dur_head, n) &&
                   offsetof(skp_sketch, sum) == offsetof(dur_head, sum) &&
                   offsetof(skp_sketch, sumsq) == offsetof(dur_head, sumsq) &&
                   offsetof(skp_sketch, min) == offsetof(dur_head, min) &&
                   offsetof(skp_sketch, max) == offsetof(dur_head, max) &&
                   offsetof(skp_sketch, under_max) == offsetof(dur_head, under_max) &&
                   offsetof(skp_sketch, over_min) == offsetof(dur_head, over_min) &&
                   offsetof(skp_sketch, under) == sizeof(dur_head),
               "skp_sketch starts with dur_head");

typedef struct pool_sketch {
    const skp_pool *pool;
    const skp_sketch *s;
} pool_sketch;

static uint64_t pool_count(const void *ps, uint32_t slot)
{
    const pool_sketch *x = ps;
    return skp_slot(x->pool, x->s, slot);
}

bool skp_remove_ok(const skp_pool *pool, const skp_sketch *s, double v)
{
    if (!dur_value_ok(v)) return false;
    return dur_head_sub_ok((const dur_head *)(const void *)s,
                           skp_slot(pool, s, dur_slot_of(v == 0.0 ? 0.0 : v)), v);
}

cxm_status skp_remove(skp_pool *pool, skp_sketch *s, double v)
{
    if (!dur_value_ok(v)) return CXM_OUT_OF_RANGE;
    if (v == 0.0) v = 0.0;
    if (!skp_remove_ok(pool, s, v)) return CXM_BAD_STATE;
    if (s->n == 1) { /* the last value: every page goes back */
        skp_release(pool, s);
        return CXM_OK;
    }
    uint32_t slot = dur_slot_of(v);
    slot_store(pool, s, slot, skp_slot(pool, s, slot) - 1u);
    const pool_sketch ps = {pool, s};
    dur_head_sub((dur_head *)(void *)s, v, pool_count, &ps);
    return CXM_OK;
}

bool skp_count_step(skp_pool *pool, skp_sketch *s, double v, bool up)
{
    uint32_t slot = dur_slot_of(v == 0.0 ? 0.0 : v);
    if (slot == DUR_UNDER || slot == DUR_OVER) return true; /* counted in the head: no page */
    if (up && skp_add_needs(pool, s, v) > skp_free(pool)) return false;
    uint64_t c = skp_slot(pool, s, slot);
    slot_store(pool, s, slot, up ? c + 1u : c - 1u);
    return true;
}

/* The sketches a batch bound tells apart (more: the batch is counted page by page). */
#define BOUND_SKETCHES 2u

/*
 * A bound on the pages a batch takes, from its values per octave alone: an
 * octave whose chain has k pages holds counts below 256^k, so n more
 * values leave its counts below 256^k + n, which needs count_levels(256^k
 * - 1 + n) pages. UINT64_MAX when the batch has more sketches than the
 * bound tells apart.
 */
static uint64_t batch_bound(const skp_pool *pool, const double *v, size_t n, skp_pick_fn pick,
                            void *ctx)
{
    const skp_sketch *seen[BOUND_SKETCHES] = {NULL, NULL};
    uint64_t per[BOUND_SKETCHES][SKP_OCTAVES];
    memset(per, 0, sizeof per);
    uint32_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const skp_sketch *s = pick(ctx, i);
        uint32_t j = 0;
        while (j < k && seen[j] != s)
            j++;
        if (j == k) {
            if (k == BOUND_SKETCHES) return UINT64_MAX;
            seen[k++] = s;
        }
        uint32_t slot = dur_slot_of(v[i]);
        if (slot != DUR_UNDER && slot != DUR_OVER) per[j][(slot - 1u) / SKP_PAGE]++;
    }
    uint64_t bound = 0;
    for (uint32_t j = 0; j < k; j++)
        for (uint32_t o = 0; o < SKP_OCTAVES; o++) {
            if (!per[j][o]) continue;
            uint32_t have = chain_length(pool, seen[j]->dir[o]);
            uint64_t top = have >= SKP_MAX_LEVELS ? UINT64_MAX : ((uint64_t)1 << (8u * have)) - 1u;
            top = top > UINT64_MAX - per[j][o] ? UINT64_MAX : top + per[j][o];
            bound += count_levels(top) - have;
        }
    return bound;
}

bool skp_batch_fits(skp_pool *pool, const double *v, size_t n, skp_pick_fn pick, void *ctx)
{
    /* Each add takes at most one page; most batches fit by the bound; the rest, counted. */
    if (n <= skp_free(pool) || batch_bound(pool, v, n, pick, ctx) <= skp_free(pool)) return true;
    size_t i = 0;
    while (i < n && skp_count_step(pool, pick(ctx, i), v[i], true))
        i++;
    const bool fits = i == n;
    while (i-- > 0)
        (void)skp_count_step(pool, pick(ctx, i), v[i], false);
    return fits;
}

/* ---- merge -------------------------------------------------------------------- */

uint32_t skp_merge_needs(const skp_pool *dst_pool, const skp_sketch *dst, const skp_pool *src_pool,
                         const skp_sketch *src)
{
    uint32_t need = 0;
    for (uint32_t o = 0; o < SKP_OCTAVES; o++) {
        if (!src->dir[o]) continue;
        uint32_t top = chain_add_levels(dst_pool, dst->dir[o], src_pool, src->dir[o]);
        uint32_t have = chain_length(dst_pool, dst->dir[o]);
        need += top > have ? top - have : 0;
    }
    return need;
}

cxm_status skp_merge(skp_pool *dst_pool, skp_sketch *dst, const skp_pool *src_pool,
                     const skp_sketch *src)
{
    /* Bucket counts are at most n: when n fits, so does every bucket. */
    if (cxm_add_overflows(dst->n, src->n)) return CXM_OVERFLOW;
    if (src->n == 0) return CXM_OK;
    if (skp_merge_needs(dst_pool, dst, src_pool, src) > skp_free(dst_pool)) return CXM_CAPACITY;
    if (dst->n == 0) {
        dst->min = src->min;
        dst->max = src->max;
    }
    dst->min = src->min < dst->min ? src->min : dst->min;
    dst->max = src->max > dst->max ? src->max : dst->max;
    dst->under_max = src->under_max > dst->under_max ? src->under_max : dst->under_max;
    if (src->over_min != 0.0 && (dst->over_min == 0.0 || src->over_min < dst->over_min))
        dst->over_min = src->over_min;
    dst->n += src->n;
    dur_mp_add(dst->sum, src->sum, 2);
    dur_mp_add(dst->sumsq, src->sumsq, 3);
    dst->under += src->under;
    dst->over += src->over;
    for (uint32_t o = 0; o < SKP_OCTAVES; o++)
        if (src->dir[o]) chain_add(dst_pool, &dst->dir[o], src_pool, src->dir[o]);
    return CXM_OK;
}

/* ---- conversions ---------------------------------------------------------------- */

void skp_to_core(const skp_pool *pool, const skp_sketch *s, duration_core *out)
{
    memcpy(out, s, sizeof(dur_head)); /* both start with the exact fields, the slots next */
    out->slot[DUR_UNDER] = s->under;
    out->slot[DUR_OVER] = s->over;
    /* Level by level, a page's 64 bytes into the octave's 64 counts at once (every read of a
     * compact accumulator or of a roll-up's group starts here). */
    for (uint32_t o = 0; o < SKP_OCTAVES; o++) {
        uint64_t *c = &out->slot[1u + o * SKP_PAGE];
        memset(c, 0, SKP_PAGE * sizeof *c);
        for (uint32_t i = s->dir[o], shift = 0; i; i = clinks(pool)[i - 1u], shift += 8u) {
            const uint8_t *pg = cpage(pool, i - 1u);
            for (uint32_t j = 0; j < SKP_PAGE; j++)
                c[j] |= (uint64_t)pg[j] << shift;
        }
    }
}

uint32_t skp_core_needs(const duration_core *c)
{
    uint32_t need = 0;
    for (uint32_t o = 0; o < SKP_OCTAVES; o++) {
        uint32_t top = 0;
        for (uint32_t j = 0; j < SKP_PAGE; j++) {
            uint32_t lv = count_levels(c->slot[1u + o * SKP_PAGE + j]);
            top = lv > top ? lv : top;
        }
        need += top;
    }
    return need;
}

cxm_status skp_from_core(skp_pool *pool, skp_sketch *s, const duration_core *c)
{
    if (skp_core_needs(c) > skp_free(pool)) return CXM_CAPACITY;
    skp_clear(s);
    memcpy(s, c, sizeof(dur_head)); /* both start with the exact fields */
    s->under = c->slot[DUR_UNDER];
    s->over = c->slot[DUR_OVER];
    for (uint32_t o = 0; o < SKP_OCTAVES; o++)
        for (uint32_t j = 0; j < SKP_PAGE; j++)
            if (c->slot[1u + o * SKP_PAGE + j])
                chain_store(pool, &s->dir[o], j, c->slot[1u + o * SKP_PAGE + j]);
    return CXM_OK;
}

cxm_status skp_reload(skp_pool *pool, skp_sketch *const *dst, const duration_core *cores,
                      uint32_t k)
{
    uint64_t need = 0, have = skp_free(pool);
    for (uint32_t i = 0; i < k; i++) {
        need += skp_core_needs(&cores[i]);
        have += skp_pages_of(pool, dst[i]);
    }
    if (need > have) return CXM_CAPACITY;
    for (uint32_t i = 0; i < k; i++)
        skp_release(pool, dst[i]);
    for (uint32_t i = 0; i < k; i++)
        (void)skp_from_core(pool, dst[i], &cores[i]); /* counted above: cannot fail */
    return CXM_OK;
}
