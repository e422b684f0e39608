"""The README's main job: every tolerance policy side by side on real data."""

import time
import warnings

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ._estimators import PinvRegressor, TikhonovRegressor
from ._refine import AccuracyWarning
from .tolerance import GCVRank, available_policies

__all__ = ["datasets", "candidates", "run", "main"]


def polynomial_design(n_samples=60, degree=24, noise=0.05, seed=0):
    """Raw monomials of x in [0, 1]: a notoriously ill-conditioned design.

    At degree 24 its centred spectrum reaches the rounding level, where the
    libraries' rules disagree about the rank.
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 1, n_samples))
    X = np.vander(x, degree + 1, increasing=True)[:, 1:]
    y = np.sin(2 * np.pi * x) + noise * rng.standard_normal(n_samples)
    return X, y


def datasets():
    """``{name: (X, y)}``: diabetes (ships with scikit-learn) and a polynomial design."""
    X, y = load_diabetes(return_X_y=True)
    return {"diabetes": (X, y), "polynomial deg 24": polynomial_design()}


def _tuned_tikhonov():
    grid = {
        "tikhonovregressor__alpha": np.logspace(-8, 2, 11),
        "tikhonovregressor__tol": ["matlab", "numpy", "sqrt-eps", 1e-8],
    }
    pipe = make_pipeline(StandardScaler(), TikhonovRegressor())
    return GridSearchCV(pipe, grid, cv=KFold(5, shuffle=True, random_state=0))


def candidates():
    """``[(label, estimator)]`` in the order the table shows them."""
    rows = [(f"PinvRegressor({p!r})", PinvRegressor(tol=p)) for p in available_policies()]
    rows += [
        ("PinvRegressor(GCVRank())", PinvRegressor(tol=GCVRank())),
        ("TikhonovRegressor (GridSearchCV)", _tuned_tikhonov()),
        ("LinearRegression()", LinearRegression()),
        ("Ridge(alpha=1, svd)", Ridge(alpha=1.0, solver="svd")),
    ]
    return rows


def _describe(estimator, X, y, cv):
    # Some rules keep rounding noise on purpose here: count their warnings
    # into the table instead of letting them flood the terminal.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AccuracyWarning)
        start = time.perf_counter()
        fitted = estimator.fit(X, y)
        seconds = time.perf_counter() - start
        score = cross_val_score(estimator, X, y, cv=cv, scoring="r2").mean()
    best = getattr(fitted, "best_estimator_", fitted)
    final = best[-1] if hasattr(best, "steps") else best
    warned = any(issubclass(w.category, AccuracyWarning) for w in caught)
    return {
        "rank": getattr(final, "rank_", getattr(fitted, "rank_", "")),
        "threshold": getattr(final, "threshold_", None),
        "cv_r2": score,
        "coef_norm": float(np.linalg.norm(final.coef_)),
        "fit_ms": 1e3 * seconds,
        "note": ("AccuracyWarning (keeps rounding noise) " if warned else "") + _note(fitted),
    }


def _note(fitted):
    params = getattr(fitted, "best_params_", None)
    if not params:
        return ""
    def show(v):
        return f"{v:.3g}" if isinstance(v, (float, np.floating)) else repr(v)

    return ", ".join(f"{k.split('__')[-1]}={show(v)}" for k, v in params.items())


def run(file=None):
    """Print one table per dataset; returns ``{dataset: {label: row}}``."""
    cv = KFold(5, shuffle=True, random_state=0)
    results = {}
    for name, (X, y) in datasets().items():
        print(f"\n== {name}: X {X.shape[0]}x{X.shape[1]}, "
              f"cond(X) = {np.linalg.cond(X):.2e}", file=file)
        print(f"{'estimator':36} {'rank':>4} {'threshold':>10} {'CV R2':>8} "
              f"{'|coef|':>10} {'fit ms':>7}  note", file=file)
        results[name] = {}
        for label, est in candidates():
            row = _describe(est, X, y, cv)
            results[name][label] = row
            tau = "" if row["threshold"] is None else f"{row['threshold']:.2e}"
            print(f"{label:36} {row['rank']!s:>4} {tau:>10} {row['cv_r2']:8.4g} "
                  f"{row['coef_norm']:10.3g} {row['fit_ms']:7.1f}  {row['note']}", file=file)
    return results


def main():
    run()
