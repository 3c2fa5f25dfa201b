"""Witnesses: small computations with production code whose outcome a mutant changes.

Each function takes a program (Linear A or λLL source text) and returns a zero-argument
callable; `engine.observe` turns its result (or calculus error) into text.  Running it
with and without the mutant and getting two texts shows the mutant is not equivalent.
"""

from __future__ import annotations

from typing import Callable, Mapping

Witness = Callable[[], object]


def _la(src: str):
    from calculus.linear_a.parse import parse_program
    return parse_program(src)


def jvp(src: str, f: str = "f") -> Witness:
    """J of f (the transformed program)."""
    def run():
        from calculus.linear_a.jvp import jvp_program
        return jvp_program(_la(src), f)
    return run


def unzip(src: str, policy: str = "store", f: str = "f") -> Witness:
    """U of J f under a checkpoint policy."""
    def run():
        from calculus.linear_a.jvp import jvp_name, jvp_program
        from calculus.linear_a.unzip import unzip_program
        u = unzip_program(jvp_program(_la(src), f), jvp_name(f), policy)
        return u.program, u.info
    return run


def transpose(src: str, f: str = "f") -> Witness:
    """T of a linear function f."""
    def run():
        from calculus.linear_a.transpose import transpose_program
        return transpose_program(_la(src), f)
    return run


def grad(src: str, at: tuple, f: str = "f") -> Witness:
    """grad f = T∘U∘J at a point: values and work."""
    def run():
        from calculus.linear_a.grad import grad as la_grad
        return la_grad(_la(src), f, at)
    return run


def la_check(src: str) -> Witness:
    """Linear A type checking: the signatures, or the error."""
    def run():
        from calculus.linear_a.typecheck import check_program
        return check_program(_la(src)).sigs
    return run


def la_run(src: str, nl: tuple, lin: tuple = (), f: str = "f") -> Witness:
    """Linear A evaluation: results and dynamic work under every model."""
    def run():
        from calculus.linear_a.evaluate import run as la_eval
        r = la_eval(_la(src), f, nl, lin)
        return r.nl, r.lin, r.work
    return run


def simplify(src: str, f: str = "f") -> Witness:
    """simplify_program of f: the simplified program and the rules applied."""
    def run():
        from calculus.linear_a.simplify import simplify_program
        p, report = simplify_program(_la(src), f)
        return p, report.applied
    return run


def la_work(src: str, f: str = "f") -> Witness:
    """Static work W(f) under every cost model."""
    def run():
        from calculus.cost_models import MODELS
        from calculus.linear_a.work import work
        p = _la(src)
        return {m: work(p, f, model) for m, model in MODELS.items()}
    return run


def encode(src: str) -> Witness:
    """⟦·⟧ of a Linear A program."""
    def run():
        from calculus.encoding import encode_program
        return encode_program(_la(src))[0]
    return run


def encode_run(src: str, nl: tuple, lin: tuple = (), f: str = "f") -> Witness:
    """⟦f⟧ evaluated on encoded arguments: value, workload counts, steps."""
    def run():
        from calculus.encoding import encode_program, run_encoded
        p = _la(src)
        enc, names = encode_program(p)
        r = run_encoded(enc, names[f], p.get(f), nl, lin)
        return r.value, r.counts, r.beta, r.lets
    return run


def ll_check(term: str, delta: Mapping[str, str] = {}) -> Witness:
    """λLL type inference of a term (Δ given as type texts)."""
    def run():
        from calculus.lambda_ll.parse import parse_term, parse_type
        from calculus.lambda_ll.typecheck import infer
        return infer(parse_term(term), {}, {x: parse_type(t) for x, t in delta.items()})
    return run


def ll_eval(term: str) -> Witness:
    """λLL evaluation of a closed term: value, counts, steps."""
    def run():
        from calculus.lambda_ll.evaluate import evaluate
        from calculus.lambda_ll.parse import parse_term
        r = evaluate(parse_term(term))
        return r.value, r.counts, r.beta, r.lets
    return run


def forward(src: str) -> Witness:
    """F of a λLL program."""
    def run():
        from calculus.lambda_ll.forward import forward_program
        from calculus.lambda_ll.parse import parse_program
        return forward_program(parse_program(src))
    return run


def grad_ll(src: str, at: tuple, f: str = "f") -> Witness:
    """grad_LL f = T_LL∘F∘⟦f⟧ at a point: values and workload."""
    def run():
        from calculus.grad_ll import grad_ll as ll_grad
        return ll_grad(_la(src), f, at)
    return run


def ll_reverse(src: str, f: str = "f") -> Witness:
    """T_LL∘F∘⟦f⟧ as a λLL program (grad_LL's transformation, not yet run)."""
    def run():
        from calculus.grad_ll import build
        return build(_la(src), f).program
    return run


def proof(term: str, delta: Mapping[str, str] = {}) -> Witness:
    """The independent proof checker on the derivation read off a term."""
    def run():
        from calculus.lambda_ll.curry_howard import derive
        from calculus.lambda_ll.parse import parse_term, parse_type
        from checkers.proof_checker import check_proof
        return check_proof(derive(parse_term(term), {},
                                  {x: parse_type(t) for x, t in delta.items()}))
    return run
