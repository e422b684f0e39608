"""Helpers shared by the Displays: matplotlib access, style merging, and reading
a fitted estimator's spectrum.

This module holds the only imports of private core modules in ``_plot``
(``_spectral``, ``_views``), all here.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._base import SpectralMixin
from .._estimators import PinvRegressor
from .._spectral import tikhonov_factors
from .._views import default_alphas, lcurve
from ..tolerance import DEFAULT, available_policies, cut, resolve

__all__ = ["DEFAULT", "available_policies", "cut", "resolve", "lcurve"]

_SPECTRAL = "PinvRegressor, TikhonovRegressor, PinvCV or TikhonovCV"


def pyplot():
    """``matplotlib.pyplot``, imported only when something is drawn."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Plotting needs matplotlib: pip install 'sklearn-pinv[plot]'."
        ) from exc
    return plt


def axes(ax, figsize=None):
    """The given axes, or those of a new figure whose layout keeps rotated tick
    labels and an outside legend inside the picture."""
    if ax is None:
        _, ax = pyplot().subplots(figsize=figsize, layout="constrained")
    return ax


def positive(values):
    """NaN where a value is not > 0: log axes cannot show zeros."""
    values = np.asarray(values, dtype=np.float64)
    return np.where(values > 0, values, np.nan)


def style(defaults, user=None, artist="line"):
    """The display's default style updated by the user's keywords.

    Aliases (``c``/``color``, ``ls``/``linestyle``, ...) are normalised first,
    so a user's ``c="r"`` replaces the default ``color`` instead of clashing
    with it; giving both spellings is matplotlib's own TypeError.
    """
    from matplotlib.cbook import normalize_kwargs
    from matplotlib.collections import PolyCollection
    from matplotlib.lines import Line2D

    kind = {"line": Line2D, "fill": PolyCollection}[artist]
    return {**normalize_kwargs(defaults, kind), **normalize_kwargs(user or {}, kind)}


def integer_ticks(axis):
    """Index axes count singular values: only whole numbers are ticks."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def finish(display, ax, *, title, legend, legend_kwargs=None):
    """Title, optional legend, and the ``ax_`` / ``figure_`` attributes."""
    ax.set_title(title)
    if legend:
        ax.legend(**{"fontsize": "small", **(legend_kwargs or {})})
    display.ax_, display.figure_ = ax, ax.figure
    return display


def name_of(estimator):
    return None if estimator is None else type(estimator).__name__


def _unwrap(estimator):
    """The estimator that holds the spectrum: a Pipeline's last step, a search's
    ``best_estimator_`` (repeatedly, for a search over a pipeline)."""
    from sklearn.pipeline import Pipeline

    while True:
        if isinstance(estimator, Pipeline):
            estimator = estimator[-1]
        elif hasattr(estimator, "best_estimator_"):
            estimator = estimator.best_estimator_
        else:
            return estimator


def spectrum_of(estimator, display):
    """``(estimator, factorization, kept)`` of a fitted spectral estimator.

    ``kept`` is the prefix of the (decreasing) spectrum the estimator's own
    tolerance keeps: its first ``rank_`` singular values.
    """
    est = _unwrap(estimator)
    if not hasattr(est, "factorization_"):
        hint = ""
        if isinstance(est, SpectralMixin):
            check_is_fitted(est, "factorization_")  # NotFittedError, as scikit-learn
        elif hasattr(est, "refit"):  # a search: unfitted, or fitted with refit=False
            check_is_fitted(est)
            hint = " A search needs refit=True to have a best_estimator_."
        raise ValueError(
            f"{display}.from_estimator needs an estimator with a spectrum: a fitted "
            f"{_SPECTRAL}, alone, last in a Pipeline or as a search's best_estimator_. "
            f"{name_of(est)} has no factorization_ (no singular values to show).{hint}")
    return est, est.factorization_, kept_of(est)


def kept_of(estimator):
    """The singular values a fitted estimator keeps: the first ``rank_`` of them
    (the spectrum decreases, so every tolerance keeps a prefix)."""
    return np.arange(estimator.factorization_.singular_values.size) < estimator.rank_


def scalar_alpha(estimator):
    """The estimator's fitted ``alpha_`` when it is one positive number, else None."""
    alpha = getattr(estimator, "alpha_", None)
    if alpha is None or np.ndim(alpha) != 0 or not float(alpha) > 0:
        return None
    return float(alpha)


def fit_data(X, y, tol, fit_intercept):
    """A PinvRegressor on ``X, y`` (zeros when ``y`` is None), for its factorization.

    ``precision="fast"``: the displays show the spectrum, not the coefficients,
    so neither their refinement nor a warning about their digits applies.
    """
    y = np.zeros(np.shape(X)[0]) if y is None else y
    reg = PinvRegressor(tol=tol, fit_intercept=fit_intercept, precision="fast")
    return reg.fit(X, y)


def shape_title(kind, fact, name=None):
    """``"<kind> of <name or X> (m samples x n features)"``."""
    m, n = fact.shape
    return f"{kind} of {name or 'X'} ({m} samples \u00d7 {n} features)"


def alpha_grid(fact, kept, alphas):
    if alphas is None:
        return default_alphas(fact, kept)
    return np.asarray(alphas, dtype=np.float64).reshape(-1)


def tikhonov_path(fact, kept, alphas, target):
    """Coefficients ``V diag(phi_alpha / s) z`` of one target, one row per alpha."""
    phi = tikhonov_factors(fact.singular_values, kept, alphas)
    s = fact.singular_values[:, None]
    coords = np.divide(phi * fact.z[:, [target]], s, out=np.zeros_like(phi), where=phi > 0)
    return (fact.V @ coords).T
