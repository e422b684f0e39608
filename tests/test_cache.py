"""The opt-in factorization cache: content keys, never a different result, no shared
arrays, no serialised threads, thread-local settings."""

import hashlib
import multiprocessing
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, KFold

import sklearn_pinv
from sklearn_pinv import (
    PinvRegressor,
    TikhonovRegressor,
    cache_info,
    config_context,
    get_config,
    set_config,
)


@pytest.fixture
def hashes(monkeypatch):
    """Count the SHA-256 objects the cache creates."""
    calls = []
    real = hashlib.sha256
    monkeypatch.setattr(hashlib, "sha256", lambda *a: calls.append(a) or real(*a))
    return calls


def data(seed=0, m=30, n=4):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, n)) * rng.uniform(0.1, 10, n) + 3, rng.standard_normal(m)


def test_off_by_default_and_never_hashes(hashes):
    assert get_config()["factorization_cache"] is False
    X, y = data()
    TikhonovRegressor().fit(X, y)
    TikhonovRegressor().fit(X, y)
    assert hashes == [] and cache_info() == {"hits": 0, "misses": 0, "entries": 0, "bytes": 0}


def test_same_content_hits_whatever_the_layout_and_changes_nothing():
    X, y = data()
    ref = TikhonovRegressor(alpha=3.0).fit(X, y)
    with config_context(factorization_cache=True):
        a = TikhonovRegressor().fit(X, y)
        b = TikhonovRegressor(alpha=3.0).fit(np.asfortranarray(X.copy()), y.copy())
        c = TikhonovRegressor().fit(X[::-1][::-1], list(y))  # a strided view, a list
    assert cache_info()["misses"] == 1 and cache_info()["hits"] == 2
    np.testing.assert_array_equal(b.coef_, ref.coef_)
    np.testing.assert_array_equal(a.coef_, c.coef_)


def test_fitted_arrays_are_private_and_writeable():
    X, y = data(2)
    with config_context(factorization_cache=True):
        a = TikhonovRegressor().fit(X, y)
        b = TikhonovRegressor().fit(X, y)
    assert cache_info()["hits"] == 1
    for name in ("singular_values", "V", "z", "X_offset"):
        va, vb = getattr(a.factorization_, name), getattr(b.factorization_, name)
        assert va.flags.writeable and vb.flags.writeable
        assert not np.shares_memory(va, vb)
    assert not np.shares_memory(a.singular_values_, b.singular_values_)
    b.singular_values_[0] = -1.0  # a user scribbling on one fit ...
    with config_context(factorization_cache=True):
        c = TikhonovRegressor().fit(X, y)  # ... changes nothing for the next
    np.testing.assert_array_equal(c.singular_values_, a.singular_values_)


def test_never_stale_after_data_change():
    X, y = data(1)
    with config_context(factorization_cache=True):
        TikhonovRegressor().fit(X, y)
        X[3, 1] += 1e-9  # changed in place: same object, new content
        cached = TikhonovRegressor().fit(X, y)
        y2 = y.copy()
        y2[0] += 1  # a new target, weights or intercept flag are new keys too
        TikhonovRegressor().fit(X, y2)
        TikhonovRegressor().fit(X, y, sample_weight=np.full(30, 2.0))
        TikhonovRegressor(fit_intercept=False).fit(X, y)
    fresh = TikhonovRegressor().fit(X, y)
    np.testing.assert_array_equal(cached.coef_, fresh.coef_)
    assert cache_info()["misses"] == 5 and cache_info()["hits"] == 0


@pytest.mark.parametrize("precision", ["fast", "standard", "high"])
def test_copy_X_false_gives_the_same_answer_with_the_cache(precision):
    X, y = data(3, m=200, n=5)
    X = np.asfortranarray(X)
    ref = PinvRegressor(precision=precision).fit(X, y)
    with config_context(factorization_cache=True):
        for _ in range(2):  # a miss, then a hit
            got = PinvRegressor(copy_X=False, precision=precision).fit(X.copy(order="F"), y)
            np.testing.assert_allclose(got.coef_, ref.coef_, rtol=1e-13)


def test_too_big_to_store_is_neither_hashed_nor_stored(hashes):
    X, y = data(4, m=400, n=30)
    with config_context(factorization_cache=True, cache_max_bytes=1000):
        for _ in range(3):
            TikhonovRegressor().fit(X, y)
    assert hashes == [] and cache_info()["entries"] == 0


def test_memory_is_bounded():
    with config_context(factorization_cache=True, cache_max_entries=2):
        for seed in range(5):
            TikhonovRegressor().fit(*data(seed))
    assert cache_info()["entries"] == 2
    assert cache_info()["bytes"] < 2 * 4096


def test_bad_settings_are_errors():
    with pytest.raises(ValueError, match="cache_max_bytes"):
        set_config(cache_max_bytes=-1)
    with pytest.raises(TypeError, match="factorization_cache"):
        set_config(factorization_cache="yes")


def test_configuration_is_thread_local():
    # Two overlapping blocks in two threads, exited in the "wrong" order:
    # each thread restores only its own settings.
    entered, release_a, release_b = threading.Barrier(2), threading.Event(), threading.Event()
    seen = {}

    def worker(name, value, wait_for, then_set):
        with config_context(factorization_cache=value):
            entered.wait(timeout=30)
            seen[name] = get_config()["factorization_cache"]
            wait_for.wait(timeout=30)
        then_set.set()
        seen[name + " after"] = get_config()["factorization_cache"]

    a = threading.Thread(target=worker, args=("a", True, release_a, release_b))
    b = threading.Thread(target=worker, args=("b", False, release_b, release_a))
    a.start(), b.start()
    release_b.set()  # b leaves its block first, a second
    a.join(30), b.join(30)
    assert seen == {"a": True, "b": False, "a after": False, "b after": False}
    assert get_config()["factorization_cache"] is False
    fresh = {}
    t = threading.Thread(target=lambda: fresh.update(get_config()))
    t.start(), t.join()
    assert fresh["factorization_cache"] is False


def test_concurrent_fits_with_the_cache_are_identical():
    X, y = data(4, m=400, n=30)
    ref = TikhonovRegressor(alpha=2.0).fit(X, y)

    def fit(_):
        with config_context(factorization_cache=True):
            return TikhonovRegressor(alpha=2.0).fit(X, y)

    with ThreadPoolExecutor(8) as pool:
        fits = list(pool.map(fit, range(16)))
    for reg in fits:
        np.testing.assert_array_equal(reg.coef_, ref.coef_)
    info = cache_info()
    assert info["hits"] + info["misses"] == 16 and info["entries"] == 1


def _child_entries(queue):
    queue.put(sklearn_pinv.cache_info()["entries"])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_child_starts_empty():
    with config_context(factorization_cache=True):
        TikhonovRegressor().fit(*data(5))
    assert cache_info()["entries"] == 1
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child_entries, args=(queue,))
    proc.start()
    entries = queue.get(timeout=30)
    proc.join(timeout=30)
    assert entries == 0


def test_gridsearchcv_costs_one_factorization_per_fold():
    X, y = data(6, m=60, n=5)
    grid = {"alpha": np.logspace(-3, 3, 10), "tol": ["scipy", 1e-3]}
    cv = KFold(3)
    with config_context(factorization_cache=True):
        search = GridSearchCV(TikhonovRegressor(), grid, cv=cv).fit(X, y)
    assert cache_info()["misses"] == 3 + 1  # the folds and the refit
    assert cache_info()["hits"] == 3 * 20 - 3
    ref = GridSearchCV(TikhonovRegressor(), grid, cv=cv).fit(X, y)
    np.testing.assert_array_equal(search.cv_results_["mean_test_score"],
                                  ref.cv_results_["mean_test_score"])


def test_joblib_processes_give_the_same_search():
    X, y = data(7, m=60, n=5)
    grid = {"alpha": np.logspace(-3, 3, 4)}
    par = GridSearchCV(TikhonovRegressor(), grid, cv=3, n_jobs=2).fit(X, y)
    seq = GridSearchCV(TikhonovRegressor(), grid, cv=3).fit(X, y)
    np.testing.assert_array_equal(par.cv_results_["mean_test_score"],
                                  seq.cv_results_["mean_test_score"])
