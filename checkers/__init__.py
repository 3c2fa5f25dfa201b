"""Reusable checking engines (symbolic equivalence, linearity, adjointness, work) and
hypothesis strategies shared by `proofs/` and `tests/`."""
