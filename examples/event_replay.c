/*
 * event_replay.c — a ticket event log replayed as a live support dashboard
 * sees it: events arrive one by one, each ticket's record is kept up to
 * date, and the figures are read as of the last event.
 *
 *   event_replay --generate SEED [DAYS] > events.csv   writes a log
 *   event_replay events.csv                            replays it
 *
 * THE LOG. A header line, then one event per line, in time order:
 *   time,ticket,event,channel,priority,score
 * time in Unix seconds; ticket a number; event one of
 *   created    a new ticket, with its channel (email, chat, phone, web)
 *              and priority (urgent, high, normal, low)
 *   reply      a public reply by an agent (the first is the first reply)
 *   customer   a reply by the customer
 *   solved     the ticket is solved (again, after a reopen)
 *   reopened   a solved ticket is open again
 *   csat       the customer's satisfaction answer, with a score 1-5.
 * An event the replay cannot apply (a bad line, out of time order, a reply
 * to an unknown ticket, a second solve...) is refused and named by line.
 *
 * WHAT IS KEPT.
 *  - The last 7 days: a live roll-up of the tickets created today and the
 *    6 days before. A ticket is added when it is created, its record
 *    replaced on every later event, and retracted when its creation day
 *    leaves the window; SLA targets still running are judged when the
 *    figures are read, at the last event. At the end the program checks
 *    that the live figures are those of a roll-up fed, in one pass, the
 *    final records of the same tickets.
 *  - Day by day: a backlog over time (cxm/series.h) of the tickets
 *    created, solved and open at the end of each day, its records replaced
 *    as tickets change; and daily series of each day's own events: first
 *    reply times, solves (first contact or not), first reply SLA outcomes.
 *
 * THE GENERATOR writes a realistic log from a seed (the same seed gives
 * the same log on every machine): weekday and weekend volumes with a
 * business-hours peak, four channels and four priorities, log-normal
 * times to the first reply, between replies and to the solve, reopens,
 * and satisfaction answers from about a third of the customers.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cxm.h>

/* The team works in UTC+1: its days start at 23:00 UTC. */
#define UTC_OFFSET 3600
#define DAY 86400
#define TABLE_DAYS 14u
#define WINDOW_DAYS 7u
#define MAX_TICKET 10000000ul

enum { CH_EMAIL, CH_CHAT, CH_PHONE, CH_WEB, CHANNELS };
static const char *const channel_names[CHANNELS] = {"email", "chat", "phone", "web"};
enum { PRIORITIES = 4 };
static const char *const priority_names[PRIORITIES] = {"urgent", "high", "normal", "low"};

enum { EV_CREATED, EV_REPLY, EV_CUSTOMER, EV_SOLVED, EV_REOPENED, EV_CSAT, EVENTS };
static const char *const event_names[EVENTS] = {"created", "reply",    "customer",
                                                "solved",  "reopened", "csat"};

/* SLA targets of the team, hours of calendar time, by priority. */
static const int64_t first_reply_hours[PRIORITIES] = {1, 4, 8, 24};
static const int64_t resolution_hours[PRIORITIES] = {4, 12, 24, 72};

static int64_t local_day(int64_t t)
{
    int64_t l = t + UTC_OFFSET;
    return l >= 0 ? l / DAY : -((-l + DAY - 1) / DAY);
}

/* "2026-10-30" from a day number (days since 1970-01-01), proleptic Gregorian. */
static void format_day(int64_t days, char out[40])
{
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, 40, "%04d-%02d-%02d", (int)(yoe + era * 400 + (m <= 2)), (int)m, (int)d);
}

/* ---- the generator -------------------------------------------------------------- */

typedef struct {
    uint64_t s;
} rng;

/* splitmix64: small, fast and the same on every platform. */
static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double uniform(rng *r) /* [0, 1) */
{
    return (double)(rng_next(r) >> 11) * 0x1p-53;
}

static double lognormal(rng *r, double median, double sigma)
{
    /* Box-Muller; 1 - u keeps the logarithm finite. */
    double u = 1.0 - uniform(r), v = uniform(r);
    double z = sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
    return median * exp(sigma * z);
}

static int pick(rng *r, const double *weights, int n)
{
    double u = uniform(r), sum = 0;
    for (int i = 0; i < n - 1; i++)
        if (u < (sum += weights[i])) return i;
    return n - 1;
}

typedef struct {
    int64_t t;
    uint32_t ticket, seq;
    uint8_t kind, channel, priority, score;
} event;

typedef struct {
    event *ev;
    size_t n, cap;
    int64_t end; /* events at or after it are beyond the log */
} event_list;

/* Appends an event `delay` seconds (at least 1) after *t, unless it falls after the log. */
static int emit(event_list *l, int64_t *t, double delay, uint32_t ticket, int kind, int score)
{
    *t += delay < 1 ? 1 : (int64_t)delay;
    if (*t >= l->end) return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4096;
        event *ev = realloc(l->ev, cap * sizeof *ev);
        if (!ev) return -1;
        l->ev = ev;
        l->cap = cap;
    }
    l->ev[l->n] = (event){*t, ticket, (uint32_t)l->n, (uint8_t)kind, 0, 0, (uint8_t)score};
    l->n++;
    return 1;
}

static int by_time(const void *a, const void *b)
{
    const event *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int by_instant(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* One ticket's life, from creation to its satisfaction answer; -1: out of memory. */
static int generate_ticket(event_list *l, rng *r, uint32_t id, int64_t created)
{
    static const double channel_w[CHANNELS] = {0.45, 0.25, 0.12, 0.18};
    static const double priority_w[PRIORITIES] = {0.05, 0.20, 0.55, 0.20};
    static const double reply_median[CHANNELS] = {3 * 3600.0, 120.0, 60.0, 2 * 3600.0};
    static const double solve_median[CHANNELS] = {2700.0, 300.0, 120.0, 2700.0};
    static const double urgency[PRIORITIES] = {0.25, 0.5, 1.0, 1.6};
    static const double replies_w[4] = {0.55, 0.27, 0.11, 0.07};
    int ch = pick(r, channel_w, CHANNELS), pr = pick(r, priority_w, PRIORITIES);
    int64_t t = created;
    int k = emit(l, &t, 0, id, EV_CREATED, 0);
    if (k <= 0) return k;
    l->ev[l->n - 1].t = created;
    l->ev[l->n - 1].channel = (uint8_t)ch;
    l->ev[l->n - 1].priority = (uint8_t)pr;
    t = created;
    /* Live channels are often settled in one reply. */
    int replies = 1 + pick(r, replies_w, 4) - (ch == CH_PHONE || ch == CH_CHAT ? 1 : 0);
    replies = replies < 1 ? 1 : replies;
    k = emit(l, &t, lognormal(r, reply_median[ch] * urgency[pr], 1.1), id, EV_REPLY, 0);
    for (int i = 1; k > 0 && i < replies; i++) {
        k = emit(l, &t, lognormal(r, 2 * 3600.0, 1.2), id, EV_CUSTOMER, 0);
        if (k > 0) k = emit(l, &t, lognormal(r, 5400.0 * urgency[pr], 1.0), id, EV_REPLY, 0);
    }
    if (k <= 0 || uniform(r) < 0.03) return k; /* 3% wait on the customer and stay open */
    k = emit(l, &t, lognormal(r, solve_median[ch], 1.0), id, EV_SOLVED, 0);
    int reopens = 0;
    while (k > 0 && uniform(r) < (reopens ? 0.2 : replies == 1 ? 0.08 : 0.05)) {
        reopens++;
        k = emit(l, &t, lognormal(r, 18 * 3600.0, 1.0), id, EV_REOPENED, 0);
        if (k > 0) k = emit(l, &t, lognormal(r, 7200.0 * urgency[pr], 1.0), id, EV_REPLY, 0);
        if (k > 0) k = emit(l, &t, lognormal(r, 3600.0, 1.0), id, EV_SOLVED, 0);
    }
    if (k <= 0 || uniform(r) >= 0.3) return k;
    /* Scores 5, 4, 3, 2, 1: reopened and long tickets please less. */
    static const double happy[3][5] = {{0.55, 0.30, 0.08, 0.04, 0.03},
                                       {0.35, 0.30, 0.15, 0.10, 0.10},
                                       {0.20, 0.25, 0.20, 0.15, 0.20}};
    int mood = reopens ? 2 : replies > 1;
    return emit(l, &t, lognormal(r, 7200.0, 1.2), id, EV_CSAT, 5 - pick(r, happy[mood], 5));
}

static int generate(uint64_t seed, int days)
{
    /* Tuesday 2026-09-01, local midnight. */
    const int64_t first_day = 20697;
    static const double hour_w[24] = {0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.5, 3.5, 6.5, 8.0, 8.0, 7.5,
                                      6.5, 7.0, 7.5, 7.0, 6.0, 4.5, 3.5, 3.0, 2.5, 2.0, 1.5, 1.0};
    double hour_sum = 0;
    for (int h = 0; h < 24; h++)
        hour_sum += hour_w[h];
    double hour_p[24];
    for (int h = 0; h < 24; h++)
        hour_p[h] = hour_w[h] / hour_sum;
    int64_t arrivals[256]; /* at most 170 x 1.15 tickets a day */
    rng r = {seed};
    event_list l = {NULL, 0, 0, (first_day + days) * DAY - UTC_OFFSET};
    uint32_t id = 0;
    for (int d = 0; d < days; d++) {
        int64_t day = first_day + d;
        int weekend = (day + 4) % 7 == 0 || (day + 4) % 7 == 6; /* 1970-01-01 was a Thursday */
        int tickets = (int)((weekend ? 60 : 170) * (0.85 + 0.3 * uniform(&r)));
        for (int i = 0; i < tickets; i++)
            arrivals[i] = day * DAY - UTC_OFFSET + pick(&r, hour_p, 24) * 3600 +
                          (int64_t)(uniform(&r) * 3600);
        /* Ticket numbers in order of creation, as a helpdesk gives them. */
        qsort(arrivals, (size_t)tickets, sizeof *arrivals, by_instant);
        for (int i = 0; i < tickets; i++)
            if (generate_ticket(&l, &r, ++id, arrivals[i]) < 0) {
                free(l.ev);
                fprintf(stderr, "event_replay: out of memory\n");
                return 1;
            }
    }
    qsort(l.ev, l.n, sizeof *l.ev, by_time);
    printf("time,ticket,event,channel,priority,score\n");
    for (size_t i = 0; i < l.n; i++) {
        const event *e = &l.ev[i];
        printf("%lld,%u,%s,%s,%s,", (long long)e->t, e->ticket, event_names[e->kind],
               e->kind == EV_CREATED ? channel_names[e->channel] : "",
               e->kind == EV_CREATED ? priority_names[e->priority] : "");
        if (e->kind == EV_CSAT) printf("%d", e->score);
        printf("\n");
    }
    free(l.ev);
    return 0;
}

/* ---- the replay ------------------------------------------------------------------ */

typedef struct {
    cxm_ticket t;  /* the ticket as of the last event; t.created 0: unknown ticket */
    int in_window; /* its record is in the live roll-up */
} ticket_state;

typedef struct {
    ticket_state *tickets;
    size_t cap;
    uint32_t *order; /* ticket ids in creation order: the window starts at window_head */
    size_t created, window_head;
    cxm_sla_policy *policy;
    cxm_rollup *live;     /* the tickets of the window, kept up to date */
    cxm_backlog *backlog; /* created, solved and open at the end of each day */
    cxm_series *replies, *solves, *sla;
    int64_t day, last; /* local day and instant of the last event */
} replay;

static int find(const char *name, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(name, names[i]) == 0) return i;
    return -1;
}

/* Splits a line at commas into exactly `n` fields; 0 if it has another count. */
static int split(char *line, char **fields, int n)
{
    line[strcspn(line, "\r\n")] = '\0';
    int k = 0;
    for (char *p = line;; p++) {
        if (k == n) return 0;
        fields[k++] = p;
        p += strcspn(p, ",");
        if (*p == '\0') break;
        *p = '\0';
    }
    return k == n;
}

/* Days pass: the tickets created before the window leave the live roll-up. */
static cxm_status new_day(replay *rp, int64_t day)
{
    rp->day = day;
    while (rp->window_head < rp->created) {
        ticket_state *s = &rp->tickets[rp->order[rp->window_head]];
        if (local_day(s->t.created) > day - (int64_t)WINDOW_DAYS) break;
        cxm_status st = cxm_rollup_retract(rp->live, &s->t, NULL);
        if (st != CXM_OK) return st;
        s->in_window = 0;
        rp->window_head++;
    }
    return CXM_OK;
}

/* The next state of a ticket after an event; NULL or why it cannot happen. */
static const char *apply(cxm_ticket *t, int kind, int64_t at, int score)
{
    int solved = t->first_solved != 0 && (t->reopens == 0 || t->last_solved != 0);
    switch (kind) {
    case EV_REPLY:
        if (t->first_reply == 0) t->first_reply = at;
        t->agent_replies++;
        return NULL;
    case EV_CUSTOMER:
        /* The customer's first message is the ticket itself. */
        t->customer_replies++;
        return NULL;
    case EV_SOLVED:
        if (solved) return "solved twice";
        if (t->first_solved == 0) t->first_solved = at;
        t->last_solved = at;
        return NULL;
    case EV_REOPENED:
        if (!solved) return "reopened while open";
        t->reopens++;
        t->last_solved = 0;
        return NULL;
    default: /* EV_CSAT */
        if (t->first_solved == 0) return "a satisfaction answer before any solve";
        if (score < 1 || score > 5) return "a satisfaction score not 1-5";
        t->flags |= CXM_TICKET_HAS_CSAT;
        t->csat = score;
        return NULL;
    }
}

/* The daily series' part of an accepted event (the day's own events). */
static cxm_status record_day(replay *rp, const cxm_ticket *old, const cxm_ticket *now, int kind,
                             int64_t at)
{
    cxm_status st = CXM_OK;
    int first_target_ends = old->first_reply == 0 && old->first_solved == 0 &&
                            (now->first_reply != 0 || now->first_solved != 0);
    if (kind == EV_REPLY && old->first_reply == 0)
        st = cxm_series_duration_add(rp->replies, at, (double)(at - now->created));
    if (st == CXM_OK && first_target_ends) {
        int64_t due = now->created + first_reply_hours[now->priority] * 3600;
        st = cxm_series_sla_add(rp->sla, at, now->priority, CXM_SLA_FIRST_REPLY,
                                at <= due ? CXM_SLA_ACHIEVED : CXM_SLA_BREACHED,
                                at <= due ? 0 : at - due);
    }
    /* A solve is at first contact when it is the ticket's first and took at most one reply. */
    if (st == CXM_OK && kind == EV_SOLVED)
        st = cxm_series_rate_add(rp->solves, at, old->first_solved == 0 && now->agent_replies < 2);
    return st;
}

/* One line of the log; NULL when replayed, else why it was refused. */
static const char *replay_line(replay *rp, char *line)
{
    char *f[6], *end;
    if (!split(line, f, 6)) return "not 6 fields";
    long long at = strtoll(f[0], &end, 10);
    if (*f[0] == '\0' || *end != '\0' || at < CXM_CALENDAR_MIN_TIME || at > CXM_CALENDAR_MAX_TIME)
        return "a bad time";
    unsigned long id = strtoul(f[1], &end, 10);
    if (*f[1] == '\0' || *end != '\0' || id == 0 || id > MAX_TICKET) return "a bad ticket number";
    int kind = find(f[2], event_names, EVENTS);
    if (kind < 0) return "an unknown event";
    if (rp->last != 0 && at < rp->last) return "out of time order";
    if (id >= rp->cap) {
        size_t cap = rp->cap ? rp->cap : 1024;
        while (cap <= id)
            cap *= 2;
        ticket_state *ts = realloc(rp->tickets, cap * sizeof *ts);
        uint32_t *order = realloc(rp->order, cap * sizeof *order);
        if (order) rp->order = order;
        if (!ts || !order) {
            if (ts) rp->tickets = ts;
            return "out of memory";
        }
        memset(ts + rp->cap, 0, (cap - rp->cap) * sizeof *ts);
        rp->tickets = ts;
        rp->cap = cap;
    }
    ticket_state *s = &rp->tickets[id];
    const char *why = NULL;
    cxm_ticket now = s->t;
    if (kind == EV_CREATED) {
        int ch = find(f[3], channel_names, CHANNELS), pr = find(f[4], priority_names, PRIORITIES);
        if (s->t.created != 0) return "a ticket created twice";
        if (ch < 0 || pr < 0) return "an unknown channel or priority";
        memset(&now, 0, sizeof now);
        now.size = sizeof now;
        now.created = at;
        now.channel = (uint32_t)ch;
        now.priority = (uint32_t)pr;
        now.topic = CXM_ROLLUP_NONE;
        now.agent = CXM_ROLLUP_NONE;
    } else {
        if (s->t.created == 0) return "an event of a ticket never created";
        long score = strtol(f[5], NULL, 10); /* off the 1-5 scale: refused by apply */
        if ((why = apply(&now, kind, at, score < 1 || score > 5 ? 0 : (int)score)) != NULL)
            return why;
    }
    /* The event can happen: the days before it are over. */
    if (rp->last == 0) rp->day = local_day(at);
    cxm_status st = CXM_OK;
    if (local_day(at) > rp->day && (st = new_day(rp, local_day(at))) != CXM_OK)
        return cxm_status_str(st);
    /* The backlog keeps the current record of every ticket (its solves and reopens)... */
    uint32_t field = 0;
    int backlog_moved = kind == EV_CREATED || kind == EV_SOLVED || kind == EV_REOPENED;
    st = cxm_backlog_advance(rp->backlog, at);
    if (st == CXM_OK && kind == EV_CREATED) st = cxm_backlog_add(rp->backlog, &now, &field);
    if (st == CXM_OK && backlog_moved && kind != EV_CREATED)
        st = cxm_backlog_replace(rp->backlog, &s->t, &now, &field);
    if (st != CXM_OK) return field ? cxm_ticket_field_str(field) : cxm_status_str(st);
    /* ...the live roll-up that of every ticket of the window: added once, then replaced. */
    if (kind == EV_CREATED)
        st = cxm_rollup_add(rp->live, &now, &field);
    else if (s->in_window)
        st = cxm_rollup_replace(rp->live, &s->t, &now, &field);
    if (st != CXM_OK) {
        /* Refused (the running-target index full, say): the backlog steps back too. */
        cxm_status back = kind == EV_CREATED ? cxm_backlog_retract(rp->backlog, &now, NULL)
                          : backlog_moved    ? cxm_backlog_replace(rp->backlog, &now, &s->t, NULL)
                                             : CXM_OK;
        return back != CXM_OK ? "the backlog could not step back"
               : field        ? cxm_ticket_field_str(field)
                              : cxm_status_str(st);
    }
    if (kind == EV_CREATED) {
        s->in_window = 1;
        rp->order[rp->created++] = (uint32_t)id;
    }
    /* The series move with the clock, so a quiet day is an empty bucket, not a gap. */
    st = cxm_series_advance(rp->replies, at);
    if (st == CXM_OK) st = cxm_series_advance(rp->solves, at);
    if (st == CXM_OK) st = cxm_series_advance(rp->sla, at);
    if (st == CXM_OK) st = record_day(rp, &s->t, &now, kind, at);
    if (st != CXM_OK) return cxm_status_str(st);
    s->t = now;
    rp->last = at;
    return NULL;
}

/* A live roll-up of the window's shape: SLA targets still running are judged when read. */
static cxm_status window_rollup(const cxm_sla_policy *policy, cxm_rollup **out)
{
    cxm_rollup_options o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.channels = CHANNELS;
    o.priorities = PRIORITIES;
    o.times = 1u << CXM_ROLLUP_FIRST_REPLY | 1u << CXM_ROLLUP_FULL_RESOLUTION;
    o.sla_policy = policy;
    o.running = 1u << 16; /* room for every target still running in a week of tickets */
    return cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, out);
}

static cxm_status open_replay(replay *rp, int64_t start)
{
    memset(rp, 0, sizeof *rp);
    cxm_status st = cxm_sla_policy_new(PRIORITIES, NULL, &rp->policy);
    for (uint32_t p = 0; st == CXM_OK && p < PRIORITIES; p++) {
        st = cxm_sla_policy_set_target(rp->policy, p, CXM_SLA_FIRST_REPLY,
                                       first_reply_hours[p] * 3600, CXM_SLA_CALENDAR_TIME);
        if (st == CXM_OK)
            st = cxm_sla_policy_set_target(rp->policy, p, CXM_SLA_TOTAL_RESOLUTION,
                                           resolution_hours[p] * 3600, CXM_SLA_CALENDAR_TIME);
    }

    /* Daily series, in the team's zone, as long as the table. */
    cxm_series_options so = {.size = sizeof so,
                             .width = CXM_SERIES_DAY,
                             .buckets = TABLE_DAYS,
                             .utc_offset = UTC_OFFSET,
                             .start = start};
    cxm_duration_options d = {.size = sizeof d, .metric = CXM_DURATION_FIRST_REPLY};
    cxm_duration *dproto = NULL;
    cxm_rate *rproto = NULL;
    cxm_sla *sproto = NULL;
    if (st == CXM_OK) st = cxm_duration_new(&d, NULL, &dproto);
    if (st == CXM_OK) st = cxm_rate_new(CXM_RATE_FCR, CXM_FCR_ZENDESK, NULL, &rproto);
    if (st == CXM_OK) st = cxm_sla_new(PRIORITIES, NULL, &sproto);
    if (st == CXM_OK) st = window_rollup(rp->policy, &rp->live);
    if (st == CXM_OK) st = cxm_backlog_new(&so, NULL, &rp->backlog);
    if (st == CXM_OK) st = cxm_series_new(&so, dproto, NULL, &rp->replies);
    if (st == CXM_OK) st = cxm_series_new(&so, rproto, NULL, &rp->solves);
    if (st == CXM_OK) st = cxm_series_new(&so, sproto, NULL, &rp->sla);
    cxm_duration_free(dproto);
    cxm_rate_free(rproto);
    cxm_sla_free(sproto);
    return st;
}

static void close_replay(replay *rp)
{
    cxm_sla_policy_free(rp->policy);
    cxm_rollup_free(rp->live);
    cxm_backlog_free(rp->backlog);
    cxm_series_free(rp->replies);
    cxm_series_free(rp->solves);
    cxm_series_free(rp->sla);
    free(rp->tickets);
    free(rp->order);
}

static void format_duration(double seconds, char *out, size_t cap)
{
    if (seconds < 3600)
        snprintf(out, cap, "%.0f min", seconds / 60);
    else
        snprintf(out, cap, "%.1f h", seconds / 3600);
}

static void format_share(int has, double pct, char *out, size_t cap)
{
    if (has)
        snprintf(out, cap, "%.1f%%", pct);
    else
        snprintf(out, cap, "no data");
}

static void print_days(const replay *rp)
{
    printf("  %-10s  %7s  %6s  %11s  %18s  %13s  %19s\n", "day", "created", "solved", "open at end",
           "median first reply", "first contact", "first reply on time");
    for (uint32_t age = TABLE_DAYS; age-- > 0;) {
        const void *rep = NULL, *sol = NULL, *sla = NULL;
        cxm_series_bucket_info info = {.size = sizeof info};
        cxm_backlog_result b = {.size = sizeof b};
        if (cxm_backlog_get(rp->backlog, age, &b) != CXM_OK ||
            cxm_series_bucket(rp->replies, age, &rep, &info) != CXM_OK ||
            cxm_series_bucket(rp->solves, age, &sol, NULL) != CXM_OK ||
            cxm_series_bucket(rp->sla, age, &sla, NULL) != CXM_OK)
            continue;
        int64_t day = info.number;
        char name[40], median[24] = "no data", fcr[16], on_time[16];
        format_day(day, name);
        double m = 0;
        if (cxm_duration_quantile(rep, 0.5, &m) == CXM_OK)
            format_duration(m, median, sizeof median);
        cxm_rate_result r = {.size = sizeof r};
        int has_fcr = cxm_rate_result_get(sol, 0.95, &r) == CXM_OK;
        format_share(has_fcr, 100 * r.rate, fcr, sizeof fcr);
        cxm_sla_result s = {.size = sizeof s};
        int has_sla = cxm_sla_result_get(sla, CXM_SLA_ALL_PRIORITIES, CXM_SLA_FIRST_REPLY, 0.95,
                                         &s) == CXM_OK;
        format_share(has_sla && s.has_compliance, s.compliance_pct, on_time, sizeof on_time);
        /* The backlog and the series move with the same clock: the same 14 days. */
        printf("  %-10s  %7llu  %6llu  %11llu  %18s  %13s  %19s\n", name,
               (unsigned long long)b.created, (unsigned long long)b.solved,
               (unsigned long long)b.open, median, fcr, on_time);
    }
}

/* An SLA line of the window: compliance with its interval, what still runs. */
static int print_sla(const cxm_rollup *r, int64_t as_of, uint32_t metric, const char *what)
{
    cxm_sla_result s = {.size = sizeof s};
    cxm_status st = cxm_rollup_sla_get_at(r, CXM_ROLLUP_OVERALL, 0, metric, as_of, 0.95, &s);
    if (st != CXM_OK && st != CXM_EMPTY) return 0;
    if (s.has_compliance)
        printf("  %-26s %.1f%% of %llu targets met or missed (95%% interval %.1f%% to %.1f%%)\n",
               what, s.compliance_pct, (unsigned long long)(s.achieved + s.breached), s.ci.lower,
               s.ci.upper);
    else
        printf("  %-26s no data\n", what);
    /* Read live, a running target past due is already missed: what runs is not due yet. */
    printf("  %-26s %llu more still running, not yet due\n", "",
           (unsigned long long)(s.active - s.active_past_due));
    return 1;
}

/* The window recounted: a new roll-up fed, in one pass, the tickets' final records. */
static cxm_status recount(const replay *rp, cxm_rollup **out)
{
    cxm_status st = window_rollup(rp->policy, out);
    for (size_t i = rp->window_head; st == CXM_OK && i < rp->created; i++)
        st = cxm_rollup_add(*out, &rp->tickets[rp->order[i]].t, NULL);
    return st;
}

/* Every figure the window prints, read from both roll-ups at the last event. */
static int same_figures(const cxm_rollup *a, const cxm_rollup *b, int64_t as_of)
{
    cxm_rollup_result ga = {.size = sizeof ga}, gb = {.size = sizeof gb};
    cxm_rollup_time_result ta = {.size = sizeof ta}, tb = {.size = sizeof tb};
    int same = cxm_rollup_result_get(a, CXM_ROLLUP_OVERALL, 0, 0.95, &ga) ==
                   cxm_rollup_result_get(b, CXM_ROLLUP_OVERALL, 0, 0.95, &gb) &&
               memcmp(&ga, &gb, sizeof ga) == 0 &&
               cxm_rollup_time_get(a, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, &ta) ==
                   cxm_rollup_time_get(b, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, &tb) &&
               ta.n == tb.n && ta.median == tb.median;
    static const uint32_t metrics[2] = {CXM_SLA_FIRST_REPLY, CXM_SLA_TOTAL_RESOLUTION};
    for (int m = 0; same && m < 2; m++) {
        cxm_sla_result sa = {.size = sizeof sa}, sb = {.size = sizeof sb};
        same = cxm_rollup_sla_get_at(a, CXM_ROLLUP_OVERALL, 0, metrics[m], as_of, 0.95, &sa) ==
                   cxm_rollup_sla_get_at(b, CXM_ROLLUP_OVERALL, 0, metrics[m], as_of, 0.95, &sb) &&
               sa.achieved == sb.achieved && sa.breached == sb.breached && sa.active == sb.active &&
               sa.active_past_due == sb.active_past_due;
    }
    return same;
}

static int print_window(const replay *rp, const cxm_rollup *r)
{
    char from[40], at[40], median[24] = "no data";
    format_day(rp->day - (WINDOW_DAYS - 1), from);
    format_day(rp->day, at);
    int64_t clock = (rp->last + UTC_OFFSET) % DAY;
    cxm_rollup_result g = {.size = sizeof g};
    cxm_status st = cxm_rollup_result_get(r, CXM_ROLLUP_OVERALL, 0, 0.95, &g);
    if (st != CXM_OK && st != CXM_EMPTY) return 0;
    printf("The last %u days as of the last event, %s %02d:%02d: the %llu tickets created since "
           "%s\n",
           WINDOW_DAYS, at, (int)(clock / 3600), (int)(clock % 3600 / 60),
           (unsigned long long)g.tickets, from);
    if (g.has_fcr)
        printf("  %-26s %.1f%% of %llu tickets solved by an agent (95%% interval %.1f%% to "
               "%.1f%%)\n",
               "first contact resolution", 100 * g.fcr.rate, (unsigned long long)g.fcr.trials,
               100 * g.fcr.ci.lower, 100 * g.fcr.ci.upper);
    else
        printf("  %-26s no data\n", "first contact resolution");
    cxm_rollup_time_result t = {.size = sizeof t};
    if (cxm_rollup_time_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FIRST_REPLY, &t) == CXM_OK)
        format_duration(t.median, median, sizeof median);
    printf("  %-26s %s, %llu tickets replied to, %llu still open\n", "median first reply", median,
           (unsigned long long)g.replied, (unsigned long long)g.open);
    return print_sla(r, rp->last, CXM_SLA_FIRST_REPLY, "first reply within target") &&
           print_sla(r, rp->last, CXM_SLA_TOTAL_RESOLUTION, "resolution within target");
}

static void print_legend(void)
{
    printf("\nSLA targets (calendar time): first reply urgent %lld h, high %lld h, normal %lld h, "
           "low %lld h;\n  resolution urgent %lld h, high %lld h, normal %lld h, low %lld h.\n",
           (long long)first_reply_hours[0], (long long)first_reply_hours[1],
           (long long)first_reply_hours[2], (long long)first_reply_hours[3],
           (long long)resolution_hours[0], (long long)resolution_hours[1],
           (long long)resolution_hours[2], (long long)resolution_hours[3]);
    printf("\nHow to read the day table:\n"
           "  created              tickets created that day\n"
           "  solved               tickets solved now whose last solve was that day\n"
           "  open at end          tickets created by the end of the day and not solved by "
           "then,\n"
           "                       as known now (reopened: open from creation to last solve)\n"
           "  median first reply   half the first replies sent that day came faster, counted "
           "from\n"
           "                       the ticket's creation\n"
           "  first contact        share of the solves made that day that closed a ticket at "
           "the\n"
           "                       first contact: its first solve, after at most one agent "
           "reply\n"
           "  first reply on time  share of that day's first replies (or solves before any "
           "reply)\n"
           "                       within the target of the ticket's priority\n"
           "  no data              nothing to measure that day (never shown as 0)\n");
    printf("\nIn the last %u days, a ticket counts with what has happened to it so far: solved "
           "now,\n"
           "reopened, replied to. First contact resolution is the share of the tickets solved "
           "now\n"
           "that were solved with at most one agent reply and never reopened. A target still "
           "running\n"
           "counts as missed once it is past due, and not at all before. The 95%% interval is "
           "the\n"
           "range that very likely holds the true share: few tickets give a wide range.\n",
           WINDOW_DAYS);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--generate") == 0) {
        char *end;
        unsigned long long seed = strtoull(argv[2], &end, 10);
        long days = argc > 3 ? strtol(argv[3], NULL, 10) : 60;
        if (*end != '\0' || days < 1 || days > 3650) {
            fprintf(stderr, "usage: event_replay --generate SEED [DAYS 1-3650]\n");
            return 2;
        }
        return generate(seed, (int)days);
    }
    if (argc != 2) {
        fprintf(stderr, "usage: event_replay events.csv | event_replay --generate SEED [DAYS]\n");
        return 2;
    }
    FILE *fp = fopen(argv[1], "r");
    if (!fp) {
        fprintf(stderr, "event_replay: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    char line[512];
    unsigned long lines = 0, refused = 0;
    replay rp;
    cxm_status st = CXM_OK;
    int opened = 0, failed = !fgets(line, sizeof line, fp); /* the header */
    while (!failed && fgets(line, sizeof line, fp)) {
        lines++;
        if (!opened) {
            /* The series start at the first event's day. */
            st = open_replay(&rp, strtoll(line, NULL, 10));
            opened = 1;
            if (st != CXM_OK) break;
        }
        const char *why = replay_line(&rp, line);
        if (why) {
            refused++;
            fprintf(stderr, "%s line %lu refused: %s\n", argv[1], lines + 1, why);
        }
    }
    fclose(fp);
    if (failed || st != CXM_OK || !opened || rp.last == 0) {
        fprintf(stderr, "event_replay: %s: %s\n", argv[1],
                st != CXM_OK ? cxm_status_str(st) : "no event");
        if (opened) close_replay(&rp);
        return 1;
    }
    printf("Event replay of %s: %lu events read, %lu replayed, %lu refused; %zu tickets\n", argv[1],
           lines, lines - refused, refused, rp.created);
    printf("(days in UTC+%02d:%02d)\n\n", UTC_OFFSET / 3600, UTC_OFFSET % 3600 / 60);
    printf("Day by day, the last %u days:\n", TABLE_DAYS);
    print_days(&rp);
    printf("\n");
    cxm_rollup *again = NULL;
    int ok = print_window(&rp, rp.live);
    if ((st = recount(&rp, &again)) != CXM_OK || !same_figures(rp.live, again, rp.last)) {
        fprintf(stderr, "event_replay: the live figures differ from a recount (%s)\n",
                cxm_status_str(st));
        ok = 0;
    } else
        printf("  (kept live: each ticket added, replaced as it changed, retracted when it left "
               "the\n  window; a new roll-up fed the final records gives the same figures)\n");
    cxm_rollup_free(again);
    print_legend();
    close_replay(&rp);
    return ok ? 0 : 1;
}
