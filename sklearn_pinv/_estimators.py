"""PinvRegressor and TikhonovRegressor: thin layers over one factorization."""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _array_api, _dispatch, _filters, _refine
from ._compat import Interval, StrOptions, check_sample_weight, fit_context
from ._cache import cached_factorize
from ._selection import gcv_alpha, lcurve_corner_alpha, quasi_optimal_alpha
from .tolerance import DEFAULT, TolerancePolicy, available_policies, cut

__all__ = ["PinvRegressor", "TikhonovRegressor", "store_solution"]

# Parameter-choice rules for alpha, by name (pure functions of a factorization).
_ALPHA_RULES = {
    "gcv": gcv_alpha,
    "lcurve": lcurve_corner_alpha,
    "quasi-optimal": quasi_optimal_alpha,
}

_FLOATS = [np.float64, np.float32]


def store_solution(est, fact, tau, kept, d, one_target):
    """Set the fitted attributes of ``est`` from a factorization and its weights ``d``."""
    coef = fact.solve(d)
    intercept = fact.intercept(coef)
    phi = _filters.filter_factors(fact.singular_values, d)
    est.coef_ = coef[:, 0] if one_target else coef.T
    # scikit-learn's linear models store a plain 0.0 without an intercept.
    est.intercept_ = 0.0 if not fact.fit_intercept else intercept[0] if one_target else intercept
    if phi.ndim == 2 and phi.shape[1] == 1:  # one alpha for all targets
        phi = phi[:, 0]
    est.filter_factors_ = phi
    est.effective_dof_ = phi.sum(axis=0)
    est.singular_values_ = fact.singular_values
    est.threshold_ = tau
    est.rank_ = int(kept.sum())
    est.solver_ = fact.driver
    est.factorization_ = fact


class _SpectralRegressor(RegressorMixin, BaseEstimator):
    """Shared fit/predict: validate, factorize, filter the spectrum, store."""

    _parameter_constraints = {
        "tol": [
            StrOptions(set(available_policies())),
            Interval(Real, 0, None, closed="left"),
            TolerancePolicy,
            callable,
        ],
        "fit_intercept": ["boolean"],
        "copy_X": ["boolean"],
        "precision": [StrOptions(set(_refine.PRECISIONS))],
    }

    def _validate_fit_data(self, X, y, sample_weight, reset=True, accept_sparse=False):
        X, y = validate_data(
            self, X, y, dtype=_FLOATS, multi_output=True, y_numeric=True,
            reset=reset, accept_sparse=accept_sparse,
        )
        Y = np.asarray(y, dtype=X.dtype).reshape(X.shape[0], -1)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X)
        self._check_targets(Y.shape[1])
        return X, Y, sample_weight, np.ndim(y) == 1

    def _check_targets(self, n_targets):
        """Hook: fail on target-dependent parameters before the factorization."""

    @fit_context
    def fit(self, X, y, sample_weight=None):
        """Fit the linear model through one spectral factorization.

        Parameters
        ----------
        X : {array-like, sparse matrix, dask array} of shape (n_samples, n_features)
            Training data. ``float32`` stays ``float32``; other types are
            converted to ``float64``. Sparse (CSR/CSC/COO) ``X`` is factored
            in dense row blocks; a dask array by a tree reduction of its row
            chunks on the active dask scheduler; under
            ``sklearn.set_config(array_api_dispatch=True)`` an array API
            array (tested: array-api-strict, torch on CPU) is factored with
            its own ``xp.linalg.svd`` and the fitted arrays stay in its
            namespace and device.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative individual weights: the fit minimises
            ``sum_i w_i (y_i - x_i . coef - intercept)^2``.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        if _dispatch.fit_other_input(self, X, y, sample_weight):  # sparse, dask, xp
            return self
        X, Y, sample_weight, one_target = self._validate_fit_data(X, y, sample_weight)
        self._stream = _dispatch.fit_seed(sample_weight, X.shape[0], self.fit_intercept)
        if self.precision == "high":
            fact, self._stream = _refine.start_high(self, X, Y, sample_weight)
        else:
            fact = cached_factorize(X, Y, sample_weight, self.fit_intercept, copy=self.copy_X)
        self._set_solution(fact, one_target)
        _refine.polish(self, X, Y, sample_weight, one_target)
        return self

    @fit_context
    def partial_fit(self, X, y, sample_weight=None):
        """Add a batch of rows: exact incremental least squares.

        Accumulates the R factor of ``[sqrt(w), sqrt(w) X, sqrt(w) y]``
        (TSQR, never ``X^T X``; memory ``O(n_features^2)`` beyond the batch).
        After any number of batches the fitted attributes equal those of
        :meth:`fit` on all rows so far. After :meth:`fit`, batches add to
        fit's data; :meth:`fit` starts over. A batch that raises leaves the
        estimator as it was.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A batch of training rows.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Its targets (the same number of targets in every batch).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the batch's rows.

        Returns
        -------
        self : object
            Fitted estimator.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn_pinv import PinvRegressor
        >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [3.0], [4.0]])
        >>> y = np.array([2.0, 4.0, 0.0, 2.0, 5.0, 3.0])
        >>> reg = PinvRegressor().partial_fit(X[:4], y[:4]).partial_fit(X[4:], y[4:])
        >>> print(round(float(reg.coef_[0]), 8), round(float(reg.intercept_), 8))
        0.21538462 2.2
        """
        return _dispatch.partial_fit(self, X, y, sample_weight)

    def _set_solution(self, fact, one_target):
        tau, kept = cut(self.tol, fact)
        store_solution(self, fact, tau, kept, self._spectral_weights(fact, kept), one_target)

    def predict(self, X):
        """Predict with the fitted linear model.

        Parameters
        ----------
        X : {array-like, sparse matrix, dask array} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
            ``X @ coef_.T + intercept_``: a lazy dask array for a dask ``X``,
            an array of the fit's namespace for array API input.
        """
        check_is_fitted(self)
        if (y_dask := _dispatch.predict(self, X)) is not None:
            return y_dask
        X = validate_data(
            self, X, reset=False, dtype=_array_api.float_dtypes(X),
            accept_sparse=_dispatch.SPARSE_FORMATS,
        )
        return _array_api.linear_predict(X, self.coef_, self.intercept_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.input_tags.sparse = True
        tags.array_api_support = True
        return tags


_PARAMS_DOC = """
    tol : str, float, TolerancePolicy or callable, default="scipy"
        Which singular values of the centred (weighted) ``X`` count as zero.
        A name from :func:`sklearn_pinv.tolerance.available_policies`
        (``"matlab"``, ``"octave"``, ``"scipy"``, ``"numpy"``, ``"julia"``,
        ``"sqrt-eps"``, ``"stata"``, ``"numerical-recipes"``, ``"lapack"``),
        a relative tolerance ``>= 0`` (``tau = tol * max(s)``; ``1e-6`` is
        scikit-learn's ``LinearRegression()``), a policy object from
        :mod:`sklearn_pinv.tolerance` (absolute/relative, fixed rank, GCV) or
        a callable ``(singular_values, shape, dtype) -> tau``. The default is
        SciPy's rule, ``max(m, n) * eps * max(s)``: scale invariant, it grows
        with the dimension as the rounding error of a backward-stable SVD
        does, and it is the array API standard's default.
    fit_intercept : bool, default=True
        Fit an (unpenalised) intercept by centring ``X`` and ``y`` on their
        weighted means.
    copy_X : bool, default=True
        If False, ``X`` may be centred and factored in place when it is a
        Fortran-ordered float array and ``X`` is tall (saves one copy of X).
    precision : {"standard", "high", "fast"}, default="standard"
        How hard ``fit`` works for correct digits (dense float64 ``X``).
        ``"standard"``: when a first-order error bound of the slopes
        exceeds ``1e-10`` (an ill-conditioned spectrum), or that of the
        intercept exceeds ``1e-13`` (it cancels) and ``X`` has at most 8
        columns (refinement is then cheap), a full-rank fit is refined with residuals in double-double
        arithmetic (a few passes over ``X``); if the spectrum is too
        ill-conditioned for that, or badly scaled columns look responsible
        for a truncation, it warns (``AccuracyWarning``).
        ``"high"``: an SVD that keeps ``U`` and iterative refinement of the
        augmented least-squares system in double-double arithmetic (the
        exact solution of the float64 data whenever ``cond * eps`` is well
        below 1). For :class:`PinvRegressor` the columns of ``X`` are first
        scaled by powers of two near their centred norms: ``tol`` then
        applies to the singular values of the *equilibrated* ``X`` (those
        are ``singular_values_``), and a rank-deficient or underdetermined
        fit is the minimum-norm solution in the scaled coordinates.
        Reaches the NIST StRD certified values to the limit of float64 data
        (``benchmarks/nist_report.py``); costs several plain fits (3-15x
        measured by ``benchmarks/bench_precision.py``, most for tall, thin X).
        ``"fast"``: no refinement, no check. ``partial_fit``, sparse and
        dask input are not refined.
"""

_ATTRIBUTES_DOC = """
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients.
    intercept_ : float or ndarray of shape (n_targets,)
        Intercept (0.0 when ``fit_intercept=False``).
    singular_values_ : ndarray of shape (min(n_samples, n_features),)
        Singular values of the centred, weighted ``X``, decreasing.
    threshold_ : float
        The threshold ``tau`` the tolerance policy set.
    rank_ : int
        Number of singular values kept.
    filter_factors_ : ndarray of shape (min(n_samples, n_features),) or (k, n_targets)
        Fraction of each singular direction kept by the solution.
    effective_dof_ : float or ndarray of shape (n_targets,)
        Effective degrees of freedom, the sum of the filter factors
        (the intercept not counted).
    solver_ : str
        The route and LAPACK driver that ran: ``"qr+gesdd"`` (QR of the
        tall ``X``, then the SVD of ``R``), ``"gesdd"`` (SVD of ``X``) or
        the ``gesvd`` fallback when ``gesdd`` did not converge.
    factorization_ : Factorization
        The spectral factorization; solutions for any other ``tol`` or
        ``alpha`` follow from it without refactoring.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.
"""


class PinvRegressor(_SpectralRegressor):
    __doc__ = """Least squares through the truncated-SVD pseudoinverse.

    Returns the minimum-norm least-squares solution on the singular values
    the tolerance policy keeps: ``coef = V diag(1/s_kept) U^T y``. On
    full-rank data this is ordinary least squares; on rank-deficient or
    ill-conditioned data it is the stable, minimum-norm answer.

    Parameters
    ----------""" + _PARAMS_DOC + """
    Attributes
    ----------""" + _ATTRIBUTES_DOC + """
    See Also
    --------
    TikhonovRegressor : The same solver with Tikhonov (ridge) filter factors.
    sklearn.linear_model.LinearRegression : ``PinvRegressor(tol=1e-6)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import PinvRegressor
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [3.0], [4.0]])
    >>> y = np.array([2.0, 4.0, 0.0, 2.0, 5.0, 3.0])
    >>> reg = PinvRegressor().fit(X, y)
    >>> print(round(float(reg.coef_[0]), 8), round(float(reg.intercept_), 8))
    0.21538462 2.2
    >>> X2 = np.hstack([X, X])  # duplicate column: minimum-norm split
    >>> PinvRegressor().fit(X2, y).coef_.round(8)
    array([0.10769231, 0.10769231])
    """

    def __init__(self, tol=DEFAULT, fit_intercept=True, copy_X=True, precision="standard"):
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.precision = precision

    def _spectral_weights(self, fact, kept):
        return _filters.truncation(fact.singular_values, kept)


class TikhonovRegressor(_SpectralRegressor):
    __doc__ = """Tikhonov (ridge) regression on the kept singular values.

    Filter factors ``s^2 / (s^2 + alpha)`` on the singular values the
    tolerance policy keeps, ``0`` on the others:
    ``coef = V diag(s / (s^2 + alpha)) U^T y``. The intercept is not
    penalised. ``alpha=0`` is :class:`PinvRegressor`; with ``tol=0.0`` it
    equals ``Ridge(alpha, solver="svd")``.

    Parameters
    ----------
    alpha : float, array-like of shape (n_targets,), str or callable, default=1.0
        Regularisation strength ``lambda >= 0`` (named as in ``Ridge``); an
        array gives each target its own. Or a parameter-choice rule applied
        to the factorization at fit time (targets pooled): ``"gcv"``
        (generalized cross-validation), ``"lcurve"`` (the L-curve's corner)
        or ``"quasi-optimal"``, or any callable
        ``(factorization, kept) -> alpha``, e.g. the discrepancy principle
        ``lambda f, kept: discrepancy_alpha(f, noise_level, kept=kept)``
        from ``sklearn_pinv._selection``. The value used is ``alpha_``.""" + _PARAMS_DOC + """
    Attributes
    ----------
    alpha_ : float or ndarray of shape (n_targets,)
        The regularisation strength used (chosen by the rule, if ``alpha``
        is one).""" + _ATTRIBUTES_DOC + """
    See Also
    --------
    PinvRegressor : The pure truncation (``alpha=0``).
    sklearn.linear_model.Ridge : ``TikhonovRegressor(tol=0.0)`` with ``solver="svd"``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import TikhonovRegressor
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> y = np.array([1.0, 3.0, 5.0, 7.0])
    >>> reg = TikhonovRegressor(alpha=5.0).fit(X, y)  # slope 2 shrunk: 5 / (5 + 5)
    >>> print(float(reg.coef_[0]), float(reg.intercept_))
    1.0 2.5
    """

    _parameter_constraints = {
        **_SpectralRegressor._parameter_constraints,
        "alpha": [
            Interval(Real, 0, None, closed="left"),
            "array-like",
            StrOptions(set(_ALPHA_RULES)),
            callable,
        ],
    }

    def __init__(self, alpha=1.0, tol=DEFAULT, fit_intercept=True, copy_X=True,
                 precision="standard"):
        self.alpha = alpha
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.precision = precision

    def _alpha_rule(self):
        if isinstance(self.alpha, str):
            return _ALPHA_RULES[self.alpha]
        return self.alpha if callable(self.alpha) else None

    def _alphas(self, n_targets):
        if self._alpha_rule() is not None:
            return np.atleast_1d(self.alpha_)  # chosen by _spectral_weights
        alpha = np.asarray(self.alpha, dtype=np.float64)
        if alpha.ndim > 1 or alpha.size not in (1, n_targets):
            raise ValueError(
                f"alpha has {alpha.size} values but y has {n_targets} target(s); "
                "give one alpha, or one per target."
            )
        if not np.all(np.isfinite(alpha) & (alpha >= 0)):
            raise ValueError(f"alpha must be finite and >= 0, got {self.alpha!r}.")
        return alpha.reshape(-1)

    def _check_targets(self, n_targets):
        if self._alpha_rule() is None:
            self._alphas(n_targets)

    def _spectral_weights(self, fact, kept):
        rule = self._alpha_rule()
        if rule is not None:
            chosen = float(rule(fact, kept=kept))
            if not (np.isfinite(chosen) and chosen >= 0):
                raise ValueError(f"The alpha rule {self.alpha!r} returned {chosen!r}.")
            self.alpha_ = chosen
        else:
            self.alpha_ = self.alpha
        return _filters.tikhonov(fact.singular_values, kept, self._alphas(fact.z.shape[1]))
