"""A5 — J costs a constant factor of work.

For every well-typed non-linear  f(x̄:τ̄ ;) -> (τ̄' ;)  and each cost model m
(arithmetic, symmetric):

    W_m(J f)  ≤  Σ_op c_op·n_op(f) + d_J·‖f‖  ≤  c_J·W_m(f) + d_J·‖f‖

n_op(f) counts the applications of primitive op when f runs; ‖f‖ is the weighted
size of `checkers.measure` (AST nodes + the reals of every variable occurrence, calls
unfolded); c_J = max_op c_op / cost(op).  The constants are derived by
`checkers.bounds.constants()` from the schematic programs (c_op: J's work on the
one-primitive program op(x̄); d_J: the least value on the grid ℕ/4, found by z3, that
covers every schematic program and chain; `paper_figures.constants` writes them to
`paper_figures/out/constants.json`); derived: c_J = 7 (div) in both models, d_J = 0
in the arithmetic model (dup/drop/zero are free, so J only adds arithmetic per
primitive) and d_J = 2 in the symmetric one (a use of x inside drop(…) costs a dup of
ẋ at x's binder and a drop of the copy, per real).

Checked with the static work W (`work.work`) of J's re-type-checked output, whole
program (W is static, so no term is unfolded): the corpus (N ≤ 100, and the N = 1000
members under `thorough`, chain_1000 always) and random programs of
`nonlinear_programs`.  With SPEC's |f| (AST nodes, each body once) in place of ‖f‖ no
d_J exists in the symmetric model: `(x, …, x;)` is one node whose J pays n−1 dups, and
a work-free function called n times pays its dups n times (both families checked).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given

from calculus.cost_models import MODELS
from calculus.linear_a.work import program_size
from checkers.bounds import Point, constants, derivation_problems, derive
from checkers.corpus import corpus_names, large_members
from checkers.cost_theorems import work_violations
from checkers.measure import corpus_transformed, transformed
from checkers.schematic import plumbing_calls, ret_fanout
from checkers.strategies import Generated, nonlinear_programs

KEYS = [f"A5/{m}" for m in MODELS]


@pytest.mark.parametrize("key", KEYS)
def test_constants_are_derived(key: str) -> None:
    """The derived bound covers every data point, and d_J is least on the grid: one
    step lower and some schematic program violates it."""
    assert derivation_problems(key) == []


def test_arithmetic_jvp_adds_no_structural_work() -> None:
    """In the arithmetic model dup, drop and zero are free, so J's overhead is per
    primitive only: d_J = 0 is derived, not assumed."""
    assert constants()["A5/arithmetic"]["struct"] == 0


@pytest.mark.parametrize("name", corpus_names(100) + large_members())
def test_corpus(name: str) -> None:
    assert work_violations(corpus_transformed(name), "A5") == []


@given(nonlinear_programs())
def test_fuzzed(g: Generated) -> None:
    vs = work_violations(transformed(g.program, g.func), "A5")
    assert vs == [], f"{[str(v) for v in vs]}\n{g}"


def _least_d(points: list[Point]) -> Fraction:
    """The least d on the grid with  W_sym(J f) ≤ c·W(f) + d·|f|  on the points (c
    searched too, after d)."""
    return derive(points, (("size",), ("W",)))["size"]


def _plain(f_program, n: int) -> Point:
    t = transformed(f_program, "f")
    return Point.of(f"n={n}", t.j.work["symmetric"],
                    {"W": t.f.work["symmetric"], "size": program_size(f_program, "f")})


@pytest.mark.parametrize("family", [ret_fanout, plumbing_calls])
def test_plain_size_admits_no_bound(family) -> None:
    """With |f| the least d grows without bound along the family (strictly, at every
    step), while the ‖f‖ bound with the derived constants holds on every member."""
    ds = [_least_d([_plain(family(n), n) for n in range(2, top + 1)]) for top in range(2, 8)]
    assert all(a < b for a, b in zip(ds, ds[1:])), ds
    for n in range(2, 8):
        assert work_violations(transformed(family(n), "f"), "A5") == []
