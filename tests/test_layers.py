"""Layers point down only (llad → paper_figures → checkers → calculus) and no sibling
modules import each other in a cycle: the import-linter contracts of pyproject.toml,
run by the maintained tool, not by a hand-written import scanner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint(config: Path) -> subprocess.CompletedProcess:
    code = ("import sys; from importlinter.cli import lint_imports; "
            f"sys.exit(lint_imports(config_filename={str(config)!r}, no_cache=True, no_logo=True))")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_layers_and_no_cycles():
    r = lint(ROOT / "pyproject.toml")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 kept, 0 broken" in r.stdout


def test_the_linter_catches_an_upward_import(tmp_path):
    """The same tool, asked for the opposite layering, must report it broken: the
    contract test can fail."""
    config = tmp_path / "upside_down.toml"
    config.write_text('[tool.importlinter]\nroot_packages = ["calculus", "llad"]\n\n'
                      '[[tool.importlinter.contracts]]\nname = "upside down"\n'
                      'type = "layers"\nlayers = ["calculus", "llad"]\n')
    r = lint(config)
    assert r.returncode != 0 and "llad is not allowed to import calculus" in r.stdout
