"""A2 — linearity: non-linear results ignore Δ, linear results are jointly linear in Δ.

For every well-typed  f : (x̄:τ̄ ; ȳ:σ̄) -> (τ̄' ; σ̄')  with results (r̄(x̄;ȳ) ; s̄(x̄;ȳ)),
all x̄ in the domain, all u, v : σ̄ and all reals α, β:

  (A2a)  r̄(x̄ ; αu + βv) = r̄(x̄ ; u) = r̄(x̄ ; v)
  (A2b)  s̄(x̄ ; αu + βv) = α·s̄(x̄ ; u) + β·s̄(x̄ ; v)

proved with x̄, u, v, α, β fresh real symbols, evaluated symbolically and compared by
`prove_equal` (`checkers.semantics.linearity`).  Unlike λLL (L3 needs an affine
version), Linear A is strictly linear: reals reach a linear position only through Δ,
`zero` and `*.` with a non-linear scalar, never as a literal.

Instances:
  - random programs of `linear_programs` and `mixed_programs` (their last function);
  - J/U outputs of the corpus: f.jvp is linear in its tangent inputs ẋ̄, and
    f.jvp.lin (store policy) in its tangent inputs, for fixed x̄ (resp. tape);
    whole term for |f| ≤ 500 nodes; rule by rule for horner_100 and sumprod_100 (each
    node of the spine of f.jvp, and of f.jvp.lin, as a tiny function of its free
    variables: if every binding is linear in its linear free variables and its
    non-linear results ignore them, so is the let-chain, since linear maps compose);
  - the N = 1000 members (under the `ci` profile only chain_1000, for time), rule by
    rule on f's spine: each binding b of f extracted as a tiny function, and (A2)
    checked for b.jvp and b.jvp.lin.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from calculus.linear_a.jvp import jvp_name, jvp_program
from calculus.linear_a.syntax import Program
from calculus.linear_a.unzip import lin_name, unzip_program
from checkers.corpus import corpus_names, corpus_program, large_members, whole_term
from checkers.semantics import all_of, by_binding, linearity
from checkers.strategies import Generated, linear_programs, mixed_programs
from checkers.symbolic import Verdict

CORPUS = corpus_names(100)
LARGE = large_members()


def check(program: Program, func: str, whole: bool) -> Verdict:
    """(A2) for func: whole term, or rule by rule on its spine."""
    return linearity(program, func) if whole else by_binding(program, func, linearity)


def jvp_halves_linear(program: Program, func: str, whole: bool = True) -> Verdict:
    """(A2) for f.jvp and for f.jvp.lin (U with the store policy)."""
    jp = jvp_program(program, func)
    u = unzip_program(jp, jvp_name(func))
    return all_of([
        ("f.jvp", lambda: check(jp, jvp_name(func), whole)),
        ("f.jvp.lin", lambda: check(u.program, lin_name(jvp_name(func)), whole)),
    ])


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_jvp(name: str) -> None:
    p = corpus_program(name)
    v = jvp_halves_linear(p, name, whole_term(p, name))
    assert v, f"{name}: {v}"


@pytest.mark.parametrize("name", LARGE)
def test_large_rule_by_rule(name: str) -> None:
    v = by_binding(corpus_program(name), name, jvp_halves_linear)
    assert v, f"{name}: {v}"


@given(linear_programs())
def test_fuzzed_linear(g: Generated) -> None:
    v = linearity(g.program, g.func)
    assert v, f"{v}\n{g}"


@given(mixed_programs())
def test_fuzzed_mixed(g: Generated) -> None:
    v = linearity(g.program, g.func)
    assert v, f"{v}\n{g}"
