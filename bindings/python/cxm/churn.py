"""Customer and revenue churn over one period; the maturity score."""
import ctypes as C
import dataclasses

from . import _lib as L
from . import _structs as S
from ._base import Accumulator, declare_verbs, i64, level_of, u32, u64
from ._types import (ChurnCounts, ChurnCustomerResult, ChurnFlag, ChurnRenewalResult,
                     ChurnRevenueResult, MaturityLevel, MaturityResult, convert)

vp, u64t, dbl, sz, szp = C.c_void_p, C.c_uint64, C.c_double, C.c_size_t, C.POINTER(C.c_size_t)

declare_verbs("cxm_churn")
L.status_fn("cxm_churn_new", u64t, vp, C.POINTER(vp))
_add = L.status_fn("cxm_churn_add", vp, C.POINTER(S.ChurnCustomer))
_add_many = L.status_fn("cxm_churn_add_many", vp, vp, sz, szp)
_add_counts = L.status_fn("cxm_churn_add_counts", vp, C.POINTER(S.ChurnCounts))
_period = L.status_fn("cxm_churn_period", vp, C.POINTER(u64t))
_counts = L.status_fn("cxm_churn_counts_get", vp, C.POINTER(S.ChurnCounts))
_cust = L.status_fn("cxm_churn_customer_result_get", vp, dbl,
                    C.POINTER(S.ChurnCustomerResult))
_rev = L.status_fn("cxm_churn_revenue_result_get", vp, C.POINTER(S.ChurnRevenueResult))
_ren = L.status_fn("cxm_churn_renewal_result_get", vp, dbl, C.POINTER(S.ChurnRenewalResult))


@dataclasses.dataclass(frozen=True)
class Customer:
    """One customer's period: ChurnFlag bits and MRR (minor units, e.g. cents)."""
    flags: int
    mrr_start: int = 0
    mrr_end: int = 0


def _customer_struct(c, into=None):
    if isinstance(c, dict):
        c = Customer(**c)
    raw = into if into is not None else S.ChurnCustomer()
    raw.flags = u32(c.flags, "flags")
    raw.mrr_start = i64(c.mrr_start, "mrr_start")
    raw.mrr_end = i64(c.mrr_end, "mrr_end")
    return raw


class Churn(Accumulator):
    """One period's churn: customers (flags + MRR) or pre-aggregated counts."""

    _prefix = "cxm_churn"
    __slots__ = ()

    def __init__(self, period=0):
        self._new_into(L.lib.cxm_churn_new, u64(period, "period"), None)

    def add(self, customer=None, **fields):
        """One customer: a Customer, a dict, or keywords flags=, mrr_start=, mrr_end=."""
        raw = _customer_struct(customer if customer is not None else Customer(**fields))
        st = _add(self._handle(), C.byref(raw))
        if st:
            self._fail(st, "add")

    def add_many(self, customers):
        """A sequence of Customer/dicts (converted once), or a buffer of
        cxm_churn_customer records (e.g. a numpy array of customer_dtype()), in place."""
        if isinstance(customers, (list, tuple)):
            arr = (S.ChurnCustomer * len(customers))()
            for i, c in enumerate(customers):
                arr[i].size = C.sizeof(S.ChurnCustomer)
                _customer_struct(c, arr[i])
            customers = arr
        return self._batch(_add_many, "add_many",
                           (customers, "record", "customers", S.ChurnCustomer))

    def add_counts(self, counts=None, **fields):
        """Pre-aggregated counts of a shard: a ChurnCounts, a dict or keywords."""
        if counts is not None:
            fields = dataclasses.asdict(counts) if dataclasses.is_dataclass(counts) else counts
        raw = S.ChurnCounts()
        for k, v in fields.items():
            setattr(raw, k, (i64 if k.startswith("mrr") else u64)(v, k))
        st = _add_counts(self._handle(), C.byref(raw))
        if st:
            self._fail(st, "add_counts")

    @property
    def period(self):
        p = C.c_uint64()
        L.check(_period(self._handle(), C.byref(p)), "Churn period")
        return p.value

    def counts(self):
        raw = S.ChurnCounts()
        st = _counts(self._handle(), C.byref(raw))
        if st:
            self._fail(st, "counts")
        return convert(ChurnCounts, raw)

    def customer_result(self, level=None):
        return self._get(_cust, S.ChurnCustomerResult, ChurnCustomerResult, "customer_result",
                         level_of(level))

    def revenue_result(self):
        return self._get(_rev, S.ChurnRevenueResult, ChurnRevenueResult, "revenue_result")

    def renewal_result(self, level=None):
        return self._get(_ren, S.ChurnRenewalResult, ChurnRenewalResult, "renewal_result",
                         level_of(level))

    result = customer_result

    def compare_churn(self, other, level=None):
        """Customer churn rate of this period against another (two proportions)."""
        from . import compare
        return compare.pair("cxm_churn_compare_churn", self, other, level)

    def compare_renewal(self, other, level=None):
        """Renewal rate of this period against another (two proportions)."""
        from . import compare
        return compare.pair("cxm_churn_compare_renewal", self, other, level)


def customer_dtype():
    """numpy dtype of cxm_churn_customer records (needs numpy)."""
    import numpy as np
    return np.dtype(S.ChurnCustomer)


# ---- maturity ---------------------------------------------------------------------

MATURITY_ATTRIBUTES = ("enough_agents", "well_trained", "tools_satisfied", "kpis_comprehensive",
                       "kpis_realtime", "feedback_acted_on", "feedback_quickly")
maturity_attributes = L.sig("cxm_maturity_attributes", C.c_uint32)()
_score = L.status_fn("cxm_maturity_score", C.POINTER(S.MaturityAnswers),
                     C.POINTER(S.MaturityResult))
_level_of = L.status_fn("cxm_maturity_level_of", C.c_uint32, C.POINTER(C.c_uint32))
_level_str = L.sig("cxm_maturity_level_str", C.c_char_p, C.c_uint32)


def maturity_score(answers=None, **kw):
    """MaturityResult (score 0-7, level) of the seven yes/no answers
    (a dict or keywords; True/False or 1/0; a missing answer is refused)."""
    if answers is not None and not hasattr(answers, "keys"):
        # dict() of a list would complain about "dictionary update sequence elements"
        raise TypeError(f"maturity_score: answers are a dict of the seven attributes "
                        f"({', '.join(MATURITY_ATTRIBUTES)}) or keywords, "
                        f"not a {type(answers).__name__}")
    answers = dict(answers or {}, **kw)
    unknown = set(answers) - set(MATURITY_ATTRIBUTES)
    if unknown:
        raise TypeError(f"maturity_score: unknown attributes {sorted(unknown)}")
    missing = [a for a in MATURITY_ATTRIBUTES if a not in answers]
    if missing:
        raise TypeError(f"maturity_score: missing answers {missing}")
    raw = S.MaturityAnswers()
    for a in MATURITY_ATTRIBUTES:
        setattr(raw, a, u32(answers[a], a))
    out = S.MaturityResult()
    L.check(_score(C.byref(raw), C.byref(out)), "maturity_score")
    return convert(MaturityResult, out)


def maturity_level(score):
    """The MaturityLevel of a score 0-7."""
    out = C.c_uint32()
    L.check(_level_of(u32(score, "score"), C.byref(out)), "maturity_level")
    return MaturityLevel(out.value)


def maturity_level_name(level):
    return _level_str(u32(level, "level")).decode()


__all__ = ["Churn", "ChurnFlag", "Customer", "customer_dtype", "maturity_score",
           "maturity_level", "maturity_level_name", "MATURITY_ATTRIBUTES"]
