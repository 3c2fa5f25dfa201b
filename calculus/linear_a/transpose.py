"""T: transposition of linear Linear A functions (SPEC §2.4; YOLO §6).

    f(x̄:τ̄ ; ȳ:σ̄) -> (; σ̄')      ↦      f.T(x̄:τ̄ ; c̄:σ̄') -> (; σ̄)

    Γ ; Δ ⊢ e : (; σ̄)   and cotangents c̄ : σ̄   ⟹   Γ ; c̄ ⊢ T(e, c̄) : (; Δ*)

T(e, c̄) emits the bindings computing the cotangents of e's free linear variables
(each is consumed exactly once in e, so each gets exactly one cotangent: the cotangent
map never accumulates).  Lets are processed body first; the output is one flat chain
of lets, so |T e| is linear in |e|.  The table of dualities:

    +.    ↔ dup              zero  ↔ drop           *.  ↔ *. (same scalar)
    ltup  ↔ let ltup         y     ↔ its cotangent  f(x̄;ȳ) ↔ f.T(x̄; c̄)
    drop(e) ↦ zeros for e's free linear variables, without transposing e
              (a short-circuiting drop, as in the paper), and drop of its free
              non-linear ones (Linear A has no weakening).

Non-linear parts (lets whose bound expression is non-linear, `let tup`, scalars of
`*.`) are kept in place and run forward.  Fragment: no non-linear results, and no
*mixed* let (one binding both kinds of results: unzip first); otherwise
`OutOfFragment`.
"""

from __future__ import annotations

from typing import Callable, assert_never

from ..deep import deep
from ..errors import InternalError, OutOfFragment
from .names import Fresh, free_vars, freshen, names_in
from .syntax import (Call, Drop, Dup, Expr, FunDef, LAdd, Let, Lit, LScale, LTup, LVar, Prim,
                     Program, Ret, Tup, TupT, Type, UnpackLtup, UnpackTup, Var, Zero)
from .typecheck import Typing, check_fun

Cotangents = tuple[str, ...]  # cotangent variable names, one per linear result
CotangentMap = dict[str, str]  # linear variable ↦ the name of its cotangent


def t_name(f: str) -> str:
    return f"{f}.T"


class _Transpose:
    """Transposition emits one flat chain of bindings (`self.out`, in program order)
    and records, for each linear variable, the name of its cotangent (`self.cot`);
    nothing is re-bound, so |T e| is linear in |e|."""

    def __init__(self, f: FunDef, typing: Typing) -> None:
        self.fresh = Fresh(names_in(f))
        self.typing = typing
        self.lin_types: dict[str, Type] = dict(f.lin_params)  # linear name ↦ type
        self.callees: set[str] = set()  # functions called linearly: they need g.T too
        self.out: list[Callable[[Expr], Expr]] = []  # binders with a hole for the rest
        self.cot: CotangentMap = {}

    def ct(self, n: int) -> Cotangents:
        return tuple(self.fresh("ct") for _ in range(n))

    def let(self, ys: Cotangents, bound: Expr) -> None:
        """Emit `let (; ȳ) = bound in …`."""
        self.out.append(lambda k: Let((), ys, bound, k))

    def t(self, e: Expr, cts: Cotangents) -> None:
        """T(e, c̄): emit the bindings that compute the cotangents of e's free linear
        variables from c̄ (one per linear result of e), and record them in self.cot."""
        match e:
            case Ret((), ys):
                self.cot.update(zip(ys, cts))
            case LVar(y):
                self.cot[y] = cts[0]
            case LTup(ys):
                parts = self.ct(len(ys))
                self.out.append(lambda k: UnpackLtup(parts, cts[0], k))
                self.cot.update(zip(ys, parts))
            case LAdd(a, b):                          # +.  ↦  dup
                c1, c2 = self.ct(2)
                self.let((c1, c2), Dup(LVar(cts[0])))
                self.t(a, (c1,))
                self.t(b, (c2,))
            case LScale(s, b):                        # *.  ↦  *. (same scalar)
                c = self.ct(1)
                self.let(c, LScale(s, LVar(cts[0])))
                self.t(b, c)
            case Zero():                              # zero  ↦  drop
                self.let((), Drop(LVar(cts[0])))
            case Dup(a):                              # dup  ↦  +.
                c = self.ct(1)
                self.let(c, LAdd(LVar(cts[0]), LVar(cts[1])))
                self.t(a, c)
            case Drop(a):
                self.drop(a)
            case Let(xs, ys, bound, body) if xs:      # a non-linear let runs forward
                if ys or free_vars(bound)[1]:
                    raise OutOfFragment("T", "a let binding both non-linear and linear results "
                                        "cannot be transposed: unzip first", e.pos,
                                        transformation="T")
                self.out.append(lambda k: Let(xs, (), bound, k))
                self.t(body, cts)
            case Let((), ys, bound, body):            # body first, then the bound
                self.lin_types.update(zip(ys, self.typing.of(bound)[1]))
                self.t(body, cts)
                self.t(bound, tuple(self.cot.pop(y) for y in ys))
            case UnpackTup(xs, t, body):
                self.out.append(lambda k: UnpackTup(xs, t, k))
                self.t(body, cts)
            case UnpackLtup(ys, t, body):             # let ltup  ↦  ltup
                tt = self.lin_types[t]
                if not isinstance(tt, TupT):
                    raise InternalError(f"T: `{t}` is not a tuple")
                self.lin_types.update(zip(ys, tt.elems))
                self.t(body, cts)
                packed = self.ct(1)
                self.let(packed, LTup(tuple(self.cot.pop(y) for y in ys)))
                self.cot[t] = packed[0]
            case Call(g, xs, ys):                     # f(x̄; ȳ)  ↦  f.T(x̄; c̄)
                self.callees.add(g)
                outs = self.ct(len(ys))
                self.let(outs, Call(t_name(g), xs, cts, e.pos))
                self.cot.update(zip(ys, outs))
            case Ret() | Var() | Lit() | Tup() | Prim():
                raise OutOfFragment("T", f"{type(e).__name__} has non-linear results; T applies "
                                    "to linear expressions", e.pos, transformation="T")
            case _:
                assert_never(e)

    def drop(self, a: Expr) -> None:
        """T(drop(a)) = let (;) = drop((fv_nl(a);)) in zero[σ_v] for v ∈ fv_lin(a)."""
        nl, lin = free_vars(a)
        if nl:
            self.let((), Drop(Ret(tuple(sorted(nl)), ())))
        for v in sorted(lin):
            z = self.ct(1)
            self.let(z, Zero(self.lin_types[v]))
            self.cot[v] = z[0]


@deep
def transpose_fun(f: FunDef, sigs: dict) -> tuple[FunDef, set[str]]:
    """T on one function; `sigs` are the type signatures of its callees.  Also returns
    the callees whose transposes f.T calls."""
    if f.nl_results:
        raise OutOfFragment("T", f"`{f.name}` has non-linear results; T applies to functions "
                            "f(x̄ ; ȳ) -> (; σ̄') (unzip first)", f.pos, transformation="T")
    f = freshen(f)
    tr = _Transpose(f, check_fun(f, sigs))
    cts = tr.ct(len(f.lin_results))
    tr.t(f.body, cts)
    body: Expr = Ret((), tuple(tr.cot.pop(y) for y, _ in f.lin_params))
    if tr.cot:
        raise InternalError(f"T: cotangents left over for {sorted(tr.cot)}")
    for binder in reversed(tr.out):
        body = binder(body)
    return FunDef(t_name(f.name), f.nl_params, tuple(zip(cts, f.lin_results)), (),
                  tuple(t for _, t in f.lin_params), body, f.pos), tr.callees


def transpose_program(program: Program, func: str | None = None) -> Program:
    """The program extended with g.T for func (all functions when None) and for every
    function it calls in a linear position, transitively."""
    from .typecheck import check_program
    sigs = check_program(program).sigs
    todo = [func] if func else [f.name for f in program.funcs]
    done: dict[str, FunDef] = {}
    while todo:
        name = todo.pop()
        if name not in done:
            done[name], callees = transpose_fun(program.get(name), sigs)
            todo += sorted(callees)
    order = [f.name for f in program.funcs if f.name in done]
    return Program(program.funcs + tuple(done[n] for n in order))
