"""Values shaped like Linear A types, and their printed and JSON forms.

    symbol_like(τ, x)   sympy symbols shaped like τ: x : real, or (x_0, x_1) : real ⊗ real
    jsonable(v)         tuples as lists, exact integers as ints, other symbolic values and
                        non-finite floats as strings
    show(v)             the printed form: floats by repr, tuples with a trailing comma for 1-tuples
"""

from __future__ import annotations

import math
from typing import Any

import sympy

from .linear_a.syntax import RealT, Type


def symbol_like(t: Type, name: str) -> Any:
    """Symbols shaped like a Linear A type: x, or (v_0, v_1) for a pair."""
    if isinstance(t, RealT):
        return sympy.Symbol(name, real=True)
    return tuple(symbol_like(s, f"{name}_{i}") for i, s in enumerate(t.elems))


def jsonable(v: Any) -> Any:
    """Tuples as lists; exact integers as ints; other symbolic values as strings."""
    if isinstance(v, tuple):
        return [jsonable(x) for x in v]
    if isinstance(v, float):  # IEEE overflow (`inf`, `nan`) as text: valid JSON
        return v if math.isfinite(v) else repr(v)
    if isinstance(v, sympy.Integer):
        return int(v)
    return str(v)


def show(v: Any) -> str:
    """A value as `llad eval` prints it."""
    if isinstance(v, tuple):
        return "(" + ", ".join(show(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return repr(v) if isinstance(v, float) else str(v)
