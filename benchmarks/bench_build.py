"""Build speed of reverse mode: surface source → T(U(J f)), against JAX (issue 14).

    python benchmarks/bench_build.py [--big] [--reps 3] [--no-jax]

For chain_N, horner_N, sumprod_N (N = 10³, 10⁴; `--big` adds N = 10⁵, generated into a
temporary directory by `examples/generate.py`'s sources, llad only) prints one markdown
table, rows in a fixed order, every time the best of `--reps` runs in this process:

  ops            primal operations of f (its `Prim` nodes)
  compile … check  seconds of each llad phase: compile the surface source
                 (`compile_source`), J (`jvp_program`), U (`unzip_program`, store-all),
                 T (`transpose_program`, which type-checks its input f.jvp.lin first),
                 type-check of the result: the gradient program f.jvp.nonlin, f.jvp.lin.T
                 (`check_program(Reverse.gradient_program())`; f and f.jvp are inputs of
                 the build, not its result) [choice]
  llad µs/op     the five phases together, µs per primal operation
  JAX µs/op      `jax.make_jaxpr(jax.grad(f, argnums=all))(*point)` on the same Python
                 source (imported as a module, its `math` functions replaced by
                 `jax.numpy`'s), µs per primal operation; "—" without jax or with --big
  JAX/llad       how many times faster llad builds the reverse pass

A second table gives the size of each function the build produces, in AST nodes per
primal operation: each pass walks its input and allocates its output, so these sizes
are what the µs per operation buy; its last two columns are the floor of any build of
these trees in CPython (`floor`: constructing the nodes J, U and T output, and one bare
walk of every tree a phase reads).  With `--big`, a third table gives the fitted exponent of each phase between N = 10⁴
and 10⁵: log(t(10⁵) / t(10⁴)) / log 10 (1 = linear).  Times are CPU seconds of this
process (`time.process_time`, every thread), which a loaded machine disturbs far less
than wall-clock; `--wall` measures wall-clock (`time.perf_counter`) instead.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
import tempfile
import time
from dataclasses import fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the repository root, when run as a script
sys.path.insert(0, str(ROOT / "examples"))

from generate import FAMILIES  # noqa: E402

from calculus.linear_a.grad import Reverse  # noqa: E402
from calculus.linear_a.jvp import jvp_name, jvp_program  # noqa: E402
from calculus.linear_a.syntax import Prim, Program, subterms  # noqa: E402
from calculus.linear_a.transpose import t_name, transpose_program  # noqa: E402
from calculus.linear_a.typecheck import check_program  # noqa: E402
from calculus.linear_a.unzip import lin_name, nonlin_name, unzip_program  # noqa: E402
from calculus.surface import compile_source  # noqa: E402

SIZES = (1000, 10000)
BIG = 100000
PHASES = ("compile", "J", "U", "T", "check")
FLOOR = ("rebuild", "walk")
SUPERSCRIPT = {1000: "10³", 10000: "10⁴", 100000: "10⁵"}


CLOCK = time.process_time


def llad_phases(source: str, name: str) -> dict[str, float]:
    """Seconds of each phase of one build of T(U(J f)) from the surface source."""
    times: dict[str, float] = {}

    def phase(key, thunk):
        t0 = CLOCK()
        out = thunk()
        times[key] = CLOCK() - t0
        return out

    p = phase("compile", lambda: compile_source(source, f"{name}.py"))
    j = phase("J", lambda: jvp_program(p, name))
    u = phase("U", lambda: unzip_program(j, jvp_name(name), "store"))
    t = phase("T", lambda: transpose_program(u.program, lin_name(jvp_name(name))))
    rev = Reverse(t, nonlin_name(jvp_name(name)), t_name(lin_name(jvp_name(name))), u.info)
    phase("check", lambda: check_program(rev.gradient_program()))
    times["ops"] = sum(isinstance(s, Prim) for s in subterms(p.get(name).body))
    for g in t.funcs:  # the size of every function of the build, in nodes
        times[g.name.replace(name, "f")] = sum(1 for _ in subterms(g.body))
    times.update(floor(t))
    return times


def floor(t: Program) -> dict[str, float]:
    """What any build of these functions as trees costs at least, in CPU seconds:
    `rebuild` constructs every node J, U and T output (f.jvp, f.jvp.nonlin, f.jvp.lin,
    f.jvp.lin.T) from its fields, taken beforehand; `walk` visits every node of each
    tree a pass reads (f by J, f.jvp by U, f.jvp.lin by T and by its type-check, the
    gradient program by the final check), with no work per node."""
    f, jvp, nonlin, lin, lin_t = t.funcs
    built = [(type(s), tuple(getattr(s, k.name) for k in fields(s)))
             for g in (jvp, nonlin, lin, lin_t) for s in subterms(g.body)]
    t0 = CLOCK()
    for cls, args in built:
        cls(*args)
    rebuilt = CLOCK() - t0
    t0 = CLOCK()
    for g in (f, jvp, lin, lin, nonlin, lin_t):
        for _ in subterms(g.body):
            pass
    return {"rebuild": rebuilt, "walk": CLOCK() - t0}


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    """Per phase and for the total, the fastest run."""
    out = {k: min(r[k] for r in runs) for k in PHASES + FLOOR}
    out["total"] = min(sum(r[k] for k in PHASES) for r in runs)
    out.update((k, v) for k, v in runs[0].items() if k not in out)  # sizes: the same in every run
    return out


def jax_seconds(path: Path, name: str, reps: int) -> float | None:
    """Best time of `make_jaxpr(grad f)` on the source in `path`, or None without jax."""
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for k, v in list(vars(module).items()):  # `from math import sin` → jnp.sin
        if getattr(math, k, None) is v and hasattr(jnp, k):
            setattr(module, k, getattr(jnp, k))
    f = getattr(module, name)
    n = f.__code__.co_argcount
    point = tuple(0.5 + (i % 13) / 26 for i in range(n))
    times = []
    for _ in range(reps):
        t0 = CLOCK()
        jax.make_jaxpr(jax.grad(f, argnums=tuple(range(n))))(*point)
        times.append(CLOCK() - t0)
    return min(times)


def row(name: str, n: int, r: dict[str, float], jax_s: float | None) -> list[str]:
    us = 1e6 * r["total"] / r["ops"]
    jax_us = None if jax_s is None else 1e6 * jax_s / r["ops"]
    return ([name.split("_")[0], SUPERSCRIPT[n], str(int(r["ops"]))]
            + [f"{r[k]:.3f}" for k in PHASES]
            + [f"{us:.1f}", "—" if jax_us is None else f"{jax_us:.1f}",
               "—" if jax_us is None else f"{jax_us / us:.2f}"])


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--big", action="store_true", help="add N = 10⁵ (llad only) and exponents")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--no-jax", action="store_true")
    ap.add_argument("--wall", action="store_true", help="wall-clock instead of CPU time")
    ap.add_argument("--families", default=",".join(FAMILIES))
    args = ap.parse_args(argv)
    global CLOCK
    CLOCK = time.perf_counter if args.wall else time.process_time
    rows, results = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for family in args.families.split(","):
            for n in SIZES + ((BIG,) if args.big else ()):
                name = f"{family}_{n}"
                path = ROOT / "examples" / f"{name}.py"
                if not path.exists():
                    path = Path(tmp) / f"{name}.py"
                    path.write_text(FAMILIES[family](n))
                source = path.read_text()
                r = best([llad_phases(source, name) for _ in range(args.reps)])
                jax_s = None if args.no_jax or n == BIG else jax_seconds(path, name, args.reps)
                results[family, n] = r
                rows.append(row(name, n, r, jax_s))
                print(f"  {name}: {r['total']:.2f} s", file=sys.stderr, flush=True)
    header = ["family", "N", "ops"] + [f"{k} s" for k in PHASES] + [
        "llad µs/op", "JAX µs/op", "JAX/llad"]
    print(markdown(header, rows))
    funcs = ("f", "f.jvp", "f.jvp.nonlin", "f.jvp.lin", "f.jvp.lin.T")
    print()
    print(markdown(["family", "N"] + [f"{g} nodes/op" for g in funcs]
                   + [f"{k} µs/op" for k in FLOOR], [
        [family, SUPERSCRIPT[n]] + [f"{r[g] / r['ops']:.1f}" for g in funcs]
        + [f"{1e6 * r[k] / r['ops']:.1f}" for k in FLOOR]
        for (family, n), r in results.items()]))
    if args.big:
        exp = [[family] + [f"{math.log10(results[family, BIG][k] / results[family, 10000][k]):.2f}"
                           for k in PHASES + ("total",)]
               for family in args.families.split(",")]
        print()
        print(markdown(["family"] + [f"{k} exponent" for k in PHASES + ("total",)], exp))


if __name__ == "__main__":
    main()
