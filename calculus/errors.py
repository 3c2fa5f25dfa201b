"""One error hierarchy for every calculus, transformation and front end.

User errors derive from `CalculusError`; each carries the *rule* that rejected the
input, a human message and, where known, the source position.  Tests assert the class
and the fields, never the prose.  `InternalError` is kept apart: it signals a bug in
llad, not in the user's program.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pos:
    """A source position: 1-based line and column, optional file name."""

    line: int
    col: int
    file: str | None = None

    def __str__(self) -> str:
        where = f"{self.line}:{self.col}"
        return f"{self.file}:{where}" if self.file else where


@dataclass(eq=False)
class CalculusError(Exception):
    """Base class of all user-facing errors.

    rule    -- name of the rule / construct that rejected the input (e.g. `Let`, `⊸E`)
    message -- one-line explanation
    pos     -- source position, when the input came from text
    """

    rule: str
    message: str
    pos: Pos | None = None

    def __str__(self) -> str:
        where = f"{self.pos}: " if self.pos else ""
        return f"{where}[{self.rule}] {self.message}"


@dataclass(eq=False)
class ParseError(CalculusError):
    """Concrete syntax that the grammar does not accept."""


@dataclass(eq=False)
class ScopeError(CalculusError):
    """An unbound variable or function, or a duplicate definition."""

    name: str | None = None


@dataclass(eq=False)
class TypeCheckError(CalculusError):
    """A typing rule does not apply.

    var      -- the variable at fault, if any
    expected -- the type (or arity) the rule needs, printed
    found    -- the type (or arity) it got, printed
    """

    var: str | None = None
    expected: str | None = None
    found: str | None = None


@dataclass(eq=False)
class PointError(TypeCheckError):
    """A point (`--at`, `--ct`) that does not fit the function's signature: `var` is the
    parameter, `expected` its type (or the kind of number), `found` what was given."""


@dataclass(eq=False)
class LinearityError(TypeCheckError):
    """A structural rule is violated.

    kind is one of
      "linear-used-twice"     a linear variable consumed more than once (no dup)
      "linear-unused"         a linear variable never consumed (no drop)
      "nonlinear-unused"      a non-linear variable never used (Linear A has no weakening)
      "linear-in-nonlinear"   a linear variable consumed where Δ must be empty
    """

    kind: str = ""


@dataclass(eq=False)
class OutOfFragment(CalculusError):
    """A program outside the fragment a transformation accepts; `rule` names the
    transformation (J, U, T, F, T_LL)."""

    @property
    def transformation(self) -> str:
        return self.rule


@dataclass(eq=False)
class DomainError(CalculusError):
    """A primitive applied outside its domain (division by zero, log of a non-positive
    number, overflow)."""

    value: object = None


@dataclass(eq=False)
class BudgetExceeded(CalculusError):
    """A resource limit was hit before the question was decided (never a pass).

    limit -- the limit's name: its environment variable or option (`LLAD_MAX_STEPS`)
    value -- the limit in force
    """

    limit: str = ""
    value: object = None


@dataclass(eq=False)
class SurfaceError(CalculusError):
    """A construct of the Python subset that llad does not support."""

    construct: str = ""


@dataclass(eq=False)
class InternalError(Exception):
    """A broken invariant inside llad (a bug), never the user's fault."""

    message: str

    def __str__(self) -> str:
        return f"bug: {self.message}"
