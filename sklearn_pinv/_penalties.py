"""The two filters a spectral estimator can apply, as mixins of hooks.

:class:`TruncationMixin` (the pseudoinverse: filter factors 1 on the kept
singular values) and :class:`TikhonovMixin` (``s^2 / (s^2 + alpha)``, alpha
fixed, per target, or chosen by a rule) give the regressors and the
classifiers the same ``_check_alpha`` / ``_filter`` hooks of the fit path.
"""

from numbers import Real

import numpy as np
from sklearn.utils.validation import check_scalar

from . import _array_api, alpha_rules
from ._base import warn_user
from ._compat import Interval
from ._selection import spectrum
from ._spectral import tikhonov_factors, truncation_factors

__all__ = ["TruncationMixin", "TikhonovMixin"]


class TruncationMixin:
    """The pseudoinverse: keep or drop, no penalty."""

    _equilibrates = True
    _high_advice = "precision='high' (column equilibration and iterative refinement)"

    def _check_alpha(self, n_targets):
        """Nothing to check: the pseudoinverse has no penalty."""

    def _filter(self, fact, kept):
        return truncation_factors(fact.singular_values, kept), None


class TikhonovMixin:
    """Tikhonov filter factors with a fixed, per-target or rule-chosen alpha."""

    _alpha_constraint = [Interval(Real, 0, None, closed="left"), "array-like", str,
                         alpha_rules.AlphaRule, callable]
    _equilibrates = False  # the penalty is on coef_ itself, not on scaled coefficients
    _high_advice = "precision='high' (iterative refinement) or a larger alpha"

    def _check_alpha(self, n_targets):
        """One alpha, or one per target, each finite and >= 0 (scikit-learn's wording)."""
        if alpha_rules.resolve(self.alpha) is not None:
            return None
        alpha = self.alpha  # an array API array may be on a device NumPy cannot read
        alpha = _array_api.to_numpy(alpha) if _array_api.namespace(alpha) else alpha
        alpha = np.asarray(alpha, dtype=np.float64).reshape(-1)
        if np.ndim(self.alpha) > 1 or alpha.size not in (1, n_targets):
            raise ValueError("Number of targets and number of penalties do not correspond: "
                             f"{alpha.size} != {n_targets}")
        for i, a in enumerate(alpha):
            check_scalar(float(a), f"alpha[{i}]" if alpha.size > 1 else "alpha", Real,
                         min_val=0.0)
            if not np.isfinite(a):
                raise ValueError(f"alpha must be finite, got {self.alpha!r}.")
        return alpha

    def _filter(self, fact, kept):
        rule = alpha_rules.resolve(self.alpha)
        if rule is None:
            alpha = self._check_alpha(fact.z.shape[1])
            phi = tikhonov_factors(fact.singular_values, kept, alpha)
            return phi, float(alpha[0]) if np.ndim(self.alpha) == 0 else alpha
        # Relative to s_max**2: exact whatever the scale of X (see alpha_rules).
        relative, scale = rule.relative(fact, kept), spectrum(fact, kept).scale
        phi = tikhonov_factors(fact.singular_values, kept, [relative], scale=scale)
        with np.errstate(over="ignore", under="ignore"):
            alpha = float(relative * scale**2)
        if relative > 0 and not (np.isfinite(alpha) and alpha > 0):
            warn_user(f"The alpha chosen by {rule!r} is {relative:.3g} * {scale:.3g}**2, "
                      "beyond the float range: the fit used it exactly, but alpha_ "
                      "cannot show it. Rescale X to reuse it.", UserWarning)
        return phi, alpha
