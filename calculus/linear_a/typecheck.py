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
an empty Δ is checked by watching the log.  `check_program` returns a `Typing`: the
result type of every expression node, which the transformations read instead of
re-deriving types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, assert_never

from ..deep import deep
from ..errors import InternalError, LinearityError, Pos, TypeCheckError
from ..primitives import PRIMS
from .syntax import (REAL, Call, Drop, Dup, Expr, FunDef, Hole, LAdd, Let, Lit, LScale, LTup, LVar,
                     Prim, Program, Ret, Tup, TupT, Type, UnpackLtup, UnpackTup, Var,
                     Zero, show_sig)

Sig = tuple[tuple[Type, ...], tuple[Type, ...]]  # (τ̄ ; σ̄)
BINDERS = frozenset({Let, UnpackTup, UnpackLtup})  # the forms with a body in scope


@dataclass
class _Binding:
    linear: bool
    type: Type
    pos: Pos | None
    serial: int = 0  # binding order: tells variables bound inside a subterm from outside
    uses: int = 0


@dataclass
class Typing:
    """What the checker learnt: each function's signature and each node's result type
    (keyed by node identity; valid for the program object that was checked)."""

    sigs: dict[str, tuple[Sig, Sig]] = field(default_factory=dict)  # name → (params, results)
    node: dict[int, Sig] = field(default_factory=dict)
    _keep: list = field(default_factory=list, repr=False)

    def of(self, e: Expr) -> Sig:
        try:
            return self.node[id(e)]
        except KeyError:
            raise InternalError(f"no type recorded for {type(e).__name__} node") from None


class _Checker:
    def __init__(self, typing: Typing) -> None:
        self.typing = typing
        self.scope: dict[str, list[_Binding]] = {}
        self.log: list[tuple[str, Pos | None, int]] = []  # linear uses: name, pos, serial
        self.serial = 0

    # -- context operations --------------------------------------------------------------

    def lookup(self, x: str, pos: Pos | None, rule: str) -> _Binding:
        stack = self.scope.get(x)
        if not stack:
            raise TypeCheckError(rule, f"variable `{x}` is not bound", pos, var=x)
        return stack[-1]

    def use_nl(self, x: str, pos: Pos | None, rule: str) -> Type:
        b = self.lookup(x, pos, rule)
        if b.linear:
            raise TypeCheckError(rule, f"`{x}` is linear but a non-linear variable is expected "
                                 "here", pos, var=x, expected="non-linear", found="linear")
        b.uses += 1
        return b.type

    def use_lin(self, y: str, pos: Pos | None, rule: str) -> Type:
        b = self.lookup(y, pos, rule)
        if not b.linear:
            raise TypeCheckError(rule, f"`{y}` is non-linear but a linear variable is expected "
                                 "here", pos, var=y, expected="linear", found="non-linear")
        if b.uses:
            raise LinearityError(rule, f"linear variable `{y}` has already been used "
                                 "(copy it with dup)", pos, var=y, kind="linear-used-twice")
        b.uses = 1
        self.log.append((y, pos, b.serial))
        return b.type

    def bind(self, nl: list[tuple[str, Type]], lin: list[tuple[str, Type]],
             pos: Pos | None, rule: str) -> Callable[[], None]:
        """Bind variables for the duration of a body; returns the function that closes
        the scope after the body, where every non-linear one must have been used and
        every linear one consumed."""
        names = [x for x, _ in nl] + [y for y, _ in lin]
        if len(set(names)) != len(names):
            seen: set[str] = set()
            dup = next(x for x in names if x in seen or seen.add(x))
            raise TypeCheckError(rule, f"`{dup}` is bound twice in one pattern", pos, var=dup)
        self.serial += 1
        new = [(x, _Binding(False, t, pos, self.serial)) for x, t in nl] + \
              [(y, _Binding(True, t, pos, self.serial)) for y, t in lin]
        for x, b in new:
            self.scope.setdefault(x, []).append(b)

        def close() -> None:
            for x, b in new:
                self.scope[x].pop()
                if b.uses == 0:
                    kind = "linear-unused" if b.linear else "nonlinear-unused"
                    how = "consume it or drop it" if b.linear else "use it or drop it"
                    raise LinearityError(rule, f"{'linear' if b.linear else 'non-linear'} "
                                         f"variable `{x}` is never used ({how})", pos, var=x,
                                         kind=kind)
        return close

    # -- the judgement -------------------------------------------------------------------

    def synth(self, e: Expr) -> Sig:
        """The judgement for e, recorded per node.  A chain of binders (`let`, `let tup`,
        `let ltup`) is walked in a loop and its scopes closed innermost first on the way
        back, so the depth of recursion does not grow with the chain."""
        chain: list[tuple[Expr, Callable[[], None]]] = []
        while type(e) in BINDERS:
            chain.append((e, self.enter(e)))
            e = e.body  # type: ignore[union-attr]
        sig = self._synth(e)
        node, keep = self.typing.node, self.typing._keep
        node[id(e)] = sig
        keep.append(e)
        for e, close in reversed(chain):
            close()
            node[id(e)] = sig
            keep.append(e)
        return sig

    def enter(self, e: Expr) -> Callable[[], None]:
        """For a binder: check what it binds and open its scope for the body (the
        result closes it)."""
        match e:
            case Let(xs, ys, bound, _):
                nl, lin = self.synth(bound)
                if len(nl) != len(xs) or len(lin) != len(ys):
                    raise TypeCheckError("Let", f"the pattern binds {len(xs)};{len(ys)} "
                                         f"variables but the expression returns {show_sig(nl, lin)}",
                                         e.pos, expected=f"{len(xs)};{len(ys)}",
                                         found=show_sig(nl, lin))
                return self.bind(list(zip(xs, nl)), list(zip(ys, lin)), e.pos, "Let")
            case UnpackTup(xs, t, _):
                return self._unpack(e, xs, self.use_nl(t, e.pos, "UnpackTup"), False)
            case UnpackLtup(ys, t, _):
                return self._unpack(e, ys, self.use_lin(t, e.pos, "UnpackLtup"), True)
            case _:
                raise InternalError(f"{type(e).__name__} binds nothing")

    def nonlinear(self, e: Expr, rule: str) -> Type:
        """e must be a non-linear expression returning one value, with empty Δ: it may
        use linear variables it binds itself, but none from outside."""
        mark, outside = len(self.log), self.serial
        nl, lin = self.synth(e)
        free = [(y, pos) for y, pos, serial in self.log[mark:] if serial <= outside]
        if free:
            y, pos = free[0]
            raise LinearityError(rule, f"linear variable `{y}` is consumed inside a "
                                 "non-linear expression (whose Δ must be empty)", pos, var=y,
                                 kind="linear-in-nonlinear")
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
        nl, lin = self.synth(e)
        if nl or len(lin) != 1:
            raise TypeCheckError(rule, "expected one linear value", e.pos,
                                 expected="(;σ)", found=show_sig(nl, lin))
        return lin[0]

    def _synth(self, e: Expr) -> Sig:
        match e:
            case Ret(xs, ys):
                return (tuple(self.use_nl(x, e.pos, "Ret") for x in xs),
                        tuple(self.use_lin(y, e.pos, "Ret") for y in ys))
            case Let() | UnpackTup() | UnpackLtup():
                raise InternalError("binders are checked by `synth` and `enter`")
            case Call(f, xs, ys):
                if f not in self.typing.sigs:
                    raise TypeCheckError("Call", f"function `{f}` is not defined before this "
                                         "call", e.pos, var=f)
                (pnl, plin), res = self.typing.sigs[f]
                got = (tuple(self.use_nl(x, e.pos, "Call") for x in xs),
                       tuple(self.use_lin(y, e.pos, "Call") for y in ys))
                if got != (pnl, plin):
                    raise TypeCheckError("Call", f"`{f}` expects arguments {show_sig(pnl, plin)} "
                                         f"but gets {show_sig(*got)}", e.pos, var=f,
                                         expected=show_sig(pnl, plin), found=show_sig(*got))
                return res
            case Var(x):
                return (self.use_nl(x, e.pos, "Var"),), ()
            case Lit():
                return (REAL,), ()
            case Tup(xs):
                return (TupT(tuple(self.use_nl(x, e.pos, "Tup") for x in xs)),), ()
            case Prim(op, args):
                prim = PRIMS[op]
                if len(args) != prim.arity:
                    raise TypeCheckError("Prim", f"{op.value} takes {prim.arity} arguments, "
                                         f"got {len(args)}", e.pos, expected=str(prim.arity),
                                         found=str(len(args)))
                for a in args:
                    self.real(a, "Prim")
                return (REAL,), ()
            case LVar(y):
                return (), (self.use_lin(y, e.pos, "LVar"),)
            case LTup(ys):
                return (), (TupT(tuple(self.use_lin(y, e.pos, "LTup") for y in ys)),)
            case LAdd(a, b):
                ta, tb = self.linear(a, "LAdd"), self.linear(b, "LAdd")
                if ta != tb:
                    raise TypeCheckError("LAdd", f"cannot add {ta} and {tb}", e.pos,
                                         expected=str(ta), found=str(tb))
                return (), (ta,)
            case LScale(a, b):
                self.real(a, "LScale")
                return (), (self.linear(b, "LScale"),)
            case Zero(t):
                return (), (t,)
            case Dup(a):
                t = self.linear(a, "Dup")
                return (), (t, t)
            case Drop(a):
                self.synth(a)
                return (), ()
            case Hole(h, xs, ys, nl, lin):  # an axiom: its parameters, at their types
                uses = [(p, self.use_nl) for p in xs] + [(p, self.use_lin) for p in ys]
                for (x, want), use in uses:
                    got = use(x, e.pos, "Hole")
                    if got != want:
                        raise TypeCheckError("Hole", f"?{h} expects `{x}` : {want}, found {got}",
                                             e.pos, var=x, expected=str(want), found=str(got))
                return nl, lin
            case _:
                assert_never(e)

    def _unpack(self, e: Expr, names: tuple[str, ...], t: Type,
                linear: bool) -> Callable[[], None]:
        rule = "UnpackLtup" if linear else "UnpackTup"
        if not isinstance(t, TupT) or len(t.elems) != len(names):
            want = f"a tuple of {len(names)} components"
            raise TypeCheckError(rule, f"expected {want}, found {t}", e.pos,
                                 var=e.tup, expected=want, found=str(t))
        binds = list(zip(names, t.elems))
        return self.bind([] if linear else binds, binds if linear else [], e.pos, rule)

    def fundef(self, f: FunDef) -> None:
        params = (tuple(t for _, t in f.nl_params), tuple(t for _, t in f.lin_params))
        if f.name in self.typing.sigs:
            raise TypeCheckError("Def", f"function `{f.name}` is defined twice", f.pos, var=f.name)
        close = self.bind(list(f.nl_params), list(f.lin_params), f.pos, "Def")
        got = self.synth(f.body)
        close()
        want = (f.nl_results, f.lin_results)
        if got != want:
            raise TypeCheckError("Def", f"`{f.name}` is declared to return {show_sig(*want)} "
                                 f"but its body returns {show_sig(*got)}", f.pos, var=f.name,
                                 expected=show_sig(*want), found=show_sig(*got))
        self.typing.sigs[f.name] = (params, want)


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
    close = c.bind(list(nl.items()), list(lin.items()), e.pos, "Expr")
    sig = c.synth(e)
    close()
    return sig

