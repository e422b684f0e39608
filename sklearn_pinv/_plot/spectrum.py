"""The spectrum with the thresholds of the tolerance policies and the picks of
selection rules."""

import numpy as np

from ._base import (
    DEFAULT,
    available_policies,
    axes,
    cut,
    finish,
    fit_data,
    integer_ticks,
    kept_of,
    name_of,
    positive,
    resolve,
    scalar_alpha,
    shape_title,
    spectrum_of,
    style,
)

__all__ = ["SpectrumDisplay"]

_LINESTYLES = ["--", "-.", ":", (0, (5, 1, 1, 1))]


class SpectrumDisplay:
    """Singular values on a log scale with every policy's threshold.

    Each tolerance policy's threshold is a labelled horizontal line (policies
    that agree share one line); the threshold the estimator itself used is
    drawn thick underneath. Kept and dropped singular values get different
    markers. Picks from a selection rule can be marked too: a truncation rank
    as a vertical line, a Tikhonov alpha as a horizontal line at
    ``sqrt(alpha)``, the singular value that alpha damps by half.

    Use :meth:`from_estimator` or :meth:`from_data` to build one; the
    constructor only stores the numbers.

    Parameters
    ----------
    singular_values : ndarray of shape (k,)
        The singular values, in decreasing order; they are numbered from 1.
    thresholds : dict of str to float
        Threshold ``tau`` of each policy, keyed by the label to show.
    ranks : dict of str to int
        Rank each policy keeps, same keys as ``thresholds``.
    kept : ndarray of bool of shape (k,), default=None
        Singular values the estimator keeps; None draws them all as kept.
    threshold : float, default=None
        The estimator's own threshold (its ``threshold_``), highlighted.
    rank_marks : dict of str to int, default=None
        Truncation ranks to mark, keyed by label (e.g. ``{"GCV": 7}``): a
        vertical line between singular values ``r`` and ``r + 1``.
    alpha_marks : dict of str to float, default=None
        Tikhonov alphas to mark, keyed by label: a horizontal line at
        ``sqrt(alpha)``. Values that are not positive (NaN, 0) are skipped.
    estimator_name : str, default=None
        Name of the estimator, used in the default title and the label of
        the highlighted threshold.

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    kept_ : matplotlib Line2D
        Markers of the kept singular values.
    dropped_ : matplotlib Line2D
        Markers of the dropped singular values.
    threshold_lines_ : dict of str to matplotlib Line2D
        One horizontal line per distinct policy threshold, keyed by its label.
    threshold_line_ : matplotlib Line2D or None
        The estimator's own threshold.
    marks_ : dict of str to matplotlib Line2D
        The rank and alpha marks, keyed by their legend label.

    See Also
    --------
    PicardDisplay : The singular values against the coefficients of ``y``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn_pinv import PinvRegressor, SpectrumDisplay
    >>> X = np.vander(np.linspace(0, 1, 30), 10)
    >>> reg = PinvRegressor().fit(X, X.sum(axis=1))
    >>> disp = SpectrumDisplay.from_estimator(reg, rank_marks={"my pick": 5})
    >>> len(disp.threshold_lines_) >= 2, list(disp.marks_)
    (True, ['my pick: rank 5'])
    """

    def __init__(self, *, singular_values, thresholds, ranks, kept=None, threshold=None,
                 rank_marks=None, alpha_marks=None, estimator_name=None):
        self.singular_values = singular_values
        self.thresholds = thresholds
        self.ranks = ranks
        self.kept = kept
        self.threshold = threshold
        self.rank_marks = rank_marks
        self.alpha_marks = alpha_marks
        self.estimator_name = estimator_name

    def _groups(self):
        """Policies that agree on (tau, rank), in decreasing order of tau."""
        groups = {}
        for name, tau in self.thresholds.items():
            key = (float(f"{tau:.12g}"), self.ranks[name])
            groups.setdefault(key, []).append(name)
        return sorted(groups.items(), key=lambda item: -item[0][0])

    def _draw_thresholds(self, ax, user):
        self.threshold_lines_ = {}
        for j, ((tau, rank), names) in enumerate(self._groups()):
            if not tau > 0:  # a zero threshold has no place on a log axis
                continue
            label = f"{', '.join(names)}: tau={tau:.2e} (rank {rank})"
            defaults = {"ls": _LINESTYLES[j % 4], "color": f"C{(j + 1) % 10}", "lw": 1,
                        "label": label}
            self.threshold_lines_[label] = ax.axhline(tau, **style(defaults, user))

    def _draw_marks(self, ax, user):
        self.marks_ = {}
        for j, (label, rank) in enumerate((self.rank_marks or {}).items()):
            text = f"{label}: rank {int(rank)}"
            defaults = {"color": "0.25", "ls": _LINESTYLES[j % 4], "lw": 1.2, "label": text}
            self.marks_[text] = ax.axvline(int(rank) + 0.5, **style(defaults, user))
        for j, (label, alpha) in enumerate((self.alpha_marks or {}).items()):
            if not alpha > 0:  # NaN (no pick) or 0 (no damping): nothing to mark
                continue
            text = f"{label}: $\\sqrt{{\\alpha}}$, $\\alpha$={alpha:.3g}"
            defaults = {"color": "C9", "ls": _LINESTYLES[(j + 2) % 4], "lw": 1.5,
                        "label": text}
            self.marks_[text] = ax.axhline(np.sqrt(alpha), **style(defaults, user))

    def plot(self, ax=None, *, legend=True, title=None, dropped_kwargs=None,
             threshold_kwargs=None, mark_kwargs=None, **kwargs):
        """Draw the spectrum, the thresholds and the marks.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        legend : bool, default=True
            Show a legend naming each threshold line and mark, to the right
            of the axes (the lines span the whole width).
        title : str, default=None
            Axes title, e.g. naming the data; ``"Spectrum"`` and the
            estimator's name when None.
        dropped_kwargs : dict, default=None
            Keywords for ``Axes.plot`` of the dropped singular values.
        threshold_kwargs : dict, default=None
            Keywords for ``Axes.axhline`` of every policy's threshold.
        mark_kwargs : dict, default=None
            Keywords for the lines of ``rank_marks`` and ``alpha_marks``.
        **kwargs : dict
            Keywords for ``Axes.plot`` of the kept singular values (e.g.
            ``color``, ``marker``).

        Returns
        -------
        display : SpectrumDisplay
        """
        ax = axes(ax, figsize=(9.6, 4.8))  # room for the legend on the right
        s = np.asarray(self.singular_values, dtype=np.float64)
        index = np.arange(1, s.size + 1)
        kept = np.ones(s.size, bool) if self.kept is None else np.asarray(self.kept, bool)
        ax.plot(index, positive(s), color="0.75", lw=1, zorder=1)
        kept_style = {"ls": "none", "marker": "o", "color": "C0",
                      "label": f"kept ({kept.sum()})"}
        self.kept_ = ax.plot(index[kept], positive(s[kept]), **style(kept_style, kwargs))[0]
        dropped_style = {"ls": "none", "marker": "x", "color": "C3",
                         "label": f"dropped ({(~kept).sum()})"}
        self.dropped_ = ax.plot(index[~kept], positive(s[~kept]),
                                **style(dropped_style, dropped_kwargs))[0]
        self.threshold_line_ = None
        if self.threshold is not None and self.threshold > 0:
            owner = self.estimator_name or "estimator"
            self.threshold_line_ = ax.axhline(
                self.threshold, color="k", lw=4, alpha=0.3, zorder=0,
                label=f"used by {owner}: tau={self.threshold:.2e} (rank {kept.sum()})")
        self._draw_thresholds(ax, threshold_kwargs)
        self._draw_marks(ax, mark_kwargs)
        ax.set(yscale="log", xlabel="index i", ylabel="singular value $\\sigma_i$")
        integer_ticks(ax.xaxis)
        default = "Spectrum" + (f" ({self.estimator_name})" if self.estimator_name else "")
        return finish(self, ax, title=title or default, legend=legend,
                      legend_kwargs={"fontsize": "x-small", "loc": "upper left",
                                     "bbox_to_anchor": (1.02, 1), "borderaxespad": 0})

    @classmethod
    def from_estimator(cls, estimator, *, policies=None, rank_marks=None, alpha_marks=None,
                       ax=None, legend=True, title=None, **kwargs):
        """Plot the spectrum of a fitted spectral estimator.

        Parameters
        ----------
        estimator : estimator
            A fitted :class:`~sklearn_pinv.PinvRegressor`,
            :class:`~sklearn_pinv.TikhonovRegressor`, :class:`~sklearn_pinv.PinvCV`
            or :class:`~sklearn_pinv.TikhonovCV`; or a fitted ``Pipeline``
            ending in one; or a fitted search whose ``best_estimator_`` is one.
        policies : list, default=None
            Tolerance policies whose thresholds to draw (names, floats or
            policy objects); every named policy when None.
        rank_marks : dict of str to int, default=None
            Truncation ranks to mark (see the class parameters).
        alpha_marks : dict of str to float, default=None
            Tikhonov alphas to mark. A fitted positive ``alpha_`` of the
            estimator is added to them.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        legend : bool, default=True
            Show the legend.
        title : str, default=None
            Axes title; names the estimator and the data's shape when None.
        **kwargs : dict
            Passed to :meth:`plot` (``dropped_kwargs``, ``threshold_kwargs``,
            ``mark_kwargs``, or matplotlib keywords for the kept values).

        Returns
        -------
        display : SpectrumDisplay

        Raises
        ------
        ValueError
            If the estimator has no spectrum (it is not one of the above).
        sklearn.exceptions.NotFittedError
            If the estimator is not fitted.
        """
        est = spectrum_of(estimator, cls.__name__)[0]
        name = name_of(est)
        alpha_marks = dict(alpha_marks or {})
        if scalar_alpha(est) is not None:
            alpha_marks[f"{name} alpha_"] = scalar_alpha(est)
        title = title or shape_title("Spectrum", est.factorization_, name)
        return cls._of_fitted(est, name, policies, rank_marks, alpha_marks,
                              dict(kwargs, ax=ax, legend=legend, title=title))

    @classmethod
    def _of_fitted(cls, est, name, policies, rank_marks, alpha_marks, plot_kwargs):
        fact = est.factorization_
        disp = cls(singular_values=fact.singular_values, **_policy_lines(fact, policies),
                   kept=kept_of(est), threshold=float(est.threshold_),
                   rank_marks=rank_marks, alpha_marks=alpha_marks, estimator_name=name)
        return disp.plot(**plot_kwargs)

    @classmethod
    def from_data(cls, X, y=None, *, tol=DEFAULT, policies=None, fit_intercept=True,
                  rank_marks=None, alpha_marks=None, ax=None, legend=True, title=None,
                  **kwargs):
        """Plot the spectrum of ``X`` (centred when ``fit_intercept``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data.
        y : array-like of shape (n_samples,), default=None
            Only needed for data-driven policies such as
            :class:`~sklearn_pinv.tolerance.GCVRank`.
        tol : str, float, TolerancePolicy or callable, default="scipy"
            The policy that marks singular values kept or dropped, and whose
            threshold is highlighted.
        policies : list, default=None
            Tolerance policies whose thresholds to draw (names, floats or
            policy objects); every named policy when None.
        fit_intercept : bool, default=True
            Centre the columns of ``X`` first, as a fit with an intercept does.
        rank_marks : dict of str to int, default=None
            Truncation ranks to mark, e.g. the picks of selection rules.
        alpha_marks : dict of str to float, default=None
            Tikhonov alphas to mark at ``sqrt(alpha)``.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        legend : bool, default=True
            Show the legend.
        title : str, default=None
            Axes title, e.g. the name of the data set; ``"Spectrum of X
            (m samples x n features)"`` when None.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : SpectrumDisplay
        """
        reg = fit_data(X, y, tol, fit_intercept)
        title = title or shape_title("Spectrum", reg.factorization_)
        return cls._of_fitted(reg, f"tol={tol!r}", policies, rank_marks, alpha_marks,
                              dict(kwargs, ax=ax, legend=legend, title=title))


def _policy_lines(fact, policies):
    """``thresholds`` and ``ranks`` of each policy on a factorization."""
    policies = available_policies() if policies is None else policies
    thresholds, ranks = {}, {}
    for policy in policies:
        label = policy if isinstance(policy, str) else repr(resolve(policy))
        tau, mask = cut(policy, fact)
        thresholds[label], ranks[label] = float(tau), int(mask.sum())
    return {"thresholds": thresholds, "ranks": ranks}
