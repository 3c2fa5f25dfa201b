"""The hand-written corpus of ill-typed programs, `tests/ill_typed/*` (theorems A12, L6).

Each file is a sequence of programs, each introduced by a header line
`# expect: RULE [KIND]`: the rule whose error must reject it and, for a structural
error, the `LinearityError.kind`.  `cases(file)` yields them as `IllTyped` records with
the program's source text (parsing is left to the caller: one loader for both calculi).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "ill_typed"
_HEADER = re.compile(r"^# expect: (\S+)(?: (\S+))?$", re.M)


@dataclass(frozen=True)
class IllTyped:
    name: str  # file:line of the header
    source: str
    rule: str
    kind: str | None


def cases(file: str) -> Iterator[IllTyped]:
    text = (CORPUS / file).read_text()
    heads = list(_HEADER.finditer(text))
    for h, nxt in zip(heads, heads[1:] + [None]):
        line = text.count("\n", 0, h.start()) + 1
        body = text[h.end():nxt.start() if nxt else len(text)]
        yield IllTyped(f"{file}:{line}", body, h.group(1), h.group(2))
