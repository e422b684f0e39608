"""TikhonovCV and PinvCV: search (alpha, tol) with one factorization per fold.

Every candidate's coefficients are ``V diag(phi / s) z`` for the fold's
factorization, so a grid of alphas times tolerance policies costs one
factorization per training fold plus a few matrix products. With ``cv=None``
the exact leave-one-out error (hat diagonal, as ``RidgeCV``) or GCV (the trace
formula) comes from one factorization of all the data.
"""

from dataclasses import replace
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import check_cv

from . import _array_api
from ._base import SpectralMixin
from ._compat import Interval, StrOptions, fit_context
from ._cv_alphas import check_alphas, default_grid, warn_on_edges
from ._cv_data import SearchData
from ._cv_docs import ATTRIBUTES as _ATTRS_DOC
from ._cv_docs import PARAMETERS as _COMMON_DOC
from ._cv_scoring import kfold_search, loo_factorization, loo_search
from ._refine import PRECISIONS, solve
from ._spectral import tikhonov_factors
from .tolerance import DEFAULT, TolerancePolicy, cut, resolve

__all__ = ["TikhonovCV", "PinvCV"]


def _min_rank(scores):
    """Ranks of ``scores`` (best first, ties share the best rank), as ``rankdata(-x, "min")``."""
    ordered = np.sort(-scores)
    return (np.searchsorted(ordered, -scores, side="left") + 1).astype(np.int32)


class _SpectralCV(SpectralMixin, BaseEstimator):
    """Shared search: candidates are (alpha, tol) pairs, alpha-major (as GridSearchCV).

    The regressors add ``RegressorMixin``, the classifiers of
    :mod:`._classifiers_cv` their labels.
    """

    _reports_alphas = False  # PinvCV searches alpha = 0 only

    _parameter_constraints = {
        "cv": ["cv_object"],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "criterion": [StrOptions({"loo", "gcv"})],
        "fit_intercept": ["boolean"],
        "store_cv_results": ["boolean"],
        "precision": [StrOptions(set(PRECISIONS))],
        "tols": [
            list, tuple, np.ndarray, str, Interval(Real, 0, 1, closed="left"),
            TolerancePolicy, callable,
        ],
    }

    def _tol_list(self):
        tols = self.tols
        if isinstance(tols, (list, tuple, np.ndarray)):
            tols = list(tols)
        else:
            tols = [tols]
        if not tols:
            raise ValueError("tols must hold at least one tolerance.")
        for tol in tols:
            resolve(tol)  # a clear error now rather than in a fold
        return tols

    def _check_options(self):
        """Combinations of parameters that cannot work (RidgeCV's wording where it has one)."""
        if self.criterion == "gcv" and self.scoring is not None and self.cv is None:
            raise ValueError("criterion='gcv' is a score of its own: set scoring=None.")
        if self.store_cv_results and self.cv is not None:
            raise ValueError("cv!=None and store_cv_results=True are incompatible")
        if self.store_cv_results and self.criterion == "gcv":
            raise ValueError("store_cv_results=True stores per-sample leave-one-out values; "
                             "GCV has none: use criterion='loo'.")

    @fit_context
    def fit(self, X, y, sample_weight=None, groups=None):
        """Choose (alpha, tol) by cross-validation, then fit on all the data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data: a dense array, a CSR/CSC/COO matrix (never
            densified whole), or under
            ``sklearn.set_config(array_api_dispatch=True)`` an array API
            array (its SVDs run in its namespace and device). Candidates are
            scored in ``float64`` whatever the data (as ``RidgeCV`` does);
            the fitted model keeps the data's dtype.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the fits (each fold's and the final one). With
            ``cv=None`` they also weight the leave-one-out errors, as in
            ``RidgeCV``; they are passed to scorers that accept them, as
            ``GridSearchCV`` and ``RidgeCV`` do.
        groups : array-like of shape (n_samples,), default=None
            Group labels for a group-aware splitter.

        Returns
        -------
        self : object
        """
        data = self._validate_fit(X, y, sample_weight)
        search = SearchData.of(data, self.fit_intercept, type(self).__name__)
        grid, tols = check_alphas(self._search_alphas()), self._tol_list()
        self._check_options()
        per_target = bool(getattr(self, "alpha_per_target", False)) and data.n_targets > 1
        opts = {"one_target": data.one_target, "per_target": per_target}
        if self.cv is None:
            fact = loo_factorization(search, tols, self.criterion)
        else:
            fact = search.factor()  # the refit's, and the default grid's spectrum
        alphas = default_grid(fact, tols) if grid is None else grid
        split_scores, std, values = self._scores(search, fact, alphas, tols, groups, opts)
        self._select(alphas, tols, split_scores, std, per_target)
        if alphas.size > 1:
            warn_on_edges(type(self).__name__, self.alpha_, alphas, grid is None)
        self._refit(data, search, fact)
        self._store_search(data, alphas, values)
        return self

    def _scores(self, search, fact, alphas, tols, groups, opts):
        """``(split scores (S, C, t'), std (C,), LOO values or None)`` of every candidate."""
        if self.cv is None:
            scorer = None if self.scoring is None else check_scoring(self, self.scoring)
            return loo_search(search, fact, alphas, tols, criterion=self.criterion,
                              scorer=scorer, store=self.store_cv_results, **opts)
        scoring = "r2" if self.scoring is None else self.scoring
        splits = list(check_cv(self.cv).split(search.rows(), search.Y, groups))
        split_scores = kfold_search(search, splits, alphas, tols, scoring=scoring,
                                    scorer=check_scoring(self, scoring), **opts)
        return split_scores, split_scores.mean(axis=2).std(axis=0), None  # std over folds

    def _refit(self, data, search, fact):
        """The final model: the chosen candidate on all the data, refined as ``precision`` asks."""
        fact = replace(fact, U=None)
        tau, kept = cut(self.tol_, fact)
        alpha = np.atleast_1d(self.alpha_)
        phi = tikhonov_factors(fact.singular_values, kept, alpha)
        solution = solve(fact, phi, alpha, self.precision, *search.refinable())
        self._store(data, fact, tau, kept, phi, solution)
        self._warn_accuracy(solution)

    def _store_search(self, data, alphas, values):
        """The grid searched and the per-sample LOO values, in the data's namespace."""
        if self._reports_alphas:
            self.alphas_ = alphas
        if values is not None:
            values = values.astype(self.factorization_.dtype, copy=False)
            self.loo_values_ = values[:, 0, :] if data.one_target else values
        else:
            vars(self).pop("loo_values_", None)
        if data.namespace is not None:
            for name in ("alphas_", "loo_values_", "best_score_"):
                if isinstance(vars(self).get(name), np.ndarray):
                    setattr(self, name, _array_api.to_namespace(getattr(self, name),
                                                                *data.namespace))

    # ------------------------------------------------------------ selection
    def _select(self, alphas, tols, split_scores, std, per_target):
        T = len(tols)
        mean = split_scores.mean(axis=0)  # (C, t')
        mean = np.where(np.isnan(mean), -np.inf, mean)
        if per_target:
            by = mean.reshape(alphas.size, T, -1)  # (A, T, t)
            best_a = by.argmax(axis=0)  # (T, t): per tol and target
            tol_score = by.max(axis=0).mean(axis=1)
            j = int(np.argmax(tol_score))
            self.alpha_ = alphas[best_a[j]]
            self.best_score_ = by.max(axis=0)[j]
        else:
            c = int(np.argmax(mean[:, 0]))
            j = c % T
            self.alpha_ = float(alphas[c // T])
            self.best_score_ = float(mean[c, 0])
        self.tol_ = tols[j]
        self.cv_results_ = self._results(alphas, tols, split_scores, std)

    def _results(self, alphas, tols, split_scores, std):
        C = alphas.size * len(tols)
        pooled = split_scores.mean(axis=2)  # over targets when scored per target
        mean = pooled.mean(axis=0)
        results = {"params": [self._params(alphas[c // len(tols)], tols[c % len(tols)])
                              for c in range(C)]}
        results["param_alpha"] = np.repeat(alphas, len(tols))
        results["param_tol"] = np.array([tols[c % len(tols)] for c in range(C)] + [None],
                                        dtype=object)[:-1]
        if self.cv is not None:
            for i, split in enumerate(pooled):
                results[f"split{i}_test_score"] = split
        results["mean_test_score"] = mean
        results["std_test_score"] = std
        results["rank_test_score"] = _min_rank(np.where(np.isnan(mean), -np.inf, mean))
        if split_scores.shape[2] > 1:
            results["mean_test_score_per_target"] = split_scores.mean(axis=0)
        return results

    def _accuracy_advice(self, reason):
        if reason == "rounding":
            return "Give tols that drop them, such as the default 'scipy'."
        return "Standardise the columns of X, or search larger alphas."


class TikhonovCV(RegressorMixin, _SpectralCV):
    __doc__ = """Tikhonov (ridge) regression with built-in search over alpha and tol.

    Every (alpha, tol) candidate is scored from one factorization per
    training fold (or one for all the data with ``cv=None``), so a search
    over many candidates costs about as much as one fit per fold. With
    ``tols=("ridge",)`` (``Ridge(solver="svd")``'s cut) and ``cv=None`` it
    chooses the alpha ``RidgeCV`` does on the same grid, on dense, sparse
    (CSR/CSC/COO) or array API data, and its leave-one-out stays exact down
    to alphas near ``eps * s_max**2``, where ``RidgeCV``'s (an eigen
    decomposition of ``X^T X`` or ``X X^T``) loses its digits. By default
    the grid is read off the spectrum of ``X``.

    Parameters
    ----------
    alphas : "auto" or array-like of shape (n_alphas,), default="auto"
        Regularisation strengths ``>= 0`` to try (a float is one alpha).
        ``"auto"``: 50 alphas log-spaced over the range the spectrum of
        ``X`` makes meaningful, ``[max(1e-2 s_min^2, eps s_max^2),
        1e2 s_max^2]`` for the singular values the ``tols`` keep (``eps`` of
        the data's dtype). Below it every kept direction is kept whole (or
        rounding cannot tell the alphas apart), above it every direction is
        shrunk below 1%; it is the grid of :func:`~sklearn_pinv.diagnose`.
        A pick on an edge of the grid, default or given, warns
        (:class:`~sklearn_pinv.GridEdgeWarning`).
    tols : sequence of tolerances, default=("scipy",)
        Tolerance policies to try (names, relative floats, policy objects or
        callables; see :class:`TikhonovRegressor`). A single value is one
        candidate.""" + _COMMON_DOC + """
    alpha_per_target : bool, default=False
        With several targets, choose an alpha per target (the tol stays
        shared: the one whose per-target best scores are best on average).
        Works with ``cv=None`` and with k-fold ``cv``.

    Attributes
    ----------
    alpha_ : float or ndarray of shape (n_targets,)
        The chosen alpha (per target with ``alpha_per_target``).
    alphas_ : ndarray of shape (n_alphas,)
        The alphas searched (the default grid, or ``alphas`` as given).""" + _ATTRS_DOC + """

    See Also
    --------
    TikhonovRegressor : The estimator searched over.
    sklearn.linear_model.RidgeCV : Leave-one-out over alphas only.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import TikhonovCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((40, 5))
    >>> y = X @ np.arange(5.0) + rng.standard_normal(40)
    >>> y = X @ np.arange(5.0) + 5 * rng.standard_normal(40)
    >>> alphas = np.logspace(-3, 3, 13)
    >>> reg = TikhonovCV(alphas=alphas, tols=(0.0,)).fit(X, y)  # exact LOO
    >>> from sklearn.linear_model import RidgeCV
    >>> bool(reg.alpha_ == RidgeCV(alphas=alphas).fit(X, y).alpha_)
    True
    >>> reg = TikhonovCV(alphas=alphas, tols=("scipy", 1e-3), cv=5).fit(X, y)
    >>> len(reg.cv_results_["params"]), reg.rank_
    (26, 5)
    >>> reg = TikhonovCV(store_cv_results=True).fit(X, y)  # the default grid
    >>> reg.alphas_.size, reg.loo_values_.shape  # RidgeCV's cv_results_
    (50, (40, 50))
    """

    _parameter_constraints = {
        **_SpectralCV._parameter_constraints,
        "alphas": [StrOptions({"auto"}), "array-like", Interval(Real, 0, None, closed="left")],
        "alpha_per_target": ["boolean"],
    }

    _ravel_single_column = True  # as RidgeCV
    _reports_alphas = True

    def __init__(self, alphas="auto", *, tols=(DEFAULT,), cv=None, scoring=None,
                 criterion="loo", alpha_per_target=False, fit_intercept=True,
                 store_cv_results=False, precision="standard"):
        self.alphas = alphas
        self.tols = tols
        self.cv = cv
        self.scoring = scoring
        self.criterion = criterion
        self.alpha_per_target = alpha_per_target
        self.fit_intercept = fit_intercept
        self.store_cv_results = store_cv_results
        self.precision = precision

    def _search_alphas(self):
        return self.alphas

    @staticmethod
    def _params(alpha, tol):
        return {"alpha": float(alpha), "tol": tol}


class PinvCV(RegressorMixin, _SpectralCV):
    __doc__ = """Pseudoinverse regression with a tolerance policy chosen by cross-validation.

    The truncation (``alpha = 0``) of :class:`PinvRegressor` with the
    ``tols`` candidate that scores best, each scored from one factorization
    per training fold (one for all the data with ``cv=None``).

    Parameters
    ----------
    tols : sequence of tolerances, default=("scipy", 1e-12, 1e-9, 1e-6, 1e-3)
        Tolerance policies to try: names, relative floats, policy objects
        (e.g. :class:`~sklearn_pinv.tolerance.GCVRank`) or callables.""" + _COMMON_DOC + """

    Attributes
    ----------
    alpha_ : float
        Always ``0.0`` (kept for symmetry with :class:`TikhonovCV`).""" + _ATTRS_DOC + """

    See Also
    --------
    PinvRegressor : The estimator searched over.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import PinvCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((40, 6)) * [1, 1, 1, 1e-4, 1e-4, 1e-4]
    >>> y = X[:, :3].sum(axis=1) + 0.1 * rng.standard_normal(40)
    >>> PinvCV(cv=5).fit(X, y).rank_
    3
    """

    def __init__(self, tols=(DEFAULT, 1e-12, 1e-9, 1e-6, 1e-3), *, cv=None, scoring=None,
                 criterion="loo", fit_intercept=True, store_cv_results=False,
                 precision="standard"):
        self.tols = tols
        self.cv = cv
        self.scoring = scoring
        self.criterion = criterion
        self.fit_intercept = fit_intercept
        self.store_cv_results = store_cv_results
        self.precision = precision

    def _search_alphas(self):
        return (0.0,)

    @staticmethod
    def _params(alpha, tol):
        return {"tol": tol}
