"""The checkers of E1–E3 catch deliberately broken rules of the encoding ⟦·⟧.

A checker that cannot fail proves nothing.  Each mutant replaces one case of the real
`calculus.encoding.Encoder.e` (monkeypatched, so every recursive call goes through it):

    mutant          broken rule                                   caught by
    scale-by-one    ⟦e1 *. e2⟧ = scale !1 ⟦e2⟧  (the factor is lost)  E2 (refuted, with a
                                                                   counterexample point)
    div-as-scale    ⟦e1 /. e2⟧ = scale ⟦e2⟧ ⟦e1⟧  (multiplies by    E2 (refuted); E1 and
                    the divisor: same type and workload)           E3 still hold
    dup-shares      ⟦dup(e)⟧ = let z = ⟦e⟧ in (z, z)               E1 (⊗I splits Δ:
                    ⟦dup(e)⟧ = (⟦e⟧, ⟦e⟧)                           linear-used-twice)
    prim-times-one  ⟦op(ē)⟧ = !(mul !(op ⟦ē⟧) !1)  (one extra      E3 (workload ≠ W);
                    constant application, same value and type)     E1 and E2 still hold
    var-redex       ⟦x⟧ = let !u = !x in !u  (an administrative    E3 (steps ≠ the table)
                    let, same value, type and workload)

Each test first runs the checker with the correct encoder on the same programs and
expects no failure, so the failures come from the mutant, not from the programs.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from calculus import encoding
from calculus.errors import LinearityError
from calculus.lambda_ll import syntax as ll
from calculus.linear_a import syntax as la
from calculus.primitives import Op
from calculus.linear_a.syntax import subterms
from test_E1_encoding_typing import corpus_cases, encoding_typing_refutation
from test_E2_extensional_soundness import point, soundness_verdict
from test_E3_encoding_work import measure

ORIGINAL = encoding.Encoder.e


def _mutant(monkeypatch, cls: type, rule) -> None:
    """Replace the case of `cls` in ⟦·⟧ by rule(encoder, node)."""
    def e(self, node):
        return rule(self, node) if isinstance(node, cls) else ORIGINAL(self, node)
    monkeypatch.setattr(encoding.Encoder, "e", e)


def _scale_by_one(self, node: la.LScale) -> ll.Term:
    return ll.apply_all(ll.Const("scale", self.lin_type(node)),
                           [ll.Promote(ll.Lit(Fraction(1))), self.e(node.vec)])


def _div_as_scale(self, node: la.LDiv) -> ll.Term:
    return ll.apply_all(ll.Const("scale", self.lin_type(node)),
                        [self.e(node.divisor), self.e(node.vec)])


def _dup_let(self, node: la.Dup) -> ll.Term:
    z, ty = self.n.fresh("z"), self.lin_type(node.arg)
    return ll.App(ll.Fun(z, ty, ll.Pair(ll.Var(z), ll.Var(z))), self.e(node.arg))


def _dup_pair(self, node: la.Dup) -> ll.Term:
    return ll.Pair(self.e(node.arg), self.e(node.arg))


def _prim_times_one(self, node: la.Prim) -> ll.Term:
    return ll.Promote(ll.apply_all(ll.Const("mul"), [ORIGINAL(self, node),
                                                         ll.Promote(ll.Lit(Fraction(1)))]))


def _var_redex(self, node: la.Var) -> ll.Term:
    u = self.n.fresh("u")
    return ll.LetBang(u, ll.Promote(ll.Var(self.n(node.name))), ll.Promote(ll.Var(u)))


POLYNOMIAL = {Op.ADD, Op.SUB, Op.MUL, Op.NEG}


def _cases_with(cls: type, limit: int = 4, polynomial: bool = False):
    """Small corpus cases (N ≤ 10) whose checked functions contain a `cls` node; with
    `polynomial`, only those without transcendental primitives (quick refutations)."""
    out = []
    for c in corpus_cases(10):
        nodes = [e for f in c.program.funcs for e in subterms(f.body)]
        if polynomial and any(isinstance(e, la.Prim) and e.op not in POLYNOMIAL for e in nodes):
            continue
        if any(isinstance(e, cls) for f in c.funcs for e in subterms(c.program.get(f).body)):
            out.append(c)
    assert out, f"no corpus case has a {cls.__name__}"
    return out[:limit]


# --- E2: a lost factor ------------------------------------------------------------------------


def test_scale_by_one_is_refuted_by_E2(monkeypatch):
    cases = _cases_with(la.LScale, polynomial=True)
    funcs = [(c, f) for c in cases for f in c.funcs]
    assert all(soundness_verdict(c.program, f) for c, f in funcs)  # control
    _mutant(monkeypatch, la.LScale, _scale_by_one)
    verdicts = [soundness_verdict(c.program, f) for c, f in funcs]
    refuted = [v for v in verdicts if not v]
    assert refuted
    assert all(v.method == "refuted" and v.counterexample for v in refuted)
    # E1 and E3 do not see it: the mutant is well typed and does the same work
    assert all(encoding_typing_refutation(c.program) is None for c in cases)


def test_div_as_scale_is_refuted_by_E2(monkeypatch):
    cases = _cases_with(la.LDiv, limit=2)
    funcs = [(c, f) for c in cases for f in c.funcs]
    assert all(soundness_verdict(c.program, f) for c, f in funcs)  # control
    _mutant(monkeypatch, la.LDiv, _div_as_scale)
    verdicts = [soundness_verdict(c.program, f) for c, f in funcs]
    assert [v for v in verdicts if not v]
    assert all(v.method == "refuted" for v in verdicts if not v)
    assert all(encoding_typing_refutation(c.program) is None for c in cases)


# --- E1: sharing instead of copying ------------------------------------------------------------


@pytest.mark.parametrize("rule", [_dup_let, _dup_pair], ids=["let", "pair"])
def test_dup_sharing_is_rejected_by_E1(monkeypatch, rule):
    cases = _cases_with(la.Dup)
    assert all(encoding_typing_refutation(c.program) is None for c in cases)  # control
    _mutant(monkeypatch, la.Dup, rule)
    for c in cases:
        r = encoding_typing_refutation(c.program)
        assert r is not None, c.id
        assert isinstance(r.error, LinearityError)
        assert r.error.kind == "linear-used-twice"


# --- E3: an extra constant, an extra step -----------------------------------------------------


def _measures(cases):
    return [measure(c.program, f, point(c.program.get(f))) for c in cases for f in c.funcs]


def test_prim_times_one_is_caught_by_E3(monkeypatch):
    cases = _cases_with(la.Prim)
    assert all(m.failures == [] for m in _measures(cases))  # control
    _mutant(monkeypatch, la.Prim, _prim_times_one)
    assert all(encoding_typing_refutation(c.program) is None for c in cases)
    assert all(soundness_verdict(c.program, f) for c in cases for f in c.funcs)
    failures = [x for m in _measures(cases) for x in m.failures]
    assert {x.kind for x in failures} == {"workload"}
    assert {x.model for x in failures} == {"arithmetic", "symmetric"}
    assert all(x.got > x.want for x in failures)


def test_var_redex_is_caught_by_E3(monkeypatch):
    cases = _cases_with(la.Var)
    assert all(m.failures == [] for m in _measures(cases))  # control
    _mutant(monkeypatch, la.Var, _var_redex)
    failures = [x for m in _measures(cases) for x in m.failures]
    assert failures and {x.kind for x in failures} == {"steps"}
    assert all(x.got > x.want for x in failures)
