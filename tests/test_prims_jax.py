"""JAX as the oracle for sqrt, tanh and `x ** k` (differential, as tests/test_jax_oracle.py):
for programs using each new primitive in every spelling (bare, `math.`, `np.`, `jnp.`)
and exponents k from −3 to 5, at the oracle's points (`checkers.jax_oracle.points`:
the T2 point and three seeded points in (0.5, 2)),

    jax.grad(Σ f)(x̄) = T∘U∘J f (x̄; 1̄)  (store and recompute)  = T_LL∘F∘⟦f⟧ (x̄; 1̄)

and the primal results agree, within |a − b| ≤ 1e-12·max(|a|, |b|, 1).  JAX traces each
`x ** k` as one `integer_pow` (the same single primitive application llad counts).
Skipped as a whole only when the optional extra llad[jax] is absent.
"""

from __future__ import annotations

import pytest

jax = pytest.importorskip("jax", reason="JAX is the optional extra llad[jax]: pip install -e '.[jax]'")

from calculus.linear_a.syntax import Prim, subterms  # noqa: E402
from calculus.primitives import PowI  # noqa: E402
from calculus.surface import compile_source  # noqa: E402
from checkers import jax_oracle as jo  # noqa: E402

SOURCES = {
    "roots": "import math\nimport numpy as np\nfrom math import sqrt\n\n"
             "def roots(x, y):\n    return sqrt(x) * math.sqrt(y) + np.sqrt(x * y + 1.0)\n",
    "tanhs": "import jax.numpy as jnp\nimport numpy\nfrom math import tanh\n\n"
             "def tanhs(x, y):\n    return tanh(x - y) * jnp.tanh(2.0 * y) - numpy.tanh(x * x)\n",
    "powers": "def powers(x, y):\n"
              "    return x ** -3 + y ** -2 - x ** -1 + y ** 0 + x ** 1 + (x * y) ** 2 "
              "+ y ** 3 - x ** 5\n",
    "mixed": "from math import sqrt, tanh\n\n"
             "def mixed(x):\n    h = tanh(x ** 2 - 1.0)\n    return sqrt(h * h + x) ** 3\n",
}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_gradients_agree_with_jax(name):
    prog = compile_source(SOURCES[name])
    a = jo.check_against_jax(name, prog, SOURCES[name])
    n = len(prog.get(name).nl_params)
    assert a.mismatches == [] and a.compared == len(jo.points(prog.get(name))) * 3 * (n + 1)
    assert a.max_error <= jo.RTOL


def test_the_oracle_tells_a_wrong_power_apart():
    """Compiled x ** 3 against a JAX source computing x ** 2: every route disagrees."""
    prog = compile_source("def p(x):\n    return x ** 3\n")
    a = jo.check_against_jax("p", prog, "def p(x):\n    return x ** 2\n", at_points=[(1.5,)])
    assert {m.route for m in a.mismatches} == set(jo.ROUTES) | {f"{r}:primal" for r in jo.ROUTES}


def test_jax_traces_each_power_as_one_integer_pow():
    """The exponents of JAX's integer_pow equations are those of our powi[k], in order."""
    jaxpr = jo.make_jaxpr(SOURCES["powers"], "powers", (1.5, 0.75), differentiate=False)
    theirs = [e.params["y"] for e in jaxpr.jaxpr.eqns if e.primitive.name == "integer_pow"]
    body = compile_source(SOURCES["powers"]).get("powers").body
    ours = [e.op.k for e in subterms(body) if isinstance(e, Prim) and isinstance(e.op, PowI)]
    assert theirs == ours == [-3, -2, -1, 0, 1, 2, 3, 5]
