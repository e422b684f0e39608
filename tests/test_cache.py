"""The factorization cache: content keys, never stale, bounded, thread and process safe."""

import multiprocessing
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, KFold

import sklearn_pinv
from sklearn_pinv import TikhonovRegressor, cache_config, cache_info, clear_cache, set_cache
from sklearn_pinv._cache import cached_factorize
from sklearn_pinv._factorization import factorize


@pytest.fixture(autouse=True)
def fresh_cache():
    previous = set_cache(enabled=True)
    clear_cache()
    yield
    set_cache(**previous)
    clear_cache()


def data(seed=0, m=30, n=4):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, n)), rng.standard_normal(m)


def prime(m=30, n=4):
    """A fit of other data of the same shape: the first of a shape is never hashed."""
    TikhonovRegressor().fit(*data(99, m, n))
    assert cache_info()["entries"] == 0


def test_a_lone_fit_is_neither_hashed_nor_stored(monkeypatch):
    import hashlib
    calls = []
    monkeypatch.setattr(hashlib, "sha256", lambda *a: calls.append(a) or hashlib.new("sha256"))
    TikhonovRegressor().fit(*data(10))
    assert calls == [] and cache_info()["entries"] == 0 and cache_info()["misses"] == 1
    TikhonovRegressor().fit(*data(11))  # the same shape again: now hashed and stored
    assert len(calls) == 1 and cache_info()["entries"] == 1


def test_same_content_hits_whatever_the_layout():
    X, y = data()
    prime()
    a = TikhonovRegressor().fit(X, y)
    b = TikhonovRegressor(alpha=3.0).fit(np.asfortranarray(X.copy()), y.copy())
    c = TikhonovRegressor().fit(X[::-1][::-1], list(y))  # a strided view, a list
    assert cache_info()["misses"] == 1 + 1 and cache_info()["hits"] == 2
    assert a.factorization_ is b.factorization_ is c.factorization_


def test_never_stale_after_data_change():
    X, y = data(1)
    TikhonovRegressor().fit(X, y)
    X[3, 1] += 1e-9  # changed in place: same object, new content
    cached = TikhonovRegressor().fit(X, y)
    with cache_config(enabled=False):
        fresh = TikhonovRegressor().fit(X, y)
    np.testing.assert_array_equal(cached.coef_, fresh.coef_)
    assert cache_info()["misses"] == 2
    y2 = y.copy()
    y2[0] += 1  # a new target, weights or intercept flag are new keys too
    TikhonovRegressor().fit(X, y2)
    TikhonovRegressor().fit(X, y, sample_weight=np.full(30, 2.0))
    TikhonovRegressor(fit_intercept=False).fit(X, y)
    assert cache_info()["misses"] == 5


def test_cached_arrays_are_read_only():
    X, y = data(2)
    prime()
    fact = TikhonovRegressor().fit(X, y).factorization_
    with pytest.raises(ValueError, match="read-only"):
        fact.singular_values[0] = 0.0


def test_disabled_and_context_manager():
    X, y = data(3)
    with cache_config(enabled=False):
        TikhonovRegressor().fit(X, y)
        TikhonovRegressor().fit(X, y)
        assert cache_info()["entries"] == 0 and not cache_info()["enabled"]
    assert cache_info()["enabled"]
    prime()
    fact = cached_factorize(X, y[:, None])
    assert not fact.V.flags.writeable
    with pytest.raises(ValueError, match="max_bytes"):
        set_cache(max_bytes=-1)


def test_memory_is_bounded():
    set_cache(max_entries=2)
    for seed in range(5):
        TikhonovRegressor().fit(*data(seed))
    assert cache_info()["entries"] == 2
    set_cache(max_entries=64, max_bytes=100)  # smaller than any factorization
    assert cache_info()["entries"] == 0
    TikhonovRegressor().fit(*data(9))
    assert cache_info()["entries"] == 0 and cache_info()["bytes"] == 0


def test_threads_factor_once():
    X, y = data(4, m=400, n=30)
    prime(400, 30)
    with ThreadPoolExecutor(8) as pool:
        fits = list(pool.map(lambda a: TikhonovRegressor(alpha=a).fit(X, y), range(16)))
    assert cache_info()["misses"] == 1 + 1 and cache_info()["hits"] == 15
    ref = factorize(X, y[:, None])
    for reg in fits:
        np.testing.assert_array_equal(reg.singular_values_, ref.singular_values)


def _child_entries(queue):
    queue.put(sklearn_pinv.cache_info()["entries"])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_child_starts_empty():
    prime()
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
    search = GridSearchCV(TikhonovRegressor(), grid, cv=cv).fit(X, y)
    # The folds, the refit, and the first fit of the fold shape (never hashed).
    assert cache_info()["misses"] == 3 + 1 + 1
    with cache_config(enabled=False):
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
