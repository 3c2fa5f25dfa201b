"""The checkpoint policies of U (`calculus.linear_a.unzip.Policy`) the theorems are
checked under: store-all, recompute-all, and the predicate "recompute sin/cos"."""

from __future__ import annotations

from calculus.linear_a.syntax import Prim
from calculus.linear_a.unzip import Binding, Policy
from calculus.primitives import Op

POLICY_NAMES = ("store", "recompute")  # the policies the cost constants are derived for


def recompute_sin_cos(b: Binding) -> bool:
    """A checkpoint predicate: recompute exactly the bindings of sin(…) and cos(…)."""
    return isinstance(b.expr, Prim) and b.expr.op in (Op.SIN, Op.COS)


POLICIES: dict[str, Policy] = {"store": "store", "recompute": "recompute",
                               "sin-cos": recompute_sin_cos}


def policy_name(policy: Policy) -> str:
    """A policy's name: the string itself, or a predicate's function name."""
    return policy if isinstance(policy, str) else getattr(policy, "__name__", "predicate")
