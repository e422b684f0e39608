"""Alternatives measured on the 240 instances before choosing the shipped rules.

Used by ``rules_report.py --variants``. Each variant reads the package's own
factorization through the :class:`~sklearn_pinv._selection.Spectrum` of the
singular values the default floor ("scipy") keeps, exactly as the policies
do, and returns a truncation rank or an absolute alpha:

* GCV for truncation: plain (``||r_k||^2 / (m - k)^2``), capped at
  ``k <= m / 2``, weighted GCV (Chung, Nagy & O'Leary, ETNA 28 (2008),
  149-167: ``||r_k||^2 / (m - omega k)^2``, the "modified GCV" of Cummins,
  Filloon & Nychka (JASA 96 (2001), 233-243) for ``omega > 1``) and robust
  GCV (Lukas, Inverse Problems 22 (2006), 1883-1902: GCV times
  ``gamma + (1 - gamma) tr(H^2) / m``, with ``tr(H^2) = k`` for a
  projection);
* the Tikhonov L-curve corner: maximum curvature on the default grid (the
  rule before this work), maximum curvature restricted to
  ``[max(s_min^2, eps s_1^2), s_1^2]`` as Hansen's ``l_curve``, and the
  adaptive-pruning corner of the curve sampled on that range;
* the truncation L-curve: the sharpest turn of the raw polygon (the rule
  before this work) against the adaptive-pruning corner.
"""

import numpy as np

from sklearn_pinv import factorize, tolerance


def _private():
    """The one place that reaches into private modules (re-point when they move)."""
    from sklearn_pinv import _selection as sel
    from sklearn_pinv._corner import lcurve_corner_index
    from sklearn_pinv._lcurve import lcurve_curvature

    return sel, lcurve_corner_index, lcurve_curvature


# ------------------------------------------------------------------ GCV rank
def _gcv_terms(sp):
    sel, _, _ = _private()
    ks = sel._admissible_ranks(sp)
    return ks, sel._residual_by_rank(sp)[ks], float(sp.dof)


def _argmin_rank(ks, g):
    g = np.where(np.isfinite(g), g, np.inf)
    return int(ks[np.argmin(g)]) if np.isfinite(g).any() else 0


def gcv_weighted(sp, omega):
    ks, res, dof = _gcv_terms(sp)
    den = dof - omega * ks
    with np.errstate(divide="ignore", invalid="ignore"):
        return _argmin_rank(ks, np.where(den > 0, res / den**2, np.inf))


def gcv_capped(sp, fraction):
    ks, res, dof = _gcv_terms(sp)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(ks <= fraction * sp.n_samples, res / (dof - ks) ** 2, np.inf)
    return _argmin_rank(ks, g)


def gcv_robust(sp, gamma):
    ks, res, dof = _gcv_terms(sp)
    mu = (ks + int(sp.fit_intercept)) / sp.n_samples  # tr(H^2) / m for a projection
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(dof - ks > 0, res / (dof - ks) ** 2 * (gamma + (1 - gamma) * mu), np.inf)
    return _argmin_rank(ks, g)


# -------------------------------------------------------------- GCV alpha
def _gcv_alpha(sp, factor):
    """Minimise ``||r||^2 / den^2 * factor(phi)`` on the default grid, refined."""
    sel, _, _ = _private()

    def g(a):
        phi = sel._phi(sp, a)
        den, extra = factor(phi)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(den > 0, sel._pooled_residual(sp, a) / den**2 * extra, np.inf)

    return sel._search(g, sp, None)


def gcv_alpha_weighted(sp, omega):
    return _gcv_alpha(sp, lambda phi: (sp.dof - omega * phi.sum(axis=0), 1.0))


def gcv_alpha_robust(sp, gamma):
    def factor(phi):
        mu = ((phi**2).sum(axis=0) + int(sp.fit_intercept)) / sp.n_samples
        return sp.dof - phi.sum(axis=0), gamma + (1 - gamma) * mu

    return _gcv_alpha(sp, factor)


# ---------------------------------------------------------- Tikhonov L-curve
def _restricted_grid(sp, num=200):
    lo = max(sp.s.min() ** 2, sp.eps)
    return np.geomspace(1.0, lo, num) if lo < 1.0 else np.array([1.0])


def lcurve_alpha_curvature(sp, grid):
    _, _, curvature = _private()
    return float(grid[int(np.argmax(curvature(sp.s, sp.z2, sp.rho2, grid)[2]))])


def lcurve_alpha_pruning(sp, grid):
    _, corner, curvature = _private()
    R, S, _ = curvature(sp.s, sp.z2, sp.rho2, grid)  # grid from s_1^2 down
    return float(grid[corner(np.sqrt(R), np.sqrt(S))])


# -------------------------------------------------------- truncation L-curve
def lcurve_rank_pruning(sp):
    sel, corner, _ = _private()
    ks = sel._admissible_ranks(sp)
    res, sol = sel._residual_by_rank(sp)[ks], sel._solution_by_rank(sp)[ks]
    return int(ks[corner(np.sqrt(res), np.sqrt(sol))])


def lcurve_rank_sharpest_turn(sp):
    sel, _, _ = _private()
    ks = sel._admissible_ranks(sp)
    ks = ks[ks > 0]
    x = 0.5 * np.log(sel._residual_by_rank(sp)[ks])
    y = 0.5 * np.log(sel._solution_by_rank(sp)[ks])
    heading = np.arctan2(np.diff(y), np.diff(x))
    turn = np.angle(np.exp(1j * np.diff(heading)))
    return int(ks[1:-1][np.argmin(turn)])


def variants(d):
    """name -> (family, pick) for one dataset Bunch ``d``."""
    sel, _, _ = _private()
    fact = factorize(d.data, d.target[:, None], fit_intercept=False)
    kept = tolerance.keep_mask("scipy", fact.singular_values, fact.shape, fact.dtype)
    sp = sel.spectrum(fact, kept)
    a2 = sp.scale**2
    default_grid = sel.default_relative_alphas(sp, 200)
    out = {"rank: GCV, no guard": ("rank", gcv_weighted(sp, 1.0)),
           "rank: GCV, k <= m/2": ("rank", gcv_capped(sp, 0.5))}
    for omega in (1.4, 2.0, 2.5, 3.0, 4.0):
        out[f"rank: W-GCV omega={omega:g}, no guard"] = ("rank", gcv_weighted(sp, omega))
    for gamma in (0.1, 0.2, 0.3, 0.5):
        out[f"rank: RGCV gamma={gamma:g}"] = ("rank", gcv_robust(sp, gamma))
    for omega in (1.0, 2.0, 3.0):
        out[f"alpha: W-GCV omega={omega:g}, no guard"] = ("alpha", a2 * gcv_alpha_weighted(sp, omega))
    for gamma in (0.1, 0.3):
        out[f"alpha: RGCV gamma={gamma:g}"] = ("alpha", a2 * gcv_alpha_robust(sp, gamma))
    out["rank: L sharpest turn"] = ("rank", lcurve_rank_sharpest_turn(sp))
    out["rank: L pruning"] = ("rank", lcurve_rank_pruning(sp))
    out["alpha: L curvature, default grid"] = (
        "alpha", a2 * lcurve_alpha_curvature(sp, default_grid))
    out["alpha: L curvature, restricted"] = (
        "alpha", a2 * lcurve_alpha_curvature(sp, _restricted_grid(sp)))
    out["alpha: L pruning, restricted"] = (
        "alpha", a2 * lcurve_alpha_pruning(sp, _restricted_grid(sp)))
    return out
