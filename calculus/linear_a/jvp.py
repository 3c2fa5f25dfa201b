"""J: forward mode (JVP) on Linear A (SPEC §2.4; YOLO §4).

    f(x̄:τ̄ ;) -> (τ̄' ;)      ↦      f.jvp(x̄:τ̄ ; ẋ̄:τ̄) -> (τ̄' ; τ̄')

    Γ ⊢ e : (τ̄ ;)           ⟹      Γ ; {ẋ | x ∈ Γ} ⊢ J(e) : (τ̄ ; τ̄)

Every non-linear variable x gets a linear tangent ẋ of the same type.  Tangents are
linear, so a variable with n uses needs n tangent copies: J makes them with n−1 `dup`s
right where x is bound (`copies`), and each use of x takes one copy from the pool.  A
use inside `drop(e)` takes its copy too and drops it.  Literals (and closed primitive
arguments) have tangent `zero`.  A primitive's tangent is Σᵢ ∂ᵢ *. ȧᵢ with the partial
derivatives of `PRIMS[op].partials`, which may reuse the primal result (d exp x =
exp x · dx: exp is computed once).  Calls go to the callee's JVP.

Fragment: functions and bodies without linear variables or linear constructs
(LVar, LTup, +., *., zero, dup, let ltup); anything else raises `OutOfFragment`.
Names: f.jvp for the transformed f; tangent of x is x' (made fresh).
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import assert_never

from ..deep import deep
from ..errors import InternalError, OutOfFragment
from ..primitives import PRIMS, App, Arg, Const, One, Partial, Res
from ..fresh import dup_chain
from .names import Fresh, binders, free_vars, freshen, names_in, occurrences
from .syntax import (REAL, Call, Drop, Dup, Expr, FunDef, LAdd, Let, Lit, LScale, LTup, LVar,
                     Prim, Program, Ret, Tup, UnpackLtup, UnpackTup, Var, Zero)

TangentPool = dict[str, list[str]]  # x ↦ the unused copies of ẋ


def jvp_name(f: str) -> str:
    return f"{f}.jvp"


class _Jvp:
    def __init__(self, f: FunDef) -> None:
        self.fresh = Fresh(names_in(f))
        self.uses: Counter = occurrences(f.body)
        self.pool: TangentPool = {}
        self.plans: dict[str, list[tuple[str, str, str]]] = {}  # x ↦ its dup chain
        self.closed_memo: dict[int, bool] = {}  # id(node) ↦ closed (the tree outlives J)

    def closed(self, e: Expr) -> bool:
        """No free non-linear variable in e; memoized through nested primitives so
        that J stays linear in the nesting depth (found by the fuzzer)."""
        if (c := self.closed_memo.get(id(e))) is None:
            match e:
                case Prim(_, args):
                    c = all(self.closed(a) for a in args)
                case Lit():
                    c = True
                case _:
                    c = not free_vars(e)[0]
            self.closed_memo[id(e)] = c
        return c

    # -- tangent copies ------------------------------------------------------------------

    def take(self, x: str) -> str:
        """The next unused tangent copy of x."""
        try:
            return self.pool[x].pop()
        except (KeyError, IndexError):
            raise InternalError(f"J: no tangent copy left for `{x}`") from None

    def tangents_for(self, xs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.fresh(f"{x}'") for x in xs)

    def bind_copies(self, xs: tuple[str, ...], dxs: tuple[str, ...], k) -> Expr:
        """Copies must be bound before the body is transformed (the body takes from the
        pool), so the body is built by the continuation k."""
        self.register(xs, dxs)
        return self.wrap_copies(xs, dxs, k())

    def register(self, xs: tuple[str, ...], dxs: tuple[str, ...]) -> None:
        """Plan the dup chain ẋ → (c1, r1), r1 → (c2, r2), … giving one copy per use of
        x, and fill the pool with the copies."""
        for x, dx in zip(xs, dxs):
            n = self.uses[x]
            if n == 0:
                raise InternalError(f"J: `{x}` is never used (no weakening in Linear A)")
            chain, copies = dup_chain(n, dx, self.fresh, f"{x}'")
            self.pool[x] = copies[::-1]  # take() pops from the end: first copy first
            self.plans[x] = chain

    def wrap_copies(self, xs: tuple[str, ...], dxs: tuple[str, ...], body: Expr) -> Expr:
        for x in reversed(xs):
            for src, c, rest in reversed(self.plans.pop(x)):
                body = Let((), (c, rest), Dup(LVar(src)), body)
        return body

    # -- the transformation ----------------------------------------------------------------

    def j(self, e: Expr) -> Expr:
        """Γ ⊢ e : (τ̄;)  ⟹  Γ ; (copies of ẋ) ⊢ J(e) : (τ̄ ; τ̄)."""
        match e:
            case Ret(xs, ()):
                return Ret(xs, tuple(self.take(x) for x in xs))
            case Let(xs, (), bound, body):
                dxs = self.tangents_for(xs)
                jb = self.j(bound)
                return Let(xs, dxs, jb, self.bind_copies(xs, dxs, lambda: self.j(body)))
            case UnpackTup(xs, t, body):
                dxs = self.tangents_for(xs)
                dt = self.take(t)
                inner = self.bind_copies(xs, dxs, lambda: self.j(body))
                return UnpackTup(xs, t, UnpackLtup(dxs, dt, inner))
            case Call(g, xs, ()):
                return Call(jvp_name(g), xs, tuple(self.take(x) for x in xs))
            case Var(x):
                return Ret((x,), (self.take(x),))
            case Lit():
                p, z = self.fresh("lit"), self.fresh("lit'")
                return Let((p,), (), e, Let((), (z,), Zero(REAL), Ret((p,), (z,))))
            case Tup(xs):
                p, q = self.fresh("tup"), self.fresh("tup'")
                return Let((p,), (), e, Let((), (q,), LTup(tuple(self.take(x) for x in xs)),
                                            Ret((p,), (q,))))
            case Prim():
                return self.prim(e)
            case Drop(a):
                inner = binders(a)
                dropped = tuple(self.take(x) for x in occurrences(a).elements()
                                if x not in inner)
                if not dropped:
                    return e
                tangent = LVar(dropped[0]) if len(dropped) == 1 else LTup(dropped)
                return Let((), (), e, Drop(tangent))
            case Ret() | Let() | Call() | LVar() | LTup() | LAdd() | LScale() | Zero() | Dup() \
                    | UnpackLtup():
                raise OutOfFragment("J", f"{type(e).__name__} is linear; J applies to "
                                    "non-linear programs only", e.pos, transformation="J")
            case _:
                assert_never(e)

    def prim(self, e: Prim) -> Expr:
        """let (aᵢ; ȧᵢ) = J(eᵢ) in let (z;) = op(ā) in (z ; Σᵢ ∂ᵢ *. ȧᵢ)."""
        rule = PRIMS[e.op]
        prims, binds, terms = [], [], []
        for i, arg in enumerate(e.args):
            a = self.fresh("a")
            prims.append(Var(a))
            if self.closed(arg):  # closed argument: its tangent is 0
                binds.append(((a,), (), arg))
                continue
            da = self.fresh("a'")
            binds.append(((a,), (da,), self.j(arg)))
            terms.append((rule.partials[i], da))
        z, dz = self.fresh("z"), self.fresh("z'")
        scaled = [LVar(da) if isinstance(p, One) else LScale(_partial(p, prims, z), LVar(da))
                  for p, da in terms]
        tangent: Expr = Zero(REAL)
        if scaled:
            tangent = scaled[0]
            for s in scaled[1:]:
                tangent = LAdd(tangent, s)
        out: Expr = Let((z,), (), Prim(e.op, tuple(prims), e.pos),
                        Let((), (dz,), tangent, Ret((z,), (dz,))))
        for xs, ys, bound in reversed(binds):
            out = Let(xs, ys, bound, out)
        return out


def _partial(p: Partial, args: list[Expr], z: str) -> Expr:
    """A partial derivative as a non-linear Linear A expression."""
    match p:
        case Const(q):
            return Lit(q)
        case Arg(i):
            return args[i]
        case Res():
            return Var(z)
        case App(op, ps):
            return Prim(op, tuple(_partial(q, args, z) for q in ps))
        case One():
            return Lit(Fraction(1))
        case _:
            assert_never(p)


@deep
def jvp_fun(f: FunDef) -> FunDef:
    """J on one function (its callees must be transformed too: see `jvp_program`)."""
    if f.lin_params or f.lin_results:
        raise OutOfFragment("J", f"`{f.name}` has linear parameters or results; J applies to "
                            "functions f(x̄ ;) -> (τ̄ ;)", f.pos, transformation="J")
    f = freshen(f)
    jv = _Jvp(f)
    xs = tuple(x for x, _ in f.nl_params)
    dxs = jv.tangents_for(xs)
    body = jv.bind_copies(xs, dxs, lambda: jv.j(f.body))
    return FunDef(jvp_name(f.name), f.nl_params,
                  tuple((dx, t) for dx, (_, t) in zip(dxs, f.nl_params)),
                  f.nl_results, f.nl_results, body, f.pos)


def jvp_program(program: Program, func: str | None = None) -> Program:
    """The program extended with f.jvp for func and every function it calls (all of
    them when func is None)."""
    from .work import reachable
    names = reachable(program, func) if func else [f.name for f in program.funcs]
    return Program(program.funcs + tuple(jvp_fun(program.get(n)) for n in names))
