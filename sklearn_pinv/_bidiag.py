"""The square route (``n <= m < 1.2 n``): bidiagonal reduction, bidiagonal SVD, ``V`` implicit.

``LinearRegression``'s ``gelsd`` never forms singular vectors; ``gesdd``
forms both ``U`` and ``V`` of ``X``, two ``n x n`` products of reflectors
with the bidiagonal's vectors. This route stops short of that:
``Q^T Xc P = B`` (``gebrd``), ``B = Ub diag(s) Vb^T`` (``bdsdc``, divide and
conquer), then ``z = Ub^T (Q^T yc)`` and ``V = P Vb`` kept as ``gebrd``'s
reflectors next to ``Vb`` (:class:`ImplicitBasis`): every ``(tol, alpha)``
solution costs one application of ``P``, ``O(n^2)``. If ``bdsdc`` does not
converge, ``bdsqr`` (QR iteration, the driver under ``gesvd``) runs on a
fresh copy of the bidiagonal; if both fail, the error says so.
"""

import numpy as np
from scipy import linalg

from . import _lapack
from ._numerics import centre, column_exponents, safe_norms
from ._reflectors import BidiagonalP, BidiagonalQ, ImplicitBasis, LeftReflectors

__all__ = ["factor_square", "bidiagonal_svd"]


def bidiagonal_svd(d, e, C):
    """``(s, VbT, Ub^T C, Ub or None, driver)`` of the upper bidiagonal ``(d, e)``; inputs kept.

    ``s`` decreasing. ``bdsdc`` first, ``bdsqr`` if it does not converge
    (it applies ``Ub^T`` to ``C`` without forming ``Ub``).
    """
    Ub = None
    try:
        s, Ub, VbT = _lapack.bdsdc(d.copy(), e.copy())
        z, driver = Ub.T @ C, "bdsdc"
    except _lapack.LapackError:
        try:
            s, VbT, z = _lapack.bdsqr(d.copy(), e.copy(), np.array(C, order="F"))
            driver = "bdsqr"
        except _lapack.LapackError as exc:
            raise linalg.LinAlgError(
                f"The SVD of the {d.size}x{d.size} bidiagonal form of the centred design "
                "did not converge with LAPACK's bdsdc nor with bdsqr. Check X for "
                "extreme values or rescale its columns."
            ) from exc
    order = np.argsort(-s, kind="stable")  # decreasing, whatever the driver returned
    if np.all(order[1:] > order[:-1]):  # already sorted: no n x n copies
        return s, VbT, z, Ub, driver
    return s[order], VbT[order], z[order], None if Ub is None else Ub[:, order], driver


def factor_square(X, Y, sw, fit_intercept, *, equilibrate=False, keep_left=False):
    """The fields of the square route's factorization (see the module notes)."""
    m, n = X.shape
    A, x_off = centre(X, sw, fit_intercept)  # Fortran, overwritten by gebrd
    e = None
    if equilibrate:
        e = column_exponents(safe_norms(A), X.dtype)
        np.ldexp(A, -e, out=A)
    Yc, y_off = centre(Y, sw, fit_intercept)
    d, sup, tauq, taup = _lapack.gebrd(A)
    QtY = _lapack.ormbr("Q", "L", "T", A, tauq, np.array(Yc, order="F"))
    s, VbT, z, Ub, driver = bidiagonal_svd(d, sup, QtY[:n])
    basis = ImplicitBasis(BidiagonalP(A, taup), np.ascontiguousarray(VbT.T), e)
    # U = Q Ub: refinement reads U^T f through gebrd's Q (Xc is centred, so
    # U is already orthogonal to the intercept direction).
    left = LeftReflectors(BidiagonalQ(A, tauq), Ub, 0) if keep_left and Ub is not None else None
    return dict(left=left,
        singular_values=s, V=basis, z=z, residual_norms=safe_norms(QtY[n:]),
        X_offset=x_off, y_offset=y_off,
        driver="bidiag+" + driver + ("+equilibrated" if equilibrate else ""),
        column_scale=None if e is None else np.ldexp(np.ones(n), e),
    )
