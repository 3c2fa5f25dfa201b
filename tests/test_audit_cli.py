"""`llad audit`: every induction obligation and the coverage matrix, as text, JSON
(the keys the issue names) and LaTeX; exit 2 for an unknown theorem."""

from __future__ import annotations

import json

KEYS = {"theorem", "calculus", "constructor", "kind", "method", "status", "seconds",
        "schematic", "output", "query"}


def test_audit_json_has_every_key_and_the_constructor_lists(llad):
    code, out, _ = llad("audit", "A3", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["obligations"] and all(KEYS <= set(o) for o in data["obligations"])
    assert {o["theorem"] for o in data["obligations"]} == {"A3"}
    assert "Prim sin" in data["constructors"]["linear_a"]
    assert data["coverage"]["A3"]["Prim sin"] == "proved"
    assert data["coverage"]["A3"]["LVar"] == "excluded"


def test_audit_text_prints_obligations_and_the_matrix(llad):
    code, out, _ = llad("audit", "E1")
    assert code == 0
    assert "[proved] E1" in out and "schematic:" in out and "?h1[x, y]" in out
    from calculus.primitives import OPS
    assert out.rstrip().splitlines()[-1].startswith(f"Prim {OPS[-1].value}")


def test_audit_out_writes_three_formats(llad, tmp_path):
    code, out, _ = llad("audit", "A4", "--out", str(tmp_path))
    assert code == 0
    assert {p.name for p in tmp_path.iterdir()} == {"audit.txt", "audit.json", "audit.tex"}
    assert r"\begin{tabular}" in (tmp_path / "audit.tex").read_text()


def test_audit_unknown_theorem_is_usage_error(llad):
    code, _, err = llad("audit", "Z9")
    assert code == 2 and "no induction theorem" in err


def test_audit_shows_a_composition_as_composed(llad):
    code, out, _ = llad("audit", "A10", "--json")
    assert code == 0
    data = json.loads(out)
    assert [o["constructor"] for o in data["obligations"]] == ["composition [store]"]
    assert set(data["coverage"]["A10"].values()) == {"composed"}


def test_audit_lists_the_lambda_ll_cases_of_l1(llad):
    code, out, _ = llad("audit", "L1", "--json")
    assert code == 0
    data = json.loads(out)
    assert "λLL App" in data["constructors"]["lambda_ll"]
    assert data["coverage"]["L1"]["λLL App"] == "proved"
    code, out, _ = llad("audit", "L1")
    assert code == 0 and out.rstrip().splitlines()[-1].startswith("λLL Const zero")


def test_audit_selects_a_family_by_its_prefix(llad):
    code, out, _ = llad("audit", "W", "--json")
    assert code == 0
    assert {o["theorem"] for o in json.loads(out)["obligations"]} == {"W.nonlin", "W.models"}
    code, _, err = llad("audit", "W.n")
    assert code == 2 and "no induction theorem `W.n`" in err
