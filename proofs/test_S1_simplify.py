"""S1 — the simplification rules keep typing and meaning and never add work.

For every rule r of `calculus.linear_a.simplify.RULES` (scale_by_one, mul_by_one, cse,
dce), for r alone and for all of them applied to a fixpoint, and every well-typed
program P in the rules' domain, with P' = simplify_program(P, rules=…):

    P' type-checks, every function g keeps its signature,
    ⟦P'⟧(g)(x̄; ȳ) = ⟦P⟧(g)(x̄; ȳ)          symbolically: x̄, ȳ fresh sympy symbols, the
                                          difference a sympy literal 0 (or z3 unsat),
                                          the domain conditions of both runs assumed,
    W_m(P', g) ≤ W_m(P, g)                 for both cost models m (static W),

checked by `checkers.simplification.simplify_theorem`, whole term (both sides evaluate
to nearly the same sympy DAG, so even the size-100 members are fast), on:
  - every corpus gradient T(U(J f)) (`corpus_programs(100)`, policies store and
    recompute), all rules together; each rule alone on the members with N ≤ 10
    (store);
  - hand-written programs in each rule's domain (the rule applies, and its side
    conditions are respected: shadowing, scopes, partial primitives);
  - fuzzed programs: `mixed_programs` directly, gradients of `nonlinear_programs`, and
    those gradients with every top-level primitive binding computed twice (cse must
    merge each pair) (project hypothesis profiles).
Each rule is broken once (cse ignoring its second argument, dce ignoring uses,
`2 *. e ↦ e`, `x * 2 ↦ x`) and S1 must then fail.  The fixpoint is reached in at most
three linear passes on chain_1000's gradient.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from calculus.cost_models import MODELS
from calculus.errors import CalculusError, DomainError, LinearityError
from calculus.linear_a import simplify
from calculus.linear_a.evaluate import run
from calculus.linear_a.grad import reverse
from calculus.linear_a.parse import parse_program
from calculus.linear_a.simplify import RULES, Report, simplify_program
from calculus.linear_a.syntax import (Drop, Expr, FunDef, Let, Lit, Prim, Program, Ret, UnpackTup,
                                      Var, subterms)
from calculus.linear_a.typecheck import check_program
from calculus.linear_a.work import work
from calculus.loader import corpus_programs, family_size
from checkers.corpus import corpus_program
from checkers.policies import POLICY_NAMES
from checkers.simplification import simplify_theorem
from checkers.strategies import Generated, mixed_programs, nonlinear_programs

CORPUS = [name for name, _ in corpus_programs(100)]
SMALL = [n for n in CORPUS if (family_size(n) or 0) <= 10]


def _gradient(name: str, policy: str) -> Program:
    return reverse(corpus_program(name), name, policy).program


# --- the rules' domains: one program per rule, where it applies ----------------------------

DOMAIN = {
    "scale_by_one": """
def f(x: real; y: real) -> (; real, real) =
  let (one;) = 1.0 in
  let (two;) = 2.0 in
  let (; y1, y2) = dup(y) in
  let (; z) = one *. y1 in
  let (; w) = 1.0 *. z in
  let (; u) = two *. y2 in
  let (;) = drop(x) in
  (; w, u)
""",
    "mul_by_one": """
def f(x: real) -> (real, real;) =
  let (one;) = 1.0 in
  let (one.1;) = (one;) in
  let (a;) = x * one.1 in
  let (b;) = 1.0 * a in
  let (c;) = sin(b * 1.0) in
  let (d;) = c * 2.0 in
  (c, d;)
""",
    "cse": """
def f(x: real, y: real) -> (real;) =
  let (a;) = x * y in
  let (x2;) = (x;) in
  let (b;) = x2 * y in
  let (c;) = x * x in
  let (d;) = sin(a) in
  let (e;) = sin(b) in
  let (g;) = d + e in
  let (h;) = g + c in
  (h;)
""",
    "dce": """
def f(x: real, y: real, p: (real, real)) -> (real;) =
  let (a;) = sin(x) in
  let (b;) = a * y in
  let (;) = drop(b) in
  let (;) = drop(exp(x) + y) in
  let tup(p0, p1) = p in
  let (;) = drop(p0) in
  let (;) = drop(p1) in
  let (c;) = cos(x) in
  (c;)
""",
}


@pytest.mark.parametrize("rule", RULES)
def test_rule_in_its_domain(rule: str) -> None:
    """The rule alone applies on its domain program, and S1 holds for it."""
    p = parse_program(DOMAIN[rule])
    report = Report()
    assert simplify_theorem(p, rules=[rule], report=report)
    assert report.applied[rule] >= 2, report


def test_all_rules_on_every_domain() -> None:
    for rule, text in DOMAIN.items():
        v = simplify_theorem(parse_program(text))
        assert v, f"{rule}: {v}"


def test_rules_reach_their_normal_forms() -> None:
    """What each domain program simplifies to: the work left (arithmetic model)."""
    left = {rule: work(simplify_program(parse_program(text))[0], "f", MODELS["arithmetic"])
            for rule, text in DOMAIN.items()}
    # scale: only 2 *. y2; mul: sin and c * 2; cse: x*y, x*x, one sin, two adds; dce: cos
    assert left == {"scale_by_one": 1, "mul_by_one": 2, "cse": 5, "dce": 1}


def test_cse_respects_shadowing() -> None:
    """`x * y` after x is rebound is not the first `x * y`: names are freshened first."""
    p = parse_program("""
def f(x: real, y: real) -> (real;) =
  let (a;) = x * y in
  let (x;) = sin(a) in
  let (b;) = x * y in
  (b;)
""")
    report = Report()
    assert simplify_theorem(p, report=report)
    assert report.applied["cse"] == 0


def test_cse_respects_scopes() -> None:
    """A binding inside a let's bound expression is out of scope after it."""
    p = parse_program("""
def f(x: real) -> (real;) =
  let (a;) = let (t;) = sin(x) in (t;) in
  let (b;) = sin(x) in
  let (c;) = a + b in
  (c;)
""")
    report = Report()
    assert simplify_theorem(p, report=report)
    assert report.applied["cse"] == 0


def test_dce_keeps_partial_primitives() -> None:
    """A dropped log(x) or 1/x stays (its domain condition x > 0, x ≠ 0 is kept), so
    the simplified program fails where the original does, with the same named error."""
    p = parse_program("""
def f(x: real) -> (real;) =
  let (a;) = log(x) in
  let (;) = drop(a) in
  let (;) = drop(1.0 / x) in
  let (b;) = x * x in
  (b;)
""")
    q, report = simplify_program(p)
    assert report.applied["dce"] == 0 and q == p
    for prog in (p, q):
        with pytest.raises(DomainError) as err:
            run(prog, "f", (-1.0,))
        assert err.value.rule == "log"


def test_errors_are_named() -> None:
    """Ill-typed input: the checker's error (rule, variable); unknown rule: `simplify`."""
    with pytest.raises(LinearityError) as err:
        simplify_program(parse_program("def f(x: real, y: real) -> (real;) =\n  (x;)\n"))
    assert (err.value.rule, err.value.var) == ("Def", "y")
    with pytest.raises(CalculusError) as err2:
        simplify_program(parse_program(DOMAIN["cse"]), rules=["inline"])
    assert err2.value.rule == "simplify"


# --- the corpus gradients ------------------------------------------------------------------


@pytest.mark.parametrize("policy", POLICY_NAMES)
@pytest.mark.parametrize("name", CORPUS)
def test_corpus_gradients(name: str, policy: str) -> None:
    v = simplify_theorem(_gradient(name, policy))
    assert v, f"{name} [{policy}]: {v}"


@pytest.mark.parametrize("rule", RULES)
def test_corpus_gradients_rule_by_rule(rule: str) -> None:
    for name in SMALL:
        v = simplify_theorem(_gradient(name, "store"), rules=[rule])
        assert v, f"{rule} on {name}: {v}"


def test_fixpoint_is_linear_on_chain_1000() -> None:
    """Every pass is one forward walk and one backward sweep; the fixpoint takes at
    most three of them on chain_1000's gradient (so no quadratic rescans)."""
    q, report = simplify_program(_gradient("chain_1000", "recompute"))
    check_program(q)
    assert max(report.passes.values()) <= 3, report.passes


# --- fuzzed programs -----------------------------------------------------------------------


@given(mixed_programs())
def test_fuzzed_programs(g: Generated) -> None:
    v = simplify_theorem(g.program)
    assert v, f"{v}\n{g}"


@given(nonlinear_programs())
def test_fuzzed_gradients(g: Generated) -> None:
    for policy in POLICY_NAMES:
        v = simplify_theorem(reverse(g.program, g.func, policy).program)
        assert v, f"[{policy}] {v}\n{g}"


def _with_copies(program: Program) -> tuple[Program, int]:
    """program with a copy `let (z.copy;) = e in let (;) = drop(z.copy) in` placed
    before every top-level `let (z;) = e` of a primitive e on variables and literals
    (its drop after z's binding, so cse must turn z into a renaming of z.copy); and the
    number of copies."""
    copies = 0

    def body(e: Expr) -> Expr:
        nonlocal copies
        binders, tail = [], e
        while isinstance(tail, Let | UnpackTup):
            if isinstance(tail, Let) and len(tail.nl) == 1 and not tail.lin \
                    and type(tail.bound) is Prim and all(type(a) in (Var, Lit, Ret)
                                                         for a in tail.bound.args):
                z = tail.nl[0]
                binders += [(f"{z}.copy", tail.bound), (z, tail.bound), ("", Drop(Var(f"{z}.copy")))]
                copies += 1
            else:
                binders.append(tail)
            tail = tail.body
        for b in reversed(binders):
            if isinstance(b, tuple):
                name, bound = b
                tail = Let((name,) if name else (), (), bound, tail)
            elif isinstance(b, Let):
                tail = Let(b.nl, b.lin, b.bound, tail, b.pos)
            else:
                tail = UnpackTup(b.names, b.tup, tail, b.pos)
        return tail

    funcs = tuple(FunDef(f.name, f.nl_params, f.lin_params, f.nl_results, f.lin_results,
                         body(f.body), f.pos) for f in program.funcs)
    return Program(funcs), copies


@given(nonlinear_programs())
def test_fuzzed_programs_with_copies(g: Generated) -> None:
    """Every top-level primitive binding of the gradient (store) computed twice: cse
    merges each pair."""
    p, copies = _with_copies(reverse(g.program, g.func).program)
    check_program(p)
    report = Report()
    v = simplify_theorem(p, report=report)
    assert v, f"{v}\n{p}"
    assert report.applied["cse"] >= copies, (report, str(p))


# --- broken rules: S1 must fail ------------------------------------------------------------


def _cse_first_argument_only(z, e, ctx):
    """cse whose key ignores every argument but the first (x * y ≡ x * x)."""
    if type(e) is not Prim:
        return None
    key = (e.op, ctx.canon(e.args[0]))
    if (hit := ctx.available.get(key)) is not None:
        return simplify.Ret((hit,), (), e.pos)
    ctx.remember(key, z)
    return None


BROKEN = {
    "cse": _cse_first_argument_only,
    "dce": lambda b, uses: simplify.dce(b, type(uses)()),  # every binding counts as unused
    "scale_by_one": lambda e, ctx: e.vec if ctx.literal(e.scalar) in (1, 2) else None,
    "mul_by_one": lambda e, ctx: (e.args[0] if e.op is simplify.Op.MUL
                                  and ctx.literal(e.args[1]) in (1, 2) else None),
}


@pytest.mark.parametrize("rule", RULES)
def test_broken_rule_fails_s1(rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(RULES, rule, BROKEN[rule])
    v = simplify_theorem(parse_program(DOMAIN[rule]), rules=[rule])
    assert not v
    assert v.method == ("typing" if rule == "dce" else "refuted"), v


def test_broken_cse_fails_on_a_corpus_gradient(monkeypatch: pytest.MonkeyPatch) -> None:
    """The broken cse takes hypot's partial 2·y for 2·x (the same literal first)."""
    monkeypatch.setitem(RULES, "cse", BROKEN["cse"])
    v = simplify_theorem(_gradient("hypot", "store"))
    assert not v and v.method == "refuted", v


def test_simplified_gradient_has_fewer_primitives_on_sincos() -> None:
    """cos(x) computed by the primal and again as sin's partial is computed once."""
    p = _gradient("sincos", "store")
    q, _ = simplify_program(p)
    count = lambda prog, fn: sum(type(s) is Prim for s in subterms(prog.get(fn).body))  # noqa: E731
    assert count(q, "sincos.jvp.nonlin") < count(p, "sincos.jvp.nonlin")
