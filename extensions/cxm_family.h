/*
 * cxm_family.h — what the PostgreSQL and SQLite extensions share: the verbs
 * every cxm family has (encode, decode, merge, clone, free) behind one
 * signature, so that a binding writes its plumbing once for all families,
 * and the names both show in SQL (NPS kinds, SLA metrics, FCR profiles,
 * roll-up groups and times), so the two cannot drift apart.
 */
#ifndef CXM_EXT_FAMILY_H
#define CXM_EXT_FAMILY_H

#include <stddef.h>
#include <string.h>

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

/* Defines `fam_<fam>`, the table of cxm_<fam>_* verbs; its name is the family's stem. */
#define FAMILY(fam, ID)                                                                            \
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
    static const family fam_##fam = {ID,        #fam,      fam##_enc, fam##_dec,                   \
                                     fam##_mrg, fam##_cln, fam##_del}

/* Every family the extensions expose: X(stem, cxm_family id). */
#define EXT_FAMILIES(X)                                                                            \
    X(nps, CXM_FAMILY_NPS)                                                                         \
    X(nps_panel, CXM_FAMILY_NPS_PANEL)                                                             \
    X(csat, CXM_FAMILY_CSAT)                                                                       \
    X(ces, CXM_FAMILY_CES)                                                                         \
    X(rate, CXM_FAMILY_RATE)                                                                       \
    X(duration, CXM_FAMILY_DURATION)                                                               \
    X(sla, CXM_FAMILY_SLA)                                                                         \
    X(rollup, CXM_FAMILY_ROLLUP)                                                                   \
    X(churn, CXM_FAMILY_CHURN)

/* Competitor brands one panel state holds; merge refuses a union that does not fit. */
#define EXT_PANEL_CAPACITY 64u

/* The times a SQL roll-up keeps: first reply, first and full resolution (MTTR). */
#define EXT_ROLLUP_TIMES                                                                           \
    ((1u << CXM_ROLLUP_FIRST_REPLY) | (1u << CXM_ROLLUP_FIRST_RESOLUTION) |                        \
     (1u << CXM_ROLLUP_FULL_RESOLUTION))

/* A name's index in a NULL-terminated table starting at `base`, or 0xFFFFFFFF. */
static inline uint32_t ext_name_index(const char *const *names, uint32_t base, const char *s,
                                      size_t n)
{
    for (uint32_t i = 0; names[i]; i++)
        if (strlen(names[i]) == n && memcmp(s, names[i], n) == 0) return base + i;
    return 0xFFFFFFFFu;
}

/* Indexed by cxm_nps_kind - 1. */
static const char *const ext_nps_kind_names[] = {"relational", "transactional", "competitive",
                                                 NULL};
/* Indexed by cxm_sla_metric. */
static const char *const ext_sla_metric_names[CXM_SLA_METRIC_COUNT + 1] = {
    "first_reply",    "next_reply", "periodic_update",  "pausable_update",
    "requester_wait", "agent_work", "total_resolution", NULL};
/* Indexed by cxm_fcr_profile - 1. */
static const char *const ext_fcr_profile_names[] = {"zendesk", "freshdesk", NULL};
/* Indexed by cxm_rollup_group. */
static const char *const ext_rollup_group_names[] = {"overall", "channel", "topic", "priority",
                                                     NULL};
/* Indexed by cxm_rollup_time: the three a SQL roll-up keeps (EXT_ROLLUP_TIMES). */
static const char *const ext_rollup_time_names[] = {"first_reply", "first_resolution",
                                                    "full_resolution", NULL};

static inline const char *ext_nps_kind_name(uint32_t kind)
{
    return kind >= CXM_NPS_RELATIONAL && kind <= CXM_NPS_COMPETITIVE ? ext_nps_kind_names[kind - 1]
                                                                     : "unknown";
}

#endif /* CXM_EXT_FAMILY_H */
