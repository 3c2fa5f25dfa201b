"""The `llad ll` command group: λLL, the linear λ-calculus.

    llad ll check FILE.ll                       type-check every definition
    llad ll eval FILE.ll NAME [--arg TERM ...] [--symbolic] [--json]
                                                evaluate NAME's body applied to the
                                                arguments: value, workload under both
                                                cost models, structural steps
    llad ll proof FILE.ll NAME [--latex]        NAME's typing derivation as a proof
                                                tree, checked by checkers.proof_checker
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from calculus.cost_models import MODELS
from calculus.deep import deep
from calculus.limits import DEFAULTS, limit
from calculus.lambda_ll.curry_howard import derive, proof_latex, proof_text
from calculus.lambda_ll.evaluate import evaluate, evaluate_defs, show_value, to_python
from calculus.lambda_ll.parse import parse_program, parse_term
from calculus.lambda_ll.syntax import App, Def, Program, Type, free_vars, pretty_type
from calculus.lambda_ll.typecheck import check_program, infer

from .common import UsageError, add_json, positive_int


def register(sub) -> None:
    group = sub.add_parser("ll", help="λLL, the linear λ-calculus",
                           description="λLL, the linear λ-calculus: check, eval, proof")
    ll_sub = group.add_subparsers(dest="ll_command", required=True, metavar="COMMAND")

    def cmd(name: str, fn, help: str, named: bool = True) -> argparse.ArgumentParser:
        c = ll_sub.add_parser(name, help=help, description=help)
        c.add_argument("file", metavar="FILE", help="a λLL .ll file")
        if named:
            c.add_argument("name", metavar="NAME", help="a definition of FILE")
        c.set_defaults(run=fn)
        return c

    cmd("check", cmd_check, "type-check every definition of a .ll file", named=False)
    ev = cmd("eval", cmd_eval, "evaluate a definition: value, workload, structural steps")
    ev.add_argument("--arg", action="append", default=[], metavar="TERM",
                    help="an argument (a closed λLL term); repeat for several")
    ev.add_argument("--symbolic", action="store_true", help="exact sympy arithmetic")
    ev.add_argument("--max-steps", type=positive_int, default=None, metavar="N",
                    help="structural step budget (default: $LLAD_MAX_STEPS or "
                    f"{DEFAULTS['LLAD_MAX_STEPS']:_})")
    add_json(ev)
    proof = cmd("proof", cmd_proof, "a definition's typing derivation as a proof tree")
    proof.add_argument("--latex", action="store_true", help="bussproofs LaTeX")


def _load(file: str) -> tuple[Program, dict[str, Type]]:
    program = parse_program(Path(file).read_text(), file)
    return program, check_program(program)


def _find(program: Program, name: str) -> tuple[Def, dict[str, Type]]:
    """The definition and the Γ of the definitions before it."""
    earlier: dict[str, Type] = {}
    for d in program.defs:
        if d.name == name:
            return d, earlier
        earlier[d.name] = d.ty
    names = ", ".join(d.name for d in program.defs)
    raise UsageError(f"no definition `{name}` (defined: {names})")


def cmd_check(args: argparse.Namespace) -> int:
    _, gamma = _load(args.file)
    for name, ty in gamma.items():
        print(f"{name} : {pretty_type(ty)}")
    print(f"ok: {len(gamma)} definitions type-check")
    return 0


@deep
def cmd_eval(args: argparse.Namespace) -> int:
    program, _ = _load(args.file)
    d, gamma = _find(program, args.name)
    term = d.body
    for source in args.arg:
        term = App(term, parse_term(source, "--arg"))
    ty = infer(term, gamma)
    mode = "symbolic" if args.symbolic else "float"
    budget = args.max_steps or limit("LLAD_MAX_STEPS")
    values, _ = evaluate_defs(program, upto=args.name, mode=mode, max_steps=budget)
    values = {k: v for k, v in values.items() if k in gamma}
    r = evaluate(term, values, mode=mode, max_steps=budget)
    workload = {m: r.workload(model) for m, model in MODELS.items()}
    if args.json:
        print(json.dumps({"name": args.name, "type": pretty_type(ty),
                          "value": to_python(r.value), "workload": workload,
                          "steps": {"beta": r.beta, "let": r.lets, "total": r.steps},
                          "conditions": [str(c) for c in r.conditions]},
                         default=str, ensure_ascii=False))
        return 0
    print(f"{' '.join([args.name] + args.arg)} : {pretty_type(ty)}")
    print(f"value     = {show_value(r.value)}")
    print("workload  = " + ", ".join(f"{w} ({m})" for m, w in workload.items()))
    print(f"steps     = {r.steps} ({r.beta} β, {r.lets} let)")
    if r.conditions:
        print("assuming  " + ", ".join(str(c) for c in r.conditions))
    return 0


@deep
def cmd_proof(args: argparse.Namespace) -> int:
    from checkers.proof_checker import check_proof  # the independent checker

    program, _ = _load(args.file)
    d, gamma = _find(program, args.name)
    used = free_vars(d.body)  # Γ weakened to the definitions the body mentions
    proof = derive(d.body, {u: ty for u, ty in gamma.items() if u in used})
    nodes = check_proof(proof)
    if args.latex:
        print(proof_latex(proof))
    else:
        print(proof_text(proof))
        print(f"checked: {nodes} rule applications (checkers.proof_checker)")
    return 0
