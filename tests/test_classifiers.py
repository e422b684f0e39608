"""PinvClassifier and TikhonovClassifier against scikit-learn's RidgeClassifier and lstsq."""

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.linear_model import RidgeClassifier
from sklearn.preprocessing import LabelBinarizer

from sklearn_pinv import PinvClassifier, TikhonovClassifier


def problem(n_classes=3, m=80, n=6, seed=0, wide=False):
    X, y = make_classification(m, 400 if wide else n, n_informative=4 if not wide else 20,
                               n_redundant=0, n_classes=n_classes, random_state=seed)
    labels = np.array(["ant", "bee", "cat", "dog"])[y]  # string labels, as users have
    return X, labels


@pytest.mark.parametrize("n_classes", [2, 3, 4])
@pytest.mark.parametrize("alpha", [0.0, 1e-3, 1.0, 30.0])
@pytest.mark.parametrize("weights", [None, "sample", "balanced", "dict"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_equals_ridge_classifier(n_classes, alpha, weights, fit_intercept):
    X, y = problem(n_classes, seed=n_classes)
    rng = np.random.default_rng(0)
    sw = rng.uniform(0.5, 2, len(y)) if weights == "sample" else None
    cw = {"balanced": "balanced", "dict": {"ant": 2.0, "bee": 0.5}}.get(weights)
    kw = {"alpha": alpha, "class_weight": cw, "fit_intercept": fit_intercept}
    ref = RidgeClassifier(solver="svd", **kw).fit(X, y, sample_weight=sw)
    ours = TikhonovClassifier(tol="ridge", **kw).fit(X, y, sample_weight=sw)
    np.testing.assert_array_equal(ours.classes_, ref.classes_)
    assert ours.coef_.shape == ref.coef_.shape
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X),
                               rtol=1e-9, atol=1e-11)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert np.shape(ours.intercept_) == np.shape(ref.intercept_)


def test_wide_problem_like_minirocket():
    X, y = problem(5 if False else 4, m=60, wide=True, seed=3)
    ref = RidgeClassifier(alpha=10.0, solver="svd").fit(X, y)
    ours = TikhonovClassifier(alpha=10.0, tol=0.0).fit(X, y)
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X),
                               rtol=1e-9, atol=1e-11)


def test_pinv_classifier_is_least_squares_on_the_indicators():
    X, y = problem(3, m=40, wide=True, seed=4)  # wide: the minimum-norm solution
    Y = LabelBinarizer(pos_label=1, neg_label=-1).fit_transform(y)
    Xc, Yc = X - X.mean(0), Y - Y.mean(0)
    coef = np.linalg.lstsq(Xc, Yc, rcond=None)[0].T
    ours = PinvClassifier().fit(X, y)
    np.testing.assert_allclose(ours.coef_, coef, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.intercept_, Y.mean(0) - X.mean(0) @ coef.T, atol=1e-10)
    assert ours.score(X, y) == 1.0  # more features than samples: it interpolates


def test_multilabel_as_ridge_classifier():
    X, Y = make_multilabel_classification(60, 8, n_classes=3, random_state=0)
    ref = RidgeClassifier(alpha=1.0, solver="svd").fit(X, Y)
    ours = TikhonovClassifier(alpha=1.0, tol="ridge").fit(X, Y)
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), rtol=1e-9)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_a_rule_for_alpha_and_other_tolerances():
    X, y = problem(3, seed=5)
    clf = TikhonovClassifier(alpha="gcv").fit(X, y)
    assert clf.alpha_ > 0 and clf.score(X, y) > 0.5
    assert PinvClassifier(tol="sqrt-eps").fit(X, y).rank_ <= X.shape[1]


def test_bad_input():
    X, y = problem(2)
    with pytest.raises(ValueError, match="continuous"):
        PinvClassifier().fit(X, np.linspace(0, 1, len(y)))
    with pytest.raises(ValueError, match="class_weight"):
        TikhonovClassifier(class_weight="even").fit(X, y)
