"""Array primitives under the factorization: safe norms and means, centring, LAPACK.

Pure functions of arrays. Every sum of squares is scaled first and every mean
falls back to a scaled computation when the plain one overflows, so data
near the float limits (``1e300``) or in the subnormal range never turns into
``inf``/``nan`` on the way.
"""

import numpy as np
from scipy import linalg
from scipy.linalg import lapack

__all__ = ["safe_norms", "weighted_mean", "centre", "svd", "qr_r", "apply_qt"]

# geqrt block size: about a quarter of the columns, within [16, 48]. Measured
# best (2 threads): 12-24 for 50 columns, 48 for 200, 48-128 for 1000.
_QR_BLOCK_MIN, _QR_BLOCK_MAX = 16, 48


def safe_norms(A, block=2**16):
    """Column 2-norms of ``A`` without overflow or underflow in the squares.

    ``A`` goes by blocks of at most ``block`` elements (rows, and columns
    for wide ``A``; then the norms of the block norms), so the scaled
    temporaries stay small whatever the shape.
    """
    m, n = A.shape
    rows = min(m, max(block // max(n, 1), 8192))
    if m * n > block and n > 1 and rows * n > block:
        step = max(1, block // max(rows, 1))
        return np.concatenate([safe_norms(A[:, j:j + step], block) for j in range(0, n, step)])
    if m > rows:
        parts = [safe_norms(A[i:i + rows], block) for i in range(0, m, rows)]
        return safe_norms(np.array(parts), block)
    scale = np.max(np.abs(A), axis=0) if m else np.zeros(n, A.dtype)
    scale = np.where(scale > 0, scale, 1)
    return scale * np.sqrt(np.sum((A / scale) ** 2, axis=0))


def reduce_columns(X, ufunc):
    """``ufunc.reduce(X, axis=0)``, fast on narrow C-ordered ``X`` too.

    NumPy reduces a C-ordered ``X`` over rows with an inner loop as long as
    a row: with 8 columns that is ~12x slower than a pass over memory. Rows
    are grouped ``k`` at a time into rows of ~256 entries (a free reshape),
    reduced, then the ``k`` groups folded (for max/min the same result; for
    a sum another, equally accurate, order).
    """
    m, n = X.shape
    k = 256 // max(n, 1)
    if k < 2 or not X.flags.c_contiguous or m < 2 * k:
        return ufunc.reduce(X, axis=0)
    q = m // k
    out = ufunc.reduce(ufunc.reduce(X[:q * k].reshape(q, k * n), axis=0).reshape(k, n), axis=0)
    return out if q * k == m else ufunc(out, ufunc.reduce(X[q * k:], axis=0))


def _plain_mean(A, sw):
    # A matrix-vector product: no temporary the size of A.
    if sw is None:
        return reduce_columns(A, np.add) / max(A.shape[0], 1)
    return (sw @ A) / sw.sum()


def weighted_mean(A, sw=None):
    """Weighted column means of ``A`` (2-D) in its dtype, without overflow.

    The plain sum overflows for values near the float limit (three times
    ``6e307``); then the columns are scaled by powers of two (exact) first.
    """
    if sw is not None and not np.isfinite(sw.sum()):  # only the weights' ratios matter
        sw = np.ldexp(sw, -int(np.frexp(np.max(sw))[1]))
    with np.errstate(over="ignore", invalid="ignore"):
        mean = _plain_mean(A, sw)
    if np.all(np.isfinite(mean)):
        return mean.astype(A.dtype, copy=False)
    big = np.max(np.abs(A), axis=0) if A.shape[0] else np.ones(A.shape[1])
    e = np.frexp(np.where(big > 0, big, 1.0))[1]
    return np.ldexp(_plain_mean(np.ldexp(A, -e), sw), e).astype(A.dtype, copy=False)


def centre(A, sw, fit_intercept, out=None, correct=True):
    """``out = sqrt(w) (A - mean)`` (Fortran order); returns ``(out, mean)``.

    ``out=A`` centres in place. With ``correct`` a second pass subtracts
    the mean of the residual, recovering the digits a large offset (years
    ~ 1950, ``x + 1e6``) costs the first subtraction; the tall QR route
    skips it because its leading ``sqrt(w)`` column does the same exactly.
    Writing straight into LAPACK's Fortran array makes the centring free:
    numpy's strided subtract costs no more than a plain C->F copy.
    """
    mean = weighted_mean(A, sw) if fit_intercept else np.zeros(A.shape[1], A.dtype)
    out = np.empty(A.shape, A.dtype, order="F") if out is None else out
    with np.errstate(over="ignore", invalid="ignore"):  # the caller checks the spectrum
        np.subtract(A, mean, out=out)
        if fit_intercept and correct:
            step = weighted_mean(out, sw)
            out -= step
            mean = mean + step
    if sw is not None:
        out *= np.sqrt(sw).astype(A.dtype)[:, None]
    return out, mean


def svd(A, rebuild=None):
    """Thin SVD with LAPACK's divide and conquer, falling back to QR iteration.

    ``gesdd`` can fail to converge where ``gesvd`` succeeds. ``A`` is
    overwritten when ``rebuild`` (a function returning a fresh ``A`` for the
    fallback) is given, else it is kept. Returns ``(U, s, Vt, driver)``; if
    both drivers fail, the ``LinAlgError`` says so.
    """
    overwrite_a = rebuild is not None
    try:
        U, s, Vt = linalg.svd(A, full_matrices=False, overwrite_a=overwrite_a,
                              check_finite=False, lapack_driver="gesdd")
        return U, s, Vt, "gesdd"
    except linalg.LinAlgError:
        A = rebuild() if overwrite_a else A
    try:
        U, s, Vt = linalg.svd(A, full_matrices=False, overwrite_a=overwrite_a,
                              check_finite=False, lapack_driver="gesvd")
        return U, s, Vt, "gesvd"
    except linalg.LinAlgError as exc:
        raise linalg.LinAlgError(
            f"The SVD of the {A.shape[0]}x{A.shape[1]} centred design did not "
            "converge with LAPACK's gesdd nor with gesvd. Check X for extreme "
            "values or rescale its columns."
        ) from exc


def qr_r(A):
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


def apply_qt(qr, T, Y):
    """``Q^T Y`` for the Householder ``Q`` packed in ``qr`` and ``T`` (never formed)."""
    if min(qr.shape) == 0:
        return Y
    gemqrt = lapack.get_lapack_funcs("gemqrt", (qr,))
    qty, info = gemqrt(qr[:, : T.shape[1]], T, Y, side="L", trans="T", overwrite_c=True)
    if info != 0:
        raise RuntimeError(f"LAPACK gemqrt failed with info={info}.")
    return qty


def column_exponents(norms, dtype):
    """``e`` with ``2**e`` near each centred column norm (0 where a column is ~zero).

    Constant columns, and columns whose norm is subnormal (any relative
    tolerance treats them as zero; scaling them up would only manufacture
    a coefficient beyond the float range), keep ``e = 0``.
    """
    norms = np.asarray(norms, np.float64)
    usable = norms >= np.finfo(dtype).tiny
    return np.where(usable, np.frexp(np.where(usable, norms, 1.0))[1], 0)
