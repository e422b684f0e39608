"""Every input kind to one :class:`~sklearn_pinv._spectral.Factorization`.

Dense NumPy arrays are factored in memory (QR of tall ``X``, else the SVD),
sparse matrices through dense row blocks of a streaming R factor, dask arrays
by a tree reduction of per-chunk R factors on the active scheduler, and array
API arrays (torch, CuPy, array-api-strict) with their own ``xp.linalg.svd``.
Pure functions of the validated data: nothing here sees an estimator.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from . import _array_api, _dask
from ._spectral import factorize_arrays
from ._streaming import factorize_sparse

__all__ = ["FitData", "SPARSE_FORMATS", "FLOATS", "kind_of", "factorize", "refinable"]

SPARSE_FORMATS = ("csr", "csc", "coo")
FLOATS = [np.float64, np.float32]


@dataclass(frozen=True)
class FitData:
    """Validated training data and what kind of container it came in.

    ``Y`` is 2-D ``(m, t)`` in ``X``'s dtype (for dask: ``y`` as given,
    lazy); ``one_target`` says ``y`` was 1-D; ``kind`` is ``"dense"``,
    ``"sparse"``, ``"dask"`` or ``"array-api"``; ``namespace`` is
    ``(xp, device)`` for the last.
    """

    X: object
    Y: object
    sample_weight: object
    one_target: bool
    kind: str
    namespace: tuple = None

    @property
    def n_targets(self):
        return 1 if np.ndim(self.Y) == 1 else self.Y.shape[1]


def kind_of(X):
    """``"dask"``, ``"sparse"``, ``"array-api"`` or ``"dense"``."""
    if _dask.is_dask_array(X):
        return "dask"
    if sparse.issparse(X):
        return "sparse"
    return "dense" if _array_api.namespace(X) is None else "array-api"


def factorize(data, fit_intercept, *, copy=True, high=False, equilibrate=False):
    """``(factorization, stream)`` for ``data``; ``stream`` is the R factor or None.

    ``high`` with ``equilibrate`` scales the columns by powers of two
    first (``precision="high"``; dense only). A dense ``X`` that is kept
    (``copy``: the estimators copy unless ``precision="fast"``) may be
    refined: the route's left reflectors (or ``U``) stay in the
    factorization for it, at no extra cost in time or peak memory, until the
    estimator stores :meth:`~._spectral.Factorization.compact`. A streaming
    route returns the R factor it built, so a later ``partial_fit`` resumes
    from it at no cost.
    """
    try:
        fact, stream = _factorize(data, fit_intercept, copy, high, equilibrate)
    except (ValueError, np.linalg.LinAlgError):
        # LAPACK meets inf or NaN where the centred data overflowed (some
        # releases raise "illegal value" instead of returning inf).
        if data.kind == "dense" and _centred_overflows(data.X, data.Y):
            _check_finite(None)
        raise
    _check_finite(fact)
    return fact, stream


def _centred_overflows(X, Y):
    """Whether some column's range exceeds the float range (so its centred copy does)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return any(not np.all(np.isfinite(np.ptp(A, axis=0))) for A in (X, Y) if A.size)


def _factorize(data, fit_intercept, copy, high, equilibrate):
    X, Y, sw = data.X, data.Y, data.sample_weight
    if data.kind == "dense":
        fact = factorize_arrays(X, Y, sw, fit_intercept, copy=copy,
                                equilibrate=high and equilibrate, keep_left=copy)
        stream = None
    elif data.kind == "sparse":
        fact, stream = factorize_sparse(X, Y, sw, fit_intercept)
    elif data.kind == "dask":
        fact, stream = _dask.factorize(X, Y, sw, fit_intercept)[:2]
    else:
        fact, stream = _array_api.factorize(X, Y, sw, fit_intercept, data.namespace[0]), None
    return fact, stream


def _check_finite(fact):
    """A fit never returns NaN silently: a spectrum beyond the float range is an error."""
    if fact is None or not (np.all(np.isfinite(fact.singular_values))
                            and np.all(np.isfinite(fact.z))):
        raise ValueError(
            "The centred X or y exceeds the floating-point range (a singular value "
            "or U^T y is inf or NaN): values of X or y are too close to the float "
            "limit. Rescale them (e.g. divide by a power of ten) and fit again."
        )


def refinable(data):
    """``(X, Y, sample_weight)`` for refinement, or Nones where the route cannot refine.

    Dense and sparse data are in memory and untouched by the factorization
    (the estimators factor in place only with ``precision="fast"``, which
    never refines); dask and array API data stay where they are.
    """
    if data.kind in ("dense", "sparse"):
        return data.X, data.Y, data.sample_weight
    return None, None, None
