/*
 * series_backlog.c — the backlog over time: per bucket of a series' clock,
 * the tickets created and solved in it and those open at its end, and a
 * balance carried from the buckets that retired, so the open figures are
 * the balance plus the running sum of created minus solved. The open
 * figures are kept, not summed when read: a record adds to (or, retracted,
 * takes from) only the buckets where it is open. Records are
 * added, retracted and replaced through the same routing, which depends
 * only on the clock: the counts are always those of the current records.
 */
#include <string.h>

#include "series_core.h"

#define BACKLOG_FORMAT_VERSION 1

typedef struct bl_cell {
    uint64_t created, solved;
    uint64_t open; /* at the end of the bucket: kept, so a record touches only its open run */
} bl_cell;

struct cxm_backlog {
    cxm_obj obj;
    uint32_t buckets;   /* ring length */
    uint32_t max_ahead; /* resolved, >= 1 */
    int64_t head;       /* number of the newest bucket */
    int64_t origin;     /* the head at creation: reset turns the clock back to it */
    uint64_t tickets;   /* records held: created_before + every bucket's created */
    uint64_t created_before, solved_before; /* the balance of the buckets before the ring */
    size_t cells_off;                       /* bl_cell cells[buckets], by ring position */
    size_t total;
    series_zone zone; /* last: its offset changes follow */
};

/* One record, routed: the bucket numbers of its creation and (if solved now) its solve. */
typedef struct bl_rec {
    int64_t created, solved;
    bool is_solved;
    uint32_t newest_field; /* the field whose bucket is the newest of the two */
} bl_rec;

static size_t backlog_bytes(const clock_shape *sh, size_t *cells_off)
{
    *cells_off = cxm_align_up(zone_end(offsetof(cxm_backlog, zone), sh->n_changes), 8);
    return *cells_off + (size_t)sh->buckets * sizeof(bl_cell);
}

static bl_cell *cells_of(const cxm_backlog *b)
{
    return (bl_cell *)(uintptr_t)((const char *)b + b->cells_off);
}

static bl_cell *cell(const cxm_backlog *b, int64_t number)
{
    return cells_of(b) + series_ring_pos(number, b->buckets);
}

/*
 * Sets every bucket's open figure from the counts, oldest first: the
 * balance's open, then open(b) = open(b - 1) + created(b) - solved(b).
 * false (figures unchanged past that bucket) when one would go below zero.
 */
static bool recount_open(cxm_backlog *b)
{
    bl_cell *cells = cells_of(b);
    uint64_t open = b->created_before - b->solved_before;
    uint32_t pos = series_ring_pos(b->head - (int64_t)b->buckets + 1, b->buckets);
    for (uint32_t k = 0; k < b->buckets; k++) {
        if (cells[pos].solved > open + cells[pos].created) return false;
        open = open + cells[pos].created - cells[pos].solved;
        cells[pos].open = open;
        pos = pos + 1 == b->buckets ? 0 : pos + 1;
    }
    return true;
}

static int64_t oldest(const cxm_backlog *b)
{
    return b->head - (int64_t)b->buckets + 1;
}

/*
 * Reads a record's created, first_solved, last_solved and reopens, with
 * the roll-up's rules, and routes it to its buckets.
 */
static cxm_status rec_of(const cxm_backlog *b, const cxm_ticket *rec, bl_rec *out,
                         uint32_t *bad_field)
{
    cxm_ticket t;
    if (bad_field) *bad_field = CXM_TICKET_FIELD_NONE;
    if (cxm_record_read(rec, CXM_SIZES(&t), &t, sizeof t) != CXM_OK)
        return cxm_ticket_refuse(CXM_INVALID_ARGUMENT, CXM_TICKET_FIELD_SIZE, bad_field);
    const int64_t when[3] = {t.created, t.first_solved, t.last_solved};
    static const uint32_t field[3] = {CXM_TICKET_FIELD_CREATED, CXM_TICKET_FIELD_FIRST_SOLVED,
                                      CXM_TICKET_FIELD_LAST_SOLVED};
    for (int i = 0; i < 3; i++)
        if ((i == 0 || when[i] != 0) && (when[i] == 0 || !cxm_time_ok(when[i])))
            return cxm_ticket_refuse(CXM_OUT_OF_RANGE, field[i], bad_field);
    int64_t solve;
    uint32_t at = CXM_TICKET_FIELD_NONE;
    cxm_status st = cxm_ticket_solves(&t, &solve, &at);
    if (st != CXM_OK) return cxm_ticket_refuse(st, at, bad_field);
    out->created = zone_number_at(&b->zone, t.created);
    out->is_solved = solve != 0;
    out->solved = out->is_solved ? zone_number_at(&b->zone, solve) : out->created;
    out->newest_field = out->solved > out->created ? (t.last_solved ? CXM_TICKET_FIELD_LAST_SOLVED
                                                                    : CXM_TICKET_FIELD_FIRST_SOLVED)
                                                   : CXM_TICKET_FIELD_CREATED;
    return CXM_OK;
}

/* The clock a record would leave: refused beyond max_ahead buckets after `head`. */
static cxm_status rec_clock(const cxm_backlog *b, const bl_rec *r, int64_t *head,
                            uint32_t *bad_field)
{
    int64_t newest = r->solved > r->created ? r->solved : r->created;
    if (newest <= *head) return CXM_OK;
    if (newest - *head > (int64_t)b->max_ahead)
        return cxm_ticket_refuse(CXM_OUT_OF_RANGE, r->newest_field, bad_field);
    *head = newest;
    return CXM_OK;
}

/*
 * Moves the head to `to`, folding the buckets that retire into the
 * balance; the buckets that open start with the head's open figure.
 */
static void move_head(cxm_backlog *b, int64_t to)
{
    int64_t steps = to - b->head;
    if (steps > (int64_t)b->buckets) steps = b->buckets;
    uint64_t carry = cell(b, b->head)->open;
    for (int64_t k = 1; k <= steps; k++) {
        bl_cell *c = cell(b, b->head + k); /* holds bucket head + k - buckets, retiring */
        b->created_before += c->created;
        b->solved_before += c->solved;
        c->created = c->solved = 0;
        c->open = carry;
    }
    if (to > b->head) b->head = to;
}

/* Counts of a bucket number: its cell, or the balance when it is older than the ring. */
static uint64_t *created_of(cxm_backlog *b, int64_t n)
{
    return n < oldest(b) ? &b->created_before : &cell(b, n)->created;
}
static uint64_t *solved_of(cxm_backlog *b, int64_t n)
{
    return n < oldest(b) ? &b->solved_before : &cell(b, n)->solved;
}

/* The run of ring buckets [from, end) where the record is open (from == end: none). */
static void open_run(const cxm_backlog *b, const bl_rec *r, int64_t *from, int64_t *end)
{
    int64_t lo = oldest(b), e = r->is_solved ? r->solved : b->head + 1;
    *from = r->created > lo ? r->created : lo;
    *end = e > *from ? e : *from;
}

static void rec_apply(cxm_backlog *b, const bl_rec *r, bool add)
{
    uint64_t step = add ? 1 : (uint64_t)-1; /* modular: a retract subtracts one */
    *created_of(b, r->created) += step;
    if (r->is_solved) *solved_of(b, r->solved) += step;
    b->tickets += step;
    int64_t from, end;
    open_run(b, r, &from, &end);
    bl_cell *cells = cells_of(b);
    uint32_t pos = series_ring_pos(from, b->buckets);
    for (int64_t n = from; n < end; n++) {
        cells[pos].open += step;
        pos = pos + 1 == b->buckets ? 0 : pos + 1;
    }
}

/*
 * Whether the counts can hold the record: a ticket created in its creation
 * bucket, one solved in its solve bucket, and at least one open at the end
 * of every bucket (and of the balance) where the record is open. Then
 * retracting it leaves no figure below zero.
 */
/*
 * Whether the counts can hold the record: a ticket created in its creation
 * bucket, one solved in its solve bucket, and at least one open at the end
 * of every bucket (and of the balance) where the record is open. Then
 * retracting it leaves no figure below zero. Reads the ring once.
 */
static bool can_retract(cxm_backlog *b, const bl_rec *r)
{
    int64_t lo = oldest(b);
    if (r->created > b->head || r->solved > b->head) return false;
    if (*created_of(b, r->created) == 0) return false;
    if (r->is_solved && *solved_of(b, r->solved) == 0) return false;
    bool open_at_horizon = r->created < lo && (!r->is_solved || r->solved >= lo);
    if (open_at_horizon && b->created_before == b->solved_before) return false;
    int64_t from, end;
    open_run(b, r, &from, &end);
    const bl_cell *cells = cells_of(b);
    uint32_t pos = series_ring_pos(from, b->buckets);
    for (int64_t n = from; n < end; n++) {
        if (cells[pos].open == 0) return false;
        pos = pos + 1 == b->buckets ? 0 : pos + 1;
    }
    return true;
}

/* ---- creation --------------------------------------------------------------------- */

static cxm_status backlog_make(bool place, void *mem, size_t size, const cxm_series_options *opts,
                               const cxm_allocator *alloc, cxm_backlog **out)
{
    if (!out) return CXM_INVALID_ARGUMENT;
    clock_shape sh;
    cxm_status st = clock_shape_read(opts, &sh);
    if (st != CXM_OK) return st;
    size_t cells_off, bytes = backlog_bytes(&sh, &cells_off);
    cxm_backlog *b;
    st = cxm_obj_make(place, mem, size, alloc, bytes, CXM_FAMILY_BACKLOG, (void **)&b);
    if (st != CXM_OK) return st;
    b->buckets = sh.buckets;
    b->max_ahead = sh.max_ahead;
    b->cells_off = cells_off;
    b->total = bytes;
    zone_fill(&b->zone, &sh);
    b->head = b->origin = zone_number_at(&b->zone, sh.start);
    *out = b;
    return CXM_OK;
}

size_t cxm_backlog_footprint(const cxm_series_options *opts)
{
    clock_shape sh;
    size_t cells_off;
    return clock_shape_read(opts, &sh) == CXM_OK ? backlog_bytes(&sh, &cells_off) : 0;
}

cxm_status cxm_backlog_new(const cxm_series_options *opts, const cxm_allocator *alloc,
                           cxm_backlog **out)
{
    return backlog_make(false, NULL, 0, opts, alloc, out);
}

cxm_status cxm_backlog_init_in(void *mem, size_t size, const cxm_series_options *opts,
                               cxm_backlog **out)
{
    return backlog_make(true, mem, size, opts, NULL, out);
}

cxm_status cxm_backlog_config(const cxm_backlog *backlog, cxm_series_options *out)
{
    if (!backlog) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    cxm_series_options o;
    zone_config(&backlog->zone, backlog->buckets, backlog->max_ahead, backlog->head, &o);
    cxm_result_copy(out, &o, sizeof o);
    return CXM_OK;
}

/* ---- records ---------------------------------------------------------------------- */

cxm_status cxm_backlog_add(cxm_backlog *backlog, const cxm_ticket *ticket, uint32_t *bad_field)
{
    if (!backlog) return cxm_ticket_refuse(CXM_INVALID_ARGUMENT, CXM_TICKET_FIELD_NONE, bad_field);
    bl_rec r;
    cxm_status st = rec_of(backlog, ticket, &r, bad_field);
    int64_t head = backlog->head;
    if (st == CXM_OK) st = rec_clock(backlog, &r, &head, bad_field);
    if (st != CXM_OK) return st;
    if (backlog->tickets == UINT64_MAX) return CXM_OVERFLOW;
    move_head(backlog, head);
    rec_apply(backlog, &r, true);
    return CXM_OK;
}

cxm_status cxm_backlog_add_many(cxm_backlog *backlog, const cxm_ticket *tickets, size_t n,
                                size_t *bad_index, uint32_t *bad_field)
{
    if (bad_field) *bad_field = CXM_TICKET_FIELD_NONE;
    if (!backlog || (!tickets && n > 0)) return CXM_INVALID_ARGUMENT;
    size_t stride = 0, i = 0;
    cxm_status st = cxm_record_stride(tickets, n, CXM_SIZES(tickets), &stride, &i);
    if (st != CXM_OK) {
        if (bad_index) *bad_index = i;
        return cxm_ticket_refuse(st, CXM_TICKET_FIELD_SIZE, bad_field);
    }
    /* First pass: every record valid, the clock replayed over the batch, room for all. */
    int64_t head = backlog->head;
    bl_rec r;
    for (i = 0; i < n && st == CXM_OK; i++) {
        const cxm_ticket *t =
            (const cxm_ticket *)(const void *)((const char *)tickets + i * stride);
        st = rec_of(backlog, t, &r, bad_field);
        if (st == CXM_OK) st = rec_clock(backlog, &r, &head, bad_field);
    }
    if (st == CXM_OK && cxm_add_overflows(backlog->tickets, n)) {
        st = CXM_OVERFLOW;
        i = 1;
    }
    if (st != CXM_OK) {
        if (bad_index) *bad_index = i - 1;
        return st;
    }
    for (i = 0; i < n; i++) {
        const cxm_ticket *t =
            (const cxm_ticket *)(const void *)((const char *)tickets + i * stride);
        (void)rec_of(backlog, t, &r, NULL);
        head = backlog->head;
        (void)rec_clock(backlog, &r, &head, NULL);
        move_head(backlog, head);
        rec_apply(backlog, &r, true);
    }
    return CXM_OK;
}

cxm_status cxm_backlog_retract(cxm_backlog *backlog, const cxm_ticket *ticket, uint32_t *bad_field)
{
    if (!backlog) return cxm_ticket_refuse(CXM_INVALID_ARGUMENT, CXM_TICKET_FIELD_NONE, bad_field);
    bl_rec r;
    cxm_status st = rec_of(backlog, ticket, &r, bad_field);
    if (st != CXM_OK) return st;
    if (!can_retract(backlog, &r)) return CXM_BAD_STATE;
    rec_apply(backlog, &r, false);
    return CXM_OK;
}

cxm_status cxm_backlog_replace(cxm_backlog *backlog, const cxm_ticket *old, const cxm_ticket *now,
                               uint32_t *bad_field)
{
    if (!backlog) return cxm_ticket_refuse(CXM_INVALID_ARGUMENT, CXM_TICKET_FIELD_NONE, bad_field);
    bl_rec a, b;
    cxm_status st = rec_of(backlog, old, &a, bad_field);
    if (st != CXM_OK) return st;
    if (!can_retract(backlog, &a)) return CXM_BAD_STATE;
    int64_t head = backlog->head;
    st = rec_of(backlog, now, &b, bad_field);
    if (st == CXM_OK) st = rec_clock(backlog, &b, &head, bad_field);
    if (st != CXM_OK) return st;
    /* The retraction first, on the clock the old record was counted with. */
    rec_apply(backlog, &a, false);
    move_head(backlog, head);
    rec_apply(backlog, &b, true);
    return CXM_OK;
}

cxm_status cxm_backlog_advance(cxm_backlog *backlog, int64_t now)
{
    if (!backlog) return CXM_INVALID_ARGUMENT;
    if (!cxm_time_ok(now)) return CXM_OUT_OF_RANGE;
    move_head(backlog, zone_number_at(&backlog->zone, now));
    return CXM_OK;
}

/* ---- results ---------------------------------------------------------------------- */

/* The result of bucket n (in the ring). */
static void result_of(const cxm_backlog *b, int64_t n, cxm_backlog_result *r)
{
    const bl_cell *c = cell(b, n);
    cxm_series_bucket_info info;
    zone_bucket_info(&b->zone, n, &info);
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    r->number = n;
    r->local_start = info.local_start;
    r->start = info.start;
    r->end = info.end;
    r->created = c->created;
    r->solved = c->solved;
    r->open = c->open;
    r->has_bucket = 1;
}

cxm_status cxm_backlog_get(const cxm_backlog *backlog, uint32_t age, cxm_backlog_result *out)
{
    if (!backlog) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    if (age >= backlog->buckets) return CXM_CAPACITY;
    int64_t n = backlog->head - (int64_t)age;
    cxm_backlog_result r;
    result_of(backlog, n, &r);
    cxm_result_copy(out, &r, sizeof r);
    return CXM_OK;
}

cxm_status cxm_backlog_get_at(const cxm_backlog *backlog, int64_t t, cxm_backlog_result *out)
{
    if (!backlog) return CXM_INVALID_ARGUMENT;
    if (!cxm_time_ok(t)) return CXM_OUT_OF_RANGE;
    int64_t n = zone_number_at(&backlog->zone, t);
    if (n > backlog->head) return CXM_OUT_OF_RANGE;
    if (n < oldest(backlog)) return CXM_EXPIRED;
    return cxm_backlog_get(backlog, (uint32_t)(backlog->head - n), out);
}

cxm_status cxm_backlog_before(const cxm_backlog *backlog, cxm_backlog_result *out)
{
    if (!backlog) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    cxm_backlog_result r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.created = backlog->created_before;
    r.solved = backlog->solved_before;
    r.open = backlog->created_before - backlog->solved_before;
    cxm_result_copy(out, &r, sizeof r);
    return CXM_OK;
}

cxm_status cxm_backlog_list(const cxm_backlog *backlog, cxm_backlog_result *out, size_t cap,
                            size_t *n)
{
    if (!backlog || !n) return CXM_INVALID_ARGUMENT;
    *n = backlog->buckets;
    if (cap < backlog->buckets) return CXM_BUFFER_TOO_SMALL;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    uint32_t size = out->size;
    for (uint32_t k = 0; k < backlog->buckets; k++) {
        cxm_backlog_result r;
        result_of(backlog, oldest(backlog) + (int64_t)k, &r);
        cxm_backlog_result *dst = (cxm_backlog_result *)(void *)((char *)out + (size_t)k * size);
        dst->size = size;
        cxm_result_copy(dst, &r, sizeof r);
    }
    return CXM_OK;
}

/* ---- merge, reset, clone ------------------------------------------------------------ */

cxm_status cxm_backlog_merge(cxm_backlog *dst, const cxm_backlog *src)
{
    if (!dst || !src || dst == src) return CXM_INVALID_ARGUMENT;
    if (dst->buckets != src->buckets || !zone_same(&dst->zone, &src->zone))
        return CXM_KIND_MISMATCH;
    if (cxm_add_overflows(dst->tickets, src->tickets)) return CXM_OVERFLOW;
    if (src->head > dst->head) move_head(dst, src->head);
    dst->created_before += src->created_before;
    dst->solved_before += src->solved_before;
    for (int64_t n = oldest(src); n <= src->head; n++) {
        const bl_cell *c = cell(src, n);
        *created_of(dst, n) += c->created;
        *solved_of(dst, n) += c->solved;
    }
    dst->tickets += src->tickets;
    (void)recount_open(dst); /* sums of valid counts: never below zero */
    return CXM_OK;
}

cxm_status cxm_backlog_reset(cxm_backlog *backlog)
{
    if (!backlog) return CXM_INVALID_ARGUMENT;
    memset((char *)backlog + backlog->cells_off, 0, (size_t)backlog->buckets * sizeof(bl_cell));
    backlog->tickets = backlog->created_before = backlog->solved_before = 0;
    backlog->head = backlog->origin;
    return CXM_OK;
}

cxm_status cxm_backlog_clone(const cxm_backlog *backlog, const cxm_allocator *alloc,
                             cxm_backlog **out)
{
    if (!backlog || !out) return CXM_INVALID_ARGUMENT;
    return cxm_obj_clone(backlog, backlog->total, alloc, (void **)out);
}

void cxm_backlog_free(cxm_backlog *backlog)
{
    cxm_obj_free(backlog);
}

/* ---- encoding ------------------------------------------------------------------- */

cxm_status cxm_backlog_encode(const cxm_backlog *backlog, uint8_t *buf, size_t cap, size_t *len)
{
    if (!backlog || !len) return CXM_INVALID_ARGUMENT;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_BACKLOG, BACKLOG_FORMAT_VERSION);
    cxm_wr_u32(&w, backlog->zone.width);
    cxm_wr_u32(&w, backlog->buckets);
    cxm_wr_u32(&w, backlog->max_ahead);
    zone_write(&w, &backlog->zone);
    cxm_wr_u64(&w, (uint64_t)backlog->origin);
    cxm_wr_u64(&w, (uint64_t)backlog->head);
    cxm_wr_uvar(&w, backlog->created_before);
    cxm_wr_uvar(&w, backlog->solved_before);
    /* Non-empty buckets only, newest first, by age. */
    uint32_t count = 0;
    for (uint32_t age = 0; age < backlog->buckets; age++) {
        const bl_cell *c = cell(backlog, backlog->head - (int64_t)age);
        count += c->created || c->solved;
    }
    cxm_wr_uvar(&w, count);
    for (uint32_t age = 0; age < backlog->buckets; age++) {
        const bl_cell *c = cell(backlog, backlog->head - (int64_t)age);
        if (!c->created && !c->solved) continue;
        cxm_wr_uvar(&w, age);
        cxm_wr_uvar(&w, c->created);
        cxm_wr_uvar(&w, c->solved);
    }
    return cxm_wr_end(&w, len);
}

/*
 * The counts of a decoded backlog describe records some adds could hold:
 * nothing open below zero at any bucket's end (every solve has a creation
 * at or before it), a balance only when an instant lies before the ring,
 * and a total that fits 64 bits. Sets the total.
 */
static bool counts_ok(cxm_backlog *b)
{
    if (b->solved_before > b->created_before) return false;
    if (b->created_before && zone_number_at(&b->zone, CXM_CALENDAR_MIN_TIME) >= oldest(b))
        return false;
    uint64_t total = b->created_before;
    for (int64_t n = oldest(b); n <= b->head; n++) {
        if (cxm_add_overflows(total, cell(b, n)->created)) return false;
        total += cell(b, n)->created;
    }
    b->tickets = total;
    return recount_open(b); /* every open figure is at most the total */
}

cxm_status cxm_backlog_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                              cxm_backlog **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_allocator al;
    cxm_status st = cxm_alloc_resolve(alloc, &al);
    if (st != CXM_OK) return st;
    cxm_rd r;
    if ((st = cxm_rd_begin(&r, buf, len, CXM_FAMILY_BACKLOG, BACKLOG_FORMAT_VERSION)) != CXM_OK)
        return st;
    clock_shape sh;
    memset(&sh, 0, sizeof sh);
    sh.width = cxm_rd_u32(&r);
    sh.buckets = cxm_rd_u32(&r);
    sh.max_ahead = cxm_rd_u32(&r);
    const uint8_t *changes = zone_read(&r, &sh);
    int64_t origin = (int64_t)cxm_rd_u64(&r), head = (int64_t)cxm_rd_u64(&r);
    if (r.bad || !clock_shape_ok(&sh)) return CXM_BAD_FORMAT;
    size_t cells_off;
    cxm_backlog *b;
    if ((st = cxm_obj_new(&al, backlog_bytes(&sh, &cells_off), CXM_FAMILY_BACKLOG, (void **)&b)) !=
        CXM_OK)
        return st;
    b->buckets = sh.buckets;
    b->max_ahead = sh.max_ahead;
    b->cells_off = cells_off;
    b->total = backlog_bytes(&sh, &cells_off);
    b->origin = origin;
    b->head = head;
    if (!zone_read_changes(changes, &b->zone, &sh) ||
        !clock_decoded_ok(&b->zone, &sh, origin, head))
        st = CXM_BAD_FORMAT;
    b->created_before = cxm_rd_uvar(&r);
    b->solved_before = cxm_rd_uvar(&r);
    uint64_t count = cxm_rd_uvar(&r), next_age = 0;
    if (r.bad || count > b->buckets) st = CXM_BAD_FORMAT;
    for (uint64_t i = 0; i < count && st == CXM_OK; i++) {
        uint64_t age = cxm_rd_uvar(&r), created = cxm_rd_uvar(&r), solved = cxm_rd_uvar(&r);
        /* Ages strictly increase; a written bucket holds data and is one an instant reaches. */
        if (r.bad || age < next_age || age >= b->buckets || (!created && !solved) ||
            !zone_bucket_real(&b->zone, head - (int64_t)age)) {
            st = CXM_BAD_FORMAT;
            break;
        }
        next_age = age + 1;
        bl_cell *c = cell(b, head - (int64_t)age);
        c->created = created;
        c->solved = solved;
    }
    if (st == CXM_OK && !counts_ok(b)) st = CXM_BAD_FORMAT;
    if (st == CXM_OK) st = cxm_rd_end(&r);
    if (st != CXM_OK) {
        cxm_backlog_free(b);
        return st;
    }
    *out = b;
    return CXM_OK;
}
