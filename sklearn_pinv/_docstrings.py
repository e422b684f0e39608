"""Docstring fragments the estimators share (one text, several classes)."""

TOL = """
    tol : str, float, TolerancePolicy or callable, default="scipy"
        Which singular values of the centred (weighted) ``X`` count as zero.
        A name from :func:`sklearn_pinv.tolerance.available_policies`, in
        any case: a library's rule (``"matlab"``, ``"octave"``, ``"scipy"``,
        ``"numpy"``, ``"julia"``, ``"sqrt-eps"``, ``"stata"``,
        ``"numerical-recipes"``, ``"lapack"``, ``"ridge"``) or a data-driven
        rank (``"gcv"``, ``"lcurve"``, ``"quasi-optimal"``); a relative
        tolerance in ``[0, 1)`` (``tau = tol * max(s)``; ``1e-6`` is
        scikit-learn's ``LinearRegression()`` from 1.9 on, ``"scipy"``
        before; ``0.0`` keeps every non-zero
        singular value, rounding noise included); a policy object from
        :mod:`sklearn_pinv.tolerance`; or a callable
        ``(singular_values, shape, dtype) -> tau``. The default is SciPy's
        rule, ``max(m, n) * eps * max(s)``: scale invariant, it grows with
        the dimension as the rounding error of a backward-stable SVD does,
        and it is the array API standard's default."""

COMMON = """
    fit_intercept : bool, default=True
        Fit an (unpenalised) intercept by centring ``X`` and ``y`` on their
        weighted means.
    copy_X : bool, default=True
        If False and ``precision="fast"``, a tall, Fortran-ordered float
        ``X`` is centred and factored in place (saving one copy of ``X``,
        destroying its content). The other precisions keep ``X`` intact
        because refinement reads it; the result never depends on
        ``copy_X``.
    precision : {{"standard", "high", "fast"}}, default="standard"
        How hard ``fit`` works for correct digits (float64 ``X``).
        ``"standard"``: when a first-order error bound of the slopes
        exceeds ``1e-10`` (an ill-conditioned spectrum), or that of the
        intercept exceeds ``1e-13`` (it cancels) and ``X`` has at most 8
        columns, a full-rank fit of dense or sparse ``X`` is refined with
        residuals carried to about twice the working precision (one or two
        passes over ``X``, each a fraction of the factorization's cost); if
        that would need residuals beyond about 105 bits on a large ``X``, if
        badly scaled columns look responsible for a truncation, if the
        tolerance keeps rounding noise, or if the input cannot be refined
        (``partial_fit``, dask, array API) it warns
        (:class:`~sklearn_pinv.AccuracyWarning`).
        ``"high"``: iterative refinement of every fit, through the
        factorization's own Householder reflectors (the augmented
        least-squares system) or the semi-normal equations, whichever
        reaches the answer in fewer passes, with residuals as accurate as
        the conditioning requires: the exact solution of the float64 data
        whenever ``cond * eps`` is well below 1 (for wide ``X``, the
        minimum-norm part only to ``cond * eps``).{equilibration} Reaches
        the NIST StRD certified values to the limit of float64 data on all
        11 linear datasets; on tall data it costs about 1.2-1.6 times
        ``"fast"``.
        ``"fast"``: no refinement, no check."""

PINV_EQUILIBRATION = """ The columns of ``X`` are first scaled by powers of two
        near their centred norms: ``tol`` then applies to the singular
        values of the *equilibrated* ``X`` (those are ``singular_values_``),
        and a rank-deficient or underdetermined fit is the minimum-norm
        solution in the scaled coordinates."""

# What every spectral fit stores beyond its coefficients.
SPECTRUM_ATTRIBUTES = """
    singular_values_ : ndarray of shape (min(n_samples, n_features),)
        Singular values of the centred, weighted ``X``, decreasing.
    threshold_ : float
        The threshold ``tau`` the tolerance policy set.
    rank_ : int
        Number of singular values kept.
    filter_factors_ : ndarray of shape (min(n_samples, n_features),) or (k, n_targets)
        Fraction of each singular direction kept by the solution.
    effective_dof_ : float or ndarray of shape (n_targets,)
        Effective degrees of freedom, the sum of the filter factors
        (the intercept not counted).
    solver_ : str
        The route and LAPACK driver that ran: ``"qr+gesdd"`` (QR of the
        tall ``X``, then the SVD of ``R``), ``"lq+gesdd"`` (wide ``X``: QR
        of ``X^T``, SVD of the small triangle), ``"bidiag+bdsdc"`` (square
        ``X``: bidiagonal reduction and its divide-and-conquer SVD),
        ``"gesdd"`` (SVD of ``X``), the ``gesvd``/``bdsqr`` fallbacks when
        ``gesdd``/``bdsdc`` did not converge, ``"tsqr+..."``
        for streamed rows; ``"+refined(k)"`` after ``k`` refinement steps.
    factorization_ : Factorization
        The spectral factorization; solutions for any other ``tol`` or
        ``alpha`` follow from it without refactoring.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names."""

ATTRIBUTES = """
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients.{coef_shape}
    intercept_ : float or ndarray of shape (n_targets,)
        Intercept (0.0 when ``fit_intercept=False``).""" + SPECTRUM_ATTRIBUTES.replace("{", "{{").replace("}", "}}")

LINREG_SHAPE = """ As ``LinearRegression``: a ``y`` of shape
        ``(n_samples, 1)`` gives ``coef_`` of shape ``(1, n_features)``."""

RIDGE_SHAPE = """ As ``Ridge``: a ``y`` of shape ``(n_samples, 1)``
        gives ``coef_`` of shape ``(n_features,)`` and 1-D predictions."""
