"""The ticket roll-up: one call per ticket feeds every figure, overall and per
channel, topic, priority and agent, and per cell of the crosses named."""
import ctypes as C
import dataclasses

from . import _lib as L
from . import _structs as S
from ._base import Accumulator, declare_verbs, i32, i64, level_of, seconds, timestamp, u32
from ._buffers import borrow
from ._types import named
from ._types import (CesResult, CsatResult, DurationResult, FcrProfile, NpsMethod, NpsResult,
                     RollupAgentResult,
                     RollupGroup, RollupResult, RollupTime, RollupTimeResult, SlaMetric,
                     SlaResult, SurvivalResult, TicketField, TicketFlag)
from .durations import reached
from .scales import ces_options, csat_options

vp, u32t, dbl, sz, szp = C.c_void_p, C.c_uint32, C.c_double, C.c_size_t, C.POINTER(C.c_size_t)
i64t = C.c_int64

NONE = L.sig("cxm_rollup_none", u32t)()
TIMES = L.sig("cxm_rollup_times", u32t)()
max_channels = L.sig("cxm_rollup_max_channels", u32t)()
max_topics = L.sig("cxm_rollup_max_topics", u32t)()
max_priorities = L.sig("cxm_rollup_max_priorities", u32t)()
max_agents = L.sig("cxm_rollup_max_agents", u32t)()
max_crosses = L.sig("cxm_rollup_max_crosses", u32t)()
_profile_str = L.sig("cxm_fcr_profile_str", C.c_char_p, u32t)
_field_str = L.sig("cxm_ticket_field_str", C.c_char_p, u32t)

declare_verbs("cxm_rollup")
L.status_fn("cxm_rollup_new", u32t, C.POINTER(S.RollupOptions), vp, C.POINTER(vp))
_memory = L.status_fn("cxm_rollup_memory", vp, L.szp, L.szp)
_add = L.status_fn("cxm_rollup_add", vp, C.POINTER(S.Ticket), C.POINTER(u32t))
_add_many = L.status_fn("cxm_rollup_add_many", vp, vp, sz, szp, C.POINTER(u32t))
_retract = L.status_fn("cxm_rollup_retract", vp, C.POINTER(S.Ticket), C.POINTER(u32t))
_replace = L.status_fn("cxm_rollup_replace", vp, C.POINTER(S.Ticket), C.POINTER(S.Ticket),
                       C.POINTER(u32t))
_latest = L.status_fn("cxm_rollup_latest", vp, C.POINTER(i64t))
_config = L.status_fn("cxm_rollup_config", vp, C.POINTER(u32t), C.POINTER(S.RollupOptions))
_result = L.status_fn("cxm_rollup_result_get", vp, u32t, u32t, dbl, C.POINTER(S.RollupResult))
_time = L.status_fn("cxm_rollup_time_get", vp, u32t, u32t, u32t, C.POINTER(S.RollupTimeResult))
_duration = L.status_fn("cxm_rollup_duration_get", vp, u32t, u32t, u32t, dbl,
                        C.POINTER(S.DurationResult))
_csat = L.status_fn("cxm_rollup_csat_get", vp, u32t, u32t, dbl, C.POINTER(S.CsatResult))
_ces = L.status_fn("cxm_rollup_ces_get", vp, u32t, u32t, dbl, C.POINTER(S.CesResult))
_nps = L.status_fn("cxm_rollup_nps_get", vp, u32t, u32t, dbl, u32t, C.POINTER(S.NpsResult))
_survival = L.status_fn("cxm_rollup_survival_get_at", vp, u32t, u32t, C.c_int64, dbl,
                        C.POINTER(dbl), C.POINTER(dbl), sz, C.POINTER(S.SurvivalResult))
_sla = L.status_fn("cxm_rollup_sla_get", vp, u32t, u32t, u32t, dbl, C.POINTER(S.SlaResult))
_sla_at = L.status_fn("cxm_rollup_sla_get_at", vp, u32t, u32t, u32t, i64t, dbl,
                      C.POINTER(S.SlaResult))
_attach = L.status_fn("cxm_rollup_attach_calendar", vp, vp)
_quantile = L.status_fn("cxm_rollup_quantile", vp, u32t, u32t, u32t, dbl, C.POINTER(dbl))
_agent = L.status_fn("cxm_rollup_agent_get", vp, u32t, C.POINTER(S.RollupAgentResult))
_cell_id = L.status_fn("cxm_rollup_cell_id", vp, u32t, u32t, u32t, C.POINTER(u32t))

_TIME_FIELDS = ("created", "first_reply", "first_solved", "last_solved")
_SECONDS_FIELDS = ("requester_wait", "agent_work", "on_hold", "handle_time")
_ID_FIELDS = ("channel", "topic", "agent")


@dataclasses.dataclass
class Ticket:
    """One ticket. Times are Unix seconds or datetimes (0/None = not yet);
    channel, topic and agent None = none; csat, ces and nps None = no answer;
    unresolved: closed without a resolution; transfers between agents;
    handle_time: seconds of agent handling."""
    created: object
    first_reply: object = None
    first_solved: object = None
    last_solved: object = None
    reopens: int = 0
    agent_replies: int = 0
    customer_replies: int = 0
    priority: int = 0
    channel: object = None
    topic: object = None
    agent: object = None
    self_service: bool = False
    requester_wait: object = 0.0
    agent_work: object = 0.0
    on_hold: object = 0.0
    csat: object = None
    ces: object = None
    nps: object = None
    transfers: int = 0
    handle_time: object = 0.0
    unresolved: bool = False


_TICKET_KEYS = {f.name for f in dataclasses.fields(Ticket)} | {"flags"}


def ticket_struct(t, raw=None):
    """Fills a cxm_ticket from a Ticket, a dict or any object with those attributes."""
    if isinstance(t, dict):
        unknown = set(t) - _TICKET_KEYS
        if unknown:
            raise TypeError(f"ticket: unknown fields {sorted(unknown)}")
        get = t.get
    else:
        def get(k, default=None):
            return getattr(t, k, default)
    if raw is None:
        raw = S.Ticket()
    else:
        raw.size = C.sizeof(S.Ticket)
    for f in _TIME_FIELDS:
        v = get(f)
        setattr(raw, f, 0 if v is None else i64(timestamp(v, f), f))
    for f in ("reopens", "agent_replies", "customer_replies", "priority", "transfers"):
        setattr(raw, f, u32(get(f) or 0, f))
    for f in _ID_FIELDS:
        v = get(f)
        setattr(raw, f, NONE if v is None else u32(v, f))
    for f in _SECONDS_FIELDS:
        v = get(f)
        setattr(raw, f, 0.0 if v is None else seconds(v))
    flags = int(get("flags") or 0)
    if get("self_service"):
        flags |= TicketFlag.SELF_SERVICE
    if get("unresolved"):
        flags |= TicketFlag.UNRESOLVED
    for f, bit in (("csat", TicketFlag.HAS_CSAT), ("ces", TicketFlag.HAS_CES),
                   ("nps", TicketFlag.HAS_NPS)):
        v = get(f)
        if v is not None:
            flags |= bit
            setattr(raw, f, i32(v, f))
    raw.flags = u32(flags, "flags")
    return raw


def ticket_dtype():
    """numpy structured dtype of cxm_ticket records (needs numpy)."""
    import numpy as np
    return np.dtype(S.Ticket)


def new_tickets(n):
    """A zeroed numpy array of n cxm_ticket records, ready to fill: `size`
    set, channel/topic/agent = none (needs numpy)."""
    import numpy as np
    a = np.zeros(n, dtype=ticket_dtype())
    a["size"] = C.sizeof(S.Ticket)
    for f in _ID_FIELDS:
        a[f] = NONE
    return a


def _group(g):
    return named(RollupGroup, g, "group") if isinstance(g, str) else u32(g, "group")


def _time_of(t):
    return named(RollupTime, t, "time") if isinstance(t, str) else u32(t, "time")


def _metric(m):
    return named(SlaMetric, m, "metric") if isinstance(m, str) else u32(m, "metric")


class Rollup(Accumulator):
    """A ticket roll-up.

    fcr_profile: FcrProfile.ZENDESK or FRESHDESK (required: definitions are
    named). Capacities: channels, topics, priorities (default 4), agents.
    times: RollupTime values to keep (default all). csat/ces: scale options
    as for Csat/Ces, e.g. csat={"scale": (1, 5)}. sla_policy (copied) with
    sla_as_of (the report instant) and, for business-hours targets, a
    calendar (borrowed: the roll-up keeps a reference). running > 0 makes
    a live roll-up instead (no sla_as_of): room for that many SLA targets
    still running, judged when read (sla(..., at=instant)); tickets change
    through replace() and retract().
    open: capacity of the open-ticket index (tickets open at once) for
    survival(). Every agent is a full group (RollupGroup.AGENT) unless
    agent_counts_only=True (tickets and solved per agent only). crosses:
    up to 4 pairs of dimensions, e.g. [("channel", "priority")]; each cell
    is a group of kind "cell" whose id cell_id(cross, first, second) gives.
    """

    _prefix = "cxm_rollup"
    __slots__ = ()

    def __init__(self, fcr_profile, channels=0, topics=0, priorities=0, agents=0, times=None,
                 csat=None, ces=None, sla_policy=None, calendar=None, sla_as_of=None,
                 running=0, memory_budget=0, open=0, agent_counts_only=False, crosses=()):
        if isinstance(fcr_profile, str):
            fcr_profile = named(FcrProfile, fcr_profile, "fcr_profile")
        mask = 0
        for t in times or ():
            mask |= 1 << int(_time_of(t))
        o = S.RollupOptions(channels=u32(channels, "channels"), topics=u32(topics, "topics"),
                            priorities=u32(priorities, "priorities"),
                            agents=u32(agents, "agents"), times=mask,
                            running=u32(running, "running"), open=u32(open, "open"))
        co = csat_options(**csat) if csat is not None else None
        eo = ces_options(**ces) if ces is not None else None
        if co is not None:
            o.csat = C.pointer(co)
        if eo is not None:
            o.ces = C.pointer(eo)
        o.sla_policy = None if sla_policy is None else sla_policy._handle()
        o.calendar = None if calendar is None else calendar._handle()
        o.sla_as_of = 0 if sla_as_of is None else i64(timestamp(sla_as_of, "sla_as_of"))
        o.memory_budget = int(memory_budget)
        o.agent_kind = 1 if agent_counts_only else 0
        crosses = list(crosses)
        if len(crosses) > max_crosses:
            raise ValueError(f"crosses: at most {max_crosses} pairs")
        o.crosses = len(crosses)
        for j, (a, b) in enumerate(crosses):
            o.cross[j].first, o.cross[j].second = _group(a), _group(b)
        self._new_into(L.lib.cxm_rollup_new, u32(fcr_profile, "fcr_profile"), C.byref(o), None,
                       keep=calendar)

    def cell_id(self, cross, first, second):
        """The id of the cell of cross number `cross` (in the order given at
        creation) where the first dimension's id is `first` and the second's
        `second`: read it with group "cell"."""
        out = u32t(0)
        st = _cell_id(self._handle(), u32(cross, "cross"), u32(first, "first"),
                      u32(second, "second"), C.byref(out))
        if st:
            self._fail(st, "cell_id")
        return out.value

    def memory(self):
        """(used, available) bytes: the allocation less the free pages of the
        sketches' pool, and those free pages (cxm_rollup_memory)."""
        used, avail = C.c_size_t(0), C.c_size_t(0)
        st = _memory(self._handle(), C.byref(used), C.byref(avail))
        if st:
            self._fail(st, "memory")
        return used.value, avail.value

    def add(self, ticket):
        """One ticket (Ticket, dict or attribute object); refused ones raise with
        the field at fault in `bad_field`."""
        raw = ticket_struct(ticket)
        field = C.c_uint32(0)
        st = _add(self._handle(), C.byref(raw), C.byref(field))
        if st:
            self._fail(st, "add", bad_field=_field_name(field.value))

    def _change(self, fn, what, *tickets):
        raws = [ticket_struct(t) for t in tickets]
        field = C.c_uint32(0)
        st = fn(self._handle(), *[C.byref(r) for r in raws], C.byref(field))
        if st:
            self._fail(st, what, bad_field=_field_name(field.value))

    def retract(self, ticket):
        """Takes out a ticket's record added before (exactly: every figure is
        then that of the other tickets); a record never added raises BadStateError."""
        self._change(_retract, "retract", ticket)

    def replace(self, old, new):
        """Replaces a ticket's previous record by its new one, all or nothing."""
        self._change(_replace, "replace", old, new)

    def latest(self):
        """The latest instant (Unix s) in any record added to a live roll-up; None if none."""
        return self._value(_latest, "latest", ctype=C.c_int64)

    def add_many(self, tickets):
        """A list of tickets (converted once), or a buffer of cxm_ticket records
        in place: a numpy array from new_tickets()/ticket_dtype(), all or nothing."""
        if isinstance(tickets, (list, tuple)):
            arr = (S.Ticket * len(tickets))()
            for i, t in enumerate(tickets):
                ticket_struct(t, arr[i])
            tickets = arr
        bad, field = C.c_size_t(0), C.c_uint32(0)
        with borrow(tickets, "record", "Rollup.add_many", S.Ticket) as b:
            st = _add_many(self._h, b.address, b.count, C.byref(bad), C.byref(field))
            n = b.count
        if st:
            self._fail(st, "add_many", bad.value if bad.value < n else None,
                       _field_name(field.value) if field.value else None)
        return self

    def config(self):
        """(FcrProfile, dict of capacities, times mask and sla_as_of)."""
        p, o = C.c_uint32(), S.RollupOptions()
        st = _config(self._handle(), C.byref(p), C.byref(o))
        if st:
            self._fail(st, "config")
        return FcrProfile(p.value), {k: getattr(o, k) for k in (
            "channels", "topics", "priorities", "agents", "times", "sla_as_of")}

    def result(self, group=RollupGroup.OVERALL, id=0, level=None):
        return self._get(_result, S.RollupResult, RollupResult, "result", _group(group),
                         u32(id, "id"), level_of(level))

    def time(self, time, group=RollupGroup.OVERALL, id=0):
        return self._get(_time, S.RollupTimeResult, RollupTimeResult, "time", _group(group),
                         u32(id, "id"), _time_of(time))

    def duration(self, time, group=RollupGroup.OVERALL, id=0, level=None):
        return self._get(_duration, S.DurationResult, DurationResult, "duration",
                         _group(group), u32(id, "id"), _time_of(time), level_of(level))

    def mttr(self, group=RollupGroup.OVERALL, id=0):
        """Mean full resolution time of a group, seconds (None if nothing solved)."""
        return self.time(RollupTime.FULL_RESOLUTION, group, id).mean

    def csat(self, group=RollupGroup.OVERALL, id=0, level=None):
        return self._get(_csat, S.CsatResult, CsatResult, "csat", _group(group), u32(id, "id"),
                         level_of(level))

    def ces(self, group=RollupGroup.OVERALL, id=0, level=None):
        return self._get(_ces, S.CesResult, CesResult, "ces", _group(group), u32(id, "id"),
                         level_of(level))

    def nps(self, group=RollupGroup.OVERALL, id=0, level=None, method=NpsMethod.ADJUSTED_WALD):
        """Transactional NPS of one group (kind always NpsKind.TRANSACTIONAL)."""
        return self._get(_nps, S.NpsResult, NpsResult, "nps", _group(group), u32(id, "id"),
                         level_of(level), u32(method, "method"))

    def aht(self, group=RollupGroup.OVERALL, id=0):
        """Average handle time of a group's closed tickets, seconds (None if none)."""
        return self.time(RollupTime.HANDLE_TIME, group, id).mean

    def survival(self, as_of, group=RollupGroup.OVERALL, id=0, level=None, times=()):
        """(SurvivalResult, [S(t) for t in times]): resolution time with the open
        tickets censored at `as_of` (needs open > 0 at creation)."""
        n = len(times)
        ts, out = (dbl * max(n, 1))(*[seconds(t) for t in times]), (dbl * max(n, 1))()
        res = self._get(_survival, S.SurvivalResult, SurvivalResult, "survival", _group(group),
                        u32(id, "id"), i64(timestamp(as_of, "as_of")), level_of(level), ts, out,
                        n)
        return reached(res), list(out)[:n]

    def sla(self, metric, group=RollupGroup.OVERALL, id=0, level=None, at=None):
        """SLA outcomes; with `at` (a live roll-up), the targets still running
        judged at that instant (not before latest())."""
        if at is None:
            return self._get(_sla, S.SlaResult, SlaResult, "sla", _group(group), u32(id, "id"),
                             _metric(metric), level_of(level))
        return self._get(_sla_at, S.SlaResult, SlaResult, "sla", _group(group), u32(id, "id"),
                         _metric(metric), i64(timestamp(at, "at")), level_of(level))

    def quantile(self, time, q, group=RollupGroup.OVERALL, id=0):
        """Any quantile of one time of one group, seconds; None when empty."""
        return self._value(_quantile, "quantile", _group(group), u32(id, "id"), _time_of(time),
                           float(q))

    def share_within(self, time, threshold, group=RollupGroup.OVERALL, id=0, level=None):
        """DurationShare of one time of one group at or below `threshold`
        ("first replies within 1 hour on channel 2")."""
        from . import compare
        return compare.share(self, (_group(group), u32(id, "id"), _time_of(time)),
                             seconds(threshold), level, rollup=True)

    def agent(self, agent):
        return self._get(_agent, S.RollupAgentResult, RollupAgentResult, "agent",
                         u32(agent, "agent"))

    def attach_calendar(self, calendar):
        """Lends a calendar for business-hours SLA targets (a decoded roll-up has none)."""
        st = _attach(self._handle(), None if calendar is None else calendar._handle())
        if st:
            self._fail(st, "attach_calendar")
        self._keep = calendar


def _field_name(v):
    try:
        return TicketField(v).name.lower()
    except ValueError:
        return _field_str(v).decode()


def fcr_profile_name(profile):
    return _profile_str(u32(profile, "profile")).decode()
