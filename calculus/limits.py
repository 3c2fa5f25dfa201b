"""The explicit resource limits, each with its default and environment variable.

    LLAD_MAX_STEPS        λLL structural steps per evaluation in `llad ll eval`
                          (option --max-steps)                         (default 10 000 000)
    LLAD_Z3_RLIMIT        z3's machine-independent resource limit per query  (5 000 000)
    LLAD_Z3_TIMEOUT_MS    z3's wall-clock limit per query, in ms            (60 000)
    LLAD_SYMPY_MAX_TERMS  bound on the terms a sympy zero test may expand to (200 000)

Hitting a limit raises `BudgetExceeded` naming the variable and its value: a limit
never turns into a pass or a hang.  Python's own PYTHONINTMAXSTRDIGITS (default 4300)
bounds the digits of an exact number that can be printed: `int_digits(exc)` names it.
Limits on the *input* (not tunable): a numeral has at most
`calculus.numbers.MAX_EXPONENT` (4300) characters and |exponent|; a point nests at most
`llad.common.MAX_NESTING` (64) deep.
"""

from __future__ import annotations

import os
import sys

from .errors import BudgetExceeded

DEFAULTS = {
    "LLAD_MAX_STEPS": 10_000_000,
    "LLAD_Z3_RLIMIT": 5_000_000,
    "LLAD_Z3_TIMEOUT_MS": 60_000,
    "LLAD_SYMPY_MAX_TERMS": 200_000,
}


def limit(name: str) -> int:
    """The limit's value: the environment variable if set (a positive integer), else
    its default."""
    text = os.environ.get(name)
    if text is None:
        return DEFAULTS[name]
    if (n := positive(text)) is None:
        raise BudgetExceeded("limits", f"{name}={text!r} is not a positive integer", limit=name,
                             value=text)
    return n


def positive(text: str) -> int | None:
    """text as a positive integer, or None."""
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 20 and int(text) > 0 else None


def exceeded(what: str, name: str, value: int, detail: str = "") -> BudgetExceeded:
    """The error for a limit hit while doing `what`."""
    tail = f" ({detail})" if detail else ""
    return BudgetExceeded(what, f"limit {name}={value} exceeded{tail}; raise it to go on",
                          limit=name, value=value)


def int_digits(exc: ValueError) -> BudgetExceeded | None:
    """The BudgetExceeded for Python's int-to-text digit limit, if exc is that."""
    if "integer string conversion" not in str(exc):
        return None
    n = sys.get_int_max_str_digits()
    return exceeded("print", "PYTHONINTMAXSTRDIGITS", n, "an exact number too long to print")
