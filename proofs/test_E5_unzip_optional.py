"""E5 — unzipping is optional: grad_LL f ≃ T(U(J f)), and grad_LL does no more work.

For a non-linear Linear A function f(x̄:τ̄ ;) -> (τ̄' ;), grad_LL f = T_LL(F⟦f⟧) applied
to cotangent 1 on every real result, and T(U(J f)) the Linear A reverse pass
(`calculus.linear_a.grad`, checkpoint policy store-all):

  (a) typing     T_LL's output type-checks in λLL and, with R = (τ̄' ;)°•, Āᵢ = !τᵢ°,
                     f'F'T : !τ1° ⊸ … ⊸ !τn° ⊸ R ⊗ (R' ⊸ Ā'₁ ⊗ … ⊗ Ā'ₙ);
  (b) linearity  the whole run — `let (p, back) = f'F'T !x̄ in (p, back ct)` — is
                 evaluated instrumented: every linear value, including those captured
                 by the backpropagator closure, is consumed exactly once (L2);
  (c) values     primal(grad_LL f)(x̄) = primal(T(U(J f)))(x̄) and
                 gradient(grad_LL f)(x̄) = gradient(T(U(J f)))(x̄), componentwise, for
                 symbolic x̄, proved by `checkers.symbolic.prove_equal`;
  (d) work       workload(grad_LL f)(x̄) ≤ W(T(U(J f))) under every cost model of
                 `calculus.cost_models.MODELS` (W = `grad(…).work`, the work of the nonlin
                 pass plus the transposed linear pass), checked exactly (integers).

Checked whole-term on every corpus program with N ≤ 100, and on the N = 1000 members
of the families chain/horner/sumprod, where (c) is checked in **float** mode at a
fixed point (relative tolerance 1e-9; symbolic unfolding of a 1000-deep term is
beyond sympy, TOOLS-NOTES): a sanity check that can refute, not a proof — (a), (b) and
(d) are exact there too.  Fuzzed on `nonlinear_programs()` (symbolic).

The per-program numbers — W(f), W(T(U(J f))), workload(grad_LL f), structural steps
of grad_LL, tape size of T(U(J f)), both cost models — are written to
`paper_figures/out/e5_table.json` (sorted keys, integers only: deterministic).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from calculus.cost_models import MODELS
from calculus.deep import deep
from calculus.encoding import enc_result, tensor_value
from calculus.errors import CalculusError, LinearityError
from calculus.grad_ll import GradLL, LLReverse, build, grad_ll, ones
from calculus.lambda_ll.forward import tangent
from calculus.lambda_ll.syntax import (App, LetPair, Lolli, Pair, Tensor, Type, Var, arrows,
                                       tensor_type)
from calculus.lambda_ll.typecheck import check_program as ll_check_program
from calculus.linear_a import syntax as la
from calculus.linear_a.grad import GradResult, grad
from calculus.linear_a.parse import parse_program
from calculus.linear_a.work import program_size, work
from calculus.loader import EXAMPLES, corpus_programs, load_program
from calculus.numbers import backend
from checkers.strategies import Generated, nonlinear_programs
from checkers.ll_values import application, evaluate_in, primal_args
from checkers.symbolic import Verdict
from test_E4_forward_commutes import LARGE, REGRESSIONS, compare, encoded_params, inputs

TABLE = Path(__file__).resolve().parent.parent / "paper_figures" / "out" / "e5_table.json"


# --- the checker -----------------------------------------------------------------------------


@dataclass
class E5Report:
    """The outcome of checking E5 on one function.

    type_error      -- T_LL/F failed, λLL typing rejected the output, or f'F'T's type
                       is not the theorem's
    linearity_error -- the instrumented run of grad_LL broke the linear discipline (or
                       its workload differed from grad_ll's)
    values          -- the verdict on (c)
    w_f, w_tuj      -- model ↦ W(f), W(T(U(J f)))
    workload, steps -- model ↦ workload(grad_LL f); its structural steps
    """

    name: str
    mode: str = "symbolic"
    type_error: CalculusError | str | None = None
    linearity_error: CalculusError | str | None = None
    values: Verdict | None = None
    w_f: dict[str, int] = field(default_factory=dict)
    w_tuj: dict[str, int] = field(default_factory=dict)
    workload: dict[str, int] = field(default_factory=dict)
    steps: int = 0
    tape: int = 0
    size: int = 0

    @property
    def work_ok(self) -> bool:
        return bool(self.workload) and all(self.workload[m] <= self.w_tuj[m] for m in MODELS)

    @property
    def ok(self) -> bool:
        return (self.type_error is None and self.linearity_error is None
                and bool(self.values) and self.work_ok)

    def __str__(self) -> str:
        return (f"E5 {self.name} ({self.mode}): typing {self.type_error or 'ok'}; linearity "
                f"{self.linearity_error or 'ok'}; values {self.values}; workload(grad_LL) "
                f"{self.workload} vs W(TUJ) {self.w_tuj}; W(f) {self.w_f}; steps {self.steps}")

    def row(self) -> dict[str, Any]:
        """The table row (integers and strings only)."""
        return {"program": self.name, "values_checked": self.mode, "size": self.size,
                "W_f": self.w_f, "W_TUJ": self.w_tuj, "workload_grad_LL": self.workload,
                "structural_steps_grad_LL": self.steps, "tape_reals_TUJ": self.tape}


def expected_reverse_type(f: la.FunDef) -> Type:
    """!τ̄° ⊸ R ⊗ (R' ⊸ Ā'₁ ⊗ … ⊗ Ā'ₙ)."""
    params = encoded_params(f)
    r = enc_result(f.nl_results, ())
    back = Lolli(tangent(r), tensor_type([tangent(a) for a in params]))
    return arrows(tuple(params), Tensor(r, back))


def run_instrumented(b: LLReverse, at: tuple, mode: str) -> dict[str, int]:
    """`let (p, back) = f'F'T !x̄ in (p, back ct)`, evaluated instrumented (raises
    LinearityError on a violation); returns its workload per model."""
    term, env, linear = application(b.name, primal_args(b.func, at))
    ct = tensor_value([ones(t, backend(mode)) for t in b.func.nl_results])
    whole = LetPair("p", "back", term, Pair(Var("p"), App(Var("back"), Var("ct"))))
    r = evaluate_in(b.program, whole, env, linear | {"ct": ct}, mode, instrumented=True)
    return {m: r.workload(model) for m, model in MODELS.items()}


def compare_values(g: GradLL, r: GradResult, mode: str) -> Verdict:
    """(primal, gradient) of both routes: proved equal, or compared flat in float mode."""
    lhs, rhs = (tuple(g.primal), tuple(g.gradient)), (tuple(r.primal), tuple(r.gradient))
    if mode == "float":
        lhs, rhs = _flat(lhs), _flat(rhs)
    return compare(lhs, rhs, g.conditions + r.conditions, mode)


def _flat(v: Any) -> tuple:
    if isinstance(v, tuple):
        return tuple(x for c in v for x in _flat(c))
    return (v,)


@deep
def check_e5(program: la.Program, func: str, mode: str = "symbolic",
             name: str | None = None) -> E5Report:
    """Check E5 (a)–(d) for `func`; a failure is recorded in the report, never raised."""
    f = program.get(func)
    report = E5Report(name or func, mode, size=program_size(program, func))
    report.w_f = {m: work(program, func, model) for m, model in MODELS.items()}
    try:
        b = build(program, func)
        gamma = ll_check_program(b.program)
    except CalculusError as exc:
        report.type_error = exc
        return report
    if gamma[b.name] != expected_reverse_type(f):
        report.type_error = f"{b.name} : {gamma[b.name]}, expected {expected_reverse_type(f)}"
        return report
    at = inputs(f, mode)[0]
    g = grad_ll(program, func, at, mode, built=b)
    report.workload, report.steps = dict(g.workload), g.steps
    try:
        instrumented = run_instrumented(b, at, mode)
        if instrumented != g.workload:
            report.linearity_error = f"instrumented workload {instrumented} ≠ {g.workload}"
    except LinearityError as exc:
        report.linearity_error = exc
    r = grad(program, func, at, mode=mode)
    report.w_tuj, report.tape = dict(r.work), r.tape
    report.values = compare_values(g, r, mode)
    return report


# --- the checks ------------------------------------------------------------------------------

SMALL = list(corpus_programs(100))
CASES = [(n, "symbolic") for n, _ in SMALL] + [(n, "float") for n in LARGE]


@cache
def program_named(name: str) -> la.Program:
    programs = dict(SMALL)
    return programs[name] if name in programs else load_program(EXAMPLES / f"{name}.py")


@cache
def corpus_report(name: str, mode: str) -> E5Report:
    return check_e5(program_named(name), name, mode)


@pytest.mark.parametrize("name,mode", CASES, ids=[n for n, _ in CASES])
def test_corpus(name, mode):
    report = corpus_report(name, mode)
    assert report.ok, str(report)


COLUMNS = {
    "W_f": "static work W(f) of the Linear A function",
    "W_TUJ": "work of T(U(J f)): f.jvp.nonlin then f.jvp.lin.T (store-all), cotangent 1",
    "workload_grad_LL": "λLL workload of grad_LL f = T_LL(F⟦f⟧): forward pass and "
                        "backpropagator, cotangent 1",
    "structural_steps_grad_LL": "β- and let-steps of the same run",
    "tape_reals_TUJ": "reals on the tape of U(J f)",
    "size": "|f|: AST nodes of f and its callees",
    "values_checked": "symbolic: primal and gradient proved equal; float: compared at one "
                      "point (N = 1000)",
}


def table_text(rows: list[dict[str, Any]]) -> str:
    """The table as JSON, one row per line, keys sorted: byte-for-byte deterministic."""
    head = json.dumps({"theorem": "E5", "cost_models": sorted(MODELS), "columns": COLUMNS},
                      sort_keys=True, ensure_ascii=False)
    body = ",\n".join("  " + json.dumps(r, sort_keys=True) for r in rows)
    return head[:-1] + ',\n "rows": [\n' + body + "\n ]}\n"


def test_table():
    """Every corpus program has a row; the file is rewritten deterministically."""
    rows = [corpus_report(n, m).row() for n, m in sorted(CASES)]
    assert {r["program"] for r in rows} >= {"lighthouse", "matvec", *LARGE}
    for r in rows:
        assert all(r["workload_grad_LL"][m] <= r["W_TUJ"][m] for m in MODELS)
    text = table_text(rows)
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text(text, encoding="utf-8")
    assert json.loads(TABLE.read_text(encoding="utf-8"))["rows"] == rows


@pytest.mark.parametrize("source", REGRESSIONS)
def test_regression(source):
    """E4's regressions break E5 too when F is wrong: F rejects the 1-tuple; the
    differentiated closed argument made workload(grad_LL f) 6 > W(T(U(J f))) 3."""
    report = check_e5(parse_program(source), "f")
    assert report.ok, str(report)


@given(nonlinear_programs())
def test_fuzzed(g: Generated):
    report = check_e5(g.program, g.func)
    assert report.ok, f"{report}\n{g}"


@pytest.mark.parametrize("name", ["horner_1000", "sumprod_1000"])
def test_large_symbolic_identity(name):
    """At N = 1000 the two routes agree *exactly* in symbolic mode: grad_LL and
    T(U(J f)) build the very same sympy expression trees (syntactic identity implies
    equality; no zero test is needed).  chain_1000 takes minutes per route
    symbolically and is compared in float mode in test_corpus."""
    from calculus.values import symbol_like
    p = load_program(EXAMPLES / f"{name}.la")
    f = p.get(name)
    at = tuple(symbol_like(t, x) for x, t in f.nl_params)
    a = grad(p, name, at, mode="symbolic")
    b = grad_ll(p, name, at, mode="symbolic")
    # comparing 1000-deep expression trees recurses deeply: do it under @deep
    assert deep(lambda: (a.primal, a.gradient) == (b.primal, b.gradient))()
