"""Suite-wide test order, for pytest-xdist's scheduling (pyproject: `-n auto --dist worksteal`).

A long test that starts last keeps one worker busy while the other idles, so the tests
listed in `HEAVY` (node-id prefixes, the slowest single items measured on 2 cores, longest
first) run before all others; every other test keeps its collection order.  Work
stealing then hands the short tests that remain to whichever worker is free.  Only an
xdist worker reorders: a single-process run (`-n 0`, as the mutant campaign runs the
modules, likely killers first) keeps the order it was given.
"""

from __future__ import annotations

HEAVY = (
    "tests/test_paper.py::test_paper_only_a1_from_elsewhere",
    "proofs/test_E5_unzip_optional.py::test_large_symbolic_identity",
    "proofs/test_A10_grad.py::test_grad_deep_programs_float",
    "proofs/test_A6_unzip.py::test_large_rule_by_rule[chain_1000]",
    "proofs/test_X2_extract_work.py::test_corpus[linear-a-recompute-horner_100]",
    "proofs/test_E4_forward_commutes.py::test_large_work",
    "proofs/test_E1_encoding_typing.py::test_corpus_rule_by_rule[horner_10/TUJ-recompute]",
    "tests/test_fuzz_slice.py::test_slice_of_the_campaign",
)


def _rank(nodeid: str) -> int:
    return next((i for i, prefix in enumerate(HEAVY) if nodeid.startswith(prefix)), len(HEAVY))


def pytest_collection_modifyitems(config, items) -> None:
    if hasattr(config, "workerinput"):  # set in pytest-xdist's workers only
        items.sort(key=lambda item: _rank(item.nodeid))  # stable: the rest keep their order
