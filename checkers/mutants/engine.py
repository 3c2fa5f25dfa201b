"""Applying one mutant in-process, and showing that it changes behaviour.

A mutant's `target` names what it patches:

  "pkg.module:TABLE[key]"   a public table entry: TABLE[key] = eval(new) (key and new are
                            Python expressions evaluated in the module's namespace);
  "pkg.module:Qual.name"    one function or method: the exact snippet `old` (which must
                            occur once in the function's source) is replaced by `new`, the
                            source is re-parsed (the AST must differ) and compiled, and the
                            function's `__code__` is swapped in place — so every reference
                            to it (imports by name, methods, `@deep` wrappers) runs the
                            mutated code.

A target that does not exist, a snippet that is missing or repeated, a rewrite that
leaves the AST unchanged or changes the function's closure are `MutantError`s, never
survivors.  `applied(m)` is a context manager (undone on exit); `witness_changes(m)`
runs the mutant's witness with and without it: a mutant whose witness does not change
would be an equivalent mutant, which the registry must not contain.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import textwrap
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from calculus.errors import CalculusError


class MutantError(Exception):
    """A mutant that cannot be applied as written (a registry bug, not a survivor)."""


@dataclass(frozen=True)
class Mutant:
    """One realistic mistake in a rule: `why` says in one line how it changes behaviour;
    `witness` computes, with production code only, a text that the mutant changes."""

    id: str
    area: str
    why: str
    target: str
    new: str
    old: str | None = None
    witness: Callable[[], str] | None = None


def observe(fn: Callable[[], object]) -> str:
    """The witness's observable outcome: its result, or the calculus error it raises
    (any other exception propagates: a mutant must fail as the calculus fails)."""
    try:
        return repr(fn())
    except CalculusError as exc:
        return f"{type(exc).__name__}: {exc}"


_TABLE = re.compile(r"(\w+)\[(.+)\]", re.S)


def _patch_table(module, spec: str, new: str) -> Callable[[], None]:
    m = _TABLE.fullmatch(spec)
    if not m or not hasattr(module, m[1]):
        raise MutantError(f"no table {spec!r} in {module.__name__}")
    table, ns = getattr(module, m[1]), vars(module)
    key = eval(m[2], ns)
    if key not in table:
        raise MutantError(f"{m[1]} has no entry {m[2]}")
    old = table[key]
    table[key] = eval(new, ns)
    if table[key] is old:
        raise MutantError(f"{spec}: the patch did not take effect")

    def undo() -> None:
        table[key] = old
    return undo


def _function(module, qual: str):
    obj = module
    for part in qual.split("."):
        if not hasattr(obj, part):
            raise MutantError(f"no {qual} in {module.__name__}")
        obj = inspect.getattr_static(obj, part)
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    if isinstance(obj, property):
        obj = obj.fget
    fn = inspect.unwrap(obj)
    if not inspect.isfunction(fn):
        raise MutantError(f"{module.__name__}:{qual} is not a function")
    return fn


def mutated_code(fn, old: str, new: str):
    """fn's code object with the snippet old replaced by new."""
    src = textwrap.dedent(inspect.getsource(fn))
    if src.count(old) != 1:
        raise MutantError(f"{fn.__qualname__}: snippet occurs {src.count(old)} times: {old!r}")
    before, after = ast.parse(src), ast.parse(src.replace(old, new))
    if ast.dump(before) == ast.dump(after):
        raise MutantError(f"{fn.__qualname__}: the rewrite leaves the AST unchanged")
    fdef = after.body[0]
    if not isinstance(fdef, (ast.FunctionDef, ast.AsyncFunctionDef)):
        raise MutantError(f"{fn.__qualname__}: not a function definition")
    fdef.decorator_list = []
    fdef.name = "__mutant_fn__"  # a recursive call still goes through the (mutated) global
    freevars = fn.__code__.co_freevars
    # free variables (e.g. the `__class__` cell of zero-argument super()) are re-created by
    # an enclosing function, so that the new code has the same closure layout
    outer = ast.parse("def __mutant_outer__():\n    pass").body[0]
    outer.body = [ast.parse(f"{v} = None").body[0] for v in freevars] + \
        [fdef, ast.Return(ast.Name(fdef.name, ast.Load()))]
    tree = ast.fix_missing_locations(ast.Module([outer], []))
    ast.increment_lineno(tree, fn.__code__.co_firstlineno - 2)
    ns: dict = {}
    exec(compile(tree, inspect.getsourcefile(fn) or "<mutant>", "exec"), fn.__globals__, ns)
    code = ns["__mutant_outer__"]().__code__.replace(co_name=fn.__code__.co_name,
                                                     co_qualname=fn.__code__.co_qualname)
    if code.co_freevars != freevars:
        raise MutantError(f"{fn.__qualname__}: the rewrite changes the closure "
                          f"{freevars} → {code.co_freevars}")
    return code


def _patch_function(module, qual: str, old: str, new: str) -> Callable[[], None]:
    fn = _function(module, qual)
    original = fn.__code__
    fn.__code__ = mutated_code(fn, old, new)

    def undo() -> None:
        fn.__code__ = original
    return undo


def apply(m: Mutant) -> Callable[[], None]:
    """Apply m; returns the function that undoes it."""
    module_name, _, spec = m.target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise MutantError(f"{m.id}: {exc}") from None
    if m.old is None:
        return _patch_table(module, spec, m.new)
    return _patch_function(module, spec, m.old, m.new)


@contextmanager
def applied(m: Mutant) -> Iterator[None]:
    undo = apply(m)
    try:
        yield
    finally:
        undo()


def witness_changes(m: Mutant) -> tuple[str, str]:
    """(outcome without m, outcome with m) of m's witness; raises MutantError when they
    agree (an equivalent mutant on its own witness)."""
    if m.witness is None:
        raise MutantError(f"{m.id}: no witness")
    before = observe(m.witness)
    with applied(m):
        after = observe(m.witness)
    if before == after:
        raise MutantError(f"{m.id}: the witness does not change ({before[:200]})")
    return before, after
