"""Orthogonal factors kept as Householder reflectors and applied, never formed.

A wide ``X`` (``m < n``) is factored through the QR of ``Xc^T`` and a square
one through its bidiagonal reduction; either way the right singular vectors
are ``V = Q [W; 0]`` for an ``n x n`` product of reflectors ``Q`` and a small
dense ``W``. :class:`ImplicitBasis` keeps that product: ``V @ B`` costs
``O(n m)`` per column of ``B`` and the ``n x k`` matrix exists only if someone
reads :attr:`ImplicitBasis.dense`. :class:`LeftReflectors` does the same for
the left factor of the tall QR route (refinement needs ``U^T f``).
"""

import numpy as np
from scipy import sparse
from scipy.linalg import lapack

from . import _lapack
from ._numerics import safe_norms

__all__ = ["Householder", "BidiagonalP", "BidiagonalQ", "ImplicitBasis", "LeftReflectors"]

_ROWS_PER_BLOCK = 2048  # rows of X densified at a time by ImplicitBasis.project


def _fortran(C, dtype):
    return np.array(C, dtype=dtype, order="F", copy=True)


class Householder:
    """``Q`` (``p x p``) of a ``geqrt`` factorization: the first ``k`` reflectors of ``qr``.

    ``qr`` is the packed ``p x k'`` output of ``geqrt`` and ``T`` its block
    reflector factors; only the first ``k`` reflectors are used (the leading
    columns of a compact-WY ``T`` are the ``T`` of those reflectors).
    """

    def __init__(self, qr, T, k=None):
        k = qr.shape[1] if k is None else k
        # gemqrt wants nb <= k: with fewer reflectors than a block, the leading
        # k x k part of the first block's T is their T.
        self.qr, self.T = qr[:, :k], T[:min(T.shape[0], max(k, 1)), :k]

    @property
    def size(self):
        return self.qr.shape[0]

    @property
    def nbytes(self):
        return self.qr.nbytes + self.T.nbytes

    def apply(self, C, trans="N"):
        """``Q C`` (or ``Q^T C`` with ``trans="T"``) for ``C`` of shape (p, c); a new array."""
        return self._gemqrt(C, "L", trans)

    def apply_right(self, C):
        """``C Q`` for ``C`` of shape (c, p); a new array."""
        return self._gemqrt(C, "R", "N")

    def _gemqrt(self, C, side, trans):
        C = _fortran(C, self.qr.dtype)
        if self.qr.shape[1] == 0 or C.size == 0:
            return C
        gemqrt = lapack.get_lapack_funcs("gemqrt", (self.qr,))
        out, info = gemqrt(self.qr, self.T, C, side=side, trans=trans, overwrite_c=True)
        if info != 0:
            raise RuntimeError(f"LAPACK gemqrt failed with info={info}.")
        return out


class BidiagonalP:
    """``P`` (``n x n``) of ``gebrd``'s ``Q^T A P = B`` for an ``m x n`` ``A``, ``m >= n``."""

    vect = "P"

    def __init__(self, packed, tau):
        self.packed, self.tau = packed, tau

    @property
    def size(self):
        return self.packed.shape[1]

    @property
    def nbytes(self):
        return self.packed.nbytes + self.tau.nbytes

    def apply(self, C, trans="N"):
        C = _fortran(C, self.packed.dtype)
        return _lapack.ormbr(self.vect, "L", trans, self.packed, self.tau, C)

    def apply_right(self, C):
        C = _fortran(C, self.packed.dtype)
        return _lapack.ormbr(self.vect, "R", "N", self.packed, self.tau, C)


class BidiagonalQ(BidiagonalP):
    """``Q`` (``m x m``) of ``gebrd``'s ``Q^T A P = B``."""

    vect = "Q"

    @property
    def size(self):
        return self.packed.shape[0]


class ImplicitBasis:
    """``V = diag(2**-e) Q [W; 0]``: reflectors ``Q`` (n x n), dense ``W`` (r x k), exponents ``e``.

    ``e`` (or None) maps an equilibrated factorization back to the columns
    of ``X`` exactly, as a dense ``V / scale`` does.
    """

    def __init__(self, Q, W, exponents=None):
        self.Q, self.W, self.exponents = Q, W, exponents
        self._dense = None

    @property
    def shape(self):
        return (self.Q.size, self.W.shape[1])

    @property
    def dtype(self):
        return self.W.dtype

    @property
    def nbytes(self):
        return self.Q.nbytes + self.W.nbytes

    def _unscale(self, A):
        return A if self.exponents is None else np.ldexp(A, -self.exponents[:, None])

    def apply(self, B):
        """``V @ B`` for ``B`` of shape (k, c): ``O(n r c)``, ``V`` never formed."""
        B = np.asarray(B)
        vector = B.ndim == 1
        B = B.reshape(B.shape[0], -1)
        C = np.zeros((self.Q.size, B.shape[1]), self.W.dtype, order="F")
        C[: self.W.shape[0]] = self.W @ B.astype(self.W.dtype, copy=False)
        out = self._unscale(self.Q.apply(C))
        return out[:, 0] if vector else out

    def apply_t(self, G):
        """``V^T @ G`` for ``G`` of shape (n, c)."""
        G = np.asarray(G, self.W.dtype).reshape(self.Q.size, -1)
        C = self.Q.apply(self._unscale(G), trans="T")
        return self.W.T @ C[: self.W.shape[0]]

    def project(self, X):
        """``X @ V`` for a dense or sparse ``X`` of shape (p, n), a block of rows at a time."""
        p = X.shape[0]
        out = np.empty((p, self.W.shape[1]), self.W.dtype)
        r = self.W.shape[0]
        for i in range(0, p, _ROWS_PER_BLOCK):
            block = X[i:i + _ROWS_PER_BLOCK]
            block = block.toarray() if sparse.issparse(block) else np.asarray(block)
            block = self._unscale(block.T).T
            out[i:i + _ROWS_PER_BLOCK] = self.Q.apply_right(block)[:, :r] @ self.W
        return out

    def dense(self):
        """``V`` itself, ``n x k``: formed once, on first request."""
        if self._dense is None:
            self._dense = self.apply(np.eye(self.W.shape[1], dtype=self.W.dtype))
        return self._dense

    def row_norms(self, weights):
        """Norms of the rows of ``V diag(weights)``, a block of columns at a time."""
        k, step = self.W.shape[1], max(1, 2**18 // max(self.Q.size, 1))
        norms = np.zeros(self.Q.size)
        for j in range(0, k, step):
            width = min(step, k - j)
            cols = np.zeros((k, width), self.W.dtype)
            cols[np.arange(j, j + width), np.arange(width)] = weights[j:j + width]
            norms = np.hypot(norms, safe_norms(self.apply(cols).T.astype(np.float64)))
        return norms


class LeftReflectors:
    """``U^T f`` of the tall QR route without ``U``: ``Ur^T (Q^T f)[lead:lead + n]``.

    ``Q`` holds the reflectors of the QR of ``[sqrt(w) | Xc]`` (``lead = 1``
    with an intercept): its first column is the intercept direction, so the
    rows ``lead:`` of ``Q^T f`` are already orthogonal to it. ``R`` (or
    None) is the triangle ``Q^T Xc`` whose SVD gave ``Ur``: refinement may
    factor it again with its columns scaled.
    """

    def __init__(self, Q, Ur, lead, R=None):
        self.Q, self.Ur, self.lead, self.R = Q, Ur, lead, R

    @property
    def nbytes(self):
        return self.Q.nbytes + self.Ur.nbytes

    def apply_t(self, F):
        """``U^T F`` for ``F`` of shape (m, t)."""
        n = self.Ur.shape[0]
        QtF = self.Q.apply(F, trans="T")
        return self.Ur.T @ QtF[self.lead:self.lead + n]
