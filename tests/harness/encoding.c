/*
 * encoding.c — helpers over the family table that are not per family
 * (kept apart from families.c, which holds one section per family).
 */
#include <stdlib.h>

#include "families.h"

uint8_t *cxm_family_encoding(const cxm_family_ops *f, const void *acc, size_t *len)
{
    *len = 0;
    if (f->encode(acc, NULL, 0, len) != CXM_BUFFER_TOO_SMALL || *len == 0)
        return NULL;
    uint8_t *buf = malloc(*len);
    size_t got = 0;
    if (buf && f->encode(acc, buf, *len, &got) == CXM_OK && got == *len)
        return buf;
    free(buf);
    return NULL;
}
