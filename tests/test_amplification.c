/*
 * test_amplification.c — how many bytes decode allocates per input byte,
 * measured with a counting allocator over maximal claims: for every family,
 * its empty objects at the largest capacities the format allows (the
 * smallest encodings that buy the most memory), and every prefix of those
 * encodings with the envelope made consistent again (a truncated claim
 * that is refused, but perhaps only after allocating). The worst ratio of
 * each family must stay within the figure SECURITY.md documents for it
 * (its "Allocation per input byte" table); a family missing there fails.
 */
#include <math.h>

#include "decode_any.h"
#include "testutil.h"

#define PRINT_ONLY_ENV "CXM_AMPLIFICATION_PRINT"

typedef struct counter {
    size_t bytes;
} counter;

static void *count_alloc(void *opaque, size_t n)
{
    ((counter *)opaque)->bytes += n;
    return malloc(n);
}

static void count_free(void *opaque, void *p)
{
    (void)opaque;
    free(p);
}

/* Worst ratio seen per family name. */
#define MAX_NAMES 32
static struct {
    const char *name;
    double worst;
} seen[MAX_NAMES];
static size_t n_seen;

static void note(const char *name, double ratio)
{
    size_t i = 0;
    while (i < n_seen && strcmp(seen[i].name, name) != 0)
        i++;
    if (i == n_seen) {
        assert_true(n_seen < MAX_NAMES);
        seen[n_seen].name = name;
        seen[n_seen++].worst = 0.0;
    }
    if (ratio > seen[i].worst) seen[i].worst = ratio;
}

/* Bytes decode allocated for these bytes (accepted or refused). */
static size_t allocated(const uint8_t *b, size_t len)
{
    counter c = {0};
    const cxm_allocator a = {sizeof a, 0, count_alloc, count_free, &c};
    int made = 0;
    cxm_status st = cxm_decode_any(b, len, &a, &made);
    assert_int_not_equal(st, CXM_WRONG_TYPE);
    assert_false(made);
    return c.bytes;
}

/*
 * The encoding itself and its prefixes (envelope fixed): all of them when
 * small, a sample spread over the lengths otherwise (each decode of a large
 * claim may allocate and zero megabytes).
 */
static void measure(const char *name, const uint8_t *enc, size_t len)
{
    uint8_t *b = malloc(len);
    assert_non_null(b);
    size_t step = len <= 4096 ? 1 : len / 24;
    for (size_t cut = 16; cut <= len; cut += step) {
        size_t l = cut + step > len ? len : cut; /* the whole encoding always comes last */
        memcpy(b, enc, l);
        if (l < len) tu_fix_envelope(b, l);
        note(name, (double)allocated(b, l) / (double)l);
        if (l == len) break;
    }
    free(b);
}

typedef cxm_status (*encode_fn)(const void *obj, uint8_t *buf, size_t cap, size_t *len);

/* The encoding of obj in a malloc'd buffer. */
static uint8_t *encoding(encode_fn fn, const void *obj, size_t *len)
{
    assert_int_equal(fn(obj, NULL, 0, len), CXM_BUFFER_TOO_SMALL);
    uint8_t *b = malloc(*len);
    assert_non_null(b);
    TU_OK(fn(obj, b, *len, len));
    return b;
}

/* Encodes an object and measures what decoding those bytes allocates. */
static void measure_object(const char *name, encode_fn fn, const void *obj)
{
    size_t len;
    uint8_t *enc = encoding(fn, obj, &len);
    measure(name, enc, len);
    free(enc);
}

static cxm_status calendar_encode_(const void *o, uint8_t *b, size_t c, size_t *l)
{
    return cxm_calendar_encode(o, b, c, l);
}
static cxm_status policy_encode_(const void *o, uint8_t *b, size_t c, size_t *l)
{
    return cxm_sla_policy_encode(o, b, c, l);
}
static cxm_status sla_encode_(const void *o, uint8_t *b, size_t c, size_t *l)
{
    return cxm_sla_encode(o, b, c, l);
}
static cxm_status panel_encode_(const void *o, uint8_t *b, size_t c, size_t *l)
{
    return cxm_nps_panel_encode(o, b, c, l);
}
static cxm_status rollup_encode_(const void *o, uint8_t *b, size_t c, size_t *l)
{
    return cxm_rollup_encode(o, b, c, l);
}

static void measure_table_families(void)
{
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (uint32_t v = 0; v < f->variants; v++) {
            void *acc = NULL;
            TU_OK(f->make(NULL, v, &acc));
            size_t len = 0;
            uint8_t *enc = cxm_family_encoding(f, acc, &len);
            assert_non_null(enc);
            measure(f->name, enc, len);
            free(enc);
            f->destroy(acc);
        }
    }
}

static void measure_calendar(void)
{
    const uint32_t caps[3][3] = {
        {1, 0, 0},
        {CXM_CALENDAR_MAX_CAPACITY, 0, 0},
        {CXM_CALENDAR_MAX_CAPACITY, CXM_CALENDAR_MAX_CAPACITY, CXM_CALENDAR_MAX_CAPACITY}};
    for (int i = 0; i < 3; i++) {
        cxm_calendar_config cfg = {sizeof cfg, 0, caps[i][0], caps[i][1], caps[i][2], 0};
        cxm_calendar *c = NULL;
        TU_OK(cxm_calendar_new(&cfg, NULL, &c));
        measure_object("calendar", calendar_encode_, c);
        cxm_calendar_free(c);
    }
}

static void measure_policies_and_sla(void)
{
    const uint32_t levels[2] = {1, CXM_SLA_MAX_LEVELS};
    for (int i = 0; i < 2; i++) {
        cxm_sla_policy *p = NULL;
        TU_OK(cxm_sla_policy_new(levels[i], NULL, &p));
        measure_object("sla_policy", policy_encode_, p);
        cxm_sla_policy_free(p);
        cxm_sla *s = NULL;
        TU_OK(cxm_sla_new(levels[i], NULL, &s));
        measure_object("sla", sla_encode_, s);
        cxm_sla_free(s);
    }
}

static void measure_panel(void)
{
    const uint32_t caps[2] = {1, CXM_NPS_PANEL_MAX_CAPACITY};
    for (int i = 0; i < 2; i++) {
        cxm_nps_panel *p = NULL;
        TU_OK(cxm_nps_panel_new(caps[i], NULL, &p));
        measure_object("nps_panel", panel_encode_, p);
        cxm_nps_panel_free(p);
    }
}

/*
 * Roll-ups with the most groups the format allows, with and without as
 * many agents (agents encode as many bytes as they take, so they dilute
 * the ratio), and with a single group; every time kept, on the narrowest
 * scales (their histograms encode smallest), with and without a policy;
 * and a version-1 claim of the most groups (all zeros is a valid empty
 * roll-up of version 1: no histograms, no SLA).
 */
static void measure_rollup(void)
{
    cxm_csat_options cs = {sizeof cs, 0, 0, 1, 1, 0};
    cxm_ces_options ce = {sizeof ce, 0, 0, 1, 1, CXM_CES_HIGHER_IS_EASIER};
    for (int sla = 0; sla < 2; sla++)
        for (int shape = 0; shape < 3; shape++) {
            int most = shape < 2;
            cxm_rollup_options o = {.size = sizeof o};
            o.channels = most ? CXM_ROLLUP_MAX_CHANNELS : 0;
            o.topics = most ? CXM_ROLLUP_MAX_TOPICS : 0;
            o.priorities = most ? CXM_ROLLUP_MAX_PRIORITIES : 1;
            o.agents = shape == 1 ? CXM_ROLLUP_MAX_AGENTS : 0;
            /* Agents as groups (and cells) encode and allocate as every group does; counted
             * apart they take 16 bytes each in both. */
            o.agent_kind = CXM_ROLLUP_AGENT_COUNTS;
            o.csat = &cs;
            o.ces = &ce;
            cxm_sla_policy *p = NULL;
            if (sla) {
                TU_OK(cxm_sla_policy_new(o.priorities, NULL, &p));
                o.sla_policy = p;
                o.sla_as_of = 1700000000;
            }
            cxm_rollup *r = NULL;
            TU_OK(cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &r));
            cxm_sla_policy_free(p);
            measure_object("rollup", rollup_encode_, r);
            cxm_rollup_free(r);
        }
    /*
     * What is allocated at its claimed size whatever the bytes hold (the
     * running-target index of live mode, the sketches' page pool, the
     * open-ticket index): the worst claim is the largest one with the
     * smallest everything else (one group, one time).
     */
    for (int claim = 0; claim < 3; claim++) {
        static const char *const name[3] = {"rollup_live", "rollup_pool", "rollup_open"};
        cxm_rollup_options o = {.size = sizeof o};
        o.priorities = 1;
        o.times = 1u << CXM_ROLLUP_FIRST_REPLY;
        o.csat = &cs;
        o.ces = &ce;
        o.running = claim == 0 ? CXM_ROLLUP_MAX_RUNNING : 0;
        o.memory_budget = claim == 1 ? CXM_ROLLUP_MAX_MEMORY : 0;
        o.open = claim == 2 ? CXM_ROLLUP_MAX_OPEN : 0;
        cxm_rollup *r = NULL;
        TU_OK(cxm_rollup_new(CXM_FCR_ZENDESK, &o, NULL, &r));
        measure_object(name[claim], rollup_encode_, r);
        cxm_rollup_free(r);
    }
    /* Version 1: profile, channels, topics, priorities, agents, times; then zeros. */
    const uint32_t hdr[6] = {CXM_FCR_ZENDESK,
                             CXM_ROLLUP_MAX_CHANNELS,
                             CXM_ROLLUP_MAX_TOPICS,
                             CXM_ROLLUP_MAX_PRIORITIES,
                             0,
                             (1u << CXM_ROLLUP_HANDLE_TIME) - 1u}; /* the six it knew */
    size_t groups = 1 + CXM_ROLLUP_MAX_CHANNELS + CXM_ROLLUP_MAX_TOPICS + CXM_ROLLUP_MAX_PRIORITIES;
    size_t payload = 24 + groups * (80 + CXM_ROLLUP_HANDLE_TIME * 81);
    size_t len = 16 + payload;
    uint8_t *b = calloc(len, 1);
    assert_non_null(b);
    const uint8_t env[8] = {'C', 'X', 'M', 0, 1, 0, (uint8_t)CXM_FAMILY_ROLLUP, 0};
    memcpy(b, env, 8);
    for (int i = 0; i < 6; i++)
        for (int k = 0; k < 4; k++)
            b[12 + 4 * i + k] = (uint8_t)(hdr[i] >> (8 * k));
    tu_fix_envelope(b, len);
    assert_int_equal(allocated(b, len) > 0, 1); /* it decodes: a valid claim */
    measure("rollup", b, len);
    free(b);
}

static cxm_status series_encode_(const void *o, uint8_t *b, size_t c, size_t *l)
{
    return cxm_series_encode(o, b, c, l);
}

/*
 * A series encodes only its prototype and the buckets that hold data, so
 * an empty series of the most buckets that fit CXM_SERIES_MAX_BYTES is its
 * largest claim per byte: for the prototypes with the most memory per
 * encoded byte (sketches, a panel at its largest capacity).
 */
static void measure_series(void)
{
    cxm_duration *dur = NULL;
    cxm_survival *surv = NULL;
    cxm_nps_panel *panel = NULL;
    TU_OK(cxm_duration_new(NULL, NULL, &dur));
    TU_OK(cxm_survival_new(NULL, &surv));
    TU_OK(cxm_nps_panel_new(CXM_NPS_PANEL_MAX_CAPACITY, NULL, &panel));
    const void *protos[3] = {dur, surv, panel};
    for (int i = 0; i < 3; i++) {
        cxm_series_options o = {.size = sizeof o, .width = CXM_SERIES_HOUR, .buckets = 1};
        uint32_t lo = 1, hi = CXM_SERIES_MAX_BUCKETS; /* the most buckets with a footprint */
        while (lo < hi) {
            o.buckets = lo + (hi - lo + 1) / 2;
            if (cxm_series_footprint(&o, protos[i]) != 0)
                lo = o.buckets;
            else
                hi = o.buckets - 1;
        }
        o.buckets = lo;
        cxm_series *sr = NULL;
        TU_OK(cxm_series_new(&o, protos[i], NULL, &sr));
        measure_object("series", series_encode_, sr);
        cxm_series_free(sr);
    }
    cxm_duration_free(dur);
    cxm_survival_free(surv);
    cxm_nps_panel_free(panel);
}

static cxm_status backlog_encode_(const void *o, uint8_t *b, size_t c, size_t *l)
{
    return cxm_backlog_encode(o, b, c, l);
}

/* A backlog encodes only the buckets that hold counts: an empty one of the most buckets. */
static void measure_backlog(void)
{
    cxm_series_options o = {
        .size = sizeof o, .width = CXM_SERIES_HOUR, .buckets = CXM_SERIES_MAX_BUCKETS};
    cxm_backlog *b = NULL;
    TU_OK(cxm_backlog_new(&o, NULL, &b));
    measure_object("backlog", backlog_encode_, b);
    cxm_backlog_free(b);
}

/* The documented worst ratio of a family: its row "| `name` | figure |" in SECURITY.md. */
static double documented(const char *name)
{
    const char *root = getenv("CXM_SOURCE_ROOT");
    assert_non_null(root);
    char path[1024], line[1024], key[64];
    snprintf(path, sizeof path, "%s/SECURITY.md", root);
    snprintf(key, sizeof key, "| `%s` |", name);
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("%s: cannot read", path);
    double v = -1.0;
    while (v < 0.0 && fgets(line, sizeof line, f)) {
        if (strncmp(line, key, strlen(key)) != 0) continue;
        char num[64];
        size_t k = 0;
        for (const char *p = line + strlen(key); *p && *p != '|' && k + 1 < sizeof num; p++)
            if (*p != ',' && *p != ' ') num[k++] = *p;
        num[k] = '\0';
        v = strtod(num, NULL);
    }
    fclose(f);
    return v;
}

static void allocation_per_input_byte_is_documented(void **state)
{
    (void)state;
    measure_table_families();
    measure_calendar();
    measure_policies_and_sla();
    measure_panel();
    measure_rollup();
    measure_series();
    measure_backlog();
    int print = getenv(PRINT_ONLY_ENV) != NULL;
    for (size_t i = 0; i < n_seen; i++) {
        double doc = print ? 0.0 : documented(seen[i].name);
        if (print) {
            printf("| `%s` | %.2f |\n", seen[i].name, seen[i].worst);
            continue;
        }
        if (doc < 0.0)
            fail_msg("%s: allocates up to %.1f bytes per input byte; SECURITY.md has no figure",
                     seen[i].name, seen[i].worst);
        if (seen[i].worst > doc)
            fail_msg("%s: allocates up to %.1f bytes per input byte, SECURITY.md says %.0f",
                     seen[i].name, seen[i].worst, doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocation_per_input_byte_is_documented),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
