"""A9 — T does not increase symmetric work; its arithmetic excess is the dups' reals.

For every linear  f(x̄:τ̄ ; ȳ:σ̄) -> (; σ̄')  in T's fragment and  f.T = T f:

    W_sym(f.T)  ≤  W_sym(f)
    W_arith(f.T) − W_arith(f)  ≤  dup_reals(f)

where dup_reals(f) is the number of reals duplicated by `dup` when f runs (calls
unfolded; `checkers.measure.dup_reals`).  Why: T swaps +. ↔ dup and zero ↔ drop at the
same number of reals, keeps *. and the non-linear parts, and turns drop(e) into zeros
for e's free linear variables without e's work; every linear operation loses at most
as many reals as it costs in the symmetric model, so those zeros are paid for.  In the
arithmetic model dup and zero are free but a transposed dup is a +. that is not.

Checked exactly (static W of the re-type-checked output) on f.jvp.lin of every corpus
program under each checkpoint policy (N ≤ 100 and the large members as in A4), on the
linear schematic programs and chains of `checkers.schematic`, and on random
`linear_programs` (their f.lin after U, and f itself when T accepts it).  The second
bound is attained (`dup(a)`: excess 1 = dup_reals), so it cannot be tightened to 0.
"""

from __future__ import annotations

import pytest
from hypothesis import event, given

from calculus.errors import OutOfFragment
from calculus.linear_a.jvp import jvp_name, jvp_program
from calculus.linear_a.unzip import lin_name, unzip_program
from checkers.corpus import corpus_names, corpus_program, large_members
from checkers.cost_theorems import transpose_work_violations
from checkers.measure import dup_reals, transpose_measures
from checkers.policies import POLICIES
from checkers.schematic import chain_programs, schematic
from checkers.strategies import Generated, linear_programs

LINEAR = dict(schematic("linear"))


@pytest.mark.parametrize("policy", list(POLICIES))
@pytest.mark.parametrize("name", corpus_names(100) + large_members())
def test_corpus_jvp_lin(name: str, policy: str) -> None:
    u = unzip_program(jvp_program(corpus_program(name), name), jvp_name(name), POLICIES[policy])
    vs = transpose_work_violations(u.program, lin_name(jvp_name(name)))
    assert vs == [], [str(v) for v in vs]


@pytest.mark.parametrize("name", sorted(LINEAR))
def test_schematic(name: str) -> None:
    vs = transpose_work_violations(LINEAR[name], "f")
    assert vs == [], [str(v) for v in vs]


@pytest.mark.parametrize("depth", [0, 1])
@pytest.mark.parametrize("name", [n for n, _, _ in chain_programs("linear")])
def test_chains(name: str, depth: int) -> None:
    program = {n: (lo, hi) for n, lo, hi in chain_programs("linear")}[name][depth]
    vs = transpose_work_violations(program, "f")
    assert vs == [], [str(v) for v in vs]


def test_arithmetic_excess_is_attained() -> None:
    f, ft, tp = transpose_measures(LINEAR["dup"], "f")
    excess = ft.work["arithmetic"] - f.work["arithmetic"]
    assert excess == dup_reals(tp, "f") > 0


@given(linear_programs())
def test_fuzzed(g: Generated) -> None:
    u = unzip_program(g.program, g.func)
    vs = transpose_work_violations(u.program, lin_name(g.func))
    assert vs == [], f"f.lin: {[str(v) for v in vs]}\n{u.program}"
    try:
        vs = transpose_work_violations(g.program, g.func)
    except OutOfFragment as exc:
        assert exc.transformation == "T"
        event("f.lin only")
        return
    event("f and f.lin")
    assert vs == [], f"f: {[str(v) for v in vs]}\n{g}"
