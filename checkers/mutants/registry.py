"""The mutant registry: realistic mistakes in the rules, one per entry (issue 12).

Each `Mutant` (see `engine`) patches either a public table entry (`PARTIALS`,
`DUALITIES`, `MODELS`) or one function, by replacing one exact snippet of its source
(an operator, a constant, a dropped statement, swapped arguments …), and says in one
line why behaviour changes; its witness (`witnesses`) shows the change on a concrete
input.  Areas, at least five mutants each: J (the derivative table and J), U, T (T and
T_LL), LA-typing, LL-typing, eval-cost (evaluators and cost models), encoding, F,
proof-checker (the Curry–Howard checker), simplify (the rules of S1).

Removed as equivalent (issue 12's closing note): F-unused-tangent — F's `bind` with an
unused variable (`if n == 0`) emitting no drop of its tangent: on well-typed λLL input
the branch is unreachable (a linear binder is always used, and an unused `let !u` is
F's `weaken` case), so only ill-typed terms told it apart (it survived the campaign).
"""

from __future__ import annotations

from . import witnesses as w
from .engine import Mutant

AREAS = ("J", "U", "T", "LA-typing", "LL-typing", "eval-cost", "encoding", "F",
         "proof-checker", "simplify")

# --- witness programs ---------------------------------------------------------------------------

SIN = "def f(x: real) -> (real;) = sin(x)"
COS = "def f(x: real) -> (real;) = cos(x)"
MUL = "def f(x: real, y: real) -> (real;) = x * y"
SUB = "def f(x: real, y: real) -> (real;) = x - y"
DIV = "def f(x: real, y: real) -> (real;) = x / y"
LOG = "def f(x: real) -> (real;) = log(x)"
EXP = "def f(x: real) -> (real;) = exp(x)"
SQRT = "def f(x: real) -> (real;) = sqrt(x)"
TANH = "def f(x: real) -> (real;) = tanh(x)"
CUBE = "def f(x: real) -> (real;) = powi[3](x)"
PAIR = "def f(x: real, y: real) -> (real, real;) = (x, y;)"
MIXED = "def f(x: real, y: real) -> (real;) = sin(x) * y"
TWO_RESULTS = "def f(x: real, y: real) -> (real, real;) = let (a;) = sin(x) in let (b;) = cos(y) in (a, b;)"
CALL2 = ("def g(x: real, y: real) -> (real;) = sin(x) * cos(y)\n"
         "def f(x: real, y: real) -> (real;) = g(x, y;)")
DROPPED = "def f(x: real) -> (real;) = let (s;) = x * x in let (;) = drop(s) in sin(x)"
LSCALE = "def f(x: real; a: real) -> (; real) = sin(x) *. a"
LDIV = "def f(x: real; a: real) -> (; real) = a /. exp(x)"
LADD = "def f(; a: real, b: real) -> (; real) = a +. b"
LDUP = "def f(x: real; a: real) -> (; real) = let (; b, c) = dup(a) in b +. x *. c"
LZERO = "def f(; a: real) -> (; real, real) = let (; z) = zero[real] in (; a, z)"
LTUP = "def f(; a: real, b: real) -> (; (real, real)) = ltup(a, b)"
LDROPNL = "def f(x: real; a: real) -> (; real) = let (;) = drop(x *. a) in zero"
LCALL = ("def g(x: real; a: real, b: real) -> (; real, real) = let (; c) = x *. a in (; c, b)\n"
         "def f(x: real; a: real, b: real) -> (; real, real) = g(x; a, b)")
TUP_PARAM = "def f(v: (real, real)) -> (real;) = let tup(a, b) = v in a * b"
LA_LIN_TWICE = "def f(; a: real) -> (; real) = a +. a"
LA_LIN_UNUSED = "def f(; a: real, b: real) -> (; real) = a"
LA_NL_UNUSED = "def f(x: real, y: real) -> (real;) = x"
LA_LIN_IN_NL = "def f(x: real; a: real) -> (; real) = sin(let (;) = drop(a) in x) *. zero[real]"
LA_CALL_TYPES = ("def g(x: real; a: real) -> (; real) = x *. a\n"
                 "def f(x: real; a: (real, real)) -> (; real) = g(x; a)")
LA_ADD_TYPES = "def f(; a: (real, real), b: (real, (real, real))) -> (; (real, real)) = a +. b"
LA_UNPACK = "def f(x: real) -> (real;) = let (t;) = tup(x, x) in let tup(a) = t in a"
ZERO_PAIR = "def f(; a: real) -> (; real, (real, real)) = let (; z) = zero[(real, real)] in (; a, z)"
LA_RESULT = "def f(x: real; a: real) -> (real; real) = let (; c) = x *. a in (x; c)"

# λLL terms
LL_TWICE_PAIR = "fun (p : real * real) -> let (a, b) = p in plus a (plus a b)"
LL_UNDER_BANG = "fun (x : real) -> let !u = !(plus x 1.0) in mul !u !u"
LL_BANG_TYPE = "fun (b : !real) -> let !u = b in mul !u !u"
LL_LAMBDA_UNUSED = "fun (x : real) -> 1.0"
LL_PAIR_TYPES = "fun (p : real * 1) -> let (a, o) = p in let () = o in a"
LL_ARG_TYPE = "(fun (x : real * real) -> let (a, b) = x in plus a b) (1.0, ())"
LL_UNIT_ELIM = "fun (x : real) -> let () = x in 1.0"

# λLL programs for F
LLF_EXP = "def g : !real -o !real = fun (b : !real) -> let !u = b in !(exp !u)"
LLF_MUL = ("def g : !real -o !real -o !real = fun (b : !real) -> fun (c : !real) -> "
           "let !u = b in let !v = c in !(mul !u !v)")
LLF_LIT = ("def g : !real -o !real * real = fun (x : !real) -> let !u = x in "
           "(!(mul !u !u), 2.0)")
LLF_WEAKEN = ("def g : !real -o !real -o !real = fun (b : !real) -> fun (c : !real) -> "
              "let !u = b in let !v = c in let !w = !(sin !v) in !(sin !u)")
LLF_PAIR = ("def g : !real -o !real -o !real = fun (b : !real) -> fun (c : !real) -> "
            "let (p, q) = (b, c) in let !u = p in let !v = q in !(sub !u !v)")
LLF_BANG_LIT = "def g : !real -o !real = fun (b : !real) -> let !u = b in !3.0"
LLF_TUPLE = ("def g : !(!real * !real) -o !real = fun (b : !(!real * !real)) -> "
             "let !t = b in let (p, q) = t in let !u = p in let !v = q in !(mul !u !v)")

# terms for the proof checker (each is rejected by the correct checker)
PC = {
    "tensor-unused": ("fun (p : real * real) -> let (a, b) = p in a", {}),
    "lambda-unused": ("fun (x : real) -> 1.0", {}),
    "scale": ("fun (b : !real) -> fun (y : real) -> let !u = b in scale[real] !u y", {}),
    "bang-e": ("fun (b : !real) -> let !u = b in mul !u !u", {}),
    "iax-type": ("fun (b : !(real * real)) -> let !u = b in let (x, y) = u in plus x y", {}),
}


def _pc(name: str):
    term, delta = PC[name]
    return w.proof(term, delta)


PC_FILE = "checkers.proof_checker:_check_node"

MUTANTS: list[Mutant] = [
    # --- J: the derivative table and J ---------------------------------------------------------
    Mutant("J-sin-minus-cos", "J", "d sin(x) = −cos(x)·dx: the sign of the partial is wrong",
           "calculus.primitives:PARTIALS[Op.SIN]", "(App(Op.NEG, (App(Op.COS, (X,)),)),)",
           witness=w.grad(SIN, (0.5,))),
    Mutant("J-cos-plus-sin", "J", "d cos(x) = sin(x)·dx: the minus of the partial is lost",
           "calculus.primitives:PARTIALS[Op.COS]", "(App(Op.SIN, (X,)),)",
           witness=w.grad(COS, (0.5,))),
    Mutant("J-mul-swapped", "J", "d(x·y) = x·dx + y·dy: the partials of mul are swapped",
           "calculus.primitives:PARTIALS[Op.MUL]", "(X, Y)", witness=w.grad(MUL, (2.0, 3.0))),
    Mutant("J-sub-plus", "J", "d(x − y) = dx + dy: the −1 partial of sub becomes 1",
           "calculus.primitives:PARTIALS[Op.SUB]", "(One(), One())",
           witness=w.grad(SUB, (2.0, 3.0))),
    Mutant("J-div-sign", "J", "d(x/y) = dx/y + (x/y)/y·dy: the sign of ∂y is lost",
           "calculus.primitives:PARTIALS[Op.DIV]", "(Recip(Y), App(Op.DIV, (Z, Y)))",
           witness=w.grad(DIV, (2.0, 3.0))),
    Mutant("J-log-result", "J", "d log(x) = dx /. log(x): divides by the result, not the "
           "argument", "calculus.primitives:PARTIALS[Op.LOG]", "(Recip(Z),)",
           witness=w.grad(LOG, (2.0,))),
    Mutant("J-recip-scales", "J", "a partial 1/q multiplies the tangent by q (q *. ȧ, not "
           "ȧ /. q)", "calculus.ad:tangent_term", old="return b.divide(da, partial_term(q, b))",
           new="return b.scale(partial_term(q, b), da)", witness=w.grad(LOG, (2.0,))),
    Mutant("J-exp-argument", "J", "d exp(x) = x·dx: reuses the argument instead of the result",
           "calculus.primitives:PARTIALS[Op.EXP]", "(X,)", witness=w.grad(EXP, (2.0,))),
    Mutant("J-tanh-plus", "J", "d tanh(x) = (1 + tanh(x)²)·dx: the sign of tanh² is wrong",
           "calculus.primitives:PARTIALS[Op.TANH]", "(App(Op.ADD, (One(), App(PowI(2), (Z,)))),)",
           witness=w.grad(TANH, (0.5,))),
    Mutant("J-sqrt-no-half", "J", "d sqrt(x) = dx / sqrt(x): the factor 1/2 is lost",
           "calculus.primitives:PARTIALS[Op.SQRT]", "(App(Op.DIV, (One(), Z)),)",
           witness=w.grad(SQRT, (2.0,))),
    Mutant("J-powi-exponent-kept", "J", "d x^k = k·x^k·dx: the exponent is not decremented",
           "calculus.primitives:_powi_partial", old="App(PowI(k - 1), (X,))",
           new="App(PowI(k), (X,))", witness=w.grad(CUBE, (2.0,))),
    Mutant("J-sum-first-only", "J", "Σᵢ ∂ᵢ ȧᵢ keeps only the first argument's term: the other "
           "tangents are lost", "calculus.ad:tangent_sum",
           old="reduce(b.add, terms) if terms", new="terms[0] if terms", witness=w.jvp(MUL)),
    Mutant("J-closed-test", "J", "every variable argument counts as closed (the test reads its "
           "linear free variables, none): all tangents of arguments become zero",
           "calculus.linear_a.jvp:Jvp.closed", old="return x in self.consts",
           new="return set() <= self.consts.keys()", witness=w.jvp(SIN)),
    Mutant("J-return-order", "J", "J(x̄ ;) returns the tangents in reverse order",
           "calculus.linear_a.jvp:Jvp.j", old="Ret(xs, dxs)", new="Ret(xs, dxs[::-1])",
           witness=w.jvp(PAIR)),

    # --- U --------------------------------------------------------------------------------------
    Mutant("U-tape-reversed", "U", "f.nonlin returns the tape in reverse order while f.lin "
           "reads it in binding order (stored values swapped)",
           "calculus.linear_a.unzip:unzip_fun", old="Ret(results + tuple(tape), ())",
           new="Ret(results + tuple(tape)[::-1], ())", witness=w.unzip(TWO_RESULTS)),
    Mutant("U-store-recomputes", "U", "the store policy recomputes every needed binding in "
           "the linear half (a wrong recompute decision)",
           "calculus.linear_a.unzip:recompute_predicate",
           old='case "store":\n            return lambda b: False',
           new='case "store":\n            return lambda b: True', witness=w.unzip(MIXED)),
    Mutant("U-recompute-stores", "U", "the recompute policy stores everything (a wrong "
           "recompute decision): the tape holds every residual",
           "calculus.linear_a.unzip:recompute_predicate",
           old='case "recompute":\n            return lambda b: True',
           new='case "recompute":\n            return lambda b: False',
           witness=w.unzip(MIXED, "recompute")),
    Mutant("U-residual-lost", "U", "a binding moved to the linear half does not put its own "
           "inputs on the tape (a residual is lost)", "calculus.linear_a.unzip:checkpoint",
           old="need_l -= v\n            need_l |= b.free()", new="need_l -= v",
           witness=w.unzip(MIXED, "recompute")),
    Mutant("U-drop-forgotten", "U", "drop(e) no longer discards e's non-linear results in "
           "f.nonlin (a non-linear variable goes unused)", "calculus.linear_a.unzip:_Unzip.u",
           old="if ra:  # discard", new="if not ra:  # discard", witness=w.unzip(DROPPED)),
    Mutant("U-call-tape-order", "U", "a call's linear half g.lin receives g's tape in "
           "reverse order", "calculus.linear_a.unzip:_Unzip.u",
           old="return res, Call(lin_name(g), tp, ys, e.pos)",
           new="return res, Call(lin_name(g), tp[::-1], ys, e.pos)", witness=w.unzip(CALL2)),
    Mutant("U-scale-residual", "U", "the scalar of *. is read from the first non-linear "
           "result of the scaled vector's unzip, not its own", "calculus.linear_a.unzip:_Unzip.u",
           old="return (), seq(la, LScale(Var(s), lb, e.pos))",
           new="return (), seq(lb, LScale(Var(s), la, e.pos))", witness=w.unzip(MIXED)),
    Mutant("U-div-halves-swapped", "U", "e /. s is unzipped with the divisor's linear half "
           "in place of the vector's", "calculus.linear_a.unzip:_Unzip.u",
           old="return (), seq(lb, LDiv(la, Var(s), e.pos))",
           new="return (), seq(la, LDiv(lb, Var(s), e.pos))", witness=w.unzip(LOG)),

    # --- T and T_LL -------------------------------------------------------------------------------
    Mutant("T-scale-forgotten", "T", "the cotangent of s *. e is c, not s *. c (the scalar "
           "is lost)", "calculus.ad:DUALITIES[Lin.SCALE]", "lambda b, cts, s, ty: cts",
           witness=w.transpose(LSCALE)),
    Mutant("T-scale-twice", "T", "the cotangent of s *. e is s *. (s *. c)",
           "calculus.ad:DUALITIES[Lin.SCALE]",
           "lambda b, cts, s, ty: (b.scale(s, b.scale(s, cts[0], ty), ty),)",
           witness=w.transpose(LSCALE)),
    Mutant("T-div-as-scale", "T", "the cotangent of e /. s is s *. c, not c /. s",
           "calculus.ad:DUALITIES[Lin.DIV]", "lambda b, cts, s, ty: (b.scale(s, cts[0], ty),)",
           witness=w.transpose(LDIV)),
    Mutant("T-dup-keeps-one", "T", "dup ↦ the first cotangent, the second dropped (not +.)",
           "calculus.ad:DUALITIES[Lin.DUP]",
           "lambda b, cts, ty: (b.drop(cts[1], ty), cts[0])[1:]", witness=w.transpose(LDUP)),
    Mutant("T-zero-not-dropped", "T", "zero ↦ nothing: the incoming cotangent is never "
           "dropped", "calculus.ad:DUALITIES[Lin.ZERO]", "lambda b, cts, ty: ()",
           witness=w.transpose(LZERO)),
    Mutant("T-tuple-reversed", "T", "ltup(ȳ) ↦ the components of the cotangent in reverse "
           "order", "calculus.ad:DUALITIES[Lin.TUPLE]",
           "lambda b, cts, n: b.unpack(cts[0], n)[::-1]", witness=w.transpose(LTUP)),
    Mutant("T-drop-keeps-nonlinear", "T", "T(drop e) forgets to drop e's free non-linear "
           "variables (unused in f.T)", "calculus.linear_a.transpose:_Transpose.discard",
           old="if nl:", new="if not nl:",
           witness=w.transpose(LDROPNL)),
    Mutant("T-call-order", "T", "f(x̄; ȳ) ↦ f.T(x̄; c̄) with the output cotangents in "
           "reverse order", "calculus.linear_a.transpose:_Transpose.t",
           old="Call(t_name(g), xs, cts, e.pos)", new="Call(t_name(g), xs, cts[::-1], e.pos)",
           witness=w.transpose(LCALL)),
    Mutant("T-LL-unpack-order", "T", "T_LL splits a pair cotangent into (right, left)",
           "calculus.lambda_ll.reverse:Transposer.unpack", old="return (*parts, c)",
           new="return (c, *parts)", witness=w.ll_reverse(TWO_RESULTS)),
    Mutant("T-LL-call-order", "T", "T_LL passes a callee's tangent arguments to its "
           "backpropagator in reverse order", "calculus.lambda_ll.reverse:_Flat.call",
           old="tangents = [self.lin(a) for a in args[g.arity:]]",
           new="tangents = [self.lin(a) for a in args[g.arity:]][::-1]",
           witness=w.grad_ll(CALL2, (0.5, 0.25))),

    # --- the Linear A type checker ---------------------------------------------------------------
    Mutant("LA-linear-weakening", "LA-typing", "an unused linear variable is accepted "
           "(weakening in Δ)", "calculus.linear_a.typecheck:_Checker.close",
           old="if b.uses == 0:", new="if b.uses == 0 and not b.linear:",
           witness=w.la_check(LA_LIN_UNUSED)),
    Mutant("LA-nonlinear-weakening", "LA-typing", "an unused non-linear variable is accepted "
           "(Linear A has no weakening in Γ)", "calculus.linear_a.typecheck:_Checker.close",
           old="if b.uses == 0:", new="if b.uses == 0 and b.linear:",
           witness=w.la_check(LA_NL_UNUSED)),
    Mutant("LA-contraction", "LA-typing", "a linear variable may be used twice (the use count "
           "is compared with 1 too late)", "calculus.linear_a.typecheck:_Checker.use_lin",
           old="if b.uses:", new="if b.uses > 1:", witness=w.la_check(LA_LIN_TWICE)),
    Mutant("LA-delta-off-by-one", "LA-typing", "Δ-exactness off by one: the innermost "
           "binder's linear variables may occur in a non-linear subterm",
           "calculus.linear_a.typecheck:_Checker.nonlinear", old="serial <= outside",
           new="serial < outside", witness=w.la_check(LA_LIN_IN_NL)),
    Mutant("LA-call-arity-only", "LA-typing", "a call's arguments are compared by number, "
           "not by type", "calculus.linear_a.typecheck:_Checker.call",
           old="if got != (pnl, plin):",
           new="if (len(got[0]), len(got[1])) != (len(pnl), len(plin)):",
           witness=w.la_check(LA_CALL_TYPES)),
    Mutant("LA-add-shallow", "LA-typing", "+. compares only the outer type constructor of "
           "its summands", "calculus.linear_a.typecheck:_Checker.ladd",
           old="if ta != tb:", new="if type(ta) is not type(tb):",
           witness=w.la_check(LA_ADD_TYPES)),
    Mutant("LA-unpack-short", "LA-typing", "let tup(x̄) = t may bind fewer names than t has "
           "components", "calculus.linear_a.typecheck:_Checker._unpack",
           old="len(t.elems) != len(names)", new="len(t.elems) < len(names)",
           witness=w.la_check(LA_UNPACK)),
    Mutant("LA-result-nl-only", "LA-typing", "a definition's body is checked against the "
           "declared non-linear results only", "calculus.linear_a.typecheck:_Checker.fundef",
           old="if got != want:", new="if got[0] != want[0]:",
           witness=w.la_check("def f(x: real; a: real) -> (real; (real, real)) = "
                              "let (; c) = x *. a in (x; c)")),

    # --- the λLL type checker ------------------------------------------------------------------
    Mutant("LL-contraction-tensor", "LL-typing", "a variable bound by ⊗E may be used twice "
           "(contraction in Δ)", "calculus.lambda_ll.typecheck:Checker.use_linear",
           old="if b.used is not None:", new='if b.used is not None and b.rule != "⊗E":',
           witness=w.ll_check(LL_TWICE_PAIR)),
    Mutant("LL-promotion-off-by-one", "LL-typing", "a linear variable may cross one "
           "promotion (!I with a linear context)",
           "calculus.lambda_ll.typecheck:Checker.use_linear", old="if b.level < self.level:",
           new="if b.level < self.level - 1:", witness=w.ll_check(LL_UNDER_BANG)),
    Mutant("LL-letbang-type", "LL-typing", "let !u = t binds u : !A instead of u : A",
           "calculus.lambda_ll.typecheck:Checker._infer",
           old="b = _Binding(u, ty.body, False", new="b = _Binding(u, ty, False",
           witness=w.ll_check(LL_BANG_TYPE)),
    Mutant("LL-letbang-linear", "LL-typing", "let !u = t binds u linearly (no contraction "
           "for u)", "calculus.lambda_ll.typecheck:Checker._infer",
           old="b = _Binding(u, ty.body, False", new="b = _Binding(u, ty.body, True",
           witness=w.ll_check(LL_BANG_TYPE)),
    Mutant("LL-lambda-weakening", "LL-typing", "⊸I accepts an unused parameter (weakening "
           "in Δ)", "calculus.lambda_ll.typecheck:Checker.close_linear",
           old="if b.used is None:", new='if b.used is None and b.rule != "⊸I":',
           witness=w.ll_check(LL_LAMBDA_UNUSED)),
    Mutant("LL-tensor-swapped", "LL-typing", "⊗E gives x the right component's type and y "
           "the left's", "calculus.lambda_ll.typecheck:Checker._infer",
           old="bx = _Binding(x, ty.left,", new="bx = _Binding(x, ty.right,",
           witness=w.ll_check(LL_PAIR_TYPES)),
    Mutant("LL-arg-shallow", "LL-typing", "⊸E compares only the outer constructor of the "
           "argument's type", "calculus.lambda_ll.typecheck:Checker.check_arg",
           old="if expected != found:", new="if type(expected) is not type(found):",
           witness=w.ll_check(LL_ARG_TYPE)),
    Mutant("LL-unit-elim-any", "LL-typing", "1E accepts a bound term of any type",
           "calculus.lambda_ll.typecheck:Checker._infer",
           old='self.expect(bound, ONE, "1E")', new="self.infer(bound)",
           witness=w.ll_check(LL_UNIT_ELIM)),

    # --- evaluators and cost models ------------------------------------------------------------
    Mutant("C-symmetric-drop-free", "eval-cost", "the symmetric model charges nothing for "
           "drop (one operation off, in one model)", "calculus.cost_models:MODELS['symmetric']",
           "CostModel('symmetric', dup_per_real=1, drop_per_real=0, zero_per_real=1)",
           witness=w.la_work(LDROPNL)),
    Mutant("C-arithmetic-add-two", "eval-cost", "the arithmetic model charges 2 per real for "
           "+. (one operation off, in one model)", "calculus.cost_models:MODELS['arithmetic']",
           "CostModel('arithmetic', dup_per_real=0, drop_per_real=0, zero_per_real=0, "
           "add_per_real=2)", witness=w.la_work(LADD)),
    Mutant("C-eval-drop-per-value", "eval-cost", "the Linear A evaluator charges drop per "
           "value, not per real component", "calculus.linear_a.evaluate:Evaluator.eval",
           old="sum(value_reals(v) for v in lin)", new="len(lin)",
           witness=w.la_run("def f(; a: (real, real)) -> (; real) = let (;) = drop(a) in zero",
                            (), ((1.0, 2.0),))),
    Mutant("C-work-dup-result", "eval-cost", "static W(dup e) counts the reals of dup's two "
           "results, not of e", "calculus.linear_a.work:_Work.w",
           old="m.dup_per_real * self.k_lin(a)", new="m.dup_per_real * self.k_lin(e)",
           witness=w.la_work(LDUP)),
    Mutant("C-work-zero-one", "eval-cost", "static W(zero[σ]) is charged once, not per real "
           "of σ", "calculus.linear_a.work:_Work.w", old="m.zero_per_real * n_reals(t)",
           new="m.zero_per_real",
           witness=w.la_work(ZERO_PAIR)),
    Mutant("C-eval-args-reversed", "eval-cost", "the Linear A evaluator passes a primitive's "
           "arguments in reverse order", "calculus.linear_a.evaluate:Evaluator.eval",
           old="vals = tuple(self.eval(a, env)[0][0] for a in args)",
           new="vals = tuple(self.eval(a, env)[0][0] for a in args)[::-1]",
           witness=w.la_run(SUB, (2.0, 3.0))),
    Mutant("C-ll-firing-one", "eval-cost", "λLL's workload counts one per data constant, not "
           "one per real component", "calculus.lambda_ll.evaluate:firing",
           old="Counts(**{c.name: components(c.index)})", new="Counts(**{c.name: 1})",
           witness=w.ll_eval("plus[real * real] (1.0, 2.0) (3.0, 4.0)")),
    Mutant("C-ll-dup-as-add", "eval-cost", "λLL's workload prices dup at +.'s rate (dup "
           "costs 1 in the arithmetic model)", "calculus.lambda_ll.evaluate:Counts.workload",
           old="self.dup * model.dup_per_real", new="self.dup * model.add_per_real",
           witness=lambda: _ll_workload("let (a, b) = dup 1.0 in plus a b")),
    Mutant("C-ll-scale-pair", "eval-cost", "λLL's scale leaves a pair's second component "
           "unscaled", "calculus.lambda_ll.evaluate:scale_value",
           old="VPair(scale_value(r, a, nums), scale_value(r, b, nums))",
           new="VPair(scale_value(r, a, nums), b)",
           witness=w.ll_eval("scale[real * real] !2.0 (1.0, 3.0)")),
    Mutant("C-ll-ldiv-pair", "eval-cost", "λLL's ldiv leaves a pair's second component "
           "undivided", "calculus.lambda_ll.evaluate:divide_value",
           old="VPair(divide_value(a, r, nums, pos), divide_value(b, r, nums, pos))",
           new="VPair(divide_value(a, r, nums, pos), b)",
           witness=w.ll_eval("ldiv[real * real] !2.0 (1.0, 3.0)")),
    Mutant("C-eval-ldiv-multiplies", "eval-cost", "the Linear A evaluator's /. multiplies by "
           "the divisor", "calculus.linear_a.evaluate:vdiv",
           old="return num.prim(Op.DIV, (v, s), pos)", new="return num.mul(v, s)",
           witness=w.la_run(LDIV, (0.5,), (3.0,))),

    # --- the encoding ⟦·⟧ ------------------------------------------------------------------------
    Mutant("E-zero-real", "encoding", "⟦zero[σ]⟧ = zero[real] whatever σ (wrong constant "
           "index)", "calculus.encoding:Encoder.e", old='ll.Const("zero", enc_lin(t))',
           new='ll.Const("zero", ll.REAL)',
           witness=w.encode(ZERO_PAIR)),
    Mutant("E-ret-swapped", "encoding", "⟦(x̄ ; ȳ)⟧ puts the linear components before the "
           "non-linear ones", "calculus.encoding:Encoder.e",
           old="tensor_term([ll.Promote(ll.Var(n(x))) for x in xs] + [ll.Var(n(y)) for y in ys])",
           new="tensor_term([ll.Var(n(y)) for y in ys] + [ll.Promote(ll.Var(n(x))) for x in xs])",
           witness=w.encode(LA_RESULT)),
    Mutant("E-drop-erased", "encoding", "⟦drop(e)⟧ for non-linear e is (): e is not "
           "evaluated (its work is lost)", "calculus.encoding:Encoder.drop",
           old='return ll.LetBang(self.n.fresh("_"), ll.Promote(self.e(a)), ll.Unit())',
           new="return ll.Unit()", witness=w.encode(DROPPED)),
    Mutant("E-drop-no-weakening", "encoding", "⟦drop(e)⟧ with linear results forgets the "
           "! weakening of e's non-linear results", "calculus.encoding:Encoder.drop",
           old='body = ll.LetBang(self.n.fresh("_"), ll.Var(b), body)', new="pass",
           witness=w.encode("def f(x: real; a: real) -> (; real) = let (;) = drop((x; a)) in zero")),
    Mutant("E-prim-args-reversed", "encoding", "⟦op(e1, e2)⟧ applies op to the arguments in "
           "reverse order", "calculus.encoding:Encoder.e",
           old="[self.e(a) for a in args]", new="[self.e(a) for a in args][::-1]",
           witness=w.encode(SUB)),
    Mutant("E-pair-swapped", "encoding", "a two-name let binds the components of the tensor "
           "in swapped order", "calculus.encoding:Encoder.let_tensor",
           old="ll.LetPair(names[0], names[1], bound, body)",
           new="ll.LetPair(names[1], names[0], bound, body)",
           witness=w.encode("def f(x: real, y: real) -> (real;) = let (a, b;) = (x, y;) in a - b")),
    Mutant("E-scale-constant", "encoding", "⟦e1 *. e2⟧ = scale[real] whatever the vector's "
           "type (wrong constant index)", "calculus.encoding:Encoder.e",
           old='ll.Const("scale", self.lin_type(e))', new='ll.Const("scale", ll.REAL)',
           witness=w.encode("def f(x: real; a: (real, real)) -> (; (real, real)) = x *. a")),
    Mutant("E-tuple-unbanged", "encoding", "(τ̄)° = τ1° ⊗ … without the !s on the "
           "components", "calculus.encoding:enc_nl",
           old="tensor_type([ll.Bang(enc_nl(s)) for s in elems])",
           new="tensor_type([enc_nl(s) for s in elems])", witness=w.encode(TUP_PARAM)),

    # --- F --------------------------------------------------------------------------------------
    Mutant("F-result-is-argument", "F", "F's partials read the first argument where they "
           "mean the primitive's result (d exp x = x·dx in λLL only)",
           "calculus.lambda_ll.forward:ForwardTerms.res", old="Promote(Var(self.z))",
           new="Promote(Var(self.vs[0]))", witness=w.forward(LLF_EXP)),
    Mutant("F-args-reversed", "F", "F's partials read the arguments in reverse order",
           "calculus.lambda_ll.forward:ForwardTerms.arg", old="Promote(Var(self.vs[i]))",
           new="Promote(Var(self.vs[-1 - i]))",
           witness=w.forward(LLF_MUL)),
    Mutant("F-literal-tangent", "F", "a bare literal gets itself as tangent, not zero",
           "calculus.lambda_ll.forward:_Forward.f", old='return Pair(t, Const("zero", REAL)), REAL',
           new="return Pair(t, t), REAL", witness=w.forward(LLF_LIT)),
    Mutant("F-weaken-single", "F", "under ! weakening a single dropped tangent copy is "
           "forgotten (the drop is emitted only for two or more)",
           "calculus.lambda_ll.forward:_Forward.drop_copies", old="if not dropped:",
           new="if len(dropped) < 2:", witness=w.forward(LLF_WEAKEN)),
    Mutant("F-pair-tangents-swapped", "F", "let (x, y) = t binds x's tangent to the right "
           "component's", "calculus.lambda_ll.forward:_Forward.f",
           old="LetPair(dx, dy, Var(d), rest)", new="LetPair(dy, dx, Var(d), rest)",
           witness=w.forward(LLF_PAIR)),
    Mutant("F-banged-literal", "F", "F(!r) gives the literal r as tangent, not zero",
           "calculus.lambda_ll.forward:_Forward.promote",
           old='return Pair(Promote(head), Const("zero", REAL)), Bang(REAL)',
           new="return Pair(Promote(head), head), Bang(REAL)", witness=w.forward(LLF_BANG_LIT)),
    Mutant("F-tangent-type-bang", "F", "the tangent type keeps the !: (!A)' = !A'",
           "calculus.lambda_ll.forward:tangent", old="return tangent(b)",
           new="return Bang(tangent(b))", witness=w.forward(LLF_TUPLE)),

    # --- the Curry–Howard proof checker ---------------------------------------------------------
    Mutant("P-tensor-e-weakening", "proof-checker", "⊗E accepts a second premise that does "
           "not use x or y", PC_FILE,
           old="if _ms(q2.delta) != rest + _ms(((x, a), (y, b))):",
           new="if not _ms(q2.delta) <= rest + _ms(((x, a), (y, b))):",
           witness=_pc("tensor-unused")),
    Mutant("P-lolli-i-weakening", "proof-checker", "⊸I accepts a premise that does not use "
           "its hypothesis", PC_FILE,
           old="if _ms(q.delta) != _ms(s.delta) + _ms(((x, a),)):",
           new="if not _ms(q.delta) <= _ms(s.delta) + _ms(((x, a),)):",
           witness=_pc("lambda-unused")),
    Mutant("P-promotion-linear", "proof-checker", "!I checks only the conclusion's Δ, not "
           "the premise's", PC_FILE, old="if q.delta or s.delta:", new="if s.delta:",
           witness=lambda: _hand_proof("promote-linear")),
    Mutant("P-split-weakening", "proof-checker", "⊸E/⊗I/1E accept a conclusion Δ larger than "
           "Δ1 ⊎ Δ2", PC_FILE,
           old='if _ms(s.delta) != _ms(p1.delta) + _ms(p2.delta):\n            return "Δ is not',
           new='if _ms(s.delta) < _ms(p1.delta) + _ms(p2.delta):\n            return "Δ is not',
           witness=lambda: _hand_proof("unit-e-weakening")),
    Mutant("P-axiom-weakening", "proof-checker", "Ax accepts x:A among other linear "
           "hypotheses", PC_FILE, old="s.delta == ((p.label, s.concl),)",
           new="(p.label, s.concl) in s.delta", witness=lambda: _hand_proof("ax-weakening")),
    Mutant("P-scale-unbanged", "proof-checker", "the axiom of scale[D] is real ⊸ D ⊸ D "
           "(the ! is lost): correct derivations are rejected",
           "checkers.proof_checker:axiom", old='"scale": Lolli(Bang(Real()), Lolli(d, d))',
           new='"scale": Lolli(Real(), Lolli(d, d))', witness=_pc("scale")),
    Mutant("P-bang-e-gamma", "proof-checker", "!E expects u : !A in the second premise's Γ",
           PC_FILE, old="{v: t for v, t in s.gamma if v != u} | {u: a}",
           new="{v: t for v, t in s.gamma if v != u} | {u: Bang(a)}", witness=_pc("bang-e")),
    Mutant("P-iax-untyped", "proof-checker", "IAx checks that u is in Γ, not its type",
           PC_FILE, old="_gamma(s).get(p.label) == s.concl", new="p.label in _gamma(s)",
           witness=lambda: _hand_proof("iax-type")),

    # --- simplification (S1) ------------------------------------------------------------------
    Mutant("S-scale-by-any-literal", "simplify", "c *. e ↦ e for every literal c, not only 1",
           "calculus.linear_a.simplify:scale_by_one",
           old="return e.vec if ctx.literal(e.scalar) == ONE else None",
           new="return e.vec if ctx.literal(e.scalar) is not None else None",
           witness=w.simplify("def f(; a: real) -> (; real) = let (c;) = 2.0 in c *. a")),
    Mutant("S-mul-by-one-keeps-one", "simplify", "x * 1 ↦ 1 (the operand that is 1 is "
           "kept, not the other)", "calculus.linear_a.simplify:mul_by_one",
           old="return a if ctx.literal(b) == ONE else b if ctx.literal(a) == ONE else None",
           new="return b if ctx.literal(b) == ONE else a if ctx.literal(a) == ONE else None",
           witness=w.simplify("def f(x: real) -> (real;) = x * 1.0")),
    Mutant("S-cse-ignores-op", "simplify", "cse compares the arguments only: sin(x) and "
           "cos(x) are merged", "calculus.linear_a.simplify:Context.canon",
           old="return None if None in keys else (op, keys)",
           new="return None if None in keys else keys",
           witness=w.simplify("def f(x: real) -> (real, real;) = "
                              "let (a;) = sin(x) in let (b;) = cos(x) in (a, b;)")),
    Mutant("S-dce-used-once", "simplify", "dce deletes a binding whose variable is used "
           "once more than its drops", "calculus.linear_a.simplify:dce",
           old="return all(uses[x] == 0 for x in xs) and _pure_total(bound)",
           new="return all(uses[x] <= 1 for x in xs) and _pure_total(bound)",
           witness=w.simplify("def f(x: real) -> (real;) = let (a;) = sin(x) in a")),
    Mutant("S-dce-drops-partial", "simplify", "dce deletes a dropped log or division: the "
           "domain condition is lost", "calculus.linear_a.simplify:_pure_total",
           old="return PRIMS[op].domain is None and all(_pure_total(a) for a in args)",
           new="return all(_pure_total(a) for a in args)",
           witness=w.simplify("def f(x: real) -> (real;) = "
                              "let (a;) = log(x) in let (;) = drop(a) in x")),
]


def _ll_workload(term: str) -> dict:
    from calculus.cost_models import MODELS
    from calculus.lambda_ll.evaluate import evaluate
    from calculus.lambda_ll.parse import parse_term
    r = evaluate(parse_term(term))
    return {m: r.workload(model) for m, model in MODELS.items()}


def _hand_proof(name: str) -> int:
    """The proof checker on a one-rule derivation built by hand (`derive` never builds
    these: the conclusion's Δ is not the union of the premises')."""
    from calculus.lambda_ll.curry_howard import Proof, Rule, Sequent
    from calculus.lambda_ll.syntax import ONE, REAL, Bang
    from checkers.proof_checker import check_proof
    y, z = ("y", REAL), ("z", REAL)
    ax_y = Proof(Rule.AX, Sequent((), (y,), REAL), (), "y")
    proofs = {
        "promote-linear": Proof(Rule.BANG_I, Sequent((), (), Bang(REAL)), (ax_y,)),
        "unit-e-weakening": Proof(Rule.ONE_E, Sequent((), (y, z), REAL),
                                  (Proof(Rule.ONE_I, Sequent((), (), ONE)), ax_y)),
        "ax-weakening": Proof(Rule.AX, Sequent((), (y, z), REAL), (), "y"),
        "iax-type": Proof(Rule.IAX, Sequent((("u", REAL),), (), ONE), (), "u"),
    }
    return check_proof(proofs[name])


BY_ID: dict[str, Mutant] = {m.id: m for m in MUTANTS}
assert len(BY_ID) == len(MUTANTS), "mutant ids are unique"
