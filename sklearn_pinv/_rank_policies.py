"""Data-driven tolerance policies: the truncation rank chosen from the data.

Each policy is a thin object over a pure rule of :mod:`sklearn_pinv._selection`
and is re-exported by :mod:`sklearn_pinv.tolerance`, whose ``cut`` hands it the
singular values its ``floor`` policy keeps (the only candidates).
"""

from dataclasses import dataclass

from ._policy_base import DataDrivenPolicy
from ._selection import (
    check_parameter,
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
    ``G(k) = ||r_k||^2 / (m - fit_intercept - weight * k)^2``; the smallest
    ``G`` wins and ``tau = s_{{k+1}}``. Also accepted as ``tol="gcv"``.
    Hansen, *Rank-Deficient and Discrete Ill-Posed Problems* (SIAM, 1998),
    7.4.

    **The guard.** Ranks that leave fewer than ``sqrt(m - fit_intercept)``
    residual degrees of freedom (``m - fit_intercept - weight * k``) are no
    candidates. With ``j`` of them left, GCV's numerator on the noise is
    ``sigma^2`` times a chi-square with ``j`` degrees of freedom, divided by
    ``j^2``: for ``j = 1`` or ``2`` a chance small draw beats every sensible
    rank. On a square full-rank system plain GCV then runs to ``k = m - 1``
    (deriv2(256) with 0.1% noise, seed 7: rank 255, error 206 times the
    best rank's). With at least ``sqrt(m)`` left the chance is about 0.2%
    or less for ``m >= 64``, and the guard only excludes ranks within
    ``sqrt(m)`` of interpolating the data. Of the alternatives measured on 240 test
    problems (``benchmarks/rules_report.py --variants``), it is the one that
    removes these picks without moving GCV's choice anywhere else: weighted
    and robust GCV also cut the share of instances over 3 times the best
    error, but they over-regularise ordinary regression (and cap ``k``
    below ``m / weight``).

    **Limit.** GCV estimates the *prediction* error: on severely
    ill-posed problems it sometimes keeps a few noise-dominated directions
    more than the best *solution* needs, each of which can multiply the
    error of ``coef_`` (shaw, baart, foxgood: 20-32% of instances over 3
    times the best error, 17% over the six test problems). When ``coef_``
    itself matters, ``weight=2`` (weighted GCV, Chung, Nagy & O'Leary, ETNA
    28 (2008), 149-167: each parameter counts twice) brings that to 3%, or
    use :class:`DiscrepancyRank` with a known noise level. See the user
    guide's rules report.

    Parameters
    ----------
    {_FLOOR_DOC}
    weight : float, default=1.0
        Weight ``omega`` of the degrees of freedom in the denominator:
        ``1`` is GCV, ``> 1`` weighted GCV, which keeps fewer directions
        and never more than ``(d - sqrt(d)) / weight`` with
        ``d = m - fit_intercept``.

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
    >>> PinvRegressor(tol=GCVRank(weight=2)).fit(X, y).rank_
    5
    """

    floor: object = "scipy"
    weight: float = 1.0

    def __post_init__(self):
        check_parameter(self, "weight", strict=True)

    def select(self, factorization, kept):
        return _tau(factorization, kept, gcv_truncation_rank, self.weight)


@dataclass(frozen=True)
class LCurveRank(DataDrivenPolicy):
    __doc__ = f"""Choose the truncation rank at the corner of the discrete L-curve.

    The corner of the discrete curve ``(log ||r_k||, log ||w_k||)`` over
    the admissible ranks ``k`` that the ``floor`` keeps, found by the
    adaptive pruning algorithm of Hansen, Jensen & Rodriguez (J. Comput.
    Appl. Math. 198 (2007), 483-492): corners of the curves made of the
    longest edges only, which keep the global "L" and ignore the wiggles of
    the noisy tail, where the sharpest turn of the raw polygon often lies
    (on phillips(256) with 0.1% noise, seed 9, that turn is at rank 254,
    with 5.9e5 times the best error). Also accepted as ``tol="lcurve"``.
    Hansen (1998), 7.5.

    **Limit.** For slowly decaying spectra with smooth solutions the
    corner lies past the best rank, more so as the noise shrinks (Hanke,
    BIT 36 (1996), 287-301; Vogel, Inverse Problems 12 (1996), 535-547): on
    phillips 75% of the picks and on gravity 45% are 3 to 45 times the
    best error. Keep the default ``floor``: ranks at the rounding level add
    a second, spurious "L".

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
            check_parameter(self, name)

    def select(self, factorization, kept):
        return _tau(factorization, kept, discrepancy_rank, self.noise_std, self.safety)


@dataclass(frozen=True)
class QuasiOptimalRank(DataDrivenPolicy):
    __doc__ = f"""Choose the truncation rank by the quasi-optimality criterion.

    The rank after which the solution changes least, ``min_k ||w_k -
    w_{{k-1}}|| = min_k |z_k| / s_k``. Also accepted as
    ``tol="quasi-optimal"``. Hansen (1998), section 7.6.

    **Limit.** The step is small wherever the solution has a small
    coefficient, not only where the noise takes over: when the true
    solution is (nearly) orthogonal to some singular vectors, the rule
    stops there. On phillips, whose solution is symmetric so that every
    other coefficient vanishes, it stops at rank 2-8 where the best is
    7-12 (95% of instances over 3 times the best error). The Tikhonov
    version (``alpha="quasi-optimal"``), whose filter blends neighbouring
    directions, does not have this problem.

    Parameters
    ----------
    {_FLOOR_DOC}

    Examples
    --------
    >>> from sklearn_pinv import PinvRegressor, datasets
    >>> from sklearn_pinv.tolerance import QuasiOptimalRank
    >>> A, b, x_true = datasets.make_shaw(64, noise=1e-3, random_state=0)
    >>> PinvRegressor(tol=QuasiOptimalRank(), fit_intercept=False).fit(A, b).rank_
    9
    """

    floor: object = "scipy"

    def select(self, factorization, kept):
        return _tau(factorization, kept, quasi_optimal_rank)
