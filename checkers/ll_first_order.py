"""First-order λLL programs in the fragment of F and T_LL, *not* from the encoding
(theorems L7, L8).

F is defined on first-order λLL; ⟦·⟧ reaches only part of it (it always promotes
literals, never returns a bare real, …).  This generator reaches every case of F:

    def g : !real ⊸ … ⊸ !real ⊸ R = fun (x1 : !real) -> … body      R ::= P | real | 1 | R ⊗ R
                                                                     P ::= !real | !(P ⊗ P)
    body at a goal:  a bare literal r : real        ()                (t, s)
                     !u   !r   !(op !a1 … !an)  (a ::= u | r | op !a…: closed arguments too)
                     !(p1, p2)  (a box of a tuple)
                     let !v = p in body   (v used, or unused: ! weakening)
                     let (a, b) = (p1, p2) | g ā in let !va = a in let !vb = b in body
                     (fun (y : !real) -> let !v = y in body) p     (a let-redex)
                     let () = () in body      g ā  (a call of an earlier definition)

Every linear variable (a parameter, a ⊗E or λ binder) is immediately unbanged, so
bodies only share intuitionistic reals.  Primitives are +, −, ×, neg, sin, cos, exp,
tanh, x² and x³ (no division, log, sqrt or negative powers: every symbolic run is inside
the domain).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from hypothesis import strategies as st

from calculus.lambda_ll.syntax import (ONE, REAL, App, Bang, Const, Def, Fun, LetBang, LetPair,
                                       LetUnit, Lit, Lolli, Pair, Program, Promote, Tensor,
                                       Term, Type, Unit, Var, arrows)
from calculus.primitives import PRIMS, Op, PowI

OPS = (Op.ADD, Op.SUB, Op.MUL, Op.NEG, Op.SIN, Op.COS, Op.EXP, Op.TANH, PowI(2), PowI(3))
BANG_REAL = Bang(REAL)
PAIR = Tensor(BANG_REAL, BANG_REAL)
RESULTS = (BANG_REAL, PAIR, Tensor(BANG_REAL, REAL), Tensor(ONE, BANG_REAL), REAL,
           Bang(PAIR), Tensor(PAIR, REAL))


@dataclass
class _Gen:
    draw: Callable
    defs: list[Def]
    ids: itertools.count

    def fresh(self, stem: str) -> str:
        return f"{stem}{next(self.ids)}"

    def pick(self, xs):
        return self.draw(st.sampled_from(xs))

    def lit(self) -> Lit:
        return Lit(Fraction(self.draw(st.integers(-8, 8)), 4))

    def inner(self, us: list[str], fuel: int) -> Term:
        """A real under a promotion: u | r | op !a1 … !an."""
        kind = self.draw(st.integers(0, 3 if fuel > 0 else 1))
        if kind == 0 and us:
            return Var(self.pick(us))
        if kind < 2:
            return self.lit()
        op = self.pick(OPS)
        out: Term = Const(op.value)
        for _ in range(PRIMS[op].arity):
            out = App(out, Promote(self.inner(us, fuel - 1)))
        return out

    def calls(self, goal: Type | None) -> list[Def]:
        return [d for d in self.defs if goal is None or _result(d.ty) == goal]

    def call(self, d: Def, us: list[str], fuel: int) -> Term:
        out: Term = Var(d.name)
        ty = d.ty
        while isinstance(ty, Lolli):
            out, ty = App(out, self.term(BANG_REAL, us, fuel - 1)), ty.cod
        return out

    def term(self, goal: Type, us: list[str], fuel: int) -> Term:
        """· ; · ⊢ t : goal, with the intuitionistic reals us in Γ."""
        options: list[Callable[[], Term]] = [lambda: self.intro(goal, us, fuel)]
        if fuel > 0:
            options += [lambda: self.let_bang(goal, us, fuel), lambda: self.let_pair(goal, us, fuel),
                        lambda: self.redex(goal, us, fuel),
                        lambda: LetUnit(Unit(), self.term(goal, us, fuel - 1))]
            options += [lambda d=d: self.call(d, us, fuel) for d in self.calls(goal)]
        return options[self.draw(st.integers(0, len(options) - 1))]()

    def intro(self, goal: Type, us: list[str], fuel: int) -> Term:
        match goal:
            case Bang(Tensor() as p):
                return Promote(self.intro(p, us, fuel))
            case Bang():
                return Promote(self.inner(us, fuel))
            case Tensor(a, b):
                return Pair(self.term(a, us, fuel - 1), self.term(b, us, fuel - 1))
            case _ if goal == ONE:
                return Unit()
            case _ if goal == REAL:
                return self.lit()
        raise TypeError(goal)

    def let_bang(self, goal: Type, us: list[str], fuel: int) -> Term:
        v = self.fresh("v")
        return LetBang(v, self.term(BANG_REAL, us, fuel - 1), self.term(goal, us + [v], fuel - 1))

    def let_pair(self, goal: Type, us: list[str], fuel: int) -> Term:
        a, b, va, vb = (self.fresh(s) for s in ("a", "b", "v", "v"))
        bound = self.call(self.pick(self.calls(PAIR)), us, fuel) if self.calls(PAIR) and \
            self.draw(st.booleans()) else self.term(PAIR, us, fuel - 1)
        body = self.term(goal, us + [va, vb], fuel - 1)
        return LetPair(a, b, bound, LetBang(va, Var(a), LetBang(vb, Var(b), body)))

    def redex(self, goal: Type, us: list[str], fuel: int) -> Term:
        y, v = self.fresh("y"), self.fresh("v")
        return App(Fun(y, BANG_REAL, LetBang(v, Var(y), self.term(goal, us + [v], fuel - 1))),
                   self.term(BANG_REAL, us, fuel - 1))

    def definition(self, name: str, result: Type, fuel: int) -> Def:
        n = self.draw(st.integers(1, 3))
        xs = [self.fresh("x") for _ in range(n)]
        us = [self.fresh("u") for _ in range(n)]
        body = self.term(result, us, fuel)
        for x, u in reversed(list(zip(xs, us))):
            body = LetBang(u, Var(x), body)  # u may stay unused: weakening
        for x in reversed(xs):
            body = Fun(x, BANG_REAL, body)
        return Def(name, arrows((BANG_REAL,) * n, result), body)


def _result(ty: Type) -> Type:
    while isinstance(ty, Lolli):
        ty = ty.cod
    return ty


def arity(ty: Type) -> int:
    n = 0
    while isinstance(ty, Lolli):
        ty, n = ty.cod, n + 1
    return n


@st.composite
def first_order_programs(draw, max_defs: int = 3, fuel: int = 3) -> Program:
    """A program of 1–max_defs definitions in F's fragment; the last one is under test."""
    g = _Gen(draw, [], itertools.count())
    for i in range(draw(st.integers(1, max_defs))):
        g.defs.append(g.definition(f"g{i}", draw(st.sampled_from(RESULTS)), fuel))
    return Program(tuple(g.defs))
