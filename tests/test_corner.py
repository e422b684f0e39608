"""The adaptive-pruning L-curve corner (Hansen, Jensen & Rodriguez 2007).

References here are brute force: the best truncation rank from the known
``x_true`` of the test problems, the truncated-SVD L-curve from an explicit
SVD, and the Tikhonov L-curve's maximum curvature by finite differences on a
fine grid.
"""

import numpy as np
import pytest

from sklearn_pinv import datasets
from sklearn_pinv._corner import lcurve_corner_index


def truncation_lcurve(A, b):
    """Solutions, residual norms and solution norms for ranks 0..K (explicit SVD,
    ranks above the rounding level of the spectrum only)."""
    U, s, Vt = np.linalg.svd(A)
    K = int(np.sum(s > s[0] * A.shape[0] * np.finfo(float).eps))
    coef = (U[:, :K].T @ b) / s[:K]
    X = np.column_stack([np.zeros(A.shape[1]), np.cumsum(Vt[:K].T * coef, axis=1)])
    return X, np.linalg.norm(A @ X - b[:, None], axis=0), np.linalg.norm(X, axis=0)


def sharpest_turn(rho, eta):
    """The naive discrete corner: the sharpest clockwise turn anywhere."""
    k = np.arange(1, rho.size)
    step = np.diff(np.log(np.column_stack([rho[k], eta[k]])), axis=0)
    heading = np.arctan2(step[:, 1], step[:, 0])
    return int(k[1:-1][np.argmin(np.angle(np.exp(1j * np.diff(heading))))])


def errors(X, x_true):
    return np.linalg.norm(X - x_true[:, None], axis=0) / np.linalg.norm(x_true)


# ------------------------------------------------------------ on the problems
def test_phillips_corner_is_not_in_the_noisy_tail():
    # phillips(256), 0.1% noise: the sharpest turn sits in the tail, where the
    # solution norm has exploded; the pruned corner stays at the L.
    tail_picks = 0
    for seed in range(5):
        A, b, x = datasets.make_phillips(256, noise=1e-3, random_state=seed)
        X, rho, eta = truncation_lcurve(A, b)
        err = errors(X, x)
        k = lcurve_corner_index(rho, eta)
        assert k < 40 and eta[k] < 1.1 * np.linalg.norm(x)
        assert err[k] < 30 * err.min()  # the L-curve's own limit on phillips
        naive = sharpest_turn(rho, eta)
        tail_picks += err[naive] > 1e4 * err.min()
    assert tail_picks >= 3  # the check above can fail


@pytest.mark.parametrize("make", [datasets.make_shaw, datasets.make_baart,
                                  datasets.make_deriv2])
@pytest.mark.parametrize("noise", [1e-3, 1e-2])
def test_corner_is_near_the_best_rank(make, noise):
    for seed in range(5):
        A, b, x = make(128, noise=noise, random_state=seed)
        X, rho, eta = truncation_lcurve(A, b)
        err = errors(X, x)
        assert err[lcurve_corner_index(rho, eta)] < 3 * err.min()


@pytest.mark.parametrize("make", [datasets.make_foxgood, datasets.make_baart])
def test_at_high_noise_the_corner_stays_at_the_first_ranks(make):
    # At 30% noise only one or two components rise above it; the curve turns
    # up right after rank 1 or 2.
    for seed in range(3):
        A, b, x = make(64, noise=0.3, random_state=seed)
        X, rho, eta = truncation_lcurve(A, b)
        err = errors(X, x)
        k = lcurve_corner_index(rho, eta)
        assert k <= 3 and err[k] < 5 * err.min()


def max_curvature_alpha(s, z, lo, hi):
    alphas = np.logspace(hi, lo, 20001)
    phi = s**2 / (s**2 + alphas[:, None])
    xi = np.log(np.linalg.norm((1 - phi) * z, axis=1))
    eta = np.log(np.linalg.norm(phi * z / s, axis=1))
    t = np.log(alphas)
    dx, dy = np.gradient(xi, t), np.gradient(eta, t)
    ddx, ddy = np.gradient(dx, t), np.gradient(dy, t)
    return alphas[np.argmax((dx * ddy - ddx * dy) / (dx**2 + dy**2) ** 1.5)]


@pytest.mark.parametrize("make", [datasets.make_shaw, datasets.make_baart,
                                  datasets.make_deriv2, datasets.make_foxgood,
                                  datasets.make_gravity, datasets.make_phillips])
def test_on_a_tikhonov_grid_the_corner_is_near_the_maximum_curvature(make):
    A, b, _ = make(64, noise=1e-2, random_state=0)
    U, s, _ = np.linalg.svd(A)
    z = U.T @ b
    hi = np.log10(s[0] ** 2)  # from s_1^2 down, as the docstring asks
    lo = max(np.log10(s[-1] ** 2), hi - 15)
    alphas = np.logspace(hi, lo, 200)
    phi = s**2 / (s**2 + alphas[:, None])
    rho = np.linalg.norm((1 - phi) * z, axis=1)
    eta = np.linalg.norm(phi * z / s, axis=1)
    ratio = alphas[lcurve_corner_index(rho, eta)] / max_curvature_alpha(s, z, lo, hi)
    assert 1 / 4 < ratio < 4


# ------------------------------------------------------------ synthetic curves
def l_shape(n_flat=10, n_steep=10):
    """A flat arm (residual falls a decade per point) meeting a steep one."""
    rho = np.concatenate([np.logspace(0, -n_flat + 1, n_flat),
                          10.0 ** (-n_flat + 1) * np.logspace(-0.01, -0.1, n_steep)])
    eta = np.concatenate([np.logspace(0, 0.05, n_flat), 10 ** 0.05 * np.logspace(1, n_steep, n_steep)])
    return rho, eta


def test_synthetic_l_corner_is_the_junction():
    rho, eta = l_shape()
    assert lcurve_corner_index(rho, eta) == 9


def test_corner_does_not_depend_on_units():
    rho, eta = l_shape(7, 12)
    k = lcurve_corner_index(rho, eta)
    assert k == 6
    assert lcurve_corner_index(3e5 * rho, 2e-7 * eta) == k


def test_unusable_points_are_skipped_and_indices_kept():
    rho, eta = l_shape()
    rho_bad = np.concatenate([[5.0], rho[:4], [np.nan], rho[4:], [0.0]])
    eta_bad = np.concatenate([[0.0], eta[:4], [1.0], eta[4:], [np.inf]])
    # rank 0 (eta = 0), a NaN and a zero residual have no logarithm.
    assert lcurve_corner_index(rho_bad, eta_bad) == 9 + 2


def test_repeated_points_do_not_break_the_directions():
    rho, eta = l_shape()
    rho2, eta2 = np.repeat(rho, 2), np.repeat(eta, 2)  # zero-length edges
    assert lcurve_corner_index(rho2, eta2) in (18, 19)


def test_a_curve_without_corner_returns_the_last_point():
    # Concave: steep first, then flat; no pruned curve turns like an "L".
    rho = np.logspace(0, -6, 7)
    eta = np.array([1.0, 1e3, 1e6, 1.1e6, 1.2e6, 1.3e6, 1.4e6])
    assert lcurve_corner_index(rho, eta) == 6
    assert lcurve_corner_index([1.0, 0.5], [1.0, 2.0]) == 1


@pytest.mark.parametrize("rho, eta", [(np.ones(3), np.ones(4)),
                                      (np.ones((2, 3)), np.ones((2, 3))),
                                      (np.zeros(3), np.ones(3))])
def test_bad_input_raises(rho, eta):
    with pytest.raises(ValueError):
        lcurve_corner_index(rho, eta)
