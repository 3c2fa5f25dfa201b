"""The schematic programs: the data the cost constants are derived from (`checkers.bounds`).

One small program per constructor, primitive and sharing pattern of each fragment —
'nonlinear' (J, grad), 'linear' (T) and 'mixed' (U) — and the *chains*: one
constructor nested k deep, at the depths `CHAIN_DEPTHS`.  A bound c·‖f‖ (+ …) is
homogeneous, so it must also hold for the *marginal* point of a chain — what one more
level adds to the target and to the features; without these points the constants fit
shallow programs only (a chain's ratio grows towards its marginal ratio).  Tuple types
make per-real prices show.  The function under test is `f`.

The programs are Linear A text in `schematic_programs/<family>.la` and
`schematic_programs/chains-<family>.la`, each after a line `### <name>` (chains:
`### <name>@<k>`).  The mixed fragment is its own programs, every non-linear one, and
every linear one prefixed `lin-` (likewise for its chains).

Also the families on which the node count |f| admits no bound (parametric in n, the
counterexamples of `proofs/test_A5_…`, `proofs/test_A11_…`).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import Program
from calculus.primitives import Op

DATA = Path(__file__).resolve().parent / "schematic_programs"
FRAGMENTS = ("nonlinear", "linear", "mixed")
CHAIN_DEPTHS = (2, 3)  # the marginal point is depth 3 minus depth 2
_HEADER = re.compile(r"^### (\S+)$", re.M)


def _entries(file: str) -> dict[str, str]:
    """name ↦ program text of one data file, in file order."""
    parts = _HEADER.split((DATA / f"{file}.la").read_text())
    return {name: text.strip() for name, text in zip(parts[1::2], parts[2::2])}


@functools.cache
def texts(family: str) -> dict[str, str]:
    """The schematic programs of a fragment, name ↦ text."""
    own = _entries(family)
    if family == "mixed":
        own |= texts("nonlinear") | {f"lin-{k}": v for k, v in texts("linear").items()}
    return own


@functools.cache
def chain_texts(family: str) -> dict[str, dict[int, str]]:
    """The chains of a fragment, name ↦ depth ↦ text."""
    out: dict[str, dict[int, str]] = {}
    for key, text in _entries(f"chains-{family}").items():
        name, depth = key.rsplit("@", 1)
        out.setdefault(name, {})[int(depth)] = text
    if family == "mixed":
        out |= chain_texts("nonlinear") | {f"lin-{k}": v for k, v in chain_texts("linear").items()}
    return out


@functools.cache
def schematic(family: str) -> tuple[tuple[str, Program], ...]:
    """The parsed schematic programs of a fragment."""
    return tuple((name, parse_program(text)) for name, text in texts(family).items())


@functools.cache
def chain_programs(family: str) -> tuple[tuple[str, Program, Program], ...]:
    """(name, the chain at depth 2, at depth 3) for the chains of a fragment."""
    lo, hi = CHAIN_DEPTHS
    return tuple((name, parse_program(at[lo]), parse_program(at[hi]))
                 for name, at in chain_texts(family).items())


def op_point(op: Op) -> str:
    """The name of op's one-primitive schematic program."""
    return f"op-{op.value}"


# --- families on which |f| admits no bound ----------------------------------------------------


def ret_fanout(n: int) -> Program:
    """def f(x) -> (real × n;) = (x, …, x;): one node, n uses of x (W(f) = 0)."""
    res = ", ".join(["real"] * n)
    return parse_program(f"def f(x: real) -> ({res};) = ({', '.join(['x'] * n)};)")


def drop_fanout(n: int) -> Program:
    """def f(; y1 … yn) -> (; real) = let (;) = drop(ltup(y1, …, yn)) in zero."""
    ys = [f"y{i}" for i in range(n)]
    params = ", ".join(f"{y}: real" for y in ys)
    return parse_program(f"def f(; {params}) -> (; real) = "
                         f"let (;) = drop(ltup({', '.join(ys)})) in zero")


def plumbing_calls(n: int) -> Program:
    """g(x) = x copied n times, n−1 copies dropped, no arithmetic; f calls g n times in
    a chain.  W(f) = 0 and |f| = O(n), but J pays Θ(n) dups and drops per call."""
    xs = [f"a{i}" for i in range(n)]
    g = (f"def g(x: real) -> (real;) = let ({', '.join(xs)};) = ({', '.join(['x'] * n)};) in "
         f"let (;) = drop(({', '.join(xs[1:])};)) in (a0;)")
    chain = "".join(f"let (x{i + 1};) = g(x{i};) in " for i in range(n))
    return parse_program(f"{g}\n\ndef f(x0: real) -> (real;) = {chain}(x{n};)")
