"""The `llad extract` command: a program, or its gradient, as a self-contained Python module.

    llad extract FILE FUNC [--grad] [--via linear-a|ll] [--policy store|recompute]
                 [--target python|numpy|jax] [-o OUT.py]

writes `calculus.extract.extract`'s module to OUT.py (or stdout): without --grad,
`FUNC(*params)` returns FUNC's results; with --grad, `FUNC_grad(*params)` returns
`(primal, gradient)` shaped as `llad grad --json` prints them.  The module imports only
`math`, `numpy` or `jax.numpy`.  Unknown FUNC is a usage error (exit 2); an ill-typed
program, or one outside grad's fragment, a `CalculusError` (exit 1).
"""

from __future__ import annotations

from pathlib import Path

from calculus.extract import TARGETS, VIAS

from .common import find_function, load, program_command


def register(sub) -> None:
    p = program_command(sub, "extract", cmd_extract,
                        "FUNC (or its gradient) as a self-contained Python module",
                        "write FUNC, or with --grad its gradient, as a Python module that runs "
                        "without llad", json=False)
    p.add_argument("--grad", action="store_true",
                   help="extract FUNC_grad(*params) -> (primal, gradient)")
    p.add_argument("--via", choices=VIAS, default="linear-a",
                   help="T∘U∘J in Linear A (default), or T_LL∘F∘⟦·⟧ in λLL")
    p.add_argument("--policy", choices=["store", "recompute"], default="store",
                   help="checkpoint policy of unzip, with --via linear-a (default: store)")
    p.add_argument("--target", choices=list(TARGETS), default="python",
                   help="primitives from math (default), numpy or jax.numpy")
    p.add_argument("-o", "--output", metavar="OUT.py", help="write here instead of stdout")


def cmd_extract(a) -> int:
    from calculus.extract import extract
    prog = load(a.file)
    find_function(prog, a.func_name)
    text = extract(prog, a.func_name, grad=a.grad, via=a.via, policy=a.policy, target=a.target)
    if a.output:
        Path(a.output).write_text(text)
    else:
        print(text, end="")
    return 0
