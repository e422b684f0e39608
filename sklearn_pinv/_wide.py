"""The wide route (``m < n``): QR of ``Xc^T``, SVD of the ``m x m`` triangle, ``V`` implicit.

A C-ordered ``X`` is a Fortran-ordered ``X^T``: centring writes straight into
the ``n x m`` buffer LAPACK factors (Householder QR, Level-3 ``geqrt``), so
the buffer is the only array of ``X``'s size. With ``Xc^T = Q [R; 0]`` and
``R^T = Ur diag(s) Wr^T`` (the SVD of the small triangle),
``Xc = Ur diag(s) (Q [Wr; 0])^T``: ``U = Ur`` is ``m x m`` and
``V = Q [Wr; 0]`` stays as the reflectors (:class:`ImplicitBasis`). A
solution ``V diag(phi / s) z`` costs one application of ``Q``, ``O(m n)``;
the ``n x m`` ``V`` is formed only if read.
"""

import numpy as np

from ._numerics import centre, column_exponents, qr_r, safe_norms, svd
from ._reflectors import Householder, ImplicitBasis

__all__ = ["factor_wide"]


def _transposed_buffer(X, sw, fit_intercept, copy):
    """``Xc^T`` (n x m, Fortran) and the column means; ``X`` itself when allowed."""
    m, n = X.shape
    if not copy and X.flags.c_contiguous and X.flags.writeable:
        out = X  # copy_X=False: centre and factor X in place (X is destroyed)
    else:
        out = np.empty((n, m), X.dtype, order="F").T  # C-ordered m x n view
    Xc, mean = centre(X, sw, fit_intercept, out=out)
    return Xc.T, mean


def factor_wide(X, Y, sw, fit_intercept, *, copy=True, keep_U=False, equilibrate=False):
    """The fields of the wide route's factorization (see the module notes)."""
    m, n = X.shape
    A, x_off = _transposed_buffer(X, sw, fit_intercept, copy)
    e = None
    if equilibrate:
        e = column_exponents(safe_norms(A.T), X.dtype)
        np.ldexp(A, -e[:, None], out=A)
    Yc, y_off = centre(Y, sw, fit_intercept)
    qr, T = qr_r(A)
    Rt = np.array(np.triu(qr[:m, :m]).T, order="F")  # R^T = Xc's m x m "L" factor
    U, s, Wt, driver = svd(Rt, rebuild=lambda: np.array(np.triu(qr[:m, :m]).T, order="F"))
    del Rt
    z = U.T @ Yc
    basis = ImplicitBasis(Householder(qr, T, m), np.ascontiguousarray(Wt.T), e)
    return dict(
        singular_values=s, V=basis, z=z, residual_norms=safe_norms(Yc - U @ z),
        X_offset=x_off, y_offset=y_off, U=U if keep_U else None,
        driver="lq+" + driver + ("+equilibrated" if equilibrate else ""),
        column_scale=None if e is None else np.ldexp(np.ones(n), e),
    )
