"""Durations (MTTR, first reply time, AHT, quantiles) and time to resolution
with open tickets counted (Kaplan-Meier)."""
import ctypes as C
import dataclasses

from . import _lib as L
from . import _structs as S
from ._base import Accumulator, declare_verbs, i64, level_of, seconds, timestamp, u32
from ._buffers import borrow
from ._types import named
from ._types import (DurationMetric, DurationResult, DurationView, Interval, SurvivalResult,
                     SurvivalState)

vp, u32t, dbl, sz, szp, i64t = (C.c_void_p, C.c_uint32, C.c_double, C.c_size_t,
                                C.POINTER(C.c_size_t), C.c_int64)
dblp = C.POINTER(dbl)

relative_error = L.sig("cxm_duration_relative_error", dbl)()
tracked_min = L.sig("cxm_duration_tracked_min", dbl)()
tracked_max = L.sig("cxm_duration_tracked_max", dbl)()
max_seconds = L.sig("cxm_duration_max", dbl)()

declare_verbs("cxm_duration")
L.status_fn("cxm_duration_new", C.POINTER(S.DurationOptions), vp, C.POINTER(vp))
_add = L.status_fn("cxm_duration_add", vp, dbl)
_add_between = L.status_fn("cxm_duration_add_between", vp, i64t, i64t)
_add_many = L.status_fn("cxm_duration_add_many", vp, vp, sz, szp)
_metric = L.status_fn("cxm_duration_metric_get", vp, C.POINTER(u32t))
_result = L.status_fn("cxm_duration_result_get", vp, dbl, C.POINTER(S.DurationResult))
_quantile = L.status_fn("cxm_duration_quantile", vp, dbl, dblp)
_quantiles = L.status_fn("cxm_duration_quantiles", vp, vp, sz, vp, szp)
_views = {name: L.status_fn(f"cxm_duration_{name}", vp, C.POINTER(S.DurationView))
          for name in ("mttr", "first_reply", "aht")}


def _quantiles_of(call, what, qs):
    """Runs a `k quantiles` call over a sequence or float64 buffer of q."""
    with borrow(qs, "float64", f"{what} qs") as b:
        out = (C.c_double * b.count)()
        bad = C.c_size_t(0)
        st = call(b.address, b.count, out, C.byref(bad))
        n = b.count
    return st, list(out), (bad.value if st == 2 and bad.value < n else None)


class Duration(Accumulator):
    """Durations in seconds (numbers or timedeltas) of one metric."""

    _prefix = "cxm_duration"
    __slots__ = ()

    def __init__(self, metric=DurationMetric.ANY):
        if isinstance(metric, str):
            metric = named(DurationMetric, metric, "metric")
        opts = S.DurationOptions(metric=u32(metric, "metric"))
        self._new_into(L.lib.cxm_duration_new, C.byref(opts), None)

    def add(self, duration):
        """Adds one duration: seconds (float) or a datetime.timedelta."""
        st = _add(self._h, duration if type(duration) is float else seconds(duration))
        if st:
            self._fail(st, f"add({duration!r})")

    def add_between(self, start, end):
        """Adds end - start; both Unix seconds or datetimes."""
        st = _add_between(self._h, i64(timestamp(start, "start")), i64(timestamp(end, "end")))
        if st:
            self._fail(st, "add_between")

    def add_many(self, durations):
        """Adds a float64 buffer of seconds in place (no copy), all or nothing."""
        return self._batch(_add_many, "add_many", (durations, "float64", "seconds"))

    @property
    def metric(self):
        m = C.c_uint32()
        L.check(_metric(self._handle(), C.byref(m)), "Duration metric")
        return DurationMetric(m.value)

    def result(self, level=None):
        return self._get(_result, S.DurationResult, DurationResult, "result", level_of(level))

    def quantile(self, q):
        """The q-quantile in seconds (rank floor(q (n - 1))); None when empty."""
        return self._value(_quantile, f"quantile({q!r})", float(q))

    def quantiles(self, qs):
        h = self._handle()
        st, out, bad = _quantiles_of(lambda a, k, o, b: _quantiles(h, a, k, o, b),
                                     "Duration.quantiles", qs)
        if st == 5:
            return [None] * len(out)
        if st:
            self._fail(st, "quantiles", bad)
        return out

    def _view(self, name):
        return self._get(_views[name], S.DurationView, DurationView, name)

    def share_within(self, threshold, level=None):
        """DurationShare at or below `threshold` (seconds or timedelta)."""
        from . import compare
        return compare.share(self, (), seconds(threshold), level)

    def median_interval(self, level=None):
        """Distribution-free Interval of the median (seconds); None when empty."""
        from . import compare
        return compare.median_interval(self, level)

    def compare_median(self, other, level=None):
        """DurationMedianComparison: change of the median, self - other."""
        from . import compare
        return compare.median_compare(self, other, level)

    def mttr(self):
        """MTTR view (metric RESOLUTION only): mean, median, p90 in seconds."""
        return self._view("mttr")

    def first_reply(self):
        """Mean first reply time view (metric FIRST_REPLY only)."""
        return self._view("first_reply")

    def aht(self):
        """Average handle time view (metric HANDLE only)."""
        return self._view("aht")


declare_verbs("cxm_survival")
L.status_fn("cxm_survival_new", vp, C.POINTER(vp))
_s_add = L.status_fn("cxm_survival_add", vp, dbl, u32t)
_s_add_between = L.status_fn("cxm_survival_add_between", vp, i64t, i64t, u32t)
_s_add_many = L.status_fn("cxm_survival_add_many", vp, vp, vp, sz, szp)
_s_result = L.status_fn("cxm_survival_result_get", vp, dbl, C.POINTER(S.SurvivalResult))
_s_quantile = L.status_fn("cxm_survival_quantile", vp, dbl, dblp)


def _state(state):
    if isinstance(state, str):
        return named(SurvivalState, state, "state")
    if isinstance(state, bool):
        raise TypeError("state: pass SurvivalState.RESOLVED or SurvivalState.OPEN, not a bool")
    return u32(state, "state")


def reached(res):
    """A SurvivalResult whose Kaplan-Meier median or bound not reached has no value (the struct
    says 0 and clears median_reached, ci_lower_reached or ci_upper_reached)."""
    if res.median is None:
        return res
    ci = res.median_ci
    return dataclasses.replace(
        res, median=res.median if res.median_reached else None,
        median_ci=Interval(ci.lower if res.ci_lower_reached else None,
                           ci.upper if res.ci_upper_reached else None, ci.level))


class Survival(Accumulator):
    """Time to resolution with open tickets as right-censored observations."""

    _prefix = "cxm_survival"
    __slots__ = ()

    def __init__(self):
        self._new_into(L.lib.cxm_survival_new, None)

    def add(self, duration, state=SurvivalState.RESOLVED):
        """One ticket: its duration (seconds or timedelta) and RESOLVED or OPEN."""
        st = _s_add(self._handle(), seconds(duration), _state(state))
        if st:
            self._fail(st, "add")

    def add_between(self, created, end, state=SurvivalState.RESOLVED):
        st = _s_add_between(self._handle(), i64(timestamp(created, "created")),
                            i64(timestamp(end, "end")), _state(state))
        if st:
            self._fail(st, "add_between")

    def add_many(self, durations, states):
        """Parallel buffers: float64 seconds and uint8 states (1 resolved, 2 open)."""
        return self._batch(_s_add_many, "add_many", (durations, "float64", "durations"),
                           (states, "uint8", "states"))

    def result(self, level=None):
        return reached(self._get(_s_result, S.SurvivalResult, SurvivalResult, "result",
                                 level_of(level)))

    def quantile(self, q):
        """Time (s) by which a share q is resolved; None if not reached (or empty)."""
        return self._value(_s_quantile, f"quantile({q!r})", float(q))
