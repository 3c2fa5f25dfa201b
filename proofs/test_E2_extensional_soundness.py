"""E2 — extensional soundness of ⟦·⟧: for all inputs, f(v̄ ; w̄) ⇓ (r̄ ; s̄) in Linear A
implies ⟦f⟧ !⟦v̄⟧° ⟦w̄⟧• ⇓ ⟦(r̄ ; s̄)⟧°• in λLL, proved symbolically.

For every function f(x̄:τ̄ ; ȳ:σ̄) -> (τ̄' ; σ̄') of a well-typed Linear A program and all
inputs v̄ : τ̄, w̄ : σ̄ inside the primitives' domains, the λLL value of ⟦f⟧ applied to the
encoded inputs is the encoding of f's Linear A value (`encoding.enc_result_value`);
outside a domain both sides fail with DomainError.

"For all inputs" is checked symbolically: the inputs are sympy symbols shaped like the
parameter types (`calculus.values.symbol_like`); both sides are evaluated in symbolic mode;
both values are flattened along (τ̄';σ̄')°• into tuples of reals (`flatten`, which checks
that each value tree has the shape of the type: VPair for ⊗, VBang for !, VUnit for 1,
VReal for real); and every component is proved equal by
`checkers.symbolic.prove_equal` (a sound sympy zero test or z3, under the domain side
conditions) — never by evaluation at points.  The λLL side runs instrumented, so each
linear value is also consumed exactly once at run time.

Checked whole-term on every corpus program with N ≤ 100 and on every function that
T∘U∘J adds to the hand-written examples and the families up to N = 10 (both checkpoint
policies), and fuzzed on the programs of `checkers.strategies` (non-linear, linear,
mixed).  Extra check, not the proof: the N = 1000 family members in float mode at a
fixed point, where the floats must agree exactly (both sides do the same operations in
the same order).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, assert_never

import pytest
from hypothesis import given

from calculus.values import symbol_like
from calculus.deep import deep
from calculus.encoding import enc_result, enc_result_value, encode_program, run_encoded
from calculus.errors import DomainError
from calculus.lambda_ll import syntax as ll
from calculus.lambda_ll.evaluate import VBang, VPair, VReal, VUnit
from calculus.linear_a import syntax as la
from calculus.linear_a.evaluate import run
from calculus.linear_a.parse import parse_program
from checkers.strategies import linear_programs, mixed_programs, nonlinear_programs
from checkers.ll_values import ShapeError, flatten
from checkers.symbolic import Verdict, prove_equal
from test_E1_encoding_typing import case_ids, corpus_cases

# --- flattening values along types -------------------------------------------------------


def flatten_la(v: Any, t: la.Type) -> tuple:
    """The reals of a Linear A value v : t, left to right."""
    match t:
        case la.RealT():
            return (v,)
        case la.TupT(elems):
            if not isinstance(v, tuple) or len(v) != len(elems):
                raise ShapeError(f"{v} is not a value of type {t}")
            return tuple(x for c, s in zip(v, elems) for x in flatten_la(c, s))
        case _:
            assert_never(t)


# --- the check ----------------------------------------------------------------------------


def symbolic_args(f: la.FunDef) -> tuple[tuple, tuple]:
    """Symbols shaped like f's parameters (non-linear ones, linear ones)."""
    return (tuple(symbol_like(t, x) for x, t in f.nl_params),
            tuple(symbol_like(t, y) for y, t in f.lin_params))


def point(f: la.FunDef) -> tuple[tuple, tuple]:
    """A fixed in-domain float point: the reals 0.5, 0.75, 1.0, … in parameter order."""
    reals = iter(float(Fraction(k + 2, 4)) for k in range(10**6))

    def shaped(t: la.Type) -> Any:
        return next(reals) if isinstance(t, la.RealT) else tuple(shaped(s) for s in t.elems)
    return (tuple(shaped(t) for _, t in f.nl_params), tuple(shaped(t) for _, t in f.lin_params))


@deep
def soundness_verdict(program: la.Program, func: str, mode: str = "symbolic",
                      args: tuple[tuple, tuple] | None = None) -> Verdict:
    """E2 for one function: proved (symbolic mode) or exactly equal (float mode) at the
    arguments (default: symbols shaped like the parameters)."""
    f = program.get(func)
    nl, lin = args if args is not None else symbolic_args(f)
    enc, names = encode_program(program)
    try:
        la_run = run(program, func, nl, lin, mode=mode)
    except DomainError as exc:
        try:
            run_encoded(enc, names[func], f, nl, lin, mode=mode)
        except DomainError as ll_exc:
            ok = ll_exc.rule == exc.rule
            return Verdict(ok, "both outside the domain", f"{exc.rule} vs {ll_exc.rule}")
        return Verdict(False, "domain", f"Linear A fails ({exc}), ⟦{func}⟧ does not")
    got = run_encoded(enc, names[func], f, nl, lin, mode=mode, instrumented=True)
    ty = enc_result(f.nl_results, f.lin_results)
    expected = enc_result_value(la_run.nl, la_run.lin, f.nl_results, f.lin_results)
    try:
        got_flat, want_flat = flatten(got.value, ty), flatten(expected, ty)
        la_flat = tuple(x for v, t in zip(la_run.nl + la_run.lin, f.nl_results + f.lin_results)
                        for x in flatten_la(v, t))
    except ShapeError as exc:
        return Verdict(False, "shape", str(exc))
    if want_flat != la_flat:  # the value encoding keeps the reals and their order
        return Verdict(False, "value encoding", f"{want_flat} vs {la_flat}")
    if mode == "float":
        return Verdict(got_flat == want_flat, "float equality", f"{got_flat} vs {want_flat}")
    return prove_equal(got_flat, want_flat, la_run.conditions)


# --- corpus ---------------------------------------------------------------------------------


def _symbolic_cases():
    return corpus_cases(100)


def _float_cases():
    return tuple(c for c in corpus_cases(1000) if c.n is not None and c.n > 100)


@pytest.mark.parametrize("case", _symbolic_cases(), ids=case_ids(_symbolic_cases()))
def test_corpus_symbolic(case):
    for func in case.funcs:
        v = soundness_verdict(case.program, func)
        assert v, f"{func}: {v}"


@pytest.mark.parametrize("case", _float_cases(), ids=case_ids(_float_cases()))
def test_corpus_float_large(case):
    for func in case.funcs:
        f = case.program.get(func)
        v = soundness_verdict(case.program, func, "float", point(f))
        assert v, f"{func}: {v}"


def test_corpus_is_not_vacuous():
    assert len(_symbolic_cases()) >= 40 and len(_float_cases()) >= 3
    linear = [f for c in _symbolic_cases() for f in c.funcs if c.program.get(f).lin_params]
    assert len(linear) >= 40  # the transposed and linear halves take linear inputs


def test_flatten_checks_shapes():
    """The shape check can fail: a value of the wrong tree is rejected."""
    r = VReal(1)
    assert flatten(VPair(VBang(r), r), ll.Tensor(ll.BANG_REAL, ll.REAL)) == (1, 1)
    for v, ty in [(r, ll.BANG_REAL), (VBang(r), ll.REAL), (VUnit(), ll.REAL),
                  (VPair(r, r), ll.Tensor(ll.REAL, ll.ONE))]:
        with pytest.raises(ShapeError):
            flatten(v, ty)


# --- fuzzed ---------------------------------------------------------------------------------


# found by fault injection (llad mutants): no corpus program scales (divides) a tuple
REGRESSIONS = ["def f(x: real; a: (real, real)) -> (; (real, real)) = x *. a",
               "def f(x: real; a: (real, real)) -> (; (real, real)) = a /. exp(x)"]


@pytest.mark.parametrize("source", REGRESSIONS)
def test_regression(source):
    v = soundness_verdict(parse_program(source), "f")
    assert v, str(v)


@given(nonlinear_programs())
def test_fuzzed_nonlinear(g):
    v = soundness_verdict(g.program, g.func)
    assert v, f"{v}\n{g}"


@given(linear_programs())
def test_fuzzed_linear(g):
    v = soundness_verdict(g.program, g.func)
    assert v, f"{v}\n{g}"


@given(mixed_programs())
def test_fuzzed_mixed(g):
    v = soundness_verdict(g.program, g.func)
    assert v, f"{v}\n{g}"
