"""E3's step table: the β- and let-steps of ⟦ν⟧ for each Linear A node ν, and E3's size
‖f‖ = ω_entry(f) + Σ_ν ω(ν) (nodes + names bound or passed + results dropped, calls
unfolded); proofs/test_E3_encoding_work.py states the table and checks it against the
λLL evaluator on instances, `checkers.induction` per constructor.

Each row maps the arities (n, l) of a node to (s, ω).  `o` supplies If/And/Max, so the
same row is evaluated on Python integers (the prediction) and on z3 integers (the proof
of the bound k)."""

from __future__ import annotations

from typing import assert_never

import z3

from calculus.deep import deep
from calculus.errors import InternalError
from calculus.linear_a import syntax as la
from calculus.linear_a.names import free_vars
from calculus.linear_a.typecheck import Typing, check_program

K = 2  # E3: steps(⟦f⟧) ≤ K·‖f‖


class PyOps:
    If = staticmethod(lambda c, a, b: a if c else b)
    And = staticmethod(lambda *cs: all(cs))
    Max = staticmethod(max)


class Z3Ops:
    If = staticmethod(z3.If)
    And = staticmethod(z3.And)
    Max = staticmethod(lambda a, b: z3.If(a >= b, a, b))


def row_let(o, n, l):
    return o.If(o.And(n == 1, l == 0), 1, n + o.Max(1, n + l - 1)), 1 + n + l


def row_unpack_tup(o, n, l):
    return o.If(n == 1, 1, n + o.Max(1, n - 1)), 1 + n


def row_unpack_ltup(o, n, l):
    return o.Max(1, l - 1), 1 + l


def row_call(o, n, l):
    return o.If(n + l == 0, 2, 2 * n + l), 1 + n + l


def row_drop(o, n, l):
    return n + o.Max(1, n + o.If(l > 0, 1, 0) - 1), 1 + n + l


def row_drop_nonlinear(o, n, l):
    return 1, 1


def row_free(o, n, l):
    return 0, 1


ROWS = {"Let": row_let, "UnpackTup": row_unpack_tup, "UnpackLtup": row_unpack_ltup,
        "Call": row_call, "Drop": row_drop, "DropNonlinear": row_drop_nonlinear,
        "entry": row_call, "other": row_free}
ROW_TEXT = {
    "Let": "s = 1 if (n,l) = (1,0) else n + max(1, n+l-1); w = 1+n+l",
    "UnpackTup": "s = 1 if n = 1 else n + max(1, n-1); w = 1+n",
    "UnpackLtup": "s = max(1, l-1); w = 1+l",
    "Call": "s = 2 if n+l = 0 else 2n+l; w = 1+n+l (+ the callee's body)",
    "Drop": "s = n + max(1, n+[l>0]-1); w = 1+n+l",
    "DropNonlinear": "s = 1; w = 1",
    "entry": "as Call",
    "other": "s = 0; w = 1",
}


class _Steps:
    """(Σ s, Σ ω) over the nodes a function's evaluation visits, calls unfolded."""

    def __init__(self, program: la.Program, typing: Typing, holes: dict | None = None) -> None:
        self.program, self.typing = program, typing
        self.holes = holes or {}  # metavariable ↦ (its steps, its ‖·‖): symbols (E3's IH)
        self.funcs: dict[str, tuple[int, int]] = {}

    def func(self, name: str) -> tuple[int, int]:
        if name not in self.funcs:
            self.funcs[name] = self.node(self.program.get(name).body)
        return self.funcs[name]

    def node(self, e: la.Expr) -> tuple[int, int]:
        if isinstance(e, la.Hole):
            if e.name not in self.holes:
                raise InternalError(f"steps(?{e.name}): no steps given for the metavariable")
            return self.holes[e.name]
        row, (n, l), kids = self.row(e)
        s, w = ROWS[row](PyOps, n, l)
        for k in kids:
            ks, kw = self.node(k)
            s, w = s + ks, w + kw
        if isinstance(e, la.Call):
            cs, cw = self.func(e.func)
            s, w = s + cs, w + cw
        return s, w

    def row(self, e: la.Expr) -> tuple[str, tuple[int, int], tuple[la.Expr, ...]]:
        """The node's row, its arities and its subexpressions."""
        match e:
            case la.Let(xs, ys, bound, body):
                return "Let", (len(xs), len(ys)), (bound, body)
            case la.UnpackTup(xs, _, body):
                return "UnpackTup", (len(xs), 0), (body,)
            case la.UnpackLtup(ys, _, body):
                return "UnpackLtup", (0, len(ys)), (body,)
            case la.Call(_, xs, ys):
                return "Call", (len(xs), len(ys)), ()
            case la.Drop(a):
                nl, lin = self.typing.of(a)
                if not lin and not free_vars(a)[1]:
                    return "DropNonlinear", (0, 0), (a,)
                return "Drop", (len(nl), len(lin)), (a,)
            case la.Prim(_, args):
                return "other", (0, 0), args
            case la.LAdd(a, b) | la.LScale(a, b) | la.LDiv(a, b):
                return "other", (0, 0), (a, b)
            case la.Dup(a):
                return "other", (0, 0), (a,)
            case la.Ret() | la.Var() | la.Lit() | la.Tup() | la.LVar() | la.LTup() | la.Zero():
                return "other", (0, 0), ()
            case la.Hole():  # `node` answers for a hole before asking its row
                raise InternalError(f"the step table has no row for the metavariable ?{e.name}")
            case _:
                assert_never(e)


@deep
def predicted_steps(program: la.Program, func: str, typing: Typing | None = None,
                    holes: dict | None = None) -> tuple[int, int]:
    """(steps of ⟦func⟧ applied to its arguments, ‖func‖), from the table; `holes` gives
    each metavariable's (steps, ‖·‖) (symbols, for E3's induction)."""
    f = program.get(func)
    s, w = _Steps(program, typing or check_program(program), holes).func(func)
    es, ew = ROWS["entry"](PyOps, len(f.nl_params), len(f.lin_params))
    return s + es, w + ew
