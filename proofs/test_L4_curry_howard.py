"""L4 — the Curry–Howard round trip.

    If  Γ ; Δ ⊢ t : A  then  π = derive(t)  is a natural-deduction proof of the DILL
    sequent  Γ ; Δ ⊢ A  that the independent checker `checkers.proof_checker` accepts
    rule by rule, and  extract(π) = t  (syntactically, up to source positions).

The proof checker shares no code with the type checker: a term wrongly accepted by a
broken type checker yields a derivation the proof checker rejects
(proofs/test_L_broken_rules.py).  Checked on every definition of the corpus (with the
earlier definitions as Γ) and on random open terms (with linear and intuitionistic
hypotheses) from the type-directed generator.

The rejection side (L4−, L4× at the end of the module): on every near miss of those
terms (`checkers.ll_near_miss`) no valid derivation of Γ ; Δ ⊢ A exists — `derive`
raises, the proof checker rejects, or the root is another sequent — and a valid
derivation with one node corrupted (each rule, each applicable corruption: conclusion,
Δ weakened / forgotten / contracted, Γ, label, a premise dropped or added) is rejected.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from fractions import Fraction
from typing import Callable, Mapping

import pytest
from hypothesis import given

from calculus.errors import CalculusError
from calculus.lambda_ll.corpus import corpus
from calculus.lambda_ll.curry_howard import Proof, Rule, Sequent, derive, extract
from calculus.lambda_ll.syntax import (LINEAR_CONSTS, ONE, REAL, Bang, Const, Term, Type,
                                       pretty, size)
from calculus.lambda_ll.typecheck import Checker, infer
from checkers.corrupt import corrupt_at, nodes
from checkers.ll_near_miss import near_misses
from checkers.ll_strategies import closed_terms, ll_terms, ll_types
from checkers.proof_checker import check_proof, check_rule
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
def open_problems(draw, fuel: int = 4):
    gamma = {f"u{i}": draw(ll_types(1)) for i in range(draw(st.integers(0, 2)))}
    delta = {f"x{i}": draw(ll_types(2)) for i in range(draw(st.integers(1, 3)))}
    goal = draw(ll_types(2))
    return gamma, delta, draw(ll_terms(goal, gamma, delta, fuel=fuel))


@given(open_problems())
def test_fuzzed_open(problem):
    gamma, delta, term = problem
    failure = check_curry_howard(term, gamma, delta)
    assert failure is None, failure


# --- the rejection side: near misses and corrupted derivations ---------------------------
#
#   (L4−)  t a near miss (checkers.ll_near_miss)  ⟹  derive(t, Γ, Δ) raises, or the
#          independent checker rejects it, or it does not conclude Γ ; Δ ⊢ A;
#   (L4×)  π a valid derivation of Γ ; Δ ⊢ A and π' = π with one node corrupted (every
#          node, every corruption of `CORRUPTIONS` that applies to its rule)  ⟹  π' is
#          rejected the same way; for the `LOCAL` corruptions, by the corrupted node's
#          own rule check (`check_rule`), not only by an ancestor's or the root's
#          comparison with Γ ; Δ ⊢ A.


def independent_accepts(proof_of, gamma: Mapping[str, Type], delta: Mapping[str, Type],
                        ty: Type | None = None) -> bool:
    """Does the independent side accept: a derivation is built (proof_of() does not
    raise), check_proof accepts it, and it concludes Γ ; Δ ⊢ A (any A when ty is None)?"""
    try:
        proof = proof_of()
        check_proof(proof)
    except CalculusError:
        return False
    s = proof.sequent
    return dict(s.gamma) == {u: a for u, a in gamma.items() if u not in delta} \
        and Counter(s.delta) == Counter(delta.items()) and ty in (None, s.concl)


def check_near_misses(t: Term, gamma: Mapping[str, Type] = {},
                      delta: Mapping[str, Type] = {}) -> list[str]:
    """(L4−) failures among t's near misses."""
    return [f"{nm.cls} {nm.where}: a valid derivation of {pretty(nm.term)}"
            for nm in near_misses(t, gamma, delta)
            if independent_accepts(lambda: derive(nm.term, gamma, delta), gamma, delta)]


_W = "w'"  # a name no term binds (`'` is not generated)
CORRUPTIONS: dict[str, Callable[[Proof], Proof | None]] = {
    "conclusion": lambda p: replace(p, sequent=replace(
        p.sequent, concl=ONE if p.sequent.concl != ONE else REAL)),
    "weaken Δ": lambda p: replace(p, sequent=replace(
        p.sequent, delta=p.sequent.delta + ((_W, REAL),))),
    "forget Δ": lambda p: replace(p, sequent=replace(p.sequent, delta=p.sequent.delta[1:]))
    if p.sequent.delta else None,
    "contract Δ": lambda p: replace(p, sequent=replace(
        p.sequent, delta=p.sequent.delta + p.sequent.delta[:1])) if p.sequent.delta else None,
    "Γ": lambda p: replace(p, sequent=replace(p.sequent, gamma=p.sequent.gamma + ((_W, REAL),))),
    "label": lambda p: replace(p, label=_bad_label(p.label)),
    "weaken premise Δ": lambda p: replace(p, premises=(replace(p.premises[0], sequent=replace(
        p.premises[0].sequent, delta=p.premises[0].sequent.delta + ((_W, REAL),))),)
        + p.premises[1:]) if p.premises else None,
    "drop premise": lambda p: replace(p, premises=p.premises[1:]) if p.premises else None,
    "extra premise": lambda p: replace(p, premises=p.premises + p.premises[:1] or
                                       (Proof(Rule.ONE_I, Sequent(p.sequent.gamma, (), ONE)),)),
}


LOCAL = ("conclusion", "weaken Δ", "forget Δ", "contract Δ", "weaken premise Δ")
"""Corruptions that the corrupted node's *own* rule check must reject (the others may be
caught only where the node meets its parent, e.g. an extra Γ hypothesis at a leaf)."""


def _bad_label(label):
    """A label its rule cannot carry: a binder renamed, a constant that is no axiom."""
    match label:
        case str():
            return _W
        case (str(x), str()):
            return (x, x)
        case (str(), ty):
            return (_W, ty)
        case Const(name):
            return Const(name, ONE) if name not in LINEAR_CONSTS else Const(name, Bang(REAL))
        case Fraction():
            return Const("zero", Bang(REAL))
    return "x"  # a label on a rule that has none


def check_corruptions(t: Term, gamma: Mapping[str, Type] = {},
                      delta: Mapping[str, Type] = {}, seen: Counter | None = None
                      ) -> list[str]:
    """(L4×) failures among the corruptions of derive(t)."""
    proof, ty = derive(t, gamma, delta), infer(t, gamma, delta)
    out = []
    for q, path in nodes(proof):
        for name, how in CORRUPTIONS.items():
            bad = corrupt_at(proof, path, how)
            if bad is None:
                continue
            if seen is not None:
                seen[(q.rule, name)] += 1
            if independent_accepts(lambda: bad, gamma, delta, ty):
                out.append(f"{q.rule.value} corrupted by {name} at {list(path)} is accepted")
            elif name in LOCAL and check_rule(how(q)) is None:
                out.append(f"{q.rule.value} corrupted by {name} at {list(path)} passes its "
                           "own rule check")
    return out


SMALL = [c for c in corpus_cases() if size(c[1]) <= 120]


@pytest.mark.parametrize("case", corpus_cases(), ids=lambda c: c[0])
def test_corpus_near_misses(case):
    _, body, gamma = case
    failures = check_near_misses(body, gamma)
    assert not failures, failures[0]


@given(open_problems())
def test_fuzzed_near_misses(problem):
    gamma, delta, term = problem
    failures = check_near_misses(term, gamma, delta)
    assert not failures, failures[0]


@pytest.mark.parametrize("case", SMALL, ids=lambda c: c[0])
def test_corpus_corruptions(case):
    _, body, gamma = case
    failures = check_corruptions(body, gamma)
    assert not failures, failures[0]


def test_fuzzed_corruptions_every_rule_every_way():
    """Every corruption is rejected, and every rule meets every corruption that can
    apply to it (the conclusion-changing ones to all eleven rules)."""
    seen: Counter = Counter()

    @given(open_problems(fuel=3))
    def run(problem):
        gamma, delta, term = problem
        failures = check_corruptions(term, gamma, delta, seen)
        assert not failures, failures[0]
    run()
    for rule in Rule:
        for name in ("conclusion", "weaken Δ", "Γ", "label", "extra premise"):
            assert seen[(rule, name)] > 0, (rule, name)
