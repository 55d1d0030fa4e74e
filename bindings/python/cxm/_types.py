"""Enumerations and the frozen result dataclasses.

Enumeration values are pinned by the C headers (they are part of the ABI and
never change meaning). Result dataclasses are built from the ctypes structs:
the same field names as the C result, without `size` and the reserved
fields, intervals as `Interval`, nested rates as `RateResult`, and the
cxm enumerations as the IntEnums below. A statistic the library has no value
for is None, never a number: all of them in an empty result (CXM_EMPTY), and
the part a `has_<part>` flag of 0 governs, in an OK result too (the sd of a
single answer, the FCR of a group whose tickets are all open). The flags stay
fields of the result, as 0 or 1, like the other flags of the C results.
"""
import ctypes as C
import dataclasses
import enum

from . import _structs as S


class NpsKind(enum.IntEnum):
    """The three NPS kinds; they are never blended."""
    RELATIONAL = 1
    TRANSACTIONAL = 2
    COMPETITIVE = 3


class NpsMethod(enum.IntEnum):
    ADJUSTED_WALD = 0  #: Rocks (2016), the default
    WALD = 1           #: plain NPS +- z * SE


class CesDirection(enum.IntEnum):
    HIGHER_IS_EASIER = 0  #: CES 2.0 agreement scale (default 1-7)
    HIGHER_IS_EFFORT = 1  #: CES 1.0 effort scale (default 1-5)


class DurationMetric(enum.IntEnum):
    ANY = 0
    RESOLUTION = 1
    FIRST_RESOLUTION = 2
    FIRST_REPLY = 3
    NEXT_REPLY = 4
    REQUESTER_WAIT = 5
    HANDLE = 6


class SurvivalState(enum.IntEnum):
    RESOLVED = 1
    OPEN = 2


class RateUse(enum.IntEnum):
    GENERIC = 1
    FCR = 2
    ONE_TOUCH = 3
    REOPEN = 4
    UNRESOLVED = 5
    DEFLECTION = 6
    SLA_ACHIEVEMENT = 7


class Weekday(enum.IntEnum):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


class SlaMetric(enum.IntEnum):
    FIRST_REPLY = 0
    NEXT_REPLY = 1
    PERIODIC_UPDATE = 2
    PAUSABLE_UPDATE = 3
    REQUESTER_WAIT = 4
    AGENT_WORK = 5
    TOTAL_RESOLUTION = 6


class SlaPriority(enum.IntEnum):
    URGENT = 0
    HIGH = 1
    NORMAL = 2
    LOW = 3


class SlaMode(enum.IntEnum):
    CALENDAR_TIME = 1
    BUSINESS_HOURS = 2


class SlaState(enum.IntEnum):
    INACTIVE = 0
    ACTIVE = 1
    PAUSED = 2
    CLOSED = 3


class SlaOutcomeKind(enum.IntEnum):
    ACHIEVED = 1
    BREACHED = 2
    RUNNING = 3


class ChurnFlag(enum.IntFlag):
    AT_START = 1
    AT_END = 2
    CANCELLED = 4
    RETURNING = 8
    DUE = 16
    RENEWED = 32


class MaturityLevel(enum.IntEnum):
    BEGINNER = 1
    EMERGING = 2
    EXPERT = 3


class FcrProfile(enum.IntEnum):
    ZENDESK = 1
    FRESHDESK = 2


class TicketFlag(enum.IntFlag):
    SELF_SERVICE = 1
    HAS_CSAT = 2
    HAS_CES = 4
    HAS_NPS = 8
    UNRESOLVED = 16


class TicketField(enum.IntEnum):
    NONE = 0
    CREATED = 1
    FIRST_REPLY = 2
    FIRST_SOLVED = 3
    LAST_SOLVED = 4
    REOPENS = 5
    REQUESTER_WAIT = 6
    AGENT_WORK = 7
    ON_HOLD = 8
    PRIORITY = 9
    CHANNEL = 10
    TOPIC = 11
    AGENT = 12
    FLAGS = 13
    SIZE = 14
    CSAT = 15
    CES = 16
    NPS = 17
    TRANSFERS = 18
    HANDLE_TIME = 19


class RollupTime(enum.IntEnum):
    FIRST_REPLY = 0
    FIRST_RESOLUTION = 1
    FULL_RESOLUTION = 2
    REQUESTER_WAIT = 3
    AGENT_WORK = 4
    ON_HOLD = 5
    HANDLE_TIME = 6


class RollupGroup(enum.IntEnum):
    OVERALL = 0
    CHANNEL = 1
    TOPIC = 2
    PRIORITY = 3
    AGENT = 4
    CELL = 5  #: a cell of a cross; its id from Rollup.cell_id


class Test(enum.IntEnum):
    """The test behind a Comparison."""
    WELCH = 1        #: difference of two means: Welch's t
    PROPORTIONS = 2  #: difference of two shares: pooled z test, Newcombe interval


class Family(enum.IntEnum):
    NPS = 1
    NPS_PANEL = 2
    CSAT = 3
    CES = 4
    DURATION = 5
    RATE = 6
    SLA = 7
    CHURN = 8
    ROLLUP = 9
    SURVIVAL = 10
    CALENDAR = 11
    SLA_POLICY = 12
    SERIES = 13
    BACKLOG = 14


class SeriesWidth(enum.IntEnum):
    HOUR = 1
    DAY = 2
    WEEK = 3
    MONTH = 4


@dataclasses.dataclass(frozen=True)
class Interval:
    """A two-sided confidence interval, in the unit of its point estimate."""
    lower: float
    upper: float
    level: float

    def __contains__(self, x):
        return self.lower <= x <= self.upper


def named(cls, name, what):
    """The member of the enumeration `cls` called `name` (any case, '-' for '_'); an unknown
    name is a ValueError that lists the names there are, never a bare KeyError."""
    try:
        return cls[name.upper().replace("-", "_")]
    except KeyError:
        names = ", ".join(repr(m.name.lower()) for m in cls)
        raise ValueError(f"{what}: no {cls.__name__} called {name!r}; one of {names}") from None


def _enum_or_int(cls, v):
    try:
        return cls(v)
    except ValueError:
        return v


# result class -> (ctypes struct, {field: enum}, fields that have no value when empty,
#                  {field: the has_ flag that says whether it has one}, field names)
_SPECS = {}
_BY_STRUCT = {}


def _result(name, struct, enums=None, stats=(), doc="", parts=None):
    """A frozen dataclass for `struct`. `parts` maps each has_ flag of the
    struct to the fields it governs: a flag of 0 makes them None (a nested
    result keeps its counts and loses its statistics)."""
    enums = enums or {}
    flag_of = {f: flag for flag, governed in (parts or {}).items() for f in governed}
    known = {f for f, _ in struct._fields_}
    missing = (set(parts or ()) | set(flag_of)) - known
    if missing:
        raise TypeError(f"{struct.__name__} has no field {', '.join(sorted(missing))}")
    fields = []
    for fname, ftype in struct._fields_:
        if fname == "size" or fname.startswith("reserved"):
            continue
        if ftype is S.Interval:
            t = "Interval | None"
        elif ftype in _BY_STRUCT:
            t = _BY_STRUCT[ftype].__name__
        elif fname in enums:
            t = enums[fname].__name__
        elif ftype in (C.c_double,):
            t = "float | None" if fname in stats or fname in flag_of else "float"
        else:
            t = "int | None" if fname in flag_of else "int"
        fields.append((fname, t))
    cls = dataclasses.make_dataclass(name, fields, frozen=True)
    cls.__module__ = "cxm"  # pickles and reprs as cxm.<Name>
    cls.__doc__ = (doc or f"Result of a {struct.__name__} call.") + \
        "\n\nFields: " + ", ".join(f for f, _ in fields) + "."
    _SPECS[cls] = (struct, enums, frozenset(stats), flag_of, [f for f, _ in fields])
    _BY_STRUCT[struct] = cls
    return cls


def convert(cls, raw, empty=False):
    """Builds the dataclass `cls` from a filled ctypes struct. `empty` (the
    call said CXM_EMPTY) makes the statistics None; a field governed by a
    has_ flag follows its flag alone, as the C headers say to read it (in an
    empty comparison, the side that has data keeps its figure)."""
    struct, enums, stats, flag_of, names = _SPECS[cls]
    vals = {}
    for f in names:
        v = getattr(raw, f)
        flag = flag_of.get(f)
        none = (not getattr(raw, flag)) if flag else (empty and f in stats)
        if isinstance(v, C.Structure) and not isinstance(v, S.Interval):
            v = convert(_BY_STRUCT[type(v)], v, empty=none)
        elif none:
            v = None
        elif isinstance(v, S.Interval):
            v = Interval(v.lower, v.upper, v.level)
        elif f in enums:
            v = _enum_or_int(enums[f], v)
        vals[f] = v
    return cls(**vals)


def _all_real(struct, but=()):
    return tuple(f for f, t in struct._fields_ if t in (C.c_double, S.Interval) and f not in but)


NpsResult = _result("NpsResult", S.NpsResult, {"kind": NpsKind, "method": NpsMethod},
                    _all_real(S.NpsResult, ("weight_total", "n_effective")),
                    "Score (NPS points in [-100, 100]), shares in percent, SE and interval.")
NpsComparison = _result("NpsComparison", S.NpsComparison, {"method": NpsMethod},
                        doc="A - B in NPS points, its SE, z, two-sided p and interval.")
NpsGap = _result("NpsGap", S.NpsGap, stats=("gap", "se", "z", "p", "ci"),
                 doc="Our NPS minus one competitor's, with its significance.",
                 parts={"has_ours": ("nps_ours",), "has_theirs": ("nps_theirs",)})
CsatResult = _result("CsatResult", S.CsatResult, stats=_all_real(S.CsatResult),
                     doc="CSAT: mean, sd, median, t interval of the mean, satisfied share "
                         "(percent) with its Wilson interval.",
                     parts={"has_sd": ("sd", "mean_ci")})
CesResult = _result("CesResult", S.CesResult, {"direction": CesDirection},
                    _all_real(S.CesResult),
                    "CES: mean, sd, median, easy share (percent) and, on 1-7, the CES index.",
                    parts={"has_sd": ("sd", "mean_ci")})
DurationResult = _result("DurationResult", S.DurationResult, {"metric": DurationMetric},
                         _all_real(S.DurationResult),
                         "Durations in seconds: sum, mean, sd, min, max, median, p90, p99.",
                         parts={"has_sd": ("sd", "mean_ci")})
DurationView = _result("DurationView", S.DurationView, {"metric": DurationMetric},
                       ("mean", "median", "p90"),
                       "A helpdesk view (MTTR, first reply time, AHT): mean, median, p90 (s).")
SurvivalResult = _result("SurvivalResult", S.SurvivalResult, stats=_all_real(S.SurvivalResult),
                         doc="Kaplan-Meier median time to resolution (s) with open tickets "
                             "censored, next to the closed-only figures.",
                         parts={"has_closed": ("closed_mean", "closed_median"),
                                "has_oldest_open": ("oldest_open",)})
RateResult = _result("RateResult", S.RateResult, {"use": RateUse}, ("rate", "ci"),
                     "A proportion (share in [0, 1]) with its Wilson interval.")
SlaClockStatus = _result("SlaClockStatus", S.SlaClockStatus,
                         {"state": SlaState, "mode": SlaMode},
                         doc="What an SLA clock says at an instant.",
                         parts={"has_breach_at": ("breach_at",)})
SlaOutcome = _result("SlaOutcome", S.SlaOutcome,
                     {"metric": SlaMetric, "outcome": SlaOutcomeKind, "mode": SlaMode},
                     doc="The outcome of one ticket and metric against a policy.",
                     parts={"has_breach_at": ("breach_at",)})
SlaResult = _result("SlaResult", S.SlaResult, {"metric": SlaMetric},
                    ("compliance_pct", "ci", "lateness_mean", "lateness_max"),
                    "SLA compliance in percent with its Wilson interval, and breach lateness.",
                    parts={"has_compliance": ("compliance_pct", "ci"),
                           "has_lateness": ("lateness_mean", "lateness_max")})
ChurnCounts = _result("ChurnCounts", S.ChurnCounts,
                      doc="Pre-aggregated churn counts (MRR in minor units).")
ChurnCustomerResult = _result("ChurnCustomerResult", S.ChurnCustomerResult,
                              stats=_all_real(S.ChurnCustomerResult),
                              doc="Customer churn and retention (shares) and net growth.")
ChurnRevenueResult = _result("ChurnRevenueResult", S.ChurnRevenueResult,
                             stats=_all_real(S.ChurnRevenueResult),
                             doc="Gross revenue churn and net revenue retention (shares).")
ChurnRenewalResult = _result("ChurnRenewalResult", S.ChurnRenewalResult,
                             stats=_all_real(S.ChurnRenewalResult),
                             doc="Renewal rate (share) with its Wilson interval.")
MaturityResult = _result("MaturityResult", S.MaturityResult, {"level": MaturityLevel},
                         doc="The maturity score (0-7) and its level.")
RollupResult = _result("RollupResult", S.RollupResult,
                       {"group": RollupGroup, "fcr_profile": FcrProfile},
                       doc="Volume and rates (FCR, reopen, deflection, unresolved share, "
                           "transfer rate) of one roll-up group.",
                       parts={"has_fcr": ("fcr",), "has_reopen": ("reopen",),
                              "has_deflection": ("deflection",),
                              "has_unresolved_share": ("unresolved_share",),
                              "has_transfer_rate": ("transfer_rate",)})
RollupTimeResult = _result("RollupTimeResult", S.RollupTimeResult,
                           {"group": RollupGroup, "time": RollupTime},
                           _all_real(S.RollupTimeResult),
                           "One time of one roll-up group (seconds).",
                           parts={"has_sd": ("sd",)})
RollupAgentResult = _result("RollupAgentResult", S.RollupAgentResult,
                            doc="Tickets of one agent.")
Comparison = _result("Comparison", S.Comparison, {"test": Test},
                     ("diff", "se", "statistic", "df", "p", "ci"),
                     "A against B: value_a - value_b, its SE, t or z, Welch's df (0 for "
                     "z), two-sided p and the interval of the difference.",
                     parts={"has_a": ("value_a",), "has_b": ("value_b",)})
DurationShare = _result("DurationShare", S.DurationShare, stats=("within", "share", "ci"),
                        doc="Share of durations at or below a threshold, with the sketch's "
                            "exact bounds within_low..within_high and an interval.")
DurationMedianComparison = _result(
    "DurationMedianComparison", S.DurationMedianComparison, stats=("diff", "ci"),
    doc="Change of the median duration with a distribution-free interval (seconds).",
    parts={"has_a": ("median_a", "ci_a"), "has_b": ("median_b", "ci_b")})


SeriesBucket = _result("SeriesBucket", S.SeriesBucketInfo, doc=(
    "Where a bucket of a series lies: its number, its local start (the label: local "
    "seconds since 1970-01-01) and its first and next instants (Unix seconds, UTC)."))
