"""L5 — termination (strong normalisation of closed well-typed terms, call by value).

    If  Γ ; · ⊢ t : A  (Γ: definitions bound to their values)  then  t ⇓ v.

Bound checked.  Let F (the *first-order exponential* fragment) be the terms in which no
promotion `!s` has a type containing ⊸ (after inlining the definitions t uses).  In F a
closure can be applied at most once: closures are linear values unless they sit in a
`!`-value (excluded) or in a definition's value (re-used once per occurrence of its
name).  Hence, by induction on the evaluation, every node of t is evaluated at most once
per occurrence of the enclosing definition, and

    steps(t)    ≤  B(t)  =  #App(t) + #Let(t) + Σ_{occurrences of a definition g in t} B(body g)
    counts(t)   ≤  C(t)  =  Σ_{constants c in t} firing(c) + Σ_{occurrences of g} C(body g)

(componentwise tallies, so the workload bound holds in every cost model).  Both are
checked exactly.  Outside F (banged functions, e.g. Church-style iterators, where the
number of steps can grow exponentially in |t|) only termination within FUEL steps is
checked: that can refute non-termination up to FUEL but proves nothing more, and the
report says which terms were checked which way.

Checked on every corpus definition applied to canonical arguments and on random closed
terms, in F (exact bound) and with banged functions (FUEL).
"""

from __future__ import annotations

from functools import cache
from typing import Mapping

import pytest
from hypothesis import given

from calculus.errors import CalculusError, DomainError
from calculus.lambda_ll.corpus import applied, corpus
from calculus.lambda_ll.curry_howard import Rule, derive
from calculus.lambda_ll.evaluate import Counts, StepBudgetExceeded, Value, evaluate, firing
from calculus.lambda_ll.syntax import (App, Bang, Const, LetBang, LetPair, LetUnit, Term,
                                       Type, Var, subterms)
from calculus.lambda_ll.typecheck import Checker, infer
from checkers.ll_strategies import closed_terms, has_lolli, inhabitant

FUEL = 20_000  # outside F: refutation only


def in_fragment(t: Term, gamma: Mapping[str, Type], defs: Mapping[str, Term]) -> bool:
    """t and every definition it uses promote no term of a type containing ⊸."""
    todo, seen = [t], set()
    while todo:
        s = todo.pop()
        try:
            proof = derive(s, gamma)
        except CalculusError:
            return False
        stack = [proof]
        while stack:
            p = stack.pop()
            if p.rule is Rule.BANG_I and isinstance(p.sequent.concl, Bang) \
                    and has_lolli(p.sequent.concl.body):
                return False
            stack.extend(p.premises)
        for n in subterms(s):
            if isinstance(n, Var) and n.name in defs and n.name not in seen:
                seen.add(n.name)
                todo.append(defs[n.name])
    return True


def bound(t: Term, defs: Mapping[str, Term]) -> tuple[int, Counts]:
    """(B(t), C(t)) as in the module docstring."""

    @cache
    def of(s: Term) -> tuple[int, Counts]:
        steps, counts = 0, Counts()
        for n in subterms(s):
            match n:
                case App() | LetUnit() | LetPair() | LetBang():
                    steps += 1
                case Const():
                    counts.add(firing(n))
                case Var(x) if x in defs:
                    b, c = of(defs[x])
                    steps += b
                    counts.add(c)
        return steps, counts

    return of(t)


def check_termination(t: Term, gamma: Mapping[str, Type] = {},
                      env: Mapping[str, Value] = {}, defs: Mapping[str, Term] = {},
                      checker: type[Checker] = Checker) -> tuple[str, str | None]:
    """(how, failure): how is "exact" (bound B checked) or "fuel"; failure is None when
    the obligation holds (or t is rejected)."""
    try:
        infer(t, gamma, {}, checker)
    except CalculusError:
        return "rejected", None
    exact = in_fragment(t, gamma, defs)
    steps, counts = bound(t, defs) if exact else (FUEL, None)
    how = "exact" if exact else "fuel"
    try:
        r = evaluate(t, env, max_steps=steps)
    except StepBudgetExceeded:
        return how, f"more than {steps} structural steps ({how} bound)"
    except DomainError:
        return how, None
    except CalculusError as exc:
        return how, f"evaluation went wrong: {exc}"
    if counts is not None:
        over = [f for f in vars(counts) if getattr(r.counts, f) > getattr(counts, f)]
        if over:
            return how, f"constant firings {r.counts} exceed the bound {counts} in {over}"
    return how, None


def corpus_cases():
    cases = []
    for e in corpus():
        defs = {d.name: d.body for d in e.program.defs}
        for d in e.program.defs:
            cases.append((f"{e.file}:{d.name}", applied(d.body, d.ty, inhabitant)[0],
                          e.gamma, e.values, defs))
    return cases


@pytest.mark.parametrize("case", corpus_cases(), ids=lambda c: c[0])
def test_corpus(case):
    _, term, gamma, env, defs = case
    _, failure = check_termination(term, gamma, env, defs)
    assert failure is None, failure


def test_corpus_mostly_exact():
    """The exact bound, not the fuel, decides most corpus cases."""
    hows = [check_termination(*c[1:])[0] for c in corpus_cases()]
    assert hows.count("exact") >= 0.75 * len(hows), hows


@given(closed_terms(fuel=4, bang_functions=False))
def test_fuzzed_exact(term_and_type):
    how, failure = check_termination(term_and_type[0])
    assert how == "exact"  # the generator stays in F
    assert failure is None, failure


@given(closed_terms(fuel=4, bang_functions=True))
def test_fuzzed_banged_functions(term_and_type):
    _, failure = check_termination(term_and_type[0])
    assert failure is None, failure
