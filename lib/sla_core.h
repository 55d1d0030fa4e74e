/*
 * sla_core.h — the SLA outcome counts of one priority and metric (a cell),
 * shared by the SLA accumulator and the ticket roll-up so both count,
 * merge, encode and report compliance and lateness the same way.
 */
#ifndef CXM_SLA_CORE_H
#define CXM_SLA_CORE_H

#include "internal.h"

/* Largest target and lateness, seconds: the duration sketch's range (2^43 s). */
#define SLA_MAX_SECONDS 8796093022208LL

typedef struct sla_cell {
    uint64_t achieved, breached, active, past_due;
    uint64_t late_sum, late_max; /* breach lateness, seconds */
} sla_cell;

/* Outcomes counted; its invariants (sla_cell_ok) keep this sum exact. */
static inline uint64_t sla_cell_total(const sla_cell *c)
{
    return c->achieved + c->breached + c->active;
}

/* No outcome at all (a record without a target, self-service): merging it changes nothing. */
static inline bool sla_cell_empty(const sla_cell *c)
{
    return (c->achieved | c->breached | c->active | c->past_due | c->late_sum | c->late_max) == 0;
}

/* Counts one checked outcome (lateness >= 0; > 0 for a breach); the caller checked overflow. */
void sla_cell_put(sla_cell *c, uint32_t outcome, int64_t lateness);
/* Whether s can be added to d without a count or the lateness sum overflowing. */
bool sla_cell_merge_fits(const sla_cell *d, const sla_cell *s);
void sla_cell_merge(sla_cell *d, const sla_cell *s);
/*
 * Whether the outcomes of s (counted into d before) can be taken out of d,
 * and the taking out: counts and the lateness sum step back exactly; the
 * largest lateness cannot when s held it: it becomes the largest one can
 * still be (the lateness sum of the breaches left, when below the old
 * largest; exact with one breach left), so late_max >= every lateness left.
 */
bool sla_cell_sub_ok(const sla_cell *d, const sla_cell *s);
void sla_cell_sub(sla_cell *d, const sla_cell *s);
void sla_cell_write(cxm_wr *w, const sla_cell *c);
/* Bytes of an encoded cell (six u64). */
#define SLA_CELL_BYTES 48u
void sla_cell_read(cxm_rd *r, sla_cell *c);
/* The relations every stored cell keeps (checked on decode). */
bool sla_cell_ok(const sla_cell *c);
/*
 * Pools `count` cells, `stride` cells apart, into a whole cxm_sla_result
 * (size included) at a resolved level and its z. CXM_OK; CXM_EMPTY when no
 * target has ended; CXM_OVERFLOW when a pooled count passes 2^64 - 1.
 */
cxm_status sla_cells_result(const sla_cell *first, uint32_t count, size_t stride, uint32_t priority,
                            uint32_t metric, double lv, double z, cxm_sla_result *out);

#endif
