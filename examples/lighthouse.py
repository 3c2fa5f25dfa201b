"""lighthouse: Griewank's lighthouse (Griewank & Walther, "Evaluating Derivatives").

A lighthouse at distance nu from a quay wall that runs at slope gamma turns at angular
velocity omega; at time t its beam hits the wall at

    y1 = nu·tan(omega·t) / (gamma − tan(omega·t)),    y2 = gamma·y1.

tan is written sin/cos.  Defined where cos(omega·t) ≠ 0 and gamma ≠ tan(omega·t).
"""

from math import cos, sin


def lighthouse(nu, gamma, omega, t):
    wt = omega * t
    tan_wt = sin(wt) / cos(wt)
    y1 = nu * tan_wt / (gamma - tan_wt)
    y2 = gamma * y1
    return y1, y2
