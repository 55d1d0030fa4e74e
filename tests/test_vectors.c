/*
 * test_vectors.c — encoding compatibility. Every committed vector
 * tests/vectors/<name>_v<N>.hex must keep decoding, in this and every later
 * version, to the state it was written from: its envelope names a family of
 * the table and version N; it decodes; at the family's current version it
 * re-encodes to the same bytes (an older version re-encodes to the current
 * format, which decodes to the same results); and the family's summary of
 * it equals the committed <name>_v<N>.summary. Every family in the table
 * must have a vector of its current format version.
 *
 * New vectors and summaries: build/tests/gen_vectors tests/vectors (see
 * docs/encoding.md, "Encoding compatibility").
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>

#include "testutil.h"

#define VECTOR_MAX (1u << 20)
#define MAX_FILES 256

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of *_v<N>.hex in the directory, sorted; *count set. */
static char **list_vectors(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    char **names = test_calloc(MAX_FILES, sizeof(char *));
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        const char *v = strrchr(e->d_name, 'v');
        if (len < 8 || strcmp(e->d_name + len - 4, ".hex") != 0 || !v || v == e->d_name ||
            v[-1] != '_')
            continue;
        assert_true(n < MAX_FILES);
        names[n] = test_malloc(len + 1);
        memcpy(names[n], e->d_name, len + 1);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    *count = n;
    return names;
}

/* Relative tolerance for summary values: libm may differ in the last bits. */
static int close_enough(double want, double got)
{
    if (want == got) return 1;
    double scale = fmax(1.0, fmax(fabs(want), fabs(got)));
    return fabs(want - got) <= 1e-12 * scale;
}

static void check_summary(const char *dir, const char *name, const cxm_family_ops *f,
                          const void *acc)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%.*s.summary", dir, (int)(strlen(name) - 4), name);
    static double want[CXM_SUMMARY_MAX], got[CXM_SUMMARY_MAX];
    int want_st = 0;
    size_t nw = 0, ng = 0;
    if (cxm_summary_read(path, &want_st, want, CXM_SUMMARY_MAX, &nw) != 0)
        fail_msg("%s: missing or unreadable; write it with: build/tests/gen_vectors %s", path, dir);
    cxm_status st = f->summary(acc, got, CXM_SUMMARY_MAX, &ng);
    if ((int)st != want_st || ng != nw)
        fail_msg("%s: summary status %d / %zu values, expected %d / %zu", name, (int)st, ng,
                 want_st, nw);
    for (size_t i = 0; i < nw; i++)
        if (!close_enough(want[i], got[i]))
            fail_msg("%s: summary value %zu is %.17g, expected %.17g", name, i, got[i], want[i]);
}

static void every_vector_still_decodes(void **state)
{
    (void)state;
    const char *dir = getenv("CXM_VECTORS");
    assert_non_null(dir);
    size_t count = 0;
    char **names = list_vectors(dir, &count);
    assert_true(count > 0);
    uint8_t *buf = test_malloc(VECTOR_MAX);
    for (size_t i = 0; i < count; i++) {
        const char *name = names[i];
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        size_t len = cxm_vector_read(path, buf, VECTOR_MAX);
        assert_true(len != SIZE_MAX && len < VECTOR_MAX);
        uint32_t fam = 0, ver = 0;
        if (cxm_encoded_info(buf, len, &fam, &ver) != CXM_OK)
            fail_msg("%s: not an intact encoding", name);
        unsigned file_ver = 0;
        const char *v = strrchr(name, 'v');
        if (sscanf(v, "v%u.hex", &file_ver) != 1 || file_ver != ver)
            fail_msg("%s: the envelope says version %u", name, ver);
        const cxm_family_ops *f = cxm_family_by_id(fam);
        if (!f) fail_msg("%s: family id %u has no row in the family table", name, fam);
        void *acc = NULL;
        cxm_status st = f->decode(buf, len, &tu_allocator, &acc);
        if (st != CXM_OK) fail_msg("%s: %s refuses it: %s", name, f->name, cxm_status_str(st));
        tu_snap again = tu_snapshot(f, acc);
        if (ver == cxm_family_version(f)) {
            if (again.len != len || memcmp(again.bytes, buf, len) != 0)
                fail_msg("%s: re-encodes to different bytes", name);
        } else {
            /* An older format is read, then written as today's: same results. */
            void *b = NULL;
            TU_OK(f->decode(again.bytes, again.len, &tu_allocator, &b));
            check_summary(dir, name, f, b);
            f->destroy(b);
        }
        check_summary(dir, name, f, acc);
        tu_snap_free(again);
        f->destroy(acc);
    }
    test_free(buf);
    for (size_t i = 0; i < count; i++)
        test_free(names[i]);
    test_free(names);
}

static void every_family_has_a_current_vector(void **state)
{
    (void)state;
    const char *dir = getenv("CXM_VECTORS");
    size_t count = 0;
    char **names = list_vectors(dir, &count);
    uint8_t *buf = test_malloc(VECTOR_MAX);
    for (size_t fi = 0; fi < cxm_family_count; fi++) {
        const cxm_family_ops *f = &cxm_families[fi];
        uint32_t current = cxm_family_version(f);
        int found = 0;
        for (size_t i = 0; i < count && !found; i++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            size_t len = cxm_vector_read(path, buf, VECTOR_MAX);
            uint32_t fam = 0, ver = 0;
            found = len != SIZE_MAX && cxm_encoded_info(buf, len, &fam, &ver) == CXM_OK &&
                    fam == f->family && ver == current;
        }
        if (!found)
            fail_msg("%s: no vector of format version %u in %s; write it with: "
                     "build/tests/gen_vectors %s %s",
                     f->name, current, dir, dir, f->name);
    }
    test_free(buf);
    for (size_t i = 0; i < count; i++)
        test_free(names[i]);
    test_free(names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_vector_still_decodes),
        cmocka_unit_test(every_family_has_a_current_vector),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
