"""plus_one: x ↦ x + 1 (mirrors the Dex prototype's tests)."""


def plus_one(x):
    return x + 1.0
