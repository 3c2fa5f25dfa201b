"""Typing derivations of Linear A as data (SPEC §2.2; theorem A13): the judgement
Γ ; Δ ⊢ e : (τ̄ ; σ̄) of every node, with the rule and the premises that prove it.

    derive_program(p)          -> (Derivation, …)  one Def derivation per definition
    derive_expr(e, Γ, Δ, Σ)    -> Derivation        the Expr rule: e against declared Γ, Δ

The rules are those of `calculus.linear_a.rules` (one `Derivation.rule` per registry
name); they are syntax-directed and their axioms fix Γ and Δ exactly, so a term has at
most one derivation of a given root, and `derive` builds that one candidate.

Like the λLL `curry_howard.derive`, this is a walk of its own (it does not import the
type checker) and it does *not* enforce the structural rules: it records the contexts
the term's structure dictates — Γ of a node = the variables it uses in non-linear
positions, Δ = the multiset of its uses in linear positions, each with its binder's
type, minus the variables bound below it — and the result types read off the subterms.  A term that a
(broken) type checker wrongly accepts therefore yields a derivation that the
independent `checkers.la_derivation_checker` rejects.  It raises `TypeCheckError` only
when no candidate can be built: an unbound variable or function, a pattern whose arity
differs from the bound expression's results or the tuple's components, `dup` of
something other than one linear value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, assert_never

from ..deep import deep
from ..errors import TypeCheckError
from .syntax import (REAL, Call, Drop, Dup, Expr, FunDef, Hole, LAdd, LDiv, Let, Lit, LScale, LTup,
                     LVar, Prim, Program, Ret, Tup, TupT, Type, UnpackLtup, UnpackTup, Var, Zero,
                     children)

Ctx = tuple[tuple[str, Type], ...]  # Γ: a set (one entry per name); Δ: a multiset
Sig = tuple[tuple[Type, ...], tuple[Type, ...]]  # (τ̄ ; σ̄)
Sigma = Mapping[str, tuple[Sig, Sig]]  # Σ: function name → (parameters, results)


@dataclass(frozen=True, slots=True)
class Derivation:
    """One rule application: rule (a registry name), conclusion Γ ; Δ ⊢ subject : result,
    and the premises' derivations.  For Def, subject is the FunDef and Γ ; Δ are its
    parameters; for Expr, Γ ; Δ are the declared contexts."""

    rule: str
    gamma: Ctx
    delta: Ctx
    subject: Expr | FunDef
    result: Sig
    premises: tuple[Derivation, ...] = ()


def signature(f: FunDef) -> tuple[Sig, Sig]:
    """f's declared (parameters, results)."""
    return ((tuple(t for _, t in f.nl_params), tuple(t for _, t in f.lin_params)),
            (f.nl_results, f.lin_results))


# --- the walk ------------------------------------------------------------------------------


def _union(*ctxs: Ctx) -> Ctx:
    """Γ1 ∪ Γ2 ∪ …: one entry per name, in order of first occurrence."""
    out: dict[str, Type] = {}
    for ctx in ctxs:
        for x, t in ctx:
            out.setdefault(x, t)
    return tuple(out.items())


def _minus(ctx: Ctx, names: tuple[str, ...]) -> Ctx:
    return tuple((x, t) for x, t in ctx if x not in names)


class _Deriver:
    def __init__(self, sigma: Sigma, scope: dict[str, list[Type]]) -> None:
        self.sigma = sigma
        self.scope = scope  # name → stack of binder types (the kind is the position's)

    def type_of(self, x: str, e: Expr) -> Type:
        stack = self.scope.get(x)
        if not stack:
            raise TypeCheckError(type(e).__name__, f"no derivation: `{x}` is not bound",
                                 e.pos, var=x)
        return stack[-1]

    def ctx(self, names: tuple[str, ...], e: Expr) -> Ctx:
        return tuple((x, self.type_of(x, e)) for x in names)

    def under(self, binds: Ctx, body: Expr) -> Derivation:
        for x, t in binds:
            self.scope.setdefault(x, []).append(t)
        try:
            return self.run(body)
        finally:
            for x, _ in binds:
                self.scope[x].pop()

    def node(self, e: Expr, gamma: Ctx, delta: Ctx, result: Sig,
             premises: tuple[Derivation, ...] = ()) -> Derivation:
        return Derivation(type(e).__name__, gamma, delta, e, result, premises)

    def join(self, e: Expr, result: Callable[[tuple[Derivation, ...]], Sig]) -> Derivation:
        """A rule whose premises are e's subterms and whose contexts are theirs joined;
        result(premises) is its result type."""
        ps = tuple(self.run(a) for a in children(e))
        return self.node(e, _union(*(p.gamma for p in ps)), sum((p.delta for p in ps), ()),
                         result(ps), ps)

    def binder(self, e: Expr, head: Derivation | None, gamma: Ctx, delta: Ctx,
               binds: Ctx, body: Expr) -> Derivation:
        """A binder's conclusion: the head's contexts (the bound expression's, or the
        unpacked tuple), joined with the body's minus every variable it binds."""
        b = self.under(binds, body)
        names = tuple(x for x, _ in binds)
        return self.node(e, _union(gamma, _minus(b.gamma, names)),
                         delta + _minus(b.delta, names), b.result,
                         (head, b) if head else (b,))

    def run(self, e: Expr) -> Derivation:
        match e:
            case Ret(xs, ys):
                g, d = self.ctx(xs, e), self.ctx(ys, e)
                return self.node(e, _union(g), d, (tuple(t for _, t in g), tuple(t for _, t in d)))
            case Let(xs, ys, bound, body):
                h = self.run(bound)
                (nl, lin) = h.result
                if (len(nl), len(lin)) != (len(xs), len(ys)):
                    raise TypeCheckError("Let", "no derivation: the pattern's arity is not "
                                         "the bound expression's", e.pos)
                return self.binder(e, h, h.gamma, h.delta,
                                   tuple(zip(xs, nl)) + tuple(zip(ys, lin)), body)
            case UnpackTup(xs, t, body) | UnpackLtup(xs, t, body):
                tt = self.type_of(t, e)
                if not isinstance(tt, TupT) or len(tt.elems) != len(xs):
                    raise TypeCheckError(type(e).__name__, f"no derivation: `{t}` is not a "
                                         f"tuple of {len(xs)} components", e.pos, var=t)
                head = ((t, tt),)
                g, d = (head, ()) if isinstance(e, UnpackTup) else ((), head)
                return self.binder(e, None, g, d, tuple(zip(xs, tt.elems)), body)
            case Call(f, xs, ys):
                if f not in self.sigma:
                    raise TypeCheckError("Call", f"no derivation: `{f}` is not an earlier "
                                         "function", e.pos, var=f)
                return self.node(e, _union(self.ctx(xs, e)), self.ctx(ys, e), self.sigma[f][1])
            case Var(x):
                g = self.ctx((x,), e)
                return self.node(e, g, (), ((g[0][1],), ()))
            case Lit():
                return self.node(e, (), (), ((REAL,), ()))
            case Tup(xs):
                g = self.ctx(xs, e)
                return self.node(e, _union(g), (), ((TupT(tuple(t for _, t in g)),), ()))
            case Prim():
                return self.join(e, lambda ps: ((REAL,), ()))
            case LVar(y):
                d = self.ctx((y,), e)
                return self.node(e, (), d, ((), (d[0][1],)))
            case LTup(ys):
                d = self.ctx(ys, e)
                return self.node(e, (), d, ((), (TupT(tuple(t for _, t in d)),)))
            case LAdd() | LScale() | LDiv():
                return self.join(e, lambda ps: ps[isinstance(e, LScale)].result)
            case Zero(t):
                return self.node(e, (), (), ((), (t,)))
            case Dup():
                def twice(ps: tuple[Derivation, ...]) -> Sig:
                    match ps[0].result:
                        case ((), (s,)):
                            return ((), (s, s))
                    raise TypeCheckError("Dup", "no derivation: dup of "
                                         "something other than one linear value", e.pos)
                return self.join(e, twice)
            case Drop():
                return self.join(e, lambda ps: ((), ()))
            case Hole(_, xs, ys, nl, lin):  # an axiom: its parameters, its declared results
                g, d = self.ctx(tuple(x for x, _ in xs), e), self.ctx(tuple(y for y, _ in ys), e)
                return self.node(e, _union(g), d, (nl, lin))
            case _:
                assert_never(e)


def _scope(binds: Ctx) -> dict[str, list[Type]]:
    scope: dict[str, list[Type]] = {}
    for x, t in binds:
        scope.setdefault(x, []).append(t)
    return scope


def _derive_fun(f: FunDef, sigma: Sigma) -> Derivation:
    """Σ ⊢ def f(x̄:τ̄ ; ȳ:σ̄) → (τ̄' ; σ̄') = e ⊣ Σ, f : sig — the Def rule over the body's
    candidate derivation."""
    body = _Deriver(sigma, _scope(f.nl_params + f.lin_params)).run(f.body)
    return Derivation("Def", f.nl_params, f.lin_params, f, signature(f)[1], (body,))


@deep
def derive_program(p: Program) -> tuple[Derivation, ...]:
    """One Def derivation per definition, each under the signatures of those before it."""
    sigma: dict[str, tuple[Sig, Sig]] = {}
    out = []
    for f in p.funcs:
        out.append(_derive_fun(f, dict(sigma)))
        sigma.setdefault(f.name, signature(f))
    return tuple(out)


@deep
def derive_expr(e: Expr, nl: Mapping[str, Type], lin: Mapping[str, Type],
                sigma: Sigma = {}) -> Derivation:
    """Γ ; Δ ⊩ e : (τ̄ ; σ̄): the Expr rule over e's candidate derivation (the walk of
    `check_expr`: declared contexts, exact Δ, every Γ variable used)."""
    body = _Deriver(sigma, _scope(tuple(nl.items()) + tuple(lin.items()))).run(e)
    return Derivation("Expr", tuple(nl.items()), tuple(lin.items()), e, body.result, (body,))
