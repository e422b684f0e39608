"""The Tikhonov L-curve from one factorization, with exact curvature.

For ``phi_i = s_i^2 / (s_i^2 + alpha)`` on the kept spectrum the curve is
``(log ||r||, log ||w||)`` with ``||r||^2 = sum((1 - phi_i)^2 z_i^2) + rho^2``
and ``||w||^2 = sum(phi_i^2 z_i^2 / s_i^2)``. Parametrised by ``t = log alpha``,
``d phi / dt = -phi (1 - phi)``, so both norms have closed-form first and
second derivatives and the curvature needs no finite differences (which are
noisy on a coarse alpha grid). The corner is the point of maximum curvature
(Hansen, *Rank-Deficient and Discrete Ill-Posed Problems*, SIAM 1998, 7.5).

Everything is computed in the normalised units of
:class:`sklearn_pinv._selection.Spectrum` (``s_max = 1``): the curvature of a
log-log curve does not change when either axis is scaled, and nothing here
can overflow.
"""

import numpy as np

from ._spectral import tikhonov_factors

__all__ = ["lcurve_curvature", "lcurve_norms"]


def lcurve_curvature(s, z2, rho2, rel_alphas):
    """Squared norms and signed curvature of the L-curve, normalised units.

    Parameters
    ----------
    s : ndarray of shape (K,)
        Kept singular values over ``s_max``.
    z2 : ndarray of shape (K,)
        Their pooled squared coordinates.
    rho2 : float
        Pooled squared residual outside the kept directions.
    rel_alphas : ndarray of shape (c,)
        Alphas over ``s_max**2``.

    Returns
    -------
    R, S, kappa : ndarray of shape (c,)
        ``||r||^2``, ``||w||^2`` and the curvature, positive where the curve
        turns like the corner of an "L" (counter-clockwise as alpha grows);
        ``-inf`` where it is undefined.
    """
    rel_alphas = np.asarray(rel_alphas, dtype=np.float64).reshape(-1)
    phi = tikhonov_factors(s, np.ones(s.size, bool), rel_alphas).T  # (c, K)
    one = 1 - phi
    w2 = z2 / s**2
    R = np.sum(one**2 * z2, axis=1) + rho2
    S = np.sum(phi**2 * w2, axis=1)
    # Derivatives in t = log(alpha), from d phi / dt = -phi (1 - phi).
    dR = 2 * np.sum(phi * one**2 * z2, axis=1)
    ddR = -2 * np.sum(phi * one**2 * (1 - 3 * phi) * z2, axis=1)
    dS = -2 * np.sum(phi**2 * one * w2, axis=1)
    ddS = 2 * np.sum(phi**2 * one * (2 - 3 * phi) * w2, axis=1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # xi = log ||r|| = log(R) / 2, eta = log ||w|| = log(S) / 2.
        dxi, deta = dR / (2 * R), dS / (2 * S)
        ddxi = (ddR * R - dR**2) / (2 * R**2)
        ddeta = (ddS * S - dS**2) / (2 * S**2)
        kappa = (dxi * ddeta - ddxi * deta) / (dxi**2 + deta**2) ** 1.5
    return R, S, np.where(np.isfinite(kappa), kappa, -np.inf)


def lcurve_norms(sp, alphas):
    """Residual norms, solution norms and curvature at absolute ``alphas``.

    ``sp`` is a :class:`~sklearn_pinv._selection.Spectrum`; the norms come
    back in the data's units (they may overflow to ``inf`` only where the
    true values are beyond the float range).
    """
    rel = np.asarray(alphas, dtype=np.float64).reshape(-1) / sp.scale**2
    R, S, kappa = lcurve_curvature(sp.s, sp.z2, sp.rho2, rel)
    with np.errstate(over="ignore"):
        return np.sqrt(R) * sp.zscale, np.sqrt(S) * (sp.zscale / sp.scale), kappa
