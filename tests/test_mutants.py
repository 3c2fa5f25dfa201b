"""The mutant registry and the campaign (issue 12).

  registry     ≥ 60 mutants, ≥ 5 in each of the nine areas, unique ids, a one-line reason
  non-equivalence  every mutant applies in-process, its patch takes effect (the witness
               changes: a different result or error on its witness input) and is undone
  engine       a target, table entry or snippet that does not exist, a repeated snippet and
               an AST-preserving rewrite are MutantErrors, never survivors
  runner       outcome and theorem parsing; the pytest plugin refuses an unknown mutant
  CLI          `llad mutants --only` runs the real campaign on two cheap mutants: both are
               killed by the expected theorem, and the results JSON feeds T6
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest

from checkers.mutants.engine import Mutant, MutantError, applied, observe, witness_changes
from checkers.mutants.registry import AREAS, BY_ID, MUTANTS
from checkers.mutants.runner import ROOT, classify, kill_rates, proof_modules, theorem_of
from llad.cli import main
from paper_figures.mutants_table import t6_rows, write_t6


def test_registry_size_and_areas():
    assert len(MUTANTS) >= 60
    per_area = Counter(m.area for m in MUTANTS)
    assert set(per_area) == set(AREAS)
    assert min(per_area.values()) >= 5, per_area
    assert len(BY_ID) == len(MUTANTS)
    assert all(m.why and "\n" not in m.why and m.witness for m in MUTANTS)


@pytest.mark.parametrize("m", MUTANTS, ids=lambda m: m.id)
def test_mutant_changes_its_witness_and_is_undone(m: Mutant):
    before, after = witness_changes(m)
    assert before != after
    assert observe(m.witness) == before  # undone


def _fake(target: str, new: str, old: str | None = None) -> Mutant:
    return Mutant("fake", "J", "test", target, new, old, witness=lambda: 0)


@pytest.mark.parametrize("m,message", [
    (_fake("calculus.nowhere:f", "0", "x"), "No module"),
    (_fake("calculus.primitives:NOPE[Op.SIN]", "()"), "no table"),
    (_fake("calculus.primitives:PARTIALS['tan']", "()"), "no entry"),
    (_fake("calculus.ad:tangent_sum", "y", "no such snippet"), "occurs 0 times"),
    (_fake("calculus.ad:tangent_sum", "b", "b"), "occurs"),
    (_fake("calculus.ad:tangent_sum", "if  terms", "if terms"), "AST unchanged"),
    (_fake("calculus.ad:NoSuchClass.method", "1", "0"), "no NoSuchClass.method"),
])
def test_engine_rejects_bad_mutants(m, message):
    with pytest.raises(MutantError, match=message):
        with applied(m):
            pass


def test_witness_must_change():
    m = Mutant("same", "J", "test", "calculus.ad:tangent_sum", "terms[0] if terms",
               "reduce(b.add, terms) if terms", witness=lambda: "constant")
    with pytest.raises(MutantError, match="does not change"):
        witness_changes(m)


def test_code_swap_reaches_every_reference():
    """The mutated code is seen through `from … import` names and `@deep` wrappers."""
    from calculus.linear_a import typecheck
    from calculus.linear_a.typecheck import check_program  # @deep-wrapped, imported by name
    m = BY_ID["LA-contraction"]
    original = typecheck._Checker.use_lin.__code__
    with applied(m):
        assert typecheck._Checker.use_lin.__code__ is not original
        assert observe(m.witness) != observe(lambda: None)
        from calculus.linear_a.parse import parse_program
        assert check_program(parse_program("def f(; a: real) -> (; real) = a +. a")).sigs
    assert typecheck._Checker.use_lin.__code__ is original


def test_theorem_of_and_classify():
    assert theorem_of("proofs/test_A4_jvp_correct.py::test_corpus[x]") == "A4"
    assert theorem_of("proofs/test_L_broken_rules.py::test_x") == "broken-rules/L"
    assert theorem_of("proofs/test_broken_rules_cost.py::t") == "broken-rules/cost"
    assert classify(0, "1 passed") == ("survived", None)
    out = "FAILED proofs/test_A4_jvp_correct.py::test_a - AssertionError\n"
    assert classify(1, out) == ("killed", "proofs/test_A4_jvp_correct.py::test_a")
    err = "ERROR proofs/test_A5_jvp_work.py - ValueError\n" + out
    assert classify(1, err)[1] == "proofs/test_A4_jvp_correct.py::test_a"
    assert classify(4, "ERROR: usage") == ("error", None)
    first, rest = proof_modules("J")
    assert first[0] == "proofs/test_A4_jvp_correct.py" and not set(first) & set(rest)
    every = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "proofs").glob("test_*.py"))
    assert sorted(first + rest) == sorted(sum(proof_modules("F"), [])) == every


def test_plugin_refuses_an_unknown_mutant():
    env = dict(os.environ, LLAD_MUTANT="no-such-mutant")
    r = subprocess.run([sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider",
                        "-p", "checkers.mutants.plugin", "proofs/conftest.py"], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 4 and "no mutant 'no-such-mutant'" in r.stderr + r.stdout


def test_unknown_id_is_bad_usage(capsys):
    assert main(["mutants", "--only", "no-such-mutant"]) == 2
    assert "no mutant" in capsys.readouterr().err


CHEAP = {"U-scale-residual": "A6", "T-scale-twice": "A8"}


def test_campaign_on_cheap_mutants(tmp_path, capsys):
    """The real campaign (fresh pytest processes, whole proof suite available) on two
    mutants that the first theorem of their area kills."""
    out = tmp_path / "mutants.json"
    code = main(["mutants", "--only", *CHEAP, "--json", "--out", str(out)])
    results = json.loads(capsys.readouterr().out)
    assert code == 0, results
    assert {r["id"]: (r["status"], r["theorem"]) for r in results} == \
        {i: ("killed", t) for i, t in CHEAP.items()}
    report = json.loads(out.read_text())
    assert report["kill_rates"]["all"] == {"killed": 2, "total": 2}
    assert kill_rates(report["mutants"])["all"] == (2, 2)
    header, rows, caption = t6_rows(report)
    assert [r[0] for r in rows[:2]] == list(CHEAP) and "Campaign produced" in caption
    assert write_t6(tmp_path, out) and (tmp_path / "T6_mutants.md").exists()
    assert not write_t6(tmp_path, tmp_path / "absent.json")


def test_second_phase_runs_only_after_the_first_survives(monkeypatch):
    """run_mutant: the area's first modules, then the rest only if they all passed."""
    from checkers.mutants import runner
    for verdicts, phases in ((["killed"], 1), (["survived", "killed"], 2),
                             (["survived", "survived"], 2), (["timeout"], 1)):
        calls = []

        def fake(modules, env, timeout, verdicts=verdicts, calls=calls):
            calls.append(modules)
            return verdicts[len(calls) - 1], "proofs/test_A6_unzip.py::t"
        monkeypatch.setattr(runner, "_run", fake)
        o = runner.run_mutant("U-scale-residual")
        assert len(calls) == phases and o.status == verdicts[-1]
        assert calls == list(runner.proof_modules("U"))[:phases]


def test_under_a_mutant_hypothesis_does_not_shrink():
    from hypothesis import Phase, settings

    from checkers import profiles
    from checkers.mutants.plugin import _no_shrinking
    try:
        _no_shrinking()
        assert Phase.shrink not in settings.default.phases
        assert Phase.generate in settings.default.phases
        assert settings.default.max_examples == settings.get_profile(profiles.PROFILE).max_examples
    finally:
        profiles.load()
    assert Phase.shrink in settings.default.phases
