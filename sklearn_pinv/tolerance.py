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
from numbers import Real

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
from ._general_rules import AbsoluteRelative, Callable, FixedRank, Relative
from ._policy_base import DataDrivenPolicy, TolerancePolicy
from ._rank_policies import DiscrepancyRank, GCVRank, LCurveRank, QuasiOptimalRank

# The classes live in small private modules but belong to this public one:
# docs, reprs and pickles name ``sklearn_pinv.tolerance.<Class>``.
for _cls in (TolerancePolicy, DataDrivenPolicy, Julia, Lapack, Matlab, NumericalRecipes,
             Numpy, Octave, Scipy, SqrtEps, Stata, SklearnRidge, GCVRank, LCurveRank,
             DiscrepancyRank, QuasiOptimalRank, Relative, AbsoluteRelative, FixedRank,
             Callable):
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
