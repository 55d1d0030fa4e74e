/*
 * rollup_index.h — the running-target index of a live roll-up and the
 * open-ticket index (rollup_survival.c): each a sorted
 * multiset of rollup_run entries in fixed memory, with O(log n + B)
 * insertion and removal (B = RIX_B entries per block), where a flat sorted
 * array would move every entry after the place of each change (a live add
 * cost microseconds once tens of thousands of targets were running).
 *
 * LAYOUT. Entries live in blocks of RIX_B, each sorted; a directory lists
 * the blocks in key order, so the whole is sorted block after block. Two
 * neighbouring blocks always hold more than RIX_B entries together (a
 * removal that breaks this merges them), hence n entries never take more
 * than 2n / (RIX_B + 1) + 1 blocks, and 2 ceil(cap / RIX_B) + 2 blocks
 * hold any `cap` entries whatever the order of changes: a change the
 * capacity allows never runs out of blocks. Memory: rix_bytes(cap).
 *
 * Everything is indexes into the one region, so a roll-up holding an index
 * is copied with memcpy (clone). The order is canonical (rollup_run_cmp),
 * so encoding the entries in order gives the same bytes for the same
 * multiset, however it was built.
 */
#ifndef CXM_ROLLUP_INDEX_H
#define CXM_ROLLUP_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rollup_impl.h"

#define RIX_B 64u /* entries per block */

typedef struct rix {
    uint32_t cap;    /* entries it may hold */
    uint32_t blocks; /* blocks in the region */
    uint32_t nb;     /* blocks in use, in the directory */
    uint32_t nfree;  /* blocks on the free stack */
    uint32_t n;      /* entries held */
    uint32_t reserved[3];
    /* then: dir[blocks], cnt[blocks], free[blocks] (uint32_t), then the blocks (16-aligned) */
} rix;

/* Bytes of an index of capacity `cap` (0 < cap <= CXM_ROLLUP_MAX_RUNNING). */
size_t rix_bytes(uint32_t cap);
/* An empty index of capacity `cap` in rix_bytes(cap) bytes at ix. */
void rix_init(rix *ix, uint32_t cap);
/* Empties it (the capacity stays). */
void rix_clear(rix *ix);

static inline uint32_t rix_count(const rix *ix)
{
    return ix->n;
}

/* Running targets a roll-up holds: its index's count (0 in frozen mode, which has none). */
static inline uint32_t rollup_running(const cxm_rollup *r)
{
    return r->cfg.running ? rix_count(index_of(r)) : 0;
}

/* Tickets in the open-ticket index (0 without one). */
static inline uint32_t rollup_open(const cxm_rollup *r)
{
    return r->cfg.open ? rix_count(open_of(r)) : 0;
}

/* Whether an entry equal to e is held. */
bool rix_contains(const rix *ix, const rollup_run *e);
/* Adds e (the caller checked rix_count < cap). */
void rix_insert(rix *ix, const rollup_run *e);
/* Removes one entry equal to e (the caller checked rix_contains). */
void rix_remove(rix *ix, const rollup_run *e);
/* Appends e, not below the last entry (decoding: the caller checked the order and the cap). */
void rix_append(rix *ix, const rollup_run *e);
/* Every entry twice (merging an index into itself; the caller checked 2 n <= cap). */
void rix_double(rix *ix);
/* Every entry of src into dst, src == dst included (the caller checked the capacity). */
void rix_merge(rix *dst, const rix *src);

/* In-order reading: a cursor at the first entry, then rix_next until it returns NULL. */
typedef struct rix_cursor {
    uint32_t block, at;
} rix_cursor;
static inline rix_cursor rix_start(void)
{
    rix_cursor c = {0, 0};
    return c;
}
const rollup_run *rix_next(const rix *ix, rix_cursor *c);
/*
 * Block by block, for a scan of every entry (a read of one group tests each
 * one): the entries of block b in order, b < ix->nb, *n of them; blocks in
 * order hold the entries in order.
 */
const rollup_run *rix_block_at(const rix *ix, uint32_t b, uint32_t *n);
/* The last entry in order (the largest), NULL when empty. */
const rollup_run *rix_last(const rix *ix);

#endif
