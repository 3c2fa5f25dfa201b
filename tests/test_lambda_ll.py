"""Unit tests for λLL: parser/printer, type checker (accepted and rejected terms with
their rule), evaluator (values, workload, steps, instrumented mode), Curry–Howard and
the CLI."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest
import sympy
from hypothesis import given

from calculus.deep import deep
from calculus.errors import LinearityError, ParseError, ScopeError, TypeCheckError
from calculus.lambda_ll.curry_howard import derive, extract, proof_latex, proof_text
from calculus.lambda_ll.evaluate import VReal, evaluate, to_python, value_type
from calculus.lambda_ll.parse import parse_program, parse_term, parse_type
from calculus.lambda_ll.syntax import (REAL, Lit, Tensor, is_data, latex, pretty,
                                       pretty_type, show_real)
from calculus.lambda_ll.typecheck import check_program, infer
from checkers.ll_strategies import closed_terms, inhabitant, ll_types
from checkers.proof_checker import ProofError, check_proof
from checkers.symbolic import prove_equal

ACCEPTED = {
    "fun (x : real) -> x": "real -o real",
    "fun (x : real) -> let (a, b) = dup x in plus a b": "real -o real",
    "fun (x : real) -> let () = drop x in zero": "real -o real",
    "fun (b : !real) -> let !u = b in mul !u !u": "!real -o real",
    "fun (b : !real) -> fun (y : real) -> let !u = b in scale !u y": "!real -o real -o real",
    "fun (b : !real) -> let !u = b in !!u": "!real -o !!real",
    "fun (p : real * 1) -> let (x, o) = p in let () = o in x": "real * 1 -o real",
    "fun (f : !(real -o real)) -> let !g = f in fun (x : real) -> g (g x)":
        "!(real -o real) -o real -o real",
    "let !u = !(sin !1.0) in fun (x : real) -> scale !u x": "real -o real",
    "plus[real * 1] (1.0, ()) zero[real * 1]": "real * 1",
    # shadowing: the inner linear x hides the consumed outer one
    "fun (x : real) -> let (a, x) = dup x in plus a x": "real -o real",
}

# (term, error class, rule, kind or None, variable or None)
REJECTED = [
    ("fun (x : real) -> plus x x", LinearityError, "⊸E", "linear-used-twice", "x"),
    ("fun (x : real) -> zero", LinearityError, "⊸I", "linear-unused", "x"),
    ("fun (x : real) -> !x", LinearityError, "!I", "linear-in-nonlinear", "x"),
    ("fun (b : !real) -> mul b b", LinearityError, "⊸E", "linear-used-twice", "b"),
    ("fun (x : real) -> (x, x)", LinearityError, "⊗I", "linear-used-twice", "x"),
    ("fun (p : real * real) -> let (a, b) = p in a", LinearityError, "⊗E",
     "linear-unused", "b"),
    ("fun (y : real) -> let () = drop y in let (a, b) = dup y in plus a b", LinearityError,
     "1E", "linear-used-twice", "y"),
    ("fun (y : real) -> let !u = !(plus y 1.0) in u", LinearityError, "!I",
     "linear-in-nonlinear", "y"),
    ("sin 3.0", TypeCheckError, "⊸E", None, None),
    ("1.0 2.0", TypeCheckError, "⊸E", None, None),
    ("let () = 1.0 in ()", TypeCheckError, "1E", None, None),
    ("let (a, b) = 1.0 in a", TypeCheckError, "⊗E", None, None),
    ("let (a, a) = (1.0, 2.0) in a", TypeCheckError, "⊗E", None, None),
    ("let !u = 1.0 in u", TypeCheckError, "!E", None, None),
    ("zero[!real]", TypeCheckError, "Const", None, None),
    ("plus[real -o real]", TypeCheckError, "Const", None, None),
    ("fun (x : real) -> y", ScopeError, "Ax", None, None),
]


@pytest.mark.parametrize("source", ACCEPTED)
def test_accepted(source):
    assert infer(parse_term(source)) == parse_type(ACCEPTED[source])


@pytest.mark.parametrize("source,cls,rule,kind,var", REJECTED)
def test_rejected(source, cls, rule, kind, var):
    with pytest.raises(cls) as info:
        infer(parse_term(source))
    assert type(info.value) is cls
    assert info.value.rule == rule
    if kind is not None:
        assert info.value.kind == kind
    if var is not None:
        assert info.value.var == var


def test_error_positions():
    with pytest.raises(LinearityError) as info:
        infer(parse_term("fun (x : real) ->\n  plus x x"))
    assert (info.value.pos.line, info.value.pos.col) == (2, 10)  # the second use
    with pytest.raises(LinearityError) as info:
        infer(parse_term("fun (x : real) -> !x"))
    assert (info.value.pos.line, info.value.pos.col) == (1, 19)  # the promotion


def test_open_terms_and_contexts():
    assert infer(parse_term("plus x (scale !u y)"), {"u": REAL}, {"x": REAL, "y": REAL}) \
        == REAL
    with pytest.raises(LinearityError) as info:
        infer(parse_term("x"), {}, {"x": REAL, "y": REAL})
    assert info.value.kind == "linear-unused" and info.value.var == "y"


# --- parsing and printing -------------------------------------------------------------------


def test_type_precedence():
    assert parse_type("!real * real -o real -o 1") == parse_type(
        "((!real) * real) -o (real -o 1)")
    assert parse_type("real * real * 1") == Tensor(REAL, Tensor(REAL, parse_type("1")))
    assert pretty_type(parse_type("(real -o real) -o !(real * 1)")) == \
        "(real -o real) -o !(real * 1)"


def test_application_is_left_associative_and_bang_tight():
    t = parse_term("mul !u !u")
    assert pretty(t) == "mul !u !u"
    assert t.fn.fn.name == "mul" and t.fn.arg == t.arg


def test_literals_are_exact():
    assert parse_term("-0.1") == Lit(Fraction(-1, 10))
    assert parse_term("1/3") == Lit(Fraction(1, 3))
    assert [show_real(Fraction(q)) for q in ("3", "-1/4", "1/3", "1/10")] == \
        ["3.0", "-0.25", "1/3", "0.1"]


@pytest.mark.parametrize("source,line,col", [("fun (x real) -> x", 1, 8),
                                             ("let (x, y) = \n  in x", 2, 3),
                                             ("fun (sin : real) -> sin", 1, 6),
                                             ("x[real]", 1, 1), ("(1.0, ", 1, 7)])
def test_parse_errors(source, line, col):
    with pytest.raises(ParseError) as info:
        parse_term(source)
    assert info.value.pos is not None
    assert (info.value.pos.line, info.value.pos.col) == (line, col) or source == "(1.0, "


def test_program_errors():
    with pytest.raises(ScopeError) as info:
        check_program(parse_program("def a : 1 = ()\ndef a : 1 = ()"))
    assert info.value.rule == "def"
    with pytest.raises(TypeCheckError) as info:
        check_program(parse_program("def a : real = ()"))
    assert info.value.rule == "def" and info.value.expected == "real"


@given(closed_terms(fuel=4))
def test_print_parse_round_trip(term_and_type):
    term, ty = term_and_type
    assert parse_term(pretty(term)) == term
    assert parse_type(pretty_type(ty)) == ty


def test_latex():
    t = parse_term("fun (b : !real) -> let !u = b in mul !u !u")
    assert latex(t) == (r"\lambda \mathit{b}{:}{!}\mathbf{real}.\, \mathsf{let}\ {!}\mathit{u} = "
                        r"\mathit{b}\ \mathsf{in}\ \mathsf{mul}\ {!}\mathit{u}\ {!}\mathit{u}")


def test_latex_escapes_names():
    """Generated names (`_t'1`) print as identifiers, not as LaTeX subscripts."""
    assert latex(parse_term("fun (_t'1 : real) -> _t'1")) == \
        r"\lambda \mathit{\_t'1}{:}\mathbf{real}.\, \mathit{\_t'1}"


def _chain(n: int) -> str:
    return "fun (b : !real) -> let !x0 = b in " + "".join(
        f"let !x{i} = !(sin !x{i - 1}) in " for i in range(1, n)) + f"x{n - 1}"


def test_deep_nesting():
    """Thousands of nested lets: no RecursionError in any pass."""
    n = 3000
    t = parse_term(_chain(n))
    assert infer(t) == parse_type("!real -o real")
    assert deep(lambda: parse_term(pretty(t)) == t)()
    r = evaluate(parse_term(f"({_chain(n)}) !1.0"))
    assert r.workload() == n - 1 and r.lets == n and r.beta == 1


def test_deep_proof():
    """Proofs carry explicit contexts (size O(|t|·|Γ|)), so a smaller chain — still
    deeper than Python's default recursion limit allows."""
    t = parse_term(_chain(600))
    p = derive(t)
    assert check_proof(p) > 600 * 5 and deep(lambda: extract(p) == t)()


# --- evaluation -------------------------------------------------------------------------


def test_square():
    r = evaluate(parse_term("(fun (b : !real) -> let !u = b in mul !u !u) !3.0"))
    assert r.value == VReal(9.0)
    assert r.workload("arithmetic") == 1 and r.workload("symmetric") == 1
    assert (r.beta, r.lets) == (1, 1)


@pytest.mark.parametrize("source,arith,sym", [
    ("dup[real * real] (1.0, 2.0)", 0, 2),
    ("drop[real * (1 * real)] (1.0, ((), 2.0))", 0, 2),
    ("zero[real * real]", 0, 2),
    ("plus[real * real] (1.0, 2.0) (3.0, 4.0)", 2, 2),
    ("scale[real * 1] !2.0 (1.0, ())", 1, 1),
    ("div !(exp !1.0) !(log !2.0)", 3, 3),
])
def test_workload(source, arith, sym):
    r = evaluate(parse_term(source))
    assert (r.workload("arithmetic"), r.workload("symmetric")) == (arith, sym)


def test_bang_evaluates_once():
    r = evaluate(parse_term("let !u = !(sin !1.0) in mul !u !(mul !u !u)"))
    assert r.workload() == 3  # one sin, two muls: the promoted sin is shared


def test_partial_application_and_closures():
    r = evaluate(parse_term("(fun (x : real) -> plus x) 1.0"))
    assert value_type(r.value) == parse_type("real -o real")
    assert evaluate(parse_term("mul !2.0")).value.args != ()


@pytest.mark.parametrize("source,kind", [
    ("(fun (x : real) -> plus x x) 1.0", "linear-used-twice"),
    ("(fun (x : real) -> zero) 1.0", "linear-unused"),
    ("(fun (x : real) -> let !u = !x in u) 1.0", "linear-in-nonlinear"),
])
def test_instrumented_finds_violations(source, kind):
    t = parse_term(source)
    evaluate(t)  # the plain evaluator does not notice
    with pytest.raises(LinearityError) as info:
        evaluate(t, instrumented=True)
    assert info.value.kind == kind and info.value.var == "x"


def test_box_contents_are_shared_with_the_box():
    """Linear values captured by a promoted closure go with the box: discarded when u is
    unused, consumed twice when u is used twice."""
    box = "!(let (a, b) = (1.0, 2.0) in fun (x : real) -> plus x (plus a b))"
    for body, expected in (("()", ()), ("plus (u 1.0) (u 2.0)", 9.0)):
        t = parse_term(f"let !u = {box} in {body}")
        infer(t)
        assert to_python(evaluate(t, instrumented=True).value) == expected
    with pytest.raises(LinearityError) as info:  # not captured, not consumed: an error
        evaluate(parse_term("!(let (a, b) = (1.0, 2.0) in a)"), instrumented=True)
    assert info.value.kind == "linear-unused" and info.value.var == "b"


def test_instrumented_result_may_own_linear_values():
    r = evaluate(parse_term("(fun (x : real) -> fun (y : real) -> plus x y) 1.0"),
                 instrumented=True)
    assert value_type(r.value) == parse_type("real -o real")


@given(closed_terms(fuel=4, bang_functions=False))
def test_float_and_symbolic_agree(term_and_type):
    term, ty = term_and_type
    from calculus.errors import DomainError
    try:
        f = evaluate(term, mode="float")
    except DomainError:
        return  # float overflow (exp): documented, the symbolic value is exact
    s = evaluate(term, mode="symbolic")
    assert (f.counts, f.steps) == (s.counts, s.steps)
    if is_data(ty):
        for a, b in zip(_leaves(to_python(f.value)), _leaves(to_python(s.value))):
            assert math.isclose(a, float(sympy.N(b, 30)), rel_tol=1e-9, abs_tol=1e-12)


def _leaves(v):
    return [x for c in v for x in _leaves(c)] if isinstance(v, tuple) else [v]


def test_affine_not_linear_counterexample():
    """(y, 0.25) is well typed with y linear but affine, not linear, in y: SPEC's L3 as
    stated fails for literals in linear positions (see proofs/test_L3)."""
    t = parse_term("(y, 0.25)")
    assert infer(t, {}, {"y": REAL}) == Tensor(REAL, REAL)
    u, v, a, b = sympy.symbols("u v a b")
    ev = lambda y: to_python(evaluate(t, {}, {"y": VReal(y)}, "symbolic").value)
    mix, tu, tv, t0 = ev(a * u + b * v), ev(u), ev(v), ev(sympy.Integer(0))
    linear = tuple(a * p + b * q for p, q in zip(tu, tv))
    assert not prove_equal(mix, linear)
    assert prove_equal(mix, tuple(l + (1 - a - b) * z for l, z in zip(linear, t0)))


# --- Curry–Howard ----------------------------------------------------------------------


def test_proof_round_trip_and_printing():
    t = parse_term("fun (b : !real) -> fun (y : real) -> let !u = b in scale !u y")
    p = derive(t)
    assert check_proof(p) == 10 and extract(p) == t
    text = proof_text(p)
    assert text.splitlines()[0].startswith("⊸I(b)") and "IAx(u)" in text
    tex = proof_latex(p)
    assert tex.count(r"\AxiomC{}") == 4 and tex.count(r"\BinaryInfC") == 3


def test_proof_checker_rejects_tampering():
    p = derive(parse_term("fun (x : real) -> let (a, b) = dup x in plus a b"))
    bad = type(p)(p.rule, type(p.sequent)(p.sequent.gamma, (("z", REAL),), p.sequent.concl),
                  p.premises, p.label)
    with pytest.raises(ProofError):
        check_proof(bad)


@pytest.mark.parametrize("ty", [parse_type(s) for s in
                                ("real", "!(real -o 1) * real", "(real -o real) -o !real")])
def test_inhabitants(ty):
    assert infer(inhabitant(ty)) == ty


@given(ll_types(3))
def test_every_type_is_inhabited(ty):
    assert infer(inhabitant(ty)) == ty


# --- CLI ------------------------------------------------------------------------------------


def test_cli(llad):
    code, out, _ = llad("ll", "check", "examples/ll_basics.ll")
    assert code == 0 and "square : !real -o real" in out
    code, out, _ = llad("ll", "eval", "examples/ll_basics.ll", "square", "--arg", "!3.0", "--json")
    data = json.loads(out)
    assert code == 0 and data["value"] == 9.0
    assert data["workload"] == {"arithmetic": 1, "symmetric": 1}
    assert data["steps"] == {"beta": 1, "let": 1, "total": 2}
    code, out, _ = llad("ll", "eval", "examples/ll_ad.ll", "grad_g", "--symbolic")
    assert code == 0 and "(2 + E, 1)" in out
    code, out, _ = llad("ll", "proof", "examples/ll_basics.ll", "double", "--latex")
    assert code == 0 and out.startswith(r"\begin{prooftree}")
    code, out, err = llad("ll", "eval", "examples/ll_basics.ll", "square", "--arg", "3.0")
    assert code == 1 and out == "" and err.startswith("llad: error:") and "\n" == err[-1:]
    code, _, err = llad("ll", "eval", "examples/ll_basics.ll", "nope")
    assert code == 2 and "no definition `nope`" in err


def test_env_lookup_finds_the_newest_binding_at_every_depth():
    """The skip index of `Env` (one per SKIP bindings) answers like a plain walk: the
    newest binding of a name, shadowed names included, across index boundaries."""
    from calculus.lambda_ll.evaluate import SKIP, Env, VUnit, lookup

    def walk(env, name):
        while env is not None and env.name != name:
            env = env.rest
        return env
    env, names = None, [f"x{i % 7}" if i % 3 else f"y{i}" for i in range(5 * SKIP + 3)]
    for depth, name in enumerate(names, start=1):
        env = Env(name, VUnit(), False, env)
        assert env.depth == depth and (env.index is not None) == (depth % SKIP == 0)
        for probe in {*names[:depth], "absent", "y0"}:
            assert lookup(env, probe) is walk(env, probe), (depth, probe)
