"""J: forward mode (JVP) on Linear A (SPEC §2.4; YOLO §4).

    f(x̄:τ̄ ;) -> (τ̄' ;)      ↦      f.jvp(x̄:τ̄ ; ẋ̄:τ̄) -> (τ̄' ; τ̄')

    Γ ⊢ e : (τ̄ ;)           ⟹      Γ ; {ẋ | x ∈ Γ} ⊢ J(e) : (τ̄ ; τ̄)

Every non-linear variable x gets a linear tangent ẋ of the same type.  Tangents are
linear, so a variable with n uses needs n tangent copies: J makes them with n−1 `dup`s
right where x is bound (`copies`), and each use of x takes one copy from the pool.  A
use inside `drop(e)` takes its copy too and drops it.  Literals (and closed primitive
arguments) have tangent `zero`.  A primitive's tangent is Σᵢ ∂ᵢ *. ȧᵢ with the partial
derivatives of `PARTIALS[op]`, which may reuse the primal result (d exp x =
exp x · dx: exp is computed once); a partial 1/q is ȧᵢ /. q (d log x = dx /. x).
Tangent copies and Σᵢ ∂ᵢ *. ȧᵢ are the AD kernel's (`calculus.ad`); `JvpTerms` is
Linear A's syntax for them.  Calls go to the callee's JVP.

Symbolic zeros: a *constant* — a variable bound to a literal, or to constants re-bound,
tupled or unpacked (`let (x;) = e` with e a literal, a constant, (c;) or tup(c̄);
`let tup(x̄) = c`), or to a primitive each of whose arguments is closed or has the
partial derivative 0 (powi[0]; the tangent copies of such an argument's variables are
dropped) — gets no tangent at all: no tangent binder, no dups, and a primitive
treats it as a closed argument.  Its tangent `zero[τ]` is materialised only where a
tangent variable is needed: a result, a call's or a hole's argument, a tuple, a variable
expression.  F does the same on the encoded program (E4).

Fragment: functions and bodies without linear variables or linear constructs
(LVar, LTup, +., *., /., zero, dup, let ltup); anything else raises `OutOfFragment`.
Names: f.jvp for the transformed f; tangent of x is x' (made fresh).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, assert_never

from ..ad import DupChain, TangentPool, tangent_sum
from ..deep import deep
from ..errors import InternalError, OutOfFragment
from ..primitives import NO_PARTIAL, PARTIALS, Op
from .names import Fresh, binders, free_vars, freshen, names_in, occurrences
from .syntax import (REAL, Call, Drop, Dup, Expr, FunDef, Hole, LAdd, LDiv, Let, Lit, LScale, LTup,
                     LVar, Prim, Program, Ret, Tup, TupT, Type, UnpackLtup, UnpackTup, Var, Zero)


def jvp_name(f: str) -> str:
    return f"{f}.jvp"


@dataclass(frozen=True, slots=True)
class JvpTerms:
    """Linear A's syntax for a primitive's tangent (`calculus.ad.TangentTerms`): the
    arguments are bound to `args`, the result to `z`."""

    args: tuple[Expr, ...]
    z: str

    def lit(self, q: Fraction) -> Expr:
        return Lit(q)

    def arg(self, i: int) -> Expr:
        return self.args[i]

    def res(self) -> Expr:
        return Var(self.z)

    def prim(self, op: Op, args: list[Expr]) -> Expr:
        return Prim(op, tuple(args))

    def scale(self, s: Expr, dt: Expr) -> Expr:
        return LScale(s, dt)

    def divide(self, dt: Expr, s: Expr) -> Expr:
        return LDiv(dt, s)

    def add(self, a: Expr, b: Expr) -> Expr:
        return LAdd(a, b)

    def zero(self) -> Expr:
        return Zero(REAL)


class Jvp:
    """J on one freshened function: `pool` hands out one tangent copy per use."""

    def __init__(self, f: FunDef) -> None:
        self.fresh = Fresh(names_in(f))
        self.uses: Counter = occurrences(f.body)
        self.pool = TangentPool(self.fresh, "J")
        self.closed_memo: dict[int, bool] = {}  # id(node) ↦ closed (the tree outlives J)
        self.consts: dict[str, Type] = {}  # constants (module docstring) ↦ their types

    def closed(self, e: Expr) -> bool:
        """No free non-linear variable in e but constants; memoized through nested
        primitives so that J stays linear in the nesting depth (found by the fuzzer)."""
        match e:
            case Var(x):
                return x in self.consts
            case Lit():
                return True
            case _ if (c := self.closed_memo.get(id(e))) is not None:
                return c
            case Prim(_, args):
                c = all(self.closed(a) for a in args)
            case _:
                c = free_vars(e)[0] <= self.consts.keys()
        self.closed_memo[id(e)] = c
        return c

    def const_types(self, e: Expr) -> tuple[Type, ...] | None:
        """The result types of e if it binds constants (module docstring: a literal, a
        constant as it is or as (c;), a tuple of constants, a primitive whose arguments are
        closed or have partial 0), else None."""
        match e:
            case Lit():
                return (REAL,)
            case Var(x) if x in self.consts:
                return (self.consts[x],)
            case Ret((x,), ()) if x in self.consts:  # (c̄;) for two or more: see F
                return (self.consts[x],)
            case Tup(xs) if all(x in self.consts for x in xs):
                return (TupT(tuple(self.consts[x] for x in xs)),)
            case Prim(op, args) if all(self.closed(a) or PARTIALS[op][i] == NO_PARTIAL
                                       for i, a in enumerate(args)):
                return (REAL,)
            case _:
                return None

    def takes(self, xs: tuple[str, ...]) -> tuple[tuple[str, ...], list[tuple[str, Type]]]:
        """A tangent copy of each x of xs for one use, and the `zero[τ]` bindings (for
        `with_zeros`) of the fresh names standing for the tangents of constants."""
        zeros: list[tuple[str, Type]] = []
        dxs = []
        for x in xs:
            if x in self.consts:
                dxs.append(z := self.fresh("zero'"))
                zeros.append((z, self.consts[x]))
            else:
                dxs.append(self.pool.take(x))
        return tuple(dxs), zeros

    def drop_tangent(self, e: Expr) -> Expr | None:
        """drop(ẋ̄) of the tangent copies (taken now) of e's free non-constant variable
        occurrences, for an e that is not differentiated (a drop, or a constant); None
        when there are none."""
        inner = binders(e)
        ts = tuple(self.pool.take(x) for x in occurrences(e).elements()
                   if x not in inner and x not in self.consts)
        if not ts:
            return None
        return Drop(LVar(ts[0]) if len(ts) == 1 else LTup(ts))

    def tangents_for(self, xs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.fresh(f"{x}'") for x in xs)

    def bind_copies(self, xs: tuple[str, ...], dxs: tuple[str, ...], k) -> Expr:
        """let (; c1, r1) = dup(ẋ) in … around the body built by k: the copies are
        planned before the body is transformed (the body takes them from the pool)."""
        chains = self.plan_copies(xs, dxs)
        return wrap_copies(chains, k())

    def plan_copies(self, xs: tuple[str, ...], dxs: tuple[str, ...]) -> list[DupChain]:
        """The dup chains giving each x of xs one copy of its tangent per use."""
        chains = []
        for x, dx in zip(xs, dxs):
            n = self.uses[x]
            if n == 0:
                raise InternalError(f"J: `{x}` is never used (no weakening in Linear A)")
            chains.append(self.pool.plan(x, dx, n, f"{x}'"))
        return chains

    def chain(self, e: Expr) -> Expr:
        """J on a chain of non-linear binders, walked in a loop (no recursion along the
        chain); each binder is rebuilt around its transformed body on the way back:

            J(let (x̄;) = e1 in e2) = let (x̄; ẋ̄) = J(e1) in dups(ẋ̄) in J(e2)
            J(let tup(x̄) = t in e) = let tup(x̄) = t in let ltup(ẋ̄) = ṫ in dups(ẋ̄) in J(e)

        Names are drawn in the order of the recursive definition: ẋ̄, J(e1), the dups."""
        frames: list[Callable[[Expr], Expr]] = []
        while True:
            match e:
                case Let(xs, (), bound, body) if (ts := self.const_types(bound)) is not None:
                    self.consts.update(zip(xs, ts, strict=True))
                    d = self.drop_tangent(bound)
                    frames.append(lambda inner, xs=xs, bound=bound, d=d: Let(
                        xs, (), bound, inner if d is None else Let((), (), d, inner)))
                case UnpackTup(xs, t, body) if t in self.consts:
                    tt = self.consts[t]
                    if not isinstance(tt, TupT):
                        raise InternalError(f"J: constant `{t}` is not a tuple")
                    self.consts.update(zip(xs, tt.elems, strict=True))
                    frames.append(lambda inner, xs=xs, t=t: UnpackTup(xs, t, inner))
                case Let(xs, (), bound, body):
                    dxs = self.tangents_for(xs)
                    jb = self.j(bound)
                    chains = self.plan_copies(xs, dxs)
                    frames.append(lambda inner, xs=xs, dxs=dxs, jb=jb, chains=chains:
                                  Let(xs, dxs, jb, wrap_copies(chains, inner)))
                case UnpackTup(xs, t, body):
                    dxs = self.tangents_for(xs)
                    dt = self.pool.take(t)
                    chains = self.plan_copies(xs, dxs)
                    frames.append(lambda inner, xs=xs, t=t, dxs=dxs, dt=dt, chains=chains:
                                  UnpackTup(xs, t, UnpackLtup(dxs, dt, wrap_copies(chains, inner))))
                case _:
                    out = self.j(e)
                    for frame in reversed(frames):
                        out = frame(out)
                    return out
            e = body

    def j(self, e: Expr) -> Expr:
        """Γ ⊢ e : (τ̄;)  ⟹  Γ ; (copies of ẋ) ⊢ J(e) : (τ̄ ; τ̄)."""
        match e:
            case Var(x):
                dxs, zs = self.takes((x,))
                return with_zeros(zs, Ret((x,), dxs))
            case Prim():
                return self.prim(e)
            case Ret(xs, ()):
                dxs, zs = self.takes(xs)
                return with_zeros(zs, Ret(xs, dxs))
            case Let(_, ()) | UnpackTup():
                return self.chain(e)
            case Call(g, xs, ()):
                dxs, zs = self.takes(xs)
                return with_zeros(zs, Call(jvp_name(g), xs, dxs))
            case Lit():
                p, z = self.fresh("lit"), self.fresh("lit'")
                return Let((p,), (), e, Let((), (z,), Zero(REAL), Ret((p,), (z,))))
            case Tup(xs):
                p, q = self.fresh("tup"), self.fresh("tup'")
                dxs, zs = self.takes(xs)
                return Let((p,), (), e, with_zeros(zs, Let((), (q,), LTup(dxs), Ret((p,), (q,)))))
            case Hole(h, xs, (), nl, ()):  # the IH: ?h.jvp at J's judgement
                dxs, zs = self.takes(tuple(x for x, _ in xs))
                return with_zeros(zs, Hole(jvp_name(h), xs, tuple(
                    (dx, t) for dx, (_, t) in zip(dxs, xs)), nl, nl, e.pos))
            case Drop(a):
                d = self.drop_tangent(a)
                return e if d is None else Let((), (), e, d)
            case Ret() | Let() | Call() | LVar() | LTup() | LAdd() | LScale() | LDiv() | Zero() \
                    | Dup() | UnpackLtup() | Hole():
                raise OutOfFragment("J", f"{type(e).__name__} is linear; J applies to "
                                    "non-linear programs only", e.pos)
            case _:
                assert_never(e)

    def prim(self, e: Prim) -> Expr:
        """let (aᵢ; ȧᵢ) = J(eᵢ) in let (z;) = op(ā) in (z ; Σᵢ ∂ᵢ *. ȧᵢ)."""
        prims, binds, tangents = [], [], []
        for i, arg in enumerate(e.args):
            a = self.fresh("a")
            prims.append(Var(a))
            if self.closed(arg):  # closed argument: its tangent is 0
                binds.append(((a,), (), arg))
                continue
            da = self.fresh("a'")
            binds.append(((a,), (da,), self.j(arg)))
            tangents.append((i, LVar(da)))
        z, dz = self.fresh("z"), self.fresh("z'")
        tangent = tangent_sum(e.op, tangents, JvpTerms(tuple(prims), z))
        out: Expr = Let((z,), (), Prim(e.op, tuple(prims), e.pos),
                        Let((), (dz,), tangent, Ret((z,), (dz,))))
        for xs, ys, bound in reversed(binds):
            out = Let(xs, ys, bound, out)
        return out


def with_zeros(zeros: list[tuple[str, Type]], body: Expr) -> Expr:
    """let (; ż) = zero[τ] in … around body: the materialised tangents of constants."""
    for z, t in reversed(zeros):
        body = Let((), (z,), Zero(t), body)
    return body


def wrap_copies(chains: list[DupChain], body: Expr) -> Expr:
    """let (; c1, r1) = dup(ẋ) in … (the planned dup chains) around body."""
    for chain in reversed(chains):
        for src, c, rest in reversed(chain):
            body = Let((), (c, rest), Dup(LVar(src)), body)
    return body


@deep
def jvp_fun(f: FunDef) -> FunDef:
    """J on one function (its callees must be transformed too: see `jvp_program`)."""
    if f.lin_params or f.lin_results:
        raise OutOfFragment("J", f"`{f.name}` has linear parameters or results; J applies to "
                            "functions f(x̄ ;) -> (τ̄ ;)", f.pos)
    f = freshen(f)
    jv = Jvp(f)
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
