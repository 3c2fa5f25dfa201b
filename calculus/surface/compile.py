"""Compile the surface language (SPEC §2.5) to Linear A.

A checked surface function `def f(x1: T1, …, xn: Tn): s1 … sk; return r` becomes

    def f(x1: T1, …, xn: Tn) -> (τ̄;) = e

with no linear parameters or results, and `e` in A-normal form: a chain of
`let (t;) = op(a, b) in …` in which every primitive application has its own let and
its arguments are variables or literals; calls `g(x̄;)`, tuples `tup(x̄)` and returns
`(x̄;)` take variables only.  Translation of statements, in order:

    x = e                 ⇝  (lets for the operands of e)  let (x;) = e' in …
    (p1, …, pn) = (e1, …, en)  ⇝  let (x1, …, xn;) = (a1, …, an;) in …   (simultaneous,
                               so `a, b = b, a` swaps); nested patterns bind a
                               temporary and unpack it with `let tup(…) = t in …`
    (p1, …, pn) = g(ā)     ⇝  let (x1, …, xn;) = g(ā;) in …   (g has n results)
    (p1, …, pn) = e        ⇝  let tup(x1, …, xn) = a in …     (e a tuple value)
    return e1, …, en       ⇝  (a1, …, an;)                  n ≥ 2 results
    return e               ⇝  (a;)
    -c  (c a literal)      ⇝  the literal −c, as Python reads it
    g(ā) as a value, g with n ≥ 2 results  ⇝  let (t1, …, tn;) = g(ā;) in tup(t1, …, tn)

Literals are exact (`check.literal`).  Fresh temporaries are `_t.1`, `_t.2`, …: a `.`
cannot occur in a Python identifier, so they never clash with user names.  User names
that Linear A's parser would not read back as themselves (`let`, `tup`, `zero`, `real`,
`sin`, …) are written `_r.<name>` (`la_name`), function names included.

Structural rules.  Linear A's Γ has contraction but no weakening: a parameter or
bound variable never used afterwards gets `let (;) = drop(x) in …` right after its
binding (a backward liveness pass over the let chain; shadowing ends a binding's
scope).  Automatic `dup` insertion would only concern linear variables, which the
surface language never creates: every variable here is non-linear, and non-linear
contraction is free, so no `dup` is ever emitted.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from typing import assert_never

from ..deep import deep
from ..errors import CalculusError, InternalError, Pos
from ..linear_a.parse import parse_expr
from ..linear_a.syntax import (Call, Drop, Dup, Expr, FunDef, LAdd, Let, Lit, LScale, LTup,
                               LVar, Prim, Program, Ret, Tup, UnpackLtup, UnpackTup, Var,
                               Zero)
from ..primitives import Op
from .check import BINOPS, Function, Surface, analyse, literal, power

TEMP = "_t"       # temporaries: _t.1, _t.2, …
RESERVED = "_r"   # a user name Linear A reserves: _r.<name>


@cache
def la_name(name: str) -> str:
    """The Linear A spelling of a surface identifier: itself if Linear A's parser reads
    it back as that variable, else `_r.<name>` (`zero`, `let`, but also `sin_`, which
    the lexer splits after the primitive `sin`)."""
    if _reads_as_variable(name):
        return name
    mangled = f"{RESERVED}.{name}"
    if not _reads_as_variable(mangled):
        raise InternalError(f"identifier `{name}` has no Linear A spelling")
    return mangled


# An ASCII identifier that no keyword or primitive of Linear A's grammar begins with
# lexes as one NAME token, hence reads back as that variable (the parser would agree:
# tests/test_build_speed.py); every other name asks the parser.
_PLAIN = re.compile(r"(?!let|in|def|tup|ltup|zero|dup|drop|real|sin|cos|exp|log)"
                    r"[A-Za-z_][A-Za-z_0-9]*")


def _reads_as_variable(name: str) -> bool:
    if _PLAIN.fullmatch(name):
        return True
    try:
        return parse_expr(name, nl=(name,)) == Var(name)
    except CalculusError:
        return False


@deep
def compile_source(text: str, file: str | None = None) -> Program:
    """Check and compile a surface program (raises SurfaceError outside the subset)."""
    return compile_surface(analyse(text, file))


@deep
def compile_surface(surface: Surface) -> Program:
    """Compile an already checked program, one function per definition, in order."""
    return Program(tuple(_FunCompiler(surface, f).compile() for f in surface.funcs.values()))


# --- the let chain -------------------------------------------------------------------------
# A function body is built as a flat list of binders, then assembled into nested
# expressions back to front (no recursion, whatever the length).


@dataclass(frozen=True, slots=True)
class _LetB:
    """let (names;) = bound in □"""

    names: tuple[str, ...]
    bound: Expr
    pos: Pos


@dataclass(frozen=True, slots=True)
class _UnpackB:
    """let tup(names) = tup in □"""

    names: tuple[str, ...]
    tup: str
    pos: Pos


_Binder = _LetB | _UnpackB


def _uses(b: _Binder) -> tuple[str, ...]:
    """The variables a binder reads (its bound expression is atomic: A-normal form)."""
    match b:
        case _UnpackB(_, t):
            return (t,)
        case _LetB(_, bound):
            return _atomic_uses(bound)
        case _:
            assert_never(b)


def _atomic_uses(e: Expr) -> tuple[str, ...]:
    match e:
        case Var(x):
            return (x,)
        case Lit():
            return ()
        case Prim(_, args):
            return tuple(x for a in args for x in _atomic_uses(a))
        case Ret(xs) | Call(_, xs) | Tup(xs):
            return xs
        case Let() | UnpackTup() | UnpackLtup() | LVar() | LTup() | LAdd() | LScale() \
                | LDiv() | Zero() | Dup() | Drop():
            raise InternalError(f"the compiler never binds a {type(e).__name__}")
        case _:
            assert_never(e)


def _drop(x: str, body: Expr, pos: Pos) -> Expr:
    return Let((), (), Drop(Var(x, pos), pos), body, pos)


def _assemble(params: tuple[str, ...], binders: list[_Binder], ret: Ret, fpos: Pos) -> Expr:
    """Nest the binders around `ret`, dropping each name that is not used before it is
    shadowed or the function returns (Linear A has no weakening)."""
    live = set(ret.nl)
    unused: list[list[str]] = [[] for _ in binders]
    for i in reversed(range(len(binders))):
        b = binders[i]
        unused[i] = [x for x in b.names if x not in live]
        live.difference_update(b.names)
        live.update(_uses(b))
    body: Expr = ret
    for i in reversed(range(len(binders))):
        b = binders[i]
        for x in reversed(unused[i]):
            body = _drop(x, body, b.pos)
        match b:
            case _LetB(names, bound, pos):
                body = Let(names, (), bound, body, pos)
            case _UnpackB(names, t, pos):
                body = UnpackTup(names, t, body, pos)
            case _:
                assert_never(b)
    for x in reversed([p for p in params if p not in live]):
        body = _drop(x, body, fpos)
    return body


# --- statements and expressions --------------------------------------------------------------


class _FunCompiler:
    """Compile one function: `binders` is the let chain emitted so far."""

    def __init__(self, surface: Surface, f: Function) -> None:
        self.surface, self.f = surface, f
        self.binders: list[_Binder] = []
        self.count = 0

    def fresh(self) -> str:
        self.count += 1
        return f"{TEMP}.{self.count}"

    def pos(self, node: ast.AST) -> Pos:
        return self.surface.pos(node)

    def compile(self) -> FunDef:
        f = self.f
        ret: Ret | None = None
        for stmt in f.body:
            match stmt:
                case ast.Assign([target], value):
                    self.assign(target, value)
                case ast.Return(value) if value is not None:
                    ret = self.ret(value, stmt)
                case _:
                    raise InternalError(f"checked body holds a {type(stmt).__name__}")
        if ret is None:
            raise InternalError("checked body has no return")
        params = tuple((la_name(x), t) for x, t in f.params)
        fpos = self.pos(f.node)
        body = _assemble(tuple(x for x, _ in params), self.binders, ret, fpos)
        return FunDef(la_name(f.name), params, (), f.results, (), body, fpos)

    def ret(self, value: ast.expr, stmt: ast.Return) -> Ret:
        if self.f.multi:
            assert isinstance(value, ast.Tuple)
            return Ret(tuple(self.name(e) for e in value.elts), (), self.pos(stmt))
        return Ret((self.name(value),), (), self.pos(stmt))

    # -- assignment ---------------------------------------------------------------------

    def assign(self, target: ast.expr, value: ast.expr) -> None:
        pos = self.pos(target)
        match target:
            case ast.Name(x):
                self.binders.append(_LetB((la_name(x),), self.bound(value), pos))
            case ast.Tuple(elts):
                pattern, nested = self.pattern(elts)
                multi = self.multi_callee(value)
                if isinstance(value, ast.Tuple):
                    # Python evaluates the whole right-hand side before assigning
                    srcs = tuple(self.name(e) for e in value.elts)
                    self.binders.append(_LetB(pattern, Ret(srcs, (), pos), pos))
                elif multi is not None:
                    self.binders.append(_LetB(pattern, self.call(value, multi), pos))
                else:
                    self.binders.append(_UnpackB(pattern, self.name(value), pos))
                self.unpack_nested(nested)
            case _:
                raise InternalError(f"checked target is a {type(target).__name__}")

    def pattern(self, elts: list[ast.expr]) -> tuple[tuple[str, ...], list[tuple[str, ast.Tuple]]]:
        """Names for one level of a target; nested tuples get a temporary to unpack."""
        names, nested = [], []
        for e in elts:
            match e:
                case ast.Name(x):
                    names.append(la_name(x))
                case ast.Tuple():
                    t = self.fresh()
                    names.append(t)
                    nested.append((t, e))
                case _:
                    raise InternalError(f"checked target holds a {type(e).__name__}")
        return tuple(names), nested

    def unpack_nested(self, nested: list[tuple[str, ast.Tuple]]) -> None:
        for t, sub in nested:
            pattern, deeper = self.pattern(sub.elts)
            self.binders.append(_UnpackB(pattern, t, self.pos(sub)))
            self.unpack_nested(deeper)

    # -- expressions --------------------------------------------------------------------

    def multi_callee(self, e: ast.expr) -> Function | None:
        """The callee, if e calls a function with several results."""
        if isinstance(e, ast.Call):
            c = self.surface.callee[id(e)]
            if isinstance(c, str) and self.surface.funcs[c].multi:
                return self.surface.funcs[c]
        return None

    def call(self, e: ast.Call, g: Function) -> Call:
        return Call(la_name(g.name), tuple(self.name(a) for a in e.args), (), self.pos(e))

    def bound(self, e: ast.expr) -> Expr:
        """An atomic expression with e's value (one result), binding the operands first,
        left to right (Python's evaluation order)."""
        pos = self.pos(e)
        match e:
            case ast.Constant() | ast.Name() | ast.UnaryOp(ast.USub(), ast.Constant()):
                return self.operand(e)
            case ast.UnaryOp(ast.USub(), operand):
                return Prim(Op.NEG, (self.operand(operand),), pos)
            case ast.BinOp(left, ast.Pow(), right):
                return Prim(power(right), (self.operand(left),), pos)
            case ast.BinOp(left, op, right):
                a = self.operand(left)
                return Prim(BINOPS[type(op)], (a, self.operand(right)), pos)
            case ast.Call(_, args):
                c = self.surface.callee[id(e)]
                if isinstance(c, Op):
                    return Prim(c, tuple(self.operand(a) for a in args), pos)
                g = self.surface.funcs[c]
                if not g.multi:
                    return self.call(e, g)
                call = self.call(e, g)
                ts = tuple(self.fresh() for _ in g.results)
                self.binders.append(_LetB(ts, call, pos))
                return Tup(ts, pos)
            case ast.Tuple(elts):
                return Tup(tuple(self.name(x) for x in elts), pos)
            case _:
                raise InternalError(f"checked expression is a {type(e).__name__}")

    def operand(self, e: ast.expr) -> Var | Lit:
        """A primitive's argument: a variable or a literal (`-c` folds to a literal)."""
        pos = self.pos(e)
        match e:
            case ast.Constant():
                return Lit(literal(e), pos)
            case ast.UnaryOp(ast.USub(), ast.Constant() as c):
                return Lit(-literal(c), pos)
            case ast.Name(x):
                return Var(la_name(x), pos)
            case _:
                return Var(self.name(e), pos)

    def name(self, e: ast.expr) -> str:
        """A variable holding e's value: e itself if it is a name, else a temporary."""
        if isinstance(e, ast.Name):
            return la_name(e.id)
        bound = self.bound(e)  # operands first, so temporaries are numbered in order
        t = self.fresh()
        self.binders.append(_LetB((t,), bound, self.pos(e)))
        return t
