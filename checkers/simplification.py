"""The engine of theorem S1: simplification keeps typing and meaning and never adds work.

    simplify_theorem(P, rules)   for P' = simplify_program(P, rules=rules):
        P' type-checks, every function g of P keeps its signature in P',
        ⟦P'⟧(g)(x̄; ȳ) = ⟦P⟧(g)(x̄; ȳ)   for fresh symbols x̄, ȳ (`semantics.equivalent`:
                                        sympy literal 0 or z3 unsat, side conditions of
                                        both runs assumed),
        W_m(P', g) ≤ W_m(P, g)          for both cost models m (static W of the checked
                                        programs).

A type error in P' is a failed verdict naming the checker's rule and variable, not an
exception: a broken rule that unbinds a variable is a counterexample like any other.
"""

from __future__ import annotations

from collections.abc import Iterable

from calculus.cost_models import MODELS
from calculus.errors import CalculusError
from calculus.linear_a.simplify import Report, simplify_program
from calculus.linear_a.syntax import Program
from calculus.linear_a.typecheck import check_program
from calculus.linear_a.work import work
from checkers.semantics import all_of, equivalent, runner
from checkers.symbolic import Verdict


def work_not_increased(before: Program, after: Program) -> Verdict:
    """W_m(after, g) ≤ W_m(before, g) for every function g and both cost models."""
    tb, ta = check_program(before), check_program(after)
    worse = [(g.name, m, work(before, g.name, model, tb), work(after, g.name, model, ta))
             for g in before.funcs for m, model in MODELS.items()]
    worse = [w for w in worse if w[3] > w[2]]
    if worse:
        return Verdict(False, "work", "; ".join(f"{g} [{m}]: {a} > {b}" for g, m, b, a in worse))
    return Verdict(True, "static W")


def simplify_theorem(program: Program, rules: Iterable[str] | None = None,
                     report: Report | None = None) -> Verdict:
    """S1 on `program` for the given rules (all by default); `report`, when given, is
    filled with what the rules did."""
    simplified, rep = simplify_program(program, rules=rules)
    if report is not None:
        report.applied.update(rep.applied)
        report.passes.update(rep.passes)
    try:
        typing = check_program(simplified)
    except CalculusError as exc:
        return Verdict(False, "typing", f"[{exc.rule}] {exc.message} ({getattr(exc, 'var', None)})")
    before = check_program(program)
    changed_sig = [g for g in before.sigs if before.sigs[g] != typing.sigs.get(g)]
    if changed_sig:
        return Verdict(False, "signature", f"changed: {changed_sig}")
    return all_of([(f"⟦{g.name}⟧", lambda g=g: equivalent(runner(program, g.name),
                                                        runner(simplified, g.name), g))
                   for g in program.funcs]
                  + [("work", lambda: work_not_increased(program, simplified))])
