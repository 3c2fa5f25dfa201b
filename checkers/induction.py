"""Proofs by structural induction on the real passes (../shared/INDUCTION.md).

For a theorem about a transformation X and each Linear A constructor C, the *schematic
instance* C(H₁, …, Hₖ) is a function whose body is C applied to metavariables (`Hole`):
unknown subterms known only by their judgement.  The real pass runs on it unchanged
(every pass maps a hole to a hole at its own judgement: that is the induction
hypothesis, as data), and one **obligation** is discharged on the output:

    typing (A3, E1)  the real type checker accepts X(C(H̄)) at X's judgement, computed
                     here from the source signature, given only the holes' axioms;
    meaning (A4)     a hole ?h[ā] means h(ā) for an undefined sympy function h whose
                     partials are further undefined functions h_d1, h_d2, … (`fdiff`,
                     TOOLS-NOTES); ?h.jvp means (h(ā), Σⱼ h_dj(ā)·ȧⱼ); the value of
                     J(C(H̄)) minus sympy's own chain rule on C(H̄)'s value must reduce to
                     the literal 0 by a sound zero test, and every side condition met
                     while evaluating J(C(H̄)) must follow from the source's.
    linear (A2, A8)  a linear hole ?h[x̄ ; ȳ] means M_h(x̄)·ȳ, a matrix of undefined
                     functions; ?h.T[x̄ ; c̄] means M_h(x̄)ᵀ·c̄ (the IH of T); A8:
                     ⟨c, C(H̄)(ẏ)⟩ − ⟨T(C(H̄))(c), ẏ⟩ and A2: C(H̄)(αu+βv) − αC(H̄)(u) −
                     βC(H̄)(v) reduce to the literal 0; T(C(H̄)) also type-checks.
    cost (A5, A9,    holes' work, op counts and ‖·‖ are z3 integers; the IH is the
    A11)             theorem's own statement on each hole's closed function
                     (`hole_fun`), plus the holes' axioms; IH ∧ ¬statement(C(H̄)) must
                     be `unsat`, with the constants stated here before any measurement.
    unzip (A6, A7)   per let-spine unit (`unit_schemas`: C(H̄) bound by one let, then a
                     hole for the rest), every checkpoint policy; a linear hole's
                     linear part factors through its tape (`unzip_meanings`); A6:
                     f.lin ∘ f.nonlin − f reduces to 0 and the halves type-check; A7:
                     W(f.nonlin) + W(f.lin) = W(f) + E with E read off U's output (z3).
    λLL (E2, E4,     a λLL hole means the same undefined functions as the Linear A hole
    E5)              it images (`ll_meanings`; ?h'F and ?h'F'T by sympy's partials,
                     never PARTIALS): E2 ⟦C(H̄)⟧'s value is the encoded value; E4
                     ⟦J C(H̄)⟧ and F⟦C(H̄)⟧ both equal sympy's chain rule and their work
                     tallies are equal (z3); E5 workload(grad_LL) ≤ W(T∘U∘J) (z3).

    work (A1, E3,    A1: the evaluator's values have the checked types and its work
    W lemmas)        (+ each hole's symbol per call) is W_m; E3: workload_m(⟦C(H̄)⟧) =
                     W_m(C(H̄)), steps exact against `encoding_steps` and ≤ K·‖C(H̄)‖;
                     W.nonlin, W.models, A7.E (E_store = 0): z3 per constructor / unit.
    composition      A10 (store work bound, z3) and A10.grad (gradient, sympy) compose
    (A10)            the statements of proved theorems (`Theorem.composes`).
    λLL (L1, L3)     per λLL constructor (`induction_ll`): value types, affinity in Δ.
    extraction       per constructor, the extracted Python of C(H̄) (plain and both grad
    (X1, X2)         routes; `checkers.extraction`): a hole is a call of HOLES[h], bound to
                     the same meaning the interpreter gives ?h; X1: values equal (sympy
                     zero), X2: #ops + Σ W_h per hole call = W_arith (z3).

With the coverage check (every constructor of `calculus.linear_a.syntax.EXPR_CLASSES`,
per primitive for `Prim`, has a discharged case) these are the induction steps of a
proof over all programs.  A case outside a theorem's fragment is discharged only if the
real pass *rejects* it (`OutOfFragment`): method `fragment`.

Every check runs under a `Budget` (seconds and expression size); exceeding it is the
status `unknown` with the named reason `BudgetExceeded`, never a pass.  Checkers
return data: writing reports is `llad audit`'s job.
"""

from __future__ import annotations

import functools
import signal
import threading
import time
from dataclasses import asdict, dataclass, fields
from fractions import Fraction
from typing import Any, Callable, Iterator

import sympy
import z3

from calculus.grad_ll import build, grad_ll
from calculus.encoding import (enc_fun_type, enc_result, enc_result_value, encode_program,
                               run_encoded)
from calculus.errors import BudgetExceeded, OutOfFragment
from calculus.lambda_ll import syntax as ls
from calculus.lambda_ll import typecheck as lt
from calculus.lambda_ll.evaluate import Counts, Env, HoleMeaning, VClosure, VPair
from calculus.lambda_ll.forward import f_name, forward_program, tangent
from calculus.linear_a.evaluate import Evaluator
from calculus.linear_a.grad import reverse
from calculus.linear_a.jvp import jvp_name, jvp_program
from calculus.linear_a.syntax import (EXPR_CLASSES, REAL, Call, Drop, Dup, Expr, FunDef, Hole, LAdd,
                                      LDiv, Let, Lit, LScale, LTup, LVar, Prim, Program, RealT, Ret,
                                      Tup, TupT, Type, UnpackLtup, UnpackTup, Var, Zero, n_reals,
                                      pretty_fun, subterms)
from calculus.linear_a.transpose import t_name, transpose_program
from calculus.linear_a.names import free_vars, freshen
from calculus.linear_a.unzip import (UNIT, Binding, _Unzip, lin_name, nonlin_name,
                                     recompute_predicate, unzip_program)
from calculus.linear_a.typecheck import check_expr, check_program
from calculus.linear_a.work import _Work, work
from calculus.cost_models import ARITHMETIC, MODELS
from calculus.numbers import SympyNumbers
from calculus.limits import limit
from calculus.primitives import OPS, PRIMS, Op, PowI, representative

from . import extraction as ex
from .encoding_steps import K, predicted_steps
from .induction_ll import l1_obligation, l3_obligation, l3_schemas, ll_cases, ll_schemas
from .ll_values import application, evaluate_in, fill, flatten, primal_args, tangent_args
from .measure import _Struct, k_of, struct
from .policies import POLICIES
from .semantics import has_type
from .symbolic import sympy_zero

# --- obligations -------------------------------------------------------------------------------


@dataclass
class Obligation:
    """One induction step (or one excluded case) and how it was discharged."""

    theorem: str
    calculus: str
    constructor: str      # class name, `Prim <op>` per primitive, `<C> (linear)` variants
    schematic: str        # the source C(H̄), printed
    output: str           # X(C(H̄)), printed
    query: str            # the identity or judgement that was checked
    method: str           # typecheck | sympy | fragment
    status: str           # proved | failed | unknown
    seconds: float
    detail: str = ""
    kind: str = "induction"

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Budget:
    seconds: float = 20.0
    max_ops: int = 20_000  # sympy count_ops of an expression before any zero test

    def check_size(self, e: Any) -> None:
        n = sympy.count_ops(e)
        if n > self.max_ops:
            raise BudgetExceeded("induction", f"expression of {n} operations exceeds "
                                 f"{self.max_ops}", limit="Budget.max_ops", value=self.max_ops)


BUDGET = Budget()


def _alarm(signum, frame):
    raise BudgetExceeded("induction", f"time budget of {BUDGET.seconds} s exceeded",
                         limit="Budget.seconds", value=BUDGET.seconds)


def discharge(theorem: str, calculus: str, constructor: str, schematic: str, method: str,
              check: Callable[[], tuple[str, str]], budget: Budget = BUDGET) -> Obligation:
    """Run one check: it returns (printed output, query) when the obligation holds and
    raises otherwise (any exception — the pass's `CalculusError`, a failed assertion,
    an internal error — is the status `failed`, with its message)."""
    start = time.perf_counter()
    timed = threading.current_thread() is threading.main_thread()
    if timed:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, budget.seconds)
    output, query, status, detail = "", "", "proved", ""
    try:
        output, query = check()
    except BudgetExceeded as exc:
        status, detail = "unknown", f"BudgetExceeded: {exc}"
    except Exception as exc:  # noqa: BLE001 -- any error of the pass or check fails it
        status, detail = "failed", f"{type(exc).__name__}: {exc}"
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    return Obligation(theorem, calculus, constructor, schematic, output, query, method, status,
                      round(time.perf_counter() - start, 4), detail)


# --- schematic instances C(H₁, …, Hₖ) ---------------------------------------------------------

PAIR = TupT((REAL, REAL))
X, Y, Z, A, B = (("x", REAL), ("y", REAL), ("z", REAL), ("a", REAL), ("b", REAL))


def H(name: str, nl=(), lin=(), res: tuple[Type, ...] = (REAL,),
      lres: tuple[Type, ...] = ()) -> Hole:
    return Hole(name, tuple(nl), tuple(lin), res, lres)


@dataclass(frozen=True)
class Schema:
    """C(H̄) as the body of `f` (after any helper functions it calls)."""

    constructor: str
    program: Program
    linear: bool  # uses linear variables or constructs (outside J's fragment)

    @property
    def f(self) -> FunDef:
        return self.program.get("f")

    @property
    def printed(self) -> str:
        return pretty_fun(self.f)


def _fun(name: str, nl, lin, body: Expr, helpers: tuple[FunDef, ...] = ()) -> Program:
    """def name(nl ; lin) -> (its body's type) = body; results from the real checker."""
    typing = check_program(Program(helpers))
    res, lres = check_expr(body, dict(nl), dict(lin), typing)
    return Program(helpers + (FunDef(name, tuple(nl), tuple(lin), res, lres, body),))


def _prim(op: Op, k: int = 1) -> Expr:
    """op(?h1[x, y], ?h2[x]); with k = 2 every hole uses x twice (3 or 4 uses of x)."""
    args = [H("h1", [X] * k + [Y]), H("h2", [X] * k)][:PRIMS[op].arity]
    return Prim(op, tuple(args))


def schemas() -> list[Schema]:
    """One schematic instance per constructor (per primitive for Prim), in the
    non-linear fragment, and a linear variant for every constructor that has one."""
    g_nl = FunDef("g", (X, Y), (), (REAL,), (), H("g", [X, Y]))
    g_lin = FunDef("g", (X,), (Y,), (REAL,), (REAL,), H("g", [X], [Y], (REAL,), (REAL,)))
    ab_x = [("a", REAL), ("b", PAIR), X]
    nl: dict[str, tuple] = {
        "Ret": ((X, Y), (), Ret(("x", "y"), ())),
        "Let": ((X, Y), (), Let(("a", "b"), (), H("h1", [X, Y], res=(REAL, PAIR)), H("h2", ab_x))),
        "UnpackTup": ((("t", PAIR), X), (), UnpackTup(("a", "b"), "t", H("h", [A, B, X]))),
        "Call": ((X, Y), (), Call("g", ("x", "y"), ()), (g_nl,)),
        "Var": ((X,), (), Var("x")),
        "Lit": ((), (), Lit(Fraction(5, 2))),
        "Tup": ((X, Y), (), Tup(("x", "y"))),
        "Drop": ((X, Y), (), Drop(H("h", [X, Y], res=(REAL, PAIR)))),
        **{f"Prim {op.value}": ((X, Y), (), _prim(op)) for op in OPS},
    }
    # The IH with a variable used n times inside a hole (J's dup chain at the binder
    # has length n + uses elsewhere): the cases for n = 1 above and n = 2 here.
    twice: dict[str, tuple] = {
        "Ret": ((X, Y), (), Ret(("x", "y", "x"), ())),
        "Let": ((X, Y), (), Let(("a",), (), H("h1", [X, X, Y]), H("h2", [A, A, X]))),
        "UnpackTup": ((("t", PAIR), X), (), UnpackTup(("a", "b"), "t", H("h", [A, A, B, X, X]))),
        "Call": ((X,), (), Call("g", ("x", "x"), ()), (g_nl,)),
        "Tup": ((X,), (), Tup(("x", "x"))),
        "Drop": ((X, Y), (), Drop(H("h", [X, X, Y], res=(REAL, PAIR)))),
        **{f"Prim {op.value}": ((X, Y), (), _prim(op, 2)) for op in OPS},
    }
    # Constants (symbolic zeros): a variable bound to a literal, to a tuple of constants
    # unpacked again, or to powi[0] of a hole has no tangent; the hole after it gets the
    # constant as an input, so J/F materialise its zero there.
    cst, kst = ("c", REAL), ("k", REAL)
    constant: dict[str, tuple] = {
        "Let": ((X,), (), Let(("c",), (), Lit(Fraction(5, 2)), H("h", [cst, cst, X]))),
        "UnpackTup": ((X,), (), Let(("c",), (), Lit(Fraction(5, 2)), Let(
            ("t",), (), Tup(("c", "c")), UnpackTup(("a", "b"), "t", H("h", [A, B, X]))))),
        "Prim powi[0]": ((X, Y), (), Let(("k",), (), Prim(PowI(0), (H("h1", [X, Y]),)),
                                         H("h2", [kst, X]))),
    }
    lin: dict[str, tuple] = {
        "Ret": ((X,), (Y,), Ret(("x",), ("y",))),
        "Let": ((X,), (Y,), Let(("a",), ("b",), H("h1", [X], [Y], (REAL,), (REAL,)),
                                H("h2", [A, X], [B], (REAL,), (PAIR,)))),
        "UnpackLtup": ((X,), (("t", PAIR),), UnpackLtup(("a", "b"), "t",
                                                      H("h", [X], [A, B], (), (REAL,)))),
        "Call": ((X,), (Y,), Call("g", ("x",), ("y",)), (g_lin,)),
        "LVar": ((), (Y,), LVar("y")),
        "LTup": ((), (Y, Z), LTup(("y", "z"))),
        "LAdd": ((X,), (Y, Z), LAdd(H("h1", [X], [Y], (), (REAL,)),
                                    H("h2", [X], [Z], (), (REAL,)))),
        "LScale": ((X,), (Y,), LScale(H("h1", [X]), H("h2", [X], [Y], (), (PAIR,)))),
        "LDiv": ((X,), (Y,), LDiv(H("h2", [X], [Y], (), (PAIR,)), H("h1", [X]))),
        "Zero": ((), (), Zero(PAIR)),
        "Dup": ((X,), (Y,), Dup(H("h", [X], [Y], (), (PAIR,)))),
        "Drop": ((X,), (Y,), Drop(H("h", [X], [Y], (REAL,), (PAIR,)))),
    }
    out = [Schema(c, _fun("f", *spec), False) for c, spec in nl.items()]
    out += [Schema(f"{c} (repeated uses)", _fun("f", *spec), False) for c, spec in twice.items()]
    out += [Schema(f"{c} (constant)", _fun("f", *spec), False) for c, spec in constant.items()]
    return out + [Schema(f"{c} (linear)" if c in nl else c, _fun("f", *spec), True)
                  for c, spec in lin.items()]


def t_schemas() -> list[Schema]:
    """Instances for the theorems about linear functions f(x̄ ; ȳ) -> (; σ̄) (A2, A8):
    `linear` marks those in T's fragment; the non-linear constructors are not (T
    rejects them; inside a program they occur as the bound of a non-linear let)."""
    g = FunDef("g", (X,), (Y,), (), (PAIR,), H("g", [X], [Y], (), (PAIR,)))
    lin1 = dict(res=(), lres=(REAL,))
    spec: dict[str, tuple] = {
        "Ret": ((), (Y, Z), Ret((), ("y", "z"))),
        "Let": ((X,), (Y, Z), Let((), ("a",), H("h1", [X], [Y], **lin1),
                                  H("h2", [X], [A, Z], (), (PAIR,)))),
        "Let (non-linear)": ((X,), (Y,), Let(("a",), (), H("h1", [X]),
                                             H("h2", [A, X], [Y], **lin1))),
        "UnpackTup": ((("t", PAIR),), (Y,), UnpackTup(("a", "b"), "t",
                                                    H("h", [A, B], [Y], **lin1))),
        "UnpackLtup": ((X,), (("t", PAIR),), UnpackLtup(("a", "b"), "t",
                                                      H("h", [X], [A, B], **lin1))),
        "Call": ((X,), (Y,), Call("g", ("x",), ("y",)), (g,)),
        "LVar": ((), (Y,), LVar("y")),
        "LTup": ((), (Y, Z), LTup(("y", "z"))),
        "LAdd": ((X,), (Y, Z), LAdd(H("h1", [X], [Y], **lin1), H("h2", [X], [Z], **lin1))),
        "LScale": ((X,), (Y,), LScale(H("h1", [X]), H("h2", [X], [Y], (), (PAIR,)))),
        "LDiv": ((X,), (Y,), LDiv(H("h2", [X], [Y], (), (PAIR,)), H("h1", [X]))),
        "Zero": ((), (), Zero(PAIR)),
        "Dup": ((X,), (Y,), Dup(H("h", [X], [Y], **lin1))),
        "Drop": ((X,), (Y, Z), Let((), (), Drop(H("h", [X], [Y], (REAL,), (PAIR,))),
                                   H("h2", [X], [Z], **lin1))),
    }
    out = [Schema(c, _fun("f", *sp), True) for c, sp in spec.items()]
    nl = {"Var": ((X,), (), Var("x")), "Lit": ((), (), Lit(Fraction(1))),
          "Tup": ((X,), (), Tup(("x",))),
          **{f"Prim {op.value}": ((X, Y), (), _prim(op)) for op in OPS}}
    return out + [Schema(c, _fun("f", *sp), False) for c, sp in nl.items()]


def cases() -> list[str]:
    """Every case an induction theorem over Linear A must discharge: each constructor of
    `EXPR_CLASSES` (by introspection), `Prim` once per primitive."""
    return [c.__name__ for c in EXPR_CLASSES if c is not Prim] + [f"Prim {op.value}" for op in OPS]


# --- the meaning of holes (A4) ------------------------------------------------------------------


@functools.cache
def hole_function(name: str) -> type:
    """An undefined sympy function whose i-th partial is the undefined function
    `name_d{i}` (one class per name, cached: TOOLS-NOTES)."""
    def fdiff(self, argindex=1):
        return hole_function(f"{name}_d{argindex}")(*self.args)
    return type(name, (sympy.Function,), {"fdiff": fdiff})


flat = ex.flat  # a nested tuple's leaves, in order (one definition, the extraction engine's)


def unflat(types: tuple[Type, ...], comps: Iterator) -> tuple:
    def one(t: Type) -> Any:
        return next(comps) if isinstance(t, RealT) else tuple(one(s) for s in t.elems)
    return tuple(one(t) for t in types)


def _components(h: str, results: tuple[Type, ...], args: list) -> list:
    n = len(flat(unflat(results, iter(range(10**6)))))
    return [hole_function(h if n == 1 else f"{h}_{i}")(*args) for i in range(n)]


def meaning(h: Hole) -> Callable:
    """?h[ā ;] : (τ̄ ;) ↦ (h(ā) ;), componentwise over the flattened reals."""
    def run(nl: tuple, lin: tuple) -> tuple:
        return unflat(h.nl_results, iter(_components(h.name, h.nl_results, flat(nl)))), ()
    return run


def jvp_meaning(h: Hole, base: str) -> Callable:
    """The IH for J: ?base.jvp[ā ; ȧ] = (h(ā) ; Σⱼ ∂ⱼh(ā)·ȧⱼ), the partials sympy's."""
    def run(nl: tuple, lin: tuple) -> tuple:
        args, dargs = flat(nl), flat(lin)
        vals = _components(base, h.nl_results, args)
        tans = [sum((d * da for d, da in zip(row, dargs)), sympy.Integer(0))
                for row in _jacobian(vals, args)]
        return unflat(h.nl_results, iter(vals)), unflat(h.nl_results, iter(tans))
    return run


def _jacobian(vals: list, args: list) -> list[list]:
    """∂ⱼvᵢ(ā) for the components vᵢ = hᵢ(ā) of a hole: sympy's partials (`fdiff`: the
    undefined functions hᵢ_dj), never our PARTIALS table."""
    return [[hole_function(type(v).__name__ + f"_d{j + 1}")(*args) for j in range(len(args))]
            for v in vals]


def _entry(h: str, i: int, j: int, xs: list) -> Any:
    """Entry (i, j) of the matrix M_h(x̄) a linear hole ?h applies to its linear input."""
    return hole_function(f"{h}_m{i}_{j}")(*xs)


def linear_meaning(h: Hole) -> Callable:
    """?h[x̄ ; ȳ] : (τ̄ ; σ̄) ↦ (h(x̄) ; M_h(x̄)·ȳ) (the IH of A2, A8)."""
    def run(nl: tuple, lin: tuple) -> tuple:
        xs, ys = flat(nl), flat(lin)
        rows = len(flat(unflat(h.lin_results, iter(range(10**6)))))
        vals = [sum((_entry(h.name, i, j, xs) * y for j, y in enumerate(ys)), sympy.Integer(0))
                for i in range(rows)]
        return meaning(h)(nl, ())[0], unflat(h.lin_results, iter(vals))
    return run


def transpose_meaning(h: Hole, base: str) -> Callable:
    """?base.T[x̄ ; c̄] ↦ (; M_base(x̄)ᵀ·c̄) (the IH of A8)."""
    def run(nl: tuple, lin: tuple) -> tuple:
        xs, cs = flat(nl), flat(lin)
        cols = len(flat(unflat(h.lin_results, iter(range(10**6)))))
        vals = [sum((_entry(base, i, j, xs) * c for i, c in enumerate(cs)), sympy.Integer(0))
                for j in range(cols)]
        return (), unflat(h.lin_results, iter(vals))
    return run


def _meanings(p: Program) -> dict[str, Callable]:
    """Each hole of p by its meaning: ?h.jvp and ?h.T by the IH of J and T."""
    out: dict[str, Callable] = {}
    for f in p.funcs:
        for s in subterms(f.body):
            if not isinstance(s, Hole):
                continue
            if s.name.endswith(".jvp"):
                out[s.name] = jvp_meaning(s, s.name.removesuffix(".jvp"))
            elif s.name.endswith(".T"):
                out[s.name] = transpose_meaning(s, s.name.removesuffix(".T"))
            else:
                out[s.name] = linear_meaning(s) if s.lin else meaning(s)
    return out


def _symbols(params, prefix: str = "") -> tuple:
    def one(name: str, t: Type) -> Any:
        if isinstance(t, RealT):
            return sympy.Symbol(prefix + name, real=True)
        return tuple(one(f"{name}{i}", s) for i, s in enumerate(t.elems))
    return tuple(one(x, t) for x, t in params)


def _implied(c: Any, source: list) -> bool:
    """A side condition of J(C(H̄)) follows from the source's: it is one of them, or
    a ≠ 0 given a > 0 (the log rule's 1/a), or a^q ≠ 0 for a rational q given a > 0
    (the sqrt rule's 1/(2·sqrt a): a positive real's powers are positive)."""
    if c in source:
        return True
    if not (isinstance(c, sympy.Ne) and c.rhs == 0):
        return False
    base = c.lhs.base if c.lhs.is_Pow and c.lhs.exp.is_Rational else c.lhs
    return sympy.StrictGreaterThan(base, 0) in source


# --- the theorems ---------------------------------------------------------------------------------


def rejects(transform: Callable[[Program], Any], name: str) -> Callable[[Schema], Callable]:
    """The case is outside the pass's fragment: the real pass must reject it."""
    def make(s: Schema) -> Callable[[], tuple[str, str]]:
        def check() -> tuple[str, str]:
            try:
                transform(s.program)
            except OutOfFragment as exc:
                return "(rejected)", f"{name} raises OutOfFragment: {exc}"
            raise AssertionError(f"{name} accepted a term outside its fragment")
        return check
    return make


def a3_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """A3: Γ ⊢ C(H̄) : (τ̄;)  ⟹  Γ ; Γ̇ ⊢ J(C(H̄)) : (τ̄ ; τ̄), given ?hᵢ.jvp's axioms."""
    def check() -> tuple[str, str]:
        jp = jvp_program(s.program, "f")
        check_program(jp)
        fj, f = jp.get(jvp_name("f")), s.f
        want = (f.nl_params, tuple(t for _, t in f.nl_params), f.nl_results, f.nl_results)
        got = (fj.nl_params, tuple(t for _, t in fj.lin_params), fj.nl_results, fj.lin_results)
        assert got == want, f"J's judgement: expected {want}, got {got}"
        return pretty_fun(fj), f"check_program accepts {fj.signature}"
    return check


def e1_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """E1: Γ ; Δ ⊢ C(H̄) : R  ⟹  Γ° ; Δ• ⊢ ⟦C(H̄)⟧ : R°•, given ⟦?hᵢ⟧'s axioms."""
    def check() -> tuple[str, str]:
        enc, names = encode_program(s.program)
        lt.check_program(enc)
        d = enc.lookup(names["f"])
        assert d.ty == enc_fun_type(s.f), f"⟦f⟧ : {d.ty}, expected {enc_fun_type(s.f)}"
        return f"def {d.name} : {d.ty} = {ls.pretty(d.body)}", f"⊢ ⟦f⟧ : {d.ty}"
    return check


def _zero(e: Any, what: str) -> None:
    """e reduces to the literal 0 by a sound sympy test, within the budget."""
    BUDGET.check_size(e)
    assert sympy_zero(e) is not None, f"{what}: not reduced to 0: {e}"


def _derived(out: list, src: list) -> None:
    """Every side condition `out` met follows from the source's `src`."""
    missing = [c for c in out if not _implied(c, src)]
    assert not missing, f"side conditions of the output not derived from the source's: {missing}"


def _chain(v: tuple, xs: tuple, dxs: tuple) -> list:
    """Σᵢ ∂c/∂xᵢ·ẋᵢ for each real c of v: sympy's chain rule (holes' partials by `fdiff`),
    the independent oracle of A4 and E4 — not our PARTIALS table."""
    return [sum((sympy.diff(c, x) * dx for x, dx in zip(flat(xs), flat(dxs))), sympy.Integer(0))
            for c in flat(v)]


def a4_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """A4: J(C(H̄)) = (v, Σᵢ ∂v/∂xᵢ·ẋᵢ) with v the value of C(H̄), holes by their IH."""
    def check() -> tuple[str, str]:
        jp = jvp_program(s.program, "f")
        f, fj = s.f, jp.get(jvp_name("f"))
        xs, dxs = _symbols(f.nl_params), _symbols(f.nl_params, "d_")
        holes = _meanings(jp)
        src, out = SympyNumbers(), SympyNumbers()
        v = Evaluator(jp, src, holes=holes).call("f", xs, ())[0]
        jv, jt = Evaluator(jp, out, holes=holes).call(fj.name, xs, dxs)
        chain = _chain(v, xs, dxs)
        for a, b in zip(flat(jv), flat(v)):
            _zero(a - b, "value")
        for a, b in zip(flat(jt), chain):
            _zero(a - b, "tangent")
        _derived(out.conditions, src.conditions)
        query = f"value: {flat(jv)} − {flat(v)} ≡ 0; tangent: {flat(jt)} − Σ ∂v/∂x·ẋ ≡ 0"
        return pretty_fun(fj), query
    return check


def a8_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """A8: ⟨c, f(x̄; ẏ)⟩ = ⟨f.T(x̄; c), ẏ⟩ with linear holes meaning M(x̄)·ȳ and ?h.T
    meaning M(x̄)ᵀ·c̄ (the IH), non-linear holes h(x̄)."""
    def check() -> tuple[str, str]:
        tp = transpose_program(s.program, "f")
        check_program(tp)  # T(C(H̄)) is well typed given ?hᵢ.T's axioms
        f, ft = s.f, tp.get(t_name("f"))
        xs, ys = _symbols(f.nl_params), _symbols(f.lin_params, "d_")
        cs = _symbols(tuple((f"c{i}", t) for i, t in enumerate(f.lin_results)))
        holes = _meanings(tp)
        src, out = SympyNumbers(), SympyNumbers()
        lin = Evaluator(tp, src, holes=holes).call("f", xs, ys)[1]
        back = Evaluator(tp, out, holes=holes).call(ft.name, xs, cs)[1]
        lhs = sum((c * v for c, v in zip(flat(cs), flat(lin))), sympy.Integer(0))
        rhs = sum((b * y for b, y in zip(flat(back), flat(ys))), sympy.Integer(0))
        _zero(lhs - rhs, "adjoint")
        _derived(out.conditions, src.conditions)
        return pretty_fun(ft), f"⟨c, f(x; ẏ)⟩ − ⟨f.T(x; c), ẏ⟩ = {lhs} − ({rhs}) ≡ 0"
    return check


def a2_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """A2: f(x̄; α·u + β·v) = α·f(x̄; u) + β·f(x̄; v), linear holes meaning M(x̄)·ȳ."""
    def check() -> tuple[str, str]:
        f, holes = s.f, _meanings(s.program)
        xs, us, vs = (_symbols(f.nl_params), _symbols(f.lin_params, "u_"),
                      _symbols(f.lin_params, "v_"))
        al, be = sympy.symbols("alpha beta", real=True)
        mix = unflat(tuple(t for _, t in f.lin_params),
                     iter([al * u + be * v for u, v in zip(flat(us), flat(vs))]))

        def run(ys: tuple) -> list:
            return flat(Evaluator(s.program, SympyNumbers(), holes=holes).call("f", xs, ys)[1])
        for m, u, v in zip(run(mix), run(us), run(vs)):
            _zero(m - al * u - be * v, "linearity")
        return "(the source itself)", "f(x; α·u + β·v) − α·f(x; u) − β·f(x; v) ≡ 0"
    return check


# --- work lemmas and A10 as a composition ---------------------------------------------------


def w_nonlin_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """W.nonlin: a non-linear f does no linear operation, so W_m(f) = Σ_op cost(op)·n_op(f)
    under every model m; IH the same for each hole (n_op(h) ≥ 0 symbols): z3 `unsat`."""
    def check() -> tuple[str, str]:
        holes, queries = _holes(s.program), []
        for m, model in MODELS.items():
            sy = Syms.of(set(holes), m)
            ih = [c >= 0 for h in holes for c in sy.n[h].values()]
            ih += [sy.W[h] == _cost(sy.n[h]) for h in holes]
            goal = work(s.program, "f", model, holes=sy.W) == _cost(
                _op_counts(s.program, s.f.body, sy.n))
            queries.append(f"{m}: " + _unsat(ih, goal, f"W_{m}(f)"))
        return "(the source itself)", "; ".join(queries)
    return check


def w_models_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """W.models: W_arithmetic(e) ≤ W_symmetric(e) for every term (the models differ only
    in pricing dup, drop and zero at 0 or at ‖σ‖); IH the same for each hole: z3 `unsat`."""
    def check() -> tuple[str, str]:
        holes = _holes(s.program)
        wa, ws = ({h: z3.Int(f"W_{m}({h})") for h in holes} for m in MODELS)
        ih = [c for h in holes for c in (wa[h] >= 0, wa[h] <= ws[h])]
        goal = (work(s.program, "f", MODELS["arithmetic"], holes=wa)
                <= work(s.program, "f", MODELS["symmetric"], holes=ws))
        return "(the source itself)", _unsat(ih, goal, "W_arithmetic(f) > W_symmetric(f)")
    return check


def a1_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """A1 per constructor, on the Linear A evaluator with symbolic inputs of f's parameter
    types, each hole by its IH (`_meanings`: values of the hole's result types; its work
    the integer symbol W_m(?h) ≥ 0, which the evaluator does not count, so each call of a
    hole's meaning adds it once).  A1a: the results have f's checked types (`has_type`);
    A1b: dynamic work = W_m(C(H̄)) under every model m, z3 `unsat` of IH ∧ ¬equation."""
    def check() -> tuple[str, str]:
        f, calls = s.f, {h: 0 for h in _holes(s.program)}

        def counted(h: str, m: Callable) -> Callable:
            def run(nl: tuple, lin: tuple) -> tuple:
                calls[h] += 1
                return m(nl, lin)
            return run
        ev = Evaluator(s.program, SympyNumbers(),
                       holes={h: counted(h, m) for h, m in _meanings(s.program).items()})
        nl, lin = ev.call("f", _symbols(f.nl_params), _symbols(f.lin_params, "d_"))
        for v, t in zip(nl + lin, f.nl_results + f.lin_results, strict=True):
            assert has_type(v, t, "symbolic"), f"f's result {v} is not a value of type {t}"
        queries = []
        for m, model in MODELS.items():
            w = {h: z3.Int(f"W_{m}({h})") for h in calls}
            dynamic = z3.IntVal(ev.work[m]) + sum((n * w[h] for h, n in calls.items()), 0)
            goal = dynamic == work(s.program, "f", model, holes=w)
            queries.append(f"{m}: " + _unsat([x >= 0 for x in w.values()], goal,
                                             f"dynamic work ≠ W_{m}(f)"))
        return "(the source itself)", (f"⊢ ({nl} ; {lin}) : {f.signature}; "
                                       + "; ".join(queries))
    return check


# A10, stated: W_m(grad f) ≤ c·W_m(f) + d·‖f‖ for non-linear f, per checkpoint policy, both
# models; grad f = T(U(J f)), W(grad f) = W(f.jvp.nonlin) + W(f.jvp.lin.T).  From A5 (c_op,
# d_J), A7 + A7.E ((1 + e_π)·W(J f)), A9 (W_sym(T g) ≤ W_sym(g)), W.models (the arithmetic
# model via the symmetric one) and W.nonlin (W(f) = Σ cost(op)·n_op(f)):
# c = (1 + e_π)·max_op c_op/cost(op), d = (1 + e_π)·d_sym.  Store only: under recompute
# W(grad f) / (W(f) + ‖f‖) is unbounded (nested calls; A7E_STATED), no constants exist.
A10_STATED = {"store": {"c": 6, "d": 2}}


def a10_hypotheses(policy: str) -> tuple[dict, list]:
    """The composed theorems' statements about one non-linear f and grad f, as z3 facts
    over integer symbols: each line is a theorem proved by its own induction here."""
    n = {op: z3.Int(f"n_{op.value}(f)") for op in Op}
    S, P = z3.Int("‖f‖"), z3.Int("‖x̄‖")
    v = {k: {m: z3.Int(f"W_{m}({k})") for m in MODELS}
         for k in ("f", "J f", "f.jvp.nonlin", "f.jvp.lin", "f.jvp.lin.T", "E")}
    W = lambda k, m: v[k][m]  # noqa: E731
    a, sym = "arithmetic", "symmetric"
    facts = [c >= 0 for c in (*n.values(), P)] + [x >= 0 for d in v.values() for x in d.values()]
    facts.append(S >= 1)
    facts += [W("f", m) == _cost(n) for m in MODELS]                            # W.nonlin
    bound = _cost(n, A5_STATED.__getitem__)
    facts += [W("J f", a) + A5_ARITH["p"] * P <= bound + A5_ARITH["d"] * (S - P),  # A5
              W("J f", sym) + A5_SYM["p"] * P <= bound + A5_SYM["d"] * (S - P)]    # A5.sym
    facts += [W("f.jvp.nonlin", m) + W("f.jvp.lin", m) == W("J f", m) + W("E", m)
              for m in MODELS]                                                    # A7
    facts += [W("E", m) <= A7E_STATED[policy] * W("J f", m) for m in MODELS]       # A7.E
    facts.append(W("f.jvp.lin.T", sym) <= W("f.jvp.lin", sym))                     # A9
    facts += [W(k, a) <= W(k, sym) for k in v if k != "E"]                          # W.models
    return {"n": n, "S": S, "W": W}, facts


def a10_obligation(policy: str, stated: dict | None = None) -> Callable[[], tuple[str, str]]:
    """A10 (work) by composition, one z3 query per model: the composed theorems' statements
    (`a10_hypotheses`) ∧ ¬(W_m(f.jvp.nonlin) + W_m(f.jvp.lin.T) ≤ c·W_m(f) + d·‖f‖) unsat."""
    k = stated or A10_STATED[policy]

    def check() -> tuple[str, str]:
        sy, facts = a10_hypotheses(policy)
        W, queries = sy["W"], []
        for m in MODELS:
            goal = (W("f.jvp.nonlin", m) + W("f.jvp.lin.T", m)
                    <= k["c"] * W("f", m) + k["d"] * sy["S"])
            queries.append(f"{m}: " + _unsat(facts, goal, f"W_{m}(grad f) [{policy}]"))
        return f"grad f = T(U_{policy}(J f))", "; ".join(queries)
    return check


def a10_meaning_obligation(n: int = 2, k: int = 2) -> Callable[[], tuple[str, str]]:
    """A10 (meaning) by composition, for f : ℝⁿ → ℝᵏ with value v(x̄) (undefined functions),
    every checkpoint policy: A4 gives J f's tangent Σⱼ ∂ⱼvᵢ·ẋⱼ (sympy's derivatives); A6
    and A2 give f.jvp.lin(t(x̄) ; ẋ) = L(t(x̄))·ẋ equal to it for every ẋ, so each entry
    L_ij(t(x̄)) is the coefficient ∂ⱼvᵢ (read off by sympy, not assumed); A8 gives
    f.jvp.lin.T(t ; c̄) = L(t)ᵀ·c̄ the same way.  Obligation: grad f(x̄) = f.jvp.lin.T(t(x̄);
    1̄) minus ∇ Σᵢ vᵢ reduces to the literal 0."""
    def check() -> tuple[str, str]:
        xs = sympy.symbols(f"x0:{n}", real=True)
        dx, cs, bs = (sympy.symbols(f"{p}0:{m}", real=True)
                      for p, m in (("dx", n), ("c", k), ("b", n)))
        v = [hole_function(f"v{i}")(*xs) for i in range(k)]
        tape = [hole_function(f"t{j}")(*xs) for j in range(n)]
        L = [[hole_function(f"L{i}_{j}")(*tape) for j in range(n)] for i in range(k)]
        tangent = [sum((sympy.diff(v[i], x) * d for x, d in zip(xs, dx)), sympy.Integer(0))
                   for i in range(k)]                                            # A4
        entry = {}
        for i in range(k):                                                       # A6, A2
            ident = sympy.expand(sum((L[i][j] * dx[j] for j in range(n)), sympy.Integer(0))
                                 - tangent[i])
            for j in range(n):
                (sol,) = sympy.solve(ident.coeff(dx[j]), L[i][j])
                entry[L[i][j]] = sol
        adj = sympy.expand(sum((cs[i] * L[i][j] * dx[j] for i in range(k) for j in range(n)),
                               sympy.Integer(0)) - sum((b * d for b, d in zip(bs, dx)),
                                                       sympy.Integer(0)))       # A8
        back = [sympy.solve(adj.coeff(dx[j]), bs[j])[0] for j in range(n)]
        grad = [b.subs(entry).subs({c: 1 for c in cs}) for b in back]
        for j, g in enumerate(grad):
            _zero(g - sympy.diff(sum(v, sympy.Integer(0)), xs[j]), "grad f vs ∇ Σ vᵢ")
        return "grad f = T(U(J f))", f"f.jvp.lin.T(t(x); 1) = {grad} ≡ ∇ Σᵢ vᵢ"
    return check


def composition_schemas() -> list[Schema]:
    """A composed theorem is about any non-linear f: one instance per checkpoint policy,
    f's body a hole (its cases are those of the theorems it composes)."""
    f = _fun("f", (X,), (), H("f", [X]))
    return [Schema(f"composition [{p}]", f, False) for p in A10_STATED]


# --- U on a let-spine unit (A6, A7) ---------------------------------------------------------

W_ = ("w", REAL)


def unit_schemas() -> list[Schema]:
    """A6/A7's induction unit (U flattens let-spines and decides checkpoints over the
    whole chain): every instance C(H̄) of `schemas()` as the bound of one let followed by
    a linear hole ?k standing for the rest of the chain,
        f(x̄ ; ȳ, w) = let (r̄ ; s̄) = C(H̄) in let (; v) = r0 *. w in ?k[r̄, x̄ ; s̄, ȳ', v]
                    : (real ; real),
    ȳ' the linear parameters C(H̄) leaves unused: ?k's linear half reads every result
    and parameter, so each checkpoint policy must store or recompute C(H̄)'s bindings;
    the scale by C(H̄)'s first result r0 (when it is a real; else ?k reads w) puts r0 in
    the linear half itself, so U copies the renaming that binds it into both halves."""
    out = []
    for s in schemas():
        f, e = s.f, s.f.body
        rs = tuple((f"r{i}", t) for i, t in enumerate(f.nl_results))
        ss = tuple((f"s{i}", t) for i, t in enumerate(f.lin_results))
        used = free_vars(e)[1]
        scaled = bool(rs) and rs[0][1] == REAL
        lin = ss + tuple(p for p in f.lin_params if p[0] not in used) + ((("v", REAL),) if scaled
                                                                         else (W_,))
        rest: Expr = H("k", rs + f.nl_params, lin, (REAL,), (REAL,))
        if scaled:
            rest = Let((), ("v",), LScale(Var("r0"), LVar("w")), rest)
        body = Let(tuple(x for x, _ in rs), tuple(y for y, _ in ss), e, rest)
        out.append(Schema(s.constructor, _fun("f", f.nl_params, f.lin_params + (W_,), body,
                                              s.program.funcs[:-1]), s.linear))
    return out


def _tape(h: str, xs: list) -> list:
    """t_h(x̄): the tape ?h.nonlin writes, one undefined function per real of x̄
    (`unzip.hole_tape`: the tape has the type of ?h's non-linear inputs)."""
    return [hole_function(f"{h}_t{k}")(*xs) for k in range(len(xs))]


def _through(h: str, tape: list, ys: list, lin_results: tuple[Type, ...]) -> tuple:
    """L_h(tape)·ȳ shaped like lin_results."""
    rows = len(flat(unflat(lin_results, iter(range(10**6)))))
    return unflat(lin_results, iter([sum((_entry(h, i, j, tape) * y for j, y in enumerate(ys)),
                                         sympy.Integer(0)) for i in range(rows)]))


def unzip_meanings(p: Program) -> dict[str, Callable]:
    """U's IH: a linear hole ?h means (h(x̄) ; L_h(t_h(x̄))·ȳ) — its linear part factors
    through its tape —, ?h.nonlin[x̄] means (h(x̄), t_h(x̄)) and ?h.lin[tape ; ȳ] means
    L_h(tape)·ȳ, all undefined functions; a non-linear hole means h(x̄)."""
    def source(h: Hole) -> Callable:
        def run(nl: tuple, lin: tuple) -> tuple:
            xs = flat(nl)
            return meaning(h)(nl, ())[0], _through(h.name, _tape(h.name, xs), flat(lin),
                                                   h.lin_results)
        return run

    def nonlin(h: Hole, base: str) -> Callable:
        def run(nl: tuple, lin: tuple) -> tuple:
            xs = flat(nl)
            vals = _components(base, h.nl_results[:-1], xs)
            return unflat(h.nl_results, iter(vals + _tape(base, xs))), ()
        return run

    def linear(h: Hole, base: str) -> Callable:
        return lambda nl, lin: ((), _through(base, flat(nl), flat(lin), h.lin_results))

    out: dict[str, Callable] = {}
    for h in _holes(p).values():
        if h.name.endswith(".nonlin"):
            out[h.name] = nonlin(h, h.name.removesuffix(".nonlin"))
        elif h.name.endswith(".lin"):
            out[h.name] = linear(h, h.name.removesuffix(".lin"))
        else:
            out[h.name] = source(h) if h.lin or h.lin_results else meaning(h)
    return out


def a6_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """A6 on a let-spine unit, for every checkpoint policy π of `checkers.policies`: U_π's
    output type-checks given the holes' axioms, f.nonlin : (x̄ ;) -> (τ̄', t̄ ;) and
    f.lin : (t̄ ; ȳ) -> (; σ̄') for the tape t̄ U reports, and
    let (r̄, tape ;) = f.nonlin(x̄ ;) in f.lin(tape ; ȳ) − f(x̄ ; ȳ) reduces to 0 with the
    holes by U's IH (`unzip_meanings`); side conditions derived from the source's."""
    def check() -> tuple[str, str]:
        f = s.f
        xs, ys = _symbols(f.nl_params), _symbols(f.lin_params, "d_")
        src = SympyNumbers()
        nl, lin = Evaluator(s.program, src, holes=unzip_meanings(s.program)).call("f", xs, ys)
        outputs = []
        for name, policy in POLICIES.items():
            u = unzip_program(s.program, "f", policy)
            check_program(u.program)
            n, l, tape = u.program.get("f.nonlin"), u.program.get("f.lin"), u.info["f"].tape
            types = lambda ps: tuple(t for _, t in ps)  # noqa: E731
            got = (types(n.nl_params), n.lin_params, n.nl_results, n.lin_results,
                   types(l.nl_params), types(l.lin_params), l.nl_results, l.lin_results)
            want = (types(f.nl_params), (), f.nl_results + types(tape), (),
                    types(tape), types(f.lin_params), (), f.lin_results)
            assert got == want, f"U[{name}]'s judgements: {got}, expected {want}"
            out = SympyNumbers()
            ev = Evaluator(u.program, out, holes=unzip_meanings(u.program))
            r = ev.call(n.name, xs, ())[0]
            k = len(f.nl_results)
            back = ev.call(l.name, r[k:], ys)[1]
            for a, b in zip(flat(r[:k]) + flat(back), flat(nl) + flat(lin), strict=True):
                _zero(a - b, f"U[{name}]: f.lin ∘ f.nonlin vs f")
            _derived(out.conditions, src.conditions)
            outputs.append(f"[{name}]\n{pretty_fun(n)}\n{pretty_fun(l)}")
        free = "; ".join(f"[{p}] " + copies_compute_nothing(s, p) for p in A7E_STATED)
        return "\n".join(outputs), (f"for π in {list(POLICIES)}: f.lin ∘ f.nonlin − f ≡ 0 at "
                                    f"({flat(nl)} ; {flat(lin)}); {free}")
    return check


def _spine(e: Expr) -> list[Binding]:
    """The non-linear bindings along e's let-spine (`let (x̄;) = e'`, `let tup(x̄) = t`)."""
    out = []
    while isinstance(e, (Let, UnpackTup)):
        if isinstance(e, UnpackTup):
            out.append(Binding(e.names, tup=e.tup))
        elif not e.lin:
            out.append(Binding(e.nl, e.bound))
        e = e.body
    return out


def _copies(up: Program, func: str) -> list[Binding]:
    """The non-linear bindings U put in both halves of func: found in both spines."""
    n = _spine(up.get(nonlin_name(func)).body)
    return [b for b in _spine(up.get(lin_name(func)).body) if b in n]


def _binding_work(up: Program, typing, model, w: dict, b: Binding) -> Any:
    """W_m(b) of a binding of U's output, by the real W (`work._Work` on
    `let b in ()`: the binding's own work, holes' by their symbols w)."""
    return _Work(up, typing, model, w).w(b.wrap(UNIT))


def _extra(src: Program, up: Program, func: str, W: Callable[[Binding], Any],
           e: dict) -> Any:
    """E(f), computed from U's output, not from U's report (`UnzipInfo.recomputed`): the
    work W(b) of the bindings found in both halves' spines (`_copies`), plus each split
    hole's own extra work E_h, plus E(g) per call g(…) (g's halves run once per call)."""
    total: Any = sum((W(b) for b in _copies(up, func)), 0)
    for t in subterms(src.get(func).body):
        match t:
            case Hole(h) if h in e:
                total += e[h]
            case Call(g):
                total += _extra(src, up, g, W, e)
    return total


def _is_split(h: Hole) -> bool:
    """U splits a hole with linear inputs or results into ?h.nonlin and ?h.lin."""
    return bool(h.lin or h.lin_results)


def _a7_terms(s: Schema, policy, m: str) -> tuple[list, Any, Any, Any, dict, dict]:
    """U_π on a unit under cost model m: (IH, W(f.nonlin) + W(f.lin), W(f), E_π(f), the
    holes' works, the split holes' extras).  IH: works and extras integer symbols ≥ 0,
    W(?h.nonlin) + W(?h.lin) = W(?h) + E_h for a split hole ?h."""
    split = {h for h, hh in _holes(s.program).items() if _is_split(hh)}
    up = unzip_program(s.program, "f", policy).program
    typing, model = check_program(up), MODELS[m]
    w = {h: z3.Int(f"W_{m}({h})") for h in _holes(up) | _holes(s.program)}
    e = {h: z3.Int(f"E_{m}({h})") for h in split}
    ih = [v >= 0 for v in (*w.values(), *e.values())]
    ih += [w[nonlin_name(h)] + w[lin_name(h)] == w[h] + e[h] for h in split]

    def W(g: str) -> Any:
        return work(up, g, model, typing, holes=w)
    halves = W("f.nonlin") + W("f.lin")
    extra = _extra(s.program, up, "f", lambda b: _binding_work(up, typing, model, w, b), e)
    return ih, halves, work(s.program, "f", model, holes=w), extra, w, e


def copies_compute_nothing(s: Schema, policy: str) -> str:
    """What A6, A7 and A7.E rely on for U's spliced renamings: under `policy` (one whose
    stated E is 0), every binding U put in both halves of f or of a function f calls
    (`_copies`, read off U's output) does no work, W_m(b) = 0 for every cost model m by
    the real W, holes' works integer symbols ≥ 0: z3 `unsat` of IH ∧ ¬(W_m(b) = 0)."""
    up = unzip_program(s.program, "f", POLICIES[policy]).program
    typing, queries = check_program(up), []
    copies = [b for g in s.program.funcs for b in _copies(up, g.name)]
    for m, model in MODELS.items():
        w = {h: z3.Int(f"W_{m}({h})") for h in _holes(up)}
        goal = z3.And([z3.IntVal(0) + _binding_work(up, typing, model, w, b) == 0
                       for b in copies])
        queries.append(f"{m}: " + _unsat([v >= 0 for v in w.values()], goal,
                                         f"U[{policy}] copies a binding that computes"))
    return f"{len(copies)} copies in both halves, W = 0 ({'; '.join(queries)})"


def a7_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """A7 on a let-spine unit, for every policy π and cost model m:
    W_m(f.nonlin) + W_m(f.lin) = W_m(f) + E_π(f) (`_extra`, independent of U's report),
    holes' work integer symbols ≥ 0 with U's IH for a split hole:
    W(?h.nonlin) + W(?h.lin) = W(?h) + E_h, E_h ≥ 0; z3 `unsat` of IH ∧ ¬equation (the
    difference of its sides printed after z3's `simplify`)."""
    def check() -> tuple[str, str]:
        queries = []
        for name, policy in POLICIES.items():
            for m in MODELS:
                ih, halves, wf, extra, _, _ = _a7_terms(s, policy, m)
                goal = z3.simplify(z3.IntVal(0) + halves - wf - extra) == 0
                queries.append(f"{name}/{m}: " + _unsat(ih, goal, f"U[{name}]'s work ({m})"))
        queries += [f"[{p}] " + copies_compute_nothing(s, p) for p in A7E_STATED]
        return "(U's halves: see A6)", "; ".join(queries)
    return check


# A7.E, stated: the extra work E_π(f) of U is 0 under store (nothing is computed twice).
# No constant e exists for recompute: f.lin re-runs g.nonlin for a call g and g.lin
# re-runs g's callees' again, so E grows with the depth of nested calls times their work
# (refuted on a concrete family: proofs/test_induction_work.py).
A7E_STATED = {"store": 0}


def a7e_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """A7.E on a let-spine unit, every policy π of A7E_STATED (store) and model m:
    E_π(f) ≤ e_π·W_m(f), IH A7's and E_h ≤ e_π·W_m(?h): z3 `unsat`; and every binding U
    copies into both halves computes nothing (`copies_compute_nothing`)."""
    def check() -> tuple[str, str]:
        queries = []
        for name, k in A7E_STATED.items():
            for m in MODELS:
                ih, _, wf, extra, w, e = _a7_terms(s, POLICIES[name], m)
                ih += [e[h] <= k * w[h] for h in e]
                goal = z3.IntVal(0) + extra <= k * wf
                queries.append(f"{name}/{m}: " + _unsat(ih, goal, f"E_{name} ({m})"))
            queries.append(f"[{name}] " + copies_compute_nothing(s, name))
        return "(U's halves: see A6)", "; ".join(queries)
    return check


# --- A11 for U: the flattening, the split, the composition ---------------------------------
#
# ‖·‖ with calls unfolded admits no constant for U under any policy: with nested calls
# g_i = sin(g_{i−1}(x)), the tape of g_i.jvp carries every callee's tape, which each
# level returns again (store: ‖f.jvp.nonlin‖ = Θ(d²) at depth d), and recompute re-runs
# every callee's non-linear half in f.lin at every level (proofs/test_A11_size.py
# measures both).  What holds, and is proved here, is the *local* statement: ‖·‖ₗ is ‖·‖
# with a call site counted as 1 + its arguments' reals (callee not unfolded), and
# τ(f) = Σ over f's call sites g(…) of g's tape in reals:
#     ‖f.nonlin‖ₗ + ‖f.lin‖ₗ ≤ c_U·‖f‖ₗ + d·τ(f)        for every checkpoint policy.
# Proof, three parts (U = the flattening `_Unzip.u`, then `checkpoint`, then assembly):
#  A11.U.raw    induction over u's own cases (one per constructor: a hole stands for what
#               u treats as a unit, a subterm it flattens): R(e) + p·‖r̄‖ ≤ c·‖e‖ₗ + d·τ(e),
#               R(e) = Σ_{b ∈ B(e)} κ_π(b) + ‖L(e)‖ₗ (0 for the unit L).
#  A11.U.split  what checkpoint and the assembly of the halves make of (B, r̄, L):
#               ‖f.nonlin‖ₗ + ‖f.lin‖ₗ ≤ Σ_B κ_π(b) + ‖L‖ₗ + 2 + ‖r̄‖ + 3‖Γ‖ + ‖Δ‖.
#  A11.U        the two composed (z3, one query per policy).
# κ_π(b), a binding's share of both halves: a binding the policy may copy into f.lin
# (a renaming `(x̄;) = (ȳ;)`, or one π recomputes) is at most twice in the halves, each
# with a discard of its unused names; any other is in f.nonlin once with one discard; a
# named binding's names may be on the tape (returned by f.nonlin, taken by f.lin):
#     κ_π(b) = 2‖b‖ + 6 + 2‖x̄‖ (copyable), ‖b‖ + 3 + 2‖x̄‖ (named), ‖b‖ (no names).
# Stated per policy: c, p (slack per result real, the IH's generalisation) and d of
# A11.U.raw; c_U = c + 2 of A11.U (the split's 2 + ‖r̄‖ + 3‖Γ‖ + ‖Δ‖, paid by ‖f‖ₗ ≥ 1 +
# ‖Γ‖ + ‖Δ‖ and p ≥ 1).  d per tape real: store keeps a callee's tape names in the call's
# binding (‖b‖ and κ's 2‖x̄‖) and passes them to g.lin (4); under recompute a callee's
# tape is its non-linear parameters, paid by the call site's arguments (0).
A11U_STATED = {"store": {"c": 11, "p": 3, "d": 4, "c_U": 13},
               "recompute": {"c": 19, "p": 5, "d": 0, "c_U": 21},
               "sin-cos": {"c": 19, "p": 3, "d": 4, "c_U": 21}}


def _copyable(policy: str) -> Callable[[Binding], bool]:
    """May π put b in both halves?  A renaming always; otherwise as π's predicate says."""
    recompute = recompute_predicate(POLICIES[policy])
    return lambda b: (b.tup is None and isinstance(b.expr, Ret)) or recompute(b)


def _local(p: Program, func: str, S: dict, typing=None) -> Any:
    """‖func‖ₗ: ‖func‖ (`measure.struct`) less each call site's callee, unfolded there
    (`typing`: p's, when already checked)."""
    st = _Struct(p, typing or check_program(p), S)
    calls = [t.func for t in subterms(p.get(func).body) if isinstance(t, Call)]
    return st.func(func) - sum((st.func(g) for g in calls), 0)


@dataclass
class _Flat:
    """U's flattening of a schema's body: u(e) = (B, r̄, L), as `unzip_fun` computes it,
    with U's program (for the callees' halves) and the variable types U recorded."""

    out: list[Binding]
    results: tuple[str, ...]
    lin: Expr
    types: dict[str, Type]
    up: Program
    info: dict  # callee ↦ its `UnzipInfo`

    @functools.cached_property
    def typing(self):
        return check_program(self.up)


def _flatten(s: Schema, policy: str) -> _Flat:
    up = unzip_program(s.program, "f", POLICIES[policy])
    f = freshen(s.f)
    uz = _Unzip(f, up.info, {g.name: g for g in s.program.funcs})
    r, lin = uz.u(f.body)
    return _Flat(uz.out, r, lin, uz.types, up.program, up.info)


def _binding_size(fl: _Flat, b: Binding, S: dict) -> Any:
    """‖let b in …‖ₗ without the body: 1 + ‖x̄‖ + ‖e‖ₗ, or 1 + 2‖t‖ for `let tup(x̄) = t`."""
    if b.tup is not None:
        return 1 + 2 * n_reals(fl.types[b.tup])
    st = _Struct(fl.up, fl.typing, S)
    callee = st.func(b.expr.func) if isinstance(b.expr, Call) else 0
    return 1 + k_of(fl.types[x] for x in b.names) + st.e(b.expr, fl.types) - callee


def _kappa(fl: _Flat, b: Binding, S: dict, copyable: Callable[[Binding], bool]) -> Any:
    """κ_π(b) (stated above)."""
    size, names = _binding_size(fl, b, S), k_of(fl.types[x] for x in b.names)
    if not b.names:
        return size
    return 2 * size + 6 + 2 * names if copyable(b) else size + 3 + 2 * names


def _lin_size(s: Schema, fl: _Flat, S: dict) -> Any:
    """‖L‖ₗ, 0 for the unit L: L as the body of a function of its free non-linear names
    and f's linear parameters, measured by `measure.struct` on U's program."""
    if fl.lin == UNIT:
        return 0
    nl = tuple((x, fl.types[x]) for x in sorted(free_vars(fl.lin)[0]))
    g = FunDef("f.L", nl, s.f.lin_params, (), s.f.lin_results, fl.lin)
    return _local(Program(fl.up.funcs + (g,)), "f.L", S) - k_of(t for _, t in nl + s.f.lin_params)


def _tau(p: Program, func: str, info: dict) -> int:
    """τ(func) without holes: Σ over its call sites g(…) of g's tape in reals."""
    return sum(info[t.func].tape_reals for t in subterms(p.get(func).body) if isinstance(t, Call))


@dataclass
class _RawTerms:
    """A11.U.raw's query for one schema and policy, before the constants: the holes of
    C's body (not its callees'), their symbols ‖h‖ₗ, Q_h, Λ_h, τ_h, the axioms, and
    R(C(H̄)), ‖C(H̄)‖ₗ, τ(C(H̄)), ‖r̄‖ as z3 terms."""

    holes: dict[str, Hole]
    S: dict
    Q: dict
    Lam: dict
    tau: dict
    axioms: list
    R: Any
    size: Any
    t: Any
    r: int

    def query(self, k: dict) -> tuple[list, Any]:
        """(IH, goal) for the constants k = {c, p, d}."""
        ih = self.axioms + [self.Q[h] + self.Lam[h] + k["p"] * k_of(hh.nl_results)
                            <= k["c"] * self.S[h] + k["d"] * self.tau[h]
                            for h, hh in self.holes.items()]
        return ih, z3.IntVal(0) + self.R + k["p"] * self.r <= k["c"] * self.size + k["d"] * self.t


def a11u_raw_terms(s: Schema, policy: str) -> _RawTerms:
    """A hole ?h stands for a subterm that u flattens into its bindings B_h (spliced into
    C's list), results r̄_h and linear part L_h: u's binding for ?h (`?h.nonlin`, or the
    whole non-linear ?h) counts Q_h = Σ_{B_h} κ_π, `?h.lin` counts Λ_h = ‖L_h‖ₗ; a
    non-linear ?h, for which u emits the unit L while L_h may not be one (a call
    inside), adds Λ_h + 1 (the `let (;) = L_h in …` u's glue would add: the glue only
    adds for a non-unit L, so this count bounds the real one)."""
    holes = {t.name: t for t in subterms(s.f.body) if isinstance(t, Hole)}
    fl = _flatten(s, policy)
    Q, Lam, tau = ({h: z3.Int(f"{x}({h})") for h in holes} for x in ("Q", "Λ", "τ"))
    S = {h: z3.Int(f"‖{h}‖") for h in _holes(fl.up)}
    axioms = [v >= 1 for v in S.values()] + [v >= 0 for v in (*Q.values(), *Lam.values(),
                                                             *tau.values())]
    axioms += [S[h] >= 1 + k_of(t for _, t in hh.nl + hh.lin) for h, hh in holes.items()]
    sizes = S | {lin_name(h): Lam[h] for h in holes}
    R: Any = _lin_size(s, fl, sizes)
    for b in fl.out:
        h = b.expr.name.removesuffix(".nonlin") if isinstance(b.expr, Hole) else None
        R += Q[h] if h else _kappa(fl, b, sizes, _copyable(policy))
    R += sum((Lam[h] + 1 for h, hh in holes.items() if not _is_split(hh)), 0)
    size = _local(s.program, "f", S) - k_of(t for _, t in s.f.nl_params + s.f.lin_params)
    t = _tau(s.program, "f", fl.info) + sum(tau.values(), 0)
    R, size, t = (z3.simplify(z3.IntVal(0) + x) for x in (R, size, t))
    return _RawTerms(holes, S, Q, Lam, tau, axioms, R, size, t,
                     k_of(fl.types[x] for x in fl.results))


def a11u_schemas(wide: int = 12) -> list[Schema]:
    """A11.U.raw's instances: `schemas()`, and a call whose callee's tape is `wide` reals
    (g's body uses x `wide` times; U's tape of a hole has the type of its non-linear
    inputs), so that τ's coefficient d is needed."""
    g = FunDef("g", (X,), (Y,), (REAL,), (REAL,), H("g", [X] * wide, [Y], (REAL,), (REAL,)))
    call = Schema("Call (wide tape)", _fun("f", (X,), (Y,), Call("g", ("x",), ("y",)), (g,)), True)
    return schemas() + [call]


def a11u_raw_obligation(s: Schema, stated: dict | None = None) -> Callable[[], tuple[str, str]]:
    """A11.U.raw for C(H̄), every policy π: R(C(H̄)) + p·‖r̄‖ ≤ c·‖C(H̄)‖ₗ + d·τ(C(H̄)) on
    the real flattening u(C(H̄)) (`a11u_raw_terms`), IH for each hole ?h of C's body
    Q_h + Λ_h + p·‖r̄_h‖ ≤ c·‖h‖ₗ + d·τ_h, ‖h‖ₗ ≥ 1 + its listed occurrences, Q_h, Λ_h,
    τ_h ≥ 0: z3 `unsat` of IH ∧ ¬goal."""
    def check() -> tuple[str, str]:
        queries = []
        for name in POLICIES:
            ih, goal = a11u_raw_terms(s, name).query((stated or A11U_STATED)[name])
            queries.append(f"{name}: " + _unsat(ih, goal, f"U[{name}]'s flattening"))
        return "(U's flattening u(C(H̄)))", "; ".join(queries)
    return check


def _prefix(e: Expr, end: Expr) -> list[Binding]:
    """The bindings `unzip_fun` wrapped around `end` to make e."""
    out = []
    while e != end:
        match e:
            case UnpackTup(xs, t, body):
                out.append(Binding(xs, tup=t))
            case Let(xs, (), bound, body):
                out.append(Binding(xs, bound))
            case _:
                raise AssertionError(f"U's half is not bindings around {end}: {e}")
        e = body
    return out


def _shares(fl: _Flat, S: dict) -> list:
    """Each binding b of U's flattening B by its share of the real halves: ‖b‖ for each
    half's spine holding it, plus the discard that follows it there (`let (;) =
    drop((x̄;))` of names of b that half leaves unused), plus 2·‖x̄ ∩ tape‖ (returned by
    f.nonlin, taken by f.lin).  A spine binding that is no binding of B must be such a
    discard."""
    share: list = [0] * len(fl.out)
    tape = tuple(x for x, _ in fl.info["f"].tape)
    for half, end in ((nonlin_name("f"), Ret(fl.results + tape, ())), (lin_name("f"), fl.lin)):
        # f.lin holds no binding without names but as a discard: `checkpoint` only copies
        # bindings whose names f.lin needs (so `drop((r̄;))` there is a discard of r̄)
        free = [i for i, b in enumerate(fl.out) if half == nonlin_name("f") or b.names]
        last = None
        for sb in _prefix(fl.up.get(half).body, end):
            i = next((i for i in free if fl.out[i] == sb), None)
            if i is None:
                assert (last is not None and isinstance(sb.expr, Drop)
                        and isinstance(sb.expr.arg, Ret)
                        and set(sb.expr.arg.nl) <= set(fl.out[last].names)), \
                    f"{half}: `{sb}` is no binding of U's flattening nor a discard"
                i = last
            else:
                free.remove(i)
            share[i] += _binding_size(fl, sb, S)
            last = i
    for i, b in enumerate(fl.out):
        share[i] += 2 * k_of(fl.types[x] for x in b.names if x in tape)
    return share


def a11u_split_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """A11.U.split on a let-spine unit, every policy π: what `checkpoint` and the assembly
    of the halves make of U's flattening (B, r̄, L) of f's body, on U's real output
    (holes' sizes integer symbols ≥ 1), z3 `unsat` of the negation of
      share(b) ≤ κ_π(b) for every b ∈ B (`_shares`), and
      ‖f.nonlin‖ₗ + ‖f.lin‖ₗ = Σ_B share(b) + ‖L‖ₗ (1 for the unit L) + 1 + ‖r̄‖ + ‖Γ‖
                              + 2‖Γ ∩ tape‖ + ‖Δ‖,
    whence ‖f.nonlin‖ₗ + ‖f.lin‖ₗ ≤ Σ_B κ_π(b) + ‖L‖ₗ + 2 + ‖r̄‖ + 3‖Γ‖ + ‖Δ‖.  The
    units produce every binding kind u emits (renaming, literal, tuple, primitive, call,
    whole and split hole, drop, tuple unpacking) with its names needed by f.nonlin, by
    f.lin (the scale by r0 copies a renaming) or both; that a binding's share depends
    only on its kind and on which half needs its names when checkpoint reaches it
    (names are bound once after `freshen`) extends the units to every list."""
    def check() -> tuple[str, str]:
        f, queries = s.f, []
        for name in POLICIES:
            fl = _flatten(s, name)
            S = {h: z3.Int(f"‖{h}‖") for h in _holes(fl.up)}
            halves = _local(fl.up, nonlin_name("f"), S) + _local(fl.up, lin_name("f"), S)
            tape = {x for x, _ in fl.info["f"].tape}
            shares = _shares(fl, S)
            rest = (max(_lin_size(s, fl, S), 1) if fl.lin == UNIT else _lin_size(s, fl, S))
            rest += 1 + k_of(fl.types[x] for x in fl.results) + k_of(
                t for _, t in f.nl_params + f.lin_params) + 2 * k_of(
                t for x, t in f.nl_params if x in tape)
            goal = z3.And([z3.simplify(z3.IntVal(0) + halves)
                           == z3.simplify(z3.IntVal(0) + sum(shares, 0) + rest)]
                          + [z3.simplify(z3.IntVal(0) + sh)
                             <= z3.simplify(z3.IntVal(0) + _kappa(fl, b, S, _copyable(name)))
                             for b, sh in zip(fl.out, shares)])
            queries.append(f"{name}: " + _unsat([v >= 1 for v in S.values()], goal,
                                                f"U[{name}]'s halves"))
        return "(U's halves: see A6)", "; ".join(queries)
    return check


def a11u_obligation(policy: str, stated: dict | None = None) -> Callable[[], tuple[str, str]]:
    """A11.U by composition for policy π: A11.U.split ∧ A11.U.raw (of f's body) ∧
    ‖f‖ₗ = ‖body‖ₗ + ‖Γ‖ + ‖Δ‖, ‖body‖ₗ ≥ 1 ∧ ¬(‖f.nonlin‖ₗ + ‖f.lin‖ₗ ≤ c_U·‖f‖ₗ + d·τ)
    is z3 `unsat`, all symbols integers ≥ 0."""
    k = stated or A11U_STATED[policy]

    def check() -> tuple[str, str]:
        N, L, K, Lam, r, G, D, B, tau = z3.Ints("‖f.nonlin‖ₗ ‖f.lin‖ₗ Σκ ‖L‖ₗ ‖r̄‖ ‖Γ‖ ‖Δ‖ "
                                               "‖body‖ₗ τ")
        facts = [v >= 0 for v in (N, L, K, Lam, r, G, D, tau)] + [B >= 1]
        facts += [N + L <= K + Lam + 2 + r + 3 * G + D,                          # A11.U.split
                  K + Lam + k["p"] * r <= k["c"] * B + k["d"] * tau]              # A11.U.raw
        goal = N + L <= k["c_U"] * (B + G + D) + k["d"] * tau
        return f"f.nonlin, f.lin = U_{policy}(f)", _unsat(facts, goal, f"‖U_{policy} f‖ₗ")
    return check


# --- λLL: the same holes in both calculi (E2, E4) ------------------------------------------

TALLIES = tuple(f.name for f in fields(Counts))  # the raw work tallies of a λLL run


def _ll_hole(h: ls.Hole, m: Callable, counts: Counts) -> HoleMeaning:
    """A λLL hole by a Linear A meaning m: the reals of its Γ and Δ values, in order, are
    m's inputs, and the reals of m's results, in order, fill h's type (the encoding keeps
    a value's reals and their order); it reports `counts` as its work."""
    def run(ins: tuple, lins: tuple) -> tuple:
        xs = [r for v, (_, a) in zip(ins, h.gamma, strict=True) for r in flatten(v, a)]
        ys = [r for v, (_, a) in zip(lins, h.delta, strict=True) for r in flatten(v, a)]
        nl, lin = m(tuple(xs), tuple(ys))
        reals = iter(flat(nl) + flat(lin))
        value = fill(h.ty, reals)
        assert next(reals, None) is None, f"?{h.name} has more results than {h.ty}"
        return value, counts
    return run


def _la_name(name: str, la_names) -> str:
    """The Linear A name a λLL name spells (`encoding._Names`: `.` as `'`, then primes
    until unused): the longest whose spelling, primed k ≥ 0 times, is `name`."""
    spelt = {n: n.replace(".", "'") for n in la_names}
    fits = [n for n, c in spelt.items() if name.startswith(c) and set(name[len(c):]) <= {"'"}]
    if not fits:
        raise KeyError(f"no Linear A hole is spelt `{name}` in λLL")
    return max(fits, key=lambda n: len(spelt[n]))


def ll_meanings(p: ls.Program, source: Program,
                counts: Callable[[str], Counts]) -> dict[str, HoleMeaning]:
    """Each hole of the λLL program p by the meaning of the Linear A hole of `source` it
    images: ⟦?h⟧ (`.` spelt `'`) by ?h's own (`_meanings`: the same undefined functions),
    F's ?h'F by F's IH, which is J's: (h(x̄), Σⱼ ∂ⱼh(x̄)·ẋⱼ) with sympy's partials (F is
    stated on the non-linear fragment: Δ holds only the tangents), T_LL's ?h'F'T by
    `_reverse_hole`.  `counts(n)` is the work a hole reports, n named after its Linear A
    hole h (`h.jvp` for ?h'F, F's image being J's)."""
    la, la_holes = _meanings(source), _holes(source)
    out: dict[str, HoleMeaning] = {}
    for d in p.defs:
        for t in ls.subterms(d.body):
            if not isinstance(t, ls.Hole):
                continue
            suffix = next((x for x in ("'F'T", "'F") if t.name.endswith(x)), "")
            name = _la_name(t.name.removesuffix(suffix), la_holes)
            if suffix == "'F'T":
                out |= _reverse_hole(t, la_holes[name], name, counts)
            elif suffix == "'F":
                out[t.name] = _ll_hole(t, jvp_meaning(la_holes[name], name), counts(f"{name}.jvp"))
            else:
                out[t.name] = _ll_hole(t, la[name], counts(name))
    return out


def _reverse_hole(h: ls.Hole, src: Hole, name: str,
                  counts: Callable[[str], Counts]) -> dict[str, HoleMeaning]:
    """The IH of T_LL∘F for ?h'F'T[ū ;] : A ⊗ (A' ⊸ D̄'): (h(ū), the closure c ↦ ∂h(ū)ᵀ·c),
    ∂h sympy's partials.  The closure's body is the hole ?h'F'T'back[ū ; c] (ū captured),
    so each phase reports its own work: counts(`h'F'T`), counts(`h'F'T'back`)."""
    if not (isinstance(h.ty, ls.Tensor) and isinstance(h.ty.right, ls.Lolli)) or h.delta:
        raise OutOfFragment("E5", f"?{h.name} : {h.ty} is not T_LL's image of a non-linear hole")
    a, back = h.ty.left, h.ty.right
    body = ls.Hole(f"{h.name}'back", h.gamma, (("c", back.dom),), back.cod)

    def fwd(ins: tuple, lins: tuple) -> tuple:
        xs = [r for v, (_, t) in zip(ins, h.gamma, strict=True) for r in flatten(v, t)]
        env = None
        for (u, _), v in zip(h.gamma, ins):
            env = Env(u, v, False, env)
        vals = _components(name, src.nl_results, xs)
        return VPair(fill(a, iter(vals)), VClosure(ls.Fun("c", back.dom, body), env)), \
            counts(f"{name}'F'T")

    def bwd(ins: tuple, lins: tuple) -> tuple:
        xs = [r for v, (_, t) in zip(ins, h.gamma, strict=True) for r in flatten(v, t)]
        grads = hole_vjp(name, src.nl_results, xs, flatten(lins[0], back.dom))
        return fill(back.cod, iter(grads)), counts(f"{name}'F'T'back")
    return {h.name: fwd, body.name: bwd}


def hole_vjp(name: str, results: tuple[Type, ...], xs: list, cs: list) -> list:
    """∂h(x̄)ᵀ·c̄ for the hole ?name with these result types: sympy's partials (`fdiff`)."""
    rows = _jacobian(_components(name, results, xs), xs)
    return [sum((c * row[j] for c, row in zip(cs, rows, strict=True)), sympy.Integer(0))
            for j in range(len(xs))]


def _tallies(name: str) -> Counts:
    """E4's IH on work: ⟦?h.jvp⟧ and ?h'F (both passed as `h.jvp`) report the same
    tallies, integer symbols."""
    return Counts(**{k: z3.Int(f"{k}({name})") for k in TALLIES})


def e4_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """E4: ⟦J(C(H̄))⟧ ≃ F⟦C(H̄)⟧.  Values: both sides, applied to symbolic x̄ and ẋ̄, equal
    (v, Σᵢ ∂v/∂xᵢ·ẋᵢ), v the Linear A value of C(H̄) and the tangent sympy's chain rule
    (the independent oracle: a wrong PARTIALS entry, shared by J and F, fails); holes
    h(x̄), ⟦?h.jvp⟧ and ?h'F by (h(x̄), Σⱼ ∂ⱼh·ẋⱼ); both runs instrumented, their side
    conditions derived from the source's.  Work: the two runs' tallies (`Counts`, so
    every cost model) are equal given the IH that ⟦?h.jvp⟧'s and ?h'F's are (z3 `unsat`)."""
    def check() -> tuple[str, str]:
        f = s.f
        jp = jvp_program(s.program, "f")
        jf = jp.get(jvp_name("f"))
        jenc, jnames = encode_program(jp)
        enc, names = encode_program(s.program)
        fw = forward_program(enc)
        lt.check_program(fw)
        xs, dxs = _symbols(f.nl_params), _symbols(f.nl_params, "d_")
        src, nj, nf = SympyNumbers(), SympyNumbers(), SympyNumbers()
        v = Evaluator(s.program, src, holes=_meanings(s.program)).call("f", xs, ())[0]
        want = flat(v) + _chain(v, xs, dxs)
        rj = run_encoded(jenc, jnames[jf.name], jf, xs, dxs, nums=nj, instrumented=True,
                         holes=ll_meanings(jenc, jp, _tallies))
        fname = f_name(names["f"])
        term, env, lin = application(fname, primal_args(f, xs) + tangent_args(f, dxs))
        rf = evaluate_in(fw, term, env, lin, "symbolic", instrumented=True, nums=nf,
                         holes=ll_meanings(fw, s.program, _tallies))
        r = enc_result(f.nl_results, ())
        for side, res, ty, nums in (("⟦J f⟧", rj, enc_result(f.nl_results, f.nl_results), nj),
                                    ("F⟦f⟧", rf, ls.Tensor(r, tangent(r)), nf)):
            for a, b in zip(flatten(res.value, ty), want, strict=True):
                _zero(a - b, f"{side} vs (v, Σ ∂v/∂x·ẋ)")
            _derived(nums.conditions, src.conditions)
        same = z3.And([z3.simplify(z3.IntVal(0) + getattr(rj.counts, k) - getattr(rf.counts, k))
                       == 0 for k in TALLIES])
        query = (f"⟦J f⟧ ≡ F⟦f⟧ ≡ (v, Σ ∂v/∂x·ẋ) = {want}; work: "
                 + _unsat([], same, "the work tallies of ⟦J f⟧ and F⟦f⟧ differ"))
        return f"def {fname} = {ls.pretty(fw.lookup(fname).body)}", query
    return check


def e5_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """E5 (work): workload(grad_LL f) ≤ W(T(U(J f))) = W(f.jvp.nonlin) + W(f.jvp.lin.T)
    (store policy) under every cost model, for C(H̄): z3 `unsat` of IH ∧ ¬bound, holes'
    tallies and work integer symbols ≥ 0, IH the statement on each hole (the tallies of
    ?h'F'T and of its back closure, priced by the model, ≤ W(?h.jvp.nonlin) +
    W(?h.jvp.lin.T)) and, for a hole both sides leave primal (under drop), E3's
    workload(⟦?h⟧) ≤ W(?h) (a lemma: E3, proved by `e3_obligation`).  Values on the way (grad_LL's, not T∘U∘J's): primal = v and
    gradient = Σᵢ ∇vᵢ by sympy's derivatives (the independent oracle: a wrong PARTIALS
    entry fails), side conditions derived from the source's."""
    def check() -> tuple[str, str]:
        f = s.f
        b = build(s.program, "f")
        lt.check_program(b.program)
        rev = reverse(s.program, "f", "store")
        xs = _symbols(f.nl_params)
        src = SympyNumbers()
        v = Evaluator(s.program, src, holes=_meanings(s.program)).call("f", xs, ())[0]
        g = grad_ll(s.program, "f", xs, mode="symbolic", built=b,
                    holes=ll_meanings(b.program, s.program, _tallies))
        grad = [sum((sympy.diff(c, x) for c in flat(v)), sympy.Integer(0)) for x in flat(xs)]
        for a, e in zip(flat(g.primal) + flat(g.gradient), flat(v) + grad, strict=True):
            _zero(a - e, "grad_LL vs (v, Σᵢ ∇vᵢ)")
        _derived(g.conditions, src.conditions)
        queries = []
        for m, model in MODELS.items():
            w = {h: z3.Int(f"W_{m}({h})") for h in _holes(rev.program)}
            ih = [c >= 0 for c in w.values()]
            for h in _holes(s.program):
                plain = _tallies(h)  # ?h left primal (under drop) on both sides: E3's IH
                phases = (_tallies(f"{h}'F'T"), _tallies(f"{h}'F'T'back"))
                ih += [getattr(c, k) >= 0 for c in (plain, *phases) for k in TALLIES]
                if h in w:
                    ih.append(plain.workload(model) <= w[h])
                nonlin, back = nonlin_name(jvp_name(h)), t_name(lin_name(jvp_name(h)))
                if nonlin in w and back in w:
                    ih.append(sum(c.workload(model) for c in phases) <= w[nonlin] + w[back])
            bound = (work(rev.program, rev.nonlin, model, holes=w)
                     + work(rev.program, rev.backward, model, holes=w))
            goal = z3.simplify(z3.IntVal(0) + g.workload[m]) <= z3.simplify(z3.IntVal(0) + bound)
            queries.append(f"{m}: " + _unsat(ih, goal, f"workload(grad_LL f) ({m})"))
        return (f"def {b.name} = {ls.pretty(b.program.lookup(b.name).body)}",
                f"grad_LL ≡ (v, Σᵢ ∇vᵢ) for v = {flat(v)}; " + "; ".join(queries))
    return check


def e2_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """E2: the λLL value of ⟦C(H̄)⟧(x̄ ; ȳ) is the encoding of C(H̄)'s Linear A value, each
    ⟦?h⟧ meaning the same functions as ?h (h(x̄), M_h(x̄)·ȳ for a linear hole); the λLL
    run is instrumented (each linear value consumed once) and its side conditions are
    derived from the source's."""
    def check() -> tuple[str, str]:
        f = s.f
        enc, names = encode_program(s.program)
        xs, ys = _symbols(f.nl_params), _symbols(f.lin_params, "d_")
        src, out = SympyNumbers(), SympyNumbers()
        nl, lin = Evaluator(s.program, src, holes=_meanings(s.program)).call("f", xs, ys)
        r = run_encoded(enc, names["f"], f, xs, ys, nums=out, instrumented=True,
                        holes=ll_meanings(enc, s.program, lambda h: Counts()))
        ty = enc_result(f.nl_results, f.lin_results)
        want = flatten(enc_result_value(nl, lin, f.nl_results, f.lin_results), ty)
        for a, b in zip(flatten(r.value, ty), want, strict=True):
            _zero(a - b, "⟦f⟧ vs the encoding of f's value")
        _derived(out.conditions, src.conditions)
        d = enc.lookup(names["f"])
        return (f"def {d.name} = {ls.pretty(d.body)}",
                f"⟦f⟧(x̄ ; ȳ) − ⟦(v̄ ; w̄)⟧°• ≡ 0 for (v̄ ; w̄) = ({nl} ; {lin})")
    return check


def e3_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """E3: workload_m(⟦C(H̄)⟧) = W_m(C(H̄)) for every cost model m, and steps(⟦C(H̄)⟧) ≤
    K·‖C(H̄)‖ (E3's ‖·‖, `encoding_steps`).  IH: ⟦?h⟧ reports integer tallies ≥ 0 whose
    price under m is W_m(?h), and takes σ_h ≤ K·‖?h‖ steps.  The λLL evaluator counts no
    step inside a hole, so the run's count must be the table's prediction with every
    hole's row (0, ‖?h‖) — the constructor's row is exact — and the steps of ⟦C(H̄)⟧ are
    that count plus each hole's σ_h (the table with rows (σ_h, ‖?h‖)); z3 `unsat` of
    IH ∧ ¬equation per model and of IH ∧ ¬bound."""
    def check() -> tuple[str, str]:
        f = s.f
        enc, names = encode_program(s.program)
        xs, ys = _symbols(f.nl_params), _symbols(f.lin_params, "d_")
        r = run_encoded(enc, names["f"], f, xs, ys, nums=SympyNumbers(),
                        holes=ll_meanings(enc, s.program, _tallies))
        holes = _holes(s.program)
        ih = [getattr(_tallies(h), k) >= 0 for h in holes for k in TALLIES]
        queries = []
        for m, model in MODELS.items():
            w = {h: z3.Int(f"W_{m}({h})") for h in holes}
            ih_m = ih + [_tallies(h).workload(model) == w[h] for h in holes]
            goal = z3.IntVal(0) + r.workload(model) == work(s.program, "f", model, holes=w)
            queries.append(f"{m}: " + _unsat(ih_m, goal, f"workload_{m}(⟦f⟧) ≠ W_{m}(f)"))
        size = {h: z3.Int(f"‖{h}‖_E3") for h in holes}
        own, _ = predicted_steps(s.program, "f", holes={h: (0, size[h]) for h in holes})
        assert r.steps == own, f"steps of ⟦f⟧ around its holes: {r.steps}, the table says {own}"
        sigma = {h: z3.Int(f"steps({h})") for h in holes}
        steps, omega = predicted_steps(s.program, "f", holes={h: (sigma[h], size[h]) for h in holes})
        ih_s = [c for h in holes for c in (size[h] >= 1, sigma[h] >= 0, sigma[h] <= K * size[h])]
        queries.append(f"steps = {r.steps} + Σ σ_h: " + _unsat(ih_s, z3.IntVal(0) + steps <= K * omega,
                                                             "steps(⟦f⟧) > K·‖f‖"))
        d = enc.lookup(names["f"])
        return f"def {d.name} = {ls.pretty(d.body)}", "; ".join(queries)
    return check


# A5 (arithmetic model), stated before any measurement: J's work per application of op
# is cost(op) for z = op(ā), plus the work of each partial ∂ᵢ and one *. per argument
# whose partial is not One (one /. and no reciprocal for a partial 1/q: div's ∂x, log's),
# plus one +. per extra argument (PARTIALS, read as a rule).
A5_STATED: dict[Op, int] = {Op.ADD: 2, Op.SUB: 3, Op.MUL: 4, Op.DIV: 6, Op.NEG: 2,
                            Op.SIN: 3, Op.COS: 4, Op.EXP: 2, Op.LOG: 2,
                            # sqrt: z, 1/2 / z, *.; tanh: z, 1 − z² (2), *.
                            Op.SQRT: 3, Op.TANH: 4,
                            # x^k: z, then 0 *., (none), 2·x *., k·x^(k−1) *. (2 + 1)
                            PowI(0): 2, PowI(1): 1, PowI(2): 3, PowI(3): 4,
                            PowI(-1): 4, PowI(-2): 4}
A5_STRUCT = 0  # d_J: in the arithmetic model dup, drop and zero are free


def _op_counts(p: Program, e: Expr, holes: dict[str, dict[Op, Any]]) -> dict[Op, Any]:
    """n_op of e (calls unfolded), each hole ?h counting the symbols holes[h]."""
    out: dict[Op, Any] = {op: 0 for op in OPS}
    for s in subterms(e):
        extra = {}
        match s:
            case Prim(op):
                extra = {representative(op): 1}
            case Hole(h):
                extra = holes[h]
            case Call(g):
                extra = _op_counts(p, p.get(g).body, holes)
        for op, n in extra.items():
            out[op] = out[op] + n
    return out


# The symmetric model, stated in the generalised form the induction needs (the IH is the
# statement on a hole's closed function, one parameter per occurrence; module docstring):
#   W_sym(J f) + p·‖x̄‖ ≤ Σ_op c_op·n_op(f) + d·(‖f‖ − ‖x̄‖)     (‖x̄‖: reals of f's parameters)
# with c_op = A5_STATED, d = 2 (a use of x costs a dup of ẋ at x's binder, or inside drop(…)
# a drop of its copy, per real) and p = 1 (each occurrence keeps one real of slack for the
# dup its binder pays).  It implies A5's W_sym(J f) ≤ Σ c_op·n_op(f) + d·‖f‖.
A5_SYM = {"d": 2, "p": 1}
A5_ARITH = {"d": A5_STRUCT, "p": 0}
# ‖J f‖ + p·‖x̄‖ ≤ c_J·(‖f‖ − ‖x̄‖): implies ‖J f‖ ≤ c_J·‖f‖.
# p is the IH's generalisation (slack each occurrence keeps for the plumbing at its
# binder), chosen so that every case closes: p_J = 19; the theorem's constant is c.
# A11 (T) with c_T = 5 is *refuted*: ‖zero[σ]‖ = 1 whatever σ, while T(zero[σ]) drops a
# cotangent of ‖σ‖ reals (proofs/test_induction.py shows the program); not proved here.
A11_STATED = {"J": {"c": 20, "p": 19}, "T": {"c": 5, "p": 0}}
# Per primitive, what J's tangent of op adds to ‖J f‖ beyond c_J per node of f: a partial
# of 5 nodes (1 − z², k·x^(k−1)) where cos's −sin(x) has 4.  A11.J is then
#   ‖J f‖ + p·‖x̄‖ ≤ c_J·(‖f‖ − ‖x̄‖) + Σ_op e_op·n_op(f)       (e_op = 0 elsewhere).
# Keys are `representative`s: powi[3] stands for every k ≥ 3, powi[-2] for every k ≤ −2.
A11_EXCESS: dict[Op, int] = {Op.TANH: 1, PowI(3): 1, PowI(-1): 1, PowI(-2): 1}


@dataclass(frozen=True)
class Syms:
    """The integer symbols of the holes of a cost obligation (every name met in the
    source, J's or T's output: ?h, ?h.jvp, ?h.T): n_op(h), W(h) (of one cost model),
    ‖h‖."""

    n: dict[str, dict[Op, Any]]
    W: dict[str, Any]
    S: dict[str, Any]

    @classmethod
    def of(cls, names: set[str], model: str) -> "Syms":
        return cls({h: {op: z3.Int(f"n_{op.value}({h})") for op in OPS} for h in names},
                   {h: z3.Int(f"W_{model}({h})") for h in names},
                   {h: z3.Int(f"‖{h}‖") for h in names})


def hole_fun(h: Hole) -> Program:
    """def f(x̄' ; ȳ') = ?h[x̄' ; ȳ'], one parameter per listed occurrence: the closed
    function of which a cost IH is the theorem's own statement.  Sound by strong
    induction: ?h is a proper subterm, and with each occurrence its own parameter J
    and T add no prologue around it (J's dups for repeated uses are C's, at the
    binder, and C's ‖·‖ pays for them through the listed occurrences)."""
    nl = tuple((f"{x}_{i}", t) for i, (x, t) in enumerate(h.nl))
    lin = tuple((f"{y}_{i}", t) for i, (y, t) in enumerate(h.lin))
    return _fun("f", nl, lin, Hole(h.name, nl, lin, h.nl_results, h.lin_results))


Statement = Callable[[Program, Program, Syms], Any]  # (source, output, symbols) ↦ a z3 Bool


def cost_induction(transform: Callable[[Program], Program], statement: Statement,
                   model: str, out: str) -> Callable[[Schema], Callable]:
    """A cost theorem `statement` about `transform` by induction: for C(H̄), z3 `unsat` of
    IH ∧ ¬statement(C(H̄)), where the IH is `statement` on every hole's closed function
    (`hole_fun`) and the holes' axioms: n_op ≥ 0, ‖h‖ ≥ 1 + reals of its listed
    occurrences, W ≥ 0, and a non-linear hole's work Σ_op cost(op)·n_op(h) (the
    models differ only on linear operations)."""
    def make(s: Schema) -> Callable[[], tuple[str, str]]:
        def check() -> tuple[str, str]:
            tp = transform(s.program)
            holes = _holes(s.program)
            closed = {h: (hole_fun(hh), transform(hole_fun(hh))) for h, hh in holes.items()}
            names = set(holes) | set(_holes(tp))
            names |= {n for _, o in closed.values() for n in _holes(o)}
            sy = Syms.of(names, model)
            ih = [c >= 0 for h in names for c in (*sy.n[h].values(), sy.W[h])]
            for h, hh in holes.items():
                occ = hh.nl + hh.lin
                ih.append(sy.S[h] >= 1 + sum(n_reals(t) for _, t in occ))
                if not hh.lin and not hh.lin_results:
                    ih.append(sy.W[h] == _cost(sy.n[h]))
                ih.append(statement(*closed[h], sy))
            goal = statement(s.program, tp, sy)
            return pretty_fun(tp.get(out)), _unsat(ih, goal, f"{out}")
        return check
    return make


def _cost(counts: dict[Op, Any], c: Callable[[Op], int] = lambda op: PRIMS[op].cost) -> Any:
    return z3.Sum([z3.IntVal(0)] + [c(op) * n for op, n in counts.items()])


def _params(p: Program) -> int:
    """‖x̄‖: the reals of f's parameters."""
    f = p.get("f")
    return sum(n_reals(t) for _, t in f.nl_params + f.lin_params)


def a5_statement(model: str, k: dict[str, int]) -> Statement:
    """A5 (generalised): W_m(J f) + p·‖x̄‖ ≤ Σ_op c_op·n_op(f) + d·(‖f‖ − ‖x̄‖)."""
    def st(p: Program, jp: Program, sy: Syms) -> Any:
        n = _op_counts(p, p.get("f").body, sy.n)
        bound = _cost(n, A5_STATED.__getitem__) + k["d"] * (struct(p, "f", sy.S) - _params(p))
        return work(jp, jvp_name("f"), MODELS[model], holes=sy.W) + k["p"] * _params(p) <= bound
    return st


def a11_statement(x: str, out: str) -> Statement:
    """A11 (generalised): ‖X f‖ + p·‖x̄‖ ≤ c_X·(‖f‖ − ‖x̄‖) (+ Σ_op e_op·n_op(f) for J)
    for X = J, T."""
    k = A11_STATED[x]
    excess = A11_EXCESS if x == "J" else {}

    def st(p: Program, xp: Program, sy: Syms) -> Any:
        extra = _cost(_op_counts(p, p.get("f").body, sy.n), lambda op: excess.get(op, 0))
        return (struct(xp, out, sy.S) + k["p"] * _params(p)
                <= k["c"] * (struct(p, "f", sy.S) - _params(p)) + extra)
    return st


def _unsat(ih: list, goal: Any, what: str) -> str:
    """IH ∧ ¬goal is z3 `unsat` (linear integer arithmetic); `sat` is a failure with
    z3's counter-model, `unknown` (the rlimit budget) a `BudgetExceeded`."""
    solver = z3.Solver()
    solver.set("rlimit", limit("LLAD_Z3_RLIMIT"))
    solver.add(*ih, z3.Not(goal))
    r = solver.check()
    # z3's C printer (SMT-LIB): its Python printer took 0.3–1 s a query, most of the induction time
    shown = goal.sexpr() if z3.is_expr(goal) else f"({goal})"
    if r == z3.unknown:
        raise BudgetExceeded("z3", f"unknown ({solver.reason_unknown()}) on ¬{shown}",
                             limit="LLAD_Z3_RLIMIT", value=limit("LLAD_Z3_RLIMIT"))
    assert r == z3.unsat, f"{what} exceeds the stated bound: ¬{shown} at {solver.model()}"
    return f"IH ∧ ¬{shown} is unsat"


def _holes(p: Program) -> dict[str, Hole]:
    """The metavariables of p (each name once)."""
    return {h.name: h for f in p.funcs for h in subterms(f.body) if isinstance(h, Hole)}


def _lin_excess(lin_params, lin_results) -> int:
    """‖Δ‖ − ‖σ̄‖: linear reals taken in minus linear reals given out."""
    return (sum(n_reals(t) for _, t in lin_params) - sum(n_reals(t) for t in lin_results))


def _w_sym_lemma(holes: dict[str, Hole], w: dict) -> list:
    """The IH of A9's lemma for each hole: 0 ≤ W_sym(?h) and ‖Δ_h‖ − ‖σ̄_h‖ ≤ W_sym(?h)."""
    return [c for h, hh in holes.items()
            for c in (w[h] >= 0, w[h] >= _lin_excess(hh.lin, hh.lin_results))]


def a9_lemma_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """A9's lemma (the generalised IH T's drop rule needs): a linear term that takes in
    more linear reals than it gives out pays for each one in the symmetric model,
    max(0, ‖Δ‖ − ‖σ̄‖) ≤ W_sym(e) (every linear operation that merges or discards k reals
    — +., drop — costs k there); holes' work integer symbols under the same IH."""
    def check() -> tuple[str, str]:
        holes = _holes(s.program)
        w = {h: z3.Int(f"W({h})") for h in holes}
        W = work(s.program, "f", MODELS["symmetric"], holes=w)
        f = s.f
        goal = z3.And(W >= 0, W >= _lin_excess(f.lin_params, f.lin_results))
        return "(the source itself)", _unsat(_w_sym_lemma(holes, w), goal, f"W_sym(f) = {W}")
    return check


def a9_obligation(s: Schema) -> Callable[[], tuple[str, str]]:
    """A9: W_sym(T(C(H̄))) ≤ W_sym(C(H̄)), given the IH W_sym(?h.T) ≤ W_sym(?h) and the
    lemma's IH for every hole: z3 `unsat` of IH ∧ ¬bound."""
    def check() -> tuple[str, str]:
        tp = transpose_program(s.program, "f")
        holes = _holes(s.program)
        w = {h: z3.Int(f"W({h})") for h in holes} | {t_name(h): z3.Int(f"W({h}.T)") for h in holes}
        ih = _w_sym_lemma(holes, w) + [w[t_name(h)] <= w[h] for h in holes]
        sym = MODELS["symmetric"]
        Wt, Wf = work(tp, t_name("f"), sym, holes=w), work(tp, "f", sym, holes=w)
        return pretty_fun(tp.get(t_name("f"))), _unsat(ih, Wt <= Wf, f"W_sym(T f) = {Wt}")
    return check


def a9_schemas() -> list[Schema]:
    """T's instances, and a drop whose argument takes in more linear reals than it gives
    out (T's zeros for ȳ are then paid by W_sym(?h) ≥ ‖ȳ‖ − ‖σ̄_h‖: the lemma)."""
    wide = Let((), (), Drop(H("h", [X], [Y, Z, A], (REAL,), (REAL,))),
               H("h2", [X], [B], (), (REAL,)))
    return t_schemas() + [Schema("Drop (wide)", _fun("f", (X,), (Y, Z, A, B), wide), True)]


def stated_constants() -> dict[str, dict]:
    """The constants each cost theorem states (and the induction proves), by theorem id
    as T1 lists them: read from the tables above, not from any fitted JSON."""
    return {"A5": {"c_op": {op.value: c for op, c in A5_STATED.items()},
                   "d": {"arithmetic": A5_ARITH["d"], "symmetric": A5_SYM["d"]}},
            "A9": {"c": 1, "model": "symmetric"},
            "A11": {"J": A11_STATED["J"]["c"],
                    "J_excess": {op.value: e for op, e in A11_EXCESS.items()},
                    "U_local": {p: {"c": k["c_U"], "d": k["d"]} for p, k in A11U_STATED.items()}},
            "A10": {"store": A10_STATED["store"], "models": list(MODELS)},
            "E3": {"k": K}}


@dataclass(frozen=True)
class Theorem:
    """An induction theorem: its schematic instances, which are in its fragment, the
    obligation of a case in the fragment, and the pass that must reject the others."""

    calculus: str
    method: str
    instances: Callable[[], list[Schema]]
    in_fragment: Callable[[Schema], bool]
    obligation: Callable[[Schema], Callable]
    outside: Callable[[Schema], Callable] | None = None
    composes: tuple[str, ...] = ()  # a composition of these theorems, not an induction
    cases: Callable[[], list[str]] = lambda: cases()  # the constructors it inducts over


_J_REJECTS = rejects(lambda p: jvp_program(p, "f"), "J")


def _J(p: Program) -> Program:
    return jvp_program(p, "f")


def _T(p: Program) -> Program:
    return transpose_program(p, "f")


A11_T = cost_induction(_T, a11_statement("T", t_name("f")), "symmetric", t_name("f"))
_T_REJECTS = rejects(lambda p: transpose_program(p, "f"), "T")

# --- X1, X2 by induction: the extracted Python of C(H̄) with holes (`checkers.extraction`) ----------------


def grad_meanings(rev, source: Program) -> dict[str, Callable]:
    """The holes of T(U(J(C(H̄)))) (rev, a `linear_a.grad.Reverse`: those of the functions
    f.jvp.nonlin and f.jvp.lin.T reach) by sympy's own partials of the source's hole ?h
    (as E4, E5 interpret F's and T_LL's images): ?h.jvp.nonlin[x̄] ↦ (h(x̄), the tape x̄
    — U's tape of a hole has the type of its inputs, `unzip.hole_tape`),
    ?h.jvp.lin.T[tape ; c̄] ↦ ∂h(tape)ᵀ·c̄, and ?h, left primal, ↦ h(x̄)."""
    from calculus.linear_a.work import reachable
    used = set(reachable(rev.program, rev.nonlin)) | set(reachable(rev.program, rev.backward))
    src, out = _holes(source), {}
    for name in _holes(Program(tuple(g for g in rev.program.funcs if g.name in used))):
        base = name.removesuffix(".jvp.nonlin").removesuffix(".jvp.lin.T")
        h = src[base]
        if name.endswith(".jvp.nonlin"):
            out[name] = lambda nl, lin, h=h: (meaning(h)(nl, ())[0] + (tuple(nl),), ())
        elif name.endswith(".jvp.lin.T"):
            out[name] = lambda nl, lin, h=h: ((), unflat(tuple(t for _, t in h.nl), iter(
                hole_vjp(h.name, h.nl_results, flat(nl), flat(lin)))))
        else:
            out[name] = meaning(h)
    return out


def _boundary(leaves: list) -> Any:
    """A λLL value at an extracted function boundary (`calculus.extract.flat_text`)."""
    return leaves[0] if len(leaves) == 1 else tuple(leaves)


def ll_hole_functions(p, meanings: dict, charge: Callable) -> dict[str, Callable]:
    """Each hole ?h of the λLL program p as the Python function HOLES[h]: its arguments
    (one per variable of Γ_h then Δ_h, as `flat_text`) become λLL values, its meaning is
    applied, and its value goes back to Python leaves; a function-typed leaf (T_LL's back
    closure) is a Python function applying the λLL closure by the λLL evaluator, with the
    same meanings.  Every run's counts are passed to `charge`."""
    from calculus.lambda_ll import syntax as ls
    from calculus.lambda_ll.evaluate import evaluate
    from calculus.numbers import backend
    from checkers.ll_values import fill as ll_fill

    def value(x: Any, ty) -> Any:
        return ll_fill(ty, iter(flat(x)))

    def leaves(v: Any, ty) -> list:
        match ty:
            case ls.Real():
                return [v.value]
            case ls.One():
                return []
            case ls.Tensor(a, b):
                return leaves(v.left, a) + leaves(v.right, b)
            case ls.Bang(a):
                return leaves(v.value, a)
            case ls.Lolli(dom, cod):
                def apply(arg: Any) -> Any:
                    r = evaluate(ls.App(ls.Var("#f"), ls.Var("#a")), {},
                                 {"#f": v, "#a": value(arg, dom)}, nums=backend("symbolic"),
                                 holes=meanings)
                    charge(r.counts)
                    return _boundary(leaves(r.value, cod))
                return [apply]
        raise TypeError(ty)

    def function(h) -> Callable:
        def run(*args: Any) -> Any:
            vals = tuple(value(a, ty) for a, (_, ty) in zip(args, h.gamma + h.delta, strict=True))
            v, counts = meanings[h.name](vals[:len(h.gamma)], vals[len(h.gamma):])
            charge(counts)
            return _boundary(leaves(v, h.ty))
        return run
    return {t.name: function(t) for d in p.defs for t in ls.subterms(d.body)
            if isinstance(t, ls.Hole)}


def la_hole_functions(p: Program, meanings: dict, charge: Callable) -> dict[str, Callable]:
    """Each hole ?h[x̄ ; ȳ] of the Linear A program p as the Python function HOLES[h]
    (arguments x̄ then ȳ, results nl then lin, one bare: a call's convention): its
    meaning (those `meanings` gives); `charge(h)` per call."""
    def function(h) -> Callable:
        def run(*args: Any) -> Any:
            charge(h.name)
            nl, lin = meanings[h.name](args[:len(h.nl)], args[len(h.nl):])
            return _boundary(list(nl) + list(lin))
        return run
    holes = _holes(p)
    return {name: function(holes[name]) for name in meanings}


@dataclass
class HoleRun:
    """One route of C(H̄): the extracted module (`holes=True`), its entry point and
    symbolic arguments, the functions HOLES gets (each call's work is appended to
    `charged`: W_h for a Linear A hole, the tallies' arithmetic price for a λLL one), and
    the interpreter's value and W_arith given the same hole meanings and works."""

    route: str
    policy: str
    source: str
    entry: str
    args: tuple
    holes: dict[str, Callable]
    value: Any
    work: Any
    charged: list


def hole_run(s, route: str, policy: str = "store") -> HoleRun:
    """The interpreter side of a route on the schema s: plain (evaluate; holes by
    `_meanings`), linear-a (grad's definition, f.jvp.nonlin then f.jvp.lin.T on the tape
    and cotangent 1 — `linear_a.grad.grad`, which takes no hole meanings — holes by
    `grad_meanings`), ll (grad_ll; holes by `ll_meanings`, their work `_tallies`)."""
    from calculus.extract import extract, transform
    from calculus.grad_ll import grad_ll
    from calculus.lambda_ll.evaluate import Counts
    from calculus.linear_a.evaluate import Evaluator
    from calculus.linear_a.grad import ones
    from calculus.linear_a.work import work
    from calculus.numbers import SympyNumbers
    f, p, nums, charged = s.f, s.program, SympyNumbers(), []
    xs, ys = _symbols(f.nl_params), _symbols(f.lin_params, "d_")
    built = None if route == "plain" else transform(p, "f", route, policy)
    src = extract(p, "f", grad=route != "plain", via="linear-a" if route == "plain" else route,
                  policy=policy, built=built, holes=True)
    shaped = lambda vs: vs[0] if len(vs) == 1 else tuple(vs)  # noqa: E731
    if route == "ll":
        meanings = ll_meanings(built.program, p, _tallies)
        g = grad_ll(p, "f", xs, mode="symbolic", built=built, holes=meanings)
        fns = ll_hole_functions(built.program, meanings,
                                lambda c: charged.append(Counts.workload(c, ARITHMETIC)))
        return HoleRun(route, policy, src, ex.entry("f", route), xs, fns,
                       (shaped(g.primal), tuple(g.gradient)), g.workload["arithmetic"], charged)
    q = p if route == "plain" else built.program
    meanings = _meanings(q) if route == "plain" else grad_meanings(built, p)
    w = {h: z3.Int(f"W({h})") for h in meanings}
    fns = la_hole_functions(q, meanings, lambda h: charged.append(w[h]))
    ev = Evaluator(q, nums, holes=meanings)
    if route == "plain":
        nl, lin = ev.call("f", xs, ys)
        return HoleRun(route, policy, src, ex.entry("f", route), xs + ys, fns, shaped(nl + lin),
                       work(q, "f", ARITHMETIC, holes=w), charged)
    out = ev.call(built.nonlin, xs, ())[0]
    k = len(f.nl_results)
    g = ev.call(built.backward, out[k:], tuple(ones(t, nums) for t in f.nl_results))[1]
    wf = sum((work(q, n, ARITHMETIC, holes=w) for n in (built.nonlin, built.backward)), 0)
    return HoleRun(route, policy, src, ex.entry("f", route), xs, fns, (shaped(out[:k]), tuple(g)),
                   wf, charged)


def schema_routes(s) -> list[tuple[str, str]]:
    """The routes in the schema's fragment: every grad route needs f(x̄ ;) -> (τ̄ ;)."""
    return [(r, pol) for r, pol in ex.ROUTES if ex.in_route(s.program, "f", r)]


def x1_obligation(s) -> Callable[[], tuple[str, str]]:
    """X1's induction step for C(H̄), every route in its fragment: the extracted entry
    point, run on sympy symbols with HOLES bound to the holes' meanings, returns the
    interpreter's value on C(H̄) (same shape; each difference reduces to the literal 0)."""
    def check() -> tuple[str, str]:
        outputs, queries = [], []
        for route, policy in schema_routes(s):
            r = hole_run(s, route, policy)
            ours = ex.instantiate(r.source, ex.SYMPY, r.holes)[r.entry](*r.args)
            assert _shape(ours) == _shape(r.value), \
                f"{route}/{policy}: shape {_shape(ours)}, the interpreter's {_shape(r.value)}"
            for a, b in zip(flat(ours), flat(r.value), strict=True):
                _zero(a - b, f"{route}/{policy}: extracted vs interpreter")
            outputs.append(f"[{route}/{policy}]\n{r.source}")
            queries.append(f"{route}/{policy}: {flat(ours)} − interpreter ≡ 0")
        return "\n".join(outputs), "; ".join(queries)
    return check


def _shape(v: Any) -> Any:
    return ex.mapped(v, lambda _: None)


def x2_obligation(s) -> Callable[[], tuple[str, str]]:
    """X2's induction step for C(H̄), every route in its fragment: the operations the
    extracted entry point executes (a `Tally` run on sympy symbols) plus the work
    charged by each hole call (W_h, the same symbol as in W) equal W_arith(C(H̄)):
    z3 `unsat` of the disequality (its difference printed after z3's `simplify`)."""
    def check() -> tuple[str, str]:
        queries = []
        for route, policy in schema_routes(s):
            r = hole_run(s, route, policy)
            tally = ex.Tally(exact=True)
            fns = {h: tally.opaque(fn) for h, fn in r.holes.items()}
            ex.instantiate(r.source, tally.numbers(), fns)[r.entry](*ex.mapped(r.args, tally.number))
            ops = z3.IntVal(tally.ops) + sum(r.charged, z3.IntVal(0))
            what = f"{route}/{policy}: #ops of the extracted code ≠ W_arith"
            goal = z3.simplify(ops - r.work) == 0
            queries.append(f"{route}/{policy}: {tally.ops} ops + {len(r.charged)} hole calls "
                           "− W_arith = 0: " + _unsat([], goal, what))
        return "(the extracted code: see X1)", "; ".join(queries)
    return check


def induction_step(theorem: str, constructor: str) -> Obligation:
    """Discharge one induction step of X1 or X2: the schema of that constructor."""
    (s,) = [s for s in schemas() if s.constructor == constructor]
    th = THEOREMS[theorem]
    return discharge(theorem, th.calculus, constructor, s.printed, th.method,
                         th.obligation(s))


THEOREMS: dict[str, Theorem] = {
    "A3": Theorem("linear_a", "typecheck", lambda: schemas(), lambda s: not s.linear,
                  a3_obligation, _J_REJECTS),
    "E1": Theorem("linear_a→λLL", "typecheck", lambda: schemas(), lambda s: True, e1_obligation),
    "A4": Theorem("linear_a", "sympy", lambda: schemas(), lambda s: not s.linear,
                  a4_obligation, _J_REJECTS),
    "A5": Theorem("linear_a", "z3", lambda: schemas(), lambda s: not s.linear,
                  cost_induction(_J, a5_statement("arithmetic", A5_ARITH), "arithmetic",
                                 jvp_name("f")), _J_REJECTS),
    "A5.sym": Theorem("linear_a", "z3", lambda: schemas(), lambda s: not s.linear,
                      cost_induction(_J, a5_statement("symmetric", A5_SYM), "symmetric",
                                     jvp_name("f")), _J_REJECTS),
    "A11.J": Theorem("linear_a", "z3", lambda: schemas(), lambda s: not s.linear,
                     cost_induction(_J, a11_statement("J", jvp_name("f")), "arithmetic",
                                    jvp_name("f")), _J_REJECTS),

    "A2": Theorem("linear_a", "sympy", lambda: t_schemas(), lambda s: s.linear, a2_obligation,
                  rejects(lambda p: _no_linear_result(p), "A2's statement")),
    "A8": Theorem("linear_a", "sympy", lambda: t_schemas(), lambda s: s.linear, a8_obligation,
                  _T_REJECTS),
    "A9": Theorem("linear_a", "z3", a9_schemas, lambda s: s.linear, a9_obligation, _T_REJECTS),
    "A9.lemma": Theorem("linear_a", "z3", a9_schemas, lambda s: True, a9_lemma_obligation),
    "A6": Theorem("linear_a", "sympy", unit_schemas, lambda s: True, a6_obligation),
    "A7": Theorem("linear_a", "z3", unit_schemas, lambda s: True, a7_obligation),
    "A7.E": Theorem("linear_a", "z3", unit_schemas, lambda s: True, a7e_obligation),
    "A11.U.raw": Theorem("linear_a", "z3", a11u_schemas, lambda s: True, a11u_raw_obligation),
    "A11.U.split": Theorem("linear_a", "z3", unit_schemas, lambda s: True, a11u_split_obligation),
    "A11.U": Theorem("linear_a", "z3",
                     lambda: [Schema(f"composition [{p}]", composition_schemas()[0].program, False)
                              for p in A11U_STATED],
                     lambda s: True,
                     lambda s: a11u_obligation(s.constructor.split("[")[1].rstrip("]")),
                     composes=("A11.U.raw", "A11.U.split")),
    "W.nonlin": Theorem("linear_a", "z3", lambda: schemas(), lambda s: not s.linear,
                        w_nonlin_obligation, _J_REJECTS),
    "W.models": Theorem("linear_a", "z3", lambda: schemas(), lambda s: True, w_models_obligation),
    "A1": Theorem("linear_a", "z3", lambda: schemas(), lambda s: True, a1_obligation),
    "L1": Theorem("lambda_ll", "typecheck", ll_schemas, lambda s: True, l1_obligation,
                  cases=ll_cases),
    "L3": Theorem("lambda_ll", "sympy", l3_schemas, lambda s: True, l3_obligation, cases=ll_cases),
    "A10": Theorem("linear_a", "z3", composition_schemas, lambda s: True,
                   lambda s: a10_obligation(s.constructor.split("[")[1].rstrip("]")),
                   composes=("A5", "A5.sym", "A7", "A7.E", "A9", "W.nonlin", "W.models")),
    "A10.grad": Theorem("linear_a", "sympy",
                        lambda: [Schema("composition [every policy]", composition_schemas()[0].program,
                                        False)],
                        lambda s: True, lambda s: a10_meaning_obligation(),
                        composes=("A2", "A4", "A6", "A8")),
    "E2": Theorem("linear_a→λLL", "sympy", lambda: schemas(), lambda s: True, e2_obligation),
    "E3": Theorem("linear_a→λLL", "z3", lambda: schemas(), lambda s: True, e3_obligation),
    "E4": Theorem("linear_a→λLL", "sympy", lambda: schemas(), lambda s: not s.linear,
                  e4_obligation, _J_REJECTS),
    "E5": Theorem("linear_a→λLL", "z3", lambda: schemas(), lambda s: not s.linear,
                  e5_obligation, _J_REJECTS),
    "X1": Theorem("linear_a→python", "sympy", lambda: schemas(), lambda s: True,
                  lambda s: x1_obligation(s)),
    "X2": Theorem("linear_a→python", "z3", lambda: schemas(), lambda s: True,
                  lambda s: x2_obligation(s)),
}


def _no_linear_result(p: Program) -> None:
    """A2 is about the linear results of f(x̄; ȳ) -> (; σ̄): a case with non-linear
    results is outside it (the same fragment as T's)."""
    if p.get("f").nl_results:
        raise OutOfFragment("A2", "f has non-linear results")


def obligations(theorem: str | None = None) -> list[Obligation]:
    """Discharge every obligation of one theorem (all when None)."""
    out = []
    for name, th in THEOREMS.items():
        if theorem not in (None, name):
            continue
        for s in th.instances():
            inside = th.in_fragment(s)
            make = th.obligation if inside else th.outside
            assert make is not None, f"{name}: {s.constructor} is outside and nothing rejects it"
            out.append(discharge(name, th.calculus, s.constructor, s.printed,
                                 th.method if inside else "fragment", make(s)))
    return out

def coverage(obls: list[Obligation]) -> dict[str, dict[str, str]]:
    """theorem ↦ case ↦ proved / excluded / composed / failed / unknown / missing: a case
    is proved when all its obligations are, excluded when they are all the real pass
    rejecting it (outside the theorem's fragment, method `fragment`); every case of a
    composition (`Theorem.composes`) is composed when its composition obligations are
    proved (its cases are the composed theorems')."""
    out: dict[str, dict[str, str]] = {}
    for t in sorted({o.theorem for o in obls}):
        row = {}
        composed = t in THEOREMS and THEOREMS[t].composes
        for c in (THEOREMS[t].cases() if t in THEOREMS else cases()):
            mine = [o for o in obls if o.theorem == t and (composed or
                    o.constructor == c or o.constructor.startswith(c + " ("))]
            if not mine:
                row[c] = "missing"
            elif all(o.status == "proved" for o in mine):
                row[c] = ("composed" if composed else
                          "excluded" if all(o.method == "fragment" for o in mine) else "proved")
            else:
                row[c] = "failed" if any(o.status == "failed" for o in mine) else "unknown"
        out[t] = row
    return out
