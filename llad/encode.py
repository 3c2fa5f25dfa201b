"""The `llad encode` command.

    llad encode FILE FUNC [--latex] [--json]

prints ⟦·⟧ (calculus.encoding) of FUNC and of every function it calls, as a λLL
program: ASCII concrete syntax by default — which `llad ll check` accepts when saved to
a `.ll` file — or LaTeX with `--latex`; `--json` wraps the text with the name map
(Linear A name ↦ λLL name) and each definition's type.  The encoded program is
type-checked (theorem E1) before it is printed.
"""

from __future__ import annotations

import argparse
import json

from calculus.deep import deep
from calculus.lambda_ll import syntax as ll
from calculus.lambda_ll.typecheck import check_program as ll_check

from .common import find_function, load, program_command


def register(sub) -> None:
    p = program_command(sub, "encode", cmd_encode, "the encoding ⟦FUNC⟧ as a λLL program",
                        "print ⟦FUNC⟧ and the encodings of the functions it calls as a λLL "
                        "program (type-checked)")
    p.add_argument("--latex", action="store_true", help="LaTeX instead of ASCII syntax")


def encode_function(path: str, func: str) -> tuple[ll.Program, dict[str, str]]:
    """⟦·⟧ of func and its callees (in definition order), type-checked in λLL."""
    from calculus.encoding import encode_program
    from calculus.linear_a.syntax import Program
    from calculus.linear_a.typecheck import check_program
    from calculus.linear_a.work import reachable

    prog = load(path)
    check_program(prog)
    find_function(prog, func)
    needed = set(reachable(prog, func))
    enc, names = encode_program(Program(tuple(f for f in prog.funcs if f.name in needed)))
    ll_check(enc)
    return enc, names


def latex_program(p: ll.Program) -> str:
    """One display per definition: def name : A = t."""
    return "".join(f"\\[ \\mathsf{{def}}\\ {d.name} : {ll.latex_type(d.ty)} = "
                   f"{ll.latex(d.body)} \\]\n" for d in p.defs)


@deep
def cmd_encode(args: argparse.Namespace) -> int:
    enc, names = encode_function(args.file, args.func_name)
    text = latex_program(enc) if args.latex else \
        f"# ⟦{args.func_name}⟧ and its callees (llad encode)\n\n" + ll.pretty_program(enc)
    if args.json:
        print(json.dumps({"function": args.func_name, "ll_name": names[args.func_name],
                          "names": names,
                          "types": {d.name: ll.pretty_type(d.ty) for d in enc.defs},
                          "latex" if args.latex else "lambda_ll": text},
                         ensure_ascii=False))
    else:
        print(text, end="")
    return 0
