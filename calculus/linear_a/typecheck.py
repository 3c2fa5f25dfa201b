"""Type checker for Linear A: the judgement  Γ ; Δ ⊢ e : (τ̄ ; σ̄)  (SPEC §2.2).

  Γ (non-linear)  contraction, **no weakening**: every non-linear variable is used at
                  least once, or discarded explicitly by `drop` (YOLO §2.2).
  Δ (linear)      exact: every linear variable is consumed exactly once; copying needs
                  `dup`, discarding needs `drop`.
  Non-linear expressions (x, r, tup, op) have an empty Δ, so non-linear results never
  depend on linear inputs.  `+.`, `zero[σ]`, `dup`, `*.` work componentwise at any
  linear type σ.  Calls are checked against the callee's signature [choice: the Dex
  prototype does not].

Implementation: instead of splitting Δ between subterms, each binding carries a use
count and every linear use is logged (as in language-garden's linear checker), so the
error says "`y` has already been used" at the second use.  A subterm that must have
an empty Δ is checked by watching the log.  A binding remembers the one it shadows, so
closing a scope restores them.  Each constructor's case is a method found by the node's
class (`_BINDERS`, `_CASES`), and a chain of binders is walked in a loop (no recursion
along a `let` chain).  `check_program` returns a `Typing`: the result type of every
expression node, which the transformations read instead of re-deriving types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..deep import deep
from ..errors import InternalError, LinearityError, Pos, TypeCheckError
from ..primitives import PRIMS
from .syntax import (REAL, Call, Drop, Dup, Expr, FunDef, Hole, LAdd, LDiv, Let, Lit, LScale, LTup,
                     LVar, Prim, Program, Ret, Tup, TupT, Type, UnpackLtup, UnpackTup, Var, Zero,
                     show_sig)

Sig = tuple[tuple[Type, ...], tuple[Type, ...]]  # (τ̄ ; σ̄)
REAL_SIG: Sig = ((REAL,), ())  # the result of x, r, op(e, …) at real


class _Binding:
    """A variable in scope: its type, the binder (`pos`, `rule`) that bound it, its
    binding order (`serial`: tells variables bound inside a subterm from outside), its
    use count, and the binding of the same name it shadows (`outer`)."""

    __slots__ = ("name", "linear", "type", "pos", "rule", "serial", "uses", "outer")

    def __init__(self, name: str, linear: bool, type: Type, pos: Pos | None, rule: str,
                 serial: int, outer: _Binding | None) -> None:
        self.name = name
        self.linear = linear
        self.type = type
        self.pos = pos
        self.rule = rule
        self.serial = serial
        self.uses = 0
        self.outer = outer


@dataclass
class Typing:
    """What the checker learnt: each function's signature and each node's result type
    (keyed by node identity; valid for the program object that was checked)."""

    sigs: dict[str, tuple[Sig, Sig]] = field(default_factory=dict)  # name → (params, results)
    node: dict[int, Sig] = field(default_factory=dict)
    _keep: list = field(default_factory=list, repr=False)  # the checked roots: their
    # nodes are immutable and reachable from them, so every key of `node` stays valid

    def of(self, e: Expr) -> Sig:
        try:
            return self.node[id(e)]
        except KeyError:
            raise InternalError(f"no type recorded for {type(e).__name__} node") from None


class _Checker:
    def __init__(self, typing: Typing) -> None:
        self.typing = typing
        self.node = typing.node
        self.scope: dict[str, _Binding | None] = {}  # the innermost binding of each name
        self.log: list[tuple[str, Pos | None, int]] = []  # linear uses: name, pos, serial
        self.serial = 0

    # -- context operations --------------------------------------------------------------

    def use_nl(self, x: str, pos: Pos | None, rule: str) -> Type:
        b = self.scope.get(x)
        if b is None:
            raise _unbound(x, pos, rule)
        if b.linear:
            raise TypeCheckError(rule, f"`{x}` is linear but a non-linear variable is expected "
                                 "here", pos, var=x, expected="non-linear", found="linear")
        b.uses += 1
        return b.type

    def use_lin(self, y: str, pos: Pos | None, rule: str) -> Type:
        b = self.scope.get(y)
        if b is None:
            raise _unbound(y, pos, rule)
        if not b.linear:
            raise TypeCheckError(rule, f"`{y}` is non-linear but a linear variable is expected "
                                 "here", pos, var=y, expected="linear", found="non-linear")
        if b.uses:
            raise LinearityError(rule, f"linear variable `{y}` has already been used "
                                 "(copy it with dup)", pos, var=y, kind="linear-used-twice")
        b.uses = 1
        self.log.append((y, pos, b.serial))
        return b.type

    def use_vars(self, xs: tuple[str, ...], ys: tuple[str, ...], pos: Pos | None,
                 rule: str) -> Sig:
        """(x̄ ; ȳ): the types of the non-linear x̄ (each used), then of the linear ȳ
        (each consumed)."""
        use_nl, use_lin = self.use_nl, self.use_lin
        return (tuple([use_nl(x, pos, rule) for x in xs]) if xs else (),
                tuple([use_lin(y, pos, rule) for y in ys]) if ys else ())

    def bind(self, xs: tuple[str, ...], nl: tuple[Type, ...], ys: tuple[str, ...],
             lin: tuple[Type, ...], pos: Pos | None, rule: str) -> tuple[_Binding, ...]:
        """Open the scope of x̄ : τ̄ (non-linear) and ȳ : σ̄ (linear) for a body; returns
        the new bindings, which `close` closes after the body."""
        if len(xs) + len(ys) > 1:
            names = (*xs, *ys)
            if len(set(names)) != len(names):
                seen: set[str] = set()
                dup = next(x for x in names if x in seen or seen.add(x))
                raise TypeCheckError(rule, f"`{dup}` is bound twice in one pattern", pos,
                                     var=dup)
        self.serial = serial = self.serial + 1
        scope = self.scope
        if not ys and len(xs) == 1:  # the commonest pattern, let (x;) = e
            x = xs[0]
            b = scope[x] = _Binding(x, False, nl[0], pos, rule, serial, scope.get(x))
            return (b,)
        new = []
        for x, t in zip(xs, nl):
            b = scope[x] = _Binding(x, False, t, pos, rule, serial, scope.get(x))
            new.append(b)
        for y, t in zip(ys, lin):
            b = scope[y] = _Binding(y, True, t, pos, rule, serial, scope.get(y))
            new.append(b)
        return tuple(new)

    def close(self, new: tuple[_Binding, ...]) -> None:
        """Close a scope opened by `bind`: every non-linear variable must have been used
        and every linear one consumed."""
        scope = self.scope
        for b in new:
            scope[b.name] = b.outer
            if b.uses == 0:
                kind = "linear-unused" if b.linear else "nonlinear-unused"
                how = "consume it or drop it" if b.linear else "use it or drop it"
                raise LinearityError(b.rule, f"{'linear' if b.linear else 'non-linear'} "
                                     f"variable `{b.name}` is never used ({how})", b.pos,
                                     var=b.name, kind=kind)

    # -- the judgement -------------------------------------------------------------------

    def synth(self, e: Expr) -> Sig:
        """The judgement for e, recorded per node.  A chain of binders (`let`, `let tup`,
        `let ltup`) is walked in a loop and its scopes closed innermost first on the way
        back, so the depth of recursion does not grow with the chain.  Each constructor
        has one case, a method found by the node's class (`_BINDERS`, `_CASES`)."""
        node = self.node
        if type(e) not in _BINDERS:
            sig = node[id(e)] = _CASES[type(e)](self, e)
            return sig
        chain: list[tuple[Expr, tuple[_Binding, ...]]] = []
        while type(e) in _BINDERS:
            chain.append((e, _BINDERS[type(e)](self, e)))
            e = e.body  # type: ignore[union-attr]
        sig = node[id(e)] = _CASES[type(e)](self, e)
        for e, new in reversed(chain):
            self.close(new)
            node[id(e)] = sig
        return sig

    def nonlinear(self, e: Expr, rule: str) -> Type:
        """e must be a non-linear expression returning one value, with empty Δ: it may
        use linear variables it binds itself, but none from outside."""
        if type(e) is Var:  # the commonest case: one value, and x consumes nothing linear
            nl, _ = self.node[id(e)] = self.var(e)
            return nl[0]
        log = self.log
        mark, outside = len(log), self.serial
        nl, lin = self.synth(e)
        if len(log) != mark:
            free = [(y, pos) for y, pos, serial in log[mark:] if serial <= outside]
            if free:
                y, pos = free[0]
                raise LinearityError(rule, f"linear variable `{y}` is consumed inside a "
                                     "non-linear expression (whose Δ must be empty)", pos,
                                     var=y, kind="linear-in-nonlinear")
        if len(nl) != 1 or lin:
            raise TypeCheckError(rule, "expected one non-linear value", e.pos,
                                 expected="(τ;)", found=show_sig(nl, lin))
        return nl[0]

    def real(self, e: Expr, rule: str) -> None:
        t = self.nonlinear(e, rule)
        if t != REAL:
            raise TypeCheckError(rule, f"expected a real, found {t}", e.pos,
                                 expected="real", found=str(t))

    def linear(self, e: Expr, rule: str) -> Type:
        """e must return exactly one linear value."""
        if type(e) is LVar:  # the commonest case: y is one
            _, lin = self.node[id(e)] = self.lvar(e)
            return lin[0]
        nl, lin = self.synth(e)
        if nl or len(lin) != 1:
            raise TypeCheckError(rule, "expected one linear value", e.pos,
                                 expected="(;σ)", found=show_sig(nl, lin))
        return lin[0]

    # -- binders: check what is bound, open the scope of the body ------------------------

    def let(self, e: Let) -> tuple[_Binding, ...]:
        nl, lin = self.synth(e.bound)
        xs, ys = e.nl, e.lin
        if len(nl) != len(xs) or len(lin) != len(ys):
            raise TypeCheckError("Let", f"the pattern binds {len(xs)};{len(ys)} "
                                 f"variables but the expression returns {show_sig(nl, lin)}",
                                 e.pos, expected=f"{len(xs)};{len(ys)}",
                                 found=show_sig(nl, lin))
        return self.bind(xs, nl, ys, lin, e.pos, "Let")

    def unpack_tup(self, e: UnpackTup) -> tuple[_Binding, ...]:
        return self._unpack(e, e.names, self.use_nl(e.tup, e.pos, "UnpackTup"), False)

    def unpack_ltup(self, e: UnpackLtup) -> tuple[_Binding, ...]:
        return self._unpack(e, e.names, self.use_lin(e.tup, e.pos, "UnpackLtup"), True)

    def _unpack(self, e: UnpackTup | UnpackLtup, names: tuple[str, ...], t: Type,
                linear: bool) -> tuple[_Binding, ...]:
        rule = "UnpackLtup" if linear else "UnpackTup"
        if not isinstance(t, TupT) or len(t.elems) != len(names):
            want = f"a tuple of {len(names)} components"
            raise TypeCheckError(rule, f"expected {want}, found {t}", e.pos,
                                 var=e.tup, expected=want, found=str(t))
        if linear:
            return self.bind((), (), names, t.elems, e.pos, rule)
        return self.bind(names, t.elems, (), (), e.pos, rule)

    # -- the other constructors ----------------------------------------------------------

    def ret(self, e: Ret) -> Sig:
        return self.use_vars(e.nl, e.lin, e.pos, "Ret")

    def call(self, e: Call) -> Sig:
        f = e.func
        if f not in self.typing.sigs:
            raise TypeCheckError("Call", f"function `{f}` is not defined before this "
                                 "call", e.pos, var=f)
        (pnl, plin), res = self.typing.sigs[f]
        got = self.use_vars(e.nl, e.lin, e.pos, "Call")
        if got != (pnl, plin):
            raise TypeCheckError("Call", f"`{f}` expects arguments {show_sig(pnl, plin)} "
                                 f"but gets {show_sig(*got)}", e.pos, var=f,
                                 expected=show_sig(pnl, plin), found=show_sig(*got))
        return res

    def var(self, e: Var) -> Sig:
        return (self.use_nl(e.name, e.pos, "Var"),), ()

    def lit(self, e: Lit) -> Sig:
        return REAL_SIG

    def tup(self, e: Tup) -> Sig:
        return (TupT(self.use_vars(e.names, (), e.pos, "Tup")[0]),), ()

    def prim(self, e: Prim) -> Sig:
        prim, args = PRIMS[e.op], e.args
        if len(args) != prim.arity:
            raise TypeCheckError("Prim", f"{e.op.value} takes {prim.arity} arguments, "
                                 f"got {len(args)}", e.pos, expected=str(prim.arity),
                                 found=str(len(args)))
        for a in args:
            self.real(a, "Prim")
        return REAL_SIG

    def lvar(self, e: LVar) -> Sig:
        return (), (self.use_lin(e.name, e.pos, "LVar"),)

    def ltup(self, e: LTup) -> Sig:
        return (), (TupT(self.use_vars((), e.names, e.pos, "LTup")[1]),)

    def ladd(self, e: LAdd) -> Sig:
        ta, tb = self.linear(e.left, "LAdd"), self.linear(e.right, "LAdd")
        if ta != tb:
            raise TypeCheckError("LAdd", f"cannot add {ta} and {tb}", e.pos,
                                 expected=str(ta), found=str(tb))
        return (), (ta,)

    def lscale(self, e: LScale) -> Sig:
        self.real(e.scalar, "LScale")
        return (), (self.linear(e.vec, "LScale"),)

    def ldiv(self, e: LDiv) -> Sig:
        vec = self.linear(e.vec, "LDiv")
        self.real(e.divisor, "LDiv")
        return (), (vec,)

    def zero(self, e: Zero) -> Sig:
        return (), (e.type,)

    def dup(self, e: Dup) -> Sig:
        t = self.linear(e.arg, "Dup")
        return (), (t, t)

    def drop(self, e: Drop) -> Sig:
        self.synth(e.arg)
        return (), ()

    def hole(self, e: Hole) -> Sig:  # an axiom: its parameters, at their types
        params = [(p, self.use_nl) for p in e.nl] + [(p, self.use_lin) for p in e.lin]
        for (x, want), use in params:
            got = use(x, e.pos, "Hole")
            if got != want:
                raise TypeCheckError("Hole", f"?{e.name} expects `{x}` : {want}, found {got}",
                                     e.pos, var=x, expected=str(want), found=str(got))
        return e.nl_results, e.lin_results

    def fundef(self, f: FunDef) -> None:
        params = (tuple(t for _, t in f.nl_params), tuple(t for _, t in f.lin_params))
        if f.name in self.typing.sigs:
            raise TypeCheckError("Def", f"function `{f.name}` is defined twice", f.pos, var=f.name)
        new = self.bind(tuple(x for x, _ in f.nl_params), params[0],
                        tuple(y for y, _ in f.lin_params), params[1], f.pos, "Def")
        self.typing._keep.append(f)
        got = self.synth(f.body)
        self.close(new)
        want = (f.nl_results, f.lin_results)
        if got != want:
            raise TypeCheckError("Def", f"`{f.name}` is declared to return {show_sig(*want)} "
                                 f"but its body returns {show_sig(*got)}", f.pos, var=f.name,
                                 expected=show_sig(*want), found=show_sig(*got))
        self.typing.sigs[f.name] = (params, want)


def _unbound(x: str, pos: Pos | None, rule: str) -> TypeCheckError:
    return TypeCheckError(rule, f"variable `{x}` is not bound", pos, var=x)


_BINDERS: dict[type, Callable[[_Checker, Any], tuple[_Binding, ...]]] = {
    Let: _Checker.let, UnpackTup: _Checker.unpack_tup, UnpackLtup: _Checker.unpack_ltup}
"""The forms with a body in scope, each with the case that opens its scope."""


class _Cases(dict):
    """Constructor → its case; any other class is a bug."""

    def __missing__(self, cls: type) -> Any:
        raise InternalError(f"{cls.__name__} is not a Linear A expression")


_CASES: dict[type, Callable[[_Checker, Any], Sig]] = _Cases({
    Ret: _Checker.ret, Call: _Checker.call, Var: _Checker.var, Lit: _Checker.lit,
    Tup: _Checker.tup, Prim: _Checker.prim, LVar: _Checker.lvar, LTup: _Checker.ltup,
    LAdd: _Checker.ladd, LScale: _Checker.lscale, LDiv: _Checker.ldiv,
    Zero: _Checker.zero, Dup: _Checker.dup,
    Drop: _Checker.drop, Hole: _Checker.hole})
"""The other constructors, each with its case."""


@deep
def check_program(prog: Program) -> Typing:
    """Type-check every definition in order; raise the first error."""
    typing = Typing()
    for f in prog.funcs:
        _Checker(typing).fundef(f)
    return typing


@deep
def check_fun(f: FunDef, sigs: dict[str, tuple[Sig, Sig]]) -> Typing:
    """Type-check one definition given the signatures of the functions it may call."""
    typing = Typing(sigs={g: s for g, s in sigs.items() if g != f.name})
    _Checker(typing).fundef(f)
    return typing


@deep
def check_expr(e: Expr, nl: dict[str, Type], lin: dict[str, Type],
               typing: Typing | None = None) -> Sig:
    """Γ ; Δ ⊢ e : (τ̄ ; σ̄) for an expression with the given contexts (exact Δ, and every
    Γ variable used)."""
    c = _Checker(typing or Typing())
    new = c.bind(tuple(nl), tuple(nl.values()), tuple(lin), tuple(lin.values()), e.pos, "Expr")
    c.typing._keep.append(e)
    sig = c.synth(e)
    c.close(new)
    return sig

