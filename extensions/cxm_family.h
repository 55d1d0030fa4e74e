/*
 * cxm_family.h — the verbs every cxm family shares (encode, decode, merge,
 * clone, free) behind one signature, so that a database binding writes its
 * plumbing once for all families. Used by the PostgreSQL and SQLite
 * extensions.
 */
#ifndef CXM_EXT_FAMILY_H
#define CXM_EXT_FAMILY_H

#include <cxm.h>

typedef struct family {
    uint32_t id;      /* cxm_family */
    const char *name; /* the name the database shows */
    cxm_status (*encode)(const void *obj, uint8_t *buf, size_t cap, size_t *len);
    cxm_status (*decode)(const uint8_t *buf, size_t len, const cxm_allocator *a, void **out);
    cxm_status (*merge)(void *dst, const void *src);
    cxm_status (*clone)(const void *obj, const cxm_allocator *a, void **out);
    void (*destroy)(void *obj);
} family;

/* Defines `fam_<fam>`, the table of cxm_<fam>_* verbs. */
#define FAMILY(fam, ID, NAME)                                                                      \
    static cxm_status fam##_enc(const void *o, uint8_t *b, size_t c, size_t *l)                    \
    {                                                                                              \
        return cxm_##fam##_encode((const cxm_##fam *)o, b, c, l);                                  \
    }                                                                                              \
    static cxm_status fam##_dec(const uint8_t *b, size_t l, const cxm_allocator *a, void **o)      \
    {                                                                                              \
        cxm_##fam *p = NULL;                                                                       \
        cxm_status st = cxm_##fam##_decode(b, l, a, &p);                                           \
        *o = p;                                                                                    \
        return st;                                                                                 \
    }                                                                                              \
    static cxm_status fam##_mrg(void *d, const void *s)                                            \
    {                                                                                              \
        return cxm_##fam##_merge((cxm_##fam *)d, (const cxm_##fam *)s);                            \
    }                                                                                              \
    static cxm_status fam##_cln(const void *o, const cxm_allocator *a, void **out)                 \
    {                                                                                              \
        cxm_##fam *p = NULL;                                                                       \
        cxm_status st = cxm_##fam##_clone((const cxm_##fam *)o, a, &p);                            \
        *out = p;                                                                                  \
        return st;                                                                                 \
    }                                                                                              \
    static void fam##_del(void *o)                                                                 \
    {                                                                                              \
        cxm_##fam##_free((cxm_##fam *)o);                                                          \
    }                                                                                              \
    static const family fam_##fam = {ID,        NAME,      fam##_enc, fam##_dec,                   \
                                     fam##_mrg, fam##_cln, fam##_del}

#endif /* CXM_EXT_FAMILY_H */
