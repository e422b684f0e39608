"""The data of a cross-validated search, whatever container it came in.

A search factors rows of the data many times (once per training fold, or
once for leave-one-out) and scores candidates on held-out rows. This module
hides the container from the search:

- dense NumPy arrays take the dense route (QR of tall ``X``, else the SVD);
- SciPy sparse matrices (CSR, CSC, COO) take the streaming R factor of dense
  row blocks, and leave-one-out reads ``U = Xc V / s`` block by block: ``X``
  is never densified whole;
- array API arrays (torch, CuPy, array-api-strict) are factored by
  ``xp.linalg.svd`` in their own namespace and device, in the widest float
  the device has; predictions of held-out rows are made there too.

Scores are computed on the host in float64 whatever the data (as
``RidgeCV`` does): ``Y`` and the weights are float64 NumPy arrays, and
factorizations carry the data's dtype for the tolerance policies.
"""

from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse

from . import _array_api
from ._inputs import FitData, _check_finite
from ._inputs import factorize as factorize_route
from ._spectral import factorize_arrays

__all__ = ["SearchData"]

_BLOCK_ELEMENTS = 2**20  # elements of X per densified block of rows (8 MB in float64)
_CACHED_U_ELEMENTS = 2**24  # keep U whole below this size (128 MB), else rebuild per pass


@dataclass(frozen=True, eq=False)
class SearchData:
    """Validated data of a search, in float64 for scoring.

    ``X`` is a float64 NumPy array or CSR matrix (dense and sparse input)
    or, for array API input, the data in the widest float of their device.
    ``Y`` (m, t) and ``sample_weight`` are float64 NumPy arrays.
    ``namespace`` is ``(xp, device)`` for array API input, else None.
    """

    X: object
    Y: np.ndarray
    sample_weight: object
    fit_intercept: bool
    data_dtype: object
    kind: str
    namespace: tuple = None
    device_Y: object = None  # Y and the weights on the device, for its SVDs
    device_weight: object = None

    @classmethod
    def of(cls, data, fit_intercept, owner):
        """The search data of validated :class:`~sklearn_pinv._inputs.FitData`."""
        if data.kind == "dask":
            raise TypeError(
                f"{owner} does not take dask arrays: fit it on a NumPy array, a sparse "
                "matrix or an array API array, or search a TikhonovRegressor with "
                "GridSearchCV.")
        X, Y, sw = data.X, data.Y, data.sample_weight
        host = {"Y": _host64(Y), "sample_weight": _host64(sw)}
        common = {"fit_intercept": bool(fit_intercept), "kind": data.kind}
        if data.kind == "array-api":
            xp, device = data.namespace
            common["data_dtype"] = np.dtype(np.float32 if X.dtype == xp.float32 else np.float64)
            wide = _widest_float(xp, device)
            return cls(X=xp.astype(X, wide), **host, **common, namespace=data.namespace,
                       device_Y=xp.astype(Y, wide),
                       device_weight=None if sw is None else xp.astype(sw, wide))
        X = X.tocsr() if sparse.issparse(X) else X  # CSR: rows slice cheaply
        return cls(X=X.astype(np.float64, copy=False), **host, **common, data_dtype=X.dtype)

    @property
    def n_samples(self):
        return self.Y.shape[0]

    # ----------------------------------------------------------- factoring
    def factor(self, rows=None, keep_U=False):
        """The factorization of ``rows`` (all rows if None), with ``U`` on request.

        ``keep_U`` is honoured by dense and array API data (sparse data
        never build ``U``: :meth:`left_vectors` rebuilds it by blocks).
        """
        X, Y, sw = self.rows(rows), self._take(self.Y, rows), self._take(self.sample_weight, rows)
        if self.kind == "array-api":
            xp = self.namespace[0]
            Y, sw = self._take(self.device_Y, rows), self._take(self.device_weight, rows)
            fact = _array_api.factorize(X, Y, sw, self.fit_intercept, xp, keep_U=keep_U)
            _check_finite(fact)
        elif keep_U and self.kind == "dense":
            fact = factorize_arrays(X, Y, sw, self.fit_intercept, keep_U=True)
        else:
            fact = factorize_route(FitData(X, Y, sw, False, self.kind), self.fit_intercept)[0]
        return replace(fact, data_dtype=self.data_dtype)

    def refinable(self):
        """``(X, Y, sample_weight)`` to refine the final model with, or Nones (array API)."""
        if self.kind == "array-api":
            return None, None, None
        return self.X, self.Y, self.sample_weight

    # ----------------------------------------------------- rows and products
    def rows(self, rows=None):
        """The rows of ``X`` in its container (all of ``X`` if None)."""
        return self._take(self.X, rows)

    def _take(self, a, rows):
        if a is None or rows is None:
            return a
        if self.kind == "array-api" and not isinstance(a, np.ndarray):
            xp, device = self.namespace
            return xp.take(a, xp.asarray(np.asarray(rows), device=device), axis=0)
        return a[rows]

    def matmul(self, X_rows, coef):
        """``X_rows @ coef`` as a float64 NumPy array (computed on the data's device)."""
        if self.kind != "array-api":
            return np.asarray(X_rows @ coef)
        xp, device = self.namespace
        return _array_api.to_numpy(X_rows @ xp.asarray(coef, dtype=X_rows.dtype, device=device)
                                   ).astype(np.float64, copy=False)

    def centred_targets(self, fact):
        """``sqrt(w) (Y - y_offset)``, the targets of the factored problem; (m, t)."""
        Yc = self.Y - fact.y_offset
        return Yc if self.sample_weight is None else Yc * np.sqrt(self.sample_weight)[:, None]

    def left_vectors(self, fact, cols):
        """Row blocks ``(rows, U[rows][:, cols])`` of the left singular vectors.

        ``fact.U`` when the factorization kept it; else ``Xc V / s`` built
        from blocks of rows (densified one at a time for sparse ``X``).
        Iterable any number of times; kept whole when small.
        """
        if fact.U is not None:
            return [(slice(None), fact.U[:, cols])]
        blocks = _LeftBlocks(self, fact, cols)
        return list(blocks) if self.n_samples * len(cols) <= _CACHED_U_ELEMENTS else blocks


class _LeftBlocks:
    """``U[:, cols] = sqrt(w) (X - x_offset) V[:, cols] / s[cols]``, one block of rows at a time."""

    def __init__(self, data, fact, cols):
        self.data, self.fact, self.cols = data, fact, cols
        # An implicit V (wide/square routes) is applied to each block, never formed.
        self.W = None if fact.implicit else fact.V[:, cols] / fact.singular_values[cols]

    def __iter__(self):
        X, sw, m = self.data.X, self.data.sample_weight, self.data.n_samples
        step = max(1, _BLOCK_ELEMENTS // max(X.shape[1], 1))
        for start in range(0, m, step):
            rows = slice(start, start + step)
            block = X[rows].toarray() if sparse.issparse(X) else np.array(X[rows])
            block -= self.fact.X_offset  # centre on the exact offset, then project
            if sw is not None:
                block *= np.sqrt(sw[rows])[:, None]
            if self.W is None:
                yield rows, self.fact.project(block)[:, self.cols] / self.fact.singular_values[self.cols]
            else:
                yield rows, block @ self.W


def _widest_float(xp, device):
    """float64 where the device has it (not on some GPUs, e.g. Apple's MPS), else float32."""
    floats = xp.__array_namespace_info__().dtypes(kind="real floating", device=device)
    return xp.float64 if "float64" in floats else xp.float32


def _host64(a):
    """A float64 NumPy copy (or view) of ``a``, from any namespace; None stays None."""
    if a is None:
        return None
    if not isinstance(a, np.ndarray):
        a = _array_api.to_numpy(a)
    return np.asarray(a, dtype=np.float64)
