"""Each named rule on spectra where the rules disagree, and the policy API."""

import pickle

import numpy as np
import pytest
import scipy.linalg
from sklearn.base import clone
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_pinv import PinvRegressor, pinv, tolerance
from sklearn_pinv.tolerance import (
    AbsoluteRelative,
    FixedRank,
    GCVRank,
    LCurveRank,
    QuasiOptimalRank,
    Relative,
    available_policies,
    rank,
    resolve,
    threshold,
)

EPS64 = np.finfo(np.float64).eps
EPS32 = float(np.finfo(np.float32).eps)
NAMES = [
    "julia", "lapack", "matlab", "numerical-recipes", "numpy", "octave", "ridge", "scipy",
    "sqrt-eps", "stata",
]


def diag_design(values, m=None):
    """An m x n matrix whose singular values are exactly ``values``."""
    n = len(values)
    X = np.zeros((m or n, n))
    X[np.arange(n), np.arange(n)] = values
    return X


def fitted_rank(tol, values, m=None, dtype=np.float64):
    X = diag_design(values, m).astype(dtype)
    # precision="fast": these spectra are ill-conditioned on purpose; only the rank matters.
    reg = PinvRegressor(tol=tol, fit_intercept=False, precision="fast")
    return reg.fit(X, np.ones(X.shape[0], dtype)).rank_


def test_registry_has_exactly_the_documented_names():
    assert available_policies() == NAMES


def test_matlab_uses_the_spacing_of_smax_not_eps_times_smax():
    # spacing(1.5) = spacing(1.99) = 2**-52, spacing(2.0) = 2**-51.
    for smax, spacing in [(1.0, 2.0**-52), (1.5, 2.0**-52), (1.99, 2.0**-52), (2.0, 2.0**-51)]:
        assert threshold("matlab", [smax, 0.1], (3, 3), np.float64) == 3 * spacing
    # A singular value between 3*2**-52 and 3*1.5*eps separates matlab from octave/scipy.
    values = [1.5, 1.0, 1.2 * 3 * EPS64]
    assert fitted_rank("matlab", values) == 3
    assert fitted_rank("octave", values) == 2
    assert fitted_rank("scipy", values) == 2


def test_octave_keeps_a_singular_value_equal_to_the_threshold():
    values = [1.0, 0.5, 0.25, 4 * EPS64]  # 4 * 1.0 * eps, exactly representable
    assert threshold("octave", values, (4, 4), np.float64) == 4 * EPS64
    assert fitted_rank("octave", values) == 4
    assert fitted_rank("scipy", values) == 3


def test_julia_uses_min_dimension_where_scipy_uses_max():
    values = [1.0, 50 * EPS64]  # a 100 x 2 matrix: 2*eps < 50*eps < 100*eps
    assert fitted_rank("julia", values, m=100) == 2
    assert fitted_rank("scipy", values, m=100) == 1
    assert fitted_rank("matlab", values, m=100) == 1


def test_numpy_rule_ignores_the_dtype():
    values = [1.0, 1e-10]
    assert fitted_rank("numpy", values, dtype=np.float32) == 2
    assert fitted_rank("scipy", values, dtype=np.float32) == 1
    assert threshold("numpy", [1.0], (2, 2), np.float32) == 1e-15


@pytest.mark.parametrize(
    "name, expected",
    [
        ("sqrt-eps", np.sqrt(EPS64) * 4.0),
        ("stata", 1e-13 * np.mean([4.0, 1.0, 1e-9])),
        ("numerical-recipes", 0.5 * np.sqrt(10 + 3 + 1) * EPS64 * 4.0),
        ("lapack", EPS64 * 4.0),
        ("julia", 3 * EPS64 * 4.0),
        ("scipy", 10 * EPS64 * 4.0),
        ("octave", 10 * 4.0 * EPS64),
        ("numpy", 1e-15 * 4.0),
        ("matlab", 10 * 2.0**-50),
    ],
)
def test_each_formula(name, expected):
    assert threshold(name, np.array([4.0, 1.0, 1e-9]), (10, 3), np.float64) == pytest.approx(
        expected, rel=1e-15
    )


def test_float32_eps_in_policies():
    assert threshold("scipy", [1.0], (10, 3), np.float32) == pytest.approx(10 * EPS32)
    assert threshold("sqrt-eps", [1.0], (10, 3), np.float32) == pytest.approx(np.sqrt(EPS32))


def test_absolute_relative_matches_scipy_pinv_sum_rule():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((6, 4)) @ np.diag([1.0, 0.1, 1e-3, 1e-6]) @ np.linalg.qr(
        rng.standard_normal((4, 4)))[0]
    for atol, rtol in [(1e-4, None), (0.0, 1e-2), (1e-4, 1e-2)]:
        expected, r = scipy.linalg.pinv(A, atol=atol, rtol=rtol, return_rank=True)
        policy = AbsoluteRelative(atol=atol, rtol=rtol)
        s = np.linalg.svd(A, compute_uv=False)
        assert rank(policy, s, A.shape, A.dtype) == r


def test_absolute_relative_max_rule_is_julias():
    s = np.array([10.0, 1.0, 0.05])
    assert threshold(AbsoluteRelative(atol=0.5, rtol=0.01, combine="max"), s, (3, 3), float) == 0.5
    assert threshold(AbsoluteRelative(atol=0.5, rtol=0.01), s, (3, 3), float) == 0.6
    # Julia: rtol defaults to min(m,n)*eps when atol == 0, and to 0 when atol > 0.
    assert threshold(AbsoluteRelative(combine="max"), s, (9, 3), float) == 3 * EPS64 * 10
    assert threshold(AbsoluteRelative(atol=1e-3, combine="max"), s, (9, 3), float) == 1e-3
    with pytest.raises(ValueError, match="combine"):
        AbsoluteRelative(combine="min")


def test_fixed_rank_drops_ties_and_zeros():
    assert rank(FixedRank(2), [3.0, 2.0, 1.0], (3, 3), float) == 2
    assert rank(FixedRank(2), [3.0, 1.0, 1.0], (3, 3), float) == 1  # a tie at the cut
    assert rank(FixedRank(5), [3.0, 0.0], (3, 2), float) == 1
    with pytest.raises(ValueError, match="k must be"):
        FixedRank(-1)


def test_callable_policy_and_inclusive_wrapper():
    assert rank(lambda s, shape, dtype: 0.5 * s.max(), [2.0, 1.0, 0.5], (3, 3), float) == 1
    wrapped = tolerance.Callable(lambda s, shape, dtype: 1.0, inclusive=True)
    assert rank(wrapped, [2.0, 1.0, 0.5], (3, 3), float) == 2


def test_gcv_rank_finds_a_clear_gap():
    rng = np.random.default_rng(0)
    m, n = 200, 8
    U = np.linalg.qr(rng.standard_normal((m, n)))[0]
    V = np.linalg.qr(rng.standard_normal((n, n)))[0]
    s = np.array([10, 8, 6, 5, 4, 1e-5, 1e-6, 1e-7])
    X = (U * s) @ V.T
    y = X @ (V[:, :5] @ rng.standard_normal(5)) + 0.01 * rng.standard_normal(m)
    reg = PinvRegressor(tol=GCVRank(), fit_intercept=False).fit(X, y)
    assert reg.rank_ == 5
    assert reg.threshold_ == pytest.approx(1e-5, rel=1e-6)
    with pytest.raises(TypeError, match="data-driven"):
        threshold(GCVRank(), s, X.shape, float)


def test_resolve_and_errors():
    assert resolve(1e-6) == Relative(1e-6)
    assert resolve("matlab") is resolve("matlab")
    with pytest.raises(ValueError, match="Did you mean 'matlab'\\? Valid names are: gcv, julia"):
        resolve("matlb")
    with pytest.raises(ValueError, match=">= 0"):
        resolve(float("nan"))
    with pytest.raises(TypeError):
        resolve(object())


def test_unknown_name_in_estimator_lists_valid_names():
    with pytest.raises(InvalidParameterError, match="numerical-recipes"):
        PinvRegressor(tol="matlb").fit(np.eye(3), np.ones(3))
    # pinv() and the estimators say the same thing, the names sorted.
    with pytest.raises(InvalidParameterError) as from_estimator:
        PinvRegressor(tol="numpi").fit(np.eye(3), np.ones(3))
    with pytest.raises(InvalidParameterError) as from_pinv:
        pinv(np.eye(3), tol="numpi")
    assert str(from_estimator.value) == str(from_pinv.value)
    assert "Did you mean 'numpy'?" in str(from_pinv.value)
    listed = str(from_pinv.value).split("Valid names are: ")[1].split(";")[0].split(", ")
    assert listed == sorted(listed) == available_policies(data_driven=True)


@pytest.mark.parametrize("spelling", ["MATLAB", "Matlab", " matlab ", "NUMERICAL_RECIPES",
                                      "Numerical Recipes", "Sqrt-Eps", "GCV"])
def test_names_in_any_case(spelling):
    key = spelling.strip().lower().replace("_", "-").replace(" ", "-")
    assert resolve(spelling) is resolve(key)
    X = np.vander(np.linspace(0, 1, 30), 8)
    y = X.sum(axis=1)
    a = PinvRegressor(tol=spelling, precision="fast").fit(X, y)
    b = PinvRegressor(tol=key, precision="fast").fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)


def test_data_driven_rules_by_name_equal_the_objects():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 8)) * [1, 1, 1, 1, 1, 1e-7, 1e-7, 1e-7]
    y = X[:, :5].sum(axis=1) + 1e-3 * rng.standard_normal(60)
    for name, policy in [("gcv", GCVRank()), ("lcurve", LCurveRank()),
                         ("quasi-optimal", QuasiOptimalRank())]:
        assert resolve(name) == policy
        by_name = PinvRegressor(tol=name).fit(X, y)
        assert by_name.rank_ == PinvRegressor(tol=policy).fit(X, y).rank_
    assert PinvRegressor(tol="gcv").fit(X, y).rank_ == 5
    with pytest.raises(InvalidParameterError, match="noise level.*DiscrepancyRank"):
        PinvRegressor(tol="discrepancy").fit(X, y)


@pytest.mark.parametrize("tol", [1.0, 2.5])
def test_relative_tolerance_of_one_or_more_is_an_error(tol):
    with pytest.raises(ValueError, match="drop every singular value"):
        resolve(tol)
    with pytest.raises(InvalidParameterError, match="'tol' parameter"):
        PinvRegressor(tol=tol).fit(np.eye(3), np.ones(3))
    with pytest.raises(InvalidParameterError, match="tol"):
        PinvRegressor(tol=-1e-3).fit(np.eye(3), np.ones(3))


@pytest.mark.parametrize(
    "policy", [AbsoluteRelative(atol=1e-3, combine="max"), FixedRank(3), GCVRank(), Relative(0.1)]
)
def test_policies_are_printable_clonable_picklable(policy):
    text = repr(policy)
    assert type(policy).__name__ in text and "object at" not in text
    est = clone(PinvRegressor(tol=policy))
    assert est.tol == policy
    assert pickle.loads(pickle.dumps(policy)) == policy
    assert hash(policy) == hash(pickle.loads(pickle.dumps(policy)))
