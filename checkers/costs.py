"""Work and size bounds of the Linear A transformations (SPEC §6: A5, A7, A9, A10, A11):
measure, derive the constants, check.

Measures of a function f of a program (f together with what it calls):

    W_m(f)    static work under cost model m (`calculus.linear_a.work.work`)
    n_op(f)   how many times primitive op is applied when f runs (calls unfolded)
    |f|       AST nodes of the bodies of f and of the functions it reaches, each body
              counted once (`work.program_size`, SPEC §2.3's size)
    ‖f‖       weighted size: every AST node counts 1, every variable occurrence (binder
              or use) counts the number of reals of its type, and a call also counts
              ‖callee‖ (calls unfolded)

The bounds are stated with ‖f‖ because |f| cannot carry them (`proofs/test_A5_…`,
`proofs/test_A11_…` check the families below): one node `(x, …, x;)` holds n uses of
x, which J turns into n−1 dups (`ret_fanout`); `drop(ltup(y1, …, yn))` is two nodes
that T turns into n zeros (`drop_fanout`); dup/drop/zero of a k-real value cost k in
the symmetric model and a transposed dup is a k-real +. in both models, while |f| does
not see k; and a work-free function called n times costs its J-overhead n times
while |f| counts its body once (`plumbing_calls`).

Bounds.  A `Bound` is  target ≤ Σ_k coeff_k · feature_k  over named features.  The
coefficients are *derived*, never chosen: from the *schematic programs* below — one
small program per constructor, primitive and sharing pattern of each fragment — and
the *marginal points* of chains (one constructor nested k deep: what level k+1 adds),
never from the programs the bound is then checked on (corpus, fuzz), so those checks
are tests.  Work bounds (`work_bound`) have the features `op:<op>` (n_op) and `struct`
(‖f‖) and are derived in two stages:

  1. c_op = target / cost(op) on the one-primitive schematic program `op-<op>`: what
     the transformation spends per application of op, its tangent plumbing included;
  2. d = the least value on the grid ℕ/GRID, found by z3's Optimize, such that every
     schematic point satisfies  target ≤ Σ_op c_op·n_op + d·‖f‖.

For non-linear f, W(f) = Σ_op cost(op)·n_op(f), so the per-primitive bound implies the
SPEC-shaped one  W(T f) ≤ c·W(f) + d·‖f‖  with c = max_op c_op / cost(op)
(`spec_constants`).  Size bounds (`size_bound`) are  target ≤ c·‖f‖, c least on the
grid.  z3 `unknown` or `unsat` raises `BoundError`: no silent constants.

Transformations measured: `transformed` runs grad = T∘U∘J (`grad.reverse`) and measures
f, f.jvp, f.jvp.nonlin, f.jvp.lin and f.jvp.lin.T; the reverse pass's work is
W(f.jvp.nonlin) + W(f.jvp.lin.T).  `constants()` derives every constant (cached);
`write_constants()` writes them to `paper_figures/out/constants.json`, deterministically.

Theorem checks shared by `proofs/` and the broken-rule tests, each returning the
`Violation`s found: `work_violations` (A5, A10), `unzip_work_violations` (A7),
`transpose_work_violations` (A9), `size_violation` (A11); and A10's meaning half,
`gradient_theorem` (a `Verdict`).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence, assert_never

import sympy
import z3

from calculus.cost_models import MODELS
from calculus.deep import deep
from calculus.linear_a.grad import grad, reverse
from calculus.linear_a.jvp import jvp_name
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import (Call, Drop, Dup, Expr, LAdd, Let, Lit, LScale, LTup, LVar,
                                      Prim, Program, Ret, Tup, TupT, Type, UnpackLtup,
                                      UnpackTup, Var, Zero, n_reals)
from calculus.linear_a.transpose import t_name, transpose_program
from calculus.linear_a.typecheck import Typing, check_program
from calculus.linear_a.unzip import (Binding, Policy, UnzipInfo, lin_name, nonlin_name,
                                     unzip_program)
from calculus.linear_a.work import calls, program_size, work
from calculus.primitives import PRIMS, Op
from checkers.semantics import (all_of, by_binding, corpus_program, evaluate, leaves,
                                symbolic_inputs, whole_term)
from checkers.symbolic import Verdict, prove_equal

GRID = 4  # derived constants are multiples of 1/GRID
Z3_RLIMIT = 20_000_000  # machine-independent budget of one derivation
OUT = Path(__file__).resolve().parent.parent / "paper_figures" / "out" / "constants.json"
POLICY_NAMES = ("store", "recompute")  # the checkpoint policies constants are derived for


class BoundError(Exception):
    """z3 derived no bound: `unsat` (no coefficients fit the data) or `unknown`."""


# --- measures ------------------------------------------------------------------------------


def k_of(types: Iterable[Type]) -> int:
    """Reals in a list of types."""
    return sum(n_reals(t) for t in types)


@dataclass(frozen=True)
class Measure:
    """What is measured of one function (module docstring)."""

    work: Mapping[str, int]  # cost model name → W
    ops: Mapping[Op, int]  # n_op, calls unfolded
    size: int  # |f|
    struct: int  # ‖f‖

    def features(self) -> dict[str, int]:
        """The features of the work bounds: n_op per primitive and ‖f‖."""
        return {f"op:{op.value}": self.ops.get(op, 0) for op in Op} | {"struct": self.struct}


class _Walk:
    """Per function (memoised): n_op and ‖·‖, both with calls unfolded.  Variable types
    come from parameters, from the types the checker recorded for let-bound
    expressions, and from tuple types for unpacking; the environment is updated in
    place and restored (linear time on 10⁴-long let chains, shadowing respected)."""

    def __init__(self, program: Program, typing: Typing) -> None:
        self.program, self.typing = program, typing
        self.done: dict[str, tuple[dict[Op, int], int]] = {}

    def func(self, name: str) -> tuple[dict[Op, int], int]:
        if name not in self.done:
            f = self.program.get(name)
            env = dict(f.nl_params) | dict(f.lin_params)
            ops: dict[Op, int] = {}
            body = self.e(f.body, env, ops)
            self.done[name] = (ops, body + k_of(t for _, t in f.nl_params + f.lin_params))
        return self.done[name]

    def under(self, env: dict[str, Type], new: Iterable[tuple[str, Type]], body: Expr,
              ops: dict[Op, int]) -> int:
        new = list(new)
        saved = [(x, env.get(x)) for x, _ in new]
        env.update(new)
        try:
            return self.e(body, env, ops)
        finally:
            for x, old in reversed(saved):
                if old is None:
                    env.pop(x, None)
                else:
                    env[x] = old

    def e(self, e: Expr, env: dict[str, Type], ops: dict[Op, int]) -> int:
        """‖e‖; adds e's primitive applications (callees' included) to ops."""
        k = lambda xs: sum(n_reals(env[x]) for x in xs)  # noqa: E731 -- reals of names
        match e:
            case Ret(xs, ys):
                return 1 + k(xs + ys)
            case Call(g, xs, ys):
                g_ops, g_struct = self.func(g)
                for op, n in g_ops.items():
                    ops[op] = ops.get(op, 0) + n
                return 1 + k(xs + ys) + g_struct
            case Var(x) | LVar(x):
                return 1 + k((x,))
            case Tup(xs) | LTup(xs):
                return 1 + k(xs)
            case Lit() | Zero():
                return 1
            case Let(xs, ys, bound, body):
                nl, lin = self.typing.of(bound)
                s1 = self.e(bound, env, ops)
                return 1 + k_of(nl + lin) + s1 + self.under(env, zip(xs + ys, nl + lin), body, ops)
            case UnpackTup(xs, t, body) | UnpackLtup(xs, t, body):
                tt = env[t]
                assert isinstance(tt, TupT)
                return 1 + 2 * n_reals(tt) + self.under(env, zip(xs, tt.elems), body, ops)
            case Prim(op, args):
                ops[op] = ops.get(op, 0) + 1
                return 1 + sum(self.e(a, env, ops) for a in args)
            case LAdd(a, b) | LScale(a, b):
                return 1 + self.e(a, env, ops) + self.e(b, env, ops)
            case Dup(a) | Drop(a):
                return 1 + self.e(a, env, ops)
            case _:
                assert_never(e)


@deep
def measure(program: Program, func: str, typing: Typing | None = None) -> Measure:
    """W under every cost model, n_op, |f| and ‖f‖ of func (type-checks the program
    unless its typing is given)."""
    typing = typing or check_program(program)
    ops, struct = _Walk(program, typing).func(func)
    return Measure({m: work(program, func, model, typing) for m, model in MODELS.items()},
                   dict(ops), program_size(program, func), struct)


# --- the transformations, measured ------------------------------------------------------------


@dataclass
class Transformed:
    """f (non-linear) and the stages of grad f = T(U(J f)) under one checkpoint policy."""

    name: str
    policy: str
    f: Measure
    j: Measure  # f.jvp
    nonlin: Measure  # f.jvp.nonlin
    lin: Measure  # f.jvp.lin
    backward: Measure  # f.jvp.lin.T
    info: UnzipInfo  # f.jvp's tape

    @property
    def grad_work(self) -> dict[str, int]:
        """W(grad f) = W(f.jvp.nonlin) + W(f.jvp.lin.T), per cost model."""
        return {m: self.nonlin.work[m] + self.backward.work[m] for m in MODELS}


def policy_name(policy: Policy) -> str:
    return policy if isinstance(policy, str) else getattr(policy, "__name__", "predicate")


@deep
def transformed(program: Program, func: str, policy: Policy = "store") -> Transformed:
    """Run grad = T∘U∘J on func (`grad.reverse`) and measure every stage (the
    transformed program is type-checked on the way)."""
    rev = reverse(program, func, policy)
    typing = check_program(rev.program)
    m = lambda g: measure(rev.program, g, typing)  # noqa: E731
    return Transformed(func, policy_name(policy), m(func), m(jvp_name(func)), m(rev.nonlin),
                       m(lin_name(jvp_name(func))), m(rev.backward), rev.unzip_info)


def unzip_measures(program: Program, func: str, policy: Policy = "store"
                   ) -> tuple[Measure, Measure, Measure, dict[str, UnzipInfo], Program]:
    """(f, f.nonlin, f.lin, U's info for f and every function it calls, U's program)
    for any well-typed f."""
    u = unzip_program(program, func, policy)
    typing = check_program(u.program)
    return (measure(u.program, func, typing), measure(u.program, nonlin_name(func), typing),
            measure(u.program, lin_name(func), typing), u.info, u.program)


def transpose_measures(program: Program, func: str) -> tuple[Measure, Measure, Program]:
    """(f, f.T, T's program) for linear f (T's fragment)."""
    tp = transpose_program(program, func)
    typing = check_program(tp)
    return measure(tp, func, typing), measure(tp, t_name(func), typing), tp


# --- what the theorems count ---------------------------------------------------------------


def dup_reals(program: Program, func: str, typing: Typing | None = None) -> int:
    """Reals duplicated by `dup` when func runs (calls unfolded): Σ over executed
    dup(e) of the reals of e's linear result.  A9 bounds T's arithmetic excess by it."""
    typing = typing or check_program(program)
    memo: dict[str, int] = {}

    def fun(name: str) -> int:
        if name not in memo:
            memo[name] = go(program.get(name).body)
        return memo[name]

    def go(e: Expr) -> int:
        match e:
            case Dup(a):
                return k_of(typing.of(a)[1]) + go(a)
            case Call(g):
                return fun(g)
            case Let(_, _, a, b) | LAdd(a, b) | LScale(a, b):
                return go(a) + go(b)
            case UnpackTup(_, _, b) | UnpackLtup(_, _, b) | Drop(b):
                return go(b)
            case Prim(_, args):
                return sum(go(a) for a in args)
            case Ret() | Var() | Lit() | Tup() | LVar() | LTup() | Zero():
                return 0
            case _:
                assert_never(e)

    return deep(fun)(func)


def binding_work(program: Program, b: Binding) -> int:
    """W of one non-linear binding of U (`UnzipInfo.recomputed`), counted here from its
    expression and its callees' bodies, independently of `work.work`: a non-linear
    expression does no linear operation, so its work is the cost of its primitives
    under every cost model.  A7: what recomputing b costs."""
    if b.tup is not None:
        return 0
    memo: dict[str, int] = {}

    def go(e: Expr) -> int:
        match e:
            case Prim(op, args):
                return PRIMS[op].cost + sum(go(a) for a in args)
            case Call(g):
                if g not in memo:
                    memo[g] = go(program.get(g).body)
                return memo[g]
            case Let(_, _, a, body):
                return go(a) + go(body)
            case UnpackTup(_, _, body) | Drop(body):
                return go(body)
            case Ret() | Var() | Lit() | Tup():
                return 0
            case LVar() | LTup() | LAdd() | LScale() | Zero() | Dup() | UnpackLtup():
                raise ValueError(f"binding {b.names} is not non-linear: {type(e).__name__}")
            case _:
                assert_never(e)

    assert b.expr is not None
    return deep(go)(b.expr)


def recomputation_work(up: Program, info: Mapping[str, UnzipInfo], func: str) -> int:
    """E(f) = Σ_{b ∈ R_f} W(b) + Σ_{calls g(…) in f's body} E(g): the work U adds to f —
    its own recomputed bindings R_f (`UnzipInfo.recomputed`, W(b) by `binding_work`)
    and, at every call, what U adds to the callee (g.nonlin and g.lin run once per
    call of g, so g's recomputations are paid per call).  `up` is U's program."""
    memo: dict[str, int] = {}

    def e(name: str) -> int:
        if name not in memo:
            own = sum(binding_work(up, b) for b in info[name].recomputed)
            memo[name] = own + sum(e(g) for g in calls(up.get(name).body))
        return memo[name]

    return deep(e)(func)


# --- bounds ----------------------------------------------------------------------------------


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

    def as_json(self) -> dict[str, str]:
        return {k: str(c) for k, c in self.coeffs}


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


def op_point(op: Op) -> str:
    """The name of op's one-primitive schematic program."""
    return f"op-{op.value}"


def work_bound(points: Sequence[Point]) -> Bound:
    """target ≤ Σ_op c_op·n_op + d·‖f‖, derived in the two stages of the module
    docstring (c_op from the point `op-<op>`, then the least d by z3)."""
    by_name = {p.name: p for p in points}
    c = {f"op:{op.value}": Fraction(by_name[op_point(op)].target, PRIMS[op].cost) for op in Op}
    return derive(points, (("struct",),), c)


def size_bound(points: Sequence[Point]) -> Bound:
    """target ≤ c·‖f‖ (feature `struct`), c the least on the grid."""
    return derive(points, (("struct",),))


def spec_constants(b: Bound) -> tuple[Fraction, Fraction]:
    """(c, d) of  W(T f) ≤ c·W(f) + d·‖f‖  implied by a per-primitive work bound b on
    non-linear programs: c = max_op c_op / cost(op), d = b[struct]."""
    return max(b[f"op:{op.value}"] / PRIMS[op].cost for op in Op), b["struct"]


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


# --- schematic programs: the data the constants are derived from --------------------------------
# One small program per constructor, primitive and sharing pattern of each fragment, as
# Linear A text; the function under test is `f`.  Tuple types make per-real prices show.

P2 = "(real, real)"
P3 = "((real, real), real)"


def _op_program(op: Op) -> str:
    rule = PRIMS[op]
    if rule.arity == 1:
        return f"def f(x: real) -> (real;) = {'-x' if op is Op.NEG else f'{rule.symbol}(x)'}"
    return f"def f(x: real, y: real) -> (real;) = x {rule.symbol} y"


SCHEMATIC_NONLINEAR: dict[str, str] = {
    "var": "def f(x: real) -> (real;) = x",
    "ret-shared": "def f(x: real) -> (real, real, real;) = (x, x, x;)",
    "lit": "def f(x: real) -> (real;) = let (;) = drop(x) in 1.5",
    "let": "def f(x: real) -> (real;) = let (y;) = x in y",
    "let-shared": "def f(x: real) -> (real, real;) = let (y;) = x in (y, y;)",
    "tup": "def f(x: real, y: real) -> ((real, real);) = tup(x, y)",
    "tup-shared": f"def f(x: real) -> ({P2}, real;) = let (p;) = tup(x, x) in (p, x;)",
    "unpack": f"def f(p: {P3}) -> ({P2}, real;) = let tup(a, b) = p in (a, b;)",
    "unpack-shared": (f"def f(p: {P2}) -> ({P2}, real;) = "
                      "let tup(a, b) = p in let (;) = drop(b) in (p, a;)"),
    "share-tuple": f"def f(p: {P3}) -> ({P3}, {P3};) = (p, p;)",
    "drop": "def f(x: real, y: real) -> (real;) = let (;) = drop(y) in x",
    "drop-tuple": f"def f(p: {P3}, x: real) -> (real;) = let (;) = drop(p) in x",
    "drop-expr": "def f(x: real, y: real) -> (real;) = let (;) = drop(sin(y) * x) in x",
    "closed-arg": "def f(x: real) -> (real;) = x * 2.0",
    "closed-arg-left": "def f(x: real) -> (real;) = sin(1.0) * x",
    "nested-shared": "def f(x: real) -> (real;) = sin(x * x)",
    "call": "def g(x: real) -> (real;) = x\n\ndef f(x: real) -> (real;) = g(x;)",
    "call-shared": ("def g(x: real, y: real) -> (real, real;) = (y, x;)\n\n"
                    "def f(x: real) -> (real, real;) = g(x, x;)"),
    "call-tuple": (f"def g(p: {P3}) -> ({P3}, {P3};) = (p, p;)\n\n"
                   f"def f(p: {P3}) -> ({P3}, {P3};) = g(p;)"),
    "call-prim": ("def g(x: real, y: real) -> (real;) = x * y\n\n"
                  "def f(x: real) -> (real;) = let (y;) = g(x, x;) in g(y, x;)"),
} | {op_point(op): _op_program(op) for op in Op}

SCHEMATIC_LINEAR: dict[str, str] = {
    "lvar": "def f(; a: real) -> (; real) = a",
    "lvar-tuple": f"def f(; a: {P3}) -> (; {P3}) = a",
    "ret": "def f(; a: real, b: real) -> (; real, real) = (; b, a)",
    "ltup": f"def f(; a: real, b: {P2}) -> (; (real, {P2})) = ltup(a, b)",
    "unpack-ltup": f"def f(; p: {P3}) -> (; {P2}, real) = let ltup(a, b) = p in (; a, b)",
    "ladd": "def f(; a: real, b: real) -> (; real) = a +. b",
    "ladd-tuple": f"def f(; a: {P3}, b: {P3}) -> (; {P3}) = a +. b",
    "scale": "def f(x: real; a: real) -> (; real) = x *. a",
    "scale-tuple": f"def f(x: real; a: {P3}) -> (; {P3}) = x *. a",
    "scale-expr": "def f(x: real; a: real) -> (; real) = sin(x) *. a",
    "zero": "def f(x: real) -> (; real) = let (;) = drop(x) in zero",
    "zero-tuple": f"def f(x: real) -> (; {P3}) = let (;) = drop(x) in zero[{P3}]",
    "dup": "def f(; a: real) -> (; real, real) = dup(a)",
    "dup-tuple": f"def f(; a: {P3}) -> (; {P3}, {P3}) = dup(a)",
    "drop": "def f(; a: real, b: real) -> (; real) = let (;) = drop(b) in a",
    "drop-tuple": f"def f(; a: real, b: {P3}) -> (; real) = let (;) = drop(b) in a",
    "drop-expr": ("def f(x: real; a: real, b: real) -> (; real) = "
                  "let (;) = drop(x *. a +. b) in zero"),
    "drop-ltup": ("def f(; a: real, b: real, c: real) -> (; real) = "
                  "let (;) = drop(ltup(a, b, c)) in zero"),
    "let": "def f(; a: real, b: real) -> (; real) = let (; c) = a +. b in c",
    "let-nonlinear": "def f(x: real; a: real) -> (; real) = let (y;) = sin(x) in y *. a",
    "let-pass": "def f(; a: real, b: real) -> (; real, real) = let (; c) = a in (; c, b)",
    "call": ("def g(x: real; a: real) -> (; real) = x *. a\n\n"
             "def f(x: real; a: real) -> (; real) = g(x; a)"),
    "call-tuple": (f"def g(; a: {P3}) -> (; {P3}, {P3}) = dup(a)\n\n"
                   f"def f(; a: {P3}) -> (; {P3}, {P3}) = g(; a)"),
}

SCHEMATIC_MIXED: dict[str, str] = {
    "mixed-ret": "def f(x: real; a: real) -> (real; real) = (x; a)",
    "mixed-let": ("def f(x: real; a: real) -> (real; real) = "
                  "let (y;) = sin(x) in let (; b) = y *. a in (y; b)"),
    "mixed-bind": ("def f(x: real; a: real) -> (real; real) = "
                   "let (y; b) = (x; a) in let (; c) = y *. b in (y; c)"),
    "mixed-tuple": (f"def f(p: {P3}; a: {P3}) -> ({P3}; {P3}) = let tup(q, r) = p in "
                    "let (;) = drop(q) in let (; b) = r *. a in (p; b)"),
    "mixed-call": ("def g(x: real; a: real) -> (real; real) = "
                   "let (y;) = cos(x) in let (; b) = y *. a in (y; b)\n\n"
                   "def f(x: real; a: real) -> (real; real) = let (y; b) = g(x; a) in g(y; b)"),
    "mixed-drop": "def f(x: real; a: real) -> (real; real) = let (;) = drop(sin(x)) in (x; a)",
} | SCHEMATIC_NONLINEAR | {f"lin-{k}": v for k, v in SCHEMATIC_LINEAR.items()}


# Chains: a constructor nested k deep.  A bound c·‖f‖ (+ …) is homogeneous, so it must
# also hold for the *marginal* point of a chain — what one more level adds to the
# target and to the features (`chain_programs`); without these points the constants
# fit shallow programs only (a chain's ratio grows towards its marginal ratio).

def _nest(k: int, inner: str, wrap: Callable[[str], str]) -> str:
    for _ in range(k):
        inner = wrap(inner)
    return inner


def _params(prefix: str, k: int, t: str = "real") -> str:
    return ", ".join(f"{prefix}{i}: {t}" for i in range(k))


def _op_chain(op: Op) -> Callable[[int], str]:
    rule = PRIMS[op]
    if rule.arity == 1:
        wrap = (lambda e: f"-({e})") if op is Op.NEG else (lambda e: f"{rule.symbol}({e})")
    else:
        wrap = lambda e: f"({e}) {rule.symbol} x"  # noqa: E731
    return lambda k: f"def f(x: real) -> (real;) = {_nest(k, 'x', wrap)}"


def _fanout(k: int, t: str = "real", name: str = "x") -> tuple[str, str]:
    """(k+1 copies of `name`, their result types)."""
    return ", ".join([name] * (k + 1)), ", ".join([t] * (k + 1))


CHAINS_NONLINEAR: dict[str, Callable[[int], str]] = {
    "chain-fanout": lambda k: "def f(x: real) -> ({1};) = ({0};)".format(*_fanout(k)),
    "chain-fanout-tuple": lambda k: "def f(x: {2}) -> ({1};) = ({0};)".format(
        *_fanout(k, P3), P3),
    "chain-tup-fanout": lambda k: "def f(x: real) -> (({1});) = tup({0})".format(*_fanout(k)),
    "chain-drop-fanout": lambda k: ("def f(x: real, y: real) -> (real;) = "
                                    "let (;) = drop(({0};)) in x".format(_fanout(k, name="y")[0])),
    "chain-call-fanout": lambda k: ("def g({1}) -> (real;) = let (;) = drop(({2};)) in x0\n\n"
                                    "def f(x: real) -> (real;) = g({0};)").format(
        _fanout(k)[0], _params("x", k + 1), ", ".join(f"x{i}" for i in range(1, k + 1))),
    "chain-lit": lambda k: f"def f(x: real) -> (real;) = {_nest(k, 'x', lambda e: f'2.0 * ({e})')}",
    "chain-let": lambda k: ("def f(x0: real) -> (real;) = "
                            + "".join(f"let (x{i + 1};) = sin(x{i}) in " for i in range(k))
                            + f"x{k}"),
    "chain-tup": lambda k: ("def f(x0: real) -> (real;) = "
                            + "".join(f"let (p{i};) = tup(x{i}, x{i}) in "
                                      f"let tup(x{i + 1}, y{i}) = p{i} in "
                                      f"let (;) = drop(y{i}) in " for i in range(k))
                            + f"x{k}"),
    "chain-call": lambda k: ("def g(x: real) -> (real;) = sin(x)\n\n"
                             "def f(x0: real) -> (real;) = "
                             + "".join(f"let (x{i + 1};) = g(x{i};) in " for i in range(k))
                             + f"x{k}"),
} | {f"chain-{op.value}": _op_chain(op) for op in Op}

CHAINS_LINEAR: dict[str, Callable[[int], str]] = {
    "chain-ladd": lambda k: (f"def f(; {_params('a', k + 1)}) -> (; real) = "
                             + _nest(k, "a0", lambda e: f"a{e.count('a')} +. ({e})")),
    "chain-scale": lambda k: ("def f(x: real; a: real) -> (; real) = "
                              + _nest(k, "a", lambda e: f"x *. ({e})")),
    "chain-scale-lit": lambda k: ("def f(; a: real) -> (; real) = "
                                  + _nest(k, "a", lambda e: f"2.0 *. ({e})")),
    "chain-dup": lambda k: ("def f(; a0: real) -> (; real) = "
                            + "".join(f"let (; a{i + 1}, b{i}) = dup(a{i}) in "
                                      f"let (;) = drop(b{i}) in " for i in range(k))
                            + f"a{k}"),
    "chain-pass": lambda k: (f"def f(; {_params('a', k)}) -> (; {', '.join(['real'] * k)}) = "
                             + "".join(f"let (; c{i}) = a{i} in " for i in range(k))
                             + f"(; {', '.join(f'c{i}' for i in range(k))})"),
    "chain-zero": lambda k: ("def f(x: real) -> (; real) = let (;) = drop(x) in "
                             + _nest(k, "zero", lambda e: f"zero +. ({e})")),
}

CHAINS_MIXED: dict[str, Callable[[int], str]] = {
    "chain-mixed": lambda k: ("def f(x0: real; a0: real) -> (real; real) = "
                              + "".join(f"let (x{i + 1};) = sin(x{i}) in "
                                        f"let (; a{i + 1}) = x{i + 1} *. a{i} in "
                                        for i in range(k))
                              + f"(x{k}; a{k})"),
    "chain-mixed-lit": lambda k: ("def f(x: real; a: real) -> (real; real) = "
                                  "let (; b) = " + _nest(k, "a", lambda e: f"x *. 0.5 *. ({e})")
                                  + " in (x; b)"),
} | CHAINS_NONLINEAR | {f"lin-{k}": v for k, v in CHAINS_LINEAR.items()}

FAMILIES = {"nonlinear": SCHEMATIC_NONLINEAR, "linear": SCHEMATIC_LINEAR,
            "mixed": SCHEMATIC_MIXED}
CHAIN_FAMILIES = {"nonlinear": CHAINS_NONLINEAR, "linear": CHAINS_LINEAR,
                  "mixed": CHAINS_MIXED}
CHAIN_DEPTHS = (2, 3)  # the marginal point is depth 3 minus depth 2


@functools.cache
def schematic(family: str) -> tuple[tuple[str, Program], ...]:
    """The parsed schematic programs of a fragment: 'nonlinear' (J, grad), 'linear'
    (T) or 'mixed' (U)."""
    return tuple((name, parse_program(text)) for name, text in FAMILIES[family].items())


@functools.cache
def chain_programs(family: str) -> tuple[tuple[str, Program, Program], ...]:
    """(name, the chain at depth 2, at depth 3) for the chains of a fragment."""
    lo, hi = CHAIN_DEPTHS
    return tuple((name, parse_program(make(lo)), parse_program(make(hi)))
                 for name, make in CHAIN_FAMILIES[family].items())


def marginal(name: str, lo: Point, hi: Point) -> Point:
    """What one more level of a chain adds: hi − lo, target and features."""
    f_lo, f_hi = dict(lo.features), dict(hi.features)
    return Point.of(f"{name}/marginal", hi.target - lo.target,
                    {k: f_hi.get(k, 0) - f_lo.get(k, 0) for k in f_lo.keys() | f_hi.keys()})


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


# --- the constants ---------------------------------------------------------------------------


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


def constants_json() -> dict:
    """constants() in the layout of paper_figures (top-level keys are theorem ids)."""
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
            "derived_from": {fam: sorted(t) + sorted(f"{c}/marginal" for c in CHAIN_FAMILIES[fam])
                             for fam, t in FAMILIES.items()},
            "per_primitive": {k: b.as_json() for k, b in sorted(cs.items())
                              if not k.startswith("A11/")},
        },
    }


def write_constants(path: Path = OUT) -> Path:
    """Write `constants_json()` (sorted keys: the content depends only on the code)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(constants_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


# --- the theorem checks (shared by proofs/ and the broken-rule tests) --------------------------
# Each returns the violations found (empty: the theorem holds of this function).  The
# constants are `constants()` unless given: a broken-rule test passes the constants of
# the correct transformations, computed before it breaks one.

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


@functools.cache
def corpus_transformed(name: str, policy: str = "store") -> Transformed:
    """`transformed` on the corpus example `name` (cached for the session: A5, A10 and
    A11 measure the same runs)."""
    return transformed(corpus_program(name), name, policy)


# --- A10's meaning half: grad is the gradient ------------------------------------------------


def _shaped(fn: Callable, v):
    """fn on every real component of a value, keeping its tuple structure."""
    return tuple(_shaped(fn, c) for c in v) if isinstance(v, tuple) else fn(v)


def gradient_theorem(program: Program, func: str, policy: Policy = "store") -> Verdict:
    """grad f (x̄) = (f(x̄) ; ∇ₓ Σ_r r(x̄)) for fresh symbols x̄, r ranging over the real
    components of f's results, ∇ by `sympy.diff` of f's own symbolic value; grad's
    program type-checks."""
    f = program.get(func)
    x, _ = symbolic_inputs(f)
    primal = evaluate(program, func, x)
    rev = reverse(program, func, policy)
    check_program(rev.program)
    g = grad(program, func, x, mode="symbolic", policy=policy, rev=rev)
    total = sympy.Add(*leaves(primal.nl))
    expected = _shaped(lambda xi: sympy.diff(total, xi), x)
    conds = primal.conditions + g.conditions
    return all_of(iter([
        ("primal", lambda: prove_equal(g.primal, primal.nl, conds)),
        ("gradient", lambda: prove_equal(g.gradient, expected, conds)),
    ]))


def gradient_by_size(program: Program, func: str, policy: Policy = "store") -> Verdict:
    """`gradient_theorem` whole term for |f| ≤ WHOLE_TERM_MAX_SIZE, else rule by rule:
    on each binding of f's A-normal-form spine as a tiny function (`by_binding`)."""
    if whole_term(program, func):
        return gradient_theorem(program, func, policy)
    return by_binding(program, func, lambda p, h: gradient_theorem(p, h, policy))
