"""Reproducible installs: every direct dependency (core and every extra) is pinned or
has a version range with an upper bound, so that a new major version cannot break the
Quick start silently (as pytest 9 once broke `llad paper`)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_dependency_is_bounded():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        deps += extra
    loose = [d for d in deps if not re.search(r"==|<", d)]
    assert deps and not loose, f"dependencies without an upper bound: {loose}"
