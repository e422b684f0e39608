"""The dense routes to a factorization: tall QR, wide QR of ``Xc^T``, bidiagonal, direct.

Each route returns the fields of a :class:`~sklearn_pinv._spectral.Factorization`
(``singular_values``, ``V`` or its implicit ``basis``, ``z``,
``residual_norms``, offsets, ``driver``; optionally ``U``, ``left``,
``column_scale``) for validated float arrays ``X`` (m, n) and ``Y`` (m, t).

* tall (``m >= 1.2 n``): Householder QR of ``[sqrt(w) | Xc | Yc]`` (Level 3
  ``geqrt``), SVD of the ``n x n`` triangle. Equilibration scales the
  columns of ``R`` (a QR commutes exactly with scaling columns by powers
  of two), so it costs nothing.
* wide (``m < n``): :mod:`._wide`; square: :mod:`._bidiag`.
* direct: the SVD of ``Xc`` with ``U`` (leave-one-out asks for ``U``).
"""

import numpy as np

from ._numerics import apply_qt, centre, column_exponents, qr_r, safe_norms, svd
from ._reflectors import Householder, LeftReflectors

__all__ = ["choose", "factor", "spectrum_of_r", "QR_ASPECT_RATIO"]

# Use the QR route when m >= ratio * n. Measured (benchmarks/bench_fit.py and
# n=1000, one thread): a tie with the direct SVD at m = n, QR+SVD(R) 17%
# faster at m = 1.25 n and 26% at 1.5 n.
QR_ASPECT_RATIO = 1.2

# Targets ride in the QR buffer while they add at most 1/4 of X's columns:
# the QR updates them with the panel in cache, 30% faster than applying Q^T
# afterwards (100000 x 50, 10 targets, one thread; peak memory 1 + (1 + t) / n
# of X, the centred targets being t / n of it). More targets get Q^T applied
# afterwards in chunks of n / 8 columns, so peak memory stays near 1.13 X.
_RIDE_FRACTION = 4
_X_COLUMNS_PER_EXTRA = 8


def choose(m, n, keep_U):
    """The route for an ``m x n`` problem: ``"tall"``, ``"wide"``, ``"square"``, ``"direct"``."""
    if m < n:
        return "wide"
    if keep_U:
        return "direct"
    if m >= QR_ASPECT_RATIO * n and m > n:
        return "tall"
    return "square"


def factor(route, X, Y, sw, fit_intercept, *, copy=True, keep_U=False, equilibrate=False,
           keep_left=False):
    """The factorization's fields by ``route`` (see :func:`choose`)."""
    if route == "wide":
        from ._wide import factor_wide
        return factor_wide(X, Y, sw, fit_intercept, copy=copy, keep_U=keep_U or keep_left,
                           equilibrate=equilibrate)
    if route == "square":
        from ._bidiag import factor_square
        return factor_square(X, Y, sw, fit_intercept, equilibrate=equilibrate,
                             keep_left=keep_left)
    if route == "direct":
        return _factor_direct(X, Y, sw, fit_intercept, equilibrate)
    in_place = not copy and X.flags.f_contiguous and X.flags.writeable and not keep_left
    return _factor_tall(X, Y, sw, fit_intercept, in_place, equilibrate, keep_left)


def scaled_fields(e):
    """``column_scale`` for exponents ``e`` (None when nothing was scaled)."""
    return None if e is None else np.ldexp(np.ones(e.size), e)


# ------------------------------------------------------------------- tall
def _tall_buffer(X, Y, sw, lead, inner):
    """``[sqrt(w) | Xc | Yc[:, :inner]]`` in one Fortran buffer; the first-pass means."""
    m, k = X.shape[0], lead + X.shape[1]
    A = np.empty((m, k + inner), X.dtype, order="F")
    A[:, :lead] = 1 if sw is None else np.sqrt(sw).astype(X.dtype)[:, None]
    means = [centre(X, sw, lead, out=A[:, lead:k], correct=False)[1],
             centre(Y[:, :inner], sw, lead, out=A[:, k:], correct=False)[1]]
    return A, means


def _tall_r(X, Y, sw, fit_intercept):
    """QR of ``[sqrt(w) | Xc | Yc]``: ``(qr, T, R, residual norms, X_offset, y_offset)``.

    ``R`` of shape (n, n + t) is ``[Rxx, Q1^T Yc]`` for the data centred on
    their exact weighted mean. With an intercept the leading column
    ``sqrt(w)`` replaces a second centring pass: the QR's trailing block is
    exactly the centred problem's R, and row 0 of ``Q^T A`` divided by
    ``R[0, 0]`` is the mean that the first pass missed (large offsets).
    Targets ride along as extra QR columns while they are few next to
    ``X``'s (:data:`_RIDE_FRACTION`); else ``Q^T`` is applied to them
    afterwards, in chunks that keep peak memory near ``X.nbytes``.
    """
    (m, n), t, lead = X.shape, Y.shape[1], int(fit_intercept)
    width = max(n // _X_COLUMNS_PER_EXTRA, 2)
    inner = t if lead + t <= max(n // _RIDE_FRACTION, 2) else 0
    k = lead + n
    A, means = _tall_buffer(X, Y, sw, lead, inner)
    qr, T = qr_r(A)
    tops = [np.triu(qr[:k, :k]), qr[:k, k:].copy()]
    res = [safe_norms(np.triu(qr[k:k + inner, k:]))]
    chunk = min(width, t - inner)
    C = np.empty((m, chunk), X.dtype, order="F") if t > inner else None
    for j in range(inner, t, max(chunk, 1)):
        Cj = C[:, :min(chunk, t - j)]  # leading columns: still Fortran-contiguous
        means.append(centre(Y[:, j:j + chunk], sw, lead, out=Cj, correct=False)[1])
        QtC = apply_qt(qr[:, :k], T[:, :k], Cj)
        tops.append(QtC[:k].copy())
        res.append(safe_norms(QtC[k:]))
    del C
    R, offsets = np.hstack(tops), np.concatenate(means)
    if lead:
        offsets += R[0, 1:] / R[0, 0]
    return qr, T, R[lead:, lead:], np.concatenate(res), offsets[:n], offsets[n:]


def spectrum_of_r(Rxx, Rxy, res, equilibrate):
    """``s``, ``V``, ``z``, ``Ur`` from the SVD of the small triangle (columns scaled on request)."""
    e = column_exponents(safe_norms(Rxx), Rxx.dtype) if equilibrate else None
    # A Fortran copy that gesdd may overwrite (f2py would copy anyway).
    R = np.array(Rxx if e is None else np.ldexp(Rxx, -e), order="F")
    Ur, s, Vt, driver = svd(R, rebuild=lambda: np.array(
        Rxx if e is None else np.ldexp(Rxx, -e), order="F"))
    V = Vt.T if e is None else np.ldexp(Vt.T, -e[:, None])
    fields = dict(singular_values=s, V=V, z=Ur.T @ Rxy, residual_norms=res,
                  driver="qr+" + driver + ("+equilibrated" if equilibrate else ""),
                  column_scale=scaled_fields(e))
    return fields, Ur


def _factor_tall(X, Y, sw, fit_intercept, in_place, equilibrate, keep_left):
    n = X.shape[1]
    if in_place:  # copy_X=False: X itself is centred and factored; only y is copied.
        Xc, x_off = centre(X, sw, fit_intercept, out=X)
        Yc, y_off = centre(Y, sw, fit_intercept)
        qr, T = qr_r(Xc)
        QtY = apply_qt(qr, T, Yc)
        R, res = np.hstack([np.triu(qr[:n]), QtY[:n]]), safe_norms(QtY[n:])
    else:
        qr, T, R, res, x_off, y_off = _tall_r(X, Y, sw, fit_intercept)
    fields, Ur = spectrum_of_r(R[:, :n], R[:, n:], res, equilibrate)
    if keep_left:
        lead = int(fit_intercept)
        fields["left"] = LeftReflectors(Householder(qr, T, lead + n), Ur, lead, R[:, :n])
    return dict(fields, X_offset=x_off, y_offset=y_off)


# ------------------------------------------------------------------ direct
def _factor_direct(X, Y, sw, fit_intercept, equilibrate):
    # The SVD overwrites Xc; if gesdd fails, gesvd gets a fresh copy.
    def design():
        Xc = centre(X, sw, fit_intercept)[0]
        return Xc if e is None else np.ldexp(Xc, -e, out=Xc)

    Xc, x_off = centre(X, sw, fit_intercept)
    e = column_exponents(safe_norms(Xc), X.dtype) if equilibrate else None
    if e is not None:
        np.ldexp(Xc, -e, out=Xc)
    Yc, y_off = centre(Y, sw, fit_intercept)
    U, s, Vt, driver = svd(Xc, rebuild=design)
    z = U.T @ Yc
    V = Vt.T if e is None else np.ldexp(Vt.T, -e[:, None])
    return dict(singular_values=s, V=V, z=z, residual_norms=safe_norms(Yc - U @ z),
                driver=driver + ("+equilibrated" if equilibrate else ""), U=U,
                X_offset=x_off, y_offset=y_off, column_scale=scaled_fields(e))
