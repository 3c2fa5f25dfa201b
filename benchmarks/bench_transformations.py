"""Benchmark of the AD transformations on the size families of the corpus.

    python benchmarks/bench_transformations.py [--quick]

For chain_N, horner_N, sumprod_N (N = 100, 1000, 10000; `--quick`: N ≤ 1000) prints
one plain-text table, rows in a fixed order:

  |f|            AST nodes of f (`work.program_size`)
  J, U:store, U:recompute, T, grad
                 seconds per 1000 AST nodes of f: J f; U of f.jvp under each policy;
                 T of f.jvp.lin (store); the whole reverse pass — T∘U∘J built by
                 `grad.reverse` and run once in float mode by `grad.grad`
  W ratio        W(grad f) / W(f) under the arithmetic and the symmetric cost model
                 (store-all; W(grad f) = W(f.jvp.nonlin) + W(f.jvp.lin.T), the work the
                 float run counted, which A1 equates with the static W)
  tape           f.jvp's tape in reals under store-all and recompute-all

Timings are wall-clock (`time.perf_counter`) of one run each; everything else is
deterministic.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the repository root, when run as a script

from calculus.cost_models import MODELS  # noqa: E402
from calculus.linear_a.grad import grad, reverse  # noqa: E402
from calculus.linear_a.jvp import jvp_name, jvp_program  # noqa: E402
from calculus.linear_a.transpose import transpose_program  # noqa: E402
from calculus.linear_a.unzip import lin_name, unzip_program  # noqa: E402
from calculus.linear_a.work import program_size, work  # noqa: E402
from calculus.loader import load_program  # noqa: E402

FAMILIES = ("chain", "horner", "sumprod")
SIZES = (100, 1000, 10000)
QUICK_MAX = 1000


def point(program, name: str) -> tuple[float, ...]:
    """A point inside every family's domain: 0.5, or (i mod 13)/13 − 1/2 per input."""
    n = len(program.get(name).nl_params)
    return (0.5,) if n == 1 else tuple((i % 13) / 13 - 0.5 for i in range(n))


def timed(thunk):
    t0 = time.perf_counter()
    out = thunk()
    return out, time.perf_counter() - t0


def bench(name: str) -> list[str]:
    """One table row for the corpus member `name`."""
    p = load_program(ROOT / "examples" / f"{name}.py")
    size = program_size(p, name)
    per_k = lambda s: f"{1000 * s / size:.4f}"  # noqa: E731 -- seconds per 1000 nodes
    jp, t_j = timed(lambda: jvp_program(p, name))
    jf = jvp_name(name)
    store, t_us = timed(lambda: unzip_program(jp, jf, "store"))
    recompute, t_ur = timed(lambda: unzip_program(jp, jf, "recompute"))
    _, t_t = timed(lambda: transpose_program(store.program, lin_name(jf)))
    r, t_g = timed(lambda: grad(p, name, point(p, name), rev=reverse(p, name)))
    ratios = [f"{r.work[m] / work(p, name, model):.3f}" for m, model in MODELS.items()]
    return ([name, str(size)] + [per_k(t) for t in (t_j, t_us, t_ur, t_t, t_g)] + ratios
            + [str(store.info[jf].tape_reals), str(recompute.info[jf].tape_reals)])


HEADER = (["program", "|f|", "J", "U:store", "U:recompute", "T", "grad"]
          + [f"W ratio {m}" for m in MODELS] + ["tape store", "tape recompute"])


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [HEADER] + rows) for i in range(len(HEADER))]
    line = lambda r: "  ".join(c.rjust(w) for c, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(HEADER), line(["-" * w for w in widths])] + [line(r) for r in rows])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help=f"only N <= {QUICK_MAX}")
    args = ap.parse_args(argv)
    sizes = [n for n in SIZES if not args.quick or n <= QUICK_MAX]
    print("seconds per 1000 AST nodes of f (J, U, T, grad); W ratio = W(grad f)/W(f)")
    rows = []
    for n in sizes:
        for family in FAMILIES:
            rows.append(bench(f"{family}_{n}"))
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
