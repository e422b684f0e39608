"""TikhonovClassifierCV / PinvClassifierCV against RidgeClassifierCV, GridSearchCV and refits."""

import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.linear_model import RidgeClassifier, RidgeClassifierCV
from sklearn.metrics import accuracy_score, make_scorer, roc_auc_score
from sklearn.model_selection import GridSearchCV, KFold, LeaveOneOut, StratifiedKFold
from sklearn.utils.class_weight import compute_sample_weight

from _versions import GRID_SEARCH_WEIGHTS_SCORES
from sklearn_pinv import (
    GridEdgeWarning,
    PinvClassifier,
    PinvClassifierCV,
    TikhonovClassifier,
    TikhonovClassifierCV,
)

ALPHAS = np.logspace(-3, 3, 13)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn_pinv.GridEdgeWarning")


def problem(n_classes=3, m=60, n=8, seed=0, flip=0.2):
    X, y = make_classification(m, n, n_informative=4, n_redundant=2, n_classes=n_classes,
                               flip_y=flip, random_state=seed)
    return X, np.array(["ant", "bee", "cat", "dog"])[y]  # string labels, as users have


def weights(kind, m, seed=0):
    """``(sample_weight, class_weight)`` of a kind of weighting."""
    sw = np.random.default_rng(seed).uniform(0.3, 3, m) if kind in ("sample", "both") else None
    cw = {"balanced": "balanced", "both": {"ant": 2.0, "bee": 0.5}}.get(kind)
    return sw, cw


def assert_same_model(ours, ref, X):
    np.testing.assert_array_equal(ours.classes_, ref.classes_)
    assert ours.coef_.shape == ref.coef_.shape
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X),
                               rtol=1e-8, atol=1e-10)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


# --------------------------------------------------------------- the twin
@pytest.mark.parametrize("n_classes", [2, 3, 4])
@pytest.mark.parametrize("weighting", [None, "sample", "balanced", "both"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_loo_mse_picks_what_ridge_classifier_cv_picks(n_classes, weighting, fit_intercept):
    X, y = problem(n_classes, seed=n_classes)
    sw, cw = weights(weighting, len(y))
    kw = {"alphas": ALPHAS, "class_weight": cw, "fit_intercept": fit_intercept}
    ref = RidgeClassifierCV(store_cv_results=True, **kw).fit(X, y, sample_weight=sw)
    ours = TikhonovClassifierCV(tols=("ridge",), store_cv_results=True, **kw)
    ours.fit(X, y, sample_weight=sw)
    assert ours.alpha_ == ref.alpha_
    np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-9)
    # The squared (weighted) LOO errors of each indicator column, per alpha.
    np.testing.assert_allclose(ours.loo_values_, ref.cv_results_, rtol=1e-8, atol=1e-12)
    assert_same_model(ours, ref, X)


@pytest.mark.parametrize("n_classes", [3, 4])
@pytest.mark.parametrize("weighting", [None, "sample", "balanced", "both"])
def test_loo_accuracy_picks_what_ridge_classifier_cv_picks(n_classes, weighting):
    X, y = problem(n_classes, seed=10 + n_classes)
    sw, cw = weights(weighting, len(y), seed=1)
    kw = {"alphas": ALPHAS, "class_weight": cw, "scoring": "accuracy"}
    ref = RidgeClassifierCV(store_cv_results=True, **kw).fit(X, y, sample_weight=sw)
    ours = TikhonovClassifierCV(tols=("ridge",), store_cv_results=True, **kw)
    ours.fit(X, y, sample_weight=sw)
    assert ours.alpha_ == ref.alpha_
    assert ours.best_score_ == pytest.approx(ref.best_score_, rel=1e-12)
    # With a scorer both store the leave-one-out decision values.
    np.testing.assert_allclose(ours.loo_values_, ref.cv_results_, rtol=1e-8, atol=1e-10)
    assert_same_model(ours, ref, X)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_loo_accuracy_equals_leave_one_out_refits(n_classes):
    """Binary too, where RidgeClassifierCV(cv=None) scores every alpha 1.0 (sklearn #34942)."""
    X, y = problem(n_classes, m=40, seed=20 + n_classes, flip=0.3)
    ours = TikhonovClassifierCV(alphas=ALPHAS, tols=("ridge",), scoring="accuracy").fit(X, y)
    search = GridSearchCV(RidgeClassifier(solver="svd"), {"alpha": ALPHAS}, cv=LeaveOneOut(),
                          scoring="accuracy").fit(X, y)
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"],
                               search.cv_results_["mean_test_score"], rtol=1e-12)
    assert ours.alpha_ == search.best_params_["alpha"]
    assert 0.5 < ours.best_score_ < 1.0


def test_weighted_binary_loo_accuracy_equals_weighted_refits():
    X, y = problem(2, m=30, seed=31, flip=0.3)
    sw, _ = weights("sample", len(y), seed=2)
    ours = TikhonovClassifierCV(alphas=ALPHAS, tols=("ridge",), scoring="accuracy",
                                class_weight="balanced").fit(X, y, sample_weight=sw)
    w = sw * (len(y) / (2 * np.bincount(y == "bee")))[(y == "bee").astype(int)]  # balanced
    scores = []
    for alpha in ALPHAS:
        pred = np.empty_like(y)
        for j in range(len(y)):
            keep = np.arange(len(y)) != j
            clf = RidgeClassifier(alpha=alpha, solver="svd").fit(X[keep], y[keep],
                                                                 sample_weight=w[keep])
            pred[j] = clf.predict(X[j:j + 1])[0]
        scores.append(accuracy_score(y, pred, sample_weight=w))
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"], scores, rtol=1e-12)
    assert ours.alpha_ == ALPHAS[int(np.argmax(scores))]


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("scoring", [None, "accuracy", "balanced_accuracy"])
@pytest.mark.parametrize("weighting", [None, "both"])
def test_kfold_picks_what_ridge_classifier_cv_picks(n_classes, scoring, weighting):
    if weighting and not GRID_SEARCH_WEIGHTS_SCORES:
        pytest.skip("scikit-learn 1.6's GridSearchCV (and RidgeClassifierCV) scores unweighted")
    X, y = problem(n_classes, m=80, seed=40 + n_classes)
    sw, cw = weights(weighting, len(y), seed=3)
    kw = {"alphas": ALPHAS, "class_weight": cw, "scoring": scoring, "cv": 5}
    ref = RidgeClassifierCV(**kw).fit(X, y, sample_weight=sw)
    ours = TikhonovClassifierCV(tols=("ridge",), **kw).fit(X, y, sample_weight=sw)
    assert ours.alpha_ == ref.alpha_
    assert ours.best_score_ == pytest.approx(ref.best_score_, rel=1e-12)
    assert_same_model(ours, RidgeClassifier(alpha=ours.alpha_, solver="svd", class_weight=cw)
                      .fit(X, y, sample_weight=sw), X)
    # Every split of every candidate: GridSearchCV over RidgeClassifier, stratified folds.
    search = GridSearchCV(RidgeClassifier(solver="svd"), {"alpha": ALPHAS}, cv=5,
                          scoring=scoring or "accuracy")
    search.fit(X, y, sample_weight=None if weighting is None else folded_weights(cw, y, sw))
    for key in ("mean_test_score", "split0_test_score", "split4_test_score",
                "rank_test_score"):
        np.testing.assert_allclose(ours.cv_results_[key], search.cv_results_[key], rtol=1e-12)


def folded_weights(class_weight, y, sw):
    """``sample_weight`` times the ``class_weight`` weights, as RidgeClassifierCV folds them."""
    return sw * compute_sample_weight(class_weight, y)


def test_multilabel_loo_as_ridge_classifier_cv():
    X, Y = make_multilabel_classification(60, 8, n_classes=3, random_state=0)
    ref = RidgeClassifierCV(alphas=ALPHAS).fit(X, Y)
    ours = TikhonovClassifierCV(alphas=ALPHAS, tols=("ridge",)).fit(X, Y)
    assert ours.alpha_ == ref.alpha_
    assert_same_model(ours, ref, X)
    # Scored as a classifier: the sign of each column against each label (KFold splits).
    cv = KFold(4)
    ours = TikhonovClassifierCV(alphas=ALPHAS, tols=("ridge",), cv=cv).fit(X, Y)
    search = GridSearchCV(RidgeClassifier(solver="svd"), {"alpha": ALPHAS}, cv=cv).fit(X, Y)
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"],
                               search.cv_results_["mean_test_score"], rtol=1e-12)


# ------------------------------------------------- the search of tolerances
def test_tols_and_alphas_kfold_equal_gridsearchcv_of_the_classifier():
    X, y = problem(3, m=70, n=12, seed=50)
    X[:, 6:] = X[:, :6] @ np.random.default_rng(0).standard_normal((6, 6)) * 1e-3 + \
        1e-6 * X[:, 6:]  # near-dependent columns: the tolerances matter
    tols, cv = ["scipy", 1e-4, 1e-2], StratifiedKFold(4, shuffle=True, random_state=0)
    ours = TikhonovClassifierCV(alphas=ALPHAS, tols=tols, cv=cv).fit(X, y)
    ref = GridSearchCV(TikhonovClassifier(), {"alpha": ALPHAS, "tol": tols}, cv=cv).fit(X, y)
    for key in ("mean_test_score", "std_test_score", "split3_test_score", "rank_test_score"):
        np.testing.assert_allclose(ours.cv_results_[key], ref.cv_results_[key], rtol=1e-12)
    assert ours.cv_results_["params"] == ref.cv_results_["params"]
    assert {"alpha": ours.alpha_, "tol": ours.tol_} == ref.best_params_
    assert_same_model(ours, ref.best_estimator_, X)

    pinv = PinvClassifierCV(tols=tols, cv=cv).fit(X, y)
    ref = GridSearchCV(PinvClassifier(), {"tol": tols}, cv=cv).fit(X, y)
    np.testing.assert_allclose(pinv.cv_results_["mean_test_score"],
                               ref.cv_results_["mean_test_score"], rtol=1e-12)
    assert pinv.tol_ == ref.best_params_["tol"] and pinv.alpha_ == 0.0
    assert pinv.rank_ == ref.best_estimator_.rank_
    assert_same_model(pinv, ref.best_estimator_, X)


def test_a_scorer_of_decision_values():
    """roc_auc reads the binary decision function: 1-D, as RidgeClassifier's."""
    X, y = problem(2, m=50, seed=60, flip=0.3)
    cv = StratifiedKFold(5)
    ours = TikhonovClassifierCV(alphas=ALPHAS, tols=("ridge",), cv=cv, scoring="roc_auc")
    ours.fit(X, y)
    ref = GridSearchCV(RidgeClassifier(solver="svd"), {"alpha": ALPHAS}, cv=cv,
                       scoring="roc_auc").fit(X, y)
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"],
                               ref.cv_results_["mean_test_score"], rtol=1e-12)
    pos = make_scorer(roc_auc_score, response_method="decision_function")
    loo = TikhonovClassifierCV(alphas=ALPHAS, tols=("ridge",), scoring=pos).fit(X, y)
    stored = TikhonovClassifierCV(alphas=ALPHAS, tols=("ridge",), scoring="roc_auc",
                                  store_cv_results=True).fit(X, y).loo_values_
    auc = [roc_auc_score(y, stored[:, 0, i]) for i in range(ALPHAS.size)]
    np.testing.assert_allclose(loo.cv_results_["mean_test_score"], auc, rtol=1e-12)


# ------------------------------------------------------------ containers
def test_sparse_and_float32():
    X, y = problem(3, m=60, n=10, seed=70)
    dense = TikhonovClassifierCV(alphas=ALPHAS).fit(X, y)
    for fmt in ("csr", "csc", "coo"):
        ours = TikhonovClassifierCV(alphas=ALPHAS).fit(sparse.csr_matrix(X).asformat(fmt), y)
        assert ours.alpha_ == dense.alpha_
        np.testing.assert_allclose(ours.decision_function(X), dense.decision_function(X),
                                   rtol=1e-9, atol=1e-12)
    single = TikhonovClassifierCV(alphas=ALPHAS).fit(X.astype(np.float32), y)
    assert single.coef_.dtype == np.float32 and single.alpha_ == dense.alpha_


def test_wide_data_and_the_default_grid():
    X, y = problem(4, m=40, n=300, seed=80)
    ours = TikhonovClassifierCV(tols=("ridge",)).fit(X, y)
    ref = RidgeClassifierCV(alphas=ours.alphas_).fit(X, y)
    assert ours.alphas_.size == 50 and ours.alpha_ == ref.alpha_
    assert_same_model(ours, ref, X)


# ------------------------------------------------------------- bad input
def test_bad_input():
    X, y = problem(2)
    with pytest.raises(ValueError, match="continuous"):
        TikhonovClassifierCV().fit(X, np.linspace(0, 1, len(y)))
    with pytest.raises(ValueError, match="class_weight"):
        TikhonovClassifierCV(class_weight="even").fit(X, y)
    with pytest.raises(ValueError, match="incompatible"):
        TikhonovClassifierCV(cv=3, store_cv_results=True).fit(X, y)
    with pytest.raises(ValueError, match="alphas"):
        TikhonovClassifierCV(alphas=[1.0, -1.0]).fit(X, y)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        TikhonovClassifierCV(alphas=[1e-3, 1e-2]).fit(X, y)
    assert any(w.category is GridEdgeWarning for w in caught)
