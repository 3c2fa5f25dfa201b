"""E2, E3, E4 and E5 by structural induction, on the real passes (../shared/INDUCTION.md); the
obligations are `checkers.induction.e2_obligation` / `e3_obligation` / `e4_obligation`, their discharge
and coverage are tested with every other induction theorem in test_induction.py;
`e5_obligation` likewise.

A hole means the same undefined sympy functions in both calculi: the λLL evaluator runs
a λLL hole by the Linear A meaning of the hole it images (`ll_meanings`: the reals of
its Γ and Δ values, in order, are the inputs; the reals of the results fill its type).

  E2  for every constructor (non-linear and linear variants), the λLL value of
      ⟦C(H̄)⟧(x̄ ; ȳ) — run instrumented — is the encoding of C(H̄)'s Linear A value,
      ⟦?h⟧ and ?h both meaning h(x̄) (and M_h(x̄)·ȳ for a linear hole): every real reduces
      to the literal 0 after subtraction; side conditions derived from the source's.
  E3  for every constructor (non-linear and linear variants), under both cost models m:
      workload_m(⟦C(H̄)⟧) = W_m(C(H̄)) exactly, IH: ⟦?h⟧ reports integer tallies ≥ 0
      (prim, +, scale, dup, drop, zero reals) whose price under m is W_m(?h), z3 `unsat` of
      IH ∧ ¬equation.  Steps, generalised to expressions (a hole is a subterm, evaluated
      without ⟦f⟧'s entry): the evaluator counts no step inside a hole, so the run's count
      is C's own steps, which must equal the table's row (`checkers.encoding_steps`) — the
      constructor's row is exact at the schema's arities —, and with the IH
      σ_h ≤ K·‖?h‖ (σ_h, ‖?h‖ integer symbols) IH ∧ ¬(steps ≤ K·‖C(H̄)‖) is `unsat`, K = 2.
      The table's rows for *all* arities n, l are proved ≤ K·ω separately by z3
      (test_E3_encoding_work.test_k_is_derived_from_the_table); the induction fixes the
      arities of `schemas()`.  E5 uses E3 as a lemma: it is now proved.
  E4  on J's fragment (the linear cases are excluded: J rejects them), with symbolic x̄,
      ẋ̄: ⟦J(C(H̄))⟧(x̄ ; ẋ̄) and F⟦C(H̄)⟧ x̄ ẋ̄ both equal (v, Σᵢ ∂v/∂xᵢ·ẋᵢ), v the Linear
      A value of C(H̄) and the tangent **sympy's chain rule** — the independent oracle: J
      and F share the PARTIALS table, so comparing them with each other alone would let
      a wrong entry through.  IH: ⟦?h.jvp⟧ and ?h'F mean (h(x̄), Σⱼ ∂ⱼh(x̄)·ẋⱼ) with sympy's
      `Derivative`s (never PARTIALS).  Work, generalised: the two runs' raw tallies
      (`Counts`: primitive cost, +, scale, dup, drop, zero reals) are equal, which implies
      equal workload under every cost model; IH: ⟦?h.jvp⟧ and ?h'F report the same tally
      symbols; z3 `unsat` of ¬(tallies equal).  Structural steps are not claimed (as in
      the instance check).
  E5  on J's fragment: workload(grad_LL C(H̄)) ≤ W(T(U(J C(H̄)))) = W(f.jvp.nonlin) +
      W(f.jvp.lin.T) (store policy) under every cost model, z3 `unsat` of IH ∧ ¬bound.
      IH (per hole, its closed function): ?h'F'T's meaning is (h(x̄), the closure
      c ↦ ∂h(x̄)ᵀ·c) whose body is a hole of its own, so both phases report integer
      tallies; priced by the model they sum to ≤ W(?h.jvp.nonlin) + W(?h.jvp.lin.T).  A
      hole both sides leave primal (under drop) uses E3 as its lemma: workload(⟦?h⟧) ≤
      W(?h) (E3 is proved by induction above).  On the way, grad_LL's values are proved
      against sympy: primal = v, gradient = Σᵢ ∇vᵢ (so a wrong PARTIALS entry fails E5
      too).  E5's value part, grad_LL ≃ T∘U∘J, is not an induction step here (U's tape is
      opaque to a hole's meaning); it stays instance-checked (test_E5_*).

What stays instance-checked (test_E2_*, test_E3_*, test_E4_*, test_E5_*): the holes' interface itself (that
⟦·⟧, J and F look at a subterm only through its judgement), dup chains for more than
two uses of a variable inside one hole, f'F's exact type, and the N = 1000 members.
"""

from __future__ import annotations

from calculus import encoding
from calculus.lambda_ll import forward, reverse
from calculus.lambda_ll import syntax as ll
from calculus.linear_a import syntax as la
from calculus.primitives import OPS, PARTIALS, App, Arg, One, Op, Recip
from test_broken_rules_encoding import _mutant, _prim_times_one, _var_redex
from test_induction import failing


def _prims(test) -> set[str]:
    """The cases `Prim op` of the primitives with a partial d such that test(d)."""
    return {f"Prim {op.value}" for op in OPS if any(test(d) for d in PARTIALS[op])}


def _scaled() -> set[str]:
    """The primitives whose tangent has a scaling *. (a partial neither 1 nor 1/q)."""
    return _prims(lambda d: not isinstance(d, (One, Recip)))


def _divided() -> set[str]:
    """The primitives whose tangent has a division /. (a partial 1/q)."""
    return _prims(lambda d: isinstance(d, Recip))


def test_minus_cos_fails_the_e4_prim_sin_step(monkeypatch):
    """sin' = −cos in the table J and F share: ⟦J f⟧ and F⟦f⟧ still agree with each other,
    but not with sympy's chain rule."""
    monkeypatch.setitem(PARTIALS, Op.SIN, (App(Op.NEG, (App(Op.COS, (Arg(0),)),)),))
    cases, why = failing("E4")
    assert cases == {"Prim sin"} and "vs (v, Σ ∂v/∂x·ẋ)" in why


def test_an_extra_scale_in_f_fails_the_e4_work_steps(monkeypatch):
    """F scaling each partial's product once more by 1: the right tangent, but F⟦f⟧ does
    more work than ⟦J f⟧ at every primitive with a partial other than 1."""
    real = forward.ForwardTerms.scale

    def twice(self, s, dt):
        return real(self, self.lit(1), real(self, s, dt))
    monkeypatch.setattr(forward.ForwardTerms, "scale", twice)
    cases, why = failing("E4")
    assert cases == _scaled() and "Prim add" not in cases and "work tallies" in why


def test_an_extra_division_in_f_fails_the_e4_work_steps(monkeypatch):
    """F dividing each divided tangent once more by 1: the right tangent, but F⟦f⟧ does
    more work than ⟦J f⟧ exactly at the primitives with a partial 1/q (div, log)."""
    real = forward.ForwardTerms.divide

    def twice(self, dt, s):
        return real(self, real(self, dt, s), self.lit(1))
    monkeypatch.setattr(forward.ForwardTerms, "divide", twice)
    cases, why = failing("E4")
    assert cases == _divided() == {"Prim div", "Prim log"}
    assert "work tallies" in why


def test_tangents_of_a_hole_out_of_order_fail_e4(monkeypatch):
    """F handing a hole its tangent copies in reverse: ∂₁h·ẏ + ∂₂h·ẋ is not the chain rule."""
    real = forward._Forward.f

    def swapped(self, t):
        out, ty = real(self, t)
        if isinstance(out, ll.Hole):
            k = len(t.delta)
            out = ll.Hole(out.name, out.gamma, out.delta[:k] + out.delta[k:][::-1], out.ty)
        return out, ty
    monkeypatch.setattr(forward._Forward, "f", swapped)
    cases, _ = failing("E4")
    assert {"Let", "Prim add"} <= cases and not {"Ret", "Drop"} & cases  # drop: no tangent


def test_primitive_arguments_swapped_by_the_encoding_fail_the_e2_steps(monkeypatch):
    """⟦op(e1, e2)⟧ = !(op ⟦e2⟧ ⟦e1⟧): well typed, wrong for sub and div only."""
    real = encoding.Encoder.e

    def swapped(self, e):
        if isinstance(e, la.Prim):
            args = [self.e(a) for a in reversed(e.args)]
            return ll.Promote(ll.apply_all(ll.Const(e.op.value), args))
        return real(self, e)
    monkeypatch.setattr(encoding.Encoder, "e", swapped)
    assert failing("E2")[0] == {"Prim sub", "Prim div"}


def test_minus_cos_fails_the_e5_prim_sin_step(monkeypatch):
    monkeypatch.setitem(PARTIALS, Op.SIN, (App(Op.NEG, (App(Op.COS, (Arg(0),)),)),))
    cases, why = failing("E5")
    assert cases == {"Prim sin"} and "grad_LL vs" in why


def test_an_extra_scale_in_t_ll_fails_the_e5_work_steps(monkeypatch):
    """T_LL scaling each cotangent once more by 1: the right gradient, but grad_LL then
    does more work than T∘U∘J at every primitive with a partial other than 1."""
    real = reverse.Transposer.scale

    def twice(self, s, c, ty):
        return real(self, ll.Promote(ll.Lit(1)), real(self, s, c, ty), ty)
    monkeypatch.setattr(reverse.Transposer, "scale", twice)
    cases, why = failing("E5")
    assert cases == _scaled() and "workload(grad_LL f)" in why


def test_an_extra_division_in_t_ll_fails_the_e5_work_steps(monkeypatch):
    """T_LL dividing each divided cotangent once more by 1: the right gradient, more work
    than T∘U∘J exactly at div and log."""
    real = reverse.Transposer.divide

    def twice(self, c, s, ty):
        return real(self, real(self, c, s, ty), ll.Promote(ll.Lit(1)), ty)
    monkeypatch.setattr(reverse.Transposer, "divide", twice)
    cases, why = failing("E5")
    assert cases == _divided() and "workload(grad_LL f)" in why


def test_a_primitive_times_one_fails_the_e3_prim_steps(monkeypatch):
    """⟦op(ē)⟧ = !(mul !(op ⟦ē⟧) !1): same value and type, one more constant applied."""
    _mutant(monkeypatch, la.Prim, _prim_times_one)
    cases, why = failing("E3")
    assert cases == {f"Prim {op.value}" for op in OPS} and "workload_arithmetic" in why
    assert failing("E2")[0] == set()


def test_an_administrative_redex_fails_the_e3_var_step(monkeypatch):
    """⟦x⟧ = let !u = !x in !u: same value, type and workload, one let-step the table
    does not have."""
    _mutant(monkeypatch, la.Var, _var_redex)
    cases, why = failing("E3")
    assert cases == {"Var"} and "the table says" in why
