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
  T:  the cotangent map is re-bound after every let           A11 (‖T f‖ ≤ c_T·‖f‖)
      (quadratic plumbing)
"""

from __future__ import annotations

import dataclasses

import pytest

from calculus.linear_a import jvp, transpose, unzip
from calculus.linear_a.jvp import jvp_name, jvp_program
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import LAdd, Let, LVar, Prim, Ret, Zero
from calculus.linear_a.unzip import lin_name, unzip_program
from calculus.primitives import PRIMS, App, Arg, Op
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
    again = (App(Op.EXP, (Arg(0),)),)
    monkeypatch.setitem(PRIMS, Op.EXP, dataclasses.replace(PRIMS[Op.EXP], partials=again))


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
    original = transpose._Transpose.t

    def t(self, e, cts):
        if isinstance(e, LVar):
            (z,), (c,) = self.ct(1), self.ct(1)
            self.let((z,), Zero(self.lin_types[e.name]))
            self.let((c,), LAdd(LVar(cts[0]), LVar(z)))
            self.cot[e.name] = c
            return None
        return original(self, e, cts)

    monkeypatch.setattr(transpose._Transpose, "t", t)


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
    monkeypatch.setattr(unzip, "_recompute", lambda policy: lambda b: True)


def test_unzip_store_recomputes(store_recomputes: None) -> None:
    p = corpus_program("chain_10")
    jp = jvp_program(p, "chain_10")
    assert unzip_theorem(jp, jvp_name("chain_10"), "store"), "still meaning-preserving"
    vs = unzip_work_violations(jp, jvp_name("chain_10"), "store")
    assert vs and vs[0].relation == "=", [str(v) for v in vs]


@pytest.fixture
def no_sharing(monkeypatch: pytest.MonkeyPatch) -> None:
    """J without sharing: a partial derivative that mentions an argument re-evaluates
    the argument's expression instead of reading its bound value (expression swell)."""
    original_prim = jvp._Jvp.prim
    current: list = []

    def prim(self, e):
        current.append(e.args)
        try:
            return original_prim(self, e)
        finally:
            current.pop()

    def partial(p, args, z):
        if isinstance(p, Arg):
            return current[-1][p.index]
        if isinstance(p, App):
            return Prim(p.op, tuple(partial(q, args, z) for q in p.args))
        return original_partial(p, args, z)

    original_partial = jvp._partial
    monkeypatch.setattr(jvp._Jvp, "prim", prim)
    monkeypatch.setattr(jvp, "_partial", partial)


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
    """T re-binds the whole cotangent map after every linear let (the quadratic
    plumbing of a transpose that returns every cotangent from every subterm)."""
    original = transpose._Transpose.t

    def t(self, e, cts):
        out = original(self, e, cts)
        if isinstance(e, Let) and not e.nl and self.cot:
            old = tuple(self.cot.values())
            new = self.ct(len(old))
            self.let(new, Ret((), old))
            self.cot = dict(zip(self.cot, new))
        return out

    monkeypatch.setattr(transpose._Transpose, "t", t)


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
