"""Work of simplified gradients beside JAX's jaxpr and XLA's optimised HLO (issue 14).

    python benchmarks/bench_simplify.py [--no-jax] [--max-n 100]

One markdown row per corpus program (family members N ≤ --max-n) and per
chain/horner/sumprod at N = 10³:

  W(f)           static work of f, arithmetic cost model
  W(grad)        W(f.jvp.nonlin) + W(f.jvp.lin.T) of T(U(J f)), store policy
  W(simp)        the same after `simplify_program` (rules applied in the last column)
  s              seconds of `simplify_program` on T(U(J f)) (process CPU time)
  eqns(grad)     leaf equations of `jax.make_jaxpr(jax.grad(Σ f))` (`checkers.jax_oracle`)
  XLA arith      in the optimised HLO of `jax.jit(jax.grad(Σ f))` —
                 `.lower(*x).compile().as_text()` — the instructions of the ENTRY
                 computation and of the computations its `fusion` instructions call
                 (transitively) whose opcode is arithmetic: add subtract multiply
                 divide negate sine cosine exponential log sqrt rsqrt tanh power
                 (not parameters, constants, tuples, broadcasts, fusion calls, copies)
  XLA all        every instruction of those computations (parameters, fusion calls,
                 copies and tuples included)

JAX is optional: without it (or with --no-jax) its three columns read "—".  Note that
our gradient also returns the primal value (f.jvp.nonlin computes it), while
`jax.grad` does not, so XLA may delete the primal computation where we cannot.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the repository root, when run as a script

from calculus.cost_models import MODELS  # noqa: E402
from calculus.linear_a.grad import reverse  # noqa: E402
from calculus.linear_a.simplify import RULES, simplify_program  # noqa: E402
from calculus.linear_a.work import work  # noqa: E402
from calculus.loader import EXAMPLES, corpus_programs, load_program  # noqa: E402
from checkers import jax_oracle  # noqa: E402
from checkers.corpus import fixed_point  # noqa: E402

ARITH = frozenset("add subtract multiply divide negate sine cosine exponential log sqrt rsqrt "
                  "tanh power".split())
LARGE = ("chain_1000", "horner_1000", "sumprod_1000")
NO = "—"
_INSTR = re.compile(r"^\s*(?:ROOT\s+)?%?[\w.\-]+\s*=\s*.*?\s([a-z][\w\-]*)\(")
_COMP = re.compile(r"^(ENTRY\s+)?%?([\w.\-]+)\s.*\{\s*$")
_CALLS = re.compile(r"calls=%?([\w.\-]+)")


def hlo_counts(text: str) -> tuple[int, int]:
    """(arithmetic, all) instructions of the ENTRY computation and of the computations
    its fusion instructions call (transitively), in HLO text."""
    comps: dict[str, list[str]] = {}
    entry, current = None, None
    for line in text.splitlines():
        if m := _COMP.match(line):
            current = m.group(2)
            comps[current] = []
            entry = current if m.group(1) else entry
        elif line.strip() == "}":
            current = None
        elif current is not None and _INSTR.match(line):
            comps[current].append(line)
    todo, seen = [entry], set()
    while todo:
        name = todo.pop()
        if name in seen or name not in comps:
            continue
        seen.add(name)
        todo += [c for line in comps[name] if " fusion(" in line for c in _CALLS.findall(line)]
    ops = [_INSTR.match(line).group(1) for name in seen for line in comps[name]]
    return sum(op in ARITH for op in ops), len(ops)


def jax_row(name: str) -> list:
    """eqns(grad f), XLA arithmetic and all instructions of jit(grad f)."""
    jax = jax_oracle.jax
    source = (EXAMPLES / f"{name}.py").read_text()
    at = fixed_point(load_program(EXAMPLES / f"{name}.py").get(name))
    if not at:
        return [0, 0, 0]
    g = jax.grad(jax_oracle.summed(jax_oracle.jax_function(source, name)),
                 argnums=tuple(range(len(at))))
    eqns = jax_oracle.count_equations(jax.make_jaxpr(g)(*at))
    return [eqns, *hlo_counts(jax.jit(g).lower(*at).compile().as_text())]


def row(name: str, program, with_jax: bool) -> list:
    arith = MODELS["arithmetic"]
    rev = reverse(program, name, "store")
    start = time.process_time()
    simplified, report = simplify_program(rev.program)
    seconds = time.process_time() - start
    w_grad = rev.work()["arithmetic"]
    w_simp = rev.work(simplified)["arithmetic"]
    rules = ", ".join(f"{r} {report.applied[r]}" for r in RULES if report.applied[r]) or "none"
    jax_cols = jax_row(name) if with_jax else [NO, NO, NO]
    return [name, work(program, name, arith), w_grad, w_simp, f"{seconds:.2f}", *jax_cols, rules]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-jax", action="store_true", help="leave the JAX columns out")
    ap.add_argument("--max-n", type=int, default=100, help="family members up to this N")
    a = ap.parse_args(argv)
    with_jax = not a.no_jax and jax_oracle.jax_available()
    programs = list(corpus_programs(a.max_n)) + [(n, load_program(EXAMPLES / f"{n}.py"))
                                                 for n in LARGE]
    head = ["program", "W(f)", "W(grad)", "W(simp)", "s", "eqns(grad)", "XLA arith",
            "XLA all", "rules applied"]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for name, program in programs:
        print("| " + " | ".join(map(str, row(name, program, with_jax))) + " |", flush=True)


if __name__ == "__main__":
    main()
