"""The cost theorems of Linear A (SPEC §6: A5, A7, A9, A10, A11), one check each.

Shared by `proofs/` and the broken-rule tests, each check returns the `Violation`s found
(empty: the theorem holds of this function).  The constants are `bounds.constants()`
unless given: a broken-rule test passes the constants of the correct transformations,
computed before it breaks one.

    work_violations            A5  W(J f) and A10 W(grad f) within the derived bounds
    unzip_work_violations      A7  W(f.nonlin) + W(f.lin) = W(f) + E(f), and the tape
    transpose_work_violations  A9  W_sym(f.T) ≤ W_sym(f), arithmetic excess ≤ dup_reals
    size_violation             A11 ‖X f‖ ≤ c_X·‖f‖
"""

from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from calculus.cost_models import MODELS
from calculus.linear_a.syntax import Program
from calculus.linear_a.unzip import Policy
from checkers.bounds import (Bound, Point, Violation, constants, size_point, spec_bound,
                             spec_features)
from checkers.measure import (Measure, Transformed, dup_reals, k_of, recomputation_work,
                              transpose_measures, unzip_measures)
from checkers.policies import policy_name

Constants = Mapping[str, Bound]


def work_violations(t: Transformed, theorem: str, cs: Constants | None = None) -> list[Violation]:
    """A5 (theorem 'A5': W(J f)) or A10 ('A10': W(grad f) under t's policy), in every
    cost model: the per-primitive bound and the SPEC-shaped bound c·W + d·‖f‖."""
    cs = cs or constants()
    out = []
    for model in MODELS:
        if theorem == "A5":
            key, target = f"A5/{model}", t.j.work[model]
        else:
            key, target = f"A10/{t.policy}/{model}", t.grad_work[model]
        b = cs[key]
        for bound, features in ((b, t.f.features()), (spec_bound(b), spec_features(t.f, model))):
            v = bound.violation(Point.of(f"{t.name} [{key}]", target, features))
            if v is not None:
                out.append(v)
    return out


def unzip_work_violations(program: Program, func: str, policy: Policy,
                          u: tuple | None = None) -> list[Violation]:
    """A7 on one function, every cost model:
        W(f.nonlin) + W(f.lin) = W(f) + E(f)      (`recomputation_work`)
    with no recomputed binding anywhere under store-all (so E = 0), and under
    recompute-all a tape of at most the reals of f's non-linear parameters."""
    f, nonlin, lin, info, up = u or unzip_measures(program, func, policy)
    name = f"{func} [{policy_name(policy)}]"
    extra = recomputation_work(up, info, func)
    out = []
    if policy == "store" and any(i.recomputed for i in info.values()):
        n = sum(len(i.recomputed) for i in info.values())
        out.append(Violation(Point.of(f"{name} recomputed bindings", n, {}), Fraction(0), "="))
    for m in MODELS:
        total = nonlin.work[m] + lin.work[m]
        if total != f.work[m] + extra:
            out.append(Violation(Point.of(f"{name} W_{m}(nonlin)+W_{m}(lin)", total,
                                          {"W(f)": f.work[m], "E(f)": extra}),
                                 Fraction(f.work[m] + extra), "="))
    if policy == "recompute":
        params = k_of(t for _, t in program.get(func).nl_params)
        if info[func].tape_reals > params:
            out.append(Violation(Point.of(f"{name} tape", info[func].tape_reals, {}),
                                 Fraction(params)))
    return out


def transpose_work_violations(program: Program, func: str,
                              tm: tuple | None = None) -> list[Violation]:
    """A9 on one linear function:  W_sym(f.T) ≤ W_sym(f)  and
    W_arith(f.T) − W_arith(f) ≤ dup_reals(f)."""
    f, ft, tp = tm or transpose_measures(program, func)
    dups = dup_reals(tp, func)
    out = []
    if ft.work["symmetric"] > f.work["symmetric"]:
        out.append(Violation(Point.of(f"{func} W_sym(T f)", ft.work["symmetric"], {}),
                             Fraction(f.work["symmetric"])))
    excess = ft.work["arithmetic"] - f.work["arithmetic"]
    if excess > dups:
        out.append(Violation(Point.of(f"{func} W_arith(T f) - W_arith(f)", excess, {}),
                             Fraction(dups)))
    return out


def size_violation(key: str, name: str, original: Measure, image: Measure,
                   cs: Constants | None = None) -> list[Violation]:
    """A11: ‖image‖ ≤ c_key·‖original‖ (key: J, U.nonlin/<policy>, U.lin/<policy>, T)."""
    v = (cs or constants())[f"A11/{key}"].violation(
        size_point(f"{name} [{key}]", original, image))
    return [] if v is None else [v]
