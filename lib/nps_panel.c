/*
 * nps_panel.c — competitive NPS side by side: our brand and up to N
 * competitor brands, each with the counts of nps_core.h, and the gap of each
 * competitor to us with its significance. Slots stay sorted by brand id so
 * the state does not depend on arrival or merge order.
 */
#include <string.h>

#include "nps_core.h"

#define PANEL_FORMAT_VERSION 1

typedef struct panel_slot {
    uint32_t brand;
    uint32_t pad;
    nps_counts c;
} panel_slot;

/*
 * Competitors live in slots in the order they arrived (a slot never moves,
 * so an add touches one slot and one hash entry, whatever the number of
 * brands). Two indexes over the slots, both in the object's own memory:
 *  - a hash table (open addressing, linear probing, at least twice the
 *    capacity) from brand id to slot, for adds and lookups in O(1);
 *  - the order: brand ids in increasing order with their slots, in two
 *    parallel arrays (ids packed together, so searching and merging them
 *    never touches the slots): a long sorted run [0, sorted) and a short
 *    sorted run of recent brands [sorted, count), merged into the long one
 *    when it reaches PANEL_PENDING entries. A new brand costs a hash insert,
 *    a binary search and at most PANEL_PENDING moves in the short run, and a
 *    share of one linear merge per PANEL_PENDING new brands: at most 4096 /
 *    256 = 16 entries moved per brand at the largest capacity, where sorted
 *    inserts of whole slots moved up to 4096 x 88 bytes. The index-th brand
 *    is found by a binary search over both runs.
 */
#define PANEL_PENDING 256u
#define PANEL_EMPTY 0u /* a free hash entry; entries hold slot index + 1 */

struct cxm_nps_panel {
    cxm_obj obj;
    uint32_t capacity;
    uint32_t count;
    uint32_t sorted;     /* [0, sorted) of the order is the long sorted run */
    uint32_t hash_shift; /* 32 - log2(hash table size) */
    nps_counts ours;
    /* capacity slots, then the order's brand ids (uint32_t) and slot indexes
     * (uint16_t), capacity each, then the hash table (uint16_t) */
    panel_slot slots[];
};

uint32_t cxm_nps_panel_max_capacity(void)
{
    return CXM_NPS_PANEL_MAX_CAPACITY;
}

/* log2 of the hash table size: the power of two at or above twice the capacity. */
static uint32_t hash_bits(uint32_t capacity)
{
    uint32_t bits = 1;
    while ((1u << bits) < 2u * capacity)
        bits++;
    return bits;
}

size_t cxm_nps_panel_footprint(uint32_t capacity)
{
    if (capacity == 0 || capacity > CXM_NPS_PANEL_MAX_CAPACITY) return 0;
    size_t bytes = sizeof(cxm_nps_panel) +
                   (size_t)capacity * (sizeof(panel_slot) + sizeof(uint32_t) + sizeof(uint16_t)) +
                   ((size_t)1 << hash_bits(capacity)) * sizeof(uint16_t);
    return cxm_align_up(bytes, CXM_ALIGNMENT);
}

/* The order's brand ids. */
static uint32_t *ob_of(const cxm_nps_panel *p)
{
    return (uint32_t *)(uintptr_t)&p->slots[p->capacity];
}

/* The order's slot indexes. */
static uint16_t *os_of(const cxm_nps_panel *p)
{
    return (uint16_t *)(ob_of(p) + p->capacity);
}

static uint16_t *table_of(const cxm_nps_panel *p)
{
    return os_of(p) + p->capacity;
}

static uint32_t hash_mask(const cxm_nps_panel *p)
{
    return (1u << (32u - p->hash_shift)) - 1u;
}

/* Fibonacci hashing: consecutive brand ids spread over the table. */
static uint32_t hash_home(const cxm_nps_panel *p, uint32_t brand)
{
    return (brand * 0x9E3779B1u) >> p->hash_shift;
}

/* The slot of `brand`, or -1; with *at the hash entry that holds it or would. */
static int32_t lookup(const cxm_nps_panel *p, uint32_t brand, uint32_t *at)
{
    const uint16_t *t = table_of(p);
    uint32_t mask = hash_mask(p), h = hash_home(p, brand);
    for (;; h = (h + 1) & mask) {
        uint32_t e = t[h];
        if (e == PANEL_EMPTY || p->slots[e - 1].brand == brand) {
            *at = h;
            return (int32_t)e - 1;
        }
    }
}

static void hash_rebuild(cxm_nps_panel *p)
{
    uint16_t *t = table_of(p);
    memset(t, 0, ((size_t)hash_mask(p) + 1) * sizeof *t);
    for (uint32_t i = 0; i < p->count; i++) {
        uint32_t at;
        (void)lookup(p, p->slots[i].brand, &at);
        t[at] = (uint16_t)(i + 1);
    }
}

/* First position in the order's [lo, hi) whose brand id is >= brand. */
static uint32_t lower_bound(const cxm_nps_panel *p, uint32_t lo, uint32_t hi, uint32_t brand)
{
    const uint32_t *ob = ob_of(p);
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ob[mid] < brand)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Merges the short run into the long one, in place from the back. */
static void merge_pending(cxm_nps_panel *p)
{
    uint32_t *ob = ob_of(p), pb[PANEL_PENDING];
    uint16_t *os = os_of(p), ps[PANEL_PENDING];
    uint32_t np = p->count - p->sorted;
    memcpy(pb, ob + p->sorted, np * sizeof pb[0]);
    memcpy(ps, os + p->sorted, np * sizeof ps[0]);
    int64_t a = (int64_t)p->sorted - 1, b = (int64_t)np - 1, k = (int64_t)p->count - 1;
    /* Selects, not branches: which run the next entry comes from is random
     * for brands arriving in random order. */
    while (b >= 0) {
        size_t ia = a >= 0 ? (size_t)a : 0;
        bool from_a = a >= 0 && ob[ia] > pb[b];
        uint32_t vb = from_a ? ob[ia] : pb[b];
        uint16_t vs = from_a ? os[ia] : ps[b];
        ob[k] = vb;
        os[k--] = vs;
        a -= from_a;
        b -= !from_a;
    }
    p->sorted = p->count;
}

/* Heapsort step: moves entry r down the heap [0, n) of the order. */
static void sift_down(uint32_t *ob, uint16_t *os, uint32_t r, uint32_t n)
{
    for (uint32_t c; (c = 2 * r + 1) < n; r = c) {
        if (c + 1 < n && ob[c + 1] > ob[c]) c++;
        if (ob[r] >= ob[c]) return;
        uint32_t b = ob[r];
        uint16_t x = os[r];
        ob[r] = ob[c];
        os[r] = os[c];
        ob[c] = b;
        os[c] = x;
    }
}

/* Sorts the whole order, in O(n log n) with no memory beyond the object's. */
static void sort_order(cxm_nps_panel *p)
{
    uint32_t *ob = ob_of(p), n = p->count;
    uint16_t *os = os_of(p);
    for (uint32_t r = n / 2; r-- > 0;)
        sift_down(ob, os, r, n);
    for (uint32_t end = n; end-- > 1;) {
        uint32_t b = ob[0];
        uint16_t x = os[0];
        ob[0] = ob[end];
        os[0] = os[end];
        ob[end] = b;
        os[end] = x;
        sift_down(ob, os, 0, end);
    }
    p->sorted = n;
}

/*
 * A new competitor slot for `brand` (not present), at hash entry `at`;
 * placed in the short run, or at the end of the order when the caller
 * sorts the order itself afterwards (keep_order false).
 */
static panel_slot *insert_slot(cxm_nps_panel *p, uint32_t brand, uint32_t at, bool keep_order)
{
    uint32_t i = p->count, pos = keep_order ? lower_bound(p, p->sorted, i, brand) : i;
    panel_slot *s = &p->slots[i];
    memset(s, 0, sizeof *s);
    s->brand = brand;
    table_of(p)[at] = (uint16_t)(i + 1);
    uint32_t *ob = ob_of(p);
    uint16_t *os = os_of(p);
    memmove(&ob[pos + 1], &ob[pos], (i - pos) * sizeof ob[0]);
    memmove(&os[pos + 1], &os[pos], (i - pos) * sizeof os[0]);
    ob[pos] = brand;
    os[pos] = (uint16_t)i;
    p->count++;
    if (keep_order && p->count - p->sorted >= PANEL_PENDING) merge_pending(p);
    return s;
}

/* The counts of `brand`, inserting an empty competitor slot if needed. */
static cxm_status slot_for(cxm_nps_panel *p, uint32_t brand, nps_counts **out)
{
    if (brand == CXM_NPS_OUR_BRAND) {
        *out = &p->ours;
        return CXM_OK;
    }
    uint32_t at;
    int32_t i = lookup(p, brand, &at);
    if (i >= 0) {
        *out = &p->slots[i].c;
        return CXM_OK;
    }
    if (p->count == p->capacity) return CXM_CAPACITY;
    *out = &insert_slot(p, brand, at, true)->c;
    return CXM_OK;
}

/* Gives back the slots created after the first `keep` (a rejected batch). */
static void truncate_slots(cxm_nps_panel *p, uint32_t keep)
{
    if (p->count == keep) return;
    uint32_t *ob = ob_of(p), w = 0, sorted = 0;
    uint16_t *os = os_of(p);
    /* Both runs stay sorted when entries are removed from them. */
    for (uint32_t r = 0; r < p->count; r++) {
        if (os[r] < keep) {
            ob[w] = ob[r];
            os[w++] = os[r];
        }
        if (r + 1 == p->sorted) sorted = w;
    }
    p->count = keep;
    p->sorted = sorted;
    hash_rebuild(p);
}

/*
 * Slot of the index-th competitor by increasing brand id (index < count):
 * the k-th entry of the merge of the two sorted runs, found by a binary
 * search on how many of the first k entries come from the short run.
 */
static uint32_t nth_slot(const cxm_nps_panel *p, uint32_t k)
{
    const uint32_t *ob = ob_of(p), *a = ob, *b = ob + p->sorted;
    const uint16_t *os = os_of(p);
    uint32_t na = p->sorted, nb = p->count - p->sorted;
    uint32_t lo = k > na ? k - na : 0, hi = k < nb ? k : nb;
    for (;;) {
        uint32_t i = lo + (hi - lo) / 2, j = k - i;
        if (i < nb && j > 0 && a[j - 1] > b[i])
            lo = i + 1; /* too few from the short run */
        else if (i > 0 && j < na && b[i - 1] > a[j])
            hi = i - 1; /* too many */
        else
            return j < na && (i == nb || a[j] < b[i]) ? os[j] : os[p->sorted + i];
    }
}

/* The one creation path of new and init_in (cxm_obj_make). */
static cxm_status panel_make(bool place, void *mem, size_t size, const cxm_allocator *alloc,
                             uint32_t capacity, cxm_nps_panel **out)
{
    size_t bytes = cxm_nps_panel_footprint(capacity);
    if (!out || bytes == 0) return CXM_INVALID_ARGUMENT;
    cxm_nps_panel *p;
    cxm_status st = cxm_obj_make(place, mem, size, alloc, bytes, CXM_FAMILY_NPS_PANEL, (void **)&p);
    if (st != CXM_OK) return st;
    p->capacity = capacity;
    p->hash_shift = 32u - hash_bits(capacity);
    *out = p;
    return CXM_OK;
}

cxm_status cxm_nps_panel_new(uint32_t capacity, const cxm_allocator *alloc, cxm_nps_panel **out)
{
    return panel_make(false, NULL, 0, alloc, capacity, out);
}

cxm_status cxm_nps_panel_init_in(void *mem, size_t size, uint32_t capacity, cxm_nps_panel **out)
{
    return panel_make(true, mem, size, NULL, capacity, out);
}

static cxm_status panel_add(cxm_nps_panel *p, uint32_t brand, int32_t score, double weight,
                            bool weighted)
{
    if (!p) return CXM_INVALID_ARGUMENT;
    if (!nps_score_ok(score) || (weighted && !nps_weight_ok(weight))) return CXM_OUT_OF_RANGE;
    nps_counts *c;
    uint32_t before = p->count;
    cxm_status st = slot_for(p, brand, &c);
    if (st != CXM_OK) return st;
    st = nps_counts_add(c, score, weight, weighted);
    if (st != CXM_OK) truncate_slots(p, before);
    return st;
}

cxm_status cxm_nps_panel_add(cxm_nps_panel *p, uint32_t brand, int32_t score)
{
    return panel_add(p, brand, score, 1.0, false);
}

cxm_status cxm_nps_panel_add_weighted(cxm_nps_panel *p, uint32_t brand, int32_t score,
                                      double weight)
{
    return panel_add(p, brand, score, weight, true);
}

cxm_status cxm_nps_panel_add_many(cxm_nps_panel *p, const uint32_t *brands, const uint8_t *scores,
                                  size_t n, size_t *bad_index)
{
    if (!p || ((!brands || !scores) && n > 0)) return CXM_INVALID_ARGUMENT;
    size_t bad = 0;
    cxm_status st = CXM_OK;
    /*
     * One pass in index order, so the first offending element is the one
     * named, whether its score is bad or its brand does not fit. New brands
     * take slots tentatively; a rejected batch gives them back.
     */
    nps_counts *c;
    uint32_t before = p->count;
    for (size_t i = 0; i < n && st == CXM_OK; i++) {
        if (!nps_score_ok(scores[i]))
            st = CXM_OUT_OF_RANGE;
        else
            st = slot_for(p, brands[i], &c);
        if (st != CXM_OK) bad = i;
    }
    /* Conservative: no touched brand may come within n of the count limit. */
    for (size_t i = 0; i < n && st == CXM_OK; i++) {
        (void)slot_for(p, brands[i], &c);
        if (cxm_add_overflows(nps_total(c), (uint64_t)n)) st = CXM_OVERFLOW;
    }
    if (st != CXM_OK) {
        truncate_slots(p, before);
        if (bad_index && st != CXM_OVERFLOW) *bad_index = bad;
        return st;
    }
    for (size_t i = 0; i < n; i++) {
        (void)slot_for(p, brands[i], &c);
        c->n[nps_category(scores[i])]++;
    }
    return CXM_OK;
}

cxm_status cxm_nps_panel_merge(cxm_nps_panel *dst, const cxm_nps_panel *src)
{
    if (!dst || !src) return CXM_INVALID_ARGUMENT;
    if (dst == src) return CXM_INVALID_ARGUMENT;
    /* Check everything first: the union must fit and no sum may overflow. */
    if (cxm_add_overflows(nps_total(&dst->ours), nps_total(&src->ours))) return CXM_OVERFLOW;
    uint32_t total = dst->count, at;
    for (uint32_t j = 0; j < src->count; j++) {
        int32_t i = lookup(dst, src->slots[j].brand, &at);
        if (i < 0)
            total++;
        else if (cxm_add_overflows(nps_total(&dst->slots[i].c), nps_total(&src->slots[j].c)))
            return CXM_OVERFLOW;
    }
    if (total > dst->capacity) return CXM_CAPACITY;
    (void)nps_counts_merge(&dst->ours, &src->ours);
    /* New brands are appended unsorted and the order is sorted once. */
    uint32_t before = dst->count;
    for (uint32_t j = 0; j < src->count; j++) {
        int32_t i = lookup(dst, src->slots[j].brand, &at);
        nps_counts *c =
            i >= 0 ? &dst->slots[i].c : &insert_slot(dst, src->slots[j].brand, at, false)->c;
        (void)nps_counts_merge(c, &src->slots[j].c);
    }
    if (dst->count != before) sort_order(dst);
    return CXM_OK;
}

cxm_status cxm_nps_panel_reset(cxm_nps_panel *p)
{
    if (!p) return CXM_INVALID_ARGUMENT;
    memset(&p->ours, 0, sizeof p->ours);
    p->count = 0;
    p->sorted = 0;
    hash_rebuild(p);
    return CXM_OK;
}

cxm_status cxm_nps_panel_clone(const cxm_nps_panel *p, const cxm_allocator *alloc,
                               cxm_nps_panel **out)
{
    if (!p || !out) return CXM_INVALID_ARGUMENT;
    return cxm_obj_clone(p, cxm_nps_panel_footprint(p->capacity), alloc, (void **)out);
}

cxm_status cxm_nps_panel_brands(const cxm_nps_panel *p, uint32_t *count, uint32_t *capacity)
{
    if (!p || !count || !capacity) return CXM_INVALID_ARGUMENT;
    *count = p->count;
    *capacity = p->capacity;
    return CXM_OK;
}

cxm_status cxm_nps_panel_result(const cxm_nps_panel *p, uint32_t brand, double level,
                                uint32_t method, cxm_nps_result *out)
{
    if (!p) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    static const nps_counts none;
    const nps_counts *c = &none;
    uint32_t at;
    int32_t i = brand == CXM_NPS_OUR_BRAND ? -1 : lookup(p, brand, &at);
    if (brand == CXM_NPS_OUR_BRAND)
        c = &p->ours;
    else if (i >= 0)
        c = &p->slots[i].c;
    cxm_nps_result r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.kind = CXM_NPS_COMPETITIVE;
    r.brand = brand;
    st = nps_counts_result(c, level, method, &r);
    if (st == CXM_OK || st == CXM_EMPTY) cxm_result_copy(out, &r, sizeof r);
    return st;
}

cxm_status cxm_nps_panel_gap(const cxm_nps_panel *p, uint32_t index, double level, uint32_t method,
                             cxm_nps_gap *out)
{
    if (!p || (method != CXM_NPS_ADJUSTED_WALD && method != CXM_NPS_WALD))
        return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    double lv, z;
    if ((st = cxm_level_z(level, &lv, &z)) != CXM_OK) return st;
    if (index >= p->count) return CXM_CAPACITY;
    const panel_slot *s = &p->slots[nth_slot(p, index)];
    cxm_nps_gap r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.brand = s->brand;
    r.n_ours = nps_total(&p->ours);
    r.n_theirs = nps_total(&s->c);
    r.ci.level = lv;
    /* Each side's NPS stands on its own: one side without answers leaves
       the gap without a value, not the other side's score. */
    double na = 0.0, sa = 0.0, nb = 0.0, sb = 0.0;
    r.has_ours = nps_counts_score_se(&p->ours, method, &na, &sa) == CXM_OK;
    r.has_theirs = nps_counts_score_se(&s->c, method, &nb, &sb) == CXM_OK;
    st = CXM_EMPTY;
    if (r.has_ours) r.nps_ours = na;
    if (r.has_theirs) r.nps_theirs = nb;
    if (r.has_ours && r.has_theirs) {
        nps_compare_fill(na, sa, nb, sb, lv, z, &r.gap, &r.se, &r.z, &r.p, &r.significant, &r.ci);
        st = CXM_OK;
    }
    cxm_result_copy(out, &r, sizeof r);
    return st;
}

cxm_status cxm_nps_panel_encode(const cxm_nps_panel *p, uint8_t *buf, size_t cap, size_t *len)
{
    if (!p || !len) return CXM_INVALID_ARGUMENT;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_NPS_PANEL, PANEL_FORMAT_VERSION);
    cxm_wr_u32(&w, p->capacity);
    cxm_wr_u32(&w, p->count);
    nps_counts_write(&w, &p->ours);
    /* In brand order: the two sorted runs, merged as they are written. */
    const uint32_t *ob = ob_of(p);
    const uint16_t *os = os_of(p);
    uint32_t a = 0, b = p->sorted;
    while (a < p->sorted || b < p->count) {
        bool take_a = b == p->count || (a < p->sorted && ob[a] < ob[b]);
        const panel_slot *s = &p->slots[os[take_a ? a++ : b++]];
        cxm_wr_u32(&w, s->brand);
        nps_counts_write(&w, &s->c);
    }
    return cxm_wr_end(&w, len);
}

cxm_status cxm_nps_panel_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                                cxm_nps_panel **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_rd r;
    cxm_status st = cxm_rd_begin(&r, buf, len, CXM_FAMILY_NPS_PANEL, PANEL_FORMAT_VERSION);
    if (st != CXM_OK) return st;
    uint32_t capacity = cxm_rd_u32(&r);
    uint32_t count = cxm_rd_u32(&r);
    /* Size check before allocating: hostile counts must not buy memory. */
    if (cxm_nps_panel_footprint(capacity) == 0 || count > capacity ||
        r.left != 80u + (size_t)count * 84u)
        return CXM_BAD_FORMAT;
    cxm_nps_panel *p;
    if ((st = cxm_nps_panel_new(capacity, alloc, &p)) != CXM_OK) return st;
    nps_counts_read(&r, &p->ours);
    uint32_t *ob = ob_of(p);
    uint16_t *os = os_of(p);
    for (uint32_t i = 0; i < count; i++) {
        panel_slot *s = &p->slots[i];
        s->brand = cxm_rd_u32(&r);
        nps_counts_read(&r, &s->c);
        if (s->brand == CXM_NPS_OUR_BRAND || (i > 0 && s->brand <= p->slots[i - 1].brand) ||
            nps_total(&s->c) == 0)
            r.bad = true;
        ob[i] = s->brand;
        os[i] = (uint16_t)i;
    }
    p->count = count;
    p->sorted = count;
    hash_rebuild(p);
    if ((st = cxm_rd_end(&r)) != CXM_OK) {
        cxm_nps_panel_free(p);
        return st;
    }
    *out = p;
    return CXM_OK;
}

void cxm_nps_panel_free(cxm_nps_panel *p)
{
    cxm_obj_free(p);
}
