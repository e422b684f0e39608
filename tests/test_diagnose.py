"""diagnose(): each number checked against an independent computation."""

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import KFold, cross_val_score

from sklearn_pinv import Diagnosis, diagnose, tolerance


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
    assert len(messages) == len(report.scores) == 7
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
