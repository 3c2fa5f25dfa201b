"""Static work W(e) and size |e| of Linear A (SPEC §2.3).

    W(op(e1..en))  = cost(op) + Σ W(ei)         W(e1 +. e2) = W(e1) + W(e2) + k
    W(e1 *. e2)    = W(e1) + W(e2) + k          W(zero[σ])  = k·zero      (k = #reals of σ)
    W(e1 /. e2)    = W(e1) + W(e2) + k          (a division per real, priced like *.)
    W(dup(e))      = W(e) + k·dup               W(drop(e))  = W(e) + k·drop  (k = #linear reals)
    W(let … = e1 in e2) = W(e1) + W(e2)         W(f(x̄;ȳ))   = W(body of f)
    returns, variables, literals, tuples and unpacks cost 0.

k is read from the types the checker recorded (`Typing`), so W is computed without
running the program; the dynamic count of `evaluate` must agree (lemma A1).
|e| counts AST nodes; |program| the nodes of all bodies.
"""

from __future__ import annotations

from typing import assert_never

from ..cost_models import CostModel
from ..deep import deep
from ..errors import InternalError
from ..primitives import PRIMS
from .names import calls_of
from .syntax import (Call, Drop, Dup, Expr, Hole, LAdd, LDiv, Let, Lit, LScale, LTup, LVar, Prim,
                     Program, Ret, Tup, UnpackLtup, UnpackTup, Var, Zero, n_reals, subterms)
from .typecheck import Typing, check_program


class _Work:
    def __init__(self, program: Program, typing: Typing, model: CostModel,
                 holes: dict | None = None) -> None:
        self.program, self.typing, self.model = program, typing, model
        self.holes = holes or {}  # metavariable ↦ its work (a symbol, INDUCTION.md)
        self.funcs: dict[str, int] = {}

    def k_lin(self, e: Expr) -> int:
        """Real components of e's linear results."""
        return sum(n_reals(t) for t in self.typing.of(e)[1])

    def func(self, name: str) -> int:
        if name not in self.funcs:
            self.funcs[name] = self.w(self.program.get(name).body)
        return self.funcs[name]

    def w(self, e: Expr) -> int:
        m = self.model
        match e:
            case Ret() | Var() | Lit() | Tup() | LVar() | LTup():
                return 0
            case Let(_, _, bound, body):
                return self.w(bound) + self.w(body)
            case UnpackTup(_, _, body) | UnpackLtup(_, _, body):
                return self.w(body)
            case Call(f):
                return self.func(f)
            case Prim(op, args):
                return PRIMS[op].cost + sum(self.w(a) for a in args)
            case LAdd(a, b):
                return self.w(a) + self.w(b) + m.add_per_real * self.k_lin(e)
            case LScale(a, b) | LDiv(a, b):
                return self.w(a) + self.w(b) + m.scale_per_real * self.k_lin(e)
            case Zero(t):
                return m.zero_per_real * n_reals(t)
            case Dup(a):
                return self.w(a) + m.dup_per_real * self.k_lin(a)
            case Drop(a):
                return self.w(a) + m.drop_per_real * self.k_lin(a)
            case Hole(h):
                if h not in self.holes:
                    raise InternalError(f"W(?{h}): no work given for the metavariable")
                return self.holes[h]
            case _:
                assert_never(e)


@deep
def work(program: Program, func: str, model: CostModel, typing: Typing | None = None,
         holes: dict | None = None) -> int:
    """W(func) under a cost model (calls included); `holes` gives each metavariable's
    work (symbols, for the induction proofs)."""
    return _Work(program, typing or check_program(program), model, holes).func(func)


def size(e: Expr) -> int:
    """|e|: the number of AST nodes."""
    return sum(1 for _ in subterms(e))


def program_size(program: Program, func: str | None = None) -> int:
    """|f| (or the whole program): nodes of the bodies of func and everything it calls."""
    names = reachable(program, func) if func else [f.name for f in program.funcs]
    return sum(size(program.get(n).body) for n in names)


def reachable(program: Program, func: str) -> list[str]:
    """func and the functions it calls, transitively, in definition order."""
    seen = {func}
    for f in reversed(program.funcs):
        if f.name in seen:
            seen.update(calls_of(f))
    return [f.name for f in program.funcs if f.name in seen]


def calls(e: Expr) -> list[str]:
    """The functions e calls, in order."""
    return [s.func for s in subterms(e) if isinstance(s, Call)]
