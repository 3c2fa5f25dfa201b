"""An independent checker of DILL natural-deduction proofs (SPEC §3.4, theorem L4).

It verifies a `calculus.lambda_ll.curry_howard.Proof` rule by rule.  It shares no code
with the type checker `calculus/lambda_ll/typecheck.py` (it does not import it) and
restates the signature's axioms itself; it reads only the datatypes of types, constants
and proofs.  Every node is checked *locally* against its premises' conclusions:

  every sequent   Γ ; Δ ⊢ A is well formed: names in Γ distinct, in Δ distinct, and
                  dom Γ ∩ dom Δ = ∅ (so no hidden contraction in Δ)
  Ax (x)          Δ = x:A and A is the conclusion
  IAx (u)         Δ = ·, u:A ∈ Γ
  Const (c)       Δ = ·, A = the axiom of c (c[D] needs D ::= real | 1 | D ⊗ D);
                  a literal r proves real
  1I              Δ = ·, A = 1
  ⊸I (x, A)       premise Γ∖x ; Δ ⊎ {x:A} ⊢ B and conclusion A ⊸ B
  ⊸E / ⊗I / 1E    premises share Γ, and Δ = Δ1 ⊎ Δ2 (multisets) with the usual types
  ⊗E (x, y)       x ≠ y; Γ ; Δ1 ⊢ A ⊗ B;  Γ∖{x,y} ; Δ2 ⊎ {x:A, y:B} ⊢ C;  Δ = Δ1 ⊎ Δ2
  !I              premise Γ ; · ⊢ A (empty Δ: the side condition of promotion), Δ = ·
  !E (u)          Γ ; Δ1 ⊢ !A;  Γ∖u, u:A ; Δ2 ⊢ C;  Δ = Δ1 ⊎ Δ2
  the other rules carry no label (found by L4×: a stray label was accepted)

`check_proof(p)` raises `ProofError` naming the rule and the path to the node; the
traversal is iterative, so arbitrarily deep proofs are checked.  `check_rule(p)` is the
local check of p's root alone (L4× asserts that a corrupted node fails its own check,
not only an ancestor's).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import assert_never

from calculus.errors import CalculusError
from calculus.lambda_ll.curry_howard import Proof, Rule, Sequent
from calculus.lambda_ll.syntax import Bang, Const, Lolli, One, Real, Tensor, Type
from calculus.primitives import OP_BY_NAME, PRIMS


@dataclass(eq=False)
class ProofError(CalculusError):
    """A rule application that is not an instance of its rule.  path: premise indices
    from the root to the faulty node."""

    path: tuple[int, ...] = ()


# --- the axioms, restated --------------------------------------------------------------------


def _data(a: Type) -> bool:
    if isinstance(a, (Real, One)):
        return True
    return isinstance(a, Tensor) and _data(a.left) and _data(a.right)


def axiom(c: Const) -> Type | None:
    """The formula a constant proves, or None when it is not an axiom."""
    if c.name in OP_BY_NAME:
        if c.index is not None:
            return None
        result: Type = Real()
        for _ in range(PRIMS[OP_BY_NAME[c.name]].arity):
            result = Lolli(Bang(Real()), result)
        return result
    d = c.index
    if d is None or not _data(d):
        return None
    return {"plus": Lolli(d, Lolli(d, d)), "zero": d, "dup": Lolli(d, Tensor(d, d)),
            "drop": Lolli(d, One()), "scale": Lolli(Bang(Real()), Lolli(d, d)),
            "ldiv": Lolli(Bang(Real()), Lolli(d, d))}.get(c.name)


# --- the checker -------------------------------------------------------------------------------


def _ms(ctx) -> Counter:
    return Counter(ctx)


def _gamma(s: Sequent) -> dict[str, Type]:
    return dict(s.gamma)


def _well_formed(s: Sequent) -> str | None:
    g = [x for x, _ in s.gamma]
    d = [x for x, _ in s.delta]
    if len(set(g)) != len(g):
        return f"Γ lists a name twice in {s}"
    if len(set(d)) != len(d):
        return f"Δ lists a linear hypothesis twice (contraction) in {s}"
    if set(g) & set(d):
        return f"a name is both intuitionistic and linear in {s}"
    return None


_UNLABELLED = (Rule.ONE_I, Rule.ONE_E, Rule.LOLLI_E, Rule.TENSOR_I, Rule.BANG_I)


def _check_node(p: Proof) -> str | None:
    """None if p is an instance of its rule given its premises' conclusions, else why not."""
    s, ps = p.sequent, p.premises
    bad = _well_formed(s)
    if bad:
        return bad
    need = {Rule.AX: 0, Rule.IAX: 0, Rule.CONST: 0, Rule.ONE_I: 0, Rule.LOLLI_I: 1,
            Rule.BANG_I: 1, Rule.LOLLI_E: 2, Rule.TENSOR_I: 2, Rule.ONE_E: 2,
            Rule.TENSOR_E: 2, Rule.BANG_E: 2}[p.rule]
    if len(ps) != need:
        return f"{len(ps)} premises, the rule has {need}"
    if p.rule in _UNLABELLED and p.label is not None:
        return f"{p.rule.value} carries no label, found {p.label!r}"
    if need == 2 and p.rule not in (Rule.TENSOR_E, Rule.BANG_E):
        p1, p2 = ps[0].sequent, ps[1].sequent
        if not _gamma(p1) == _gamma(s) == _gamma(p2):
            return "premises and conclusion do not share Γ"
        if _ms(s.delta) != _ms(p1.delta) + _ms(p2.delta):
            return "Δ is not the union of the premises' Δ1 and Δ2"
    match p.rule:
        case Rule.AX:
            ok = isinstance(p.label, str) and s.delta == ((p.label, s.concl),)
            return None if ok else f"linear axiom needs Δ = {p.label}:{s.concl}"
        case Rule.IAX:
            if s.delta:
                return "an intuitionistic axiom needs an empty Δ"
            ok = isinstance(p.label, str) and _gamma(s).get(p.label) == s.concl
            return None if ok else f"{p.label}:{s.concl} is not in Γ"
        case Rule.CONST:
            if s.delta:
                return "an axiom needs an empty Δ"
            match p.label:
                case Fraction():
                    ok = s.concl == Real()
                case Const() as c:
                    ok = axiom(c) is not None and axiom(c) == s.concl
                case _:
                    ok = False
            return None if ok else f"{p.label} is not an axiom proving {s.concl}"
        case Rule.ONE_I:
            return None if not s.delta and s.concl == One() else "1I proves · ⊢ 1"
        case Rule.LOLLI_I:
            q = ps[0].sequent
            match p.label:
                case (str(x), a) if s.concl == Lolli(a, q.concl):
                    if _gamma(q) != {u: b for u, b in s.gamma if u != x}:
                        return f"premise Γ is not Γ∖{x}"
                    if _ms(q.delta) != _ms(s.delta) + _ms(((x, a),)):
                        return f"premise Δ is not Δ, {x}:{a} (the hypothesis must be used " \
                               "exactly once)"
                    return None
            return f"conclusion {s.concl} is not the premise's implication"
        case Rule.LOLLI_E:
            f, a = ps[0].sequent.concl, ps[1].sequent.concl
            return None if f == Lolli(a, s.concl) else f"{f} is not {a} -o {s.concl}"
        case Rule.TENSOR_I:
            ok = s.concl == Tensor(ps[0].sequent.concl, ps[1].sequent.concl)
            return None if ok else "conclusion is not the tensor of the premises"
        case Rule.ONE_E:
            ok = ps[0].sequent.concl == One() and ps[1].sequent.concl == s.concl
            return None if ok else "1E needs premises ⊢ 1 and ⊢ C"
        case Rule.TENSOR_E:
            q1, q2 = ps[0].sequent, ps[1].sequent
            match p.label, q1.concl:
                case (str(x), str(y)), Tensor(a, b) if x != y and q2.concl == s.concl:
                    if _gamma(q1) != _gamma(s):
                        return "first premise does not share Γ"
                    if _gamma(q2) != {u: t for u, t in s.gamma if u not in (x, y)}:
                        return f"second premise Γ is not Γ∖{{{x}, {y}}}"
                    rest = _ms(s.delta) - _ms(q1.delta)
                    if _ms(q1.delta) + rest != _ms(s.delta):
                        return "Δ1 is not part of Δ"
                    if _ms(q2.delta) != rest + _ms(((x, a), (y, b))):
                        return f"second premise Δ is not Δ2, {x}:{a}, {y}:{b}"
                    return None
            return "⊗E needs x ≠ y, a premise ⊢ A ⊗ B and a premise ⊢ C"
        case Rule.BANG_I:
            q = ps[0].sequent
            if q.delta or s.delta:
                return "promotion needs an empty linear context, but Δ = " + \
                       ", ".join(x for x, _ in (q.delta or s.delta))
            ok = s.concl == Bang(q.concl) and _gamma(q) == _gamma(s)
            return None if ok else "!I concludes !A from A under the same Γ"
        case Rule.BANG_E:
            q1, q2 = ps[0].sequent, ps[1].sequent
            match p.label, q1.concl:
                case str(u), Bang(a) if q2.concl == s.concl:
                    if _gamma(q1) != _gamma(s):
                        return "first premise does not share Γ"
                    expect = {v: t for v, t in s.gamma if v != u} | {u: a}
                    if _gamma(q2) != expect:
                        return f"second premise Γ is not Γ∖{u}, {u}:{a}"
                    if _ms(s.delta) != _ms(q1.delta) + _ms(q2.delta):
                        return "Δ is not the union of the premises' Δ1 and Δ2"
                    return None
            return "!E needs a premise ⊢ !A and a premise ⊢ C"
        case _:
            assert_never(p.rule)


def check_rule(p: Proof) -> str | None:
    """The local check of p's root alone: None if it is an instance of its rule given its
    premises' conclusions (the premises themselves are not checked), else why not."""
    return _check_node(p)


def check_proof(p: Proof) -> int:
    """Verify every rule application of p; returns the number of nodes checked."""
    stack: list[tuple[Proof, tuple[int, ...]]] = [(p, ())]
    count = 0
    while stack:
        q, path = stack.pop()
        why = _check_node(q)
        if why is not None:
            raise ProofError(q.rule.value, f"{why} (at {q.sequent}, path {list(path)})",
                             path=path)
        count += 1
        stack.extend((r, path + (i,)) for i, r in enumerate(q.premises))
    return count
