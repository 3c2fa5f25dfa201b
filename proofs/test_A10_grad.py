"""A10 — grad = T∘U∘J is the gradient, at a constant factor of work.

For every well-typed non-linear  f(x̄:τ̄ ;) -> (τ̄' ;)  and checkpoint policy
(store-all, recompute-all), with  grad f = f.jvp.lin.T ∘ f.jvp.nonlin  run on the
cotangent 1 for every real component of every result:

    grad f (x̄)  =  ( f(x̄) ;  ∇ₓ Σ_r r(x̄) )          (r ranges over the real components
                                                      of f's results)
    W_m(grad f)  ≤  Σ_op c_op·n_op(f) + d·‖f‖  ≤  c·W_m(f) + d·‖f‖

for both cost models m, with W(grad f) = W(f.jvp.nonlin) + W(f.jvp.lin.T), n_op and
‖f‖ as in `checkers.measure`, c = max_op c_op / cost(op), and the constants derived per
policy and cost model by `checkers.bounds.constants()` from the schematic programs
(`paper_figures.constants` writes them to `paper_figures/out/constants.json`).

Gradient, symbolically: x̄ are fresh real symbols, `grad(…, mode="symbolic")` is
compared by `prove_equal` with `sympy.diff` of f's own symbolic value (independent of
the derivative table J uses), under the domain side conditions.
  whole term    corpus functions with |f| ≤ 500 nodes and the random programs of
                `nonlinear_programs`, both policies;
  rule by rule  horner_100, sumprod_100 and the N = 1000 members (chain_1000 under
                `ci`, all under `thorough`), both policies: each let-binding of the
                A-normal-form spine is extracted as a tiny function of its free
                variables and its gradient checked — the chain rule's premises (the
                reverse pass composes the bindings' adjoints in reverse order, which the
                whole-term checks exercise).
Work: static W of the re-type-checked output, every corpus program (N ≤ 100, the large
members as above) and random programs.  Deep programs: grad of chain_10000,
horner_10000 and sumprod_10000 runs in float mode without RecursionError, agrees with
the families' closed-form gradients, and its (dynamic) work meets the bound.  With
SPEC's |f| in place of ‖f‖ no d exists (`ret_fanout`: one node, n−1 transposed dups).
"""

from __future__ import annotations

import math

import pytest
import sympy
from hypothesis import given

from calculus.cost_models import MODELS
from calculus.linear_a.grad import grad
from calculus.linear_a.work import program_size
from checkers.bounds import Point, constants, derivation_problems, derive, spec_bound, spec_features
from checkers.corpus import corpus_names, corpus_program, large_members, whole_term
from checkers.cost_theorems import work_violations
from checkers.measure import corpus_transformed, measure, transformed
from checkers.policies import POLICY_NAMES
from checkers.schematic import ret_fanout
from checkers.semantics import gradient_by_size, gradient_theorem, symbolic_inputs
from checkers.strategies import Generated, nonlinear_programs
from checkers.symbolic import prove_equal

KEYS = [f"A10/{p}/{m}" for p in POLICY_NAMES for m in MODELS]


# --- the constants ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_constants_are_derived(key: str) -> None:
    """The bound covers every data point and d is least on the grid."""
    assert derivation_problems(key) == []


# --- the gradient ------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", POLICY_NAMES)
@pytest.mark.parametrize("name", corpus_names(100))
def test_gradient_corpus(name: str, policy: str) -> None:
    v = gradient_by_size(corpus_program(name), name, policy)
    assert v, f"{name} [{policy}]: {v}"


@pytest.mark.parametrize("policy", POLICY_NAMES)
@pytest.mark.parametrize("name", large_members())
def test_gradient_large_rule_by_rule(name: str, policy: str) -> None:
    p = corpus_program(name)
    assert not whole_term(p, name)
    v = gradient_by_size(p, name, policy)
    assert v and v.method.startswith("rule by rule"), f"{name} [{policy}]: {v}"


def test_gradient_acceptance_sin2cos2() -> None:
    """∇((sin x)² + (cos x)²) = 0, proved on grad's own output."""
    p = corpus_program("sin2cos2")
    x, _ = symbolic_inputs(p.get("sin2cos2"))
    g = grad(p, "sin2cos2", x, mode="symbolic")
    assert prove_equal(g.gradient, (sympy.Integer(0),), g.conditions)


# --- the work bound ----------------------------------------------------------------------------


@pytest.mark.parametrize("policy", POLICY_NAMES)
@pytest.mark.parametrize("name", corpus_names(100) + large_members())
def test_work_corpus(name: str, policy: str) -> None:
    assert work_violations(corpus_transformed(name, policy), "A10") == []


@given(nonlinear_programs())
def test_fuzzed(g: Generated) -> None:
    for policy in POLICY_NAMES:
        v = gradient_theorem(g.program, g.func, policy)
        assert v, f"[{policy}] {v}\n{g}"
        vs = work_violations(transformed(g.program, g.func, policy), "A10")
        assert vs == [], f"[{policy}] {[str(x) for x in vs]}\n{g}"


def test_plain_size_admits_no_bound() -> None:
    """W_arith(grad f) ≤ c·W(f) + d·|f| on (x, …, x;): the least d grows at every step
    (W(f) = 0, |f| = 1, grad adds n−1 cotangents); the ‖f‖ bound holds throughout."""
    def point(n: int) -> Point:
        t = transformed(ret_fanout(n), "f")
        return Point.of(f"n={n}", t.grad_work["arithmetic"],
                        {"W": t.f.work["arithmetic"], "size": program_size(ret_fanout(n), "f")})

    ds = [derive([point(n) for n in range(2, top + 1)], (("size",), ("W",)))["size"]
          for top in range(2, 8)]
    assert all(a < b for a, b in zip(ds, ds[1:])), ds
    for n in range(2, 8):
        assert work_violations(transformed(ret_fanout(n), "f"), "A10") == []


# --- deep programs ---------------------------------------------------------------------------


def _chain_gradient(n: int, x: float) -> tuple[float, ...]:
    d = 1.0
    for _ in range(n):
        d, x = d * math.cos(x), math.sin(x)
    return (d,)


def _horner_gradient(n: int, x: float) -> tuple[float, ...]:
    """p(x) = Σ_{k≤n} x^k/(k+1), p'(x) = Σ_{1≤k≤n} k·x^(k−1)/(k+1), by Horner's rule."""
    d = 0.0
    for k in range(n, 0, -1):
        d = d * x + k / (k + 1)
    return (d,)


def _sumprod_gradient(n: int, xs: tuple[float, ...]) -> tuple[float, ...]:
    """s = Σ_{i≤n−2} x_i·x_(i+1), ∂s/∂x_j = x_(j−1) + x_(j+1) (missing ends are 0)."""
    return tuple((xs[j - 1] if j > 0 else 0.0) + (xs[j + 1] if j < n - 1 else 0.0)
                 for j in range(n))


DEEP = {
    "chain_10000": (lambda: (0.5,), lambda at: _chain_gradient(10000, at[0])),
    "horner_10000": (lambda: (0.5,), lambda at: _horner_gradient(10000, at[0])),
    "sumprod_10000": (lambda: tuple((i % 13) / 13 - 0.5 for i in range(10000)),
                      lambda at: _sumprod_gradient(10000, at)),
}


@pytest.mark.parametrize("name", DEEP)
def test_grad_deep_programs_float(name: str) -> None:
    """chain_10000, horner_10000, sumprod_10000 (the slow part of A10; one test each, so
    that pytest-xdist spreads them).  The work bound is checked on the dynamic work of
    the run, which A1 equates with W."""
    point, reference = DEEP[name]
    p = corpus_program(name)
    at = point()
    r = grad(p, name, at, mode="float")  # a RecursionError would fail here
    want = reference(at)
    assert len(r.gradient) == len(want)
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
               for a, b in zip(r.gradient, want)), name
    f = measure(p, name)
    for m in MODELS:
        b = constants()[f"A10/store/{m}"]
        assert b.violation(Point.of(name, r.work[m], f.features())) is None, name
        assert spec_bound(b).violation(Point.of(name, r.work[m], spec_features(f, m))) is None
