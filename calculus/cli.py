"""The `llad` command line.

    llad check FILE                 signatures of every function, or the errors
    llad compile FILE.py            the surface program as Linear A
    llad eval FILE FUNC --at ARGS   value, work (both cost models) and size
    llad work FILE FUNC             static work and size
    llad jvp|unzip|transpose FILE FUNC   the transformed program (core syntax)
    llad grad FILE FUNC --at ARGS   gradient by T∘U∘J
    llad grad … --via ll            the same gradient by T_LL∘F∘⟦·⟧ inside λLL
    llad encode FILE FUNC           the encoding ⟦·⟧ of FUNC as a λLL program
    llad ll …                       the λLL calculus (check, eval, proof)

FILE is a surface `.py` or a Linear A `.la` file.  ARGS is `x=1.5,v=(2,3)` or a JSON
object `{"x": 1.5, "v": [2, 3]}`; in `--symbolic` mode numbers are exact and missing
parameters become symbols.  `--json` prints machine-readable output (tuples as lists).
Exit codes: 0 success, 1 user error (one line on stderr, no traceback), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from fractions import Fraction
from typing import Any, Callable

import sympy

from .cost_models import MODELS
from .errors import CalculusError


class UsageError(Exception):
    """Bad command-line usage (exit code 2)."""


# --- arguments ------------------------------------------------------------------------------


def parse_args_text(text: str) -> dict[str, Any]:
    """`x=1.5,v=(2,3)` or a JSON object → {name: number | nested tuple of numbers}.
    Numbers are kept exact (Fraction) until the number mode is known."""
    text = text.strip()
    if text.startswith("{"):
        try:
            obj = json.loads(text, parse_float=Fraction, parse_int=Fraction)
        except json.JSONDecodeError as exc:
            raise UsageError(f"--at: invalid JSON ({exc.msg} at column {exc.colno})") from None
        return {k: _tuples(v) for k, v in obj.items()}
    out: dict[str, Any] = {}
    for item in _split_top(text):
        name, eq, value = item.partition("=")
        if not eq or not re.fullmatch(r"[A-Za-z_][\w.']*", name.strip()):
            raise UsageError(f"--at: expected NAME=VALUE, got {item!r}")
        out[name.strip()] = _value(value.strip())
    return out


def _split_top(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += (ch in "([") - (ch in ")]")
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return parts + [cur] if cur.strip() else parts


def _value(s: str) -> Any:
    if s[:1] in "([" and s[-1:] in ")]":
        inner = s[1:-1].strip()
        return tuple(_value(p.strip()) for p in _split_top(inner)) if inner else ()
    try:
        return Fraction(s)
    except ValueError:
        raise UsageError(f"--at: {s!r} is not a number or a tuple") from None


def _tuples(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(_tuples(x) for x in v)
    if isinstance(v, Fraction):
        return v
    raise UsageError(f"--at: {v!r} is not a number or a list")


def to_mode(v: Any, name: str, num: Any) -> Any:
    """An exact argument value in the backend's number mode."""
    if isinstance(v, tuple):
        return tuple(to_mode(x, name, num) for x in v)
    return num.lit(v)


def symbol_like(t: Any, name: str) -> Any:
    """Symbols shaped like a Linear A type: x, or (v_0, v_1) for a pair."""
    from .linear_a.syntax import RealT
    if isinstance(t, RealT):
        return sympy.Symbol(name, real=True)
    return tuple(symbol_like(s, f"{name}_{i}") for i, s in enumerate(t.elems))


def jsonable(v: Any) -> Any:
    """Tuples as lists; exact integers as ints; other symbolic values as strings."""
    if isinstance(v, tuple):
        return [jsonable(x) for x in v]
    if isinstance(v, float):
        return v
    if isinstance(v, sympy.Integer):
        return int(v)
    return str(v)


def show(v: Any) -> str:
    if isinstance(v, tuple):
        return "(" + ", ".join(show(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return repr(v) if isinstance(v, float) else str(v)


# --- commands ---------------------------------------------------------------------------------


def _load(path: str):
    from .loader import load_program
    return load_program(path)


def _func(program, name: str):
    if name not in program:
        names = ", ".join(f.name for f in program.funcs)
        raise CalculusError("usage", f"no function `{name}` (defined: {names})")
    return program.get(name)


def _inputs(f, at: str | None, symbolic: bool, num) -> tuple[tuple, tuple]:
    """Argument values for f's non-linear and linear parameters, from --at."""
    given = parse_args_text(at) if at else {}
    params = list(f.nl_params) + list(f.lin_params)
    unknown = set(given) - {x for x, _ in params}
    if unknown:
        raise UsageError(f"--at: `{f.name}` has no parameter {', '.join(sorted(unknown))}")
    vals = []
    for x, t in params:
        if x in given:
            vals.append(to_mode(given[x], x, num))
        elif symbolic:
            vals.append(symbol_like(t, x))
        else:
            raise UsageError(f"--at: missing a value for parameter `{x}` of `{f.name}`")
    return tuple(vals[:len(f.nl_params)]), tuple(vals[len(f.nl_params):])


def cmd_check(a) -> int:
    from .linear_a.typecheck import check_program
    prog = _load(a.file)
    check_program(prog)
    sigs = [f.signature for f in prog.funcs]
    print(json.dumps({"functions": sigs}) if a.json else "\n".join(sigs))
    return 0


def cmd_compile(a) -> int:
    from .linear_a.typecheck import check_program
    prog = _load(a.file)
    check_program(prog)
    print(json.dumps({"linear_a": str(prog)}) if a.json else str(prog), end="" if not a.json else "\n")
    return 0


def cmd_eval(a) -> int:
    from .linear_a.evaluate import run
    from .linear_a.typecheck import check_program
    from .linear_a.work import program_size
    from .numbers import backend
    prog = _load(a.file)
    check_program(prog)
    f = _func(prog, a.func)
    num = backend("symbolic" if a.symbolic else "float")
    nl, lin = _inputs(f, a.at, a.symbolic, num)
    r = run(prog, a.func, nl, lin, num=num)
    results = r.nl + r.lin
    value = results[0] if len(results) == 1 else results
    if a.json:
        print(json.dumps({"value": jsonable(value), "work": r.work,
                          "size": program_size(prog, a.func)}))
    else:
        print(f"value: {show(value)}")
        print("work: " + ", ".join(f"{m} {w}" for m, w in r.work.items()))
        print(f"size: {program_size(prog, a.func)}")
        for c in r.conditions:
            print(f"assuming: {c}")
    return 0


def cmd_work(a) -> int:
    from .linear_a.typecheck import check_program
    from .linear_a.work import program_size, work
    prog = _load(a.file)
    typing = check_program(prog)
    _func(prog, a.func)
    w = {m: work(prog, a.func, model, typing) for m, model in MODELS.items()}
    size = program_size(prog, a.func)
    if a.json:
        print(json.dumps({"work": w, "size": size}))
    else:
        print("work: " + ", ".join(f"{m} {n}" for m, n in w.items()) + f"\nsize: {size}")
    return 0


def _transformed(a, build: Callable) -> int:
    from .linear_a.syntax import Program
    from .linear_a.typecheck import check_program
    prog = _load(a.file)
    check_program(prog)
    _func(prog, a.func)
    out = build(prog)
    new = Program(tuple(f for f in out.funcs if f.name not in prog))
    check_program(out)
    text = str(new)
    print(json.dumps({"linear_a": text}) if a.json else text, end="" if not a.json else "\n")
    return 0


def cmd_jvp(a) -> int:
    from .linear_a.jvp import jvp_program
    return _transformed(a, lambda p: jvp_program(p, a.func))


def cmd_unzip(a) -> int:
    from .linear_a.unzip import unzip_program
    return _transformed(a, lambda p: unzip_program(p, a.func, a.policy).program)


def cmd_transpose(a) -> int:
    from .linear_a.transpose import transpose_program
    return _transformed(a, lambda p: transpose_program(p, a.func))


def cmd_grad(a) -> int:
    from .linear_a.grad import grad
    from .linear_a.typecheck import check_program
    from .numbers import backend
    prog = _load(a.file)
    check_program(prog)
    f = _func(prog, a.func)
    if f.lin_params or f.lin_results:
        raise CalculusError("grad", f"`{f.name}` has linear parameters or results; grad applies "
                            "to f(x̄ ;) -> (τ̄ ;)")
    mode = "symbolic" if a.symbolic else "float"
    nl, _ = _inputs(f, a.at, a.symbolic, backend(mode))
    ct = None
    if a.ct:
        cts = parse_args_text(a.ct)
        ct = tuple(to_mode(cts[k], k, backend(mode)) for k in sorted(cts))
    if a.via == "ll":
        from .grad_ll_cli import grad_via_ll_json
        if ct is not None:
            raise UsageError("--ct is supported with --via linear-a only")
        data = grad_via_ll_json(prog, a.func, nl, mode)
        print(json.dumps(data) if a.json else "\n".join(f"{k}: {v}" for k, v in data.items()))
        return 0
    r = grad(prog, a.func, nl, ct=ct, mode=mode, policy=a.policy)
    primal = r.primal[0] if len(r.primal) == 1 else r.primal
    if a.json:
        print(json.dumps({"primal": jsonable(primal), "gradient": jsonable(tuple(r.gradient)),
                          "work": r.work, "tape": r.tape}))
    else:
        print(f"primal: {show(primal)}")
        for (x, _), g in zip(f.nl_params, r.gradient):
            print(f"d/d{x}: {show(g)}")
        print("work: " + ", ".join(f"{m} {w}" for m, w in r.work.items()) + f"\ntape: {r.tape}")
    return 0


# --- the parser ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="llad", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def cmd(name: str, fn: Callable, help: str, func: bool = True) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help, description=help)
        c.add_argument("file", metavar="FILE", help="a surface .py or Linear A .la file")
        if func:
            c.add_argument("func", metavar="FUNC", help="the function")
        c.add_argument("--json", action="store_true", help="machine-readable output")
        c.set_defaults(run=fn)
        return c

    cmd("check", cmd_check, "type-check; print every function's signature", func=False)
    cmd("compile", cmd_compile, "compile a surface program to Linear A", func=False)
    for name, fn, text in [("eval", cmd_eval, "evaluate FUNC at a point"),
                           ("grad", cmd_grad, "gradient of FUNC by T∘U∘J")]:
        c = cmd(name, fn, text)
        c.add_argument("--at", metavar="ARGS", help="x=1.5,v=(2,3) or a JSON object")
        c.add_argument("--symbolic", action="store_true",
                       help="exact sympy evaluation; missing parameters become symbols")
    grad_p = sub.choices["grad"]
    grad_p.add_argument("--policy", choices=["store", "recompute"], default="store",
                        help="checkpoint policy of unzip (default: store)")
    grad_p.add_argument("--ct", metavar="ARGS", help="cotangent per result (default: 1 each)")
    grad_p.add_argument("--via", choices=["linear-a", "ll"], default="linear-a",
                        help="T∘U∘J in Linear A (default), or T_LL∘F∘⟦·⟧ in λLL (no unzip)")
    cmd("work", cmd_work, "static work (both cost models) and size of FUNC")
    cmd("jvp", cmd_jvp, "print FUNC.jvp (and its callees' JVPs)")
    cmd("unzip", cmd_unzip, "print FUNC.nonlin and FUNC.lin").add_argument(
        "--policy", choices=["store", "recompute"], default="store")
    cmd("transpose", cmd_transpose, "print FUNC.T (FUNC must be linear)")
    paper = sub.add_parser("paper", help="re-verify every theorem; regenerate tables and figures",
                           description="re-verify every theorem (pytest proofs/) and write "
                           "paper_figures/out/ (T1–T4, F1)")
    paper.set_defaults(run=lambda a: __import__("paper_figures.paper").paper.main())
    from .encoding_cli import register as register_encode
    from .lambda_ll.cli import register as register_ll
    register_ll(sub)
    register_encode(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # λLL sub-commands register their handler as `func` (they have no FUNC argument)
    fn = getattr(args, "run", None) or args.func
    try:
        return fn(args)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"llad: error: {exc}", file=sys.stderr)
        return 2
    except CalculusError as exc:
        print(f"llad: error: {exc}", file=sys.stderr)
        return 1
    except (OSError, RecursionError) as exc:
        print(f"llad: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
