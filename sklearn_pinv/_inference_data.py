"""The fit's data for inference, and the checks that they are the fit's.

``inference`` recomputes residuals and, for the robust covariances, ``U``
from ``X``: it must be given the data of the fit. What is checked, each to a
relative ``sqrt(eps)`` of the fit's dtype, costs a few passes over ``X``:

* the shapes, feature names and number of targets;
* with an intercept, the weighted column means of ``X`` and ``y`` against
  the factorization's ``X_offset`` and ``y_offset``;
* a random sketch of the centred, weighted ``Xw``: ``||Xw V g||^2`` against
  ``||S g||^2`` (``Xw V = U S`` even for an equilibrated ``V``) and
  ``(Xw V g)^T yc`` against ``(S g)^T z``;
* the weighted RSS of the estimator's own ``coef_`` and ``intercept_`` on
  ``X`` and ``y`` against the RSS the factorization implies.
"""

import numpy as np
from scipy import sparse
from sklearn.utils.validation import validate_data

from ._compat import check_sample_weight

__all__ = ["FitData", "check_same_data"]


class FitData:
    """The fit's data in float64: X centred on X_offset, weights, weighted residuals."""

    def __init__(self, estimator, fact, X, y, sample_weight):
        self.y_name = _target_names(y)
        X, self.Y = _validated(estimator, fact, X, y)
        self.x_offset = np.asarray(fact.X_offset, dtype=np.float64)
        self.X = X.astype(np.float64)  # a copy: X is never modified
        if not sparse.issparse(X):
            self.X -= self.x_offset  # centred first: large offsets cancel exactly here
        sw = None if sample_weight is None else check_sample_weight(sample_weight, X)
        self.weights = np.ones(X.shape[0]) if sw is None else sw.astype(np.float64)
        self.q, self.weight_sum = np.sqrt(self.weights), float(np.sum(self.weights))
        self.n_obs = int(np.count_nonzero(self.weights))
        self.coef, self.intercept = _estimates(estimator, X.shape[1], self.Y.shape[1])
        # Residuals of the centred data; `shift` is only the fit's rounding.
        y_offset = np.asarray(fact.y_offset, np.float64)
        shift = self.intercept - (y_offset - self.x_offset @ self.coef.T) * fact.fit_intercept
        yc = self.Y - y_offset
        self.resid = self.q[:, None] * (yc - self.xc_times(self.coef.T) - shift)

    def xc_times(self, M):
        """``(X - x_offset) @ M`` (not yet weighted)."""
        if sparse.issparse(self.X):
            return self.X @ M - self.x_offset @ M
        return self.X @ M


def _validated(estimator, fact, X, y):
    """``X`` and ``Y`` (2-D, float64) checked against the fit's shapes and feature names."""
    X, y = validate_data(estimator, X, y, reset=False, multi_output=True, y_numeric=True,
                         dtype=[np.float64, np.float32], accept_sparse=("csr", "csc"))
    Y = np.asarray(y, dtype=np.float64).reshape(X.shape[0], -1)
    (m, _), t = fact.shape, fact.z.shape[1]
    if X.shape[0] != m or Y.shape[1] != t:
        raise ValueError(
            f"X and y differ from the fit: it had {m} samples and {t} target(s), "
            f"got {X.shape[0]} and {Y.shape[1]}."
        )
    return X, Y


def _estimates(estimator, n_features, n_targets):
    coef = np.asarray(estimator.coef_, dtype=np.float64).reshape(n_targets, n_features)
    intercept = np.asarray(estimator.intercept_, dtype=np.float64)
    return coef, np.broadcast_to(intercept.reshape(-1), (n_targets,))


def _target_names(y):
    """``y``'s column names or name (pandas), else statsmodels' ``y`` (``y1``, ...)."""
    if getattr(y, "columns", None) is not None:
        return tuple(str(c) for c in y.columns)
    if np.ndim(y) == 2 and np.shape(y)[1] > 1:
        return tuple(f"y{j + 1}" for j in range(np.shape(y)[1]))
    name = getattr(y, "name", None)
    return ("y" if name is None else str(name),)


def check_same_data(fact, data, rss, tss):
    """Fail when X, y or the weights cannot be those the factorization came from."""
    eps = float(np.finfo(fact.singular_values.dtype).eps)
    rtol = np.sqrt(eps)
    # A constant y has tss ~ 0: the rounding of its centring is the floor.
    ref = np.maximum(tss, eps * (data.weights @ data.Y**2))
    problems = []
    if fact.fit_intercept:
        x_mean, x_scale = _centred_column_means(data)
        if np.any(np.abs(x_mean) > rtol * x_scale + np.finfo(float).tiny):
            problems.append("the weighted column means of X are not the fit's X_offset")
        y_mean = data.weights @ data.Y / data.weight_sum
        if np.any(np.abs(y_mean - fact.y_offset) > rtol * np.max(np.abs(data.Y), axis=0)):
            problems.append("the weighted mean of y is not the fit's y_offset")
    # A random sketch of Xw: Xw V g = U S g, and (U S g)^T yc = (S g)^T z.
    s, V = np.asarray(fact.singular_values, np.float64), np.asarray(fact.V, np.float64)
    g = np.random.default_rng(0).standard_normal(s.size)
    u, sg = data.q * data.xc_times(V @ g), s * g
    if abs(u @ u - sg @ sg) > rtol * (sg @ sg):
        problems.append("X is not the matrix whose singular values the fit stored")
    yc = data.q[:, None] * (data.Y - np.asarray(fact.y_offset, np.float64))
    if np.any(np.abs(u @ yc - sg @ fact.z) > rtol * np.sqrt(sg @ sg) * np.sqrt(ref)):
        problems.append("y (or X) does not project onto the fit's singular vectors as stored")
    if np.any(np.abs(np.sum(data.resid**2, axis=0) - rss) > rtol * ref):
        problems.append("the residuals of coef_ and intercept_ on X, y do not give the fit's "
                        "RSS (or the fit is too ill-conditioned for its dtype to reproduce "
                        "its own residuals)")
    if problems:
        raise ValueError(
            "X, y or sample_weight differ from those the estimator was fitted on: "
            + "; ".join(problems) + "."
        )


def _centred_column_means(data):
    """Weighted column means of ``X - x_offset`` (0 for the fit's X) and column scales."""
    mean = data.X.T @ data.weights / data.weight_sum
    if sparse.issparse(data.X):  # X itself was not centred
        scale = abs(data.X).max(axis=0).toarray().ravel()
        return mean - data.x_offset, scale + np.abs(data.x_offset)
    return mean, np.max(np.abs(data.X), axis=0, initial=0.0) + np.abs(data.x_offset)
