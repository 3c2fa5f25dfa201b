"""`calculus.extract.schedule`: the straight-line functions of T∘U∘J and the closures of
T_LL∘F∘⟦·⟧ are reordered so that each reduction follows its last operand, and nothing else changes — the same statements,
every read after its definition, hence bit-identical gradients (X1) with the same
operations (X2).  A scheduler that moves a read before its definition is caught."""

from __future__ import annotations

from collections import Counter

import pytest

from calculus import extract as ex_rules
from calculus.extract import IDENT, extract, schedule
from calculus.loader import corpus_programs
from checkers import extraction as ex

CORPUS = dict(corpus_programs(max_n=100))
ROUTES = [(route, policy) for route, policy in ex.ROUTES if route != "plain"]


def read_before_definition(lines: list[str]) -> str | None:
    """The first statement of a `_Body` function (one name per binder) that reads a local
    not yet defined, or None; names that no statement defines (parameters, functions)
    are defined from the start."""
    body = [line.partition("  # ")[0] for line in lines[2:] if not line.lstrip().startswith("#")]
    split = [s.partition(" = ") if " = " in s else ("", "", s) for s in body]
    local = {x for t, _, _ in split for x in IDENT.findall(t)}
    seen: set[str] = set()
    for (t, _, value), s in zip(split, body):
        if any(x in local and x not in seen for x in IDENT.findall(value)):
            return s.strip()
        seen |= set(IDENT.findall(t))
    return None


def statements(lines: list[str]) -> Counter:
    return Counter(line.strip() for line in lines)


def gradient(name: str, policy: str, via: str = "linear-a") -> tuple:
    p = CORPUS[name]
    return ex.load(extract(p, name, grad=True, via=via, policy=policy))[ex.entry(name, via)](
        *ex.point(p, name, via))


def matches(name: str, policy: str, want: tuple, via: str = "linear-a") -> bool:
    """The extracted gradient `name` runs and is bit for bit `want`."""
    try:
        return ex.same_bits(gradient(name, policy, via), want)
    except (NameError, UnboundLocalError):  # a read before its definition
        return False


def unscheduled(monkeypatch, name: str, policy: str, via: str = "linear-a") -> tuple:
    """The gradient extracted with `schedule` the identity."""
    with monkeypatch.context() as m:
        m.setattr(ex_rules, "schedule", lambda lines: lines)
        return gradient(name, policy, via)


def test_a_reduction_follows_its_last_operand():
    """s reads a and b for the last time: it moves up to follow b (its alias comment
    with it); the call and the expression statement keep their order, and the return
    stays last."""
    lines = ["def f(x, y):", '    """doc"""', "    a = x * y", "    b = sin(x)  # b.src",
             "    c = g(y)", "    cos(x)  # dropped", "    # q = x", "    s = a + b",
             "    # s2 = s", "    return (s, c)"]
    assert schedule(lines) == [
        "def f(x, y):", '    """doc"""', "    a = x * y", "    b = sin(x)  # b.src",
        "    # q = x", "    s = a + b", "    # s2 = s", "    c = g(y)", "    cos(x)  # dropped",
        "    return (s, c)"]


def test_not_the_last_reader_or_a_call_is_not_moved():
    lines = ["def f(x):", '    """doc"""', "    a = sin(x)", "    b = cos(x)", "    c = exp(x)",
             "    s = a + b", "    t = b * c", "    h = HOLES['h'](a)", "    return (s, t, h)"]
    assert schedule(lines) == lines


@pytest.mark.parametrize("via,policy", ROUTES)
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_gradients_are_bit_identical_to_the_unscheduled_ones(monkeypatch, name, via,
                                                                    policy):
    """Every function `schedule` sees is a permutation of its statements with every read
    after its definition, and the gradient is bit for bit the unscheduled one."""
    seen = []

    def recording(lines: list[str]) -> list[str]:
        out = schedule(lines)
        seen.append((lines, out))
        return out
    monkeypatch.setattr(ex_rules, "schedule", recording)
    assert matches(name, policy, unscheduled(monkeypatch, name, policy, via), via)
    assert seen
    for before, after in seen:
        assert after[:2] == before[:2] and statements(after) == statements(before)
        assert after[-1] == before[-1] and after[-1].lstrip().startswith("return")
        assert read_before_definition(after) is None


def broken_schedule(lines: list[str]) -> list[str]:
    """The last reduction moved to the top of the body: it reads its operands before
    they are defined."""
    body = lines[2:]
    i = max((k for k, s in enumerate(body) if " + " in s and "return" not in s), default=None)
    return lines if i is None else lines[:2] + [body[i]] + body[:i] + body[i + 1:]


def test_a_broken_scheduler_is_caught(monkeypatch):
    """The broken scheduler reads before defining (caught by `read_before_definition`),
    and the gradients no longer agree with the unscheduled ones, nor with the
    interpreter (X1's bit-for-bit check)."""
    seen = []
    monkeypatch.setattr(ex_rules, "schedule", lambda lines: seen.append(lines) or lines)
    gradient("horner_10", "store")
    assert any(read_before_definition(broken_schedule(lines)) is not None for lines in seen)
    monkeypatch.setattr(ex_rules, "schedule", broken_schedule)
    for name in ("horner_10", "sincos"):
        p = CORPUS[name]
        interpreter, _ = ex.reference(p, name, ex.point(p, name, "linear-a"), "linear-a", "float")
        assert not matches(name, "store", unscheduled(monkeypatch, name, "store"))
        assert not matches(name, "store", interpreter)
