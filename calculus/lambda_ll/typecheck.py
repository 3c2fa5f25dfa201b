"""Type checking λLL: the DILL judgement `Γ ; Δ ⊢ t : A` (Barber 1996; SPEC §3.1).

Γ (intuitionistic) admits weakening and contraction; Δ (linear) is exact.  The rules, by
their logic names (used in every error's `rule` field):

    Ax    Γ ; x:A ⊢ x : A              IAx (reported as `Ax`)  Γ, u:A ; · ⊢ u : A
    Const Γ ; · ⊢ c : sig(c)          (real literals are constants `r : real`)
    ⊸I    Γ ; Δ, x:A ⊢ t : B  ⟹  Γ ; Δ ⊢ fun (x:A) -> t : A ⊸ B
    ⊸E    Γ ; Δ1 ⊢ t : A ⊸ B    Γ ; Δ2 ⊢ s : A  ⟹  Γ ; Δ1, Δ2 ⊢ t s : B
    1I    Γ ; · ⊢ () : 1
    1E    Γ ; Δ1 ⊢ t : 1    Γ ; Δ2 ⊢ s : C  ⟹  Γ ; Δ1, Δ2 ⊢ let () = t in s : C
    ⊗I    Γ ; Δ1 ⊢ t : A    Γ ; Δ2 ⊢ s : B  ⟹  Γ ; Δ1, Δ2 ⊢ (t, s) : A ⊗ B
    ⊗E    Γ ; Δ1 ⊢ t : A ⊗ B    Γ ; Δ2, x:A, y:B ⊢ s : C  ⟹  Γ ; Δ1, Δ2 ⊢ let (x, y) = t in s : C
    !I    Γ ; · ⊢ t : A  ⟹  Γ ; · ⊢ !t : !A
    !E    Γ ; Δ1 ⊢ t : !A    Γ, u:A ; Δ2 ⊢ s : C  ⟹  Γ ; Δ1, Δ2 ⊢ let !u = t in s : C

The algorithm is syntax-directed: types are synthesised (every λ is annotated), and the
split Δ1, Δ2 is found by *marking* linear bindings as used (as in language-garden's
check_linear_lc) instead of threading contexts: a second use is a failed split (the
error names the rule whose premises both need the variable), an unused binding a failed
⊸I/⊗E (no weakening), a linear variable under a `!` a failed !I.  The innermost binder
of a name wins (shadowing).

`Checker` exposes the structural decisions as small methods so that the proofs can
plug in deliberately broken rules (proofs/test_L_broken_rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, assert_never

from ..deep import deep
from ..errors import LinearityError, Pos, ScopeError, TypeCheckError
from .syntax import (ONE, REAL, App, Bang, Const, Def, Fun, Hole, LetBang, LetPair, LetUnit, Lit,
                     Lolli, Pair, Program, Promote, Tensor, Term, Type, Unit, Var,
                     const_type, is_data, paused_gc)


@dataclass(eq=False)
class _Frame:
    """One node of the derivation being built (a persistent stack): its rule, source
    position and depth.  A use of a linear variable remembers the frame of its `Ax`."""

    rule: str
    pos: Pos | None
    depth: int
    parent: _Frame | None


@dataclass(eq=False)
class _Binding:
    """A name in scope.  linear bindings record their first use (the `Ax` frame) and the
    promotion level at which they were bound."""

    name: str
    ty: Type
    linear: bool
    level: int = 0
    pos: Pos | None = None
    rule: str = "Ax"  # the rule that introduced it (⊸I, ⊗E, or Ax for an open input)
    used: _Frame | None = None


@dataclass
class Checker:
    """A DILL type checker.  One instance per check; not thread-safe."""

    scope: dict[str, list[_Binding]] = field(default_factory=dict)
    level: int = 0  # number of enclosing promotions `!`
    promotions: list[Pos | None] = field(default_factory=list)
    frame: _Frame | None = None

    # --- structural decisions (overridden by the broken-rule mutants) ----------------------

    def use_linear(self, b: _Binding, var: Var) -> None:
        """Ax for a linear variable: it must not be used already (no contraction) and
        must not cross a promotion (!I needs an empty Δ)."""
        if b.level < self.level:
            raise LinearityError(
                "!I", f"promotion `!t` needs an empty linear context but `{b.name}` is free",
                self.promotions[b.level], var=b.name, kind="linear-in-nonlinear")
        if b.used is not None:
            split = _meet(b.used, self.frame)
            raise LinearityError(
                split.rule, f"linear variable `{b.name}` used twice (first at "
                f"{b.used.pos}, again at {var.pos}); the context split of {split.rule} "
                f"cannot give it to both premises", var.pos, var=b.name,
                kind="linear-used-twice")
        b.used = self.frame

    def close_linear(self, b: _Binding) -> None:
        """End of a linear binding's scope: it must have been used (no weakening)."""
        if b.used is None:
            raise LinearityError(
                b.rule, f"linear variable `{b.name}` : {b.ty} is never used "
                f"({b.rule} has no weakening; discard it with drop)", b.pos, var=b.name,
                kind="linear-unused")

    def check_arg(self, expected: Type, found: Type, app: App) -> None:
        """⊸E: the argument's type is the function's domain."""
        if expected != found:
            raise TypeCheckError("⊸E", f"argument of type {found} where {expected} is "
                                 "expected", app.arg.pos or app.pos,
                                 expected=str(expected), found=str(found))

    # --- scope ------------------------------------------------------------------------------

    def bind(self, b: _Binding) -> None:
        self.scope.setdefault(b.name, []).append(b)

    def unbind(self, b: _Binding) -> None:
        self.scope[b.name].pop()
        if b.linear:
            self.close_linear(b)

    def lookup(self, var: Var) -> _Binding:
        stack = self.scope.get(var.name)
        if not stack:
            raise ScopeError("Ax", f"unbound variable `{var.name}`", var.pos, name=var.name)
        return stack[-1]

    # --- the judgement ----------------------------------------------------------------------

    def infer(self, t: Term) -> Type:
        """Γ ; Δ ⊢ t : A, synthesising A; marks the linear variables t consumes."""
        self.frame = _Frame(_rule(t), t.pos, self.frame.depth + 1 if self.frame else 0,
                            self.frame)
        try:
            return self._infer(t)
        finally:
            self.frame = self.frame.parent

    def _infer(self, t: Term) -> Type:
        match t:
            case Var():
                b = self.lookup(t)
                if b.linear:
                    self.use_linear(b, t)
                return b.ty
            case Hole(h, gamma, delta, ty):  # an axiom (reported as `Ax`)
                for x, want in gamma + delta:
                    b = self.lookup(Var(x, t.pos))
                    if b.linear != ((x, want) in delta) or b.ty != want:
                        kind = "linear" if (x, want) in delta else "intuitionistic"
                        raise TypeCheckError("Ax", f"?{h} expects {kind} `{x}` : {want}",
                                             t.pos, var=x, expected=str(want), found=str(b.ty))
                    if b.linear:
                        self.use_linear(b, Var(x, t.pos))
                return ty
            case Lit():
                return REAL
            case Const(name, index):
                if index is not None and not is_data(index):
                    raise TypeCheckError("Const", f"`{name}[{index}]` needs a data type "
                                         "D ::= real | 1 | D * D", t.pos,
                                         expected="data type", found=str(index))
                return const_type(name, index)
            case Unit():
                return ONE
            case Fun(x, ty, body):
                b = _Binding(x, ty, True, self.level, t.pos, "⊸I")
                self.bind(b)
                cod = self.infer(body)
                self.unbind(b)
                return Lolli(ty, cod)
            case App(fn, arg):
                fty = self.infer(fn)
                if not isinstance(fty, Lolli):
                    raise TypeCheckError("⊸E", f"applying a term of type {fty}, which is "
                                         "not a function", fn.pos or t.pos,
                                         expected="A -o B", found=str(fty))
                self.check_arg(fty.dom, self.infer(arg), t)
                return fty.cod
            case Pair(left, right):
                return Tensor(self.infer(left), self.infer(right))
            case LetUnit(bound, body):
                self.expect(bound, ONE, "1E")
                return self.infer(body)
            case LetPair(x, y, bound, body):
                ty = self.infer(bound)
                if not isinstance(ty, Tensor):
                    raise TypeCheckError("⊗E", f"`let (x, y)` of a term of type {ty}",
                                         bound.pos or t.pos, expected="A * B", found=str(ty))
                if x == y:
                    raise TypeCheckError("⊗E", f"`let ({x}, {y})` binds `{x}` twice", t.pos,
                                         var=x)
                bx = _Binding(x, ty.left, True, self.level, t.pos, "⊗E")
                by = _Binding(y, ty.right, True, self.level, t.pos, "⊗E")
                self.bind(bx)
                self.bind(by)
                result = self.infer(body)
                self.unbind(by)
                self.unbind(bx)
                return result
            case Promote(body):
                self.level += 1
                self.promotions.append(t.pos)
                try:
                    return Bang(self.infer(body))
                finally:
                    self.level -= 1
                    self.promotions.pop()
            case LetBang(u, bound, body):
                ty = self.infer(bound)
                if not isinstance(ty, Bang):
                    raise TypeCheckError("!E", f"`let !{u}` of a term of type {ty}",
                                         bound.pos or t.pos, expected="!A", found=str(ty))
                b = _Binding(u, ty.body, False, self.level, t.pos, "!E")
                self.bind(b)
                result = self.infer(body)
                self.unbind(b)
                return result
            case _:
                assert_never(t)

    def expect(self, t: Term, ty: Type, rule: str) -> None:
        found = self.infer(t)
        if found != ty:
            raise TypeCheckError(rule, f"expected {ty}, found {found}", t.pos,
                                 expected=str(ty), found=str(found))


def _rule(t: Term) -> str:
    """The logic name of the rule that types t."""
    match t:
        case Var() | Hole():
            return "Ax"
        case Lit() | Const():
            return "Const"
        case Unit():
            return "1I"
        case Fun():
            return "⊸I"
        case App():
            return "⊸E"
        case Pair():
            return "⊗I"
        case LetUnit():
            return "1E"
        case LetPair():
            return "⊗E"
        case Promote():
            return "!I"
        case LetBang():
            return "!E"
        case _:
            assert_never(t)


def _meet(a: _Frame, b: _Frame | None) -> _Frame:
    """The lowest common ancestor of two derivation nodes: the rule whose context split
    had to give a variable to both premises."""
    assert b is not None
    while a.depth > b.depth:
        a = a.parent  # type: ignore[assignment]
    while b.depth > a.depth:
        b = b.parent  # type: ignore[assignment]
    while a is not b:
        a, b = a.parent, b.parent  # type: ignore[assignment]
    return a


# --- entry points ---------------------------------------------------------------------------


@deep
def infer(t: Term, gamma: Mapping[str, Type] = {}, delta: Mapping[str, Type] = {},
          checker: type[Checker] = Checker) -> Type:
    """The A with Γ ; Δ ⊢ t : A; raises TypeCheckError / LinearityError / ScopeError.
    Every variable of Δ must be consumed exactly once."""
    c = checker()
    bindings = [_Binding(u, ty, False) for u, ty in gamma.items()]
    bindings += [_Binding(x, ty, True) for x, ty in delta.items()]
    for b in bindings:
        c.bind(b)
    with paused_gc():
        result = c.infer(t)
    for b in reversed(bindings):
        c.unbind(b)
    return result


def check(t: Term, ty: Type, gamma: Mapping[str, Type] = {},
          delta: Mapping[str, Type] = {}, checker: type[Checker] = Checker) -> None:
    """Γ ; Δ ⊢ t : ty."""
    found = infer(t, gamma, delta, checker)
    if found != ty:
        raise TypeCheckError("def", f"term has type {found}, not {ty}", t.pos,
                             expected=str(ty), found=str(found))


def check_def(d: Def, gamma: Mapping[str, Type], checker: type[Checker] = Checker) -> None:
    """Γ ; · ⊢ body : ty for a top-level definition."""
    found = infer(d.body, gamma, {}, checker)
    if found != d.ty:
        raise TypeCheckError("def", f"`{d.name}` is declared {d.ty} but its body has type "
                             f"{found}", d.pos, var=d.name, expected=str(d.ty),
                             found=str(found))


def check_program(p: Program, checker: type[Checker] = Checker) -> dict[str, Type]:
    """Check every definition in order; returns Γ, the types of all definitions.
    Earlier definitions are intuitionistic in later ones; names are unique."""
    gamma: dict[str, Type] = {}
    for d in p.defs:
        if d.name in gamma:
            raise ScopeError("def", f"`{d.name}` is defined twice", d.pos, name=d.name)
        check_def(d, gamma, checker)
        gamma[d.name] = d.ty
    return gamma
