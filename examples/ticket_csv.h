/*
 * ticket_csv.h — reads one row of the customer-support tickets CSV (the
 * public "customer_support_tickets.csv" layout: 14 comma-separated columns,
 * no quoting) into the fields the ticket roll-up needs. Shared by
 * examples/ticket_report.c and tests/test_rollup.c; it knows nothing of
 * cxm, so what it parses is independent of the library.
 *
 * Columns used: 8 Ticket_Type (topic), 10 Ticket_Priority, 11
 * Ticket_Channel, 12 First_Response_Time, 13 Time_to_Resolution,
 * 14 Customer_Satisfaction_Rating (1-5, may be empty). Timestamps are
 * "YYYY-MM-DD HH:MM", taken as UTC.
 */
#ifndef CXM_EXAMPLES_TICKET_CSV_H
#define CXM_EXAMPLES_TICKET_CSV_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TCSV_CHANNELS 4
#define TCSV_PRIORITIES 4
#define TCSV_TOPICS 5

static const char *const tcsv_channel_names[TCSV_CHANNELS] = {"Chat", "Email", "Phone",
                                                              "Social media"};
/* Priority ids follow the SLA convention: 0 is the most urgent. */
static const char *const tcsv_priority_names[TCSV_PRIORITIES] = {"Critical", "High", "Medium",
                                                                 "Low"};
static const char *const tcsv_topic_names[TCSV_TOPICS] = {"Billing inquiry", "Cancellation request",
                                                          "Product inquiry", "Refund request",
                                                          "Technical issue"};

typedef struct tcsv_row {
    uint32_t topic, priority, channel;
    int64_t first_response; /* Unix seconds */
    int64_t resolution;     /* Unix seconds */
    int32_t csat;           /* 1-5, or 0 when absent */
} tcsv_row;

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static inline int64_t tcsv_days(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DD HH:MM" -> Unix seconds in *out; returns 0 on a malformed field, else 1. */
static inline int tcsv_time(const char *s, size_t n, int64_t *out)
{
    int64_t v[5] = {0, 0, 0, 0, 0};
    int k = 0;
    size_t digits = 0;
    for (size_t i = 0; i < n && k < 5; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            v[k] = v[k] * 10 + (s[i] - '0');
            digits++;
        } else if (digits > 0) {
            k++;
            digits = 0;
        }
    }
    if (digits > 0) k++;
    if (k != 5 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[3] > 23 || v[4] > 59) return 0;
    /* A day the month does not have (2024-02-31) is malformed, not the 2nd of March. */
    static const int64_t month_days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
    if (v[2] > month_days[v[1] - 1] || (v[1] == 2 && v[2] == 29 && !leap)) return 0;
    *out = tcsv_days(v[0], v[1], v[2]) * 86400 + v[3] * 3600 + v[4] * 60;
    return 1;
}

static inline int tcsv_lookup(const char *s, size_t n, const char *const *names, uint32_t count,
                              uint32_t *out)
{
    for (uint32_t i = 0; i < count; i++)
        if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0) {
            *out = i;
            return 1;
        }
    return 0;
}

/* Parses one data line (no header); 1 on success, 0 if the line is malformed. */
static inline int tcsv_parse(const char *line, tcsv_row *row)
{
    const char *f[14];
    size_t len[14];
    int nf = 0;
    const char *p = line;
    while (nf < 14) {
        const char *e = p;
        while (*e && *e != ',' && *e != '\n' && *e != '\r')
            e++;
        f[nf] = p;
        len[nf] = (size_t)(e - p);
        nf++;
        if (*e != ',') break;
        p = e + 1;
    }
    memset(row, 0, sizeof *row);
    if (nf != 14) return 0;
    if (len[13] == 1 && f[13][0] >= '1' && f[13][0] <= '5') row->csat = f[13][0] - '0';
    return tcsv_lookup(f[7], len[7], tcsv_topic_names, TCSV_TOPICS, &row->topic) &&
           tcsv_lookup(f[9], len[9], tcsv_priority_names, TCSV_PRIORITIES, &row->priority) &&
           tcsv_lookup(f[10], len[10], tcsv_channel_names, TCSV_CHANNELS, &row->channel) &&
           tcsv_time(f[11], len[11], &row->first_response) &&
           tcsv_time(f[12], len[12], &row->resolution);
}

#endif
