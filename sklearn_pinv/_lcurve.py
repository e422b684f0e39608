"""The Tikhonov L-curve from one factorization, with exact curvature.

For ``phi_i = s_i^2 / (s_i^2 + alpha)`` on the kept spectrum the curve is
``(log ||r||, log ||w||)`` with ``||r||^2 = sum((1 - phi_i)^2 z_i^2) + rho^2``
and ``||w||^2 = sum(phi_i^2 z_i^2 / s_i^2)``. Parametrised by ``t = log alpha``,
``d phi / dt = -phi (1 - phi)``, so both norms have closed-form first and
second derivatives and the curvature needs no finite differences (which are
noisy on a coarse alpha grid). The corner is the point of maximum curvature
(Hansen, *Rank-Deficient and Discrete Ill-Posed Problems*, SIAM 1998, 7.5).
"""

import numpy as np

from .tolerance import DEFAULT, cut

__all__ = ["default_alphas", "lcurve", "lcurve_corner"]


def _kept_spectrum(factorization, kept):
    s = factorization.singular_values.astype(np.float64)
    if kept is None:
        kept = s > 0
    kept = np.asarray(kept, dtype=bool) & (s > 0)
    # Sum z^2 over targets: one curve for all targets, as GCV does.
    z2 = np.sum(factorization.z.astype(np.float64) ** 2, axis=1)
    rho2 = float(np.sum(factorization.residual_norms.astype(np.float64) ** 2))
    rho2 += float(np.sum(z2[~kept]))  # dropped directions always stay in r
    return s[kept], z2[kept], rho2


def default_alphas(factorization, kept=None, num=50):
    """A log grid spanning the kept spectrum: ``[1e-2 s_min^2, 1e2 s_max^2]``.

    Returns an increasing array of ``num`` values (``[1.0]`` when nothing is
    kept, where every alpha gives the same zero solution).
    """
    s, _, _ = _kept_spectrum(factorization, kept)
    if s.size == 0:
        return np.array([1.0])
    lo, hi = np.log10(s.min() ** 2) - 2, np.log10(s.max() ** 2) + 2
    return np.logspace(lo, hi, num)


def lcurve(factorization, alphas, kept=None):
    """Residual norms, solution norms and curvature of the L-curve.

    Parameters
    ----------
    factorization : Factorization
    alphas : array-like of shape (n_alphas,)
        Positive regularisation strengths.
    kept : ndarray of bool of shape (k,), default=None
        Singular values the tolerance policy keeps (all non-zero ones if None).

    Returns
    -------
    residual_norms, solution_norms, curvature : ndarray of shape (n_alphas,)
        The curvature is signed: positive where the curve turns like the
        corner of an "L" (counter-clockwise as alpha grows).
    """
    alphas = np.asarray(alphas, dtype=np.float64).reshape(-1)
    s, z2, rho2 = _kept_spectrum(factorization, kept)
    phi = s[None, :] ** 2 / (s[None, :] ** 2 + alphas[:, None])
    one = 1 - phi
    w2 = z2 / s**2
    R = np.sum(one**2 * z2, axis=1) + rho2
    S = np.sum(phi**2 * w2, axis=1)
    # Derivatives in t = log(alpha), from d phi / dt = -phi (1 - phi).
    dR = 2 * np.sum(phi * one**2 * z2, axis=1)
    ddR = -2 * np.sum(phi * one**2 * (1 - 3 * phi) * z2, axis=1)
    dS = -2 * np.sum(phi**2 * one * w2, axis=1)
    ddS = 2 * np.sum(phi**2 * one * (2 - 3 * phi) * w2, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        # xi = log ||r|| = log(R) / 2, eta = log ||w|| = log(S) / 2.
        dxi, deta = dR / (2 * R), dS / (2 * S)
        ddxi = (ddR * R - dR**2) / (2 * R**2)
        ddeta = (ddS * S - dS**2) / (2 * S**2)
        kappa = (dxi * ddeta - ddxi * deta) / (dxi**2 + deta**2) ** 1.5
    kappa = np.where(np.isfinite(kappa), kappa, -np.inf)
    return np.sqrt(R), np.sqrt(S), kappa


def lcurve_corner(factorization, alphas=None, tol=DEFAULT):
    """The alpha at the L-curve's point of maximum curvature.

    Parameters
    ----------
    factorization : Factorization
    alphas : array-like, default=None
        Candidate alphas; :func:`default_alphas` when None.
    tol : str, float, TolerancePolicy or callable, default="scipy"
        Tolerance policy deciding the kept spectrum.

    Returns
    -------
    alpha : float
    index : int
        Position of ``alpha`` in ``alphas``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import factorize
    >>> from sklearn_pinv._lcurve import lcurve_corner
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 8)) * np.logspace(0, -6, 8)
    >>> y = X @ np.ones(8) + 1e-3 * rng.standard_normal(50)
    >>> alpha, i = lcurve_corner(factorize(X, y[:, None]))
    >>> 1e-10 < alpha < 1e-2
    True
    """
    _, kept = cut(tol, factorization)
    if alphas is None:
        alphas = default_alphas(factorization, kept)
    alphas = np.asarray(alphas, dtype=np.float64).reshape(-1)
    kappa = lcurve(factorization, alphas, kept)[2]
    index = int(np.argmax(kappa))
    return float(alphas[index]), index
