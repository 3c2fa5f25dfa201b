"""`llad extract` and `calculus.extract`: the module runs without llad and returns what
`llad eval`/`llad grad --json` print; names trace back to the source; errors have their
exit codes; deep and long programs extract and compile."""

from __future__ import annotations

import dis
import json
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from calculus.errors import CalculusError
from calculus.extract import MAX_DEPTH, extract, reuse_locals
from calculus.linear_a.parse import parse_program
from calculus.linear_a.syntax import FunDef, Prim, Program, REAL, Ret, Let, Var
from calculus.loader import load_program
from calculus.primitives import Op
from calculus.surface import compile_source
from checkers import extraction as ex

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_isolated(path: Path, call: str) -> object:
    """Evaluate `call` on the module at `path` in `python -I` (no site-packages, so no
    llad), returning the JSON of its value (tuples as lists)."""
    code = (f"import json, runpy; m = runpy.run_path({str(path)!r}); "
            f"print(json.dumps(m[{call.split('(')[0]!r}]({call.split('(', 1)[1][:-1]})))")
    r = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.mark.parametrize("via", ["linear-a", "ll"])
def test_cli_grad_module_runs_without_llad_and_matches_llad_grad(llad, tmp_path, via):
    out = tmp_path / "matvec_grad.py"
    code, _, err = llad("extract", str(EXAMPLES / "matvec.py"), "matvec", "--grad", "--via", via,
                        "-o", str(out))
    assert code == 0, err
    got = run_isolated(out, "matvec_grad((2.0, 3.0))")
    code, printed, err = llad("grad", str(EXAMPLES / "matvec.py"), "matvec", "--at", "v=(2,3)",
                              "--json", "--via", via)
    assert code == 0, err
    want = json.loads(printed)
    assert got == [want["primal"], want["gradient"]]


def test_cli_plain_module_matches_llad_eval(llad, tmp_path):
    out = tmp_path / "lighthouse.py"
    assert llad("extract", str(EXAMPLES / "lighthouse.py"), "lighthouse", "-o", str(out))[0] == 0
    code, printed, _ = llad("eval", str(EXAMPLES / "lighthouse.py"), "lighthouse", "--at",
                            "nu=2.5,gamma=0.25,omega=1.5,t=0.5", "--json")
    assert code == 0
    prog = load_program(EXAMPLES / "lighthouse.py")
    params = ", ".join(x for x, _ in prog.get("lighthouse").nl_params)
    assert params == "nu, gamma, omega, t"
    assert run_isolated(out, "lighthouse(2.5, 0.25, 1.5, 0.5)") == json.loads(printed)["value"]


def test_cli_prints_to_stdout(llad):
    code, out, _ = llad("extract", str(EXAMPLES / "square.py"), "square", "--target", "numpy")
    assert code == 0 and "from numpy import" in out and "def square(x):" in out


def test_cli_errors(llad, tmp_path):
    code, _, err = llad("extract", str(EXAMPLES / "square.py"), "nope")
    assert code == 2 and "no function `nope`" in err
    assert llad("extract", str(EXAMPLES / "square.py"), "square", "--via", "jvp")[0] == 2
    assert llad("extract", str(EXAMPLES / "square.py"), "square", "--target", "c")[0] == 2
    linear = tmp_path / "lin.la"
    linear.write_text("def f(x: real; a: real) -> (; real) = x *. a\n")
    code, _, err = llad("extract", str(linear), "f", "--grad")
    assert code == 1 and "[grad]" in err and "Traceback" not in err
    ill = tmp_path / "ill.la"
    ill.write_text("def f(x: real; a: real) -> (; real) = a +. a\n")
    code, _, err = llad("extract", str(ill), "f")
    assert code == 1 and "Traceback" not in err


def test_names_trace_back_and_linear_operations_are_plain_arithmetic():
    p = parse_program("def f(x.1: real, if: real; a: real) -> (real; real, real) =\n"
                      "  let (;b, c) = dup(x.1 *. a) in let (;) = drop(if) in\n"
                      "  let (;d) = c +. zero in (x.1; b, d)")
    text = extract(p, "f")
    assert "def f(x_1, if_1, a):" in text  # `.` and keywords renamed, readably
    assert "# x.1 = x_1" in text and "# if = if_1" in text  # … and traced back
    assert "    b = x_1 * a\n    # c = b\n" in text  # dup: two names for one value
    assert "    d = b + 0.0\n" in text  # zero is 0.0, +. is +
    assert text.count("if_1") == 2  # drop emits nothing
    assert ex.load(text)["f"](2.0, 7.0, 3.0) == (2.0, 6.0, 6.0)


def test_deeply_nested_expression_compiles():
    """sin(sin(… x)) nested 5000 deep in one expression (not A-normal): operands deeper
    than MAX_DEPTH are named, so CPython's parser never nests more than MAX_DEPTH."""
    e = Var("x")
    for _ in range(5000):
        e = Prim(Op.SIN, (e,))
    p = Program((FunDef("f", (("x", REAL),), (), (REAL,), (), Let(("y",), (), e, Ret(("y",), ()))),))
    text = extract(p, "f")
    assert max(paren_depth(line) for line in text.splitlines()) <= MAX_DEPTH + 1
    want = 0.5
    for _ in range(5000):
        want = math.sin(want)
    assert ex.load(text)["f"](0.5) == want
    assert ex.count(text, "f", (0.5,))[1] == 5000


def test_long_chain_extracts_and_compiles():
    """chain_10000 from the corpus: 10⁴ statements in one function body, no recursion limit."""
    p = load_program(EXAMPLES / "chain_10000.la")
    text = extract(p, "chain_10000")
    assert text.count("\n    ") >= 10**4
    got, ops = ex.count(text, "chain_10000", (0.5,))
    assert ops == 10**4
    assert ex.load(text)["chain_10000"](0.5) == got


def test_numpy_target_agrees():
    np = pytest.importorskip("numpy", reason="the numpy target needs numpy (installed with the jax extra)")
    p = load_program(EXAMPLES / "lighthouse.py")
    text = extract(p, "lighthouse", grad=True, target="numpy")
    assert "from numpy import" in text
    ours = ex.load(text)["lighthouse_grad"](2.5, 0.25, 1.5, 0.5)
    ref = ex.load(extract(p, "lighthouse", grad=True))["lighthouse_grad"](2.5, 0.25, 1.5, 0.5)
    assert np.allclose(ex.flat(ours), ex.flat(ref), rtol=1e-12, atol=0)


def test_unknown_option_value_is_an_error():
    with pytest.raises(ValueError):
        extract(load_program(EXAMPLES / "square.py"), "square", target="fortran")


def test_out_of_fragment_is_a_calculus_error():
    p = parse_program("def f(x: real; a: real) -> (; real) = x *. a")
    with pytest.raises(CalculusError) as info:
        extract(p, "f", grad=True, via="ll")
    assert info.value.rule == "grad"


def test_reuse_locals_renames_dead_locals_only():
    """A binder takes the name of a local read for the last time (by an earlier statement
    or its own right-hand side), the lowest-numbered first (CPython's numbering:
    parameters in order, then names by first occurrence); the alias comment follows its
    value; the values are those of the one-name-per-binder function."""
    lines = ["def f(a, b):", '    """doc"""', "    c = a * b", "    # c2 = c", "    d = c + a",
             "    e = sin(d)  # e.src", "    return (d, e)"]
    assert reuse_locals(lines) == [
        "def f(a, b):", '    """doc"""', "    b = a * b  # c", "    # c2 = b", "    a = b + a  # d",
        "    b = sin(a)  # e.src", "    return (a, b)"]
    env = ex.load("from math import sin\n" + "\n".join(lines) + "\n")
    reused = ex.load("from math import sin\n" + "\n".join(reuse_locals(lines)) + "\n")
    assert env["f"](0.3, 0.7) == reused["f"](0.3, 0.7)
    lines = ["def g(a, b, c):", '    """doc"""', "    d = a * b", "    e = d + c", "    return e"]
    assert reuse_locals(lines)[2:] == ["    a = a * b  # d", "    a = a + c  # e", "    return a"]


def test_gradient_frames_hold_the_live_values_only():
    """horner_100's transposed gradient: with reuse_locals its frame has about as many
    locals as it has parameters (the tape), not one per statement; FUNC_grad passes the
    tape on as one tuple (no local per tape entry)."""
    p = load_program(EXAMPLES / "horner_100.la")
    text = extract(p, "horner_100", grad=True)
    env = ex.load(text)
    back, entry = env["horner_100_jvp_lin_T"].__code__, env["horner_100_grad"].__code__
    body = text.split("def horner_100_jvp_lin_T")[1].split("\ndef ")[0].splitlines()
    statements = sum(1 for line in body if " = " in line and not line.lstrip().startswith("#"))
    assert back.co_nlocals <= 2 * back.co_argcount < statements
    assert entry.co_nlocals <= 2


def paren_depth(line: str) -> int:
    """How deep the parentheses of one line nest."""
    depth = deepest = 0
    for ch in line:
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
    return deepest


def test_paren_depth_measures_nesting_not_width():
    assert paren_depth("f((a), (b), (c))") == 2 and paren_depth("((((x))))") == 4


def test_busy_slots_of_a_long_backward_have_small_numbers():
    """horner_1000's backward: every frame slot stored more than once (the running
    cotangents) has a number below 256, so that its LOAD_FAST/STORE_FAST need no
    EXTENDED_ARG (the tape is passed reversed, `reuse_locals` hands on the lowest
    dead slot)."""
    p = load_program(EXAMPLES / "horner_1000.la")
    back = ex.load(extract(p, "horner_1000", grad=True))["horner_1000_jvp_lin_T"].__code__
    stores = Counter(i.arg for i in dis.get_instructions(back) if i.opname == "STORE_FAST")
    busy = [k for k, c in stores.items() if c > 1]
    assert len(busy) >= 2 and max(busy) < 256 < back.co_nlocals


def test_wide_tensors_cross_ll_boundaries_flat():
    """Σ x_i x_(i+1) over 250 parameters by T_LL∘F∘⟦·⟧: the parameters are one
    right-nested tensor, which crosses the λLL function boundaries as one flat tuple
    (nested, it was 250 parentheses deep, beyond CPython's parser); the gradient is the
    T∘U∘J one, bit for bit."""
    n = 250
    p = compile_source(f"def f({', '.join(f'x{i}' for i in range(n))}):\n    s = x0 * x1\n"
                       + "".join(f"    s = s + x{i} * x{i + 1}\n" for i in range(1, n - 1))
                       + "    return s\n")
    text = extract(p, "f", grad=True, via="ll")
    assert max(paren_depth(line) for line in text.splitlines()) <= MAX_DEPTH + 1
    at = tuple(0.5 + 0.001 * i for i in range(n))
    ll, la = (ex.load(t)["f_grad"](*at) for t in (text, extract(p, "f", grad=True)))
    assert ex.same_bits(ll, la)
