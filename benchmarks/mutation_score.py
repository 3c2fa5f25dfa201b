"""An independent mutation score: mutmut 3 on the AD transformations (issue 12; not CI).

    python benchmarks/mutation_score.py [--sample N --seed S] [--full] [--max-children N]
                                        [--timeout SECONDS] [--work DIR] [--list] [--out FILE]
                                        [--resume JSON]

Copies the checkout (calculus, checkers, proofs, examples, pyproject.toml) into a
temporary folder (or --work DIR), adds a [tool.mutmut] section there (the checkout is
not touched) and mutates

    calculus/linear_a/{jvp,unzip,transpose}.py  calculus/lambda_ll/{forward,reverse}.py
    calculus/encoding.py

Step 1 generates every mutant (and collects mutmut's per-function test statistics):
`mutmut run` with a name filter that matches nothing stops right after that, and
`mutmut results --all true` lists the population.  Step 2 runs `mutmut run NAME …` on a
uniform sample of N names drawn with random.Random(S) from the sorted population (all
of them without --sample), against the proof suite: by default the fast subset of the
theorems about these passes (A3 A4 A6 A8 E1 E2 E4 E5; per mutant mutmut runs only the
tests that reach the mutated function, with -x, without xdist), with `--full` every
module of proofs/.  Prints the population, counts by outcome overall and per target
file, the kill rate killed / (killed + survived + timeout + suspicious) with a 95%
Wilson interval for the population's rate, a conservative rate that counts mutants no
selected test reaches as not killed, and the wall time; writes every sampled mutant's
outcome and the survivors' diffs to --out (JSON).  Deterministic given the seed.
`--resume JSON` continues an earlier run of the same sample: it tests only the mutants
that run left "not checked" and merges their outcomes into the earlier ones.
Install with `pip install -e '.[test,mutation]'`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
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
        "pytest_add_cli_args = [\"-p\", \"no:cacheprovider\", \"-n\", \"0\"]\n")
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


SENTINEL = "llad-list-only-no-such-mutant"


def population(work: Path, max_children: int) -> list[str]:
    """Every mutant name, sorted: mutmut generates all mutants (and collects its test
    statistics, which the later run reuses) on `run`; a filter that matches nothing stops
    it right after, before any mutant is tested.  The names are read back with
    `mutmut results --all true`."""
    gen = mutmut(work, "run", "--max-children", str(max_children), SENTINEL)
    if "nothing matches" not in gen.stdout + gen.stderr:
        raise SystemExit(f"mutmut did not stop at the empty filter:\n{gen.stdout[-2000:]}{gen.stderr[-2000:]}")
    return sorted(statuses(work))


def statuses(work: Path) -> dict[str, str]:
    """Mutant name -> mutmut's outcome (killed, survived, no tests, timeout, not checked …)."""
    listing = mutmut(work, "results", "--all", "true").stdout
    pairs = (line.strip().rsplit(": ", 1) for line in listing.splitlines() if ": " in line)
    return {name: status for name, status in pairs}


def target_of(name: str) -> str:
    """The target file a mutant name (dotted module path + function) belongs to."""
    for t in TARGETS:
        if name.startswith(t.removesuffix(".py").replace("/", ".") + "."):
            return t
    raise ValueError(f"mutant {name!r} lies in no target file")


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """95% Wilson score interval for a binomial proportion k/n."""
    if n == 0:
        return 0.0, 1.0
    p, d = k / n, 1 + z * z / n
    centre, half = (p + z * z / (2 * n)) / d, z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / d
    return max(0.0, centre - half), min(1.0, centre + half)


def summarise(outcome: dict[str, str]) -> dict:
    """Counts by outcome overall and per target file, and the kill rate with its interval:
    judged = killed + survived + timeout + suspicious; mutants no selected test reaches
    are counted apart, and a conservative rate counts them as not killed.  Mutants left
    "not checked" (the run stopped at --timeout) are in no rate: mutmut runs the mutants
    with the cheapest covering tests first, so a stopped run's judged part is not a
    uniform sample and its interval is only indicative."""
    by_file: dict[str, dict[str, int]] = {t: {} for t in TARGETS}
    for name, status in outcome.items():
        counts = by_file[target_of(name)]
        counts[status] = counts.get(status, 0) + 1
    total: dict[str, int] = {}
    for counts in by_file.values():
        for status, c in counts.items():
            total[status] = total.get(status, 0) + c
    killed = total.get("killed", 0)
    judged = killed + sum(total.get(s, 0) for s in ("survived", "timeout", "suspicious"))
    reached = judged + total.get("no tests", 0)
    return {"counts": total, "by_file": by_file, "killed": killed, "judged": judged,
            "kill_rate": killed / judged if judged else None, "wilson95": list(wilson(killed, judged)),
            "conservative_rate": killed / reached if reached else None,
            "conservative_wilson95": list(wilson(killed, reached))}


def resumed(path: Path | None, chosen: list[str]) -> tuple[dict, list[str]]:
    """The earlier run's results and the mutants still to test (all of `chosen` without
    --resume).  The earlier run must have drawn the same sample."""
    if path is None:
        return {"outcome": {}, "survivors": {}}, chosen
    earlier = json.loads(path.read_text())
    if sorted(earlier["outcome"]) != chosen:
        raise SystemExit(f"--resume {path}: its sample is not this run's (same --sample and --seed?)")
    return earlier, [n for n in chosen if earlier["outcome"][n] == "not checked"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="every proof module, not the fast subset")
    ap.add_argument("--max-children", type=int, default=2)
    ap.add_argument("--sample", type=int, default=None, metavar="N",
                    help="test a seeded uniform sample of N mutants, not all of them")
    ap.add_argument("--seed", type=int, default=0, metavar="S")
    ap.add_argument("--list", action="store_true",
                    help="only generate the mutants (and collect mutmut's statistics) and list them")
    ap.add_argument("--out", type=Path, default=Path("mutation_score.json"))
    ap.add_argument("--timeout", type=float, default=None,
                    help="stop mutmut after this many seconds and score what ran")
    ap.add_argument("--resume", type=Path, default=None, metavar="JSON",
                    help="an earlier run's --out of the same sample: test only its 'not checked' mutants")
    ap.add_argument("--work", type=Path, default=None,
                    help="keep the mutmut copy in this folder (reused, with its statistics, if present)")
    a = ap.parse_args()
    if a.sample is not None and a.sample < 1:
        ap.error("--sample N needs N >= 1")
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="llad-mutmut-") as tmp:
        work = a.work.resolve() if a.work else Path(tmp)
        if not (work / "pyproject.toml").exists():
            work.mkdir(parents=True, exist_ok=True)
            prepare(work, a.full)
        names = population(work, a.max_children)
        if a.list:  # (not `mutmut print-time-estimates`: run alone, it empties the statistics)
            print("\n".join(names))
            return 0
        chosen = names if a.sample is None or a.sample >= len(names) else \
            sorted(random.Random(a.seed).sample(names, a.sample))
        earlier, pending = resumed(a.resume, chosen)
        t1 = time.time()
        try:
            if not pending:  # (`mutmut run` without names would run every mutant)
                finished, tail = True, "nothing left to test"
            else:
                run = mutmut(work, "run", "--max-children", str(a.max_children), *pending,
                             timeout=a.timeout)
                finished, tail = run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        except subprocess.TimeoutExpired:
            finished, tail = False, f"stopped after {a.timeout} s"
        t2 = time.time()
        status = statuses(work)
        outcome = {n: status.get(n, "not checked") if n in pending else earlier["outcome"][n]
                   for n in chosen}
        survivors = {n: earlier["survivors"][n] if n not in pending else mutmut(work, "show", n).stdout
                     for n, s in outcome.items() if s == "survived"}
    result = {"population": len(names),
              "population_by_file": {t: sum(target_of(n) == t for n in names) for t in TARGETS},
              "sample": len(chosen), "seed": a.seed, **summarise(outcome),
              "wall_seconds": {"generate_and_collect": round(t1 - t0, 1), "run": round(t2 - t1, 1),
                               "total": round(time.time() - t0, 1)},
              "finished": finished, "subset": "full" if a.full else FAST, "targets": TARGETS,
              "max_children": a.max_children, "resumed_from": str(a.resume) if a.resume else None,
              "tested_now": len(pending), "outcome": outcome, "survivors": survivors, "tail": tail}
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"population {len(names)} mutants; sample {len(chosen)} (seed {a.seed}); "
          f"counts {json.dumps(result['counts'])}")
    for t, counts in result["by_file"].items():
        print(f"  {t}: {json.dumps(counts)} of {result['population_by_file'][t]}")
    if result["judged"]:
        lo, hi = result["wilson95"]
        print(f"kill rate {result['killed']}/{result['judged']} = {100 * result['kill_rate']:.1f}% "
              f"(95% Wilson {100 * lo:.1f}-{100 * hi:.1f}% for the population); counting the "
              f"{result['counts'].get('no tests', 0)} mutants no selected test reaches as not killed: "
              f"{100 * result['conservative_rate']:.1f}%")
    else:
        print(f"mutmut judged no mutant:\n{tail}")
    print(f"{len(survivors)} survivors in {a.out}; wall {result['wall_seconds']} s"
          f"{'' if finished else ' (incomplete)'}")
    return 0 if result["judged"] else 1


if __name__ == "__main__":
    sys.exit(main())
