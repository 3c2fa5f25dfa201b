"""JAX as an outside oracle: for every corpus program with N ≤ 100, at the T2 point and
three seeded points in (0.5, 2),

    jax.grad(Σ f)(x̄) = T∘U∘J f (x̄; 1̄)  (store and recompute)  = T_LL∘F∘⟦f⟧ (x̄; 1̄)

and the primal results agree, componentwise within |a − b| ≤ 1e-12·max(|a|, |b|, 1)
(checkers.jax_oracle).  The oracle is shown to fail on a program whose source and
compiled form disagree; the equation counter inlines sub-jaxprs; T2 carries the JAX
columns; W(grad f) ≤ JAX's eqns(grad f) on every program, and the old `log` rule
breaks that on softplus.  Skipped as a whole only when the optional extra llad[jax] is absent.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

jax = pytest.importorskip("jax", reason="JAX is the optional extra llad[jax]: pip install -e '.[jax]'")

import jax.numpy as jnp  # noqa: E402

from calculus.errors import SurfaceError  # noqa: E402
from calculus.linear_a.grad import grad  # noqa: E402
from calculus.linear_a.syntax import n_reals  # noqa: E402
from calculus.loader import EXAMPLES, corpus, family_size, load_program  # noqa: E402
from calculus.primitives import PARTIALS, App, Arg, Const, Op  # noqa: E402
from calculus.surface import compile_source  # noqa: E402
from checkers import jax_oracle as jo  # noqa: E402
from checkers.corpus import fixed_point  # noqa: E402

NAMES = [p.stem for p in corpus() if (family_size(p.stem) or 0) <= 100]


@pytest.mark.parametrize("name", NAMES)
def test_gradients_agree_with_jax(name):
    prog = load_program(EXAMPLES / f"{name}.py")
    source = (EXAMPLES / f"{name}.py").read_text()
    f = prog.get(name)
    a = jo.check_against_jax(name, prog, source)
    assert a.mismatches == []
    # every real of the gradient and of the primal, per point and route, was compared
    per_route = sum(n_reals(t) for _, t in f.nl_params) + sum(n_reals(t) for t in f.nl_results)
    assert a.compared == len(jo.points(f)) * len(jo.ROUTES) * per_route
    assert a.max_error <= jo.RTOL


def _work_against_jax(name: str) -> tuple[int, int]:
    """(W(grad f) in the arithmetic model, JAX's eqns(grad f)) at the T2 point."""
    prog = load_program(EXAMPLES / f"{name}.py")
    at = fixed_point(prog.get(name))
    source = (EXAMPLES / f"{name}.py").read_text()
    return grad(prog, name, at).work["arithmetic"], jo.jaxpr_equations(source, name, at)


@pytest.mark.parametrize("name", NAMES)
def test_never_more_work_than_jax(name):
    """Issue 14: W(grad f) ≤ eqns(make_jaxpr(grad f)) on every corpus program (symbolic
    zeros; `log` and the numerator of `/` differentiated by one linear division)."""
    ours, theirs = _work_against_jax(name)
    assert ours <= theirs


def test_without_linear_division_softplus_does_more_work_than_jax(monkeypatch):
    """The comparison can fail: d log(x) as the reciprocal 1/x and a scaling (the rule
    before `/.`) costs softplus one operation more than JAX's `div`."""
    monkeypatch.setitem(PARTIALS, Op.LOG, (App(Op.DIV, (Const(Fraction(1)), Arg(0))),))
    ours, theirs = _work_against_jax("softplus")
    assert ours == theirs + 1


def test_oracle_detects_a_wrong_gradient():
    """Compiled x·x against a JAX source computing x·x·x: every route and the primal
    disagree, with our value and JAX's recorded."""
    prog = compile_source("def square(x):\n    return x * x\n")
    cube = "def square(x):\n    return x * x * x\n"
    x = 0.5
    a = jo.check_against_jax("square", prog, cube, at_points=[(x,)])
    got = {(m.route, m.index): (m.ours, m.jax) for m in a.mismatches}
    assert got == {**{(r, (0,)): (2 * x, 3 * x * x) for r in jo.ROUTES},
                   **{(f"{r}:primal", (0,)): (x * x, x * x * x) for r in jo.ROUTES}}
    assert all(m.program == "square" and m.point == (x,) for m in a.mismatches)


@pytest.mark.parametrize("ours, theirs, agree", [
    (3.0, 3.0 * (1 + 1e-13), True), (3.0, 3.0 * (1 + 1e-11), False),   # relative above 1
    (0.0, 1e-13, True), (0.0, 1e-11, False),                            # absolute below 1
    (math.nan, math.nan, False), (1.0, math.inf, False),
])
def test_tolerance(ours, theirs, agree):
    n, err, bad = jo.compare("p", (), "store", (ours,), (theirs,))
    assert n == 1 and (bad == []) == agree and (err <= jo.RTOL) == agree


@pytest.mark.parametrize("ours, theirs, path", [
    (((1.0, 2.0),), (1.0,), (0,)),   # a tuple against a real
    ((1.0, 2.0), (1.0,), ()),        # different lengths
])
def test_shape_difference_is_a_mismatch(ours, theirs, path):
    _, err, bad = jo.compare("p", (), "ll", ours, theirs)
    assert err == math.inf and [(m.route, m.index) for m in bad] == [("ll", path)]


def test_tuple_parameters_get_tuple_gradients():
    v = (2.0, 3.0)
    g = jo.jax_grad((EXAMPLES / "matvec.py").read_text(), "matvec", (v,))
    u0, u1 = 2 * v[0] + 7 * v[1], v[0] + 8 * v[1]  # matvec's docstring: M = ((2, 7), (1, 8))
    assert g == ((2 * u1 + u0, 7 * u1 + 8 * u0),)


def test_equations_are_counted_through_sub_jaxprs():
    def g(x):
        return jnp.sin(x) * x + jnp.exp(x)
    flat = jax.make_jaxpr(g)(0.5)
    nested = jax.make_jaxpr(lambda x: jax.jit(g)(x))(0.5)
    assert len(nested.jaxpr.eqns) == 1 and jo._subjaxprs(list(nested.jaxpr.eqns[0].params.values()))
    assert jo.count_equations(nested) == jo.count_equations(flat) == len(flat.jaxpr.eqns)
    assert jo.primitive_histogram(nested) == jo.primitive_histogram(flat)


@pytest.mark.parametrize("name", ["chain_10", "lighthouse", "matvec"])
def test_histogram_counts_the_same_equations(name):
    source = (EXAMPLES / f"{name}.py").read_text()
    at = fixed_point(load_program(EXAMPLES / f"{name}.py").get(name))
    jg = jo.make_jaxpr(source, name, at)
    assert sum(jo.primitive_histogram(jg).values()) == jo.count_equations(jg) \
        == jo.jaxpr_equations(source, name, at)


def test_subset_is_enforced():
    with pytest.raises(SurfaceError) as e:
        jo.jax_function("def f(x):\n    while x:\n        x = x\n    return x\n", "f")
    assert (e.value.rule, e.value.construct) == ("while loop", "While")


def test_t2_has_the_jax_columns():
    from paper_figures.tables import work_rows
    header, rows, _, _ = work_rows(max_n=10)
    assert header[-2:] == ["JAX eqns(f)", "JAX eqns(grad)"]
    for row in rows:
        name = row[0]
        source = (EXAMPLES / f"{name}.py").read_text()
        at = fixed_point(load_program(EXAMPLES / f"{name}.py").get(name))
        assert row[-2:] == [jo.jaxpr_equations(source, name, at, differentiate=False),
                            jo.jaxpr_equations(source, name, at)]


def test_without_jax_the_columns_are_dashes(monkeypatch):
    monkeypatch.setattr(jo, "jax", None)
    assert not jo.jax_available()
    assert jo.jax_columns("square") == [jo.NO_JAX, jo.NO_JAX]
    with pytest.raises(ImportError):
        jo.jax_grad("def f(x):\n    return x\n", "f", (1.0,))
