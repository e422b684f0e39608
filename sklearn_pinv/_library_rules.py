"""The named rules of the libraries sklearn_pinv mirrors, one small class each.

Re-exported by :mod:`sklearn_pinv.tolerance`, where the registry maps names
(``"matlab"``, ``"scipy"``, ...) to instances.
"""

from dataclasses import dataclass

import numpy as np

from ._policy_base import TolerancePolicy, _eps, _smax

__all__ = [
    "Matlab", "Octave", "Scipy", "Numpy", "Julia", "SqrtEps", "Stata",
    "NumericalRecipes", "Lapack", "SklearnRidge",
]


@dataclass(frozen=True)
class Matlab(TolerancePolicy):
    """MATLAB ``pinv``/``rank``: ``tau = max(m, n) * spacing(max(s))``; keep ``s > tau``.

    MATLAB's ``eps(norm(A))`` is the *spacing* of ``max(s)`` in the data's
    floating-point format (a power of two), not ``eps * max(s)``: for
    ``max(s) = 1.5`` it is ``2**-52``, the same as for ``max(s) = 1``.
    Source: MathWorks documentation of ``pinv`` and ``rank``.
    """

    def threshold(self, singular_values, shape, dtype):
        spacing = np.spacing(np.dtype(dtype).type(_smax(singular_values)))
        return max(shape) * float(spacing)


@dataclass(frozen=True)
class Octave(TolerancePolicy):
    """GNU Octave ``pinv``: ``tau = max(m, n) * max(s) * eps``; keep ``s >= tau``.

    Octave is the one rule that keeps a singular value *equal* to the
    threshold. (A zero matrix still has rank 0: zero is never kept.)
    Source: Octave's ``liboctave`` ``Matrix::pseudo_inverse``.
    """

    inclusive = True

    def threshold(self, singular_values, shape, dtype):
        return max(shape) * _smax(singular_values) * _eps(dtype)


@dataclass(frozen=True)
class Scipy(TolerancePolicy):
    """SciPy ``pinv`` with ``atol=0``: ``tau = max(m, n) * eps * max(s)``; keep ``s > tau``.

    Also the default of the Python array API standard's ``linalg.pinv`` and
    of ``numpy.linalg.matrix_rank``. It is the default of this package:
    relative (so invariant to the scale of ``X``), it grows with the
    dimension like the rounding error of a backward-stable SVD does, and it
    is what most Python users already get from ``scipy``/array libraries.
    Source: ``scipy.linalg.pinv``.
    """

    def threshold(self, singular_values, shape, dtype):
        return max(shape) * _eps(dtype) * _smax(singular_values)


@dataclass(frozen=True)
class Numpy(TolerancePolicy):
    """NumPy ``pinv`` default: ``tau = 1e-15 * max(s)`` whatever the dtype; keep ``s > tau``.

    Note that for ``float32`` data ``1e-15`` is far below the rounding
    level, so this rule keeps noise. Source: ``numpy.linalg.pinv`` (``rcond``).
    """

    def threshold(self, singular_values, shape, dtype):
        return 1e-15 * _smax(singular_values)


@dataclass(frozen=True)
class Julia(TolerancePolicy):
    """Julia ``LinearAlgebra.pinv`` with ``atol=0``: ``tau = min(m, n) * eps * max(s)``.

    Keep ``s > tau``. Note the **min** dimension, where MATLAB/SciPy use the
    max. Source: Julia's ``stdlib/LinearAlgebra/src/dense.jl``.
    """

    def threshold(self, singular_values, shape, dtype):
        return min(shape) * _eps(dtype) * _smax(singular_values)


@dataclass(frozen=True)
class SqrtEps(TolerancePolicy):
    """R ``MASS::ginv``: ``tau = sqrt(eps) * max(s)``; keep ``s > tau``.

    Also Julia's advice for ill-conditioned dense problems: it trades
    about half the digits for stability. Source: R package MASS, ``ginv``.
    """

    def threshold(self, singular_values, shape, dtype):
        return float(np.sqrt(_eps(dtype))) * _smax(singular_values)


@dataclass(frozen=True)
class Stata(TolerancePolicy):
    """Stata Mata ``solve_tol()``: ``tau = 1e-13 * mean(s)``; keep ``s > tau``.

    Mata scales its default tolerance by ``trace(abs(Z)) / n``, the mean
    magnitude, which for the SVD is the mean singular value.
    Source: Stata Mata reference manual, ``solve_tol()``, ``pinv()``.
    """

    def threshold(self, singular_values, shape, dtype):
        return 1e-13 * (float(np.mean(singular_values)) if np.size(singular_values) else 0.0)


@dataclass(frozen=True)
class NumericalRecipes(TolerancePolicy):
    """Numerical Recipes 3rd ed. ``SVD``: ``tau = 0.5 * sqrt(m + n + 1) * eps * max(s)``.

    Keep ``s > tau``. Source: Press et al., Numerical Recipes (3rd ed.),
    section 2.6, ``SVD::tsh``.
    """

    def threshold(self, singular_values, shape, dtype):
        m, n = shape
        return 0.5 * float(np.sqrt(m + n + 1.0)) * _eps(dtype) * _smax(singular_values)


@dataclass(frozen=True)
class Lapack(TolerancePolicy):
    """LAPACK ``gelsd`` as called by ``scipy.linalg.lstsq``: ``tau = eps * max(s)``.

    Keep ``s > tau``. Source: ``scipy.linalg.lstsq`` (default ``cond``),
    LAPACK ``xGELSD`` (``RCOND``).
    """

    def threshold(self, singular_values, shape, dtype):
        return _eps(dtype) * _smax(singular_values)


@dataclass(frozen=True)
class SklearnRidge(TolerancePolicy):
    """scikit-learn ``Ridge(solver="svd")``: ``tau = 1e-15``, absolute; keep ``s > tau``.

    ``Ridge``'s SVD solver drops singular values ``<= 1e-15`` of the
    centred (weighted) ``X`` whatever its scale, so ``TikhonovRegressor(alpha,
    tol="ridge")`` equals ``Ridge(alpha, solver="svd")`` for every alpha,
    ``alpha = 0`` and rank-deficient ``X`` included. An absolute threshold
    is not scale invariant: prefer a relative rule for your own fits.
    Source: scikit-learn ``linear_model/_ridge.py``, ``_solve_svd``.
    """

    def threshold(self, singular_values, shape, dtype):
        return 1e-15
