"""Names: fresh-name supply, free variables, occurrence counts and freshening.

Every transformation first `freshen`s a function so that each binder binds a distinct
name (alpha-renaming; semantics unchanged).  After that a variable is identified by
its name, which lets J count a variable's uses by name and lets U flatten nested lets
without capture.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, assert_never

from ..deep import deep
from .syntax import (Call, Drop, Dup, Expr, FunDef, LAdd, Let, Lit, LScale, LTup, LVar, Prim,
                     Ret, Tup, UnpackLtup, UnpackTup, Var, Zero)


class Fresh:
    """A supply of names not among `taken` (and never handed out twice)."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = set(taken)
        self.next: dict[str, int] = {}  # base ↦ the next suffix to try (amortised O(1))

    def __call__(self, base: str) -> str:
        name, i = base, self.next.get(base, 0)
        if i:
            name = f"{base}.{i}"
        while name in self.taken:
            i += 1
            name = f"{base}.{i}"
        self.next[base] = i + 1
        self.taken.add(name)
        return name


@deep
def occurrences(e: Expr, out: Counter | None = None) -> Counter:
    """How many times each variable occurs free-or-bound in e (by name).  After
    `freshen` names are unique, so this is the number of uses of each binding."""
    out = Counter() if out is None else out
    match e:
        case Ret(xs, ys) | Call(_, xs, ys):
            out.update(xs + ys)
        case Var(x) | LVar(x):
            out[x] += 1
        case Tup(xs) | LTup(xs):
            out.update(xs)
        case Let(_, _, bound, body):
            occurrences(bound, out)
            occurrences(body, out)
        case UnpackTup(_, t, body) | UnpackLtup(_, t, body):
            out[t] += 1
            occurrences(body, out)
        case Prim(_, args):
            for a in args:
                occurrences(a, out)
        case LAdd(a, b) | LScale(a, b):
            occurrences(a, out)
            occurrences(b, out)
        case Dup(a) | Drop(a):
            occurrences(a, out)
        case Lit() | Zero():
            pass
        case _:
            assert_never(e)
    return out


def names_in(f: FunDef) -> set[str]:
    """Every name a function mentions (parameters, binders, uses)."""
    names = set(occurrences(f.body)) | {x for x, _ in f.nl_params + f.lin_params}
    return names | binders(f.body)


@deep
def binders(e: Expr) -> set[str]:
    match e:
        case Let(xs, ys, bound, body):
            return set(xs + ys) | binders(bound) | binders(body)
        case UnpackTup(xs, _, body) | UnpackLtup(xs, _, body):
            return set(xs) | binders(body)
        case Prim(_, args):
            return set().union(*(binders(a) for a in args))
        case LAdd(a, b) | LScale(a, b):
            return binders(a) | binders(b)
        case Dup(a) | Drop(a):
            return binders(a)
        case Ret() | Call() | Var() | LVar() | Tup() | LTup() | Lit() | Zero():
            return set()
        case _:
            assert_never(e)


@deep
def free_vars(e: Expr) -> tuple[set[str], set[str]]:
    """(free non-linear, free linear) variables of e."""
    match e:
        case Ret(xs, ys) | Call(_, xs, ys):
            return set(xs), set(ys)
        case Var(x):
            return {x}, set()
        case LVar(y):
            return set(), {y}
        case Tup(xs):
            return set(xs), set()
        case LTup(ys):
            return set(), set(ys)
        case Let(xs, ys, bound, body):
            (n1, l1), (n2, l2) = free_vars(bound), free_vars(body)
            return n1 | (n2 - set(xs)), l1 | (l2 - set(ys))
        case UnpackTup(xs, t, body):
            n, l = free_vars(body)
            return (n - set(xs)) | {t}, l
        case UnpackLtup(ys, t, body):
            n, l = free_vars(body)
            return n, (l - set(ys)) | {t}
        case Prim(_, args):
            parts = [free_vars(a) for a in args]
            return set().union(*(p[0] for p in parts)), set().union(*(p[1] for p in parts))
        case LAdd(a, b) | LScale(a, b):
            (n1, l1), (n2, l2) = free_vars(a), free_vars(b)
            return n1 | n2, l1 | l2
        case Dup(a) | Drop(a):
            return free_vars(a)
        case Lit() | Zero():
            return set(), set()
        case _:
            assert_never(e)


Subst = dict[str, str]  # old name → new name, for the binders in scope


@deep
def freshen(f: FunDef) -> FunDef:
    """Alpha-rename f so that every binder (parameters included) binds a distinct name.
    A name keeps its spelling at its first binding."""
    fresh = Fresh()
    sub = {x: fresh(x) for x, _ in f.nl_params + f.lin_params}
    body = _fr(f.body, sub, fresh)
    return FunDef(f.name, tuple((sub[x], t) for x, t in f.nl_params),
                  tuple((sub[y], t) for y, t in f.lin_params), f.nl_results, f.lin_results,
                  body, f.pos)


def _fr(e: Expr, sub: Subst, fresh: Fresh) -> Expr:
    r = lambda xs: tuple(sub[x] for x in xs)  # noqa: E731 -- rename uses

    def bind(xs: tuple[str, ...]) -> tuple[tuple[str, ...], Subst]:
        new = tuple(fresh(x) for x in xs)
        return new, sub | dict(zip(xs, new))

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
        case Let(xs, ys, bound, body):
            b = _fr(bound, sub, fresh)
            new, sub2 = bind(xs + ys)
            return Let(new[:len(xs)], new[len(xs):], b, _fr(body, sub2, fresh), e.pos)
        case UnpackTup(xs, t, body):
            new, sub2 = bind(xs)
            return UnpackTup(new, sub[t], _fr(body, sub2, fresh), e.pos)
        case UnpackLtup(ys, t, body):
            new, sub2 = bind(ys)
            return UnpackLtup(new, sub[t], _fr(body, sub2, fresh), e.pos)
        case Prim(op, args):
            return Prim(op, tuple(_fr(a, sub, fresh) for a in args), e.pos)
        case LAdd(a, b):
            return LAdd(_fr(a, sub, fresh), _fr(b, sub, fresh), e.pos)
        case LScale(a, b):
            return LScale(_fr(a, sub, fresh), _fr(b, sub, fresh), e.pos)
        case Dup(a):
            return Dup(_fr(a, sub, fresh), e.pos)
        case Drop(a):
            return Drop(_fr(a, sub, fresh), e.pos)
        case Lit() | Zero():
            return e
        case _:
            assert_never(e)
