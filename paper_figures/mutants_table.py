"""Table T6: the proof suite's measured power — each mutant, the theorem that killed it,
and the kill rate per area (issue 12).

The campaign is its own command (`llad mutants`, minutes to an hour); `llad paper` does
not re-run it.  T6 is written from the campaign's results JSON when it exists, and its
caption says when that campaign was produced.

    t6_rows(report) -> (header, rows, caption)
    write_t6(outdir, report_path) -> True if T6_mutants.md/.tex/.csv were written
"""

from __future__ import annotations

import json
from pathlib import Path

from paper_figures.tables import write_table

NAME = "T6_mutants"
HEADER = ["mutant", "area", "outcome", "killed by", "first failing test", "seconds"]


def t6_rows(report: dict) -> tuple[list[str], list[list[object]], str]:
    """One row per mutant, then one summary row per area and one for all."""
    rows: list[list[object]] = [
        [r["id"], r["area"], r["status"], r["theorem"] or "—", r["test"] or "—", r["seconds"]]
        for r in report["mutants"]]
    for area, kn in report["kill_rates"].items():
        k, n = kn["killed"], kn["total"]
        rows.append([f"kill rate: {area}", area, f"{k}/{n} ({100 * k / n:.0f}%)", "", "", ""])
    caption = (f"T6. Fault injection: the proof suite against {len(report['mutants'])} "
               "registered mutants (checkers/mutants/registry.py), one fresh process each, "
               "stopping at the first failing test. Campaign produced "
               f"{report['produced']} by `llad mutants` ({report['wall_seconds']:.0f} s wall, "
               f"{report['workers']} workers); `llad paper` does not re-run it.")
    return HEADER, rows, caption


def write_t6(outdir: Path, report_path: Path) -> bool:
    """T6 from the campaign's results JSON, if present."""
    if not report_path.exists():
        return False
    header, rows, caption = t6_rows(json.loads(report_path.read_text()))
    write_table(outdir, NAME, header, rows, caption)
    return True
