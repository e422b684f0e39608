"""PinvRegressor and TikhonovRegressor: thin layers over one factorization.

A fit is one straight line (``SpectralMixin._fit_validated``):
validate -> route the input -> factorize -> cut -> weights -> solve and
refine -> store. Everything between the first and the last step is a pure
function (:mod:`._inputs`, :mod:`.tolerance`, :mod:`._spectral`,
:mod:`._refine`); only the estimator writes its attributes.
"""

from sklearn.base import BaseEstimator, RegressorMixin

from . import _array_api, _docstrings
from ._base import SPECTRAL_CONSTRAINTS, SpectralMixin, penalty
from ._compat import fit_context
from ._penalties import TikhonovMixin, TruncationMixin
from ._refine import solve
from ._streaming import RFactor
from .tolerance import DEFAULT, cut

__all__ = ["PinvRegressor", "TikhonovRegressor"]


class _SpectralRegressor(SpectralMixin, RegressorMixin, BaseEstimator):
    """Shared fit/partial_fit: the straight fit path."""

    _parameter_constraints = dict(SPECTRAL_CONSTRAINTS)

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
        return self._fit_validated(self._validate_fit(X, y, sample_weight))

    @fit_context
    def partial_fit(self, X, y, sample_weight=None):
        """Add a batch of rows: exact incremental least squares.

        Accumulates the R factor of ``[sqrt(w), sqrt(w) X, sqrt(w) y]``
        (TSQR, never ``X^T X``; memory ``O(n_features^2)`` beyond the batch).
        After any number of batches the fitted attributes equal those of
        :meth:`fit` on all rows so far. After :meth:`fit`, batches add to
        fit's data; :meth:`fit` starts over. A batch that raises leaves the
        estimator as it was. Batches are not refined: with
        ``precision != "fast"`` an ill-conditioned stream warns
        (:class:`~sklearn_pinv.AccuracyWarning`) as a dense fit that cannot
        be refined does.

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
        snapshot = dict(vars(self))
        try:
            solution = self._partial_fit(X, y, sample_weight)
        except BaseException:
            vars(self).clear()
            vars(self).update(snapshot)
            raise
        self._warn_accuracy(solution)
        return self

    def _partial_fit(self, X, y, sample_weight):
        stream = self._resumed_stream()
        X, y, sample_weight = (_array_api.to_numpy(a) for a in (X, y, sample_weight))
        data = self._validate_fit(X, y, sample_weight, reset=stream is None)
        self._check_alpha(data.n_targets)
        if stream is None:
            stream = RFactor.from_block(data.X, data.Y, data.sample_weight)
        else:
            stream = stream.update(data.X, data.Y, data.sample_weight)
        fact = stream.to_factorization(self.fit_intercept)
        tau, kept = cut(self.tol, fact)
        phi, alpha = self._filter(fact, kept)
        solution = solve(fact, phi, penalty(alpha), self.precision)  # rows are gone
        self._store(data, fact, tau, kept, phi, solution, alpha)
        self._stream, self._stream_intercept = stream, self.fit_intercept
        return solution

    def _resumed_stream(self):
        """The R factor of every row so far, or None before the first fit."""
        if "factorization_" not in vars(self):
            return None
        if self._stream is not None:  # its sqrt(w) column serves either intercept setting
            return self._stream
        if self._stream_intercept != bool(self.fit_intercept):
            raise ValueError("fit_intercept changed since fit; call fit again instead of "
                             "partial_fit to change it.")
        return RFactor.from_factorization(self.factorization_, self._weight_sum)

    def _accuracy_advice(self, reason):
        if reason == "rounding":
            return ("Use a tolerance that drops them, such as the default tol='scipy' "
                    "(tol=0.0 keeps every non-zero singular value).")
        if reason == "input":
            return "Fit a dense NumPy float64 X to refine."
        return f"Use {self._high_advice}, or standardise the columns of X."


def _penalty(alpha):
    """The ridge penalty per target that refinement needs (0 for the pseudoinverse)."""
    return np.zeros(1) if alpha is None else np.atleast_1d(np.asarray(alpha, np.float64))

class PinvRegressor(TruncationMixin, _SpectralRegressor):
    __doc__ = """Least squares through the truncated-SVD pseudoinverse.

    Returns the minimum-norm least-squares solution on the singular values
    the tolerance policy keeps: ``coef = V diag(1/s_kept) U^T y``. On
    full-rank data this is ordinary least squares; on rank-deficient or
    ill-conditioned data it is the stable, minimum-norm answer.

    Parameters
    ----------""" + _docstrings.TOL + _docstrings.COMMON.format(
        equilibration=_docstrings.PINV_EQUILIBRATION) + """

    Attributes
    ----------""" + _docstrings.ATTRIBUTES.format(coef_shape=_docstrings.LINREG_SHAPE) + """

    See Also
    --------
    TikhonovRegressor : The same solver with Tikhonov (ridge) filter factors.
    sklearn.linear_model.LinearRegression : ``PinvRegressor(tol=1e-6)`` from
        scikit-learn 1.9 on (``LinearRegression(tol=1e-6)`` passes ``cond=tol``
        to ``scipy.linalg.lstsq``); before 1.9 it ignores ``tol`` on dense
        data, cuts at ``max(m, n) * eps * max(s)`` and equals
        ``PinvRegressor(tol="scipy")``.

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

    def __init__(self, tol=DEFAULT, *, fit_intercept=True, copy_X=True, precision="standard"):
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.precision = precision


class TikhonovRegressor(TikhonovMixin, _SpectralRegressor):
    __doc__ = """Tikhonov (ridge) regression on the kept singular values.

    Filter factors ``s^2 / (s^2 + alpha)`` on the singular values the
    tolerance policy keeps, ``0`` on the others:
    ``coef = V diag(s / (s^2 + alpha)) U^T y``. The intercept is not
    penalised. ``alpha=0`` is :class:`PinvRegressor`. With ``tol="ridge"``
    it equals ``Ridge(alpha, solver="svd")`` for every ``alpha`` (``0`` and
    rank-deficient ``X`` included): ``Ridge`` drops singular values
    ``<= 1e-15``. ``tol=0.0`` equals it whenever no non-zero singular
    value is ``<= 1e-15``.

    Parameters
    ----------
    alpha : float, array-like of shape (n_targets,), str, AlphaRule or callable, default=1.0
        Regularisation strength ``lambda >= 0`` (named as in ``Ridge``); an
        array gives each target its own. Or a parameter-choice rule applied
        to the factorization at fit time (targets pooled): ``"gcv"``,
        ``"lcurve"``, ``"quasi-optimal"``, an object of
        :mod:`sklearn_pinv.alpha_rules` such as
        ``alpha_rules.Discrepancy(noise_std=0.1)``, or any callable
        ``(factorization, kept) -> alpha``. The value used is ``alpha_``.""" + \
        _docstrings.TOL + _docstrings.COMMON.format(equilibration="") + """

    Attributes
    ----------
    alpha_ : float or ndarray of shape (n_targets,)
        The regularisation strength used (chosen by the rule, if ``alpha``
        is one).""" + _docstrings.ATTRIBUTES.format(coef_shape=_docstrings.RIDGE_SHAPE) + """

    See Also
    --------
    PinvRegressor : The pure truncation (``alpha=0``).
    sklearn.linear_model.Ridge : ``TikhonovRegressor(tol="ridge")`` with ``solver="svd"``.

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

    _parameter_constraints = {**_SpectralRegressor._parameter_constraints,
                              "alpha": TikhonovMixin._alpha_constraint}
    _ravel_single_column = True  # as Ridge

    def __init__(self, alpha=1.0, *, tol=DEFAULT, fit_intercept=True, copy_X=True,
                 precision="standard"):
        self.alpha = alpha
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.precision = precision
