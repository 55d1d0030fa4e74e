/*
 * sla.c — SLA policies, the target clock, the one-shot evaluation of a
 * ticket's metric, and the SLA accumulator (outcome counts per priority and
 * metric, breach lateness per metric in a duration sketch).
 *
 * The clock is one small value type (sla_clk) shared by the clock object and
 * by cxm_sla_evaluate, so both apply the same rules.
 */
#include <math.h>
#include <string.h>

#include "duration_core.h"
#include "sla_core.h"

#define SLA_FORMAT_VERSION 1

uint32_t cxm_sla_metric_count(void)
{
    return CXM_SLA_METRIC_COUNT;
}
uint32_t cxm_sla_standard_levels(void)
{
    return CXM_SLA_STANDARD_LEVELS;
}
uint32_t cxm_sla_max_levels(void)
{
    return CXM_SLA_MAX_LEVELS;
}
uint32_t cxm_sla_all_priorities(void)
{
    return CXM_SLA_ALL_PRIORITIES;
}

static bool levels_ok(uint32_t levels)
{
    return levels >= 1 && levels <= CXM_SLA_MAX_LEVELS;
}
static bool mode_ok(uint32_t mode)
{
    return mode == CXM_SLA_CALENDAR_TIME || mode == CXM_SLA_BUSINESS_HOURS;
}

/* ---- policy ------------------------------------------------------------------- */

typedef struct sla_target {
    int64_t seconds; /* 0: no target */
    uint32_t mode;
    uint32_t pad;
} sla_target;

struct cxm_sla_policy {
    cxm_obj obj;
    uint32_t levels;
    uint32_t pad;
    /* levels * CXM_SLA_METRIC_COUNT targets follow */
};

static sla_target *targets(const cxm_sla_policy *p)
{
    return (sla_target *)(uintptr_t)((const char *)p + cxm_align_up(sizeof *p, 8));
}

static size_t policy_bytes(uint32_t levels)
{
    return cxm_align_up(sizeof(cxm_sla_policy), 8) +
           (size_t)levels * CXM_SLA_METRIC_COUNT * sizeof(sla_target);
}

size_t cxm_sla_policy_footprint(uint32_t levels)
{
    return levels_ok(levels) ? policy_bytes(levels) : 0;
}

static cxm_status policy_create(bool place, void *mem, size_t size, uint32_t levels,
                                const cxm_allocator *alloc, cxm_sla_policy **out)
{
    if (!out || !levels_ok(levels)) return CXM_INVALID_ARGUMENT;
    cxm_sla_policy *p;
    cxm_status st = cxm_obj_make(place, mem, size, alloc, policy_bytes(levels), 0, (void **)&p);
    if (st != CXM_OK) return st;
    p->levels = levels;
    *out = p;
    return CXM_OK;
}

cxm_status cxm_sla_policy_new(uint32_t levels, const cxm_allocator *alloc, cxm_sla_policy **out)
{
    return policy_create(false, NULL, 0, levels, alloc, out);
}

cxm_status cxm_sla_policy_init_in(void *mem, size_t size, uint32_t levels, cxm_sla_policy **out)
{
    return policy_create(true, mem, size, levels, NULL, out);
}

static cxm_status cell_check(uint32_t levels, uint32_t priority, uint32_t metric)
{
    if (priority >= levels) return CXM_CAPACITY;
    if (metric >= CXM_SLA_METRIC_COUNT) return CXM_OUT_OF_RANGE;
    return CXM_OK;
}

cxm_status cxm_sla_policy_set_target(cxm_sla_policy *policy, uint32_t priority, uint32_t metric,
                                     int64_t seconds, uint32_t mode)
{
    if (!policy || !mode_ok(mode)) return CXM_INVALID_ARGUMENT;
    cxm_status st = cell_check(policy->levels, priority, metric);
    if (st != CXM_OK) return st;
    if (seconds <= 0 || seconds > SLA_MAX_SECONDS) return CXM_OUT_OF_RANGE;
    targets(policy)[priority * CXM_SLA_METRIC_COUNT + metric] = (sla_target){seconds, mode, 0};
    return CXM_OK;
}

cxm_status cxm_sla_policy_target(const cxm_sla_policy *policy, uint32_t priority, uint32_t metric,
                                 int64_t *seconds, uint32_t *mode)
{
    if (!policy || !seconds || !mode) return CXM_INVALID_ARGUMENT;
    cxm_status st = cell_check(policy->levels, priority, metric);
    if (st != CXM_OK) return st;
    const sla_target *t = &targets(policy)[priority * CXM_SLA_METRIC_COUNT + metric];
    if (t->seconds == 0) return CXM_EMPTY;
    *seconds = t->seconds;
    *mode = t->mode;
    return CXM_OK;
}

cxm_status cxm_sla_policy_levels(const cxm_sla_policy *policy, uint32_t *levels)
{
    if (!policy || !levels) return CXM_INVALID_ARGUMENT;
    *levels = policy->levels;
    return CXM_OK;
}

cxm_status cxm_sla_policy_clone(const cxm_sla_policy *policy, const cxm_allocator *alloc,
                                cxm_sla_policy **out)
{
    if (!policy || !out) return CXM_INVALID_ARGUMENT;
    return cxm_obj_clone(policy, policy_bytes(policy->levels), alloc, (void **)out);
}

void cxm_sla_policy_free(cxm_sla_policy *policy)
{
    cxm_obj_free(policy);
}

/* ---- policy encoding ------------------------------------------------------------ */

#define POLICY_FORMAT_VERSION 1

cxm_status cxm_sla_policy_encode(const cxm_sla_policy *policy, uint8_t *buf, size_t cap,
                                 size_t *len)
{
    if (!policy || !len) return CXM_INVALID_ARGUMENT;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_SLA_POLICY, POLICY_FORMAT_VERSION);
    cxm_wr_u32(&w, policy->levels);
    const sla_target *t = targets(policy);
    for (size_t i = 0; i < (size_t)policy->levels * CXM_SLA_METRIC_COUNT; i++) {
        cxm_wr_u64(&w, (uint64_t)t[i].seconds);
        cxm_wr_u32(&w, t[i].mode);
    }
    return cxm_wr_end(&w, len);
}

cxm_status cxm_sla_policy_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                                 cxm_sla_policy **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_rd r;
    cxm_status st = cxm_rd_begin(&r, buf, len, CXM_FAMILY_SLA_POLICY, POLICY_FORMAT_VERSION);
    if (st != CXM_OK) return st;
    uint32_t levels = cxm_rd_u32(&r);
    /* 12 bytes per target: the size the bytes choose is checked before allocating. */
    if (r.bad || !levels_ok(levels) || r.left != (size_t)levels * CXM_SLA_METRIC_COUNT * 12u)
        return CXM_BAD_FORMAT;
    cxm_sla_policy *p;
    if ((st = cxm_sla_policy_new(levels, alloc, &p)) != CXM_OK) return st;
    bool ok = true;
    for (uint32_t i = 0; i < levels * CXM_SLA_METRIC_COUNT; i++) {
        int64_t seconds = (int64_t)cxm_rd_u64(&r);
        uint32_t mode = cxm_rd_u32(&r);
        /* No target is (0, 0); any other pair must be one set_target accepts. */
        if (seconds != 0 || mode != 0)
            ok = ok && cxm_sla_policy_set_target(p, i / CXM_SLA_METRIC_COUNT,
                                                 i % CXM_SLA_METRIC_COUNT, seconds, mode) == CXM_OK;
    }
    if (!ok || cxm_rd_end(&r) != CXM_OK) {
        cxm_sla_policy_free(p);
        return CXM_BAD_FORMAT;
    }
    *out = p;
    return CXM_OK;
}

/* ---- the clock ------------------------------------------------------------------ */

typedef struct sla_clk {
    const cxm_calendar *cal; /* business hours only */
    int64_t target;
    uint32_t mode;
    uint32_t state;
    uint32_t breached;
    uint32_t pad;
    int64_t start, last;  /* activation, latest event */
    int64_t run_since;    /* start of the current active stretch */
    int64_t paused_since; /* start of the current pause */
    int64_t elapsed;      /* counted up to run_since (active) or paused_since (paused) */
    int64_t breach_at;
    int64_t paused, paused_counted;
    int64_t end;
} sla_clk;

struct cxm_sla_clock {
    cxm_obj obj;
    sla_clk c;
};

/* Target-unit seconds in [a, b). */
static int64_t clk_span(const sla_clk *k, int64_t a, int64_t b)
{
    int64_t s = b - a;
    if (k->mode == CXM_SLA_BUSINESS_HOURS &&
        cxm_calendar_business_seconds(k->cal, a, b, &s) != CXM_OK)
        s = 0; /* unreachable: instants are validated before */
    return s;
}

/* The instant `remaining` target-unit seconds after `from`, if within the range. */
static bool clk_due(const sla_clk *k, int64_t from, int64_t remaining, int64_t *due)
{
    if (k->mode == CXM_SLA_BUSINESS_HOURS)
        return cxm_calendar_due(k->cal, from, remaining, due) == CXM_OK;
    *due = from + remaining;
    return *due <= CXM_CALENDAR_MAX_TIME;
}

/* Runs an active clock up to t: records a breach passed on the way, counts the time. */
static void clk_run_to(sla_clk *k, int64_t t)
{
    int64_t due;
    if (!k->breached && clk_due(k, k->run_since, k->target - k->elapsed, &due) && t > due) {
        k->breached = 1;
        k->breach_at = due;
    }
    k->elapsed += clk_span(k, k->run_since, t);
    k->run_since = t;
}

static void clk_end_pause(sla_clk *k, int64_t t)
{
    k->paused += t - k->paused_since;
    k->paused_counted += clk_span(k, k->paused_since, t);
    k->paused_since = t;
}

enum { EV_ACTIVATE, EV_PAUSE, EV_RESUME, EV_FULFIL };

static cxm_status clk_event(sla_clk *k, int ev, int64_t t)
{
    static const uint32_t from[4][2] = {
        {CXM_SLA_INACTIVE, CXM_SLA_INACTIVE},
        {CXM_SLA_ACTIVE, CXM_SLA_ACTIVE},
        {CXM_SLA_PAUSED, CXM_SLA_PAUSED},
        {CXM_SLA_ACTIVE, CXM_SLA_PAUSED},
    };
    if (k->state != from[ev][0] && k->state != from[ev][1]) return CXM_BAD_STATE;
    if (!cxm_time_ok(t)) return CXM_OUT_OF_RANGE;
    if (k->state != CXM_SLA_INACTIVE && t < k->last) return CXM_BAD_ORDER;
    switch (ev) {
    case EV_ACTIVATE:
        k->start = k->run_since = t;
        k->state = CXM_SLA_ACTIVE;
        break;
    case EV_PAUSE:
        clk_run_to(k, t);
        k->paused_since = t;
        k->state = CXM_SLA_PAUSED;
        break;
    case EV_RESUME:
        clk_end_pause(k, t);
        k->run_since = t;
        k->state = CXM_SLA_ACTIVE;
        break;
    default:
        if (k->state == CXM_SLA_ACTIVE)
            clk_run_to(k, t);
        else
            clk_end_pause(k, t);
        k->end = t;
        k->state = CXM_SLA_CLOSED;
        break;
    }
    k->last = t;
    return CXM_OK;
}

static void clk_init(sla_clk *k, int64_t target, uint32_t mode, const cxm_calendar *cal)
{
    memset(k, 0, sizeof *k);
    k->target = target;
    k->mode = mode;
    k->cal = mode == CXM_SLA_BUSINESS_HOURS ? cal : NULL;
}

/* Whether `now` is an instant the clock can be read at (see clk_report). */
static cxm_status clk_readable(const sla_clk *k, int64_t now)
{
    if (k->state == CXM_SLA_ACTIVE || k->state == CXM_SLA_PAUSED) {
        if (!cxm_time_ok(now)) return CXM_OUT_OF_RANGE;
        if (now < k->last) return CXM_BAD_ORDER;
    }
    return CXM_OK;
}

/*
 * What the clock says at `now`, without changing it; `now` has passed
 * clk_readable. It cannot fail, so *r is always filled: a caller that
 * validated `now` itself (cxm_sla_evaluate) has no status to ignore.
 */
static void clk_report(const sla_clk *clock, int64_t now, cxm_sla_clock_status *r)
{
    sla_clk k = *clock;
    if (k.state == CXM_SLA_ACTIVE || k.state == CXM_SLA_PAUSED) {
        if (k.state == CXM_SLA_ACTIVE)
            clk_run_to(&k, now);
        else
            clk_end_pause(&k, now);
        k.end = now;
    }
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    r->state = k.state;
    r->breached = k.breached;
    r->mode = k.mode;
    r->target = k.target;
    r->elapsed = k.elapsed;
    r->time_left = k.target - k.elapsed;
    r->pct_elapsed = 100.0 * (double)k.elapsed / (double)k.target;
    r->start = k.start;
    r->paused = k.paused;
    r->paused_counted = k.paused_counted;
    r->end = k.state == CXM_SLA_INACTIVE ? 0 : k.end;
    if (k.breached) {
        r->has_breach_at = 1;
        r->breach_at = k.breach_at;
        r->lateness = k.end - k.breach_at;
    } else if (k.state == CXM_SLA_ACTIVE || k.state == CXM_SLA_CLOSED) {
        /* Running: when it will breach; closed on time: when it would have. */
        int64_t due;
        if (clk_due(&k, k.end, k.target - k.elapsed, &due)) {
            r->has_breach_at = 1;
            r->breach_at = due;
        }
    }
}

static cxm_status clock_args(int64_t target, uint32_t mode, const cxm_calendar *cal)
{
    if (!mode_ok(mode) || (mode == CXM_SLA_BUSINESS_HOURS && !cal)) return CXM_INVALID_ARGUMENT;
    if (target <= 0 || target > SLA_MAX_SECONDS) return CXM_OUT_OF_RANGE;
    return CXM_OK;
}

size_t cxm_sla_clock_footprint(void)
{
    return sizeof(cxm_sla_clock);
}

static cxm_status clock_create(bool place, void *mem, size_t size, int64_t target, uint32_t mode,
                               const cxm_calendar *calendar, const cxm_allocator *alloc,
                               cxm_sla_clock **out)
{
    if (!out) return CXM_INVALID_ARGUMENT;
    cxm_status st = clock_args(target, mode, calendar);
    if (st != CXM_OK) return st;
    cxm_sla_clock *c;
    if ((st = cxm_obj_make(place, mem, size, alloc, sizeof *c, 0, (void **)&c)) != CXM_OK)
        return st;
    clk_init(&c->c, target, mode, calendar);
    *out = c;
    return CXM_OK;
}

cxm_status cxm_sla_clock_new(int64_t target, uint32_t mode, const cxm_calendar *calendar,
                             const cxm_allocator *alloc, cxm_sla_clock **out)
{
    return clock_create(false, NULL, 0, target, mode, calendar, alloc, out);
}

cxm_status cxm_sla_clock_init_in(void *mem, size_t size, int64_t target, uint32_t mode,
                                 const cxm_calendar *calendar, cxm_sla_clock **out)
{
    return clock_create(true, mem, size, target, mode, calendar, NULL, out);
}

static cxm_status clock_event(cxm_sla_clock *clock, int ev, int64_t t)
{
    if (!clock) return CXM_INVALID_ARGUMENT;
    sla_clk next = clock->c;
    cxm_status st = clk_event(&next, ev, t);
    if (st == CXM_OK) clock->c = next;
    return st;
}

cxm_status cxm_sla_clock_activate(cxm_sla_clock *clock, int64_t t)
{
    return clock_event(clock, EV_ACTIVATE, t);
}
cxm_status cxm_sla_clock_pause(cxm_sla_clock *clock, int64_t t)
{
    return clock_event(clock, EV_PAUSE, t);
}
cxm_status cxm_sla_clock_resume(cxm_sla_clock *clock, int64_t t)
{
    return clock_event(clock, EV_RESUME, t);
}
cxm_status cxm_sla_clock_fulfil(cxm_sla_clock *clock, int64_t t)
{
    return clock_event(clock, EV_FULFIL, t);
}

cxm_status cxm_sla_clock_reset(cxm_sla_clock *clock)
{
    if (!clock) return CXM_INVALID_ARGUMENT;
    clk_init(&clock->c, clock->c.target, clock->c.mode, clock->c.cal);
    return CXM_OK;
}

cxm_status cxm_sla_clock_status_get(const cxm_sla_clock *clock, int64_t now,
                                    cxm_sla_clock_status *out)
{
    if (!clock) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    if ((st = clk_readable(&clock->c, now)) != CXM_OK) return st;
    cxm_sla_clock_status r;
    clk_report(&clock->c, now, &r);
    cxm_result_copy(out, &r, sizeof r);
    return CXM_OK;
}

cxm_status cxm_sla_clock_clone(const cxm_sla_clock *clock, const cxm_allocator *alloc,
                               cxm_sla_clock **out)
{
    if (!clock || !out) return CXM_INVALID_ARGUMENT;
    return cxm_obj_clone(clock, sizeof *clock, alloc, (void **)out);
}

void cxm_sla_clock_free(cxm_sla_clock *clock)
{
    cxm_obj_free(clock);
}

/* ---- one-shot evaluation ---------------------------------------------------------- */

cxm_status cxm_sla_evaluate(const cxm_sla_policy *policy, const cxm_calendar *calendar,
                            uint32_t priority, uint32_t metric, int64_t start, int64_t end,
                            uint32_t running, const int64_t *pauses, size_t n_pauses,
                            cxm_sla_outcome *out)
{
    if (!policy || running > 1 || (!pauses && n_pauses > 0)) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    int64_t target;
    uint32_t mode;
    if ((st = cxm_sla_policy_target(policy, priority, metric, &target, &mode)) != CXM_OK) return st;
    if (mode == CXM_SLA_BUSINESS_HOURS && !calendar) return CXM_INVALID_ARGUMENT;
    if (!cxm_time_ok(start) || !cxm_time_ok(end)) return CXM_OUT_OF_RANGE;
    if (end < start) return CXM_BAD_ORDER;
    int64_t prev = start;
    for (size_t i = 0; i < n_pauses; i++) {
        if (pauses[2 * i] < prev || pauses[2 * i + 1] < pauses[2 * i] || pauses[2 * i + 1] > end)
            return CXM_BAD_ORDER;
        prev = pauses[2 * i + 1];
    }
    /* Validated: no event below can fail. */
    sla_clk k;
    clk_init(&k, target, mode, calendar);
    (void)clk_event(&k, EV_ACTIVATE, start);
    for (size_t i = 0; i < n_pauses; i++) {
        (void)clk_event(&k, EV_PAUSE, pauses[2 * i]);
        (void)clk_event(&k, EV_RESUME, pauses[2 * i + 1]);
    }
    if (!running) (void)clk_event(&k, EV_FULFIL, end);
    cxm_sla_clock_status s;
    clk_report(&k, end, &s); /* end >= every event above and in range: readable */
    cxm_sla_outcome o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.priority = priority;
    o.metric = metric;
    o.outcome = running ? CXM_SLA_RUNNING : (s.breached ? CXM_SLA_BREACHED : CXM_SLA_ACHIEVED);
    o.past_due = s.lateness > 0;
    o.mode = mode;
    o.has_breach_at = s.has_breach_at;
    o.target = target;
    o.elapsed = s.elapsed;
    o.breach_at = s.breach_at;
    o.lateness = s.lateness;
    o.paused = s.paused;
    o.paused_counted = s.paused_counted;
    cxm_result_copy(out, &o, sizeof o);
    return CXM_OK;
}

/* ---- accumulator ------------------------------------------------------------------ */

struct cxm_sla {
    cxm_obj obj;
    uint32_t levels;
    uint32_t pad;
    /*
     * Outcomes per metric over all priorities, kept <= 2^64 - 1 so that every
     * pooled result is exact (derived: not encoded, recomputed on decode).
     */
    uint64_t total[CXM_SLA_METRIC_COUNT];
    duration_core late[CXM_SLA_METRIC_COUNT]; /* breach lateness per metric */
    /* levels * CXM_SLA_METRIC_COUNT cells follow */
};

static size_t sla_bytes(uint32_t levels)
{
    return cxm_align_up(sizeof(cxm_sla), 8) +
           (size_t)levels * CXM_SLA_METRIC_COUNT * sizeof(sla_cell);
}

static sla_cell *cells(const cxm_sla *s)
{
    return (sla_cell *)(uintptr_t)((const char *)s + cxm_align_up(sizeof *s, 8));
}

void sla_cell_put(sla_cell *c, uint32_t outcome, int64_t lateness)
{
    uint64_t late = (uint64_t)lateness;
    if (outcome == CXM_SLA_ACHIEVED) {
        c->achieved++;
    } else if (outcome == CXM_SLA_BREACHED) {
        c->breached++;
        c->late_sum += late;
        c->late_max = late > c->late_max ? late : c->late_max;
    } else {
        c->active++;
        c->past_due += lateness > 0;
    }
}

bool sla_cell_merge_fits(const sla_cell *d, const sla_cell *s)
{
    return !cxm_add_overflows(sla_cell_total(d), sla_cell_total(s)) &&
           !cxm_add_overflows(d->late_sum, s->late_sum);
}

void sla_cell_merge(sla_cell *d, const sla_cell *s)
{
    d->achieved += s->achieved;
    d->breached += s->breached;
    d->active += s->active;
    d->past_due += s->past_due;
    d->late_sum += s->late_sum;
    d->late_max = s->late_max > d->late_max ? s->late_max : d->late_max;
}

size_t cxm_sla_footprint(uint32_t levels)
{
    return levels_ok(levels) ? sla_bytes(levels) : 0;
}

static cxm_status sla_create(bool place, void *mem, size_t size, uint32_t levels,
                             const cxm_allocator *alloc, cxm_sla **out)
{
    if (!out || !levels_ok(levels)) return CXM_INVALID_ARGUMENT;
    cxm_sla *s;
    cxm_status st =
        cxm_obj_make(place, mem, size, alloc, sla_bytes(levels), CXM_FAMILY_SLA, (void **)&s);
    if (st != CXM_OK) return st;
    s->levels = levels;
    *out = s;
    return CXM_OK;
}

cxm_status cxm_sla_new(uint32_t levels, const cxm_allocator *alloc, cxm_sla **out)
{
    return sla_create(false, NULL, 0, levels, alloc, out);
}

cxm_status cxm_sla_init_in(void *mem, size_t size, uint32_t levels, cxm_sla **out)
{
    return sla_create(true, mem, size, levels, NULL, out);
}

static cxm_status record_check(const cxm_sla *s, uint32_t priority, uint32_t metric,
                               uint32_t outcome, int64_t lateness)
{
    cxm_status st = cell_check(s->levels, priority, metric);
    if (st != CXM_OK) return st;
    if (outcome < CXM_SLA_ACHIEVED || outcome > CXM_SLA_RUNNING || lateness < 0 ||
        lateness > SLA_MAX_SECONDS)
        return CXM_OUT_OF_RANGE;
    if ((outcome == CXM_SLA_ACHIEVED && lateness != 0) ||
        (outcome == CXM_SLA_BREACHED && lateness == 0))
        return CXM_OUT_OF_RANGE;
    return CXM_OK;
}

/* Commits a checked record whose counts are known not to overflow. */
static void record_put(cxm_sla *s, uint32_t priority, uint32_t metric, uint32_t outcome,
                       int64_t lateness)
{
    sla_cell_put(&cells(s)[priority * CXM_SLA_METRIC_COUNT + metric], outcome, lateness);
    s->total[metric]++;
    if (outcome == CXM_SLA_BREACHED) (void)dur_add(&s->late[metric], (double)lateness);
}

cxm_status cxm_sla_add(cxm_sla *sla, uint32_t priority, uint32_t metric, uint32_t outcome,
                       int64_t lateness)
{
    if (!sla) return CXM_INVALID_ARGUMENT;
    cxm_status st = record_check(sla, priority, metric, outcome, lateness);
    if (st != CXM_OK) return st;
    const sla_cell *c = &cells(sla)[priority * CXM_SLA_METRIC_COUNT + metric];
    /* A cell's count and the sketch's are at most the metric's total. */
    if (sla->total[metric] == UINT64_MAX || cxm_add_overflows(c->late_sum, (uint64_t)lateness))
        return CXM_OVERFLOW;
    record_put(sla, priority, metric, outcome, lateness);
    return CXM_OK;
}

cxm_status cxm_sla_add_outcome(cxm_sla *sla, const cxm_sla_outcome *outcome)
{
    if (!sla) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(outcome, CXM_SIZES(outcome));
    if (st != CXM_OK) return st;
    return cxm_sla_add(sla, outcome->priority, outcome->metric, outcome->outcome,
                       outcome->lateness);
}

/* The largest metric total and cell lateness sum: the batch bound. */
static void sla_peaks(const cxm_sla *s, uint64_t *count, uint64_t *late)
{
    *count = 0;
    *late = 0;
    const sla_cell *c = cells(s);
    for (size_t i = 0; i < (size_t)s->levels * CXM_SLA_METRIC_COUNT; i++)
        *late = c[i].late_sum > *late ? c[i].late_sum : *late;
    for (uint32_t m = 0; m < CXM_SLA_METRIC_COUNT; m++)
        *count = s->total[m] > *count ? s->total[m] : *count;
}

cxm_status cxm_sla_add_many(cxm_sla *sla, const uint32_t *priorities, const uint32_t *metrics,
                            const uint8_t *outcomes, const int64_t *lateness, size_t n,
                            size_t *bad_index)
{
    if (!sla || ((!priorities || !metrics || !outcomes || !lateness) && n > 0))
        return CXM_INVALID_ARGUMENT;
    uint64_t late_total = 0;
    bool late_overflow = false;
    for (size_t i = 0; i < n; i++) {
        cxm_status st = record_check(sla, priorities[i], metrics[i], outcomes[i], lateness[i]);
        if (st != CXM_OK) {
            if (bad_index) *bad_index = i;
            return st;
        }
        if (outcomes[i] == CXM_SLA_BREACHED) {
            late_overflow |= cxm_add_overflows(late_total, (uint64_t)lateness[i]);
            late_total += (uint64_t)lateness[i];
        }
    }
    /* Conservative: refused if the busiest metric could pass 2^64 - 1 with the whole batch. */
    uint64_t count, late;
    sla_peaks(sla, &count, &late);
    if (cxm_add_overflows(count, (uint64_t)n) || late_overflow ||
        cxm_add_overflows(late, late_total))
        return CXM_OVERFLOW;
    for (size_t i = 0; i < n; i++)
        record_put(sla, priorities[i], metrics[i], outcomes[i], lateness[i]);
    return CXM_OK;
}

cxm_status cxm_sla_merge(cxm_sla *dst, const cxm_sla *src)
{
    if (!dst || !src) return CXM_INVALID_ARGUMENT;
    if (dst->levels != src->levels) return CXM_KIND_MISMATCH;
    size_t n = (size_t)dst->levels * CXM_SLA_METRIC_COUNT;
    sla_cell *d = cells(dst);
    const sla_cell *s = cells(src);
    for (size_t i = 0; i < n; i++)
        if (!sla_cell_merge_fits(&d[i], &s[i])) return CXM_OVERFLOW;
    for (uint32_t m = 0; m < CXM_SLA_METRIC_COUNT; m++)
        if (cxm_add_overflows(dst->total[m], src->total[m])) return CXM_OVERFLOW;
    for (size_t i = 0; i < n; i++)
        sla_cell_merge(&d[i], &s[i]);
    for (uint32_t m = 0; m < CXM_SLA_METRIC_COUNT; m++) {
        dst->total[m] += src->total[m];
        (void)dur_merge(&dst->late[m], &src->late[m]);
    }
    return CXM_OK;
}

cxm_status cxm_sla_reset(cxm_sla *sla)
{
    if (!sla) return CXM_INVALID_ARGUMENT;
    uint32_t levels = sla->levels;
    cxm_obj_zero_body(sla, sla_bytes(levels));
    sla->levels = levels;
    return CXM_OK;
}

cxm_status cxm_sla_clone(const cxm_sla *sla, const cxm_allocator *alloc, cxm_sla **out)
{
    if (!sla || !out) return CXM_INVALID_ARGUMENT;
    return cxm_obj_clone(sla, sla_bytes(sla->levels), alloc, (void **)out);
}

cxm_status cxm_sla_levels(const cxm_sla *sla, uint32_t *levels)
{
    if (!sla || !levels) return CXM_INVALID_ARGUMENT;
    *levels = sla->levels;
    return CXM_OK;
}

cxm_status sla_cells_result(const sla_cell *first, uint32_t count, size_t stride, uint32_t priority,
                            uint32_t metric, double lv, double z, cxm_sla_result *out)
{
    sla_cell sum;
    memset(&sum, 0, sizeof sum);
    /* Pooled priorities may pass 2^64 (CXM_OVERFLOW); the shares are taken in doubles. */
    double achieved = 0.0, breached = 0.0, late_sum = 0.0;
    for (uint32_t p = 0; p < count; p++) {
        const sla_cell *c = first + (size_t)p * stride;
        if (cxm_add_overflows(sum.achieved, c->achieved) ||
            cxm_add_overflows(sum.breached, c->breached) ||
            cxm_add_overflows(sum.active, c->active))
            return CXM_OVERFLOW;
        sum.achieved += c->achieved;
        sum.breached += c->breached;
        sum.active += c->active;
        sum.past_due += c->past_due;
        sum.late_max = c->late_max > sum.late_max ? c->late_max : sum.late_max;
        achieved += (double)c->achieved;
        breached += (double)c->breached;
        late_sum += (double)c->late_sum;
    }
    cxm_sla_result r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.priority = priority;
    r.metric = metric;
    r.achieved = sum.achieved;
    r.breached = sum.breached;
    r.active = sum.active;
    r.active_past_due = sum.past_due;
    r.ci.level = lv;
    cxm_status st = CXM_EMPTY;
    if (sum.breached > 0) {
        r.has_lateness = 1;
        /* Every breach is late by 1 s at least; rounding of large sums stays in [1, max]. */
        r.lateness_mean = cxm_clamp(late_sum / breached, 1.0, (double)sum.late_max);
        r.lateness_max = (double)sum.late_max;
    }
    if (achieved + breached > 0.0) {
        double p = cxm_share(achieved, achieved + breached);
        double lower, upper;
        cxm_wilson(p, achieved + breached, z, &lower, &upper);
        r.has_compliance = 1;
        r.compliance_pct = 100.0 * p;
        r.ci.lower = 100.0 * lower;
        r.ci.upper = 100.0 * upper;
        st = CXM_OK;
    }
    *out = r;
    return st;
}

cxm_status cxm_sla_result_get(const cxm_sla *sla, uint32_t priority, uint32_t metric, double level,
                              cxm_sla_result *out)
{
    if (!sla) return CXM_INVALID_ARGUMENT;
    cxm_status st = cxm_result_check(out, CXM_SIZES(out));
    if (st != CXM_OK) return st;
    if (priority != CXM_SLA_ALL_PRIORITIES && (st = cell_check(sla->levels, priority, metric)))
        return st;
    if (metric >= CXM_SLA_METRIC_COUNT) return CXM_OUT_OF_RANGE;
    double lv, z;
    if ((st = cxm_level_z(level, &lv, &z)) != CXM_OK) return st;
    uint32_t lo = priority == CXM_SLA_ALL_PRIORITIES ? 0 : priority;
    uint32_t hi = priority == CXM_SLA_ALL_PRIORITIES ? sla->levels : priority + 1;
    cxm_sla_result r;
    st = sla_cells_result(&cells(sla)[lo * CXM_SLA_METRIC_COUNT + metric], hi - lo,
                          CXM_SLA_METRIC_COUNT, priority, metric, lv, z, &r);
    if (st == CXM_OVERFLOW) return st;
    cxm_result_copy(out, &r, sizeof r);
    return st;
}

cxm_status cxm_sla_lateness_quantiles(const cxm_sla *sla, uint32_t metric, const double *qs,
                                      size_t k, double *out, size_t *bad_index)
{
    if (!sla || ((!qs || !out) && k > 0)) return CXM_INVALID_ARGUMENT;
    if (metric >= CXM_SLA_METRIC_COUNT) return CXM_OUT_OF_RANGE;
    size_t bad = 0;
    cxm_status st = dur_quantiles(&sla->late[metric], qs, k, out, &bad);
    if (st == CXM_OUT_OF_RANGE && bad_index) *bad_index = bad;
    return st;
}

cxm_status cxm_sla_encode(const cxm_sla *sla, uint8_t *buf, size_t cap, size_t *len)
{
    if (!sla || !len) return CXM_INVALID_ARGUMENT;
    cxm_wr w;
    cxm_wr_begin(&w, buf, cap, CXM_FAMILY_SLA, SLA_FORMAT_VERSION);
    cxm_wr_u32(&w, sla->levels);
    const sla_cell *c = cells(sla);
    for (size_t i = 0; i < (size_t)sla->levels * CXM_SLA_METRIC_COUNT; i++)
        sla_cell_write(&w, &c[i]);
    for (uint32_t m = 0; m < CXM_SLA_METRIC_COUNT; m++)
        dur_write(&w, &sla->late[m]);
    return cxm_wr_end(&w, len);
}

bool sla_cell_sub_ok(const sla_cell *d, const sla_cell *s)
{
    return s->achieved <= d->achieved && s->breached <= d->breached && s->active <= d->active &&
           s->past_due <= d->past_due && s->late_sum <= d->late_sum && s->late_max <= d->late_max &&
           d->late_sum - s->late_sum >= d->breached - s->breached &&
           d->active - s->active >= d->past_due - s->past_due;
}

void sla_cell_sub(sla_cell *d, const sla_cell *s)
{
    d->achieved -= s->achieved;
    d->breached -= s->breached;
    d->active -= s->active;
    d->past_due -= s->past_due;
    d->late_sum -= s->late_sum;
    if (d->breached == 0)
        d->late_max = 0;
    else if (d->breached == 1)
        d->late_max = d->late_sum; /* the one breach left */
    else if (d->late_sum < d->late_max)
        d->late_max = d->late_sum; /* the largest may have gone: no breach left can pass the sum */
}

void sla_cell_write(cxm_wr *w, const sla_cell *c)
{
    cxm_wr_u64(w, c->achieved);
    cxm_wr_u64(w, c->breached);
    cxm_wr_u64(w, c->active);
    cxm_wr_u64(w, c->past_due);
    cxm_wr_u64(w, c->late_sum);
    cxm_wr_u64(w, c->late_max);
}

void sla_cell_read(cxm_rd *r, sla_cell *c)
{
    c->achieved = cxm_rd_u64(r);
    c->breached = cxm_rd_u64(r);
    c->active = cxm_rd_u64(r);
    c->past_due = cxm_rd_u64(r);
    c->late_sum = cxm_rd_u64(r);
    c->late_max = cxm_rd_u64(r);
}

/* Whether `breached` breaches, each late by at most `max` s, can sum to `sum` s: sum <= breached
 * max. */
static bool late_sum_reachable(uint64_t sum, uint64_t breached, uint64_t max)
{
    /* ceil(sum / max) <= breached, without forming the product. */
    return sum / max + (sum % max != 0) <= breached;
}

bool sla_cell_ok(const sla_cell *c)
{
    if (cxm_add_overflows(c->achieved, c->breached) ||
        cxm_add_overflows(c->achieved + c->breached, c->active) || c->past_due > c->active)
        return false;
    if (c->breached == 0) return c->late_sum == 0 && c->late_max == 0;
    /* Every breach is late by 1 s at least and by late_max at most; one of them by late_max. */
    return c->late_max >= 1 && c->late_max <= (uint64_t)SLA_MAX_SECONDS &&
           c->late_sum >= c->breached && c->late_sum >= c->late_max &&
           late_sum_reachable(c->late_sum, c->breached, c->late_max);
}

/*
 * Sets the metric totals (which must fit 64 bits); each metric's sketch must
 * hold exactly the breaches of its cells: as many, the same largest, the
 * same sum (whole seconds, up to the sketch's microsecond rounding), and a
 * smallest value no cell's mean is below (a cell keeps no minimum of its
 * own).
 */
static bool derived_ok(cxm_sla *s)
{
    for (uint32_t m = 0; m < CXM_SLA_METRIC_COUNT; m++) {
        uint64_t n = 0, mx = 0, total = 0, late[2] = {0, 0};
        for (uint32_t p = 0; p < s->levels; p++) {
            const sla_cell *c = &cells(s)[p * CXM_SLA_METRIC_COUNT + m];
            if (cxm_add_overflows(total, sla_cell_total(c))) return false;
            total += sla_cell_total(c);
            n += c->breached;
            mx = c->late_max > mx ? c->late_max : mx;
            late[0] += c->late_sum;
            late[1] += late[0] < c->late_sum;
        }
        s->total[m] = total;
        const duration_core *d = &s->late[m];
        if (dur_count(d) != n) return false;
        if (n == 0) continue;
        /* Lateness is whole seconds, so the sketch's extremes are whole too. */
        if (d->max != (double)mx || d->min < 1.0 || d->min != floor(d->min) ||
            !dur_sum_near_seconds(d, late))
            return false;
        uint64_t least = (uint64_t)d->min;
        for (uint32_t p = 0; p < s->levels; p++) {
            const sla_cell *c = &cells(s)[p * CXM_SLA_METRIC_COUNT + m];
            if (c->breached && c->late_sum / c->breached < least) return false;
        }
    }
    return true;
}

cxm_status cxm_sla_decode(const uint8_t *buf, size_t len, const cxm_allocator *alloc, cxm_sla **out)
{
    if (!buf || !out) return CXM_INVALID_ARGUMENT;
    cxm_rd r;
    cxm_status st = cxm_rd_begin(&r, buf, len, CXM_FAMILY_SLA, SLA_FORMAT_VERSION);
    if (st != CXM_OK) return st;
    uint32_t levels = cxm_rd_u32(&r);
    if (r.bad || !levels_ok(levels)) return CXM_BAD_FORMAT;
    /* The cells and the sketches need this much at least: refuse short input before allocating. */
    if (r.left < (size_t)levels * CXM_SLA_METRIC_COUNT * SLA_CELL_BYTES +
                     CXM_SLA_METRIC_COUNT * DUR_MIN_BYTES)
        return CXM_BAD_FORMAT;
    cxm_sla *s;
    if ((st = cxm_sla_new(levels, alloc, &s)) != CXM_OK) return st;
    sla_cell *c = cells(s);
    bool ok = true;
    for (size_t i = 0; i < (size_t)levels * CXM_SLA_METRIC_COUNT; i++) {
        sla_cell_read(&r, &c[i]);
        ok = ok && sla_cell_ok(&c[i]);
    }
    for (uint32_t m = 0; m < CXM_SLA_METRIC_COUNT; m++)
        dur_read(&r, &s->late[m]);
    if (cxm_rd_end(&r) != CXM_OK || !ok || !derived_ok(s)) {
        cxm_sla_free(s);
        return CXM_BAD_FORMAT;
    }
    *out = s;
    return CXM_OK;
}

void cxm_sla_free(cxm_sla *sla)
{
    cxm_obj_free(sla);
}
