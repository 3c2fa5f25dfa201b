"""L2 — run-time linear discipline.

    If  Γ ; x1:A1, …, xn:An ⊢ t : B  then the instrumented evaluation of t (every value
    bound to a linear variable — by ⊸I, ⊗E or as an input xi — wrapped in a token)
    consumes every token exactly once: never twice, never inside a `!` entered after
    the token was created, and each token is consumed by the end of the run unless the
    result owns it (a closure in the result captures it, e.g. a partial application).

`evaluate(..., instrumented=True)` raises `LinearityError` (kind linear-used-twice,
linear-in-nonlinear or linear-unused) at the first violation.

[finding] With eager promotion (SPEC §3.3) the statement needs one refinement: a
closure returned by `!t` may capture linear values created inside t; the `!` value may
then be discarded or shared, and its contents with it.  Such *box contents* must be
consumed or owned by the box when `!t` finishes, and are exempt from the count after
that (the run-time image of promotion boxes); every other linear value is counted
exactly once.  The fuzzer found the case: `let !u = !(let (a, b) = (0.5, 0.5) in
fun (x : real) -> …) in ()` never consumes a and b.

Checked on every corpus definition applied to canonical arguments, on random closed
terms, and on random open terms with several linear inputs of data types (bound to
symbolic values, so nothing is skipped for domain reasons).
"""

from __future__ import annotations

from typing import Mapping

import pytest
from hypothesis import given

from calculus.errors import CalculusError, DomainError, LinearityError
from calculus.lambda_ll.corpus import applied, corpus
from calculus.lambda_ll.evaluate import Value, evaluate
from calculus.lambda_ll.syntax import Term, Type
from calculus.lambda_ll.typecheck import Checker, infer
from checkers.ll_strategies import closed_terms, inhabitant, linear_problems
from test_L3_algebraic_linearity import symbolic_value

FUEL = 20_000


def check_runtime_linearity(t: Term, gamma: Mapping[str, Type] = {},
                            env: Mapping[str, Value] = {},
                            delta: Mapping[str, Type] = {},
                            inputs: Mapping[str, Value] = {}, mode: str = "float",
                            checker: type[Checker] = Checker) -> str | None:
    """None when the L2 obligation for t holds (or t is rejected); else the violation."""
    try:
        infer(t, gamma, delta, checker)
    except CalculusError:
        return None
    try:
        evaluate(t, env, inputs, mode, instrumented=True, max_steps=FUEL)
    except LinearityError as exc:
        return f"{exc.kind}: {exc}"
    except DomainError:
        return None
    except CalculusError as exc:
        return f"evaluation went wrong: {exc}"
    return None


def corpus_cases():
    return [(f"{e.file}:{d.name}", applied(d.body, d.ty, inhabitant)[0], e.gamma, e.values)
            for e in corpus() for d in e.program.defs]


@pytest.mark.parametrize("case", corpus_cases(), ids=lambda c: c[0])
def test_corpus(case):
    _, term, gamma, env = case
    assert check_runtime_linearity(term, gamma, env) is None


@given(closed_terms(fuel=4))
def test_fuzzed_closed(term_and_type):
    failure = check_runtime_linearity(term_and_type[0])
    assert failure is None, failure


@given(linear_problems(fuel=4))
def test_fuzzed_open(problem):
    gamma = {u: symbolic_value(ty, u) for u, ty in problem.gamma.items()}
    inputs = {y: symbolic_value(ty, y) for y, ty in problem.delta.items()}
    failure = check_runtime_linearity(problem.term, problem.gamma, gamma, problem.delta,
                                      inputs, mode="symbolic")
    assert failure is None, failure
