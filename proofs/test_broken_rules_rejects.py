"""The rejection-side theorems (A12, A13, L6, L4−, L7) catch the four weakened rules of
issue 16, each of which left the earlier suite green, and a weakened rule of the
independent Linear A derivation checker.

  broken rule                                                 caught by
  Linear A: Δ-exactness off by one — the innermost binder's   A12 (linear-in-nonlinear
            linear variables may be consumed in a non-linear  near misses; hand-written
            subterm (`serial < outside`)                      corpus)
  λLL:      ⊗E admits weakening of the variables it binds    L6 (linear-unused near misses)
  proof checker: ⊗E accepts an unused bound variable         L4− (near misses' derivations)
  F:        a bare literal gets itself as tangent, not zero  L7 (and the control: with the
                                                              correct F, L7 holds)
  Linear A derivation checker: Let accepts an unused bound    A13 (linear-unused near
            linear variable                                   misses: verdicts disagree)

Each test applies the break (a monkeypatch of the production code, or a Checker
subclass) and asserts that the theorem's own check reports a failure; the control
runs the same check with the correct rule and expects none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from calculus.errors import LinearityError, TypeCheckError
from calculus.lambda_ll import forward
from calculus.lambda_ll.curry_howard import Rule
from calculus.lambda_ll.parse import parse_program as ll_parse, parse_term
from calculus.lambda_ll.syntax import REAL, Lit, Pair
from calculus.lambda_ll.typecheck import Checker
from calculus.linear_a import typecheck as la_typecheck
from calculus.linear_a.parse import parse_program
from checkers import la_derivation_checker, proof_checker
from checkers.ill_typed import cases
from test_A12_typing_rejects import check_rejects as la_rejects, verdict as la_verdict
from test_A13_typing_verdicts import check_verdicts
from test_L4_curry_howard import check_near_misses
from test_L6_typing_rejects import check_rejects as ll_rejects
from test_L7_forward_domain import check_forward

LA_SCALE = parse_program("def f(x: real; a: real) -> (; real) =\n  sin(x) *. a")
LA_LET = parse_program("def f(x: real; a: real) -> (; real) =\n  let (; b) = a in x *. b")
TENSOR = parse_term("fun (p : real * real) -> let (a, b) = p in plus a b")
BARE = ll_parse("def g : !real -o !real * real =\n"
                "  fun (x : !real) -> let !u = x in (!(mul !u !u), 2.0)")


# --- Linear A: the off-by-one in the Δ-exactness check ------------------------------------


@pytest.fixture
def off_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    def nonlinear(self, e, rule):
        mark, outside = len(self.log), self.serial
        nl, lin = self.synth(e)
        free = [(y, pos) for y, pos, serial in self.log[mark:] if serial < outside]  # the bug
        if free:
            raise LinearityError(rule, "linear in non-linear", free[0][1], var=free[0][0],
                                 kind="linear-in-nonlinear")
        if len(nl) != 1 or lin:
            raise TypeCheckError(rule, "expected one non-linear value", e.pos)
        return nl[0]
    monkeypatch.setattr(la_typecheck._Checker, "nonlinear", nonlinear)


def la_hand_written_failures() -> list[str]:
    return [c.name for c in cases("linear_a.la")
            if la_verdict(parse_program(c.source), frozenset({c.rule}), c.kind)]


def test_A12_catches_off_by_one(off_by_one: None) -> None:
    assert any("linear-in-nonlinear" in f for f in la_rejects(LA_SCALE))
    assert la_hand_written_failures()


def test_A12_control() -> None:
    assert not la_rejects(LA_SCALE) and not la_hand_written_failures()


# --- λLL: weakening at ⊗E -------------------------------------------------------------------


class TensorWeakening(Checker):
    def close_linear(self, b):
        if b.rule != "⊗E":
            super().close_linear(b)


def test_L6_catches_tensor_weakening() -> None:
    assert any(f.startswith("linear-unused") for f in ll_rejects(TENSOR, checker=TensorWeakening))


def test_L6_control() -> None:
    assert not ll_rejects(TENSOR)


# --- the proof checker: an unused variable at ⊗E ------------------------------------------


@pytest.fixture
def unused_at_tensor_e(monkeypatch: pytest.MonkeyPatch) -> None:
    check = proof_checker._check_node

    def lenient(p):
        why = check(p)
        if why and p.rule is Rule.TENSOR_E and why.startswith("second premise Δ"):
            q1, q2 = p.premises[0].sequent, p.premises[1].sequent
            x, y = p.label
            allowed = Counter(p.sequent.delta) - Counter(q1.delta) + \
                Counter(((x, q1.concl.left), (y, q1.concl.right)))
            if Counter(q2.delta) <= allowed:
                return None  # the bug: x or y may go unused
        return why
    monkeypatch.setattr(proof_checker, "_check_node", lenient)


def test_L4_catches_unused_at_tensor_e(unused_at_tensor_e: None) -> None:
    assert check_near_misses(TENSOR)


def test_L4_control() -> None:
    assert not check_near_misses(TENSOR)


# --- F: a bare literal's tangent ------------------------------------------------------------


@pytest.fixture
def literal_tangent(monkeypatch: pytest.MonkeyPatch) -> None:
    f = forward._Forward.f

    def broken(self, t):
        if isinstance(t, Lit):
            return Pair(t, t), REAL  # the bug: the literal as its own tangent
        return f(self, t)
    monkeypatch.setattr(forward._Forward, "f", broken)


def test_L7_catches_literal_tangent(literal_tangent: None) -> None:
    assert check_forward(BARE) is not None


def test_L7_control() -> None:
    assert check_forward(BARE) is None


# --- the Linear A derivation checker: an unused linear variable at Let ----------------------


@pytest.fixture
def unused_at_let(monkeypatch: pytest.MonkeyPatch) -> None:
    check = la_derivation_checker._check_node

    def lenient(d, sigma):
        try:
            check(d, sigma)
        except la_derivation_checker.Invalid:
            if d.rule != "Let":
                raise
            head, body = d.premises
            used = dict(body.delta)
            unused = tuple(b for b in zip(d.subject.lin, head.result[1]) if b[0] not in used)
            # the bug: the body's Δ need not hold the bound ȳ that it leaves unused
            check(replace(d, premises=(head, replace(body, delta=body.delta + unused))), sigma)
    monkeypatch.setattr(la_derivation_checker, "_check_node", lenient)


def test_A13_catches_unused_at_let(unused_at_let: None) -> None:
    assert any(f.startswith("near miss linear-unused") for f in check_verdicts(LA_LET))


def test_A13_control() -> None:
    assert not check_verdicts(LA_LET)
