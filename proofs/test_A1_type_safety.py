"""A1 — type safety, and static work = dynamic work.

For every well-typed program P and  f : (x̄:τ̄ ; ȳ:σ̄) -> (τ̄' ; σ̄')  in P, and
arguments  ⊢ v̄ : τ̄,  ⊢ w̄ : σ̄  inside the primitives' domains:

  (A1a)  f(v̄ ; w̄) ⇓ (r̄ ; s̄)  with  ⊢ r̄ : τ̄'  and  ⊢ s̄ : σ̄'
  (A1b)  the work counted while evaluating equals the static work:
         dyn_m(f(v̄ ; w̄)) = W_m(f)   for both cost models m ∈ {arithmetic, symmetric}

`⊢ v : τ` is `checkers.semantics.has_type`: a real is a number of the evaluation's
mode (a float, or a sympy expression), a tuple has one component of the right type per
element type.  Each run is made in `float` mode (at given points) and in `symbolic`
mode (on fresh symbols, where every evaluation is in the domain up to its recorded
side conditions).  Linear A has no control flow, so (A1b) does not depend on the
arguments; it is checked at every run anyway.

Instances (all whole term: evaluation is linear in the size of the program):
  - every corpus program (N ≤ 1000) at the point xᵢ = (i + 1)/8, and on symbols those
    with |f| ≤ 500 nodes (sympy's own simplification on construction makes the
    symbolic run of chain_1000 take 6 s; its float run takes 10 ms);
  - every function of T(U(J f)) for the corpus functions with |f| ≤ 500: f.jvp,
    f.jvp.nonlin, f.jvp.lin, f.jvp.lin.T (and those of f's callees), on symbols and at
    the same point;
  - random programs of all three generator families at `args_for` points (the
    generators promise to stay inside the domains there) and on symbols, and every
    function of T(U(J f)) for the non-linear family.
"""

from __future__ import annotations

from fractions import Fraction
from typing import assert_never

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculus.linear_a.evaluate import run
from calculus.linear_a.grad import reverse
from calculus.linear_a.syntax import FunDef, Program, RealT, TupT, Type
from checkers.corpus import corpus_names, corpus_program, whole_term
from checkers.semantics import symbolic_inputs, type_safety
from checkers.strategies import (Generated, args_for, linear_programs, mixed_programs,
                                 nonlinear_programs)


def point(t: Type, counter: list[int]) -> object:
    """The float argument of type t at the corpus point: the i-th real (0-based, over
    all parameters) is (i + 1)/8; `counter` holds how many reals came before."""
    match t:
        case RealT():
            counter[0] += 1
            return float(Fraction(counter[0], 8))
        case TupT(elems):
            return tuple(point(s, counter) for s in elems)
        case _:
            assert_never(t)


def corpus_point(f: FunDef) -> tuple[tuple, tuple]:
    c = [0]
    return (tuple(point(t, c) for _, t in f.nl_params),
            tuple(point(t, c) for _, t in f.lin_params))


def check_run(program: Program, func: str, nl: tuple, lin: tuple, mode: str) -> None:
    """A1a and A1b for one run of func."""
    v = type_safety(program, func, nl, lin, mode)
    assert v, str(v)


def check_function(program: Program, func: str, nl: tuple, lin: tuple,
                   symbolic: bool = True) -> None:
    """A1 for func at the float point (nl; lin) and, if `symbolic`, on symbols."""
    check_run(program, func, nl, lin, "float")
    if symbolic:
        check_run(program, func, *symbolic_inputs(program.get(func)), "symbolic")


@pytest.mark.parametrize("name", corpus_names(1000))
def test_corpus(name: str) -> None:
    p = corpus_program(name)
    check_function(p, name, *corpus_point(p.get(name)), symbolic=whole_term(p, name))


@pytest.mark.parametrize("name", [n for n in corpus_names(100)
                                  if whole_term(corpus_program(n), n)])
def test_corpus_derived(name: str) -> None:
    """Every function of T(U(J f)), each at its own corpus point and on symbols."""
    p = corpus_program(name)
    rev = reverse(p, name)
    derived = [g for g in rev.program.funcs if g not in p.funcs]
    assert {rev.nonlin, rev.backward} <= {g.name for g in derived}
    for g in derived:
        check_function(rev.program, g.name, *corpus_point(g))


FAMILIES = st.one_of(nonlinear_programs(), linear_programs(), mixed_programs())


@given(FAMILIES, st.data())
def test_fuzzed(g: Generated, data: st.DataObject) -> None:
    nl, lin = data.draw(args_for(g.program, g.func, "float"))
    check_function(g.program, g.func, nl, lin)


@given(nonlinear_programs(), st.data())
def test_fuzzed_derived(g: Generated, data: st.DataObject) -> None:
    """T(U(J f)) of random programs: f.jvp.nonlin at an `args_for` point, f.jvp.lin.T
    on the tape it produced and a drawn cotangent; every derived function on symbols."""
    rev = reverse(g.program, g.func)
    x, _ = data.draw(args_for(g.program, g.func, "float"))
    tape = run(rev.program, rev.nonlin, x).nl[len(g.fundef.nl_results):]
    _, ct = data.draw(args_for(rev.program, rev.backward, "float"))
    check_run(rev.program, rev.nonlin, x, (), "float")
    check_run(rev.program, rev.backward, tape, ct, "float")
    for f in rev.program.funcs:
        if f not in g.program.funcs:
            check_run(rev.program, f.name, *symbolic_inputs(f), "symbolic")
