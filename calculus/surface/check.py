"""Static semantics of the surface language (SPEC §2.5): which Python programs are in
the subset, and the type of every function.

    module ::= docstring? (import | def)*
    def    ::= def f(x1[: T1], …, xn[: Tn]) [-> T]: docstring? (target = e)* return r
    target ::= x | (target, …, target)                 unpacking, nested
    r      ::= e | e1, …, en                             n ≥ 2: n results
    e      ::= x | c | -e | e + e | e - e | e * e | e / e | e ** k | (e, …, e)
             | p(e) | g(e, …, e)                         p ∈ sin cos exp log sqrt tanh,
                                                         bare or math./np./numpy./jnp.;
                                                         g earlier; k an integer literal
                                                         (`3`, `-1`): the primitive powi[k]
    T      ::= float | tuple[T, …, T]                    an unannotated parameter is float
    import ::= import math | import numpy [as np] | import jax.numpy as jnp
             | from math|numpy|jax.numpy import p, …    (no effect: p is always known)

Values are reals and tuples, typed by Linear A's non-linear types (real = float,
(τ1, …, τn) = tuple[…]).  The judgement is Python's own semantics restricted to this
grammar: statements run in order, reassignment shadows, a name is bound from its
assignment on.  `return e1, …, en` (a tuple display with n ≥ 2) gives the function n
results; any other `return e` gives one result (possibly a tuple), so calling a
several-result function yields the tuple of its results, as in Python.

Every construct outside the grammar, every unbound name, recursion, call to an unknown
or later function, and every type or arity mismatch raises
`SurfaceError(rule, message, pos, construct)`: `rule` names the construct in words
("for loop", "recursion", "type mismatch", …), `construct` is the class name of the
offending `ast` node, `pos` its line and column.  The compiler and the interpreter both
start from the `Surface` returned here, so they accept exactly the same programs.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from fractions import Fraction

from ..deep import deep
from ..errors import InternalError, Pos, SurfaceError
from ..linear_a.syntax import REAL, TupT, Type
from ..primitives import POWI_MAX, PRIMS, Op, PowI

BINOPS: dict[type, Op] = {ast.Add: Op.ADD, ast.Sub: Op.SUB, ast.Mult: Op.MUL, ast.Div: Op.DIV}
# Primitives callable by name: the ones with a function symbol (sin cos … tanh).
PRIM_NAMES: dict[str, Op] = {r.symbol: op for op, r in PRIMS.items() if not r.infix}
MODULE_PREFIXES = {"math", "np", "numpy", "jnp"}  # `math.sin`, `jnp.exp`, …
# accepted `import m [as a]`, as (m, a), and the modules of `from m import p`
IMPORTS = {("math", None), ("numpy", None), ("numpy", "np"), ("jax.numpy", "jnp")}
FROM_MODULES = {"math", "numpy", "jax.numpy"}

# ast class name → the construct in words (the `rule` of its SurfaceError).
CONSTRUCTS = {
    "For": "for loop", "AsyncFor": "for loop", "While": "while loop",
    "If": "if statement", "IfExp": "conditional expression", "Match": "match statement",
    "Lambda": "lambda", "Compare": "comparison", "BoolOp": "boolean operator",
    "Subscript": "indexing", "Slice": "slice", "Attribute": "attribute",
    "AugAssign": "augmented assignment", "AnnAssign": "annotated assignment",
    "NamedExpr": "assignment expression", "Starred": "starred expression",
    "Global": "global declaration", "Nonlocal": "nonlocal declaration",
    "List": "list", "Tuple": "tuple", "Dict": "dict", "Set": "set",
    "ListComp": "comprehension", "SetComp": "comprehension", "DictComp": "comprehension",
    "GeneratorExp": "generator expression", "JoinedStr": "f-string",
    "Await": "await", "Yield": "yield", "YieldFrom": "yield",
    "With": "with statement", "AsyncWith": "with statement", "Try": "try statement",
    "TryStar": "try statement", "Raise": "raise", "Assert": "assert", "Delete": "del",
    "Pass": "pass", "Break": "break", "Continue": "continue", "ClassDef": "class",
    "AsyncFunctionDef": "async function", "FunctionDef": "nested function",
    "Import": "import", "ImportFrom": "import", "Expr": "expression statement",
    "Mod": "modulo operator", "FloorDiv": "floor division",
    "MatMult": "matrix multiplication", "LShift": "bitwise operator",
    "RShift": "bitwise operator", "BitOr": "bitwise operator", "BitXor": "bitwise operator",
    "BitAnd": "bitwise operator", "UAdd": "unary plus", "Not": "not",
    "Invert": "bitwise not", "keyword": "keyword argument", "Call": "call",
}


@dataclass(frozen=True, slots=True)
class Function:
    """A checked surface function.

    params -- (name, type) in order
    results-- the result types: n of them for `return e1, …, en` (n ≥ 2), else one
    multi  -- whether the return statement gives several results
    body   -- the assignments and the final `return`, docstring removed
    """

    name: str
    node: ast.FunctionDef
    params: tuple[tuple[str, Type], ...]
    results: tuple[Type, ...]
    multi: bool
    body: tuple[ast.stmt, ...]

    @property
    def value_type(self) -> Type:
        """The type of a call's Python value (a several-result call yields a tuple)."""
        return TupT(self.results) if self.multi else self.results[0]


@dataclass(frozen=True)
class Surface:
    """A program of the subset.  `callee` resolves every call node (by `id`) to a
    primitive or to the name of an earlier function; `module` is kept alive so the ids
    stay valid."""

    module: ast.Module
    file: str | None
    funcs: dict[str, Function]  # in definition order
    callee: dict[int, Op | str] = field(repr=False)

    def pos(self, node: ast.AST) -> Pos:
        return pos_of(node, self.file)


def pos_of(node: ast.AST, file: str | None) -> Pos:
    """ast positions are 1-based lines and 0-based columns; `Pos` is 1-based in both."""
    return Pos(getattr(node, "lineno", 0), getattr(node, "col_offset", -1) + 1, file)


def literal(node: ast.Constant, file: str | None = None) -> Fraction:
    """The exact value of a numeric literal: `Fraction(repr(float))` (the shortest
    decimal that reads back as the double, so the printer can write it) or the int."""
    v = node.value
    match v:
        case bool():
            raise _error(node, file, "boolean literal")
        case int():
            return Fraction(v)
        case float() if math.isfinite(v):
            return Fraction(repr(v))
        case float():
            raise _error(node, file, "non-finite literal")
        case str():
            raise _error(node, file, "string literal")
        case complex():
            raise _error(node, file, "complex literal")
        case _:
            raise _error(node, file, f"{type(v).__name__} literal")


def exponent(e: ast.expr) -> int | None:
    """k if e is an integer literal `k` or `-k` with |k| ≤ POWI_MAX (the exponent of
    `x ** k`), else None."""
    match e:
        case ast.UnaryOp(ast.USub(), operand):
            k = exponent(operand)
            return None if k is None else -k
        case ast.Constant(bool()):
            return None
        case ast.Constant(int() as k) if abs(k) <= POWI_MAX:
            return k
    return None


def power(right: ast.expr) -> PowI:
    """The primitive of `x ** right`, the checker having accepted the exponent."""
    k = exponent(right)
    if k is None:
        raise InternalError(f"checked exponent `{ast.unparse(right)}` is not an integer literal")
    return PowI(k)


def _error(node: ast.AST, file: str | None, rule: str | None = None, detail: str = "",
           construct: str | None = None) -> SurfaceError:
    """The SurfaceError for `node`; `rule` defaults to the construct in words."""
    cls = construct or type(node).__name__
    rule = rule or CONSTRUCTS.get(cls, cls)
    msg = detail or f"{rule} is not in the surface language"
    return SurfaceError(rule, msg, pos_of(node, file), construct=cls)


@deep
def analyse(source: str | ast.Module, file: str | None = None) -> Surface:
    """Parse (if given text) and check a surface program; raise the first SurfaceError."""
    if isinstance(source, str):
        try:
            module = ast.parse(source, filename=file or "<surface>")
        except SyntaxError as exc:
            raise SurfaceError("syntax", f"Python syntax error: {exc.msg}",
                               Pos(exc.lineno or 0, exc.offset or 0, file),
                               construct="SyntaxError") from None
    else:
        module = source
    return _Module(module, file).check()


class _Module:
    def __init__(self, module: ast.Module, file: str | None) -> None:
        self.module, self.file = module, file
        self.funcs: dict[str, Function] = {}
        self.callee: dict[int, Op | str] = {}
        # every def of the module, to tell a call to a later function from an unknown one
        self.all_defs = {s.name for s in module.body if isinstance(s, ast.FunctionDef)}

    def err(self, node: ast.AST, rule: str | None = None, detail: str = "",
            construct: str | None = None) -> SurfaceError:
        return _error(node, self.file, rule, detail, construct)

    def check(self) -> Surface:
        for i, stmt in enumerate(self.module.body):
            match stmt:
                case ast.Expr(ast.Constant(str())) if i == 0:
                    pass  # module docstring
                case ast.Import() | ast.ImportFrom():
                    self.check_import(stmt)
                case ast.FunctionDef():
                    if stmt.name in self.funcs:
                        raise self.err(stmt, "redefinition",
                                       f"function `{stmt.name}` is defined twice")
                    self.funcs[stmt.name] = _Function(self, stmt).check()
                case ast.Assign() | ast.AnnAssign() | ast.AugAssign():
                    raise self.err(stmt, "global variable", "module-level variables are not "
                                   "in the surface language; assign inside the function")
                case _:
                    raise self.err(stmt)
        return Surface(self.module, self.file, self.funcs, self.callee)

    def check_import(self, stmt: ast.Import | ast.ImportFrom) -> None:
        """Imports of the math modules are accepted and have no effect."""
        match stmt:
            case ast.Import(names):
                for a in names:
                    if (a.name, a.asname) not in IMPORTS:
                        raise self.err(stmt, "import", "only `import math`, `import numpy "
                                       "as np` and `import jax.numpy as jnp` are accepted")
            case ast.ImportFrom(mod, names):
                for a in names:
                    future = mod == "__future__"
                    if not future and (mod not in FROM_MODULES or a.name not in PRIM_NAMES
                                       or a.asname is not None):
                        raise self.err(stmt, "import", f"only `from math import "
                                       f"{', '.join(PRIM_NAMES)}` (or from numpy, jax.numpy) "
                                       "is accepted")


class _Function:
    """Checks one definition; `env` maps each bound name to its type (Python scoping:
    a name is bound from its assignment on, reassignment replaces it)."""

    def __init__(self, mod: _Module, node: ast.FunctionDef) -> None:
        self.mod, self.node = mod, node
        self.env: dict[str, Type] = {}

    def err(self, node: ast.AST, rule: str | None = None, detail: str = "",
            construct: str | None = None) -> SurfaceError:
        return self.mod.err(node, rule, detail, construct)

    def check(self) -> Function:
        node = self.node
        self.identifier(node.name, node)
        if node.decorator_list:
            raise self.err(node.decorator_list[0], "decorator", construct="FunctionDef")
        params = self.params(node.args)
        self.env = dict(params)
        body = list(node.body)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]  # docstring
        for i, stmt in enumerate(body):
            match stmt:
                case ast.Assign(targets, value):
                    if len(targets) != 1:
                        raise self.err(stmt, "chained assignment")
                    t = self.expr(value)
                    self.distinct(targets[0])
                    self.bind(targets[0], t)
                case ast.Return(value):
                    if i != len(body) - 1:
                        raise self.err(body[i + 1], "unreachable code",
                                       "statements after `return` are never run")
                    results, multi = self.ret(stmt, value)
                    self.check_returns(results, multi)
                    return Function(node.name, node, params, results, multi, tuple(body))
                case _:
                    raise self.err(stmt)
        raise self.err(node, "missing return", f"`{node.name}` must end with `return`")

    def params(self, args: ast.arguments) -> tuple[tuple[str, Type], ...]:
        extra = [("positional-only parameter", args.posonlyargs),
                 ("*args", [args.vararg] if args.vararg else []),
                 ("keyword-only parameter", args.kwonlyargs),
                 ("**kwargs", [args.kwarg] if args.kwarg else []),
                 ("default value", args.defaults + [d for d in args.kw_defaults if d])]
        for rule, nodes in extra:
            if nodes:
                raise self.err(nodes[0], rule, construct="arguments")
        out = []
        for a in args.args:
            self.identifier(a.arg, a)
            out.append((a.arg, REAL if a.annotation is None else self.annotation(a.annotation)))
        return tuple(out)

    def annotation(self, ann: ast.expr) -> Type:
        """float → real; tuple[T1, …, Tn] → (T1, …, Tn)."""
        match ann:
            case ast.Name("float"):
                return REAL
            case ast.Subscript(ast.Name("tuple"), ast.Tuple(elts)):
                return TupT(tuple(self.annotation(e) for e in elts))
            case ast.Subscript(ast.Name("tuple"), elt):
                return TupT((self.annotation(elt),))
        raise self.err(ann, "annotation", "annotations must be `float` or `tuple[…]`")

    def check_returns(self, results: tuple[Type, ...], multi: bool) -> None:
        """A return annotation must describe the returned Python value."""
        ann = self.node.returns
        if ann is None:
            return
        want = self.annotation(ann)
        got = TupT(results) if multi else results[0]
        if want != got:
            raise self.err(ann, "return annotation", f"`{self.node.name}` returns {got}, "
                           f"annotated {want}", construct="FunctionDef")

    def identifier(self, name: str, node: ast.AST) -> None:
        if not name.isascii():
            raise self.err(node, "identifier", f"`{name}`: only ASCII identifiers are "
                           "accepted (Linear A names are ASCII)")

    def ret(self, stmt: ast.Return, value: ast.expr | None) -> tuple[tuple[Type, ...], bool]:
        match value:
            case None:
                raise self.err(stmt, "return without value")
            case ast.Tuple(elts) if len(elts) >= 2:
                return tuple(self.expr(e) for e in elts), True
            case _:
                return (self.expr(value),), False

    # -- targets --------------------------------------------------------------------------

    def distinct(self, target: ast.expr) -> None:
        """A target binds each name at most once (Linear A patterns are linear)."""
        if isinstance(target, ast.Name):
            return
        seen: set[str] = set()
        for n in ast.walk(target):
            if isinstance(n, ast.Name):
                if n.id in seen:
                    raise self.err(n, "duplicate target",
                                   f"`{n.id}` is assigned twice by one statement")
                seen.add(n.id)

    def bind(self, target: ast.expr, t: Type) -> None:
        match target:
            case ast.Name(x):
                self.identifier(x, target)
                self.env[x] = t
            case ast.Tuple(elts):
                if not isinstance(t, TupT) or len(t.elems) != len(elts):
                    raise self.err(target, "unpacking", f"cannot unpack a value of type {t} "
                                   f"into {len(elts)} names")
                for e, s in zip(elts, t.elems):
                    self.bind(e, s)
            case _:
                raise self.err(target)

    # -- expressions --------------------------------------------------------------------------

    def real(self, e: ast.expr, what: str) -> None:
        t = self.expr(e)
        if t != REAL:
            raise self.err(e, "type mismatch", f"{what} needs a real, found {t}")

    def expr(self, e: ast.expr) -> Type:
        match e:
            case ast.Constant():
                literal(e, self.mod.file)
                return REAL
            case ast.Name(x):
                if x in self.env:
                    return self.env[x]
                if x in self.mod.funcs or x in PRIM_NAMES or x == self.node.name:
                    raise self.err(e, "function as a value", f"`{x}` is a function; "
                                   "functions can only be called")
                raise self.err(e, "unbound variable", f"`{x}` is not bound here")
            case ast.UnaryOp(ast.USub(), operand):
                self.real(operand, "unary `-`")
                return REAL
            case ast.UnaryOp(op):
                raise self.err(e, construct=type(op).__name__)
            case ast.BinOp(left, ast.Pow(), right):
                self.real(left, "`**`")
                if exponent(right) is None:
                    raise self.err(right, "exponent", "`x ** k` needs an integer literal k "
                                   f"with |k| ≤ {POWI_MAX} (`x ** 3`, `x ** -1`), not "
                                   f"`{ast.unparse(right)}`", construct="BinOp")
                return REAL
            case ast.BinOp(left, op, right):
                if type(op) not in BINOPS:
                    raise self.err(e, construct=type(op).__name__)
                self.real(left, f"`{PRIMS[BINOPS[type(op)]].symbol}`")
                self.real(right, f"`{PRIMS[BINOPS[type(op)]].symbol}`")
                return REAL
            case ast.Call(func, args, keywords):
                return self.call(e, func, args, keywords)
            case ast.Tuple(elts):
                return TupT(tuple(self.expr(x) for x in elts))
            case _:
                raise self.err(e)

    def call(self, e: ast.Call, func: ast.expr, args: list[ast.expr],
             keywords: list[ast.keyword]) -> Type:
        if keywords:
            raise self.err(keywords[0])
        for a in args:
            if isinstance(a, ast.Starred):
                raise self.err(a)
        target = self.callee(e, func)
        self.mod.callee[id(e)] = target.name if isinstance(target, Function) else target
        if isinstance(target, Op):
            if len(args) != PRIMS[target].arity:
                raise self.err(e, "arity", f"{target.value} takes {PRIMS[target].arity} "
                               f"argument(s), got {len(args)}")
            for a in args:
                self.real(a, target.value)
            return REAL
        got = tuple(self.expr(a) for a in args)
        want = tuple(t for _, t in target.params)
        if len(got) != len(want):
            raise self.err(e, "arity", f"`{target.name}` takes {len(want)} argument(s), "
                           f"got {len(got)}")
        for a, g, w in zip(args, got, want):
            if g != w:
                raise self.err(a, "type mismatch", f"`{target.name}` expects {w} here, "
                               f"found {g}")
        return target.value_type

    def callee(self, e: ast.Call, func: ast.expr) -> Op | Function:
        """Resolve a call: an earlier function, else a primitive (Python's scoping: a
        `def sin` would shadow math's sin)."""
        match func:
            case ast.Name(f):
                if f in self.env:
                    raise self.err(e, "call of a variable", f"`{f}` is a variable, not a "
                                   "function")
                if f == self.node.name:
                    raise self.err(e, "recursion", f"`{f}` calls itself; the surface "
                                   "language has no recursion")
                if f in self.mod.funcs:
                    return self.mod.funcs[f]
                if f in PRIM_NAMES:
                    return PRIM_NAMES[f]
                if f in self.mod.all_defs:
                    raise self.err(e, "later function", f"`{f}` is defined after "
                                   f"`{self.node.name}`; only earlier functions can be called")
                raise self.err(e, "unknown function", f"`{f}` is neither a primitive "
                               f"({', '.join(PRIM_NAMES)}) nor a function defined earlier")
            case ast.Attribute(ast.Name(m), p) if m in MODULE_PREFIXES and m not in self.env \
                    and p in PRIM_NAMES:
                return PRIM_NAMES[p]
            case ast.Attribute():
                raise self.err(func, "unknown function", f"`{ast.unparse(func)}` is not a "
                               f"primitive (use {', '.join(PRIM_NAMES)})", construct="Call")
            case _:
                raise self.err(func)

