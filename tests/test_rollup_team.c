/*
 * test_rollup_team.c — the roll-up at team scale, tried as a caller would
 * from the public header: the grown record's figures (FCR under both
 * profiles with transfers, unresolved share, transfer rate, AHT, NPS)
 * against figures computed here from the records themselves, an older
 * caller's smaller records in a batch, the four kinds of cross with the
 * last id of every capacity against filtered recounts, a decode that
 * refuses damaged bytes before it allocates anything, and a pool that runs
 * out in the middle of a random stream without changing a byte.
 */
#include <math.h>
#include <stdio.h>

#include "live_check.h"
#include "testutil.h"

#define T0 1767225600 /* 2026-01-01 00:00:00 UTC */
#define AS_OF (T0 + 80 * 86400)
#define NONE CXM_ROLLUP_NONE

static uint64_t rng_state;

static uint32_t below(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_state >> 33) % n;
}

/* A log-normal time (Box-Muller): support times spread over decades, as tickets do. */
static double lognormal(double median, double sigma)
{
    const double u1 = (below(1u << 30) + 0.5) / (double)(1u << 30);
    const double u2 = (below(1u << 30) + 0.5) / (double)(1u << 30);
    return median * exp(sigma * sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2));
}

/*
 * A ticket of one of eight lives: open, replied and open, solved, reopened
 * and solved again, reopened and open, self-service, closed without a
 * resolution, and reopened then closed without a resolution. Ids of a
 * dimension of capacity 0 are NONE; other ids are NONE now and then.
 */
static cxm_ticket ticket(uint32_t channels, uint32_t topics, uint32_t priorities, uint32_t agents)
{
    cxm_ticket t;
    memset(&t, 0, sizeof t);
    t.size = sizeof t;
    t.created = T0 + below(30 * 86400);
    t.channel = channels && below(10) ? below(channels) : NONE;
    t.topic = topics && below(8) ? below(topics) : NONE;
    t.priority = below(priorities);
    t.agent = agents && below(20) ? below(agents) : NONE;
    const uint32_t life = below(8);
    double reply = fmin(lognormal(1800, 1.2), 20 * 86400);
    double solve = fmin(reply + lognormal(36000, 1.5), 40 * 86400);
    if (life != 0 && life != 5) {
        t.first_reply = t.created + 1 + (int64_t)reply;
        t.agent_replies = 1 + below(4);
        t.customer_replies = below(3);
    }
    if (life >= 2 && life != 6) t.first_solved = t.created + 2 + (int64_t)solve;
    if (life == 3) t.last_solved = t.first_solved + 3600 + below(86400);
    if (life == 3 || life == 4 || life == 7) t.reopens = 1 + below(2);
    if (life == 5) t.flags = CXM_TICKET_SELF_SERVICE;
    if (life == 6 || life == 7) t.flags = CXM_TICKET_UNRESOLVED;
    if (life != 5 && below(6) == 0) t.transfers = 1 + below(3);
    if (life == 2 || life == 3 || life == 5) {
        t.requester_wait = lognormal(20000, 1.0);
        t.agent_work = lognormal(15000, 1.0);
        t.on_hold = below(3) ? 0.0 : lognormal(3000, 1.0);
    }
    t.handle_time = 30.0 + below(1800) + below(1000) / 1000.0;
    if (below(3) == 0) t.flags |= CXM_TICKET_HAS_CSAT, t.csat = 1 + (int32_t)below(5);
    if (below(4) == 0) t.flags |= CXM_TICKET_HAS_CES, t.ces = 1 + (int32_t)below(7);
    if (below(3) == 0) t.flags |= CXM_TICKET_HAS_NPS, t.nps = (int32_t)below(11);
    return t;
}

static int solved_now(const cxm_ticket *t)
{
    return t->last_solved != 0 || (t->first_solved != 0 && t->reopens == 0);
}

/* Wilson score interval at 95%, written out here rather than taken from the library. */
static void wilson(uint64_t k, uint64_t n, double *lo, double *hi)
{
    const double z = 1.959963984540054, z2 = z * z, m = (double)n, p = (double)k / m;
    const double centre = (p + z2 / (2.0 * m)) / (1 + z2 / m);
    const double half = z / (1 + z2 / m) * sqrt(p * (1 - p) / m + z2 / (4.0 * m * m));
    *lo = centre - half;
    *hi = centre + half;
}

static int by_value(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Within the sketch's 1/129 relative error (a value on a bucket's edge reaches it exactly). */
static void assert_within_bound(double got, double want)
{
    assert_true(fabs(got - want) <= want / 129.0 * (1 + 1e-12));
}

static void same_bytes(const cxm_rollup *a, const cxm_rollup *b)
{
    size_t la = 0, lb = 0;
    uint8_t *x = test_malloc(1 << 22), *y = test_malloc(1 << 22);
    TU_OK(cxm_rollup_encode(a, x, 1 << 22, &la));
    TU_OK(cxm_rollup_encode(b, y, 1 << 22, &lb));
    assert_int_equal(la, lb);
    assert_memory_equal(x, y, la);
    test_free(x);
    test_free(y);
}

/*
 * The overall figures the grown record adds, against the records: a
 * transferred ticket is never first-contact under either profile, a ticket
 * closed without a resolution is closed but not solved (no FCR trial, no
 * full resolution time), handle time is kept for closed tickets only, and
 * NPS counts are exact and transactional.
 */
static void grown_record_against_the_records(void **state)
{
    (void)state;
    enum { N = 20000 };
    cxm_ticket *t = test_malloc(N * sizeof *t);
    double *handle = test_malloc(N * sizeof *handle);
    rng_state = 7;
    for (int i = 0; i < N; i++)
        t[i] = ticket(3, 0, 4, 10);
    for (uint32_t profile = CXM_FCR_ZENDESK; profile <= CXM_FCR_FRESHDESK; profile++) {
        cxm_rollup_options o = {.size = sizeof o, .channels = 3, .agents = 10};
        cxm_rollup *r = NULL;
        TU_OK(cxm_rollup_new(profile, &o, &tu_allocator, &r));
        TU_OK(cxm_rollup_add_many(r, t, N, NULL, NULL));
        uint64_t solved = 0, unresolved = 0, trials = 0, fcr = 0, transferred = 0, transfers = 0;
        uint64_t answers = 0, promoters = 0, detractors = 0;
        size_t closed = 0;
        double handle_sum = 0;
        for (int i = 0; i < N; i++) {
            const int s = solved_now(&t[i]), u = (t[i].flags & CXM_TICKET_UNRESOLVED) != 0;
            solved += (uint64_t)s;
            unresolved += (uint64_t)u;
            transferred += t[i].transfers > 0;
            transfers += t[i].transfers;
            if (s && !(t[i].flags & CXM_TICKET_SELF_SERVICE)) {
                const int rule = profile == CXM_FCR_ZENDESK ? t[i].agent_replies < 2
                                                            : t[i].customer_replies == 0;
                trials++;
                fcr += rule && t[i].reopens == 0 && t[i].transfers == 0;
            }
            if (s || u) handle[closed++] = t[i].handle_time, handle_sum += t[i].handle_time;
            if (t[i].flags & CXM_TICKET_HAS_NPS) {
                answers++;
                promoters += t[i].nps >= 9;
                detractors += t[i].nps <= 6;
            }
        }
        qsort(handle, closed, sizeof *handle, by_value);

        cxm_rollup_result g = {.size = sizeof g};
        TU_OK(cxm_rollup_result_get(r, CXM_ROLLUP_OVERALL, 0, 0.95, &g));
        assert_int_equal(g.tickets, N);
        assert_int_equal(g.solved, solved);
        assert_int_equal(g.unresolved, unresolved);
        assert_int_equal(g.closed, solved + unresolved);
        assert_int_equal(g.open, N - solved - unresolved);
        assert_int_equal(g.fcr.definition, profile);
        assert_int_equal(g.fcr.trials, trials);
        assert_int_equal(g.fcr.successes, fcr);
        double lo, hi;
        wilson(unresolved, solved + unresolved, &lo, &hi);
        assert_int_equal(g.has_unresolved_share, 1);
        assert_int_equal(g.unresolved_share.use, CXM_RATE_UNRESOLVED);
        TU_NEAR(g.unresolved_share.rate, (double)unresolved / (double)(solved + unresolved), 1e-12);
        TU_NEAR(g.unresolved_share.ci.lower, lo, 1e-9);
        TU_NEAR(g.unresolved_share.ci.upper, hi, 1e-9);
        wilson(transferred, N, &lo, &hi);
        assert_int_equal(g.has_transfer_rate, 1);
        assert_int_equal(g.transferred, transferred);
        assert_int_equal(g.transfers, transfers);
        TU_NEAR(g.transfer_rate.rate, (double)transferred / N, 1e-12);
        TU_NEAR(g.transfer_rate.ci.lower, lo, 1e-9);
        TU_NEAR(g.transfer_rate.ci.upper, hi, 1e-9);

        cxm_rollup_time_result aht = {.size = sizeof aht}, full = {.size = sizeof full};
        TU_OK(cxm_rollup_time_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_HANDLE_TIME, &aht));
        assert_int_equal(aht.n, closed);
        TU_NEAR(aht.mean, handle_sum / (double)closed, 1e-6);
        assert_within_bound(aht.median, handle[(size_t)floor(0.5 * (double)(closed - 1))]);
        assert_within_bound(aht.p90, handle[(size_t)floor(0.9 * (double)(closed - 1))]);
        TU_OK(cxm_rollup_time_get(r, CXM_ROLLUP_OVERALL, 0, CXM_ROLLUP_FULL_RESOLUTION, &full));
        assert_int_equal(full.n, solved);

        cxm_nps_result np = {.size = sizeof np};
        TU_OK(cxm_rollup_nps_get(r, CXM_ROLLUP_OVERALL, 0, 0.95, CXM_NPS_WALD, &np));
        assert_int_equal(np.kind, CXM_NPS_TRANSACTIONAL);
        assert_int_equal(np.n, answers);
        assert_int_equal(np.promoters, promoters);
        assert_int_equal(np.detractors, detractors);
        TU_NEAR(np.nps, 100.0 * ((double)promoters - (double)detractors) / (double)answers, 1e-9);
        cxm_rollup_free(r);
    }
    test_free(handle);
    test_free(t);
}

/*
 * A caller built before the record grew passes an array of its own
 * records, whose stride is the old size: the batch reads each at that
 * stride and the roll-up is byte for byte the one fed the same tickets at
 * the current size with the new fields zero (no NPS, transfers, handle
 * time or unresolved closes: such a caller has none).
 */
static void older_records_in_a_batch(void **state)
{
    (void)state;
    enum { N = 5000 };
    const size_t old = offsetof(cxm_ticket, nps);
    unsigned char *packed = test_malloc(N * old);
    cxm_rollup_options o = {.size = sizeof o, .channels = 3, .topics = 2, .agents = 10};
    cxm_rollup *now = NULL, *before = NULL;
    TU_OK(cxm_rollup_new(CXM_FCR_FRESHDESK, &o, &tu_allocator, &now));
    TU_OK(cxm_rollup_new(CXM_FCR_FRESHDESK, &o, &tu_allocator, &before));
    rng_state = 11;
    for (int i = 0; i < N; i++) {
        cxm_ticket t = ticket(3, 2, 4, 10);
        if (t.flags & CXM_TICKET_UNRESOLVED) t.flags = 0; /* an older caller's: still open */
        t.flags &= ~(uint32_t)CXM_TICKET_HAS_NPS;
        t.nps = 0;
        t.transfers = 0;
        t.handle_time = 0;
        TU_OK(cxm_rollup_add(now, &t, NULL));
        t.size = (uint32_t)old;
        memcpy(packed + (size_t)i * old, &t, old);
    }
    size_t bad = 0;
    TU_OK(cxm_rollup_add_many(before, (const cxm_ticket *)(const void *)packed, N, &bad, NULL));
    same_bytes(now, before);
    cxm_rollup_free(now);
    cxm_rollup_free(before);
    test_free(packed);
}

static uint32_t dimension_of(const cxm_ticket *t, uint32_t dim)
{
    switch (dim) {
    case CXM_ROLLUP_CHANNEL: return t->channel;
    case CXM_ROLLUP_TOPIC: return t->topic;
    case CXM_ROLLUP_PRIORITY: return t->priority;
    default: return t->agent;
    }
}

/*
 * The four crosses a roll-up may name (channel x priority, topic x
 * channel, agent x channel, priority x agent), each cell at the first and
 * the last ids of its dimensions, and the last agent id: every figure
 * (volume, rates, times, CSAT, CES, NPS, SLA, survival at the read
 * instant) equals the overall group of a roll-up fed only its tickets.
 */
static void four_crosses_and_the_last_ids(void **state)
{
    (void)state;
    enum { N = 6000, CH = 4, TP = 3, PR = 4, AG = 40 };
    cxm_sla_policy *p = NULL;
    TU_OK(cxm_sla_policy_new(PR, &tu_allocator, &p));
    for (uint32_t q = 0; q < PR; q++) {
        TU_OK(
            cxm_sla_policy_set_target(p, q, CXM_SLA_FIRST_REPLY, 3600 << q, CXM_SLA_CALENDAR_TIME));
        TU_OK(cxm_sla_policy_set_target(p, q, CXM_SLA_TOTAL_RESOLUTION, 86400 << q,
                                        CXM_SLA_CALENDAR_TIME));
    }
    static const uint32_t dims[4][2] = {{CXM_ROLLUP_CHANNEL, CXM_ROLLUP_PRIORITY},
                                        {CXM_ROLLUP_TOPIC, CXM_ROLLUP_CHANNEL},
                                        {CXM_ROLLUP_AGENT, CXM_ROLLUP_CHANNEL},
                                        {CXM_ROLLUP_PRIORITY, CXM_ROLLUP_AGENT}};
    const uint32_t capacity[5] = {0, CH, TP, PR, AG};
    cxm_rollup_options o = {.size = sizeof o,
                            .channels = CH,
                            .topics = TP,
                            .priorities = PR,
                            .agents = AG,
                            .sla_policy = p,
                            .sla_as_of = AS_OF,
                            .open = N,
                            .crosses = 4};
    for (uint32_t j = 0; j < 4; j++)
        o.cross[j] = (cxm_rollup_cross){dims[j][0], dims[j][1]};
    cxm_ticket *t = test_malloc(N * sizeof *t);
    rng_state = 13;
    for (int i = 0; i < N; i++)
        t[i] = ticket(CH, TP, PR, AG);
    cxm_rollup *all = NULL;
    TU_OK(cxm_rollup_new(CXM_FCR_FRESHDESK, &o, &tu_allocator, &all));
    TU_OK(cxm_rollup_add_many(all, t, N, NULL, NULL));
    /* Per cross: cells (0, 0) and (last, last); then the last agent alone. */
    for (uint32_t k = 0; k < 4 * 2 + 1; k++) {
        const uint32_t j = k / 2, last = k % 2;
        uint32_t kind = CXM_ROLLUP_AGENT, id = AG - 1, a = 0, b = 0;
        if (j < 4) {
            a = last ? capacity[dims[j][0]] - 1 : 0;
            b = last ? capacity[dims[j][1]] - 1 : 0;
            kind = CXM_ROLLUP_CELL;
            TU_OK(cxm_rollup_cell_id(all, j, a, b, &id));
        }
        cxm_rollup *one = NULL;
        TU_OK(cxm_rollup_new(CXM_FCR_FRESHDESK, &o, &tu_allocator, &one));
        for (int i = 0; i < N; i++) {
            const int in =
                j < 4 ? dimension_of(&t[i], dims[j][0]) == a && dimension_of(&t[i], dims[j][1]) == b
                      : t[i].agent == AG - 1;
            if (in) TU_OK(cxm_rollup_add(one, &t[i], NULL));
        }
        const char *why = cxm_group_same_figures(all, kind, id, one, CXM_ROLLUP_OVERALL, 0, AS_OF);
        if (why) print_error("cross %u cell (%u, %u): %s\n", j, a, b, why);
        assert_null(why);
        cxm_rollup_free(one);
        if (j < 4) {
            uint32_t none = 0;
            TU_ST(cxm_rollup_cell_id(all, j, capacity[dims[j][0]], 0, &none), CXM_CAPACITY);
            TU_ST(cxm_rollup_cell_id(all, j, 0, capacity[dims[j][1]], &none), CXM_CAPACITY);
        }
    }
    cxm_rollup_result g = {.size = sizeof g};
    TU_ST(cxm_rollup_result_get(all, CXM_ROLLUP_AGENT, AG, 0.95, &g), CXM_CAPACITY);
    cxm_rollup_free(all);
    test_free(t);
    cxm_sla_policy_free(p);
}

static size_t allocations;

static void *counting_alloc(void *opaque, size_t n)
{
    (void)opaque;
    allocations++;
    return test_malloc(n);
}

static void counting_free(void *opaque, void *ptr)
{
    (void)opaque;
    test_free(ptr);
}

/*
 * Decode checks the bytes before it allocates: every truncation of a
 * live team roll-up (agents, four crosses, SLA, both indexes) and every
 * flipped bit tried is refused with no allocation at all.
 */
static void decode_refuses_before_allocating(void **state)
{
    (void)state;
    const cxm_allocator counting = {sizeof counting, 0, counting_alloc, counting_free, NULL};
    cxm_sla_policy *p = NULL;
    TU_OK(cxm_sla_policy_new(4, &tu_allocator, &p));
    for (uint32_t q = 0; q < 4; q++)
        TU_OK(cxm_sla_policy_set_target(p, q, CXM_SLA_FIRST_REPLY, 3600, CXM_SLA_CALENDAR_TIME));
    cxm_rollup_options o = {.size = sizeof o,
                            .channels = 3,
                            .topics = 2,
                            .agents = 4,
                            .sla_policy = p,
                            .running = 400,
                            .open = 400,
                            .crosses = 4};
    o.cross[0] = (cxm_rollup_cross){CXM_ROLLUP_CHANNEL, CXM_ROLLUP_PRIORITY};
    o.cross[1] = (cxm_rollup_cross){CXM_ROLLUP_AGENT, CXM_ROLLUP_TOPIC};
    o.cross[2] = (cxm_rollup_cross){CXM_ROLLUP_TOPIC, CXM_ROLLUP_CHANNEL};
    o.cross[3] = (cxm_rollup_cross){CXM_ROLLUP_PRIORITY, CXM_ROLLUP_AGENT};
    cxm_rollup *r = NULL;
    TU_OK(cxm_rollup_new(CXM_FCR_ZENDESK, &o, &tu_allocator, &r));
    rng_state = 17;
    for (int i = 0; i < 200; i++) {
        cxm_ticket t = ticket(3, 2, 4, 4);
        TU_OK(cxm_rollup_add(r, &t, NULL));
    }
    uint8_t *buf = test_malloc(1 << 20);
    size_t len = 0;
    TU_OK(cxm_rollup_encode(r, buf, 1 << 20, &len));
    for (size_t cut = 0; cut < len; cut++) {
        cxm_rollup *d = NULL;
        allocations = 0;
        assert_int_not_equal(cxm_rollup_decode(buf, cut, &counting, &d), CXM_OK);
        assert_null(d);
        assert_int_equal(allocations, 0);
    }
    for (int i = 0; i < 2000; i++) {
        const size_t at = below((uint32_t)len);
        const uint8_t bit = (uint8_t)(1u << below(8));
        buf[at] ^= bit;
        cxm_rollup *d = NULL;
        allocations = 0;
        assert_int_not_equal(cxm_rollup_decode(buf, len, &counting, &d), CXM_OK);
        assert_null(d);
        assert_int_equal(allocations, 0);
        buf[at] ^= bit;
    }
    cxm_rollup *d = NULL;
    TU_OK(cxm_rollup_decode(buf, len, &counting, &d));
    same_bytes(r, d);
    cxm_rollup_free(d);
    cxm_rollup_free(r);
    test_free(buf);
    cxm_sla_policy_free(p);
}

/*
 * A pool of 60 pages runs out in the middle of a random stream: every
 * refused add is CXM_CAPACITY and leaves the encoding unchanged, the
 * roll-up counts exactly the tickets it accepted, and a batch and a merge
 * (from a roll-up of a larger pool: pools may differ) that need pages are
 * refused whole.
 */
static void exhausted_pool_changes_nothing(void **state)
{
    (void)state;
    cxm_rollup_options o = {
        .size = sizeof o, .channels = 3, .agents = 5, .memory_budget = 60 * CXM_ROLLUP_PAGE_BYTES};
    cxm_rollup *r = NULL, *other = NULL;
    TU_OK(cxm_rollup_new(CXM_FCR_ZENDESK, &o, &tu_allocator, &r));
    cxm_rollup_options roomy = o;
    roomy.memory_budget = 0; /* the default pool: the pages merge needs come from dst's */
    TU_OK(cxm_rollup_new(CXM_FCR_ZENDESK, &roomy, &tu_allocator, &other));
    uint8_t *before = test_malloc(1 << 20), *after = test_malloc(1 << 20);
    size_t lb = 0, la = 0, free_bytes = 1;
    uint64_t accepted = 0;
    int refused = 0;
    rng_state = 19;
    for (int i = 0; i < 5000 && refused < 40; i++) {
        cxm_ticket t = ticket(3, 0, 4, 5);
        TU_OK(cxm_rollup_encode(r, before, 1 << 20, &lb));
        uint32_t field = 0;
        const cxm_status st = cxm_rollup_add(r, &t, &field);
        if (st == CXM_OK) {
            accepted++;
            continue;
        }
        assert_int_equal(st, CXM_CAPACITY);
        refused++;
        TU_OK(cxm_rollup_encode(r, after, 1 << 20, &la));
        assert_int_equal(la, lb);
        assert_memory_equal(before, after, lb);
    }
    assert_int_equal(refused, 40);
    cxm_rollup_result g = {.size = sizeof g};
    TU_OK(cxm_rollup_result_get(r, CXM_ROLLUP_OVERALL, 0, 0.95, &g));
    assert_int_equal(g.tickets, accepted);
    TU_OK(cxm_rollup_memory(r, NULL, &free_bytes));
    size_t used = 0;
    TU_OK(cxm_rollup_memory(r, &used, NULL));
    assert_int_equal(used + free_bytes, cxm_rollup_footprint(&o));
    /* Handle times of closed tickets an octave apart each: pages the full pool does not have. */
    cxm_ticket batch[20];
    for (int i = 0; i < 20; i++) {
        batch[i] = ticket(3, 0, 4, 5);
        batch[i].flags = CXM_TICKET_UNRESOLVED;
        batch[i].first_solved = batch[i].last_solved = 0;
        batch[i].reopens = 0;
        batch[i].requester_wait = batch[i].agent_work = batch[i].on_hold = 0;
        batch[i].handle_time = 0.01 * (double)(1u << i);
        TU_OK(cxm_rollup_add(other, &batch[i], NULL));
    }
    TU_OK(cxm_rollup_encode(r, before, 1 << 20, &lb));
    size_t bad = 0;
    TU_ST(cxm_rollup_add_many(r, batch, 20, &bad, NULL), CXM_CAPACITY);
    TU_ST(cxm_rollup_merge(r, other), CXM_CAPACITY);
    TU_OK(cxm_rollup_encode(r, after, 1 << 20, &la));
    assert_int_equal(la, lb);
    assert_memory_equal(before, after, lb);
    test_free(before);
    test_free(after);
    cxm_rollup_free(other);
    cxm_rollup_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grown_record_against_the_records),
        cmocka_unit_test(older_records_in_a_batch),
        cmocka_unit_test(four_crosses_and_the_last_ids),
        cmocka_unit_test(decode_refuses_before_allocating),
        cmocka_unit_test(exhausted_pool_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
