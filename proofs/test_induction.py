"""A2, A3, A4, A5, A8, A9, A11 (J), E1 by structural induction, on the real passes
(../shared/INDUCTION.md).  A6/A7 (U, per let-spine unit) are stated in
test_induction_unzip.py and E2/E4/E5 (λLL side) in test_induction_encoding.py, with their
broken-rule tests; every theorem's discharge and coverage are tested here.

For each Linear A constructor C (the list is `EXPR_CLASSES`, read by introspection;
`Prim` once per primitive) the schematic instance C(H₁, …, Hₖ) of
`checkers.induction.schemas` is run through the real pass, and one obligation is
discharged per theorem and case:

  A3  Γ ⊢ C(H̄) : (τ̄;)  ⟹  Γ ; Γ̇ ⊢ J(C(H̄)) : (τ̄ ; τ̄): the real checker accepts
      J(C(H̄)) given only the axioms of the holes ?hᵢ.jvp (the IH), at J's judgement
      computed from the source signature.
  E1  Γ ; Δ ⊢ C(H̄) : R  ⟹  Γ° ; Δ• ⊢ ⟦C(H̄)⟧ : R°•, every constructor (non-linear
      and linear variants), given the axioms of ⟦?hᵢ⟧.
  A4  holes mean undefined sympy functions h(ā) (partials h_dj by `fdiff`), ?h.jvp means
      (h(ā), Σⱼ h_dj(ā)·ȧⱼ) (the IH); value(J(C(H̄))) − (value(C(H̄)), Σᵢ ∂value/∂xᵢ·ẋᵢ)
      reduces to the literal 0 (sympy's chain rule, not our PARTIALS table); every side
      condition met in J(C(H̄)) follows from the source's (derived, not assumed).

  A5  (arithmetic model) W(J f) ≤ Σ_op c_op·n_op(f) with the constants *stated* in
      `checkers.induction.A5_STATED` (d_J = 0): holes' work and op counts are integer
      symbols, the IH W(?h.jvp) ≤ Σ c_op·n_op(h), and IH ∧ ¬bound must be z3 `unsat`.
      Each c_op is tight (a one-primitive program meets it).
  A5.sym  (symmetric model) the same c_op, d = 2, proved in the generalised form
      W_sym(J f) + p·‖x̄‖ ≤ Σ c_op·n_op(f) + d·(‖f‖ − ‖x̄‖), p = 1 (‖x̄‖: reals of f's
      parameters; it implies A5's W_sym(J f) ≤ Σ c_op·n_op(f) + d·‖f‖).  The IH of a
      cost theorem is its statement on a hole's *closed function* (`hole_fun`: one
      parameter per listed occurrence, so J adds no dups around it; sound by strong
      induction, ?h being a proper subterm); the p·‖x̄‖ slack each occurrence keeps
      pays for the dup chain at its binder.  d is tight (chain-drop-fanout's link
      costs exactly d·Δ‖f‖ + Σ c_op·Δn_op); the c_op are not individually tight in
      this model (d·‖f‖ absorbs one unit of each).
  A11.J  ‖J f‖ + p·‖x̄‖ ≤ c_J·(‖f‖ − ‖x̄‖) + Σ_op e_op·n_op(f), c_J = 20 (tight:
      chain-cos/chain-log links grow ‖J f‖ by exactly 20·Δ‖f‖), p = 19 (the
      generalisation; 18 and 20 do not close every case), e_op = 1 for tanh and x^k with
      k ∉ {0, 1, 2} (a 5-node partial; needed: tests/test_prims.py), 0 otherwise.  A11 for T with c_T = 5 is *refuted* by the Zero step
      (‖zero[σ]‖ = 1 while T(zero[σ]) drops a cotangent of ‖σ‖ reals; concrete programs
      in test_a11_t_with_the_stated_constant_is_refuted); A11 for U is proved in local
      form (A11.U.raw, A11.U.split, A11.U: test_A11_size.py), and the fitted-constant
      checks of all cost theorems stay instance checks.
  A8  on `t_schemas` (linear functions f(x̄ ; ȳ) -> (; σ̄), T's fragment): a linear
      hole means M_h(x̄)·ȳ with M_h a matrix of undefined functions, ?h.T means
      M_h(x̄)ᵀ·c̄ (the IH); ⟨c, f(x̄; ẏ)⟩ − ⟨f.T(x̄; c), ẏ⟩ reduces to the literal 0, and
      T(C(H̄)) type-checks given the holes' axioms.
  A9  W_sym(T(C(H̄))) ≤ W_sym(C(H̄)) on T's instances plus a wide drop, holes' work
      integer symbols, IH W_sym(?h.T) ≤ W_sym(?h): z3 `unsat` of IH ∧ ¬bound.  Generalised
      IH (the drop rule needs it: T replaces drop(e) by zeros for e's free linear
      variables): every hole also satisfies the lemma A9.lemma, max(0, ‖Δ‖ − ‖σ̄‖) ≤
      W_sym(e), itself proved per constructor.  The arithmetic half of A9 (excess ≤
      dup_reals) stays instance-checked (test_A9_transpose_work.py).
  A2  (A2b, on the same instances) f(x̄; αu+βv) − α·f(x̄; u) − β·f(x̄; v) ≡ 0.  A2a
      (non-linear results ignore Δ) and A2b for mixed functions stay instance-checked
      (test_A2_linearity.py).

For A2/A8 the non-linear constructors (Var, Lit, Tup, Prim) are outside the fragment
(T rejects a function with non-linear results); inside a linear program they occur
only as the bound of a non-linear let, which the case `Let (non-linear)` covers with
a hole standing for any non-linear expression.
J's theorems (A3, A4) are stated for the non-linear fragment: their linear cases
are discharged by the real J *rejecting* them (`OutOfFragment`, method `fragment`).
Generalised statement (J's tangent pool): a subterm using x n times receives n tangent
copies from the dup chain that J emits at x's binder, so the IH is stated for a hole
that lists a parameter n times (`?h[x, x, y]` gets copies ẋ.1, ẋ.3: J's judgement with
a multiset Γ̇); the cases are proved for n = 1 and, as `<C> (repeated uses)`, n = 2,
with the binder's chain then 3–4 copies long.  What stays instance-checked (the
existing A3/A4/E1 modules): chains for n > 2 uses inside one hole (the chain is a
fold of one `dup` per extra use, proved here for lengths up to 4), and that the rules
never look inside a subterm beyond its judgement (the holes' interface).
"""

from __future__ import annotations

import pytest

from calculus import ad
from calculus.ad import DUALITIES, Lin
from calculus.linear_a import evaluate
from calculus.cost_models import MODELS, CostModel
from calculus.linear_a.jvp import jvp_name, jvp_program
from calculus.linear_a.parse import parse_program
from calculus.linear_a.work import work
from calculus.primitives import OPS, PARTIALS, PRIMS, App, Arg, Op
from checkers.induction import (A5_STATED, A5_SYM, A11_STATED, A11_T, THEOREMS, Obligation,
                                cases, coverage, obligations, schemas)
from checkers.measure import transformed, transpose_measures
from checkers.schematic import chain_programs

RESULTS: dict[str, list[Obligation]] = {}
LINEAR_ONLY = {"UnpackLtup", "LVar", "LTup", "LAdd", "LScale", "LDiv", "Zero", "Dup"}  # outside J's
NONLINEAR_ONLY = {"Var", "Lit", "Tup"} | {f"Prim {op.value}" for op in OPS}  # outside T's


def failing(theorem: str) -> tuple[set[str], str]:
    """The cases of `theorem` (re-discharged now) whose obligations are not all proved,
    and the failures' details."""
    obls = obligations(theorem)
    row = coverage(obls)[theorem]
    return ({c for c, status in row.items() if status not in ("proved", "excluded")},
            " | ".join(o.detail for o in obls if o.status != "proved"))


def results(theorem: str) -> list[Obligation]:
    if theorem not in RESULTS:
        RESULTS[theorem] = obligations(theorem)
    return RESULTS[theorem]


@pytest.mark.parametrize("theorem", sorted(THEOREMS))
def test_every_obligation_is_discharged_and_every_constructor_covered(theorem):
    """Every obligation is proved; coverage: a constructor of `EXPR_CLASSES` (or a
    primitive) without a proved case fails the suite.  (One test per theorem, so that the
    obligations are discharged once even when pytest-xdist spreads the tests.)"""
    bad = [(o.constructor, o.status, o.detail) for o in results(theorem) if o.status != "proved"]
    assert bad == []
    row = coverage(results(theorem))[theorem]
    assert set(row) == set(THEOREMS[theorem].cases())
    if THEOREMS[theorem].composes:  # its cases are those of the theorems it composes
        assert set(row.values()) == {"composed"} and set(THEOREMS[theorem].composes) <= set(THEOREMS)
        return
    assert {c: s for c, s in row.items() if s not in ("proved", "excluded")} == {}
    excluded = {c for c, s in row.items() if s == "excluded"}
    expected = {"A3": LINEAR_ONLY, "A4": LINEAR_ONLY, "A5": LINEAR_ONLY, "E1": set(),
                "A5.sym": LINEAR_ONLY, "A11.J": LINEAR_ONLY,
                "A2": NONLINEAR_ONLY, "A8": NONLINEAR_ONLY, "A9": NONLINEAR_ONLY,
                "A9.lemma": set(), "E2": set(), "E3": set(), "E4": LINEAR_ONLY,
                "E5": LINEAR_ONLY, "A6": set(), "A7": set(), "A7.E": set(),
                "A11.U.raw": set(), "A11.U.split": set(),
                "W.nonlin": LINEAR_ONLY, "W.models": set(), "A1": set(), "L1": set(), "L3": set(),
                "X1": set(), "X2": set()}
    assert excluded == expected[theorem]


def test_cases_come_from_the_syntax_module():
    from calculus.linear_a import syntax
    names = {c.__name__ for c in syntax.EXPR_CLASSES}
    assert {c.split(" ")[0] for c in cases()} == names
    assert {c for c in cases() if c.startswith("Prim ")} == {f"Prim {op.value}" for op in OPS}


def test_a_missing_case_is_reported():
    obls = [o for o in results("A3") if not o.constructor.startswith("Tup")]
    assert coverage(obls)["A3"]["Tup"] == "missing"


def test_the_a4_obligations_are_real_identities():
    """The sin case's tangent is cos(h1)·(Σ ∂h1·ẋ): sympy's derivative, checked."""
    (sin,) = [o for o in results("A4") if o.constructor == "Prim sin"]
    assert "cos(h1(x, y))" in sin.query and "h1_d1" in sin.query and sin.method == "sympy"


# --- broken rules fail their induction step --------------------------------------------------


def test_minus_cos_fails_the_a4_prim_sin_step(monkeypatch):
    monkeypatch.setitem(PARTIALS, Op.SIN, (App(Op.NEG, (App(Op.COS, (Arg(0),)),)),))
    assert failing("A4")[0] == {"Prim sin"}


def test_a_side_condition_not_derived_from_the_source_fails_a4(monkeypatch):
    """d sin x = (cos x · x) / x: the right value where x ≠ 0, but the division adds a
    side condition the source sin(h1) does not have."""
    x = Arg(0)
    monkeypatch.setitem(PARTIALS, Op.SIN, (App(Op.DIV, (App(Op.MUL, (App(Op.COS, (x,)), x)), x)),))
    cases, why = failing("A4")
    assert cases == {"Prim sin"} and "side conditions" in why


def test_a_tangent_reused_without_dup_fails_an_a3_step(monkeypatch):
    def no_dup(self, x, dx, n, base):
        self.copies[x] = [dx] * n  # every use gets ẋ itself: no dup chain
        return []
    monkeypatch.setattr(ad.TangentPool, "plan", no_dup)
    cases, why = failing("A3")
    assert {"Let", "Prim mul"} <= cases and "has already been used" in why


def test_a_wrong_j_judgement_fails_a3(monkeypatch):
    """J dropping a tangent parameter's type: caught by the judgement comparison."""
    from calculus.linear_a import jvp
    real = jvp.jvp_fun

    def bad(f):
        g = real(f)
        return g.__class__(g.name, g.nl_params, g.lin_params, g.nl_results, g.nl_results[:0],
                           g.body, g.pos)
    monkeypatch.setattr(jvp, "jvp_fun", bad)
    assert failing("A3")[0]


def test_exceeding_the_budget_is_unknown_not_proved():
    from checkers.induction import Budget, discharge

    def slow():
        while True:
            pass
    o = discharge("T", "linear_a", "Var", "", "sympy", slow, Budget(seconds=0.2))
    assert o.status == "unknown" and o.detail.startswith("BudgetExceeded")


def test_dup_transposed_to_dup_fails_the_a8_dup_step(monkeypatch):
    """T(dup(a), (c1, c2)) continues with one copy of c1 and drops c2 (well typed)."""
    def dup_to_dup(b, cts, ty):
        c, spare = b.dup(cts[0], ty)
        b.drop(spare, ty)
        b.drop(cts[1], ty)
        return (c,)
    monkeypatch.setitem(DUALITIES, Lin.DUP, dup_to_dup)
    cases, why = failing("A8")
    assert cases == {"Dup"} and "adjoint" in why


def test_dup_transposed_to_dup_ill_typed_fails_a8(monkeypatch):
    monkeypatch.setitem(DUALITIES, Lin.DUP, lambda b, cts, ty: (b.dup(cts[0], ty)[0],))
    cases, why = failing("A8")
    assert cases == {"Dup"} and "LinearityError" in why


def test_linear_add_that_multiplies_fails_the_a2_ladd_step(monkeypatch):
    monkeypatch.setattr(evaluate, "vadd", lambda a, b, num: num.mul(a, b))
    assert "LAdd" in failing("A2")[0]


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.value)
def test_each_stated_a5_constant_is_tight(op):
    """W(J f) = c_op for f = op(x̄): a smaller constant would fail this program."""
    args = ", ".join(["x", "y"][:PRIMS[op].arity])
    call = f"{PRIMS[op].symbol}({args})" if not PRIMS[op].infix else \
        ("-x" if op is Op.NEG else f"x {PRIMS[op].symbol} y")
    p = parse_program(f"def f(x: real, y: real) -> (real;) = let (;) = drop((x, y;)) in {call}")
    jp = jvp_program(p, "f")
    assert work(jp, jvp_name("f"), MODELS["arithmetic"]) == A5_STATED[op]


def test_exp_computed_twice_fails_the_a5_prim_exp_step(monkeypatch):
    monkeypatch.setitem(PARTIALS, Op.EXP, (App(Op.EXP, (Arg(0),)),))  # d exp x = exp(x) again
    cases, why = failing("A5")
    assert cases == {"Prim exp"} and "exceeds the stated bound" in why


def test_transpose_extra_zero_fails_the_a9_lvar_step(monkeypatch):
    """T of y gives c +. zero[σ_y]: still the adjoint, but the zero is unpaid work."""
    monkeypatch.setitem(DUALITIES, Lin.VAR, lambda b, cts, y: (b.add(cts[0], b.zero(b.lin_types[y]), None),))
    cases, why = failing("A9")
    assert "LVar" in cases and "exceeds the stated bound" in why


def test_a9_needs_its_lemma(monkeypatch):
    """Without W_sym(?h) ≥ ‖Δ_h‖ − ‖σ̄_h‖ in the IH, T's zeros for a wide drop are unpaid:
    the generalised IH is necessary, not decoration."""
    from checkers import induction
    monkeypatch.setattr(induction, "_w_sym_lemma",
                        lambda holes, w: [w[h] >= 0 for h in holes])
    assert failing("A9")[0] == {"Drop"}


def test_free_drop_fails_the_a9_lemma(monkeypatch):
    """A symmetric model where drop is free breaks the lemma at its Drop step."""
    monkeypatch.setitem(MODELS, "symmetric", CostModel("symmetric", 1, 0, 1))
    assert "Drop" in failing("A9.lemma")[0]


def _marginal(chain: str) -> tuple:
    """(Δ measures of f, Δ measures of J f) between two depths of a schematic chain: the
    cost of one more link, which a bound's constants must cover at every depth."""
    lo, hi = {n: (lo, hi) for n, lo, hi in chain_programs("nonlinear")}[chain]
    a, b = transformed(lo, "f"), transformed(hi, "f")
    dops = sum(A5_STATED[op] * (b.f.ops.get(op, 0) - a.f.ops.get(op, 0)) for op in OPS)
    return (dops, b.f.struct - a.f.struct,
            b.j.work["symmetric"] - a.j.work["symmetric"], b.j.struct - a.j.struct)


def test_the_symmetric_a5_constant_d_is_tight():
    """drop-fanout: one more link costs exactly Σ c_op·Δn_op + d·Δ‖f‖, so with d − 1 the
    bound fails on a long enough chain."""
    dops, dsize, dwork, _ = _marginal("chain-drop-fanout")
    assert dsize > 0 and dwork == dops + A5_SYM["d"] * dsize


def test_the_a11_constant_c_j_is_tight():
    """One more cos link grows ‖J f‖ by exactly c_J·Δ‖f‖ (a log link did too, before its
    tangent became one linear division)."""
    _, dsize, _, dj = _marginal("chain-cos")
    assert dsize > 0 and dj == A11_STATED["J"]["c"] * dsize


@pytest.mark.parametrize("theorem", ["A5", "A5.sym", "A11.J"])
def test_no_sharing_fails_the_cost_steps_of_partials_that_read_arguments(no_sharing, theorem):
    """J without sharing (conftest): a partial re-evaluates its argument (the hole itself)
    instead of reading the bound value — still correct (A4's steps prove), but W and ‖·‖
    pay for the hole twice, which no stated constant covers."""
    reads = {f"Prim {op}" for op in ("mul", "div", "sin", "cos", "log", "powi[2]", "powi[3]",
                                     "powi[-1]", "powi[-2]")}
    assert failing(theorem)[0] == reads
    if theorem == "A5":
        assert failing("A4")[0] == set()


def test_a11_t_with_the_stated_constant_is_refuted():
    """‖zero[σ]‖ = 1 whatever σ, while T(zero[σ]) drops a cotangent of ‖σ‖ reals: the
    induction step for Zero is `sat`, and the concrete programs confirm the ratio grows
    without bound.  A11 (T) is therefore not claimed (README: Not mechanised)."""
    (zero,) = [s for s in schemas() if s.constructor == "Zero"]
    from checkers.induction import discharge
    o = discharge("A11.T", "linear_a", "Zero", "", "z3", A11_T(zero))
    assert o.status == "failed" and "exceeds the stated bound" in o.detail
    ratios = []
    for n in (2, 6, 12):
        t = "(" + ", ".join(["real"] * n) + ")"
        f, ft, _ = transpose_measures(parse_program(f"def f() -> (; {t}) = zero[{t}]"), "f")
        ratios.append(ft.struct / f.struct)
    assert ratios == sorted(ratios) and ratios[-1] > A11_STATED["T"]["c"] * 4
