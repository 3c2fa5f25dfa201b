"""double: x ↦ x + x, one variable used twice (mirrors the Dex prototype's tests)."""


def double(x):
    return x + x
