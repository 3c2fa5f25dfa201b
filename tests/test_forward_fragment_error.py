"""F rejects a higher-order definition with an `OutOfFragment` whose rule is F (the
error contract of `calculus.errors`: tests assert the class and the fields).

Found by the mutmut sample (benchmarks/results/mutmut_triage.md): the mutant
`forward.x_tangent__mutmut_18`, raising this error under rule "f", survived every proof;
this test fails on it (checked with `mutmut apply`).
"""

from __future__ import annotations

import pytest

from calculus.errors import OutOfFragment
from calculus.lambda_ll.forward import forward_program
from calculus.lambda_ll.parse import parse_program

HIGHER_ORDER = ("def apply : (real -o real) -o real -o real =\n"
                "  fun (g : real -o real) -> fun (x : real) -> g x\n")


def test_f_on_a_function_type_is_out_of_f_s_fragment():
    with pytest.raises(OutOfFragment) as exc:
        forward_program(parse_program(HIGHER_ORDER))
    assert exc.value.rule == "F"
