"""The typing rules of λLL as data: the DILL judgement  Γ ; Δ ⊢ t : A  (SPEC §3.1,
Barber 1996), one `Rule` per value of `curry_howard.Rule` — the rules that
`typecheck.py` implements, `curry_howard.derive` records and the independent
`checkers/proof_checker.py` verifies (tests/test_rules_registry.py keeps all four in
step; paper_figures/rules_figure.py typesets `RULES` as figure F2).

  Γ   intuitionistic: shared by all premises (weakening and contraction are admissible:
      axioms carry an arbitrary Γ).
  Δ   linear, exact: premises split it (Δ1, Δ2); an axiom's Δ is its one hypothesis or ·.
  Γ∖x a binder hides an intuitionistic hypothesis of the same name [choice, as in
      curry_howard], so every sequent's names are unique.
  Σ   the signature (SPEC §3.2): constants are axioms, a literal r proves real.

Terms are typeset with the printer's LaTeX notation (`syntax.LATEX`), rule names with
the proof printer's (`curry_howard.proof_latex`).  Every string is LaTeX math (amsmath +
amssymb) that matplotlib's mathtext also typesets.
"""

from __future__ import annotations

from ..linear_a.rules import EMPTY, Rule
from .curry_howard import _TEX_RULES
from .curry_howard import Rule as ProofRule
from .syntax import LATEX as N

__all__ = ["RULES", "Rule"]

ONE = N.one
G, D1, D2 = r"\Gamma", r"\Delta_1", r"\Delta_2"
SPLIT = rf"{D1}, {D2}"


def judge(gamma: str, delta: str, t: str, ty: str) -> str:
    return rf"{gamma} ; {delta} \vdash {t} : {ty}"


def hyp(x: str, ty: str) -> str:
    return f"{x}{N.fun_colon}{ty}"


def let(pattern: str, bound: str, body: str) -> str:
    return f"{N.let_open}{pattern}{N.let_eq}{bound}{N.let_in}{body}"


def _rule(name: str, premises: tuple[str, ...], conclusion: str, side: str = "") -> Rule:
    """A registry entry labelled as the proof printer labels the rule."""
    return Rule(name, premises, conclusion, side, _TEX_RULES[ProofRule(name)])


RULES: tuple[Rule, ...] = (
    _rule("Ax", (), judge(G, hyp("x", "A"), "x", "A")),
    _rule("IAx", (), judge(rf"{G}, {hyp('u', 'A')}", EMPTY, "u", "A")),
    _rule("Const", (), judge(G, EMPTY, "c", "A"),
          rf"{hyp('c', 'A')} \in \Sigma\ \ ({hyp('r', N.real)})"),
    _rule("1I", (), judge(G, EMPTY, N.unit, ONE)),
    _rule("1E", (judge(G, D1, "t", ONE), judge(G, D2, "s", "C")),
          judge(G, SPLIT, let(N.unit, "t", "s"), "C")),
    _rule("⊸I", (judge(rf"{G} \setminus x", rf"\Delta, {hyp('x', 'A')}", "t", "B"),),
          judge(G, r"\Delta", f"{N.fun_open}{hyp('x', 'A')}{N.fun_arrow}t",
                f"A{N.lolli}B")),
    _rule("⊸E", (judge(G, D1, "t", f"A{N.lolli}B"), judge(G, D2, "s", "A")),
          judge(G, SPLIT, r"t\ s", "B")),
    _rule("⊗I", (judge(G, D1, "t", "A"), judge(G, D2, "s", "B")),
          judge(G, SPLIT, "(t, s)", f"A{N.tensor}B")),
    _rule("⊗E", (judge(G, D1, "t", f"A{N.tensor}B"),
                 judge(rf"{G} \setminus \{{x, y\}}", rf"{D2}, {hyp('x', 'A')}, {hyp('y', 'B')}",
                       "s", "C")),
          judge(G, SPLIT, let("(x, y)", "t", "s"), "C"), r"x \neq y"),
    _rule("!I", (judge(G, EMPTY, "t", "A"),),
          judge(G, EMPTY, f"{N.bang}t", f"{N.bang}A")),
    _rule("!E", (judge(G, D1, "t", f"{N.bang}A"),
                 judge(rf"{G} \setminus u, {hyp('u', 'A')}", D2, "s", "C")),
          judge(G, SPLIT, let(f"{N.bang}u", "t", "s"), "C")),
)
