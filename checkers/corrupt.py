"""Corrupting one node of a derivation (theorems L4×, A13×).

A derivation here is any frozen dataclass with a `premises` tuple of derivations (a
λLL `curry_howard.Proof`, a Linear A `derivation.Derivation`).  `nodes` lists every
node with its path (premise indices from the root); `corrupt_at` rebuilds the
derivation with one node replaced by a corruption of it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Iterator, TypeVar

D = TypeVar("D", bound=Any)
Path = tuple[int, ...]


def nodes(d: D) -> Iterator[tuple[D, Path]]:
    """Every node of d with its path, preorder (iterative: any depth)."""
    stack: list[tuple[D, Path]] = [(d, ())]
    while stack:
        q, path = stack.pop()
        yield q, path
        stack.extend((r, path + (i,)) for i, r in enumerate(q.premises))


def corrupt_at(d: D, path: Path, how: Callable[[D], D | None]) -> D | None:
    """d with the node at `path` replaced by how(node); None when how does not apply."""
    if not path:
        return how(d)
    inner = corrupt_at(d.premises[path[0]], path[1:], how)
    if inner is None:
        return None
    return replace(d, premises=d.premises[:path[0]] + (inner,) + d.premises[path[0] + 1:])
