"""The has_ flags of the C results: the ctypes structs lie as the headers lay
them out, and each flag turns its parts into None when it is 0 and leaves
the library's numbers when it is 1.

Each case reads the same result twice: through the package, and straight
from the C call into the ctypes struct (`c_result`), so the figures a flag
of 1 lets through are compared with the library's own, and a flag of 0 is
checked to be 0 in C too (the case really is one without data)."""
import ctypes as C
import math
import os
import subprocess
import unittest

import cxm
from cxm import _lib as L
from cxm import _structs as S

import reference as ref

DAY = 1_700_000_000


def c_result(fn, acc, struct, *args):
    """(status, struct) of the C call `fn`(acc, args..., &struct)."""
    raw = struct()
    st = getattr(L.lib, fn)(acc._handle(), *args, C.byref(raw))
    return st, raw


class FlagCase(unittest.TestCase):
    def has_value(self, res, raw, flag, *fields):
        """Flag 1 in C: each governed field is the library's number."""
        self.assertEqual(getattr(raw, flag), 1, flag)
        self.assertEqual(getattr(res, flag), 1, flag)
        for f in fields:
            got, want = getattr(res, f), getattr(raw, f)
            if isinstance(want, S.RateResult):
                self.assertEqual(got.rate, want.rate, f)
                got, want = got.ci, want.ci
            if isinstance(want, S.Interval):
                self.assertEqual((got.lower, got.upper, got.level),
                                 (want.lower, want.upper, want.level), f)
            else:
                self.assertEqual(got, want, f)
                self.assertIsNotNone(got, f)

    def no_value(self, res, raw, flag, *fields):
        """Flag 0 in C: each governed field is None (a nested rate: its
        statistics), whatever number the struct holds."""
        self.assertEqual(getattr(raw, flag), 0, flag)
        self.assertEqual(getattr(res, flag), 0, flag)
        for f in fields:
            got = getattr(res, f)
            if isinstance(getattr(raw, f), S.RateResult):
                self.assertIsNone(got.rate, f)
                self.assertIsNone(got.ci, f)
                self.assertEqual(got.trials, getattr(raw, f).trials, f)
            else:
                self.assertIsNone(got, f)


class Layout(unittest.TestCase):
    @unittest.skipUnless(os.environ.get("CXM_STRUCT_LAYOUT"), "CXM_STRUCT_LAYOUT not set")
    def test_ctypes_structs_match_the_headers(self):
        out = subprocess.run([os.environ["CXM_STRUCT_LAYOUT"]], check=True,
                             capture_output=True, text=True).stdout
        mirrored = {v.__name__: v for v in vars(S).values()
                    if isinstance(v, type) and issubclass(v, C.Structure) and
                    v not in (S.Struct, C.Structure)}
        seen = set()
        for line in out.splitlines():
            name, number = line.split()
            struct, _, field = name.partition(".")
            self.assertIn(struct, mirrored, f"{struct} is not mirrored in _structs.py")
            seen.add(struct)
            if field:
                self.assertEqual(getattr(mirrored[struct], field).offset, int(number), name)
            else:
                self.assertEqual(C.sizeof(mirrored[struct]), int(number), name)
        self.assertEqual(seen, set(mirrored), "structs without a layout line")
        for struct in mirrored.values():
            flags = [f for f, _ in struct._fields_ if f.startswith("has_")]
            for f in flags:
                self.assertIn(f"{struct.__name__}.{f} ", out, "flag without an offset line")


class Scales(FlagCase):
    def check(self, cls, struct, fn, lo, hi, good):
        one = cls().add_many(b"\x04")
        res = one.result()
        st, raw = c_result(fn, one, struct, 0.0)
        self.assertEqual(st, 0)
        self.no_value(res, raw, "has_sd", "sd", "mean_ci")
        self.assertEqual(res.mean, 4.0)  # the mean of one answer is a figure
        two = cls().add_many(b"\x01\x05")
        res = two.result()
        st, raw = c_result(fn, two, struct, 0.0)
        self.has_value(res, raw, "has_sd", "sd", "mean_ci")
        w = ref.scale_stats([1, 5], lo, hi, lambda s: s >= good)
        self.assertTrue(math.isclose(res.sd, w["sd"], rel_tol=1e-12))
        self.assertTrue(math.isclose(res.sd, math.sqrt(8), rel_tol=1e-12))

    def test_csat_sd(self):
        self.check(cxm.Csat, S.CsatResult, "cxm_csat_result_get", 1, 5, 4)

    def test_ces_sd(self):
        self.check(cxm.Ces, S.CesResult, "cxm_ces_result_get", 1, 7, 5)


class Durations(FlagCase):
    def test_duration_sd(self):
        one = cxm.Duration("handle").add_many([60.0])
        st, raw = c_result("cxm_duration_result_get", one, S.DurationResult, 0.0)
        res = one.result()
        self.no_value(res, raw, "has_sd", "sd", "mean_ci")
        self.assertEqual((res.mean, res.min, res.max), (60.0, 60.0, 60.0))
        two = cxm.Duration("handle").add_many([60.0, 120.0])
        st, raw = c_result("cxm_duration_result_get", two, S.DurationResult, 0.0)
        res = two.result()
        self.has_value(res, raw, "has_sd", "sd", "mean_ci")
        self.assertTrue(math.isclose(res.sd, math.sqrt(1800), rel_tol=1e-12))

    def test_survival_closed_and_oldest_open(self):
        opened = cxm.Survival()
        opened.add(7200, "open")
        st, raw = c_result("cxm_survival_result_get", opened, S.SurvivalResult, 0.0)
        res = opened.result()
        self.no_value(res, raw, "has_closed", "closed_mean", "closed_median")
        self.has_value(res, raw, "has_oldest_open", "oldest_open")
        self.assertEqual(res.oldest_open, 7200.0)
        solved = cxm.Survival()
        solved.add(600)
        solved.add(1800)
        st, raw = c_result("cxm_survival_result_get", solved, S.SurvivalResult, 0.0)
        res = solved.result()
        self.has_value(res, raw, "has_closed", "closed_mean", "closed_median")
        self.no_value(res, raw, "has_oldest_open", "oldest_open")
        self.assertEqual(res.closed_mean, 1200.0)

    def test_median_comparison_sides(self):
        some = cxm.Duration().add_many([60.0, 90.0, 120.0])
        for a, b, flag, other in ((cxm.Duration(), some, "has_a", "has_b"),
                                  (some, cxm.Duration(), "has_b", "has_a")):
            with self.assertRaises(cxm.EmptyError) as e:
                a.compare_median(b)
            st, raw = c_result("cxm_duration_compare_median", a, S.DurationMedianComparison,
                               C.c_void_p(b._handle()), C.c_double(0.95))
            self.assertEqual(st, 5)
            res = e.exception.result
            side, o = flag[-1], other[-1]
            self.no_value(res, raw, flag, f"median_{side}", f"ci_{side}")
            self.has_value(res, raw, other, f"median_{o}", f"ci_{o}")
            self.assertIsNone(res.diff)
            self.assertIsNone(res.ci)
        res = some.compare_median(cxm.Duration().add_many([30.0, 40.0]))
        self.assertEqual((res.has_a, res.has_b), (1, 1))
        self.assertTrue(math.isclose(res.diff, res.median_a - res.median_b))


class Rollup(FlagCase):
    def test_rates_of_a_group(self):
        ro = cxm.Rollup("zendesk")
        ro.add(dict(created=DAY, first_reply=DAY + 600, agent_replies=1))  # still open
        st, raw = c_result("cxm_rollup_result_get", ro, S.RollupResult, 0, 0, 0.0)
        res = ro.result()
        self.assertEqual(st, 0)  # an OK result with parts without data
        self.assertEqual(res.tickets, 1)
        for flag in ("fcr", "reopen", "deflection"):
            self.no_value(res, raw, f"has_{flag}", flag)
        ro.add(dict(created=DAY, first_reply=DAY + 600, first_solved=DAY + 3600,
                    agent_replies=1))
        st, raw = c_result("cxm_rollup_result_get", ro, S.RollupResult, 0, 0, 0.0)
        res = ro.result()
        for flag in ("fcr", "reopen", "deflection"):
            self.has_value(res, raw, f"has_{flag}", flag)
        self.assertEqual((res.fcr.rate, res.reopen.rate, res.deflection.rate), (1.0, 0.0, 0.0))

    def test_time_sd(self):
        ro = cxm.Rollup("zendesk")
        ro.add(dict(created=DAY, first_reply=DAY + 60))
        st, raw = c_result("cxm_rollup_time_get", ro, S.RollupTimeResult, 0, 0, 0)
        res = ro.time("first_reply")
        self.no_value(res, raw, "has_sd", "sd")
        self.assertEqual(res.mean, 60.0)
        ro.add(dict(created=DAY, first_reply=DAY + 180))
        st, raw = c_result("cxm_rollup_time_get", ro, S.RollupTimeResult, 0, 0, 0)
        res = ro.time("first_reply")
        self.has_value(res, raw, "has_sd", "sd")
        self.assertTrue(math.isclose(res.sd, math.sqrt(7200), rel_tol=1e-12))


class Sla(FlagCase):
    ALL = 0xFFFFFFFF

    def get(self, sla):
        st, raw = c_result("cxm_sla_result_get", sla, S.SlaResult, self.ALL, 0, 0.0)
        return sla.result(0), raw

    def test_compliance_and_lateness(self):
        sla = cxm.Sla()
        sla.add(0, 0, cxm.SlaOutcomeKind.RUNNING, 0)  # no target has ended
        res, raw = self.get(sla)
        self.assertEqual(res.active, 1)
        self.no_value(res, raw, "has_compliance", "compliance_pct", "ci")
        self.no_value(res, raw, "has_lateness", "lateness_mean", "lateness_max")
        sla.add(0, 0, cxm.SlaOutcomeKind.ACHIEVED, 0)  # compliance, nothing late
        res, raw = self.get(sla)
        self.has_value(res, raw, "has_compliance", "compliance_pct", "ci")
        self.no_value(res, raw, "has_lateness", "lateness_mean", "lateness_max")
        self.assertEqual(res.compliance_pct, 100.0)
        sla.add(1, 0, cxm.SlaOutcomeKind.BREACHED, 90)
        sla.add(1, 0, cxm.SlaOutcomeKind.BREACHED, 30)
        res, raw = self.get(sla)
        self.has_value(res, raw, "has_compliance", "compliance_pct", "ci")
        self.has_value(res, raw, "has_lateness", "lateness_mean", "lateness_max")
        self.assertEqual((res.lateness_mean, res.lateness_max), (60.0, 90.0))
        lo, hi = ref.wilson(1, 3)
        self.assertTrue(math.isclose(res.ci.lower, 100 * lo, rel_tol=1e-9))
        self.assertTrue(math.isclose(res.ci.upper, 100 * hi, rel_tol=1e-9))

    def test_breach_instant_of_a_clock(self):
        clock = cxm.SlaClock(3600)
        st, raw = c_result("cxm_sla_clock_status_get", clock, S.SlaClockStatus, DAY)
        self.no_value(clock.status(DAY), raw, "has_breach_at", "breach_at")
        clock.activate(DAY)
        st, raw = c_result("cxm_sla_clock_status_get", clock, S.SlaClockStatus, DAY + 60)
        res = clock.status(DAY + 60)
        self.has_value(res, raw, "has_breach_at", "breach_at")
        self.assertEqual(res.breach_at, DAY + 3600)


class Nps(FlagCase):
    def test_gap_sides(self):
        theirs_only = cxm.NpsPanel(2)
        theirs_only.add(7, 10)
        theirs_only.add(7, 3)
        st, raw = c_result("cxm_nps_panel_gap", theirs_only, S.NpsGap, 0, 0.0, 0)
        self.assertEqual(st, 5)
        res = theirs_only.gap(0)
        self.no_value(res, raw, "has_ours", "nps_ours")
        self.has_value(res, raw, "has_theirs", "nps_theirs")
        self.assertEqual(res.nps_theirs, 0.0)  # one promoter, one detractor: a real 0
        self.assertIsNone(res.gap)
        # A competitor exists in a panel only once it has an answer, so the
        # library never reports has_theirs 0; the same struct with the sides
        # swapped checks the mapping of that flag.
        raw.has_ours, raw.has_theirs = 1, 0
        raw.nps_ours, raw.nps_theirs = raw.nps_theirs, 0.0
        res = cxm._types.convert(cxm.NpsGap, raw, empty=True)
        self.no_value(res, raw, "has_theirs", "nps_theirs")
        self.has_value(res, raw, "has_ours", "nps_ours")
        both = cxm.NpsPanel(2)
        for brand, score in ((0, 10), (0, 9), (7, 8), (7, 0)):
            both.add(brand, score)
        st, raw = c_result("cxm_nps_panel_gap", both, S.NpsGap, 0, 0.0, 0)
        res = both.gap(0)
        self.has_value(res, raw, "has_ours", "nps_ours")
        self.has_value(res, raw, "has_theirs", "nps_theirs")
        self.assertEqual((res.nps_ours, res.nps_theirs), (100.0, -50.0))
        self.assertEqual(res.gap, 150.0)


class Comparisons(FlagCase):
    def test_sides_of_a_comparison(self):
        some = cxm.Csat().add_many(b"\x01\x02\x05")
        for a, b, flag, other in ((cxm.Csat(), some, "has_a", "has_b"),
                                  (some, cxm.Csat(), "has_b", "has_a")):
            for method, fn in (("compare_mean", "cxm_csat_compare_mean"),
                               ("compare_satisfied", "cxm_csat_compare_satisfied")):
                with self.assertRaises(cxm.EmptyError) as e:
                    getattr(a, method)(b)
                st, raw = c_result(fn, a, S.Comparison, C.c_void_p(b._handle()),
                                   C.c_double(0.95))
                self.assertEqual(st, 5)
                res = e.exception.result
                self.no_value(res, raw, flag, f"value_{flag[-1]}")
                self.has_value(res, raw, other, f"value_{other[-1]}")
                for f in ("diff", "se", "statistic", "df", "p", "ci"):
                    self.assertIsNone(getattr(res, f), f)
        self.assertTrue(math.isclose(e.exception.result.value_a, 100 / 3))
        res = some.compare_mean(cxm.Csat().add_many(b"\x04\x05"))
        self.assertEqual((res.has_a, res.has_b), (1, 1))
        self.assertTrue(math.isclose(res.value_a, 8 / 3, rel_tol=1e-12))
        self.assertEqual(res.value_b, 4.5)

    def test_a_single_answer_has_a_figure_and_no_test(self):
        # Welch's t needs two answers a side: one answer is a figure, no test.
        with self.assertRaises(cxm.EmptyError) as e:
            cxm.Csat().add_many(b"\x01").compare_mean(cxm.Csat().add_many(b"\x01\x02"))
        res = e.exception.result
        self.assertEqual((res.has_a, res.has_b, res.value_a, res.value_b), (1, 1, 1.0, 1.5))
        self.assertIsNone(res.p)

    def test_other_errors_carry_no_result(self):
        with self.assertRaises(cxm.KindMismatchError) as e:
            cxm.Csat().add_many(b"\x01\x02").compare_mean(cxm.Csat((1, 7)).add_many(b"\x01\x02"))
        self.assertIsNone(e.exception.result)


if __name__ == "__main__":
    unittest.main()
