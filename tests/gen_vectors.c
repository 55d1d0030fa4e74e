/*
 * gen_vectors.c — writes committed encoding vectors from the family table
 * (not run in CI; see docs/encoding.md, "Encoding compatibility").
 *
 *     gen_vectors DIR [NAME...]
 *
 * For each family (or each NAME), if DIR has no vector of the family's
 * current format version, writes DIR/<name>_v<N>.hex: an accumulator of the
 * family's last variant fed fixed, deterministic batches through the
 * table's `feed`. Then, for every vector in DIR without one, writes its
 * expected summary <name>_v<N>.summary. Existing vectors and summaries are
 * never rewritten: they are the compatibility promise. (A summary that must
 * change because the table's summary grew: delete that .summary file, rerun,
 * and review the diff.)
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "families.h"
#include "forge.h"

#define VECTOR_MAX (1u << 20)

static uint64_t seed_of(const char *name)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (const char *p = name; *p; p++)
        h = (h ^ (uint8_t)*p) * 1099511628211u;
    return h;
}

static uint8_t buf[VECTOR_MAX];

/* Does DIR hold a vector of this family id and version? */
static int have_vector(const char *dir, uint32_t family, uint32_t version)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".hex") != 0) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = cxm_vector_read(path, buf, sizeof buf);
        uint32_t fam, ver;
        found = len != SIZE_MAX && cxm_encoded_info(buf, len, &fam, &ver) == CXM_OK &&
                fam == family && ver == version;
    }
    closedir(d);
    return found;
}

static int write_vector(const char *dir, const cxm_family_ops *f)
{
    uint32_t ver = cxm_family_version(f);
    if (ver == 0 || have_vector(dir, f->family, ver)) return 0;
    void *acc = NULL;
    if (f->make(NULL, f->variants - 1, &acc) != CXM_OK) return -1;
    uint64_t rng = seed_of(f->name);
    int accepted = 0;
    for (int tries = 0; tries < 5000 && accepted < 4; tries++) {
        uint8_t batch[24];
        size_t n = 1 + (size_t)(tu_rand(&rng) % (tries < 2500 ? sizeof batch : 4)), bad;
        for (size_t i = 0; i < n; i++)
            batch[i] = (uint8_t)tu_rand(&rng);
        accepted += f->feed(acc, batch, n, &bad) == CXM_OK && f->events(acc) > 0;
    }
    size_t len;
    uint8_t *enc = cxm_family_encoding(f, acc, &len);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s_v%u.hex", dir, f->name, ver);
    int rc = enc && accepted > 0 ? cxm_vector_write(path, enc, len) : -1;
    if (rc == 0)
        printf("wrote %s (%zu bytes, %llu events)\n", path, len,
               (unsigned long long)f->events(acc));
    free(enc);
    f->destroy(acc);
    return rc;
}

static int write_summaries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".hex") != 0) continue;
        char hex[1024], sum[1024];
        snprintf(hex, sizeof hex, "%s/%s", dir, e->d_name);
        snprintf(sum, sizeof sum, "%s/%.*s.summary", dir, (int)(n - 4), e->d_name);
        FILE *fp = fopen(sum, "r");
        if (fp) {
            fclose(fp);
            continue;
        }
        size_t len = cxm_vector_read(hex, buf, sizeof buf);
        uint32_t fam, ver;
        const cxm_family_ops *f = NULL;
        void *acc = NULL;
        if (len == SIZE_MAX || cxm_encoded_info(buf, len, &fam, &ver) != CXM_OK ||
            !(f = cxm_family_by_id(fam)) || f->decode(buf, len, NULL, &acc) != CXM_OK) {
            fprintf(stderr, "%s: does not decode\n", hex);
            rc = -1;
            continue;
        }
        if (cxm_summary_write(sum, f, acc) == 0)
            printf("wrote %s\n", sum);
        else
            rc = -1;
        f->destroy(acc);
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [NAME...]\n", argv[0]);
        return 2;
    }
    int rc = 0;
    if (argc == 2) {
        for (size_t i = 0; i < cxm_family_count; i++)
            rc |= write_vector(argv[1], &cxm_families[i]);
    }
    for (int a = 2; a < argc; a++) {
        const cxm_family_ops *f = cxm_family_find(argv[a]);
        if (!f) {
            fprintf(stderr, "%s: no such family in the table\n", argv[a]);
            return 2;
        }
        rc |= write_vector(argv[1], f);
    }
    rc |= write_summaries(argv[1]);
    return rc ? 1 : 0;
}
