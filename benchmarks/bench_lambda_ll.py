"""Speed of the λLL front end and evaluator on a large generated term.

    python benchmarks/bench_lambda_ll.py [N]

builds the A-normal-form chain of N steps (default 10 000), each step one `let !`, one
`let (,)` and one β-redex, i.e. 3N structural steps and N nested binders per kind:

    fun (b : !real) -> fun (y0 : real) -> let !x0 = b in
      let !x1 = !(sin !x0) in let (p1, q1) = dup y0 in
      (fun (y1 : real) -> … yN) (plus (scale !x1 p1) q1)

and prints the time of each phase and the evaluator's structural steps per second
(plain and instrumented).
"""

from __future__ import annotations

import sys
import time

from calculus.deep import deep
from calculus.lambda_ll.evaluate import evaluate
from calculus.lambda_ll.parse import parse_term
from calculus.lambda_ll.syntax import App, Lit, Promote, size
from calculus.lambda_ll.typecheck import infer


def chain_source(n: int) -> str:
    parts = ["fun (b : !real) -> fun (y0 : real) -> let !x0 = b in "]
    closing = []
    for i in range(1, n + 1):
        parts.append(f"let !x{i} = !(sin !x{i - 1}) in let (p{i}, q{i}) = dup y{i - 1} in "
                     f"(fun (y{i} : real) -> ")
        closing.append(f") (plus (scale !x{i} p{i}) q{i})")
    parts.append(f"y{n}")
    parts.extend(reversed(closing))
    return "".join(parts)


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<28} {elapsed:8.3f} s")
    return result, elapsed


@deep
def main(n: int = 10_000) -> None:
    source, _ = timed(f"build source (N = {n})", lambda: chain_source(n))
    fun, _ = timed("parse", lambda: parse_term(source))
    print(f"{'size |t|':<28} {size(fun):8d} nodes")
    term = App(App(fun, Promote(Lit(1))), Lit(1))
    ty, _ = timed("type-check", lambda: infer(term))
    assert str(ty) == "real"
    for instrumented in (False, True):
        label = "evaluate" + (" (instrumented)" if instrumented else "")
        r, elapsed = timed(label, lambda: evaluate(term, instrumented=instrumented))
        print(f"{'  structural steps':<28} {r.steps:8d}  ({r.steps / elapsed:,.0f} steps/s)")
        print(f"{'  workload (arith/sym)':<28} {r.workload('arithmetic'):8d} / "
              f"{r.workload('symmetric')}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
