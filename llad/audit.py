"""The `llad audit` command: the induction proofs' obligations and coverage matrix.

    llad audit [THEOREM] [--json] [--latex] [--out DIR]

discharges every obligation of THEOREM (all induction theorems when omitted; a name
that is not a theorem but prefixes some, like A11 for A11.J, A11.U.raw, …, selects
that family) on the
real passes (`checkers.induction`) and prints each one — theorem, calculus, case,
schematic input, transformed output, query, method, status, seconds — then the
coverage matrix (cases × theorems).  `--json` / `--latex` choose the format; `--out DIR`
writes audit.txt, audit.json and audit.tex there instead.  Exit codes: 0 every
obligation proved, 1 one is failed or unknown, 2 unknown THEOREM.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import UsageError, add_json


def register(sub) -> None:
    p = sub.add_parser("audit", help="the obligations of the proofs by induction",
                       description="discharge and print every induction obligation and the "
                       "coverage matrix (theorems × constructors)")
    p.add_argument("theorem", nargs="?", metavar="THEOREM", help="e.g. A4, or a family such as A11 (default: all)")
    add_json(p)
    p.add_argument("--latex", action="store_true", help="LaTeX tables")
    p.add_argument("--out", metavar="DIR", type=Path, help="write audit.{txt,json,tex} here")
    p.set_defaults(run=cmd_audit)


def cmd_audit(a: argparse.Namespace) -> int:
    from checkers.induction import THEOREMS, obligations
    from paper_figures import audit

    if a.theorem is None or a.theorem in THEOREMS:
        obls = obligations(a.theorem)
    else:
        family = [t for t in THEOREMS if t.startswith(a.theorem + ".")]
        if not family:
            known = ", ".join(THEOREMS)
            raise UsageError(f"audit: no induction theorem `{a.theorem}` (known: {known})")
        obls = [o for t in family for o in obligations(t)]
    if a.out:
        for path in audit.write(obls, a.out):
            print(path)
    else:
        render = audit.as_json if a.json else audit.as_latex if a.latex else audit.as_text
        print(render(obls), end="")
    return 0 if all(o.status == "proved" for o in obls) else 1
