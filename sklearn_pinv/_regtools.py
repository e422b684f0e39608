"""The formulas behind :mod:`sklearn_pinv.datasets`: six first-kind Fredholm
integral equations ``int K(s, t) f(t) dt = g(s)`` from Hansen's Regularization
Tools, discretised as Hansen does.

Each builder returns ``(A, b, x)`` without noise. Two discretisations occur:

* midpoint quadrature on ``n`` equal cells (shaw, foxgood, gravity):
  ``A_ij = h K(s_i, t_j)`` at the cell midpoints, ``x_j = f(t_j)``, and
  ``b = A x`` (shaw, gravity) or ``b_i = g(s_i)`` (foxgood);
* Galerkin with orthonormal box functions ``1/sqrt(h)`` on each cell (phillips,
  deriv2, baart): ``A_ij = int int K / sqrt(h_s h_t)`` over the cell pair and
  ``b``, ``x`` the cell integrals of ``g``, ``f`` over ``sqrt(h)``. These
  integrals are taken in closed form or by Gauss-Legendre rules exact to
  rounding (Hansen's baart uses Simpson's rule in ``t``).
"""

import numpy as np
from scipy import special

__all__ = ["shaw", "phillips", "deriv2", "baart", "foxgood", "gravity"]

# Gauss-Legendre nodes on [0, 1]: the cells are short and the integrands
# entire, so 16 nodes integrate them to rounding.
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(16)
_GL_NODES, _GL_WEIGHTS = (_GL_NODES + 1) / 2, _GL_WEIGHTS / 2


def _midpoints(lo, hi, n):
    h = (hi - lo) / n
    return lo + h * (np.arange(n) + 0.5), h


def _cell_integrals(antiderivative, edges):
    """``int f`` over each cell ``[edges[i], edges[i+1]]`` over ``sqrt(h)``."""
    h = edges[1] - edges[0]
    return np.diff(antiderivative(edges)) / np.sqrt(h)


# ---------------------------------------------------------------- midpoint
def shaw(n):
    """Shaw (1972): a one-dimensional image restoration on ``[-pi/2, pi/2]``."""
    t, h = _midpoints(-np.pi / 2, np.pi / 2, n)
    s = t[:, None]
    # (sin u / u)^2 with u = pi (sin s + sin t); np.sinc(v) = sin(pi v) / (pi v).
    kernel = (np.cos(s) + np.cos(t)) ** 2 * np.sinc(np.sin(s) + np.sin(t)) ** 2
    A = h * kernel
    x = 2 * np.exp(-6 * (t - 0.8) ** 2) + np.exp(-2 * (t + 0.5) ** 2)
    return A, A @ x, x


def foxgood(n):
    """Fox & Goodwin (1953): ``K = sqrt(s^2 + t^2)`` on ``[0, 1]``, ``f(t) = t``."""
    t, h = _midpoints(0.0, 1.0, n)
    A = h * np.hypot(t[:, None], t)
    b = ((1 + t**2) ** 1.5 - t**3) / 3
    return A, b, t.copy()


def gravity(n, depth=0.25):
    """Gravity surveying: ``K = d (d^2 + (s - t)^2)^(-3/2)`` on ``[0, 1]``."""
    t, h = _midpoints(0.0, 1.0, n)
    A = h * depth / (depth**2 + (t[:, None] - t) ** 2) ** 1.5
    x = np.sin(np.pi * t) + 0.5 * np.sin(2 * np.pi * t)
    return A, A @ x, x


# ---------------------------------------------------------------- galerkin
_C = np.pi / 3  # phillips: phi(x) = 1 + cos(C x) on |x| < 3


def _phillips_phi(x):
    return np.where(np.abs(x) < 3, 1 + np.cos(_C * x), 0.0)


def _phillips_phi_integral(x):
    """Antiderivative of ``phi`` (constant outside its support)."""
    y = np.clip(x, -3.0, 3.0)
    return y + np.sin(_C * y) / _C


def _phillips_g_integral(s):
    """Antiderivative of ``g(s) = (6-|s|)(1 + cos(C s)/2) + 9/(2 pi) sin(C |s|)``,
    odd because ``g`` is even, constant beyond ``|s| = 6``."""
    a = np.clip(np.abs(s), 0.0, 6.0)
    H = 6 * a - a**2 / 2 + (6 - a) * np.sin(_C * a) / (2 * _C)
    H += 2 * (1 - np.cos(_C * a)) / _C**2
    return np.sign(s) * H


def _phillips_toeplitz(n, h):
    """``(1/h) int int phi(s - t)`` over two cells ``k = i - j`` apart, for
    ``k = 0..n-1``: the two boxes convolve to the triangle ``h - |u|``,
    integrated piecewise (split at 0 and at the support's ends) by Gauss rules."""
    k = np.arange(n)[:, None]
    cuts = np.clip(np.array([-3.0, 3.0]) - k * h, -h, h)
    breaks = np.sort(np.hstack([np.full((n, 1), -h), cuts, np.zeros((n, 1)),
                                np.full((n, 1), h)]), axis=1)
    lo, width = breaks[:, :-1, None], np.diff(breaks, axis=1)[:, :, None]
    u = lo + width * _GL_NODES
    f = (h - np.abs(u)) * _phillips_phi(k[:, :, None] * h + u)
    return np.sum(width * _GL_WEIGHTS * f, axis=(1, 2)) / h


def phillips(n):
    """Phillips (1962): ``K = phi(s - t)`` on ``[-6, 6]``, ``f = phi``."""
    h = 12.0 / n
    edges = -6.0 + h * np.arange(n + 1)
    col = _phillips_toeplitz(n, h)
    A = col[np.abs(np.arange(n)[:, None] - np.arange(n))]
    b = _cell_integrals(_phillips_g_integral, edges)
    x = _cell_integrals(_phillips_phi_integral, edges)
    return A, b, x


# deriv2: antiderivatives of (f, g) for Hansen's three examples, with
# g = int K f the solution of u'' = f, u(0) = u(1) = 0.
_DERIV2 = {
    1: (lambda t: t**2 / 2, lambda s: (s**4 / 4 - s**2 / 2) / 6),
    2: (np.exp, lambda s: np.exp(s) + (1 - np.e) * s**2 / 2 - s),
    3: (
        lambda t: np.where(t < 0.5, t**2 / 2, t - t**2 / 2 - 0.25),
        lambda s: np.where(s < 0.5, (s**4 - 1.5 * s**2) / 24,
                           (-s**4 + 4 * s**3 - 4.5 * s**2 + s - 0.125) / 24),
    ),
}


def deriv2(n, example=1):
    """Green's function of the second derivative on ``[0, 1]``:
    ``K = s (t - 1)`` for ``s < t``, ``t (s - 1)`` otherwise."""
    mid, h = _midpoints(0.0, 1.0, n)
    # Off the diagonal K is a product in each cell pair: h t_j (s_i - 1), i > j.
    lower = h * mid[None, :] * (mid[:, None] - 1)
    A = np.tril(lower, -1) + np.tril(lower, -1).T
    a = h * np.arange(n)  # left cell ends; the diagonal integral in closed form
    A[np.diag_indices(n)] = a**2 * h + a * h**2 - a * h - h**2 / 3 + h**3 / 4
    F, G = _DERIV2[example]
    edges = h * np.arange(n + 1)
    return A, _cell_integrals(G, edges), _cell_integrals(F, edges)


def baart(n):
    """Baart (1982): ``K = exp(s cos t)``, ``s in [0, pi/2]``, ``t in [0, pi]``."""
    hs, ht = np.pi / (2 * n), np.pi / n
    s0 = hs * np.arange(n)
    t = ht * (np.arange(n)[:, None] + _GL_NODES)  # Gauss nodes per t-cell
    c = np.cos(t)
    # Exact in s: int_{s0}^{s0+hs} exp(s c) ds = exp(s0 c) hs exprel(hs c).
    inner = np.exp(s0[:, None, None] * c) * hs * special.exprel(hs * c)
    A = ht * (inner @ _GL_WEIGHTS) / np.sqrt(hs * ht)
    shi = special.shichi(hs * np.arange(n + 1))[0]  # int sinh(s)/s = Shi(s)
    b = 2 * np.diff(shi) / np.sqrt(hs)
    x = -np.diff(np.cos(ht * np.arange(n + 1))) / np.sqrt(ht)
    return A, b, x
