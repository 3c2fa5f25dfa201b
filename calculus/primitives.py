"""The non-linear primitives: one table, one row per primitive (SPEC §1).

Each row of `PRIMS` gives the arity, the concrete-syntax symbol, the float, sympy and
mpmath implementations, the domain and the cost.  The derivative rules are the second
table, `PARTIALS` (autodidax's `jvp_rules`): op ↦ its *partial derivatives*, written in
the tiny calculus-independent language `Partial` below, which the AD kernel
(`calculus.ad`) turns into the terms of either calculus (Linear A's J, λLL's F).  Partials may mention the arguments and the
primitive's own result, so that e.g. d exp(x) = exp(x)·dx reuses the value already
computed (the YOLO paper's "derivative values are computed once").

`x ** k` for an integer literal k is the family `PowI(k)`, one unary primitive per k
(JAX's `integer_pow`, whose exponent is a parameter, not an operand): written
`powi[k](e)` in both calculi, `x ** k` in Python.  The exponent belongs to the operator,
so no pass ever sees it as a term and J never differentiates it.  Its rows are built
from k on demand (`OpTable`): value x^k, domain x ≠ 0 for k < 0 (anywhere for k ≥ 0;
0 ** 0 = 1, as in Python and JAX), partial k·x^(k−1) with k = 0, 1, 2 written 0, 1, 2·x,
and cost 1 in both cost models (the models differ only on the linear operations): one
`x ** k` is one primitive application, whatever k.  Iterating a table lists the fixed
ops only; `OPS` adds one exponent per branch of the family's rows (`POWI_CASES`), and
every check that enumerates primitives enumerates `OPS`.

`sqrt` is defined for x > 0 only, value and derivative alike (like `log`): its
partial 1/(2·sqrt x) is undefined at 0, and the theorems state that J's output is
defined wherever its source is (A4's side conditions), so `sqrt(0)` is a domain error
here although `math.sqrt(0) = 0`.  `tanh` is total, with partial 1 − tanh(x)²
(the result squared by powi[2]).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
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
    SQRT = "sqrt"
    TANH = "tanh"


@dataclass(frozen=True, slots=True)
class PowI:
    """x ** k for the integer literal k (module docstring): `powi[k](e)`."""

    k: int

    @property
    def value(self) -> str:
        return f"powi[{self.k}]"


PrimOp = Op | PowI
POWI_MAX = 10**9 - 1  # |k| ≤ POWI_MAX: an exponent is at most nine digits
POWI_NAME = re.compile(r"powi\[(-?\d{1,9})\]")

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

    op: "PrimOp"
    args: tuple["Partial", ...]


@dataclass(frozen=True, slots=True)
class Recip:
    """The partial derivative 1/p, at the top of a table entry only: J and F divide the
    tangent by p (`ȧ /. p`, JAX's `div` linear in its first argument) instead of
    computing the reciprocal and scaling by it, one operation instead of two."""

    of: "Partial"


Partial = One | Const | Arg | Res | App | Recip


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
POSITIVE = Domain(lambda a: a > 0, lambda a: a > 0, "argument > 0")
NONZERO = Domain(lambda a: a != 0, lambda a: sympy.Ne(a, 0), "argument ≠ 0")


# --- the table -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Primitive:
    """One row of the primitive table."""

    op: PrimOp
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


class OpTable(dict):
    """A table keyed by primitive: the rows of `Op` are stored, the row of `PowI(k)` is
    built by `family(k)` when looked up and not stored (so iteration lists the fixed
    ops, and a broken-rule test may still patch one exponent with `setitem`)."""

    def __init__(self, rows: dict, family: Callable[[int], object]) -> None:
        super().__init__(rows)
        self.family = family

    def __missing__(self, op: object) -> object:
        if isinstance(op, PowI):
            return self.family(op.k)
        raise KeyError(op)


def _powi_row(k: int) -> Primitive:
    return Primitive(PowI(k), 1, PowI(k).value, False, lambda a: a ** k, lambda a: a ** k,
                     lambda a: a ** k, NONZERO if k < 0 else ANYWHERE)


NO_PARTIAL = Const(Fraction(0))
"""A partial derivative that is 0 everywhere (powi[0]): J and F give no tangent term to
such an argument (symbolic zeros)."""


def _powi_partial(k: int) -> tuple[Partial, ...]:
    """d x^k = k·x^(k−1)·dx, with x^0 = 1 and x^1 = x written out."""
    match k:
        case 0:
            return (NO_PARTIAL,)
        case 1:
            return (One(),)
        case 2:
            return (App(Op.MUL, (Const(Fraction(2)), X)),)
        case _:
            return (App(Op.MUL, (Const(Fraction(k)), App(PowI(k - 1), (X,)))),)


PRIMS: dict[PrimOp, Primitive] = OpTable({
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
        Primitive(Op.LOG, 1, "log", False, math.log, sympy.log, mpmath.log, POSITIVE),
        Primitive(Op.SQRT, 1, "sqrt", False, math.sqrt, sympy.sqrt, mpmath.sqrt, POSITIVE),
        Primitive(Op.TANH, 1, "tanh", False, math.tanh, sympy.tanh, mpmath.tanh, ANYWHERE),
    ]
}, _powi_row)

PARTIALS: dict[PrimOp, tuple[Partial, ...]] = OpTable({
    Op.ADD: (One(), One()),
    Op.SUB: (One(), Const(Fraction(-1))),
    Op.MUL: (Y, X),
    # d(x/y) = dx /. y - (x/y)/y dy, reusing the result z = x/y
    Op.DIV: (Recip(Y), _neg_partial(App(Op.DIV, (Z, Y)))),
    Op.NEG: (Const(Fraction(-1)),),
    Op.SIN: (App(Op.COS, (X,)),),
    Op.COS: (_neg_partial(App(Op.SIN, (X,))),),
    Op.EXP: (Z,),  # d exp(x) = exp(x)·dx: the result, computed once
    Op.LOG: (Recip(X),),  # d log(x) = dx /. x
    # d sqrt(x) = dx / (2·sqrt(x)): the result, computed once
    Op.SQRT: (App(Op.DIV, (Const(Fraction(1, 2)), Z)),),
    Op.TANH: (App(Op.SUB, (One(), App(PowI(2), (Z,)))),),  # d tanh(x) = (1 − tanh(x)²)·dx
}, _powi_partial)
"""∂ᵢ op(x̄) for each argument i, as `Partial`s (may mention the arguments and the result)."""

POWI_CASES = (-2, -1, 0, 1, 2, 3)  # one exponent per branch of _powi_row and _powi_partial
OPS: tuple[PrimOp, ...] = (*Op, *(PowI(k) for k in POWI_CASES))
"""The primitives every table-driven check enumerates."""


def representative(op: PrimOp) -> PrimOp:
    """The member of OPS with op's rows up to the exponent: op itself, or PowI(k) with k
    clamped to [-2, 3] (every k ≥ 3, and every k ≤ -2, has the same partial's shape,
    costs and domain); what checks that count primitives count."""
    return PowI(max(POWI_CASES[0], min(op.k, POWI_CASES[-1]))) if isinstance(op, PowI) else op


class _ByName(Mapping):
    """A primitive's name (`sin`, `powi[3]`) ↦ the primitive; the family is not listed."""

    _fixed = {op.value: op for op in Op}

    def __getitem__(self, name: str) -> PrimOp:
        if name in self._fixed:
            return self._fixed[name]
        if isinstance(name, str) and (m := POWI_NAME.fullmatch(name)):
            return PowI(int(m.group(1)))
        raise KeyError(name)

    def __iter__(self):
        return iter(self._fixed)

    def __len__(self) -> int:
        return len(self._fixed)


OP_BY_NAME: Mapping[str, PrimOp] = _ByName()
