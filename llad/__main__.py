"""`python -m llad …` is `llad …`."""

import sys

from llad.cli import main

sys.exit(main())
