/*
 * series.c — the time-bucketed series: local time and bucket numbers
 * (fixed offset or a calendar's zone), the ring of accumulators with its
 * spare and scratch slots, the typed adds, span and window queries, merge
 * and the codec. The accumulators inside are the families' own objects,
 * copied flat from the prototype (every accumulator is one pointer-free
 * block) and driven only through the families' public calls.
 */
#include <string.h>

#include "duration_core.h"
#include "nps_core.h"
#include "series_core.h"
#include "survival_core.h"

#define SERIES_FORMAT_VERSION 1

struct cxm_series {
    cxm_obj obj;
    uint32_t inner;     /* cxm_family of the buckets */
    uint32_t buckets;   /* ring length */
    uint32_t max_ahead; /* resolved, >= 1 */
    uint32_t spare;     /* slot index of the spare accumulator */
    uint32_t scratch;   /* slot index of the scratch accumulator */
    uint32_t pad0;
    size_t stride;    /* bytes of one accumulator slot, aligned */
    size_t acc_bytes; /* bytes of one accumulator */
    size_t map_off;   /* uint32_t map[buckets]: ring position -> slot */
    size_t used_off;  /* uint8_t used[buckets]: the bucket at that position took an event */
    size_t acc_off;   /* first slot */
    size_t total;
    int64_t head;    /* number of the newest bucket */
    int64_t origin;  /* the head at creation: reset turns the clock back to it */
    int64_t fast_lo; /* [fast_lo, fast_hi): instants known to be in the head bucket */
    int64_t fast_hi;
    size_t head_off;   /* offset of the head bucket's accumulator (an offset: clones copy it) */
    uint32_t head_pos; /* its ring position */
    uint32_t pad;
    series_zone zone; /* last: its offset changes follow */
};

static int64_t number_at(const cxm_series *s, int64_t t)
{
    return zone_number_at(&s->zone, t);
}

/* Caches the head bucket's instants for the add fast path, when no offset change cuts it. */
static void refresh_head(cxm_series *s);

static void set_head(cxm_series *s, int64_t head)
{
    s->head = head;
    refresh_head(s);
    zone_fast_range(&s->zone, head, &s->fast_lo, &s->fast_hi);
}

/* ---- slots ---------------------------------------------------------------------- */

static uint32_t *ring_map(const cxm_series *s)
{
    return (uint32_t *)(uintptr_t)((const char *)s + s->map_off);
}

static uint8_t *ring_used(const cxm_series *s)
{
    return (uint8_t *)(uintptr_t)((const char *)s + s->used_off);
}

static void *slot_at(const cxm_series *s, uint32_t slot)
{
    return (void *)(uintptr_t)((const char *)s + s->acc_off + (size_t)slot * s->stride);
}

static uint32_t ring_pos(const cxm_series *s, int64_t number)
{
    return series_ring_pos(number, s->buckets);
}

static void *bucket_acc(const cxm_series *s, int64_t number)
{
    return slot_at(s, ring_map(s)[ring_pos(s, number)]);
}

/* Caches where the head bucket lives, for the adds' fast path (after any move of the head or the
 * map). */
static void refresh_head(cxm_series *s)
{
    s->head_pos = ring_pos(s, s->head);
    s->head_off = s->acc_off + (size_t)ring_map(s)[s->head_pos] * s->stride;
}

static bool in_ring(const cxm_series *s, int64_t number)
{
    return number <= s->head && number > s->head - (int64_t)s->buckets;
}

/* ---- the families, through their public calls -------------------------------- */

/* The families a series can hold: every accumulator (not the configuration objects). */
static bool inner_ok(uint32_t family)
{
    switch (family) {
    case CXM_FAMILY_NPS:
    case CXM_FAMILY_NPS_PANEL:
    case CXM_FAMILY_CSAT:
    case CXM_FAMILY_CES:
    case CXM_FAMILY_DURATION:
    case CXM_FAMILY_SURVIVAL:
    case CXM_FAMILY_RATE:
    case CXM_FAMILY_SLA:
    case CXM_FAMILY_CHURN:
    case CXM_FAMILY_ROLLUP: return true;
    default: return false;
    }
}

/* Bytes of an accumulator object (0: not an accumulator this series can hold). */
static size_t acc_bytes_of(const void *acc)
{
    switch (((const cxm_obj *)acc)->family) {
    case CXM_FAMILY_NPS: return cxm_nps_footprint();
    case CXM_FAMILY_CSAT: return cxm_csat_footprint();
    case CXM_FAMILY_CES: return cxm_ces_footprint();
    /* The compact forms are not laid out in slots (their pools differ): dense prototypes only. */
    case CXM_FAMILY_DURATION:
        return ((const cxm_duration *)acc)->compact ? 0 : cxm_duration_footprint();
    case CXM_FAMILY_SURVIVAL: return survival_is_compact(acc) ? 0 : cxm_survival_footprint();
    case CXM_FAMILY_RATE: return cxm_rate_footprint();
    case CXM_FAMILY_CHURN: return cxm_churn_footprint();
    case CXM_FAMILY_NPS_PANEL: {
        uint32_t count, capacity;
        return cxm_nps_panel_brands(acc, &count, &capacity) == CXM_OK
                   ? cxm_nps_panel_footprint(capacity)
                   : 0;
    }
    case CXM_FAMILY_SLA: {
        uint32_t levels;
        return cxm_sla_levels(acc, &levels) == CXM_OK ? cxm_sla_footprint(levels) : 0;
    }
    case CXM_FAMILY_ROLLUP: return rollup_bytes(acc);
    default: return 0;
    }
}

static cxm_status acc_reset(uint32_t family, void *acc)
{
    switch (family) {
    case CXM_FAMILY_NPS: return cxm_nps_reset(acc);
    case CXM_FAMILY_NPS_PANEL: return cxm_nps_panel_reset(acc);
    case CXM_FAMILY_CSAT: return cxm_csat_reset(acc);
    case CXM_FAMILY_CES: return cxm_ces_reset(acc);
    case CXM_FAMILY_DURATION: return cxm_duration_reset(acc);
    case CXM_FAMILY_SURVIVAL: return cxm_survival_reset(acc);
    case CXM_FAMILY_RATE: return cxm_rate_reset(acc);
    case CXM_FAMILY_SLA: return cxm_sla_reset(acc);
    case CXM_FAMILY_CHURN: return cxm_churn_reset(acc);
    default: return cxm_rollup_reset(acc);
    }
}

static cxm_status acc_merge(uint32_t family, void *dst, const void *src)
{
    if (((const cxm_obj *)dst)->family != family) return CXM_KIND_MISMATCH;
    switch (family) {
    case CXM_FAMILY_NPS: return cxm_nps_merge(dst, src);
    case CXM_FAMILY_NPS_PANEL: return cxm_nps_panel_merge(dst, src);
    case CXM_FAMILY_CSAT: return cxm_csat_merge(dst, src);
    case CXM_FAMILY_CES: return cxm_ces_merge(dst, src);
    case CXM_FAMILY_DURATION: return cxm_duration_merge(dst, src);
    case CXM_FAMILY_SURVIVAL: return cxm_survival_merge(dst, src);
    case CXM_FAMILY_RATE: return cxm_rate_merge(dst, src);
    case CXM_FAMILY_SLA: return cxm_sla_merge(dst, src);
    case CXM_FAMILY_CHURN: return cxm_churn_merge(dst, src);
    default: return cxm_rollup_merge(dst, src);
    }
}

static cxm_status acc_encode(uint32_t family, const void *acc, uint8_t *buf, size_t cap,
                             size_t *len)
{
    switch (family) {
    case CXM_FAMILY_NPS: return cxm_nps_encode(acc, buf, cap, len);
    case CXM_FAMILY_NPS_PANEL: return cxm_nps_panel_encode(acc, buf, cap, len);
    case CXM_FAMILY_CSAT: return cxm_csat_encode(acc, buf, cap, len);
    case CXM_FAMILY_CES: return cxm_ces_encode(acc, buf, cap, len);
    case CXM_FAMILY_DURATION: return cxm_duration_encode(acc, buf, cap, len);
    case CXM_FAMILY_SURVIVAL: return cxm_survival_encode(acc, buf, cap, len);
    case CXM_FAMILY_RATE: return cxm_rate_encode(acc, buf, cap, len);
    case CXM_FAMILY_SLA: return cxm_sla_encode(acc, buf, cap, len);
    case CXM_FAMILY_CHURN: return cxm_churn_encode(acc, buf, cap, len);
    default: return cxm_rollup_encode(acc, buf, cap, len);
    }
}

static cxm_status acc_decode(uint32_t family, const uint8_t *buf, size_t len,
                             const cxm_allocator *a, void **out)
{
    switch (family) {
    case CXM_FAMILY_NPS: return cxm_nps_decode(buf, len, a, (cxm_nps **)out);
    case CXM_FAMILY_NPS_PANEL: return cxm_nps_panel_decode(buf, len, a, (cxm_nps_panel **)out);
    case CXM_FAMILY_CSAT: return cxm_csat_decode(buf, len, a, (cxm_csat **)out);
    case CXM_FAMILY_CES: return cxm_ces_decode(buf, len, a, (cxm_ces **)out);
    case CXM_FAMILY_DURATION: return cxm_duration_decode(buf, len, a, (cxm_duration **)out);
    case CXM_FAMILY_SURVIVAL: return cxm_survival_decode(buf, len, a, (cxm_survival **)out);
    case CXM_FAMILY_RATE: return cxm_rate_decode(buf, len, a, (cxm_rate **)out);
    case CXM_FAMILY_SLA: return cxm_sla_decode(buf, len, a, (cxm_sla **)out);
    case CXM_FAMILY_CHURN: return cxm_churn_decode(buf, len, a, (cxm_churn **)out);
    default: return cxm_rollup_decode(buf, len, a, (cxm_rollup **)out);
    }
}

/* Frees any accumulator through its header (every family frees the same way). */
static void acc_free(void *acc)
{
    cxm_obj_free(acc);
}

/* Copies an accumulator's bytes into a slot of the series, marked placed. */
static void acc_place(void *slot, const void *acc, size_t bytes)
{
    memcpy(slot, acc, bytes);
    ((cxm_obj *)slot)->placed = 1;
}

/* ---- creation --------------------------------------------------------------------- */

typedef struct series_shape {
    clock_shape c;
    uint32_t inner;
    size_t acc_bytes;
} series_shape;

typedef struct series_layout {
    size_t map_off, used_off, acc_off, stride;
} series_layout;

static size_t shape_bytes(const series_shape *sh, series_layout *l)
{
    size_t head = zone_end(offsetof(cxm_series, zone), sh->c.n_changes);
    l->map_off = cxm_align_up(head, 8);
    l->used_off = l->map_off + (size_t)sh->c.buckets * sizeof(uint32_t);
    l->acc_off = cxm_align_up(l->used_off + sh->c.buckets, CXM_ALIGNMENT);
    l->stride = cxm_align_up(sh->acc_bytes, CXM_ALIGNMENT);
    return l->acc_off + (size_t)(sh->c.buckets + 2) * l->stride;
}
static cxm_status shape_of(const cxm_series_options *opts, const void *prototype, series_shape *sh)
{
    memset(sh, 0, sizeof *sh);
    cxm_status st = prototype ? clock_shape_read(opts, &sh->c) : CXM_INVALID_ARGUMENT;
    if (st != CXM_OK) return st;
    sh->acc_bytes = acc_bytes_of(prototype);
    if (sh->acc_bytes == 0) return CXM_INVALID_ARGUMENT;
    series_layout l;
    sh->inner = ((const cxm_obj *)prototype)->family;
    return shape_bytes(sh, &l) <= CXM_SERIES_MAX_BYTES ? CXM_OK : CXM_CAPACITY;
}

/*
 * Lays out an empty series in `s` (zeroed, `total` bytes) around the
 * prototype; the zone is already in place.
 */
static cxm_status series_fill(cxm_series *s, const series_shape *sh, const void *prototype)
{
    s->inner = sh->inner;
    s->buckets = sh->c.buckets;
    s->max_ahead = sh->c.max_ahead;
    s->acc_bytes = sh->acc_bytes;
    series_layout l;
    s->total = shape_bytes(sh, &l);
    s->map_off = l.map_off;
    s->used_off = l.used_off;
    s->acc_off = l.acc_off;
    s->stride = l.stride;
    uint32_t *map = ring_map(s);
    for (uint32_t k = 0; k < s->buckets; k++)
        map[k] = k;
    s->spare = s->buckets;
    s->scratch = s->buckets + 1;
    for (uint32_t k = 0; k < s->buckets + 2; k++) {
        void *slot = slot_at(s, k);
        acc_place(slot, prototype, s->acc_bytes);
        cxm_status st = acc_reset(s->inner, slot);
        if (st != CXM_OK) return st;
    }
    s->origin = number_at(s, sh->c.start);
    set_head(s, s->origin);
    return CXM_OK;
}

static cxm_status series_make(bool place, void *mem, size_t size, const cxm_series_options *opts,
                              const void *prototype, const cxm_allocator *alloc, cxm_series **out)
{
    if (!out) return CXM_INVALID_ARGUMENT;
    series_shape sh;
    cxm_status st = shape_of(opts, prototype, &sh);
    if (st != CXM_OK) return st;
    series_layout l;
    cxm_series *s;
    st =
        cxm_obj_make(place, mem, size, alloc, shape_bytes(&sh, &l), CXM_FAMILY_SERIES, (void **)&s);
    if (st != CXM_OK) return st;
    zone_fill(&s->zone, &sh.c);
    if ((st = series_fill(s, &sh, prototype)) != CXM_OK) {
        cxm_obj_free(s);
        return st;
    }
    *out = s;
    return CXM_OK;
}

uint32_t cxm_series_max_buckets(void)
{
    return CXM_SERIES_MAX_BUCKETS;
}

size_t cxm_series_max_bytes(void)
{
    return CXM_SERIES_MAX_BYTES;
}

size_t cxm_series_footprint(const cxm_series_options *opts, const void *prototype)
{
    series_shape sh;
    series_layout l;
    return shape_of(opts, prototype, &sh) == CXM_OK ? shape_bytes(&sh, &l) : 0;
}

cxm_status cxm_series_new(const cxm_series_options *opts, const void *prototype,
                          const cxm_allocator *alloc, cxm_series **out)
{
    return series_make(false, NULL, 0, opts, prototype, alloc, out);
}

cxm_status cxm_series_init_in(void *mem, size_t size, const cxm_series_options *opts,
                              const void *prototype, cxm_series **out)
{
    return series_make(true, mem, size, opts, prototype, NULL, out);
}

cxm_status cxm_series_family(const cxm_series *series, uint32_t *family)
{
    if (!series || !family) return CXM_INVALID_ARGUMENT;
    *family = series->inner;
    return CXM_OK;
}

cxm_status cxm_series_config(const cxm_series *series, cxm_series_options *out)
{
    if (!series) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    cxm_series_options o;
    zone_config(&series->zone, series->buckets, series->max_ahead, series->head, &o);
    cxm_result_copy(out, &o, sizeof o);
    return CXM_OK;
}

/* ---- the clock and the adds ------------------------------------------------------ */

/* Empties the ring positions of bucket numbers (head, to] and moves the head there. */
static void move_head(cxm_series *s, int64_t to)
{
    int64_t steps = to - s->head;
    if (steps > (int64_t)s->buckets) steps = s->buckets;
    for (int64_t k = 1; k <= steps; k++) {
        (void)acc_reset(s->inner, bucket_acc(s, s->head + k));
        ring_used(s)[ring_pos(s, s->head + k)] = 0;
    }
    set_head(s, to);
}

cxm_status cxm_series_advance(cxm_series *series, int64_t now)
{
    if (!series) return CXM_INVALID_ARGUMENT;
    if (!cxm_time_ok(now)) return CXM_OUT_OF_RANGE;
    int64_t b = number_at(series, now);
    if (b > series->head) move_head(series, b);
    return CXM_OK;
}

/* One event, added by `add(acc, ev)` through the family's own add. */
typedef cxm_status (*series_add_fn)(void *acc, const void *ev);

/*
 * Routes one event at t: into its bucket when it is in the ring; into the
 * spare when it opens a newer bucket, the spare then taking that bucket's
 * place only if the add succeeded (so a refused event moves nothing).
 */
static cxm_status series_add(cxm_series *s, uint32_t family, int64_t t, series_add_fn add,
                             const void *ev)
{
    if (!s) return CXM_INVALID_ARGUMENT;
    if (s->inner != family) return CXM_KIND_MISMATCH;
    int64_t b = s->head;
    if (!(t >= s->fast_lo && t < s->fast_hi)) {
        if (!cxm_time_ok(t)) return CXM_OUT_OF_RANGE;
        b = number_at(s, t);
    }
    cxm_status st;
    if (b <= s->head) {
        if (!in_ring(s, b)) return CXM_EXPIRED;
        if ((st = add(bucket_acc(s, b), ev)) == CXM_OK) ring_used(s)[ring_pos(s, b)] = 1;
        return st;
    }
    if (b - s->head > (int64_t)s->max_ahead) return CXM_OUT_OF_RANGE;
    if ((st = add(slot_at(s, s->spare), ev)) != CXM_OK) return st;
    move_head(s, b);
    uint32_t *map = ring_map(s), pos = ring_pos(s, b), old = map[pos];
    map[pos] = s->spare;
    s->spare = old; /* emptied by move_head */
    ring_used(s)[pos] = 1;
    refresh_head(s);
    return CXM_OK;
}

/*
 * The adds' fast path, inlined in each typed add: an instant known to lie in
 * the head bucket goes straight to the family's add (one call, no routing).
 */
static inline void *fast_acc(cxm_series *s, uint32_t family, int64_t t)
{
    if (s && s->inner == family && t >= s->fast_lo && t < s->fast_hi)
        return (char *)s + s->head_off;
    return NULL;
}

static inline cxm_status fast_done(cxm_series *s, cxm_status st)
{
    if (st == CXM_OK) ring_used(s)[s->head_pos] = 1;
    return st;
}

typedef struct score_ev {
    int32_t score;
} score_ev;

static cxm_status add_nps(void *acc, const void *ev)
{
    return cxm_nps_add(acc, ((const score_ev *)ev)->score);
}
static cxm_status add_csat(void *acc, const void *ev)
{
    return cxm_csat_add(acc, ((const score_ev *)ev)->score);
}
static cxm_status add_ces(void *acc, const void *ev)
{
    return cxm_ces_add(acc, ((const score_ev *)ev)->score);
}

cxm_status cxm_series_nps_add(cxm_series *series, int64_t t, int32_t score)
{
    void *acc = fast_acc(series, CXM_FAMILY_NPS, t);
    if (acc) return fast_done(series, nps_counts_add(&((cxm_nps *)acc)->c, score, 1.0, false));
    score_ev ev = {score};
    return series_add(series, CXM_FAMILY_NPS, t, add_nps, &ev);
}

cxm_status cxm_series_csat_add(cxm_series *series, int64_t t, int32_t score)
{
    void *acc = fast_acc(series, CXM_FAMILY_CSAT, t);
    if (acc) return fast_done(series, cxm_csat_add(acc, score));
    score_ev ev = {score};
    return series_add(series, CXM_FAMILY_CSAT, t, add_csat, &ev);
}

cxm_status cxm_series_ces_add(cxm_series *series, int64_t t, int32_t score)
{
    void *acc = fast_acc(series, CXM_FAMILY_CES, t);
    if (acc) return fast_done(series, cxm_ces_add(acc, score));
    score_ev ev = {score};
    return series_add(series, CXM_FAMILY_CES, t, add_ces, &ev);
}

typedef struct panel_ev {
    uint32_t brand;
    int32_t score;
} panel_ev;

static cxm_status add_panel(void *acc, const void *ev)
{
    const panel_ev *e = ev;
    return cxm_nps_panel_add(acc, e->brand, e->score);
}

cxm_status cxm_series_panel_add(cxm_series *series, int64_t t, uint32_t brand, int32_t score)
{
    panel_ev ev = {brand, score};
    return series_add(series, CXM_FAMILY_NPS_PANEL, t, add_panel, &ev);
}

typedef struct duration_ev {
    double seconds;
    uint32_t state;
} duration_ev;

static cxm_status add_duration(void *acc, const void *ev)
{
    return cxm_duration_add(acc, ((const duration_ev *)ev)->seconds);
}
static cxm_status add_survival(void *acc, const void *ev)
{
    const duration_ev *e = ev;
    return cxm_survival_add(acc, e->seconds, e->state);
}

/* The routed add, out of line: the inlined dur_add of the fast path then needs no stack frame. */
static DUR_OUT_OF_LINE cxm_status duration_routed(cxm_series *series, int64_t t, double seconds)
{
    duration_ev ev = {seconds, 0};
    return series_add(series, CXM_FAMILY_DURATION, t, add_duration, &ev);
}

cxm_status cxm_series_duration_add(cxm_series *series, int64_t t, double seconds)
{
    void *acc = fast_acc(series, CXM_FAMILY_DURATION, t);
    if (acc) return fast_done(series, dur_add(&((cxm_duration *)acc)->c, seconds));
    return duration_routed(series, t, seconds);
}

cxm_status cxm_series_survival_add(cxm_series *series, int64_t t, double seconds, uint32_t state)
{
    duration_ev ev = {seconds, state};
    return series_add(series, CXM_FAMILY_SURVIVAL, t, add_survival, &ev);
}

static cxm_status add_rate(void *acc, const void *ev)
{
    return cxm_rate_add(acc, *(const uint32_t *)ev);
}

cxm_status cxm_series_rate_add(cxm_series *series, int64_t t, uint32_t success)
{
    void *acc = fast_acc(series, CXM_FAMILY_RATE, t);
    if (acc) return fast_done(series, cxm_rate_add(acc, success));
    return series_add(series, CXM_FAMILY_RATE, t, add_rate, &success);
}

typedef struct sla_ev {
    uint32_t priority, metric, outcome;
    int64_t lateness;
} sla_ev;

static cxm_status add_sla(void *acc, const void *ev)
{
    const sla_ev *e = ev;
    return cxm_sla_add(acc, e->priority, e->metric, e->outcome, e->lateness);
}

cxm_status cxm_series_sla_add(cxm_series *series, int64_t t, uint32_t priority, uint32_t metric,
                              uint32_t outcome, int64_t lateness)
{
    sla_ev ev = {priority, metric, outcome, lateness};
    return series_add(series, CXM_FAMILY_SLA, t, add_sla, &ev);
}

static cxm_status add_churn(void *acc, const void *ev)
{
    return cxm_churn_add(acc, ev);
}

cxm_status cxm_series_churn_add(cxm_series *series, int64_t t, const cxm_churn_customer *customer)
{
    if (!customer) return CXM_INVALID_ARGUMENT;
    return series_add(series, CXM_FAMILY_CHURN, t, add_churn, customer);
}

typedef struct ticket_ev {
    const cxm_ticket *ticket;
    uint32_t *bad_field;
} ticket_ev;

static cxm_status add_ticket(void *acc, const void *ev)
{
    const ticket_ev *e = ev;
    return cxm_rollup_add(acc, e->ticket, e->bad_field);
}

cxm_status cxm_series_rollup_add(cxm_series *series, int64_t t, const cxm_ticket *ticket,
                                 uint32_t *bad_field)
{
    if (!ticket) return CXM_INVALID_ARGUMENT;
    ticket_ev ev = {ticket, bad_field};
    return series_add(series, CXM_FAMILY_ROLLUP, t, add_ticket, &ev);
}

/* ---- batches ---------------------------------------------------------------------- */

/* What a batch of one scalar family needs: a value check, the add, the count of a bucket. */
typedef struct batch_ops {
    uint32_t family;
    bool (*value_ok)(const cxm_series *s, const void *values, size_t i);
    cxm_status (*add)(void *acc, const void *values, size_t i);
    uint64_t (*count)(const void *acc);
} batch_ops;

/*
 * All or nothing: the first pass replays the clock over the instants and
 * checks every event (instant, value, room in its bucket's counts) without
 * writing; the second adds them, which can then no longer fail. The count
 * check is conservative: a bucket is refused if it could not take the
 * whole batch.
 */
static cxm_status series_add_many(cxm_series *s, const batch_ops *ops, const int64_t *times,
                                  const void *values, size_t n, size_t *bad_index)
{
    if (!s || ((!times || !values) && n > 0)) return CXM_INVALID_ARGUMENT;
    if (s->inner != ops->family) return CXM_KIND_MISMATCH;
    int64_t head = s->head, last = INT64_MIN;
    cxm_status st = CXM_OK;
    size_t i = 0;
    for (; i < n && st == CXM_OK; i++) {
        if (!cxm_time_ok(times[i])) {
            st = CXM_OUT_OF_RANGE;
            break;
        }
        int64_t b = number_at(s, times[i]);
        if (b > head) {
            if (b - head > (int64_t)s->max_ahead) {
                st = CXM_OUT_OF_RANGE;
                break;
            }
            head = b;
        } else if (b <= head - (int64_t)s->buckets) {
            st = CXM_EXPIRED;
            break;
        }
        if (!ops->value_ok(s, values, i)) {
            st = CXM_OUT_OF_RANGE;
            break;
        }
        /* A bucket that exists now (not one the batch opens) must have room for the batch. */
        if (b != last && in_ring(s, b) && ops->count(bucket_acc(s, b)) > UINT64_MAX - n)
            st = CXM_OVERFLOW;
        last = b;
    }
    if (st != CXM_OK) {
        if (bad_index) *bad_index = i;
        return st;
    }
    for (i = 0; i < n; i++) {
        int64_t b = number_at(s, times[i]);
        if (b > s->head) move_head(s, b);
        (void)ops->add(bucket_acc(s, b), values, i);
        ring_used(s)[ring_pos(s, b)] = 1;
    }
    return CXM_OK;
}

static bool score_ok_nps(const cxm_series *s, const void *v, size_t i)
{
    (void)s;
    return ((const uint8_t *)v)[i] <= 10;
}
static bool score_ok_csat(const cxm_series *s, const void *v, size_t i)
{
    uint64_t c;
    return cxm_csat_count(slot_at(s, s->spare), ((const uint8_t *)v)[i], &c) == CXM_OK;
}
static bool score_ok_ces(const cxm_series *s, const void *v, size_t i)
{
    uint64_t c;
    return cxm_ces_count(slot_at(s, s->spare), ((const uint8_t *)v)[i], &c) == CXM_OK;
}
static bool outcome_ok(const cxm_series *s, const void *v, size_t i)
{
    (void)s;
    return ((const uint8_t *)v)[i] <= 1;
}
static bool seconds_ok(const cxm_series *s, const void *v, size_t i)
{
    (void)s;
    double x = ((const double *)v)[i];
    return x >= 0.0 && x <= CXM_DURATION_MAX; /* -0.0 counts as 0; NaN fails both */
}

static cxm_status batch_nps(void *acc, const void *v, size_t i)
{
    return cxm_nps_add(acc, ((const uint8_t *)v)[i]);
}
static cxm_status batch_csat(void *acc, const void *v, size_t i)
{
    return cxm_csat_add(acc, ((const uint8_t *)v)[i]);
}
static cxm_status batch_ces(void *acc, const void *v, size_t i)
{
    return cxm_ces_add(acc, ((const uint8_t *)v)[i]);
}
static cxm_status batch_rate(void *acc, const void *v, size_t i)
{
    return cxm_rate_add(acc, ((const uint8_t *)v)[i]);
}
static cxm_status batch_duration(void *acc, const void *v, size_t i)
{
    return cxm_duration_add(acc, ((const double *)v)[i]);
}

static uint64_t count_nps(const void *acc)
{
    cxm_nps_result r = {.size = sizeof r};
    cxm_status st = cxm_nps_result_get(acc, 0, CXM_NPS_WALD, &r);
    return st == CXM_OK || st == CXM_EMPTY ? r.n : UINT64_MAX;
}
static uint64_t count_csat(const void *acc)
{
    cxm_csat_result r = {.size = sizeof r};
    cxm_status st = cxm_csat_result_get(acc, 0, &r);
    return st == CXM_OK || st == CXM_EMPTY ? r.n : UINT64_MAX;
}
static uint64_t count_ces(const void *acc)
{
    cxm_ces_result r = {.size = sizeof r};
    cxm_status st = cxm_ces_result_get(acc, 0, &r);
    return st == CXM_OK || st == CXM_EMPTY ? r.n : UINT64_MAX;
}
static uint64_t count_rate(const void *acc)
{
    cxm_rate_result r = {.size = sizeof r};
    cxm_status st = cxm_rate_result_get(acc, 0, &r);
    return st == CXM_OK || st == CXM_EMPTY ? r.trials : UINT64_MAX;
}
static uint64_t count_duration(const void *acc)
{
    cxm_duration_result r = {.size = sizeof r};
    cxm_status st = cxm_duration_result_get(acc, 0, &r);
    return st == CXM_OK || st == CXM_EMPTY ? r.n : UINT64_MAX;
}

cxm_status cxm_series_nps_add_many(cxm_series *series, const int64_t *times, const uint8_t *scores,
                                   size_t n, size_t *bad_index)
{
    static const batch_ops ops = {CXM_FAMILY_NPS, score_ok_nps, batch_nps, count_nps};
    return series_add_many(series, &ops, times, scores, n, bad_index);
}

cxm_status cxm_series_csat_add_many(cxm_series *series, const int64_t *times, const uint8_t *scores,
                                    size_t n, size_t *bad_index)
{
    static const batch_ops ops = {CXM_FAMILY_CSAT, score_ok_csat, batch_csat, count_csat};
    return series_add_many(series, &ops, times, scores, n, bad_index);
}

cxm_status cxm_series_ces_add_many(cxm_series *series, const int64_t *times, const uint8_t *scores,
                                   size_t n, size_t *bad_index)
{
    static const batch_ops ops = {CXM_FAMILY_CES, score_ok_ces, batch_ces, count_ces};
    return series_add_many(series, &ops, times, scores, n, bad_index);
}

cxm_status cxm_series_rate_add_many(cxm_series *series, const int64_t *times,
                                    const uint8_t *outcomes, size_t n, size_t *bad_index)
{
    static const batch_ops ops = {CXM_FAMILY_RATE, outcome_ok, batch_rate, count_rate};
    return series_add_many(series, &ops, times, outcomes, n, bad_index);
}

cxm_status cxm_series_duration_add_many(cxm_series *series, const int64_t *times,
                                        const double *seconds, size_t n, size_t *bad_index)
{
    static const batch_ops ops = {CXM_FAMILY_DURATION, seconds_ok, batch_duration, count_duration};
    return series_add_many(series, &ops, times, seconds, n, bad_index);
}

/* ---- queries ---------------------------------------------------------------------- */

cxm_status cxm_series_bucket(const cxm_series *series, uint32_t age, const void **acc,
                             cxm_series_bucket_info *info)
{
    if (!series) return CXM_INVALID_ARGUMENT;
    cxm_status st = info ? cxm_result_check(info, CXM_SIZES(info)) : CXM_OK;
    if (st != CXM_OK) return st;
    if (age >= series->buckets) return CXM_CAPACITY;
    int64_t number = series->head - (int64_t)age;
    if (acc) *acc = bucket_acc(series, number);
    if (info) {
        cxm_series_bucket_info b;
        zone_bucket_info(&series->zone, number, &b);
        cxm_result_copy(info, &b, sizeof b);
    }
    return CXM_OK;
}

cxm_status cxm_series_bucket_at(const cxm_series *series, int64_t t, const void **acc,
                                cxm_series_bucket_info *info)
{
    if (!series) return CXM_INVALID_ARGUMENT;
    if (!cxm_time_ok(t)) return CXM_OUT_OF_RANGE;
    int64_t b = number_at(series, t);
    if (b > series->head) return CXM_OUT_OF_RANGE;
    if (!in_ring(series, b)) return CXM_EXPIRED;
    return cxm_series_bucket(series, (uint32_t)(series->head - b), acc, info);
}

#define MERGE_GROUP 32u /* duration buckets summed in one pass */

/*
 * Duration buckets into a duration accumulator of the same metric, up to
 * MERGE_GROUP sketches in one pass over the slots: the counts of one merge
 * per bucket, with `into` written once per group instead of once per
 * bucket.
 */
static cxm_status merge_durations(const cxm_series *s, int64_t lo, int64_t hi, uint32_t pos,
                                  cxm_duration *into)
{
    const cxm_duration *proto = slot_at(s, s->spare);
    if (((const cxm_obj *)into)->family != CXM_FAMILY_DURATION || into->metric != proto->metric)
        return CXM_KIND_MISMATCH;
    const duration_core *group[MERGE_GROUP];
    size_t k = 0;
    cxm_status st = CXM_OK;
    for (int64_t b = lo; b <= hi && st == CXM_OK; b++) {
        if (ring_used(s)[pos])
            group[k++] = &((const cxm_duration *)slot_at(s, ring_map(s)[pos]))->c;
        if (k == MERGE_GROUP || (b == hi && k > 0)) {
            st = dur_merge_many(&into->c, group, k);
            k = 0;
        }
        pos = pos + 1 == s->buckets ? 0 : pos + 1;
    }
    return st;
}

/*
 * The buckets lo .. hi into a compact survival accumulator: summed on the
 * stack, then stored in one reload of its pages, so that a window it has
 * no room for is refused with nothing merged (CXM_CAPACITY), as a compact
 * duration's is.
 */
static cxm_status merge_survivals(const cxm_series *s, int64_t lo, int64_t hi, cxm_survival *into)
{
    survival_sums x;
    survival_sums_begin(into, &x);
    uint32_t pos = lo <= hi ? ring_pos(s, lo) : 0;
    for (int64_t b = lo; b <= hi; b++) {
        if (ring_used(s)[pos]) {
            cxm_status st = survival_sums_add(&x, slot_at(s, ring_map(s)[pos]));
            if (st != CXM_OK) return st;
        }
        pos = pos + 1 == s->buckets ? 0 : pos + 1;
    }
    return survival_sums_store(into, &x);
}

/* Merges the ring's buckets numbered lo .. hi into `into`. */
static cxm_status merge_numbers(const cxm_series *s, int64_t lo, int64_t hi, void *into)
{
    if (lo <= s->head - (int64_t)s->buckets) lo = s->head - (int64_t)s->buckets + 1;
    if (hi > s->head) hi = s->head;
    if (s->inner == CXM_FAMILY_DURATION) {
        const uint32_t pos = lo <= hi ? ring_pos(s, lo) : 0;
        const cxm_duration *d = into;
        if (((const cxm_obj *)into)->family != CXM_FAMILY_DURATION || !d->compact)
            return merge_durations(s, lo, hi, pos, into);
        /* A compact accumulator: the buckets into a dense one first, merged in whole (all or
         * nothing when its pages run short). */
        _Alignas(CXM_ALIGNMENT) unsigned char mem[sizeof(cxm_duration)];
        cxm_duration *dense;
        cxm_duration_options o = {sizeof o, 0, d->metric, 0, 0};
        cxm_status st = cxm_duration_init_in(mem, sizeof mem, &o, &dense);
        if (st == CXM_OK) st = merge_durations(s, lo, hi, pos, dense);
        return st == CXM_OK ? cxm_duration_merge(into, dense) : st;
    }
    if (s->inner == CXM_FAMILY_SURVIVAL && ((const cxm_obj *)into)->family == CXM_FAMILY_SURVIVAL &&
        survival_is_compact(into))
        return merge_survivals(s, lo, hi, into);
    cxm_status st = CXM_OK;
    bool merged = false;
    const uint8_t *used = ring_used(s);
    const uint32_t *map = ring_map(s);
    /* One division for the first position, then a wrapping step: a window is its merges. */
    uint32_t pos = lo <= hi ? ring_pos(s, lo) : 0;
    for (int64_t b = lo; b <= hi && st == CXM_OK; b++) {
        if (used[pos]) { /* an empty bucket adds nothing */
            st = acc_merge(s->inner, into, slot_at(s, map[pos]));
            merged = true;
        }
        pos = pos + 1 == s->buckets ? 0 : pos + 1;
    }
    /* Nothing merged: still check into's configuration (an empty merge changes nothing). */
    return merged ? st : acc_merge(s->inner, into, slot_at(s, s->spare));
}

cxm_status cxm_series_span(const cxm_series *series, int64_t from, int64_t to, void *into)
{
    if (!series || !into) return CXM_INVALID_ARGUMENT;
    if (to < from) return CXM_BAD_ORDER;
    if (!cxm_time_ok(from) || !cxm_time_ok(to)) return CXM_OUT_OF_RANGE;
    int64_t a = number_at(series, from), b = number_at(series, to);
    return merge_numbers(series, a < b ? a : b, a < b ? b : a, into);
}

cxm_status cxm_series_window(const cxm_series *series, int64_t as_of, uint32_t n, void *into)
{
    if (!series || !into || n == 0) return CXM_INVALID_ARGUMENT;
    if (!cxm_time_ok(as_of)) return CXM_OUT_OF_RANGE;
    int64_t b = number_at(series, as_of);
    return merge_numbers(series, b - (int64_t)n + 1, b, into);
}

cxm_status cxm_series_new_accumulator(const cxm_series *series, const cxm_allocator *alloc,
                                      void **out)
{
    if (!series || !out) return CXM_INVALID_ARGUMENT;
    const void *spare = slot_at(series, series->spare);
    void *acc;
    cxm_status st =
        cxm_obj_clone(spare, series->acc_bytes, alloc ? alloc : &series->obj.alloc, &acc);
    if (st != CXM_OK) return st;
    *out = acc;
    return CXM_OK;
}

cxm_status cxm_series_attach_calendar(cxm_series *series, const cxm_calendar *calendar)
{
    if (!series || !calendar) return CXM_INVALID_ARGUMENT;
    if (series->inner != CXM_FAMILY_ROLLUP) return CXM_KIND_MISMATCH;
    for (uint32_t k = 0; k < series->buckets + 2; k++) {
        cxm_status st = cxm_rollup_attach_calendar(slot_at(series, k), calendar);
        if (st != CXM_OK) return st;
    }
    return CXM_OK;
}

/* ---- merge, reset, clone --------------------------------------------------------- */

static bool same_shape(const cxm_series *a, const cxm_series *b)
{
    return a->inner == b->inner && a->buckets == b->buckets && a->acc_bytes == b->acc_bytes &&
           zone_same(&a->zone, &b->zone);
}

cxm_status cxm_series_merge(cxm_series *dst, const cxm_series *src)
{
    /* Not into itself: the scratch slot would check a bucket against itself being written. */
    if (!dst || !src || dst == src) return CXM_INVALID_ARGUMENT;
    if (!same_shape(dst, src)) return CXM_KIND_MISMATCH;
    /* The configuration of the buckets: merging an empty one checks it and changes nothing. */
    cxm_status st = acc_merge(dst->inner, slot_at(dst, dst->spare), slot_at(src, src->spare));
    if (st != CXM_OK) return st;
    int64_t head = dst->head > src->head ? dst->head : src->head;
    int64_t lo = head - (int64_t)dst->buckets + 1;
    /* Check every bucket merge on the scratch copy before writing any. */
    void *scratch = slot_at(dst, dst->scratch);
    for (int64_t b = lo; b <= src->head; b++) {
        if (!in_ring(src, b) || !in_ring(dst, b)) continue; /* into an emptied bucket: fits */
        memcpy(scratch, bucket_acc(dst, b), dst->acc_bytes);
        if ((st = acc_merge(dst->inner, scratch, bucket_acc(src, b))) != CXM_OK) break;
    }
    /* Leave the scratch slot as it was: an empty accumulator placed in the series. */
    memcpy(scratch, slot_at(dst, dst->spare), dst->acc_bytes);
    if (st != CXM_OK) return st;
    if (head > dst->head) move_head(dst, head);
    for (int64_t b = lo; b <= src->head; b++) {
        if (!in_ring(src, b) || !ring_used(src)[ring_pos(src, b)]) continue;
        (void)acc_merge(dst->inner, bucket_acc(dst, b), bucket_acc(src, b));
        ring_used(dst)[ring_pos(dst, b)] = 1;
    }
    return CXM_OK;
}

cxm_status cxm_series_reset(cxm_series *series)
{
    if (!series) return CXM_INVALID_ARGUMENT;
    for (uint32_t k = 0; k < series->buckets; k++) {
        (void)acc_reset(series->inner, bucket_acc(series, series->head - (int64_t)k));
        ring_used(series)[k] = 0;
    }
    set_head(series, series->origin);
    return CXM_OK;
}

cxm_status cxm_series_clone(const cxm_series *series, const cxm_allocator *alloc, cxm_series **out)
{
    if (!series || !out) return CXM_INVALID_ARGUMENT;
    cxm_series *s;
    cxm_status st = cxm_obj_clone(series, series->total, alloc, (void **)&s);
    if (st != CXM_OK) return st;
    *out = s;
    return CXM_OK;
}

void cxm_series_free(cxm_series *series)
{
    cxm_obj_free(series);
}

/* ---- encoding ------------------------------------------------------------------- */

/* Writes one accumulator as a LEB128 length and the family's own encoding. */
static void write_acc(cxm_wr *w, uint32_t family, const void *acc)
{
    size_t len = 0;
    (void)acc_encode(family, acc, NULL, 0, &len);
    cxm_wr_uvar(w, len);
    uint8_t *dst = w->len + len <= w->cap && w->buf ? w->buf + w->len : NULL;
    if (dst) (void)acc_encode(family, acc, dst, len, &len);
    w->len += len;
}

cxm_status cxm_series_encode(const cxm_series *series, uint8_t *buf, size_t cap, size_t *len)
{
    if (!series || !len) return CXM_INVALID_ARGUMENT;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_SERIES, SERIES_FORMAT_VERSION);
    cxm_wr_u32(&w, series->inner);
    cxm_wr_u32(&w, series->zone.width);
    cxm_wr_u32(&w, series->buckets);
    cxm_wr_u32(&w, series->max_ahead);
    zone_write(&w, &series->zone);
    cxm_wr_u64(&w, (uint64_t)series->origin);
    cxm_wr_u64(&w, (uint64_t)series->head);
    write_acc(&w, series->inner, slot_at(series, series->spare));
    /* Non-empty buckets only, newest first, by age. */
    uint32_t count = 0;
    for (uint32_t k = 0; k < series->buckets; k++)
        count += ring_used(series)[k];
    cxm_wr_uvar(&w, count);
    for (uint32_t age = 0; age < series->buckets; age++) {
        int64_t b = series->head - (int64_t)age;
        if (!ring_used(series)[ring_pos(series, b)]) continue;
        cxm_wr_uvar(&w, age);
        write_acc(&w, series->inner, bucket_acc(series, b));
    }
    return cxm_wr_end(&w, len);
}

/* Reads one accumulator blob (a LEB128 length and the bytes); NULL when bad. */
static const uint8_t *read_blob(cxm_rd *r, size_t *len)
{
    uint64_t n = cxm_rd_uvar(r);
    if (r->bad || n > r->left) {
        r->bad = true;
        return NULL;
    }
    *len = (size_t)n;
    return cxm_rd_take(r, *len);
}

/*
 * Decodes one bucket blob into `slot`: the family's decoder validates it;
 * it must have the prototype's configuration (its encoding once emptied is
 * the prototype's) and hold data (an empty bucket is never written).
 */
static cxm_status decode_bucket(const cxm_series *s, const uint8_t *blob, size_t len,
                                const uint8_t *proto, size_t proto_len, uint8_t *tmp,
                                const cxm_allocator *a, void *slot)
{
    if (len == proto_len && memcmp(blob, proto, len) == 0) return CXM_BAD_FORMAT;
    void *acc;
    cxm_status st = acc_decode(s->inner, blob, len, a, &acc);
    if (st != CXM_OK) return st == CXM_OUT_OF_MEMORY ? st : CXM_BAD_FORMAT;
    size_t n = 0;
    if (acc_bytes_of(acc) != s->acc_bytes) {
        st = CXM_BAD_FORMAT;
    } else {
        acc_place(slot, acc, s->acc_bytes);
        (void)acc_reset(s->inner, acc);
        st = acc_encode(s->inner, acc, tmp, proto_len, &n);
        if (st != CXM_OK || n != proto_len || memcmp(tmp, proto, n) != 0) st = CXM_BAD_FORMAT;
    }
    acc_free(acc);
    return st;
}

cxm_status cxm_series_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                             cxm_series **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_allocator al;
    cxm_status st = cxm_alloc_resolve(alloc, &al);
    if (st != CXM_OK) return st;
    cxm_rd r;
    if ((st = cxm_rd_begin(&r, buf, len, CXM_FAMILY_SERIES, SERIES_FORMAT_VERSION)) != CXM_OK)
        return st;
    series_shape sh;
    memset(&sh, 0, sizeof sh);
    sh.inner = cxm_rd_u32(&r);
    sh.c.width = cxm_rd_u32(&r);
    sh.c.buckets = cxm_rd_u32(&r);
    sh.c.max_ahead = cxm_rd_u32(&r);
    const uint8_t *changes = zone_read(&r, &sh.c);
    int64_t origin = (int64_t)cxm_rd_u64(&r), head = (int64_t)cxm_rd_u64(&r);
    size_t proto_len = 0;
    const uint8_t *proto = read_blob(&r, &proto_len);
    if (r.bad) return CXM_BAD_FORMAT;
    /* The prototype: an accumulator of the family, with no data. */
    void *p;
    if (!inner_ok(sh.inner)) return CXM_BAD_FORMAT;
    if ((st = acc_decode(sh.inner, proto, proto_len, &al, &p)) != CXM_OK)
        return st == CXM_OUT_OF_MEMORY ? st : CXM_BAD_FORMAT;
    sh.acc_bytes = acc_bytes_of(p);
    uint8_t *tmp = al.alloc(al.opaque, proto_len);
    cxm_series *s = NULL;
    st = tmp ? CXM_OK : CXM_OUT_OF_MEMORY;
    if (st == CXM_OK) {
        size_t n = 0;
        (void)acc_reset(sh.inner, p);
        if (sh.acc_bytes == 0 || acc_encode(sh.inner, p, tmp, proto_len, &n) != CXM_OK ||
            n != proto_len || memcmp(tmp, proto, n) != 0)
            st = CXM_BAD_FORMAT;
    }
    series_layout l;
    /* The buckets count is checked before the footprint is computed from it. */
    if (st == CXM_OK &&
        (((const cxm_obj *)p)->family != sh.inner || sh.c.buckets < 1 ||
         sh.c.buckets > CXM_SERIES_MAX_BUCKETS || shape_bytes(&sh, &l) > CXM_SERIES_MAX_BYTES))
        st = CXM_BAD_FORMAT;
    if (st == CXM_OK) st = cxm_obj_new(&al, shape_bytes(&sh, &l), CXM_FAMILY_SERIES, (void **)&s);
    if (st == CXM_OK) {
        /* The zone first: bucket numbers depend on it. */
        if (!zone_read_changes(changes, &s->zone, &sh.c) ||
            !clock_decoded_ok(&s->zone, &sh.c, origin, head))
            st = CXM_BAD_FORMAT;
    }
    if (st == CXM_OK) {
        st = series_fill(s, &sh, p);
        s->origin = origin;
        set_head(s, head);
    }
    uint64_t count = st == CXM_OK ? cxm_rd_uvar(&r) : 0;
    if (st == CXM_OK && (r.bad || count > s->buckets)) st = CXM_BAD_FORMAT;
    uint64_t next_age = 0;
    for (uint64_t i = 0; i < count && st == CXM_OK; i++) {
        uint64_t age = cxm_rd_uvar(&r);
        size_t blen = 0;
        const uint8_t *blob = read_blob(&r, &blen);
        if (r.bad || age < next_age || age >= s->buckets) {
            st = CXM_BAD_FORMAT;
            break;
        }
        next_age = age + 1;
        int64_t b = s->head - (int64_t)age;
        /* Data only in a bucket an event could have reached. */
        if (!zone_bucket_real(&s->zone, b)) {
            st = CXM_BAD_FORMAT;
            break;
        }
        st = decode_bucket(s, blob, blen, proto, proto_len, tmp, &al, bucket_acc(s, b));
        ring_used(s)[ring_pos(s, b)] = 1;
    }
    if (st == CXM_OK) st = cxm_rd_end(&r);
    acc_free(p);
    if (tmp) al.free(al.opaque, tmp);
    if (st != CXM_OK) {
        cxm_series_free(s);
        return st;
    }
    *out = s;
    return CXM_OK;
}
