"""`llad grad FILE FUNC --via ll`: the gradient by grad_LL = T_LL ∘ F ∘ ⟦·⟧ (SPEC §5),
reported in the JSON shape of the Linear A route (`llad grad`, T ∘ U ∘ J):

    {"primal": …, "gradient": [...], "work": {model: n}, "tape": null,
     "workload": {model: n}, "structural_steps": n}

`work` is the λLL workload (the cost of the fully applied constants of the forward
pass and of the backpropagator, per cost model) and equals `workload`; it is repeated
under the Linear A route's key so that consumers of that shape read it unchanged.
`tape` is null: no unzip pass, the backpropagator's closure environment holds what
T ∘ U ∘ J stores on its tape.  `structural_steps` counts β- and let-steps of both
phases.  Values are shaped as in the Linear A route (tuples as lists, a single
primal result unwrapped), via `calculus.cli.jsonable`.
"""

from __future__ import annotations

from typing import Any

from .cli import jsonable
from .grad_ll import grad_ll
from .linear_a.syntax import Program


def grad_via_ll_json(program: Program, func: str, at_values: tuple, mode: str) -> dict[str, Any]:
    """The gradient of `func` at `at_values` (one value per non-linear parameter, in
    the number mode `mode`: "float" or "symbolic") by grad_LL, as JSON-ready data."""
    r = grad_ll(program, func, tuple(at_values), mode)
    primal = r.primal[0] if len(r.primal) == 1 else r.primal
    return {"primal": jsonable(primal), "gradient": jsonable(tuple(r.gradient)),
            "work": dict(r.workload), "tape": None, "workload": dict(r.workload),
            "structural_steps": r.steps}
