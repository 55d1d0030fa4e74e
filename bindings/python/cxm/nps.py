"""Net Promoter Score: one accumulator per kind, and the competitive panel."""
import ctypes as C

from . import _lib as L
from . import _structs as S
from ._base import Accumulator, declare_verbs, level_of, u32
from ._types import named
from ._types import (NpsComparison, NpsGap, NpsKind, NpsMethod, NpsResult, convert)

vp, u32t, i32t, dbl, sz, szp = C.c_void_p, C.c_uint32, C.c_int32, C.c_double, C.c_size_t, \
    C.POINTER(C.c_size_t)

declare_verbs("cxm_nps")
L.status_fn("cxm_nps_new", u32t, u32t, vp, C.POINTER(vp))
L.status_fn("cxm_nps_add", vp, i32t)
_add = L.fast.cxm_nps_add
_add_w = L.status_fn("cxm_nps_add_weighted", vp, i32t, dbl)
_add_many = L.status_fn("cxm_nps_add_many", vp, vp, sz, szp)
_add_many_w = L.status_fn("cxm_nps_add_many_weighted", vp, vp, vp, sz, szp)
_identity = L.status_fn("cxm_nps_identity", vp, C.POINTER(u32t), C.POINTER(u32t))
_result = L.status_fn("cxm_nps_result_get", vp, dbl, u32t, C.POINTER(S.NpsResult))
_compare = L.status_fn("cxm_nps_compare", vp, vp, dbl, u32t, C.POINTER(S.NpsComparison))
scale_max = L.sig("cxm_nps_scale_max", i32t)()

_I32_MIN, _I32_MAX = -(1 << 31), (1 << 31) - 1


def _score(s):
    # A score outside int32 cannot be on the scale: the library's own
    # refusal, without letting ctypes raise a different error first.
    if not isinstance(s, int):
        raise TypeError(f"a score is an int, not {type(s).__name__}: {s!r}")
    return s if _I32_MIN <= s <= _I32_MAX else _I32_MAX


class Nps(Accumulator):
    """An NPS accumulator of one kind (and, for competitive NPS, one brand).

    Answers are 0-10. Kinds are never blended: merging or comparing another
    kind raises KindMismatchError, another brand BrandMismatchError.
    """

    _prefix = "cxm_nps"
    __slots__ = ()

    def __init__(self, kind=NpsKind.TRANSACTIONAL, brand=0):
        if isinstance(kind, str):
            kind = named(NpsKind, kind, "kind")
        self._new_into(L.lib.cxm_nps_new, u32(kind, 'kind'), u32(brand, 'brand'), None)

    def add(self, score, weight=None):
        """Adds one answer (0-10), optionally with a survey weight."""
        # Fast path: an unweighted int in 0 .. 2**31 - 1 goes to C unchanged
        # (the shift test also keeps ctypes from truncating 2**32 + 9 to 9).
        try:  # a float or a str has no shift: _score below names its type
            fast = weight is None and not score >> 31
        except TypeError:
            fast = False
        if fast:
            st = _add(self._p, score)
        elif weight is None:
            st = _add(self._p, _score(score))
        else:
            st = _add_w(self._h, _score(score), float(weight))
        if st:
            self._fail(st, f"add({score!r})")

    def add_many(self, scores, weights=None):
        """Adds a batch of answers, all or nothing.

        `scores` is any buffer of uint8 (bytes, array.array('B'), a numpy
        uint8 array, a memoryview), read in place without a copy; a list is
        converted first. `weights`, if given, is a float64 buffer of the
        same length.
        """
        if weights is None:
            return self._batch(_add_many, "add_many", (scores, "uint8", "scores"))
        return self._batch(_add_many_w, "add_many", (scores, "uint8", "scores"),
                           (weights, "float64", "weights"))

    @property
    def kind(self):
        return NpsKind(self._identity()[0])

    @property
    def brand(self):
        return self._identity()[1]

    def _identity(self):
        k, b = C.c_uint32(), C.c_uint32()
        L.check(_identity(self._handle(), C.byref(k), C.byref(b)), "Nps identity")
        return k.value, b.value

    def result(self, level=None, method=NpsMethod.ADJUSTED_WALD):
        """NpsResult: counts, shares (%), score, SE and interval; no score when empty."""
        return self._get(_result, S.NpsResult, NpsResult, "result", level_of(level),
                         u32(method, "method"))

    def compare(self, other, level=None, method=NpsMethod.ADJUSTED_WALD):
        """NpsComparison of self - other (same kind; brands may differ)."""
        r = S.NpsComparison()
        st = _compare(self._handle(), other._handle(), level_of(level), int(method), C.byref(r))
        if st:
            self._fail(st, "compare")
        return convert(NpsComparison, r)

    def __repr__(self):
        if self.closed:
            return "<cxm.Nps closed>"
        r = self.result()
        return f"<cxm.Nps {r.kind.name.lower()} brand={r.brand} n={r.n} nps={r.nps}>"


declare_verbs("cxm_nps_panel")
L.status_fn("cxm_nps_panel_new", u32t, vp, C.POINTER(vp))
L.status_fn("cxm_nps_panel_add", vp, u32t, i32t)
_p_add = L.fast.cxm_nps_panel_add
_p_add_w = L.status_fn("cxm_nps_panel_add_weighted", vp, u32t, i32t, dbl)
_p_add_many = L.status_fn("cxm_nps_panel_add_many", vp, vp, vp, sz, szp)
_p_brands = L.status_fn("cxm_nps_panel_brands", vp, C.POINTER(u32t), C.POINTER(u32t))
_p_result = L.status_fn("cxm_nps_panel_result", vp, u32t, dbl, u32t, C.POINTER(S.NpsResult))
_p_gap = L.status_fn("cxm_nps_panel_gap", vp, u32t, dbl, u32t, C.POINTER(S.NpsGap))
panel_max_capacity = L.sig("cxm_nps_panel_max_capacity", u32t)()


class NpsPanel(Accumulator):
    """A competitive NPS panel: our brand (0) and up to `capacity` competitors."""

    _prefix = "cxm_nps_panel"
    __slots__ = ()

    def __init__(self, capacity=8):
        self._new_into(L.lib.cxm_nps_panel_new, u32(capacity, 'capacity'), None)

    def add(self, brand, score, weight=None):
        brand = u32(brand, "brand")
        if weight is None:
            st = _p_add(self._p, C.c_uint32(brand), _score(score))
        else:
            st = _p_add_w(self._h, brand, _score(score), float(weight))
        if st:
            self._fail(st, f"add({brand!r}, {score!r})")

    def add_many(self, brands, scores):
        """Parallel buffers: brands (uint32) and scores (uint8), all or nothing."""
        return self._batch(_p_add_many, "add_many", (brands, "uint32", "brands"),
                           (scores, "uint8", "scores"))

    @property
    def brands(self):
        """(competitor brands seen, capacity)."""
        c, cap = C.c_uint32(), C.c_uint32()
        L.check(_p_brands(self._handle(), C.byref(c), C.byref(cap)), "NpsPanel brands")
        return c.value, cap.value

    def result(self, brand=0, level=None, method=NpsMethod.ADJUSTED_WALD):
        return self._get(_p_result, S.NpsResult, NpsResult, "result", u32(brand, "brand"),
                         level_of(level), u32(method, "method"))

    def gap(self, index, level=None, method=NpsMethod.ADJUSTED_WALD):
        """NpsGap to the index-th competitor (increasing brand id)."""
        return self._get(_p_gap, S.NpsGap, NpsGap, "gap", u32(index, "index"), level_of(level),
                         u32(method, "method"))

    def gaps(self, level=None, method=NpsMethod.ADJUSTED_WALD):
        return [self.gap(i, level, method) for i in range(self.brands[0])]
