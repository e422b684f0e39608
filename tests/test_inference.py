"""inference(): standard errors, t, p and intervals against statsmodels and brute force."""

import numpy as np
import pytest
from scipy import sparse, stats
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_pinv import (
    InferenceResult, PinvCV, PinvRegressor, TikhonovCV, TikhonovRegressor, inference,
)

sm = pytest.importorskip("statsmodels.api")

COV_TYPES = ["nonrobust", "HC0", "HC1", "HC2", "HC3"]
RTOL = 1e-10


def _data(m=60, n=4, seed=0, hetero=True):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n)) * [1, 3, 0.5, 10][:n] + [5, -2, 0, 100][:n]
    noise = rng.standard_normal(m) * (1 + hetero * np.abs(X[:, 0] - 5))
    y = X @ np.arange(1, n + 1) + 7 + noise
    return X, y


def _statsmodels(model, cov_type):
    # Student's t for every cov_type, as inference() uses (statsmodels: use_t=True).
    return model.fit(cov_type=cov_type, use_t=True)


def _assert_same(res, ref):
    np.testing.assert_allclose(res.estimate, ref.params, rtol=RTOL)
    np.testing.assert_allclose(res.std_error, ref.bse, rtol=RTOL)
    np.testing.assert_allclose(res.t_stat, ref.tvalues, rtol=RTOL)
    np.testing.assert_allclose(res.p_value, ref.pvalues, rtol=RTOL)
    np.testing.assert_allclose(res.conf_int, ref.conf_int(), rtol=RTOL)
    np.testing.assert_allclose(res.cov, ref.cov_params(), rtol=RTOL, atol=0)
    assert res.dof_resid == pytest.approx(ref.df_resid, rel=RTOL)


# --- exact twins of statsmodels ----------------------------------------------


@pytest.mark.parametrize("cov_type", COV_TYPES)
@pytest.mark.parametrize("est", [PinvRegressor(), TikhonovRegressor(alpha=0.0),
                                 PinvCV(tols=("scipy",))], ids=["pinv", "tikh0", "pinvcv"])
def test_full_rank_matches_ols(est, cov_type):
    X, y = _data()
    X_before = X.copy()
    res = inference(est.fit(X, y), X, y, cov_type=cov_type)
    np.testing.assert_array_equal(X, X_before)  # centred on a copy
    _assert_same(res, _statsmodels(sm.OLS(y, sm.add_constant(X)), cov_type))
    assert res.intercept_std_error == res.std_error[0]
    assert res.r_squared == pytest.approx(sm.OLS(y, sm.add_constant(X)).fit().rsquared, rel=RTOL)


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_no_intercept_matches_ols_without_constant(cov_type):
    X, y = _data()
    res = inference(PinvRegressor(fit_intercept=False).fit(X, y), X, y, cov_type=cov_type)
    _assert_same(res, _statsmodels(sm.OLS(y, X), cov_type))
    assert res.names == ("x1", "x2", "x3", "x4") and res.intercept_std_error is None
    # Uncentred R^2 without a constant, as statsmodels.
    assert res.r_squared == pytest.approx(sm.OLS(y, X).fit().rsquared, rel=RTOL)


@pytest.mark.parametrize("cov_type", COV_TYPES)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_weights_match_wls(cov_type, fit_intercept):
    X, y = _data(m=50, seed=1)
    w = np.random.default_rng(2).uniform(0.2, 3.0, X.shape[0])
    est = PinvRegressor(fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
    res = inference(est, X, y, sample_weight=w, cov_type=cov_type)
    exog = sm.add_constant(X) if fit_intercept else X
    _assert_same(res, _statsmodels(sm.WLS(y, exog, weights=w), cov_type))


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_zero_weights_are_not_observations(cov_type):
    # Rows of weight 0 count in neither n_obs nor the dof: as WLS without them.
    X, y = _data(m=50, seed=10)
    w = np.random.default_rng(11).uniform(0.2, 3.0, 50)
    w[::5] = 0
    res = inference(PinvRegressor().fit(X, y, sample_weight=w), X, y, sample_weight=w,
                    cov_type=cov_type)
    keep = w > 0
    _assert_same(res, _statsmodels(sm.WLS(y[keep], sm.add_constant(X[keep]),
                                          weights=w[keep]), cov_type))
    assert res.n_obs == 40


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_tall_qr_route_and_large_offsets(cov_type):
    # m >> n takes the QR route; offsets near 1e6 must cancel exactly. statsmodels
    # on [1, X + 1e6] (cond ~ 1e12) loses digits, so the reference is statsmodels
    # on the exactly shifted-back data, mapped to the offset parameters.
    X, y = _data(m=400, n=3, seed=3)
    X = X + 1e6
    res = inference(PinvRegressor().fit(X, y), X, y, cov_type=cov_type)
    ref = _statsmodels(sm.OLS(y, sm.add_constant(X - 1e6)), cov_type)  # exact (Sterbenz)
    T = np.eye(4)
    T[0, 1:] = -1e6  # intercept = intercept_shifted - 1e6 * sum(coef)
    np.testing.assert_allclose(res.estimate, T @ ref.params, rtol=1e-9)
    np.testing.assert_allclose(res.cov, T @ ref.cov_params() @ T.T, rtol=1e-9)
    assert res.dof_resid == ref.df_resid


def test_precision_high_equilibrated_factorization():
    # precision="high" stores V / scale (not orthonormal): the covariance still holds.
    # Reference: statsmodels on the unscaled columns (its own fit of the scaled ones
    # loses 7 digits), scaled back exactly (powers of two).
    X, y = _data(seed=4)
    scale = 2.0 ** np.array([-10, 0, 10, 17])
    res = inference(PinvRegressor(precision="high").fit(X * scale, y), X * scale, y,
                    cov_type="HC1")
    ref = _statsmodels(sm.OLS(y, sm.add_constant(X)), "HC1")
    np.testing.assert_allclose(res.std_error, ref.bse / np.r_[1, scale], rtol=RTOL)


def test_summary_table_rows_match_statsmodels():
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True, as_frame=True)
    res = inference(PinvRegressor().fit(X, y), X, y)
    ref = sm.OLS(y, sm.add_constant(X)).fit()
    ours = res.summary().splitlines()
    theirs = ref.summary().tables[1].as_text().splitlines()
    for name in X.columns:  # the same numbers, formatted alike
        row = next(line for line in ours if line.startswith(name + " "))
        expected = next(line for line in theirs if line.startswith(name + " "))
        assert row.split()[1:] == expected.split()[1:]
    assert f"{ref.rsquared:.3f}" in res.summary() and "target" not in repr(res)


# --- rank-deficient data: estimable directions ------------------------------


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.SingularMatrixWarning")
@pytest.mark.parametrize("cov_type", ["nonrobust", "HC0", "HC1", "HC3"])
def test_rank_deficient_estimable_directions_match_ols_pinv(cov_type):
    rng = np.random.default_rng(5)
    X = rng.integers(-5, 6, (40, 3)).astype(float)
    X = np.column_stack([X, X[:, 0] + X[:, 1] + 2.0])  # involves the constant too
    y = X[:, :3] @ [1.0, -2.0, 0.5] + rng.standard_normal(40) * (1 + np.abs(X[:, 2]))
    A = sm.add_constant(X)
    ref = _statsmodels(sm.OLS(y, A), cov_type)
    assert ref.df_resid == 40 - 4  # statsmodels saw the rank deficiency
    res = inference(PinvRegressor().fit(X, y), X, y, cov_type=cov_type)
    assert res.rank == 3 and res.dof_resid == ref.df_resid
    # Estimable c (the row space of A): c^T beta and c^T Cov c do not depend on the
    # generalized inverse; our intercept is unpenalised, statsmodels' is not.
    P = np.linalg.pinv(A) @ A
    np.testing.assert_allclose(P @ res.estimate, P @ ref.params, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(P @ res.cov @ P, P @ ref.cov_params() @ P, rtol=1e-9, atol=1e-12)
    se_fit = np.sqrt(np.einsum("ij,jk,ik->i", A, res.cov, A))
    np.testing.assert_allclose(se_fit, np.sqrt(np.einsum("ij,jk,ik->i", A, ref.cov_params(), A)),
                               rtol=1e-9)
    assert "Rank 3 < 4 features" in res.summary()


# --- Tikhonov against an explicit sandwich ----------------------------------


def _brute_force(X, y, w, alpha, cov_type, fit_intercept=True):
    """Explicit matrices on a small problem: (A^T W A + alpha P)^-1 A^T W, H, sandwich."""
    m = X.shape[0]
    A = np.column_stack([np.ones(m), X]) if fit_intercept else X
    P = np.eye(A.shape[1])
    if fit_intercept:
        P[0, 0] = 0  # the intercept is not penalised
    W = np.diag(w)
    L = np.linalg.solve(A.T @ W @ A + alpha * P, A.T @ W)  # beta = L y
    beta = L @ y
    e = y - A @ beta
    H = np.sqrt(W) @ A @ L @ np.diag(1 / np.sqrt(w))  # hat matrix of sqrt(w) y
    dof = np.count_nonzero(w) - np.trace(2 * H - H.T @ H)
    sigma2 = np.sum(w * e**2) / dof
    h = np.diag(H)
    omega = {"nonrobust": sigma2 / w, "HC0": e**2, "HC1": e**2 * m / dof,
             "HC2": e**2 / (1 - h), "HC3": e**2 / (1 - h) ** 2}[cov_type]
    return beta, L @ np.diag(omega) @ L.T, dof  # Cov(y) = diag(omega)


@pytest.mark.parametrize("cov_type", COV_TYPES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_tikhonov_matches_brute_force_sandwich(cov_type, weighted, fit_intercept):
    X, y = _data(m=25, n=4, seed=6)
    w = np.random.default_rng(7).uniform(0.5, 2, 25) if weighted else np.ones(25)
    alpha = 30.0
    est = TikhonovRegressor(alpha=alpha, fit_intercept=fit_intercept)
    est.fit(X, y, sample_weight=w if weighted else None)
    res = inference(est, X, y, sample_weight=w if weighted else None, cov_type=cov_type)
    beta, cov, dof = _brute_force(X, y, w, alpha, cov_type, fit_intercept)
    np.testing.assert_allclose(res.estimate, beta, rtol=RTOL)
    np.testing.assert_allclose(res.cov, cov, rtol=1e-9, atol=1e-14 * np.abs(cov).max())
    assert res.dof_resid == pytest.approx(dof, rel=RTOL)
    t_ref = beta / np.sqrt(np.diag(cov))
    np.testing.assert_allclose(res.p_value, 2 * stats.t.sf(np.abs(t_ref), dof), rtol=1e-8)
    assert "Tikhonov" in res.summary()


def test_tikhonov_cv_and_multi_target_per_target_alpha():
    X, y = _data(m=30, n=3, seed=8)
    Y = np.column_stack([y, -2 * y + X[:, 1] ** 2])
    est = TikhonovRegressor(alpha=[3.0, 40.0]).fit(X, Y)
    res = inference(est, X, Y, cov_type="HC2")
    assert res.estimate.shape == (2, 4) and res.conf_int.shape == (2, 4, 2)
    for j, alpha in enumerate([3.0, 40.0]):
        beta, cov, _ = _brute_force(X, Y[:, j], np.ones(30), alpha, "HC2")
        np.testing.assert_allclose(res.cov[j], cov, rtol=1e-9)
        np.testing.assert_allclose(res.estimate[j], beta, rtol=RTOL)
    frame = res.to_frame()
    assert frame.index.names == ["target", "term"] and frame.shape == (8, 6)
    assert res.summary().count("Dep. Variable:") == 2
    cv = TikhonovCV(alphas=np.logspace(-2, 3, 12)).fit(X, y)
    beta, cov, _ = _brute_force(X, y, np.ones(30), cv.alpha_, "nonrobust")
    np.testing.assert_allclose(inference(cv, X, y).cov, cov, rtol=1e-9)


# --- other inputs -----------------------------------------------------------


def test_feature_and_target_names_and_frame():
    pd = pytest.importorskip("pandas")
    X, y = _data()
    Xf = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    yf = pd.Series(y, name="target")
    res = inference(PinvRegressor().fit(Xf, yf), Xf, yf, level=0.9)
    assert res.names == ("intercept", "a", "b", "c", "d")
    frame = res.to_frame()
    assert list(frame.index) == list(res.names)
    np.testing.assert_array_equal(frame["ci_lower"], res.conf_int[:, 0])
    assert "Dep. Variable:" in res.summary() and "target" in res.summary()
    assert "[0.05" in res.summary() and "0.95]" in res.summary()
    assert isinstance(res, InferenceResult)


def test_sparse_float32_and_partial_fit_agree_with_dense():
    X, y = _data(seed=9)
    ref = inference(PinvRegressor().fit(X, y), X, y, cov_type="HC3")
    Xs = sparse.csr_matrix(X)
    res = inference(PinvRegressor().fit(Xs, y), Xs, y, cov_type="HC3")
    np.testing.assert_allclose(res.std_error, ref.std_error, rtol=1e-9)
    stream = PinvRegressor().partial_fit(X[:30], y[:30]).partial_fit(X[30:], y[30:])
    np.testing.assert_allclose(inference(stream, X, y).cov,
                               inference(PinvRegressor().fit(X, y), X, y).cov, rtol=1e-9)
    X32, y32 = X.astype(np.float32), y.astype(np.float32)
    res32 = inference(PinvRegressor().fit(X32, y32), X32, y32, cov_type="HC3")
    np.testing.assert_allclose(res32.std_error, ref.std_error, rtol=1e-3)


@pytest.mark.parametrize("offset", [0.0, 1e8])
def test_exact_and_constant_targets_are_not_mistaken_for_other_data(offset):
    # RSS ~ 0 and a constant y (TSS ~ 0): rounding must not trip the data checks.
    X, _ = _data(m=30, n=2)
    for y in [X @ [1.5, -2.0] + 7.1 + offset, np.full(30, 3.3 + offset)]:
        res = inference(PinvRegressor().fit(X, y), X, y, cov_type="HC3")
        ols = sm.OLS(y, sm.add_constant(X)).fit()
        assert np.all(res.std_error <= 1e-9 * (1 + np.abs(ols.params)))


# --- bad input --------------------------------------------------------------


def test_unfitted_and_foreign_estimators():
    X, y = _data()
    with pytest.raises(NotFittedError):
        inference(PinvRegressor(), X, y)
    with pytest.raises(TypeError, match="spectral factorization"):
        inference(Ridge().fit(X, y), X, y)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("change", ["y", "X", "X_col", "rows", "weights", "scale_y", "swap_y"])
def test_data_that_differ_from_the_fit(change, fit_intercept):
    X, y = _data()
    est = PinvRegressor(fit_intercept=fit_intercept).fit(X, y)
    X2, y2, w = X.copy(), y.copy(), None
    if change == "y":
        y2[3] += 0.5
    elif change == "X":
        X2[7, 2] += 0.1
    elif change == "X_col":
        X2[:, 1] = X2[::-1, 1]  # same mean, other column
    elif change == "rows":
        X2, y2 = X[:-1], y[:-1]
    elif change == "weights":
        w = np.linspace(0.5, 2, X.shape[0])
    elif change == "swap_y":
        y2[[0, 1]] = y[[1, 0]]  # same mean, same norm
    else:
        y2 = 1.001 * y
    with pytest.raises(ValueError, match="differ from"):
        inference(est, X2, y2, sample_weight=w)


def test_weights_of_the_fit_missing():
    X, y = _data()
    w = np.random.default_rng(3).uniform(0.5, 2, X.shape[0])
    est = TikhonovRegressor(alpha=1.0).fit(X, y, sample_weight=w)
    with pytest.raises(ValueError, match="differ from"):
        inference(est, X, y)
    inference(est, X, y, sample_weight=w)  # and with them it works


def test_wrong_feature_count_and_targets():
    X, y = _data()
    est = PinvRegressor().fit(X, y)
    with pytest.raises(ValueError, match="features"):
        inference(est, X[:, :3], y)
    with pytest.raises(ValueError, match="target"):
        inference(est, X, np.column_stack([y, y]))


def test_zero_residual_dof():
    X, y = _data(m=5, n=4)
    est = PinvRegressor().fit(X, y)  # 4 slopes + intercept on 5 rows: exact fit
    with pytest.raises(ValueError, match="No residual degrees of freedom"):
        inference(est, X, y)


def test_hc3_with_leverage_one():
    X, y = _data(m=20, n=2)
    X[0] = [50.0, 400.0]
    X = np.column_stack([X, np.r_[1.0, np.zeros(19)]])  # a dummy for row 0 alone
    est = PinvRegressor().fit(X, y)
    with pytest.raises(ValueError, match="leverage 1"):
        inference(est, X, y, cov_type="HC3")
    assert np.isfinite(inference(est, X, y, cov_type="HC0").std_error).all()


@pytest.mark.parametrize("kwargs", [{"level": 1.0}, {"level": 0}, {"cov_type": "HC4"}])
def test_invalid_parameters(kwargs):
    X, y = _data()
    with pytest.raises(InvalidParameterError):
        inference(PinvRegressor().fit(X, y), X, y, **kwargs)
