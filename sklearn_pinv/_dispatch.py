"""Routes for inputs beyond dense NumPy: sparse, dask, array API, and partial_fit.

The estimators stay thin: ``fit`` asks :func:`fit_other_input` first and
falls back to the dense in-memory route only when it declines; ``partial_fit``
is :func:`partial_fit`. Every route ends in the same :class:`Factorization`,
so ``_set_solution`` (policies, filters) is shared by all.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from . import _array_api, _dask
from ._compat import check_same_namespace, check_sample_weight, move_to
from ._streaming import RFactor, factorize_sparse

__all__ = ["SPARSE_FORMATS", "fit_other_input", "partial_fit", "fit_seed", "predict"]

SPARSE_FORMATS = ("csr", "csc", "coo")
_FLOATS = [np.float64, np.float32]


@dataclass(frozen=True)
class FitSeed:
    """What a dense ``fit`` leaves for a later ``partial_fit`` to resume from.

    The spectral factorization already holds the centred problem; the total
    weight is the one number it lacks to rebuild the ``sqrt(w)`` row.
    """

    weight_sum: float
    fit_intercept: bool


def fit_seed(sample_weight, n_samples, fit_intercept):
    total = n_samples if sample_weight is None else float(np.sum(sample_weight))
    return FitSeed(float(total), bool(fit_intercept))


def fit_other_input(est, X, y, sample_weight):
    """Fit ``est`` on sparse, dask or array API input; False for dense NumPy."""
    if _dask.is_dask_array(X):
        _fit_dask(est, X, y, sample_weight)
    elif sparse.issparse(X):
        X, Y, sw, one_target = est._validate_fit_data(
            X, y, sample_weight, accept_sparse=SPARSE_FORMATS
        )
        fact, acc = factorize_sparse(X, Y, sw, est.fit_intercept)
        est._set_solution(fact, one_target)
        est._stream = acc
    elif _array_api.namespace(X) is not None:
        _fit_array_api(est, X, y, sample_weight)
    else:
        return False
    return True


def _fit_dask(est, X, y, sample_weight):
    fact, acc, n_targets, one_target = _dask.factorize(
        X, y, sample_weight, est.fit_intercept
    )
    est._check_targets(n_targets)
    for attr in ("feature_names_in_",):  # a dask array has no column names
        vars(est).pop(attr, None)
    est.n_features_in_ = X.shape[1]
    est._set_solution(fact, one_target)
    est._stream = acc


def _fit_array_api(est, X, y, sample_weight):
    from sklearn.utils.validation import validate_data

    xp, device = _array_api.namespace(X)
    # Mixed inputs (y or weights from another namespace) follow X.
    y, sample_weight = move_to(y, sample_weight, xp=xp, device=device)
    X, y = validate_data(
        est, X, y, dtype=_array_api.float_dtypes(X), multi_output=True, y_numeric=True
    )
    Y = xp.reshape(xp.astype(y, X.dtype), (X.shape[0], -1))
    if sample_weight is not None:
        sample_weight = xp.astype(check_sample_weight(sample_weight, X), X.dtype)
    est._check_targets(Y.shape[1])
    fact = _array_api.factorize(X, Y, sample_weight, est.fit_intercept, xp)
    est._set_solution(fact, y.ndim == 1)
    _array_api.move_attributes(est, xp, device)
    est._stream = fit_seed(_array_api.to_numpy(sample_weight), X.shape[0], est.fit_intercept)


def _current_state(est):
    """The stream so far: an :class:`RFactor`, or None before the first batch."""
    state = vars(est).get("_stream")
    if isinstance(state, FitSeed):
        if state.fit_intercept != bool(est.fit_intercept):
            raise ValueError(
                "fit_intercept changed since fit; call fit again instead of "
                "partial_fit to change it."
            )
        return RFactor.from_factorization(est.factorization_, state.weight_sum)
    return state


def partial_fit(est, X, y, sample_weight):
    """Add the rows ``X, y`` to ``est``'s exact least-squares stream.

    All new state is built first and only then stored: a batch that raises
    leaves ``est`` exactly as it was before the call.
    """
    snapshot = dict(vars(est))
    try:
        if _array_api.namespace(X) is not None:  # streams are NumPy/SciPy only
            X, y, sample_weight = (_array_api.to_numpy(a) for a in (X, y, sample_weight))
        state = _current_state(est)
        X, Y, sw, one_target = est._validate_fit_data(
            X, y, sample_weight, reset=state is None, accept_sparse=SPARSE_FORMATS
        )
        if state is None:
            state = RFactor.from_block(X, Y, sw)
        else:
            state = state.update(X, Y, sw)
        est._set_solution(state.to_factorization(est.fit_intercept), one_target)
        est._stream = state
    except BaseException:
        vars(est).clear()
        vars(est).update(snapshot)
        raise
    return est


def predict(est, X):
    """Dask in, dask out; otherwise ``None`` (the estimator's own route runs).

    Array API inputs must come in the namespace and device of the fit
    (scikit-learn's rule: no silent transfers between devices).
    """
    if _dask.is_dask_array(X):
        return _dask.predict(X, est.coef_, est.intercept_, est.n_features_in_)
    check_same_namespace(X, est, attribute="coef_", method="predict")
    return None
