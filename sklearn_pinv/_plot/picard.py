"""The Picard plot: how the coefficients of ``y`` decay against the spectrum."""

import numpy as np

from ._base import (
    DEFAULT,
    axes,
    finish,
    fit_data,
    integer_ticks,
    name_of,
    positive,
    shape_title,
    spectrum_of,
    style,
)

__all__ = ["PicardDisplay"]


class PicardDisplay:
    """Picard plot: ``sigma_i``, ``|u_i^T y|`` and ``|u_i^T y| / sigma_i``.

    The discrete Picard condition holds while ``|u_i^T y|`` decays faster than
    ``sigma_i``; where ``|u_i^T y|`` levels off at the noise while ``sigma_i``
    keeps falling, ``|u_i^T y| / sigma_i`` blows up and those directions
    should be dropped or damped.

    Parameters
    ----------
    singular_values : ndarray of shape (k,)
        The singular values, in decreasing order.
    uty : ndarray of shape (k,)
        ``U^T y`` for the centred (weighted) target.
    rank : int, default=None
        Rank of the estimator, drawn as a vertical line.
    estimator_name : str, default=None
        Name of the estimator, used in the default title.

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    lines_ : dict of str to matplotlib Line2D
        ``"singular_values"``, ``"uty"`` and ``"ratio"``.
    rank_line_ : matplotlib Line2D or None

    See Also
    --------
    SpectrumDisplay : The singular values against the policies' thresholds.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn_pinv import PicardDisplay
    >>> X = np.vander(np.linspace(0, 1, 30), 8)
    >>> disp = PicardDisplay.from_data(X, np.sin(3 * X[:, -2]))
    >>> sorted(disp.lines_)
    ['ratio', 'singular_values', 'uty']
    """

    def __init__(self, *, singular_values, uty, rank=None, estimator_name=None):
        self.singular_values = singular_values
        self.uty = uty
        self.rank = rank
        self.estimator_name = estimator_name

    def plot(self, ax=None, *, legend=True, title=None, singular_values_kwargs=None,
             uty_kwargs=None, ratio_kwargs=None, rank_kwargs=None, **kwargs):
        """Draw the three sequences on a log scale.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        legend : bool, default=True
            Show the legend.
        title : str, default=None
            Axes title; ``"Picard plot"`` and the estimator's name when None.
        singular_values_kwargs, uty_kwargs, ratio_kwargs : dict, default=None
            Keywords for ``Axes.plot`` of each sequence.
        rank_kwargs : dict, default=None
            Keywords for ``Axes.axvline`` of the rank line.
        **kwargs : dict
            Keywords for ``Axes.plot`` of all three sequences (the
            per-sequence keywords take precedence).

        Returns
        -------
        display : PicardDisplay
        """
        ax = axes(ax)
        s = np.asarray(self.singular_values, dtype=np.float64)
        uty = np.abs(np.asarray(self.uty, dtype=np.float64))
        i = np.arange(1, s.size + 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(s > 0, uty / s, np.nan)
        sequences = {
            "singular_values": (s, {"marker": ".", "label": "$\\sigma_i$"},
                                singular_values_kwargs),
            "uty": (uty, {"ls": "none", "marker": "x", "label": "$|u_i^T y|$"}, uty_kwargs),
            "ratio": (ratio, {"ls": "none", "marker": "o", "mfc": "none",
                              "label": "$|u_i^T y| / \\sigma_i$"}, ratio_kwargs),
        }
        self.lines_ = {key: ax.plot(i, positive(values),
                                    **style(style(defaults, kwargs), own))[0]
                       for key, (values, defaults, own) in sequences.items()}
        self.rank_line_ = None
        if self.rank is not None:
            defaults = {"color": "0.5", "ls": "--", "label": f"rank {self.rank}"}
            self.rank_line_ = ax.axvline(self.rank + 0.5, **style(defaults, rank_kwargs))
        ax.set(yscale="log", xlabel="index i", ylabel="magnitude (log scale)")
        integer_ticks(ax.xaxis)
        default = "Picard plot" + (f" ({self.estimator_name})" if self.estimator_name else "")
        return finish(self, ax, title=title or default, legend=legend)

    @classmethod
    def from_estimator(cls, estimator, *, target=0, ax=None, legend=True, title=None,
                       **kwargs):
        """Picard plot of a fitted spectral estimator.

        Parameters
        ----------
        estimator : estimator
            A fitted spectral estimator, a ``Pipeline`` ending in one or a
            search whose ``best_estimator_`` is one (as in
            :meth:`SpectrumDisplay.from_estimator`).
        target : int, default=0
            Which target column, for multi-target fits.
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
        display : PicardDisplay
        """
        est, fact, kept = spectrum_of(estimator, cls.__name__)
        disp = cls(singular_values=fact.singular_values, uty=fact.z[:, target],
                   rank=int(kept.sum()), estimator_name=name_of(est))
        return disp.plot(ax=ax, legend=legend, **kwargs,
                         title=title or shape_title("Picard plot", fact, name_of(est)))

    @classmethod
    def from_data(cls, X, y, *, tol=DEFAULT, fit_intercept=True, target=0, ax=None,
                  legend=True, title=None, **kwargs):
        """Picard plot of ``X, y`` (the rank line from ``tol``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            The target.
        tol : str, float, TolerancePolicy or callable, default="scipy"
            The policy whose rank is drawn.
        fit_intercept : bool, default=True
            Centre ``X`` and ``y`` first, as a fit with an intercept does.
        target : int, default=0
            Which target column, for multi-target ``y``.
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
        display : PicardDisplay
        """
        reg = fit_data(X, y, tol, fit_intercept)
        title = title or shape_title("Picard plot", reg.factorization_)
        return cls.from_estimator(reg, target=target, ax=ax, legend=legend, title=title,
                                  **kwargs)
