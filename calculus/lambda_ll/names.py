"""Names in λLL terms: the names a term mentions, use counts, alpha-renaming, and the
spine of an application (shared by F and T_LL, as `linear_a.names` is by J, U and T).

F and T_LL first `freshen` a definition's body so that each binder binds a distinct
name; after that a variable is identified by its name.
"""

from __future__ import annotations

from collections import Counter
from typing import assert_never

from ..deep import deep
from ..fresh import Fresh
from .syntax import (App, Const, Fun, Hole, LetBang, LetPair, LetUnit, Lit, Pair, Promote, Term,
                     Unit, Var, binders, subterms)


def names_in(t: Term) -> set[str]:
    """Every name t mentions: its variables and binders."""
    out: set[str] = set()
    for s in subterms(t):
        out.update(binders(s))
        if isinstance(s, Var):
            out.add(s.name)
        if isinstance(s, Hole):
            out.update(x for x, _ in s.gamma + s.delta)
    return out


def occurrences(t: Term) -> Counter:
    """How many times each name occurs as a variable in t (after `freshen`: the number
    of uses of each binding)."""
    return Counter(uses(t))


def uses(t: Term) -> list[str]:
    """The variable occurrences of t in order (a hole uses each of its parameters)."""
    out: list[str] = []
    for s in subterms(t):
        if isinstance(s, Var):
            out.append(s.name)
        elif isinstance(s, Hole):
            out.extend(x for x, _ in s.gamma + s.delta)
    return out


def spine(t: Term) -> tuple[Term, list[Term]]:
    """t = head a1 … an  ↦  (head, [a1, …, an]) (head not an application)."""
    args: list[Term] = []
    while isinstance(t, App):
        args.append(t.arg)
        t = t.fn
    return t, args[::-1]


@deep
def freshen(t: Term, sub: dict[str, str], fresh: Fresh) -> Term:
    """Alpha-rename every binder of t to a distinct name (`sub`: the renaming of the
    free variables so far)."""
    match t:
        case Var(x):
            return Var(sub.get(x, x), t.pos)
        case Unit() | Lit() | Const():
            return t
        case Hole(h, gamma, delta, ty):
            return Hole(h, tuple((sub.get(x, x), a) for x, a in gamma),
                        tuple((sub.get(x, x), a) for x, a in delta), ty, t.pos)
        case Fun(x, a, body):
            nx = fresh(x)
            return Fun(nx, a, freshen(body, sub | {x: nx}, fresh), t.pos)
        case App(a, b):
            return App(freshen(a, sub, fresh), freshen(b, sub, fresh), t.pos)
        case Pair(a, b):
            return Pair(freshen(a, sub, fresh), freshen(b, sub, fresh), t.pos)
        case LetUnit(a, b):
            return LetUnit(freshen(a, sub, fresh), freshen(b, sub, fresh), t.pos)
        case LetPair(x, y, a, b):
            bound = freshen(a, sub, fresh)
            nx, ny = fresh(x), fresh(y)
            return LetPair(nx, ny, bound, freshen(b, sub | {x: nx, y: ny}, fresh), t.pos)
        case Promote(a):
            return Promote(freshen(a, sub, fresh), t.pos)
        case LetBang(x, a, b):
            bound = freshen(a, sub, fresh)
            nx = fresh(x)
            return LetBang(nx, bound, freshen(b, sub | {x: nx}, fresh), t.pos)
        case _:
            assert_never(t)
