"""horner_10: x ↦ Σ_{k=0..10} x^k/(k+1), a degree-10 polynomial evaluated by Horner's rule

    y = c_N;  y = y·x + c_k  for k = N-1, …, 0

with c_k the float literal repr(1/(k+1)).
"""


def horner_10(x):
    y = 0.09090909090909091
    y = y * x + 0.1
    y = y * x + 0.1111111111111111
    y = y * x + 0.125
    y = y * x + 0.14285714285714285
    y = y * x + 0.16666666666666666
    y = y * x + 0.2
    y = y * x + 0.25
    y = y * x + 0.3333333333333333
    y = y * x + 0.5
    y = y * x + 1.0
    return y
