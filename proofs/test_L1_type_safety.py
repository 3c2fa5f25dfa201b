"""L1 — type safety of λLL.

    If  Γ ; · ⊢ t : A  (Γ the definitions of a program, bound to their values ρ)
    then  ρ ⊢ t ⇓ v  and  ⊢ v : A,

unless a primitive is applied outside its domain (a documented `DomainError`, e.g.
exp overflowing in float mode).  `⊢ v : A` is `evaluate.value_type`: reals, (), pairs,
!v, partially applied constants by their axioms, and a closure ⟨fun (x:B) -> s, ρ⟩ by
type-checking the λ under the types of the values ρ gives its free variables.  Getting
stuck, exceeding the step budget, or a value of another type refutes the theorem.

Checked on the body of every definition of the corpus examples/ll_*.ll applied to
canonical arguments (earlier definitions bound to their values), and on closed terms of random types from the type-directed
generator (including higher-order terms and banged functions).
"""

from __future__ import annotations

from typing import Mapping

import pytest
from hypothesis import given

from calculus.errors import CalculusError, DomainError
from calculus.lambda_ll.corpus import applied, corpus
from calculus.lambda_ll.evaluate import Value, evaluate, value_type
from calculus.lambda_ll.syntax import Term, Type
from calculus.lambda_ll.typecheck import Checker, infer
from checkers.ll_strategies import closed_terms, inhabitant

FUEL = 20_000  # structural steps; generous for corpus and fuzz terms (see L5 for bounds)


def check_type_safety(t: Term, gamma: Mapping[str, Type] = {},
                      env: Mapping[str, Value] = {},
                      checker: type[Checker] = Checker) -> str | None:
    """None when the L1 obligation for t holds (or t is rejected); else the refutation."""
    try:
        ty = infer(t, gamma, {}, checker)
    except CalculusError:
        return None  # not well typed: nothing to prove
    try:
        value = evaluate(t, env, max_steps=FUEL).value
    except DomainError:
        return None
    except CalculusError as exc:
        return f"evaluation of a term of type {ty} went wrong: {exc}"
    try:
        found = value_type(value)
    except CalculusError as exc:
        return f"the value of a term of type {ty} is ill-typed: {exc}"
    return None if found == ty else f"value of type {found}, expected {ty}"


def corpus_cases() -> list[tuple[str, Term, dict, dict]]:
    """(id, term, Γ, ρ): every definition's body applied to canonical arguments."""
    cases = []
    for e in corpus():
        for d in e.program.defs:
            term, _ = applied(d.body, d.ty, inhabitant)
            cases.append((f"{e.file}:{d.name}", term, e.gamma, e.values))
    return cases


@pytest.mark.parametrize("case", corpus_cases(), ids=lambda c: c[0])
def test_corpus(case):
    _, term, gamma, env = case
    assert check_type_safety(term, gamma, env) is None


def test_corpus_is_not_vacuous():
    assert len(corpus_cases()) >= 40


@given(closed_terms(fuel=4))
def test_fuzzed(term_and_type):
    term, ty = term_and_type
    assert infer(term) == ty  # the generator's claim, checked independently of L1
    failure = check_type_safety(term)
    assert failure is None, failure
