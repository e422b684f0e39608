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
@pytest.mark.filterwarnings("ignore::sklearn_pinv.AccuracyWarning")
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


# ---------------------------------------------------------------- what is drawn
def _legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _integer_ticks(ax):
    ticks = ax.get_xticks()
    return len(ticks) > 1 and np.array_equal(ticks, np.round(ticks))


def test_spectrum_of_a_fitted_pipeline_is_its_last_steps():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = load_diabetes(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), TikhonovRegressor(alpha=2.0)).fit(X, y)
    disp = SpectrumDisplay.from_estimator(pipe, policies=["scipy"])
    # Independent spectrum: numpy's SVD of the standardised, centred X.
    Z = (X - X.mean(0)) / X.std(0)
    s = np.linalg.svd(Z, compute_uv=False)
    np.testing.assert_allclose(disp.kept_.get_ydata(), s, rtol=1e-12)
    assert disp.ax_.get_title() == "Spectrum of TikhonovRegressor (442 samples × 10 features)"
    # The fitted alpha_ is marked at sqrt(alpha), where s^2/(s^2+alpha) = 1/2.
    (label, line), = disp.marks_.items()
    assert line.get_ydata()[0] == pytest.approx(np.sqrt(2.0))
    assert label.startswith("TikhonovRegressor alpha_") and "=2" in label
    assert label in _legend(disp.ax_)


def test_spectrum_of_a_search_is_its_best_estimators():
    from sklearn.model_selection import GridSearchCV

    X, y = load_diabetes(return_X_y=True)
    search = GridSearchCV(PinvRegressor(), {"tol": [tolerance.FixedRank(3), "scipy"]},
                          cv=3).fit(X, y)
    disp = SpectrumDisplay.from_estimator(search)
    assert len(disp.kept_.get_xdata()) == search.best_estimator_.rank_


def test_spectrum_without_a_spectrum_says_so():
    from sklearn.exceptions import NotFittedError
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    X, y = load_diabetes(return_X_y=True)
    with pytest.raises(ValueError, match="LinearRegression has no factorization_"):
        SpectrumDisplay.from_estimator(LinearRegression().fit(X, y))
    with pytest.raises(ValueError, match="LinearRegression has no factorization_"):
        PicardDisplay.from_estimator(make_pipeline(LinearRegression()).fit(X, y))
    with pytest.raises(NotFittedError):
        LCurveDisplay.from_estimator(make_pipeline(PinvRegressor()))
    search = GridSearchCV(PinvRegressor(), {"tol": ["scipy", 0.1]}, cv=3)
    with pytest.raises(NotFittedError):
        SpectrumDisplay.from_estimator(search)
    with pytest.raises(ValueError, match="refit=True"):
        SpectrumDisplay.from_estimator(search.set_params(refit=False).fit(X, y))


def test_spectrum_ticks_labels_and_highlighted_threshold():
    X, y, s = _spectrum_problem()
    reg = PinvRegressor(tol=1e-4, fit_intercept=False).fit(X, y)
    disp = SpectrumDisplay.from_estimator(reg, policies=["sqrt-eps"], title="diag")
    assert _integer_ticks(disp.ax_)
    assert disp.ax_.get_xlabel() == "index i"
    assert disp.ax_.get_ylabel() == "singular value $\\sigma_i$"
    assert disp.ax_.get_title() == "diag"
    # The estimator's own threshold 1e-4 * max(s), drawn thick, labelled with its rank.
    assert disp.threshold_line_.get_ydata()[0] == pytest.approx(1e-4 * 1.5)
    assert disp.threshold_line_.get_linewidth() > 2
    assert _legend(disp.ax_) == [
        "kept (2)", "dropped (3)", "used by PinvRegressor: tau=1.50e-04 (rank 2)",
        f"sqrt-eps: tau={np.sqrt(np.finfo(float).eps) * 1.5:.2e} (rank 2)"]


def test_spectrum_marks_the_picks_of_selection_rules():
    X, y = load_diabetes(return_X_y=True)
    disp = SpectrumDisplay.from_data(X, y, policies=[], rank_marks={"GCV": 7, "L-curve": 4},
                                     alpha_marks={"GCV": 0.25, "none": np.nan, "zero": 0.0})
    assert disp.ax_.get_title() == "Spectrum of X (442 samples × 10 features)"
    assert list(disp.marks_) == ["GCV: rank 7", "L-curve: rank 4",
                                 "GCV: $\\sqrt{\\alpha}$, $\\alpha$=0.25"]
    xs = [line.get_xdata()[0] for line in disp.marks_.values()]
    assert xs[:2] == [7.5, 4.5]  # between the last kept and the first dropped
    assert list(disp.marks_.values())[2].get_ydata()[0] == 0.5
    assert _legend(disp.ax_)[-3:] == list(disp.marks_)
    assert "used by tol='scipy'" in _legend(disp.ax_)[2]


def test_spectrum_passes_keywords_to_matplotlib():
    from matplotlib.colors import to_rgba

    X, y, _ = _spectrum_problem()
    reg = PinvRegressor(tol=1e-4, fit_intercept=False).fit(X, y)
    disp = SpectrumDisplay.from_estimator(
        reg, color="g", marker="s", dropped_kwargs={"c": "m"},
        threshold_kwargs={"lw": 3}, rank_marks={"r": 1}, mark_kwargs={"color": "y"})
    assert to_rgba(disp.kept_.get_color()) == to_rgba("g")
    assert disp.kept_.get_marker() == "s"
    assert to_rgba(disp.dropped_.get_color()) == to_rgba("m")
    assert {line.get_linewidth() for line in disp.threshold_lines_.values()} == {3}
    assert to_rgba(disp.marks_["r: rank 1"].get_color()) == to_rgba("y")
    with pytest.raises(TypeError, match="aliases"):
        SpectrumDisplay.from_estimator(reg, c="r", color="b")


def test_picard_labels_ticks_and_keywords():
    from matplotlib.colors import to_rgba

    X, y = load_diabetes(return_X_y=True)
    reg = PinvRegressor(tol=tolerance.FixedRank(6)).fit(X, y)
    disp = PicardDisplay.from_estimator(reg, color="k", ratio_kwargs={"color": "r"},
                                        rank_kwargs={"ls": ":"})
    assert disp.ax_.get_ylabel() == "magnitude (log scale)"
    assert disp.ax_.get_xlabel() == "index i" and _integer_ticks(disp.ax_)
    assert disp.ax_.get_title() == "Picard plot of PinvRegressor (442 samples × 10 features)"
    colors = {k: to_rgba(line.get_color()) for k, line in disp.lines_.items()}
    assert colors == {"singular_values": to_rgba("k"), "uty": to_rgba("k"),
                      "ratio": to_rgba("r")}
    assert disp.rank_line_.get_linestyle() == ":"
    legend_off = PicardDisplay.from_data(X, y, legend=False, title="diabetes")
    assert legend_off.ax_.get_legend() is None and legend_off.ax_.get_title() == "diabetes"


def test_lcurve_marks_the_corner_and_the_fitted_alpha():
    from sklearn_pinv import TikhonovCV

    X, y = load_diabetes(return_X_y=True)
    reg = TikhonovCV(alphas=np.logspace(-4, 2, 13)).fit(X, y)
    disp = LCurveDisplay.from_estimator(reg)
    # The fitted alpha_'s point from Ridge(solver="svd"), an independent solver.
    ridge = Ridge(alpha=reg.alpha_, solver="svd").fit(X, y)
    (r,), (w,) = disp.alpha_marker_.get_data()
    assert r == pytest.approx(np.linalg.norm(y - ridge.predict(X)), rel=1e-9)
    assert w == pytest.approx(np.linalg.norm(ridge.coef_), rel=1e-9)
    assert reg.alpha_ != disp.corner_alpha  # the two picks differ on diabetes
    assert _legend(disp.ax_) == ["L-curve", f"corner: alpha={disp.corner_alpha:.3g}",
                                 f"TikhonovCV alpha_={reg.alpha_:.3g}"]
    assert disp.ax_.get_xlabel() == "residual norm $\\|y - Xw\\|$"
    assert disp.ax_.get_ylabel() == "solution norm $\\|w\\|$"
    assert disp.ax_.get_title() == "L-curve of TikhonovCV (442 samples × 10 features)"
    pinv = LCurveDisplay.from_data(X, y, color="m", corner_kwargs={"ms": 20})
    assert pinv.alpha_marker_ is None and len(_legend(pinv.ax_)) == 2
    assert pinv.line_.get_color() == "m" and pinv.corner_.get_markersize() == 20


def test_regularization_path_keywords_and_title():
    X, y = load_diabetes(return_X_y=True)
    reg = TikhonovRegressor(alpha=0.5).fit(X, y)
    disp = RegularizationPathDisplay.from_estimator(reg, lw=3, alpha_kwargs={"color": "r"},
                                                    title="diabetes")
    assert {line.get_linewidth() for line in disp.lines_} == {3}
    assert disp.alpha_line_.get_color() == "r" and disp.ax_.get_title() == "diabetes"
    assert _legend(disp.ax_) == [f"x{j}" for j in range(10)] + ["alpha=0.5"]
    assert disp.ax_.get_xlabel() == "alpha" and disp.ax_.get_ylabel() == "coefficient"
