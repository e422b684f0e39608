"""Iterative refinement of a least-squares or Tikhonov solution, one pass over ``X`` a step.

Two iterations share the factorization: the corrected semi-normal equations
(each step ``(s^2 + alpha)^-1`` applied to the gradient ``X^T r``; they
contract by ``cond^2 * eps`` a step, so they serve well-conditioned fits) and
Björck's augmented system ``[I A; A^T -alpha P] [r; x] = [b; 0]``
(``U^T f`` through the route's reflectors; ``cond * eps`` a step). A cost
model picks the one that reaches ``eps`` in fewer passes. Residuals and
gradients come from :mod:`sklearn_pinv._sliced`, as accurate as the
estimated error bound requires.
"""

import numpy as np

from ._sliced import Design, bits_for, passes

__all__ = ["refine", "seminormal_ok", "MAX_ITER", "AUGMENTED_COST"]

MAX_ITER = 10
AUGMENTED_COST = 2.5  # an augmented step in semi-normal ones (measured, 100000 x 50)
_EPS = float(np.finfo(np.float64).eps)


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


def seminormal_ok(fact, phi, rate=0.1):
    """Whether the semi-normal refinement contracts well: ``cond(s^2 + alpha) * eps < rate``."""
    if not np.any(np.asarray(phi) > 0):
        return False
    return bool(np.all(_shifted_cond_sq(fact, phi) * _EPS < rate))


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
