import pytest

from checkers import profiles

profiles.load()


@pytest.fixture
def llad(capsys):
    """Run the `llad` command line in-process: llad(*argv) -> (exit code, stdout,
    stderr); argparse's usage errors (SystemExit) become their exit code."""
    from llad.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err
    return run


VERSIONED = ("pytest", "pytest-xdist", "hypothesis", "sympy", "z3-solver", "lark", "mpmath",
             "matplotlib", "jax", "numpy")


def pytest_report_header(config):
    """The versions this run used (CI's log then says which versions it ran)."""
    from importlib.metadata import PackageNotFoundError, version

    def v(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "absent"
    return "llad deps: " + ", ".join(f"{n} {v(n)}" for n in VERSIONED)
