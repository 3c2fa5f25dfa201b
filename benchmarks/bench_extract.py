"""Benchmark of executable extraction (issue 13) on the size families.

    python benchmarks/bench_extract.py [--sizes 1000 10000 100000] [--via linear-a|ll]
                                       [--max-grad 100000] [--max-jax 10000]
                                       [--jax-timeout 300] [--no-jax]

For chain_N, horner_N, sumprod_N, generated on the fly (`examples/generate.py`), prints
one table, a row per family and N:

  pass       seconds for the gradient transformation extraction reads
             (`calculus.extract.transform`: T∘U∘J, or T_LL∘F∘⟦·⟧ with --via ll)
  own        seconds for `extract(p, f, grad=True, built=…)` given that transformation:
             extraction's own time (pass + own is `extract(p, f, grad=True)`)
  compile    seconds for CPython to compile the module
  import     seconds to execute the compiled module (define its functions)
  ours       µs per call of the extracted FUNC_grad (`--target python`, float)
  hand       µs per call of a hand-written reverse-mode gradient in plain Python (loops,
             a list as the tape)
  jax eager  µs per call of jax.grad(Σ f) of the same surface source, not jitted
  jit 1st    seconds for jax.jit(jax.grad(Σ f)): compile + first call
  jit        µs per steady-state call of the jitted gradient
  ratios     ours/hand (the issue's goal: ≤ 1.25, the last column), ours/jax-eager, ours/jit

At N above --max-grad (default 10⁵: every row is a gradient) the gradient is not
extracted; the row then times the extraction of f itself (`extract(p, f)`, all of it in
`own`), its compile and import, and `ours` is f's extracted primal.  JAX is timed up to
N = --max-jax (default 10⁴), each row in a child process (JAX's tracer can overflow the
C stack on a deep unrolled program, which kills the process: the row then says so) that
is killed after --jax-timeout seconds (default 300, the issue's 5 minutes for jit
compile; jit first, then eager, whose calls take seconds at N = 10⁴): the columns that
finished are printed, the first that did not is `> T s` (timeout) or `crash` — never a
guessed number.  The rows are printed as they are done.
Per call, the best of interleaved batches; `ours` and `hand` (plain single-threaded
Python) in CPU time of the process (`time.process_time`), so that on a shared machine
the time the process waits for a core counts for neither; the other columns wall-clock
(`time.perf_counter`; JAX runs threads of its own).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "examples"))

from generate import FAMILIES  # noqa: E402

import calculus.grad_ll  # noqa: E402,F401  (imported before the first row's timing)
import calculus.linear_a.grad  # noqa: E402,F401
from calculus.extract import extract, transform  # noqa: E402
from calculus.surface import compile_source  # noqa: E402


def chain_hand(x: float, n: int) -> tuple[float, float]:
    tape = []
    for _ in range(n):
        tape.append(x)
        x = math.sin(x)
    g = 1.0
    for v in reversed(tape):
        g = g * math.cos(v)
    return x, g


def horner_hand(x: float, c: list[float]) -> tuple[float, float]:
    tape, y = [], c[-1]
    for k in range(len(c) - 2, -1, -1):
        tape.append(y)
        y = y * x + c[k]
    ybar, xbar = 1.0, 0.0
    for prev in reversed(tape):
        xbar += ybar * prev
        ybar = ybar * x
    return y, xbar


def sumprod_hand(xs: list[float]) -> tuple[float, list[float]]:
    s = xs[0] * xs[1]
    for i in range(1, len(xs) - 1):
        s = s + xs[i] * xs[i + 1]
    g = [0.0] * len(xs)
    for i in range(len(xs) - 1):
        g[i] += xs[i + 1]
        g[i + 1] += xs[i]
    return s, g


def point(family: str, n: int) -> tuple:
    return (0.5,) if family != "sumprod" else tuple(0.5 + 0.001 * i for i in range(n))


def hand(family: str, n: int):
    at = point(family, n)
    if family == "chain":
        return lambda: chain_hand(at[0], n)
    if family == "horner":
        c = [1 / (k + 1) for k in range(n + 1)]
        return lambda: horner_hand(at[0], c)
    xs = list(at)
    return lambda: sumprod_hand(xs)


def per_call(fns: dict, budget: float = 0.3, rounds: int = 7,
             clock=time.perf_counter) -> dict[str, float]:
    """Best µs per call of each function by `clock`, batches of the functions interleaved
    (so that a shared machine's load falls on all of them alike), `rounds` batches each."""
    reps = {}
    for k, fn in fns.items():
        t = time.perf_counter()
        fn()
        reps[k] = max(1, int(budget / rounds / max(time.perf_counter() - t, 1e-7)))
    best = dict.fromkeys(fns, math.inf)
    for _ in range(rounds):
        for k, fn in fns.items():
            t = clock()
            for _ in range(reps[k]):
                fn()
            best[k] = min(best[k], (clock() - t) / reps[k])
    return {k: v * 1e6 for k, v in best.items()}


def row(family: str, n: int, grad: bool, use_jax: bool, via: str = "linear-a",
        jax_timeout: float = 300.0) -> dict:
    name = f"{family}_{n}"
    src = FAMILIES[family](n)
    prog = compile_source(src)
    r = {"family": family, "N": n, "grad": grad}
    t = time.perf_counter()
    built = transform(prog, name, via) if grad else None
    r["pass"] = time.perf_counter() - t if grad else None
    t = time.perf_counter()
    text = extract(prog, name, grad=grad, via=via, built=built)
    r["own"] = time.perf_counter() - t
    del built
    t = time.perf_counter()
    code = compile(text, f"<{name}>", "exec")
    r["compile"] = time.perf_counter() - t
    env: dict = {}
    t = time.perf_counter()
    exec(code, env)
    r["import"] = time.perf_counter() - t
    at = point(family, n)
    fn = env[f"{name}_grad" if grad else name]
    if not grad:
        r |= per_call({"ours": lambda: fn(*at)}, clock=time.process_time)
        return r
    ours, ref = fn(*at), hand(family, n)()
    assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in
               zip([ours[0], *ours[1]], [ref[0], *(ref[1] if family == "sumprod" else [ref[1]])]))
    r |= per_call({"ours": lambda: fn(*at), "hand": hand(family, n)}, budget=1.0, rounds=15,
                  clock=time.process_time)
    if use_jax:
        r |= jax_isolated(family, n, jax_timeout)
    return r


def jax_times(src: str, name: str, at: tuple) -> None:
    """In the child process: print the JAX columns as JSON, one line each time one more
    is known (the parent keeps the last line it got before a timeout or a crash)."""
    import jax
    jax.config.update("jax_enable_x64", True)
    from checkers.jax_oracle import jax_function, summed
    g = jax.grad(summed(jax_function(src, name)), argnums=tuple(range(len(at))))
    t = time.perf_counter()
    jg = jax.jit(g)
    jax.block_until_ready(jg(*at))
    out = {"jit 1st": time.perf_counter() - t}
    print(json.dumps(out), flush=True)
    out["jit"] = per_call({"j": lambda: jax.block_until_ready(jg(*at))})["j"]
    print(json.dumps(out), flush=True)
    out["jax eager"] = per_call({"e": lambda: g(*at)}, budget=0.5, rounds=1)["e"]
    print(json.dumps(out), flush=True)


JAX_COLUMNS = ("jit 1st", "jit", "jax eager")  # the order the child measures them


def jax_isolated(family: str, n: int, timeout: float) -> dict:
    """The JAX columns of a row, measured in a child process killed after `timeout` s;
    the first column that did not finish is marked (`jax failed`: its name and why)."""
    cmd = [sys.executable, __file__, "--jax-child", family, str(n)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        stdout, why = p.stdout, None if p.returncode == 0 else f"crash (rc {p.returncode})"
    except subprocess.TimeoutExpired as exc:
        stdout, why = exc.stdout or "", f"> {timeout:.0f} s"
        stdout = stdout.decode() if isinstance(stdout, bytes) else stdout
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    out = json.loads(lines[-1]) if lines else {}
    if why is not None:
        out["jax failed"] = (next(c for c in JAX_COLUMNS if c not in out), why)
    return out


def fmt(v, spec: str) -> str:
    return "—" if v is None else format(v, spec)


HEAD = ("family", "N", "what", "pass s", "own s", "compile s", "import s", "ours µs",
        "hand µs", "jax eager µs", "jit 1st s", "jit µs", "ours/hand", "ours/eager",
        "ours/jit", "≤ 1.25×")


def table_row(r: dict) -> str:
    ratio = lambda k: r["ours"] / r[k] if k in r else None  # noqa: E731
    goal = ratio("hand")
    failed, why = r.get("jax failed", (None, None))
    jax_cell = lambda k, spec: why if k == failed else fmt(r.get(k), spec)  # noqa: E731
    cells = (r["family"], str(r["N"]), "grad" if r["grad"] else "f only",
             fmt(r["pass"], ".2f"), fmt(r["own"], ".2f"), fmt(r["compile"], ".2f"),
             fmt(r["import"], ".3f"), fmt(r["ours"], ".1f"), fmt(r.get("hand"), ".1f"),
             jax_cell("jax eager", ".0f"), jax_cell("jit 1st", ".2f"),
             jax_cell("jit", ".1f"), fmt(goal, ".2f"), fmt(ratio("jax eager"), ".4f"),
             fmt(ratio("jit"), ".2f"), "—" if goal is None else "yes" if goal <= 1.25 else "no")
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--max-grad", type=int, default=100000)
    ap.add_argument("--families", nargs="+", default=list(FAMILIES))
    ap.add_argument("--via", choices=["linear-a", "ll"], default="linear-a")
    ap.add_argument("--max-jax", type=int, default=10000)
    ap.add_argument("--jax-timeout", type=float, default=300.0)
    ap.add_argument("--no-jax", action="store_true")
    ap.add_argument("--jax-child", nargs=2, metavar=("FAMILY", "N"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.jax_child:
        family, n = a.jax_child[0], int(a.jax_child[1])
        jax_times(FAMILIES[family](n), f"{family}_{n}", point(family, n))
        return
    use_jax = not a.no_jax
    if use_jax:
        try:
            import jax  # noqa: F401  (timed in child processes)
        except ImportError:
            use_jax = False
    print("| " + " | ".join(HEAD) + " |\n|" + "---|" * len(HEAD), flush=True)
    for n in a.sizes:
        for family in a.families:
            r = row(family, n, n <= a.max_grad, use_jax and n <= a.max_jax, a.via,
                    a.jax_timeout)
            print(table_row(r), flush=True)


if __name__ == "__main__":
    main()
