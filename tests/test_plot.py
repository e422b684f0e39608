"""Displays: render to PNG with Agg and check what was drawn against the numbers."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.datasets import load_diabetes  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402

from sklearn_pinv import (  # noqa: E402
    LCurveDisplay,
    PicardDisplay,
    PinvRegressor,
    RegularizationPathDisplay,
    SpectrumDisplay,
    TikhonovRegressor,
    tolerance,
)
from sklearn_pinv._views import lcurve  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _png(display, tmp_path):
    path = tmp_path / "plot.png"
    display.figure_.savefig(path)
    assert path.stat().st_size > 1000
    with open(path, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def _spectrum_problem():
    # Diagonal design: the singular values are exactly the diagonal.
    s = np.array([1.5, 1e-3, 5e-9, 2e-14, 1e-17])
    return np.diag(s), np.ones(5), s


# The spectrum keeps 2e-14: the core may warn that coefficients lose digits.
@pytest.mark.filterwarnings("ignore:.*ill-conditioned")
def test_spectrum_draws_every_distinct_threshold(tmp_path):
    X, y, s = _spectrum_problem()
    reg = PinvRegressor(tol="scipy", fit_intercept=False).fit(X, y)
    disp = SpectrumDisplay.from_estimator(reg)
    _png(disp, tmp_path)
    names = tolerance.available_policies()
    taus = {n: tolerance.threshold(n, s, X.shape, X.dtype) for n in names}
    # One line per distinct (tau, rank); octave and scipy share theirs.
    distinct = {(f"{t:.12g}", tolerance.rank(n, s, X.shape, X.dtype)) for n, t in taus.items()}
    assert len(disp.threshold_lines_) == len(distinct)
    drawn = sorted(line.get_ydata()[0] for line in disp.threshold_lines_.values())
    assert drawn == pytest.approx(sorted({float(f"{t:.12g}") for t in taus.values()}))
    shared = [label for label in disp.threshold_lines_ if "octave" in label]
    assert len(shared) == 1 and "scipy" in shared[0]
    legend = [t.get_text() for t in disp.ax_.get_legend().get_texts()]
    for name in names:
        assert any(name in text for text in legend)
    assert disp.ax_.get_yscale() == "log"


def test_spectrum_marks_kept_and_dropped():
    X, y, s = _spectrum_problem()
    reg = PinvRegressor(tol="sqrt-eps", fit_intercept=False).fit(X, y)
    disp = SpectrumDisplay.from_estimator(reg, policies=["sqrt-eps", 1e-2])
    np.testing.assert_array_equal(disp.kept_.get_ydata(), s[: reg.rank_])
    np.testing.assert_array_equal(disp.dropped_.get_ydata(), s[reg.rank_:])
    assert reg.rank_ == 2
    labels = list(disp.threshold_lines_)
    assert len(labels) == 2 and "rank 1" in labels[0] and "rank 2" in labels[1]


def test_spectrum_from_data_and_given_axes():
    fig, ax = plt.subplots()
    X = np.vander(np.linspace(0, 1, 30), 8)
    disp = SpectrumDisplay.from_data(X, ax=ax, legend=False)
    assert disp.ax_ is ax and disp.figure_ is fig
    assert disp.ax_.get_legend() is None
    # The constant column is centred away: one singular value is exactly 0.
    assert len(disp.dropped_.get_xdata()) == 1
    assert np.isnan(disp.dropped_.get_ydata()).all()


def test_picard_lines_match_factorization(tmp_path):
    X, y = load_diabetes(return_X_y=True)
    reg = PinvRegressor(tol=tolerance.FixedRank(6)).fit(X, y)
    disp = PicardDisplay.from_estimator(reg)
    _png(disp, tmp_path)
    fact = reg.factorization_
    # Independent U: the SVD of the centred X, signs fixed per column by V.
    Xc = X - X.mean(axis=0)
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    uty = np.abs(U.T @ (y - y.mean()))
    assert len(disp.ax_.get_lines()) == 4  # three sequences + the rank line
    np.testing.assert_allclose(disp.lines_["singular_values"].get_ydata(), s, rtol=1e-12)
    np.testing.assert_allclose(disp.lines_["uty"].get_ydata(), uty, rtol=1e-8)
    np.testing.assert_allclose(disp.lines_["ratio"].get_ydata(), uty / s, rtol=1e-8)
    assert disp.rank_line_.get_xdata()[0] == 6.5
    assert fact.z.shape[0] == s.size
    labels = [t.get_text() for t in disp.ax_.get_legend().get_texts()]
    assert labels == ["$\\sigma_i$", "$|u_i^T y|$", "$|u_i^T y| / \\sigma_i$", "rank 6"]


def _ill_posed(seed=0, noise=1e-3):
    rng = np.random.default_rng(seed)
    Q1, _ = np.linalg.qr(rng.standard_normal((60, 12)))
    Q2, _ = np.linalg.qr(rng.standard_normal((12, 12)))
    s = np.logspace(0, -8, 12)
    X = (Q1 * s) @ Q2.T
    w = Q2 @ (s**0.5)  # Picard condition holds: |u_i^T y| ~ s_i^1.5
    y = X @ w + noise * rng.standard_normal(60)
    return X, y


def test_lcurve_corner_is_the_max_curvature_point(tmp_path):
    X, y = _ill_posed()
    alphas = np.logspace(-14, 2, 81)
    disp = LCurveDisplay.from_data(X, y, alphas=alphas, fit_intercept=False)
    _png(disp, tmp_path)
    # Independent residual and solution norms from Ridge(solver="svd").
    for i in (0, 40, 80):
        ridge = Ridge(alpha=alphas[i], solver="svd", fit_intercept=False).fit(X, y)
        r = np.linalg.norm(y - ridge.predict(X))
        assert disp.residual_norms[i] == pytest.approx(r, rel=1e-6)
        assert disp.solution_norms[i] == pytest.approx(np.linalg.norm(ridge.coef_), rel=1e-6)
    # Finite-difference curvature of the drawn curve peaks at the same corner.
    xi, eta, t = np.log(disp.residual_norms), np.log(disp.solution_norms), np.log(alphas)
    dxi, deta = np.gradient(xi, t), np.gradient(eta, t)
    kappa = (dxi * np.gradient(deta, t) - np.gradient(dxi, t) * deta) / (dxi**2 + deta**2) ** 1.5
    assert abs(int(np.argmax(kappa[1:-1])) + 1 - disp.corner_index) <= 1
    # The corner sits where alpha meets the noise: 1e-3 noise on s down to 1e-8.
    assert 1e-9 < disp.corner_alpha < 1e-3
    cx, cy = disp.corner_.get_data()
    assert cx[0] == disp.residual_norms[disp.corner_index]
    assert cy[0] == disp.solution_norms[disp.corner_index]
    assert len(disp.ax_.get_lines()) == 2
    assert disp.ax_.get_xscale() == disp.ax_.get_yscale() == "log"
    assert f"{disp.corner_alpha:.3g}" in disp.corner_.get_label()


def test_lcurve_analytic_curvature_matches_finite_differences():
    X, y = _ill_posed(seed=1)
    reg = PinvRegressor(fit_intercept=False).fit(X, y)
    t = np.linspace(np.log(1e-12), np.log(1.0), 4001)
    r, w, kappa = lcurve(reg.factorization_, np.exp(t), None)
    xi, eta = np.log(r), np.log(w)
    dxi, deta = np.gradient(xi, t), np.gradient(eta, t)
    fd = (dxi * np.gradient(deta, t) - np.gradient(dxi, t) * deta) / (dxi**2 + deta**2) ** 1.5
    np.testing.assert_allclose(kappa[50:-50], fd[50:-50], rtol=1e-2, atol=1e-2 * np.abs(fd).max())


def test_regularization_path_matches_ridge(tmp_path):
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    alphas = np.logspace(-3, 2, 6)
    reg = TikhonovRegressor(alpha=0.5, tol=0.0).fit(X, y)
    disp = RegularizationPathDisplay.from_estimator(reg, alphas=alphas)
    _png(disp, tmp_path)
    assert len(disp.lines_) == X.shape[1]
    assert [line.get_label() for line in disp.lines_] == list(X.columns)
    for i, alpha in enumerate(alphas):
        ridge = Ridge(alpha=alpha, solver="svd").fit(X, y)
        drawn = [line.get_ydata()[i] for line in disp.lines_]
        np.testing.assert_allclose(drawn, ridge.coef_, rtol=1e-9, atol=1e-9)
    assert disp.alpha_line_.get_xdata()[0] == 0.5


def test_regularization_path_from_data_on_pinv_has_no_alpha_line():
    X, y = load_diabetes(return_X_y=True)
    disp = RegularizationPathDisplay.from_data(X, y, legend=False)
    assert disp.alpha_line_ is None and disp.ax_.get_legend() is None
    assert len(disp.ax_.get_lines()) == X.shape[1]


def test_displays_need_a_fitted_estimator():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        SpectrumDisplay.from_estimator(PinvRegressor())


def test_import_does_not_load_matplotlib():
    import subprocess
    import sys

    code = "import sys, sklearn_pinv; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_cv_curve_from_grid_search_in_a_pipeline(tmp_path):
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sklearn_pinv import CVCurveDisplay

    X, y = load_diabetes(return_X_y=True)
    alphas = [1e-2, 1e0, 1e2]
    grid = {"tikhonovregressor__alpha": alphas,
            "tikhonovregressor__tol": ["scipy", tolerance.FixedRank(3)]}
    search = GridSearchCV(make_pipeline(StandardScaler(), TikhonovRegressor()), grid,
                          cv=3).fit(X, y)
    disp = CVCurveDisplay.from_estimator(search)
    _png(disp, tmp_path)
    assert list(disp.lines_) == ["'scipy'", "FixedRank(k=3)"]
    res = search.cv_results_
    for label, tol in [("'scipy'", "scipy"), ("FixedRank(k=3)", tolerance.FixedRank(3))]:
        rows = [i for i, p in enumerate(res["params"]) if p["tikhonovregressor__tol"] == tol]
        np.testing.assert_array_equal(disp.lines_[label].get_xdata(), alphas)
        np.testing.assert_allclose(disp.lines_[label].get_ydata(),
                                   res["mean_test_score"][rows])
    best = search.best_params_
    assert disp.best_.get_xdata()[0] == best["tikhonovregressor__alpha"]
    assert disp.best_.get_ydata()[0] == pytest.approx(search.best_score_)
    assert disp.ax_.get_xscale() == "log"
    assert disp.ax_.get_ylabel() == "r2 (mean over folds)"


def test_cv_curve_of_tikhonov_cv_and_pinv_cv():
    from sklearn_pinv import CVCurveDisplay, PinvCV, TikhonovCV

    X, y = load_diabetes(return_X_y=True)
    reg = TikhonovCV(alphas=np.logspace(-3, 1, 5), tols=("scipy", 0.1), cv=3).fit(X, y)
    disp = CVCurveDisplay.from_estimator(reg)
    assert len(disp.lines_) == 2
    assert disp.best_.get_xdata()[0] == reg.alpha_
    assert disp.best_.get_ydata()[0] == pytest.approx(reg.best_score_)
    pcv = PinvCV(tols=("scipy", 1e-3, 0.1), cv=3).fit(X, y)
    disp = CVCurveDisplay.from_estimator(pcv)
    # One alpha: one point per tolerance, tolerances on the x axis.
    assert [len(line.get_xdata()) for line in disp.lines_.values()] == [1, 1, 1]
    ticks = [t.get_text() for t in disp.ax_.get_xticklabels()]
    assert ticks == ["'scipy'", "0.001", "0.1"]
    assert disp.best_.get_ydata()[0] == pytest.approx(pcv.best_score_)


def test_cv_curve_needs_cv_results():
    from sklearn_pinv import CVCurveDisplay

    with pytest.raises(ValueError, match="cv_results_"):
        CVCurveDisplay.from_estimator(PinvRegressor())


def test_displays_of_a_cv_estimator_use_its_chosen_tol_and_alpha():
    from sklearn_pinv import TikhonovCV

    X, y = load_diabetes(return_X_y=True)
    reg = TikhonovCV(alphas=[1e-3, 1e-1, 10.0], tols=(tolerance.FixedRank(4),)).fit(X, y)
    spectrum = SpectrumDisplay.from_estimator(reg, policies=["scipy"])
    assert len(spectrum.kept_.get_xdata()) == reg.rank_ == 4
    path = RegularizationPathDisplay.from_estimator(reg)
    assert path.alpha_line_.get_xdata()[0] == reg.alpha_
    # Dropped directions stay out of every coefficient along the path.
    V = reg.factorization_.V
    np.testing.assert_allclose(V[:, 4:].T @ np.asarray(path.coefs).T, 0, atol=1e-8)


def test_cv_curve_of_gcv_has_no_std_band():
    from sklearn_pinv import CVCurveDisplay, TikhonovCV

    X, y = load_diabetes(return_X_y=True)
    reg = TikhonovCV(alphas=np.logspace(-4, 1, 6), criterion="gcv").fit(X, y)
    disp = CVCurveDisplay.from_estimator(reg)
    assert len(disp.ax_.collections) == 0 and disp.ax_.get_ylabel() == "- GCV"
    assert disp.best_.get_xdata()[0] == reg.alpha_
