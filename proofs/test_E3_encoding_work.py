"""E3 — workload_m(⟦f⟧) = W_m(f) exactly under both cost models m, and the structural
steps of ⟦f⟧ are at most k·‖f‖ with k = 2 (‖f‖: Linear A nodes + names bound or passed
+ results dropped, calls unfolded).

For every function f of a well-typed Linear A program and all inputs v̄, w̄:

    workload_m(⟦f⟧ v̄ w̄)  =  W_m(f)                      m ∈ {arithmetic, symmetric}
    steps(⟦f⟧ v̄ w̄)       =  s_entry(f) + Σ_ν s(ν)  ≤  k·‖f‖,   k = 2

workload_m is the λLL evaluator's price of the fully applied constants; W_m(f) is
Linear A's static work (`work.work`), which must also equal the dynamic count of
`evaluate.run`; steps = β-steps + let-steps of the λLL evaluator; ν ranges over the
Linear A nodes evaluated (the nodes of f's body, where a call contributes its callee's
body once per call); ‖f‖ = ω_entry(f) + Σ_ν ω(ν).  The step table, read off
`calculus.encoding` (n, l: the numbers of non-linear and linear names the node binds or
passes; for drop, the numbers of non-linear and linear results of its argument, and e
is non-linear when it has neither linear results nor free linear variables):

    node ν                 s(ν): β- and let-steps of its image                 ω(ν)
    let (x̄;ȳ) = e1 in e2   1 if (n,l) = (1,0), else n + max(1, n+l−1)          1+n+l
                           (a !E per x; ⊗E n+l−1 times, or 1E / β-redex for 0 / 1 name)
    let tup(x̄) = x in e    1 if n = 1, else n + max(1, n−1)                     1+n
    let ltup(ȳ) = y in e   max(1, l−1)                                          1+l
    f(x̄ ; ȳ)               2n+l, or 2 if n+l = 0                                1+n+l
                           (a β per argument and a !E per non-linear parameter in ⟦f⟧'s
                           prologue; f () is one β and one 1E)
    drop(e), e non-linear  1 (one ! weakening: let !_ = !⟦e⟧ in ())             1
    drop(e), e : (τ̄;σ̄)     n + max(1, n+[l>0]−1)  (a !E per non-linear result;   1+n+l
      otherwise            ⊗E/β-redex/1E to split off the results)
    entry (⟦f⟧ applied)    as a call of f                                       as a call
    any other node         0: returns, variables, literals, tuples, primitives,  1
                           +., *., zero, dup are introductions and constants

k = 2 is the least integer with s ≤ k·ω on every row for all arities, proved by z3 over
the integers (`test_k_is_derived_from_the_table`); the nullary call attains it, every
other row stays below 2.  The exact step count is checked against the evaluator, so the
table cannot drift from the encoding unnoticed.

Why ‖f‖ and not the node count |f| (`work.program_size`): a node binding or passing n
names costs Θ(n) steps, and a function called twice runs twice, so steps/|f| is
unbounded (`test_node_count_alone_does_not_bound_steps`).  k and the measured maxima of
steps/‖f‖ and steps/|f| on the corpus go to paper_figures/out/encoding_constants.json.

Checked whole-term on every corpus program (families up to N = 1000) and on every
function that T∘U∘J adds to the hand-written examples and the families up to N = 10
(both policies), in float mode at a fixed in-domain point (work and steps do not depend
on the values: there is no control flow); fuzzed on the programs of `checkers.strategies`
at drawn arguments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest
import z3
from hypothesis import given
from hypothesis import strategies as st

from calculus.cost_models import MODELS
from calculus.deep import deep
from calculus.encoding import encode_program, run_encoded
from calculus.linear_a.evaluate import run
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import Program
from calculus.linear_a.typecheck import check_program
from calculus.linear_a.work import program_size, work
from checkers.encoding_steps import K, ROW_TEXT, ROWS, Z3Ops, predicted_steps
from checkers.strategies import args_for, linear_programs, mixed_programs, nonlinear_programs
from test_E1_encoding_typing import case_ids, corpus_cases
from test_E2_extensional_soundness import point

CONSTANTS = Path(__file__).resolve().parent.parent / "paper_figures" / "out" / \
    "encoding_constants.json"


# --- the check ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """One violated equation: kind is "workload" (under `model`), "steps" (the table's
    exact count) or "bound" (k·‖f‖); got is the λLL count, want the Linear A one."""

    kind: str
    model: str | None
    got: int
    want: int


@dataclass
class Measure:
    """One function's λLL run against the predictions; `failures` empty when E3 holds."""

    func: str
    steps: int
    weighted_size: int  # ‖f‖
    nodes: int  # |f|, work.program_size
    failures: list[Failure]


@deep
def measure(program: Program, func: str, args: tuple[tuple, tuple]) -> Measure:
    """Run ⟦func⟧ at args and compare its workload with W (static and dynamic) under
    every cost model, and its steps with the table and with k·‖func‖."""
    typing = check_program(program)
    f = program.get(func)
    nl, lin = args
    enc, names = encode_program(program, typing)
    r = run_encoded(enc, names[func], f, nl, lin, mode="float")
    dynamic = run(program, func, nl, lin, mode="float").work
    fails = []
    for m, model in MODELS.items():
        static = work(program, func, model, typing)
        if dynamic[m] != static:  # lemma A1; a failure here is Linear A's, not ⟦·⟧'s
            fails.append(Failure("dynamic-work", m, dynamic[m], static))
        if r.workload(model) != static:
            fails.append(Failure("workload", m, r.workload(model), static))
    steps, weighted = predicted_steps(program, func, typing)
    if r.steps != steps:
        fails.append(Failure("steps", None, r.steps, steps))
    if r.steps > K * weighted:
        fails.append(Failure("bound", None, r.steps, K * weighted))
    return Measure(func, r.steps, weighted, program_size(program, func), fails)


def _cases():
    return corpus_cases(1000)


_MEASURES: dict[tuple[str, str], Measure] = {}


def corpus_measure(case, func: str) -> Measure:
    """measure() of a corpus function at the fixed point, computed once per session."""
    key = (case.id, func)
    if key not in _MEASURES:
        _MEASURES[key] = measure(case.program, func, point(case.program.get(func)))
    return _MEASURES[key]


# --- the constant k ------------------------------------------------------------------------


def test_k_is_derived_from_the_table():
    """∀ n, l ≥ 0: s ≤ k·ω on every row (z3 unsat), and k − 1 fails on some row (sat)."""
    n, l = z3.Ints("n l")
    for name, row in ROWS.items():
        s, w = row(Z3Ops, n, l)
        solver = z3.Solver()
        solver.add(n >= 0, l >= 0, s > K * w)
        assert solver.check() == z3.unsat, f"row {name}: s > {K}·ω at {solver.model()}"
    tight = [name for name, row in ROWS.items()
             if _sat(lambda s, w: s > (K - 1) * w, row, n, l)]
    assert tight, f"k = {K} is not the least integer bound"


def _sat(cond, row, n, l) -> bool:
    s, w = row(Z3Ops, n, l)
    solver = z3.Solver()
    solver.add(n >= 0, l >= 0, cond(s, w))
    return solver.check() == z3.sat


def test_node_count_alone_does_not_bound_steps():
    """A let binding n names and a call passing n arguments: |f| stays 4 nodes while the
    steps grow with n, so the bound needs the names (‖f‖), as the table says."""
    ratios = []
    for n in (2, 6):
        xs = ", ".join(f"x{i}" for i in range(n))
        sig = ", ".join(f"x{i}: real" for i in range(n))
        res = ", ".join(["real"] * n)
        prog = parse_program(f"def g({sig}) -> ({res};) = ({xs};)\n"
                             f"def f({sig}) -> ({res};) = let ({xs};) = g({xs}) in ({xs};)")
        m = measure(prog, "f", point(prog.get("f")))
        assert m.failures == [] and m.nodes == 4
        ratios.append(Fraction(m.steps, m.nodes))
    assert ratios[0] < ratios[1] and ratios[1] > K


# --- corpus ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", _cases(), ids=case_ids(_cases()))
def test_corpus(case):
    for func in case.funcs:
        m = corpus_measure(case, func)
        assert m.failures == [], m.failures


def constants() -> dict:
    """The content of encoding_constants.json: k and the corpus maxima."""
    ms = [corpus_measure(c, f) for c in _cases() for f in c.funcs]
    by_weight = max(ms, key=lambda m: Fraction(m.steps, m.weighted_size))
    by_nodes = max(ms, key=lambda m: Fraction(m.steps, m.nodes))
    return {
        "E3": {"k": K,
               "max steps/size_names": round(by_weight.steps / by_weight.weighted_size, 4),
               "max steps/|f|": round(by_nodes.steps / by_nodes.nodes, 4)},
        "encoding_steps": {
            "bound": "steps(⟦f⟧) <= k * size_names(f)",
            "size_names": "nodes + names bound or passed + results dropped, calls unfolded",
            "rows": ROW_TEXT,
            "argmax steps/size_names": by_weight.func,
            "argmax steps/|f|": by_nodes.func,
            "functions measured": len(ms),
        },
    }


def test_constants_file():
    """Writes encoding_constants.json (deterministic); the measured ratio respects k."""
    data = constants()
    assert data["E3"]["max steps/size_names"] <= K
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    CONSTANTS.parent.mkdir(parents=True, exist_ok=True)
    if not CONSTANTS.exists() or CONSTANTS.read_text() != text:
        CONSTANTS.write_text(text)
    assert json.loads(CONSTANTS.read_text())["E3"]["k"] == K


# --- fuzzed ---------------------------------------------------------------------------------


def _fuzz(data, programs) -> None:
    g = data.draw(programs)
    args = data.draw(args_for(g.program, g.func, "float"))
    m = measure(g.program, g.func, args)
    assert m.failures == [], f"{m.failures}\n{g}"


@given(st.data())
def test_fuzzed_nonlinear(data):
    _fuzz(data, nonlinear_programs())


@given(st.data())
def test_fuzzed_linear(data):
    _fuzz(data, linear_programs())


@given(st.data())
def test_fuzzed_mixed(data):
    _fuzz(data, mixed_programs())
