"""Standard errors, t statistics, p-values and intervals from a fit's factorization.

Every spectral fit is linear in ``y``. With ``q = sqrt(w)``, ``W = sum(w)``,
the centred, weighted design ``Xw = diag(q) (X - x_mean) = U S V^T`` (the
estimator's ``factorization_``) and ``d = phi / s`` (its filter factors over
the singular values)::

    coef      = V diag(d) U^T (q * y)
    intercept = y_mean - x_mean . coef,      y_mean = q . (q * y) / W

since ``U^T q = 0`` (the centred, weighted columns sum to zero). Hence
``(intercept, coef) = C K^T (q * y)`` with ``K = [q / W, U]`` and
``C = [[1, -x_mean^T V D], [0, V D]]``, and any model ``Cov(q * y) = Omega``
gives ``Cov(intercept, coef) = C (K^T Omega K) C^T``:

* ``nonrobust``, ``Omega = sigma^2 I``: ``K^T K = diag(1/W, I)``, so the
  covariance needs no pass over the data: ``sigma^2 V diag(phi^2/s^2) V^T``
  for the slopes.
* ``HC0``-``HC3``, ``Omega = diag(omega)``: ``K^T diag(omega) K`` needs ``U``
  on the kept directions, ``U = Xw V / s``: one product ``X V``, never
  ``X^T X``. For the slopes of a truncation this is White's sandwich
  ``(X^T X)^+ X^T diag(omega) X (X^T X)^+ = V S^-1 (U^T diag(omega) U) S^-1 V^T``;
  for Tikhonov ``S^-1`` becomes ``diag(phi / s)``.

Without an intercept the first row and column go.
"""

from numbers import Real

import numpy as np
from scipy import stats
from sklearn.utils.validation import check_is_fitted

from ._compat import HasMethods, Interval, StrOptions, validate_params
from ._inference_data import FitData, check_same_data
from ._inference_result import InferenceResult

__all__ = ["inference"]

_COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3")


@validate_params({
    "estimator": [HasMethods(["fit", "predict"])],
    "X": ["array-like", "sparse matrix"],
    "y": ["array-like"],
    "sample_weight": ["array-like", None],
    "level": [Interval(Real, 0, 1, closed="neither")],
    "cov_type": [StrOptions(set(_COV_TYPES))],
}, prefer_skip_nested_validation=True)
def inference(estimator, X, y, sample_weight=None, *, level=0.95, cov_type="nonrobust"):
    """Standard errors, t statistics, p-values and confidence intervals of a fit.

    Computed from the factorization the fitted estimator stores (its
    ``factorization_`` and ``filter_factors_``): the covariance of the
    slopes is ``sigma^2 V diag(phi^2 / s^2) V^T`` and
    ``sigma^2 = RSS / dof``. ``X``, ``y`` and ``sample_weight`` must be
    those of the fit: they give the residuals (for the robust covariances)
    and are checked against the factorization (see Raises).

    Residual degrees of freedom: ``m - tr(2H - H^T H)``, where ``H`` is the
    hat matrix and ``m`` counts the rows of positive weight (weights are
    precision weights, as in statsmodels' ``WLS``). With ``H``'s spectrum
    ``phi`` (plus 1 for the intercept) this is
    ``m - sum(2 phi - phi^2) - fit_intercept``.

    * A truncation (:class:`PinvRegressor`, :class:`PinvCV`) has
      ``phi`` in {0, 1}: ``m - rank - fit_intercept``, as statsmodels'
      ``df_resid`` with its pinv fit.
    * Tikhonov (:class:`TikhonovRegressor`, :class:`TikhonovCV`): of
      ``m - tr(H)`` and ``m - tr(2H - H^T H)`` we use the latter because
      ``E[RSS] = sigma^2 (m - tr(2H - H^T H)) + ||(I - H) X beta||^2``:
      it makes ``sigma^2`` unbiased when the bias term is negligible, and
      the bias can only inflate it (conservative). ``m - tr(H)`` (GCV's
      denominator) is larger, so it would bias ``sigma^2`` down.

    The intercept ``y_mean - x_mean . coef`` (weighted means) has variance
    ``sigma^2 / sum(w) + x_mean^T Cov(coef) x_mean``, its covariance with
    the slopes is ``-Cov(coef) x_mean``: the weighted mean of ``y`` is
    uncorrelated with the slopes because the centred, weighted columns are
    orthogonal to ``sqrt(w)``. ``HC*`` use the same linear map (see the
    module notes), with the robust ``Omega`` instead of ``sigma^2 I``.

    Parameters
    ----------
    estimator : PinvRegressor, TikhonovRegressor, PinvCV or TikhonovCV
        A fitted estimator with a ``factorization_``.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The training data of the fit.
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
        The targets of the fit.
    sample_weight : array-like of shape (n_samples,), default=None
        The weights of the fit.
    level : float, default=0.95
        Confidence level of the intervals, in (0, 1).
    cov_type : {"nonrobust", "HC0", "HC1", "HC2", "HC3"}, default="nonrobust"
        ``"nonrobust"``: ``sigma^2 (X^T W X)^+`` (filtered). ``"HC0"``-``"HC3"``:
        White's sandwich ``L diag(omega) L^T`` of the linear map ``L`` from
        ``sqrt(w) y`` to the coefficients, with ``omega = e^2`` (``e`` the
        weighted residuals), ``e^2 m / dof``, ``e^2 / (1 - h)``,
        ``e^2 / (1 - h)^2``; ``h = q^2/sum(w) + sum_i phi_i U_i^2`` is the
        diagonal of the (weighted) hat matrix. As statsmodels' ``cov_type``.

    Returns
    -------
    InferenceResult
        Estimates, standard errors, t statistics, two-sided p-values (Student's
        t with the residual dof, for every ``cov_type``) and intervals; the
        intercept is the first term when fitted. A multi-target fit gives
        arrays with a leading target axis (as ``coef_``), one table per
        target in ``summary()``.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If the estimator is not fitted.
    TypeError
        If it has no spectral factorization (e.g. scikit-learn's ``Ridge``).
    ValueError
        If ``X``, ``y`` or ``sample_weight`` differ from the fit: the number
        of rows, features (and their names) or targets; the weighted column
        means of ``X`` and ``y`` against ``X_offset`` and ``y_offset``; a
        random sketch ``||Xw V g||^2`` against ``||S g||^2`` and its inner
        product with the centred ``y`` against ``(S g)^T z``; the weighted RSS
        of the estimator's ``coef_`` and ``intercept_`` against the RSS the
        factorization implies. Each to a relative ``sqrt(eps)`` of the fit's
        dtype. Also when the residual dof is not positive, and for HC2/HC3
        when a row has leverage 1.

    Notes
    -----
    A truncated fit estimates the projection of the coefficients on the kept
    singular directions, and a Tikhonov fit a shrunken version of them: the
    standard errors and intervals describe that estimator around its own
    expectation; they do not include its bias.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_pinv import PinvRegressor, inference
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [3.0], [4.0]])
    >>> y = np.array([2.0, 4.0, 0.0, 2.0, 5.0, 3.0])
    >>> res = inference(PinvRegressor().fit(X, y), X, y)
    >>> res.names
    ('intercept', 'x1')
    >>> res.std_error.round(4)
    array([1.4915, 0.585 ])
    >>> res.conf_int.round(3)
    array([[-1.941,  6.341],
           [-1.409,  1.84 ]])
    >>> print(res)
    InferenceResult(model='PinvRegressor', cov_type='nonrobust', n_obs=6, level=0.95)
                     coef    std err          t      P>|t|      [0.025      0.975]
    ------------------------------------------------------------------------------
    intercept      2.2000      1.492      1.475      0.214      -1.941       6.341
    x1             0.2154      0.585      0.368      0.731      -1.409       1.840
    """
    fact, phi = _fitted_factorization(estimator)
    data = FitData(estimator, fact, X, y, sample_weight)
    rss, tss = _sums_of_squares(fact, phi)
    check_same_data(fact, data, rss, tss)
    dof = data.n_obs - np.sum(phi * (2 - phi), axis=0) - int(fact.fit_intercept)
    if np.any(dof <= 0):
        raise ValueError(
            f"No residual degrees of freedom: {data.n_obs} observations, "
            f"{float(np.max(np.sum(phi * (2 - phi), axis=0))):.6g} effective parameters"
            f"{' and an intercept' if fact.fit_intercept else ''} leave dof = "
            f"{float(np.min(dof)):.6g} <= 0, so the noise variance cannot be estimated."
        )
    sigma2 = rss / dof
    covs = _covariances(fact, phi, data, sigma2, dof, cov_type)
    with np.errstate(divide="ignore", invalid="ignore"):  # a constant y: tss = 0
        r2 = 1 - rss / tss
    return _result(estimator, data, covs, dof, sigma2, r2, level, cov_type)


def _fitted_factorization(estimator):
    """The estimator's factorization and filter factors (k, n_targets), in float64."""
    check_is_fitted(estimator)
    fact = getattr(estimator, "factorization_", None)
    phi = getattr(estimator, "filter_factors_", None)
    if fact is None or phi is None:
        raise TypeError(
            f"inference needs an estimator fitted through a spectral factorization "
            f"(PinvRegressor, TikhonovRegressor, PinvCV, TikhonovCV); "
            f"{type(estimator).__name__} has no factorization_ / filter_factors_ "
            "(for a Pipeline, pass its last step and the X that reaches it)."
        )
    phi = np.asarray(phi, dtype=np.float64)
    phi = np.broadcast_to(phi.reshape(phi.shape[0], -1), (phi.shape[0], fact.z.shape[1]))
    return fact, phi


def _sums_of_squares(fact, phi):
    """Weighted RSS and (centred) total sum of squares per target, from the factorization."""
    z = np.asarray(fact.z, dtype=np.float64)
    res2 = np.asarray(fact.residual_norms, dtype=np.float64) ** 2
    return res2 + np.sum(((1 - phi) * z) ** 2, axis=0), res2 + np.sum(z**2, axis=0)


def _covariances(fact, phi, data, sigma2, dof, cov_type):
    """Covariance of (intercept, coef) per target, ``C (K^T Omega K) C^T``: (t, p, p)."""
    used = np.any(phi > 0, axis=1)  # directions that carry any weight
    s = np.asarray(fact.singular_values, np.float64)[used]
    V, phi = np.asarray(fact.V, np.float64)[:, used], phi[used]
    icpt = bool(fact.fit_intercept)
    K = None
    if cov_type != "nonrobust":
        U = data.q[:, None] * data.xc_times(V) / s
        K = np.hstack([data.q[:, None] / data.weight_sum, U]) if icpt else U
    covs = []
    for j in range(phi.shape[1]):
        if K is None:  # K^T K = diag(1/W, I): no pass over the data
            inner = sigma2[j] * np.diag(np.r_[[1 / data.weight_sum] * icpt, np.ones(s.size)])
        else:
            omega = _robust_weights(data, K, phi[:, j], icpt, j, dof[j], cov_type)
            inner = K.T @ (omega[:, None] * K)
        C = _coefficient_map(V * (phi[:, j] / s), data.x_offset, icpt)
        covs.append(C @ inner @ C.T)
    return np.array(covs)


def _coefficient_map(VD, x_offset, icpt):
    """``C``: (intercept, coef) from ``(mean of q y, U^T q y)``; ``VD = V diag(phi/s)``."""
    if not icpt:
        return VD
    top = np.r_[1.0, -(x_offset @ VD)]
    return np.vstack([top, np.hstack([np.zeros((VD.shape[0], 1)), VD])])


def _robust_weights(data, K, phi, icpt, j, dof, cov_type):
    """White's omega for HC0-HC3 (leverages from the hat matrix's diagonal)."""
    e2 = data.resid[:, j] ** 2
    if cov_type == "HC0":
        return e2
    if cov_type == "HC1":
        return e2 * data.n_obs / dof
    U = K[:, int(icpt):]
    h = U**2 @ phi + (data.weights / data.weight_sum if icpt else 0)
    if np.any(h > 1 - 64 * np.finfo(float).eps):
        raise ValueError(
            f"{cov_type} is undefined: row {int(np.argmax(h))} has leverage 1 (the fit "
            "interpolates it). Use cov_type='HC0' or 'HC1'."
        )
    return e2 / (1 - h) if cov_type == "HC2" else e2 / (1 - h) ** 2


def _result(estimator, data, covs, dof, sigma2, r2, level, cov_type):
    icpt = bool(estimator.factorization_.fit_intercept)
    estimate = np.hstack([data.intercept[:, None], data.coef]) if icpt else data.coef
    with np.errstate(divide="ignore", invalid="ignore"):  # a perfect fit: se = 0
        se = np.sqrt(np.diagonal(covs, axis1=1, axis2=2))
        t = estimate / se
    half = stats.t.ppf(0.5 + level / 2, dof)[:, None] * se
    names = getattr(estimator, "feature_names_in_", None)
    if names is None:
        names = [f"x{i + 1}" for i in range(data.coef.shape[1])]
    # A one-target fit (1-D coef_) gets 1-D arrays, as coef_ does.
    pick = (lambda a: a[0]) if np.ndim(estimator.coef_) == 1 else (lambda a: a)  # noqa: E731
    return InferenceResult(
        names=tuple(["intercept"] * icpt + [str(x) for x in names]),
        estimate=pick(estimate), std_error=pick(se), t_stat=pick(t),
        p_value=pick(2 * stats.t.sf(np.abs(t), dof[:, None])),
        conf_int=pick(np.stack([estimate - half, estimate + half], axis=-1)),
        cov=pick(covs), dof_resid=pick(dof), sigma2=pick(sigma2), r_squared=pick(r2),
        n_obs=data.n_obs, rank=int(getattr(estimator, "rank_", 0)), cov_type=cov_type,
        level=float(level), model=type(estimator).__name__,
        alpha=getattr(estimator, "alpha_", None), target_names=data.y_name, fit_intercept=icpt,
    )
