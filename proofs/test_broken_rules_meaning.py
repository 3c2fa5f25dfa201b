"""The meaning-theorem checkers fail on deliberately broken rules.

Each test breaks one rule of the *production* code by patching a public table or
function (`PARTIALS`, `calculus.ad.DUALITIES`, `calculus.ad.TangentPool`, U's
`checkpoint`, the evaluator's), so the transformation's own code path runs, with one
rule wrong, and asserts that the matching theorem check reports the failure: a
`Verdict` that is not proved (with a counterexample where the statement is
refutable), or the type checker's typed error.

  broken rule                                         check that must fail
  J:  d sin(x) = -cos(x)·dx                           A4 refutes (counterexample),
                                                      whole term and rule by rule
  J:  a tangent reused without dup                    A3: LinearityError
                                                      kind linear-used-twice
  T:  dup ↦ dup (instead of +.)                       A8: LinearityError linear-unused
  T:  dup ↦ dup, the spare copies dropped (typed)     A8: the dot-product identity is
                                                      refuted
  U:  a residual forgotten (one tape variable lost)   A6: TypeCheckError naming it
  evaluation: +. multiplies                           A2 refutes linearity
  evaluation: dup charged nothing                     A1: static W ≠ dynamic work
"""

from __future__ import annotations

import pytest

from calculus.ad import DUALITIES, Lin, TangentPool
from calculus.errors import LinearityError, TypeCheckError
from calculus.linear_a import evaluate as evaluate_module
from calculus.linear_a import unzip
from calculus.linear_a.jvp import jvp_program
from calculus.linear_a.parse import parse_program
from calculus.linear_a.unzip import lin_name, unzip_program
from calculus.primitives import PARTIALS, App, Arg, Op
from checkers.corpus import corpus_program
from checkers.semantics import (by_binding, jvp_theorem, jvp_typing, linearity, symbolic_inputs,
                                transpose_theorem, type_safety, unzip_theorem)

SIN = parse_program("def f(x: real) -> (real;) = sin(x)")
SQUARE = parse_program("def f(x: real) -> (real;) = x * x")
MIXED = parse_program("def f(x: real, y: real) -> (real;) = sin(x) * y")


def square_lin() -> tuple:
    """(program, name) of f.jvp.lin for f(x) = x·x: its body dups the tangent."""
    u = unzip_program(jvp_program(SQUARE, "f"), "f.jvp")
    return u.program, lin_name("f.jvp")


# --- J ------------------------------------------------------------------------------------


@pytest.fixture
def sin_minus_cos(monkeypatch: pytest.MonkeyPatch) -> None:
    """J's rule for sin becomes d sin(x) = -cos(x)·dx."""
    monkeypatch.setitem(PARTIALS, Op.SIN, (App(Op.NEG, (App(Op.COS, (Arg(0),)),)),))


def test_jvp_sin_minus_cos_refuted(sin_minus_cos: None) -> None:
    v = jvp_theorem(SIN, "f")
    assert not v
    assert v.method == "refuted" and v.counterexample, str(v)
    assert v.detail.startswith("tangent"), v.detail
    assert jvp_typing(SIN, "f")[1], "the broken rule is well-typed: only A4 can catch it"


def test_jvp_sin_minus_cos_refuted_rule_by_rule(sin_minus_cos: None) -> None:
    v = by_binding(corpus_program("chain_1000"), "chain_1000", jvp_theorem)
    assert not v and v.method == "refuted" and v.counterexample, str(v)
    assert "binding 0 " in v.detail, v.detail


def test_jvp_sin2cos2_not_zero(sin_minus_cos: None) -> None:
    v = jvp_theorem(corpus_program("sin2cos2"), "sin2cos2")
    assert not v and v.counterexample, str(v)


def test_jvp_tangent_without_dup(monkeypatch: pytest.MonkeyPatch) -> None:
    """J hands out the tangent ẋ itself for every use of x (no dup chain)."""

    def plan(self: TangentPool, x: str, dx: str, n: int, base: str) -> list:
        self.copies[x] = [dx] * n
        return []

    monkeypatch.setattr(TangentPool, "plan", plan)
    with pytest.raises(LinearityError) as err:
        jvp_typing(SQUARE, "f")
    assert err.value.kind == "linear-used-twice"
    assert err.value.var == "x'"


# --- T ------------------------------------------------------------------------------------


def break_dup(monkeypatch: pytest.MonkeyPatch, drop_spares: bool) -> None:
    """T(dup(a), (c1, c2)) emits  let (; c, spare) = dup(c1)  and continues with
    T(a, c), instead of  let (; c) = c1 +. c2; with `drop_spares`, spare and c2 are
    dropped so that the result is well-typed."""

    def dup_to_dup(b, cts, ty):
        c, spare = b.dup(cts[0], ty)
        if drop_spares:
            b.drop(spare, ty)
            b.drop(cts[1], ty)
        return (c,)

    monkeypatch.setitem(DUALITIES, Lin.DUP, dup_to_dup)


def test_transpose_dup_to_dup_ill_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    program, lin = square_lin()
    break_dup(monkeypatch, drop_spares=False)
    with pytest.raises(LinearityError) as err:
        transpose_theorem(program, lin)
    assert err.value.kind == "linear-unused"


def test_transpose_dup_to_dup_refuted(monkeypatch: pytest.MonkeyPatch) -> None:
    program, lin = square_lin()
    break_dup(monkeypatch, drop_spares=True)
    v = transpose_theorem(program, lin)
    assert not v and v.method == "refuted" and v.counterexample, str(v)
    assert "adjoint" in v.detail, v.detail


# --- U ------------------------------------------------------------------------------------


def test_unzip_forgets_a_residual(monkeypatch: pytest.MonkeyPatch) -> None:
    """U's checkpointing loses the last tape variable (from both halves)."""
    original = unzip.checkpoint
    lost: list[str] = []

    def checkpoint(*args):
        kept, moved, tape = original(*args)
        lost.append(tape[-1])
        return kept, moved, tape[:-1]

    monkeypatch.setattr(unzip, "checkpoint", checkpoint)
    j = jvp_program(MIXED, "f")
    with pytest.raises(TypeCheckError) as err:
        unzip_theorem(j, "f.jvp", "store")
    assert err.value.var in lost


# --- evaluation (the semantics every engine relies on) ----------------------------------


def test_linear_add_that_multiplies(monkeypatch: pytest.MonkeyPatch) -> None:
    p = parse_program("def f(x: real; a: real, b: real) -> (; real) = a +. x *. b")
    assert linearity(p, "f")
    monkeypatch.setattr(evaluate_module, "vadd", lambda a, b, num: num.mul(a, b))
    v = linearity(p, "f")
    assert not v and v.method == "refuted" and v.counterexample, str(v)


def test_dup_charged_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    program, lin = square_lin()
    nl, lins = symbolic_inputs(program.get(lin))
    assert type_safety(program, lin, nl, lins, "symbolic")
    original = evaluate_module.Evaluator.charge

    def charge(self, per_real: str, k: int) -> None:
        if per_real != "dup_per_real":
            original(self, per_real, k)

    monkeypatch.setattr(evaluate_module.Evaluator, "charge", charge)
    v = type_safety(program, lin, nl, lins, "symbolic")
    assert not v and v.method == "work", str(v)
