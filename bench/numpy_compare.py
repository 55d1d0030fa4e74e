#!/usr/bin/python3
"""cxm's batch calls against what a user would otherwise write with numpy.

    /usr/bin/python3 bench/numpy_compare.py BUILD/bench/bench_batch [--quick]

Runs bench_batch with --export into a temporary directory: it times cxm's
batch calls through the shared library and writes the arrays it timed. This
script passes its JSON lines through, then times numpy on the same bytes
and prints one JSON line per comparison with the ratio numpy time / cxm time
(how many times faster cxm is) and its target:

  - NPS: vectorised compare-and-count (np.count_nonzero over a <= 6 and
    a >= 9), against cxm_nps_add_many, which also validates every byte;
  - median and p90: np.percentile over the durations, against
    cxm_duration_add_many plus the two quantile queries (when bench_batch
    was built with the duration family).

numpy is Debian's python3-numpy; without it the script says so in one JSON
line and exits 0.
"""
import json
import os
import subprocess
import sys
import tempfile
import time


def emit(**fields):
    print(json.dumps(fields), flush=True)


def target(name, unit, value, n, ref, ratio, limit, note):
    met = ratio >= limit
    emit(name=name, unit=unit, value=value, n=n, ref=ref, ratio=round(ratio, 4),
         limit_on="ratio", limit_op=">=", limit=limit, met=met,
         missed_by_pct=0.0 if met else round(100.0 * (1.0 - ratio / limit), 1),
         note=note)


def median_ns(fn, reps):
    # The thread's CPU time, like the C benchmarks (numpy runs these on one thread).
    times = []
    for _ in range(reps):
        t0 = time.thread_time_ns()
        fn()
        times.append(time.thread_time_ns() - t0)
    times.sort()
    return float(times[len(times) // 2])


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    exe, quick = args[0], "--quick" in args[1:]
    try:
        import numpy as np
    except ImportError:
        emit(name="numpy_compare", unit="", value=0, n=0, skipped=True,
             note="numpy not installed (apt-get install python3-numpy)")
        return 0
    reps = 5 if quick else 15
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [exe, "--export", tmp] + (["--quick"] if quick else [])
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
        cxm = {}
        for line in out.splitlines():
            print(line, flush=True)
            rec = json.loads(line)
            cxm[rec["name"]] = rec

        scores = np.fromfile(os.path.join(tmp, "scores.u8"), dtype=np.uint8)

        def nps_numpy():
            detractors = np.count_nonzero(scores <= 6)
            promoters = np.count_nonzero(scores >= 9)
            return 100.0 * (promoters - detractors) / scores.size

        score = nps_numpy()
        want = cxm["batch.nps.nps"]["value"]
        if abs(score - want) > 1e-3:
            sys.exit(f"numpy NPS {score} != cxm NPS {want}")
        t_np = median_ns(nps_numpy, reps)
        t_cxm = cxm["batch.nps.add_many.time"]["value"]
        target("numpy.nps", "ns", t_np, int(scores.size), t_cxm, t_np / t_cxm, 2.0,
               "ratio: numpy time / cxm_nps_add_many time on the same bytes "
               "(numpy does not validate the range; cxm does)")

        path = os.path.join(tmp, "durations.f64")
        if os.path.exists(path) and "batch.duration.query.time" in cxm:
            d = np.fromfile(path, dtype=np.float64)
            # The same answers within the sketch's bound (rank floor(q (n - 1)): 'lower').
            exact = np.percentile(d, [50, 90], method="lower")
            for got, want in zip((cxm["batch.duration.median"]["value"],
                                  cxm["batch.duration.p90"]["value"]), exact):
                if abs(got - want) > want / 129 * (1 + 1e-6) + 1e-3:
                    sys.exit(f"cxm quantile {got} is not within 1/129 of {want}")
            t_np = median_ns(lambda: np.percentile(d, [50, 90]), reps)
            t_cxm = (cxm["batch.duration.add_many.time"]["value"]
                     + cxm["batch.duration.query.time"]["value"])
            target("numpy.percentile", "ns", t_np, int(d.size), t_cxm, t_np / t_cxm, 2.0,
                   "ratio: np.percentile(x, [50, 90]) time / cxm_duration_add_many "
                   "+ two quantile queries on the same doubles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
