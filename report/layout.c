/*
 * layout.c — the column presets of common helpdesk exports and the JSON
 * config (jansson) for any other layout: columns, priorities with their
 * SLA targets, business hours, CSAT/CES scales, FCR profile.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "report.h"

static void set_col(col_spec *c, const char *name, double unit)
{
    snprintf(c->name, sizeof c->name, "%s", name);
    c->unit = unit;
}

/* Four levels, most urgent first; the names a helpdesk uses for each. */
static void default_levels(layout *l)
{
    static const char *const names[4][MAX_ALIASES] = {
        {"urgent", "critical", "p1", "1"},
        {"high", "p2", "2"},
        {"normal", "medium", "p3", "3"},
        {"low", "p4", "4"},
    };
    /* Targets in hours: first reply, resolution (calendar time). */
    static const int hours[4][2] = {{1, 8}, {4, 24}, {8, 72}, {24, 168}};
    l->levels = 4;
    for (int i = 0; i < 4; i++) {
        for (int k = 0; k < MAX_ALIASES && names[i][k]; k++)
            snprintf(l->level[i].names[k], NAME_MAX_LEN, "%s", names[i][k]);
        l->level[i].first_reply_s = hours[i][0] * 3600;
        l->level[i].resolution_s = hours[i][1] * 3600;
        l->level[i].mode = CXM_SLA_CALENDAR_TIME;
    }
}

static void survey_columns(layout *l)
{
    set_col(&l->survey[S_SCORE], "score", 0);
    set_col(&l->survey[S_KIND], "kind", 0);
    set_col(&l->survey[S_BRAND], "brand", 0);
    set_col(&l->survey[S_CHANNEL], "channel", 0);
    set_col(&l->survey[S_DATE], "date", 0);
}

int layout_preset(layout *l, const char *name)
{
    cxm_calendar *keep = l->calendar;
    memset(l, 0, sizeof *l);
    l->calendar = keep;
    default_levels(l);
    survey_columns(l);
    l->csat.size = sizeof l->csat;
    l->ces.size = sizeof l->ces;
    l->fcr_profile = CXM_FCR_ZENDESK;
    l->has_reply_counts = 1;
    l->delimiter = ',';
    snprintf(l->preset, sizeof l->preset, "%s", name);
    col_spec *t = l->ticket;
    if (strcmp(name, "zendesk") == 0) {
        snprintf(l->description, sizeof l->description,
                 "Zendesk-style ticket export (times in minutes from creation)");
        set_col(&t[T_ID], "Id", 0);
        set_col(&t[T_CREATED], "Created at", 0);
        set_col(&t[T_FIRST_REPLY], "First reply time in minutes", 60);
        set_col(&t[T_FIRST_SOLVED], "First resolution time in minutes", 60);
        set_col(&t[T_LAST_SOLVED], "Full resolution time in minutes", 60);
        set_col(&t[T_STATUS], "Status", 0);
        set_col(&t[T_PRIORITY], "Priority", 0);
        set_col(&t[T_CHANNEL], "Via", 0);
        set_col(&t[T_TOPIC], "Ticket type", 0);
        set_col(&t[T_AGENT], "Assignee", 0);
        set_col(&t[T_REOPENS], "Reopens", 0);
        set_col(&t[T_AGENT_REPLIES], "Replies", 0);
        set_col(&t[T_CSAT], "Satisfaction Score", 0);
        set_col(&t[T_CES], "Customer effort score", 0);
        return 1;
    }
    if (strcmp(name, "freshdesk") == 0) {
        snprintf(l->description, sizeof l->description,
                 "Freshdesk-style ticket export (timestamps)");
        l->fcr_profile = CXM_FCR_FRESHDESK;
        set_col(&t[T_ID], "Ticket ID", 0);
        set_col(&t[T_CREATED], "Created time", 0);
        set_col(&t[T_FIRST_REPLY], "Initial response time", 0);
        set_col(&t[T_LAST_SOLVED], "Resolved time", 0);
        set_col(&t[T_STATUS], "Status", 0);
        set_col(&t[T_PRIORITY], "Priority", 0);
        set_col(&t[T_CHANNEL], "Source", 0);
        set_col(&t[T_TOPIC], "Type", 0);
        set_col(&t[T_AGENT], "Agent", 0);
        set_col(&t[T_AGENT_REPLIES], "Agent interactions", 0);
        set_col(&t[T_CUSTOMER_REPLIES], "Customer interactions", 0);
        set_col(&t[T_CSAT], "Satisfaction rating", 0);
        return 1;
    }
    if (strcmp(name, "kaggle") == 0) {
        snprintf(l->description, sizeof l->description,
                 "public customer_support_tickets.csv layout (no creation time: "
                 "times run from the first response)");
        l->has_reply_counts = 0;
        l->created_is_reply = 1;
        set_col(&t[T_ID], "Ticket_ID", 0);
        set_col(&t[T_CREATED], "First_Response_Time", 0);
        set_col(&t[T_FIRST_REPLY], "First_Response_Time", 0);
        set_col(&t[T_LAST_SOLVED], "Time_to_Resolution", 0);
        set_col(&t[T_PRIORITY], "Ticket_Priority", 0);
        set_col(&t[T_CHANNEL], "Ticket_Channel", 0);
        set_col(&t[T_TOPIC], "Ticket_Type", 0);
        set_col(&t[T_CSAT], "Customer_Satisfaction_Rating", 0);
        return 1;
    }
    if (strcmp(name, "survey") == 0) {
        snprintf(l->description, sizeof l->description,
                 "generic survey export (score, kind, brand, channel, date)");
        return 1;
    }
    return 0;
}

static int has_name(char *const *names, size_t n, const char *want)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(names[i], want) == 0) return 1;
    return 0;
}

const char *layout_detect(char *const *names, size_t n)
{
    static const char *const presets[] = {"zendesk", "freshdesk", "kaggle"};
    layout l;
    memset(&l, 0, sizeof l);
    for (size_t p = 0; p < sizeof presets / sizeof *presets; p++) {
        layout_preset(&l, presets[p]);
        int all = 1;
        for (int r = 0; r < T_ROLES && all; r++)
            if (l.ticket[r].name[0] && r != T_CES) all = has_name(names, n, l.ticket[r].name);
        if (all) return presets[p];
    }
    return NULL;
}

void layout_free(layout *l)
{
    cxm_calendar_free(l->calendar);
    l->calendar = NULL;
}

/* ---- the JSON config ------------------------------------------------------------ */

static const char *const ticket_keys[T_ROLES] = {
    "id",      "created",       "first_reply",      "first_solved", "last_solved",
    "status",  "priority",      "channel",          "topic",        "agent",
    "reopens", "agent_replies", "customer_replies", "csat",         "ces"};
static const char *const survey_keys[S_ROLES] = {"score", "kind", "brand", "channel", "date"};

static int fail(const char *path, const char *what, const char *key)
{
    fprintf(stderr, "cxm-report: %s: %s%s%s\n", path, what, key ? ": " : "", key ? key : "");
    return 1;
}

static int read_column(const char *path, json_t *v, const char *key, col_spec *c)
{
    if (json_is_null(v)) {
        memset(c, 0, sizeof *c);
        return 0;
    }
    if (json_is_string(v)) {
        set_col(c, json_string_value(v), 0);
        return 0;
    }
    const char *name = json_string_value(json_object_get(v, "name"));
    const char *unit = json_string_value(json_object_get(v, "unit"));
    if (!json_is_object(v) || !name) return fail(path, "a column is a name or {name, unit}", key);
    double u = 0;
    if (!unit || strcmp(unit, "timestamp") == 0)
        u = 0;
    else if (strcmp(unit, "seconds") == 0)
        u = 1;
    else if (strcmp(unit, "minutes") == 0)
        u = 60;
    else if (strcmp(unit, "hours") == 0)
        u = 3600;
    else
        return fail(path, "unit is timestamp, seconds, minutes or hours", key);
    set_col(c, name, u);
    return 0;
}

static int read_columns(const char *path, json_t *obj, const char *const *keys, col_spec *cols,
                        int n)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int r = 0;
        while (r < n && strcmp(keys[r], key) != 0)
            r++;
        if (r == n) return fail(path, "unknown column role", key);
        if (read_column(path, v, key, &cols[r])) return 1;
    }
    return 0;
}

static int read_hours(json_t *o, const char *key, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!v) return 0;
    if (!json_is_number(v) || json_number_value(v) <= 0) return 1;
    *out = (int64_t)llround(json_number_value(v) * 3600.0);
    return 0;
}

static int read_levels(const char *path, json_t *arr, layout *l)
{
    if (!json_is_array(arr) || json_array_size(arr) < 1 || json_array_size(arr) > MAX_LEVELS)
        return fail(path, "priorities is an array of 1 to 8 levels, most urgent first", NULL);
    l->levels = (uint32_t)json_array_size(arr);
    memset(l->level, 0, sizeof l->level);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);
        level_spec *lv = &l->level[i];
        json_t *names = json_object_get(o, "names");
        if (!json_is_array(names) || json_array_size(names) < 1 ||
            json_array_size(names) > MAX_ALIASES)
            return fail(path, "each priority has names: [shown name, aliases...]", NULL);
        for (size_t k = 0; k < json_array_size(names); k++) {
            const char *nm = json_string_value(json_array_get(names, k));
            if (!nm) return fail(path, "priority names are strings", NULL);
            snprintf(lv->names[k], NAME_MAX_LEN, "%s", nm);
        }
        if (read_hours(o, "first_reply_hours", &lv->first_reply_s) ||
            read_hours(o, "resolution_hours", &lv->resolution_s))
            return fail(path, "targets are hours > 0", lv->names[0]);
        const char *clock = json_string_value(json_object_get(o, "clock"));
        lv->mode = CXM_SLA_CALENDAR_TIME;
        if (clock && strcmp(clock, "business") == 0)
            lv->mode = CXM_SLA_BUSINESS_HOURS;
        else if (clock && strcmp(clock, "calendar") != 0)
            return fail(path, "clock is \"calendar\" or \"business\"", lv->names[0]);
    }
    return 0;
}

static int hhmm(const char *s, int32_t *out)
{
    int h, m, n = 0;
    if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || h < 0 || h > 24 || m < 0 || m > 59 ||
        (h == 24 && m))
        return 1;
    *out = h * 3600 + m * 60;
    return n;
}

static int read_calendar(const char *path, json_t *o, layout *l)
{
    static const char *const days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    int32_t offset = l->utc_offset;
    const char *off = json_string_value(json_object_get(o, "utc_offset"));
    if (off && parse_offset(off, &offset)) return fail(path, "bad utc_offset", off);
    json_t *sched = json_object_get(o, "week"), *hol = json_object_get(o, "holidays");
    if (!json_is_object(sched)) return fail(path, "business_hours needs a week schedule", NULL);
    cxm_calendar_config cfg = {.size = sizeof cfg,
                               .max_intervals = 7 * 8,
                               .max_holidays = (uint32_t)json_array_size(hol),
                               .utc_offset = offset};
    cxm_calendar_free(l->calendar);
    l->calendar = NULL;
    if (cxm_calendar_new(&cfg, NULL, &l->calendar) != CXM_OK)
        return fail(path, "business_hours: cannot create the calendar", NULL);
    for (uint32_t d = 0; d < 7; d++) {
        json_t *spans = json_object_get(sched, days[d]);
        for (size_t k = 0; k < json_array_size(spans); k++) {
            const char *span = json_string_value(json_array_get(spans, k));
            int32_t a = 0, b = 0; /* set by hhmm when it succeeds; read only then */
            int n = span ? hhmm(span, &a) : 0;
            if (n <= 0 || span[n] != '-' || hhmm(span + n + 1, &b) <= 0 ||
                cxm_calendar_add_interval(l->calendar, d, a, b) != CXM_OK)
                return fail(path, "business hours are \"HH:MM-HH:MM\", not overlapping", span);
        }
    }
    for (size_t k = 0; k < json_array_size(hol); k++) {
        const char *date = json_string_value(json_array_get(hol, k));
        int y, m, d;
        if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
            cxm_calendar_add_holiday(l->calendar, y, m, d) != CXM_OK)
            return fail(path, "holidays are \"YYYY-MM-DD\"", date);
    }
    return 0;
}

static int read_scale(json_t *o, const char *k1, const char *k2, const char *k3, int32_t *a,
                      int32_t *b, int32_t *c)
{
    json_t *v1 = json_object_get(o, k1), *v2 = json_object_get(o, k2), *v3 = json_object_get(o, k3);
    if ((v1 && !json_is_integer(v1)) || (v2 && !json_is_integer(v2)) ||
        (v3 && !json_is_integer(v3)))
        return 1;
    if (v1) *a = (int32_t)json_integer_value(v1);
    if (v2) *b = (int32_t)json_integer_value(v2);
    if (v3) *c = (int32_t)json_integer_value(v3);
    return 0;
}

int layout_load_config(layout *l, const char *path)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        /* jansson gives no line for a file it could not open or read */
        if (err.line > 0)
            fprintf(stderr, "cxm-report: %s:%d:%d: %s\n", path, err.line, err.column, err.text);
        else
            fprintf(stderr, "cxm-report: %s\n", err.text);
        return 1;
    }
    int bad = 0;
    const char *preset = json_string_value(json_object_get(root, "preset"));
    if (preset && !layout_preset(l, preset)) bad = fail(path, "unknown preset", preset);
    if (!preset) layout_preset(l, "zendesk");
    const char *desc = json_string_value(json_object_get(root, "description"));
    snprintf(l->preset, sizeof l->preset, "config");
    if (desc) snprintf(l->description, sizeof l->description, "%s", desc);
    json_t *v;
    if (!bad && (v = json_object_get(root, "columns")))
        bad = read_columns(path, v, ticket_keys, l->ticket, T_ROLES);
    if (!bad && (v = json_object_get(root, "survey_columns")))
        bad = read_columns(path, v, survey_keys, l->survey, S_ROLES);
    const char *off = json_string_value(json_object_get(root, "utc_offset"));
    if (!bad && off && parse_offset(off, &l->utc_offset)) bad = fail(path, "bad utc_offset", off);
    if (!bad && (v = json_object_get(root, "priorities"))) bad = read_levels(path, v, l);
    if (!bad && (v = json_object_get(root, "business_hours"))) bad = read_calendar(path, v, l);
    if (!bad && (v = json_object_get(root, "csat")) &&
        read_scale(v, "min", "max", "satisfied_from", &l->csat.scale_min, &l->csat.scale_max,
                   &l->csat.threshold))
        bad = fail(path, "csat: min, max, satisfied_from are integers", NULL);
    if (!bad && (v = json_object_get(root, "ces"))) {
        const char *dir = json_string_value(json_object_get(v, "higher_is"));
        if (read_scale(v, "min", "max", "threshold", &l->ces.scale_min, &l->ces.scale_max,
                       &l->ces.threshold))
            bad = fail(path, "ces: min, max, threshold are integers", NULL);
        else if (dir && strcmp(dir, "effort") == 0)
            l->ces.direction = CXM_CES_HIGHER_IS_EFFORT;
        else if (dir && strcmp(dir, "easier") != 0)
            bad = fail(path, "ces: higher_is is \"easier\" or \"effort\"", dir);
    }
    const char *fcr = json_string_value(json_object_get(root, "fcr_profile"));
    if (!bad && fcr) {
        if (strcmp(fcr, "zendesk") == 0)
            l->fcr_profile = CXM_FCR_ZENDESK;
        else if (strcmp(fcr, "freshdesk") == 0)
            l->fcr_profile = CXM_FCR_FRESHDESK;
        else
            bad = fail(path, "fcr_profile is \"zendesk\" or \"freshdesk\"", fcr);
    }
    const char *delim = json_string_value(json_object_get(root, "delimiter"));
    if (!bad && delim) {
        if (strlen(delim) != 1 || delim[0] == '"' || delim[0] == '\n' || delim[0] == '\r')
            bad = fail(path, "delimiter is one character (\",\", \";\", \"\\t\")", delim);
        else
            l->delimiter = delim[0];
    }
    const char *brand = json_string_value(json_object_get(root, "our_brand"));
    if (brand) snprintf(l->our_brand, sizeof l->our_brand, "%s", brand);
    if ((v = json_object_get(root, "reply_counts"))) l->has_reply_counts = json_is_true(v);
    if ((v = json_object_get(root, "created_is_first_reply")))
        l->created_is_reply = json_is_true(v);
    for (uint32_t i = 0; !bad && i < l->levels; i++)
        if (l->level[i].mode == CXM_SLA_BUSINESS_HOURS && !l->calendar)
            bad = fail(path, "a business-hours target needs business_hours", l->level[i].names[0]);
    json_decref(root);
    return bad;
}
