"""The surface language (SPEC §2.5): the corpus compiles to well-typed A-normal Linear A
that prints and re-parses to itself, matches the checked-in `.la` files, and agrees
with the direct interpreter (exactly in float mode at random points, and as a sympy
identity in symbolic mode); every construct outside the subset is rejected with its
rule, ast class and line."""

from __future__ import annotations

import ast
import importlib.util
from fractions import Fraction
from functools import cache

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from calculus.cost_models import ARITHMETIC
from calculus.errors import DomainError, LinearityError, ParseError, SurfaceError
from calculus.linear_a.evaluate import run
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import (REAL, Call, Drop, Expr, Let, Lit, Prim, Program, RealT,
                                      Ret, Tup, TupT, Type, UnpackTup, Var)
from calculus.linear_a.typecheck import check_program
from calculus.linear_a.work import work
from calculus.loader import EXAMPLES, corpus, corpus_programs, family_size, load_program
from calculus.numbers import SympyNumbers
from calculus.primitives import Op
from calculus.surface import compile_source, interpret
from calculus.surface.check import Surface, analyse
from calculus.surface.compile import la_name
from calculus.surface.interpret import surface_value
from checkers.symbolic import prove_equal


def _load_generate():
    spec = importlib.util.spec_from_file_location("examples_generate", EXAMPLES / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


GEN = _load_generate()
SMALL = [name for name, _ in corpus_programs(max_n=100)]
LARGE = ["chain_10000", "horner_10000"]


@cache
def surface(name: str) -> Surface:
    path = EXAMPLES / f"{name}.py"
    return analyse(path.read_text(), str(path))


@cache
def compiled(name: str) -> Program:
    return load_program(EXAMPLES / f"{name}.py")


# --- shape of the output ------------------------------------------------------------------


def assert_anf(e: Expr) -> None:
    """The compiler's output: a spine of lets/unpacks ending in a return, every bound
    expression atomic (a primitive on variables/literals, a call, a tuple, a return, a
    variable, a literal, or the drop of a variable).  Iterative: bodies are deep."""
    while True:
        match e:
            case Ret(_, ()):
                return
            case UnpackTup(_, _, body):
                e = body
            case Let(xs, (), bound, body):
                match bound:
                    case Prim(_, args):
                        assert len(xs) == 1
                        assert all(isinstance(a, (Var, Lit)) for a in args), bound
                    case Drop(Var()):
                        assert xs == ()
                    case Call(_, _, ()) | Ret(_, ()):
                        pass
                    case Tup() | Var() | Lit():
                        assert len(xs) == 1
                    case _:
                        raise AssertionError(f"not atomic: {bound}")
                e = body
            case _:
                raise AssertionError(f"not in A-normal form: {type(e).__name__}")


def nodes(e: Expr):
    """Every node of a let spine and of its bound expressions."""
    stack = [e]
    while stack:
        n = stack.pop()
        yield n
        match n:
            case Let(_, _, bound, body):
                stack += [bound, body]
            case UnpackTup(_, _, body):
                stack.append(body)
            case Prim(_, args):
                stack += list(args)
            case Drop(a):
                stack.append(a)


def test_corpus_holds_the_named_examples():
    names = {p.stem for p in corpus()}
    hand = {"square", "norm2", "simple", "sincos", "xy_sin", "sin2cos2", "matvec", "lighthouse",
            "drop_unused", "shadowing", "add", "add_call", "double", "square_tuple", "plus_one",
            "plus_one_drop", "tanh_layer", "poly_pow", "hypot", "softplus", "unused_input"}
    families = {f"{f}_{n}" for f in GEN.FAMILIES for n in GEN.SIZES}
    assert hand | families == names
    for p in corpus():
        assert p.with_suffix(".la").exists(), p
        assert ast.get_docstring(analyse(p.read_text()).module), p


@pytest.mark.parametrize("name", SMALL)
def test_compiles_type_checks_and_is_a_normal(name):
    prog = compiled(name)
    check_program(prog)
    assert la_name(name) in prog
    for f in prog.funcs:
        assert f.lin_params == () and f.lin_results == ()
        assert_anf(f.body)


@pytest.mark.parametrize("name", SMALL)
def test_printed_form_reparses_equal(name):
    prog = compiled(name)
    assert parse_program(str(prog)) == prog


@pytest.mark.parametrize("py", corpus(), ids=lambda p: p.stem)
def test_checked_in_la_is_the_compilation(py):
    la = py.with_suffix(".la")
    assert la.read_text() == GEN.la_text(py.read_text(), str(py))
    if (family_size(py.stem) or 0) <= 100:
        assert load_program(la) == compiled(py.stem)


# --- agreement with the interpreter ---------------------------------------------------------


def values(t: Type, leaf):
    """A strategy (or value) shaped like type t, with `leaf` at the reals."""
    match t:
        case RealT():
            return leaf()
        case TupT(elems):
            return st.tuples(*(values(s, leaf) for s in elems))


def symbols(t: Type, prefix: str, counter: list[int]):
    match t:
        case RealT():
            counter[0] += 1
            return sympy.Symbol(f"{prefix}{counter[0]}", real=True)
        case TupT(elems):
            return tuple(symbols(s, prefix, counter) for s in elems)


def both(s: Surface, prog: Program, func: str, args: tuple, mode: str = "float"):
    """(interpreter value, compiled value, side conditions), or the DomainErrors."""
    out = []
    conds: list = []
    for side in ("interpret", "compiled"):
        num = SympyNumbers() if mode == "symbolic" else None
        try:
            if side == "interpret":
                out.append(interpret(s, func, args, mode, num=num))
            else:
                out.append(surface_value(run(prog, la_name(func), args, (), mode, num=num).nl))
        except DomainError as exc:
            out.append(exc)
        conds += num.conditions if num else []
    return out[0], out[1], conds


def assert_agree_float(s: Surface, prog: Program, func: str, args: tuple) -> None:
    ref, got, _ = both(s, prog, func, args)
    if isinstance(ref, DomainError):
        assert isinstance(got, DomainError) and (got.rule, got.pos) == (ref.rule, ref.pos)
    else:
        assert got == ref  # same operations on the same doubles: bit-identical


def assert_agree_symbolic(s: Surface, prog: Program, func: str) -> None:
    counter = [0]
    args = tuple(symbols(t, "a", counter) for _, t in s.funcs[func].params)
    ref, got, conds = both(s, prog, func, args, "symbolic")
    verdict = prove_equal(ref, got, conds)
    assert verdict, str(verdict)


FLOATS = lambda: st.floats(-3, 3, allow_nan=False)  # noqa: E731


@pytest.mark.parametrize("name", SMALL)
@given(data=st.data())
def test_float_agreement(name, data):
    s = surface(name)
    args = tuple(data.draw(values(t, FLOATS), label=x) for x, t in s.funcs[name].params)
    assert_agree_float(s, compiled(name), name, args)


@pytest.mark.parametrize("name", SMALL)
def test_symbolic_agreement(name):
    assert_agree_symbolic(surface(name), compiled(name), name)


@pytest.mark.parametrize("name", LARGE)
def test_deep_families_compile_check_and_run(name):
    prog = compiled(name)  # 10 000 statements: no RecursionError anywhere
    check_program(prog)
    assert_agree_float(surface(name), prog, name, (0.5,))


def test_domain_errors_agree():
    src = "from math import log\n\ndef f(x, y):\n    a = x / y\n    return log(a)\n"
    s, prog = analyse(src, "f.py"), compile_source(src, "f.py")
    for args, rule, line in [((1.0, 0.0), "div", 4), ((-1.0, 1.0), "log", 5)]:
        ref, got, _ = both(s, prog, "f", args)
        assert isinstance(ref, DomainError) and (ref.rule, ref.pos.line) == (rule, line)
        assert isinstance(got, DomainError) and (got.rule, got.pos) == (ref.rule, ref.pos)


# --- the generator ---------------------------------------------------------------------------


@pytest.mark.parametrize("family", sorted(GEN.FAMILIES))
def test_generate_is_deterministic(family):
    source = GEN.FAMILIES[family]
    py = EXAMPLES / f"{family}_10.py"
    assert source(10) == source(10) == py.read_text()
    assert GEN.la_text(source(10), str(py)) == py.with_suffix(".la").read_text()


@pytest.mark.parametrize("n", [10, 100])
def test_families_have_their_size(n):
    """Work (primitive count) of each member: N sins; N multiplications and N additions;
    N-1 products and N-2 additions."""
    expected = {"chain": n, "horner": 2 * n, "sumprod": 2 * n - 3}
    for family, w in expected.items():
        name = f"{family}_{n}"
        assert work(compiled(name), name, ARITHMETIC) == w


# --- compilation details -------------------------------------------------------------------


def body_of(src: str, func: str = "f") -> Expr:
    prog = compile_source(src)
    check_program(prog)
    return prog.get(la_name(func)).body


def bounds(e: Expr) -> list[Expr]:
    return [n.bound for n in nodes(e) if isinstance(n, Let)]


def test_literals_are_exact_and_negative_literals_fold():
    e = body_of("def f(x):\n    return -1.5 * x + 0.1 * (-x) - 2 - -(3.25)\n")
    prims = [b for b in bounds(e) if isinstance(b, Prim)]
    lits = [a.value for p in prims for a in p.args if isinstance(a, Lit)]
    assert sorted(lits) == sorted([Fraction(-3, 2), Fraction(1, 10), Fraction(2), Fraction(-13, 4)])
    assert [p.op for p in prims].count(Op.NEG) == 1  # -x; the literals were folded
    e = body_of("def f(x):\n    y = -(-1.5)\n    return y * x\n")
    assert Prim(Op.NEG, (Lit(Fraction(-3, 2)),)) in bounds(e)


def test_drops_follow_unused_bindings():
    e = body_of("def g(a):\n    return a, a * a\n\n"
                "def f(x, y, z):\n    u = x * x\n    x = y\n    p, q = g(x)\n    return p\n")
    dropped = [b.arg.name for b in bounds(e) if isinstance(b, Drop)]
    assert dropped == ["z", "u", "q"]
    # each drop comes right after its binding (the parameter's at the start)
    assert isinstance(e, Let) and e.bound == Drop(Var("z"))
    chain = [n for n in nodes(e) if isinstance(n, Let)]
    for i, n in enumerate(chain):
        if isinstance(n.bound, Drop) and n.bound.arg.name != "z":
            assert n.bound.arg.name in chain[i - 1].nl


def test_drops_are_needed():
    """Without the inserted drops the program is rejected (no weakening in Linear A)."""
    prog = compiled("plus_one_drop")
    f = prog.funcs[0]
    e = f.body
    assert isinstance(e, Let) and isinstance(e.body, Let) and isinstance(e.body.bound, Drop)
    stripped = Let(e.nl, e.lin, e.bound, e.body.body)
    bad = Program((type(f)(f.name, f.nl_params, (), f.nl_results, (), stripped),))
    with pytest.raises(LinearityError) as exc:
        check_program(bad)
    assert (exc.value.kind, exc.value.var) == ("nonlinear-unused", "y")


def test_no_drop_when_everything_is_used():
    assert not any(isinstance(n, Drop) for n in nodes(compiled("shadowing").funcs[0].body))


def test_temporaries_and_reserved_names_do_not_clash():
    src = ("from math import sin\n\n"
           "def zero(let, real):\n    tup = let * real\n    return tup\n\n"
           "def f(x, _t, t, _r):\n    sin_ = sin(x)\n    _t1 = zero(_t, t)\n"
           "    drop = _t1 + sin_ * _r\n    ltup = (drop, x)\n    a, b = ltup\n    return a + b\n")
    prog = compile_source(src)
    check_program(prog)
    assert [f.name for f in prog.funcs] == ["_r.zero", "f"]
    assert parse_program(str(prog)) == prog
    s = analyse(src)
    for args in [(0.5, 1.0, 2.0, 3.0), (-1.25, 0.0, 7.0, -2.0)]:
        assert_agree_float(s, prog, "f", args)
    assert la_name("x") == "x" and la_name("sin") == "_r.sin"


TUPLES = """\
def pair(x, y):
    return y, x * y

def boxed(p: tuple[float, tuple[float, float]]) -> tuple[float, float]:
    a, (b, c) = p
    a, b = b, a
    q = pair(a, c)
    (d, e), f = q, b
    return pair(d + e, f)

def single(x) -> tuple[float]:
    return (x,)

def main(x: float, y: float):
    u, v = pair(x, y)
    w = boxed((u, (v, x)))
    (z,) = single(y)
    return w, z, ()
"""


def test_tuples_unpacking_and_several_results():
    s, prog = analyse(TUPLES), compile_source(TUPLES)
    check_program(prog)
    assert prog.get("pair").nl_results == (REAL, REAL)
    assert prog.get("boxed").nl_results == (TupT((REAL, REAL)),)
    assert prog.get("main").nl_results == (TupT((REAL, REAL)), REAL, TupT(()))
    assert parse_program(str(prog)) == prog
    for args in [(0.5, -2.0), (1.5, 3.0)]:
        assert_agree_float(s, prog, "main", args)
    assert_agree_symbolic(s, prog, "main")


def test_deep_expression_nesting():
    src = "def f(x):\n    return " + " + ".join(["x"] * 3000) + "\n"
    prog = compile_source(src)
    check_program(prog)
    assert_agree_float(analyse(src), prog, "f", (0.25,))


# --- rejections ------------------------------------------------------------------------------
# Each source marks the offending line with `#!`; the error must name that line.

REJECTED = [
    ("for loop", "For", "def f(x):\n    for i in x:  #!\n        x = x\n    return x"),
    ("while loop", "While", "def f(x):\n    while x:  #!\n        x = x\n    return x"),
    ("if statement", "If", "def f(x):\n    if x:  #!\n        x = x\n    return x"),
    ("conditional expression", "IfExp", "def f(x):\n    return x if x else x  #!"),
    ("lambda", "Lambda", "def f(x):\n    g = lambda y: y  #!\n    return x"),
    ("floor division", "FloorDiv", "def f(x):\n    return x // 2  #!"),
    ("modulo operator", "Mod", "def f(x):\n    return x % 2  #!"),
    ("comparison", "Compare", "def f(x):\n    y = x < 1.0  #!\n    return x"),
    ("boolean operator", "BoolOp", "def f(x):\n    return x and x  #!"),
    ("string literal", "Constant", "def f(x):\n    y = 'a'  #!\n    return x"),
    ("boolean literal", "Constant", "def f(x):\n    return x * True  #!"),
    ("complex literal", "Constant", "def f(x):\n    return x * 1j  #!"),
    ("non-finite literal", "Constant", "def f(x):\n    return x * 1e400  #!"),
    ("keyword argument", "keyword", "def g(a):\n    return a\n\ndef f(x):\n    return g(a=x)  #!"),
    ("starred expression", "Starred", "def g(a):\n    return a\n\ndef f(x):\n    return g(*x)  #!"),
    ("global declaration", "Global", "def f(x):\n    global y  #!\n    return x"),
    ("global variable", "Assign", "c = 2.0  #!\n\ndef f(x):\n    return c * x"),
    ("unbound variable", "Name", "def f(x):\n    return c * x  #!"),
    ("unbound variable", "Name", "def f(x):\n    y = z  #!\n    z = x\n    return y"),
    ("recursion", "Call", "def f(x):\n    return f(x)  #!"),
    ("unknown function", "Call", "def f(x):\n    return tan(x)  #!"),
    ("unknown function", "Call", "import math\n\ndef f(x):\n    return math.tan(x)  #!"),
    ("later function", "Call", "def f(x):\n    return g(x)  #!\n\ndef g(x):\n    return x"),
    ("call of a variable", "Call", "def f(x):\n    return x(x)  #!"),
    ("function as a value", "Name",
     "from math import sin\n\ndef f(x):\n    g = sin  #!\n    return x"),
    ("indexing", "Subscript", "def f(p: tuple[float, float]):\n    return p[0]  #!"),
    ("attribute", "Attribute", "import math\n\ndef f(x):\n    return math.pi * x  #!"),
    ("augmented assignment", "AugAssign", "def f(x):\n    x += 1.0  #!\n    return x"),
    ("annotated assignment", "AnnAssign", "def f(x):\n    y: float = x  #!\n    return y"),
    ("chained assignment", "Assign", "def f(x):\n    a = b = x  #!\n    return a + b"),
    ("list", "List", "def f(x):\n    y = [x]  #!\n    return x"),
    ("list", "List", "def f(p: tuple[float, float]):\n    [a, b] = p  #!\n    return a"),
    ("assignment expression", "NamedExpr", "def f(x):\n    return (y := x)  #!"),
    ("unary plus", "UAdd", "def f(x):\n    return +x  #!"),
    ("expression statement", "Expr", "def f(x):\n    x * x  #!\n    return x"),
    ("pass", "Pass", "def f(x):\n    pass  #!\n    return x"),
    ("nested function", "FunctionDef",
     "def f(x):\n    def g(y):  #!\n        return y\n    return x"),
    ("class", "ClassDef", "class A:  #!\n    pass"),
    ("import", "Import", "import os  #!\n\ndef f(x):\n    return x"),
    ("import", "ImportFrom", "from math import tan  #!\n\ndef f(x):\n    return x"),
    ("missing return", "FunctionDef", "def f(x):  #!\n    y = x"),
    ("return without value", "Return", "def f(x):\n    return  #!"),
    ("unreachable code", "Assign", "def f(x):\n    return x\n    y = x  #!"),
    ("redefinition", "FunctionDef", "def f(x):\n    return x\n\ndef f(x):  #!\n    return x"),
    ("default value", "arguments", "def f(x, y=1.0):  #!\n    return x"),
    ("*args", "arguments", "def f(x, *ys):  #!\n    return x"),
    ("decorator", "FunctionDef", "@staticmethod  #!\ndef f(x):\n    return x"),
    ("annotation", "Name", "def f(x: int):  #!\n    return x"),
    ("return annotation", "FunctionDef", "def f(x) -> tuple[float, float]:  #!\n    return x"),
    ("identifier", "Name", "def f(x):\n    ω = x  #!\n    return ω"),
    ("type mismatch", "Name", "def f(p: tuple[float, float]):\n    return p * 2.0  #!"),
    ("type mismatch", "Name", "def g(p: tuple[float, float]):\n    return 1.0\n\n"
                              "def f(x):\n    return g(x)  #!"),
    ("arity", "Call", "from math import sin\n\ndef f(x):\n    return sin(x, x)  #!"),
    ("arity", "Call", "from math import sqrt\n\ndef f(x):\n    return sqrt(x, x)  #!"),
    ("arity", "Call", "import jax.numpy as jnp\n\ndef f(x):\n    return jnp.tanh()  #!"),
    ("exponent", "BinOp", "def f(x):\n    return x ** 2.5  #!"),
    ("exponent", "BinOp", "def f(x):\n    return x ** 2.0  #!"),
    ("exponent", "BinOp", "def f(x, y):\n    return x ** y  #!"),
    ("exponent", "BinOp", "def f(x):\n    return x ** (1 + 1)  #!"),
    ("exponent", "BinOp", "def f(x):\n    return x ** True  #!"),
    ("exponent", "BinOp", "def f(x):\n    return x ** 1000000000  #!"),
    ("type mismatch", "Name", "def f(p: tuple[float, float]):\n    return p ** 2  #!"),
    ("unknown function", "Call", "import math\n\ndef f(x):\n    return math.pow(x, 2)  #!"),
    ("arity", "Call", "def g(a, b):\n    return a\n\ndef f(x):\n    return g(x)  #!"),
    ("unpacking", "Tuple", "def f(x):\n    a, b = x  #!\n    return a"),
    ("unpacking", "Tuple", "def g(a):\n    return a, a, a\n\ndef f(x):\n    a, b = g(x)  #!\n"
                           "    return a"),
    ("duplicate target", "Name", "def f(x):\n    a, a = x, x  #!\n    return a"),
    ("syntax", "SyntaxError", "def f(x):\n    return x +  #!"),
]


@pytest.mark.parametrize("rule,construct,src", REJECTED, ids=[f"{r}-{c}" for r, c, _ in REJECTED])
def test_rejected_constructs(rule, construct, src):
    line = next(i for i, text in enumerate(src.splitlines(), 1) if "#!" in text)
    for entry in (lambda: compile_source(src, "bad.py"), lambda: interpret(src, "f", (1.0,))):
        with pytest.raises(SurfaceError) as exc:
            entry()
        err = exc.value
        assert (err.rule, err.construct, err.pos.line) == (rule, construct, line)
    assert err.pos.file is None and str(line) in str(err)


def test_error_positions_carry_the_file():
    with pytest.raises(SurfaceError) as exc:
        compile_source("def f(x):\n    return x // 2\n", "prog.py")
    assert exc.value.pos.file == "prog.py"


def test_interpret_checks_its_call():
    src = "def f(p: tuple[float, float]):\n    a, b = p\n    return a * b\n"
    with pytest.raises(SurfaceError) as exc:
        interpret(src, "g", ((1.0, 2.0),))
    assert exc.value.rule == "unknown function"
    for bad in [(1.0,), ((1.0, 2.0), 3.0), ((1.0, 2.0, 3.0),)]:
        with pytest.raises(SurfaceError) as exc:
            interpret(src, "f", bad)
        assert exc.value.rule == "arguments"
    assert interpret(src, "f", ((1.5, 2.0),)) == 3.0


# --- loader ----------------------------------------------------------------------------------


def test_loader(tmp_path):
    assert load_program(EXAMPLES / "norm2.py") == load_program(EXAMPLES / "norm2.la")
    for bad in [tmp_path / "prog.txt", tmp_path / "missing.py", tmp_path / "missing.la"]:
        with pytest.raises(ParseError) as exc:
            load_program(bad)
        assert exc.value.rule == "load"
    names = [p.name for p in corpus()]
    assert "generate.py" not in names and not any(n.startswith("ll_") for n in names)
    small = dict(corpus_programs(max_n=10))
    assert "chain_10" in small and "chain_100" not in small and "matvec" in small
    assert {family_size(n) for n in small} == {None, 10}
    assert (family_size("horner_10000"), family_size("plus_one")) == (10000, None)
