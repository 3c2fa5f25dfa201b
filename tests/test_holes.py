"""Metavariables (../shared/INDUCTION.md): every transformation maps a hole to a hole
whose judgement is the transformation's judgement on the hole's, and the real type
checkers accept the output given only the holes' axioms.

    J    ?h[x̄ ;] : (τ̄;)        ↦  ?h.jvp[x̄ ; ẋ̄] : (τ̄ ; τ̄)
    U    ?h[x̄ ; ȳ] : (τ̄ ; σ̄)   ↦  ?h.nonlin[x̄ ;] : (τ̄, tape ;)  and  ?h.lin[tape ; ȳ] : (; σ̄)
    T    ?h[x̄ ; ȳ] : (; σ̄)      ↦  ?h.T[x̄ ; c̄:σ̄] : (; σ̄_y)
    ⟦·⟧  ?h[x̄ ; ȳ] : R          ↦  ?h[x̄:!τ̄° ; ȳ:σ̄•] : R°•
    F    ?h[ū ; x̄] : A          ↦  ?h'F[ū ; x̄, u̇, ẋ] : A ⊗ A'
    T_LL ?h'F[ū ; ḋ̄] : A ⊗ A'    ↦  ?h'F'T[ū ;] : A ⊗ (A' ⊸ D̄')
"""

from __future__ import annotations

import pytest

from calculus.encoding import encode_program
from calculus.grad_ll import build
from calculus.lambda_ll import syntax as ls
from calculus.lambda_ll import typecheck as lt
from calculus.lambda_ll.syntax import Tensor
from calculus.linear_a import syntax as la
from calculus.linear_a.grad import reverse
from calculus.linear_a.jvp import jvp_fun
from calculus.linear_a.syntax import REAL, FunDef, Hole, Program, TupT
from calculus.linear_a.transpose import transpose_fun
from calculus.linear_a.typecheck import check_program
from calculus.linear_a.unzip import unzip_program

PAIR = TupT((REAL, REAL))
NL = (("x", REAL), ("t", PAIR))


def holes_la(e) -> list[Hole]:
    return [s for s in la.subterms(e) if isinstance(s, Hole)]


def holes_ll(t) -> list[ls.Hole]:
    return [s for s in ls.subterms(t) if isinstance(s, ls.Hole)]


def nonlinear_fun() -> FunDef:
    return FunDef("f", NL, (), (REAL, PAIR), (), Hole("h", NL, (), (REAL, PAIR), ()))


def test_j_maps_a_hole_to_its_jvp_hole():
    f = jvp_fun(nonlinear_fun())
    check_program(Program((f,)))
    (h,) = holes_la(f.body)
    assert (h.name, h.nl, h.nl_results, h.lin_results) == ("h.jvp", NL, (REAL, PAIR), (REAL, PAIR))
    assert tuple(t for _, t in h.lin) == (REAL, PAIR)
    assert {y for y, _ in h.lin} == {y for y, _ in f.lin_params}


@pytest.mark.parametrize("policy", ["store", "recompute"])
def test_u_maps_a_hole_to_a_nonlin_lin_pair(policy):
    lin = (("y", REAL),)
    f = FunDef("f", NL, lin, (REAL,), (PAIR,), Hole("h", NL, lin, (REAL,), (PAIR,)))
    u = unzip_program(Program((f,)), "f", policy)
    check_program(u.program)
    nonlin, linear = u.program.get("f.nonlin"), u.program.get("f.lin")
    (hn,) = holes_la(nonlin.body) if policy == "store" else holes_la(linear.body)[:1]
    (hl,) = [h for h in holes_la(linear.body) if h.name == "h.lin"]
    assert (hn.name, hn.nl, hn.lin, hn.nl_results[:1]) == ("h.nonlin", NL, (), (REAL,))
    assert hl.lin == lin and hl.lin_results == (PAIR,) and hl.nl_results == ()
    assert hl.nl[0][1] == hn.nl_results[1]  # the tape ?h.nonlin writes is what ?h.lin reads


def test_t_maps_a_hole_to_its_transpose_hole():
    lin = (("y", REAL), ("z", PAIR))
    f = FunDef("f", NL, lin, (), (PAIR,), Hole("h", NL, lin, (), (PAIR,)))
    sigs = check_program(Program((f,))).sigs
    ft, _ = transpose_fun(f, sigs)
    check_program(Program((ft,)))
    (h,) = holes_la(ft.body)
    assert (h.name, h.nl, h.lin_results) == ("h.T", NL, (REAL, PAIR))
    assert tuple(t for _, t in h.lin) == (PAIR,)


def test_grad_of_a_hole_type_checks():
    rev = reverse(Program((nonlinear_fun(),)), "f")
    check_program(rev.program)
    assert {h.name for f in rev.program.funcs for h in holes_la(f.body)} >= \
        {"h.jvp.nonlin", "h.jvp.lin.T"}


def test_encoding_f_and_t_ll_map_a_hole_to_a_hole():
    p = Program((nonlinear_fun(),))
    enc, names = encode_program(p)
    lt.check_program(enc)
    (h,) = holes_ll(enc.defs[0].body)
    assert h.name == "h" and h.delta == ()
    assert h.ty == Tensor(ls.Bang(ls.REAL), ls.Bang(Tensor(ls.Bang(ls.REAL), ls.Bang(ls.REAL))))
    rev = build(p, "f").program  # ⟦·⟧, then F, then T_LL
    lt.check_program(rev)
    (hf,) = holes_ll(rev.lookup("f'F").body)
    (ht,) = holes_ll(rev.lookup("f'F'T").body)
    assert hf.name == "h'F" and hf.ty == Tensor(h.ty, Tensor(ls.REAL, Tensor(ls.REAL, ls.REAL)))
    assert ht.name == "h'F'T" and isinstance(ht.ty.right, ls.Lolli)


def test_a_hole_used_at_the_wrong_type_is_rejected():
    f = FunDef("f", (("x", REAL),), (), (REAL,), (), Hole("h", (("x", PAIR),), (), (REAL,), ()))
    with pytest.raises(Exception, match="expects `x`"):
        check_program(Program((f,)))


def test_the_ll_evaluator_runs_a_hole_by_its_meaning():
    """A λLL hole reads its Γ and consumes its Δ (instrumented), returns the meaning's
    value and adds its tallies; without a meaning it is an error naming the hole."""
    from calculus.errors import InternalError
    from calculus.lambda_ll.evaluate import Counts, VReal, evaluate

    h = ls.Hole("h", (("u", ls.REAL),), (("x", ls.REAL),), ls.REAL)
    seen = []

    def mean(ins, lins):
        seen.append((ins, lins))
        return VReal(ins[0].value * lins[0].value), Counts(prim=7)
    r = evaluate(h, {"u": VReal(2.0)}, {"x": VReal(3.0)}, instrumented=True, holes={"h": mean})
    assert r.value == VReal(6.0) and r.counts.prim == 7 and len(seen) == 1
    twice = ls.Pair(h, h)
    with pytest.raises(Exception, match="consumed twice"):
        evaluate(twice, {"u": VReal(2.0)}, {"x": VReal(3.0)}, instrumented=True,
                 holes={"h": mean})
    with pytest.raises(InternalError, match=r"\?h"):
        evaluate(h, {"u": VReal(2.0)}, {"x": VReal(3.0)})


def test_t_ll_binds_a_hole_s_primal_linear_argument_standing_for_a_term():
    """T_LL's hole case for a primal linear argument bound by F to a term (`_Flat.hole`,
    `x in psub`): in  f = fun (x : !real) -> (fun (y : !real) -> ?h[; y] : !real) x  the
    let-redex's y stands for x, so  f'F'T = fun x -> (fun y -> let (r, bp) = ?h'F'T[; y]
    in …) x.  It type-checks, and with ?h'F'T[; y] = (!(y·y), fun c -> scale !(y + y) c)
    f'F'T !x ⇓ (!(x·x), back) with back c = 2·x·c.  Found by the mutmut sample
    (benchmarks/results/mutmut_triage.md: `_Flat.hole__mutmut_13` and `__mutmut_21`,
    which break that binding, fail this test)."""
    import sympy

    from calculus.lambda_ll.evaluate import Counts, Env, VBang, VClosure, VPair, VReal, evaluate
    from calculus.lambda_ll.forward import f_name, forward_program
    from calculus.lambda_ll.reverse import reverse_program, t_name

    bang = ls.Bang(ls.REAL)
    hole = ls.Hole("h", (), (("y", bang),), bang)
    body = ls.App(ls.Fun("y", bang, hole), ls.Var("x"))
    p = ls.Program((ls.Def("f", ls.Lolli(bang, bang), ls.Fun("x", bang, body)),))
    lt.check_program(p)
    rev = reverse_program(forward_program(p), {f_name("f"): 1})
    lt.check_program(rev)
    ft = rev.lookup(t_name(f_name("f")))
    (h,) = holes_ll(ft.body)
    ((y, _),) = h.delta  # y, renamed by F
    assert h.name == "h'F'T" and h.gamma == () and isinstance(ft.body, ls.Fun)
    redexes = [s for s in ls.subterms(ft.body)
               if isinstance(s, ls.App) and isinstance(s.fn, ls.Fun) and s.fn.var == y]
    assert [r.arg for r in redexes] == [ls.Var(ft.body.var)]  # bound to x

    def twice(y: str) -> ls.Term:
        return ls.Promote(ls.apply_all(ls.Const("add"), [ls.Promote(ls.Var(y))] * 2))

    def square(ins, lins):
        (arg,) = lins
        y = arg.value.value  # !real
        scale = ls.Const("scale", ls.REAL)
        back = ls.Fun("c", ls.REAL, ls.apply_all(scale, [twice("w"), ls.Var("c")]))
        return VPair(VBang(VReal(y * y)), VClosure(back, Env("w", VReal(y), False, None))), Counts()
    x, c = sympy.symbols("x c", real=True)
    out = evaluate(ls.App(ft.body, ls.Var("bx")), {}, {"bx": VBang(VReal(x))}, "symbolic",
                   holes={"h'F'T": square}).value
    assert out.left == VBang(VReal(x * x))
    grad = evaluate(ls.App(ls.Var("back"), ls.Var("c")), {"back": out.right}, {"c": VReal(c)},
                    "symbolic").value
    assert sympy.expand(grad.value - 2 * x * c) == 0
