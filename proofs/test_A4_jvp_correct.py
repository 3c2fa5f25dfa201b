"""A4 — J is correct (forward mode computes the Jacobian-vector product).

For every well-typed  f(x̄:τ̄ ;) -> (τ̄' ;)  and  J f = f.jvp(x̄:τ̄ ; ẋ̄:τ̄) -> (τ̄' ; τ̄'):

    f.jvp(x̄ ; ẋ̄)  =  ( f(x̄) ;  Σᵢ ∂f(x̄)/∂xᵢ · ẋᵢ )

for all x̄ inside f's domain and all ẋ̄, componentwise over the real components xᵢ of
x̄ and of f's results.  The derivatives ∂ are computed by `sympy.diff` of f's symbolic
value, independently of the derivative table `PARTIALS[op]` that J uses.

Checked by `checkers.semantics.jvp_theorem` (J's output is also re-type-checked, A3):
x̄ and ẋ̄ are fresh real symbols, both sides are evaluated symbolically and compared by
`prove_equal` (sound sympy zero tests, then z3) under the domain side conditions.

  whole term    the corpus functions with |f| ≤ 500 nodes (hand-written examples,
                N = 10 members, chain_100) and random programs of
                `checkers.strategies.nonlinear_programs`;
  rule by rule  horner_100, sumprod_100 and every N = 1000 member: each node of f's
                A-normal-form spine `let (x̄;) = e1 in …` is extracted as a tiny
                function of e1's free variables and the theorem is checked whole-term
                on it (J is compositional: J(let x̄ = e1 in e2) binds J(e1) and
                continues with J(e2), so the local checks are the chain rule's
                premises; the Let case itself is exercised by the whole-term checks).

Acceptance: the JVP tangent of (sin x)² + (cos x)² (`examples/sin2cos2.py`) is proved
to be 0.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from calculus.linear_a.jvp import jvp_name, jvp_program
from checkers.corpus import corpus_names, corpus_program, large_members, whole_term
from checkers.semantics import by_binding, evaluate, jvp_theorem, symbolic_inputs, tangent_name
from checkers.strategies import Generated, nonlinear_programs
from checkers.symbolic import prove_zero

CORPUS = corpus_names(100)
LARGE = large_members()  # chain_1000 under `ci`, every N = 1000 member under `thorough`:
# every constructor (each primitive) is proved by induction (proofs/test_induction.py)


@pytest.mark.parametrize("name", CORPUS)
def test_corpus(name: str) -> None:
    p = corpus_program(name)
    v = jvp_theorem(p, name) if whole_term(p, name) else by_binding(p, name, jvp_theorem)
    assert v, f"{name}: {v}"


@pytest.mark.parametrize("name", LARGE)
def test_large_rule_by_rule(name: str) -> None:
    p = corpus_program(name)
    assert not whole_term(p, name)
    v = by_binding(p, name, jvp_theorem)
    assert v, f"{name}: {v}"
    assert v.method.startswith("rule by rule")


def test_sin2cos2_tangent_is_zero() -> None:
    """d/dx ((sin x)² + (cos x)²) · ẋ = 0, proved on J's output itself."""
    p = corpus_program("sin2cos2")
    jp = jvp_program(p, "sin2cos2")
    f = p.get("sin2cos2")
    x, _ = symbolic_inputs(f)
    dx, _ = symbolic_inputs(f, tangent_name)
    r = evaluate(jp, jvp_name("sin2cos2"), x, dx)
    (tangent,), (primal,) = r.lin, r.nl
    v = prove_zero(tangent, r.conditions)
    assert v, str(v)
    assert prove_zero(primal - 1, r.conditions), "the primal is (sin x)² + (cos x)² = 1"


@given(nonlinear_programs())
def test_fuzzed(g: Generated) -> None:
    v = jvp_theorem(g.program, g.func)
    assert v, f"{v}\n{g}"
