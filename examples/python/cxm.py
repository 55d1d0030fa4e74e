"""NPS from Python through the cxm package (bindings/python), in a few lines.

    python3 examples/python/cxm.py path/to/libcxm.so.0

The package covers every family (see bindings/python/README.md); this script
is the short tour it grew out of, kept as a smoke test of the library path.
"""
import os
import sys

# This file is named like the package: put the package's folder first so
# that `import cxm` finds the package, not this script.
sys.path[0] = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bindings",
                           "python")


def main(path):
    os.environ["CXM_LIBRARY"] = path
    import cxm

    rel = cxm.Nps(cxm.NpsKind.RELATIONAL)
    tx = cxm.Nps(cxm.NpsKind.TRANSACTIONAL)
    tx.add_many(bytes([10, 9, 9, 8, 7, 6, 5, 3, 10, 9]))
    r = tx.result()
    assert r.n == 10 and abs(r.nps - 20.0) < 1e-12, r.nps
    assert abs(r.ci.lower + 30.32599443550416) < 1e-9
    # Kinds are never blended: the library refuses, Python sees an exception.
    rel.add(9)
    try:
        tx.merge(rel)
        raise AssertionError("merge across kinds must fail")
    except cxm.KindMismatchError as e:
        assert e.status == 4, e
    # A batch with a bad byte is refused whole.
    try:
        tx.add_many([1, 2, 11])
        raise AssertionError("score 11 must be refused")
    except cxm.OutOfRangeError as e:
        assert e.bad_index == 2, e
    assert tx.result().n == 10
    assert rel.result().n == 1
    assert cxm.Nps(cxm.NpsKind.RELATIONAL).result().nps is None  # empty: no score
    copy = cxm.Nps.from_bytes(tx.to_bytes())
    assert copy.result().nps == r.nps
    print(f"cxm {cxm.__version__} via ctypes: "
          f"NPS {r.nps:+.1f} [{r.ci.lower:+.1f}, {r.ci.upper:+.1f}] n={r.n}")

    # A rate with no trials has no value (its has_ flag is 0 in C): None
    # here, shown as "no data" -- never a made-up 0%.
    def share(v):
        return "no data" if v is None else f"{100 * v:.1f}%"

    day = 1700000000
    roll = cxm.Rollup(cxm.FcrProfile.ZENDESK)
    roll.add(cxm.Ticket(created=day, first_reply=day + 600, agent_replies=1))  # still open
    g = roll.result()
    assert g.tickets == 1 and g.fcr.rate is None and g.deflection.rate is None, g
    roll.add(cxm.Ticket(created=day, first_reply=day + 600, first_solved=day + 3600,
                        agent_replies=1))
    solved = roll.result()
    assert solved.fcr.rate == 1.0 and solved.reopen.rate == 0.0, solved
    print(f"first contact resolution with 1 open ticket: {share(g.fcr.rate)}; "
          f"after one is solved: {share(solved.fcr.rate)}")


if __name__ == "__main__":
    main(sys.argv[1])
