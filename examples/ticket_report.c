/*
 * ticket_report.c — the ticket roll-up of a customer-support tickets CSV:
 * volume, resolution time (average, median, 9 in 10), satisfaction and
 * resolution within target, overall, by channel, by priority, by ticket
 * type and by agent, then resolution within target by channel and priority,
 * in plain words for whoever reads the support report: the input, the rows
 * read, counted and refused (and why), and "no data" where a group has
 * nothing to measure.
 *
 *   ticket_report [tickets.csv ...]
 *
 * The first file that opens is read (so a build can pass the public
 * dataset first and the small sample in examples/data as a fallback);
 * each file that does not open is named on stderr with the reason. An
 * empty file, a header without rows or more than 100000 rows (all are
 * kept, to learn the agents before the roll-up is made) is an error, never
 * a report of part of the file.
 * The dataset has no creation time: the first response stands in for it,
 * so resolution time here is first response -> resolution, and a row
 * resolved before its first response is refused (CXM_BAD_ORDER). It does
 * not count replies either, so FCR is not shown (every ticket would look
 * one-touch), and names no agent. The sample in examples/data adds a column
 * Assigned_Agent (after the 14 public ones; empty = unassigned): when the
 * header has it, every agent is a group of the roll-up and has its row in
 * the table; without it the report says the file names no agent. The SLA
 * targets are this example's own: resolution within 4, 8, 24 and 48 hours
 * of calendar time for Critical, High, Medium, Low. The channel x priority
 * table is read from the cells of the roll-up's one cross (channel x
 * priority), and the memory the roll-up uses is printed at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cxm.h>

#include "ticket_csv.h"

#define MAX_ROWS 100000
#define MAX_AGENTS 64
#define AGENT_COLUMN "Assigned_Agent"

/* The start and length of field `k` (0-based) of a CSV line without quoting; 0 if it has none. */
static int csv_field(const char *line, int k, const char **start, size_t *len)
{
    for (int i = 0; i < k; i++) {
        line = strchr(line, ',');
        if (!line) return 0;
        line++;
    }
    *start = line;
    *len = strcspn(line, ",\r\n");
    return 1;
}

/* The agent names of the file in order of appearance; ids are their indexes. */
static char agent_names[MAX_AGENTS][32];
static uint32_t agent_count;

/* The id of the agent named in field `column` of `line`: CXM_ROLLUP_NONE for none (no such column,
 * an empty field), MAX_AGENTS when the table is full (the roll-up then refuses the ticket). */
static uint32_t agent_id(const char *line, int column)
{
    const char *s = NULL;
    size_t n = 0;
    if (column < 0 || !csv_field(line, column, &s, &n) || n == 0) return CXM_ROLLUP_NONE;
    if (n >= sizeof agent_names[0]) n = sizeof agent_names[0] - 1;
    for (uint32_t a = 0; a < agent_count; a++)
        if (strlen(agent_names[a]) == n && memcmp(agent_names[a], s, n) == 0) return a;
    if (agent_count == MAX_AGENTS) return MAX_AGENTS;
    memcpy(agent_names[agent_count], s, n);
    agent_names[agent_count][n] = '\0';
    return agent_count++;
}

/* 1 if the satisfaction rating (field 13) holds something, a rating or not. */
static int csat_given(const char *line)
{
    const char *s = NULL;
    size_t n = 0;
    return csv_field(line, 13, &s, &n) && n > 0;
}

/* The column of the header named AGENT_COLUMN, or -1. */
static int agent_column(const char *header)
{
    const char *s = NULL;
    size_t n = 0;
    for (int k = 0; csv_field(header, k, &s, &n); k++)
        if (n == strlen(AGENT_COLUMN) && memcmp(s, AGENT_COLUMN, n) == 0) return k;
    return -1;
}

/* One row of the table; "no data" wherever the group has nothing to measure. */
static void print_group(const cxm_rollup *r, uint32_t kind, uint32_t id, const char *name)
{
    cxm_rollup_result g = {.size = sizeof g};
    if (cxm_rollup_result_get(r, kind, id, 0.95, &g) != CXM_OK) {
        printf("  %-22s %7s  no data\n", name, "0");
        return;
    }
    char times[64] = "       no data        ";
    cxm_duration_result t = {.size = sizeof t};
    if (cxm_rollup_duration_get(r, kind, id, CXM_ROLLUP_FULL_RESOLUTION, 0.95, &t) == CXM_OK)
        snprintf(times, sizeof times, "%6.2f  %6.2f  %7.2f", t.mean / 3600.0, t.median / 3600.0,
                 t.p90 / 3600.0);
    char csat[32] = "   no data  ";
    cxm_csat_result c = {.size = sizeof c};
    if (cxm_rollup_csat_get(r, kind, id, 0.95, &c) == CXM_OK)
        snprintf(csat, sizeof csat, "%6.1f%%  %4.2f", c.satisfied_pct, c.mean);
    char sla[48] = "no data";
    cxm_sla_result s = {.size = sizeof s};
    if (cxm_rollup_sla_get(r, kind, id, CXM_SLA_TOTAL_RESOLUTION, 0.95, &s) == CXM_OK &&
        s.has_compliance)
        snprintf(sla, sizeof sla, "%5.1f%% (%.1f%% to %.1f%%)", s.compliance_pct, s.ci.lower,
                 s.ci.upper);
    printf("  %-22s %7llu  %s  %s  %s\n", name, (unsigned long long)g.tickets, times, csat, sla);
}

/* Why a row was refused, in the words of this file's columns. */
static const char *refusal_words(uint32_t field)
{
    switch (field) {
    case CXM_TICKET_FIELD_FIRST_SOLVED: return "the resolution time is before the first response";
    case CXM_TICKET_FIELD_CREATED: return "no first response time";
    case CXM_TICKET_FIELD_CSAT: return "the satisfaction rating is not 1 to 5";
    case CXM_TICKET_FIELD_AGENT: return "more than 64 agents";
    default: return cxm_ticket_field_str(field);
    }
}

/* One cell of the channel x priority table: resolved in time, or "no data". */
static void print_cell(const cxm_rollup *r, uint32_t channel, uint32_t priority)
{
    uint32_t id = 0; /* the cell of cross 0 (channel x priority) */
    cxm_sla_result s = {.size = sizeof s};
    if (cxm_rollup_cell_id(r, 0, channel, priority, &id) == CXM_OK &&
        cxm_rollup_sla_get(r, CXM_ROLLUP_CELL, id, CXM_SLA_TOTAL_RESOLUTION, 0.95, &s) == CXM_OK &&
        s.has_compliance)
        printf("  %5.1f%% of %-3llu", s.compliance_pct,
               (unsigned long long)(s.achieved + s.breached));
    else
        printf("  %-13s", "no data");
}

/* The report's roll-up: channels, ticket types, priorities, the agents of the file (each a full
 * group) and one cross, channel x priority, whose cells are groups too. */
static cxm_status report_rollup(const cxm_sla_policy *policy, int64_t as_of, cxm_rollup **out)
{
    cxm_rollup_options o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.channels = TCSV_CHANNELS;
    o.topics = TCSV_TOPICS;
    o.priorities = TCSV_PRIORITIES;
    o.agents = agent_count;
    o.crosses = 1;
    o.cross[0] = (cxm_rollup_cross){CXM_ROLLUP_CHANNEL, CXM_ROLLUP_PRIORITY};
    o.sla_policy = policy;
    o.sla_as_of = as_of; /* the report instant: the last event in the file */
    return cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, out);
}

int main(int argc, char **argv)
{
    FILE *fp = NULL;
    const char *path = NULL;
    if (argc < 2) {
        fprintf(stderr, "usage: ticket_report tickets.csv [fallback.csv ...]\n");
        return 2;
    }
    for (int i = 1; i < argc && !fp; i++) {
        if ((fp = fopen(argv[i], "r")) != NULL)
            path = argv[i];
        else /* each file tried, and why it did not open */
            fprintf(stderr, "ticket_report: %s: %s%s\n", argv[i], strerror(errno),
                    i + 1 < argc ? "; trying the next file" : "");
    }
    if (!fp) return 2;
    tcsv_row *rows = malloc(MAX_ROWS * sizeof *rows);
    uint32_t *agent = malloc(MAX_ROWS * sizeof *agent);
    char line[4096];
    size_t n = 0;
    unsigned long malformed = 0;
    int64_t as_of = 0;
    if (!rows || !agent) {
        fprintf(stderr, "ticket_report: out of memory\n");
        fclose(fp);
        free(agent);
        free(rows);
        return 1;
    }
    int failed = !fgets(line, sizeof line, fp); /* header */
    int column = failed ? -1 : agent_column(line);
    while (!failed && n < MAX_ROWS && fgets(line, sizeof line, fp)) {
        if (!tcsv_parse(line, &rows[n])) {
            malformed++;
            continue;
        }
        /* A rating that is there but not 1-5 goes to the roll-up, which refuses the ticket
         * (named below) rather than count it as unanswered. */
        if (rows[n].csat == 0 && csat_given(line)) rows[n].csat = -1;
        agent[n] = agent_id(line, column);
        as_of = rows[n].resolution > as_of ? rows[n].resolution : as_of;
        as_of = rows[n].first_response > as_of ? rows[n].first_response : as_of;
        n++;
    }
    /* The rows are kept to learn the agents first: a longer file is refused, never cut. */
    int too_long = !failed && n == MAX_ROWS && fgets(line, sizeof line, fp);
    fclose(fp);
    const char *why = failed     ? "empty file (no header line)"
                      : too_long ? "more than 100000 ticket rows (this example keeps them all)"
                      : n + malformed == 0 ? "no ticket rows after the header"
                                           : NULL;
    if (why) {
        fprintf(stderr, "ticket_report: %s: %s\n", path, why);
        free(agent);
        free(rows);
        return 1;
    }

    /* Resolution targets per priority, hours of calendar time. */
    static const int64_t hours[TCSV_PRIORITIES] = {4, 8, 24, 48};
    cxm_sla_policy *policy = NULL;
    cxm_rollup *r = NULL;
    cxm_status st = cxm_sla_policy_new(TCSV_PRIORITIES, NULL, &policy);
    for (uint32_t p = 0; st == CXM_OK && p < TCSV_PRIORITIES; p++)
        st = cxm_sla_policy_set_target(policy, p, CXM_SLA_TOTAL_RESOLUTION, hours[p] * 3600,
                                       CXM_SLA_CALENDAR_TIME);
    if (st == CXM_OK) st = report_rollup(policy, as_of, &r);
    cxm_sla_policy_free(policy); /* the roll-up keeps its own copy */
    if (st != CXM_OK) {
        fprintf(stderr, "ticket_report: %s\n", cxm_status_str(st));
        cxm_rollup_free(r);
        free(agent);
        free(rows);
        return 1;
    }

    unsigned long refused[CXM_STATUS_COUNT] = {0}, refused_field[32] = {0};
    for (size_t i = 0; i < n; i++) {
        cxm_ticket t;
        memset(&t, 0, sizeof t);
        t.size = sizeof t;
        t.created = rows[i].first_response;
        t.first_reply = rows[i].first_response;
        t.first_solved = rows[i].resolution;
        t.agent_replies = 1;
        t.channel = rows[i].channel;
        t.priority = rows[i].priority;
        t.topic = rows[i].topic;
        t.agent = agent[i];
        if (rows[i].csat) {
            t.flags = CXM_TICKET_HAS_CSAT;
            t.csat = rows[i].csat;
        }
        uint32_t field = 0;
        st = cxm_rollup_add(r, &t, &field);
        if (st != CXM_OK) {
            refused[(uint32_t)st < CXM_STATUS_COUNT ? st : 0]++;
            refused_field[field < 32 ? field : 0]++;
        }
    }
    free(agent);
    free(rows);

    cxm_rollup_result all = {.size = sizeof all};
    failed |= cxm_rollup_result_get(r, CXM_ROLLUP_OVERALL, 0, 0.95, &all) != CXM_OK;
    unsigned long n_refused = 0;
    for (uint32_t f = 0; f < 32; f++)
        n_refused += refused_field[f];
    printf("cxm %s ticket report of %s\n", cxm_version_string(), path);
    printf("  %zu rows read, %llu tickets counted, %lu refused, %lu unreadable\n", n + malformed,
           (unsigned long long)all.tickets, n_refused, malformed);
    for (uint32_t f = 0; f < 32; f++)
        if (refused_field[f])
            printf("  refused because %s: %lu\n", refusal_words(f), refused_field[f]);
    for (uint32_t s = 1; s < CXM_STATUS_COUNT; s++)
        if (refused[s] && s != CXM_BAD_ORDER)
            printf("  (library status of %lu refusals: %s)\n", refused[s],
                   cxm_status_str((cxm_status)s));

    printf("\nHow to read the table\n"
           "  hours to resolve   from first response to resolution: the average, the middle\n"
           "                     ticket (median) and the time 9 tickets in 10 stay within\n"
           "  satisfied          share of satisfaction answers 4 or 5 (of 1-5), then the average\n"
           "  resolved in time   share of tickets resolved within their priority's target\n"
           "                     (Critical 4 h, High 8 h, Medium 24 h, Low 48 h), with its 95%%\n"
           "                     interval: the range that very likely holds the true share;\n"
           "                     few tickets give a wide range\n"
           "  no data            nothing to measure in that group (never shown as 0)\n\n");
    printf("  %-22s %7s  %-22s  %-12s  %s\n", "", "", "hours to resolve", "satisfied",
           "resolved in time");
    printf("  %-22s %7s  %6s  %6s  %7s  %7s  %4s  %s\n", "group", "tickets", "avg", "median",
           "9 in 10", "share", "avg", "(95% interval)");
    print_group(r, CXM_ROLLUP_OVERALL, 0, "all tickets");
    printf("by channel\n");
    for (uint32_t c = 0; c < TCSV_CHANNELS; c++)
        print_group(r, CXM_ROLLUP_CHANNEL, c, tcsv_channel_names[c]);
    printf("by priority\n");
    for (uint32_t p = 0; p < TCSV_PRIORITIES; p++)
        print_group(r, CXM_ROLLUP_PRIORITY, p, tcsv_priority_names[p]);
    printf("by ticket type\n");
    for (uint32_t k = 0; k < TCSV_TOPICS; k++)
        print_group(r, CXM_ROLLUP_TOPIC, k, tcsv_topic_names[k]);
    printf("by agent\n");
    if (column < 0) printf("  no data: the file names no agent\n");
    uint64_t assigned = 0;
    for (uint32_t a = 0; a < agent_count; a++) {
        cxm_rollup_result g = {.size = sizeof g};
        if (cxm_rollup_result_get(r, CXM_ROLLUP_AGENT, a, 0.95, &g) == CXM_OK)
            assigned += g.tickets;
        print_group(r, CXM_ROLLUP_AGENT, a, agent_names[a]);
    }
    /* Tickets with an empty agent field are in no agent's row: say how many. */
    if (column >= 0 && all.tickets > assigned)
        printf("  %llu counted tickets name no agent\n",
               (unsigned long long)(all.tickets - assigned));

    printf("\nResolved in time by channel and priority (share of the tickets whose target "
           "ended)\n  %-12s",
           "");
    for (uint32_t p = 0; p < TCSV_PRIORITIES; p++)
        printf("  %-13s", tcsv_priority_names[p]);
    printf("\n");
    for (uint32_t c = 0; c < TCSV_CHANNELS; c++) {
        printf("  %-12s", tcsv_channel_names[c]);
        for (uint32_t p = 0; p < TCSV_PRIORITIES; p++)
            print_cell(r, c, p);
        printf("\n");
    }
    size_t used = 0;
    failed |= cxm_rollup_memory(r, &used, NULL) != CXM_OK;
    printf("\nMemory the roll-up uses: %.1f KiB\n", (double)used / 1024.0);
    cxm_rollup_free(r);
    return failed || malformed ? 1 : 0;
}
