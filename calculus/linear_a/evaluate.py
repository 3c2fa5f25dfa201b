"""Big-step evaluation of Linear A (SPEC §2.3), in any number mode of
`calculus.numbers`, counting work dynamically under every cost model at once.

    ρ ⊢ e ⇓ (v̄ ; w̄)     values: reals, and tuples (Python tuples) of values

The dynamic count must equal the static work `work.W` (lemma A1, checked in
`proofs/test_A1_type_safety.py`).  Evaluation assumes a type-checked program: a
mismatch found here is an `InternalError`, except domain errors of primitives, which
are the user's (`DomainError` with the primitive, the value and the position).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, assert_never

from ..cost_models import MODELS
from ..deep import deep
from ..errors import InternalError
from ..numbers import FloatNumbers, backend
from ..primitives import PRIMS, Op
from .syntax import (Call, Drop, Dup, Expr, Hole, LAdd, LDiv, Let, Lit, LScale, LTup, LVar, Prim,
                     Program, RealT, Ret, Tup, TupT, Type, UnpackLtup, UnpackTup, Var, Zero)

Value = Any  # a real of the active number mode, or a tuple of values
Result = tuple[tuple[Value, ...], tuple[Value, ...]]  # (v̄ ; w̄)


def value_reals(v: Value) -> int:
    """Number of real components of a value (k in the cost rules)."""
    return sum(value_reals(c) for c in v) if isinstance(v, tuple) else 1


def zeros(t: Type, num) -> Value:
    match t:
        case RealT():
            return num.zero()
        case TupT(elems):
            return tuple(zeros(s, num) for s in elems)
        case _:
            assert_never(t)


def vadd(a: Value, b: Value, num) -> Value:
    """Componentwise +. on values of one linear type."""
    if isinstance(a, tuple):
        return tuple(vadd(x, y, num) for x, y in zip(a, b, strict=True))
    return num.add(a, b)


def vscale(s: Value, v: Value, num) -> Value:
    """s *. v, componentwise."""
    if isinstance(v, tuple):
        return tuple(vscale(s, x, num) for x in v)
    return num.mul(s, v)


def vdiv(v: Value, s: Value, num, pos=None) -> Value:
    """v /. s, componentwise: each real component divided by s by the primitive `/`,
    whose domain (s ≠ 0) is checked as for any division."""
    if isinstance(v, tuple):
        return tuple(vdiv(x, s, num, pos) for x in v)
    return num.prim(Op.DIV, (v, s), pos)


@dataclass
class Evaluator:
    """Evaluate expressions of `program` with the backend `num`; `work[model]` is the
    work done so far under each cost model."""

    program: Program
    num: Any = field(default_factory=FloatNumbers)
    work: dict[str, int] = field(default_factory=lambda: {m: 0 for m in MODELS})
    holes: dict[str, Callable[..., Result]] = field(default_factory=dict)
    """The meaning of each metavariable ?h (its induction hypothesis, INDUCTION.md):
    (non-linear arguments, linear arguments) ↦ (v̄ ; w̄); its work is not counted."""

    def charge(self, per_real: str, k: int) -> None:
        for name, model in MODELS.items():
            self.work[name] += k * getattr(model, per_real)

    def eval(self, e: Expr, env: dict[str, Value]) -> Result:
        match e:
            case Ret(xs, ys):
                return tuple(env[x] for x in xs), tuple(env[y] for y in ys)
            case Let(xs, ys, bound, body):
                nl, lin = self.eval(bound, env)
                return self._under(env, dict(zip(xs + ys, nl + lin)), body)
            case UnpackTup(xs, t, body) | UnpackLtup(xs, t, body):
                return self._under(env, dict(zip(xs, env[t], strict=True)), body)
            case Call(f, xs, ys):
                return self.call(f, tuple(env[x] for x in xs), tuple(env[y] for y in ys))
            case Var(x):
                return (env[x],), ()
            case Lit(q):
                return (self.num.lit(q),), ()
            case Tup(xs):
                return (tuple(env[x] for x in xs),), ()
            case Prim(op, args):
                vals = tuple(self.eval(a, env)[0][0] for a in args)
                out = self.num.prim(op, vals, e.pos)
                for name in MODELS:
                    self.work[name] += PRIMS[op].cost
                return (out,), ()
            case LVar(y):
                return (), (env[y],)
            case LTup(ys):
                return (), (tuple(env[y] for y in ys),)
            case LAdd(a, b):
                (va,), (vb,) = self.eval(a, env)[1], self.eval(b, env)[1]
                self.charge("add_per_real", value_reals(va))
                return (), (vadd(va, vb, self.num),)
            case LScale(a, b):
                s = self.eval(a, env)[0][0]
                (v,) = self.eval(b, env)[1]
                self.charge("scale_per_real", value_reals(v))
                return (), (vscale(s, v, self.num),)
            case LDiv(a, b):
                (v,) = self.eval(a, env)[1]
                s = self.eval(b, env)[0][0]
                self.charge("scale_per_real", value_reals(v))
                return (), (vdiv(v, s, self.num, e.pos),)
            case Zero(t):
                v = zeros(t, self.num)
                self.charge("zero_per_real", value_reals(v))
                return (), (v,)
            case Dup(a):
                (v,) = self.eval(a, env)[1]
                self.charge("dup_per_real", value_reals(v))
                return (), (v, v)
            case Drop(a):
                _, lin = self.eval(a, env)
                self.charge("drop_per_real", sum(value_reals(v) for v in lin))
                return (), ()
            case Hole(h, xs, ys):
                if h not in self.holes:
                    raise InternalError(f"no meaning given for the metavariable ?{h}")
                return self.holes[h](tuple(env[x] for x, _ in xs), tuple(env[y] for y, _ in ys))
            case _:
                assert_never(e)

    def _under(self, env: dict[str, Value], new: dict[str, Value], body: Expr) -> Result:
        """Evaluate body with `new` bound on top of env (restored afterwards)."""
        saved = {x: env[x] for x in new if x in env}
        env.update(new)
        try:
            return self.eval(body, env)
        finally:
            for x in new:
                if x in saved:
                    env[x] = saved[x]
                else:
                    del env[x]

    def call(self, name: str, nl: tuple[Value, ...], lin: tuple[Value, ...]) -> Result:
        f = self.program.get(name)
        if len(nl) != len(f.nl_params) or len(lin) != len(f.lin_params):
            raise InternalError(f"call of {name} with wrong arity")
        env = dict(zip([x for x, _ in f.nl_params], nl)) | \
            dict(zip([y for y, _ in f.lin_params], lin))
        return self.eval(f.body, env)


@dataclass
class Run:
    """The outcome of running a function: its results, work per cost model, and the
    symbolic side conditions met (empty in float mode)."""

    nl: tuple[Value, ...]
    lin: tuple[Value, ...]
    work: dict[str, int]
    conditions: list


@deep
def run(program: Program, func: str, nl: tuple[Value, ...], lin: tuple[Value, ...] = (),
        mode: str = "float", num: Any = None) -> Run:
    """Run `func` on the given argument values in a number mode."""
    num = num or backend(mode)
    ev = Evaluator(program, num)
    out_nl, out_lin = ev.call(func, tuple(nl), tuple(lin))
    return Run(out_nl, out_lin, ev.work, list(getattr(num, "conditions", [])))
