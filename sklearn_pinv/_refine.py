"""Solve and refine: the estimators' ``precision``, as pure functions.

A backward-stable SVD returns coefficients whose error grows with the
condition number of the design, and the default tolerance drops singular
values that are small only because the columns have wildly different scales
(``x`` next to ``x**10``).

* ``"standard"`` (default): a full-rank float64 fit whose first-order error
  bound (:func:`error_estimate`) exceeds ``1e-10`` (``1e-13`` for the
  intercept's cancellation when ``X`` has at most 8 columns, where
  refinement is cheap next to the factorization) is refined on the
  corrected semi-normal equations, residuals in double-double; that
  contracts while ``cond^2 * eps`` is small. Beyond that, the solution
  says why it could not be refined and the estimator warns
  (:class:`AccuracyWarning`).
* ``"high"``: **equilibration** (for the pseudoinverse: each column of ``X``
  is scaled by a power of two near its centred norm, exactly, so the
  tolerance sees the spectrum of the scaled design; Tikhonov keeps its
  penalty on ``coef_``), then **iterative refinement** of the augmented
  system (Björck, 1967) ``[I A; A^T -alpha P] [r; x] = [b; 0]``,
  ``A = W^(1/2) [1, X]``, ``P`` = 1 on the slopes and 0 on the intercept,
  both block residuals in double-double: the exact solution of the float64
  data whenever ``cond * eps`` (equilibrated) is well below 1.
* ``"fast"``: neither.

Every route computes the same error estimate from its factorization, so an
input that cannot be refined (dask, array API) warns under the same
conditions as a dense one that cannot.
"""

from dataclasses import dataclass, replace

import numpy as np

from ._numerics import safe_norms
from ._reflectors import LeftReflectors
from ._refinement import _EPS, _augmented, _design, _shifted_cond_sq, refine, seminormal_ok
from ._sliced import SLICE_BITS, bits_for
from ._routes import spectrum_of_r

__all__ = ["PRECISIONS", "AccuracyWarning", "Solution", "solve", "error_estimate", "refine",
           "seminormal_ok"]

PRECISIONS = ("fast", "standard", "high")

# Estimated relative errors that make "standard" refine. The slope bound is
# a worst case (about 30x pessimistic): at 1e-13 it fired on ordinary noisy
# data with cond ~ 1e3 and made fits 3-10x slower for digits far below the
# noise, so slopes refine from 1e-10 on (every NIST StRD set that needs it
# still does). The intercept's cancellation (a line far from the origin, as
# Norris) is fixed from 1e-13 on when refinement is cheap next to the QR.
REFINE_ABOVE = 1e-10
REFINE_INTERCEPT_ABOVE = 1e-13
CHEAP_REFINE_FEATURES = 8
# "standard" refines only when the residuals need at most this many slices of
# X (about 105 bits; beyond, a step costs more than the factorization), or X
# is small enough for any refinement to take milliseconds: else it warns and
# "high" refines.
STANDARD_MAX_SLICES = 2
STANDARD_ANY_SLICES_BELOW = 2**17  # elements of X
WARN_ABOVE = 1e-4  # ... and that warns when refinement cannot run (under 4 digits)
SCALE_SPREAD = 1e6  # centred column norms this far apart make a truncation suspect
ROUNDING_LEVEL = 0.5  # kept cond * eps beyond this: the kept spectrum is rounding noise


class AccuracyWarning(UserWarning):
    """The fitted coefficients are likely to have lost many digits.

    Raised by ``fit`` with ``precision="standard"`` when the estimated error
    is large and refinement cannot fix it; the message says what to change
    (usually ``precision="high"``).

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from sklearn_pinv import AccuracyWarning, PinvRegressor
    >>> x = np.linspace(-9, -3, 40)
    >>> X = np.column_stack([x**k for k in range(1, 11)])  # NIST Filip's design
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always", AccuracyWarning)
    ...     _ = PinvRegressor().fit(X, np.sin(x))
    >>> any(issubclass(w.category, AccuracyWarning) for w in caught)
    True
    """


@dataclass(frozen=True)
class Solution:
    """Coefficients ``(n, t)`` and intercepts ``(t,)`` of one fit, and how they were got.

    ``steps`` counts refinement steps (0: none ran); ``estimate`` is the
    first-order error bound of the unrefined solution; ``reason`` is None,
    or why the estimator should warn: ``"ill-conditioned"``, ``"scales"``,
    ``"rounding"`` or ``"input"`` (a route that cannot refine).
    """

    coef: np.ndarray
    intercept: np.ndarray
    steps: int = 0
    estimate: float = 0.0
    reason: str = None
    dropped: int = 0


# --- the error estimate -------------------------------------------------------


def error_estimate(fact, phi, coef, intercept):
    """First-order bounds on the relative error of an unrefined solution.

    Returns ``(slopes, intercept, kappa)``: ``eps * (kappa + kappa^2 ||r|| /
    (s_max ||w||))`` for the slopes (the least-squares perturbation bound,
    ``kappa`` the condition number of the kept, shifted spectrum),
    ``eps * (|y_mean| + |x_mean| |w|) / |b|`` for the cancellation in the
    intercept (0 without one), and ``kappa``.
    """
    if not np.any(np.asarray(phi) > 0):
        return 0.0, 0.0, 1.0
    kappa = float(np.sqrt(np.max(_shifted_cond_sq(fact, phi))))
    smax = float(np.max(fact.singular_values))
    w = np.abs(np.asarray(coef, np.float64)).reshape(-1, fact.z.shape[1])
    wnorm = safe_norms(w)
    rho = fact.residual_norms.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        est = _EPS * (kappa + kappa**2 * np.where(wnorm > 0, rho / (smax * wnorm), 0))
        est_b = np.zeros(1)
        if fact.fit_intercept:
            b = np.abs(np.asarray(intercept, np.float64)).reshape(-1)
            mass = np.abs(fact.y_offset) + np.abs(fact.X_offset.astype(np.float64)) @ w
            est_b = np.where(b > 0, _EPS * mass / b, 0)
    return float(np.max(est)), float(np.max(est_b)), kappa


def _scales_suspect(fact):
    """Whether the centred columns' norms differ by over :data:`SCALE_SPREAD`.

    Read off the factorization (``||Xc e_j|| = ||diag(s) V^T e_j||``), so no
    route needs ``X`` again to decide.
    """
    norms = fact.column_norms()
    norms = norms[norms > 0]
    return norms.size > 1 and float(norms.max() / norms.min()) > SCALE_SPREAD


# --- refinement ----------------------------------------------------------------


def _needs_refinement(est_w, est_b, n_features):
    cheap = n_features <= CHEAP_REFINE_FEATURES
    return est_w > REFINE_ABOVE or est_b > (REFINE_INTERCEPT_ABOVE if cheap else REFINE_ABOVE)


def _preconditioner(fact, phi, alpha, coef, icpt, estimate):
    """The factorization to refine with: ``fact``, or its equilibrated twin.

    A full-rank least-squares solution does not depend on the columns'
    scales, but the refinement's convergence does: with the tall route's
    ``R`` at hand, its SVD with the columns scaled by powers of two
    (``O(n^3)``, no pass over ``X``) refines the same solution at the
    condition number of the equilibrated design. Returns ``(fact, phi,
    estimate)``.
    """
    full = bool(np.all(np.asarray(phi) > 0))
    R = None if fact.left is None else fact.left.R
    if R is None or fact.column_scale is not None or not full or np.any(alpha != 0):
        return fact, phi, estimate
    fields, Ur = spectrum_of_r(R, np.zeros((R.shape[0], 0), R.dtype), fact.residual_norms, True)
    left = LeftReflectors(fact.left.Q, Ur, fact.left.lead, R)
    twin = replace(fact, singular_values=fields["singular_values"], V=fields["V"],
                   column_scale=fields["column_scale"], left=left)
    ones = np.ones_like(fact.singular_values, dtype=np.float64)
    est_w, est_b, _ = error_estimate(twin, ones, coef, icpt)
    return twin, ones, max(est_w, est_b)


def _refined(X, Y, sample_weight, fact, phi, alpha, coef, icpt, base, max_slices=3):
    """The refined solution, or None when it would take more than ``max_slices`` slices."""
    fact, phi, estimate = _preconditioner(fact, phi, alpha, coef, icpt, base.estimate)
    if max_slices < 3 and bits_for(estimate / _EPS) > max_slices * SLICE_BITS:
        return None  # too many slices whatever X's entries: decline before reading X
    design = _design(X, fact, estimate, sample_weight is not None)
    if design.slices > max_slices:
        return None
    coef, icpt, steps = refine(X, Y, sample_weight, fact, phi, alpha, coef, icpt,
                               estimate=estimate, design=design)
    return replace(base, coef=coef.astype(fact.dtype), steps=steps,
                   intercept=icpt.astype(fact.dtype) if fact.fit_intercept else base.intercept)


def solve(fact, phi, alpha, precision, X=None, Y=None, sample_weight=None):
    """The solution for filter factors ``phi``, refined as ``precision`` asks.

    ``X, Y, sample_weight`` are the original data (``X`` dense or sparse,
    untouched by the factorization), or None for a route that cannot
    refine. ``alpha`` is the ridge penalty per target (0 for the
    pseudoinverse). Returns a :class:`Solution`; nothing is warned here.
    """
    coef = fact.solve(phi)
    base = Solution(coef, fact.intercept(coef))
    if precision == "fast" or fact.dtype != np.float64 or not np.any(phi > 0):
        return base
    est_w, est_b, kappa = error_estimate(fact, phi, coef, base.intercept)
    base = replace(base, estimate=max(est_w, est_b))
    if kappa * _EPS > ROUNDING_LEVEL:  # no refinement can give digits here
        return replace(base, reason="rounding")
    can_refine = X is not None and (_augmented(fact) or seminormal_ok(fact, phi))
    full = bool(np.all(np.asarray(phi) > 0))
    if precision == "high" and can_refine:
        return _refined(X, Y, sample_weight, fact, phi, alpha, coef, base.intercept, base)
    if not _needs_refinement(est_w, est_b, fact.shape[1]):
        return base
    # A truncated solution is a deliberate approximation: "standard" refines
    # full-rank fits only (and NIST-like problems are full rank).
    if full and can_refine:
        small = np.prod(X.shape) <= STANDARD_ANY_SLICES_BELOW
        refined = _refined(X, Y, sample_weight, fact, phi, alpha, coef, base.intercept, base,
                           3 if small else STANDARD_MAX_SLICES)
        if refined is not None:
            return refined
    return replace(base, reason=_why_not(base.estimate, full, X is None, fact),
                   dropped=int(np.sum(np.all(np.asarray(phi).reshape(len(phi), -1) == 0, 1))))


def _why_not(estimate, full, no_data, fact):
    """Why a solution that needed refinement is left as it is, or None (no warning)."""
    if estimate <= WARN_ABOVE:
        return None
    if no_data and full:
        return "input"
    if full:
        return "ill-conditioned"
    # Truncating a well-scaled, ill-conditioned design is what a pseudoinverse
    # is for; dropping a singular value of [x, x**2, ..., x**10] is usually an
    # artefact of the column scales, which precision="high" removes.
    return "scales" if _scales_suspect(fact) else None
