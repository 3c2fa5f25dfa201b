"""Regenerate the example corpus: the size families and every compiled `.la`.

    python examples/generate.py

writes, for N in SIZES,

    chain_N.py    x ↦ sin(sin(… sin(x))), sin applied N times
    horner_N.py   x ↦ Σ_{k=0..N} x^k/(k+1), by Horner's rule; the coefficients are the
                  float literals repr(1/(k+1)) (exact decimals)
    sumprod_N.py  (x0, …, x(N-1)) ↦ Σ_{i=0..N-2} xi·x(i+1)

and then compiles every surface example of the directory (the hand-written ones too)
to the `.la` beside it.  Deterministic: the output depends only on the sources.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository root, when run as a script

from calculus.deep import deep  # noqa: E402
from calculus.loader import corpus  # noqa: E402
from calculus.surface import compile_source  # noqa: E402

SIZES = (10, 100, 1000, 10000)


def chain_source(n: int) -> str:
    lines = [f'"""chain_{n}: x ↦ sin(sin(… sin(x))), sin applied {n} times (a chain of {n} '
             'lets)."""', "", "from math import sin", "", "", f"def chain_{n}(x):"]
    lines += ["    x = sin(x)"] * n
    lines += ["    return x", ""]
    return "\n".join(lines)


def horner_source(n: int) -> str:
    coeff = [repr(1 / (k + 1)) for k in range(n + 1)]  # c_k = 1/(k+1), exact decimals
    lines = [f'"""horner_{n}: x ↦ Σ_{{k=0..{n}}} x^k/(k+1), a degree-{n} polynomial evaluated '
             'by Horner\'s rule', "", "    y = c_N;  y = y·x + c_k  for k = N-1, …, 0", "",
             "with c_k the float literal repr(1/(k+1)).", '"""', "", "",
             f"def horner_{n}(x):", f"    y = {coeff[n]}"]
    lines += [f"    y = y * x + {coeff[k]}" for k in reversed(range(n))]
    lines += ["    return y", ""]
    return "\n".join(lines)


def sumprod_source(n: int) -> str:
    params = ", ".join(f"x{i}" for i in range(n))
    lines = [f'"""sumprod_{n}: (x0, …, x{n - 1}) ↦ Σ_{{i=0..{n - 2}}} xi·x(i+1)."""', "", "",
             f"def sumprod_{n}({params}):", "    s = x0 * x1"]
    lines += [f"    s = s + x{i} * x{i + 1}" for i in range(1, n - 1)]
    lines += ["    return s", ""]
    return "\n".join(lines)


FAMILIES: dict[str, Callable[[int], str]] = {
    "chain": chain_source, "horner": horner_source, "sumprod": sumprod_source}


@deep
def la_text(source: str, file: str | None = None) -> str:
    """The checked-in `.la` for a surface source: a header and the printed compilation."""
    name = Path(file).name if file else "<source>"
    header = (f"# Compiled from {name} by calculus.surface.compile_source.\n"
              "# Do not edit: regenerate with `python examples/generate.py`.\n\n")
    return header + str(compile_source(source, file))


def main() -> None:
    for family, source in FAMILIES.items():
        for n in SIZES:
            (HERE / f"{family}_{n}.py").write_text(source(n))
    for py in corpus():
        py.with_suffix(".la").write_text(la_text(py.read_text(), str(py)))


if __name__ == "__main__":
    main()
