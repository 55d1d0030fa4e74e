/*
 * read.c — streams ticket and survey CSVs (RFC 4180 through libcsv) into
 * cxm accumulators, in memory that does not grow with the rows: one row's
 * mapped fields are kept at a time, and every figure is a cxm object.
 *
 * Line numbers: the file is fed to libcsv one physical line at a time, so
 * when a record ends we know on which line it started even if a quoted
 * field ran over several lines.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <csv.h>

#include "report.h"

const char *const reason_key[BAD_REASONS] = {"field_count",
                                             "missing_value",
                                             "bad_timestamp",
                                             "bad_number",
                                             "unknown_priority",
                                             "bad_csat",
                                             "bad_ces",
                                             "contradictory_times",
                                             "after_report_instant",
                                             "refused_by_library",
                                             "bad_nps_score",
                                             "unknown_nps_kind",
                                             "bad_brand",
                                             "unterminated_quote",
                                             "field_too_long"};
const char *const reason_text[BAD_REASONS] = {
    "wrong number of fields",
    "required value missing",
    "timestamp not understood",
    "number not understood",
    "priority not in the policy",
    "CSAT answer not on the scale",
    "CES answer not on the scale",
    "contradictory times (e.g. resolution before first response)",
    "event after the report instant",
    "refused by the library",
    "NPS score not 0-10",
    "NPS kind not relational, transactional or competitive",
    "brand missing or too many brands",
    "quoted field never closed",
    "field longer than 1 MiB"};

#define MAX_COLS 512
#define FIELD_MAX 1024
#define FIELD_LIMIT (1u << 20)

/* ---- names to ids ----------------------------------------------------------------- */

static int intern_init(intern *t, uint32_t cap)
{
    t->cap = cap;
    t->n = 0;
    t->overflowed = 0;
    t->nslots = 1;
    while (t->nslots < cap * 2)
        t->nslots <<= 1;
    t->names = calloc(cap, sizeof *t->names);
    t->slots = calloc(t->nslots, sizeof *t->slots);
    return t->names && t->slots ? 0 : 1;
}

static void intern_free(intern *t)
{
    free(t->names);
    free(t->slots);
}

/* The id of a name, adding it; CXM_ROLLUP_NONE for an empty name. Once the
 * table is full, new names share the last id, shown as "(other)". */
uint32_t intern_id(intern *t, const char *name)
{
    if (!*name) return CXM_ROLLUP_NONE;
    uint32_t h = 2166136261u;
    for (const char *p = name; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    for (uint32_t i = h & (t->nslots - 1);; i = (i + 1) & (t->nslots - 1)) {
        uint32_t id = t->slots[i];
        if (id == 0) {
            if (t->n + 1 >= t->cap) {
                if (!t->overflowed) snprintf(t->names[t->cap - 1], NAME_MAX_LEN, "(other)");
                t->overflowed = 1;
                return t->cap - 1;
            }
            snprintf(t->names[t->n], NAME_MAX_LEN, "%s", name);
            t->slots[i] = ++t->n;
            return t->n - 1;
        }
        if (strcmp(t->names[id - 1], name) == 0) return id - 1;
    }
}

/* ---- state ------------------------------------------------------------------------ */

static cxm_status make_rollup(const state *s, uint32_t channels, uint32_t topics, uint32_t agents,
                              uint32_t times, cxm_rollup **out)
{
    cxm_sla_policy *policy = NULL;
    cxm_status st = cxm_sla_policy_new(s->lay.levels, NULL, &policy);
    for (uint32_t p = 0; st == CXM_OK && p < s->lay.levels; p++) {
        const level_spec *lv = &s->lay.level[p];
        if (lv->first_reply_s)
            st = cxm_sla_policy_set_target(policy, p, CXM_SLA_FIRST_REPLY, lv->first_reply_s,
                                           lv->mode);
        if (st == CXM_OK && lv->resolution_s)
            st = cxm_sla_policy_set_target(policy, p, CXM_SLA_TOTAL_RESOLUTION, lv->resolution_s,
                                           lv->mode);
    }
    if (st == CXM_OK) {
        cxm_rollup_options o;
        memset(&o, 0, sizeof o);
        o.size = sizeof o;
        o.channels = channels;
        o.topics = topics;
        o.priorities = s->lay.levels;
        o.agents = agents;
        o.times = times;
        o.csat = &s->lay.csat;
        o.ces = &s->lay.ces;
        o.sla_policy = policy;
        o.calendar = s->lay.calendar;
        o.sla_as_of = s->as_of;
        st = cxm_rollup_new(s->lay.fcr_profile, &o, NULL, out);
    }
    cxm_sla_policy_free(policy); /* the roll-up keeps its own copy */
    return st;
}

/* Only the times the report shows: each kept time costs a sketch update per
 * group on every ticket. */
#define MAIN_TIMES ((1u << CXM_ROLLUP_FIRST_REPLY) | (1u << CXM_ROLLUP_FULL_RESOLUTION))

int state_init(state *s)
{
    if (intern_init(&s->channels, MAX_CHANNELS) || intern_init(&s->topics, MAX_TOPICS) ||
        intern_init(&s->agents, MAX_AGENTS) || intern_init(&s->brands, MAX_BRANDS) ||
        intern_init(&s->survey_channels, MAX_CHANNELS))
        return 1;
    s->listed = calloc(s->listed_max ? s->listed_max : 1, sizeof *s->listed);
    if (!s->listed) return 1;
    cxm_status st = CXM_OK;
    for (int k = 0; st == CXM_OK && k < 2; k++)
        st = cxm_nps_new((uint32_t)(CXM_NPS_RELATIONAL + k), 0, NULL, &s->nps[k]);
    if (st != CXM_OK) {
        fprintf(stderr, "cxm-report: cannot set up: %s\n", cxm_status_str(st));
        return 1;
    }
    return 0;
}

/* The ticket roll-ups, once the layout (and so the FCR profile, the scales
 * and the priorities) is known from the first ticket header. */
static int state_rollups(state *s)
{
    if (s->full) return 0;
    /* No creation time: the first response stands in for it, so every first reply would be at
     * 0 s and within its target. Neither is a figure of this export: no target, no time. */
    if (s->lay.created_is_reply)
        for (uint32_t p = 0; p < s->lay.levels; p++)
            s->lay.level[p].first_reply_s = 0;
    cxm_status st = make_rollup(s, MAX_CHANNELS, MAX_TOPICS, MAX_AGENTS, MAIN_TIMES, &s->full);
    if (st == CXM_OK)
        st = make_rollup(s, MAX_CHANNELS, MAX_TOPICS, MAX_AGENTS, MAIN_TIMES, &s->partial);
    if (st == CXM_OK)
        st = make_rollup(s, MAX_WEEKS, BOARD_AGENTS, 0, 1u << CXM_ROLLUP_FIRST_REPLY,
                         &s->by_week_agent);
    if (st != CXM_OK) {
        fprintf(stderr, "cxm-report: cannot set up the roll-up: %s\n", cxm_status_str(st));
        return 1;
    }
    return 0;
}

void state_free(state *s)
{
    cxm_rollup_free(s->full);
    cxm_rollup_free(s->partial);
    cxm_rollup_free(s->all);
    cxm_rollup_free(s->by_week_agent);
    for (uint32_t a = 0; a < BOARD_AGENTS; a++)
        cxm_csat_free(s->board[a].csat);
    for (uint32_t w = 0; w < s->nweeks; w++) {
        cxm_rate_free(s->weeks[w].volume);
        cxm_duration_free(s->weeks[w].first_reply);
        cxm_csat_free(s->weeks[w].csat);
        for (int k = 0; k < 2; k++)
            cxm_nps_free(s->weeks[w].nps[k]);
    }
    for (int k = 0; k < 2; k++)
        cxm_nps_free(s->nps[k]);
    for (uint32_t b = 0; b < MAX_BRANDS; b++)
        cxm_nps_free(s->competitive[b]);
    intern_free(&s->channels);
    intern_free(&s->topics);
    intern_free(&s->agents);
    intern_free(&s->brands);
    intern_free(&s->survey_channels);
    for (uint32_t c = 0; c < MAX_CHANNELS; c++)
        for (int k = 0; k < 2; k++)
            cxm_nps_free(s->nps_channel[c][k]);
    free(s->listed);
    layout_free(&s->lay);
}

int state_finish(state *s)
{
    if (!s->full) return 0; /* no ticket file */
    cxm_status st = cxm_rollup_clone(s->full, NULL, &s->all);
    if (st == CXM_OK) st = cxm_rollup_merge(s->all, s->partial);
    if (st != CXM_OK) fprintf(stderr, "cxm-report: merging: %s\n", cxm_status_str(st));
    return st != CXM_OK;
}

/* Monday 00:00 of the local week of t, in seconds of local time. */
static int64_t week_key(int64_t t, int32_t offset)
{
    int64_t local = t + offset;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t wd = ((days % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday */
    return (days - wd) * 86400;
}

const char *week_label(int64_t key, char *buf, size_t n)
{
    time_t t = (time_t)key;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(buf, n, "%Y-%m-%d", &tm)) snprintf(buf, n, "?");
    return buf;
}

const char *p_text(double p, char *buf, size_t n)
{
    if (p < 0.001)
        snprintf(buf, n, "p < 0.001");
    else
        snprintf(buf, n, "p = %.3f", p);
    return buf;
}

/* The week of instant t, created on first use; NULL past MAX_WEEKS. */
static week *week_of(state *s, int64_t t)
{
    int64_t key = week_key(t, s->lay.utc_offset);
    for (uint32_t w = s->nweeks; w-- > 0;)
        if (s->weeks[w].key == key) return &s->weeks[w];
    if (s->nweeks == MAX_WEEKS) {
        s->outside_weeks++;
        return NULL;
    }
    week *wk = &s->weeks[s->nweeks];
    memset(wk, 0, sizeof *wk);
    wk->key = key;
    cxm_status st = cxm_rate_new(CXM_RATE_GENERIC, 0, NULL, &wk->volume);
    if (st == CXM_OK) st = cxm_csat_new(&s->lay.csat, NULL, &wk->csat);
    const cxm_duration_options fr = {.size = sizeof fr, .metric = CXM_DURATION_FIRST_REPLY};
    if (st == CXM_OK) st = cxm_duration_new(&fr, NULL, &wk->first_reply);
    for (int k = 0; st == CXM_OK && k < 2; k++)
        st = cxm_nps_new((uint32_t)(CXM_NPS_RELATIONAL + k), 0, NULL, &wk->nps[k]);
    if (st != CXM_OK) {
        cxm_rate_free(wk->volume);
        cxm_csat_free(wk->csat);
        cxm_duration_free(wk->first_reply);
        cxm_nps_free(wk->nps[0]);
        s->outside_weeks++;
        return NULL;
    }
    s->nweeks++;
    return wk;
}

static agent_board *board_of(state *s, uint32_t agent)
{
    if (agent == CXM_ROLLUP_NONE || agent >= BOARD_AGENTS) return NULL;
    agent_board *b = &s->board[agent];
    if (!b->csat && cxm_csat_new(&s->lay.csat, NULL, &b->csat) != CXM_OK) return NULL;
    return b;
}

/* ---- the CSV stream ---------------------------------------------------------------- */

typedef struct reader {
    state *s;
    file_counts *fc;
    int survey;
    const col_spec *specs;
    int nroles;
    int have_header;
    char *names[MAX_COLS];
    size_t ncols;
    int role_col[T_ROLES];
    unsigned char need[MAX_COLS];
    size_t col; /* fields seen in the current record */
    char *field[MAX_COLS];
    uint64_t seg_line;   /* physical line being fed */
    uint64_t next_start; /* line the next record starts on */
    uint64_t row_line;   /* line the current record started on */
    int row_partly;      /* the current row lost a value */
    int row_flagged;     /* the current row was reported at least once */
    int fatal;
    uint32_t row_partly_reasons[8]; /* what the current row lost, in order */
    uint32_t row_npartly;
    uint64_t row_first_listed; /* s->listed index of its first problem */
    char last_priority[NAME_MAX_LEN];
    uint32_t last_priority_id;
} reader;

static void note_bad(reader *r, uint32_t reason, int role, int partly, const char *detail)
{
    state *s = r->s;
    if (partly)
        s->by_reason_partly[reason]++;
    else
        s->by_reason[reason]++;
    r->row_flagged = 1;
    if (partly) {
        r->row_partly = 1;
        if (r->row_npartly < 8) r->row_partly_reasons[r->row_npartly++] = reason;
    }
    if (s->nlisted >= s->listed_max) return;
    bad_row *b = &s->listed[s->nlisted++];
    const char *slash = strrchr(r->fc->path, '/');
    snprintf(b->file, sizeof b->file, "%.90s", slash ? slash + 1 : r->fc->path);
    b->line = r->row_line;
    b->reason = reason;
    b->partly_used = partly;
    const char *col = "";
    if (role >= 0 && r->role_col[role] >= 0) col = r->names[r->role_col[role]];
    snprintf(b->column, sizeof b->column, "%s", col);
    snprintf(b->detail, sizeof b->detail, "%s", detail ? detail : "");
}

static const char *get(const reader *r, int role)
{
    int c = r->role_col[role];
    return c >= 0 && r->field[c] ? r->field[c] : NULL;
}

static int lookup_level(const layout *l, const char *name, uint32_t *out)
{
    for (uint32_t i = 0; i < l->levels; i++)
        for (int k = 0; k < MAX_ALIASES && l->level[i].names[k][0]; k++)
            if (strcasecmp(l->level[i].names[k], name) == 0) {
                *out = i;
                return 1;
            }
    return 0;
}

/* A time role: a timestamp, or a span from creation in the column's unit.
 * 0 when empty; -1 (reported, value dropped) when not understood. */
static int read_when(reader *r, int role, int64_t created, int64_t *out)
{
    const char *v = get(r, role);
    *out = 0;
    if (!v || !*v) return 0;
    double unit = r->specs[role].unit;
    char detail[160];
    if (unit == 0) {
        if (parse_time(v, r->s->lay.utc_offset, out) == 0) return 1;
        snprintf(detail, sizeof detail, "\"%.60s\"", v);
        note_bad(r, BAD_TIMESTAMP, role, 1, detail);
        return -1;
    }
    double span;
    if (parse_number(v, &span) != 0 || span > 1e12 || span < -1e12) {
        snprintf(detail, sizeof detail, "\"%.60s\"", v);
        note_bad(r, BAD_NUMBER, role, 1, detail);
        return -1;
    }
    /* A negative span ends before creation: a contradiction the roll-up
     * names, so it is passed on as an instant before creation. */
    *out = created + (int64_t)(span * unit + (span < 0 ? -0.5 : 0.5));
    if (span < 0 && *out >= created) *out = created - 1;
    return 1;
}

static uint32_t read_count(reader *r, int role)
{
    const char *v = get(r, role);
    uint32_t n = 0;
    if (v && *v && parse_uint(v, &n) != 0) {
        char detail[160];
        snprintf(detail, sizeof detail, "\"%.60s\"", v);
        note_bad(r, BAD_NUMBER, role, 1, detail);
        n = 0;
    }
    return n;
}

/* A CSAT/CES answer: 1 with *out set, 0 when absent. Words a helpdesk puts
 * in the column when no answer came back mean "no answer". */
static int read_answer(reader *r, int role, uint32_t reason, int32_t *out)
{
    const char *v = get(r, role);
    if (!v || !*v) return 0;
    if (!(*v >= '0' && *v <= '9') &&
        (strcasecmp(v, "offered") == 0 || strcasecmp(v, "unoffered") == 0 ||
         strcasecmp(v, "not offered") == 0 || strcasecmp(v, "none") == 0))
        return 0;
    double d;
    if (parse_number(v, &d) != 0 || d < -1e9 || d > 1e9 || d != (double)(int32_t)d) {
        char detail[160];
        snprintf(detail, sizeof detail, "\"%.60s\" is not a whole number", v);
        note_bad(r, reason, role, 1, detail);
        return 0;
    }
    *out = (int32_t)d;
    return 1;
}

static int is_solved_status(const char *v)
{
    switch (*v | 0x20) { /* one compare for the word it can be */
    case 's': return strcasecmp(v, "solved") == 0;
    case 'c': return strcasecmp(v, "closed") == 0;
    case 'r': return strcasecmp(v, "resolved") == 0;
    default: return 0;
    }
}

static void add_extras(state *s, const cxm_ticket *ticket, int complete)
{
    week *wk = week_of(s, ticket->created);
    agent_board *b = board_of(s, ticket->agent);
    cxm_ticket copy = *ticket, *t = &copy;
    t->channel = wk ? (uint32_t)(wk - s->weeks) : CXM_ROLLUP_NONE;
    t->topic = b ? ticket->agent : CXM_ROLLUP_NONE;
    t->agent = CXM_ROLLUP_NONE;
    cxm_status st = CXM_OK;
    if (complete) st = cxm_rollup_add(s->by_week_agent, t, NULL);
    if (wk && st == CXM_OK) {
        st = cxm_rate_add(wk->volume, (uint32_t)complete);
        /* The week's median first reply and its change need the durations
         * themselves, not a roll-up group. */
        if (st == CXM_OK && complete && t->first_reply)
            st = cxm_duration_add_between(wk->first_reply, t->created, t->first_reply);
        if (st == CXM_OK && (t->flags & CXM_TICKET_HAS_CSAT)) st = cxm_csat_add(wk->csat, t->csat);
    }
    if (b && st == CXM_OK && (t->flags & CXM_TICKET_HAS_CSAT)) st = cxm_csat_add(b->csat, t->csat);
    /* The main roll-up took the same ticket, so these cannot refuse it. */
    if (st != CXM_OK) fprintf(stderr, "cxm-report: internal: %s\n", cxm_status_str(st));
}

/* Returns 1 if the row was used (fully or partly), 0 if refused. */
static int ticket_row(reader *r)
{
    state *s = r->s;
    const layout *l = &s->lay;
    cxm_ticket t;
    memset(&t, 0, sizeof t);
    t.size = sizeof t;
    char detail[160];

    const char *created = get(r, T_CREATED);
    if (!created || !*created) {
        note_bad(r, BAD_MISSING, T_CREATED, 0, "no creation time");
        return 0;
    }
    if (parse_time(created, l->utc_offset, &t.created) != 0) {
        snprintf(detail, sizeof detail, "\"%.60s\"", created);
        note_bad(r, BAD_TIMESTAMP, T_CREATED, 0, detail);
        return 0;
    }
    t.priority = l->levels / 2;
    if (r->role_col[T_PRIORITY] >= 0) {
        const char *p = get(r, T_PRIORITY);
        /* Exports repeat a handful of priority words: remember the last. */
        if (p && *p && strcmp(p, r->last_priority) == 0)
            t.priority = r->last_priority_id;
        else if (p && lookup_level(l, p, &t.priority)) {
            snprintf(r->last_priority, sizeof r->last_priority, "%s", p);
            r->last_priority_id = t.priority;
        } else {
            snprintf(detail, sizeof detail, "\"%.60s\"", p ? p : "");
            note_bad(r, BAD_PRIORITY, T_PRIORITY, 0, detail);
            return 0;
        }
    }
    const char *v;
    t.channel = (v = get(r, T_CHANNEL)) ? intern_id(&s->channels, v) : CXM_ROLLUP_NONE;
    t.topic = (v = get(r, T_TOPIC)) ? intern_id(&s->topics, v) : CXM_ROLLUP_NONE;
    t.agent = (v = get(r, T_AGENT)) ? intern_id(&s->agents, v) : CXM_ROLLUP_NONE;

    int64_t fr, fs, ls;
    read_when(r, T_FIRST_REPLY, t.created, &fr);
    read_when(r, T_FIRST_SOLVED, t.created, &fs);
    read_when(r, T_LAST_SOLVED, t.created, &ls);
    t.reopens = read_count(r, T_REOPENS);
    t.agent_replies = read_count(r, T_AGENT_REPLIES);
    t.customer_replies = read_count(r, T_CUSTOMER_REPLIES);
    if (!l->has_reply_counts && fr) t.agent_replies = 1;
    int solved = (v = get(r, T_STATUS)) ? is_solved_status(v) : (fs || ls);
    if (!fs) fs = ls; /* the export knows one solve only */
    if (!ls || t.reopens == 0) ls = fs;
    if (!solved) {
        ls = 0;
        if (t.reopens == 0) fs = 0;
    }
    t.first_reply = fr;
    t.first_solved = fs;
    t.last_solved = t.reopens ? ls : 0;
    if (read_answer(r, T_CSAT, BAD_CSAT, &t.csat)) t.flags |= CXM_TICKET_HAS_CSAT;
    if (read_answer(r, T_CES, BAD_CES, &t.ces)) t.flags |= CXM_TICKET_HAS_CES;

    const int64_t when[4] = {t.created, fr, fs, ls};
    static const int when_role[4] = {T_CREATED, T_FIRST_REPLY, T_FIRST_SOLVED, T_LAST_SOLVED};
    for (int k = 0; k < 4; k++)
        if (when[k] > s->as_of) {
            snprintf(detail, sizeof detail, "%s is after the report instant (--as-of)",
                     cxm_ticket_field_str((uint32_t)(CXM_TICKET_FIELD_CREATED + k)));
            note_bad(r, BAD_FUTURE, when_role[k], 0, detail);
            return 0;
        }

    /* The full roll-up, or the partial one once contradicted times are left out: an answer off
     * its scale is left out of either (the library checks the times first). */
    cxm_rollup *into = s->full;
    for (;;) {
        uint32_t field = 0;
        cxm_status st = cxm_rollup_add(into, &t, &field);
        if (st == CXM_OK) {
            add_extras(s, &t, into == s->full);
            return 1;
        }
        if (st == CXM_OUT_OF_RANGE && field == CXM_TICKET_FIELD_CSAT) {
            snprintf(detail, sizeof detail, "%d is off the CSAT scale; the answer is left out",
                     t.csat);
            note_bad(r, BAD_CSAT, T_CSAT, 1, detail);
            t.flags &= ~(uint32_t)CXM_TICKET_HAS_CSAT;
            continue;
        }
        if (st == CXM_OUT_OF_RANGE && field == CXM_TICKET_FIELD_CES) {
            snprintf(detail, sizeof detail, "%d is off the CES scale; the answer is left out",
                     t.ces);
            note_bad(r, BAD_CES, T_CES, 1, detail);
            t.flags &= ~(uint32_t)CXM_TICKET_HAS_CES;
            continue;
        }
        int role = field >= CXM_TICKET_FIELD_CREATED && field <= CXM_TICKET_FIELD_LAST_SOLVED
                       ? when_role[field - CXM_TICKET_FIELD_CREATED]
                   : field == CXM_TICKET_FIELD_REOPENS ? T_REOPENS
                                                       : -1;
        if (st == CXM_BAD_ORDER && into == s->full) {
            int keep = s->contradictions == KEEP_UNCONTRADICTED;
            if (field == CXM_TICKET_FIELD_LAST_SOLVED)
                snprintf(detail, sizeof detail, "last solve before the first%s",
                         keep ? "; kept without its times" : "; ticket left out");
            else
                snprintf(detail, sizeof detail, "%s before %s%s",
                         field == CXM_TICKET_FIELD_FIRST_REPLY ? "first reply" : "resolution",
                         l->created_is_reply ? "the first response" : "creation",
                         keep ? "; kept without its times" : "; ticket left out");
            /* An export with one solve column names that column. */
            if (role == T_FIRST_SOLVED && r->role_col[role] < 0) role = T_LAST_SOLVED;
            note_bad(r, BAD_CONTRADICTION, role, keep, detail);
            if (!keep) return 0;
            /* Keep what is not contradicted: the ticket, its channel, topic,
             * agent and answers; none of its reply or solve times. */
            t.first_reply = t.first_solved = t.last_solved = 0;
            t.reopens = 0;
            into = s->partial;
            continue;
        }
        snprintf(detail, sizeof detail, "%s (field %s)", cxm_status_str(st),
                 cxm_ticket_field_str(field));
        note_bad(r, BAD_REFUSED, role, 0, detail);
        return 0;
    }
}

static int parse_kind(const char *v, uint32_t *kind)
{
    static const char *const names[3][4] = {{"relational", "rnps", "r", "nps_relational"},
                                            {"transactional", "tnps", "t", "nps_transactional"},
                                            {"competitive", "cnps", "c", "nps_competitive"}};
    for (uint32_t k = 0; k < 3; k++)
        for (int a = 0; a < 4; a++)
            if (strcasecmp(v, names[k][a]) == 0) {
                *kind = CXM_NPS_RELATIONAL + k;
                return 1;
            }
    return 0;
}

static int survey_row(reader *r)
{
    state *s = r->s;
    char detail[160];
    const char *v = get(r, S_SCORE);
    uint32_t score, kind;
    if (!v || !*v) {
        note_bad(r, BAD_MISSING, S_SCORE, 0, "no score");
        return 0;
    }
    if (parse_uint(v, &score) != 0 || score > (uint32_t)cxm_nps_scale_max()) {
        snprintf(detail, sizeof detail, "\"%.60s\"", v);
        note_bad(r, BAD_SCORE, S_SCORE, 0, detail);
        return 0;
    }
    v = get(r, S_KIND);
    if (!v || !parse_kind(v, &kind)) {
        snprintf(detail, sizeof detail, "\"%.60s\"", v ? v : "");
        note_bad(r, BAD_KIND, S_KIND, 0, detail);
        return 0;
    }
    const char *brand = get(r, S_BRAND);
    brand = brand ? brand : "";
    uint32_t b = CXM_ROLLUP_NONE;
    if (kind == CXM_NPS_COMPETITIVE) {
        b = intern_id(&s->brands, brand);
        if (b == CXM_ROLLUP_NONE || s->brands.overflowed) {
            note_bad(r, BAD_BRAND, S_BRAND, 0,
                     b == CXM_ROLLUP_NONE ? "a competitive answer names no brand"
                                          : "more than 31 brands");
            return 0;
        }
    } else if (!s->lay.our_brand[0] && *brand) {
        /* Relational and transactional answers are about us. */
        snprintf(s->lay.our_brand, sizeof s->lay.our_brand, "%s", brand);
    }
    int64_t when = 0;
    v = get(r, S_DATE);
    if (v && *v && parse_time(v, s->lay.utc_offset, &when) != 0) {
        snprintf(detail, sizeof detail, "\"%.60s\"; the answer counts but not in a week", v);
        note_bad(r, BAD_TIMESTAMP, S_DATE, 1, detail);
        when = 0;
    }
    cxm_status st;
    if (kind == CXM_NPS_COMPETITIVE) {
        if (!s->competitive[b] &&
            cxm_nps_new(CXM_NPS_COMPETITIVE, b + 1, NULL, &s->competitive[b]) != CXM_OK)
            return 0;
        st = cxm_nps_add(s->competitive[b], (int32_t)score);
    } else {
        st = cxm_nps_add(s->nps[kind - 1], (int32_t)score);
        week *wk = st == CXM_OK && when ? week_of(s, when) : NULL;
        if (wk) st = cxm_nps_add(wk->nps[kind - 1], (int32_t)score);
        v = get(r, S_CHANNEL);
        uint32_t c = v ? intern_id(&s->survey_channels, v) : CXM_ROLLUP_NONE;
        if (st == CXM_OK && c != CXM_ROLLUP_NONE) {
            cxm_nps **n = &s->nps_channel[c][kind - 1];
            if (!*n) st = cxm_nps_new(kind, 0, NULL, n);
            if (st == CXM_OK) st = cxm_nps_add(*n, (int32_t)score);
        }
    }
    if (st != CXM_OK) {
        note_bad(r, BAD_SCORE, S_SCORE, 0, cxm_status_str(st));
        return 0;
    }
    return 1;
}

static int header_row(reader *r)
{
    state *s = r->s;
    r->ncols = r->col;
    if (!r->survey && !s->lay.ticket[T_CREATED].name[0]) {
        const char *p = layout_detect(r->names, r->ncols);
        if (!p) {
            fprintf(stderr,
                    "cxm-report: %s: the header matches no preset (zendesk, freshdesk, "
                    "kaggle) in full; name one with --preset (its columns missing here are not "
                    "read) or the columns with --config\n",
                    r->fc->path);
            return 1;
        }
        /* The preset brings columns and policy; what the command line
         * said about time zone and brand stays. */
        int32_t offset = s->lay.utc_offset;
        char brand[NAME_MAX_LEN];
        memcpy(brand, s->lay.our_brand, sizeof brand);
        layout_preset(&s->lay, p);
        s->lay.utc_offset = offset;
        memcpy(s->lay.our_brand, brand, sizeof brand);
        r->specs = s->lay.ticket;
    }
    for (int role = 0; role < r->nroles; role++) {
        r->role_col[role] = -1;
        const char *want = r->specs[role].name;
        if (!want[0]) continue;
        for (size_t c = 0; c < r->ncols; c++)
            if (strcasecmp(r->names[c], want) == 0) {
                r->role_col[role] = (int)c;
                r->need[c] = 1;
                break;
            }
        int required = r->survey ? (role == S_SCORE || role == S_KIND) : role == T_CREATED;
        if (required && r->role_col[role] < 0) {
            fprintf(stderr, "cxm-report: %s: no column \"%s\" in the header\n", r->fc->path, want);
            return 1;
        }
    }
    r->have_header = 1;
    if (!r->survey && r->role_col[T_REOPENS] >= 0) s->reopens_read = 1;
    return r->survey ? 0 : state_rollups(s);
}

static void on_field(void *data, size_t len, void *ctx)
{
    reader *r = ctx;
    size_t c = r->col++;
    if (c >= MAX_COLS) return;
    if (!r->have_header) {
        r->names[c] = malloc(len + 1 > NAME_MAX_LEN ? NAME_MAX_LEN : len + 1);
        if (!r->names[c]) return;
        size_t n = len + 1 > NAME_MAX_LEN ? NAME_MAX_LEN - 1 : len;
        memcpy(r->names[c], data, n);
        r->names[c][n] = '\0';
        return;
    }
    if (!r->need[c]) return;
    size_t n = len < FIELD_MAX - 1 ? len : FIELD_MAX - 1;
    memcpy(r->field[c], data, n);
    r->field[c][n] = '\0';
}

static void on_row(int term, void *ctx)
{
    reader *r = ctx;
    (void)term;
    r->row_line = r->next_start;
    r->next_start = r->seg_line + 1;
    if (r->col == 0 || r->fatal) return; /* a blank line */
    if (!r->have_header) {
        r->fatal = header_row(r);
        r->col = 0;
        return;
    }
    file_counts *fc = r->fc;
    fc->rows++;
    r->row_partly = 0;
    r->row_flagged = 0;
    r->row_npartly = 0;
    r->row_first_listed = r->s->nlisted;
    if (r->col != r->ncols) {
        char detail[160];
        snprintf(detail, sizeof detail, "%zu fields, the header has %zu", r->col, r->ncols);
        note_bad(r, BAD_FIELD_COUNT, -1, 0, detail);
        fc->refused++;
    } else {
        int used = r->survey ? survey_row(r) : ticket_row(r);
        if (!used) {
            /* A value left out earlier in a row refused later: the whole
             * row is refused, and each of its problems is counted so. */
            state *s = r->s;
            for (uint32_t i = 0; i < r->row_npartly; i++) {
                s->by_reason_partly[r->row_partly_reasons[i]]--;
                s->by_reason[r->row_partly_reasons[i]]++;
            }
            for (uint64_t i = r->row_first_listed; i < s->nlisted; i++)
                s->listed[i].partly_used = 0;
            fc->refused++;
        } else if (r->row_partly)
            fc->partly++;
        else
            fc->used++;
    }
    for (size_t c = 0; c < r->ncols && c < MAX_COLS; c++)
        if (r->need[c]) r->field[c][0] = '\0';
    r->col = 0;
}

static int space_only(unsigned char c)
{
    return c == ' ';
}

static void *limited_realloc(void *p, size_t n)
{
    /* libcsv grows its field buffer to the longest field: bounded here, so
     * an unclosed quote cannot swallow a whole file into memory. */
    return n > FIELD_LIMIT ? NULL : realloc(p, n);
}

static void progress(const reader *r, uint64_t done, uint64_t total, int final)
{
    fprintf(stderr, "\r%s: %.0f of %.0f MB, %llu rows", r->fc->path, (double)done / 1e6,
            (double)total / 1e6, (unsigned long long)r->fc->rows);
    if (final) fputc('\n', stderr);
}

static int read_csv(state *s, const char *path, int survey)
{
    if (s->nfiles == MAX_FILES) {
        fprintf(stderr, "cxm-report: at most %d input files\n", MAX_FILES);
        return 1;
    }
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "cxm-report: %s: %s\n", path, strerror(errno));
        return 1;
    }
    file_counts *fc = &s->files[s->nfiles++];
    memset(fc, 0, sizeof *fc);
    snprintf(fc->path, sizeof fc->path, "%s", path);
    fc->is_survey = survey;

    reader *r = calloc(1, sizeof *r);
    char *buf = malloc(1 << 20);
    char *arena = malloc((size_t)MAX_COLS * FIELD_MAX);
    struct csv_parser p;
    int rc = 1;
    if (!r || !buf || !arena || csv_init(&p, CSV_REPALL_NL) != 0) goto out;
    csv_set_realloc_func(&p, limited_realloc);
    csv_set_delim(&p, (unsigned char)s->lay.delimiter);
    if (s->lay.delimiter == '\t') csv_set_space_func(&p, space_only); /* a tab separates */
    r->s = s;
    r->fc = fc;
    r->survey = survey;
    r->specs = survey ? s->lay.survey : s->lay.ticket;
    r->nroles = survey ? S_ROLES : T_ROLES;
    r->seg_line = 1;
    r->next_start = 1;
    for (size_t c = 0; c < MAX_COLS; c++) {
        r->field[c] = arena + c * FIELD_MAX;
        r->field[c][0] = '\0';
    }
    struct stat sb;
    uint64_t total = fstat(fileno(fp), &sb) == 0 ? (uint64_t)sb.st_size : 0, done = 0;
    /* Only a person watching a terminal wants a progress line. */
    int show = s->progress && total > (4u << 20) && isatty(2);
    uint64_t next_report = 1 << 22;
    int first = 1, ok = 1;
    size_t n;
    while (ok && !r->fatal && (n = fread(buf, 1, 1 << 20, fp)) > 0) {
        size_t pos = 0;
        if (first && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) pos = 3; /* BOM */
        first = 0;
        while (pos < n && ok && !r->fatal) {
            char *nl = memchr(buf + pos, '\n', n - pos);
            size_t end = nl ? (size_t)(nl - buf) + 1 : n;
            if (csv_parse(&p, buf + pos, end - pos, on_field, on_row, r) != end - pos) ok = 0;
            if (nl) r->seg_line++;
            pos = end;
        }
        done += n;
        if (show && done >= next_report) {
            progress(r, done, total, 0);
            next_report = done + (1 << 22);
        }
    }
    if (show) progress(r, done, total, 1);
    if (!ok) {
        r->row_line = r->next_start;
        r->fc->rows++;
        r->fc->refused++;
        note_bad(r, BAD_TOO_LONG, -1, 0, "reading stopped here (an unclosed quote?)");
    } else if (!r->fatal && p.quoted && p.pstate == 2 /* libcsv's FIELD_BEGUN */) {
        /* Still inside a quoted field at the end of the file: the record
         * swallowed every line after its opening quote. Refused whole. */
        r->row_line = r->next_start;
        r->fc->rows++;
        r->fc->refused++;
        note_bad(r, BAD_UNTERMINATED, -1, 0, "the quote opened in this row never closes");
    } else if (!r->fatal) {
        csv_fini(&p, on_field, on_row, r);
    }
    if (ferror(fp)) fprintf(stderr, "cxm-report: %s: %s\n", path, strerror(errno));
    rc = r->fatal || ferror(fp) ? 1 : 0;
    if (!r->have_header && !r->fatal) {
        fprintf(stderr, "cxm-report: %s: empty file (no header)\n", path);
        rc = 1;
    }
    csv_free(&p);
out:
    if (r)
        for (size_t c = 0; c < MAX_COLS; c++)
            free(r->names[c]);
    free(r);
    free(buf);
    free(arena);
    if (fp != stdin) fclose(fp);
    return rc;
}

int read_tickets(state *s, const char *path)
{
    return read_csv(s, path, 0);
}
int read_survey(state *s, const char *path)
{
    return read_csv(s, path, 1);
}
