"""pytest plugin: `-p checkers.mutants.plugin` applies the mutant named by $LLAD_MUTANT
before the proof modules are collected (so module-level constants see it too), after
checking on its witness that the patch takes effect.  A mutant that is unknown or
cannot be applied is a usage error (exit code 4), never a survivor.  Without
$LLAD_MUTANT the plugin does nothing (the control run)."""

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


def pytest_report_header(config: pytest.Config) -> str | None:
    mid = os.environ.get("LLAD_MUTANT")
    return f"llad mutant: {mid} — {BY_ID[mid].why}" if mid in BY_ID else None
