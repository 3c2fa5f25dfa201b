"""Writing tables as Markdown, LaTeX and CSV, deterministically, and the work tables.

    T2 work           per corpus program: |f|, W(f), W(J f), W(f.nonlin)+W(f.lin) of J f,
                      W(T (J f).lin), W(grad f), workload(⟦f⟧), workload(grad_LL f), and
                      the grad/primal ratios, under both cost models; with JAX installed,
                      the equations of make_jaxpr(f) and make_jaxpr(grad f)
                      (checkers.jax_oracle; "—" without JAX)
    T3 checkpointing  per program and policy: tape size (reals) and work of grad
    F1                grad/primal work ratio against N for the N-families
"""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from pathlib import Path

from calculus.cost_models import MODELS
from calculus.encoding import encode_program, run_encoded
from calculus.grad_ll import grad_ll
from calculus.linear_a.grad import grad, reverse
from calculus.linear_a.jvp import jvp_name, jvp_program
from calculus.linear_a.typecheck import check_program
from calculus.linear_a.unzip import lin_name, nonlin_name, unzip_program
from calculus.linear_a.work import program_size, work
from calculus.loader import corpus_programs
from checkers.corpus import fixed_point
from checkers.jax_oracle import NO_JAX, jax_available, jax_columns

Row = list[object]


def write_table(outdir: Path, name: str, header: list[str], rows: list[Row], caption: str) -> None:
    """name.md, name.tex and name.csv in outdir."""
    outdir.mkdir(parents=True, exist_ok=True)
    cells = [[_cell(c) for c in r] for r in rows]
    md = "| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n"
    md += "".join("| " + " | ".join(r) + " |\n" for r in cells)
    (outdir / f"{name}.md").write_text(f"{caption}\n\n{md}")
    tex = ("\\begin{table}\n\\centering\n\\caption{" + _tex(caption) + "}\n"
           "\\begin{tabular}{" + "l" * len(header) + "}\n\\hline\n"
           + " & ".join(_tex(h) for h in header) + " \\\\\n\\hline\n"
           + "".join(" & ".join(_tex(c) for c in r) + " \\\\\n" for r in cells)
           + "\\hline\n\\end{tabular}\n\\end{table}\n")
    (outdir / f"{name}.tex").write_text(tex)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(cells)
    (outdir / f"{name}.csv").write_text(buf.getvalue())


def _cell(c: object) -> str:
    if isinstance(c, float):
        return f"{c:.3f}"
    if isinstance(c, Fraction):
        return f"{float(c):.3f}"
    return str(c)


def _tex(s: str) -> str:
    for a, b in [("\\", "\\textbackslash{}"), ("_", "\\_"), ("&", "\\&"), ("%", "\\%"),
                 ("#", "\\#"), ("|", "$|$")]:
        s = s.replace(a, b)
    return s


def work_rows(max_n: int = 100) -> tuple[list[str], list[Row], list[str], list[Row]]:
    """T2 and T3."""
    t2_header = ["program", "|f|"] + [f"{col} ({m[:5]})" for m in MODELS for col in
                                      ("W(f)", "W(Jf)", "W(U Jf)", "W(T)", "W(grad)",
                                       "wl(⟦f⟧)", "wl(grad_LL)", "grad/f", "grad_LL/f")]
    t2_header += ["JAX eqns(f)", "JAX eqns(grad)"]
    t3_header = ["program", "policy", "tape (reals)"] + [f"W(grad) ({m[:5]})" for m in MODELS]
    t2, t3 = [], []
    for name, prog in corpus_programs(max_n):
        f = prog.get(name)
        typing = check_program(prog)
        at = fixed_point(f)
        j = jvp_program(prog, name)
        u = unzip_program(j, jvp_name(name))
        rev = reverse(prog, name)
        g = grad(prog, name, at, rev=rev)
        gl = grad_ll(prog, name, at)
        enc, names = encode_program(prog)
        wl = run_encoded(enc, names[name], f, at)
        row: Row = [name, program_size(prog, name)]
        tj, tu, tr = check_program(j), check_program(u.program), check_program(rev.program)
        for m, model in MODELS.items():
            w = work(prog, name, model, typing)
            wj = work(j, jvp_name(name), model, tj)
            wu = (work(u.program, nonlin_name(jvp_name(name)), model, tu)
                  + work(u.program, lin_name(jvp_name(name)), model, tu))
            wt = work(rev.program, rev.backward, model, tr)
            row += [w, wj, wu, wt, g.work[m], wl.workload(m), gl.workload[m],
                    _ratio(g.work[m], w), _ratio(gl.workload[m], w)]
        row += jax_columns(name) if jax_available() else [NO_JAX, NO_JAX]
        t2.append(row)
        for policy in ("store", "recompute"):
            gp = grad(prog, name, at, policy=policy)
            t3.append([name, policy, gp.tape] + [gp.work[m] for m in MODELS])
    return t2_header, t2, t3_header, t3


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "—"


def family_ratios(sizes=(10, 100, 1000)) -> dict[str, list[tuple[int, dict[str, float]]]]:
    """F1's data: for each family, (N, {model: W(grad f)/W(f)})."""
    from calculus.loader import EXAMPLES, load_program
    out: dict[str, list] = {}
    for fam in ("chain", "horner", "sumprod"):
        for n in sizes:
            name = f"{fam}_{n}"
            prog = load_program(EXAMPLES / f"{name}.la")
            rev = reverse(prog, name)
            typing, rev_typing = check_program(prog), check_program(rev.program)
            ratios = {}
            for m, model in MODELS.items():
                w = work(prog, name, model, typing)
                wg = (work(rev.program, rev.nonlin, model, rev_typing)
                      + work(rev.program, rev.backward, model, rev_typing))
                ratios[m] = wg / w
            out.setdefault(fam, []).append((n, ratios))
    return out


def figure_f1(outdir: Path, data) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(MODELS), figsize=(9, 3.2))
    for ax, m in zip(axes, MODELS):
        for fam, pts in data.items():
            ax.plot([n for n, _ in pts], [r[m] for _, r in pts], marker="o", label=fam)
        ax.set_xscale("log")
        ax.set_xlabel("N")
        ax.set_ylabel("W(grad f) / W(f)")
        ax.set_title(f"{m} cost model")
        ax.legend()
    fig.tight_layout()
    for ext in ("png", "pdf"):
        fig.savefig(outdir / f"F1_grad_ratio.{ext}", metadata={"CreationDate": None} if ext == "pdf"
                    else {"Software": None})
    plt.close(fig)

