"""Load programs from files, and list the example corpus.

`load_program` reads a surface program (`.py`, compiled by
`calculus.surface.compile_source`) or a Linear A program (`.la`, parsed by
`calculus.linear_a.parse.parse_program`).  A missing file or an unknown suffix is a
`ParseError` with rule "load".

The corpus is `examples/*.py` of the repository, without `generate.py` and the `ll_*`
files (λLL examples, not surface programs).  A name ending in `_N` (`chain_100`) is
the member of size N of a generated family.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from .errors import ParseError
from .linear_a.parse import parse_program
from .linear_a.syntax import Program
from .surface import compile_source

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
_FAMILY = re.compile(r"(.+)_(\d+)")


def load_program(path: str | Path) -> Program:
    """The Linear A program in a `.py` (surface) or `.la` file."""
    p = Path(path)
    if p.suffix not in (".py", ".la"):
        raise ParseError("load", f"{p}: unknown suffix {p.suffix!r} (expected .py or .la)")
    try:
        text = p.read_text()
    except OSError as exc:
        raise ParseError("load", f"{p}: cannot read ({exc.strerror})") from None
    return compile_source(text, str(p)) if p.suffix == ".py" else parse_program(text, str(p))


def corpus() -> list[Path]:
    """The surface examples, sorted by name."""
    return sorted(p for p in EXAMPLES.glob("*.py")
                  if p.name != "generate.py" and not p.name.startswith("ll_"))


def family_size(name: str) -> int | None:
    """N for a family member `name_N`, None for a hand-written example."""
    m = _FAMILY.fullmatch(name)
    return int(m.group(2)) if m else None


def corpus_programs(max_n: int = 100) -> Iterator[tuple[str, Program]]:
    """(name, compiled program) for the corpus, family members limited to N ≤ max_n."""
    for p in corpus():
        n = family_size(p.stem)
        if n is None or n <= max_n:
            yield p.stem, load_program(p)
