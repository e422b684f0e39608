"""Pseudoinverse and rank for array users, on the same tolerance policies."""

import numpy as np

from numbers import Real

from . import tolerance
from ._compat import Interval, validate_params
from ._numerics import svd

__all__ = ["pinv", "matrix_rank"]


def _as_matrix(A):
    A = np.asarray(A)
    if A.ndim != 2:
        raise ValueError(f"Expected a 2-D array, got an array of shape {A.shape}.")
    if A.dtype.kind not in "biufc":
        raise TypeError(f"Expected a numeric array, got dtype {A.dtype}.")
    if A.dtype.kind in "biu" or A.dtype == np.float16:
        A = A.astype(np.float64)
    if not np.all(np.isfinite(A)):
        raise ValueError("The matrix contains NaN or infinity.")
    return A


def _svd_and_mask(A, tol):
    policy = tolerance.resolve(tol)
    if isinstance(policy, tolerance.DataDrivenPolicy):
        raise TypeError(
            f"{policy!r} chooses the rank from data (y); pinv of a matrix alone "
            "needs a policy that sees only the singular values."
        )
    U, s, Vt, _ = svd(A)
    real = np.finfo(A.dtype).dtype
    return U, s, Vt, tolerance.keep_mask(policy, s, A.shape, real)


_TOL = [str, Interval(Real, 0, 1, closed="left"), tolerance.TolerancePolicy, callable]


@validate_params({"A": ["array-like"], "tol": _TOL, "return_rank": ["boolean"]},
                 prefer_skip_nested_validation=True)
def pinv(A, tol=tolerance.DEFAULT, return_rank=False):
    """Moore-Penrose pseudoinverse through the SVD, with a pluggable tolerance.

    Parameters
    ----------
    A : array-like of shape (m, n)
        Real or complex matrix; ``float32``/``complex64`` stay single
        precision (and use single precision's eps).
    tol : str, float, TolerancePolicy or callable, default="scipy"
        Which singular values count as zero; see
        :func:`sklearn_pinv.tolerance.resolve`. ``"numpy"`` reproduces
        ``numpy.linalg.pinv`` and ``"scipy"`` ``scipy.linalg.pinv``.
    return_rank : bool, default=False
        Also return the number of singular values kept.

    Returns
    -------
    A_pinv : ndarray of shape (n, m)
    rank : int
        Only if ``return_rank`` is True.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import pinv
    >>> pinv([[7, 2], [3, 4], [5, 3]]).round(8)
    array([[ 0.16666667, -0.10606061,  0.03030303],
           [-0.16666667,  0.28787879,  0.06060606]])
    >>> B, r = pinv(np.diag([1.0, 1e-17]), tol="matlab", return_rank=True)
    >>> r
    1
    """
    A = _as_matrix(A)
    m, n = A.shape
    if A.size == 0:
        out = np.zeros((n, m), dtype=A.dtype)
        return (out, 0) if return_rank else out
    U, s, Vt, kept = _svd_and_mask(A, tol)
    k = int(kept.sum())
    # Kept singular values lead (they are sorted), so slicing suffices.
    out = (Vt[:k].conj().T / s[:k]) @ U[:, :k].conj().T
    return (out, k) if return_rank else out


@validate_params({"A": ["array-like"], "tol": _TOL}, prefer_skip_nested_validation=True)
def matrix_rank(A, tol=tolerance.DEFAULT):
    """Numerical rank of ``A``: the number of singular values ``tol`` keeps.

    Parameters
    ----------
    A : array-like of shape (m, n)
    tol : str, float, TolerancePolicy or callable, default="scipy"

    Returns
    -------
    rank : int

    Examples
    --------
    >>> from sklearn_pinv.linalg import matrix_rank
    >>> matrix_rank([[1.0, 2.0], [2.0, 4.0]])
    1
    """
    A = _as_matrix(A)
    if A.size == 0:
        return 0
    return int(_svd_and_mask(A, tol)[3].sum())
