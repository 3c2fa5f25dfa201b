"""The typing rules of Linear A as data: the judgement  Γ ; Δ ⊢ e : (τ̄ ; σ̄)  (SPEC §2.2),
one `Rule` per rule that `calculus/linear_a/typecheck.py` implements, named exactly by
the `rule` field of the errors it raises (tests/test_rules_registry.py keeps the two in
step; paper_figures/rules_figure.py typesets `RULES` as figure F2).

Reading the rules (the checker's algorithm, stated declaratively):
  Γ   non-linear, contraction but no weakening: an axiom's Γ holds exactly the variables
      it uses, premises' Γs join by union (Γ1 ∪ Γ2, contraction), and a binder's premise
      `Γ, x̄:τ̄` therefore requires every x̄ to be used (or discarded with `drop`).
  Δ   linear, exact: premises' Δs are disjoint (Δ1, Δ2), no contraction, no weakening.
  Σ   the signatures of the earlier definitions (read by Call, extended by Def).
  ⊩   `check_expr`: an open expression against declared contexts Γ, Δ.
A premise `Γ ; · ⊢ …` of a non-linear position (Prim's arguments, LScale's scalar, LDiv's
divisor) has an empty Δ: its expression may bind linear variables of its own, but none
from outside.

Every string is LaTeX math (amsmath + amssymb) that matplotlib's mathtext also typesets.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    """One inference rule, typeset as  premises / conclusion  (name)  side."""

    name: str  # the checker's rule name (the `rule` field of its errors)
    premises: tuple[str, ...]  # LaTeX math, one judgement each
    conclusion: str  # LaTeX math
    side: str = ""  # side condition, LaTeX math ("" when none)
    label: str = ""  # LaTeX math of the name, when `\mathrm{name}` does not do

    @property
    def tex_label(self) -> str:
        return self.label or rf"\mathrm{{{self.name}}}"


# --- notation (shared by the rules below) ------------------------------------------------

REAL = r"\mathbf{real}"
XS, YS, TS, SS = r"\bar{x}", r"\bar{y}", r"\bar{\tau}", r"\bar{\sigma}"
TS2, SS2 = r"\bar{\tau}'", r"\bar{\sigma}'"
EMPTY = r"\cdot"


def kw(word: str) -> str:
    """A keyword of the concrete syntax."""
    return rf"\mathsf{{{word}}}"


def res(nl: str, lin: str) -> str:
    """The result type (τ̄ ; σ̄); an empty side prints as a thin space."""
    thin = r"\,"
    return f"({nl or thin} ; {lin or thin})"


def judge(gamma: str, delta: str, e: str, ty: str, turnstile: str = r"\vdash") -> str:
    return rf"{gamma} ; {delta} {turnstile} {e} : {ty}"


def ctx(names: str, types: str) -> str:
    return f"{names}{{:}}{types}"


def let(pattern: str, bound: str, body: str) -> str:
    return rf"{kw('let')}\ {pattern} = {bound}\ {kw('in')}\ {body}"


_SIG = rf"{res(TS, SS)} \to {res(TS2, SS2)}"
_OUT = res(TS2, SS2)
_DISTINCT = r"\mathrm{distinct}"

RULES: tuple[Rule, ...] = (
    Rule("Ret", (), judge(ctx(XS, TS), ctx(YS, SS), rf"({XS} ; {YS})", res(TS, SS)),
         rf"{YS}\ {_DISTINCT}"),
    Rule("Let",
         (judge(r"\Gamma_1", r"\Delta_1", "e_1", res(TS, SS)),
          judge(rf"\Gamma_2, {ctx(XS, TS)}", rf"\Delta_2, {ctx(YS, SS)}", "e_2", _OUT)),
         judge(r"\Gamma_1 \cup \Gamma_2", r"\Delta_1, \Delta_2",
               let(f"({XS} ; {YS})", "e_1", "e_2"), _OUT),
         rf"{XS}, {YS}\ {_DISTINCT}"),
    Rule("UnpackTup", (judge(rf"\Gamma, {ctx(XS, TS)}", r"\Delta", "e", _OUT),),
         judge(rf"\Gamma \cup \{{{ctx('t', f'({TS})')}\}}", r"\Delta",
               let(rf"{kw('tup')}({XS})", "t", "e"), _OUT),
         rf"{XS}\ {_DISTINCT}"),
    Rule("UnpackLtup", (judge(r"\Gamma", rf"\Delta, {ctx(YS, SS)}", "e", _OUT),),
         judge(r"\Gamma", rf"\Delta, {ctx('t', f'({SS})')}",
               let(rf"{kw('ltup')}({YS})", "t", "e"), _OUT),
         rf"{YS}\ {_DISTINCT}"),
    Rule("Call", (), judge(ctx(XS, TS), ctx(YS, SS), rf"f({XS} ; {YS})", _OUT),
         rf"f : {_SIG} \in \Sigma;\ {YS}\ {_DISTINCT}"),
    Rule("Var", (), judge(ctx("x", r"\tau"), EMPTY, "x", res(r"\tau", ""))),
    Rule("Lit", (), judge(EMPTY, EMPTY, "r", res(REAL, ""))),
    Rule("Tup", (), judge(ctx(XS, TS), EMPTY, rf"{kw('tup')}({XS})", res(f"({TS})", ""))),
    Rule("Prim", (judge(r"\Gamma_i", EMPTY, "e_i", res(REAL, "")),),
         judge(r"\Gamma_1 \cup \cdots \cup \Gamma_n", EMPTY,
               r"\mathit{op}(e_1, \ldots, e_n)", res(REAL, "")),
         r"1 \leq i \leq n = \mathrm{arity}(\mathit{op})"),
    Rule("LVar", (), judge(EMPTY, ctx("y", r"\sigma"), "y", res("", r"\sigma"))),
    Rule("LTup", (), judge(EMPTY, ctx(YS, SS), rf"{kw('ltup')}({YS})", res("", f"({SS})")),
         rf"{YS}\ {_DISTINCT}"),
    Rule("LAdd",
         (judge(r"\Gamma_1", r"\Delta_1", "e_1", res("", r"\sigma")),
          judge(r"\Gamma_2", r"\Delta_2", "e_2", res("", r"\sigma"))),
         judge(r"\Gamma_1 \cup \Gamma_2", r"\Delta_1, \Delta_2", "e_1 +. e_2",
               res("", r"\sigma"))),
    Rule("LScale",
         (judge(r"\Gamma_1", EMPTY, "e_1", res(REAL, "")),
          judge(r"\Gamma_2", r"\Delta", "e_2", res("", r"\sigma"))),
         judge(r"\Gamma_1 \cup \Gamma_2", r"\Delta", "e_1 *. e_2", res("", r"\sigma"))),
    Rule("LDiv",
         (judge(r"\Gamma_1", r"\Delta", "e_1", res("", r"\sigma")),
          judge(r"\Gamma_2", EMPTY, "e_2", res(REAL, ""))),
         judge(r"\Gamma_1 \cup \Gamma_2", r"\Delta", "e_1 /. e_2", res("", r"\sigma"))),
    Rule("Zero", (), judge(EMPTY, EMPTY, rf"{kw('zero')}[\sigma]", res("", r"\sigma"))),
    Rule("Dup", (judge(r"\Gamma", r"\Delta", "e", res("", r"\sigma")),),
         judge(r"\Gamma", r"\Delta", rf"{kw('dup')}(e)", res("", r"\sigma, \sigma"))),
    Rule("Drop", (judge(r"\Gamma", r"\Delta", "e", res(TS, SS)),),
         judge(r"\Gamma", r"\Delta", rf"{kw('drop')}(e)", res("", ""))),
    Rule("Hole", (), judge(ctx(XS, TS), ctx(YS, SS), rf"?h[{XS} ; {YS}]", _OUT),
         r"h\ \mathrm{a\ metavariable\ (axiom)}"),
    Rule("Def", (judge(ctx(XS, TS), ctx(YS, SS), "e", _OUT),),
         rf"\Sigma \vdash {kw('def')}\ f({ctx(XS, TS)} ; {ctx(YS, SS)}) \to {_OUT} = e "
         rf"\dashv \Sigma, f : {_SIG}",
         rf"f \notin \mathrm{{dom}}\,\Sigma;\ {XS}, {YS}\ {_DISTINCT}"),
    Rule("Expr", (judge(r"\Gamma", r"\Delta", "e", res(TS, SS)),),
         judge(r"\Gamma", r"\Delta", "e", res(TS, SS), r"\Vdash"),
         r"\mathrm{dom}\,\Gamma \cap \mathrm{dom}\,\Delta = \varnothing"),
)
