"""Near-miss ill-typed Linear A programs (theorems A12, A13), derived from well-typed ones.

`near_misses(p)` applies, at every site of every function of a well-typed program p,
each mutation of one named class below.  Every mutation changes one thing, so the
mutant is ill typed for exactly one reason, and the rule that must reject it (and the
`LinearityError.kind`, for the structural ones) is known in advance:

  class               mutation                                    expected rule (kind)
  linear-twice        y  ↦  y +. y                                LVar (linear-used-twice)
  linear-unused       y  ↦  zero[σ]                               y's binder (linear-unused)
  linear-in-nonlinear y  ↦  zero[σ], and a non-linear subterm e   Prim / LScale of e
                      in y's scope ↦ let (;) = drop(y) in e       (linear-in-nonlinear)
  nonlinear-unused    e  ↦  let (z;) = 1.0 in e, z fresh, at      Let (nonlinear-unused)
                      every let, return and call e
  drop-removed        let (;) = drop(x) in e  ↦  e                x's binder (nonlinear-unused)
                      (x used nowhere else)
  call-arity          f(x̄ ; ȳ) with its last argument removed    Call
  call-kinds          f(x̄ ; ȳ) with an argument moved across `;`  Call
  prim-arity          op(ē)  ↦  op(ē, 1.0)                        Prim
  binder-arity        a let/unpack pattern with one name more     Let / UnpackTup / UnpackLtup
  binder-kind         let tup ↔ let ltup                          UnpackTup / UnpackLtup

Contract: p's names are unique (no shadowing), as in every generated program; the
sites are found by one walk that tracks each variable's binder.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Iterator, assert_never

from calculus.linear_a.syntax import (Call, Drop, Dup, Expr, FunDef, LAdd, Let, Lit, LDiv, LScale,
                                      LTup, LVar, Prim, Program, Ret, Tup, UnpackLtup, UnpackTup,
                                      Var, Zero, children, subterms)
from calculus.linear_a.typecheck import Typing

Path = tuple[int, ...]  # child indices from a function body to a subterm

CLASSES = ("linear-twice", "linear-unused", "linear-in-nonlinear", "nonlinear-unused",
           "drop-removed", "call-arity", "call-kinds", "prim-arity", "binder-arity",
           "binder-kind")


@dataclass(frozen=True)
class NearMiss:
    """A mutant of `func` in `program`, rejected by `rules` (with `kind`, when set)."""

    cls: str
    program: Program
    func: str
    rules: frozenset[str]
    kind: str | None = None
    where: str = ""


# --- rebuilding ---------------------------------------------------------------------------


def with_children(e: Expr, kids: tuple[Expr, ...]) -> Expr:
    """e with its immediate subexpressions replaced (the inverse of `children`)."""
    match e:
        case Ret() | Call() | Var() | Lit() | Tup() | LVar() | LTup() | Zero():
            return e
        case Let():
            return dataclasses.replace(e, bound=kids[0], body=kids[1])
        case UnpackTup() | UnpackLtup():
            return dataclasses.replace(e, body=kids[0])
        case Prim():
            return dataclasses.replace(e, args=kids)
        case LAdd():
            return dataclasses.replace(e, left=kids[0], right=kids[1])
        case LScale():
            return dataclasses.replace(e, scalar=kids[0], vec=kids[1])
        case LDiv():
            return dataclasses.replace(e, vec=kids[0], divisor=kids[1])
        case Dup() | Drop():
            return dataclasses.replace(e, arg=kids[0])
        case _:
            assert_never(e)


def replace_at(e: Expr, path: Path, f: Callable[[Expr], Expr]) -> Expr:
    if not path:
        return f(e)
    kids = list(children(e))
    kids[path[0]] = replace_at(kids[path[0]], path[1:], f)
    return with_children(e, tuple(kids))


def at(e: Expr, path: Path) -> Expr:
    for i in path:
        e = children(e)[i]
    return e


# --- the walk -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Binder:
    rule: str  # Def, Let, UnpackTup, UnpackLtup
    linear: bool


@dataclass(frozen=True)
class Site:
    """A subterm occurrence: its path, the variables in scope (with their binders) and,
    for a non-linear position (a Prim argument, a scalar of *.), the rule owning it."""

    path: Path
    node: Expr
    scope: dict[str, Binder]
    nonlinear: str | None


def sites(f: FunDef) -> Iterator[Site]:
    """Every subterm of f's body, preorder."""
    scope = {x: Binder("Def", False) for x, _ in f.nl_params} | \
            {y: Binder("Def", True) for y, _ in f.lin_params}
    stack: list[tuple[Expr, Path, dict[str, Binder], str | None]] = [(f.body, (), scope, None)]
    while stack:
        e, path, scope, nl = stack.pop()
        yield Site(path, e, scope, nl)
        kids = children(e)
        for i in reversed(range(len(kids))):
            inner, owner = scope, None
            match e:
                case Let(xs, ys) if i == 1:
                    inner = scope | {x: Binder("Let", False) for x in xs} | \
                        {y: Binder("Let", True) for y in ys}
                case UnpackTup(xs):
                    inner = scope | {x: Binder("UnpackTup", False) for x in xs}
                case UnpackLtup(ys):
                    inner = scope | {y: Binder("UnpackLtup", True) for y in ys}
                case Prim():
                    owner = "Prim"
                case LScale() if i == 0:
                    owner = "LScale"
                case LDiv() if i == 1:
                    owner = "LDiv"
            stack.append((kids[i], path + (i,), inner, owner))


def nl_uses(e: Expr, x: str) -> int:
    """How often the non-linear variable x occurs in e."""
    n = 0
    for s in subterms(e):
        match s:
            case Var(v):
                n += v == x
            case Ret(xs) | Tup(xs) | Call(_, xs):
                n += xs.count(x)
            case UnpackTup(_, t):
                n += t == x
    return n


def fresh(p: Program, stem: str) -> str:
    names = {x for f in p.funcs for x in _names(f)}
    i = 0
    while f"{stem}{i}" in names:
        i += 1
    return f"{stem}{i}"


def _names(f: FunDef) -> Iterator[str]:
    yield from (x for x, _ in f.nl_params + f.lin_params)
    for s in subterms(f.body):
        match s:
            case Let(xs, ys):
                yield from xs + ys
            case UnpackTup(xs) | UnpackLtup(xs):
                yield from xs


# --- the mutations ------------------------------------------------------------------------


def near_misses(p: Program, typing: Typing) -> Iterator[NearMiss]:
    """Every near miss of every function of p; `typing` is check_program(p)'s."""
    for f in p.funcs:
        yield from _of_function(p, f, typing)


def _of_function(p: Program, f: FunDef, typing: Typing) -> Iterator[NearMiss]:
    all_sites = list(sites(f))
    z = fresh(p, "nm")

    def mutant(cls: str, path: Path, g: Callable[[Expr], Expr], rules: set[str],
               kind: str | None = None, body: Expr | None = None) -> NearMiss:
        new = dataclasses.replace(f, body=replace_at(body or f.body, path, g))
        prog = Program(tuple(new if h is f else h for h in p.funcs))
        return NearMiss(cls, prog, f.name, frozenset(rules), kind, f"{f.name} at {list(path)}")

    nonlinear_sites = [s for s in all_sites if s.nonlinear]
    for s in all_sites:
        e = s.node
        if isinstance(e, (Let, Ret, Call)):  # (any site would do; these suffice)
            yield mutant("nonlinear-unused", s.path,
                         lambda e: Let((z,), (), Lit(Fraction(1)), e), {"Let"},
                         "nonlinear-unused")
        match e:
            case LVar(y):
                sigma = typing.of(e)[1][0]
                binder = s.scope[y].rule
                yield mutant("linear-twice", s.path, lambda e: LAdd(e, e), {"LVar"},
                             "linear-used-twice")
                yield mutant("linear-unused", s.path, lambda e: Zero(sigma), {binder},
                             "linear-unused")
                for n in nonlinear_sites:
                    if y in n.scope and n.path[:len(s.path)] != s.path and \
                            s.path[:len(n.path)] != n.path:
                        moved = replace_at(f.body, s.path, lambda e: Zero(sigma))
                        yield mutant("linear-in-nonlinear", n.path,
                                     lambda e: Let((), (), Drop(LVar(y)), e),
                                     {n.nonlinear}, "linear-in-nonlinear", moved)
            case Let((), (), Drop(Var(x)), body) if nl_uses(f.body, x) == 1:
                yield mutant("drop-removed", s.path, lambda e: e.body, {s.scope[x].rule},
                             "nonlinear-unused")
            case Call(_, xs, ys):
                if xs:
                    yield mutant("call-arity", s.path, lambda e: dataclasses.replace(
                        e, nl=e.nl[:-1]), {"Call"})
                    yield mutant("call-kinds", s.path, lambda e: dataclasses.replace(
                        e, nl=e.nl[:-1], lin=e.lin + e.nl[-1:]), {"Call"})
                if ys:
                    yield mutant("call-arity", s.path, lambda e: dataclasses.replace(
                        e, lin=e.lin[:-1]), {"Call"})
                    yield mutant("call-kinds", s.path, lambda e: dataclasses.replace(
                        e, nl=e.nl + e.lin[:1], lin=e.lin[1:]), {"Call"})
            case Prim():
                yield mutant("prim-arity", s.path, lambda e: dataclasses.replace(
                    e, args=e.args + (Lit(Fraction(1)),)), {"Prim"})
            case Let():
                yield mutant("binder-arity", s.path, lambda e: dataclasses.replace(
                    e, nl=e.nl + (z,)), {"Let"})
            case UnpackTup(xs, t, body):
                yield mutant("binder-arity", s.path, lambda e: dataclasses.replace(
                    e, names=e.names + (z,)), {"UnpackTup"})
                yield mutant("binder-kind", s.path, lambda e: UnpackLtup(xs, t, body),
                             {"UnpackLtup"})
            case UnpackLtup(ys, t, body):
                yield mutant("binder-arity", s.path, lambda e: dataclasses.replace(
                    e, names=e.names + (z,)), {"UnpackLtup"})
                yield mutant("binder-kind", s.path, lambda e: UnpackTup(ys, t, body),
                             {"UnpackTup"})
