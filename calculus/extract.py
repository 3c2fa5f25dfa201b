"""Executable extraction (issue 13): Linear A and λLL programs as self-contained Python.

    extract(program, func, grad=False, via="linear-a", policy="store", target="python") -> str

is the source of a module that runs without llad:

  - no grad: `FUNC(*params)` returns FUNC's results (one bare value, or a tuple of them);
  - grad, via linear-a (T∘U∘J, SPEC §2.4): `f.jvp.nonlin` and `f.jvp.lin.T` become two
    Python functions whose interface is the tape;
  - grad, via ll (T_LL∘F∘⟦·⟧, SPEC §5): `f'F'T` returns the primal results and the
    backpropagator, a Python closure whose environment is the tape;

and with grad, `FUNC_grad(*params) -> (primal, gradient)`, shaped as `llad grad --json`
prints them, for cotangent 1 on every real result (the sum of the results, as `grad`).
Via linear-a, FUNC_grad passes the tape on as one tuple, reversed (`*out[:n-1:-1]`, never
a local per entry; the backward takes its parameters in reverse order, as it reads its
tape from the end), and the straight-line functions are rescheduled and reuse the names
of dead locals: each sum of a dup'd variable's cotangents follows its last summand
(`schedule`), and a binder takes the lowest-numbered dead frame slot (`reuse_locals`).
Same statements, same operations on the same operand values; fewer live floats, and
busy names with small slot numbers (no EXTENDED_ARG), which is what keeps the extracted
gradient within 1.25× of a hand-written one up to N = 10⁵ (benchmarks/bench_extract.py).

Values are *scalarised at extraction time*: a value of type τ is a `Shape`, a tree of
Python expressions for its reals; Python tuples exist only at function boundaries.  The
rules, one case per constructor (`_LinearA.expr`, `_LL.term`):

    let (x̄ ; ȳ) = e1 in e2   one statement `x = …` per real of a binder that computes; a
                             binder for a name or a literal is an alias (no statement)
    op(e, …)                 `a + b`, `-a`, `sin(a)`, `a ** 3` (powi[3]): the table PY_OPS,
                             one row per primitive
    e +. e, e *. e, e /. e   `a + b`, `s * a`, `a / s` per real: the table LINEAR_OPS
    zero[σ]                  `0.0` per real
    dup(e)                   two names for one value (e named once if it computes)
    drop(e)                  nothing; a dropped expression that computes is still executed,
                             as an expression statement, since W(drop e) = W(e)
    f(x̄ ; ȳ)                 a Python call of the extracted f
    λLL: let !u / let (x, y) / let () as the lets above, `!t` as t, constants as the rows
    of the same two tables, `fun (x : A) -> t` as a nested `def` (a closure), application
    as a Python call.
    ?h[x̄ ; ȳ]                a metavariable (INDUCTION.md: an unknown subterm, only in the
                             induction proofs' C(H̄) and its images ?h.jvp.nonlin,
                             ?h.jvp.lin.T, ⟦?h⟧, ?h'F'T, …): a call `HOLES['h'](x̄, ȳ)` of
                             an opaque function the caller puts in the module-level dict
                             HOLES, with extract(…, holes=True); the arguments and results
                             follow the calling convention of the calculus (Linear A: a
                             function call's, results nl then lin; λLL: `flat_text`
                             tuples, a function-typed result as a Python function).
                             Without holes=True a metavariable is an `OutOfFragment`
                             naming it: a program a user extracts has no unknown subterm.

The operations and their order are those of the interpreters, so a float run of
`--target python` is bit-identical to `evaluate`/`grad`/`grad_ll` in float mode (X1) and
executes W operations (X2).  `--target numpy`/`jax` run the same operations with those
libraries' `sin cos exp log sqrt tanh` and `**`, which may differ from `math`'s in the
last bit; the jitted JAX gradient agrees with jax.grad to 1e-12 (tests/test_extract_jax.py).  Inline expressions nest at most MAX_DEPTH deep (deeper
operands are named first), so a module of any size compiles; extraction iterates along
let-chains and runs under `@deep`.
"""

from __future__ import annotations

import heapq
import keyword
import re
from dataclasses import dataclass
from typing import Any, Callable, assert_never

from .deep import deep
from .errors import CalculusError, InternalError, OutOfFragment
from .fresh import Fresh
from .lambda_ll import syntax as ll
from .linear_a import syntax as la
from .linear_a.typecheck import check_program
from .linear_a.work import reachable
from .primitives import OP_BY_NAME, PRIMS, Op, OpTable

TARGETS: dict[str, tuple[str, ...]] = {
    "python": ("from math import cos, exp, log, sin, sqrt, tanh",),
    "numpy": ("from numpy import cos, exp, log, sin, sqrt, tanh",),
    # float64, so that the extracted gradient agrees with the interpreter to 1e-12
    "jax": ("import jax", "jax.config.update('jax_enable_x64', True)",
            "from jax.numpy import cos, exp, log, sin, sqrt, tanh"),
}
VIAS = ("linear-a", "ll")
MAX_DEPTH = 16  # nesting of an inline expression (CPython's parser allows ~200)


# --- shapes: what extraction knows about a value ---------------------------------------


@dataclass(frozen=True, slots=True)
class Code:
    """A Python expression computing one real; depth 0 for a name or a literal."""

    text: str
    depth: int = 0


@dataclass(frozen=True, slots=True)
class Fn:
    """A Python name bound to a function: `params` arguments per call, results shaped
    like `result` (a skeleton: a shape whose texts are empty)."""

    text: str
    params: int
    result: "Shape"


Shape = Code | Fn | tuple  # tuples of shapes; () is the unit
REAL_SK = Code("")  # the skeleton of a real


def paren(c: Code) -> str:
    return c.text if c.depth == 0 else f"({c.text})"


def shape_text(s: Shape) -> str:
    """A Python expression for the whole value (tuples at function boundaries)."""
    if isinstance(s, tuple):
        return "(" + ", ".join(map(shape_text, s)) + ("," if len(s) == 1 else "") + ")"
    return s.text


def flat_text(s: Shape) -> str:
    """A λLL value at a function boundary: its leaves as one flat tuple, so that a
    right-nested tensor of n reals is an n-tuple, not n nested pairs (CPython's parser
    nests ~200 deep; nested names would grow with the depth)."""
    return shape_text(tuple(leaves(s))) if isinstance(s, tuple) else s.text


def rebuild(sk: Shape, parts: Any) -> Shape:
    """The skeleton sk with its leaves taken, in order, from the iterator parts."""
    return tuple(rebuild(c, parts) for c in sk) if isinstance(sk, tuple) else next(parts)


def skeleton(s: Shape) -> Shape:
    if isinstance(s, tuple):
        return tuple(map(skeleton, s))
    return REAL_SK if isinstance(s, Code) else Fn("", s.params, s.result)


def leaves(s: Shape) -> list[Code | Fn]:
    return [x for c in s for x in leaves(c)] if isinstance(s, tuple) else [s]


def fill(sk: Shape, text: str) -> Shape:
    """The skeleton with every real set to the literal `text` (zeros, ones)."""
    return tuple(fill(c, text) for c in sk) if isinstance(sk, tuple) else Code(text)


def lit_text(q) -> str:
    """An exact decimal, read exactly by the X1 checker; negative ones parenthesised, so
    that `(-0.5)` is a literal and `-(0.5)` the negation of one."""
    s = la.show_lit(q)
    return f"({s})" if s.startswith("-") else s


# --- the rule tables (the seam broken-rule tests patch) ---------------------------------


def infix(symbol: str) -> Callable[..., str]:
    return lambda a, b: f"{paren(a)} {symbol} {paren(b)}"


def _neg(a: Code) -> str:
    return f"-{a.text}" if a.text.isidentifier() else f"-({a.text})"


def _call(name: str) -> Callable[..., str]:
    return lambda *args: f"{name}({', '.join(a.text for a in args)})"


def _power(k: int) -> Callable[..., str]:
    return lambda a: f"{paren(a)} ** {k}"


PY_OPS: dict[Op, Callable[..., str]] = OpTable({
    op: _neg if op is Op.NEG else infix(r.symbol) if r.infix else _call(r.symbol)
    for op, r in PRIMS.items()}, _power)
LINEAR_OPS: dict[str, Callable[..., str]] = {
    "add": infix("+"), "scale": infix("*"), "ldiv": lambda s, v: infix("/")(v, s)}
PRIM_FUNCTIONS = tuple(sorted(r.symbol for r in PRIMS.values() if not r.infix))
RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | {
    "jax", "math", "numpy", "_", "HOLES", *PRIM_FUNCTIONS}


def hole_call(name: str, allowed: bool, pos) -> str:
    """The callee of the metavariable ?name: `HOLES['name']` (the module docstring)."""
    if not allowed:
        raise _out(f"metavariable ?{name}: an unknown subterm exists only in the induction "
                   f"proofs (extract(…, holes=True) calls HOLES[{name!r}])", pos)
    return f"HOLES[{name!r}]"


def pyname(name: str) -> str:
    """A Python identifier for a source name (`_t.1` → `_t_1`, `x'd` → `x_d`)."""
    s = re.sub(r"\W", "_", name)
    return "_" + s if s[:1].isdigit() else s


# --- one Python function body --------------------------------------------------------------


class _Body:
    """The statements of one Python function; closures nested in it share its names, so
    that no name is ever rebound (closures capture variables, not values).  Only a
    straight-line function's names are reused afterwards (`reuse_locals`)."""

    def __init__(self, names: Fresh, indent: int = 4) -> None:
        self.names, self.indent = names, indent
        self.lines: list[str] = []

    def emit(self, stmt: str, source: str = "") -> None:
        note = f"  # {source}" if source else ""
        self.lines.append(" " * self.indent + stmt + note)

    def name(self, source: str) -> str:
        return self.names(pyname(source))

    def bind(self, s: Shape, source: str) -> Shape:
        """Name every real of s that computes after the binder `source` (one statement
        each, annotated with the source name when it differs); aliases stay as they are."""
        match s:
            case Code(text, depth) if depth > 0:
                n = self.name(source)
                self.emit(f"{n} = {text}", source if n != source else "")
                return Code(n)
            case tuple():
                return tuple(self.bind(c, f"{source}_{i}") for i, c in enumerate(s))
        return s

    def alias(self, source: str, s: Shape) -> None:
        """A comment naming the source binder of a value that got no statement of its
        own (`dup`'s second name, a renamed variable, a literal)."""
        if isinstance(s, Code) and s.depth == 0 and s.text != source:
            self.lines.append(" " * self.indent + f"# {source} = {s.text}")

    def op(self, rule: Callable[..., str], *args: Code) -> Code:
        args = tuple(self.bind(a, "_t") if a.depth >= MAX_DEPTH else a for a in args)
        return Code(rule(*args), 1 + max((a.depth for a in args), default=0))

    def unpack(self, value: str, sk: Shape, source: str, flat: bool = False) -> Shape:
        """`target = value` with fresh names shaped like the skeleton sk (its leaves in
        one flat tuple when `flat`, the λLL boundary convention of `flat_text`)."""
        if sk == ():
            self.emit(value)
            return ()
        target, shape = self._target(sk, source, flat)
        self.emit(f"{target} = {value}")
        return shape

    def param(self, source: str, sk: Shape, flat: bool = False) -> tuple[str, Shape]:
        """A parameter's name and its shape (a tuple parameter is unpacked on entry)."""
        n = self.name(source)
        self.alias(source, Code(n))
        if isinstance(sk, tuple):
            return n, self.unpack(n, sk, source, flat)
        return n, (Code(n) if isinstance(sk, Code) else Fn(n, sk.params, sk.result))

    def _target(self, sk: Shape, source: str, flat: bool = False) -> tuple[str, Shape]:
        match sk:
            case Code():
                n = self.name(source)
                return n, Code(n)
            case Fn(_, params, result):
                n = self.name(source)
                return n, Fn(n, params, result)
            case ():
                return "_", ()
            case tuple() if flat:
                parts = [self._target(c, f"{source}_{i}") for i, c in enumerate(leaves(sk))]
                text = shape_text(tuple(Code(t) for t, _ in parts))
                return text, rebuild(sk, iter([s for _, s in parts]))
            case tuple():
                parts = [self._target(c, f"{source}_{i}") for i, c in enumerate(sk)]
                return shape_text(tuple(Code(t) for t, _ in parts)), tuple(s for _, s in parts)
        raise InternalError(f"bad skeleton {sk!r}")

    def discard(self, s: Shape) -> None:
        """Execute what computes in a discarded value (drop: its work is still done)."""
        for c in leaves(s):
            if isinstance(c, Code) and c.depth > 0:
                self.emit(c.text, "dropped")


class _Env:
    """Source name ↦ shape.  A scope is closed by undoing its bindings (`mark`/`close`),
    in time proportional to them: nested bound expressions cost no copies."""

    def __init__(self) -> None:
        self.map: dict[str, Shape] = {}
        self.log: list[tuple[str, Shape | None]] = []

    def __getitem__(self, name: str) -> Shape:
        return self.map[name]

    def __contains__(self, name: str) -> bool:
        return name in self.map

    def __setitem__(self, name: str, s: Shape) -> None:
        self.log.append((name, self.map.get(name)))
        self.map[name] = s

    def scoped(self, compile: Callable[..., Any], *args: Any) -> Any:
        """compile(*args) with the bindings it makes undone afterwards."""
        mark = len(self.log)
        try:
            return compile(*args)
        finally:
            while len(self.log) > mark:
                name, old = self.log.pop()
                if old is None:
                    del self.map[name]
                else:
                    self.map[name] = old


def _define(name: str, params: list[str], doc: str, body: _Body) -> list[str]:
    """`def name(params):` at the body's indentation minus 4, its docstring, its body."""
    ind = " " * (body.indent - 4)
    return [f"{ind}def {name}({', '.join(params)}):", f'{ind}    """{doc}"""', *body.lines]


IDENT = re.compile(r"(?<![\w.'])[^\W\d]\w*")  # a name in a statement (not in 1.5, 'h.T')
CALLEE = re.compile(r"[\w'\[\]]+(?=\()")  # what a statement calls: `sin`, `g`, `HOLES['h']`
PRIMS_CALLED = frozenset(PRIM_FUNCTIONS)


def _statement(line: str) -> tuple[str, str]:
    """(targets, value) of a statement as `_Body` emits it; targets '' for `return …`
    and an expression statement (a note after `  # ` ignored)."""
    code = line.partition("  # ")[0]
    targets, eq, value = code.partition(" = ")
    return (targets, value) if eq else ("", code)


def _params(head: str) -> list[str]:
    """The parameter names of a `def name(a, b, …):` line."""
    return [x for x in head[head.index("(") + 1:head.rindex(")")].split(", ") if x]


def schedule(lines: list[str]) -> list[str]:
    """List scheduling of one straight-line function as `_Body` emits it (top-level, or a
    closure without nested defs; one name per binder, never rebound): the statements in
    their order, except that a *reduction* — one target, arithmetic only (calls of
    PRIM_FUNCTIONS only, not of an extracted function or a hole), the last reader of
    every local it reads — is emitted as soon as its operands are defined.  T puts the `+.` that sum a dup'd variable's
    cotangents where dup was, after all of them (x's dup chain at x's binder), so that
    all the summands were live at once; scheduled, each `+` follows its last summand and
    the frame holds O(1) of them (with `reuse_locals` after).  Every statement still
    follows the definitions of the names it reads, so each computes the same value from
    the same operand values: same statements, same operations per value, only their
    interleaving changes (X1 bit for bit, X2).  Calls, expression statements and the
    `return` keep their relative order.  An alias comment `# source = name` follows
    name's statement; any other comment stays before the statement that followed it.
    Linear in the number of statements and reads."""
    head, body = lines[:2], lines[2:]
    stmts: list[str] = []
    before: list[list[str]] = []  # comments before statement i
    pending: list[str] = []
    after: list[list[str]] = []  # alias comments of statement i's targets
    targets: list[list[str]] = []
    reads: list[list[str]] = []
    defined_by: dict[str, int] = {}
    for line in body:
        if line.lstrip().startswith("#"):
            text = line.rpartition(" = ")[2]
            if text in defined_by:
                after[defined_by[text]].append(line)
            else:
                pending.append(line)
            continue
        t, value = _statement(line)
        targets.append([x for x in IDENT.findall(t) if x != "_"])
        reads.append(list(dict.fromkeys(IDENT.findall(value))))
        defined_by |= dict.fromkeys(targets[-1], len(stmts))
        stmts.append(line)
        before.append(pending)
        after.append([])
        pending = []
    names = set(_params(head[0])) | set(defined_by)
    reads = [[x for x in r if x in names] for r in reads]  # globals (functions) dropped
    readers: dict[str, list[int]] = {}
    for i, r in enumerate(reads):
        for x in r:
            readers.setdefault(x, []).append(i)
    unread = {x: len(rs) for x, rs in readers.items()}  # readers not yet emitted
    undefined = [sum(x in defined_by for x in r) for r in reads]
    reduction = [len(t) == 1 and bool(r) and set(CALLEE.findall(_statement(s)[1])) <= PRIMS_CALLED
                 for s, t, r in zip(stmts, targets, reads)]
    done = [False] * len(stmts)
    order: list[int] = []

    def ready(i: int) -> bool:
        return (not done[i] and reduction[i] and undefined[i] == 0
                and all(unread[x] == 1 for x in reads[i]))

    def emit(first: int) -> None:
        stack = [first]
        while stack:
            i = stack.pop()
            if done[i]:
                continue
            done[i] = True
            order.append(i)
            woken = []
            for x in targets[i]:
                for j in readers.get(x, ()):
                    undefined[j] -= 1
                    woken.append(j)
            for x in reads[i]:
                unread[x] -= 1
                if unread[x] == 1:
                    woken += [j for j in readers[x] if not done[j]]
            stack += sorted({j for j in woken if ready(j)}, reverse=True)

    for i in range(len(stmts)):
        if not done[i]:
            emit(i)
    out = head
    for i in order:
        out += [*before[i], stmts[i], *after[i]]
    return out + pending


def reuse_locals(lines: list[str]) -> list[str]:
    """Register allocation for one top-level straight-line function as `_Body` emits it
    (one statement a line: `targets = value`, `return value` or `value`; a note after
    `  # `): a binder takes the name of a local whose value is dead (read for the last
    time by an earlier statement, or by its own right-hand side, which is evaluated
    before any store), the one CPython numbers lowest first (parameters in order, then
    names by first occurrence; a frame slot's number is its LOAD_FAST/STORE_FAST
    argument, which takes one EXTENDED_ARG prefix from 256 on and two from 65536 on).
    The frame then holds only the live floats, the busy names keep small numbers, and
    CPython recycles the dead floats (its float free list) instead of keeping every
    intermediate until the return.  Only names change (a renamed binder gets its
    original name as a note, an alias comment `# source = name` follows its name); the
    statements, their operations and their order do not, so X1 and X2 hold unchanged.
    One pass over the text: O(n log n) in its size."""
    body = lines[2:]  # after the `def` and its docstring
    last = {x: i for i, line in enumerate(body) for x in IDENT.findall(_statement(line)[1])}
    slot = {x: x for x in _params(lines[0])}
    number = {x: k for k, x in enumerate(slot)}  # CPython's numbering of the slots
    free: list[tuple[int, str]] = []  # a heap of (number, slot)
    out = lines[:2]

    def release(names: list[str]) -> None:
        for x in names:
            heapq.heappush(free, (number[slot[x]], slot[x]))
    for i, line in enumerate(body):
        if line.lstrip().startswith("#"):
            code, sep, text = line.rpartition(" = ")
            out.append(code + sep + slot.get(text, text) if sep else line)
            continue
        targets, value = _statement(line)
        release([x for x in dict.fromkeys(IDENT.findall(value)) if last[x] == i and x in slot])
        stores = [x for x in IDENT.findall(targets) if x != "_"]
        for x in stores:
            if free:
                slot[x] = heapq.heappop(free)[1]
            else:
                slot[x] = x
                number[x] = len(number)
        release([x for x in stores if x not in last])  # never read: dead at once
        code, sep, note = line.partition("  # ")
        renamed = ", ".join(x for x in stores if slot[x] != x)
        note = sep + note if sep else "  # " + renamed if renamed else ""
        out.append(IDENT.sub(lambda m: slot.get(m[0], m[0]), code) + note)
    return out


# --- Linear A ---------------------------------------------------------------------------------


def la_skeleton(t: la.Type) -> Shape:
    match t:
        case la.RealT():
            return REAL_SK
        case la.TupT(elems):
            return tuple(map(la_skeleton, elems))
        case _:
            assert_never(t)


def results_skeleton(types: tuple[la.Type, ...]) -> Shape:
    """A Python function returns one result bare, several (or none) as a tuple."""
    return la_skeleton(types[0]) if len(types) == 1 else tuple(map(la_skeleton, types))


def results_text(shapes: list[Shape]) -> str:
    return shape_text(shapes[0]) if len(shapes) == 1 else shape_text(tuple(shapes))


class _LinearA:
    """Linear A functions as Python functions, one case per constructor."""

    def __init__(self, program: la.Program, fnames: dict[str, str], reserved: frozenset,
                 reuse: bool = False, holes: bool = False) -> None:
        self.program, self.fnames, self.reserved, self.reuse = program, fnames, reserved, reuse
        self.holes = holes

    def function(self, f: la.FunDef, reverse: bool = False) -> list[str]:
        """f as a Python function; its parameters in reverse order when `reverse` (the
        backward of `_grad_la`: CPython numbers the frame's slots parameters first, and the
        backward reads its tape from the end, so that reversed the slots it frees first,
        which `reuse_locals` hands on, have the smallest numbers)."""
        b = _Body(Fresh(self.reserved, sep="_"))
        names, env = [], _Env()
        for x, t in f.nl_params + f.lin_params:
            n, env[x] = b.param(x, la_skeleton(t))
            names.append(n)
        nl, lin = self.expr(f.body, env, b, ())
        b.emit("return " + results_text(nl + lin))
        doc = f"Linear A `{f.signature}`" + ", parameters in reverse order" * reverse
        lines = _define(self.fnames[f.name], names[::-1] if reverse else names, doc, b)
        return reuse_locals(schedule(lines)) if self.reuse else lines

    def call(self, f: str, args: list[Shape], b: _Body, hints: la.Names) -> list[Shape]:
        """f(args) with its results bound to names after the binders `hints`."""
        callee = self.program.get(f)
        return self.results(f"{self.fnames[f]}({', '.join(map(shape_text, args))})",
                            callee.nl_results + callee.lin_results, b, hints)

    @staticmethod
    def results(value: str, types: tuple[la.Type, ...], b: _Body, hints: la.Names) -> list[Shape]:
        """`targets = value` for a call returning `types` (one bare, several a tuple)."""
        if len(types) == 1:
            return [b.unpack(value, la_skeleton(types[0]), (hints or ("_r",))[0])]
        names = hints if len(hints) == len(types) else ("_r",) * len(types)
        target = [b._target(la_skeleton(t), n) for t, n in zip(types, names)]
        b.emit(f"{', '.join(t for t, _ in target)} = {value}" if types else value)
        return [s for _, s in target]

    def expr(self, e: la.Expr, env: _Env, b: _Body, hints: la.Names) -> tuple[list, list]:
        """(shapes of the non-linear results ; of the linear results).  Let-chains are
        followed in a loop; a bound expression is compiled in its own scope."""
        while True:
            match e:
                case la.Let(xs, ys, bound, body):
                    nl, lin = env.scoped(self.expr, bound, env, b, xs + ys)
                    for x, s in zip(xs + ys, nl + lin, strict=True):
                        env[x] = b.bind(s, x)
                        if env[x] is s:  # no statement of its own
                            b.alias(x, s)
                    e = body
                case la.UnpackTup(xs, t, body) | la.UnpackLtup(xs, t, body):
                    for x, s in zip(xs, env[t], strict=True):
                        env[x] = s
                    e = body
                case _:
                    return self.leaf(e, env, b, hints)

    def leaf(self, e: la.Expr, env: _Env, b: _Body, hints: la.Names) -> tuple[list, list]:
        one = lambda a: env.scoped(self.expr, a, env, b, ())  # noqa: E731
        match e:
            case la.Ret(xs, ys):
                return [env[x] for x in xs], [env[y] for y in ys]
            case la.Call(f, xs, ys):
                out = self.call(f, [env[v] for v in xs + ys], b, hints)
                n = len(self.program.get(f).nl_results)
                return out[:n], out[n:]
            case la.Var(x):
                return [env[x]], []
            case la.Lit(q):
                return [Code(lit_text(q))], []
            case la.Tup(xs):
                return [tuple(env[x] for x in xs)], []
            case la.Prim(op, args):
                return [b.op(PY_OPS[op], *(one(a)[0][0] for a in args))], []
            case la.LVar(y):
                return [], [env[y]]
            case la.LTup(ys):
                return [], [tuple(env[y] for y in ys)]
            case la.LAdd(x, y):
                return [], [self.add(one(x)[1][0], one(y)[1][0], b)]
            case la.LScale(s, v):
                return [], [self.scale(one(s)[0][0], one(v)[1][0], b)]
            case la.LDiv(v, s):
                return [], [self.scale(one(s)[0][0], one(v)[1][0], b, "ldiv")]
            case la.Zero(t):
                return [], [fill(la_skeleton(t), "0.0")]
            case la.Dup(a):
                (v,) = one(a)[1]
                v = b.bind(v, (hints or ("_d",))[0])
                return [], [v, v]
            case la.Drop(a):
                nl, lin = one(a)
                b.discard(tuple(nl + lin))
                return [], []
            case la.Hole(h, xs, ys, nl, lin):
                args = ", ".join(shape_text(env[v]) for v, _ in xs + ys)
                out = self.results(f"{hole_call(h, self.holes, e.pos)}({args})", nl + lin, b, hints)
                return out[:len(nl)], out[len(nl):]
            case la.Let() | la.UnpackTup() | la.UnpackLtup():
                return self.expr(e, env, b, hints)
            case _:
                assert_never(e)

    @staticmethod
    def add(x: Shape, y: Shape, b: _Body) -> Shape:
        """+. componentwise (plus[D] in λLL)."""
        if isinstance(x, tuple):
            return tuple(_LinearA.add(p, q, b) for p, q in zip(x, y, strict=True))
        return b.op(LINEAR_OPS["add"], x, y)

    @staticmethod
    def scale(s: Code, v: Shape, b: _Body, name: str = "scale") -> Shape:
        """s *. v componentwise (scale[D]), or v /. s (name "ldiv", ldiv[D]); s is named
        first when it computes and v has several reals, so that it is computed once, and
        executed alone when v has none (W(s *. v) counts W(s) whatever k is)."""
        if not leaves(v):
            b.discard(s)
        elif len(leaves(v)) > 1:
            s = b.bind(s, "_s")
        return tuple(_LinearA.scale(s, c, b, name) for c in v) if isinstance(v, tuple) \
            else b.op(LINEAR_OPS[name], s, v)


# --- λLL ---------------------------------------------------------------------------------------


def ll_skeleton(t: ll.Type) -> Shape:
    match t:
        case ll.Real():
            return REAL_SK
        case ll.One():
            return ()
        case ll.Tensor(a, c):
            return (ll_skeleton(a), ll_skeleton(c))
        case ll.Bang(a):
            return ll_skeleton(a)
        case ll.Lolli(_, c):
            return Fn("", 1, ll_skeleton(c))
        case _:
            assert_never(t)


def _out(what: str, pos=None) -> OutOfFragment:
    return OutOfFragment("extract", what, pos)


class _LL:
    """λLL definitions (first-order programs and their F, T_LL images) as Python
    functions; a definition's leading `fun`s are its parameters.  Values cross every
    λLL function boundary (definitions, closures) as `flat_text` tuples."""

    def __init__(self, fnames: dict[str, str], reserved: frozenset, holes: bool = False) -> None:
        self.fnames, self.reserved, self.holes = fnames, reserved, holes
        self.defs: dict[str, Fn] = {}

    def function(self, d: ll.Def) -> list[str]:
        params, t, ty = [], d.body, d.ty
        while isinstance(t, ll.Fun) and isinstance(ty, ll.Lolli):
            params.append((t.var, t.ty))
            t, ty = t.body, ty.cod
        self.defs[d.name] = Fn(self.fnames[d.name], len(params), ll_skeleton(ty))
        b = _Body(Fresh(self.reserved, sep="_"))
        names, env = [], _Env()
        for x, pty in params:
            n, env[x] = b.param(x, ll_skeleton(pty), flat=True)
            names.append(n)
        b.emit("return " + flat_text(self.term(t, env, b, "_r")))
        return _define(self.fnames[d.name], names, f"λLL `{d.name} : {d.ty}`", b)

    def term(self, t: ll.Term, env: _Env, b: _Body, hint: str) -> Shape:
        sub = lambda s, h=hint: env.scoped(self.term, s, env, b, h)  # noqa: E731
        while True:
            match t:
                case ll.LetBang(u, bound, body):
                    env[u] = b.bind(sub(bound, u), u)
                    t = body
                case ll.LetPair(x, y, bound, body):
                    sx, sy = sub(bound, x)
                    env[x], env[y] = b.bind(sx, x), b.bind(sy, y)
                    t = body
                case ll.LetUnit(bound, body):
                    b.discard(sub(bound, "_u"))
                    t = body
                case ll.Promote(body):
                    t = body
                case ll.Var(x) if x in env:
                    return env[x]
                case ll.Var(x):  # a top-level definition: a function, or called if nullary
                    fn = self.defs[x]
                    return fn if fn.params else self.apply(fn, [], b, hint, t.pos)
                case ll.Fun(x, ty, body):
                    return self.closure(x, ty, body, env, b, hint)
                case ll.App():
                    head, args = t, []
                    while isinstance(head, ll.App):
                        args.insert(0, head.arg)
                        head = head.fn
                    if isinstance(head, ll.Const):
                        return self.const(head, [sub(a, "_a") for a in args], b, hint)
                    fn = sub(head, "_f")
                    if not isinstance(fn, Fn):
                        raise _out("application of a non-function", t.pos)
                    return self.apply(fn, [sub(a, "_a") for a in args], b, hint, t.pos)
                case ll.Unit():
                    return ()
                case ll.Pair(left, right):
                    return (sub(left), sub(right))
                case ll.Lit(q):
                    return Code(lit_text(q))
                case ll.Const():
                    return self.const(t, [], b, hint)
                case ll.Hole(h, gamma, delta, ty):
                    args = ", ".join(flat_text(env[v]) for v, _ in gamma + delta)
                    return b.unpack(f"{hole_call(h, self.holes, t.pos)}({args})", ll_skeleton(ty),
                                    hint, flat=True)
                case _:
                    assert_never(t)

    def closure(self, x: str, ty: ll.Type, body: ll.Term, env: _Env, b: _Body,
                hint: str) -> Fn:
        """`fun (x : A) -> body` as a nested def capturing the names in scope."""
        name = b.name("_back" if hint == "_r" else hint)
        inner = _Body(b.names, b.indent + 4)

        def compile_body() -> tuple[str, Shape]:
            n, env[x] = inner.param(x, ll_skeleton(ty), flat=True)
            return n, self.term(body, env, inner, "_r")
        n, result = env.scoped(compile_body)
        inner.emit("return " + flat_text(result))
        lines = _define(name, [n], f"fun ({x} : {ty}) -> …", inner)
        nested = any(line.lstrip().startswith("def ") for line in lines[1:])
        b.lines += lines if nested else reuse_locals(schedule(lines))  # its locals: its own
        return Fn(name, 1, skeleton(result))

    def apply(self, fn: Fn, args: list[Shape], b: _Body, hint: str, pos) -> Shape:
        """fn a1 … an as Python calls (several when fn returns a function)."""
        while True:
            if len(args) < fn.params:
                raise _out(f"partial application of {fn.text} ({len(args)} of {fn.params} "
                           "arguments)", pos)
            now, args = args[:fn.params], args[fn.params:]
            value = b.unpack(f"{fn.text}({', '.join(map(flat_text, now))})", fn.result, hint,
                             flat=True)
            if not args:
                return value
            if not isinstance(value, Fn):
                raise _out("application of a non-function", pos)
            fn = value

    def const(self, c: ll.Const, args: list[Shape], b: _Body, hint: str) -> Shape:
        """A fully applied constant: a row of PY_OPS or LINEAR_OPS, per real of D."""
        arity = len(ll.const_args(c.name, c.index)[0])
        if len(args) != arity:
            raise _out(f"constant {c.name} applied to {len(args)} of {arity} arguments", c.pos)
        match c.name:
            case "plus":
                return _LinearA.add(args[0], args[1], b)
            case "scale" | "ldiv":
                return _LinearA.scale(args[0], args[1], b, c.name)
            case "zero":
                return fill(ll_skeleton(c.index), "0.0")
            case "dup":
                v = b.bind(args[0], hint)
                return (v, v)
            case "drop":
                b.discard(args[0])
                return ()
        return b.op(PY_OPS[OP_BY_NAME[c.name]], *args)


def _ll_reachable(program: ll.Program, name: str) -> list[ll.Def]:
    seen, defs = {name}, {d.name for d in program.defs}
    for d in reversed(program.defs):
        if d.name in seen:  # an over-approximation (bound names too) is harmless
            seen |= {s.name for s in ll.subterms(d.body) if isinstance(s, ll.Var)} & defs
    return [d for d in program.defs if d.name in seen]


# --- drivers and the module -----------------------------------------------------------------------


def _untensor(s: Shape, n: int) -> list[Shape]:
    """The n components of a right-nested tensor shape (calculus.grad_ll.untensor)."""
    if n == 0:
        return []
    out = []
    for _ in range(n - 1):
        out.append(s[0])
        s = s[1]
    return out + [s]


def _tensor(shapes: list[Shape]) -> Shape:
    """(s1, (s2, … sn)), right-nested; () when empty (⟦·⟧ of tuples)."""
    if not shapes:
        return ()
    out = shapes[-1]
    for s in reversed(shapes[:-1]):
        out = (s, out)
    return out


def _encode(s: Shape, t: la.Type) -> Shape:
    """A Linear A value's shape as the shape of its λLL encoding (tuples right-nested)."""
    if isinstance(t, la.RealT):
        return s
    return _tensor([_encode(c, u) for c, u in zip(s, t.elems, strict=True)])


def _decode(s: Shape, t: la.Type) -> Shape:
    if isinstance(t, la.RealT):
        return s
    return tuple(_decode(c, u) for c, u in zip(_untensor(s, len(t.elems)), t.elems))


def _grad_la(program: la.Program, func: str, rev, names: dict[str, str],
             reserved: frozenset, holes: bool = False) -> tuple[list[str], list[str]]:
    """T∘U∘J (rev, a `linear_a.grad.Reverse`): the functions f.jvp.nonlin, f.jvp.lin.T
    (and callees), straight-line, so with `reuse_locals`, and FUNC_grad."""
    funcs = list(rev.gradient_program().funcs)
    reserved = _name_functions(names, [g.name for g in funcs], reserved)
    tr = _LinearA(rev.program, names, reserved, reuse=True, holes=holes)
    f, k = program.get(func), len(rev.program.get(rev.nonlin).nl_results)
    b = _Body(Fresh(reserved, sep="_"))
    params = [b.param(x, REAL_SK)[0] for x, _ in f.nl_params]  # passed on whole
    n, out = len(f.nl_results), b.name("out")
    call = f"{names[rev.nonlin]}({', '.join(params)})"
    b.emit(f"{out} = {call if k != 1 else f'({call},)'}", "primal results, then the tape")
    primal = f"{out}[0]" if n == 1 else f"{out}[:{n}]"
    ct = [shape_text(fill(la_skeleton(t), "1.0")) for t in f.nl_results]
    tape = [f"*{out}[:{n - 1}:-1]"] if k > n else []  # reversed, as the backward takes it
    g = f"{names[rev.backward]}({', '.join(ct[::-1] + tape)})"
    b.emit(f"return {primal}, {g if len(params) != 1 else f'({g},)'}")
    return [line for g_ in funcs for line in [*tr.function(g_, g_.name == rev.backward), ""]], \
        _define(pyname(func) + "_grad", params, f"(primal, gradient) of {func} by T∘U∘J, "
                "cotangent 1 on every real result; the tape stays one tuple, passed on "
                "reversed.", b)


def _grad_ll(built, names: dict[str, str], reserved: frozenset,
             holes: bool = False) -> tuple[list[str], list[str]]:
    """T_LL∘F∘⟦·⟧ (built, a `grad_ll.LLReverse`): the definitions f'F'T (and callees)
    and FUNC_grad."""
    defs = _ll_reachable(built.program, built.name)
    reserved = _name_functions(names, [d.name for d in defs], reserved)
    tr = _LL(names, reserved, holes)
    lines = [line for d in defs for line in [*tr.function(d), ""]]
    f = built.func
    b = _Body(Fresh(reserved, sep="_"))
    params = [b.param(x, la_skeleton(t)) for x, t in f.nl_params]
    args = [_encode(s, t) for (_, s), (_, t) in zip(params, f.nl_params)] or [()]
    primal, back = tr.apply(tr.defs[built.name], args, b, "_r", None)
    n = len(f.nl_results)
    ct = _tensor([_encode(fill(la_skeleton(t), "1.0"), t) for t in f.nl_results])
    g = tr.apply(back, [ct], b, "_g", None)
    types = [t for _, t in f.nl_params] or [None]
    grads = [_decode(c, t) for c, t in zip(_untensor(g, len(types)), types) if t is not None]
    prim = [_decode(c, t) for c, t in zip(_untensor(primal, n), f.nl_results)]
    b.emit(f"return {results_text(prim)}, {shape_text(tuple(grads))}")
    return lines, _define(pyname(f.name) + "_grad", [p for p, _ in params],
                          f"(primal, gradient) of {f.name} by T_LL∘F∘⟦·⟧, cotangent 1 on "
                          "every real result.", b)


def _name_functions(names: dict[str, str], sources: list[str], reserved: frozenset) -> frozenset:
    """Give each source function a distinct Python name (added to `names`); the names
    of the module's functions are reserved in every body."""
    fresh = Fresh(reserved | set(names.values()), sep="_")
    names |= {n: fresh(pyname(n)) for n in sources if n not in names}
    return reserved | frozenset(names.values())


@deep
def transform(program: la.Program, func: str, via: str = "linear-a", policy: str = "store"):
    """The gradient transformation extraction reads: T∘U∘J (`linear_a.grad.reverse`) or
    T_LL∘F∘⟦·⟧ (`grad_ll.build`)."""
    if via == "linear-a":
        from .linear_a.grad import reverse
        return reverse(program, func, policy)
    from .grad_ll import build
    return build(program, func)


@deep
def extract(program: la.Program, func: str, grad: bool = False, via: str = "linear-a",
            policy: str = "store", target: str = "python", built: Any = None,
            holes: bool = False) -> str:
    """The source of a self-contained Python module computing `func` (or, with grad,
    `func_grad` returning (primal, gradient)), in the module docstring's shape.
    `built` is the transformation's result when already computed (`transform`), so
    that its time can be told from extraction's own.  `holes`: metavariables are
    extracted as calls of `HOLES[name]` (the induction proofs of X1, X2), else rejected.

    Errors: an ill-typed program or one outside a transformation's fragment is the
    checker's or the transformation's `CalculusError`; grad of a function with linear
    parameters or results is a `CalculusError` with rule "grad"."""
    if target not in TARGETS or via not in VIAS or policy not in ("store", "recompute"):
        raise ValueError(f"extract: unknown target/via/policy {target!r}/{via!r}/{policy!r}")
    check_program(program)
    f = program.get(func)
    names = {} if grad else {func: pyname(func)}
    reserved = RESERVED | {pyname(func), pyname(func) + "_grad"}
    route = ""
    if not grad:
        sources = reachable(program, func)
        tr = _LinearA(program, names, _name_functions(names, sources, reserved), holes=holes)
        body, entry = [line for n in sources for line in [*tr.function(program.get(n)), ""]], []
    elif f.lin_params or f.lin_results:
        raise CalculusError("grad", f"`{func}` has linear parameters or results; grad "
                            "applies to f(x̄ ;) -> (τ̄ ;)", f.pos)
    elif via == "linear-a":
        body, entry = _grad_la(program, func, built or transform(program, func, via, policy),
                               names, reserved, holes)
        route = " by T∘U∘J"
    else:
        body, entry = _grad_ll(built or transform(program, func, via, policy), names, reserved,
                               holes)
        route = " by T_LL∘F∘⟦·⟧"
    head = [f'"""`{func}`{" and its gradient" if grad else ""}{route}, extracted by llad '
            f"(target {target}{', policy ' + policy if grad and via == 'linear-a' else ''}).",
            "", "Python name  <-  source function:"]
    head += [f"  {py}  <-  {src}" for src, py in names.items()]
    table = ["HOLES: dict = {}  # metavariable name -> function, filled by the caller", ""] \
        if holes else []
    return "\n".join(head + ['"""', "", *TARGETS[target], "", *table, "", *body, *entry, ""])
