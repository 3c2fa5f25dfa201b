"""An independent checker of Linear A typing derivations (SPEC §2.2, theorem A13).

It verifies a `calculus.linear_a.derivation.Derivation` rule by rule.  It shares no code
with the type checker `calculus/linear_a/typecheck.py` (it does not import it); it reads
only the syntax, the primitives' arities and the derivation datatype.  Every node is
checked *locally* against its premises' conclusions (rule names as in
`calculus.linear_a.rules`):

  every judgement   Γ ; Δ ⊢ e : (τ̄ ; σ̄) is well formed: names in Γ distinct, in Δ
                    distinct (no contraction of linear hypotheses), dom Γ ∩ dom Δ = ∅;
                    its premises derive e's immediate subexpressions, in order
  axioms            Ret, Call, Var, Lit, Tup, LVar, LTup, Zero: Γ = exactly the
                    non-linear variables named (contraction: a name may repeat), Δ =
                    exactly the linear ones, each once; the result is read off their
                    types (Call: they are f's parameter types in Σ, the result f's)
  joins             Prim, LAdd, LScale, Dup, Drop: Γ = ∪ premises' Γ (contraction, same
                    type), Δ = ⊎ premises' Δ (exact split); Prim's and *.'s scalar
                    premises are (real ;) with an empty Δ; Prim has arity(op) premises
  binders           Let, UnpackTup, UnpackLtup: the body's premise holds each bound
                    non-linear name in Γ with its type (no weakening), each bound linear
                    one in Δ exactly once, and no bound name in the other context; the
                    conclusion joins the head (Let's first premise; the tuple `t`) with
                    the body's contexts minus the bound names
  Def               f ∉ Σ; Γ ; Δ = f's parameters; the body's premise has exactly them
                    (every one used, no other) and f's declared result
  Expr              the premise has exactly the declared Γ ; Δ (check_expr's ⊩)

`check_program_derivation(p, ds)` checks one Def derivation per definition of p,
threading Σ; `check_expr_derivation` an Expr root.  Both raise `DerivationError` naming
the rule and the path to the faulty node; the traversal is iterative.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, assert_never

from calculus.errors import CalculusError
from calculus.linear_a.derivation import Ctx, Derivation, Sig, Sigma, signature
from calculus.linear_a.syntax import (REAL, Call, Drop, Dup, Expr, FunDef, Hole, LAdd, Let, Lit,
                                      LDiv, LScale, LTup, LVar, Prim, Program, Ret, Tup, TupT, Type,
                                      UnpackLtup, UnpackTup, Var, Zero, children)
from calculus.primitives import PRIMS


@dataclass(eq=False)
class DerivationError(CalculusError):
    """A rule application that is not an instance of its rule.  path: premise indices
    from the root to the faulty node."""

    path: tuple[int, ...] = ()


class Invalid(Exception):
    """Why one node is not an instance of its rule (raised by the node check)."""


def require(ok: bool, why: str) -> None:
    if not ok:
        raise Invalid(why)


# --- contexts ----------------------------------------------------------------------------------

NL = ((REAL,), ())  # (real ;)


def _well_formed(d: Derivation) -> None:
    g, dl = [x for x, _ in d.gamma], [y for y, _ in d.delta]
    require(len(set(g)) == len(g), "Γ lists a name twice")
    require(len(set(dl)) == len(dl), "Δ lists a linear variable twice (contraction)")
    require(not set(g) & set(dl), "a name is both non-linear and linear")


def same_multiset(a: Ctx, b: Ctx) -> bool:
    return a == b or (len(a) == len(b) and Counter(a) == Counter(b))


def _joined(d: Derivation, parts: Iterable[tuple[Ctx, Ctx]]) -> None:
    """Γ = Γ1 ∪ Γ2 ∪ … (contraction of one hypothesis) and Δ = Δ1 ⊎ Δ2 ⊎ … (exact)."""
    gamma: dict[str, Type] = {}
    delta: Ctx = ()
    for g, dl in parts:
        for x, t in g:
            require(gamma.setdefault(x, t) == t, f"the premises disagree on the type of `{x}`")
        delta += dl
    require(dict(d.gamma) == gamma, "Γ is not the union of the premises' Γs (no weakening)")
    require(same_multiset(d.delta, delta), "Δ is not the disjoint union of the premises' Δs")


def _premises_joined(d: Derivation) -> None:
    _joined(d, ((p.gamma, p.delta) for p in d.premises))


def _axiom(d: Derivation, xs: tuple[str, ...], ys: tuple[str, ...]) -> Sig:
    """Γ holds exactly the non-linear names xs, Δ exactly the linear ys, each once;
    returns their types (τ̄ ; σ̄)."""
    g, dl = dict(d.gamma), dict(d.delta)
    require(set(g) == set(xs), f"Γ is not exactly {{{', '.join(xs)}}}")
    require(sorted(dl) == sorted(ys), f"Δ is not exactly {', '.join(ys) or '·'}")
    return tuple(g[x] for x in xs), tuple(dl[y] for y in ys)


def _bind(d: Derivation, head: tuple[Ctx, Ctx], nl: Ctx, lin: Ctx, body: Derivation) -> None:
    """The binder rule: body ⊢ Γ2, x̄:τ̄ ; Δ2, ȳ:σ̄ and the conclusion head ∪ (Γ2 ; Δ2)."""
    names = [x for x, _ in nl + lin]
    require(len(set(names)) == len(names), "the pattern binds a name twice")
    require({x: t for x, t in body.gamma if x in names} == dict(nl),
            "the body's Γ does not hold every bound non-linear variable with its type, "
            "and no bound linear one (no weakening)")
    require(same_multiset(tuple(b for b in body.delta if b[0] in names), lin),
            "the body's Δ does not hold every bound linear variable exactly once with its "
            "type, and no bound non-linear one")
    inner = (tuple(b for b in body.gamma if b[0] not in names),
             tuple(b for b in body.delta if b[0] not in names))
    _joined(d, (head, inner))
    require(d.result == body.result, "the result is not the body's")


def _one_linear(s: Sig) -> Type:
    match s:
        case ((), (t,)):
            return t
    raise Invalid(f"expected one linear value, found {s}")


# --- the rules ---------------------------------------------------------------------------------


def _expr_rule(d: Derivation, e: Expr, sigma: Sigma) -> None:
    """d is an instance of the rule of e's constructor."""
    ps = d.premises
    match e:
        case Ret(xs, ys):
            require(d.result == _axiom(d, xs, ys), "Ret returns the types of its variables")
        case Let(xs, ys):
            nl, lin = ps[0].result
            require((len(nl), len(lin)) == (len(xs), len(ys)),
                    "the pattern's arity is not the bound expression's")
            _bind(d, (ps[0].gamma, ps[0].delta), tuple(zip(xs, nl)), tuple(zip(ys, lin)), ps[1])
        case UnpackTup(xs, t) | UnpackLtup(xs, t):
            ctx = d.gamma if isinstance(e, UnpackTup) else d.delta
            tt = dict(ctx).get(t)
            require(isinstance(tt, TupT) and len(tt.elems) == len(xs),
                    f"`{t}` is not in the conclusion as a tuple of {len(xs)} components")
            binds, head = tuple(zip(xs, tt.elems)), ((t, tt),)
            if isinstance(e, UnpackTup):
                _bind(d, (head, ()), binds, (), ps[0])
            else:
                _bind(d, ((), head), (), binds, ps[0])
        case Call(f, xs, ys):
            require(f in sigma, f"`{f}` is not in Σ")
            params, results = sigma[f]
            require(_axiom(d, xs, ys) == params, f"the arguments are not {f}'s parameters")
            require(d.result == results, f"the result is not {f}'s")
        case Var(x):
            require(d.result == (_axiom(d, (x,), ())[0], ()), "Var returns x's type")
        case Lit():
            _axiom(d, (), ())
            require(d.result == NL, "a literal is (real ;)")
        case Tup(xs):
            require(d.result == ((TupT(_axiom(d, xs, ())[0]),), ()), "Tup returns (τ̄)")
        case LVar(y):
            require(d.result == ((), _axiom(d, (), (y,))[1]), "LVar returns y's type")
        case LTup(ys):
            require(d.result == ((), (TupT(_axiom(d, (), ys)[1]),)), "LTup returns (σ̄)")
        case Zero(t):
            _axiom(d, (), ())
            require(d.result == ((), (t,)), "zero[σ] is (; σ)")
        case Prim(op):
            require(len(ps) == PRIMS[op].arity, f"{op.value} takes {PRIMS[op].arity} arguments")
            require(all(p.result == NL and not p.delta for p in ps),
                    "a primitive's arguments are (real ;) with an empty Δ")
            _premises_joined(d)
            require(d.result == NL, "a primitive returns (real ;)")
        case LAdd():
            _premises_joined(d)
            s = _one_linear(d.result)
            require(ps[0].result == ps[1].result == ((), (s,)), "+. adds two values of type σ")
        case LScale() | LDiv():  # s *. v and v /. s: the premises (real, linear) by position
            real, vec, op = (0, 1, "*.") if isinstance(e, LScale) else (1, 0, "/.")
            _premises_joined(d)
            require(ps[real].result == NL and not ps[real].delta,
                    f"the real operand of {op} is (real ;) with an empty Δ")
            _one_linear(d.result)
            require(ps[vec].result == d.result, f"{op} takes one linear value to its type")
        case Dup():
            _premises_joined(d)
            s = _one_linear(ps[0].result)
            require(d.result == ((), (s, s)), "dup returns (; σ, σ)")
        case Drop():
            _premises_joined(d)
            require(d.result == ((), ()), "drop returns (;)")
        case Hole(_, xs, ys, nl, lin):
            got = _axiom(d, tuple(x for x, _ in xs), tuple(y for y, _ in ys))
            require(got == (tuple(t for _, t in xs), tuple(t for _, t in ys)),
                    "?h's parameters are not at the hole's types")
            require(d.result == (nl, lin), "?h returns its declared results")
        case _:
            assert_never(e)


def _exact(d: Derivation) -> None:
    """The premise has exactly the conclusion's Γ (every variable used) and Δ, and its
    result."""
    (p,) = d.premises
    require(dict(p.gamma) == dict(d.gamma), "the premise's Γ is not the declared one "
            "(every non-linear variable used, no other)")
    require(same_multiset(p.delta, d.delta), "the premise's Δ is not the declared one")
    require(p.result == d.result, "the premise's result is not the conclusion's")


def _check_node(d: Derivation, sigma: Sigma) -> None:
    """Raises Invalid unless d is an instance of its rule given its premises' conclusions."""
    _well_formed(d)
    subjects = tuple(p.subject for p in d.premises)
    match d.rule, d.subject:
        case "Def", FunDef() as f:
            require(subjects == (f.body,), "Def's premise derives the body")
            require(f.name not in sigma, f"`{f.name}` is already in Σ")
            require((d.gamma, d.delta) == (f.nl_params, f.lin_params),
                    "Def's contexts are the parameters")
            require(d.result == signature(f)[1], "Def concludes the declared result")
            _exact(d)
        case "Expr", FunDef():
            raise Invalid("Expr derives an expression")
        case "Expr", e:
            require(subjects == (e,), "Expr's premise derives the same expression")
            _exact(d)
        case rule, FunDef():
            raise Invalid(f"{rule} derives an expression, not a definition")
        case rule, e:
            require(rule == type(e).__name__, f"{type(e).__name__} is not derived by {rule}")
            require(subjects == children(e), "the premises do not derive the subexpressions")
            _expr_rule(d, e, sigma)


def check_derivation(d: Derivation, sigma: Sigma) -> int:
    """Verify every rule application of d under Σ (only the root may be a Def or Expr
    node); returns the number of nodes checked."""
    stack: list[tuple[Derivation, tuple[int, ...]]] = [(d, ())]
    count = 0
    while stack:
        q, path = stack.pop()
        try:
            require(not path or q.rule not in ("Def", "Expr"), f"{q.rule} is a root rule")
            _check_node(q, sigma)
        except Invalid as why:
            raise DerivationError(q.rule, f"{why} (at {q.rule} of {q.subject}, path "
                                  f"{list(path)})", path=path) from None
        count += 1
        stack.extend((r, path + (i,)) for i, r in enumerate(q.premises))
    return count


def check_program_derivation(p: Program, ds: tuple[Derivation, ...]) -> int:
    """ds derives p: one Def derivation per definition, in order, each checked under the
    signatures of the definitions before it.  Returns the number of nodes checked."""
    if len(ds) != len(p.funcs) or any(d.subject != f for d, f in zip(ds, p.funcs)):
        raise DerivationError("Def", "not one Def derivation per definition, in order")
    sigma: dict[str, tuple[Sig, Sig]] = {}
    count = 0
    for f, d in zip(p.funcs, ds):
        count += check_derivation(d, sigma)
        sigma[f.name] = signature(f)
    return count


def check_expr_derivation(d: Derivation, e: Expr, nl: Mapping[str, Type],
                          lin: Mapping[str, Type], sigma: Sigma = {}) -> int:
    """d derives Γ ; Δ ⊩ e for the declared Γ = nl, Δ = lin."""
    if (d.rule, d.subject, dict(d.gamma), dict(d.delta)) != ("Expr", e, dict(nl), dict(lin)):
        raise DerivationError(d.rule, "the root is not the Expr judgement of e under the "
                              "declared contexts")
    return check_derivation(d, sigma)
