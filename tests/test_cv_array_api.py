"""TikhonovCV / PinvCV on array API inputs: SVDs in the input's namespace and device.

As in ``test_array_api.py``, scikit-learn's dispatch needs ``SCIPY_ARRAY_API=1``
set before SciPy is imported: the driver test runs this file again in a
subprocess with it set; the real tests skip in the parent process. torch
tests skip when torch is not installed (``pip install torch==2.13.0`` takes
the local CPU wheel on the project's machines).
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from _versions import ARRAY_API_DISPATCH
from sklearn_pinv import PinvCV, PinvRegressor, TikhonovCV, TikhonovRegressor

IN_CHILD = os.environ.get("SCIPY_ARRAY_API") == "1"
needs_env = pytest.mark.skipif(
    not IN_CHILD, reason="runs in the SCIPY_ARRAY_API=1 subprocess (test_cv_array_api_in_child)")
NAMESPACES = [pytest.param("array_api_strict", None, id="strict"),
              pytest.param("array_api_strict", "device1", id="strict-device1"),
              pytest.param("torch", "cpu", id="torch-cpu")]


def test_cv_array_api_in_child():
    if IN_CHILD:
        pytest.skip("already running with SCIPY_ARRAY_API=1")
    pytest.importorskip("array_api_strict", reason="array-api-strict is not installed")
    if not ARRAY_API_DISPATCH:
        pytest.skip("scikit-learn's array API dispatch needs SciPy >= 1.14 (and "
                    "array-api-compat with scikit-learn 1.6)")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(Path(__file__).resolve()), "-q", "-rs",
         "-p", "no:cacheprovider", "-o", "addopts="],
        env={**os.environ, "SCIPY_ARRAY_API": "1"}, cwd=Path(__file__).resolve().parents[1],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert " passed" in result.stdout and " failed" not in result.stdout


def _namespace(name, device):
    xp = pytest.importorskip(name, reason=f"{name} is not installed (CPU wheel: "
                             "pip install torch==2.13.0)")
    return xp, (xp.Device(device) if device == "device1" else device)


def _put(xp, device):
    return lambda a: None if a is None else xp.asarray(a, **({} if device is None else
                                                           {"device": device}))


def _to_numpy(a):
    from sklearn_pinv._array_api import to_numpy

    return a if isinstance(a, float) else to_numpy(a)


def _data(t=1, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((40, 6)) * [1, 1, 1, 1, 1e-3, 1e-3] + 2.0
    Y = X @ rng.standard_normal((6, t)) + 0.3 * rng.standard_normal((40, t)) + 1.0
    return X, (Y[:, 0] if t == 1 else Y), rng.uniform(0.3, 2.0, 40)


CASES = [
    lambda: TikhonovCV(store_cv_results=True),
    lambda: TikhonovCV(alphas=np.logspace(-3, 2, 6), tols=("scipy", 1e-2), cv=4,
                       alpha_per_target=True),
    lambda: TikhonovCV(criterion="gcv", fit_intercept=False),
    lambda: PinvCV(tols=("scipy", 1e-2, 1e-4), store_cv_results=True),
    lambda: PinvCV(cv=3, scoring="neg_mean_absolute_error"),
]


@needs_env
@pytest.mark.parametrize("name, device", NAMESPACES)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("t", [1, 2])
@pytest.mark.parametrize("make", CASES, ids=["loo-store", "kfold-per-target", "gcv",
                                             "pinv-loo", "pinv-kfold"])
def test_search_in_namespace_equals_numpy(name, device, dtype, t, make):
    import sklearn

    xp, device = _namespace(name, device)
    X, y, w = (a.astype(dtype) for a in _data(t))
    ref = make().fit(X, y, sample_weight=w)
    put = _put(xp, device)
    with sklearn.config_context(array_api_dispatch=True):
        est = make().fit(put(X), put(y), sample_weight=put(w))
        pred = est.predict(put(X))
    rtol = 1e-9 if dtype == "float64" else 1e-5
    assert_allclose(_to_numpy(est.alpha_), ref.alpha_, rtol=1e-9)  # the default grid: ~eps apart
    assert est.tol_ == ref.tol_ and est.rank_ == ref.rank_
    for name_ in ("coef_", "intercept_", "alphas_", "loo_values_", "singular_values_"):
        if name_ not in vars(ref):
            continue
        value, expected = getattr(est, name_), getattr(ref, name_)
        if isinstance(expected, (np.ndarray, np.generic)):  # arrays live in X's namespace
            assert type(value).__module__.split(".")[0] == name, name_
            assert value.device == put(X).device
        assert_allclose(_to_numpy(value), expected, rtol=rtol, atol=rtol)
    assert_allclose(est.cv_results_["mean_test_score"], ref.cv_results_["mean_test_score"],
                    rtol=rtol, atol=rtol)
    assert str(est.coef_.dtype).endswith(dtype) and est.solver_.endswith("linalg.svd")
    assert type(pred).__module__.split(".")[0] == name
    assert_allclose(_to_numpy(pred), ref.predict(X), rtol=10 * rtol, atol=10 * rtol)


@needs_env
def test_every_svd_of_the_search_runs_in_the_namespace(monkeypatch):
    import sklearn

    xp, _ = _namespace("array_api_strict", None)
    calls, svd = [], xp.linalg.svd
    monkeypatch.setattr(xp.linalg, "svd",
                        lambda A, **k: calls.append(type(A).__module__) or svd(A, **k))
    X, y, _ = _data()
    with sklearn.config_context(array_api_dispatch=True):
        TikhonovCV(cv=5).fit(xp.asarray(X), xp.asarray(y))
    assert len(calls) == 1 + 5 and all(c.startswith("array_api_strict") for c in calls)


@needs_env
@pytest.mark.parametrize("make", [PinvRegressor, TikhonovRegressor, TikhonovCV, PinvCV])
def test_single_target_intercept_is_an_array_of_the_namespace(make):
    import sklearn

    xp, device = _namespace("array_api_strict", "device1")
    X, y, _ = _data()
    with sklearn.config_context(array_api_dispatch=True):
        est = make().fit(xp.asarray(X, device=device), xp.asarray(y, device=device))
    assert isinstance(est.intercept_, type(xp.asarray(0.0)))
    assert est.intercept_.ndim == 0 and est.intercept_.device == device
    assert_allclose(_to_numpy(est.intercept_), make().fit(X, y).intercept_, rtol=1e-9)


@needs_env
def test_alphas_on_a_device_numpy_cannot_read():
    import sklearn

    xp, device = _namespace("array_api_strict", "device1")
    X, Y, _ = _data(t=2)
    put = _put(xp, device)
    with sklearn.config_context(array_api_dispatch=True):
        reg = TikhonovRegressor(alpha=put(np.array([0.5, 3.0]))).fit(put(X), put(Y))
        cv = TikhonovCV(alphas=put(np.array([0.5, 3.0])), alpha_per_target=True).fit(
            put(X), put(Y))
    assert reg.alpha_.device == device and reg.coef_.device == device
    ref = TikhonovRegressor(alpha=np.array([0.5, 3.0])).fit(X, Y)
    assert_allclose(_to_numpy(reg.coef_), ref.coef_, rtol=1e-10)
    ref_cv = TikhonovCV(alphas=[0.5, 3.0], alpha_per_target=True).fit(X, Y)
    assert_allclose(_to_numpy(cv.alpha_), ref_cv.alpha_)


@needs_env
@pytest.mark.parametrize("name, device", [NAMESPACES[0], NAMESPACES[2]])
@pytest.mark.parametrize("est", [TikhonovCV(), PinvCV(cv=3)], ids=repr)
def test_scikit_learn_array_api_check(name, device, est):
    from sklearn.utils.estimator_checks import check_array_api_input

    _namespace(name, device)
    check_array_api_input(type(est).__name__, est, array_namespace=name, device_name=device,
                          dtype_name="float64", check_values=True, check_sample_weight=True)


@needs_env
@pytest.mark.parametrize("make", [TikhonovCV, PinvCV, TikhonovRegressor, PinvRegressor])
def test_single_column_y_shapes_as_numpy(make):
    import sklearn

    xp, device = _namespace("array_api_strict", None)
    X, y, _ = _data()
    Y = y[:, None]
    ref = make().fit(X, Y)
    with sklearn.config_context(array_api_dispatch=True):
        est = make().fit(xp.asarray(X), xp.asarray(Y))
        pred = est.predict(xp.asarray(X))
    assert est.coef_.shape == ref.coef_.shape and pred.shape == ref.predict(X).shape
    assert_allclose(_to_numpy(pred), ref.predict(X), rtol=1e-9)
