"""`transpose_program(p)` without a function transposes every function of p (its
documented default), and T's error for a function with non-linear results names rule T.

Found by the mutmut sample (benchmarks/results/mutmut_triage.md): the mutant
`transpose.x_transpose_program__mutmut_15` (the default treated as `[None]`) survived
every proof, which always name the function; the first test fails on it.
"""

from __future__ import annotations

import pytest

from calculus.errors import OutOfFragment
from calculus.linear_a.parse import parse_program
from calculus.linear_a.transpose import t_name, transpose_program
from calculus.linear_a.typecheck import check_program

TWO = ("def g(x: real; y: real) -> (; real) = x *. y\n"
       "def h(x: real; y: real) -> (; real) = x *. y\n")


def test_without_a_function_every_function_is_transposed():
    p = parse_program(TWO)
    q = transpose_program(p)
    assert [f.name for f in q.funcs] == ["g", "h", t_name("g"), t_name("h")]
    check_program(q)


def test_a_function_with_non_linear_results_is_outside_t_s_fragment():
    with pytest.raises(OutOfFragment) as exc:
        transpose_program(parse_program("def g(x: real;) -> (real;) = sin(x)\n"), "g")
    assert exc.value.rule == "T" and "non-linear results" in str(exc.value)
