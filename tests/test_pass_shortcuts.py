"""Build speed (issue 14): J's walk-free shortcut agrees with the free-variable walk it
replaces, on every subterm of fuzzed programs and of the corpus.

  J's `closed(e)`  =  fv_nl(e) ⊆ constants   (a closed argument gets no tangent)

Each test also sees both answers (True and False) on its inputs, so it cannot pass on
inputs where a constant answer would do.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from calculus.linear_a.jvp import Jvp
from calculus.linear_a.names import free_vars, names_in
from calculus.linear_a.syntax import Program, subterms
from calculus.loader import corpus_programs
from checkers.strategies import Generated, nonlinear_programs


def _answers_closed(p: Program, consts: set[str]) -> set[bool]:
    seen = set()
    for f in p.funcs:
        jv = Jvp(f)
        jv.consts.update((x, None) for x in consts)
        for e in subterms(f.body):
            expected = free_vars(e)[0] <= consts
            assert jv.closed(e) == expected, e
            seen.add(expected)
    return seen


@given(g=nonlinear_programs(), data=st.data())
def test_closed_agrees_with_the_walk_on_fuzzed_programs(g: Generated, data) -> None:
    names = sorted(set().union(*(names_in(f) for f in g.program.funcs)))
    consts = data.draw(st.sets(st.sampled_from(names)) if names else st.just(set()))
    _answers_closed(g.program, consts)


def test_both_answers_occur_on_the_corpus() -> None:
    """On the corpus the shortcut agrees with the walk and gives both answers."""
    closed = set()
    for name, p in corpus_programs(max_n=10):
        names = sorted(set().union(*(names_in(f) for f in p.funcs)))
        closed |= _answers_closed(p, set(names[::2]))
    assert closed == {True, False}
