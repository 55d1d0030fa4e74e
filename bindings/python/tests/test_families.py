"""Every class of the package against a plain-Python computation of the same
formulas (tests/reference.py) on random data."""
import datetime as dt
import math
import random
import unittest

import cxm
from cxm import (Ces, CesDirection, Churn, ChurnFlag, Csat, Duration, DurationMetric, Nps, NpsKind,
                 NpsMethod, NpsPanel, Rate, RateUse, Rollup, RollupGroup, Sla, SlaClock, SlaMetric,
                 SlaPolicy, Survival, SurvivalState)

import reference as ref

SEED = 20261129


def close(tc, got, want, rel=1e-9, msg=None):
    tc.assertTrue(math.isclose(got, want, rel_tol=rel, abs_tol=rel), f"{msg}: {got} != {want}")


class NpsTest(unittest.TestCase):
    def test_random_batches_match_the_formulas(self):
        rng = random.Random(SEED)
        for trial in range(30):
            n = rng.randrange(1, 400)
            scores = [rng.randrange(11) for _ in range(n)]
            level = rng.choice([0.8, 0.9, 0.95, 0.99])
            with Nps(NpsKind.RELATIONAL) as a:
                if trial % 2:
                    a.add_many(bytes(scores))
                else:
                    for s in scores:
                        a.add(s)
                for method in (NpsMethod.ADJUSTED_WALD, NpsMethod.WALD):
                    r = a.result(level, method)
                    w = ref.nps(scores, level=level, method=int(method))
                    for f in ("n", "promoters", "passives", "detractors"):
                        self.assertEqual(getattr(r, f), w[f], f)
                    for f in ("promoter_pct", "passive_pct", "detractor_pct", "nps", "se",
                              "weight_total", "n_effective"):
                        close(self, getattr(r, f), w[f], msg=f)
                    close(self, r.ci.lower, w["ci"][0], msg="ci.lower")
                    close(self, r.ci.upper, w["ci"][1], msg="ci.upper")
                    self.assertEqual(r.ci.level, level)
                    self.assertIs(r.kind, NpsKind.RELATIONAL)

    def test_weighted(self):
        rng = random.Random(SEED + 1)
        scores = [rng.randrange(11) for _ in range(300)]
        weights = [rng.uniform(0.2, 3.0) for _ in scores]
        a, b = Nps(), Nps()
        import array
        a.add_many(bytes(scores), array.array("d", weights))
        for s, w in zip(scores, weights):
            b.add(s, weight=w)
        for r in (a.result(), b.result()):
            want = ref.nps(scores, weights)
            for f in ("nps", "se", "n_effective", "weight_total"):
                close(self, getattr(r, f), want[f], msg=f)
            close(self, r.ci.lower, want["ci"][0])

    def test_merge_equals_one_accumulator(self):
        rng = random.Random(SEED + 2)
        parts = [[rng.randrange(11) for _ in range(rng.randrange(50))] for _ in range(5)]
        accs = [Nps().add_many(bytes(p)) for p in parts]
        total = accs[0] + accs[1]
        total += accs[2]
        total.merge(accs[3], accs[4])
        whole = Nps().add_many(bytes(sum(parts, [])))
        self.assertEqual(total.to_bytes(), whole.to_bytes())
        self.assertEqual(sum((a.result().n for a in accs)), whole.result().n)

    def test_compare_wald(self):
        rng = random.Random(SEED + 3)
        xa = [rng.randrange(11) for _ in range(200)]
        xb = [rng.randrange(11) for _ in range(150)]
        a, b = Nps().add_many(bytes(xa)), Nps().add_many(bytes(xb))
        c = a.compare(b, method=NpsMethod.WALD)
        ra, rb = ref.nps(xa, method=1), ref.nps(xb, method=1)
        se = math.hypot(ra["se"], rb["se"])
        close(self, c.diff, ra["nps"] - rb["nps"])
        close(self, c.se, se)
        close(self, c.z, c.diff / se)
        close(self, c.p, math.erfc(abs(c.diff / se) / math.sqrt(2)))
        close(self, c.ci.lower, max(-200, c.diff - ref.z_of() * se))
        self.assertEqual(bool(c.significant), c.p < 0.05)
        c2 = a.compare(b)  # adjusted-Wald standard errors
        close(self, c2.se, math.hypot(ref.nps_adjusted_se(xa), ref.nps_adjusted_se(xb)))

    def test_empty_has_no_score(self):
        r = Nps().result()
        self.assertEqual(r.n, 0)
        self.assertIsNone(r.nps)
        self.assertIsNone(r.ci)


class PanelTest(unittest.TestCase):
    def test_brands_and_gaps(self):
        rng = random.Random(SEED + 4)
        brands = [rng.choice([0, 0, 5, 9, 12]) for _ in range(600)]
        scores = [rng.randrange(11) for _ in brands]
        import array
        p = NpsPanel(4).add_many(array.array("I", brands), bytes(scores))
        self.assertEqual(p.brands, (3, 4))
        by = {b: [s for bb, s in zip(brands, scores) if bb == b] for b in set(brands)}
        for b, xs in by.items():
            r = p.result(b)
            self.assertEqual(r.n, len(xs))
            close(self, r.nps, ref.nps(xs)["nps"])
        gaps = p.gaps()
        self.assertEqual([g.brand for g in gaps], [5, 9, 12])
        for g in gaps:
            close(self, g.gap, ref.nps(by[0])["nps"] - ref.nps(by[g.brand])["nps"])
            self.assertEqual(g.n_theirs, len(by[g.brand]))
        q = NpsPanel(4)
        for b, s in zip(brands, scores):
            q.add(b, s)
        self.assertEqual(p.to_bytes(), q.to_bytes())


class ScaleTest(unittest.TestCase):
    def check(self, acc, scores, lo, hi, good, level, easy_field, pct_field, ci_field):
        r = acc.result(level)
        w = ref.scale_stats(scores, lo, hi, good, level)
        self.assertEqual(r.n, w["n"])
        self.assertEqual(getattr(r, easy_field), w["good"])
        for f in ("mean", "median"):
            close(self, getattr(r, f), w[f], msg=f)
        if w["sd"] is None:  # one answer: no spread
            self.assertIsNone(r.sd)
            self.assertIsNone(r.mean_ci)
        else:
            close(self, r.sd, w["sd"], msg="sd")
            close(self, r.mean_ci.lower, w["mean_ci"][0], rel=1e-7, msg="mean_ci.lower")
            close(self, r.mean_ci.upper, w["mean_ci"][1], rel=1e-7, msg="mean_ci.upper")
        close(self, getattr(r, pct_field), w["pct"])
        close(self, getattr(r, ci_field).lower, w["pct_ci"][0])
        close(self, getattr(r, ci_field).upper, w["pct_ci"][1])
        for s in range(lo, hi + 1):
            self.assertEqual(acc.count(s), scores.count(s))
        return r

    def test_csat_scales(self):
        rng = random.Random(SEED + 5)
        for lo, hi, thr in ((1, 5, None), (1, 7, 6), (0, 10, None), (1, 10, 8), (0, 100, 70)):
            for n in (1, 2, 37, 500):
                scores = [rng.randint(lo, hi) for _ in range(n)]
                c = Csat((lo, hi), thr).add_many(bytes(scores))
                t = c.threshold
                self.assertEqual(t, thr if thr is not None else hi - 1)
                self.check(c, scores, lo, hi, lambda s: s >= t, rng.choice([0.9, 0.95]),
                           "satisfied", "satisfied_pct", "satisfied_ci")

    def test_ces_directions_and_index(self):
        rng = random.Random(SEED + 6)
        for direction, lo, hi in ((CesDirection.HIGHER_IS_EASIER, 1, 7),
                                  (CesDirection.HIGHER_IS_EFFORT, 1, 7),
                                  (CesDirection.HIGHER_IS_EFFORT, 1, 5)):
            scores = [rng.randint(lo, hi) for _ in range(300)]
            c = Ces((lo, hi), direction=direction)
            for s in scores:
                c.add(s)
            t = c.threshold
            good = (lambda s: s >= t) if direction == CesDirection.HIGHER_IS_EASIER \
                else (lambda s: s <= t)
            r = self.check(c, scores, lo, hi, good, 0.95, "easy", "easy_pct", "easy_ci")
            if hi == 7:
                self.assertEqual(r.index_defined, 1)
                if direction == CesDirection.HIGHER_IS_EASIER:
                    e = sum(1 for s in scores if s >= 6)
                    h = sum(1 for s in scores if s <= 3)
                else:
                    e = sum(1 for s in scores if s <= 2)
                    h = sum(1 for s in scores if s >= 5)
                self.assertEqual((r.index_easy, r.index_hard), (e, h))
                close(self, r.index, 100 * (e - h) / len(scores))
            else:
                self.assertEqual(r.index_defined, 0)


class DurationTest(unittest.TestCase):
    def test_moments_and_quantiles(self):
        rng = random.Random(SEED + 7)
        xs = [rng.lognormvariate(8, 1.5) for _ in range(2000)]
        import array
        d = Duration(DurationMetric.RESOLUTION).add_many(array.array("d", xs))
        r = d.result()
        w = ref.duration_moments(xs)
        self.assertEqual(r.n, w["n"])
        for f in ("sum", "mean", "sd", "min", "max"):
            close(self, getattr(r, f), w[f], rel=1e-12, msg=f)
        for q in (0.0, 0.1, 0.5, 0.9, 0.99, 1.0):
            exact = ref.rank_quantile(xs, q)
            self.assertLessEqual(abs(d.quantile(q) - exact), exact * cxm.durations.relative_error
                                 * (1 + 1e-9), q)
        m = d.mttr()
        self.assertEqual((m.n, m.mean, m.median, m.p90), (r.n, r.mean, r.median, r.p90))
        with self.assertRaises(cxm.KindMismatchError):
            d.aht()

    def test_timedelta_and_datetimes(self):
        d = Duration()
        d.add(dt.timedelta(hours=1, minutes=30))
        t0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)
        d.add_between(t0, t0 + dt.timedelta(minutes=30))
        d.add_between(1_700_000_000, 1_700_000_600)
        self.assertEqual(d.result().sum, 5400 + 1800 + 600)
        self.assertEqual(Duration().add_many([dt.timedelta(seconds=2), 3.0]).result().sum, 5.0)


class SurvivalTest(unittest.TestCase):
    def test_kaplan_meier_on_whole_hours(self):
        rng = random.Random(SEED + 8)
        items = [(3600 * rng.randint(1, 60), rng.random() < 0.7) for _ in range(400)]
        import array
        s = Survival().add_many(array.array("d", [t for t, _ in items]),
                                bytes(1 if r else 2 for _, r in items))
        r = s.result()
        resolved = [t for t, ok in items if ok]
        opened = [t for t, ok in items if not ok]
        self.assertEqual((r.n, r.resolved, r.open), (len(items), len(resolved), len(opened)))
        close(self, r.open_share, len(opened) / len(items))
        self.assertEqual(r.oldest_open, max(opened))
        close(self, r.closed_mean, sum(resolved) / len(resolved))
        for q in (0.25, 0.5, 0.75):
            want = ref.km_quantile(items, q)
            got = s.quantile(q)
            if want is None:
                self.assertIsNone(got)
            else:
                self.assertLessEqual(abs(got - want), want / 129 * (1 + 1e-9), q)
        want = ref.km_quantile(items, 0.5)
        self.assertLessEqual(abs(r.median - want), want / 129 * (1 + 1e-9))

    def test_median_not_reached(self):
        s = Survival()
        s.add(10, SurvivalState.RESOLVED)
        for _ in range(5):
            s.add(dt.timedelta(hours=2), "open")
        r = s.result()
        self.assertEqual(r.median_reached, 0)
        self.assertIsNone(r.median)
        self.assertIsNone(s.quantile(0.5))


class RateTest(unittest.TestCase):
    def test_random(self):
        rng = random.Random(SEED + 9)
        for use in RateUse:
            xs = [rng.random() < 0.3 for _ in range(rng.randrange(1, 300))]
            a = Rate(use, definition=7)
            for x in xs:
                a.add(x)
            b = Rate(use, 7).add_many(bytes(xs))
            c = Rate(use, 7)
            c.add_counts(sum(xs), len(xs))
            self.assertEqual(a.to_bytes(), b.to_bytes())
            self.assertEqual(a.to_bytes(), c.to_bytes())
            r = a.result(0.9)
            self.assertEqual((r.use, r.definition, r.successes, r.trials), (use, 7, sum(xs), len(xs)))
            close(self, r.rate, sum(xs) / len(xs))
            lo, hi = ref.wilson(sum(xs), len(xs), 0.9)
            close(self, r.ci.lower, lo)
            close(self, r.ci.upper, hi)
        self.assertEqual(cxm.use_name(RateUse.FCR), "fcr")


class CalendarTest(unittest.TestCase):
    def test_business_seconds_and_due_by_brute_force(self):
        rng = random.Random(SEED + 10)
        for trial in range(6):
            offset = rng.choice([0, 3600, -5 * 3600, 19800])
            cal = cxm.Calendar(utc_offset=dt.timedelta(seconds=offset))
            intervals = []
            for wd in range(7):
                if rng.random() < 0.75:
                    o = 60 * rng.randrange(0, 12 * 60)
                    c = o + 60 * rng.randrange(1, 8 * 60)
                    cal.add_interval(wd, o, c)
                    intervals.append((wd, o, c))
            holidays = {dt.date(2026, 11, rng.randint(1, 28)) for _ in range(2)}
            for h in holidays:
                cal.add_holiday(h)
            base = 1_793_000_000 - 1_793_000_000 % 60
            for _ in range(4):
                t0 = base + 60 * rng.randrange(0, 20 * 1440)
                t1 = t0 + 60 * rng.randrange(0, 6 * 1440)
                want = ref.business_seconds(intervals, offset, holidays, t0, t1)
                self.assertEqual(cal.business_seconds(t0, t1), want)
                if intervals and want > 0:
                    due = cal.due(t0, want)
                    self.assertEqual(cal.business_seconds(t0, due), want)
                    self.assertLess(cal.business_seconds(t0, due - 1), want)
            self.assertEqual(cal.offset_at(base), offset)
            back = cxm.Calendar.from_bytes(cal.to_bytes())
            self.assertEqual(back.business_seconds(base, base + 7 * 86400),
                             cal.business_seconds(base, base + 7 * 86400))

    def test_times_of_day(self):
        cal = cxm.Calendar().add_hours(range(5), dt.time(9), dt.time(17, 30))
        monday = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)
        self.assertEqual(cal.business_seconds(monday, monday + dt.timedelta(days=7)),
                         5 * 8.5 * 3600)


class SlaTest(unittest.TestCase):
    def test_evaluate_calendar_time(self):
        rng = random.Random(SEED + 11)
        pol = SlaPolicy(4)
        for p in range(4):
            for m in SlaMetric:
                pol.set_target(p, m, 600 * (p + 1) + int(m))
        for _ in range(50):
            p, m = rng.randrange(4), rng.choice(list(SlaMetric))
            target = 600 * (p + 1) + int(m)
            start = 1_790_000_000 + rng.randrange(10**6)
            end = start + rng.randrange(0, 4 * target)
            pauses = []
            if end - start > 10 and rng.random() < 0.5:
                a = rng.randrange(start, end)
                b = rng.randrange(a, end + 1)
                pauses = [(a, b)]
            paused = sum(b - a for a, b in pauses)
            running = rng.random() < 0.3
            o = pol.evaluate(p, m, start, end, running=running, pauses=pauses)
            # The breach instant is where the active time reaches the target;
            # a pause that begins after it does not move it.
            breach_at = start + target
            for a, b in pauses:
                if a < breach_at:
                    breach_at += b - a
            self.assertEqual(o.target, target)
            self.assertEqual(o.elapsed, end - start - paused)
            self.assertEqual(o.breach_at, breach_at)
            self.assertEqual(o.lateness, max(0, end - breach_at))
            if running:
                self.assertEqual(o.outcome, cxm.SlaOutcomeKind.RUNNING)
            else:
                self.assertEqual(o.outcome, cxm.SlaOutcomeKind.BREACHED if end > breach_at
                                 else cxm.SlaOutcomeKind.ACHIEVED)
        self.assertEqual(pol.target(1, SlaMetric.FIRST_REPLY), (1200, cxm.SlaMode.CALENDAR_TIME))
        self.assertIsNone(SlaPolicy().target(0, 0))

    def test_clock(self):
        t0 = dt.datetime(2026, 11, 2, 8, tzinfo=dt.timezone.utc)
        c = SlaClock(dt.timedelta(hours=1))
        c.activate(t0).pause(t0 + dt.timedelta(minutes=10)).resume(t0 + dt.timedelta(minutes=40))
        s = c.status(t0 + dt.timedelta(minutes=50))
        self.assertEqual((s.elapsed, s.time_left, s.paused), (1200, 2400, 1800))
        self.assertEqual(s.breach_at, cxm._base.timestamp(t0) + 3600 + 1800)
        close(self, s.pct_elapsed, 100 * 1200 / 3600)
        c.fulfil(t0 + dt.timedelta(hours=2))
        s = c.status(0)
        self.assertEqual(s.state, cxm.SlaState.CLOSED)
        self.assertEqual(s.lateness, 1800)
        self.assertEqual(s.breached, 1)
        with self.assertRaises(cxm.BadStateError):
            c.pause(t0 + dt.timedelta(hours=3))

    def test_business_hours_clock_keeps_its_calendar(self):
        cal = cxm.Calendar().add_hours(range(7), 9 * 3600, 17 * 3600)
        c = SlaClock(3600, cxm.SlaMode.BUSINESS_HOURS, cal)
        del cal  # the clock holds it
        day = 1_795_000_000 - 1_795_000_000 % 86400
        c.activate(day + 16 * 3600 + 1800)
        self.assertEqual(c.status(day + 86400 + 9 * 3600 + 1800).elapsed, 3600)

    def test_accumulator(self):
        rng = random.Random(SEED + 12)
        rows = []
        for _ in range(800):
            p, m = rng.randrange(4), rng.randrange(7)
            o = rng.choice([1, 2, 3])
            late = 0 if o == 1 else rng.randrange(1, 10**5) if o == 2 else rng.choice([0, 50])
            rows.append((p, m, o, late))
        a = Sla(4)
        for r in rows[:400]:
            a.add(*r)
        import array
        b = Sla(4).add_many(array.array("I", [r[0] for r in rows[400:]]),
                            array.array("I", [r[1] for r in rows[400:]]),
                            bytes(r[2] for r in rows[400:]),
                            array.array("q", [r[3] for r in rows[400:]]))
        a += b
        for m in range(7):
            for p in (None, 0, 3):
                sel = [r for r in rows if r[1] == m and (p is None or r[0] == p)]
                ach = sum(1 for r in sel if r[2] == 1)
                br = [r[3] for r in sel if r[2] == 2]
                res = a.result(m, p)
                self.assertEqual((res.achieved, res.breached), (ach, len(br)))
                self.assertEqual(res.active, sum(1 for r in sel if r[2] == 3))
                self.assertEqual(res.active_past_due, sum(1 for r in sel if r[2] == 3 and r[3]))
                if ach + len(br):
                    close(self, res.compliance_pct, 100 * ach / (ach + len(br)))
                    lo, hi = ref.wilson(ach, ach + len(br))
                    close(self, res.ci.lower, 100 * lo)
                    close(self, res.ci.upper, 100 * hi)
                if br:
                    close(self, res.lateness_mean, sum(br) / len(br))
                    self.assertEqual(res.lateness_max, max(br))
            br = [r[3] for r in rows if r[1] == m and r[2] == 2]
            for q, got in zip((0.5, 0.9), a.lateness_quantiles(m, [0.5, 0.9])):
                want = ref.rank_quantile(br, q)
                self.assertLessEqual(abs(got - want), want / 129 * (1 + 1e-9))
        o = SlaPolicy().set_target(0, 0, 60).evaluate(0, 0, 0, 100)
        s = Sla()
        s.add_outcome(o)
        self.assertEqual(s.result(0, 0).breached, 1)


class ChurnTest(unittest.TestCase):
    def test_random_customers(self):
        rng = random.Random(SEED + 13)
        F = ChurnFlag
        recs = []
        for _ in range(500):
            start, end = rng.random() < 0.8, rng.random() < 0.8
            cancelled = rng.random() < 0.2 or not (start or end)
            flags = (F.AT_START if start else 0) | (F.AT_END if end else 0) | \
                (F.CANCELLED if cancelled else 0)
            if not start and end and rng.random() < 0.3:
                flags |= F.RETURNING
            if rng.random() < 0.3:
                flags |= F.DUE | (F.RENEWED if rng.random() < 0.7 else 0)
            recs.append(cxm.Customer(int(flags), rng.randrange(1, 10**5) if start else 0,
                                     rng.randrange(1, 10**5) if end else 0))
        ch = Churn(202611).add_many(recs[:250])
        for c in recs[250:]:
            ch.add(c)
        S, E, C, R = (lambda c, f=f: bool(c.flags & f) for f in (F.AT_START, F.AT_END,
                                                                  F.CANCELLED, F.RETURNING))
        c0 = sum(S(c) for c in recs)
        lost = sum(S(c) and not E(c) for c in recs)
        new = sum(not S(c) and E(c) and not R(c) for c in recs)
        react = sum(not S(c) and E(c) and R(c) for c in recs)
        k = ch.counts()
        self.assertEqual((k.customers_start, k.lost, k.new_customers, k.reactivated),
                         (c0, lost, new, react))
        self.assertEqual(k.churned_reactivated, sum(S(c) and E(c) and C(c) for c in recs))
        self.assertEqual(k.joined_churned, sum(not S(c) and not E(c) for c in recs))
        r = ch.customer_result()
        close(self, r.churn_rate, lost / c0)
        lo, hi = ref.wilson(lost, c0)
        close(self, r.churn_ci.lower, lo)
        close(self, r.retention_ci.upper, 1 - lo)
        close(self, r.net_growth, (new + react - lost) / c0)
        mrr0 = sum(c.mrr_start for c in recs)
        churned = sum(c.mrr_start for c in recs if S(c) and not E(c))
        retained = [c for c in recs if S(c) and E(c)]
        exp = sum(max(0, c.mrr_end - c.mrr_start) for c in retained)
        con = sum(max(0, c.mrr_start - c.mrr_end) for c in retained)
        v = ch.revenue_result()
        self.assertEqual((v.mrr_start, v.mrr_churned, v.mrr_expansion, v.mrr_contraction),
                         (mrr0, churned, exp, con))
        close(self, v.gross_revenue_churn, (churned + con) / mrr0)
        close(self, v.net_revenue_retention, (mrr0 + exp - con - churned) / mrr0)
        due = sum(bool(c.flags & F.DUE) for c in recs)
        ren = sum(bool(c.flags & F.RENEWED) for c in recs)
        close(self, ch.renewal_result().renewal_rate, ren / due)
        # The counts feed another accumulator of the same period to the same figures.
        again = Churn(202611)
        again.add_counts(k)
        self.assertEqual(again.counts(), k)
        try:
            import numpy as np
        except ImportError:
            return
        arr = np.zeros(len(recs), dtype=cxm.customer_dtype())
        arr["size"] = arr.dtype.itemsize
        arr["flags"] = [c.flags for c in recs]
        arr["mrr_start"] = [c.mrr_start for c in recs]
        arr["mrr_end"] = [c.mrr_end for c in recs]
        self.assertEqual(Churn(202611).add_many(arr).to_bytes(), ch.to_bytes())


class MaturityTest(unittest.TestCase):
    def test_every_answer_set(self):
        names = cxm.churn.MATURITY_ATTRIBUTES
        self.assertEqual(len(names), cxm.churn.maturity_attributes)
        for bits in range(1 << len(names)):
            answers = {a: (bits >> i) & 1 for i, a in enumerate(names)}
            r = cxm.maturity_score(answers)
            score = bin(bits).count("1")
            self.assertEqual(r.score, score)
            want = 1 if score <= 3 else 2 if score <= 5 else 3
            self.assertEqual(r.level, want)
            self.assertEqual(cxm.maturity_level(score), want)
        self.assertEqual(cxm.maturity_level_name(cxm.MaturityLevel.EXPERT), "expert")
        with self.assertRaises(cxm.OutOfRangeError):
            cxm.maturity_score(dict.fromkeys(names, 2))
        with self.assertRaises(TypeError):
            cxm.maturity_score(enough_agents=1)


def random_tickets(rng, n, channels=3, agents=4):
    out = []
    for _ in range(n):
        created = 1_790_000_000 + rng.randrange(10**6)
        t = dict(created=created, priority=rng.randrange(4),
                 agent_replies=rng.randrange(5), customer_replies=rng.randrange(3))
        if rng.random() < 0.8:
            t["first_reply"] = created + rng.randrange(1, 10**4)
        if rng.random() < 0.7:
            t["first_solved"] = created + rng.randrange(1, 10**5)
            if rng.random() < 0.2:
                t["reopens"] = rng.randrange(1, 3)
                if rng.random() < 0.5:
                    t["last_solved"] = t["first_solved"] + rng.randrange(1, 10**5)
            elif rng.random() < 0.15:
                t["self_service"] = True
        if rng.random() < 0.9:
            t["channel"] = rng.randrange(channels)
        if rng.random() < 0.9:
            t["agent"] = rng.randrange(agents)
        if rng.random() < 0.5:
            t["csat"] = rng.randint(1, 5)
        # The grown record: transfers, handle time, an NPS answer, unresolved closes.
        if not t.get("self_service") and rng.random() < 0.3:
            t["transfers"] = rng.randrange(1, 3)
        t["handle_time"] = rng.randrange(30, 3000) + 0.5
        if rng.random() < 0.4:
            t["nps"] = rng.randint(0, 10)
        solved_now = t.get("first_solved") and (not t.get("reopens") or t.get("last_solved"))
        if not solved_now and rng.random() < 0.3:
            t["unresolved"] = True
        out.append(t)
    return out


def solved_at(t):
    """The instant a ticket is solved now, or None (open or closed without a resolution)."""
    if not t.get("first_solved"):
        return None
    if t.get("reopens", 0):
        return t.get("last_solved")
    return t["first_solved"]


class RollupTest(unittest.TestCase):
    def test_random_tickets(self):
        rng = random.Random(SEED + 14)
        tickets = random_tickets(rng, 600)
        ro = Rollup("zendesk", channels=3, agents=4)
        ro.add_many(tickets[:300])
        for t in tickets[300:]:
            ro.add(cxm.Ticket(**t) if rng.random() < 0.5 else t)

        for group, gid, sel in [("overall", 0, tickets)] + [
                ("channel", c, [t for t in tickets if t.get("channel") == c]) for c in range(3)]:
            self.check_group(ro, group, gid, sel)
        for a in range(4):
            mine = [t for t in tickets if t.get("agent") == a]
            r = ro.agent(a)
            self.assertEqual((r.tickets, r.solved), (len(mine), sum(1 for t in mine if solved_at(t))))

    def test_agents_and_cells_equal_a_recount(self):
        """Every agent and every cell of two crosses is a full group: each of
        its figures equals a recount of its own tickets, before and after
        decoding, and the cells of a cross hold each ticket with both ids once."""
        rng = random.Random(SEED + 16)
        tickets = random_tickets(rng, 2000)
        ro = Rollup("zendesk", channels=3, agents=4, priorities=4,
                    crosses=[("channel", "priority"), (RollupGroup.AGENT, RollupGroup.CHANNEL)])
        ro.add_many(tickets[:1000])
        for t in tickets[1000:]:
            ro.add(t)
        back = Rollup.from_bytes(ro.to_bytes())
        for r in (ro, back):
            for a in range(4):
                self.check_group(r, "agent", a, [t for t in tickets if t.get("agent") == a])
            for c in range(3):
                for p in range(4):
                    self.check_group(r, "cell", r.cell_id(0, c, p),
                                     [t for t in tickets if t.get("channel") == c
                                      and t["priority"] == p])
                for a in range(4):
                    self.check_group(r, RollupGroup.CELL, r.cell_id(1, a, c),
                                     [t for t in tickets if t.get("agent") == a
                                      and t.get("channel") == c])
        ids = {ro.cell_id(0, c, p) for c in range(3) for p in range(4)}
        self.assertEqual(len(ids), 12)
        self.assertEqual(sum(ro.result("cell", i).tickets for i in ids),
                         sum(1 for t in tickets if "channel" in t))
        with self.assertRaises(cxm.CapacityError):
            ro.cell_id(0, 3, 0)  # channel 3 of 3
        with self.assertRaises(cxm.InvalidArgumentError):
            ro.cell_id(2, 0, 0)  # no third cross
        used, free = ro.memory()
        self.assertGreater(used, 0)
        self.assertGreaterEqual(free, 0)

        # Counts only: an agent keeps its tickets and solved, and is no group.
        counts = Rollup("zendesk", channels=3, agents=4, agent_counts_only=True)
        counts.add_many(tickets)
        for a in range(4):
            mine = [t for t in tickets if t.get("agent") == a]
            r = counts.agent(a)
            self.assertEqual((r.tickets, r.solved),
                             (len(mine), sum(1 for t in mine if solved_at(t))))
        with self.assertRaises(cxm.InvalidArgumentError):  # no agent groups
            counts.result("agent", 0)
        self.assertLess(sum(counts.memory()), sum(Rollup("zendesk", channels=3, agents=4).memory()))

    def check_group(self, ro, group, gid, sel):
        """Every figure of one group of `ro` against a recount of its tickets `sel`."""
        r = ro.result(group, gid)
        solved = [t for t in sel if solved_at(t)]
        selfs = [t for t in solved if t.get("self_service")]
        assisted = [t for t in solved if not t.get("self_service")]
        ever = [t for t in sel if t.get("first_solved")]
        unresolved = [t for t in sel if t.get("unresolved")]
        self.assertEqual((r.tickets, r.solved, r.open, r.unresolved),
                         (len(sel), len(solved), len(sel) - len(solved) - len(unresolved),
                          len(unresolved)))
        close(self, r.unresolved_share.rate, len(unresolved) / (len(solved) + len(unresolved)))
        moved = [t for t in sel if t.get("transfers")]
        self.assertEqual((r.transferred, r.transfers),
                         (len(moved), sum(t["transfers"] for t in moved)))
        close(self, r.transfer_rate.rate, len(moved) / len(sel))
        closed = solved + unresolved
        close(self, ro.aht(group, gid), sum(t["handle_time"] for t in closed) / len(closed))
        answers = [t["nps"] for t in sel if "nps" in t]
        n = ro.nps(group, gid)
        self.assertEqual((n.kind, n.n), (cxm.NpsKind.TRANSACTIONAL, len(answers)))
        close(self, n.nps, 100.0 * (sum(a >= 9 for a in answers) - sum(a <= 6 for a in answers))
              / len(answers))
        self.assertEqual((r.ever_solved, r.self_service, r.assisted),
                         (len(ever), len(selfs), len(assisted)))
        fcr = [t for t in assisted if t["agent_replies"] < 2 and not t.get("reopens")
               and not t.get("transfers")]
        self.assertEqual((r.fcr.successes, r.fcr.trials), (len(fcr), len(assisted)))
        close(self, r.fcr.rate, len(fcr) / len(assisted))
        reopened = [t for t in ever if t.get("reopens")]
        close(self, r.reopen.rate, len(reopened) / len(ever))
        close(self, r.deflection.rate, len(selfs) / len(solved))
        ttr = [solved_at(t) - t["created"] for t in solved]
        close(self, ro.mttr(group, gid), sum(ttr) / len(ttr))
        tm = ro.time("first_reply", group, gid)
        frt = [t["first_reply"] - t["created"] for t in sel if t.get("first_reply")]
        self.assertEqual(tm.n, len(frt))
        close(self, tm.mean, sum(frt) / len(frt))
        cs = [t["csat"] for t in sel if "csat" in t]
        close(self, ro.csat(group, gid).mean, sum(cs) / len(cs))

    def test_numpy_records(self):
        try:
            import numpy as np
        except ImportError:
            self.skipTest("numpy not installed")
        rng = random.Random(SEED + 15)
        tickets = random_tickets(rng, 200)
        arr = cxm.new_tickets(len(tickets))
        for i, t in enumerate(tickets):
            raw = cxm.rollup.ticket_struct(t)
            arr[i] = np.frombuffer(bytes(raw), dtype=cxm.ticket_dtype())[0]
        a = Rollup("freshdesk", channels=3, agents=4).add_many(arr)
        b = Rollup("freshdesk", channels=3, agents=4).add_many(tickets)
        self.assertEqual(a.to_bytes(), b.to_bytes())
        with self.assertRaises(ValueError):
            Rollup("freshdesk", channels=3, agents=4).add_many(arr[::2])

    def test_live_rollup_equals_a_recount(self):
        """Tickets added open, then replaced by their final records (some
        retracted): every figure equals a new roll-up fed the final records
        once, and SLA targets still running are judged at the read instant."""
        rng = random.Random(SEED + 15)
        pol = SlaPolicy(4)
        for p in range(4):
            pol.set_target(p, SlaMetric.FIRST_REPLY, 3600)
            pol.set_target(p, SlaMetric.TOTAL_RESOLUTION, 86400)
        final = random_tickets(rng, 400)
        live = Rollup("zendesk", channels=3, agents=4, sla_policy=pol, running=1000)
        opened = [dict(created=t["created"], priority=t["priority"],
                       **{k: t[k] for k in ("channel", "agent") if k in t}) for t in final]
        for t in opened:
            live.add(t)
        kept = []
        for t, o in zip(final, opened):
            if rng.random() < 0.1:
                live.retract(o)
            else:
                live.replace(o, t)
                kept.append(t)
        with self.assertRaises(cxm.BadStateError):  # never added: nothing changes
            live.retract(dict(created=1, first_solved=2, priority=0))
        now = live.latest() + 3600
        fresh = Rollup("zendesk", channels=3, agents=4, sla_policy=pol, running=1000)
        fresh.add_many(kept)
        for group, gid in [("overall", 0)] + [("channel", c) for c in range(3)]:
            self.assertEqual(live.result(group, gid), fresh.result(group, gid))
            self.assertEqual(live.csat(group, gid), fresh.csat(group, gid))
            for m in (SlaMetric.FIRST_REPLY, SlaMetric.TOTAL_RESOLUTION):
                self.assertEqual(live.sla(m, group, gid, at=now), fresh.sla(m, group, gid, at=now))
        # A target still running is active before its due instant and missed after it.
        one = Rollup("zendesk", sla_policy=pol, running=10)
        one.add(dict(created=1_900_000_000, priority=0))
        self.assertEqual(one.sla(SlaMetric.FIRST_REPLY, at=1_900_000_000 + 1800).active, 1)
        late = one.sla(SlaMetric.FIRST_REPLY, at=1_900_000_000 + 5400)
        self.assertEqual((late.breached, late.lateness_max), (1, 1800))

    def test_survival_censors_open_tickets(self):
        # Solved after 1 h and 3 h; one ticket open for 10 h at the read instant.
        ro = Rollup("zendesk", open=4)
        ro.add(dict(created=1_900_000_000, first_solved=1_900_003_600))
        ro.add(dict(created=1_900_000_000, first_solved=1_900_010_800))
        ro.add(dict(created=1_900_000_000))
        r, s = ro.survival(1_900_036_000, times=[7200, 4 * 3600])
        self.assertEqual((r.n, r.resolved, r.open), (3, 2, 1))
        close(self, s[0], 2 / 3)
        close(self, s[1], 1 / 3)
        close(self, r.closed_mean, 7200)

    def test_sla_in_the_rollup(self):
        pol = SlaPolicy(4)
        for p in range(4):
            pol.set_target(p, SlaMetric.FIRST_REPLY, 3600)
            pol.set_target(p, SlaMetric.TOTAL_RESOLUTION, 86400)
        ro = Rollup(cxm.FcrProfile.ZENDESK, sla_policy=pol, sla_as_of=2_000_000_000)
        ro.add(dict(created=1_900_000_000, first_reply=1_900_000_100))
        ro.add(dict(created=1_900_000_000, first_reply=1_900_007_200))
        r = ro.sla(SlaMetric.FIRST_REPLY)
        self.assertEqual((r.achieved, r.breached), (1, 1))
        self.assertEqual(r.lateness_max, 3600)
