"""The E4 and E5 checkers catch deliberately broken λLL AD rules.

A checker that cannot fail proves nothing.  Each mutant is the real transformation with
one rule broken by a monkeypatch (undone after the test); the checker must report the
failure in the component that the theorem assigns to it — not merely raise somewhere:

    mutant         broken rule                                 caught by
    recompute      T_LL: the backpropagator re-evaluates the       E5 (d) work bound
                   forward pass's `let !u = !t` bindings instead
                   of capturing them (types, linearity and values
                   stay correct)
    sin_minus_cos  F: ∂ sin(x) = −cos(x) (PARTIALS patched only    E4 (b) values and E5 (c)
                   while F runs; J keeps the true rule)            values, with a
                                                                   counterexample; E4 (c)
                                                                   work where the signs
                                                                   cancel (chain_10)
    forgets_dup    F: every use of a variable takes the same       E4 (a) λLL typing
                   tangent copy (one dup output used twice, the    (LinearityError)
                   other never)

The control test runs both checkers with the correct rules on the same programs.
"""

from __future__ import annotations

import pytest

from calculus import grad_ll
from calculus.ad import TangentPool
from calculus.lambda_ll import reverse
from calculus.lambda_ll.forward import forward_program
from calculus.lambda_ll.syntax import LetBang, Program as LLProgram, Promote, Unit
from calculus.errors import LinearityError
from calculus.loader import corpus_programs
from calculus.primitives import PARTIALS, App, Arg, Op
from test_E4_forward_commutes import check_e4
from test_E5_unzip_optional import check_e5

PROGRAMS = {n: p for n, p in corpus_programs(10)
            if n in ("square", "sincos", "sin2cos2", "xy_sin", "lighthouse", "chain_10", "matvec")}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_control(name):
    """The correct rules pass both checkers on the programs the mutants break."""
    assert check_e4(PROGRAMS[name], name).ok
    assert check_e5(PROGRAMS[name], name).ok


# --- recompute: T_LL's backpropagator recomputes instead of capturing ------------------------


def _recomputed(wrap: reverse.Wrap) -> bool:
    """A forward-pass binder `let !u = !t`: non-linear, so copying it is well-typed."""
    t = wrap(Unit())
    return isinstance(t, LetBang) and isinstance(t.bound, Promote)


@pytest.fixture
def recompute(monkeypatch):
    transpose = reverse.Transposer.program

    def program(self, result, c):
        transpose(self, result, c)
        # the backward body is wrapped in copies of the forward `let !u = !t` bindings
        self.binds[:0] = [w for w in self.f.forward if _recomputed(w)]
    monkeypatch.setattr(reverse.Transposer, "program", program)


@pytest.mark.parametrize("name", ["square", "lighthouse", "chain_10", "matvec"])
def test_recompute_breaks_the_work_bound(recompute, name):
    report = check_e5(PROGRAMS[name], name)
    assert report.type_error is None and report.linearity_error is None and report.values
    assert not report.work_ok
    assert all(report.workload[m] > report.w_tuj[m] for m in report.w_tuj), str(report)


# --- sin_minus_cos: F's rule for sin uses −cos -----------------------------------------------


def forward_with_sin_minus_cos(p: LLProgram) -> LLProgram:
    """F with ∂ sin(x) = −cos(x), the table patched only while F runs."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(PARTIALS, Op.SIN, (App(Op.NEG, (App(Op.COS, (Arg(0),)),)),))
        return forward_program(p)


@pytest.mark.parametrize("name", ["sincos", "sin2cos2", "xy_sin", "lighthouse"])
def test_sin_minus_cos_gives_a_counterexample(name):
    report = check_e4(PROGRAMS[name], name, forward=forward_with_sin_minus_cos)
    assert report.type_error is None
    assert not report.values and report.values.method == "refuted", str(report)
    assert report.values.counterexample


def test_sin_minus_cos_gives_a_gradient_counterexample(monkeypatch):
    monkeypatch.setattr(grad_ll, "forward_program", forward_with_sin_minus_cos)
    report = check_e5(PROGRAMS["sincos"], "sincos")
    assert report.type_error is None and report.linearity_error is None
    assert not report.values and report.values.method == "refuted", str(report)


def test_sin_minus_cos_on_an_even_chain_is_caught_by_work():
    """sin∘…∘sin ten times: the ten sign flips cancel, so the values agree — a true
    non-counterexample — but each −cos costs one more `neg` than J's cos."""
    report = check_e4(PROGRAMS["chain_10"], "chain_10", forward=forward_with_sin_minus_cos)
    assert report.type_error is None and report.values
    assert all(f == j + 10 for j, f in report.work.values()), str(report)


# --- forgets_dup: F reuses a tangent copy ----------------------------------------------------


def forward_forgetting_dup(p: LLProgram) -> LLProgram:
    """F where every use of v takes the same copy of v̇ (the kernel's tangent pool peeks
    instead of popping), patched only while F runs; J keeps the true pool."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(TangentPool, "take", lambda self, v: self.copies[v][-1])
        return forward_program(p)


@pytest.mark.parametrize("name", ["square", "sincos", "lighthouse"])
def test_forgets_dup_is_rejected_by_typing(name):
    report = check_e4(PROGRAMS[name], name, forward=forward_forgetting_dup)
    err = report.type_error
    assert isinstance(err, LinearityError), str(report)
    assert err.kind == "linear-used-twice" and "'d" in err.var
