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

struct cxm_nps_panel {
    cxm_obj obj;
    uint32_t capacity;
    uint32_t count;
    nps_counts ours;
    panel_slot slots[];
};

uint32_t cxm_nps_panel_max_capacity(void)
{
    return CXM_NPS_PANEL_MAX_CAPACITY;
}

size_t cxm_nps_panel_footprint(uint32_t capacity)
{
    if (capacity == 0 || capacity > CXM_NPS_PANEL_MAX_CAPACITY) return 0;
    size_t bytes = sizeof(cxm_nps_panel) + (size_t)capacity * sizeof(panel_slot);
    return cxm_align_up(bytes, CXM_ALIGNMENT);
}

/* Index of `brand` among the competitors, or where it would be inserted. */
static uint32_t find_slot(const cxm_nps_panel *p, uint32_t brand, bool *found)
{
    uint32_t lo = 0, hi = p->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (p->slots[mid].brand < brand)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < p->count && p->slots[lo].brand == brand;
    return lo;
}

/* The counts of `brand`, inserting an empty competitor slot if needed. */
static cxm_status slot_for(cxm_nps_panel *p, uint32_t brand, nps_counts **out)
{
    if (brand == CXM_NPS_OUR_BRAND) {
        *out = &p->ours;
        return CXM_OK;
    }
    bool found;
    uint32_t i = find_slot(p, brand, &found);
    if (!found) {
        if (p->count == p->capacity) return CXM_CAPACITY;
        memmove(&p->slots[i + 1], &p->slots[i], (p->count - i) * sizeof(panel_slot));
        memset(&p->slots[i], 0, sizeof(panel_slot));
        p->slots[i].brand = brand;
        p->count++;
    }
    *out = &p->slots[i].c;
    return CXM_OK;
}

/* Removes competitor slots left empty by a rejected batch. */
static void drop_empty_slots(cxm_nps_panel *p)
{
    uint32_t keep = 0;
    for (uint32_t i = 0; i < p->count; i++)
        if (nps_total(&p->slots[i].c) > 0) p->slots[keep++] = p->slots[i];
    p->count = keep;
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
    cxm_status st = slot_for(p, brand, &c);
    if (st != CXM_OK) return st;
    st = nps_counts_add(c, score, weight, weighted);
    if (st != CXM_OK) drop_empty_slots(p);
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
        drop_empty_slots(p);
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
    uint32_t i = 0, j = 0, total = 0;
    if (cxm_add_overflows(nps_total(&dst->ours), nps_total(&src->ours))) return CXM_OVERFLOW;
    while (i < dst->count || j < src->count) {
        if (j == src->count || (i < dst->count && dst->slots[i].brand < src->slots[j].brand)) {
            i++;
        } else if (i == dst->count || src->slots[j].brand < dst->slots[i].brand) {
            j++;
        } else {
            if (cxm_add_overflows(nps_total(&dst->slots[i].c), nps_total(&src->slots[j].c)))
                return CXM_OVERFLOW;
            i++, j++;
        }
        total++;
    }
    if (total > dst->capacity) return CXM_CAPACITY;
    (void)nps_counts_merge(&dst->ours, &src->ours);
    /* Merge the sorted slot lists from the back, in place. */
    int64_t a = (int64_t)dst->count - 1, b = (int64_t)src->count - 1, k = (int64_t)total - 1;
    while (b >= 0) {
        if (a >= 0 && dst->slots[a].brand > src->slots[b].brand) {
            dst->slots[k--] = dst->slots[a--];
        } else if (a >= 0 && dst->slots[a].brand == src->slots[b].brand) {
            dst->slots[k] = dst->slots[a--];
            (void)nps_counts_merge(&dst->slots[k--].c, &src->slots[b--].c);
        } else {
            dst->slots[k--] = src->slots[b--];
        }
    }
    dst->count = total;
    return CXM_OK;
}

cxm_status cxm_nps_panel_reset(cxm_nps_panel *p)
{
    if (!p) return CXM_INVALID_ARGUMENT;
    memset(&p->ours, 0, sizeof p->ours);
    memset(p->slots, 0, (size_t)p->capacity * sizeof(panel_slot));
    p->count = 0;
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
    bool found = true;
    uint32_t i = 0;
    if (brand != CXM_NPS_OUR_BRAND) i = find_slot(p, brand, &found);
    if (brand == CXM_NPS_OUR_BRAND)
        c = &p->ours;
    else if (found)
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
    const panel_slot *s = &p->slots[index];
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
    for (uint32_t i = 0; i < p->count; i++) {
        cxm_wr_u32(&w, p->slots[i].brand);
        nps_counts_write(&w, &p->slots[i].c);
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
    for (uint32_t i = 0; i < count; i++) {
        panel_slot *s = &p->slots[i];
        s->brand = cxm_rd_u32(&r);
        nps_counts_read(&r, &s->c);
        if (s->brand == CXM_NPS_OUR_BRAND || (i > 0 && s->brand <= p->slots[i - 1].brand) ||
            nps_total(&s->c) == 0)
            r.bad = true;
    }
    p->count = count;
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
