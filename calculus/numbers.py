"""Number modes (SPEC §1): `float` (IEEE double), `symbolic` (sympy, exact) and
`mpmath` (50 digits, used only to *refute* identities at random points).

A `Numbers` backend is all an evaluator needs to know about reals: how to embed an
exact literal, how to add and scale (for the linear operations) and how to apply a
primitive of `calculus.primitives.PRIMS`, checking its domain.  Float evaluation outside
a domain raises `DomainError` naming the primitive and the value; symbolic evaluation
records the domain as a side condition in `conditions`.

Numerals (`exact`) are exact rationals `-1.5e3`, `3/4`: llad's reals are finite, so
`inf` and `nan` are not numerals of a real, nor is `1/0`, and an exponent is at most
MAX_EXPONENT (10**MAX_EXPONENT has about as many digits as Python converts to an int).
Float mode embeds a rational only if it is finite as a double (`1e400` is rejected,
`1e-400` rounds to 0.0); symbolic mode keeps it exact (`1e400` is 10**400).  Float
arithmetic itself is IEEE: a product may overflow to `inf`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import mpmath
import sympy

from .errors import DomainError, ParseError, Pos
from .primitives import PRIMS, Op

Real = Any  # a float, a sympy expression, or an mpmath mpf

MAX_EXPONENT = 4300
FLOAT_MAX = Fraction(sys.float_info.max)
_DECIMAL = re.compile(r"[-+]?(\d+(?:\.\d*)?|\.\d+)(?:[eE]([-+]?\d+))?")
_RATIO = re.compile(r"([-+]?\d+(?:\.\d+)?)/(\d+)")
_NONFINITE = re.compile(r"[-+]?(inf|infinity|nan)", re.IGNORECASE)


def exact(text: str, pos: Pos | None = None) -> Fraction:
    """The exact value of a numeral: a decimal with an optional exponent, or `p/q`
    (p a decimal without exponent, q an integer).  A malformed numeral is a ParseError;
    `inf`, `nan`, `p/0` and numerals beyond MAX_EXPONENT are well formed but not reals:
    a DomainError."""
    q = numeral(text, pos)
    if isinstance(q, str):
        raise DomainError("numeral", f"{clip(text.strip())} is not a real ({q})", pos,
                          value=text)
    return q


def numeral(text: str, pos: Pos | None = None) -> Fraction | str:
    """A numeral's exact value, or why it is not a real; ParseError if malformed."""
    text = text.strip()
    if m := _DECIMAL.fullmatch(text):
        if len(text) > MAX_EXPONENT or abs(int(m.group(2) or 0)) > MAX_EXPONENT:
            return f"longer than {MAX_EXPONENT} characters or |exponent| > {MAX_EXPONENT}"
        return Fraction(text)
    if m := _RATIO.fullmatch(text):
        if len(text) > MAX_EXPONENT:
            return f"longer than {MAX_EXPONENT} characters"
        if int(m.group(2)) == 0:
            return "denominator 0"
        return Fraction(m.group(1)) / int(m.group(2))
    if _NONFINITE.fullmatch(text):
        return "llad's reals are finite"
    raise ParseError("numeral", f"{clip(text)!r} is not a number", pos)


def clip(text: str, n: int = 40) -> str:
    """text, cut to n characters for an error message."""
    return text if len(text) <= n else text[:n] + "…"


def is_numeral(text: str) -> bool:
    """Does text have the form of a numeral (`exact` may still reject its value)?"""
    text = text.strip()
    return any(r.fullmatch(text) for r in (_DECIMAL, _RATIO, _NONFINITE))


def fits_float(q: Fraction) -> bool:
    """Is q within the range of a double (it rounds to a finite float)?"""
    return abs(q) <= FLOAT_MAX


@dataclass
class FloatNumbers:
    name: str = "float"

    def lit(self, q: Fraction) -> Real:
        if not fits_float(q):
            raise DomainError("float", f"{clip(str(q))} is not finite as a double "
                              f"(|x| ≤ {sys.float_info.max:.4g})", value=q)
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
