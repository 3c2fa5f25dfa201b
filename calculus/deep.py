"""Deep recursion without RecursionError.

Programs in A-normal form are long chains of nested `let`s (chain_10000 nests 10 000
deep).  Every pass is written as ordinary structural recursion, one case per
constructor; `@deep` runs the outermost call in a worker thread with a large stack and
a raised recursion limit, so the recursion depth is bounded by memory, not by
Python's default limit of 1000.  Nested `@deep` calls run inline.
"""

from __future__ import annotations

import functools
import gc
import sys
import threading
from typing import Callable, TypeVar

T = TypeVar("T")

STACK_BYTES = 1 << 30  # virtual address space only; pages are touched on use
RECURSION_LIMIT = 1_000_000

_state = threading.local()


def deep(fn: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if getattr(_state, "inside", False):
            return fn(*args, **kwargs)
        box: dict = {}

        def run() -> None:
            _state.inside = True
            try:
                box["value"] = fn(*args, **kwargs)
            except BaseException as exc:  # re-raised in the caller's thread
                box["error"] = exc

        old_size = threading.stack_size(STACK_BYTES)
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, RECURSION_LIMIT))
        gc_was_on = gc.isenabled()
        gc.disable()  # ASTs are acyclic; a collector scanning a growing tree is quadratic
        try:
            worker = threading.Thread(target=run, name=f"deep:{fn.__name__}")
            worker.start()
            worker.join()
        finally:
            threading.stack_size(old_size)
            sys.setrecursionlimit(old_limit)
            if gc_was_on:
                gc.enable()
        if "error" in box:
            raise box["error"]
        return box["value"]

    return wrapper
