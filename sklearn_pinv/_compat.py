"""The one place where sklearn_pinv touches scikit-learn internals.

scikit-learn has no public home (yet) for its parameter-constraint classes or
for sample-weight validation, and its array API helpers change between
releases. Everything private is imported here, so a rename is a one-line fix
and every difference between the supported releases (1.6 onwards, see
``pyproject.toml``) is absorbed here, next to the reason for it.
"""

from inspect import signature

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn import get_config
from sklearn.base import _fit_context  # 1.3+
from sklearn.linear_model._base import LinearClassifierMixin  # decision_function/predict
from sklearn.utils import _array_api
from sklearn.utils._array_api import get_namespace_and_device  # 1.5+
from sklearn.utils._param_validation import (  # 1.2+
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    validate_params,
)
from sklearn.utils.fixes import parse_version
from sklearn.utils.validation import _check_sample_weight

__all__ = [
    "HasMethods", "Interval", "InvalidParameterError", "Options", "StrOptions", "validate_params",
    "LinearClassifierMixin", "check_sample_weight", "fit_context",
    "check_same_namespace", "get_namespace_and_device", "move_to", "accept_sample_weight",
]


def fit_context(fit_method):
    """Validate ``_parameter_constraints`` before ``fit`` (scikit-learn's own decorator)."""
    return _fit_context(prefer_skip_nested_validation=True)(fit_method)


_SKLEARN = parse_version(sklearn.__version__).release
# scikit-learn 1.9 rejects all-zero weights itself; earlier releases accept
# them (and a fit would divide by a zero total), so we raise its error.
_REJECTS_ZERO_WEIGHTS = "allow_all_zero_weights" in signature(_check_sample_weight).parameters


def check_sample_weight(sample_weight, X):
    """Validate ``sample_weight`` as scikit-learn does: finite, 1-D, the
    length of ``X``, non-negative, not all zero, in ``X``'s dtype."""
    xp, _, device = get_namespace_and_device(X)
    if _SKLEARN < (1, 7) and not _array_api._is_numpy_namespace(xp):
        # scikit-learn 1.6 checks NumPy weights only: check them on the host.
        host = np.empty((X.shape[0], 0), np.float32 if X.dtype == xp.float32 else np.float64)
        return move_to(check_sample_weight(move_to(sample_weight, xp=np, device="cpu"), host),
                       xp=xp, device=device)
    # Keywords only: 1.6 takes dtype positionally, 1.7+ only by keyword.
    sample_weight = _check_sample_weight(
        sample_weight, X, dtype=X.dtype, ensure_non_negative=True
    )
    if not _REJECTS_ZERO_WEIGHTS and xp.all(sample_weight == 0):
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return sample_weight


def accept_sample_weight(scorer):
    """Whether ``scorer(estimator, X, y, sample_weight=...)`` uses the weights."""
    if hasattr(scorer, "_accept_sample_weight"):  # scikit-learn's scorers, 1.7+
        return scorer._accept_sample_weight()
    # scikit-learn 1.6's scorers all take the keyword, used or not: apply the
    # 1.7 rule (does the wrapped metric take it?) ourselves.
    if hasattr(scorer, "_scorers"):  # a multi-metric scorer
        return any(accept_sample_weight(s) for s in scorer._scorers.values())
    if hasattr(scorer, "_score_func"):
        scorer = scorer._score_func
    elif hasattr(scorer, "_estimator"):  # scoring=None: the estimator's score
        scorer = scorer._estimator.score
    return "sample_weight" in signature(scorer).parameters


def _move_one(array, xp, device):
    if array is None or sp.issparse(array):
        return array
    xp_array, _, device_array = get_namespace_and_device(array)
    if xp_array == xp and device_array == device:
        return array
    host = _array_api._convert_to_numpy(array, xp_array)
    return host if _array_api._is_numpy_namespace(xp) else xp.asarray(host, device=device)


def _move_to(*arrays, xp, device):
    """``move_to`` of scikit-learn 1.8, through host memory (no DLPack)."""
    moved = tuple(_move_one(a, xp, device) for a in arrays)
    return moved[0] if len(moved) == 1 else moved


def _check_same_namespace(X, estimator, *, attribute, method):
    """``check_same_namespace`` of scikit-learn 1.9: ``X`` where ``fit`` left ``attribute``."""
    if not get_config()["array_api_dispatch"]:
        return
    fit_xp, _, fit_device = get_namespace_and_device(getattr(estimator, attribute))
    X_xp, _, X_device = get_namespace_and_device(X)
    both_numpy = _array_api._is_numpy_namespace(fit_xp) and _array_api._is_numpy_namespace(X_xp)
    if (X_xp != fit_xp or X_device != fit_device) and not both_numpy:
        raise ValueError(
            f"Inputs passed to {type(estimator).__name__}.{method}() must use the same "
            f"namespace and the same device as those passed to fit(): fit used "
            f"{fit_xp.__name__} on {fit_device}, {method} got {X_xp.__name__} on {X_device}."
        )


# Array API helpers: scikit-learn's own where it has them (move_to 1.8+,
# check_same_namespace 1.9+), else the equivalents above.
move_to = getattr(_array_api, "move_to", _move_to)
check_same_namespace = getattr(_array_api, "check_same_namespace", _check_same_namespace)
