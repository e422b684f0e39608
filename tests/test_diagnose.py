"""diagnose(): each number checked against an independent computation."""

import json
import re
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import KFold, cross_val_score
from sklearn.preprocessing import StandardScaler

from sklearn_pinv import Diagnosis, PinvRegressor, diagnose, tolerance
from sklearn_pinv._diagnose import column_scales
from sklearn_pinv._recommend import recommend
from sklearn_pinv._report import fmt


def _disagreeing():
    # Diagonal, no intercept: the singular values are the diagonal, exactly.
    s = np.array([1.0, 1e-9, 4e-16])
    return np.diag(s), np.array([1.0, 2.0, 3.0]), s


def test_policy_table_matches_threshold_and_rank_of_numpy_svd():
    X, y = load_diabetes(return_X_y=True)
    report = diagnose(X, y, cv=None)
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    np.testing.assert_allclose(report.singular_values, s, rtol=1e-12)
    assert report.condition_number == pytest.approx(s[0] / s[-1], rel=1e-10)
    assert [row["policy"] for row in report.policies] == tolerance.available_policies()
    for row in report.policies:
        tau = tolerance.threshold(row["policy"], s, X.shape, X.dtype)
        assert row["threshold"] == pytest.approx(tau, rel=1e-10)
        assert row["rank"] == int(np.sum(s > tau))
    assert not report.ranks_disagree and report.disputed == []
    assert report.scores == []


def test_reports_where_rules_disagree():
    X, y, s = _disagreeing()
    report = diagnose(X, y, cv=None, fit_intercept=False)
    ranks = {row["policy"]: row["rank"] for row in report.policies}
    assert ranks["sqrt-eps"] == 1  # sqrt(eps) ~ 1.5e-8 drops 1e-9
    assert ranks["matlab"] == 2  # 3 * spacing(1.0) = 6.7e-16 drops 4e-16
    assert ranks["lapack"] == 3  # eps = 2.2e-16 keeps 4e-16
    assert report.ranks_disagree and report.disputed == [1, 2]
    assert report.condition_number == pytest.approx(1.0 / 4e-16)
    text = str(report)
    assert "DISAGREE on 2 singular value(s)" in text
    for name in tolerance.available_policies():
        assert name in text


def test_gcv_rank_matches_brute_force():
    rng = np.random.default_rng(3)
    U, _ = np.linalg.qr(rng.standard_normal((40, 6)))
    s_true = np.array([10, 5, 2, 1, 1e-4, 1e-5])
    X = U * s_true
    y = X[:, :4] @ np.ones(4) + 0.01 * rng.standard_normal(40)
    report = diagnose(X, y, cv=None, fit_intercept=False)
    Uf, s, _ = np.linalg.svd(X, full_matrices=False)
    z = Uf.T @ y
    rho2 = y @ y - z @ z
    g = [(np.sum(z[k:] ** 2) + rho2) / (40 - k) ** 2 for k in range(7)]
    assert report.gcv_rank == int(np.argmin(g)) == 4


def test_lcurve_pick_matches_ridge_finite_difference_corner():
    rng = np.random.default_rng(0)
    Q1, _ = np.linalg.qr(rng.standard_normal((60, 12)))
    Q2, _ = np.linalg.qr(rng.standard_normal((12, 12)))
    s = np.logspace(0, -8, 12)
    X = (Q1 * s) @ Q2.T
    y = X @ (Q2 @ s**0.5) + 1e-3 * rng.standard_normal(60)
    alphas = np.logspace(-14, 2, 81)
    report = diagnose(X, y, cv=None, alphas=alphas, fit_intercept=False)
    fits = [Ridge(alpha=a, solver="svd", fit_intercept=False).fit(X, y) for a in alphas]
    xi = np.log([np.linalg.norm(y - f.predict(X)) for f in fits])
    eta = np.log([np.linalg.norm(f.coef_) for f in fits])
    t = np.log(alphas)
    dxi, deta = np.gradient(xi, t), np.gradient(eta, t)
    kappa = (dxi * np.gradient(deta, t) - np.gradient(dxi, t) * deta) / (dxi**2 + deta**2) ** 1.5
    best = int(np.argmax(kappa[1:-1])) + 1
    assert abs(np.log10(report.lcurve_alpha) - np.log10(alphas[best])) <= 0.21


def test_scores_next_to_scikit_learn():
    X, y = load_diabetes(return_X_y=True)
    messages = []
    report = diagnose(X, y, cv=3, alphas=np.logspace(-3, 1, 5), progress=messages.append)
    rows = {row["estimator"]: row for row in report.scores}
    cv = KFold(3, shuffle=True, random_state=0)
    reference = cross_val_score(LinearRegression(), X, y, cv=cv, scoring="r2")
    assert rows["LinearRegression()"]["r2_mean"] == pytest.approx(reference.mean())
    ridge = cross_val_score(Ridge(), X, y, cv=cv, scoring="r2")
    assert rows["Ridge(alpha=1.0)"]["r2_mean"] == pytest.approx(ridge.mean())
    # Full-rank data: the pseudoinverse is least squares.
    assert rows["PinvRegressor(tol='scipy')"]["r2_mean"] == pytest.approx(reference.mean(),
                                                                         rel=1e-10)
    assert len(report.scores) == 7
    assert sum("cross-validating" in m for m in messages) == 8  # the policies, then each row
    assert any("Tikhonov" in label for label in rows)
    assert "CV R2" in str(report)


def test_to_frame():
    pd = pytest.importorskip("pandas")
    X, y, _ = _disagreeing()
    report = diagnose(X, y, cv=None, fit_intercept=False)
    frame = report.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.index) == tolerance.available_policies()
    assert frame.loc["sqrt-eps", "rank"] == 1
    assert frame.loc["numpy", "threshold"] == pytest.approx(1e-15)
    assert report.to_frame("scores").empty
    with pytest.raises(ValueError, match="policies"):
        report.to_frame("nope")


def test_to_frame_has_the_cv_scores():
    pytest.importorskip("pandas")
    X, y = load_diabetes(return_X_y=True)
    report = diagnose(X, y, cv=3, alphas=np.logspace(-3, 1, 5))
    cv = KFold(3, shuffle=True, random_state=0)
    policies = report.to_frame()
    for policy in ("matlab", "sqrt-eps"):
        ref = cross_val_score(PinvRegressor(tol=policy), X, y, cv=cv, scoring="r2")
        assert policies.loc[policy, "cv_r2_mean"] == pytest.approx(ref.mean(), rel=1e-9)
        assert policies.loc[policy, "cv_r2_std"] == pytest.approx(ref.std(), rel=1e-6)
    scores = report.to_frame("scores")
    ref = cross_val_score(Ridge(), X, y, cv=cv, scoring="r2")
    assert scores.loc["Ridge(alpha=1.0)", "r2_mean"] == pytest.approx(ref.mean())
    assert "scikit-learn" in scores.loc["Ridge(alpha=1.0)", "description"]


def test_custom_policies_and_estimators():
    X, y = load_diabetes(return_X_y=True)
    report = diagnose(X, y, policies=["numpy", 0.5, tolerance.FixedRank(3)], cv=2,
                      estimators=[("lr", LinearRegression())])
    assert [row["policy"] for row in report.policies] == ["numpy", "0.5", "FixedRank(k=3)"]
    assert [row["rank"] for row in report.policies][2] == 3
    assert [row["estimator"] for row in report.scores] == ["lr"]
    assert isinstance(report, Diagnosis)


@pytest.mark.parametrize(
    "X, y, match",
    [
        ([[1.0, np.nan], [2.0, 3.0]], [1.0, 2.0], "NaN"),
        ([[1.0, 2.0], [2.0, 3.0]], [1.0], "inconsistent"),
        (np.zeros((0, 2)), np.zeros(0), "0 sample"),
    ],
)
def test_bad_input(X, y, match):
    with pytest.raises(ValueError, match=match):
        diagnose(X, y, cv=None)


def test_gcv_alpha_matches_brute_force_hat_matrix_trace():
    X, y = load_diabetes(return_X_y=True)
    X, y = X[:120], y[:120]
    alphas = np.logspace(-4, 1, 11)
    report = diagnose(X, y, cv=None, alphas=alphas)
    Xc, m = X - X.mean(axis=0), X.shape[0]
    g = []
    for alpha in alphas:
        fit = Ridge(alpha=alpha, solver="svd").fit(X, y)
        # Trace of the hat matrix of the centred problem, plus the intercept.
        H = Xc @ np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T)
        rss = np.sum((y - fit.predict(X)) ** 2)
        g.append(m * rss / (m - 1 - np.trace(H)) ** 2)
    assert report.gcv_alpha == alphas[int(np.argmin(g))]
    assert 0 <= report.lcurve_rank <= X.shape[1]
    assert "Tikhonov alpha: GCV" in str(report)


def test_policy_scores_where_ranks_differ():
    # Raw monomials: the policies keep different ranks, and their CV scores differ.
    x = np.linspace(0, 1, 60)
    X = np.vander(x, 16, increasing=True)[:, 1:]
    y = np.sin(6 * x) + 0.01 * np.random.default_rng(0).standard_normal(60)
    report = diagnose(X, y, cv=4, alphas=np.logspace(-12, 0, 7))
    cv = KFold(4, shuffle=True, random_state=0)
    assert report.ranks_disagree
    for row in report.policies:
        est = PinvRegressor(tol=row["policy"], precision="fast")
        ref = cross_val_score(est, X, y, cv=cv, scoring="r2")
        assert row["cv_r2_mean"] == pytest.approx(ref.mean(), rel=1e-6, abs=1e-9)


def test_several_targets():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((80, 4))
    Y = X @ rng.standard_normal((4, 3)) + rng.standard_normal((80, 3))
    report = diagnose(X, Y, cv=3)
    assert report.n_targets == 3
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    np.testing.assert_allclose(report.singular_values, s, rtol=1e-12)
    cv = KFold(3, shuffle=True, random_state=0)
    ref = cross_val_score(LinearRegression(), X, Y, cv=cv, scoring="r2")
    rows = {row["estimator"]: row for row in report.scores}
    assert rows["LinearRegression()"]["r2_mean"] == pytest.approx(ref.mean())
    assert "3 targets" in str(report)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_column_scales(fit_intercept):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20000, 3)) * [1e-3, 1.0, 1e200] + [5.0, 0.0, 3e200]
    scales = column_scales(X, fit_intercept)
    Z = X / [1e-3, 1.0, 1e200]  # numpy on values that cannot overflow
    ref = Z.std(axis=0) if fit_intercept else np.sqrt(np.mean(Z**2, axis=0))
    np.testing.assert_allclose(scales, ref * [1e-3, 1.0, 1e200], rtol=1e-12)


def test_standardize_diagnoses_standard_scaler_output():
    X, y = load_diabetes(return_X_y=True, scaled=False)
    before = X.copy()
    report = diagnose(X, y, cv=None, standardize=True)
    np.testing.assert_array_equal(X, before)  # the input is not modified
    Z = StandardScaler().fit_transform(X)
    s = np.linalg.svd(Z, compute_uv=False)
    np.testing.assert_allclose(report.singular_values, s, rtol=1e-10)
    np.testing.assert_allclose(report.column_scales, X.std(axis=0), rtol=1e-12)
    # Least squares at full rank does not depend on the units: no pipeline needed.
    assert report.recommendation["estimator"] == "PinvRegressor()"
    assert report.recommendation["standardize"] is False
    x = np.linspace(1, 2, 50)
    X = np.column_stack([x**k for k in range(1, 9)])  # ill-conditioned: a penalty
    report = diagnose(X, np.sin(3 * x), cv=None, standardize=True)
    rec = report.recommendation
    assert rec["estimator"].startswith("make_pipeline(StandardScaler(), TikhonovRegressor(")
    assert rec["standardize"] is True and "standardised columns" in rec["standardize_reason"]


def test_subsampled_cross_validation():
    X, y = load_diabetes(return_X_y=True)
    report = diagnose(X, y, cv=3, max_cv_samples=150, estimators=[("lr", LinearRegression())])
    assert report.cv["n_samples"] == 150 and report.cv["n_total"] == 442
    # Documented: a random subsample drawn with seed 0, in the file's order.
    rows = np.sort(np.random.default_rng(0).choice(442, 150, replace=False))
    ref = cross_val_score(LinearRegression(), X[rows], y[rows],
                          cv=KFold(3, shuffle=True, random_state=0), scoring="r2")
    assert report.scores[0]["r2_mean"] == pytest.approx(ref.mean())
    assert "random subsample of 150 of the 442 rows" in str(report)
    with pytest.raises(ValueError, match="max_cv_samples"):
        diagnose(X, y, max_cv_samples=1)


def _brute_gcv(X, y, alphas):
    Xc, m = X - X.mean(axis=0), X.shape[0]
    g = []
    for alpha in alphas:
        H = Xc @ np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T)
        r = (y - y.mean()) - H @ (y - y.mean())
        g.append(m * (r @ r) / (m - 1 - np.trace(H)) ** 2)
    return int(np.argmin(g))


@pytest.mark.parametrize("noise, side", [(0.0, "low"), (None, "high")])
def test_picks_at_the_grid_edge_are_flagged(noise, side):
    rng = np.random.default_rng(5)
    X = rng.standard_normal((60, 4))
    y = X @ [1.0, 2.0, -1.0, 0.5] if noise == 0.0 else rng.standard_normal(60)
    alphas = np.logspace(-3, 1, 9)
    report = diagnose(X, y, cv=None, alphas=alphas)
    best = _brute_gcv(X, y, alphas)
    assert best == (0 if side == "low" else len(alphas) - 1)
    assert report.edges()["gcv_alpha"] == side
    assert any(note.startswith(f"GCV's alpha is at the {side} end") for note in report.notes())
    assert f"GCV's alpha is at the {side} end of the alpha grid" in str(report)


def test_gcv_rank_zero_is_explained():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((50, 5))
    y = rng.standard_normal(50)  # unrelated to X
    report = diagnose(X, y, cv=None, fit_intercept=True)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    U, s, _ = np.linalg.svd(Xc, full_matrices=False)
    z = U.T @ yc
    g = [(yc @ yc - np.sum(z[:k] ** 2)) / (50 - k - 1) ** 2 for k in range(6)]
    assert report.gcv_rank == int(np.argmin(g)) == 0
    assert "GCV rank 0: no truncated fit predicts y better than its mean" in str(report)


def _report(scores, policies=(), folds=5, **kw):
    base = dict(shape=(100, 3), fit_intercept=True, singular_values=np.array([3.0, 2.0, 1.0]),
                condition_number=3.0, policies=list(policies) or [
                    {"policy": "scipy", "threshold": 1e-15, "rank": 3}],
                ranks_disagree=False, disputed=[], gcv_rank=3, lcurve_rank=2, gcv_alpha=0.1,
                lcurve_alpha=1.0, default_rank=3, alphas=np.logspace(-3, 3, 7),
                column_scales=np.ones(3), feature_names=["a", "b", "c"],
                cv={"folds": folds, "n_samples": 100, "n_total": 100})
    base.update(kw)
    report = Diagnosis(scores=[{"estimator": lab, "r2_mean": m, "r2_std": sd,
                                "picks": None, "refit": lab} for lab, m, sd in scores], **base)
    return recommend(report)


def test_one_standard_error_rule():
    # Best 0.80 +/- 0.10 over 4 folds: standard error 0.05, so 0.76 is a tie
    # and the simpler model (listed first) wins; 0.74 is not.
    tie = _report([("simple()", 0.76, 0.02), ("tuned()", 0.80, 0.10)], folds=4)
    assert tie["estimator"] == "simple()" and "within one standard error (0.05)" in tie["reason"]
    win = _report([("simple()", 0.74, 0.02), ("tuned()", 0.80, 0.10)], folds=4)
    assert win["estimator"] == "tuned()" and "best cross-validated R2: 0.8" in win["reason"]
    # The default policy's row goes first among the candidates.
    rows = [{"policy": "scipy", "threshold": 1e-15, "rank": 3, "cv_r2_mean": 0.79,
             "cv_r2_std": 0.0}]
    assert _report([("tuned()", 0.80, 0.10)], policies=rows)["estimator"] == "PinvRegressor()"
    bad = _report([("a()", -0.5, 0.1)])
    assert "every model scores below 0" in bad["reason"]


def test_standardise_advice_follows_the_units():
    spread = np.array([0.01, 1.0, 3.0])
    rec = _report([("TikhonovRegressor(alpha=1)", 0.8, 0.01)], column_scales=spread)
    assert rec["standardize"] is True and "factor of 300" in rec["standardize_reason"]
    # Least squares at full rank does not depend on units: no need for it.
    rec = _report([("PinvRegressor()", 0.8, 0.01)], column_scales=spread)
    assert rec["standardize"] is False and "not for this model" in rec["standardize_reason"]
    rec = _report([("TikhonovRegressor(alpha=1)", 0.8, 0.01)], column_scales=np.ones(3))
    assert rec["standardize"] is False


def test_recommendation_without_cv():
    X, y = load_diabetes(return_X_y=True)
    report = diagnose(X, y, cv=None)
    assert report.recommendation["estimator"] == "PinvRegressor()"
    assert "well-conditioned" in report.recommendation["reason"]
    X, y, _ = _disagreeing()
    report = diagnose(X, y, cv=None, fit_intercept=False)
    assert report.recommendation["estimator"] == f"TikhonovRegressor(alpha={report.gcv_alpha:.4g})"
    assert "disagree" in report.recommendation["reason"]


def test_warnings_are_gathered_not_shown():
    x = np.linspace(-9, -3, 40)
    X = np.column_stack([x**k for k in range(1, 11)])  # NIST Filip's design
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = diagnose(X, np.sin(x), cv=2)
    assert caught == []
    found = {w["category"]: w for w in report.warnings}
    assert found["AccuracyWarning"]["count"] >= 1
    assert "\nwarnings\n--------\nAccuracyWarning" in str(report)


def test_singular_values_counted_from_one_and_one_number_format():
    X, y, _ = _disagreeing()
    report = diagnose(X, y, cv=None, fit_intercept=False)
    text = str(report)
    assert "s2 = 1e-09, s3 = 4e-16" in text and "s1 = 1 (largest)" in text
    doc = report.to_dict()
    assert [d["number"] for d in doc["disputed_singular_values"]] == [2, 3]
    # Every number in the report has at most 4 significant digits.
    for number in re.findall(r"(?<![\w.])-?\d+\.\d+(?:e[+-]\d+)?", text):
        digits = number.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
        assert len(digits) <= 4, number


def test_to_dict_is_strict_json():
    X = np.zeros((5, 2))  # nothing kept: NaN alphas, NaN condition number
    report = diagnose(X, np.arange(5.0), cv=None)
    doc = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert doc["picks"]["gcv_alpha"] is None and doc["spectrum"]["condition_number"] is None
    assert doc["picks"]["default_rank"] == 0


def test_fmt():
    assert [fmt(v) for v in (0.48921, 3, 1234567.0, 1.0e-9, float("inf"), None, True)] == [
        "0.4892", "3", "1.235e+06", "1e-09", "inf", "-", "True"]
