"""Parameter-choice rules against independent references and known answers."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge

from sklearn_pinv import Factorization, PinvRegressor, TikhonovRegressor, factorize
from sklearn_pinv import _selection as sel
from sklearn_pinv._loo import hat_diagonal, loo_residuals
from sklearn_pinv._spectral import tikhonov_factors
from sklearn_pinv._views import lcurve
from sklearn_pinv.tolerance import DiscrepancyRank, GCVRank, LCurveRank, QuasiOptimalRank


def absolute(rule, fact, grid=None, *args, **kwargs):
    """A Tikhonov rule's alpha in the data's units (the rules work relative to s_max^2)."""
    sp = sel.spectrum(fact)
    rel_grid = None if grid is None else np.asarray(grid, float) / sp.scale**2
    return rule(sp, *args, grid=rel_grid, **kwargs) * sp.scale**2


def rank(rule, fact, *args):
    return rule(sel.spectrum(fact), *args)


def gap_problem(seed=0, m=80, k0=5, n=9, noise=1e-3):
    """A spectrum with a clear gap after k0 values; y from the first k0 directions."""
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((m, n)))
    V, _ = np.linalg.qr(rng.standard_normal((n, n)))
    s = np.r_[np.linspace(3, 1, k0), np.full(n - k0, 1e-7) * np.linspace(1, 0.5, n - k0)]
    X = (U * s) @ V.T
    y = U[:, :k0] @ (1 + rng.random(k0)) + noise * rng.standard_normal(m)
    return X, y, k0, noise


def spectral(s, z, rho=0.0, m=None):
    """A Factorization with a chosen spectrum and z (V = I, no intercept)."""
    s = np.asarray(s, float)
    z = np.asarray(z, float).reshape(s.size, -1)
    return Factorization(
        singular_values=s, V=np.eye(s.size), z=z,
        residual_norms=np.full(z.shape[1], rho), X_offset=np.zeros(s.size),
        y_offset=np.zeros(z.shape[1]), shape=(m or 10 * s.size, s.size),
        fit_intercept=False, driver="test",
    )


def explicit_gcv(X, y, alpha, weight=1.0):
    """GCV from the hat matrix built column by column with Ridge refits.

    ``weight`` multiplies the trace of the penalised part (the intercept's
    share of the hat matrix, 1, is not weighted): weighted GCV.
    """
    m = X.shape[0]
    H = np.column_stack([Ridge(alpha=alpha, solver="svd").fit(X, e).predict(X)
                         for e in np.eye(m)])
    r = y - H @ y
    return m * (r @ r) / (m - 1 - weight * (np.trace(H) - 1)) ** 2


def test_gcv_values_equal_hat_matrix_trace_formula():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((30, 6))
    y = X @ rng.standard_normal(6) + rng.standard_normal(30)
    fact = factorize(X, y[:, None])
    alphas = np.array([1e-3, 0.1, 1.0, 10.0, 300.0])
    phi = tikhonov_factors(fact.singular_values, fact.singular_values > 0, alphas)
    ours = sel.gcv_values(fact, phi)[:, 0]
    ref = [explicit_gcv(X, y, a) for a in alphas]
    np.testing.assert_allclose(ours, ref, rtol=1e-10)


def ridge_problem(seed, decades, noise):
    """30 x 6 data whose column scales span ``decades``; y with an intercept-free signal."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((30, 6)) * np.logspace(0, -decades, 6)
    y = X @ rng.standard_normal(6) + noise * rng.standard_normal(30)
    return X, y, factorize(X, y[:, None])


def test_gcv_alpha_grid_and_continuous():
    X, y, fact = ridge_problem(2, 2, 0.3)
    grid = np.logspace(-4, 2, 13)
    ref = np.array([explicit_gcv(X, y, a) for a in grid])
    assert absolute(sel.gcv_alpha, fact, grid) == pytest.approx(grid[np.argmin(ref)], rel=1e-14)
    best = absolute(sel.gcv_alpha, fact)  # refined on a fine grid: at least as good as any grid value
    assert explicit_gcv(X, y, best) <= ref.min() * (1 + 1e-12)


def test_discrepancy_alpha_matches_the_noise():
    X, y, _, _ = gap_problem(3, noise=0.0)
    rng = np.random.default_rng(3)
    sigma = 0.05
    y = y + sigma * rng.standard_normal(y.size)
    fact = factorize(X, y[:, None])
    alpha = absolute(sel.discrepancy_alpha, fact, None, sigma, safety=1.2)
    assert alpha > 0
    reg = TikhonovRegressor(alpha=alpha, tol=0.0).fit(X, y)
    res2 = np.sum((y - reg.predict(X)) ** 2)
    np.testing.assert_allclose(res2, (1.2 * sigma) ** 2 * (y.size - 1), rtol=1e-8)
    grid = np.logspace(-8, 2, 41)
    a_grid = absolute(sel.discrepancy_alpha, fact, grid, sigma, safety=1.2)
    assert a_grid == pytest.approx(grid[grid <= alpha].max(), rel=1e-14)


def test_discrepancy_alpha_edge_cases():
    fact = spectral([2.0, 1.0], [1.0, 1.0], rho=1.0, m=5)
    assert absolute(sel.discrepancy_alpha, fact, None, 0.1) == 0.0  # rho alone exceeds
    assert absolute(sel.discrepancy_alpha, fact, [1.0, 2.0], 0.1) == 1.0
    with pytest.raises(ValueError, match="noise_std"):
        absolute(sel.discrepancy_alpha, fact, None, -1.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rank_rules_find_the_gap(seed):
    X, y, k0, noise = gap_problem(seed)
    fact = factorize(X, y[:, None], fit_intercept=False)
    assert rank(sel.lcurve_corner_rank, fact) == k0
    assert rank(sel.discrepancy_rank, fact, noise, 1.5) == k0
    for policy in (LCurveRank(), DiscrepancyRank(noise_std=noise, safety=1.5)):
        reg = PinvRegressor(tol=policy, fit_intercept=False).fit(X, y)
        assert reg.rank_ == k0
        np.testing.assert_allclose(reg.coef_, np.linalg.pinv(X, rcond=1e-3) @ y, rtol=1e-8)


def test_discrepancy_rank_small_noise_keeps_more():
    # Residual ranks: 6, 5, 2, 1 (+rho^2 = 0); target = sigma^2 * m.
    fact = spectral([4.0, 3.0, 2.0, 1.0], [1.0, np.sqrt(3), 1.0, 1.0], m=1)
    assert rank(sel.discrepancy_rank, fact, np.sqrt(5.0)) == 1
    assert rank(sel.discrepancy_rank, fact, np.sqrt(1.9)) == 3
    assert rank(sel.discrepancy_rank, fact, 0.1) == 4  # none qualifies: largest rank


def test_quasi_optimal_rank_picard_crossover():
    # z_i = s_i^1.5 + delta: Q(s) = s^0.5 + delta / s, minimal at s = (2 delta)^(2/3).
    s = 10.0 ** (-np.arange(20) / 2)
    delta = 1e-6
    fact = spectral(s, s**1.5 + delta)
    k = rank(sel.quasi_optimal_rank, fact)
    s_star = (2 * delta) ** (2 / 3)
    neighbours = {int(np.sum(s >= s_star)), int(np.sum(s > s_star)) + 1}
    assert k in neighbours
    assert PinvRegressor(tol=QuasiOptimalRank(floor=0.0)).fit  # the policy is constructible
    tau = QuasiOptimalRank(floor=0.0).select(fact, s > 0)
    assert np.sum(s > tau) == k


def test_quasi_optimal_alpha_matches_finite_differences():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((40, 6)) * np.logspace(0, -3, 6)
    y = X @ rng.standard_normal(6) + 0.01 * rng.standard_normal(40)
    fact = factorize(X, y[:, None])
    s = fact.singular_values
    grid = np.geomspace(s.min() ** 2, s.max() ** 2, 15)
    h = 1e-4  # ||alpha dw/d alpha|| = ||dw / d log alpha|| by central differences

    def coef(a):
        return TikhonovRegressor(alpha=a, tol=0.0).fit(X, y).coef_

    q = [np.linalg.norm(coef(a * np.exp(h)) - coef(a * np.exp(-h))) / (2 * h) for a in grid]
    assert absolute(sel.quasi_optimal_alpha, fact, grid) == pytest.approx(
        grid[np.argmin(q)], rel=1e-14)
    best = absolute(sel.quasi_optimal_alpha, fact)
    assert s.min() ** 2 <= best <= s.max() ** 2


def test_lcurve_corner_alpha_is_the_max_curvature_point():
    X, y, _, _ = gap_problem(5, noise=1e-2)
    fact = factorize(X, y[:, None])
    grid = np.logspace(-10, 1, 45)
    kappa = lcurve(fact, grid)[2]
    assert absolute(sel.lcurve_corner_alpha, fact, grid) == pytest.approx(
        grid[np.argmax(kappa)], rel=1e-14)
    # the corner sits between the noise level and the signal's singular values
    assert 1e-10 < absolute(sel.lcurve_corner_alpha, fact) < 1.0


def test_loo_helpers_shapes_and_leverage_one():
    U = np.eye(3)[:, :2]  # samples 0 and 1 have leverage 1 at phi = 1
    e = loo_residuals(U, np.ones((3, 1)), np.ones((2, 1)), np.array([[1.0], [0.5]]),
                          fit_intercept=False)
    assert e.shape == (3, 1, 1)
    assert np.isinf(e[0, 0, 0]) and np.isfinite(e[1, 0, 0])
    np.testing.assert_allclose(hat_diagonal(U, np.ones((2, 1))).ravel(),
                               [1 + 1 / 3, 1 + 1 / 3, 1 / 3])


def test_policies_are_clonable_and_validated():
    for policy in (LCurveRank(), DiscrepancyRank(noise_std=0.1), QuasiOptimalRank("octave")):
        assert hash(policy) == hash(clone(PinvRegressor(tol=policy)).tol)
        assert repr(policy).endswith(")")
    with pytest.raises(ValueError, match="noise_std"):
        DiscrepancyRank(noise_std=-1.0)
    with pytest.raises(TypeError, match="data-driven"):
        LCurveRank().threshold(np.ones(2), (2, 2), np.float64)


def test_rules_pool_targets_and_handle_tiny_spectra():
    fact = spectral([1.0], [[1.0, 2.0]])
    assert rank(sel.lcurve_corner_rank, fact) == 1
    assert rank(sel.quasi_optimal_rank, fact) == 1
    fact0 = spectral([0.0, 0.0], [0.0, 0.0])
    assert rank(sel.lcurve_corner_rank, fact0) == 0
    assert rank(sel.discrepancy_rank, fact0, 1.0) == 0


# ------------------------------------------------ guards and robust corners
def square_tail_problem():
    """A square system whose plain GCV minimum is at k = m - 1: the last
    coordinate of y is tiny by chance, so G(m - 1) = z_m^2 / 1 is smallest."""
    m = 16
    s = np.logspace(0, -3, m)
    z = np.r_[s[:4] * 10, np.full(m - 5, 1e-2), 1e-5]
    return spectral(s, z, rho=0.0, m=m), s, z


def brute_gcv_rank(s, z, m, weight=1.0, margin=0.0, rho=0.0):
    """``argmin_k ||r_k||^2 / (m - weight k)^2`` over ``k`` leaving ``>= margin`` dof."""
    g = [(np.sum(z[k:] ** 2) + rho**2) / (m - weight * k) ** 2
         if m - weight * k >= max(margin, 1e-300) else np.inf for k in range(s.size + 1)]
    return int(np.argmin(g))


def test_gcv_rank_guard_keeps_sqrt_m_residual_degrees_of_freedom():
    fact, s, z = square_tail_problem()
    assert brute_gcv_rank(s, z, 16, margin=1e-9) == 15  # the defect: G(15) = z_16^2
    k = rank(sel.gcv_truncation_rank, fact)
    assert k == brute_gcv_rank(s, z, 16, margin=4.0) == 4
    assert PinvRegressor(tol=GCVRank(), fit_intercept=False).fit  # constructible
    tau = GCVRank().select(fact, s > 0)
    assert np.sum(s > tau) == 4


@pytest.mark.parametrize("weight, expected", [(1.0, 27), (1.5, 17), (2.0, 15), (3.0, 14)])
def test_weighted_gcv_rank_matches_brute_force(weight, expected):
    rng = np.random.default_rng(2)
    s = np.logspace(0, -3, 30)
    z = s * rng.standard_normal(30) + 3e-3 * rng.standard_normal(30)
    rho = 3e-3 * np.sqrt(30)  # the noise outside the range of a 60 x 30 problem
    fact = spectral(s, z, rho=rho, m=60)
    assert brute_gcv_rank(s, z, 60, weight, margin=np.sqrt(60), rho=rho) == expected
    assert rank(sel.gcv_truncation_rank, fact, weight) == expected
    assert GCVRank(weight=weight).select(fact, s > 0) == s[expected]


def test_weighted_gcv_alpha_minimises_the_explicit_weighted_gcv():
    X, y, fact = ridge_problem(8, 3, 0.05)
    grid = np.logspace(-6, 1, 29)
    ref = np.array([explicit_gcv(X, y, a, weight=2.0) for a in grid])
    sp = sel.spectrum(fact)
    weighted = sel.gcv_alpha(sp, grid / sp.scale**2, weight=2.0) * sp.scale**2
    assert weighted == pytest.approx(grid[np.argmin(ref)], rel=1e-12)
    plain = sel.gcv_alpha(sp, grid / sp.scale**2) * sp.scale**2
    assert weighted > plain  # counting each parameter twice damps more


def test_gcv_alpha_guard_on_a_square_system():
    # As alpha -> 0 on a square system GCV tends to a constant set by the
    # smallest singular values; alphas leaving fewer than sqrt(m) residual
    # degrees of freedom are no candidates.
    fact, s, z = square_tail_problem()
    sp = sel.spectrum(fact)
    alpha = sel.gcv_alpha(sp)
    phi = s**2 / (s**2 + alpha)
    assert 16 - phi.sum() >= 4 * (1 - 1e-9)


def test_lcurve_rank_is_the_pruning_corner_of_the_explicit_curve():
    # phillips(256), 0.1% noise, seed 9: the sharpest turn is in the tail
    # (rank 254); the pruned corner of the same curve, from an explicit SVD.
    from sklearn_pinv import datasets
    from sklearn_pinv._corner import lcurve_corner_index

    A, b, _ = datasets.make_phillips(256, noise=1e-3, random_state=9)
    U, s, _ = np.linalg.svd(A)
    K = int(np.sum(s > s[0] * 256 * np.finfo(float).eps))
    z = U.T @ b
    rho = np.sqrt([np.sum(z[k:] ** 2) for k in range(K + 1)])
    eta = np.sqrt(np.r_[0.0, np.cumsum((z[:K] / s[:K]) ** 2)])
    expected = lcurve_corner_index(rho, eta)
    reg = PinvRegressor(tol=LCurveRank(), fit_intercept=False).fit(A, b)
    assert reg.rank_ == expected < 40


def test_lcurve_alpha_is_searched_where_the_spectrum_speaks():
    # A tall problem whose data fit every direction (noise below all of
    # them): the unrestricted curvature peaks below s_min^2, where all filter
    # factors are ~1 and the curve has shrunk to a point. The rule searches
    # [s_min^2, s_max^2] and finds that range's maximum curvature.
    rng = np.random.default_rng(1)
    U, _ = np.linalg.qr(rng.standard_normal((100, 8)))
    s = np.logspace(0, -2, 8)
    X = U * s
    y = X @ np.ones(8) + 1e-6 * rng.standard_normal(100)
    Uf, sf, _ = np.linalg.svd(X, full_matrices=False)
    z, rho2 = Uf.T @ y, y @ y - (Uf.T @ y) @ (Uf.T @ y)

    def fd_curvature(alphas):  # finite differences in log alpha
        phi = sf**2 / (sf**2 + alphas[:, None])
        xi = 0.5 * np.log(((1 - phi) ** 2) @ z**2 + rho2)
        eta = 0.5 * np.log((phi**2) @ (z / sf) ** 2)
        t = np.log(alphas)
        dx, dy = np.gradient(xi, t), np.gradient(eta, t)
        return (dx * np.gradient(dy, t) - np.gradient(dx, t) * dy) / (dx**2 + dy**2) ** 1.5

    wide = np.geomspace(1e-4 * sf[-1] ** 2, sf[0] ** 2, 401)
    assert wide[np.argmax(fd_curvature(wide))] < sf[-1] ** 2  # the hazard is real
    fact = factorize(X, y[:, None], fit_intercept=False)
    alpha = absolute(sel.lcurve_corner_alpha, fact)
    assert sf[-1] ** 2 * (1 - 1e-9) <= alpha <= sf[0] ** 2
    inside = np.geomspace(sf[-1] ** 2, sf[0] ** 2, 401)
    assert alpha == pytest.approx(inside[np.argmax(fd_curvature(inside))], rel=0.1)


@pytest.mark.parametrize("bad", [0, 0.0, -1.0, True, "2", np.nan])
def test_gcv_weight_is_validated(bad):
    from sklearn_pinv.alpha_rules import GCV

    with pytest.raises(ValueError, match="weight"):
        GCVRank(weight=bad)
    with pytest.raises(ValueError, match="weight"):
        GCV(weight=bad)
