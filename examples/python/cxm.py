"""Python bindings for cxm through ctypes, written from the header alone.

Shows that the C API is FFI-friendly: opaque handles, fixed-width integers,
doubles, sized result structs and status codes; no macros or inline
functions are needed. NPS and the ticket roll-up's rates are wrapped here;
every family follows the same pattern. A part of a result that has no data
(a rate with no trials) carries a has_ flag of 0: it becomes None here and
is shown as "no data", never as 0.

    python3 examples/python/cxm.py path/to/libcxm.so.0
"""
import ctypes as C
import sys


class CxmError(Exception):
    def __init__(self, lib, status, what):
        self.status = status
        msg = lib.cxm_status_str(status).decode()
        super().__init__(f"{what}: {msg} (status {status})")


class Interval(C.Structure):
    _fields_ = [("lower", C.c_double), ("upper", C.c_double), ("level", C.c_double)]


class NpsResult(C.Structure):
    _fields_ = [
        ("size", C.c_uint32), ("reserved", C.c_uint32),
        ("kind", C.c_uint32), ("brand", C.c_uint32),
        ("method", C.c_uint32), ("reserved2", C.c_uint32),
        ("n", C.c_uint64), ("promoters", C.c_uint64),
        ("passives", C.c_uint64), ("detractors", C.c_uint64),
        ("weight_total", C.c_double), ("n_effective", C.c_double),
        ("promoter_pct", C.c_double), ("passive_pct", C.c_double),
        ("detractor_pct", C.c_double), ("nps", C.c_double), ("se", C.c_double),
        ("ci", Interval),
    ]


class RateResult(C.Structure):
    _fields_ = [
        ("size", C.c_uint32), ("reserved", C.c_uint32),
        ("use", C.c_uint32), ("definition", C.c_uint32),
        ("successes", C.c_uint64), ("trials", C.c_uint64), ("failures", C.c_uint64),
        ("rate", C.c_double), ("ci", Interval),
    ]


class RollupResult(C.Structure):
    _fields_ = [
        ("size", C.c_uint32), ("reserved", C.c_uint32),
        ("group", C.c_uint32), ("id", C.c_uint32),
        ("fcr_profile", C.c_uint32), ("reserved2", C.c_uint32),
    ] + [(name, C.c_uint64) for name in (
        "tickets", "solved", "open", "ever_solved", "reopened", "reopens", "self_service",
        "assisted", "replied", "agent_replies", "customer_replies")] + [
        ("fcr", RateResult), ("reopen", RateResult), ("deflection", RateResult),
        # 1 when the rate before has a value; 0: no data (its numbers are 0).
        ("has_fcr", C.c_uint32), ("has_reopen", C.c_uint32),
        ("has_deflection", C.c_uint32), ("reserved3", C.c_uint32),
    ]


class Ticket(C.Structure):
    _fields_ = [
        ("size", C.c_uint32), ("reserved", C.c_uint32),
        ("created", C.c_int64), ("first_reply", C.c_int64),
        ("first_solved", C.c_int64), ("last_solved", C.c_int64),
    ] + [(name, C.c_uint32) for name in (
        "reopens", "agent_replies", "customer_replies", "priority", "channel", "topic",
        "agent", "flags")] + [
        ("requester_wait", C.c_double), ("agent_work", C.c_double), ("on_hold", C.c_double),
        ("csat", C.c_int32), ("ces", C.c_int32),
    ]


OK, EMPTY = 0, 5
FCR_ZENDESK, ROLLUP_OVERALL, ROLLUP_NONE = 1, 0, 0xFFFFFFFF
RELATIONAL, TRANSACTIONAL, COMPETITIVE = 1, 2, 3
ADJUSTED_WALD, WALD = 0, 1


def load(path):
    lib = C.CDLL(path)
    lib.cxm_status_str.restype = C.c_char_p
    lib.cxm_status_str.argtypes = [C.c_int]
    lib.cxm_version_string.restype = C.c_char_p
    lib.cxm_nps_new.argtypes = [C.c_uint32, C.c_uint32, C.c_void_p, C.POINTER(C.c_void_p)]
    lib.cxm_nps_add.argtypes = [C.c_void_p, C.c_int32]
    lib.cxm_nps_add_many.argtypes = [C.c_void_p, C.c_char_p, C.c_size_t,
                                     C.POINTER(C.c_size_t)]
    lib.cxm_nps_merge.argtypes = [C.c_void_p, C.c_void_p]
    lib.cxm_nps_result_get.argtypes = [C.c_void_p, C.c_double, C.c_uint32,
                                       C.POINTER(NpsResult)]
    lib.cxm_nps_encode.argtypes = [C.c_void_p, C.c_char_p, C.c_size_t, C.POINTER(C.c_size_t)]
    lib.cxm_nps_decode.argtypes = [C.c_char_p, C.c_size_t, C.c_void_p,
                                   C.POINTER(C.c_void_p)]
    lib.cxm_nps_free.argtypes = [C.c_void_p]
    lib.cxm_nps_free.restype = None
    lib.cxm_rollup_new.argtypes = [C.c_uint32, C.c_void_p, C.c_void_p, C.POINTER(C.c_void_p)]
    lib.cxm_rollup_add.argtypes = [C.c_void_p, C.POINTER(Ticket), C.POINTER(C.c_uint32)]
    lib.cxm_rollup_result_get.argtypes = [C.c_void_p, C.c_uint32, C.c_uint32, C.c_double,
                                          C.POINTER(RollupResult)]
    lib.cxm_rollup_free.argtypes = [C.c_void_p]
    lib.cxm_rollup_free.restype = None
    return lib


class Nps:
    """One NPS accumulator of one kind (kinds are never blended)."""

    def __init__(self, lib, kind, brand=0, _handle=None):
        self._lib = lib
        self._h = C.c_void_p(_handle)
        if _handle is None:
            self._check(lib.cxm_nps_new(kind, brand, None, C.byref(self._h)), "new")

    def _check(self, st, what):
        if st != OK:
            raise CxmError(self._lib, st, what)

    def add(self, score):
        self._check(self._lib.cxm_nps_add(self._h, score), f"add({score})")

    def add_many(self, scores):
        data = bytes(scores)
        bad = C.c_size_t(0)
        st = self._lib.cxm_nps_add_many(self._h, data, len(data), C.byref(bad))
        self._check(st, f"add_many (first bad index {bad.value})")

    def merge(self, other):
        self._check(self._lib.cxm_nps_merge(self._h, other._h), "merge")

    def result(self, level=0.95, method=ADJUSTED_WALD):
        r = NpsResult(size=C.sizeof(NpsResult))
        st = self._lib.cxm_nps_result_get(self._h, level, method, C.byref(r))
        if st == EMPTY:
            return None
        self._check(st, "result")
        return r

    def encode(self):
        need = C.c_size_t(0)
        self._lib.cxm_nps_encode(self._h, None, 0, C.byref(need))
        buf = C.create_string_buffer(need.value)
        self._check(self._lib.cxm_nps_encode(self._h, buf, need, C.byref(need)), "encode")
        return buf.raw[: need.value]

    @classmethod
    def decode(cls, lib, data):
        h = C.c_void_p()
        st = lib.cxm_nps_decode(data, len(data), None, C.byref(h))
        if st != OK:
            raise CxmError(lib, st, "decode")
        return cls(lib, 0, _handle=h.value)

    def __del__(self):
        if getattr(self, "_h", None) and self._h.value:
            self._lib.cxm_nps_free(self._h)
            self._h = C.c_void_p()


def rollup_rates(lib, tickets):
    """FCR, reopen and deflection of all tickets: a share in [0, 1], or None
    when the rate has no data (its has_ flag is 0)."""
    h = C.c_void_p()
    st = lib.cxm_rollup_new(FCR_ZENDESK, None, None, C.byref(h))
    if st != OK:
        raise CxmError(lib, st, "rollup_new")
    try:
        for created, first_reply, solved, agent_replies in tickets:
            t = Ticket(size=C.sizeof(Ticket), created=created, first_reply=first_reply,
                       first_solved=solved, agent_replies=agent_replies,
                       channel=ROLLUP_NONE, topic=ROLLUP_NONE, agent=ROLLUP_NONE)
            st = lib.cxm_rollup_add(h, C.byref(t), None)
            if st != OK:
                raise CxmError(lib, st, "rollup_add")
        r = RollupResult(size=C.sizeof(RollupResult))
        st = lib.cxm_rollup_result_get(h, ROLLUP_OVERALL, 0, 0.95, C.byref(r))
        if st not in (OK, EMPTY):
            raise CxmError(lib, st, "rollup_result_get")
        return {name: getattr(r, name).rate if getattr(r, "has_" + name) else None
                for name in ("fcr", "reopen", "deflection")}
    finally:
        lib.cxm_rollup_free(h)


def share(value):
    """A share as a percentage, or "no data" -- never a made-up 0%."""
    return "no data" if value is None else f"{100 * value:.1f}%"


def main(path):
    lib = load(path)
    rel = Nps(lib, RELATIONAL)
    tx = Nps(lib, TRANSACTIONAL)
    tx.add_many([10, 9, 9, 8, 7, 6, 5, 3, 10, 9])
    r = tx.result()
    assert r.n == 10 and abs(r.nps - 20.0) < 1e-12, r.nps
    assert abs(r.ci.lower + 30.32599443550416) < 1e-9
    # Kinds are never blended: the library refuses, Python sees an exception.
    try:
        rel.add(9)
        tx.merge(rel)
        raise AssertionError("merge across kinds must fail")
    except CxmError as e:
        assert e.status == 4, e
    # A batch with a bad byte is refused whole.
    try:
        tx.add_many([1, 2, 11])
        raise AssertionError("score 11 must be refused")
    except CxmError as e:
        assert e.status == 2 and "first bad index 2" in str(e), e
    assert tx.result().n == 10
    assert rel.result().n == 1
    assert Nps(lib, RELATIONAL).result() is None  # empty: no score
    copy = Nps.decode(lib, tx.encode())
    assert copy.result().nps == r.nps
    print(f"cxm {lib.cxm_version_string().decode()} via ctypes: "
          f"NPS {r.nps:+.1f} [{r.ci.lower:+.1f}, {r.ci.upper:+.1f}] n={r.n}")

    # Two tickets still open: they count, but no rate has any data yet.
    day = 1700000000
    still_open = [(day, day + 600, 0, 1), (day, 0, 0, 0)]
    rates = rollup_rates(lib, still_open)
    assert rates == {"fcr": None, "reopen": None, "deflection": None}, rates
    # One of them solved with one agent reply: FCR 100%, and no longer "no data".
    rates = rollup_rates(lib, [(day, day + 600, day + 3600, 1), (day, 0, 0, 0)])
    assert rates["fcr"] == 1.0 and rates["reopen"] == 0.0, rates
    print("roll-up of 2 open tickets: first contact resolution "
          f"{share(rollup_rates(lib, still_open)['fcr'])}; "
          f"after one is solved: {share(rates['fcr'])}")


if __name__ == "__main__":
    main(sys.argv[1])
