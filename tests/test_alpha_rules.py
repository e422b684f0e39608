"""TikhonovRegressor(alpha=<rule>): alpha chosen from the factorization at fit time."""

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_pinv import TikhonovRegressor
from sklearn_pinv.alpha_rules import Discrepancy


def problem(seed=0, m=80, n=12, noise=0.05):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n)) @ np.diag(np.logspace(0, -4, n))
    y = X @ rng.standard_normal(n) + noise * rng.standard_normal(m)
    return X, y


def explicit_gcv(X, y, alpha):
    """GCV from the explicit hat matrix of a centred ridge fit (intercept free)."""
    m = X.shape[0]
    Xc, yc = X - X.mean(0), y - y.mean()
    H = Xc @ np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T)
    r = yc - H @ yc
    return (r @ r) / (m - np.trace(H) - 1) ** 2


def test_gcv_rule_minimises_the_explicit_gcv():
    X, y = problem()
    reg = TikhonovRegressor(alpha="gcv", tol=0.0).fit(X, y)
    best = explicit_gcv(X, y, reg.alpha_)
    for factor in [0.5, 0.8, 1.25, 2.0]:
        assert best <= explicit_gcv(X, y, reg.alpha_ * factor) * (1 + 1e-9)
    fixed = TikhonovRegressor(alpha=reg.alpha_, tol=0.0).fit(X, y)
    np.testing.assert_allclose(reg.coef_, fixed.coef_, rtol=1e-12)


@pytest.mark.parametrize("rule", ["lcurve", "quasi-optimal"])
def test_named_rules_give_a_positive_alpha_inside_the_spectrum(rule):
    X, y = problem(1)
    reg = TikhonovRegressor(alpha=rule, tol=0.0).fit(X, y)
    s = reg.singular_values_
    assert s.min() ** 2 <= reg.alpha_ <= s.max() ** 2
    np.testing.assert_allclose(
        reg.coef_, TikhonovRegressor(alpha=reg.alpha_, tol=0.0).fit(X, y).coef_, rtol=1e-12)


def test_callable_rule_discrepancy_principle_meets_the_noise_level():
    noise = 0.05
    X, y = problem(2, m=400, noise=noise)
    reg = TikhonovRegressor(
        alpha=lambda f, kept: Discrepancy(noise_std=noise).select(f, kept), tol=0.0
    ).fit(X, y)
    residual = y - reg.predict(X)
    assert residual @ residual == pytest.approx(noise**2 * (400 - 1), rel=1e-6)


def test_bad_rules_are_reported():
    X, y = problem()
    with pytest.raises(InvalidParameterError, match="'alpha' parameter"):
        TikhonovRegressor(alpha="magic").fit(X, y)
    with pytest.raises(ValueError, match="returned -1.0"):
        TikhonovRegressor(alpha=lambda f, kept: -1.0).fit(X, y)
