"""What the package promises beyond the formulas: kinds never blend, refused
input changes nothing, buffers are read in place, objects are freed exactly
once, encodings travel between Python and C, threads are safe."""
import array
import copy
import ctypes as C
import datetime as dt
import gc
import os
import pickle
import random
import threading
import tracemalloc
import unittest

import cxm
from cxm import NpsKind

try:
    import numpy as np
except ImportError:  # the package and these tests work without numpy
    np = None


def _ticket():
    return dict(created=1_800_000_000, first_reply=1_800_000_060, first_solved=1_800_000_600,
                agent_replies=1, channel=0, csat=4)


def samples():
    """One non-empty object of every encodable class."""
    cal = cxm.Calendar().add_hours(range(5), 9 * 3600, 17 * 3600)
    cal.add_holiday(dt.date(2026, 12, 25))
    pol = cxm.SlaPolicy().set_target(0, 0, 3600)
    ro = cxm.Rollup("zendesk", channels=2)
    ro.add(_ticket())
    sla = cxm.Sla()
    sla.add(0, 0, 2, 30)
    ch = cxm.Churn(1)
    ch.add(flags=3, mrr_start=100, mrr_end=150)
    panel = cxm.NpsPanel(2)
    panel.add(0, 9)
    panel.add(4, 3)
    surv = cxm.Survival()
    surv.add(100)
    return [cxm.Nps(NpsKind.RELATIONAL).add_many(b"\x09\x0a\x03"), panel,
            cxm.Csat().add_many(b"\x01\x05"), cxm.Ces().add_many(b"\x07\x02"),
            cxm.Duration().add_many([1.5, 2.5]), surv, cxm.Rate().add_many(b"\x00\x01\x01"),
            cal, pol, sla, ch, ro]


class KindsNeverBlend(unittest.TestCase):
    def test_nps_kinds(self):
        accs = {k: cxm.Nps(k).add_many(bytes([9, 10, 3])) for k in NpsKind}
        for a in NpsKind:
            for b in NpsKind:
                if a == b:
                    continue
                before = accs[a].to_bytes()
                with self.assertRaises(cxm.KindMismatchError) as e:
                    accs[a].merge(accs[b])
                self.assertEqual(e.exception.status, 4)
                with self.assertRaises(cxm.KindMismatchError):
                    accs[a] += accs[b]
                with self.assertRaises(cxm.KindMismatchError):
                    accs[a] + accs[b]
                with self.assertRaises(cxm.KindMismatchError):
                    accs[a].compare(accs[b])
                self.assertEqual(accs[a].to_bytes(), before)
                self.assertEqual(accs[a].kind, a)

    def test_brands(self):
        a = cxm.Nps(NpsKind.COMPETITIVE, brand=1).add_many(b"\x09")
        b = cxm.Nps(NpsKind.COMPETITIVE, brand=2).add_many(b"\x03")
        with self.assertRaises(cxm.BrandMismatchError):
            a.merge(b)
        self.assertEqual(a.compare(b).diff, 200.0)  # comparing brands is what they are for
        with self.assertRaises(cxm.InvalidArgumentError):
            cxm.Nps(NpsKind.RELATIONAL, brand=3)

    def test_other_configurations(self):
        pairs = [(cxm.Csat(), cxm.Csat((1, 7))), (cxm.Ces(), cxm.Ces(direction="higher_is_effort")),
                 (cxm.Rate("fcr"), cxm.Rate("fcr", definition=2)), (cxm.Rate("fcr"), cxm.Rate()),
                 (cxm.Duration("resolution"), cxm.Duration("handle")),
                 (cxm.Churn(1), cxm.Churn(2)), (cxm.Sla(4), cxm.Sla(3)),
                 (cxm.Rollup("zendesk"), cxm.Rollup("freshdesk"))]
        for a, b in pairs:
            before = a.to_bytes()
            with self.assertRaises(cxm.KindMismatchError, msg=type(a).__name__):
                a.merge(b)
            self.assertEqual(a.to_bytes(), before)
        with self.assertRaises(TypeError):
            cxm.Nps().merge(cxm.Csat())


class RefusedInputChangesNothing(unittest.TestCase):
    def check(self, obj, calls):
        for call, exc in calls:
            before = obj.to_bytes()
            with self.assertRaises(exc, msg=repr(call)):
                call()
            self.assertEqual(obj.to_bytes(), before, repr(call))

    def test_every_family(self):
        nps, panel, csat, ces, dur, surv, rate, cal, pol, sla, ch, ro = samples()
        E = cxm
        self.check(nps, [(lambda: nps.add(11), E.OutOfRangeError),
                         (lambda: nps.add(-1), E.OutOfRangeError),
                         (lambda: nps.add(2**32 + 9), E.OutOfRangeError),
                         (lambda: nps.add(9.0), TypeError),
                         (lambda: nps.add(9, weight=0), E.OutOfRangeError),
                         (lambda: nps.add_many(bytes([1, 2, 11, 3])), E.OutOfRangeError),
                         (lambda: nps.add_many([1, 2, 300]), E.OutOfRangeError),
                         (lambda: nps.add_many(b"\x01\x02", [1.0]), ValueError),
                         (lambda: nps.add_many(b"\x01\x02", [1.0, float("nan")]),
                          E.OutOfRangeError),
                         (lambda: nps.result(level=1.5), E.OutOfRangeError)])
        try:
            nps.add_many(bytes([9, 9, 12, 9]))
        except cxm.OutOfRangeError as e:
            self.assertEqual(e.bad_index, 2)
            self.assertIn("index 2", str(e))
        self.check(panel, [(lambda: panel.add(1, 11), E.OutOfRangeError),
                           (lambda: panel.add(-1, 9), E.OutOfRangeError),
                           (lambda: panel.add_many(array.array("I", [4, 8, 9]), b"\x01\x02\x03"),
                            E.CapacityError)])
        self.check(csat, [(lambda: csat.add(6), E.OutOfRangeError),
                          (lambda: csat.add_many(b"\x01\x00"), E.OutOfRangeError),
                          (lambda: csat.count(9), E.OutOfRangeError)])
        self.check(ces, [(lambda: ces.add(8), E.OutOfRangeError),
                         (lambda: ces.add(0), E.OutOfRangeError)])
        self.check(dur, [(lambda: dur.add(-1), E.OutOfRangeError),
                         (lambda: dur.add(float("nan")), E.OutOfRangeError),
                         (lambda: dur.add(float("inf")), E.OutOfRangeError),
                         (lambda: dur.add_between(10, 5), E.BadOrderError),
                         (lambda: dur.add_many([1.0, -2.0]), E.OutOfRangeError),
                         (lambda: dur.quantile(1.5), E.OutOfRangeError)])
        self.check(surv, [(lambda: surv.add(1, 3), E.OutOfRangeError),
                          (lambda: surv.add(-1), E.OutOfRangeError),
                          (lambda: surv.add_many([1.0, 2.0], b"\x01\x05"), E.OutOfRangeError)])
        self.check(rate, [(lambda: rate.add(2), E.OutOfRangeError),
                          (lambda: rate.add_counts(3, 2), E.OutOfRangeError),
                          (lambda: rate.add_many(b"\x00\x02"), E.OutOfRangeError)])
        self.check(cal, [(lambda: cal.add_interval(7, 0, 10), E.OutOfRangeError),
                         (lambda: cal.add_interval(0, 10 * 3600, 11 * 3600), E.OutOfRangeError),
                         (lambda: cal.add_holiday(2026, 2, 30), E.OutOfRangeError),
                         (lambda: cal.business_seconds(10, 5), E.BadOrderError)])
        self.check(pol, [(lambda: pol.set_target(9, 0, 60), E.CapacityError),
                         (lambda: pol.set_target(0, 9, 60), E.OutOfRangeError),
                         (lambda: pol.set_target(0, 0, 0), E.OutOfRangeError)])
        self.check(sla, [(lambda: sla.add(0, 0, 1, 5), E.OutOfRangeError),
                         (lambda: sla.add(7, 0, 1, 0), E.CapacityError),
                         (lambda: sla.add(0, 0, 2, 0), E.OutOfRangeError)])
        self.check(ch, [(lambda: ch.add(flags=0), E.OutOfRangeError),
                        (lambda: ch.add(flags=1, mrr_start=-5), E.OutOfRangeError),
                        (lambda: ch.add(flags=64), E.OutOfRangeError),
                        (lambda: ch.add_many([cxm.Customer(1, 5), cxm.Customer(2, 5)]),
                         E.OutOfRangeError)])
        bad_ticket = dict(_ticket(), first_reply=1_700_000_000)
        with self.assertRaises(cxm.BadOrderError) as e:
            ro.add(bad_ticket)
        self.assertEqual(e.exception.bad_field, "first_reply")
        self.check(ro, [(lambda: ro.add(bad_ticket), E.BadOrderError),
                        (lambda: ro.add(dict(_ticket(), channel=5)), E.CapacityError),
                        (lambda: ro.add(dict(_ticket(), csat=9)), E.OutOfRangeError),
                        (lambda: ro.add_many([_ticket(), bad_ticket]), E.BadOrderError),
                        (lambda: ro.add(dict(_ticket(), colour="red")), TypeError)])
        try:
            ro.add_many([_ticket(), _ticket(), dict(_ticket(), channel=9)])
        except cxm.CapacityError as e:
            self.assertEqual((e.bad_index, e.bad_field), (2, "channel"))

    def test_rollup_memory_budget(self):
        # The ticket's three times go to three groups (overall, channel, priority): nine
        # sketches, a page each; a budget of 2 pages refuses it whole.
        small = cxm.Rollup("zendesk", channels=1, priorities=1, memory_budget=2 * 68)
        used, free = small.memory()
        self.assertEqual(free, 2 * 64)
        self.check(small, [(lambda: small.add(_ticket()), cxm.CapacityError)])
        self.assertEqual(small.memory(), (used, free))
        big = cxm.Rollup("zendesk", channels=1, priorities=1)
        empty = big.memory()
        big.add(_ticket())
        u2, f2 = big.memory()
        self.assertGreater(u2, empty[0])
        self.assertEqual(u2 + f2, sum(empty))

    def test_clock(self):
        # A clock has no encoding: its status at a fixed instant stands for its state.
        c = cxm.SlaClock(3600).activate(1000).pause(2000)
        before = c.status(5000)
        for call, exc in ((lambda: c.pause(3000), cxm.BadStateError),
                          (lambda: c.resume(1500), cxm.BadOrderError),
                          (lambda: c.activate(4000), cxm.BadStateError),
                          (lambda: c.resume(2**70), cxm.OutOfRangeError),
                          (lambda: c.fulfil(cxm.sla.calendar_max_time + 1), cxm.OutOfRangeError)):
            with self.assertRaises(exc):
                call()
            self.assertEqual(c.status(5000), before)
        with self.assertRaises(cxm.OutOfRangeError):
            cxm.SlaClock(0)

    def test_corrupt_bytes(self):
        for obj in samples():
            data = bytearray(obj.to_bytes())
            cls = type(obj)
            for i in (0, len(data) // 2, len(data) - 1):
                bad = bytearray(data)
                bad[i] ^= 0x40
                with self.assertRaises(cxm.CxmError):
                    cls.from_bytes(bytes(bad))
            with self.assertRaises(cxm.CxmError):
                cls.from_bytes(bytes(data[:-3]))
        with self.assertRaises(cxm.WrongTypeError):
            cxm.Csat.from_bytes(cxm.Nps().to_bytes())


class BadArgumentsSayWhat(unittest.TestCase):
    def test_an_unknown_name_is_a_value_error_listing_the_names(self):
        # Each call that takes a name for an enumeration: a misspelt name used to escape as a
        # bare KeyError of the upper-cased name.
        ro = cxm.Rollup("zendesk", channels=2)
        ro.add(_ticket())
        calls = {
            "kind": lambda: cxm.Nps("relationl"),
            "direction": lambda: cxm.Ces((1, 7), 5, "ease"),
            "use": lambda: cxm.Rate("first_contact"),
            "metric": lambda: cxm.Duration("mttr"),
            "state": lambda: cxm.Survival().add(10, "closed"),
            "fcr_profile": lambda: cxm.Rollup("zendeks"),
            "group": lambda: ro.result("chanel", 0),
            "width": lambda: cxm.Series(cxm.Nps(), "fortnight", buckets=2, start=0),
            "weekday": lambda: cxm.Calendar().add_interval("funday", 0, 3600),
            "mode": lambda: cxm.SlaPolicy().set_target(0, 0, 3600, "wall"),
            "outcome": lambda: cxm.Sla().add(0, 0, "late"),
        }
        for what, call in calls.items():
            with self.subTest(what), self.assertRaises(ValueError) as e:
                call()
            self.assertIn(f"{what}: no ", str(e.exception))
            self.assertIn("one of '", str(e.exception))
        # names keep working in any case, with '-' for '_'
        self.assertEqual(cxm.Rate("SLA-achievement").result().use, cxm.RateUse.SLA_ACHIEVEMENT)
        self.assertEqual(cxm.Nps("Relational").kind, NpsKind.RELATIONAL)

    def test_numbers_are_never_truncated_or_parsed(self):
        # int() used to make 4.5 a 4 and '4' a 4; float() made '5' five seconds.
        ro = cxm.Rollup("zendesk", channels=2)
        before = ro.to_bytes()
        bad = {"csat": (4.5, ValueError), "channel": ("1", TypeError),
               "created": ("2024-03-04 09:00", TypeError), "nps": (float("nan"), ValueError)}
        for field, (value, error) in bad.items():
            with self.subTest(field), self.assertRaisesRegex(error, f"^{field}: "):
                ro.add(dict(_ticket(), **{field: value}))
        self.assertEqual(ro.to_bytes(), before)
        with self.assertRaises(TypeError):
            cxm.Duration().add("5")
        with self.assertRaises(ValueError):
            cxm.Csat((1, 5), 4.5)
        ro.add(dict(_ticket(), csat=4.0, channel=True))  # a whole float, a bool: the numbers they are
        self.assertEqual(ro.csat().mean, 4.0)

    def test_a_median_not_reached_is_none_in_the_rollup_too(self):
        # Rollup.survival returned the struct's 0 for a Kaplan-Meier median not reached (every
        # ticket still open), where Survival.result already said None.
        ro = cxm.Rollup("zendesk", agents=2, open=10)
        ro.add(dict(created=1_800_000_000, agent=1))
        s = cxm.Survival()
        s.add(3600, "open")
        for r in (ro.survival(1_800_003_600, "agent", 1)[0], s.result()):
            self.assertEqual(r.median_reached, 0)
            self.assertIsNone(r.median)
            self.assertEqual((r.median_ci.lower, r.median_ci.upper), (None, None))

    def test_maturity_answers_in_a_list_name_what_is_expected(self):
        with self.assertRaisesRegex(TypeError, "a dict of the seven attributes .*not a list"):
            cxm.maturity_score([1, 1, 0, 1, 0, 1, 1])

    def test_a_score_that_is_not_an_int_names_its_type(self):
        # The scalar adds' fast path used to let `9.5 >> 31` escape as "unsupported operand".
        for acc in (cxm.Nps(), cxm.Csat(), cxm.Ces()):
            for score in (9.5, "9", None):
                with self.subTest(type(acc).__name__, score=score):
                    before = acc.to_bytes()
                    with self.assertRaisesRegex(TypeError, "a score is an int, not "):
                        acc.add(score)
                    self.assertEqual(acc.to_bytes(), before)


class BuffersInPlace(unittest.TestCase):
    def test_every_buffer_kind(self):
        data = bytes(random.Random(1).randrange(11) for _ in range(1000))
        want = cxm.Nps().add_many(data).to_bytes()
        for buf in (data, bytearray(data), array.array("B", data), memoryview(data),
                    memoryview(bytearray(data)), list(data), tuple(data)):
            self.assertEqual(cxm.Nps().add_many(buf).to_bytes(), want, type(buf))
        half = cxm.Nps().add_many(memoryview(data)[100:600])
        self.assertEqual(half.result().n, 500)

    def test_wrong_types_are_refused_not_converted(self):
        with self.assertRaises(TypeError) as e:
            cxm.Nps().add_many(array.array("i", [1, 2]))
        self.assertIn("uint8", str(e.exception))
        with self.assertRaises(TypeError):
            cxm.Duration().add_many(array.array("f", [1.0]))
        with self.assertRaises(ValueError):
            cxm.Nps().add_many(memoryview(b"\x01\x02\x03\x04")[::2])

    def test_no_copy_of_a_large_batch(self):
        data = bytes(10**7)
        tracemalloc.start()
        try:
            cxm.Nps().add_many(data)
            cxm.Nps().add_many(memoryview(data)[1:])
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        self.assertLess(peak, 200_000, "a 10 MB batch must be read in place")

    @unittest.skipIf(np is None, "numpy not installed")
    def test_numpy(self):
        a = np.random.default_rng(5).integers(0, 11, 10**5, dtype=np.uint8)
        n = cxm.Nps().add_many(a)
        self.assertEqual(n.result().n, a.size)
        self.assertAlmostEqual(n.result().nps,
                               100 * (np.count_nonzero(a >= 9) - np.count_nonzero(a <= 6)) / a.size)
        with self.assertRaises(TypeError) as e:
            cxm.Nps().add_many(a.astype(np.int64))
        self.assertIn("int64", str(e.exception))
        with self.assertRaises(ValueError):
            cxm.Nps().add_many(a[::3])
        with self.assertRaises(ValueError):
            cxm.Nps().add_many(a[:100].reshape(10, 10)[:, :5])
        d = np.linspace(1, 100, 1000)
        self.assertEqual(cxm.Duration().add_many(d).result().n, 1000)
        with self.assertRaises(TypeError):
            cxm.Duration().add_many(d.astype(np.float32))
        tracemalloc.start()
        try:
            big = np.zeros(10**7, dtype=np.uint8)
            tracemalloc.reset_peak()
            base, _ = tracemalloc.get_traced_memory()
            cxm.Nps().add_many(big)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        self.assertLess(peak - base, 200_000)


class Lifetime(unittest.TestCase):
    def test_close_twice_and_use_after_close(self):
        n = cxm.Nps()
        n.close()
        n.close()
        with self.assertRaises(cxm.ClosedError):
            n.add(9)
        with self.assertRaises(cxm.ClosedError):
            n.add_many(b"\x09")
        with self.assertRaises(cxm.ClosedError):
            n.result()
        with self.assertRaises(cxm.ClosedError):
            cxm.Nps().merge(n)
        with cxm.Csat() as c:
            c.add(5)
        self.assertTrue(c.closed)
        with self.assertRaises(cxm.ClosedError):
            c.add(5)
        del c
        gc.collect()

    def test_pickle_copy_and_equality(self):
        for obj in samples():
            back = pickle.loads(pickle.dumps(obj))
            self.assertIsNot(back, obj)
            self.assertEqual(back.to_bytes(), obj.to_bytes())
            self.assertEqual(back, obj)
            self.assertEqual(copy.deepcopy(obj).to_bytes(), obj.to_bytes())
            self.assertIs(cxm.from_bytes(obj.to_bytes()).__class__, type(obj))
        r = samples()[0].result()
        self.assertEqual(pickle.loads(pickle.dumps(r)), r)
        with self.assertRaises(Exception):
            r.nps = 3  # frozen

    def test_no_leak_over_many_cycles(self):
        libc = C.CDLL(None)
        has_mallinfo2 = hasattr(libc, "mallinfo2")

        class MallInfo2(C.Structure):
            _fields_ = [(f, C.c_size_t) for f in (
                "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
                "uordblks", "fordblks", "keepcost")]
        if has_mallinfo2:
            libc.mallinfo2.restype = MallInfo2

        def c_heap():
            return libc.mallinfo2().uordblks if has_mallinfo2 else 0

        def rss():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

        def cycle(i):
            with cxm.Nps() as a:
                a.add(i % 11)
                a.to_bytes()
            b = cxm.Duration()
            b.add(1.0)
            del b  # freed by the finaliser
            if i % 10 == 0:
                r = cxm.Rollup("zendesk", channels=1)
                r.add(_ticket())
                r.close()

        for i in range(2000):
            cycle(i)
        gc.collect()
        tracemalloc.start()
        heap0, rss0 = c_heap(), rss()
        snap0 = tracemalloc.take_snapshot()
        for i in range(100_000):
            cycle(i)
        gc.collect()
        snap1 = tracemalloc.take_snapshot()
        heap1, rss1 = c_heap(), rss()
        tracemalloc.stop()
        grown = sum(s.size_diff for s in snap1.compare_to(snap0, "filename"))
        self.assertLess(grown, 64 * 1024, "Python objects left behind")
        if has_mallinfo2:
            # The C heap in use (the library's objects come from malloc).
            self.assertLess(heap1 - heap0, 256 * 1024, "C memory left behind")
        self.assertLess(rss1 - rss0, 8 << 20, "resident memory grew")


class Threads(unittest.TestCase):
    def test_each_thread_its_own_objects(self):
        rng = random.Random(3)
        chunks = [bytes(rng.randrange(11) for _ in range(5000)) for _ in range(8)]
        results = [None] * len(chunks)
        errors = []

        def work(i):
            try:
                n = cxm.Nps()
                d = cxm.Duration()
                for k in range(0, len(chunks[i]), 100):
                    n.add_many(chunks[i][k:k + 100])
                for s in chunks[i][:1000]:
                    n.add(s)
                    d.add(float(s))
                results[i] = (n.to_bytes(), d.to_bytes())
            except Exception as e:  # reported by the main thread
                errors.append(e)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(chunks))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        total = cxm.Nps()
        for i, c in enumerate(chunks):
            one = cxm.Nps().add_many(c).add_many(c[:1000])
            self.assertEqual(results[i][0], one.to_bytes())
            total += cxm.Nps.from_bytes(results[i][0])
        self.assertEqual(total.result().n, sum(len(c) + 1000 for c in chunks))


class Vectors(unittest.TestCase):
    """Encodings cross between C and Python in both directions."""

    DIR = os.environ.get("CXM_VECTORS")

    @staticmethod
    def read_hex(path):
        with open(path) as f:
            return bytes.fromhex(f.read())

    @staticmethod
    def read_summary(path):
        vals, status = [], None
        with open(path) as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                if line.startswith("status "):
                    status = int(line.split()[1])
                elif not line.startswith("values "):
                    vals.append(float(line))
        return status, vals

    def setUp(self):
        if not self.DIR:
            self.skipTest("CXM_VECTORS not set")

    def test_c_encodings_decode_in_python(self):
        # refused/ holds forged states every decoder must refuse (tests/test_forged.c).
        paths = sorted(os.path.join(d, n) for d, _, ns in os.walk(self.DIR) for n in ns
                       if n.endswith(".hex") and os.path.basename(d) != "refused")
        self.assertGreater(len(paths), 10)
        for path in paths:
            name = os.path.basename(path)
            data = self.read_hex(path)
            obj = cxm.from_bytes(data)
            fam, ver = cxm.encoded_info(data)
            self.assertEqual(f"_v{ver}.hex", name[name.rindex("_v"):])
            current = cxm.encoded_info(obj.to_bytes())[1]
            if ver == current:
                self.assertEqual(obj.to_bytes(), data, name)  # canonical: same bytes back
            else:
                self.assertLess(ver, current, name)  # an older format, read and upgraded
            summary = path[:-4] + ".summary"
            if not os.path.exists(summary):
                continue
            _, want = self.read_summary(summary)
            got = python_summary(obj)
            if got is not None:
                self.assertEqual(len(got), len(want), name)
                for g, w in zip(got, want):
                    self.assertTrue(abs(g - w) <= 1e-12 * max(1, abs(w)), f"{name}: {g} != {w}")

    def test_python_encodings_decode_in_c(self):
        exe = os.environ.get("CXM_TEST_VECTORS")
        if not exe:
            self.skipTest("CXM_TEST_VECTORS (the C vectors test) not set")
        import shutil
        import subprocess
        import tempfile
        import reference as ref
        rng = random.Random(11)
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(self.DIR, tmp, dirs_exist_ok=True)
            scores = [rng.randrange(11) for _ in range(321)]
            nps = cxm.Nps(NpsKind.TRANSACTIONAL).add_many(bytes(scores))
            vals = []
            for method in (0, 1):
                w = ref.nps(scores, method=method)
                vals += [2, 0, w["n"], w["promoters"], w["passives"], w["detractors"],
                         w["weight_total"], w["n_effective"], w["promoter_pct"], w["passive_pct"],
                         w["detractor_pct"], w["nps"], w["se"], w["ci"][0], w["ci"][1]]
            self.write(tmp, "py_nps", nps, vals)
            xs = [rng.random() < 0.4 for _ in range(97)]
            rate = cxm.Rate("deflection", 3).add_many(bytes(xs))
            lo, hi = ref.wilson(sum(xs), len(xs))
            self.write(tmp, "py_rate", rate, [6, 3, sum(xs), len(xs), len(xs) - sum(xs),
                                              sum(xs) / len(xs), lo, hi, 0.95])
            answers = [rng.randint(1, 7) for _ in range(55)]
            csat = cxm.Csat((1, 7)).add_many(bytes(answers))
            w = ref.scale_stats(answers, 1, 7, lambda s: s >= 6)
            self.write(tmp, "py_csat", csat, [1, 7, 6, w["n"], w["good"], w["mean"], w["sd"],
                                              w["median"], *w["mean_ci"], w["pct"],
                                              *w["pct_ci"]] +
                       [answers.count(s) for s in range(1, 8)])
            out = subprocess.run([exe], env=dict(os.environ, CXM_VECTORS=tmp),
                                 capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    @staticmethod
    def write(d, name, obj, values):
        data = obj.to_bytes()
        _, ver = cxm.encoded_info(data)
        with open(os.path.join(d, f"{name}_v{ver}.hex"), "w") as f:
            f.write(data.hex(" ", 1) + "\n")
        with open(os.path.join(d, f"{name}_v{ver}.summary"), "w") as f:
            f.write("# written by the Python tests from their own formulas\n")
            f.write(f"status 0\nvalues {len(values)}\n")
            f.write("".join(f"{float(v)!r}\n" for v in values))


def python_summary(obj):
    """The C family table's summary, built from the package's results (the
    families whose summary layout is simple enough to restate)."""
    def nps_part(r):
        return [r.kind, r.brand, r.n, r.promoters, r.passives, r.detractors, r.weight_total,
                r.n_effective, r.promoter_pct, r.passive_pct, r.detractor_pct, r.nps, r.se,
                r.ci.lower, r.ci.upper]
    if isinstance(obj, cxm.Nps):
        return nps_part(obj.result()) + nps_part(obj.result(method=1))
    if isinstance(obj, cxm.Rate):
        r = obj.result()
        return [r.use, r.definition, r.successes, r.trials, r.failures, r.rate, r.ci.lower,
                r.ci.upper, r.ci.level]
    if isinstance(obj, cxm.Csat):
        r = obj.result()
        return [r.scale_min, r.scale_max, r.threshold, r.n, r.satisfied, r.mean, r.sd, r.median,
                r.mean_ci.lower, r.mean_ci.upper, r.satisfied_pct, r.satisfied_ci.lower,
                r.satisfied_ci.upper] + list(obj.counts().values())
    return None


class Version(unittest.TestCase):
    def test_version_from_the_library(self):
        self.assertEqual(cxm.__version__, cxm.version())
        n = cxm.version_number()
        self.assertEqual(cxm.version(), f"{n // 10000}.{n // 100 % 100}.{n % 100}")
        try:
            from importlib.metadata import PackageNotFoundError, version
            self.assertEqual(version("cxm"), cxm.version())
        except PackageNotFoundError:
            pass  # run from the source tree, not installed

    def test_helpers(self):
        import reference as ref
        lo, hi = ref.wilson(3, 10, 0.9)
        w = cxm.wilson_interval(3, 10, 0.9)
        self.assertAlmostEqual(w.lower, lo, places=12)
        self.assertAlmostEqual(w.upper, hi, places=12)
        self.assertIn(0.3, w)
        self.assertAlmostEqual(cxm.z_for_level(0.95), ref.z_of(0.95), places=12)
        self.assertEqual(cxm.default_level(), 0.95)
        self.assertEqual(cxm.status_message(0), "ok")
        self.assertEqual(cxm.noop(), 0)
        self.assertEqual(cxm.status_count(), 16)
        with self.assertRaises(cxm.EmptyError):
            cxm.wilson_interval(0, 0)
        e = cxm.OutOfRangeError(2, "x")
        self.assertEqual((e.status, e.message), (2, cxm.status_message(2)))
        self.assertIsInstance(e, ValueError)

    def test_library_not_found_names_what_was_tried(self):
        import subprocess
        import sys
        env = dict(os.environ, CXM_LIBRARY="/nonexistent/libcxm.so.0", PKG_CONFIG_PATH="/nonexistent",
                   LD_LIBRARY_PATH="/nonexistent")
        code = "import cxm"
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        if out.returncode == 0:
            self.skipTest("libcxm is installed system-wide")
        self.assertIn("CXM_LIBRARY=/nonexistent/libcxm.so.0", out.stderr)
        self.assertIn("pkg-config", out.stderr)
        self.assertIn("system loader", out.stderr)


if __name__ == "__main__":
    unittest.main()


class SeriesOverTime(unittest.TestCase):
    MONDAY = 1793577600  # 2026-11-02 00:00 UTC

    def test_weekly_nps_span_window_and_batches(self):
        import array
        import datetime as dt
        rnd = random.Random(7)
        proto = cxm.Nps(cxm.NpsKind.TRANSACTIONAL)
        s = cxm.Series(proto, cxm.SeriesWidth.DAY, buckets=14, utc_offset=3600,
                       start=self.MONDAY)
        everything = cxm.Nps(cxm.NpsKind.TRANSACTIONAL)
        last3 = cxm.Nps(cxm.NpsKind.TRANSACTIONAL)
        times, scores = array.array("q"), bytearray()
        for i in range(600):
            t = self.MONDAY + i * 10 * 86400 // 600
            score = rnd.randrange(11)
            times.append(t)
            scores.append(score)
            everything.add(score)
            if 7 <= (t + 3600 - self.MONDAY) // 86400 <= 9:  # local days (UTC+1) 7, 8, 9
                last3.add(score)
        s.add_many(times, scores)
        self.assertEqual(s.span(self.MONDAY - 86400, self.MONDAY + 30 * 86400), everything)
        self.assertEqual(s.window(self.MONDAY + 9 * 86400, 3), last3)
        info, newest = s.bucket(0)  # local day 10: the last events fall after 23:00 UTC
        self.assertEqual(info.local_start, self.MONDAY + 10 * 86400)
        self.assertEqual(info.start, self.MONDAY + 10 * 86400 - 3600)
        self.assertEqual(len(s.buckets()), 14)
        # datetimes are instants; a refused event changes nothing
        before = s.to_bytes()
        with self.assertRaises(cxm.ExpiredError):
            s.add(dt.datetime(2026, 10, 1, tzinfo=dt.timezone.utc), 9)
        with self.assertRaises(cxm.OutOfRangeError):
            s.add(self.MONDAY + 9 * 86400, 11)
        with self.assertRaises(cxm.OutOfRangeError) as e:
            s.add_many(array.array("q", [self.MONDAY + 9 * 86400] * 3), bytes([1, 12, 3]))
        self.assertEqual(e.exception.bad_index, 1)
        self.assertEqual(s.to_bytes(), before)
        # pickle and from_bytes go through the encoding
        import pickle
        self.assertEqual(pickle.loads(pickle.dumps(s)), s)
        self.assertIsInstance(cxm.from_bytes(before), cxm.Series)
        for o in (s, proto, everything, last3, newest):
            o.close()

    def test_every_family_adds(self):
        t = self.MONDAY
        cases = [
            (cxm.Duration(), (120.5,)),
            (cxm.Survival(), (300.0, cxm.SurvivalState.OPEN)),
            (cxm.Rate(cxm.RateUse.FCR), (True,)),
            (cxm.Csat(), (4,)),
            (cxm.Ces(), (6,)),
            (cxm.NpsPanel(4), (2, 9)),
            (cxm.Sla(4), (1, cxm.SlaMetric.FIRST_REPLY, cxm.SlaOutcomeKind.BREACHED, 60)),
        ]
        for proto, event in cases:
            with proto, cxm.Series(proto, "week", buckets=4, start=t) as s:
                s.add(t + 5, *event)
                info, acc = s.bucket_at(t + 5)
                with acc:
                    self.assertEqual(type(acc), type(proto))
                    self.assertNotEqual(acc.to_bytes(), proto.to_bytes())
                self.assertEqual(s.family.name.lower().replace("_", ""),
                                 type(proto).__name__.lower())


class BacklogOverTime(unittest.TestCase):
    MONDAY = 1793577600  # 2026-11-02 00:00 UTC
    H, D = 3600, 86400

    def test_live_tickets_equal_a_recomputation(self):
        m, h, d = self.MONDAY, self.H, self.D
        live = cxm.Backlog("day", buckets=5, start=m + 4 * d)
        a = {"created": m + 10 * h, "first_solved": m + d + 9 * h}
        b = {"created": m + 12 * h}
        live.add(a)
        live.add(b)
        # b is solved on Wednesday, then reopened: open again from its creation on.
        b2 = dict(b, first_solved=m + 2 * d + h)
        live.replace(b, b2)
        b3 = dict(b2, reopens=1)
        live.replace(b2, b3)
        days = live.buckets()
        self.assertEqual([r["open"] for r in days], [2, 1, 1, 1, 1])  # Monday 0 + 2, Tuesday - 1
        self.assertEqual(days[1]["solved"], 1)
        # The same clock and the current records in one go: the same backlog.
        fresh = cxm.Backlog("day", buckets=5, start=m + 4 * d)
        fresh.add(a)
        fresh.add(b3)
        self.assertEqual(fresh, live)
        self.assertEqual(cxm.from_bytes(live.to_bytes()), live)
        # Monday retires into the balance; a retract of its open ticket adjusts it.
        live.advance(m + 5 * d)
        self.assertEqual(live.before()["open"], 2)
        live.retract(b3)
        self.assertEqual(live.before()["open"], 1)
        self.assertEqual(live.bucket(0)["open"], 0)
        with self.assertRaises(cxm.BadStateError):
            live.retract(b3)  # nothing open left that it could be
