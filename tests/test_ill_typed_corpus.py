"""The hand-written ill-typed corpus (tests/ill_typed/): every program is rejected by
its calculus' type checker with the error rule (and LinearityError kind) its header
names, and with a source position."""

from __future__ import annotations

import pytest

from calculus.errors import CalculusError, LinearityError
from calculus.lambda_ll.parse import parse_program as ll_parse
from calculus.lambda_ll.typecheck import check_program as ll_check
from calculus.linear_a.parse import parse_program as la_parse
from calculus.linear_a.typecheck import check_program as la_check
from checkers.ill_typed import IllTyped, cases

CHECK = {"linear_a.la": lambda s: la_check(la_parse(s)),
         "lambda_ll.ll": lambda s: ll_check(ll_parse(s))}
ALL = [(file, c) for file in CHECK for c in cases(file)]


@pytest.mark.parametrize("file,case", ALL, ids=[c.name for _, c in ALL])
def test_rejected_naming_the_rule(file: str, case: IllTyped) -> None:
    with pytest.raises(CalculusError) as info:
        CHECK[file](case.source)
    err = info.value
    assert err.rule == case.rule, err
    if case.kind:
        assert isinstance(err, LinearityError) and err.kind == case.kind, err
    assert err.pos is not None, err


def test_corpus_size() -> None:
    assert len(list(cases("linear_a.la"))) >= 20 and len(list(cases("lambda_ll.ll"))) >= 20
