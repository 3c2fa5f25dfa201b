"""The `llad` command line: outputs, JSON shapes and exit codes (0 ok, 1 user error with
a one-line message, 2 bad usage)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llad.common import parse_point as parse_args_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"



def test_eval_json_shape(llad):
    code, out, _ = llad("eval", str(EXAMPLES / "matvec.py"), "matvec", "--at", "v=(2,3)",
                       "--json")
    assert code == 0
    data = json.loads(out)
    assert data["value"] == 650.0
    assert set(data["work"]) == {"arithmetic", "symmetric"}
    assert data["size"] > 0


def test_grad_symbolic_matvec(llad):
    code, out, _ = llad("grad", str(EXAMPLES / "matvec.py"), "matvec", "--at", "v=(2,3)",
                       "--symbolic", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["primal"] == 650 and data["gradient"] == [[77, 382]]


def test_grad_policies_agree(llad):
    outs = []
    for policy in ("store", "recompute"):
        code, out, _ = llad("grad", str(EXAMPLES / "simple.py"), "simple", "--at",
                           '{"x0": 1.5, "x1": 0.25}', "--policy", policy, "--json")
        assert code == 0
        outs.append(json.loads(out))
    assert outs[0]["gradient"] == outs[1]["gradient"]
    assert outs[1]["tape"] <= outs[0]["tape"]


def test_grad_simplify(llad):
    """--simplify: the same exact gradient, the static work before and after (the run's
    work is the work after); without it the output has no `simplify` entry."""
    args = ("grad", str(EXAMPLES / "sincos.py"), "sincos", "--at", "x=1/2", "--symbolic",
            "--json")
    code, plain, _ = llad(*args)
    code2, simplified, _ = llad(*args, "--simplify")
    assert code == code2 == 0
    plain, simplified = json.loads(plain), json.loads(simplified)
    assert "simplify" not in plain
    assert simplified["gradient"] == plain["gradient"]
    s = simplified["simplify"]
    assert s["rules"] == {"cse": 2, "dce": 1}
    assert s["static_work_before"] == plain["work"] == {"arithmetic": 11, "symmetric": 12}
    assert s["static_work_after"] == simplified["work"] == {"arithmetic": 9, "symmetric": 10}
    code3, _, err = llad("grad", str(EXAMPLES / "sincos.py"), "sincos", "--at", "x=1",
                         "--via", "ll", "--simplify")
    assert code3 == 2 and "--simplify" in err


def test_ill_typed_program_exit_1(tmp_path, llad):
    bad = tmp_path / "bad.la"
    bad.write_text("def f(x: real; a: real) -> (; real) =\n  (; a, a)\n")
    code, out, err = llad("check", str(bad))
    assert code == 1 and out == ""
    line = err.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "2:3" in line and "[Ret]" in line


def test_syntax_error_exit_1(tmp_path, llad):
    bad = tmp_path / "bad.la"
    bad.write_text("def f(x: real) -> (real;) =\n  let (y;) = x *\n")
    code, _, err = llad("eval", str(bad), "f", "--at", "x=1")
    assert code == 1 and "[syntax]" in err and "bad.la:2:16:" in err


def test_domain_error_exit_1(tmp_path, llad):
    f = tmp_path / "d.py"
    f.write_text("def f(x):\n    return log(x)\n")
    code, _, err = llad("eval", str(f), "f", "--at", "x=-1")
    assert code == 1 and "[log]" in err


def test_bad_usage_exit_2(llad):
    assert llad("eval")[0] == 2
    code, _, err = llad("eval", str(EXAMPLES / "simple.py"), "simple", "--at", "x0")
    assert code == 2 and "NAME=VALUE" in err


def test_unknown_function_exit_1(llad):
    code, _, err = llad("work", str(EXAMPLES / "simple.py"), "nope")
    assert code == 2 and "no function `nope`" in err


@pytest.mark.parametrize("command", ["jvp", "unzip", "transpose"])
def test_transformations_print_reparsable_core_syntax(tmp_path, llad, command):
    from calculus.linear_a.parse import parse_program
    from calculus.linear_a.typecheck import check_program
    src = EXAMPLES / "sincos.py"
    if command == "transpose":  # transpose needs a linear function: take sincos's J, unzipped
        code, out, _ = llad("jvp", str(src), "sincos")
        jv = tmp_path / "j.la"
        jv.write_text(out)
        code, out, _ = llad("unzip", str(jv), "sincos.jvp")
        src = tmp_path / "u.la"
        src.write_text(out)
        code, out, _ = llad(command, str(src), "sincos.jvp.lin")
    else:
        code, out, _ = llad(command, str(src), "sincos")
    assert code == 0
    expected = {"jvp": "sincos.jvp(", "unzip": "sincos.nonlin(", "transpose": "sincos.jvp.lin.T("}
    assert expected[command] in out
    check_program(parse_program(out))  # the printed program re-parses and type-checks


def test_args_text_forms():
    assert parse_args_text("x=1.5,v=(2,3)") == parse_args_text('{"x": 1.5, "v": [2, 3]}')
