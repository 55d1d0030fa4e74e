"""The backlog over time (cxm/series.h, cxm_backlog): tickets created, solved
and open at the end of each bucket of a series' clock, with records that can
be retracted and replaced.

    >>> import cxm, datetime as dt
    >>> monday = dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc)
    >>> b = cxm.Backlog(cxm.SeriesWidth.DAY, buckets=7, start=monday)
    >>> t = cxm.Ticket(created=monday)
    >>> b.add(t)
    >>> b.replace(t, cxm.Ticket(created=monday, first_solved=monday + dt.timedelta(hours=2)))
    >>> b.bucket(0)["open"], b.bucket(0)["solved"]
    (0, 1)
"""
import ctypes as C

from . import _lib as L
from . import _structs as S
from ._base import Accumulator, declare_verbs, i64, timestamp, u32
from ._types import SeriesWidth
from .series import series_options

vp, u32t, i64t, sz, szp = C.c_void_p, C.c_uint32, C.c_int64, C.c_size_t, C.POINTER(C.c_size_t)

declare_verbs("cxm_backlog")
L.status_fn("cxm_backlog_new", C.POINTER(S.SeriesOptions), vp, C.POINTER(vp))
_add = L.status_fn("cxm_backlog_add", vp, C.POINTER(S.Ticket), C.POINTER(u32t))
_retract = L.status_fn("cxm_backlog_retract", vp, C.POINTER(S.Ticket), C.POINTER(u32t))
_replace = L.status_fn("cxm_backlog_replace", vp, C.POINTER(S.Ticket), C.POINTER(S.Ticket),
                       C.POINTER(u32t))
_advance = L.status_fn("cxm_backlog_advance", vp, i64t)
_get = L.status_fn("cxm_backlog_get", vp, u32t, C.POINTER(S.BacklogResult))
_before = L.status_fn("cxm_backlog_before", vp, C.POINTER(S.BacklogResult))
_list = L.status_fn("cxm_backlog_list", vp, vp, sz, szp)

_KEYS = ("number", "local_start", "start", "end", "created", "solved", "open")


def _row(r):
    out = {k: getattr(r, k) for k in _KEYS}
    out["has_bucket"] = bool(r.has_bucket)
    return out


class Backlog(Accumulator):
    """Tickets created, solved and open at the end of each bucket (hour, day,
    ISO week or month of local time), on the clock a Series of the same
    options would have."""

    _prefix = "cxm_backlog"
    __slots__ = ()

    def __init__(self, width=SeriesWidth.DAY, buckets=30, start=0, utc_offset=0, max_ahead=0,
                 calendar=None):
        o = series_options(width, buckets, start, utc_offset, max_ahead, calendar)
        self._new_into(L.lib.cxm_backlog_new, C.byref(o), None)

    def _record(self, fn, what, *tickets):
        from .rollup import _field_name, ticket_struct
        raws = [ticket_struct(t) for t in tickets]
        field = C.c_uint32(0)
        st = fn(self._handle(), *[C.byref(r) for r in raws], C.byref(field))
        if st:
            self._fail(st, what, bad_field=_field_name(field.value))

    def add(self, ticket):
        """Adds a ticket's current record (a Ticket or a dict of its fields)."""
        self._record(_add, "add", ticket)

    def retract(self, ticket):
        """Removes a record added before, exactly."""
        self._record(_retract, "retract", ticket)

    def replace(self, old, new):
        """Replaces a ticket's previous record with its new one, all or nothing."""
        self._record(_replace, "replace", old, new)

    def advance(self, now):
        """Moves the clock so that the bucket holding `now` is the newest."""
        L.check(_advance(self._handle(), i64(timestamp(now, "now"), "now")), "Backlog.advance")

    def bucket(self, age):
        """The bucket of this age (0 = the newest) as a dict."""
        r = S.BacklogResult()
        L.check(_get(self._handle(), u32(age, "age"), C.byref(r)), "Backlog.bucket")
        return _row(r)

    def before(self):
        """The balance before the horizon (created, solved, open at the ring's start)."""
        r = S.BacklogResult()
        L.check(_before(self._handle(), C.byref(r)), "Backlog.before")
        return _row(r)

    def buckets(self):
        """Every bucket, oldest first, as dicts: for a chart."""
        n = C.c_size_t(0)
        _list(self._handle(), None, 0, C.byref(n))
        rows = (S.BacklogResult * n.value)()
        if n.value:
            rows[0].size = C.sizeof(S.BacklogResult)  # the version and stride of the array
        L.check(_list(self._handle(), rows, n.value, C.byref(n)), "Backlog.buckets")
        return [_row(r) for r in rows]
