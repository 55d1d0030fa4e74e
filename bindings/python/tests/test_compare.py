"""The comparisons (is the change real?) against the tests written again in
plain Python: Welch's t, the pooled two-proportion z test with Newcombe's
interval, the sketch's share within a threshold and the distribution-free
median interval."""
import math
import random
import unittest

import cxm

import reference as ref


class CompareTest(unittest.TestCase):
    def same(self, c, want, rel=1e-9):
        for f in ("value_a", "value_b", "diff", "se", "statistic", "p"):
            g, w = getattr(c, f), want[f]
            self.assertTrue(math.isclose(g, w, rel_tol=rel, abs_tol=rel), f"{f}: {g} != {w}")
        self.assertTrue(math.isclose(c.ci.lower, want["ci"][0], rel_tol=rel, abs_tol=rel))
        self.assertTrue(math.isclose(c.ci.upper, want["ci"][1], rel_tol=rel, abs_tol=rel))
        self.assertEqual(bool(c.significant), c.p < 1 - c.ci.level)

    def test_csat_mean_and_share(self):
        rng = random.Random(41)
        for _ in range(10):
            xa = [rng.choice([1, 2, 3, 4, 4, 5, 5]) for _ in range(rng.randrange(2, 200))]
            xb = [rng.randint(1, 5) for _ in range(rng.randrange(2, 200))]
            a, b = cxm.Csat().add_many(bytes(xa)), cxm.Csat().add_many(bytes(xb))
            c = a.compare_mean(b, 0.9)
            self.assertEqual(c.test, cxm.Test.WELCH)
            w = ref.welch(xa, xb, 0.9)
            self.same(c, w, rel=1e-7)
            self.assertTrue(math.isclose(c.df, w["df"], rel_tol=1e-9))
            s = a.compare_satisfied(b)
            self.assertEqual(s.test, cxm.Test.PROPORTIONS)
            self.same(s, ref.two_proportions(sum(x >= 4 for x in xa), len(xa),
                                             sum(x >= 4 for x in xb), len(xb), unit=100.0))

    def test_ces_rate_sla_churn(self):
        rng = random.Random(42)
        xa = [rng.randint(1, 7) for _ in range(150)]
        xb = [rng.randint(2, 7) for _ in range(90)]
        a, b = cxm.Ces().add_many(bytes(xa)), cxm.Ces().add_many(bytes(xb))
        self.same(a.compare_mean(b), ref.welch(xa, xb), rel=1e-7)
        self.same(a.compare_easy(b), ref.two_proportions(sum(x >= 5 for x in xa), 150,
                                                         sum(x >= 5 for x in xb), 90, unit=100.0))
        ra, rb = cxm.Rate("fcr"), cxm.Rate("fcr")
        ra.add_counts(70, 100)
        rb.add_counts(50, 90)
        self.same(ra.compare(rb), ref.two_proportions(70, 100, 50, 90))
        sa, sb = cxm.Sla(), cxm.Sla()
        for acc, ach, br in ((sa, 40, 10), (sb, 30, 20)):
            for _ in range(ach):
                acc.add(1, 0, 1, 0)
            for _ in range(br):
                acc.add(1, 0, 2, 60)
        self.same(sa.compare(sb, 0), ref.two_proportions(40, 50, 30, 50, unit=100.0))
        self.same(sa.compare(sb, 0, priority=1), ref.two_proportions(40, 50, 30, 50, unit=100.0))
        ca, cb = cxm.Churn(1), cxm.Churn(2)
        ca.add_counts(customers_start=200, lost=20, due=50, renewed=45, mrr_start=1)
        cb.add_counts(customers_start=180, lost=30, due=40, renewed=30, mrr_start=1)
        self.same(ca.compare_churn(cb), ref.two_proportions(20, 200, 30, 180))
        self.same(ca.compare_renewal(cb), ref.two_proportions(45, 50, 30, 40))
        with self.assertRaises(cxm.KindMismatchError):
            cxm.Csat().add_many(b"\x01\x02").compare_mean(cxm.Csat((1, 7)).add_many(b"\x01\x02"))
        with self.assertRaises(cxm.EmptyError):
            cxm.Csat().add_many(b"\x01").compare_mean(cxm.Csat().add_many(b"\x01\x02"))
        with self.assertRaises(TypeError):
            cxm.Rate().compare(cxm.Csat())

    def test_duration_share_and_median(self):
        rng = random.Random(43)
        xs = [rng.lognormvariate(7, 1) for _ in range(3000)]
        d = cxm.Duration("first_reply").add_many(xs)
        for thr in (60.0, 600.0, 3600.0, 1e5):
            s = d.share_within(thr)
            exact = sum(x <= thr for x in xs)
            self.assertLessEqual(s.within_low, exact)
            self.assertGreaterEqual(s.within_high, exact)
            self.assertTrue(s.within_low <= s.within <= s.within_high)
            self.assertAlmostEqual(s.share, s.within / len(xs))
            self.assertTrue(s.ci.lower <= s.share <= s.ci.upper)
        # Distribution-free median interval: ranks j - 1 and n - j of the sorted
        # durations, j the largest with P(Binomial(n, 1/2) < j) <= (1 - level) / 2.
        n, level = len(xs), 0.95
        cdf, j = 0.0, 0
        while True:
            nxt = cdf + math.comb(n, j) / 2 ** n
            if nxt > (1 - level) / 2:
                break
            cdf, j = nxt, j + 1
        srt = sorted(xs)
        iv = d.median_interval(level)
        self.assertLessEqual(iv.lower, srt[j - 1])
        self.assertGreaterEqual(iv.upper, srt[n - j])
        self.assertLess(iv.upper - iv.lower, 0.3 * srt[n // 2])
        e = cxm.Duration("first_reply").add_many([x * 2 for x in xs])
        c = e.compare_median(d)
        self.assertTrue(math.isclose(c.diff, c.median_a - c.median_b))
        self.assertEqual(bool(c.significant), not (c.ci.lower <= 0 <= c.ci.upper))
        self.assertTrue(c.significant)
        with self.assertRaises(cxm.KindMismatchError):
            d.compare_median(cxm.Duration("handle").add_many([1.0]))
        self.assertIsNone(cxm.Duration().median_interval())

    def test_rollup_share(self):
        ro = cxm.Rollup("zendesk", channels=2)
        for k in range(40):
            ro.add(dict(created=1_900_000_000, first_reply=1_900_000_000 + 60 * (k + 1),
                        channel=k % 2))
        s = ro.share_within("first_reply", 3600, "channel", 1)
        self.assertEqual(s.n, 20)
        exact = sum(1 for k in range(1, 40, 2) if 60 * (k + 1) <= 3600)
        self.assertTrue(s.within_low <= exact <= s.within_high)
