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

# Use the QR route when m >= ratio * n. Below it the extra QR costs more than
# building U saves (benchmarks/bench_fit.py measures the crossover).
QR_ASPECT_RATIO = 1.5


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


def safe_norms(A):
    """Column 2-norms of ``A`` without overflow or underflow in the squares."""
    scale = np.max(np.abs(A), axis=0) if A.shape[0] else np.zeros(A.shape[1], A.dtype)
    scale = np.where(scale > 0, scale, 1)
    return scale * np.sqrt(np.sum((A / scale) ** 2, axis=0))


def _weighted_mean(A, sw):
    # A matrix-vector product: no temporary the size of A.
    return A.mean(axis=0) if sw is None else (sw @ A) / sw.sum()


def _center(A, sw, fit_intercept, in_place):
    """Centre and weight ``A`` (2-D); return it (a copy unless in_place) and its offset."""
    if not in_place:
        A = np.array(A, order="F", copy=True)
    offset = np.zeros(A.shape[1], A.dtype)
    if fit_intercept:
        # The second pass over the residual of the first mean recovers the
        # digits a large offset (years ~ 1950, x + 1e6) would cost.
        for _ in range(2):
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
    """Householder QR of ``A`` in place; returns (packed QR, tau)."""
    geqrf, geqrf_lwork = lapack.get_lapack_funcs(("geqrf", "geqrf_lwork"), (A,))
    work, info = geqrf_lwork(*A.shape)
    lwork = max(int(work.real), 1) if info == 0 else max(A.shape[1] * 64, 1)
    qr, tau, _, info = geqrf(A, lwork=lwork, overwrite_a=True)
    if info != 0:  # only for illegal arguments, i.e. a bug here
        raise RuntimeError(f"LAPACK geqrf failed with info={info}.")
    return qr, tau


def _apply_qt(qr, tau, Y):
    """``Q^T Y`` for the Householder ``Q`` packed in ``qr`` (never formed)."""
    ormqr = lapack.get_lapack_funcs("ormqr", (qr,))
    lwork = max(Y.shape[1], 1) * 64  # LAPACK's block size; needs >= n_columns
    qty, _, info = ormqr("L", "T", qr, tau, Y, lwork, overwrite_c=True)
    if info != 0:
        raise RuntimeError(f"LAPACK ormqr failed with info={info}.")
    return qty


def _factor_tall(Xc, Yc):
    n = Xc.shape[1]
    qr, tau = _qr_r(Xc)
    R = np.triu(qr[:n, :])
    QtY = _apply_qt(qr, tau, Yc)
    Ur, s, Vt, driver = svd(R)
    return s, Vt.T, Ur.T @ QtY[:n], safe_norms(QtY[n:]), "qr+" + driver, None


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
    # In place only on the QR route: the SVD route must be able to rebuild
    # Xc from X if gesdd fails and its fallback needs a fresh copy.
    in_place = tall and not copy and X.flags.f_contiguous and X.flags.writeable
    Xc, x_off = _center(X, sample_weight, fit_intercept, in_place)
    Yc, y_off = _center(Y, sample_weight, fit_intercept, False)
    if tall:
        parts = _factor_tall(Xc, Yc)
    else:
        rebuild = lambda: _center(X, sample_weight, fit_intercept, False)[0]  # noqa: E731
        parts = _factor_direct(Xc, Yc, keep_U, rebuild)
    s, V, z, res, driver, U = parts
    return Factorization(
        singular_values=s, V=V, z=z, residual_norms=res, X_offset=x_off,
        y_offset=y_off, shape=(m, n), fit_intercept=fit_intercept,
        driver=driver, U=U,
    )
