/*
 * cxm_json.h — the JSON texts the database extensions take as configuration,
 * read into the library's objects: an SLA policy, a business-hours calendar
 * and the capacities of a ticket roll-up. PostgreSQL and SQLite both read
 * them here, so the two accept exactly the same texts and say the same
 * thing about a bad one.
 *
 * Policy: {"first_reply": [3600, 14400, null, 86400], "total_resolution":
 * [...], "clock": "business"} — per metric, target seconds per priority
 * level (0 = most urgent; null = no target). "clock" ("calendar", the
 * default, or "business") applies to every target; one target may say
 * otherwise as {"business": 28800} or {"calendar": 3600}.
 *
 * Calendar (what cxm/calendar.h takes): {"utc_offset": "+01:00",
 * "week": {"mon": ["09:00-12:30", "13:30-17:00"], ..., "sun": []},
 * "holidays": ["2024-12-25"], "offset_changes": [{"at": 1711846800,
 * "utc_offset": "+02:00"}]}. Offsets are "+HH:MM" / "-HH:MM" or seconds
 * east of UTC; hours are local "HH:MM" or "HH:MM:SS" ("24:00" closes at
 * midnight); holidays are local dates; "at" is a Unix time in seconds.
 *
 * Roll-up options: {"channels": 8, "topics": 32, "priorities": 4,
 * "agents": 100, "crosses": [["channel", "priority"]]}, ids from 0 up to the
 * capacity - 1, absent keys 0 (4 for priorities); for the roll-up's own SLA figures also "sla":
 * <policy>, "as_of": <Unix seconds> and, for business hours, "calendar": <calendar>.
 *
 * A pull reader over [text, text + len) (no terminator needed): nothing is
 * built but the library's objects, nesting is bounded, and every failure
 * leaves a message naming what was refused in `err`. Numbers are whole
 * seconds or counts: a fraction is refused rather than rounded.
 */
#ifndef CXM_EXT_JSON_H
#define CXM_EXT_JSON_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cxm.h>

#include "cxm_family.h"

typedef struct jcur {
    const char *p, *end;
    char *err; /* the caller's buffer; err[0] != 0 once something failed */
    size_t errcap;
} jcur;

static int jr_fail(jcur *c, const char *what, const char *s, size_t n)
{
    if (!c->err[0]) snprintf(c->err, c->errcap, "%s%.*s", what, (int)(n > 40 ? 40 : n), s);
    return -1;
}

static void jr_ws(jcur *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

/* Consumes `ch` after blanks; 1 if it was there. */
static int jr_eat(jcur *c, char ch)
{
    jr_ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return 1;
    }
    return 0;
}

static int jr_expect(jcur *c, char ch)
{
    if (jr_eat(c, ch)) return 0;
    char what[40];
    snprintf(what, sizeof what, "expected '%c' at ", ch);
    return jr_fail(c, what, c->p, (size_t)(c->end - c->p));
}

/* A string's raw content (escapes left as written: no name we read has one). */
static int jr_str(jcur *c, const char **s, size_t *n)
{
    if (jr_expect(c, '"')) return -1;
    const char *b = c->p;
    while (c->p < c->end && *c->p != '"')
        c->p += (*c->p == '\\' && c->p + 1 < c->end) ? 2 : 1;
    if (c->p >= c->end) return jr_fail(c, "unterminated string", "", 0);
    *s = b;
    *n = (size_t)(c->p++ - b);
    return 0;
}

static int jr_is(const char *s, size_t n, const char *name)
{
    return n == strlen(name) && memcmp(s, name, n) == 0;
}

/* A number; `integral` asks for a whole one that an int64_t holds. */
static int jr_num(jcur *c, double *v, int integral)
{
    jr_ws(c);
    char buf[40];
    size_t n = 0;
    while (c->p + n < c->end && n < sizeof buf - 1 && c->p[n] && strchr("+-0123456789.eE", c->p[n]))
        n++;
    memcpy(buf, c->p, n);
    buf[n] = '\0';
    char *stop = NULL;
    *v = n ? strtod(buf, &stop) : 0.0;
    if (!n || stop != buf + n || !isfinite(*v))
        return jr_fail(c, "not a number: ", c->p, (size_t)(c->end - c->p));
    if (integral && (*v != floor(*v) || fabs(*v) > 9.0e15))
        return jr_fail(c, "not a whole number of seconds: ", c->p, n);
    c->p += n;
    return 0;
}

static int jr_null(jcur *c)
{
    jr_ws(c);
    if (c->end - c->p >= 4 && memcmp(c->p, "null", 4) == 0) {
        c->p += 4;
        return 1;
    }
    return 0;
}

static int jr_peek(jcur *c, char ch)
{
    jr_ws(c);
    return c->p < c->end && *c->p == ch;
}

/* Object members: call with *first = 1; 1 = a key was read (and its ':'), 0 = the end. */
static int jr_member(jcur *c, int *first, const char **key, size_t *n)
{
    if (jr_eat(c, '}')) return 0;
    if (!*first && jr_expect(c, ',')) return -1;
    *first = 0;
    if (jr_str(c, key, n) || jr_expect(c, ':')) return -1;
    return 1;
}

/* Array elements: 1 = an element follows, 0 = the end. */
static int jr_elem(jcur *c, int *first)
{
    if (jr_eat(c, ']')) return 0;
    if (!*first && jr_expect(c, ',')) return -1;
    *first = 0;
    return 1;
}

/* An object starts here. */
static int jr_object(jcur *c)
{
    if (jr_eat(c, '{')) return 0;
    return jr_fail(c, "not a JSON object: ", c->p, (size_t)(c->end - c->p));
}

/* The text holds one value and nothing after it. */
static int jr_done(jcur *c)
{
    jr_ws(c);
    return c->p == c->end || c->err[0]
               ? 0
               : jr_fail(c, "text after the end: ", c->p, (size_t)(c->end - c->p));
}

/* "+HH:MM", "-HH:MM", "Z" or seconds east of UTC. */
static int jr_offset(jcur *c, int32_t *out)
{
    if (!jr_peek(c, '"')) {
        double v;
        if (jr_num(c, &v, 1)) return -1;
        if (fabs(v) > CXM_MAX_UTC_OFFSET) return jr_fail(c, "UTC offset beyond 18 hours", "", 0);
        *out = (int32_t)v;
        return 0;
    }
    const char *s;
    size_t n;
    if (jr_str(c, &s, &n)) return -1;
    if (jr_is(s, n, "Z")) {
        *out = 0;
        return 0;
    }
    int h, m, used = 0;
    char sign;
    char buf[16];
    snprintf(buf, sizeof buf, "%.*s", (int)(n < 15 ? n : 15), s);
    if (n != 6 || sscanf(buf, "%c%2d:%2d%n", &sign, &h, &m, &used) != 3 || used != 6 ||
        (sign != '+' && sign != '-') || m > 59 || h * 3600 + m * 60 > CXM_MAX_UTC_OFFSET)
        return jr_fail(c, "a UTC offset is \"+HH:MM\" or \"-HH:MM\", not ", s, n);
    *out = (sign == '-' ? -1 : 1) * (h * 3600 + m * 60);
    return 0;
}

/* "HH:MM" or "HH:MM:SS" -> seconds from midnight. */
static int jr_clock(const char *s, size_t n, int32_t *out)
{
    int h = 0, m = 0, sec = 0, used = 0;
    char buf[16];
    if (n > 8) return -1;
    snprintf(buf, sizeof buf, "%.*s", (int)n, s);
    if (n == 5 && sscanf(buf, "%2d:%2d%n", &h, &m, &used) == 2 && used == 5) {
    } else if (n == 8 && sscanf(buf, "%2d:%2d:%2d%n", &h, &m, &sec, &used) == 3 && used == 8) {
    } else {
        return -1;
    }
    if (h < 0 || m < 0 || m > 59 || sec < 0 || sec > 59) return -1;
    *out = h * 3600 + m * 60 + sec;
    return *out <= CXM_DAY_SECONDS ? 0 : -1;
}

static const char *const ext_weekday_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* One walk of a calendar: counting (cal == NULL) or adding to cal. */
typedef struct cal_counts {
    uint32_t intervals, holidays, changes;
    int32_t offset;
} cal_counts;

static int cal_status(jcur *c, cxm_status st, const char *what, const char *s, size_t n)
{
    if (st == CXM_OK) return 0;
    char msg[96];
    snprintf(msg, sizeof msg, "%s (%s): ", what, cxm_status_str(st));
    return jr_fail(c, msg, s, n);
}

static int cal_walk(jcur *c, cxm_calendar *cal, cal_counts *k)
{
    const char *key, *s;
    size_t kn, n;
    int first = 1, r;
    if (jr_object(c)) return -1;
    while ((r = jr_member(c, &first, &key, &kn)) == 1) {
        int f2 = 1;
        if (jr_is(key, kn, "utc_offset")) {
            if (jr_offset(c, &k->offset)) return -1;
        } else if (jr_is(key, kn, "week")) {
            const char *day;
            size_t dn;
            if (jr_expect(c, '{')) return -1;
            while ((r = jr_member(c, &f2, &day, &dn)) == 1) {
                uint32_t wd = 7;
                for (uint32_t i = 0; i < 7; i++)
                    if (jr_is(day, dn, ext_weekday_names[i])) wd = i;
                if (wd == 7) return jr_fail(c, "unknown weekday (mon .. sun): ", day, dn);
                int f3 = 1;
                if (jr_expect(c, '[')) return -1;
                while ((r = jr_elem(c, &f3)) == 1) {
                    int32_t open, close;
                    if (jr_str(c, &s, &n)) return -1;
                    const char *dash = memchr(s, '-', n);
                    if (!dash || jr_clock(s, (size_t)(dash - s), &open) ||
                        jr_clock(dash + 1, n - (size_t)(dash - s) - 1, &close))
                        return jr_fail(c, "open hours are \"HH:MM-HH:MM\", not ", s, n);
                    if (!cal) {
                        k->intervals++;
                    } else if (cal_status(c, cxm_calendar_add_interval(cal, wd, open, close),
                                          "refused open hours", s, n)) {
                        return -1;
                    }
                }
                if (r < 0) return -1;
            }
            if (r < 0) return -1;
        } else if (jr_is(key, kn, "holidays")) {
            if (jr_expect(c, '[')) return -1;
            while ((r = jr_elem(c, &f2)) == 1) {
                int y, m, d, used = 0;
                char buf[16];
                if (jr_str(c, &s, &n)) return -1;
                snprintf(buf, sizeof buf, "%.*s", (int)(n < 15 ? n : 15), s);
                if (n != 10 || sscanf(buf, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10)
                    return jr_fail(c, "a holiday is \"YYYY-MM-DD\", not ", s, n);
                if (!cal)
                    k->holidays++;
                else if (cal_status(c, cxm_calendar_add_holiday(cal, y, m, d), "refused holiday", s,
                                    n))
                    return -1;
            }
            if (r < 0) return -1;
        } else if (jr_is(key, kn, "offset_changes")) {
            if (jr_expect(c, '[')) return -1;
            while ((r = jr_elem(c, &f2)) == 1) {
                const char *ck;
                size_t ckn;
                int f3 = 1, have_at = 0, have_off = 0;
                double at = 0;
                int32_t off = 0;
                const char *where = c->p;
                if (jr_expect(c, '{')) return -1;
                while ((r = jr_member(c, &f3, &ck, &ckn)) == 1) {
                    if (jr_is(ck, ckn, "at")) {
                        if (jr_num(c, &at, 1)) return -1;
                        have_at = 1;
                    } else if (jr_is(ck, ckn, "utc_offset")) {
                        if (jr_offset(c, &off)) return -1;
                        have_off = 1;
                    } else {
                        return jr_fail(c, "an offset change has \"at\" and \"utc_offset\", not ",
                                       ck, ckn);
                    }
                }
                if (r < 0) return -1;
                if (!have_at || !have_off)
                    return jr_fail(c, "an offset change needs \"at\" and \"utc_offset\": ", where,
                                   (size_t)(c->p - where));
                if (!cal)
                    k->changes++;
                else if (cal_status(c, cxm_calendar_add_offset_change(cal, (int64_t)at, off),
                                    "refused offset change", where, (size_t)(c->p - where)))
                    return -1;
            }
            if (r < 0) return -1;
        } else {
            return jr_fail(c, "a calendar has utc_offset, week, holidays and offset_changes, not ",
                           key, kn);
        }
    }
    return r < 0 ? -1 : jr_done(c);
}

/* A calendar from its JSON text. CXM_INVALID_ARGUMENT with `err` set when the text is refused. */
static cxm_status ext_calendar_from_json(const char *text, size_t len, const cxm_allocator *a,
                                         cxm_calendar **out, char *err, size_t errcap)
{
    err[0] = '\0';
    *out = NULL;
    cal_counts k = {0, 0, 0, 0};
    jcur c = {text, text + len, err, errcap};
    if (cal_walk(&c, NULL, &k)) return CXM_INVALID_ARGUMENT;
    if (k.intervals == 0) {
        snprintf(err, errcap, "no open hours in \"week\"");
        return CXM_INVALID_ARGUMENT;
    }
    cxm_calendar_config cfg = {sizeof cfg, 0, k.intervals, k.holidays, k.changes, k.offset};
    cxm_status st = cxm_calendar_new(&cfg, a, out);
    if (st != CXM_OK) {
        snprintf(err, errcap, "%s", cxm_status_str(st));
        return st;
    }
    c.p = text;
    if (cal_walk(&c, *out, &k)) {
        cxm_calendar_free(*out);
        *out = NULL;
        return CXM_INVALID_ARGUMENT;
    }
    return CXM_OK;
}

static uint32_t ext_sla_metric_of(const char *s, size_t n)
{
    for (uint32_t m = 0; m < CXM_SLA_METRIC_COUNT; m++)
        if (jr_is(s, n, ext_sla_metric_names[m])) return m;
    return CXM_SLA_METRIC_COUNT;
}

static int jr_clock_mode(jcur *c, const char *s, size_t n, uint32_t *mode)
{
    if (jr_is(s, n, "calendar"))
        *mode = CXM_SLA_CALENDAR_TIME;
    else if (jr_is(s, n, "business"))
        *mode = CXM_SLA_BUSINESS_HOURS;
    else
        return jr_fail(c, "a clock is \"calendar\" or \"business\", not ", s, n);
    return 0;
}

/*
 * One walk of a policy: counting levels and reading the clock (p == NULL),
 * or setting every target in p. `business` is set when a target runs on
 * business hours.
 */
static int policy_walk(jcur *c, cxm_sla_policy *p, uint32_t *levels, uint32_t *clock, int *business)
{
    const char *key, *s;
    size_t kn, n;
    int first = 1, r;
    if (jr_object(c)) return -1;
    while ((r = jr_member(c, &first, &key, &kn)) == 1) {
        if (jr_is(key, kn, "clock")) {
            if (jr_str(c, &s, &n) || jr_clock_mode(c, s, n, clock)) return -1;
            continue;
        }
        uint32_t metric = ext_sla_metric_of(key, kn);
        if (metric == CXM_SLA_METRIC_COUNT)
            return jr_fail(c,
                           "unknown SLA metric (first_reply, next_reply, periodic_update, "
                           "pausable_update, requester_wait, agent_work, total_resolution, "
                           "or \"clock\"): ",
                           key, kn);
        if (!jr_peek(c, '['))
            return jr_fail(
                c, "each metric takes an array of seconds, one per priority level: ", key, kn);
        int f2 = 1;
        uint32_t level = 0;
        jr_eat(c, '[');
        while ((r = jr_elem(c, &f2)) == 1) {
            if (level >= CXM_SLA_MAX_LEVELS)
                return jr_fail(c, "more than 256 priority levels", "", 0);
            double secs = 0;
            uint32_t mode = *clock;
            int has = 1;
            if (jr_null(c)) {
                has = 0;
            } else if (jr_eat(c, '{')) {
                int f3 = 1;
                const char *ck;
                size_t ckn;
                if ((r = jr_member(c, &f3, &ck, &ckn)) != 1 || jr_clock_mode(c, ck, ckn, &mode) ||
                    jr_num(c, &secs, 1) || jr_expect(c, '}'))
                    return jr_fail(c, "a target is seconds, null or {\"business\": seconds}", "",
                                   0);
            } else if (jr_num(c, &secs, 1)) {
                return -1;
            }
            if (has && mode == CXM_SLA_BUSINESS_HOURS) *business = 1;
            if (has && p) {
                cxm_status st = cxm_sla_policy_set_target(p, level, metric, (int64_t)secs, mode);
                if (st != CXM_OK) {
                    char what[96];
                    snprintf(what, sizeof what, "target refused (%s): ", cxm_status_str(st));
                    return jr_fail(c, what, key, kn);
                }
            }
            if (++level > *levels) *levels = level;
        }
        if (r < 0) return -1;
    }
    return r < 0 ? -1 : jr_done(c);
}

/*
 * A policy from its JSON text; `*business` says whether a target needs a
 * calendar. CXM_INVALID_ARGUMENT with `err` set when the text is refused.
 */
static cxm_status ext_policy_from_json(const char *text, size_t len, const cxm_allocator *a,
                                       cxm_sla_policy **out, int *business, char *err,
                                       size_t errcap)
{
    err[0] = '\0';
    *out = NULL;
    *business = 0;
    uint32_t levels = 0, clock = CXM_SLA_CALENDAR_TIME;
    jcur c = {text, text + len, err, errcap};
    if (policy_walk(&c, NULL, &levels, &clock, business)) return CXM_INVALID_ARGUMENT;
    if (levels == 0) {
        snprintf(err, errcap, "no target");
        return CXM_INVALID_ARGUMENT;
    }
    cxm_status st = cxm_sla_policy_new(levels, a, out);
    if (st != CXM_OK) {
        snprintf(err, errcap, "%s", cxm_status_str(st));
        return st;
    }
    /* The clock may come after the targets: the second walk knows it from the first. */
    c.p = text;
    *business = 0;
    if (policy_walk(&c, *out, &levels, &clock, business)) {
        cxm_sla_policy_free(*out);
        *out = NULL;
        return CXM_INVALID_ARGUMENT;
    }
    return CXM_OK;
}

/* Skips one value of any kind (nesting bounded, so a hostile text cannot exhaust the stack). */
static int jr_skip(jcur *c, int depth)
{
    const char *str;
    size_t n;
    int first = 1, r;
    if (depth > 32) return jr_fail(c, "nested too deep", "", 0);
    if (jr_peek(c, '"')) return jr_str(c, &str, &n);
    if (jr_eat(c, '{')) {
        while ((r = jr_member(c, &first, &str, &n)) == 1)
            if (jr_skip(c, depth + 1)) return -1;
        return r < 0 ? -1 : 0;
    }
    if (jr_eat(c, '[')) {
        while ((r = jr_elem(c, &first)) == 1)
            if (jr_skip(c, depth + 1)) return -1;
        return r < 0 ? -1 : 0;
    }
    if (jr_null(c)) return 0;
    if (c->end - c->p >= 4 && memcmp(c->p, "true", 4) == 0) return c->p += 4, 0;
    if (c->end - c->p >= 5 && memcmp(c->p, "false", 5) == 0) return c->p += 5, 0;
    double v;
    return jr_num(c, &v, 0);
}

/*
 * "crosses": [["channel", "priority"], ["agent", "channel"]]: at most
 * CXM_ROLLUP_MAX_CROSSES pairs of two different dimensions among channel,
 * topic, priority and agent, in the order the pair names them. Whether
 * their cells fit (CXM_ROLLUP_MAX_CELLS) is the library's check.
 */
static int jr_crosses(jcur *c, cxm_rollup_options *o)
{
    int first = 1, r;
    if (!jr_eat(c, '['))
        return jr_fail(c, "crosses is an array of pairs of dimensions: ", c->p,
                       (size_t)(c->end - c->p));
    o->crosses = 0; /* a repeated key counts once: its last value */
    memset(o->cross, 0, sizeof o->cross);
    while ((r = jr_elem(c, &first)) == 1) {
        if (o->crosses == CXM_ROLLUP_MAX_CROSSES)
            return jr_fail(c, "too many crosses: at most 4", "", 0);
        uint32_t dim[2];
        const char *pair = c->p;
        if (jr_expect(c, '[')) return -1;
        for (int k = 0; k < 2; k++) {
            const char *s;
            size_t n;
            if ((k && jr_expect(c, ',')) || jr_str(c, &s, &n)) return -1;
            dim[k] = ext_name_index(ext_rollup_group_names, 0, s, n);
            if (dim[k] == 0xFFFFFFFFu || !EXT_ROLLUP_IS_DIMENSION(dim[k]))
                return jr_fail(c, "a cross pairs two of channel, topic, priority and agent, not ",
                               s, n);
        }
        if (jr_expect(c, ']')) return -1;
        if (dim[0] == dim[1])
            return jr_fail(c, "a cross pairs two different dimensions, not ", pair,
                           (size_t)(c->p - pair));
        o->cross[o->crosses].first = dim[0];
        o->cross[o->crosses].second = dim[1];
        o->crosses++;
    }
    return r < 0 ? -1 : 0;
}

/* Every dimension a cross names has a capacity, and all the cells fit in one roll-up. */
static int jr_crosses_fit(jcur *c, const cxm_rollup_options *o)
{
    const uint32_t cap[] = {0, o->channels, o->topics, o->priorities ? o->priorities : 4,
                            o->agents};
    static const char *const key[] = {"", "channels", "topics", "priorities", "agents"};
    uint64_t cells = 0;
    for (uint32_t j = 0; j < o->crosses; j++) {
        for (int k = 0; k < 2; k++) {
            uint32_t d = k ? o->cross[j].second : o->cross[j].first;
            if (!cap[d])
                return jr_fail(c, "a cross needs the capacity of each of its dimensions: ", key[d],
                               strlen(key[d]));
        }
        cells += (uint64_t)cap[o->cross[j].first] * cap[o->cross[j].second];
    }
    if (cells > CXM_ROLLUP_MAX_CELLS)
        return jr_fail(c, "the crosses have more than 1,048,576 cells together", "", 0);
    return 0;
}

/*
 * Roll-up options {"channels": 8, "topics": 32, "priorities": 4, "agents":
 * 100, "agent_kind": "groups", "crosses": [["channel", "priority"]], "open":
 * 10000, "memory_budget": bytes, "sla": <policy>, "calendar": <calendar>,
 * "as_of": unix seconds}: capacities (agents: every agent a full group with
 * every figure, or with "agent_kind": "counts" tickets and solved only;
 * crosses: pairs of dimensions whose cells are groups; open: tickets open at once
 * in the open-ticket index the survival reader needs, 0 = none; the memory
 * budget of the duration sketches, 0 = the library's default), and for the
 * roll-up's own SLA figures (first reply and total
 * resolution per group) a policy, the calendar its business-hours targets
 * need, and the report instant for targets still running. The caller frees
 * *policy once the roll-up is created (the roll-up copies it) and keeps
 * *cal as long as tickets are added (the roll-up borrows it).
 */
static cxm_status ext_rollup_options_from_json(const char *text, size_t len, const cxm_allocator *a,
                                               cxm_rollup_options *o, cxm_sla_policy **policy,
                                               cxm_calendar **cal, char *err, size_t errcap)
{
    err[0] = '\0';
    *policy = NULL;
    *cal = NULL;
    jcur c = {text, text + len, err, errcap};
    const char *key, *sla = NULL, *sla_end = NULL, *cl = NULL, *cl_end = NULL;
    size_t kn;
    int first = 1, r, has_as_of = 0;
    if (jr_object(&c)) return CXM_INVALID_ARGUMENT;
    while ((r = jr_member(&c, &first, &key, &kn)) == 1) {
        double v;
        if (jr_is(key, kn, "sla") || jr_is(key, kn, "calendar")) {
            int is_sla = jr_is(key, kn, "sla");
            jr_ws(&c);
            const char *b = c.p;
            if (jr_skip(&c, 0)) return CXM_INVALID_ARGUMENT;
            if (is_sla)
                sla = b, sla_end = c.p;
            else
                cl = b, cl_end = c.p;
            continue;
        }
        if (jr_is(key, kn, "as_of")) {
            if (jr_num(&c, &v, 1)) return CXM_INVALID_ARGUMENT;
            o->sla_as_of = (int64_t)v;
            has_as_of = 1;
            continue;
        }
        if (jr_is(key, kn, "memory_budget")) {
            if (jr_num(&c, &v, 1)) return CXM_INVALID_ARGUMENT;
            if (v < 0 || v > (double)CXM_ROLLUP_MAX_MEMORY) {
                jr_fail(&c, "memory budget out of range (bytes, at most 256 MiB): ", key, kn);
                return CXM_INVALID_ARGUMENT;
            }
            o->memory_budget = (uint64_t)v;
            continue;
        }
        if (jr_is(key, kn, "crosses")) {
            if (jr_crosses(&c, o)) return CXM_INVALID_ARGUMENT;
            continue;
        }
        if (jr_is(key, kn, "agent_kind")) {
            const char *s;
            size_t sn;
            if (jr_str(&c, &s, &sn)) return CXM_INVALID_ARGUMENT;
            uint32_t k = ext_name_index(ext_rollup_agent_kind_names, 0, s, sn);
            if (k == 0xFFFFFFFFu) {
                jr_fail(&c,
                        "agent_kind is \"groups\" (every figure per agent) or \"counts\" "
                        "(tickets and solved only), not ",
                        s, sn);
                return CXM_INVALID_ARGUMENT;
            }
            o->agent_kind = k;
            continue;
        }
        if (jr_is(key, kn, "open")) {
            if (jr_num(&c, &v, 1)) return CXM_INVALID_ARGUMENT;
            if (v < 0 || v > CXM_ROLLUP_MAX_OPEN) {
                jr_fail(&c, "capacity out of range: ", key, kn);
                return CXM_INVALID_ARGUMENT;
            }
            o->open = (uint32_t)v;
            continue;
        }
        uint32_t *slot = jr_is(key, kn, "channels")     ? &o->channels
                         : jr_is(key, kn, "topics")     ? &o->topics
                         : jr_is(key, kn, "priorities") ? &o->priorities
                         : jr_is(key, kn, "agents")     ? &o->agents
                                                        : NULL;
        if (!slot) {
            jr_fail(&c,
                    "roll-up options are channels, topics, priorities, agents, agent_kind, "
                    "crosses, open, memory_budget, sla, calendar and as_of, not ",
                    key, kn);
            return CXM_INVALID_ARGUMENT;
        }
        if (jr_num(&c, &v, 1)) return CXM_INVALID_ARGUMENT;
        if (v < 0 || v > CXM_ROLLUP_MAX_AGENTS) {
            jr_fail(&c, "capacity out of range: ", key, kn);
            return CXM_INVALID_ARGUMENT;
        }
        *slot = (uint32_t)v;
    }
    if (r < 0 || jr_done(&c)) return CXM_INVALID_ARGUMENT;
    if (jr_crosses_fit(&c, o)) return CXM_INVALID_ARGUMENT;
    if (sla && !has_as_of) {
        snprintf(err, errcap, "an SLA needs \"as_of\", the report instant (Unix seconds)");
        return CXM_INVALID_ARGUMENT;
    }
    if (!sla && (cl || has_as_of)) {
        snprintf(err, errcap, "\"calendar\" and \"as_of\" serve the \"sla\" policy, absent here");
        return CXM_INVALID_ARGUMENT;
    }
    if (!sla) return CXM_OK;
    int business = 0;
    cxm_status st =
        ext_policy_from_json(sla, (size_t)(sla_end - sla), a, policy, &business, err, errcap);
    if (st == CXM_OK && cl)
        st = ext_calendar_from_json(cl, (size_t)(cl_end - cl), a, cal, err, errcap);
    if (st == CXM_OK && business && !cl) {
        snprintf(err, errcap, "a business-hours target needs a \"calendar\"");
        st = CXM_INVALID_ARGUMENT;
    }
    if (st != CXM_OK) {
        cxm_sla_policy_free(*policy);
        cxm_calendar_free(*cal);
        *policy = NULL;
        *cal = NULL;
        return st;
    }
    o->sla_policy = *policy;
    o->calendar = *cal;
    return CXM_OK;
}

/*
 * A JSON array of numbers, e.g. the instants [3600, 86400] a survival reader
 * evaluates: at most `cap` into out, their count in *n. Returns 0, or -1
 * with the reason in err.
 */
static inline int ext_numbers_from_json(const char *text, size_t len, double *out, size_t cap,
                                        size_t *n, char *err, size_t errcap)
{
    err[0] = '\0';
    *n = 0;
    jcur c = {text, text + len, err, errcap};
    int first = 1, r;
    if (!jr_eat(&c, '[')) return jr_fail(&c, "not a JSON array of numbers: ", text, len);
    while ((r = jr_elem(&c, &first)) == 1) {
        if (*n == cap) return jr_fail(&c, "too many numbers in ", text, len);
        if (jr_num(&c, &out[(*n)++], 0)) return -1;
    }
    return r < 0 || jr_done(&c) ? -1 : 0;
}

#endif /* CXM_EXT_JSON_H */
