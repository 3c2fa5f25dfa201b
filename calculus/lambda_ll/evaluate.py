"""Call-by-value big-step evaluation of λLL (SPEC §3.3): `ρ ⊢ t ⇓ v`.

    v ::= r | () | (v, v) | !v | ⟨fun (x:A) -> t, ρ⟩ | c v1 … vk (k < arity(c))

Left to right: a function before its argument, a pair's left before its right, the
bound term of a `let` before its body.  `!t` evaluates t once, eagerly (its Δ is empty,
so nothing linear is consumed); `let !u = !v in s` shares v.  Reals live in a number
backend of `calculus.numbers` (float, symbolic or mpmath).

A metavariable `?h[ū ; x̄]` (only in the induction proofs' schematic terms) evaluates by
the meaning `holes[h]` given for it: the values of ū and x̄ (each x̄ consumed) ↦ its value
and the tallies of its work, which are added to the run's.

Two counters, kept apart:
  workload          -- the cost of the fully applied constants: a primitive costs
                       PRIMS[op].cost; plus[D], scale[D] and ldiv[D] cost k = components(D);
                       dup/drop/zero[D] cost k × the cost model's per-real price.
                       `Counts` keeps the raw tallies so one run gives every model.
  structural steps  -- β-steps (a closure applied) and let-steps (1E, ⊗E, !E).

Instrumented mode checks the linear discipline at run time: every value bound to a
linear variable (by ⊸I or ⊗E) is wrapped in a `Token`; looking the variable up consumes
the token.  Violations are `LinearityError`s: a token consumed twice
("linear-used-twice"), a token consumed inside a `!` entered after it was created
("linear-in-nonlinear"), and a token neither consumed nor owned by the result (captured
by a closure in it) at the end of the run ("linear-unused").

[finding] Promotion is eager, so `!t` may return a closure that captured linear values
created *inside* t, e.g. `!(let (a, b) = (1.0, 2.0) in fun (x : real) -> …a…b…)`.  The
`!` value is then discarded or duplicated (weakening/contraction of Γ) and its contents
with it: they are box contents, the run-time image of linear logic's promotion box.
When `!t` finishes, every token created in t must be consumed or owned by the box;
owned ones are marked BOX and exempt from the exactly-once count afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Callable, Mapping, assert_never

import mpmath
import sympy

from ..cost_models import MODELS, CostModel
from ..deep import deep
from ..errors import (BudgetExceeded, CalculusError, InternalError, LinearityError, Pos,
                      TypeCheckError)
from ..numbers import FloatNumbers, MpNumbers, SympyNumbers, backend
from ..primitives import OP_BY_NAME, PRIMS, Op
from .syntax import (ONE, REAL, App, Bang, Const, Fun, Hole, LetBang, LetPair, LetUnit, Lit,
                     Lolli, One, Pair, Program, Promote, Real, Tensor, Term, Type, Unit,
                     Var, arrows, components, const_args, free_vars, paused_gc)

Numbers = FloatNumbers | SympyNumbers | MpNumbers
# A metavariable's meaning (../shared/INDUCTION.md): the values of its Γ and Δ (in order)
# ↦ its value and the tallies of its work.
HoleMeaning = Callable[[tuple, tuple], tuple[Any, "Counts"]]

# --- values ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VReal:
    value: Any  # a float, a sympy expression or an mpmath mpf


@dataclass(frozen=True, slots=True)
class VUnit:
    pass


@dataclass(frozen=True, slots=True)
class VPair:
    left: Value
    right: Value


@dataclass(frozen=True, slots=True)
class VBang:
    value: Value


@dataclass(frozen=True, slots=True)
class VClosure:
    fun: Fun
    env: Env | None


@dataclass(frozen=True, slots=True)
class VConst:
    """A constant applied to fewer arguments than its arity."""

    const: Const
    args: tuple[Value, ...]


Value = VReal | VUnit | VPair | VBang | VClosure | VConst


@dataclass(eq=False, slots=True)
class Token:
    """A linear value in instrumented mode.  depth: the promotion depth at creation;
    consumed: False, the position of its consumption, or BOX."""

    name: str
    value: Value
    pos: Pos | None
    depth: int
    consumed: object = False


BOX = "box"  # a token captured by a promoted value: shared or discarded with its box


SKIP = 32
"""Every SKIP-th binding of an environment indexes the SKIP bindings ending at it."""


@dataclass(frozen=True, slots=True)
class Env:
    """ρ: a persistent linked environment; `linear` tells the binder's kind.

    A lookup walks towards older bindings.  So that it costs O(SKIP + depth/SKIP) rather
    than O(depth) (let-chains of 10⁴ bindings), the binding at each depth divisible by
    SKIP carries `index`: name ↦ the newest of the SKIP bindings ending at it, and
    `below`: the binding SKIP levels older.  Both are derived from the chain, which is
    immutable, so they never go stale."""

    name: str
    entry: Value | Token
    linear: bool
    rest: Env | None
    depth: int = field(init=False, repr=False, compare=False)
    index: dict | None = field(init=False, repr=False, compare=False)
    below: Env | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        depth = 1 if self.rest is None else self.rest.depth + 1
        index, node = None, None
        if depth % SKIP == 0:
            index, node = {}, self
            for _ in range(SKIP):
                index.setdefault(node.name, node)
                node = node.rest
        object.__setattr__(self, "depth", depth)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "below", node)


def lookup(env: Env | None, name: str) -> Env | None:
    """The newest binding of `name` in env (None if unbound)."""
    while env is not None:
        if env.index is not None:
            if (hit := env.index.get(name)) is not None:
                return hit
            env = env.below
        elif env.name == name:
            return env
        else:
            env = env.rest
    return None


# --- data operations (componentwise on D-values) ---------------------------------------------


def zero_value(d: Type, nums: Numbers) -> Value:
    match d:
        case Real():
            return VReal(nums.zero())
        case One():
            return VUnit()
        case Tensor(a, b):
            return VPair(zero_value(a, nums), zero_value(b, nums))
        case Lolli() | Bang():
            raise TypeCheckError("Const", f"zero at non-data type {d}")
        case _:
            assert_never(d)


def combine(a: Value, b: Value, nums: Numbers, ca: Any = None, cb: Any = None) -> Value:
    """ca·a + cb·b componentwise (a coefficient None means 1)."""
    match a, b:
        case VReal(x), VReal(y):
            x = x if ca is None else nums.mul(ca, x)
            y = y if cb is None else nums.mul(cb, y)
            return VReal(nums.add(x, y))
        case VUnit(), VUnit():
            return a
        case VPair(a1, a2), VPair(b1, b2):
            return VPair(combine(a1, b1, nums, ca, cb), combine(a2, b2, nums, ca, cb))
    raise Stuck("Const", f"plus of non-matching data values {a} and {b}")


def scale_value(r: Any, v: Value, nums: Numbers) -> Value:
    match v:
        case VReal(x):
            return VReal(nums.mul(r, x))
        case VUnit():
            return v
        case VPair(a, b):
            return VPair(scale_value(r, a, nums), scale_value(r, b, nums))
    raise Stuck("Const", f"scale of a non-data value {v}")


def divide_value(v: Value, r: Any, nums: Numbers, pos: Pos | None = None) -> Value:
    """v / r componentwise (ldiv !r v), each real by the primitive `/` (domain r ≠ 0)."""
    match v:
        case VReal(x):
            return VReal(nums.prim(Op.DIV, (x, r), pos))
        case VUnit():
            return v
        case VPair(a, b):
            return VPair(divide_value(a, r, nums, pos), divide_value(b, r, nums, pos))
    raise Stuck("Const", f"ldiv of a non-data value {v}")


# --- results -----------------------------------------------------------------------------------


@dataclass
class Counts:
    """Raw tallies; `workload(model)` prices them.  prim: Σ PRIMS[op].cost; the others
    are numbers of real components."""

    prim: int = 0
    plus: int = 0
    scale: int = 0
    ldiv: int = 0
    dup: int = 0
    drop: int = 0
    zero: int = 0

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def workload(self, model: CostModel) -> int:
        return (self.prim + self.plus * model.add_per_real
                + (self.scale + self.ldiv) * model.scale_per_real
                + self.dup * model.dup_per_real
                + self.drop * model.drop_per_real + self.zero * model.zero_per_real)


def firing(c: Const) -> Counts:
    """The tallies of one fully applied constant c."""
    if c.name in OP_BY_NAME:
        return Counts(prim=PRIMS[OP_BY_NAME[c.name]].cost)
    return Counts(**{c.name: components(c.index)})  # type: ignore[arg-type]


@dataclass
class Result:
    value: Value
    counts: Counts
    beta: int
    lets: int
    conditions: list = field(default_factory=list)  # symbolic domain side conditions

    @property
    def steps(self) -> int:
        """Structural steps: β-steps + let-steps."""
        return self.beta + self.lets

    def workload(self, model: CostModel | str = "arithmetic") -> int:
        return self.counts.workload(MODELS[model] if isinstance(model, str) else model)


@dataclass(eq=False)
class Stuck(CalculusError):
    """Evaluation reached a non-value that no rule reduces (only ill-typed terms)."""


@dataclass(eq=False)
class StepBudgetExceeded(BudgetExceeded):
    """More structural steps than the budget `max_steps` allowed (the command line's
    LLAD_MAX_STEPS / --max-steps, `calculus.limits`)."""


# --- the evaluator -------------------------------------------------------------------------


@dataclass
class Evaluator:
    nums: Numbers
    instrumented: bool = False
    max_steps: int | None = None
    counts: Counts = field(default_factory=Counts)
    beta: int = 0
    lets: int = 0
    depth: int = 0  # number of enclosing promotions being evaluated
    tokens: list[Token] = field(default_factory=list)
    holes: Mapping[str, HoleMeaning] = field(default_factory=dict)

    def step(self, kind: str, pos: Pos | None) -> None:
        if kind == "β":
            self.beta += 1
        else:
            self.lets += 1
        if self.max_steps is not None and self.beta + self.lets > self.max_steps:
            raise StepBudgetExceeded("eval", f"more than {self.max_steps} structural steps "
                                     "(limit LLAD_MAX_STEPS, --max-steps)", pos, limit="LLAD_MAX_STEPS",
                                     value=self.max_steps)

    def bind(self, name: str, v: Value, linear: bool, env: Env | None,
             pos: Pos | None) -> Env:
        if linear and self.instrumented:
            token = Token(name, v, pos, self.depth)
            self.tokens.append(token)
            return Env(name, token, True, env)
        return Env(name, v, linear, env)

    def var(self, t: Var, env: Env | None) -> Value:
        cell = lookup(env, t.name)
        if cell is None:
            raise Stuck("Ax", f"unbound variable `{t.name}`", t.pos)
        entry = cell.entry
        if not isinstance(entry, Token):
            return entry
        # instrumented: consuming a linear value (box contents are shared with their box)
        if entry.consumed is BOX:
            return entry.value
        if entry.consumed is not False:
            raise LinearityError("Ax", f"linear value of `{t.name}` (bound at {entry.pos}) "
                                 f"consumed twice (at {entry.consumed} and {t.pos})", t.pos,
                                 var=t.name, kind="linear-used-twice")
        if entry.depth < self.depth:
            raise LinearityError("!I", f"linear value of `{t.name}` consumed inside a "
                                 "promotion", t.pos, var=t.name, kind="linear-in-nonlinear")
        entry.consumed = t.pos or True
        return entry.value

    def eval(self, t: Term, env: Env | None) -> Value:
        """ρ ⊢ t ⇓ v."""
        match t:
            case Var():
                return self.var(t, env)
            case Lit(q):
                return VReal(self.nums.lit(q))
            case Const():
                return self.apply_const(t, ())
            case Unit():
                return VUnit()
            case Fun():
                return VClosure(t, env)
            case App(fn, arg):
                f = self.eval(fn, env)
                return self.apply(f, self.eval(arg, env), t.pos)
            case Pair(left, right):
                return VPair(self.eval(left, env), self.eval(right, env))
            case LetUnit(bound, body):
                if not isinstance(self.eval(bound, env), VUnit):
                    raise Stuck("1E", "let () = t where t is not ()", t.pos)
                self.step("let", t.pos)
                return self.eval(body, env)
            case LetPair(x, y, bound, body):
                v = self.eval(bound, env)
                if not isinstance(v, VPair):
                    raise Stuck("⊗E", f"let (x, y) = {v}", t.pos)
                self.step("let", t.pos)
                env = self.bind(x, v.left, True, env, t.pos)
                return self.eval(body, self.bind(y, v.right, True, env, t.pos))
            case Promote(body):
                self.depth += 1
                start = len(self.tokens)
                try:
                    value = VBang(self.eval(body, env))
                finally:
                    self.depth -= 1
                if self.instrumented:
                    self.settle(start, value, box=True)
                return value
            case LetBang(u, bound, body):
                v = self.eval(bound, env)
                if not isinstance(v, VBang):
                    raise Stuck("!E", f"let !u = {v}", t.pos)
                self.step("let", t.pos)
                return self.eval(body, self.bind(u, v.value, False, env, t.pos))
            case Hole(h, gamma, delta):  # interpreted by its induction hypothesis
                if h not in self.holes:
                    raise InternalError(f"no meaning given for the metavariable ?{h}")
                ins = tuple(self.var(Var(u, t.pos), env) for u, _ in gamma)
                lins = tuple(self.var(Var(x, t.pos), env) for x, _ in delta)
                value, counts = self.holes[h](ins, lins)
                self.counts.add(counts)
                return value
            case _:
                assert_never(t)

    def apply(self, f: Value, a: Value, pos: Pos | None) -> Value:
        match f:
            case VClosure(fun, env):
                self.step("β", pos)
                return self.eval(fun.body, self.bind(fun.var, a, True, env, fun.pos))
            case VConst(c, args):
                return self.apply_const(c, args + (a,))
        raise Stuck("⊸E", f"applying {f}, which is not a function", pos)

    def apply_const(self, c: Const, args: tuple[Value, ...]) -> Value:
        """c v1 … vk: a partial application until k = arity(c), then the axiom fires."""
        params, _ = const_args(c.name, c.index)
        if len(args) < len(params):
            return VConst(c, args)
        nums = self.nums
        match c.name, args:
            case "plus", (a, b):
                result = combine(a, b, nums)
            case "zero", ():
                result = zero_value(c.index, nums)
            case "dup", (a,):
                result = VPair(a, a)
            case "drop", (a,):
                result = VUnit()
            case "scale", (VBang(VReal(r)), a):
                result = scale_value(r, a, nums)
            case "ldiv", (VBang(VReal(r)), a):
                result = divide_value(a, r, nums, c.pos)
            case name, _ if name in OP_BY_NAME:
                reals = tuple(a.value.value for a in args
                              if isinstance(a, VBang) and isinstance(a.value, VReal))
                if len(reals) != len(args):
                    raise Stuck("⊸E", f"{name} applied to {args}, not banged reals", c.pos)
                result = VReal(nums.prim(OP_BY_NAME[name], reals, c.pos))
            case _:
                raise Stuck("⊸E", f"{c.name} applied to {args}", c.pos)
        self.counts.add(firing(c))
        return result

    # --- instrumented mode -------------------------------------------------------------

    def settle(self, start: int, owner: Value, box: bool) -> None:
        """Every token created since tokens[start] is consumed or owned by `owner`;
        box: the owned ones become box contents (shared with the `!` value)."""
        if start == len(self.tokens):
            return
        owned = owned_tokens(owner)
        for token in self.tokens[start:]:
            if token.consumed is not False:
                continue
            if id(token) not in owned:
                raise LinearityError("Ax", f"linear value of `{token.name}` (bound at "
                                     f"{token.pos}) is never consumed", token.pos,
                                     var=token.name, kind="linear-unused")
            if box:
                token.consumed = BOX


def owned_tokens(v: Value) -> set[int]:
    """The ids of the tokens a value owns: those bound to the free variables of the
    closures it contains (transitively)."""
    owned: set[int] = set()
    seen: set[int] = set()
    todo: list[Value] = [v]
    while todo:
        v = todo.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        match v:
            case VReal() | VUnit():
                pass
            case VPair(a, b):
                todo += [a, b]
            case VBang(a):
                todo.append(a)
            case VConst(_, args):
                todo += list(args)
            case VClosure(fun, env):
                for name in free_vars(fun):
                    cell = lookup(env, name)
                    if cell is not None and isinstance(cell.entry, Token):
                        owned.add(id(cell.entry))
                        todo.append(cell.entry.value)
                    elif cell is not None:
                        todo.append(cell.entry)
            case _:
                assert_never(v)
    return owned


# --- entry points ---------------------------------------------------------------------------


def _env(values: Mapping[str, Value], linear: bool, ev: Evaluator,
         env: Env | None) -> Env | None:
    for name, v in values.items():
        env = ev.bind(name, v, linear, env, None)
    return env


@deep
def evaluate(t: Term, env: Mapping[str, Value] = {}, linear: Mapping[str, Value] = {},
             mode: str = "float", *, nums: Numbers | None = None,
             instrumented: bool = False, max_steps: int | None = None,
             holes: Mapping[str, HoleMeaning] = {}) -> Result:
    """Evaluate t with intuitionistic inputs `env` and linear inputs `linear` (each
    linear input must be consumed exactly once, checked when instrumented); `holes`
    gives each metavariable its meaning."""
    ev = Evaluator(nums or backend(mode), instrumented, max_steps, holes=holes)
    rho = _env(linear, True, ev, _env(env, False, ev, None))
    with paused_gc():
        value = ev.eval(t, rho)
    if instrumented:
        ev.settle(0, value, box=False)
    return Result(value, ev.counts, ev.beta, ev.lets,
                  list(getattr(ev.nums, "conditions", [])))


@deep
def evaluate_defs(p: Program, upto: str | None = None, mode: str = "float", *,
                  nums: Numbers | None = None, instrumented: bool = False,
                  max_steps: int | None = None,
                  holes: Mapping[str, HoleMeaning] = {}) -> tuple[dict[str, Value], Result]:
    """Evaluate the definitions of p in order (up to and including `upto`), each once;
    returns their values and the accumulated counts (the `value` of the Result is the
    last definition's)."""
    nums = nums or backend(mode)
    values: dict[str, Value] = {}
    total = Result(VUnit(), Counts(), 0, 0)
    for d in p.defs:
        r = evaluate(d.body, values, {}, nums=nums, instrumented=instrumented,
                     max_steps=max_steps, holes=holes)
        values[d.name] = r.value
        total.counts.add(r.counts)
        total = Result(r.value, total.counts, total.beta + r.beta, total.lets + r.lets,
                       r.conditions)
        if d.name == upto:
            break
    return values, total


# --- value typing (for type safety, L1) ------------------------------------------------------


def value_type(v: Value) -> Type:
    """⊢ v : A, synthesised: a closure ⟨fun (x:A) -> t, ρ⟩ has type A ⊸ B when
    Γρ ; Δρ ⊢ fun (x:A) -> t : A ⊸ B, where Γρ/Δρ type the intuitionistic/linear
    variables of ρ free in the λ by the types of their values.  Raises TypeCheckError."""
    from .typecheck import infer  # evaluation does not depend on the type checker

    match v:
        case VReal(x):
            if not isinstance(x, (float, int, sympy.Expr, mpmath.mpf)):
                raise TypeCheckError("value", f"{x!r} is not a real")
            return REAL
        case VUnit():
            return ONE
        case VPair(a, b):
            return Tensor(value_type(a), value_type(b))
        case VBang(a):
            return Bang(value_type(a))
        case VConst(c, args):
            params, result = const_args(c.name, c.index)
            for p, a in zip(params, args):
                if value_type(a) != p:
                    raise TypeCheckError("value", f"{c.name} applied to {a}, not a {p}")
            return arrows(params[len(args):], result)
        case VClosure(fun, env):
            gamma: dict[str, Type] = {}
            delta: dict[str, Type] = {}
            for name in free_vars(fun):
                cell = lookup(env, name)
                if cell is None:
                    raise TypeCheckError("value", f"closure with unbound `{name}`")
                entry = cell.entry
                ty = value_type(entry.value if isinstance(entry, Token) else entry)
                (delta if cell.linear else gamma)[name] = ty
            return infer(fun, gamma, delta)
        case _:
            assert_never(v)


def to_python(v: Value) -> Any:
    """A value as plain Python data (reals as float/sympy, pairs as tuples, () as ())."""
    match v:
        case VReal(x):
            return x
        case VUnit():
            return ()
        case VPair(a, b):
            return (to_python(a), to_python(b))
        case VBang(a):
            return {"!": to_python(a)}
        case VClosure() | VConst():
            return show_value(v)
        case _:
            assert_never(v)


def show_value(v: Value) -> str:
    """A readable value; closures show their λ (environment elided)."""
    from .syntax import pretty

    match v:
        case VReal(x):
            return str(x)
        case VUnit():
            return "()"
        case VPair(a, b):
            return f"({show_value(a)}, {show_value(b)})"
        case VBang(a):
            return f"!{show_value(a)}"
        case VClosure(fun, _):
            return f"<closure {pretty(fun)}>"
        case VConst(c, args):
            return " ".join([pretty(c)] + [f"({show_value(a)})" for a in args])
        case _:
            assert_never(v)
