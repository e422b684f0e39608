"""InferenceResult: the estimates, their standard errors and a statsmodels-like summary."""

import textwrap
from dataclasses import dataclass

import numpy as np

__all__ = ["InferenceResult"]

_WIDTH = 78
_COLUMNS = ("estimate", "std_error", "t", "p_value", "ci_lower", "ci_upper")


@dataclass(frozen=True, repr=False, eq=False)
class InferenceResult:
    """Standard errors, t statistics, p-values and intervals of a fitted linear model.

    Returned by :func:`sklearn_pinv.inference`. The terms are the intercept
    (first, named ``"intercept"``, when the model has one) and the features
    (``feature_names_in_`` when the estimator has them, else ``x1``, ``x2``,
    ... as in statsmodels). For a multi-target fit every array gains a
    leading target axis, as ``coef_`` does.

    Attributes
    ----------
    names : tuple of str
        The terms, in the order of the arrays.
    estimate : ndarray of shape (n_terms,) or (n_targets, n_terms)
        The estimator's ``intercept_`` and ``coef_``.
    std_error : ndarray of shape (n_terms,) or (n_targets, n_terms)
        Standard errors, the square roots of the diagonal of ``cov``.
    t_stat : ndarray of shape (n_terms,) or (n_targets, n_terms)
        ``estimate / std_error``.
    p_value : ndarray of shape (n_terms,) or (n_targets, n_terms)
        Two-sided p-values of Student's t with ``dof_resid`` degrees of freedom.
    conf_int : ndarray of shape (n_terms, 2) or (n_targets, n_terms, 2)
        Lower and upper bounds of the intervals at ``level``.
    cov : ndarray of shape (n_terms, n_terms) or (n_targets, n_terms, n_terms)
        Covariance matrix of the estimates (``cov_type``).
    dof_resid : float or ndarray of shape (n_targets,)
        Residual degrees of freedom.
    sigma2 : float or ndarray of shape (n_targets,)
        Residual variance ``RSS / dof_resid`` (weighted).
    r_squared : float or ndarray of shape (n_targets,)
        ``1 - RSS / TSS`` (TSS centred when there is an intercept).
    n_obs : int
        Number of observations (of positive weight).
    rank : int
        Number of singular directions the fit kept.
    cov_type : str
        ``"nonrobust"`` or ``"HC0"``-``"HC3"``.
    level : float
        Confidence level of ``conf_int``.
    model : str
        The estimator's class name.
    alpha : float, ndarray or None
        The Tikhonov ``alpha_`` of the fit, if it has one.
    target_names : tuple of str
        Names of the targets (``y``'s name or columns, else ``"y"``).
    fit_intercept : bool
        Whether the first term is the intercept.
    """

    names: tuple
    estimate: np.ndarray
    std_error: np.ndarray
    t_stat: np.ndarray
    p_value: np.ndarray
    conf_int: np.ndarray
    cov: np.ndarray
    dof_resid: object
    sigma2: object
    r_squared: object
    n_obs: int
    rank: int
    cov_type: str
    level: float
    model: str
    alpha: object
    target_names: tuple
    fit_intercept: bool

    @property
    def intercept_std_error(self):
        """Standard error of the intercept (float or per target), None without one."""
        return self.std_error[..., 0] if self.fit_intercept else None

    def _target(self, j):
        """Everything about target ``j``, as a single-target view."""
        if self.estimate.ndim == 1:
            return self
        pick = lambda a: a if a is None or np.ndim(a) == 0 else np.asarray(a)[j]  # noqa: E731
        fields = {k: pick(v) if k in _PER_TARGET else v for k, v in vars(self).items()}
        fields["target_names"] = (self.target_names[j],)
        return InferenceResult(**fields)

    @property
    def _n_targets(self):
        return 1 if self.estimate.ndim == 1 else self.estimate.shape[0]

    def to_frame(self):
        """The coefficient table as a pandas DataFrame.

        Returns
        -------
        pandas.DataFrame
            Columns ``estimate``, ``std_error``, ``t``, ``p_value``,
            ``ci_lower``, ``ci_upper``; indexed by term, or by
            ``(target, term)`` for a multi-target fit.
        """
        import pandas as pd

        frames = []
        for j in range(self._n_targets):
            r = self._target(j)
            data = np.column_stack([r.estimate, r.std_error, r.t_stat, r.p_value, r.conf_int])
            frames.append(pd.DataFrame(data, columns=list(_COLUMNS),
                                       index=pd.Index(list(self.names), name="term")))
        if self._n_targets == 1:
            return frames[0]
        return pd.concat(frames, keys=list(self.target_names), names=["target", "term"])

    def summary(self):
        """A text summary in the spirit of statsmodels' ``summary()``.

        Returns
        -------
        str
            The model block (observations, residual dof, R-squared, rank,
            alpha, covariance type) and the coefficient table, per target.
        """
        return "\n\n".join(_summary(self._target(j)) for j in range(self._n_targets))

    def __repr__(self):
        head = (f"InferenceResult(model={self.model!r}, cov_type={self.cov_type!r}, "
                f"n_obs={self.n_obs}, level={self.level})")
        tables = [(f"{r.target_names[0]}:\n" if self._n_targets > 1 else "") + _table(r)
                  for r in map(self._target, range(self._n_targets))]
        return head + "\n" + "\n".join(tables)


_PER_TARGET = {"estimate", "std_error", "t_stat", "p_value", "conf_int", "cov",
               "dof_resid", "sigma2", "r_squared", "alpha"}


def _forg(x, prec):
    """statsmodels' number format: fixed point, or %g beyond [1e-4, 1e4)."""
    if np.isfinite(x) and x != 0 and not 1e-4 <= abs(x) < 1e4:
        return f"{x:.{prec}g}"
    return f"{x:.{prec}f}"


def _dof(x):
    """Integral degrees of freedom as integers (a truncation), else two decimals."""
    return str(int(round(x))) if abs(x - round(x)) < 1e-9 else f"{x:.2f}"


def _table(r):
    width = max(10, *map(len, r.names))
    lo, hi = (1 - r.level) / 2, (1 + r.level) / 2
    head = (" " * width + f"{'coef':>11}{'std err':>11}{'t':>11}{'P>|t|':>11}"
            f"{f'[{lo:.3g}':>12}{f'{hi:.3g}]':>12}")
    rows = [head, "-" * len(head)]
    for i, name in enumerate(r.names):
        cells = [_forg(r.estimate[i], 4), _forg(r.std_error[i], 3), _forg(r.t_stat[i], 3),
                 f"{r.p_value[i]:.3f}", _forg(r.conf_int[i, 0], 3), _forg(r.conf_int[i, 1], 3)]
        rows.append(f"{name:<{width}}" + "".join(f"{c:>11}" for c in cells[:4])
                    + "".join(f"{c:>12}" for c in cells[4:]))
    return "\n".join(rows)


def _summary(r):
    has_icpt = r.fit_intercept
    alpha = "-" if r.alpha is None else _forg(float(np.max(r.alpha)), 4)
    df_model = r.n_obs - int(has_icpt) - r.dof_resid
    adj = 1 - (1 - r.r_squared) * (r.n_obs - int(has_icpt)) / r.dof_resid
    left = [("Dep. Variable:", r.target_names[0]), ("Model:", r.model),
            ("No. Observations:", str(r.n_obs)), ("Df Residuals:", _dof(r.dof_resid)),
            ("Df Model:", _dof(df_model)), ("Covariance Type:", r.cov_type)]
    right = [("R-squared:", f"{r.r_squared:.3f}"), ("Adj. R-squared:", f"{adj:.3f}"),
             ("Residual std. err.:", _forg(float(np.sqrt(r.sigma2)), 4)),
             ("Rank:", str(r.rank)), ("Alpha:", alpha), ("Level:", f"{r.level:g}")]
    block = [f"{a:<18}{b:>20}   {c:<20}{d:>17}" for (a, b), (c, d) in zip(left, right)]
    table = _table(r)
    line = max(_WIDTH, len(table.splitlines()[0]))
    title = f"{r.model} inference".center(line)
    notes = [textwrap.fill(note, line, subsequent_indent="    ") for note in _notes(r, has_icpt)]
    return "\n".join([title, "=" * line, *block, "=" * line, table, "=" * line, *notes])


def _notes(r, has_icpt):
    notes = ["Notes:"]
    if r.cov_type == "nonrobust":
        notes.append("[1] Standard errors assume that the covariance matrix of the errors "
                     "is correctly specified.")
    else:
        notes.append(f"[1] Standard errors are heteroscedasticity robust ({r.cov_type}).")
    n_features = len(r.names) - int(has_icpt)
    if r.rank < n_features:
        notes.append(f"[{len(notes)}] Rank {r.rank} < {n_features} features: the estimates are "
                     "of the coefficients' projection on the kept singular directions "
                     "(minimum norm).")
    if r.alpha is not None and np.max(r.alpha) > 0:
        notes.append(f"[{len(notes)}] Tikhonov: the intervals are around the shrunken "
                     "estimator's expectation, without its bias; dof = m - tr(2H - H'H).")
    return notes
