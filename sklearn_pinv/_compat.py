"""The one place where sklearn_pinv touches scikit-learn internals.

scikit-learn has no public home (yet) for its parameter-constraint classes or
for sample-weight validation. Funnelling the imports through this module keeps
a future rename to a one-line fix.
"""

from sklearn.base import _fit_context
from sklearn.utils._array_api import (
    check_same_namespace,
    get_namespace_and_device,
    move_to,
)
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import _check_sample_weight

__all__ = [
    "HasMethods", "Interval", "InvalidParameterError", "StrOptions", "validate_params",
    "check_sample_weight", "fit_context", "accept_sample_weight",
    "check_same_namespace", "get_namespace_and_device", "move_to",
]


def fit_context(fit_method):
    """Validate ``_parameter_constraints`` before ``fit`` (scikit-learn's own decorator)."""
    return _fit_context(prefer_skip_nested_validation=True)(fit_method)


def check_sample_weight(sample_weight, X):
    """Validate ``sample_weight`` as scikit-learn does: finite, 1-D, the
    length of ``X``, non-negative, not all zero, in ``X``'s dtype."""
    return _check_sample_weight(
        sample_weight, X, dtype=X.dtype, ensure_non_negative=True
    )


def accept_sample_weight(scorer):
    """Whether a scorer takes ``sample_weight`` (scikit-learn's own answer when it has one)."""
    from inspect import signature

    if hasattr(scorer, "_accept_sample_weight"):
        return scorer._accept_sample_weight()
    return "sample_weight" in signature(scorer).parameters
