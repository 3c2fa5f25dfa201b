"""X1 — extraction is correct: the extracted code computes the interpreter's value.

For a well-typed program p, a function f, a route R and arguments x̄ in f's domain,

    extract(p, f, R)(x̄)  =  ⟦R⟧(p, f)(x̄)

    R = plain      FUNC(x̄, ȳ)     against  evaluate.run               (all of f's parameters)
    R = linear-a   FUNC_grad(x̄)   against  grad = T∘U∘J, store and recompute policies
    R = ll         FUNC_grad(x̄)   against  grad_ll = T_LL∘F∘⟦·⟧

both sides shaped as `llad eval` / `llad grad --json` print them, checked two ways:

  exactly       x̄ are sympy symbols; the extracted functions run with every literal read
                exactly as written (`checkers.extraction.instantiate`), the interpreter in
                symbolic mode; every component of the difference expands to the literal 0;
  bit-for-bit   x̄ are floats; the module runs as written (`--target python`) and every
                component equals the interpreter's float value bit for bit (float.hex),
                since the operations and their order are the same.

What is checked where (no induction over arbitrary subterms: the hole machinery of
INDUCTION.md does not exist yet):

  per constructor  for every Linear A expression constructor C (introspected from
                   `calculus.linear_a.syntax.EXPR_CLASSES`), the program
                   `CONSTRUCTOR_CASES[C]` applies C to variables; on symbols the check
                   holds for all values of them.  Both grad routes on the cases in their
                   fragment (no linear parameters or results).  A coverage test fails
                   when a constructor has no case.
  on instances     the corpus, all routes: exactly for N ≤ 10 (every hand-written
                   example and the N = 10 members), bit-for-bit for N ≤ 100; random
                   programs (`checkers.strategies`: mixed programs for plain, non-linear
                   ones for both grad routes), exactly and bit-for-bit.

The check fails on a deliberately broken rule (`+.` emitted as `-`).
"""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from calculus import extract as ex_rules
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import EXPR_CLASSES, Program, subterms
from calculus.loader import corpus_programs, family_size
from calculus.values import symbol_like
from checkers import extraction as ex
from checkers.strategies import args_for, embed, mixed_programs, nonlinear_programs

CORPUS = dict(corpus_programs(max_n=100))
ROUTES = ex.ROUTES
CASES = {name: parse_program(src) for name, src in ex.CONSTRUCTOR_CASES.items()}




def symbols(p: Program, func: str, route: str) -> tuple:
    return tuple(symbol_like(t, x) for x, t in ex.route_params(p, func, route))



def exactly(p: Program, func: str, route: str, policy: str = "store") -> bool:
    xs = symbols(p, func, route)
    ours = ex.instantiate(ex.source(p, func, route, policy), ex.SYMPY)[ex.entry(func, route)](*xs)
    theirs, _ = ex.reference(p, func, xs, route, "symbolic", policy)
    return ex.exact_zero(ours, theirs)


def bit_for_bit(p: Program, func: str, route: str, policy: str, xs: tuple) -> bool:
    ours = ex.load(ex.source(p, func, route, policy))[ex.entry(func, route)](*xs)
    theirs, _ = ex.reference(p, func, xs, route, "float", policy)
    return ex.same_bits(ours, theirs)



CONSTRUCTOR_ROUTES = [(name, route, policy) for name in sorted(CASES) for route, policy in ROUTES
                      if ex.in_route(CASES[name], "f", route)]


# --- per constructor ------------------------------------------------------------------------


def test_every_constructor_has_a_case():
    assert set(CASES) == {c.__name__ for c in EXPR_CLASSES}
    for name, p in CASES.items():
        assert name in {type(e).__name__ for g in p.funcs for e in subterms(g.body)}, name
    # every grad route has its constructor cases too (those without linear parameters)
    assert {r for _, r, _ in CONSTRUCTOR_ROUTES} == {"plain", "linear-a", "ll"}


@pytest.mark.parametrize("name,route,policy", CONSTRUCTOR_ROUTES)
def test_constructor(name, route, policy):
    p = CASES[name]
    assert exactly(p, "f", route, policy)
    assert bit_for_bit(p, "f", route, policy, ex.point(p, "f", route))


# --- on instances: the corpus and random programs -----------------------------------------------


@pytest.mark.parametrize("name", sorted(CORPUS))
@pytest.mark.parametrize("route,policy", ROUTES)
def test_corpus(name, route, policy):
    p = CORPUS[name]
    if (family_size(name) or 0) <= 10:  # the symbolic interpreter is the cost at N = 100
        assert exactly(p, name, route, policy), name
    assert bit_for_bit(p, name, route, policy, ex.point(p, name, route)), name


@given(st.data())
def test_random_programs_plain(data):
    g = data.draw(mixed_programs())
    nl, lin = data.draw(args_for(g.program, g.func, "exact"))
    assert exactly(g.program, g.func, "plain")
    assert bit_for_bit(g.program, g.func, "plain", "store", embed(nl + lin, "float"))


@given(st.data())
def test_random_programs_grad(data):
    g = data.draw(nonlinear_programs())
    nl, _ = data.draw(args_for(g.program, g.func, "exact"))
    for route in ("linear-a", "ll"):
        assert exactly(g.program, g.func, route)
        assert bit_for_bit(g.program, g.func, route, "store", embed(nl, "float"))


# --- the check can fail ---------------------------------------------------------------------------


def test_fails_on_a_broken_rule(monkeypatch):
    """`+.` emitted as `-`: the exact and the float checks both reject it, on the LAdd
    case and on the gradient of sincos (whose transpose adds two cotangents)."""
    monkeypatch.setitem(ex_rules.LINEAR_OPS, "add", ex_rules.infix("-"))
    ex.source.cache_clear()
    try:
        p = CASES["LAdd"]
        assert not exactly(p, "f", "plain")
        assert not bit_for_bit(p, "f", "plain", "store", ex.point(p, "f", "plain"))
        for route in ("linear-a", "ll"):
            assert not exactly(CORPUS["sincos"], "sincos", route)
    finally:
        ex.source.cache_clear()
