"""The :class:`Diagnosis` that :func:`diagnose` returns, and its text, Markdown and JSON forms.

Singular values are counted from 1 in everything a person reads (``s1`` is
the largest), as in the plots; the Python attributes index from 0.
"""

from dataclasses import dataclass, field

import numpy as np

from ._report import Table, fmt, jsonable, render
from .tolerance import DEFAULT

__all__ = ["Diagnosis"]


@dataclass
class Diagnosis:
    """What :func:`diagnose` found; print it for a report.

    Attributes
    ----------
    shape : tuple of int
        ``(n_samples, n_features)``.
    fit_intercept : bool
        Whether ``X`` was centred (the spectrum is that of the centred ``X``).
    singular_values : ndarray of shape (k,)
        Decreasing; the report calls ``singular_values[i]`` ``s{i+1}``.
    condition_number : float
        ``max(s) / min(s)`` of the centred ``X`` (``inf`` when singular).
    policies : list of dict
        One row per policy: ``policy``, ``threshold``, ``rank``, and with
        cross-validation ``cv_r2_mean``, ``cv_r2_std`` (``PinvRegressor`` at
        that policy, same folds as ``scores``).
    ranks_disagree : bool
        Whether the policies keep different numbers of singular values.
    disputed : list of int
        0-based indices of the singular values that some policies keep and
        others drop (the report prints them counted from 1).
    gcv_rank, lcurve_rank : int
        Truncation rank chosen by generalized cross-validation and by the
        corner of the discrete L-curve, among the singular values the
        default policy keeps. Rank 0 means the intercept alone (predicting
        the mean of ``y``) scores best.
    gcv_alpha, lcurve_alpha : float
        Tikhonov alpha minimising GCV and at the L-curve's maximum curvature
        over ``alphas`` (on the default policy's spectrum); NaN when nothing
        is kept.
    scores : list of dict
        One row per estimator: ``estimator``, ``r2_mean``, ``r2_std``,
        ``r2_folds`` (cross-validated R^2), ``picks`` (what a CV estimator
        chose on each fold, else None) and ``refit`` (the estimator to fit
        for that row's result); empty when ``cv=None``.
    n_targets : int
    standardized : bool
        Whether the columns were divided by ``column_scales`` first.
    feature_names : list of str
    column_scales : ndarray of shape (n_features,)
        Standard deviation of each column (before standardising).
    default_rank : int
        Singular values the default policy keeps.
    alphas : ndarray
        The alpha grid of the picks and of the tuned models.
    default_grid : bool
        Whether ``alphas`` is the default grid.
    cv : dict or None
        ``folds``, ``n_samples`` (rows cross-validated), ``n_total``,
        ``splitter``, ``seed``, ``scoring``; None without cross-validation.
    descriptions : dict
        What each ``scores`` row is, by label.
    recommendation : dict
        ``estimator``, ``reason``, ``standardize`` and ``standardize_reason``.
    warnings : list of dict
        Python warnings raised while diagnosing: ``category``, ``message``,
        ``count``.
    """

    shape: tuple
    fit_intercept: bool
    singular_values: np.ndarray
    condition_number: float
    policies: list
    ranks_disagree: bool
    disputed: list
    gcv_rank: int
    lcurve_rank: int
    gcv_alpha: float
    lcurve_alpha: float
    scores: list = field(default_factory=list)
    n_targets: int = 1
    standardized: bool = False
    feature_names: list = None
    column_scales: np.ndarray = None
    default_rank: int = None
    alphas: np.ndarray = None
    default_grid: bool = True
    cv: dict = None
    descriptions: dict = field(default_factory=dict)
    recommendation: dict = None
    warnings: list = field(default_factory=list)

    # ------------------------------------------------------------ findings
    def edges(self):
        """``{pick: "low" | "high"}`` for the alpha picks at an end of the grid."""
        out = {}
        for name in ("gcv_alpha", "lcurve_alpha"):
            side = _edge(getattr(self, name), self.alphas)
            if side:
                out[name] = side
        return out

    def edge_folds(self, row):
        """How many folds of a score row chose an alpha at an end of the grid."""
        picks = row.get("picks") or []
        return sum(_edge(p, self.alphas) is not None for p in picks if not isinstance(p, str))

    def notes(self):
        """Plain-language explanations of the picks worth a second look."""
        notes = []
        if self.gcv_rank == 0 and self.default_rank:
            notes.append(
                "GCV rank 0: no truncated fit predicts y better than its mean. Truncation "
                "keeps the directions of largest spread in X first (s1, s2, ...); none of "
                "them lowers the residual enough to pay for its degree of freedom. If the "
                "column scales differ, those directions are just the large-unit columns: "
                "standardise and look again; otherwise X barely predicts y linearly.")
        what = {"gcv_alpha": "GCV's alpha", "lcurve_alpha": "The L-curve corner"}
        for name, side in self.edges().items():
            notes.append(f"{what[name]} is at the {side} end of the alpha grid: " + (
                "the best alpha may be smaller still, where the penalty barely changes "
                "least squares (regularising is not needed)." if side == "low" else
                "the best alpha may be larger still, where every coefficient shrinks "
                "towards 0 (the features barely predict y)."))
        return notes

    # ------------------------------------------------------------ sections
    def sections(self):
        """The report as ``[(title, items)]`` (see ``sklearn_pinv._report.render``)."""
        out = [("spectrum", self._spectrum()), ("tolerance policies", self._policies()),
               ("parameter choice", self._choice())]
        if self.scores:
            out.append(("cross-validated comparison", self._comparison()))
        if self.recommendation:
            rec = self.recommendation
            out.append(("recommendation", [
                rec["estimator"], f"why: {rec['reason']}",
                f"standardise: {'yes' if rec['standardize'] else 'no'}: "
                f"{rec['standardize_reason']}"]))
        if self.warnings:
            out.append(("warnings", [f"{w['category']} (x{w['count']}): {w['message']}"
                                     for w in self.warnings]))
        return out

    def _spectrum(self):
        (m, n), s = self.shape, self.singular_values
        targets = f", {self.n_targets} targets" if self.n_targets > 1 else ""
        lines = [f"X: {m} samples x {n} features{targets}"
                 + ("; columns standardised" if self.standardized else ""),
                 f"condition number of {'centred ' if self.fit_intercept else ''}X: "
                 f"{fmt(self.condition_number)}"]
        if s.size:
            lines.append(f"singular values: s1 = {fmt(s[0])} (largest), "
                         f"s{s.size} = {fmt(s[-1])} (smallest), counted from 1 as in the plots")
        if self.column_scales is not None and self.column_scales.size:
            lines.append(self._scales())
        return lines

    def _scales(self):
        scales, names = self.column_scales, self.feature_names
        positive = np.flatnonzero(scales > 0)
        if positive.size == 0:
            return "column scales: every column is constant"
        lo, hi = positive[np.argmin(scales[positive])], positive[np.argmax(scales[positive])]
        line = (f"column scales (standard deviation): {fmt(scales[lo])} ({names[lo]}) to "
                f"{fmt(scales[hi])} ({names[hi]}), ratio {fmt(scales[hi] / scales[lo])}")
        constant = [names[j] for j in np.flatnonzero(scales == 0)]
        return line + (f"; constant: {', '.join(constant)}" if constant else "")

    def _policies(self):
        cv = bool(self.policies and "cv_r2_mean" in self.policies[0])
        headers = ["policy", "threshold", "rank"] + (["CV R2", "+/-"] if cv else [])
        rows = [[str(r["policy"]), r["threshold"], r["rank"]]
                + ([r["cv_r2_mean"], r["cv_r2_std"]] if cv else []) for r in self.policies]
        items = [Table(headers, rows)]
        if not self.ranks_disagree:
            items.append(f"all policies agree: rank {self.policies[0]['rank']} "
                         f"of {self.singular_values.size}")
        else:
            values = ", ".join(f"s{i + 1} = {fmt(self.singular_values[i])}"
                               for i in self.disputed)
            items.append(f"policies DISAGREE on {len(self.disputed)} singular value(s): "
                         f"{values} (a policy keeps s_i above its threshold)")
        if cv:
            items.append("CV R2: PinvRegressor at that policy, on the folds of the comparison")
        return items

    def _grid_line(self):
        a = self.alphas
        if self.default_grid and a.size > 1:
            k = self.default_rank
            return (f"alpha grid: {a.size} log-spaced values from {fmt(a[0])} to {fmt(a[-1])} "
                    f"(1e-2 s{k}^2 to 1e2 s1^2)")
        return f"alpha grid: {a.size} values from {fmt(a.min())} to {fmt(a.max())}"

    def _choice(self):
        return [f"on the {self.default_rank} singular values the default policy "
                f"{DEFAULT!r} keeps", self._grid_line(),
                f"truncation rank: GCV {self.gcv_rank}, L-curve corner {self.lcurve_rank}",
                f"Tikhonov alpha: GCV {fmt(self.gcv_alpha)}, "
                f"L-curve corner {fmt(self.lcurve_alpha)}"] + self.notes()

    def _comparison(self):
        cv = self.cv
        where = (f"all {cv['n_samples']} rows" if cv["n_samples"] == cv["n_total"] else
                 f"a random subsample of {cv['n_samples']} of the {cv['n_total']} rows "
                 f"(seed {cv['seed']}; the spectrum above uses every row)")
        rows = [[r["estimator"], r["r2_mean"], r["r2_std"], self._chosen(r)]
                for r in self.scores]
        items = [f"R2 on held-out data, mean and standard deviation over {cv['folds']} "
                 f"folds of {cv['splitter']}, on {where}",
                 Table(["estimator", "CV R2", "+/-", "chosen on the folds"], rows)]
        items += [f"{label}: {about}" for label, about in self.descriptions.items() if about]
        return items

    def _chosen(self, row):
        picks = row.get("picks")
        if not picks:
            return ""
        if isinstance(picks[0], str):
            return "tol " + ", ".join(dict.fromkeys(picks))
        edge = self.edge_folds(row)
        span = fmt(min(picks)) + ("" if min(picks) == max(picks) else f" to {fmt(max(picks))}")
        return f"alpha {span}" + (f" (grid end on {edge}/{len(picks)} folds)" if edge else "")

    # -------------------------------------------------------------- output
    def __str__(self):
        return render(self.sections(), "text").rstrip("\n")

    def to_markdown(self):
        """The report as Markdown (a ``##`` heading per section, pipe tables).

        Returns
        -------
        text : str
        """
        return render(self.sections(), "markdown")

    def to_dict(self):
        """Everything in the report as JSON-ready Python values (NaN and inf as None).

        Returns
        -------
        report : dict
            Keys ``spectrum``, ``policies``, ``ranks_disagree``,
            ``disputed_singular_values`` (``number`` counted from 1,
            ``value``), ``picks``, ``cv``, ``scores``, ``recommendation``,
            ``warnings``; see the command-line documentation for the schema.
        """
        m, n = self.shape
        s = self.singular_values
        scales = self.column_scales if self.column_scales is not None else []
        out = {
            "spectrum": {"n_samples": m, "n_features": n, "n_targets": self.n_targets,
                         "fit_intercept": self.fit_intercept, "standardized": self.standardized,
                         "condition_number": self.condition_number, "singular_values": s,
                         "column_scales": dict(zip(self.feature_names or [], scales))},
            "policies": self.policies, "ranks_disagree": self.ranks_disagree,
            "disputed_singular_values": [{"number": i + 1, "value": s[i]}
                                         for i in self.disputed],
            "picks": {"default_policy": DEFAULT, "default_rank": self.default_rank,
                      "alpha_grid": {"values": self.alphas, "default": self.default_grid},
                      "gcv_rank": self.gcv_rank, "lcurve_rank": self.lcurve_rank,
                      "gcv_alpha": self.gcv_alpha, "lcurve_alpha": self.lcurve_alpha,
                      "at_grid_edge": self.edges(), "notes": self.notes()},
            "cv": self.cv,
            "scores": [{**row, "description": self.descriptions.get(row["estimator"], ""),
                        "edge_folds": self.edge_folds(row)} for row in self.scores],
            "recommendation": self.recommendation, "warnings": self.warnings,
        }
        return jsonable(out)

    def to_frame(self, table="policies"):
        """A pandas DataFrame of the ``"policies"`` or the ``"scores"`` table.

        Parameters
        ----------
        table : {"policies", "scores"}, default="policies"
            ``"policies"``: threshold, rank and (after cross-validation) the
            CV R^2 of each policy. ``"scores"``: the cross-validated
            comparison, one row per estimator.

        Returns
        -------
        frame : pandas.DataFrame
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_frame needs pandas: pip install pandas") from exc
        if table not in ("policies", "scores"):
            raise ValueError(f"table must be 'policies' or 'scores', got {table!r}.")
        if table == "policies":
            rows, key = self.policies, "policy"
        else:
            rows = [{**r, "description": self.descriptions.get(r["estimator"], "")}
                    for r in self.scores]
            key = "estimator"
        frame = pd.DataFrame(rows)
        return frame.set_index(key) if len(frame) else frame


def _edge(value, grid):
    if grid is None or grid.size < 2 or not np.isfinite(value):
        return None
    if value <= grid.min():
        return "low"
    return "high" if value >= grid.max() else None
