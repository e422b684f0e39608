"""The recommendation at the end of a :class:`~sklearn_pinv.Diagnosis`: what to fit, and why.

With cross-validated scores: the simplest model within one standard error of
the best (the usual "one-standard-error rule"), simplest meaning the default
``PinvRegressor()`` first, then the other tolerance policies, then the tuned
and the reference models. Without scores: the spectrum decides (a penalty
when X is ill-conditioned or the policies disagree about its rank).
Standardising is advised when the column scales differ by more than
``STANDARDIZE_RATIO``: tolerances and penalties act on singular values,
which follow the units.
"""

import numpy as np

from ._report import fmt
from .tolerance import DEFAULT, available_policies

__all__ = ["STANDARDIZE_RATIO", "recommend"]

STANDARDIZE_RATIO = 10.0
# Above 1/sqrt(eps) a least-squares solution can lose half its digits to noise.
ILL_CONDITIONED = 1 / np.sqrt(np.finfo(np.float64).eps)


def recommend(report):
    """``{"estimator", "reason", "standardize", "standardize_reason"}`` for a Diagnosis."""
    estimator, reason = _choose_scored(report) if report.scores else _choose_spectral(report)
    standardize, why = _standardize(report, _plain(report, estimator))
    if report.standardized and standardize:
        estimator = f"make_pipeline(StandardScaler(), {estimator})"
    return {"estimator": estimator, "reason": reason, "standardize": standardize,
            "standardize_reason": why}


def _policy_estimator(label):
    if label == DEFAULT:
        return "PinvRegressor()"
    named = label in available_policies()
    return f"PinvRegressor(tol={label!r})" if named else f"PinvRegressor(tol={label})"


def _candidates(report):
    """``(refit, label, mean, std)`` in order of simplicity."""
    rows = [(_policy_estimator(r["policy"]), f"PinvRegressor at policy {r['policy']!r}",
             r["cv_r2_mean"], r["cv_r2_std"]) for r in report.policies if "cv_r2_mean" in r]
    rows.sort(key=lambda row: row[0] != "PinvRegressor()")  # stable: the default first
    rows += [(r["refit"], r["estimator"], r["r2_mean"], r["r2_std"]) for r in report.scores]
    return [row for row in rows if np.isfinite(row[2])]


def _choose_scored(report):
    rows = _candidates(report)
    if not rows:
        return "PinvRegressor()", "no model could be scored (every CV score is NaN)"
    best = max(rows, key=lambda row: row[2])
    se = best[3] / np.sqrt(report.cv["folds"])
    chosen = next(row for row in rows if row[2] >= best[2] - se)
    if chosen is best:
        reason = f"best cross-validated R2: {fmt(best[2])} +/- {fmt(best[3])} ({best[1]})"
    else:
        reason = (f"cross-validated R2 {fmt(chosen[2])} ({chosen[1]}), within one standard "
                  f"error ({fmt(se)}) of the best, {fmt(best[2])} ({best[1]}); "
                  "the simpler model wins a tie")
    if best[2] < 0:
        reason += ("; every model scores below 0: none predicts held-out y better than "
                   "its mean, check the target and the features")
    edges = [report.edge_folds(r) for r in report.scores if r["refit"] == chosen[0]]
    if any(edges):
        reason += "; its alpha sits at an end of the grid on some folds (see the notes)"
    return chosen[0], reason


def _choose_spectral(report):
    cond, k = report.condition_number, report.default_rank
    ill = not cond <= ILL_CONDITIONED
    if (ill or report.ranks_disagree) and np.isfinite(report.gcv_alpha):
        why = [f"X is ill-conditioned (condition number {fmt(cond)} > 1/sqrt(eps) = "
               f"{fmt(ILL_CONDITIONED)})"] if ill else []
        if report.ranks_disagree:
            why.append("the policies disagree about its rank")
        return (f"TikhonovRegressor(alpha={fmt(report.gcv_alpha)})",
                " and ".join(why) + ": least squares would amplify the noise along the "
                "smallest singular values; GCV's alpha damps them. Cross-validate "
                "(cv=5, or --cv 5) to confirm on held-out data")
    return ("PinvRegressor()",
            f"X is well-conditioned (condition number {fmt(cond)}) and every policy keeps "
            f"the same {k} singular values: the default fit is least squares. "
            "Cross-validate (cv=5, or --cv 5) to see whether a penalty predicts better")


def _plain(report, estimator):
    """Least squares at full rank: its predictions do not depend on the units."""
    full = report.default_rank == report.singular_values.size
    return full and estimator in ("PinvRegressor()", "LinearRegression()")


def _standardize(report, plain):
    if report.standardized:
        if plain:
            return False, ("not for this model: least squares at full rank does not depend "
                           "on the units (the columns were standardised for this report)")
        return True, ("done here: the alpha and tol above are for standardised columns, "
                      "so fit them behind a StandardScaler")
    scales = report.column_scales
    positive = scales[scales > 0] if scales is not None else np.array([])
    if positive.size < 2:
        return False, "fewer than two varying columns: there is nothing to balance"
    ratio = positive.max() / positive.min()
    if ratio <= STANDARDIZE_RATIO:
        return False, (f"the column scales are within a factor of {fmt(ratio)}: tolerances "
                       "and penalties already treat the columns alike")
    if plain:
        return False, (f"not for this model (least squares at full rank does not depend on "
                       f"the units), but before any penalty or truncation: the column scales "
                       f"differ by a factor of {fmt(ratio)}")
    return True, (f"the column scales differ by a factor of {fmt(ratio)}. Tolerances and "
                  "penalties act on singular values, which follow the units: unscaled, they "
                  "cut and shrink the small-unit columns first, whatever their importance. "
                  "Run again with --standardize (standardize=True) for the alpha and tol "
                  "that go with a StandardScaler")
