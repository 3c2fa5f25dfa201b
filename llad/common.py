"""What the command groups share: the usage error, the FILE/FUNC/--json arguments,
loading a program, finding a function, and the point syntax of `--at` and `--ct`.

A point is `x=1.5,v=(2,3)` or a JSON object `{"x": 1.5, "v": [2, 3]}`.  Numbers are kept
exact (`Fraction`) until the number mode is known.
"""

from __future__ import annotations

import argparse
import json
import re
from fractions import Fraction
from typing import Any

from calculus.linear_a.syntax import FunDef, Program
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


def parse_point(text: str, option: str = "--at") -> dict[str, Any]:
    """`x=1.5,v=(2,3)` or a JSON object → {name: Fraction | nested tuple of Fractions}."""
    text = text.strip()
    if text.startswith("{"):
        try:
            obj = json.loads(text, parse_float=Fraction, parse_int=Fraction)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{option}: invalid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(obj, dict):
            raise UsageError(f"{option}: expected a JSON object")
        return {k: _from_json(v, option) for k, v in obj.items()}
    out: dict[str, Any] = {}
    for item in _split_top(text):
        name, eq, value = item.partition("=")
        if not eq or not re.fullmatch(r"[A-Za-z_][\w.']*", name.strip()):
            raise UsageError(f"{option}: expected NAME=VALUE, got {item!r}")
        out[name.strip()] = _value(value.strip(), option)
    return out


def _split_top(text: str) -> list[str]:
    """Split at the commas outside parentheses and brackets."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += (ch in "([") - (ch in ")]")
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return parts + [cur] if cur.strip() else parts


def _value(s: str, option: str) -> Any:
    if s[:1] in "([" and s[-1:] in ")]":
        inner = s[1:-1].strip()
        return tuple(_value(p.strip(), option) for p in _split_top(inner)) if inner else ()
    try:
        return Fraction(s)
    except (ValueError, ZeroDivisionError):
        raise UsageError(f"{option}: {s!r} is not a number or a tuple") from None


def _from_json(v: Any, option: str) -> Any:
    if isinstance(v, list):
        return tuple(_from_json(x, option) for x in v)
    if isinstance(v, Fraction):
        return v
    raise UsageError(f"{option}: {v!r} is not a number or a list")


def to_mode(v: Any, num: Any) -> Any:
    """An exact argument value in the backend's number mode."""
    if isinstance(v, tuple):
        return tuple(to_mode(x, num) for x in v)
    return num.lit(v)


def inputs(f: FunDef, at: str | None, symbolic: bool, num: Any) -> tuple[tuple, tuple]:
    """Argument values for f's non-linear and linear parameters, from `--at`; in
    symbolic mode a missing parameter becomes symbols shaped like its type."""
    given = parse_point(at) if at else {}
    params = list(f.nl_params) + list(f.lin_params)
    unknown = set(given) - {x for x, _ in params}
    if unknown:
        raise UsageError(f"--at: `{f.name}` has no parameter {', '.join(sorted(unknown))}")
    vals = []
    for x, t in params:
        if x in given:
            vals.append(to_mode(given[x], num))
        elif symbolic:
            vals.append(symbol_like(t, x))
        else:
            raise UsageError(f"--at: missing a value for parameter `{x}` of `{f.name}`")
    return tuple(vals[:len(f.nl_params)]), tuple(vals[len(f.nl_params):])
