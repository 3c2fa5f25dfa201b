"""The hand-written λLL corpus `examples/ll_*.ll`, parsed, type-checked and evaluated
once, for the theorem checkers in proofs/.

Each `Entry` gives a program, its Γ (the types of all definitions) and the values of
its definitions (float mode).  `applied(body, ty, arg)` is the term `body a1 … an`
where the arguments close a definition up to its first non-function type.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable

from .evaluate import Value, evaluate_defs
from .parse import parse_program
from .syntax import App, Lolli, Program, Term, Type
from .typecheck import check_program

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass(frozen=True)
class Entry:
    file: str
    program: Program
    gamma: dict[str, Type]  # Γ: every definition's type
    values: dict[str, Value]  # each definition evaluated once (float mode)


@cache
def corpus() -> tuple[Entry, ...]:
    """Every examples/ll_*.ll file (sorted); they must all type-check."""
    entries = []
    for path in sorted(EXAMPLES.glob("ll_*.ll")):
        program = parse_program(path.read_text(), path.name)
        gamma = check_program(program)
        values, _ = evaluate_defs(program)
        entries.append(Entry(path.name, program, gamma, values))
    return tuple(entries)


def applied(head: Term, ty: Type, arg: Callable[[Type], Term]) -> tuple[Term, Type]:
    """(head a1 … an, B) for head : ty = A1 ⊸ … ⊸ An ⊸ B, B not a ⊸, and ai = arg(Ai)."""
    term = head
    while isinstance(ty, Lolli):
        term, ty = App(term, arg(ty.dom)), ty.cod
    return term, ty
