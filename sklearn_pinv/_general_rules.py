"""The general rules: relative, absolute-and-relative, fixed rank, any callable.

Re-exported by :mod:`sklearn_pinv.tolerance` (a float ``tol`` is
:class:`Relative`; a callable is wrapped in :class:`Callable`).
"""

from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np

from ._policy_base import TolerancePolicy, _eps, _smax

__all__ = ["Relative", "AbsoluteRelative", "FixedRank", "Callable"]


@dataclass(frozen=True)
class Relative(TolerancePolicy):
    """Relative tolerance: ``tau = rtol * max(s)``; keep ``s > tau``.

    A plain float ``tol`` means this policy. ``Relative(1e-6)`` reproduces
    scikit-learn's ``LinearRegression()`` from 1.9 on (``cond=1e-6`` in
    ``lstsq``; before 1.9 it is :class:`Scipy`).

    Parameters
    ----------
    rtol : float, default=0.0
        Non-negative relative tolerance.
    """

    rtol: float = 0.0

    def __post_init__(self):
        if isinstance(self.rtol, bool) or not isinstance(self.rtol, Real) or not self.rtol >= 0:
            raise ValueError(f"A relative tolerance must be a float >= 0, got {self.rtol!r}.")
        if self.rtol >= 1:
            raise ValueError(
                f"A relative tolerance must be < 1, got {self.rtol!r}: tau = tol * max(s) "
                ">= max(s) would drop every singular value (rank 0, coef_ = 0). For an "
                "absolute threshold use tolerance.AbsoluteRelative(atol=...)."
            )

    def threshold(self, singular_values, shape, dtype):
        return self.rtol * _smax(singular_values)


@dataclass(frozen=True)
class AbsoluteRelative(TolerancePolicy):
    """An absolute and a relative tolerance, combined as SciPy or as Julia does.

    ``combine="sum"`` (SciPy ``pinv``): ``tau = atol + rtol * max(s)``.
    ``combine="max"`` (Julia ``pinv``): ``tau = max(atol, rtol * max(s))``.
    Keep ``s > tau``.

    Parameters
    ----------
    atol : float, default=0.0
        Absolute tolerance, in the units of the singular values.
    rtol : float or None, default=None
        Relative tolerance. ``None`` means the library default of the
        combine rule when ``atol == 0``: ``max(m, n) * eps`` for ``"sum"``,
        ``min(m, n) * eps`` for ``"max"``; and ``0`` when ``atol > 0``
        (as both libraries do).
    combine : {"sum", "max"}, default="sum"
    """

    atol: float = 0.0
    rtol: float = None
    combine: str = "sum"

    def __post_init__(self):
        if self.combine not in ("sum", "max"):
            raise ValueError(f"combine must be 'sum' or 'max', got {self.combine!r}.")
        for name in ("atol", "rtol"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, Real) and value >= 0):
                raise ValueError(f"{name} must be a float >= 0, got {value!r}.")

    def _rtol(self, shape, dtype):
        if self.rtol is not None:
            return self.rtol
        if self.atol > 0:
            return 0.0
        dim = max(shape) if self.combine == "sum" else min(shape)
        return dim * _eps(dtype)

    def threshold(self, singular_values, shape, dtype):
        relative = self._rtol(shape, dtype) * _smax(singular_values)
        if self.combine == "sum":
            return self.atol + relative
        return max(self.atol, relative)


@dataclass(frozen=True)
class FixedRank(TolerancePolicy):
    """Keep the ``k`` largest singular values (a truncated SVD of rank ``k``).

    ``tau`` is the ``(k+1)``-th largest singular value (``0`` if there is
    none). Singular values tied with it are dropped together with it, since
    a rank-``k`` truncation is not unique there; zeros are never kept, so
    the rank can be below ``k``.

    Parameters
    ----------
    k : int
        Non-negative number of singular values to keep.
    """

    k: int = 1

    def __post_init__(self):
        if isinstance(self.k, bool) or not isinstance(self.k, Integral) or self.k < 0:
            raise ValueError(f"k must be an int >= 0, got {self.k!r}.")

    def threshold(self, singular_values, shape, dtype):
        s = np.sort(np.asarray(singular_values, dtype=float))[::-1]
        return float(s[self.k]) if self.k < s.size else 0.0


@dataclass(frozen=True)
class Callable(TolerancePolicy):
    """Wrap a callable ``f(singular_values, shape, dtype) -> tau`` as a policy.

    Parameters
    ----------
    func : callable
    inclusive : bool, default=False
        Keep ``s >= tau`` rather than ``s > tau``.
    """

    func: object = None
    inclusive: bool = False

    def threshold(self, singular_values, shape, dtype):
        return self.func(singular_values, shape, dtype)  # checked by the caller
