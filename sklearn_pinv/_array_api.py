"""Array API inputs (array-api-strict, torch, CuPy, ...): the SVD in their namespace.

Under ``sklearn.set_config(array_api_dispatch=True)`` the ``O(m n^2)`` work
(centring and ``xp.linalg.svd`` of the centred, weighted ``X``) runs in the
input's own namespace and on its device. Only the ``O(n k)`` spectral data
(singular values, ``V``, ``z = U^T y``, residual norms) come to the host,
where the tolerance policies and filters (plain NumPy) act on them; the
fitted arrays are then moved back, so ``coef_`` and ``predict`` live in the
input's namespace and device. Tested: array-api-strict and torch on CPU.
"""

import numpy as np

from ._compat import get_namespace_and_device, move_to
from ._spectral import Factorization

__all__ = ["namespace", "float_dtypes", "factorize", "to_namespace", "linear_predict"]


def namespace(X):
    """``(xp, device)`` when dispatch is on and ``X`` is a non-NumPy array, else None."""
    try:
        xp, is_array_api, device = get_namespace_and_device(X)
    except TypeError:  # e.g. a DataFrame under dispatch: validation converts it
        return None
    if not is_array_api or xp.__name__.split(".")[-1] == "numpy":
        return None
    return xp, device


def float_dtypes(X):
    """The float dtypes ``validate_data`` may keep, in ``X``'s namespace."""
    found = namespace(X)
    xp = np if found is None else found[0]
    return [xp.float64, xp.float32]


def to_numpy(a):
    return None if a is None else move_to(a, xp=np, device="cpu")


def _center(A, sw, fit_intercept, xp):
    offset = xp.zeros(A.shape[1], dtype=A.dtype, device=A.device)
    if fit_intercept:
        total = A.shape[0] if sw is None else xp.sum(sw)
        # Two passes: the second mean of the residual recovers the digits a
        # large offset costs (as in the NumPy route).
        for _ in range(2):
            step = (xp.sum(A, axis=0) if sw is None else sw @ A) / total
            A = A - step
            offset = offset + step
    if sw is not None:
        A = A * xp.sqrt(sw)[:, None]
    return A, offset


def factorize(X, Y, sample_weight, fit_intercept, xp, keep_U=False):
    """The :class:`Factorization` of ``xp`` arrays; the SVD runs in ``xp``.

    ``keep_U`` brings ``U`` (m, k) to the host too (leave-one-out needs it).
    """
    m, n = X.shape
    Xc, x_off = _center(X, sample_weight, fit_intercept, xp)
    Yc, y_off = _center(Y, sample_weight, fit_intercept, xp)
    U, s, Vt = xp.linalg.svd(Xc, full_matrices=False)
    z = xp.matrix_transpose(U) @ Yc
    residual = xp.linalg.vector_norm(Yc - U @ z, axis=0)
    return Factorization(
        singular_values=to_numpy(s), V=to_numpy(Vt).T, z=to_numpy(z),
        residual_norms=to_numpy(residual), X_offset=to_numpy(x_off),
        y_offset=to_numpy(y_off), shape=(m, n), fit_intercept=fit_intercept,
        driver=f"{xp.__name__}.linalg.svd", U=to_numpy(U) if keep_U else None,
    )


def to_namespace(value, xp, device):
    """A fitted NumPy array (or scalar) as an array of ``xp`` on ``device``."""
    return xp.asarray(value, device=device) if isinstance(value, (np.ndarray, np.generic)) else value


def linear_predict(X, coef, intercept):
    """``X @ coef.T + intercept`` in ``X``'s namespace (NumPy, SciPy sparse or xp)."""
    found = namespace(X)
    if found is None:
        return X @ coef.T + intercept
    xp, device = found
    coef = xp.astype(move_to(coef, xp=xp, device=device), X.dtype)
    if coef.ndim == 1:  # a y of shape (m, 1) leaves a (1,) intercept (as Ridge)
        return X @ coef + float(xp.reshape(intercept, ()) if np.ndim(intercept) else intercept)
    if np.ndim(intercept):
        intercept = xp.astype(move_to(intercept, xp=xp, device=device), X.dtype)
    else:
        intercept = float(intercept)
    return X @ xp.matrix_transpose(coef) + intercept
