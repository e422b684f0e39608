"""Facts about the installed releases, for the references that change between them.

``make test`` runs the newest releases and ``make test-min`` the floors that
``pyproject.toml`` declares. A test whose reference differs between the two
asserts, through one of these flags, what is true of the release installed.
"""

import copy
from importlib.util import find_spec

import scipy
import sklearn
from packaging.version import Version
from sklearn.metrics import get_scorer
from sklearn.model_selection import GridSearchCV

SKLEARN = Version(sklearn.__version__)

# LinearRegression() cuts lstsq at cond=tol (1e-6) from scikit-learn 1.9;
# 1.6-1.8 ignore tol on dense X and cut at cond=max(m, n)*eps.
LINEAR_REGRESSION_USES_TOL = SKLEARN >= Version("1.9")

# GridSearchCV.fit(sample_weight=...) weights the scores from scikit-learn
# 1.7; 1.6 does so only when metadata routing requests the weights.
GRID_SEARCH_WEIGHTS_SCORES = SKLEARN >= Version("1.7")

# scikit-learn enables array_api_dispatch only with SciPy >= 1.14, and 1.6
# only with the array-api-compat package (1.7 onwards carry their own copy).
ARRAY_API_DISPATCH = Version(scipy.__version__) >= Version("1.14") and (
    SKLEARN >= Version("1.7") or find_spec("array_api_compat") is not None
)


def weighted_grid_search(estimator, grid, cv, scoring, X, y, w):
    """``GridSearchCV`` with its scores weighted by ``w`` (when given), on every release."""
    if w is None or GRID_SEARCH_WEIGHTS_SCORES:
        return GridSearchCV(estimator, grid, cv=cv, scoring=scoring).fit(X, y, sample_weight=w)
    # scikit-learn 1.6: the same search, with metadata routing asking for the weights.
    with sklearn.config_context(enable_metadata_routing=True):
        estimator = estimator.set_fit_request(sample_weight=True)
        if scoring is None:
            estimator = estimator.set_score_request(sample_weight=True)
        else:
            scoring = copy.deepcopy(get_scorer(scoring)).set_score_request(sample_weight=True)
        return GridSearchCV(estimator, grid, cv=cv, scoring=scoring).fit(X, y, sample_weight=w)
