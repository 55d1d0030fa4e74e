/*
 * internal.h — machinery shared by every family and never exported: object
 * headers and allocation, sized-struct checks, the byte codec with its
 * envelope and CRC-32C, and the statistics helpers. Written once, used by all.
 */
#ifndef CXM_INTERNAL_H
#define CXM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm.h"
#include "sizes.h"

/* ---- objects -------------------------------------------------------------- */

/*
 * First member of every accumulator struct. Remembering the allocator lets
 * free() and clone() work without the caller passing it again; `placed` marks
 * objects living in caller memory, which free() must not release.
 */
typedef struct cxm_obj {
    uint32_t family;
    uint32_t placed;
    cxm_allocator alloc;
} cxm_obj;

/* Validates a caller allocator (NULL = libc) and copies it, filled in, to out. */
cxm_status cxm_alloc_resolve(const cxm_allocator *a, cxm_allocator *out);
/* Allocates and zeroes `bytes`, fills the header. */
cxm_status cxm_obj_new(const cxm_allocator *a, size_t bytes, uint32_t family, void **out);
/* Zeroes caller memory of `size` bytes (must hold `bytes`), fills the header. */
cxm_status cxm_obj_place(void *mem, size_t size, size_t bytes, uint32_t family, void **out);
/*
 * The one creation path of `_new` and `_init_in`: with place, cxm_obj_place
 * in mem (size bytes); otherwise cxm_obj_new through a.
 */
cxm_status cxm_obj_make(bool place, void *mem, size_t size, const cxm_allocator *a, size_t bytes,
                        uint32_t family, void **out);
/* Frees through the object's allocator unless placed; NULL is a no-op. */
void cxm_obj_free(void *obj);
/*
 * Copies an object of `bytes` bytes into new memory from `a` (NULL: the
 * source's allocator); the copy is never marked placed.
 */
cxm_status cxm_obj_clone(const void *src, size_t bytes, const cxm_allocator *a, void **out);
/* Restores everything after the header to zero (reset); the header stays. */
void cxm_obj_zero_body(void *obj, size_t bytes);

/* ---- sized structs -------------------------------------------------------- */

/*
 * Every check takes the struct's row of published sizes (sizes.h; pass
 * CXM_SIZES(ptr)): a size not in the row is CXM_INVALID_ARGUMENT.
 */

/* Checks a result struct supplied by the caller: non-NULL, a published size. */
cxm_status cxm_result_check(const void *out, const cxm_sizes *sizes);
/*
 * Copies the caller's size (already checked), at most local_size (the
 * current struct), of `local` to `out`, keeping out's size field: nothing
 * past the current struct is ever written, whatever size claims.
 */
void cxm_result_copy(void *out, const void *local, size_t local_size);
/*
 * Reads an options struct into `local` (zeroed, `local_size` bytes, the
 * library's own version): NULL leaves local zeroed (defaults); a size that
 * is not published or reserved != 0 is CXM_INVALID_ARGUMENT. Fields the
 * caller's (older) version lacks read as zero.
 */
cxm_status cxm_options_read(const void *opts, const cxm_sizes *sizes, void *local,
                            size_t local_size);

/*
 * Reads one input record (a sized struct the caller fills, such as a ticket
 * or a customer): non-NULL, then as cxm_options_read.
 */
cxm_status cxm_record_read(const void *rec, const cxm_sizes *sizes, void *local, size_t local_size);
/*
 * The stride of an array of sized records: the size of its first element,
 * which every element must repeat. CXM_INVALID_ARGUMENT (and *bad = the
 * element) when a size differs or is not published.
 */
cxm_status cxm_record_stride(const void *recs, size_t n, const cxm_sizes *sizes, size_t *stride,
                             size_t *bad);

/* ---- byte codec ----------------------------------------------------------- */

#define CXM_MAGIC0 0x43u /* 'C' */
#define CXM_MAGIC1 0x58u /* 'X' */
#define CXM_MAGIC2 0x4Du /* 'M' */
#define CXM_MAGIC3 0x00u
#define CXM_ENVELOPE_HEADER 12u /* magic 4, version 2, family 2, payload length 4 */
#define CXM_ENVELOPE_TRAILER 4u /* CRC-32C of header + payload */
#define CXM_ENVELOPE_SIZE (CXM_ENVELOPE_HEADER + CXM_ENVELOPE_TRAILER)
#define CXM_MAX_PAYLOAD 0x40000000u /* 1 GiB: beyond that the bytes are hostile */

uint32_t cxm_crc32c(uint32_t crc, const uint8_t *p, size_t n);

/*
 * Writer: counts every byte asked for, stores only those that fit, so one
 * pass both sizes and fills the buffer.
 */
typedef struct cxm_wr {
    uint8_t *buf;
    size_t cap;
    size_t len;
} cxm_wr;

void cxm_wr_begin(cxm_wr *w, uint8_t *buf, size_t cap, uint32_t family, uint16_t version);
void cxm_wr_u8(cxm_wr *w, uint8_t v);
void cxm_wr_u16(cxm_wr *w, uint16_t v);
void cxm_wr_u32(cxm_wr *w, uint32_t v);
void cxm_wr_u64(cxm_wr *w, uint64_t v);
void cxm_wr_f64(cxm_wr *w, double v);
/* Unsigned LEB128: 7 bits a byte, low first, 1..10 bytes. */
void cxm_wr_uvar(cxm_wr *w, uint64_t v);
/* Patches the length, appends the CRC; *len = bytes needed. */
cxm_status cxm_wr_end(cxm_wr *w, size_t *len);

/* Reader: any out-of-bounds read sets `bad` and returns zeros from then on. */
typedef struct cxm_rd {
    const uint8_t *p;
    size_t left;
    bool bad;
    uint16_t version;
} cxm_rd;

/*
 * Validates the envelope (magic, family, version 1..max_version, length,
 * CRC) and positions the reader at the payload.
 */
cxm_status cxm_rd_begin(cxm_rd *r, const uint8_t *buf, size_t len, uint32_t family,
                        uint16_t max_version);
uint8_t cxm_rd_u8(cxm_rd *r);
uint16_t cxm_rd_u16(cxm_rd *r);
uint32_t cxm_rd_u32(cxm_rd *r);
uint64_t cxm_rd_u64(cxm_rd *r);
/* Unsigned LEB128; overlong (a needless trailing zero byte) or > 64-bit is bad. */
uint64_t cxm_rd_uvar(cxm_rd *r);
/* Reads a double; a NaN or infinity marks the reader bad (never stored). */
double cxm_rd_f64(cxm_rd *r);
/* The next n bytes (the reader moves past them), or NULL and bad if fewer remain. */
const uint8_t *cxm_rd_take(cxm_rd *r, size_t n);
/* CXM_BAD_FORMAT if any read failed or payload bytes remain. */
cxm_status cxm_rd_end(const cxm_rd *r);

/* Bytes of a roll-up object (the series copies accumulators flat). */
size_t rollup_bytes(const cxm_rollup *rollup);

/* ---- the calendar's zone, for the series ---------------------------------- */

/* A calendar's base offset and number of offset changes (sorted by instant). */
void cal_zone(const cxm_calendar *cal, int32_t *base_offset, uint32_t *n_changes);
/* Offset change k < n_changes: from instant `at` on, the offset is `utc_offset`. */
void cal_zone_change(const cxm_calendar *cal, uint32_t k, int64_t *at, int32_t *utc_offset);

/* ---- tickets --------------------------------------------------------------- */

/*
 * The solve fields of a ticket record, checked as the roll-up and the
 * backlog both read them (rollup_record.c): first solve not before
 * creation, a last solve only after a first one and not before it, reopens
 * only after a solve, and without reopens the last solve is the first.
 * *last_solved: the ticket's last solve (its first when never reopened; 0
 * when unsolved). A refusal names its field through *bad_field.
 */
cxm_status cxm_ticket_solves(const cxm_ticket *t, int64_t *last_solved, uint32_t *bad_field);
/* A ticket refused with status st: the field at fault into *bad_field (when given). */
static inline cxm_status cxm_ticket_refuse(cxm_status st, uint32_t field, uint32_t *bad_field)
{
    if (bad_field) *bad_field = field;
    return st;
}

/* ---- arithmetic ----------------------------------------------------------- */

static inline bool cxm_add_overflows(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b;
}

/* n rounded up to a multiple of `a`, a power of two (layouts of variable-size objects). */
static inline size_t cxm_align_up(size_t n, size_t a)
{
    return (n + a - 1) & ~(a - 1);
}

/* a / b rounded down (b > 0 or b < 0), for instants and days before 1970. */
static inline int64_t cxm_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Day number since 1970-01-01 of a proleptic Gregorian date (era arithmetic). */
static inline int64_t cxm_days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = cxm_floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* An instant the business-hours calendar (and so every SLA clock) can represent. */
static inline bool cxm_time_ok(int64_t t)
{
    return t >= CXM_CALENDAR_MIN_TIME && t <= CXM_CALENDAR_MAX_TIME;
}

/* ---- statistics ----------------------------------------------------------- */

/* Resolves a level (0 = default) and its two-sided z; CXM_OUT_OF_RANGE if bad. */
cxm_status cxm_level_z(double level, double *level_out, double *z);
/* Wilson interval for share p over an (effective) sample size n > 0. */
void cxm_wilson(double p, double n, double z, double *lo, double *hi);
/* Student-t quantile: P(T_df <= t) = p, for real df > 0 and p in (0, 1). */
double cxm_t_quantile(double p, double df);
/* t > 0 with P(T_df > t) = q, q in (0, 0.5], real df > 0: from the tail itself, exact for levels
 * next to 1. */
double cxm_t_tail_quantile(double q, double df);
/* P(T_df > t) for t >= 0 and real df > 0. */
double cxm_t_tail(double t, double df);
/* The regularized incomplete beta I_x(a, b), a, b > 0, x in [0, 1] (relative error ~1e-15). */
double cxm_inc_beta(double x, double a, double b);
/*
 * Mean interval from n observations with sample sd, Student t with n-1
 * degrees of freedom, clipped to [lo_clip, hi_clip]; n < 2 gives the clip
 * range itself (one answer says nothing about spread).
 */
void cxm_mean_interval(double n, double mean, double sd, double level, double lo_clip,
                       double hi_clip, cxm_interval *out);
/*
 * Standard error of a net share pa - pd of a trinomial (NPS, CES index):
 * sqrt((pa + pd - (pa - pd)^2) / n), 0 when rounding makes the variance < 0.
 */
double cxm_trinomial_se(double pa, double pd, double n);
/* Two-sided p-value of a standard-normal statistic. */
double cxm_two_sided_p(double z);
/* P(B <= k) for B ~ Binomial(n, 1/2): exact up to 10^7 trials, normal beyond. */
double cxm_binomial_half_cdf(uint64_t k, uint64_t n);
/* Welch's t test of two means into a whole cxm_comparison (CXM_EMPTY if a side has n < 2). */
cxm_status cxm_compare_means(uint64_t na, double ma, double sa, uint64_t nb, double mb, double sb,
                             double level, cxm_comparison *r);
/*
 * Two shares ka/na and kb/nb: pooled z test and Newcombe interval, values
 * scaled by `unit` (100 for percent); CXM_EMPTY if a side has no trial.
 */
cxm_status cxm_compare_shares(uint64_t ka, uint64_t na, uint64_t kb, uint64_t nb, double unit,
                              double level, cxm_comparison *r);
static inline double cxm_clamp(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}
/*
 * part / whole as a share in [0, 1] (whole > 0). Counts past 2^53 round when
 * converted, so the quotient alone can leave the domain by one rounding step.
 */
static inline double cxm_share(double part, double whole)
{
    return cxm_clamp(part / whole, 0.0, 1.0);
}
/*
 * Clips an interval to [lo, hi] and widens it to contain its point estimate
 * (itself in [lo, hi]): rounding of either bound must never leave the
 * estimate outside its own interval.
 */
static inline void cxm_interval_hold(cxm_interval *ci, double point, double lo, double hi)
{
    ci->lower = cxm_clamp(ci->lower, lo, hi);
    ci->upper = cxm_clamp(ci->upper, lo, hi);
    if (ci->lower > point) ci->lower = point;
    if (ci->upper < point) ci->upper = point;
}

#endif /* CXM_INTERNAL_H */
