"""Symbolic equivalence: the one engine every theorem uses to *prove* an identity.

A proof is either a literal 0 from a sound sympy zero test, or `unsat` from z3.

  sympy  -- accepted only when the result is the literal 0 (TOOLS-NOTES):
            `expand` (polynomials), `cancel` (rational functions),
            `expand(trig=True)` + `trigsimp` (trigonometric polynomials).
            `simplify` and `Expr.equals` are never used to decide.
  z3     -- for what sympy leaves: the expression's sin/cos/exp/log/tanh applications
            and square roots become fresh real constants with *ground* axiom instances
            generated here (sin(t)² + cos(t)² = 1 for every t that occurs, exp(t) > 0,
            −1 < tanh(t) < 1, s = sqrt(t) ≥ 0 with s² = t when t ≥ 0), each
            denominator d gets the hypothesis d ≠ 0, the domain side conditions are
            assumed, and ∃x. e ≠ 0 must be `unsat`.  `unknown` (with its reason) and a
            timeout are failures, never passes.
  mpmath -- 50-digit evaluation at seeded random points inside the side conditions; it
            can only *refute* (and then supplies the counterexample), never prove.

Limits (`calculus.limits`): a sympy zero test is run only if `expansion_bound(e)`, a
bound on the terms expanding e can produce, is within LLAD_SYMPY_MAX_TERMS; each z3
query has the resource limit LLAD_Z3_RLIMIT and the timeout LLAD_Z3_TIMEOUT_MS.  When a
limit (or z3's `unknown`) leaves an identity undecided and refutation finds no
counterexample, `prove_zero` raises `BudgetExceeded` naming the limit: never a pass,
never a hang.

`Verdict` is truthy exactly when the identity was proved.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Iterable

import mpmath
import sympy
import z3

from calculus.errors import BudgetExceeded
from calculus.limits import exceeded, limit

REFUTE_POINTS = 12


@dataclass
class Verdict:
    """ok: proved.  method: how (or why not).  counterexample: a point where the two
    sides differ, when one was found."""

    ok: bool
    method: str
    detail: str = ""
    counterexample: dict | None = field(default=None)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        s = f"{'proved' if self.ok else 'NOT proved'} ({self.method})"
        if self.detail:
            s += f": {self.detail}"
        if self.counterexample:
            s += f"; counterexample {self.counterexample}"
        return s


# --- sympy zero tests ------------------------------------------------------------------


def sympy_zero(e: Any) -> str | None:
    """The name of the first sound sympy test that reduces e to the literal 0; raises
    BudgetExceeded when e may expand beyond LLAD_SYMPY_MAX_TERMS terms."""
    e = sympy.sympify(e)
    if e == 0:
        return "literal"
    budget = limit("LLAD_SYMPY_MAX_TERMS")
    if (bound := expansion_bound(e, budget)) > budget:
        raise exceeded("sympy zero test", "LLAD_SYMPY_MAX_TERMS", budget,
                       f"{_short(e, 60)} may expand to more than {bound - 1} terms")
    tests = (
        ("expand", sympy.expand),
        ("cancel", lambda x: sympy.cancel(sympy.together(x))),
        ("trigsimp", lambda x: sympy.trigsimp(sympy.expand(x, trig=True))),
        ("expand(trig)+cancel", lambda x: sympy.cancel(sympy.expand(x, trig=True))),
    )
    for name, test in tests:
        if test(e) == 0:
            return name
    return None


def expansion_bound(e: Any, cap: int) -> int:
    """An upper bound on the terms of expand(e) (and of its trigonometric expansion),
    saturated at cap + 1: Add sums, Mul multiplies, (a1+…+ak)^n has C(k+n-1, n) terms,
    sin/cos of a sum of k terms with integer coefficients c_i expand to at most
    2^(k-1)·Σ|c_i| terms; the bound of an application also covers its argument's."""
    memo: dict[Any, int] = {}  # shared subexpressions are bounded once

    def go(x: Any) -> int:
        if x in memo:
            return memo[x]
        if x.is_Add:
            n = sum(go(a) for a in x.args)
        elif x.is_Mul:
            n = 1
            for a in x.args:
                n = min(n * go(a), cap + 1)
        elif x.is_Pow and x.exp.is_Integer:
            n = _multinomial(go(x.base), abs(int(x.exp)), cap)
        elif isinstance(x, (sympy.sin, sympy.cos)):
            arg = x.args[0]
            k = len(arg.args) if arg.is_Add else 1
            coeffs = sum(abs(int(c)) if c.is_Integer else 1 for c, _ in
                         (t.as_coeff_Mul() for t in sympy.Add.make_args(arg)))
            n = max(go(arg), 2 ** min(k - 1, 64) * coeffs)
        else:
            n = max([1] + [go(a) for a in x.args])
        memo[x] = min(n, cap + 1)
        return memo[x]
    return go(e)


def _multinomial(k: int, n: int, cap: int) -> int:
    """C(k+n-1, n), the monomials of degree n in k terms, saturated at cap + 1."""
    out = 1
    for i in range(1, min(n, k - 1) + 1):  # C(k+n-1, min(n, k-1)), one factor at a time
        out = out * (n + i) // i
        if out > cap:
            return cap + 1
    return out


# --- z3 with ground axioms ---------------------------------------------------------------


class _Z3:
    """Translate sympy expressions to z3 reals, abstracting function applications."""

    def __init__(self) -> None:
        self.vars: dict[Any, z3.ArithRef] = {}
        self.hyps: list = []
        self.apps: dict[Any, z3.ArithRef] = {}

    def atom(self, key: Any, name: str) -> z3.ArithRef:
        if key not in self.vars:
            self.vars[key] = z3.Real(f"{name}_{len(self.vars)}")
        return self.vars[key]

    def tr(self, e: Any) -> z3.ArithRef:
        if e.is_Symbol:
            return self.atom(e, str(e))
        if e.is_Rational:
            return z3.RealVal(f"{e.p}/{e.q}")
        if e.is_Add:
            return z3.Sum([self.tr(a) for a in e.args])
        if e.is_Mul:
            out = self.tr(e.args[0])
            for a in e.args[1:]:
                out = out * self.tr(a)
            return out
        if e.is_Pow and e.exp.is_Rational and e.exp.q == 2:  # sqrt(t)^p, p odd
            return self.power(self.sqrt(e.base), int(e.exp.p))
        if e.is_Pow and e.exp.is_Integer:
            return self.power(self.tr(e.base), int(e.exp))
        if isinstance(e, sympy.Function) and len(e.args) == 1:
            return self.app(e)
        raise _Untranslatable(str(e.func))

    def power(self, base: z3.ArithRef, n: int) -> z3.ArithRef:
        if n < 0:
            self.hyps.append(base != 0)  # guard every denominator
            return 1 / _power(base, -n)
        return _power(base, n)

    def sqrt(self, t: Any) -> z3.ArithRef:
        """sqrt(t) as a constant s with s ≥ 0 and (t ≥ 0 ⇒ s² = t)."""
        s = self.atom(sympy.sqrt(t), "sqrt")
        if sympy.sqrt(t) not in self.apps:
            self.apps[sympy.sqrt(t)] = s
            a = self.tr(t)
            self.hyps += [s >= 0, z3.Implies(a >= 0, s * s == a)]
        return s

    def app(self, e: Any) -> z3.ArithRef:
        v = self.atom(e, type(e).__name__)
        if e not in self.apps:
            self.apps[e] = v
            arg = e.args[0]
            if isinstance(e, (sympy.sin, sympy.cos)):  # ground Pythagoras instance
                s, c = self.atom(sympy.sin(arg), "sin"), self.atom(sympy.cos(arg), "cos")
                self.hyps.append(s * s + c * c == 1)
            elif isinstance(e, sympy.exp):
                self.hyps.append(v > 0)
            elif isinstance(e, sympy.tanh):
                self.hyps += [v > -1, v < 1]
            self.tr(arg)  # variables inside arguments become atoms too
        return v

    def cond(self, c: Any) -> Any:
        ops = {sympy.Ne: lambda a, b: a != b, sympy.StrictGreaterThan: lambda a, b: a > b,
               sympy.StrictLessThan: lambda a, b: a < b, sympy.GreaterThan: lambda a, b: a >= b,
               sympy.LessThan: lambda a, b: a <= b, sympy.Eq: lambda a, b: a == b}
        return ops[type(c)](self.tr(c.lhs), self.tr(c.rhs))


class _Untranslatable(Exception):
    pass


def _power(b: z3.ArithRef, n: int) -> z3.ArithRef:
    out = z3.RealVal(1)
    for _ in range(n):
        out = out * b
    return out


def z3_zero(e: Any, conditions: Iterable = ()) -> tuple[bool, str]:
    """(proved, detail): is e = 0 for every assignment satisfying the conditions?
    `unknown` (a limit hit, or z3 gave up) raises BudgetExceeded."""
    t = _Z3()
    try:
        goal = t.tr(sympy.sympify(e))
        conds = [t.cond(c) for c in conditions]
    except _Untranslatable as exc:
        return False, f"z3: cannot translate {exc}"
    rlimit, timeout = limit("LLAD_Z3_RLIMIT"), limit("LLAD_Z3_TIMEOUT_MS")
    s = z3.Solver()
    s.set("rlimit", rlimit)
    s.set("timeout", timeout)
    s.add(*t.hyps, *conds, goal != 0)
    r = s.check()
    if r == z3.unsat:
        return True, "z3 unsat"
    if r == z3.unknown:
        reason = s.reason_unknown()
        used = dict(list(s.statistics())).get("rlimit count", 0)
        if "resource" in reason or used >= rlimit:
            raise exceeded("z3", "LLAD_Z3_RLIMIT", rlimit, f"z3 unknown: {reason}")
        if "timeout" in reason or "canceled" in reason:
            raise exceeded("z3", "LLAD_Z3_TIMEOUT_MS", timeout, f"z3 unknown: {reason}")
        raise BudgetExceeded("z3", f"z3 answered unknown ({reason}); undecided, not a pass")
    return False, "z3 sat (the model may be spurious under abstracted functions)"


# --- refutation ------------------------------------------------------------------------------


def refute(e: Any, conditions: Iterable = (), seed: int = 0) -> dict | None:
    """A point (inside the conditions) where e is clearly non-zero, or None."""
    e = sympy.sympify(e)
    syms = sorted(e.free_symbols | {s for c in conditions for s in c.free_symbols}, key=str)
    conds = list(conditions)
    f = sympy.lambdify(syms, e, modules="mpmath")
    rng = random.Random(seed)
    with mpmath.workdps(50):
        for _ in range(REFUTE_POINTS * 4):
            point = {s: sympy.Rational(rng.randint(-3000, 3000), 1000) for s in syms}
            if not all(bool(c.subs(point)) for c in conds):
                continue
            try:
                v = f(*[mpmath.mpf(point[s].p) / point[s].q for s in syms])
            except (ZeroDivisionError, ValueError, OverflowError):
                continue
            if abs(v) > mpmath.mpf(10) ** -30:
                return {str(s): str(point[s]) for s in syms}
    return None


# --- the entry points ------------------------------------------------------------------------


def prove_zero(e: Any, conditions: Iterable = ()) -> Verdict:
    """Prove e = 0 (under the domain side conditions).  A limit that leaves e
    undecided raises its BudgetExceeded, unless refutation finds a counterexample."""
    conditions = list(conditions)
    limits_hit: list[BudgetExceeded] = []
    try:
        if how := sympy_zero(e):
            return Verdict(True, f"sympy {how}")
    except BudgetExceeded as exc:
        limits_hit.append(exc)
    try:
        proved, detail = z3_zero(e, conditions)
        if proved:
            return Verdict(True, detail)
    except BudgetExceeded as exc:
        limits_hit.append(exc)
    cex = refute(e, conditions)
    if cex is not None:
        return Verdict(False, "refuted", f"{e} ≠ 0", cex)
    if limits_hit:
        raise limits_hit[0]
    return Verdict(False, "unproved", f"no sound test reduced {_short(e)} to 0; {detail}")


def prove_equal(lhs: Any, rhs: Any, conditions: Iterable = ()) -> Verdict:
    """Prove lhs = rhs, componentwise for nested tuples (shapes must agree)."""
    conditions = list(conditions)
    try:
        pairs = list(_leaves(lhs, rhs))
    except ShapeMismatch as exc:
        return Verdict(False, "shape", f"different shapes at component {exc.args[0]}")
    methods = set()
    for path, a, b in pairs:
        v = prove_zero(sympy.sympify(a) - sympy.sympify(b), conditions)
        if not v:
            v.detail = f"component {path}: {_short(a)} vs {_short(b)}; {v.detail}"
            return v
        methods.add(v.method)
    return Verdict(True, ", ".join(sorted(methods)) or "empty")


def _leaves(a: Any, b: Any, path: tuple = ()):
    if isinstance(a, tuple) or isinstance(b, tuple):
        if not (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)):
            raise ShapeMismatch(path, a, b)
        for i, (x, y) in enumerate(zip(a, b)):
            yield from _leaves(x, y, path + (i,))
    else:
        yield path, a, b


class ShapeMismatch(Exception):
    pass


def _short(e: Any, n: int = 160) -> str:
    s = str(e)
    return s if len(s) <= n else s[:n] + "…"
