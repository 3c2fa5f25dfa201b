"""Determinism (issue 15): the same commands on the same inputs print byte-identical
output under different PYTHONHASHSEED values — JSON, printed programs, symbolic
expressions and their side conditions.  Each seed runs every command in one fresh
interpreter (`llad.cli.main` in turn), so set and dict iteration orders really differ."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = [
    ["grad", "examples/matvec.py", "matvec", "--at", "v=(2,3)", "--symbolic", "--json"],
    ["grad", "examples/lighthouse.py", "lighthouse", "--symbolic", "--json", "--via", "ll"],
    ["eval", "examples/xy_sin.py", "xy_sin", "--symbolic"],
    ["encode", "examples/lighthouse.py", "lighthouse", "--json"],
    ["jvp", "examples/lighthouse.py", "lighthouse"],
    ["unzip", "examples/sincos.py", "sincos", "--policy", "recompute"],
    ["ll", "eval", "examples/ll_ad.ll", "--json", "--symbolic"],
    ["check", "examples/lighthouse.la", "--json"],
    ["eval", "examples/square.py", "square", "--at", "x=(1,2)"],  # an error message too
]

DRIVER = """
import sys
from llad.cli import main
for argv in {commands!r}:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    sys.stderr.flush()
    print("exit", code, flush=True)
"""


def run_under(seed: str, commands: list[list[str]]) -> tuple[bytes, bytes]:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    p = subprocess.run([sys.executable, "-c", DRIVER.format(commands=commands)], cwd=ROOT,
                       env=env, capture_output=True, timeout=300)
    return p.stdout, p.stderr


def test_byte_identical_under_two_hash_seeds():
    commands = [c if c[:2] != ["ll", "eval"] else c[:3] + [_ll_name()] + c[3:]
                for c in COMMANDS]
    out0, err0 = run_under("0", commands)
    out1, err1 = run_under("1", commands)
    assert out0.count(b"exit 0") == len(commands) - 1 and b"exit 1" in out0, out0[-2000:]
    assert b"Traceback" not in err0
    assert out0 == out1 and err0 == err1


def _ll_name() -> str:
    """The last definition of ll_ad.ll (it uses the ones before it)."""
    text = (ROOT / "examples" / "ll_ad.ll").read_text()
    return [line.split()[1] for line in text.splitlines() if line.startswith("def ")][-1]
