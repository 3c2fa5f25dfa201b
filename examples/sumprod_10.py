"""sumprod_10: (x0, …, x9) ↦ Σ_{i=0..8} xi·x(i+1)."""


def sumprod_10(x0, x1, x2, x3, x4, x5, x6, x7, x8, x9):
    s = x0 * x1
    s = s + x1 * x2
    s = s + x2 * x3
    s = s + x3 * x4
    s = s + x4 * x5
    s = s + x5 * x6
    s = s + x6 * x7
    s = s + x7 * x8
    s = s + x8 * x9
    return s
