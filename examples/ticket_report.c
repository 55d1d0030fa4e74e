/*
 * ticket_report.c — the ticket roll-up of a customer-support tickets CSV:
 * volume and resolution time (mean, median, p90) overall, by channel, by
 * priority and by ticket type, and the rows refused as contradictory. (The
 * dataset does not count replies, so FCR is not shown: every ticket would
 * look one-touch.)
 *
 *   ticket_report [tickets.csv ...]
 *
 * The first file that opens is read (so a build can pass the public
 * dataset first and the small sample in examples/data as a fallback).
 * The dataset has no creation time: the first response stands in for it,
 * so resolution time here is first response -> resolution, and a row
 * resolved before its first response is refused (CXM_BAD_ORDER).
 */
#include <stdio.h>
#include <string.h>

#include <cxm.h>

#include "ticket_csv.h"

static int check(cxm_status st, const char *what)
{
    if (st == CXM_OK || st == CXM_EMPTY) return 0;
    fprintf(stderr, "ticket_report: %s: %s\n", what, cxm_status_str(st));
    return 1;
}

static void print_group(const cxm_rollup *r, uint32_t kind, uint32_t id, const char *name)
{
    cxm_rollup_result g = {.size = sizeof g};
    if (cxm_rollup_result_get(r, kind, id, 0.95, &g) != CXM_OK) {
        printf("  %-22s %7s\n", name, "-");
        return;
    }
    cxm_rollup_time_result t = {.size = sizeof t};
    char times[64] = "-";
    if (cxm_rollup_time_get(r, kind, id, CXM_ROLLUP_FULL_RESOLUTION, &t) == CXM_OK)
        snprintf(times, sizeof times, "%6.2f %6.2f %6.2f", t.mean / 3600.0, t.median / 3600.0,
                 t.p90 / 3600.0);
    printf("  %-22s %7llu  %s\n", name, (unsigned long long)g.tickets, times);
}

int main(int argc, char **argv)
{
    FILE *fp = NULL;
    const char *path = NULL;
    for (int i = 1; i < argc && !fp; i++)
        if ((fp = fopen(argv[i], "r")) != NULL) path = argv[i];
    if (!fp) {
        fprintf(stderr, "usage: ticket_report tickets.csv [fallback.csv ...]\n");
        return 2;
    }
    cxm_rollup_options o = {sizeof o, 0, TCSV_CHANNELS, TCSV_TOPICS, TCSV_PRIORITIES, 0, 0, 0};
    cxm_rollup *r = NULL;
    if (check(cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &r), "create")) {
        fclose(fp);
        return 1;
    }
    char line[4096];
    unsigned long rows = 0, malformed = 0, refused[CXM_STATUS_COUNT] = {0};
    unsigned long refused_field[16] = {0};
    int failed = !fgets(line, sizeof line, fp); /* header */
    while (!failed && fgets(line, sizeof line, fp)) {
        tcsv_row row;
        rows++;
        if (!tcsv_parse(line, &row)) {
            malformed++;
            continue;
        }
        cxm_ticket t;
        memset(&t, 0, sizeof t);
        t.size = sizeof t;
        t.created = row.first_response;
        t.first_reply = row.first_response;
        t.first_solved = row.resolution;
        t.agent_replies = 1;
        t.channel = row.channel;
        t.priority = row.priority;
        t.topic = row.topic;
        t.agent = CXM_ROLLUP_NONE;
        uint32_t field = 0;
        cxm_status st = cxm_rollup_add(r, &t, &field);
        if (st != CXM_OK) {
            refused[st < CXM_STATUS_COUNT ? st : 0]++;
            refused_field[field < 16 ? field : 0]++;
        }
    }
    fclose(fp);

    cxm_rollup_result all = {.size = sizeof all};
    failed |= check(cxm_rollup_result_get(r, CXM_ROLLUP_OVERALL, 0, 0.95, &all), "result");
    printf("%s: %lu rows, %llu rolled up, %lu malformed\n", path, rows,
           (unsigned long long)all.tickets, malformed);
    for (uint32_t s = 1; s < CXM_STATUS_COUNT; s++)
        if (refused[s]) printf("refused: %lu (%s)\n", refused[s], cxm_status_str((cxm_status)s));
    for (uint32_t f = 1; f < 16; f++)
        if (refused_field[f])
            printf("  field %s: %lu\n", cxm_ticket_field_str(f), refused_field[f]);
    printf("\n  %-22s %7s  %s\n", "group", "tickets", "resolution, hours: mean median p90");
    print_group(r, CXM_ROLLUP_OVERALL, 0, "all");
    printf("by channel\n");
    for (uint32_t c = 0; c < TCSV_CHANNELS; c++)
        print_group(r, CXM_ROLLUP_CHANNEL, c, tcsv_channel_names[c]);
    printf("by priority\n");
    for (uint32_t p = 0; p < TCSV_PRIORITIES; p++)
        print_group(r, CXM_ROLLUP_PRIORITY, p, tcsv_priority_names[p]);
    printf("by ticket type\n");
    for (uint32_t k = 0; k < TCSV_TOPICS; k++)
        print_group(r, CXM_ROLLUP_TOPIC, k, tcsv_topic_names[k]);
    cxm_rollup_free(r);
    return failed || malformed ? 1 : 0;
}
