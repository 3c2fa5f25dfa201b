"""`llad`: the command line of the two calculi, their transformations and the paper.

Builds one parser from the command groups (`llad.linear_a`, `llad.encode`, `llad.ll`,
`llad.paper`) and is the one place that maps errors to exit codes:

    0  success
    1  user error: the program or the input is wrong (a `CalculusError`: syntax, typing,
       out of a transformation's fragment, domain) — one line on stderr naming the rule
       and the position, no traceback
    2  bad usage: argparse's errors, malformed option values, unknown FUNC or parameter
"""

from __future__ import annotations

import argparse
import sys

from calculus.errors import CalculusError

from . import encode, linear_a, ll, mutants, paper
from .common import UsageError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="llad", description="JAX's autodiff, from Linear A to linear logic, machine-checked.",
        epilog="Exit codes: 0 success, 1 user error (one line naming the rule and position), "
        "2 bad usage. Every command has --help.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in (linear_a, encode, ll, paper, mutants):
        group.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"llad: error: {exc}", file=sys.stderr)
        return 2
    except (CalculusError, OSError, RecursionError) as exc:
        print(f"llad: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
