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

from ._doubledouble import Design, bits_for, passes
from ._numerics import safe_norms
from ._reflectors import LeftReflectors
from ._routes import spectrum_of_r

__all__ = ["PRECISIONS", "AccuracyWarning", "Solution", "solve", "error_estimate", "refine"]

PRECISIONS = ("fast", "standard", "high")
MAX_ITER = 10
_EPS = float(np.finfo(np.float64).eps)

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
AUGMENTED_COST = 2.5  # an augmented step in semi-normal ones (measured, 100000 x 50)
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


def _log_shifted(fact, phi):
    """``log(s^2 + alpha) = 2 log s - log phi`` on kept directions, ``nan`` elsewhere.

    Logarithms, because ``s^2`` overflows for ``s > 1e154`` and underflows
    below ``1e-154``.
    """
    s = fact.singular_values.astype(np.float64)[:, None]
    phi = np.asarray(phi, np.float64).reshape(s.shape[0], -1)
    kept = (phi > 0) & (s > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = 2 * np.log(np.where(kept, s, 1)) - np.log(np.where(kept, phi, 1))
    return np.where(kept, logs, np.nan)


def _shifted_cond_sq(fact, phi):
    """``cond(s^2 + alpha)`` over the kept directions (inf-safe), per target."""
    logs = _log_shifted(fact, phi)
    if np.all(np.isnan(logs)):
        return np.zeros(logs.shape[1])
    with np.errstate(over="ignore"):
        return np.exp(np.nanmax(logs, axis=0) - np.nanmin(logs, axis=0))


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


def seminormal_ok(fact, phi, rate=0.1):
    """Whether the semi-normal refinement contracts well: ``cond(s^2 + alpha) * eps < rate``."""
    if not np.any(np.asarray(phi) > 0):
        return False
    return bool(np.all(_shifted_cond_sq(fact, phi) * _EPS < rate))


def _scales_suspect(fact):
    """Whether the centred columns' norms differ by over :data:`SCALE_SPREAD`.

    Read off the factorization (``||Xc e_j|| = ||diag(s) V^T e_j||``), so no
    route needs ``X`` again to decide.
    """
    norms = fact.column_norms()
    norms = norms[norms > 0]
    return norms.size > 1 and float(norms.max() / norms.min()) > SCALE_SPREAD


# --- refinement ----------------------------------------------------------------


def _augmented(fact):
    """Whether ``U^T f`` is at hand (dense ``U`` or the route's reflectors)."""
    return fact.U is not None or fact.left is not None


def _design(X, fact, estimate, weighted):
    """``X`` for the residual kernels, sliced finely enough for ``estimate``.

    The products' error is relative to ``|X| |w|``: beside the estimate's
    amplification, the ratio of the columns' largest entries to their
    typical centred entries ``||Xc e_j|| / sqrt(m)`` sets the bits needed.
    Columns whose offset dominates them are centred exactly (Sterbenz), so
    the offset costs no bits. Unweighted and without large offsets,
    ``|x_ij| <= |mean_j| + ||Xc e_j||`` bounds the entries from the
    factorization and no pass over ``X`` is needed for it.
    """
    amplification = max(float(estimate), _EPS) / _EPS
    if fact.implicit:  # centred column norms are not cheap: read X
        return Design(X, max(52, bits_for(amplification)))
    norms = fact.column_norms().astype(np.float64)
    typical = norms / np.sqrt(max(X.shape[0], 1))
    offsets = np.abs(fact.X_offset.astype(np.float64))

    def bits(design):
        ratio = np.max(design.bound / np.where(typical > 0, typical, np.inf), initial=1.0)
        return bits_for(amplification * max(ratio, 1.0))

    if not weighted and not np.any(offsets > 4 * typical):
        # The norms carry the SVD's absolute error ~eps s_max (per unit of
        # scale): a slack of 16 times that, and a factor 2, keep the bound one.
        scale = 1.0 if fact.column_scale is None else fact.column_scale
        slack = 16 * _EPS * float(np.max(fact.singular_values, initial=0.0)) * scale
        design = Design(X, 1, bound=2 * (offsets + norms + slack))
        if bits(design) <= 26:  # loose (by ~sqrt(m)) but one slice is enough: no pass over X
            design.set_bits(bits(design))
            return design
    design = Design(X, 1, centre=fact.X_offset if np.any(offsets) else None)
    design.set_bits(bits(design))
    return design


def _augmented_cheaper(fact, phi, estimate):
    """Whether augmented steps (``U^T f``: a pass over the reflectors, and ``X dw``)
    reach eps for less than semi-normal ones (one pass over ``X`` each).

    Steps from the error ``estimate``: the semi-normal ones shrink it by
    ``10 cond^2 eps`` each; one augmented step (``10 cond eps``) costs
    ``AUGMENTED_COST`` semi-normal ones.
    """
    rate = 10 * _EPS * float(np.max(_shifted_cond_sq(fact, phi)))
    if rate >= 0.5:
        return True
    steps = np.log(_EPS / max(float(estimate), _EPS)) / np.log(rate)
    return max(1.0, np.ceil(steps)) > AUGMENTED_COST


def refine(X, Y, sample_weight, fact, phi, alpha, coef, intercept, max_iter=MAX_ITER,
           estimate=1.0, design=None):
    """Refine ``coef`` (n, t) and ``intercept`` (t,) with the factorization ``fact``.

    ``phi`` holds the filter factors (0 on dropped directions), ``alpha``
    the ridge penalty per target (0 for the pseudoinverse); ``X`` is dense
    or sparse, ``estimate`` the error bound of the unrefined solution
    (``design``: ``X`` prepared by :func:`_design`, or None). With
    ``U`` (dense, or the route's reflectors) the augmented system may be
    refined; else (or when cheaper) the corrected semi-normal equations
    are, which contract only while ``cond^2 * eps`` is small
    (:func:`seminormal_ok`). Returns ``(coef, intercept, n_steps)``.
    """
    t = Y.shape[1]
    # A power of two on y (exact) keeps every intermediate far from overflow.
    ymax = float(np.max(np.abs(Y))) if Y.size else 0.0
    ey = int(np.frexp(ymax)[1]) if ymax > 0 else 0  # ldexp: exact, even for 2**1030
    Y = np.ldexp(np.asarray(Y, dtype=np.float64), -ey)
    w = np.ldexp(np.array(coef, dtype=np.float64).reshape(X.shape[1], t), -ey)
    b = np.ldexp(np.array(intercept, dtype=np.float64).reshape(t), -ey)
    q = None if sample_weight is None else np.sqrt(np.asarray(sample_weight, np.float64))
    # The semi-normal equations need one pass over X per step and contract
    # by cond^2 * eps; the augmented system adds U^T f (a pass over the
    # reflectors) and X dw, and contracts by cond * eps: it pays only when
    # cond^2 * eps is not small.
    augmented = _augmented(fact) and _augmented_cheaper(fact, phi, estimate)
    if design is None:
        design = _design(X, fact, estimate, q is not None)
    ctx = _Context(X, Y, q, fact, phi, alpha, design, augmented)
    best, r = None, None
    for n_steps in range(1, max_iter + 1):
        dw, db, r, dr = ctx.correction(w, b, r)
        size = float(np.max(np.abs(dw), initial=0.0))
        if best is not None and size > 0.5 * best:
            n_steps -= 1
            break  # no longer contracting: the last iterate is as good as it gets
        w, b, best = w + dw, b + db, size
        if ctx.converged(size, w):
            break
        r = None if r is None else r + dr
    with np.errstate(over="ignore"):  # a coefficient beyond the float range is inf
        return np.ldexp(w, ey), np.ldexp(b, ey), n_steps


class _Context:
    """What every correction step reuses: data, factorization, spectral weights."""

    def __init__(self, X, Y, q, fact, phi, alpha, design, augmented):
        t = Y.shape[1]
        self.X, self.Y, self.q, self.fact, self.design = X, Y, q, fact, design
        s = fact.singular_values.astype(np.float64)[:, None]
        phi = np.asarray(phi, np.float64).reshape(s.shape[0], -1)
        self.s = np.where(s > 0, s, 1.0)  # phi is 0 wherever s is
        d = np.divide(phi, self.s, out=np.zeros_like(phi), where=phi > 0)
        self.d = np.broadcast_to(d, (d.shape[0], t))
        self.alpha = np.broadcast_to(np.asarray(alpha, np.float64).reshape(-1), (t,))
        self.qv = np.ones(X.shape[0]) if q is None else q
        self.qq = float(self.qv @ self.qv)
        self.x_mean = fact.X_offset.astype(np.float64)
        kappa2 = float(np.max(_shifted_cond_sq(fact, phi)))
        # Predicted error left after a step of size |dw|: cond * eps |dw| for
        # the augmented system, cond^2 * eps |dw| for the semi-normal one.
        self.augmented = augmented
        self.rate = 10 * _EPS * (np.sqrt(kappa2) if augmented else kappa2)

    def converged(self, size, w):
        """Whether the error left after a step of max size ``size`` is below eps."""
        return size * min(self.rate, 1.0) <= _EPS * float(np.max(np.abs(w), initial=0.0))

    def _left_t(self, f):
        """``U^T f_perp``: ``f`` without its intercept direction, in ``U``'s coordinates."""
        if self.fact.U is None:
            return self.fact.left.apply_t(f)  # Q's first column is q: already orthogonal
        if self.fact.fit_intercept:
            f = f - np.outer(self.qv, self.qv @ f) / self.qq
        return self.fact.U.T.astype(np.float64) @ f

    def _residuals(self, w, b, r):
        """``(f, r, grad_b, grad_w)`` of one pass over ``X``, double-double accurate.

        Semi-normal: ``f`` is the residual of the model and the gradient is
        that of ``f``. Augmented: ``f = b - r - A x`` and the gradient that of
        ``r``; the first pass starts ``r`` at the residual's float64 part (so
        ``f`` is the rest), which makes the first step a full augmented one.
        """
        if not self.augmented:
            f, _, grad_b, grad_w = passes(self.design, self.Y, self.q, w, b, None, "f")
            return f, None, grad_b, grad_w
        if r is None:
            r, f, grad_b, grad_w = passes(self.design, self.Y, self.q, w, b, None, "f_hi")
            return f, r, grad_b, grad_w
        f, _, grad_b, grad_w = passes(self.design, self.Y, self.q, w, b, r, "r")
        return f, r, grad_b, grad_w

    def correction(self, w, b, r):
        """One correction: ``(dw, db, r, dr)`` (``r`` and ``dr`` None if semi-normal)."""
        fact = self.fact
        f, r, grad_b, grad_w = self._residuals(w, b, r)
        g_w = self.alpha[None, :] * w - grad_w  # -(normal-equations residual)
        if fact.fit_intercept:
            # Unknowns (c, w) with c = b + x_mean . w: q is orthogonal to Xc.
            qf = 0.0 if r is None else self.qv @ f
            dc = (qf + grad_b) / self.qq
            g_w = g_w + self.x_mean[:, None] * grad_b[None, :]
        else:
            dc = np.zeros(self.Y.shape[1])
        Vtg = fact.apply_Vt(g_w) / self.s
        if r is None:
            dw = fact.apply_V(self.d * -Vtg)  # (s^2 + alpha)^-1 = d / s
        else:
            dw = fact.apply_V(self.d * (self._left_t(f) - Vtg))
        db = dc - self.x_mean @ dw if fact.fit_intercept else dc
        dr = None if r is None else f - self.qv[:, None] * (db[None, :] + self.X @ dw)
        return dw, db, r, dr


# --- the solve step -------------------------------------------------------------


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
