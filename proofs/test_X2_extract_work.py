"""X2 — extraction conserves work: the extracted code executes exactly W operations.

For a well-typed program p, a function f, a route R and arguments x̄ in f's domain,

    #ops( extract(p, f, R)(x̄) )  =  W_arith

    R = plain      W(f)                                (calculus.linear_a.work, static)
    R = linear-a   W(f.jvp.nonlin) + W(f.jvp.lin.T)    (static, store and recompute)
    R = ll         the λLL workload of grad_LL f       (both phases, the evaluator's count)

all under the `arithmetic` cost model (dup, drop and zero free; a primitive costs 1; +.
and *. cost one per real).  #ops is counted by running the extracted functions on
`checkers.extraction.Tally` numbers, which count every `+ - * /`, unary `-` and call of
`sin cos exp log` they take part in; literals are read as such numbers, so literal-only
arithmetic (which CPython folds at compile time) is counted as the source writes it.
The extracted code is straight-line (closures are called once), so the count does not
depend on x̄; the values the counting run computes are also compared with the
interpreter's, bit for bit.

Proved for all programs by induction with holes (theorem X2 in `checkers.induction`;
discharged and coverage-checked in test_induction.py): for every constructor C (every
primitive for Prim) and every route in the schema's fragment, the extracted code of
C(H̄) (`holes=True`) runs on counting sympy numbers with HOLES bound to the holes'
meanings (`checkers.induction.hole_run`), each call of a hole charging its work as a
symbol — W(?h) (an integer symbol ≥ 0) for a Linear A hole, the arithmetic price of
the tallies a λLL hole reports (the same symbols `grad_LL`'s workload uses) — and
#ops + Σ charges = W_arith(C(H̄)) with the same symbols is z3 `unsat` when negated.
The IH is the statement for each hole: its call costs exactly its work.

Instance-checked (the glue): per constructor on closed local instances
(`CONSTRUCTOR_CASES`), the corpus N ≤ 100 (all routes), random programs (plain: mixed
programs; both grad routes: non-linear programs) — the entry points around f and the
float run whose values are compared bit for bit.

The checks fail on a broken rule that adds a multiplication by 1.0 to `*` (X1 still
holds for it: the values are the same, only the work differs): the X2 induction step
of Prim mul fails, X1's is still proved.
"""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from calculus import extract as ex_rules
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import Program
from calculus.loader import corpus_programs
from calculus.primitives import Op
from checkers import extraction as ex, induction
from checkers.strategies import args_for, embed, mixed_programs, nonlinear_programs

CORPUS = dict(corpus_programs(max_n=100))
ROUTES = ex.ROUTES
CASES = {name: parse_program(src) for name, src in ex.CONSTRUCTOR_CASES.items()}





def conserved(p: Program, func: str, route: str, policy: str, xs: tuple) -> tuple[int, int]:
    """(#ops of the extracted run, W); also asserts the counted run's values are the
    interpreter's, bit for bit."""
    value, ops = ex.count(ex.source(p, func, route, policy), ex.entry(func, route), xs)
    ref, w = ex.reference(p, func, xs, route, "float", policy)
    assert ex.same_bits(value, ref)
    return ops, w


@pytest.mark.parametrize("name,route,policy", [
    (n, r, pol) for n in sorted(CASES) for r, pol in ROUTES if ex.in_route(CASES[n], "f", r)])
def test_constructor(name, route, policy):
    p = CASES[name]
    ops, w = conserved(p, "f", route, policy, ex.point(p, "f", route))
    assert ops == w


@pytest.mark.parametrize("name", sorted(CORPUS))
@pytest.mark.parametrize("route,policy", ROUTES)
def test_corpus(name, route, policy):
    p = CORPUS[name]
    ops, w = conserved(p, name, route, policy, ex.point(p, name, route))
    assert ops == w and w > 0


@given(st.data())
def test_random_programs_plain(data):
    g = data.draw(mixed_programs())
    nl, lin = data.draw(args_for(g.program, g.func, "exact"))
    ops, w = conserved(g.program, g.func, "plain", "store", embed(nl + lin, "float"))
    assert ops == w


@given(st.data())
def test_random_programs_grad(data):
    g = data.draw(nonlinear_programs())
    nl, _ = data.draw(args_for(g.program, g.func, "exact"))
    for route in ("linear-a", "ll"):
        ops, w = conserved(g.program, g.func, route, "store", embed(nl, "float"))
        assert ops == w


def test_fails_on_a_broken_rule(monkeypatch):
    """`x * y` emitted as `x * y * 1.0`: same values (X1 holds), one operation more per
    multiplication, so X2 rejects it on the Prim case and on every route of sincos."""
    monkeypatch.setitem(ex_rules.PY_OPS, Op.MUL,
                        lambda a, b: f"{ex_rules.paren(a)} * {ex_rules.paren(b)} * 1.0")
    ex.source.cache_clear()
    try:
        p = CASES["Prim"]
        ops, w = conserved(p, "f", "plain", "store", ex.point(p, "f", "plain"))
        assert ops == w + 1
        for route, policy in ROUTES:
            ops, w = conserved(CORPUS["sincos"], "sincos", route, policy, (0.7,))
            assert ops > w
    finally:
        ex.source.cache_clear()


def test_an_extra_operation_fails_the_x2_prim_mul_step(monkeypatch):
    """`x * y` emitted as `x * y * 1.0` fails X2's Prim mul step (one operation more than
    W) while X1's is proved (1.0 is read exactly: the value is unchanged)."""
    assert induction.induction_step("X2", "Prim mul").status == "proved"
    monkeypatch.setitem(ex_rules.PY_OPS, Op.MUL,
                        lambda a, b: f"{ex_rules.paren(a)} * {ex_rules.paren(b)} * 1.0")
    broken = induction.induction_step("X2", "Prim mul")
    assert broken.status == "failed" and "plain/store: #ops" in broken.detail
    assert induction.induction_step("X1", "Prim mul").status == "proved"
