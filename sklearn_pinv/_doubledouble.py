"""Double-double kernels: error-free transformations and compensated sums.

``two_sum`` (Knuth) and ``two_prod`` (Dekker's splitting; no FMA needed)
return a rounded result and its exact rounding error. Summing the errors
separately (Ogita, Rump and Oishi's Sum2/Dot2) gives results as accurate as
if computed in twice the working precision, vectorised over NumPy arrays.
They serve :mod:`sklearn_pinv._refine`: residuals of a least-squares
problem, in which nearly everything cancels, to about ``eps**2``.
"""

import numpy as np

__all__ = ["two_sum", "two_prod", "tree_sum", "residual", "gradient"]

_SPLIT = 134217729.0  # 2**27 + 1: Dekker's splitter for float64


# --- error-free transformations (elementwise, vectorised) -------------------


def two_sum(a, b):
    """``s + e == a + b`` exactly, ``s = fl(a + b)`` (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a):
    c = _SPLIT * a
    hi = c - (c - a)
    return hi, a - hi


def two_prod(a, b):
    """``p + e == a * b`` exactly, ``p = fl(a * b)`` (Dekker, no FMA needed).

    Splitting overflows only for ``|a|, |b| > 2**996``; there the error term
    is dropped (set to 0) rather than poisoning the sum with ``nan``.
    """
    p = a * b
    with np.errstate(over="ignore", invalid="ignore"):
        ah, al = _split(a)
        bh, bl = _split(b)
        e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, np.where(np.isfinite(e), e, 0.0)


def tree_sum(p, e):
    """``(hi, lo)`` with ``hi + lo ~ sum(p + e)`` along axis 0, about double-double accurate.

    Pairwise two-sums of contiguous halves; the error terms are summed in
    plain double, as in Ogita, Rump and Oishi's Sum2.
    """
    if p.shape[0] == 0:
        zero = np.zeros(p.shape[1:])
        return zero, zero
    while p.shape[0] > 1:
        h = p.shape[0] // 2
        s, err = two_sum(p[:h], p[h : 2 * h])
        err += e[:h] + e[h : 2 * h]
        if p.shape[0] % 2:  # fold the odd row into the first
            s[0], extra = two_sum(s[0], p[2 * h])
            err[0] += extra + e[2 * h]
        p, e = s, err
    hi = p[0] + e[0]
    return hi, (p[0] - hi) + e[0]


# --- least-squares residuals ---------------------------------------------

_BLOCK = 2**18  # elements per temporary block: bounds the memory of the sums


def residual(X, Y, q, coef, intercept, r):
    """``f = q * (Y - intercept - X coef) - r`` as a pair ``(hi, lo)``, ``f ~ hi + lo``."""
    m, n = X.shape
    hi, lo = np.empty_like(Y), np.empty_like(Y)
    rows = max(1, _BLOCK // max(n, 1))
    for k in range(Y.shape[1]):
        for i in range(0, m, rows):
            sl = slice(i, i + rows)
            p, pe = two_prod(X[sl], -coef[None, :, k])
            xw, xw_lo = tree_sum(p.T, pe.T)
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


def gradient(X, q, r_hi, r_lo):
    """``(q^T r, X^T (q * r))`` per target for ``r = r_hi + r_lo``, double-double accurate."""
    t = r_hi.shape[1]
    grad_b, grad_w = np.empty(t), np.empty((X.shape[1], t))
    width = max(1, _BLOCK // max(X.shape[0], 1))
    for k in range(t):
        if q is None:
            v, ve = r_hi[:, k], r_lo[:, k]
        else:
            v, ve = two_prod(q, r_hi[:, k])
            ve = ve + q * r_lo[:, k]
        grad_b[k] = sum(tree_sum(v, ve))
        for j in range(0, X.shape[1], width):
            Xj = X[:, j : j + width]
            p, pe = two_prod(Xj, v[:, None])
            grad_w[j : j + width, k] = sum(tree_sum(p, pe + Xj * ve[:, None]))
    return grad_b, grad_w
