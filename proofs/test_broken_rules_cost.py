"""The cost-theorem checkers fail on deliberately broken rules.

Each test breaks one rule of the *production* code by monkeypatching the real module
(the transformation's own code path runs, with one rule wrong) and asserts that the
matching cost check of `checkers.cost_theorems` reports a violation — with the constants
derived from the *correct* transformations (`constants()` is computed before the rule
is broken, and passed explicitly).  Each broken rule is meaning-preserving, so only a
cost check can catch it (the meaning check is run too and passes).

  broken rule                                                check that must fail
  J:  d exp(x) = exp(x)·dx computes exp(x) again              A5 (arithmetic: c_exp)
      instead of reusing the result
  T:  every linear variable's cotangent gets `+. zero[σ]`     A9 (W_sym(T f) ≤ W_sym(f))
      (an extra zero materialised per variable)
  U:  store-all also recomputes every binding the linear      A7 (store-all: no binding
      half needs                                                computed twice)
  J:  no sharing — a partial re-evaluates its argument's      A10 (and A5): quadratic
      expression instead of reading the bound value             work on nested sin
  T:  the cotangent map is re-bound at every variable         A11 (‖T f‖ ≤ c_T·‖f‖)
      (quadratic plumbing)

The J rules are broken in the tables `PARTIALS` and `calculus.ad.DUALITIES`, or (for
sharing, the `no_sharing` fixture of conftest.py) in `JvpTerms`, Linear A's builder for
the kernel's tangent terms.
"""

from __future__ import annotations

import pytest

from calculus.ad import DUALITIES, Lin
from calculus.linear_a import unzip
from calculus.linear_a.jvp import jvp_name, jvp_program
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import Ret
from calculus.linear_a.unzip import lin_name, unzip_program
from calculus.primitives import PARTIALS, App, Arg, Op
from checkers.bounds import constants
from checkers.corpus import corpus_program
from checkers.cost_theorems import (size_violation, transpose_work_violations,
                                    unzip_work_violations, work_violations)
from checkers.measure import transformed, transpose_measures
from checkers.schematic import chain_programs, schematic
from checkers.semantics import jvp_theorem, transpose_theorem, unzip_theorem

CORRECT = constants()  # derived before any rule is broken


def _chain(name: str, family: str = "nonlinear"):
    """The depth-3 member of a schematic chain."""
    return {n: hi for n, _, hi in chain_programs(family)}[name]


@pytest.fixture
def exp_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    """J's rule for exp: ∂exp(x) = exp(x) recomputed, not the result reused."""
    monkeypatch.setitem(PARTIALS, Op.EXP, (App(Op.EXP, (Arg(0),)),))


def test_jvp_exp_recomputed(exp_twice: None) -> None:
    p = _chain("chain-exp")
    assert jvp_theorem(p, "f"), "the broken rule is still a correct derivative"
    vs = work_violations(transformed(p, "f"), "A5", CORRECT)
    assert any("A5/arithmetic" in v.point.name for v in vs), [str(v) for v in vs]
    v = next(v for v in vs if "A5/arithmetic" in v.point.name)
    assert v.point.target > v.allowed


def test_jvp_exp_recomputed_one_primitive(exp_twice: None) -> None:
    """Already on exp(x) alone: J's work exceeds the derived c_exp."""
    p = dict(schematic("nonlinear"))["op-exp"]
    vs = work_violations(transformed(p, "f"), "A5", CORRECT)
    assert vs, "W(J exp(x)) = 3 > c_exp = 2 must be reported"


@pytest.fixture
def extra_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    """T of a linear variable y: its cotangent c becomes  c +. zero[σ_y]."""
    monkeypatch.setitem(DUALITIES, Lin.VAR,
                        lambda b, cts, y: (b.add(cts[0], b.zero(b.lin_types[y]), None),))


def test_transpose_extra_zero(extra_zero: None) -> None:
    p = dict(schematic("linear"))["lvar"]
    assert transpose_theorem(p, "f"), "the broken rule is still the adjoint"
    vs = transpose_work_violations(p, "f")
    assert any("W_sym" in v.point.name for v in vs), [str(v) for v in vs]


def test_transpose_extra_zero_corpus(extra_zero: None) -> None:
    """On a corpus program's linear half too (square: x·x)."""
    u = unzip_program(jvp_program(corpus_program("square"), "square"), jvp_name("square"))
    vs = transpose_work_violations(u.program, lin_name(jvp_name("square")))
    assert any("W_sym" in v.point.name for v in vs), [str(v) for v in vs]


@pytest.fixture
def store_recomputes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The store-all policy recomputes every binding the linear half needs."""
    monkeypatch.setattr(unzip, "recompute_predicate", lambda policy: lambda b: True)


def test_unzip_store_recomputes(store_recomputes: None) -> None:
    p = corpus_program("chain_10")
    jp = jvp_program(p, "chain_10")
    assert unzip_theorem(jp, jvp_name("chain_10"), "store"), "still meaning-preserving"
    vs = unzip_work_violations(jp, jvp_name("chain_10"), "store")
    assert vs and vs[0].relation == "=", [str(v) for v in vs]


def test_grad_without_sharing(no_sharing: None) -> None:
    """sin nested 10 deep: the partial cos(·) of level i re-evaluates i−1 sines, so
    W(grad f) grows quadratically and leaves A10's linear bound (and A5's)."""
    p = parse_program("def f(x: real) -> (real;) = " + "sin(" * 10 + "x" + ")" * 10)
    assert jvp_theorem(p, "f"), "the swollen J is still correct"
    vs = work_violations(transformed(p, "f"), "A10", CORRECT)
    assert any("A10/store/arithmetic" in v.point.name for v in vs), [str(v) for v in vs]
    assert work_violations(transformed(p, "f"), "A5", CORRECT)


@pytest.fixture
def rebind_cotangents(monkeypatch: pytest.MonkeyPatch) -> None:
    """T re-binds the whole cotangent map at every occurrence of a linear variable
    (the quadratic plumbing of a transpose that returns every cotangent from every
    subterm)."""

    def var(b, cts, y):
        if b.cot:
            old = tuple(b.cot.values())
            new = b.ct(len(old))
            b.let(new, Ret((), old))
            b.cot = dict(zip(b.cot, new))
        return cts

    monkeypatch.setitem(DUALITIES, Lin.VAR, var)


def test_transpose_quadratic_plumbing(rebind_cotangents: None) -> None:
    t = transformed(corpus_program("horner_100"), "horner_100")
    vs = size_violation("T", "horner_100", t.lin, t.backward, CORRECT)
    assert vs, f"‖T‖ = {t.backward.struct} within {CORRECT['A11/T']['struct']}·{t.lin.struct}"


def test_transpose_quadratic_plumbing_chain(rebind_cotangents: None) -> None:
    """A pass-through chain of linear lets, deep enough for the quadratic term."""
    k = 30
    text = (f"def f(; {', '.join(f'a{i}: real' for i in range(k))}) -> "
            f"(; {', '.join(['real'] * k)}) = "
            + "".join(f"let (; c{i}) = a{i} in " for i in range(k))
            + f"(; {', '.join(f'c{i}' for i in range(k))})")
    p = parse_program(text)
    assert transpose_theorem(p, "f"), "the broken rule is still the adjoint"
    f, ft, _ = transpose_measures(p, "f")
    assert size_violation("T", "pass-through", f, ft, CORRECT)
