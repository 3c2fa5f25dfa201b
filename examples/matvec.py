"""matvec: v ↦ u0·u1 where u = M·v and M = ((2, 7), (1, 8)) is given by literals.

The input is a pair v : tuple[float, float]; at v = (2, 3), u = (25, 26) and the
gradient is (2·u1 + u0, 7·u1 + 8·u0) = (77, 382).
"""


def matvec(v: tuple[float, float]) -> float:
    m = ((2.0, 7.0), (1.0, 8.0))
    (m00, m01), (m10, m11) = m
    v0, v1 = v
    u0 = m00 * v0 + m01 * v1
    u1 = m10 * v0 + m11 * v1
    return u0 * u1
