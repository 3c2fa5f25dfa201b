"""Table T4 (paper_figures/encoding_table.py): a row per Linear A constructor, images
produced by the encoder and well typed, files written deterministically."""

from __future__ import annotations

from calculus.encoding import enc_fun_type, enc_lin, enc_nl, enc_result
from calculus.lambda_ll.parse import parse_term
from calculus.lambda_ll.typecheck import infer
from calculus.linear_a.syntax import EXPR_CLASSES
from paper_figures.encoding_table import NAME, encoding_table, rows, write_t4


def test_every_constructor_has_a_row():
    covered = {type(r.fun.body) for r in rows()}
    assert covered == set(EXPR_CLASSES)
    labels = {construct.split()[0] for construct, _, _ in encoding_table()}
    assert labels == {c.__name__ for c in EXPR_CLASSES}


def test_rows_are_instances_of_their_construct():
    for r in rows():
        assert type(r.fun.body).__name__ == r.construct.split()[0]


def test_images_are_the_judgement():
    """Each image re-parses from its text and has type (τ̄;σ̄)°• in Γ° ; Δ• (E1)."""
    for r in rows():
        _, _, text = next(row for row in encoding_table() if row[0] == r.construct)
        assert parse_term(text) == r.image
        f = r.fun
        gamma = {x: enc_nl(t) for x, t in f.nl_params} | \
            {g.name: enc_fun_type(g) for g in r.program.funcs[:-1]}
        delta = {y: enc_lin(t) for y, t in f.lin_params}
        assert infer(r.image, gamma, delta) == enc_result(f.nl_results, f.lin_results)


def test_write_t4_is_deterministic(tmp_path):
    write_t4(tmp_path / "a")
    write_t4(tmp_path / "b")
    for ext in ("md", "tex", "csv"):
        a = (tmp_path / "a" / f"{NAME}.{ext}").read_bytes()
        assert a == (tmp_path / "b" / f"{NAME}.{ext}").read_bytes()
    n = len(rows())
    assert len((tmp_path / "a" / f"{NAME}.csv").read_text().splitlines()) == n + 1
    assert (tmp_path / "a" / f"{NAME}.tex").read_text().count("\\\\\n") == n + 1
    md = (tmp_path / "a" / f"{NAME}.md").read_text()
    assert all(f"`{r.ll_text}`" in md for r in rows())
