"""Type-directed hypothesis strategies for λLL (theorems L1–L5 and the unit tests).

`ll_terms(goal, gamma, delta, fuel)` draws a term t with Γ ; Δ ⊢ t : goal *by
construction* (no generate-then-filter): at each node it draws one of the rules that can
conclude the goal with the linear context at hand, splitting Δ among the premises and
inventing intermediate types for cuts.  Choices, simplest first (hypothesis shrinks
toward the first):

  0  a variable (Ax / IAx) when Δ is exactly `x : goal`, or Δ = · and u : goal ∈ Γ
  .  an introduction of the goal (⊸I, ⊗I with a random split of Δ, 1I, !I, a literal,
     a primitive on banged reals) when its side conditions hold
  .  an elimination of a linear hypothesis x : A (⊗E, 1E, !E, ⊸E, and dup/drop for data)
  .  plus[D] / scale[D] at a data goal
  .  a cut through an invented type B: `t1 t2` with t1 : B ⊸ goal (higher order),
     `let !u = t1 in t2` with t1 : !B, `let (a, b) = t1 in t2` with t1 : B ⊗ C

`fuel` bounds the depth; at fuel 0 the generator *closes* deterministically: it
discards every linear hypothesis (drop, let (), let !, application to a closed
argument) and builds a closed inhabitant of the goal.  Every type is inhabited with
an empty Δ, so generation never fails.  `div` and `log` get arguments of the form
`exp s` so generated terms stay inside their domains (`exp` may still overflow in
float mode: a documented DomainError).

With `bang_functions=False` the invented types never put a ⊸ under a !, so no closure
can be applied twice: the fragment in which L5's exact step bound holds.

With `strict=True` (for L3's exact linearity) the reals in linear positions come only
from Δ and `zero`: no literal, primitive or input u ∈ Γ is generated except inside the
factor `!r` of a `scale` (there anything goes).  Such terms satisfy t(0̄) = 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping

from hypothesis import strategies as st

from calculus.lambda_ll.syntax import (ONE, REAL, App, Bang, Const, Fun, LetBang, LetPair,
                                       LetUnit, Lit, Lolli, One, Pair, Promote, Real, Tensor,
                                       Term, Type, Unit, Var, is_data)
from calculus.primitives import OPS, PRIMS, Op, PowI

Ctx = tuple[tuple[str, Type], ...]

LITERALS = st.integers(-8, 8).map(lambda n: Lit(Fraction(n, 4)))


def has_lolli(ty: Type) -> bool:
    match ty:
        case Real() | One():
            return False
        case Lolli():
            return True
        case Tensor(a, b):
            return has_lolli(a) or has_lolli(b)
        case Bang(a):
            return has_lolli(a)
    raise TypeError(ty)


@st.composite
def ll_types(draw, depth: int = 2, data_only: bool = False,
             bang_functions: bool = True) -> Type:
    """A type of at most `depth` nested connectives (data types only if data_only)."""
    if depth <= 0:
        return draw(st.sampled_from([REAL, ONE]))
    kinds = ["real", "one", "tensor"] + ([] if data_only else ["lolli", "bang"])
    kind = draw(st.sampled_from(kinds))
    sub = lambda: draw(ll_types(depth - 1, data_only, bang_functions))
    match kind:
        case "real":
            return REAL
        case "one":
            return ONE
        case "tensor":
            return Tensor(sub(), sub())
        case "lolli":
            return Lolli(sub(), sub())
    body = sub()
    return Bang(body if bang_functions or not has_lolli(body) else REAL)


def data_types(depth: int = 2) -> st.SearchStrategy[Type]:
    """D ::= real | 1 | D ⊗ D."""
    return ll_types(depth, data_only=True)


@dataclass
class _Gen:
    draw: Callable
    bang_functions: bool
    used: set[str]
    strict: bool = False
    inputs: frozenset[str] = frozenset()  # Γ of the problem: banned outside factors if strict

    def usable(self, u: str) -> bool:
        return not (self.strict and u in self.inputs)

    def fresh(self, prefix: str) -> str:
        n = len(self.used)
        while f"{prefix}{n}" in self.used:
            n += 1
        self.used.add(f"{prefix}{n}")
        return f"{prefix}{n}"

    def split(self, delta: Ctx) -> tuple[Ctx, Ctx]:
        sides = [self.draw(st.booleans()) for _ in delta]
        return (tuple(h for h, s in zip(delta, sides) if not s),
                tuple(h for h, s in zip(delta, sides) if s))

    def small_type(self) -> Type:
        return self.draw(ll_types(1, bang_functions=self.bang_functions))

    # --- closing: fuel exhausted -------------------------------------------------------

    def closed(self, goal: Type, gamma: Mapping[str, Type]) -> Term:
        """Γ ; · ⊢ closed(goal) : goal."""
        for u, ty in gamma.items():
            if ty == goal and self.usable(u):
                return Var(u)
        match goal:
            case Real():
                return Const("zero") if self.strict else Lit(Fraction(1, 2))
            case One():
                return Unit()
            case Tensor(a, b):
                return Pair(self.closed(a, gamma), self.closed(b, gamma))
            case Lolli(a, b):
                x = self.fresh("x")
                return Fun(x, a, LetUnit(self.discard(Var(x), a, gamma), self.closed(b, gamma)))
            case Bang(a):
                return Promote(self.closed(a, gamma))
        raise TypeError(goal)

    def discard(self, t: Term, ty: Type, gamma: Mapping[str, Type]) -> Term:
        """Γ ; Δ ⊢ discard(t) : 1, given Γ ; Δ ⊢ t : ty."""
        if is_data(ty):
            return t if ty == ONE else App(Const("drop", ty), t)
        match ty:
            case Bang():
                return LetBang(self.fresh("u"), t, Unit())
            case Lolli(a, b):
                return self.discard(App(t, self.closed(a, gamma)), b, gamma)
            case Tensor(a, b):
                x, y = self.fresh("x"), self.fresh("x")
                return LetPair(x, y, t, LetUnit(self.discard(Var(x), a, gamma),
                                                self.discard(Var(y), b, gamma)))
        raise TypeError(ty)

    def close(self, goal: Type, gamma: Mapping[str, Type], delta: Ctx) -> Term:
        if len(delta) == 1 and delta[0][1] == goal:
            return Var(delta[0][0])
        result = self.closed(goal, gamma)
        for x, ty in reversed(delta):
            result = LetUnit(self.discard(Var(x), ty, gamma), result)
        return result

    # --- the generator ----------------------------------------------------------------------

    def gen(self, goal: Type, gamma: Mapping[str, Type], delta: Ctx, fuel: int) -> Term:
        """A term with Γ ; Δ ⊢ t : goal."""
        if fuel <= 0:
            return self.close(goal, gamma, delta)
        options: list[Callable[[], Term]] = []
        if len(delta) == 1 and delta[0][1] == goal:
            options.append(lambda: Var(delta[0][0]))
        if not delta:
            options += [lambda u=u: Var(u) for u, ty in gamma.items()
                        if ty == goal and self.usable(u)]
        options += self.intros(goal, gamma, delta, fuel)
        options += [lambda i=i: self.eliminate(i, goal, gamma, delta, fuel)
                    for i in range(len(delta))]
        if is_data(goal) and goal != ONE:
            options.append(lambda: self.plus(goal, gamma, delta, fuel))
            options.append(lambda: self.scale(goal, gamma, delta, fuel))
        options.append(lambda: self.cut(goal, gamma, delta, fuel))
        return options[self.draw(st.integers(0, len(options) - 1))]()

    def intros(self, goal: Type, gamma: Mapping[str, Type], delta: Ctx,
               fuel: int) -> list[Callable[[], Term]]:
        g = lambda ty, d, gm=gamma: self.gen(ty, gm, d, fuel - 1)
        match goal:
            case Real():
                if delta:
                    return []
                if self.strict:
                    return [lambda: Const("zero")]
                return [lambda: self.draw(LITERALS), lambda: self.prim(gamma, fuel)]
            case One():
                return [] if delta else [lambda: Unit()]
            case Tensor(a, b):
                def pair() -> Term:
                    d1, d2 = self.split(delta)
                    return Pair(g(a, d1), g(b, d2))
                return [pair]
            case Lolli(a, b):
                def fun() -> Term:
                    x = self.fresh("x")
                    return Fun(x, a, g(b, delta + ((x, a),)))
                return [fun]
            case Bang(a):
                return [] if delta else [lambda: Promote(g(a, ()))]
        raise TypeError(goal)

    def prim(self, gamma: Mapping[str, Type], fuel: int) -> Term:
        """op !t1 … !tn with Γ ; · ⊢ ti : real; div/log/sqrt/x^-k arguments kept in the
        domain (exp of a term), x^k's (k ≥ 0) bounded (sin of a term: no degree towers)."""
        op = self.draw(st.sampled_from(OPS))
        args = [self.gen(REAL, gamma, (), fuel - 1) for _ in range(PRIMS[op].arity)]
        exp = lambda t: App(Const("exp"), Promote(t))
        if op is Op.DIV:
            args[1] = exp(args[1])
        if op in (Op.LOG, Op.SQRT) or isinstance(op, PowI) and op.k < 0:
            args[0] = exp(args[0])
        elif isinstance(op, PowI):
            args[0] = App(Const("sin"), Promote(args[0]))
        result: Term = Const(op.value)
        for a in args:
            result = App(result, Promote(a))
        return result

    def eliminate(self, i: int, goal: Type, gamma: Mapping[str, Type], delta: Ctx,
                  fuel: int) -> Term:
        """Use up the linear hypothesis delta[i]."""
        x, ty = delta[i]
        rest = delta[:i] + delta[i + 1:]
        body = lambda d, gm=gamma: self.gen(goal, gm, d, fuel - 1)
        if is_data(ty) and ty != ONE and self.draw(st.booleans()):
            if self.draw(st.booleans()):
                return LetUnit(App(Const("drop", ty), Var(x)), body(rest))
            a, b = self.fresh("x"), self.fresh("x")
            return LetPair(a, b, App(Const("dup", ty), Var(x)),
                           body(rest + ((a, ty), (b, ty))))
        match ty:
            case Real() | One():
                return LetUnit(self.discard(Var(x), ty, gamma), body(rest))
            case Tensor(a, b):
                y, z = self.fresh("x"), self.fresh("x")
                return LetPair(y, z, Var(x), body(rest + ((y, a), (z, b))))
            case Bang(a):
                u = self.fresh("u")
                return LetBang(u, Var(x), body(rest, {**gamma, u: a}))
            case Lolli(a, b):
                d1, d2 = self.split(rest)
                y = self.fresh("x")
                arg = self.gen(a, gamma, d1, fuel - 1)
                return App(Fun(y, b, body(d2 + ((y, b),))), App(Var(x), arg))
        raise TypeError(ty)

    def plus(self, goal: Type, gamma: Mapping[str, Type], delta: Ctx, fuel: int) -> Term:
        d1, d2 = self.split(delta)
        return App(App(Const("plus", goal), self.gen(goal, gamma, d1, fuel - 1)),
                   self.gen(goal, gamma, d2, fuel - 1))

    def scale(self, goal: Type, gamma: Mapping[str, Type], delta: Ctx, fuel: int) -> Term:
        """scale !r t, or ldiv !(exp r) t (a divisor in ldiv's domain, as for div)."""
        strict, self.strict = self.strict, False  # the factor is non-linear data
        r = self.gen(REAL, gamma, (), fuel - 1)
        self.strict = strict
        name = self.draw(st.sampled_from(("scale", "ldiv")))
        if name == "ldiv":
            r = App(Const("exp"), Promote(r))
        return App(App(Const(name, goal), Promote(r)), self.gen(goal, gamma, delta, fuel - 1))

    def cut(self, goal: Type, gamma: Mapping[str, Type], delta: Ctx, fuel: int) -> Term:
        d1, d2 = self.split(delta)
        b = self.small_type()
        match self.draw(st.integers(0, 2)):
            case 0:  # ⊸E through B ⊸ goal
                return App(self.gen(Lolli(b, goal), gamma, d1, fuel - 1),
                           self.gen(b, gamma, d2, fuel - 1))
            case 1:  # !E through !B
                if not self.bang_functions and has_lolli(b):
                    b = REAL
                u = self.fresh("u")
                return LetBang(u, self.gen(Bang(b), gamma, d1, fuel - 1),
                               self.gen(goal, {**gamma, u: b}, d2, fuel - 1))
            case _:  # ⊗E through B ⊗ C
                c = self.small_type()
                x, y = self.fresh("x"), self.fresh("x")
                return LetPair(x, y, self.gen(Tensor(b, c), gamma, d1, fuel - 1),
                               self.gen(goal, gamma, d2 + ((x, b), (y, c)), fuel - 1))


@st.composite
def ll_terms(draw, goal: Type, gamma: Mapping[str, Type] | None = None,
             delta: Mapping[str, Type] | None = None, fuel: int = 4,
             bang_functions: bool = True) -> Term:
    """A term t with Γ ; Δ ⊢ t : goal (every hypothesis of Δ used exactly once)."""
    gamma, delta = dict(gamma or {}), dict(delta or {})
    gen = _Gen(draw, bang_functions, set(gamma) | set(delta))
    return gen.gen(goal, gamma, tuple(delta.items()), fuel)


@st.composite
def closed_terms(draw, fuel: int = 4, bang_functions: bool = True,
                 depth: int = 2) -> tuple[Term, Type]:
    """(t, A) with · ; · ⊢ t : A, A drawn first."""
    goal = draw(ll_types(depth, bang_functions=bang_functions))
    return draw(ll_terms(goal, fuel=fuel, bang_functions=bang_functions)), goal


@dataclass(frozen=True)
class LinearProblem:
    """Γ ; y1:D1, …, ym:Dm ⊢ term : result, with Γ intuitionistic reals."""

    gamma: dict[str, Type]
    delta: dict[str, Type]
    result: Type
    term: Term


@st.composite
def linear_problems(draw, fuel: int = 4, max_inputs: int = 3,
                    strict: bool = False) -> LinearProblem:
    """Terms with several linear inputs of data types and a data result (for L3);
    strict: in the strictly linear fragment (see the module docstring)."""
    m = draw(st.integers(1, max_inputs))
    delta = {f"y{i}": draw(data_types(2)) for i in range(m)}
    gamma = {f"r{i}": REAL for i in range(draw(st.integers(0, 2)))}
    result = draw(data_types(2))
    gen = _Gen(draw, True, set(gamma) | set(delta), strict, frozenset(gamma))
    return LinearProblem(gamma, delta, result,
                         gen.gen(result, gamma, tuple(delta.items()), fuel))


def inhabitant(ty: Type) -> Term:
    """A canonical closed term · ; · ⊢ t : ty (deterministic; literals are 1/2)."""
    return _Gen(lambda _: 0, True, set()).closed(ty, {})
