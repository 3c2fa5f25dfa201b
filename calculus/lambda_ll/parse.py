"""Parser for λLL's concrete syntax (grammar: `lambda_ll.lark`, LALR).

    parse_program(text, file=None) -> Program     a sequence of `def NAME : TYPE = TERM`
    parse_term(text, file=None)    -> Term
    parse_type(text, file=None)    -> Type

A bare name is a `Const` when it is in the signature (`sin`, `plus`, …), else a `Var`;
constant names cannot be bound and only constants take an index `[D]`.  Errors are
`ParseError`s carrying `line:col`.  The parse tree is built and transformed without
recursion, so thousands of nested lets parse; `pretty` of such terms must run under
`calculus.deep.deep`.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from lark import Lark, Token, Transformer_NonRecursive, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, VisitError

from ..errors import CalculusError, ParseError, Pos
from ..numbers import exact
from .syntax import (CONST_NAMES, ONE, REAL, App, Bang, Const, Def, Fun, Lit, LetBang,
                     LetPair, LetUnit, Lolli, One, Pair, Program, Promote, Real, Tensor,
                     Term, Type, Unit, Var, paused_gc)


@cache
def _parser() -> Lark:
    grammar = files(__package__).joinpath("lambda_ll.lark").read_text()
    return Lark(grammar, parser="lalr", start=["program", "term", "type"],
                propagate_positions=True)


@v_args(meta=True)
class _Build(Transformer_NonRecursive):
    """Parse tree → AST; one method per grammar alternative."""

    def __init__(self, file: str | None) -> None:
        super().__init__()
        self.file = file

    def _pos(self, meta) -> Pos | None:
        return None if meta.empty else Pos(meta.line, meta.column, self.file)

    def _binder(self, tok: Token) -> str:
        # contract: constants are reserved names
        if str(tok) in CONST_NAMES:
            raise ParseError("binder", f"`{tok}` is a constant and cannot be bound",
                             Pos(tok.line, tok.column, self.file))
        return str(tok)

    def program(self, m, c):
        return Program(tuple(c))

    def definition(self, m, c):
        name, ty, body = c
        return Def(self._binder(name), ty, body, self._pos(m))

    def fun(self, m, c):
        x, ty, body = c
        return Fun(self._binder(x), ty, body, self._pos(m))

    def let_unit(self, m, c):
        return LetUnit(c[0], c[1], self._pos(m))

    def let_pair(self, m, c):
        x, y, bound, body = c
        return LetPair(self._binder(x), self._binder(y), bound, body, self._pos(m))

    def let_bang(self, m, c):
        u, bound, body = c
        return LetBang(self._binder(u), bound, body, self._pos(m))

    def app(self, m, c):
        return App(c[0], c[1], self._pos(m))

    def name(self, m, c):
        tok = c[0]
        pos = Pos(tok.line, tok.column, self.file)
        return Const(str(tok), None, pos) if str(tok) in CONST_NAMES else Var(str(tok), pos)

    def indexed(self, m, c):
        tok, index = c
        if str(tok) not in CONST_NAMES:
            raise ParseError("index", f"only constants take an index, not `{tok}`",
                             Pos(tok.line, tok.column, self.file))
        return Const(str(tok), index, self._pos(m))

    def lit(self, m, c):
        return Lit(exact(str(c[0]), self._pos(m)), self._pos(m))

    def unit(self, m, c):
        return Unit(self._pos(m))

    def pair(self, m, c):
        return Pair(c[0], c[1], self._pos(m))

    def promote(self, m, c):
        return Promote(c[0], self._pos(m))

    def lolli(self, m, c):
        return Lolli(c[0], c[1], self._pos(m))

    def tensor(self, m, c):
        return Tensor(c[0], c[1], self._pos(m))

    def bang(self, m, c):
        return Bang(c[0], self._pos(m))

    def real(self, m, c):
        return Real(self._pos(m)) if not m.empty else REAL

    def one(self, m, c):
        return One(self._pos(m)) if not m.empty else ONE


def _parse(text: str, start: str, file: str | None):
    with paused_gc():
        return _parse_tree(text, start, file)


def _parse_tree(text: str, start: str, file: str | None):
    try:
        tree = _parser().parse(text, start=start)
    except UnexpectedInput as exc:
        pos = Pos(exc.line, exc.column, file) if exc.line > 0 else None
        match exc:
            case UnexpectedEOF():
                message = "unexpected end of input"
            case UnexpectedCharacters():
                message = f"unexpected character {exc.char!r}"
            case _:
                message = f"unexpected {exc.token!r}; expected one of " \
                          f"{', '.join(sorted(exc.expected))}"
        raise ParseError("syntax", message, pos) from None
    try:
        return _Build(file).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, CalculusError):
            raise exc.orig_exc from None
        raise


def parse_program(text: str, file: str | None = None) -> Program:
    return _parse(text, "program", file)


def parse_term(text: str, file: str | None = None) -> Term:
    return _parse(text, "term", file)


def parse_type(text: str, file: str | None = None) -> Type:
    return _parse(text, "type", file)
