"""Linear A evaluation (SPEC §2.3):  ρ ⊢ e ⇓ (v̄ ; w̄)  in the number modes, with work.

  modes agree   float and sympy evaluation of generated programs agree at random
                exact points (the sympy value evaluated to 30 digits);
  domains       a primitive outside its domain raises DomainError naming the primitive
                (`rule`), the offending arguments (`value`) and the node's position;
  work          static W (work.work) = the evaluator's dynamic count, under both cost
                models, on generated programs and on a hand-derived example;
  depth         10 000-deep let chains parse, type-check, evaluate and are measured
                without RecursionError.
"""

from __future__ import annotations

import math

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from calculus.cost_models import ARITHMETIC, MODELS, SYMMETRIC
from calculus.errors import DomainError
from calculus.linear_a.evaluate import run
from calculus.linear_a.parse import parse_program
from calculus.linear_a.typecheck import check_program
from calculus.linear_a.work import program_size, work
from checkers.strategies import args_for, embed, linear_programs, mixed_programs, nonlinear_programs

FAMILIES = {
    "nonlinear": nonlinear_programs(),
    "linear": linear_programs(),
    "mixed": mixed_programs(),
}


def reals(v) -> list:
    return [x for c in v for x in reals(c)] if isinstance(v, tuple) else [v]


# --- float and sympy agree ----------------------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES)
@given(data=st.data())
def test_float_and_sympy_agree(family, data):
    g = data.draw(FAMILIES[family])
    nl, lin = data.draw(args_for(g.program, g.func, "exact"))
    fl = run(g.program, g.func, embed(nl, "float"), embed(lin, "float"), mode="float")
    sy = run(g.program, g.func, embed(nl, "symbolic"), embed(lin, "symbolic"), mode="symbolic")
    got, want = reals(fl.nl + fl.lin), reals(sy.nl + sy.lin)
    assert len(got) == len(want)
    for f, s in zip(got, want):
        exact = float(sympy.N(s, 30))
        assert math.isclose(f, exact, rel_tol=1e-9, abs_tol=1e-9), (f, s, str(g.program))
    assert fl.work == sy.work
    assert all(c is sympy.true or bool(c) for c in sy.conditions)  # exact points: decided


# --- domain errors ---------------------------------------------------------------------------

DIV = "def f(x: real) -> (real;) =\n  let (y;) = 2.0 in\n  y / x"
LOG = "def f(x: real) -> (real;) =\n  sin(log(x))"
CALLEE = "def g(y: real) -> (real;) =\n  log(y)\n\ndef f(x: real) -> (real;) =\n  g(x;)"
EXP = "def f(x: real) -> (real;) =\n  exp(x)"

DOMAIN_ERRORS = [
    (DIV, "float", 0.0, "div", (3, 3), (2.0, 0.0)),
    (DIV, "mpmath", embed(0, "mpmath"), "div", (3, 3), None),
    (DIV, "symbolic", sympy.Integer(0), "div", (3, 3), (2, 0)),
    (LOG, "float", -1.0, "log", (2, 7), (-1.0,)),
    (LOG, "float", 0.0, "log", (2, 7), (0.0,)),
    (LOG, "symbolic", sympy.Rational(-1, 2), "log", (2, 7), (sympy.Rational(-1, 2),)),
    (CALLEE, "float", -2.0, "log", (2, 3), (-2.0,)),  # the callee's position
    (EXP, "float", 1000.0, "exp", (2, 3), (1000.0,)),  # overflow
]


@pytest.mark.parametrize("src, mode, arg, rule, pos, value", DOMAIN_ERRORS,
                         ids=[f"{r}-{m}-{i}" for i, (_, m, _, r, _, _) in enumerate(DOMAIN_ERRORS)])
def test_domain_errors(src, mode, arg, rule, pos, value):
    prog = parse_program(src)
    check_program(prog)
    with pytest.raises(DomainError) as info:
        run(prog, "f", (arg,), mode=mode)
    err = info.value
    assert err.rule == rule and (err.pos.line, err.pos.col) == pos, err
    if value is not None:
        assert err.value == value


def test_symbolic_domain_is_a_side_condition():
    """With a symbolic argument the domain cannot be decided: it is recorded."""
    x = sympy.Symbol("x", real=True)
    r = run(parse_program(LOG), "f", (x,), mode="symbolic")
    assert r.nl == (sympy.sin(sympy.log(x)),) and r.conditions == [x > 0]


# --- static work = dynamic work ------------------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES)
@given(data=st.data())
def test_static_work_equals_dynamic_work(family, data):
    g = data.draw(FAMILIES[family])
    typing = check_program(g.program)
    nl, lin = data.draw(args_for(g.program, g.func, "float"))
    dynamic = run(g.program, g.func, nl, lin).work
    assert dynamic == {m.name: work(g.program, g.func, m, typing) for m in MODELS.values()}


HAND = """def f(x: real; a: (real, real)) -> (; (real, real)) =
  let (; b, c) = dup(a) in
  let (;) = drop(zero[(real, real, real)]) in
  sin(x) *. b +. c"""


def test_work_by_hand():
    """sin: 1; *. and +. on 2 reals: 2 + 2.  Arithmetic: dup/zero/drop free → 5.
    Symmetric: dup(2 reals) 2, zero(3 reals) 3, drop(3 reals) 3 → 5 + 8 = 13."""
    prog = parse_program(HAND)
    assert (work(prog, "f", ARITHMETIC), work(prog, "f", SYMMETRIC)) == (5, 13)
    r = run(prog, "f", (0.5,), ((1.0, 2.0),))
    assert r.work == {"arithmetic": 5, "symmetric": 13}
    assert r.lin == ((math.sin(0.5) * 1.0 + 1.0, math.sin(0.5) * 2.0 + 2.0),)


# --- deep programs ---------------------------------------------------------------------------

DEPTH = 10_000  # nested lets


def chain_text(steps: int) -> str:
    """2·steps nested lets: x_i = cos(x_{i-1}) * x_{i-1} (sharing x_{i-1}), then the
    linear a_i = x_i *. a_{i-1}."""
    lines = ["def chain(x0: real; a0: real) -> (real; real) ="]
    for i in range(1, steps + 1):
        lines.append(f"  let (x{i};) = cos(x{i - 1}) * x{i - 1} in")
        lines.append(f"  let (; a{i}) = x{i} *. a{i - 1} in")
    lines.append(f"  (x{steps}; a{steps})")
    return "\n".join(lines) + "\n"


def test_chain_10000_deep():
    steps = DEPTH // 2
    prog = parse_program(chain_text(steps))
    typing = check_program(prog)
    r = run(prog, "chain", (1.25,), (3.0,))
    x, a = 1.25, 3.0
    for _ in range(steps):  # the same float operations, in the same order
        x = math.cos(x) * x
        a = x * a
    assert r.nl == (x,) and r.lin == (a,)
    assert r.work["arithmetic"] == work(prog, "chain", ARITHMETIC, typing) == 3 * steps
    # per step 9 nodes: let, *, cos, x, x; let, *., x, a.  Plus the final return.
    assert program_size(prog) == 9 * steps + 1
