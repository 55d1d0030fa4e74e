/*
 * cxm-report — the report a support manager runs on a helpdesk export:
 * tickets and survey answers in, aligned tables (or JSON, or an HTML page
 * with charts) out. Every figure is computed by libcxm.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: cxm-report [options] TICKETS.csv ... [--survey SURVEY.csv ...]\n"
            "\n"
            "  -s, --survey FILE      a survey export (score, kind, brand, channel, date)\n"
            "  -p, --preset NAME      ticket layout: zendesk, freshdesk, kaggle\n"
            "                         (default: recognised from the header)\n"
            "  -c, --config FILE      JSON layout: columns, priorities and SLA targets,\n"
            "                         business hours, scales, FCR profile\n"
            "      --tz OFFSET        UTC offset of timestamps without one (+02:00)\n"
            "      --as-of TIME       report instant for SLA targets still running\n"
            "                         (default: now)\n"
            "      --contradictions keep|leave-out\n"
            "                         a ticket whose times contradict each other: keep it\n"
            "                         without its times (default) or leave it out\n"
            "      --our-brand NAME   our brand in competitive NPS answers\n"
            "      --list N           bad rows listed one by one (default 20)\n"
            "      --strict           any bad row is an error (exit status 3)\n"
            "      --json             print the report as JSON\n"
            "      --html FILE        also write the report as an HTML page\n"
            "  -h, --help             this text\n"
            "      --version          the program and library versions\n"
            "\n"
            "Exit status: 0 report printed; 1 usage or input error; 3 bad rows with --strict.\n");
}

enum {
    OPT_TZ = 256,
    OPT_AS_OF,
    OPT_CONTRA,
    OPT_BRAND,
    OPT_LIST,
    OPT_STRICT,
    OPT_JSON,
    OPT_HTML,
    OPT_VERSION
};

int main(int argc, char **argv)
{
    static const struct option longs[] = {
        {"survey", required_argument, NULL, 's'},
        {"preset", required_argument, NULL, 'p'},
        {"config", required_argument, NULL, 'c'},
        {"tz", required_argument, NULL, OPT_TZ},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"contradictions", required_argument, NULL, OPT_CONTRA},
        {"our-brand", required_argument, NULL, OPT_BRAND},
        {"list", required_argument, NULL, OPT_LIST},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"json", no_argument, NULL, OPT_JSON},
        {"html", required_argument, NULL, OPT_HTML},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    static state s; /* large: not on the stack */
    const char *surveys[MAX_FILES], *config = NULL, *preset = NULL, *tz = NULL, *as_of = NULL;
    const char *html = NULL, *brand = NULL;
    int nsurveys = 0, json = 0;
    uint32_t list = 20;
    memset(&s, 0, sizeof s);
    int c;
    while ((c = getopt_long(argc, argv, "s:p:c:h", longs, NULL)) != -1) {
        switch (c) {
        case 's':
            if (nsurveys == MAX_FILES) {
                fprintf(stderr, "cxm-report: too many survey files\n");
                return 1;
            }
            surveys[nsurveys++] = optarg;
            break;
        case 'p': preset = optarg; break;
        case 'c': config = optarg; break;
        case OPT_TZ: tz = optarg; break;
        case OPT_AS_OF: as_of = optarg; break;
        case OPT_CONTRA:
            if (strcmp(optarg, "keep") == 0)
                s.contradictions = KEEP_UNCONTRADICTED;
            else if (strcmp(optarg, "leave-out") == 0)
                s.contradictions = LEAVE_OUT;
            else {
                fprintf(stderr, "cxm-report: --contradictions is keep or leave-out\n");
                return 1;
            }
            break;
        case OPT_BRAND: brand = optarg; break;
        case OPT_LIST:
            if (parse_uint(optarg, &list) != 0) {
                fprintf(stderr, "cxm-report: --list takes a number\n");
                return 1;
            }
            break;
        case OPT_STRICT: s.strict = 1; break;
        case OPT_JSON: json = 1; break;
        case OPT_HTML: html = optarg; break;
        case 'h': usage(stdout); return 0;
        case OPT_VERSION: printf("cxm-report %s\n", cxm_version_string()); return 0;
        default: usage(stderr); return 1;
        }
    }
    if (optind == argc && nsurveys == 0) {
        usage(stderr);
        return 1;
    }
    layout_preset(&s.lay, "survey"); /* survey columns; ticket columns from the header */
    if (preset && (strcmp(preset, "survey") == 0 || !layout_preset(&s.lay, preset))) {
        fprintf(stderr, "cxm-report: unknown preset %s (zendesk, freshdesk, kaggle)\n", preset);
        return 1;
    }
    if (config && layout_load_config(&s.lay, config) != 0) {
        layout_free(&s.lay);
        return 1;
    }
    if (tz && parse_offset(tz, &s.lay.utc_offset) != 0) {
        fprintf(stderr, "cxm-report: --tz takes an offset such as +02:00\n");
        layout_free(&s.lay);
        return 1;
    }
    if (brand) snprintf(s.lay.our_brand, sizeof s.lay.our_brand, "%s", brand);
    s.as_of = (int64_t)time(NULL);
    if (as_of && parse_time(as_of, s.lay.utc_offset, &s.as_of) != 0) {
        fprintf(stderr, "cxm-report: --as-of takes a timestamp such as 2024-04-01T00:00Z\n");
        layout_free(&s.lay);
        return 1;
    }
    s.listed_max = list;
    s.progress = isatty(2);
    int rc = state_init(&s);
    for (int i = optind; rc == 0 && i < argc; i++)
        rc = read_tickets(&s, argv[i]);
    for (int i = 0; rc == 0 && i < nsurveys; i++)
        rc = read_survey(&s, surveys[i]);
    if (rc == 0) rc = state_finish(&s);
    if (rc == 0 && s.strict) {
        uint64_t bad = 0;
        for (uint32_t i = 0; i < s.nfiles; i++)
            bad += s.files[i].partly + s.files[i].refused;
        if (bad) {
            fprintf(stderr, "cxm-report: --strict: %llu bad rows; no report\n",
                    (unsigned long long)bad);
            print_bad_rows(&s, stderr);
            rc = 3;
        }
    }
    if (rc == 0 && html) {
        FILE *fp = fopen(html, "w");
        if (!fp || print_html(&s, fp) != 0) {
            fprintf(stderr, "cxm-report: cannot write %s: %s\n", html,
                    errno ? strerror(errno) : "write error");
            rc = 1;
        }
        if (fp && fclose(fp) != 0) rc = 1;
    }
    if (rc == 0) rc = json ? print_json(&s, stdout) : print_text(&s, stdout);
    state_free(&s);
    return rc;
}
