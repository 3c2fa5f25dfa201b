"""The `llad mutants` command: the proof suite's measured power (issue 12).

    llad mutants [--only ID ...] [--json] [--out FILE] [--timeout S] [--workers N]

runs the proof suite against each mutant of `checkers.mutants.registry` in a fresh
process (`checkers.mutants.runner`), prints one line per mutant (id, area, outcome,
killing test, seconds) and the kill rate per area, or with `--json` the list of
results; writes the results JSON (default paper_figures/out/mutants.json), which
`llad paper` turns into table T6.  Exit codes: 0 every mutant killed, 1 one survived,
timed out or could not be applied, 2 bad usage (an unknown ID).
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime, timezone
from pathlib import Path

from .common import UsageError, add_json

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "paper_figures" / "out" / "mutants.json"


def register(sub) -> None:
    p = sub.add_parser("mutants", help="run the proof suite against each registered mutant",
                       description="fault injection: the proof suite against each mutant "
                       "(a realistic wrong rule), one fresh process per mutant; reports "
                       "killed / survived / timeout with the killing test")
    p.add_argument("--only", nargs="+", metavar="ID", help="run only these mutants")
    add_json(p)
    p.add_argument("--out", metavar="FILE", type=Path, default=DEFAULT_OUT,
                   help="where to write the results JSON (default: %(default)s)")
    p.add_argument("--timeout", metavar="S", type=float, default=600.0,
                   help="seconds per mutant before it counts as a timeout (default 600)")
    p.add_argument("--workers", metavar="N", type=int, default=2,
                   help="mutants run at once (default 2)")
    p.set_defaults(run=cmd_mutants)


def _line(r: dict) -> str:
    return (f"{r['id']:28} {r['area']:14} {r['status']:9} {r['seconds']:7.1f}s  "
            f"{r['test'] or ''}")


def cmd_mutants(a: argparse.Namespace) -> int:
    from checkers.mutants.registry import BY_ID
    from checkers.mutants.runner import campaign, kill_rates
    unknown = [i for i in a.only or () if i not in BY_ID]
    if unknown:
        raise UsageError(f"mutants: no mutant {unknown[0]!r}")
    t0 = time.time()
    results = campaign(a.only, workers=a.workers, timeout=a.timeout,
                       progress=None if a.json else lambda o: print(_line(o.__dict__),
                                                                    flush=True))
    wall = round(time.time() - t0, 1)
    rates = kill_rates(results)
    report = {"produced": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "wall_seconds": wall, "workers": a.workers, "timeout": a.timeout,
              "kill_rates": {k: {"killed": kn[0], "total": kn[1]} for k, kn in rates.items()},
              "mutants": results}
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    if a.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        print()
        for area, (k, n) in rates.items():
            print(f"{area:14} killed {k}/{n} ({100 * k / n:.0f}%)")
        print(f"wall time: {wall:.0f} s; results: {a.out}")
    return 0 if rates["all"][0] == rates["all"][1] else 1
