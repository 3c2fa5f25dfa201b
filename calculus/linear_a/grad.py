"""Reverse mode: grad = T ∘ U ∘ J (SPEC §2.4; YOLO §7).

    f(x̄ ;) -> (τ̄' ;)
      J ↦ f.jvp(x̄ ; ẋ̄) -> (τ̄' ; τ̄')
      U ↦ f.jvp.nonlin(x̄ ;) -> (τ̄', tape ;)   and   f.jvp.lin(tape ; ẋ̄) -> (; τ̄')
      T ↦ f.jvp.lin.T(tape ; c̄) -> (; τ̄)

`grad(program, func, at=…)` runs f.jvp.nonlin on the point, then f.jvp.lin.T on the
tape and the cotangent, which defaults to 1 on every real component of every result
(the gradient of a scalar result; for several results, of their sum [choice]).
With `simplify=True` the transformed program is then rewritten by
`simplify.simplify_program` (same meaning, no more work: theorem S1).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cost_models import MODELS
from ..deep import deep
from ..numbers import backend
from .evaluate import Evaluator, Value
from .jvp import jvp_name, jvp_program
from .simplify import Report, simplify_program
from .syntax import Program, RealT, TupT, Type
from .transpose import t_name, transpose_program
from .typecheck import check_program
from .unzip import Policy, UnzipInfo, lin_name, nonlin_name, unzip_program
from .work import reachable, work


@dataclass
class Reverse:
    """The transformed program and the names of its three parts."""

    program: Program
    nonlin: str  # f.jvp.nonlin
    backward: str  # f.jvp.lin.T
    info: dict[str, UnzipInfo]
    simplified: Report | None = None  # what `simplify_program` did, when asked
    unsimplified: Program | None = None  # T(U(J f)) before it

    def work(self, program: Program | None = None) -> dict[str, int]:
        """Static W(f.jvp.nonlin) + W(f.jvp.lin.T) per cost model, of `program` (default:
        this one; `unsimplified` for the work before simplification)."""
        p = program or self.program
        typing = check_program(p)
        return {m: work(p, self.nonlin, model, typing) + work(p, self.backward, model, typing)
                for m, model in MODELS.items()}

    def gradient_program(self) -> Program:
        """The gradient alone: f.jvp.nonlin, f.jvp.lin.T and the functions they call,
        in definition order (f, f.jvp and f.jvp.lin are intermediate)."""
        used = set(reachable(self.program, self.nonlin)) | set(reachable(self.program, self.backward))
        return Program(tuple(g for g in self.program.funcs if g.name in used))

    @property
    def unzip_info(self) -> UnzipInfo:
        """U's information on f.jvp (its tape)."""
        return self.info[self.nonlin.removesuffix(".nonlin")]


def reverse(program: Program, func: str, policy: Policy = "store",
            simplify: bool = False) -> Reverse:
    """T(U(J f)), with everything f calls transformed alongside; simplified after."""
    j = jvp_program(program, func)
    u = unzip_program(j, jvp_name(func), policy)
    t = transpose_program(u.program, lin_name(jvp_name(func)))
    rev = Reverse(t, nonlin_name(jvp_name(func)), t_name(lin_name(jvp_name(func))), u.info)
    if simplify:
        rev.unsimplified = t
        rev.program, rev.simplified = simplify_program(t)
    return rev


def ones(t: Type, num) -> Value:
    match t:
        case RealT():
            return num.lit(1)
        case TupT(elems):
            return tuple(ones(s, num) for s in elems)
    raise TypeError(t)


@dataclass
class GradResult:
    primal: tuple[Value, ...]
    gradient: tuple[Value, ...]  # one entry per parameter
    work: dict[str, int]  # work of the whole reverse pass, per cost model
    tape: int  # tape size in reals
    conditions: list


@deep
def grad(program: Program, func: str, at: tuple[Value, ...], ct: tuple[Value, ...] | None = None,
         mode: str = "float", policy: Policy = "store", rev: Reverse | None = None,
         simplify: bool = False) -> GradResult:
    """Gradient of func at the point `at` by T∘U∘J (simplified when asked)."""
    rev = rev or reverse(program, func, policy, simplify)
    num = backend(mode)
    ev = Evaluator(rev.program, num)
    f = program.get(func)
    out = ev.call(rev.nonlin, tuple(at), ())[0]
    primal, tape = out[:len(f.nl_results)], out[len(f.nl_results):]
    if ct is None:
        ct = tuple(ones(t, num) for t in f.nl_results)
    _, g = ev.call(rev.backward, tape, tuple(ct))
    return GradResult(primal, g, dict(ev.work), rev.unzip_info.tape_reals,
                      list(getattr(num, "conditions", [])))

