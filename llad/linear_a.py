"""The Linear A command group.

    llad check FILE                 signatures of every function, or the errors
    llad compile FILE.py            the surface program as Linear A
    llad eval FILE FUNC --at ARGS   value, work (both cost models) and size
    llad work FILE FUNC             static work and size
    llad jvp|unzip|transpose FILE FUNC   the transformed program (core syntax)
    llad grad FILE FUNC --at ARGS   gradient by T∘U∘J, or by T_LL∘F∘⟦·⟧ with --via ll;
                                    --simplify rewrites T∘U∘J first (`linear_a.simplify`)

FILE is a surface `.py` or a Linear A `.la` file; ARGS is a point (`llad.common`).  In
`--symbolic` mode numbers are exact and missing parameters become symbols.  `--json`
prints machine-readable output (tuples as lists).

`llad grad --via ll --json` has the shape of the Linear A route, plus the λLL measures:

    {"primal": …, "gradient": [...], "work": {model: n}, "tape": null,
     "workload": {model: n}, "structural_steps": n}

There `work` is the λLL workload (repeated under the Linear A route's key), `tape` is
null (no unzip pass: the backpropagator's closure environment holds what T∘U∘J stores on
its tape) and `structural_steps` counts the β- and let-steps of both phases.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, Callable

from calculus.cost_models import MODELS
from calculus.errors import CalculusError
from calculus.limits import limit
from calculus.linear_a.syntax import Program
from calculus.linear_a.typecheck import check_program
from calculus.numbers import backend
from calculus.values import jsonable, show

from .common import (UsageError, cotangents, find_function, program_command,
                     inputs, load)


def register(sub) -> None:
    def cmd(name: str, fn: Callable, help: str, func: bool = True) -> argparse.ArgumentParser:
        return program_command(sub, name, fn, help, func=func)

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
    grad_p.add_argument("--simplify", action="store_true",
                        help="simplify T∘U∘J (cse, dce, 1 *. e, x * 1) and print its static "
                        "work before and after")
    cmd("work", cmd_work, "static work (both cost models) and size of FUNC")
    cmd("jvp", cmd_jvp, "print FUNC.jvp (and its callees' JVPs)")
    cmd("unzip", cmd_unzip, "print FUNC.nonlin and FUNC.lin").add_argument(
        "--policy", choices=["store", "recompute"], default="store")
    cmd("transpose", cmd_transpose, "print FUNC.T (FUNC must be linear)")


def _checked(a) -> Program:
    prog = load(a.file)
    check_program(prog)
    return prog


def _print(a, key: str, text: str) -> None:
    print(json.dumps({key: text}) if a.json else text, end="\n" if a.json else "")


def cmd_check(a) -> int:
    prog = _checked(a)
    sigs = [f.signature for f in prog.funcs]
    print(json.dumps({"functions": sigs}) if a.json else "\n".join(sigs))
    return 0


def cmd_compile(a) -> int:
    _print(a, "linear_a", str(_checked(a)))
    return 0


def cmd_eval(a) -> int:
    from calculus.linear_a.evaluate import run
    from calculus.linear_a.work import program_size
    prog = _checked(a)
    f = find_function(prog, a.func_name)
    num = backend("symbolic" if a.symbolic else "float")
    nl, lin = inputs(f, a.at, a.symbolic, num)
    r = run(prog, a.func_name, nl, lin, num=num)
    results = r.nl + r.lin
    value = results[0] if len(results) == 1 else results
    size = program_size(prog, a.func_name)
    if a.json:
        print(json.dumps({"value": jsonable(value), "work": r.work, "size": size}))
    else:
        print(f"value: {show(value)}")
        print("work: " + ", ".join(f"{m} {w}" for m, w in r.work.items()))
        print(f"size: {size}")
        for c in r.conditions:
            print(f"assuming: {c}")
    return 0


def cmd_work(a) -> int:
    from calculus.linear_a.work import program_size, work
    prog = load(a.file)
    typing = check_program(prog)
    find_function(prog, a.func_name)
    w = {m: work(prog, a.func_name, model, typing) for m, model in MODELS.items()}
    size = program_size(prog, a.func_name)
    if a.json:
        print(json.dumps({"work": w, "size": size}))
    else:
        print("work: " + ", ".join(f"{m} {n}" for m, n in w.items()) + f"\nsize: {size}")
    return 0


def _transformed(a, build: Callable[[Program], Program]) -> int:
    """Print the functions that `build` adds to FUNC's program, after type-checking them."""
    prog = _checked(a)
    find_function(prog, a.func_name)
    out = build(prog)
    check_program(out)
    _print(a, "linear_a", str(Program(tuple(f for f in out.funcs if f.name not in prog))))
    return 0


def cmd_jvp(a) -> int:
    from calculus.linear_a.jvp import jvp_program
    return _transformed(a, lambda p: jvp_program(p, a.func_name))


def cmd_unzip(a) -> int:
    from calculus.linear_a.unzip import unzip_program
    return _transformed(a, lambda p: unzip_program(p, a.func_name, a.policy).program)


def cmd_transpose(a) -> int:
    from calculus.linear_a.transpose import transpose_program
    return _transformed(a, lambda p: transpose_program(p, a.func_name))


def cmd_grad(a) -> int:
    prog = _checked(a)
    f = find_function(prog, a.func_name)
    if f.lin_params or f.lin_results:
        raise CalculusError("grad", f"`{f.name}` has linear parameters or results; grad applies "
                            "to f(x̄ ;) -> (τ̄ ;)")
    mode = "symbolic" if a.symbolic else "float"
    if a.via == "ll" and (a.ct or a.simplify):
        raise UsageError("--ct and --simplify are supported with --via linear-a only")
    nl, _ = inputs(f, a.at, a.symbolic, backend(mode))
    ct = cotangents(f, a.ct, backend(mode)) if a.ct else None
    if a.via == "ll":
        data = grad_via_ll_json(prog, a.func_name, nl, mode)
        print(json.dumps(data) if a.json else "\n".join(f"{k}: {v}" for k, v in data.items()))
        return 0
    from calculus.linear_a.grad import grad, reverse
    rev = reverse(prog, a.func_name, a.policy, simplify=a.simplify)
    r = grad(prog, a.func_name, nl, ct=ct, mode=mode, rev=rev)
    primal = r.primal[0] if len(r.primal) == 1 else r.primal
    simplified = rev.simplified and {
        "rules": dict(rev.simplified.applied), "static_work_before": rev.work(rev.unsimplified),
        "static_work_after": rev.work()}
    if a.json:
        data = {"primal": jsonable(primal), "gradient": jsonable(tuple(r.gradient)),
                "work": r.work, "tape": r.tape}
        print(json.dumps(data | ({"simplify": simplified} if simplified else {})))
    else:
        print(f"primal: {show(primal)}")
        for (x, _), g in zip(f.nl_params, r.gradient):
            print(f"d/d{x}: {show(g)}")
        print("work: " + ", ".join(f"{m} {w}" for m, w in r.work.items()) + f"\ntape: {r.tape}")
        if simplified:
            print(f"simplify: {rev.simplified}\n" + "\n".join(
                f"static work {when}: " + ", ".join(f"{m} {w}" for m, w in ws.items())
                for when, ws in (("before", simplified["static_work_before"]),
                                 ("after", simplified["static_work_after"]))))
    return 0


def grad_via_ll_json(program: Program, func: str, at_values: tuple, mode: str) -> dict[str, Any]:
    """The gradient of `func` at `at_values` (one value per non-linear parameter, in
    the number mode `mode`: "float" or "symbolic") by grad_LL, as JSON-ready data in the
    shape of the module docstring."""
    from calculus.grad_ll import grad_ll
    r = grad_ll(program, func, tuple(at_values), mode, max_steps=limit("LLAD_MAX_STEPS"))
    primal = r.primal[0] if len(r.primal) == 1 else r.primal
    return {"primal": jsonable(primal), "gradient": jsonable(tuple(r.gradient)),
            "work": dict(r.workload), "tape": None, "workload": dict(r.workload),
            "structural_steps": r.steps}
