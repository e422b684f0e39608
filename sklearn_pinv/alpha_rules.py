"""Parameter-choice rules for the Tikhonov ``alpha``, as small objects.

They mirror the tolerance policies of :mod:`sklearn_pinv.tolerance`: pass one
as ``TikhonovRegressor(alpha=...)`` and the fit chooses ``alpha`` from its own
factorization (targets pooled), storing the value used as ``alpha_``. The
names ``"gcv"``, ``"lcurve"`` and ``"quasi-optimal"`` mean the rules with
their defaults; any callable ``(factorization, kept) -> alpha`` works too.

Every rule searches in units of ``s_max**2`` (the largest kept singular value
squared), so no singular value is ever squared and ``X * 1e160`` gets the
alpha ``X`` gets, times ``1e320`` -- exactly, even where that number is
beyond the float range (the fit then still uses it exactly and warns that
``alpha_`` cannot show it).

Examples
--------
>>> import numpy as np
>>> from sklearn_pinv import TikhonovRegressor
>>> from sklearn_pinv.alpha_rules import GCV, Discrepancy
>>> rng = np.random.default_rng(0)
>>> X = rng.standard_normal((80, 12)) @ np.diag(np.logspace(0, -4, 12))
>>> y = X @ rng.standard_normal(12) + 0.05 * rng.standard_normal(80)
>>> reg = TikhonovRegressor(alpha=GCV()).fit(X, y)
>>> bool(0 < reg.alpha_ < reg.singular_values_[0] ** 2)
True
>>> reg = TikhonovRegressor(alpha=Discrepancy(noise_std=0.05)).fit(X, y)
>>> residual = y - reg.predict(X)
>>> round(float(residual @ residual / (0.05**2 * 79)), 6)  # ||r||^2 = noise_std^2 (m - 1)
1.0
"""

from dataclasses import dataclass

import numpy as np

from ._base import warn_user
from ._compat import InvalidParameterError
from ._selection import (
    at_rounding_floor,
    check_parameter,
    discrepancy_alpha,
    gcv_alpha,
    lcurve_corner_alpha,
    quasi_optimal_alpha,
    spectrum,
)

__all__ = ["AlphaRule", "GCV", "LCurve", "QuasiOptimal", "Discrepancy", "Callable",
           "available_rules", "resolve"]


class AlphaRule:
    """Base class of the alpha rules: subclasses implement :meth:`relative`."""

    def relative(self, factorization, kept):
        """``alpha / s_max**2`` chosen from the factorization's kept spectrum.

        Parameters
        ----------
        factorization : Factorization
        kept : ndarray of bool of shape (k,)
            Singular values the tolerance policy keeps.

        Returns
        -------
        relative_alpha : float
        """
        raise NotImplementedError

    def select(self, factorization, kept):
        """The chosen ``alpha`` itself (``inf`` if it is beyond the float range).

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn_pinv import factorize
        >>> from sklearn_pinv.alpha_rules import GCV
        >>> rng = np.random.default_rng(0)
        >>> X = rng.standard_normal((40, 5))
        >>> fact = factorize(X, X @ np.ones((5, 1)) + rng.standard_normal((40, 1)))
        >>> bool(GCV().select(fact, fact.singular_values > 0) > 0)
        True
        """
        scale = spectrum(factorization, kept).scale
        with np.errstate(over="ignore"):
            return float(self.relative(factorization, kept) * scale**2)


@dataclass(frozen=True)
class GCV(AlphaRule):
    """Generalized cross-validation: minimise ``||r||^2 / (m - fit_intercept - weight * sum(phi))^2``.

    A 200-point log grid from ``max(1e-2 s_min^2, eps s_max^2)`` to
    ``1e2 s_max^2`` (the floor is the smallest penalty rounding can
    resolve), then a bounded search between the best point's neighbours.
    Alphas that leave fewer than ``sqrt(m - fit_intercept)`` residual
    degrees of freedom are no candidates, as for
    :class:`~sklearn_pinv.tolerance.GCVRank` (on a square system GCV tends
    to a constant as alpha goes to 0, which a chance draw of the noise can
    make its minimum). Golub, Heath & Wahba (1979); Hansen (1998), 7.4.

    GCV estimates the *prediction* error. On severely ill-posed problems
    it sometimes leaves a few noise-dominated directions too little damped
    for the *solution* (17% of the 240 test-problem instances over 3 times
    the best error, up to 2e5 times); ``weight=2`` (weighted GCV, Chung,
    Nagy & O'Leary, ETNA 28 (2008), 149-167) brings that to 2%, at some
    cost in prediction error on ordinary regression data. A pick on the
    rounding floor ``eps s_max^2`` itself (GCV still decreasing there) warns.

    Parameters
    ----------
    weight : float, default=1.0
        Weight ``omega`` of the effective number of parameters
        ``sum(phi)`` in the denominator: ``1`` is GCV (the criterion
        :class:`~sklearn_pinv.TikhonovCV` computes), ``> 1`` damps more.

    Examples
    --------
    >>> from sklearn_pinv import TikhonovRegressor, datasets
    >>> from sklearn_pinv.alpha_rules import GCV
    >>> A, b, x_true = datasets.make_shaw(64, noise=1e-2, random_state=0)
    >>> plain = TikhonovRegressor(alpha=GCV(), fit_intercept=False).fit(A, b)
    >>> weighted = TikhonovRegressor(alpha=GCV(weight=2), fit_intercept=False).fit(A, b)
    >>> bool(weighted.alpha_ > plain.alpha_)
    True
    """

    weight: float = 1.0

    def __post_init__(self):
        check_parameter(self, "weight", strict=True)

    def relative(self, factorization, kept):
        sp = spectrum(factorization, kept)
        relative = gcv_alpha(sp, weight=self.weight)
        if at_rounding_floor(sp, relative):
            warn_user(
                f"{self!r} chose alpha at the rounding floor eps * s_max**2: GCV still "
                "falls where rounding cannot resolve alpha, so the noise in the smallest "
                "directions decides, and coef_ may be far from the best. Consider "
                "alpha_rules.GCV(weight=2), alpha_rules.Discrepancy(noise_std=...) or "
                "alpha='quasi-optimal'.", UserWarning)
        return relative


@dataclass(frozen=True)
class LCurve(AlphaRule):
    """The L-curve's corner: the point of maximum curvature of ``(log ||r||, log ||w||)``.

    Exact derivatives in ``log alpha``, on 200 log-spaced alphas from
    ``max(s_min^2, eps s_max^2)`` to ``s_max^2``, as Hansen's ``l_curve``:
    below ``s_min^2`` the curve shrinks to a point whose curvature means
    nothing. Hansen (1998), 7.5.

    For slowly decaying spectra with smooth solutions the corner lies at
    too small an alpha, more so as the noise shrinks (Hanke, BIT 36 (1996),
    287-301; Vogel, Inverse Problems 12 (1996), 535-547): on the test
    problems phillips (75% of instances) and gravity (40%) the picks give
    3 to 30 times the best error.
    """

    def relative(self, factorization, kept):
        return lcurve_corner_alpha(spectrum(factorization, kept))


@dataclass(frozen=True)
class QuasiOptimal(AlphaRule):
    """The quasi-optimality criterion: minimise ``||alpha dw/d alpha||``.

    Searched between the smallest and largest kept ``s^2``, where the
    criterion is informative (as Hansen's ``quasiopt``). Hansen (1998), 7.6.
    """

    def relative(self, factorization, kept):
        return quasi_optimal_alpha(spectrum(factorization, kept))


@dataclass(frozen=True)
class Discrepancy(AlphaRule):
    """Morozov's discrepancy principle: the largest alpha whose residual is the noise.

    Solves ``||r(alpha)||^2 = (safety * noise_std)^2 * (m - fit_intercept)``
    per target (pooled) exactly.

    Parameters
    ----------
    noise_std : float
        Standard deviation of the noise of ONE (weighted) sample, in the
        units of ``y`` -- not the norm of the whole noise vector (about
        ``sqrt(m)`` times larger, which would over-regularise badly).
    safety : float, default=1.0
        Factor ``>= 1`` on the noise level.
    """

    noise_std: float = 0.0
    safety: float = 1.0

    def __post_init__(self):
        for name in ("noise_std", "safety"):
            check_parameter(self, name)

    def relative(self, factorization, kept):
        return discrepancy_alpha(spectrum(factorization, kept), self.noise_std, self.safety)


@dataclass(frozen=True)
class Callable(AlphaRule):
    """Wrap a callable ``f(factorization, kept) -> alpha`` (absolute) as a rule."""

    func: object = None

    def relative(self, factorization, kept):
        alpha = self.func(factorization, kept)
        try:
            alpha = float(alpha)
        except (TypeError, ValueError):
            alpha = float("nan")
        if not (np.isfinite(alpha) and alpha >= 0):
            raise ValueError(f"The alpha rule {self.func!r} returned {alpha!r}; "
                             "expected a finite float >= 0.")
        return alpha / spectrum(factorization, kept).scale ** 2


_REGISTRY = {"gcv": GCV(), "lcurve": LCurve(), "quasi-optimal": QuasiOptimal()}


def available_rules():
    """Names accepted as ``alpha`` rules, sorted.

    Examples
    --------
    >>> from sklearn_pinv.alpha_rules import available_rules
    >>> available_rules()
    ['gcv', 'lcurve', 'quasi-optimal']
    """
    return sorted(_REGISTRY)


def resolve(alpha):
    """The :class:`AlphaRule` an ``alpha`` parameter names, or None for a number/array.

    Examples
    --------
    >>> from sklearn_pinv.alpha_rules import resolve
    >>> resolve("GCV"), resolve(1.0)
    (GCV(weight=1.0), None)
    """
    if isinstance(alpha, AlphaRule):
        return alpha
    if isinstance(alpha, str):
        key = alpha.strip().lower().replace("_", "-")
        if key not in _REGISTRY:
            raise InvalidParameterError(
                f"Unknown alpha rule {alpha!r} for the 'alpha' parameter. Valid names are: "
                f"{', '.join(available_rules())}; or pass a float >= 0, one per target, "
                "an AlphaRule (e.g. alpha_rules.Discrepancy(noise_std=...)) or a callable."
            )
        return _REGISTRY[key]
    return Callable(alpha) if callable(alpha) else None
