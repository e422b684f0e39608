"""Dask arrays: a tree reduction of per-chunk R factors equals the NumPy fit.

Runs on a ``dask.distributed.LocalCluster`` with worker *processes* (so every
piece really is pickled and shipped) and on the threaded scheduler.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

da = pytest.importorskip("dask.array", reason="dask[array] is not installed")
distributed = pytest.importorskip("distributed", reason="distributed is not installed")

from sklearn_pinv import PinvRegressor, TikhonovRegressor  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        worker_dashboard_address=None,
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def _data(seed=0, m=400, n=5, t=1, offset=0.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, n)) + offset
    Y = (X - offset) @ rng.normal(size=(n, t)) - 1.5 + 0.1 * rng.normal(size=(m, t))
    w = rng.uniform(0.1, 2.0, size=m)
    return X, (Y[:, 0] if t == 1 else Y), w


def _assert_same_fit(got, ref):
    assert_allclose(got.coef_, ref.coef_, rtol=1e-9, atol=1e-12)
    assert_allclose(got.intercept_, ref.intercept_, rtol=1e-9, atol=1e-12)
    assert_allclose(got.singular_values_, ref.singular_values_, rtol=1e-10)
    assert got.rank_ == ref.rank_
    assert got.n_features_in_ == ref.n_features_in_


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_dask_fit_on_local_cluster_equals_numpy(client, fit_intercept):
    X, y, w = _data(offset=1e4 if fit_intercept else 0.0)
    Xd = da.from_array(X, chunks=(60, -1))  # 7 uneven row chunks
    yd, wd = da.from_array(y, chunks=60), da.from_array(w, chunks=60)
    with distributed.get_task_stream(client) as stream:
        got = PinvRegressor(fit_intercept=fit_intercept).fit(Xd, yd, sample_weight=wd)
    ref = PinvRegressor(fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
    _assert_same_fit(got, ref)
    assert got.solver_.startswith("tsqr+")
    # The per-chunk factors and the merges ran on the cluster's workers.
    names = " ".join(str(t["key"]) for t in stream.data)
    assert "_block_r" in names and "_merge" in names
    assert {t["worker"] for t in stream.data} <= set(client.scheduler_info()["workers"])
    y_pred = got.predict(Xd)
    assert isinstance(y_pred, da.Array)
    # X ~ 1e4 times coef cancels to O(1): compare on the scale of the terms.
    assert_allclose(y_pred.compute(), ref.predict(X), rtol=1e-10, atol=1e-9)


def test_dask_multitarget_tikhonov_with_numpy_y(client):
    X, Y, w = _data(seed=1, t=3)
    Xd = da.from_array(X, chunks=(100, -1))
    got = TikhonovRegressor(alpha=0.7).fit(Xd, Y, sample_weight=w)  # y, w in memory
    ref = TikhonovRegressor(alpha=0.7).fit(X, Y, sample_weight=w)
    _assert_same_fit(got, ref)
    pred = got.predict(Xd)
    assert pred.shape == (400, 3)
    assert_allclose(pred.compute(), ref.predict(X), rtol=1e-10)


def test_dask_threaded_scheduler_and_feature_chunks_are_merged():
    import dask

    X, y, _ = _data(seed=2)
    Xd = da.from_array(X, chunks=(50, 2))  # chunked along the features too
    with dask.config.set(scheduler="threads"):
        got = PinvRegressor().fit(Xd, da.from_array(y, chunks=70))
        _assert_same_fit(got, PinvRegressor().fit(X, y))
        assert_allclose(got.predict(Xd).compute(), PinvRegressor().fit(X, y).predict(X))


def test_dask_partial_fit_after_dask_fit():
    import dask

    X, y, _ = _data(seed=3)
    with dask.config.set(scheduler="sync"):
        est = PinvRegressor().fit(da.from_array(X[:250], chunks=(80, -1)), y[:250])
    est.partial_fit(X[250:], y[250:])
    _assert_same_fit(est, PinvRegressor().fit(X, y))


def test_dask_clear_errors():
    import dask

    X, y, _ = _data(seed=4)
    with dask.config.set(scheduler="sync"):
        Xu = da.from_array(X, chunks=(100, -1))
        Xu = Xu[Xu[:, 0] > -10]  # boolean mask: unknown chunk sizes
        with pytest.raises(ValueError, match="compute_chunk_sizes"):
            PinvRegressor().fit(Xu, y)
        with pytest.raises(ValueError, match="rows"):
            PinvRegressor().fit(da.from_array(X, chunks=(100, -1)), y[:-1])
        Xn = X.copy()
        Xn[3, 1] = np.nan
        with pytest.raises(ValueError, match="NaN"):
            PinvRegressor().fit(da.from_array(Xn, chunks=(100, -1)), y)
        est = PinvRegressor().fit(X, y)
        with pytest.raises(ValueError, match="features"):
            est.predict(da.from_array(X[:, :-1], chunks=(100, -1)))
