/*
 * test_threads.c — the threading rule (include/cxm/common.h): an object is
 * used by one thread at a time, distinct objects are independent and the
 * library has no hidden shared state. N threads each own accumulators of
 * every family and variant in the table, fill them from their share of a
 * fixed list of batches (also cloning, encoding and decoding them, so the
 * allocating paths run concurrently too), then the main thread merges the
 * partial results. The merged encodings must equal those of the same work
 * done by one thread. Run under ThreadSanitizer in CI (.ci/run).
 *
 * cmocka is not thread-safe: workers only record statuses, the main thread
 * asserts; workers allocate through libc (the NULL allocator).
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>

#include "testutil.h"

#define THREADS 4
#define BATCHES_PER_THREAD 24
#define BATCH_MAX 48
#define MAX_VARIANTS 8

typedef struct batch {
    uint8_t bytes[BATCH_MAX];
    size_t n;
} batch;

/* Everything one worker owns: per family and variant, its accumulator. */
typedef struct worker {
    int id;
    const batch *batches; /* [family][variant][thread][BATCHES_PER_THREAD] */
    void **accs;          /* [family][variant] */
    cxm_status st;        /* first failure, CXM_OK if none */
    char where[96];
} worker;

static size_t slot(size_t fi, uint32_t v)
{
    return fi * MAX_VARIANTS + v;
}

static const batch *batch_at(const batch *all, size_t fi, uint32_t v, int t, int b)
{
    return &all[((slot(fi, v) * THREADS) + (size_t)t) * BATCHES_PER_THREAD + (size_t)b];
}

static void note(worker *w, cxm_status st, const char *what, const char *fam)
{
    if (w->st == CXM_OK && st != CXM_OK) {
        w->st = st;
        snprintf(w->where, sizeof w->where, "%s: %s", fam, what);
    }
}

/* Replaces *acc by a copy of itself made through `via` (clone or codec). */
static void churn(worker *w, const cxm_family_ops *f, void **acc, int via_codec)
{
    void *copy = NULL;
    if (via_codec) {
        size_t len = 0;
        uint8_t *buf = cxm_family_encoding(f, *acc, &len);
        cxm_status st = buf ? CXM_OK : CXM_OUT_OF_MEMORY;
        note(w, st, "encode", f->name);
        if (st == CXM_OK) {
            st = f->decode(buf, len, NULL, &copy);
            note(w, st, "decode", f->name);
        }
        free(buf);
        if (st != CXM_OK) return;
    } else {
        cxm_status st = f->clone(*acc, NULL, &copy);
        note(w, st, "clone", f->name);
        if (st != CXM_OK) return;
    }
    f->destroy(*acc);
    *acc = copy;
}

static void *work(void *arg)
{
    worker *w = arg;
    static double sink[THREADS][CXM_SUMMARY_MAX];
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (uint32_t v = 0; v < f->variants && v < MAX_VARIANTS; v++) {
            void *acc = NULL;
            cxm_status st = f->make(NULL, v, &acc);
            note(w, st, "make", f->name);
            if (st != CXM_OK) continue;
            for (int b = 0; b < BATCHES_PER_THREAD; b++) {
                const batch *bt = batch_at(w->batches, fi, v, w->id, b);
                size_t bad;
                note(w, f->feed(acc, bt->bytes, bt->n, &bad), "feed", f->name);
                if (b % 8 == 3) churn(w, f, &acc, 0);
                if (b % 8 == 7) churn(w, f, &acc, 1);
                size_t n;
                note(w, f->summary(acc, sink[w->id], CXM_SUMMARY_MAX, &n), "summary", f->name);
            }
            w->accs[slot(fi, v)] = acc;
        }
    }
    return NULL;
}

/* Batches every family accepts, chosen by a fixed generator. */
static batch *make_batches(void)
{
    size_t total = cxm_family_count * MAX_VARIANTS * THREADS * BATCHES_PER_THREAD;
    batch *all = test_calloc(total, sizeof *all);
    uint64_t rng = 42;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (uint32_t v = 0; v < f->variants && v < MAX_VARIANTS; v++)
            for (int t = 0; t < THREADS; t++)
                for (int b = 0; b < BATCHES_PER_THREAD; b++) {
                    batch *bt = (batch *)batch_at(all, fi, v, t, b);
                    int ok = 0;
                    for (int tries = 0; tries < 1000 && !ok; tries++) {
                        bt->n = 1 + (size_t)(tu_rand(&rng) % (tries < 500 ? BATCH_MAX : 4));
                        for (size_t i = 0; i < bt->n; i++)
                            bt->bytes[i] = (uint8_t)tu_rand(&rng);
                        void *probe = NULL;
                        TU_OK(f->make(&tu_allocator, v, &probe));
                        size_t bad;
                        ok = f->feed(probe, bt->bytes, bt->n, &bad) == CXM_OK;
                        f->destroy(probe);
                    }
                    if (!ok) fail_msg("%s: no batch accepted by variant %u", f->name, v);
                }
    }
    return all;
}

/* Merges the workers' accumulators (in thread order) and returns the encodings. */
static void merge_all(void **accs[THREADS], tu_snap *out)
{
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (uint32_t v = 0; v < f->variants && v < MAX_VARIANTS; v++) {
            void *m = NULL;
            TU_OK(f->make(&tu_allocator, v, &m));
            uint64_t events = 0;
            for (int t = 0; t < THREADS; t++) {
                void *part = accs[t][slot(fi, v)];
                events += f->events(part);
                TU_OK(f->merge(m, part));
            }
            assert_int_equal(f->events(m), events);
            out[slot(fi, v)] = tu_snapshot(f, m);
            f->destroy(m);
        }
    }
}

static void free_accs(void **accs[THREADS])
{
    for (int t = 0; t < THREADS; t++) {
        for (size_t fi = 0; fi < cxm_family_count; fi++)
            for (uint32_t v = 0; v < cxm_families[fi].variants && v < MAX_VARIANTS; v++)
                cxm_families[fi].destroy(accs[t][slot(fi, v)]);
        test_free(accs[t]);
    }
}

static void threads_equal_one_thread(void **state)
{
    (void)state;
    batch *all = make_batches();
    size_t slots = cxm_family_count * MAX_VARIANTS;
    void **par[THREADS], **seq[THREADS];
    worker wp[THREADS], ws[THREADS];
    for (int t = 0; t < THREADS; t++) {
        par[t] = test_calloc(slots, sizeof(void *));
        seq[t] = test_calloc(slots, sizeof(void *));
        wp[t] = (worker){t, all, par[t], CXM_OK, ""};
        ws[t] = (worker){t, all, seq[t], CXM_OK, ""};
    }

    /* The same work, first on one thread, then on THREADS at once. */
    for (int t = 0; t < THREADS; t++)
        work(&ws[t]);
    pthread_t tid[THREADS];
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_create(&tid[t], NULL, work, &wp[t]), 0);
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_join(tid[t], NULL), 0);
    for (int t = 0; t < THREADS; t++) {
        if (ws[t].st != CXM_OK || wp[t].st != CXM_OK)
            fail_msg("worker %d: %s %s", t, ws[t].where, wp[t].where);
    }

    tu_snap *mp = test_calloc(slots, sizeof *mp), *ms = test_calloc(slots, sizeof *ms);
    merge_all(par, mp);
    merge_all(seq, ms);
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        for (uint32_t v = 0; v < f->variants && v < MAX_VARIANTS; v++) {
            size_t s = slot(fi, v);
            /* Each thread's own part, and the merge, are the single-thread ones. */
            for (int t = 0; t < THREADS; t++) {
                tu_snap one = tu_snapshot(f, seq[t][s]);
                tu_assert_same(f, par[t][s], one);
                tu_snap_free(one);
            }
            assert_int_equal(mp[s].len, ms[s].len);
            assert_memory_equal(mp[s].bytes, ms[s].bytes, ms[s].len);
            tu_snap_free(mp[s]);
            tu_snap_free(ms[s]);
        }
    }
    test_free(mp);
    test_free(ms);
    free_accs(par);
    free_accs(seq);
    test_free(all);
}

/*
 * Merging in parallel: pairs of threads merge disjoint halves into their
 * own destinations, then the two halves are merged; equals the sequential
 * left-to-right merge when the family's merge is associative (the property
 * tests require it).
 */
typedef struct merge_job {
    const cxm_family_ops *f;
    void *dst;
    const void *src;
    cxm_status st;
} merge_job;

static void *merge_worker(void *arg)
{
    merge_job *j = arg;
    j->st = j->f->merge(j->dst, j->src);
    return NULL;
}

static void parallel_merge_tree(void **state)
{
    (void)state;
    uint64_t rng = 7;
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        void *p[4];
        for (int i = 0; i < 4; i++) {
            TU_OK(f->make(NULL, 0, &p[i]));
            for (int k = 0; k < 200; k++)
                TU_OK(f->add_one(p[i], tu_rand(&rng) % 1000));
        }
        void *seq = NULL;
        TU_OK(f->make(NULL, 0, &seq));
        for (int i = 0; i < 4; i++)
            TU_OK(f->merge(seq, p[i]));
        merge_job jobs[2] = {{f, p[0], p[1], CXM_OK}, {f, p[2], p[3], CXM_OK}};
        pthread_t tid[2];
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_create(&tid[i], NULL, merge_worker, &jobs[i]), 0);
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_join(tid[i], NULL), 0);
        TU_OK(jobs[0].st);
        TU_OK(jobs[1].st);
        TU_OK(f->merge(p[0], p[2]));
        tu_snap s = tu_snapshot(f, seq);
        tu_assert_same(f, p[0], s);
        tu_snap_free(s);
        f->destroy(seq);
        for (int i = 0; i < 4; i++)
            f->destroy(p[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threads_equal_one_thread),
        cmocka_unit_test(parallel_merge_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
