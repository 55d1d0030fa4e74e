/*
 * report.h — what the parts of cxm-report share: the column roles, the
 * layout of an export (a preset or a JSON config), the state the rows are
 * fed into (every figure lives in a cxm accumulator), and the list of bad
 * rows.
 *
 * The program reads; the library counts. Nothing here computes a metric:
 * the figures printed come from cxm result calls (see figures.c).
 */
#ifndef CXM_REPORT_H
#define CXM_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include <cxm.h>

/* ---- layout of an export ------------------------------------------------------ */

/* What a ticket column means. */
enum ticket_role {
    T_ID,
    T_CREATED,
    T_FIRST_REPLY,
    T_FIRST_SOLVED,
    T_LAST_SOLVED,
    T_STATUS,
    T_PRIORITY,
    T_CHANNEL,
    T_TOPIC,
    T_AGENT,
    T_REOPENS,
    T_AGENT_REPLIES,
    T_CUSTOMER_REPLIES,
    T_CSAT,
    T_CES,
    T_ROLES
};

/* What a survey column means. */
enum survey_role { S_SCORE, S_KIND, S_BRAND, S_CHANNEL, S_DATE, S_ROLES };

#define NAME_MAX_LEN 96
#define MAX_LEVELS 8
#define MAX_ALIASES 6

/* A column: its header name and, for a time, its unit: 0 = a timestamp,
 * else seconds per unit of a span measured from creation ("minutes"). */
typedef struct col_spec {
    char name[NAME_MAX_LEN];
    double unit;
} col_spec;

typedef struct level_spec {
    char names[MAX_ALIASES][NAME_MAX_LEN]; /* names[0] is shown */
    int64_t first_reply_s;                 /* target, seconds; 0 = none */
    int64_t resolution_s;
    uint32_t mode; /* cxm_sla_mode */
} level_spec;

typedef struct layout {
    char preset[32];
    char description[160];
    col_spec ticket[T_ROLES];
    col_spec survey[S_ROLES];
    uint32_t levels;
    level_spec level[MAX_LEVELS];
    uint32_t fcr_profile;  /* cxm_fcr_profile */
    int has_reply_counts;  /* the export counts replies (FCR is defined) */
    int created_is_reply;  /* no creation time: the first response stands in */
    cxm_csat_options csat; /* scale */
    cxm_ces_options ces;   /* scale and direction */
    int32_t utc_offset;    /* seconds, for timestamps without an offset */
    char delimiter;        /* field separator, ',' unless the config says otherwise */
    char our_brand[NAME_MAX_LEN];
    cxm_calendar *calendar; /* business hours, or NULL */
} layout;

/* Fills `l` with a preset by name ("zendesk", "freshdesk", "kaggle",
 * "survey"); 0 if unknown. */
int layout_preset(layout *l, const char *name);
/* The preset whose ticket columns all appear in a header, or NULL. */
const char *layout_detect(char *const *names, size_t n);
/* Reads a JSON config over the current layout; 0 on success, else prints
 * the reason to stderr. */
int layout_load_config(layout *l, const char *path);
/* Frees what a layout owns (the calendar). */
void layout_free(layout *l);

/* ---- parsing values ------------------------------------------------------------ */

/* A timestamp "YYYY-MM-DD[ T]HH:MM[:SS[.f]][Z|+HH:MM|+HHMM]" or a date;
 * naive ones take `offset`. 0 on success. */
int parse_time(const char *s, int32_t offset, int64_t *out);
/* "+02:00", "-0530", "Z" -> seconds east of UTC. 0 on success. */
int parse_offset(const char *s, int32_t *out);
int parse_uint(const char *s, uint32_t *out);
int parse_number(const char *s, double *out);

/* ---- bad rows ------------------------------------------------------------------ */

enum reason {
    BAD_FIELD_COUNT,
    BAD_MISSING,
    BAD_TIMESTAMP,
    BAD_NUMBER,
    BAD_PRIORITY,
    BAD_CSAT,
    BAD_CES,
    BAD_CONTRADICTION,
    BAD_FUTURE,
    BAD_REFUSED,
    BAD_SCORE,
    BAD_KIND,
    BAD_BRAND,
    BAD_UNTERMINATED,
    BAD_TOO_LONG,
    BAD_REASONS
};

/* Machine name of a reason (the JSON key) and the words shown. */
extern const char *const reason_key[BAD_REASONS];
extern const char *const reason_text[BAD_REASONS];

#define LISTED_MAX 200

typedef struct bad_row {
    char file[NAME_MAX_LEN];
    uint64_t line;
    char column[NAME_MAX_LEN];
    uint32_t reason;
    int partly_used;
    char detail[160];
} bad_row;

typedef struct file_counts {
    char path[256];
    int is_survey;
    uint64_t rows, used, partly, refused;
} file_counts;

/* ---- accumulated state ---------------------------------------------------------- */

#define MAX_CHANNELS 16
#define MAX_TOPICS 32
#define MAX_AGENTS 1024
#define BOARD_AGENTS 64
#define MAX_WEEKS 104
#define MAX_BRANDS 32
#define MAX_FILES 16

/* Names mapped to dense ids, the last id standing for "other" once full. */
typedef struct intern {
    uint32_t cap, n;
    int overflowed;
    char (*names)[NAME_MAX_LEN];
    uint32_t *slots; /* hash -> id + 1 */
    uint32_t nslots;
} intern;

typedef struct week {
    int64_t key;               /* Monday 00:00 local, as Unix seconds of local time */
    cxm_rate *volume;          /* trial = a kept ticket; success = kept with its times */
    cxm_csat *csat;            /* every kept ticket's answer */
    cxm_duration *first_reply; /* tickets with all their times: created -> first reply */
    cxm_nps *nps[2];           /* relational, transactional */
} week;

typedef struct agent_board {
    cxm_csat *csat; /* every kept ticket's answer */
} agent_board;

/* Contradictory rows: leave the whole ticket out, or keep it without its
 * contradicted times. */
enum contradiction_policy { KEEP_UNCONTRADICTED = 0, LEAVE_OUT = 1 };

typedef struct state {
    layout lay;
    int64_t as_of;
    uint32_t contradictions;
    int strict;
    int progress;
    int reopens_read; /* a ticket file has a reopen count: the reopen share is a figure */
    uint64_t listed_max;

    cxm_rollup *full;    /* tickets with all their times */
    cxm_rollup *partial; /* tickets kept without contradicted times */
    cxm_rollup *all;     /* full + partial, built at the end */
    /* Tickets with all their times again, grouped by week (as "channels":
     * the id is the week's slot) and by agent (as "topics": the agent's
     * id, for the first BOARD_AGENTS agents): one add feeds both. */
    cxm_rollup *by_week_agent;
    intern channels, topics, agents, brands;
    agent_board board[BOARD_AGENTS];
    week weeks[MAX_WEEKS];
    uint32_t nweeks;
    uint64_t outside_weeks;

    cxm_nps *nps[2]; /* relational, transactional */
    intern survey_channels;
    cxm_nps *nps_channel[MAX_CHANNELS][2]; /* the same, per survey channel */
    cxm_nps *competitive[MAX_BRANDS];      /* by brand id */

    file_counts files[MAX_FILES];
    uint32_t nfiles;
    uint64_t by_reason[BAD_REASONS];
    uint64_t by_reason_partly[BAD_REASONS];
    bad_row *listed;
    uint64_t nlisted;
} state;

int state_init(state *s);
void state_free(state *s);
/* Reads one CSV; 0 on success (bad rows are not failures), else an I/O or
 * header error was printed. */
int read_tickets(state *s, const char *path);
int read_survey(state *s, const char *path);
/* Builds `all` once every file is read. */
int state_finish(state *s);

uint32_t intern_id(intern *t, const char *name);
const char *week_label(int64_t key, char *buf, size_t n);

/* ---- output --------------------------------------------------------------------- */

/* "p = 0.042", or "p < 0.001" when three decimals would show a misleading 0. */
const char *p_text(double p, char *buf, size_t n);

int print_text(const state *s, FILE *out);
int print_json(const state *s, FILE *out);
int print_html(const state *s, FILE *out);
/* Prints the bad-row section (used by --strict as well). */
void print_bad_rows(const state *s, FILE *out);

#endif
