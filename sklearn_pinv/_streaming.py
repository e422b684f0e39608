"""Exact streaming least squares: the R factor of row blocks, merged by TSQR.

For rows ``[sqrt(w), sqrt(w) (X - c), sqrt(w) (y - d)]`` (one column of
``sqrt(w)``, then the shifted features and targets) we keep only the
triangular factor ``R`` of their QR decomposition, ``(1 + n + t)`` squared.
Two blocks' ``R`` factors merge into the ``R`` of their union by one more QR
of the two stacked factors (TSQR): ``R`` of ``[A; B]`` is ``R`` of
``[R_A; R_B]`` because both have the Gram matrix ``A^T A + B^T B``. ``X^T X``
is never formed, so nothing squares the condition number.

Why the ``sqrt(w)`` column: Householder QR orthogonalises every later column
against it first, so the trailing block of ``R`` is exactly the ``R`` factor
of the *centred* problem and the weighted means are ``r_1j / r_11``: the
intercept costs nothing and no pass over the data is needed to centre it.
Why the shift ``c, d`` (the first block's mean): columns ``1e6 + noise`` would
lose six digits of the noise to rounding in the first orthogonalisation;
after subtracting a constant close to the mean they keep them.

The same engine serves ``partial_fit``, row blocks of sparse matrices and the
tree reduction over the chunks of a dask array.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ._numerics import qr_r, safe_norms, svd
from ._spectral import Factorization

__all__ = ["RFactor", "factorize_sparse"]

# Rows per dense block of a sparse matrix: about 8 MB of float64 per block.
_BLOCK_ELEMENTS = 2**20


def _triangular_r(A):
    """Upper-triangular ``R`` (square, zero-padded) of ``A``; ``A`` is overwritten."""
    p = A.shape[1]
    # geqrf in place on a Fortran array: Q is never formed and only R's p rows
    # are copied out, so a block costs no second block of memory.
    qr, _ = qr_r(np.asfortranarray(A))
    R = np.triu(qr[:p])
    if R.shape[0] < p:  # fewer rows than columns so far: pad with zero rows
        R = np.vstack([R, np.zeros((p - R.shape[0], p), R.dtype)])
    return R


def _weighted_rows(X, Y, sample_weight, shift, top=None):
    """``[top; sqrt(w), sqrt(w) (X - c), sqrt(w) (Y - d)]``, one Fortran array.

    ``top`` (an earlier ``R``) is written above the block so that appending
    is a single QR with no stacking copy.
    """
    m, n = X.shape
    h = 0 if top is None else top.shape[0]
    A = np.empty((h + m, 1 + n + Y.shape[1]), dtype=shift.dtype, order="F")
    if top is not None:
        A[:h] = top
    B = A[h:]
    B[:, 0] = 1
    # Shift while copying: one pass over the block, not two.
    np.subtract(X.toarray() if sparse.issparse(X) else X, shift[:n], out=B[:, 1:1 + n])
    np.subtract(Y, shift[n:], out=B[:, 1 + n:])
    if sample_weight is not None:
        B *= np.sqrt(np.asarray(sample_weight, dtype=A.dtype))[:, None]
    return A


@dataclass(frozen=True, eq=False)
class RFactor:
    """The R factor of ``[sqrt(w), sqrt(w) (X - c), sqrt(w) (Y - d)]`` over all rows seen.

    Immutable: :meth:`update` and :meth:`merge` return a new object, so a
    caller keeps its old state intact if anything fails on the way.

    Attributes
    ----------
    R : ndarray of shape (1 + n_features + n_targets, 1 + n_features + n_targets)
        Upper-triangular factor (any square root of the Gram matrix would do
        for merging; :meth:`to_factorization` needs it triangular).
    shift : ndarray of shape (n_features + n_targets,)
        The constants ``c, d`` subtracted from the columns before weighting.
    n_samples : int
        Number of rows seen.
    n_features : int
        Number of feature columns.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv._streaming import RFactor
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(100, 3)), rng.normal(size=(100, 1))
    >>> acc = RFactor.from_block(X[:60], y[:60]).update(X[60:], y[60:])
    >>> fact = acc.to_factorization(fit_intercept=True)
    >>> bool(np.allclose(fact.X_offset, X.mean(axis=0)))
    True
    """

    R: np.ndarray
    shift: np.ndarray
    n_samples: int
    n_features: int

    @property
    def dtype(self):
        return self.R.dtype

    @classmethod
    def from_block(cls, X, Y, sample_weight=None, shift=None):
        """The R factor of one block of rows (``X`` dense or sparse, ``Y`` 2-D)."""
        if shift is None:
            shift = _first_block_shift(X, Y)
        R = _triangular_r(_weighted_rows(X, Y, sample_weight, shift))
        return cls(R, shift, X.shape[0], X.shape[1])

    def update(self, X, Y, sample_weight=None):
        """The R factor after appending the rows ``X, Y`` (one QR, no merge step).

        The block is shifted by ``self.shift`` and stacked under ``R``, so
        appending costs one QR of the block plus ``R``'s few rows.
        """
        self._check_width(X.shape[1], Y.shape[1])
        R = _triangular_r(_weighted_rows(X, Y, sample_weight, self.shift, top=self.R))
        return RFactor(R, self.shift, self.n_samples + X.shape[0], self.n_features)

    def merge(self, other):
        """The R factor of the rows of ``self`` and ``other`` together."""
        self._check_width(other.n_features, other.R.shape[1] - 1 - other.n_features)
        R = _triangular_r(np.vstack([self.R, other._reshifted(self.shift).astype(self.dtype)]))
        return RFactor(R, self.shift, self.n_samples + other.n_samples, self.n_features)

    def _reshifted(self, shift):
        """``R`` for the same rows shifted by ``shift`` instead of ``self.shift``.

        ``sqrt(w)(x - c') = sqrt(w)(x - c) + (c - c') sqrt(w)``: the first
        column of ``R`` times the difference is added to the others.
        """
        R = self.R.copy()
        R[:, 1:] += R[:, :1] * (self.shift - shift)
        return R

    def _check_width(self, n_features, n_targets):
        if (n_features, n_targets) != (self.n_features, self.R.shape[1] - 1 - self.n_features):
            raise ValueError(
                f"Blocks of {n_features} features and {n_targets} targets cannot "
                f"be added to a stream of {self.n_features} features and "
                f"{self.R.shape[1] - 1 - self.n_features} targets."
            )

    def to_factorization(self, fit_intercept):
        """The :class:`Factorization` a one-shot fit on all rows would give."""
        n = self.n_features
        if fit_intercept:
            R = self.R
            # Centred problem: the block after the sqrt(w) row and column.
            r11 = R[0, 0]
            means = R[0, 1:] / r11 if r11 != 0 else np.zeros_like(self.shift)
            offsets = means + self.shift
            T = R[1:, 1:]
        else:
            # Undo the shift, drop the sqrt(w) column, re-triangularise.
            T = _triangular_r(self._reshifted(np.zeros_like(self.shift))[:, 1:])
            offsets = np.zeros_like(self.shift)
        return _spectral(T, n, offsets, (self.n_samples, n), fit_intercept)

    @classmethod
    def from_factorization(cls, fact, weight_sum):
        """Resume a stream from a one-shot fit (its spectral data and total weight).

        ``diag(s) V^T`` with ``z`` beside it and the residual norms below has
        the Gram matrix of the centred, weighted ``[X, y]`` up to the
        products between different targets' residuals, which no target's
        solution depends on. The offsets become the shift, so the ``sqrt(w)``
        row is ``sqrt(sum w)`` followed by zeros.
        """
        k, n, t = fact.singular_values.shape[0], fact.V.shape[0], fact.z.shape[1]
        p = 1 + n + t
        G = np.zeros((max(p, 1 + k + t), p), fact.dtype)
        G[0, 0] = np.sqrt(weight_sum)
        # An equilibrated fit (precision="high") factored Xc / scale and keeps
        # V / scale: the rows of Xc's factor are s (V * scale**2)^T.
        V = fact.V if fact.column_scale is None else fact.V * fact.column_scale[:, None] ** 2
        G[1:1 + k, 1:1 + n] = fact.singular_values[:, None] * V.T
        G[1:1 + k, 1 + n:] = fact.z
        G[1 + k:1 + k + t, 1 + n:] = np.diag(fact.residual_norms)
        shift = np.concatenate([fact.X_offset, fact.y_offset]).astype(fact.dtype)
        return cls(_triangular_r(G), shift, fact.shape[0], n)


def _first_block_shift(X, Y):
    """Column means of the first block: a constant near the data, in its dtype."""
    # (Blocks are densified one at a time anyway, so a sparse X can be shifted.)
    x_shift = np.asarray(X.mean(axis=0)).reshape(-1) if X.shape[0] else np.zeros(X.shape[1])
    y_shift = Y.mean(axis=0) if Y.shape[0] else np.zeros(Y.shape[1], Y.dtype)
    return np.concatenate([x_shift, y_shift]).astype(X.dtype)


def _spectral(T, n, offsets, shape, fit_intercept):
    """Factorization from ``T``, the R factor of the centred ``[Xc, Yc]``."""
    m = shape[0]
    k = min(m, n)
    Ur, s, Vt, driver = svd(T[:n, :n])
    z_all = Ur.T @ T[:n, n:]
    # Singular values beyond min(m, n) are zero in exact arithmetic; their
    # part of z joins the residual, as the one-shot fit's U would leave it.
    residual = np.hypot(safe_norms(T[n:, n:]), safe_norms(z_all[k:]))
    return Factorization(
        singular_values=s[:k], V=Vt[:k].T, z=z_all[:k], residual_norms=residual,
        X_offset=offsets[:n], y_offset=offsets[n:], shape=shape,
        fit_intercept=fit_intercept, driver="tsqr+" + driver,
    )


def factorize_sparse(X, Y, sample_weight=None, fit_intercept=True, block_rows=None):
    """Factor a sparse ``X`` through dense row blocks of the R accumulator.

    Only one block of rows is dense at a time: memory is one block plus the
    ``(1 + n + t)`` squared factor. Returns ``(Factorization, RFactor)``.
    """
    X = X.tocsr()  # CSC/COO rows are not contiguous; CSR slices rows cheaply
    m, n = X.shape
    if block_rows is None:
        block_rows = max(1 + n + Y.shape[1], _BLOCK_ELEMENTS // max(n, 1))
    acc = None
    for start in range(0, max(m, 1), block_rows):
        rows = slice(start, start + block_rows)
        w = None if sample_weight is None else sample_weight[rows]
        if acc is None:
            acc = RFactor.from_block(X[rows], Y[rows], w)
        else:
            acc = acc.update(X[rows], Y[rows], w)
    return acc.to_factorization(fit_intercept), acc
