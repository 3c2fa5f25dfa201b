"""Type-directed hypothesis strategies for random well-typed Linear A programs.

Every draw builds, top-down, a derivation of the judgement of SPEC §2.2

    Γ ; Δ ⊢ e : (τ̄ ; σ̄)

from its goal (τ̄ ; σ̄): the generator picks an introduction form for the goal, a
variable of the goal type, or an elimination (let, unpack, call) with an invented
intermediate type.  Nothing is generated and then filtered: every draw type-checks by
construction.  How each structural rule is met:

  Δ exact      the linear context is passed down explicitly and *split* between
               subterms, so every linear variable is consumed exactly once; a part
               nobody consumes is discarded by `let (;) = drop(…) in …`.
  Γ no weak.   a non-linear variable still unused when its scope closes is dropped at
               the start of that scope (`let (;) = drop(x) in …`, or `drop(tup(x̄))`),
               because Linear A has no weakening; using it many times is fine.
  names        all fresh (`x7`, `a8`, `f0`): no shadowing anywhere in a program.

Fuel: every generated node costs one unit of the per-function `fuel`; once it is spent
only the cheapest completion of the goal is drawn (a variable, a literal, `zero`, a
return, a `drop` of what is left), so programs stay small — tens of nodes with the
default — and grow with `fuel`.  Simple choices come first in every `sampled_from`, so
counterexamples shrink towards variables, literals and single functions.

Domains [choice]: at the arguments `args_for` draws (reals in [-2, 2]) generated
programs stay inside the primitives' domains and far from overflow:
  - `exp` is applied only to `sin(e)` or `cos(e)` (no exp towers);
  - `log` only to `exp(b)` or to `v * v + 1.0`, `div` divides only by the same, and
    `sqrt` and `x ** k` with k < 0 take only the same;
  - `x ** k` with k ≥ 0 takes only `sin(e)` or `cos(e)` (no degree towers);
  - literals are small exact decimals n/d with |n| ≤ 12 and d ∈ {1, 2, 4, 5, 10};
  - everything else is polynomial of bounded degree in tens of nodes.
A derived program (J, U, T of a generated one) only divides by what the original
divides by, so it stays in the domain too.

Non-linear subterms [choice]: primitive arguments and the scalar of `*.` are generated
without any linear construct.  The checker (`typecheck._Checker.nonlinear`) only needs
their Δ to be empty from outside: it accepts a linear variable bound and consumed inside
one (tests/test_linear_a_typecheck.py), but these generators never draw that case; A13
meets it in its hand-written witness, and A12/A13 meet the rejected case (an outer
linear variable consumed inside) through near misses.

Entry points: `nonlinear_programs` (for J and grad), `linear_programs` (for T and
linearity), `mixed_programs` (for unzip), each drawing a `Generated(program, func)`
whose *last* function `func` is the one under test; `args_for` draws its arguments.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Sequence, assert_never

import mpmath
import sympy
from hypothesis import strategies as st

from calculus.linear_a.syntax import (REAL, Call, Drop, Dup, Expr, FunDef, LAdd, LDiv, Let, Lit,
                                      LScale, LTup, LVar, Prim, Program, RealT, Ret, Tup, TupT,
                                      Type, UnpackLtup, UnpackTup, Var, Zero)
from calculus.primitives import OPS, PRIMS, Op, PowI

Lin = list[tuple[str, Type]]  # Δ: linear variables (name, type) to consume, exactly once
Goal = tuple[tuple[Type, ...], tuple[Type, ...]]  # (τ̄ ; σ̄)
Count = tuple[int, int]  # inclusive bounds on a number of parameters or results

DEFAULT_FUEL = 8  # generated nodes per function before only completions are drawn
ARG_BOUND = 2  # args_for draws reals in [-ARG_BOUND, ARG_BOUND]
ARG_DENOM = 64  # … on the dyadic grid k/ARG_DENOM, exact in every number mode

PAIR = TupT((REAL, REAL))
# Types of parameters, results and intermediate values; real is the most likely and the
# one shrinking goes to.  The unit type () is included on purpose (an edge case).
TYPES: tuple[Type, ...] = (REAL,) * 6 + (PAIR, PAIR, TupT((REAL,)), TupT((REAL, PAIR)), TupT(()))
# The last function's results have a real inside, so that they can depend on its inputs.
RESULT_TYPES: tuple[Type, ...] = TYPES[:-1]
LIT_DENOMS = (1, 2, 4, 5, 10)
LIT_NUM = 12


@dataclass(frozen=True)
class Generated:
    """A generated program and the name of its last function, the one under test."""

    program: Program
    func: str

    @property
    def fundef(self) -> FunDef:
        return self.program.get(self.func)

    def __str__(self) -> str:
        return str(self.program)


@dataclass(frozen=True)
class Shape:
    """How many non-linear/linear parameters and results a function gets."""

    nl_params: Count
    lin_params: Count
    nl_results: Count
    lin_results: Count


class _Gen:
    """One program's generation state: the draw function, the fuel left in the current
    function, Γ (non-linear variables in scope) and the functions defined so far."""

    def __init__(self, draw: Callable, fuel: int, linear: bool) -> None:
        self.draw = draw
        self.fuel = fuel
        self.linear = linear  # may linear types and constructs occur here?
        self.ids = itertools.count()
        self.funcs: list[FunDef] = []
        self.gamma: dict[str, Type] = {}  # Γ, in binding order
        self.used: set[str] = set()  # non-linear variables used at least once

    # -- small draws ------------------------------------------------------------------------

    def pick(self, options: Sequence):
        return self.draw(st.sampled_from(options))

    def fresh(self, prefix: str) -> str:
        return f"{prefix}{next(self.ids)}"

    def type(self, among: Sequence[Type] = TYPES) -> Type:
        return self.pick(among)

    def types(self, count: Count, among: Sequence[Type] = TYPES) -> tuple[Type, ...]:
        n = self.draw(st.integers(*count))
        return tuple(self.type(among) for _ in range(n))

    def sig(self, nonempty: bool = False) -> Goal:
        """An invented intermediate result type (τ̄ ; σ̄), σ̄ empty unless linear."""
        nl = self.types((0, 2))
        lin = self.types((0, 2)) if self.linear else ()
        if nonempty and not nl and not lin:
            nl = (self.type(),)
        return nl, lin

    def split(self, delta: Lin) -> tuple[Lin, Lin]:
        """Δ = Δ1, Δ2 (shrinks towards everything in Δ2)."""
        left = [self.draw(st.booleans()) for _ in delta]
        return ([y for y, l in zip(delta, left) if l], [y for y, l in zip(delta, left) if not l])

    def vars_of(self, t: Type) -> list[str]:
        """Variables of type t in Γ, those not used yet first."""
        have = [x for x, s in self.gamma.items() if s == t]
        return [x for x in have if x not in self.used] + [x for x in have if x in self.used]

    def use(self, names: Sequence[str]) -> tuple[str, ...]:
        self.used.update(names)
        return tuple(names)

    # -- scopes -----------------------------------------------------------------------------

    def under(self, binds: Sequence[tuple[str, Type]], build: Callable[[], Expr]) -> Expr:
        """`build()` with the non-linear `binds` in Γ; those it leaves unused are dropped
        at the start of the body (no weakening)."""
        self.gamma.update(binds)
        body = build()
        for x, _ in binds:
            del self.gamma[x]
        unused = [x for x, _ in binds if x not in self.used]
        if not unused:
            return body
        gone = Var(unused[0]) if len(unused) == 1 else Tup(tuple(unused))
        self.use(unused)
        return Let((), (), Drop(gone), body)

    def nonlinear(self, build: Callable[[], Expr]) -> Expr:
        """A subterm that must be non-linear: no linear construct inside (see module
        docstring, choice)."""
        saved, self.linear = self.linear, False
        try:
            return build()
        finally:
            self.linear = saved

    def with_nl_vars(self, types: Sequence[Type], k: Callable[[tuple[str, ...]], Expr]) -> Expr:
        """k(x̄) for non-linear variables x̄ of `types`: each one an existing variable
        (sharing it) or a fresh one bound by `let (x;) = e in …` around k."""
        names: list[str] = []
        binds: list[tuple[str, Type, Expr]] = []
        for t in types:
            have = self.vars_of(t)
            if have and self.pick(("use", "bind")) == "use":
                names.append(self.pick(have))
                continue
            x = self.fresh("x")
            binds.append((x, t, self.expr(((t,), ()), [])))
            self.gamma[x] = t  # later arguments and k may share it
            names.append(x)
        body = k(self.use(names))
        for x, _, _ in binds:
            del self.gamma[x]
        for x, t, e in reversed(binds):
            body = Let((x,), (), e, body)
        return body

    def with_lin_vars(self, types: Sequence[Type], delta: Lin,
                      k: Callable[[tuple[str, ...]], Expr]) -> Expr:
        """k(ȳ) for linear variables ȳ of `types` that together consume Δ exactly: each
        one a variable of Δ taken directly or a fresh one bound by `let (; a) = e in …`
        consuming a part of Δ; what no component takes is dropped."""
        names: list[str | None] = [None] * len(types)
        rest = list(delta)
        for i, s in enumerate(types):
            have = [y for y in rest if y[1] == s]
            if have and self.pick(("take", "build")) == "take":
                y = self.pick(have)
                rest.remove(y)
                names[i] = y[0]
        build = [i for i, n in enumerate(names) if n is None]
        parts: list[Lin] = [[] for _ in range(len(build) + 1)]  # the last one is dropped
        targets = list(range(len(build))) * 3 + [len(build)]  # dropping is rare
        for y in rest:
            parts[self.pick(targets)].append(y)
        binds = []
        for i, part in zip(build, parts):
            a = self.fresh("a")
            binds.append((a, self.expr(((), (types[i],)), part)))
            names[i] = a
        body = k(tuple(n for n in names if n is not None))
        for a, e in reversed(binds):
            body = Let((), (a,), e, body)
        if parts[-1]:
            body = Let((), (), self.expr(((), ()), parts[-1]), body)
        return body

    # -- the judgement ----------------------------------------------------------------------

    def expr(self, goal: Goal, delta: Lin) -> Expr:
        """Γ ; Δ ⊢ e : goal, consuming Δ exactly."""
        self.fuel -= 1
        if self.fuel <= 0:
            return self.finish(goal, delta)
        return self.pick(self.forms(goal, delta))(goal, delta)

    def forms(self, goal: Goal, delta: Lin) -> list[Callable[[Goal, Lin], Expr]]:
        """The rules whose conclusion matches the goal, simplest first; a rule listed k
        times is drawn k times as often."""
        nl, lin = goal
        out: list[Callable[[Goal, Lin], Expr]] = []
        if len(nl) + len(lin) != 1:  # a tuple of results: returning variables is simplest
            out.append(self.ret)
        if len(nl) == 1 and not lin and not delta:  # one non-linear value
            if self.vars_of(nl[0]):
                out.append(self.var)
            out += [self.lit] + [self.prim] * 4 if nl[0] == REAL else [self.tup] * 2
        if not nl and len(lin) == 1:  # one linear value
            if len(delta) == 1 and delta[0][1] == lin[0]:
                out += [self.lvar] * 2
            if not delta:
                out.append(self.zero)
            out += [self.lscale] * 2 + [self.ldiv] + [self.ladd] * 2
            if isinstance(lin[0], TupT):
                out.append(self.ltup)
        if not nl and len(lin) == 2 and lin[0] == lin[1]:
            out += [self.dup] * 2
        if not nl and not lin:
            out.append(self.drop)
        if len(nl) + len(lin) == 1:
            out.append(self.ret)
        out.append(self.let)
        if self.linear:
            out += [self.let_dup, self.let_drop]
        if self.callees():
            out += [self.call] * 2
        if any(isinstance(t, TupT) for t in self.gamma.values()):
            out.append(self.unpack_tup)
        if any(isinstance(t, TupT) for _, t in delta):
            out += [self.unpack_ltup] * 2
        return out

    def finish(self, goal: Goal, delta: Lin) -> Expr:
        """The cheapest derivation of the goal, once the fuel is spent.  It terminates:
        it recurses only on component types, and unpacks only linear tuples."""
        nl, lin = goal
        if len(nl) == 1 and not lin and not delta:
            if nl[0] == REAL:
                return self.finish_real()
            return self.var(goal, delta) if self.vars_of(nl[0]) else self.tup(goal, delta)
        if not nl and not lin:
            if not delta:
                return Ret((), ())
            return Drop(LVar(delta[0][0]) if len(delta) == 1 else LTup(tuple(y for y, _ in delta)))
        if not nl and len(lin) == 1:
            return self.finish_lin(lin[0], delta)
        return self.ret(goal, delta)

    def finish_real(self) -> Expr:
        """A real that uses the real variables not used yet (combined by + - *), else a
        variable or a literal."""
        goal: Goal = ((REAL,), ())
        fresh = [x for x in self.vars_of(REAL) if x not in self.used]
        if not fresh:
            return self.var(goal, []) if self.vars_of(REAL) else self.lit(goal, [])
        e: Expr = Var(fresh[0])
        for x in fresh[1:]:
            e = Prim(self.pick((Op.ADD, Op.MUL, Op.SUB)), (e, Var(x)))
        self.use(fresh)
        return e

    def finish_lin(self, s: Type, delta: Lin) -> Expr:
        """Γ ; Δ ⊢ e : (; s) consuming Δ usefully: linear tuples not of type s are
        unpacked, members of type s are summed with +., reals are packed into an
        ltup when s is a tuple with a real inside; only what cannot fit is dropped."""
        for q in delta:
            if q[1] != s and isinstance(q[1], TupT):
                comps = [(self.fresh("a"), c) for c in q[1].elems]
                body = self.finish_lin(s, [y for y in delta if y != q] + comps)
                return UnpackLtup(tuple(y for y, _ in comps), q[0], body)
        terms: list[Expr] = [LVar(y) for y, t in delta if t == s]
        reals = [(y, t) for y, t in delta if t != s]  # all real, and s is not real
        dropped: Lin = []
        if reals and _has_real(s):
            terms.append(self.pack(s, reals))
        else:
            dropped = reals
        e: Expr = terms[0] if terms else Zero(s)
        for t in terms[1:]:
            e = LAdd(e, t)
        return Let((), (), self.finish(((), ()), dropped), e) if dropped else e

    def pack(self, s: Type, reals: Lin) -> Expr:
        """ltup(…) : s consuming the linear reals, all put into the first component of s
        that has a real inside (the others are zero)."""
        assert isinstance(s, TupT)
        first = next(i for i, c in enumerate(s.elems) if _has_real(c))
        names, binds = [], []
        for i, c in enumerate(s.elems):
            a = self.fresh("a")
            binds.append((a, self.finish_lin(c, reals if i == first else [])))
            names.append(a)
        body: Expr = LTup(tuple(names))
        for a, e in reversed(binds):
            body = Let((), (a,), e, body)
        return body

    # non-linear introductions: x, r, op(e…), tup(x̄)

    def var(self, goal: Goal, delta: Lin) -> Expr:
        return Var(self.use([self.pick(self.vars_of(goal[0][0]))])[0])

    def lit(self, goal: Goal, delta: Lin) -> Expr:
        n = self.draw(st.integers(-LIT_NUM, LIT_NUM))
        return Lit(Fraction(n, self.pick(LIT_DENOMS)))

    def real(self) -> Expr:
        """A non-linear real subterm: Γ ; · ⊢ e : (real ;)."""
        return self.nonlinear(lambda: self.expr(((REAL,), ()), []))

    def bounded(self) -> Expr:
        """A real in [-1, 1]: sin(e) or cos(e)."""
        return Prim(self.pick((Op.SIN, Op.COS)), (self.real(),))

    def positive(self) -> Expr:
        """A real ≥ 1/e: v * v + 1.0 (sharing v) or exp(b)."""
        if self.pick(("square", "exp")) == "square":
            return self.nonlinear(lambda: self.with_nl_vars(
                (REAL,), lambda v: Prim(Op.ADD, (Prim(Op.MUL, (Var(v[0]), Var(v[0]))),
                                                 Lit(Fraction(1))))))
        return Prim(Op.EXP, (self.bounded(),))

    def prim(self, goal: Goal, delta: Lin) -> Expr:
        op = self.pick(OPS)
        if op is Op.EXP or isinstance(op, PowI) and op.k >= 0:
            return Prim(op, (self.bounded(),))
        if op in (Op.LOG, Op.SQRT) or isinstance(op, PowI):
            return Prim(op, (self.positive(),))
        if op is Op.DIV:
            return Prim(op, (self.real(), self.positive()))
        return Prim(op, tuple(self.real() for _ in range(PRIMS[op].arity)))

    def tup(self, goal: Goal, delta: Lin) -> Expr:
        t = goal[0][0]
        assert isinstance(t, TupT)
        return self.with_nl_vars(t.elems, Tup)

    # linear introductions: y, zero[σ], e *. e, e /. e, e +. e, ltup(ȳ), dup(e), drop(e)

    def lvar(self, goal: Goal, delta: Lin) -> Expr:
        return LVar(delta[0][0])

    def zero(self, goal: Goal, delta: Lin) -> Expr:
        return Zero(goal[1][0])

    def lscale(self, goal: Goal, delta: Lin) -> Expr:
        return LScale(self.real(), self.expr(goal, delta))

    def ldiv(self, goal: Goal, delta: Lin) -> Expr:
        """e /. d with a divisor d ≥ 1/e (in the domain, like `/`'s)."""
        return LDiv(self.expr(goal, delta), self.positive())

    def ladd(self, goal: Goal, delta: Lin) -> Expr:
        d1, d2 = self.split(delta)
        return LAdd(self.expr(goal, d1), self.expr(goal, d2))

    def ltup(self, goal: Goal, delta: Lin) -> Expr:
        t = goal[1][0]
        assert isinstance(t, TupT)
        return self.with_lin_vars(t.elems, delta, LTup)

    def dup(self, goal: Goal, delta: Lin) -> Expr:
        return Dup(self.expr(((), goal[1][:1]), delta))

    def drop(self, goal: Goal, delta: Lin) -> Expr:
        return Drop(self.expr(self.sig(nonempty=True), delta))

    # structural forms, at any goal: (x̄ ; ȳ), let, f(x̄ ; ȳ), let tup, let ltup

    def ret(self, goal: Goal, delta: Lin) -> Expr:
        nl, lin = goal
        return self.with_nl_vars(nl, lambda xs: self.with_lin_vars(
            lin, delta, lambda ys: Ret(xs, ys)))

    def bind(self, bound_goal: Goal, bound: Expr, goal: Goal, delta: Lin) -> Expr:
        """let (x̄ ; ȳ) = bound in e, with e : goal consuming Δ and the fresh ȳ."""
        xs = [(self.fresh("x"), t) for t in bound_goal[0]]
        ys = [(self.fresh("a"), t) for t in bound_goal[1]]
        body = self.under(xs, lambda: self.expr(goal, delta + ys))
        return Let(tuple(x for x, _ in xs), tuple(y for y, _ in ys), bound, body)

    def let(self, goal: Goal, delta: Lin) -> Expr:
        mid = self.sig()
        d1, d2 = self.split(delta)
        return self.bind(mid, self.expr(mid, d1), goal, d2)

    def let_dup(self, goal: Goal, delta: Lin) -> Expr:
        """let (; a, b) = dup(e) in …"""
        s = self.type()
        d1, d2 = self.split(delta)
        return self.bind(((), (s, s)), self.dup(((), (s, s)), d1), goal, d2)

    def let_drop(self, goal: Goal, delta: Lin) -> Expr:
        """let (;) = drop(e) in …"""
        d1, d2 = self.split(delta)
        return self.bind(((), ()), self.drop(((), ()), d1), goal, d2)

    def callees(self) -> list[FunDef]:
        """Earlier functions callable here: inside a non-linear subterm only those
        without linear parameters or results."""
        return [f for f in self.funcs if self.linear or not (f.lin_params or f.lin_results)]

    def call(self, goal: Goal, delta: Lin) -> Expr:
        """f(x̄ ; ȳ) itself when f returns the goal and Δ is all passed to it, else
        `let (x̄' ; ȳ') = f(x̄ ; ȳ) in e`."""
        f = self.pick(self.callees()[::-1])
        res = (f.nl_results, f.lin_results)
        d1, d2 = self.split(delta)

        def k(xs: tuple[str, ...]) -> Expr:
            return self.with_lin_vars([t for _, t in f.lin_params], d1, lambda ys: (
                Call(f.name, xs, ys) if res == goal and not d2
                else self.bind(res, Call(f.name, xs, ys), goal, d2)))

        return self.with_nl_vars([t for _, t in f.nl_params], k)

    def unpack_tup(self, goal: Goal, delta: Lin) -> Expr:
        p = self.pick([x for x, t in self.gamma.items() if isinstance(t, TupT)])
        t = self.gamma[p]
        assert isinstance(t, TupT)
        self.use([p])
        xs = [(self.fresh("x"), s) for s in t.elems]
        body = self.under(xs, lambda: self.expr(goal, delta))
        return UnpackTup(tuple(x for x, _ in xs), p, body)

    def unpack_ltup(self, goal: Goal, delta: Lin) -> Expr:
        q = self.pick([y for y in delta if isinstance(y[1], TupT)])
        t = q[1]
        assert isinstance(t, TupT)
        ys = [(self.fresh("a"), s) for s in t.elems]
        body = self.expr(goal, [y for y in delta if y != q] + ys)
        return UnpackLtup(tuple(y for y, _ in ys), q[0], body)

    # -- programs ----------------------------------------------------------------------------

    def fundef(self, name: str, shape: Shape, fuel: int, results: Sequence[Type]) -> FunDef:
        """def name(x̄:τ̄ ; ȳ:σ̄) -> (τ̄' ; σ̄') = e, with Γ = x̄ and Δ = ȳ; the result
        types are drawn from `results`."""
        nl = [(self.fresh("x"), t) for t in self.types(shape.nl_params)]
        lin = [(self.fresh("a"), t) for t in self.types(shape.lin_params)] if self.linear else []
        nl_res = self.types(shape.nl_results, results)
        lin_res = self.types(shape.lin_results, results) if self.linear else ()
        self.fuel, self.gamma = fuel, {}
        body = self.under(nl, lambda: self.expr((nl_res, lin_res), lin))
        return FunDef(name, tuple(nl), tuple(lin), nl_res, lin_res, body)


def _has_real(t: Type) -> bool:
    return isinstance(t, RealT) or any(_has_real(c) for c in t.elems)


def _program(draw: Callable, max_funcs: int, fuel: int, linear: bool, helper: Shape,
             last: Shape) -> Generated:
    g = _Gen(draw, fuel, linear)
    n = draw(st.integers(1, max_funcs))
    for i in range(n):
        is_last = i == n - 1
        g.funcs.append(g.fundef(f"f{i}", last if is_last else helper, fuel,
                                RESULT_TYPES if is_last else TYPES))
    return Generated(Program(tuple(g.funcs)), g.funcs[-1].name)


# Shapes of the three families.  Helpers are the earlier functions the last one may call.
_NONLINEAR_HELPER = Shape((1, 3), (0, 0), (1, 3), (0, 0))
_NONLINEAR_LAST = Shape((1, 3), (0, 0), (1, 2), (0, 0))
_MIXED_HELPER = Shape((0, 2), (0, 2), (0, 2), (0, 2))
_LINEAR_HELPER = Shape((0, 2), (0, 2), (0, 0), (0, 2))
_LINEAR_LAST = Shape((1, 3), (1, 2), (0, 0), (1, 2))
_MIXED_LAST = Shape((1, 2), (1, 2), (1, 2), (1, 2))


@st.composite
def nonlinear_programs(draw: Callable, max_funcs: int = 3, fuel: int = DEFAULT_FUEL) -> Generated:
    """Purely non-linear programs (no linear type or construct anywhere): the last
    function is `f(x̄:τ̄ ;) -> (τ̄' ;)` with 1–3 parameters and 1–2 results.  The
    fragment of J and grad (SPEC §2.4)."""
    return _program(draw, max_funcs, fuel, False, _NONLINEAR_HELPER, _NONLINEAR_LAST)


@st.composite
def linear_programs(draw: Callable, max_funcs: int = 3, fuel: int = DEFAULT_FUEL,
                    mixed_callees: bool = True) -> Generated:
    """Programs whose last function is `f(x̄:τ̄ ; ȳ:σ̄) -> (; σ̄')` with 1–3 non-linear
    and 1–2 linear parameters and 1–2 linear results: the fragment of T (SPEC §2.4)
    and of the linearity theorem A2.  Earlier functions are mixed (both kinds of
    results) unless `mixed_callees=False`, which gives them no non-linear results."""
    helper = _MIXED_HELPER if mixed_callees else _LINEAR_HELPER
    return _program(draw, max_funcs, fuel, True, helper, _LINEAR_LAST)


@st.composite
def mixed_programs(draw: Callable, max_funcs: int = 3, fuel: int = DEFAULT_FUEL) -> Generated:
    """Any well-typed programs; the last function has 1–2 parameters and 1–2 results
    of each kind.  The fragment of U (every well-typed function: its non-linear
    results cannot depend on its linear inputs)."""
    return _program(draw, max_funcs, fuel, True, _MIXED_HELPER, _MIXED_LAST)


# --- arguments ----------------------------------------------------------------------------


def embed(v, mode: str):
    """An exact value (a Fraction, or nested tuples of them) in a number mode:
    'exact' (unchanged), 'float', 'symbolic' (sympy Rational) or 'mpmath'."""
    if isinstance(v, tuple):
        return tuple(embed(c, mode) for c in v)
    match mode:
        case "exact":
            return v
        case "float":
            return float(v)
        case "symbolic":
            return sympy.Rational(v.numerator, v.denominator)
        case "mpmath":
            return mpmath.mpf(v.numerator) / v.denominator
    raise ValueError(f"unknown number mode {mode!r}")


def values(t: Type, mode: str = "float") -> st.SearchStrategy:
    """Values of type t: reals k/64 in [-2, 2] (exact in every mode), tuples of them."""
    match t:
        case RealT():
            grid = st.integers(-ARG_BOUND * ARG_DENOM, ARG_BOUND * ARG_DENOM)
            return grid.map(lambda k: embed(Fraction(k, ARG_DENOM), mode))
        case TupT(elems):
            return st.tuples(*(values(s, mode) for s in elems))
        case _:
            assert_never(t)


def args_for(program: Program, func: str, mode: str = "float") -> st.SearchStrategy:
    """Arguments `(nl, lin)` for `evaluate.run(program, func, nl, lin, mode)`: one value
    per parameter, drawn inside the safe range (module docstring, Domains)."""
    f = program.get(func)
    return st.tuples(st.tuples(*(values(t, mode) for _, t in f.nl_params)),
                     st.tuples(*(values(t, mode) for _, t in f.lin_params)))
