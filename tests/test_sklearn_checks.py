"""scikit-learn's estimator contract, in full, for every public estimator."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_pinv import (
    PinvClassifier,
    PinvClassifierCV,
    PinvCV,
    PinvRegressor,
    TikhonovClassifier,
    TikhonovClassifierCV,
    TikhonovCV,
    TikhonovRegressor,
)


@parametrize_with_checks(
    [
        PinvRegressor(),
        PinvRegressor(tol="octave", fit_intercept=False),
        TikhonovRegressor(),
        TikhonovRegressor(alpha=0.0, tol=1e-6),
        TikhonovRegressor(alpha="gcv"),
        PinvRegressor(precision="high"), TikhonovRegressor(precision="high"),
        TikhonovCV(), PinvCV(), TikhonovCV(cv=3, tols=("scipy", 1e-3)),
        PinvClassifier(), TikhonovClassifier(), TikhonovClassifier(alpha="gcv", tol="numpy"),
        TikhonovClassifierCV(), PinvClassifierCV(), TikhonovClassifierCV(cv=3, scoring="accuracy"),
    ]
)
# The checks fit the CV estimators on random data, whose pick often lies on
# an edge of the default grid: the warning is right, and beside the point here.
@pytest.mark.filterwarnings("ignore::sklearn_pinv.GridEdgeWarning")
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
