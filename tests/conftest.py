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
