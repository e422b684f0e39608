"""Discrete ill-posed test problems from P. C. Hansen's Regularization Tools.

Each ``make_*`` function discretises a Fredholm integral equation of the
first kind, ``int K(s, t) f(t) dt = g(s)``, into a square system
``A x_true ~= b`` with ``n`` unknowns, and optionally adds white noise of a
given relative size to ``b``. The kernels, intervals and exact solutions are
those of Hansen's MATLAB package, built here from the published formulas:

P. C. Hansen, "Regularization Tools version 4.0 for Matlab 7.3", Numerical
Algorithms 46 (2007), 189-194, and its manual; and the original papers cited
in each function.

The problems are meant for judging regularisation-parameter rules: with a
known ``x_true`` the best truncation rank or ``alpha`` can be found by brute
force and compared with what a rule picks.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state

from . import _regtools
from ._compat import Interval, Options, validate_params

__all__ = [
    "make_shaw", "make_phillips", "make_deriv2", "make_baart", "make_foxgood",
    "make_gravity",
]

_COMMON_PARAMETERS = """noise : float, default=0.0
        Relative noise level ``||e|| / ||b_clean||``. White Gaussian noise
        ``e`` is drawn and scaled to exactly this norm, as Hansen does.
    random_state : int, RandomState instance or None, default=None
        Seed of the noise. Pass an int for reproducible output.
    return_bunch : bool, default=False
        If True, return a :class:`~sklearn.utils.Bunch` instead of a tuple."""

_RETURNS = """A : ndarray of shape (n, n)
        The discretised operator.
    b : ndarray of shape (n,)
        The right-hand side, with noise when ``noise > 0``.
    x_true : ndarray of shape (n,)
        The discretised exact solution.
    bunch : :class:`~sklearn.utils.Bunch`
        Returned instead of the tuple when ``return_bunch=True``, with
        ``data`` (``A``), ``target`` (``b``), ``target_clean`` (``b``
        without noise), ``x_true``, ``noise_std`` (the per-sample noise
        standard deviation ``||e|| / sqrt(n)``, the level Morozov's
        discrepancy principle needs) and ``DESCR``."""

_CONSTRAINTS = {
    "n": [Interval(Integral, 1, None, closed="left")],
    "noise": [Interval(Real, 0, None, closed="left")],
    "random_state": ["random_state"],
    "return_bunch": ["boolean"],
}


def _problem(**extra_constraints):
    """Fill the shared docstring sections, then validate the parameters."""

    def decorate(func):
        func.__doc__ = func.__doc__.format(
            common_parameters=_COMMON_PARAMETERS, returns=_RETURNS
        )
        constraints = {**_CONSTRAINTS, **extra_constraints}
        return validate_params(constraints, prefer_skip_nested_validation=True)(func)

    return decorate


def _finish(problem, noise, random_state, return_bunch, doc):
    """Add the scaled noise to ``b`` and package the result."""
    A, b_clean, x_true = problem
    n = b_clean.shape[0]
    b, noise_std = b_clean.copy(), 0.0
    if noise > 0:
        e = check_random_state(random_state).standard_normal(n)
        e *= noise * np.linalg.norm(b_clean) / np.linalg.norm(e)
        b += e
        noise_std = float(np.linalg.norm(e) / np.sqrt(n))
    if not return_bunch:
        return A, b, x_true
    return Bunch(data=A, target=b, target_clean=b_clean, x_true=x_true,
                 noise_std=noise_std, DESCR=doc.strip().split("\n\n")[0])


@_problem()
def make_shaw(n=64, *, noise=0.0, random_state=None, return_bunch=False):
    """Shaw's one-dimensional image restoration problem (severely ill-posed).

    ``K(s, t) = (cos s + cos t)^2 (sin u / u)^2`` with
    ``u = pi (sin s + sin t)``, on ``s, t in [-pi/2, pi/2]``; the exact
    solution is the sum of two Gaussian bumps,
    ``f(t) = 2 exp(-6 (t - 0.8)^2) + exp(-2 (t + 0.5)^2)``. Discretised by the
    midpoint rule on ``n`` cells; ``b = A x_true``. The singular values decay
    exponentially and reach the rounding level near ``k = 20``.

    Read more in Hansen (2007) and C. B. Shaw, "Improvement of the resolution
    of an instrument by numerical solution of an integral equation", J. Math.
    Anal. Appl. 37 (1972), 83-112.

    Parameters
    ----------
    n : int, default=64
        Number of unknowns (and equations).
    {common_parameters}

    Returns
    -------
    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv.datasets import make_shaw
    >>> A, b, x_true = make_shaw(32)
    >>> A.shape, b.shape, x_true.shape
    ((32, 32), (32,), (32,))
    >>> bool(np.allclose(A @ x_true, b))
    True
    """
    return _finish(_regtools.shaw(n), noise, random_state, return_bunch,
                   make_shaw.__doc__)


@_problem()
def make_phillips(n=64, *, noise=0.0, random_state=None, return_bunch=False):
    """Phillips' test problem (mildly ill-posed).

    ``K(s, t) = phi(s - t)`` and ``f = phi`` with
    ``phi(x) = 1 + cos(pi x / 3)`` for ``|x| < 3`` and ``0`` otherwise, on
    ``s, t in [-6, 6]``; ``g(s) = (6 - |s|) (1 + cos(pi s / 3) / 2) +
    9 / (2 pi) sin(pi |s| / 3)`` for ``|s| <= 6``. Galerkin discretisation
    with orthonormal box functions on ``n`` cells; ``A`` is Toeplitz and
    ``b`` the exact projection of ``g`` (so ``A x_true`` and ``b`` differ
    by the discretisation error). The singular values decay algebraically.

    Read more in Hansen (2007) and D. L. Phillips, "A technique for the
    numerical solution of certain integral equations of the first kind",
    J. ACM 9 (1962), 84-97.

    Parameters
    ----------
    n : int, default=64
        Number of unknowns (and equations).
    {common_parameters}

    Returns
    -------
    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv.datasets import make_phillips
    >>> data = make_phillips(64, noise=1e-3, random_state=0, return_bunch=True)
    >>> data.data.shape
    (64, 64)
    >>> float(round(np.linalg.norm(data.target - data.target_clean)
    ...             / np.linalg.norm(data.target_clean), 12))
    0.001
    """
    return _finish(_regtools.phillips(n), noise, random_state, return_bunch,
                   make_phillips.__doc__)


@_problem(example=[Options(Integral, {1, 2, 3})])
def make_deriv2(n=64, *, example=1, noise=0.0, random_state=None,
                return_bunch=False):
    """Computation of the second derivative (mildly ill-posed).

    The kernel is Green's function for ``u'' = f``, ``u(0) = u(1) = 0``:
    ``K(s, t) = s (t - 1)`` for ``s < t`` and ``t (s - 1)`` for ``s >= t``,
    on ``s, t in [0, 1]``. The examples are

    1. ``f(t) = t``, ``g(s) = (s^3 - s) / 6``;
    2. ``f(t) = exp(t)``, ``g(s) = exp(s) + (1 - e) s - 1``;
    3. ``f(t) = t`` for ``t < 1/2`` and ``1 - t`` otherwise,
       ``g(s) = (4 s^3 - 3 s) / 24`` for ``s < 1/2`` and
       ``(-4 s^3 + 12 s^2 - 9 s + 1) / 24`` otherwise.

    Galerkin discretisation with orthonormal box functions on ``n`` cells.
    The singular values approach those of the operator, ``1 / (k pi)^2``:
    the condition number grows like ``n^2``.

    Read more in Hansen (2007) and L. M. Delves and J. L. Mohamed,
    *Computational Methods for Integral Equations*, Cambridge University
    Press (1985), p. 310.

    Parameters
    ----------
    n : int, default=64
        Number of unknowns (and equations).
    example : {{1, 2, 3}}, default=1
        Which exact solution ``f``.
    {common_parameters}

    Returns
    -------
    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv.datasets import make_deriv2
    >>> A, b, x_true = make_deriv2(128)
    >>> s = np.linalg.svd(A, compute_uv=False)
    >>> np.round(s[:3] * np.pi**2 * np.arange(1, 4) ** 2, 3)  # 1 / (k pi)^2
    array([1., 1., 1.])
    """
    return _finish(_regtools.deriv2(n, example), noise, random_state,
                   return_bunch, make_deriv2.__doc__)


@_problem()
def make_baart(n=64, *, noise=0.0, random_state=None, return_bunch=False):
    """Baart's test problem (severely ill-posed).

    ``K(s, t) = exp(s cos t)`` on ``s in [0, pi/2]``, ``t in [0, pi]``;
    ``f(t) = sin t`` and ``g(s) = 2 sinh(s) / s``. Galerkin discretisation
    with orthonormal box functions on ``n`` cells, all integrals exact to
    rounding. The singular values decay faster than exponentially and reach
    the rounding level near ``k = 11``.

    Read more in Hansen (2007) and M. L. Baart, "The use of auto-correlation
    for pseudo-rank determination in noisy ill-conditioned linear
    least-squares problems", IMA J. Numer. Anal. 2 (1982), 241-247.

    Parameters
    ----------
    n : int, default=64
        Number of unknowns (and equations).
    {common_parameters}

    Returns
    -------
    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv.datasets import make_baart
    >>> A, b, x_true = make_baart()
    >>> s = np.linalg.svd(A, compute_uv=False)
    >>> bool(s[15] < 1e-13 * s[0])
    True
    """
    return _finish(_regtools.baart(n), noise, random_state, return_bunch,
                   make_baart.__doc__)


@_problem()
def make_foxgood(n=64, *, noise=0.0, random_state=None, return_bunch=False):
    """Fox and Goodwin's test problem (severely ill-posed).

    ``K(s, t) = (s^2 + t^2)^(1/2)`` on ``s, t in [0, 1]``; ``f(t) = t`` and
    ``g(s) = ((1 + s^2)^(3/2) - s^3) / 3``. Discretised by the midpoint rule
    on ``n`` cells with ``b_i = g(s_i)`` exact (so ``A x_true`` and ``b``
    differ by the quadrature error). This problem does not satisfy the
    discrete Picard condition for the smallest singular values.

    Read more in Hansen (2007) and C. T. H. Baker, *The Numerical Treatment
    of Integral Equations*, Clarendon Press (1977), p. 665.

    Parameters
    ----------
    n : int, default=64
        Number of unknowns (and equations).
    {common_parameters}

    Returns
    -------
    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv.datasets import make_foxgood
    >>> A, b, x_true = make_foxgood(64)
    >>> float(round(np.linalg.norm(A @ x_true - b) / np.linalg.norm(b), 4))
    0.0
    """
    return _finish(_regtools.foxgood(n), noise, random_state, return_bunch,
                   make_foxgood.__doc__)


@_problem(depth=[Interval(Real, 0, None, closed="neither")])
def make_gravity(n=64, *, depth=0.25, noise=0.0, random_state=None,
                 return_bunch=False):
    """One-dimensional gravity surveying (severely ill-posed).

    The vertical component of the gravity field at the surface, ``g(s)``,
    of a mass density ``f(t)`` on a line at depth ``d``:
    ``K(s, t) = d (d^2 + (s - t)^2)^(-3/2)`` on ``s, t in [0, 1]``, with
    ``f(t) = sin(pi t) + sin(2 pi t) / 2`` (Hansen's example 1).
    Discretised by the midpoint rule on ``n`` cells; ``b = A x_true``. The
    singular values decay roughly like ``exp(-pi d k)``: the deeper the
    source, the more ill-posed the problem.

    Read more in Hansen (2007) and P. C. Hansen, *Discrete Inverse Problems:
    Insight and Algorithms*, SIAM (2010), section 2.1.

    Parameters
    ----------
    n : int, default=64
        Number of unknowns (and equations).
    depth : float, default=0.25
        Depth ``d > 0`` of the mass line.
    {common_parameters}

    Returns
    -------
    {returns}

    Examples
    --------
    >>> from sklearn_pinv.datasets import make_gravity
    >>> A, b, x_true = make_gravity(32, noise=0.01, random_state=0)
    >>> A.shape
    (32, 32)
    """
    return _finish(_regtools.gravity(n, depth), noise, random_state,
                   return_bunch, make_gravity.__doc__)
