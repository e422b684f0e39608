"""PinvRegressor and TikhonovRegressor against the literature, LinearRegression and Ridge."""

import pickle

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from _versions import LINEAR_REGRESSION_USES_TOL
from sklearn_pinv import PinvRegressor, TikhonovRegressor
from sklearn_pinv.tolerance import FixedRank, available_policies, resolve


def random_problem(m=40, n=5, targets=None, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n)) * rng.uniform(0.1, 10, n) + rng.uniform(-5, 5, n)
    shape = (m,) if targets is None else (m, targets)
    y = rng.standard_normal(shape) + 3.0
    w = rng.uniform(0.1, 3.0, m)
    return X, y, w


def polynomial(m=50, degree=9, seed=0):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 1, m))
    return np.vander(x, degree + 1, increasing=True)[:, 1:], np.cos(3 * x) + 0.01 * rng.standard_normal(m)


# --- worked examples from the literature ------------------------------------------


def test_line_through_six_points():
    X = np.array([[0.0], [1], [2], [3], [3], [4]])
    reg = PinvRegressor().fit(X, [2.0, 4, 0, 2, 5, 3])
    assert reg.coef_[0] == pytest.approx(0.21538462, abs=5e-9)
    assert reg.intercept_ == pytest.approx(2.2, abs=1e-12)


def test_overdetermined_system_without_intercept():
    A = np.array([[-2.0, -1], [4, -1], [-1, -1]])
    reg = PinvRegressor(fit_intercept=False).fit(A, [-2.0, -8, -2])
    np.testing.assert_allclose(reg.coef_, [-1.06451613, 3.64516129], atol=5e-9)


def test_noisy_line_seed_123():
    np.random.seed(123)
    x = 5 * np.random.rand(100)
    y = 2 * x + 1 + np.random.randn(100)
    reg = PinvRegressor().fit(x[:, None], y)
    assert reg.coef_[0] == pytest.approx(1.9461907, abs=5e-8)
    assert reg.intercept_ == pytest.approx(1.16994745, abs=5e-9)


# --- LinearRegression and Ridge ---------------------------------------------------


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("targets", [None, 1, 3])
@pytest.mark.parametrize("shape", [(40, 5), (300, 4)])
def test_equals_linear_regression_full_rank(fit_intercept, weighted, targets, shape):
    X, y, w = random_problem(*shape, targets=targets)
    w = w if weighted else None
    ref = LinearRegression(fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
    for tol in available_policies() + [1e-6]:  # every library's rule
        reg = PinvRegressor(tol=tol, fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
        assert reg.coef_.shape == ref.coef_.shape
        np.testing.assert_allclose(reg.coef_, ref.coef_, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(reg.intercept_, ref.intercept_, rtol=1e-10, atol=1e-12)
        assert np.shape(reg.intercept_) == np.shape(ref.intercept_)


# scikit-learn 1.6-1.8 cut at cond=max(m, n)*eps, which is our "scipy" policy.
LINEAR_REGRESSION_TOL = 1e-6 if LINEAR_REGRESSION_USES_TOL else "scipy"


@pytest.mark.parametrize("data", ["polynomial", "rank-deficient", "wide"])
def test_relative_1e6_reproduces_linear_regression_default(data):
    if data == "polynomial":
        X, y = polynomial()
    else:
        X, y, _ = random_problem(12 if data == "wide" else 60, 20 if data == "wide" else 6)
        if data == "rank-deficient":
            X = np.hstack([X, X[:, :2] @ [[1.0, 2.0], [-3.0, 0.5]]])
    ref = LinearRegression().fit(X, y)
    reg = PinvRegressor(tol=LINEAR_REGRESSION_TOL).fit(X, y)
    assert reg.rank_ == ref.rank_
    np.testing.assert_allclose(reg.predict(X), ref.predict(X), rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(reg.coef_, ref.coef_, rtol=1e-6, atol=1e-6 * np.abs(ref.coef_).max())


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("targets", [None, 2])
@pytest.mark.parametrize("shape", [(50, 6), (8, 15)])
def test_equals_ridge_svd_over_alpha_grid(fit_intercept, weighted, targets, shape):
    X, y, w = random_problem(*shape, targets=targets, seed=1)
    w = w if weighted else None
    for alpha in [1e-6, 1e-2, 1.0, 10.0, 1e4]:
        ref = Ridge(alpha=alpha, solver="svd", fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
        reg = TikhonovRegressor(alpha=alpha, tol=0.0, fit_intercept=fit_intercept).fit(
            X, y, sample_weight=w)
        np.testing.assert_allclose(reg.coef_, ref.coef_, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(reg.intercept_, ref.intercept_, rtol=1e-9, atol=1e-12)


def test_per_target_alpha_equals_ridge():
    X, y, _ = random_problem(30, 4, targets=3)
    alphas = np.array([0.1, 1.0, 50.0])
    ref = Ridge(alpha=alphas, solver="svd").fit(X, y)
    reg = TikhonovRegressor(alpha=alphas, tol=0.0).fit(X, y)
    np.testing.assert_allclose(reg.coef_, ref.coef_, rtol=1e-10)
    assert reg.effective_dof_.shape == (3,)
    assert np.all(np.diff(reg.effective_dof_) < 0)  # more shrinkage, fewer dof


def test_alpha_zero_is_pinv_and_filter_factors():
    X, y = polynomial()
    for tol in ["matlab", "sqrt-eps", 1e-4]:
        tik = TikhonovRegressor(alpha=0.0, tol=tol).fit(X, y)
        pin = PinvRegressor(tol=tol).fit(X, y)
        np.testing.assert_array_equal(tik.coef_, pin.coef_)
        assert tik.rank_ == pin.rank_ == pin.effective_dof_
    reg = TikhonovRegressor(alpha=2.0, tol=0.0).fit(X, y)
    s = reg.singular_values_
    np.testing.assert_allclose(reg.filter_factors_, s**2 / (s**2 + 2.0), rtol=1e-12)


# --- rank deficiency and the factorization ------------------------------------------


def test_duplicate_columns_share_the_coefficient_and_zero_columns_get_zero():
    X, y, _ = random_problem(30, 3)
    X_dup = np.column_stack([X, X[:, 0], np.zeros(30)])
    reg = PinvRegressor().fit(X_dup, y)
    full = LinearRegression().fit(X, y)
    assert reg.rank_ == 3
    np.testing.assert_allclose(reg.coef_[[0, 3]], full.coef_[0] / 2, rtol=1e-10)
    np.testing.assert_allclose(reg.coef_[1:3], full.coef_[1:], rtol=1e-10)
    assert reg.coef_[4] == 0.0
    np.testing.assert_allclose(reg.predict(X_dup), full.predict(X), rtol=1e-10)


def test_minimum_norm_on_wide_data_matches_numpy_pinv():
    X, y, _ = random_problem(8, 20)
    reg = PinvRegressor().fit(X, y)
    Xc, yc = X - X.mean(0), y - y.mean()
    np.testing.assert_allclose(reg.coef_, np.linalg.pinv(Xc) @ yc, rtol=1e-10)
    assert reg.solver_ == "lq+gesdd"  # QR of Xc^T, SVD of the m x m triangle
    np.testing.assert_allclose(reg.predict(X), y, rtol=1e-10)  # interpolates


def test_factorization_gives_other_tolerances_without_refitting():
    X, y = polynomial()
    # precision="fast": the plain spectral solution, without refinement.
    reg = PinvRegressor(tol="matlab", precision="fast").fit(X, y)
    fact = reg.factorization_
    assert reg.solver_ == "qr+gesdd"
    for k in range(1, 9):
        mask = np.arange(fact.singular_values.size) < k
        coef = fact.solve(mask.astype(float))[:, 0]  # filter factors 1 on the first k
        refit = PinvRegressor(tol=FixedRank(k), precision="fast").fit(X, y)
        np.testing.assert_allclose(coef, refit.coef_, rtol=1e-12)


# --- odd but valid input --------------------------------------------------------------


def test_all_zero_X_predicts_weighted_mean():
    y = np.array([1.0, 2.0, 6.0])
    w = np.array([1.0, 1.0, 2.0])
    for tol in ["octave", "scipy", 0.0]:
        reg = PinvRegressor(tol=tol).fit(np.zeros((3, 2)), y, sample_weight=w)
        assert reg.rank_ == 0
        np.testing.assert_allclose(reg.predict(np.ones((2, 2))), np.average(y, weights=w))


def test_one_sample_and_constant_column():
    reg = PinvRegressor().fit([[1.0, 2.0]], [5.0])
    assert reg.rank_ == 0 and reg.predict([[3.0, 4.0]])[0] == 5.0
    X, y, _ = random_problem(20, 3)
    X[:, 1] = 7.0
    reg = PinvRegressor().fit(X, y)
    assert reg.coef_[1] == 0.0
    np.testing.assert_allclose(reg.coef_[[0, 2]], LinearRegression().fit(X[:, [0, 2]], y).coef_, rtol=1e-10)


@pytest.mark.parametrize("scale", [1e150, 1e-150])
def test_extreme_magnitudes(scale):
    X, y, _ = random_problem(30, 3)
    ref = PinvRegressor().fit(X, y)
    reg = PinvRegressor().fit(X * scale, y)
    assert np.all(np.isfinite(reg.coef_))
    np.testing.assert_allclose(reg.coef_ * scale, ref.coef_, rtol=1e-12)
    np.testing.assert_allclose(reg.intercept_, ref.intercept_, rtol=1e-12)
    reg = TikhonovRegressor(alpha=1e-300 if scale < 1 else 1.0, tol=0.0).fit(X * scale, y * scale)
    assert np.all(np.isfinite(reg.coef_))


def test_float32_stays_float32_with_float32_eps():
    X, y, _ = random_problem(50, 4)
    reg = PinvRegressor().fit(X.astype(np.float32), y.astype(np.float32))
    assert reg.coef_.dtype == np.float32 and reg.singular_values_.dtype == np.float32
    assert reg.predict(X.astype(np.float32)).dtype == np.float32
    expected = 50 * np.finfo(np.float32).eps * reg.singular_values_.max()
    assert reg.threshold_ == pytest.approx(expected, rel=1e-6)
    np.testing.assert_allclose(reg.coef_, LinearRegression().fit(X, y).coef_, rtol=1e-4)


def test_pandas_feature_names_and_pickle_and_html_repr():
    pd = pytest.importorskip("pandas")
    X, y, _ = random_problem(20, 3)
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    reg = TikhonovRegressor(alpha=0.5, tol=FixedRank(2)).fit(df, pd.Series(y))
    assert list(reg.feature_names_in_) == ["a", "b", "c"]
    clone = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(clone.predict(df), reg.predict(df))
    assert "TikhonovRegressor" in reg._repr_html_() and "FixedRank(k=2)" in repr(reg)


def test_inputs_are_not_mutated_and_copy_X_false_works_in_place():
    X, y, w = random_problem(60, 4)
    Xf, y0, w0 = np.asfortranarray(X), y.copy(), w.copy()
    before = Xf.copy()
    ref = PinvRegressor().fit(Xf, y, sample_weight=w)
    np.testing.assert_array_equal(Xf, before)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(w, w0)
    reg = PinvRegressor(copy_X=False).fit(Xf, y, sample_weight=w)
    np.testing.assert_allclose(reg.coef_, ref.coef_, rtol=1e-12)


# --- model selection --------------------------------------------------------------


def test_grid_search_over_alpha_and_tol_in_a_pipeline():
    X, y = polynomial(80, 10)
    grid = {
        "tikhonovregressor__alpha": [0.0, 1e-6, 1e-3, 1.0],
        "tikhonovregressor__tol": ["matlab", "numpy", 1e-8, FixedRank(4)],
    }
    search = GridSearchCV(make_pipeline(StandardScaler(), TikhonovRegressor()), grid, cv=4)
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 16
    shown = {repr(p) for p in search.cv_results_["param_tikhonovregressor__tol"]}
    assert "FixedRank(k=4)" in shown and "'matlab'" in shown
    # The search's best candidate scores as a manual refit on the same folds does.
    best = search.best_params_
    manual = GridSearchCV(
        make_pipeline(StandardScaler(), TikhonovRegressor()),
        {k: [v] for k, v in best.items()}, cv=4,
    ).fit(X, y)
    assert manual.best_score_ == pytest.approx(search.best_score_, rel=1e-12)
    assert resolve(best["tikhonovregressor__tol"]) is not None
