/*
 * values.c — the text of one field into a value: timestamps (with or
 * without a UTC offset), offsets, counts and numbers. Strict: trailing
 * garbage is an error, so a bad cell is reported rather than half-read.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "report.h"

static int month_days(int64_t y, int64_t m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

/* Reads 1..max digits; returns the count read. */
static int digits(const char **p, int max, int64_t *v)
{
    int k = 0;
    *v = 0;
    while (k < max && isdigit((unsigned char)**p)) {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        k++;
    }
    return k;
}

int parse_offset(const char *s, int32_t *out)
{
    while (*s == ' ')
        s++;
    if (*s == 'Z' || *s == 'z' || strcmp(s, "UTC") == 0 || strcmp(s, "GMT") == 0) {
        *out = 0;
        return s[0] == 'Z' || s[0] == 'z' ? (s[1] != '\0') : 0;
    }
    if (*s != '+' && *s != '-') return 1;
    int sign = *s == '-' ? -1 : 1;
    s++;
    int64_t h, m = 0;
    if (digits(&s, 2, &h) != 2) return 1;
    if (*s == ':') s++;
    if (*s && digits(&s, 2, &m) != 2) return 1;
    if (*s || h > 18 || m > 59) return 1;
    *out = (int32_t)(sign * (h * 3600 + m * 60));
    return 0;
}

int parse_time(const char *s, int32_t offset, int64_t *out)
{
    const char *p = s;
    int64_t y, mo, d, h = 0, mi = 0, se = 0, frac;
    while (*p == ' ')
        p++;
    if (digits(&p, 4, &y) != 4 || (*p != '-' && *p != '/')) return 1;
    char sep = *p++;
    if (digits(&p, 2, &mo) < 1 || *p++ != sep || digits(&p, 2, &d) < 1) return 1;
    if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo)) return 1;
    if (*p == 'T' || *p == ' ') {
        const char *q = p + 1;
        if (isdigit((unsigned char)*q)) {
            p = q;
            if (digits(&p, 2, &h) < 1 || *p++ != ':' || digits(&p, 2, &mi) != 2) return 1;
            if (*p == ':') {
                p++;
                if (digits(&p, 2, &se) != 2) return 1;
                if (*p == '.' || *p == ',') {
                    p++;
                    if (digits(&p, 9, &frac) < 1) return 1; /* sub-second part: dropped */
                }
            }
            if (h > 23 || mi > 59 || se > 60) return 1;
        }
    }
    if (*p) {
        if (parse_offset(p, &offset) != 0) return 1;
    }
    /* The C library's UTC calendar (timegm never reads TZ), then the offset. */
    struct tm tm = {.tm_year = (int)(y - 1900),
                    .tm_mon = (int)(mo - 1),
                    .tm_mday = (int)d,
                    .tm_hour = (int)h,
                    .tm_min = (int)mi,
                    .tm_sec = (int)se};
    *out = (int64_t)timegm(&tm) - offset;
    return 0;
}

int parse_uint(const char *s, uint32_t *out)
{
    while (*s == ' ')
        s++;
    if (!isdigit((unsigned char)*s)) return 1;
    errno = 0;
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    while (*end == ' ')
        end++;
    if (errno || *end || v > UINT32_MAX) return 1;
    *out = (uint32_t)v;
    return 0;
}

int parse_number(const char *s, double *out)
{
    while (*s == ' ')
        s++;
    if (!*s) return 1;
    /* Whole numbers, the common case in exports, without strtod. */
    const char *p = s;
    int64_t whole = 0;
    while (*p >= '0' && *p <= '9' && whole < (INT64_C(1) << 50))
        whole = whole * 10 + (*p++ - '0');
    if (!*p && p > s) {
        *out = (double)whole;
        return 0;
    }
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (errno || *end || !isfinite(v)) return 1;
    *out = v;
    return 0;
}
