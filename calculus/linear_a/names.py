"""Names: fresh-name supply, free variables, occurrence counts and freshening.

Every transformation first `freshen`s a function so that each binder binds a distinct
name (alpha-renaming; semantics unchanged).  After that a variable is identified by
its name, which lets J count a variable's uses by name and lets U flatten nested lets
without capture.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, assert_never

from ..deep import deep
from ..fresh import Fresh  # noqa: F401 -- re-exported for the transformations
from .syntax import (Call, Drop, Dup, Expr, FunDef, Hole, LAdd, LDiv, Let, Lit, LScale, LTup, LVar,
                     Prim, Ret, Tup, UnpackLtup, UnpackTup, Var, Zero, subterms)


def occurrences(e: Expr) -> Counter:
    """How many times each variable occurs free-or-bound in e (by name), in first-use
    order.  After `freshen` names are unique, so this is the number of uses of each
    binding."""
    out: Counter = Counter()
    for s in subterms(e):
        match s:
            case Ret(xs, ys) | Call(_, xs, ys):
                out.update(xs + ys)
            case Var(x) | LVar(x):
                out[x] += 1
            case Tup(xs) | LTup(xs):
                out.update(xs)
            case UnpackTup(_, t) | UnpackLtup(_, t):
                out[t] += 1
            case Hole(_, xs, ys):
                out.update(x for x, _ in xs + ys)
    return out


@dataclass(frozen=True, slots=True)
class Scan:
    """What one walk of a function learns (`scan`)."""

    fresh: bool                 # every binder binds a distinct name, every use is bound
    names: frozenset[str]       # every name it mentions: parameters, binders, uses
    calls: tuple[str, ...]      # the functions it calls, in order


_SCANS: dict[int, tuple[FunDef, Scan]] = {}  # id(f) ↦ (f, scan(f)); f kept alive
_SCANS_KEPT = 64


def scan(f: FunDef) -> Scan:
    """One walk of f for `is_fresh`, `names_in` and `calls_of`.  Every pass asks all
    three of the function it transforms; a FunDef is immutable, so the answer is kept
    for the last few functions, keyed by identity (the entry holds f, so its id is not
    reused while the entry lives)."""
    hit = _SCANS.get(id(f))
    if hit is not None and hit[0] is f:
        return hit[1]
    bound = [x for x, _ in f.nl_params + f.lin_params]
    used: set[str] = set()
    calls: list[str] = []
    holes = False
    for s in subterms(f.body):
        match s:
            case Let(xs, ys):
                bound += xs
                bound += ys
            case UnpackTup(xs, t) | UnpackLtup(xs, t):
                bound += xs
                used.add(t)
            case Call(g, xs, ys):
                calls.append(g)
                used.update(xs)
                used.update(ys)
            case Ret(xs, ys):
                used.update(xs)
                used.update(ys)
            case Var(x) | LVar(x):
                used.add(x)
            case Tup(xs) | LTup(xs):
                used.update(xs)
            case Hole(_, xs, ys):
                holes = True
                used.update(x for x, _ in xs + ys)
    distinct = set(bound)
    out = Scan(not holes and len(distinct) == len(bound) and used <= distinct,
               frozenset(distinct | used), tuple(calls))
    if len(_SCANS) >= _SCANS_KEPT:
        del _SCANS[next(iter(_SCANS))]
    _SCANS[id(f)] = (f, out)
    return out


def names_in(f: FunDef) -> set[str]:
    """Every name a function mentions (parameters, binders, uses)."""
    return set(scan(f).names)


def is_fresh(f: FunDef) -> bool:
    """Every binder (parameters included) binds a distinct name and every name used is
    bound somewhere, and f has no hole: `freshen` would rename nothing."""
    return scan(f).fresh


def calls_of(f: FunDef) -> tuple[str, ...]:
    """The functions f's body calls, in order."""
    return scan(f).calls


def binders(e: Expr) -> set[str]:
    """Every name bound somewhere inside e."""
    out: set[str] = set()
    for s in subterms(e):
        match s:
            case Let(xs, ys):
                out.update(xs + ys)
            case UnpackTup(xs) | UnpackLtup(xs):
                out.update(xs)
    return out


def free_vars(e: Expr) -> tuple[set[str], set[str]]:
    """(free non-linear, free linear) variables of e."""
    nl: set[str] = set()
    lin: set[str] = set()
    if type(e) in _FLAT or type(e) is Prim and all(type(a) in _FLAT for a in e.args):
        _free(e, {}, nl, lin)  # no recursion below e: no need for a deep stack
    else:
        _free_deep(e, nl, lin)
    return nl, lin


_FLAT = frozenset({Ret, Call, Var, LVar, Tup, LTup, Lit, Zero, Hole})  # no subexpressions


@deep
def _free_deep(e: Expr, nl: set[str], lin: set[str]) -> None:
    _free(e, {}, nl, lin)


def _use(xs: Iterable[str], bound: dict[str, int], into: set[str]) -> None:
    if bound:
        into.update(x for x in xs if not bound.get(x))
    else:
        into.update(xs)


def _free(e: Expr, bound: dict[str, int], nl: set[str], lin: set[str]) -> None:
    """Add e's free variables to nl / lin; `bound` counts the binders in scope (it is
    updated in place and restored, so the walk is linear in |e|).  The commonest
    constructors come first."""
    match e:
        case Var(x):
            if not bound.get(x):
                nl.add(x)
        case LVar(y):
            if not bound.get(y):
                lin.add(y)
        case Ret(xs, ys) | Call(_, xs, ys):
            _use(xs, bound, nl)
            _use(ys, bound, lin)
        case Let() | UnpackTup() | UnpackLtup():
            _free_chain(e, bound, nl, lin)
        case Prim(_, args):
            for a in args:
                _free(a, bound, nl, lin)
        case LAdd(a, b) | LScale(a, b) | LDiv(a, b):
            _free(a, bound, nl, lin)
            _free(b, bound, nl, lin)
        case Dup(a) | Drop(a):
            _free(a, bound, nl, lin)
        case Tup(xs):
            _use(xs, bound, nl)
        case LTup(ys):
            _use(ys, bound, lin)
        case Hole(_, xs, ys):
            _use((x for x, _ in xs), bound, nl)
            _use((y for y, _ in ys), bound, lin)
        case Lit() | Zero():  # binds nothing, uses nothing
            pass
        case _:
            assert_never(e)


def _free_chain(e: Expr, bound: dict[str, int], nl: set[str], lin: set[str]) -> None:
    """`_free` on a chain of binders, walked in a loop (the recursion depth does not
    grow with the chain); the binders leave scope at the end of the chain."""
    entered: list[tuple[str, ...]] = []
    while True:
        match e:
            case Let(xs, ys, b, body):
                _free(b, bound, nl, lin)
                names = xs + ys
            case UnpackTup(xs, t, body):
                _use((t,), bound, nl)
                names = xs
            case UnpackLtup(ys, t, body):
                _use((t,), bound, lin)
                names = ys
            case _:
                break
        for x in names:
            bound[x] = bound.get(x, 0) + 1
        entered.append(names)
        e = body
    _free(e, bound, nl, lin)
    for names in entered:
        for x in names:
            bound[x] -= 1


Subst = dict[str, str]  # old name → new name, for the binders in scope


@deep
def freshen(f: FunDef) -> FunDef:
    """Alpha-rename f so that every binder (parameters included) binds a distinct name.
    A name keeps its spelling at its first binding, so an already fresh f is returned
    as it is (the same object: typings keyed by its nodes stay valid)."""
    if is_fresh(f):
        return f
    fresh = Fresh()
    sub = {x: fresh(x) for x, _ in f.nl_params + f.lin_params}
    body = _fr(f.body, sub, fresh)
    return FunDef(f.name, tuple((sub[x], t) for x, t in f.nl_params),
                  tuple((sub[y], t) for y, t in f.lin_params), f.nl_results, f.lin_results,
                  body, f.pos)


def _fr_chain(e: Expr, sub: Subst, fresh: Fresh) -> Expr:
    """Rename a chain of binders, walked in a loop (no recursion along the chain): each
    binder extends `sub` in place for its body; on the way back the binders are rebuilt
    and `sub` restored, innermost first (linear time on long let chains)."""
    frames: list[Callable[[Expr], Expr]] = []
    saved: list[list[tuple[str, str | None]]] = []

    def under(xs: tuple[str, ...]) -> tuple[str, ...]:
        new = tuple(fresh(x) for x in xs)
        saved.append([(x, sub.get(x)) for x in xs])
        sub.update(zip(xs, new))
        return new

    try:
        while True:
            match e:
                case Let(xs, ys, bound, body):
                    b = _fr(bound, sub, fresh)
                    new = under(xs + ys)
                    frames.append(lambda k, n=len(xs), new=new, b=b, pos=e.pos:
                                  Let(new[:n], new[n:], b, k, pos))
                case UnpackTup(xs, t, body):
                    t2 = sub[t]
                    new = under(xs)
                    frames.append(lambda k, new=new, t2=t2, pos=e.pos: UnpackTup(new, t2, k, pos))
                case UnpackLtup(ys, t, body):
                    t2 = sub[t]
                    new = under(ys)
                    frames.append(lambda k, new=new, t2=t2, pos=e.pos: UnpackLtup(new, t2, k, pos))
                case _:
                    out = _fr(e, sub, fresh)
                    break
            e = body
    finally:
        for group in reversed(saved):
            for x, old in group:
                if old is None:
                    del sub[x]
                else:
                    sub[x] = old
    for frame in reversed(frames):
        out = frame(out)
    return out


def _fr(e: Expr, sub: Subst, fresh: Fresh) -> Expr:
    """Rename e under `sub` (binders: `_fr_chain`)."""
    r = lambda xs: tuple(sub[x] for x in xs)  # noqa: E731 -- rename uses

    match e:
        case Ret(xs, ys):
            return Ret(r(xs), r(ys), e.pos)
        case Call(g, xs, ys):
            return Call(g, r(xs), r(ys), e.pos)
        case Var(x):
            return Var(sub[x], e.pos)
        case LVar(y):
            return LVar(sub[y], e.pos)
        case Tup(xs):
            return Tup(r(xs), e.pos)
        case LTup(ys):
            return LTup(r(ys), e.pos)
        case Let() | UnpackTup() | UnpackLtup():
            return _fr_chain(e, sub, fresh)
        case Prim(op, args):
            return Prim(op, tuple(_fr(a, sub, fresh) for a in args), e.pos)
        case LAdd(a, b):
            return LAdd(_fr(a, sub, fresh), _fr(b, sub, fresh), e.pos)
        case LScale(a, b):
            return LScale(_fr(a, sub, fresh), _fr(b, sub, fresh), e.pos)
        case LDiv(a, b):
            return LDiv(_fr(a, sub, fresh), _fr(b, sub, fresh), e.pos)
        case Dup(a):
            return Dup(_fr(a, sub, fresh), e.pos)
        case Drop(a):
            return Drop(_fr(a, sub, fresh), e.pos)
        case Hole(h, xs, ys, nl, lin):
            return Hole(h, tuple((sub[x], t) for x, t in xs), tuple((sub[y], t) for y, t in ys),
                        nl, lin, e.pos)
        case Lit() | Zero():
            return e
        case _:
            assert_never(e)
