"""U: unzip a Linear A function into its non-linear and linear halves (SPEC §2.4;
YOLO §5).

    f(x̄:τ̄ ; ȳ:σ̄) -> (τ̄' ; σ̄')   ↦   f.nonlin(x̄:τ̄ ;) -> (τ̄', tape ;)
                                        f.lin(tape ; ȳ:σ̄) -> (; σ̄')

Well-typed Linear A already separates the halves: non-linear results never depend on
linear inputs.  U(e) flattens e into (B, r̄, L):

    B   the non-linear bindings of e, in order (`let (x̄;) = e'` / `let tup(x̄) = x`),
    r̄   the names of e's non-linear results,
    L   a linear expression computing e's linear results from Δ and the names bound
        in B (its free non-linear variables are the *residuals*).

One case per constructor; a subterm is used only through U of it; B is emitted into
one list in program order (no list is copied, so U is linear in |e|).  Afterwards the
*checkpoint policy* decides, per non-linear binding that L needs, whether it is
**stored** (computed in f.nonlin, its value put on the tape) or **recomputed** (copied
in front of L, so that the tape holds its inputs instead).  Aliases `let (x̄;) = (ȳ;)`
cost nothing and are always re-bound in L, so no value is stored twice.  Policies: `store`
(default), `recompute`, or any predicate on `Binding`.  The tape is the free
non-linear variables of the final L; its size is counted in reals.

Calls g(x̄;ȳ) become g.nonlin(x̄;) (results and g's tape) in B and g.lin(tape;ȳ) in L.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Union, assert_never

from ..deep import deep
from ..errors import InternalError
from .names import Fresh, free_vars, freshen, names_in
from .syntax import (REAL, Call, Drop, Dup, Expr, FunDef, Hole, LAdd, LDiv, Let, Lit, LScale, LTup,
                     LVar, Prim, Program, Ret, Tup, TupT, Type, UnpackLtup, UnpackTup, Var, Zero,
                     n_reals)
from .work import reachable


@dataclass(frozen=True, slots=True)
class Binding:
    """One non-linear binding: `let (names;) = expr in …`, or, when `tup` is set,
    `let tup(names) = tup in …`."""

    names: tuple[str, ...]
    expr: Expr | None = None
    tup: str | None = None

    def wrap(self, body: Expr) -> Expr:
        if self.tup is not None:
            return UnpackTup(self.names, self.tup, body)
        return Let(self.names, (), self.expr, body)

    def free(self) -> set[str]:
        return {self.tup} if self.tup is not None else free_vars(self.expr)[0]

    @property
    def is_alias(self) -> bool:
        """`let (x̄;) = (ȳ;)`: renaming only.  It costs nothing, so the linear half
        always re-binds it rather than storing the same value twice on the tape."""
        return self.tup is None and isinstance(self.expr, Ret)


Policy = Union[str, Callable[[Binding], bool]]  # "store", "recompute", or recompute-if


def recompute_predicate(policy: Policy) -> Callable[[Binding], bool]:
    """The policy as a predicate: recompute binding b in the linear half?"""
    match policy:
        case "store":
            return lambda b: False
        case "recompute":
            return lambda b: True
        case str():
            raise ValueError(f"unknown checkpoint policy {policy!r}")
        case _:
            return policy


UNIT = Ret((), ())


def seq(first: Expr, then: Expr) -> Expr:
    """let (;) = first in then, omitting a trivial first."""
    return then if trivial(first) else Let((), (), first, then)


def trivial(lin: Expr) -> bool:
    """lin is (;), the linear half of an expression with no linear result."""
    return lin is UNIT or lin == UNIT


def nonlin_name(f: str) -> str:
    return f"{f}.nonlin"


def lin_name(f: str) -> str:
    return f"{f}.lin"


@dataclass
class UnzipInfo:
    """What unzipping one function produced: its tape (names and types, and size in
    reals), the bindings recomputed in the linear half that f.nonlin also computes
    (their work is the extra work of the policy, lemma A7; free aliases are not
    counted), and every binding moved into the linear half."""

    tape: tuple[tuple[str, Type], ...]
    recomputed: tuple[Binding, ...] = ()
    moved: tuple[Binding, ...] = ()

    @property
    def tape_reals(self) -> int:
        return sum(n_reals(t) for _, t in self.tape)


class _Unzip:
    def __init__(self, f: FunDef, tapes: dict[str, UnzipInfo], sigs: dict[str, FunDef]) -> None:
        self.fresh = Fresh(names_in(f))
        self.types: dict[str, Type] = dict(f.nl_params)  # non-linear name ↦ type
        self.tapes, self.sigs = tapes, sigs
        self.out: list[Binding] = []  # B, in program order

    def bind(self, names: tuple[str, ...], types: tuple[Type, ...], expr: Expr) -> None:
        """Emit the binding `let (names;) = expr`."""
        self.types.update(zip(names, types, strict=True))
        self.out.append(Binding(names, expr))

    def u(self, e: Expr) -> tuple[tuple[str, ...], Expr]:
        """U(e): emit e's non-linear bindings B into self.out (in order) and return
        (r̄, L) as in the module docstring.  The commonest constructors come first."""
        match e:
            case Var(x):
                return (x,), UNIT
            case Prim(op, args):
                prims, lin = [], UNIT
                for a in args:
                    (r,), l = self.u(a)
                    prims.append(Var(r))
                    lin = seq(lin, l)
                return (self.bind1("z", REAL, Prim(op, tuple(prims), e.pos)),), lin
            case LVar() | LTup() | Zero():
                return (), e
            case LScale(a, b):
                ((s,), la), (_, lb) = self.u(a), self.u(b)
                return (), seq(la, LScale(Var(s), lb, e.pos))
            case LDiv(a, b):
                (_, la), ((s,), lb) = self.u(a), self.u(b)
                return (), seq(lb, LDiv(la, Var(s), e.pos))
            case LAdd(a, b):
                (_, la), (_, lb) = self.u(a), self.u(b)
                return (), LAdd(la, lb, e.pos)
            case Ret(xs, ys):
                return xs, Ret((), ys)
            case Let() | UnpackTup() | UnpackLtup():
                return self.chain(e)
            case Dup(a):
                _, la = self.u(a)
                return (), Dup(la, e.pos)
            case Drop(a):
                ra, la = self.u(a)
                if ra:  # discard a's non-linear results in the non-linear half
                    self.out.append(Binding((), Drop(Ret(ra, ()))))
                return (), UNIT if trivial(la) else Drop(la, e.pos)
            case Call(g, xs, ys):
                callee, tape = self.sigs[g], self.tapes[g].tape
                res = tuple(self.fresh("r") for _ in callee.nl_results)
                tp = tuple(self.fresh(f"{x}") for x, _ in tape)
                self.bind(res + tp, callee.nl_results + tuple(t for _, t in tape),
                          Call(nonlin_name(g), xs, (), e.pos))
                return res, Call(lin_name(g), tp, ys, e.pos)
            case Lit():
                return (self.bind1("lit", REAL, e),), UNIT
            case Tup(xs):
                return (self.bind1("tup", TupT(tuple(self.types[x] for x in xs)), e),), UNIT
            case Hole(_, _, (), nl, ()):  # a non-linear hole stays whole in B
                res = tuple(self.fresh("r") for _ in nl)
                self.bind(res, nl, e)
                return res, UNIT
            case Hole(h, xs, ys, nl, lin):  # the IH: ?h = ?h.lin ∘ ?h.nonlin through a tape
                res, tp = tuple(self.fresh("r") for _ in nl), self.fresh("tape")
                out = nl + (hole_tape(e),)
                self.bind(res + (tp,), out, Hole(nonlin_name(h), xs, (), out, (), e.pos))
                return res, Hole(lin_name(h), ((tp, out[-1]),), ys, (), lin, e.pos)
            case _:
                assert_never(e)

    def chain(self, e: Expr) -> tuple[tuple[str, ...], Expr]:
        """U on a chain of binders, walked in a loop: B grows in program order on the
        way down, L is wrapped on the way back (no recursion along the chain).

            U(let (x̄;ȳ) = e1 in e2) = B1, (x̄;) = r̄1, B2 ; r̄2 ; let (;ȳ) = L1 in L2
            U(let tup(x̄) = t in e)  = tup(x̄) = t, B ; r̄ ; L
            U(let ltup(ȳ) = t in e) = B ; r̄ ; let ltup(ȳ) = t in L

        A `let (;ȳ) = L1` with no ȳ and a trivial L1 is omitted."""
        wraps: list[Callable[[Expr], Expr]] = []
        while True:
            match e:
                case Let(xs, ys, bound, body):
                    r1, l1 = self.u(bound)
                    if xs:
                        self.bind(xs, tuple(map(self.types.__getitem__, r1)), Ret(r1, ()))
                    if ys or not trivial(l1):
                        wraps.append(lambda l, ys=ys, l1=l1: Let((), ys, l1, l))
                case UnpackTup(xs, t, body):
                    tt = self.types[t]
                    if not isinstance(tt, TupT):
                        raise InternalError(f"U: `{t}` is not a tuple")
                    self.types.update(zip(xs, tt.elems, strict=True))
                    self.out.append(Binding(xs, tup=t))
                case UnpackLtup(ys, t, body):
                    wraps.append(lambda l, ys=ys, t=t: UnpackLtup(ys, t, l))
                case _:
                    r, l = self.u(e)
                    for wrap in reversed(wraps):
                        l = wrap(l)
                    return r, l
            e = body

    def bind1(self, base: str, t: Type, expr: Expr) -> str:
        """Emit `let (z;) = expr` for a fresh z : t; return z."""
        z = self.fresh(base)
        self.bind((z,), (t,), expr)
        return z


def hole_tape(h: Hole) -> Type:
    """The tape type of an unknown subterm ?h: opaque to U, given the type of ?h's
    non-linear inputs (what the `recompute` policy would keep) [choice]."""
    return TupT(tuple(t for _, t in h.nl))


def checkpoint(params: list[str], bindings: list[Binding], results: tuple[str, ...],
                lin: Expr, recompute: Callable[[Binding], bool]):
    """Split the bindings between f.nonlin and the front of f.lin, backwards.
    Returns (bindings kept in N, bindings moved to L, tape names in binding order)."""
    need_n, need_l = set(results), free_vars(lin)[0]
    kept: list[Binding] = []
    moved: list[Binding] = []
    for b in reversed(bindings):
        v = set(b.names)
        if not need_l.isdisjoint(v) and (recompute(b) or b.is_alias):
            moved += _discard(v - need_l) + [b]
            need_l -= v
            need_l |= b.free()
        if not v or not need_n.isdisjoint(v) or not need_l.isdisjoint(v):
            kept += _discard(v - need_n - need_l) + [b]
            need_n -= v
            need_n |= b.free()
    kept.reverse()
    moved.reverse()
    order = params + [x for b in kept for x in b.names]
    tape = [x for x in dict.fromkeys(order) if x in need_l]
    return kept, moved, tape


def _discard(names: set[str]) -> list[Binding]:
    """A binding dropping the non-linear names a half does not use (no weakening)."""
    return [Binding((), Drop(Ret(tuple(sorted(names)), ())))] if names else []


@deep
def unzip_fun(f: FunDef, tapes: dict[str, UnzipInfo], sigs: dict[str, FunDef],
              policy: Policy = "store") -> tuple[FunDef, FunDef, UnzipInfo]:
    """U on one function; `tapes`/`sigs` describe the already-unzipped callees."""
    f = freshen(f)
    uz = _Unzip(f, tapes, sigs)
    results, lin = uz.u(f.body)
    bindings = uz.out
    kept, moved, tape = checkpoint([x for x, _ in f.nl_params], bindings, results, lin,
                                   recompute_predicate(policy))
    tape_t = tuple((x, uz.types[x]) for x in tape)
    body_n: Expr = Ret(results + tuple(tape), ())
    for b in reversed(kept):
        body_n = b.wrap(body_n)
    body_l = lin
    for b in reversed(moved):
        body_l = b.wrap(body_l)
    nonlin = FunDef(nonlin_name(f.name), f.nl_params, (), f.nl_results + tuple(t for _, t in tape_t),
                    (), body_n, f.pos)
    linear = FunDef(lin_name(f.name), tape_t, f.lin_params, (), f.lin_results, body_l, f.pos)
    kept_set = set(map(id, kept))
    both = tuple(b for b in moved if id(b) in kept_set and not b.is_alias)
    info = UnzipInfo(tape_t, both, tuple(moved))
    return nonlin, linear, info


@dataclass
class Unzipped:
    """The program extended with f.nonlin and f.lin for every unzipped f, and the
    per-function tape information."""

    program: Program
    info: dict[str, UnzipInfo] = field(default_factory=dict)


def unzip_program(program: Program, func: str | None = None, policy: Policy = "store") -> Unzipped:
    names = reachable(program, func) if func else [f.name for f in program.funcs]
    out, info = list(program.funcs), {}
    sigs = {f.name: f for f in program.funcs}
    for n in names:
        nonlin, linear, i = unzip_fun(program.get(n), info, sigs, policy)
        out += [nonlin, linear]
        info[n] = i
    return Unzipped(Program(tuple(out)), info)
