/*
 * json.c — the report as one JSON document (jansson), the layout described
 * by report/cxm-report.schema.json. Absent values are null, never 0.
 * Shares are in percent, durations in seconds, intervals are 95%.
 */
#include <string.h>

#include <jansson.h>

#include "figures.h"

static json_t *pair(double lo, double hi)
{
    return json_pack("[ff]", lo, hi);
}

static json_t *rate_json(const cxm_rate_result *r)
{
    if (!r->trials) return json_null();
    return json_pack("{sIsIsfso}", "successes", (json_int_t)r->successes, "trials",
                     (json_int_t)r->trials, "pct", 100 * r->rate, "ci95",
                     pair(100 * r->ci.lower, 100 * r->ci.upper));
}

/* A mean's interval needs two values (has_sd): with one it is null, not the library's
 * whole-range placeholder ([0, 2^43] s for a duration). */
static json_t *time_json(const time_fig *t)
{
    if (!t->ok) return json_null();
    return json_pack("{sIsfsfsfsfsfso}", "n", (json_int_t)t->d.n, "mean_s", t->d.mean, "median_s",
                     t->d.median, "p90_s", t->d.p90, "p25_s", t->p25, "p75_s", t->p75,
                     "mean_ci95_s",
                     t->d.has_sd ? pair(t->d.mean_ci.lower, t->d.mean_ci.upper) : json_null());
}

static json_t *sla_json(const sla_fig *f, int64_t target, uint32_t mode)
{
    if (!f->has_target) return json_null();
    json_t *o = json_pack("{sIsIsIsI}", "met", (json_int_t)f->r.achieved, "missed",
                          (json_int_t)f->r.breached, "running", (json_int_t)f->r.active,
                          "running_past_due", (json_int_t)f->r.active_past_due);
    json_object_set_new(o, "compliance_pct", f->ok ? json_real(f->r.compliance_pct) : json_null());
    json_object_set_new(o, "ci95", f->ok ? pair(f->r.ci.lower, f->r.ci.upper) : json_null());
    if (target) {
        json_object_set_new(o, "target_s", json_integer(target));
        json_object_set_new(o, "clock",
                            json_string(mode == CXM_SLA_BUSINESS_HOURS ? "business" : "calendar"));
    }
    return o;
}

static json_t *csat_json(int ok, const cxm_csat_result *c)
{
    if (!ok) return json_null();
    return json_pack("{sIs[ii]sisfsosfso}", "n", (json_int_t)c->n, "scale", c->scale_min,
                     c->scale_max, "satisfied_from", c->threshold, "mean", c->mean, "mean_ci95",
                     c->has_sd ? pair(c->mean_ci.lower, c->mean_ci.upper) : json_null(),
                     "satisfied_pct", c->satisfied_pct, "satisfied_ci95",
                     pair(c->satisfied_ci.lower, c->satisfied_ci.upper));
}

static json_t *ces_json(int ok, const cxm_ces_result *c)
{
    if (!ok) return json_null();
    return json_pack("{sIs[ii]sisssfsosfso}", "n", (json_int_t)c->n, "scale", c->scale_min,
                     c->scale_max, "easy_threshold", c->threshold, "higher_is",
                     c->direction == CXM_CES_HIGHER_IS_EASIER ? "easier" : "effort", "mean",
                     c->mean, "mean_ci95",
                     c->has_sd ? pair(c->mean_ci.lower, c->mean_ci.upper) : json_null(), "easy_pct",
                     c->easy_pct, "easy_ci95", pair(c->easy_ci.lower, c->easy_ci.upper));
}

static json_t *group_json(const group_fig *g, const state *s, const level_spec *lv)
{
    json_t *o = json_pack("{sssIsIsIsI}", "name", g->name, "tickets", (json_int_t)g->all.tickets,
                          "with_all_times", (json_int_t)g->full.tickets, "solved",
                          (json_int_t)g->full.solved, "open", (json_int_t)g->full.open);
    json_object_set_new(o, "fcr", s->lay.has_reply_counts ? rate_json(&g->full.fcr) : json_null());
    /* An export that counts no reopens has no reopen share: not a 0%. */
    json_object_set_new(o, "reopened", s->reopens_read ? rate_json(&g->full.reopen) : json_null());
    json_object_set_new(o, "csat", csat_json(g->csat_ok, &g->csat));
    json_object_set_new(o, "ces", ces_json(g->ces_ok, &g->ces));
    json_object_set_new(o, "first_reply_time", time_json(&g->first_reply));
    json_object_set_new(o, "resolution_time", time_json(&g->resolution));
    json_object_set_new(
        o, "sla",
        json_pack("{soso}", "first_reply",
                  sla_json(&g->sla_first_reply, lv ? lv->first_reply_s : 0, lv ? lv->mode : 0),
                  "resolution",
                  sla_json(&g->sla_resolution, lv ? lv->resolution_s : 0, lv ? lv->mode : 0)));
    return o;
}

static json_t *nps_json(int ok, const cxm_nps_result *r)
{
    if (!ok) return json_null();
    return json_pack("{sIsIsIsIsfsfsfsfso}", "n", (json_int_t)r->n, "promoters",
                     (json_int_t)r->promoters, "passives", (json_int_t)r->passives, "detractors",
                     (json_int_t)r->detractors, "promoter_pct", r->promoter_pct, "passive_pct",
                     r->passive_pct, "detractor_pct", r->detractor_pct, "nps", r->nps, "ci95",
                     pair(r->ci.lower, r->ci.upper));
}

static json_t *input_json(const state *s, const figures *f)
{
    json_t *files = json_array();
    for (uint32_t i = 0; i < s->nfiles; i++) {
        const file_counts *fc = &s->files[i];
        json_array_append_new(files, json_pack("{sssssIsIsIsI}", "path", fc->path, "kind",
                                               fc->is_survey ? "survey" : "tickets", "rows",
                                               (json_int_t)fc->rows, "used", (json_int_t)fc->used,
                                               "partly_used", (json_int_t)fc->partly, "refused",
                                               (json_int_t)fc->refused));
    }
    json_t *by = json_object();
    for (int k = 0; k < BAD_REASONS; k++)
        if (s->by_reason[k] + s->by_reason_partly[k])
            json_object_set_new(by, reason_key[k],
                                json_pack("{sssIsI}", "text", reason_text[k], "refused",
                                          (json_int_t)s->by_reason[k], "partly_used",
                                          (json_int_t)s->by_reason_partly[k]));
    json_t *listed = json_array();
    for (uint64_t i = 0; i < s->nlisted; i++) {
        const bad_row *b = &s->listed[i];
        json_array_append_new(
            listed, json_pack("{sssIsossssss}", "file", b->file, "line", (json_int_t)b->line,
                              "column", b->column[0] ? json_string(b->column) : json_null(),
                              "reason", reason_key[b->reason], "row",
                              b->partly_used ? "partly_used" : "refused", "detail", b->detail));
    }
    return json_pack("{sosIsIsIsIs{sosIso}}", "files", files, "rows_read", (json_int_t)f->rows,
                     "used", (json_int_t)f->used, "partly_used", (json_int_t)f->partly, "refused",
                     (json_int_t)f->refused, "bad_rows", "by_reason", by, "listed_max",
                     (json_int_t)s->listed_max, "listed", listed);
}

static json_t *tickets_json(const state *s, const figures *f)
{
    if (!f->tickets) return json_null();
    json_t *ch = json_array(), *tp = json_array(), *pr = json_array(), *ag = json_array();
    for (uint32_t i = 0; i < f->nchannels; i++)
        if (f->channel[i].present) json_array_append_new(ch, group_json(&f->channel[i], s, NULL));
    for (uint32_t i = 0; i < f->ntopics; i++)
        if (f->topic[i].present) json_array_append_new(tp, group_json(&f->topic[i], s, NULL));
    for (uint32_t i = 0; i < f->npriorities; i++)
        json_array_append_new(pr, group_json(&f->priority[i], s, &s->lay.level[i]));
    for (uint32_t i = 0; i < f->nagents; i++) {
        const agent_fig *g = &f->agent[i];
        if (!g->volume.tickets) continue;
        json_t *o = json_pack("{sssIsI}", "name", g->name, "tickets", (json_int_t)g->volume.tickets,
                              "solved", (json_int_t)g->volume.solved);
        int b = g->board;
        json_object_set_new(o, "fcr",
                            b && s->lay.has_reply_counts ? rate_json(&g->full.fcr) : json_null());
        json_object_set_new(o, "csat", csat_json(b && g->csat_ok, &g->csat));
        json_object_set_new(o, "first_reply_time", b ? time_json(&g->first_reply) : json_null());
        json_object_set_new(o, "resolution_sla",
                            b ? sla_json(&g->sla_resolution, 0, 0) : json_null());
        json_array_append_new(ag, o);
    }
    return json_pack("{sososososo}", "overall", group_json(&f->overall, s, NULL), "channels", ch,
                     "topics", tp, "priorities", pr, "agents", ag);
}

static json_t *nps_all_json(const state *s, const figures *f)
{
    json_t *comp = json_array();
    for (uint32_t i = 0; i < f->nbrands; i++) {
        const brand_fig *g = &f->brand[i];
        json_t *gap = json_null();
        if (g->gap_ok)
            gap = json_pack("{sfsosfsb}", "ours_minus_theirs", g->gap.diff, "ci95",
                            pair(g->gap.ci.lower, g->gap.ci.upper), "p", g->gap.p, "significant",
                            (int)g->gap.significant);
        json_array_append_new(comp, json_pack("{sssbsoso}", "brand", g->name, "ours", g->ours,
                                              "nps", nps_json(1, &g->nps), "gap", gap));
    }
    json_t *by_channel = json_array();
    for (uint32_t c = 0; c < f->nnps_channels; c++)
        json_array_append_new(
            by_channel,
            json_pack("{sssoso}", "channel", f->nps_channel[c].name, "relational",
                      nps_json(f->nps_channel[c].ok[0], &f->nps_channel[c].nps[0]), "transactional",
                      nps_json(f->nps_channel[c].ok[1], &f->nps_channel[c].nps[1])));
    return json_pack("{sososososo}", "by_channel", by_channel, "relational",
                     nps_json(f->nps_ok[0], &f->nps[0]), "transactional",
                     nps_json(f->nps_ok[1], &f->nps[1]), "competitive", comp, "our_brand",
                     s->lay.our_brand[0] ? json_string(s->lay.our_brand) : json_null());
}

static json_t *weekly_json(const figures *f)
{
    json_t *weeks = json_array();
    for (uint32_t w = 0; w < f->nweeks; w++) {
        json_t *o = json_pack("{ss}", "week_start", f->week[w].label);
        for (int k = 0; k < TR_SERIES; k++) {
            const trend_point *p = &f->week[w].p[k];
            json_object_set_new(o, trend_key[k],
                                p->ok
                                    ? json_pack("{sfsfsfsI}", "value", p->value, "lower", p->lower,
                                                "upper", p->upper, "n", (json_int_t)p->n)
                                    : json_null());
        }
        json_array_append_new(weeks, o);
    }
    return weeks;
}

static json_t *change_json(const figures *f)
{
    json_t *o = json_object();
    for (int k = 0; k < TR_SERIES; k++) {
        const change_fig *c = &f->change[k];
        json_t *v = json_null();
        if (c->ok) {
            v = json_pack("{sfsbss}", "change", c->diff, "significant", c->significant, "test",
                          c->test);
            json_object_set_new(v, "p", c->p >= 0 ? json_real(c->p) : json_null());
        }
        json_object_set_new(o, trend_key[k], v);
    }
    return o;
}

int print_json(const state *s, FILE *out)
{
    figures f;
    if (figures_get(s, &f) != 0) return 1;
    char when[64];
    json_t *root = json_pack(
        "{sssss{sssIss}s{sssssoss}}", "schema", "cxm-report/1", "library_version",
        cxm_version_string(), "report_instant", "text", fmt_instant(s->as_of, when, sizeof when),
        "unix", (json_int_t)s->as_of, "meaning", "SLA targets not met yet are measured to it",
        "layout", "preset", s->lay.preset, "description", s->lay.description, "fcr_profile",
        s->lay.has_reply_counts ? json_string(cxm_fcr_profile_str(s->lay.fcr_profile))
                                : json_null(),
        "contradictions", s->contradictions == KEEP_UNCONTRADICTED ? "keep" : "leave-out");
    json_object_set_new(root, "input", input_json(s, &f));
    json_object_set_new(root, "tickets", tickets_json(s, &f));
    json_object_set_new(root, "nps", nps_all_json(s, &f));
    json_object_set_new(root, "weekly", weekly_json(&f));
    json_object_set_new(root, "weekly_not_shown", json_integer((json_int_t)s->outside_weeks));
    json_object_set_new(root, "last_week_change", f.nweeks >= 2 ? change_json(&f) : json_null());
    /* A pack that failed leaves its key out: refuse to print half a report. */
    int rc = root && json_object_size(root) == 10
                 ? json_dumpf(root, out, JSON_INDENT(1) | JSON_REAL_PRECISION(10))
                 : 1;
    fputc('\n', out);
    json_decref(root);
    figures_free(&f);
    return rc != 0 || ferror(out);
}
