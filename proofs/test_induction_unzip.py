"""A6 and A7 by structural induction over let-spine units, on the real U
(../shared/INDUCTION.md: U is not a fold — it flattens let-chains and decides
checkpoints over the whole chain — so the induction unit is one binding followed by a
hole for the rest).  Obligations: `checkers.induction.a6_obligation` / `a7_obligation`
on `unit_schemas()`; discharge and coverage are tested with the other induction
theorems in test_induction.py.

Unit: for every instance C(H̄) of `schemas()` (each constructor, per primitive, its
repeated-uses and linear variants),
    f(x̄ ; ȳ, w) = let (r̄ ; s̄) = C(H̄) in ?k[r̄, x̄ ; s̄, ȳ', w] : (real ; real),
?k the rest of the chain (ȳ' the linear parameters C(H̄) leaves unused).

IH (U's, as data, `unzip_meanings`): U maps a linear hole to ?h.nonlin[x̄] : (τ̄, tape)
and ?h.lin[tape ; ȳ] with the tape typed like x̄ (`unzip.hole_tape`); the generalised
statement is that h's linear part factors through its tape: ?h means
(h(x̄) ; L_h(t_h(x̄))·ȳ), ?h.nonlin means (h(x̄), t_h(x̄)), ?h.lin means L_h(tape)·ȳ, with
h, t_h and the entries of L_h undefined sympy functions.

  A6  for every policy π ∈ {store, recompute, sin-cos}: U_π(f) type-checks given the
      holes' axioms, f.nonlin : (x̄ ;) -> (τ̄', t̄ ;) and f.lin : (t̄ ; ȳ, w) -> (; σ̄') for
      the tape t̄ U reports, and f.lin ∘ f.nonlin − f reduces to the literal 0
      componentwise; side conditions derived from the source's.
  A7  for every policy and cost model m: W_m(f.nonlin) + W_m(f.lin) = W_m(f) + E_π(f),
      E_π(f) computed from U's *output*, not from U's report: the work of the bindings
      found in both halves' spines (counted from their expressions), plus each split
      hole's own E_h, plus E(g) per call; IH W(?h.nonlin) + W(?h.lin) = W(?h) + E_h,
      E_h ≥ 0, all works integer symbols ≥ 0; z3 `unsat` of IH ∧ ¬equation.
  In A6's, A7's and A7.E's steps, every binding U put in both halves (the unit's scale
  by r0 makes f.lin read a renaming) does no work under store: W_m(b) = 0 by the real
  W for every model (`copies_compute_nothing`, z3), not assumed.

What stays instance-checked (test_A6_*, test_A7_*): whole chains (the glue of the
checkpoint decisions across many bindings, beyond one binding and a hole), the
recompute-all tape bound, and the N = 1000 members rule by rule.
"""

from __future__ import annotations

from calculus.linear_a import unzip
from calculus.linear_a.jvp import jvp_program
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import Drop, Hole, Prim, Ret
from checkers.cost_theorems import unzip_work_violations
from test_induction import failing


def test_prim_arguments_reversed_by_u_fail_the_a6_steps(monkeypatch):
    """U emitting op(b, a) for op(a, b): well typed, wrong for sub and div only."""
    real = unzip._Unzip.u

    def reversed_args(self, e):
        if isinstance(e, Prim):
            return real(self, Prim(e.op, e.args[::-1], e.pos))
        return real(self, e)
    monkeypatch.setattr(unzip._Unzip, "u", reversed_args)
    assert failing("A6")[0] == {"Prim sub", "Prim div"}


def test_a_forgotten_residual_fails_the_a6_lscale_step(monkeypatch):
    """Checkpoint leaving off the tape a stored value that the linear half needs (any
    but a parameter or a hole's own tape): f.lin has an unbound variable."""
    real = unzip.checkpoint

    def forgetful(params, bindings, results, lin, recompute):
        kept, moved, tape = real(params, bindings, results, lin, recompute)
        computed = {x for b in bindings for x in b.names
                    if not (isinstance(b.expr, Hole) and b.expr.name.endswith(".nonlin"))}
        return kept, moved, [x for x in tape if x not in computed or x in params]
    monkeypatch.setattr(unzip, "checkpoint", forgetful)
    cases, why = failing("A6")
    assert "LScale" in cases and "Ret" not in cases and "`r`" in why


def test_a_primitive_computed_twice_by_u_fails_the_a7_steps(monkeypatch):
    """U binding every primitive twice (the copy dropped): the right halves, but f.nonlin
    does work that no recomputation accounts for."""
    real = unzip._Unzip.bind1

    def twice(self, base, t, expr):
        if isinstance(expr, Prim):
            z = real(self, base, t, expr)
            self.out.append(unzip.Binding((), Drop(Ret((z,), ()))))
        return real(self, base, t, expr)
    monkeypatch.setattr(unzip._Unzip, "bind1", twice)
    cases, why = failing("A7")
    assert {"Prim sin", "Prim add"} <= cases and "Ret" not in cases and "U[store]" in why
    assert failing("A6")[0] == set()  # still the right halves: only A7 notices


def test_a7_does_not_read_u_s_report(monkeypatch):
    """U reporting no recomputed binding at all: A7's steps are unchanged (E_π is
    computed from the halves), while the instance check, which trusts the report,
    would fail recompute-all."""
    real = unzip.unzip_fun

    def silent(*args, **kwargs):
        n, l, info = real(*args, **kwargs)
        return n, l, unzip.UnzipInfo(info.tape, (), info.moved)
    monkeypatch.setattr(unzip, "unzip_fun", silent)
    assert failing("A7")[0] == set()
    jp = jvp_program(parse_program("def f(x: real) -> (real;) = sin(x) * cos(x)"), "f")
    assert unzip_work_violations(jp, "f.jvp", "recompute") != []


def test_a_costly_binding_copied_into_both_halves_fails_a6_and_a7e(monkeypatch):
    """U under store treating every primitive binding as a free renaming (moved into
    f.lin and kept in f.nonlin): the halves still compute f (A6's identity holds), but
    the copies compute, so `copies_compute_nothing` fails A6's and A7.E's steps for the
    primitives, and A7.E's E_store = 0 with them."""
    monkeypatch.setattr(unzip.Binding, "is_alias", property(
        lambda b: b.tup is None and isinstance(b.expr, (Ret, Prim))))
    cases, why = failing("A6")
    assert {"Prim sin", "Prim mul"} <= cases and "Ret" not in cases
    assert "U[store] copies a binding that computes" in why
    cases, _ = failing("A7.E")
    assert {"Prim sin", "Prim mul"} <= cases and "Ret" not in cases
