"""L3 — algebraic linearity.

Let  Γ ; y1:D1, …, ym:Dm ⊢ t : D  with data types Di, D ::= real | 1 | D ⊗ D, and write
t(w̄) for t[ȳ := w̄] (Γ fixed).  For all values of Γ, all u, v and all reals α, β:

  (L3a) t is jointly *affine* in ȳ:
            t(α·u + β·v)  =  α·t(u) + β·t(v) + (1 − α − β)·t(0̄)
  (L3b) t is jointly *linear* in ȳ when t(0̄) = 0, in particular in the strictly
        linear fragment (reals in linear positions come only from ȳ and `zero`):
            t(α·u + β·v)  =  α·t(u) + β·t(v)

[finding] SPEC §6 states L3 as (L3b) for every such t.  That is false for the signature
of §3.2: literals, primitives (`sin : !real ⊸ real`) and intuitionistic reals can be
used in linear positions, e.g.  · ; y:real ⊢ (y, 0.25) : real ⊗ real  is affine, not
linear (tests/test_lambda_ll.py keeps this counterexample).  (L3a) holds for every term
because a scale factor `!r` and every promoted subterm have an empty Δ, so they cannot
depend on ȳ; (L3b) follows from (L3a) when t(0̄) = 0.

Proved symbolically: Γ's reals, the components of u and v, α and β are fresh sympy
symbols; the evaluations run in symbolic mode and the identity is discharged by
`checkers.symbolic.prove_equal` (sympy zero tests, then z3) under the domain side
conditions met during evaluation; `unknown` is a failure.

Instances: each corpus definition of type !real ⊸ … ⊸ !real ⊸ D1 ⊸ … ⊸ Dm ⊸ D (m ≥ 1),
applied to symbolic banged reals and to the linear inputs (all are strictly linear:
checked with L3b); random open terms with several linear data inputs and
intuitionistic real inputs (L3a), and random strictly linear ones (L3b).
"""

from __future__ import annotations

from typing import Mapping

import pytest
import sympy
from hypothesis import given

from calculus.errors import CalculusError, DomainError
from calculus.lambda_ll.corpus import corpus
from calculus.lambda_ll.evaluate import (VBang, VPair, VReal, VUnit, Value, combine,
                                         evaluate, to_python, zero_value)
from calculus.lambda_ll.syntax import (BANG_REAL, App, Bang, Lolli, One, Real, Tensor, Term,
                                       Type, Var, is_data)
from calculus.lambda_ll.typecheck import Checker, infer
from calculus.numbers import SympyNumbers
from checkers.ll_strategies import linear_problems
from checkers.symbolic import prove_equal

FUEL = 20_000


def symbolic_value(ty: Type, prefix: str) -> Value:
    """A value of a data type (or !data) whose reals are fresh real symbols prefix_i."""
    count = iter(range(1_000))

    def build(a: Type) -> Value:
        match a:
            case Real():
                return VReal(sympy.Symbol(f"{prefix}_{next(count)}", real=True))
            case One():
                return VUnit()
            case Tensor(l, r):
                return VPair(build(l), build(r))
            case Bang(b):
                return VBang(build(b))
        raise ValueError(f"no symbolic value of type {a}")

    return build(ty)


def check_algebraic_linearity(t: Term, gamma: Mapping[str, Type],
                              delta: Mapping[str, Type], env: Mapping[str, Value] = {},
                              checker: type[Checker] = Checker,
                              exact: bool = True) -> str | None:
    """None when t is proved jointly linear (exact) or affine (not exact) in its linear
    inputs Δ, or t is rejected, or Δ/the result are not data types; else why not.  Γ's
    entries missing from env get symbolic values."""
    try:
        result = infer(t, gamma, delta, checker)
    except CalculusError:
        return None
    if not (is_data(result) and all(is_data(d) for d in delta.values())):
        return None  # not an instance of L3
    env = {**{u: symbolic_value(ty, u) for u, ty in gamma.items() if u not in env}, **env}
    alpha, beta = sympy.symbols("alpha beta", real=True)
    nums = SympyNumbers()
    u = {y: symbolic_value(d, f"{y}_u") for y, d in delta.items()}
    v = {y: symbolic_value(d, f"{y}_v") for y, d in delta.items()}
    mix = {y: combine(u[y], v[y], nums, alpha, beta) for y in delta}
    zero = {y: zero_value(d, nums) for y, d in delta.items()}
    try:
        t_mix, t_u, t_v, t_0 = (evaluate(t, env, inputs, nums=nums, max_steps=FUEL).value
                                for inputs in (mix, u, v, zero))
    except DomainError:
        return None
    except CalculusError as exc:
        return f"evaluation went wrong: {exc}"
    rhs = combine(t_u, t_v, nums, alpha, beta)
    if not exact:
        rhs = combine(rhs, t_0, nums, None, 1 - alpha - beta)
    verdict = prove_equal(to_python(t_mix), to_python(rhs), nums.conditions)
    kind = "linear" if exact else "affine"
    return None if verdict else f"not jointly {kind} in {sorted(delta)}: {verdict}"


def corpus_cases():
    """Definitions of type !real ⊸ … ⊸ D1 ⊸ … ⊸ Dm ⊸ D (m ≥ 1), applied to symbolic
    banged reals; the Di become the linear inputs y0, …, ym-1."""
    cases = []
    for e in corpus():
        for d in e.program.defs:
            term: Term = Var(d.name)
            ty, env, delta = d.ty, dict(e.values), {}
            while isinstance(ty, Lolli) and ty.dom == BANG_REAL and not delta:
                b = f"b{len(env)}"
                env[b] = symbolic_value(BANG_REAL, b)
                term, ty = App(term, Var(b)), ty.cod
            while isinstance(ty, Lolli) and is_data(ty.dom):
                y = f"y{len(delta)}"
                delta[y] = ty.dom
                term, ty = App(term, Var(y)), ty.cod
            if delta and is_data(ty):
                gamma = {**e.gamma, **{b: BANG_REAL for b in env if b not in e.gamma}}
                cases.append((f"{e.file}:{d.name}", term, gamma, delta, env))
    return cases


@pytest.mark.parametrize("case", corpus_cases(), ids=lambda c: c[0])
def test_corpus(case):
    _, term, gamma, delta, env = case
    failure = check_algebraic_linearity(term, gamma, delta, env)
    assert failure is None, failure


def test_corpus_is_not_vacuous():
    assert len(corpus_cases()) >= 8


@given(linear_problems(fuel=4))
def test_fuzzed_affine(problem):
    failure = check_algebraic_linearity(problem.term, problem.gamma, problem.delta,
                                        exact=False)
    assert failure is None, failure


@given(linear_problems(fuel=4, strict=True))
def test_fuzzed_strictly_linear(problem):
    failure = check_algebraic_linearity(problem.term, problem.gamma, problem.delta)
    assert failure is None, failure
