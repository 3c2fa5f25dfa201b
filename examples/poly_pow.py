"""poly_pow: x ↦ x⁴ − 2·x³ + 0.5·x² − x¹ + 3·x⁰ + x⁻², a polynomial (and a negative
power) written with `**`: each `x ** k` is one primitive powi[k]."""


def poly_pow(x):
    return x ** 4 - 2.0 * x ** 3 + 0.5 * x ** 2 - x ** 1 + 3.0 * x ** 0 + x ** -2
