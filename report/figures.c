/*
 * figures.c — reads every figure of the report from the cxm accumulators.
 * Volume comes from the roll-up of every kept ticket; times, SLA, FCR and
 * reopens from the roll-up of the tickets whose times are all there (so a
 * ticket kept without its contradicted times never drags a time or an SLA
 * outcome in).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "figures.h"

const char *const trend_name[TR_SERIES] = {"tickets",
                                           "CSAT satisfied",
                                           "first contact resolution",
                                           "resolution within SLA",
                                           "median first reply time",
                                           "relational NPS",
                                           "transactional NPS"};
const char *const trend_key[TR_SERIES] = {"tickets",
                                          "csat_satisfied_pct",
                                          "fcr_pct",
                                          "resolution_sla_pct",
                                          "first_reply_median_hours",
                                          "nps_relational",
                                          "nps_transactional"};
const char *const trend_unit[TR_SERIES] = {"tickets", "%", "%", "%", "h", "points", "points"};

const char *fmt_duration(double s, char *buf, size_t n)
{
    if (s < 90)
        snprintf(buf, n, "%.0f s", s);
    else if (s < 5400)
        snprintf(buf, n, "%.0f min", s / 60);
    else if (s < 172800)
        snprintf(buf, n, "%.1f h", s / 3600);
    else
        snprintf(buf, n, "%.1f days", s / 86400);
    return buf;
}

const char *fmt_instant(int64_t t, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M UTC", &tm)) snprintf(buf, n, "?");
    return buf;
}

static void get_time(const cxm_rollup *r, uint32_t g, uint32_t id, uint32_t time, time_fig *t)
{
    memset(t, 0, sizeof *t);
    t->d.size = sizeof t->d;
    t->ok = cxm_rollup_duration_get(r, g, id, time, 0.95, &t->d) == CXM_OK &&
            cxm_rollup_quantile(r, g, id, time, 0.25, &t->p25) == CXM_OK &&
            cxm_rollup_quantile(r, g, id, time, 0.75, &t->p75) == CXM_OK;
}

static void get_sla(const cxm_rollup *r, uint32_t g, uint32_t id, uint32_t metric, sla_fig *f)
{
    memset(f, 0, sizeof *f);
    f->r.size = sizeof f->r;
    cxm_status st = cxm_rollup_sla_get(r, g, id, metric, 0.95, &f->r);
    f->ok = st == CXM_OK;
    f->has_target = st == CXM_OK || st == CXM_EMPTY;
}

static void get_group(const state *s, uint32_t g, uint32_t id, const char *name, group_fig *f)
{
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    f->all.size = f->full.size = sizeof f->all;
    f->csat.size = sizeof f->csat;
    f->ces.size = sizeof f->ces;
    cxm_status st = cxm_rollup_result_get(s->all, g, id, 0.95, &f->all);
    f->present = st == CXM_OK;
    if (cxm_rollup_result_get(s->full, g, id, 0.95, &f->full) != CXM_OK) {
        memset(&f->full, 0, sizeof f->full);
        f->full.size = sizeof f->full;
    }
    f->csat_ok = cxm_rollup_csat_get(s->all, g, id, 0.95, &f->csat) == CXM_OK;
    f->ces_ok = cxm_rollup_ces_get(s->all, g, id, 0.95, &f->ces) == CXM_OK;
    /* Without a creation time a first reply time is 0 s by construction: left out. */
    if (!s->lay.created_is_reply) get_time(s->full, g, id, CXM_ROLLUP_FIRST_REPLY, &f->first_reply);
    get_time(s->full, g, id, CXM_ROLLUP_FULL_RESOLUTION, &f->resolution);
    if (!s->lay.created_is_reply) get_sla(s->full, g, id, CXM_SLA_FIRST_REPLY, &f->sla_first_reply);
    get_sla(s->full, g, id, CXM_SLA_TOTAL_RESOLUTION, &f->sla_resolution);
}

static int by_tickets(const void *a, const void *b)
{
    const agent_fig *x = a, *y = b;
    if (x->volume.tickets != y->volume.tickets)
        return x->volume.tickets < y->volume.tickets ? 1 : -1;
    return strcmp(x->name, y->name);
}

static void get_agents(const state *s, figures *f)
{
    f->nagents = s->agents.n + (s->agents.overflowed ? 1u : 0u);
    f->agent = calloc(f->nagents ? f->nagents : 1, sizeof *f->agent);
    if (!f->agent) {
        f->nagents = 0;
        return;
    }
    for (uint32_t a = 0; a < f->nagents; a++) {
        agent_fig *g = &f->agent[a];
        uint32_t id = a < s->agents.n ? a : s->agents.cap - 1;
        snprintf(g->name, sizeof g->name, "%s", s->agents.names[id]);
        g->volume.size = sizeof g->volume;
        if (cxm_rollup_agent_get(s->all, id, &g->volume) != CXM_OK) continue;
        const agent_board *b = id < BOARD_AGENTS ? &s->board[id] : NULL;
        if (!b || !b->csat) continue;
        const cxm_rollup *r = s->by_week_agent;
        g->board = 1;
        g->full.size = sizeof g->full;
        g->csat.size = sizeof g->csat;
        if (cxm_rollup_result_get(r, CXM_ROLLUP_TOPIC, id, 0.95, &g->full) != CXM_OK)
            g->full.tickets = 0;
        g->csat_ok = cxm_csat_result_get(b->csat, 0.95, &g->csat) == CXM_OK;
        if (!s->lay.created_is_reply)
            get_time(r, CXM_ROLLUP_TOPIC, id, CXM_ROLLUP_FIRST_REPLY, &g->first_reply);
        get_sla(r, CXM_ROLLUP_TOPIC, id, CXM_SLA_TOTAL_RESOLUTION, &g->sla_resolution);
    }
    qsort(f->agent, f->nagents, sizeof *f->agent, by_tickets);
}

static void get_nps_point(const cxm_nps *n, trend_point *p)
{
    cxm_nps_result r = {.size = sizeof r};
    p->ok = cxm_nps_result_get(n, 0.95, CXM_NPS_ADJUSTED_WALD, &r) == CXM_OK;
    p->n = r.n;
    if (p->ok) {
        p->value = r.nps;
        p->lower = r.ci.lower;
        p->upper = r.ci.upper;
    }
}

static int by_key(const void *a, const void *b)
{
    const week *x = *(const week *const *)a, *y = *(const week *const *)b;
    return x->key < y->key ? -1 : x->key > y->key;
}

static void get_weeks(const state *s, figures *f)
{
    const week *order[MAX_WEEKS];
    for (uint32_t w = 0; w < s->nweeks; w++)
        order[w] = &s->weeks[w];
    qsort(order, s->nweeks, sizeof *order, by_key);
    f->nweeks = s->nweeks;
    uint64_t fcr_k[MAX_WEEKS] = {0}, fcr_n[MAX_WEEKS] = {0}, sla_k[MAX_WEEKS] = {0},
             sla_n[MAX_WEEKS] = {0};
    for (uint32_t w = 0; w < s->nweeks; w++) {
        const week *wk = order[w];
        const uint32_t slot = (uint32_t)(wk - s->weeks);
        const cxm_rollup *wr = s->by_week_agent;
        week_fig *g = &f->week[w];
        week_label(wk->key, g->label, sizeof g->label);
        cxm_rate_result v = {.size = sizeof v};
        cxm_status st = cxm_rate_result_get(wk->volume, 0.95, &v);
        trend_point *p = g->p;
        p[TR_TICKETS].ok = st == CXM_OK || st == CXM_EMPTY;
        p[TR_TICKETS].value = p[TR_TICKETS].lower = p[TR_TICKETS].upper = (double)v.trials;
        p[TR_TICKETS].n = v.trials;
        cxm_csat_result c = {.size = sizeof c};
        if ((p[TR_CSAT].ok = cxm_csat_result_get(wk->csat, 0.95, &c) == CXM_OK)) {
            p[TR_CSAT].value = c.satisfied_pct;
            p[TR_CSAT].lower = c.satisfied_ci.lower;
            p[TR_CSAT].upper = c.satisfied_ci.upper;
        }
        p[TR_CSAT].n = c.n;
        cxm_rollup_result r = {.size = sizeof r};
        if (wr && cxm_rollup_result_get(wr, CXM_ROLLUP_CHANNEL, slot, 0.95, &r) == CXM_OK &&
            r.fcr.trials > 0 && s->lay.has_reply_counts) {
            p[TR_FCR].ok = 1;
            p[TR_FCR].value = 100 * r.fcr.rate;
            p[TR_FCR].lower = 100 * r.fcr.ci.lower;
            p[TR_FCR].upper = 100 * r.fcr.ci.upper;
            p[TR_FCR].n = r.fcr.trials;
            fcr_k[w] = r.fcr.successes;
            fcr_n[w] = r.fcr.trials;
        }
        sla_fig sla = {0};
        if (wr) get_sla(wr, CXM_ROLLUP_CHANNEL, slot, CXM_SLA_TOTAL_RESOLUTION, &sla);
        if ((p[TR_SLA].ok = sla.ok)) {
            p[TR_SLA].value = sla.r.compliance_pct;
            p[TR_SLA].lower = sla.r.ci.lower;
            p[TR_SLA].upper = sla.r.ci.upper;
            p[TR_SLA].n = sla.r.achieved + sla.r.breached;
            sla_k[w] = sla.r.achieved;
            sla_n[w] = sla.r.achieved + sla.r.breached;
        }
        cxm_duration_result d = {.size = sizeof d};
        cxm_interval mi;
        if ((p[TR_FIRST_REPLY].ok =
                 !s->lay.created_is_reply &&
                 cxm_duration_result_get(wk->first_reply, 0.95, &d) == CXM_OK &&
                 cxm_duration_median_interval(wk->first_reply, 0.95, &mi) == CXM_OK)) {
            p[TR_FIRST_REPLY].value = d.median / 3600;
            p[TR_FIRST_REPLY].lower = mi.lower / 3600;
            p[TR_FIRST_REPLY].upper = mi.upper / 3600;
            p[TR_FIRST_REPLY].n = d.n;
        }
        get_nps_point(wk->nps[0], &p[TR_NPS_REL]);
        get_nps_point(wk->nps[1], &p[TR_NPS_TX]);
    }
    /* The last week against the one before, each by libcxm's two-sample
     * comparison: NPS by its own test, shares by the two-proportion test,
     * the median first reply by its distribution-free interval. */
    if (s->nweeks < 2) return;
    const uint32_t L = s->nweeks - 1, P = s->nweeks - 2;
    const week *last = order[L], *prev = order[P];
    for (int k = 0; k < TR_SERIES; k++) {
        change_fig *c = &f->change[k];
        if (!f->week[L].p[k].ok || !f->week[P].p[k].ok) continue;
        c->p = -1;
        if (k == TR_TICKETS) continue; /* a count: shown per week, not tested */
        if (k == TR_FIRST_REPLY) {
            cxm_duration_median_comparison m = {.size = sizeof m};
            if (cxm_duration_compare_median(last->first_reply, prev->first_reply, 0.95, &m) !=
                CXM_OK)
                continue;
            c->ok = 1;
            c->diff = m.diff / 3600;
            c->significant = (int)m.significant;
            c->test = "median change: its distribution-free 95% interval excludes 0";
            continue;
        }
        cxm_comparison cmp = {.size = sizeof cmp};
        cxm_status st = CXM_EMPTY;
        double unit = 1;
        if (k == TR_NPS_REL || k == TR_NPS_TX) {
            cxm_nps_comparison n = {.size = sizeof n};
            int kind = k == TR_NPS_REL ? 0 : 1;
            st = cxm_nps_compare(last->nps[kind], prev->nps[kind], 0.95, CXM_NPS_ADJUSTED_WALD, &n);
            cmp.diff = n.diff;
            cmp.p = n.p;
            cmp.significant = n.significant;
            c->test = "two-sample NPS test (adjusted Wald), p < 0.05";
        } else if (k == TR_CSAT) {
            st = cxm_csat_compare_satisfied(last->csat, prev->csat, 0.95, &cmp);
            c->test = "two-proportion test, p < 0.05";
        } else {
            /* FCR and SLA compliance: the roll-up's own counts, compared as
             * rates of their named use. */
            const uint64_t *kk = k == TR_FCR ? fcr_k : sla_k, *nn = k == TR_FCR ? fcr_n : sla_n;
            uint32_t use = k == TR_FCR ? CXM_RATE_FCR : CXM_RATE_SLA_ACHIEVEMENT;
            uint32_t def = k == TR_FCR ? s->lay.fcr_profile : 0;
            cxm_rate *ra = NULL, *rb = NULL;
            st = cxm_rate_new(use, def, NULL, &ra);
            if (st == CXM_OK) st = cxm_rate_new(use, def, NULL, &rb);
            if (st == CXM_OK) st = cxm_rate_add_counts(ra, kk[L], nn[L]);
            if (st == CXM_OK) st = cxm_rate_add_counts(rb, kk[P], nn[P]);
            if (st == CXM_OK) st = cxm_rate_compare(ra, rb, 0.95, &cmp);
            cxm_rate_free(ra);
            cxm_rate_free(rb);
            unit = 100; /* a share in [0, 1], shown in percentage points */
            c->test = "two-proportion test, p < 0.05";
        }
        if (st != CXM_OK) continue;
        c->ok = 1;
        c->diff = cmp.diff * unit;
        c->p = cmp.p;
        c->significant = (int)cmp.significant;
    }
}

static void get_nps(const state *s, figures *f)
{
    for (int k = 0; k < 2; k++) {
        f->nps[k].size = sizeof f->nps[k];
        f->nps_ok[k] =
            cxm_nps_result_get(s->nps[k], 0.95, CXM_NPS_ADJUSTED_WALD, &f->nps[k]) == CXM_OK;
    }
    f->nnps_channels = s->survey_channels.n + (s->survey_channels.overflowed ? 1u : 0u);
    for (uint32_t c = 0; c < f->nnps_channels; c++) {
        uint32_t id = c < s->survey_channels.n ? c : s->survey_channels.cap - 1;
        snprintf(f->nps_channel[c].name, NAME_MAX_LEN, "%s", s->survey_channels.names[id]);
        for (int k = 0; k < 2; k++) {
            cxm_nps_result *r = &f->nps_channel[c].nps[k];
            r->size = sizeof *r;
            f->nps_channel[c].ok[k] =
                s->nps_channel[id][k] &&
                cxm_nps_result_get(s->nps_channel[id][k], 0.95, CXM_NPS_ADJUSTED_WALD, r) == CXM_OK;
        }
    }
    int ours = -1;
    for (uint32_t b = 0; b < s->brands.n; b++)
        if (s->lay.our_brand[0] && strcmp(s->brands.names[b], s->lay.our_brand) == 0) ours = (int)b;
    f->have_ours = ours >= 0 && s->competitive[ours];
    /* Ours first, then the others in the order met. */
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t b = 0; b < s->brands.n; b++) {
            if ((pass == 0) != ((int)b == ours) || !s->competitive[b]) continue;
            brand_fig *g = &f->brand[f->nbrands++];
            snprintf(g->name, sizeof g->name, "%s", s->brands.names[b]);
            g->ours = (int)b == ours;
            g->nps.size = sizeof g->nps;
            if (cxm_nps_result_get(s->competitive[b], 0.95, CXM_NPS_ADJUSTED_WALD, &g->nps) !=
                CXM_OK)
                continue;
            g->gap.size = sizeof g->gap;
            if (f->have_ours && !g->ours)
                g->gap_ok = cxm_nps_compare(s->competitive[ours], s->competitive[b], 0.95,
                                            CXM_NPS_ADJUSTED_WALD, &g->gap) == CXM_OK;
        }
}

int figures_get(const state *s, figures *f)
{
    memset(f, 0, sizeof *f);
    for (uint32_t i = 0; i < s->nfiles; i++) {
        f->rows += s->files[i].rows;
        f->used += s->files[i].used;
        f->partly += s->files[i].partly;
        f->refused += s->files[i].refused;
    }
    get_nps(s, f);
    get_weeks(s, f);
    if (!s->all) return 0;
    f->tickets = 1;
    get_group(s, CXM_ROLLUP_OVERALL, 0, "all tickets", &f->overall);
    f->nchannels = s->channels.n + (s->channels.overflowed ? 1u : 0u);
    for (uint32_t c = 0; c < f->nchannels; c++) {
        uint32_t id = c < s->channels.n ? c : s->channels.cap - 1;
        get_group(s, CXM_ROLLUP_CHANNEL, id, s->channels.names[id], &f->channel[c]);
    }
    f->ntopics = s->topics.n + (s->topics.overflowed ? 1u : 0u);
    for (uint32_t c = 0; c < f->ntopics; c++) {
        uint32_t id = c < s->topics.n ? c : s->topics.cap - 1;
        get_group(s, CXM_ROLLUP_TOPIC, id, s->topics.names[id], &f->topic[c]);
    }
    f->npriorities = s->lay.levels;
    for (uint32_t p = 0; p < s->lay.levels; p++)
        get_group(s, CXM_ROLLUP_PRIORITY, p, s->lay.level[p].names[0], &f->priority[p]);
    get_agents(s, f);
    return 0;
}

void figures_free(figures *f)
{
    free(f->agent);
}
