"""cxm: customer-service metrics (NPS, CSAT, CES, MTTR, SLA, churn, roll-up)
from Python, over the C library's ABI.

    >>> import cxm
    >>> with cxm.Nps(cxm.NpsKind.TRANSACTIONAL) as nps:
    ...     r = nps.add_many(bytes([10, 9, 9, 8, 7, 6, 5, 3, 10, 9])).result()
    >>> r.nps, r.ci.lower < r.nps < r.ci.upper
    (20.0, True)

The shared library is found through CXM_LIBRARY, then pkg-config, then the
system loader (see cxm._lib). Every statistic comes from the library; this
package converts arguments, owns the C objects and builds the results.
"""
import ctypes as _C

from . import _lib, _structs
from ._base import ClosedError
from ._lib import (BadFormatError, BadOrderError, BadStateError, BrandMismatchError,
                   BufferTooSmallError, CapacityError, CountOverflowError, CxmError, EmptyError,
                   InvalidArgumentError, KindMismatchError, LibraryNotFound, OutOfMemoryError,
                   OutOfRangeError, UnsupportedVersionError, WrongTypeError, ExpiredError)
from ._types import (CesDirection, Comparison, DurationMedianComparison, DurationShare, Test, CesResult, ChurnCounts, ChurnCustomerResult, ChurnFlag,
                     ChurnRenewalResult, ChurnRevenueResult, CsatResult, DurationMetric,
                     DurationResult, DurationView, Family, FcrProfile, Interval, MaturityLevel,
                     MaturityResult, NpsComparison, NpsGap, NpsKind, NpsMethod, NpsResult,
                     RateResult, RateUse, RollupAgentResult, RollupGroup, RollupResult,
                     RollupTime, RollupTimeResult, SlaClockStatus, SlaMetric, SlaMode, SlaOutcome,
                     SlaOutcomeKind, SlaPriority, SlaResult, SlaState, SurvivalResult,
                     SurvivalState, TicketField, TicketFlag, Weekday, SeriesWidth,
                     SeriesBucket)
from . import compare
from .churn import (Churn, Customer, customer_dtype, maturity_level, maturity_level_name,
                    maturity_score)
from .durations import Duration, Survival
from .nps import Nps, NpsPanel
from .rates import Rate, use_name
from .rollup import Rollup, Ticket, fcr_profile_name, new_tickets, ticket_dtype
from .scales import Ces, Csat
from .sla import Calendar, Sla, SlaClock, SlaPolicy
from .series import Series
from .backlog import Backlog

__version__ = _lib.lib.cxm_version_string().decode()
library_path = _lib.path

_wilson = _lib.status_fn("cxm_wilson_interval", _C.c_uint64, _C.c_uint64, _C.c_double,
                         _C.POINTER(_structs.Interval))
_z = _lib.status_fn("cxm_z_for_level", _C.c_double, _C.POINTER(_C.c_double))


def version():
    """The library's release version, "major.minor.patch"."""
    return _lib.lib.cxm_version_string().decode()


def version_number():
    """major * 10000 + minor * 100 + patch, from the library."""
    return _lib.lib.cxm_version_number()


def status_message(status):
    """The library's English message for a status code."""
    return _lib.lib.cxm_status_str(int(status)).decode()


def status_count():
    return _lib.lib.cxm_status_count()


def default_level():
    """The confidence level used when none is given (the library's)."""
    return _lib.lib.cxm_default_level()


def wilson_interval(k, n, level=None):
    """Wilson score interval of k successes in n trials, as a share in [0, 1]."""
    from ._base import level_of, u64
    out = _structs.Interval()
    _lib.check(_wilson(u64(k, "k"), u64(n, "n"), level_of(level), _C.byref(out)),
               "wilson_interval")
    return Interval(out.lower, out.upper, out.level)


def z_for_level(level=None):
    """The two-sided standard-normal critical value of a confidence level."""
    from ._base import level_of
    out = _C.c_double()
    _lib.check(_z(level_of(level), _C.byref(out)), "z_for_level")
    return out.value


def noop():
    """Calls the library's no-op (for measuring the cost of a call)."""
    return _lib.noop()


_BY_FAMILY = {Family.NPS: Nps, Family.NPS_PANEL: NpsPanel, Family.CSAT: Csat, Family.CES: Ces,
              Family.DURATION: Duration, Family.RATE: Rate, Family.SLA: Sla, Family.CHURN: Churn,
              Family.ROLLUP: Rollup, Family.SURVIVAL: Survival, Family.CALENDAR: Calendar,
              Family.SLA_POLICY: SlaPolicy, Family.SERIES: Series,
              Family.BACKLOG: Backlog}


def encoded_info(data):
    """(Family, format version) of encoded bytes, checksum verified."""
    from ._buffers import borrow
    fam, ver = _C.c_uint32(), _C.c_uint32()
    with borrow(data, "uint8", "encoded bytes") as b:
        st = _lib.lib.cxm_encoded_info(b.address, b.count, _C.byref(fam), _C.byref(ver))
    _lib.check(st, "encoded_info")
    try:
        return Family(fam.value), ver.value
    except ValueError:
        return fam.value, ver.value


def from_bytes(data):
    """Decodes bytes of any family into the right class."""
    fam, _ = encoded_info(data)
    cls = _BY_FAMILY.get(fam)
    if cls is None:
        raise WrongTypeError(14, f"from_bytes: family {fam} is not known to this package")
    return cls.from_bytes(data)


__all__ = [n for n in dir() if not n.startswith("_")]
