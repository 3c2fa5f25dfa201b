"""A derandomized slice of the fuzzing campaign (`benchmarks/fuzz_frontends.py`): its
first inputs — every family and front end, without hypothesmith and with the smaller
deep sizes — must give no escape, no hang and no difference between two hash seeds.
The campaign's three detectors are shown to fire on deliberately broken targets."""

from __future__ import annotations

import os
import sys

from checkers.fuzz import Input, Worker, campaign, classify, make_input

SLICE = 2000


def test_slice_of_the_campaign():
    report = campaign("llad.cli:main", SLICE, seed=0, limit=20.0, compare_every=10,
                      deep_sizes=(100, 300))
    assert report.inputs == SLICE and report.compared == SLICE // 10
    assert set(report.by_family) == {"mutate", "point", "surface", "deep"}
    assert not report.escapes and not report.hangs and not report.nondeterministic, \
        report.summary()
    # every exit code occurs: the slice reaches successes, user errors and bad usage
    assert {"0", "1", "2"} <= set(report.exit_codes)


def test_inputs_are_a_function_of_seed_and_index():
    assert make_input(0, 123) == make_input(0, 123) != make_input(1, 123)


# --- broken targets: each detector must fire ------------------------------------------------


def raises(argv):
    return [][1]


def sleeps(argv):
    import time
    time.sleep(60)


def hash_dependent(argv):
    print(hash("llad"))
    return 0


def errs_with_0(argv):
    print("llad: error: something", file=sys.stderr)
    return 0


def _one(target: str, seed: int = 0):
    w = Worker(f"tests.test_fuzz_slice:{target}", seed)
    try:
        return w.run(Input("test", ("x",)), 5.0)
    finally:
        w.stop()


def test_detectors_fire_on_broken_targets():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    assert os.path.isdir(os.path.join(root, "tests"))
    assert "IndexError" in classify(_one("raises"))
    assert _one("sleeps") is None  # a hang: no answer within the limit
    assert _one("hash_dependent", 0).key() != _one("hash_dependent", 1).key()
    assert "exit 0 after an error" in classify(_one("errs_with_0"))
    assert classify(_one("hash_dependent")) is None
