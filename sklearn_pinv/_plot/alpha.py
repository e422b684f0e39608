"""Displays over the Tikhonov parameter alpha: the L-curve and the coefficient path."""

import numpy as np

from ._base import (
    DEFAULT,
    alpha_grid,
    axes,
    finish,
    fit_data,
    lcurve,
    name_of,
    scalar_alpha,
    shape_title,
    spectrum_of,
    style,
    tikhonov_path,
)

__all__ = ["LCurveDisplay", "RegularizationPathDisplay"]


def _name_suffix(kind, name):
    return kind + (f" ({name})" if name else "")


class LCurveDisplay:
    """The L-curve of Tikhonov regularisation: ``||r||`` against ``||w||``.

    Both axes are logarithmic. The corner (maximum curvature over the grid)
    is marked, and so is the estimator's fitted ``alpha_`` when it has one,
    each with its alpha in the legend.

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
        The grid the curve is drawn over, increasing.
    residual_norms : ndarray of shape (n_alphas,)
        ``||y - X w_alpha||`` (centred) for each alpha.
    solution_norms : ndarray of shape (n_alphas,)
        ``||w_alpha||`` for each alpha.
    corner_index : int
        Position of the corner in ``alphas``.
    alpha : float, default=None
        The estimator's fitted alpha, marked on the curve.
    alpha_norms : tuple of (float, float), default=None
        Residual and solution norm at ``alpha``.
    estimator_name : str, default=None
        Name of the estimator, used in the default title and the label of
        the fitted alpha.

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
    alpha_marker_ : matplotlib Line2D or None
        The marker of the fitted alpha.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn_pinv import LCurveDisplay, TikhonovRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((40, 6)) * np.logspace(0, -5, 6)
    >>> y = X.sum(axis=1) + 1e-3 * rng.standard_normal(40)
    >>> reg = TikhonovRegressor(alpha=1e-6).fit(X, y)
    >>> disp = LCurveDisplay.from_estimator(reg)
    >>> bool(disp.corner_.get_xdata()[0] == disp.residual_norms[disp.corner_index])
    True
    >>> disp.alpha_marker_.get_label()
    'TikhonovRegressor alpha_=1e-06'
    """

    def __init__(self, *, alphas, residual_norms, solution_norms, corner_index,
                 alpha=None, alpha_norms=None, estimator_name=None):
        self.alphas = alphas
        self.residual_norms = residual_norms
        self.solution_norms = solution_norms
        self.corner_index = corner_index
        self.alpha = alpha
        self.alpha_norms = alpha_norms
        self.estimator_name = estimator_name

    @property
    def corner_alpha(self):
        return float(self.alphas[self.corner_index])

    def plot(self, ax=None, *, legend=True, title=None, corner_kwargs=None,
             alpha_kwargs=None, **kwargs):
        """Draw the curve, its corner and the fitted alpha.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        legend : bool, default=True
            Show the legend.
        title : str, default=None
            Axes title; ``"L-curve"`` and the estimator's name when None.
        corner_kwargs : dict, default=None
            Keywords for ``Axes.plot`` of the corner marker.
        alpha_kwargs : dict, default=None
            Keywords for ``Axes.plot`` of the fitted alpha's marker.
        **kwargs : dict
            Keywords for ``Axes.plot`` of the curve.

        Returns
        -------
        display : LCurveDisplay
        """
        ax = axes(ax)
        r, w, c = self.residual_norms, self.solution_norms, self.corner_index
        curve = {"marker": ".", "ms": 3, "label": "L-curve"}
        self.line_ = ax.plot(r, w, **style(curve, kwargs))[0]
        corner = {"ls": "none", "marker": "o", "ms": 10, "mfc": "none", "mew": 1.5,
                  "color": "C3", "label": f"corner: alpha={self.corner_alpha:.3g}"}
        self.corner_ = ax.plot([r[c]], [w[c]], **style(corner, corner_kwargs))[0]
        self.alpha_marker_ = None
        if self.alpha is not None and self.alpha_norms is not None:
            owner = f"{self.estimator_name} " if self.estimator_name else "fitted "
            fitted = {"ls": "none", "marker": "D", "ms": 7, "color": "C2",
                      "label": f"{owner}alpha_={self.alpha:.3g}"}
            self.alpha_marker_ = ax.plot([self.alpha_norms[0]], [self.alpha_norms[1]],
                                         **style(fitted, alpha_kwargs))[0]
        ax.set(xscale="log", yscale="log", xlabel="residual norm $\\|y - Xw\\|$",
               ylabel="solution norm $\\|w\\|$")
        return finish(self, ax, title=title or _name_suffix("L-curve", self.estimator_name),
                      legend=legend)

    @classmethod
    def from_estimator(cls, estimator, *, alphas=None, ax=None, legend=True, title=None,
                       **kwargs):
        """L-curve over ``alphas`` on the spectrum a fitted estimator keeps.

        Parameters
        ----------
        estimator : estimator
            A fitted spectral estimator, a ``Pipeline`` ending in one or a
            search whose ``best_estimator_`` is one (as in
            :meth:`SpectrumDisplay.from_estimator`). Its ``alpha_``, when it
            is one positive number, is marked.
        alphas : array-like, default=None
            The grid; a log grid spanning the kept spectrum when None.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        legend : bool, default=True
            Show the legend.
        title : str, default=None
            Axes title; names the estimator and the data's shape when None.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : LCurveDisplay
        """
        est, fact, kept = spectrum_of(estimator, cls.__name__)
        alphas = alpha_grid(fact, kept, alphas)
        r, w, kappa = lcurve(fact, alphas, kept)
        alpha, norms = scalar_alpha(est), None
        if alpha is not None:
            norms = tuple(float(v[0]) for v in lcurve(fact, [alpha], kept)[:2])
        disp = cls(alphas=alphas, residual_norms=r, solution_norms=w,
                   corner_index=int(np.argmax(kappa)), alpha=alpha, alpha_norms=norms,
                   estimator_name=name_of(est))
        title = title or shape_title("L-curve", fact, name_of(est))
        return disp.plot(ax=ax, legend=legend, title=title, **kwargs)

    @classmethod
    def from_data(cls, X, y, *, alphas=None, tol=DEFAULT, fit_intercept=True, ax=None,
                  legend=True, title=None, **kwargs):
        """L-curve of ``X, y`` over ``alphas``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            The target (targets pooled, as the alpha rules do).
        alphas : array-like, default=None
            The grid; a log grid spanning the kept spectrum when None.
        tol : str, float, TolerancePolicy or callable, default="scipy"
            The policy deciding the spectrum the curve is drawn on.
        fit_intercept : bool, default=True
            Centre ``X`` and ``y`` first, as a fit with an intercept does.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        legend : bool, default=True
            Show the legend.
        title : str, default=None
            Axes title, e.g. the name of the data set.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : LCurveDisplay
        """
        reg = fit_data(X, y, tol, fit_intercept)
        return cls.from_estimator(reg, alphas=alphas, ax=ax, legend=legend, **kwargs,
                                  title=title or shape_title("L-curve", reg.factorization_))


class RegularizationPathDisplay:
    """Tikhonov coefficients against alpha (log scale), one line per feature.

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
        The grid, increasing.
    coefs : ndarray of shape (n_alphas, n_features)
        Coefficients at each alpha.
    feature_names : list of str, default=None
        Legend labels of the features; ``x0, x1, ...`` when None.
    alpha : float, default=None
        The estimator's own alpha, drawn as a vertical line.
    estimator_name : str, default=None
        Name of the estimator, used in the default title.

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

    def plot(self, ax=None, *, legend=None, title=None, alpha_kwargs=None, **kwargs):
        """Draw one coefficient path per feature.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        legend : bool, default=None
            Show a legend; by default only with at most 12 features.
        title : str, default=None
            Axes title; ``"Regularization path"`` and the estimator's name
            when None.
        alpha_kwargs : dict, default=None
            Keywords for ``Axes.axvline`` of the estimator's alpha.
        **kwargs : dict
            Keywords for ``Axes.plot`` of every coefficient path.

        Returns
        -------
        display : RegularizationPathDisplay
        """
        ax = axes(ax)
        coefs = np.asarray(self.coefs)
        names = self.feature_names
        if names is None:
            names = [f"x{j}" for j in range(coefs.shape[1])]
        self.lines_ = [
            ax.plot(self.alphas, coefs[:, j], **style({"label": str(name)}, kwargs))[0]
            for j, name in enumerate(names)]
        self.alpha_line_ = None
        if self.alpha is not None and np.ndim(self.alpha) == 0 and self.alpha > 0:
            defaults = {"color": "0.4", "ls": "--", "label": f"alpha={self.alpha:.3g}"}
            self.alpha_line_ = ax.axvline(self.alpha, **style(defaults, alpha_kwargs))
        ax.set(xscale="log", xlabel="alpha", ylabel="coefficient")
        show = legend or (legend is None and len(self.lines_) <= 12)
        return finish(self, ax, legend=show, legend_kwargs={"fontsize": "x-small", "ncol": 2},
                      title=title or _name_suffix("Regularization path", self.estimator_name))

    @classmethod
    def from_estimator(cls, estimator, *, alphas=None, target=0, ax=None, legend=None,
                       title=None, **kwargs):
        """Path of a fitted spectral estimator, on the spectrum it keeps.

        Parameters
        ----------
        estimator : estimator
            A fitted spectral estimator, a ``Pipeline`` ending in one or a
            search whose ``best_estimator_`` is one (as in
            :meth:`SpectrumDisplay.from_estimator`).
        alphas : array-like, default=None
            The grid; a log grid spanning the kept spectrum when None.
        target : int, default=0
            Which target column, for multi-target fits.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        legend : bool, default=None
            Show a legend; by default only with at most 12 features.
        title : str, default=None
            Axes title; names the estimator and the data's shape when None.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : RegularizationPathDisplay
        """
        est, fact, kept = spectrum_of(estimator, cls.__name__)
        alphas = alpha_grid(fact, kept, alphas)
        disp = cls(alphas=alphas, coefs=tikhonov_path(fact, kept, alphas, target),
                   feature_names=getattr(est, "feature_names_in_", None),
                   alpha=scalar_alpha(est), estimator_name=name_of(est))
        title = title or shape_title("Regularization path", fact, name_of(est))
        return disp.plot(ax=ax, legend=legend, title=title, **kwargs)

    @classmethod
    def from_data(cls, X, y, *, alphas=None, tol=DEFAULT, fit_intercept=True,
                  target=0, ax=None, legend=None, title=None, **kwargs):
        """Path of ``X, y`` over ``alphas``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data; a DataFrame's column names label the paths.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            The target.
        alphas : array-like, default=None
            The grid; a log grid spanning the kept spectrum when None.
        tol : str, float, TolerancePolicy or callable, default="scipy"
            The policy deciding the spectrum the path is computed on.
        fit_intercept : bool, default=True
            Centre ``X`` and ``y`` first, as a fit with an intercept does.
        target : int, default=0
            Which target column, for multi-target ``y``.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        legend : bool, default=None
            Show a legend; by default only with at most 12 features.
        title : str, default=None
            Axes title, e.g. the name of the data set.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : RegularizationPathDisplay
        """
        reg = fit_data(X, y, tol, fit_intercept)
        title = title or shape_title("Regularization path", reg.factorization_)
        return cls.from_estimator(reg, alphas=alphas, target=target, ax=ax, legend=legend,
                                  title=title, **kwargs)
