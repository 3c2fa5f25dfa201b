"""An optional simplification pass on Linear A programs (issue 14, "beyond JAX's tracer").

    simplify_program(P, f) = (P', report)     ⟦P'⟧ = ⟦P⟧,  W_m(P') ≤ W_m(P)  (theorem S1)

Meant for gradient programs T(U(J f)) (`grad.reverse(…, simplify=True)`), defined on
every well-typed program.  `RULES` is the table of rewrite rules, one function per
rule, each stating its equation and side condition:

    scale_by_one   1 *. e  ↦  e
    mul_by_one     x * 1  ↦  x,   1 * x  ↦  x          (a renaming `let (z;) = (x;)`)
    cse            let (z;) = op(ā) in C[let (z';) = op(ā') in e]  ↦  … let (z';) = (z;) in e
    dce            let (x̄;) = e in body  ↦  body without the drops of x̄

"1" is the literal 1 or a variable bound to it (through renamings); ā ≡ ā' compares
variables up to renamings and literal-bound variables by their value.

Linear A has no weakening (`typecheck.py`): a non-linear variable must be used or
dropped.  After every pass the *re-weakening* step removes the drops `let (;) =
drop(x)` of deleted variables and drops, right after its binder (a parameter: at the
top of the body), every surviving non-linear variable that lost its last use.  A drop
of a non-linear variable costs 0 in both cost models, so re-weakening changes no work.

Each pass is one forward walk (scale_by_one, mul_by_one, cse) and one backward sweep
over the binders (dce, so dead chains die in one sweep), both linear in the size of
the function; passes repeat until one applies no rule (in practice two).  Functions
are `freshen`ed first, so a name identifies its binder and shadowing cannot confuse
cse.  Linear bindings are never removed or merged (each linear variable is used once).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import count
from typing import Callable, Iterable, assert_never

from ..deep import deep
from ..errors import CalculusError, InternalError
from ..primitives import PRIMS, Op
from .names import freshen, occurrences
from .syntax import (Call, Drop, Dup, Expr, FunDef, Hole, LAdd, LDiv, Let, Lit, LScale, LTup, LVar,
                     Prim, Program, Ret, Tup, UnpackLtup, UnpackTup, Var, Zero, subterms)
from .typecheck import check_program
from .work import reachable

Key = tuple  # a canonical form of a non-linear expression, for cse
Binder = Let | UnpackTup | UnpackLtup
ONE = Fraction(1)


class Context:
    """What the forward walk knows at a point: renamings, literal-bound variables and
    the primitive applications available for cse (scoped: undone when the chain that
    bound them ends)."""

    def __init__(self) -> None:
        self.alias: dict[str, str] = {}  # z ↦ x for `let (z;) = (x;)`, followed to the root
        self.const: dict[str, Fraction] = {}  # root ↦ r for `let (x;) = r`
        self.available: dict[Key, str] = {}  # canonical op(ā) ↦ the variable holding it
        self._undo: list[tuple[Key, str | None]] = []

    def root(self, x: str) -> str:
        return self.alias.get(x, x)

    def literal(self, e: Expr) -> Fraction | None:
        """The value of e if it is a literal or a variable bound to one."""
        match e:
            case Lit(q):
                return q
            case Var(x) | Ret((x,), ()):
                return self.const.get(self.root(x))
            case _:
                return None

    def canon(self, e: Expr) -> Key | None:
        """e up to renamings and literal-bound variables, or None if e is not built
        from variables (`x` or `(x;)`), literals and primitives."""
        q = self.literal(e)
        if q is not None:
            return ("lit", q)
        match e:
            case Var(x) | Ret((x,), ()):
                return ("var", self.root(x))
            case Prim(op, args):
                keys = tuple(self.canon(a) for a in args)
                return None if None in keys else (op, keys)
            case _:
                return None

    def remember(self, key: Key, name: str) -> None:
        self._undo.append((key, self.available.get(key)))
        self.available[key] = name

    def mark(self) -> int:
        return len(self._undo)

    def forget(self, mark: int) -> None:
        """Leave the scope opened at `mark`: its cse entries are no longer in scope."""
        while len(self._undo) > mark:
            key, old = self._undo.pop()
            if old is None:
                del self.available[key]
            else:
                self.available[key] = old


# --- the rules -------------------------------------------------------------------------------


def scale_by_one(e: LScale, ctx: Context) -> Expr | None:
    """1 *. e  ↦  e        (e linear, of any type σ: 1 *. v = v componentwise).
    Side condition: the scalar is the literal 1 or a variable bound to it."""
    return e.vec if ctx.literal(e.scalar) == ONE else None


def mul_by_one(e: Prim, ctx: Context) -> Expr | None:
    """x * 1  ↦  x   and   1 * x  ↦  x     (non-linear; bound by a let, a renaming).
    Side condition: the factor is the literal 1 or a variable bound to it."""
    if e.op is not Op.MUL:
        return None
    a, b = e.args
    return a if ctx.literal(b) == ONE else b if ctx.literal(a) == ONE else None


def cse(z: str, e: Expr, ctx: Context) -> Expr | None:
    """let (z;) = op(ā) in C[let (z';) = op(ā') in e]  ↦  let (z;) = op(ā) in C[let (z';) = (z;) in e]
    Side conditions: ā ≡ ā' (the same variables up to renamings, the same literal
    values), and the first binding's scope contains the second (names are unique, so
    nothing in C rebinds z or a variable of ā).  op may be partial: both bindings
    carry the same domain condition, and the first one is evaluated before."""
    if type(e) is not Prim:
        return None
    key = ctx.canon(e)
    if key is None:
        return None
    if (hit := ctx.available.get(key)) is not None:
        return Ret((hit,), (), e.pos)
    ctx.remember(key, z)
    return None


def dce(b: Binder, uses: Counter) -> bool:
    """let (x̄;) = e in body  ↦  body        and   let tup(x̄) = t in body  ↦  body
    Side conditions: every xᵢ is only dropped (`uses` counts the other uses: 0), their
    drops go with the binding; e is pure — built from variables, literals, tuples,
    renamings and primitives, no call, hole or linear variable — and total: no
    division, log, sqrt or negative power, whose domain condition removing e would
    lose (such bindings are kept).  A bare `let (;) = drop(x)` is weakening, not
    code: it is never removed by this rule (re-weakening owns it)."""
    match b:
        case Let(xs, (), bound):
            if type(bound) is Drop and type(bound.arg) is Var:
                return False
            return all(uses[x] == 0 for x in xs) and _pure_total(bound)
        case UnpackTup(xs):
            return all(uses[x] == 0 for x in xs)
        case _:
            return False


def _pure_total(e: Expr) -> bool:
    match e:
        case Var() | Lit() | Tup():
            return True
        case Ret(_, ys):
            return not ys
        case Prim(op, args):
            return PRIMS[op].domain is None and all(_pure_total(a) for a in args)
        case Drop(a):
            return _pure_total(a)
        case _:
            return False


RULES: dict[str, Callable] = {
    "scale_by_one": scale_by_one,  # at every `*.`
    "mul_by_one": mul_by_one,  # at every `*`
    "cse": cse,  # at every `let (z;) = e`
    "dce": dce,  # at every non-linear binder, innermost first
}
"""The rule table (broken-rule tests patch its entries)."""


@dataclass
class Report:
    """What simplification did: applications per rule, passes per function (the last
    one applied nothing)."""

    applied: Counter = field(default_factory=Counter)
    passes: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        rules = ", ".join(f"{r} {self.applied[r]}" for r in RULES) or "none"
        return f"rules applied: {rules}"


# --- chains of binders -------------------------------------------------------------------------


def _spine(e: Expr) -> tuple[list[Binder], Expr]:
    """The binders of the chain starting at e (a loop: any length) and its tail."""
    binders: list[Binder] = []
    while type(e) in (Let, UnpackTup, UnpackLtup):
        binders.append(e)  # type: ignore[arg-type]
        e = e.body  # type: ignore[union-attr]
    return binders, e


def _build(binders: Iterable[Binder], tail: Expr) -> Expr:
    """Re-nest the binders (their old bodies ignored) around the tail."""
    out = tail
    for b in reversed(list(binders)):
        match b:
            case Let(xs, ys, bound):
                out = Let(xs, ys, bound, out, b.pos)
            case UnpackTup(xs, t):
                out = UnpackTup(xs, t, out, b.pos)
            case UnpackLtup(ys, t):
                out = UnpackLtup(ys, t, out, b.pos)
            case _:
                assert_never(b)
    return out


def _map(e: Expr, fn: Callable[[Expr], Expr]) -> Expr:
    """e with fn applied to its immediate subexpressions (e not a binder)."""
    match e:
        case Prim(op, args):
            return Prim(op, tuple(fn(a) for a in args), e.pos)
        case LAdd(a, b):
            return LAdd(fn(a), fn(b), e.pos)
        case LScale(a, b):
            return LScale(fn(a), fn(b), e.pos)
        case LDiv(a, b):
            return LDiv(fn(a), fn(b), e.pos)
        case Dup(a):
            return Dup(fn(a), e.pos)
        case Drop(a):
            return Drop(fn(a), e.pos)
        case Ret() | Call() | Var() | Lit() | Tup() | LVar() | LTup() | Zero() | Hole():
            return e
        case Let() | UnpackTup() | UnpackLtup():
            raise InternalError("binders are walked by _spine")
        case _:
            assert_never(e)


# --- the forward walk: scale_by_one, mul_by_one, cse ---------------------------------------------


class _Rewrite:
    def __init__(self, enabled: frozenset[str], applied: Counter) -> None:
        self.enabled, self.applied, self.ctx = enabled, applied, Context()

    def rule(self, name: str, *args) -> Expr | None:
        if name not in self.enabled:
            return None
        out = RULES[name](*args, self.ctx)
        if out is not None:
            self.applied[name] += 1
        return out

    def expr(self, e: Expr) -> Expr:
        if type(e) in (Let, UnpackTup, UnpackLtup):
            return self.chain(e)
        e = _map(e, self.expr)
        match e:
            case LScale():
                return self.rule("scale_by_one", e) or e
            case Prim():
                return self.rule("mul_by_one", e) or e
            case _:
                return e

    def chain(self, e: Expr) -> Expr:
        binders, tail = _spine(e)
        mark, out = self.ctx.mark(), []
        for b in binders:
            if type(b) is Let:
                b = Let(b.nl, b.lin, self.bound(b), b.body, b.pos)
                self.learn(b)
            out.append(b)
        tail = self.expr(tail)
        self.ctx.forget(mark)
        return _build(out, tail)

    def bound(self, b: Let) -> Expr:
        new = self.expr(b.bound)
        if type(new) is Var and type(b.bound) is not Var:  # x * 1 ↦ x: a renaming
            new = Ret((new.name,), (), new.pos)
        if len(b.nl) == 1 and not b.lin:
            new = self.rule("cse", b.nl[0], new) or new
        return new

    def learn(self, b: Let) -> None:
        """Record the renamings and literals b binds."""
        ctx = self.ctx
        match b.bound:
            case Ret(xs):
                ctx.alias.update((z, ctx.root(x)) for z, x in zip(b.nl, xs))
            case Var(x):
                ctx.alias[b.nl[0]] = ctx.root(x)
            case Lit(q):
                ctx.const[b.nl[0]] = q


# --- the backward sweep: dce and re-weakening ----------------------------------------------------


def _dropped(b: Binder) -> str | None:
    """x for the weakening `let (;) = drop(x)`."""
    if type(b) is Let and not b.nl and not b.lin and type(b.bound) is Drop \
            and type(b.bound.arg) is Var:
        return b.bound.arg.name
    return None


def _drop(x: str) -> Let:
    """`let (;) = drop(x) in …` (its body is set by `_build`)."""
    return Let((), (), Drop(Var(x)), Ret((), ()))


class _Prune:
    """dce (when enabled) by one sweep over the binders in reverse order of scope (a
    binding's uses all come after it), then the rebuild with re-weakening."""

    def __init__(self, f: FunDef, enabled: bool, applied: Counter) -> None:
        self.uses = occurrences(f.body)
        self.drops: Counter = Counter()
        sites: list[Binder] = []
        for s in subterms(f.body):
            if type(s) in (Let, UnpackTup, UnpackLtup):
                if (x := _dropped(s)) is not None:  # type: ignore[arg-type]
                    self.drops[x] += 1
                else:
                    sites.append(s)  # type: ignore[arg-type]
        self.uses.subtract(self.drops)
        self.dead: set[int] = set()
        self.dead_names: set[str] = set()
        if enabled:
            for b in reversed(sites):
                if RULES["dce"](b, self.uses):
                    self.kill(b)
            if self.dead:
                applied["dce"] += len(self.dead)

    def kill(self, b: Binder) -> None:
        self.dead.add(id(b))
        match b:
            case Let(xs, _, bound):
                self.dead_names.update(xs)
                self.uses.subtract(occurrences(bound))
            case UnpackTup(xs, t):
                self.dead_names.update(xs)
                self.uses[t] -= 1
            case _:
                raise InternalError("only non-linear bindings die")

    def weaken(self, names: Iterable[str]) -> list[Let]:
        """The drops of the surviving names that are no longer used or dropped."""
        return [_drop(x) for x in names  # type: ignore[misc]
                if x not in self.dead_names and self.uses[x] == 0 and self.drops[x] == 0]

    def fun(self, f: FunDef) -> Expr:
        body = self.expr(f.body)
        binders, tail = _spine(body)
        return _build(self.weaken(x for x, _ in f.nl_params) + binders, tail)

    def expr(self, e: Expr) -> Expr:
        if type(e) not in (Let, UnpackTup, UnpackLtup):
            return _map(e, self.expr)
        binders, tail = _spine(e)
        out: list[Binder] = []
        for b in binders:
            if id(b) in self.dead or _dropped(b) in self.dead_names:
                continue
            match b:
                case Let(xs, ys, bound):
                    out.append(Let(xs, ys, self.expr(bound), b.body, b.pos))
                    out += self.weaken(xs)
                case UnpackTup(xs):
                    out.append(b)
                    out += self.weaken(xs)
                case UnpackLtup():
                    out.append(b)
        return _build(out, self.expr(tail))


# --- the pass --------------------------------------------------------------------------------------


def simplify_fun(f: FunDef, enabled: frozenset[str], report: Report) -> FunDef:
    """f rewritten by the enabled rules until a pass applies none."""
    f = freshen(f)
    for n in count(1):  # ends: every application removes a node or a primitive
        before = sum(report.applied.values())
        body = _Rewrite(enabled, report.applied).expr(f.body)
        g = FunDef(f.name, f.nl_params, f.lin_params, f.nl_results, f.lin_results, body, f.pos)
        body = _Prune(g, "dce" in enabled, report.applied).fun(g)
        f = FunDef(f.name, f.nl_params, f.lin_params, f.nl_results, f.lin_results, body, f.pos)
        if sum(report.applied.values()) == before:
            report.passes[f.name] = n
            return f
    raise InternalError("unreachable")


@deep
def simplify_program(program: Program, func: str | None = None,
                     rules: Iterable[str] | None = None) -> tuple[Program, Report]:
    """Simplify func and the functions it calls (every function when func is None)
    with the given rules (default: all of `RULES`).  The program is type-checked
    first: an ill-typed one raises the checker's error (rule, variable, position)."""
    check_program(program)
    enabled = frozenset(RULES if rules is None else rules)
    if unknown := enabled - RULES.keys():
        raise CalculusError("simplify", f"unknown rules {sorted(unknown)} (known: {list(RULES)})")
    todo = set(reachable(program, func)) if func else {g.name for g in program.funcs}
    report = Report()
    funcs = tuple(simplify_fun(g, enabled, report) if g.name in todo else g
                  for g in program.funcs)
    return Program(funcs), report
