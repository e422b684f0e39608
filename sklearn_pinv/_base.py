"""What every spectral estimator shares: one validation, one store, one predict.

The estimators (:mod:`._estimators`, :mod:`._cv`) call the pure routes
(:mod:`._inputs`, :mod:`._refine`, :mod:`.tolerance`) and are the only code
that writes their own attributes; these methods are where they do it.
"""

import os
import sys
import warnings
from numbers import Real

import numpy as np
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _array_api, _dask, _inputs
from ._compat import Interval, StrOptions, check_same_namespace, check_sample_weight, move_to
from ._inputs import FLOATS, SPARSE_FORMATS, FitData, kind_of
from ._refine import PRECISIONS, AccuracyWarning, solve
from .tolerance import TolerancePolicy, cut

__all__ = ["SpectralMixin", "SPECTRAL_CONSTRAINTS", "warn_user", "penalty"]

# The parameters every spectral estimator shares (scikit-learn's validation).
SPECTRAL_CONSTRAINTS = {
    "tol": [str, Interval(Real, 0, 1, closed="left"), TolerancePolicy, callable],
    "fit_intercept": ["boolean"],
    "copy_X": ["boolean"],
    "precision": [StrOptions(set(PRECISIONS))],
}

_PACKAGE_DIR = os.path.dirname(__file__)
_SKLEARN_DIR = os.path.dirname(sys.modules["sklearn"].__file__)


def warn_user(message, category):
    """Warn at the first frame outside sklearn_pinv and scikit-learn (the user's call).

    A fixed ``stacklevel`` would point into scikit-learn's fit wrappers or
    a ``Pipeline`` depending on how the estimator was called.
    """
    frame, level = sys._getframe(1), 2  # stacklevel 2 is warn_user's caller
    while frame is not None and frame.f_code.co_filename.startswith((_PACKAGE_DIR, _SKLEARN_DIR)):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


_WHAT = {
    "ill-conditioned": "X is too ill-conditioned for the default refinement",
    "scales": ("{dropped} singular value(s) of X were dropped while its columns' norms "
               "differ by over 1e6 (the truncation may be an artefact of their scales)"),
    "rounding": ("the tolerance keeps singular values at the rounding level of X (their "
                 "condition number exceeds 1/eps), so rounding errors dominate the solution"),
    "input": ("this input (partial_fit batches, a dask array or an array API array) is "
              "not refined"),
}


class SpectralMixin:
    """Validation, storage, prediction and accuracy warnings of a spectral fit.

    Subclasses set ``_ravel_single_column`` (``True`` to follow ``Ridge``,
    whose ``coef_`` is 1-D for a ``y`` of shape ``(m, 1)``; ``False`` to
    follow ``LinearRegression``) and implement ``_accuracy_advice``.
    """

    _ravel_single_column = False

    def _fit_validated(self, data):
        """The fit path, one step a line, on validated data (:class:`FitData`)."""
        self._check_alpha(data.n_targets)  # before the expensive part
        fact, stream = _inputs.factorize(
            data, self.fit_intercept, copy=self.copy_X or self.precision != "fast",
            high=self.precision == "high", equilibrate=self._equilibrates)
        tau, kept = cut(self.tol, fact)
        phi, alpha = self._filter(fact, kept)
        solution = solve(fact, phi, penalty(alpha), self.precision, *_inputs.refinable(data))
        self._store(data, fact, tau, kept, phi, solution, alpha)
        self._remember_stream(stream, data)
        self._warn_accuracy(solution)
        return self

    def _remember_stream(self, stream, data):
        """What a later ``partial_fit`` resumes from (built lazily from the factorization)."""
        self._stream, self._stream_intercept = stream, self.fit_intercept
        sw = data.sample_weight
        self._weight_sum = float(data.X.shape[0] if sw is None else np.sum(_array_api.to_numpy(sw)))

    def _validate_fit(self, X, y, sample_weight, reset=True):
        """Validate ``X, y, sample_weight`` for the route ``X``'s container takes."""
        kind = kind_of(X)
        if kind == "dask":  # validated chunk by chunk where the data live
            n_targets, one_target = _dask.target_shape(X, y)
            if reset:
                self.n_features_in_ = X.shape[1]
                vars(self).pop("feature_names_in_", None)  # a dask array has no names
            return FitData(X, y, sample_weight, one_target, kind)
        if kind == "array-api":
            return self._validate_array_api(X, y, sample_weight, reset)
        X, y = validate_data(self, X, y, dtype=FLOATS, multi_output=True, y_numeric=True,
                             reset=reset, accept_sparse=SPARSE_FORMATS)
        Y = np.asarray(y, dtype=X.dtype).reshape(X.shape[0], -1)
        sw = None if sample_weight is None else check_sample_weight(sample_weight, X)
        return FitData(X, Y, sw, np.ndim(y) == 1, kind_of(X))

    def _validate_array_api(self, X, y, sample_weight, reset):
        xp, device = _array_api.namespace(X)
        # Mixed inputs (y or weights from another namespace) follow X.
        y, sample_weight = move_to(y, sample_weight, xp=xp, device=device)
        X, y = validate_data(self, X, y, dtype=_array_api.float_dtypes(X), multi_output=True,
                             y_numeric=True, reset=reset)
        Y = xp.reshape(xp.astype(y, X.dtype), (X.shape[0], -1))
        sw = None
        if sample_weight is not None:
            sw = xp.astype(check_sample_weight(sample_weight, X), X.dtype)
        return FitData(X, Y, sw, y.ndim == 1, "array-api", (xp, device))

    def _store(self, data, fact, tau, kept, phi, solution, alpha=None):
        """Set the fitted attributes from one solution of one factorization."""
        ravel = data.one_target or (self._ravel_single_column and data.n_targets == 1)
        self.coef_ = solution.coef[:, 0] if ravel else solution.coef.T
        # scikit-learn's linear models store a plain 0.0 without an intercept.
        icpt = solution.intercept
        self.intercept_ = (icpt[0] if data.one_target else icpt) if fact.fit_intercept else 0.0
        phi = phi[:, 0] if phi.ndim == 2 and phi.shape[1] == 1 else phi
        self.filter_factors_ = phi.astype(fact.dtype)
        dof = phi.sum(axis=0)
        self.effective_dof_ = float(dof) if np.ndim(dof) == 0 else dof
        self.singular_values_ = fact.singular_values
        self.threshold_ = float(tau)
        self.rank_ = int(np.sum(kept))
        refined = f"+refined({solution.steps})" if solution.steps else ""
        self.solver_ = fact.driver + refined
        self.factorization_ = fact.compact()  # without U or the reflectors (m rows)
        if alpha is not None:
            self.alpha_ = alpha
        if data.namespace is not None:
            self._to_namespace(*data.namespace)

    def _to_namespace(self, xp, device):
        for name in ("coef_", "intercept_", "singular_values_", "filter_factors_",
                     "effective_dof_", "alpha_"):
            if name in vars(self):
                setattr(self, name, _array_api.to_namespace(getattr(self, name), xp, device))

    def _warn_accuracy(self, solution):
        """The :class:`AccuracyWarning` a solution asks for, with this estimator's advice."""
        if solution.reason is None:
            return
        what = _WHAT[solution.reason].format(dropped=solution.dropped)
        digits = max(0.0, -np.log10(max(solution.estimate, 1e-300)))
        warn_user(
            f"{type(self).__name__}: {what}; the coefficients may have only about "
            f"{digits:.0f} correct digits. {self._accuracy_advice(solution.reason)} "
            "precision='fast' skips this check.",
            AccuracyWarning,
        )

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
        if _dask.is_dask_array(X):
            return _dask.predict(X, self.coef_, self.intercept_, self.n_features_in_)
        # Array API inputs must come in the namespace and device of the fit
        # (scikit-learn's rule: no silent transfers between devices).
        check_same_namespace(X, self, attribute="coef_", method="predict")
        X = validate_data(self, X, reset=False, dtype=_array_api.float_dtypes(X),
                          accept_sparse=SPARSE_FORMATS)
        return _array_api.linear_predict(X, self.coef_, self.intercept_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.input_tags.sparse = True
        tags.array_api_support = True
        return tags



def penalty(alpha):
    """The ridge penalty per target that refinement needs (0 for the pseudoinverse)."""
    return np.zeros(1) if alpha is None else np.atleast_1d(np.asarray(alpha, np.float64))
