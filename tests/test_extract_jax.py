"""JAX as the outside oracle of extraction: for every corpus program with N ≤ 100, the
extracted `--target jax` gradient (both routes), `jax.jit`-compiled, agrees with
`jax.grad` of the same surface source, primal and gradient componentwise within
|a − b| ≤ 1e-12·max(|a|, |b|, 1) (checkers.jax_oracle.relative_error), at the T2 point
and three seeded points.  Skipped as a whole only when the optional extra llad[jax] is
absent, as tests/test_jax_oracle.py."""

from __future__ import annotations

import pytest

jax = pytest.importorskip("jax", reason="JAX is the optional extra llad[jax]: pip install -e '.[jax]'")

from calculus.extract import extract  # noqa: E402
from calculus.loader import EXAMPLES, corpus, family_size, load_program  # noqa: E402
from checkers import extraction as ex  # noqa: E402
from checkers import jax_oracle as jo  # noqa: E402

NAMES = [p.stem for p in corpus() if (family_size(p.stem) or 0) <= 100]


def jitted_grad(name: str, via: str):
    prog = load_program(EXAMPLES / f"{name}.py")
    module = ex.load(extract(prog, name, grad=True, via=via, target="jax"))
    return prog.get(name), jax.jit(module[f"{name}_grad"])


def disagreements(ours, theirs) -> list:
    a, b = ex.flat(ours), ex.flat(theirs)
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b) if jo.relative_error(float(x), float(y)) > jo.RTOL]


@pytest.mark.parametrize("via", ["linear-a", "ll"])
@pytest.mark.parametrize("name", NAMES)
def test_extracted_jax_gradient_agrees_with_jax_grad(name, via):
    source = (EXAMPLES / f"{name}.py").read_text()
    f, fn = jitted_grad(name, via)
    for at in jo.points(f):
        primal, gradient = fn(*at)
        want_primal = jo.jax_primal(source, name, at)
        assert disagreements(primal if len(f.nl_results) > 1 else (primal,), want_primal) == []
        assert disagreements(gradient, jo.jax_grad(source, name, at)) == []


def test_oracle_rejects_a_wrong_gradient():
    """The extracted gradient of x·x against jax.grad of x·x·x: they disagree."""
    _, fn = jitted_grad("square", "linear-a")
    cube = "def square(x):\n    return x * x * x\n"
    assert disagreements(fn(0.5)[1], jo.jax_grad(cube, "square", (0.5,))) != []
