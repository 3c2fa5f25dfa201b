"""L4 — the Curry–Howard round trip.

    If  Γ ; Δ ⊢ t : A  then  π = derive(t)  is a natural-deduction proof of the DILL
    sequent  Γ ; Δ ⊢ A  that the independent checker `checkers.proof_checker` accepts
    rule by rule, and  extract(π) = t  (syntactically, up to source positions).

The proof checker shares no code with the type checker: a term wrongly accepted by a
broken type checker yields a derivation the proof checker rejects
(proofs/test_L_broken_rules.py).  Checked on every definition of the corpus (with the
earlier definitions as Γ) and on random open terms (with linear and intuitionistic
hypotheses) from the type-directed generator.
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping

import pytest
from hypothesis import given

from calculus.errors import CalculusError
from calculus.lambda_ll.corpus import corpus
from calculus.lambda_ll.curry_howard import derive, extract
from calculus.lambda_ll.syntax import Term, Type
from calculus.lambda_ll.typecheck import Checker, infer
from checkers.ll_strategies import closed_terms, ll_terms, ll_types
from checkers.proof_checker import check_proof
from hypothesis import strategies as st


def check_curry_howard(t: Term, gamma: Mapping[str, Type] = {},
                       delta: Mapping[str, Type] = {},
                       checker: type[Checker] = Checker) -> str | None:
    """None when the L4 obligation for t holds (or t is rejected); else the failure."""
    try:
        ty = infer(t, gamma, delta, checker)
    except CalculusError:
        return None
    try:
        proof = derive(t, gamma, delta)
        check_proof(proof)
    except CalculusError as exc:
        return f"no valid proof of {ty}: {exc}"
    s = proof.sequent
    if dict(s.gamma) != {u: a for u, a in gamma.items() if u not in delta} \
            or Counter(s.delta) != Counter(delta.items()) or s.concl != ty:
        return f"the proof concludes {s}, not Γ ; Δ ⊢ {ty}"
    back = extract(proof)
    return None if back == t else f"extraction gave a different term: {back}"


def corpus_cases():
    cases = []
    for e in corpus():
        earlier: dict[str, Type] = {}
        for d in e.program.defs:
            cases.append((f"{e.file}:{d.name}", d.body, dict(earlier)))
            earlier[d.name] = d.ty
    return cases


@pytest.mark.parametrize("case", corpus_cases(), ids=lambda c: c[0])
def test_corpus(case):
    _, body, gamma = case
    failure = check_curry_howard(body, gamma)
    assert failure is None, failure


@given(closed_terms(fuel=4))
def test_fuzzed_closed(term_and_type):
    failure = check_curry_howard(term_and_type[0])
    assert failure is None, failure


@st.composite
def open_problems(draw):
    gamma = {f"u{i}": draw(ll_types(1)) for i in range(draw(st.integers(0, 2)))}
    delta = {f"x{i}": draw(ll_types(2)) for i in range(draw(st.integers(1, 3)))}
    goal = draw(ll_types(2))
    return gamma, delta, draw(ll_terms(goal, gamma, delta, fuel=4))


@given(open_problems())
def test_fuzzed_open(problem):
    gamma, delta, term = problem
    failure = check_curry_howard(term, gamma, delta)
    assert failure is None, failure
