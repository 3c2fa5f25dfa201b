"""T: transposition of linear Linear A functions (SPEC §2.4; YOLO §6).

    f(x̄:τ̄ ; ȳ:σ̄) -> (; σ̄')      ↦      f.T(x̄:τ̄ ; c̄:σ̄') -> (; σ̄)

    Γ ; Δ ⊢ e : (; σ̄)   and cotangents c̄ : σ̄   ⟹   Γ ; c̄ ⊢ T(e, c̄) : (; Δ*)

T(e, c̄) returns the cotangents of e's free linear variables (each is consumed exactly
once in e, so each gets exactly one cotangent, and no accumulation map is needed).
Lets are processed body first.  The table of dualities:

    +.    ↔ dup              zero  ↔ drop           *.  ↔ *. (same scalar)
    ltup  ↔ let ltup         y     ↔ its cotangent  f(x̄;ȳ) ↔ f.T(x̄; c̄)
    drop(e) ↦ zeros for e's free linear variables, without transposing e
              (a short-circuiting drop, as in the paper), and drop of its free
              non-linear ones (Linear A has no weakening).

Non-linear parts (lets whose bound expression is non-linear, `let tup`, scalars of
`*.`) are kept in place and run forward.  Fragment: no non-linear results, and no
*mixed* let (one binding both kinds of results: unzip first); otherwise
`OutOfFragment`.
"""

from __future__ import annotations

from typing import assert_never

from ..deep import deep
from ..errors import InternalError, OutOfFragment
from .names import Fresh, free_vars, freshen, names_in
from .syntax import (Call, Drop, Dup, Expr, FunDef, LAdd, Let, Lit, LScale, LTup, LVar, Prim,
                     Program, Ret, Tup, TupT, Type, UnpackLtup, UnpackTup, Var, Zero)
from .typecheck import Typing, check_fun

Cotangents = tuple[str, ...]  # names, one per linear result / per free linear variable


def t_name(f: str) -> str:
    return f"{f}.T"


class _Transpose:
    def __init__(self, f: FunDef, typing: Typing) -> None:
        self.fresh = Fresh(names_in(f))
        self.typing = typing
        self.lin_types: dict[str, Type] = dict(f.lin_params)  # linear name ↦ type
        self.callees: set[str] = set()  # functions called linearly: they need g.T too

    def ct(self, n: int) -> Cotangents:
        return tuple(self.fresh("ct") for _ in range(n))

    def names_for(self, order: Cotangents) -> dict[str, str]:
        """Fresh names for the cotangents of the variables in `order`."""
        return dict(zip(order, self.ct(len(order))))

    def t(self, e: Expr, cts: Cotangents) -> tuple[Expr, Cotangents]:
        """T(e, c̄) = (expression returning the cotangents, the variables they belong to)."""
        match e:
            case Ret((), ys):
                return Ret((), cts), ys
            case LVar(y):
                return Ret((), cts), (y,)
            case LTup(ys):
                parts = self.ct(len(ys))
                return UnpackLtup(parts, cts[0], Ret((), parts)), ys
            case LAdd(a, b):
                c1, c2 = self.ct(2)
                (ea, oa), (eb, ob) = self.t(a, (c1,)), self.t(b, (c2,))
                na, nb = self.names_for(oa), self.names_for(ob)
                both = Let((), tuple(na.values()), ea, Let((), tuple(nb.values()), eb,
                                                           Ret((), (*na.values(), *nb.values()))))
                return Let((), (c1, c2), Dup(LVar(cts[0])), both), oa + ob
            case LScale(s, b):
                (c,) = self.ct(1)
                eb, ob = self.t(b, (c,))
                return Let((), (c,), LScale(s, LVar(cts[0])), eb), ob
            case Zero():
                return Drop(LVar(cts[0])), ()
            case Dup(a):
                (c,) = self.ct(1)
                ea, oa = self.t(a, (c,))
                return Let((), (c,), LAdd(LVar(cts[0]), LVar(cts[1])), ea), oa
            case Drop(a):
                return self.drop(a)
            case Let(xs, ys, bound, body) if xs:
                if ys or free_vars(bound)[1]:
                    raise OutOfFragment("T", "a let binding both non-linear and linear results "
                                        "cannot be transposed: unzip first", e.pos,
                                        transformation="T")
                eb, ob = self.t(body, cts)
                return Let(xs, (), bound, eb), ob
            case Let((), ys, bound, body):
                # body first: its cotangents include those of ys, which feed the bound
                self.lin_types.update(zip(ys, self.typing.of(bound)[1]))
                e2, o2 = self.t(body, cts)
                n2 = self.names_for(o2)
                e1, o1 = self.t(bound, tuple(n2[y] for y in ys))
                n1 = self.names_for(o1)
                rest = tuple(v for v in o2 if v not in ys)
                out = Ret((), tuple(n2[v] for v in rest) + tuple(n1.values()))
                return (Let((), tuple(n2.values()), e2, Let((), tuple(n1.values()), e1, out)),
                        rest + o1)
            case UnpackTup(xs, t, body):
                eb, ob = self.t(body, cts)
                return UnpackTup(xs, t, eb), ob
            case UnpackLtup(ys, t, body):
                tt = self.lin_types[t]
                if not isinstance(tt, TupT):
                    raise InternalError(f"T: `{t}` is not a tuple")
                self.lin_types.update(zip(ys, tt.elems))
                eb, ob = self.t(body, cts)
                n = self.names_for(ob)
                (packed,) = self.ct(1)
                rest = tuple(v for v in ob if v not in ys)
                out = Let((), (packed,), LTup(tuple(n[y] for y in ys)),
                          Ret((), tuple(n[v] for v in rest) + (packed,)))
                return Let((), tuple(n.values()), eb, out), rest + (t,)
            case Call(g, xs, ys):
                self.callees.add(g)
                return Call(t_name(g), xs, cts, e.pos), ys
            case Ret() | Var() | Lit() | Tup() | Prim():
                raise OutOfFragment("T", f"{type(e).__name__} has non-linear results; T applies "
                                    "to linear expressions", e.pos, transformation="T")
            case _:
                assert_never(e)

    def drop(self, a: Expr) -> tuple[Expr, Cotangents]:
        """T(drop(a)) = let (;) = drop((fv_nl(a);)) in (; zero[σ_v] for v ∈ fv_lin(a))."""
        nl, lin = free_vars(a)
        order = tuple(sorted(lin))
        zs = self.ct(len(order))
        out: Expr = Ret((), zs)
        for z, v in reversed(list(zip(zs, order))):
            out = Let((), (z,), Zero(self.lin_types[v]), out)
        if nl:
            out = Let((), (), Drop(Ret(tuple(sorted(nl)), ())), out)
        return out, order


@deep
def transpose_fun(f: FunDef, sigs: dict) -> tuple[FunDef, set[str]]:
    """T on one function; `sigs` are the type signatures of its callees.  Also returns
    the callees whose transposes f.T calls."""
    if f.nl_results:
        raise OutOfFragment("T", f"`{f.name}` has non-linear results; T applies to functions "
                            "f(x̄ ; ȳ) -> (; σ̄') (unzip first)", f.pos, transformation="T")
    f = freshen(f)
    tr = _Transpose(f, check_fun(f, sigs))
    cts = tr.ct(len(f.lin_results))
    e, order = tr.t(f.body, cts)
    n = tr.names_for(order)
    body = Let((), tuple(n.values()), e, Ret((), tuple(n[y] for y, _ in f.lin_params)))
    return FunDef(t_name(f.name), f.nl_params, tuple(zip(cts, f.lin_results)), (),
                  tuple(t for _, t in f.lin_params), body, f.pos), tr.callees


def transpose_program(program: Program, func: str | None = None) -> Program:
    """The program extended with g.T for func (all functions when None) and for every
    function it calls in a linear position, transitively."""
    from .typecheck import check_program
    sigs = check_program(program).sigs
    todo = [func] if func else [f.name for f in program.funcs]
    done: dict[str, FunDef] = {}
    while todo:
        name = todo.pop()
        if name not in done:
            done[name], callees = transpose_fun(program.get(name), sigs)
            todo += sorted(callees)
    order = [f.name for f in program.funcs if f.name in done]
    return Program(program.funcs + tuple(done[n] for n in order))
