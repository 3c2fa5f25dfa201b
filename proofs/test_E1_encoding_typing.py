"""E1 — ⟦·⟧ preserves typing: Γ ; Δ ⊢ e : (τ̄;σ̄) in Linear A implies
Γ° ; Δ• ⊢ ⟦e⟧ : (τ̄;σ̄)°• in λLL, and every definition of ⟦p⟧ has exactly the translated
signature ⊢ ⟦f⟧ : !τ̄° ⊸ σ̄• ⊸ (τ̄';σ̄')°•.

In full: for a well-typed Linear A program p, ⟦p⟧ type-checks as a whole
(`lambda_ll.typecheck.check_program`, which infers every body's type and compares it
with the declared one), and each `def f(x̄:τ̄ ; ȳ:σ̄) -> (τ̄' ; σ̄') = e` becomes a
definition whose type, in the context of the earlier definitions, is

    ⟦f⟧ : !τ1° ⊸ … ⊸ !τn° ⊸ σ1• ⊸ … ⊸ σm• ⊸ (τ̄' ; σ̄')°•      (1 ⊸ … when nullary)

(`encoding.enc_fun_type(f)`; the type translation itself is compared with SPEC §4).

Checked
  whole-program  on every corpus program (`calculus.loader.corpus_programs`, families up
                 to N = 1000), and on T∘U∘J of every hand-written example and of the
                 families up to N = DERIVED_MAX_N, for both checkpoint policies (these
                 programs contain every linear construct: dup, drop, +., *., zero, ltup);
  rule by rule   the judgement itself, for every subexpression e of the same programs
                 with N ≤ 10 (the cost is quadratic in the nesting depth): e is
                 extracted as a function of its free variables (non-linear ones as
                 x̄:τ̄, linear ones as ȳ:σ̄, results its type (τ̄;σ̄)), and the function's
                 encoding is checked as above; by inversion of ⊸I and !E that is
                 Γ° ; Δ• ⊢ ⟦e⟧ : (τ̄;σ̄)°•;
  fuzzed         on the programs of `checkers.strategies` (non-linear, linear, mixed) and
                 on J/U/T of them, whole-program and rule by rule.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterator, assert_never

import pytest
from hypothesis import given

from calculus.deep import deep
from calculus.encoding import enc_fun_type, enc_lin, enc_nl, enc_result, encode_program
from calculus.errors import CalculusError
from calculus.lambda_ll.parse import parse_type
from calculus.lambda_ll.typecheck import check_program as ll_check
from calculus.linear_a import syntax as la
from calculus.linear_a.grad import reverse
from calculus.linear_a.names import free_vars
from calculus.linear_a.transpose import transpose_program
from calculus.linear_a.typecheck import Typing, check_program
from calculus.linear_a.unzip import lin_name, unzip_program
from calculus.linear_a.work import calls, reachable, size
from calculus.loader import corpus_programs, family_size
from calculus.linear_a.syntax import subterms
from checkers.strategies import linear_programs, mixed_programs, nonlinear_programs

# T∘U∘J of the N = 100 family members is not checked: the fresh-name supplies of
# linear_a/names.py (`Fresh`) and encoding.py (`_Names.fresh`) rescan base, base1, … on
# every call, so transposing and encoding them takes minutes (reported to the lead).
DERIVED_MAX_N = 100  # T∘U∘J outputs of family members up to this N
LOCAL_MAX_N = 10  # rule-by-rule checks on programs of families up to this N
POLICIES = ("store", "recompute")


# --- the programs checked ----------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A program to check.  funcs: the functions whose meaning and work E2/E3 check as
    entry points; n: the family size (None for a hand-written example)."""

    id: str
    program: la.Program
    funcs: tuple[str, ...]
    n: int | None


def corpus_cases(max_n: int = 100) -> tuple[Case, ...]:
    """Each corpus program up to N = max_n (checked at its function `name`), and T∘U∘J
    of it for both policies (checked at every function the transformations added) when
    N ≤ DERIVED_MAX_N."""
    return tuple(c for c in _all_cases() if c.n is None or c.n <= max_n)


@functools.cache
def _all_cases() -> tuple[Case, ...]:
    cases = []
    for name, prog in corpus_programs(1000):
        n = family_size(name)
        cases.append(Case(name, prog, (name,), n))
        if n is None or n <= DERIVED_MAX_N:
            for policy in POLICIES:
                out = reverse(prog, name, policy).program
                added = tuple(f.name for f in out.funcs if f.name not in prog)
                cases.append(Case(f"{name}/TUJ-{policy}", out, added, n))
    return tuple(cases)


def case_ids(cases) -> list[str]:
    return [c.id for c in cases]


# --- the check ----------------------------------------------------------------------------


@dataclass
class Refutation:
    """Why E1 fails for a program: the λLL type error of ⟦p⟧ (`error`), or a definition
    whose type is not the translated signature."""

    func: str | None
    detail: str
    error: CalculusError | None = None

    def __str__(self) -> str:
        return f"E1 refuted at {self.func}: {self.detail}"


@deep
def encoding_typing_refutation(program: la.Program) -> Refutation | None:
    """None when ⟦program⟧ type-checks and every ⟦f⟧ has type enc_fun_type(f).
    Contract: program is a well-typed Linear A program (the premise)."""
    typing = check_program(program)
    enc, names = encode_program(program, typing)
    if sorted(names) != sorted(f.name for f in program.funcs) or \
            len(set(names.values())) != len(names):
        return Refutation(None, f"function names are not mapped injectively: {names}")
    try:
        gamma = ll_check(enc)
    except CalculusError as exc:
        return Refutation(None, f"⟦p⟧ is ill-typed: {exc}", exc)
    for f in program.funcs:
        want = enc_fun_type(f)
        if gamma[names[f.name]] != want:
            return Refutation(f.name, f"⟦{f.name}⟧ : {gamma[names[f.name]]}, expected {want}")
    return None


# --- rule by rule: a subexpression as a function of its free variables ------------------


@deep
def local_programs(program: la.Program, func: str, typing: Typing | None = None
                   ) -> Iterator[tuple[str, la.Program]]:
    """For every subexpression e of func's body (post-order), with Γ ; Δ its free
    variables at their types: the functions e calls (transitively) followed by
    `def local(Γ ; Δ) -> (τ̄;σ̄) = e` — the judgement Γ ; Δ ⊢ e : (τ̄;σ̄) as a function."""
    typing = typing or check_program(program)
    f = program.get(func)
    local = "local"
    while local in program:
        local += "_"
    out: list[tuple[str, la.Program]] = []

    def visit(e: la.Expr, nl: dict[str, la.Type], lin: dict[str, la.Type]) -> None:
        """Extract e's subexpressions (post-order: e last), e in scope nl ; lin."""
        for c, nl2, lin2 in scoped_children(e, nl, lin, typing):
            visit(c, nl2, lin2)
        fv_nl, fv_lin = free_vars(e)
        nl_res, lin_res = typing.of(e)
        fun = la.FunDef(local, tuple((x, nl[x]) for x in sorted(fv_nl)),
                        tuple((y, lin[y]) for y in sorted(fv_lin)), nl_res, lin_res, e)
        callees = set().union(*(reachable(program, g) for g in calls(e)))
        before = tuple(g for g in program.funcs if g.name in callees)
        out.append((f"{func}@{type(e).__name__}#{len(out)}", la.Program(before + (fun,))))

    visit(f.body, dict(f.nl_params), dict(f.lin_params))
    return iter(out)


def scoped_children(e: la.Expr, nl: dict[str, la.Type], lin: dict[str, la.Type],
                    typing: Typing) -> list[tuple[la.Expr, dict, dict]]:
    """The immediate subexpressions of e, each with its non-linear and linear scope."""
    def bind(names: tuple[str, ...], types, into: dict, other: dict) -> tuple[dict, dict]:
        # a binder shadows the name in both scopes
        into = {k: v for k, v in into.items() if k not in names} | dict(zip(names, types))
        return into, {k: v for k, v in other.items() if k not in names}

    match e:
        case la.Let(xs, ys, bound, body):
            nl_t, lin_t = typing.of(bound)
            nl2, lin2 = bind(xs, nl_t, nl, lin)
            lin2, nl2 = bind(ys, lin_t, lin2, nl2)
            return [(bound, nl, lin), (body, nl2, lin2)]
        case la.UnpackTup(xs, t, body):
            nl2, lin2 = bind(xs, nl[t].elems, nl, lin)
            return [(body, nl2, lin2)]
        case la.UnpackLtup(ys, t, body):
            lin2, nl2 = bind(ys, lin[t].elems, lin, nl)
            return [(body, nl2, lin2)]
        case la.Prim(_, args):
            return [(a, nl, lin) for a in args]
        case la.LAdd(a, b) | la.LScale(a, b) | la.LDiv(a, b):
            return [(a, nl, lin), (b, nl, lin)]
        case la.Dup(a) | la.Drop(a):
            return [(a, nl, lin)]
        case (la.Ret() | la.Call() | la.Var() | la.Lit() | la.Tup() | la.LVar() | la.LTup()
              | la.Zero()):
            return []
        case _:
            assert_never(e)


@deep
def local_refutations(program: la.Program) -> list[str]:
    """E1 rule by rule on every function of program: the failures, as text."""
    typing = check_program(program)
    fails = []
    for f in program.funcs:
        for label, local in local_programs(program, f.name, typing):
            r = encoding_typing_refutation(local)
            if r is not None:
                fails.append(f"{label}: {r}")
    return fails


# --- the type translation is SPEC §4's ---------------------------------------------------

T = la.TupT
R = la.REAL


@pytest.mark.parametrize("la_type, nl_text, lin_text", [
    (R, "real", "real"),
    (T(()), "1", "1"),
    (T((R, R)), "!real * !real", "real * real"),
    (T((R, T((R, R)))), "!real * !(!real * !real)", "real * real * real"),
    (T((T((R,)),)), "!!real", "real"),
])
def test_type_translation(la_type, nl_text, lin_text):
    assert enc_nl(la_type) == parse_type(nl_text)
    assert enc_lin(la_type) == parse_type(lin_text)


def test_result_and_function_types():
    pair = T((R, R))
    assert enc_result((), ()) == parse_type("1")
    assert enc_result((R, pair), (R,)) == parse_type("!real * !(!real * !real) * real")
    f = la.FunDef("f", (("x", R),), (("y", pair),), (R,), (pair,), la.Ret(("x",), ("y",)))
    assert enc_fun_type(f) == parse_type("!real -o real * real -o !real * real * real")
    g = la.FunDef("g", (), (), (), (), la.Ret((), ()))
    assert enc_fun_type(g) == parse_type("1 -o 1")


# --- corpus --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", corpus_cases(1000), ids=case_ids(corpus_cases(1000)))
def test_corpus_whole_program(case):
    r = encoding_typing_refutation(case.program)
    assert r is None, str(r)


def _local_cases() -> tuple[Case, ...]:
    return tuple(c for c in corpus_cases() if c.n is None or c.n <= LOCAL_MAX_N)


@pytest.mark.parametrize("case", _local_cases(), ids=case_ids(_local_cases()))
def test_corpus_rule_by_rule(case):
    assert local_refutations(case.program) == []


def test_corpus_is_not_vacuous():
    """The corpus reaches every Linear A constructor, whole-program and rule by rule
    (where every node is extracted: test_rule_by_rule_extraction_is_the_judgement)."""
    for cases in (corpus_cases(), _local_cases()):
        seen = {type(e) for c in cases for f in c.program.funcs for e in subterms(f.body)}
        assert seen == set(la.EXPR_CLASSES)


def test_rule_by_rule_extraction_is_the_judgement():
    """A subexpression's free variables become the parameters, its type the result."""
    prog = corpus_cases()[0].program
    name = prog.funcs[-1].name
    locals_ = list(local_programs(prog, name))
    assert len(locals_) == size(prog.get(name).body)  # one per node
    whole = locals_[-1][1].funcs[-1]  # the body itself: the function up to its name
    orig = prog.get(name)
    assert (sorted(whole.nl_params), sorted(whole.lin_params), whole.nl_results,
            whole.lin_results) == (sorted(orig.nl_params), sorted(orig.lin_params),
                                   orig.nl_results, orig.lin_results)


# --- fuzzed ---------------------------------------------------------------------------------


def _check_all(*programs: la.Program) -> None:
    for p in programs:
        r = encoding_typing_refutation(p)
        assert r is None, f"{r}\n{p}"
    assert local_refutations(programs[0]) == []


@given(nonlinear_programs())
def test_fuzzed_nonlinear_and_TUJ(g):
    _check_all(g.program, reverse(g.program, g.func).program)


@given(linear_programs())
def test_fuzzed_linear_and_TU(g):
    unzipped = unzip_program(g.program, g.func).program  # T needs unmixed lets
    _check_all(g.program, transpose_program(unzipped, lin_name(g.func)))


@given(mixed_programs())
def test_fuzzed_mixed_and_U(g):
    _check_all(g.program, unzip_program(g.program, g.func).program)
