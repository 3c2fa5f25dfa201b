"""L6 — the λLL type checker rejects near misses, naming the rule.

    Γ ; Δ ⊢ t : A,  m a mutation of class c  ⟹  infer(m(t), Γ, Δ) raises a
    TypeCheckError whose rule ∈ R(c, site) (and whose kind = K(c), for a structural c)

The premise of L1–L5 and E1–E5 is "t is well typed"; a checker that accepts too much
makes them vacuous.  The classes (`checkers.ll_near_miss`): a linear variable used
twice, not at all (weakening at its ⊸I/⊗E binder or input), or moved under a `!`; an
argument that loses its `!` or an application given one argument too many; a ⊗E, !E
or 1E binder of the wrong kind, or a ⊗E binding one name twice.

Checked on every mutant of every corpus definition (with the earlier definitions as
Γ), of fuzzed open terms (linear and intuitionistic hypotheses) and of fuzzed closed
terms, and on the hand-written corpus `tests/ill_typed/lambda_ll.ll`.  Each check takes
the type checker as a parameter so that broken rules can be plugged in
(proofs/test_broken_rules_rejects.py); `test_every_class_occurs` rules out a vacuous
class.
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping

import pytest
from hypothesis import given

from calculus.errors import CalculusError, LinearityError, TypeCheckError
from calculus.lambda_ll.parse import parse_program
from calculus.lambda_ll.syntax import Term, Type
from calculus.lambda_ll.typecheck import Checker, check_program, infer
from checkers.ill_typed import cases
from checkers.ll_near_miss import CLASSES, NearMiss, near_misses
from checkers.ll_strategies import closed_terms
from test_L4_curry_howard import corpus_cases, open_problems


def verdict(nm: NearMiss, gamma: Mapping[str, Type], delta: Mapping[str, Type],
            checker: type[Checker] = Checker) -> str | None:
    """None when the checker rejects nm's term as expected; else why not."""
    try:
        infer(nm.term, gamma, delta, checker)
    except TypeCheckError as err:
        if err.rule not in nm.rules:
            return f"rejected by {err.rule}, expected {sorted(nm.rules)}: {err}"
        if nm.kind and not (isinstance(err, LinearityError) and err.kind == nm.kind):
            return f"rejected with kind {getattr(err, 'kind', None)}, expected {nm.kind}"
        return None
    except CalculusError as err:
        return f"rejected by a {type(err).__name__}, not a TypeCheckError: {err}"
    return "accepted"


def check_rejects(t: Term, gamma: Mapping[str, Type] = {}, delta: Mapping[str, Type] = {},
                  checker: type[Checker] = Checker) -> list[str]:
    """The L6 failures among the near misses of the well-typed Γ ; Δ ⊢ t."""
    return [f"{nm.cls} {nm.where}: {why}" for nm in near_misses(t, gamma, delta)
            if (why := verdict(nm, gamma, delta, checker))]


@pytest.mark.parametrize("case", corpus_cases(), ids=lambda c: c[0])
def test_corpus(case):
    _, body, gamma = case
    failures = check_rejects(body, gamma)
    assert not failures, failures[0]


@given(open_problems())
def test_fuzzed_open(problem):
    gamma, delta, term = problem
    failures = check_rejects(term, gamma, delta)
    assert not failures, failures[0]


@given(closed_terms(fuel=4))
def test_fuzzed_closed(term_and_type):
    failures = check_rejects(term_and_type[0])
    assert not failures, failures[0]


@pytest.mark.parametrize("case", list(cases("lambda_ll.ll")), ids=lambda c: c.name)
def test_hand_written(case):
    with pytest.raises(CalculusError) as info:  # (an unbound name is a ScopeError)
        check_program(parse_program(case.source))
    assert info.value.rule == case.rule, info.value
    if case.kind:
        assert isinstance(info.value, LinearityError) and info.value.kind == case.kind


def test_every_class_occurs():
    counts: Counter = Counter()

    @given(open_problems())
    def collect(problem):
        gamma, delta, term = problem
        counts.update(nm.cls for nm in near_misses(term, gamma, delta))
    collect()
    assert all(counts[c] >= 5 for c in CLASSES), counts
