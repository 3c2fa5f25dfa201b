"""Reverse mode inside λLL: grad_LL f = T_LL ∘ F ∘ ⟦f⟧, applied to cotangent 1 (SPEC §5).

No unzip pass: f'F'T returns the primal results and a backpropagator closure; calling
the closure on the cotangent gives the gradient.  Workload and structural steps are
those of both phases (forward, then the backpropagator).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .deep import deep
from .encoding import enc_value_nl, encode_program, tensor_value
from .lambda_ll import syntax as ll
from .lambda_ll.syntax import apply_all
from .lambda_ll.evaluate import HoleMeaning, VReal, evaluate, evaluate_defs
from .lambda_ll.forward import f_name, forward_program
from .lambda_ll.reverse import reverse_program, t_name
from .linear_a import syntax as la
from .linear_a.work import reachable
from .numbers import backend


@dataclass
class LLReverse:
    """The reverse-mode transformation of f inside λLL: ⟦p⟧ extended with F and T_LL of
    the functions f needs, and the name of f'F'T (as `grad.Reverse` for T∘U∘J)."""

    program: ll.Program
    name: str  # the λLL name of f'F'T
    func: la.FunDef


def build(program: la.Program, func: str) -> LLReverse:
    needed = la.Program(tuple(program.get(n) for n in reachable(program, func)))
    enc, names = encode_program(needed)
    fwd = forward_program(enc)
    arity = {f_name(names[f.name]): max(1, len(f.nl_params)) for f in needed.funcs}
    rev = reverse_program(fwd, arity)
    return LLReverse(rev, t_name(f_name(names[func])), program.get(func))


def ones(t: la.Type, num) -> Any:
    if isinstance(t, la.RealT):
        return VReal(num.lit(1))
    return tensor_value([ones(s, num) for s in t.elems])


def untensor(v: Any, n: int) -> list:
    """The n components of a right-nested tensor value."""
    if n == 0:
        return []
    out = []
    for _ in range(n - 1):
        out.append(v.left)
        v = v.right
    return out + [v]


def decode_lin(v: Any, t: la.Type) -> Any:
    """A λLL linear value of type σ• back to a Linear A value."""
    if isinstance(t, la.RealT):
        return v.value
    return tuple(decode_lin(c, s) for c, s in zip(untensor(v, len(t.elems)), t.elems))


def decode_nl(v: Any, t: la.Type) -> Any:
    if isinstance(t, la.RealT):
        return v.value
    return tuple(decode_nl(c.value, s) for c, s in zip(untensor(v, len(t.elems)), t.elems))


@dataclass
class GradLL:
    primal: tuple
    gradient: tuple
    workload: dict[str, int]
    steps: int
    conditions: list


@deep
def grad_ll(program: la.Program, func: str, at: tuple, mode: str = "float",
            built: LLReverse | None = None, max_steps: int | None = None,
            holes: Mapping[str, HoleMeaning] = {}) -> GradLL:
    """The gradient of func at `at` by T_LL ∘ F ∘ ⟦·⟧ (cotangent 1 on every real result);
    each of the three λLL evaluations may take at most `max_steps` structural steps
    (`StepBudgetExceeded` past that; None: no budget); `holes` gives each metavariable
    its meaning."""
    from .cost_models import MODELS
    b = built or build(program, func)
    f = b.func
    num = backend(mode)
    defs, _ = evaluate_defs(b.program, nums=num, max_steps=max_steps, holes=holes)
    env = dict(defs)
    args = []
    for i, ((_, t), v) in enumerate(zip(f.nl_params, at, strict=True)):
        env[f"#arg{i}"] = enc_value_nl(v, t)
        args.append(ll.Promote(ll.Var(f"#arg{i}")))
    fwd = evaluate(apply_all(ll.Var(b.name), args or [ll.Unit()]), env, nums=num,
                   max_steps=max_steps, holes=holes)
    prim_v, back = fwd.value.left, fwd.value.right
    n_res = len(f.nl_results)
    primal = tuple(decode_nl(c.value, t) for c, t in
                   zip(untensor(prim_v, n_res), f.nl_results))
    ct = tensor_value([ones(t, num) for t in f.nl_results])
    # `#` cannot occur in a program's names: the driver's variables capture nothing
    bwd = evaluate(ll.App(ll.Var("#back"), ll.Var("#ct")), {}, {"#back": back, "#ct": ct},
                   nums=num, max_steps=max_steps, holes=holes)
    params = [t for _, t in f.nl_params] or [None]
    comps = untensor(bwd.value, len(params))
    gradient = tuple(decode_lin(c, t) for c, t in zip(comps, params) if t is not None)
    fwd.counts.add(bwd.counts)
    return GradLL(primal, gradient, {m: fwd.counts.workload(model) for m, model in MODELS.items()},
                  fwd.steps + bwd.steps, fwd.conditions + bwd.conditions)

