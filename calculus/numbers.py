"""Number modes (SPEC §1): `float` (IEEE double), `symbolic` (sympy, exact) and
`mpmath` (50 digits, used only to *refute* identities at random points).

A `Numbers` backend is all an evaluator needs to know about reals: how to embed an
exact literal, how to add and scale (for the linear operations) and how to apply a
primitive of `calculus.primitives.PRIMS`, checking its domain.  Float evaluation outside
a domain raises `DomainError` naming the primitive and the value; symbolic evaluation
records the domain as a side condition in `conditions`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import mpmath
import sympy

from .errors import DomainError, Pos
from .primitives import PRIMS, Op

Real = Any  # a float, a sympy expression, or an mpmath mpf


@dataclass
class FloatNumbers:
    name: str = "float"

    def lit(self, q: Fraction) -> Real:
        return float(q)

    def zero(self) -> Real:
        return 0.0

    def add(self, a: Real, b: Real) -> Real:
        return a + b

    def mul(self, a: Real, b: Real) -> Real:
        return a * b

    def prim(self, op: Op, args: tuple[Real, ...], pos: Pos | None = None) -> Real:
        prim = _check_domain(op, args, pos)
        try:
            return prim.float_impl(*args)
        except (OverflowError, ValueError, ZeroDivisionError) as exc:
            raise DomainError(op.value, f"{op.value}{_show(args)} is not a float: {exc}",
                              pos, value=args) from None


@dataclass
class SympyNumbers:
    """Exact symbolic reals.  `conditions` collects the domain side conditions met
    during evaluation (e.g. Ne(y, 0) for a division by y)."""

    name: str = "symbolic"
    conditions: list = field(default_factory=list)

    def lit(self, q: Fraction) -> Real:
        return sympy.Rational(q.numerator, q.denominator)

    def zero(self) -> Real:
        return sympy.Integer(0)

    def add(self, a: Real, b: Real) -> Real:
        return a + b

    def mul(self, a: Real, b: Real) -> Real:
        return a * b

    def prim(self, op: Op, args: tuple[Real, ...], pos: Pos | None = None) -> Real:
        prim = PRIMS[op]
        if prim.domain:
            cond = prim.domain.sympy_cond(*args)
            if cond is sympy.false:
                raise DomainError(op.value, f"{op.value} applied outside its domain "
                                  f"({prim.domain.text}) at {_show(args)}", pos, value=args)
            if cond is not sympy.true:
                self.conditions.append(cond)
        return prim.sympy_impl(*args)


@dataclass
class MpNumbers:
    """mpmath at `dps` digits: for refutation at random points only."""

    dps: int = 50
    name: str = "mpmath"

    def lit(self, q: Fraction) -> Real:
        with mpmath.workdps(self.dps):
            return mpmath.mpf(q.numerator) / q.denominator

    def zero(self) -> Real:
        return mpmath.mpf(0)

    def add(self, a: Real, b: Real) -> Real:
        with mpmath.workdps(self.dps):
            return a + b

    def mul(self, a: Real, b: Real) -> Real:
        with mpmath.workdps(self.dps):
            return a * b

    def prim(self, op: Op, args: tuple[Real, ...], pos: Pos | None = None) -> Real:
        prim = _check_domain(op, args, pos)
        with mpmath.workdps(self.dps):
            return prim.mp_impl(*args)


def _check_domain(op: Op, args: tuple, pos: Pos | None):
    """The primitive's table entry, after checking numeric arguments against its domain."""
    prim = PRIMS[op]
    if prim.domain and not prim.domain.float_ok(*args):
        raise DomainError(op.value, f"{op.value} applied outside its domain "
                          f"({prim.domain.text}) at {_show(args)}", pos, value=args)
    return prim


def _show(args: tuple) -> str:
    return "(" + ", ".join(str(a) for a in args) + ")"


def backend(mode: str) -> FloatNumbers | SympyNumbers | MpNumbers:
    """The backend for a mode name: 'float', 'symbolic' or 'mpmath'."""
    match mode:
        case "float":
            return FloatNumbers()
        case "symbolic":
            return SympyNumbers()
        case "mpmath":
            return MpNumbers()
    raise ValueError(f"unknown number mode {mode!r}")
