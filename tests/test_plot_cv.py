"""CVCurveDisplay: scores, standard errors, styles and labels checked against the
search's own cv_results_ and scipy."""

import numpy as np
import pytest
from scipy import stats

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
from matplotlib.colors import to_rgba  # noqa: E402
from sklearn.datasets import load_diabetes  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from sklearn_pinv import (  # noqa: E402
    CVCurveDisplay,
    PinvCV,
    PinvRegressor,
    TikhonovCV,
    TikhonovRegressor,
    tolerance,
)


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(return_X_y=True)


def _legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _band_limits(band, x):
    """Lowest and highest y of a fill_between polygon at each x."""
    v = band.get_paths()[0].vertices
    return np.array([[v[np.isclose(v[:, 0], xi), 1].min(), v[np.isclose(v[:, 0], xi), 1].max()]
                     for xi in x])


def _split_scores(results):
    return np.array([results[k] for k in results if k.startswith("split")])


def test_cv_curve_from_grid_search_in_a_pipeline(diabetes, tmp_path):
    X, y = diabetes
    alphas = [1e-2, 1e0, 1e2]
    grid = {"tikhonovregressor__alpha": alphas,
            "tikhonovregressor__tol": ["scipy", tolerance.FixedRank(3)]}
    search = GridSearchCV(make_pipeline(StandardScaler(), TikhonovRegressor()), grid,
                          cv=3).fit(X, y)
    disp = CVCurveDisplay.from_estimator(search)
    disp.figure_.savefig(tmp_path / "cv.png")
    assert list(disp.lines_) == ["'scipy'", "FixedRank(k=3)"]
    res = search.cv_results_
    sem = stats.sem(_split_scores(res), axis=0, ddof=1)
    for label, tol in [("'scipy'", "scipy"), ("FixedRank(k=3)", tolerance.FixedRank(3))]:
        rows = [i for i, p in enumerate(res["params"]) if p["tikhonovregressor__tol"] == tol]
        np.testing.assert_array_equal(disp.lines_[label].get_xdata(), alphas)
        mean = res["mean_test_score"][rows]
        np.testing.assert_allclose(disp.lines_[label].get_ydata(), mean)
        # The band is one standard error over the 3 folds, not one std.
        lo_hi = _band_limits(disp.bands_[label], alphas)
        np.testing.assert_allclose(lo_hi, np.c_[mean - sem[rows], mean + sem[rows]])
    best = search.best_params_
    assert disp.best_.get_xdata()[0] == best["tikhonovregressor__alpha"]
    assert disp.best_.get_ydata()[0] == pytest.approx(search.best_score_)
    assert disp.ax_.get_xscale() == "log" and disp.ax_.get_xlabel() == "alpha"
    assert disp.ax_.get_ylabel() == "r2 (mean over folds)"
    assert disp.ax_.get_title() == "Cross-validation (GridSearchCV)"
    best_tol, best_alpha = best["tikhonovregressor__tol"], best["tikhonovregressor__alpha"]
    assert _legend(disp.ax_) == ["tol='scipy'", "tol=FixedRank(k=3)",
                                 f"best: tol={best_tol!r}, alpha={best_alpha:.3g}"]
    assert disp.note_ is None


def test_tikhonov_cv_kfold_band_is_the_standard_error_of_gridsearchcv(diabetes):
    X, y = diabetes
    alphas, cv = np.logspace(-3, 1, 5), KFold(4, shuffle=True, random_state=0)
    reg = TikhonovCV(alphas=alphas, tols=(0.0,), cv=cv).fit(X, y)
    disp = CVCurveDisplay.from_estimator(reg)
    search = GridSearchCV(TikhonovRegressor(tol=0.0), {"alpha": alphas}, cv=cv).fit(X, y)
    mean = search.cv_results_["mean_test_score"]
    sem = stats.sem(_split_scores(search.cv_results_), axis=0, ddof=1)
    np.testing.assert_allclose(disp.lines_["0.0"].get_ydata(), mean, rtol=1e-9)
    np.testing.assert_allclose(_band_limits(disp.bands_["0.0"], alphas),
                               np.c_[mean - sem, mean + sem], rtol=1e-9)


def test_leave_one_out_draws_no_band_and_says_why(diabetes):
    X, y = diabetes
    tols = ("scipy", 1e-3, 1e-6, 1e-9)
    reg = TikhonovCV(alphas=np.logspace(-4, 2, 7), tols=tols).fit(X, y)
    res = reg.cv_results_
    # The reason: mean +- std of per-sample errors reaches above 0 for an MSE <= 0.
    assert (res["mean_test_score"] + res["std_test_score"] > 0).any()
    disp = CVCurveDisplay.from_estimator(reg)
    assert disp.bands_ == {} and len(disp.ax_.collections) == 0
    assert disp.ax_.get_ylabel() == "negative MSE (leave-one-out)"
    legend = _legend(disp.ax_)
    assert legend[-1] == disp.note_.get_label() and "no error band" in legend[-1]
    assert "leave-one-out has no folds" in legend[-1]
    # On diabetes every tol keeps all 10 directions: four equal curves, each
    # with its own marker and line style and a legend entry naming the first.
    styles = {(line.get_marker(), line.get_linestyle()) for line in disp.lines_.values()}
    assert len(styles) == 4
    assert all(line.get_markerfacecolor() == "none" for line in disp.lines_.values())
    assert legend[:4] == ["tol='scipy'", "tol=0.001 (same as tol='scipy')",
                          "tol=1e-06 (same as tol='scipy')", "tol=1e-09 (same as tol='scipy')"]


def test_gcv_draws_no_band(diabetes):
    X, y = diabetes
    reg = TikhonovCV(alphas=np.logspace(-4, 1, 6), criterion="gcv").fit(X, y)
    disp = CVCurveDisplay.from_estimator(reg)
    assert len(disp.ax_.collections) == 0 and disp.ax_.get_ylabel() == "negative GCV"
    assert disp.best_.get_xdata()[0] == reg.alpha_
    assert "GCV is one number per candidate" in _legend(disp.ax_)[-1]


def test_cv_curve_of_tikhonov_cv_and_pinv_cv(diabetes):
    X, y = diabetes
    reg = TikhonovCV(alphas=np.logspace(-3, 1, 5), tols=("scipy", 0.1), cv=3).fit(X, y)
    disp = CVCurveDisplay.from_estimator(reg)
    assert len(disp.lines_) == 2 and set(disp.bands_) == {"'scipy'", "0.1"}
    assert disp.best_.get_xdata()[0] == reg.alpha_
    assert disp.best_.get_ydata()[0] == pytest.approx(reg.best_score_)
    pcv = PinvCV(tols=("scipy", 1e-3, 0.1), cv=3).fit(X, y)
    disp = CVCurveDisplay.from_estimator(pcv)
    # One alpha: one point per tolerance, tolerances on the x axis, error bars.
    assert [len(line.get_xdata()) for line in disp.lines_.values()] == [1, 1, 1]
    ticks = [t.get_text() for t in disp.ax_.get_xticklabels()]
    assert ticks == ["'scipy'", "0.001", "0.1"] and disp.ax_.get_xlabel() == "tol"
    assert disp.best_.get_ydata()[0] == pytest.approx(pcv.best_score_)
    sem = stats.sem(_split_scores(pcv.cv_results_), axis=0, ddof=1)
    mean = pcv.cv_results_["mean_test_score"]
    # 'scipy' and 1e-3 keep the same directions: only the first gets error bars.
    assert list(disp.bands_) == ["'scipy'", "0.1"]
    for j, label in [(0, "'scipy'"), (2, "0.1")]:
        (segment,) = disp.bands_[label].lines[2][0].get_segments()
        np.testing.assert_allclose(segment[:, 1], [mean[j] - sem[j], mean[j] + sem[j]])


def test_cv_curve_keywords_reach_matplotlib(diabetes):
    X, y = diabetes
    reg = TikhonovCV(alphas=np.logspace(-3, 1, 5), tols=("scipy", 0.1), cv=3).fit(X, y)
    disp = CVCurveDisplay.from_estimator(reg, color="k", lw=3, best_kwargs={"ms": 20},
                                         fill_kwargs={"alpha": 0.5}, title="diabetes")
    assert {to_rgba(line.get_color()) for line in disp.lines_.values()} == {to_rgba("k")}
    assert {line.get_linewidth() for line in disp.lines_.values()} == {3}
    assert disp.best_.get_markersize() == 20 and disp.ax_.get_title() == "diabetes"
    assert {band.get_alpha() for band in disp.bands_.values()} == {0.5}
    plain = CVCurveDisplay.from_estimator(reg, show_errors=False, legend=False)
    assert plain.bands_ == {} and plain.ax_.get_legend() is None


def test_cv_curve_with_alpha_zero_uses_symlog(diabetes):
    X, y = diabetes
    reg = TikhonovCV(alphas=[0.0, 1e-2, 1.0], cv=3).fit(X, y)
    disp = CVCurveDisplay.from_estimator(reg)
    assert disp.ax_.get_xscale() == "symlog"
    np.testing.assert_array_equal(disp.lines_["'scipy'"].get_xdata(), [0.0, 1e-2, 1.0])


def test_cv_curve_of_a_multi_metric_search(diabetes):
    X, y = diabetes
    search = GridSearchCV(TikhonovRegressor(), {"alpha": [1e-2, 1.0]}, cv=3,
                          scoring=["r2", "neg_mean_squared_error"],
                          refit="neg_mean_squared_error").fit(X, y)
    disp = CVCurveDisplay.from_estimator(search)
    np.testing.assert_allclose(disp.lines_["'scipy'"].get_ydata(),
                               search.cv_results_["mean_test_neg_mean_squared_error"])
    assert disp.ax_.get_ylabel() == "neg_mean_squared_error (mean over folds)"
    with pytest.raises(ValueError, match="multi-metric"):
        CVCurveDisplay.from_estimator(search.set_params(refit=False).fit(X, y))


def test_cv_curve_of_a_pipeline_ending_in_tikhonov_cv(diabetes):
    X, y = diabetes
    pipe = make_pipeline(StandardScaler(), TikhonovCV(alphas=[0.1, 1.0])).fit(X, y)
    disp = CVCurveDisplay.from_estimator(pipe)
    assert disp.best_.get_xdata()[0] == pipe[-1].alpha_


def test_cv_curve_of_something_else_says_what_it_needs(diabetes):
    from sklearn.exceptions import NotFittedError
    from sklearn.linear_model import RidgeCV

    X, y = diabetes
    with pytest.raises(ValueError, match="PinvRegressor is not a cross-validation estimator"):
        CVCurveDisplay.from_estimator(PinvRegressor().fit(X, y))
    with pytest.raises(ValueError, match="not a cross-validation estimator"):
        CVCurveDisplay.from_estimator(PinvRegressor())
    with pytest.raises(NotFittedError):
        CVCurveDisplay.from_estimator(TikhonovCV())
    with pytest.raises(ValueError, match="RidgeCV has no cv_results_"):
        CVCurveDisplay.from_estimator(RidgeCV().fit(X, y))
