"""llad's command line — the top layer: it may import `paper_figures`, `checkers` and
`calculus`; nothing imports it.  One module per command group:

    llad.linear_a   check, compile, eval, work, jvp, unzip, transpose, grad
    llad.encode     encode (⟦·⟧ into λLL)
    llad.extract    extract (programs and gradients as runnable Python, NumPy or JAX)
    llad.audit      audit (the induction obligations and their coverage matrix)
    llad.ll         ll check | eval | proof
    llad.paper      paper (re-verify the theorems, regenerate tables and figures)

`llad.cli` builds the parser and is the one place that maps errors to exit codes.
"""
