"""What the command groups share: the usage error, the FILE/FUNC/--json arguments,
loading a program, finding a function, and the point syntax of `--at` and `--ct`.

A point is `x=1.5,v=(2,3)` or a JSON object `{"x": 1.5, "v": [2, 3]}`.  Its syntax is
checked here (bad usage, exit 2); its fit to FUNC's signature — names, arity, tuple
shapes, numbers that are reals and, in float mode, finite doubles — by
`calculus.points` before any evaluation (a `PointError`, exit 1).
"""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from calculus.errors import PointError
from calculus.limits import positive
from calculus.linear_a.syntax import FunDef, Program
from calculus.numbers import clip, is_numeral
from calculus.points import check_value
from calculus.values import symbol_like


class UsageError(Exception):
    """Bad command-line usage: a malformed option value, an unknown function or
    parameter (exit code 2)."""


# --- arguments shared by the command groups -------------------------------------------------


def add_file(p: argparse.ArgumentParser, what: str = "a surface .py or Linear A .la file") -> None:
    p.add_argument("file", metavar="FILE", help=what)


def add_func(p: argparse.ArgumentParser, what: str = "the function") -> None:
    # dest `func_name`: argparse's `func` is the handler of the λLL group
    p.add_argument("func_name", metavar="FUNC", help=what)


def add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output")


def program_command(sub, name: str, run, help: str, description: str | None = None,
                    func: bool = True, json: bool = True) -> argparse.ArgumentParser:
    """A sub-command on a program file: FILE, FUNC (unless `func` is false) and `--json`
    (unless `json` is false); `run(args)` is its handler."""
    p = sub.add_parser(name, help=help, description=description or help)
    add_file(p)
    if func:
        add_func(p)
    if json:
        add_json(p)
    p.set_defaults(run=run)
    return p


def positive_int(text: str) -> int:
    """argparse type: a positive integer (a limit)."""
    if (n := positive(text)) is None:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {clip(text)!r}")
    return n


# --- programs -----------------------------------------------------------------------------------


def load(path: str) -> Program:
    """A surface `.py` or Linear A `.la` file as a Linear A program (not yet type-checked)."""
    from calculus.loader import load_program
    return load_program(path)


def find_function(program: Program, name: str) -> FunDef:
    """FUNC in the program, or a usage error listing the functions it defines."""
    if name not in program:
        names = ", ".join(f.name for f in program.funcs)
        raise UsageError(f"no function `{name}` (defined: {names})")
    return program.get(name)


# --- points -------------------------------------------------------------------------------------

MAX_NESTING = 64  # tuple depth of a point; deeper is bad usage


def parse_point(text: str, option: str = "--at") -> dict[str, Any]:
    """`x=1.5,v=(2,3)` or a JSON object → {name: written value}: numerals stay text
    (`calculus.points` checks them against the signature); a value that is neither a
    numeral nor a tuple is bad usage."""
    text = text.strip()
    if text.startswith("{"):
        try:
            obj = json.loads(text, parse_float=str, parse_int=str, parse_constant=str,
                             object_pairs_hook=lambda kv: _unique(kv, option))
        except (json.JSONDecodeError, RecursionError) as exc:
            where = f" ({exc.msg} at column {exc.colno})" if isinstance(exc, ValueError) else ""
            raise UsageError(f"{option}: invalid JSON{where}") from None
        if not isinstance(obj, dict):
            raise UsageError(f"{option}: expected a JSON object")
        return {k: _from_json(v, option, 0) for k, v in obj.items()}
    pairs = []
    for item in _split_top(text):
        name, eq, value = item.partition("=")
        if not eq or not re.fullmatch(r"[A-Za-z_][\w.']*", name.strip()):
            raise UsageError(f"{option}: expected NAME=VALUE, got {clip(item)!r}")
        pairs.append((name.strip(), _value(value.strip(), option, 0)))
    return _unique(pairs, option)


def _unique(pairs: list[tuple[str, Any]], option: str) -> dict[str, Any]:
    names = [k for k, _ in pairs]
    if dup := sorted({k for k in names if names.count(k) > 1}):
        raise UsageError(f"{option}: {', '.join(dup)} given more than once")
    return dict(pairs)


def _split_top(text: str) -> list[str]:
    """Split at the commas outside parentheses and brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "([") - (ch in ")]")
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return parts + [text[start:]] if text[start:].strip() else parts


def _value(s: str, option: str, depth: int) -> Any:
    _nesting(depth, option)
    if s.startswith(("(", "[")) and s.endswith((")", "]")):
        inner = s[1:-1].strip()
        return tuple(_value(p.strip(), option, depth + 1) for p in _split_top(inner)) \
            if inner else ()
    if s and not is_numeral(s):
        raise UsageError(f"{option}: {clip(s)!r} is not a number or a tuple")
    return s


def _from_json(v: Any, option: str, depth: int) -> Any:
    _nesting(depth, option)
    if isinstance(v, list):
        return tuple(_from_json(x, option, depth + 1) for x in v)
    if isinstance(v, str):  # a JSON number or NaN/Infinity, kept as text
        return v
    raise UsageError(f"{option}: {clip(repr(v))} is not a number or a list")


def _nesting(depth: int, option: str) -> None:
    if depth > MAX_NESTING:
        raise UsageError(f"{option}: tuples nested deeper than {MAX_NESTING}")


def to_mode(v: Any, num: Any) -> Any:
    """An exact value in the backend's number mode."""
    if isinstance(v, tuple):
        return tuple(to_mode(x, num) for x in v)
    return num.lit(v)


def inputs(f: FunDef, at: str | None, symbolic: bool, num: Any) -> tuple[tuple, tuple]:
    """Argument values for f's non-linear and linear parameters from `--at`, each
    checked against its parameter's type (`calculus.points`); in symbolic mode a missing
    parameter becomes symbols shaped like its type.  An unknown or (in float mode)
    missing parameter is bad usage."""
    given = parse_point(at, "--at") if at else {}
    params = list(f.nl_params) + list(f.lin_params)
    unknown = [x for x in given if x not in {y for y, _ in params}]
    if unknown:
        raise UsageError(f"--at: `{f.name}` has no parameter {', '.join(unknown)} "
                         f"(parameters: {', '.join(x for x, _ in params) or 'none'})")
    vals = []
    for x, t in params:
        if x in given:
            where = ("--at", x, f"parameter `{x}` of `{f.name}`")
            vals.append(to_mode(check_value(t, given[x], num.name, where), num))
        elif symbolic:
            vals.append(symbol_like(t, x))
        else:
            raise UsageError(f"--at: missing a value for parameter `{x}` of `{f.name}`")
    return tuple(vals[:len(f.nl_params)]), tuple(vals[len(f.nl_params):])


def cotangents(f: FunDef, ct: str, num: Any) -> tuple:
    """One cotangent per non-linear result of f from `--ct NAME=VALUE,…` (names are
    free; values are taken in the order written), each checked against its result's
    type."""
    given = list(parse_point(ct, "--ct").items())
    if len(given) != len(f.nl_results):
        raise PointError("--ct", f"`{f.name}` has {len(f.nl_results)} results "
                         f"({', '.join(map(str, f.nl_results))}), --ct gives {len(given)} values",
                         var=None, expected=str(len(f.nl_results)), found=str(len(given)))
    return tuple(to_mode(check_value(t, v, num.name, ("--ct", x, f"cotangent `{x}` of result "
                                                             f"{i} of `{f.name}`")), num)
                 for i, (t, (x, v)) in enumerate(zip(f.nl_results, given)))
