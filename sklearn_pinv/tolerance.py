"""Tolerance policies: the rule that decides which singular values count as zero.

Every library answers "how small is small?" differently. A *policy* maps the
singular values ``s`` of a matrix, its ``shape`` ``(m, n)`` and its ``dtype``
to a threshold ``tau``; singular values ``s_i > tau`` are kept (Octave keeps
``s_i >= tau``) and a singular value of exactly zero is never kept. Here ``eps``
is the machine epsilon of ``dtype`` (``float32`` data gets ``float32``'s eps),
and ``m, n`` is the shape of the matrix *as given* (for the estimators: ``X``).

Policies are small immutable objects: printable, comparable, hashable and
clonable, so ``GridSearchCV`` can search over them and show them in
``cv_results_``. Wherever a ``tol`` is accepted, :func:`resolve` turns it into
a policy:

* a name from :func:`available_policies`, in any case (``"matlab"``,
  ``"MATLAB"``, ``"scipy"``, ..., and the data-driven ``"gcv"``,
  ``"lcurve"``, ``"quasi-optimal"``);
* a float in ``[0, 1)``: a relative tolerance ``tau = tol * max(s)``, like NumPy's
  ``rcond``, SciPy's ``rtol`` and scikit-learn's ``LinearRegression(tol=...)``;
* a :class:`TolerancePolicy` instance (e.g. :class:`AbsoluteRelative`,
  :class:`FixedRank`, :class:`GCVRank`);
* any callable ``(singular_values, shape, dtype) -> threshold``.

Examples
--------
>>> import numpy as np
>>> from sklearn_pinv import tolerance
>>> s = np.array([1.5, 1e-14, 3e-16])
>>> float(tolerance.threshold("matlab", s, (3, 3), np.float64))  # 3 * spacing(1.5)
6.661338147750939e-16
>>> float(tolerance.threshold("octave", s, (3, 3), np.float64))  # 3 * 1.5 * eps
9.992007221626409e-16
>>> tolerance.rank("numpy", s, (3, 3), np.float64)  # 1e-14 > 1e-15 * 1.5
2
>>> tolerance.rank("sqrt-eps", s, (3, 3), np.float64)
1
"""

import difflib
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np

from ._compat import InvalidParameterError
from ._library_rules import (
    Julia,
    Lapack,
    Matlab,
    NumericalRecipes,
    Numpy,
    Octave,
    Scipy,
    SklearnRidge,
    SqrtEps,
    Stata,
)
from ._policy_base import DataDrivenPolicy, TolerancePolicy, _eps, _smax
from ._rank_policies import DiscrepancyRank, GCVRank, LCurveRank, QuasiOptimalRank

# The classes live in small private modules but belong to this public one:
# docs, reprs and pickles name ``sklearn_pinv.tolerance.<Class>``.
for _cls in (TolerancePolicy, DataDrivenPolicy, Julia, Lapack, Matlab, NumericalRecipes,
             Numpy, Octave, Scipy, SqrtEps, Stata, SklearnRidge, GCVRank, LCurveRank,
             DiscrepancyRank, QuasiOptimalRank):
    _cls.__module__ = __name__

__all__ = [
    "TolerancePolicy",
    "DataDrivenPolicy",
    "Matlab",
    "Octave",
    "Scipy",
    "Numpy",
    "Julia",
    "SqrtEps",
    "Stata",
    "NumericalRecipes",
    "Lapack",
    "SklearnRidge",
    "Relative",
    "AbsoluteRelative",
    "FixedRank",
    "GCVRank",
    "LCurveRank",
    "DiscrepancyRank",
    "QuasiOptimalRank",
    "Callable",
    "available_policies",
    "resolve",
    "threshold",
    "rank",
    "keep_mask",
    "cut",
]


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


_REGISTRY = {
    "matlab": Matlab(),
    "octave": Octave(),
    "scipy": Scipy(),
    "numpy": Numpy(),
    "julia": Julia(),
    "sqrt-eps": SqrtEps(),
    "stata": Stata(),
    "numerical-recipes": NumericalRecipes(),
    "lapack": Lapack(),
    "ridge": SklearnRidge(),
    # Data-driven rules by name (their default floor: "scipy").
    "gcv": GCVRank(),
    "lcurve": LCurveRank(),
    "quasi-optimal": QuasiOptimalRank(),
}

# Names that need an argument: a name alone cannot give it.
_NEEDS_ARGUMENT = {
    "discrepancy": "the discrepancy principle needs the noise level: pass "
                   "tolerance.DiscrepancyRank(noise_std=...)",
}

DEFAULT = "scipy"


def available_policies(data_driven=False):
    """Return the names accepted as ``tol``, sorted.

    Parameters
    ----------
    data_driven : bool, default=False
        Also list the data-driven rank rules (``"gcv"``, ``"lcurve"``,
        ``"quasi-optimal"``), which need ``y`` as well as the spectrum.
        Without them the names are the libraries' rules, each a function
        of the singular values alone.

    Returns
    -------
    names : list of str

    Examples
    --------
    >>> from sklearn_pinv.tolerance import available_policies
    >>> available_policies()[:3]
    ['julia', 'lapack', 'matlab']
    >>> available_policies(data_driven=True)[:2]
    ['gcv', 'julia']
    """
    return sorted(name for name, policy in _REGISTRY.items()
                  if data_driven or not isinstance(policy, DataDrivenPolicy))


def resolve(tol):
    """Turn a ``tol`` specification into a :class:`TolerancePolicy`.

    Parameters
    ----------
    tol : str, float, TolerancePolicy or callable
        A policy name, a relative tolerance ``>= 0``, a policy, or a
        callable ``(singular_values, shape, dtype) -> threshold``.

    Returns
    -------
    policy : TolerancePolicy

    Examples
    --------
    >>> from sklearn_pinv.tolerance import resolve
    >>> resolve("octave")
    Octave()
    >>> resolve(1e-6)
    Relative(rtol=1e-06)
    """
    if isinstance(tol, TolerancePolicy):
        return tol
    if isinstance(tol, str):
        return _by_name(tol)
    if isinstance(tol, Real) and not isinstance(tol, bool):
        return Relative(float(tol))
    if callable(tol):
        return Callable(tol)
    raise TypeError(
        "tol must be a policy name, a float >= 0, a TolerancePolicy or a "
        f"callable; got {tol!r}."
    )


def _normal_name(name):
    return name.strip().lower().replace("_", "-").replace(" ", "-")


def _by_name(name):
    """The registered policy for ``name``, in any case; else a did-you-mean error."""
    key = _normal_name(name)
    if key in _REGISTRY:
        return _REGISTRY[key]
    if key in _NEEDS_ARGUMENT:
        raise InvalidParameterError(f"tol={name!r}: {_NEEDS_ARGUMENT[key]}.")
    names = available_policies(data_driven=True)
    close = difflib.get_close_matches(key, names, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise InvalidParameterError(
        f"Unknown tolerance policy {name!r} for the 'tol' parameter.{hint} Valid names are: "
        f"{', '.join(names)}; or pass a float in [0, 1), a "
        "TolerancePolicy or a callable."
    )


def threshold(policy, singular_values, shape, dtype):
    """Return the threshold ``tau`` that ``policy`` sets for ``singular_values``.

    Parameters
    ----------
    policy : str, float, TolerancePolicy or callable
        See :func:`resolve`.
    singular_values : array-like of shape (k,)
    shape : tuple of int
        ``(m, n)``, the shape of the matrix as given.
    dtype : dtype
        Its machine epsilon is used.

    Returns
    -------
    tau : float

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv.tolerance import threshold
    >>> float(threshold("julia", np.array([1.0, 0.5]), (100, 2), np.float64))
    4.440892098500626e-16
    """
    s = np.asarray(singular_values)
    policy = resolve(policy)
    return _checked(policy.threshold(s, tuple(shape), np.dtype(dtype)), policy)


def _checked(tau, policy):
    try:
        tau = float(tau)
    except (TypeError, ValueError):
        tau = float("nan")
    if np.isnan(tau):
        raise ValueError(f"The tolerance policy {policy!r} returned {tau!r}, not a number.")
    return tau


def _mask(s, tau, inclusive):
    kept = s >= tau if inclusive else s > tau
    return kept & (s > 0)


def keep_mask(policy, singular_values, shape, dtype):
    """Boolean mask of the singular values ``policy`` keeps.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv.tolerance import keep_mask
    >>> keep_mask(0.1, np.array([1.0, 0.1, 0.0]), (3, 3), np.float64)
    array([ True, False, False])
    """
    policy = resolve(policy)
    s = np.asarray(singular_values)
    return _mask(s, threshold(policy, s, shape, dtype), policy.inclusive)


def rank(policy, singular_values, shape, dtype):
    """Number of singular values ``policy`` keeps (the numerical rank).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv.tolerance import rank
    >>> rank("sqrt-eps", np.array([1.0, 1e-9, 1e-7]), (3, 3), np.float64)
    2
    """
    return int(keep_mask(policy, singular_values, shape, dtype).sum())


def cut(policy, factorization):
    """Return ``(tau, kept)`` for a factorization; data-driven policies see all of it.

    A :class:`DataDrivenPolicy` chooses among the singular values its
    ``floor`` keeps.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import factorize
    >>> from sklearn_pinv.tolerance import cut
    >>> X = np.array([[1.0, 0.0], [0.0, 1e-20], [0.0, 0.0]])
    >>> tau, kept = cut("matlab", factorize(X, np.ones((3, 1)), fit_intercept=False))
    >>> kept
    array([ True, False])
    """
    policy = resolve(policy)
    s = factorization.singular_values
    if isinstance(policy, DataDrivenPolicy):
        floor = keep_mask(policy.floor, s, factorization.shape, factorization.dtype)
        tau = _checked(policy.select(factorization, floor), policy)
        return tau, _mask(s, tau, policy.inclusive) & floor
    tau = threshold(policy, s, factorization.shape, factorization.dtype)
    return tau, _mask(s, tau, policy.inclusive)
