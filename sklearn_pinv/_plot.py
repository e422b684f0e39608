"""Display objects for choosing a tolerance or alpha by looking at the spectrum.

They follow scikit-learn's ``PredictionErrorDisplay``: the constructor stores
the numbers, ``plot(ax=None)`` draws them and sets ``ax_``, ``figure_`` and the
artists, and ``from_estimator`` / ``from_data`` compute the numbers from a
fitted estimator or from ``X, y`` and plot at once. matplotlib is imported
only inside ``plot``, so ``import sklearn_pinv`` never needs it.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._estimators import PinvRegressor
from .tolerance import DEFAULT, available_policies, cut, resolve

__all__ = ["SpectrumDisplay", "PicardDisplay"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Plotting needs matplotlib: pip install 'sklearn-pinv[plot]'."
        ) from exc
    return plt


def _axes(ax):
    if ax is None:
        _, ax = _pyplot().subplots()
    return ax


def _positive(values):
    """NaN where a value is not > 0: log axes cannot show zeros."""
    values = np.asarray(values, dtype=np.float64)
    return np.where(values > 0, values, np.nan)


def _fitted(estimator):
    """The factorization and kept mask of a fitted spectral estimator."""
    check_is_fitted(estimator, "factorization_")
    fact = estimator.factorization_
    # The CV estimators store their chosen policy as tol_.
    tol = getattr(estimator, "tol_", None)
    return fact, cut(estimator.tol if tol is None else tol, fact)[1]


def _fit_data(X, y, tol, fit_intercept):
    y = np.zeros(np.shape(X)[0]) if y is None else y
    return PinvRegressor(tol=tol, fit_intercept=fit_intercept).fit(X, y)


def _name(estimator):
    return estimator.__class__.__name__ if estimator is not None else None


class SpectrumDisplay:
    """Singular values on a log scale with every policy's threshold.

    Each named tolerance policy's threshold is a labelled horizontal line;
    policies that agree share one line. Kept and dropped singular values
    (under the estimator's own ``tol``) get different markers.

    Parameters
    ----------
    singular_values : ndarray of shape (k,)
    thresholds : dict of str to float
        Threshold ``tau`` of each policy (label to value).
    ranks : dict of str to int
        Rank each policy keeps, same keys as ``thresholds``.
    kept : ndarray of bool of shape (k,), default=None
        Singular values the estimator keeps; None draws them all alike.
    estimator_name : str, default=None

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    kept_ : matplotlib Line2D
        Markers of the kept singular values.
    dropped_ : matplotlib Line2D
        Markers of the dropped singular values.
    threshold_lines_ : dict of str to matplotlib Line2D
        One horizontal line per distinct threshold, keyed by its label.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn_pinv import PinvRegressor, SpectrumDisplay
    >>> X = np.vander(np.linspace(0, 1, 30), 10)
    >>> reg = PinvRegressor().fit(X, X.sum(axis=1))
    >>> disp = SpectrumDisplay.from_estimator(reg)
    >>> len(disp.threshold_lines_) >= 2
    True
    """

    def __init__(self, *, singular_values, thresholds, ranks, kept=None,
                 estimator_name=None):
        self.singular_values = singular_values
        self.thresholds = thresholds
        self.ranks = ranks
        self.kept = kept
        self.estimator_name = estimator_name

    def _groups(self):
        """Policies that agree on (tau, rank), in decreasing order of tau."""
        groups = {}
        for name, tau in self.thresholds.items():
            key = (float(f"{tau:.12g}"), self.ranks[name])
            groups.setdefault(key, []).append(name)
        return sorted(groups.items(), key=lambda item: -item[0][0])

    def plot(self, ax=None, *, legend=True):
        """Draw the spectrum and the thresholds.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        legend : bool, default=True
            Show a legend naming each threshold line.

        Returns
        -------
        display : SpectrumDisplay
        """
        ax = _axes(ax)
        s = np.asarray(self.singular_values, dtype=np.float64)
        index = np.arange(1, s.size + 1)
        kept = np.ones(s.size, bool) if self.kept is None else np.asarray(self.kept)
        ax.plot(index, _positive(s), color="0.7", lw=1, zorder=1)
        self.kept_ = ax.plot(index[kept], _positive(s[kept]), "o", color="C0",
                             label=f"kept ({kept.sum()})")[0]
        self.dropped_ = ax.plot(index[~kept], _positive(s[~kept]), "x", color="C3",
                                label=f"dropped ({(~kept).sum()})")[0]
        self.threshold_lines_ = {}
        styles = ["--", "-.", ":", (0, (5, 1, 1, 1))]
        for j, ((tau, rank), names) in enumerate(self._groups()):
            if not tau > 0:  # a zero threshold has no place on a log axis
                continue
            label = f"{', '.join(names)}: tau={tau:.2e} (rank {rank})"
            self.threshold_lines_[label] = ax.axhline(
                tau, ls=styles[j % len(styles)], color=f"C{(j + 1) % 10}", lw=1,
                label=label)
        ax.set(yscale="log", xlabel="index i", ylabel="singular value $\\sigma_i$",
               title=self.estimator_name or "Spectrum")
        if legend:
            ax.legend(fontsize="x-small", loc="best")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, policies=None, ax=None, legend=True):
        """Plot the spectrum of a fitted :class:`PinvRegressor` or
        :class:`TikhonovRegressor`.

        Parameters
        ----------
        estimator : fitted estimator with a ``factorization_``
        policies : list, default=None
            Tolerance policies to draw (names, floats or policy objects);
            every named policy when None.
        ax : matplotlib Axes, default=None
        legend : bool, default=True

        Returns
        -------
        display : SpectrumDisplay
        """
        fact, kept = _fitted(estimator)
        policies = available_policies() if policies is None else policies
        thresholds, ranks = {}, {}
        for policy in policies:
            label = policy if isinstance(policy, str) else repr(resolve(policy))
            tau, mask = cut(policy, fact)
            thresholds[label], ranks[label] = tau, int(mask.sum())
        disp = cls(singular_values=fact.singular_values, thresholds=thresholds,
                   ranks=ranks, kept=kept, estimator_name=_name(estimator))
        return disp.plot(ax=ax, legend=legend)

    @classmethod
    def from_data(cls, X, y=None, *, tol=DEFAULT, policies=None,
                  fit_intercept=True, ax=None, legend=True):
        """Plot the spectrum of the centred ``X`` (``y`` only matters for
        data-driven policies such as :class:`~sklearn_pinv.tolerance.GCVRank`).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None
        tol : str, float, TolerancePolicy or callable, default="scipy"
            The policy that marks singular values kept or dropped.
        policies : list, default=None
        fit_intercept : bool, default=True
        ax : matplotlib Axes, default=None
        legend : bool, default=True

        Returns
        -------
        display : SpectrumDisplay
        """
        reg = _fit_data(X, y, tol, fit_intercept)
        return cls.from_estimator(reg, policies=policies, ax=ax, legend=legend)


class PicardDisplay:
    """Picard plot: ``sigma_i``, ``|u_i^T y|`` and ``|u_i^T y| / sigma_i``.

    The discrete Picard condition holds while ``|u_i^T y|`` decays faster than
    ``sigma_i``; where ``|u_i^T y|`` levels off at the noise while ``sigma_i``
    keeps falling, ``|u_i^T y| / sigma_i`` blows up and those directions
    should be dropped or damped.

    Parameters
    ----------
    singular_values : ndarray of shape (k,)
    uty : ndarray of shape (k,)
        ``U^T y`` for the centred (weighted) target.
    rank : int, default=None
        Rank of the estimator, drawn as a vertical line.
    estimator_name : str, default=None

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    lines_ : dict of str to matplotlib Line2D
        ``"singular_values"``, ``"uty"`` and ``"ratio"``.
    rank_line_ : matplotlib Line2D or None

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

    def plot(self, ax=None):
        """Draw the three sequences on a log scale.

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : PicardDisplay
        """
        ax = _axes(ax)
        s = np.asarray(self.singular_values, dtype=np.float64)
        uty = np.abs(np.asarray(self.uty, dtype=np.float64))
        i = np.arange(1, s.size + 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(s > 0, uty / s, np.nan)
        self.lines_ = {
            "singular_values": ax.plot(i, _positive(s), "-", marker=".",
                                       label="$\\sigma_i$")[0],
            "uty": ax.plot(i, _positive(uty), "x", label="$|u_i^T y|$")[0],
            "ratio": ax.plot(i, _positive(ratio), "o", mfc="none",
                             label="$|u_i^T y| / \\sigma_i$")[0],
        }
        self.rank_line_ = None
        if self.rank is not None:
            self.rank_line_ = ax.axvline(self.rank + 0.5, color="0.5", ls="--",
                                         label=f"rank {self.rank}")
        ax.set(yscale="log", xlabel="index i", title=self.estimator_name or "Picard plot")
        ax.legend(fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, target=0, ax=None):
        """Picard plot of a fitted spectral estimator.

        Parameters
        ----------
        estimator : fitted estimator with a ``factorization_``
        target : int, default=0
            Which target column, for multi-target fits.
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : PicardDisplay
        """
        fact, kept = _fitted(estimator)
        disp = cls(singular_values=fact.singular_values, uty=fact.z[:, target],
                   rank=int(kept.sum()), estimator_name=_name(estimator))
        return disp.plot(ax=ax)

    @classmethod
    def from_data(cls, X, y, *, tol=DEFAULT, fit_intercept=True, target=0, ax=None):
        """Picard plot of ``X, y`` (the rank line from ``tol``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        tol : str, float, TolerancePolicy or callable, default="scipy"
        fit_intercept : bool, default=True
        target : int, default=0
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : PicardDisplay
        """
        reg = _fit_data(X, y, tol, fit_intercept)
        return cls.from_estimator(reg, target=target, ax=ax)
