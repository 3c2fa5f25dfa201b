"""The AD kernel shared by both calculi (SPEC §2.4, §5; YOLO §4, §6).

Forward mode (Linear A's J, λLL's F) and transposition (Linear A's T, λLL's T_LL) are
one algorithm each, written once here against two small builder interfaces that each
calculus implements once:

  `TangentPool`      one linear tangent copy per use of a variable (the dup chain);
  `TangentTerms`     the syntax of a primitive's tangent; `tangent_sum` folds
                     Σᵢ ∂ᵢ *. ȧᵢ from the derivative table `PARTIALS[op]`
                     (`calculus.primitives`);
  `CotangentTerms`   the syntax of cotangent bindings; `DUALITIES[op]` is the transpose
                     rule of each linear operation, read by both T and T_LL.

The tables are public (autodidax's `jvp_rules` / `transpose_rules`): a broken-rule
test patches an entry, never a pass's code.
"""

from __future__ import annotations

from enum import Enum
from fractions import Fraction
from functools import reduce
from typing import Any, Callable, Protocol, TypeVar, assert_never

from .errors import InternalError
from .fresh import Fresh
from .primitives import PARTIALS, App, Arg, Const, One, Op, Partial, Recip, Res

T = TypeVar("T")
C = TypeVar("C")

# --- tangent copies ------------------------------------------------------------------------

DupChain = list[tuple[str, str, str]]  # (source, copy, rest): let (copy, rest) = dup(source)


class TangentPool:
    """Tangents are linear, so a variable used n times needs n copies of its tangent,
    made by n − 1 dups where it is bound; each use takes the next copy.  `rule` names
    the transformation (for the invariant's message)."""

    def __init__(self, fresh: Fresh, rule: str) -> None:
        self.fresh, self.rule = fresh, rule
        self.copies: dict[str, list[str]] = {}  # x ↦ the unused copies of ẋ, next last

    def plan(self, x: str, dx: str, n: int, base: str) -> DupChain:
        """The dup chain ẋ → (c1, r1), r1 → (c2, r2), … giving n ≥ 1 copies of dx (named
        after `base`) for the n uses of x; the copies go into the pool in use order,
        the chain is for the calculus to emit around the scope of x."""
        chain: DupChain = []
        copies: list[str] = []
        src = dx
        for _ in range(n - 1):
            c, rest = self.fresh(base), self.fresh(base)
            chain.append((src, c, rest))
            copies.append(c)
            src = rest
        self.copies[x] = (copies + [src])[::-1]
        return chain

    def take(self, x: str) -> str:
        """The next unused tangent copy of x."""
        try:
            return self.copies[x].pop()
        except (KeyError, IndexError):
            raise InternalError(f"{self.rule}: no tangent copy left for `{x}`") from None


# --- the derivative table turned into terms ----------------------------------------------


class TangentTerms(Protocol[T]):
    """How one calculus writes the tangent of a primitive application op(a1, …, an)
    whose arguments and result are already bound (so partials share them)."""

    def lit(self, q: Fraction) -> T: ...          # a constant partial
    def arg(self, i: int) -> T: ...               # the bound i-th argument
    def res(self) -> T: ...                       # the bound result
    def prim(self, op: Op, args: list[T]) -> T: ...
    def scale(self, s: T, dt: T) -> T: ...        # s *. dt
    def divide(self, dt: T, s: T) -> T: ...       # dt /. s
    def add(self, a: T, b: T) -> T: ...           # a +. b
    def zero(self) -> T: ...                      # zero[real]


def partial_term(p: Partial, b: TangentTerms[T]) -> T:
    """A partial derivative as a (non-linear) term of b's calculus."""
    match p:
        case One():
            return b.lit(Fraction(1))
        case Const(q):
            return b.lit(q)
        case Arg(i):
            return b.arg(i)
        case Res():
            return b.res()
        case App(op, ps):
            return b.prim(op, [partial_term(q, b) for q in ps])
        case Recip(q):
            return b.prim(Op.DIV, [b.lit(Fraction(1)), partial_term(q, b)])
        case _:
            assert_never(p)


def tangent_term(p: Partial, da: T, b: TangentTerms[T]) -> T:
    """∂ *. ȧ for one partial ∂: ȧ itself for ∂ = 1, ȧ /. q for ∂ = 1/q (`Recip`)."""
    match p:
        case One():
            return da
        case Recip(q):
            return b.divide(da, partial_term(q, b))
        case _:
            return b.scale(partial_term(p, b), da)


def tangent_sum(op: Op, tangents: list[tuple[int, T]], b: TangentTerms[T]) -> T:
    """Σᵢ ∂ᵢ *. ȧᵢ over the arguments i that have a tangent ȧᵢ (closed arguments have
    none), left-nested (`tangent_term` for each); zero when no argument has one."""
    partials = PARTIALS[op]
    terms = [tangent_term(partials[i], da, b) for i, da in tangents]
    return reduce(b.add, terms) if terms else b.zero()


# --- transposition -----------------------------------------------------------------------


class Lin(Enum):
    """The linear operations that transposition dualises."""

    VAR = "y"          # an occurrence of a linear variable
    ADD = "+."
    DUP = "dup"
    ZERO = "zero"
    DROP = "drop"
    SCALE = "*."
    DIV = "/."
    TUPLE = "ltup"     # a tuple (λLL: a pair, or () for n = 0)
    UNTUPLE = "let ltup"


class CotangentTerms(Protocol[C]):
    """How one calculus emits cotangent bindings; a cotangent `C` is a name (Linear A)
    or a term (λLL).  `ty` is the linear data type where the calculus needs it."""

    def dup(self, c: C, ty: Any) -> tuple[C, C]: ...
    def add(self, a: C, b: C, ty: Any) -> C: ...
    def drop(self, c: C, ty: Any) -> None: ...
    def zero(self, ty: Any) -> C: ...             # zero of the linear data type ty
    def scale(self, s: Any, c: C, ty: Any) -> C: ...
    def divide(self, c: C, s: Any, ty: Any) -> C: ...
    def pack(self, cs: tuple[C, ...], tys: tuple) -> C: ...  # cs may hold ZERO
    def unpack(self, c: C, n: int) -> tuple[C, ...]: ...
    def discard(self, s: Any) -> None: ...        # a scalar that scales a zero cotangent


Duality = Callable[..., tuple]  # (builder, output cotangents, *parameters) ↦ input cotangents


class SymZero:
    """A cotangent that is zero by construction (JAX's `ad.Zero`): the cotangent of a
    dropped value.  It is never materialised until a function boundary needs a term
    (`materialise`), and an operation whose output cotangents are all zero is never
    transposed (`transpose_op`)."""

    def __repr__(self) -> str:
        return "ZERO"


ZERO = SymZero()


def _drop(b: CotangentTerms, cts: tuple, ty: Any) -> tuple:
    b.drop(cts[0], ty)
    return ()


DUALITIES: dict[Lin, Duality] = {
    Lin.VAR: lambda b, cts, v: cts,                           # y     ↦ its cotangent
    Lin.ADD: lambda b, cts, ty: b.dup(cts[0], ty),            # +.    ↦ dup
    Lin.DUP: lambda b, cts, ty: (b.add(cts[0], cts[1], ty),),  # dup   ↦ +.
    Lin.ZERO: _drop,                                          # zero  ↦ drop
    Lin.DROP: lambda b, cts, vs: (ZERO,) * len(vs),          # drop e ↦ zeros for fv(e)
    Lin.SCALE: lambda b, cts, s, ty: (b.scale(s, cts[0], ty),),  # s *.  ↦ s *.
    Lin.DIV: lambda b, cts, s, ty: (b.divide(cts[0], s, ty),),   # /. s  ↦ /. s
    Lin.TUPLE: lambda b, cts, n: b.unpack(cts[0], n),        # ltup  ↦ let ltup
    Lin.UNTUPLE: lambda b, cts, tys: (b.pack(cts, tys),),    # let ltup ↦ ltup
}
"""The transpose of each linear operation: given the cotangents of its outputs, emit
(through the builder) and return the cotangents of its linear inputs.  Parameters:
VAR the variable; ADD, DUP, ZERO the data type; DROP the dropped term's free linear
variables (sorted; it is not transposed: a short-circuiting drop, and their cotangents
are the symbolic ZERO); SCALE and DIV the scalar (divisor) and the type; TUPLE the
arity; UNTUPLE the components' types (for a zero component that must be materialised)."""

INPUTS: dict[Lin, Callable[..., int]] = {
    Lin.VAR: lambda v: 1, Lin.ADD: lambda ty: 2, Lin.DUP: lambda ty: 1, Lin.ZERO: lambda ty: 0,
    Lin.DROP: lambda vs: len(vs), Lin.SCALE: lambda s, ty: 1, Lin.DIV: lambda s, ty: 1,
    Lin.TUPLE: lambda n: n,
    Lin.UNTUPLE: lambda tys: 1,
}
"""The number of linear inputs of each operation (the cotangents its transpose returns)."""


def transpose_op(op: Lin, b: CotangentTerms[C], cts: tuple[C, ...], *params: Any
                 ) -> tuple[C, ...]:
    """DUALITIES[op] applied: the cotangents of op's linear inputs, with symbolic zeros:

        all output cotangents ZERO  ⟹  every input cotangent is ZERO, nothing emitted
                                        (a linear map sends 0 to 0; a scalar it leaves
                                        unused is discarded)
        dup ↦ +. with one ZERO      ⟹  the other cotangent, no addition
    """
    if ZERO in cts:
        if all(c is ZERO for c in cts):
            if op is Lin.SCALE or op is Lin.DIV:
                b.discard(params[0])
            return (ZERO,) * INPUTS[op](*params)
        if op is Lin.DUP:
            return tuple(c for c in cts if c is not ZERO)
    return DUALITIES[op](b, cts, *params)


def materialise(b: CotangentTerms[C], cts: tuple, tys: tuple) -> tuple[C, ...]:
    """The cotangents cts (of linear data types tys) as terms: a symbolic ZERO becomes
    zero[ty] where a term is needed — a tuple with some non-zero component (Linear A's
    `ltup`; λLL's as soon as it is not unpacked again), a call's or a hole's cotangent
    arguments, a function's results."""
    return tuple(b.zero(ty) if c is ZERO else c for c, ty in zip(cts, tys, strict=True))
