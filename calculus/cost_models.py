"""Cost models for work (Linear A, SPEC §2.3) and workload (λLL, SPEC §3.3).

Work counts scalar arithmetic.  A primitive costs `PRIMS[op].cost`; the linear
operations `+.` and `*.` on a value with k real components cost k; what `dup`, `drop`
and `zero` cost depends on the model:

  arithmetic -- dup, drop and zero are free: what a user pays in flops.
  symmetric  -- cost(dup) = cost(+.) = k and cost(zero) = cost(drop) = k: the model
                under which transposition (which swaps dup↔+. and zero↔drop) can
                conserve work.  [choice: zero/drop cost k, not 0; both satisfy
                SPEC's equation; k makes materialising zeros visible.]

Lets, returns, tuples, unpacks, calls and every structural step cost 0.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CostModel:
    name: str
    dup_per_real: int
    drop_per_real: int
    zero_per_real: int
    add_per_real: int = 1
    scale_per_real: int = 1


ARITHMETIC = CostModel("arithmetic", dup_per_real=0, drop_per_real=0, zero_per_real=0)
SYMMETRIC = CostModel("symmetric", dup_per_real=1, drop_per_real=1, zero_per_real=1)
MODELS: dict[str, CostModel] = {m.name: m for m in (ARITHMETIC, SYMMETRIC)}
