"""The primitives sqrt, tanh and powi[k] (`x ** k`, k an integer literal), end to end.

  table      the family's rows for every k: k·x^(k−1) is d x^k for a *symbolic* integer
             k (sympy expand to 0), each branch (k = 0, 1, 2, other) at its own k; names
             `powi[k]` are recognised but not listed; lookups add no rows.
  syntax     both calculi print and re-parse them; `powi` stays a variable name.
  domains    sqrt(0), 0 ** -1 are DomainErrors naming the primitive (float and symbolic);
             0 ** 0 = 1 and J at 0 is right for k = 0, 1, 2; an overflowing power is a
             DomainError, as exp's.
  runs       grad (T∘U∘J), grad_LL and the extracted Python agree bit for bit (and a
             wrong `**` in extraction is told apart), and the surface interpreter
             agrees with the compiled program.
  z3         sqrt's and tanh's ground axioms decide an identity that needs them (and the
             same identity over an unknown g is not proved).
  broken     a wrong derivative entry for each new primitive fails its A4 induction step;
             the per-primitive A11.J excess is needed (0 instead of 1 fails the step).
"""

from __future__ import annotations

import pytest
import sympy

from calculus.encoding import encode_program
from calculus.errors import DomainError
from calculus.extract import extract
from calculus.grad_ll import grad_ll
from calculus.lambda_ll.parse import parse_program as parse_ll
from calculus.lambda_ll.syntax import pretty_program
from calculus.linear_a.evaluate import run
from calculus.linear_a.grad import grad
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import Var, subterms
from calculus.loader import EXAMPLES, load_program
from calculus.primitives import (OP_BY_NAME, OPS, PARTIALS, PRIMS, App, Arg, Const, One, Op,
                                 PowI, Recip, Res, representative)
from calculus.surface import compile_source, interpret
from checkers import induction
from checkers.extraction import load, same_bits
from checkers.symbolic import z3_zero

NEW = (Op.SQRT, Op.TANH, PowI(3))
X = sympy.Symbol("x", positive=True)


def _sym(p, x, z):
    """A Partial as sympy, argument x and result z."""
    match p:
        case One():
            return sympy.Integer(1)
        case Const(q):
            return sympy.Rational(q.numerator, q.denominator)
        case Arg():
            return x
        case Res():
            return z
        case App(op, ps):
            return PRIMS[op].sympy_impl(*[_sym(q, x, z) for q in ps])
        case Recip(q):
            return 1 / _sym(q, x, z)


# --- the table -------------------------------------------------------------------------------


def test_the_general_powi_rule_is_the_derivative_for_every_integer_k():
    k = sympy.Symbol("k", integer=True)
    assert sympy.expand(k * X ** (k - 1) - sympy.diff(X ** k, X)) == 0


@pytest.mark.parametrize("k", range(-6, 9))
def test_each_powi_row_is_x_to_the_k_and_its_derivative(k):
    row, (p,) = PRIMS[PowI(k)], PARTIALS[PowI(k)]
    z = row.sympy_impl(X)
    assert z == X ** k and row.arity == 1 and row.cost == 1 and row.symbol == f"powi[{k}]"
    assert sympy.expand(_sym(p, X, z) - sympy.diff(z, X)) == 0
    assert (row.domain is not None) == (k < 0)


def test_names_and_table_iteration():
    assert OP_BY_NAME["powi[-3]"] == PowI(-3) and OP_BY_NAME["sqrt"] is Op.SQRT
    assert "powi[x]" not in OP_BY_NAME and "powi[1234567890]" not in OP_BY_NAME
    PRIMS[PowI(7)], PARTIALS[PowI(7)]  # a lookup builds a row …
    assert not any(isinstance(op, PowI) for op in [*PRIMS, *PARTIALS, *OP_BY_NAME])  # … not stored
    assert [representative(PowI(k)).k for k in (-9, -2, -1, 0, 1, 2, 3, 9)] == \
        [-2, -2, -1, 0, 1, 2, 3, 3]
    assert set(map(representative, OPS)) == set(OPS)


# --- syntax ------------------------------------------------------------------------------------

SRC = ("def f(x: real, powi: real) -> (real;) =\n"
       "  powi[3](x) * sqrt(tanh(powi)) + powi[-2](x) + powi[0](x) + powi[1](x)")


def test_both_calculi_print_and_reparse():
    p = parse_program(SRC)
    assert parse_program(str(p)) == p
    assert "powi" in {e.name for e in subterms(p.funcs[0].body) if isinstance(e, Var)}
    enc, _ = encode_program(p)
    text = pretty_program(enc)
    assert "powi[-2] !" in text and parse_ll(text) == enc


# --- domains -----------------------------------------------------------------------------------


@pytest.mark.parametrize("body, at, rule", [("sqrt(x)", 0.0, "sqrt"), ("sqrt(x)", -1.0, "sqrt"),
                                            ("powi[-1](x)", 0.0, "powi[-1]"),
                                            ("powi[2](x)", 1e200, "powi[2]")])
def test_outside_the_domain_is_a_domain_error(body, at, rule):
    p = parse_program(f"def f(x: real) -> (real;) = {body}")
    with pytest.raises(DomainError) as exc:
        run(p, "f", (at,))
    assert exc.value.rule == rule and exc.value.pos is not None
    if at != 1e200:
        with pytest.raises(DomainError) as exc:
            run(p, "f", (sympy.Float(at),), mode="symbolic")
        assert exc.value.rule == rule


@pytest.mark.parametrize("k, value, slope", [(0, 1.0, 0.0), (1, 0.0, 1.0), (2, 0.0, 0.0),
                                             (3, 0.0, 0.0)])
def test_small_exponents_at_zero(k, value, slope):
    p = parse_program(f"def f(x: real) -> (real;) = powi[{k}](x)")
    for r in (grad(p, "f", (0.0,)), grad_ll(p, "f", (0.0,))):
        assert (r.primal, r.gradient) == ((value,), (slope,))


# --- runs agree ------------------------------------------------------------------------------

EXAMPLES_NEW = ("tanh_layer", "poly_pow", "hypot")


@pytest.mark.parametrize("name", EXAMPLES_NEW)
def test_grad_grad_ll_and_extracted_code_agree_bitwise(name):
    prog = load_program(EXAMPLES / f"{name}.la")
    at = tuple(0.5 + 0.25 * i for i in range(len(prog.get(name).nl_params)))
    g, gl = grad(prog, name, at), grad_ll(prog, name, at)
    assert same_bits((g.primal, g.gradient), (gl.primal, gl.gradient))
    for via in ("linear-a", "ll"):
        out = load(extract(prog, name, grad=True, via=via))[f"{name}_grad"](*at)
        assert same_bits(out, (g.primal[0], g.gradient))


@pytest.mark.parametrize("name", EXAMPLES_NEW)
def test_surface_interpreter_agrees_with_the_compiled_program(name):
    src = (EXAMPLES / f"{name}.py").read_text()
    prog = compile_source(src)
    at = tuple(0.5 + 0.25 * i for i in range(len(prog.get(name).nl_params)))
    assert interpret(src, name, at) == run(prog, name, at).nl[0]
    syms = tuple(sympy.Symbol(f"a{i}", positive=True) for i in range(len(at)))
    diff = interpret(src, name, syms, mode="symbolic") - run(prog, name, syms, mode="symbolic").nl[0]
    assert sympy.expand(diff) == 0


def test_a_wrong_power_in_extraction_is_told_apart(monkeypatch):
    """PY_OPS writing x ** k as x ** (k − 1): the extracted gradient no longer agrees."""
    from calculus import extract as ex
    monkeypatch.setattr(ex.PY_OPS, "family", lambda k: lambda a: f"{ex.paren(a)} ** {k - 1}")
    prog, at = load_program(EXAMPLES / "poly_pow.la"), (0.75,)
    g = grad(prog, "poly_pow", at)
    out = load(extract(prog, "poly_pow", grad=True))["poly_pow_grad"](*at)
    assert not same_bits(out, (g.primal[0], g.gradient))


def test_extracted_python_spells_the_primitives():
    text = extract(load_program(EXAMPLES / "poly_pow.la"), "poly_pow")
    assert "x ** 4" in text and "x ** -2" in text
    assert "sqrt(" in extract(load_program(EXAMPLES / "hypot.la"), "hypot")


# --- z3 axioms ---------------------------------------------------------------------------------


def test_z3_uses_the_sqrt_and_tanh_axioms():
    y = sympy.Symbol("y", real=True)
    for t, proved in [(sympy.tanh(y), True), (sympy.Function("g")(y), False)]:
        e = sympy.sqrt(1 - t) * sympy.sqrt(1 + t) - sympy.sqrt(1 - t ** 2)
        assert z3_zero(e)[0] is proved


# --- broken rules ------------------------------------------------------------------------------


def _discharge(theorem: str, case: str) -> str:
    th = induction.THEOREMS[theorem]
    (s,) = [s for s in th.instances() if s.constructor == case]
    return induction.discharge(theorem, "linear_a", case, "", "", th.obligation(s)).status


WRONG = {Op.TANH: (App(Op.ADD, (One(), App(PowI(2), (Res(),)))),),  # 1 + tanh²
         Op.SQRT: (App(Op.DIV, (One(), Res())),),                     # 1 / sqrt, no 1/2
         PowI(3): (App(Op.MUL, (Const(3), App(PowI(3), (Arg(0),)))),)}  # 3·x³


@pytest.mark.parametrize("op", NEW, ids=lambda op: op.value)
def test_each_new_derivative_entry_is_checked_by_a4(monkeypatch, op):
    case = f"Prim {op.value}"
    assert _discharge("A4", case) == "proved"
    monkeypatch.setitem(PARTIALS, op, WRONG[op])
    assert _discharge("A4", case) == "failed"


@pytest.mark.parametrize("op", [Op.TANH, PowI(3)], ids=lambda op: op.value)
def test_the_a11_excess_is_needed(monkeypatch, op):
    assert _discharge("A11.J", f"Prim {op.value}") == "proved"
    monkeypatch.setitem(induction.A11_EXCESS, op, 0)
    assert _discharge("A11.J", f"Prim {op.value}") == "failed"
