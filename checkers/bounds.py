"""Bounds of the Linear A transformations, derived with z3 from the schematic programs
(SPEC §6: A5, A10, A11).

A `Bound` is  target ≤ Σ_k coeff_k · feature_k  over named features.  The coefficients
are *derived*, never chosen: from the schematic programs and the marginal points of
their chains (`checkers.schematic`), never from the programs the bound is then checked
on (corpus, fuzz), so those checks are tests.  Work bounds (`work_bound`) have the
features `op:<op>` (n_op) and `struct` (‖f‖, `checkers.measure`) and are derived in two
stages:

  1. c_op = target / cost(op) on the one-primitive schematic program `op-<op>`: what
     the transformation spends per application of op, its tangent plumbing included;
  2. d = the least value on the grid ℕ/GRID, found by z3's Optimize, such that every
     schematic point satisfies  target ≤ Σ_op c_op·n_op + d·‖f‖.

For non-linear f, W(f) = Σ_op cost(op)·n_op(f), so the per-primitive bound implies the
SPEC-shaped one  W(T f) ≤ c·W(f) + d·‖f‖  with c = max_op c_op / cost(op)
(`spec_constants`).  Size bounds (`size_bound`) are  target ≤ c·‖f‖, c least on the
grid.  z3 `unknown` or `unsat` raises `BoundError`: no silent constants.

`constants()` derives every constant (cached); `derivation_problems` shows each one
covers its data and is least on the grid.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Iterable, Mapping, Sequence

import z3

from calculus.cost_models import MODELS
from calculus.linear_a.syntax import Program
from calculus.primitives import OPS, PRIMS
from checkers.measure import Measure, Transformed, transformed, transpose_measures, unzip_measures
from checkers.policies import POLICY_NAMES
from checkers.schematic import chain_programs, op_point, schematic

GRID = 4  # derived constants are multiples of 1/GRID
Z3_RLIMIT = 20_000_000  # machine-independent budget of one derivation


class BoundError(Exception):
    """z3 derived no bound: `unsat` (no coefficients fit the data) or `unknown`."""


@dataclass(frozen=True)
class Point:
    """One data point: the measure after a transformation (target) and the features of
    the original."""

    name: str
    target: int
    features: tuple[tuple[str, int], ...]

    @staticmethod
    def of(name: str, target: int, features: Mapping[str, int]) -> Point:
        return Point(name, target, tuple(sorted(features.items())))


@dataclass(frozen=True)
class Violation:
    """A counterexample: the point's target is not `relation` allowed."""

    point: Point
    allowed: Fraction
    relation: str = "≤"

    def __str__(self) -> str:
        return (f"{self.point.name}: {self.point.target} {self.relation} {self.allowed} fails "
                f"(features {dict(self.point.features)})")


@dataclass(frozen=True)
class Bound:
    """target ≤ Σ coeff_k · feature_k  (a feature a point lacks counts 0)."""

    coeffs: tuple[tuple[str, Fraction], ...]
    data: tuple[str, ...] = field(default=(), compare=False)  # the points it was derived from

    def __getitem__(self, feature: str) -> Fraction:
        return dict(self.coeffs).get(feature, Fraction(0))

    def allowed(self, features: Mapping[str, int] | Iterable[tuple[str, int]]) -> Fraction:
        fs = dict(features)
        return sum((c * fs.get(k, 0) for k, c in self.coeffs), Fraction(0))

    def violation(self, p: Point) -> Violation | None:
        allowed = self.allowed(p.features)
        return Violation(p, allowed) if p.target > allowed else None

    def violations(self, points: Iterable[Point]) -> list[Violation]:
        return [v for p in points if (v := self.violation(p)) is not None]


def derive(points: Sequence[Point], priority: Sequence[Sequence[str]],
           fixed: Mapping[str, Fraction] | None = None) -> Bound:
    """The least coefficients on the grid ℕ/GRID (lexicographically: Σ of the first
    group, then of the second, …) such that every point satisfies the bound; the
    coefficients in `fixed` are given, not searched.  Every feature of the points must
    be fixed or in a group."""
    fixed = dict(fixed or {})
    grouped = {k for g in priority for k in g}
    if missing := {k for p in points for k, _ in p.features} - grouped - set(fixed):
        raise ValueError(f"features without an objective: {sorted(missing)}")
    coeff = {k: z3.Int(f"k_{k}") for k in sorted(grouped)}
    opt = z3.Optimize()
    opt.set("rlimit", Z3_RLIMIT)
    for v in coeff.values():
        opt.add(v >= 0)
    for p in points:
        fs = dict(p.features)
        base = sum((c * fs.get(k, 0) for k, c in fixed.items()), Fraction(0))
        need = (p.target - base) * GRID  # GRID·(target − fixed part) ≤ Σ k_f·feature_f
        searched = z3.Sum([coeff[k] * fs.get(k, 0) for k in coeff] or [z3.IntVal(0)])
        opt.add(need.denominator * searched >= need.numerator)
    for group in priority:
        opt.minimize(z3.Sum([coeff[k] for k in group]))
    r = opt.check()
    if r == z3.unknown:
        raise BoundError(f"z3 unknown ({opt.reason_unknown()})")
    if r == z3.unsat:
        raise BoundError("no coefficients on the grid satisfy the data points")
    model = opt.model()
    found = {k: Fraction(model.eval(v, model_completion=True).as_long(), GRID)
             for k, v in coeff.items()}
    return Bound(tuple(sorted((fixed | found).items())), tuple(p.name for p in points))


def work_bound(points: Sequence[Point]) -> Bound:
    """target ≤ Σ_op c_op·n_op + d·‖f‖, derived in the two stages of the module
    docstring (c_op from the point `op-<op>`, then the least d by z3)."""
    by_name = {p.name: p for p in points}
    c = {f"op:{op.value}": Fraction(by_name[op_point(op)].target, PRIMS[op].cost) for op in OPS}
    return derive(points, (("struct",),), c)


def size_bound(points: Sequence[Point]) -> Bound:
    """target ≤ c·‖f‖ (feature `struct`), c the least on the grid."""
    return derive(points, (("struct",),))


def spec_constants(b: Bound) -> tuple[Fraction, Fraction]:
    """(c, d) of  W(T f) ≤ c·W(f) + d·‖f‖  implied by a per-primitive work bound b on
    non-linear programs: c = max_op c_op / cost(op), d = b[struct]."""
    return max(b[f"op:{op.value}"] / PRIMS[op].cost for op in OPS), b["struct"]


def spec_bound(b: Bound) -> Bound:
    """The SPEC-shaped bound  c·W + d·‖f‖  (features `W`, `struct`) implied by b."""
    c, d = spec_constants(b)
    return Bound((("W", c), ("struct", d)), b.data)


def spec_features(m: Measure, model: str) -> dict[str, int]:
    """The features of `spec_bound` for a function measured by m."""
    return {"W": m.work[model], "struct": m.struct}


# --- targets: what each theorem bounds --------------------------------------------------------

WorkTarget = Callable[[Transformed], int]


def jvp_work(model: str) -> WorkTarget:
    """A5: W(J f)."""
    return lambda t: t.j.work[model]


def grad_work(model: str) -> WorkTarget:
    """A10: W(grad f)."""
    return lambda t: t.grad_work[model]


def work_point(t: Transformed, target: WorkTarget, name: str | None = None) -> Point:
    return Point.of(name or t.name, target(t), t.f.features())


def size_point(name: str, original: Measure, image: Measure) -> Point:
    """A11: ‖image‖ against ‖original‖."""
    return Point.of(name, image.struct, {"struct": original.struct})


def marginal(name: str, lo: Point, hi: Point) -> Point:
    """What one more level of a chain adds: hi − lo, target and features."""
    f_lo, f_hi = dict(lo.features), dict(hi.features)
    return Point.of(f"{name}/marginal", hi.target - lo.target,
                    {k: f_hi.get(k, 0) - f_lo.get(k, 0) for k in f_lo.keys() | f_hi.keys()})


# --- the data points -------------------------------------------------------------------------


@functools.cache
def schematic_transformed(policy: str) -> tuple[tuple[str, Transformed], ...]:
    """grad's stages on every non-linear schematic program, under a policy name."""
    return tuple((name, transformed(p, "f", policy)) for name, p in schematic("nonlinear"))


@functools.cache
def chain_transformed(policy: str) -> tuple[tuple[str, Transformed, Transformed], ...]:
    """grad's stages on the non-linear chains at both depths."""
    return tuple((name, transformed(lo, "f", policy), transformed(hi, "f", policy))
                 for name, lo, hi in chain_programs("nonlinear"))


def schematic_work_points(target: WorkTarget, policy: str = "store") -> list[Point]:
    """A5/A10's data: the schematic points and the chains' marginal points."""
    pts = [work_point(t, target, name) for name, t in schematic_transformed(policy)]
    return pts + [marginal(name, work_point(lo, target), work_point(hi, target))
                  for name, lo, hi in chain_transformed(policy)]


def _size_points(family: str, images: Callable[[Program], dict[str, tuple[Measure, Measure]]]
                 ) -> dict[str, list[Point]]:
    """Size points of a fragment's schematic programs and chains; `images` maps a
    program to {transformation: (‖f‖'s measure, ‖image‖'s measure)}."""
    out: dict[str, list[Point]] = {}
    for name, p in schematic(family):
        for key, (f, im) in images(p).items():
            out.setdefault(key, []).append(size_point(name, f, im))
    for name, lo, hi in chain_programs(family):
        at_lo, at_hi = images(lo), images(hi)
        for key in at_lo:
            out.setdefault(key, []).append(marginal(name, size_point(name, *at_lo[key]),
                                                    size_point(name, *at_hi[key])))
    return out


def _unzip_images(p: Program) -> dict[str, tuple[Measure, Measure]]:
    out = {}
    for policy in POLICY_NAMES:
        f, nonlin, lin, _, _ = unzip_measures(p, "f", policy)
        out[f"U.nonlin/{policy}"], out[f"U.lin/{policy}"] = (f, nonlin), (f, lin)
    return out


@functools.cache
def schematic_size_points() -> dict[str, tuple[Point, ...]]:
    """A11's data: J on the non-linear, U (both halves, per policy) on the mixed and T
    on the linear schematic programs and chains."""
    def jvp_images(p: Program) -> dict[str, tuple[Measure, Measure]]:
        t = transformed(p, "f")
        return {"J": (t.f, t.j)}

    pts = (_size_points("nonlinear", jvp_images) | _size_points("mixed", _unzip_images)
           | _size_points("linear", lambda p: {"T": transpose_measures(p, "f")[:2]}))
    return {k: tuple(v) for k, v in pts.items()}


# --- the constants ---------------------------------------------------------------------------


@functools.cache
def constants() -> dict[str, Bound]:
    """Every derived constant, keyed `A5/<model>`, `A10/<policy>/<model>`, `A11/J`,
    `A11/U.nonlin/<policy>`, `A11/U.lin/<policy>`, `A11/T`."""
    out: dict[str, Bound] = {}
    for model in MODELS:
        out[f"A5/{model}"] = work_bound(schematic_work_points(jvp_work(model)))
        for policy in POLICY_NAMES:
            out[f"A10/{policy}/{model}"] = work_bound(
                schematic_work_points(grad_work(model), policy))
    for name, pts in schematic_size_points().items():
        out[f"A11/{name}"] = size_bound(pts)
    return out


def data_points(key: str) -> list[Point]:
    """The data a constant of `constants()` is derived from."""
    match key.split("/"):
        case ["A5", model]:
            return schematic_work_points(jvp_work(model))
        case ["A10", policy, model]:
            return schematic_work_points(grad_work(model), policy)
        case ["A11", *name]:
            return list(schematic_size_points()["/".join(name)])
    raise KeyError(key)


def lowered(b: Bound, feature: str = "struct") -> Bound:
    """b with `feature`'s coefficient one grid step smaller (minimality witness)."""
    return Bound(tuple((k, c - Fraction(1, GRID) if k == feature else c) for k, c in b.coeffs))


def derivation_problems(key: str) -> list[str]:
    """Why the bound `key` would not be *derived*: a data point it misses, or a smaller
    coefficient of the size term (one grid step lower) that still covers every point."""
    b, pts = constants()[key], data_points(key)
    problems = [str(v) for v in b.violations(pts)]
    if b["struct"] > 0 and not lowered(b).violations(pts):
        problems.append(f"{key}: the size coefficient {b['struct']} is not minimal")
    return problems
