"""`llad paper` as a new reader runs it: the same in-process pytest run, summary and
table writers as the full command, on one theorem (A1), from a directory outside the
checkout; and its one-line exit 2 when the proofs cannot run at all."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from calculus.primitives import Op
from paper_figures import paper

ROOT = Path(__file__).resolve().parent.parent


def test_paper_only_a1_from_elsewhere(tmp_path):
    out = tmp_path / "tables"
    r = subprocess.run([sys.executable, "-m", "llad", "paper", "--only", "A1", "--out", str(out)],
                       cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert f"re-verifying 1 theorems in {ROOT / 'proofs'}" in r.stdout
    assert "theorems checked: 1/1" in r.stdout and f"tables and figures: {out}/" in r.stdout
    with open(out / "T1_theorems.csv") as f:
        rows = list(csv.DictReader(f))
    assert [(row["id"], row["status"]) for row in rows] == [("A1", "checked")]
    assert int(rows[0]["tests passed"]) > 0 and rows[0]["failed"] == "0"
    assert float(rows[0]["seconds"]) > 0
    assert f"time per theorem (s): A1 {rows[0]['seconds']}" in r.stdout
    for name in ("T2_work.md", "T3_checkpointing.tex", "T4_encoding.csv", "T5_coverage.csv",
                 "F1_grad_ratio.png", "F2_rules.tex", "timings.json"):
        assert (out / name).stat().st_size > 0, name
    assert not list(tmp_path.glob(".llad-paper-*")), "the staging folder is removed"
    with open(out / "T5_coverage.csv") as f:
        assert next(csv.reader(f)) == ["case", "A1"], "T5 covers the selected theorem only"


def test_t5_selection_takes_a_theorem_with_its_parts():
    """"W" selects the lemmas W.nonlin and W.models (two cheap theorems with parts)."""
    assert {o.theorem for o in paper.induction_obligations(["W", "L1"])} == \
        {"W.nonlin", "W.models", "L1"}
    assert paper.induction_obligations(["L5"]) == []


@pytest.fixture
def untouched(tmp_path):
    """An output folder with one existing table, and a check that it stays as it was."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "T1_theorems.md").write_text("old table\n")
    yield out
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]
    assert [p.name for p in out.iterdir()] == ["T1_theorems.md"]
    assert (out / "T1_theorems.md").read_text() == "old table\n"


def test_pytest_configuration_error_is_exit_2(llad, monkeypatch, untouched):
    """The failure of issue 9 (pytest rejecting its configuration), made on purpose in a
    way every pytest 9.x rejects: an unknown ini option under --strict-config.  (A bad
    value for console_output_style, the original failure, is only rejected from pytest
    9.2 on, so it cannot stand for the failure on every version the pin allows.)"""
    broken = paper.pytest_args
    monkeypatch.setattr(paper, "pytest_args",
                        lambda paths: broken(paths) + ["--strict-config", "-o", "llad_nonsense=1"])
    code, out, err = llad("paper", "--only", "A1", "--out", str(untouched))
    assert code == 2
    last = err.strip().splitlines()[-1]
    assert last.startswith("llad: error: paper: pytest could not run the proofs (USAGE_ERROR)")
    assert "llad_nonsense" in last


def test_missing_extra_is_exit_2(llad, monkeypatch, untouched):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib → ImportError
    code, out, err = llad("paper", "--out", str(untouched))
    assert code == 2 and out == ""
    assert "matplotlib is not installed" in err and "pip install -e '.[test,figures]'" in err


def test_unknown_theorem_is_exit_2(llad, untouched):
    code, _, err = llad("paper", "--only", "A99", "--out", str(untouched))
    assert code == 2 and "no theorem A99" in err


def test_status_is_checked_only_if_passed_and_none_failed():
    selected = paper.theorem_modules(["A1", "E5"])
    rows = paper.theorem_rows({"proofs/test_A1_type_safety.py": {"passed": 3, "failed": 1},
                               "proofs/test_E5_unzip_optional.py": {"passed": 2, "failed": 0}},
                              selected)
    assert [(r[0], r[-1]) for r in rows] == [("A1", "FAILED"), ("E5", "checked")]
    assert [r[0] for r in paper.theorem_rows({}, selected)] == ["A1", "E5"]
    assert all(r[-1] == "FAILED" for r in paper.theorem_rows({}, selected))


def test_t1_quotes_the_stated_constants():
    """T1's constants for A5 and A11 are the proof module's stated tables, not fitted JSON."""
    from checkers.induction import A5_STATED, A11_STATED
    stated = paper._stated()
    assert stated["A5"].startswith("stated ") and '"div": ' + str(A5_STATED[Op.DIV]) in stated["A5"]
    assert '"J": ' + str(A11_STATED["J"]["c"]) in stated["A11"]


def test_t5_is_the_coverage_matrix(tmp_path):
    from checkers.induction import Obligation, cases
    from paper_figures.audit import write_t5
    obls = [Obligation("A3", "linear_a", c, "", "", "", "typecheck", "proved", 0.0)
            for c in cases() if c != "Var"]
    write_t5(obls, tmp_path)
    with open(tmp_path / "T5_coverage.csv") as f:
        rows = {r["case"]: r["A3"] for r in csv.DictReader(f)}
    assert set(rows) == set(cases()) and rows["Var"] == "missing" and rows["Let"] == "proved"
    assert (tmp_path / "T5_coverage.tex").stat().st_size > 0
