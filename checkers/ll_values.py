"""λLL values along their types, and applying a definition to values: shared by the
instance checks of E2/E4/E5 and their induction steps (`checkers.induction`).

`flatten(v, A)` reads the reals of a data value v : A left to right (checking that v's
tree has A's shape); `fill(A, reals)` builds the value of type A with those reals — the
encoding keeps a Linear A value's reals and their order, so the two convert a Linear A
meaning into a λLL one and back.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping, assert_never

from calculus.encoding import enc_value_lin, enc_value_nl
from calculus.lambda_ll import syntax as ll
from calculus.lambda_ll.evaluate import (HoleMeaning, Result, Value, VBang, VPair, VReal, VUnit,
                                         evaluate, evaluate_defs)
from calculus.lambda_ll.syntax import App, Program, Promote, Term, Var
from calculus.linear_a import syntax as la
from calculus.numbers import backend


class ShapeError(Exception):
    """A value whose tree does not have the shape of its type (at `path`)."""


def flatten(v: Value, ty: ll.Type, path: str = "") -> tuple:
    """The reals of a λLL value v : ty, left to right; ShapeError if v's tree is not
    shaped like ty (data types and ! only: results of ⟦f⟧ contain no functions)."""
    match ty, v:
        case ll.Real(), VReal(x):
            return (x,)
        case ll.One(), VUnit():
            return ()
        case ll.Tensor(a, b), VPair(left, right):
            return flatten(left, a, path + "L") + flatten(right, b, path + "R")
        case ll.Bang(a), VBang(inner):
            return flatten(inner, a, path + "!")
        case (ll.Real() | ll.One() | ll.Tensor() | ll.Bang() | ll.Lolli()), _:
            raise ShapeError(f"at {path or 'the root'}: {v} is not a value of type {ty}")
        case _:
            assert_never(ty)


def fill(ty: ll.Type, reals: Iterator[Any]) -> Value:
    """The value of data type ty whose reals, left to right, are the next of `reals`."""
    match ty:
        case ll.Real():
            return VReal(next(reals))
        case ll.One():
            return VUnit()
        case ll.Tensor(a, b):
            return VPair(fill(a, reals), fill(b, reals))
        case ll.Bang(a):
            return VBang(fill(a, reals))
        case ll.Lolli():
            raise ShapeError(f"no data value of the function type {ty}")
        case _:
            assert_never(ty)


Args = list[tuple[Value, bool]]  # argument values; True: passed banged (`!u`, u intuitionistic)


def application(name: str, args: Args) -> tuple[Term, dict[str, Value], dict[str, Value]]:
    """(`name a1 … ak`, intuitionistic inputs, linear inputs): a banged argument is
    passed as `!u` with u intuitionistic, the others as linear inputs."""
    env, linear = {}, {}
    term: Term = Var(name)
    for i, (v, banged) in enumerate(args):
        (env if banged else linear)[f"arg{i}"] = v
        term = App(term, Promote(Var(f"arg{i}")) if banged else Var(f"arg{i}"))
    return term, env, linear


def primal_args(f: la.FunDef, xs: tuple) -> Args:
    """The encodings of x̄ as banged arguments (() for a nullary f, as ⟦·⟧ does)."""
    if not f.nl_params:
        return [(VUnit(), False)]
    return [(enc_value_nl(x, t), True) for x, (_, t) in zip(xs, f.nl_params, strict=True)]


def tangent_args(f: la.FunDef, dxs: tuple) -> Args:
    """The encodings of the tangents ẋ̄ of f's parameters, linear ((!τ°)' = τ•; () for a
    nullary f, as F does)."""
    return [(enc_value_lin(d, t), False) for d, (_, t) in zip(dxs, f.nl_params)] or \
        [(VUnit(), False)]


def evaluate_in(program: Program, term: Term, env: dict[str, Value],
                linear: dict[str, Value], mode: str, instrumented: bool = False, *,
                nums=None, holes: Mapping[str, HoleMeaning] = {}) -> Result:
    """Evaluate term with program's definitions (and env) intuitionistic in scope."""
    nums = nums or backend(mode)
    defs, _ = evaluate_defs(program, nums=nums, holes=holes)
    return evaluate(term, defs | env, linear, nums=nums, instrumented=instrumented, holes=holes)
