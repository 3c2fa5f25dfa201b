"""A8 — T preserves typing and is the adjoint.

For every well-typed linear  f : (x̄:τ̄ ; ȳ:σ̄) -> (; σ̄')  (no non-linear results, no
mixed let), T adds  f.T : (x̄:τ̄ ; c̄:σ̄') -> (; σ̄),  the extended program
type-checks, and the dot-product identity holds exactly:

    ⟨ c̄ , f(x̄ ; ȳ) ⟩  =  ⟨ f.T(x̄ ; c̄) , ȳ ⟩

for all x̄ in the domain, all ȳ : σ̄ and all c̄ : σ̄', with x̄, ȳ, c̄ fresh real symbols
and ⟨·,·⟩ the sum of products of matching real components; proved by `prove_equal`
(`checkers.semantics.transpose_theorem`: `check_program`, the recorded signature of
f.T and of every callee's transpose, then `adjoint`).  Since the identity is bilinear
in (ȳ, c̄) and holds for symbolic ȳ, c̄, it says f.T = fᵀ as linear maps.

Instances:
  - the linear halves f.jvp.lin of the corpus (N ≤ 100) under every checkpoint
    policy, whole term for |f| ≤ 500 nodes; horner_100 and sumprod_100 rule by rule
    (store policy: each node of the spine of f.jvp.lin, a linear binding, as a tiny
    function of its free variables; T(let ȳ = e1 in e2) transposes e2 then e1, so
    adjointness of every binding gives adjointness of the chain; the Let case is
    exercised whole-term on the smaller programs);
  - the N = 1000 members (under `ci` only chain_1000), rule by rule on f's spine:
    each binding b of f as a tiny function, and (A8) for b.jvp.lin;
  - random programs of `linear_programs`: always unzipped first (U, store) and f.lin
    transposed — f.lin is always in T's fragment — and, when T accepts f itself
    (no mixed let, no call of a function with non-linear results), f directly.
"""

from __future__ import annotations

import pytest
from hypothesis import event, given, note

from calculus.errors import OutOfFragment
from calculus.linear_a.jvp import jvp_name, jvp_program
from calculus.linear_a.syntax import Program
from calculus.linear_a.unzip import Policy, lin_name, unzip_program
from checkers.corpus import corpus_names, corpus_program, large_members, whole_term
from checkers.policies import POLICIES
from checkers.semantics import all_of, by_binding, transpose_theorem
from checkers.strategies import Generated, linear_programs
from checkers.symbolic import Verdict


def jvp_lin_transposes(program: Program, func: str, policy: Policy = "store",
                       whole: bool = True) -> Verdict:
    """(A8) for f.jvp.lin, the linear half of J f under `policy`."""
    u = unzip_program(jvp_program(program, func), jvp_name(func), policy)
    lin = lin_name(jvp_name(func))
    if whole:
        return transpose_theorem(u.program, lin)
    return by_binding(u.program, lin, linear_binding_transposes)


def linear_binding_transposes(program: Program, func: str) -> Verdict:
    """A8 for one binding of a linear half.  A binding with non-linear results (the
    free aliases U re-binds in f.lin, or recomputed bindings) is forward code that T
    keeps in place: it has no adjoint to check (its meaning is A6's)."""
    if program.get(func).nl_results:
        return Verdict(True, "forward binding, kept in place by T")
    return transpose_theorem(program, func)


@pytest.mark.parametrize("name", corpus_names(100))
def test_corpus_jvp_lin(name: str) -> None:
    p = corpus_program(name)
    if whole_term(p, name):
        v = all_of((n, lambda pi=pi: jvp_lin_transposes(p, name, pi))
                   for n, pi in POLICIES.items())
    else:
        v = jvp_lin_transposes(p, name, whole=False)
    assert v, f"{name}: {v}"


@pytest.mark.parametrize("name", large_members())
def test_large_rule_by_rule(name: str) -> None:
    v = by_binding(corpus_program(name), name, jvp_lin_transposes)
    assert v, f"{name}: {v}"


@given(linear_programs())
def test_fuzzed(g: Generated) -> None:
    u = unzip_program(g.program, g.func)
    v = transpose_theorem(u.program, lin_name(g.func))
    assert v, f"f.lin: {v}\n{g}"
    try:
        v = transpose_theorem(g.program, g.func)
    except OutOfFragment as exc:
        assert exc.transformation == "T"
        note(f"T rejects f itself ({exc.message}); checked on f.lin only")
        event("f.lin only")
        return
    event("f and f.lin")
    assert v, f"f: {v}\n{g}"
