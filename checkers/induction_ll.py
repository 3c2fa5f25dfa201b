"""L1 (λLL type safety) and L3 (algebraic linearity, affine form L3a) by structural
induction over the λLL constructors, on the real evaluator and type checker
(../shared/INDUCTION.md).  L3: see `l3_schemas` and `_affine`.

Generalised statement (a logical relation, since ⊸E evaluates a closure body that is no
subterm of the application): ⊢ v ∈ A when v is a value of type A whose function parts,
applied to a value of their domain, evaluate to a value of their codomain.  IH as data
(`semantic_value`): a hole ?h : A evaluates to a value of A built from fresh sympy reals,
and a hole of type A ⊸ B to the closure ⟨fun (x:A) -> ?h'ap[ū ; x] : B⟩, whose body is a
hole of its own (so applying it yields, by the IH, a value of B).  Obligation per
constructor C: Γ ; Δ ⊢ C(H̄) : A by the real checker, and the real evaluator on C(H̄),
inputs of their types, returns v with `value_type(v) = A`.  Constants: one case per name,
applied to holes of every argument type (the δ-rules).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, get_args

import sympy

from calculus.lambda_ll import syntax as ls
from calculus.lambda_ll.evaluate import (Counts, Env, VBang, VClosure, VPair, VReal, VUnit, Value,
                                         evaluate, value_type)
from calculus.lambda_ll.syntax import BANG_REAL, REAL, Lolli, Tensor
from calculus.lambda_ll.typecheck import infer
from calculus.numbers import SympyNumbers

from .ll_values import fill, flatten
from .symbolic import sympy_zero

FUN = Lolli(REAL, REAL)
GAMMA = {"u": REAL}


def ll_cases() -> list[str]:
    """Every case of an induction over λLL terms: each class of `syntax.Term` (by
    introspection; `Hole` is no program syntax), `Const` once per constant name; each
    prefixed `λLL ` (apart from Linear A's cases of the same names)."""
    return ([f"λLL {c.__name__}" for c in get_args(ls.Term) if c not in (ls.Hole, ls.Const)]
            + [f"λLL Const {n}" for n in sorted(ls.CONST_NAMES)])


def _h(name: str, ty: ls.Type, delta: tuple = (), gamma: tuple = (("u", REAL),)) -> ls.Hole:
    return ls.Hole(name, gamma, tuple(delta), ty)


@dataclass(frozen=True)
class LLSchema:
    """C(H̄) for a λLL constructor: Γ = u : real, Δ = delta (each consumed once)."""

    constructor: str
    term: ls.Term
    delta: dict[str, ls.Type]
    linear: bool = False

    @property
    def printed(self) -> str:
        return f"u:real ; {', '.join(f'{y}:{ls.pretty_type(t)}' for y, t in self.delta.items())} ⊢ {ls.pretty(self.term)}"


def ll_schemas() -> list[LLSchema]:
    """One instance per λLL constructor, `Const` per constant name."""
    y, z = ("y", REAL), ("z", REAL)
    out = [
        ("Var", ls.Var("y"), [y]),
        ("Fun", ls.Fun("x", REAL, _h("h", REAL, [("x", REAL), y])), [y]),
        ("App", ls.App(_h("f", FUN, [y]), _h("a", REAL, [z])), [y, z]),
        ("Unit", ls.Unit(), []),
        ("LetUnit", ls.LetUnit(_h("h", ls.ONE, [y]), _h("k", REAL, [z])), [y, z]),
        ("Pair", ls.Pair(_h("h1", REAL, [y]), _h("h2", FUN, [z])), [y, z]),
        ("LetPair", ls.LetPair("a", "b", _h("h", Tensor(REAL, FUN), [y]),
                               _h("k", REAL, [("a", REAL), ("b", FUN)])), [y]),
        ("Promote", ls.Promote(_h("h", FUN)), []),
        ("LetBang", ls.LetBang("w", _h("h", ls.Bang(FUN), [y]),
                               _h("k", REAL, [z], (("u", REAL), ("w", FUN)))), [y, z]),
        ("Lit", ls.Lit(Fraction(1, 2)), []),
    ]
    for name in sorted(ls.CONST_NAMES):
        args, _ = ls.const_args(name, Tensor(REAL, REAL) if name in ls.LINEAR_CONSTS else None)
        term: ls.Term = ls.Const(name, Tensor(REAL, REAL) if name in ls.LINEAR_CONSTS else None)
        delta = []
        for i, a in enumerate(args):
            lin = [] if isinstance(a, ls.Bang) else [(f"y{i}", REAL)]
            delta += lin
            term = ls.App(term, _h(f"h{i}", a, lin))
        out.append((f"Const {name}", term, delta))
    return [LLSchema(f"λLL {c}", t, dict(d)) for c, t, d in out]


_fresh = itertools.count()


def semantic_value(ty: ls.Type, name: str, holes: dict) -> Value:
    """A value of ty by the IH: fresh sympy reals; a function is a closure whose body is
    the hole ?name'ap : codomain (registered in `holes`)."""
    match ty:
        case ls.Real():
            return VReal(sympy.Symbol(f"{name}_{next(_fresh)}", real=True))
        case ls.One():
            return VUnit()
        case ls.Tensor(left, right):
            return VPair(semantic_value(left, name + "l", holes),
                         semantic_value(right, name + "r", holes))
        case ls.Bang(inner):
            return VBang(semantic_value(inner, name, holes))
        case ls.Lolli(dom, cod):
            body = ls.Hole(f"{name}'ap", (), (("x", dom),), cod)
            holes[body.name] = meaning(cod, body.name, holes)
            return VClosure(ls.Fun("x", dom, body), None)
    raise AssertionError(f"no value of type {ty}")


def meaning(ty: ls.Type, name: str, holes: dict) -> Callable:
    def run(ins: tuple, lins: tuple) -> tuple[Any, Counts]:
        return semantic_value(ty, name, holes), Counts()
    return run


def _holes(t: ls.Term) -> list[ls.Hole]:
    return [s for s in ls.subterms(t) if isinstance(s, ls.Hole)]


def l1_obligation(s: LLSchema) -> Callable[[], tuple[str, str]]:
    """L1 for C(H̄): the checker's type A, and the evaluator's value of type A."""
    term, delta = s.term, s.delta

    def check() -> tuple[str, str]:
        ty = infer(term, GAMMA, delta)
        holes: dict = {}
        for h in _holes(term):
            holes[h.name] = meaning(h.ty, h.name, holes)
        env = {"u": VReal(sympy.Symbol("u", real=True))}
        linear = {y: semantic_value(t, y, holes) for y, t in delta.items()}
        v = evaluate(term, env, linear, nums=SympyNumbers(), holes=holes).value
        got = value_type(v)
        assert got == ty, f"value {v} has type {got}, the checker says {ty}"
        return f"{v}", f"u:real ; {delta} ⊢ {ls.pretty(term)} : {ty} and ⊢ v : {ty}"
    return check


# --- L3: algebraic linearity (affine in Δ) ---------------------------------------------------


def l3_schemas() -> list[LLSchema]:
    """L3's instances, Γ = u : real, Δ data: each constructor in a minimal context whose
    type is data (L3 is stated for data types D ::= real | 1 | D ⊗ D); a function value
    only ever meets ⊸E."""
    y, z = ("y", REAL), ("z", REAL)
    pair = Tensor(REAL, REAL)
    out = [
        ("Var", ls.Var("y"), [y]),
        ("Fun", ls.App(ls.Fun("x", REAL, _h("h", REAL, [("x", REAL), y])), _h("a", REAL, [z])),
         [y, z]),
        ("App", ls.App(_h("f", FUN, [y]), _h("a", REAL, [z])), [y, z]),
        ("Unit", ls.Pair(ls.Unit(), _h("h", REAL, [y])), [y]),
        ("LetUnit", ls.LetUnit(_h("h", ls.ONE, [y]), _h("k", REAL, [z])), [y, z]),
        ("Pair", ls.Pair(_h("h1", REAL, [y]), _h("h2", pair, [z])), [y, z]),
        ("LetPair", ls.LetPair("a", "b", _h("h", pair, [y]),
                               _h("k", REAL, [("a", REAL), ("b", REAL), z])), [y, z]),
        ("Promote", ls.LetBang("w", ls.Promote(_h("h", REAL)),
                               _h("k", REAL, [y], (("u", REAL), ("w", REAL)))), [y]),
        ("LetBang", ls.LetBang("w", _h("h", BANG_REAL),
                               _h("k", REAL, [y], (("u", REAL), ("w", REAL)))), [y]),
        ("Lit", ls.Pair(ls.Lit(Fraction(1, 2)), _h("h", REAL, [y])), [y]),
    ]
    for s in ll_schemas():
        if s.constructor.startswith("λLL Const "):
            out.append((s.constructor.removeprefix("λLL "), s.term, list(s.delta.items())))
    return [LLSchema(f"λLL {c}", t, dict(d)) for c, t, d in out]


def _affine(h: ls.Hole, holes: dict) -> Callable:
    """?h[ū ; x̄] : D means h(ū) + M_h(ū)·x̄ (undefined functions of the reals of ū, the
    same on every run); a function type means a closure capturing x̄ whose body is the
    hole ?h'ap[ū ; x̄, x] (affine in both: the IH for ⊸)."""
    def run(ins: tuple, lins: tuple) -> tuple[Any, Counts]:
        us = [r for v, (_, t) in zip(ins, h.gamma, strict=True) for r in flatten(v, t)]
        if isinstance(h.ty, Lolli):
            body = ls.Hole(f"{h.name}'ap", h.gamma, h.delta + (("x'", h.ty.dom),), h.ty.cod)
            holes[body.name] = _affine(body, holes)
            env = None
            for (x, _), v in zip(h.gamma, ins):
                env = Env(x, v, False, env)
            for (y, _), v in zip(h.delta, lins):
                env = Env(y, v, True, env)
            return VClosure(ls.Fun("x'", h.ty.dom, body), env), Counts()
        ys = [r for v, (_, t) in zip(lins, h.delta, strict=True) for r in flatten(v, t)]
        n = len(flatten(fill(h.ty, itertools.repeat(sympy.Integer(0))), h.ty))
        f = (lambda name: sympy.Function(name)(*us)) if us else sympy.Symbol  # noqa: E731
        comps = [f(f"{h.name}_{i}") + sum((f(f"{h.name}_m{i}_{j}") * y for j, y in enumerate(ys)),
                                          sympy.Integer(0)) for i in range(n)]
        return fill(h.ty, iter(comps)), Counts()
    return run


def l3_obligation(s: LLSchema) -> Callable[[], tuple[str, str]]:
    """L3a for C(H̄): t(α·u + β·v) − α·t(u) − β·t(v) − (1 − α − β)·t(0̄) reduces to the
    literal 0 componentwise, holes affine in their linear inputs (`_affine`)."""
    def check() -> tuple[str, str]:
        ty = infer(s.term, GAMMA, s.delta)
        al, be = sympy.symbols("alpha beta", real=True)
        shapes = {y: len(flatten(fill(t, itertools.repeat(sympy.Integer(0))), t))
                  for y, t in s.delta.items()}
        u = {y: sympy.symbols(f"u_{y}_0:{k}", real=True) for y, k in shapes.items()}
        v = {y: sympy.symbols(f"v_{y}_0:{k}", real=True) for y, k in shapes.items()}
        holes: dict = {}
        for h in _holes(s.term):
            holes[h.name] = _affine(h, holes)

        def run(args: dict) -> list:
            linear = {y: fill(t, iter(args[y])) for y, t in s.delta.items()}
            env = {"u": VReal(sympy.Symbol("u", real=True))}
            out = evaluate(s.term, env, linear, nums=SympyNumbers(), holes=holes).value
            return list(flatten(out, ty))
        mix = {y: [al * a + be * b for a, b in zip(u[y], v[y])] for y in s.delta}
        zero = {y: [sympy.Integer(0)] * k for y, k in shapes.items()}
        for m, a, b, o in zip(run(mix), run(u), run(v), run(zero), strict=True):
            e = sympy.expand(m - al * a - be * b - (1 - al - be) * o)
            assert sympy_zero(e) is not None, f"not affine in Δ: {e}"
        return f"{ty}", "t(αu+βv) − αt(u) − βt(v) − (1−α−β)t(0) ≡ 0"
    return check
