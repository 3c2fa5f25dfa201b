"""pytest plugin: `-p checkers.mutants.plugin` applies the mutant named by $LLAD_MUTANT
before the proof modules are collected (so module-level constants see it too), after
checking on its witness that the patch takes effect.  A mutant that is unknown or
cannot be applied is a usage error (exit code 4), never a survivor.

With a mutant, the session stops at the first failing *test* (like -x, which it
replaces): a module whose import fails under the mutant is reported (ERROR) but does
not stop the run, so the killing test is a theorem's test whenever one fails.  Without
$LLAD_MUTANT the plugin does nothing (the control run).  Under a mutant, hypothesis
does not shrink (`_no_shrinking`)."""

from __future__ import annotations

import os

import pytest

from .engine import MutantError, apply, witness_changes
from .registry import BY_ID


def pytest_configure(config: pytest.Config) -> None:
    mid = os.environ.get("LLAD_MUTANT")
    if not mid:
        return
    if mid not in BY_ID:
        raise pytest.UsageError(f"LLAD_MUTANT: no mutant {mid!r}")
    m = BY_ID[mid]
    try:
        witness_changes(m)
        apply(m)  # for the whole process: never undone
    except MutantError as exc:
        raise pytest.UsageError(f"LLAD_MUTANT={mid}: {exc}") from None
    config.option.maxfail = 0  # collection errors must not stop the run
    _no_shrinking()
    config.pluginmanager.register(_FirstFailure(), "llad-mutants-first-failure")


def _no_shrinking() -> None:
    """Under a mutant, hypothesis reports the first failing example without shrinking
    it: the campaign needs the verdict, not a minimal counterexample (shrinking a
    mutant's failure took minutes).  Examples generated and their order are unchanged."""
    from hypothesis import Phase, settings

    from checkers import profiles
    settings.register_profile("mutant", parent=settings.get_profile(profiles.PROFILE),
                              phases=[p for p in Phase if p is not Phase.shrink])
    settings.load_profile("mutant")


class _FirstFailure:
    session: pytest.Session | None = None

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.session = session

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed and self.session is not None:
            self.session.shouldfail = "llad mutants: stopping at the first failing test"


def pytest_report_header(config: pytest.Config) -> str | None:
    mid = os.environ.get("LLAD_MUTANT")
    return f"llad mutant: {mid} — {BY_ID[mid].why}" if mid in BY_ID else None
