"""A12 — the Linear A type checker rejects near misses, naming the rule.

    ⊢ p well typed,  m a mutation of class c  ⟹  check_program(m(p)) raises a
    TypeCheckError whose rule ∈ R(c, site) (and whose kind = K(c), for a structural c)

The premise of every other Linear A theorem is "p is well typed"; a checker that
accepts too much makes them vacuous.  The classes (`checkers.la_near_miss`): a linear
variable used twice, not at all, or moved into a non-linear subterm; a non-linear
variable weakened (a fresh unused let, or its `drop` removed); a call with its arity or
the kinds of its arguments wrong; a primitive with one argument too many; a let/unpack
pattern of the wrong arity or kind.  R and K are fixed by the site (e.g. the binder of
the variable left unused), so each mutant has one expected verdict.

Checked on every mutant of every function of fuzzed programs of the three generator
families and of the corpus programs with N ≤ 10, and on the hand-written corpus
`tests/ill_typed/linear_a.la` (with its expected rules).  A class never generated would
be a vacuous clause: `test_every_class_occurs` counts them on a fixed sample.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculus.errors import CalculusError, LinearityError, TypeCheckError
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import Program
from calculus.linear_a.typecheck import check_program
from calculus.loader import corpus_programs
from checkers.ill_typed import cases
from checkers.la_near_miss import CLASSES, NearMiss, near_misses
from checkers.strategies import linear_programs, mixed_programs, nonlinear_programs

PROGRAMS = st.one_of(mixed_programs(), linear_programs(), nonlinear_programs())


def verdict(p: Program, rules: frozenset[str], kind: str | None) -> str | None:
    """None when check_program rejects p with a rule in `rules` (and `kind`); else why not."""
    try:
        check_program(p)
    except TypeCheckError as err:
        if err.rule not in rules:
            return f"rejected by {err.rule}, expected {sorted(rules)}: {err}"
        if kind and not (isinstance(err, LinearityError) and err.kind == kind):
            return f"rejected with kind {getattr(err, 'kind', None)}, expected {kind}: {err}"
        return None
    except CalculusError as err:
        return f"rejected by a {type(err).__name__}, not a TypeCheckError: {err}"
    return "accepted"


def check_rejects(p: Program) -> list[str]:
    """The A12 failures among the near misses of the well-typed program p."""
    out = []
    for nm in near_misses(p, check_program(p)):
        why = verdict(nm.program, nm.rules, nm.kind)
        if why:
            out.append(f"{nm.cls} ({nm.where}): {why}\n{nm.program}")
    return out


@pytest.mark.parametrize("name,program", list(corpus_programs(10)), ids=lambda x: str(x)[:30])
def test_corpus_near_misses(name: str, program: Program) -> None:
    failures = check_rejects(program)
    assert not failures, failures[0]


@given(PROGRAMS)
def test_fuzzed_near_misses(g) -> None:
    failures = check_rejects(g.program)
    assert not failures, failures[0]


@pytest.mark.parametrize("case", list(cases("linear_a.la")), ids=lambda c: c.name)
def test_hand_written(case) -> None:
    why = verdict(parse_program(case.source), frozenset({case.rule}), case.kind)
    assert why is None, why


def sample() -> list[NearMiss]:
    """The near misses of a fixed sample of generated programs (deterministic)."""
    out: list[NearMiss] = []

    @given(PROGRAMS)
    def collect(g) -> None:
        out.extend(near_misses(g.program, check_program(g.program)))
    collect()
    return out


def test_every_class_occurs() -> None:
    counts = Counter(nm.cls for nm in sample())
    assert all(counts[c] >= 5 for c in CLASSES), counts
