"""partial_fit and the R-factor accumulator: exact, against one-shot and independent fits."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.linear_model import LinearRegression, Ridge

from sklearn_pinv import PinvRegressor, TikhonovRegressor
from sklearn_pinv._spectral import factorize
from sklearn_pinv._streaming import RFactor

RTOL = 1e-9


def _data(seed=0, m=240, n=6, t=1, offset=0.0, rank=None):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, n))
    if rank is not None:  # exact linear dependence between columns
        X[:, rank:] = X[:, :rank] @ rng.normal(size=(rank, n - rank))
    X += offset
    coef = rng.normal(size=(n, t))
    Y = (X - offset) @ coef + 3.0 + 0.1 * rng.normal(size=(m, t))
    w = rng.uniform(0.2, 3.0, size=m)
    return X, (Y[:, 0] if t == 1 else Y), w


def _stream(est, X, y, w=None, cuts=(0, 17, 60, 61, 150)):
    bounds = list(cuts) + [X.shape[0]]
    for a, b in zip(bounds[:-1], bounds[1:]):
        est.partial_fit(X[a:b], y[a:b], sample_weight=None if w is None else w[a:b])
    return est


def _assert_same_fit(got, ref):
    scale = np.max(np.abs(ref.coef_))
    assert_allclose(got.coef_, ref.coef_, rtol=RTOL, atol=RTOL * scale)
    assert_allclose(got.intercept_, ref.intercept_, rtol=RTOL, atol=RTOL * scale)
    s = ref.singular_values_
    assert_allclose(got.singular_values_, s, rtol=RTOL, atol=RTOL * s[0])
    assert got.rank_ == ref.rank_
    assert got.n_features_in_ == ref.n_features_in_


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("t", [1, 3])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_partial_fit_equals_fit(weighted, t, fit_intercept):
    X, y, w = _data(t=t)
    w = w if weighted else None
    ref = PinvRegressor(fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
    got = _stream(PinvRegressor(fit_intercept=fit_intercept), X, y, w)
    _assert_same_fit(got, ref)
    # An independent reference: scikit-learn's least squares.
    lr = LinearRegression(fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
    assert_allclose(got.coef_, lr.coef_, rtol=1e-9, atol=1e-12)
    assert_allclose(got.intercept_, lr.intercept_, rtol=1e-9, atol=1e-10)


def test_partial_fit_large_offset_keeps_digits():
    # Columns 1e6 + noise: X^T X would lose ~12 digits; the shift keeps them.
    X, y, w = _data(seed=1, offset=1e6)
    ref = PinvRegressor().fit(X, y, sample_weight=w)
    got = _stream(PinvRegressor(), X, y, w)
    _assert_same_fit(got, ref)
    # Reference on the exactly re-centred data (the offset is an exact float).
    lr = LinearRegression().fit(X - 1e6, y, sample_weight=w)
    assert_allclose(got.coef_, lr.coef_, rtol=1e-9)


def test_partial_fit_rank_deficient_stream():
    X, y, w = _data(seed=2, n=8, rank=5)
    for tol in ("scipy", 1e-6):
        ref = PinvRegressor(tol=tol).fit(X, y, sample_weight=w)
        got = _stream(PinvRegressor(tol=tol), X, y, w)
        assert ref.rank_ == got.rank_ == 5
        _assert_same_fit(got, ref)
    lr = LinearRegression().fit(X, y, sample_weight=w)  # minimum-norm lstsq
    assert_allclose(got.coef_, lr.coef_, rtol=1e-8, atol=1e-10)


def test_tikhonov_partial_fit_matches_ridge():
    X, y, w = _data(seed=3, t=2)
    got = _stream(TikhonovRegressor(alpha=[0.5, 4.0], tol=0.0), X, y, w)
    ref = TikhonovRegressor(alpha=[0.5, 4.0], tol=0.0).fit(X, y, sample_weight=w)
    _assert_same_fit(got, ref)
    for j, alpha in enumerate([0.5, 4.0]):
        ridge = Ridge(alpha=alpha, solver="svd").fit(X, y[:, j], sample_weight=w)
        assert_allclose(got.coef_[j], ridge.coef_, rtol=1e-9)
        assert_allclose(got.intercept_[j], ridge.intercept_, rtol=1e-9)


def test_fewer_rows_than_features_so_far():
    # The first batches alone are wide: the factor is padded, shape tracked.
    X, y, _ = _data(seed=4, m=30, n=12)
    est = PinvRegressor()
    est.partial_fit(X[:3], y[:3])
    ref3 = PinvRegressor().fit(X[:3], y[:3])
    _assert_same_fit(est, ref3)
    assert est.singular_values_.shape == (3,)
    est.partial_fit(X[3:], y[3:])
    _assert_same_fit(est, PinvRegressor().fit(X, y))


def test_float32_stays_float32():
    X, y, _ = _data(seed=5)
    est = _stream(PinvRegressor(), X.astype(np.float32), y.astype(np.float32))
    assert est.coef_.dtype == np.float32
    assert est.singular_values_.dtype == np.float32
    ref = PinvRegressor().fit(X, y)
    assert_allclose(est.coef_, ref.coef_, rtol=1e-4)


def test_failed_batch_leaves_estimator_unchanged():
    X, y, w = _data(seed=6)
    est = _stream(PinvRegressor(), X[:100], y[:100], w[:100], cuts=(0, 50))
    before = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in vars(est).items()}
    bad_batches = [
        (X[100:120, :-1], y[100:120]),  # wrong number of features
        (np.where(np.eye(20, X.shape[1]) == 1, np.nan, X[100:120]), y[100:120]),
        (X[100:120], np.c_[y[100:120], y[100:120]]),  # a second target appears
    ]
    for Xb, yb in bad_batches:
        with pytest.raises(ValueError):
            est.partial_fit(Xb, yb)
        assert vars(est).keys() == before.keys()
        for key, value in before.items():
            if isinstance(value, np.ndarray):
                assert_allclose(getattr(est, key), value, rtol=0, atol=0)
            else:
                assert getattr(est, key) is value
    # The stream goes on as if the bad batches had never been offered.
    _stream(est, X[100:], y[100:], w[100:], cuts=(0,))
    _assert_same_fit(est, PinvRegressor().fit(X, y, sample_weight=w))


def test_failing_solution_step_is_rolled_back():
    # alpha with 2 values but one target: fails after validation.
    X, y, _ = _data(seed=7)
    est = TikhonovRegressor(alpha=1.0).partial_fit(X[:50], y[:50])
    coef = est.coef_.copy()
    est.set_params(alpha=[1.0, 2.0])
    with pytest.raises(ValueError, match="penalties do not correspond"):
        est.partial_fit(X[50:], y[50:])
    est.set_params(alpha=1.0)
    assert_allclose(est.coef_, coef, rtol=0, atol=0)
    est.partial_fit(X[50:], y[50:])
    _assert_same_fit(est, TikhonovRegressor(alpha=1.0).fit(X, y))


def test_fit_then_partial_fit_continues_and_fit_restarts():
    X, y, w = _data(seed=8, t=2, offset=50.0)
    est = PinvRegressor().fit(X[:90], y[:90], sample_weight=w[:90])
    est.partial_fit(X[90:], y[90:], sample_weight=w[90:])
    _assert_same_fit(est, PinvRegressor().fit(X, y, sample_weight=w))
    # fit forgets earlier batches.
    est.fit(X[:90], y[:90])
    _assert_same_fit(est, PinvRegressor().fit(X[:90], y[:90]))
    est.set_params(fit_intercept=False)
    with pytest.raises(ValueError, match="fit_intercept"):
        est.partial_fit(X[90:], y[90:])


def test_stream_serves_either_intercept_setting():
    # The sqrt(w) column keeps both answers: switching fit_intercept mid-stream
    # is still exact.
    X, y, w = _data(seed=9, offset=5.0)
    est = PinvRegressor().partial_fit(X[:100], y[:100], sample_weight=w[:100])
    est.set_params(fit_intercept=False).partial_fit(X[100:], y[100:], sample_weight=w[100:])
    _assert_same_fit(est, PinvRegressor(fit_intercept=False).fit(X, y, sample_weight=w))


def test_rfactor_merge_tree_equals_one_shot_factorization():
    X, Y, w = _data(seed=10, t=2, offset=1e3)
    parts = [RFactor.from_block(X[a:a + 40], Y[a:a + 40], w[a:a + 40])
             for a in range(0, X.shape[0], 40)]
    while len(parts) > 1:  # pairwise, as the dask reduction does
        parts = [p[0].merge(p[1]) if len(p) == 2 else p[0]
                 for p in (parts[i:i + 2] for i in range(0, len(parts), 2))]
    acc = parts[0]
    assert acc.R.shape == (1 + 6 + 2,) * 2  # O(n^2) state, whatever m
    assert acc.n_samples == X.shape[0]
    for fit_intercept in (True, False):
        got = acc.to_factorization(fit_intercept)
        ref = factorize(X, Y, w, fit_intercept=fit_intercept)
        assert_allclose(got.singular_values, ref.singular_values, rtol=1e-10)
        assert_allclose(got.X_offset, ref.X_offset, rtol=1e-12)
        assert_allclose(got.y_offset, ref.y_offset, rtol=1e-12)
        assert_allclose(got.residual_norms, ref.residual_norms, rtol=1e-9)
        d = 1 / ref.singular_values
        assert_allclose(got.solve(d), ref.solve(d), rtol=1e-9)
        assert got.shape == ref.shape


def test_partial_fit_accepts_sparse_batches():
    sp = pytest.importorskip("scipy.sparse")
    X, y, w = _data(seed=11)
    X[np.abs(X) < 0.8] = 0.0
    est = PinvRegressor()
    for a in range(0, 240, 80):
        est.partial_fit(sp.csr_matrix(X[a:a + 80]), y[a:a + 80], sample_weight=w[a:a + 80])
    _assert_same_fit(est, PinvRegressor().fit(X, y, sample_weight=w))
