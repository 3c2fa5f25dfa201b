"""Hypothesis profiles.

  ci        -- the default: derandomized, no example database, no deadline, few
               examples, so the whole suite stays under ten minutes on 2 cores.
  thorough  -- many more examples, for a reviewer with time.

Select with the environment variable LLAD_PROFILE (default `ci`).  Hypothesis'
built-in `ci` profile (auto-loaded when CI is set) is the parent of both.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_base = settings.get_profile("ci")
_common = dict(deadline=None, database=None, derandomize=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("ci", parent=_base, max_examples=40, **_common)
settings.register_profile("thorough", parent=_base, max_examples=1000, **_common)

PROFILE = os.environ.get("LLAD_PROFILE", "ci")


def load() -> str:
    settings.load_profile(PROFILE)
    return PROFILE
