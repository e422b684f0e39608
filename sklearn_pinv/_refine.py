"""The estimators' ``precision``: iterative refinement and column equilibration.

A backward-stable SVD returns coefficients whose error grows with the
condition number of the design, and the default tolerance drops singular
values that are small only because the columns have wildly different scales
(``x`` next to ``x**10``).

* ``"standard"`` (default): a full-rank float64 fit whose first-order error
  bound (:func:`error_estimate`) exceeds ``1e-10`` (``1e-13`` for the
  intercept's cancellation when ``X`` has at most 8 columns, where
  refinement is cheap next to the factorization) is refined on the
  corrected semi-normal equations, residuals in double-double; that
  contracts while ``cond^2 * eps`` is small. Beyond that, an
  :class:`AccuracyWarning` says what to change.
* ``"high"``: **equilibration** (``PinvRegressor`` only: each column of ``X``
  is scaled by a power of two near its centred norm, exactly, so the
  tolerance sees the spectrum of the scaled design; ``TikhonovRegressor``
  keeps its penalty on ``coef_``), then **iterative refinement** of the
  augmented system (Björck, 1967) ``[I A; A^T -alpha P] [r; x] = [b; 0]``,
  ``A = W^(1/2) [1, X]``, ``P`` = 1 on the slopes and 0 on the intercept.
  Both block residuals are computed in double-double (error-free
  transformations; no long double needed) and each correction is solved
  with the same SVD. Refining ``r`` as well as ``x`` removes the
  ``cond^2 * ||r||`` term, so the result is the exact solution of the
  float64 data whenever ``cond * eps`` (equilibrated) is well below 1.
* ``"fast"``: neither.

``y`` is scaled by a power of two (exact) so that Dekker's splitting
cannot overflow for ``y`` near ``1e300``.
"""

from dataclasses import replace

import numpy as np

from ._doubledouble import Design
from ._doubledouble import gradient as _gradient
from ._doubledouble import residual as _residual
from ._factorization import factorize as _factorize
from ._factorization import safe_norms
from .tolerance import cut

__all__ = ["PRECISIONS", "AccuracyWarning", "error_estimate", "factorize_high", "polish", "refine"]

PRECISIONS = ("fast", "standard", "high")
MAX_ITER = 10


# --- factorization and refinement -------------------------------------------


def _column_exponents(X, fit_intercept, sample_weight=None):
    """``e`` with ``2**e`` near each (centred, weighted) column norm.

    Weighted as the problem is, so that integer weights and repeated rows
    get the same scaling (hence the same minimum-norm solution).

    Constant columns, and columns whose norm is subnormal (any relative
    tolerance treats them as zero; scaling them up would only manufacture a
    coefficient beyond the float range), keep ``e = 0``.
    """
    sw = None if sample_weight is None else np.asarray(sample_weight, np.float64)
    A = X - np.average(X, axis=0, weights=sw) if fit_intercept else X
    if sw is not None:
        A = A * np.sqrt(sw)[:, None]
    norms = safe_norms(A).astype(np.float64)
    usable = norms >= np.finfo(X.dtype).tiny
    return np.where(usable, np.frexp(np.where(usable, norms, 1.0))[1], 0)


def factorize_high(X, Y, sample_weight, fit_intercept, equilibrate=True):
    """The factorization for ``precision="high"``: keeps ``U``, equilibrated on request.

    With ``equilibrate`` the SVD is that of ``X / scale`` (powers of two, so
    exact): the singular values, ``U`` and ``z`` describe the scaled design,
    while ``V`` and ``X_offset`` are mapped back (``V / scale``,
    ``X_offset * scale``) so that ``solve`` and ``intercept`` still return
    the coefficients of ``X`` itself. ``V`` is then not orthonormal.
    """
    if not equilibrate:
        return _factorize(X, Y, sample_weight, fit_intercept, copy=True, keep_U=True)
    e = _column_exponents(X, fit_intercept, sample_weight)
    fact = _factorize(np.ldexp(X, -e), Y, sample_weight, fit_intercept, copy=False, keep_U=True)
    return replace(
        fact, V=np.ldexp(fact.V, -e[:, None]), X_offset=np.ldexp(fact.X_offset, e),
        driver=fact.driver + "+equilibrated",
    )


def refine(X, Y, sample_weight, fact, d, alpha, coef, intercept, max_iter=MAX_ITER):
    """Refine ``coef`` (n, t) and ``intercept`` (t,) with the factorization ``fact``.

    ``d`` holds the spectral weights ``s / (s^2 + alpha)`` (0 on dropped
    directions), ``alpha`` the ridge penalty per target (0 for the
    pseudoinverse). With ``fact.U`` the augmented system is refined;
    without it (the QR route keeps no ``U``) the corrected semi-normal
    equations are, which contract only while ``cond^2 * eps`` is small: the
    caller checks :func:`seminormal_ok`. Returns ``(coef, intercept, n_steps)``.
    """
    X = np.asarray(X, dtype=np.float64)
    t = Y.shape[1]
    # A power of two on y (exact) keeps every intermediate far from overflow.
    ymax = float(np.max(np.abs(Y))) if Y.size else 0.0
    ey = int(np.frexp(ymax)[1]) if ymax > 0 else 0  # ldexp: exact, even for 2**1030
    Y = np.ldexp(np.asarray(Y, dtype=np.float64), -ey)
    w = np.ldexp(np.array(coef, dtype=np.float64).reshape(X.shape[1], t), -ey)
    b = np.ldexp(np.array(intercept, dtype=np.float64).reshape(t), -ey)
    q = None if sample_weight is None else np.sqrt(np.asarray(sample_weight, np.float64))
    ctx = _Context(X, Y, q, fact, d, alpha)
    r = _residual(ctx.design, Y, q, w, b, np.zeros_like(Y))[0] if fact.U is not None else None
    # Semi-normal steps shrink the error by about cond^2 * eps each: when the
    # next one is predicted to be below eps, skip it (it would cost a full pass).
    rate = 10 * _EPS * float(np.max(_shifted_cond_sq(fact, d))) if r is None else 1.0
    best, n_steps = None, 0
    for _ in range(max_iter):
        dw, db, dr = ctx.correction(w, b, r)
        size = float(np.max(np.abs(dw), initial=0.0))
        if best is not None and size > 0.5 * best:
            break  # no longer contracting: the last iterate is as good as it gets
        w, b, best, n_steps = w + dw, b + db, size, n_steps + 1
        r = None if r is None else r + dr
        if size * min(rate, 1.0) <= _EPS * float(np.max(np.abs(w), initial=0.0)):
            break
    with np.errstate(over="ignore"):  # a coefficient beyond the float range is inf
        return np.ldexp(w, ey), np.ldexp(b, ey), n_steps


_EPS = float(np.finfo(np.float64).eps)


def _log_shifted(fact, d):
    """``log(s^2 + alpha) = log(s / d)`` on kept directions (``d > 0``), ``nan`` elsewhere.

    Logarithms, because ``1 / s^2`` overflows for ``s < 1e-154``.
    """
    s = fact.singular_values.astype(np.float64)[:, None]
    d = np.asarray(d, np.float64).reshape(s.shape[0], -1)
    kept = (d > 0) & (s > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(kept, np.log(np.where(kept, s, 1)) - np.log(np.where(kept, d, 1)), np.nan)


def _shifted_cond_sq(fact, d):
    """``cond(s^2 + alpha)`` over the kept directions (inf-safe), per target."""
    logs = _log_shifted(fact, d)
    if np.all(np.isnan(logs)):
        return np.zeros(logs.shape[1])
    with np.errstate(over="ignore"):
        return np.exp(np.nanmax(logs, axis=0) - np.nanmin(logs, axis=0))


def seminormal_ok(fact, d):
    """Whether the semi-normal refinement contracts well: ``cond(s^2 + alpha) * eps`` small."""
    if not np.any(np.asarray(d) > 0):
        return False
    return bool(np.all(_shifted_cond_sq(fact, d) * _EPS < 0.1))


class _Context:
    """What every correction step reuses: data, factorization, spectral weights."""

    def __init__(self, X, Y, q, fact, d, alpha):
        t = Y.shape[1]
        self.X, self.Y, self.q, self.fact = X, Y, q, fact
        self.design = Design(X)
        d = np.asarray(d, np.float64)
        self.d = np.broadcast_to(d if d.ndim == 2 else d[:, None], (d.shape[0], t))
        s = fact.singular_values.astype(np.float64)[:, None]
        self.s = np.where(s > 0, s, 1.0)  # d is 0 wherever s is
        self.alpha = np.broadcast_to(np.asarray(alpha, np.float64).reshape(-1), (t,))
        self.qv = np.ones(X.shape[0]) if q is None else q
        self.qq = float(self.qv @ self.qv)
        self.x_mean = fact.X_offset.astype(np.float64)
        self.V = fact.V.astype(np.float64)
        self.U = None if fact.U is None else fact.U.astype(np.float64)

    def correction(self, w, b, r):
        """One correction ``(dw, db, dr)``; ``r`` is None on the semi-normal route."""
        X, Y, q, V = self.X, self.Y, self.q, self.V
        if r is None:  # residual of the whole model, kept in double-double
            f, f_lo = _residual(self.design, Y, q, w, b, np.zeros_like(Y))
            grad_b, grad_w = _gradient(self.design, q, f, f_lo)
            g_w = self.alpha[None, :] * w - grad_w  # -(normal-equations residual)
        else:
            f = _residual(self.design, Y, q, w, b, r)[0]
            grad_b, grad_w = _gradient(self.design, q, r, np.zeros_like(r))
            g_w = self.alpha[None, :] * w - grad_w
        if self.fact.fit_intercept:
            # Unknowns (c, w) with c = b + x_mean . w: q is orthogonal to Xc.
            qf = 0.0 if r is None else self.qv @ f
            dc = (qf + grad_b) / self.qq
            g_w = g_w + self.x_mean[:, None] * grad_b[None, :]
        else:
            dc = np.zeros(Y.shape[1])
        if r is None:
            dw = V @ (self.d * ((V.T @ -g_w) / self.s))  # (s^2 + alpha)^-1 = d / s
        else:
            f_perp = f - np.outer(self.qv, self.qv @ f) / self.qq if self.fact.fit_intercept else f
            dw = V @ (self.d * (self.U.T @ f_perp - (V.T @ g_w) / self.s))
        db = dc - self.x_mean @ dw if self.fact.fit_intercept else dc
        dr = None if r is None else f - self.qv[:, None] * (db[None, :] + X @ dw)
        return dw, db, dr


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


# Estimated relative errors that make "standard" refine. The slope bound is
# a worst case (about 30x pessimistic): at 1e-13 it fired on ordinary noisy
# data with cond ~ 1e3 and made fits 3-10x slower for digits far below the
# noise, so slopes refine from 1e-10 on (every NIST StRD set that needs it
# still does). The intercept's cancellation (a line far from the origin, as
# Norris) is fixed from 1e-13 on when refinement is cheap next to the QR:
# a double-double pass costs ~25 element-wise numpy flops per entry of X
# against ~2n BLAS flops for the QR, so only for narrow X.
REFINE_ABOVE = 1e-10
REFINE_INTERCEPT_ABOVE = 1e-13
CHEAP_REFINE_FEATURES = 8
WARN_ABOVE = 1e-4  # ... and that warns when refinement cannot run (under 4 digits)


def error_estimate(fact, d, coef, intercept):
    """First-order bounds on the relative error of an unrefined solution.

    Returns ``(slopes, intercept)``: ``eps * (kappa + kappa^2 * ||r|| /
    (s_max ||w||))`` for the slopes (the least-squares perturbation bound,
    ``kappa`` the condition number of the kept, shifted spectrum) and
    ``eps * (|y_mean| + |x_mean| |w|) / |b|`` for the cancellation in the
    intercept (0 without one).
    """
    if not np.any(np.asarray(d) > 0):
        return 0.0, 0.0
    kappa = np.sqrt(np.max(_shifted_cond_sq(fact, d)))
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
    return float(np.max(est)), float(np.max(est_b))


def polish(estimator, X, Y, sample_weight, one_target):
    """Refine a fitted estimator's ``coef_``/``intercept_`` in place.

    ``precision="high"``: always (augmented system, the factorization keeps
    ``U``). ``precision="standard"``: only full-rank float64 fits whose error
    estimate exceeds :data:`REFINE_ABOVE`, on the semi-normal route when the
    spectrum allows it, else an :class:`AccuracyWarning` (see
    :func:`_worth_warning`). ``"fast"``: never.
    The refined answer solves the same (truncated, penalised) problem, with
    the estimator's own factorization, tolerance cut and spectral weights.
    """
    fact = estimator.factorization_
    if estimator.precision == "fast" or (fact.dtype != np.float64 and estimator.precision != "high"):
        return
    kept = cut(estimator.tol, fact)[1]
    d = estimator._spectral_weights(fact, kept)
    t = Y.shape[1]
    coef = np.reshape(estimator.coef_, (t, -1)).T
    icpt = np.broadcast_to(np.asarray(estimator.intercept_, np.float64), (t,))
    if fact.U is None:
        est_w, est_b = error_estimate(fact, d, coef, icpt)
        est = max(est_w, est_b)
        cheap = X.shape[1] <= CHEAP_REFINE_FEATURES
        if est_w <= REFINE_ABOVE and est_b <= (REFINE_INTERCEPT_ABOVE if cheap else REFINE_ABOVE):
            return
        # A truncated solution is a deliberate approximation: "standard"
        # refines full-rank fits only (and NIST-like problems are full rank).
        if not kept.all() or not seminormal_ok(fact, d):
            if est > WARN_ABOVE and _worth_warning(X, fact, kept):
                _warn(estimator, kept, est)
            return
    alpha = estimator._alphas(t) if hasattr(estimator, "alpha") else np.zeros(1)
    coef, icpt, n_steps = refine(X, Y, sample_weight, fact, d, alpha, coef, icpt)
    coef, icpt = coef.astype(X.dtype), icpt.astype(X.dtype)
    estimator.coef_ = coef[:, 0] if one_target else coef.T
    if fact.fit_intercept:  # else keep _set_solution's plain 0.0
        estimator.intercept_ = icpt[0] if one_target else icpt
    if estimator.precision == "high":  # "standard" keeps the plain route name
        estimator.solver_ = f"{fact.driver}+refined({n_steps})"


SCALE_SPREAD = 1e6  # centred column norms this far apart make a truncation suspect


def _worth_warning(X, fact, kept):
    """Warn for a full-rank fit, or for a truncation that badly scaled columns may explain.

    Truncating a well-scaled, ill-conditioned design is what a pseudoinverse
    is for (the solution is then a deliberate, stable approximation); but
    dropping a singular value of ``[x, x**2, ..., x**10]`` is usually an
    artefact of the column scales, which ``precision="high"`` removes.
    """
    if kept.all():
        return True
    e = _column_exponents(X, fact.fit_intercept)  # powers of two: plenty here
    return float(np.max(e) - np.min(e)) > np.log2(SCALE_SPREAD)


def _warn(estimator, kept, est):
    import warnings

    if kept.all():
        what = "X is too ill-conditioned for the default refinement"
    else:
        what = (f"{int((~kept).sum())} singular value(s) of X were dropped while its "
                "columns' norms differ by over 1e6 (the truncation may be an artefact "
                "of their scales)")
    fix = ("precision='high' (column equilibration and iterative refinement)"
           if not hasattr(estimator, "alpha")
           else "precision='high' (iterative refinement), standardised columns or a larger alpha")
    warnings.warn(
        f"{type(estimator).__name__}: {what}; the coefficients may have only about "
        f"{max(0, -np.log10(est)):.0f} correct digits. Use {fix}; "
        "precision='fast' skips this check.",
        AccuracyWarning,
        stacklevel=5,
    )


def start_high(estimator, X, Y, sample_weight):
    """``(factorization, stream)`` for a ``precision="high"`` fit.

    The equilibrated factorization cannot seed ``partial_fit`` (its ``V`` is
    not that of ``X``), so the stream restarts from the rows themselves.
    """
    from ._streaming import RFactor  # local: only the high-precision path needs it

    equilibrate = not hasattr(estimator, "alpha")  # Tikhonov's penalty is on w itself
    fact = factorize_high(X, Y, sample_weight, estimator.fit_intercept, equilibrate)
    return fact, RFactor.from_block(X, Y, sample_weight)
