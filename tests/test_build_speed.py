"""Build speed (issue 14): the shortcuts taken for speed agree with the slow path they
replace, and the walks made iterative along let chains need no deep recursion."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from calculus.errors import CalculusError
from calculus.linear_a import syntax, typecheck
from calculus.linear_a.names import _free, freshen, is_fresh, names_in, scan
from calculus.linear_a.parse import parse_expr, parse_program
from calculus.linear_a.syntax import REAL, FunDef, Let, Prim, Ret, Var
from calculus.primitives import Op
from calculus.surface import compile as surface_compile

ROOT = Path(__file__).resolve().parent.parent

NAMES = ["x", "x0", "x999", "_t", "s", "y1z", "input", "index", "letter", "lets", "let_", "tupx",
         "zeros", "dupe", "dropped", "reals", "sine", "sin_", "sin1", "cosh", "exp2", "logx",
         "delta", "in_", "d", "deff", "R", "Sin", "LET", "ltup2", "_r", "é", "xé", "in", "sin"]


@pytest.mark.parametrize("name", NAMES)
def test_plain_names_read_back_as_the_parser_says(name: str) -> None:
    """The regular-expression shortcut of `_reads_as_variable` never disagrees with
    Linear A's parser (it may only defer to it)."""
    try:
        parsed = parse_expr(name, nl=(name,)) == Var(name)
    except CalculusError:
        parsed = False
    assert surface_compile._reads_as_variable(name) == parsed
    if surface_compile._PLAIN.fullmatch(name):
        assert parsed


def test_freshen_keeps_a_fresh_function_and_renames_a_shadowing_one() -> None:
    p = parse_program("def f(x: real) -> (real;) = let (y;) = sin(x) in let (z;) = y * y in (z;)\n"
                      "def g(x: real) -> (real;) = let (x;) = sin(x) in let (x;) = x * x in (x;)")
    f, g = p.funcs
    assert is_fresh(f) and freshen(f) is f
    assert not is_fresh(g)
    g2 = freshen(g)
    assert is_fresh(g2) and g2 != g and freshen(g2) is g2


def test_scan_is_remembered_per_function_object() -> None:
    """`scan` answers from its memo only for the same FunDef object: an equal-looking
    rebuilt function with other names gets its own answer, the set `names_in` hands out
    is a copy, and an evicted entry is recomputed the same."""
    p = parse_program("def g(x: real) -> (real;) = let (x;) = sin(x) in (x;)\n"
                      "def f(x: real) -> (real;) = let (y;) = sin(x) in g(y)")
    g, f = p.funcs
    first = scan(f)
    assert scan(f) is first
    assert first.calls == ("g",) and first.fresh and first.names == {"x", "y"}
    assert not scan(g).fresh and scan(g).calls == ()
    names_in(f).add("spoiled")
    assert names_in(f) == {"x", "y"}
    renamed = FunDef(f.name, (("u", REAL),), (), f.nl_results, (),
                     Let(("v",), (), Prim(Op.SIN, (Var("u"),)), Ret(("v",), ())))
    assert scan(renamed).names == {"u", "v"} and scan(renamed).calls == ()
    for i in range(70):  # more than the memo keeps: f's entry is evicted
        scan(FunDef(f"h{i}", (), (), (), (), Ret((), ())))
    assert scan(f) is not first and scan(f) == first


def chain(n: int) -> FunDef:
    """let (x1;) = sin(x0) in … let (xn;) = sin(x(n-1)) in (xn;), n lets deep."""
    body: syntax.Expr = Ret((f"x{n}",), ())
    for i in reversed(range(n)):
        body = Let((f"x{i + 1}",), (), Prim(Op.SIN, (Var(f"x{i}"),)), body)
    return FunDef("f", (("x0", REAL),), (), (REAL,), (), body)


def test_chain_walks_need_no_recursion_along_the_chain() -> None:
    """Type checking, free variables and printing of a 5000-let chain run with Python's
    default recursion limit, outside `@deep` (the chain is walked in a loop)."""
    f = chain(5000)
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        checker = typecheck._Checker(typecheck.Typing())
        new = checker.bind(("x0",), (REAL,), (), (), None, "Def")
        assert checker.synth(f.body) == ((REAL,), ())
        checker.close(new)
        nl: set[str] = set()
        _free(f.body, {}, nl, set())
        assert nl == {"x0"}
        text = syntax._pp(f.body, 2, 0)
    finally:
        sys.setrecursionlimit(old)
    assert text.count("\n") == 5000 and text.endswith("(x5000;)")


@pytest.mark.parametrize("family, n", [("chain", 1500)])
def test_the_whole_build_runs_within_the_default_recursion_limit(family: str, n: int,
                                                                 monkeypatch) -> None:
    """Surface source → T(U(J f)) → type-check → print, for a family member longer than
    Python's default recursion limit, inline in this thread (`@deep` disabled): no pass
    recurses along the let chain."""
    from calculus import deep
    from calculus.linear_a.grad import reverse
    from calculus.linear_a.typecheck import check_program
    from calculus.surface import compile_source

    sys.path.insert(0, str(ROOT / "examples"))
    from generate import FAMILIES

    monkeypatch.setattr(deep._state, "inside", True, raising=False)
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    gc.disable()  # as `@deep` does: a collector scanning a growing tree is quadratic
    try:
        name = f"{family}_{n}"
        rev = reverse(compile_source(FAMILIES[family](n)), name)
        check_program(rev.program)
        text = str(rev.program)
    finally:
        gc.enable()
        sys.setrecursionlimit(old)
    assert f"def {name}.jvp.lin.T(" in text
