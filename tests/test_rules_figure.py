"""Figure F2 (paper_figures/rules_figure.py): the three files, one inference per registry
rule in the .tex, the example derivation as `proof_latex` prints it, deterministic
output, and no glyph mathtext cannot typeset."""

from __future__ import annotations

import logging

import pytest

from calculus.errors import InternalError
from calculus.lambda_ll import rules as ll_rules
from calculus.lambda_ll.curry_howard import derive, proof_latex
from calculus.lambda_ll.parse import parse_term
from calculus.linear_a import rules as la_rules
from checkers.proof_checker import check_proof
from paper_figures.rules_figure import (EXAMPLE, parse_prooftree, rule_tree, tree_tex,
                                        write_f2)

FILES = ("F2_rules.tex", "F2_rules.png", "F2_rules.pdf")
MAGIC = {"F2_rules.png": b"\x89PNG", "F2_rules.pdf": b"%PDF", "F2_rules.tex": b"% F2"}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """write_f2 twice into fresh directories; matplotlib's log is captured."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    log = logging.getLogger("matplotlib")
    log.addHandler(handler)
    try:
        dirs = [tmp_path_factory.mktemp(f"f2_{i}") for i in range(2)]
        for d in dirs:
            write_f2(d)
    finally:
        log.removeHandler(handler)
    return dirs, records


def test_writes_three_files(runs):
    (d, _), _ = runs
    for name in FILES:
        assert (d / name).read_bytes().startswith(MAGIC[name]), name


def test_tex_has_every_rule(runs):
    (d, _), _ = runs
    tex = (d / "F2_rules.tex").read_text()
    for r in la_rules.RULES + ll_rules.RULES:
        assert f"% rule {r.name}\n{tree_tex(rule_tree(r))}\n" in tex, r.name
        assert r.name in tex
    assert tex.count(r"\begin{prooftree}") == len(la_rules.RULES) + len(ll_rules.RULES) + 1


def test_tex_has_the_example_derivation(runs):
    (d, _), _ = runs
    tex = (d / "F2_rules.tex").read_text()
    p = derive(parse_term(EXAMPLE))
    assert check_proof(p) > 1
    assert proof_latex(p) in tex


def test_output_is_deterministic(runs):
    (a, b), _ = runs
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_mathtext_typesets_every_glyph(runs):
    """matplotlib logs a warning for each glyph it has to substitute."""
    _, records = runs
    assert [r.getMessage() for r in records] == []


def test_parse_prooftree_inverts_tree_tex():
    """The PNG's tree is read back from proof_latex; reading is exact."""
    tex = proof_latex(derive(parse_term(EXAMPLE)))
    assert tree_tex(parse_prooftree(tex)) == tex


@pytest.mark.parametrize("bad", [
    "\\AxiomC{}\n\\UnaryInfC{$a$}\n\\AxiomC{}",     # two trees left
    "\\BinaryInfC{$a$}",                           # premises missing
    "\\AxiomC{}\n\\DisplayProof",                  # not a proof_latex command
])
def test_parse_prooftree_rejects_malformed(bad):
    with pytest.raises(InternalError):
        parse_prooftree(bad)
