"""Semantic engines for the meaning theorems of Linear A (SPEC §6: A1–A4, A6, A8, A10).

Every engine evaluates Linear A functions in `symbolic` mode on fresh sympy symbols and
decides an identity with `checkers.symbolic.prove_equal` (sound sympy zero tests, then
z3 with ground axioms; mpmath only refutes).  An engine returns a `Verdict`: truthy
exactly when the identity was proved; otherwise it carries the component, the two
sides and, when one was found, a counterexample point.  Domain side conditions met
during evaluation (Ne(y, 0), x > 0) are assumptions of the identity.  Nothing here
decides by random points.

Symbols are named after what they stand for, with characters Linear A names cannot
contain (NAME is ASCII `[A-Za-z_][A-Za-z_0-9.']*`), so they never clash:

    x : real              x                 parameter (component p[0][1] of a tuple p)
    tangent of x          δx                (A4)
    the two test vectors  y@u, y@v, α, β    (A2)
    cotangent of result i ct[i]             (A8)

The engines and their statements (f: a function of `program`; x̄ its non-linear and
ȳ its linear parameters):

    type_safety(P, f, v̄, w̄)   f(v̄; w̄) ⇓ values of f's result types, and the
                              dynamic work = static W under both cost models (A1)
    equivalent(a, b, f)       a(x̄; ȳ) = b(x̄; ȳ), a and b runners (`runner`,
                              `unzip_runner`: f.nonlin then f.lin)          (A6)
    linearity(program, f)     f(x̄; αu+βv) = α f(x̄; u) + β f(x̄; v)  on linear results,
                              f(x̄; αu+βv) = f(x̄; u) = f(x̄; v)       on non-linear ones (A2)
    jvp_correct(program, f)   f.jvp(x̄; δx̄) = (f(x̄) ; Σᵢ ∂f/∂xᵢ · δxᵢ), ∂ by sympy.diff  (A4)
    adjoint(P, f, P', f.T)    ⟨c̄, f(x̄; ȳ)⟩ = ⟨f.T(x̄; c̄), ȳ⟩                           (A8)
    by_binding(program, f, S) S holds of every binding of f's top-level let spine,
                              each extracted as a tiny function of its free variables
                              (the rule-by-rule mode for large A-normal-form programs)

The engines assume their programs type-check.  The theorem checks at the end
(`jvp_typing` (A3), `jvp_theorem` (A3+A4), `unzip_theorem` (A6), `transpose_theorem`
(A8), `gradient_theorem` (A10's meaning half)) run the *production* transformation,
type-check its output with `check_program` — whose typed error (`LinearityError` with
its kind, `TypeCheckError` with its var) propagates as the counterexample — compare the signatures the checker recorded with the ones the theorem
states, and then call the engines; `proofs/` and the broken-rule tests share them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, assert_never

import mpmath
import sympy

from calculus.cost_models import MODELS
from calculus.linear_a.evaluate import Run, run
from calculus.linear_a.grad import grad, reverse
from calculus.linear_a.jvp import jvp_name, jvp_program
from calculus.linear_a.names import free_vars
from calculus.linear_a.syntax import (Expr, FunDef, Let, Program, RealT, Ret, TupT, Type,
                                      UnpackLtup, UnpackTup, pair, pretty)
from calculus.linear_a.transpose import t_name, transpose_program
from calculus.linear_a.typecheck import Typing, check_program
from calculus.linear_a.unzip import Policy, lin_name, nonlin_name, unzip_program
from calculus.linear_a.work import calls, reachable, work
from calculus.numbers import SympyNumbers
from checkers.corpus import whole_term
from checkers.symbolic import Verdict, prove_equal

Value = Any  # a sympy expression, or a tuple of values
Inputs = tuple[tuple[Value, ...], tuple[Value, ...]]  # (x̄ ; ȳ) argument values
Runner = Callable[[tuple[Value, ...], tuple[Value, ...]], Run]  # (x̄ ; ȳ) ↦ its run
Statement = Callable[[Program, str], Verdict]  # a theorem about one function

# --- symbolic inputs and evaluation --------------------------------------------------------


def symbolic_value(t: Type, name: str) -> Value:
    """A value of type t made of fresh real symbols: `name` for a real, `name[i]` for
    the i-th component of a tuple (recursively)."""
    match t:
        case RealT():
            return sympy.Symbol(name, real=True)
        case TupT(elems):
            return tuple(symbolic_value(s, f"{name}[{i}]") for i, s in enumerate(elems))
        case _:
            assert_never(t)


def symbolic_inputs(f: FunDef, rename: Callable[[str], str] = lambda x: x) -> Inputs:
    """Symbolic arguments for f, each named after its parameter (through `rename`)."""
    return (tuple(symbolic_value(t, rename(x)) for x, t in f.nl_params),
            tuple(symbolic_value(t, rename(y)) for y, t in f.lin_params))


def evaluate(program: Program, func: str, nl: tuple[Value, ...], lin: tuple[Value, ...] = ()
             ) -> Run:
    """Symbolic evaluation of func; `conditions` are the domain side conditions met."""
    return run(program, func, nl, lin, num=SympyNumbers())


def runner(program: Program, func: str) -> Runner:
    """The symbolic runner of one function."""
    return lambda nl, lin: evaluate(program, func, nl, lin)


def unzip_runner(program: Program, func: str) -> Runner:
    """The composition of U's halves (SPEC §2.4): run f.nonlin(x̄;), split its results
    into f's non-linear results and the tape, run f.lin(tape; ȳ).  Work adds up."""
    n_results = len(program.get(func).nl_results)

    def go(nl: tuple[Value, ...], lin: tuple[Value, ...]) -> Run:
        first = evaluate(program, nonlin_name(func), nl)
        results, tape = first.nl[:n_results], first.nl[n_results:]
        second = evaluate(program, lin_name(func), tape, lin)
        work = {m: first.work[m] + second.work[m] for m in MODELS}
        return Run(results, second.lin, work, first.conditions + second.conditions)

    return go


def leaves(v: Value) -> list[Value]:
    """The real components of a value, left to right."""
    return [r for c in v for r in leaves(c)] if isinstance(v, tuple) else [v]


def _map(fn: Callable[[Value], Value], v: Value) -> Value:
    """fn on every real component, keeping the tuple structure."""
    return tuple(_map(fn, c) for c in v) if isinstance(v, tuple) else fn(v)


def _combine(fn: Callable[..., Value], *vs: Value) -> Value:
    """fn componentwise on values of one shape."""
    if isinstance(vs[0], tuple):
        return tuple(_combine(fn, *cs) for cs in zip(*vs, strict=True))
    return fn(*vs)


def dot(a: Value, b: Value) -> Value:
    """⟨a, b⟩: the sum of the products of matching real components (same shape)."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        if not (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)):
            raise ValueError(f"⟨·,·⟩ of values of different shapes: {a} and {b}")
        return sympy.Add(*(dot(x, y) for x, y in zip(a, b)))
    return a * b


def _with(v: Verdict, where: str) -> Verdict:
    """v, its detail prefixed with the part of the statement it is about."""
    if not v:
        v.detail = f"{where}: {v.detail}"
    return v


def all_of(checks: Iterable[tuple[str, Callable[[], Verdict]]]) -> Verdict:
    """The conjunction of named checks, stopping at the first failure."""
    methods: set[str] = set()
    for where, check in checks:
        v = check()
        if not v:
            return _with(v, where)
        methods.add(v.method)
    return Verdict(True, ", ".join(sorted(methods)) or "vacuous")


# --- A6 and friends: equivalence ---------------------------------------------------------------


def equivalent(a: Runner, b: Runner, f: FunDef) -> Verdict:
    """a(x̄; ȳ) = b(x̄; ȳ) for symbolic x̄, ȳ shaped like f's parameters; the side
    conditions of both runs are assumed."""
    nl, lin = symbolic_inputs(f)
    ra, rb = a(nl, lin), b(nl, lin)
    conds = ra.conditions + rb.conditions
    return all_of([
        ("non-linear results", lambda: prove_equal(ra.nl, rb.nl, conds)),
        ("linear results", lambda: prove_equal(ra.lin, rb.lin, conds)),
    ])



# --- A2: linearity ---------------------------------------------------------------------------


def linearity(program: Program, func: str) -> Verdict:
    """f(x̄; αu+βv) = α f(x̄; u) + β f(x̄; v) on f's linear results and
    f(x̄; αu+βv) = f(x̄; u) = f(x̄; v) on its non-linear results, for symbols x̄, u, v
    (shaped like ȳ), α, β."""
    f = program.get(func)
    nl, _ = symbolic_inputs(f)
    _, u = symbolic_inputs(f, lambda y: f"{y}@u")
    _, v = symbolic_inputs(f, lambda y: f"{y}@v")
    alpha, beta = sympy.Symbol("α", real=True), sympy.Symbol("β", real=True)
    w = _combine(lambda a, b: alpha * a + beta * b, u, v)
    ru, rv, rw = (evaluate(program, func, nl, d) for d in (u, v, w))
    conds = ru.conditions + rv.conditions + rw.conditions
    combined = _combine(lambda a, b: alpha * a + beta * b, ru.lin, rv.lin)
    return all_of([
        ("linear results", lambda: prove_equal(rw.lin, combined, conds)),
        ("non-linear results at u vs v", lambda: prove_equal(ru.nl, rv.nl, conds)),
        ("non-linear results at αu+βv vs u", lambda: prove_equal(rw.nl, ru.nl, conds)),
    ])


# --- A4: forward mode against sympy derivatives ----------------------------------------------


def tangent_name(x: str) -> str:
    return f"δ{x}"


def jvp_correct(program: Program, func: str, jprogram: Program | None = None,
                jfunc: str | None = None) -> Verdict:
    """f.jvp(x̄; δx̄) = (f(x̄) ; J_f(x̄)·δx̄): the primal is f's value and every real
    component r of the tangent is Σᵢ ∂r/∂xᵢ · δxᵢ over the real components xᵢ of x̄,
    with ∂ computed by `sympy.diff` of f's symbolic value (not by our derivative
    table).  By default f.jvp is made by the production `jvp_program`."""
    jprogram = jprogram or jvp_program(program, func)
    jfunc = jfunc or jvp_name(func)
    f = program.get(func)
    x, _ = symbolic_inputs(f)
    dx, _ = symbolic_inputs(f, tangent_name)
    primal = evaluate(program, func, x)
    jv = evaluate(jprogram, jfunc, x, dx)
    pairs = list(zip(leaves(x), leaves(dx)))
    expected = _map(lambda r: sympy.Add(*(sympy.diff(r, xi) * dxi for xi, dxi in pairs)),
                    primal.nl)
    conds = primal.conditions + jv.conditions
    return all_of([
        ("primal", lambda: prove_equal(jv.nl, primal.nl, conds)),
        ("tangent", lambda: prove_equal(jv.lin, expected, conds)),
    ])


# --- A8: the dot-product identity ---------------------------------------------------------------


def cotangent_name(i: int) -> str:
    return f"ct[{i}]"


def adjoint(program: Program, func: str, tprogram: Program, tfunc: str) -> Verdict:
    """⟨c̄, f(x̄; ȳ)⟩ = ⟨f.T(x̄; c̄), ȳ⟩ exactly, for symbols x̄, ȳ and c̄ (shaped like
    f's linear results).  f must have no non-linear results (T's fragment)."""
    f = program.get(func)
    x, y = symbolic_inputs(f)
    c = tuple(symbolic_value(t, cotangent_name(i)) for i, t in enumerate(f.lin_results))
    forward = evaluate(program, func, x, y)
    backward = evaluate(tprogram, tfunc, x, c)
    try:
        lhs, rhs = dot(c, forward.lin), dot(backward.lin, y)
    except ValueError as exc:
        return Verdict(False, "shape", str(exc))
    return _with(prove_equal(lhs, rhs, forward.conditions + backward.conditions),
                 "⟨c̄, f(x̄; ȳ)⟩ = ⟨f.T(x̄; c̄), ȳ⟩")


# --- A1: values have their types --------------------------------------------------------------


def has_type(v: Value, t: Type, mode: str) -> bool:
    """⊢ v : t for a value of a number mode: a real is a number of that mode (a float;
    a sympy expression; an mpmath mpf), a tuple has one component per element type."""
    match t:
        case RealT():
            match mode:
                case "float":
                    return isinstance(v, float)
                case "symbolic":
                    return isinstance(v, sympy.Expr)
                case "mpmath":
                    return isinstance(v, mpmath.mpf)
            raise ValueError(f"unknown number mode {mode!r}")
        case TupT(elems):
            return (isinstance(v, tuple) and len(v) == len(elems)
                    and all(has_type(c, s, mode) for c, s in zip(v, elems)))
        case _:
            assert_never(t)


def results_have_types(r: Run, f: FunDef, mode: str) -> bool:
    """The results of a run of f have f's declared result types (τ̄' ; σ̄')."""
    return (len(r.nl) == len(f.nl_results) and len(r.lin) == len(f.lin_results)
            and all(has_type(v, t, mode) for v, t in zip(r.nl, f.nl_results))
            and all(has_type(v, t, mode) for v, t in zip(r.lin, f.lin_results)))


def type_safety(program: Program, func: str, nl: tuple[Value, ...], lin: tuple[Value, ...],
                mode: str) -> Verdict:
    """A1 for one run of func in a number mode ('float' or 'symbolic'): the results
    have func's declared types, and the work counted while evaluating equals the
    static work W_m(func) for every cost model m.  A `DomainError` propagates."""
    f = program.get(func)
    r = (evaluate(program, func, nl, lin) if mode == "symbolic"
         else run(program, func, nl, lin, mode))
    if not results_have_types(r, f, mode):
        return Verdict(False, "ill-typed value", f"{func}{pair(nl, lin)} ⇓ {pair(r.nl, r.lin)} "
                       f"but {f.signature}")
    for m in MODELS.values():
        static = work(program, func, m)
        if r.work[m.name] != static:
            return Verdict(False, "work", f"{func}{pair(nl, lin)}: dynamic {m.name} work "
                           f"{r.work[m.name]} ≠ static W = {static}")
    return Verdict(True, "typed value, static W = dynamic work")


# --- signatures --------------------------------------------------------------------------------

Sig = tuple[tuple[Type, ...], tuple[Type, ...]]


def has_signature(typing: Typing, func: str, params: Sig, results: Sig) -> Verdict:
    """The checked function has the signature params -> results."""
    if func not in typing.sigs:
        return Verdict(False, "signature", f"{func} is not defined")
    got = typing.sigs[func]
    if got == (params, results):
        return Verdict(True, "signature")
    return Verdict(False, "signature", f"{func} : {pair(*got[0])} -> {pair(*got[1])}, expected "
                   f"{pair(*params)} -> {pair(*results)}")


# --- rule by rule ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Local:
    """One node of a function's top-level spine as a tiny function of its free
    variables: `program` holds the functions the node calls and `func`, whose body is
    the bound expression (a `let`), the unpacking with its components returned (a
    `let tup`/`let ltup`), or the final expression."""

    index: int
    head: str  # the binding as printed: `let (x;) = …`
    program: Program
    func: str


def local_name(func: str, index: int) -> str:
    return f"{func}@{index}"


def locals_of(program: Program, func: str) -> Iterator[Local]:
    """The spine of func's body, node by node (iteratively: spines are 10⁴ long).
    Parameters of each tiny function: its free variables, sorted, with the types they
    have at that point (the types the checker recorded for their binders)."""
    typing = check_program(program)
    f = program.get(func)
    keep = program.funcs[:program.funcs.index(f)]  # the functions f may call
    env: dict[str, Type] = dict(f.nl_params) | dict(f.lin_params)
    e: Expr = f.body
    index = 0

    def tiny(body: Expr, results: Sig, head: str) -> Local:
        nl, lin = free_vars(body)
        g = FunDef(local_name(func, index), tuple((x, env[x]) for x in sorted(nl)),
                   tuple((y, env[y]) for y in sorted(lin)), results[0], results[1], body)
        callees = {h for c in calls(body) for h in reachable(program, c)}
        return Local(index, head, Program(tuple(h for h in keep if h.name in callees) + (g,)),
                     g.name)

    while True:
        match e:
            case Let(xs, ys, bound, body):
                res = typing.of(bound)
                yield tiny(bound, res, f"let {pair(xs, ys)} = {_short(pretty(bound))}")
                env.update(zip(xs + ys, res[0] + res[1]))
                e = body
            case UnpackTup(xs, t, body) | UnpackLtup(xs, t, body):
                tt = env[t]
                assert isinstance(tt, TupT)  # check_program accepted the unpacking
                linear = isinstance(e, UnpackLtup)
                ret = Ret((), xs) if linear else Ret(xs, ())
                res = ((), tt.elems) if linear else (tt.elems, ())
                keyword = "ltup" if linear else "tup"
                yield tiny(type(e)(xs, t, ret), res, f"let {keyword}({', '.join(xs)}) = {t}")
                env.update(zip(xs, tt.elems))
                e = body
            case _:  # any other expression ends the spine
                yield tiny(e, typing.of(e), "the final expression")
                return
        index += 1


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"


def by_binding(program: Program, func: str, statement: Statement) -> Verdict:
    """The statement for every node of func's spine (see `locals_of`): one local check
    per let-binding of an A-normal-form program."""
    n = 0
    methods: set[str] = set()
    for local in locals_of(program, func):
        v = statement(local.program, local.func)
        if not v:
            return _with(v, f"binding {local.index} `{local.head}` of {func}")
        methods.add(v.method)
        n += 1
    return Verdict(True, f"rule by rule, {n} local checks: " + ", ".join(sorted(methods)))


# --- the theorem checks shared by proofs/ ---------------------------------------------------


def _params(f: FunDef) -> Sig:
    return tuple(t for _, t in f.nl_params), tuple(t for _, t in f.lin_params)


def _results(f: FunDef) -> Sig:
    return f.nl_results, f.lin_results


def jvp_typing(program: Program, func: str) -> tuple[Program, Verdict]:
    """A3: J(program) type-checks (else the checker's error is raised) and, for func
    and every function it calls, g.jvp : (x̄:τ̄ ; ẋ̄:τ̄) -> (τ̄' ; τ̄') when
    g : (x̄:τ̄ ;) -> (τ̄' ;).  Returns the J-extended program too."""
    jp = jvp_program(program, func)
    typing = check_program(jp)

    def sig(g: FunDef) -> Verdict:
        (nl, _), (res, _) = _params(g), _results(g)
        return has_signature(typing, jvp_name(g.name), (nl, nl), (res, res))

    return jp, all_of((g, lambda g=g: sig(program.get(g))) for g in reachable(program, func))


def jvp_theorem(program: Program, func: str) -> Verdict:
    """A3 and A4, whole term: J(f) is typed as stated and f.jvp = (f ; J_f · ẋ)."""
    jp, typed = jvp_typing(program, func)
    if not typed:
        return typed
    return jvp_correct(program, func, jp, jvp_name(func))



def unzip_theorem(program: Program, func: str, policy: Policy) -> Verdict:
    """A6: U(program) under `policy` type-checks; for func and every function g it
    calls, with t̄ the types of g's tape (as U reports them),
        g.nonlin : (τ̄ ;) -> (τ̄', t̄ ;)     g.lin : (t̄ ; σ̄) -> (; σ̄')
    and  g.lin(tape; ȳ) ∘ g.nonlin(x̄;) ≡ g(x̄; ȳ)  (symbolically)."""
    u = unzip_program(program, func, policy)
    typing = check_program(u.program)

    def one(g: FunDef) -> Verdict:
        tape = tuple(t for _, t in u.info[g.name].tape)
        (nl, lin), (res, lres) = _params(g), _results(g)
        return all_of([
            ("nonlin signature", lambda: has_signature(typing, nonlin_name(g.name),
                                                       (nl, ()), (res + tape, ()))),
            ("lin signature", lambda: has_signature(typing, lin_name(g.name),
                                                    (tape, lin), ((), lres))),
            ("f.lin ∘ f.nonlin ≡ f", lambda: equivalent(
                runner(u.program, g.name), unzip_runner(u.program, g.name), g)),
        ])

    return all_of((g, lambda g=g: one(program.get(g))) for g in reachable(program, func))


def transpose_theorem(program: Program, func: str) -> Verdict:
    """A8: T(program) type-checks; for func and every function g whose transpose it
    adds,  g.T : (τ̄ ; σ̄') -> (; σ̄)  when  g : (τ̄ ; σ̄) -> (; σ̄'),  and
    ⟨c̄, g(x̄; ȳ)⟩ = ⟨g.T(x̄; c̄), ȳ⟩."""
    tp = transpose_program(program, func)
    typing = check_program(tp)
    transposed = [func] + [g.name for g in program.funcs
                           if g.name != func and t_name(g.name) in tp]

    def one(g: FunDef) -> Verdict:
        (nl, lin), (_, lres) = _params(g), _results(g)
        return all_of([
            ("signature", lambda: has_signature(typing, t_name(g.name), (nl, lres), ((), lin))),
            ("adjoint", lambda: adjoint(tp, g.name, tp, t_name(g.name))),
        ])

    return all_of((g, lambda g=g: one(program.get(g))) for g in transposed)


# --- A10's meaning half: grad is the gradient ------------------------------------------------


def gradient_theorem(program: Program, func: str, policy: Policy = "store") -> Verdict:
    """grad f (x̄) = (f(x̄) ; ∇ₓ Σ_r r(x̄)) for fresh symbols x̄, r ranging over the real
    components of f's results, ∇ by `sympy.diff` of f's own symbolic value; grad's
    program type-checks."""
    f = program.get(func)
    x, _ = symbolic_inputs(f)
    primal = evaluate(program, func, x)
    rev = reverse(program, func, policy)
    check_program(rev.program)
    g = grad(program, func, x, mode="symbolic", policy=policy, rev=rev)
    total = sympy.Add(*leaves(primal.nl))
    expected = _map(lambda xi: sympy.diff(total, xi), x)
    conds = primal.conditions + g.conditions
    return all_of([
        ("primal", lambda: prove_equal(g.primal, primal.nl, conds)),
        ("gradient", lambda: prove_equal(g.gradient, expected, conds)),
    ])


def gradient_by_size(program: Program, func: str, policy: Policy = "store") -> Verdict:
    """`gradient_theorem` whole term for |f| ≤ WHOLE_TERM_MAX_SIZE, else rule by rule:
    on each binding of f's A-normal-form spine as a tiny function (`by_binding`)."""
    if whole_term(program, func):
        return gradient_theorem(program, func, policy)
    return by_binding(program, func, lambda p, h: gradient_theorem(p, h, policy))
