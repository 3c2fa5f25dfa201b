"""add: (x, y) ↦ x + y (mirrors the Dex Linear A prototype's tests)."""


def add(x, y):
    return x + y
