"""Faults: LAPACK non-convergence, extreme magnitudes, threads, interrupted batches.

pyproject turns every RuntimeWarning (overflow, invalid value) into an error,
so the magnitude tests also check that nothing overflows on the way.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from scipy import linalg as scipy_linalg

from sklearn_pinv import PinvRegressor, TikhonovRegressor, pinv
from sklearn_pinv import config_context


@pytest.fixture(autouse=True)
def no_cache():
    # A cached factorization would skip the SVD these tests sabotage.
    with config_context(factorization_cache=False):
        yield


def _data(seed=0, m=40, n=5, t=None):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n)) + rng.uniform(-2, 2, n)
    coef = rng.standard_normal(n if t is None else (n, t))
    y = X @ coef + 0.5 + 0.01 * rng.standard_normal(m if t is None else (m, t))
    return X, y


# --- LAPACK non-convergence ------------------------------------------------------------


def _failing_svd(drivers):
    real_svd = scipy_linalg.svd
    calls = []

    def svd(a, *args, lapack_driver="gesdd", **kwargs):
        calls.append(lapack_driver)
        if lapack_driver in drivers:
            raise scipy_linalg.LinAlgError("SVD did not converge (simulated)")
        return real_svd(a, *args, lapack_driver=lapack_driver, **kwargs)

    return svd, calls


@pytest.mark.parametrize("shape", [(40, 5), (6, 9)], ids=["tall-qr", "wide-direct"])
@pytest.mark.parametrize("make", [PinvRegressor, lambda: TikhonovRegressor(alpha=0.1),
                                  lambda: PinvRegressor(precision="high")])
def test_gesdd_failure_falls_back_to_gesvd_and_says_so(monkeypatch, shape, make):
    X, y = _data(1, *shape)
    X_before = X.copy()
    expected = make().fit(X, y)
    svd, calls = _failing_svd({"gesdd"})
    monkeypatch.setattr(scipy_linalg, "svd", svd)
    got = make().fit(X, y)
    assert calls[:2] == ["gesdd", "gesvd"]
    assert "gesvd" in got.solver_ and "gesdd" not in got.solver_
    assert "gesdd" in expected.solver_
    np.testing.assert_allclose(got.coef_, expected.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got.intercept_, expected.intercept_, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(X, X_before)  # the fallback rebuilt its own copy


def test_pinv_falls_back_too(monkeypatch):
    A = np.random.default_rng(2).standard_normal((7, 4))
    expected = np.linalg.pinv(A)
    svd, calls = _failing_svd({"gesdd"})
    monkeypatch.setattr(scipy_linalg, "svd", svd)
    np.testing.assert_allclose(pinv(A), expected, atol=1e-13)
    assert calls == ["gesdd", "gesvd"]


@pytest.mark.parametrize("shape", [(40, 5), (6, 9)])
def test_both_drivers_failing_is_a_clear_error(monkeypatch, shape):
    X, y = _data(3, *shape)
    svd, _ = _failing_svd({"gesdd", "gesvd"})
    monkeypatch.setattr(scipy_linalg, "svd", svd)
    with pytest.raises(scipy_linalg.LinAlgError, match="gesdd nor with gesvd"):
        PinvRegressor().fit(X, y)
    with pytest.raises(scipy_linalg.LinAlgError, match="gesdd nor with gesvd"):
        pinv(X)


# --- extreme magnitudes ----------------------------------------------------------------

PRECISIONS = ["standard", "high", "fast"]


@pytest.mark.parametrize("precision", PRECISIONS)
@pytest.mark.parametrize("x_scale, y_scale", [
    (1e150, 1.0), (1e-150, 1.0), (1.0, 1e300), (1e-300, 1e-300), (1e150, 1e-150), (1.0, 1e-310),
], ids=["X1e150", "X1e-150", "y1e300", "both1e-300", "X1e150-y1e-150", "y-subnormal"])
def test_extreme_magnitudes_scale_exactly(precision, x_scale, y_scale):
    # Scaling X by c and y by d scales coef by d/c and the intercept by d: the
    # reference is the fit of the unscaled data, no overflow on the way.
    X, y = _data(4)
    ref = PinvRegressor(precision=precision).fit(X, y)
    got = PinvRegressor(precision=precision).fit(X * x_scale, y * y_scale)
    # A subnormal y carries fewer bits (1e-310 keeps about 44 of 53).
    rtol = 1e-12 if y_scale > 1e-300 else 1e-10
    np.testing.assert_allclose(got.coef_ * x_scale / y_scale, ref.coef_, rtol=rtol)
    np.testing.assert_allclose(got.intercept_ / y_scale, ref.intercept_, rtol=rtol)
    assert np.all(np.isfinite(got.predict(X * x_scale)))


def test_y_near_1e300_multi_target_and_tikhonov():
    X, Y = _data(5, t=3)
    ref = TikhonovRegressor(alpha=0.5).fit(X, Y)
    got = TikhonovRegressor(alpha=0.5).fit(X, Y * 1e300)
    np.testing.assert_allclose(got.coef_, ref.coef_ * 1e300, rtol=1e-12)
    np.testing.assert_allclose(got.intercept_, ref.intercept_ * 1e300, rtol=1e-12)


@pytest.mark.parametrize("precision", PRECISIONS)
def test_a_subnormal_column_is_treated_as_zero(precision):
    # Its singular value is ~1e-310 of the others: every relative tolerance
    # drops it (the exact coefficient would not even fit in a double).
    X, y = _data(6)
    Xs = np.column_stack([X, 1e-310 * np.random.default_rng(0).standard_normal(X.shape[0])])
    assert np.any((np.abs(Xs) > 0) & (np.abs(Xs) < np.finfo(float).tiny))
    got = PinvRegressor(precision=precision).fit(Xs, y)
    ref = PinvRegressor(precision=precision).fit(X, y)
    assert got.rank_ == X.shape[1] and abs(got.coef_[-1]) < 1e-300
    np.testing.assert_allclose(got.coef_[:-1], ref.coef_, rtol=1e-12)


def test_pinv_of_huge_and_tiny_matrices():
    A = np.random.default_rng(7).standard_normal((6, 4))
    for c in (1e150, 1e-150, 1e300):
        np.testing.assert_allclose(pinv(A * c) * c, np.linalg.pinv(A), rtol=1e-12, atol=1e-14)


# --- threads ---------------------------------------------------------------------------


@pytest.mark.parametrize("cache", [False, True])
def test_concurrent_fits_are_identical(cache):
    problems = [_data(seed, m=60, n=6) for seed in range(4)]
    makers = [PinvRegressor, lambda: TikhonovRegressor(alpha=0.2),
              lambda: PinvRegressor(precision="high")]
    jobs = [(i, j) for i in range(len(problems)) for j in range(len(makers))] * 4

    def fit(job):
        i, j = job
        est = makers[j]().fit(*problems[i])
        return job, est.coef_.copy(), float(est.intercept_)

    with config_context(factorization_cache=cache):
        sequential = {job: (c, b) for job, c, b in map(fit, jobs[:12])}
        barrier = threading.Barrier(4, timeout=60)  # all four workers start together
        with ThreadPoolExecutor(max_workers=4, initializer=barrier.wait) as pool:
            parallel = list(pool.map(fit, jobs))
    for job, coef, icpt in parallel:
        np.testing.assert_array_equal(coef, sequential[job][0])
        assert icpt == sequential[job][1]


# --- an interrupted partial_fit --------------------------------------------------------


def _state(est):
    return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in vars(est).items()
            if k.endswith("_") and not k.endswith("__")}


def test_a_batch_that_raises_inside_partial_fit_leaves_the_estimator_unchanged(monkeypatch):
    X, y = _data(8, m=60)
    est = PinvRegressor().partial_fit(X[:20], y[:20]).partial_fit(X[20:40], y[20:40])
    before = _state(est)
    svd, calls = _failing_svd({"gesdd", "gesvd"})
    monkeypatch.setattr(scipy_linalg, "svd", svd)
    with pytest.raises(scipy_linalg.LinAlgError):
        est.partial_fit(X[40:], y[40:])  # fails after validation, in the factorization
    assert calls  # the failure happened inside, not in input validation
    after = _state(est)
    assert after.keys() == before.keys()
    for key, value in before.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(after[key], value)
        elif key != "factorization_":
            assert after[key] == value, key
    assert after["factorization_"] is before["factorization_"]
    monkeypatch.undo()
    # The stream continues as if the failed batch never came.
    est.partial_fit(X[40:], y[40:])
    full = PinvRegressor().fit(X, y)
    np.testing.assert_allclose(est.coef_, full.coef_, rtol=1e-10)
    np.testing.assert_allclose(est.intercept_, full.intercept_, rtol=1e-10)



@pytest.mark.parametrize("make", [lambda: PinvRegressor(precision="high"),
                                  lambda: TikhonovRegressor(alpha=0.3, precision="high")])
def test_partial_fit_continues_after_a_high_precision_fit(make):
    # The equilibrated factorization cannot seed the stream; the rows do.
    X, y = _data(9, m=50)
    est = make().fit(X[:30], y[:30]).partial_fit(X[30:], y[30:])
    full = make().fit(X, y)
    np.testing.assert_allclose(est.coef_, full.coef_, rtol=1e-10)
    np.testing.assert_allclose(est.intercept_, full.intercept_, rtol=1e-10)
