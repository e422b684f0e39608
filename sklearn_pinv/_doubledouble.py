"""Double-double kernels: error-free transformations and compensated sums.

``two_sum`` (Knuth) and ``two_prod`` (Dekker's splitting; no FMA needed)
return a rounded result and its exact rounding error. Summing the errors
separately (Ogita, Rump and Oishi's Sum2) gives results as accurate as if
computed in twice the working precision, vectorised over NumPy arrays. They
act on vectors of ``m`` or ``n`` numbers; products with ``X`` itself go
through :mod:`sklearn_pinv._sliced`.
"""

import numpy as np

__all__ = ["two_sum", "split", "two_prod", "balanced_prod", "tree_sum"]

_SPLIT = 134217729.0  # 2**27 + 1: Dekker's splitter for float64


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


def balanced_prod(a, b):
    """:func:`two_prod` with ``b`` scaled by a power of two near ``1 / max|b|`` first.

    Dekker's splitting overflows for factors beyond ``2**996``; moving the
    exponent from ``b`` to ``a`` (exactly) keeps both factors in range
    whenever their product is.
    """
    big = float(np.max(np.abs(b), initial=0.0))
    k = int(np.frexp(big)[1]) if big > 0 else 0
    with np.errstate(over="ignore"):
        return two_prod(np.ldexp(a, k), np.ldexp(b, -k))


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


# --- slicing ---------------------------------------------------------------------
