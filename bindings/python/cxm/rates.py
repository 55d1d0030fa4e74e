"""Proportions with a named use: FCR, one-touch, reopen, deflection, SLA achievement."""
import ctypes as C

from . import _lib as L
from . import _structs as S
from ._base import Accumulator, declare_verbs, level_of, u32, u64
from ._types import named
from ._types import RateResult, RateUse

vp, u32t, u64t, dbl, sz, szp = (C.c_void_p, C.c_uint32, C.c_uint64, C.c_double, C.c_size_t,
                                C.POINTER(C.c_size_t))

declare_verbs("cxm_rate")
L.status_fn("cxm_rate_new", u32t, u32t, vp, C.POINTER(vp))
L.status_fn("cxm_rate_add", vp, u32t)
_add = L.fast.cxm_rate_add
_add_counts = L.status_fn("cxm_rate_add_counts", vp, u64t, u64t)
_add_many = L.status_fn("cxm_rate_add_many", vp, vp, sz, szp)
_identity = L.status_fn("cxm_rate_identity", vp, C.POINTER(u32t), C.POINTER(u32t))
_result = L.status_fn("cxm_rate_result_get", vp, dbl, C.POINTER(S.RateResult))
use_count = L.sig("cxm_rate_use_count", u32t)()
_use_str = L.sig("cxm_rate_use_str", C.c_char_p, u32t)


def use_name(use):
    """The library's short name of a use ("fcr", "one-touch", ...)."""
    return _use_str(u32(use, "use")).decode()


class Rate(Accumulator):
    """successes / trials for a named use and a caller's definition id."""

    _prefix = "cxm_rate"
    __slots__ = ()

    def __init__(self, use=RateUse.GENERIC, definition=0):
        if isinstance(use, str):
            use = named(RateUse, use, "use")
        self._new_into(L.lib.cxm_rate_new, u32(use, "use"), u32(definition, "definition"),
                       None)

    def add(self, success):
        """One trial: True/1 a success, False/0 a failure (anything else is refused)."""
        if success is True or success is False or success == 0 or success == 1:
            st = _add(self._p, int(success))
        else:
            st = 2
        if st:
            self._fail(st, f"add({success!r})")

    def add_counts(self, successes, trials):
        st = _add_counts(self._handle(), u64(successes, "successes"), u64(trials, "trials"))
        if st:
            self._fail(st, "add_counts")

    def add_many(self, outcomes):
        """A uint8 buffer of 0/1 outcomes (numpy bool arrays: pass .view('uint8'))."""
        return self._batch(_add_many, "add_many", (outcomes, "uint8", "outcomes"))

    @property
    def use(self):
        u, d = C.c_uint32(), C.c_uint32()
        L.check(_identity(self._handle(), C.byref(u), C.byref(d)), "Rate identity")
        return RateUse(u.value)

    @property
    def definition(self):
        u, d = C.c_uint32(), C.c_uint32()
        L.check(_identity(self._handle(), C.byref(u), C.byref(d)), "Rate identity")
        return d.value

    def result(self, level=None):
        return self._get(_result, S.RateResult, RateResult, "result", level_of(level))

    def compare(self, other, level=None):
        """Comparison of the rates, self - other (two proportions; shares in [0, 1])."""
        from . import compare
        return compare.pair("cxm_rate_compare", self, other, level)
