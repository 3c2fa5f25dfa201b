"""Fuzzing the front ends (issue 15): every command of a command line's `main(argv)`,
run in a worker process on generated inputs, each result classified as

    ok                exit 0, 1 or 2 (argparse's usage errors included), and no error
                      message with exit 0
    escape            an exception other than SystemExit left `main` (a traceback), an
                      exit code outside {0, 1, 2}, or exit 0 with `error` on stderr
    hang              no answer within the per-input time limit: the worker is killed
                      and restarted, the campaign goes on
    nondeterministic  a sampled input gave a different (exit, stdout, stderr) in a
                      second worker started with another PYTHONHASHSEED

`make_input(seed, i)` is a pure function of (seed, i): a campaign is reproducible and its
first n inputs are a derandomized slice.  Families, by i mod 20:

    mutate   (11/20) a corpus file (.py, .la or .ll) mutated token-wise within its
             language's token classes (numerals ↦ extreme numerals, names ↦ names and
             keywords, operators ↦ operators; deletions, duplications, swaps,
             truncation), under a command of its front end
    point    (5/20)  a corpus function under eval/grad (both routes) with malformed or
             extreme --at/--ct values (shapes, arity, names, inf/nan/1e400/1/0, JSON)
    surface  (3/20)  generated Python programs for the surface compiler: hypothesmith
                     (`pip install -e '.[fuzz]'`) when installed, else the subset
                     generator `subset_program` alone
    deep     (1/20)  huge and deeply nested programs (all three languages) and points

The worker protocol is length-prefixed pickles over the worker's stdin/stdout; files of
an input are written in the worker's own directory under fixed relative names, so two
workers print the same paths.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import pickle
import random
import re
import select
import struct
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from calculus.loader import EXAMPLES, corpus
from calculus.linear_a.syntax import RealT, TupT, Type

# --- inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    family: str
    argv: tuple[str, ...]
    files: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        shown = " ".join(a if len(a) < 80 else a[:80] + "…" for a in self.argv)
        return f"[{self.family}] llad {shown}" + "".join(
            f"\n  {name}: {text[:300]!r}{'…' if len(text) > 300 else ''}"
            for name, text in self.files)


EXTREME = ["0", "-0", "1e308", "-1.7976931348623157e308", "1e309", "1e400", "-1e400",
           "1e-400", "1e4300", "1e4301", "1e99999999", "inf", "-inf", "nan", "NaN",
           "Infinity", "1/0", "0/0", "3/4", "1.5/2", "-0.0", "." , "1e", "--1", "0x10",
           "1_000", "9" * 400, "9" * 5000, "2.5", "-3", "1e-5", "()", "(1,)", "",
           "10000000000000000000000"]
KEYWORDS = {"py": ["def", "return", "lambda", "for", "if", "while", "import", "sin", "cos",
                   "exp", "log", "sqrt", "tanh", "tuple", "float", "None", "x", "yield",
                   "global"],
            "la": ["def", "let", "in", "real", "dup", "drop", "zero", "sin", "exp", "log", "/.",
                   "sqrt", "tanh", "powi[2]", "powi[-1]", "x", "y", "_t.1"],
            "ll": ["def", "fun", "let", "in", "real", "dup", "drop", "zero", "plus", "scale",
                   "ldiv", "mul", "sin", "tanh", "powi[3]", "x", "!", "-o", "1", "*"]}
_TOKEN = re.compile(r"\s+|#[^\n]*|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?(?:/\d+)?|[A-Za-z_][\w.']*"
                    r"|->|-o|\*\*|[^\s\w]")
_NUM = re.compile(r"\d")
_NAME = re.compile(r"[A-Za-z_]")
LA_COMMANDS = ["check", "compile", "eval", "work", "jvp", "unzip", "transpose", "grad",
               "grad-ll", "encode"]


@dataclass(frozen=True)
class Source:
    """A corpus file: its language, text, functions and their parameter types."""

    path: Path
    lang: str
    text: str
    funcs: tuple[tuple[str, tuple[tuple[str, Type], ...], tuple[Type, ...]], ...]
    # (name, parameters, results)


@cache
def sources(max_size: int = 100) -> tuple[Source, ...]:
    """The corpus in its three languages, families only up to `max_size`."""
    from calculus.lambda_ll.parse import parse_program as parse_ll
    from calculus.loader import family_size, load_program
    out = []
    for py in corpus():
        if (family_size(py.stem) or 0) > max_size:
            continue
        prog = load_program(py)
        funcs = tuple((f.name, f.nl_params + f.lin_params, f.nl_results) for f in prog.funcs)
        for path in (py, py.with_suffix(".la")):
            out.append(Source(path, path.suffix[1:], path.read_text(), funcs))
    for ll in sorted(EXAMPLES.glob("ll_*.ll")):
        text = ll.read_text()
        out.append(Source(ll, "ll", text, tuple((d.name, (), ()) for d in parse_ll(text).defs)))
    return tuple(out)


DEEP_SIZES = (100, 300, 1000)


def make_input(seed: int, i: int, hypothesmith_pool: tuple[str, ...] = (),
               deep_sizes: tuple[int, ...] = DEEP_SIZES) -> Input:
    """Input i of the campaign with this seed (a pure function of its arguments)."""
    rng = random.Random(f"{seed}:{i}")
    k = i % 20
    if k < 11:
        return _mutate(rng)
    if k < 16:
        return _point(rng)
    if k < 19:
        return _surface(rng, hypothesmith_pool)
    return _deep(rng, deep_sizes)


def _mutate(rng: random.Random) -> Input:
    src = rng.choice(sources(10) + sources(100)[::4])  # mostly small programs
    tokens = _TOKEN.findall(src.text)
    for _ in range(rng.choice([1, 1, 2, 3])):
        tokens = _mutation(rng, tokens, src.lang)
    text = "".join(tokens)
    name = f"prog.{src.lang}"
    if src.lang == "ll":
        return Input("mutate", _ll_argv(rng, name, src), ((name, text),))
    return Input("mutate", _la_argv(rng, name, src), ((name, text),))


def _mutation(rng: random.Random, tokens: list[str], lang: str) -> list[str]:
    solid = [j for j, t in enumerate(tokens) if t.strip() and not t.startswith("#")]
    if not solid:
        return tokens + [rng.choice(KEYWORDS[lang])]
    j, j2 = rng.choice(solid), rng.choice(solid)
    t = tokens[j]
    out = list(tokens)
    match rng.randrange(7):
        case 0:
            del out[j]
        case 1:
            out.insert(j, t)
        case 2:
            out[j], out[j2] = out[j2], out[j]
        case 3:
            out = out[:j]
        case 4 if _NUM.match(t):
            out[j] = rng.choice(EXTREME) or "0"
        case 4 | 5 if _NAME.match(t):
            names = [u for u in tokens if _NAME.match(u)] + KEYWORDS[lang]
            out[j] = rng.choice(names)
        case _:
            out[j] = rng.choice(["+", "-", "*", "/", "(", ")", ",", ";", ":", "=", "!", "->",
                                 "-o", "**", "[", "]", "@", "\\", "\n", "\t", "λ", "'"])
    return out


def _la_argv(rng: random.Random, path: str, src: Source) -> tuple[str, ...]:
    command = rng.choice(LA_COMMANDS)
    name, params, results = rng.choice(src.funcs) if src.funcs else ("f", (), ())
    if command in ("check", "compile"):
        return (command, path) + (("--json",) if rng.random() < 0.3 else ())
    argv = ["grad" if command == "grad-ll" else command, path, name]
    if command in ("eval", "grad", "grad-ll"):
        argv += ["--at", _point_text(rng, params, valid=0.8)]
        if rng.random() < 0.15:
            argv.append("--symbolic")
        if command == "grad-ll":
            argv += ["--via", "ll"]
        elif command == "grad" and rng.random() < 0.3:
            argv += ["--ct", _point_text(rng, _named(results), valid=0.7)]
    if rng.random() < 0.3:
        argv.append("--json")
    return tuple(argv)


def _ll_argv(rng: random.Random, path: str, src: Source) -> tuple[str, ...]:
    name = rng.choice(src.funcs)[0] if src.funcs else "f"
    match rng.randrange(4):
        case 0:
            return ("ll", "check", path)
        case 1:
            return ("ll", "proof", path, name) + (("--latex",) if rng.random() < 0.3 else ())
        case _:
            args = [a for _ in range(rng.randrange(3)) for a in ("--arg", _ll_term(rng))]
            mode = ["--symbolic"] if rng.random() < 0.2 else []
            budget = ["--max-steps", rng.choice(["1", "5", "100", "0", "-1", "x"])] \
                if rng.random() < 0.1 else []
            return ("ll", "eval", path, name, *args, *mode, *budget, "--json")


def _ll_term(rng: random.Random) -> str:
    n = rng.choice(EXTREME[:12] + ["2.0", "3/4", "1.5/2", "1" + "0" * 400])
    return rng.choice([f"!{n}", n, f"({n}, {n})", "()", "fun (x : real) -> x", f"!!{n}",
                       f"(!{n}, 2.0)", "zero", "dup", f"let !u = !{n} in u", "(", "!"])


def _point_text(rng: random.Random, params: tuple[tuple[str, Type], ...], valid: float) -> str:
    """A point for these parameters (or results): mostly well shaped (probability
    `valid`), in NAME=VALUE or JSON form."""
    names = [x for x, _ in params]
    values = [_written(rng, t) if rng.random() < valid else _wrong(rng) for _, t in params]
    if rng.random() < 0.1:
        names.append(rng.choice(["zz", "x", "1x", "", "x.y'"]))
        values.append(_wrong(rng))
    if rng.random() < 0.1 and names:
        names.pop()
        values.pop()
    if rng.random() < 0.2:
        return "{" + ", ".join(f'"{n}": {_json(v)}' for n, v in zip(names, values)) + "}"
    return ",".join(f"{n}={_text(v)}" for n, v in zip(names, values))


def _named(results: tuple[Type, ...]) -> tuple[tuple[str, Type], ...]:
    return tuple((f"r{j}", t) for j, t in enumerate(results))


def _written(rng: random.Random, t: Type):
    match t:
        case RealT():
            return rng.choice(["1", "2.5", "-3", "0.5", "3/4", "1e-3"]) \
                if rng.random() < 0.9 else rng.choice(EXTREME)
        case TupT(elems):
            return tuple(_written(rng, s) for s in elems)


def _wrong(rng: random.Random):
    depth = rng.randrange(4)
    v = rng.choice(EXTREME)
    for _ in range(depth):
        v = tuple(v for _ in range(rng.randrange(4)))
    return v


def _text(v) -> str:
    return "(" + ",".join(map(_text, v)) + ")" if isinstance(v, tuple) else v


def _json(v) -> str:
    return "[" + ",".join(map(_json, v)) + "]" if isinstance(v, tuple) else (v or '""')


def _point(rng: random.Random) -> Input:
    src = rng.choice([s for s in sources(10) if s.lang != "ll"])
    name, params, results = rng.choice(src.funcs)
    at = _point_text(rng, params, valid=0.5)
    command = rng.choice([["eval"], ["grad"], ["grad", "--via", "ll"]])
    argv = [command[0], str(src.path.relative_to(EXAMPLES.parent)), name, "--at", at,
            *command[1:]]
    if command == ["grad"] and rng.random() < 0.5:
        argv += ["--ct", _point_text(rng, _named(results), valid=0.5)]
    if rng.random() < 0.2:
        argv.append("--symbolic")
    return Input("point", tuple(argv), ())


def subset_program(rng: random.Random) -> str:
    """A random program near llad's Python subset: defs with real and tuple
    parameters, arithmetic, calls, tuple unpacking, and some constructs outside it."""
    lines, defined = [], []
    for k in range(rng.randint(1, 3)):
        params = [f"a{j}" for j in range(rng.randint(0, 3))]
        env = list(params)
        body = []
        for s in range(rng.randint(0, 4)):
            target = f"v{s}"
            body.append(f"    {target} = {_expr(rng, env, defined, 3)}")
            env.append(target)
        body.append(f"    return {_expr(rng, env, defined, 2)}")
        sig = ", ".join(p + rng.choice(["", "", ": float", ": tuple[float, float]", ": int"])
                        for p in params)
        lines += [f"def f{k}({sig}):"] + body + [""]
        defined.append((f"f{k}", len(params)))
    return "\n".join(lines)


def _expr(rng: random.Random, env: list[str], funcs: list, depth: int) -> str:
    r = rng.random()
    if depth == 0 or r < 0.3:
        return rng.choice(env + [rng.choice(EXTREME[:5] + ["1.0", "2", "0.5", "1e400", "True"])]) \
            if env else rng.choice(["1.0", "2", "1e400"])
    sub = lambda: _expr(rng, env, funcs, depth - 1)  # noqa: E731
    if r < 0.6:
        return f"({sub()} {rng.choice(['+', '-', '*', '/', '**', '//', '@'])} {sub()})"
    if r < 0.75:
        fn = rng.choice(['sin', 'cos', 'exp', 'log', 'sqrt', 'tanh', 'abs', 'math.sin'])
        return f"{fn}({sub()})"
    if r < 0.85 and funcs:
        name, arity = rng.choice(funcs)
        return f"{name}({', '.join(sub() for _ in range(arity + rng.choice([0, 0, 1, -1])))})"
    if r < 0.95:
        return f"({sub()}, {sub()})"
    return rng.choice([f"-{sub()}", f"{sub()}[0]", f"[{sub()}]", f"{sub()} if {sub()} else 0"])


def _surface(rng: random.Random, pool: tuple[str, ...]) -> Input:
    text = rng.choice(pool) if pool and rng.random() < 0.5 else subset_program(rng)
    command = rng.choice(["check", "compile", "eval", "grad", "encode", "jvp"])
    argv = [command, "prog.py"]
    if command not in ("check", "compile"):
        argv += [rng.choice(["f0", "f1", "f"])]
        if command in ("eval", "grad"):
            argv += ["--at", rng.choice(["a0=1,a1=2,a2=3", "a0=(1,2),a1=2", "", "a0=1"])]
    return Input("surface", tuple(argv), (("prog.py", text),))


def _deep(rng: random.Random, sizes: tuple[int, ...]) -> Input:
    n = min(rng.choice(sizes), rng.choice(sizes))  # the largest size in 1 of n² inputs
    kind = rng.randrange(8)
    la_head = "def f(x: real) -> (real;) =\n  "
    match kind:
        case 0:
            text = la_head + "(" * n + "x" + ")" * n
        case 1:
            text = la_head + "".join(f"let (a{j};) = sin(x) in\n  " for j in range(n)) + "(x;)"
        case 2:
            text = la_head + "sin(" * n + "x" + ")" * n
        case 3:
            text = la_head + "(" + " + ".join(["x"] * n) + ";)"
        case 4:
            text = "def f(x):\n    return " + " + ".join(["x"] * n) + "\n"
        case 5:
            text = "def f(x):\n    return " + "(" * min(n, 150) + "x" + ")" * min(n, 150) + "\n"
        case 6:
            text = "def f : real -o real =\n  fun (x : real) -> " + "(" * n + "x" + ")" * n
        case _:
            deep = "(" * n + "1" + ")" * n
            return Input("deep", ("eval", "examples/square.py", "square", "--at",
                                  rng.choice([f"x={deep}", f'{{"x": {"[" * n}1{"]" * n}}}',
                                              "x=" + "1" * (n * 10), "x=" + ",".join(["1"] * n)])))
    name = {0: "prog.la", 1: "prog.la", 2: "prog.la", 3: "prog.la", 4: "prog.py",
            5: "prog.py", 6: "prog.ll"}[kind]
    if name.endswith(".ll"):
        argv = rng.choice([("ll", "check", name), ("ll", "eval", name, "f", "--arg", "1.0")])
    else:
        argv = (rng.choice(["eval", "grad", "encode", "jvp"]), name, "f") + (
            ("--at", "x=2") if rng.random() < 0.7 else ())
        if argv[0] in ("encode", "jvp"):
            argv = argv[:3]
    return Input("deep", argv, ((name, text),))


# --- running ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    code: object
    out: str
    err: str
    escape: str | None  # the exception's last traceback line, if one left main

    def key(self) -> tuple:
        return (self.code, self.out, self.err, self.escape)


def run_one(main, argv: tuple[str, ...], files: tuple[tuple[str, str], ...]) -> Outcome:
    """Run main(argv) in this process after writing the files; capture everything."""
    for name, text in files:
        Path(name).write_text(text)
    out, err = io.StringIO(), io.StringIO()
    escape = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = exc.code
        except BaseException as exc:  # an escape: what the campaign looks for
            code = None
            escape = "".join(traceback.format_exception_only(type(exc), exc)).strip()[-500:]
            escape += " @ " + _where(exc)
    return Outcome(code, out.getvalue(), err.getvalue(), escape)


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if "site-packages" not in f.filename] or frames
    return f"{Path(own[-1].filename).name}:{own[-1].lineno}" if own else "?"


def _send(stream, obj) -> None:
    data = pickle.dumps(obj)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _recv(fd: int, deadline: float | None):
    """One message from the file descriptor, or None when the deadline passes."""
    buf = b""
    need = 8
    size = None
    while True:
        while len(buf) < need:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise EOFError("worker died")
            buf += chunk
        if size is None:
            size = struct.unpack("<Q", buf[:8])[0]
            need = 8 + size
            continue
        return pickle.loads(buf[8:need])


def worker(target: str) -> None:
    """The worker loop: read (argv, files), answer an Outcome, in a private directory."""
    module, _, attr = target.partition(":")
    main = getattr(importlib.import_module(module), attr)
    os.chdir(tempfile.mkdtemp(prefix="llad-fuzz-"))
    os.symlink(EXAMPLES, "examples")  # corpus paths are relative to the repository
    stdin = sys.stdin.buffer
    stdout = os.fdopen(os.dup(1), "wb")  # the protocol's channel; fd 1 itself is muted
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    _send(stdout, "ready")  # the time limit runs from here, not from the imports
    while True:
        try:
            argv, files = _recv(stdin.fileno(), None)
        except EOFError:
            return
        _send(stdout, run_one(main, argv, files).key())  # a tuple: no class to unpickle


class Worker:
    """A worker subprocess with its own PYTHONHASHSEED, restarted after a hang."""

    def __init__(self, target: str, hash_seed: int) -> None:
        self.target, self.hash_seed = target, hash_seed
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = dict(os.environ, PYTHONHASHSEED=str(self.hash_seed))
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
        self.proc = subprocess.Popen([sys.executable, "-m", "checkers.fuzz", self.target],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=env)
        if _recv(self.proc.stdout.fileno(), None) != "ready":
            raise RuntimeError(f"fuzz worker for {self.target} did not start")

    def run(self, inp: Input, limit: float) -> Outcome | None:
        """The outcome, or None if the input did not finish within `limit` seconds."""
        if self.proc is None:
            self.start()
        try:
            _send(self.proc.stdin, (inp.argv, inp.files))
            got = _recv(self.proc.stdout.fileno(), time.monotonic() + limit)
            got = got and Outcome(*got)
        except (EOFError, BrokenPipeError):
            self.stop()
            return Outcome(None, "", "", "the worker process died")
        if got is None:
            self.stop()
        return got

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


@dataclass
class Report:
    inputs: int = 0
    seconds: float = 0.0
    by_family: dict[str, int] = field(default_factory=dict)
    family_seconds: dict[str, float] = field(default_factory=dict)
    slowest: list[tuple[float, Input]] = field(default_factory=list)
    exit_codes: dict[str, int] = field(default_factory=dict)
    escapes: list[tuple[Input, str]] = field(default_factory=list)
    hangs: list[Input] = field(default_factory=list)
    nondeterministic: list[tuple[Input, str]] = field(default_factory=list)
    compared: int = 0

    def summary(self) -> str:
        rate = self.inputs / self.seconds if self.seconds else 0.0
        lines = [f"{self.inputs} inputs in {self.seconds:.1f} s ({rate:.0f}/s); families "
                 f"{dict(sorted(self.by_family.items()))}; exit codes "
                 f"{dict(sorted(self.exit_codes.items()))}",
                 f"escapes: {len(self.escapes)}  hangs: {len(self.hangs)}  "
                 f"non-deterministic: {len(self.nondeterministic)} of {self.compared} compared",
                 "seconds per family: " + ", ".join(
                     f"{k} {v:.1f}" for k, v in sorted(self.family_seconds.items()))]
        lines += [f"slow {t:.2f} s: {str(inp)[:200]}" for t, inp in self.slowest]
        for inp, what in self.escapes[:20]:
            lines.append(f"ESCAPE {what}\n  {inp}")
        for inp in self.hangs[:20]:
            lines.append(f"HANG\n  {inp}")
        for inp, what in self.nondeterministic[:20]:
            lines.append(f"NONDETERMINISTIC {what}\n  {inp}")
        return "\n".join(lines)


def classify(o: Outcome) -> str | None:
    """Why an outcome is an escape, or None if it is fine."""
    if o.escape:
        return o.escape
    if o.code not in (0, 1, 2, None):
        return f"exit code {o.code!r}"
    if o.code in (0, None) and "error" in o.err.lower():
        return f"exit 0 after an error: {o.err.strip()[:200]}"
    return None


def campaign(target: str, n: int, seed: int = 0, start: int = 0, limit: float = 20.0,
             compare_every: int = 10, hypothesmith_pool: tuple[str, ...] = (),
             progress: int | None = None, deep_sizes: tuple[int, ...] = DEEP_SIZES) -> Report:
    """Run inputs start … start+n-1; every `compare_every`-th also in a second worker
    with another PYTHONHASHSEED, comparing outcomes byte for byte."""
    a, b = Worker(target, 0), Worker(target, 1)
    report = Report()
    t0 = time.monotonic()
    try:
        for i in range(start, start + n):
            inp = make_input(seed, i, hypothesmith_pool, deep_sizes)
            report.by_family[inp.family] = report.by_family.get(inp.family, 0) + 1
            t = time.monotonic()
            o = a.run(inp, limit)
            t = time.monotonic() - t
            report.family_seconds[inp.family] = report.family_seconds.get(inp.family, 0) + t
            report.slowest = sorted(report.slowest + [(t, inp)], key=lambda p: -p[0])[:5]
            report.inputs += 1
            if o is None:
                report.hangs.append(inp)
                continue
            report.exit_codes[str(o.code)] = report.exit_codes.get(str(o.code), 0) + 1
            if why := classify(o):
                report.escapes.append((inp, why))
            if compare_every and i % compare_every == 0:
                o2 = b.run(inp, limit)
                report.compared += 1
                if o2 is not None and o2.key() != o.key():
                    report.nondeterministic.append((inp, _first_difference(o, o2)))
            if progress and (i - start + 1) % progress == 0:
                print(f"... {i - start + 1} inputs, {len(report.escapes)} escapes, "
                      f"{len(report.hangs)} hangs, {len(report.nondeterministic)} nondet, "
                      f"{time.monotonic() - t0:.0f} s", file=sys.stderr, flush=True)
    finally:
        a.stop()
        b.stop()
    report.seconds = time.monotonic() - t0
    return report


def _first_difference(o: Outcome, o2: Outcome) -> str:
    for what, x, y in zip(("exit", "stdout", "stderr", "escape"), o.key(), o2.key()):
        if x != y:
            return f"{what}: {str(x)[:120]!r} vs {str(y)[:120]!r}"
    return "?"


def hypothesmith_programs(n: int) -> tuple[str, ...]:
    """n Python programs from hypothesmith (grammar- and CST-based), derandomized; ()
    when hypothesmith is not installed."""
    try:
        import hypothesmith
    except ImportError:
        return ()
    from hypothesis import HealthCheck, Phase, given, settings
    out: list[str] = []
    for strategy in (hypothesmith.from_grammar(), hypothesmith.from_node()):
        @settings(derandomize=True, max_examples=n // 2, database=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck),
                  deadline=None)
        @given(strategy)
        def collect(src: str) -> None:
            out.append(src)
        collect()
    return tuple(out)


if __name__ == "__main__":
    worker(sys.argv[1])
