"""JAX as an outside oracle for our two reverse modes (issue 6, item 4).

A surface corpus program is ordinary Python, so JAX can run it unchanged: its source
(checked by `calculus.surface.check.analyse`, imports removed) is executed with the
primitive names `sin cos exp log sqrt tanh` and the module prefixes `math np numpy jnp`
bound to `jax.numpy` (`x ** k` is JAX's `integer_pow`), in float64.  The oracle's claim, checked per program and point, is

    ∇(Σ f)(x̄)  by jax.grad  =  T∘U∘J f (x̄; 1̄)  (policies store and recompute)
                             =  T_LL∘F∘⟦f⟧ (x̄; 1̄)

where Σ f is the sum of every real component of every result (our default cotangent is
1 on each of them), and the primal results agree as well.  Two floats a, b agree when

    |a − b| ≤ RTOL · max(|a|, |b|, FLOOR)        RTOL = 1e-12, FLOOR = 1

i.e. relatively above 1 and absolutely (1e-12) below 1, for derivatives that are zero or
near it (sin2cos2's is identically 0; both sides compute ~1e-16).

Equation counts.  `count_equations` counts the *leaf* equations of a jaxpr: an equation
whose parameters hold sub-jaxprs (pjit, custom_jvp_call, closed_call, …) is replaced by
the equations of its sub-jaxprs, recursively, and is not counted itself; every other
equation counts 1, whatever it computes (arithmetic, `mul` by the literal cotangent 1.0,
`add_any`, broadcasts, conversions, and primal equations whose result is unused).

Points are positive reals: `checkers.corpus.fixed_point` (0.5, 0.75, …) and SEEDED
points drawn uniformly from (0.5, 2) with fixed seeds.
"""

from __future__ import annotations

import ast
import builtins
import math
import random
from dataclasses import dataclass
from functools import reduce
from typing import Any, Callable

from calculus.cost_models import MODELS
from calculus.grad_ll import build, grad_ll
from calculus.linear_a.grad import grad, reverse
from calculus.linear_a.syntax import FunDef, Program, RealT, Type
from calculus.linear_a.work import work
from calculus.loader import EXAMPLES, corpus_programs, load_program
from calculus.surface.check import MODULE_PREFIXES, PRIM_NAMES, analyse
from checkers.corpus import fixed_point

try:
    import jax
    import jax.extend.core as jcore
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)
except ImportError:  # the optional extra llad[jax] is not installed
    jax = jcore = jnp = None

RTOL = 1e-12
FLOOR = 1.0
SEEDS = (1, 2, 3)
ROUTES = ("store", "recompute", "ll")  # grad with each policy, and grad_ll
NO_JAX = "—"


def jax_available() -> bool:
    return jax is not None


# ---------------------------------------------------------------- running under JAX

def jax_function(source: str, name: str) -> Callable[..., Any]:
    """Surface function `name` of `source`, executed by Python with jax.numpy numerics.

    Contract: `source` is in the surface subset (else the checker's SurfaceError);
    the function's values are JAX arrays (or tuples of them) in float64."""
    _require()
    module = analyse(source).module
    body = [s for s in module.body if not isinstance(s, ast.Import | ast.ImportFrom)]
    code = compile(ast.Module(body=body, type_ignores=[]), f"<jax:{name}>", "exec")
    env: dict[str, Any] = {"__builtins__": builtins}
    env |= {symbol: getattr(jnp, symbol) for symbol in PRIM_NAMES}
    env |= {prefix: jnp for prefix in MODULE_PREFIXES}
    exec(code, env)
    return env[name]


def summed(f: Callable[..., Any]) -> Callable[..., Any]:
    """x̄ ↦ the sum of every real component of f(x̄) (a bare result is returned as is,
    so a scalar function gains no equation)."""
    def total(*args):
        return reduce(lambda a, b: a + b, jax.tree_util.tree_leaves(f(*args)))
    return total


def jax_grad(source: str, name: str, at: tuple) -> tuple:
    """jax.grad of Σ f with respect to every parameter, at `at`, as Python floats
    (a tuple parameter's gradient is a tuple)."""
    f = jax_function(source, name)
    if not at:
        return ()
    g = jax.grad(summed(f), argnums=tuple(range(len(at))))(*at)
    return _floats(g)


def jax_primal(source: str, name: str, at: tuple) -> tuple:
    """f(at) under JAX as a tuple of results (one per returned value, as our primal)."""
    out = _floats(jax_function(source, name)(*at))
    return out if _multi(source, name) else (out,)


def _multi(source: str, name: str) -> bool:
    return analyse(source).funcs[name].multi


def _floats(v: Any) -> Any:
    return tuple(_floats(x) for x in v) if isinstance(v, tuple | list) else float(v)


# ---------------------------------------------------------------- equation counts

def count_equations(jaxpr: Any) -> int:
    """Leaf equations of a (Closed)Jaxpr, inlining sub-jaxprs (see the module docstring)."""
    inner = getattr(jaxpr, "jaxpr", jaxpr)
    total = 0
    for eqn in inner.eqns:
        subs = [s for v in eqn.params.values() for s in _subjaxprs(v)]
        total += sum(count_equations(s) for s in subs) if subs else 1
    return total


def primitive_histogram(jaxpr: Any, into: dict[str, int] | None = None) -> dict[str, int]:
    """Leaf equations by primitive name (the same equations `count_equations` counts)."""
    out = {} if into is None else into
    for eqn in getattr(jaxpr, "jaxpr", jaxpr).eqns:
        subs = [s for v in eqn.params.values() for s in _subjaxprs(v)]
        for s in subs:
            primitive_histogram(s, out)
        if not subs:
            out[eqn.primitive.name] = out.get(eqn.primitive.name, 0) + 1
    return out


def _subjaxprs(v: Any) -> list:
    if isinstance(v, jcore.ClosedJaxpr | jcore.Jaxpr):
        return [v]
    if isinstance(v, tuple | list):
        return [s for x in v for s in _subjaxprs(x)]
    return []


def make_jaxpr(func_source: str, name: str, args: tuple, differentiate: bool = True) -> Any:
    """make_jaxpr(jax.grad(Σ f)) (or of f itself when not differentiating) at args."""
    f = jax_function(func_source, name)
    target = jax.grad(summed(f), argnums=tuple(range(len(args)))) if differentiate else f
    return jax.make_jaxpr(target)(*args)


def jaxpr_equations(func_source: str, name: str, args: tuple, differentiate: bool = True) -> int:
    """Leaf equations of make_jaxpr(jax.grad(f)) (of make_jaxpr(f) if not differentiate)."""
    return count_equations(make_jaxpr(func_source, name, args, differentiate))


def jax_columns(name: str) -> list:
    """T2's JAX columns for corpus program `name`: [eqns(f), eqns(grad f)], or "—" twice
    without JAX."""
    if not jax_available():
        return [NO_JAX, NO_JAX]
    source = (EXAMPLES / f"{name}.py").read_text()
    at = fixed_point(load_program(EXAMPLES / f"{name}.py").get(name))
    return [jaxpr_equations(source, name, at, differentiate=False),
            jaxpr_equations(source, name, at)]


# ---------------------------------------------------------------- agreement

def points(f: FunDef) -> list[tuple]:
    """The fixed point of T2 and one seeded point in (0.5, 2) per seed."""
    out = [fixed_point(f)]
    for seed in SEEDS:
        rng = random.Random(seed)
        out.append(tuple(_draw(t, rng) for _, t in f.nl_params))
    return out


def _draw(t: Type, rng: random.Random) -> Any:
    if isinstance(t, RealT):
        return rng.uniform(0.5, 2.0)
    return tuple(_draw(s, rng) for s in t.elems)


def relative_error(a: float, b: float) -> float:
    """|a − b| / max(|a|, |b|, FLOOR): agreement is relative_error ≤ RTOL."""
    return abs(a - b) / max(abs(a), abs(b), FLOOR)


@dataclass(frozen=True)
class Mismatch:
    """Our value and JAX's at one component of one route's result."""

    program: str
    point: tuple
    route: str  # "store" | "recompute" | "ll", and "…:primal" for the primal results
    index: tuple[int, ...]  # the component's path in the (nested) result tuple
    ours: Any
    jax: Any


@dataclass
class Agreement:
    program: str
    compared: int  # number of scalar components compared
    max_error: float  # the largest relative_error observed
    mismatches: list[Mismatch]


def compare(program: str, at: tuple, route: str, ours: Any, theirs: Any,
            path: tuple[int, ...] = ()) -> tuple[int, float, list[Mismatch]]:
    """Componentwise agreement of two nested tuples of floats; a difference in shape is a
    mismatch at the deepest common path."""
    if isinstance(ours, tuple) or isinstance(theirs, tuple):
        if not (isinstance(ours, tuple) and isinstance(theirs, tuple)) or len(ours) != len(theirs):
            return 1, math.inf, [Mismatch(program, at, route, path, ours, theirs)]
        n, err, bad = 0, 0.0, []
        for i, (a, b) in enumerate(zip(ours, theirs)):
            k, e, m = compare(program, at, route, a, b, path + (i,))
            n, err, bad = n + k, max(err, e), bad + m
        return n, err, bad
    e = relative_error(float(ours), float(theirs))
    if e <= RTOL:
        return 1, e, []
    # NaN compares False above: a NaN on either side is a mismatch of error ∞
    return 1, e if e == e else math.inf, [Mismatch(program, at, route, path, float(ours),
                                                    float(theirs))]


def check_against_jax(name: str, program: Program, source: str,
                      at_points: list[tuple] | None = None) -> Agreement:
    """Our gradients of `name` (both policies of T∘U∘J, and T_LL∘F∘⟦·⟧) and primal
    results against JAX's, at `points(f)` unless given."""
    f = program.get(name)
    revs = {p: reverse(program, name, p) for p in ("store", "recompute")}
    built = build(program, name)
    n, err, bad = 0, 0.0, []
    for at in at_points or points(f):
        theirs = jax_grad(source, name, at)
        runs = {p: grad(program, name, at, policy=p, rev=revs[p]) for p in revs}
        ll = grad_ll(program, name, at, built=built)
        results = [(p, r.gradient, r.primal) for p, r in runs.items()]
        results.append(("ll", ll.gradient, ll.primal))
        primal = jax_primal(source, name, at)
        for route, g, prim in results:
            for r, ours, ref in ((route, tuple(g), theirs), (f"{route}:primal", tuple(prim), primal)):
                k, e, m = compare(name, at, r, ours, ref)
                n, err, bad = n + k, max(err, e), bad + m
    return Agreement(name, n, err, bad)


# ---------------------------------------------------------------- the closing-note data

def comparison(max_n: int = 100) -> dict[str, Any]:
    """Per corpus program: our W(grad f)/W(f) under both cost models next to JAX's
    eqns(grad f)/eqns(f), and JAX's grad equations by primitive."""
    _require()
    rows = {}
    for name, prog in corpus_programs(max_n):
        f = prog.get(name)
        at = fixed_point(f)
        source = (EXAMPLES / f"{name}.py").read_text()
        g = grad(prog, name, at)
        row: dict[str, Any] = {}
        for m, model in MODELS.items():
            w = work(prog, name, model)
            row[m] = {"W(f)": w, "W(grad f)": g.work[m], "ratio": _ratio(g.work[m], w)}
        ef = jaxpr_equations(source, name, at, differentiate=False)
        jg = make_jaxpr(source, name, at)
        eg = count_equations(jg)
        row["jax"] = {"eqns(f)": ef, "eqns(grad f)": eg, "ratio": _ratio(eg, ef),
                      "grad primitives": dict(sorted(primitive_histogram(jg).items()))}
        row["max relative error"] = check_against_jax(name, prog, source).max_error
        rows[name] = row
    return {"jax_version": jax.__version__, "tolerance": {"rtol": RTOL, "floor": FLOOR},
            "equation count": "leaf equations, sub-jaxprs inlined", "programs": rows}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _require() -> None:
    if jax is None:
        raise ImportError("JAX is the optional extra llad[jax]: pip install -e '.[jax]'")

