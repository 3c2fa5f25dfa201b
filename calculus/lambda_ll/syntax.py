"""Syntax of λLL, the linear λ-calculus (SPEC §3.1–3.2): types, terms, the signature
of constants, and the two printers (ASCII concrete syntax and LaTeX).

    A, B ::= real | 1 | A ⊗ B | A ⊸ B | !A
             ASCII: `real`, `1`, `A * B`, `A -o B`, `!A`;  `!` binds tightest, `*` next
             (right-associative), `-o` loosest (right-associative).

    t, s ::= x | u                    variable (one node; its *binder* decides linear/intuitionistic)
           | fun (x : A) -> t         ⊸I
           | t s                      ⊸E (juxtaposition, left-associative)
           | ()                       1I
           | let () = t in s          1E
           | (t, s)                   ⊗I
           | let (x, y) = t in s      ⊗E
           | !t                       !I (promotion)
           | let !u = t in s          !E (binds u intuitionistically)
           | r                        real literal (exact `Fraction`)
           | c | c[D]                 constant of the signature
           | ?h[ū ; x̄]                a metavariable (proofs only, ../shared/INDUCTION.md)

[choice] Variables are one `Var` node: a name bound by `fun` or `let (x, y)` is linear,
a name bound by `let !u` or by an earlier top-level `def` is intuitionistic; the
innermost binder wins.  Constant names are reserved (they cannot be bound).

The signature (constants are axioms): each primitive of `calculus.primitives` with n
arguments has type `!real ⊸ … ⊸ !real ⊸ real` (n banged reals); for every linear data
type D ::= real | 1 | D ⊗ D,

    plus[D] : D ⊸ D ⊸ D     zero[D] : D       dup[D] : D ⊸ D ⊗ D
    drop[D] : D ⊸ 1         scale[D] : !real ⊸ D ⊸ D          ([D] defaults to real)
    ldiv[D] : !real ⊸ D ⊸ D      ldiv !s v = v / s, componentwise (s ≠ 0: `/`'s domain)

Every node carries an optional source position (`pos`, ignored by equality).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterator, assert_never

from ..errors import InternalError, Pos
from ..primitives import OP_BY_NAME, PRIMS

_POS = field(default=None, compare=False, repr=False)

# --- types -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Real:
    """`real`: the ground type (an atom of the logic)."""

    pos: Pos | None = _POS

    def __str__(self) -> str:
        return pretty_type(self)


@dataclass(frozen=True, slots=True)
class One:
    """`1`: the tensor unit."""

    pos: Pos | None = _POS

    def __str__(self) -> str:
        return pretty_type(self)


@dataclass(frozen=True, slots=True)
class Tensor:
    """`A * B`: A ⊗ B."""

    left: Type
    right: Type
    pos: Pos | None = _POS

    def __str__(self) -> str:
        return pretty_type(self)


@dataclass(frozen=True, slots=True)
class Lolli:
    """`A -o B`: linear implication A ⊸ B."""

    dom: Type
    cod: Type
    pos: Pos | None = _POS

    def __str__(self) -> str:
        return pretty_type(self)


@dataclass(frozen=True, slots=True)
class Bang:
    """`!A`: the exponential (of course) modality."""

    body: Type
    pos: Pos | None = _POS

    def __str__(self) -> str:
        return pretty_type(self)


Type = Real | One | Tensor | Lolli | Bang
REAL = Real()
ONE = One()
BANG_REAL = Bang(REAL)

# --- terms -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Var:
    """`x`: a variable; linear or intuitionistic according to its binder."""

    name: str
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Fun:
    """`fun (x : A) -> body`: ⊸-introduction; x is linear in body."""

    var: str
    ty: Type
    body: Term
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class App:
    """`fn arg`: ⊸-elimination."""

    fn: Term
    arg: Term
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Unit:
    """`()`: 1-introduction."""

    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class LetUnit:
    """`let () = bound in body`: 1-elimination."""

    bound: Term
    body: Term
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Pair:
    """`(left, right)`: ⊗-introduction."""

    left: Term
    right: Term
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class LetPair:
    """`let (x, y) = bound in body`: ⊗-elimination; x and y are linear in body."""

    x: str
    y: str
    bound: Term
    body: Term
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Promote:
    """`!body`: promotion (!I); body must have an empty linear context."""

    body: Term
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class LetBang:
    """`let !u = bound in body`: dereliction/!-elimination; u is intuitionistic in body."""

    var: str
    bound: Term
    body: Term
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Lit:
    """A real literal `r`, stored exactly (printed as an exact decimal, or `p/q`)."""

    value: Fraction
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Const:
    """A constant `name` or `name[D]` of the signature.  `index` is the data type D of
    a linear constant (normalised to `real` when omitted) and None for a primitive."""

    name: str
    index: Type | None = None
    pos: Pos | None = _POS

    def __post_init__(self) -> None:
        if self.name in LINEAR_CONSTS and self.index is None:
            object.__setattr__(self, "index", REAL)


Params = tuple[tuple[str, "Type"], ...]


@dataclass(frozen=True, slots=True)
class Hole:
    """`?h[ū ; x̄]`: a metavariable — an unknown term known only by its judgement, the
    axiom  ū:Ā ; x̄:B̄ ⊢ ?h : ty  (typed by `Ax`; each linear x consumed once).  Not
    program syntax: the induction proofs build terms around holes."""

    name: str
    gamma: Params
    delta: Params
    ty: "Type"
    pos: Pos | None = _POS


Term = Var | Fun | App | Unit | LetUnit | Pair | LetPair | Promote | LetBang | Lit | Const | Hole


@dataclass(frozen=True, slots=True)
class Def:
    """`def name : ty = body`: a top-level definition, intuitionistic in later ones."""

    name: str
    ty: Type
    body: Term
    pos: Pos | None = _POS


@dataclass(frozen=True, slots=True)
class Program:
    defs: tuple[Def, ...]

    def lookup(self, name: str) -> Def:
        for d in self.defs:
            if d.name == name:
                return d
        raise KeyError(name)


# --- the signature -------------------------------------------------------------------------

LINEAR_CONSTS = ("plus", "zero", "dup", "drop", "scale", "ldiv")


class _Signature(frozenset):
    """The constants' names: the primitives, the linear constants, and the family
    `powi[k]` (which `OP_BY_NAME` recognises, but does not list)."""

    def __contains__(self, name: object) -> bool:
        return frozenset.__contains__(self, name) or name in OP_BY_NAME


CONST_NAMES = _Signature(frozenset(OP_BY_NAME) | frozenset(LINEAR_CONSTS))


def is_data(ty: Type) -> bool:
    """D ::= real | 1 | D ⊗ D."""
    match ty:
        case Real() | One():
            return True
        case Tensor(a, b):
            return is_data(a) and is_data(b)
        case Lolli() | Bang():
            return False
        case _:
            assert_never(ty)


def components(ty: Type) -> int:
    """k(D): the number of real components of a data type D (the cost of plus/scale)."""
    match ty:
        case Real():
            return 1
        case One():
            return 0
        case Tensor(a, b):
            return components(a) + components(b)
        case Lolli() | Bang():
            raise InternalError(f"components of non-data type {ty}")
        case _:
            assert_never(ty)


def arrows(args: tuple[Type, ...], result: Type) -> Type:
    """A1 ⊸ … ⊸ An ⊸ B."""
    for a in reversed(args):
        result = Lolli(a, result)
    return result


def tensor_type(ts: list[Type]) -> Type:
    """A1 ⊗ (A2 ⊗ … An), right-nested; 1 when empty."""
    if not ts:
        return ONE
    out = ts[-1]
    for t in reversed(ts[:-1]):
        out = Tensor(t, out)
    return out


def tensor_term(ts: list[Term]) -> Term:
    """(t1, (t2, … tn)), right-nested; () when empty."""
    if not ts:
        return Unit()
    out = ts[-1]
    for t in reversed(ts[:-1]):
        out = Pair(t, out)
    return out


def apply_all(fn: Term, args: list[Term]) -> Term:
    """fn a1 … an"""
    for a in args:
        fn = App(fn, a)
    return fn


def const_args(name: str, index: Type | None) -> tuple[tuple[Type, ...], Type]:
    """The argument types and result type of a constant (its axiom, uncurried).
    Contract: `name` is in CONST_NAMES and `index` is a data type (or None for a primitive)."""
    if name in OP_BY_NAME:
        return (BANG_REAL,) * PRIMS[OP_BY_NAME[name]].arity, REAL
    d = index if index is not None else REAL
    match name:
        case "plus":
            return (d, d), d
        case "zero":
            return (), d
        case "dup":
            return (d,), Tensor(d, d)
        case "drop":
            return (d,), ONE
        case "scale" | "ldiv":
            return (BANG_REAL, d), d
    raise InternalError(f"unknown constant {name}")


def const_type(name: str, index: Type | None) -> Type:
    """The type of a constant as a curried axiom, e.g. mul : !real ⊸ !real ⊸ real."""
    return arrows(*const_args(name, index))


# --- generic traversals ----------------------------------------------------------------------


def children(t: Term) -> tuple[Term, ...]:
    """Immediate subterms, left to right (evaluation order)."""
    match t:
        case Var() | Unit() | Lit() | Const() | Hole():
            return ()
        case Fun(_, _, body) | Promote(body):
            return (body,)
        case App(a, b) | Pair(a, b) | LetUnit(a, b) | LetPair(_, _, a, b) | LetBang(_, a, b):
            return (a, b)
        case _:
            assert_never(t)


def binders(t: Term) -> tuple[str, ...]:
    """The names t binds in its *last* child."""
    match t:
        case Fun(x) | LetBang(x):
            return (x,)
        case LetPair(x, y):
            return (x, y)
        case Var() | Unit() | Lit() | Const() | App() | Pair() | LetUnit() | Promote() | Hole():
            return ()
        case _:
            assert_never(t)


def subterms(t: Term) -> Iterator[Term]:
    """All subterm occurrences, pre-order, without recursion (terms may be deep)."""
    stack = [t]
    while stack:
        s = stack.pop()
        yield s
        stack.extend(reversed(children(s)))


def size(t: Term) -> int:
    """|t|: the number of AST nodes."""
    return sum(1 for _ in subterms(t))


def free_vars(t: Term) -> frozenset[str]:
    """The free variable names of t."""
    match t:
        case Var(x):
            return frozenset((x,))
        case Unit() | Lit() | Const():
            return frozenset()
        case Hole(_, gamma, delta):
            return frozenset(x for x, _ in gamma + delta)
        case Fun() | App() | Pair() | LetUnit() | LetPair() | Promote() | LetBang():
            kids = children(t)
            last = free_vars(kids[-1]) - frozenset(binders(t))
            return last.union(*(free_vars(k) for k in kids[:-1]))
        case _:
            assert_never(t)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic GC around a pass over a large term: terms, values and
    environments are acyclic (reference counting frees them), and full collections
    re-traverse the whole term, making long passes quadratic."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- printers -------------------------------------------------------------------------------
#
# One printer, two notations.  Precedence levels: terms 0 = binders (fun, let), 1 =
# application, 2 = atoms; types 0 = ⊸, 1 = ⊗, 2 = ! and atoms.


@dataclass(frozen=True)
class Notation:
    """The tokens of one concrete notation; binders print as open·x·colon·A·arrow·body
    and open·pattern·eq·bound·in·body, so deep terms print in linear time."""

    real: str
    one: str
    tensor: str
    lolli: str
    bang: str
    fun_open: str
    fun_colon: str
    fun_arrow: str
    let_open: str
    let_eq: str
    let_in: str
    unit: str
    const: str  # format with {name}
    index: str  # format with {name} {index}
    space: str
    var: str = "{name}"  # format with {name} (already escaped by `escape`)
    escape: tuple[tuple[str, str], ...] = ()  # replacements in variable names

    def name(self, x: str) -> str:
        for a, b in self.escape:
            x = x.replace(a, b)
        return self.var.format(name=x)


ASCII = Notation(real="real", one="1", tensor=" * ", lolli=" -o ", bang="!",
                 fun_open="fun (", fun_colon=" : ", fun_arrow=") -> ",
                 let_open="let ", let_eq=" = ", let_in=" in ", unit="()",
                 const="{name}", index="{name}[{index}]", space=" ")
LATEX = Notation(real=r"\mathbf{real}", one=r"\mathbf{1}", tensor=r" \otimes ",
                 lolli=r" \multimap ", bang="{!}", fun_open=r"\lambda ", fun_colon="{:}",
                 fun_arrow=r".\, ", let_open=r"\mathsf{let}\ ", let_eq=" = ",
                 let_in=r"\ \mathsf{in}\ ", unit="()", const=r"\mathsf{{{name}}}",
                 index=r"\mathsf{{{name}}}_{{{index}}}", space=r"\ ",
                 var=r"\mathit{{{name}}}", escape=(("_", r"\_"),))


def _type_parts(ty: Type, prec: int, n: Notation, out: list[str]) -> None:
    match ty:
        case Real():
            out.append(n.real)
        case One():
            out.append(n.one)
        case Tensor(a, b) | Lolli(a, b):
            mine = 1 if isinstance(ty, Tensor) else 0
            if prec > mine:
                out.append("(")
            _type_parts(a, mine + 1, n, out)
            out.append(n.tensor if mine else n.lolli)
            _type_parts(b, mine, n, out)
            if prec > mine:
                out.append(")")
        case Bang(a):
            out.append(n.bang)
            _type_parts(a, 2, n, out)
        case _:
            assert_never(ty)


def pretty_type(ty: Type, notation: Notation = ASCII) -> str:
    out: list[str] = []
    _type_parts(ty, 0, notation, out)
    return "".join(out)


def show_real(q: Fraction) -> str:
    """An exact decimal (`-0.25`, `3.0`) when q has one, else `p/q`; both re-parse to q."""
    den, twos, fives = q.denominator, 0, 0
    while den % 2 == 0:
        den, twos = den // 2, twos + 1
    while den % 5 == 0:
        den, fives = den // 5, fives + 1
    if den != 1:
        return f"{q.numerator}/{q.denominator}"
    digits = max(twos, fives, 1)
    scaled = abs(q.numerator) * 10**digits // q.denominator
    whole, frac = divmod(scaled, 10**digits)
    return f"{'-' if q < 0 else ''}{whole}.{frac:0{digits}d}"


def _term_parts(t: Term, prec: int, n: Notation, out: list[str]) -> None:
    """Append the printed t to out (never concatenating the strings of subterms)."""
    match t:
        case Var(x):
            out.append(n.name(x))
        case Hole(h, gamma, delta):
            names = lambda ps: ", ".join(n.name(x) for x, _ in ps)  # noqa: E731
            out.append(f"?{n.name(h)}[{names(gamma)}" + (f"; {names(delta)}]" if delta else "]"))
        case Unit():
            out.append(n.unit)
        case Lit(q):
            out.append(show_real(q))
        case Const(name, index):
            if index is None or index == REAL:
                out.append(n.const.format(name=name))
            else:
                out.append(n.index.format(name=name, index=pretty_type(index, n)))
        case Pair(a, b):
            out.append("(")
            _term_parts(a, 0, n, out)
            out.append(", ")
            _term_parts(b, 0, n, out)
            out.append(")")
        case Promote(a):
            out.append(n.bang)
            _term_parts(a, 2, n, out)
        case App(f, a):
            out.append("(" if prec > 1 else "")
            _term_parts(f, 1, n, out)
            out.append(n.space)
            _term_parts(a, 2, n, out)
            out.append(")" if prec > 1 else "")
        case Fun(x, ty, body):
            out.append("(" if prec > 0 else "")
            out.extend((n.fun_open, n.name(x), n.fun_colon, pretty_type(ty, n), n.fun_arrow))
            _term_parts(body, 0, n, out)
            out.append(")" if prec > 0 else "")
        case LetUnit(bound, body) | LetPair(_, _, bound, body) | LetBang(_, bound, body):
            out.append("(" if prec > 0 else "")
            out.append(n.let_open)
            match t:
                case LetPair(x, y):
                    out.append(f"({n.name(x)}, {n.name(y)})")
                case LetBang(u):
                    out.extend((n.bang, n.name(u)))
                case _:
                    out.append("()")
            out.append(n.let_eq)
            _term_parts(bound, 0, n, out)
            out.append(n.let_in)
            _term_parts(body, 0, n, out)
            out.append(")" if prec > 0 else "")
        case _:
            assert_never(t)


def pretty(t: Term, notation: Notation = ASCII) -> str:
    """The concrete syntax of t; `parse_term(pretty(t)) == t`.  Deep terms: call under
    `calculus.deep.deep` (the parser and CLI do)."""
    out: list[str] = []
    _term_parts(t, 0, notation, out)
    return "".join(out)


def latex(t: Term) -> str:
    """t in LaTeX math mode (λx{:}A.\\,t, ⊗, ⊸, {!})."""
    return pretty(t, LATEX)


def latex_type(ty: Type) -> str:
    return pretty_type(ty, LATEX)


def pretty_program(p: Program) -> str:
    return "\n\n".join(f"def {d.name} : {pretty_type(d.ty)} =\n  {pretty(d.body)}"
                       for d in p.defs) + "\n"
