"""``diagnose(X, y)``: what every tolerance rule and parameter choice says about a problem.

One factorization answers the spectral questions (condition number, each
policy's threshold and rank, the GCV rank, the L-curve corner); the
cross-validated scores need refits and are the slow part, so they report
progress through an optional callback.
"""

from dataclasses import dataclass, field

import numpy as np
from sklearn.linear_model import LinearRegression, Ridge, RidgeCV
from sklearn.model_selection import KFold, cross_val_score
from sklearn.utils.validation import check_X_y

from ._cv import PinvCV, TikhonovCV
from ._estimators import PinvRegressor
from ._spectral import factorize_arrays
from ._views import alpha_picks, default_alphas, rank_picks
from .tolerance import DEFAULT, GCVRank, available_policies, cut

__all__ = ["Diagnosis", "diagnose"]


@dataclass
class Diagnosis:
    """What :func:`diagnose` found; print it for a table.

    Attributes
    ----------
    shape : tuple of int
        ``(n_samples, n_features)``.
    fit_intercept : bool
        Whether ``X`` was centred (the spectrum is that of the centred ``X``).
    singular_values : ndarray of shape (k,)
    condition_number : float
        ``max(s) / min(s)`` of the centred ``X`` (``inf`` when singular).
    policies : list of dict
        One row per policy: ``policy``, ``threshold``, ``rank``.
    ranks_disagree : bool
        Whether the policies keep different numbers of singular values.
    disputed : list of int
        0-based indices of the singular values that some policies keep and
        others drop.
    gcv_rank, lcurve_rank : int
        Truncation rank chosen by generalized cross-validation and by the
        corner of the discrete L-curve, among the singular values the
        default policy keeps.
    gcv_alpha, lcurve_alpha : float
        Tikhonov alpha minimising GCV and at the L-curve's maximum curvature
        (on the default policy's spectrum); NaN when nothing is kept.
    scores : list of dict
        One row per estimator: ``estimator``, ``r2_mean``, ``r2_std``
        (cross-validated); empty when ``cv=None``.
    """

    shape: tuple
    fit_intercept: bool
    singular_values: np.ndarray
    condition_number: float
    policies: list
    ranks_disagree: bool
    disputed: list
    gcv_rank: int
    lcurve_rank: int
    gcv_alpha: float
    lcurve_alpha: float
    scores: list = field(default_factory=list)

    def __str__(self):
        m, n = self.shape
        centred = "centred " if self.fit_intercept else ""
        lines = [
            f"X: {m} samples x {n} features",
            f"condition number of {centred}X: {self.condition_number:.3e}",
            f"singular values: largest {_fmt(self.singular_values, 0)}, "
            f"smallest {_fmt(self.singular_values, -1)}",
            "",
            f"{'policy':<20} {'threshold':>10} {'rank':>5}",
        ]
        lines += [f"{str(row['policy']):<20} {row['threshold']:>10.3e} {row['rank']:>5}"
                  for row in self.policies]
        lines += ["", self._agreement(),
                  f"truncation rank: GCV {self.gcv_rank}, L-curve corner {self.lcurve_rank}",
                  f"Tikhonov alpha: GCV {self.gcv_alpha:.3e}, "
                  f"L-curve corner {self.lcurve_alpha:.3e}"]
        if self.scores:
            lines += ["", f"{'estimator':<40} {'CV R2':>8} {'+/-':>7}"]
            lines += [f"{row['estimator']:<40} {row['r2_mean']:>8.4f} {row['r2_std']:>7.4f}"
                      for row in self.scores]
        return "\n".join(lines)

    def _agreement(self):
        if not self.ranks_disagree:
            return f"all policies agree: rank {self.policies[0]['rank']}"
        values = ", ".join(f"s[{i}]={self.singular_values[i]:.3e}" for i in self.disputed)
        return f"policies DISAGREE on {len(self.disputed)} singular value(s): {values}"

    def to_frame(self, table="policies"):
        """A pandas DataFrame of the ``"policies"`` or the ``"scores"`` table.

        Parameters
        ----------
        table : {"policies", "scores"}, default="policies"

        Returns
        -------
        frame : pandas.DataFrame
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_frame needs pandas: pip install pandas") from exc
        if table not in ("policies", "scores"):
            raise ValueError(f"table must be 'policies' or 'scores', got {table!r}.")
        rows = self.policies if table == "policies" else self.scores
        frame = pd.DataFrame(rows)
        key = "policy" if table == "policies" else "estimator"
        return frame.set_index(key) if len(frame) else frame


def _fmt(s, i):
    return f"{s[i]:.3e}" if len(s) else "-"


def _policy_rows(fact, policies):
    rows, masks = [], []
    for policy in policies:
        tau, mask = cut(policy, fact)
        label = policy if isinstance(policy, str) else repr(policy)
        rows.append({"policy": label, "threshold": tau, "rank": int(mask.sum())})
        masks.append(mask)
    masks = np.array(masks).reshape(len(policies), -1)
    disputed = np.flatnonzero(masks.any(axis=0) & ~masks.all(axis=0))
    return rows, [int(i) for i in disputed]


def _condition_number(s):
    if s.size == 0 or s[0] == 0:
        return float("nan")
    return float(s[0] / s[-1]) if s[-1] > 0 else float("inf")


def default_estimators(alphas, fit_intercept=True):
    """``[(label, estimator)]`` compared by :func:`diagnose`."""
    kw = {"fit_intercept": fit_intercept}
    return [
        (f"PinvRegressor(tol={DEFAULT!r})", PinvRegressor(**kw)),
        ("PinvRegressor(tol=GCVRank())", PinvRegressor(tol=GCVRank(), **kw)),
        ("PinvCV(default tols, LOO)", PinvCV(**kw)),
        ("TikhonovCV(same alphas, LOO)", TikhonovCV(alphas=alphas, **kw)),
        ("LinearRegression()", LinearRegression(**kw)),
        ("Ridge(alpha=1.0)", Ridge(alpha=1.0, **kw)),
        ("RidgeCV(same alphas)", RidgeCV(alphas=alphas, **kw)),
    ]


def _picks(fact, kept, alphas):
    """Data-driven choices of rank and alpha on the default policy's spectrum."""
    return {**rank_picks(fact, kept), **alpha_picks(fact, kept, alphas)}


def _scores(estimators, X, y, cv, progress):
    rows = []
    for j, (label, est) in enumerate(estimators, 1):
        progress(f"[{j}/{len(estimators)}] cross-validating {label}")
        r2 = cross_val_score(est, X, y, cv=cv, scoring="r2")
        rows.append({"estimator": label, "r2_mean": float(np.mean(r2)),
                     "r2_std": float(np.std(r2))})
    return rows


def diagnose(X, y, *, policies=None, fit_intercept=True, cv=5, alphas=None,
             estimators=None, progress=None):
    """Diagnose a least-squares problem: spectrum, tolerance rules, scores.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    policies : list, default=None
        Tolerance policies to compare (names, floats, policy objects); every
        named policy when None.
    fit_intercept : bool, default=True
        Diagnose the centred problem, as the estimators fit it.
    cv : int, cross-validation splitter or None, default=5
        Folds for the cross-validated R^2 (shuffled ``KFold`` when an int);
        None skips the scores (the spectral part is fast).
    alphas : array-like, default=None
        Alpha grid for the L-curve and the tuned Tikhonov/Ridge models; a log
        grid spanning the spectrum when None.
    estimators : list of (str, estimator), default=None
        Models to cross-validate; see :func:`default_estimators`.
    progress : callable, default=None
        Called with a short message before each slow step.

    Returns
    -------
    report : Diagnosis

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import diagnose
    >>> X = np.vander(np.linspace(0, 1, 40), 12, increasing=True)[:, 1:]
    >>> y = np.sin(6 * X[:, 0])
    >>> report = diagnose(X, y, cv=None)
    >>> report.ranks_disagree
    True
    >>> report.shape
    (40, 11)
    """
    progress = progress or (lambda message: None)
    X, y = check_X_y(X, y, dtype=[np.float64, np.float32], y_numeric=True)
    fact = factorize_arrays(X, y.astype(X.dtype)[:, None], None, fit_intercept)
    s = fact.singular_values
    rows, disputed = _policy_rows(fact, available_policies() if policies is None else policies)
    _, kept = cut(DEFAULT, fact)
    grid = default_alphas(fact, kept) if alphas is None else np.asarray(alphas, float)
    picks = _picks(fact, kept, grid)
    report = Diagnosis(
        shape=X.shape, fit_intercept=fit_intercept, singular_values=s,
        condition_number=_condition_number(s), policies=rows,
        ranks_disagree=len({row["rank"] for row in rows}) > 1, disputed=disputed,
        **picks,
    )
    if cv is not None:
        cv = KFold(cv, shuffle=True, random_state=0) if isinstance(cv, int) else cv
        if estimators is None:
            estimators = default_estimators(grid, fit_intercept)
        report.scores = _scores(estimators, X, y, cv, progress)
    return report
