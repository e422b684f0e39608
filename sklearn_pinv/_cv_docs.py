"""Docstring parts shared by :class:`~sklearn_pinv.TikhonovCV` and :class:`~sklearn_pinv.PinvCV`."""

__all__ = ["PARAMETERS", "ATTRIBUTES", "CV", "SEARCH", "SEARCH_ATTRIBUTES"]

# The parameters in pieces, for the classifiers (whose scoring differs).
CV = """
    cv : int, cross-validation generator or iterable, default=None
        ``None``: exact leave-one-out (or GCV, see ``criterion``) from one
        factorization of all the data. An int ``k``: ``KFold(k)``. Or any
        scikit-learn splitter or iterable of (train, test) indices: one
        factorization per training fold scores every candidate. With
        ``cv=None`` each tolerance is applied once, on all the data: the
        leave-one-out error is that of the smoother with those directions
        kept (as ``RidgeCV``'s is for a fixed alpha), not of refits that
        would re-choose the rank without each sample."""

SCORING = """
    scoring : str, callable or None, default=None
        A scikit-learn scorer. ``None`` means the negative mean squared
        leave-one-out error (weighted by ``sample_weight``, as ``RidgeCV``)
        when ``cv=None`` and ``r2`` (the estimator's ``score``, as
        ``GridSearchCV``) otherwise."""

SEARCH = """
    criterion : {"loo", "gcv"}, default="loo"
        With ``cv=None`` and ``scoring=None``: ``"loo"`` is the exact
        leave-one-out error from the hat diagonal, ``"gcv"`` generalized
        cross-validation ``m ||r||^2 / (m - fit_intercept - sum(phi))^2``
        (the trace formula; scores are ``-GCV``).
    fit_intercept : bool, default=True
        Fit an unpenalised intercept.
    store_cv_results : bool, default=False
        With ``cv=None`` and ``criterion="loo"``, keep the per-sample
        leave-one-out values in ``loo_values_`` (``RidgeCV``'s
        ``store_cv_results``; ``cv_results_`` stays the ``GridSearchCV``
        dictionary).
    precision : {"standard", "high", "fast"}, default="standard"
        How the final model (refitted at the chosen candidate on all the
        data) is refined; see :class:`TikhonovRegressor`. The search itself
        scores unrefined candidates."""

PARAMETERS = CV + SCORING + SEARCH

SEARCH_ATTRIBUTES = """
    tol_ : str, float, TolerancePolicy or callable
        The chosen element of ``tols``.
    best_score_ : float or ndarray of shape (n_targets,)
        Mean cross-validated score of the chosen candidate (per target
        with ``alpha_per_target``).
    cv_results_ : dict of ndarrays
        One entry per candidate, in ``GridSearchCV``'s order (alpha outer,
        tol inner): ``params``, ``param_alpha``, ``param_tol``,
        ``split{i}_test_score`` (k-fold), ``mean_test_score``,
        ``std_test_score`` (across folds; across samples for leave-one-out;
        NaN for GCV or a scorer with ``cv=None``), ``rank_test_score``, and
        ``mean_test_score_per_target`` when targets are scored apart.
    loo_values_ : ndarray of shape (n_samples, n_candidates) or \
            (n_samples, n_targets, n_candidates)
        Only with ``store_cv_results=True``: what ``RidgeCV`` stores in its
        ``cv_results_``, with the same shapes and meaning. For
        ``scoring=None`` the squared leave-one-out errors, weighted as the
        score is (``w_j (y_j - y_hat_-j)^2``); with a scorer, the
        leave-one-out predictions. The last axis runs over the candidates
        in ``cv_results_``'s order: the alphas when one tol is searched,
        as in ``RidgeCV``. The first shape is for a 1-D ``y``. A sample of
        weight 0 gets the prediction of the fit without it."""

ATTRIBUTES = SEARCH_ATTRIBUTES + """
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients refitted on all the data. For a ``y`` of shape
        ``(n_samples, 1)``: ``(n_features,)`` for :class:`TikhonovCV` (as
        ``RidgeCV`` and ``Ridge``, and predictions are 1-D),
        ``(1, n_features)`` for :class:`PinvCV` (as ``LinearRegression``
        and :class:`PinvRegressor`).
    intercept_ : float or ndarray of shape (n_targets,)
        A float (``numpy.float64``, as ``RidgeCV``) for a 1-D ``y``; a 0-d
        array of the input's namespace for array API input.
    rank_ : int
        Number of singular values kept by ``tol_``.
    threshold_ : float
        The threshold ``tol_`` set on the full data.
    singular_values_ : ndarray of shape (min(n_samples, n_features),)
    filter_factors_ : ndarray of shape (k,) or (k, n_targets)
        Fraction of each singular direction the final model keeps.
    effective_dof_ : float or ndarray of shape (n_targets,)
        Effective degrees of freedom, ``sum(filter_factors_)``.
    solver_ : str
    factorization_ : Factorization
        The factorization of all the data (without ``U``).
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)"""
