"""The surface language: a restricted Python subset (SPEC §2.5), its checker
(`check`), its compiler to Linear A (`compile`) and its reference interpreter
(`interpret`)."""

from .compile import compile_source
from .interpret import interpret

__all__ = ["compile_source", "interpret"]
