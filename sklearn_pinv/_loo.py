"""Exact leave-one-out from one factorization: the hat diagonal and LOO residuals.

With an unpenalised intercept and sample weights, as scikit-learn's
``RidgeCV`` computes them (its ``_RidgeGCV``), for any filter factors.

Both the residual ``r_j`` and ``1 - h_jj`` vanish as the filter keeps more
of every direction (``alpha -> 0``). With accurate left singular vectors
neither is formed as a difference of nearly equal numbers: each is the part
outside the kept directions plus what the filter leaves of each one,
``1 - phi_i`` being passed in as ``shrink`` (computed as
``alpha / (s^2 + alpha)``, not ``1 - phi``). When the kept directions and
the intercept span every sample (wide data), the outside part is exactly
zero and is not computed at all: the leave-one-out error stays exact down
to the smallest alpha (scikit-learn's own RidgeCV test keeps
``alpha >= 1e-5`` for that reason). ``U = Xc V / s`` of an ill-conditioned
spectrum (sparse ``X``) is inaccurate on its small directions; there the
classic form ``Yc - U (phi z)``, ``1 - h``, multiplies each error by the
small ``phi_i`` instead.
"""

import numpy as np

__all__ = ["hat_diagonal", "loo_residuals", "tikhonov_shrinkage"]


def tikhonov_shrinkage(singular_values, kept, alphas):
    """``1 - phi = alpha / (s^2 + alpha)`` of the Tikhonov filter, without cancellation.

    Written as ``1 / (1 + (s / sqrt(alpha))^2)``: 0 for ``alpha = 0``, 1
    on dropped directions (and where ``s = 0``); shape (k, c).
    """
    s = np.asarray(singular_values, dtype=np.float64)[:, None]
    root = np.sqrt(np.asarray(alphas, dtype=np.float64).reshape(1, -1))
    mask = np.asarray(kept, dtype=bool)[:, None] & (s > 0)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        psi = 1.0 / (1.0 + (s / root) ** 2)
    return np.where(mask, psi, 1.0)


def _intercept_leverage(m, sample_weight, fit_intercept, weight_sum):
    """``w_j / sum(w)``: the leverage of the (unpenalised) intercept; zeros without it."""
    if not fit_intercept:
        return np.zeros(m)
    w = np.ones(m) if sample_weight is None else np.asarray(sample_weight, float)
    return w / (w.sum() if weight_sum is None else weight_sum)


def hat_diagonal(U, phi, sample_weight=None, fit_intercept=True, weight_sum=None):
    """Diagonal of the hat matrix of the weighted, centred smoother; shape (m, c).

    ``h_jj = sum_i phi_i U_ji^2 (+ w_j / sum(w) for the intercept)``. The
    intercept direction ``sqrt(w) / ||sqrt(w)||`` is orthogonal to the
    weighted, centred columns, so it adds its own projection exactly.
    ``U`` may be a block of rows of the left singular vectors; then
    ``weight_sum`` is the total weight of all rows (default: of these).
    """
    lev = _intercept_leverage(U.shape[0], sample_weight, fit_intercept, weight_sum)
    return np.square(U) @ phi + lev[:, None]


def _filtered_parts(U, Yc, z, phi, lev):
    """``r = Yc - U (phi z)`` and ``1 - h``: exact where ``phi`` is small.

    Needs no accurate ``U`` for heavily filtered directions (an error in
    ``U_i`` is multiplied by ``phi_i``): the form for ``U = Xc V / s`` of an
    ill-conditioned spectrum.
    """
    m, (k, c), t = U.shape[0], phi.shape, z.shape[1]
    e = (U @ (phi[:, :, None] * z[:, None, :]).reshape(k, c * t)).reshape(m, c, t)
    np.subtract(Yc[:, None, :], e, out=e)
    return e, 1.0 - lev[:, None] - np.square(U) @ phi


def _shrunk_parts(U, Yc, z, psi, lev, complete):
    """``r`` and ``1 - h`` as what lies outside plus ``U (psi z)``: exact where ``psi`` is small."""
    m, (k, c), t = U.shape[0], psi.shape, z.shape[1]
    sq = np.square(U)
    e = (U @ (psi[:, :, None] * z[:, None, :]).reshape(k, c * t)).reshape(m, c, t)
    one_minus_h = sq @ psi
    if not complete:  # what lies outside the kept directions and the intercept
        e += (Yc - U @ z)[:, None, :]
        one_minus_h += (1.0 - lev - sq.sum(axis=1))[:, None]
    return e, one_minus_h


def loo_residuals(U, Yc, z, phi, sample_weight=None, fit_intercept=True, weight_sum=None,
                  shrink=None, complete=False):
    """Exact leave-one-out residuals ``r_j / (1 - h_jj)``; shape (m, c, t).

    ``U`` (m, k) and ``z`` (k, t) of the centred, weighted problem, ``Yc``
    (m, t) its centred, weighted targets, ``phi`` (k, c) filter factors.
    With ``shrink``, their complements ``1 - phi`` computed without
    cancellation, ``r`` and ``1 - h`` are formed from what the filter
    leaves (exact as ``alpha -> 0``; needs an accurate ``U``), and
    ``complete`` says the columns of ``U`` and the intercept direction span
    every sample. Without, from what it takes (the form for an inaccurate
    ``U``). The residuals are in the weighted space,
    ``sqrt(w_j) (y_j - y_hat_{-j})``, as ``RidgeCV``'s. Infinite where a
    sample has leverage 1 (its own fit is exact and leaving it out is
    undefined). Row blocks of ``U`` and ``Yc`` give the rows' residuals,
    with ``weight_sum`` the total weight.
    """
    k = U.shape[1]
    lev = _intercept_leverage(U.shape[0], sample_weight, fit_intercept, weight_sum)
    if shrink is None:
        e, one_minus_h = _filtered_parts(U, Yc, z, phi, lev)
    else:
        e, one_minus_h = _shrunk_parts(U, Yc, z, shrink, lev, complete)
    # Leverage 1 up to rounding; when complete, 1 - h is sum_i U_ji^2 psi_i and
    # rounds at the scale of psi (tiny for tiny alphas, yet exact).
    scale = shrink.max(axis=0, initial=0.0) if shrink is not None and complete else 1.0
    degenerate = one_minus_h <= 10 * np.finfo(U.dtype).eps * max(k, 1) * scale
    if degenerate.any():
        one_minus_h[degenerate] = np.inf  # r / inf = 0, replaced below
    e /= one_minus_h[:, :, None]
    if degenerate.any():
        e[np.broadcast_to(degenerate[:, :, None], e.shape)] = np.inf
    return e
