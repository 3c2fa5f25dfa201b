"""E4 — forward mode commutes with the encoding: ⟦J e⟧ ≃ F⟦e⟧ (same values, same work).

For a non-linear Linear A function f(x̄:τ̄ ;) -> (τ̄' ;), with R = (τ̄' ;)°• the encoded
result type and A' = `forward.tangent(A)`:

  (a) typing   F⟦p⟧ type-checks in λLL and
                   f'F : !τ1° ⊸ … ⊸ !τn° ⊸ (!τ1°)' ⊸ … ⊸ (!τn°)' ⊸ R ⊗ R',
               and the tangent of an encoded non-linear type is its linear encoding,
               (!τ°)' = τ•, so both sides take the same inputs;
  (b) values   for symbolic primal inputs x̄ and tangents ẋ̄ (sympy symbols shaped like
               τ̄), ⟦f.jvp⟧ (x̄ ; ẋ̄) = relayout(f'F x̄ ẋ̄): ⟦f.jvp⟧ returns the flat tensor
               !τ̄'° ⊗ τ̄'• and f'F the pair (R, R'); `relayout` moves R's components
               then R''s into one right-nested tensor.  The two values have the same
               skeleton (pairs, bangs, units) and their reals are proved equal
               componentwise by `checkers.symbolic.prove_equal` under the union of the
               domain side conditions of both runs;
  (c) work     workload(⟦f.jvp⟧ x̄ ẋ̄) = workload(f'F x̄ ẋ̄) under every cost model of
               `calculus.cost_models.MODELS`.  Structural steps of both are reported (they
               differ: F pairs and unpairs where J returns lists), not compared.

Checked whole-term on every corpus program with N ≤ 100 (`corpus_programs(100)`) and on
fuzzed `nonlinear_programs()`.  On the N = 1000 members of chain/horner/sumprod, (a)
and (c) are checked exactly but (b) in **float** mode at a fixed point (relative
tolerance 1e-9: can refute, proves nothing) — the symbolic check took 6 s (horner_1000),
42 s (sumprod_1000) and 305 s (chain_1000), over this module's budget.  f'F is run
instrumented (every linear value consumed exactly once, L2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, assert_never

import pytest
from hypothesis import given

from calculus.values import symbol_like
from calculus.cost_models import MODELS
from calculus.deep import deep
from calculus.encoding import enc_lin, enc_nl, enc_result, encode_program, run_encoded, tensor_value
from calculus.errors import CalculusError
from calculus.grad_ll import untensor
from calculus.lambda_ll.evaluate import Result, Value, VBang, VClosure, VConst, VPair, VReal, VUnit
from calculus.lambda_ll.forward import f_name, forward_program, tangent
from calculus.lambda_ll.syntax import ONE, Bang, Program as LLProgram, Tensor, Type, arrows
from calculus.lambda_ll.typecheck import check_program as ll_check_program
from calculus.linear_a import syntax as la
from calculus.linear_a.jvp import jvp_name, jvp_program
from calculus.linear_a.parse import parse_program
from calculus.loader import EXAMPLES, corpus_programs, load_program
from checkers.strategies import Generated, nonlinear_programs
from checkers.ll_values import application, evaluate_in, primal_args, tangent_args
from checkers.symbolic import Verdict, prove_equal

Forward = Callable[[LLProgram], LLProgram]  # the F under test (broken variants substitute)
FLOAT_RTOL = 1e-9  # float mode: relative (and absolute) tolerance of a value comparison
LARGE = ("chain_1000", "horner_1000", "sumprod_1000")


# --- λLL values: skeleton and reals ----------------------------------------------------------


def relayout(v: Value, n: int) -> Value:
    """F's (R, R') ↦ ⟦f.jvp⟧'s flat tensor !τ1'° ⊗ … ⊗ !τn'° ⊗ τ1'• ⊗ … ⊗ τn'•: the n
    components of R, then the n components of R' (R' = (!τ̄'°)' has the layout of τ̄'•)."""
    if not isinstance(v, VPair):
        raise ValueError("F's result is not a pair (R, R')")
    return tensor_value(untensor(v.left, n) + untensor(v.right, n))


def split(v: Value) -> tuple[Any, tuple]:
    """(skeleton, reals): the value with every real replaced by `#`, and its reals in
    left-to-right order.  Two values agree iff their skeletons are equal and their
    reals are equal componentwise."""
    reals: list = []

    def go(v: Value) -> Any:
        match v:
            case VReal(x):
                reals.append(x)
                return "#"
            case VUnit():
                return "()"
            case VPair(a, b):
                return ("⊗", go(a), go(b))
            case VBang(a):
                return ("!", go(a))
            case VClosure() | VConst():
                raise ValueError("a function value where data was expected")
            case _:
                assert_never(v)
    return go(v), tuple(reals)


# --- inputs and runs -------------------------------------------------------------------------


def symbolic_inputs(f: la.FunDef) -> tuple[tuple, tuple]:
    """Symbols x0, x1, … shaped like f's parameters, and their tangents dx0, dx1, …"""
    xs = tuple(symbol_like(t, f"x{i}") for i, (_, t) in enumerate(f.nl_params))
    dxs = tuple(symbol_like(t, f"dx{i}") for i, (_, t) in enumerate(f.nl_params))
    return xs, dxs


def float_inputs(f: la.FunDef) -> tuple[tuple, tuple]:
    """A fixed point for float checks, 0.5 + i/8 for the i-th real component, and the
    tangent 1 on every component."""
    count = iter(range(10**9))

    def fill(t: la.Type, value) -> Any:
        if isinstance(t, la.RealT):
            return value()
        return tuple(fill(s, value) for s in t.elems)
    xs = tuple(fill(t, lambda: 0.5 + next(count) / 8) for _, t in f.nl_params)
    return xs, tuple(fill(t, lambda: 1.0) for _, t in f.nl_params)


def inputs(f: la.FunDef, mode: str) -> tuple[tuple, tuple]:
    return symbolic_inputs(f) if mode == "symbolic" else float_inputs(f)


def compare(lhs: tuple, rhs: tuple, conditions: list, mode: str) -> Verdict:
    """Symbolic: a proof by `prove_equal`.  Float: agreement of flat tuples of floats to
    FLOAT_RTOL, a check that can refute but proves nothing."""
    if mode == "symbolic":
        return prove_equal(lhs, rhs, conditions)
    if len(lhs) != len(rhs):
        return Verdict(False, "shape", f"{len(lhs)} vs {len(rhs)} components")
    for i, (a, b) in enumerate(zip(lhs, rhs)):
        if not math.isclose(a, b, rel_tol=FLOAT_RTOL, abs_tol=FLOAT_RTOL):
            return Verdict(False, "float", f"component {i}: {a} vs {b}")
    return Verdict(True, f"float agreement to {FLOAT_RTOL} (not a proof)")


def encoded_params(f: la.FunDef) -> list[Type]:
    """The encoded parameter types !τi° (one `1` for a nullary f, as ⟦·⟧ does)."""
    return [Bang(enc_nl(t)) for _, t in f.nl_params] or [ONE]


def run_forward(fw: LLProgram, fname: str, f: la.FunDef, xs: tuple, dxs: tuple,
                mode: str) -> Result:
    """f'F applied to the encodings of x̄ (banged) and ẋ̄ (linear), run instrumented."""
    term, env, linear = application(fname, primal_args(f, xs) + tangent_args(f, dxs))
    return evaluate_in(fw, term, env, linear, mode, instrumented=True)


# --- the checker -----------------------------------------------------------------------------


@dataclass
class E4Report:
    """The outcome of checking E4 on one function.

    type_error -- F failed on ⟦p⟧ (OutOfFragment), λLL typing rejected F⟦p⟧, or f'F's
                  type is not the theorem's
    values     -- the verdict on (b) (None when typing failed)
    work       -- model ↦ (workload ⟦f.jvp⟧, workload f'F)
    steps      -- (structural steps ⟦f.jvp⟧, structural steps f'F)
    """

    name: str
    type_error: CalculusError | str | None = None
    values: Verdict | None = None
    work: dict[str, tuple[int, int]] = field(default_factory=dict)
    steps: tuple[int, int] = (0, 0)

    @property
    def work_ok(self) -> bool:
        return bool(self.work) and all(a == b for a, b in self.work.values())

    @property
    def ok(self) -> bool:
        return self.type_error is None and bool(self.values) and self.work_ok

    def __str__(self) -> str:
        return (f"E4 {self.name}: typing {self.type_error or 'ok'}; values {self.values}; "
                f"work (⟦J⟧, F) {self.work}; steps {self.steps}")


def expected_forward_type(f: la.FunDef) -> Type:
    """!τ̄° ⊸ (!τ̄°)' ⊸ R ⊗ R' with R = (τ̄' ;)°•."""
    params = encoded_params(f)
    r = enc_result(f.nl_results, ())
    return arrows(tuple(params) + tuple(tangent(a) for a in params), Tensor(r, tangent(r)))


@deep
def check_e4(program: la.Program, func: str, forward: Forward = forward_program,
             mode: str = "symbolic", name: str | None = None) -> E4Report:
    """Check E4 (a)–(c) for `func` in a number mode; a failure is recorded in the
    report, never raised."""
    f = program.get(func)
    report = E4Report(name or func)
    enc, names = encode_program(program)
    fname = f_name(names[func])
    try:
        fw = forward(enc)
        gamma = ll_check_program(fw)
    except CalculusError as exc:
        report.type_error = exc
        return report
    if gamma[fname] != expected_forward_type(f):
        report.type_error = f"{fname} : {gamma[fname]}, expected {expected_forward_type(f)}"
        return report
    for _, t in f.nl_params:
        if tangent(Bang(enc_nl(t))) != enc_lin(t):
            report.type_error = f"(!{enc_nl(t)})' = {tangent(Bang(enc_nl(t)))} ≠ {enc_lin(t)}"
            return report

    xs, dxs = inputs(f, mode)
    jprog = jvp_program(program, func)
    jenc, jnames = encode_program(jprog)
    jf = jprog.get(jvp_name(func))
    rj = run_encoded(jenc, jnames[jvp_name(func)], jf, xs, dxs, mode=mode)
    rf = run_forward(fw, fname, f, xs, dxs, mode)

    n = len(f.nl_results)
    skel_j, reals_j = split(rj.value)
    skel_f, reals_f = split(relayout(rf.value, n))
    if skel_j != skel_f:
        report.values = Verdict(False, "shape", f"⟦J⟧ {skel_j} vs F {skel_f}")
    else:
        report.values = compare(reals_j, reals_f, rj.conditions + rf.conditions, mode)
    report.work = {m: (rj.workload(model), rf.workload(model)) for m, model in MODELS.items()}
    report.steps = (rj.steps, rf.steps)
    return report


# --- the checks ------------------------------------------------------------------------------

CORPUS = list(corpus_programs(100))


@pytest.mark.parametrize("name,program", CORPUS, ids=[n for n, _ in CORPUS])
def test_corpus(name, program):
    report = check_e4(program, name)
    assert report.ok, str(report)


@pytest.mark.parametrize("name", LARGE)
def test_large_work(name):
    """N = 1000: typing and work exactly, values in float mode only."""
    report = check_e4(load_program(EXAMPLES / f"{name}.py"), name, mode="float")
    assert report.ok, str(report)


def test_corpus_covers_the_examples():
    names = {n for n, _ in CORPUS}
    assert {"lighthouse", "matvec", "chain_100", "horner_100", "sumprod_100"} <= names


# Regressions: minimal counterexamples the fuzzer found in forward.py (fixed in 1449c54).
#   singleton-tuple  ⟦tup(x)⟧ of a 1-tuple is !(!x) ((real,)° = !real); F rejected the
#                    promotion of a promotion with OutOfFragment.
#   closed-argument  F differentiated a primitive argument without free variables but
#                    with a binder (J keeps it primal): workload F 7 vs ⟦J⟧ 3.
REGRESSIONS = [
    pytest.param("def f(x: real) -> ((real,);) = tup(x)", id="singleton-tuple"),
    pytest.param("def f(x: real) -> (real;) = x * sin(let (y;) = 1.0 in y)",
                 id="closed-argument"),
    # found by fault injection (llad mutants): the corpus never transposes a pair of
    # distinct tangents, nor a call whose arguments have different partials
    pytest.param("def f(x: real, y: real) -> (real;) = let (p;) = tup(x, y) in "
                 "let tup(a, b) = p in a * sin(b)", id="distinct-tuple-tangents"),
    pytest.param("def g(x: real, y: real) -> (real;) = sin(x) * y\n"
                 "def f(x: real, y: real) -> (real;) = g(x, y)", id="asymmetric-call"),
]


@pytest.mark.parametrize("source", REGRESSIONS)
def test_regression(source):
    report = check_e4(parse_program(source), "f")
    assert report.ok, str(report)


@given(nonlinear_programs())
def test_fuzzed(g: Generated):
    report = check_e4(g.program, g.func)
    assert report.ok, f"{report}\n{g}"


def test_relayout_and_split():
    """relayout on explicit values (one and two results); split's skeleton and reals."""
    one, pair = VBang(VReal(1)), VBang(VPair(VBang(VReal(2)), VBang(VReal(3))))
    d1, d2 = VReal(4), VPair(VReal(5), VReal(6))
    flat = relayout(VPair(VPair(one, pair), VPair(d1, d2)), 2)
    assert flat == VPair(one, VPair(pair, VPair(d1, d2)))
    assert relayout(VPair(one, d1), 1) == VPair(one, d1)
    skel, reals = split(flat)
    assert reals == (1, 2, 3, 4, 5, 6)
    assert skel == ("⊗", ("!", "#"), ("⊗", ("!", ("⊗", ("!", "#"), ("!", "#"))),
                                       ("⊗", "#", ("⊗", "#", "#"))))
    assert split(VUnit()) == ("()", ())


# --- symbolic zeros: J and F must agree on constants ----------------------------------------


@pytest.mark.parametrize("side", ["J", "F"])
def test_constants_on_one_side_only_fail_e4(side, monkeypatch):
    """horner_10 binds its leading coefficient to a variable: J and F both make it a
    constant (no tangent).  Either side without that rule computes and transposes a
    zero tangent the other does not: E4's work comparison fails."""
    from calculus.lambda_ll import forward as fw
    from calculus.linear_a import jvp as jv
    if side == "J":
        monkeypatch.setattr(jv.Jvp, "const_types", lambda self, e: None)
    else:
        monkeypatch.setattr(fw._Forward, "const_type", lambda self, t: None)
    r = check_e4(load_program(EXAMPLES / "horner_10.py"), "horner_10")
    assert not r.work_ok
