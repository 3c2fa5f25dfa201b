"""plus_one_drop: x ↦ x + 1, after computing x·x and dropping it (mirrors the Dex
prototype's tests)."""


def plus_one_drop(x):
    y = x * x
    return x + 1.0
