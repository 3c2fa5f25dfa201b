"""`llad encode FILE FUNC [--latex] [--json]`: the printed λLL program is ⟦FUNC⟧ and its
callees, re-parses to the encoder's AST, and `llad ll check` accepts it from a `.ll`
file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calculus.encoding import encode_program
from calculus.lambda_ll.parse import parse_program as ll_parse
from calculus.linear_a.grad import reverse
from calculus.loader import EXAMPLES, load_program

MIXED = """\
def g(x: real, p: (real, real); a: real, q: (real, real)) -> (real; real, real) =
  let tup(p0, p1) = p in
  let ltup(b, c) = q in
  let (; d1, d2) = dup(a) in
  let (;) = drop(p1) in
  let (s;) = sin(x) * p0 in
  let (; u) = d1 +. s *. b in
  let (; v) = d2 +. c +. zero in
  (s; u, v)

def f(x: real; a: real) -> (real; real) =
  let (t;) = tup(x, x) in
  let (; a1, a2) = dup(a) in
  let (; a3, a4) = dup(a2) in
  let (; q) = ltup(a3, a4) in
  let (y; u, v) = g(x, t; a1, q) in
  let (;) = drop(v) in
  (y; u)
"""



def _files(tmp_path: Path) -> list[tuple[Path, str]]:
    """Corpus examples, a hand-written mixed program, and T∘U∘J of a corpus program
    (names with dots, every linear construct)."""
    mixed = tmp_path / "mixed.la"
    mixed.write_text(MIXED)
    rev = reverse(load_program(EXAMPLES / "lighthouse.la"), "lighthouse")
    derived = tmp_path / "lighthouse_rev.la"
    derived.write_text(str(rev.program))
    return [(EXAMPLES / "norm2.py", "norm2"), (EXAMPLES / "square_tuple.la", "square_tuple"),
            (mixed, "g"), (derived, rev.backward), (derived, rev.nonlin)]


def test_output_is_accepted_by_ll_check(llad, tmp_path):
    for i, (path, func) in enumerate(_files(tmp_path)):
        code, out, err = llad("encode", str(path), func)
        assert code == 0, err
        saved = tmp_path / f"out{i}.ll"
        saved.write_text(out)
        code, checked, err = llad("ll", "check", str(saved))
        assert code == 0, err
        assert f"{len(ll_parse(out).defs)} definitions type-check" in checked


def test_output_is_the_encoding_of_func_and_its_callees(llad, tmp_path):
    path = tmp_path / "mixed.la"
    path.write_text(MIXED)
    for func, expected in [("f", ["g", "f"]), ("g", ["g"])]:
        code, out, _ = llad("encode", str(path), func)
        assert code == 0
        printed = ll_parse(out)
        assert [d.name for d in printed.defs] == expected
        enc, _ = encode_program(load_program(path))
        assert printed.defs == tuple(d for d in enc.defs if d.name in expected)


def test_json(llad):
    code, out, _ = llad("encode", str(EXAMPLES / "add_call.la"), "add_call", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["function"] == "add_call" and data["names"] == {"plus": "plus'",
                                                                "add_call": "add_call"}
    assert data["types"] == {"plus'": "!real -o !real -o !real",
                             "add_call": "!real -o !real -o !real"}
    assert ll_parse(data["lambda_ll"]).defs[-1].name == data["ll_name"]


def test_latex(llad):
    code, out, _ = llad("encode", str(EXAMPLES / "norm2.py"), "norm2", "--latex")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith(r"\[ \mathsf{def}") for line in lines)
    assert r"\multimap" in out and r"\mathsf{mul}" in out


@pytest.mark.parametrize("argv, code", [
    (["encode", str(EXAMPLES / "norm2.py"), "nope"], 2),
    (["encode", str(EXAMPLES / "missing.la"), "f"], 1),
    (["encode", str(EXAMPLES / "norm2.py")], 2),
])
def test_errors(llad, argv, code):
    got, _, err = llad(*argv)
    assert got == code and err
