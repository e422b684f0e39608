"""Displays over the Tikhonov parameter alpha: the L-curve and the coefficient path.

Same conventions as :mod:`sklearn_pinv._plot` (``plot(ax=None)``, ``ax_``,
``figure_``, ``from_estimator``, ``from_data``; matplotlib imported lazily).
"""

import numpy as np

from ._spectral import tikhonov_factors
from ._views import default_alphas, lcurve
from ._plot import _axes, _fit_data, _fitted, _name
from .tolerance import DEFAULT

__all__ = ["LCurveDisplay", "RegularizationPathDisplay"]


def _alpha_grid(fact, kept, alphas):
    if alphas is None:
        return default_alphas(fact, kept)
    return np.asarray(alphas, dtype=np.float64).reshape(-1)


class LCurveDisplay:
    """The L-curve of Tikhonov regularisation: ``||r||`` against ``||w||``.

    Both axes are logarithmic; the corner (maximum curvature) is marked.

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
    residual_norms : ndarray of shape (n_alphas,)
    solution_norms : ndarray of shape (n_alphas,)
    corner_index : int
        Position of the corner in ``alphas``.
    estimator_name : str, default=None

    Attributes
    ----------
    corner_alpha : float
        ``alphas[corner_index]``.
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    line_ : matplotlib Line2D
        The curve.
    corner_ : matplotlib Line2D
        The corner marker.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn_pinv import LCurveDisplay
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((40, 6)) * np.logspace(0, -5, 6)
    >>> y = X.sum(axis=1) + 1e-3 * rng.standard_normal(40)
    >>> disp = LCurveDisplay.from_data(X, y)
    >>> bool(disp.corner_.get_xdata()[0] == disp.residual_norms[disp.corner_index])
    True
    """

    def __init__(self, *, alphas, residual_norms, solution_norms, corner_index,
                 estimator_name=None):
        self.alphas = alphas
        self.residual_norms = residual_norms
        self.solution_norms = solution_norms
        self.corner_index = corner_index
        self.estimator_name = estimator_name

    @property
    def corner_alpha(self):
        return float(self.alphas[self.corner_index])

    def plot(self, ax=None):
        """Draw the curve and its corner.

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : LCurveDisplay
        """
        ax = _axes(ax)
        r, w, c = self.residual_norms, self.solution_norms, self.corner_index
        self.line_ = ax.plot(r, w, "-", marker=".", ms=3, label="L-curve")[0]
        self.corner_ = ax.plot([r[c]], [w[c]], "o", ms=9, mfc="none", color="C3",
                               label=f"corner: alpha={self.corner_alpha:.3g}")[0]
        ax.set(xscale="log", yscale="log", xlabel="residual norm $\\|y - Xw\\|$",
               ylabel="solution norm $\\|w\\|$", title=self.estimator_name or "L-curve")
        ax.legend(fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, alphas=None, ax=None):
        """L-curve over ``alphas`` on the spectrum a fitted estimator keeps.

        Parameters
        ----------
        estimator : fitted estimator with a ``factorization_``
        alphas : array-like, default=None
            A log grid spanning the kept spectrum when None.
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : LCurveDisplay
        """
        fact, kept = _fitted(estimator)
        alphas = _alpha_grid(fact, kept, alphas)
        r, w, kappa = lcurve(fact, alphas, kept)
        disp = cls(alphas=alphas, residual_norms=r, solution_norms=w,
                   corner_index=int(np.argmax(kappa)),
                   estimator_name=_name(estimator))
        return disp.plot(ax=ax)

    @classmethod
    def from_data(cls, X, y, *, alphas=None, tol=DEFAULT, fit_intercept=True, ax=None):
        """L-curve of ``X, y`` over ``alphas``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        alphas : array-like, default=None
        tol : str, float, TolerancePolicy or callable, default="scipy"
        fit_intercept : bool, default=True
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : LCurveDisplay
        """
        reg = _fit_data(X, y, tol, fit_intercept)
        return cls.from_estimator(reg, alphas=alphas, ax=ax)


class RegularizationPathDisplay:
    """Tikhonov coefficients against alpha (log scale), one line per feature.

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_alphas, n_features)
    feature_names : list of str, default=None
    alpha : float, default=None
        The estimator's own alpha, drawn as a vertical line.
    estimator_name : str, default=None

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    lines_ : list of matplotlib Line2D
        One per feature.
    alpha_line_ : matplotlib Line2D or None

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn_pinv import RegularizationPathDisplay
    >>> X, y = load_diabetes(return_X_y=True)
    >>> len(RegularizationPathDisplay.from_data(X, y).lines_)
    10
    """

    def __init__(self, *, alphas, coefs, feature_names=None, alpha=None,
                 estimator_name=None):
        self.alphas = alphas
        self.coefs = coefs
        self.feature_names = feature_names
        self.alpha = alpha
        self.estimator_name = estimator_name

    def plot(self, ax=None, *, legend=None):
        """Draw one coefficient path per feature.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
        legend : bool, default=None
            Show a legend; by default only with at most 12 features.

        Returns
        -------
        display : RegularizationPathDisplay
        """
        ax = _axes(ax)
        coefs = np.asarray(self.coefs)
        names = self.feature_names
        if names is None:
            names = [f"x{j}" for j in range(coefs.shape[1])]
        self.lines_ = [ax.plot(self.alphas, coefs[:, j], label=str(name))[0]
                       for j, name in enumerate(names)]
        self.alpha_line_ = None
        if self.alpha is not None and np.ndim(self.alpha) == 0 and self.alpha > 0:
            self.alpha_line_ = ax.axvline(self.alpha, color="0.4", ls="--",
                                          label=f"alpha={self.alpha:.3g}")
        ax.set(xscale="log", xlabel="alpha", ylabel="coefficient",
               title=self.estimator_name or "Regularization path")
        if legend or (legend is None and len(self.lines_) <= 12):
            ax.legend(fontsize="x-small", ncol=2)
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, alphas=None, target=0, ax=None, legend=None):
        """Path of a fitted spectral estimator, on the spectrum it keeps.

        Parameters
        ----------
        estimator : fitted estimator with a ``factorization_``
        alphas : array-like, default=None
        target : int, default=0
        ax : matplotlib Axes, default=None
        legend : bool, default=None

        Returns
        -------
        display : RegularizationPathDisplay
        """
        fact, kept = _fitted(estimator)
        alphas = _alpha_grid(fact, kept, alphas)
        phi = tikhonov_factors(fact.singular_values, kept, alphas)
        # V diag(phi_a / s) z for one target, every alpha at once.
        s = fact.singular_values[:, None]
        coords = np.divide(phi * fact.z[:, [target]], s, out=np.zeros_like(phi), where=phi > 0)
        coefs = (fact.V @ coords).T
        disp = cls(alphas=alphas, coefs=coefs,
                   feature_names=getattr(estimator, "feature_names_in_", None),
                   alpha=getattr(estimator, "alpha_", getattr(estimator, "alpha", None)),
                   estimator_name=_name(estimator))
        return disp.plot(ax=ax, legend=legend)

    @classmethod
    def from_data(cls, X, y, *, alphas=None, tol=DEFAULT, fit_intercept=True,
                  target=0, ax=None, legend=None):
        """Path of ``X, y`` over ``alphas``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        alphas : array-like, default=None
        tol : str, float, TolerancePolicy or callable, default="scipy"
        fit_intercept : bool, default=True
        target : int, default=0
        ax : matplotlib Axes, default=None
        legend : bool, default=None

        Returns
        -------
        display : RegularizationPathDisplay
        """
        reg = _fit_data(X, y, tol, fit_intercept)
        return cls.from_estimator(reg, alphas=alphas, target=target, ax=ax,
                                  legend=legend)
