"""The generators of `checkers.strategies` keep their promises.

  well-typed   every draw of every family type-checks (100% of the profile's examples);
  shape        the last function has the signature its family promises;
  names        no variable is bound twice in a program;
  domains      generated programs evaluate at `args_for` points without DomainError;
  coverage     over ≥ 300 deterministic draws per family, every constructor the family
               promises occurs (every primitive of OPS, negative literals, shared
               variables, calls with several results, drops of linear and non-linear
               values, …).
"""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from calculus.linear_a import syntax as S
from calculus.linear_a.evaluate import run
from calculus.linear_a.typecheck import Typing, check_program
from calculus.primitives import OPS
from calculus.linear_a.syntax import subterms
from checkers.strategies import (ARG_BOUND, Generated, args_for, embed, linear_programs,
                                 mixed_programs, nonlinear_programs, values)

FAMILIES = {
    "nonlinear": nonlinear_programs(),
    "linear": linear_programs(),
    "mixed": mixed_programs(),
}
COVERAGE_DRAWS = 300

LINEAR_CLASSES = (S.LVar, S.LTup, S.LAdd, S.LScale, S.Zero, S.Dup, S.UnpackLtup)


def binders(f: S.FunDef) -> list[str]:
    names = [x for x, _ in f.nl_params + f.lin_params]
    for e in subterms(f.body):
        match e:
            case S.Let(xs, ys):
                names += xs + ys
            case S.UnpackTup(xs) | S.UnpackLtup(xs):
                names += xs
    return names


def nl_uses(e: S.Expr) -> list[str]:
    """The non-linear variables e itself (not its subterms) uses."""
    match e:
        case S.Var(x) | S.UnpackTup(_, x):
            return [x]
        case S.Tup(xs) | S.Ret(xs) | S.Call(_, xs):
            return list(xs)
    return []


def features(g: Generated, typing: Typing) -> set[str]:
    """The constructors and situations occurring in a generated program."""
    out: set[str] = set()
    uses: Counter[str] = Counter()
    for f in g.program.funcs:
        for e in subterms(f.body):
            out.add(type(e).__name__)
            uses.update(nl_uses(e))
            match e:
                case S.Prim(op):
                    out.add(f"op:{op.value}")
                case S.Lit(q) if q < 0:
                    out.add("lit:negative")
                case S.Zero(S.TupT()):
                    out.add("zero:tuple")
                case S.Let(xs, ys) if xs and ys:
                    out.add("let:mixed")
                case S.LScale(S.Prim()):
                    out.add("scale:by-expression")
                case S.Drop(arg):
                    nl, lin = typing.of(arg)
                    out |= {"drop:nonlinear"} if nl else set()
                    out |= {"drop:linear"} if lin else set()
                case S.Call(name):
                    callee = g.program.get(name)
                    if len(callee.nl_results) + len(callee.lin_results) >= 2:
                        out.add("call:several-results")
    if any(n >= 2 for n in uses.values()):
        out.add("var:shared")
    return out


REQUIRED = {
    "nonlinear": {"Ret", "Let", "UnpackTup", "Call", "Var", "Lit", "Tup", "Prim", "Drop",
                  "lit:negative", "var:shared", "call:several-results", "drop:nonlinear"}
    | {f"op:{op.value}" for op in OPS},
    "linear": {"LVar", "LTup", "LAdd", "LScale", "Zero", "Dup", "Drop", "UnpackLtup", "Call",
               "zero:tuple", "let:mixed", "drop:linear", "drop:nonlinear",
               "scale:by-expression"},
    "mixed": {c.__name__ for c in S.EXPR_CLASSES} | {f"op:{op.value}" for op in OPS},
}


def test_required_features_cover_every_constructor():
    assert set().union(*REQUIRED.values()) >= {c.__name__ for c in S.EXPR_CLASSES}


# --- well-typed, by construction --------------------------------------------------------


@given(nonlinear_programs())
def test_nonlinear_programs_typecheck_and_shape(g: Generated):
    check_program(g.program)
    f = g.fundef
    assert f is g.program.funcs[-1]
    assert 1 <= len(f.nl_params) <= 3 and 1 <= len(f.nl_results) <= 2
    for h in g.program.funcs:  # J's fragment: nothing linear anywhere
        assert not h.lin_params and not h.lin_results
        for e in subterms(h.body):
            assert not isinstance(e, LINEAR_CLASSES)
            assert not getattr(e, "lin", ()), e


@given(linear_programs())
def test_linear_programs_typecheck_and_shape(g: Generated):
    check_program(g.program)
    f = g.fundef
    assert f is g.program.funcs[-1]
    assert 1 <= len(f.nl_params) <= 3 and 1 <= len(f.lin_params) <= 2
    assert not f.nl_results and 1 <= len(f.lin_results) <= 2


@given(linear_programs(mixed_callees=False))
def test_linear_programs_with_linear_callees(g: Generated):
    check_program(g.program)
    assert all(not h.nl_results for h in g.program.funcs)


@given(mixed_programs())
def test_mixed_programs_typecheck_and_shape(g: Generated):
    check_program(g.program)
    f = g.fundef
    assert 1 <= len(f.nl_params) <= 2 and 1 <= len(f.lin_params) <= 2
    assert 1 <= len(f.nl_results) <= 2 and 1 <= len(f.lin_results) <= 2


@given(st.sampled_from(["nonlinear", "linear", "mixed"]).flatmap(
    lambda k: {"nonlinear": nonlinear_programs, "linear": linear_programs,
               "mixed": mixed_programs}[k](max_funcs=5, fuel=30)))
def test_more_fuel_still_typechecks(g: Generated):
    check_program(g.program)
    event(f"functions: {len(g.program.funcs)}")


@pytest.mark.parametrize("family", FAMILIES)
@given(data=st.data())
def test_names_are_fresh(family, data):
    g = data.draw(FAMILIES[family])
    names = [x for f in g.program.funcs for x in binders(f)]
    assert len(names) == len(set(names)), Counter(names).most_common(1)


# --- arguments and domains ---------------------------------------------------------------


def conforms(v, t: S.Type) -> bool:
    match t:
        case S.RealT():
            return isinstance(v, Fraction) and abs(v) <= ARG_BOUND
        case S.TupT(elems):
            return (isinstance(v, tuple) and len(v) == len(elems)
                    and all(conforms(c, s) for c, s in zip(v, elems)))


@pytest.mark.parametrize("family", FAMILIES)
@given(data=st.data())
def test_args_for_match_the_signature(family, data):
    g = data.draw(FAMILIES[family])
    nl, lin = data.draw(args_for(g.program, g.func, "exact"))
    f = g.fundef
    assert len(nl) == len(f.nl_params) and len(lin) == len(f.lin_params)
    assert all(conforms(v, t) for v, (_, t) in zip(nl + lin, f.nl_params + f.lin_params))


@given(values(S.TupT((S.REAL, S.TupT((S.REAL, S.REAL)))), "exact"))
def test_embed_is_the_same_number_in_every_mode(v):
    flat = [v[0], v[1][0], v[1][1]]
    for mode in ("float", "symbolic", "mpmath"):
        e = embed(v, mode)
        assert [float(e[0]), float(e[1][0]), float(e[1][1])] == [float(q) for q in flat]


def reals(v) -> list:
    return [x for c in v for x in reals(c)] if isinstance(v, tuple) else [v]


@pytest.mark.parametrize("family", FAMILIES)
@given(data=st.data())
def test_generated_programs_stay_in_the_domain(family, data):
    """The module's domain promise: no DomainError and finite results at args_for
    points (a DomainError here fails the test)."""
    g = data.draw(FAMILIES[family])
    nl, lin = data.draw(args_for(g.program, g.func, "float"))
    r = run(g.program, g.func, nl, lin)
    assert all(math.isfinite(x) for x in reals(r.nl + r.lin))


# --- coverage statistics --------------------------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES)
def test_every_promised_constructor_occurs(family):
    """Draw ≥ COVERAGE_DRAWS programs deterministically (the profile is derandomized):
    the inner property runs the profile's max_examples times, drawing enough programs
    per example, and records what occurs."""
    seen: Counter[str] = Counter()
    draws = [0]
    per_example = -(-COVERAGE_DRAWS // settings.default.max_examples)

    @given(st.data())
    def collect(data):
        for _ in range(per_example):
            g = data.draw(FAMILIES[family])
            seen.update(features(g, check_program(g.program)))
            draws[0] += 1

    collect()
    assert draws[0] >= COVERAGE_DRAWS
    missing = REQUIRED[family] - set(seen)
    assert not missing, f"never generated in {draws[0]} draws: {sorted(missing)}"
