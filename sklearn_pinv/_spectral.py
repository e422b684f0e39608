"""The numerical core: one spectral factorization of a centred, weighted problem.

Every fit solves ``min ||W^(1/2) (y - X w - b)||^2`` (plus ``alpha ||w||^2``).
With ``Xc = W^(1/2) (X - x_mean) = U diag(s) V^T`` we keep ``s``, ``V``,
``z = U^T W^(1/2) (y - y_mean)`` and the norm of the part of ``y`` outside the
range of ``U``. Every estimator is then a *filter* on the spectrum,
``w = V diag(phi / s) z``: ``phi = 1`` on kept directions for the
pseudoinverse, ``s^2 / (s^2 + alpha)`` for Tikhonov. Any solution, residual
norm or GCV value costs ``O(n k)``: nothing is refactored for a new
``tol``/``alpha``.

Tall ``X`` goes through a Householder QR (R only; ``Q^T y`` is applied without
ever forming ``Q``) and the SVD of the small triangular factor: backward stable,
no ``X^T X``, and cheaper than the SVD of ``X`` because ``U`` is never built.
Other shapes take the SVD of ``Xc`` directly.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.utils.validation import check_X_y

from ._cache import cached
from ._compat import check_sample_weight, validate_params
from ._numerics import apply_qt, centre, qr_r, safe_norms, svd

__all__ = ["Factorization", "factorize", "factorize_arrays", "truncation_factors",
           "tikhonov_factors"]

# Use the QR route when m >= ratio * n. Measured (benchmarks/bench_fit.py and
# n=1000, one thread): a tie with the direct SVD at m = n, QR+SVD(R) 17%
# faster at m = 1.25 n and 26% at 1.5 n. Square stays direct: gesdd's own
# workspace makes the QR route's extra R copies cost more memory there.
QR_ASPECT_RATIO = 1.2

# Targets share the QR buffer with X while they add at most 1/8 of X's
# columns (peak memory <= ~1.13 X); beyond, Q^T is applied in such chunks.
_X_COLUMNS_PER_EXTRA = 8


@dataclass(frozen=True, eq=False)
class Factorization:
    """The spectral factorization of a centred, weighted least-squares problem.

    Attributes
    ----------
    singular_values : ndarray of shape (k,)
        Singular values of ``Xc``, in decreasing order (``k = min(m, n)``).
    V : ndarray of shape (n_features, k)
        Right singular vectors (mapped back to the columns of ``X`` when the
        columns were equilibrated; see ``column_scale``).
    z : ndarray of shape (k, n_targets)
        ``U^T yc``, the coordinates of the centred, weighted targets.
    residual_norms : ndarray of shape (n_targets,)
        ``||yc - U z||``: the part of each target no linear model can fit.
    X_offset : ndarray of shape (n_features,)
        Weighted column means subtracted from ``X`` (zeros without intercept).
    y_offset : ndarray of shape (n_targets,)
        Weighted means subtracted from ``y``.
    shape : tuple of int
        ``(m, n)``, the shape of ``X`` as given.
    fit_intercept : bool
        Whether the data were centred (the intercept is one more parameter).
    driver : str
        The route and LAPACK driver that ran, e.g. ``"qr+gesdd"``.
    U : ndarray of shape (m, k) or None
        Left singular vectors of ``Xc``, kept only on request.
    column_scale : ndarray of shape (n_features,) or None
        Powers of two the columns were divided by before the SVD
        (``precision="high"``): the spectrum is that of ``Xc / column_scale``
        and ``V`` is ``V_scaled / column_scale[:, None]``, so ``solve``
        returns coefficients of ``X`` itself.
    data_dtype : dtype or None
        The dtype of the data when the arrays are wider (``float32`` data
        factored in ``float64`` to score candidates as ``RidgeCV`` does):
        it sets :attr:`dtype`, hence the policies' eps and the dtype of
        the solutions.
    """

    singular_values: np.ndarray
    V: np.ndarray
    z: np.ndarray
    residual_norms: np.ndarray
    X_offset: np.ndarray
    y_offset: np.ndarray
    shape: tuple
    fit_intercept: bool
    driver: str
    U: np.ndarray = None
    column_scale: np.ndarray = None
    data_dtype: object = None

    @property
    def dtype(self):
        """The floating dtype of the data (its eps drives the policies)."""
        return np.dtype(self.singular_values.dtype if self.data_dtype is None else self.data_dtype)

    def solve(self, phi):
        """Coefficients ``V diag(phi / s) z``, shape (n_features, n_targets).

        ``phi`` holds filter factors of shape ``(k,)`` or ``(k, n_targets)``.
        ``phi z / s`` is formed in that order, so a subnormal kept ``s``
        does not overflow ``1 / s``.
        """
        phi = phi if phi.ndim == 2 else phi[:, None]
        s = self.singular_values.astype(np.float64)[:, None]
        weighted = phi * self.z
        coords = np.divide(weighted, s, out=np.zeros_like(weighted, dtype=np.float64),
                           where=(phi > 0) & (s > 0))
        return (self.V @ coords.astype(self.V.dtype)).astype(self.dtype, copy=False)

    def intercept(self, coef):
        """Intercepts ``y_mean - x_mean . w`` for ``coef`` of shape (n_features, n_targets)."""
        if not self.fit_intercept:
            return np.zeros(self.y_offset.shape, self.dtype)
        return (self.y_offset - self.X_offset @ coef).astype(self.dtype, copy=False)


def truncation_factors(singular_values, kept):
    """Filter factors of the truncated SVD: 1 on kept values, 0 elsewhere; shape (k,)."""
    return (np.asarray(kept, dtype=bool) & (singular_values > 0)).astype(np.float64)


def tikhonov_factors(singular_values, kept, alphas, scale=1.0):
    """Tikhonov filter factors ``s^2 / (s^2 + alpha)`` on kept values; shape (k, c).

    ``alphas`` are in units of ``scale**2`` (``scale = s_max`` for alphas
    relative to the spectrum). Written as ``1 / (1 + (sqrt(alpha) scale /
    s)^2)``: no ``s^2`` is formed, so neither huge ``s`` (``X * 1e160``)
    overflows nor tiny ``s`` underflows; a ratio beyond the float range
    saturates to ``phi = 0``, its correct limit. This is the one Tikhonov
    filter of the package.
    """
    s = np.asarray(singular_values, dtype=np.float64)[:, None]
    root = np.sqrt(np.asarray(alphas, dtype=np.float64).reshape(1, -1)) * float(scale)
    mask = np.asarray(kept, dtype=bool)[:, None] & (s > 0)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        phi = 1.0 / (1.0 + (root / np.where(mask, s, 1.0)) ** 2)
    return np.where(mask, phi, 0.0)


# ------------------------------------------------------------------ routes
def _tall_r(X, Y, sw, fit_intercept):
    """R factor of ``[sqrt(w) | Xc | Yc]``: ``(R, residual norms, X_offset, y_offset)``.

    ``R`` of shape (n, n + t) is ``[Rxx, Q1^T Yc]`` for the data centred on
    their exact weighted mean. With an intercept the leading column
    ``sqrt(w)`` replaces a second centring pass: the QR's trailing block is
    exactly the centred problem's R, and row 0 of ``Q^T A`` divided by
    ``R[0, 0]`` is the mean that the first pass missed (large offsets).
    Targets ride along as extra QR columns unless they would make the
    buffer much larger than ``X``; then ``Q^T`` is applied to a few at a
    time, so peak memory stays near ``X.nbytes``. The m-row buffer is freed
    on return, before the SVD.
    """
    (m, n), t, lead = X.shape, Y.shape[1], int(fit_intercept)
    width = max(n // _X_COLUMNS_PER_EXTRA, 2)
    inner = t if lead + t <= width else 0
    k = lead + n
    A = np.empty((m, k + inner), X.dtype, order="F")
    A[:, :lead] = 1 if sw is None else np.sqrt(sw).astype(X.dtype)[:, None]
    means = [centre(X, sw, lead, out=A[:, lead:k], correct=False)[1],
             centre(Y[:, :inner], sw, lead, out=A[:, k:], correct=False)[1]]
    qr, T = qr_r(A)
    tops = [np.triu(qr[:k, :k]), qr[:k, k:].copy()]
    res = [safe_norms(np.triu(qr[k:k + inner, k:]))]
    C = np.empty((m, min(width, t - inner)), X.dtype, order="F")  # one buffer, reused
    for j in range(inner, t, width):
        Cj = C[:, :min(width, t - j)]  # leading columns: still Fortran-contiguous
        means.append(centre(Y[:, j:j + width], sw, lead, out=Cj, correct=False)[1])
        QtC = apply_qt(qr, T, Cj)
        tops.append(QtC[:k].copy())
        res.append(safe_norms(QtC[k:]))
    R, offsets = np.hstack(tops), np.concatenate(means)
    if lead:
        offsets += R[0, 1:] / R[0, 0]
    return R[lead:, lead:], np.concatenate(res), offsets[:n], offsets[n:]


def _spectrum_of_r(Rxx, Rxy, res):
    """sigma, V, z from the SVD of the small triangular ``Rxx``."""
    # A Fortran copy that gesdd may overwrite (f2py would copy anyway).
    Ur, s, Vt, driver = svd(np.array(Rxx, order="F"), rebuild=lambda: np.array(Rxx, order="F"))
    return s, Vt.T, Ur.T @ Rxy, res, "qr+" + driver, None


def _factor_tall(X, Y, sw, fit_intercept):
    n = X.shape[1]
    R, res, x_off, y_off = _tall_r(X, Y, sw, fit_intercept)
    return _spectrum_of_r(R[:, :n], R[:, n:], res), x_off, y_off


def _factor_tall_in_place(X, Y, sw, fit_intercept):
    # copy_X=False: X itself is centred and factored; only y is copied.
    n = X.shape[1]
    Xc, x_off = centre(X, sw, fit_intercept, out=X)
    Yc, y_off = centre(Y, sw, fit_intercept)
    qr, T = qr_r(Xc)
    QtY = apply_qt(qr, T, Yc)
    return _spectrum_of_r(np.triu(qr[:n]), QtY[:n], safe_norms(QtY[n:])), x_off, y_off


def _factor_direct(X, Y, sw, fit_intercept, keep_U):
    # The SVD overwrites Xc; if gesdd fails, gesvd gets a fresh copy.
    Xc, x_off = centre(X, sw, fit_intercept)
    Yc, y_off = centre(Y, sw, fit_intercept)
    U, s, Vt, driver = svd(Xc, rebuild=lambda: centre(X, sw, fit_intercept)[0])
    z = U.T @ Yc
    parts = s, Vt.T, z, safe_norms(Yc - U @ z), driver, (U if keep_U else None)
    return parts, x_off, y_off


def _compute(X, Y, sample_weight, fit_intercept, in_place, keep_U):
    m, n = X.shape
    tall = m >= QR_ASPECT_RATIO * n and m > n and not keep_U
    if tall and in_place:
        parts, x_off, y_off = _factor_tall_in_place(X, Y, sample_weight, fit_intercept)
    elif tall:
        parts, x_off, y_off = _factor_tall(X, Y, sample_weight, fit_intercept)
    else:
        parts, x_off, y_off = _factor_direct(X, Y, sample_weight, fit_intercept, keep_U)
    s, V, z, res, driver, U = parts
    return Factorization(
        singular_values=s, V=V, z=z, residual_norms=res, X_offset=x_off,
        y_offset=y_off, shape=(m, n), fit_intercept=bool(fit_intercept),
        driver=driver, U=U,
    )


def factorize_arrays(X, Y, sample_weight=None, fit_intercept=True, copy=True, keep_U=False):
    """:func:`factorize` of validated arrays: float ``X`` (m, n), ``Y`` (m, t) in its dtype.

    ``copy=False`` lets a tall, Fortran-ordered, writeable ``X`` be centred
    and factored in place (``X`` is destroyed). With the factorization
    cache on (:func:`sklearn_pinv.set_config`), the result may be a copy of
    one computed before for the same data.
    """
    m, n = X.shape
    in_place = not copy and X.flags.f_contiguous and X.flags.writeable
    k, t = min(m, n), Y.shape[1]
    expected = X.itemsize * (k * (1 + n + t + (m if keep_U else 0)) + 2 * (n + t))
    options = ("dense", bool(fit_intercept), bool(keep_U))
    return cached(
        lambda: _compute(X, Y, sample_weight, fit_intercept, in_place, keep_U),
        (X, Y, sample_weight), options, expected,
    )


@validate_params(
    {"X": ["array-like"], "y": ["array-like"], "sample_weight": ["array-like", None],
     "fit_intercept": ["boolean"], "keep_U": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def factorize(X, y, sample_weight=None, *, fit_intercept=True, keep_U=False):
    """Factor the centred, weighted least-squares problem of ``X`` and ``y``.

    The one factorization every estimator of this package is built on: any
    truncation or Tikhonov solution, residual norm or GCV value follows
    from it in ``O(n k)``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Design matrix (``float32`` stays ``float32``).
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
        Targets.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights.
    fit_intercept : bool, default=True
        Centre ``X`` and ``y`` on their weighted means.
    keep_U : bool, default=False
        Keep the left singular vectors (``m x k``; leave-one-out needs them).

    Returns
    -------
    factorization : Factorization

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import factorize
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [3.0], [4.0]])
    >>> fact = factorize(X, [2.0, 4.0, 0.0, 2.0, 5.0, 3.0])
    >>> round(float(fact.solve(np.ones(1))[0, 0]), 12)  # the least-squares slope, 14/65
    0.215384615385
    """
    X, y = check_X_y(X, y, dtype=[np.float64, np.float32], multi_output=True, y_numeric=True)
    Y = np.asarray(y, dtype=X.dtype).reshape(X.shape[0], -1)
    if sample_weight is not None:
        sample_weight = check_sample_weight(sample_weight, X)
    return factorize_arrays(X, Y, sample_weight, fit_intercept, keep_U=keep_U)
