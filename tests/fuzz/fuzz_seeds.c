/*
 * fuzz_seeds.c — writes a seed corpus for each harness from the family
 * table: for every family and variant, valid encodings (empty and fed) for
 * fuzz_decode, accepted batches for fuzz_batch and short op sequences for
 * fuzz_sequence. Deterministic: the same table gives the same files.
 *
 *     fuzz_seeds DIR [VECTORS]   writes DIR/decode, DIR/batch, DIR/sequence and
 *                                DIR/structure (whole encodings: the family
 *                                table's, and every VECTORS/<name>.hex)
 *
 * CI runs it before fuzzing so a new family is seeded the day it gets its
 * row; tests/fuzz/corpus/ keeps a committed copy (and whatever inputs
 * longer runs found worth keeping).
 */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "fuzz.h"

static void mkdir_p(const char *path)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        perror(path);
        exit(1);
    }
}

static void put(const char *dir, const char *harness, const char *name, size_t fi, uint32_t v,
                int k, const uint8_t *head, size_t nhead, const uint8_t *body, size_t nbody)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/%s-%zu-v%u-%d", dir, harness, name, fi, v, k);
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(head, 1, nhead, fp) != nhead ||
        (nbody && fwrite(body, 1, nbody, fp) != nbody) || fclose(fp) != 0) {
        perror(path);
        exit(1);
    }
}

/* A batch the family accepts on a fresh object of the variant. */
static size_t accepted_batch(const cxm_family_ops *f, uint32_t v, uint64_t *rng, uint8_t *buf,
                             size_t cap)
{
    for (int tries = 0; tries < 2000; tries++) {
        size_t n = 1 + (size_t)(tu_rand(rng) % (tries < 1000 ? cap : 4));
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)tu_rand(rng);
        void *a = NULL;
        size_t bad;
        if (f->make(NULL, v, &a) != CXM_OK) exit(1);
        cxm_status st = f->feed(a, buf, n, &bad);
        f->destroy(a);
        if (st == CXM_OK) return n;
    }
    return 0;
}

/* Every committed vector (VECTORS/<name>.hex) as a whole encoding for fuzz_structure. */
static void vectors(const char *dir, const char *vdir)
{
    DIR *d = opendir(vdir);
    if (!d) {
        perror(vdir);
        exit(1);
    }
    static uint8_t buf[1 << 20];
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t nl = strlen(e->d_name);
        if (nl < 5 || strcmp(e->d_name + nl - 4, ".hex") != 0) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", vdir, e->d_name);
        size_t len = cxm_vector_read(path, buf, sizeof buf);
        if (len == SIZE_MAX || len == sizeof buf) {
            fprintf(stderr, "%s: unreadable or too large\n", path);
            exit(1);
        }
        snprintf(path, sizeof path, "%s/structure/vector-%.*s", dir, (int)(nl - 4), e->d_name);
        FILE *fp = fopen(path, "wb");
        if (!fp || fwrite(buf, 1, len, fp) != len || fclose(fp) != 0) {
            perror(path);
            exit(1);
        }
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: %s DIR [VECTORS]\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    const char *harness[4] = {"decode", "batch", "sequence", "structure"};
    mkdir_p(dir);
    for (int h = 0; h < 4; h++) {
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, harness[h]);
        mkdir_p(p);
    }
    for (size_t fi = 0; fi < cxm_fuzz_row_count(); fi++) {
        const cxm_family_ops *f = cxm_fuzz_row(fi);
        uint64_t rng = 0xC0FFEEu + fi;
        for (uint32_t v = 0; v < f->variants && v < 8; v++) {
            uint8_t batch[48];
            size_t n = accepted_batch(f, v, &rng, batch, sizeof batch);
            void *a = NULL;
            if (f->make(NULL, v, &a) != CXM_OK) return 1;
            /* decode: an empty and a fed encoding, CRC fixing off and on */
            for (int k = 0; k < 2; k++) {
                size_t bad, len;
                if (k == 1 && f->feed(a, batch, n, &bad) != CXM_OK) return 1;
                uint8_t *enc = fz_encoding(f, a, &len);
                uint8_t head[2] = {(uint8_t)fi, (uint8_t)k};
                put(dir, "decode", f->name, fi, v, k, head, 2, enc, len);
                put(dir, "structure", f->name, fi, v, k, enc, len, NULL, 0);
                free(enc);
            }
            f->destroy(a);
            /* structure: one event, where single-value invariants live */
            if (f->add_one && f->make(NULL, v, &a) == CXM_OK) {
                size_t len;
                if (f->add_one(a, 5) == CXM_OK) {
                    uint8_t *enc = fz_encoding(f, a, &len);
                    put(dir, "structure", f->name, fi, v, 2, enc, len, NULL, 0);
                    free(enc);
                }
                f->destroy(a);
            }
            /* batch: variant, then a split between two accepted batches */
            uint8_t head[3] = {(uint8_t)fi, (uint8_t)v, (uint8_t)(n / 2)};
            put(dir, "batch", f->name, fi, v, 0, head, 3, batch, n);
            /* sequence: feed 0, feed 1, merge, double, round trip, clone, summary */
            uint8_t ops[160];
            size_t m = 0;
            ops[m++] = (uint8_t)fi;
            ops[m++] = (uint8_t)(v | v << 2 | v << 4);
            for (int obj = 0; obj < 2; obj++) {
                ops[m++] = (uint8_t)(0x00 | obj << 4);
                ops[m++] = (uint8_t)n;
                memcpy(ops + m, batch, n);
                m += n;
            }
            const uint8_t tail[] = {
                0x04 | 0 << 4 | 1 << 6, 0x06, 0x06,          0x07, 0x09 | 2 << 6, 0x03, 0x05,
                0x08 | 1 << 4,          0x0B, 0x0A | 2 << 4, 0x02};
            memcpy(ops + m, tail, sizeof tail);
            m += sizeof tail;
            put(dir, "sequence", f->name, fi, v, 0, ops, m, NULL, 0);
        }
    }
    if (argc == 3) vectors(dir, argv[2]);
    return 0;
}
