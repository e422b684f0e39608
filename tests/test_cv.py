"""TikhonovCV / PinvCV against brute-force refits, RidgeCV and GridSearchCV."""


import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, Ridge, RidgeCV
from sklearn.metrics import make_scorer, mean_absolute_error
from sklearn.model_selection import GridSearchCV, GroupKFold, KFold

import sklearn_pinv
from _versions import weighted_grid_search
from sklearn_pinv import PinvCV, PinvRegressor, TikhonovCV, TikhonovRegressor
from sklearn_pinv._cv_data import SearchData
from sklearn_pinv.tolerance import FixedRank, GCVRank, LCurveRank

ALPHAS = np.logspace(-3, 3, 9)


def make_data(m=30, n=5, seed=0, targets=None, scales=None, noise=1.0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n)) * (1 if scales is None else np.asarray(scales))
    W = rng.standard_normal((n,) if targets is None else (n, targets))
    y = X @ W + noise * rng.standard_normal(W.shape[1:] and (m, W.shape[1]) or m)
    return X + 3.0, y + 1.0  # an offset: the intercept matters


def brute_loo(make, X, y, w=None):
    """-mean_j w_j (y_j - y_hat_{-j})^2 by refitting without each sample."""
    m = X.shape[0]
    w = np.ones(m) if w is None else w
    err = []
    for j in range(m):
        keep = np.arange(m) != j
        est = make().fit(X[keep], y[keep], sample_weight=w[keep])
        err.append(w[j] * (y[j] - est.predict(X[j : j + 1])[0]) ** 2)
    return -np.mean(err)


@pytest.mark.parametrize("shape", [(25, 4), (12, 20)])  # tall (QR route) and wide
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_loo_equals_brute_force_refits(shape, fit_intercept, weighted):
    X, y = make_data(*shape, seed=1)
    w = np.random.default_rng(2).uniform(0.2, 3, shape[0]) if weighted else None
    alphas = [0.01, 1.0, 30.0]
    reg = TikhonovCV(alphas=alphas, tols=(0.0,), fit_intercept=fit_intercept)
    reg.fit(X, y, sample_weight=w)
    ref = [brute_loo(lambda: Ridge(alpha=a, solver="svd", fit_intercept=fit_intercept), X, y, w)
           for a in alphas]
    np.testing.assert_allclose(reg.cv_results_["mean_test_score"], ref, rtol=1e-8)


def test_loo_of_a_truncation_equals_refits_on_the_kept_directions():
    # The hat-matrix LOO of a truncation keeps the kept directions fixed:
    # the reference is least squares on the fixed features X V_k.
    X, y = make_data(30, 6, seed=3, scales=[1, 1, 1, 1e-3, 1e-3, 1e-3])
    reg = PinvCV(tols=(FixedRank(3),)).fit(X, y)
    V = reg.factorization_.V[:, :3]
    ref = brute_loo(LinearRegression, X @ V, y)
    np.testing.assert_allclose(reg.best_score_, ref, rtol=1e-8)
    assert reg.rank_ == 3


def spy_factor(monkeypatch):
    """The ``keep_U`` of every factorization a search asks for."""
    calls, real = [], SearchData.factor

    def spy(self, rows=None, keep_U=False):
        calls.append(keep_U)
        return real(self, rows, keep_U)

    monkeypatch.setattr(SearchData, "factor", spy)
    return calls


def test_loo_on_ill_conditioned_data_uses_the_true_U(monkeypatch):
    X, y = make_data(40, 5, seed=4, scales=np.logspace(0, -7, 5))
    calls = spy_factor(monkeypatch)
    reg = TikhonovCV(alphas=[1e-12, 1e-6], tols=(0.0,)).fit(X, y)
    assert calls == [False, True]
    ref = [brute_loo(lambda: Ridge(alpha=a, solver="svd"), X, y) for a in (1e-12, 1e-6)]
    np.testing.assert_allclose(reg.cv_results_["mean_test_score"], ref, rtol=1e-6)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("scoring", [None, "r2", "neg_mean_absolute_error"])
def test_same_choice_as_ridgecv(seed, scoring):
    X, y = make_data(40, 6, seed=seed, noise=3.0)
    w = np.random.default_rng(seed).uniform(0.5, 2, 40) if seed % 2 else None
    ours = TikhonovCV(alphas=ALPHAS, tols=(0.0,), scoring=scoring).fit(X, y, sample_weight=w)
    ref = RidgeCV(alphas=ALPHAS, scoring=scoring).fit(X, y, sample_weight=w)
    assert ours.alpha_ == ref.alpha_
    np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-9)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-9)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-9)


def test_alpha_per_target_loo_same_as_ridgecv():
    X, Y = make_data(40, 5, seed=5, targets=3, noise=2.0)
    Y[:, 2] *= 30  # a target that wants a different alpha
    ours = TikhonovCV(alphas=ALPHAS, tols=(0.0,), alpha_per_target=True).fit(X, Y)
    ref = RidgeCV(alphas=ALPHAS, alpha_per_target=True).fit(X, Y)
    np.testing.assert_array_equal(ours.alpha_, ref.alpha_)
    np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-9)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-9)
    assert ours.filter_factors_.shape == (5, 3)


def test_gcv_criterion_picks_the_gcv_minimum():
    X, y = make_data(30, 5, seed=6, noise=2.0)
    reg = TikhonovCV(alphas=ALPHAS, tols=(0.0,), criterion="gcv").fit(X, y)
    m, gcv = X.shape[0], []
    for a in ALPHAS:  # GCV from the trace of the explicit hat matrix
        H = np.column_stack([Ridge(alpha=a).fit(X, e).predict(X) for e in np.eye(m)])
        r = y - H @ y
        gcv.append(m * (r @ r) / np.trace(np.eye(m) - H) ** 2)
    np.testing.assert_allclose(-reg.cv_results_["mean_test_score"], gcv, rtol=1e-9)
    assert reg.alpha_ == ALPHAS[np.argmin(gcv)]
    assert np.isnan(reg.cv_results_["std_test_score"]).all()


TOLS = ["scipy", 1e-2, GCVRank(), LCurveRank(), 0.3]


@pytest.mark.parametrize("scoring", [None, "neg_mean_squared_error",
                                     make_scorer(mean_absolute_error, greater_is_better=False)])
@pytest.mark.parametrize("weighted", [False, True])
def test_kfold_equals_gridsearchcv(scoring, weighted):
    X, y = make_data(40, 5, seed=7, scales=[1, 1, 1, 1e-3, 1e-3], noise=0.5)
    w = np.random.default_rng(7).uniform(0.2, 2, 40) if weighted else None
    cv = KFold(4, shuffle=True, random_state=0)
    ours = TikhonovCV(alphas=ALPHAS, tols=TOLS, cv=cv, scoring=scoring)
    ours.fit(X, y, sample_weight=w)
    ref = weighted_grid_search(TikhonovRegressor(), {"alpha": ALPHAS, "tol": TOLS}, cv, scoring,
                               X, y, w)
    for key in ["mean_test_score", "std_test_score", "split0_test_score", "split3_test_score"]:
        np.testing.assert_allclose(ours.cv_results_[key], ref.cv_results_[key],
                                   rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(ours.cv_results_["rank_test_score"],
                                  ref.cv_results_["rank_test_score"])
    assert ours.cv_results_["params"] == ref.cv_results_["params"]
    assert {"alpha": ours.alpha_, "tol": ours.tol_} == ref.best_params_
    np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-10)
    best = ref.best_estimator_
    np.testing.assert_allclose(ours.coef_, best.coef_, rtol=1e-9, atol=1e-12)
    assert ours.rank_ == best.rank_


def test_pinvcv_kfold_equals_gridsearchcv_and_multitarget():
    X, Y = make_data(36, 6, seed=8, targets=2, scales=[1, 1, 1, 1e-4, 1e-4, 1e-4])
    tols = ["scipy", 1e-6, 1e-2, GCVRank()]
    cv = KFold(3)
    ours = PinvCV(tols=tols, cv=cv).fit(X, Y)
    ref = GridSearchCV(PinvRegressor(), {"tol": tols}, cv=cv).fit(X, Y)
    for key in ["mean_test_score", "std_test_score", "split2_test_score"]:
        np.testing.assert_allclose(ours.cv_results_[key], ref.cv_results_[key], rtol=1e-10)
    assert ours.tol_ == ref.best_params_["tol"] and ours.alpha_ == 0.0
    assert ours.coef_.shape == (2, 6)


def test_alpha_per_target_kfold_equals_per_target_search():
    X, Y = make_data(40, 5, seed=9, targets=2, noise=2.0)
    Y[:, 1] *= 40
    cv = KFold(5)
    ours = TikhonovCV(alphas=ALPHAS, cv=cv, alpha_per_target=True).fit(X, Y)
    for j in range(2):
        ref = GridSearchCV(TikhonovRegressor(), {"alpha": ALPHAS}, cv=cv).fit(X, Y[:, j])
        assert ours.alpha_[j] == ref.best_params_["alpha"]
        np.testing.assert_allclose(ours.best_score_[j], ref.best_score_, rtol=1e-10)
        np.testing.assert_allclose(ours.cv_results_["mean_test_score_per_target"][:, j],
                                   ref.cv_results_["mean_test_score"], rtol=1e-10)
    assert ours.alpha_[0] != ours.alpha_[1]


def test_one_factorization_per_fold(monkeypatch):
    calls = spy_factor(monkeypatch)
    X, y = make_data(50, 4, seed=10)
    TikhonovCV(alphas=np.logspace(-3, 3, 30), tols=TOLS, cv=5).fit(X, y)
    assert len(calls) == 1 + 5  # all the data (grid and refit), then the folds
    calls.clear()
    TikhonovCV(alphas=np.logspace(-3, 3, 30), tols=TOLS).fit(X, y)
    assert len(calls) == 1


def test_fitted_attributes_match_the_base_estimator():
    X, y = make_data(30, 5, seed=11)
    reg = TikhonovCV(alphas=ALPHAS, tols=("scipy", 1e-3)).fit(X, y)
    base = TikhonovRegressor(alpha=reg.alpha_, tol=reg.tol_).fit(X, y)
    for name in ["coef_", "intercept_", "filter_factors_", "effective_dof_",
                 "singular_values_", "threshold_"]:
        np.testing.assert_allclose(getattr(reg, name), getattr(base, name), rtol=1e-9)
    assert reg.rank_ == base.rank_
    np.testing.assert_allclose(reg.predict(X), base.predict(X), rtol=1e-9)
    assert reg.factorization_.U is None


def test_groups_splitter_and_float32():
    X, y = make_data(30, 4, seed=12)
    groups = np.repeat(np.arange(6), 5)
    cv = GroupKFold(3)
    ours = TikhonovCV(alphas=ALPHAS, cv=cv).fit(X, y, groups=groups)
    ref = GridSearchCV(TikhonovRegressor(), {"alpha": ALPHAS}, cv=cv).fit(X, y, groups=groups)
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"],
                               ref.cv_results_["mean_test_score"], rtol=1e-10)
    reg32 = TikhonovCV(alphas=ALPHAS).fit(X.astype(np.float32), y.astype(np.float32))
    assert reg32.coef_.dtype == np.float32


def test_bad_parameters():
    X, y = make_data(20, 3)
    with pytest.raises(ValueError, match="scoring=None"):
        TikhonovCV(criterion="gcv", scoring="r2").fit(X, y)
    with pytest.raises(ValueError, match="alphas"):
        TikhonovCV(alphas=[1.0, np.nan]).fit(X, y)
    with pytest.raises(ValueError, match="Unknown tolerance policy"):
        TikhonovCV(tols=["scipy", "nope"]).fit(X, y)
    with pytest.raises(ValueError, match="at least one"):
        PinvCV(tols=[]).fit(X, y)


def test_single_tol_and_public_names():
    X, y = make_data(20, 3)
    assert PinvCV(tols="octave").fit(X, y).tol_ == "octave"
    assert {"TikhonovCV", "PinvCV", "set_config"} <= set(sklearn_pinv.__all__)


def test_loo_predictions_with_a_zero_weight_sample_and_any_scorer():
    X, y = make_data(20, 3, seed=13)
    w = np.random.default_rng(13).uniform(0.5, 2, 20)
    w[4] = 0.0
    alpha = 0.7

    def max_error_scorer(est, X_, y_):  # takes no sample_weight: scored unweighted
        return -np.max(np.abs(y_ - est.predict(X_)))

    with pytest.warns(UserWarning, match="does not support sample_weight"):
        reg = TikhonovCV(alphas=[alpha], tols=(0.0,), scoring=max_error_scorer)
        reg.fit(X, y, sample_weight=w)
    pred = []
    for j in range(20):
        keep = np.arange(20) != j
        ridge = Ridge(alpha=alpha, solver="svd").fit(X[keep], y[keep], sample_weight=w[keep])
        pred.append(ridge.predict(X[j : j + 1])[0])
    np.testing.assert_allclose(reg.best_score_, -np.max(np.abs(y - np.array(pred))), rtol=1e-9)
