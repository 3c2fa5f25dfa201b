"""T_LL: transposition of *mixed* λLL terms, with no unzip pass (SPEC §5).

    Γ ; b̄ : !Ā, ḃ̄ : Ā' ⊢ t : R ⊗ R'      ⟹      Γ ; b̄ : !Ā ⊢ T_LL(t) : R ⊗ (R' ⊸ Ā'₁ ⊗ … ⊗ Ā'ₙ)

T_LL takes the forward-mode term F(t) (primal and tangent paired, see `forward.py`)
and returns the primal results together with a linear **backpropagator** closure
mapping output cotangents to input cotangents.  It runs in two steps:

  1. *flatten*: walk F(t) once, sending every non-linear binding (`let !u = …`,
     destructuring of primal values, calls g'F'T of callees, and every !-subterm that
     scales or divides a tangent, hoisted) to the **forward pass**, and every linear binding
     (dup, drop, destructuring of tangents) to the **linear program**.  A callee's
     backpropagator is a linear variable bp; the forward tangent map it stands for is
     written `bp ḋ` in the linear program.
  2. *transpose* the linear program, body first, with the dualities of Linear A's T
     (the AD kernel's one table, `calculus.ad.DUALITIES`):

        plus ↔ dup     zero ↔ drop     scale !s ↔ scale !s     (a, b) ↔ let (a, b)
        ldiv !s ↔ ldiv !s
        drop[D] e ↦ zero for e's free tangent variables (e not transposed)

     with the kernel's symbolic zeros, as in T: a dropped tangent's cotangent is
     `ZERO`, an operation with only zero cotangents is not transposed, and a zero is
     materialised only for a backpropagator's argument (it is linear: it must be
     applied), a tensor with a non-zero component, and the results.

     and, specific to λLL, bp ḋ ↦ bp c (the callee's backpropagator, applied).

The backpropagator `fun (c : R') -> …` is built *inside* the scope of the forward
bindings: it captures the intuitionistic variables it needs, so its closure
environment is the tape, and nothing non-linear is recomputed in it.

    def f'F : !Ā ⊸ Ā' ⊸ R ⊗ R'   ↦   def f'F'T : !Ā ⊸ R ⊗ (R' ⊸ Ā'₁ ⊗ … ⊗ Ā'ₙ)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, assert_never

from ..ad import ZERO, Lin, materialise, transpose_op
from ..deep import deep
from ..errors import InternalError, OutOfFragment
from ..fresh import Fresh
from .forward import tangent
from .names import names_in, occurrences, spine
from .syntax import (ONE, App, Const, Def, Fun, Hole, LetBang, LetPair, LetUnit, Lit, Lolli, Pair,
                     Program, Promote, Tensor, Term, Type, Unit, Var, apply_all, arrows,
                     subterms, tensor_term, tensor_type)

Wrap = Callable[[Term], Term]  # a let-binder with a hole for its body


def t_name(name: str) -> str:
    return f"{name}'T"


@dataclass
class _Callee:
    arity: int  # number of primal parameters
    result: Type  # R, the primal result type


# --- the linear program: one dataclass per binding form ------------------------------------


@dataclass(frozen=True, slots=True)
class LinLet:
    """`let ḋ = l`: the tangent of an F-term."""

    name: str
    bound: Term


@dataclass(frozen=True, slots=True)
class LinPair:
    """`let (x, y) = l`: destructuring a tangent pair."""

    x: str
    y: str
    bound: Term


@dataclass(frozen=True, slots=True)
class LinUnit:
    """`let () = l`: a linear term of type 1 (a drop, or a callee's tangent map)."""

    bound: Term


LinBinding = LinLet | LinPair | LinUnit


@dataclass
class _Flat:
    """The state of flattening one definition."""

    fresh: Fresh
    callees: dict[str, _Callee]
    forward: list[Wrap] = field(default_factory=list)
    linear: list[LinBinding] = field(default_factory=list)  # the linear program, in order
    psub: dict[str, Term] = field(default_factory=dict)  # primal linear var ↦ its term
    ttypes: dict[str, Type] = field(default_factory=dict)  # tangent var ↦ its type
    bps: dict[str, Type] = field(default_factory=dict)  # backpropagator ↦ tangent result

    # -- substitution ---------------------------------------------------------------------

    def prim(self, t: Term) -> Term:
        """t with the primal linear variables replaced by their (used-once) terms."""
        return _subst(t, self.psub)

    def lin(self, t: Term) -> Term:
        """A linear (tangent) term: substitute, and hoist every !-subterm that scales or
        divides a tangent into the forward pass (non-linear: computed once, forward)."""
        return self.hoist(_subst(t, self.psub))

    def hoist(self, t: Term) -> Term:
        head, args = spine(t)
        if isinstance(head, Const) and head.name in ("scale", "ldiv") and len(args) == 2:
            s = args[0]
            if not (isinstance(s, Promote) and isinstance(s.body, Var)):
                w = self.fresh("s")
                self.forward.append(lambda k, w=w, s=s: LetBang(w, s, k))
                s = Promote(Var(w))
            return apply_all(head, [s, self.hoist(args[1])])
        if args:
            return apply_all(head, [self.hoist(a) for a in args])
        if isinstance(t, Pair):
            return Pair(self.hoist(t.left), self.hoist(t.right))
        return t

    def is_tangent(self, v: str) -> bool:
        return v in self.ttypes

    def lin_type(self, t: Term) -> Type:
        """The type of a linear (tangent) term."""
        head, args = spine(t)
        match head:
            case Var(v) if not args:
                return self.ttypes[v]
            case Var(bp) if bp in self.bps:
                return self.bps[bp]
            case Const("zero", d) | Const("plus", d) | Const("scale", d) | Const("ldiv", d):
                return d
            case Const("dup", d):
                return Tensor(d, d)
            case Const("drop"):
                return ONE
            case Unit():
                return ONE
            case Pair(a, b):
                return Tensor(self.lin_type(a), self.lin_type(b))
            case Var() | Const() | Fun() | App() | LetUnit() | LetPair() | Promote() | LetBang() \
                    | Lit():
                raise InternalError(f"T_LL: no tangent type for {t}")
            case _:
                assert_never(head)

    # -- flattening -----------------------------------------------------------------------

    def flat(self, t: Term) -> tuple[Term, Term]:
        """Flatten an F-term (primal, tangent): binders go to self.forward and
        self.linear; returns the primal and tangent result terms."""
        match t:
            case LetPair(x, y, Var(v), body) if self.is_tangent(v):
                self.link(x, y, self.lin(Var(v)))
                return self.flat(body)
            case LetPair(x, y, Var(v), body):
                bound = self.prim(Var(v))
                self.forward.append(lambda k: LetPair(x, y, bound, k))
                return self.flat(body)
            case LetPair(x, y, App(Const("dup"), _) as bound, body):
                self.link(x, y, self.lin(bound))
                return self.flat(body)
            case LetPair(p, d, bound, body):  # bound is an F-term (primal, tangent)
                mp, ml = self.flat(bound)
                self.psub[p] = mp
                self.ttypes[d] = self.lin_type(ml)
                self.linear.append(LinLet(d, ml))
                return self.flat(body)
            case LetBang(u, bound, body):
                b = self.prim(bound)
                self.forward.append(lambda k: LetBang(u, b, k))
                return self.flat(body)
            case LetUnit(bound, body) if self.is_linear(bound):
                self.linear.append(LinUnit(self.lin(bound)))
                return self.flat(body)
            case LetUnit(bound, body):
                b = self.prim(bound)
                self.forward.append(lambda k: LetUnit(b, k))
                return self.flat(body)
            case Pair(p, d):
                return self.prim(p), self.lin(d)
            case App():
                return self.call(t)
            case Hole(h, gamma, delta, Tensor(a, da)):  # the IH: ?h'F'T, like a callee's
                return self.hole(h, gamma, delta, a, da)
            case Var() | Fun() | Unit() | Promote() | Lit() | Const() | Hole():
                raise OutOfFragment("T_LL", f"{type(t).__name__} is outside T_LL's fragment "
                                    "(the image of F)", t.pos)
            case _:
                assert_never(t)

    def is_linear(self, t: Term) -> bool:
        head, _ = spine(t)
        return (isinstance(head, Const) and head.name == "drop") or \
            (isinstance(head, Var) and self.is_tangent(head.name))

    def link(self, x: str, y: str, bound: Term) -> None:
        """A linear destructuring let (x, y) = bound."""
        ty = self.lin_type(bound)
        if not isinstance(ty, Tensor):
            raise InternalError("T_LL: destructuring a non-⊗ tangent")
        self.ttypes[x], self.ttypes[y] = ty.left, ty.right
        self.linear.append(LinPair(x, y, bound))

    def call(self, t: Term) -> tuple[Term, Term]:
        """g'F p̄ ḋ̄  ↦  forward: let (r, bp) = g'F'T p̄ ;  tangent: bp ḋ̄ (opaque)."""
        head, args = spine(t)
        if not isinstance(head, Var) or head.name not in self.callees:
            raise OutOfFragment("T_LL", "T_LL applies calls of F-transformed definitions only",
                                t.pos)
        g = self.callees[head.name]
        primals = [self.prim(a) for a in args[:g.arity]]
        tangents = [self.lin(a) for a in args[g.arity:]]
        r, bp = self.fresh("r"), self.fresh("bp")
        self.forward.append(lambda k: LetPair(r, bp, apply_all(Var(t_name(head.name)), primals), k))
        self.bps[bp] = tangent(g.result)
        return Var(r), App(Var(bp), tensor_term(tangents))


    def hole(self, h: str, gamma, delta, a: Type, da: Type) -> tuple[Term, Term]:
        """?h'F[ū; x̄, ḋ̄] : A ⊗ A'  ↦  forward: let (r, bp) = ?h'F'T[ū; x̄] : A ⊗ (A' ⊸ D̄') ;
        tangent: bp ḋ̄ (a primal linear x̄ standing for a term is bound first)."""
        primal = tuple(p for p in delta if not self.is_tangent(p[0]))
        dots = [(d, ty) for d, ty in delta if self.is_tangent(d)]
        for x, ty in primal:
            if x in self.psub:
                b = self.psub.pop(x)
                self.forward.append(lambda k, x=x, ty=ty, b=b: App(Fun(x, ty, k), b))
        r, bp = self.fresh("r"), self.fresh("bp")
        back = Tensor(a, Lolli(da, tensor_type([ty for _, ty in dots])))
        self.forward.append(lambda k: LetPair(r, bp, Hole(t_name(h), gamma, primal, back), k))
        self.bps[bp] = da
        return Var(r), App(Var(bp), tensor_term([self.lin(Var(d)) for d, _ in dots]))


def _subst(t: Term, sub: dict[str, Term]) -> Term:
    """Replace free variables by terms (used-once linear variables: no duplication)."""
    if not sub:
        return t
    match t:
        case Var(x):
            return sub.pop(x) if x in sub else t
        case App(a, b):
            return App(_subst(a, sub), _subst(b, sub))
        case Pair(a, b):
            return Pair(_subst(a, sub), _subst(b, sub))
        case Promote(a):
            return Promote(_subst(a, sub))
        case Fun() | Unit() | LetUnit() | LetPair() | LetBang() | Lit() | Const():
            if any(isinstance(s, Var) and s.name in sub for s in subterms(t)):
                raise InternalError(f"T_LL: cannot substitute into {type(t).__name__}")
            return t
        case _:
            assert_never(t)


@dataclass(frozen=True, slots=True)
class _Packed:
    """A tensor of cotangents made by transposing a destructuring (let (a, b) ↦ (a, b)),
    kept apart until it is used: unpacking it again takes its parts (no administrative
    `let (a, b) = (a, b)`, and its symbolic zeros stay symbolic); any other use makes it
    a term (`Transposer.term`), its zeros materialised."""

    parts: tuple  # cotangents: terms, ZERO or _Packed
    tys: tuple


class Transposer:
    """Transpose the linear program, body first.  It is λLL's
    `calculus.ad.CotangentTerms`: a cotangent is a term, used once; `binds` are the
    backpropagator's bindings, in order."""

    def __init__(self, flat: _Flat) -> None:
        self.f = flat
        self.fresh = flat.fresh
        self.binds: list[Wrap] = []
        self.cot: dict[str, Term] = {}

    # -- CotangentTerms ------------------------------------------------------------------

    def term(self, c: Any) -> Term:
        """A cotangent as a term (a `_Packed` tensor built, its zeros materialised)."""
        if isinstance(c, _Packed):
            return tensor_term([self.term(p) for p in materialise(self, c.parts, c.tys)])
        return c

    def dup(self, c: Term, ty: Any) -> tuple[Term, Term]:
        return self.split(App(Const("dup", ty), self.term(c)))

    def add(self, a: Term, b: Term, ty: Any) -> Term:
        return apply_all(Const("plus", ty), [self.term(a), self.term(b)])

    def drop(self, c: Term, ty: Any) -> None:
        c = self.term(c)
        self.binds.append(lambda k: LetUnit(App(Const("drop", ty), c), k))

    def zero(self, ty: Type) -> Term:
        return Const("zero", ty)

    def scale(self, s: Term, c: Term, ty: Any) -> Term:
        return apply_all(Const("scale", ty), [s, self.term(c)])

    def divide(self, c: Term, s: Term, ty: Any) -> Term:
        return apply_all(Const("ldiv", ty), [s, self.term(c)])

    def pack(self, cs: tuple, tys: tuple) -> Any:
        return _Packed(cs, tys)

    def unpack(self, c: Any, n: int) -> tuple:
        """The n components of a right-nested tensor cotangent (let () = c when n = 0);
        those of a symbolic zero are zeros, those of a `_Packed` tensor its parts."""
        if c is ZERO:
            return (ZERO,) * n
        if isinstance(c, _Packed) and len(c.parts) == n:
            return c.parts
        c = self.term(c)
        if n == 0:
            self.binds.append(lambda k: LetUnit(c, k))
            return ()
        parts = []
        for _ in range(n - 1):
            a, c = self.split(c)
            parts.append(a)
        return (*parts, c)

    def discard(self, s: Term) -> None:
        """A scalar !s left unused: nothing to do (Γ admits weakening)."""

    def split(self, c: Term) -> tuple[Term, Term]:
        c = self.term(c)
        a, b = self.fresh("c"), self.fresh("c")
        self.binds.append(lambda k: LetPair(a, b, c, k))
        return Var(a), Var(b)

    # -- the transformation --------------------------------------------------------------

    def t(self, l: Term, c: Term) -> None:
        """Emit the binders computing cotangents of l's tangent variables from c."""
        head, args = spine(l)
        match head:
            case Var(v) if not args:
                (self.cot[v],) = transpose_op(Lin.VAR, self, (c,), v)
            case Var(bp) if bp in self.f.bps:  # a backpropagator is linear: never skipped
                (c,) = materialise(self, (c,), (self.f.bps[bp],))
                self.t(args[0], App(Var(bp), self.term(c)))
            case Const("plus", d):
                c1, c2 = transpose_op(Lin.ADD, self, (c,), d)
                self.t(args[0], c1)
                self.t(args[1], c2)
            case Const("scale", d):
                self.t(args[1], transpose_op(Lin.SCALE, self, (c,), args[0], d)[0])
            case Const("ldiv", d):
                self.t(args[1], transpose_op(Lin.DIV, self, (c,), args[0], d)[0])
            case Const("zero", d):
                transpose_op(Lin.ZERO, self, (c,), d)
            case Const("dup", d):
                self.t(args[0], transpose_op(Lin.DUP, self, self.unpack(c, 2), d)[0])
            case Const("drop"):
                self.unpack(c, 0)
                vs = tuple(sorted(occurrences(args[0])))
                self.cot.update(zip(vs, transpose_op(Lin.DROP, self, (), vs)))
            case Unit():
                transpose_op(Lin.TUPLE, self, (c,), 0)
            case Pair(a, b):
                c1, c2 = transpose_op(Lin.TUPLE, self, (c,), 2)
                self.t(a, c1)
                self.t(b, c2)
            case Var() | Const() | Fun() | App() | LetUnit() | LetPair() | Promote() | LetBang() \
                    | Lit():
                raise OutOfFragment("T_LL", f"cannot transpose {type(l).__name__}", l.pos)
            case _:
                assert_never(head)

    def program(self, result: Term, c: Term) -> None:
        """The linear program, body first."""
        self.t(result, c)
        for b in reversed(self.f.linear):
            match b:
                case LinPair(x, y, bound):
                    pair = (self.cot.pop(x), self.cot.pop(y))
                    tys = (self.f.ttypes[x], self.f.ttypes[y])
                    self.t(bound, transpose_op(Lin.UNTUPLE, self, pair, tys)[0])
                case LinLet(d, bound):
                    self.t(bound, self.cot.pop(d))
                case LinUnit(bound):
                    self.t(bound, transpose_op(Lin.UNTUPLE, self, (), ())[0])
                case _:
                    assert_never(b)


def _wrap(binds: list[Wrap], body: Term) -> Term:
    for b in reversed(binds):
        body = b(body)
    return body


@deep
def reverse_def(d: Def, callees: dict[str, _Callee], arity: int) -> Def:
    """T_LL on f'F : !Ā ⊸ Ā' ⊸ R ⊗ R' (arity = n, the number of primal parameters)."""
    params: list[tuple[str, Type]] = []
    body, ty = d.body, d.ty
    while isinstance(body, Fun) and isinstance(ty, Lolli):
        params.append((body.var, body.ty))
        body, ty = body.body, ty.cod
    if not isinstance(ty, Tensor) or len(params) != 2 * arity:
        raise OutOfFragment("T_LL", f"`{d.name}` is not a forward-mode definition", d.pos)
    fl = _Flat(Fresh(names_in(d.body) | set(callees) | {t_name(n) for n in callees}, sep=""),
               callees)
    primals, tangents = params[:arity], params[arity:]
    fl.ttypes.update(tangents)
    prim, lin = fl.flat(body)
    ct = fl.fresh("ct")
    tr = Transposer(fl)
    tr.program(lin, Var(ct))
    cots = materialise(tr, tuple(tr.cot.pop(x) for x, _ in tangents),
                       tuple(a for _, a in tangents))
    if tr.cot:
        raise InternalError(f"T_LL: cotangents left over for {sorted(tr.cot)}")
    back = Fun(ct, ty.right, _wrap(tr.binds, tensor_term([tr.term(c) for c in cots])))
    out: Term = _wrap(fl.forward, Pair(prim, back))
    for x, a in reversed(primals):
        out = Fun(x, a, out)
    result = Tensor(ty.left, Lolli(ty.right, tensor_type([a for _, a in tangents])))
    return Def(t_name(d.name), arrows(tuple(a for _, a in primals), result), out, d.pos)


def reverse_program(p: Program, forward_names: dict[str, int]) -> Program:
    """p extended with g'T for every forward definition g (name ↦ primal arity), in
    order (callees first)."""
    callees: dict[str, _Callee] = {}
    out = list(p.defs)
    for d in p.defs:
        if d.name in forward_names:
            n = forward_names[d.name]
            out.append(reverse_def(d, dict(callees), n))
            ty = d.ty
            for _ in range(2 * n):
                ty = ty.cod
            callees[d.name] = _Callee(n, ty.left)
    return Program(tuple(out))

