/*
 * figures.h — every figure of the report, read once from the cxm
 * accumulators through their result calls, for the three printers (text,
 * JSON, HTML). A field with ok = 0 has no value (CXM_EMPTY) and is shown as
 * such, never as 0.
 */
#ifndef CXM_REPORT_FIGURES_H
#define CXM_REPORT_FIGURES_H

#include "report.h"

typedef struct time_fig {
    int ok;
    cxm_duration_result d; /* seconds */
    double p25, p75;       /* seconds */
} time_fig;

typedef struct sla_fig {
    int ok; /* compliance defined (a target ended) */
    int has_target;
    cxm_sla_result r;
} sla_fig;

typedef struct group_fig {
    char name[NAME_MAX_LEN];
    int present;
    cxm_rollup_result all;  /* volume: tickets kept (with or without times) */
    cxm_rollup_result full; /* rates and times: tickets with all their times */
    int csat_ok, ces_ok;
    cxm_csat_result csat;
    cxm_ces_result ces;
    time_fig first_reply, resolution;
    sla_fig sla_first_reply, sla_resolution;
} group_fig;

typedef struct agent_fig {
    char name[NAME_MAX_LEN];
    cxm_rollup_agent_result volume;
    int board; /* 1 if the figures below exist (the first BOARD_AGENTS agents) */
    cxm_rollup_result full;
    int csat_ok;
    cxm_csat_result csat;
    time_fig first_reply;
    sla_fig sla_resolution;
} agent_fig;

/* One headline of the weekly trend: value with its 95% interval. */
typedef struct trend_point {
    int ok;
    double value, lower, upper;
    uint64_t n;
} trend_point;

enum trend_series {
    TR_TICKETS,
    TR_CSAT,
    TR_FCR,
    TR_SLA,
    TR_FIRST_REPLY,
    TR_NPS_REL,
    TR_NPS_TX,
    TR_SERIES
};

typedef struct week_fig {
    char label[16];
    trend_point p[TR_SERIES];
} week_fig;

/* The last week against the one before, per series. */
typedef struct change_fig {
    int ok;
    double diff;
    int significant;
    double p; /* two-sided p-value where a test gives one, else -1 */
    const char *test;
} change_fig;

typedef struct brand_fig {
    char name[NAME_MAX_LEN];
    int ours;
    cxm_nps_result nps;
    int gap_ok;
    cxm_nps_comparison gap; /* ours - theirs */
} brand_fig;

typedef struct figures {
    int tickets; /* a ticket file was read */
    group_fig overall;
    group_fig channel[MAX_CHANNELS], topic[MAX_TOPICS], priority[MAX_LEVELS];
    uint32_t nchannels, ntopics, npriorities;
    agent_fig *agent;
    uint32_t nagents;
    int nps_ok[2];
    cxm_nps_result nps[2]; /* relational, transactional */
    struct {
        char name[NAME_MAX_LEN];
        int ok[2];
        cxm_nps_result nps[2]; /* relational, transactional */
    } nps_channel[MAX_CHANNELS];
    uint32_t nnps_channels;
    brand_fig brand[MAX_BRANDS];
    uint32_t nbrands;
    int have_ours;
    week_fig week[MAX_WEEKS];
    uint32_t nweeks;
    change_fig change[TR_SERIES];
    uint64_t rows, used, partly, refused;
} figures;

/* Reads every figure; 0 on success. */
int figures_get(const state *s, figures *f);
void figures_free(figures *f);

extern const char *const trend_name[TR_SERIES];
extern const char *const trend_key[TR_SERIES];
extern const char *const trend_unit[TR_SERIES];

/* "1.2 h", "35 min", "2.3 days": a duration for people. */
const char *fmt_duration(double seconds, char *buf, size_t n);
/* "2024-03-31 23:59 UTC" */
const char *fmt_instant(int64_t t, char *buf, size_t n);

#endif
