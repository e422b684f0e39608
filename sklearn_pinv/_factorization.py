"""The numerical core: one spectral factorization of a centred, weighted problem.

Every fit solves ``min ||W^(1/2) (y - X w - b)||^2`` (plus ``alpha ||w||^2``).
With ``Xc = W^(1/2) (X - x_mean) = U diag(s) V^T`` we keep ``s``, ``V``,
``z = U^T W^(1/2) (y - y_mean)`` and the norm of the part of ``y`` outside the
range of ``U``. Any truncation or Tikhonov solution, residual norm or GCV value
then costs ``O(n k)``: the estimators never refactor for a new ``tol``/``alpha``.

Tall ``X`` goes through a Householder QR (R only; ``Q^T y`` is applied without
ever forming ``Q``) and the SVD of the small triangular factor: backward stable,
no ``X^T X``, and cheaper than the SVD of ``X`` because ``U`` is never built.
Other shapes take the SVD of ``Xc`` directly.
"""

from dataclasses import dataclass

import numpy as np
from scipy import linalg
from scipy.linalg import lapack

__all__ = ["Factorization", "factorize", "svd"]

# Use the QR route when m >= ratio * n. Measured (benchmarks/bench_fit.py and
# n=1000, one thread): a tie with the direct SVD at m = n, QR+SVD(R) 17%
# faster at m = 1.25 n and 26% at 1.5 n. Square stays direct: gesdd's own
# workspace makes the QR route's extra R copies cost more memory there.
QR_ASPECT_RATIO = 1.2

# geqrt block size: about a quarter of the columns, within [16, 48]. Measured
# best (2 threads): 12-24 for 50 columns, 48 for 200, 48-128 for 1000.
_QR_BLOCK_MIN, _QR_BLOCK_MAX = 16, 48

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
        Right singular vectors.
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

    @property
    def dtype(self):
        """The floating dtype of the data (its eps drives the policies)."""
        return self.singular_values.dtype

    def solve(self, d):
        """Coefficients ``V diag(d) z`` of shape (n_features, n_targets).

        ``d`` holds ``phi_i / s_i`` (filter factor over singular value) per
        singular value, shape ``(k,)`` or ``(k, n_targets)``.
        """
        d = d if d.ndim == 2 else d[:, None]
        return self.V @ (d * self.z)

    def intercept(self, coef):
        """Intercepts ``y_mean - x_mean . w`` for ``coef`` of shape (n_features, n_targets)."""
        if not self.fit_intercept:
            return np.zeros_like(self.y_offset)
        return self.y_offset - self.X_offset @ coef


def safe_norms(A, block=8192):
    """Column 2-norms of ``A`` without overflow or underflow in the squares.

    Tall ``A`` goes by blocks of rows (then the norms of the block norms), so
    the scaled temporaries stay small whatever the number of rows.
    """
    if A.shape[0] > block:
        parts = [safe_norms(A[i:i + block]) for i in range(0, A.shape[0], block)]
        return safe_norms(np.array(parts))
    scale = np.max(np.abs(A), axis=0) if A.shape[0] else np.zeros(A.shape[1], A.dtype)
    scale = np.where(scale > 0, scale, 1)
    return scale * np.sqrt(np.sum((A / scale) ** 2, axis=0))


def _weighted_mean(A, sw):
    # A matrix-vector product: no temporary the size of A.
    return A.mean(axis=0) if sw is None else (sw @ A) / sw.sum()


def _center(A, sw, fit_intercept, in_place):
    """Centre and weight ``A`` (2-D); return it (a copy unless in_place) and its offset."""
    offset = np.zeros(A.shape[1], A.dtype)
    if not in_place:
        # One pass writes the centred Fortran copy that LAPACK wants (numpy's
        # strided subtract is no slower than a plain C->F copy).
        if fit_intercept:
            offset = _weighted_mean(A, sw).astype(A.dtype, copy=False)
        out = np.empty(A.shape, A.dtype, order="F")
        A = np.subtract(A, offset, out=out)
    if fit_intercept:
        # The pass over the residual of the first mean recovers the digits a
        # large offset (years ~ 1950, x + 1e6) would cost.
        for _ in range(2 if in_place else 1):
            step = _weighted_mean(A, sw).astype(A.dtype, copy=False)
            A -= step
            offset += step
    if sw is not None:
        A *= np.sqrt(sw)[:, None]
    return A, offset


def svd(A, rebuild=None):
    """Thin SVD with LAPACK's divide and conquer, falling back to QR iteration.

    ``gesdd`` can fail to converge where ``gesvd`` succeeds. ``A`` is
    overwritten when ``rebuild`` (a function returning a fresh ``A`` for the
    fallback) is given, else it is kept. Returns ``(U, s, Vt, driver)``; if
    both drivers fail, the ``LinAlgError`` says so.
    """
    overwrite_a = rebuild is not None
    try:
        U, s, Vt = linalg.svd(
            A, full_matrices=False, overwrite_a=overwrite_a, check_finite=False,
            lapack_driver="gesdd",
        )
        return U, s, Vt, "gesdd"
    except linalg.LinAlgError:
        A = rebuild() if overwrite_a else A
    try:
        U, s, Vt = linalg.svd(
            A, full_matrices=False, overwrite_a=overwrite_a, check_finite=False,
            lapack_driver="gesvd",
        )
        return U, s, Vt, "gesvd"
    except linalg.LinAlgError as exc:
        raise linalg.LinAlgError(
            f"The SVD of the {A.shape[0]}x{A.shape[1]} centred design did not "
            "converge with LAPACK's gesdd nor with gesvd. Check X for extreme "
            "values or rescale its columns."
        ) from exc


def _qr_r(A):
    """Householder QR of ``A`` in place, Q never formed; returns (packed QR, T).

    ``geqrt`` rather than ``geqrf``: its recursive panel factorization
    (``geqrt3``) runs at Level-3 speed where ``geqrf``'s ``geqr2`` panels are
    Level-2 and memory bound (measured 2-2.7x faster on 100000x200, 1 thread).
    """
    if min(A.shape) == 0:
        return A, np.zeros((1, 0), A.dtype)
    geqrt = lapack.get_lapack_funcs("geqrt", (A,))
    nb = min(max(A.shape[1] // 4, _QR_BLOCK_MIN), _QR_BLOCK_MAX, *A.shape)
    qr, T, info = geqrt(nb, A, overwrite_a=True)
    if info != 0:  # only for illegal arguments, i.e. a bug here
        raise RuntimeError(f"LAPACK geqrt failed with info={info}.")
    return qr, T


def _apply_qt(qr, T, Y):
    """``Q^T Y`` for the Householder ``Q`` packed in ``qr`` and ``T`` (never formed)."""
    if min(qr.shape) == 0:
        return Y
    gemqrt = lapack.get_lapack_funcs("gemqrt", (qr,))
    qty, info = gemqrt(qr[:, : T.shape[1]], T, Y, side="L", trans="T", overwrite_c=True)
    if info != 0:
        raise RuntimeError(f"LAPACK gemqrt failed with info={info}.")
    return qty


def _write_centred(A, sw, center, out):
    """``out[:] = sqrt(w) (A - mean)`` in one pass; returns the mean (or zeros).

    Writing straight into LAPACK's Fortran array makes the centring free:
    numpy's strided subtract costs no more than a plain C->F copy.
    """
    mean = _weighted_mean(A, sw).astype(A.dtype) if center else np.zeros(A.shape[1], A.dtype)
    np.subtract(A, mean, out=out)
    if sw is not None:
        out *= np.sqrt(sw).astype(A.dtype)[:, None]
    return mean


def _tall_r(X, Y, sw, fit_intercept):
    """R factor of ``[sqrt(w) | Xc | Yc]``: ``(R, residual norms, X_offset, y_offset)``.

    ``R`` of shape (n, n + t) is ``[Rxx, Q1^T Yc]`` for the data centred on
    their exact weighted mean. With an intercept the leading column
    ``sqrt(w)`` replaces a second centring pass: the QR's trailing block is
    exactly the centred problem's R, and row 0 of ``Q^T A`` divided by
    ``R[0, 0]`` is the mean that the first pass missed (large offsets).
    Targets ride along as extra QR columns (cheaper than applying ``Q^T``
    afterwards) unless they would make the buffer much larger than ``X``;
    then ``Q^T`` is applied to a few at a time, so peak memory stays near
    ``X.nbytes``. The m-row buffer is freed on return, before the SVD.
    """
    (m, n), t, lead = X.shape, Y.shape[1], int(fit_intercept)
    width = max(n // _X_COLUMNS_PER_EXTRA, 2)
    inner = t if lead + t <= width else 0
    k = lead + n
    A = np.empty((m, k + inner), X.dtype, order="F")
    A[:, :lead] = 1 if sw is None else np.sqrt(sw).astype(X.dtype)[:, None]
    means = [_write_centred(X, sw, lead, A[:, lead:k]),
             _write_centred(Y[:, :inner], sw, lead, A[:, k:])]
    qr, T = _qr_r(A)
    tops = [np.triu(qr[:k, :k]), qr[:k, k:].copy()]
    res = [safe_norms(np.triu(qr[k:k + inner, k:]))]
    C = np.empty((m, min(width, t - inner)), X.dtype, order="F")  # one buffer, reused
    for j in range(inner, t, width):
        Cj = C[:, :min(width, t - j)]  # leading columns: still Fortran-contiguous
        means.append(_write_centred(Y[:, j:j + width], sw, lead, Cj))
        QtC = _apply_qt(qr, T, Cj)
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
    Xc, x_off = _center(X, sw, fit_intercept, in_place=True)
    Yc, y_off = _center(Y, sw, fit_intercept, in_place=False)
    qr, T = _qr_r(Xc)
    QtY = _apply_qt(qr, T, Yc)
    return _spectrum_of_r(np.triu(qr[:n]), QtY[:n], safe_norms(QtY[n:])), x_off, y_off


def _factor_direct(Xc, Yc, keep_U, rebuild):
    U, s, Vt, driver = svd(Xc, rebuild=rebuild)
    z = U.T @ Yc
    return s, Vt.T, z, safe_norms(Yc - U @ z), driver, (U if keep_U else None)


def factorize(X, Y, sample_weight=None, fit_intercept=True, copy=True, keep_U=False):
    """Factor the centred, weighted least-squares problem of ``X`` and ``Y``.

    Parameters
    ----------
    X : ndarray of shape (m, n), floating
        Validated, finite design matrix.
    Y : ndarray of shape (m, t)
        Validated targets, in ``X``'s dtype.
    sample_weight : ndarray of shape (m,) or None
        Non-negative weights.
    fit_intercept : bool
        Centre ``X`` and ``Y`` on their weighted means.
    copy : bool
        If False and ``X`` is a Fortran-ordered writeable float array, it is
        centred and factored in place (saving a copy of ``X``).
    keep_U : bool
        Keep the left singular vectors (needed for leave-one-out).

    Returns
    -------
    Factorization
    """
    m, n = X.shape
    tall = m >= QR_ASPECT_RATIO * n and m > n and not keep_U
    if tall and not copy and X.flags.f_contiguous and X.flags.writeable:
        parts, x_off, y_off = _factor_tall_in_place(X, Y, sample_weight, fit_intercept)
    elif tall:
        parts, x_off, y_off = _factor_tall(X, Y, sample_weight, fit_intercept)
    else:
        # The SVD overwrites Xc; if gesdd fails, gesvd gets a fresh copy.
        Xc, x_off = _center(X, sample_weight, fit_intercept, False)
        Yc, y_off = _center(Y, sample_weight, fit_intercept, False)
        rebuild = lambda: _center(X, sample_weight, fit_intercept, False)[0]  # noqa: E731
        parts = _factor_direct(Xc, Yc, keep_U, rebuild)
    s, V, z, res, driver, U = parts
    return Factorization(
        singular_values=s, V=V, z=z, residual_norms=res, X_offset=x_off,
        y_offset=y_off, shape=(m, n), fit_intercept=fit_intercept,
        driver=driver, U=U,
    )
