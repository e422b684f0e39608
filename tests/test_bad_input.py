"""Bad input gets a clear error naming the problem, never silently wrong output."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_pinv import PinvRegressor, TikhonovRegressor

X = np.arange(12.0).reshape(6, 2) ** 1.5
y = np.arange(6.0)


@pytest.mark.parametrize("Est", [PinvRegressor, TikhonovRegressor])
@pytest.mark.parametrize(
    "X_bad, y_bad, match",
    [
        (np.where(X == X[2, 1], np.nan, X), y, "Input X contains NaN"),
        (np.where(X == X[2, 1], np.inf, X), y, "Input X contains infinity"),
        (X, np.where(y == 3, np.nan, y), "Input y contains NaN"),
        (np.empty((0, 2)), np.empty(0), "0 sample"),
        (np.empty((6, 0)), y, "0 feature"),
        (y, y, "Expected 2D array"),
        (X, y[:4], "inconsistent numbers of samples"),
        (X + 1j, y, "Complex data not supported"),
        (np.array([["a", "b"]] * 6), y, "could not convert|dtype"),
        (X, np.array(list("abcdef")), "could not convert|Unknown label|numeric"),
    ],
)
def test_fit_rejects_bad_data(Est, X_bad, y_bad, match):
    X_copy = np.array(X_bad, copy=True)
    with pytest.raises(ValueError, match=match):
        Est().fit(X_bad, y_bad)
    np.testing.assert_array_equal(np.asarray(X_bad), X_copy)


@pytest.mark.parametrize(
    "weights, match",
    [
        (-np.ones(6), "Negative values in data passed to `sample_weight`"),
        (np.ones(4), r"sample_weight.shape == \(4,\), expected \(6,\)"),
        (np.zeros(6), "at least one non-zero"),
        (np.array([1, 1, np.nan, 1, 1, 1.0]), "NaN"),
    ],
)
def test_fit_rejects_bad_sample_weight(weights, match):
    with pytest.raises(ValueError, match=match):
        PinvRegressor().fit(X, y, sample_weight=weights)


@pytest.mark.parametrize(
    "est, match",
    [
        (PinvRegressor(tol="rcond"), "Unknown tolerance policy 'rcond' for the 'tol' parameter"),
        (PinvRegressor(tol=-1.0), "'tol' parameter"),
        (PinvRegressor(fit_intercept="yes"), "'fit_intercept' parameter"),
        (TikhonovRegressor(alpha=-1.0), "'alpha' parameter"),
        (TikhonovRegressor(alpha="big"), "'alpha' parameter"),
    ],
)
def test_bad_parameters_raise_invalid_parameter_error(est, match):
    with pytest.raises(InvalidParameterError, match=match):
        est.fit(X, y)


def test_bad_alpha_arrays():
    Y = np.column_stack([y, 2 * y])
    with pytest.raises(ValueError, match="number of penalties do not correspond: 3 != 2"):
        TikhonovRegressor(alpha=[1.0, 2.0, 3.0]).fit(X, Y)
    with pytest.raises(ValueError, match=r"alpha\[1\] == -2.0, must be >= 0.0"):  # sklearn's
        TikhonovRegressor(alpha=[1.0, -2.0]).fit(X, Y)
    with pytest.raises(ValueError, match="must be finite"):
        TikhonovRegressor(alpha=[1.0, np.nan]).fit(X, Y)


def test_predict_errors():
    with pytest.raises(NotFittedError):
        PinvRegressor().predict(X)
    reg = PinvRegressor().fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features"):
        reg.predict(np.ones((2, 3)))
    with pytest.raises(ValueError, match="NaN"):
        reg.predict(np.array([[np.nan, 1.0]]))


@pytest.mark.parametrize("bad", ["x", float("nan"), None])
def test_callable_policy_returning_garbage_is_reported(bad):
    with pytest.raises(ValueError, match="returned nan, not a number"):
        PinvRegressor(tol=lambda s, shape, dtype: bad).fit(X, y)
