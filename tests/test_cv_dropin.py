"""TikhonovCV / PinvCV as drop-ins for RidgeCV (issue 11 section 1).

Every check has an independent reference: scikit-learn's RidgeCV, Ridge,
LinearRegression or GridSearchCV, brute-force leave-one-out refits, or the
leave-one-out of an augmented QR (no SVD) on Hansen's baart problem.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression, Ridge, RidgeCV
from sklearn.model_selection import KFold

from sklearn_pinv import (
    GridEdgeWarning,
    PinvCV,
    PinvRegressor,
    TikhonovCV,
    TikhonovRegressor,
)
from sklearn_pinv import _cv_data, _streaming
from _versions import weighted_grid_search
from sklearn_pinv._compat import InvalidParameterError

ALPHAS = np.logspace(-3, 3, 13)
FORMATS = ["csr", "csc", "coo"]


def sparse_data(m=40, n=8, targets=None, seed=0, density=0.4):
    rng = np.random.default_rng(seed)
    X = sparse.random(m, n, density=density, random_state=seed, format="csr") * 3.0
    W = rng.standard_normal((n,) if targets is None else (n, targets))
    y = X @ W + rng.standard_normal((m,) if targets is None else (m, targets)) + 2.0
    return X, y


def quiet(fit):
    """``fit()`` with grid-edge warnings silenced (the grids here are small on purpose)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GridEdgeWarning)
        return fit()


def brute_loo_predictions(make, X, Y, w=None):
    """y_hat_{-j} by refitting without each sample; shape of Y."""
    m, P = X.shape[0], []
    for j in range(m):
        keep = np.arange(m) != j
        kw = {} if w is None else {"sample_weight": w[keep]}
        P.append(make().fit(X[keep], Y[keep], **kw).predict(X[j:j + 1])[0])
    return np.array(P)


# ------------------------------------------------------------------ sparse X
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("criterion", ["loo", "gcv"])
def test_sparse_loo_and_gcv_equal_dense_and_ridgecv(fmt, fit_intercept, weighted, criterion):
    X, y = sparse_data(seed=1)
    w = np.random.default_rng(1).uniform(0.3, 3, X.shape[0]) if weighted else None
    make = lambda: TikhonovCV(alphas=ALPHAS, tols=(0.0,), criterion=criterion,  # noqa: E731
                              fit_intercept=fit_intercept)
    ours = quiet(lambda: make().fit(X.asformat(fmt), y, sample_weight=w))
    dense = quiet(lambda: make().fit(X.toarray(), y, sample_weight=w))
    assert ours.alpha_ == dense.alpha_
    np.testing.assert_allclose(ours.coef_, dense.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"],
                               dense.cv_results_["mean_test_score"], rtol=1e-10)
    assert ours.solver_.startswith("tsqr") and dense.solver_.startswith(("qr", "ges"))
    if criterion == "loo":  # RidgeCV's own sparse route (eigen decomposition of X^T X)
        ref = RidgeCV(alphas=ALPHAS, fit_intercept=fit_intercept).fit(X.asformat(fmt), y,
                                                                      sample_weight=w)
        assert ours.alpha_ == ref.alpha_
        np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-8)
        np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_kfold_equals_gridsearchcv(fmt, weighted):
    X, y = sparse_data(m=45, seed=2)
    w = np.random.default_rng(2).uniform(0.3, 3, X.shape[0]) if weighted else None
    cv = KFold(5, shuffle=True, random_state=0)
    ours = quiet(lambda: TikhonovCV(alphas=ALPHAS, tols=(0.0,), cv=cv).fit(
        X.asformat(fmt), y, sample_weight=w))
    ref = weighted_grid_search(Ridge(solver="svd"), {"alpha": ALPHAS}, cv, None,
                               X.toarray(), y, w)
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"],
                               ref.cv_results_["mean_test_score"], rtol=1e-10)
    assert ours.alpha_ == ref.best_params_["alpha"]
    np.testing.assert_allclose(ours.coef_, ref.best_estimator_.coef_, rtol=1e-9, atol=1e-12)


def test_sparse_multitarget_per_target_and_pinvcv():
    X, Y = sparse_data(targets=3, seed=3)
    Y[:, 2] *= 20
    ours = quiet(lambda: TikhonovCV(alphas=ALPHAS, tols=(0.0,), alpha_per_target=True)
                 .fit(X, Y))
    ref = RidgeCV(alphas=ALPHAS, alpha_per_target=True).fit(X, Y)
    np.testing.assert_array_equal(ours.alpha_, ref.alpha_)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-10)
    pinv = PinvCV(tols=("scipy", 1e-2), cv=3).fit(X.tocoo(), Y)
    dense = PinvCV(tols=("scipy", 1e-2), cv=3).fit(X.toarray(), Y)
    np.testing.assert_allclose(pinv.cv_results_["mean_test_score"],
                               dense.cv_results_["mean_test_score"], rtol=1e-10)


def test_sparse_x_is_densified_one_block_at_a_time(monkeypatch):
    # Small blocks: the leave-one-out (U = Xc V / s by blocks) and the
    # streaming factorization only ever densify a few rows.
    monkeypatch.setattr(_cv_data, "_BLOCK_ELEMENTS", 64)
    monkeypatch.setattr(_streaming, "_BLOCK_ELEMENTS", 64)
    monkeypatch.setattr(_cv_data, "_CACHED_U_ELEMENTS", 0)  # rebuild U every pass
    X, y = sparse_data(m=60, n=5, seed=4)
    w = np.random.default_rng(4).uniform(0.3, 3, 60)
    shapes, real = [], type(X).toarray
    monkeypatch.setattr(type(X), "toarray",
                        lambda self, *a, **k: shapes.append(self.shape) or real(self, *a, **k))
    reg = quiet(lambda: TikhonovCV(alphas=[0.01, 1.0, 100.0], tols=(0.0,))
                .fit(X, y, sample_weight=w))
    assert shapes and max(s[0] for s in shapes) < 60 / 4
    monkeypatch.undo()
    alphas = [0.01, 1.0, 100.0]
    ref = [-np.mean(w * (y - brute_loo_predictions(lambda: Ridge(alpha=a, solver="svd"),
                                                   X.toarray(), y, w)) ** 2) for a in alphas]
    np.testing.assert_allclose(reg.cv_results_["mean_test_score"], ref, rtol=1e-8)


def test_sparse_loo_on_an_ill_conditioned_spectrum_equals_refits():
    # cond ~1e10: U = Xc V / s is rebuilt from V (no dense U to keep), and
    # the leave-one-out still matches refits without each sample.
    rng = np.random.default_rng(3)
    X = sparse.csr_matrix(sparse.random(60, 6, density=0.6, random_state=3, format="csr")
                          @ sparse.diags(np.logspace(0, -10, 6)))
    y = X @ rng.standard_normal(6) * 1e3 + 0.01 * rng.standard_normal(60)
    alphas = [1e-14, 1e-10, 1e-6, 1e-2]
    ours = quiet(lambda: TikhonovCV(alphas=alphas, tols=(0.0,)).fit(X, y))
    ref = [-np.mean((y - brute_loo_predictions(lambda: Ridge(alpha=a, solver="svd"),
                                               X.toarray(), y)) ** 2) for a in alphas]
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"], ref, rtol=1e-6)


# ------------------------------------------------------------ store_cv_results
def _mse_callable(y_true, y_pred, sample_weight=None):
    return -np.average((y_true - y_pred) ** 2, weights=sample_weight, axis=0).mean()


@pytest.mark.parametrize("scoring", [None, "neg_mean_squared_error", "callable"])
@pytest.mark.parametrize("y_shape", [(30,), (30, 1), (30, 3)])
@pytest.mark.parametrize("X_kind", ["dense", "csr"])
def test_store_cv_results_equals_ridgecv(scoring, y_shape, X_kind):
    from sklearn.metrics import make_scorer

    rng = np.random.default_rng(5)
    X = rng.standard_normal((30, 6)) + 1.0
    y = (X @ rng.standard_normal((6, y_shape[-1] if len(y_shape) == 2 else 1))
         + rng.standard_normal((30, 1))).reshape(y_shape)
    X = sparse.csr_matrix(X) if X_kind == "csr" else X
    w = rng.uniform(0.5, 2, 30)
    scoring = make_scorer(_mse_callable) if scoring == "callable" else scoring
    alphas = [0.1, 1.0, 10.0]
    ours = quiet(lambda: TikhonovCV(alphas=alphas, tols=(0.0,), scoring=scoring,
                                    store_cv_results=True).fit(X, y, sample_weight=w))
    ref = RidgeCV(alphas=alphas, scoring=scoring, store_cv_results=True).fit(
        X, y, sample_weight=w)
    assert ours.loo_values_.shape == ref.cv_results_.shape
    np.testing.assert_allclose(ours.loo_values_, ref.cv_results_, rtol=1e-8, atol=1e-10)
    assert isinstance(ours.cv_results_, dict)  # ours stays GridSearchCV's dictionary


def test_stored_loo_values_equal_brute_force_with_a_zero_weight():
    # Predictions (a scorer) and squared errors (scoring=None) against refits;
    # the zero-weight sample gets the fit without it (RidgeCV divides by its
    # zero weight there).
    rng = np.random.default_rng(6)
    X, y = rng.standard_normal((20, 4)), rng.standard_normal(20)
    w = rng.uniform(0.5, 2, 20)
    w[3] = 0.0
    alphas = [0.05, 2.0]
    pred = quiet(lambda: TikhonovCV(alphas=alphas, tols=(0.0,), scoring="r2",
                                    store_cv_results=True).fit(X, y, sample_weight=w))
    sq = quiet(lambda: TikhonovCV(alphas=alphas, tols=(0.0,), store_cv_results=True)
               .fit(X, y, sample_weight=w))
    for i, a in enumerate(alphas):
        P = brute_loo_predictions(lambda: Ridge(alpha=a, solver="svd"), X, y, w)
        np.testing.assert_allclose(pred.loo_values_[:, i], P, rtol=1e-9)
        np.testing.assert_allclose(sq.loo_values_[:, i], w * (y - P) ** 2, rtol=1e-9, atol=1e-15)


def test_store_cv_results_candidates_follow_cv_results_order():
    rng = np.random.default_rng(7)
    X, y = rng.standard_normal((25, 5)) * [1, 1, 1, 1e-3, 1e-3], rng.standard_normal(25)
    tols = (0.0, 1e-2)
    reg = quiet(lambda: TikhonovCV(alphas=ALPHAS, tols=tols, store_cv_results=True).fit(X, y))
    assert reg.loo_values_.shape == (25, ALPHAS.size * len(tols))
    np.testing.assert_allclose(-reg.loo_values_.mean(axis=0), reg.cv_results_["mean_test_score"],
                               rtol=1e-12)
    pinv = PinvCV(tols=tols, store_cv_results=True).fit(X, y)
    assert pinv.loo_values_.shape == (25, 2)


def test_store_cv_results_errors_and_default():
    X, y = np.random.default_rng(8).standard_normal((12, 3)), np.arange(12.0)
    with pytest.raises(ValueError) as ours:
        TikhonovCV(cv=3, store_cv_results=True).fit(X, y)
    with pytest.raises(ValueError) as ref:
        RidgeCV(cv=3, store_cv_results=True).fit(X, y)
    assert str(ours.value) == str(ref.value)
    with pytest.raises(ValueError, match="criterion='loo'"):
        TikhonovCV(criterion="gcv", store_cv_results=True).fit(X, y)
    assert not hasattr(quiet(lambda: TikhonovCV().fit(X, y)), "loo_values_")


# ------------------------------------------------------- single-column 2-D y
@pytest.mark.parametrize("X_kind", ["dense", "csr"])
@pytest.mark.parametrize("cv", [None, 3])
@pytest.mark.parametrize("ours, ref", [
    (TikhonovCV(alphas=ALPHAS, tols=(0.0,)), RidgeCV(alphas=ALPHAS)),
    (TikhonovRegressor(alpha=0.7, tol="ridge"), Ridge(alpha=0.7, solver="svd")),
    (PinvCV(tols=(0.0,)), LinearRegression()),
    (PinvRegressor(tol=0.0), LinearRegression()),
], ids=["TikhonovCV", "TikhonovRegressor", "PinvCV", "PinvRegressor"])
def test_single_column_y_shapes_follow_scikit_learn(X_kind, cv, ours, ref):
    rng = np.random.default_rng(9)
    X = rng.standard_normal((24, 5)) + 1.0
    Y = (X @ rng.standard_normal(5) + rng.standard_normal(24))[:, None]
    X_in = sparse.csr_matrix(X) if X_kind == "csr" else X
    if "cv" in ours.get_params():
        ours = ours.set_params(cv=cv)
        ref = ref.set_params(cv=cv) if "cv" in ref.get_params() else ref
    ours, ref = quiet(lambda: ours.fit(X_in, Y)), ref.fit(X, Y)  # Ridge(svd) needs dense X
    assert ours.coef_.shape == ref.coef_.shape
    assert np.shape(ours.intercept_) == np.shape(ref.intercept_)
    assert ours.predict(X_in).shape == ref.predict(X).shape
    np.testing.assert_allclose(ours.predict(X_in), ref.predict(X), rtol=1e-6)
    np.testing.assert_allclose(ours.score(X_in, Y), ref.score(X, Y), rtol=1e-6)


def test_one_dimensional_y_intercept_is_a_float64_as_ridgecv():
    X, y = load_diabetes(return_X_y=True)
    for cv in (None, KFold(5)):
        for X_in in (X, sparse.csr_matrix(X)):
            reg = quiet(lambda: TikhonovCV(cv=cv).fit(X_in, y))
            assert type(reg.intercept_) is type(RidgeCV(cv=cv).fit(X_in, y).intercept_)
            assert reg.coef_.ndim == 1 and isinstance(reg.best_score_, float)


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize("alphas, err, msg", [
    ((1, -1, -100), ValueError, r"alphas\[1\] == -1, must be >= 0.0"),
    ((-0.1, -1.0, -10.0), ValueError, r"alphas\[0\] == -0.1, must be >= 0.0"),
    ((1, 1.0, "1"), TypeError, r"alphas\[2\] must be an instance of float, not str"),
    ([-2.0], ValueError, r"alphas == -2.0, must be >= 0.0"),
    (np.array(-2.0), ValueError, r"alphas == -2.0, must be >= 0.0"),
    ([1.0, np.inf], ValueError, "finite"),
    (pd.Series([1.0, -2.0]), ValueError, r"alphas\[1\] == -2.0, must be >= 0.0"),
    ([], ValueError, "at least one"),
])
def test_alphas_are_validated_with_scikit_learns_wording(alphas, err, msg):
    X, y = np.random.default_rng(10).standard_normal((10, 3)), np.arange(10.0)
    with pytest.raises(err, match=msg):
        TikhonovCV(alphas=alphas).fit(X, y)
    if err is TypeError:  # RidgeCV raises the very same error
        with pytest.raises(err, match=msg):
            RidgeCV(alphas=alphas).fit(X, y)


def test_alphas_int_scalar_zero_and_not_mutated():
    X, y = load_diabetes(return_X_y=True)
    alphas = (1, 10, 100)
    reg = quiet(lambda: TikhonovCV(alphas=alphas, tols=(0.0,)).fit(X, y))
    assert reg.alphas is alphas and reg.alpha_ == RidgeCV(alphas=alphas).fit(X, y).alpha_
    assert TikhonovCV(alphas=3).fit(X, y).alpha_ == 3.0
    with pytest.raises(InvalidParameterError, match="'alphas' parameter of TikhonovCV"):
        TikhonovCV(alphas=-1.0).fit(X, y)
    # alpha = 0 (which RidgeCV rejects with cv=None) is the least-squares LOO.
    reg = TikhonovCV(alphas=[0.0], tols=(0.0,)).fit(X[:60], y[:60])
    ref = brute_loo_predictions(LinearRegression, X[:60], y[:60])
    np.testing.assert_allclose(reg.best_score_, -np.mean((y[:60] - ref) ** 2), rtol=1e-9)


def test_per_target_alpha_mismatch_has_ridges_message():
    rng = np.random.default_rng(11)
    X, Y = rng.standard_normal((10, 3)), rng.standard_normal((10, 3))
    with pytest.raises(ValueError) as ref:
        Ridge(alpha=np.array([1.0, 2.0])).fit(X, Y)  # 1.6 takes no list
    with pytest.raises(ValueError) as ours:
        TikhonovRegressor(alpha=[1.0, 2.0]).fit(X, Y)
    assert str(ours.value) == str(ref.value)
    with pytest.raises(ValueError, match=r"alpha\[1\] == -1.0, must be >= 0.0"):
        TikhonovRegressor(alpha=[1.0, -1.0, 2.0]).fit(X, Y)


# ---------------------------------------------------------- default alphas
def test_default_grid_spans_the_meaningful_spectrum():
    X, y = load_diabetes(return_X_y=True)
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)  # all kept by "scipy"
    lo = max(1e-2 * s[-1] ** 2, np.finfo(float).eps * s[0] ** 2)
    reg = TikhonovCV().fit(X, y)
    np.testing.assert_allclose(reg.alphas_, np.geomspace(lo, 1e2 * s[0] ** 2, 50), rtol=1e-10)
    # The pick is RidgeCV's on a fine grid, to the default grid's spacing.
    fine = RidgeCV(alphas=np.geomspace(lo, 1e2 * s[0] ** 2, 2000)).fit(X, y)
    step = reg.alphas_[1] / reg.alphas_[0]
    assert fine.alpha_ / step <= reg.alpha_ <= fine.alpha_ * step
    assert reg.alpha_ < 0.1  # RidgeCV's default grid stops at its lower edge
    assert TikhonovCV(alphas=ALPHAS).get_params()["alphas"] is ALPHAS


def test_default_grid_floors_at_the_datas_rounding_level():
    rng = np.random.default_rng(12)
    X = rng.standard_normal((40, 6)) @ np.diag(np.logspace(0, -9, 6))
    y = X @ rng.standard_normal(6) + 0.1 * rng.standard_normal(40)
    for dtype in (np.float64, np.float32):
        reg = quiet(lambda: TikhonovCV(tols=(0.0,)).fit(X.astype(dtype), y.astype(dtype)))
        s = reg.singular_values_.astype(np.float64)
        np.testing.assert_allclose(reg.alphas_[0], np.finfo(dtype).eps * s[0] ** 2, rtol=1e-5)
        np.testing.assert_allclose(reg.alphas_[-1], 1e2 * s[0] ** 2, rtol=1e-5)


def _edge_warnings(fit):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est = fit()
    return est, [str(w.message) for w in caught if w.category is GridEdgeWarning]


def test_grid_edge_warning_names_the_edge():
    X, y = load_diabetes(return_X_y=True)
    reg, msgs = _edge_warnings(lambda: TikhonovCV(alphas=(0.1, 1.0, 10.0)).fit(X, y))
    assert reg.alpha_ == RidgeCV().fit(X, y).alpha_ == 0.1  # RidgeCV: silently on the edge
    assert len(msgs) == 1 and "lower edge" in msgs[0] and "below 0.1" in msgs[0]
    reg, msgs = _edge_warnings(lambda: TikhonovCV(alphas=(1e-6, 1e-5)).fit(X, y))
    assert reg.alpha_ == 1e-5 and len(msgs) == 1 and "upper edge" in msgs[0]
    assert _edge_warnings(lambda: TikhonovCV().fit(X, y))[1] == []  # inside the default grid
    assert _edge_warnings(lambda: TikhonovCV(alphas=0.1).fit(X, y))[1] == []  # no grid
    assert _edge_warnings(lambda: PinvCV().fit(X, y))[1] == []
    Y = np.c_[y, np.random.default_rng(0).standard_normal(y.size)]  # the second: pure noise
    reg, msgs = _edge_warnings(lambda: TikhonovCV(alphas=(0.1, 1.0, 10.0), cv=3,
                                                  alpha_per_target=True).fit(X, Y))
    assert reg.alpha_[0] == 0.1 < reg.alpha_[1]
    assert len(msgs) == 1 and "lower edge" in msgs[0] and "target(s) [0]" in msgs[0]


def test_default_grid_edges_say_what_they_mean():
    rng = np.random.default_rng(13)
    X = rng.standard_normal((50, 4))
    _, msgs = _edge_warnings(lambda: TikhonovCV().fit(X, X @ [1.0, 2, 3, 4] + 1e-6 * rng
                                                      .standard_normal(50)))
    assert len(msgs) == 1 and "lower edge" in msgs[0] and "no regularisation" in msgs[0]
    _, msgs = _edge_warnings(lambda: TikhonovCV().fit(X, rng.standard_normal(50)))
    assert len(msgs) == 1 and "upper edge" in msgs[0] and "intercept" in msgs[0]


# -------------------------------------------- accuracy at tiny alpha (baart)
def baart(n):
    """Hansen's baart test problem (Regularization Tools), built from its formula.

    Kernel ``exp(s cos t)`` on ``[0, pi/2] x [0, pi]``, right-hand side
    ``2 sinh(s) / s``, solution ``sin t``; Galerkin with orthonormal box
    functions, the s-integrals exact and the t-integrals by Simpson's rule.
    """
    hs, ht = np.pi / (2 * n), np.pi / n
    s = np.arange(n + 1) * hs
    c = np.cos(np.arange(2 * n + 1) * (ht / 2))  # t at box edges and midpoints
    with np.errstate(divide="ignore", invalid="ignore"):
        F = (np.exp(np.outer(s[1:], c)) - np.exp(np.outer(s[:-1], c))) / c
    F[:, np.isclose(c, 0)] = hs  # cos t = 0: the integrand is 1
    A = (F[:, 0:-1:2] + 4 * F[:, 1::2] + F[:, 2::2]) / (3 * np.sqrt(2))
    u = np.arange(2 * n + 1) * (hs / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(u > 0, np.sinh(u) / u, 1.0)
    b = (g[0:-1:2] + 4 * g[1::2] + g[2::2]) * np.sqrt(hs) / 3
    x = (np.cos(np.arange(n) * ht) - np.cos(np.arange(1, n + 1) * ht)) / np.sqrt(ht)
    return A, b, x


def qr_loo_mse(X, y, alpha):
    """Exact LOO of ridge with intercept from the QR of ``[Xc; sqrt(alpha) I]`` (no SVD).

    ``H = Q1 Q1^T + 1 1^T / m`` for the first m rows ``Q1`` of Q.
    """
    m, n = X.shape
    Q = np.linalg.qr(np.vstack([X - X.mean(axis=0), np.sqrt(alpha) * np.eye(n)]))[0][:m]
    yc = y - y.mean()
    h = np.sum(Q**2, axis=1) + 1.0 / m
    return np.mean(((yc - Q @ (Q.T @ yc)) / (1 - h)) ** 2)


def test_baart_formula_matches_the_integral_equation():
    A, b, x = baart(64)
    assert np.linalg.norm(A @ x - b) < 1e-4 * np.linalg.norm(b)  # discretisation error
    # sin t against its box averages: x_j / sqrt(ht) is the mean of sin on box j.
    t = (np.arange(64) + 0.5) * np.pi / 64
    np.testing.assert_allclose(x / np.sqrt(np.pi / 64), np.sin(t), rtol=2e-4)


def test_loo_stays_exact_at_tiny_alpha_where_ridgecvs_does_not():
    A, b, x = baart(256)
    noise = 0.01 * np.abs(b).max() * np.random.default_rng(9).standard_normal(256)
    y = b + noise
    alphas = np.logspace(-16, 0, 17)
    ours = quiet(lambda: TikhonovCV(alphas=alphas, tols=(0.0,)).fit(A, y))
    ridge = RidgeCV(alphas=alphas, store_cv_results=True).fit(A, y)
    ref = np.array([qr_loo_mse(A, y, a) for a in alphas])
    np.testing.assert_allclose(-ours.cv_results_["mean_test_score"], ref, rtol=1e-6)
    assert ridge.cv_results_[:, 0].mean() > 100 * ref[0]  # RidgeCV at alpha=1e-16
    assert ours.alpha_ == alphas[np.argmin(ref)]
    err = lambda coef: np.linalg.norm(coef - x) / np.linalg.norm(x)  # noqa: E731
    assert err(ours.coef_) < 1.0
    # The failure: RidgeCV falls to a tiny alpha (1e-14 on current
    # releases, 1e-13 on 1.6) and its coefficients blow up.
    assert ridge.alpha_ <= 1e-13 and err(ridge.coef_) > 100
