"""The straight fit path (issue 9): one answer whatever the copy, container, cache,
scale or thread, every claimed equality exact, and helpers that never reach into the
estimator. References are independent: mpmath, scikit-learn, brute force."""

import ast
import pickle
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import make_regression
from sklearn.linear_model import LinearRegression, Ridge, RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import sklearn_pinv
from sklearn_pinv import (
    AccuracyWarning,
    PinvRegressor,
    TikhonovCV,
    TikhonovRegressor,
    config_context,
)
from sklearn_pinv import _streaming
from sklearn_pinv.tolerance import GCVRank

mp = pytest.importorskip("mpmath")
PACKAGE = Path(sklearn_pinv.__file__).parent


def mp_lstsq(A, y, dps=60):
    """Exact least squares of the float64 data (with a ones column), in ``dps`` digits."""
    with mp.workdps(dps):
        M = mp.matrix(np.column_stack([np.ones(len(y)), A]).tolist())
        b = mp.matrix(y.tolist())
        return np.array([float(v) for v in mp.lu_solve(M.T * M, M.T * b)])


def polynomial_problem(seed=0, m=400):
    """The issue's reproduction: x..x^5 of x ~ U(1, 2), Fortran order."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 2, m)
    X = np.asfortranarray(np.column_stack([x**k for k in range(1, 6)]))
    y = X @ [26, -3, 2, 1, 0.5] + 1e-3 * rng.standard_normal(m)
    return X, y


def _quiet_fit(est, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(*args, **kwargs)
    return est, [w for w in caught if issubclass(w.category, AccuracyWarning)]


# --- 1. copy_X never changes the answer ----------------------------------------------


@pytest.mark.parametrize("precision", ["fast", "standard", "high"])
@pytest.mark.parametrize("cache", [False, True])
def test_copy_X_false_gives_the_copy_X_true_answer(precision, cache):
    X, y = polynomial_problem()
    ref = mp_lstsq(X, y)
    with config_context(factorization_cache=cache):
        kept = PinvRegressor(copy_X=True, precision=precision).fit(X.copy(order="F"), y)
        for _ in range(2):  # with the cache: a miss, then a hit
            given = X.copy(order="F")
            gone = PinvRegressor(copy_X=False, precision=precision).fit(given, y)
            np.testing.assert_allclose(gone.coef_, kept.coef_, rtol=1e-12 if precision == "fast"
                                       else 0, atol=0 if precision != "fast" else 1e-9)
    got = np.r_[kept.intercept_, kept.coef_]
    # The fit is the least-squares solution, not the in-place wreck (~1e9).
    tol = 1e-6 if precision == "fast" else 1e-10
    np.testing.assert_allclose(got, ref, rtol=tol)


# --- 2. every container gets the same accuracy, or says why not -------------------------


def test_sparse_input_is_refined_like_dense():
    X, y = polynomial_problem(1, m=200)
    ref = mp_lstsq(X, y)
    dense, dw = _quiet_fit(PinvRegressor(), X, y)
    sparse, sw = _quiet_fit(PinvRegressor(), sp.csr_matrix(X), y)
    fast = PinvRegressor(precision="fast").fit(sp.csr_matrix(X), y)
    def error(est):
        return np.max(np.abs(np.r_[est.intercept_, est.coef_] - ref) / np.abs(ref))

    assert error(dense) <= 4 * np.finfo(float).eps and error(sparse) <= 4 * np.finfo(float).eps
    assert "refined" in dense.solver_ and "refined" in sparse.solver_
    assert not dw and not sw
    # Unrefined, the same sparse fit is visibly worse: the refinement is doing the work.
    assert error(fast) > 1e3 * np.finfo(float).eps


def _ill_problem(seed=3):
    """Full rank, estimated error over 1e-4 unrefined (cond 1e7, noisy y)."""
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((60, 60)))
    V, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    X = (U[:, :6] * np.logspace(0, -7, 6)) @ V.T
    # A residual outside range(X): kappa^2 * ||r|| / ||w|| makes the bound ~1e-2.
    return X, X @ rng.standard_normal(6) + 0.1 * U[:, 6:] @ rng.standard_normal(54)


def test_inputs_that_cannot_refine_warn_under_the_same_conditions():
    X, y = _ill_problem()
    kw = {"tol": 0.0, "fit_intercept": False}
    est, warned = _quiet_fit(PinvRegressor(**kw), X, y)
    assert not warned and "refined" in est.solver_  # dense: refined, no warning
    stream = PinvRegressor(**kw)
    with pytest.warns(AccuracyWarning, match="not refined"):
        stream.partial_fit(X[:30], y[:30]).partial_fit(X[30:], y[30:])
    da = pytest.importorskip("dask.array")
    with pytest.warns(AccuracyWarning, match="not refined"):
        PinvRegressor(**kw).fit(da.from_array(X, chunks=(20, 6)), y)
    # Well-conditioned data: no route warns.
    Xw = np.random.default_rng(0).standard_normal((60, 6))
    for fit in (lambda e: e.fit(Xw, y), lambda e: e.partial_fit(Xw, y),
                lambda e: e.fit(da.from_array(Xw, chunks=(20, 6)), y)):
        with warnings.catch_warnings():
            warnings.simplefilter("error", AccuracyWarning)
            fit(PinvRegressor(tol=0.0))


def test_tikhonovcv_final_model_is_refined_like_the_regressor():
    X, y = polynomial_problem(2, m=120)
    cv = TikhonovCV(alphas=[1e-12, 1e-9], tols=(0.0,)).fit(X, y)
    reg = TikhonovRegressor(alpha=cv.alpha_, tol=0.0).fit(X, y)
    assert "refined" in reg.solver_ and "refined" in cv.solver_
    np.testing.assert_allclose(cv.coef_, reg.coef_, rtol=1e-12)


# --- 3. the equalities the docs claim, across alpha = 0 and rank deficiency ------------


def duplicated(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((12, 3))
    return np.hstack([X, X]), rng.standard_normal(12)


@pytest.mark.parametrize("alpha", [0.0, 1e-10, 1e-3, 1.0, 100.0])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("data", ["duplicated", "wide", "full"])
def test_tol_ridge_equals_ridge_svd(alpha, weighted, data):
    rng = np.random.default_rng(1)
    X, y = {"duplicated": duplicated(), "wide": (rng.standard_normal((8, 15)), rng.random(8)),
            "full": (rng.standard_normal((30, 4)), rng.random(30))}[data]
    w = rng.uniform(0.5, 2, len(y)) if weighted else None
    ref = Ridge(alpha=alpha, solver="svd").fit(X, y, sample_weight=w)
    ours = TikhonovRegressor(alpha=alpha, tol="ridge").fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-10, atol=1e-12)


def test_tol_zero_keeps_rounding_noise_and_says_so():
    X, y = duplicated()
    for est in (TikhonovRegressor(alpha=0.0, tol=0.0), PinvRegressor(tol=0.0, precision="high")):
        fitted, warned = _quiet_fit(est, X, y)
        assert warned and "rounding level" in str(warned[0].message)
    # The default policy drops the noise: the minimum-norm solution, as lstsq.
    ref = np.linalg.lstsq(X - X.mean(0), y - y.mean(), rcond=None)[0]
    for est in (PinvRegressor(), PinvRegressor(precision="high"), TikhonovRegressor(alpha=0.0)):
        np.testing.assert_allclose(est.fit(X, y).coef_, ref, rtol=1e-10)


def test_tol_1e6_equals_linear_regression_as_the_installed_version_defines_it():
    import sklearn

    rng = np.random.default_rng(2)
    x = np.sort(rng.uniform(0, 1, 40))
    X = np.vander(x, 12, increasing=True)[:, 1:]  # rank-deficient at 1e-6
    y = np.sin(6 * x)
    ref = LinearRegression().fit(X, y)
    new = tuple(int(p) for p in sklearn.__version__.split(".")[:2]) >= (1, 9)
    ours = PinvRegressor(tol=1e-6 if new else "scipy", precision="fast").fit(X, y)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-9, atol=1e-12)
    s = np.linalg.svd(X - X.mean(0), compute_uv=False)
    assert int(np.sum(s > 1e-6 * s[0])) == ours.rank_ or not new


# --- 4. float32 is scored in float64 -----------------------------------------------------


def test_float32_search_picks_what_ridgecv_picks():
    X, y = make_regression(50, 100, noise=0, bias=10, random_state=42)
    X, y = X.astype(np.float32), y.astype(np.float32)
    alphas = [1e-3, 0.1, 1, 10]
    ours = TikhonovCV(alphas=alphas, tols=(0.0,)).fit(X, y)
    assert ours.alpha_ == RidgeCV(alphas=alphas).fit(X, y).alpha_ == 1e-3
    assert ours.coef_.dtype == np.float32 and ours.predict(X).dtype == np.float32
    ref = TikhonovRegressor(alpha=1e-3, tol=0.0).fit(X.astype(np.float64), y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-4, atol=1e-6)


# --- 5 and 6. nothing overflows: the rules, the means ----------------------------------


@pytest.mark.parametrize("rule", ["gcv", "lcurve", "quasi-optimal"])
@pytest.mark.parametrize("scale", [2.0**530, 2.0**-530])  # ~1e160, 1e-160, exact
def test_alpha_rules_are_scale_free(rule, scale):
    rng = np.random.default_rng(4)
    X = rng.standard_normal((50, 5)) * np.logspace(0, -3, 5)
    y = X @ np.ones(5) + 0.01 * rng.standard_normal(50)
    ref = TikhonovRegressor(alpha=rule).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # alpha_ beyond the float range
        big = TikhonovRegressor(alpha=rule).fit(X * scale, y)
    # LAPACK rescales a matrix beyond ~1e138 by a factor that is not a power of
    # two: GCV's continuous search (xatol 1e-6 in log alpha) then moves by ~1e-10.
    np.testing.assert_allclose(big.coef_ * scale, ref.coef_, rtol=1e-8)
    np.testing.assert_allclose(big.intercept_, ref.intercept_, rtol=1e-8)
    with np.errstate(over="ignore", under="ignore"):
        expected = ref.alpha_ * np.float64(scale) ** 2
    if np.isfinite(expected) and expected > 1e-300:
        assert big.alpha_ == pytest.approx(expected, rel=1e-8)


def test_alpha_beyond_the_float_range_is_used_and_reported():
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((40, 4)), rng.standard_normal(40)
    with pytest.warns(UserWarning, match="beyond the float range"):
        reg = TikhonovRegressor(alpha="gcv").fit(X * 1e160, y)
    assert reg.alpha_ == np.inf and np.all(np.isfinite(reg.coef_)) and np.any(reg.coef_ != 0)


def test_means_near_the_float_limit():
    reg = PinvRegressor().fit(np.zeros((3, 1)), [5.99e307] * 3)
    assert reg.coef_[0] == 0 and reg.intercept_ == 5.99e307
    X = np.array([[1e307], [3e307], [5e307], [7e307]])
    y = np.array([6e307, 5e307, 4e307, 3e307])
    reg = PinvRegressor().fit(X, y)
    np.testing.assert_allclose([reg.coef_[0], reg.intercept_], [-0.5, 6.5e307], rtol=1e-13)


def test_a_centred_range_beyond_the_float_limit_is_a_clear_error():
    X = np.array([[1.7e308], [-1.7e308], [-1.7e308]])
    with pytest.raises(ValueError, match="exceeds the floating-point range"):
        PinvRegressor().fit(X, [1.0, 2.0, 3.0])


# --- 8. helpers that take values and return values --------------------------------------


def test_a_rule_runs_once_per_fit():
    X, y = make_regression(80, 10, noise=5.0, random_state=0)
    calls = []

    def rule(fact, kept):
        calls.append(1)
        return 1.0

    TikhonovRegressor(alpha=rule).fit(X, y)
    assert len(calls) == 1

    class Counting(GCVRank):
        def select(self, factorization, kept):
            calls.append(2)
            return super().select(factorization, kept)

    calls.clear()
    PinvRegressor(tol=Counting()).fit(X * np.logspace(0, -8, 10), y)
    assert calls == [2]


@pytest.mark.parametrize("how", ["direct", "pipeline", "partial_fit"])
def test_accuracy_warnings_point_at_the_callers_line(how):
    X, y = _ill_problem()
    X, y = duplicated()
    est = PinvRegressor(tol=0.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if how == "direct":
            est.fit(X, y)
        elif how == "pipeline":
            make_pipeline(StandardScaler(), est).fit(X, y)
        else:
            est.partial_fit(X, y)
    [w] = [w for w in caught if issubclass(w.category, AccuracyWarning)]
    assert w.filename == __file__


def test_fit_does_not_build_a_stream_until_partial_fit_asks(monkeypatch):
    X, y = polynomial_problem(3, m=100)
    full = PinvRegressor(precision="high").fit(X, y)
    monkeypatch.setattr(_streaming.RFactor, "from_block",
                        classmethod(lambda *a, **k: pytest.fail("fit built a stream")))
    est = PinvRegressor(precision="high").fit(X[:60], y[:60])
    monkeypatch.undo()
    est.partial_fit(X[60:], y[60:])
    np.testing.assert_allclose(est.predict(X), full.predict(X), rtol=1e-9)


def test_a_high_precision_model_pickles_smaller_than_X():
    rng = np.random.default_rng(6)
    X, y = rng.standard_normal((20000, 10)), rng.standard_normal(20000)
    est = PinvRegressor(precision="high").fit(X, y)
    assert est.factorization_.U is None
    assert len(pickle.dumps(est)) < X.nbytes / 20


def test_init_parameters_after_the_first_are_keyword_only():
    with pytest.raises(TypeError):
        PinvRegressor("scipy", False)
    with pytest.raises(TypeError):
        TikhonovRegressor(1.0, "scipy")
    assert clone(TikhonovRegressor(2.0, tol="numpy")).get_params()["tol"] == "numpy"


def test_public_functions_validate_their_parameters():
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="fit_intercept"):
        sklearn_pinv.factorize(np.eye(3), np.ones(3), fit_intercept="yes")
    with pytest.raises(InvalidParameterError, match="return_rank"):
        sklearn_pinv.pinv(np.eye(3), return_rank="yes")


def _imports(path, lazy=False):
    tree = ast.parse(path.read_text())
    # Module level only unless ``lazy``: a lazy import of a heavy dependency is
    # fine, but a lazy import between our own modules can hide a circle.
    for node in ast.walk(tree) if lazy else tree.body:
        if isinstance(node, ast.ImportFrom) and node.module is None:  # from . import _x
            yield from ((alias.name, node.level) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield (node.module, node.level)
        elif isinstance(node, ast.Import):
            yield from ((alias.name, 0) for alias in node.names)


def test_no_module_imports_scipy_stats_or_plotting_at_import_time():
    for path in PACKAGE.rglob("*.py"):
        for module, _ in _imports(path):
            assert not module.startswith(("scipy.stats", "matplotlib")), path


def test_the_private_sklearn_names_come_through_compat_only():
    for path in PACKAGE.rglob("*.py"):
        if path.name == "_compat.py":
            continue
        text = path.read_text()
        for line in text.splitlines():
            if line.lstrip().startswith(("from sklearn", "import sklearn")):
                assert "._" not in line.split(" import ")[0].replace("sklearn_pinv", ""), \
                    f"{path.name}: {line.strip()}"


def test_the_import_graph_has_no_cycle():
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        deps = set()
        for module, level in _imports(path, lazy=True):
            if level:
                base = package.split(".")
                base = base[: len(base) - (level - 1)] if level > 1 else base
                deps.add(".".join(base + ([module] if module else [])))
        graph[name.removesuffix(".__init__")] = deps
    names = set(graph)
    graph = {k: {d for d in v if d in names and d != "sklearn_pinv"} for k, v in graph.items()}
    state = {}

    def visit(node, path):
        if state.get(node) == "done":
            return
        assert state.get(node) != "open", " -> ".join(path + [node])
        state[node] = "open"
        for dep in graph.get(node, ()):
            visit(dep, path + [node])
        state[node] = "done"

    for node in graph:
        visit(node, [])


def test_import_is_light():
    code = ("import sys, sklearn_pinv; "
            "print(sorted(m for m in ('matplotlib', 'dask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
