/*
 * survey_demo — reads survey answers ("survey,score" lines) and prints the
 * survey metrics in plain words, for whoever reads the support report: the
 * input and how many rows were read, counted and refused; each NPS survey
 * on its own (never one blended number); our NPS against each competitor
 * by name, with the gap's direction and whether it is a clear difference;
 * then CSAT (1-5) and CES 2.0 (1-7). Every figure has its 95% interval,
 * explained once.
 *
 *   survey_demo examples/data/survey_sample.csv
 *
 * Input lines: "<survey>,<score>" where survey is nps_relational,
 * nps_transactional, nps_competitive_ours, nps_competitive_brand_<id>, csat
 * or ces; '#' starts a comment, and the comment "# brand <id>: <name>"
 * names a competitor (so the file stays "survey,score" for other readers).
 */
#include <errno.h>
#include <limits.h>
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

#define MAX_NAMES 16
#define LEVEL 0.95

typedef struct brand_name {
    unsigned id;
    char name[64];
} brand_name;

static brand_name names[MAX_NAMES];
static unsigned n_names;

static void remember_name(unsigned id, const char *name)
{
    if (n_names == MAX_NAMES) return;
    names[n_names].id = id;
    snprintf(names[n_names].name, sizeof names[n_names].name, "%.*s", (int)strcspn(name, "\r\n"),
             name);
    n_names++;
}

/* The competitor's name from the input, or "brand <id>" when none was given. */
static const char *name_of(unsigned id, char *buf, size_t cap)
{
    for (unsigned i = 0; i < n_names; i++)
        if (names[i].id == id) return names[i].name;
    snprintf(buf, cap, "brand %u (no name in the input)", id);
    return buf;
}

static void print_nps(const char *title, const cxm_nps *n)
{
    cxm_nps_result r = {.size = sizeof r};
    cxm_status st = cxm_nps_result_get(n, LEVEL, CXM_NPS_ADJUSTED_WALD, &r);
    if (st == CXM_EMPTY) {
        printf("  %s: no data (no answers)\n", title);
        return;
    }
    CHECK(st);
    printf("  %s, %llu answers\n", title, (unsigned long long)r.n);
    printf("    NPS %+.1f (95%% interval %+.1f to %+.1f)\n", r.nps, r.ci.lower, r.ci.upper);
    printf("    promoters %.1f%%, passives (7-8) %.1f%%, detractors %.1f%%\n", r.promoter_pct,
           r.passive_pct, r.detractor_pct);
}

/* How often chance alone gives a gap at least this large, in words. */
static void print_clear_or_not(uint32_t significant, double p)
{
    if (significant)
        printf("    A clear difference: were both brands really equal, chance alone would give "
               "a gap this large\n    only %.1f%% of the time (under %.0f%%).\n",
               100.0 * p, 100.0 * (1.0 - LEVEL));
    else
        printf("    Not a clear difference: were both brands really equal, chance alone would "
               "give a gap\n    this large %.0f%% of the time.\n",
               100.0 * p);
}

static void print_panel(const cxm_nps_panel *panel)
{
    printf("Against competitors (our customers rating each brand on the same question)\n");
    cxm_nps_result ours = {.size = sizeof ours};
    cxm_status st = cxm_nps_panel_result(panel, CXM_NPS_OUR_BRAND, LEVEL, 0, &ours);
    if (st == CXM_EMPTY)
        printf("  Our NPS: no data (no answers about us)\n");
    else {
        CHECK(st);
        printf("  Our NPS: %+.1f from %llu answers\n", ours.nps, (unsigned long long)ours.n);
    }
    uint32_t count, cap;
    CHECK(cxm_nps_panel_brands(panel, &count, &cap));
    for (uint32_t i = 0; i < count; i++) {
        cxm_nps_gap g = {.size = sizeof g};
        st = cxm_nps_panel_gap(panel, i, LEVEL, CXM_NPS_ADJUSTED_WALD, &g);
        if (st != CXM_EMPTY) CHECK(st);
        char buf[48];
        const char *name = name_of(g.brand, buf, sizeof buf);
        if (!g.has_theirs) {
            printf("  %s: no data (no answers)\n", name);
            continue;
        }
        printf("  %s: NPS %+.1f from %llu answers.", name, g.nps_theirs,
               (unsigned long long)g.n_theirs);
        if (!g.has_ours) {
            printf(" No gap: we have no answers to compare.\n");
            continue;
        }
        /* The gap is ours minus theirs: positive means we are ahead. */
        if (g.gap > 0.0)
            printf(" We are %.1f points ahead.\n", g.gap);
        else if (g.gap < 0.0)
            printf(" We are %.1f points behind.\n", -g.gap);
        else
            printf(" We are level.\n");
        printf("    95%% interval of the gap (ours minus theirs): %+.1f to %+.1f points.\n",
               g.ci.lower, g.ci.upper);
        print_clear_or_not(g.significant, g.p);
    }
}

/* Mean, median and spread, shared by CSAT and CES; one answer has no spread. */
static void print_average(uint32_t has_sd, double mean, cxm_interval ci, double median, double sd)
{
    if (!has_sd) {
        printf("  average answer %.2f, middle answer %.1f; interval and spread: no data (one "
               "answer)\n",
               mean, median);
        return;
    }
    printf("  average answer %.2f (95%% interval %.2f to %.2f), middle answer %.1f\n", mean,
           ci.lower, ci.upper, median);
    printf("  answers typically lie %.2f points from the average (standard deviation)\n", sd);
}

static void print_csat(const cxm_csat *c)
{
    cxm_csat_result r = {.size = sizeof r};
    cxm_status st = cxm_csat_result_get(c, LEVEL, &r);
    if (st == CXM_EMPTY) {
        printf("Customer satisfaction (CSAT): no data (no answers)\n");
        return;
    }
    CHECK(st);
    printf("Customer satisfaction (CSAT, answers %d to %d), %llu answers\n", r.scale_min,
           r.scale_max, (unsigned long long)r.n);
    printf("  %.1f%% satisfied (answered %d to %d); 95%% interval %.1f%% to %.1f%%\n",
           r.satisfied_pct, r.threshold, r.scale_max, r.satisfied_ci.lower, r.satisfied_ci.upper);
    print_average(r.has_sd, r.mean, r.mean_ci, r.median, r.sd);
}

static void print_ces(const cxm_ces *c)
{
    cxm_ces_result r = {.size = sizeof r};
    cxm_status st = cxm_ces_result_get(c, LEVEL, &r);
    if (st == CXM_EMPTY) {
        printf("Customer effort (CES): no data (no answers)\n");
        return;
    }
    CHECK(st);
    printf("Customer effort (CES 2.0, \"the company made it easy to handle my issue\"),\n"
           "answers %d to %d, higher is easier, %llu answers\n",
           r.scale_min, r.scale_max, (unsigned long long)r.n);
    printf("  %.1f%% found it easy (answered %d to %d); 95%% interval %.1f%% to %.1f%%\n",
           r.easy_pct, r.threshold, r.scale_max, r.easy_ci.lower, r.easy_ci.upper);
    print_average(r.has_sd, r.mean, r.mean_ci, r.median, r.sd);
    if (r.index_defined)
        printf("  effort index %+.1f = %% who found it very easy (6-7) minus %% who found it "
               "hard (1-3);\n  95%% interval %+.1f to %+.1f\n",
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
    unsigned long lineno = 0, answers = 0, refused = 0, named = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        unsigned brand;
        int used = 0;
        if (sscanf(line, "# brand %u: %n", &brand, &used) == 1 && used > 0) {
            remember_name(brand, line + used);
            named++;
            continue;
        }
        if (line[0] == '#' || line[0] == '\n') continue;
        answers++;
        char *comma = strchr(line, ',');
        if (!comma) {
            fprintf(stderr, "%s line %lu refused: no comma between survey and score\n", argv[1],
                    lineno);
            refused++;
            continue;
        }
        *comma = '\0';
        /* The whole field is the score: "abc", "" or "9.5" is refused, never read as 0 or 9. */
        char *end = NULL;
        errno = 0;
        long value = strtol(comma + 1, &end, 10);
        int none = end == comma + 1; /* no digits at all */
        while (*end == ' ' || *end == '\r' || *end == '\n')
            end++;
        if (none || *end != '\0' || errno || value < INT_MIN || value > INT_MAX) {
            comma[1 + strcspn(comma + 1, "\r\n")] = '\0';
            fprintf(stderr,
                    "%s line %lu refused (survey \"%s\"): the score \"%s\" is not a whole number\n",
                    argv[1], lineno, line, comma + 1);
            refused++;
            continue;
        }
        int score = (int)value;
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
            fprintf(stderr, "%s line %lu refused (survey \"%s\", score %d): %s\n", argv[1], lineno,
                    line, score, cxm_status_str(st));
            refused++;
        }
    }
    fclose(fp);

    printf("cxm %s survey report of %s\n", cxm_version_string(), argv[1]);
    printf("  %lu answers read, %lu counted, %lu refused%s; %lu competitor names\n\n", answers,
           answers - refused, refused,
           refused ? " (each is listed in the error output, with its line and reason)" : "", named);
    printf("Each figure comes with a 95%% interval: the range that, 95 times out of 100, holds\n"
           "the value we would get by asking every customer, not only those who answered.\n"
           "Fewer answers give a wider range. \"No data\" means there is nothing to measure.\n\n");

    printf("Net Promoter Score (NPS) = %% promoters (answered 9-10) minus %% detractors (0-6),\n"
           "from -100 to +100. Each survey has its own line: they ask different questions,\n"
           "so their scores are never added together.\n");
    print_nps("Relationship survey (\"would you recommend us?\")", relational);
    print_nps("After-ticket survey (about one support contact)", transactional);
    printf("\n");
    print_panel(panel);
    printf("\n");
    print_csat(csat);
    printf("\n");
    print_ces(ces);

    cxm_nps_free(relational);
    cxm_nps_free(transactional);
    cxm_nps_panel_free(panel);
    cxm_csat_free(csat);
    cxm_ces_free(ces);
    return 0;
}
