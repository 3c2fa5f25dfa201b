"""Linear A concrete syntax (SPEC §2.1): the printer's output re-parses to the same AST,
precedence and associativity follow the grammar (loosest first: let-forms, `+.`, `+ -`,
`* /`, `*.` (right-assoc), prefix `-`), literals are exact rationals, comments are
ignored, and bad text is a `ParseError` / `ScopeError` with `line:col`.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given

from calculus.errors import InternalError, ParseError, ScopeError
from calculus.linear_a.parse import parse_expr, parse_program
from calculus.linear_a.syntax import (REAL, Call, LAdd, LDiv, Let, Lit, LScale, LVar, Prim, Program,
                                      Ret, TupT, Var, Zero, pretty, show_lit)
from calculus.primitives import Op
from checkers.strategies import Generated, linear_programs, mixed_programs, nonlinear_programs

# --- round trip ---------------------------------------------------------------------------


def round_trip(p: Program) -> None:
    text = str(p)
    q = parse_program(text)
    assert q == p, text
    assert str(q) == text


@given(nonlinear_programs())
def test_round_trip_nonlinear(g: Generated):
    round_trip(g.program)


@given(linear_programs())
def test_round_trip_linear(g: Generated):
    round_trip(g.program)


@given(mixed_programs())
def test_round_trip_mixed(g: Generated):
    round_trip(g.program)


# --- precedence and associativity -----------------------------------------------------------

x, y, z, a, b, c = Var("x"), Var("y"), Var("z"), LVar("a"), LVar("b"), LVar("c")


def P(op: Op, *args):
    return Prim(op, args)


def L(q) -> Lit:
    return Lit(Fraction(q))


PRECEDENCE = [
    ("-x - 1", P(Op.SUB, P(Op.NEG, x), L(1))),
    ("x - -1.0", P(Op.SUB, x, L(-1))),
    ("x-1", P(Op.SUB, x, L(1))),
    ("-(1.0)", P(Op.NEG, L(1))),
    ("-1.0", L(-1)),
    ("-1.0 * x", P(Op.MUL, L(-1), x)),
    ("-x * y", P(Op.MUL, P(Op.NEG, x), y)),
    ("-(x * y)", P(Op.NEG, P(Op.MUL, x, y))),
    ("- -x", P(Op.NEG, P(Op.NEG, x))),
    ("x - y - z", P(Op.SUB, P(Op.SUB, x, y), z)),
    ("x - (y - z)", P(Op.SUB, x, P(Op.SUB, y, z))),
    ("x / y / z", P(Op.DIV, P(Op.DIV, x, y), z)),
    ("x + y * z", P(Op.ADD, x, P(Op.MUL, y, z))),
    ("(x + y) * z", P(Op.MUL, P(Op.ADD, x, y), z)),
    ("sin(x) * cos(y + z)", P(Op.MUL, P(Op.SIN, x), P(Op.COS, P(Op.ADD, y, z)))),
    ("a +. x *. b", LAdd(a, LScale(x, b))),
    ("x *. y *. a", LScale(x, LScale(y, a))),
    ("(x * y) *. a", LScale(P(Op.MUL, x, y), a)),
    ("x * y *. a", P(Op.MUL, x, LScale(y, a))),  # *. binds tighter than *
    ("-x *. a", LScale(P(Op.NEG, x), a)),
    ("a /. x", LDiv(a, x)),
    ("a /. x /. y", LDiv(LDiv(a, x), y)),  # left-associative
    ("x *. a /. y", LScale(x, LDiv(a, y))),  # /. binds tighter than *.
    ("a /. -x", LDiv(a, P(Op.NEG, x))),
    ("a +. b /. x * y", LAdd(a, P(Op.MUL, LDiv(b, x), y))),
    ("a +. b +. c", LAdd(LAdd(a, b), c)),
    ("a +. (b +. c)", LAdd(a, LAdd(b, c))),
    ("x + y +. a", LAdd(P(Op.ADD, x, y), a)),
    ("let (z;) = x in z + y", Let(("z",), (), x, P(Op.ADD, z, y))),
    ("(let (z;) = x in z) + y", P(Op.ADD, Let(("z",), (), x, z), y)),
    ("(x, y; a)", Ret(("x", "y"), ("a",))),
    ("g(x; a, b)", Call("g", ("x",), ("a", "b"))),
    ("zero[(real, (real,))]", Zero(TupT((REAL, TupT((REAL,)))))),
]


@pytest.mark.parametrize("text, expected", PRECEDENCE, ids=[t for t, _ in PRECEDENCE])
def test_precedence(text, expected):
    e = parse_expr(text, nl=("x", "y", "z"), lin=("a", "b", "c"), funcs=("g",))
    assert e == expected
    assert parse_expr(pretty(e), nl=("x", "y", "z"), lin=("a", "b", "c"), funcs=("g",)) == e


def test_negative_literal_and_negated_literal_differ():
    assert parse_expr("-1.0") != parse_expr("-(1.0)")
    assert pretty(P(Op.NEG, L(1))) == "-(1.0)" and pretty(L(-1)) == "-1.0"


# --- literals --------------------------------------------------------------------------------

LITERALS = [("0.1", Fraction(1, 10)), ("1e-3", Fraction(1, 1000)), (".5", Fraction(1, 2)),
            ("3", Fraction(3)), ("-0.25", Fraction(-1, 4)), ("2.50", Fraction(5, 2)),
            ("1.5E2", Fraction(150))]


@pytest.mark.parametrize("text, value", LITERALS, ids=[t for t, _ in LITERALS])
def test_literals_are_exact(text, value):
    e = parse_expr(text)
    assert e == Lit(value) and isinstance(e.value, Fraction)
    assert parse_expr(show_lit(value)) == e


def test_show_lit_is_an_exact_decimal():
    assert [show_lit(Fraction(n, d)) for n, d in [(1, 10), (-1, 4), (7, 1), (1, 1000), (-3, 8)]] \
        == ["0.1", "-0.25", "7.0", "0.001", "-0.375"]
    with pytest.raises(InternalError):
        show_lit(Fraction(1, 3))


# --- comments and positions ----------------------------------------------------------------

PLAIN = "def f(x: real; a: real) -> (; real) =\n  x *. a\n"
COMMENTED = """# a comment before the program
def f(x: real; a: real) -> (; real) =  # trailing comment
  # a comment line inside the body
  x *. a  # scale
# a comment at the end"""


def test_comments_are_ignored():
    assert parse_program(COMMENTED) == parse_program(PLAIN)


def test_positions_count_comment_lines():
    body = parse_program(COMMENTED).get("f").body
    assert (body.pos.line, body.pos.col) == (4, 3)
    assert (body.vec.pos.line, body.vec.pos.col) == (4, 8)


def test_positions_are_ignored_by_equality():
    assert parse_expr("  1.0") == Lit(Fraction(1)) and parse_expr("  1.0").pos.col == 3


# --- errors ----------------------------------------------------------------------------------

SYNTAX_ERRORS = [
    ("def f(x: real) -> (real;) =\n  x +", (2, 5)),  # end of input
    ("def f(x: real) -> (real;) =\n  x $ 1", (2, 5)),  # unexpected character
    ("def f(x: real) -> (real;) =\n  x )", (2, 5)),  # unexpected token
    ("def f(x: real) -> (real;) =\n  let (y;) = x y", (2, 16)),  # missing `in`
    ("def f(let: real) -> (real;) =\n  x", (1, 7)),  # keyword as a name
    ("def f(x: real) -> (real) =\n  x", (1, 24)),  # result needs `;`
    ("def f(x: float) -> (real;) =\n  x", (1, 10)),  # unknown type
    ("def f(x: real) -> (real;) =\n  sin(x, x)", (2, 8)),  # unary primitive
]


@pytest.mark.parametrize("text, pos", SYNTAX_ERRORS, ids=[str(p) for _, p in SYNTAX_ERRORS])
def test_syntax_errors(text, pos):
    with pytest.raises(ParseError) as info:
        parse_program(text)
    err = info.value
    assert type(err) is ParseError and err.rule == "syntax"
    assert (err.pos.line, err.pos.col) == pos, err


SCOPE_ERRORS = [
    ("def f(x: real) -> (real;) =\n  let (y;) = x in\n  z", "Var", "z", (3, 3)),
    ("def f(x: real) -> ((real, real);) =\n  tup(x, w)", "Var", "w", (2, 3)),
    ("def f(; a: real) -> (; real) =\n  let ltup(b) = q in\n  b", "Var", "q", (2, 3)),
    ("def f(x: real) -> (real;) =\n  f(x;)", "Call", "f", (2, 3)),
    ("def f(x: real) -> (real;) =\n  x\n\ndef f(y: real) -> (real;) =\n  y", "Program", "f",
     (4, 1)),
]


@pytest.mark.parametrize("text, rule, name, pos", SCOPE_ERRORS,
                         ids=[f"{s[1]}:{s[2]}" for s in SCOPE_ERRORS])
def test_scope_errors(text, rule, name, pos):
    with pytest.raises(ScopeError) as info:
        parse_program(text)
    err = info.value
    assert (err.rule, err.name, (err.pos.line, err.pos.col)) == (rule, name, pos), err


def test_binder_decides_linearity():
    e = parse_program("def f(x: real; a: real) -> (; real) =\n"
                      "  let (y; b) = (x; a) in\n  let (; u) = zero[()] in\n"
                      "  let ltup() = u in\n  y *. b").get("f").body
    assert isinstance(e, Let) and e.body.body.body == LScale(Var("y"), LVar("b"))
