"""Symbolic zeros (issue 14): a tangent or cotangent that is zero by construction is
never materialised and never transposed, in both calculi.

  (a) a dropped value costs the gradient only its primal work:
          W(grad f') = W(grad f) + W(e)   where f' = let (d;) = e in drop(d); f
      for a polynomial e (its partials are its own arguments: no residual to compute),
      by T∘U∘J and by T_LL∘F∘⟦·⟧, on every corpus program with a real parameter;
  (b) a constant costs what its literal costs: binding literals (and tuples of them,
      and powi[0] of anything) to variables before use leaves W(grad f) unchanged;
  (c) the work of the gradient never exceeds the work of the same gradient without
      symbolic zeros — shown by the broken rules: each old rule (materialise the zeros
      of a drop; J and F without constants) makes (a) or (b) fail.

The values are unchanged: A10, E5 and X1 prove them for the same passes.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from calculus.ad import DUALITIES, Lin
from calculus.grad_ll import grad_ll
from calculus.lambda_ll import forward
from calculus.linear_a import jvp
from calculus.linear_a.grad import grad
from calculus.linear_a.names import names_in
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import REAL, Drop, FunDef, Let, Prim, Program, Var
from calculus.loader import corpus_programs
from checkers.corpus import fixed_point
from calculus.primitives import Op

E_WORK = 2  # e = x * x + x: one mul, one add


def works(p: Program, name: str) -> tuple[int, int]:
    """(W_arith(T∘U∘J f), workload_arith(T_LL∘F∘⟦f⟧)) at f's fixed point."""
    at = fixed_point(p.get(name))
    return grad(p, name, at).work["arithmetic"], grad_ll(p, name, at).workload["arithmetic"]


def with_dropped_polynomial(p: Program, name: str) -> Program:
    """f' = let (d;) = x * x + x in let (;) = drop(d) in body, x f's first real parameter."""
    f = p.get(name)
    x = next(x for x, t in f.nl_params if t == REAL)
    d = "dz"
    while d in names_in(f):
        d += "z"
    e = Prim(Op.ADD, (Prim(Op.MUL, (Var(x), Var(x))), Var(x)))
    body = Let((d,), (), e, Let((), (), Drop(Var(d)), f.body))
    g = FunDef(f.name, f.nl_params, f.lin_params, f.nl_results, f.lin_results, body, f.pos)
    return Program(tuple(g if h.name == name else h for h in p.funcs))


REAL_PARAM = [(n, p) for n, p in corpus_programs(10) if REAL in (t for _, t in p.get(n).nl_params)]


@pytest.mark.parametrize("name, program", REAL_PARAM, ids=[n for n, _ in REAL_PARAM])
def test_a_dropped_value_costs_only_its_primal(name: str, program: Program) -> None:
    (la, ll), (la2, ll2) = works(program, name), works(with_dropped_polynomial(program, name), name)
    assert (la2, ll2) == (la + E_WORK, ll + E_WORK)


CONSTANTS = [
    # (with literals, with the literals bound to constants first, the constants' own work)
    ("def f(x: real) -> (real;) = 2.0 * x",
     "def f(x: real) -> (real;) = let (c;) = 2.0 in c * x", 0),
    ("def f(x: real, y: real) -> (real;) = let (a;) = 2.0 * x in let (b;) = 3.0 * y in a + b",
     "def f(x: real, y: real) -> (real;) = let (c;) = 2.0 in let (d;) = 3.0 in "
     "let (m;) = tup(c, d) in let tup(m0, m1) = m in let (a;) = m0 * x in "
     "let (b;) = m1 * y in a + b", 0),
    ("def f(x: real) -> (real;) = let (k;) = 1.0 in k * x",
     "def f(x: real) -> (real;) = let (k;) = powi[0](x) in k * x", 1),  # powi[0](x) itself
]


@pytest.mark.parametrize("literal, constant, own", CONSTANTS)
def test_a_constant_costs_what_its_literal_costs(literal: str, constant: str, own: int) -> None:
    w, w2 = works(parse_program(literal), "f"), works(parse_program(constant), "f")
    assert w2 == (w[0] + own, w[1] + own)


def test_a_constant_used_as_a_result_gets_a_zero_tangent() -> None:
    """Where a tangent is needed (a result) the constant's zero is materialised, and
    the gradient is the zero it is."""
    p = parse_program("def f(x: real) -> (real, real;) = let (c;) = 2.0 in "
                      "let (y;) = x * x in (c, y;)")
    g = grad(p, "f", (Fraction(3),), mode="symbolic")
    assert g.gradient == (6,) and grad_ll(p, "f", (Fraction(3),), mode="symbolic").gradient == (6,)


# --- the old rules, broken on purpose ---------------------------------------------------


def test_materialised_zeros_of_a_drop_break_a(monkeypatch: pytest.MonkeyPatch) -> None:
    """drop(e) ↦ zero[σ] for each free linear variable (the rule before symbolic zeros):
    the dropped value's tangent is transposed and (a) fails."""
    monkeypatch.setitem(DUALITIES, Lin.DROP,
                        lambda b, cts, vs: tuple(b.zero(b.lin_types[v]) for v in vs))
    name, program = next((n, p) for n, p in REAL_PARAM if n == "square")
    at = fixed_point(program.get(name))
    la, la2 = (grad(p, name, at).work["arithmetic"]
               for p in (program, with_dropped_polynomial(program, name)))
    assert la2 > la + E_WORK


def test_j_without_constants_breaks_b(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jvp.Jvp, "const_types", lambda self, e: None)
    monkeypatch.setattr(forward._Forward, "const_type", lambda self, t: None)
    literal, constant, _ = CONSTANTS[1]
    w, w2 = works(parse_program(literal), "f"), works(parse_program(constant), "f")
    assert w2[0] > w[0] and w2[1] > w[1]
