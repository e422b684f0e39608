"""``diagnose(X, y)``: what every tolerance rule and parameter choice says about a problem.

One factorization answers the spectral questions (condition number, each
policy's threshold and rank, the GCV rank, the L-curve corner); the
cross-validated scores need refits and are the slow part: they report
progress through an optional callback and can run on a random subsample.
"""

import warnings
from collections import Counter
from numbers import Integral

import numpy as np
from sklearn.linear_model import LinearRegression, Ridge, RidgeCV
from sklearn.model_selection import KFold, check_cv, cross_validate
from sklearn.utils.validation import check_X_y

# The private core modules diagnose builds on, in one place (issue 9 moves them).
from ._cv import PinvCV, TikhonovCV
from ._estimators import PinvRegressor
from ._spectral import factorize_arrays
from ._views import alpha_picks, default_alphas, rank_picks
from .tolerance import DEFAULT, GCVRank, available_policies, cut
from ._diagnosis import Diagnosis
from ._recommend import recommend
from ._report import gather_warnings

__all__ = ["Diagnosis", "diagnose", "default_estimators"]

SEED = 0  # of the shuffled folds and of the cross-validation subsample


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


def column_scales(X, fit_intercept=True, block=8192):
    """Standard deviation (root mean square without intercept) of each column.

    Row blocks keep the temporaries small (``np.std`` would copy all of
    ``X``); each column is divided by its largest magnitude first, so that
    squares of huge values cannot overflow.
    """
    m, n = X.shape
    if m == 0:
        return np.zeros(n)
    big = np.maximum(X.max(axis=0), -X.min(axis=0)).astype(np.float64)
    big[big == 0] = 1.0
    blocks = [slice(start, start + block) for start in range(0, m, block)]
    mean = np.zeros(n)
    if fit_intercept:
        mean = sum(np.sum(X[b] / big, axis=0) for b in blocks) / m
    total = np.zeros(n)
    for b in blocks:
        d = X[b] / big - mean
        total += np.einsum("ij,ij->j", d, d)
    return np.sqrt(total / m) * big


def default_estimators(alphas, fit_intercept=True):
    """``[(label, estimator, description)]`` compared by :func:`diagnose`."""
    kw = {"fit_intercept": fit_intercept}
    tols = PinvCV().tols
    return [
        (f"PinvRegressor(tol={DEFAULT!r})", PinvRegressor(**kw),
         "truncated SVD at the default tolerance (the package's default model)"),
        ("PinvRegressor(tol=GCVRank())", PinvRegressor(tol=GCVRank(), **kw),
         "truncated SVD at the rank GCV picks on each training fold"),
        ("PinvCV()", PinvCV(**kw),
         f"tol chosen by leave-one-out on each training fold among {_tuple(tols)}"),
        ("TikhonovCV(alphas=grid)", TikhonovCV(alphas=alphas, **kw),
         "alpha chosen by leave-one-out on each training fold among the alpha grid"),
        ("LinearRegression()", LinearRegression(**kw),
         "scikit-learn's least squares, for reference"),
        ("Ridge(alpha=1.0)", Ridge(alpha=1.0, **kw),
         "scikit-learn's ridge at its default alpha, for reference"),
        ("RidgeCV(alphas=grid, gcv_mode='svd')", RidgeCV(alphas=alphas, gcv_mode="svd", **kw),
         "scikit-learn's leave-one-out over the same alpha grid, the reference for "
         "TikhonovCV(alphas=grid) (its SVD mode: the same result, 3x faster than 'auto' "
         "on tall data)"),
    ]


def _tuple(items):
    return "(" + ", ".join(repr(t) for t in items) + ")"


def _picks(fact, kept, alphas):
    """Data-driven choices of rank and alpha on the default policy's spectrum."""
    return {**rank_picks(fact, kept), **alpha_picks(fact, kept, alphas)}


def _fold_picks(fitted):
    """What each fold's CV estimator chose, and the refit that sums them up."""
    if not all(hasattr(est, "alpha_") for est in fitted):
        return None, None
    if isinstance(fitted[0], PinvCV):
        tols = [est.tol_ for est in fitted]
        tol = Counter(map(repr, tols)).most_common(1)[0][0]
        return [t if isinstance(t, str) else repr(t) for t in tols], f"PinvRegressor(tol={tol})"
    alphas = [float(np.mean(est.alpha_)) for est in fitted]
    name = "TikhonovRegressor" if isinstance(fitted[0], TikhonovCV) else "Ridge"
    return alphas, f"{name}(alpha={float(np.median(alphas)):.4g})"


def _score(label, est, X, y, cv):
    res = cross_validate(est, X, y, cv=cv, scoring="r2", return_estimator=True)
    r2 = res["test_score"]
    picks, refit = _fold_picks(res["estimator"])
    return {"estimator": label, "r2_mean": float(np.mean(r2)), "r2_std": float(np.std(r2)),
            "r2_folds": [float(v) for v in r2], "picks": picks, "refit": refit or label}


def _policy_scores(rows, policies, X, y, splits, fit_intercept):
    """CV R2 of PinvRegressor at every policy: one factorization per fold for all."""
    search = PinvCV(tols=list(policies), cv=splits, fit_intercept=fit_intercept).fit(X, y)
    res = search.cv_results_
    folds = np.array([res[f"split{i}_test_score"] for i in range(len(splits))])
    for j, row in enumerate(rows):
        row["cv_r2_mean"], row["cv_r2_std"] = float(folds[:, j].mean()), float(folds[:, j].std())


def _subsample(X, Y, max_samples):
    m = X.shape[0]
    if max_samples is None or m <= max_samples:
        return X, Y
    rows = np.sort(np.random.default_rng(SEED).choice(m, max_samples, replace=False))
    return X[rows], Y[rows]


def _cross_validate(report, X, Y, cv, estimators, policies, max_samples, progress):
    Xs, Ys = _subsample(X, Y, max_samples)
    ys = Ys[:, 0] if Ys.shape[1] == 1 else Ys
    if isinstance(cv, Integral) and cv > Xs.shape[0]:
        raise ValueError(f"cv={cv} folds need at least {cv} samples, got {Xs.shape[0]}.")
    splitter = KFold(cv, shuffle=True, random_state=SEED) if isinstance(cv, Integral) else cv
    splits = list(check_cv(splitter).split(Xs, ys))
    report.cv = {"folds": len(splits), "n_samples": Xs.shape[0], "n_total": X.shape[0],
                 "splitter": repr(splitter), "seed": SEED, "scoring": "r2"}
    progress(f"cross-validating every policy on {Xs.shape[0]} rows ({len(splits)} folds)")
    _policy_scores(report.policies, policies, Xs, ys, splits, report.fit_intercept)
    for j, (label, est, *about) in enumerate(estimators, 1):
        progress(f"[{j}/{len(estimators)}] cross-validating {label}")
        report.scores.append(_score(label, est, Xs, ys, splits))
        report.descriptions[label] = about[0] if about else ""


def diagnose(X, y, *, policies=None, fit_intercept=True, standardize=False, cv=5,
             alphas=None, estimators=None, max_cv_samples=None, feature_names=None,
             progress=None):
    """Diagnose a least-squares problem: spectrum, tolerance rules, scores, a recommendation.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
    policies : list, default=None
        Tolerance policies to compare (names, floats, policy objects); every
        named policy when None.
    fit_intercept : bool, default=True
        Diagnose the centred problem, as the estimators fit it.
    standardize : bool, default=False
        Divide each column by its standard deviation first, as
        ``StandardScaler`` would: thresholds and penalties act on singular
        values, which depend on the columns' units. The recommendation then
        names a ``make_pipeline(StandardScaler(), ...)``. ``X`` is not modified.
    cv : int, cross-validation splitter or None, default=5
        Folds for the cross-validated R^2 (``KFold(cv, shuffle=True,
        random_state=0)`` when an int); None skips the scores (the spectral
        part is fast).
    alphas : array-like, default=None
        Alpha grid for the GCV and L-curve picks and the tuned Tikhonov/Ridge
        models; 50 log-spaced values from ``1e-2 s_min^2`` to ``1e2 s_max^2``
        of the singular values the default policy keeps when None.
    estimators : list of (str, estimator) or (str, estimator, str), default=None
        Models to cross-validate, with an optional description; see
        :func:`default_estimators`.
    max_cv_samples : int, default=None
        Cross-validate on a random subsample (seed 0) of this many rows when
        there are more; None uses every row. The spectrum always uses all rows.
    feature_names : list of str, default=None
        Names for the report; ``X``'s columns when it is a DataFrame, else
        ``x0, x1, ...``.
    progress : callable, default=None
        Called with a short message before each slow step.

    Returns
    -------
    report : Diagnosis
        Python warnings raised while diagnosing are gathered in
        ``report.warnings`` rather than shown.

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
    >>> report.recommendation["estimator"].startswith("TikhonovRegressor(alpha=")
    True
    """
    progress = progress or (lambda message: None)
    if max_cv_samples is not None and not (isinstance(max_cv_samples, Integral)
                                           and max_cv_samples >= 2):
        raise ValueError(f"max_cv_samples must be an int >= 2 or None, got {max_cv_samples!r}.")
    names = feature_names if feature_names is not None else getattr(X, "columns", None)
    X, y = check_X_y(X, y, dtype=[np.float64, np.float32], y_numeric=True, multi_output=True)
    names = [str(c) for c in names] if names is not None else [f"x{j}" for j in
                                                               range(X.shape[1])]
    if len(names) != X.shape[1]:
        raise ValueError(f"{len(names)} feature names for {X.shape[1]} features.")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = _diagnose(X, y, policies, fit_intercept, standardize, cv, alphas,
                           estimators, max_cv_samples, names, progress)
    report.warnings = gather_warnings(caught)
    report.recommendation = recommend(report)
    return report


def _diagnose(X, y, policies, fit_intercept, standardize, cv, alphas, estimators,
              max_samples, names, progress):
    Y = y.reshape(X.shape[0], -1)
    scales = column_scales(X, fit_intercept)
    if standardize:
        X = X / np.where(scales > 0, scales, 1).astype(X.dtype)
    progress(f"factorizing {X.shape[0]} x {X.shape[1]}")
    fact = factorize_arrays(X, Y.astype(X.dtype), None, fit_intercept)
    s = fact.singular_values
    policies = available_policies() if policies is None else list(policies)
    rows, disputed = _policy_rows(fact, policies)
    _, kept = cut(DEFAULT, fact)
    default_grid = alphas is None
    grid = default_alphas(fact, kept) if default_grid else np.asarray(alphas, float)
    report = Diagnosis(
        shape=X.shape, fit_intercept=fit_intercept, singular_values=s,
        condition_number=_condition_number(s), policies=rows,
        ranks_disagree=len({row["rank"] for row in rows}) > 1, disputed=disputed,
        **_picks(fact, kept, grid), n_targets=Y.shape[1], standardized=standardize,
        feature_names=names, column_scales=scales, default_rank=int(kept.sum()),
        alphas=grid, default_grid=default_grid,
    )
    if cv is not None:
        if estimators is None:
            estimators = default_estimators(grid, fit_intercept)
        _cross_validate(report, X, Y, cv, estimators, policies, max_samples, progress)
    return report
