"""The theorem checkers L1–L5 catch deliberately broken typing rules.

A checker that cannot fail proves nothing.  Each mutant below is the real type checker
with one structural rule broken; each theorem must report a failure for at least one
mutant, on a small corpus of near-miss terms that the correct checker rejects:

    mutant         broken rule                                       caught by
    contraction    Ax/⊸E split: a linear variable may be used twice  L2, L4
    weakening      ⊸I/⊗E: a linear variable may go unused            L2, L4
    promotion      !I: a linear variable may occur under `!`         L2, L3, L4
    application    ⊸E: the argument's type is not compared          L1, L4, L5

The control test runs every theorem with the correct checker on the same corpus and
expects no failure: the failures come from the mutants, not from the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from calculus.lambda_ll.parse import parse_term
from calculus.lambda_ll.syntax import REAL, Term, Type
from calculus.lambda_ll.typecheck import Checker
from test_L1_type_safety import check_type_safety
from test_L2_runtime_linearity import check_runtime_linearity
from test_L3_algebraic_linearity import check_algebraic_linearity
from test_L4_curry_howard import check_curry_howard
from test_L5_termination import check_termination


class Contraction(Checker):
    def use_linear(self, b, var):
        b.used = None  # forget earlier uses: contraction in Δ
        super().use_linear(b, var)


class Weakening(Checker):
    def close_linear(self, b):
        pass  # an unused linear variable is silently discarded


class Promotion(Checker):
    def use_linear(self, b, var):
        level, b.level = b.level, self.level  # pretend it was bound inside the `!`
        try:
            super().use_linear(b, var)
        finally:
            b.level = level


class Application(Checker):
    def check_arg(self, expected, found, app):
        pass  # ⊸E trusts the argument


@dataclass(frozen=True)
class NearMiss:
    source: str
    delta: dict[str, Type] = field(default_factory=dict)

    @property
    def term(self) -> Term:
        return parse_term(self.source)


OMEGA_HALF = "(fun (x : !(!real -o real)) -> let !u = x in u !u)"
NEAR_MISSES = [
    NearMiss("(fun (x : real) -> plus x x) 1.0"),
    NearMiss("fun (x : real) -> plus x x"),
    NearMiss("(fun (x : real) -> zero) 1.0"),
    NearMiss("(fun (x : real) -> let !u = !x in mul !u !u) 2.0"),
    NearMiss("let !u = !y in mul !u !u", {"y": REAL}),
    NearMiss("sin 3.0"),
    NearMiss(f"{OMEGA_HALF} !{OMEGA_HALF}"),
]


def run(theorem: str, nm: NearMiss, checker: type[Checker]) -> str | None:
    """The theorem's check on one near-miss term; None = no failure reported."""
    t, delta = nm.term, nm.delta
    match theorem:
        case "L1":
            return None if delta else check_type_safety(t, checker=checker)
        case "L2":
            return None if delta else check_runtime_linearity(t, checker=checker)
        case "L3":
            return check_algebraic_linearity(t, {}, delta, checker=checker, exact=False) \
                if delta else None
        case "L4":
            return check_curry_howard(t, {}, delta, checker=checker)
        case "L5":
            return None if delta else check_termination(t, checker=checker)[1]
    raise ValueError(theorem)


CAUGHT = [("L2", Contraction), ("L4", Contraction), ("L2", Weakening), ("L4", Weakening),
          ("L2", Promotion), ("L3", Promotion), ("L4", Promotion), ("L1", Application),
          ("L4", Application), ("L5", Application)]


@pytest.mark.parametrize("theorem,mutant", CAUGHT, ids=lambda x: getattr(x, "__name__", x))
def test_mutant_is_caught(theorem, mutant):
    failures = [f for nm in NEAR_MISSES if (f := run(theorem, nm, mutant)) is not None]
    assert failures, f"{theorem} did not notice the broken rule {mutant.__name__}"


@pytest.mark.parametrize("theorem", ["L1", "L2", "L3", "L4", "L5"])
def test_control_correct_checker(theorem):
    assert all(run(theorem, nm, Checker) is None for nm in NEAR_MISSES)


def test_every_theorem_catches_a_mutant():
    assert {t for t, _ in CAUGHT} == {"L1", "L2", "L3", "L4", "L5"}
