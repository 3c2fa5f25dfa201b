"""What the cost theorems measure (SPEC §6: A5, A7, A9, A10, A11).

Measures of a function f of a program (f together with what it calls):

    W_m(f)    static work under cost model m (`calculus.linear_a.work.work`)
    n_op(f)   how many times primitive op is applied when f runs (calls unfolded)
    |f|       AST nodes of the bodies of f and of the functions it reaches, each body
              counted once (`work.program_size`, SPEC §2.3's size)
    ‖f‖       weighted size: every AST node counts 1, every variable occurrence (binder
              or use) counts the number of reals of its type, and a call also counts
              ‖callee‖ (calls unfolded)

The bounds are stated with ‖f‖ because |f| cannot carry them (`proofs/test_A5_…`,
`proofs/test_A11_…` check the families of `checkers.schematic`): one node `(x, …, x;)`
holds n uses of x, which J turns into n−1 dups (`ret_fanout`); `drop(ltup(y1, …, yn))`
is two nodes that T turns into n zeros (`drop_fanout`); dup/drop/zero of a k-real value
cost k in the symmetric model and a transposed dup is a k-real +. in both models, while
|f| does not see k; and a work-free function called n times costs its J-overhead n
times while |f| counts its body once (`plumbing_calls`).

n_op, `dup_reals` and `binding_work` are sums of a per-node count over `subterms`
with calls unfolded (`unfolded`); ‖f‖ needs the types of the variables in scope and
is the one walk of its own.

Transformations measured: `transformed` runs grad = T∘U∘J (`grad.reverse`) and measures
f, f.jvp, f.jvp.nonlin, f.jvp.lin and f.jvp.lin.T; the reverse pass's work is
W(f.jvp.nonlin) + W(f.jvp.lin.T).
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, TypeVar, assert_never

from calculus.cost_models import MODELS
from calculus.deep import deep
from calculus.errors import InternalError
from calculus.linear_a.grad import reverse
from calculus.linear_a.jvp import jvp_name
from calculus.linear_a.syntax import (Call, Drop, Dup, Expr, Hole, LAdd, Let, Lit, LDiv, LScale,
                                      LTup, LVar, Prim, Program, Ret, Tup, TupT, Type, UnpackLtup,
                                      UnpackTup, Var, Zero, n_reals, subterms)
from calculus.linear_a.transpose import t_name, transpose_program
from calculus.linear_a.typecheck import Typing, check_program
from calculus.linear_a.unzip import (Binding, Policy, UnzipInfo, lin_name, nonlin_name,
                                     unzip_program)
from calculus.linear_a.work import calls, program_size, work
from calculus.primitives import OPS, PRIMS, Op, representative
from checkers.corpus import corpus_program
from checkers.policies import policy_name

N = TypeVar("N", int, Counter)


def k_of(types: Iterable[Type]) -> int:
    """Reals in a list of types."""
    return sum(n_reals(t) for t in types)


def unfolded(program: Program, e: Expr, count: Callable[[Expr], N], zero: Callable[[], N]) -> N:
    """Σ count(ν) over the nodes ν that run when e runs: e's subterms, and at every call
    the callee's body once per call (memoised per function); `zero()` starts a sum."""
    memo: dict[str, N] = {}

    def over(root: Expr) -> N:
        total = zero()
        for s in subterms(root):
            total += count(s)
            if isinstance(s, Call):
                if s.func not in memo:
                    memo[s.func] = over(program.get(s.func).body)
                total += memo[s.func]
        return total

    return deep(over)(e)


@dataclass(frozen=True)
class Measure:
    """What is measured of one function (module docstring)."""

    work: Mapping[str, int]  # cost model name → W
    ops: Mapping[Op, int]  # n_op, calls unfolded, per `representative` primitive
    size: int  # |f|
    struct: int  # ‖f‖

    def features(self) -> dict[str, int]:
        """The features of the work bounds: n_op per primitive and ‖f‖."""
        return {f"op:{op.value}": self.ops.get(op, 0) for op in OPS} | {"struct": self.struct}


class _Struct:
    """‖·‖ per function (memoised), calls unfolded.  Variable types come from
    parameters, from the types the checker recorded for let-bound expressions, and
    from tuple types for unpacking; the environment is updated in place and restored
    (linear time on 10⁴-long let chains, shadowing respected)."""

    def __init__(self, program: Program, typing: Typing, holes: dict | None = None) -> None:
        self.program, self.typing = program, typing
        self.holes = holes or {}  # metavariable ↦ its ‖·‖ (a symbol, INDUCTION.md)
        self.done: dict[str, int] = {}

    def func(self, name: str) -> int:
        if name not in self.done:
            f = self.program.get(name)
            params = f.nl_params + f.lin_params
            self.done[name] = self.e(f.body, dict(params)) + k_of(t for _, t in params)
        return self.done[name]

    def under(self, env: dict[str, Type], new: Iterable[tuple[str, Type]], body: Expr) -> int:
        new = list(new)
        saved = [(x, env.get(x)) for x, _ in new]
        env.update(new)
        try:
            return self.e(body, env)
        finally:
            for x, old in reversed(saved):
                if old is None:
                    env.pop(x, None)
                else:
                    env[x] = old

    def e(self, e: Expr, env: dict[str, Type]) -> int:
        """‖e‖."""
        k = lambda xs: sum(n_reals(env[x]) for x in xs)  # noqa: E731 -- reals of names
        match e:
            case Ret(xs, ys):
                return 1 + k(xs + ys)
            case Call(g, xs, ys):
                return 1 + k(xs + ys) + self.func(g)
            case Var(x) | LVar(x):
                return 1 + k((x,))
            case Tup(xs) | LTup(xs):
                return 1 + k(xs)
            case Lit() | Zero():
                return 1
            case Let(xs, ys, bound, body):
                nl, lin = self.typing.of(bound)
                return (1 + k_of(nl + lin) + self.e(bound, env)
                        + self.under(env, zip(xs + ys, nl + lin), body))
            case UnpackTup(xs, t, body) | UnpackLtup(xs, t, body):
                tt = env[t]
                assert isinstance(tt, TupT)
                return 1 + 2 * n_reals(tt) + self.under(env, zip(xs, tt.elems), body)
            case Prim(_, args):
                return 1 + sum(self.e(a, env) for a in args)
            case LAdd(a, b) | LScale(a, b) | LDiv(a, b):
                return 1 + self.e(a, env) + self.e(b, env)
            case Dup(a) | Drop(a):
                return 1 + self.e(a, env)
            case Hole(h):
                if h not in self.holes:
                    raise InternalError(f"‖?{h}‖: no size given for the metavariable")
                return self.holes[h]
            case _:
                assert_never(e)


_ONE_OP = {op: Counter({op: 1}) for op in OPS}
_NO_OP: Counter = Counter()  # only ever added, never mutated


def _op_count(e: Expr) -> Counter:
    return _ONE_OP[representative(e.op)] if isinstance(e, Prim) else _NO_OP


@deep
def measure(program: Program, func: str, typing: Typing | None = None) -> Measure:
    """W under every cost model, n_op, |f| and ‖f‖ of func (type-checks the program
    unless its typing is given)."""
    typing = typing or check_program(program)
    ops = unfolded(program, program.get(func).body, _op_count, Counter)
    return Measure({m: work(program, func, model, typing) for m, model in MODELS.items()},
                   dict(ops), program_size(program, func), _Struct(program, typing).func(func))


def struct(program: Program, func: str, holes: dict | None = None) -> int:
    """‖func‖ alone; `holes` gives each metavariable's ‖·‖ (symbols, for the induction
    proofs)."""
    return _Struct(program, check_program(program), holes).func(func)


# --- the transformations, measured ------------------------------------------------------------


@dataclass
class Transformed:
    """f (non-linear) and the stages of grad f = T(U(J f)) under one checkpoint policy."""

    name: str
    policy: str
    f: Measure
    j: Measure  # f.jvp
    nonlin: Measure  # f.jvp.nonlin
    lin: Measure  # f.jvp.lin
    backward: Measure  # f.jvp.lin.T
    info: UnzipInfo  # f.jvp's tape

    @property
    def grad_work(self) -> dict[str, int]:
        """W(grad f) = W(f.jvp.nonlin) + W(f.jvp.lin.T), per cost model."""
        return {m: self.nonlin.work[m] + self.backward.work[m] for m in MODELS}


@deep
def transformed(program: Program, func: str, policy: Policy = "store") -> Transformed:
    """Run grad = T∘U∘J on func (`grad.reverse`) and measure every stage (the
    transformed program is type-checked on the way)."""
    rev = reverse(program, func, policy)
    typing = check_program(rev.program)
    m = lambda g: measure(rev.program, g, typing)  # noqa: E731
    return Transformed(func, policy_name(policy), m(func), m(jvp_name(func)), m(rev.nonlin),
                       m(lin_name(jvp_name(func))), m(rev.backward), rev.unzip_info)


@functools.cache
def corpus_transformed(name: str, policy: str = "store") -> Transformed:
    """`transformed` on the corpus example `name` (cached for the session: A5, A10 and
    A11 measure the same runs)."""
    return transformed(corpus_program(name), name, policy)


def unzip_measures(program: Program, func: str, policy: Policy = "store"
                   ) -> tuple[Measure, Measure, Measure, dict[str, UnzipInfo], Program]:
    """(f, f.nonlin, f.lin, U's info for f and every function it calls, U's program)
    for any well-typed f."""
    u = unzip_program(program, func, policy)
    typing = check_program(u.program)
    return (measure(u.program, func, typing), measure(u.program, nonlin_name(func), typing),
            measure(u.program, lin_name(func), typing), u.info, u.program)


def transpose_measures(program: Program, func: str) -> tuple[Measure, Measure, Program]:
    """(f, f.T, T's program) for linear f (T's fragment)."""
    tp = transpose_program(program, func)
    typing = check_program(tp)
    return measure(tp, func, typing), measure(tp, t_name(func), typing), tp


# --- what the theorems count ---------------------------------------------------------------


def dup_reals(program: Program, func: str, typing: Typing | None = None) -> int:
    """Reals duplicated by `dup` when func runs (calls unfolded): Σ over executed
    dup(e) of the reals of e's linear result.  A9 bounds T's arithmetic excess by it."""
    typing = typing or check_program(program)
    return unfolded(program, program.get(func).body,
                    lambda e: k_of(typing.of(e.arg)[1]) if isinstance(e, Dup) else 0, int)


def binding_work(program: Program, b: Binding) -> int:
    """W of one non-linear binding of U (`UnzipInfo.recomputed`), counted here from its
    expression and its callees' bodies, independently of `work.work`: a non-linear
    expression does no linear operation, so its work is the cost of its primitives
    under every cost model.  A7: what recomputing b costs."""
    if b.tup is not None:
        return 0

    def cost(e: Expr) -> int:
        match e:
            case Prim(op):
                return PRIMS[op].cost
            case Call() | Let() | UnpackTup() | Drop() | Ret() | Var() | Lit() | Tup():
                return 0
            case LVar() | LTup() | LAdd() | LScale() | LDiv() | Zero() | Dup() | UnpackLtup():
                raise ValueError(f"binding {b.names} is not non-linear: {type(e).__name__}")
            case _:
                assert_never(e)

    assert b.expr is not None
    return unfolded(program, b.expr, cost, int)


def recomputation_work(up: Program, info: Mapping[str, UnzipInfo], func: str) -> int:
    """E(f) = Σ_{b ∈ R_f} W(b) + Σ_{calls g(…) in f's body} E(g): the work U adds to f —
    its own recomputed bindings R_f (`UnzipInfo.recomputed`, W(b) by `binding_work`)
    and, at every call, what U adds to the callee (g.nonlin and g.lin run once per
    call of g, so g's recomputations are paid per call).  `up` is U's program."""
    memo: dict[str, int] = {}

    def e(name: str) -> int:
        if name not in memo:
            own = sum(binding_work(up, b) for b in info[name].recomputed)
            memo[name] = own + sum(e(g) for g in calls(up.get(name).body))
        return memo[name]

    return deep(e)(func)
