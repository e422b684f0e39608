"""Parameter-choice rules as pure functions over a factorization's spectrum.

Every rule reads the kept singular values ``s``, ``z = U^T yc`` and the
residual ``rho`` outside the kept directions, through a :class:`Spectrum`
normalised by ``s_max`` and by the size of ``z``: the rules never square a
raw singular value, so ``X * 1e160`` and ``X * 1e-160`` choose what ``X``
does. Truncation rules return a rank ``k``; Tikhonov rules return ``alpha``
*relative to* ``s_max**2`` (the estimators scale it back, see
:class:`Spectrum`). Each candidate costs ``O(k)``: no refit. Several targets
are pooled (norms summed over targets), as GCV does.

The rules follow Hansen, *Rank-Deficient and Discrete Ill-Posed Problems*
(SIAM, 1998), chapter 7, and his Regularization Tools (``gcv``, ``l_curve``,
``discrep``, ``quasiopt``). This module never imports the policies that use it.
"""

from dataclasses import dataclass
from numbers import Real

import numpy as np
from scipy import optimize

from ._corner import lcurve_corner_index
from ._lcurve import lcurve_curvature
from ._spectral import tikhonov_factors

__all__ = [
    "Spectrum", "spectrum", "default_relative_alphas",
    "gcv_truncation_rank", "lcurve_corner_rank", "discrepancy_rank", "quasi_optimal_rank",
    "gcv_alpha", "lcurve_corner_alpha", "discrepancy_alpha", "quasi_optimal_alpha",
    "residual_sq", "gcv_values", "check_parameter", "at_rounding_floor",
]


@dataclass(frozen=True)
class Spectrum:
    """The kept spectrum in overflow-free units (float64).

    ``s`` holds the kept singular values over ``scale = s_max`` (so
    ``s[0] == 1``), ``z2`` the pooled squared coordinates over ``zscale**2``,
    ``rho2`` the pooled squared residual outside the kept directions in the
    same units. A relative alpha ``a`` means ``alpha = a * scale**2``.
    """

    s: np.ndarray
    z2: np.ndarray
    rho2: float
    scale: float
    zscale: float
    n_samples: int
    fit_intercept: bool
    n_targets: int
    eps: float

    @property
    def dof(self):
        """Residual degrees of freedom before any parameter: ``m - fit_intercept``."""
        return self.n_samples - int(self.fit_intercept)


def spectrum(factorization, kept=None):
    """The :class:`Spectrum` of the singular values ``kept`` (all non-zero ones if None)."""
    s = factorization.singular_values.astype(np.float64)
    kept = (s > 0) if kept is None else (np.asarray(kept, dtype=bool) & (s > 0))
    z = factorization.z.astype(np.float64)
    rho = factorization.residual_norms.astype(np.float64)
    zscale = float(max(np.max(np.abs(z), initial=0.0), np.max(rho, initial=0.0))) or 1.0
    z2 = np.sum((z / zscale) ** 2, axis=1)
    rho2 = float(np.sum((rho / zscale) ** 2) + np.sum(z2[~kept]))
    # A NumPy scalar: scale**2 saturates to inf (under errstate) instead of raising.
    scale = s[kept].max() if kept.any() else np.float64(1.0)
    return Spectrum(s=s[kept] / scale, z2=z2[kept], rho2=rho2, scale=scale, zscale=zscale,
                    n_samples=factorization.shape[0], fit_intercept=factorization.fit_intercept,
                    n_targets=factorization.z.shape[1],
                    eps=float(np.finfo(factorization.dtype).eps))


def check_parameter(rule, name, strict=False):
    """Raise unless ``rule.<name>`` is a real number ``>= 0`` (``> 0`` if ``strict``)."""
    value = getattr(rule, name)
    if isinstance(value, bool) or not (isinstance(value, Real) and value >= 0):
        raise ValueError(f"{name} must be a float >= 0, got {value!r}.")
    if strict and value == 0:
        raise ValueError(f"{name} must be a float > 0, got {value!r}.")


# --------------------------------------------------------------- truncation
def _residual_by_rank(sp):
    """``||r_k||^2`` for ``k = 0..K`` (K kept values), in ``zscale**2`` units."""
    return np.concatenate([np.cumsum(sp.z2[::-1])[::-1], [0.0]]) + sp.rho2


def _solution_by_rank(sp):
    """``||w_k||^2`` for ``k = 0..K``, in ``(zscale / scale)**2`` units."""
    return np.concatenate([[0.0], np.cumsum(sp.z2 / sp.s**2)])


def _admissible_ranks(sp):
    """Ranks ``0..K`` that sit at a gap: a rank inside a run of ties is no truncation."""
    ok = np.ones(sp.s.size + 1, dtype=bool)
    ok[1:] = sp.s > np.append(sp.s[1:], 0.0)
    return np.flatnonzero(ok)


def _gcv_room(sp, dof_used, weight):
    """GCV's residual degrees of freedom ``m - fit_intercept - weight * dof_used``,
    NaN where fewer than ``sqrt(m - fit_intercept)`` are left.

    With ``j`` residual degrees of freedom left, GCV's numerator on the
    noise is ``sigma^2`` times a chi-square with ``j`` degrees of freedom,
    so ``G = sigma^2 chi2_j / j^2``: for ``j`` of 1 or 2 a chance small
    draw beats every sensible candidate (``P(chi2_j < j^2 / m)``, 5% for
    ``j = 1`` at ``m = 256``); at ``j >= sqrt(m)`` that chance is below
    0.2% for ``m >= 64``, and the bound only ever excludes candidates
    within ``sqrt(m)`` of interpolating the data.
    """
    room = sp.dof - weight * np.asarray(dof_used, dtype=float)
    return np.where(room >= np.sqrt(max(sp.dof, 0)), room, np.nan)


def gcv_truncation_rank(sp, weight=1.0):
    """Rank ``k`` minimising ``G(k) = ||r_k||^2 / (m - fit_intercept - weight * k)^2``.

    Only ranks at a gap (``s_k > s_{k+1}``) that leave at least
    ``sqrt(m - fit_intercept)`` residual degrees of freedom are candidates
    (see :func:`_gcv_room`); ``weight > 1`` is the weighted GCV of Chung,
    Nagy & O'Leary (2008). Rank 0 when no candidate is left.
    """
    ks = _admissible_ranks(sp)
    room = _gcv_room(sp, ks, weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = _residual_by_rank(sp)[ks] / room**2
    ok = np.isfinite(g)
    return int(ks[ok][np.argmin(g[ok])]) if ok.any() else 0


def lcurve_corner_rank(sp):
    """Rank at the corner of the discrete L-curve ``(log ||r_k||, log ||w_k||)``.

    The corner of the curve over the admissible ranks ``0..K`` by the
    adaptive pruning algorithm of Hansen, Jensen & Rodriguez (2007), see
    :mod:`sklearn_pinv._corner`: the sharpest turn of the raw polygon is
    often in the noisy tail, where consecutive ranks jump by decades. The
    residual includes everything outside the kept directions. The largest
    admissible rank when no point has positive, finite norms.
    """
    ks = _admissible_ranks(sp)
    res, sol = _residual_by_rank(sp)[ks], _solution_by_rank(sp)[ks]
    usable = (res > 0) & (sol > 0) & np.isfinite(res) & np.isfinite(sol)
    if not usable.any():
        return int(ks[-1])
    return int(ks[lcurve_corner_index(np.sqrt(res), np.sqrt(sol))])


def _discrepancy_target(sp, noise_std, safety):
    """``(safety * noise_std)^2 (m - fit_intercept)`` per target, pooled, in ``zscale**2`` units."""
    if not noise_std >= 0:
        raise ValueError(f"noise_std must be >= 0, got {noise_std!r}.")
    return (safety * noise_std / sp.zscale) ** 2 * sp.dof * sp.n_targets


def discrepancy_rank(sp, noise_std, safety=1.0):
    """Smallest rank whose residual is within the noise (Morozov's principle).

    The smallest admissible ``k`` with ``||r_k||^2 <= (safety *
    noise_std)^2 (m - fit_intercept)`` per target, where ``noise_std`` is
    the standard deviation of one (weighted) sample's noise; the largest
    admissible rank when none qualifies.
    """
    ks = _admissible_ranks(sp)
    inside = _residual_by_rank(sp)[ks] <= _discrepancy_target(sp, noise_std, safety)
    return int(ks[np.argmax(inside)] if inside.any() else ks[-1])


def quasi_optimal_rank(sp):
    """Rank after which the solution changes least: ``min_k ||w_k - w_{k-1}||``."""
    ks = _admissible_ranks(sp)
    if ks.size < 2:
        return int(ks[-1])
    return int(ks[1:][np.argmin(np.diff(_solution_by_rank(sp)[ks]))])


# ------------------------------------------------------------------ tikhonov
def default_relative_alphas(sp, num=50):
    """Log grid of relative alphas: ``[max(1e-2 s_min^2, eps), 1e2]`` (``s_max = 1``).

    The floor ``eps`` (i.e. ``eps * s_max**2``) is the smallest penalty the
    rounding of the factorization can resolve: below it a rule would pick
    noise at the rounding level of the spectrum. ``[1.0]`` when nothing is
    kept (every alpha gives the same zero solution).
    """
    if sp.s.size == 0:
        return np.array([1.0])
    lo = max(np.log10(sp.s.min() ** 2) - 2, np.log10(sp.eps))
    return np.logspace(lo, 2.0, num)


def at_rounding_floor(sp, rel_alpha):
    """Whether ``rel_alpha`` sits on the floor ``eps`` of :func:`default_relative_alphas`
    (only where that floor binds, i.e. ``s_min^2 < 100 eps``)."""
    binding = sp.s.size > 0 and sp.s.min() ** 2 < 1e2 * sp.eps
    return bool(binding and rel_alpha <= 1.01 * sp.eps)


def _phi(sp, rel_alphas):
    return tikhonov_factors(sp.s, np.ones(sp.s.size, bool), np.atleast_1d(rel_alphas))


def _pooled_residual(sp, rel_alphas):
    return ((1 - _phi(sp, rel_alphas)) ** 2).T @ sp.z2 + sp.rho2


def _refine(fun, grid, i):
    """Minimise ``fun(alpha)`` in log scale between the grid neighbours of ``i``."""
    lo, hi = np.log(grid[max(i - 1, 0)]), np.log(grid[min(i + 1, grid.size - 1)])
    if not lo < hi:
        return float(grid[i])
    res = optimize.minimize_scalar(lambda t: fun(np.exp(t)), bounds=(lo, hi),
                                   method="bounded", options={"xatol": 1e-6})
    best = float(np.exp(res.x))
    return best if fun(best) <= fun(grid[i]) else float(grid[i])


def _search(fun, sp, grid):
    """Minimise ``fun`` over ``grid`` (refined between neighbours when grid is None)."""
    refine = grid is None
    grid = default_relative_alphas(sp, 200) if refine else grid
    i = int(np.argmin(fun(grid)))
    return _refine(lambda a: float(fun(a)[0]), grid, i) if refine else float(grid[i])


def gcv_alpha(sp, grid=None, weight=1.0):
    """Relative alpha minimising GCV ``||r||^2 / (m - fit_intercept - weight * sum(phi))^2``.

    Targets pooled. Alphas leaving fewer than ``sqrt(m - fit_intercept)``
    residual degrees of freedom are no candidates (see :func:`_gcv_room`);
    ``weight > 1`` is weighted GCV (Chung, Nagy & O'Leary 2008).
    """
    def gcv(a):
        room = _gcv_room(sp, _phi(sp, a).sum(axis=0), weight)
        with np.errstate(divide="ignore", invalid="ignore"):
            g = _pooled_residual(sp, a) / room**2
        return np.where(np.isfinite(g), g, np.inf)

    return _search(gcv, sp, grid)


def _spectrum_grid(sp, grid):
    """Relative alphas on ``[max(s_min^2, eps), 1]``, where the spectrum speaks.

    As Hansen's ``l_curve`` and ``quasiopt``: below ``s_min^2`` every filter
    factor is about 1, so the curves shrink to a point whose shape is
    rounding noise (or, with a residual outside the range, a spurious
    finite curvature); below ``eps`` rounding cannot resolve the penalty.
    200 log-spaced points when ``grid`` is None, else the part of ``grid``
    inside the range (all of it when none is).
    """
    lo = max(sp.s.min() ** 2, sp.eps) if sp.s.size else 1.0
    if grid is None:
        return np.geomspace(lo, 1.0, 200) if lo < 1.0 else np.array([1.0])
    inside = (grid >= lo) & (grid <= 1.0)
    return grid[inside] if inside.any() else grid


def lcurve_corner_alpha(sp, grid=None):
    """Relative alpha at the L-curve's maximum curvature (exact derivatives),
    searched on ``[max(s_min^2, eps), 1]`` (:func:`_spectrum_grid`)."""
    grid = _spectrum_grid(sp, grid)
    return float(grid[int(np.argmax(lcurve_curvature(sp.s, sp.z2, sp.rho2, grid)[2]))])


def quasi_optimal_alpha(sp, grid=None):
    """Relative alpha minimising ``Q = ||alpha dw/d alpha||`` on ``[s_min^2, s_max^2]``.

    ``alpha dw/d alpha = -V diag(phi (1 - phi) / s) z``. ``Q`` vanishes at
    both ends of the spectrum, so (as Hansen's ``quasiopt``) the search is
    restricted to :func:`_spectrum_grid`, refined between neighbours when
    no grid is given.
    """
    if sp.s.size == 0:
        return 1.0
    w2 = sp.z2 / sp.s**2

    def q(a):
        phi = _phi(sp, a)
        return ((phi * (1 - phi)) ** 2).T @ w2

    fine = _spectrum_grid(sp, grid)
    i = int(np.argmin(q(fine)))
    return _refine(lambda a: float(q(a)[0]), fine, i) if grid is None else float(fine[i])


def discrepancy_alpha(sp, noise_std, safety=1.0, grid=None):
    """Largest relative alpha whose residual stays within the noise (Morozov).

    Solves ``||r(alpha)||^2 = (safety * noise_std)^2 (m - fit_intercept)``
    (per target, pooled): ``||r||`` grows with ``alpha``, so without a grid
    the root is found exactly (Brent's method in ``log alpha``); on a grid,
    the largest grid value inside the bound (the smallest when none is).
    When even ``alpha -> 0`` leaves more residual than the noise explains,
    ``0.0`` is returned.
    """
    target = _discrepancy_target(sp, noise_std, safety)

    def excess(a):
        return _pooled_residual(sp, a) - target

    if grid is not None:
        inside = np.flatnonzero(excess(grid) <= 0)
        return float(grid[inside].max() if inside.size else grid.min())
    if excess(0.0)[0] > 0 or sp.s.size == 0:
        return 0.0
    lo, hi = np.log(default_relative_alphas(sp, 2))
    while excess(np.exp(lo))[0] > 0:
        lo -= 10.0
    if excess(np.exp(hi))[0] <= 0:
        return float(np.exp(hi))  # the noise explains all of y
    return float(np.exp(optimize.brentq(lambda t: excess(np.exp(t))[0], lo, hi, xtol=1e-12)))


# --------------------------------------------- candidate scores (for the CV)
def residual_sq(factorization, phi):
    """``||r||^2`` per candidate and target for filter factors ``phi`` (k, c); (c, t)."""
    z = factorization.z.astype(np.float64)
    rho2 = factorization.residual_norms.astype(np.float64) ** 2
    return ((1 - phi) ** 2).T @ z**2 + rho2


def gcv_values(factorization, phi):
    """``G = m ||r||^2 / (m - fit_intercept - sum(phi))^2`` per candidate and target.

    The trace formula: ``m - fit_intercept - sum(phi)`` is the trace of
    ``I - H`` for the hat matrix ``H`` with an unpenalised intercept.
    Infinite where no residual degree of freedom is left. Shape (c, t).
    """
    m = factorization.shape[0]
    dof = m - int(factorization.fit_intercept) - phi.sum(axis=0)
    res = residual_sq(factorization, phi)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(dof[:, None] > 0, m * res / dof[:, None] ** 2, np.inf)
