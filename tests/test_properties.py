"""Property-based tests (hypothesis): Penrose conditions, invariances, LOO.

Each example draws a seed and a few sizes and builds the matrices with NumPy,
so hypothesis shrinks over small integers rather than over whole arrays.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sklearn_pinv import PinvRegressor, TikhonovRegressor, pinv
from sklearn_pinv._loo import loo_residuals
from sklearn_pinv._spectral import factorize

EPS = np.finfo(np.float64).eps
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _orthonormal(rng, m, k):
    q, _ = np.linalg.qr(rng.standard_normal((m, k)))
    return q


def _matrix(seed, m, n, rank, log_cond, log_scale):
    """``U diag(s) V^T`` of exact rank ``rank`` (up to rounding), s spanning 10**log_cond."""
    rng = np.random.default_rng(seed)
    s = np.logspace(0, -log_cond, rank) * 10.0**log_scale
    return (_orthonormal(rng, m, rank) * s) @ _orthonormal(rng, n, rank).T


shapes = st.tuples(st.integers(1, 9), st.integers(1, 9)).flatmap(
    lambda mn: st.tuples(st.just(mn[0]), st.just(mn[1]), st.integers(1, min(mn)))
)


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1), shape=shapes, log_cond=st.floats(0, 6),
    log_scale=st.integers(-150, 150),
)
def test_penrose_conditions(seed, shape, log_cond, log_scale):
    m, n, rank = shape
    A = _matrix(seed, m, n, rank, log_cond, log_scale)
    P = pinv(A)
    norm_a, norm_p = np.linalg.norm(A, 2), np.linalg.norm(P, 2)
    kappa = norm_a * norm_p
    tol = 100 * max(m, n) * EPS * kappa
    # Scale-free forms of the four conditions: A P A = A, P A P = P, AP and PA symmetric.
    assert np.linalg.norm(A @ P @ A - A, 2) <= tol * norm_a
    assert np.linalg.norm(P @ A @ P - P, 2) <= tol * norm_p
    AP, PA = A @ P, P @ A
    assert np.linalg.norm(AP - AP.T, 2) <= tol
    assert np.linalg.norm(PA - PA.T, 2) <= tol
    # The rank is recovered and P scales inversely with A.
    assert np.linalg.matrix_rank(P, tol=norm_p * max(m, n) * 1e-9) == rank


def _data(seed, m, n, noise=0.1):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n)) * rng.uniform(0.5, 2, n) + rng.uniform(-3, 3, n)
    y = X @ rng.standard_normal(n) + 1.5 + noise * rng.standard_normal(m)
    return X, y, rng


ESTIMATORS = [
    lambda: PinvRegressor(),
    lambda: PinvRegressor(precision="high"),
    lambda: TikhonovRegressor(alpha=0.3),
]
est_index = st.integers(0, len(ESTIMATORS) - 1)
sizes = st.tuples(st.integers(2, 6), st.integers(0, 30)).map(lambda t: (t[0] + 3 + t[1], t[0]))


def _close(a, b, scale=1.0):
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-10 * scale)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), size=sizes, which=est_index)
def test_row_permutation_changes_nothing(seed, size, which):
    X, y, rng = _data(seed, *size)
    perm = rng.permutation(X.shape[0])
    a, b = ESTIMATORS[which]().fit(X, y), ESTIMATORS[which]().fit(X[perm], y[perm])
    _close(a.coef_, b.coef_)
    _close(a.intercept_, b.intercept_)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), size=sizes, which=est_index)
def test_feature_permutation_permutes_coef(seed, size, which):
    X, y, rng = _data(seed, *size)
    perm = rng.permutation(X.shape[1])
    a, b = ESTIMATORS[which]().fit(X, y), ESTIMATORS[which]().fit(X[:, perm], y)
    _close(a.coef_[perm], b.coef_)
    _close(a.intercept_, b.intercept_)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), size=sizes, which=est_index,
       log_c=st.floats(-100, 100))
def test_scaling_y_scales_the_solution(seed, size, which, log_c):
    X, y, _ = _data(seed, *size)
    c = 10.0**log_c
    a, b = ESTIMATORS[which]().fit(X, y), ESTIMATORS[which]().fit(X, c * y)
    np.testing.assert_allclose(b.coef_, c * a.coef_, rtol=1e-9, atol=1e-10 * c)
    np.testing.assert_allclose(b.intercept_, c * a.intercept_, rtol=1e-9, atol=1e-10 * c)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), size=sizes, which=est_index)
def test_integer_weights_equal_repeated_rows(seed, size, which):
    X, y, rng = _data(seed, *size)
    w = rng.integers(0, 4, X.shape[0])
    w[: X.shape[1] + 2] = np.maximum(w[: X.shape[1] + 2], 1)  # keep the problem full rank
    a = ESTIMATORS[which]().fit(X, y, sample_weight=w.astype(float))
    b = ESTIMATORS[which]().fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    _close(a.coef_, b.coef_)
    _close(a.intercept_, b.intercept_)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), size=sizes, which=est_index,
       where=st.integers(0, 6))
def test_a_zero_column_gets_a_zero_coefficient(seed, size, which, where):
    X, y, _ = _data(seed, *size)
    j = min(where, X.shape[1])
    X0 = np.insert(X, j, 0.0, axis=1)
    a, b = ESTIMATORS[which]().fit(X, y), ESTIMATORS[which]().fit(X0, y)
    assert abs(b.coef_[j]) <= 1e-12 * np.max(np.abs(a.coef_))
    _close(np.delete(b.coef_, j), a.coef_)
    _close(b.intercept_, a.intercept_)


# --- leave-one-out: the hat-matrix identity against brute-force refits ---------------

@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), size=sizes, alpha=st.sampled_from([0.0, 0.01, 1.0, 30.0]),
       weighted=st.booleans(), fit_intercept=st.booleans())
def test_loo_identity_matches_refits(seed, size, alpha, weighted, fit_intercept):
    # Exact for any fixed penalty (OLS: alpha=0 on full-rank data; ridge);
    # not for a truncation, whose kept subspace moves when a row leaves.
    X, y, rng = _data(seed, *size)
    sw = rng.uniform(0.2, 3.0, X.shape[0]) if weighted else None
    fact = factorize(X, y[:, None], sw, fit_intercept=fit_intercept, keep_U=True)
    s = fact.singular_values
    phi = (s**2 / (s**2 + alpha))[:, None]
    q = np.ones(X.shape[0]) if sw is None else np.sqrt(sw)
    y_mean = np.average(y, weights=sw) if fit_intercept else 0.0
    Yc = (q * (y - y_mean))[:, None]
    got = loo_residuals(fact.U, Yc, fact.z, phi, sw, fit_intercept)[:, 0, 0]
    expected = np.empty(X.shape[0])
    for j in range(X.shape[0]):
        keep = np.arange(X.shape[0]) != j
        est = TikhonovRegressor(alpha=alpha, tol=0.0, fit_intercept=fit_intercept)
        est.fit(X[keep], y[keep], sample_weight=None if sw is None else sw[keep])
        expected[j] = q[j] * (y[j] - est.predict(X[j : j + 1])[0])
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-9 * np.abs(y).max())
