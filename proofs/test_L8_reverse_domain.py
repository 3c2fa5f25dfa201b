"""L8 — T_LL computes the VJP on F's whole first-order domain, independently of ⟦·⟧.

For every first-order definition  f : !real ⊸ … ⊸ !real ⊸ R  (n parameters) of a
well-typed λLL program p, symbolic inputs x̄ and a symbolic cotangent c̄ shaped like R':

    T_LL(F(p)) type-checks, and  f'F'T !x̄ ⇓ (r, back)  with  r = v  and
        back c̄ ⇓ (ḡ₁, …, ḡₙ)   with   ḡⱼ = Σᵢ cᵢ · ∂vᵢ/∂xⱼ

where v = ⟦f !x̄⟧ is f's own λLL value in symbolic mode and the partials are sympy
`diff` of it (L7's oracle); equalities are proved by `checkers.symbolic.prove_equal`.
Checked on the fuzzed programs of `checkers.ll_first_order` (every definition, with its
callees): bare literals, closed primitive arguments, boxes, pairs, unit, calls.
"""

from __future__ import annotations


import sympy
from hypothesis import given

from calculus.grad_ll import untensor
from calculus.lambda_ll.evaluate import VBang, VPair, VReal, VUnit, evaluate
from calculus.lambda_ll.forward import f_name, forward_program
from calculus.lambda_ll.reverse import reverse_program, t_name
from calculus.lambda_ll.syntax import App, Program, Var
from calculus.lambda_ll.typecheck import check_program
from calculus.numbers import backend
from checkers.ll_first_order import arity, first_order_programs
from checkers.symbolic import prove_equal
from test_E4_forward_commutes import split
from test_L7_forward_domain import XS, primal_and_jacobian, run

CS = sympy.symbols("c0:16")


def cotangent(v, cs) -> object:
    """A value of type R' shaped like v : R (bangs stripped), its reals from cs."""
    match v:
        case VReal():
            return VReal(next(cs))
        case VUnit():
            return v
        case VPair(a, b):
            return VPair(cotangent(a, cs), cotangent(b, cs))
        case VBang(a):
            return cotangent(a, cs)
    raise TypeError(v)


def check_reverse(p: Program, forward=forward_program) -> str | None:
    """None when L8 holds for p's last definition; else the failure."""
    f = p.defs[-1]
    n = arity(f.ty)
    fp = forward(p)
    rp = reverse_program(fp, {f_name(d.name): arity(d.ty) for d in p.defs})
    check_program(rp)
    v, reals, jac = primal_and_jacobian(p)
    nums = backend("symbolic")
    out = run(rp, t_name(f_name(f.name)), [VBang(VReal(x)) for x in XS[:n]], nums)
    skel, prim = split(out.left)
    if skel != split(v)[0]:
        return f"T_LL's primal has another shape: {skel}"
    ct = cotangent(v, iter(CS))
    back = evaluate(App(Var("#back"), Var("#ct")), {}, {"#back": out.right, "#ct": ct},
                    nums=nums).value
    grad = tuple(g.value for g in untensor(back, n))
    want = tuple(sum((c * row[j] for c, row in zip(CS, jac)), sympy.Integer(0))
                 for j in range(n))
    verdict = prove_equal(tuple(prim) + grad, tuple(reals) + want)
    return None if verdict.ok else str(verdict)


@given(first_order_programs())
def test_fuzzed(p):
    for k in range(1, len(p.defs) + 1):
        failure = check_reverse(Program(p.defs[:k]))
        assert failure is None, failure
