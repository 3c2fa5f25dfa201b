"""Unit tests of the AD kernel (`calculus.ad`): the tangent pool, the derivative table
turned into terms, and the duality table, each through a tiny string builder (so the
kernel is tested independently of either calculus) and through both calculi."""

from __future__ import annotations

from fractions import Fraction
from typing import assert_never

import pytest
import sympy

from calculus.ad import (DUALITIES, INPUTS, ZERO, Lin, TangentPool, materialise, partial_term,
                         tangent_sum, transpose_op)
from calculus.errors import InternalError
from calculus.fresh import Fresh
from calculus.lambda_ll.forward import forward_program
from calculus.lambda_ll.syntax import pretty, pretty_program
from calculus.linear_a.jvp import jvp_program
from calculus.linear_a.parse import parse_program
from calculus.linear_a.transpose import transpose_program
from calculus.encoding import encode_program
from calculus.grad_ll import build
from calculus.primitives import (OPS, PARTIALS, PRIMS, App, Arg, Const, One, Op, Partial, Recip,
                                 Res)


class Text:
    """TangentTerms and CotangentTerms as strings; cotangent bindings are logged."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.n = 0

    def lit(self, q: Fraction) -> str:
        return str(q)

    def arg(self, i: int) -> str:
        return f"a{i}"

    def res(self) -> str:
        return "z"

    def prim(self, op: Op, args: list[str]) -> str:
        return f"{op.value}({', '.join(args)})"

    def scale(self, s, c, ty=None) -> str:
        return f"({s} *. {c})"

    def add(self, a: str, b: str, ty=None) -> str:
        return f"({a} +. {b})"

    def zero(self, ty: str | None = None) -> str:
        return f"zero[{ty}]" if ty else "zero"

    def dup(self, c: str, ty) -> tuple[str, str]:
        self.log.append(f"dup {c}")
        return f"{c}.1", f"{c}.2"

    def drop(self, c: str, ty) -> None:
        self.log.append(f"drop {c}")

    def pack(self, cs: tuple, tys: tuple) -> str:
        return "(" + ", ".join(materialise(self, cs, tys)) + ")"

    def discard(self, s: str) -> None:
        self.log.append(f"discard {s}")

    def unpack(self, c: str, n: int) -> tuple[str, ...]:
        self.log.append(f"unpack {c}")
        return tuple(f"{c}.{i}" for i in range(n))


# --- tangent pool ----------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 5])
def test_pool_gives_one_copy_per_use_by_n_minus_1_dups(n: int) -> None:
    pool = TangentPool(Fresh({"x", "dx"}), "J")
    chain = pool.plan("x", "dx", n, "dx")
    assert len(chain) == n - 1
    copies = [pool.take("x") for _ in range(n)]
    assert len(set(copies)) == n
    # a chain: dx → (c1, r1), r1 → (c2, r2), …; the copies are the cᵢ and the last rest
    sources = ["dx"] + [rest for _, _, rest in chain]
    assert [src for src, _, _ in chain] == sources[:-1]
    assert set(copies) == {c for _, c, _ in chain} | {sources[-1]}
    with pytest.raises(InternalError, match="J: no tangent copy left for `x`"):
        pool.take("x")


# --- the derivative table turned into terms -------------------------------------------------


def test_partial_terms_follow_the_table() -> None:
    b = Text()
    assert partial_term(PARTIALS[Op.COS][0], b) == "neg(sin(a0))"
    assert partial_term(PARTIALS[Op.DIV][1], b) == "neg(div(z, a1))"
    assert tangent_sum(Op.MUL, [(0, "da"), (1, "db")], b) == "((a1 *. da) +. (a0 *. db))"
    assert tangent_sum(Op.ADD, [(0, "da"), (1, "db")], b) == "(da +. db)"  # ∂ = 1: unscaled
    assert tangent_sum(Op.MUL, [(1, "db")], b) == "(a0 *. db)"  # a closed argument
    assert tangent_sum(Op.SIN, [], b) == "zero"


def _sym(p: Partial, xs: list, z: sympy.Expr) -> sympy.Expr:
    """A partial as a sympy expression (an interpreter of the table independent of the
    kernel's)."""
    match p:
        case One():
            return sympy.Integer(1)
        case Const(q):
            return sympy.Rational(q.numerator, q.denominator)
        case Arg(i):
            return xs[i]
        case Res():
            return z
        case App(op, ps):
            return PRIMS[op].sympy_impl(*[_sym(q, xs, z) for q in ps])
        case Recip(q):
            return 1 / _sym(q, xs, z)
        case _:
            assert_never(p)


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.value)
def test_every_table_entry_is_the_derivative(op: Op) -> None:
    """PARTIALS[op][i] = ∂ op / ∂xᵢ, a symbolic zero (the result z substituted)."""
    xs = list(sympy.symbols(f"x0:{PRIMS[op].arity}", positive=True))
    f = PRIMS[op].sympy_impl(*xs)
    for i, p in enumerate(PARTIALS[op]):
        assert sympy.cancel(sympy.expand(_sym(p, xs, f) - sympy.diff(f, xs[i]))) == 0


# --- the duality table ----------------------------------------------------------------------


def test_dualities_swap_the_linear_operations() -> None:
    b = Text()
    assert transpose_op(Lin.ADD, b, ("c",), None) == ("c.1", "c.2")  # +. ↦ dup
    assert transpose_op(Lin.DUP, b, ("c1", "c2"), None) == ("(c1 +. c2)",)  # dup ↦ +.
    assert transpose_op(Lin.ZERO, b, ("c",), None) == ()  # zero ↦ drop
    assert transpose_op(Lin.DROP, b, (), ("u", "v")) == (ZERO, ZERO)  # symbolic
    assert transpose_op(Lin.SCALE, b, ("c",), "s", None) == ("(s *. c)",)
    assert transpose_op(Lin.TUPLE, b, ("c",), 2) == ("c.0", "c.1")
    assert transpose_op(Lin.UNTUPLE, b, ("c1", "c2"), ("r", "r")) == ("(c1, c2)",)
    assert transpose_op(Lin.VAR, b, ("c",), "y") == ("c",)
    assert b.log == ["dup c", "drop c", "unpack c"]
    assert set(DUALITIES) == set(Lin) == set(INPUTS)


def test_symbolic_zeros_are_never_transposed() -> None:
    """An operation whose output cotangents are all ZERO emits nothing and gives ZERO to
    each of its inputs (a scalar it leaves unused is discarded); dup ↦ +. of a ZERO and
    c is c; a tuple materialises a zero component only beside a non-zero one."""
    b = Text()
    assert transpose_op(Lin.ADD, b, (ZERO,), None) == (ZERO, ZERO)
    assert transpose_op(Lin.DUP, b, (ZERO, ZERO), None) == (ZERO,)
    assert transpose_op(Lin.DUP, b, ("c", ZERO), None) == ("c",)
    assert transpose_op(Lin.DUP, b, (ZERO, "c"), None) == ("c",)
    assert transpose_op(Lin.ZERO, b, (ZERO,), None) == ()
    assert transpose_op(Lin.SCALE, b, (ZERO,), "s", None) == (ZERO,)
    assert transpose_op(Lin.TUPLE, b, (ZERO,), 3) == (ZERO, ZERO, ZERO)
    assert transpose_op(Lin.UNTUPLE, b, (ZERO, ZERO), ("r", "r")) == (ZERO,)
    assert transpose_op(Lin.UNTUPLE, b, ("c", ZERO), ("r", "s")) == ("(c, zero[s])",)
    assert transpose_op(Lin.VAR, b, (ZERO,), "y") == (ZERO,)
    assert b.log == ["discard s"]
    assert materialise(b, (ZERO, "c"), ("r", "s")) == ("zero[r]", "c")


def test_both_transposes_read_the_one_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed DUALITIES entry changes the output of T and of T_LL; J and F both read
    PARTIALS: the kernel is the one place these rules live."""
    dup = parse_program("def f(; a: real) -> (; real, real) = dup(a)")
    square = parse_program("def f(x: real) -> (real;) = x * x")
    def t_ll() -> str:  # the backpropagator of f'F'T
        b = build(square, "f")
        return pretty(b.program.lookup(b.name).body).split("fun (ct")[1]

    assert "+." in str(transpose_program(dup, "f"))
    assert "plus" in t_ll()

    def dup_to_dup(b, cts, ty):  # dup ↦ dup, the spares dropped
        c, spare = b.dup(cts[0], ty)
        b.drop(spare, ty)
        b.drop(cts[1], ty)
        return (c,)

    monkeypatch.setitem(DUALITIES, Lin.DUP, dup_to_dup)
    assert "+." not in str(transpose_program(dup, "f"))
    assert "plus" not in t_ll()
    sin = parse_program("def f(x: real) -> (real;) = sin(x)")
    j, fw = str(jvp_program(sin, "f")), pretty_program(forward_program(encode_program(sin)[0]))
    monkeypatch.setitem(PARTIALS, Op.SIN, (App(Op.SIN, (Arg(0),)),))
    assert "cos" in j and "cos" in fw
    assert "cos" not in str(jvp_program(sin, "f"))
    assert "cos" not in pretty_program(forward_program(encode_program(sin)[0]))
