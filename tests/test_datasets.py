"""sklearn_pinv.datasets against the integral equations that define them.

Every kernel, exact solution and right-hand side is written out again here
from the published formulas (Hansen's Regularization Tools manual) and
integrated by scipy's adaptive quadrature, independently of the closed forms
and Gauss rules of the implementation.
"""

import numpy as np
import pytest
from scipy import integrate
from sklearn.utils import Bunch
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_pinv import datasets

MAKERS = [datasets.make_shaw, datasets.make_phillips, datasets.make_deriv2,
          datasets.make_baart, datasets.make_foxgood, datasets.make_gravity]
SEVERE = [datasets.make_shaw, datasets.make_baart, datasets.make_foxgood,
          datasets.make_gravity]
MILD = [datasets.make_phillips, datasets.make_deriv2]


def quad(f, a, b, points=()):
    pts = sorted(p for p in points if a < p < b)
    return integrate.quad(f, a, b, points=pts or None, epsabs=1e-14,
                          epsrel=1e-13, limit=200)[0]


# ------------------------------------------------------------ the problems
def phillips_phi(x):
    return 1 + np.cos(np.pi * x / 3) if abs(x) < 3 else 0.0


def deriv2_kernel(s, t):
    return s * (t - 1) if s < t else t * (s - 1)


DERIV2_F = {1: lambda t: t, 2: np.exp, 3: lambda t: t if t < 0.5 else 1 - t}

# name: (kernel, s-interval, t-interval, f, kinks in t for a given s)
GALERKIN = {
    "phillips": (lambda s, t: phillips_phi(s - t), (-6, 6), (-6, 6), phillips_phi,
                 lambda s: (s - 3, s + 3, -3, 3)),
    "deriv2": (deriv2_kernel, (0, 1), (0, 1), DERIV2_F[1], lambda s: (s,)),
    "baart": (lambda s, t: np.exp(s * np.cos(t)), (0, np.pi / 2), (0, np.pi),
              np.sin, lambda s: ()),
}


def edges(interval, n):
    return np.linspace(*interval, n + 1)


def galerkin_entry(kernel, s_cell, t_cell, t_kinks):
    """``int int K`` over a cell pair, over ``sqrt(h_s h_t)``: nested quad,
    split wherever a kink of ``K`` crosses the cells."""
    def inner(s):
        return quad(lambda t: kernel(s, t), *t_cell, t_kinks(s))

    # inner(s) has kinks where a t-kink (s - t = 0 or +-3) meets a cell edge.
    s_kinks = [e + d for e in t_cell for d in (-3, 0, 3)]
    h = (s_cell[1] - s_cell[0]) * (t_cell[1] - t_cell[0])
    return quad(inner, *s_cell, s_kinks) / np.sqrt(h)


@pytest.mark.parametrize("name, n", [("phillips", 8), ("phillips", 10),
                                     ("deriv2", 7), ("baart", 6)])
def test_galerkin_matrix_is_the_cell_integral_of_the_kernel(name, n):
    kernel, s_int, t_int, _, t_kinks = GALERKIN[name]
    A, _, _ = getattr(datasets, f"make_{name}")(n)
    se, te = edges(s_int, n), edges(t_int, n)
    expected = np.array([[galerkin_entry(kernel, se[i:i + 2], te[j:j + 2], t_kinks)
                          for j in range(n)] for i in range(n)])
    np.testing.assert_allclose(A, expected, rtol=1e-9, atol=1e-12 * np.abs(A).max())


def cell_averages(f, e, points=()):
    return np.array([quad(f, e[i], e[i + 1], points) for i in range(e.size - 1)]) / np.sqrt(
        e[1] - e[0])


@pytest.mark.parametrize("name, example", [("phillips", None), ("deriv2", 1),
                                           ("deriv2", 2), ("deriv2", 3), ("baart", None)])
def test_galerkin_rhs_and_solution_are_the_integrals_of_kernel_times_f(name, example):
    kernel, s_int, t_int, f, t_kinks = GALERKIN[name]
    n, kwargs = 12, {}
    if example is not None:
        f, kwargs = DERIV2_F[example], {"example": example}
    A, b, x = getattr(datasets, f"make_{name}")(n, **kwargs)

    def g(s):  # the defining integral, not the published closed form of g
        return quad(lambda t: kernel(s, t) * f(t), *t_int, (*t_kinks(s), 0.5))

    np.testing.assert_allclose(b, cell_averages(g, edges(s_int, n), (0.5,)), rtol=1e-9)
    np.testing.assert_allclose(x, cell_averages(f, edges(t_int, n), (-3, 0.5, 3)),
                               rtol=1e-10, atol=1e-14)


def shaw_kernel(s, t):
    u = np.pi * (np.sin(s) + np.sin(t))
    return (np.cos(s) + np.cos(t)) ** 2 * (1.0 if u == 0 else np.sin(u) / u) ** 2


MIDPOINT = {
    "shaw": (shaw_kernel, (-np.pi / 2, np.pi / 2),
             lambda t: 2 * np.exp(-6 * (t - 0.8) ** 2) + np.exp(-2 * (t + 0.5) ** 2)),
    "foxgood": (lambda s, t: np.sqrt(s**2 + t**2), (0, 1), lambda t: t),
    "gravity": (lambda s, t: 0.25 * (0.25**2 + (s - t) ** 2) ** -1.5, (0, 1),
                lambda t: np.sin(np.pi * t) + 0.5 * np.sin(2 * np.pi * t)),
}


def midpoint_error(name, n):
    kernel, interval, f = MIDPOINT[name]
    A, b, x = getattr(datasets, f"make_{name}")(n)
    e = edges(interval, n)
    mid = (e[:-1] + e[1:]) / 2
    np.testing.assert_allclose(x, [f(t) for t in mid], rtol=1e-14, atol=1e-15)
    g = np.array([quad(lambda t: kernel(s, t) * f(t), *interval, (0.0,)) for s in mid])
    return np.abs(A @ x - g).max() / np.abs(g).max(), b, g


@pytest.mark.parametrize("name", sorted(MIDPOINT))
def test_midpoint_matrix_converges_to_the_integral_at_second_order(name):
    coarse, _, _ = midpoint_error(name, 24)
    fine, _, _ = midpoint_error(name, 48)
    assert fine < 2e-3
    assert 3.5 < coarse / fine < 4.5  # the midpoint rule: error ~ h^2


@pytest.mark.parametrize("name", ["shaw", "gravity"])
def test_shaw_and_gravity_define_b_as_A_times_x(name):
    A, b, x = getattr(datasets, f"make_{name}")(40)
    np.testing.assert_allclose(b, A @ x, rtol=1e-14)


def test_foxgood_rhs_is_the_exact_integral_at_the_midpoints():
    _, b, g = midpoint_error("foxgood", 20)
    np.testing.assert_allclose(b, g, rtol=1e-12)


# ---------------------------------------------------------- singular values
def singular_values(make, n, **kwargs):
    return np.linalg.svd(make(n, **kwargs)[0], compute_uv=False)


def numerical_rank(s):
    return int(np.sum(s > 1e-14 * s[0]))


@pytest.mark.parametrize("make, rank_range", list(zip(SEVERE, [(17, 23), (9, 14), (18, 32),
                                                                 (42, 52)])))
def test_severe_problems_decay_exponentially_to_the_rounding_level(make, rank_range):
    # The numerical rank does not grow with n: a fixed number of components
    # lies above rounding, the rest of the spectrum is at eps * s_1.
    s64, s256 = singular_values(make, 64), singular_values(make, 256)
    assert s64[-1] < 1e-15 * s64[0] and s256[-1] < 1e-15 * s256[0]
    assert rank_range[0] <= numerical_rank(s64) <= numerical_rank(s256) <= rank_range[1]


@pytest.mark.parametrize("make", MILD)
def test_mild_problems_decay_algebraically(make):
    s64, s256 = singular_values(make, 64), singular_values(make, 256)
    assert s256[-1] > 1e-10 * s256[0]  # far from rounding
    growth = (s64[-1] / s64[0]) / (s256[-1] / s256[0])  # cond(256) / cond(64)
    assert 4**2 * 0.9 < growth < 4**5  # a power of n, between n^2 and n^5
    k = np.arange(10, 200)
    slope = np.polyfit(np.log(k), np.log(s256[k - 1]), 1)[0]
    assert -5 < slope < -1.9


def test_deriv2_singular_values_approach_the_operators_1_over_k_pi_squared():
    # The Green's function of u'' has eigenvalues -1 / (k pi)^2 (sin(k pi s)).
    # Galerkin compresses the operator: its values lie below them, by O(h^2).
    n = 256
    s = singular_values(datasets.make_deriv2, n)
    k = np.arange(1, 11)
    deficit = 1 - s[:10] * (k * np.pi) ** 2
    assert np.all(deficit >= -1e-12)
    assert np.all(deficit <= (k * np.pi / n) ** 2 / 6)
    cond64 = singular_values(datasets.make_deriv2, 64)
    assert (s[0] / s[-1]) / (cond64[0] / cond64[-1]) == pytest.approx(16, rel=0.05)


def test_gravity_decay_rate_scales_with_depth():
    # exp(-pi d k): doubling the depth doubles the exponential rate.
    def rate(depth):
        s = singular_values(datasets.make_gravity, 128, depth=depth)
        k = np.arange(2, numerical_rank(s) - 2)
        return -np.polyfit(k, np.log(s[k]), 1)[0]

    assert rate(0.25) == pytest.approx(np.pi * 0.25, rel=0.2)
    assert rate(0.5) / rate(0.25) == pytest.approx(2, rel=0.15)


# ------------------------------------------------------------------- noise
@pytest.mark.parametrize("make", MAKERS)
@pytest.mark.parametrize("noise", [1e-3, 0.05])
def test_noise_has_the_requested_relative_norm(make, noise):
    data = make(32, noise=noise, random_state=0, return_bunch=True)
    e = data.target - data.target_clean
    assert np.linalg.norm(e) / np.linalg.norm(data.target_clean) == pytest.approx(noise, 1e-12)
    assert data.noise_std == pytest.approx(np.linalg.norm(e) / np.sqrt(32), 1e-12)
    A, b, x = make(32)
    np.testing.assert_array_equal(data.data, A)
    np.testing.assert_array_equal(data.target_clean, b)
    np.testing.assert_array_equal(data.x_true, x)


@pytest.mark.parametrize("make", MAKERS)
def test_random_state_makes_the_noise_reproducible(make):
    _, b1, _ = make(16, noise=0.01, random_state=3)
    _, b2, _ = make(16, noise=0.01, random_state=np.random.RandomState(3))
    _, b3, _ = make(16, noise=0.01, random_state=4)
    np.testing.assert_array_equal(b1, b2)
    assert not np.allclose(b1, b3)


def test_noise_std_matches_the_draw_over_many_seeds():
    # The noise is white: its per-sample spread is noise_std on every sample.
    draws = np.array([
        (lambda d: (d.target - d.target_clean) / d.noise_std)(
            datasets.make_deriv2(8, noise=0.1, random_state=seed, return_bunch=True))
        for seed in range(2000)
    ])
    np.testing.assert_allclose(draws.std(axis=0), 1.0, atol=0.05)
    np.testing.assert_allclose(draws.mean(axis=0), 0.0, atol=0.06)


def test_no_noise_gives_the_clean_rhs_and_a_bunch():
    data = datasets.make_baart(return_bunch=True)
    assert isinstance(data, Bunch) and data.noise_std == 0.0
    np.testing.assert_array_equal(data.target, data.target_clean)
    assert data.target is not data.target_clean
    assert data.data.shape == (64, 64) and data.data.dtype == np.float64
    assert "Baart" in data.DESCR


@pytest.mark.parametrize("kwargs", [{"n": 0}, {"n": 2.5}, {"noise": -0.1},
                                    {"noise": "high"}, {"return_bunch": "yes"},
                                    {"random_state": "seed"}])
@pytest.mark.parametrize("make", MAKERS)
def test_bad_parameters_raise_scikit_learns_error(make, kwargs):
    with pytest.raises(InvalidParameterError):
        make(**kwargs)


@pytest.mark.parametrize("make, kwargs", [(datasets.make_deriv2, {"example": 4}),
                                          (datasets.make_gravity, {"depth": 0.0})])
def test_bad_problem_options_raise(make, kwargs):
    with pytest.raises(InvalidParameterError):
        make(**kwargs)
