"""Near-miss ill-typed λLL terms (theorems L6 and L4), derived from well-typed ones.

`near_misses(t, Γ, Δ)` applies, at every site of a well-typed term t, each mutation
of one named class.  One thing changes, so the rule that must reject the mutant (and
the `LinearityError.kind`, for the structural ones) is known in advance:

  class          mutation (x linear, of type A)                expected rule (kind)
  linear-twice   x ↦ let () = drop[D] x in x      (A = D data)  1E (linear-used-twice)
                 x ↦ let !w = x in x              (A = !B)      !E (linear-used-twice)
  linear-unused  x ↦ a closed inhabitant of A                   x's binder: ⊸I, ⊗E, or Ax
                                                                for an input (linear-unused)
  under-bang     x ↦ let !w = !x in w                           !I (linear-in-nonlinear)
  call-kinds     t !s ↦ t s   (an argument loses its `!`)        ⊸E
  call-arity     t ↦ t ()     (t an application not of ⊸ type)  ⊸E
  binder-kind    let (x, y) ↦ let !x;  let !u ↦ let (u, w);      !E, ⊗E, !E
                 let () = t ↦ let !w = t
  binder-same    let (x, y) = t in s ↦ let (x, x) = t in s       ⊗E

Types are read off the term's derivation (`curry_howard.derive`), whose premises follow
the term's children.  Contract: t's bound names are unique (as generated); w is fresh.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Iterator, Mapping, assert_never

from calculus.lambda_ll.curry_howard import Proof, derive
from calculus.lambda_ll.syntax import (App, Bang, Const, Fun, LetBang, LetPair, LetUnit, Lit,
                                       Lolli, Pair, Promote, Term, Type, Unit, Var, children,
                                       is_data, subterms)
from checkers.ll_strategies import inhabitant

Path = tuple[int, ...]

CLASSES = ("linear-twice", "linear-unused", "under-bang", "call-kinds", "call-arity",
           "binder-kind", "binder-same")


@dataclass(frozen=True)
class NearMiss:
    cls: str
    term: Term
    rules: frozenset[str]
    kind: str | None = None
    where: str = ""


def with_children(t: Term, kids: tuple[Term, ...]) -> Term:
    """t with its immediate subterms replaced (the inverse of `children`)."""
    match t:
        case Var() | Unit() | Lit() | Const():
            return t
        case Fun() | Promote():
            return dataclasses.replace(t, body=kids[0])
        case App():
            return dataclasses.replace(t, fn=kids[0], arg=kids[1])
        case Pair():
            return dataclasses.replace(t, left=kids[0], right=kids[1])
        case LetUnit() | LetPair() | LetBang():
            return dataclasses.replace(t, bound=kids[0], body=kids[1])
        case _:
            assert_never(t)


def replace_at(t: Term, path: Path, new: Term) -> Term:
    if not path:
        return new
    kids = list(children(t))
    kids[path[0]] = replace_at(kids[path[0]], path[1:], new)
    return with_children(t, tuple(kids))


def _sites(t: Term, proof: Proof, delta: Mapping[str, Type]
           ) -> Iterator[tuple[Path, Term, Type, dict[str, str]]]:
    """(path, subterm, its type, linear variables in scope ↦ binder rule), preorder."""
    stack = [(t, proof, (), {x: "Ax" for x in delta})]
    while stack:
        s, p, path, lin = stack.pop()
        yield path, s, p.sequent.concl, lin
        kids = children(s)
        for i in reversed(range(len(kids))):
            inner = lin
            match s:
                case Fun(x):
                    inner = lin | {x: "⊸I"}
                case LetPair(x, y) if i == 1:
                    inner = lin | {x: "⊗E", y: "⊗E"}
                case LetBang(u) if i == 1:
                    inner = {x: r for x, r in lin.items() if x != u}
            stack.append((kids[i], p.premises[i], path + (i,), inner))


def fresh(t: Term) -> str:
    names = {s.name for s in subterms(t) if isinstance(s, Var)} | \
            {x for s in subterms(t) if isinstance(s, (Fun, LetBang)) for x in [s.var]} | \
            {x for s in subterms(t) if isinstance(s, LetPair) for x in (s.x, s.y)}
    i = 0
    while f"w{i}" in names:
        i += 1
    return f"w{i}"


def near_misses(t: Term, gamma: Mapping[str, Type] = {},
                delta: Mapping[str, Type] = {}) -> Iterator[NearMiss]:
    """Every near miss of the well-typed Γ ; Δ ⊢ t : A."""
    w = fresh(t)
    for path, s, ty, lin in _sites(t, derive(t, gamma, delta), delta):
        def nm(cls: str, new: Term, rules: set[str], kind: str | None = None) -> NearMiss:
            return NearMiss(cls, replace_at(t, path, new), frozenset(rules), kind,
                            f"at {list(path)}")
        match s:
            case Var(x) if x in lin:
                if is_data(ty):
                    yield nm("linear-twice", LetUnit(App(Const("drop", ty), s), s), {"1E"},
                             "linear-used-twice")
                if isinstance(ty, Bang):
                    yield nm("linear-twice", LetBang(w, s, s), {"!E"}, "linear-used-twice")
                yield nm("linear-unused", inhabitant(ty), {lin[x]}, "linear-unused")
                yield nm("under-bang", LetBang(w, Promote(s), Var(w)), {"!I"},
                         "linear-in-nonlinear")
            case App(fn, Promote(arg)):
                yield nm("call-kinds", App(fn, arg), {"⊸E"})
            case LetPair(x, _, bound, body):
                yield nm("binder-kind", LetBang(x, bound, body), {"!E"})
                yield nm("binder-same", LetPair(x, x, bound, body), {"⊗E"})
            case LetBang(u, bound, body):
                yield nm("binder-kind", LetPair(u, w, bound, body), {"⊗E"})
            case LetUnit(bound, body):
                yield nm("binder-kind", LetBang(w, bound, body), {"!E"})
        if isinstance(s, App) and not isinstance(ty, Lolli):
            yield nm("call-arity", App(s, Unit()), {"⊸E"})
