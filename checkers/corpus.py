"""The corpus (`examples/`) as the theorem checks and the paper's tables use it.

    corpus_names(N)     the examples, family members of size ≤ N
    large_members()     the N = 1000 family members, checked rule by rule
    corpus_program(n)   example n compiled (the function under test is n)
    whole_term(P, f)    is f small enough for whole-term symbolic checks?
    fixed_point(f)      the in-domain point T2, T3 and the JAX oracle evaluate at
"""

from __future__ import annotations

import functools
from fractions import Fraction

from calculus.linear_a.syntax import FunDef, Program, RealT, Type
from calculus.linear_a.work import program_size
from calculus.loader import corpus, family_size, load_program
from checkers import profiles

WHOLE_TERM_MAX_SIZE = 500
"""Whole-term symbolic checks are run on functions of at most this many nodes (|f| as
`work.program_size` counts them: the hand-written examples, the N = 10 members and
chain_100); larger ones (horner_100, sumprod_100, every N = 1000 member) are checked
rule by rule.  Measured: the whole-term A4 check of horner_100 alone takes > 60 s
(sympy `diff` of the nested Horner form, then `expand` of the difference)."""


def corpus_names(max_n: int) -> list[str]:
    """The corpus examples, family members of size N ≤ max_n (without compiling)."""
    return [p.stem for p in corpus() if (family_size(p.stem) or 0) <= max_n]


def large_members() -> list[str]:
    """The family members with N > 100 (N = 1000), checked rule by rule.  Under the
    `ci` profile only the chain members (the time budget; every constructor is proved by
    induction, and chain_1000 is the deepest let-chain of the glue); all of them under
    `thorough`."""
    every = profiles.PROFILE == "thorough"
    return [n for n in corpus_names(1000) if n not in corpus_names(100)
            and (every or n.startswith("chain_"))]


@functools.cache
def corpus_program(name: str) -> Program:
    """The compiled corpus example `name` (the function under test is `name`)."""
    path = next(p for p in corpus() if p.stem == name)
    return load_program(path)


def whole_term(program: Program, func: str) -> bool:
    """Is func small enough for whole-term symbolic checks?"""
    return program_size(program, func) <= WHOLE_TERM_MAX_SIZE


def fixed_point(f: FunDef) -> tuple:
    """f's non-linear arguments 0.5, 0.75, 1, … in parameter order, tuples flattened
    left to right (positive, so logs are defined)."""
    vals = iter(Fraction(k + 2, 4) for k in range(10**6))

    def shape(t: Type):
        return float(next(vals)) if isinstance(t, RealT) else tuple(shape(s) for s in t.elems)
    return tuple(shape(t) for _, t in f.nl_params)
