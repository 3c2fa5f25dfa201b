"""constants.json: the derived cost constants of A5, A10 and A11 (`checkers.bounds`).

Top-level keys are theorem ids (T1's constants column reads them); `cost_bounds` states
the bounds, ‖f‖, the grid, the schematic programs the constants are derived from and
every per-primitive coefficient.  Sorted keys: the content depends only on the code.
"""

from __future__ import annotations

import json
from pathlib import Path

from calculus.cost_models import MODELS
from checkers.bounds import GRID, Bound, constants, spec_constants
from checkers.policies import POLICY_NAMES
from checkers.schematic import FRAGMENTS, chain_texts, texts

NAME = "constants.json"


def _coeffs(b: Bound) -> dict[str, str]:
    return {k: str(c) for k, c in b.coeffs}


def constants_json() -> dict:
    """`constants()` in the layout of constants.json."""
    cs = constants()

    def cd(key: str) -> dict[str, str]:
        c, d = spec_constants(cs[key])
        return {"c": str(c), "d": str(d)}

    a11 = {k.removeprefix("A11/"): str(b["struct"]) for k, b in cs.items() if k.startswith("A11/")}
    return {
        "A5": {m: cd(f"A5/{m}") for m in MODELS},
        "A10": {p: {m: cd(f"A10/{p}/{m}") for m in MODELS} for p in POLICY_NAMES},
        "A11": a11,
        "cost_bounds": {
            "statement": {
                "A5": "W(J f) <= sum_op c_op*n_op(f) + d*||f|| <= c*W(f) + d*||f||",
                "A10": "W(grad f) <= sum_op c_op*n_op(f) + d*||f|| <= c*W(f) + d*||f||",
                "A11": "||X f|| <= c*||f|| for X in J, U.nonlin, U.lin, T",
            },
            "||f||": ("AST nodes + reals of every variable occurrence (binders and uses), "
                      "calls unfolded"),
            "grid": f"1/{GRID}",
            "derived_from": {fam: sorted(texts(fam)) + sorted(f"{c}/marginal"
                                                              for c in chain_texts(fam))
                             for fam in FRAGMENTS},
            "per_primitive": {k: _coeffs(b) for k, b in sorted(cs.items())
                              if not k.startswith("A11/")},
        },
    }


def write_constants(outdir: Path) -> Path:
    """outdir/constants.json (rewritten only when its content changes)."""
    path = outdir / NAME
    outdir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(constants_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path
