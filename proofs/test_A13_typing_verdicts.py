"""A13 — typing verdicts of Linear A are independently checked.

    p generated, well typed or a near miss  ⟹
      ( check_program(p) accepts  ⟺  check_program_derivation(p, derive_program(p)) accepts )
    and for each body e of p under its declared parameters Γ ; Δ and earlier signatures Σ
      ( check_expr(e, Γ, Δ) accepts  ⟺  check_expr_derivation(derive_expr(e, Γ, Δ, Σ)) accepts )

The independent checker `checkers.la_derivation_checker` does not import the type
checker; it checks each rule application locally (Γ: contraction, no weakening; Δ: an
exact split; call signatures; result types).  Linear A's rules are syntax-directed and
their axioms fix Γ and Δ, so a term has at most one derivation of its root judgement
and `derive` builds it (or raises, when no candidate exists): "accepts" on the right is
"a valid derivation exists".  In particular, on every near miss (`checkers.la_near_miss`,
all classes) `derive` fails — it raises or its derivation is rejected.

The corruption side (A13×):  π a valid derivation (a Def root per definition, or an
Expr root) and π' = π with one node corrupted — its result type changed, Δ weakened,
forgotten or contracted, Γ weakened or forgotten, a premise dropped or added  ⟹  π' is
rejected.  `test_every_rule_meets_every_corruption` asserts that every rule of the
registry met every corruption that can apply to it.

Checked on fuzzed programs of the three generator families with all their near misses,
the corpus with N ≤ 10, and the hand-written ill-typed corpus `tests/ill_typed/linear_a.la`.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Callable, Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculus.deep import deep
from calculus.errors import CalculusError
from calculus.linear_a import rules as la_rules
from calculus.linear_a.derivation import (Derivation, derive_expr, derive_program,
                                          signature)
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import REAL, FunDef, Hole, Let, Lit, Program, Ret, TupT
from calculus.linear_a.typecheck import Typing, check_expr, check_program
from calculus.loader import corpus_programs
from checkers.corrupt import corrupt_at, nodes
from checkers.ill_typed import cases
from checkers.la_derivation_checker import (check_expr_derivation,
                                            check_program_derivation)
from checkers.la_near_miss import near_misses
from checkers.strategies import linear_programs, mixed_programs, nonlinear_programs
from test_A12_typing_rejects import PROGRAMS


def accepts(run: Callable[[], object]) -> bool:
    try:
        run()
    except CalculusError:
        return False
    return True


def sigmas(p: Program) -> Iterator[tuple[FunDef, dict]]:
    """Each definition with the declared signatures of those before it."""
    sigma: dict = {}
    for f in p.funcs:
        yield f, dict(sigma)
        sigma.setdefault(f.name, signature(f))


def verdicts(p: Program, bodies: Callable[[str], bool]) -> Iterator[tuple[str, bool, bool]]:
    """(judgement, type checker accepts, a valid derivation exists): for p, and for the
    Expr form of each body that `bodies` selects."""
    yield ("check_program", accepts(lambda: check_program(p)),
           accepts(lambda: check_program_derivation(p, derive_program(p))))
    for f, sigma in sigmas(p):
        if bodies(f.name):
            nl, lin = dict(f.nl_params), dict(f.lin_params)
            yield (f"check_expr of {f.name}'s body",
                   accepts(lambda: check_expr(f.body, nl, lin, Typing(sigs=sigma))),
                   accepts(lambda: check_expr_derivation(
                       derive_expr(f.body, nl, lin, sigma), f.body, nl, lin, sigma)))


def verdict_failures(p: Program, well_typed: bool,
             bodies: Callable[[str], bool] = lambda f: True) -> list[str]:
    """The A13 failures on p: a verdict pair that disagrees, or that is not `well_typed`."""
    return [f"{what}: type checker {typed}, derivation {independent}, expected "
            f"{well_typed}:\n{p}"
            for what, typed, independent in verdicts(p, bodies)
            if not typed == independent == well_typed]


@deep  # one worker thread for all the @deep passes it calls
def check_verdicts(p: Program) -> list[str]:
    """A13 on a well-typed p (all accept) and on every near miss of p (all reject, the
    Expr form on the body the near miss mutates)."""
    out = verdict_failures(p, True)
    for nm in near_misses(p, check_program(p)):
        out += [f"near miss {nm.cls} ({nm.where}): {why}"
                for why in verdict_failures(nm.program, False, lambda g: g == nm.func)]
    return out


@pytest.mark.parametrize("name,program", list(corpus_programs(10)), ids=lambda x: str(x)[:30])
def test_corpus(name: str, program: Program) -> None:
    failures = check_verdicts(program)
    assert not failures, failures[0]


@given(PROGRAMS)
def test_fuzzed(g) -> None:
    failures = check_verdicts(g.program)
    assert not failures, failures[0]


@pytest.mark.parametrize("case", list(cases("linear_a.la")), ids=lambda c: c.name)
def test_hand_written(case) -> None:
    bad = verdict_failures(parse_program(case.source), False, lambda f: False)
    assert not bad, bad[0]


# --- A13×: corrupted derivations ------------------------------------------------------------

_W = "w'"  # a name no program binds
_LIT = Lit(Fraction(1))
CORRUPTIONS: dict[str, Callable[[Derivation], Derivation | None]] = {
    "conclusion": lambda d: replace(d, result=((), ()) if d.result == ((REAL,), ())
                                    else ((REAL,), ())),
    "weaken Δ": lambda d: replace(d, delta=d.delta + ((_W, REAL),)),
    "forget Δ": lambda d: replace(d, delta=d.delta[1:]) if d.delta else None,
    "contract Δ": lambda d: replace(d, delta=d.delta + d.delta[:1]) if d.delta else None,
    "weaken Γ": lambda d: replace(d, gamma=d.gamma + ((_W, REAL),)),
    "forget Γ": lambda d: replace(d, gamma=d.gamma[1:]) if d.gamma else None,
    "drop premise": lambda d: replace(d, premises=d.premises[1:]) if d.premises else None,
    "extra premise": lambda d: replace(d, premises=d.premises + d.premises[:1] or (
        Derivation("Lit", (), (), _LIT, ((REAL,), ())),)),
}


def corruptions(d: Derivation, seen: Counter | None, root_only: bool = False
                ) -> Iterator[tuple[str, Derivation]]:
    """Every corruption of every node of d (of its root only, when root_only): (what,
    the corrupted derivation)."""
    for q, path in nodes(d):
        if root_only and path:
            break
        for name, how in CORRUPTIONS.items():
            bad = corrupt_at(d, path, how)
            if bad is not None:
                if seen is not None:
                    seen[(q.rule, name)] += 1
                yield f"{q.rule} corrupted by {name} at {list(path)}", bad


@deep
def check_corruptions(p: Program, seen: Counter | None = None) -> list[str]:
    """(A13×) the accepted corruptions of p's derivations (p well typed): every node of
    every Def derivation, and the root of the Expr derivation of the last body (its
    premise is the Def's body derivation, already corrupted node by node)."""
    ds = derive_program(p)
    check_program_derivation(p, ds)
    out = []
    for i, d in enumerate(ds):
        for what, bad in corruptions(d, seen):
            if accepts(lambda: check_program_derivation(p, ds[:i] + (bad,) + ds[i + 1:])):
                out.append(f"{what} of {p.funcs[i].name} is accepted")
    f, sigma = list(sigmas(p))[-1]
    nl, lin = dict(f.nl_params), dict(f.lin_params)
    d = derive_expr(f.body, nl, lin, sigma)
    check_expr_derivation(d, f.body, nl, lin, sigma)
    for what, bad in corruptions(d, seen, root_only=True):
        if accepts(lambda: check_expr_derivation(bad, f.body, nl, lin, sigma)):
            out.append(f"{what} of the Expr derivation of {f.name} is accepted")
    return out


@pytest.mark.parametrize("name,program", list(corpus_programs(4)), ids=lambda x: str(x)[:30])
def test_corpus_corruptions(name: str, program: Program) -> None:
    failures = check_corruptions(program)
    assert not failures, failures[0]


def _always_empty(r: la_rules.Rule) -> tuple[bool, bool]:
    """(Γ, Δ) of the rule's conclusion are `·` in every instance (read off the registry)."""
    gamma, _, rest = r.conclusion.partition(" ; ")
    return gamma == la_rules.EMPTY, rest.startswith(la_rules.EMPTY + " ")


def applicable(r: la_rules.Rule) -> set[str]:
    """The corruptions that apply to some instance of r."""
    no_gamma, no_delta = _always_empty(r)
    out = set(CORRUPTIONS)
    if no_gamma:
        out.remove("forget Γ")
    if no_delta:
        out -= {"forget Δ", "contract Δ"}
    if not r.premises:
        out.remove("drop premise")
    return out


# Every constructor; the contexts that small generated programs rarely give some rules
# (a non-linear variable under `let ltup`, in a `+.`, in a `dup`); and a linear variable
# bound inside a non-linear subterm (allowed: its Δ is empty from outside), which the
# generators never draw.
WITNESS = parse_program("""
def g(x: real; y: real) -> (real; real) =
  (x; y)

def f(x: real, p: (real, real); a: real, q: (real, real)) -> (real; real) =
  let tup(u, v) = p in
  let ltup(b, c) = q in
  let (w; d) = g(u; b) in
  let (; e, e2) = dup(v *. c) in
  let (;) = drop(tup(x)) in
  let (;) = drop(ltup(e2)) in
  let (z;) = sin(let (; k) = zero in let (;) = drop(k) in w) * 2.0 in
  let (; s) = x *. d +. e +. a +. zero in
  (z; s)
""")
SMALL = st.one_of(mixed_programs(max_funcs=2, fuel=3), linear_programs(max_funcs=2, fuel=3),
                  nonlinear_programs(max_funcs=2, fuel=3))


def test_witness() -> None:
    failures = check_verdicts(WITNESS)
    assert not failures, failures[0]


def _hole_witness() -> Program:
    """def f(x: real, p: (real, real); a: real) -> (real; real) =
         let (z; b) = ?h[x, p; a] in (z; b)  — the metavariable's axiom (issue 11)."""
    tt = TupT((REAL, REAL))
    hole = Hole("h", (("x", REAL), ("p", tt)), (("a", REAL),), (REAL,), (REAL,))
    body = Let(("z",), ("b",), hole, Ret(("z",), ("b",)))
    return Program((FunDef("f", (("x", REAL), ("p", tt)), (("a", REAL),), (REAL,), (REAL,), body),))


HOLE_WITNESS = _hole_witness()


def test_every_rule_meets_every_corruption() -> None:
    """Every corruption of the witness's and of fuzzed small programs' derivations is
    rejected, and every registry rule met every corruption that applies to it."""
    seen: Counter = Counter()
    for witness in (WITNESS, HOLE_WITNESS):
        failures = check_corruptions(witness, seen)
        assert not failures, failures[0]

    @given(SMALL)
    def run(g) -> None:
        failures = check_corruptions(g.program, seen)
        assert not failures, failures[0]
    run()
    missing = [(r.name, c) for r in la_rules.RULES for c in sorted(applicable(r))
               if not seen[(r.name, c)]]
    assert not missing, missing


def test_independent_of_the_type_checker() -> None:
    """Importing the derivations and their checker loads no type checker module."""
    code = ("import sys, checkers.la_derivation_checker; "
            "print([m for m in sys.modules if m.endswith('typecheck')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True)
    assert out.stdout.strip() == "[]", out.stdout
