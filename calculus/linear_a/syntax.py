"""Linear A: types, expressions, programs, and the printer (SPEC §2.1).

    τ ::= real | (τ1, …, τn)

    e ::= (x̄ ; ȳ)                      Ret        return
        | let (x̄ ; ȳ) = e1 in e2        Let        multi-let
        | let tup(x̄) = x in e          UnpackTup  unpack a non-linear tuple
        | let ltup(ȳ) = y in e         UnpackLtup unpack a linear tuple
        | f(x̄ ; ȳ)                     Call       call an earlier function
        | x                            Var        non-linear variable
        | r                            Lit        real literal
        | tup(x̄)                       Tup        non-linear tuple
        | op(e, …)                     Prim       primitive (`sin(e)`, `e * e`, …)
        | y                            LVar       linear variable
        | ltup(ȳ)                      LTup       linear tuple
        | e +. e                       LAdd       linear add
        | e *. e                       LScale     scale (left operand non-linear)
        | e /. e                       LDiv       linear division (right operand non-linear)
        | zero[σ]                      Zero       linear zero
        | dup(e)                       Dup        (;σ) → (;σ,σ)
        | drop(e)                      Drop       discard e's results → (;)
        | ?h[x̄ ; ȳ]                    Hole       a metavariable (proofs only, INDUCTION.md)

Every expression returns a *pair of lists* (non-linear results ; linear results).
`Var` and `LVar` print alike; the parser tells them apart by their binder.  Positions
are carried for error messages and ignored by equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterator, assert_never

from ..deep import deep
from ..errors import InternalError, Pos
from ..primitives import PRIMS, Op

# --- types ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RealT:
    """real"""

    def __str__(self) -> str:
        return "real"


@dataclass(frozen=True, slots=True)
class TupT:
    """(τ1, …, τn)"""

    elems: tuple["Type", ...]

    def __str__(self) -> str:
        return "(" + ", ".join(map(str, self.elems)) + ("," if len(self.elems) == 1 else "") + ")"


Type = RealT | TupT
REAL = RealT()


def n_reals(t: Type) -> int:
    """The number of real components of a value of type t (k in the cost rules)."""
    match t:
        case RealT():
            return 1
        case TupT(elems):
            return sum(n_reals(e) for e in elems)
        case _:
            assert_never(t)


def pair(left: tuple, right: tuple) -> str:
    """`(a, b; c)`, `(a;)`, `(; c)`, `(;)`: the printed form of every (x̄ ; ȳ)."""
    lin = "; " + ", ".join(map(str, right)) if right else ";"
    return "(" + ", ".join(map(str, left)) + lin + ")"


def show_sig(nl: tuple[Type, ...], lin: tuple[Type, ...]) -> str:
    """A result type (τ̄ ; σ̄)."""
    return pair(nl, lin)


# --- expressions ------------------------------------------------------------------------

_POS = field(default=None, compare=False, repr=False)

Names = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Ret:
    """(x̄ ; ȳ)"""

    nl: Names
    lin: Names
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Let:
    """let (x̄ ; ȳ) = bound in body"""

    nl: Names
    lin: Names
    bound: "Expr"
    body: "Expr"
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class UnpackTup:
    """let tup(x̄) = x in body"""

    names: Names
    tup: str
    body: "Expr"
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class UnpackLtup:
    """let ltup(ȳ) = y in body"""

    names: Names
    tup: str
    body: "Expr"
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Call:
    """f(x̄ ; ȳ)"""

    func: str
    nl: Names
    lin: Names
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Var:
    """x (non-linear)"""

    name: str
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Lit:
    """r (an exact rational literal)"""

    value: Fraction
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Tup:
    """tup(x̄)"""

    names: Names
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Prim:
    """op(e, …): `sin(e)`, `e + e`, `-e`, …"""

    op: Op
    args: tuple["Expr", ...]
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class LVar:
    """y (linear)"""

    name: str
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class LTup:
    """ltup(ȳ)"""

    names: Names
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class LAdd:
    """e1 +. e2"""

    left: "Expr"
    right: "Expr"
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class LScale:
    """e1 *. e2 — e1 non-linear real, e2 linear"""

    scalar: "Expr"
    vec: "Expr"
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class LDiv:
    """e1 /. e2 — e1 linear, e2 non-linear real ≠ 0: e1 scaled by 1/e2 in one division,
    JAX's `div` linear in its first argument (no reciprocal is computed)."""

    vec: "Expr"
    divisor: "Expr"
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Zero:
    """zero[σ]"""

    type: Type = REAL
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Dup:
    """dup(e)"""

    arg: "Expr"
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Drop:
    """drop(e)"""

    arg: "Expr"
    pos: Pos | None = _POS


Params = tuple[tuple[str, Type], ...]


@dataclass(frozen=True, slots=True)
class Hole:
    """?h[x̄ ; ȳ] : (τ̄ ; σ̄) — a metavariable (../shared/INDUCTION.md): an unknown subterm
    known only by its judgement, the axiom  x̄:τ̄_x ; ȳ:σ̄_y ⊢ ?h : (τ̄ ; σ̄).  Every
    non-linear parameter is used and every linear one consumed (once).  Not program
    syntax: the induction proofs (`checkers.induction`) build terms C(H₁, …, Hₖ)."""

    name: str
    nl: Params
    lin: Params
    nl_results: tuple[Type, ...]
    lin_results: tuple[Type, ...]
    pos: Pos | None = _POS


Expr = (Ret | Let | UnpackTup | UnpackLtup | Call | Var | Lit | Tup | Prim
        | LVar | LTup | LAdd | LScale | LDiv | Zero | Dup | Drop | Hole)

EXPR_CLASSES = (Ret, Let, UnpackTup, UnpackLtup, Call, Var, Lit, Tup, Prim,
                LVar, LTup, LAdd, LScale, LDiv, Zero, Dup, Drop)
"""The constructors of programs (parsed, generated, encoded); `Hole` is not one."""


def children(e: Expr) -> tuple[Expr, ...]:
    """The immediate subexpressions of e."""
    match e:
        case Let(_, _, bound, body):
            return (bound, body)
        case Ret() | Call() | Var() | Lit() | Tup() | LVar() | LTup() | Zero() | Hole():
            return ()
        case UnpackTup(_, _, body) | UnpackLtup(_, _, body):
            return (body,)
        case Prim(_, args):
            return args
        case LAdd(a, b) | LScale(a, b) | LDiv(a, b):
            return (a, b)
        case Dup(a) | Drop(a):
            return (a,)
        case _:
            assert_never(e)


def subterms(e: Expr) -> Iterator[Expr]:
    """e and all its subexpressions, in preorder (iterative: any depth)."""
    stack = [e]
    pop, push = stack.pop, stack.append
    while stack:
        e = pop()
        yield e
        if type(e) is Let:  # the commonest node, unrolled
            push(e.body)
            push(e.bound)
        elif type(e) not in _LEAVES:
            stack.extend(reversed(children(e)))


_LEAVES = frozenset({Ret, Call, Var, Lit, Tup, LVar, LTup, Zero, Hole})
BINDERS = frozenset({Let, UnpackTup, UnpackLtup})
"""The forms with a body in scope (the passes walk a chain of them in a loop)."""


# --- programs -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FunDef:
    """def f(x̄:τ̄ ; ȳ:σ̄) -> (τ̄' ; σ̄') = body"""

    name: str
    nl_params: tuple[tuple[str, Type], ...]
    lin_params: tuple[tuple[str, Type], ...]
    nl_results: tuple[Type, ...]
    lin_results: tuple[Type, ...]
    body: Expr
    pos: Pos | None = _POS

    @property
    def signature(self) -> str:
        params = show_sig(tuple(t for _, t in self.nl_params), tuple(t for _, t in self.lin_params))
        return f"{self.name} : {params} -> {show_sig(self.nl_results, self.lin_results)}"


@dataclass(frozen=True, slots=True)
class Program:
    """An ordered list of definitions; a body may call only earlier functions."""

    funcs: tuple[FunDef, ...]

    def get(self, name: str) -> FunDef:
        for f in self.funcs:
            if f.name == name:
                return f
        raise KeyError(name)

    def __contains__(self, name: str) -> bool:
        return any(f.name == name for f in self.funcs)

    def __str__(self) -> str:
        return _pretty_program(self)


# --- printing ----------------------------------------------------------------------------------
# The printer's output re-parses to the same AST (tests/test_linear_a_parse.py).

# Binding strength of infix forms: +. loosest, then + -, then * /, *., then prefix -.
_PREC = {Op.ADD: 2, Op.SUB: 2, Op.MUL: 3, Op.DIV: 3, Op.NEG: 6}
_LADD, _LSCALE, _LDIV, _ATOM = 1, 4, 5, 9


def show_lit(q: Fraction) -> str:
    """An exact decimal for q (every literal that parses has one)."""
    if q.denominator == 1:
        return f"{q.numerator}.0"
    d, twos, fives = q.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        raise InternalError(f"literal {q} has no finite decimal form")
    digits = max(twos, fives)
    scaled = q * 10**digits
    sign = "-" if scaled < 0 else ""
    s = str(abs(scaled.numerator)).rjust(digits + 1, "0")
    return f"{sign}{s[:-digits]}.{s[-digits:]}"


def _names(xs: Names) -> str:
    return ", ".join(xs)


@deep
def _pretty_program(p: Program) -> str:
    return "\n\n".join(pretty_fun(f) for f in p.funcs) + "\n"


@deep
def pretty(e: Expr, indent: int = 0) -> str:
    """Concrete syntax of e; lets go one per line at the given indentation."""
    return _pp(e, indent, 0)


def _pp(e: Expr, ind: int, ctx: int) -> str:
    """ctx: the binding strength the context requires (parenthesise below it)."""
    match e:
        case Ret(xs, ys):
            return pair(xs, ys)
        case Let() | UnpackTup() | UnpackLtup():
            return _wrap(_chain(e, ind), ctx > 0)
        case Call(f, xs, ys):
            return f + pair(xs, ys)
        case Var(x) | LVar(x):
            return x
        case Lit(q):
            s = show_lit(q)
            return _wrap(s, ctx > _PREC[Op.NEG])  # so that -(1.0) is not read as -1.0
        case Tup(xs):
            return f"tup({_names(xs)})"
        case LTup(ys):
            return f"ltup({_names(ys)})"
        case Prim(op, args):
            prim = PRIMS[op]
            if not prim.infix:
                return f"{prim.symbol}(" + ", ".join(_pp(a, ind, 0) for a in args) + ")"
            p = _PREC[op]
            if op is Op.NEG:
                return _wrap(f"-{_pp(args[0], ind, p + 1)}", ctx > p)
            # left-associative: the right operand needs a strictly tighter context
            s = f"{_pp(args[0], ind, p)} {prim.symbol} {_pp(args[1], ind, p + 1)}"
            return _wrap(s, ctx > p)
        case LAdd(a, b):
            return _wrap(f"{_pp(a, ind, _LADD)} +. {_pp(b, ind, _LADD + 1)}", ctx > _LADD)
        case LScale(a, b):
            # right-associative: x *. y *. v = x *. (y *. v)
            return _wrap(f"{_pp(a, ind, _LSCALE + 1)} *. {_pp(b, ind, _LSCALE)}", ctx > _LSCALE)
        case LDiv(a, b):
            # left-associative: v /. x /. y = (v /. x) /. y
            return _wrap(f"{_pp(a, ind, _LDIV)} /. {_pp(b, ind, _LDIV + 1)}", ctx > _LDIV)
        case Zero(t):
            return "zero" if t == REAL else f"zero[{t}]"
        case Dup(a):
            return f"dup({_pp(a, ind, 0)})"
        case Drop(a):
            return f"drop({_pp(a, ind, 0)})"
        case Hole(h, xs, ys):
            lin = "; " + _names(tuple(y for y, _ in ys)) if ys else ""
            return f"?{h}[{_names(tuple(x for x, _ in xs))}{lin}]"
        case _:
            assert_never(e)


def _chain(e: Expr, ind: int) -> str:
    """A chain of binders, one per line, and the expression it ends in: a loop joining
    the lines once (no recursion along the chain, no quadratic concatenation)."""
    nl = "\n" + " " * ind
    lines: list[str] = []
    while True:
        match e:
            case Let(xs, ys, bound, body):
                lines.append(f"let {pair(xs, ys)} = {_pp(bound, ind + 2, 0)} in{nl}")
            case UnpackTup(xs, t, body):
                lines.append(f"let tup({_names(xs)}) = {t} in{nl}")
            case UnpackLtup(ys, t, body):
                lines.append(f"let ltup({_names(ys)}) = {t} in{nl}")
            case _:
                lines.append(_pp(e, ind, 0))
                return "".join(lines)
        e = body


def _wrap(s: str, paren: bool) -> str:
    return f"({s})" if paren else s


@deep
def pretty_fun(f: FunDef) -> str:
    nl = ", ".join(f"{x}: {t}" for x, t in f.nl_params)
    lin = ", ".join(f"{y}: {t}" for y, t in f.lin_params)
    params = f"{nl}; {lin}".strip() if lin else nl
    res = show_sig(f.nl_results, f.lin_results)
    return f"def {f.name}({params}) -> {res} =\n  {pretty(f.body, 2)}"
