"""Running extracted modules (`calculus.extract`) against the interpreters: the engine of
theorems X1 and X2.

    load(source)                 the module as written (float, as a user runs it)
    instantiate(source, numbers) the same functions with every literal read exactly as
                                 written (`0.1` is 1/10) as a number of `numbers`, and the
                                 primitives `sin cos exp log sqrt tanh` and `**`
                                 taken from `numbers`
    SYMPY, Tally                 exact sympy numbers; floats that count every operation
    reference(...)               the interpreter's value (evaluate, grad or grad_ll) in the
                                 extracted entry point's shape, and its work W

X1 and X2's induction steps (a schema C(H̄), every route in its fragment) use this engine
and live with the other obligations in `checkers.induction` (`hole_run`, `x1_obligation`,
`x2_obligation`).

Reading literals through a function call also keeps CPython from folding literal-only
arithmetic (`1.0 + 2.0`) at compile time, so a counting run sees every operation the
source writes, which is what X2 counts.  A literal is a float constant or a
parenthesised negative one `(-0.5)`; `-(0.5)` is the negation of a literal (an
operation), as `calculus.extract.lit_text` writes them.
"""

from __future__ import annotations

import ast
import functools
import operator
import re
from dataclasses import dataclass
from typing import Any, Callable

import sympy

from calculus.cost_models import ARITHMETIC
from calculus.linear_a.syntax import Program
from calculus.primitives import PRIMS, PowI

FUNCTIONS = {r.symbol: r for r in PRIMS.values() if not r.infix}


def load(source: str) -> dict[str, Any]:
    """The namespace of the module, executed as written."""
    env: dict[str, Any] = {"__name__": "extracted"}
    exec(compile(source, "<extracted>", "exec"), env)
    return env


@dataclass(frozen=True)
class Numbers:
    """A number type to run extracted code over: `lit` reads a literal's source text,
    `prims` maps `sin cos exp log sqrt tanh` to functions on those numbers (`x ** k`,
    k an int literal, is the numbers' own power)."""

    lit: Callable[[str], Any]
    prims: dict[str, Callable[..., Any]]


SYMPY = Numbers(sympy.Rational, {name: r.sympy_impl for name, r in FUNCTIONS.items()})


class _Literals(ast.NodeTransformer):
    """Float literals → `_lit("text")`, with the text exactly as the source writes it."""

    def __init__(self, source: str) -> None:
        self.source = source

    def _call(self, node: ast.AST) -> ast.Call:
        text = ast.get_source_segment(self.source, node)
        return ast.copy_location(ast.Call(ast.Name("_lit", ast.Load()),
                                          [ast.Constant(text)], []), node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        if (isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant)
                and isinstance(node.operand.value, float) and re.fullmatch(r"-\d[\d.eE+-]*", ast.get_source_segment(self.source, node))):
            return self._call(node)
        return self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        return self._call(node) if isinstance(node.value, float) else node


def instantiate(source: str, numbers: Numbers, holes: dict | None = None) -> dict[str, Any]:
    """The module's functions over `numbers` (imports dropped, literals read exactly),
    its metavariables' calls `HOLES[h](…)` going to `holes[h]`."""
    tree = _Literals(source).visit(ast.parse(source))
    tree.body = [s for s in tree.body if isinstance(s, ast.FunctionDef)]
    env: dict[str, Any] = {"__name__": "extracted", "_lit": numbers.lit, **numbers.prims,
                           "HOLES": holes or {}}
    exec(compile(ast.fix_missing_locations(tree), "<extracted>", "exec"), env)
    return env


# --- counting -----------------------------------------------------------------------------


class Tally:
    """Numbers that count the arithmetic done on them: `+ - * /`, unary `-`, `** k` and
    the primitives, one each (the arithmetic cost model: every primitive has cost 1);
    floats, or sympy numbers when `exact` (the induction steps, whose holes return
    symbolic values)."""

    def __init__(self, exact: bool = False) -> None:
        self.ops, self.exact = 0, exact

    def impl(self, rule) -> Callable:
        return rule.sympy_impl if self.exact else rule.float_impl

    def number(self, v: Any) -> "Counted":
        return Counted(v if self.exact else float(v), self)

    def numbers(self) -> Numbers:
        def prim(rule):
            def apply(*args):
                self.ops += rule.cost
                return Counted(self.impl(rule)(*(a.v for a in args)), self)
            return apply
        lit = sympy.Rational if self.exact else float
        return Numbers(lambda text: self.number(lit(text)),
                       {name: prim(r) for name, r in FUNCTIONS.items()})

    def opaque(self, fn: Callable) -> Callable:
        """A hole's function seen from counted numbers: its arguments read, its results
        (and the functions it returns) counted from then on; it counts nothing itself
        (its work is its own symbol, `HoleRun.charged`)."""
        def wrap(v: Any) -> Any:
            if isinstance(v, tuple):
                return tuple(map(wrap, v))
            return self.opaque(v) if callable(v) else Counted(v, self)
        return lambda *args: wrap(fn(*mapped(args, lambda c: c.v)))


def _binary(f: Callable, reflected: bool = False) -> Callable:
    def op(a: "Counted", b: Any) -> "Counted":
        a.tally.ops += 1
        x, y = a.v, b.v if isinstance(b, Counted) else b
        return Counted(f(y, x) if reflected else f(x, y), a.tally)
    return op


@dataclass(slots=True)
class Counted:
    v: float
    tally: Tally

    __add__, __radd__ = _binary(operator.add), _binary(operator.add, True)
    __sub__, __rsub__ = _binary(operator.sub), _binary(operator.sub, True)
    __mul__, __rmul__ = _binary(operator.mul), _binary(operator.mul, True)
    __truediv__, __rtruediv__ = _binary(operator.truediv), _binary(operator.truediv, True)

    def __neg__(self) -> "Counted":
        self.tally.ops += 1
        return Counted(-self.v, self.tally)

    def __pow__(self, k: int) -> "Counted":
        """x ** k: the primitive powi[k], executed as the interpreter does."""
        rule = PRIMS[PowI(k)]
        self.tally.ops += rule.cost
        return Counted(self.tally.impl(rule)(self.v), self.tally)


def mapped(v: Any, f: Callable) -> Any:
    return tuple(mapped(c, f) for c in v) if isinstance(v, tuple) else f(v)


def flat(v: Any) -> list:
    return [x for c in v for x in flat(c)] if isinstance(v, tuple) else [v]


def count(source: str, entry: str, args: tuple) -> tuple[Any, int]:
    """The entry point's value (floats) and the number of operations it executed."""
    tally = Tally()
    fn = instantiate(source, tally.numbers())[entry]
    out = fn(*mapped(args, tally.number))
    return mapped(out, lambda c: c.v), tally.ops


# --- the interpreters' side ------------------------------------------------------------------


def reference(program: Program, func: str, args: tuple, route: str, mode: str,
              policy: str = "store") -> tuple[Any, int]:
    """The interpreter's value, shaped as the extracted entry point returns it, and the
    work W of the run under the arithmetic model: route "plain" (evaluate; args are the
    non-linear then the linear parameters), "linear-a" (grad = T∘U∘J, static W of
    f.jvp.nonlin + f.jvp.lin.T) or "ll" (grad_LL, the λLL workload)."""
    f = program.get(func)
    if route == "plain":
        from calculus.linear_a.evaluate import run
        from calculus.linear_a.work import work
        n = len(f.nl_params)
        r = run(program, func, args[:n], args[n:], mode)
        out = r.nl + r.lin
        return (out[0] if len(out) == 1 else out), work(program, func, ARITHMETIC)
    if route == "linear-a":
        from calculus.linear_a.grad import grad, reverse
        from calculus.linear_a.work import work
        rev = reverse(program, func, policy)
        g = grad(program, func, args, mode=mode, policy=policy, rev=rev)
        w = sum(work(rev.program, name, ARITHMETIC) for name in (rev.nonlin, rev.backward))
        primal, grads, = g.primal, tuple(g.gradient)
    else:
        from calculus.grad_ll import grad_ll
        g = grad_ll(program, func, args, mode)
        w, primal, grads = g.workload["arithmetic"], g.primal, tuple(g.gradient)
    return ((primal[0] if len(primal) == 1 else primal), grads), w


def entry(func: str, route: str) -> str:
    from calculus.extract import pyname
    return pyname(func) + ("" if route == "plain" else "_grad")


def same_bits(a: Any, b: Any) -> bool:
    """Equal shapes and bit-identical floats (float.hex tells -0.0 from 0.0)."""
    fa, fb = flat(a), flat(b)
    return len(fa) == len(fb) and all(float(x).hex() == float(y).hex() for x, y in zip(fa, fb))


def exact_zero(a: Any, b: Any) -> bool:
    """Equal shapes and every difference expands to the literal 0 (a proof, sympy)."""
    fa, fb = flat(a), flat(b)
    return len(fa) == len(fb) and all(sympy.expand(x - y) == 0 for x, y in zip(fa, fb))


# --- one program per Linear A constructor ----------------------------------------------------

# C ↦ a program whose function `f` applies C to variables (and, where C has subterms,
# to the smallest subterms that make it well typed); `f`'s arguments are symbols in X1, so
# each check holds for all values of them.  Tuple types where the rule is componentwise.
CONSTRUCTOR_CASES: dict[str, str] = {
    "Ret": "def f(x: real; a: real) -> (real; real) = (x; a)",
    "Let": "def f(x: real; a: real) -> (real; real) = let (y; b) = (x; a) in (y; b)",
    "UnpackTup": "def f(p: (real, real)) -> (real, real;) = let tup(u, v) = p in (v, u;)",
    "UnpackLtup": "def f(; q: (real, real)) -> (; real, real) = let ltup(a, b) = q in (; b, a)",
    "Call": "def g(x: real; a: real) -> (real; real) = (x; a)\n"
            "def f(x: real; a: real) -> (real; real) = g(x; a)",
    "Var": "def f(x: real) -> (real;) = x",
    "Lit": "def f(x: real) -> (real, real;) = let (;) = drop(x) in let (c;) = 0.1 in "
           "let (d;) = -2.5 in (c, d;)",
    "Tup": "def f(x: real, y: real) -> ((real, real);) = tup(x, y)",
    "Prim": "def f(x: real, y: real) -> (real, real, real, real, real, real, real, real, real,"
            " real, real, real, real, real;) ="
            " let (a;) = x + y in let (b;) = x - y in let (c;) = x * y in let (d;) = x / y in"
            " let (e;) = -x in let (g;) = sin(x) in let (h;) = cos(x) in let (i;) = exp(x) in"
            " let (j;) = log(y) in let (k;) = sqrt(y) in let (l;) = tanh(x) in"
            " let (m;) = powi[3](x) in let (n;) = powi[-2](y) in let (o;) = powi[0](x) in"
            " (a, b, c, d, e, g, h, i, j, k, l, m, n, o;)",
    "LVar": "def f(; a: real) -> (; real) = a",
    "LTup": "def f(; a: real, b: real) -> (; (real, real)) = ltup(a, b)",
    "LAdd": "def f(; a: (real, real), b: (real, real)) -> (; (real, real)) = a +. b",
    "LScale": "def f(x: real; a: (real, real)) -> (; (real, real)) = sin(x) *. a",
    "LDiv": "def f(x: real; a: (real, real)) -> (; (real, real)) = a /. exp(x)",
    "Zero": "def f(x: real) -> (; (real, real)) = let (;) = drop(x) in zero[(real, real)]",
    "Dup": "def f(x: real; a: real) -> (; real, real) = let (;) = drop(x) in dup(x *. a)",
    "Drop": "def f(x: real; a: real) -> (real;) = let (;) = drop(sin(x) *. a) in (x;)",
}


def skeleton_of(t) -> Any:
    """A value shaped like the Linear A type t, with None for every real."""
    from calculus.linear_a.syntax import RealT
    return None if isinstance(t, RealT) else tuple(skeleton_of(s) for s in t.elems)


# --- routes: what X1 and X2 run ------------------------------------------------------------

ROUTES = (("plain", "store"), ("linear-a", "store"), ("linear-a", "recompute"), ("ll", "store"))


def in_route(p: Program, func: str, route: str) -> bool:
    """plain extracts every function; grad only f(x̄ ;) -> (τ̄ ;)."""
    f = p.get(func)
    return route == "plain" or not (f.lin_params or f.lin_results)


def route_params(p: Program, func: str, route: str) -> tuple:
    """The parameters the entry point takes: all of f's for plain, the non-linear ones
    for grad."""
    f = p.get(func)
    return f.nl_params + (f.lin_params if route == "plain" else ())


def point(p: Program, func: str, route: str) -> tuple:
    """0.3, 0.4, … one per real of the parameters: inside every corpus function's domain."""
    reals = iter([0.3 + 0.1 * i for i in range(10**4)])
    return tuple(mapped(skeleton_of(t), lambda _: next(reals)) for _, t in route_params(p, func, route))


@functools.lru_cache(maxsize=64)
def source(p: Program, func: str, route: str, policy: str = "store") -> str:
    """The extracted module of a route (cached: broken-rule tests clear the cache)."""
    from calculus.extract import extract
    return extract(p, func, grad=route != "plain", via="linear-a" if route == "plain" else route,
                   policy=policy)
