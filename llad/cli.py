"""`llad`: the command line of the two calculi, their transformations and the paper.

Builds one parser from the command groups (`llad.linear_a`, `llad.encode`, `llad.extract`, `llad.ll`,
`llad.paper`, `llad.audit`) and is the one place that maps errors to exit codes:

    0  success
    1  user error: the program or the input is wrong (a `CalculusError`: syntax, typing,
       out of a transformation's fragment, domain, a point that does not fit FUNC's
       signature, a limit of `calculus.limits` hit) — one line on stderr naming the
       rule and the position, no traceback
    2  bad usage: argparse's errors, malformed option values (a point's syntax), unknown
       FUNC or parameter
"""

from __future__ import annotations

import argparse
import functools
import sys

from calculus.errors import CalculusError
from calculus.limits import int_digits

from . import audit, encode, extract, linear_a, ll, mutants, paper
from .common import UsageError


@functools.cache  # built once per process: argparse's construction dominates small runs
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="llad", description="JAX's autodiff, from Linear A to linear logic, machine-checked.",
        epilog="Exit codes: 0 success, 1 user error (one line naming the rule and position), "
        "2 bad usage. Every command has --help.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in (linear_a, encode, extract, ll, audit, mutants, paper):
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
    except ValueError as exc:  # Python's limit on printing long exact numbers
        if (limit := int_digits(exc)) is None:
            raise
        print(f"llad: error: {limit}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
