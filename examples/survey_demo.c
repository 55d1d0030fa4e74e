/*
 * survey_demo — reads survey answers ("survey,score" lines) and prints the
 * survey metrics the way a support lead reads them: each NPS kind on its
 * own line with its interval (never one blended number), the competitive
 * panel as gaps to our brand, then CSAT (1-5) and CES 2.0 (1-7) with the
 * intervals of their means and shares.
 *
 *   survey_demo examples/data/survey_sample.csv
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cxm.h>

#define CHECK(expr)                                                                                \
    do {                                                                                           \
        cxm_status st_ = (expr);                                                                   \
        if (st_ != CXM_OK) {                                                                       \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #expr, cxm_status_str(st_));    \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

static void print_nps(const char *label, const cxm_nps *n)
{
    cxm_nps_result r = {.size = sizeof r};
    cxm_status st = cxm_nps_result_get(n, 0.95, CXM_NPS_ADJUSTED_WALD, &r);
    if (st == CXM_EMPTY) {
        printf("%-16s no answers\n", label);
        return;
    }
    CHECK(st);
    printf("%-16s NPS %+6.1f  95%% CI [%+6.1f, %+6.1f]  n=%-4llu  promoters %4.1f%%  "
           "passives %4.1f%%  detractors %4.1f%%\n",
           label, r.nps, r.ci.lower, r.ci.upper, (unsigned long long)r.n, r.promoter_pct,
           r.passive_pct, r.detractor_pct);
}

static void print_csat(const cxm_csat *c)
{
    cxm_csat_result r = {.size = sizeof r};
    cxm_status st = cxm_csat_result_get(c, 0.95, &r);
    if (st == CXM_EMPTY) {
        printf("CSAT             no answers\n");
        return;
    }
    CHECK(st);
    printf("CSAT (%d-%d)       satisfied (>= %d) %5.1f%%  95%% CI [%5.1f%%, %5.1f%%]  n=%llu\n",
           r.scale_min, r.scale_max, r.threshold, r.satisfied_pct, r.satisfied_ci.lower,
           r.satisfied_ci.upper, (unsigned long long)r.n);
    printf("                 mean %.2f  95%% CI [%.2f, %.2f]  sd %.2f  median %.1f\n", r.mean,
           r.mean_ci.lower, r.mean_ci.upper, r.sd, r.median);
}

static void print_ces(const cxm_ces *c)
{
    cxm_ces_result r = {.size = sizeof r};
    cxm_status st = cxm_ces_result_get(c, 0.95, &r);
    if (st == CXM_EMPTY) {
        printf("CES              no answers\n");
        return;
    }
    CHECK(st);
    printf("CES 2.0 (%d-%d)    easy (>= %d) %5.1f%%  95%% CI [%5.1f%%, %5.1f%%]  n=%llu\n",
           r.scale_min, r.scale_max, r.threshold, r.easy_pct, r.easy_ci.lower, r.easy_ci.upper,
           (unsigned long long)r.n);
    printf("                 mean %.2f  95%% CI [%.2f, %.2f]  sd %.2f  median %.1f\n", r.mean,
           r.mean_ci.lower, r.mean_ci.upper, r.sd, r.median);
    if (r.index_defined)
        printf("                 index %%(6-7) - %%(1-3) %+6.1f  95%% CI [%+6.1f, %+6.1f]\n",
               r.index, r.index_ci.lower, r.index_ci.upper);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s survey.csv\n", argv[0]);
        return 2;
    }
    FILE *fp = fopen(argv[1], "r");
    if (!fp) {
        perror(argv[1]);
        return 1;
    }
    cxm_nps *relational, *transactional;
    cxm_nps_panel *panel;
    CHECK(cxm_nps_new(CXM_NPS_RELATIONAL, 0, NULL, &relational));
    CHECK(cxm_nps_new(CXM_NPS_TRANSACTIONAL, 0, NULL, &transactional));
    CHECK(cxm_nps_panel_new(8, NULL, &panel));
    cxm_csat *csat;
    cxm_ces *ces;
    CHECK(cxm_csat_new(NULL, NULL, &csat)); /* 1-5, satisfied = 4-5 */
    CHECK(cxm_ces_new(NULL, NULL, &ces));   /* CES 2.0: 1-7, easy = 5-7 */

    char line[256];
    unsigned long lineno = 0, rejected = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        char *comma = strchr(line, ',');
        if (!comma) {
            fprintf(stderr, "line %lu: no comma\n", lineno);
            rejected++;
            continue;
        }
        *comma = '\0';
        int score = atoi(comma + 1);
        unsigned brand;
        cxm_status st;
        if (strcmp(line, "nps_relational") == 0)
            st = cxm_nps_add(relational, score);
        else if (strcmp(line, "nps_transactional") == 0)
            st = cxm_nps_add(transactional, score);
        else if (strcmp(line, "nps_competitive_ours") == 0)
            st = cxm_nps_panel_add(panel, CXM_NPS_OUR_BRAND, score);
        else if (sscanf(line, "nps_competitive_brand_%u", &brand) == 1)
            st = cxm_nps_panel_add(panel, brand, score);
        else if (strcmp(line, "csat") == 0)
            st = cxm_csat_add(csat, score);
        else if (strcmp(line, "ces") == 0)
            st = cxm_ces_add(ces, score);
        else
            st = CXM_INVALID_ARGUMENT;
        if (st != CXM_OK) {
            /* Bad input is reported, never counted. */
            fprintf(stderr, "line %lu: %s\n", lineno, cxm_status_str(st));
            rejected++;
        }
    }
    fclose(fp);

    printf("cxm %s — survey metrics (NPS kinds are reported apart, never blended)\n\n",
           cxm_version_string());
    print_nps("relational", relational);
    print_nps("transactional", transactional);

    cxm_nps_result ours = {.size = sizeof ours};
    CHECK(cxm_nps_panel_result(panel, CXM_NPS_OUR_BRAND, 0.95, 0, &ours));
    printf("\ncompetitive: our NPS %+6.1f (n=%llu)\n", ours.nps, (unsigned long long)ours.n);
    uint32_t count, cap;
    CHECK(cxm_nps_panel_brands(panel, &count, &cap));
    for (uint32_t i = 0; i < count; i++) {
        cxm_nps_gap g = {.size = sizeof g};
        CHECK(cxm_nps_panel_gap(panel, i, 0.95, CXM_NPS_ADJUSTED_WALD, &g));
        printf("  vs brand %-3u NPS %+6.1f  gap %+6.1f  p=%.3f  %s\n", g.brand, g.nps_theirs, g.gap,
               g.p, g.significant ? "significant" : "not significant");
    }
    printf("\n");
    print_csat(csat);
    print_ces(ces);
    if (rejected) printf("\n%lu line(s) rejected (see stderr)\n", rejected);

    cxm_nps_free(relational);
    cxm_nps_free(transactional);
    cxm_nps_panel_free(panel);
    cxm_csat_free(csat);
    cxm_ces_free(ces);
    return 0;
}
