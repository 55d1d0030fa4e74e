"""Figures over time (cxm/series.h): one accumulator of any family per hour,
day, ISO week or month, in a ring that retires the oldest bucket.

    >>> import cxm, datetime as dt
    >>> monday = dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc)
    >>> proto = cxm.Nps(cxm.NpsKind.TRANSACTIONAL)
    >>> weeks = cxm.Series(proto, cxm.SeriesWidth.WEEK, buckets=8, start=monday)
    >>> weeks.add(monday, 10)
    >>> this_week = weeks.bucket(0)[1]          # an Nps of its own
    >>> this_week.result().n
    1

Buckets handed out (bucket, span, window) are copies the caller owns; the
series keeps its own.
"""
import ctypes as C

from . import _lib as L
from . import _structs as S
from ._base import Accumulator, declare_verbs, i32, i64, seconds, timestamp, u32, whole_seconds
from ._types import named
from ._types import Family, SeriesBucket, SeriesWidth, convert

vp, u32t, i32t, i64t, dbl, sz, szp = (C.c_void_p, C.c_uint32, C.c_int32, C.c_int64, C.c_double,
                                      C.c_size_t, C.POINTER(C.c_size_t))

declare_verbs("cxm_series")
L.status_fn("cxm_series_new", C.POINTER(S.SeriesOptions), vp, vp, C.POINTER(vp))
_family = L.status_fn("cxm_series_family", vp, C.POINTER(u32t))
_config = L.status_fn("cxm_series_config", vp, C.POINTER(S.SeriesOptions))
_advance = L.status_fn("cxm_series_advance", vp, i64t)
_bucket = L.status_fn("cxm_series_bucket", vp, u32t, C.POINTER(vp),
                      C.POINTER(S.SeriesBucketInfo))
_bucket_at = L.status_fn("cxm_series_bucket_at", vp, i64t, C.POINTER(vp),
                         C.POINTER(S.SeriesBucketInfo))
_span = L.status_fn("cxm_series_span", vp, i64t, i64t, vp)
_window = L.status_fn("cxm_series_window", vp, i64t, u32t, vp)
_new_acc = L.status_fn("cxm_series_new_accumulator", vp, vp, C.POINTER(vp))
_attach = L.status_fn("cxm_series_attach_calendar", vp, vp)
_adds = {
    Family.NPS: L.status_fn("cxm_series_nps_add", vp, i64t, i32t),
    Family.CSAT: L.status_fn("cxm_series_csat_add", vp, i64t, i32t),
    Family.CES: L.status_fn("cxm_series_ces_add", vp, i64t, i32t),
    Family.RATE: L.status_fn("cxm_series_rate_add", vp, i64t, u32t),
    Family.DURATION: L.status_fn("cxm_series_duration_add", vp, i64t, dbl),
    Family.SURVIVAL: L.status_fn("cxm_series_survival_add", vp, i64t, dbl, u32t),
    Family.NPS_PANEL: L.status_fn("cxm_series_panel_add", vp, i64t, u32t, i32t),
    Family.SLA: L.status_fn("cxm_series_sla_add", vp, i64t, u32t, u32t, u32t, i64t),
    Family.CHURN: L.status_fn("cxm_series_churn_add", vp, i64t, vp),
    Family.ROLLUP: L.status_fn("cxm_series_rollup_add", vp, i64t, vp, C.POINTER(u32t)),
}
# Batches: (C call, element type of the values) for the families that have one.
_batches = {
    Family.NPS: (L.status_fn("cxm_series_nps_add_many", vp, vp, vp, sz, szp), "uint8"),
    Family.CSAT: (L.status_fn("cxm_series_csat_add_many", vp, vp, vp, sz, szp), "uint8"),
    Family.CES: (L.status_fn("cxm_series_ces_add_many", vp, vp, vp, sz, szp), "uint8"),
    Family.RATE: (L.status_fn("cxm_series_rate_add_many", vp, vp, vp, sz, szp), "uint8"),
    Family.DURATION: (L.status_fn("cxm_series_duration_add_many", vp, vp, vp, sz, szp),
                      "float64"),
}


def _class_of(family):
    from . import _BY_FAMILY
    return _BY_FAMILY[Family(family)]


def series_options(width, buckets, start, utc_offset, max_ahead, calendar):
    """A cxm_series_options from the keyword arguments of Series and Backlog."""
    if isinstance(width, str):
        width = named(SeriesWidth, width, "width")
    o = S.SeriesOptions()
    o.width = u32(width, "width")
    o.buckets = u32(buckets, "buckets")
    o.utc_offset = i32(whole_seconds(utc_offset, "utc_offset"), "utc_offset")
    o.max_ahead = u32(max_ahead, "max_ahead")
    o.start = i64(timestamp(start, "start"), "start")
    o.calendar = None if calendar is None else calendar._handle()
    return o


class Series(Accumulator):
    """A ring of `buckets` accumulators configured like `prototype` (any
    accumulator object of this package), one per hour, day, week or month of
    local time (a fixed `utc_offset` in seconds, or a Calendar's zone)."""

    _prefix = "cxm_series"
    __slots__ = ()

    def __init__(self, prototype, width=SeriesWidth.DAY, buckets=30, start=0, utc_offset=0,
                 max_ahead=0, calendar=None):
        o = series_options(width, buckets, start, utc_offset, max_ahead, calendar)
        # A roll-up prototype's borrowed calendar is borrowed by every bucket.
        self._new_into(L.lib.cxm_series_new, C.byref(o), prototype._handle(), None,
                       keep=getattr(prototype, "_keep", None))

    @property
    def family(self):
        out = C.c_uint32()
        L.check(_family(self._handle(), C.byref(out)), "Series.family")
        return Family(out.value)

    def config(self):
        """The options in force, as a dict (start: an instant of the newest bucket)."""
        o = S.SeriesOptions()
        L.check(_config(self._handle(), C.byref(o)), "Series.config")
        return {"width": SeriesWidth(o.width), "buckets": o.buckets, "utc_offset": o.utc_offset,
                "max_ahead": o.max_ahead, "start": o.start}

    def add(self, t, *event, **kw):
        """One event at instant t (int seconds or datetime), as the family's
        own add takes it: a score (NPS, CSAT, CES), a success (rate), a
        duration (seconds or timedelta; survival: and a state), (brand,
        score) for a panel, (priority, metric, outcome, lateness) for SLA, a
        Customer for churn, a Ticket for a roll-up."""
        h = self._handle()
        fam = self.family
        fn = _adds[fam]
        when = i64(timestamp(t, "t"), "t")
        if fam in (Family.DURATION, Family.SURVIVAL):
            args = [seconds(event[0])] + [u32(x, "state") for x in event[1:]]
        elif fam == Family.CHURN:
            from .churn import Customer, _customer_struct
            raw = _customer_struct(event[0] if event else Customer(**kw))
            args = [C.byref(raw)]
        elif fam == Family.ROLLUP:
            from .rollup import _field_name, ticket_struct
            raw = ticket_struct(event[0] if event else kw)
            field = C.c_uint32(0)
            st = fn(h, when, C.byref(raw), C.byref(field))
            if st:
                self._fail(st, "add", bad_field=_field_name(field.value))
            return
        elif fam == Family.SLA:
            args = [u32(event[0], "priority"), u32(event[1], "metric"), u32(event[2], "outcome"),
                    i64(whole_seconds(event[3] if len(event) > 3 else 0, "lateness"),
                        "lateness")]
        elif fam == Family.RATE:
            args = [u32(int(event[0]), "success")]
        else:
            args = [i32(x, "score") if not isinstance(x, bool) else int(x) for x in event]
        st = fn(h, when, *args)
        if st:
            self._fail(st, "add")

    def add_many(self, times, values):
        """Batches for NPS, CSAT, CES, rate (uint8 values) and duration series
        (float64 seconds): `times` an int64 buffer of Unix seconds, read in
        place like every batch; all or nothing."""
        fam = self.family
        if fam not in _batches:
            raise TypeError(f"Series.add_many: no batch for a {fam.name} series; use add")
        fn, kind = _batches[fam]
        return self._batch(fn, "add_many", (times, "int64", "times"), (values, kind, "values"))

    def advance(self, now):
        """Moves the clock so that the bucket holding `now` is the newest."""
        st = _advance(self._handle(), i64(timestamp(now, "now"), "now"))
        if st:
            self._fail(st, "advance")

    def _copy_of(self, acc):
        cls = _class_of(self.family)
        out = C.c_void_p()
        st = cls._fn("clone")(acc, None, C.byref(out))
        if st:
            self._fail(st, "bucket copy")
        return cls._wrap(out.value, self._keep)

    def bucket(self, age):
        """(SeriesBucket, accumulator copy) of the bucket of this age (0 = newest)."""
        acc, info = C.c_void_p(), S.SeriesBucketInfo()
        st = _bucket(self._handle(), u32(age, "age"), C.byref(acc), C.byref(info))
        if st:
            self._fail(st, f"bucket({age})")
        return convert(SeriesBucket, info), self._copy_of(acc)

    def bucket_at(self, t):
        """(SeriesBucket, accumulator copy) of the bucket holding instant t."""
        acc, info = C.c_void_p(), S.SeriesBucketInfo()
        st = _bucket_at(self._handle(), i64(timestamp(t, "t"), "t"), C.byref(acc),
                        C.byref(info))
        if st:
            self._fail(st, "bucket_at")
        return convert(SeriesBucket, info), self._copy_of(acc)

    def buckets(self):
        """Every bucket, oldest first: a list of (SeriesBucket, accumulator) for a chart."""
        n = self.config()["buckets"]
        return [self.bucket(age) for age in range(n - 1, -1, -1)]

    def _merged(self, call, what, *args):
        out = C.c_void_p()
        st = _new_acc(self._handle(), None, C.byref(out))
        if st:
            self._fail(st, what)
        acc = _class_of(self.family)._wrap(out.value, self._keep)
        st = call(self._h, *args, out)
        if st:
            acc.close()
            self._fail(st, what)
        return acc

    def span(self, start, end):
        """One accumulator of every bucket holding an instant of [start, end]."""
        return self._merged(_span, "span", i64(timestamp(start, "start")),
                            i64(timestamp(end, "end")))

    def window(self, as_of, n):
        """One accumulator of the n buckets ending with the one holding as_of."""
        return self._merged(_window, "window", i64(timestamp(as_of, "as_of")), u32(n, "n"))

    def attach_calendar(self, calendar):
        """Lends a calendar to every roll-up bucket (after from_bytes)."""
        st = _attach(self._handle(), calendar._handle())
        if st:
            self._fail(st, "attach_calendar")
        self._keep = calendar
