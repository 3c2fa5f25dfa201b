"""jax_comparison.json: our W(grad f)/W(f) beside JAX's equation counts, and the largest
disagreement of our gradients with jax.grad, per corpus program
(`checkers.jax_oracle.comparison`; needs the optional extra llad[jax]).

    python -m paper_figures.jax_comparison      writes paper_figures/out/jax_comparison.json
"""

from __future__ import annotations

import json
from pathlib import Path

from checkers.jax_oracle import comparison

NAME = "jax_comparison.json"


def write_comparison(outdir: Path) -> Path:
    """outdir/jax_comparison.json, deterministic (sorted keys; errors printed to 3
    significant digits)."""
    data = comparison()
    for row in data["programs"].values():
        row["max relative error"] = float(f"{row['max relative error']:.3g}")
    path = outdir / NAME
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    print(write_comparison(Path(__file__).resolve().parent / "out"))
