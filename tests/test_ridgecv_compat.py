"""scikit-learn's own RidgeCV checks, run on TikhonovCV.

Adapted from the RidgeCV tests of scikit-learn's
``sklearn/linear_model/tests/test_ridge.py`` (same scenarios and references,
rewritten here): ``RidgeCV(...)`` becomes ``TikhonovCV(tols=("ridge",), ...)``
(``tol="ridge"`` is ``Ridge(solver="svd")``'s absolute 1e-15 cut), and
``cv_results_`` of ``store_cv_results=True`` becomes ``loo_values_``. Sparse
inputs run where scikit-learn runs them and, since TikhonovCV's leave-one-out
takes sparse X with an intercept too, there as well. Where scikit-learn's own
tolerance is loose (``rtol=1e-3`` against a k-fold on tiled data, ``1e-6``
against naive refits on a narrow alpha range) ours is checked tighter, on a
wider range.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import sparse
from sklearn.datasets import load_diabetes, make_regression
from sklearn.linear_model import LinearRegression, Ridge, RidgeCV
from sklearn.metrics import make_scorer, mean_squared_error
from sklearn.model_selection import GridSearchCV, GroupKFold, KFold, LeaveOneOut, cross_val_predict

from sklearn_pinv import GridEdgeWarning, TikhonovCV

CONTAINERS = [np.asarray, sparse.csr_matrix, sparse.csr_array]
RIDGE_ALPHAS = (0.1, 1.0, 10.0)  # RidgeCV's default grid


def tikhonov_cv(**params):
    """TikhonovCV standing in for RidgeCV: Ridge's cut, RidgeCV's default grid."""
    params.setdefault("alphas", RIDGE_ALPHAS)
    return TikhonovCV(tols=("ridge",), **params)


@pytest.fixture(autouse=True)
def _edges_are_expected():
    # Small grids whose picks lie on an edge are the point of several tests.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GridEdgeWarning)
        yield


def offset_regression(n_samples, n_features, n_targets=1, noise=30.0, n_informative=10,
                      seed=0):
    """Regression data with a large column offset and half the entries zeroed.

    The zeroed entries are taken out of y too, so the model stays exact
    (as scikit-learn's ``_make_sparse_offset_regression``).
    """
    X, y, coef = make_regression(n_samples=n_samples, n_features=n_features,
                                 n_informative=min(n_informative, n_features),
                                 n_targets=n_targets, bias=13.0, noise=noise,
                                 shuffle=False, coef=True, random_state=seed)
    X = X + 30.0
    kept = np.random.RandomState(seed).binomial(1, 0.5, X.shape) > 0
    y = y - np.where(kept, 0.0, X) @ coef
    return np.where(kept, X, 0.0), y


# ------------------------------------------------------- LOO vs k-fold LOO
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("container", CONTAINERS[:2], ids=["dense", "csr"])
@pytest.mark.parametrize("X_shape", [(11, 8), (11, 20)], ids=["tall", "wide"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("y_shape, noise", [((11,), 1.0), ((11, 1), 30.0), ((11, 3), 150.0)])
def test_loo_equals_ridgecv_with_n_splits_folds(dtype, container, X_shape, fit_intercept,
                                                y_shape, noise):
    n_targets = y_shape[-1] if len(y_shape) == 2 else 1
    X, y = offset_regression(*X_shape, n_targets=n_targets, noise=noise, n_informative=5)
    y = y.reshape(y_shape)
    alphas = [1e-3, 0.1, 1.0, 10.0, 1e3]
    loo = RidgeCV(cv=X_shape[0], fit_intercept=fit_intercept, alphas=alphas,
                  scoring="neg_mean_squared_error").fit(X, y)
    ours = tikhonov_cv(fit_intercept=fit_intercept, alphas=alphas)
    ours.fit(container(X).astype(dtype), y.astype(dtype))
    atol = 1e-5 if dtype == np.float32 else 1e-10
    assert ours.alpha_ == pytest.approx(loo.alpha_)
    assert_allclose(ours.coef_, loo.coef_, atol=atol)
    assert_allclose(ours.intercept_, loo.intercept_, atol=atol)


def test_loo_with_an_asymmetric_scorer_equals_loo_folds():
    X, y = offset_regression(10, 5, noise=1, n_informative=5)
    alphas = [1e-3, 0.1, 1.0, 10.0, 1e3]
    loo = RidgeCV(cv=10, alphas=alphas, scoring="explained_variance").fit(X, y)
    ours = tikhonov_cv(alphas=alphas, scoring="explained_variance").fit(X, y)
    assert ours.alpha_ == pytest.approx(loo.alpha_)
    assert_allclose(ours.coef_, loo.coef_, rtol=1e-9)
    assert_allclose(ours.intercept_, loo.intercept_, rtol=1e-9)


# ---------------------------------------------------- regularisation limits
@pytest.mark.parametrize("alpha", [1e-16, 1e16], ids=["zero_alpha", "inf_alpha"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("X_shape", [(100, 50), (50, 50), (50, 100)],
                         ids=["tall", "square", "wide"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("container", CONTAINERS[:2], ids=["dense", "csr"])
def test_regularisation_limits(alpha, fit_intercept, X_shape, dtype, container):
    X, y = make_regression(n_samples=X_shape[0], n_features=X_shape[1], noise=0, bias=10,
                           random_state=42)
    if alpha < 1:  # least squares (minimum norm on wide X)
        ref = LinearRegression(fit_intercept=fit_intercept).fit(X, y)
        coef, intercept = ref.coef_, ref.intercept_
    else:
        coef, intercept = np.zeros(X.shape[1]), (y.mean() if fit_intercept else 0.0)
    ours = tikhonov_cv(alphas=[alpha], fit_intercept=fit_intercept)
    ours.fit(container(X).astype(dtype), y.astype(dtype))
    atol = 1e-5 if dtype == np.float32 else 1e-10
    assert_allclose(ours.coef_, coef, atol=atol)
    assert_allclose(ours.intercept_, intercept, atol=atol)


# ---------------------------------------------------------- sample weights
@pytest.mark.parametrize("container", CONTAINERS, ids=["dense", "csr", "csr_array"])
@pytest.mark.parametrize("n_features", [8, 20])
@pytest.mark.parametrize("y_shape, fit_intercept, noise", [
    ((11,), True, 1.0), ((11, 1), True, 20.0), ((11, 3), True, 150.0), ((11, 3), False, 30.0),
])
def test_weighted_loo_equals_group_kfold_on_tiled_data(container, n_features, y_shape,
                                                       fit_intercept, noise):
    alphas = [1e-3, 0.1, 1.0, 10.0, 1e3]
    n_targets = y_shape[-1] if len(y_shape) == 2 else 1
    X, y = offset_regression(11, n_features, n_targets=n_targets, noise=noise)
    y = y.reshape(y_shape)
    weight = 3 * np.random.RandomState(0).randn(11)
    weight = (weight - weight.min() + 1).astype(int)
    tiles = np.repeat(np.arange(11), weight)
    cv = GroupKFold(n_splits=11)
    kfold = RidgeCV(alphas=alphas, cv=cv.split(X[tiles], y[tiles], groups=tiles),
                    scoring="neg_mean_squared_error", fit_intercept=fit_intercept)
    kfold.fit(X[tiles], y[tiles])
    pred = cross_val_predict(Ridge(alpha=kfold.alpha_, fit_intercept=fit_intercept),
                             X[tiles], y[tiles], cv=cv.split(X[tiles], y[tiles], groups=tiles))
    sq = (y[tiles] - pred.reshape(y[tiles].shape)) ** 2
    errors = np.array([sq[tiles == i].sum(axis=0) for i in range(11)])
    ours = tikhonov_cv(alphas=alphas, store_cv_results=True, fit_intercept=fit_intercept)
    ours.fit(container(X), y, sample_weight=weight.astype(float))
    values = ours.loo_values_[..., alphas.index(kfold.alpha_)]
    assert ours.alpha_ == pytest.approx(kfold.alpha_)
    assert_allclose(values, errors, rtol=1e-7)  # scikit-learn's own check: rtol=1e-3
    assert_allclose(ours.coef_, kfold.coef_, rtol=1e-7)
    assert_allclose(ours.intercept_, kfold.intercept_, rtol=1e-7)


@pytest.mark.parametrize("X_shape", [(6, 5), (5, 10)])
def test_weighted_kfold_equals_gridsearchcv(X_shape):
    rng = np.random.RandomState(0)
    y, X = rng.randn(X_shape[0]), rng.randn(*X_shape)
    weight = 1.0 + rng.rand(X_shape[0])
    cv = KFold(5)
    ours = tikhonov_cv(cv=cv).fit(X, y, sample_weight=weight)
    gs = GridSearchCV(Ridge(), {"alpha": RIDGE_ALPHAS}, cv=cv).fit(X, y, sample_weight=weight)
    assert ours.alpha_ == gs.best_estimator_.alpha
    assert_allclose(ours.coef_, gs.best_estimator_.coef_, rtol=1e-9)


@pytest.mark.parametrize("X_shape", [(50, 10), (10, 50)], ids=["tall", "wide"])
def test_multioutput_weighted_best_score_is_the_naive_loo(X_shape):
    X, y = make_regression(n_samples=X_shape[0], n_features=X_shape[1], n_targets=2,
                           random_state=0)
    ours = tikhonov_cv(scoring="neg_mean_squared_error", store_cv_results=True)
    ours.fit(X, y, sample_weight=np.ones(X_shape[0]))
    ridge = Ridge(alpha=ours.alpha_)
    pred = np.squeeze([ridge.fit(X[tr], y[tr]).predict(X[te]) for tr, te in LeaveOneOut().split(X)])
    assert_allclose(ours.best_score_, -mean_squared_error(y, pred), rtol=1e-9)


@pytest.mark.parametrize("X_shape", [(50, 10), (10, 50)], ids=["tall", "wide"])
def test_custom_multioutput_scorer(X_shape):
    X, y = make_regression(n_samples=X_shape[0], n_features=X_shape[1], n_targets=2,
                           random_state=0)

    def weighted_error(y_true, y_pred):  # the second target counts twice
        return -np.average(np.mean((y_true - y_pred) ** 2, axis=0), weights=[2, 1])

    ours = tikhonov_cv(scoring=lambda est, X_, y_: -weighted_error(y_, est.predict(X_)))
    ours.fit(X, y)
    ridge = Ridge(alpha=ours.alpha_)
    pred = np.squeeze([ridge.fit(X[tr], y[tr]).predict(X[te]) for tr, te in LeaveOneOut().split(X)])
    assert_allclose(ours.best_score_, -weighted_error(y, pred), rtol=1e-9)


# --------------------------------------------------- stored LOO values
@pytest.mark.parametrize("X_shape", [(50, 10), (10, 50)], ids=["tall", "wide"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("n_targets", [1, 2])
@pytest.mark.parametrize("container", CONTAINERS[:2], ids=["dense", "csr"])
def test_stored_predictions_equal_naive_loo(X_shape, weighted, fit_intercept, n_targets,
                                            container):
    X, y = make_regression(n_samples=X_shape[0], n_features=X_shape[1], n_targets=n_targets,
                           random_state=0)
    weight = None
    if weighted:
        weight = np.ones(X.shape[0])
        weight[::2] = 0.5
    # scikit-learn keeps 1e-5..1e7 ("widening the range causes failures"): wider here.
    alphas = np.logspace(-9, 7, 9)
    ours = tikhonov_cv(alphas=alphas, scoring="neg_mean_squared_error",
                       fit_intercept=fit_intercept, store_cv_results=True)
    ours.fit(container(X), y, sample_weight=weight)
    expected = np.empty((*y.shape, alphas.size))
    for i, alpha in enumerate(alphas):
        for j, (train, test) in enumerate(LeaveOneOut().split(X)):
            kw = {} if weight is None else {"sample_weight": weight[train]}
            ridge = Ridge(alpha=alpha, fit_intercept=fit_intercept, solver="svd")
            expected[j, ..., i] = ridge.fit(X[train], y[train], **kw).predict(X[test])
    assert_allclose(ours.loo_values_, expected, rtol=1e-8, atol=1e-10 * np.abs(y).max())


@pytest.mark.parametrize("scoring", [None, "neg_mean_squared_error",
                                     make_scorer(lambda a, b: -np.mean((a - b) ** 2))])
def test_store_cv_results_shapes_and_incompatible_cv(scoring):
    rng = np.random.RandomState(42)
    X, alphas = rng.randn(8, 5), [1e-1, 1e0, 1e1]
    est = tikhonov_cv(alphas=alphas, store_cv_results=True, scoring=scoring)
    assert est.fit(X, rng.randn(8)).loo_values_.shape == (8, 3)
    assert est.fit(X, rng.randn(8, 3)).loo_values_.shape == (8, 3, 3)
    with pytest.raises(ValueError, match="cv!=None and store_cv_results"):
        tikhonov_cv(cv=3, store_cv_results=True).fit(X, rng.randn(8, 3))


def test_integer_arrays_are_scored_as_floats():
    rng = np.random.RandomState(0)
    X, y = rng.randint(0, 5, size=(20, 10)), rng.randint(0, 5, size=20)
    ints = tikhonov_cv(scoring="neg_mean_squared_error", store_cv_results=True).fit(X, y)
    floats = tikhonov_cv(scoring="neg_mean_squared_error", store_cv_results=True).fit(
        X.astype(float), y.astype(float))
    assert_allclose(ints.coef_, floats.coef_)
    assert_allclose(ints.loo_values_, floats.loo_values_)
    assert ints.loo_values_.dtype == np.float64


def test_values_not_stored_by_default_and_best_score_is_a_float():
    X, y = make_regression(n_samples=6, random_state=42)
    for cv in (None, 3):
        est = tikhonov_cv(cv=cv).fit(X, y)
        assert not hasattr(est, "loo_values_") and isinstance(est.best_score_, float)


# ----------------------------------------------------- per-target alphas
def test_alpha_per_target():
    rng = np.random.RandomState(42)
    y = rng.randn(20, 3)
    X = (y[:, [0]] @ np.ones((1, 5)) + y[:, [1]] @ (0.05 * np.ones((1, 5)))
         + y[:, [2]] @ (0.001 * np.ones((1, 5))) + rng.randn(20, 5))
    alphas = (1, 100, 1000)
    optimal = [tikhonov_cv(alphas=alphas).fit(X, target).alpha_ for target in y.T]
    assert optimal == [RidgeCV(alphas=alphas).fit(X, target).alpha_ for target in y.T]
    ours = tikhonov_cv(alphas=alphas, alpha_per_target=True, store_cv_results=True).fit(X, y)
    assert_allclose(ours.alpha_, optimal)
    assert_allclose(Ridge(alpha=ours.alpha_).fit(X, y).coef_, ours.coef_, rtol=1e-9)
    assert ours.best_score_.shape == (3,) and ours.loo_values_.shape == (20, 3, 3)
    one = tikhonov_cv(alphas=1, alpha_per_target=True, store_cv_results=True).fit(X, y)
    assert one.alpha_.shape == (3,) and one.loo_values_.shape == (20, 3, 1)
    single = tikhonov_cv(alphas=alphas, alpha_per_target=True, store_cv_results=True)
    single.fit(X, y[:, 0])
    assert np.isscalar(single.alpha_) and np.isscalar(single.best_score_)
    assert single.loo_values_.shape == (20, 3)
    r2 = tikhonov_cv(alphas=alphas, alpha_per_target=True, scoring="r2").fit(X, y)
    assert_allclose(r2.alpha_, RidgeCV(alphas=alphas, alpha_per_target=True,
                                       scoring="r2").fit(X, y).alpha_)


# --------------------------------------------------------------- diabetes
@pytest.mark.parametrize("container", CONTAINERS, ids=["dense", "csr", "csr_array"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_diabetes_same_alpha_with_any_mse_scorer_and_unit_weights(container, fit_intercept):
    X, y = load_diabetes(return_X_y=True)
    X = container(X)
    alpha = tikhonov_cv(fit_intercept=fit_intercept).fit(X, y).alpha_
    assert alpha == RidgeCV(fit_intercept=fit_intercept).fit(X, y).alpha_
    scorers = [make_scorer(mean_squared_error, greater_is_better=False),
               make_scorer(lambda a, b: -mean_squared_error(a, b))]
    for scorer in scorers:
        assert tikhonov_cv(fit_intercept=fit_intercept, scoring=scorer).fit(X, y).alpha_ == alpha
    est = tikhonov_cv(fit_intercept=fit_intercept)
    assert est.fit(X, y, sample_weight=np.ones(y.size)).alpha_ == alpha
    Y_pred = est.fit(X, np.c_[y, y]).predict(X)
    assert_allclose(np.c_[est.fit(X, y).predict(X)][:, [0, 0]], Y_pred, rtol=1e-10)
