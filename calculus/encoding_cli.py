"""The `llad encode` sub-command (wired into calculus/cli.py by `register`).

    llad encode FILE FUNC [--latex] [--json]

prints ⟦·⟧ (calculus.encoding) of FUNC and of every function it calls, as a λLL
program: ASCII concrete syntax by default — which `llad ll check` accepts when saved to
a `.ll` file — or LaTeX with `--latex`; `--json` wraps the text with the name map
(Linear A name ↦ λLL name) and each definition's type.  The encoded program is
type-checked (theorem E1) before it is printed.  FILE is a surface `.py` or a Linear A
`.la` file.  User errors are `CalculusError`s, left to the caller (exit code 1).
"""

from __future__ import annotations

import argparse
import json

from .deep import deep
from .errors import CalculusError
from .lambda_ll import syntax as ll
from .lambda_ll.typecheck import check_program as ll_check


def register(subparsers) -> None:
    p = subparsers.add_parser("encode", help="the encoding ⟦FUNC⟧ as a λLL program",
                              description="print ⟦FUNC⟧ and the encodings of the functions "
                              "it calls as a λLL program (type-checked)")
    p.add_argument("file", metavar="FILE", help="a surface .py or Linear A .la file")
    p.add_argument("func", metavar="FUNC", help="the function")
    p.add_argument("--latex", action="store_true", help="LaTeX instead of ASCII syntax")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    # `run`, not `func`: the positional FUNC already occupies args.func
    p.set_defaults(run=cmd_encode)


def encode_function(path: str, func: str) -> tuple[ll.Program, dict[str, str]]:
    """⟦·⟧ of func and its callees (in definition order), type-checked in λLL."""
    from .encoding import encode_program
    from .linear_a.syntax import Program
    from .linear_a.typecheck import check_program
    from .linear_a.work import reachable
    from .loader import load_program

    prog = load_program(path)
    check_program(prog)
    if func not in prog:
        names = ", ".join(f.name for f in prog.funcs)
        raise CalculusError("usage", f"no function `{func}` (defined: {names})")
    needed = set(reachable(prog, func))
    sub = Program(tuple(f for f in prog.funcs if f.name in needed))
    enc, names = encode_program(sub)
    ll_check(enc)
    return enc, names


def latex_program(p: ll.Program) -> str:
    """One display per definition: def name : A = t."""
    return "".join(f"\\[ \\mathsf{{def}}\\ {d.name} : {ll.latex_type(d.ty)} = "
                   f"{ll.latex(d.body)} \\]\n" for d in p.defs)


@deep
def cmd_encode(args: argparse.Namespace) -> int:
    enc, names = encode_function(args.file, args.func)
    text = latex_program(enc) if args.latex else \
        f"# ⟦{args.func}⟧ and its callees (llad encode)\n\n" + ll.pretty_program(enc)
    if args.json:
        print(json.dumps({"function": args.func, "ll_name": names[args.func],
                          "names": names,
                          "types": {d.name: ll.pretty_type(d.ty) for d in enc.defs},
                          "latex" if args.latex else "lambda_ll": text},
                         ensure_ascii=False))
    else:
        print(text, end="")
    return 0
