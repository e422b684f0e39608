"""The alphas a :class:`~sklearn_pinv.TikhonovCV` searches.

A grid given by the user is validated as ``RidgeCV`` validates its own
(scikit-learn's ``check_scalar`` wording, element by element). The default
grid is read off the spectrum of the data: :data:`N_DEFAULT_ALPHAS` alphas,
log-spaced over ``[max(1e-2 s_min^2, eps s_max^2), 1e2 s_max^2]`` for the
singular values the tolerances keep -- the range where the filter factors
``s^2 / (s^2 + alpha)`` change at all (below, every kept direction is kept
whole, or rounding cannot tell the alphas apart; above, every direction is
shrunk below 1%). It is the grid ``diagnose`` and the Displays use. A pick
on either edge of any grid is reported with a :class:`GridEdgeWarning`.
"""

from numbers import Real

import numpy as np
from sklearn.utils.validation import check_scalar

from . import _array_api
from ._base import warn_user
from ._views import default_alphas
from .tolerance import cut

__all__ = ["GridEdgeWarning", "N_DEFAULT_ALPHAS", "check_alphas", "default_grid",
           "warn_on_edges"]

#: Number of alphas of the default grid (about 3 per decade over the 16
#: decades of an ill-conditioned float64 spectrum, more over a shorter one).
N_DEFAULT_ALPHAS = 50


class GridEdgeWarning(UserWarning):
    """The alpha chosen by a cross-validated search lies on an edge of its grid.

    The best score may lie beyond the grid: extend ``alphas`` past that
    edge. At the edges of the default grid the message says what the edge
    means (no regularisation, or the intercept alone).

    Examples
    --------
    >>> import warnings
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn_pinv import GridEdgeWarning, TikhonovCV
    >>> X, y = load_diabetes(return_X_y=True)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     reg = TikhonovCV(alphas=(0.1, 1.0, 10.0)).fit(X, y)  # RidgeCV's grid
    >>> reg.alpha_, [w.category.__name__ for w in caught]
    (0.1, ['GridEdgeWarning'])
    """


def check_alphas(alphas):
    """``alphas`` as a float64 grid, validated as ``RidgeCV`` does; None for ``"auto"``."""
    if isinstance(alphas, str):
        return None
    if _array_api.namespace(alphas) is not None:  # on any device: to the host first
        alphas = _array_api.to_numpy(alphas)
    sequence = np.ndim(alphas) > 0  # lists, tuples, arrays, Series...: element by element
    if sequence:
        values = list(alphas)
        for i, alpha in enumerate(values):
            check_scalar(alpha, f"alphas[{i}]" if len(values) > 1 else "alphas", Real,
                         min_val=0.0)
    grid = np.asarray(alphas, dtype=np.float64).reshape(-1)
    if grid.size == 0:
        raise ValueError("alphas must hold at least one value.")
    if not sequence:
        check_scalar(float(grid[0]), "alphas", Real, min_val=0.0)
    if not np.all(np.isfinite(grid)):
        raise ValueError(f"alphas must be finite, got {alphas!r}.")
    return grid


def default_grid(fact, tols):
    """The data-driven grid for the singular values any of ``tols`` keeps."""
    kept = np.any([cut(tol, fact)[1] for tol in tols], axis=0)
    grid = default_alphas(fact, kept, num=N_DEFAULT_ALPHAS)
    if not np.all(np.isfinite(grid)):
        raise ValueError(
            "The default alphas exceed the floating-point range: the largest singular "
            "value of X squared overflows. Rescale X (e.g. divide it by a power of ten) "
            "or give alphas.")
    return grid


def warn_on_edges(owner, alpha, grid, default):
    """Warn for each edge of ``grid`` that ``alpha`` (one, or one per target) lies on."""
    lo, hi = grid.min(), grid.max()
    if not lo < hi:
        return
    chosen = np.atleast_1d(alpha)
    for edge, value in (("lower", lo), ("upper", hi)):
        on = np.flatnonzero(chosen == value)
        if on.size:
            targets = "" if np.ndim(alpha) == 0 else f" for target(s) {_listing(on)}"
            warn_user(f"{owner}: alpha_ = {value:.3g} lies on the {edge} edge of the alphas "
                      f"searched{targets}; {_EDGE[edge, default].format(value)}",
                      GridEdgeWarning)


def _listing(indices, shown=8):
    """``[0, 2]``, or ``38 of them: [0, 1, ..., 7, ...]`` when long."""
    if indices.size <= shown:
        return str(indices.tolist())
    return f"{indices.size} of them: {str(indices[:shown].tolist())[:-1]}, ...]"


_EDGE = {
    ("lower", False): "a smaller alpha may score better. Extend alphas below {:.3g}.",
    ("upper", False): "a larger alpha may score better. Extend alphas above {:.3g}.",
    ("lower", True): (
        "the default grid starts at max(1e-2 s_min**2, eps s_max**2), below which the "
        "filter keeps every direction whole or rounding cannot tell alphas apart: the "
        "data ask for no regularisation (see PinvCV)."),
    ("upper", True): (
        "the default grid ends at 1e2 s_max**2, where every direction is shrunk below 1%: "
        "the data ask for little more than the intercept."),
}
