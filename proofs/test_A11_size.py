"""A11 — the transformations grow programs by constant factors.

    ‖J f‖ ≤ c_J·‖f‖          (f non-linear)
    ‖f.nonlin‖ ≤ c_N,P·‖f‖,   ‖f.lin‖ ≤ c_L,P·‖f‖     (U under policy P ∈ {store, recompute})
    ‖T f‖ ≤ c_T·‖f‖          (f linear)

with ‖·‖ the weighted size of `checkers.measure` (AST nodes + the reals of every variable
occurrence, calls unfolded) and each c the least value on the grid ℕ/4 (z3) covering
the schematic programs and the marginal points of the chains of `checkers.schematic`
(`paper_figures.constants` writes them to `paper_figures/out/constants.json`).

Checked on J, U (both halves, both policies) and T of every corpus program — J f, the
halves of f.jvp, T of f.jvp.lin (N ≤ 100 and the large members as in A4) — and on
random programs: `nonlinear_programs` for J, `mixed_programs` for U,
`linear_programs` for T (f.lin after U, and f when T accepts it).

Why not SPEC's |f| (AST nodes, each body once): it admits no constant.  `(x, …, x;)`
is one node that J turns into n−1 dup-lets, `drop(ltup(y1, …, yn))` two nodes that T
turns into n zeros; both families are checked below (the least c grows at every step).
Counting names would not do either: a call's tape is one node but many names.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from calculus.errors import OutOfFragment
from calculus.linear_a.unzip import lin_name
from checkers.bounds import Point, derivation_problems, derive
from checkers.corpus import corpus_names, large_members
from checkers.cost_theorems import size_violation
from checkers.measure import (Measure, corpus_transformed, transformed, transpose_measures,
                              unzip_measures)
from checkers.policies import POLICY_NAMES
from checkers.schematic import drop_fanout, ret_fanout
from checkers.strategies import (
    Generated,
    linear_programs,
    mixed_programs,
    nonlinear_programs,
)

KEYS = (["J", "T"] + [f"U.{half}/{p}" for p in POLICY_NAMES for half in ("nonlin", "lin")])


@pytest.mark.parametrize("key", KEYS)
def test_constants_are_derived(key: str) -> None:
    """The bound covers every data point and c is least on the grid."""
    assert derivation_problems(f"A11/{key}") == []


@pytest.mark.parametrize("name", corpus_names(100) + large_members())
def test_corpus(name: str) -> None:
    vs = []
    for policy in POLICY_NAMES:
        t = corpus_transformed(name, policy)
        if policy == "store":
            vs += size_violation("J", name, t.f, t.j)
            vs += size_violation("T", name, t.lin, t.backward)
        vs += size_violation(f"U.nonlin/{policy}", name, t.j, t.nonlin)
        vs += size_violation(f"U.lin/{policy}", name, t.j, t.lin)
    assert vs == [], [str(v) for v in vs]


@given(nonlinear_programs())
def test_fuzzed_jvp(g: Generated) -> None:
    t = transformed(g.program, g.func)
    vs = size_violation("J", g.func, t.f, t.j)
    assert vs == [], f"{[str(v) for v in vs]}\n{g}"


@given(mixed_programs())
def test_fuzzed_unzip(g: Generated) -> None:
    for policy in POLICY_NAMES:
        f, nonlin, lin, _, _ = unzip_measures(g.program, g.func, policy)
        vs = (size_violation(f"U.nonlin/{policy}", g.func, f, nonlin)
              + size_violation(f"U.lin/{policy}", g.func, f, lin))
        assert vs == [], f"{[str(v) for v in vs]}\n{g}"


@given(linear_programs())
def test_fuzzed_transpose(g: Generated) -> None:
    _, _, _, _, up = unzip_measures(g.program, g.func)
    f, ft, _ = transpose_measures(up, lin_name(g.func))
    vs = size_violation("T", lin_name(g.func), f, ft)
    assert vs == [], f"{[str(v) for v in vs]}\n{up}"
    try:
        f, ft, _ = transpose_measures(g.program, g.func)
    except OutOfFragment as exc:
        assert exc.transformation == "T"
        return
    vs = size_violation("T", g.func, f, ft)
    assert vs == [], f"{[str(v) for v in vs]}\n{g}"


Plain = tuple[Point, tuple[Measure, Measure]]  # (|·| point, the two ‖·‖ measures)


def _jvp_plain(n: int) -> Plain:
    t = transformed(ret_fanout(n), "f")
    return Point.of(f"n={n}", t.j.size, {"size": t.f.size}), (t.f, t.j)


def _transpose_plain(n: int) -> Plain:
    f, ft, _ = transpose_measures(drop_fanout(n), "f")
    return Point.of(f"n={n}", ft.size, {"size": f.size}), (f, ft)


@pytest.mark.parametrize("key, family", [("J", _jvp_plain), ("T", _transpose_plain)])
def test_plain_size_admits_no_bound(key: str, family) -> None:
    """With |f| the least c grows at every step along the family, while the ‖f‖ bound
    holds on every member."""
    cs = [derive([family(n)[0] for n in range(2, top + 1)], (("size",),))["size"]
          for top in range(2, 8)]
    assert all(a < b for a, b in zip(cs, cs[1:])), cs
    for n in range(2, 8):
        assert size_violation(key, f"n={n}", *family(n)[1]) == []


def test_transpose_bound_is_refuted_by_a_wide_zero() -> None:
    """A11 for T is *false* with the fitted c_T (found by the induction proof of A11,
    `checkers.induction`): ‖zero[σ]‖ counts one node however many reals σ has, while
    T(zero[σ]) drops a cotangent of all of them, so ‖T f‖/‖f‖ grows without bound along
    `def f() -> (; σ) = zero[σ]`.  The claim is therefore not made for T (README); this
    test keeps the counterexample and fails if the fitted bound starts to cover it."""
    from calculus.linear_a.parse import parse_program
    sizes = []
    for n in (2, 6, 12):
        sigma = "(" + ", ".join(["real"] * n) + ")"
        f, ft, _ = transpose_measures(parse_program(f"def f() -> (; {sigma}) = zero[{sigma}]"), "f")
        sizes.append((f.struct, ft.struct))
        assert size_violation("T", f"wide zero n={n}", f, ft) != []
    assert all(f == sizes[0][0] for f, _ in sizes), sizes  # ‖f‖ does not grow …
    assert sizes[0][1] < sizes[1][1] < sizes[2][1], sizes  # … ‖T f‖ does
