"""What the Displays and ``diagnose`` read off a factorization, in the data's units.

Thin adapters over the pure rules of :mod:`._selection` and :mod:`._lcurve`
(which work in units normalised by ``s_max``): absolute alpha grids, the
L-curve's norms, and the picks of the rank and alpha rules.
"""

import numpy as np

from ._lcurve import lcurve_norms
from ._selection import (
    default_relative_alphas,
    gcv_alpha,
    gcv_truncation_rank,
    lcurve_corner_alpha,
    lcurve_corner_rank,
    spectrum,
)

__all__ = ["default_alphas", "lcurve", "rank_picks", "alpha_picks"]


def default_alphas(factorization, kept=None, num=50):
    """A log grid of alphas spanning the kept spectrum, ``[max(1e-2 s_min^2, eps s_max^2), 1e2 s_max^2]``."""
    sp = spectrum(factorization, kept)
    with np.errstate(over="ignore", under="ignore"):
        return default_relative_alphas(sp, num) * sp.scale**2


def lcurve(factorization, alphas, kept=None):
    """``(residual norms, solution norms, curvature)`` of the L-curve at ``alphas``."""
    return lcurve_norms(spectrum(factorization, kept), alphas)


def rank_picks(factorization, kept=None):
    """Truncation ranks chosen by GCV and by the discrete L-curve's corner."""
    sp = spectrum(factorization, kept)
    return {"gcv_rank": gcv_truncation_rank(sp), "lcurve_rank": lcurve_corner_rank(sp)}


def alpha_picks(factorization, kept=None, alphas=None):
    """Tikhonov alphas chosen by GCV and by the L-curve (on ``alphas`` if given)."""
    sp = spectrum(factorization, kept)
    if sp.s.size == 0:
        return {"gcv_alpha": float("nan"), "lcurve_alpha": float("nan")}
    grid = None if alphas is None else np.asarray(alphas, dtype=np.float64) / sp.scale**2
    with np.errstate(over="ignore"):
        return {"gcv_alpha": gcv_alpha(sp, grid) * sp.scale**2,
                "lcurve_alpha": lcurve_corner_alpha(sp, grid) * sp.scale**2}
