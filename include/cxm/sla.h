/**
 * @file
 * cxm/sla.h — service-level agreements: policies of targets per priority
 * and metric, the target clock, the one-shot evaluation of a ticket, and
 * the SLA accumulator.
 *
 * The model is the helpdesk one (Zendesk; ServiceNow and Salesforce agree).
 *
 * Policy. For each priority (CXM_SLA_URGENT, HIGH, NORMAL, LOW, or N
 * caller-defined levels 0 .. N-1) and each metric (first reply, next reply,
 * periodic update, pausable update, requester wait, agent work, total
 * resolution) a target of T seconds, measured in calendar time (wall
 * seconds) or in business hours (business seconds of a cxm_calendar).
 *
 * Target clock. States: inactive -> (activate) -> active <-> (pause /
 * resume) paused -> (fulfil) -> closed; fulfil is valid from active or
 * paused. Any other event is CXM_BAD_STATE; an event earlier than the
 * previous one is CXM_BAD_ORDER. Both leave the clock unchanged.
 *  - elapsed = the target-unit seconds (wall or business) spent active;
 *    paused time never counts.
 *  - breach instant = the earliest instant at which elapsed reaches T if the
 *    clock keeps running: for calendar time start + T + paused time; for
 *    business hours the calendar's due instant, so paused time extends it
 *    only where the pause overlapped open hours.
 *  - A clock is breached once an instant strictly after its breach instant
 *    has been reached while running (met exactly at the breach instant is
 *    achieved). Breached stays set through pauses and at closure.
 *  - lateness = (fulfil instant, or the report instant while running) -
 *    breach instant, in wall seconds, when past due; else 0.
 *
 * Outcome of one ticket and metric: achieved (fulfilled on time), breached
 * (fulfilled late, lateness > 0), or active (not fulfilled at the report
 * instant; past due when lateness > 0).
 *
 * Accumulator. Per priority and metric: achieved, breached, active and
 * active-past-due counts (exact), compliance % = 100 * achieved /
 * (achieved + breached) with a Wilson interval (active outcomes are
 * reported apart and never counted as achieved), and the exact mean and
 * maximum breach lateness. Per metric, over all priorities, the breach
 * lateness distribution is a duration sketch: quantiles within 1/129
 * relative error for lateness from 1 s to 17 years (see README, durations).
 */
#ifndef CXM_SLA_H
#define CXM_SLA_H

#include "calendar.h"
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Metrics. Values are pinned. */
typedef enum cxm_sla_metric {
    CXM_SLA_FIRST_REPLY = 0,      /**< created -> first public agent reply */
    CXM_SLA_NEXT_REPLY = 1,       /**< a customer's follow-up -> the next agent reply */
    CXM_SLA_PERIODIC_UPDATE = 2,  /**< between successive agent updates */
    CXM_SLA_PAUSABLE_UPDATE = 3,  /**< as periodic update, paused while pending on the customer */
    CXM_SLA_REQUESTER_WAIT = 4,   /**< time waiting on the support team (new, open, on-hold) */
    CXM_SLA_AGENT_WORK = 5,       /**< time in new and open */
    CXM_SLA_TOTAL_RESOLUTION = 6, /**< created -> solved */
} cxm_sla_metric;

/** Number of metrics. */
#define CXM_SLA_METRIC_COUNT 7u
/** Function twin of CXM_SLA_METRIC_COUNT. */
CXM_EXPORT uint32_t cxm_sla_metric_count(void);

/** The four standard priorities, as levels of a 4-level policy. */
typedef enum cxm_sla_priority {
    CXM_SLA_URGENT = 0, /**< level 0 */
    CXM_SLA_HIGH = 1,   /**< level 1 */
    CXM_SLA_NORMAL = 2, /**< level 2 */
    CXM_SLA_LOW = 3,    /**< level 3 */
} cxm_sla_priority;

/** Number of standard priorities. */
#define CXM_SLA_STANDARD_LEVELS 4u
/** Function twin of CXM_SLA_STANDARD_LEVELS. */
CXM_EXPORT uint32_t cxm_sla_standard_levels(void);
/** Largest number of priority levels of a policy or accumulator. */
#define CXM_SLA_MAX_LEVELS 256u
/** Function twin of CXM_SLA_MAX_LEVELS. */
CXM_EXPORT uint32_t cxm_sla_max_levels(void);
/** Priority value that asks a result over all priorities of a metric. */
#define CXM_SLA_ALL_PRIORITIES 0xFFFFFFFFu
/** Function twin of CXM_SLA_ALL_PRIORITIES. */
CXM_EXPORT uint32_t cxm_sla_all_priorities(void);

/** How a target is measured. 0 is deliberately not a mode. */
typedef enum cxm_sla_mode {
    CXM_SLA_CALENDAR_TIME = 1,  /**< wall-clock seconds */
    CXM_SLA_BUSINESS_HOURS = 2, /**< business seconds of a cxm_calendar */
} cxm_sla_mode;

/** Clock states. */
typedef enum cxm_sla_state {
    CXM_SLA_INACTIVE = 0, /**< not started yet */
    CXM_SLA_ACTIVE = 1,   /**< running: elapsed time counts */
    CXM_SLA_PAUSED = 2,   /**< paused: elapsed time does not count */
    CXM_SLA_CLOSED = 3,   /**< fulfilled: the outcome is final */
} cxm_sla_state;

/** Outcomes of one ticket and metric. 0 is deliberately not an outcome. */
typedef enum cxm_sla_outcome_kind {
    CXM_SLA_ACHIEVED = 1, /**< fulfilled on time: at or before the breach instant */
    CXM_SLA_BREACHED = 2, /**< fulfilled late: after the breach instant (lateness > 0) */
    CXM_SLA_RUNNING = 3,  /**< active: not fulfilled at the report instant */
} cxm_sla_outcome_kind;

/* ---- policy ------------------------------------------------------------------ */

/** An SLA policy: targets per priority level and metric. Opaque. */
typedef struct cxm_sla_policy cxm_sla_policy;

/** Bytes needed to place a policy of `levels` levels; 0 if levels is not 1 .. 256. */
CXM_EXPORT size_t cxm_sla_policy_footprint(uint32_t levels);

/**
 * Creates a policy with `levels` priority levels (1 .. 256; 4 for urgent,
 * high, normal, low) and no target.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL out, levels, allocator);
 *         CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_policy_new(uint32_t levels, const cxm_allocator *alloc,
                                                       cxm_sla_policy **out);

/** As cxm_sla_policy_new, in caller memory. @return also CXM_BUFFER_TOO_SMALL. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_policy_init_in(void *mem, size_t size, uint32_t levels,
                                                           cxm_sla_policy **out);

/**
 * Sets the target of a priority and metric: `seconds` > 0 in `mode`
 * (a cxm_sla_mode); replaces any earlier target.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, unknown mode); CXM_CAPACITY
 *         (priority >= levels); CXM_OUT_OF_RANGE (metric, seconds <= 0).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_policy_set_target(cxm_sla_policy *policy,
                                                              uint32_t priority, uint32_t metric,
                                                              int64_t seconds, uint32_t mode);

/**
 * The target of a priority and metric.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_CAPACITY (priority);
 *         CXM_OUT_OF_RANGE (metric); CXM_EMPTY (no target set; outputs untouched).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_policy_target(const cxm_sla_policy *policy,
                                                          uint32_t priority, uint32_t metric,
                                                          int64_t *seconds, uint32_t *mode);

/** Number of priority levels. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_policy_levels(const cxm_sla_policy *policy,
                                                          uint32_t *levels);

/** Copies a policy (NULL alloc: the source's). @return CXM_OK; CXM_INVALID_ARGUMENT;
 * CXM_OUT_OF_MEMORY. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_policy_clone(const cxm_sla_policy *policy,
                                                         const cxm_allocator *alloc,
                                                         cxm_sla_policy **out);

/**
 * Encodes a policy (family CXM_FAMILY_SLA_POLICY): its levels and every
 * target. `*len` always receives the size.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BUFFER_TOO_SMALL (buf may be NULL).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_policy_encode(const cxm_sla_policy *policy,
                                                          uint8_t *buf, size_t cap, size_t *len);

/**
 * Decodes a policy; every target is checked as cxm_sla_policy_set_target
 * checks it.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BAD_FORMAT; CXM_WRONG_TYPE;
 *         CXM_UNSUPPORTED_VERSION; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_policy_decode(const uint8_t *buf, size_t len,
                                                          const cxm_allocator *alloc,
                                                          cxm_sla_policy **out);

/** Frees a policy; NULL is a no-op. */
CXM_EXPORT void cxm_sla_policy_free(cxm_sla_policy *policy);

/* ---- target clock ------------------------------------------------------------ */

/**
 * A target clock. Opaque. A business-hours clock keeps a pointer to its
 * calendar: the calendar must outlive the clock and should not change while
 * the clock runs.
 */
typedef struct cxm_sla_clock cxm_sla_clock;

/** What a clock says at an instant. Set `size` = sizeof(cxm_sla_clock_status). */
typedef struct cxm_sla_clock_status {
    uint32_t size;          /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;      /**< out: 0 */
    uint32_t state;         /**< cxm_sla_state */
    uint32_t breached;      /**< 1 if past the breach instant while running, at or before now */
    uint32_t mode;          /**< cxm_sla_mode of the target */
    uint32_t has_breach_at; /**< 1 if breach_at is known: breached, or active or closed on
                                 time (then the instant it will or would have breached) */
    int64_t target;         /**< target, seconds in the mode's unit */
    int64_t elapsed;        /**< seconds counted against the target, mode's unit */
    int64_t time_left;      /**< target - elapsed; negative when overdue (mode's unit) */
    double pct_elapsed;     /**< 100 * elapsed / target (above 100 when overdue) */
    int64_t start;          /**< activation instant */
    int64_t breach_at;      /**< actual or predicted breach instant (Unix seconds) */
    int64_t lateness;       /**< wall seconds past breach_at at the end or now; 0 if not past due */
    int64_t paused;         /**< wall seconds spent paused */
    int64_t paused_counted; /**< of which in the mode's unit (open hours only, for business) */
    int64_t end;            /**< fulfil instant when closed, else the instant asked about */
} cxm_sla_clock_status;

/** Bytes needed to place a clock in caller memory. */
CXM_EXPORT size_t cxm_sla_clock_footprint(void);

/**
 * Creates an inactive clock for a target of `target` seconds (> 0) in
 * `mode`. `calendar` is required for CXM_SLA_BUSINESS_HOURS and ignored
 * (may be NULL) for calendar time.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL out, unknown mode, missing
 *         calendar, allocator); CXM_OUT_OF_RANGE (target <= 0);
 *         CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_clock_new(int64_t target, uint32_t mode,
                                                      const cxm_calendar *calendar,
                                                      const cxm_allocator *alloc,
                                                      cxm_sla_clock **out);

/** As cxm_sla_clock_new, in caller memory. @return also CXM_BUFFER_TOO_SMALL. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_clock_init_in(void *mem, size_t size, int64_t target,
                                                          uint32_t mode,
                                                          const cxm_calendar *calendar,
                                                          cxm_sla_clock **out);

/**
 * Events at instant t (Unix seconds within the calendar range,
 * CXM_CALENDAR_MIN_TIME .. CXM_CALENDAR_MAX_TIME, for both modes).
 * activate: inactive -> active. pause: active -> paused. resume: paused ->
 * active. fulfil: active or paused -> closed.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_BAD_STATE (event not
 *         valid in the current state); CXM_BAD_ORDER (t before the previous
 *         event); CXM_OUT_OF_RANGE (t outside the range). The clock is
 *         unchanged on error.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_clock_activate(cxm_sla_clock *clock, int64_t t);
/** See cxm_sla_clock_activate. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_clock_pause(cxm_sla_clock *clock, int64_t t);
/** See cxm_sla_clock_activate. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_clock_resume(cxm_sla_clock *clock, int64_t t);
/** See cxm_sla_clock_activate. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_clock_fulfil(cxm_sla_clock *clock, int64_t t);

/** Back to inactive with the same target. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_clock_reset(cxm_sla_clock *clock);

/**
 * What the clock says at instant `now` (ignored once closed): elapsed, time
 * left, % elapsed, breach instant, lateness. Does not change the clock.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published);
 *         CXM_BAD_ORDER (now before the last event of a running clock);
 *         CXM_OUT_OF_RANGE (now outside the range).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_clock_status_get(const cxm_sla_clock *clock,
                                                             int64_t now,
                                                             cxm_sla_clock_status *out);

/** Copies a clock (NULL alloc: the source's). @return CXM_OK; CXM_INVALID_ARGUMENT;
 * CXM_OUT_OF_MEMORY. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_clock_clone(const cxm_sla_clock *clock,
                                                        const cxm_allocator *alloc,
                                                        cxm_sla_clock **out);

/** Frees a clock; NULL is a no-op. */
CXM_EXPORT void cxm_sla_clock_free(cxm_sla_clock *clock);

/* ---- one-shot evaluation ----------------------------------------------------- */

/** The outcome of one ticket and metric. Set `size` = sizeof(cxm_sla_outcome). */
typedef struct cxm_sla_outcome {
    uint32_t size;          /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;      /**< out: 0 */
    uint32_t priority;      /**< the priority level evaluated */
    uint32_t metric;        /**< cxm_sla_metric */
    uint32_t outcome;       /**< cxm_sla_outcome_kind */
    uint32_t past_due;      /**< 1 if lateness > 0 (breached, or running past due) */
    uint32_t mode;          /**< cxm_sla_mode of the target */
    uint32_t has_breach_at; /**< 1 if breach_at is known */
    int64_t target;         /**< seconds, mode's unit */
    int64_t elapsed;        /**< seconds counted, mode's unit */
    int64_t breach_at;      /**< breach instant (actual or predicted) */
    int64_t lateness;       /**< wall seconds past breach_at at end / report; 0 if on time */
    int64_t paused;         /**< wall seconds paused */
    int64_t paused_counted; /**< of which in the mode's unit */
} cxm_sla_outcome;

/**
 * Evaluates one ticket and metric against a policy: the clock activated at
 * `start`, paused over each [pauses[2i], pauses[2i+1]) (n_pauses pairs,
 * ascending, non-overlapping, inside [start, end]), and fulfilled at `end`
 * — or, with `running` = 1, still running at the report instant `end`.
 * @param calendar required if the target is in business hours, else may be NULL
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published, running not
 *         0/1, NULL pauses with n_pauses > 0, business target without a
 *         calendar); CXM_CAPACITY (priority >= levels); CXM_OUT_OF_RANGE
 *         (metric, an instant outside the calendar range); CXM_EMPTY (no
 *         target for that priority and metric); CXM_BAD_ORDER (end before
 *         start, pauses out of order or outside [start, end]).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_evaluate(const cxm_sla_policy *policy,
                                                     const cxm_calendar *calendar,
                                                     uint32_t priority, uint32_t metric,
                                                     int64_t start, int64_t end, uint32_t running,
                                                     const int64_t *pauses, size_t n_pauses,
                                                     cxm_sla_outcome *out);

/* ---- accumulator -------------------------------------------------------------- */

/** An SLA accumulator: outcome counts per priority and metric. Opaque. */
typedef struct cxm_sla cxm_sla;

/** Result per priority (or all) and metric. Set `size` = sizeof(cxm_sla_result). */
typedef struct cxm_sla_result {
    uint32_t size;            /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;        /**< out: 0 */
    uint32_t priority;        /**< the level, or CXM_SLA_ALL_PRIORITIES */
    uint32_t metric;          /**< cxm_sla_metric */
    uint64_t achieved;        /**< exact */
    uint64_t breached;        /**< exact */
    uint64_t active;          /**< running at report time (exact), past due or not */
    uint64_t active_past_due; /**< of which already past due */
    double compliance_pct;    /**< 100 * achieved / (achieved + breached) */
    cxm_interval ci;          /**< Wilson interval of compliance_pct, percent */
    double lateness_mean;     /**< mean breach lateness, seconds (exact sum / breached) */
    double lateness_max;      /**< largest breach lateness, seconds */
    uint32_t has_compliance;  /**< (appended) 1 if compliance_pct and ci have a value; 0: no
                                   target ended yet (CXM_EMPTY), they are 0 ("no data") */
    uint32_t has_lateness;    /**< (appended) 1 if lateness_mean and lateness_max have a
                                   value; 0: nothing breached, they are 0 ("no data", not
                                   "0 s late") */
} cxm_sla_result;

/** Bytes needed to place an accumulator of `levels` levels; 0 if levels is invalid. */
CXM_EXPORT size_t cxm_sla_footprint(uint32_t levels);

/**
 * Creates an empty SLA accumulator for `levels` priority levels (1 .. 256).
 * The memory is fixed: cxm_sla_footprint(levels), about 140 KiB for the
 * seven lateness sketches plus 48 bytes per level and metric.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_new(uint32_t levels, const cxm_allocator *alloc,
                                                cxm_sla **out);

/** As cxm_sla_new, in caller memory. @return also CXM_BUFFER_TOO_SMALL. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_init_in(void *mem, size_t size, uint32_t levels,
                                                    cxm_sla **out);

/**
 * Adds one outcome. `lateness` (wall seconds past the breach instant) must
 * be 0 for achieved, > 0 for breached, and >= 0 for running (> 0 meaning
 * past due).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_CAPACITY (priority >=
 *         levels); CXM_OUT_OF_RANGE (metric, outcome, lateness inconsistent
 *         or above 2^43 s); CXM_OVERFLOW (the metric's outcomes over all
 *         priorities, or the cell's lateness sum, would pass 2^64 - 1).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_add(cxm_sla *sla, uint32_t priority, uint32_t metric,
                                                uint32_t outcome, int64_t lateness);

/** Adds the outcome returned by cxm_sla_evaluate. @return as cxm_sla_add; CXM_INVALID_ARGUMENT
 * (size). */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_add_outcome(cxm_sla *sla,
                                                        const cxm_sla_outcome *outcome);

/**
 * Adds `n` outcomes from parallel arrays (priorities[i], metrics[i],
 * outcomes[i], lateness[i]), all or nothing; `*bad_index` names the first
 * bad one. CXM_OVERFLOW is conservative: the batch is refused if the
 * busiest metric plus n outcomes could pass 2^64 - 1.
 * @return as cxm_sla_add; CXM_INVALID_ARGUMENT for NULL arrays with n > 0.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_add_many(cxm_sla *sla, const uint32_t *priorities,
                                                     const uint32_t *metrics,
                                                     const uint8_t *outcomes,
                                                     const int64_t *lateness, size_t n,
                                                     size_t *bad_index);

/**
 * Adds everything in `src` to `dst` (same number of levels).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_KIND_MISMATCH (levels differ);
 *         CXM_OVERFLOW (dst unchanged).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_merge(cxm_sla *dst, const cxm_sla *src);

/** Empties the accumulator; levels stay. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_reset(cxm_sla *sla);

/** Copies an accumulator (NULL alloc: the source's). @return CXM_OK; CXM_INVALID_ARGUMENT;
 * CXM_OUT_OF_MEMORY. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_clone(const cxm_sla *sla, const cxm_allocator *alloc,
                                                  cxm_sla **out);

/** Number of priority levels. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_levels(const cxm_sla *sla, uint32_t *levels);

/**
 * Counts, compliance and lateness of one priority (or CXM_SLA_ALL_PRIORITIES)
 * and metric.
 * @param level confidence level in (0, 1), 0 for 0.95
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published); CXM_CAPACITY
 *         (priority); CXM_OUT_OF_RANGE (metric, level); CXM_EMPTY when no
 *         target has ended (the counts, active ones included, are filled
 *         in; no compliance is given: has_compliance is 0). With nothing
 *         breached the lateness has no value (has_lateness 0), in an OK
 *         result too. The size of the struct's first version (without the
 *         has_ flags) is accepted.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_result_get(const cxm_sla *sla, uint32_t priority,
                                                       uint32_t metric, double level,
                                                       cxm_sla_result *out);

/**
 * Quantiles of breach lateness (seconds) of a metric over all priorities,
 * from its duration sketch: `out[i]` for `qs[i]` in [0, 1]; rank
 * convention floor(q (n - 1)), relative error <= 1/129.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_OUT_OF_RANGE (metric, or
 *         a q outside [0, 1]: *bad_index names it); CXM_EMPTY (no breach).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_lateness_quantiles(const cxm_sla *sla, uint32_t metric,
                                                               const double *qs, size_t k,
                                                               double *out, size_t *bad_index);

/**
 * Encodes the accumulator (see README, "Encoding").
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BUFFER_TOO_SMALL (buf may be
 *         NULL to ask for the size).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_encode(const cxm_sla *sla, uint8_t *buf, size_t cap,
                                                   size_t *len);

/**
 * Decodes bytes from cxm_sla_encode; every field is checked.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BAD_FORMAT; CXM_WRONG_TYPE;
 *         CXM_UNSUPPORTED_VERSION; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_sla_decode(const uint8_t *buf, size_t len,
                                                   const cxm_allocator *alloc, cxm_sla **out);

/** Frees the accumulator; NULL is a no-op. */
CXM_EXPORT void cxm_sla_free(cxm_sla *sla);

#ifdef __cplusplus
}
#endif

#endif /* CXM_SLA_H */
