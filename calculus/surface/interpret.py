"""A direct interpreter of the surface language (SPEC §2.5): the reference the compiled
Linear A must agree with.

It walks the Python AST of a checked program (`check.analyse`) with Python's own
big-step semantics restricted to the subset: statements in order, an environment
updated by assignment, tuples as Python tuples, calls evaluating their arguments left
to right.  Reals live in a number mode of `calculus.numbers` (`float`, `symbolic`,
`mpmath`) and every arithmetic operation goes through the backend's `prim`, so domain
errors are the same `DomainError`s (same rule, same source position) as those of the
compiled program.

Correspondence with the compiled program: a Linear A function returning the
non-linear results (v1, …, vn) denotes the surface value `surface_value((v1, …, vn))`
(v1 when n = 1, the tuple otherwise).
"""

from __future__ import annotations

import ast
from typing import Any

from ..deep import deep
from ..errors import InternalError, SurfaceError
from ..linear_a.syntax import RealT, TupT, Type
from ..numbers import backend
from ..primitives import Op
from .check import BINOPS, Surface, analyse, literal, power

Value = Any  # a real of the number mode, or a tuple of values
Env = dict[str, Value]


def surface_value(results: tuple[Value, ...]) -> Value:
    """The surface value denoted by a compiled function's non-linear results."""
    return results[0] if len(results) == 1 else tuple(results)


@deep
def interpret(text_or_module: str | ast.Module | Surface, func: str, args: tuple,
              mode: str = "float", num: Any = None, file: str | None = None) -> Value:
    """Run surface function `func` on `args` (reals of the mode, tuples for tuple
    parameters).  `num` overrides the backend built from `mode` (e.g. to read the
    symbolic side conditions afterwards); an already checked `Surface` skips checking."""
    surface = text_or_module if isinstance(text_or_module, Surface) \
        else analyse(text_or_module, file)
    if func not in surface.funcs:
        raise SurfaceError("unknown function", f"no function `{func}` in the program",
                           construct="FunctionDef")
    f = surface.funcs[func]
    if len(args) != len(f.params) or not all(_fits(v, t) for v, (_, t) in zip(args, f.params)):
        want = ", ".join(str(t) for _, t in f.params)
        raise SurfaceError("arguments", f"`{func}` takes ({want}), got {args!r}",
                           construct="arguments")
    return _Interpreter(surface, num or backend(mode)).call(func, tuple(args))


def _fits(v: Value, t: Type) -> bool:
    match t:
        case RealT():
            return not isinstance(v, tuple)
        case TupT(elems):
            return isinstance(v, tuple) and len(v) == len(elems) and \
                all(_fits(x, s) for x, s in zip(v, elems))
    return False


class _Interpreter:
    def __init__(self, surface: Surface, num: Any) -> None:
        self.surface, self.num = surface, num

    def call(self, name: str, args: tuple[Value, ...]) -> Value:
        f = self.surface.funcs[name]
        env: Env = {x: v for (x, _), v in zip(f.params, args)}
        for stmt in f.body:
            match stmt:
                case ast.Assign([target], value):
                    self.assign(target, self.eval(value, env), env)
                case ast.Return(value) if value is not None:
                    return self.eval(value, env)
                case _:
                    raise InternalError(f"checked body holds a {type(stmt).__name__}")
        raise InternalError("checked body has no return")

    def assign(self, target: ast.expr, v: Value, env: Env) -> None:
        match target:
            case ast.Name(x):
                env[x] = v
            case ast.Tuple(elts):
                for t, w in zip(elts, v, strict=True):
                    self.assign(t, w, env)
            case _:
                raise InternalError(f"checked target is a {type(target).__name__}")

    def eval(self, e: ast.expr, env: Env) -> Value:
        pos = self.surface.pos(e)
        match e:
            case ast.Constant():
                return self.num.lit(literal(e))
            case ast.Name(x):
                return env[x]
            case ast.UnaryOp(ast.USub(), operand):
                return self.num.prim(Op.NEG, (self.eval(operand, env),), pos)
            case ast.BinOp(left, ast.Pow(), right):
                return self.num.prim(power(right), (self.eval(left, env),), pos)
            case ast.BinOp(left, op, right):
                a = self.eval(left, env)
                return self.num.prim(BINOPS[type(op)], (a, self.eval(right, env)), pos)
            case ast.Call(_, args):
                vals = tuple(self.eval(a, env) for a in args)
                c = self.surface.callee[id(e)]
                return self.num.prim(c, vals, pos) if isinstance(c, Op) else self.call(c, vals)
            case ast.Tuple(elts):
                return tuple(self.eval(x, env) for x in elts)
            case _:
                raise InternalError(f"checked expression is a {type(e).__name__}")
