#!/usr/bin/python3
"""cxm's batch calls against what a user would otherwise write with numpy,
side by side in one process.

    /usr/bin/python3 bench/numpy_compare.py BUILD/libcxm.so [--quick]

Loads the shared library with ctypes and times, on the same arrays and
alternating run by run (cxm, numpy, cxm, numpy, ...), so that both see the
same machine at the same moment:

  - NPS of 0-10 scores held as bytes: cxm_nps_add_many (which validates
    every byte) against np.count_nonzero over a <= 6 and a >= 9;
  - median and p90 of log-normal durations: cxm_duration_add_many plus one
    cxm_duration_quantiles call, against np.percentile(x, [50, 90]).

Each comparison is one JSON line (the format of the C benchmarks): value is
numpy's median time, ref cxm's, ratio the median of the paired ratios
numpy / cxm (how many times faster cxm is), with its target (>= 2). Both
sides are timed with the thread's CPU time; a ctypes call costs about a
microsecond, against milliseconds for each batch. The script first checks
that both give the same answers (quantiles within the sketch's stated
bound).

numpy is Debian's python3-numpy; without it the script says so in one JSON
line and exits 77, which meson reports as skipped.
"""
import ctypes as C
import json
import os
import sys
import time

# The C library through the Python package (bindings/python): its ctypes
# declarations of the calls and structs, not written a second time here.
PACKAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bindings", "python")
OK = 0
cxm = None  # the package, imported by load() once CXM_LIBRARY names the library


def emit(**fields):
    print(json.dumps(fields), flush=True)


def median(v):
    v = sorted(v)
    m = len(v) // 2
    return float(v[m]) if len(v) % 2 else 0.5 * (v[m - 1] + v[m])


def timed(fn):
    t0 = time.thread_time_ns()
    out = fn()
    return time.thread_time_ns() - t0, out


def compare(name, n, reps, cxm_fn, np_fn, note):
    """Alternates the two, run by run; one warm-up run of each first."""
    cxm_fn()
    np_fn()
    tc, tn, q = [], [], []
    for _ in range(reps):
        a, _ = timed(cxm_fn)
        b, _ = timed(np_fn)
        tc.append(a)
        tn.append(b)
        q.append(b / a)
    ratio = median(q)
    met = ratio >= 2.0
    emit(name=name, unit="ns", value=median(tn), n=n, ref=median(tc), ratio=round(ratio, 4),
         limit_on="ratio", limit_op=">=", limit=2.0, met=met,
         missed_by_pct=0.0 if met else round(100.0 * (1.0 - ratio / 2.0), 1),
         note=note)


def load(path):
    global cxm, TRANSACTIONAL
    os.environ["CXM_LIBRARY"] = os.path.abspath(path) if os.sep in path else path
    sys.path.insert(0, PACKAGE)
    import cxm as package
    from cxm import _lib, _structs
    cxm = package
    cxm.NpsResult = _structs.NpsResult  # the C struct (the package's NpsResult is a dataclass)
    TRANSACTIONAL = int(cxm.NpsKind.TRANSACTIONAL)
    lib = _lib.lib
    lib.cxm_nps_reset.argtypes = [C.c_void_p]
    lib.cxm_duration_new.argtypes = [C.c_void_p, C.c_void_p, C.POINTER(C.c_void_p)]
    lib.cxm_duration_add_many.argtypes = [C.c_void_p, C.c_void_p, C.c_size_t,
                                          C.POINTER(C.c_size_t)]
    lib.cxm_duration_reset.argtypes = [C.c_void_p]
    lib.cxm_duration_quantiles.argtypes = [C.c_void_p, C.POINTER(C.c_double), C.c_size_t,
                                           C.POINTER(C.c_double), C.POINTER(C.c_size_t)]
    lib.cxm_duration_relative_error.restype = C.c_double
    lib.cxm_duration_free.argtypes = [C.c_void_p]
    lib.cxm_duration_free.restype = None
    return lib


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    path, quick = args[0], "--quick" in args[1:]
    try:
        import numpy as np
    except ImportError:
        emit(name="numpy_compare", unit="", value=0, n=0, skipped=True,
             note="numpy not installed (apt-get install python3-numpy)")
        return 77  # meson's "skipped": never counted as a pass
    lib = load(path)
    reps = 5 if quick else 15
    rng = np.random.default_rng(2026)
    bad = C.c_size_t(0)

    # NPS over 0-10 scores as bytes, far past the caches.
    scores = rng.integers(0, 11, size=(64 if quick else 256) << 20, dtype=np.uint8)
    ptr = C.cast(scores.ctypes.data, C.c_char_p)  # no copy: the numpy buffer itself
    nps = C.c_void_p()
    if lib.cxm_nps_new(TRANSACTIONAL, 0, None, C.byref(nps)) != OK:
        sys.exit("cxm_nps_new failed")

    def nps_cxm():
        lib.cxm_nps_reset(nps)
        st = lib.cxm_nps_add_many(nps, ptr, scores.size, C.byref(bad))
        if st != OK:
            sys.exit(f"cxm_nps_add_many: status {st} at {bad.value}")

    def nps_numpy():
        detractors = np.count_nonzero(scores <= 6)
        promoters = np.count_nonzero(scores >= 9)
        return promoters, detractors, 100.0 * (promoters - detractors) / scores.size

    nps_cxm()
    r = cxm.NpsResult(size=C.sizeof(cxm.NpsResult))
    if lib.cxm_nps_result_get(nps, 0.95, 0, C.byref(r)) != OK:
        sys.exit("cxm_nps_result_get failed")
    promoters, detractors, _ = nps_numpy()
    if (r.promoters, r.detractors, r.n) != (promoters, detractors, scores.size):
        sys.exit(f"cxm counts {r.promoters}/{r.detractors} != numpy {promoters}/{detractors}")
    compare("numpy.nps", int(scores.size), reps, nps_cxm, nps_numpy,
            "value: numpy count_nonzero (no range check); ref: cxm_nps_add_many through "
            "ctypes (validates every byte), same bytes; ratio: median of paired runs")
    lib.cxm_nps_free(nps)
    del scores

    # Median and p90 of log-normal durations (median one hour, sigma 1.5).
    x = np.exp(np.log(3600.0) + 1.5 * rng.standard_normal((4 if quick else 16) << 20))
    xp = C.c_void_p(x.ctypes.data)
    d = C.c_void_p()
    if lib.cxm_duration_new(None, None, C.byref(d)) != OK:
        sys.exit("cxm_duration_new failed")
    qs = (C.c_double * 2)(0.5, 0.9)
    out = (C.c_double * 2)()

    def q_cxm():
        lib.cxm_duration_reset(d)
        if lib.cxm_duration_add_many(d, xp, x.size, C.byref(bad)) != OK:
            sys.exit("cxm_duration_add_many failed")
        if lib.cxm_duration_quantiles(d, qs, 2, out, C.byref(bad)) != OK:
            sys.exit("cxm_duration_quantiles failed")

    def q_numpy():
        return np.percentile(x, [50, 90])

    q_cxm()
    # The same answers within the stated bound (rank floor(q (n - 1)): 'lower').
    bound = lib.cxm_duration_relative_error()
    for got, want in zip(out, np.percentile(x, [50, 90], method="lower")):
        if abs(got - want) > want * bound * (1 + 1e-9):
            sys.exit(f"cxm quantile {got} is not within {bound} of {want}")
    compare("numpy.percentile", int(x.size), reps, q_cxm, q_numpy,
            "value: np.percentile(x, [50, 90]); ref: cxm_duration_add_many + "
            "cxm_duration_quantiles through ctypes, same doubles; ratio: median of paired runs")
    lib.cxm_duration_free(d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
