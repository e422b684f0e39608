"""Parameter-choice rules as pure functions over a factorization.

Every rule here reads the spectrum ``s``, ``z = U^T yc`` and the residual
``rho`` outside the range of ``U`` (a :class:`~sklearn_pinv.Factorization`)
and costs ``O(k)`` per candidate: no refit. Truncation rules return a rank
``k`` (keep the ``k`` largest singular values), Tikhonov rules an ``alpha``.
Several targets are pooled (norms summed over targets), as GCV does.

The rules follow Hansen, *Rank-Deficient and Discrete Ill-Posed Problems*
(SIAM, 1998), chapter 7, and his Regularization Tools (``gcv``, ``l_curve``,
``discrep``, ``quasiopt``). The leave-one-out helpers (hat diagonal with an
unpenalised intercept and sample weights) mirror scikit-learn's ``RidgeCV``.
"""

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from . import _filters
from ._lcurve import default_alphas, lcurve
from .tolerance import DataDrivenPolicy, keep_mask

__all__ = [
    "truncated_residual_sq", "gcv_truncation_rank", "lcurve_corner_rank",
    "discrepancy_rank", "quasi_optimal_rank", "gcv_alpha", "lcurve_corner_alpha",
    "discrepancy_alpha", "quasi_optimal_alpha", "tikhonov_filter_factors",
    "residual_sq", "gcv_values", "hat_diagonal", "loo_residuals",
    "LCurveRank", "DiscrepancyRank", "QuasiOptimalRank",
]


# --------------------------------------------------------------- truncation
def truncated_residual_sq(factorization):
    """``||r_k||^2`` summed over targets, for every rank ``k = 0..K``; shape (K+1,).

    Dropping directions ``k+1..K`` adds their ``z_i^2`` to the residual that
    no linear model removes (``rho^2``).
    """
    z2 = np.sum(factorization.z.astype(np.float64) ** 2, axis=1)
    rho2 = float(np.sum(factorization.residual_norms.astype(np.float64) ** 2))
    tail = np.concatenate([np.cumsum(z2[::-1])[::-1], [0.0]])
    return tail + rho2


def _truncated_solution_sq(factorization):
    """``||w_k||^2`` summed over targets, for ``k = 0..K``; shape (K+1,)."""
    s = factorization.singular_values.astype(np.float64)
    z2 = np.sum(factorization.z.astype(np.float64) ** 2, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        w2 = np.where(s > 0, z2 / s**2, np.inf)
    return np.concatenate([[0.0], np.cumsum(w2)])


def _admissible_ranks(factorization, max_rank=None):
    """Ranks ``0..K`` that sit at a gap (``s_k > s_{k+1}``) and keep no zero."""
    s = factorization.singular_values
    K = s.size if max_rank is None else min(max_rank, s.size)
    K = min(K, int(np.sum(s > 0)))
    ok = np.ones(K + 1, dtype=bool)
    # A rank inside a run of tied singular values is not a truncation.
    ok[1:] = s[:K] > np.append(s, 0.0)[1 : K + 1]
    return np.flatnonzero(ok)


def gcv_truncation_rank(factorization, max_rank=None):
    """Rank ``k`` minimising ``G(k) = ||r_k||^2 / (m - k - fit_intercept)^2``.

    Only ranks at a gap (``s_k > s_{k+1}``) and with positive residual degrees
    of freedom are candidates; ``max_rank`` caps the search.
    """
    m = factorization.shape[0]
    ks = _admissible_ranks(factorization, max_rank)
    dof = (m - ks - int(factorization.fit_intercept)).astype(float)
    res = truncated_residual_sq(factorization)[ks]
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(dof > 0, res / dof**2, np.inf)
    return int(ks[np.argmin(g)]) if np.isfinite(g).any() else 0


def lcurve_corner_rank(factorization, max_rank=None):
    """Rank at the corner of the discrete L-curve ``(log ||r_k||, log ||w_k||)``.

    As ``k`` grows the curve runs left along its flat arm (the residual
    falls) and then up its steep arm (the noise blows the norm up); the
    corner is the point where it turns most sharply clockwise. Turning
    angles, unlike a discrete curvature, do not depend on how far apart
    consecutive ranks lie on the curve.
    """
    ks = _admissible_ranks(factorization, max_rank)
    ks = ks[ks > 0]  # ||w_0|| = 0 has no logarithm
    if ks.size < 3:
        return int(ks[-1]) if ks.size else 0
    x = 0.5 * np.log(truncated_residual_sq(factorization)[ks])
    y = 0.5 * np.log(_truncated_solution_sq(factorization)[ks])
    step = np.diff(np.column_stack([x, y]), axis=0)
    moving = np.hypot(step[:, 0], step[:, 1]) > 0
    ks, step = np.append(ks[:1], ks[1:][moving]), step[moving]
    if step.shape[0] < 2:
        return int(ks[-1])
    heading = np.arctan2(step[:, 1], step[:, 0])
    turn = np.angle(np.exp(1j * np.diff(heading)))  # wrapped to (-pi, pi]
    return int(ks[1:-1][np.argmin(turn)])


def _discrepancy_target(factorization, noise_level, safety):
    if not noise_level >= 0:
        raise ValueError(f"noise_level must be >= 0, got {noise_level!r}.")
    dof = factorization.shape[0] - int(factorization.fit_intercept)
    n_targets = factorization.z.shape[1]
    return (safety * noise_level) ** 2 * dof * n_targets


def discrepancy_rank(factorization, noise_level, safety=1.0, max_rank=None):
    """Smallest rank whose residual is within the noise (Morozov's principle).

    The rank is the smallest admissible ``k`` with
    ``||r_k||^2 <= (safety * noise_level)^2 (m - fit_intercept)`` per target,
    where ``noise_level`` is the standard deviation of the (weighted) noise
    of one sample; the largest admissible rank when none qualifies.
    """
    target = _discrepancy_target(factorization, noise_level, safety)
    ks = _admissible_ranks(factorization, max_rank)
    inside = truncated_residual_sq(factorization)[ks] <= target
    return int(ks[np.argmax(inside)] if inside.any() else ks[-1])


def quasi_optimal_rank(factorization, max_rank=None):
    """Rank after which the solution stops changing least: ``min_k ||w_k - w_{k-1}||``.

    ``w_k - w_{k-1}`` is the component ``z_k / s_k`` the rank adds (all the
    tied values of a run at once).
    """
    ks = _admissible_ranks(factorization, max_rank)
    if ks.size < 2:
        return int(ks[-1])
    w2 = _truncated_solution_sq(factorization)[ks]
    return int(ks[1:][np.argmin(np.diff(w2))])


# ------------------------------------------------------------------ tikhonov
def tikhonov_filter_factors(singular_values, kept, alphas):
    """Filter factors ``s^2 / (s^2 + alpha)`` on the kept values; shape (k, n_alphas)."""
    d = _filters.tikhonov(singular_values, kept, alphas)
    return _filters.filter_factors(singular_values, d)


def residual_sq(factorization, phi):
    """``||r||^2`` per candidate and target for filter factors ``phi`` (k, c); (c, t)."""
    z = factorization.z.astype(np.float64)
    rho2 = factorization.residual_norms.astype(np.float64) ** 2
    one = 1 - phi.astype(np.float64)
    return (one**2).T @ z**2 + rho2


def gcv_values(factorization, phi):
    """``G = m ||r||^2 / (m - fit_intercept - sum(phi))^2`` per candidate and target.

    The trace formula: ``m - fit_intercept - sum(phi)`` is the trace of
    ``I - H`` for the hat matrix ``H`` with an unpenalised intercept.
    Infinite where no residual degree of freedom is left. Shape (c, t).
    """
    m = factorization.shape[0]
    dof = m - int(factorization.fit_intercept) - phi.astype(np.float64).sum(axis=0)
    res = residual_sq(factorization, phi)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(dof[:, None] > 0, m * res / dof[:, None] ** 2, np.inf)
    return g


def _grid(factorization, kept, alphas, num=200):
    if alphas is None:
        return default_alphas(factorization, kept, num), True
    alphas = np.asarray(alphas, dtype=np.float64).reshape(-1)
    if alphas.size == 0 or not np.all(np.isfinite(alphas) & (alphas >= 0)):
        raise ValueError("alphas must be a non-empty array of finite values >= 0.")
    return alphas, False


def _kept(factorization, kept):
    s = factorization.singular_values
    return (s > 0) if kept is None else (np.asarray(kept, dtype=bool) & (s > 0))


def _refine(fun, alphas, i):
    """Minimise ``fun(alpha)`` in log scale between the grid neighbours of ``i``."""
    lo, hi = np.log(alphas[max(i - 1, 0)]), np.log(alphas[min(i + 1, alphas.size - 1)])
    if not lo < hi:
        return float(alphas[i])
    res = optimize.minimize_scalar(lambda t: fun(np.exp(t)), bounds=(lo, hi),
                                   method="bounded", options={"xatol": 1e-6})
    best = float(np.exp(res.x))
    return best if fun(best) <= fun(alphas[i]) else float(alphas[i])


def gcv_alpha(factorization, alphas=None, kept=None):
    """Tikhonov ``alpha`` minimising GCV (see :func:`gcv_values`), targets pooled.

    With ``alphas=None`` a 200-point log grid over the kept spectrum is
    searched and the minimum refined between its grid neighbours.
    """
    kept = _kept(factorization, kept)
    grid, refine = _grid(factorization, kept, alphas)
    s = factorization.singular_values

    def g(a):
        phi = tikhonov_filter_factors(s, kept, np.atleast_1d(a))
        return gcv_values(factorization, phi).sum(axis=1)

    i = int(np.argmin(g(grid)))
    return _refine(lambda a: float(g(a)[0]), grid, i) if refine else float(grid[i])


def lcurve_corner_alpha(factorization, alphas=None, kept=None):
    """Tikhonov ``alpha`` at the L-curve's maximum curvature (exact derivatives)."""
    kept = _kept(factorization, kept)
    grid, _ = _grid(factorization, kept, alphas)
    return float(grid[int(np.argmax(lcurve(factorization, grid, kept)[2]))])


def discrepancy_alpha(factorization, noise_level, alphas=None, kept=None, safety=1.0):
    """Largest ``alpha`` whose residual stays within the noise (Morozov).

    Solves ``||r(alpha)||^2 = (safety * noise_level)^2 (m - fit_intercept)``
    (per target, pooled): ``||r||`` grows with ``alpha``, so with
    ``alphas=None`` the root is found exactly (Brent's method in
    ``log alpha``); on a grid, the largest grid value inside the bound (the
    smallest grid value when none is). When even ``alpha -> 0`` leaves more
    residual than the noise explains, ``0.0`` is returned.
    """
    kept = _kept(factorization, kept)
    target = _discrepancy_target(factorization, noise_level, safety)
    s = factorization.singular_values

    def excess(a):
        phi = tikhonov_filter_factors(s, kept, np.atleast_1d(a))
        return residual_sq(factorization, phi).sum(axis=1) - target

    if alphas is not None:
        grid, _ = _grid(factorization, kept, alphas)
        inside = np.flatnonzero(excess(grid) <= 0)
        return float(grid[inside].max() if inside.size else grid.min())
    if excess(0.0)[0] > 0:
        return 0.0
    grid = default_alphas(factorization, kept, 2)
    lo, hi = np.log(grid[0]), np.log(grid[-1])
    while excess(np.exp(lo))[0] > 0:
        lo -= 10.0
    if excess(np.exp(hi))[0] <= 0:
        return float(np.exp(hi))  # the noise explains all of y
    root = optimize.brentq(lambda t: excess(np.exp(t))[0], lo, hi, xtol=1e-12)
    return float(np.exp(root))


def quasi_optimal_alpha(factorization, alphas=None, kept=None):
    """Tikhonov ``alpha`` minimising ``Q = ||alpha dw/d alpha||`` on ``[s_min^2, s_max^2]``.

    ``alpha dw/d alpha = -V diag(phi (1 - phi) / s) z``. ``Q`` vanishes at
    both ends of the spectrum, so (as Hansen's ``quasiopt``) the search is
    restricted to alphas between the smallest and largest kept ``s^2``.
    """
    kept = _kept(factorization, kept)
    s = factorization.singular_values.astype(np.float64)
    if not kept.any():
        return float(_grid(factorization, kept, alphas)[0][0])
    lo, hi = s[kept].min() ** 2, s[kept].max() ** 2
    if alphas is None:
        grid, refine = np.geomspace(lo, hi, 200) if hi > lo else np.array([lo]), True
    else:
        grid, refine = _grid(factorization, kept, alphas)[0], False
        inside = (grid >= lo) & (grid <= hi)
        grid = grid[inside] if inside.any() else grid
    z2 = np.sum(factorization.z.astype(np.float64) ** 2, axis=1)
    w2 = np.where(kept, z2 / np.where(kept, s, 1) ** 2, 0.0)

    def q(a):
        phi = tikhonov_filter_factors(s, kept, np.atleast_1d(a))
        return ((phi * (1 - phi)) ** 2).T @ w2

    i = int(np.argmin(q(grid)))
    return _refine(lambda a: float(q(a)[0]), grid, i) if refine else float(grid[i])


# ------------------------------------------------------------- leave-one-out
def hat_diagonal(U, phi, sample_weight=None, fit_intercept=True):
    """Diagonal of the hat matrix of the weighted, centred smoother; shape (m, c).

    ``h_jj = sum_i phi_i U_ji^2 (+ w_j / sum(w) for the intercept)``. The
    intercept direction ``sqrt(w) / ||sqrt(w)||`` is orthogonal to the
    weighted, centred columns, so it adds its own projection exactly.
    """
    h = np.square(U) @ phi
    if fit_intercept:
        m = U.shape[0]
        w = np.ones(m) if sample_weight is None else np.asarray(sample_weight, float)
        h += (w / w.sum())[:, None]
    return h


def loo_residuals(U, Yc, z, phi, sample_weight=None, fit_intercept=True):
    """Exact leave-one-out residuals ``r_j / (1 - h_jj)``; shape (m, c, t).

    ``U`` (m, k) and ``z`` (k, t) of the centred, weighted problem, ``Yc``
    (m, t) its centred, weighted targets, ``phi`` (k, c) filter factors. The
    residuals are in the weighted space, ``sqrt(w_j) (y_j - y_hat_{-j})``,
    as ``RidgeCV``'s. Infinite where a sample has leverage 1 (its own fit is
    exact and leaving it out is undefined).
    """
    m, (k, c), t = U.shape[0], phi.shape, z.shape[1]
    # In place throughout: at (m, c, t) these arrays dominate the cost.
    e = (U @ (phi[:, :, None] * z[:, None, :]).reshape(k, c * t)).reshape(m, c, t)
    np.subtract(Yc[:, None, :], e, out=e)
    one_minus_h = hat_diagonal(U, phi, sample_weight, fit_intercept)
    np.subtract(1, one_minus_h, out=one_minus_h)
    degenerate = one_minus_h <= 10 * np.finfo(U.dtype).eps * max(k, 1)
    if degenerate.any():
        one_minus_h[degenerate] = np.inf  # r / inf = 0, replaced below
    e /= one_minus_h[:, :, None]
    if degenerate.any():
        e[np.broadcast_to(degenerate[:, :, None], e.shape)] = np.inf
    return e


# ----------------------------------------------------------------- policies
def _tau(factorization, floor, rule):
    s = factorization.singular_values
    floor_mask = keep_mask(floor, s, factorization.shape, factorization.dtype)
    k = rule(factorization, int(floor_mask.sum()))
    return float(s[k]) if k < s.size else 0.0


@dataclass(frozen=True)
class LCurveRank(DataDrivenPolicy):
    """Choose the truncation rank at the corner of the L-curve.

    See :func:`lcurve_corner_rank`. Hansen (1998), section 7.5.

    Parameters
    ----------
    floor : str, float, TolerancePolicy or callable, default="scipy"
        Singular values dropped before the search.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import PinvRegressor
    >>> from sklearn_pinv.tolerance import LCurveRank
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 8)) * [1, 1, 1, 1, 1, 1e-7, 1e-7, 1e-7]
    >>> y = X[:, :5].sum(axis=1) + 1e-3 * rng.standard_normal(60)
    >>> PinvRegressor(tol=LCurveRank()).fit(X, y).rank_
    5
    """

    floor: object = "scipy"

    def select(self, factorization):
        return _tau(factorization, self.floor, lcurve_corner_rank)


@dataclass(frozen=True)
class DiscrepancyRank(DataDrivenPolicy):
    """Choose the smallest rank whose residual matches a known noise level.

    See :func:`discrepancy_rank` (Morozov's discrepancy principle).

    Parameters
    ----------
    noise_level : float
        Standard deviation of the noise of one (weighted) sample.
    safety : float, default=1.0
        Factor ``>= 1`` on the noise level (Hansen's ``tau``).
    floor : str, float, TolerancePolicy or callable, default="scipy"
        Singular values dropped before the search.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import PinvRegressor
    >>> from sklearn_pinv.tolerance import DiscrepancyRank
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 8)) * [1, 1, 1, 1, 1, 1e-7, 1e-7, 1e-7]
    >>> y = X[:, :5].sum(axis=1) + 1e-3 * rng.standard_normal(60)
    >>> PinvRegressor(tol=DiscrepancyRank(noise_level=1e-3, safety=1.2)).fit(X, y).rank_
    5
    """

    noise_level: float = 0.0
    safety: float = 1.0
    floor: object = "scipy"

    def __post_init__(self):
        for name in ("noise_level", "safety"):
            value = getattr(self, name)
            if isinstance(value, bool) or not (np.isreal(value) and value >= 0):
                raise ValueError(f"{name} must be a float >= 0, got {value!r}.")

    def select(self, factorization):
        def rule(fact, max_rank):
            return discrepancy_rank(fact, self.noise_level, self.safety, max_rank)

        return _tau(factorization, self.floor, rule)


@dataclass(frozen=True)
class QuasiOptimalRank(DataDrivenPolicy):
    """Choose the truncation rank by the quasi-optimality criterion.

    See :func:`quasi_optimal_rank`. Hansen (1998), section 7.6.

    Parameters
    ----------
    floor : str, float, TolerancePolicy or callable, default="scipy"
        Singular values dropped before the search.
    """

    floor: object = "scipy"

    def select(self, factorization):
        return _tau(factorization, self.floor, quasi_optimal_rank)
