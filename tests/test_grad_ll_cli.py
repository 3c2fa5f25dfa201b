"""`llad grad … --via ll` (grad_LL = T_LL ∘ F ∘ ⟦·⟧): the same JSON shape, primal and
gradient as the Linear A route (T ∘ U ∘ J), plus `workload` and `structural_steps`,
with no more work (E5) and no tape."""

from __future__ import annotations

import json
from pathlib import Path

import sympy

from llad.linear_a import grad_via_ll_json
from calculus.loader import load_program
from checkers.symbolic import prove_equal

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MATVEC = ["grad", str(EXAMPLES / "matvec.py"), "matvec", "--at", "v=(2,3)", "--symbolic",
          "--json"]



def both_routes(llad, argv: list[str]) -> tuple[dict, dict]:
    """(Linear A route, λLL route) JSON outputs of the same `llad grad` call."""
    code, out, err = llad(*argv)
    assert code == 0, err
    code_ll, out_ll, err_ll = llad(*argv, "--via", "ll")
    assert code_ll == 0, err_ll
    return json.loads(out), json.loads(out_ll)


def sym(v, names: tuple[str, ...]):
    """JSON values (strings for symbolic expressions, nested lists) as sympy/tuples,
    reading `names` as the CLI's real symbols (not, e.g., sympy's gamma function)."""
    if isinstance(v, list):
        return tuple(sym(x, names) for x in v)
    return sympy.sympify(v, locals={n: sympy.Symbol(n, real=True) for n in names})


def test_matvec_symbolic_same_shape_and_values(llad):
    la, ll = both_routes(llad, MATVEC)
    assert set(ll) == set(la) | {"workload", "structural_steps"}
    assert ll["primal"] == la["primal"] and ll["gradient"] == la["gradient"]
    assert ll["tape"] is None and la["tape"] > 0
    assert ll["work"] == ll["workload"]
    assert set(ll["work"]) == set(la["work"]) == {"arithmetic", "symmetric"}
    assert all(ll["workload"][m] <= la["work"][m] for m in la["work"])
    assert isinstance(ll["structural_steps"], int) and ll["structural_steps"] > 0


def test_matvec_output_is_grad_via_ll_json(llad):
    code, out, _ = llad(*MATVEC, "--via", "ll")
    assert code == 0
    v = tuple(sympy.Integer(k) for k in (2, 3))
    direct = grad_via_ll_json(load_program(EXAMPLES / "matvec.py"), "matvec", (v,), "symbolic")
    assert json.loads(out) == direct


def test_symbols_for_missing_parameters(llad):
    """--symbolic without --at: both routes return expressions in the same symbols."""
    la, ll = both_routes(llad, ["grad", str(EXAMPLES / "lighthouse.py"), "lighthouse",
                                  "--symbolic", "--json"])
    names = ("nu", "gamma", "omega", "t")
    verdict = prove_equal((sym(ll["primal"], names), sym(ll["gradient"], names)),
                          (sym(la["primal"], names), sym(la["gradient"], names)))
    assert verdict, str(verdict)
    assert len(ll["primal"]) == 2 and len(ll["gradient"]) == 4


def test_float_mode(llad):
    la, ll = both_routes(llad, ["grad", str(EXAMPLES / "xy_sin.py"), "xy_sin", "--at",
                                  "x=0.5,y=1.5", "--json"])
    assert isinstance(ll["primal"], float)
    assert abs(ll["primal"] - la["primal"]) <= 1e-12
    assert all(abs(a - b) <= 1e-12 for a, b in zip(ll["gradient"], la["gradient"], strict=True))


def test_text_output_names_every_field(llad):
    code, out, _ = llad("grad", str(EXAMPLES / "square.py"), "square", "--at", "x=3",
                       "--via", "ll")
    assert code == 0
    fields = [line.split(":", 1)[0] for line in out.splitlines()]
    assert fields == ["primal", "gradient", "work", "tape", "workload", "structural_steps"]


def test_cotangent_is_a_usage_error_via_ll(llad):
    code, _, err = llad("grad", str(EXAMPLES / "square.py"), "square", "--at", "x=3",
                       "--ct", "y=2", "--via", "ll")
    assert code == 2 and "--ct" in err
