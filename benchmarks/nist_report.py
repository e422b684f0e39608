"""Correct digits on the NIST StRD linear least-squares datasets (LRE table).

For every dataset and solver: the minimum log relative error (LRE, correct
significant digits, capped at 15) over the certified coefficients, and the
LRE of the residual standard deviation (absolute error for Wampler1/2, whose
certified residual SD is 0). The residual SD of a solution is computed from
its float64 coefficients with exactly summed residuals, so it measures the
coefficients, not the rounding of the evaluation.

The *limit* row is the exact least-squares solution (mpmath, 100 digits) of
the data as float64 holds them (``x**k`` computed in double): no float64
solver can be expected to do better, except by luck.

Run: ``python benchmarks/nist_report.py`` (needs mpmath and the data in
``../shared/data/nist-strd`` relative to the repository root).
"""

import sys
import warnings
from pathlib import Path

import numpy as np
import scipy.linalg
from sklearn.linear_model import LinearRegression

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from _nist import (  # noqa: E402
    DATASETS, SKIP_REASON, available, exact_solution, load, lre, min_coef_lre, residual_sd,
)

from sklearn_pinv import PinvRegressor, TikhonovRegressor  # noqa: E402


def _with_ones(ds, X):
    return np.column_stack([np.ones(X.shape[0]), X]) if ds.intercept else X


def _params(ds, params):
    return ds.split(np.asarray(params, dtype=float))


def _estimator(make):
    def solve(ds, X):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the default's AccuracyWarning on Filip
            est = make(ds.intercept).fit(X, ds.y)
        return est.intercept_, est.coef_

    return solve


SOLVERS = {
    "PinvRegressor() default": _estimator(lambda i: PinvRegressor(fit_intercept=i)),
    'PinvRegressor(precision="high")': _estimator(
        lambda i: PinvRegressor(fit_intercept=i, precision="high")
    ),
    'PinvRegressor(precision="fast") (no refinement)': _estimator(
        lambda i: PinvRegressor(fit_intercept=i, precision="fast")
    ),
    "TikhonovRegressor(alpha=0) default": _estimator(
        lambda i: TikhonovRegressor(alpha=0.0, fit_intercept=i)
    ),
    'TikhonovRegressor(alpha=0, tol=0.0, precision="high")': _estimator(
        lambda i: TikhonovRegressor(alpha=0.0, tol=0.0, fit_intercept=i, precision="high")
    ),
    "numpy.linalg.pinv(A) @ y": lambda ds, X: _params(ds, np.linalg.pinv(_with_ones(ds, X)) @ ds.y),
    "scipy.linalg.lstsq(A, y)": lambda ds, X: _params(ds, scipy.linalg.lstsq(_with_ones(ds, X), ds.y)[0]),
    "sklearn LinearRegression()": _estimator(lambda i: LinearRegression(fit_intercept=i)),
}


def table():
    """Rows ``(label, {dataset: (coef_lre, sd_lre)})``, the limit row first."""
    data = {name: load(name) for name in DATASETS}
    rows = [("limit: exact solution of the float64 data (mpmath)", {})]
    for name, ds in data.items():
        params, sd = exact_solution(ds)
        icpt, coef = ds.split(params)
        rows[0][1][name] = (min_coef_lre(ds, icpt, coef), lre(sd, ds.residual_sd))
    for label, solve in SOLVERS.items():
        cells = {}
        for name, ds in data.items():
            icpt, coef = solve(ds, ds.design())
            cells[name] = (min_coef_lre(ds, icpt, coef), lre(residual_sd(ds, icpt, coef), ds.residual_sd))
        rows.append((label, cells))
    return rows


def markdown(rows, which):
    head = "| solver | " + " | ".join(DATASETS) + " |"
    lines = [head, "|---" * (len(DATASETS) + 1) + "|"]
    for label, cells in rows:
        lines.append(f"| {label} | " + " | ".join(f"{cells[n][which]:.1f}" for n in DATASETS) + " |")
    return "\n".join(lines)


def main():
    if not available():
        print(SKIP_REASON)
        return 1
    rows = table()
    print("Minimum LRE over the certified coefficients (digits, max 15)\n")
    print(markdown(rows, 0))
    print("\nLRE of the residual standard deviation (absolute error for Wampler1/2)\n")
    print(markdown(rows, 1))
    limit = rows[0][1]
    high = rows[2][1]
    worst = min(high[n][0] - limit[n][0] for n in DATASETS)
    print(f"\nprecision='high' vs the limit row, worst dataset: {worst:+.2f} digits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
