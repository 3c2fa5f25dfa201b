"""F rejects a higher-order definition with an `OutOfFragment` whose rule is F (the
error contract of `calculus.errors`: tests assert the class and the fields).

Found by the mutmut sample (benchmarks/results/mutmut_triage.md): the mutant
`forward.x_tangent__mutmut_18`, raising this error under rule "f", survived every proof;
this test fails on it (checked with `mutmut apply`).
"""

from __future__ import annotations

import pytest

from calculus.errors import InternalError, LinearityError, OutOfFragment
from calculus.lambda_ll.forward import forward_program
from calculus.lambda_ll.parse import parse_program
from calculus.lambda_ll.typecheck import check_program

HIGHER_ORDER = ("def apply : (real -o real) -o real -o real =\n"
                "  fun (g : real -o real) -> fun (x : real) -> g x\n")


def test_f_on_a_function_type_is_out_of_f_s_fragment():
    with pytest.raises(OutOfFragment) as exc:
        forward_program(parse_program(HIGHER_ORDER))
    assert exc.value.rule == "F"


UNUSED_LINEAR = ("def first : !real * !real -o !real =\n"
                 "  fun (p : !real * !real) -> let (a, b) = p in let !u = a in !u\n")


def test_f_needs_a_well_typed_program():
    """F sends an unused `let !` to its weakening case, and λLL has no linear weakening,
    so every variable F binds is used; an unused one (here the pair component b, a
    program λLL's checker rejects) is F's InternalError naming it.  Replaces F's
    unreachable `drop` of an unused variable's tangent (mutmut sample: the mutant
    `forward.xǁ_Forwardǁbind__mutmut_15` changed only that dead branch)."""
    p = parse_program(UNUSED_LINEAR)
    with pytest.raises(LinearityError, match="`b`"):
        check_program(p)
    with pytest.raises(InternalError, match=r"F: `b\w*` : !real is never used"):
        forward_program(p)
