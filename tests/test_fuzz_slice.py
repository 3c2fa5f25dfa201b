"""A derandomized slice of the fuzzing campaign (`benchmarks/fuzz_frontends.py`): its
first inputs — every family and front end, without hypothesmith and with the smaller
deep sizes — must give no escape, no hang and no difference between two hash seeds.
The campaign's three detectors are shown to fire on deliberately broken targets."""

from __future__ import annotations

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


# --- a broken target: each detector must fire -----------------------------------------------


def broken(argv):
    """A command line with one defect per command."""
    match argv[0]:
        case "raises":
            return [][1]
        case "sleeps":
            import time
            time.sleep(60)
        case "hash":
            print(hash("llad"))
        case "errs":
            print("llad: error: something", file=sys.stderr)
    return 0


def test_detectors_fire_on_a_broken_target():
    a, b = (Worker("tests.test_fuzz_slice:broken", seed) for seed in (0, 1))
    run = lambda w, command: w.run(Input("test", (command,)), 5.0)  # noqa: E731
    try:
        assert "IndexError" in classify(run(a, "raises"))
        assert "exit 0 after an error" in classify(run(a, "errs"))
        assert classify(run(a, "hash")) is None
        assert run(a, "hash").key() != run(b, "hash").key()  # PYTHONHASHSEED 0 vs 1
        assert run(a, "sleeps") is None  # a hang: no answer within the limit
        assert classify(run(a, "errs")) is not None  # the worker was restarted
    finally:
        a.stop()
        b.stop()
