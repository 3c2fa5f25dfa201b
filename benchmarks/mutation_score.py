"""An independent mutation score: mutmut 3 on the AD transformations (issue 12; not CI).

    python benchmarks/mutation_score.py [--full] [--max-children N] [--out FILE]

Copies the checkout (calculus, checkers, proofs, examples, pyproject.toml) into a
temporary folder, adds a [tool.mutmut] section there (the checkout is not touched) and
runs `mutmut run` over

    calculus/linear_a/{jvp,unzip,transpose}.py  calculus/lambda_ll/{forward,reverse}.py
    calculus/encoding.py

against the proof suite: by default the fast subset of the theorems about these passes
(A3 A4 A6 A8 E1 E2 E4 E5; mutmut runs per mutant only the tests that reach the mutated
function, with -x), with `--full` every module of proofs/.  Prints the kill rate
(killed / (killed + survived + timeout + suspicious); mutants with no covering test are
listed apart) and writes mutmut's per-mutant results with the survivors' diffs to
--out (JSON).  Install with `pip install -e '.[mutation]'`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ["calculus/linear_a/jvp.py", "calculus/linear_a/unzip.py",
           "calculus/linear_a/transpose.py", "calculus/lambda_ll/forward.py",
           "calculus/lambda_ll/reverse.py", "calculus/encoding.py"]
FAST = ["A3", "A4", "A6", "A8", "E1", "E2", "E4", "E5"]
COPY = ["calculus", "checkers", "proofs", "examples"]


def _toml_list(xs: list[str]) -> str:
    return "[" + ", ".join(json.dumps(x) for x in xs) + "]"


def prepare(work: Path, full: bool) -> None:
    for d in COPY:
        shutil.copytree(ROOT / d, work / d, ignore=shutil.ignore_patterns("__pycache__"))
    tests = ["proofs"] if full else \
        [str(p.relative_to(ROOT)) for t in FAST for p in sorted((ROOT / "proofs").glob(f"test_{t}_*.py"))]
    config = (ROOT / "pyproject.toml").read_text() + (
        "\n[tool.mutmut]\n"
        f"source_paths = [\"calculus\"]\n"
        f"only_mutate = {_toml_list(TARGETS)}\n"
        f"also_copy = {_toml_list(['checkers', 'proofs', 'examples'])}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}\n"
        "pytest_add_cli_args = [\"-p\", \"no:cacheprovider\"]\n")
    (work / "pyproject.toml").write_text(config)


def mutmut(work: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    """mutmut in the work copy; on timeout its whole process group is killed."""
    env = dict(os.environ, PYTHONPATH=str(work))
    proc = subprocess.Popen([sys.executable, "-m", "mutmut", *args], cwd=work, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def score(work: Path) -> dict:
    """Counts by outcome (mutmut's CI/CD stats) and the survivors with their diffs."""
    mutmut(work, "export-cicd-stats")
    stats = json.loads((work / "mutants" / "mutmut-cicd-stats.json").read_text())
    listing = mutmut(work, "results").stdout
    survivors = [line.split(":")[0].strip() for line in listing.splitlines()
                 if line.strip().endswith(": survived")]
    diffs = {s: mutmut(work, "show", s).stdout for s in survivors}
    return {"stats": stats, "survivors": diffs}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="every proof module, not the fast subset")
    ap.add_argument("--max-children", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path("mutation_score.json"))
    ap.add_argument("--timeout", type=float, default=None,
                    help="stop mutmut after this many seconds and score what ran")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="llad-mutmut-") as tmp:
        work = Path(tmp)
        prepare(work, a.full)
        t0 = time.time()
        try:
            run = mutmut(work, "run", "--max-children", str(a.max_children), timeout=a.timeout)
            finished, tail = run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        except subprocess.TimeoutExpired:
            finished, tail = False, f"stopped after {a.timeout} s"
        wall = time.time() - t0
        result = score(work) if (work / "mutants").exists() else {"stats": {}, "survivors": {}}
    s = result["stats"]
    caught = s.get("killed", 0)
    judged = caught + s.get("survived", 0) + s.get("timeout", 0) + s.get("suspicious", 0)
    result.update(wall_seconds=round(wall, 1), finished=finished, subset="full" if a.full else FAST,
                  targets=TARGETS, tail=tail)
    a.out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(s))
    if judged:
        print(f"mutmut kill rate: {caught}/{judged} = {100 * caught / judged:.1f}% "
              f"(no covering test: {s.get('no_tests', 0)}; not checked: "
              f"{s.get('not_checked', 0)}); {len(result['survivors'])} survivors in {a.out}; "
              f"{wall:.0f} s{'' if finished else ' (incomplete)'}")
    else:
        print(f"mutmut judged no mutant ({wall:.0f} s):\n{tail}")
    return 0 if judged else 1


if __name__ == "__main__":
    sys.exit(main())
