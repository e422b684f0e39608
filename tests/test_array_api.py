"""Array API inputs: fitted in their own namespace (xp.linalg.svd), predictions too.

scikit-learn 1.9 enables ``array_api_dispatch`` only when SciPy's own array
API support is on, i.e. ``SCIPY_ARRAY_API=1`` set *before* SciPy is imported.
Rather than switching it on for the whole suite, the driver test below runs
this file again in a subprocess with the variable set; the real tests skip
in the parent process and run in the child.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sklearn
from numpy.testing import assert_allclose

from _versions import ARRAY_API_DISPATCH
from sklearn_pinv import PinvRegressor, TikhonovRegressor

IN_CHILD = os.environ.get("SCIPY_ARRAY_API") == "1"
needs_env = pytest.mark.skipif(
    not IN_CHILD, reason="runs in the SCIPY_ARRAY_API=1 subprocess (test_run_with_scipy_array_api)"
)


def test_run_with_scipy_array_api():
    if IN_CHILD:
        pytest.skip("already running with SCIPY_ARRAY_API=1")
    pytest.importorskip("array_api_strict", reason="array-api-strict is not installed")
    if not ARRAY_API_DISPATCH:
        # SciPy < 1.14 (the declared floor is older): scikit-learn refuses the
        # dispatch, so array API input has no route of its own to test here.
        with pytest.raises(ImportError, match="SciPy must be 1.14.0 or newer|array_api_compat"):
            sklearn.set_config(array_api_dispatch=True)
        return
    env = {**os.environ, "SCIPY_ARRAY_API": "1"}
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(Path(__file__).resolve()), "-q", "-rs",
         "-p", "no:cacheprovider", "-o", "addopts="],
        env=env, cwd=root, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert " passed" in result.stdout and " failed" not in result.stdout


def _namespaces():
    out = [pytest.param("array_api_strict", "float64", id="array_api_strict")]
    for dtype in ("float64", "float32"):
        out.append(pytest.param("torch", dtype, id=f"torch-cpu-{dtype}"))
    return out


def _xp(name):
    return pytest.importorskip(name, reason=f"{name} is not installed")


def _data(seed=0, m=60, n=5, t=1, rank=None):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, n)) + 3.0
    if rank is not None:
        X[:, rank:] = X[:, :rank] @ rng.normal(size=(rank, n - rank))
    Y = X @ rng.normal(size=(n, t)) + 0.5 + 0.1 * rng.normal(size=(m, t))
    w = rng.uniform(0.2, 2.0, size=m)
    return X, (Y[:, 0] if t == 1 else Y), w


def _to_numpy(a):
    from sklearn_pinv._array_api import to_numpy

    return to_numpy(a) if not isinstance(a, float) else a


@needs_env
@pytest.mark.parametrize("ns, dtype", _namespaces())
@pytest.mark.parametrize("t", [1, 2])
@pytest.mark.parametrize(
    "make", [lambda: PinvRegressor(), lambda: PinvRegressor(tol=1e-6, fit_intercept=False),
             lambda: TikhonovRegressor(alpha=0.3)],
    ids=["pinv", "pinv-noint", "tikhonov"],
)
def test_fit_in_namespace_equals_numpy(ns, dtype, t, make):
    import sklearn

    xp = _xp(ns)
    X, y, w = _data(t=t, rank=4)
    X, y, w = X.astype(dtype), y.astype(dtype), w.astype(dtype)
    ref = make().fit(X, y, sample_weight=w)
    with sklearn.config_context(array_api_dispatch=True):
        est = make().fit(xp.asarray(X), xp.asarray(y), sample_weight=xp.asarray(w))
        pred = est.predict(xp.asarray(X))
    rtol = 1e-10 if dtype == "float64" else 2e-4
    for attr in ("coef_", "singular_values_", "filter_factors_"):
        value = getattr(est, attr)
        assert type(value).__module__.split(".")[0] == ns, attr
        assert_allclose(_to_numpy(value), getattr(ref, attr), rtol=rtol, atol=rtol)
    assert_allclose(_to_numpy(est.intercept_), ref.intercept_, rtol=rtol, atol=rtol)
    assert est.rank_ == ref.rank_ == 4
    assert est.solver_.endswith("linalg.svd")
    assert type(pred).__module__.split(".")[0] == ns
    assert str(pred.dtype).endswith(dtype)
    assert_allclose(_to_numpy(pred), ref.predict(X), rtol=rtol, atol=10 * rtol)


@needs_env
def test_svd_runs_in_the_namespace(monkeypatch):
    import sklearn

    xp = _xp("array_api_strict")
    calls = []
    svd = xp.linalg.svd

    def spy(*args, **kwargs):
        calls.append(type(args[0]).__module__)
        return svd(*args, **kwargs)

    monkeypatch.setattr(xp.linalg, "svd", spy)
    X, y, _ = _data(seed=1)
    with sklearn.config_context(array_api_dispatch=True):
        PinvRegressor().fit(xp.asarray(X), xp.asarray(y))
    assert calls and calls[0].startswith("array_api_strict")


@needs_env
def test_mixed_inputs_follow_X_and_other_namespace_predict_raises():
    import sklearn

    torch = _xp("torch")
    X, y, w = _data(seed=2)
    with sklearn.config_context(array_api_dispatch=True):
        est = PinvRegressor().fit(torch.asarray(X), y, sample_weight=w)  # y, w NumPy
        assert isinstance(est.coef_, torch.Tensor)
        with pytest.raises(ValueError, match="same namespace"):
            est.predict(X)
    assert_allclose(est.coef_.numpy(), PinvRegressor().fit(X, y, sample_weight=w).coef_,
                    rtol=1e-10)


@needs_env
@pytest.mark.parametrize("ns, dtype", _namespaces())
@pytest.mark.parametrize("est", [PinvRegressor(), TikhonovRegressor()], ids=repr)
def test_scikit_learn_array_api_check(ns, dtype, est):
    # scikit-learn's own check, with values compared to the NumPy fit.
    from inspect import signature

    from sklearn.utils.estimator_checks import check_array_api_input

    _xp(ns)
    # Its keywords changed: device= became device_name= in 1.9, and 1.6-1.7
    # cannot check sample_weight (the tests above do, in every release).
    params = signature(check_array_api_input).parameters
    kw = {"device_name" if "device_name" in params else "device": "cpu" if ns == "torch" else None}
    if "check_sample_weight" in params:
        kw["check_sample_weight"] = True
    check_array_api_input(type(est).__name__, est, array_namespace=ns, dtype_name=dtype,
                          check_values=True, **kw)
