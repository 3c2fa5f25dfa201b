"""The campaign: the proof suite against each mutant, one fresh process per mutant.

    python -m pytest <proof modules> -q -p no:cacheprovider -p checkers.mutants.plugin
        with LLAD_MUTANT=<id>

stops at the first failing test (the plugin's -x, which lets collection errors pass).
Within one mutant's run the modules run in one process, in the order given (`-n 0`
overrides the suite's `-n auto`), so the killing test is deterministic; the campaign's
parallelism is across mutants.  Outcome: `killed` (a test failed; the first failing
test's node id and the theorem of its module are recorded), `survived` (the whole suite
passed), `timeout` (the process group is killed after `timeout` seconds) or `error`
(the mutant could not be applied: pytest's usage error).  Every proof module runs,
the likely killers of the mutant's area first, in a process of their own;
a module that fails to import under the mutant is the killer only if no test fails.  `campaign` runs mutants in a pool of `workers` threads,
each waiting on its own pytest process.  Returns data; writing is the caller's job.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable

from .registry import BY_ID, MUTANTS

ROOT = Path(__file__).resolve().parents[2]
PROOFS = ROOT / "proofs"

FIRST: dict[str, tuple[str, ...]] = {
    "J": ("A4", "A3", "A5", "A10", "E4"),
    "U": ("A6", "A7", "A10", "E5"),
    "T": ("A8", "A9", "A10", "E5"),
    "LA-typing": ("A12", "A1", "A3"),
    "LL-typing": ("L6", "L1", "L2", "L4", "E1"),
    "eval-cost": ("A1", "A2", "E3", "E2", "A9", "A5"),
    "encoding": ("E1", "E2", "E3"),
    "F": ("E4", "L7", "E5"),
    "proof-checker": ("L4",),
    "simplify": ("S1",),
}
"""Per area, the theorems tried first (a time saving only: every module still runs)."""

_FAILED = re.compile(r"^(FAILED|ERROR) (\S+)", re.M)


def theorem_of(nodeid: str) -> str:
    """The theorem a test belongs to: A4 for proofs/test_A4_jvp_correct.py::…; the
    broken-rule modules are `broken-rules/<name>`."""
    module = Path(nodeid.split("::")[0]).stem
    if m := re.fullmatch(r"test_([A-Z]\d+)_.*", module):
        return m[1]
    if m := re.fullmatch(r"test_(?:([A-Z])_)?broken_rules_?(\w*)", module):
        return "broken-rules/" + (m[2] or m[1])
    return module


def proof_modules(area: str) -> tuple[list[str], list[str]]:
    """Every proof module in two phases: those of FIRST[area], then all the others."""
    mods = sorted(PROOFS.glob("test_*.py"))
    first = [p for t in FIRST.get(area, ()) for p in mods if theorem_of(p.name) == t]
    return ([str(p.relative_to(ROOT)) for p in first],
            [str(p.relative_to(ROOT)) for p in mods if p not in first])


@dataclass
class Outcome:
    id: str
    area: str
    status: str            # killed | survived | timeout | error
    test: str | None       # the first failing test (node id), when killed
    theorem: str | None    # its theorem
    seconds: float
    why: str


def command(modules: list[str]) -> list[str]:
    return [sys.executable, "-m", "pytest", *modules, "-q",
            "-p", "no:cacheprovider", "-p", "checkers.mutants.plugin",
            "--continue-on-collection-errors", "-n", "0"]


def classify(code: int, output: str) -> tuple[str, str | None]:
    """(status, first failing node id) from pytest's exit code and output."""
    hits = _FAILED.findall(output)
    failed = [n for kind, n in hits if kind == "FAILED"]
    if code == 0:
        return "survived", None
    if code in (1, 2) and hits:  # a failed test first, else a collection/fixture error
        return "killed", (failed or [n for _, n in hits])[0]
    return "error", None


def _run(modules: list[str], env: dict, timeout: float) -> tuple[str, str | None]:
    """One pytest process on `modules`: (status, first failing test or error line)."""
    proc = subprocess.Popen(command(modules), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=max(timeout, 1.0))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return "timeout", None
    status, test = classify(proc.returncode, out)
    if status == "error":
        test = out.strip().splitlines()[-1][:300] if out.strip() else None
    return status, test


def run_mutant(mid: str, timeout: float = 600.0) -> Outcome:
    """The proof suite against mutant mid, in fresh processes: the modules of its area's
    likely killers first, then (if all of them passed) every other module — the same
    verdict as one run over all modules in that order, without collecting the whole
    suite for a mutant its first modules kill.  `timeout` bounds both phases together."""
    m = BY_ID[mid]
    env = dict(os.environ, LLAD_MUTANT=mid, PYTHONPATH=str(ROOT))
    t0 = time.time()
    status, test = "survived", None
    for modules in proof_modules(m.area):
        if modules and status == "survived":
            status, test = _run(modules, env, timeout - (time.time() - t0))
    seconds = round(time.time() - t0, 1)
    theorem = theorem_of(test) if status == "killed" and test else None
    return Outcome(mid, m.area, status, test, theorem, seconds, m.why)


def campaign(ids: Iterable[str] | None = None, workers: int = 2, timeout: float = 600.0,
             progress: Callable[[Outcome], None] | None = None) -> list[dict]:
    """Run the selected mutants (all by default), `workers` at a time; results in
    registry order, as dicts."""
    chosen = [m.id for m in MUTANTS] if ids is None else list(ids)
    unknown = [i for i in chosen if i not in BY_ID]
    if unknown:
        raise KeyError(unknown[0])

    def one(mid: str) -> Outcome:
        o = run_mutant(mid, timeout)
        if progress:
            progress(o)
        return o

    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(one, chosen))
    return [asdict(o) for o in outcomes]


def kill_rates(results: list[dict]) -> dict[str, tuple[int, int]]:
    """Per area (and "all"): (killed, total)."""
    rates: dict[str, tuple[int, int]] = {}
    for r in results:
        for key in (r["area"], "all"):
            k, n = rates.get(key, (0, 0))
            rates[key] = (k + (r["status"] == "killed"), n + 1)
    return rates
