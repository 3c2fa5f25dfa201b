"""Acceptance tests of grad = T∘U∘J, after the Dex Linear A prototype's tests
(`test/LinearASpec.hs`): small programs written inline as Linear A text, gradients
computed by `calculus.linear_a.grad.grad(…, mode="symbolic")` at exact points and
compared exactly (every component an exact sympy rational, equal to the expected
number) under both checkpoint policies.  The expected gradients are the issue's
acceptance criteria.

    x + y            at (2, 2)   →  (1, 1)        also through a call
    x + x            at 4        →  2
    x · x via a tuple at 3       →  6
    x + 1            at 3        →  1             also after drop(x · x)
    matvec           at v=(2, 3) →  (77, 382)     examples/matvec.py (calculus.loader)
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy

from calculus.linear_a.evaluate import run
from calculus.linear_a.grad import grad
from calculus.linear_a.parse import parse_program
from calculus.loader import load_program

MATVEC = Path(__file__).resolve().parent.parent / "examples" / "matvec.py"

SOURCES = {
    "add": "def f(x: real, y: real) -> (real;) = x + y",
    "add-call": ("def plus(a: real, b: real) -> (real;) = a + b\n\n"
                 "def f(x: real, y: real) -> (real;) = plus(x, y;)"),
    "double": "def f(x: real) -> (real;) = x + x",
    "square-tuple": ("def f(x: real) -> (real;) =\n"
                     "  let (p;) = tup(x, x) in\n"
                     "  let tup(a, b) = p in\n"
                     "  a * b"),
    "plus-one": "def f(x: real) -> (real;) = x + 1.0",
    "plus-one-drop": ("def f(x: real) -> (real;) =\n"
                      "  let (;) = drop(x * x) in\n"
                      "  x + 1.0"),
}

# name → (point, expected gradient: one entry per parameter)
CASES = {
    "add": ((2, 2), (1, 1)),
    "add-call": ((2, 2), (1, 1)),
    "double": ((4,), (2,)),
    "square-tuple": ((3,), (6,)),
    "plus-one": ((3,), (1,)),
    "plus-one-drop": ((3,), (1,)),
}


def exact(v) -> tuple:
    """The value with every real component an exact sympy rational (else a failure)."""
    if isinstance(v, tuple):
        return tuple(exact(c) for c in v)
    assert isinstance(v, sympy.Rational), f"{v!r} is not an exact rational"
    return v


def embed(v):
    return tuple(embed(c) for c in v) if isinstance(v, tuple) else sympy.Integer(v)


@pytest.mark.parametrize("policy", ["store", "recompute"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_inline(name: str, policy: str) -> None:
    p = parse_program(SOURCES[name])
    at, expected = CASES[name]
    g = grad(p, "f", embed(at), mode="symbolic", policy=policy)
    assert exact(g.gradient) == expected
    assert exact(g.primal) == run(p, "f", embed(at), mode="symbolic").nl


@pytest.mark.parametrize("policy", ["store", "recompute"])
def test_matvec(policy: str) -> None:
    p = load_program(MATVEC)
    g = grad(p, "matvec", (embed((2, 3)),), mode="symbolic", policy=policy)
    assert exact(g.gradient) == ((77, 382),)
    assert exact(g.primal) == run(p, "matvec", (embed((2, 3)),), mode="symbolic").nl


def test_call_and_inline_agree_on_work() -> None:
    """The call costs nothing: grad of x + y does the same work inline and via plus."""
    at = embed((2, 2))
    inline = grad(parse_program(SOURCES["add"]), "f", at, mode="symbolic")
    called = grad(parse_program(SOURCES["add-call"]), "f", at, mode="symbolic")
    assert inline.work == called.work
