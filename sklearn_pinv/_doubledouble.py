"""Double-double kernels: error-free transformations and compensated sums.

``two_sum`` (Knuth) and ``two_prod`` (Dekker's splitting; no FMA needed)
return a rounded result and its exact rounding error. Summing the errors
separately (Ogita, Rump and Oishi's Sum2/Dot2) gives results as accurate as
if computed in twice the working precision, vectorised over NumPy arrays.
They serve :mod:`sklearn_pinv._refine`: residuals of a least-squares
problem, in which nearly everything cancels, to about ``eps**2``.
"""

import numpy as np
from scipy import sparse

__all__ = ["two_sum", "two_prod", "tree_sum", "Design", "residual", "gradient"]

_SPLIT = 134217729.0  # 2**27 + 1: Dekker's splitter for float64
_BLOCK = 2**18  # elements per temporary block: bounds the memory of the sums
_PRESPLIT_MAX = 2**24  # keep the split of X (two copies) only below this size


# --- error-free transformations (elementwise, vectorised) -------------------


def two_sum(a, b):
    """``s + e == a + b`` exactly, ``s = fl(a + b)`` (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def split(a):
    """``a == hi + lo`` with 26-bit halves, so that products of halves are exact.

    Where ``|a| > 2**996`` the splitter overflows; there ``hi = a, lo = 0``
    (that product's error term is then inexact rather than ``nan``).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        c = _SPLIT * a
        hi = c - (c - a)
    if not np.all(np.isfinite(hi)):
        hi = np.where(np.isfinite(hi), hi, a)
    return hi, a - hi


def two_prod(a, b, a_parts=None):
    """``p + e == a * b`` exactly, ``p = fl(a * b)`` (Dekker); ``a_parts = split(a)`` if known."""
    p = a * b
    ah, al = split(a) if a_parts is None else a_parts
    bh, bl = split(b)
    with np.errstate(over="ignore", invalid="ignore"):
        e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    if not np.all(np.isfinite(e)):  # only next to overflow
        e = np.where(np.isfinite(e), e, 0.0)
    return p, e


def tree_sum(p, e, axis=0):
    """``(hi, lo)`` with ``hi + lo ~ sum(p + e)`` along ``axis``, about double-double accurate.

    Pairwise two-sums of halves; the error terms are summed in plain
    double, as in Ogita, Rump and Oishi's Sum2.
    """
    p, e = np.moveaxis(p, axis, 0), np.moveaxis(e, axis, 0)
    if p.shape[0] == 0:
        zero = np.zeros(p.shape[1:])
        return zero, zero
    while p.shape[0] > 1:
        h = p.shape[0] // 2
        s, err = two_sum(p[:h], p[h : 2 * h])
        err += e[:h] + e[h : 2 * h]
        if p.shape[0] % 2:  # fold the odd one into the first
            s[0], extra = two_sum(s[0], p[2 * h])
            err[0] += extra + e[2 * h]
        p, e = s, err
    hi = p[0] + e[0]
    return hi, (p[0] - hi) + e[0]


# --- least-squares residuals ---------------------------------------------------


class Design:
    """``X`` as the kernels read it: transposed blocks of samples (features by samples).

    Dense ``X`` is transposed once (contiguous) and, if small enough, split
    once; a sparse ``X`` is densified one block of rows at a time, so its
    memory stays one block.
    """

    def __init__(self, X):
        self.sparse = sparse.issparse(X)
        m, n = X.shape
        self.n_features = n
        step = max(1, _BLOCK // max(n, 1))
        self.chunks = [slice(i, min(i + step, m)) for i in range(0, m, step)]
        if self.sparse:
            self.X, self.XT, self.parts = X.tocsr(), None, None
        else:
            self.XT = np.ascontiguousarray(np.asarray(X, np.float64).T)
            self.parts = split(self.XT) if self.XT.size <= _PRESPLIT_MAX else None

    def block(self, chunk):
        """``X[chunk].T`` as a dense float64 array."""
        if self.sparse:
            return np.asarray(self.X[chunk].toarray(), np.float64).T
        return self.XT[:, chunk]

    def products(self, chunk, v):
        """Exact products ``X[chunk].T * v`` (broadcast) as ``(p, e)``, features first."""
        XT = self.block(chunk)
        parts = None if self.parts is None else (self.parts[0][:, chunk], self.parts[1][:, chunk])
        return two_prod(XT, v, parts)


def residual(design, Y, q, coef, intercept, r):
    """``f = q * (Y - intercept - X coef) - r`` as a pair ``(hi, lo)``, ``f ~ hi + lo``."""
    hi, lo = np.empty_like(Y), np.empty_like(Y)
    for k in range(Y.shape[1]):
        for sl in design.chunks:
            p, pe = design.products(sl, -coef[:, k : k + 1])
            xw, xw_lo = tree_sum(p, pe)
            s, e = two_sum(Y[sl, k], -intercept[k])
            s, e2 = two_sum(s, xw)
            c = e + e2 + xw_lo
            if q is not None:
                s, pe = two_prod(q[sl], s)
                c = pe + q[sl] * c
            s, e = two_sum(s, -r[sl, k])
            c = c + e
            hi[sl, k] = s + c
            lo[sl, k] = (s - hi[sl, k]) + c
    return hi, lo


def gradient(design, q, r_hi, r_lo):
    """``(q^T r, X^T (q * r))`` per target for ``r = r_hi + r_lo``, double-double accurate."""
    t, n = r_hi.shape[1], design.n_features
    grad_b, grad_w = np.empty(t), np.empty((n, t))
    for k in range(t):
        if q is None:
            v, ve = r_hi[:, k], r_lo[:, k]
        else:
            v, ve = two_prod(q, r_hi[:, k])
            ve = ve + q * r_lo[:, k]
        grad_b[k] = sum(tree_sum(v, ve))
        acc, acc_lo = np.zeros(n), np.zeros(n)
        for sl in design.chunks:  # per chunk of samples, then across chunks
            p, pe = design.products(sl, v[None, sl])
            part, part_lo = tree_sum(p, pe + design.block(sl) * ve[None, sl], axis=1)
            acc, e = two_sum(acc, part)
            acc_lo += e + part_lo
        grad_w[:, k] = acc + acc_lo
    return grad_b, grad_w
