"""A7 — U conserves work; a checkpoint policy pays exactly what it recomputes.

For every well-typed  f(x̄:τ̄ ; ȳ:σ̄) -> (τ̄' ; σ̄'),  U under policy P gives
f.nonlin(x̄;) -> (τ̄', tape;) and f.lin(tape; ȳ) -> (; σ̄'), and for both cost models m:

    store-all:      W_m(f.nonlin) + W_m(f.lin)  =  W_m(f)                  (exactly)
    every policy:   W_m(f.nonlin) + W_m(f.lin)  =  W_m(f) + E_P(f)
                    E_P(f) = Σ_{b ∈ R_P(f)} W(b) + Σ_{calls g(…) in f} E_P(g)
    recompute-all:  tape_P(f)  ≤  Σ_{x ∈ x̄} reals(τ_x)

where R_P(f) = `UnzipInfo.recomputed` are f's non-linear bindings computed in both
halves, W(b) is counted by `checkers.measure.binding_work` from b's expression and its
callees' bodies (independently of `work.work`), and the sum over calls charges, per
call, what U adds inside the callee (g.nonlin and g.lin run once per call).  Policies: store-all, recompute-all
and the predicate "recompute sin/cos" (`checkers.policies.recompute_sin_cos`).

Checked exactly (W is static) on f.jvp of every corpus program (N ≤ 100, and the
large members as in A4) and on random `mixed_programs`.  On the corpus the tape also
shrinks: tape_recompute(f.jvp) ≤ tape_store(f.jvp).  That is not a theorem: for
`sin(x + y)` store-all keeps cos(x + y) (1 real) and recompute-all keeps x and y (2
reals) — the counterexample is a test below.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from calculus.linear_a.jvp import jvp_name, jvp_program
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import Program
from calculus.linear_a.unzip import unzip_program
from checkers.corpus import corpus_names, corpus_program, large_members
from checkers.cost_theorems import unzip_work_violations
from checkers.measure import binding_work, recomputation_work, unzip_measures
from checkers.policies import POLICIES
from checkers.strategies import Generated, mixed_programs


def _jvp(name: str) -> tuple[Program, str]:
    return jvp_program(corpus_program(name), name), jvp_name(name)


@pytest.mark.parametrize("policy", list(POLICIES))
@pytest.mark.parametrize("name", corpus_names(100) + large_members())
def test_corpus(name: str, policy: str) -> None:
    jp, f = _jvp(name)
    vs = unzip_work_violations(jp, f, POLICIES[policy])
    assert vs == [], [str(v) for v in vs]


@pytest.mark.parametrize("name", corpus_names(100))
def test_corpus_tape_shrinks(name: str) -> None:
    jp, f = _jvp(name)
    store = unzip_program(jp, f, "store").info[f].tape_reals
    recompute = unzip_program(jp, f, "recompute").info[f].tape_reals
    assert recompute <= store, f"{name}: tape {recompute} (recompute) > {store} (store)"


def test_recomputation_is_counted() -> None:
    """Not vacuous: on chain_10 recompute-all recomputes bindings of positive work, and
    the extra work of the halves is exactly theirs."""
    jp, f = _jvp("chain_10")
    fm, nonlin, lin, info, up = unzip_measures(jp, f, "recompute")
    extra = sum(binding_work(up, b) for b in info[f].recomputed)
    assert extra > 0
    for m, w in fm.work.items():
        assert nonlin.work[m] + lin.work[m] - w == extra


CALLS_G = ("def g(x: real; a: real) -> (real; real) =\n"
           "  let (y;) = sin(x) in let (; b) = y *. a in (y; b)\n\n"
           "def f(x: real; a: real) -> (real; real) = g(x; a)")


def test_recomputation_in_callees_is_charged_per_call() -> None:
    """Recompute-all: f recomputes its call g.nonlin (1 sin) and g.lin recomputes g's
    sin again; f's own recomputed bindings miss the second, E(f) counts it."""
    p = parse_program(CALLS_G)
    fm, nonlin, lin, info, up = unzip_measures(p, "f", "recompute")
    own = sum(binding_work(up, b) for b in info["f"].recomputed)
    assert recomputation_work(up, info, "g") > 0
    for m, w in fm.work.items():
        assert nonlin.work[m] + lin.work[m] - w == recomputation_work(up, info, "f") > own
    assert unzip_work_violations(p, "f", "recompute") == []


@given(g=mixed_programs())
@pytest.mark.parametrize("policy", list(POLICIES))
def test_fuzzed(policy: str, g: Generated) -> None:
    vs = unzip_work_violations(g.program, g.func, POLICIES[policy])
    assert vs == [], f"{[str(v) for v in vs]}\n{g}"


SIN_SUM = "def f(x: real, y: real) -> (real;) = sin(x + y)"


def test_tape_shrinks_is_not_a_theorem() -> None:
    """The counterexample to SPEC's "the tape shrinks": recompute-all stores the inputs
    of a recomputed binding, which can be more reals than its output (sin(x + y): the
    store-all tape holds cos(x + y), 1 real; the recompute-all tape holds x and y)."""
    p = parse_program(SIN_SUM)
    jp, f = jvp_program(p, "f"), jvp_name("f")
    store = unzip_program(jp, f, "store").info[f].tape_reals
    recompute = unzip_program(jp, f, "recompute").info[f].tape_reals
    assert (store, recompute) == (1, 2)
