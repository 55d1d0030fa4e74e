/*
 * text.c — the report as aligned tables for a terminal: plain words, a
 * unit on every number, "-" where there is no value.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"

#define TCOLS 12
#define CELL 128

typedef struct table {
    int ncols;
    int nrows;
    int cap;
    char (*cells)[TCOLS][CELL];
} table;

static void t_row(table *t, ...)
{
    if (t->nrows == t->cap) {
        int cap = t->cap ? t->cap * 2 : 16;
        void *p = realloc(t->cells, (size_t)cap * sizeof *t->cells);
        if (!p) return;
        t->cells = p;
        t->cap = cap;
    }
    va_list ap;
    va_start(ap, t);
    for (int c = 0; c < t->ncols; c++) {
        const char *v = va_arg(ap, const char *);
        snprintf(t->cells[t->nrows][c], CELL, "%s", v ? v : "");
    }
    va_end(ap);
    t->nrows++;
}

/* Prints and frees: first column left-aligned, the others right-aligned,
 * a rule under the header row. */
static void t_print(table *t, FILE *out)
{
    int w[TCOLS] = {0};
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            /* width in characters, counting UTF-8 continuation bytes out */
            int n = 0;
            for (const char *p = t->cells[r][c]; *p; p++)
                n += ((unsigned char)*p & 0xC0) != 0x80;
            if (n > w[c]) w[c] = n;
        }
    for (int r = 0; r < t->nrows; r++) {
        /* The row in a buffer first, so that blank trailing cells leave no trailing blanks. */
        char line[TCOLS * (CELL + 64)];
        size_t len = 0;
        for (int c = 0; c < t->ncols; c++) {
            const char *v = t->cells[r][c];
            int n = 0;
            for (const char *p = v; *p; p++)
                n += ((unsigned char)*p & 0xC0) != 0x80;
            int k = c == 0 ? snprintf(line + len, sizeof line - len, "%s%*s", v, w[c] - n, "")
                           : snprintf(line + len, sizeof line - len, "   %*s%s", w[c] - n, "", v);
            if (k > 0) len += (size_t)k < sizeof line - len ? (size_t)k : sizeof line - len - 1;
        }
        while (len > 0 && line[len - 1] == ' ')
            len--;
        fprintf(out, "  %.*s\n", (int)len, line);
        if (r == 0) {
            int total = 0;
            for (int c = 0; c < t->ncols; c++)
                total += w[c] + (c ? 3 : 0);
            fputs("  ", out);
            for (int i = 0; i < total; i++)
                fputc('-', out);
            fputc('\n', out);
        }
    }
    free(t->cells);
    memset(t, 0, sizeof *t);
}

/* 12,345 */
static const char *count(uint64_t v, char *buf)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v), o = 0;
    for (int i = 0; i < n; i++) {
        buf[o++] = tmp[i];
        if ((n - i - 1) % 3 == 0 && i < n - 1) buf[o++] = ',';
    }
    buf[o] = '\0';
    return buf;
}

static const char *pct_ci(int ok, double v, double lo, double hi, char *buf)
{
    if (!ok) return "-";
    snprintf(buf, CELL, "%.1f%% (%.1f-%.1f)", v, lo, hi);
    return buf;
}

static const char *rate_ci(const cxm_rate_result *r, char *buf)
{
    return pct_ci(r->trials > 0, 100 * r->rate, 100 * r->ci.lower, 100 * r->ci.upper, buf);
}

static const char *dur(int ok, double s, char *buf)
{
    return ok ? fmt_duration(s, buf, CELL) : "-";
}

static void section(FILE *out, const char *title)
{
    fprintf(out, "\n%s\n", title);
    for (const char *p = title; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80) fputc('=', out);
    fputc('\n', out);
}

void print_bad_rows(const state *s, FILE *out)
{
    uint64_t total = 0;
    for (int k = 0; k < BAD_REASONS; k++)
        total += s->by_reason[k] + s->by_reason_partly[k];
    if (!total) {
        fprintf(out, "  No bad rows.\n");
        return;
    }
    char a[32], b[32], c[32];
    table t = {.ncols = 3};
    t_row(&t, "reason", "rows refused", "rows partly used");
    for (int k = 0; k < BAD_REASONS; k++)
        if (s->by_reason[k] + s->by_reason_partly[k])
            t_row(&t, reason_text[k], count(s->by_reason[k], a), count(s->by_reason_partly[k], b));
    t_print(&t, out);
    fprintf(out, "\n  The first %s of %s problems, by line:\n", count(s->nlisted, a),
            count(total, c));
    table l = {.ncols = 5};
    t_row(&l, "file:line", "column", "problem", "row", "detail");
    for (uint64_t i = 0; i < s->nlisted; i++) {
        const bad_row *r = &s->listed[i];
        char where[CELL];
        snprintf(where, sizeof where, "%.40s:%llu", r->file, (unsigned long long)r->line);
        t_row(&l, where, r->column[0] ? r->column : "-", reason_key[r->reason],
              r->partly_used ? "partly used" : "refused", r->detail);
    }
    t_print(&l, out);
}

static void group_table(FILE *out, const char *title, const group_fig *g, uint32_t n,
                        const state *s)
{
    char b[8][CELL];
    table t = {.ncols = 8};
    t_row(&t, title, "tickets", "solved", "FCR (95% interval)", "reopened", "CSAT satisfied",
          "median first reply", "median resolution");
    for (uint32_t i = 0; i < n; i++) {
        if (!g[i].present) continue;
        t_row(&t, g[i].name, count(g[i].all.tickets, b[0]), count(g[i].full.solved, b[1]),
              s->lay.has_reply_counts && g[i].full.fcr.trials ? rate_ci(&g[i].full.fcr, b[2]) : "-",
              s->reopens_read ? rate_ci(&g[i].full.reopen, b[3]) : "-",
              pct_ci(g[i].csat_ok, g[i].csat.satisfied_pct, g[i].csat.satisfied_ci.lower,
                     g[i].csat.satisfied_ci.upper, b[4]),
              dur(g[i].first_reply.ok, g[i].first_reply.d.median, b[5]),
              dur(g[i].resolution.ok, g[i].resolution.d.median, b[6]));
    }
    t_print(&t, out);
}

static const char *hours_target(int64_t s, uint32_t mode, char *buf)
{
    if (!s) return "no target";
    snprintf(buf, CELL, "%g %s h", (double)s / 3600,
             mode == CXM_SLA_BUSINESS_HOURS ? "business" : "calendar");
    return buf;
}

static const char *sla_cell(const sla_fig *f, char *buf)
{
    if (!f->has_target) return "no target";
    if (!f->ok) return "none ended";
    return pct_ci(1, f->r.compliance_pct, f->r.ci.lower, f->r.ci.upper, buf);
}

static void print_tickets(const state *s, const figures *f, FILE *out)
{
    char b[10][CELL];
    const group_fig *o = &f->overall;
    section(out, "Tickets overall");
    table t = {.ncols = 2};
    t_row(&t, "figure", "value");
    t_row(&t, "tickets kept", count(o->all.tickets, b[0]));
    t_row(&t, "  of which with all their times", count(o->full.tickets, b[1]));
    t_row(&t, "solved now", count(o->full.solved, b[2]));
    t_row(&t, "open (not solved now)", count(o->full.open, b[3]));
    /* An export that counts no reopens has no reopen share: not a 0%. */
    t_row(&t, "reopened at least once (share of tickets ever solved)",
          s->reopens_read ? rate_ci(&o->full.reopen, b[4]) : "not in this export");
    t_row(&t, "replied to by an agent", count(o->full.replied, b[5]));
    t.nrows > 0 ? t_print(&t, out) : (void)0;
    /* A ticket kept without its times is neither solved nor open: say so, or the rows below
     * "tickets kept" do not add up to it. */
    uint64_t timeless = o->all.tickets - o->full.tickets;
    if (timeless > 0)
        fprintf(out,
                "  Solved, open, reopened and replied count the %s tickets with all their\n"
                "  times; the %s kept without them %s in none of these.\n",
                count(o->full.tickets, b[6]), timeless == 1 ? "one" : count(timeless, b[7]),
                timeless == 1 ? "is" : "are");
    fprintf(out, "  Percentages are followed by their 95%% interval in parentheses: the range the\n"
                 "  true value lies in with 95%% confidence given the number of tickets.\n");

    section(out, "First contact resolution (FCR)");
    if (!s->lay.has_reply_counts)
        fprintf(out, "  Not available: this export does not count replies, so a ticket solved\n"
                     "  at first contact cannot be told from any other.\n");
    else {
        fprintf(out, "  Profile \"%s\": %s\n", cxm_fcr_profile_str(s->lay.fcr_profile),
                s->lay.fcr_profile == CXM_FCR_ZENDESK
                    ? "solved with fewer than 2 agent replies, never reopened."
                    : "resolved with no customer reply after the first contact, never reopened.");
        fprintf(out, "  %s of %s tickets solved by an agent: %s\n",
                count(o->full.fcr.successes, b[0]), count(o->full.fcr.trials, b[1]),
                rate_ci(&o->full.fcr, b[2]));
    }

    section(out, "Reply and resolution times");
    if (s->lay.created_is_reply)
        fprintf(out, "  This export has no creation time: times run from the first response, so\n"
                     "  it has no first reply time (nor a first-reply target).\n");
    table tm = {.ncols = 6};
    t_row(&tm, "time", "tickets", "mean", "median", "90% within", "within SLA target");
    const time_fig *tf[2] = {&o->first_reply, &o->resolution};
    const sla_fig *sf[2] = {&o->sla_first_reply, &o->sla_resolution};
    static const char *const names[2] = {"first reply time", "resolution time"};
    for (int k = 0; k < 2; k++)
        t_row(&tm, names[k], count(tf[k]->d.n, b[0]), dur(tf[k]->ok, tf[k]->d.mean, b[1]),
              dur(tf[k]->ok, tf[k]->d.median, b[2]), dur(tf[k]->ok, tf[k]->d.p90, b[3]),
              sla_cell(sf[k], b[4]));
    t_print(&tm, out);
    fprintf(out, "  \"90%% within\" is the 90th percentile: 9 tickets in 10 took at most that.\n"
                 "  Resolution time runs from creation to the last solve of tickets solved now.\n");

    section(out, "SLA compliance per priority");
    table sl = {.ncols = 7};
    t_row(&sl, "priority", "metric", "target", "met", "missed", "compliance (95% interval)",
          "still running (past due)");
    for (uint32_t p = 0; p < f->npriorities; p++) {
        const level_spec *lv = &s->lay.level[p];
        for (int k = 0; k < 2; k++) {
            const sla_fig *x = k ? &f->priority[p].sla_resolution : &f->priority[p].sla_first_reply;
            char run[CELL], r1[32], r2[32];
            snprintf(run, sizeof run, "%s (%s)", count(x->r.active, r1),
                     count(x->r.active_past_due, r2));
            t_row(&sl, k ? "" : lv->names[0], k ? "resolution" : "first reply",
                  hours_target(k ? lv->resolution_s : lv->first_reply_s, lv->mode, b[0]),
                  count(x->r.achieved, b[1]), count(x->r.breached, b[2]), sla_cell(x, b[3]), run);
        }
    }
    t_print(&sl, out);
    fprintf(out, "  Compliance = met / (met + missed); targets still running at the report\n"
                 "  instant are shown apart and count as neither. A ticket solved before any\n"
                 "  reply meets or misses its first-reply target at that solve.\n");

    section(out, "Customer satisfaction (CSAT) and effort (CES)");
    table cs = {.ncols = 5};
    t_row(&cs, "survey", "answers", "scale", "mean (95% interval)", "share satisfied / easy");
    if (o->csat_ok) {
        char sc[CELL], mean[CELL];
        snprintf(sc, sizeof sc, "%d-%d, satisfied >= %d", o->csat.scale_min, o->csat.scale_max,
                 o->csat.threshold);
        snprintf(mean, sizeof mean, "%.2f (%.2f-%.2f)", o->csat.mean, o->csat.mean_ci.lower,
                 o->csat.mean_ci.upper);
        t_row(&cs, "CSAT", count(o->csat.n, b[0]), sc, mean,
              pct_ci(1, o->csat.satisfied_pct, o->csat.satisfied_ci.lower,
                     o->csat.satisfied_ci.upper, b[1]));
    } else
        t_row(&cs, "CSAT", "0", "-", "-", "-");
    if (o->ces_ok) {
        char sc[CELL], mean[CELL];
        snprintf(sc, sizeof sc, "%d-%d, easy %s %d", o->ces.scale_min, o->ces.scale_max,
                 o->ces.direction == CXM_CES_HIGHER_IS_EASIER ? ">=" : "<=", o->ces.threshold);
        snprintf(mean, sizeof mean, "%.2f (%.2f-%.2f)", o->ces.mean, o->ces.mean_ci.lower,
                 o->ces.mean_ci.upper);
        t_row(&cs, "CES", count(o->ces.n, b[0]), sc, mean,
              pct_ci(1, o->ces.easy_pct, o->ces.easy_ci.lower, o->ces.easy_ci.upper, b[1]));
    } else
        t_row(&cs, "CES", "0", "-", "-", "-");
    t_print(&cs, out);

    section(out, "Per channel");
    group_table(out, "channel", f->channel, f->nchannels, s);
    section(out, "Per topic");
    group_table(out, "topic", f->topic, f->ntopics, s);
    section(out, "Per priority");
    group_table(out, "priority", f->priority, f->npriorities, s);

    section(out, "Agent leaderboard (most tickets first)");
    table ag = {.ncols = 7};
    t_row(&ag, "agent", "tickets", "solved", "FCR (95% interval)", "CSAT satisfied",
          "median first reply", "resolution within SLA");
    for (uint32_t a = 0; a < f->nagents; a++) {
        const agent_fig *g = &f->agent[a];
        if (!g->volume.tickets) continue;
        t_row(&ag, g->name, count(g->volume.tickets, b[0]), count(g->volume.solved, b[1]),
              g->board && s->lay.has_reply_counts ? rate_ci(&g->full.fcr, b[2]) : "-",
              g->board ? pct_ci(g->csat_ok, g->csat.satisfied_pct, g->csat.satisfied_ci.lower,
                                g->csat.satisfied_ci.upper, b[3])
                       : "-",
              g->board ? dur(g->first_reply.ok, g->first_reply.d.median, b[4]) : "-",
              g->board ? sla_cell(&g->sla_resolution, b[5]) : "-");
    }
    if (ag.nrows > 1)
        t_print(&ag, out);
    else {
        free(ag.cells);
        fprintf(out, s->lay.ticket[T_AGENT].name[0] ? "  No ticket names an agent.\n"
                                                    : "  No agent column in this export.\n");
    }
}

static void print_nps(const figures *f, const state *s, FILE *out)
{
    char b[8][CELL];
    section(out, "Net Promoter Score, per kind (never blended)");
    fprintf(out, "  NPS = %% promoters (9-10) - %% detractors (0-6), from -100 to +100.\n");
    table t = {.ncols = 6};
    t_row(&t, "kind", "answers", "promoters", "passives", "detractors", "NPS (95% interval)");
    static const char *const kinds[2] = {"relational", "transactional"};
    for (int k = 0; k < 2; k++) {
        const cxm_nps_result *r = &f->nps[k];
        char v[CELL];
        if (f->nps_ok[k])
            snprintf(v, sizeof v, "%+.1f (%+.1f to %+.1f)", r->nps, r->ci.lower, r->ci.upper);
        else
            snprintf(v, sizeof v, "-");
        snprintf(b[1], CELL, "%.1f%%", r->promoter_pct);
        snprintf(b[2], CELL, "%.1f%%", r->passive_pct);
        snprintf(b[3], CELL, "%.1f%%", r->detractor_pct);
        t_row(&t, kinds[k], count(r->n, b[0]), f->nps_ok[k] ? b[1] : "-", f->nps_ok[k] ? b[2] : "-",
              f->nps_ok[k] ? b[3] : "-", v);
    }
    t_print(&t, out);
    if (f->nnps_channels) {
        fprintf(out, "\n  Per survey channel (each kind on its own):\n");
        table c = {.ncols = 5};
        t_row(&c, "channel", "relational answers", "relational NPS", "transactional answers",
              "transactional NPS");
        for (uint32_t i = 0; i < f->nnps_channels; i++) {
            char v[2][CELL], n[2][32];
            for (int k = 0; k < 2; k++) {
                const cxm_nps_result *r = &f->nps_channel[i].nps[k];
                if (f->nps_channel[i].ok[k])
                    snprintf(v[k], CELL, "%+.1f (%+.1f to %+.1f)", r->nps, r->ci.lower,
                             r->ci.upper);
                else
                    snprintf(v[k], CELL, "-");
                count(f->nps_channel[i].ok[k] ? r->n : 0, n[k]);
            }
            t_row(&c, f->nps_channel[i].name, n[0], v[0], n[1], v[1]);
        }
        t_print(&c, out);
    }
    if (!f->nbrands) return;
    section(out, "Competitive NPS, per brand");
    if (!f->have_ours)
        fprintf(out, "  Our brand is not among the competitive answers%s%s%s: no gaps.\n",
                s->lay.our_brand[0] ? " (\"" : "", s->lay.our_brand,
                s->lay.our_brand[0] ? "\")" : "");
    table c = {.ncols = 6};
    t_row(&c, "brand", "answers", "NPS (95% interval)", "gap: ours - theirs", "gap 95% interval",
          "significant?");
    for (uint32_t i = 0; i < f->nbrands; i++) {
        const brand_fig *g = &f->brand[i];
        char name[CELL], v[CELL], gap[CELL], ci[CELL], sig[CELL];
        snprintf(name, sizeof name, "%s%s", g->name, g->ours ? " (ours)" : "");
        snprintf(v, sizeof v, "%+.1f (%+.1f to %+.1f)", g->nps.nps, g->nps.ci.lower,
                 g->nps.ci.upper);
        snprintf(gap, sizeof gap, g->gap_ok ? "%+.1f points" : "-", g->gap.diff);
        snprintf(ci, sizeof ci, g->gap_ok ? "%+.1f to %+.1f" : "-", g->gap.ci.lower,
                 g->gap.ci.upper);
        char pt[32];
        snprintf(sig, sizeof sig, g->gap_ok ? "%s (%s)" : "-", g->gap.significant ? "yes" : "no",
                 p_text(g->gap.p, pt, sizeof pt));
        t_row(&c, name, count(g->nps.n, b[0]), v, gap, ci, sig);
    }
    t_print(&c, out);
    fprintf(out, "  A positive gap means our NPS is higher than that brand's; \"significant\"\n"
                 "  means a difference this large would arise by chance less than 5%% of\n"
                 "  the time (two-sample test, p < 0.05).\n");
}

static void print_trend(const state *s, const figures *f, FILE *out)
{
    if (!f->nweeks) return;
    section(out, "Weekly trend (weeks start on Monday)");
    table t = {.ncols = TR_SERIES + 1};
    t_row(&t, "week of", "tickets", "CSAT satisfied", "FCR", "resolution in SLA",
          "median first reply", "relational NPS", "transactional NPS");
    for (uint32_t w = 0; w < f->nweeks; w++) {
        char c[TR_SERIES][CELL];
        for (int k = 0; k < TR_SERIES; k++) {
            const trend_point *p = &f->week[w].p[k];
            if (!p->ok)
                snprintf(c[k], CELL, "-");
            else if (k == TR_TICKETS)
                count(p->n, c[k]);
            else if (k == TR_FIRST_REPLY)
                fmt_duration(p->value * 3600, c[k], CELL);
            else if (k >= TR_NPS_REL)
                snprintf(c[k], CELL, "%+.0f", p->value);
            else
                snprintf(c[k], CELL, "%.1f%%", p->value);
        }
        t_row(&t, f->week[w].label, c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
    }
    t_print(&t, out);
    if (s->outside_weeks)
        fprintf(out, "  %llu tickets or answers fall in weeks beyond the %d shown.\n",
                (unsigned long long)s->outside_weeks, MAX_WEEKS);
    if (f->nweeks < 2) return;
    fprintf(out, "\n  Last week against the week before:\n");
    table ch = {.ncols = 3};
    t_row(&ch, "figure", "change", "");
    for (int k = 0; k < TR_SERIES; k++) {
        const change_fig *c = &f->change[k];
        if (!c->ok) continue;
        char v[CELL], mark[CELL], pt[32];
        snprintf(v, sizeof v, "%+.1f %s", c->diff,
                 k == TR_TICKETS       ? "tickets"
                 : k >= TR_NPS_REL     ? "NPS points"
                 : k == TR_FIRST_REPLY ? "h"
                                       : "percentage points");
        if (k == TR_TICKETS)
            snprintf(mark, sizeof mark, " ");
        else if (c->p >= 0)
            snprintf(mark, sizeof mark, "%s (%s)",
                     c->significant ? (c->diff > 0 ? "up, significant" : "down, significant")
                                    : "within noise",
                     p_text(c->p, pt, sizeof pt));
        else
            snprintf(mark, sizeof mark, "%s",
                     c->significant ? (c->diff > 0 ? "up, significant" : "down, significant")
                                    : "within noise");
        t_row(&ch, trend_name[k], v, mark);
    }
    t_print(&ch, out);
    fprintf(out, "  Significant means a change this large would arise by chance less than 5%%\n"
                 "  of the time: NPS by a two-sample NPS test, shares (CSAT satisfied, FCR, SLA\n"
                 "  compliance) by a two-proportion test, the median first reply when the\n"
                 "  distribution-free 95%% interval of its change excludes zero.\n");
}

int print_text(const state *s, FILE *out)
{
    figures f;
    if (figures_get(s, &f) != 0) return 1;
    char b[4][32], when[64];
    fprintf(out, "cxm-report (libcxm %s)\n", cxm_version_string());
    if (f.tickets) fprintf(out, "Ticket layout: %s (%s)\n", s->lay.preset, s->lay.description);
    fprintf(out, "Report instant: %s (SLA targets not yet met are measured to it)\n",
            fmt_instant(s->as_of, when, sizeof when));

    section(out, "Input");
    table t = {.ncols = 5};
    t_row(&t, "file", "rows read", "used", "partly used", "refused");
    for (uint32_t i = 0; i < s->nfiles; i++) {
        const file_counts *fc = &s->files[i];
        t_row(&t, fc->path, count(fc->rows, b[0]), count(fc->used, b[1]), count(fc->partly, b[2]),
              count(fc->refused, b[3]));
    }
    t_print(&t, out);
    fprintf(out, "  Partly used: the row counts, without the value named below.\n");
    if (s->contradictions == KEEP_UNCONTRADICTED)
        fprintf(out,
                "  Contradictory tickets (a time before the step it follows) are kept without\n"
                "  their times (--contradictions keep): they count in volume, channel, topic,\n"
                "  agent and CSAT, not in times, SLA or FCR.\n");
    else
        fprintf(out, "  Contradictory tickets (a time before the step it follows) are left out\n"
                     "  whole (--contradictions leave-out).\n");
    section(out, "Bad rows");
    print_bad_rows(s, out);
    if (f.tickets) print_tickets(s, &f, out);
    print_nps(&f, s, out);
    print_trend(s, &f, out);
    figures_free(&f);
    return ferror(out) ? 1 : 0;
}
