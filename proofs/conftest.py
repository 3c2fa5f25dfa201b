"""Shared set-up of the proof modules: the hypothesis profile, and broken-rule fixtures
used by more than one module."""

import pytest

from calculus.linear_a import jvp
from checkers import profiles

profiles.load()


@pytest.fixture
def no_sharing(monkeypatch: pytest.MonkeyPatch) -> None:
    """J without sharing: a partial derivative that mentions an argument re-evaluates
    the argument's expression instead of reading its bound value (expression swell)."""
    original_prim = jvp.Jvp.prim
    current: list = []

    def prim(self, e):
        current.append(e.args)
        try:
            return original_prim(self, e)
        finally:
            current.pop()

    monkeypatch.setattr(jvp.Jvp, "prim", prim)
    monkeypatch.setattr(jvp.JvpTerms, "arg", lambda self, i: current[-1][i])
