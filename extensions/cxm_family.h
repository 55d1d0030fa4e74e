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
#include <stdio.h>
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

/* The times a SQL roll-up keeps: first reply, first and full resolution (MTTR), handle time (AHT).
 */
#define EXT_ROLLUP_TIMES                                                                           \
    ((1u << CXM_ROLLUP_FIRST_REPLY) | (1u << CXM_ROLLUP_FIRST_RESOLUTION) |                        \
     (1u << CXM_ROLLUP_FULL_RESOLUTION) | (1u << CXM_ROLLUP_HANDLE_TIME))

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
/* Indexed by cxm_rollup_group: the groups a reader names with one id. A cell of a cross
 * is named by its two dimensions and their ids instead (ext_rollup_cell). */
static const char *const ext_rollup_group_names[] = {"overall",  "channel", "topic",
                                                     "priority", "agent",   NULL};
/* The group names of ext_rollup_group_names a cross may pair: every kind but "overall". */
#define EXT_ROLLUP_IS_DIMENSION(kind) ((kind) >= CXM_ROLLUP_CHANNEL && (kind) <= CXM_ROLLUP_AGENT)
/* Indexed by cxm_rollup_agent_kind: options "agent_kind". */
static const char *const ext_rollup_agent_kind_names[] = {"groups", "counts", NULL};
/* The times a SQL roll-up keeps (EXT_ROLLUP_TIMES), by name; ext_rollup_time_ids their
 * cxm_rollup_time. */
static const char *const ext_rollup_time_names[] = {"first_reply", "first_resolution",
                                                    "full_resolution", "handle_time", NULL};
static const uint32_t ext_rollup_time_ids[] = {CXM_ROLLUP_FIRST_REPLY, CXM_ROLLUP_FIRST_RESOLUTION,
                                               CXM_ROLLUP_FULL_RESOLUTION, CXM_ROLLUP_HANDLE_TIME};
/* The rates of one roll-up group a SQL reader names (ext_rollup_rate picks one). */
static const char *const ext_rollup_rate_names[] = {"fcr",        "reopen",   "deflection",
                                                    "unresolved", "transfer", NULL};

/* A time's name -> its cxm_rollup_time, or 0xFFFFFFFF. */
static inline uint32_t ext_rollup_time(const char *s, size_t n)
{
    uint32_t i = ext_name_index(ext_rollup_time_names, 0, s, n);
    return i == 0xFFFFFFFFu ? i : ext_rollup_time_ids[i];
}

/* Rate `which` (an index of ext_rollup_rate_names) of a group's result; *has: it has a value. */
static inline const cxm_rate_result *ext_rollup_rate(const cxm_rollup_result *r, uint32_t which,
                                                     int *has)
{
    switch (which) {
    case 0: *has = r->has_fcr != 0; return &r->fcr;
    case 1: *has = r->has_reopen != 0; return &r->reopen;
    case 2: *has = r->has_deflection != 0; return &r->deflection;
    case 3: *has = r->has_unresolved_share != 0; return &r->unresolved_share;
    default: *has = r->has_transfer_rate != 0; return &r->transfer_rate;
    }
}

/*
 * The fields the ticket record grew, as both extensions take them: an NPS
 * answer (has_nps: not NULL), transfers, handle time in seconds (NULL: 0)
 * and "closed without a resolution". Range checks are the library's.
 */
static inline void ext_ticket_story(cxm_ticket *t, int has_nps, int32_t nps, uint32_t transfers,
                                    double handle_time, int unresolved)
{
    if (has_nps) {
        t->flags |= CXM_TICKET_HAS_NPS;
        t->nps = nps;
    }
    t->transfers = transfers;
    t->handle_time = handle_time;
    if (unresolved) t->flags |= CXM_TICKET_UNRESOLVED;
}

/* Whether a roll-up keeps `time` (a state made before a time was added keeps fewer). */
static inline int ext_rollup_keeps(const cxm_rollup *ru, uint32_t time)
{
    uint32_t profile;
    cxm_rollup_options o = {.size = sizeof o};
    return cxm_rollup_config(ru, &profile, &o) == CXM_OK && (o.times >> time & 1u);
}

/*
 * The group a per-group reader names: (*group, *id) as given, or with
 * `cell` the cell of a cross where dimension *group has id *id and
 * dimension `second` has id `second_id` (dimensions: channel, topic,
 * priority, agent), found in the cross the options named [*group, second]
 * or else [second, *group], so that a reader may name the two either way
 * round; then *group = CXM_ROLLUP_CELL and *id the cell's id.
 * CXM_INVALID_ARGUMENT with `why` filled in: not two dimensions, no such
 * cross, or an agent of a roll-up keeping counts only per agent;
 * CXM_CAPACITY: a cell's id beyond its dimension's capacity.
 */
static inline cxm_status ext_rollup_target(const cxm_rollup *ru, uint32_t *group, uint32_t *id,
                                           int cell, uint32_t second, uint32_t second_id, char *why,
                                           size_t whycap)
{
    uint32_t profile;
    cxm_rollup_options o = {.size = sizeof o};
    cxm_status st = cxm_rollup_config(ru, &profile, &o);
    if (st != CXM_OK) return st;
    uint32_t first = *group, first_id = *id;
    if (!cell) {
        if (first == CXM_ROLLUP_AGENT && o.agent_kind == CXM_ROLLUP_AGENT_COUNTS) {
            snprintf(why, whycap,
                     "this roll-up keeps tickets and solved only per agent "
                     "(options \"agent_kind\": \"counts\"): rollup_agent reads them");
            return CXM_INVALID_ARGUMENT;
        }
        return CXM_OK;
    }
    if (!EXT_ROLLUP_IS_DIMENSION(first) || !EXT_ROLLUP_IS_DIMENSION(second)) {
        snprintf(why, whycap,
                 "a cell is named by two of channel, topic, priority and agent, "
                 "each with its id");
        return CXM_INVALID_ARGUMENT;
    }
    *group = CXM_ROLLUP_CELL;
    for (uint32_t j = 0; j < o.crosses; j++)
        if (o.cross[j].first == first && o.cross[j].second == second)
            return cxm_rollup_cell_id(ru, j, first_id, second_id, id);
    for (uint32_t j = 0; j < o.crosses; j++)
        if (o.cross[j].first == second && o.cross[j].second == first)
            return cxm_rollup_cell_id(ru, j, second_id, first_id, id);
    snprintf(why, whycap,
             "this roll-up has no cross of %s and %s (options \"crosses\": "
             "[[\"%s\", \"%s\"]])",
             ext_rollup_group_names[first], ext_rollup_group_names[second],
             ext_rollup_group_names[first], ext_rollup_group_names[second]);
    return CXM_INVALID_ARGUMENT;
}

/* The message of a ticket refused for want of room: CXM_CAPACITY naming no field. */
#define EXT_ROLLUP_FULL                                                                            \
    "ticket_rollup: the roll-up is full: more tickets open at once than its \"open\" index "       \
    "holds, or its duration sketches need more than its \"memory_budget\""

static inline const char *ext_nps_kind_name(uint32_t kind)
{
    return kind >= CXM_NPS_RELATIONAL && kind <= CXM_NPS_COMPETITIVE ? ext_nps_kind_names[kind - 1]
                                                                     : "unknown";
}

#endif /* CXM_EXT_FAMILY_H */
