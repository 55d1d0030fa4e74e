"""Business-hours calendars, SLA policies, target clocks and the SLA accumulator."""
import ctypes as C
import datetime as _dt

from . import _lib as L
from . import _structs as S
from ._base import (Accumulator, Encodable, Handle, declare_verbs, i32, i64, level_of, timestamp,
                    u32, whole_seconds)
from ._types import named
from ._types import (SlaClockStatus, SlaMetric, SlaMode, SlaOutcome, SlaOutcomeKind, SlaResult,
                     Weekday, convert)

vp, u32t, i32t, i64t, dbl, sz, szp = (C.c_void_p, C.c_uint32, C.c_int32, C.c_int64, C.c_double,
                                      C.c_size_t, C.POINTER(C.c_size_t))

day_seconds = L.sig("cxm_day_seconds", i32t)()
max_utc_offset = L.sig("cxm_max_utc_offset", i32t)()
calendar_min_time = L.sig("cxm_calendar_min_time", i64t)()
calendar_max_time = L.sig("cxm_calendar_max_time", i64t)()
calendar_max_capacity = L.sig("cxm_calendar_max_capacity", u32t)()
metric_count = L.sig("cxm_sla_metric_count", u32t)()
standard_levels = L.sig("cxm_sla_standard_levels", u32t)()
max_levels = L.sig("cxm_sla_max_levels", u32t)()
ALL_PRIORITIES = L.sig("cxm_sla_all_priorities", u32t)()

declare_verbs("cxm_calendar", merge=False, reset=False)
L.status_fn("cxm_calendar_new", C.POINTER(S.CalendarConfig), vp, C.POINTER(vp))
_cal_interval = L.status_fn("cxm_calendar_add_interval", vp, u32t, i32t, i32t)
_cal_holiday = L.status_fn("cxm_calendar_add_holiday", vp, i32t, i32t, i32t)
_cal_change = L.status_fn("cxm_calendar_add_offset_change", vp, i64t, i32t)
_cal_bsec = L.status_fn("cxm_calendar_business_seconds", vp, i64t, i64t, C.POINTER(i64t))
_cal_due = L.status_fn("cxm_calendar_due", vp, i64t, i64t, C.POINTER(i64t))
_cal_offset = L.status_fn("cxm_calendar_offset_at", vp, i64t, C.POINTER(i32t))


def _day_second(x, what):
    """Seconds from local midnight: an int, a datetime.time or a timedelta."""
    if isinstance(x, _dt.time):
        return x.hour * 3600 + x.minute * 60 + x.second
    return i32(whole_seconds(x, what), what)


def _offset(x, what="utc_offset"):
    return i32(whole_seconds(x, what), what)


class Calendar(Encodable):
    """Business hours: weekly open intervals, a UTC offset with its changes, holidays.

    Times are Unix seconds or datetimes (naive ones are UTC); offsets are
    seconds east of UTC or timedeltas. Results are Unix seconds.
    """

    _prefix = "cxm_calendar"
    __slots__ = ()

    def __init__(self, utc_offset=0, max_intervals=14, max_holidays=64, max_changes=16):
        cfg = S.CalendarConfig(max_intervals=u32(max_intervals, "max_intervals"),
                               max_holidays=u32(max_holidays, "max_holidays"),
                               max_changes=u32(max_changes, "max_changes"),
                               utc_offset=_offset(utc_offset))
        self._new_into(L.lib.cxm_calendar_new, C.byref(cfg), None)

    def _call(self, fn, what, *args):
        st = fn(self._handle(), *args)
        if st:
            self._fail(st, what)
        return self

    def add_interval(self, weekday, open, close):
        """Opens [open, close) on a weekday (local seconds from midnight, or times)."""
        if isinstance(weekday, str):
            weekday = named(Weekday, weekday, "weekday")
        close_s = day_seconds if close == _dt.time(0, 0) and open != close \
            else _day_second(close, "close")
        return self._call(_cal_interval, "add_interval", u32(weekday, "weekday"),
                          _day_second(open, "open"), close_s)

    def add_hours(self, weekdays, open, close):
        """The same interval on several weekdays (e.g. range(5) for Monday-Friday)."""
        for d in weekdays:
            self.add_interval(d, open, close)
        return self

    def add_holiday(self, date_or_year, month=None, day=None):
        if isinstance(date_or_year, _dt.date):
            y, m, d = date_or_year.year, date_or_year.month, date_or_year.day
        else:
            y, m, d = date_or_year, month, day
        return self._call(_cal_holiday, "add_holiday", i32(y, "year"), i32(m, "month"),
                          i32(d, "day"))

    def add_offset_change(self, at, utc_offset):
        return self._call(_cal_change, "add_offset_change", i64(timestamp(at, "at")),
                          _offset(utc_offset))

    def business_seconds(self, t0, t1):
        """Open seconds in [t0, t1)."""
        out = C.c_int64()
        self._call(_cal_bsec, "business_seconds", i64(timestamp(t0, "t0")),
                   i64(timestamp(t1, "t1")), C.byref(out))
        return out.value

    def due(self, t0, seconds):
        """Unix instant at which `seconds` business seconds from t0 fall due."""
        out = C.c_int64()
        self._call(_cal_due, "due", i64(timestamp(t0, "t0")), i64(whole_seconds(seconds)),
                   C.byref(out))
        return out.value

    def offset_at(self, t):
        out = C.c_int32()
        self._call(_cal_offset, "offset_at", i64(timestamp(t, "t")), C.byref(out))
        return out.value


declare_verbs("cxm_sla_policy", merge=False, reset=False)
L.status_fn("cxm_sla_policy_new", u32t, vp, C.POINTER(vp))
_pol_set = L.status_fn("cxm_sla_policy_set_target", vp, u32t, u32t, i64t, u32t)
_pol_get = L.status_fn("cxm_sla_policy_target", vp, u32t, u32t, C.POINTER(i64t),
                       C.POINTER(u32t))
_pol_levels = L.status_fn("cxm_sla_policy_levels", vp, C.POINTER(u32t))
_evaluate = L.status_fn("cxm_sla_evaluate", vp, vp, u32t, u32t, i64t, i64t, u32t, vp, sz,
                        C.POINTER(S.SlaOutcome))


def _metric(m):
    return named(SlaMetric, m, "metric") if isinstance(m, str) else u32(m, "metric")


def _mode(m):
    return named(SlaMode, m, "mode") if isinstance(m, str) else u32(m, "mode")


def _cal_handle(calendar):
    return None if calendar is None else calendar._handle()


class SlaPolicy(Encodable):
    """Targets per priority level and metric, in calendar time or business hours."""

    _prefix = "cxm_sla_policy"
    __slots__ = ()

    def __init__(self, levels=4):
        self._new_into(L.lib.cxm_sla_policy_new, u32(levels, "levels"), None)

    def set_target(self, priority, metric, seconds, mode=SlaMode.CALENDAR_TIME):
        st = _pol_set(self._handle(), u32(priority, "priority"), _metric(metric),
                      i64(whole_seconds(seconds)), _mode(mode))
        if st:
            self._fail(st, "set_target")
        return self

    def target(self, priority, metric):
        """(seconds, SlaMode) of a target, or None when none is set."""
        s, m = C.c_int64(), C.c_uint32()
        st = _pol_get(self._handle(), u32(priority, "priority"), _metric(metric), C.byref(s),
                      C.byref(m))
        if st == 5:
            return None
        if st:
            self._fail(st, "target")
        return s.value, SlaMode(m.value)

    @property
    def levels(self):
        n = C.c_uint32()
        L.check(_pol_levels(self._handle(), C.byref(n)), "SlaPolicy levels")
        return n.value

    def evaluate(self, priority, metric, start, end, running=False, pauses=(), calendar=None):
        """SlaOutcome of one ticket: activated at start, paused over each
        (begin, end) pair, fulfilled at end (or still running at end)."""
        flat = []
        for a, b in pauses:
            flat += [i64(timestamp(a, "pause")), i64(timestamp(b, "pause"))]
        arr = (C.c_int64 * len(flat))(*flat)
        out = S.SlaOutcome()
        st = _evaluate(self._handle(), _cal_handle(calendar), u32(priority, "priority"),
                       _metric(metric), i64(timestamp(start, "start")),
                       i64(timestamp(end, "end")), 1 if running else 0,
                       arr if flat else None, len(flat) // 2, C.byref(out))
        if st:
            self._fail(st, "evaluate")
        return convert(SlaOutcome, out)


declare_verbs("cxm_sla_clock", merge=False, encode=False)
L.status_fn("cxm_sla_clock_new", i64t, u32t, vp, vp, C.POINTER(vp))
_clock_events = {e: L.status_fn(f"cxm_sla_clock_{e}", vp, i64t)
                 for e in ("activate", "pause", "resume", "fulfil")}
_clock_status = L.status_fn("cxm_sla_clock_status_get", vp, i64t,
                            C.POINTER(S.SlaClockStatus))


class SlaClock(Handle):
    """One target's clock: activate, pause, resume, fulfil; status at any instant.

    A business-hours clock keeps its calendar alive (it holds a reference).
    """

    _prefix = "cxm_sla_clock"
    __slots__ = ()

    def __init__(self, target, mode=SlaMode.CALENDAR_TIME, calendar=None):
        self._new_into(L.lib.cxm_sla_clock_new, i64(whole_seconds(target, "target")),
                       _mode(mode), _cal_handle(calendar), None, keep=calendar)

    def _event(self, name, t):
        st = _clock_events[name](self._handle(), i64(timestamp(t, name)))
        if st:
            self._fail(st, f"{name}({t!r})")
        return self

    def activate(self, t):
        return self._event("activate", t)

    def pause(self, t):
        return self._event("pause", t)

    def resume(self, t):
        return self._event("resume", t)

    def fulfil(self, t):
        return self._event("fulfil", t)

    def reset(self):
        st = L.lib.cxm_sla_clock_reset(self._handle())
        if st:
            self._fail(st, "reset")
        return self

    def status(self, now):
        out = S.SlaClockStatus()
        st = _clock_status(self._handle(), i64(timestamp(now, "now")), C.byref(out))
        if st:
            self._fail(st, "status")
        return convert(SlaClockStatus, out)


declare_verbs("cxm_sla")
L.status_fn("cxm_sla_new", u32t, vp, C.POINTER(vp))
_sla_add = L.status_fn("cxm_sla_add", vp, u32t, u32t, u32t, i64t)
_sla_add_outcome = L.status_fn("cxm_sla_add_outcome", vp, C.POINTER(S.SlaOutcome))
_sla_add_many = L.status_fn("cxm_sla_add_many", vp, vp, vp, vp, vp, sz, szp)
_sla_levels = L.status_fn("cxm_sla_levels", vp, C.POINTER(u32t))
_sla_result = L.status_fn("cxm_sla_result_get", vp, u32t, u32t, dbl, C.POINTER(S.SlaResult))
_sla_lq = L.status_fn("cxm_sla_lateness_quantiles", vp, u32t, vp, sz, vp, szp)


class Sla(Accumulator):
    """SLA outcomes per priority and metric: compliance and breach lateness."""

    _prefix = "cxm_sla"
    __slots__ = ()

    def __init__(self, levels=4):
        self._new_into(L.lib.cxm_sla_new, u32(levels, "levels"), None)

    def add(self, priority, metric, outcome, lateness=0):
        """One outcome (ACHIEVED, BREACHED or RUNNING) with its lateness in seconds."""
        if isinstance(outcome, str):
            outcome = named(SlaOutcomeKind, outcome, "outcome")
        st = _sla_add(self._handle(), u32(priority, "priority"), _metric(metric),
                      u32(outcome, "outcome"), i64(whole_seconds(lateness, "lateness")))
        if st:
            self._fail(st, "add")

    def add_outcome(self, outcome):
        """Adds an SlaOutcome from SlaPolicy.evaluate()."""
        raw = S.SlaOutcome()
        for f in outcome.__dataclass_fields__:
            setattr(raw, f, int(getattr(outcome, f)))
        st = _sla_add_outcome(self._handle(), C.byref(raw))
        if st:
            self._fail(st, "add_outcome")

    def add_many(self, priorities, metrics, outcomes, lateness):
        """Parallel buffers: uint32 priorities, uint32 metrics, uint8 outcomes,
        int64 lateness (seconds), all or nothing."""
        return self._batch(_sla_add_many, "add_many", (priorities, "uint32", "priorities"),
                           (metrics, "uint32", "metrics"), (outcomes, "uint8", "outcomes"),
                           (lateness, "int64", "lateness"))

    @property
    def levels(self):
        n = C.c_uint32()
        L.check(_sla_levels(self._handle(), C.byref(n)), "Sla levels")
        return n.value

    def result(self, metric, priority=None, level=None):
        """SlaResult of one metric, for one priority or (None) all of them."""
        pr = ALL_PRIORITIES if priority is None else u32(priority, "priority")
        return self._get(_sla_result, S.SlaResult, SlaResult, "result", pr, _metric(metric),
                         level_of(level))

    def lateness_quantiles(self, metric, qs):
        """Breach lateness quantiles (s) of a metric over all priorities; None if no breach."""
        from .durations import _quantiles_of
        h, mt = self._handle(), _metric(metric)
        st, out, bad = _quantiles_of(lambda a, k, o, b: _sla_lq(h, mt, a, k, o, b),
                                     "Sla.lateness_quantiles", qs)
        if st == 5:
            return [None] * len(out)
        if st:
            self._fail(st, "lateness_quantiles", bad)
        return out

    def compare(self, other, metric, priority=None, level=None):
        """Compliance of one metric (one priority or all), self - other
        (two proportions over the targets that ended; percentage points)."""
        from . import compare
        pr = ALL_PRIORITIES if priority is None else u32(priority, "priority")
        return compare.pair("cxm_sla_compare", self, other, level, pr, _metric(metric))
