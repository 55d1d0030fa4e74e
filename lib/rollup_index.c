/*
 * rollup_index.c — the running-target index (see rollup_index.h): blocks,
 * their directory and free stack, finding a place, inserting with a split,
 * removing with a merge, appending, doubling, and reading in order.
 */
#include "rollup_index.h"

#include <string.h>

static uint32_t *dir(rix *ix)
{
    return (uint32_t *)(ix + 1);
}
static const uint32_t *cdir(const rix *ix)
{
    return (const uint32_t *)(ix + 1);
}
static uint32_t *cnt(rix *ix)
{
    return dir(ix) + ix->blocks;
}
static const uint32_t *ccnt(const rix *ix)
{
    return cdir(ix) + ix->blocks;
}
static uint32_t *freestack(rix *ix)
{
    return dir(ix) + 2u * (size_t)ix->blocks;
}

static size_t blocks_off(uint32_t blocks)
{
    return (sizeof(rix) + 3u * (size_t)blocks * sizeof(uint32_t) + 15u) & ~(size_t)15u;
}

static rollup_run *block(rix *ix, uint32_t id)
{
    return (rollup_run *)(void *)((char *)ix + blocks_off(ix->blocks)) + (size_t)id * RIX_B;
}
static const rollup_run *cblock(const rix *ix, uint32_t id)
{
    return (const rollup_run *)(const void *)((const char *)ix + blocks_off(ix->blocks)) +
           (size_t)id * RIX_B;
}

static uint32_t blocks_for(uint32_t cap)
{
    return 2u * ((cap + RIX_B - 1u) / RIX_B) + 2u;
}

size_t rix_bytes(uint32_t cap)
{
    uint32_t b = blocks_for(cap);
    return blocks_off(b) + (size_t)b * RIX_B * sizeof(rollup_run);
}

void rix_init(rix *ix, uint32_t cap)
{
    memset(ix, 0, sizeof *ix);
    ix->cap = cap;
    ix->blocks = blocks_for(cap);
    rix_clear(ix);
}

void rix_clear(rix *ix)
{
    ix->nb = 0;
    ix->n = 0;
    ix->nfree = ix->blocks;
    /* Popped from the top: block 0 first, so a fresh index fills the region in order. */
    for (uint32_t i = 0; i < ix->blocks; i++)
        freestack(ix)[i] = ix->blocks - 1u - i;
}

static uint32_t take_block(rix *ix)
{
    uint32_t id = freestack(ix)[--ix->nfree];
    cnt(ix)[id] = 0;
    return id;
}

static void give_block(rix *ix, uint32_t id)
{
    freestack(ix)[ix->nfree++] = id;
}

/* Directory position of the first block whose last entry is not below e (nb - 1 at most). */
static uint32_t find_block(const rix *ix, const rollup_run *e)
{
    uint32_t lo = 0, hi = ix->nb - 1u;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2, id = cdir(ix)[mid];
        if (rollup_run_cmp(&cblock(ix, id)[ccnt(ix)[id] - 1u], e) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Position in block `id` of the first entry not below e. */
static uint32_t find_in(const rix *ix, uint32_t id, const rollup_run *e)
{
    const rollup_run *x = cblock(ix, id);
    uint32_t lo = 0, hi = ccnt(ix)[id];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (rollup_run_cmp(&x[mid], e) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool rix_contains(const rix *ix, const rollup_run *e)
{
    if (ix->nb == 0) return false;
    uint32_t id = cdir(ix)[find_block(ix, e)], at = find_in(ix, id, e);
    return at < ccnt(ix)[id] && rollup_run_cmp(&cblock(ix, id)[at], e) == 0;
}

/* Joins the blocks at directory positions p and p + 1 (together at most RIX_B entries). */
static void join(rix *ix, uint32_t p)
{
    uint32_t a = dir(ix)[p], b = dir(ix)[p + 1u];
    memcpy(block(ix, a) + cnt(ix)[a], block(ix, b), cnt(ix)[b] * sizeof(rollup_run));
    cnt(ix)[a] += cnt(ix)[b];
    give_block(ix, b);
    memmove(&dir(ix)[p + 1u], &dir(ix)[p + 2u], (ix->nb - p - 2u) * sizeof(uint32_t));
    ix->nb--;
}

/*
 * Restores "two neighbours hold more than RIX_B" around the block at
 * position p; returns where that block (or what it joined) now is.
 */
static uint32_t settle(rix *ix, uint32_t p)
{
    while (p > 0 && cnt(ix)[dir(ix)[p - 1u]] + cnt(ix)[dir(ix)[p]] <= RIX_B)
        join(ix, --p);
    while (p + 1u < ix->nb && cnt(ix)[dir(ix)[p]] + cnt(ix)[dir(ix)[p + 1u]] <= RIX_B)
        join(ix, p);
    return p;
}

void rix_insert(rix *ix, const rollup_run *e)
{
    if (ix->nb == 0) {
        dir(ix)[ix->nb++] = take_block(ix);
    }
    uint32_t p = find_block(ix, e), id = dir(ix)[p], low = p;
    bool split = cnt(ix)[id] == RIX_B;
    if (split) {
        /* Full: its upper half moves to a new block right after it. */
        uint32_t nid = take_block(ix), half = RIX_B / 2u;
        memcpy(block(ix, nid), block(ix, id) + half, (RIX_B - half) * sizeof(rollup_run));
        cnt(ix)[nid] = RIX_B - half;
        cnt(ix)[id] = half;
        memmove(&dir(ix)[p + 2u], &dir(ix)[p + 1u], (ix->nb - p - 1u) * sizeof(uint32_t));
        dir(ix)[p + 1u] = nid;
        ix->nb++;
        if (rollup_run_cmp(&block(ix, id)[half - 1u], e) < 0) {
            p++;
            id = nid;
        }
    }
    uint32_t at = find_in(ix, id, e);
    rollup_run *x = block(ix, id);
    memmove(&x[at + 1u], &x[at], (cnt(ix)[id] - at) * sizeof *x);
    x[at] = *e;
    cnt(ix)[id]++;
    ix->n++;
    /* Only a split leaves a small block: each half against its outer neighbour (the halves
     * together hold RIX_B + 1). */
    if (split) (void)settle(ix, settle(ix, low) + 1u);
}

void rix_remove(rix *ix, const rollup_run *e)
{
    uint32_t p = find_block(ix, e), id = dir(ix)[p], at = find_in(ix, id, e);
    rollup_run *x = block(ix, id);
    memmove(&x[at], &x[at + 1u], (cnt(ix)[id] - at - 1u) * sizeof *x);
    cnt(ix)[id]--;
    ix->n--;
    if (cnt(ix)[id] == 0) {
        give_block(ix, id);
        memmove(&dir(ix)[p], &dir(ix)[p + 1u], (ix->nb - p - 1u) * sizeof(uint32_t));
        ix->nb--;
        if (ix->nb == 0) return;
        p = p < ix->nb ? p : ix->nb - 1u;
    }
    (void)settle(ix, p);
}

void rix_append(rix *ix, const rollup_run *e)
{
    uint32_t id = ix->nb ? dir(ix)[ix->nb - 1u] : 0;
    if (ix->nb == 0 || cnt(ix)[id] == RIX_B) {
        id = take_block(ix);
        dir(ix)[ix->nb++] = id;
    }
    block(ix, id)[cnt(ix)[id]++] = *e;
    ix->n++;
}

/*
 * Each block of c entries becomes its 2c entries, in one block when they
 * fit and in two of c otherwise; the directory is rewritten from its end,
 * where no position still to be read is overwritten.
 */
void rix_double(rix *ix)
{
    uint32_t extra = 0;
    for (uint32_t p = 0; p < ix->nb; p++)
        extra += 2u * cnt(ix)[dir(ix)[p]] > RIX_B;
    uint32_t w = ix->nb + extra;
    for (uint32_t p = ix->nb; p-- > 0;) {
        uint32_t id = dir(ix)[p], c = cnt(ix)[id];
        rollup_run *x = block(ix, id);
        if (2u * c <= RIX_B) {
            for (uint32_t i = c; i-- > 0;)
                x[2u * i] = x[2u * i + 1u] = x[i];
            cnt(ix)[id] = 2u * c;
            dir(ix)[--w] = id;
            continue;
        }
        /* The doubled upper half (entries c/2.. of it, 2c - c = c values) goes to a new block. */
        uint32_t nid = take_block(ix);
        rollup_run *y = block(ix, nid);
        for (uint32_t k = c; k < 2u * c; k++)
            y[k - c] = x[k / 2u];
        for (uint32_t k = c; k-- > 0;)
            x[k] = x[k / 2u];
        cnt(ix)[id] = c;
        cnt(ix)[nid] = c;
        dir(ix)[--w] = nid;
        dir(ix)[--w] = id;
    }
    ix->nb += extra;
    ix->n *= 2u;
}

const rollup_run *rix_next(const rix *ix, rix_cursor *c)
{
    while (c->block < ix->nb) {
        uint32_t id = cdir(ix)[c->block];
        if (c->at < ccnt(ix)[id]) return &cblock(ix, id)[c->at++];
        c->block++;
        c->at = 0;
    }
    return NULL;
}

const rollup_run *rix_block_at(const rix *ix, uint32_t b, uint32_t *n)
{
    uint32_t id = cdir(ix)[b];
    *n = ccnt(ix)[id];
    return cblock(ix, id);
}

const rollup_run *rix_last(const rix *ix)
{
    if (ix->nb == 0) return NULL;
    uint32_t id = cdir(ix)[ix->nb - 1];
    return &cblock(ix, id)[ccnt(ix)[id] - 1];
}

void rix_merge(rix *dst, const rix *src)
{
    if (dst == src) {
        if (dst->n) rix_double(dst);
        return;
    }
    rix_cursor cur = rix_start();
    for (const rollup_run *e; src->n && (e = rix_next(src, &cur)) != NULL;)
        rix_insert(dst, e);
}
