"""A1 per constructor; A10 (work) as a composition of proved theorems, and the work
lemmas it composes
(../shared/INDUCTION.md: "grad = T∘U∘J: by composing the three proved theorems, with the
composition itself checked as one obligation").  Obligations in `checkers.induction`;
their discharge and coverage are tested with every induction theorem in
test_induction.py.

  A1        per constructor (all variants), on the Linear A evaluator with symbolic inputs
            of f's parameter types and each hole by its IH (values of its result types,
            work the integer symbol W_m(?h), added once per call of the hole since the
            evaluator counts none): A1a the results are values of f's checked types
            (`has_type`); A1b dynamic work = W_m(C(H̄)) for both models, z3 `unsat`.
            Instance-checked still (test_A1_type_safety.py): float runs inside the
            primitives' domains (a hole's meaning is symbolic), the corpus and fuzzing.
  W.nonlin  per constructor of J's fragment, both models: W_m(C(H̄)) = Σ_op cost(op)·
            n_op(C(H̄)) (a non-linear term does no linear operation), IH the same on
            each hole; the linear cases are excluded (J rejects them).
  W.models  per constructor (all variants): W_arithmetic(C(H̄)) ≤ W_symmetric(C(H̄)),
            IH W_arithmetic(?h) ≤ W_symmetric(?h).
  A7.E      per let-spine unit (A7's), both models: under the store policy U computes
            nothing twice, E_store(f) = 0 (E from U's output, as in A7), IH E_h = 0.
  A10       one z3 query per model for the store policy, over integer symbols for an
            arbitrary non-linear f: the statements of W.nonlin, A5, A5.sym, A7, A7.E, A9
            and W.models about f, J f, f.jvp.nonlin, f.jvp.lin and f.jvp.lin.T imply
                W_m(grad f) = W_m(f.jvp.nonlin) + W_m(f.jvp.lin.T) ≤ c·W_m(f) + d·‖f‖
            with c = 6 = max_op c_op/cost(op) (div) and d = 2 = A5.sym's d, stated in
            `A10_STATED` (the arithmetic model goes through the symmetric one: A9 is
            proved for the symmetric model only).

Constants.  Each is the least the composition supports (c − 1 or d − 1 makes the query
`sat`).  On programs, c is attained per link by chain-div (ΔW(grad f) = 7·ΔW(f) in the
arithmetic model), so no bound c'·W(f) with c' < 7 holds without the ‖f‖ term; d is not
attained on the corpus chains (the bound has slack there: d pays for A5.sym's dups).

A10.grad    one sympy obligation composing A4 (J's tangent is sympy's chain rule), A6 with
            A2 (f.jvp.lin(t(x̄); ẋ) = L(t(x̄))·ẋ equals it for every ẋ, so L's entries are
            read off as ∂ⱼvᵢ), and A8 (f.jvp.lin.T = Lᵀ, read off the adjoint identity):
            grad f(x̄) − ∇ Σᵢ vᵢ reduces to 0, for f : ℝⁿ → ℝᵏ at fixed n, k (2, 2 in
            the audit; other shapes below), every policy (A6 holds for each).  Broken
            rules are caught by the composed theorems' own steps (this obligation reads
            their statements, not the code).

Recompute has no A10 constants: f.lin re-runs g.nonlin for a call g, and g.lin re-runs
g's callees again, so W(grad f) grows with (call depth) × (work below) —
`test_a10_recompute_is_refuted` shows W(grad f)/(W(f) + ‖f‖) growing without bound on
nested calls.  The instance checks of A10 (test_A10_grad.py, fitted constants) stay,
and the gradient-meaning half of A10 stays instance-checked (not composed here).
"""

from __future__ import annotations

import pytest

from calculus.cost_models import MODELS, CostModel
from calculus.linear_a import evaluate
from calculus.linear_a import work as work_module
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import Var
from calculus.primitives import Op
from checkers import induction
from checkers.induction import (A10_STATED, Obligation, a10_meaning_obligation, a10_obligation,
                                discharge)
from checkers.measure import transformed
from checkers.policies import POLICIES
from checkers.schematic import chain_programs
from test_induction import failing


def _a10(stated: dict) -> Obligation:
    return discharge("A10", "linear_a", "composition [store]", "", "z3",
                     a10_obligation("store", stated))


@pytest.mark.parametrize("constant", ["c", "d"])
def test_each_a10_constant_is_least_for_the_composition(constant):
    assert _a10(A10_STATED["store"]).status == "proved"
    smaller = dict(A10_STATED["store"]) | {constant: A10_STATED["store"][constant] - 1}
    o = _a10(smaller)
    assert o.status == "failed" and "exceeds the stated bound" in o.detail


def test_the_a10_constant_c_is_attained_by_a_division_chain():
    """One more division: W(grad f) grows by exactly c·ΔW(f) (arithmetic model)."""
    lo, hi = {n: (lo, hi) for n, lo, hi in chain_programs("nonlinear")}["chain-div"]
    a, b = transformed(lo, "f"), transformed(hi, "f")
    dw = b.f.work["arithmetic"] - a.f.work["arithmetic"]
    dg = b.grad_work["arithmetic"] - a.grad_work["arithmetic"]
    assert dw > 0 and dg == A10_STATED["store"]["c"] * dw


def test_a_costlier_a5_constant_breaks_the_a10_composition(monkeypatch):
    """J's div rule stated one unit costlier (A5_STATED): A10's c no longer follows."""
    monkeypatch.setitem(induction.A5_STATED, Op.DIV, induction.A5_STATED[Op.DIV] + 1)
    o = _a10(A10_STATED["store"])
    assert o.status == "failed" and "W_arithmetic(grad f) [store]" in o.detail


def _nested(depth: int) -> str:
    """g0 = sin^depth(x), g_i = g_{i−1}, f = g_depth: work at the bottom of a call chain."""
    body = "x"
    for _ in range(depth):
        body = f"sin({body})"
    src = f"def g0(x: real) -> (real;) = {body}\n"
    src += "".join(f"def g{i}(x: real) -> (real;) = g{i - 1}(x)\n" for i in range(1, depth + 1))
    return src + f"def f(x: real) -> (real;) = g{depth}(x)\n"


def test_a10_recompute_is_refuted():
    """Under recompute W(grad f) grows quadratically in the depth while W(f) + ‖f‖ grows
    linearly; at depth 32 it exceeds the store constants' bound 6·W(f) + 2·‖f‖ four
    times over, so no constants hold (README: Not mechanised)."""
    ratios = []
    for depth in (4, 8, 16, 32):
        t = transformed(parse_program(_nested(depth)), "f", "recompute")
        w, size, g = t.f.work["arithmetic"], t.f.struct, t.grad_work["arithmetic"]
        ratios.append(g / (w + size))
    assert ratios == sorted(ratios) and ratios[-1] > 4 * ratios[0]
    assert g > A10_STATED["store"]["c"] * w + A10_STATED["store"]["d"] * size


# --- broken rules fail the lemmas' steps ----------------------------------------------------


def test_store_that_recomputes_fails_the_a7e_steps(monkeypatch):
    """U running the recompute policy when asked to store: A7 still holds (E is computed
    from the output), A7.E's E_store = 0 does not."""
    monkeypatch.setitem(POLICIES, "store", "recompute")
    cases, why = failing("A7.E")
    assert {"Prim sin", "Let"} <= cases and "E_store" in why


def test_work_charging_a_variable_read_fails_the_w_nonlin_var_step(monkeypatch):
    real = work_module._Work.w
    monkeypatch.setattr(work_module._Work, "w",
                        lambda self, e: 1 if isinstance(e, Var) else real(self, e))
    cases, why = failing("W.nonlin")
    assert cases == {"Var"} and "W_arithmetic(f)" in why


def test_an_arithmetic_dup_dearer_than_the_symmetric_fails_the_w_models_dup_step(monkeypatch):
    monkeypatch.setitem(MODELS, "arithmetic", CostModel("arithmetic", 2, 0, 0))
    cases, why = failing("W.models")
    assert cases == {"Dup"} and "W_arithmetic(f) > W_symmetric(f)" in why


def test_a_scale_that_returns_a_pair_fails_the_a1_lscale_step(monkeypatch):
    """s *. v evaluated to the pair (s, v): A1a's result type check at LScale."""
    monkeypatch.setattr(evaluate, "vscale", lambda s, v, num: (s, v))
    cases, why = failing("A1")
    assert cases == {"LScale"} and "is not a value of type" in why


def test_an_evaluator_charging_dup_twice_fails_the_a1_dup_step(monkeypatch):
    real = evaluate.Evaluator.charge

    def twice(self, per_real, k):
        real(self, per_real, 2 * k if per_real == "dup_per_real" else k)
    monkeypatch.setattr(evaluate.Evaluator, "charge", twice)
    cases, why = failing("A1")
    assert cases == {"Dup"} and "dynamic work ≠ W_symmetric(f)" in why


@pytest.mark.parametrize("n, k", [(1, 1), (1, 3), (3, 1), (2, 3)])
def test_the_a10_gradient_composition_for_other_shapes(n, k):
    o = discharge("A10.grad", "linear_a", "composition", "", "sympy", a10_meaning_obligation(n, k))
    assert o.status == "proved" and f"v{k - 1}_d{n}" in o.query
