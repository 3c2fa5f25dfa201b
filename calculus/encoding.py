"""The encoding ⟦·⟧ : Linear A → λLL (SPEC §4; Giusti & Pagani §4).

Types (non-linear °, linear •):

    real° = real                      (τ1, …, τn)° = !τ1° ⊗ … ⊗ !τn°   (1 when n = 0)
    real• = real                      (σ1, …, σn)• = σ1• ⊗ … ⊗ σn•
    (τ̄ ; σ̄)°• = !τ1° ⊗ … ⊗ !τn° ⊗ σ1• ⊗ … ⊗ σm•   (right-nested; 1 when empty)

Judgements: Γ ; Δ ⊢ e : (τ̄;σ̄)  ↦  Γ° ; Δ• ⊢ ⟦e⟧ : (τ̄;σ̄)°•  — non-linear variables
become intuitionistic, linear variables stay linear.

Terms (one case per Linear A constructor; b̄ fresh linear names of type !τ°):

    ⟦(x̄ ; ȳ)⟧                 = (!x1, …, !xn, y1, …, ym)
    ⟦let (x̄;ȳ) = e1 in e2⟧    = let (b̄, ȳ) = ⟦e1⟧ in let !x1 = b1 in … ⟦e2⟧
    ⟦let tup(x̄) = x in e⟧     = let (b̄) = x in let !x1 = b1 in … ⟦e⟧
    ⟦let ltup(ȳ) = y in e⟧    = let (ȳ) = y in ⟦e⟧
    ⟦f(x̄ ; ȳ)⟧                = f !x1 … !xn y1 … ym          (f () when nullary)
    ⟦x⟧ = !x      ⟦r⟧ = !r    ⟦tup(x̄)⟧ = !(!x1, …, !xn)
    ⟦op(e1, …, en)⟧           = !(op ⟦e1⟧ … ⟦en⟧)              e.g. ⟦sin(x)⟧ = !(sin !x)
    ⟦y⟧ = y       ⟦ltup(ȳ)⟧ = (y1, …, ym)
    ⟦e1 +. e2⟧ = plus[σ•] ⟦e1⟧ ⟦e2⟧      ⟦e1 *. e2⟧ = scale[σ•] ⟦e1⟧ ⟦e2⟧
    ⟦e1 /. e2⟧ = ldiv[σ•] ⟦e2⟧ ⟦e1⟧     (the divisor first, as scale's factor)
    ⟦zero[σ]⟧  = zero[σ•]                ⟦dup(e)⟧   = dup[σ•] ⟦e⟧
    ⟦drop(e)⟧  = let !_ = !⟦e⟧ in ()                         e non-linear (Δ = ∅): ! weakening
               = let (b̄, r) = ⟦e⟧ in let !_ = b1 in … drop[σ̄•] r   otherwise

    def f(x̄:τ̄ ; ȳ:σ̄) -> R = e  ↦  def f : !τ1° ⊸ … ⊸ σm• ⊸ R°• =
                                     fun (b1 : !τ1°) -> … fun (ym : σm•) -> let !x1 = b1 in … ⟦e⟧

A multi-name `let (z1, …, zk) = t` is nested ⊗E on the right-nested tensor; a
single name is a β-redex `(fun (z : A) -> s) t`; no name is 1E.  Every Linear A
primitive or linear operation becomes exactly one constant application, so the
workload of ⟦e⟧ is W(e) (E3).  Names: Linear A allows `.` in names, λLL does not, and
λLL reserves its constants' names; `_Names` renames injectively (`a.1` ↦ `a'1`).
"""

from __future__ import annotations

from typing import assert_never

from .deep import deep
from .errors import InternalError
from .lambda_ll import syntax as ll
from .fresh import Fresh
from .lambda_ll.syntax import CONST_NAMES, apply_all, tensor_term, tensor_type
from .linear_a import syntax as la
from .linear_a.names import free_vars
from .linear_a.typecheck import Typing, check_program

KEYWORDS = frozenset({"fun", "let", "in", "def", "real"})


# --- types ------------------------------------------------------------------------------------


def enc_nl(t: la.Type) -> ll.Type:
    """τ°"""
    match t:
        case la.RealT():
            return ll.REAL
        case la.TupT(elems):
            return tensor_type([ll.Bang(enc_nl(s)) for s in elems])
        case _:
            assert_never(t)


def enc_lin(t: la.Type) -> ll.Type:
    """σ•"""
    match t:
        case la.RealT():
            return ll.REAL
        case la.TupT(elems):
            return tensor_type([enc_lin(s) for s in elems])
        case _:
            assert_never(t)


def enc_result(nl: tuple[la.Type, ...], lin: tuple[la.Type, ...]) -> ll.Type:
    """(τ̄ ; σ̄)°•"""
    return tensor_type(_components(nl, lin))


def _components(nl, lin) -> list[ll.Type]:
    return [ll.Bang(enc_nl(t)) for t in nl] + [enc_lin(t) for t in lin]


def enc_fun_type(f: la.FunDef) -> ll.Type:
    params = [ll.Bang(enc_nl(t)) for _, t in f.nl_params] + [enc_lin(t) for _, t in f.lin_params]
    return ll.arrows(tuple(params) or (ll.ONE,), enc_result(f.nl_results, f.lin_results))


# --- names ------------------------------------------------------------------------------------


class _Names:
    """An injective renaming of Linear A names into λLL names, avoiding `reserved`."""

    def __init__(self, reserved: set[str] = set()) -> None:
        self.map: dict[str, str] = {}
        self.fresh = Fresh(set(CONST_NAMES) | KEYWORDS | set(reserved), sep="")

    def __call__(self, name: str) -> str:
        """The λLL name of a Linear A name: `.` becomes `'`, primed until unused."""
        if name not in self.map:
            cand = name.replace(".", "'")
            while cand in self.fresh.taken:
                cand += "'"
            self.fresh.taken.add(cand)
            self.map[name] = cand
        return self.map[name]


# --- terms -------------------------------------------------------------------------------------


class Encoder:
    """⟦·⟧ on the expressions of one function.  `var_types` holds the Linear A types of
    the variables in scope (for the tuple unpacks)."""

    def __init__(self, typing: Typing, names: _Names, funcs: dict[str, str],
                 var_types: dict[str, la.Type]) -> None:
        self.typing, self.n, self.funcs, self.var_types = typing, names, funcs, var_types

    def let_tensor(self, names: list[str], types: list[ll.Type], bound: ll.Term,
                   body: ll.Term) -> ll.Term:
        """let (z1, …, zk) = bound in body, on a right-nested tensor."""
        if not names:
            return ll.LetUnit(bound, body)
        if len(names) == 1:
            return ll.App(ll.Fun(names[0], types[0], body), bound)
        if len(names) == 2:
            return ll.LetPair(names[0], names[1], bound, body)
        rest = self.n.fresh("rest")
        return ll.LetPair(names[0], rest, bound,
                          self.let_tensor(names[1:], types[1:], ll.Var(rest), body))

    def under(self, xs: tuple[str, ...], types: tuple[la.Type, ...], body: la.Expr) -> ll.Term:
        """⟦body⟧ with xs : types in scope (restored afterwards)."""
        saved = {x: self.var_types.get(x) for x in xs}
        self.var_types.update(zip(xs, types))
        try:
            return self.e(body)
        finally:
            for x, t in saved.items():
                if t is None:
                    self.var_types.pop(x, None)
                else:
                    self.var_types[x] = t

    def unpack(self, xs: tuple[str, ...], nl: tuple[la.Type, ...], ys: tuple[str, ...],
               lin: tuple[la.Type, ...], bound: ll.Term, body: la.Expr) -> ll.Term:
        """let (b̄, ȳ) = bound in let !x1 = b1 in … ⟦body⟧  (a single non-linear name is
        bound directly: let !x = bound in ⟦body⟧)."""
        inner = self.under(xs + ys, nl + lin, body)
        if len(xs) == 1 and not ys:
            return ll.LetBang(self.n(xs[0]), bound, inner)
        bs = [self.n.fresh("b") for _ in xs]
        for x, b in reversed(list(zip(xs, bs))):
            inner = ll.LetBang(self.n(x), ll.Var(b), inner)
        return self.let_tensor(bs + [self.n(y) for y in ys], _components(nl, lin), bound, inner)

    def e(self, e: la.Expr) -> ll.Term:
        n = self.n
        match e:
            case la.Ret(xs, ys):
                return tensor_term([ll.Promote(ll.Var(n(x))) for x in xs] + [ll.Var(n(y)) for y in ys])
            case la.Let(xs, ys, bound, body):
                nl, lin = self.typing.of(bound)
                return self.unpack(xs, nl, ys, lin, self.e(bound), body)
            case la.UnpackTup(xs, t, body):
                return self.unpack(xs, self.elems(t), (), (), ll.Var(n(t)), body)
            case la.UnpackLtup(ys, t, body):
                return self.unpack((), (), ys, self.elems(t), ll.Var(n(t)), body)
            case la.Call(f, xs, ys):
                args = [ll.Promote(ll.Var(n(x))) for x in xs] + [ll.Var(n(y)) for y in ys]
                return apply_all(ll.Var(self.funcs[f]), args or [ll.Unit()])
            case la.Var(x):
                return ll.Promote(ll.Var(n(x)))
            case la.Lit(q):
                return ll.Promote(ll.Lit(q))
            case la.Tup(xs):
                return ll.Promote(tensor_term([ll.Promote(ll.Var(n(x))) for x in xs]))
            case la.Prim(op, args):
                return ll.Promote(apply_all(ll.Const(op.value), [self.e(a) for a in args]))
            case la.LVar(y):
                return ll.Var(n(y))
            case la.LTup(ys):
                return tensor_term([ll.Var(n(y)) for y in ys])
            case la.LAdd(a, b):
                return apply_all(ll.Const("plus", self.lin_type(e)), [self.e(a), self.e(b)])
            case la.LScale(s, v):
                return apply_all(ll.Const("scale", self.lin_type(e)), [self.e(s), self.e(v)])
            case la.LDiv(v, s):
                return apply_all(ll.Const("ldiv", self.lin_type(e)), [self.e(s), self.e(v)])
            case la.Zero(t):
                return ll.Const("zero", enc_lin(t))
            case la.Dup(a):
                return apply_all(ll.Const("dup", self.lin_type(a)), [self.e(a)])
            case la.Drop(a):
                return self.drop(a)
            case la.Hole(h, xs, ys, nl, lin):  # the IH: ⟦?h⟧ = ?h at the encoded judgement
                return ll.Hole(n(h), tuple((n(x), enc_nl(t)) for x, t in xs),
                               tuple((n(y), enc_lin(t)) for y, t in ys), enc_result(nl, lin), e.pos)
            case _:
                assert_never(e)

    def lin_type(self, e: la.Expr) -> ll.Type:
        nl, lin = self.typing.of(e)
        if nl or len(lin) != 1:
            raise InternalError("encoding: expected one linear result")
        return enc_lin(lin[0])

    def elems(self, t: str) -> tuple[la.Type, ...]:
        ty = self.var_types[t]
        if not isinstance(ty, la.TupT):
            raise InternalError(f"encoding: `{t}` is not a tuple")
        return ty.elems

    def drop(self, a: la.Expr) -> ll.Term:
        """⟦drop(e)⟧.  A non-linear e (empty Δ, no linear results) is discarded by one
        ! weakening: let !_ = !⟦e⟧ in ().  Otherwise: ! weakening for each non-linear
        result and one drop[σ̄•] for the linear ones."""
        nl, lin = self.typing.of(a)
        if not lin and not free_vars(a)[1]:
            return ll.LetBang(self.n.fresh("_"), ll.Promote(self.e(a)), ll.Unit())
        bs = [self.n.fresh("b") for _ in nl]
        names, types = bs, [ll.Bang(enc_nl(t)) for t in nl]
        body: ll.Term = ll.Unit()
        if lin:
            rest, lin_t = self.n.fresh("r"), tensor_type([enc_lin(t) for t in lin])
            body = apply_all(ll.Const("drop", lin_t), [ll.Var(rest)])
            names, types = names + [rest], types + [lin_t]
        for b in reversed(bs):
            body = ll.LetBang(self.n.fresh("_"), ll.Var(b), body)
        return self.let_tensor(names, types, self.e(a), body)


def encode_fun(f: la.FunDef, typing: Typing, funcs: dict[str, str]) -> ll.Def:
    """def f(x̄:τ̄ ; ȳ:σ̄) -> R = e  ↦  def f : !τ̄° ⊸ σ̄• ⊸ R°• = fun … -> let !x̄ = b̄ in ⟦e⟧."""
    names = _Names(set(funcs.values()))
    enc = Encoder(typing, names, funcs, dict(f.nl_params + f.lin_params))
    body = enc.e(f.body)
    bs = [names.fresh("b") for _ in f.nl_params]
    for (x, _), b in reversed(list(zip(f.nl_params, bs))):
        body = ll.LetBang(names(x), ll.Var(b), body)
    params = list(zip(bs, [ll.Bang(enc_nl(t)) for _, t in f.nl_params])) + \
        [(names(y), enc_lin(t)) for y, t in f.lin_params]
    if not params:
        u = names.fresh("u")
        body, params = ll.LetUnit(ll.Var(u), body), [(u, ll.ONE)]
    for x, t in reversed(params):
        body = ll.Fun(x, t, body)
    return ll.Def(funcs[f.name], enc_fun_type(f), body)


@deep
def encode_program(prog: la.Program, typing: Typing | None = None) -> tuple[ll.Program, dict[str, str]]:
    """⟦prog⟧ and the names of the encoded functions (Linear A name ↦ λLL name)."""
    typing = typing or check_program(prog)
    fnames = _Names()
    funcs = {f.name: fnames(f.name) for f in prog.funcs}
    return ll.Program(tuple(encode_fun(f, typing, funcs) for f in prog.funcs)), funcs


# --- values ------------------------------------------------------------------------------------


def tensor_value(vs: list) -> object:
    from .lambda_ll.evaluate import VPair, VUnit
    if not vs:
        return VUnit()
    out = vs[-1]
    for v in reversed(vs[:-1]):
        out = VPair(v, out)
    return out


def enc_value_nl(v, t: la.Type):
    """The λLL value of a Linear A non-linear value v : τ (of type τ°)."""
    from .lambda_ll.evaluate import VBang, VReal
    if isinstance(t, la.RealT):
        return VReal(v)
    return tensor_value([VBang(enc_value_nl(x, s)) for x, s in zip(v, t.elems, strict=True)])


def enc_value_lin(v, t: la.Type):
    """The λLL value of a Linear A linear value v : σ (of type σ•)."""
    from .lambda_ll.evaluate import VReal
    if isinstance(t, la.RealT):
        return VReal(v)
    return tensor_value([enc_value_lin(x, s) for x, s in zip(v, t.elems, strict=True)])


def enc_result_value(nl: tuple, lin: tuple, nl_t: tuple[la.Type, ...], lin_t: tuple[la.Type, ...]):
    """The λLL value encoding a Linear A result (v̄ ; w̄) : (τ̄ ; σ̄)."""
    from .lambda_ll.evaluate import VBang
    return tensor_value([VBang(enc_value_nl(v, t)) for v, t in zip(nl, nl_t, strict=True)]
                         + [enc_value_lin(w, t) for w, t in zip(lin, lin_t, strict=True)])


@deep
def run_encoded(enc: ll.Program, fname: str, f: la.FunDef, nl: tuple, lin: tuple = (),
                mode: str = "float", nums=None, instrumented: bool = False, holes={}):
    """Evaluate ⟦f⟧ applied to the encodings of Linear A arguments; returns the λLL
    `Result` (value, workload counts, structural steps); `holes` gives each metavariable
    its meaning."""
    from .lambda_ll.evaluate import evaluate, evaluate_defs
    from .numbers import backend
    nums = nums or backend(mode)
    defs, _ = evaluate_defs(enc, nums=nums, holes=holes)
    env = dict(defs)
    args: list[ll.Term] = []
    linear = {}
    for i, ((_, t), v) in enumerate(zip(f.nl_params, nl, strict=True)):
        env[f"#arg{i}"] = enc_value_nl(v, t)
        args.append(ll.Promote(ll.Var(f"#arg{i}")))
    for i, ((_, t), v) in enumerate(zip(f.lin_params, lin, strict=True)):
        linear[f"#larg{i}"] = enc_value_lin(v, t)
        args.append(ll.Var(f"#larg{i}"))
    term = apply_all(ll.Var(fname), args or [ll.Unit()])
    return evaluate(term, env, linear, nums=nums, instrumented=instrumented, holes=holes)
