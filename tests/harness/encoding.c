/*
 * encoding.c — helpers over the family table that are not per family
 * (kept apart from families.c, which holds one section per family).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "families.h"

uint8_t *cxm_family_encoding(const cxm_family_ops *f, const void *acc, size_t *len)
{
    *len = 0;
    if (f->encode(acc, NULL, 0, len) != CXM_BUFFER_TOO_SMALL || *len == 0) return NULL;
    uint8_t *buf = malloc(*len);
    size_t got = 0;
    if (buf && f->encode(acc, buf, *len, &got) == CXM_OK && got == *len) return buf;
    free(buf);
    return NULL;
}

const cxm_family_ops *cxm_family_by_id(uint32_t family)
{
    for (size_t i = 0; i < cxm_family_count; i++)
        if (cxm_families[i].family == family) return &cxm_families[i];
    return NULL;
}

uint32_t cxm_family_version(const cxm_family_ops *f)
{
    /* The newest any variant writes: a family may keep an older format for some configurations
     * (a frozen roll-up still writes version 2, a live one 3). */
    uint32_t newest = 0;
    for (uint32_t v = 0; v < f->variants; v++) {
        void *acc = NULL;
        uint32_t fam = 0, ver = 0;
        if (f->make(NULL, v, &acc) != CXM_OK) return 0;
        size_t len;
        uint8_t *b = cxm_family_encoding(f, acc, &len);
        if (!b || cxm_encoded_info(b, len, &fam, &ver) != CXM_OK) ver = 0;
        free(b);
        f->destroy(acc);
        newest = ver > newest ? ver : newest;
    }
    return newest;
}

size_t cxm_vector_read(const char *path, uint8_t *buf, size_t cap)
{
    FILE *fp = fopen(path, "r");
    if (!fp) return SIZE_MAX;
    size_t len = 0;
    unsigned v;
    while (len < cap && fscanf(fp, "%2x", &v) == 1)
        buf[len++] = (uint8_t)v;
    fclose(fp);
    return len;
}

int cxm_vector_write(const char *path, const uint8_t *buf, size_t len)
{
    FILE *fp = fopen(path, "w");
    if (!fp) return -1;
    for (size_t i = 0; i < len; i++)
        fprintf(fp, "%02x%s", buf[i], (i % 16 == 15 || i + 1 == len) ? "\n" : " ");
    return fclose(fp) == 0 ? 0 : -1;
}

int cxm_summary_write(const char *path, const cxm_family_ops *f, const void *acc)
{
    static double v[CXM_SUMMARY_MAX];
    size_t n = 0;
    cxm_status st = f->summary(acc, v, CXM_SUMMARY_MAX, &n);
    if (n > CXM_SUMMARY_MAX) return -1;
    FILE *fp = fopen(path, "w");
    if (!fp) return -1;
    fprintf(fp, "# %s: the family table's summary of the decoded vector\n", f->name);
    fprintf(fp, "status %d\nvalues %zu\n", (int)st, n);
    for (size_t i = 0; i < n; i++)
        fprintf(fp, "%.17g\n", v[i]);
    return fclose(fp) == 0 ? 0 : -1;
}

int cxm_summary_read(const char *path, int *status, double *values, size_t cap, size_t *n)
{
    FILE *fp = fopen(path, "r");
    if (!fp) return -1;
    char line[256];
    size_t want = 0, got = 0;
    int have_status = 0, have_count = 0, ok = 1;
    while (ok && fgets(line, sizeof line, fp)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        if (strncmp(line, "status ", 7) == 0)
            have_status = sscanf(line + 7, "%d", status) == 1;
        else if (strncmp(line, "values ", 7) == 0)
            have_count = sscanf(line + 7, "%zu", &want) == 1;
        else if (got < cap)
            ok = sscanf(line, "%lf", &values[got++]) == 1;
        else
            ok = 0;
    }
    fclose(fp);
    *n = got;
    return ok && have_status && have_count && got == want ? 0 : -1;
}
