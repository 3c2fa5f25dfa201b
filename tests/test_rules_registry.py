"""The rule registries (calculus/*/rules.py, typeset as figure F2) cannot drift from the
checkers:

  Linear A   registry names = the `rule` strings typecheck.py can raise (read off its
             source with `ast`) ∪ the constructors its judgement handles; a registry
             rule for a constructor has one premise per sub-expression field.  The
             independent derivation checker (A13) has one arm per constructor the
             judgement handles and, as root rules, the other rules typecheck.py raises.
  λLL        registry names = curry_howard.Rule = the rules the independent proof
             checker handles = the rules it accepts in derivations of witness terms,
             with the registry's premise counts; typecheck.py names no other rule
             except the top-level `def`.
  LaTeX      every string has balanced braces, uses only LaTeX2e/amsmath/amssymb
             commands, and parses in matplotlib's mathtext.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest

from calculus.lambda_ll import rules as ll_rules
from calculus.lambda_ll.curry_howard import Proof, derive
from calculus.lambda_ll.curry_howard import Rule as ProofRule
from calculus.lambda_ll.parse import parse_term
from calculus.lambda_ll.typecheck import infer
from calculus.linear_a import rules as la_rules
from calculus.linear_a import syntax as la_syntax
from calculus.linear_a import typecheck as la_typecheck
from checkers.proof_checker import check_proof

ROOT = Path(__file__).resolve().parent.parent
LA_TYPECHECK = ROOT / "calculus" / "linear_a" / "typecheck.py"
LL_TYPECHECK = ROOT / "calculus" / "lambda_ll" / "typecheck.py"
PROOF_CHECKER = ROOT / "checkers" / "proof_checker.py"
LA_DERIVATION_CHECKER = ROOT / "checkers" / "la_derivation_checker.py"
ERRORS = ("TypeCheckError", "LinearityError", "ScopeError")


# --- reading rule names off a checker's source ------------------------------------------------


def _strings(e: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(e) if isinstance(n, ast.Constant)
            and isinstance(n.value, str)}


def _callee(call: ast.Call) -> str | None:
    match call.func:
        case ast.Name(id=name) | ast.Attribute(attr=name):
            return name
    return None


def rule_literals(source: str) -> tuple[set[str], list[str]]:
    """(rule names, untraceable arguments) of a checker module.  A rule position is the
    first argument (or `rule=`) of an error constructor, and the `rule` parameter of any
    function that has one; a name reaches it as a string literal or a conditional of
    literals, directly or through an assignment `rule = …`.  Any other expression in a
    rule position (other than the variable `rule` itself) is reported as untraceable."""
    tree = ast.parse(source)
    position = {err: 0 for err in ERRORS}
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef):
            params = [a.arg for a in fn.args.args]
            if "rule" in params:
                position[fn.name] = params.index("rule") - (params[:1] == ["self"])
    found: set[str] = set()
    untraceable: list[str] = []
    for node in ast.walk(tree):
        args: list[ast.expr] = []
        if isinstance(node, ast.Call) and _callee(node) in position:
            i = position[_callee(node)]  # type: ignore[index]
            args = node.args[i:i + 1] + [k.value for k in node.keywords if k.arg == "rule"]
        elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "rule" for t in node.targets):
            found |= _strings(node.value)  # `rule = PRIMS[op]` contributes nothing
        for a in args:
            match a:
                case ast.Constant(value=str(s)):
                    found.add(s)
                case ast.IfExp(body=ast.Constant(value=str()), orelse=ast.Constant(value=str())):
                    found |= _strings(a)
                case ast.Name(id="rule"):
                    pass
                case _:
                    untraceable.append(ast.unparse(a))
    return found, untraceable


def _function(source: str, name: str) -> ast.FunctionDef:
    return next(n for n in ast.walk(ast.parse(source))
                if isinstance(n, ast.FunctionDef) and n.name == name)


def match_classes(source: str, function: str) -> set[str]:
    """The class names of the `case C(...)` arms in the named function."""
    return {p.cls.id for p in ast.walk(_function(source, function))
            if isinstance(p, ast.MatchClass) and isinstance(p.cls, ast.Name)}


def la_checker_cases() -> set[str]:
    """The constructors the Linear A checker has a case for: the keys of its two
    dispatch tables (binders, the rest)."""
    return {c.__name__ for c in (*la_typecheck._BINDERS, *la_typecheck._CASES)}


def match_strings(source: str, function: str) -> set[str]:
    """The string literals matched by `case "…"` patterns in the named function."""
    return {p.value.value for p in ast.walk(_function(source, function))
            if isinstance(p, ast.MatchValue) and isinstance(p.value, ast.Constant)
            and isinstance(p.value.value, str)}


def test_rule_literals_finds_every_form_and_flags_the_rest():
    """The collector itself: each way a name can reach a rule position is found."""
    src = '''
def helper(self, x, rule): ...
def f(self, e):
    raise TypeCheckError("A", "m")
    raise LinearityError(rule="B", message="m")
    self.helper(e, "C")
    helper(e, rule="D")
    rule = "E" if e else "F"
    raise TypeCheckError(rule, "m")
    raise ScopeError(e.rule, "m")
'''
    found, untraceable = rule_literals(src)
    assert found == {"A", "B", "C", "D", "E", "F"}
    assert untraceable == ["e.rule"]


# --- Linear A -------------------------------------------------------------------------------


def test_linear_a_rule_names_are_unique():
    names = [r.name for r in la_rules.RULES]
    assert len(names) == len(set(names))


def test_linear_a_registry_is_what_the_checker_raises_and_handles():
    source = LA_TYPECHECK.read_text()
    raised, untraceable = rule_literals(source)
    handled = la_checker_cases()
    names = {r.name for r in la_rules.RULES}
    # an unused variable is reported under its binder's rule, which the binding recorded
    # through its `rule` parameter (a rule position the collector traces)
    assert untraceable == ["b.rule"]
    assert "rule" in la_typecheck._Binding.__init__.__code__.co_varnames
    # the reader sees all arms (and the metavariable's axiom, for the induction proofs)
    assert handled == {c.__name__ for c in la_syntax.EXPR_CLASSES} | {"Hole"}
    assert raised - names == set(), "the checker raises rules the registry lacks"
    assert handled - names == set(), "constructors without a registry rule"
    assert names - (raised | handled) == set(), "registry rules the checker never uses"
    assert {"Def", "Expr"} <= raised  # the non-constructor rules are really raised


def test_linear_a_derivation_checker_has_the_type_checkers_rules():
    """checkers/la_derivation_checker.py: `_expr_rule` has one arm per constructor the
    type checker has a case for; `_check_node` matches by name exactly the other
    rules the type checker raises (Def, Expr); together they are the registry."""
    typecheck, checker = LA_TYPECHECK.read_text(), LA_DERIVATION_CHECKER.read_text()
    raised, _ = rule_literals(typecheck)
    handled = la_checker_cases()
    arms, roots = match_classes(checker, "_expr_rule"), match_strings(checker, "_check_node")
    assert arms == handled
    assert roots == raised - handled == {"Def", "Expr"}
    assert arms | roots == {r.name for r in la_rules.RULES}


def test_linear_a_premises_are_the_subexpressions():
    """A constructor's rule has one premise per sub-expression field (Prim's argument
    list is one schematic premise e_i); Def types its body, Expr one open expression."""
    subject = {"Def": la_syntax.FunDef}
    for r in la_rules.RULES:
        cls = subject[r.name] if r.name in subject else getattr(la_syntax, r.name)
        if not dataclasses.is_dataclass(cls):
            assert r.name == "Expr" and len(r.premises) == 1
            continue
        subterms = [f for f in dataclasses.fields(cls) if "Expr" in str(f.type)]
        assert len(r.premises) == len(subterms), r.name


# --- λLL --------------------------------------------------------------------------------------

WITNESSES = (
    "fun (b : !real) -> let !u = b in mul !u !u",
    "fun (p : real * real) -> let (x, y) = p in let () = drop[real] x in (plus[real] y 2, ())",
)


def _nodes(p: Proof) -> list[Proof]:
    out, stack = [], [p]
    while stack:
        q = stack.pop()
        out.append(q)
        stack.extend(q.premises)
    return out


def test_lambda_ll_registry_is_the_proof_rule_enum():
    names = [r.name for r in ll_rules.RULES]
    assert len(names) == len(set(names))
    assert set(names) == {r.value for r in ProofRule}


def test_lambda_ll_registry_is_what_the_proof_checker_handles():
    fn = _function(PROOF_CHECKER.read_text(), "_check_node")
    arms = {ProofRule[p.value.attr].value for p in ast.walk(fn)
            if isinstance(p, ast.MatchValue) and isinstance(p.value, ast.Attribute)
            and isinstance(p.value.value, ast.Name) and p.value.value.id == "Rule"}
    assert arms == {r.name for r in ll_rules.RULES}


def test_lambda_ll_proof_checker_accepts_every_registry_rule_with_its_premises():
    """Derivations of the witnesses pass the independent checker and use every rule,
    each with the registry's number of premises."""
    arity: dict[str, set[int]] = {}
    for text in WITNESSES:
        t = parse_term(text)
        infer(t)
        p = derive(t)
        assert check_proof(p) == len(_nodes(p))
        for q in _nodes(p):
            arity.setdefault(q.rule.value, set()).add(len(q.premises))
    assert arity == {r.name: {len(r.premises)} for r in ll_rules.RULES}


def test_lambda_ll_type_checker_names_only_registry_rules():
    """typecheck.py reports IAx as Ax (its docstring says so); besides the registry it
    names only `def`, the check of a top-level definition's declared type."""
    source = LL_TYPECHECK.read_text()
    raised, _ = rule_literals(source)  # the rest are frames' and bindings' rule names
    fn = _function(source, "_rule")
    frames = {r.value.value for r in ast.walk(fn) if isinstance(r, ast.Return)
              and isinstance(r.value, ast.Constant)}
    names = {r.name for r in ll_rules.RULES}
    assert frames == names - {"IAx"}
    assert raised - names == {"def"}


# --- LaTeX ------------------------------------------------------------------------------------

ALL_RULES = [("linear_a", r) for r in la_rules.RULES] + [("lambda_ll", r) for r in ll_rules.RULES]
# Commands of LaTeX2e math, amsmath and amssymb that the registries may use.
LATEX_COMMANDS = {
    "Gamma", "Delta", "Sigma", "tau", "sigma", "lambda", "bar", "mathbf", "mathsf", "mathrm",
    "mathit", "vdash", "Vdash", "dashv", "cup", "cap", "cdots", "ldots", "cdot", "to", "in",
    "notin", "leq", "neq", "varnothing", "setminus", "multimap", "otimes", ",", " ", ";",
    "{", "}", "!", "quad",
}


def _strings_of(r: la_rules.Rule) -> list[str]:
    return [*r.premises, r.conclusion, r.side, r.tex_label]


def _balanced(s: str) -> bool:
    depth = 0
    for m in re.finditer(r"\\.|[{}]", s):
        depth += {"{": 1, "}": -1}.get(m.group(), 0)
        if depth < 0:
            return False
    return depth == 0


def test_balanced_checks_braces():
    assert _balanced(r"\{x{:}A\}") and _balanced("f({a})")
    assert not _balanced("{a") and not _balanced("a}{") and not _balanced(r"\{a}")


@pytest.mark.parametrize("calculus, rule", ALL_RULES, ids=lambda x: getattr(x, "name", x))
def test_latex_is_well_formed(calculus, rule):
    from matplotlib.mathtext import MathTextParser
    parser = MathTextParser("path")
    assert rule.conclusion
    for s in _strings_of(rule):
        assert _balanced(s), s
        assert "$" not in s
        commands = set(re.findall(r"\\([A-Za-z]+|.)", s))
        assert commands <= LATEX_COMMANDS, commands - LATEX_COMMANDS
        if s:
            parser.parse(f"${s}$")  # raises ValueError on what mathtext cannot typeset
