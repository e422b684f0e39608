"""Spectral filters: how much of each singular direction a solution keeps.

A solution is ``w = V diag(d) z`` with ``d_i = phi_i / s_i``, where the filter
factor ``phi_i`` is 1 for a kept direction of the pseudoinverse, 0 for a
dropped one, and ``s_i^2 / (s_i^2 + alpha)`` for Tikhonov.
"""

import numpy as np

__all__ = ["truncation", "tikhonov"]


def truncation(singular_values, kept):
    """``d = 1/s`` on the kept singular values, 0 elsewhere; shape (k,)."""
    s = singular_values
    return np.divide(1, s, out=np.zeros_like(s), where=kept)


def tikhonov(singular_values, kept, alpha):
    """``d = s / (s^2 + alpha)`` on the kept singular values; shape (k, len(alpha)).

    Written as ``1 / (s + alpha/s)`` so that neither ``s^2`` overflows for
    huge ``s`` nor underflows for tiny ``s``.
    """
    s = singular_values[:, None]
    alpha = np.asarray(alpha, dtype=s.dtype).reshape(1, -1)
    mask = np.broadcast_to(kept[:, None], (s.shape[0], alpha.shape[1]))
    safe_s = np.where(mask, s, 1)
    with np.errstate(over="ignore"):
        d = 1 / (safe_s + alpha / safe_s)
    return np.where(mask, d, 0).astype(s.dtype, copy=False)


def filter_factors(singular_values, d):
    """``phi = s * d``, the fraction of each direction a solution keeps."""
    s = singular_values if d.ndim == 1 else singular_values[:, None]
    return s * d
