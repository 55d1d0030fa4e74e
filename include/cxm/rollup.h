/**
 * @file
 * cxm/rollup.h — the ticket roll-up (the omnichannel view): one call per
 * ticket feeds every accumulator a support team reads, overall and per
 * channel, per topic, per priority and per agent, and in the cells of
 * two-dimensional breakdowns (channel x priority, agent x channel, ...).
 *
 * GROUPS. The capacities are fixed at creation: the overall group (every
 * accepted ticket), one group per channel id 0..channels-1, per topic id
 * 0..topics-1, per priority 0..priorities-1 and per agent 0..agents-1
 * (CXM_ROLLUP_AGENT; with options.agent_kind = CXM_ROLLUP_AGENT_COUNTS an
 * agent keeps only its tickets and solved, read with cxm_rollup_agent_get),
 * and per CELL of each cross the options name (options.crosses pairs of two
 * different dimensions among channel, topic, priority and agent: a pair of
 * dimensions with capacities a and b has a x b cells). Ids are the
 * caller's. A ticket goes to the overall group, its channel's, its topic's,
 * its priority's and its agent's, and to the cell of each cross where it
 * has both ids; an id of CXM_ROLLUP_NONE means "none" (the ticket is in the
 * other groups only, and in no cell of a cross naming that dimension); any
 * other id beyond the capacity is CXM_CAPACITY, never a silent drop. Every
 * group, whatever its kind, has every figure below; a cell is read with
 * kind CXM_ROLLUP_CELL and the id cxm_rollup_cell_id gives for its two ids.
 *
 * PER GROUP:
 *  - volume: tickets, solved now, open (not solved now), ever solved,
 *    reopened tickets and reopens, solved in self-service, assisted
 *    solves, tickets with a first reply, agent and customer replies;
 *  - FCR under the roll-up's profile (cxm_rate_result, use CXM_RATE_FCR,
 *    definition = the profile): trials are tickets solved now by an agent
 *    (self-service solves are not contacts), success as the profile says;
 *  - reopen rate (use CXM_RATE_REOPEN): reopened / ever solved;
 *  - deflection (use CXM_RATE_DEFLECTION): solved in self-service / solved;
 *  - CSAT and CES of the tickets that carry an answer, on the scales given
 *    at creation (cxm/csat.h, cxm/ces.h; defaults 1-5 and CES 2.0 1-7),
 *    reported as cxm_csat_result and cxm_ces_result;
 *  - transactional NPS of the tickets that carry an answer (0-10, the
 *    post-interaction survey), reported as cxm_nps_result of kind
 *    CXM_NPS_TRANSACTIONAL, never blended with another kind;
 *  - unresolved share (use CXM_RATE_UNRESOLVED): closed without a
 *    resolution / closed, and transfer rate: tickets transferred at least
 *    once / tickets, each with a Wilson interval;
 *  - SLA outcomes (when a policy was given at creation) of first reply and
 *    total resolution: achieved, breached with lateness, or active at the
 *    report instant `sla_as_of`, reported as cxm_sla_result (compliance %
 *    with a Wilson interval). First reply is fulfilled by the first reply,
 *    or by the first solve when that comes first; total resolution by the
 *    last solve of a ticket solved now. Self-service solves have no SLA.
 *    The record carries no paused intervals, so nothing is paused;
 *  - times (duration sketches with a 1/129 relative error on every
 *    quantile, see cxm/duration.h), reported as cxm_duration_result:
 *    first reply time = first_reply - created (tickets with a reply);
 *    first resolution time = first_solved - created (tickets ever solved);
 *    full resolution time = last_solved - created (tickets solved now; its
 *    mean is MTTR); requester wait, agent work and on-hold time as given in
 *    the record (tickets solved now). Which times are kept is an option
 *    (all by default); the others cost no memory.
 *
 * FCR PROFILES ARE NAMED, NOT GUESSED (helpdesks disagree):
 *  - CXM_FCR_ZENDESK ("one-touch"): solved with fewer than 2 agent replies;
 *  - CXM_FCR_FRESHDESK: resolved with no customer reply after the first
 *    contact;
 *  - in both, a ticket ever reopened is never first-contact, and neither
 *    is a ticket transferred between agents (transfers > 0): it took more
 *    than the first agent's contact.
 * The same tickets give different FCR under the two (a ticket solved with
 * three agent replies and no customer follow-up is Freshdesk-FCR but not
 * Zendesk one-touch; one agent reply followed by the customer's "thanks"
 * is one-touch but not Freshdesk-FCR). Every result names its profile;
 * roll-ups of different profiles do not merge.
 *
 * OUTCOMES. A ticket is solved now (last_solved set, or first_solved and
 * never reopened), CLOSED WITHOUT A RESOLUTION (CXM_TICKET_UNRESOLVED: the
 * customer gave up, a duplicate, no answer; it may have been solved and
 * reopened before), or open. closed = solved + unresolved; open (the
 * backlog) = tickets - closed. An unresolved ticket is not solved: it is
 * no FCR trial, has no full resolution time, and its total-resolution SLA
 * target has no outcome (neither achieved nor breached: there is no
 * resolution to time; its first-reply target counts as usual). Its first
 * solve, if it had one before a reopen, still counts in the first
 * resolution time and the reopen rate.
 *
 * CONTRADICTIONS ARE REFUSED. A ticket whose fields contradict each other
 * is refused, counted nowhere, and the field is named through `bad_field`
 * (a cxm_ticket_field): CXM_BAD_ORDER when a reply comes before creation,
 * a solve before creation, or the last solve before the first; CXM_OUT_OF_RANGE
 * for a missing creation time, a second solve or a reopen without the
 * other, self-service without a solve, unknown flags, a negative or
 * non-finite status or handle time, a CSAT, CES or NPS answer off its
 * scale, CXM_TICKET_UNRESOLVED on a ticket solved now (FLAGS), transfers on
 * a self-service ticket (TRANSFERS);
 * CXM_CAPACITY for an id beyond its capacity. With an SLA policy, an event
 * after the report instant `sla_as_of` is CXM_BAD_ORDER too, and a set time
 * outside the calendar's range (CXM_CALENDAR_MIN_TIME ..
 * CXM_CALENDAR_MAX_TIME) is CXM_OUT_OF_RANGE; a time left 0 (not set) is
 * never compared with either.
 *
 * MEMORY is fixed at creation and follows the data within it. The
 * duration sketches keep the 1/129 bound with the same buckets, but their
 * bucket counts live in 64-byte pages (one octave of 64 one-byte counters,
 * carrying into further pages past 255) drawn from ONE pool per roll-up,
 * sized from options.memory_budget (CXM_ROLLUP_PAGE_BYTES per page, link
 * included): a sketch pays for the octaves its values fill (a log-normal
 * time of 1,000 values: about a dozen pages), not for all 2,496 buckets.
 * An add, add_many, replace or merge needing more pages than are free is
 * CXM_CAPACITY and changes nothing (never a silent loss of accuracy);
 * retractions give emptied pages back. cxm_rollup_footprint(opts) = the
 * fixed part: a header + G x (1,944 + k x 256) bytes, G the number of
 * groups (1 + channels + topics + priorities + agents + the cells of every
 * cross; with CXM_ROLLUP_AGENT_COUNTS the agents are not groups and take
 * agents x 16 bytes instead), + the two indexes (the running-target index
 * of LIVE MODE and the open-ticket index, each (2 ceil(capacity / 64) + 2)
 * x 1,548 bytes plus 64, see LIVE MODE) + the SLA policy copy
 * (cxm_sla_policy_footprint of `priorities` levels, when a policy is
 * given), rounded up to 64, + the pool: 64 + pages x 68 bytes, rounded up
 * to 64, where pages = memory_budget / 68; on LP64 targets, k the number
 * of times kept (7 by default), 256 bytes a sketch's head (exact count,
 * sums, extremes and the directory of its octaves) and 1,944 the counts,
 * two SLA cells, the CSAT and CES histograms and the NPS counts of a group.
 * For example 1,000 agents, 10 channels, 50 topics, 4 priorities and
 * channel x priority cells: 1,105 groups of 3,736 bytes, 4.1 MB, plus the
 * pool. cxm_rollup_memory reports the bytes used and free.
 * Nothing allocates after creation.
 *
 * LIVE TICKETS. A ticket changes (replied to, solved, reopened, solved
 * again): cxm_rollup_replace takes its previous record out and puts the new
 * one in, all or nothing (cxm_rollup_retract takes one out). Counts,
 * histograms, sketch bucket counts and the exact sums of every time step
 * back exactly, so every figure is that of the records in the roll-up,
 * except extremes, which cannot be retracted exactly:
 *  - min and max of a time: when a retraction may remove the current min
 *    (max), the reported min stays the previous one, raised to the lowest
 *    edge of the lowest non-empty sketch bucket (the max lowered to the top
 *    of the highest): it never lies inside the data (min <= every value <=
 *    max) and is within the bucket of the true extreme, a relative error
 *    below 1/64 (1/(64 + k) for bucket k of an octave). With one or two
 *    values left both are exact to the microsecond (the exact sums fix
 *    them). Quantiles and the mean are clamped to [min, max] as always, so
 *    their bounds (cxm/duration.h) hold unchanged;
 *  - the largest SLA lateness of fulfilled targets: after a retraction
 *    removes the largest breach, it is the smaller of the previous largest
 *    and the lateness sum of the breaches left (exact with one left).
 * A record that was never added is refused when taking it out would drive
 * any count below zero (CXM_BAD_STATE, nothing changed); the roll-up cannot
 * tell other records that were never added, so retract only what you
 * added.
 *
 * LIVE MODE (options.running > 0, sla_as_of = 0). Fulfilled targets are
 * achieved or breached from the record itself. A target not yet fulfilled
 * goes into the running-target index, sorted by its due instant (the
 * calendar's business-hours due instant for business-hours targets), whose
 * capacity is fixed at creation: options.running entries of
 * CXM_ROLLUP_RUNNING_ENTRY_BYTES bytes each, kept in sorted blocks of 64
 * that may be half full, so the index takes (2 ceil(running / 64) + 2) x
 * 1,548 bytes plus 64, allocated with the roll-up (in
 * cxm_rollup_footprint); an add or replace costs a search and moving at
 * most one block, O(log running + 64), and one needing more entries than
 * the capacity is CXM_CAPACITY and changes nothing. Running
 * targets are evaluated when read, at the reader's instant `as_of`
 * (cxm_rollup_sla_get_at): breached when due < as_of, late by as_of - due
 * (counted in the breaches, the lateness mean and the largest lateness,
 * exactly), otherwise active. Reading at an instant before
 * cxm_rollup_latest (the latest instant of any record added) is
 * CXM_BAD_ORDER: a record fulfilled after it is already counted as
 * fulfilled and the roll-up keeps no history to undo that. Without a
 * report instant, records may carry any instant in the calendar's range
 * (a ticket created in week 1 and answered in week 2 is accepted) and live
 * roll-ups merge whenever they are read (their indexes merge;
 * CXM_CAPACITY if the sum does not fit, dst unchanged). Frozen mode
 * (running = 0) is unchanged: running targets are evaluated at sla_as_of.
 *
 * The SLA policy is copied at creation (later changes to it do not apply);
 * the calendar is borrowed and must outlive the roll-up's adds. A clone
 * borrows the same calendar; a decoded roll-up has none until
 * cxm_rollup_attach_calendar (needed only for business-hours targets).
 */
#ifndef CXM_ROLLUP_H
#define CXM_ROLLUP_H

#include "calendar.h"
#include "ces.h"
#include "common.h"
#include "csat.h"
#include "duration.h"
#include "nps.h"
#include "rate.h"
#include "sla.h"
#include "survival.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A ticket roll-up. Opaque. */
typedef struct cxm_rollup cxm_rollup;

/** An id meaning "no channel / topic / agent". */
#define CXM_ROLLUP_NONE 0xFFFFFFFFu
/** Function twin of CXM_ROLLUP_NONE. */
CXM_EXPORT uint32_t cxm_rollup_none(void);

/** Largest channel capacity of a roll-up. */
#define CXM_ROLLUP_MAX_CHANNELS 256u
/** Largest topic capacity of a roll-up. */
#define CXM_ROLLUP_MAX_TOPICS 1024u
/** Largest number of priority levels of a roll-up. */
#define CXM_ROLLUP_MAX_PRIORITIES 16u
/** Largest agent capacity of a roll-up. */
#define CXM_ROLLUP_MAX_AGENTS 65536u
/** Function twin of CXM_ROLLUP_MAX_CHANNELS. */
CXM_EXPORT uint32_t cxm_rollup_max_channels(void);
/** Function twin of CXM_ROLLUP_MAX_TOPICS. */
CXM_EXPORT uint32_t cxm_rollup_max_topics(void);
/** Function twin of CXM_ROLLUP_MAX_PRIORITIES. */
CXM_EXPORT uint32_t cxm_rollup_max_priorities(void);
/** Function twin of CXM_ROLLUP_MAX_AGENTS. */
CXM_EXPORT uint32_t cxm_rollup_max_agents(void);
/** Most crosses (pairs of dimensions) of a roll-up (options.crosses). */
#define CXM_ROLLUP_MAX_CROSSES 4u
/** Function twin of CXM_ROLLUP_MAX_CROSSES. */
CXM_EXPORT uint32_t cxm_rollup_max_crosses(void);
/** Most cells of all the crosses of a roll-up together. */
#define CXM_ROLLUP_MAX_CELLS 1048576u
/** Function twin of CXM_ROLLUP_MAX_CELLS. */
CXM_EXPORT uint32_t cxm_rollup_max_cells(void);
/** Largest capacity of the running-target index of a live roll-up (options.running). */
#define CXM_ROLLUP_MAX_RUNNING 1048576u
/** Function twin of CXM_ROLLUP_MAX_RUNNING. */
CXM_EXPORT uint32_t cxm_rollup_max_running(void);
/** Bytes of one entry of the running-target index (memory per running target). */
#define CXM_ROLLUP_RUNNING_ENTRY_BYTES 24u
/** Function twin of CXM_ROLLUP_RUNNING_ENTRY_BYTES. */
CXM_EXPORT uint32_t cxm_rollup_running_entry_bytes(void);
/** Largest capacity of the open-ticket index (options.open); an entry is
 * CXM_ROLLUP_RUNNING_ENTRY_BYTES bytes. */
#define CXM_ROLLUP_MAX_OPEN 1048576u
/** Function twin of CXM_ROLLUP_MAX_OPEN. */
CXM_EXPORT uint32_t cxm_rollup_max_open(void);
/** Largest memory budget of a roll-up's sketches (options.memory_budget), bytes: 256 MiB. */
#define CXM_ROLLUP_MAX_MEMORY ((uint64_t)256u << 20)
/** Function twin of CXM_ROLLUP_MAX_MEMORY. */
CXM_EXPORT uint64_t cxm_rollup_max_memory(void);
/** Bytes of one page of the sketches' pool, its link included (what a byte of budget buys). */
#define CXM_ROLLUP_PAGE_BYTES 68u
/** Function twin of CXM_ROLLUP_PAGE_BYTES. */
CXM_EXPORT uint32_t cxm_rollup_page_bytes(void);

/** FCR definition profiles. Values are pinned; 0 is deliberately not a profile. */
typedef enum cxm_fcr_profile {
    CXM_FCR_ZENDESK = 1,   /**< one-touch: solved with < 2 agent replies, never reopened,
                                never transferred */
    CXM_FCR_FRESHDESK = 2, /**< resolved with no customer reply after the first contact,
                                never reopened, never transferred */
} cxm_fcr_profile;

/** A static name of a profile ("zendesk", "freshdesk"); "unknown" otherwise. */
CXM_EXPORT const char *cxm_fcr_profile_str(uint32_t profile);

/** Ticket flags. */
enum cxm_ticket_flag {
    CXM_TICKET_SELF_SERVICE = 1u, /**< solved in self-service (help centre, bot) */
    CXM_TICKET_HAS_CSAT = 2u,     /**< `csat` holds the ticket's CSAT answer */
    CXM_TICKET_HAS_CES = 4u,      /**< `ces` holds the ticket's CES answer */
    CXM_TICKET_HAS_NPS = 8u,      /**< `nps` holds the ticket's transactional NPS answer */
    CXM_TICKET_UNRESOLVED = 16u,  /**< closed now WITHOUT a resolution (see "OUTCOMES") */
};

/** The fields of a ticket, as named by a refusal. Values are pinned. */
typedef enum cxm_ticket_field {
    CXM_TICKET_FIELD_NONE = 0,           /**< no field: the ticket was accepted */
    CXM_TICKET_FIELD_CREATED = 1,        /**< `created` */
    CXM_TICKET_FIELD_FIRST_REPLY = 2,    /**< `first_reply` */
    CXM_TICKET_FIELD_FIRST_SOLVED = 3,   /**< `first_solved` */
    CXM_TICKET_FIELD_LAST_SOLVED = 4,    /**< `last_solved` */
    CXM_TICKET_FIELD_REOPENS = 5,        /**< `reopens` */
    CXM_TICKET_FIELD_REQUESTER_WAIT = 6, /**< `requester_wait` */
    CXM_TICKET_FIELD_AGENT_WORK = 7,     /**< `agent_work` */
    CXM_TICKET_FIELD_ON_HOLD = 8,        /**< `on_hold` */
    CXM_TICKET_FIELD_PRIORITY = 9,       /**< `priority` */
    CXM_TICKET_FIELD_CHANNEL = 10,       /**< `channel` */
    CXM_TICKET_FIELD_TOPIC = 11,         /**< `topic` */
    CXM_TICKET_FIELD_AGENT = 12,         /**< `agent` */
    CXM_TICKET_FIELD_FLAGS = 13,         /**< `flags` */
    CXM_TICKET_FIELD_SIZE = 14,          /**< the record's size or reserved fields */
    CXM_TICKET_FIELD_CSAT = 15,          /**< `csat` */
    CXM_TICKET_FIELD_CES = 16,           /**< `ces` */
    CXM_TICKET_FIELD_NPS = 17,           /**< `nps` */
    CXM_TICKET_FIELD_TRANSFERS = 18,     /**< `transfers` */
    CXM_TICKET_FIELD_HANDLE_TIME = 19,   /**< `handle_time` */
} cxm_ticket_field;

/** A static name of a field ("created", "first_reply", ...); "unknown" otherwise. */
CXM_EXPORT const char *cxm_ticket_field_str(uint32_t field);

/**
 * One ticket. Set `size` = sizeof(cxm_ticket); fields a later version adds
 * read as zero for older callers. Timestamps are Unix seconds (UTC); 0 means
 * "not yet".
 *
 * first_solved is the first time the ticket was solved; last_solved the
 * latest solve if the ticket is solved NOW. If reopens == 0 and
 * last_solved == 0, the first solve is the last (you may leave it 0). If
 * reopens > 0 and last_solved == 0, the ticket was reopened and is open.
 */
typedef struct cxm_ticket {
    uint32_t size;             /**< sizeof(cxm_ticket) */
    uint32_t reserved;         /**< must be 0 */
    int64_t created;           /**< required (not 0) */
    int64_t first_reply;       /**< first public agent reply; 0 = none yet */
    int64_t first_solved;      /**< 0 = never solved */
    int64_t last_solved;       /**< latest solve if solved now; see above */
    uint32_t reopens;          /**< times reopened after a solve */
    uint32_t agent_replies;    /**< public agent replies */
    uint32_t customer_replies; /**< customer replies after the first contact */
    uint32_t priority;         /**< 0 .. priorities - 1 (0 = most urgent, by convention) */
    uint32_t channel;          /**< caller id, or CXM_ROLLUP_NONE */
    uint32_t topic;            /**< caller id, or CXM_ROLLUP_NONE */
    uint32_t agent;            /**< caller id, or CXM_ROLLUP_NONE */
    uint32_t flags;            /**< cxm_ticket_flag bits */
    double requester_wait;     /**< seconds waiting on the team (new + open + on-hold) */
    double agent_work;         /**< seconds in new + open */
    double on_hold;            /**< seconds on hold */
    int32_t csat;              /**< CSAT answer, with CXM_TICKET_HAS_CSAT */
    int32_t ces;               /**< CES answer, with CXM_TICKET_HAS_CES */
    int32_t nps;               /**< (appended) transactional NPS answer 0-10, with
                                    CXM_TICKET_HAS_NPS */
    uint32_t transfers;        /**< (appended) times the ticket passed from one agent to
                                    another */
    double handle_time;        /**< (appended) seconds of agent handling (talk, chat or
                                    writing time plus wrap-up), the time behind AHT */
} cxm_ticket;

/** The times a roll-up can keep (bit i of options.times keeps time i). */
typedef enum cxm_rollup_time {
    CXM_ROLLUP_FIRST_REPLY = 0,      /**< created -> first reply */
    CXM_ROLLUP_FIRST_RESOLUTION = 1, /**< created -> first solved */
    CXM_ROLLUP_FULL_RESOLUTION = 2,  /**< created -> last solved (MTTR) */
    CXM_ROLLUP_REQUESTER_WAIT = 3,   /**< the record's requester wait */
    CXM_ROLLUP_AGENT_WORK = 4,       /**< the record's agent work */
    CXM_ROLLUP_ON_HOLD = 5,          /**< the record's on-hold time */
    CXM_ROLLUP_HANDLE_TIME = 6,      /**< the record's handle time (AHT is its mean) */
} cxm_rollup_time;
/** Number of times (bits used in options.times). */
#define CXM_ROLLUP_TIMES 7u
/** Function twin of CXM_ROLLUP_TIMES. */
CXM_EXPORT uint32_t cxm_rollup_times(void);

/** Group kinds of the result calls. */
typedef enum cxm_rollup_group {
    CXM_ROLLUP_OVERALL = 0,  /**< every ticket; the id is ignored */
    CXM_ROLLUP_CHANNEL = 1,  /**< one channel; the id is the channel id */
    CXM_ROLLUP_TOPIC = 2,    /**< one topic; the id is the topic id */
    CXM_ROLLUP_PRIORITY = 3, /**< one priority; the id is the priority level */
    CXM_ROLLUP_AGENT = 4,    /**< one agent; the id is the agent id */
    CXM_ROLLUP_CELL = 5,     /**< one cell of a cross; the id from cxm_rollup_cell_id */
} cxm_rollup_group;

/** What a roll-up keeps per agent (options.agent_kind). Values are pinned. */
typedef enum cxm_rollup_agent_kind {
    CXM_ROLLUP_AGENT_GROUPS = 0, /**< every agent a full group (the default) */
    CXM_ROLLUP_AGENT_COUNTS = 1, /**< tickets and solved per agent only, 16 bytes each */
} cxm_rollup_agent_kind;

/**
 * One cross of a roll-up: two different dimensions, each CXM_ROLLUP_CHANNEL,
 * CXM_ROLLUP_TOPIC, CXM_ROLLUP_PRIORITY or CXM_ROLLUP_AGENT, whose
 * capacities multiply to its number of cells (for example channel x
 * priority). The order is the caller's: it is the order of the two ids
 * given to cxm_rollup_cell_id.
 */
typedef struct cxm_rollup_cross {
    uint32_t first;  /**< a cxm_rollup_group dimension */
    uint32_t second; /**< another one */
} cxm_rollup_cross;

/** Creation options. NULL or zero fields mean the defaults. */
typedef struct cxm_rollup_options {
    uint32_t size;                /**< sizeof(cxm_rollup_options) */
    uint32_t reserved;            /**< must be 0 */
    uint32_t channels;            /**< channel capacity, 0..CXM_ROLLUP_MAX_CHANNELS (default 0) */
    uint32_t topics;              /**< topic capacity, 0..CXM_ROLLUP_MAX_TOPICS (default 0) */
    uint32_t priorities;          /**< priority levels, 1..CXM_ROLLUP_MAX_PRIORITIES (0: 4 =
                                       urgent, high, normal, low) */
    uint32_t agents;              /**< agent capacity, 0..CXM_ROLLUP_MAX_AGENTS (default 0) */
    uint32_t times;               /**< bit mask of cxm_rollup_time kept (0: all) */
    uint32_t reserved2;           /**< must be 0 */
    const cxm_csat_options *csat; /**< CSAT scale, NULL for 1-5 (satisfied 4-5) */
    const cxm_ces_options *ces;   /**< CES scale, NULL for CES 2.0 (1-7, easy 5-7) */
    const cxm_sla_policy *sla_policy; /**< NULL: no SLA; else copied, with `priorities`
                                           levels (first reply and total resolution) */
    const cxm_calendar *calendar;     /**< for business-hours targets; borrowed */
    int64_t sla_as_of;                /**< frozen mode: report instant (Unix s) for targets
                                           still running; required with a policy, within the
                                           calendar's range (cxm/calendar.h). Live mode: 0 */
    uint32_t running;       /**< (appended) 0: frozen mode. > 0: LIVE mode, the capacity of the
                                 running-target index, 1..CXM_ROLLUP_MAX_RUNNING (targets not yet
                                 fulfilled, evaluated when read; see "LIVE TICKETS" above) */
    uint32_t reserved3;     /**< (appended) must be 0 */
    uint64_t memory_budget; /**< (appended) bytes for the groups' duration sketches (their
                                 page pool, see "MEMORY" above), at most CXM_ROLLUP_MAX_MEMORY;
                                 0: the default, 32 pages (2,176 bytes) per kept sketch */
    uint32_t open;          /**< (appended) 0: no open-ticket index. > 0: its capacity,
                                 1..CXM_ROLLUP_MAX_OPEN tickets open at once (each open
                                 ticket's creation instant and groups, for
                                 cxm_rollup_survival_get_at) */
    uint32_t reserved4;     /**< (appended) must be 0 */
    uint32_t agent_kind;    /**< (appended) a cxm_rollup_agent_kind: 0, every agent a full
                                 group; CXM_ROLLUP_AGENT_COUNTS, tickets and solved only */
    uint32_t crosses;       /**< (appended) crosses in `cross`, 0..CXM_ROLLUP_MAX_CROSSES; their
                                 cells together at most CXM_ROLLUP_MAX_CELLS */
    cxm_rollup_cross cross[CXM_ROLLUP_MAX_CROSSES]; /**< (appended) the crosses; entries past
                                                         `crosses` must be zero */
} cxm_rollup_options;

/** Everything of one group except its times. Set `size` = sizeof(cxm_rollup_result). */
typedef struct cxm_rollup_result {
    uint32_t size;                    /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;                /**< out: 0 */
    uint32_t group;                   /**< cxm_rollup_group */
    uint32_t id;                      /**< the group's id (0 for overall) */
    uint32_t fcr_profile;             /**< the cxm_fcr_profile applied */
    uint32_t reserved2;               /**< out: 0 */
    uint64_t tickets;                 /**< accepted tickets in the group */
    uint64_t solved;                  /**< solved now */
    uint64_t open;                    /**< not closed: tickets - solved - unresolved */
    uint64_t ever_solved;             /**< solved at least once */
    uint64_t reopened;                /**< of those, reopened at least once */
    uint64_t reopens;                 /**< sum of reopen counts */
    uint64_t self_service;            /**< solved now, in self-service */
    uint64_t assisted;                /**< solved now, by an agent */
    uint64_t replied;                 /**< with a first reply */
    uint64_t agent_replies;           /**< sum */
    uint64_t customer_replies;        /**< sum */
    cxm_rate_result fcr;              /**< FCR under fcr_profile; definition = the profile */
    cxm_rate_result reopen;           /**< reopened / ever solved */
    cxm_rate_result deflection;       /**< self-service / solved */
    uint32_t has_fcr;                 /**< (appended) 1 if `fcr` has a value; 0: no assisted solve
                                           yet, `fcr` is 0 and means nothing ("no data") */
    uint32_t has_reopen;              /**< (appended) 1 if `reopen` has a value; 0: nothing ever
                                           solved ("no data") */
    uint32_t has_deflection;          /**< (appended) 1 if `deflection` has a value; 0: nothing
                                           solved now ("no data") */
    uint32_t reserved3;               /**< (appended) out: 0 */
    uint64_t unresolved;              /**< (appended) closed now without a resolution */
    uint64_t transferred;             /**< (appended) tickets transferred at least once */
    uint64_t transfers;               /**< (appended) sum of transfer counts */
    uint64_t closed;                  /**< (appended) solved + unresolved */
    cxm_rate_result unresolved_share; /**< (appended) CXM_RATE_UNRESOLVED: unresolved /
                                           closed */
    cxm_rate_result transfer_rate;    /**< (appended) CXM_RATE_GENERIC: transferred /
                                           tickets */
    uint32_t has_unresolved_share;    /**< (appended) 1 if `unresolved_share` has a value
                                           (closed > 0) */
    uint32_t has_transfer_rate;       /**< (appended) 1 if `transfer_rate` has a value */
} cxm_rollup_result;

/**
 * One time of one group, the short form (cxm_rollup_duration_get gives the
 * whole cxm_duration_result). Set `size` = sizeof(cxm_rollup_time_result).
 */
typedef struct cxm_rollup_time_result {
    uint32_t size;      /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;  /**< out: 0 */
    uint32_t group;     /**< cxm_rollup_group */
    uint32_t id;        /**< the group's id (0 for overall) */
    uint32_t time;      /**< cxm_rollup_time */
    uint32_t reserved2; /**< out: 0 */
    uint64_t n;         /**< values (exact) */
    double mean;        /**< seconds (exact to the microsecond before rounding) */
    double sd;          /**< sample standard deviation, seconds (0 when n == 1) */
    double min;         /**< seconds, exact (after a retraction: see "LIVE TICKETS") */
    double max;         /**< seconds, exact (after a retraction: see "LIVE TICKETS") */
    double median;      /**< seconds, rank floor(0.5 (n - 1)), relative error <= 1/129 */
    double p90;         /**< seconds, rank floor(0.9 (n - 1)) */
    uint32_t has_sd;    /**< (appended) 1 if sd has a value (n >= 2); 0: sd is 0 ("no data") */
    uint32_t reserved3; /**< (appended) out: 0 */
} cxm_rollup_time_result;

/** Tickets of one agent. Set `size` = sizeof(cxm_rollup_agent_result). */
typedef struct cxm_rollup_agent_result {
    uint32_t size;      /**< in: sizeof the struct as the caller knows it */
    uint32_t reserved;  /**< out: 0 */
    uint32_t agent;     /**< the agent id */
    uint32_t reserved2; /**< out: 0 */
    uint64_t tickets;   /**< tickets assigned to the agent */
    uint64_t solved;    /**< of those, solved now */
} cxm_rollup_agent_result;

/**
 * The id of a cell of a cross, for the result calls with kind
 * CXM_ROLLUP_CELL: the cell of cross `cross` (0..crosses-1, in the order
 * of options.cross) where the first dimension's id is `first` and the
 * second's `second`.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL argument, no such cross);
 *         CXM_CAPACITY (an id beyond its dimension's capacity).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_cell_id(const cxm_rollup *rollup, uint32_t cross,
                                                       uint32_t first, uint32_t second,
                                                       uint32_t *id);

/**
 * Bytes needed to place a roll-up with these options in caller memory; 0 if
 * the options are invalid.
 */
CXM_EXPORT size_t cxm_rollup_footprint(const cxm_rollup_options *opts);

/**
 * Creates an empty roll-up.
 * @param fcr_profile a cxm_fcr_profile (required: definitions are not guessed)
 * @param opts        capacities and times, NULL for the defaults
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL out, bad allocator, unknown
 *         profile, bad options struct, a capacity beyond its limit, unknown
 *         time bits, bad CSAT or CES options, a policy whose levels are not
 *         `priorities`, a frozen policy without sla_as_of or with one outside
 *         CXM_CALENDAR_MIN_TIME .. CXM_CALENDAR_MAX_TIME, a live roll-up
 *         (running > 0) with sla_as_of set or running beyond
 *         CXM_ROLLUP_MAX_RUNNING, business-hours targets without a
 *         calendar); CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_new(uint32_t fcr_profile,
                                                   const cxm_rollup_options *opts,
                                                   const cxm_allocator *alloc, cxm_rollup **out);

/**
 * As cxm_rollup_new in caller memory (`size` >= cxm_rollup_footprint(opts),
 * aligned to CXM_ALIGNMENT).
 * @return as cxm_rollup_new; CXM_BUFFER_TOO_SMALL.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_init_in(void *mem, size_t size, uint32_t fcr_profile,
                                                       const cxm_rollup_options *opts,
                                                       cxm_rollup **out);

/**
 * Adds one ticket to every group and accumulator it belongs to.
 * @param bad_field out (may be NULL): the cxm_ticket_field at fault when the
 *        ticket is refused (CXM_TICKET_FIELD_NONE otherwise)
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, bad size or reserved field);
 *         CXM_BAD_ORDER; CXM_OUT_OF_RANGE; CXM_CAPACITY; CXM_OVERFLOW;
 *         CXM_BAD_STATE (a business-hours SLA target and no calendar
 *         attached, after decode).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_add(cxm_rollup *rollup, const cxm_ticket *ticket,
                                                   uint32_t *bad_field);

/**
 * Takes out a ticket record added before (the same record, as added): see
 * "LIVE TICKETS" above for what is exact and what min and max report.
 * @param bad_field out (may be NULL), as cxm_rollup_add
 * @return CXM_OK; what cxm_rollup_add returns for the record itself;
 *         CXM_BAD_STATE (the record cannot have been added: taking it out
 *         would drive a count, a histogram point, a sketch bucket, an exact
 *         sum or the running-target index below zero; nothing changed).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_retract(cxm_rollup *rollup, const cxm_ticket *ticket,
                                                       uint32_t *bad_field);

/**
 * Replaces a ticket's previous record `old` (added before) by its record
 * `now`, all or nothing: as cxm_rollup_retract(old) then cxm_rollup_add(now),
 * but when either would fail nothing changes.
 * @param bad_field out (may be NULL): the field at fault in whichever
 *        record is refused
 * @return CXM_OK; as cxm_rollup_retract for `old` and cxm_rollup_add for
 *         `now` (CXM_CAPACITY also when the running-target index cannot
 *         take `now`'s running targets once `old`'s are out).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_replace(cxm_rollup *rollup, const cxm_ticket *old,
                                                       const cxm_ticket *now, uint32_t *bad_field);

/**
 * The latest instant (Unix s) of any record added (created, first reply,
 * solves) to a live roll-up, merged roll-ups included; retractions do not
 * lower it. Frozen roll-ups (running = 0) do not keep it: their records
 * end at sla_as_of.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL); CXM_EMPTY (a frozen
 *         roll-up, or nothing added since creation or reset: *latest = 0,
 *         and any instant may be read).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_latest(const cxm_rollup *rollup, int64_t *latest);

/**
 * Adds `n` tickets (each of the same `size`, the array's stride). All or
 * nothing: `*bad_index` and `*bad_field` (each may be NULL) name the first
 * refused ticket and its field.
 * @return as cxm_rollup_add (CXM_INVALID_ARGUMENT also for a NULL array with
 *         n > 0 or records of different sizes).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_add_many(cxm_rollup *rollup,
                                                        const cxm_ticket *tickets, size_t n,
                                                        size_t *bad_index, uint32_t *bad_field);

/**
 * Adds everything of `src` to `dst`: same profile, capacities, times,
 * CSAT and CES scales, SLA targets and report instant (frozen mode) or
 * running-target capacity (live mode). Live roll-ups merge their indexes.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_KIND_MISMATCH; CXM_OVERFLOW;
 *         CXM_CAPACITY (live: the running targets of both do not fit one
 *         index); dst unchanged on error.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_merge(cxm_rollup *dst, const cxm_rollup *src);

/** Empties every group and agent; the configuration stays. @return CXM_OK; CXM_INVALID_ARGUMENT. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_reset(cxm_rollup *rollup);

/** Copies a roll-up (NULL alloc: the source's). @return CXM_OK; CXM_INVALID_ARGUMENT;
 * CXM_OUT_OF_MEMORY. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_clone(const cxm_rollup *rollup,
                                                     const cxm_allocator *alloc, cxm_rollup **out);

/**
 * The profile and the options the roll-up was created with (defaults
 * resolved: priorities and times are never 0 here; the csat, ces, policy
 * and calendar pointers come back NULL, sla_as_of as given).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_config(const cxm_rollup *rollup,
                                                      uint32_t *fcr_profile,
                                                      cxm_rollup_options *opts);

/**
 * Volume and rates of one group.
 * @param group a cxm_rollup_group; `id` its id (ignored for overall)
 * @param level confidence level of the Wilson intervals, 0 for 0.95
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published, unknown
 *         group); CXM_CAPACITY (id beyond the group's capacity);
 *         CXM_OUT_OF_RANGE (level); CXM_EMPTY (no ticket in the group: the
 *         counts are filled in). A rate whose trials are 0 has no value,
 *         in an OK result too: its has_ flag is 0 (and its numbers 0,
 *         never NaN). The size of the struct's first version (without the
 *         has_ flags) is accepted.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_result_get(const cxm_rollup *rollup, uint32_t group,
                                                          uint32_t id, double level,
                                                          cxm_rollup_result *out);

/**
 * One time of one group: count, mean, sd, min, max, median and p90 (the
 * numbers of cxm_rollup_duration_get, in a short struct).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (as above, unknown time, or a time
 *         the roll-up does not keep); CXM_CAPACITY; CXM_EMPTY (no value:
 *         n = 0 is filled in).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_time_get(const cxm_rollup *rollup, uint32_t group,
                                                        uint32_t id, uint32_t time,
                                                        cxm_rollup_time_result *out);

/**
 * One time of one group, as cxm_duration_result (count, sum, mean, sd, min,
 * max, median, p90, p99, mean interval at `level`); `metric` says which
 * duration it is (CXM_DURATION_ANY for agent work and on-hold time).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (as above, unknown time, or a time
 *         the roll-up does not keep); CXM_CAPACITY; CXM_OUT_OF_RANGE
 *         (level); CXM_EMPTY (no value: n = 0 is filled in).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_duration_get(const cxm_rollup *rollup,
                                                            uint32_t group, uint32_t id,
                                                            uint32_t time, double level,
                                                            cxm_duration_result *out);

/**
 * CSAT of one group (the tickets that carry an answer).
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_CAPACITY; CXM_OUT_OF_RANGE
 *         (level); CXM_EMPTY (no answer).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_csat_get(const cxm_rollup *rollup, uint32_t group,
                                                        uint32_t id, double level,
                                                        cxm_csat_result *out);

/** CES of one group; as cxm_rollup_csat_get. */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_ces_get(const cxm_rollup *rollup, uint32_t group,
                                                       uint32_t id, double level,
                                                       cxm_ces_result *out);

/**
 * Transactional NPS of one group: the answers of the tickets that carry one
 * (CXM_TICKET_HAS_NPS), reported as cxm_nps_result with kind
 * CXM_NPS_TRANSACTIONAL and brand 0, always: a roll-up's NPS is never
 * relational or competitive, and cxm_nps_merge and cxm_nps_compare refuse
 * to blend it with those kinds.
 * @param level  confidence level of the interval, 0 for 0.95
 * @param method a cxm_nps_method for the interval
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published, unknown
 *         group, bad method); CXM_CAPACITY; CXM_OUT_OF_RANGE (level);
 *         CXM_EMPTY (no answer).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_nps_get(const cxm_rollup *rollup, uint32_t group,
                                                       uint32_t id, double level, uint32_t method,
                                                       cxm_nps_result *out);

/**
 * Adds the NPS answers of one group to an NPS accumulator (to compare a
 * group with another, or to keep them past the roll-up). `dst` must be of
 * kind CXM_NPS_TRANSACTIONAL, brand 0.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, unknown group);
 *         CXM_CAPACITY; CXM_KIND_MISMATCH (dst relational or competitive:
 *         nothing changed); CXM_OVERFLOW (dst unchanged).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_nps_merge_into(const cxm_rollup *rollup,
                                                              uint32_t group, uint32_t id,
                                                              cxm_nps *dst);

/**
 * SLA outcomes of one group for CXM_SLA_FIRST_REPLY or
 * CXM_SLA_TOTAL_RESOLUTION. `priority` in the result is the group's
 * priority for a priority group and for a cell of a cross with the
 * priority, else CXM_SLA_ALL_PRIORITIES. In live mode
 * the running targets are evaluated at cxm_rollup_latest (see
 * cxm_rollup_sla_get_at).
 * @return CXM_OK; CXM_INVALID_ARGUMENT (as above, or no policy was given);
 *         CXM_CAPACITY; CXM_OUT_OF_RANGE (another metric, level);
 *         CXM_EMPTY (no target ended: counts, active ones included, filled in).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_sla_get(const cxm_rollup *rollup, uint32_t group,
                                                       uint32_t id, uint32_t metric, double level,
                                                       cxm_sla_result *out);

/**
 * As cxm_rollup_sla_get, with the running targets evaluated at `as_of`
 * (Unix s): breached if due < as_of, late by as_of - due, else active. In
 * frozen mode only as_of = sla_as_of is accepted (running targets were
 * evaluated then).
 * @return as cxm_rollup_sla_get; CXM_BAD_ORDER (as_of before
 *         cxm_rollup_latest: records fulfilled later are already counted);
 *         CXM_OUT_OF_RANGE also for as_of outside the calendar's range;
 *         CXM_INVALID_ARGUMENT also for a frozen roll-up and another
 *         instant; CXM_OVERFLOW (a lateness sum past 2^64 - 1 s).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_sla_get_at(const cxm_rollup *rollup, uint32_t group,
                                                          uint32_t id, uint32_t metric,
                                                          int64_t as_of, double level,
                                                          cxm_sla_result *out);

/**
 * Resolution time of one group with its open tickets censored at `as_of`
 * (Unix s): the Kaplan-Meier estimate of cxm/survival.h over the group's
 * full resolution times (tickets solved now: the events) and the ages
 * as_of - created of its open tickets (from the open-ticket index,
 * options.open), in cxm_survival_result: the KM median with its Greenwood
 * interval (or "not reached" while too many tickets are open), the share
 * never resolved within the longest time, and next to them the
 * closed-only mean (MTTR) and median. Tickets closed without a resolution
 * are in neither set: they will never be resolved and are no longer
 * waiting (see "SURVIVAL" in docs/rollup.md).
 * @param times    ntimes instants t (seconds after creation, >= 0) ...
 * @param survival ... receive S(t), the estimated share of the group's
 *                 tickets not resolved t seconds after creation (1 before the
 *                 first resolution; resolutions rounded to their sketch bucket)
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL, size not published, unknown
 *         group, no open-ticket index, full resolution time not kept, NULL
 *         arrays with ntimes > 0); CXM_CAPACITY (id); CXM_OUT_OF_RANGE
 *         (level, as_of outside the calendar's range, a time negative or
 *         not finite); CXM_BAD_ORDER (as_of before the creation of an open
 *         ticket, or before cxm_rollup_latest of a live roll-up: solves
 *         after it are already counted); CXM_EMPTY (no ticket resolved or
 *         open in the group: n = 0 filled in).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_survival_get_at(
    const cxm_rollup *rollup, uint32_t group, uint32_t id, int64_t as_of, double level,
    const double *times, double *survival, size_t ntimes, cxm_survival_result *out);

/**
 * Lends the roll-up a calendar for business-hours SLA targets (a decoded
 * roll-up has none; NULL removes it). The calendar must outlive the adds.
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL rollup).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_attach_calendar(cxm_rollup *rollup,
                                                               const cxm_calendar *calendar);

/**
 * Any quantile of one time of one group (rank floor(q (n - 1))), seconds.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_CAPACITY; CXM_OUT_OF_RANGE (q
 *         not in [0, 1]); CXM_EMPTY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_quantile(const cxm_rollup *rollup, uint32_t group,
                                                        uint32_t id, uint32_t time, double q,
                                                        double *out);

/**
 * The roll-up's memory: `used` = the bytes of its allocation that are not
 * free pages of the sketches' pool (header, groups, index, policy copy, the
 * pool's links and the pages in use); `available` = the free pages' bytes
 * (64 each). used + available = cxm_rollup_footprint of its options. An add
 * needing more pages than are free is CXM_CAPACITY (see "MEMORY").
 * @param used      out (may be NULL)
 * @param available out (may be NULL)
 * @return CXM_OK; CXM_INVALID_ARGUMENT (NULL rollup).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_memory(const cxm_rollup *rollup, size_t *used,
                                                      size_t *available);

/**
 * Tickets per agent.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_CAPACITY (agent beyond the
 *         capacity); CXM_EMPTY (no ticket for this agent: zeros filled in).
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_agent_get(const cxm_rollup *rollup, uint32_t agent,
                                                         cxm_rollup_agent_result *out);

/** Encodes (see cxm_nps_encode). */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_encode(const cxm_rollup *rollup, uint8_t *buf,
                                                      size_t cap, size_t *len);

/**
 * Decodes; the configuration is validated (and the bytes must be long
 * enough for every group it claims) before anything is allocated, then
 * every group and sketch is checked, and in live mode the running-target
 * index (sorted, within capacity, each entry naming groups that exist,
 * as many running targets per group and metric as the groups count). A
 * live roll-up allocates its index capacity whatever the bytes hold.
 * @return CXM_OK; CXM_INVALID_ARGUMENT; CXM_BAD_FORMAT; CXM_WRONG_TYPE;
 *         CXM_UNSUPPORTED_VERSION; CXM_OUT_OF_MEMORY.
 */
CXM_EXPORT CXM_NODISCARD cxm_status cxm_rollup_decode(const uint8_t *buf, size_t len,
                                                      const cxm_allocator *alloc, cxm_rollup **out);

/** Frees; NULL is a no-op. */
CXM_EXPORT void cxm_rollup_free(cxm_rollup *rollup);

#ifdef __cplusplus
}
#endif

#endif /* CXM_ROLLUP_H */
