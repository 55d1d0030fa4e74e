"""CSAT and CES: answers on a configurable integer scale."""
import ctypes as C

from . import _lib as L
from . import _structs as S
from ._base import Accumulator, declare_verbs, i32, level_of, u32
from .nps import _score
from ._types import named
from ._types import CesDirection, CesResult, CsatResult

vp, i32t, dbl, sz, szp = C.c_void_p, C.c_int32, C.c_double, C.c_size_t, C.POINTER(C.c_size_t)

max_score = L.lib.cxm_scale_max_score()


class _Scale(Accumulator):
    __slots__ = ()
    _options = None  # ctypes options struct
    _result_struct = None
    _result_class = None

    def _setup(self, options):
        self._new_into(self._fn("new"), C.byref(options) if options is not None else None, None)

    def add(self, score):
        """Adds one answer on the scale."""
        try:  # 0 .. 2**31 - 1: passed unchanged (no ctypes truncation)
            fast = not score >> 31
        except TypeError:  # a float or a str: _score names its type
            fast = False
        if fast:
            st = self._add(self._p, score)
        else:
            st = self._add(self._p, _score(score))
        if st:
            self._fail(st, f"add({score!r})")

    def add_many(self, scores):
        """Adds a uint8 buffer of answers in place (no copy), all or nothing."""
        return self._batch(self._add_many, "add_many", (scores, "uint8", "scores"))

    def count(self, score):
        """Exact number of answers with this score."""
        out = C.c_uint64()
        st = self._fn("count")(self._handle(), i32(score, "score"), C.byref(out))
        if st:
            self._fail(st, f"count({score!r})")
        return out.value

    def counts(self):
        """{score: count} over the whole scale."""
        lo, hi = self.scale
        return {s: self.count(s) for s in range(lo, hi + 1)}

    def _config(self):
        o = self._options()
        st = self._fn("config")(self._handle(), C.byref(o))
        if st:
            self._fail(st, "config")
        return o

    @property
    def scale(self):
        o = self._config()
        return (o.scale_min, o.scale_max)

    @property
    def threshold(self):
        return self._config().threshold

    def result(self, level=None):
        return self._get(self._fn("result_get"), self._result_struct, self._result_class,
                         "result", level_of(level))


class _Compared:
    """Comparison methods shared by CSAT and CES (cxm/compare.h)."""

    __slots__ = ()

    def compare_mean(self, other, level=None):
        """Comparison of the mean scores, self - other (Welch's t; scale points)."""
        from . import compare
        return compare.pair(f"{self._prefix}_compare_mean", self, other, level)


def _declare(prefix, opts, res):
    declare_verbs(prefix)
    L.status_fn(f"{prefix}_new", C.POINTER(opts), vp, C.POINTER(vp))
    L.status_fn(f"{prefix}_config", vp, C.POINTER(opts))
    L.status_fn(f"{prefix}_count", vp, i32t, C.POINTER(C.c_uint64))
    L.status_fn(f"{prefix}_result_get", vp, dbl, C.POINTER(res))
    L.status_fn(f"{prefix}_add", vp, i32t)
    return (getattr(L.fast, f"{prefix}_add"),
            L.status_fn(f"{prefix}_add_many", vp, vp, sz, szp))


def _scale_fields(scale):
    if scale is None:
        return 0, 0
    lo, hi = scale
    return i32(lo, "scale min"), i32(hi, "scale max")


class Csat(_Scale, _Compared):
    """CSAT on scale (min, max), default 1-5; satisfied = score >= threshold
    (default: the top two boxes)."""

    _prefix = "cxm_csat"
    _options = S.CsatOptions
    _result_struct = S.CsatResult
    _result_class = CsatResult
    _add, _add_many = (staticmethod(f) for f in _declare("cxm_csat", S.CsatOptions, S.CsatResult))
    __slots__ = ()

    def __init__(self, scale=None, threshold=None):
        self._setup(csat_options(scale, threshold))

    def compare_satisfied(self, other, level=None):
        """Comparison of the satisfied shares (two proportions; percentage points)."""
        from . import compare
        return compare.pair("cxm_csat_compare_satisfied", self, other, level)

    def __repr__(self):
        return f"<cxm.Csat scale={self.scale} threshold={self.threshold}>"


def csat_options(scale=None, threshold=None):
    lo, hi = _scale_fields(scale)
    return S.CsatOptions(scale_min=lo, scale_max=hi,
                         threshold=0 if threshold is None else i32(threshold, "threshold"))


def ces_options(scale=None, threshold=None, direction=CesDirection.HIGHER_IS_EASIER):
    lo, hi = _scale_fields(scale)
    if isinstance(direction, str):
        direction = named(CesDirection, direction, "direction")
    return S.CesOptions(scale_min=lo, scale_max=hi,
                        threshold=0 if threshold is None else i32(threshold, "threshold"),
                        direction=u32(direction, "direction"))


class Ces(_Scale, _Compared):
    """CES on a scale in one direction (CES 2.0 by default: 1-7, easy = 5-7)."""

    _prefix = "cxm_ces"
    _options = S.CesOptions
    _result_struct = S.CesResult
    _result_class = CesResult
    _add, _add_many = (staticmethod(f) for f in _declare("cxm_ces", S.CesOptions, S.CesResult))
    __slots__ = ()

    def __init__(self, scale=None, threshold=None, direction=CesDirection.HIGHER_IS_EASIER):
        self._setup(ces_options(scale, threshold, direction))

    @property
    def direction(self):
        return CesDirection(self._config().direction)

    def compare_easy(self, other, level=None):
        """Comparison of the easy shares (two proportions; percentage points)."""
        from . import compare
        return compare.pair("cxm_ces_compare_easy", self, other, level)

    def __repr__(self):
        return f"<cxm.Ces scale={self.scale} threshold={self.threshold} {self.direction.name}>"
