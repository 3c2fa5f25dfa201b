"""The non-linear primitives: one table, one row per primitive (SPEC §1).

Each row of `PRIMS` gives the arity, the concrete-syntax symbol, the float, sympy and
mpmath implementations, the domain and the cost.  The derivative rules are the second
table, `PARTIALS` (autodidax's `jvp_rules`): op ↦ its *partial derivatives*, written in
the tiny calculus-independent language `Partial` below, which the AD kernel
(`calculus.ad`) turns into the terms of either calculus (Linear A's J, λLL's F).  Partials may mention the arguments and the
primitive's own result, so that e.g. d exp(x) = exp(x)·dx reuses the value already
computed (the YOLO paper's "derivative values are computed once").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import Callable

import mpmath
import sympy


class Op(Enum):
    ADD = "add"
    SUB = "sub"
    MUL = "mul"
    DIV = "div"
    NEG = "neg"
    SIN = "sin"
    COS = "cos"
    EXP = "exp"
    LOG = "log"


# --- the language of partial derivatives -----------------------------------------


@dataclass(frozen=True, slots=True)
class One:
    """The partial derivative is the constant 1: the tangent passes unscaled."""


@dataclass(frozen=True, slots=True)
class Const:
    """A constant partial derivative (e.g. -1 for neg)."""

    value: Fraction


@dataclass(frozen=True, slots=True)
class Arg:
    """The i-th argument of the primitive (0-based)."""

    index: int


@dataclass(frozen=True, slots=True)
class Res:
    """The primitive's own result."""


@dataclass(frozen=True, slots=True)
class App:
    """A primitive applied to partial expressions."""

    op: Op
    args: tuple["Partial", ...]


Partial = One | Const | Arg | Res | App


# --- domains ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Domain:
    """Side condition on the arguments.

    float_ok  -- decides the condition on float arguments
    sympy_cond-- the same condition as a sympy relational (a side condition in
                 symbolic mode)
    text      -- the condition in words, for error messages
    """

    float_ok: Callable[..., bool]
    sympy_cond: Callable[..., object]
    text: str


ANYWHERE = None


# --- the table -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Primitive:
    """One row of the primitive table."""

    op: Op
    arity: int
    symbol: str  # infix symbol (`+`) or function name (`sin`) in concrete syntax
    infix: bool
    float_impl: Callable[..., float]
    sympy_impl: Callable[..., object]
    mp_impl: Callable[..., object]
    domain: Domain | None
    cost: int = 1


def _neg_partial(p: Partial) -> Partial:
    return App(Op.NEG, (p,))


X, Y, Z = Arg(0), Arg(1), Res()

PRIMS: dict[Op, Primitive] = {
    r.op: r
    for r in [
        Primitive(Op.ADD, 2, "+", True, lambda a, b: a + b, lambda a, b: a + b,
                 lambda a, b: a + b, ANYWHERE),
        Primitive(Op.SUB, 2, "-", True, lambda a, b: a - b, lambda a, b: a - b,
                 lambda a, b: a - b, ANYWHERE),
        Primitive(Op.MUL, 2, "*", True, lambda a, b: a * b, lambda a, b: a * b,
                 lambda a, b: a * b, ANYWHERE),
        Primitive(Op.DIV, 2, "/", True, lambda a, b: a / b, lambda a, b: a / b,
                 lambda a, b: a / b,
                 Domain(lambda a, b: b != 0, lambda a, b: sympy.Ne(b, 0), "divisor ≠ 0")),
        Primitive(Op.NEG, 1, "-", True, lambda a: -a, lambda a: -a, lambda a: -a, ANYWHERE),
        Primitive(Op.SIN, 1, "sin", False, math.sin, sympy.sin, mpmath.sin, ANYWHERE),
        Primitive(Op.COS, 1, "cos", False, math.cos, sympy.cos, mpmath.cos, ANYWHERE),
        Primitive(Op.EXP, 1, "exp", False, math.exp, sympy.exp, mpmath.exp, ANYWHERE),
        Primitive(Op.LOG, 1, "log", False, math.log, sympy.log, mpmath.log,
                 Domain(lambda a: a > 0, lambda a: a > 0, "argument > 0")),
    ]
}

PARTIALS: dict[Op, tuple[Partial, ...]] = {
    Op.ADD: (One(), One()),
    Op.SUB: (One(), Const(Fraction(-1))),
    Op.MUL: (Y, X),
    # d(x/y) = dx/y - (x/y)/y dy, reusing the result z = x/y
    Op.DIV: (App(Op.DIV, (Const(Fraction(1)), Y)), _neg_partial(App(Op.DIV, (Z, Y)))),
    Op.NEG: (Const(Fraction(-1)),),
    Op.SIN: (App(Op.COS, (X,)),),
    Op.COS: (_neg_partial(App(Op.SIN, (X,))),),
    Op.EXP: (Z,),  # d exp(x) = exp(x)·dx: the result, computed once
    Op.LOG: (App(Op.DIV, (Const(Fraction(1)), X)),),
}
"""∂ᵢ op(x̄) for each argument i, as `Partial`s (may mention the arguments and the result)."""

OP_BY_NAME: dict[str, Op] = {op.value: op for op in Op}
