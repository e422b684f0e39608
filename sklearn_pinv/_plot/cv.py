"""The cross-validation curve of a search over alpha and tol."""

import re

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._base import DEFAULT, axes, finish, name_of, style

__all__ = ["CVCurveDisplay"]

# Each tolerance's curve gets its own marker and line style, hollow markers so
# that curves lying on top of each other stay visible.
_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<"]
_LINESTYLES = ["-", "--", "-.", ":"]

_LOO_NOTE = ("no error band: leave-one-out has no folds, and the spread\n"
             "of per-sample errors is not the uncertainty of their mean")
_GCV_NOTE = "no error band: GCV is one number per candidate, with no folds"


def _param_column(results, name):
    """``cv_results_`` column of parameter ``name``, also inside a pipeline."""
    if f"param_{name}" in results:
        return np.asarray(results[f"param_{name}"], dtype=object)
    for key in results:
        if key.startswith("param_") and key.endswith(f"__{name}"):
            return np.asarray(results[key], dtype=object)
    return None


def _score_key(estimator, results):
    """``"score"`` or, for a multi-metric search, the metric it refits on."""
    if "mean_test_score" in results:
        return "score"
    refit = getattr(estimator, "refit", None)
    if isinstance(refit, str) and f"mean_test_{refit}" in results:
        return refit
    raise ValueError("cv_results_ has no mean_test_score: for a multi-metric search, "
                     "set refit to the name of the metric to plot.")


def _standard_errors(results, key):
    """Standard error of each mean score over the folds, from the per-fold scores;
    NaN without at least two folds."""
    pattern = re.compile(rf"split\d+_test_{re.escape(key)}")
    splits = [np.asarray(results[k], dtype=float) for k in results if pattern.fullmatch(k)]
    n = len(results[f"mean_test_{key}"])
    if len(splits) < 2:
        return np.full(n, np.nan)
    return np.std(splits, axis=0, ddof=1) / np.sqrt(len(splits))


def _score_name(estimator, key, folds):
    """What the mean test score measures, for the y label."""
    scoring = key if key != "score" else getattr(estimator, "scoring", None)
    if scoring is not None and not isinstance(scoring, str):
        scoring = "score"  # a callable scorer
    if folds:
        return f"{scoring or 'r2'} (mean over folds)"
    if scoring is None:  # TikhonovCV / PinvCV with cv=None score by LOO or GCV
        gcv = getattr(estimator, "criterion", None) == "gcv"
        return "negative GCV" if gcv else "negative MSE (leave-one-out)"
    return f"{scoring} (leave-one-out)"


def _results_of(estimator):
    """The ``cv_results_`` of a CV estimator (or of the last step of a Pipeline)."""
    from sklearn.pipeline import Pipeline

    if isinstance(estimator, Pipeline):
        estimator = estimator[-1]
    results = getattr(estimator, "cv_results_", None)
    if results is not None:
        return estimator, results
    if "cv" not in estimator.get_params(deep=False):
        raise ValueError(
            f"{name_of(estimator)} is not a cross-validation estimator: CVCurveDisplay "
            "needs a fitted TikhonovCV, PinvCV, GridSearchCV or RandomizedSearchCV "
            "(over alpha and/or tol), alone or last in a Pipeline.")
    check_is_fitted(estimator)  # NotFittedError, as scikit-learn's Displays
    raise ValueError(f"{name_of(estimator)} has no cv_results_ to plot.")


class CVCurveDisplay:
    """Cross-validated score against alpha, one curve per tolerance policy.

    Works with the ``cv_results_`` of :class:`~sklearn_pinv.TikhonovCV`,
    :class:`~sklearn_pinv.PinvCV` and ``GridSearchCV`` over ``alpha`` and/or
    ``tol`` (also inside a pipeline). When every candidate has the same alpha
    (``PinvCV``), the scores are drawn per tolerance instead. Each tolerance
    has its own marker and line style, so curves that coincide stay visible.

    The band around each curve is one standard error of the mean score over
    the folds, ``std(fold scores, ddof=1) / sqrt(n_folds)``. Leave-one-out and
    GCV (``cv=None``) have no folds, so no band is drawn: the spread of
    per-sample leave-one-out errors describes the samples, not the
    uncertainty of their mean (it can reach above 0 for a negative MSE).

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
        The alphas searched, increasing.
    tol_labels : list of str
        Label of each tolerance searched.
    mean_scores : ndarray of shape (n_tols, n_alphas)
        Mean test score; NaN where a (tol, alpha) pair was not a candidate.
    std_errors : ndarray of shape (n_tols, n_alphas)
        Standard error of each mean score over the folds; NaN where unknown.
    best : tuple of (int, int)
        ``(tol index, alpha index)`` of the best candidate.
    score_name : str, default="mean test score"
        The y label.
    note : str, default=None
        A remark shown as the legend's last entry, e.g. why there is no
        error band.
    estimator_name : str, default=None
        Name of the search, used in the default title.

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    lines_ : dict of str to matplotlib Line2D
        One per tolerance, keyed by its label.
    bands_ : dict of str to matplotlib artist
        The error band (or error bars) of each tolerance that has one.
    best_ : matplotlib Line2D
        The best candidate's marker.
    note_ : matplotlib Line2D or None
        The empty artist that carries ``note`` into the legend.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn_pinv import CVCurveDisplay, TikhonovRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> grid = {"alpha": np.logspace(-3, 1, 5), "tol": ["scipy", 1e-2]}
    >>> search = GridSearchCV(TikhonovRegressor(), grid, cv=3).fit(X, y)
    >>> sorted(CVCurveDisplay.from_estimator(search).lines_)
    ["'scipy'", '0.01']
    """

    def __init__(self, *, alphas, tol_labels, mean_scores, std_errors, best,
                 score_name="mean test score", note=None, estimator_name=None):
        self.alphas = alphas
        self.tol_labels = tol_labels
        self.mean_scores = mean_scores
        self.std_errors = std_errors
        self.best = best
        self.score_name = score_name
        self.note = note
        self.estimator_name = estimator_name

    def _same_as(self, mean):
        """For each curve, the label of an earlier curve with the same scores, or None."""
        same = []
        for j in range(len(self.tol_labels)):
            equal = [self.tol_labels[i] for i in range(j)
                     if np.allclose(mean[i], mean[j], rtol=1e-9, atol=0, equal_nan=True)]
            same.append(equal[0] if equal else None)
        return same

    def _band(self, ax, x, mean, err, line, fill_kwargs):
        color = line.get_color()
        if x.size > 1:
            defaults = {"alpha": 0.15, "color": color, "lw": 0}
            return ax.fill_between(x, mean - err, mean + err,
                                   **style(defaults, fill_kwargs, artist="fill"))
        defaults = {"ecolor": color, "capsize": 4, "fmt": "none"}
        return ax.errorbar(x, mean, yerr=err, **{**defaults, **(fill_kwargs or {})})

    def plot(self, ax=None, *, show_errors=True, legend=True, title=None,
             fill_kwargs=None, best_kwargs=None, **kwargs):
        """Draw one score curve per tolerance and mark the best candidate.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        show_errors : bool, default=True
            Shade one standard error around each curve (error bars when
            there is a single alpha), where it is known.
        legend : bool, default=True
            Show the legend.
        title : str, default=None
            Axes title; ``"Cross-validation"`` and the estimator's name when None.
        fill_kwargs : dict, default=None
            Keywords for ``Axes.fill_between`` of the bands (``Axes.errorbar``
            with a single alpha).
        best_kwargs : dict, default=None
            Keywords for ``Axes.plot`` of the best candidate's marker.
        **kwargs : dict
            Keywords for ``Axes.plot`` of every curve (e.g. ``color``,
            ``linewidth``); they replace the per-tolerance styles.

        Returns
        -------
        display : CVCurveDisplay
        """
        ax = axes(ax)
        mean, err = np.asarray(self.mean_scores), np.asarray(self.std_errors)
        alphas = np.asarray(self.alphas, dtype=float)
        over_alpha = alphas.size > 1
        x = alphas if over_alpha else np.arange(len(self.tol_labels))
        self.lines_, self.bands_ = {}, {}
        for j, (label, same) in enumerate(zip(self.tol_labels, self._same_as(mean))):
            ys = mean[j] if over_alpha else mean[j, :1]
            xs = x if over_alpha else x[[j]]
            text = f"tol={label}" + (f" (same as tol={same})" if same else "")
            defaults = {"marker": _MARKERS[j % 8], "mfc": "none", "ms": 6,
                        "ls": _LINESTYLES[j % 4] if over_alpha else "none", "label": text}
            self.lines_[label] = line = ax.plot(xs, ys, **style(defaults, kwargs))[0]
            e = err[j] if over_alpha else err[j, :1]
            # A repeated curve's band would only darken the first one's.
            if show_errors and same is None and np.isfinite(e).any():
                self.bands_[label] = self._band(ax, xs, ys, e, line, fill_kwargs)
        self._draw_best(ax, x, mean, over_alpha, best_kwargs)
        self._draw_axes(ax, x, over_alpha)
        self.note_ = None
        if self.note:  # a legend entry without a symbol: the legend finds it a place
            self.note_ = ax.plot([], [], ls="none", label=self.note)[0]
        default = "Cross-validation" + (f" ({self.estimator_name})"
                                        if self.estimator_name else "")
        return finish(self, ax, title=title or default, legend=legend)

    def _draw_best(self, ax, x, mean, over_alpha, best_kwargs):
        j, i = self.best
        label = f"best: tol={self.tol_labels[j]}"
        if over_alpha:
            label += f", alpha={self.alphas[i]:.3g}"
        defaults = {"ls": "none", "marker": "*", "ms": 14, "color": "k", "label": label}
        self.best_ = ax.plot([x[i] if over_alpha else x[j]], [mean[j, i]],
                             **style(defaults, best_kwargs))[0]

    def _draw_axes(self, ax, x, over_alpha):
        if over_alpha:
            # An alpha of 0 (no damping) has no place on a log axis: symlog keeps it.
            positive = x[x > 0]
            if positive.size < x.size and positive.size:
                ax.set_xscale("symlog", linthresh=positive.min())
            else:
                ax.set_xscale("log")
            ax.set_xlabel("alpha")
        else:
            long = max(len(label) for label in self.tol_labels) > 8
            ax.set_xticks(x, self.tol_labels, rotation=30 if long else 0,
                          ha="right" if long else "center")
            ax.set_xlabel("tol")
        ax.set_ylabel(self.score_name)

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, show_errors=True, legend=True,
                       title=None, **kwargs):
        """Plot the ``cv_results_`` of a fitted search over alpha and/or tol.

        Parameters
        ----------
        estimator : estimator
            A fitted :class:`~sklearn_pinv.TikhonovCV`,
            :class:`~sklearn_pinv.PinvCV`, ``GridSearchCV`` or
            ``RandomizedSearchCV`` (or a ``Pipeline`` ending in one) whose
            ``cv_results_`` have a parameter named ``alpha`` or ``tol``.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        show_errors : bool, default=True
            Draw one standard error over the folds around each curve.
        legend : bool, default=True
            Show the legend.
        title : str, default=None
            Axes title; ``"Cross-validation"`` and the estimator's name when None.
        **kwargs : dict
            Passed to :meth:`plot` (``fill_kwargs``, ``best_kwargs``, or
            matplotlib keywords for the curves).

        Returns
        -------
        display : CVCurveDisplay

        Raises
        ------
        ValueError
            If the estimator is not a cross-validation estimator, or its
            ``cv_results_`` have neither ``alpha`` nor ``tol``.
        sklearn.exceptions.NotFittedError
            If the estimator is not fitted.
        """
        estimator, results = _results_of(estimator)
        key = _score_key(estimator, results)
        n = len(results[f"mean_test_{key}"])
        alpha_col, tol_col = _param_column(results, "alpha"), _param_column(results, "tol")
        if alpha_col is None and tol_col is None:
            raise ValueError("cv_results_ has neither an 'alpha' nor a 'tol' parameter.")
        alpha_col = np.zeros(n) if alpha_col is None else alpha_col.astype(float)
        tol_all = [repr(t) for t in (tol_col if tol_col is not None else [DEFAULT] * n)]
        alphas, labels = np.unique(alpha_col), list(dict.fromkeys(tol_all))
        cells = [(labels.index(tol_all[c]), int(np.searchsorted(alphas, alpha_col[c])))
                 for c in range(n)]
        mean, err = np.full((2, len(labels), alphas.size), np.nan)
        columns = (results[f"mean_test_{key}"], _standard_errors(results, key))
        for c, cell in enumerate(cells):
            mean[cell], err[cell] = columns[0][c], columns[1][c]
        folds = any(k.startswith("split") for k in results)
        note = None
        if not folds:
            criterion = getattr(estimator, "criterion", None)
            note = _GCV_NOTE if criterion == "gcv" and key == "score" else _LOO_NOTE
        disp = cls(alphas=alphas, tol_labels=labels, mean_scores=mean, std_errors=err,
                   best=cells[int(np.argmin(results[f"rank_test_{key}"]))],
                   score_name=_score_name(estimator, key, folds), note=note,
                   estimator_name=name_of(estimator))
        return disp.plot(ax=ax, show_errors=show_errors, legend=legend, title=title,
                         **kwargs)
