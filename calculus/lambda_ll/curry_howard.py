"""Curry–Howard for λLL (SPEC §3.4): terms are natural-deduction proofs of
intuitionistic linear logic in DILL sequent form `Γ ; Δ ⊢ A` (constants of the
signature and real literals are axioms, `real` is an atom).

    derive(t, Γ, Δ) -> Proof     read the derivation off a term, rule by rule
    extract(p)      -> Term      the proof term of a derivation (extract ∘ derive = id)
    proof_latex(p)  -> str       a bussproofs proof tree
    proof_text(p)   -> str       an indented plain-text tree

Rules (label = what the proof records to give back the term):
    Ax  (x)        Γ ; x:A ⊢ A                    IAx (u)   Γ ; · ⊢ A   (u:A ∈ Γ)
    Const (c | r)  Γ ; · ⊢ sig(c)   (r : real)    1I        Γ ; · ⊢ 1
    ⊸I (x, A)      Γ∖x ; Δ, x:A ⊢ B  ⟹  Γ ; Δ ⊢ A ⊸ B
    ⊸E, ⊗I, 1E     two premises Γ ; Δ1 ⊢ …  and  Γ ; Δ2 ⊢ …  ⟹  Γ ; Δ1, Δ2 ⊢ …
    ⊗E (x, y)      Γ ; Δ1 ⊢ A ⊗ B    Γ∖{x,y} ; Δ2, x:A, y:B ⊢ C  ⟹  Γ ; Δ1, Δ2 ⊢ C
    !I             Γ ; · ⊢ A  ⟹  Γ ; · ⊢ !A
    !E (u)         Γ ; Δ1 ⊢ !A    Γ∖u, u:A ; Δ2 ⊢ C  ⟹  Γ ; Δ1, Δ2 ⊢ C
[choice] A binder hides any intuitionistic hypothesis of the same name (Γ∖x): this is
weakening of Γ, and keeps every sequent's names unique, so shadowing is explicit.

`derive` does *not* enforce linearity: it records the contexts the term's structure
dictates (Δ of a node = the multiset of its linear leaves not discharged below it).  A
term that a (broken) type checker wrongly accepts therefore yields a derivation that the
independent `checkers.proof_checker` rejects.  It raises TypeCheckError only when no
derivation can even be built (e.g. applying a non-function).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import Mapping, assert_never

from ..deep import deep
from ..errors import InternalError, ScopeError, TypeCheckError
from .syntax import (LATEX, ONE, REAL, App, Bang, Const, Fun, LetBang, LetPair, LetUnit,
                     Lit, Lolli, Pair, Promote, Tensor, Term, Type, Unit, Var, const_type,
                     latex, pretty, pretty_type, show_real)

Ctx = tuple[tuple[str, Type], ...]


class Rule(Enum):
    AX = "Ax"
    IAX = "IAx"
    CONST = "Const"
    ONE_I = "1I"
    ONE_E = "1E"
    LOLLI_I = "⊸I"
    LOLLI_E = "⊸E"
    TENSOR_I = "⊗I"
    TENSOR_E = "⊗E"
    BANG_I = "!I"
    BANG_E = "!E"


@dataclass(frozen=True, slots=True)
class Sequent:
    """Γ ; Δ ⊢ A.  gamma: intuitionistic hypotheses; delta: linear ones (a multiset,
    listed in order of use)."""

    gamma: Ctx
    delta: Ctx
    concl: Type

    def __str__(self) -> str:
        show = lambda ctx: ", ".join(f"{x}:{pretty_type(a)}" for x, a in ctx) or "·"
        return f"{show(self.gamma)} ; {show(self.delta)} ⊢ {pretty_type(self.concl)}"


Label = str | tuple[str, Type] | tuple[str, str] | Const | Fraction | None


@dataclass(frozen=True, slots=True)
class Proof:
    """One rule application: its conclusion and its premises' proofs."""

    rule: Rule
    sequent: Sequent
    premises: tuple[Proof, ...] = ()
    label: Label = None


# --- term → proof -----------------------------------------------------------------------


def _hide(gamma: Ctx, *names: str) -> Ctx:
    return tuple((u, a) for u, a in gamma if u not in names)


def _discharge(delta: Ctx, *names: str) -> Ctx:
    return tuple((x, a) for x, a in delta if x not in names)


@dataclass
class _Deriver:
    scope: dict[str, list[tuple[bool, Type]]]  # name → stack of (linear?, type)

    def run(self, t: Term, gamma: Ctx) -> Proof:
        match t:
            case Var(x):
                if not self.scope.get(x):
                    raise ScopeError("Ax", f"unbound variable `{x}`", t.pos, name=x)
                linear, ty = self.scope[x][-1]
                if linear:
                    return Proof(Rule.AX, Sequent(gamma, ((x, ty),), ty), (), x)
                return Proof(Rule.IAX, Sequent(gamma, (), ty), (), x)
            case Lit(q):
                return Proof(Rule.CONST, Sequent(gamma, (), REAL), (), q)
            case Const(name, index):
                return Proof(Rule.CONST, Sequent(gamma, (), const_type(name, index)), (),
                             Const(name, index))
            case Unit():
                return Proof(Rule.ONE_I, Sequent(gamma, (), ONE))
            case Fun(x, ty, body):
                p = self.under([(x, True, ty)], body, _hide(gamma, x))
                return Proof(Rule.LOLLI_I, Sequent(gamma, _discharge(p.sequent.delta, x),
                                                   Lolli(ty, p.sequent.concl)), (p,), (x, ty))
            case App(fn, arg):
                p1, p2 = self.run(fn, gamma), self.run(arg, gamma)
                fty = p1.sequent.concl
                if not isinstance(fty, Lolli):
                    raise TypeCheckError("⊸E", f"no derivation: applying a {fty}", t.pos)
                return self.binary(Rule.LOLLI_E, p1, p2, fty.cod, gamma)
            case Pair(left, right):
                p1, p2 = self.run(left, gamma), self.run(right, gamma)
                return self.binary(Rule.TENSOR_I, p1, p2,
                                   Tensor(p1.sequent.concl, p2.sequent.concl), gamma)
            case LetUnit(bound, body):
                p1, p2 = self.run(bound, gamma), self.run(body, gamma)
                return self.binary(Rule.ONE_E, p1, p2, p2.sequent.concl, gamma)
            case LetPair(x, y, bound, body):
                p1 = self.run(bound, gamma)
                ty = p1.sequent.concl
                if not isinstance(ty, Tensor):
                    raise TypeCheckError("⊗E", f"no derivation: let (x, y) of a {ty}", t.pos)
                p2 = self.under([(x, True, ty.left), (y, True, ty.right)], body,
                                _hide(gamma, x, y))
                delta = p1.sequent.delta + _discharge(p2.sequent.delta, x, y)
                return Proof(Rule.TENSOR_E, Sequent(gamma, delta, p2.sequent.concl),
                             (p1, p2), (x, y))
            case Promote(body):
                p = self.run(body, gamma)
                return Proof(Rule.BANG_I,
                             Sequent(gamma, p.sequent.delta, Bang(p.sequent.concl)), (p,))
            case LetBang(u, bound, body):
                p1 = self.run(bound, gamma)
                ty = p1.sequent.concl
                if not isinstance(ty, Bang):
                    raise TypeCheckError("!E", f"no derivation: let !u of a {ty}", t.pos)
                p2 = self.under([(u, False, ty.body)], body, _hide(gamma, u) + ((u, ty.body),))
                delta = p1.sequent.delta + p2.sequent.delta
                return Proof(Rule.BANG_E, Sequent(gamma, delta, p2.sequent.concl),
                             (p1, p2), u)
            case _:
                assert_never(t)

    def binary(self, rule: Rule, p1: Proof, p2: Proof, concl: Type, gamma: Ctx) -> Proof:
        """A multiplicative rule: the conclusion's Δ is Δ1, Δ2."""
        return Proof(rule, Sequent(gamma, p1.sequent.delta + p2.sequent.delta, concl),
                     (p1, p2))

    def under(self, bound: list[tuple[str, bool, Type]], body: Term, gamma: Ctx) -> Proof:
        for x, linear, ty in bound:
            self.scope.setdefault(x, []).append((linear, ty))
        try:
            return self.run(body, gamma)
        finally:
            for x, _, _ in bound:
                self.scope[x].pop()


@deep
def derive(t: Term, gamma: Mapping[str, Type] = {}, delta: Mapping[str, Type] = {}) -> Proof:
    """The derivation of Γ ; Δ' ⊢ t : A that t's structure dictates (Δ' is computed;
    for a well-typed t it is Δ)."""
    scope: dict[str, list[tuple[bool, Type]]] = {}
    for u, ty in gamma.items():
        scope.setdefault(u, []).append((False, ty))
    for x, ty in delta.items():
        scope.setdefault(x, []).append((True, ty))
    return _Deriver(scope).run(t, _hide(tuple(gamma.items()), *delta))


# --- proof → term -----------------------------------------------------------------------


@deep
def extract(p: Proof) -> Term:
    """The proof term of a derivation."""
    kids = tuple(extract(q) for q in p.premises)
    match p.rule, p.label, kids:
        case Rule.AX | Rule.IAX, str(x), ():
            return Var(x)
        case Rule.CONST, Fraction() as q, ():
            return Lit(q)
        case Rule.CONST, Const(name, index), ():
            return Const(name, index)
        case Rule.ONE_I, None, ():
            return Unit()
        case Rule.LOLLI_I, (str(x), ty), (body,):
            return Fun(x, ty, body)
        case Rule.LOLLI_E, None, (fn, arg):
            return App(fn, arg)
        case Rule.TENSOR_I, None, (left, right):
            return Pair(left, right)
        case Rule.ONE_E, None, (bound, body):
            return LetUnit(bound, body)
        case Rule.TENSOR_E, (str(x), str(y)), (bound, body):
            return LetPair(x, y, bound, body)
        case Rule.BANG_I, None, (body,):
            return Promote(body)
        case Rule.BANG_E, str(u), (bound, body):
            return LetBang(u, bound, body)
    raise InternalError(f"malformed proof node {p.rule.value} with label {p.label!r} "
                        f"and {len(kids)} premises")


# --- printing -------------------------------------------------------------------------------


def _label_text(p: Proof, tex: bool) -> str:
    match p.label:
        case None:
            return ""
        case Fraction() as q:
            return show_real(q)
        case Const() as c:
            return latex(c) if tex else pretty(c)
        case (str(x), str(y)):
            return f"{x}, {y}"
        case (str(x), _):
            return x
        case str(x):
            return x
    raise InternalError(f"label {p.label!r}")


def proof_text(p: Proof) -> str:
    """One line per rule application, premises indented below their conclusion."""
    lines: list[str] = []
    stack = [(p, 0)]
    while stack:
        q, depth = stack.pop()
        label = _label_text(q, False)
        rule = f"{q.rule.value}{'(' + label + ')' if label else ''}"
        lines.append(f"{'  ' * depth}{rule:<14} {q.sequent}")
        stack.extend((r, depth + 1) for r in reversed(q.premises))
    return "\n".join(lines)


_TEX_RULES = {Rule.AX: r"\mathrm{Ax}", Rule.IAX: r"\mathrm{IAx}", Rule.CONST: r"\mathrm{Const}",
              Rule.ONE_I: r"1I", Rule.ONE_E: r"1E", Rule.LOLLI_I: r"{\multimap}I",
              Rule.LOLLI_E: r"{\multimap}E", Rule.TENSOR_I: r"{\otimes}I",
              Rule.TENSOR_E: r"{\otimes}E", Rule.BANG_I: r"{!}I", Rule.BANG_E: r"{!}E"}
_INFER = {0: r"\UnaryInfC", 1: r"\UnaryInfC", 2: r"\BinaryInfC"}


def _tex_sequent(s: Sequent) -> str:
    ctx = lambda c: ", ".join(f"{x}{{:}}{pretty_type(a, LATEX)}" for x, a in c) or r"\cdot"
    return f"{ctx(s.gamma)} ; {ctx(s.delta)} \\vdash {pretty_type(s.concl, LATEX)}"


def proof_latex(p: Proof) -> str:
    """A bussproofs `prooftree` (premises first, in postfix order)."""
    lines = [r"\begin{prooftree}"]
    order: list[Proof] = []
    stack = [p]
    while stack:  # reverse post-order without recursion
        q = stack.pop()
        order.append(q)
        stack.extend(q.premises)
    for q in reversed(order):
        if not q.premises:
            lines.append(r"\AxiomC{}")
        label = _label_text(q, True)
        name = _TEX_RULES[q.rule] + (f"\\,({label})" if label else "")
        lines.append(f"\\RightLabel{{\\scriptsize ${name}$}}")
        lines.append(f"{_INFER[len(q.premises)]}{{${_tex_sequent(q.sequent)}$}}")
    lines.append(r"\end{prooftree}")
    return "\n".join(lines)
