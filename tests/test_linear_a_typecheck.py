"""Linear A typing, rule by rule (SPEC §2.2): an accepted and a rejected program for every
rule of  Γ ; Δ ⊢ e : (τ̄ ; σ̄)  and for `Def`.

Γ has contraction but no weakening; Δ is exact; non-linear expressions have an empty Δ;
calls are checked against the callee's signature.  Every rejection asserts the error's
class (exactly), its rule and its fields (var, kind, expected, found, name) and its
position, which is where the rule's node starts (`line:col`, 1-based).
"""

from __future__ import annotations

import pytest

from calculus.errors import LinearityError, ParseError, ScopeError, TypeCheckError
from calculus.linear_a import syntax as S
from calculus.linear_a.parse import parse_program
from calculus.linear_a.typecheck import check_program
from calculus.primitives import Op


def accept(src: str):
    prog = parse_program(src)
    return prog, check_program(prog)


def reject(src: str, cls: type, pos: tuple[int, int] | None, **fields):
    """check_program(parse_program(src)) raises exactly `cls` with these fields."""
    with pytest.raises(cls) as info:
        check_program(parse_program(src))
    err = info.value
    assert type(err) is cls, err
    for name, want in fields.items():
        assert getattr(err, name) == want, (name, err)
    assert (err.pos.line, err.pos.col) == pos if pos else err.pos is None, err
    return err


G = "def g(x: real; a: real) -> (real, real; real) =\n  (x, x; a)\n\n"  # a callee


# Each case: rule, accepted source, rejected source, error class, position, fields.
CASES = [
    # -- Ret --------------------------------------------------------------------------
    ("Ret", "def f(x: real; a: real) -> (real, real; real) =\n  (x, x; a)",
     "def f(x: real; a: real) -> (real; real) =\n  (a; x)",
     TypeCheckError, (2, 3), dict(rule="Ret", var="a", expected="non-linear", found="linear")),
    ("Ret:implicit-linear-dup", "def f(; a: real) -> (; real, real) =\n  dup(a)",
     "def f(; a: real) -> (; real, real) =\n  (; a, a)",
     LinearityError, (2, 3), dict(rule="Ret", var="a", kind="linear-used-twice")),
    # -- Let --------------------------------------------------------------------------
    ("Let", "def f(x: real; a: real) -> (; real) =\n  let (y; b) = (x; a) in\n  y *. b",
     "def f(x: real) -> (real;) =\n  let (y, z;) = sin(x) in\n  y",
     TypeCheckError, (2, 3), dict(rule="Let", expected="2;0", found="(real;)")),
    ("Let:no-weakening", "def f(x: real) -> (real;) =\n  let (y;) = sin(x) in\n  y * y",
     "def f(x: real) -> (real;) =\n  let (y;) = sin(x) in\n  x",
     LinearityError, (2, 3), dict(rule="Let", var="y", kind="nonlinear-unused")),
    ("Let:linear-unused", "def f(; a: real) -> (; real) =\n  let (; b) = a in\n  b",
     "def f(; a: real) -> (;) =\n  let (; b) = a in\n  (;)",
     LinearityError, (2, 3), dict(rule="Let", var="b", kind="linear-unused")),
    ("Let:pattern", "def f(x: real) -> (real;) =\n  let (y, z;) = (x, x;) in\n  y - z",
     "def f(x: real) -> (real;) =\n  let (y, y;) = (x, x;) in\n  y",
     TypeCheckError, (2, 3), dict(rule="Let", var="y")),
    ("Let:shadowing", "def f(x: real) -> (real;) =\n  let (x;) = sin(x) in\n  x",
     "def f(x: real) -> (real;) =\n  let (x;) = 1.0 in\n  x",
     LinearityError, (1, 1), dict(rule="Def", var="x", kind="nonlinear-unused")),
    # -- UnpackTup -------------------------------------------------------------------------
    ("UnpackTup", "def f(p: (real, real)) -> (real;) =\n  let tup(x, y) = p in\n  x * y",
     "def f(x: real) -> (real;) =\n  let tup(y, z) = x in\n  y * z",
     TypeCheckError, (2, 3),
     dict(rule="UnpackTup", var="x", expected="a tuple of 2 components", found="real")),
    ("UnpackTup:linear", "def f(p: (real,)) -> (real;) =\n  let tup(x) = p in\n  x",
     "def f(; q: (real, real)) -> (real;) =\n  let tup(y, z) = q in\n  y * z",
     TypeCheckError, (2, 3),
     dict(rule="UnpackTup", var="q", expected="non-linear", found="linear")),
    # -- UnpackLtup -----------------------------------------------------------------------
    ("UnpackLtup", "def f(; q: (real, real)) -> (; real) =\n  let ltup(a, b) = q in\n  a +. b",
     "def f(p: (real, real)) -> (; real) =\n  let ltup(a, b) = p in\n  a +. b",
     TypeCheckError, (2, 3),
     dict(rule="UnpackLtup", var="p", expected="linear", found="non-linear")),
    ("UnpackLtup:arity", "def f(; q: ()) -> (; real) =\n  let ltup() = q in\n  zero",
     "def f(; q: (real, real)) -> (; real) =\n  let ltup(a, b, c) = q in\n  a +. b +. c",
     TypeCheckError, (2, 3), dict(rule="UnpackLtup", var="q",
                                  expected="a tuple of 3 components", found="(real, real)")),
    ("UnpackLtup:linear-unused",
     "def f(; q: (real, real)) -> (; real, real) =\n  let ltup(a, b) = q in\n  (; b, a)",
     "def f(; q: (real, real)) -> (; real) =\n  let ltup(a, b) = q in\n  a",
     LinearityError, (2, 3), dict(rule="UnpackLtup", var="b", kind="linear-unused")),
    # -- Call -----------------------------------------------------------------------------
    ("Call", G + "def f(y: real; b: real) -> (real; real) =\n"
     "  let (u, v; c) = g(y; b) in\n  let (w;) = u * v in\n  (w; c)",
     G + "def f(y: real; b: real) -> (real, real; real) =\n  g(y, y; b)",
     TypeCheckError, (5, 3),
     dict(rule="Call", var="g", expected="(real; real)", found="(real, real; real)")),
    ("Call:types", G + "def f(y: real; b: real) -> (real, real; real) =\n  g(y; b)",
     G + "def f(p: (real, real); b: real) -> (real, real; real) =\n  g(p; b)",
     TypeCheckError, (5, 3),
     dict(rule="Call", var="g", expected="(real; real)", found="((real, real); real)")),
    ("Call:linear-twice",
     "def h(; a: real, b: real) -> (; real) =\n  a +. b\n\n"
     "def f(; x: real) -> (; real) =\n  let (; y, z) = dup(x) in\n  h(; y, z)",
     "def h(; a: real, b: real) -> (; real) =\n  a +. b\n\n"
     "def f(; x: real) -> (; real) =\n  h(; x, x)",
     LinearityError, (5, 3), dict(rule="Call", var="x", kind="linear-used-twice")),
    ("Call:scope", G + "def f(y: real; b: real) -> (real, real; real) =\n  g(y; b)",
     "def f(y: real; b: real) -> (real, real; real) =\n  g(y; b)\n\n"
     "def g(x: real; a: real) -> (real, real; real) =\n  (x, x; a)",
     ScopeError, (2, 3), dict(rule="Call", name="g")),
    # -- Var ------------------------------------------------------------------------------
    ("Var:implicit-nonlinear-dup", "def f(x: real) -> (real;) =\n  x * x",
     "def f(x: real) -> (real;) =\n  y",
     ScopeError, (2, 3), dict(rule="Var", name="y")),
    # -- Lit ------------------------------------------------------------------------------
    ("Lit", "def f() -> (real, real;) =\n  let (x;) = 0.1 in\n  let (y;) = -2.5 in\n  (x, y;)",
     "def f(; a: real) -> (; real) =\n  a +. 1.0",
     TypeCheckError, (2, 8), dict(rule="LAdd", expected="(;σ)", found="(real;)")),
    # -- Tup ------------------------------------------------------------------------------
    ("Tup", "def f(x: real, y: real) -> ((real, real, real);) =\n  tup(x, y, x)",
     "def f(x: real; a: real) -> ((real, real);) =\n  tup(x, a)",
     TypeCheckError, (2, 3), dict(rule="Tup", var="a", expected="non-linear", found="linear")),
    # -- Prim -----------------------------------------------------------------------------
    ("Prim", "def f(x: real) -> (real;) =\n  log(exp(x) + 1.0) / -x - sin(cos(x))",
     "def f(p: (real, real)) -> (real;) =\n  sin(p)",
     TypeCheckError, (2, 7), dict(rule="Prim", expected="real", found="(real, real)")),
    ("Prim:linear-in-nonlinear",
     "def f(x: real; a: real) -> (real; real) =\n  let (y;) = sin(x) * x in\n  (y; a)",
     "def f(x: real; a: real) -> (real;) =\n  let (;) = drop(x) in\n  sin(a)",
     LinearityError, (3, 7), dict(rule="Prim", var="a", kind="linear-in-nonlinear")),
    # -- LVar -----------------------------------------------------------------------------
    ("LVar", "def f(; a: real) -> (; real) =\n  a",
     "def f(; a: real) -> (; real) =\n  a +. a",
     LinearityError, (2, 8), dict(rule="LVar", var="a", kind="linear-used-twice")),
    # -- LTup -----------------------------------------------------------------------------
    ("LTup", "def f(; a: real, b: (real, real)) -> (; (real, (real, real))) =\n  ltup(a, b)",
     "def f(; a: real) -> (; (real, real)) =\n  ltup(a, a)",
     LinearityError, (2, 3), dict(rule="LTup", var="a", kind="linear-used-twice")),
    ("LTup:nonlinear", "def f() -> (; ()) =\n  ltup()",
     "def f(x: real) -> (; (real,)) =\n  ltup(x)",
     TypeCheckError, (2, 3), dict(rule="LTup", var="x", expected="linear", found="non-linear")),
    # -- LAdd -----------------------------------------------------------------------------
    ("LAdd", "def f(; a: (real, real), b: (real, real)) -> (; (real, real)) =\n  a +. b",
     "def f(; a: real, b: (real, real)) -> (; real) =\n  a +. b",
     TypeCheckError, (2, 3), dict(rule="LAdd", expected="real", found="(real, real)")),
    # -- LScale ---------------------------------------------------------------------------
    ("LScale:nonlinear-scaling", "def f(x: real; y: real) -> (; real) =\n  x *. y",
     "def f(; a: real, b: real) -> (; real) =\n  a *. b",
     LinearityError, (2, 3), dict(rule="LScale", var="a", kind="linear-in-nonlinear")),
    ("LScale:vector", "def f(x: real, y: real; a: (real, real)) -> (; (real, real)) =\n"
     "  sin(x) *. y *. a",
     "def f(x: real, y: real) -> (; real) =\n  x *. y",
     TypeCheckError, (2, 8), dict(rule="LScale", expected="(;σ)", found="(real;)")),
    ("LScale:scalar", "def f(x: real; a: real) -> (; real) =\n  (x * x) *. a",
     "def f(p: (real, real); a: real) -> (; real) =\n  p *. a",
     TypeCheckError, (2, 3), dict(rule="LScale", expected="real", found="(real, real)")),
    # -- LDiv -----------------------------------------------------------------------------
    ("LDiv:nonlinear-divisor", "def f(x: real; a: real) -> (; real) =\n  a /. x",
     "def f(; a: real, b: real) -> (; real) =\n  a /. b",
     LinearityError, (2, 8), dict(rule="LDiv", var="b", kind="linear-in-nonlinear")),
    ("LDiv:vector", "def f(x: real; a: (real, real)) -> (; (real, real)) =\n"
     "  a /. exp(x) /. x",
     "def f(x: real, y: real) -> (; real) =\n  x /. y",
     TypeCheckError, (2, 3), dict(rule="LDiv", expected="(;σ)", found="(real;)")),
    ("LDiv:divisor", "def f(x: real; a: real) -> (; real) =\n  a /. (x * x)",
     "def f(p: (real, real); a: real) -> (; real) =\n  a /. p",
     TypeCheckError, (2, 8), dict(rule="LDiv", expected="real", found="(real, real)")),
    # -- Zero -----------------------------------------------------------------------------
    ("Zero", "def f() -> (; real, (real, real)) =\n"
     "  let (; a) = zero in\n  let (; b) = zero[(real, real)] in\n  (; a, b)",
     "def f() -> (real;) =\n  sin(zero)",
     TypeCheckError, (2, 7), dict(rule="Prim", expected="(τ;)", found="(; real)")),
    ("Zero:type", "def f() -> (; (real, (real,))) =\n  zero[(real, (real,))]",
     "def f() -> (; (real, real)) =\n  zero",
     TypeCheckError, (1, 1),
     dict(rule="Def", var="f", expected="(; (real, real))", found="(; real)")),
    # -- Dup ------------------------------------------------------------------------------
    ("Dup", "def f(; a: (real, real)) -> (; (real, real)) =\n  let (; b, c) = dup(a) in\n  b +. c",
     "def f(x: real) -> (; real, real) =\n  dup(x)",
     TypeCheckError, (2, 7), dict(rule="Dup", expected="(;σ)", found="(real;)")),
    ("Dup:copy-unused",
     "def f(; a: real) -> (; real, real) =\n  let (; b, c) = dup(a) in\n  (; c, b)",
     "def f(; a: real) -> (; real) =\n  let (; b, c) = dup(a) in\n  b",
     LinearityError, (2, 3), dict(rule="Let", var="c", kind="linear-unused")),
    # -- Drop -----------------------------------------------------------------------------
    ("Drop", "def f(x: real; a: real, b: real) -> (; real) =\n"
     "  let (;) = drop(x) in\n  let (;) = drop(ltup(a, b)) in\n  zero",
     "def f(; a: real) -> (; real) =\n  let (;) = drop(a) in\n  a",
     LinearityError, (3, 3), dict(rule="LVar", var="a", kind="linear-used-twice")),
    ("Drop:result", "def f(x: real) -> (real;) =\n  let (;) = drop(sin(x)) in\n  x",
     "def f(x: real) -> (real;) =\n  let (y;) = drop(x) in\n  y",
     TypeCheckError, (2, 3), dict(rule="Let", expected="1;0", found="(;)")),
    # -- Def ------------------------------------------------------------------------------
    ("Def", "def f(x: real) -> ((real, real);) =\n  tup(x, x)",
     "def f(x: real) -> ((real, real);) =\n  x",
     TypeCheckError, (1, 1),
     dict(rule="Def", var="f", expected="((real, real);)", found="(real;)")),
    ("Def:implicit-nonlinear-drop", "def f(x: real, y: real) -> (real;) =\n"
     "  let (;) = drop(y) in\n  x",
     "def f(x: real, y: real) -> (real;) =\n  x",
     LinearityError, (1, 1), dict(rule="Def", var="y", kind="nonlinear-unused")),
    ("Def:linear-unused", "def f(x: real; a: real) -> (real; real) =\n  (x; a)",
     "def f(x: real; a: real) -> (real;) =\n  x",
     LinearityError, (1, 1), dict(rule="Def", var="a", kind="linear-unused")),
    ("Def:params", "def f(x: real; y: real) -> (; real) =\n  x *. y",
     "def f(x: real; x: real) -> (; real) =\n  zero",
     TypeCheckError, (1, 1), dict(rule="Def", var="x")),
    ("Def:twice", "def f(x: real) -> (real;) =\n  x\n\ndef g(x: real) -> (real;) =\n  f(x;)",
     "def f(x: real) -> (real;) =\n  x\n\ndef f(x: real) -> (real;) =\n  x",
     ScopeError, (4, 1), dict(rule="Program", name="f")),
]

RULES = {"Ret", "Let", "UnpackTup", "UnpackLtup", "Call", "Var", "Lit", "Tup", "Prim", "LVar",
         "LTup", "LAdd", "LScale", "LDiv", "Zero", "Dup", "Drop", "Def"}


def test_every_rule_has_a_case():
    assert {c[0].split(":")[0] for c in CASES} == RULES
    assert RULES == {c.__name__ for c in S.EXPR_CLASSES} | {"Def"}


@pytest.mark.parametrize("rule, good, bad, cls, pos, fields", CASES, ids=[c[0] for c in CASES])
def test_rule(rule, good, bad, cls, pos, fields):
    accept(good)
    reject(bad, cls, pos, **fields)


# --- what the judgement returns and AST-only rejections -----------------------------------


def test_typing_records_signatures_and_node_types():
    prog, typing = accept(G + "def f(y: real; b: real) -> (real, real; real) =\n  g(y; b)")
    assert typing.sigs["g"] == (((S.REAL,), (S.REAL,)), ((S.REAL, S.REAL), (S.REAL,)))
    call = prog.get("f").body
    assert isinstance(call, S.Call)
    assert typing.of(call) == ((S.REAL, S.REAL), (S.REAL,))


def test_var_bound_linearly_is_not_a_nonlinear_var():
    """The parser turns a linearly bound name into an LVar, so only an AST reaches the
    Var rule with a linear variable."""
    f = S.FunDef("f", (), (("a", S.REAL),), (S.REAL,), (), S.Var("a"))
    with pytest.raises(TypeCheckError) as info:
        check_program(S.Program((f,)))
    err = info.value
    assert type(err) is TypeCheckError
    assert (err.rule, err.var, err.expected, err.found) == ("Var", "a", "non-linear", "linear")


def test_prim_arity():
    f = S.FunDef("f", (("x", S.REAL),), (), (S.REAL,), (), S.Prim(Op.SIN, (S.Var("x"),) * 2))
    with pytest.raises(TypeCheckError) as info:
        check_program(S.Program((f,)))
    assert (info.value.rule, info.value.expected, info.value.found) == ("Prim", "1", "2")


def test_syntax_error_is_a_parse_error():
    with pytest.raises(ParseError) as info:
        check_program(parse_program("def f(x: real) -> (real;) =\n  x *. "))
    assert info.value.rule == "syntax" and info.value.pos.line == 2


def test_nonlinear_subterm_may_use_its_own_linear_variables():
    """Δ must be empty for a primitive's argument, but a linear variable bound *inside*
    the argument is not in its Δ (as in the Dex prototype)."""
    from calculus.linear_a.parse import parse_program
    from calculus.linear_a.syntax import REAL
    from calculus.linear_a.typecheck import check_program
    src = "def f(x: real) -> (real;) = sin(let (; a) = zero in let (;) = drop(a) in x)"
    assert check_program(parse_program(src)).sigs["f"][1] == ((REAL,), ())


# --- the checker's tables and scopes --------------------------------------------------------


def test_every_constructor_has_exactly_one_case():
    """The checker finds a node's case by its class (`_BINDERS`, `_CASES`): the tables
    split the constructors of `Expr` between them, and any other class is a bug."""
    from typing import get_args

    from calculus.errors import InternalError
    from calculus.linear_a import typecheck
    binders, cases = set(typecheck._BINDERS), set(typecheck._CASES)
    assert binders == {S.Let, S.UnpackTup, S.UnpackLtup}
    assert not binders & cases and binders | cases == set(get_args(S.Expr))
    f = S.FunDef("f", (("x", S.REAL),), (), (S.REAL,), (), S.Prim(Op.SIN, ("x",)))
    with pytest.raises(InternalError, match="str is not a Linear A expression"):
        check_program(S.Program((f,)))


def test_shadowing_restores_the_outer_binding():
    """An inner binding hides an outer one of the same name only in its body: closing it
    makes the outer one visible again, and an outer binding left unused is reported
    at its own binder."""
    accept("def f(x: real) -> (real;) =\n  let (y;) = sin(x) in\n"
           "  let (z;) = (let (y;) = cos(y) in y) in\n  y * z")
    accept("def f(; a: real) -> (; real) =\n  let (; a) = a in\n  a")
    reject("def f(x: real) -> (real;) =\n  let (y;) = sin(x) in\n  let (y;) = x in\n  y",
           LinearityError, (2, 3), rule="Let", var="y", kind="nonlinear-unused")
    reject("def f(; a: real) -> (; real) =\n  let (; b) = a in\n  let (; b) = zero in\n  b",
           LinearityError, (2, 3), rule="Let", var="b", kind="linear-unused")


def test_typing_has_a_type_for_every_node():
    """`Typing.node` keys every subterm by identity, and keeps the checked definitions
    (so every node, and its id) alive as long as the Typing."""
    import gc
    prog = parse_program(G + "def f(x: real; a: real) -> (real; real) =\n"
                         "  let (; b, c) = dup(sin(x) *. a) in\n  let (y, z; d) = g(x; b) in\n"
                         "  let (;) = drop(z) in\n  let (w;) = y * 2.0 in\n"
                         "  let (; e) = c +. d in\n  (w; e)")
    typing = check_program(prog)
    nodes = [s for f in prog.funcs for s in S.subterms(f.body)]
    assert {id(s) for s in nodes} == set(typing.node) and len(nodes) == len(typing.node)
    assert typing.of(prog.get("f").body.bound) == ((), (S.REAL, S.REAL))
    del prog, nodes
    gc.collect()
    kept = [s for f in typing._keep for s in S.subterms(f.body)]
    assert {id(s) for s in kept} == set(typing.node)
