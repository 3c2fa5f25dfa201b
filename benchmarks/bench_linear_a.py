"""Benchmark of the Linear A front end and evaluator on the size families.

    python benchmarks/bench_linear_a.py [--quick]

For chain_N, horner_N, sumprod_N (N = 100, 1000, 10000; `--quick`: N ≤ 1000) prints
seconds per 1000 AST nodes of f for: parsing the compiled `.la` text
(`parse.parse_program`), type-checking it (`typecheck.check_program`) and evaluating f
once in float mode (`evaluate.run`).  Rows in a fixed order; timings are wall-clock
(`time.perf_counter`) of one run each.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the repository root, when run as a script

from calculus.linear_a.evaluate import run  # noqa: E402
from calculus.linear_a.parse import parse_program  # noqa: E402
from calculus.linear_a.typecheck import check_program  # noqa: E402
from calculus.linear_a.work import program_size  # noqa: E402

FAMILIES = ("chain", "horner", "sumprod")
SIZES = (100, 1000, 10000)
QUICK_MAX = 1000
HEADER = ["program", "|f|", "parse", "type-check", "evaluate"]


def timed(thunk):
    t0 = time.perf_counter()
    out = thunk()
    return out, time.perf_counter() - t0


def bench(name: str) -> list[str]:
    text = (ROOT / "examples" / f"{name}.la").read_text()
    p, t_parse = timed(lambda: parse_program(text, f"{name}.la"))
    _, t_check = timed(lambda: check_program(p))
    n = len(p.get(name).nl_params)
    at = (0.5,) if n == 1 else tuple((i % 13) / 13 - 0.5 for i in range(n))
    _, t_eval = timed(lambda: run(p, name, at, (), "float"))
    size = program_size(p, name)
    return [name, str(size)] + [f"{1000 * t / size:.4f}" for t in (t_parse, t_check, t_eval)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help=f"only N <= {QUICK_MAX}")
    args = ap.parse_args(argv)
    rows = [bench(f"{family}_{n}") for n in SIZES if not args.quick or n <= QUICK_MAX
            for family in FAMILIES]
    widths = [max(len(r[i]) for r in [HEADER] + rows) for i in range(len(HEADER))]
    line = lambda r: "  ".join(c.rjust(w) for c, w in zip(r, widths))  # noqa: E731
    print("seconds per 1000 AST nodes of f")
    print("\n".join([line(HEADER), line(["-" * w for w in widths])] + [line(r) for r in rows]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
