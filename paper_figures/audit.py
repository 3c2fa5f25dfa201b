"""The audit report of the induction proofs (`checkers.induction`): every obligation
and the coverage matrix (theorems × constructors), as text, JSON and LaTeX.
`llad audit` prints or writes these; the obligations themselves are the checker's data.
"""

from __future__ import annotations

import json
from pathlib import Path

from checkers.induction import Obligation, cases, coverage
from checkers.induction_ll import ll_cases

from .tables import _tex, write_table

MARK = {"proved": "✓", "excluded": "–", "failed": "✗", "unknown": "?", "missing": "·",
        "instance-only": "i", "composed": "∘", "n/a": " "}


def as_json(obls: list[Obligation]) -> str:
    """{"obligations": [...], "constructors": {calculus: [cases]}, "coverage": {...}}."""
    return json.dumps({"obligations": [o.to_json() for o in obls],
                       "constructors": {"linear_a": cases(), "lambda_ll": ll_cases()},
                       "coverage": coverage(obls)}, indent=2, ensure_ascii=False)


def as_text(obls: list[Obligation]) -> str:
    out = []
    for o in obls:
        out.append(f"[{o.status}] {o.theorem} {o.calculus} {o.constructor} ({o.kind}, "
                   f"{o.method}, {o.seconds:.3f}s)")
        for label, text in (("schematic", o.schematic), ("output", o.output),
                            ("query", o.query), ("detail", o.detail)):
            if text:
                out.append(f"  {label}: " + text.replace("\n", "\n    "))
    return "\n".join(out + ["", matrix_text(obls)]) + "\n"


def _rows(cov: dict) -> list[str]:
    """The matrix's rows: Linear A cases, then λLL cases if a λLL theorem is listed."""
    return cases() + [c for c in ll_cases() if any(c in row for row in cov.values())]


def _cell(cov: dict, t: str, c: str) -> str:
    return cov[t].get(c, "n/a")  # a case of the other calculus


def matrix_text(obls: list[Obligation]) -> str:
    """Cases as rows, theorems as columns (✓ proved, – excluded: outside the theorem's
    fragment and rejected by the pass, ∘ composed: a composition of proved theorems,
    ✗ failed, ? unknown, · missing)."""
    cov = coverage(obls)
    width = max(map(len, _rows(cov)))
    head = ["case".ljust(width)] + list(cov)
    rows = [" ".join(head)]
    for c in _rows(cov):
        rows.append(" ".join([c.ljust(width)] + [MARK[_cell(cov, t, c)].center(len(t))
                                                 for t in cov]))
    return "\n".join(rows)


def as_latex(obls: list[Obligation]) -> str:
    """One line per obligation, then the coverage matrix."""
    lines = [r"\begin{tabular}{llllllr}", r"theorem & calculus & case & kind & method & "
             r"status & s \\ \hline"]
    for o in obls:
        lines.append(" & ".join(_tex(x) for x in (o.theorem, o.calculus, o.constructor, o.kind,
                                                  o.method, o.status)) + f" & {o.seconds:.3f} \\\\")
    lines.append(r"\end{tabular}")
    cov = coverage(obls)
    lines += [r"\begin{tabular}{l" + "c" * len(cov) + "}",
              "case & " + " & ".join(cov) + r" \\ \hline"]
    for c in _rows(cov):
        lines.append(_tex(c) + " & " + " & ".join(_cell(cov, t, c) for t in cov) + r" \\")
    lines.append(r"\end{tabular}")
    return "\n".join(lines) + "\n"


def write(obls: list[Obligation], out: Path) -> list[Path]:
    """audit.txt, audit.json and audit.tex in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    files = {"audit.txt": as_text, "audit.json": as_json, "audit.tex": as_latex}
    paths = []
    for name, render in files.items():
        (out / name).write_text(render(obls), encoding="utf-8")
        paths.append(out / name)
    return paths


def write_t5(obls: list[Obligation], out: Path) -> None:
    """T5_coverage.{md,tex,csv}: the coverage matrix, one row per case, one column per
    induction theorem (proved / excluded / composed / failed / unknown / missing)."""
    cov = coverage(obls)
    write_table(out, "T5_coverage", ["case"] + list(cov),
                [[c] + [_cell(cov, t, c) for t in cov] for c in _rows(cov)],
                "T5. Proofs by structural induction: every case of every Linear A constructor "
                "(per primitive for Prim) and how it is discharged (`llad audit` prints each "
                "obligation; excluded: outside the theorem's fragment, rejected by the pass; "
                "composed: a composition of theorems proved by induction).")
