"""Exact leave-one-out from one factorization: the hat diagonal and LOO residuals.

With an unpenalised intercept and sample weights, as scikit-learn's
``RidgeCV`` computes them (its ``_RidgeGCV``), for any filter factors.
"""

import numpy as np

__all__ = ["hat_diagonal", "loo_residuals"]


def hat_diagonal(U, phi, sample_weight=None, fit_intercept=True, weight_sum=None):
    """Diagonal of the hat matrix of the weighted, centred smoother; shape (m, c).

    ``h_jj = sum_i phi_i U_ji^2 (+ w_j / sum(w) for the intercept)``. The
    intercept direction ``sqrt(w) / ||sqrt(w)||`` is orthogonal to the
    weighted, centred columns, so it adds its own projection exactly.
    ``U`` may be a block of rows of the left singular vectors; then
    ``weight_sum`` is the total weight of all rows (default: of these).
    """
    h = np.square(U) @ phi
    if fit_intercept:
        m = U.shape[0]
        w = np.ones(m) if sample_weight is None else np.asarray(sample_weight, float)
        h += (w / (w.sum() if weight_sum is None else weight_sum))[:, None]
    return h


def loo_residuals(U, Yc, z, phi, sample_weight=None, fit_intercept=True, weight_sum=None):
    """Exact leave-one-out residuals ``r_j / (1 - h_jj)``; shape (m, c, t).

    ``U`` (m, k) and ``z`` (k, t) of the centred, weighted problem, ``Yc``
    (m, t) its centred, weighted targets, ``phi`` (k, c) filter factors. The
    residuals are in the weighted space, ``sqrt(w_j) (y_j - y_hat_{-j})``,
    as ``RidgeCV``'s. Infinite where a sample has leverage 1 (its own fit is
    exact and leaving it out is undefined). Row blocks of ``U`` and ``Yc``
    give the rows' residuals, with ``weight_sum`` the total weight.
    """
    m, (k, c), t = U.shape[0], phi.shape, z.shape[1]
    # In place throughout: at (m, c, t) these arrays dominate the cost.
    e = (U @ (phi[:, :, None] * z[:, None, :]).reshape(k, c * t)).reshape(m, c, t)
    np.subtract(Yc[:, None, :], e, out=e)
    one_minus_h = hat_diagonal(U, phi, sample_weight, fit_intercept, weight_sum)
    np.subtract(1, one_minus_h, out=one_minus_h)
    degenerate = one_minus_h <= 10 * np.finfo(U.dtype).eps * max(k, 1)
    if degenerate.any():
        one_minus_h[degenerate] = np.inf  # r / inf = 0, replaced below
    e /= one_minus_h[:, :, None]
    if degenerate.any():
        e[np.broadcast_to(degenerate[:, :, None], e.shape)] = np.inf
    return e


