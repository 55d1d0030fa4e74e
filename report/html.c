/*
 * html.c — the report as one self-contained HTML page: inline CSS and SVG
 * charts, no script, no font or image fetched from anywhere. The figures
 * come from figures.c; this file only places them on a canvas.
 */
#include <math.h>
#include <string.h>

#include "figures.h"

#define GOOD "#2e7d32"
#define MID "#b0b0b0"
#define BAD "#c62828"
#define INK "#1f4e79"
#define BAND "#9ec5e8"

/* Text into HTML: the five characters that mean something there. */
static void esc(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
}

static void text(FILE *out, double x, double y, const char *anchor, const char *cls, const char *s)
{
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y, anchor, cls);
    esc(out, s);
    fputs("</text>\n", out);
}

static void rect(FILE *out, double x, double y, double w, double h, const char *fill)
{
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n", x, y,
            w > 0 ? w : 0, h > 0 ? h : 0, fill);
}

static void line(FILE *out, double x1, double y1, double x2, double y2, const char *stroke,
                 double width)
{
    fprintf(out,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
            "stroke-width=\"%.1f\"/>\n",
            x1, y1, x2, y2, stroke, width);
}

/* ---- NPS distribution by kind -------------------------------------------------- */

static void nps_bar(FILE *out, double y, const char *label, const cxm_nps_result *r)
{
    const double x0 = 190, w = 460, h = 22;
    char buf[96];
    text(out, x0 - 10, y + 15, "end", "lab", label);
    double d = r->detractor_pct / 100 * w, p = r->passive_pct / 100 * w;
    rect(out, x0, y, d, h, BAD);
    rect(out, x0 + d, y, p, h, MID);
    rect(out, x0 + d + p, y, w - d - p, h, GOOD);
    snprintf(buf, sizeof buf, "NPS %+.0f (%+.0f to %+.0f), %llu answers", r->nps, r->ci.lower,
             r->ci.upper, (unsigned long long)r->n);
    text(out, x0 + w + 10, y + 15, "start", "lab", buf);
    if (d > 28) {
        snprintf(buf, sizeof buf, "%.0f%%", r->detractor_pct);
        text(out, x0 + d / 2, y + 15, "middle", "inbar", buf);
    }
    if (w - d - p > 28) {
        snprintf(buf, sizeof buf, "%.0f%%", r->promoter_pct);
        text(out, x0 + d + p + (w - d - p) / 2, y + 15, "middle", "inbar", buf);
    }
}

static void chart_nps(FILE *out, const figures *f)
{
    int rows = f->nps_ok[0] + f->nps_ok[1] + (int)f->nbrands;
    if (!rows) return;
    double h = 60 + rows * 32.0;
    fputs("<section><h2>Net Promoter Score by kind</h2>\n"
          "<p>Each bar is one kind of survey, never blended: detractors (0-6) in red, passives "
          "(7-8) in grey, promoters (9-10) in green. NPS = % promoters &minus; % detractors; "
          "the range in brackets is its 95% interval.</p>\n",
          out);
    fprintf(out, "<svg viewBox=\"0 0 960 %.0f\" width=\"960\" height=\"%.0f\" role=\"img\">\n", h,
            h);
    double y = 10;
    static const char *const kinds[2] = {"relational", "transactional"};
    for (int k = 0; k < 2; k++)
        if (f->nps_ok[k]) {
            nps_bar(out, y, kinds[k], &f->nps[k]);
            y += 32;
        }
    for (uint32_t b = 0; b < f->nbrands; b++) {
        char label[NAME_MAX_LEN + 32];
        snprintf(label, sizeof label, "competitive: %s%s", f->brand[b].name,
                 f->brand[b].ours ? " (ours)" : "");
        nps_bar(out, y, label, &f->brand[b].nps);
        y += 32;
    }
    rect(out, 190, y + 8, 12, 12, BAD);
    text(out, 208, y + 18, "start", "small", "detractors");
    rect(out, 290, y + 8, 12, 12, MID);
    text(out, 308, y + 18, "start", "small", "passives");
    rect(out, 380, y + 8, 12, 12, GOOD);
    text(out, 398, y + 18, "start", "small", "promoters");
    fputs("</svg>\n", out);
    if (f->have_ours && f->nbrands > 1) {
        fputs("<table><tr><th>competitor</th><th>gap: ours &minus; theirs</th><th>95% "
              "interval</th><th>significant?</th></tr>\n",
              out);
        for (uint32_t b = 0; b < f->nbrands; b++) {
            const brand_fig *g = &f->brand[b];
            if (!g->gap_ok) continue;
            fputs("<tr><td>", out);
            esc(out, g->name);
            char pt[32];
            fprintf(out, "</td><td>%+.1f points</td><td>%+.1f to %+.1f</td><td>%s (%s)</td></tr>\n",
                    g->gap.diff, g->gap.ci.lower, g->gap.ci.upper,
                    g->gap.significant ? "yes" : "no", p_text(g->gap.p, pt, sizeof pt));
        }
        fputs("</table><p class=\"note\">A positive gap means our NPS is higher. Significant: a "
              "gap this large would arise by chance less than 5% of the time.</p>\n",
              out);
    }
    fputs("</section>\n", out);
}

/* ---- weekly trend -------------------------------------------------------------------- */

static void trend_panel(FILE *out, const figures *f, int k, double ox, double oy, double lo,
                        double hi)
{
    const double w = 440, h = 150, left = 46, bottom = 24;
    const double pw = w - left - 10, ph = h - bottom - 22;
    fprintf(out, "<g transform=\"translate(%.0f,%.0f)\">\n", ox, oy);
    char title[96];
    snprintf(title, sizeof title, "%s (%s)", trend_name[k], trend_unit[k]);
    text(out, left, 14, "start", "ptitle", title);
    for (int t = 0; t <= 4; t++) {
        double v = lo + (hi - lo) * t / 4, y = 22 + ph - ph * t / 4;
        char buf[32];
        snprintf(buf, sizeof buf, "%.0f", v);
        line(out, left, y, left + pw, y, "#e5e5e5", 1);
        text(out, left - 6, y + 4, "end", "small", buf);
    }
    uint32_t n = f->nweeks;
#define PX(i) (left + (n > 1 ? pw * (double)(i) / (n - 1) : pw / 2))
#define PY(v) (22 + ph - ph * (((v) < lo ? lo : (v) > hi ? hi : (v)) - lo) / (hi - lo))
    /* the interval band: upper edge left to right, lower edge back */
    uint32_t start = 0;
    while (start < n) {
        while (start < n && !f->week[start].p[k].ok)
            start++;
        uint32_t end = start;
        while (end < n && f->week[end].p[k].ok)
            end++;
        if (end > start) {
            fputs("<polygon fill=\"" BAND "\" fill-opacity=\"0.55\" points=\"", out);
            for (uint32_t i = start; i < end; i++)
                fprintf(out, "%.1f,%.1f ", PX(i), PY(f->week[i].p[k].upper));
            for (uint32_t i = end; i-- > start;)
                fprintf(out, "%.1f,%.1f ", PX(i), PY(f->week[i].p[k].lower));
            fputs("\"/>\n<polyline fill=\"none\" stroke=\"" INK "\" stroke-width=\"2\" points=\"",
                  out);
            for (uint32_t i = start; i < end; i++)
                fprintf(out, "%.1f,%.1f ", PX(i), PY(f->week[i].p[k].value));
            fputs("\"/>\n", out);
            for (uint32_t i = start; i < end; i++)
                fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"" INK "\"/>\n",
                        PX(i), PY(f->week[i].p[k].value));
        }
        start = end;
    }
    for (uint32_t i = 0; i<n; i += n> 8 ? 2 : 1)
        text(out, PX(i), h - 6, "middle", "small", f->week[i].label + 5);
    const change_fig *c = &f->change[k];
    if (c->ok && c->significant && f->week[n - 1].p[k].ok) {
        fprintf(out,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"none\" stroke=\"%s\" "
                "stroke-width=\"2\"/>\n",
                PX(n - 1), PY(f->week[n - 1].p[k].value), c->diff < 0 ? BAD : GOOD);
        char buf[64];
        snprintf(buf, sizeof buf, "last week %+.1f, significant", c->diff);
        text(out, left + pw, 14, "end", c->diff < 0 ? "bad" : "good", buf);
    }
#undef PX
#undef PY
    fputs("</g>\n", out);
}

static void chart_trend(FILE *out, const figures *f)
{
    if (f->nweeks < 2) return;
    static const int series[] = {TR_CSAT, TR_SLA, TR_FCR, TR_FIRST_REPLY, TR_NPS_TX, TR_NPS_REL};
    int show[6], m = 0;
    for (int i = 0; i < 6; i++) {
        int any = 0;
        for (uint32_t w = 0; w < f->nweeks; w++)
            any |= f->week[w].p[series[i]].ok;
        if (any) show[m++] = series[i];
    }
    if (!m) return;
    fputs("<section><h2>Weekly trend</h2>\n<p>The line is the week's figure, the shaded band "
          "its 95% interval (wide when a week has few answers). A circled last point changed "
          "significantly from the week before.</p>\n",
          out);
    double h = ((m + 1) / 2) * 160.0;
    fprintf(out, "<svg viewBox=\"0 0 960 %.0f\" width=\"960\" height=\"%.0f\" role=\"img\">\n", h,
            h);
    for (int i = 0; i < m; i++) {
        int k = show[i];
        double lo = 0, hi = 100;
        if (k == TR_NPS_TX || k == TR_NPS_REL) lo = -100;
        if (k == TR_FIRST_REPLY) {
            hi = 1;
            for (uint32_t w = 0; w < f->nweeks; w++)
                if (f->week[w].p[k].ok && f->week[w].p[k].upper > hi) hi = f->week[w].p[k].upper;
            hi = ceil(hi);
        }
        trend_panel(out, f, k, (i % 2) * 480.0, (i / 2) * 160.0, lo, hi);
    }
    fputs("</svg></section>\n", out);
}

/* ---- SLA compliance by priority ------------------------------------------------------ */

static void chart_sla(FILE *out, const state *s, const figures *f)
{
    fputs("<section><h2>SLA compliance by priority</h2>\n<p>Share of targets met among those "
          "that ended (met or missed), with its 95% interval as a whisker. Targets still "
          "running at the report instant are left out.</p>\n",
          out);
    const double h = 276, left = 50, ph = 180, top = 20;
    fprintf(out, "<svg viewBox=\"0 0 960 %.0f\" width=\"960\" height=\"%.0f\" role=\"img\">\n", h,
            h);
    for (int t = 0; t <= 4; t++) {
        double y = top + ph - ph * t / 4;
        char buf[16];
        snprintf(buf, sizeof buf, "%d%%", t * 25);
        line(out, left, y, 940, y, "#e5e5e5", 1);
        text(out, left - 6, y + 4, "end", "small", buf);
    }
    double slot = (940 - left) / (f->npriorities ? f->npriorities : 1);
    for (uint32_t p = 0; p < f->npriorities; p++) {
        const sla_fig *m[2] = {&f->priority[p].sla_first_reply, &f->priority[p].sla_resolution};
        for (int k = 0; k < 2; k++) {
            double x = left + slot * p + slot * 0.2 + k * slot * 0.32, bw = slot * 0.26;
            if (!m[k]->ok) {
                text(out, x + bw / 2, top + ph - 6, "middle", "small", "none ended");
                continue;
            }
            double y = top + ph - ph * m[k]->r.compliance_pct / 100;
            rect(out, x, y, bw, top + ph - y, k ? INK : BAND);
            double y1 = top + ph - ph * m[k]->r.ci.upper / 100,
                   y2 = top + ph - ph * m[k]->r.ci.lower / 100;
            line(out, x + bw / 2, y1, x + bw / 2, y2, "#333", 1.5);
            line(out, x + bw / 2 - 5, y1, x + bw / 2 + 5, y1, "#333", 1.5);
            line(out, x + bw / 2 - 5, y2, x + bw / 2 + 5, y2, "#333", 1.5);
            char buf[32];
            snprintf(buf, sizeof buf, "%.0f%%", m[k]->r.compliance_pct);
            text(out, x + bw / 2, y1 - 5, "middle", "small", buf);
        }
        const level_spec *lv = &s->lay.level[p];
        char targets[96];
        text(out, left + slot * p + slot / 2, top + ph + 20, "middle", "lab", lv->names[0]);
        snprintf(targets, sizeof targets, "targets %g h / %g h%s", (double)lv->first_reply_s / 3600,
                 (double)lv->resolution_s / 3600,
                 lv->mode == CXM_SLA_BUSINESS_HOURS ? " (business)" : "");
        text(out, left + slot * p + slot / 2, top + ph + 36, "middle", "small", targets);
    }
    rect(out, left, h - 18, 12, 12, BAND);
    text(out, left + 18, h - 8, "start", "small", "first reply");
    rect(out, left + 110, h - 18, 12, 12, INK);
    text(out, left + 128, h - 8, "start", "small", "resolution");
    fputs("</svg></section>\n", out);
}

/* ---- resolution-time quantiles by channel -------------------------------------------- */

static void chart_times(FILE *out, const figures *f)
{
    double hi = 0;
    uint32_t rows = 0;
    for (uint32_t c = 0; c < f->nchannels; c++)
        if (f->channel[c].resolution.ok) {
            rows++;
            if (f->channel[c].resolution.d.p90 > hi) hi = f->channel[c].resolution.d.p90;
        }
    if (!rows) return;
    hi = ceil(hi / 3600 / 12) * 12; /* hours, to a half day */
    fputs("<section><h2>Resolution time by channel</h2>\n<p>The box spans the middle half of "
          "tickets (25th to 75th percentile), the thick mark is the median, the whisker "
          "reaches the 90th percentile (9 tickets in 10 were solved within it); the dot is the "
          "mean.</p>\n",
          out);
    const double left = 150, pw = 740;
    double h = 50 + rows * 34.0;
    fprintf(out, "<svg viewBox=\"0 0 960 %.0f\" width=\"960\" height=\"%.0f\" role=\"img\">\n", h,
            h);
    for (int t = 0; t <= 6; t++) {
        double x = left + pw * t / 6;
        char buf[32];
        snprintf(buf, sizeof buf, "%.0f h", hi * t / 6);
        line(out, x, 10, x, h - 30, "#e5e5e5", 1);
        text(out, x, h - 12, "middle", "small", buf);
    }
    double y = 14;
    for (uint32_t c = 0; c < f->nchannels; c++) {
        const time_fig *t = &f->channel[c].resolution;
        if (!t->ok) continue;
#define X(s) (left + pw * ((s) / 3600 > hi ? hi : (s) / 3600) / hi)
        text(out, left - 10, y + 15, "end", "lab", f->channel[c].name);
        line(out, X(t->p75), y + 11, X(t->d.p90), y + 11, "#555", 1.5);
        line(out, X(t->d.p90), y + 4, X(t->d.p90), y + 18, "#555", 1.5);
        rect(out, X(t->p25), y, X(t->p75) - X(t->p25), 22, BAND);
        line(out, X(t->d.median), y - 2, X(t->d.median), y + 24, INK, 3);
        fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n", X(t->d.mean),
                y + 11, BAD);
#undef X
        y += 34;
    }
    fputs("</svg></section>\n", out);
}

/* ---- agent leaderboard --------------------------------------------------------------- */

static void leaderboard(FILE *out, const state *s, const figures *f)
{
    uint64_t most = 0;
    for (uint32_t a = 0; a < f->nagents; a++)
        if (f->agent[a].volume.tickets > most) most = f->agent[a].volume.tickets;
    if (!most) return;
    fputs("<section><h2>Agent leaderboard</h2>\n<table class=\"board\"><tr><th>agent</th>"
          "<th>tickets</th><th>FCR</th><th>CSAT satisfied</th><th>median first reply</th>"
          "<th>resolution within SLA</th></tr>\n",
          out);
    for (uint32_t a = 0; a < f->nagents; a++) {
        const agent_fig *g = &f->agent[a];
        if (!g->volume.tickets) continue;
        char buf[64];
        fputs("<tr><td>", out);
        esc(out, g->name);
        fprintf(out,
                "</td><td><svg width=\"160\" height=\"14\"><rect width=\"%.0f\" height=\"14\" "
                "fill=\"" BAND "\"/><text x=\"4\" y=\"11\" class=\"small\">%llu</text></svg></td>",
                150.0 * (double)g->volume.tickets / (double)most,
                (unsigned long long)g->volume.tickets);
        if (g->board && s->lay.has_reply_counts && g->full.fcr.trials)
            fprintf(out, "<td>%.1f%%</td>", 100 * g->full.fcr.rate);
        else
            fputs("<td>&ndash;</td>", out);
        if (g->board && g->csat_ok) {
            double v = g->csat.satisfied_pct;
            fprintf(out,
                    "<td><svg width=\"110\" height=\"14\"><rect width=\"100\" height=\"14\" "
                    "fill=\"#eee\"/><rect width=\"%.0f\" height=\"14\" fill=\"%s\"/><text "
                    "x=\"4\" y=\"11\" class=\"small inbar\">%.0f%%</text></svg></td>",
                    v,
                    v >= 70   ? GOOD
                    : v >= 50 ? "#e0a000"
                              : BAD,
                    v);
        } else
            fputs("<td>&ndash;</td>", out);
        fprintf(out, "<td>%s</td>",
                g->board && g->first_reply.ok ? fmt_duration(g->first_reply.d.median, buf, 64)
                                              : "&ndash;");
        if (g->board && g->sla_resolution.ok)
            fprintf(out, "<td>%.1f%%</td></tr>\n", g->sla_resolution.r.compliance_pct);
        else
            fputs("<td>&ndash;</td></tr>\n", out);
    }
    fputs("</table></section>\n", out);
}

static void tile(FILE *out, const char *label, const char *value, const char *sub)
{
    fputs("<div class=\"tile\"><div class=\"tl\">", out);
    esc(out, label);
    fputs("</div><div class=\"tv\">", out);
    esc(out, value);
    fputs("</div><div class=\"ts\">", out);
    esc(out, sub);
    fputs("</div></div>\n", out);
}

int print_html(const state *s, FILE *out)
{
    figures f;
    if (figures_get(s, &f) != 0) return 1;
    char when[64], v[96], sub[128];
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<title>Support report</title>\n<style>\n"
          "body{font-family:\"DejaVu Sans\",Arial,sans-serif;margin:24px auto;max-width:980px;"
          "color:#222;background:#fff}\n"
          "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 6px;"
          "border-bottom:1px solid #ddd;padding-bottom:4px}\n"
          "p{margin:4px 0 10px;font-size:13px;color:#444}.note{font-size:12px;color:#666}\n"
          "table{border-collapse:collapse;font-size:13px;margin:6px 0}"
          "td,th{padding:3px 10px;text-align:right;border-bottom:1px solid #eee}"
          "td:first-child,th:first-child,.rows td,.rows th{text-align:left}\n"
          ".tiles{display:flex;gap:12px;flex-wrap:wrap;margin:14px 0}"
          ".tile{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:150px}"
          ".tl{font-size:12px;color:#555}.tv{font-size:26px;font-weight:bold;color:" INK "}"
          ".ts{font-size:11px;color:#777}\n"
          "svg text{font-family:\"DejaVu Sans\",Arial,sans-serif}"
          ".lab{font-size:13px;fill:#222}.small{font-size:11px;fill:#444}"
          ".inbar{font-size:11px;fill:#fff}.ptitle{font-size:13px;font-weight:bold;fill:#222}"
          ".bad{font-size:12px;fill:" BAD "}.good{font-size:12px;fill:" GOOD "}\n"
          "</style></head><body>\n<h1>Support report</h1>\n",
          out);
    fprintf(out, "<p>Report instant %s. Computed by libcxm %s", fmt_instant(s->as_of, when, 64),
            cxm_version_string());
    if (f.tickets) {
        fputs("; ticket layout: ", out);
        esc(out, s->lay.description);
    }
    fprintf(out,
            ".</p>\n<p>Rows read %llu: used %llu, partly used %llu, refused %llu. "
            "Contradictory tickets were %s.</p>\n",
            (unsigned long long)f.rows, (unsigned long long)f.used, (unsigned long long)f.partly,
            (unsigned long long)f.refused,
            s->contradictions == KEEP_UNCONTRADICTED ? "kept without their times" : "left out");
    fputs("<div class=\"tiles\">\n", out);
    if (f.tickets) {
        const group_fig *o = &f.overall;
        snprintf(v, sizeof v, "%llu", (unsigned long long)o->all.tickets);
        snprintf(sub, sizeof sub, "%llu solved now", (unsigned long long)o->full.solved);
        tile(out, "tickets", v, sub);
        if (s->lay.has_reply_counts && o->full.fcr.trials) {
            snprintf(v, sizeof v, "%.1f%%", 100 * o->full.fcr.rate);
            snprintf(sub, sizeof sub, "profile %s; 95%%: %.1f-%.1f",
                     cxm_fcr_profile_str(s->lay.fcr_profile), 100 * o->full.fcr.ci.lower,
                     100 * o->full.fcr.ci.upper);
            tile(out, "first contact resolution", v, sub);
        }
        if (o->csat_ok) {
            snprintf(v, sizeof v, "%.1f%%", o->csat.satisfied_pct);
            snprintf(sub, sizeof sub, "%llu answers; 95%%: %.1f-%.1f",
                     (unsigned long long)o->csat.n, o->csat.satisfied_ci.lower,
                     o->csat.satisfied_ci.upper);
            tile(out, "CSAT satisfied", v, sub);
        }
        if (o->first_reply.ok) {
            fmt_duration(o->first_reply.d.median, v, sizeof v);
            snprintf(sub, sizeof sub, "median; 9 in 10 within %s",
                     fmt_duration(o->first_reply.d.p90, when, sizeof when));
            tile(out, "first reply", v, sub);
        }
        if (o->sla_resolution.ok) {
            snprintf(v, sizeof v, "%.1f%%", o->sla_resolution.r.compliance_pct);
            snprintf(sub, sizeof sub, "95%%: %.1f-%.1f", o->sla_resolution.r.ci.lower,
                     o->sla_resolution.r.ci.upper);
            tile(out, "resolved within SLA", v, sub);
        }
    }
    if (f.nps_ok[1]) {
        snprintf(v, sizeof v, "%+.0f", f.nps[1].nps);
        snprintf(sub, sizeof sub, "%llu answers; 95%%: %+.0f to %+.0f",
                 (unsigned long long)f.nps[1].n, f.nps[1].ci.lower, f.nps[1].ci.upper);
        tile(out, "transactional NPS", v, sub);
    }
    fputs("</div>\n", out);
    chart_nps(out, &f);
    chart_trend(out, &f);
    if (f.tickets) {
        chart_sla(out, s, &f);
        chart_times(out, &f);
        leaderboard(out, s, &f);
    }
    if (s->nlisted) {
        fputs("<section><h2>Bad rows</h2>\n<table "
              "class=\"rows\"><tr><th>file:line</th><th>column</th>"
              "<th>problem</th><th>row</th><th>detail</th></tr>\n",
              out);
        for (uint64_t i = 0; i < s->nlisted; i++) {
            const bad_row *b = &s->listed[i];
            fputs("<tr><td>", out);
            esc(out, b->file);
            fprintf(out, ":%llu</td><td>", (unsigned long long)b->line);
            esc(out, b->column[0] ? b->column : "-");
            fputs("</td><td>", out);
            esc(out, reason_text[b->reason]);
            fprintf(out, "</td><td>%s</td><td>", b->partly_used ? "partly used" : "refused");
            esc(out, b->detail);
            fputs("</td></tr>\n", out);
        }
        fputs("</table></section>\n", out);
    }
    fputs("</body></html>\n", out);
    figures_free(&f);
    return ferror(out) ? 1 : 0;
}
