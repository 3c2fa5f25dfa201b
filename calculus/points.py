"""A point — a value for a parameter or a result — checked against its Linear A type
before any evaluation (issue 15).

A written value is a numeral (text, `calculus.numbers.exact`) or a tuple of written
values.  `check_value(τ, v, mode, where)` returns its exact value (a Fraction, or nested
tuples of them) when

    shape    τ = real and v is a numeral, or τ = (τ1, …, τn) and v is a tuple of n
             values, the i-th checked against τi;
    number   the numeral is a real (not `inf`/`nan`, no zero denominator, exponent
             within MAX_EXPONENT) and, in float mode, finite as a double
             (`1e400` is rejected; in symbolic mode it is the exact rational 10**400),

and otherwise raises `PointError` naming the parameter (and the component), the type
expected and the value given.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from typing import Any, assert_never

from .errors import ParseError, PointError
from .linear_a.syntax import RealT, TupT, Type
from .numbers import clip, fits_float, numeral

Written = str | tuple  # a numeral, or a tuple of written values


Where = tuple[str, str, str]  # (option, name, label): ("--at", "x", "parameter `x` of `f`")


def check_value(t: Type, v: Written, mode: str, where: Where) -> Any:
    """v's exact value if it fits τ in the number mode ("float" or "symbolic")."""
    return _check(t, v, mode, where, ())


def _check(t: Type, v: Written, mode: str, where: Where, path: tuple) -> Any:
    match t:
        case RealT():
            if isinstance(v, tuple):
                raise _error(where, path, "real", v)
            return _number(v, mode, where, path)
        case TupT(elems):
            if not isinstance(v, tuple) or len(v) != len(elems):
                raise _error(where, path, str(t), v)
            return tuple(_check(s, x, mode, where, path + (i,))
                         for i, (s, x) in enumerate(zip(elems, v)))
        case _:
            assert_never(t)


def _number(v: str, mode: str, where: Where, path: tuple) -> Fraction:
    try:
        q = numeral(v)
    except ParseError as exc:
        raise _error(where, path, "a real", v, exc.message) from None
    if isinstance(q, str):
        raise _error(where, path, "a finite real", v, q)
    if mode == "float" and not fits_float(q):
        raise _error(where, path, f"a real finite as a double (|x| ≤ {sys.float_info.max:.4g})",
                     v, "use --symbolic for exact reals of any size")
    return q


def _error(where: Where, path: tuple, expected: str, found: Written,
           why: str = "") -> PointError:
    option, name, label = where
    component = f", component {'.'.join(map(str, path))}" if path else ""
    shown = clip(show_written(found))
    tail = f" ({why})" if why else ""
    return PointError(option, f"{label}{component}: expected {expected}, got {shown}{tail}",
                      var=name, expected=expected, found=shown)


def show_written(v: Written) -> str:
    """A written value as the user wrote it: `1.5`, `(2, 3)`, `()`."""
    if isinstance(v, tuple):
        return "(" + ", ".join(map(show_written, v)) + ("," if len(v) == 1 else "") + ")"
    return v or "nothing"
