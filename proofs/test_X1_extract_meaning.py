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

What is proved for all programs (by induction with holes, INDUCTION.md; registered as
theorem X1 in `checkers.induction`, so `llad audit X1`, the coverage matrix and T5 list
it; discharged and coverage-checked in test_induction.py):

  induction step   for every constructor C (introspected, every primitive for Prim) the
                   schema C(H̄) of `checkers.induction.schemas()` is extracted with
                   `holes=True`, a hole being a call of the opaque function HOLES['h'];
                   plain, and both grad routes on the schemas in their fragment
                   (linear-a: T∘U∘J, store and recompute; ll: T_LL∘F∘⟦·⟧).  The
                   extracted code runs on sympy symbols with HOLES bound to the meaning
                   the interpreter gives the same hole (`checkers.induction.hole_run`:
                   undefined sympy functions h(x̄); ?h.jvp.nonlin ↦ (h(x̄), tape x̄),
                   ?h.jvp.lin.T ↦ ∂h(tape)ᵀ·c̄ and T_LL's ?h'F'T ↦ (h(x̄), c ↦ ∂h(x̄)ᵀ·c)
                   by sympy's own partials), and every component of its value minus the
                   interpreter's on C(H̄) reduces to the literal 0 (same shape too).  The
                   IH is the hole itself: both sides call the same function for the
                   same subterm, so equality for C(H̄) given equality for its holes.

What stays instance-checked (the glue the induction does not see):

  per constructor  closed local instances (`CONSTRUCTOR_CASES`), exactly and bit for bit;
  on instances     the corpus, all routes: exactly for N ≤ 10 (every hand-written
                   example and the N = 10 members), bit-for-bit for N ≤ 100; random
                   programs (`checkers.strategies`: mixed programs for plain, non-linear
                   ones for both grad routes), exactly and bit-for-bit.
  These test the hole interface itself (that extraction never looks into a subterm
  beyond its judgement), the entry points FUNC/FUNC_grad and the module around them,
  and the float claim (bit-identical to the interpreter in float mode), which is not
  compositional and is not proved.

Every check fails on a deliberately broken rule (`+.` emitted as `-`): the X1 induction
step of LAdd (and of every grad route whose transpose adds cotangents) fails.
"""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from calculus import extract as ex_rules
from calculus.errors import OutOfFragment
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import EXPR_CLASSES, Program, subterms
from calculus.loader import corpus_programs, family_size
from calculus.values import symbol_like
from checkers import extraction as ex, induction
from checkers.induction import schemas
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


# --- by induction: the broken rule fails its step; holes outside the proofs ----------------


def test_the_broken_add_fails_the_x1_ladd_step(monkeypatch):
    """`+.` emitted as `-` fails X1's LAdd step on the plain route (a − b ≠ a + b with
    a, b the holes' values M_h1(x)·y, M_h2(x)·z), and the Prim mul step on a grad route
    (T∘U∘J's cotangents of x·y's two arguments are added); the same steps are proved
    with the rule intact."""
    for c in ("LAdd", "Prim mul"):
        assert induction.induction_step("X1", c).status == "proved"
    monkeypatch.setitem(ex_rules.LINEAR_OPS, "add", ex_rules.infix("-"))
    ladd = induction.induction_step("X1", "LAdd")
    assert ladd.status == "failed" and "plain/store: extracted vs interpreter" in ladd.detail
    mul = induction.induction_step("X1", "Prim mul")
    assert mul.status == "failed" and "linear-a/store" in mul.detail


def test_a_hole_outside_the_proofs_is_an_error():
    """A metavariable in a program a user extracts is `OutOfFragment`, naming it."""
    (s,) = [s for s in schemas() if s.constructor == "Prim sin"]
    with pytest.raises(OutOfFragment, match=r"metavariable \?h1"):
        ex_rules.extract(s.program, "f")
    for via in ex_rules.VIAS:
        with pytest.raises(OutOfFragment, match="metavariable"):
            ex_rules.extract(s.program, "f", grad=True, via=via)
    assert "HOLES['h1']" in ex_rules.extract(s.program, "f", holes=True)
