"""L1 (λLL type safety) and L3 (algebraic linearity) by structural induction, on the real
λLL checker and evaluator (`checkers.induction_ll`; ../shared/INDUCTION.md).

Generalised statement (a logical relation: ⊸E evaluates a closure body that is no
subterm of the application): a hole ?h : A evaluates to a value of A built from fresh
sympy reals, and a hole of function type to a closure whose body is a hole of the
codomain (so applying it yields a value of the codomain, by the IH).  Per λLL constructor
(the list is `syntax.Term` by introspection; `Const` per constant name, fully applied to
holes): Γ ; Δ ⊢ C(H̄) : A by the real checker, and the evaluator's value v of C(H̄) has
`value_type(v) = A`.

Not covered here: L1's failure modes outside the holes' interface (the step budget,
`DomainError` in float mode), which the instance checks keep (test_L1_type_safety.py);
L3 (L3a: t(αu+βv) = αt(u) + βt(v) + (1−α−β)t(0̄) for Γ ; ȳ ⊢ t : D, D data): each
constructor in a minimal context of data type (`l3_schemas`: e.g. Fun as the β-redex
(fun x -> ?h) ?a, Promote under a let !), holes affine in their linear inputs,
?h[ū ; x̄] : D ↦ h(ū) + M_h(ū)·x̄ (undefined functions), a hole of type D₁ ⊸ D₂ ↦ a
closure capturing x̄ whose body is a hole affine in (x̄, x); the identity reduces to the
literal 0 (sympy).  L3b (linear when t(0̄) = 0) follows as in test_L3_*, which keeps
the instance checks; function values passed to holes are not covered (a hole's IH is
stated for data inputs), nor are L3's statements at non-data result types.
L1 and L3 are registered in `llad audit` with the λLL cases as rows of their own
(prefixed `λLL`).
"""

from __future__ import annotations

from calculus.lambda_ll import evaluate as ev
from calculus.lambda_ll import syntax as ls
from checkers.induction import obligations
from checkers.induction_ll import ll_cases
from test_induction import failing


def _failing(theorem: str = "L1") -> tuple[set[str], str]:
    cases, why = failing(theorem)
    return {c.removeprefix("λLL ") for c in cases}, why


def test_every_lambda_ll_constructor_has_an_l1_case():
    """Discharge and coverage of L1 are tested with every theorem in test_induction.py;
    here: the cases are read from `syntax.Term`, one per constant for `Const`."""
    from typing import get_args
    names = {c.__name__ for c in get_args(ls.Term)} - {"Hole"}
    assert {c.split(" ")[1] for c in ll_cases()} == names
    assert sorted(o.constructor for o in obligations("L1")) == sorted(ll_cases())
    assert {c for c in ll_cases() if c.startswith("λLL Const ")} == \
        {f"λLL Const {n}" for n in ls.CONST_NAMES}


def test_a_pair_built_backwards_fails_the_l1_pair_step(monkeypatch):
    real = ev.Evaluator.eval

    def backwards(self, t, env):
        if isinstance(t, ls.Pair):
            return ev.VPair(real(self, t.right, env), real(self, t.left, env))
        return real(self, t, env)
    monkeypatch.setattr(ev.Evaluator, "eval", backwards)
    cases, why = _failing()
    assert cases == {"Pair"} and "the checker says" in why


def test_a_promotion_that_forgets_its_bang_fails_the_l1_promote_step(monkeypatch):
    real = ev.Evaluator.eval

    def unboxed(self, t, env):
        if isinstance(t, ls.Promote):
            return real(self, t.body, env)
        return real(self, t, env)
    monkeypatch.setattr(ev.Evaluator, "eval", unboxed)
    cases, _ = _failing()
    assert "Promote" in cases and "Var" not in cases


def test_plus_that_multiplies_fails_the_l3_plus_step(monkeypatch):
    """plus a b evaluated to a·b componentwise: well typed (L1 still holds), not affine."""
    def times(a, b, nums, ca=None, cb=None):
        if isinstance(a, ev.VPair):
            return ev.VPair(times(a.left, b.left, nums), times(a.right, b.right, nums))
        return ev.VReal(nums.mul(a.value, b.value))
    monkeypatch.setattr(ev, "combine", times)
    cases, why = _failing("L3")
    assert cases == {"Const plus"} and "not affine" in why
    assert _failing("L1")[0] == set()
