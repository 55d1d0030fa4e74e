"""Period-over-period comparisons (cxm/compare.h): is the change real?

The methods that use these live on the classes (Csat.compare_mean,
Rate.compare, Duration.share_within, ...); this module declares the C calls
and runs them.
"""
import ctypes as C

from . import _lib as L
from . import _structs as S
from ._base import level_of
from ._types import Comparison, DurationMedianComparison, DurationShare, convert

vp, u32t, dbl = C.c_void_p, C.c_uint32, C.c_double


def _declare(name, *argtypes):
    # The comparisons came in a later release than the rest: with an older
    # libcxm the package still imports, and these calls say what is missing.
    try:
        return L.status_fn(name, *argtypes)
    except AttributeError:
        def missing(*args):
            raise NotImplementedError(f"the loaded libcxm ({L.path}, version "
                                      f"{L.lib.cxm_version_string().decode()}) has no {name}")
        return missing


_pairs = {name: _declare(name, vp, vp, dbl, C.POINTER(S.Comparison)) for name in (
    "cxm_csat_compare_mean", "cxm_csat_compare_satisfied", "cxm_ces_compare_mean",
    "cxm_ces_compare_easy", "cxm_rate_compare", "cxm_churn_compare_churn",
    "cxm_churn_compare_renewal")}
_sla = _declare("cxm_sla_compare", vp, vp, u32t, u32t, dbl, C.POINTER(S.Comparison))
_share = _declare("cxm_duration_share_within", vp, dbl, dbl, C.POINTER(S.DurationShare))
_rollup_share = _declare("cxm_rollup_share_within", vp, u32t, u32t, u32t, dbl, dbl,
                            C.POINTER(S.DurationShare))
_median_interval = _declare("cxm_duration_median_interval", vp, dbl,
                               C.POINTER(S.Interval))
_median_compare = _declare("cxm_duration_compare_median", vp, vp, dbl,
                              C.POINTER(S.DurationMedianComparison))


def pair(name, a, b, level, *extra):
    """Comparison of accumulators a and b (same class) through cxm_<name>."""
    if type(b) is not type(a):
        raise TypeError(f"cannot compare {type(a).__name__} with {type(b).__name__}")
    out = S.Comparison()
    fn = _sla if name == "cxm_sla_compare" else _pairs[name]
    st = fn(a._handle(), b._handle(), *extra, level_of(level), C.byref(out))
    if st:
        a._fail(st, name.split("_", 2)[2])
    return convert(Comparison, out)


def share(acc, fn_args, threshold, level, rollup=False):
    out = S.DurationShare()
    fn = _rollup_share if rollup else _share
    st = fn(acc._handle(), *fn_args, float(threshold), level_of(level), C.byref(out))
    if st and st != 5:
        acc._fail(st, "share_within")
    return convert(DurationShare, out, empty=st == 5)


def median_interval(acc, level):
    out = S.Interval()
    st = _median_interval(acc._handle(), level_of(level), C.byref(out))
    if st == 5:
        return None
    if st:
        acc._fail(st, "median_interval")
    from ._types import Interval
    return Interval(out.lower, out.upper, out.level)


def median_compare(a, b, level):
    if type(b) is not type(a):
        raise TypeError(f"cannot compare {type(a).__name__} with {type(b).__name__}")
    out = S.DurationMedianComparison()
    st = _median_compare(a._handle(), b._handle(), level_of(level), C.byref(out))
    if st:
        a._fail(st, "compare_median")
    return convert(DurationMedianComparison, out)
