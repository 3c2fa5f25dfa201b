"""Parser for Linear A's concrete syntax (grammar: `linear_a.lark`).

`parse_program(text)` returns a `Program`; `parse_expr(text, linear=…)` an expression.
After parsing, `resolve` tells linear from non-linear variables by their binder (a
name bound after `;` or by `let ltup` is linear) and reports unbound names and calls to
functions not defined earlier.  Every error is a `ParseError` or `ScopeError` with
`line:col`.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import assert_never

from lark import Lark, Transformer_NonRecursive, v_args
from lark.exceptions import (UnexpectedCharacters, UnexpectedEOF, UnexpectedInput,
                             UnexpectedToken, VisitError)

from ..deep import deep
from ..errors import CalculusError, ParseError, Pos, ScopeError
from ..numbers import exact
from ..primitives import OP_BY_NAME, Op
from .syntax import (REAL, Call, Drop, Dup, Expr, FunDef, LAdd, LDiv, Let, Lit, LScale, LTup, LVar,
                     Prim, Program, Ret, Tup, TupT, UnpackLtup, UnpackTup, Var, Zero)


@cache
def _parser(start: str) -> Lark:
    grammar = files(__package__).joinpath("linear_a.lark").read_text()
    return Lark(grammar, parser="lalr", start=start, propagate_positions=True,
                maybe_placeholders=True)


def _pos(meta, file: str | None) -> Pos | None:
    return Pos(meta.line, meta.column, file) if not meta.empty else None


def _names(c) -> tuple[str, ...]:
    return tuple(str(t) for t in c if t is not None)


@v_args(meta=True)
class _Build(Transformer_NonRecursive):
    """Parse tree → AST; one method per grammar alternative."""

    def __init__(self, file: str | None) -> None:
        super().__init__()
        self.file = file

    def program(self, m, c):
        return Program(tuple(c))

    def fundef(self, m, c):
        name, (nl, lin), (rnl, rlin), body = c
        return FunDef(str(name), nl, lin, rnl, rlin, body, _pos(m, self.file))

    def params(self, m, c):
        return (c[0], c[1] or ())

    def plist(self, m, c):
        return tuple(p for p in c if p is not None)

    def types(self, m, c):
        return tuple(t for t in c if t is not None)

    def param(self, m, c):
        return (str(c[0]), c[1])

    def result(self, m, c):
        return (c[0], c[1])

    def real_t(self, m, c):
        return REAL

    def tup_t(self, m, c):
        return TupT(tuple(t for t in c if t is not None))

    def names(self, m, c):
        return _names(c)

    def pattern(self, m, c):
        return (c[0], c[1])

    def let(self, m, c):
        (xs, ys), bound, body = c
        return Let(xs, ys, bound, body, _pos(m, self.file))

    def unpack_tup(self, m, c):
        return UnpackTup(c[0], str(c[1]), c[2], _pos(m, self.file))

    def unpack_ltup(self, m, c):
        return UnpackLtup(c[0], str(c[1]), c[2], _pos(m, self.file))

    def ladd(self, m, c):
        return LAdd(c[0], c[1], _pos(m, self.file))

    def lscale(self, m, c):
        return LScale(c[0], c[1], _pos(m, self.file))

    def ldiv(self, m, c):
        return LDiv(c[0], c[1], _pos(m, self.file))

    def _binop(op):  # noqa: N805 -- a factory for the four infix primitives
        def build(self, m, c):
            return Prim(op, (c[0], c[1]), _pos(m, self.file))
        return build

    add, sub, mul, div = _binop(Op.ADD), _binop(Op.SUB), _binop(Op.MUL), _binop(Op.DIV)

    def neg(self, m, c):
        return Prim(Op.NEG, (c[0],), _pos(m, self.file))

    def prim1(self, m, c):
        return Prim(OP_BY_NAME[str(c[0])], (c[1],), _pos(m, self.file))

    def lit(self, m, c):
        return Lit(exact(str(c[0]), _pos(m, self.file)), _pos(m, self.file))

    def var(self, m, c):
        return Var(str(c[0]), _pos(m, self.file))

    def ret(self, m, c):
        return Ret(c[0], c[1], _pos(m, self.file))

    def call(self, m, c):
        return Call(str(c[0]), c[1], c[2], _pos(m, self.file))

    def call_nl(self, m, c):
        return Call(str(c[0]), c[1], (), _pos(m, self.file))

    def tup(self, m, c):
        return Tup(c[0], _pos(m, self.file))

    def ltup(self, m, c):
        return LTup(c[0], _pos(m, self.file))

    def zero(self, m, c):
        return Zero(c[0] if c[0] is not None else REAL, _pos(m, self.file))

    def dup(self, m, c):
        return Dup(c[0], _pos(m, self.file))

    def drop(self, m, c):
        return Drop(c[0], _pos(m, self.file))


def _terminal(parser: Lark, name: str) -> str:
    """How a grammar terminal looks to a user: `'let'`, or `name`/`number`."""
    try:
        pattern = parser.get_terminal(name).pattern
    except KeyError:
        return name
    return repr(pattern.value) if pattern.type == "str" else name.lower()


def _syntax_error(exc: UnexpectedInput, text: str, file: str | None, parser: Lark) -> ParseError:
    pos = Pos(exc.line, exc.column, file) if getattr(exc, "line", -1) != -1 else None
    match exc:
        case UnexpectedToken():
            what = f"unexpected {str(exc.token)!r}" if exc.token.type != "$END" else "unexpected end of input"
            expected = ", ".join(sorted(_terminal(parser, t) for t in exc.accepts or exc.expected))
            msg = f"{what}; expected one of: {expected}"
        case UnexpectedCharacters():
            msg = f"unexpected character {text[exc.pos_in_stream]!r}"
        case UnexpectedEOF():
            msg = "unexpected end of input"
        case _:
            msg = str(exc).splitlines()[0]
    return ParseError("syntax", msg, pos)


def _parse(text: str, start: str, file: str | None):
    try:
        tree = _parser(start).parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text, file, _parser(start)) from None
    try:
        return _Build(file).transform(tree)
    except VisitError as exc:  # a numeral that is not a real
        if isinstance(exc.orig_exc, CalculusError):
            raise exc.orig_exc from None
        raise


@deep
def parse_program(text: str, file: str | None = None) -> Program:
    """Parse and resolve a whole program."""
    prog = _parse(text, "program", file)
    return resolve_program(prog)


@deep
def parse_expr(text: str, nl: tuple[str, ...] = (), lin: tuple[str, ...] = (),
               funcs: tuple[str, ...] = ()) -> Expr:
    """Parse and resolve an expression whose free non-linear variables are `nl` and
    linear ones `lin`, calling functions `funcs`."""
    e = _parse(text, "expr", None)
    return _resolve(e, {**{x: False for x in nl}, **{y: True for y in lin}}, set(funcs))


# --- resolution: Var → LVar by binder ----------------------------------------------------

Scope = dict[str, bool]  # name → is linear


@deep
def resolve_program(prog: Program) -> Program:
    seen: set[str] = set()
    out = []
    for f in prog.funcs:
        if f.name in seen:
            raise ScopeError("Program", f"function `{f.name}` is defined twice", f.pos, name=f.name)
        scope = {x: False for x, _ in f.nl_params} | {y: True for y, _ in f.lin_params}
        body = _resolve(f.body, scope, seen)
        out.append(FunDef(f.name, f.nl_params, f.lin_params, f.nl_results, f.lin_results,
                          body, f.pos))
        seen.add(f.name)
    return Program(tuple(out))


def _resolve(e: Expr, scope: Scope, funcs: set[str]) -> Expr:
    """Rewrite non-linear `Var`s bound linearly into `LVar`s; check every name is bound.
    `scope` is updated in place for binders and restored afterwards (linear time)."""

    def need(x: str) -> None:
        if x not in scope:
            raise ScopeError("Var", f"variable `{x}` is not bound", e.pos, name=x)

    def go(sub: Expr) -> Expr:
        return _resolve(sub, scope, funcs)

    def under(new: Scope, sub: Expr) -> Expr:
        saved = {x: scope.get(x) for x in new}
        scope.update(new)
        try:
            return _resolve(sub, scope, funcs)
        finally:
            for x, was in saved.items():
                if was is None:
                    del scope[x]
                else:
                    scope[x] = was

    match e:
        case Ret(xs, ys) | Call(_, xs, ys):
            for x in xs + ys:
                need(x)
            if isinstance(e, Call) and e.func not in funcs:
                raise ScopeError("Call", f"function `{e.func}` is not defined before this call",
                                 e.pos, name=e.func)
            return e
        case Let(xs, ys, bound, body):
            new = {x: False for x in xs} | {y: True for y in ys}
            return Let(xs, ys, go(bound), under(new, body), e.pos)
        case UnpackTup(xs, t, body):
            need(t)
            return UnpackTup(xs, t, under({x: False for x in xs}, body), e.pos)
        case UnpackLtup(ys, t, body):
            need(t)
            return UnpackLtup(ys, t, under({y: True for y in ys}, body), e.pos)
        case Var(x) | LVar(x):
            need(x)
            return LVar(x, e.pos) if scope[x] else Var(x, e.pos)
        case Tup(xs) | LTup(xs):
            for x in xs:
                need(x)
            return e
        case Lit() | Zero():
            return e
        case Prim(op, args):
            return Prim(op, tuple(go(a) for a in args), e.pos)
        case LAdd(a, b):
            return LAdd(go(a), go(b), e.pos)
        case LScale(a, b):
            return LScale(go(a), go(b), e.pos)
        case LDiv(a, b):
            return LDiv(go(a), go(b), e.pos)
        case Dup(a):
            return Dup(go(a), e.pos)
        case Drop(a):
            return Drop(go(a), e.pos)
        case _:
            assert_never(e)
