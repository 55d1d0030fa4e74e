#!/usr/bin/env python3
"""The Python package against the C library and numpy, in the same process.

    CXM_LIBRARY=build/libcxm.so.0 python3 bindings/python/bench/bench_python.py [--quick]

Prints one JSON object per line, in the format of bench/README.md (name,
unit, value, n, ref, ratio, limit_on/limit_op/limit, met, missed_by_pct,
note). Every figure is the median of repeated runs timed with the thread's
CPU time (time.thread_time_ns), so that time the shared machine gives to
other jobs is not counted; the reference of each ratio is measured in the
same run, interleaved with it.

  - nps.add_many.numpy: cxm.Nps.add_many on a numpy uint8 array of 10^7
    random answers (in both modes; --quick runs fewer rounds), against the library's own
    cxm_nps_add_many on the same array: the C function called directly
    with the array's address, one foreign call per batch and no wrapper
    (the call itself costs microseconds against milliseconds of counting,
    so this is the C throughput). Target: >= 0.5 of the C throughput.
  - nps.add_many.vs_numpy: the same against numpy's own vectorised NPS
    (count_nonzero of a >= 9 and a <= 6, then the score). Target: >= 5x.
  - nps.add.scalar: one Nps.add(score) from Python against one ctypes call
    of cxm_noop, both in the same kind of loop. Target: <= 3x.

Without numpy the two array figures are reported as skipped.
"""
import ctypes as C
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import cxm  # noqa: E402
from cxm import _lib  # noqa: E402


def emit(**fields):
    print(json.dumps(fields), flush=True)


def report(name, unit, value, n, ref, ratio, op, limit, note):
    met = ratio >= limit if op == ">=" else ratio <= limit
    missed = 0.0 if met else round(100.0 * abs(ratio - limit) / limit, 1)
    emit(name=name, unit=unit, value=round(value, 3), n=n, ref=round(ref, 3),
         ratio=round(ratio, 4), limit_on="ratio", limit_op=op, limit=limit, met=met,
         missed_by_pct=missed, note=note)


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def interleaved(fns, reps, before=None):
    """Times each function once per round, the order rotating between rounds
    (thread CPU ns); `before`, if given, runs untimed before every timed call.
    Returns the median time of each and, for each, the median over rounds of
    its time divided by the first function's."""
    times = [[] for _ in fns]
    for i in range(reps):
        order = list(range(len(fns)))
        order = order[i % len(fns):] + order[:i % len(fns)]
        for k in order:
            if before is not None:
                before(fns[k])
            t0 = time.thread_time_ns()
            fns[k]()
            times[k].append(time.thread_time_ns() - t0)
    med = [median(t) for t in times]
    ratios = [median([t / a if a else float("inf") for t, a in zip(tk, times[0])])
              for tk in times]
    return med, ratios


def paired(fa, fb, reps):
    """Interleaved timings of fa and fb: both medians and how many times fb's
    time fa takes (the inverse of the median ratio fb / fa over rounds)."""
    (ta, tb), (_, r) = interleaved([fa, fb], reps)
    return ta, tb, 1.0 / r if r else float("inf")


def bench_arrays(n, reps):
    try:
        import numpy as np
    except ImportError:
        emit(name="nps.add_many.numpy", unit="", value=0, n=0, skipped=True,
             note="numpy not installed (Debian: python3-numpy)")
        return
    rng = np.random.default_rng(20261129)
    # A realistic answer mix: most promoters, a long tail of detractors.
    p = np.array([3, 1, 1, 1, 2, 3, 5, 9, 15, 25, 35], dtype=float)
    a = rng.choice(11, size=n, p=p / p.sum()).astype(np.uint8)

    nps = cxm.Nps()
    raw = _lib.lib.cxm_nps_add_many  # the library's own batch call
    ref_acc = cxm.Nps()
    addr = a.ctypes.data
    bad = C.c_size_t()

    def py():
        nps.add_many(a)

    def c_only():
        st = raw(ref_acc._h, addr, n, C.byref(bad))
        assert st == 0

    def numpy_nps():
        prom = np.count_nonzero(a >= 9)
        det = np.count_nonzero(a <= 6)
        return 100.0 * (prom - det) / a.size

    # Two settings, so that no candidate profits from what the previous one
    # left in the caches: warm (each timed run follows an untimed run of the
    # same call, the array in the last-level cache, as bench/numpy_compare.py
    # measures) and cold (each follows a pass over 64 MiB, twice this
    # machine's last-level cache: the answers come from memory, as after a
    # CSV load).
    scrub = np.ones(8 << 20)

    for suffix, before, how in (
            ("", lambda f: f(), "warm: each timed run follows an untimed run of itself"),
            (".cold", lambda f: scrub.sum(), "cold: each timed run follows a 64 MiB pass")):
        (t_py, t_c, t_np), (_, r_c, r_np) = interleaved([py, c_only, numpy_nps], reps,
                                                        before=before)
        # Throughput ratio = C time / Python time (>= 0.5: at least half the speed).
        report("nps.add_many.numpy" + suffix, "ns/answer", t_py / n, n, t_c / n, r_c, ">=",
               0.5, "ref: cxm_nps_add_many on the same array, no Python wrapper; ratio: "
               f"C time / Python time, median of interleaved runs; {how}")
        report("nps.add_many.vs_numpy" + suffix, "ns/answer", t_py / n, n, t_np / n, r_np,
               ">=", 5.0, "ref: numpy count_nonzero(a >= 9), count_nonzero(a <= 6) on the "
               f"same array; ratio: numpy time / cxm time, median of interleaved runs; {how}")
    # Both must have counted the same answers, and agree with numpy.
    assert nps.result().n == ref_acc.result().n
    fresh = cxm.Nps()
    fresh.add_many(a)
    assert abs(fresh.result().nps - numpy_nps()) < 1e-9


def bench_scalar(calls, reps):
    nps = cxm.Nps()
    add = nps.add
    noop = _lib.noop
    scores = [random.Random(7).randrange(11) for _ in range(calls)]

    def adds():
        for s in scores:
            add(s)

    def noops():
        for s in scores:
            noop()

    t_add, t_noop, ratio = paired(adds, noops, reps)
    report("nps.add.scalar", "ns/call", t_add / calls, calls, t_noop / calls, ratio, "<=", 3.0,
           "ref: a ctypes call of cxm_noop in the same loop; ratio: median of paired runs")


def main():
    quick = "--quick" in sys.argv[1:]
    emit(name="python.info", unit="", value=0, n=0, version=cxm.__version__,
         library=cxm.library_path, python=sys.version.split()[0])
    bench_arrays(10**7, 7 if quick else 21)
    bench_scalar(10000 if quick else 50000, 31 if quick else 101)


if __name__ == "__main__":
    main()
