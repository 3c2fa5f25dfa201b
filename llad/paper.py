"""The `llad paper` command: re-verify the theorems, regenerate the tables and figures.

    llad paper [--only ID ...] [--out DIR]

See `paper_figures.paper` for what is written.  Exit codes: 0 every selected theorem
checked, 1 one failed (its row says FAILED), 2 the proofs could not run at all (one
line naming the cause and the install command; nothing written).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import UsageError


def register(sub) -> None:
    p = sub.add_parser("paper", help="re-verify every theorem; regenerate tables and figures",
                       description="re-verify the theorems (pytest on proofs/, in-process) and "
                       "write T1–T4, F1, F2 into paper_figures/out/ or --out DIR")
    p.add_argument("--only", nargs="+", metavar="ID",
                   help="re-verify only these theorems (e.g. A1 E5); T1 lists just them")
    p.add_argument("--out", metavar="DIR", type=Path,
                   help="where to write the tables and figures (default: paper_figures/out/ "
                   "of the checkout)")
    p.set_defaults(run=cmd_paper)


def cmd_paper(a: argparse.Namespace) -> int:
    from paper_figures.paper import ProofsCannotRun, main
    try:
        return main(only=a.only, out=a.out)
    except ProofsCannotRun as exc:
        raise UsageError(f"paper: {exc}") from None
