"""T: transposition of linear Linear A functions (SPEC §2.4; YOLO §6).

    f(x̄:τ̄ ; ȳ:σ̄) -> (; σ̄')      ↦      f.T(x̄:τ̄ ; c̄:σ̄') -> (; σ̄)

    Γ ; Δ ⊢ e : (; σ̄)   and cotangents c̄ : σ̄   ⟹   Γ ; c̄ ⊢ T(e, c̄) : (; Δ*)

T(e, c̄) emits the bindings computing the cotangents of e's free linear variables
(each is consumed exactly once in e, so each gets exactly one cotangent: the cotangent
map never accumulates).  Lets are processed body first; the output is one flat chain
of lets, so |T e| is linear in |e|.  The dualities are the AD kernel's table
`calculus.ad.DUALITIES`, shared with λLL's T_LL:

    +.    ↔ dup              zero  ↔ drop           *.  ↔ *. (same scalar)
    /.    ↔ /. (same divisor)
    ltup  ↔ let ltup         y     ↔ its cotangent
    drop(e) ↦ zeros for e's free linear variables, without transposing e
              (a short-circuiting drop, as in the paper)

Symbolic zeros (the kernel's `ZERO`, JAX's `ad.Zero`): the zeros of a drop are not
materialised; an operation whose output cotangents are all zero is not transposed (its
inputs' cotangents are zero too, and a scalar it leaves unused is dropped), and +. of a
zero and c is c.  A zero becomes `zero[σ]` only where a term is needed: a component of a
tuple that has a non-zero one, a call's or a hole's cotangent arguments, f.T's results.

and, specific to Linear A, f(x̄;ȳ) ↦ f.T(x̄; c̄) and drop(e) also drops e's free
non-linear variables (Linear A has no weakening).

Non-linear parts (lets whose bound expression is non-linear, `let tup`, scalars of
`*.`, divisors of `/.`) are kept in place and run forward.  Fragment: no non-linear results, and no
*mixed* let (one binding both kinds of results: unzip first); otherwise
`OutOfFragment`.
"""

from __future__ import annotations

from typing import Any, assert_never

from ..ad import Lin, materialise, transpose_op
from ..deep import deep
from ..errors import InternalError, OutOfFragment
from .names import Fresh, free_vars, freshen, names_in
from .syntax import (BINDERS, Call, Drop, Dup, Expr, FunDef, Hole, LAdd, LDiv, Let, Lit, LScale,
                     LTup, LVar, Prim, Program, Ret, Tup, TupT, Type, UnpackLtup, UnpackTup, Var,
                     Zero)
from .typecheck import Typing, check_fun

Cotangents = tuple[str, ...]  # cotangent variable names, one per linear result
CotangentMap = dict[str, str]  # linear variable ↦ the name of its cotangent
Binder = tuple[type, tuple]  # a binder with a hole for the rest: its constructor and the
                             # fields before the body (Let, UnpackTup, UnpackLtup)


def t_name(f: str) -> str:
    return f"{f}.T"


class _Transpose:
    """Transposition emits one flat chain of bindings (`self.out`, in program order)
    and records, for each linear variable, the name of its cotangent (`self.cot`);
    nothing is re-bound, so |T e| is linear in |e|.  It is Linear A's
    `calculus.ad.CotangentTerms`: a cotangent is a variable name."""

    def __init__(self, f: FunDef, typing: Typing) -> None:
        self.fresh = Fresh(names_in(f))
        self.typing = typing
        self.lin_types: dict[str, Type] = dict(f.lin_params)  # linear name ↦ type
        self.callees: set[str] = set()  # functions called linearly: they need g.T too
        self.out: list[Binder] = []
        self.cot: CotangentMap = {}

    def ct(self, n: int) -> Cotangents:
        return tuple([self.fresh("ct") for _ in range(n)])

    def let(self, ys: Cotangents, bound: Expr) -> None:
        """Emit `let (; ȳ) = bound in …`."""
        self.out.append((Let, ((), ys, bound)))

    def cots(self, ys: tuple[str, ...]) -> Cotangents:
        """The cotangents of ȳ, each taken from the map (it is used exactly once)."""
        pop = self.cot.pop
        return tuple([pop(y) for y in ys])

    # -- CotangentTerms ------------------------------------------------------------------

    def dup(self, c: str, ty: Any) -> tuple[str, str]:
        c1, c2 = self.ct(2)
        self.let((c1, c2), Dup(LVar(c)))
        return c1, c2

    def add(self, a: str, b: str, ty: Any) -> str:
        (c,) = self.ct(1)
        self.let((c,), LAdd(LVar(a), LVar(b)))
        return c

    def drop(self, c: str, ty: Any) -> None:
        self.let((), Drop(LVar(c)))

    def zero(self, ty: Type) -> str:
        (z,) = self.ct(1)
        self.let((z,), Zero(ty))
        return z

    def scale(self, s: Expr, c: str, ty: Any) -> str:
        (out,) = self.ct(1)
        self.let((out,), LScale(s, LVar(c)))
        return out

    def divide(self, c: str, s: Expr, ty: Any) -> str:
        (out,) = self.ct(1)
        self.let((out,), LDiv(LVar(c), s))
        return out

    def pack(self, cs: tuple, tys: tuple) -> str:
        (packed,) = self.ct(1)
        self.let((packed,), LTup(materialise(self, cs, tys)))
        return packed

    def unpack(self, c: str, n: int) -> Cotangents:
        parts = self.ct(n)
        self.out.append((UnpackLtup, (parts, c)))
        return parts

    def discard(self, s: Expr) -> None:
        """A scalar left unused: its free non-linear variables are dropped (Linear A has
        no weakening)."""
        nl, _ = free_vars(s)
        if nl:
            self.let((), Drop(Ret(tuple(sorted(nl)), ())))

    # -- the transformation --------------------------------------------------------------

    def occur(self, ys: tuple[str, ...], cts: Cotangents) -> None:
        """Occurrences of linear variables receive their cotangents (Lin.VAR)."""
        for y, c in zip(ys, cts, strict=True):
            (self.cot[y],) = transpose_op(Lin.VAR, self, (c,), y)

    def t(self, e: Expr, cts: Cotangents) -> None:
        """T(e, c̄): emit the bindings that compute the cotangents of e's free linear
        variables from c̄ (one per linear result of e), and record them in self.cot.
        A chain of binders is walked in a loop; the binders whose bound is transposed
        after their body (`after`) are finished on the way back, innermost first."""
        after: list[Let | UnpackLtup] = []
        while type(e) in BINDERS:
            match e:
                case Let(xs, ys, bound) if xs:            # a non-linear let runs forward
                    if ys or free_vars(bound)[1]:
                        raise OutOfFragment("T", "a let binding both non-linear and linear "
                                            "results cannot be transposed: unzip first", e.pos)
                    self.out.append((Let, (xs, (), bound)))
                case Let((), ys, bound):                  # body first, then the bound
                    self.lin_types.update(zip(ys, self.typing.of(bound)[1]))
                    after.append(e)
                case UnpackTup(xs, t):
                    self.out.append((UnpackTup, (xs, t)))
                case UnpackLtup(ys, t):                   # body first, then ltup(c̄) for t
                    tt = self.lin_types[t]
                    if not isinstance(tt, TupT):
                        raise InternalError(f"T: `{t}` is not a tuple")
                    self.lin_types.update(zip(ys, tt.elems))
                    after.append(e)
            e = e.body
        match e:
            case Ret((), ys):
                self.occur(ys, cts)
            case LVar(y):
                self.occur((y,), cts)
            case LTup(ys):
                self.occur(ys, transpose_op(Lin.TUPLE, self, cts, len(ys)))
            case LAdd(a, b):
                c1, c2 = transpose_op(Lin.ADD, self, cts, None)
                self.t(a, (c1,))
                self.t(b, (c2,))
            case LScale(s, b):
                self.t(b, transpose_op(Lin.SCALE, self, cts, s, None))
            case LDiv(a, s):
                self.t(a, transpose_op(Lin.DIV, self, cts, s, None))
            case Zero(ty):
                transpose_op(Lin.ZERO, self, cts, ty)
            case Dup(a):
                self.t(a, transpose_op(Lin.DUP, self, cts, None))
            case Drop(a):
                self.discard(a)
                vs = tuple(sorted(free_vars(a)[1]))
                self.cot.update(zip(vs, transpose_op(Lin.DROP, self, (), vs)))
            case Let() | UnpackTup() | UnpackLtup():
                raise InternalError("T: binders are walked by the loop above")
            case Call(g, xs, ys):                     # f(x̄; ȳ)  ↦  f.T(x̄; c̄)
                self.callees.add(g)
                outs = self.ct(len(ys))
                cts = materialise(self, cts, self.typing.of(e)[1])
                self.let(outs, Call(t_name(g), xs, cts, e.pos))
                self.occur(ys, outs)
            case Hole(h, xs, ys, (), lin):          # the IH: ?h.T(x̄; c̄) at T's judgement
                outs = self.ct(len(ys))
                self.lin_types.update(ys)
                cts = materialise(self, cts, lin)
                self.let(outs, Hole(t_name(h), xs, tuple(zip(cts, lin)), (),
                                    tuple(t for _, t in ys), e.pos))
                self.occur(tuple(y for y, _ in ys), outs)
            case Ret() | Var() | Lit() | Tup() | Prim() | Hole():
                raise OutOfFragment("T", f"{type(e).__name__} has non-linear results; T "
                                    "applies to linear expressions", e.pos)
            case _:
                assert_never(e)
        for binder in reversed(after):
            match binder:
                case Let(_, ys, bound):                   # T(bound, the cotangents of ȳ)
                    self.t(bound, self.cots(ys))
                case UnpackLtup(ys, t):                   # t's cotangent: ltup(c̄ of ȳ)
                    self.occur((t,), transpose_op(Lin.UNTUPLE, self, self.cots(ys),
                                                  self.lin_types[t].elems))
                case _:
                    assert_never(binder)


@deep
def transpose_fun(f: FunDef, sigs: dict, typing: Typing | None = None) -> tuple[FunDef, set[str]]:
    """T on one function; `sigs` are the type signatures of its callees, `typing` (if
    given) a checked typing of f's nodes.  Also returns the callees whose transposes f.T
    calls."""
    if f.nl_results:
        raise OutOfFragment("T", f"`{f.name}` has non-linear results; T applies to functions "
                            "f(x̄ ; ȳ) -> (; σ̄') (unzip first)", f.pos)
    fresh = freshen(f)
    if fresh is not f or typing is None:  # the nodes of a renamed f need their own typing
        typing = check_fun(fresh, sigs)
    f = fresh
    tr = _Transpose(f, typing)
    cts = tr.ct(len(f.lin_results))
    tr.t(f.body, cts)
    body: Expr = Ret((), materialise(tr, tr.cots(tuple(y for y, _ in f.lin_params)),
                                     tuple(t for _, t in f.lin_params)))
    if tr.cot:
        raise InternalError(f"T: cotangents left over for {sorted(tr.cot)}")
    for cls, fields in reversed(tr.out):
        body = cls(*fields, body)
    return FunDef(t_name(f.name), f.nl_params, tuple(zip(cts, f.lin_results)), (),
                  tuple(t for _, t in f.lin_params), body, f.pos), tr.callees


def transpose_program(program: Program, func: str | None = None) -> Program:
    """The program extended with g.T for func (all functions when None) and for every
    function it calls in a linear position, transitively.  Only func and the functions
    it calls are type-checked (T reads nothing else) [choice]."""
    from .typecheck import check_program
    from .work import reachable
    checked = Program(tuple(program.get(n) for n in reachable(program, func))) if func else program
    typing = check_program(checked)
    todo = [func] if func else [f.name for f in program.funcs]
    done: dict[str, FunDef] = {}
    while todo:
        name = todo.pop()
        if name not in done:
            done[name], callees = transpose_fun(program.get(name), typing.sigs, typing)
            todo += sorted(callees)
    order = [f.name for f in program.funcs if f.name in done]
    return Program(program.funcs + tuple(done[n] for n in order))
