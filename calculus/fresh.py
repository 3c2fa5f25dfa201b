"""A supply of fresh names, shared by every transformation of both calculi."""

from __future__ import annotations

from typing import Iterable


class Fresh:
    """Names not among `taken`, never handed out twice: base, then base{sep}1, base{sep}2, …
    (Linear A names may contain `.`, λLL names may not: `sep` is "." or "")."""

    def __init__(self, taken: Iterable[str] = (), sep: str = ".") -> None:
        self.taken = set(taken)
        self.sep = sep
        self.next: dict[str, int] = {}  # base ↦ the next suffix to try (amortised O(1))

    def __call__(self, base: str) -> str:
        i = self.next.get(base, 0)
        name = f"{base}{self.sep}{i}" if i else base
        while name in self.taken:
            i += 1
            name = f"{base}{self.sep}{i}"
        self.next[base] = i + 1
        self.taken.add(name)
        return name
