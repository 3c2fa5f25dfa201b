"""A3 — J preserves typing.

For every well-typed program P and every  f : (x̄:τ̄ ;) -> (τ̄' ;)  in P, the program
J(P) (P extended with g.jvp for f and each function g it calls) type-checks, and

    f.jvp : (x̄:τ̄ ; ẋ̄:τ̄) -> (τ̄' ; τ̄')

i.e. Γ ⊢ e : (τ̄' ;)  ⟹  Γ ; ẋ̄:τ̄ ⊢ J(e) : (τ̄' ; τ̄'), with Δ = ẋ̄ consumed exactly
once (every copy of a tangent made by `dup`).  Checked by
`checkers.semantics.jvp_typing`: `check_program` on J's output (its `LinearityError` /
`TypeCheckError` is the counterexample), then the signature the checker recorded
against the one above, for f and every callee.

  whole term    every corpus program with N ≤ 100 (N ≤ 1000 under the `thorough`
                profile) and random programs of `nonlinear_programs`;
  rule by rule  the N = 1000 members: J of every node of f's A-normal-form spine,
                extracted as a tiny function of its free variables
                (`checkers.semantics.by_binding`).
"""

from __future__ import annotations

import pytest
from hypothesis import given

from checkers.profiles import PROFILE
from calculus.linear_a.syntax import Program
from checkers.corpus import corpus_names, corpus_program, large_members
from checkers.semantics import by_binding, jvp_typing
from checkers.strategies import Generated, nonlinear_programs
from checkers.symbolic import Verdict

WHOLE = corpus_names(1000 if PROFILE == "thorough" else 100)
LOCAL = large_members()  # chain_1000 under `ci`, every N = 1000 member under `thorough`:
# every constructor is proved by induction (proofs/test_induction.py)


def typed(program: Program, func: str) -> Verdict:
    return jvp_typing(program, func)[1]


@pytest.mark.parametrize("name", WHOLE)
def test_corpus(name: str) -> None:
    v = typed(corpus_program(name), name)
    assert v, f"{name}: {v}"


@pytest.mark.parametrize("name", LOCAL)
def test_large_rule_by_rule(name: str) -> None:
    v = by_binding(corpus_program(name), name, typed)
    assert v, f"{name}: {v}"


@given(nonlinear_programs())
def test_fuzzed(g: Generated) -> None:
    v = typed(g.program, g.func)
    assert v, f"{v}\n{g}"
