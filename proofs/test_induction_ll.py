"""L1 (λLL type safety) by structural induction, on the real λLL checker and evaluator
(`checkers.induction_ll`; ../shared/INDUCTION.md).

Generalised statement (a logical relation: ⊸E evaluates a closure body that is no
subterm of the application): a hole ?h : A evaluates to a value of A built from fresh
sympy reals, and a hole of function type to a closure whose body is a hole of the
codomain (so applying it yields a value of the codomain, by the IH).  Per λLL constructor
(the list is `syntax.Term` by introspection; `Const` per constant name, fully applied to
holes): Γ ; Δ ⊢ C(H̄) : A by the real checker, and the evaluator's value v of C(H̄) has
`value_type(v) = A`.

Not covered here: L1's failure modes outside the holes' interface (the step budget,
`DomainError` in float mode), which the instance checks keep (test_L1_type_safety.py);
L1 is registered in `llad audit` with the λLL cases as rows of its own (prefixed `λLL`).
L3 stays instance-checked (its first-order fragment is compositional, not done here).
"""

from __future__ import annotations

from calculus.lambda_ll import evaluate as ev
from calculus.lambda_ll import syntax as ls
from checkers.induction import obligations
from checkers.induction_ll import ll_cases
from test_induction import failing


def _failing() -> tuple[set[str], str]:
    cases, why = failing("L1")
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
