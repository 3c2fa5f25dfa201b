"""A6 — U preserves typing and meaning, for every checkpoint policy.

For every well-typed  f : (x̄:τ̄ ; ȳ:σ̄) -> (τ̄' ; σ̄')  and every policy π, U_π adds

    f.nonlin : (x̄:τ̄ ;) -> (τ̄', t̄ ;)        f.lin : (tape:t̄ ; ȳ:σ̄) -> (; σ̄')

(t̄ the types of the tape U reports), the extended program type-checks, and

    let (r̄, tape ;) = f.nonlin(x̄ ;) in let (; s̄) = f.lin(tape ; ȳ) in (r̄ ; s̄)
        ≡  f(x̄ ; ȳ)

for all x̄ in f's domain and all ȳ, symbolically (`checkers.semantics.unzip_theorem`:
`check_program` on U's output, the recorded signatures, then `equivalent` with the
composition harness `unzip_runner`), for f and every function it calls.  Policies:
`store` (everything on the tape), `recompute` (every binding the linear half needs is
recomputed there) and the predicate `recompute_sin_cos` (recompute exactly the
bindings of sin(…)/cos(…)).

Instances:
  - J outputs of the corpus (f.jvp, N ≤ 100), whole term (U is not unfolded by the
    check: both sides evaluate to the same sympy DAG, so even the size-100 members
    are fast);
  - random programs of `mixed_programs`, whole term;
  - the N = 1000 members (under `ci` only chain_1000), rule by rule on f's spine: each
    binding b extracted as a tiny function, and the theorem checked for b.jvp.  This
    is weaker than the whole-term statement (the checkpoint decisions are global),
    and is said so in the theorem table.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from calculus.linear_a.jvp import jvp_name, jvp_program
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import Program
from calculus.linear_a.unzip import unzip_program
from checkers.corpus import corpus_names, corpus_program, large_members
from checkers.policies import POLICIES
from checkers.semantics import all_of, by_binding, unzip_theorem
from checkers.strategies import Generated, mixed_programs
from checkers.symbolic import Verdict


def jvp_unzips(program: Program, func: str) -> Verdict:
    """(A6) for f.jvp under every policy."""
    jp = jvp_program(program, func)
    return all_of((name, lambda pi=pi: unzip_theorem(jp, jvp_name(func), pi))
                  for name, pi in POLICIES.items())


@pytest.mark.parametrize("name", corpus_names(100))
def test_corpus_jvp(name: str) -> None:
    v = jvp_unzips(corpus_program(name), name)
    assert v, f"{name}: {v}"


@pytest.mark.parametrize("name", large_members())
def test_large_rule_by_rule(name: str) -> None:
    v = by_binding(corpus_program(name), name, jvp_unzips)
    assert v, f"{name}: {v}"


@pytest.mark.parametrize("policy", POLICIES)
@given(g=mixed_programs())
def test_fuzzed(policy: str, g: Generated) -> None:
    v = unzip_theorem(g.program, g.func, POLICIES[policy])
    assert v, f"{policy}: {v}\n{g}"


def test_policies_differ() -> None:
    """The three policies split differently (so the instances above exercise three
    different programs): on J(sin x · cos x), store moves no computing binding into the
    linear half (only free aliases), sin-cos moves some, recompute moves more and keeps
    only x on the tape."""
    p = parse_program("def f(x: real) -> (real;) = sin(x) * cos(x)")
    j = jvp_program(p, "f")
    info = {n: unzip_program(j, "f.jvp", pi).info["f.jvp"] for n, pi in POLICIES.items()}
    moved = {n: sum(not b.is_alias for b in i.moved) for n, i in info.items()}
    assert 0 == moved["store"] < moved["sin-cos"] < moved["recompute"], moved
    assert [x for x, _ in info["recompute"].tape] == ["x"]
    assert all(unzip_theorem(j, "f.jvp", pi) for pi in POLICIES.values())
