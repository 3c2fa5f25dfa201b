"""F: forward mode inside λLL (SPEC §5), on first-order programs — the image of the
encoding ⟦·⟧ of non-linear Linear A programs and anything built from the same
constructs.

    A' (tangent type):  real' = real   1' = 1   (A ⊗ B)' = A' ⊗ B'   (!A)' = A'

    Γ ; Δ ⊢ t : A   ⟹   Γ ; Δ, {v̇ : B' | v : B free in t} ⊢ F(t) : A ⊗ A'

F(t) pairs t's primal value with its tangent.  Every variable v (intuitionistic or
linear) gets a linear tangent v̇; an intuitionistic variable used n times gets n
copies, made by n − 1 `dup`s where it is bound (as J does in Linear A); an unused one
(! weakening, `let !_ = t in s`) keeps t primal-only and drops the tangent copies of
t's free variables — the image of J's rule for `drop`.  Under a promotion `!s` the
primal must stay intuitionistic, so primitives are differentiated there:

    F(!(op a1 … an)) = let (p1, ȧ1) = F(a1) in … let !v1 = p1 in … let !z = !(op !v1 … !vn)
                       in (!z, Σᵢ scale !∂ᵢ(v̄, z) ȧᵢ)

with the partial derivatives of `PARTIALS[op]` (the table J uses; a partial 1/q gives
`ldiv !q ȧᵢ`; tangent copies and the sum are the AD kernel's, `calculus.ad`).  A definition
f : A1 ⊸ … ⊸ An ⊸ R becomes f'F : A1 ⊸ … ⊸ An ⊸ A1' ⊸ … ⊸ An' ⊸ R ⊗ R'.
Outside the fragment (λ-abstractions other than definitions' parameters and let-redexes,
linear constants) F raises `OutOfFragment`.

Symbolic zeros, as in J: a variable bound to a *constant term* is a constant — it gets
no tangent (no dups), counts as a closed primitive argument, and where its tangent is
needed it is the constant zero[A'].  Constant terms are the images of J's constants
under ⟦·⟧: built from literals, (), constants, ! and pairs, and primitive applications
each of whose arguments is closed or has the partial derivative 0 (the tangent copies of
its variables are dropped).  The binders are let ! and let (x, y) = c of a constant
variable c (⟦·⟧ binds no non-linear value by a let-redex, and several at once from a
pair term only for J's (c̄;) of two or more, which J does not make constants).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, assert_never

from ..ad import TangentPool, tangent_sum
from ..deep import deep
from ..errors import InternalError, OutOfFragment
from ..fresh import Fresh
from ..primitives import NO_PARTIAL, OP_BY_NAME, PARTIALS, PRIMS, Op
from .names import freshen, names_in, occurrences, spine, uses
from .syntax import (ONE, REAL, App, Bang, Const, Def, Fun, Hole, LetBang, LetPair, LetUnit, Lit,
                     Lolli, One, Pair, Program, Promote, Real, Tensor, Term, Type, Unit, Var,
                     apply_all, arrows, free_vars, tensor_term,
                     tensor_type)


def tangent(a: Type) -> Type:
    """A'"""
    match a:
        case Real() | One():
            return a
        case Tensor(l, r):
            return Tensor(tangent(l), tangent(r))
        case Bang(b):
            return tangent(b)
        case Lolli():
            raise OutOfFragment("F", f"F applies to first-order terms; {a} is a function type")
        case _:
            assert_never(a)


def f_name(name: str) -> str:
    return f"{name}'F"


# --- the transformation ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ForwardTerms:
    """λLL's syntax for a primitive's tangent (`calculus.ad.TangentTerms`): partials are
    !real terms over the banged arguments `vs` and result `z`."""

    vs: tuple[str, ...]
    z: str

    def lit(self, q: Fraction) -> Term:
        return Promote(Lit(q))

    def arg(self, i: int) -> Term:
        return Promote(Var(self.vs[i]))

    def res(self) -> Term:
        return Promote(Var(self.z))

    def prim(self, op: Op, args: list[Term]) -> Term:
        return Promote(apply_all(Const(op.value), args))

    def scale(self, s: Term, dt: Term) -> Term:
        return apply_all(Const("scale", REAL), [s, dt])

    def divide(self, dt: Term, s: Term) -> Term:
        return apply_all(Const("ldiv", REAL), [s, dt])

    def add(self, a: Term, b: Term) -> Term:
        return apply_all(Const("plus", REAL), [a, b])

    def zero(self) -> Term:
        return Const("zero", REAL)


class _Forward:
    def __init__(self, body: Term, defs: dict[str, Type], fresh: Fresh) -> None:
        self.fresh = fresh
        self.uses: Counter = occurrences(body)
        self.defs = defs  # the F-transformed earlier definitions' *source* types
        self.types: dict[str, Type] = {}  # variable ↦ its (primal) type
        self.pool = TangentPool(fresh, "F")
        self.consts: set[str] = set()  # constants (module docstring)

    def const_type(self, t: Term) -> Type | None:
        """The type of t if it is a constant term, else None."""
        match t:
            case Lit():
                return REAL
            case Unit():
                return ONE
            case Var(x) if x in self.consts:
                return self.types[x]
            case Promote(s):
                a = self.const_type(s)
                return None if a is None else Bang(a)
            case Pair(l, r):
                a, b = self.const_type(l), self.const_type(r)
                return None if a is None or b is None else Tensor(a, b)
            case App():
                head, args = spine(t)
                if not (isinstance(head, Const) and head.name in OP_BY_NAME
                        and len(args) == PRIMS[op := OP_BY_NAME[head.name]].arity):
                    return None
                return REAL if all(self.closed(a) or PARTIALS[op][i] == NO_PARTIAL
                                   for i, a in enumerate(args)) else None
            case _:
                return None

    def closed(self, t: Term) -> bool:
        """No free variable but constants and definitions: its tangent is 0 (as in J)."""
        return free_vars(t) - set(self.defs) <= self.consts

    def drop_copies(self, bound: Term) -> Callable[[Term], Term]:
        """let () = drop (ḋ̄) in …, for the tangent copies (taken now, before the body)
        of the variables of a term that is not differentiated (weakened, or a constant)."""
        dropped = [(v, self.pool.take(v)) for v in uses(bound) if v in self.pool.copies]
        if not dropped:
            return lambda k: k
        d = tensor_type([tangent(self.types[v]) for v, _ in dropped])
        return lambda k: LetUnit(App(Const("drop", d), tensor_term([Var(c) for _, c in dropped])), k)

    def constants(self, xs: tuple[str, ...], ts: tuple[Type, ...]) -> None:
        self.consts.update(xs)
        self.types.update(zip(xs, ts))

    def tangent_of(self, x: str) -> Term:
        """The tangent copy of x for one use: zero[A'] for a constant."""
        if x in self.consts:
            return Const("zero", tangent(self.types[x]))
        return Var(self.pool.take(x))

    def bind(self, v: str, a: Type, dv: str, body: Callable[[], Term]) -> Term:
        """v : a with tangent dv is bound around body(): make one copy of dv per use of
        v (dup chain).  v is used: a linear v exactly once (DILL has no linear
        weakening), an intuitionistic one (`let !v`) at least once, since F sends an
        unused `let !` to `weaken`."""
        self.types[v] = a
        n, d = self.uses[v], tangent(a)
        if n == 0:
            raise InternalError(f"F: `{v}` : {a} is never used; F needs a well-typed program "
                                "(a linear variable cannot be weakened)")
        chain = self.pool.plan(v, dv, n, f"{v}'d")
        out = body()
        for src, c, rest in reversed(chain):
            out = LetPair(c, rest, App(Const("dup", d), Var(src)), out)
        return out

    def f(self, t: Term) -> tuple[Term, Type]:
        """(F(t), A) with Γ ; Δ ⊢ t : A."""
        match t:
            case Var(x) if x in self.defs:
                return self.call(t)
            case Var(x):
                return Pair(Var(x), self.tangent_of(x)), self.types[x]
            case Lit():
                return Pair(t, Const("zero", REAL)), REAL
            case Unit():
                return Pair(Unit(), Unit()), ONE
            case Pair(l, r):
                (fl, tl), (fr, tr) = self.f(l), self.f(r)
                lp, ld, rp, rd = (self.fresh(n) for n in ("l", "l'd", "r", "r'd"))
                out = Pair(Pair(Var(lp), Var(rp)), Pair(Var(ld), Var(rd)))
                return LetPair(lp, ld, fl, LetPair(rp, rd, fr, out)), Tensor(tl, tr)
            case Promote(s):
                return self.promote(s)
            case LetBang(u, bound, body) if self.uses[u] == 0:
                return self.weaken(u, bound, body)
            case LetBang(u, bound, body) if isinstance(tc := self.const_type(bound), Bang):
                self.constants((u,), (tc.body,))
                drop = self.drop_copies(bound)
                fs, ts = self.f(body)
                return LetBang(u, bound, drop(fs)), ts
            case LetPair(x, y, Var() as bound, body) if isinstance(tc := self.const_type(bound),
                                                                   Tensor):
                self.constants((x, y), (tc.left, tc.right))
                fs, ts = self.f(body)
                return LetPair(x, y, bound, fs), ts
            case LetBang(u, bound, body):
                fb, tb = self.f(bound)
                if not isinstance(tb, Bang):
                    raise InternalError("F: let ! of a non-! term")
                p, du = self.fresh("p"), self.fresh(f"{u}'d")
                inner: list = []
                rest = self.bind(u, tb.body, du, lambda: self._body(body, inner))
                return LetPair(p, du, fb, LetBang(u, Var(p), rest)), inner[0]
            case LetPair(x, y, bound, body):
                fb, tb = self.f(bound)
                if not isinstance(tb, Tensor):
                    raise InternalError("F: let (x, y) of a non-⊗ term")
                p, d, dx, dy = (self.fresh(n) for n in ("p", "p'd", f"{x}'d", f"{y}'d"))
                inner = []
                rest = self.bind(x, tb.left, dx, lambda: self.bind(
                    y, tb.right, dy, lambda: self._body(body, inner)))
                return LetPair(p, d, fb, LetPair(x, y, Var(p), LetPair(dx, dy, Var(d), rest))), inner[0]
            case LetUnit(bound, body):
                fb, _ = self.f(bound)
                p, d = self.fresh("p"), self.fresh("p'd")
                fs, ts = self.f(body)
                return LetPair(p, d, fb, LetUnit(Var(p), LetUnit(Var(d), fs))), ts
            case App(Fun(x, a, body), bound):  # a let-redex
                fb, _ = self.f(bound)
                dx = self.fresh(f"{x}'d")
                inner = []
                rest = self.bind(x, a, dx, lambda: self._body(body, inner))
                return LetPair(x, dx, fb, rest), inner[0]
            case App():
                return self.call(t)
            case Hole(h, gamma, delta, ty):  # the IH: ?h'F at F's judgement
                ds = [(self.tangent_of(x), tangent(a)) for x, a in gamma + delta]
                names = [d.name if isinstance(d, Var) else self.fresh("zero'd") for d, _ in ds]
                out: Term = Hole(f_name(h), gamma, delta + tuple(zip(names, (a for _, a in ds))),
                                 Tensor(ty, tangent(ty)), t.pos)
                for n, (d, a) in reversed(list(zip(names, ds))):
                    if not isinstance(d, Var):  # a constant's zero, bound as F(()) is
                        u = self.fresh("u")
                        out = LetPair(u, n, Pair(Unit(), d), LetUnit(Var(u), out))
                return out, ty
            case Fun() | Const():
                raise OutOfFragment("F", f"{type(t).__name__} is outside F's first-order "
                                    "fragment", t.pos)
            case _:
                assert_never(t)

    def _body(self, body: Term, out: list) -> Term:
        ft, ty = self.f(body)
        out.append(ty)
        return ft

    def weaken(self, u: str, bound: Term, body: Term) -> tuple[Term, Type]:
        """let !_ = t in s with _ unused: t stays primal; the tangent copies of its
        free variables are dropped (the image of J's drop rule)."""
        drop = self.drop_copies(bound)
        fs, ts = self.f(body)
        return LetBang(u, bound, drop(fs)), ts

    def promote(self, s: Term) -> tuple[Term, Type]:
        """F(!s) : !A ⊗ A' — the primal stays intuitionistic."""
        head, args = spine(s)
        match head:
            case Var(u) if not args:
                return Pair(Promote(Var(u)), self.tangent_of(u)), Bang(self.types[u])
            case Lit():
                return Pair(Promote(head), Const("zero", REAL)), Bang(REAL)
            case Const(name) if name in OP_BY_NAME and len(args) == PRIMS[OP_BY_NAME[name]].arity:
                return self.prim(name, args), Bang(REAL)
            case Pair() | Unit() | Promote():  # a tuple, or a 1-tuple !(!x)
                return self.rebang(s)
            case Var() | Const() | Fun() | App() | LetUnit() | LetPair() | LetBang():
                raise OutOfFragment("F", "F differentiates promotions of variables, literals, "
                                    "tuples and primitive applications only", s.pos)
            case _:
                assert_never(head)

    def prim(self, name: str, args: list[Term]) -> Term:
        """F(!(op a1 … an)) = … let !z = !(op !v̄) in (!z, Σᵢ scale !∂ᵢ ȧᵢ)."""
        binds: list[Callable[[Term], Term]] = []
        vs, tangents = [], []
        for i, a in enumerate(args):
            v = self.fresh("v")
            vs.append(v)
            if self.closed(a):  # closed: its tangent is 0 (as in J)
                binds.append(lambda k, a=a, v=v: LetBang(v, a, k))
                continue
            fa, _ = self.f(a)
            p, da = self.fresh("p"), self.fresh("a'd")
            binds.append(lambda k, fa=fa, p=p, da=da, v=v: LetPair(p, da, fa, LetBang(v, Var(p), k)))
            tangents.append((i, Var(da)))
        z = self.fresh("z")
        tan = tangent_sum(OP_BY_NAME[name], tangents, ForwardTerms(tuple(vs), z))
        out: Term = LetBang(z, Promote(apply_all(Const(name), [Promote(Var(v)) for v in vs])),
                            Pair(Promote(Var(z)), tan))
        for b in reversed(binds):
            out = b(out)
        return out

    def rebang(self, s: Term) -> tuple[Term, Type]:
        """F(!(c1, …, cn)) for a tuple of banged components: F of the tuple, whose
        primal components are unbanged and re-promoted as one !-value."""
        fs, ts = self.f(s)
        p, d = self.fresh("p"), self.fresh("p'd")
        ws: list[str] = []

        def unbang(var: str, ty: Type, k: Callable[[], Term]) -> Term:
            match ty:
                case Bang():
                    w = self.fresh("w")
                    ws.append(w)
                    return LetBang(w, Var(var), k())
                case One():
                    return LetUnit(Var(var), k())
                case Tensor(a, b):
                    x, y = self.fresh("c"), self.fresh("c")
                    return LetPair(x, y, Var(var), unbang(x, a, lambda: unbang(y, b, k)))
                case Real() | Lolli():
                    raise OutOfFragment("F", f"cannot promote a tuple of type {ty}", s.pos)
                case _:
                    assert_never(ty)

        def rebuild(ty: Type, it) -> Term:
            match ty:
                case Bang():
                    return Promote(Var(next(it)))
                case One():
                    return Unit()
                case Tensor(a, b):
                    return Pair(rebuild(a, it), rebuild(b, it))
                case Real() | Lolli():
                    raise InternalError("F: rebang")
                case _:
                    assert_never(ty)

        body = unbang(p, ts, lambda: Pair(Promote(rebuild(ts, iter(ws))), Var(d)))
        return LetPair(p, d, fs, body), Bang(ts)

    def call(self, t: Term) -> tuple[Term, Type]:
        head, args = spine(t)
        if not isinstance(head, Var) or head.name not in self.defs:
            raise OutOfFragment("F", "F applies calls of earlier definitions only", t.pos)
        ty = self.defs[head.name]
        primals, tangents, wraps = [], [], []
        for a in args:
            if not isinstance(ty, Lolli):
                raise InternalError("F: too many arguments")
            fa, _ = self.f(a)
            p, d = self.fresh("p"), self.fresh("a'd")
            wraps.append((p, d, fa))
            primals.append(Var(p))
            tangents.append(Var(d))
            ty = ty.cod
        out: Term = apply_all(Var(f_name(head.name)), primals + tangents)
        for p, d, fa in reversed(wraps):
            out = LetPair(p, d, fa, out)
        return out, ty


@deep
def forward_def(d: Def, defs: dict[str, Type]) -> Def:
    """F on one definition f : A1 ⊸ … ⊸ An ⊸ R = fun (x1 : A1) -> … body."""
    params: list[tuple[str, Type]] = []
    body, ty = d.body, d.ty
    while isinstance(body, Fun) and isinstance(ty, Lolli):
        params.append((body.var, body.ty))
        body, ty = body.body, ty.cod
    fresh = Fresh(names_in(d.body) | set(defs) | {f_name(n) for n in defs}, sep="")
    sub = {x: fresh(x) for x, _ in params}
    body = freshen(body, sub, fresh)
    params = [(sub[x], a) for x, a in params]
    fw = _Forward(body, defs, fresh)
    dparams = [(fresh(f"{x}'d"), tangent(a)) for x, a in params]
    result: list = []

    def bind_all(i: int) -> Term:
        if i == len(params):
            return fw._body(body, result)
        x, a = params[i]
        return fw.bind(x, a, dparams[i][0], lambda: bind_all(i + 1))
    out = bind_all(0)
    for x, a in reversed(params + dparams):
        out = Fun(x, a, out)
    r = ty
    fty = arrows(tuple(a for _, a in params) + tuple(a for _, a in dparams), Tensor(r, tangent(r)))
    return Def(f_name(d.name), fty, out, d.pos)


def forward_program(p: Program) -> Program:
    """p extended with f'F for every definition."""
    defs: dict[str, Type] = {}
    out = list(p.defs)
    for d in p.defs:
        out.append(forward_def(d, dict(defs)))
        defs[d.name] = d.ty
    return Program(tuple(out))
