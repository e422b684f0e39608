"""The cross-validation curve of a search over alpha and tol.

Same conventions as :mod:`sklearn_pinv._plot` (``plot(ax=None)``, ``ax_``,
``figure_``, ``from_estimator``; matplotlib imported lazily).
"""

import numpy as np

from ._plot import _axes, _name
from .tolerance import DEFAULT

__all__ = ["CVCurveDisplay"]


def _param_column(results, name):
    """``cv_results_`` column of parameter ``name``, also inside a pipeline."""
    if f"param_{name}" in results:
        return np.asarray(results[f"param_{name}"], dtype=object)
    for key in results:
        if key.startswith("param_") and key.endswith(f"__{name}"):
            return np.asarray(results[key], dtype=object)
    return None


def _score_name(estimator):
    """What ``mean_test_score`` measures, for the y label."""
    scoring = getattr(estimator, "scoring", None)
    if isinstance(scoring, str):
        return scoring
    if scoring is not None:
        return "mean test score"
    if getattr(estimator, "cv", 5) is None and hasattr(estimator, "criterion"):
        # TikhonovCV / PinvCV without folds score by LOO or GCV.
        return {"loo": "- leave-one-out MSE", "gcv": "- GCV"}.get(estimator.criterion,
                                                                  "mean test score")
    return "r2 (mean over folds)"


class CVCurveDisplay:
    """Cross-validated score against alpha, one curve per tolerance policy.

    Works with the ``cv_results_`` of :class:`TikhonovCV`, :class:`PinvCV`
    and ``GridSearchCV`` over ``alpha`` and/or ``tol`` (also inside a
    pipeline). When every candidate has the same alpha (``PinvCV``), the
    scores are drawn per tolerance instead.

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
    tol_labels : list of str
    mean_scores : ndarray of shape (n_tols, n_alphas)
        NaN where a (tol, alpha) pair was not a candidate.
    std_scores : ndarray of shape (n_tols, n_alphas)
    best : tuple of (int, int)
        ``(tol index, alpha index)`` of the best candidate.
    score_name : str, default="mean test score"
    estimator_name : str, default=None

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    lines_ : dict of str to matplotlib Line2D
        One per tolerance, keyed by its label.
    best_ : matplotlib Line2D
        The best candidate's marker.

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

    def __init__(self, *, alphas, tol_labels, mean_scores, std_scores, best,
                 score_name="mean test score", estimator_name=None):
        self.alphas = alphas
        self.tol_labels = tol_labels
        self.mean_scores = mean_scores
        self.std_scores = std_scores
        self.best = best
        self.score_name = score_name
        self.estimator_name = estimator_name

    def plot(self, ax=None, *, show_std=True):
        """Draw one score curve per tolerance and mark the best candidate.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
        show_std : bool, default=True
            Shade (or, for a single alpha, draw error bars of) one standard
            deviation of the scores across folds, where it is known.

        Returns
        -------
        display : CVCurveDisplay
        """
        ax = _axes(ax)
        mean, std = np.asarray(self.mean_scores), np.asarray(self.std_scores)
        over_alpha = len(self.alphas) > 1
        x = np.asarray(self.alphas) if over_alpha else np.arange(len(self.tol_labels))
        self.lines_ = {}
        for j, label in enumerate(self.tol_labels):
            if over_alpha:
                line = ax.plot(x, mean[j], "-o", ms=3, label=f"tol={label}")[0]
                if show_std and np.isfinite(std[j]).any():
                    ax.fill_between(x, mean[j] - std[j], mean[j] + std[j], alpha=0.08,
                                    color=line.get_color())
            else:
                err = std[j, :1] if show_std and np.isfinite(std[j, 0]) else None
                line = ax.errorbar(x[[j]], mean[j, :1], yerr=err, fmt="o", capsize=4,
                                   label=f"tol={label}")[0]
            self.lines_[label] = line
        j, i = self.best
        bx = x[i] if over_alpha else x[j]
        self.best_ = ax.plot([bx], [mean[j, i]], "*", ms=14, color="k",
                             label=f"best: tol={self.tol_labels[j]}"
                             + (f", alpha={self.alphas[i]:.3g}" if over_alpha else ""))[0]
        if over_alpha:
            ax.set(xscale="log", xlabel="alpha")
        else:
            long = max(len(label) for label in self.tol_labels) > 8
            ax.set_xticks(x, self.tol_labels, rotation=30 if long else 0,
                          ha="right" if long else "center")
            ax.set_xlabel("tol")
        ax.set(ylabel=self.score_name, title=self.estimator_name or "Cross-validation")
        ax.legend(fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, ax=None):
        """Plot the ``cv_results_`` of a fitted search over alpha and/or tol.

        Parameters
        ----------
        estimator : TikhonovCV, PinvCV or GridSearchCV
            Fitted; its ``cv_results_`` must have ``mean_test_score`` and a
            parameter named ``alpha`` or ``tol``.
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : CVCurveDisplay
        """
        results = getattr(estimator, "cv_results_", None)
        if results is None:
            raise ValueError(f"{_name(estimator)} has no cv_results_: fit it first.")
        n = len(results["mean_test_score"])
        alpha_col = _param_column(results, "alpha")
        tol_col = _param_column(results, "tol")
        if alpha_col is None and tol_col is None:
            raise ValueError("cv_results_ has neither an 'alpha' nor a 'tol' parameter.")
        alpha_col = np.zeros(n) if alpha_col is None else alpha_col.astype(float)
        tol_labels_all = [repr(t) for t in (tol_col if tol_col is not None else [DEFAULT] * n)]
        alphas = np.unique(alpha_col)
        labels = list(dict.fromkeys(tol_labels_all))
        mean = np.full((len(labels), alphas.size), np.nan)
        std = np.full_like(mean, np.nan)
        std_col = np.asarray(results.get("std_test_score", np.full(n, np.nan)), dtype=float)
        for c in range(n):
            j, i = labels.index(tol_labels_all[c]), int(np.searchsorted(alphas, alpha_col[c]))
            mean[j, i], std[j, i] = results["mean_test_score"][c], std_col[c]
        c = int(np.argmin(results["rank_test_score"]))
        best = (labels.index(tol_labels_all[c]), int(np.searchsorted(alphas, alpha_col[c])))
        disp = cls(alphas=alphas, tol_labels=labels, mean_scores=mean, std_scores=std,
                   best=best, score_name=_score_name(estimator),
                   estimator_name=_name(estimator))
        return disp.plot(ax=ax)
