"""Data-driven tolerance policies: the truncation rank chosen from the data.

Each policy is a thin object over a pure rule of :mod:`sklearn_pinv._selection`
and is re-exported by :mod:`sklearn_pinv.tolerance`, whose ``cut`` hands it the
singular values its ``floor`` policy keeps (the only candidates).
"""

from dataclasses import dataclass

import numpy as np

from ._policy_base import DataDrivenPolicy
from ._selection import (
    discrepancy_rank,
    gcv_truncation_rank,
    lcurve_corner_rank,
    quasi_optimal_rank,
    spectrum,
)

__all__ = ["GCVRank", "LCurveRank", "DiscrepancyRank", "QuasiOptimalRank"]


def _tau(factorization, kept, rule, *args):
    """The threshold that keeps the ``k`` largest values, ``k = rule(spectrum)``."""
    k = rule(spectrum(factorization, kept), *args)
    s = factorization.singular_values
    return float(s[k]) if k < s.size else 0.0


_FLOOR_DOC = """floor : str, float, TolerancePolicy or callable, default="scipy"
        Singular values this policy drops before the search (rounding noise
        that no data should be allowed to keep)."""


@dataclass(frozen=True)
class GCVRank(DataDrivenPolicy):
    __doc__ = f"""Choose the truncation rank by generalized cross-validation (GCV).

    For each admissible rank ``k`` (a gap in the spectrum, ``s_k > s_{{k+1}}``)
    the truncated-SVD solution has residual ``||r_k||^2 = sum_{{i>k}} z_i^2 +
    rho^2`` (``z = U^T y``, ``rho`` the part of ``y`` outside the range of
    ``X``, summed over targets) and ``k`` effective parameters, so
    ``G(k) = ||r_k||^2 / (m - k - fit_intercept)^2``; the smallest ``G``
    wins and ``tau = s_{{k+1}}``. Also accepted as ``tol="gcv"``. Hansen,
    *Rank-Deficient and Discrete Ill-Posed Problems* (SIAM, 1998), 7.4.

    Parameters
    ----------
    {_FLOOR_DOC}

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import PinvRegressor
    >>> from sklearn_pinv.tolerance import GCVRank
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 8)) * [1, 1, 1, 1, 1, 1e-7, 1e-7, 1e-7]
    >>> y = X[:, :5].sum(axis=1) + 1e-3 * rng.standard_normal(60)
    >>> PinvRegressor(tol=GCVRank()).fit(X, y).rank_
    5
    """

    floor: object = "scipy"

    def select(self, factorization, kept):
        return _tau(factorization, kept, gcv_truncation_rank)


@dataclass(frozen=True)
class LCurveRank(DataDrivenPolicy):
    __doc__ = f"""Choose the truncation rank at the corner of the discrete L-curve.

    The corner of the discrete curve ``(log ||r_k||, log ||w_k||)`` over
    the admissible ranks ``k``: the point where it turns most sharply
    from its flat arm (the residual falls) to its steep arm (noise blows
    the solution norm up). Also accepted as ``tol="lcurve"``. Hansen
    (1998), section 7.5.

    Parameters
    ----------
    {_FLOOR_DOC}

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

    def select(self, factorization, kept):
        return _tau(factorization, kept, lcurve_corner_rank)


@dataclass(frozen=True)
class DiscrepancyRank(DataDrivenPolicy):
    __doc__ = f"""Choose the smallest rank whose residual matches a known noise level.

    Morozov's discrepancy principle: the smallest admissible rank ``k``
    with ``||r_k||^2 <= (safety * noise_std)^2 * (m - fit_intercept)`` per
    target.

    Parameters
    ----------
    noise_std : float
        Standard deviation of the noise of ONE (weighted) sample, in the
        units of ``y`` -- not the norm of the whole noise vector, which is
        about ``sqrt(m)`` times larger and would over-regularise badly. For
        ``y = X @ w + e`` with ``e ~ N(0, 0.01**2)`` it is ``0.01``.
    safety : float, default=1.0
        Factor ``>= 1`` on the noise level (Hansen's ``tau``).
    {_FLOOR_DOC}

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import PinvRegressor
    >>> from sklearn_pinv.tolerance import DiscrepancyRank
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 8)) * [1, 1, 1, 1, 1, 1e-7, 1e-7, 1e-7]
    >>> y = X[:, :5].sum(axis=1) + 1e-3 * rng.standard_normal(60)  # noise_std 1e-3
    >>> PinvRegressor(tol=DiscrepancyRank(noise_std=1e-3, safety=1.2)).fit(X, y).rank_
    5
    """

    noise_std: float = 0.0
    safety: float = 1.0
    floor: object = "scipy"

    def __post_init__(self):
        for name in ("noise_std", "safety"):
            value = getattr(self, name)
            if isinstance(value, bool) or not (np.isreal(value) and value >= 0):
                raise ValueError(f"{name} must be a float >= 0, got {value!r}.")

    def select(self, factorization, kept):
        return _tau(factorization, kept, discrepancy_rank, self.noise_std, self.safety)


@dataclass(frozen=True)
class QuasiOptimalRank(DataDrivenPolicy):
    __doc__ = f"""Choose the truncation rank by the quasi-optimality criterion.

    The rank after which the solution changes least, ``min_k ||w_k -
    w_{{k-1}}||``. Also accepted as ``tol="quasi-optimal"``. Hansen (1998),
    section 7.6.

    Parameters
    ----------
    {_FLOOR_DOC}
    """

    floor: object = "scipy"

    def select(self, factorization, kept):
        return _tau(factorization, kept, quasi_optimal_rank)
