"""L7 — F computes the JVP on its whole first-order domain, independently of ⟦·⟧.

For every first-order definition  f : !real ⊸ … ⊸ !real ⊸ R  (n parameters) of a
well-typed λLL program p, with symbolic inputs x̄ and tangents ẋ̄:

    F(p) type-checks, and  f'F !x̄ ẋ̄ ⇓ (r, ṙ)  with  r = v  and
        ṙᵢ = Σⱼ ∂vᵢ/∂xⱼ · ẋⱼ     for every real component vᵢ of  v = ⟦f !x̄⟧

where v is f's own λLL value in symbolic mode, the partials are sympy `diff` of it
(not llad's partials table), and equalities are proved by `checkers.symbolic.prove_equal`
(r and v have the same skeleton; ṙ has v's reals, bangs stripped).

Checked on fuzzed programs of `checkers.ll_first_order` — bare literals, closed
primitive arguments, boxes of tuples, pairs, unit, ! weakening, let-redexes and calls —
the cases the encoding's image never reaches (it always promotes literals), and on
every case of F per λLL constructor (`test_every_case_is_reached`); every definition
of a program is checked, with its callees.
"""

from __future__ import annotations

from collections import Counter

import sympy
from hypothesis import given

from calculus.lambda_ll.evaluate import VBang, VReal, evaluate, evaluate_defs
from calculus.lambda_ll.forward import f_name, forward_program
from calculus.lambda_ll.syntax import (App, Const, LetBang, LetPair, LetUnit, Lit, Pair,
                                       Program, Promote, Term, Unit, Var, free_vars, subterms)
from calculus.lambda_ll.typecheck import check_program
from calculus.numbers import backend
from checkers.ll_first_order import arity, first_order_programs
from checkers.symbolic import prove_equal
from test_E4_forward_commutes import split

XS = sympy.symbols("x0:3")
DXS = sympy.symbols("dx0:3")


def run(p: Program, name: str, args: list, nums) -> object:
    """The value of `name a1 … an` in p, the aᵢ passed as intuitionistic values."""
    env, _ = evaluate_defs(p, nums=nums)
    env = dict(env) | {f"#a{i}": a for i, a in enumerate(args)}
    term: Term = Var(name)
    for i in range(len(args)):
        term = App(term, Var(f"#a{i}"))
    return evaluate(term, env, nums=nums).value


def primal_and_jacobian(p: Program) -> tuple[object, list, list[list]]:
    """(v, its reals, ∂vᵢ/∂xⱼ) for the last definition of p at symbols x̄."""
    f = p.defs[-1]
    n = arity(f.ty)
    v = run(p, f.name, [VBang(VReal(x)) for x in XS[:n]], backend("symbolic"))
    _, reals = split(v)
    return v, list(reals), [[sympy.diff(r, x) for x in XS[:n]] for r in reals]


def check_forward(p: Program, forward=forward_program) -> str | None:
    """None when L7 holds for p's last definition; else the failure."""
    f = p.defs[-1]
    n = arity(f.ty)
    fp = forward(p)
    check_program(fp)
    v, reals, jac = primal_and_jacobian(p)
    out = run(fp, f_name(f.name), [VBang(VReal(x)) for x in XS[:n]] +
              [VReal(d) for d in DXS[:n]], backend("symbolic"))
    (skel, prim), (_, tan) = split(out.left), split(out.right)
    if skel != split(v)[0]:
        return f"F's primal has another shape: {skel}"
    want = [sum((j * d for j, d in zip(row, DXS)), sympy.Integer(0)) for row in jac]
    verdict = prove_equal(tuple(prim) + tuple(tan), tuple(reals + want))
    return None if verdict.ok else f"{verdict}"


@given(first_order_programs())
def test_fuzzed(p):
    """Every definition of p, each with its callees."""
    for k in range(1, len(p.defs) + 1):
        failure = check_forward(Program(p.defs[:k]))
        assert failure is None, failure


def cases(t: Term) -> set[str]:
    """The cases of F's definition that t's last definition exercises."""
    out = set()
    boxed = {id(s.body) for s in subterms(t) if isinstance(s, Promote)}
    for s in subterms(t):
        match s:
            case App(App(Const()) | Const(), Promote(a)) if not free_vars(a):
                out.add("closed primitive argument")
            case Lit() if id(s) not in boxed:
                out.add("bare literal")
            case Promote(Lit()):
                out.add("!r")
            case Promote(Pair()):
                out.add("box of a tuple")
            case Promote(App()):
                out.add("primitive")
            case LetBang(u, _, body) if u not in free_vars(body):
                out.add("! weakening")
            case LetBang():
                out.add("let !")
            case LetPair():
                out.add("let (,)")
            case LetUnit():
                out.add("let ()")
            case Unit():
                out.add("()")
            case Pair():
                out.add("pair")
            case App(Var()):
                out.add("call")
            case App(App(Const()) | Const()):
                pass
            case App():
                out.add("let-redex")
    return out


def test_every_case_is_reached():
    """Every case of F occurs as a subterm (not under a promotion's literal) in the
    fixed sample; a bare literal, in particular, is never produced by ⟦·⟧."""
    seen: Counter = Counter()

    @given(first_order_programs())
    def collect(p):
        seen.update(c for d in p.defs for c in cases(d.body))
    collect()
    want = {"bare literal", "!r", "box of a tuple", "closed primitive argument", "primitive",
            "! weakening", "let !", "let (,)", "let ()", "()", "pair", "call", "let-redex"}
    assert want <= set(seen), want - set(seen)
