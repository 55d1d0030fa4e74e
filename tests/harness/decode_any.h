/*
 * decode_any.h — decodes an encoding with the decoder of the family its
 * envelope names, accumulator (a row of the family table) or configuration
 * (calendar, SLA policy), and frees what it made: for tests that judge
 * hostile bytes of any family. No cmocka here.
 */
#ifndef CXM_DECODE_ANY_H
#define CXM_DECODE_ANY_H

#include <cxm.h>

#include "families.h"

static inline cxm_status cxm_da_calendar_(const uint8_t *b, size_t l, const cxm_allocator *a,
                                          void **o)
{
    return cxm_calendar_decode(b, l, a, (cxm_calendar **)o);
}
static inline void cxm_da_calendar_free_(void *p)
{
    cxm_calendar_free(p);
}
static inline cxm_status cxm_da_policy_(const uint8_t *b, size_t l, const cxm_allocator *a,
                                        void **o)
{
    return cxm_sla_policy_decode(b, l, a, (cxm_sla_policy **)o);
}
static inline void cxm_da_policy_free_(void *p)
{
    cxm_sla_policy_free(p);
}

/*
 * Decodes through `alloc` and frees the object again. CXM_WRONG_TYPE when
 * no decoder here knows the family; *made (may be NULL) tells whether a
 * refused decode still returned an object (it must not).
 */
static inline cxm_status cxm_decode_any(const uint8_t *buf, size_t len, const cxm_allocator *alloc,
                                        int *made)
{
    uint32_t fam = 0, ver = 0;
    cxm_status st = cxm_encoded_info(buf, len, &fam, &ver);
    if (made) *made = 0;
    if (st != CXM_OK) return st;
    cxm_status (*decode)(const uint8_t *, size_t, const cxm_allocator *, void **) = NULL;
    void (*destroy)(void *) = NULL;
    const cxm_family_ops *f = cxm_family_by_id(fam);
    if (f) {
        decode = f->decode;
        destroy = f->destroy;
    } else if (fam == CXM_FAMILY_CALENDAR) {
        decode = cxm_da_calendar_;
        destroy = cxm_da_calendar_free_;
    } else if (fam == CXM_FAMILY_SLA_POLICY) {
        decode = cxm_da_policy_;
        destroy = cxm_da_policy_free_;
    }
    if (!decode) return CXM_WRONG_TYPE;
    void *obj = NULL;
    st = decode(buf, len, alloc, &obj);
    if (obj) {
        if (made && st != CXM_OK) *made = 1;
        destroy(obj);
    }
    return st;
}

#endif
